//! Behaviour the offline oracle (`tests/ops_oracle.rs`) cannot show: the
//! online text PostgreSQL receives, unknown and project values, text maps,
//! statement locations, the batch queue and the per-run memo.

use std::sync::Arc;

use super::*;
use crate::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, IndexInfo, PrimaryKeyInfo, QueryRows,
    UniqueInfo,
};
use crate::python::value::{Callee, PyObject, PyStr, Symbol};
use crate::source::{SourceFile, Span};

struct NoSchema;

impl SchemaView for NoSchema {
    fn schema_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn table_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn view_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn sequence_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn columns(&self, _: Option<&str>, _: &str) -> Option<Vec<ColumnInfo>> {
        None
    }
    fn primary_key(&self, _: Option<&str>, _: &str) -> Option<PrimaryKeyInfo> {
        None
    }
    fn foreign_keys(&self, _: Option<&str>, _: &str) -> Option<Vec<ForeignKeyInfo>> {
        None
    }
    fn indexes(&self, _: Option<&str>, _: &str) -> Option<Vec<IndexInfo>> {
        None
    }
    fn unique_constraints(&self, _: Option<&str>, _: &str) -> Option<Vec<UniqueInfo>> {
        None
    }
    fn check_constraints(&self, _: Option<&str>, _: &str) -> Option<Vec<CheckInfo>> {
        None
    }
    fn enums(&self, _: Option<&str>) -> Vec<EnumInfo> {
        Vec::new()
    }
    fn catalog_query(&self, _: &str) -> Option<QueryRows> {
        None
    }
}

/// One file for every location, so locations compare equal.
fn file() -> Arc<SourceFile> {
    static FILE: std::sync::OnceLock<Arc<SourceFile>> = std::sync::OnceLock::new();
    FILE.get_or_init(|| SourceFile::virtual_file("versions/abc.py", "x".repeat(400)))
        .clone()
}

fn loc_at(start: usize) -> Loc {
    Loc::new(&file(), Span::new(start, start + 5))
}

fn call_at(start: usize, path: &str, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> Call {
    Call {
        callee: Callee::Symbol(Symbol::new(path)),
        args,
        kwargs: kwargs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        loc: loc_at(start),
    }
}

fn sa(path: &str, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> Value {
    Value::Call(Arc::new(call_at(
        0,
        &format!("sqlalchemy.{path}"),
        args,
        kwargs,
    )))
}

fn s(v: &str) -> Value {
    Value::str(v)
}

fn with_ctx<R>(objects: &dyn ProjectObjects, f: impl FnOnce(&LowerCtx) -> R) -> R {
    let nc = NamingConvention::sqlalchemy_default();
    let memo = RunMemo::default();
    let ctx = LowerCtx {
        schema: &NoSchema,
        naming_convention: &nc,
        literal_binds: true,
        objects,
        memo: &memo,
        online: false,
        data_values: Default::default(),
    };
    f(&ctx)
}

fn lower(name: &str, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> Result<Lowered, LowerError> {
    with_ctx(&EvaluatorObjects, |ctx| {
        lower_op(
            name,
            &call_at(10, &format!("alembic.op.{name}"), args, kwargs),
            ctx,
        )
    })
}

#[test]
fn online_text_is_what_postgresql_receives() {
    let col = sa(
        "Column",
        vec![s("note"), sa("Text", vec![], vec![])],
        vec![("server_default", s("50% it's a\\b"))],
    );
    let l = lower("add_column", vec![s("t"), col], vec![]).expect("lowers");
    let st = &l.statements[0];
    assert_eq!(
        st.sql,
        "ALTER TABLE t ADD COLUMN note TEXT DEFAULT '50% it''s a\\b'"
    );
    assert_eq!(
        st.offline,
        "ALTER TABLE t ADD COLUMN note TEXT DEFAULT '50%% it''s a\\\\b';"
    );
    assert_eq!(st.kind, StatementKind::Schema);
}

#[test]
fn unknown_argument_becomes_unknown_error() {
    let unknown = Value::unknown("settings.TABLE is read from the environment", loc_at(3));
    let err = lower("drop_table", vec![unknown], vec![]).expect_err("cannot lower");
    match err {
        LowerError::Unknown(u) => {
            assert_eq!(u.reason, "settings.TABLE is read from the environment");
            assert_eq!(u.loc, loc_at(3));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    // An unknown deep inside a column counts too.
    let col = sa(
        "Column",
        vec![
            s("a"),
            sa("String", vec![Value::unknown("length", loc_at(4))], vec![]),
        ],
        vec![],
    );
    assert!(matches!(
        lower("add_column", vec![s("t"), col], vec![]),
        Err(LowerError::Unknown(_))
    ));
    // A Python-side default never reaches the DDL: an unknown one is fine
    // (mlflow: `default=ModelVersionStatus.to_string(...)`).
    let col = sa(
        "Column",
        vec![s("status"), sa("String", vec![Value::Int(20)], vec![])],
        vec![
            ("default", Value::unknown("protobuf enum", loc_at(4))),
            ("onupdate", Value::unknown("a callable", loc_at(4))),
        ],
    );
    let l = lower("add_column", vec![s("t"), col], vec![]).expect("lowers");
    assert_eq!(
        l.statements[0].sql,
        "ALTER TABLE t ADD COLUMN status VARCHAR(20)"
    );
}

#[test]
fn unknown_flags_are_not_taken_as_true() {
    // phoenix: `op.create_index(..., postgresql_concurrently=concurrently)`
    // with `concurrently` read from the environment. Rendering CONCURRENTLY
    // (as a truthy object would be) made a false 25001 inside the
    // migration's transaction.
    let env = || Value::unknown("os.environ.get(...)", loc_at(5));
    for (op, args, flag) in [
        (
            "create_index",
            vec![s("i"), s("t"), Value::List(vec![s("c")])],
            "postgresql_concurrently",
        ),
        (
            "create_index",
            vec![s("i"), s("t"), Value::List(vec![s("c")])],
            "unique",
        ),
        ("drop_index", vec![s("i")], "if_exists"),
        ("create_table", vec![s("t")], "if_not_exists"),
    ] {
        match lower(op, args, vec![(flag, env())]) {
            Err(LowerError::Unknown(u)) => assert_eq!(u.loc, loc_at(5)),
            other => panic!("{op}({flag}=unknown): expected Unknown, got {other:?}"),
        }
    }
    // What a library returned, compared: `os.environ.get(...).lower() ==
    // "true"` stays a call, as unknown as the rest.
    let compared = Value::Call(std::sync::Arc::new(call_at(
        6,
        "os.environ.get",
        vec![s("X")],
        vec![],
    )));
    match lower(
        "create_index",
        vec![s("i"), s("t"), Value::List(vec![s("c")])],
        vec![("postgresql_concurrently", compared)],
    ) {
        Err(LowerError::Unknown(u)) => assert_eq!(u.loc, loc_at(6)),
        other => panic!("expected Unknown, got {other:?}"),
    }
    // Python truthiness of known values still decides.
    let l = lower(
        "create_index",
        vec![s("i"), s("t"), Value::List(vec![s("c")])],
        vec![("unique", Value::List(vec![]))],
    )
    .expect("lowers");
    assert_eq!(l.statements[0].sql, "CREATE INDEX i ON t (c)");
}

#[test]
fn foreign_key_to_a_model_attribute() {
    let column = sa(
        "Column",
        vec![sa("String", vec![Value::Int(50)], vec![])],
        vec![],
    );
    let attr = sa(
        "orm.attributes.InstrumentedAttribute",
        vec![s("trace_info"), s("request_id"), column],
        vec![],
    );
    let col = sa(
        "Column",
        vec![
            s("request_id"),
            sa("String", vec![Value::Int(50)], vec![]),
            sa(
                "ForeignKey",
                vec![],
                vec![("column", attr), ("name", s("fk_tag_request_id"))],
            ),
        ],
        vec![],
    );
    let l = lower("create_table", vec![s("trace_tags"), col], vec![]).expect("lowers");
    assert!(
        l.statements[0]
            .sql
            .contains("CONSTRAINT fk_tag_request_id FOREIGN KEY(request_id) REFERENCES trace_info (request_id)"),
        "{}",
        l.statements[0].sql
    );
}

#[derive(Debug)]
struct FakeEnumClass;

impl PyObject for FakeEnumClass {
    fn type_name(&self) -> &str {
        "type"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

struct FakeObjects;

impl ProjectObjects for FakeObjects {
    fn python_enum(&self, value: &Value) -> Option<PyEnumClass> {
        let Value::Object(obj) = value else {
            return None;
        };
        obj.as_any().downcast_ref::<FakeEnumClass>()?;
        Some(PyEnumClass {
            name: "OrderStatus".into(),
            members: vec![("NEW".into(), s("new")), ("PAID".into(), s("paid"))],
        })
    }

    fn enum_values_callable(&self, _f: &Value, class: &Value) -> Option<Vec<String>> {
        Some(
            self.python_enum(class)?
                .members
                .iter()
                .filter_map(|(_, v)| v.as_str().map(str::to_string))
                .collect(),
        )
    }
}

fn enum_table(kwargs: Vec<(&str, Value)>) -> Vec<Value> {
    let class = Value::Object(Arc::new(FakeEnumClass));
    vec![
        s("orders"),
        sa(
            "Column",
            vec![s("status"), sa("Enum", vec![class], kwargs)],
            vec![],
        ),
    ]
}

#[test]
fn python_enum_class_uses_member_names_and_lowercased_class_name() {
    let l = with_ctx(&FakeObjects, |ctx| {
        lower_op(
            "create_table",
            &call_at(0, "alembic.op.create_table", enum_table(vec![]), vec![]),
            ctx,
        )
    })
    .expect("lowers");
    assert_eq!(
        l.statements[0].sql,
        "CREATE TYPE orderstatus AS ENUM ('NEW', 'PAID')"
    );
    let l = with_ctx(&FakeObjects, |ctx| {
        let f = Value::Object(Arc::new(FakeEnumClass));
        lower_op(
            "create_table",
            &call_at(
                0,
                "alembic.op.create_table",
                enum_table(vec![("values_callable", f), ("name", s("order_status"))]),
                vec![],
            ),
            ctx,
        )
    })
    .expect("lowers");
    assert_eq!(
        l.statements[0].sql,
        "CREATE TYPE order_status AS ENUM ('new', 'paid')"
    );
    // Without a reader for project objects the step is not simulated.
    let err = lower("create_table", enum_table(vec![]), vec![]).expect_err("opaque");
    assert!(matches!(err, LowerError::Unsupported(_)), "{err:?}");
}

#[test]
fn execute_keeps_the_text_map_of_verbatim_sql() {
    let map = TextMap {
        segments: vec![(0, 120, 26)],
    };
    let sql = Value::Str(PyStr {
        value: "UPDATE t SET a = 1 -- 100%".into(),
        text_map: Some(map.clone()),
        conv: false,
    });
    let l = lower("execute", vec![sql], vec![]).expect("lowers");
    let st = &l.statements[0];
    assert_eq!(st.kind, StatementKind::Verbatim);
    assert_eq!(st.text_map.as_ref(), Some(&map));
    assert_eq!(st.sql, "UPDATE t SET a = 1 -- 100%");
    assert_eq!(st.offline, "UPDATE t SET a = 1 -- 100%%;");
    // Text the compiler rewrote (`\:` unescaped) no longer maps byte for byte.
    let sql = Value::Str(PyStr {
        value: "SELECT '\\:x'".into(),
        text_map: Some(TextMap {
            segments: vec![(0, 7, 12)],
        }),
        conv: false,
    });
    let l = lower("execute", vec![sql], vec![]).expect("lowers");
    assert_eq!(l.statements[0].sql, "SELECT ':x'");
    assert!(l.statements[0].text_map.is_none());
}

#[test]
fn enum_types_are_created_once_per_run() {
    let table = |name: &str| {
        vec![
            s(name),
            sa(
                "Column",
                vec![s("k"), sa("Enum", vec![s("a")], vec![("name", s("kind"))])],
                vec![],
            ),
        ]
    };
    let texts = with_ctx(&EvaluatorObjects, |ctx| {
        let mut all = Vec::new();
        for t in ["t1", "t2"] {
            let l = lower_op(
                "create_table",
                &call_at(0, "alembic.op.create_table", table(t), vec![]),
                ctx,
            )
            .expect("lowers");
            all.extend(l.statements.into_iter().map(|st| st.sql));
        }
        all
    });
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.starts_with("CREATE TYPE"))
            .count(),
        1
    );
    assert_eq!(texts.len(), 3);
}

#[test]
fn batch_queues_until_the_block_ends_except_execute() {
    with_ctx(&EvaluatorObjects, |ctx| {
        let mut b = begin_batch(
            &call_at(0, "alembic.op.batch_alter_table", vec![s("t")], vec![]),
            ctx,
        )
        .expect("batch");
        let add = call_at(
            50,
            "alembic.op.add_column",
            vec![sa(
                "Column",
                vec![s("z"), sa("Integer", vec![], vec![])],
                vec![],
            )],
            vec![],
        );
        let queued = lower_batch_op(&mut b, "add_column", &add, ctx).expect("queued");
        assert!(queued.statements.is_empty());
        let exec = call_at(
            90,
            "alembic.op.execute",
            vec![s("UPDATE t SET z = 1")],
            vec![],
        );
        let now = lower_batch_op(&mut b, "execute", &exec, ctx).expect("runs now");
        assert_eq!(now.statements[0].sql, "UPDATE t SET z = 1");
        assert_eq!(now.statements[0].loc, loc_at(90));
        let drop = call_at(130, "alembic.op.drop_constraint", vec![Value::None], vec![]);
        lower_batch_op(&mut b, "drop_constraint", &drop, ctx).expect("built");
        let err = finish_batch(b, ctx).expect_err("the unnamed constraint fails at flush");
        let LowerError::WouldFail(w) = err else {
            panic!("expected WouldFail");
        };
        assert_eq!(w.exception, "sqlalchemy.exc.CompileError");
        assert_eq!(w.loc, loc_at(130));
        assert_eq!(w.emitted.len(), 1);
        assert_eq!(w.emitted[0].sql, "ALTER TABLE t ADD COLUMN z INTEGER");
        assert_eq!(w.emitted[0].loc, loc_at(50));
    });
}

#[test]
fn batch_recreate_always_is_not_simulated() {
    with_ctx(&EvaluatorObjects, |ctx| {
        let b = begin_batch(
            &call_at(
                0,
                "alembic.op.batch_alter_table",
                vec![s("t")],
                vec![("recreate", s("always"))],
            ),
            ctx,
        )
        .expect("batch");
        let err = finish_batch(b, ctx).expect_err("unsupported");
        assert!(matches!(err, LowerError::Unsupported(_)));
        assert!(err.to_string().contains("recreate=\"always\""));
    });
}

#[test]
fn operations_alembic_lacks_are_predicted_failures_or_unsupported() {
    let err = lower("create_sequence", vec![s("seq")], vec![]).expect_err("no such op");
    assert!(matches!(&err, LowerError::WouldFail(w) if w.exception == "AttributeError"));
    let err = lower("invoke", vec![], vec![]).expect_err("not modelled");
    assert!(matches!(err, LowerError::Unsupported(_)));
}

#[test]
fn every_statement_carries_its_call_location() {
    let l = lower(
        "create_table",
        vec![
            s("t"),
            sa(
                "Column",
                vec![s("a"), sa("Integer", vec![], vec![])],
                vec![("index", Value::Bool(true)), ("comment", s("c"))],
            ),
        ],
        vec![],
    )
    .expect("lowers");
    assert_eq!(l.statements.len(), 3);
    assert!(l.statements.iter().all(|st| st.loc == loc_at(10)));
}

#[test]
fn text_parameters_without_values_fail_online_only() {
    let l = lower("execute", vec![s(r#"SELECT '{"a":1}'::jsonb"#)], vec![]).expect("lowers");
    let st = &l.statements[0];
    assert_eq!(st.offline, r#"SELECT '{"a"NULL}'::jsonb;"#);
    assert_eq!(
        st.online_error,
        Some(PyError {
            exception: "sqlalchemy.exc.StatementError".into(),
            message:
                "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter '1'"
                    .into(),
        })
    );
    let bound = Value::Call(Arc::new(Call {
        callee: Callee::Method {
            receiver: sa("text", vec![s("SELECT :v")], vec![]),
            name: "bindparams".into(),
        },
        args: vec![],
        kwargs: vec![("v".into(), Value::Int(3))],
        loc: loc_at(0),
    }));
    let l = lower("execute", vec![bound], vec![]).expect("lowers");
    assert_eq!(l.statements[0].sql, "SELECT 3");
    assert!(l.statements[0].online_error.is_none());
}

#[test]
fn results_convert_to_sink_steps() {
    let l = lower("drop_table", vec![s("t")], vec![]).expect("lowers");
    let step = l.statements[0].to_step(true);
    assert_eq!(step.sql.trim(), "DROP TABLE t");
    assert!(step.autocommit);
    assert_eq!(step.loc, loc_at(10));
    let unknown = lower(
        "drop_table",
        vec![Value::unknown("env var", loc_at(3))],
        vec![],
    )
    .expect_err("unknown");
    let opaque = unknown.to_opaque().expect("opaque");
    assert_eq!(opaque.hidden_ops, 1);
    assert!(opaque.reason.contains("env var"));
    let fails = lower("drop_constraint", vec![Value::None, s("t")], vec![]).expect_err("fails");
    assert!(fails.to_opaque().is_none());
}
