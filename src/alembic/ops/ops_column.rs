//! Column operations: `add_column`, `drop_column`, `alter_column`
//! (`operations/toimpl.py`).

use super::LowerError;
use super::args::{Bound, Sig};
use super::ddl::{AlterColumn, DefaultChange, Element};
use super::model::{self, CName, ConstraintKind, Item};
use super::ops_table::{Builder, one_column_table};
use super::types::SqlType;
use crate::python::value::Value;

fn column_arg(b: &Builder, v: Option<&Value>) -> Result<model::Column, LowerError> {
    let loc = b.loc();
    match v {
        Some(v @ Value::Call(_)) => match b.reader.item(v, loc)? {
            Item::Column(c) => Ok(*c),
            _ => Err(b.fail("AttributeError", "add_column() expects a Column object")),
        },
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(Value::Object(o)) => Err(b.unsupported(format!(
            "column built by project code ({}) that migsim cannot read",
            o.type_name()
        ))),
        _ => Err(b.fail("AttributeError", "add_column() expects a Column object")),
    }
}

pub(crate) fn add_column(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "add_column",
            positional: &["column"],
            required: 1,
            varargs: false,
            keyword_only: &[
                "insert_before",
                "insert_after",
                "if_not_exists",
                "inline_references",
                "inline_primary_key",
            ],
            varkw: false,
        })?
    } else {
        b.bind(&Sig {
            name: "add_column",
            positional: &["table_name", "column"],
            required: 2,
            varargs: false,
            keyword_only: &[
                "schema",
                "if_not_exists",
                "inline_references",
                "inline_primary_key",
            ],
            varkw: false,
        })?
    };
    if let Some(bt) = b.batch
        && (model::truthy(bound.get("insert_before"))? || model::truthy(bound.get("insert_after"))?)
        && !bt.recreates()
    {
        return Err(b.fail(
                "alembic.util.exc.CommandError",
                "Can't specify insert_before or insert_after when using ALTER; please specify recreate='always'",
            ));
    }
    let (table_name, schema) = b.target(&bound, "table_name")?;
    let column = column_arg(b, bound.get("column"))?;
    let inline_references = model::truthy(bound.get("inline_references"))?;
    let inline_primary_key = model::truthy(bound.get("inline_primary_key"))?;
    let col_name = column.name.clone();
    let comment = column.comment.clone();
    let single_fk = column.foreign_keys.len() == 1;
    let table = one_column_table(b, table_name, schema, column)?;
    let mut out = vec![Element::AddColumn {
        table: Box::new(table.clone()),
        column: col_name.clone(),
        if_not_exists: model::truthy(bound.get("if_not_exists"))?,
        inline_references,
        inline_primary_key,
    }];
    for k in &table.constraints {
        if let ConstraintKind::ForeignKey { columns, .. } = &k.kind
            && inline_references
            && single_fk
            && columns.len() == 1
        {
            continue;
        }
        out.push(Element::AddConstraint {
            table: Box::new(table.clone()),
            constraint: k.clone(),
        });
    }
    for ix in &table.indexes {
        out.push(Element::CreateIndex {
            index: ix.clone(),
            if_not_exists: false,
        });
    }
    if comment.is_some() {
        out.push(Element::ColumnComment {
            table: table.name.clone(),
            schema: table.schema.clone(),
            column: col_name,
            comment,
        });
    }
    Ok(out)
}

pub(crate) fn drop_column(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "drop_column",
            positional: &["column_name"],
            required: 1,
            varargs: false,
            keyword_only: &[],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "drop_column",
            positional: &["table_name", "column_name"],
            required: 2,
            varargs: false,
            keyword_only: &["schema"],
            varkw: true,
        })?
    };
    let (table, schema) = b.target(&bound, "table_name")?;
    let if_exists = model::truthy(
        bound
            .extra_kw
            .iter()
            .find(|(k, _)| *k == "if_exists")
            .map(|(_, v)| *v),
    )?;
    Ok(vec![Element::DropColumn {
        table,
        schema,
        column: b.req_str(&bound, "column_name")?,
        if_exists,
    }])
}

/// A `server_default=` / `existing_server_default=` argument.
fn default_change(b: &Builder, v: &Value) -> Result<DefaultChange, LowerError> {
    let loc = b.loc();
    if let Value::Call(c) = v
        && let Some(n) = super::sym::of_call(c)
    {
        if n.lib == super::sym::Lib::Sa && n.name == "Computed" {
            b.reader.computed(c)?;
            return Ok(DefaultChange::Computed);
        }
        if n.lib == super::sym::Lib::Sa && n.name == "Identity" {
            return Ok(DefaultChange::Identity(b.reader.identity(c)?));
        }
    }
    Ok(DefaultChange::Default(b.reader.server_default(v, loc)?))
}

/// `repr()` of an unnamed type-bound CHECK (an `Enum(create_constraint=True)`)
/// for SQLAlchemy's error message; `0x0` stands for object addresses.
fn type_bound_repr(ty: &SqlType, table: &str, column: &str, schema: Option<&str>) -> String {
    let py = super::expr::py_str_repr;
    let type_repr = match ty {
        SqlType::Enum(e) => {
            let mut parts: Vec<String> = e.values.iter().map(|v| py(v)).collect();
            if !e.native {
                parts.push("native_enum=False".into());
            }
            if e.create_constraint {
                parts.push("create_constraint=True".into());
            }
            format!("Enum({})", parts.join(", "))
        }
        other => other.describe(),
    };
    format!(
        "CheckConstraint(<sqlalchemy.sql.elements.BinaryExpression object at 0x0>, name=<_NoneName.NONE_NAME: 0>, table=Table({}, MetaData(), Column({}, {type_repr}, table=<{table}>), schema={}), _create_rule=<sqlalchemy.util.langhelpers.portable_instancemethod object at 0x0>, _type_bound=True)",
        py(table),
        py(column),
        schema.map(py).unwrap_or_else(|| "None".into())
    )
}

/// The type-bound CHECK constraint a type makes on a table, if any.
fn type_bound_check(
    b: &Builder,
    table: &str,
    schema: &Option<String>,
    column: &str,
    ty: SqlType,
) -> Result<Option<(model::Table, model::Constraint)>, LowerError> {
    let SqlType::Enum(e) = &ty else {
        return Ok(None);
    };
    if e.native || !e.create_constraint {
        return Ok(None);
    }
    let t = one_column_table(
        b,
        table.to_string(),
        schema.clone(),
        model::Column::bare(column, ty.clone()),
    )?;
    let k = t
        .constraints
        .iter()
        .find(|k| {
            matches!(
                k.kind,
                ConstraintKind::Check {
                    type_bound: true,
                    ..
                }
            )
        })
        .cloned();
    Ok(k.map(|k| (t, k)))
}

pub(crate) fn alter_column(b: &Builder) -> Result<Vec<Element>, LowerError> {
    const KW: &[&str] = &[
        "nullable",
        "comment",
        "server_default",
        "new_column_name",
        "type_",
        "existing_type",
        "existing_server_default",
        "existing_nullable",
        "existing_comment",
    ];
    let mut kw: Vec<&str> = KW.to_vec();
    let bound: Bound = if b.batch.is_some() {
        kw.extend(["insert_before", "insert_after"]);
        b.bind(&Sig {
            name: "alter_column",
            positional: &["column_name"],
            required: 1,
            varargs: false,
            keyword_only: &kw,
            varkw: true,
        })?
    } else {
        kw.push("schema");
        b.bind(&Sig {
            name: "alter_column",
            positional: &["table_name", "column_name"],
            required: 2,
            varargs: false,
            keyword_only: &kw,
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let column = b.req_str(&bound, "column_name")?;
    let ty = |name: &str| -> Result<Option<SqlType>, LowerError> {
        match bound.get(name) {
            None | Some(Value::None) => Ok(None),
            Some(v) => Ok(Some(b.reader.ty(v, loc)?)),
        }
    };
    let type_ = ty("type_")?;
    let existing_type = ty("existing_type")?;
    // `False` (the default) means "unchanged"; `None` removes.
    let server_default = match bound.get("server_default") {
        None | Some(Value::Bool(false)) => None,
        Some(Value::None) => Some(None),
        Some(v) => Some(Some(default_change(b, v)?)),
    };
    let existing_server_default = match bound.get("existing_server_default") {
        None | Some(Value::Bool(false)) | Some(Value::None) => None,
        Some(v) => Some(default_change(b, v)?),
    };
    let comment = match bound.get("comment") {
        None | Some(Value::Bool(false)) => None,
        Some(Value::None) => Some(None),
        Some(Value::Str(s)) => Some(Some(s.as_str().to_string())),
        Some(_) => return Err(b.unsupported("comment that is not a string")),
    };
    let mut using = None;
    for (k, v) in &bound.extra_kw {
        match *k {
            "postgresql_using" => using = model::opt_string(Some(v), k, loc)?,
            "autoincrement" | "existing_autoincrement" => {}
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let (Some(old), Some(_)) = (&existing_type, &type_)
        && let Some((t, k)) = type_bound_check(b, &table, &schema, &column, old.clone())?
    {
        let name = match &k.name {
            CName::Given(n) => Some(n.clone()),
            // Named by the convention when the DDL is compiled.
            CName::Deferred => {
                let cols = [super::naming::NameCol {
                    name: column.clone(),
                    key: column.clone(),
                }];
                let s = super::naming::Subject {
                    kind: super::naming::Kind::Check,
                    name: None,
                    table: &t.name,
                    schema: t.schema.as_deref(),
                    columns: &cols,
                    referred_table: None,
                    referred_columns: &[],
                };
                super::naming::convention_name(b.ctx.naming_convention, &s)
                    .map_err(|(c, m)| LowerError::would_fail(&c, m, loc))?
            }
            CName::None => None,
        };
        let repr = type_bound_repr(old, &t.name, &column, t.schema.as_deref());
        out.push(Element::DropConstraint {
            table: t.name.clone(),
            schema: t.schema.clone(),
            name,
            repr,
            if_exists: false,
        });
    }
    out.push(Element::AlterColumn(Box::new(AlterColumn {
        table: table.clone(),
        schema: schema.clone(),
        column: column.clone(),
        nullable: model::opt_bool(bound.get("nullable"))?,
        server_default,
        existing_server_default,
        new_name: b.opt_str(&bound, "new_column_name")?,
        type_: type_.clone(),
        using,
        comment,
    })));
    if let Some(t) = type_
        && let Some((tb, k)) = type_bound_check(b, &table, &schema, &column, t)?
    {
        out.push(Element::AddConstraint {
            table: Box::new(tb),
            constraint: k,
        });
    }
    Ok(out)
}
