//! Unit tests of the evaluator rules, on small Python snippets.

use std::collections::HashMap;

use super::*;
use crate::alembic::sink::OpaqueStep;
use crate::python::host::{Abort, Host, HostResult};
use crate::python::load::load_python_str;
use crate::python::value::{Call, HostObject, Value};

/// Records `op.*` calls; everything else stays symbolic.
#[derive(Default)]
struct TestHost {
    ops: Vec<String>,
    opaque: Vec<OpaqueStep>,
}

impl Host for TestHost {
    fn call_symbol(&mut self, call: &Call) -> Option<HostResult> {
        let s = call.symbol()?;
        let name = s.path.strip_prefix("alembic.op.")?;
        if crate::python::syntax::OP_HELPERS.contains(&name) {
            return None;
        }
        let first = call.args.first().and_then(|a| a.as_str()).unwrap_or("");
        self.ops.push(format!("{name}({first})"));
        Some(Ok(Value::None))
    }
    fn call_method(&mut self, _obj: &HostObject, _name: &str, call: &Call) -> HostResult {
        Ok(Value::unknown("test host", call.loc.clone()))
    }
    fn get_attr(&mut self, _obj: &HostObject, _name: &str, loc: &crate::source::Loc) -> HostResult {
        Ok(Value::unknown("test host", loc.clone()))
    }
    fn enter(&mut self, obj: &HostObject, _loc: &crate::source::Loc) -> HostResult {
        Ok(Value::Host(obj.clone()))
    }
    fn exit(
        &mut self,
        _obj: &HostObject,
        _loc: &crate::source::Loc,
        _raised: bool,
    ) -> Result<(), Abort> {
        Ok(())
    }
    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}

struct Run {
    globals: HashMap<String, Value>,
    host: TestHost,
    error: Option<String>,
    diagnostics: Vec<String>,
}

fn run_with(src: &str, cfg: &EvalConfig) -> Run {
    let m = load_python_str("m.py", src);
    assert!(!m.has_errors(), "{:?}", m.errors);
    let mut host = TestHost::default();
    let (globals, error, diagnostics) = {
        let mut ev = Evaluator::new(cfg, None, &mut host);
        let mut error = None;
        let key = match ev.run_main(&m) {
            Ok(k) => Some(k),
            Err(e) => {
                error = Some(describe_abort(&e));
                None
            }
        };
        if let Some(k) = key
            && let Some(up) = ev.global(k, "upgrade").cloned()
        {
            let loc = crate::source::Loc::new(&m.file, crate::source::Span::new(0, 0));
            if let Err(e) = ev.call(&up, Vec::new(), loc) {
                error = Some(describe_abort(&e));
            }
        }
        let globals = key
            .map(|k| {
                ev.globals(k)
                    .map(|(n, v)| (n.to_owned(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let diags = ev
            .take_diagnostics()
            .iter()
            .map(|d| d.to_string())
            .collect();
        (globals, error, diags)
    };
    Run {
        globals,
        host,
        error,
        diagnostics,
    }
}

fn describe_abort(e: &Abort) -> String {
    match e {
        Abort::Raise(x) => x.describe(),
        Abort::Halt => "halt".into(),
        Abort::Budget { loc } => format!("budget at {loc}"),
    }
}

fn run(src: &str) -> Run {
    run_with(src, &EvalConfig::default())
}

fn g<'r>(r: &'r Run, name: &str) -> &'r Value {
    r.globals
        .get(name)
        .unwrap_or_else(|| panic!("no global {name}; error: {:?}", r.error))
}

/// Evaluates `x = <expr>` and returns x's repr.
fn expr(src: &str) -> String {
    let r = run(&format!("x = {src}\n"));
    if let Some(e) = &r.error {
        return format!("raise {e}");
    }
    match strings::py_repr(g(&r, "x")) {
        Ok(s) => s,
        Err(_) => format!("<{}>", show(g(&r, "x"))),
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Symbol(s) => format!("symbol {}", s.path),
        Value::Call(c) => format!("call {}", describe_call(c)),
        Value::Unknown(u) => format!("unknown: {}", u.reason),
        other => other.type_name().to_owned(),
    }
}

#[test]
fn literals_and_arithmetic() {
    assert_eq!(expr("1 + 2 * 3"), "7");
    assert_eq!(expr("7 // 2, -7 // 2, -7 % 3, 2 ** 10"), "(3, -4, 2, 1024)");
    assert_eq!(expr("7 / 2"), "3.5");
    assert_eq!(expr("'a' 'b' \"c\""), "'abc'");
    assert_eq!(expr("b'x' + b'y'"), "b'xy'");
    assert_eq!(expr("None, True, False"), "(None, True, False)");
    assert_eq!(expr("1 < 2 < 3, 1 < 3 < 2"), "(True, False)");
    assert_eq!(expr("'ab' in 'xaby', 3 not in [1, 2]"), "(True, True)");
    assert_eq!(expr("not [], [] or 'd', 0 and 1"), "(True, 'd', 0)");
    assert_eq!(expr("1 if 0 else 2"), "2");
    assert_eq!(expr("1 / 0"), "raise ZeroDivisionError: division by zero");
    assert_eq!(
        expr("'a' + 1"),
        "raise TypeError: unsupported operand type(s) for +: 'str' and 'int'"
    );
    assert!(expr("9223372036854775807 + 1").starts_with("<unknown"));
}

#[test]
fn strings_and_formatting() {
    assert_eq!(expr("'%s_%d' % ('ix', 3)"), "'ix_3'");
    assert_eq!(expr("'{}-{name}'.format(1, name='n')"), "'1-n'");
    assert_eq!(expr("'{0[a]}{1.real}'.format({'a': 'x'}, 5)"), "'x5'");
    assert_eq!(
        expr("f'{1+1:03d}|{\"s\"!r}|{3.14159:.2f}'"),
        "\"002|'s'|3.14\""
    );
    assert_eq!(expr("', '.join(['a', 'b'])"), "'a, b'");
    assert_eq!(expr("'A_b'.lower().upper().title()"), "'A_B'");
    assert_eq!(expr("'a,b'.split(',')"), "['a', 'b']");
    assert_eq!(
        expr("'abc'[1], 'abc'[-1], 'abcdef'[1:4], 'abc'[::-1]"),
        "('b', 'c', 'bcd', 'cba')"
    );
    assert_eq!(expr("len('héllo')"), "5");
    let r = run("t = 'users'\nx = f'{t=}'\n");
    assert_eq!(g(&r, "x").as_str(), Some("t='users'"));
}

#[test]
fn containers_and_comprehensions() {
    assert_eq!(expr("[i * 2 for i in range(4) if i % 2]"), "[2, 6]");
    assert_eq!(
        expr("{k: v for k, v in [('a', 1), ('b', 2)]}"),
        "{'a': 1, 'b': 2}"
    );
    assert_eq!(expr("sorted({3, 1, 2})"), "[1, 2, 3]");
    assert_eq!(expr("list(zip('ab', [1, 2]))"), "[('a', 1), ('b', 2)]");
    assert_eq!(expr("list(enumerate(['x'], start=1))"), "[(1, 'x')]");
    assert_eq!(expr("[*[1], *(2, 3)]"), "[1, 2, 3]");
    assert_eq!(expr("{**{'a': 1}, 'b': 2}"), "{'a': 1, 'b': 2}");
    assert_eq!(expr("{'a': 1}['b']"), "raise KeyError: 'b'");
    assert_eq!(expr("[1][3]"), "raise IndexError: list index out of range");
    assert_eq!(
        expr("sorted(['bb', 'a'], key=len, reverse=True)"),
        "['bb', 'a']"
    );
    assert_eq!(
        expr("max([3, 9, 2]), min('b', 'a'), sum([1, 2])"),
        "(9, 'a', 3)"
    );
    assert_eq!(
        expr("isinstance('x', str), isinstance(1, (str, list))"),
        "(True, False)"
    );
    assert_eq!(expr("getattr('x', 'upper')()"), "'X'");
    let r = run(
        "cols = []\nfor i in range(3):\n    cols.append(i)\nd = {}\nd['k'] = cols\nd['k'].append(9)\na, *b = cols\n",
    );
    assert_eq!(strings::py_repr(g(&r, "d")).unwrap(), "{'k': [0, 1, 2, 9]}");
    assert_eq!(strings::py_repr(g(&r, "b")).unwrap(), "[1, 2]");
}

#[test]
fn imports_resolve_to_symbols() {
    let r = run(
        "import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\nfrom alembic import op\nimport os.path\na = sa.Integer\nb = postgresql.JSONB\nc = op.add_column\nd = os.path.join\ne = sa.Column('id', sa.Integer(), primary_key=True)\n",
    );
    assert_eq!(show(g(&r, "a")), "symbol sqlalchemy.Integer");
    assert_eq!(
        show(g(&r, "b")),
        "symbol sqlalchemy.dialects.postgresql.JSONB"
    );
    assert_eq!(show(g(&r, "c")), "symbol alembic.op.add_column");
    assert_eq!(show(g(&r, "d")), "symbol os.path.join");
    let e = g(&r, "e").as_call().unwrap();
    assert_eq!(&*e.symbol().unwrap().path, "sqlalchemy.Column");
    assert_eq!(e.args[0].as_str(), Some("id"));
    assert_eq!(
        &*e.args[1].as_call().unwrap().symbol().unwrap().path,
        "sqlalchemy.Integer"
    );
    assert_eq!(e.kwarg("primary_key").and_then(Value::as_bool), Some(true));
}

#[test]
fn name_error_is_reported() {
    let r = run("x = undefined_name\n");
    assert_eq!(
        r.error.as_deref(),
        Some("NameError: name 'undefined_name' is not defined")
    );
}

#[test]
fn functions_defaults_varargs_kwargs_closures() {
    let r = run(r#"
PREFIX = "ix"
def name(table, *cols, sep="_", **kw):
    return sep.join([PREFIX, table, *cols]) + kw.get("suffix", "")
def outer(x):
    def inner(y):
        return x + y
    return inner
def early(n):
    for i in range(10):
        if i == n:
            return i * 10
    return -1
def kwonly(a, *, b=2):
    return a + b
a = name("users", "email", "id")
b = name("t", sep="-", suffix="!")
c = outer(1)(2)
d = early(3)
e = kwonly(1, b=5)
f = (lambda q, r=2: q * r)(4)
"#);
    assert_eq!(g(&r, "a").as_str(), Some("ix_users_email_id"));
    assert_eq!(g(&r, "b").as_str(), Some("ix-t!"));
    assert_eq!(g(&r, "c").as_int(), Some(3));
    assert_eq!(g(&r, "d").as_int(), Some(30));
    assert_eq!(g(&r, "e").as_int(), Some(6));
    assert_eq!(g(&r, "f").as_int(), Some(8));
}

#[test]
fn wrong_arity_raises_type_error() {
    let r = run("def f(a):\n    return a\nx = f()\n");
    assert_eq!(
        r.error.as_deref(),
        Some("TypeError: f() missing 1 required positional argument: 'a'")
    );
    let r = run("def f(a):\n    return a\nx = f(1, 2)\n");
    assert!(
        r.error
            .unwrap()
            .contains("takes 1 positional arguments but 2 were given")
    );
}

#[test]
fn recursion_is_bounded() {
    let r = run("def f(n):\n    return f(n + 1)\nx = f(0)\n");
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(show(g(&r, "x")).contains("call depth limit"));
    let r = run("def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nx = fact(10)\n");
    assert_eq!(g(&r, "x").as_int(), Some(3628800));
}

#[test]
fn infinite_loop_hits_the_budget_not_a_hang() {
    let cfg = EvalConfig {
        step_budget: 10_000,
        ..EvalConfig::default()
    };
    let r = run_with(
        "def upgrade():\n    i = 0\n    while True:\n        i += 1\n",
        &cfg,
    );
    let e = r.error.unwrap();
    assert!(e.starts_with("budget at m.py:3:5"), "{e}");
}

#[test]
fn classes_on_library_call_bases_linearise() {
    // `declarative_base()` stays a symbolic call; the MRO merge used to
    // loop forever on such a base (its value was never "the same" as itself).
    let r = run(concat!(
        "import sqlalchemy as sa\n",
        "from sqlalchemy.orm import declarative_base\n",
        "Base = declarative_base()\n",
        "class A(Base):\n",
        "    __tablename__ = 'a'\n",
        "    id = sa.Column(sa.Integer, primary_key=True)\n",
        "class B(A):\n",
        "    pass\n",
        "class C(Base, 'odd'):\n",
        "    pass\n",
        "x = B.__tablename__\n",
        "class P:\n",
        "    v = 1\n",
        "class Q(P):\n",
        "    v = 2\n",
        "class R(Q):\n",
        "    pass\n",
        "class S(P):\n",
        "    v = 3\n",
        "class T(R, S):\n",
        "    pass\n",
        "class Q2(P):\n",
        "    pass\n",
        "class T2(Q2, S):\n",
        "    pass\n",
        "y = R.v, T.v, T2.v\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(g(&r, "x").as_str(), Some("a"), "{}", show(g(&r, "x")));
    // A base's own class comes before what it inherits (C3, as Python).
    assert_eq!(
        strings::py_repr(g(&r, "y")).ok().as_deref(),
        Some("(2, 2, 3)")
    );
}

#[test]
fn class_decorators_apply_as_in_python() {
    let r = run(concat!(
        "import dataclasses\n",
        "from somelib import record\n",
        "def mark(cls):\n",
        "    cls.marked = True\n",
        "    return cls\n",
        "@mark\n",
        "@dataclasses.dataclass(frozen=True)\n",
        "class P:\n",
        "    'A point.'\n",
        "    x: int\n",
        "    y: int = 0\n",
        "@record(kw_only=False)\n",
        "class R:\n",
        "    other: list\n",
        "p = P(1, y=2)\n",
        "a = p.x, p.y, P(5).y, P.marked, P.__doc__, P.__module__\n",
        "b = R(other=[])\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(
        strings::py_repr(g(&r, "a")).ok().as_deref(),
        Some("(1, 2, 0, True, 'A point.', 'm')")
    );
    // A library decorator's result is not known; calling it is no error.
    assert!(show(g(&r, "b")).contains("unknown"), "{}", show(g(&r, "b")));
    let r = run("class Q:\n    pass\nx = Q.__doc__\n");
    assert!(matches!(g(&r, "x"), Value::None));
    assert_eq!(
        run("import dataclasses\n@dataclasses.dataclass\nclass P:\n    x: int\np = P(1, 2)\n")
            .error
            .as_deref(),
        Some("TypeError: P.__init__() takes 2 positional arguments but 3 were given")
    );
}

#[test]
fn generic_alias_bases_stand_for_their_origin() {
    // prefect: `class UUID(TypeDecorator[uuid.UUID])`; dagster:
    // `class Static(PartitionsDefinition[str])`.
    let r = run(concat!(
        "import uuid\n",
        "from typing import Generic, TypeVar\n",
        "from sqlalchemy.types import TypeDecorator\n",
        "T = TypeVar('T')\n",
        "class Base(Generic[T]):\n",
        "    kind = 'base'\n",
        "class Static(Base[str]):\n",
        "    pass\n",
        "class UUID(TypeDecorator[uuid.UUID]):\n",
        "    impl = None\n",
        "x = Static.kind\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(g(&r, "x").as_str(), Some("base"));
    match g(&r, "UUID").object::<Obj>() {
        Some(Obj::Class(c)) => assert_eq!(c.kind, ClassKind::TypeDecorator),
        _ => panic!("UUID is not a class"),
    }
}

#[test]
fn a_return_in_skipped_code_makes_the_result_unknown() {
    // dagster's `public` decorator: `if inspect.isclass(obj): return obj`.
    let r = run(concat!(
        "import inspect\n",
        "def public(obj):\n",
        "    if inspect.isclass(obj):\n",
        "        return obj\n",
        "    else:\n",
        "        return obj\n",
        "def plain():\n",
        "    return 1\n",
        "x = public(3)\n",
        "y = plain()\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(
        show(g(&r, "x")).contains("may have returned in code that was not run"),
        "{}",
        show(g(&r, "x"))
    );
    assert_eq!(g(&r, "y").as_int(), Some(1));
}

#[test]
fn joining_library_results_is_unknown_not_a_type_error() {
    // mlflow: `"|".join(re.escape(p) for p in NAMES)` at import time.
    let r = run(
        "import re\nx = '|'.join(re.escape(p) for p in ['a', 'b'])\ny = ','.join(re.split(',', 'a,b'))\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(show(g(&r, "x")).contains("unknown"), "{}", show(g(&r, "x")));
    assert!(show(g(&r, "y")).contains("unknown"), "{}", show(g(&r, "y")));
    assert_eq!(
        expr("','.join([1])"),
        "raise TypeError: sequence item 0: expected str instance, int found"
    );
}

#[test]
fn a_loop_that_may_break_in_skipped_code_stops() {
    // prefect: `while True: result = conn.execute(...); if result.rowcount <= 0: break`
    let cfg = EvalConfig {
        step_budget: 100_000,
        ..EvalConfig::default()
    };
    let r = run_with(
        concat!(
            "from alembic import op\n",
            "import settings\n",
            "def upgrade():\n",
            "    n = 0\n",
            "    while True:\n",
            "        op.execute('UPDATE t SET x = 1')\n",
            "        n += 1\n",
            "        if settings.DONE:\n",
            "            break\n",
            "    op.create_index('ix', 't', ['x'])\n",
        ),
        &cfg,
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(
        r.host.ops,
        vec!["execute(UPDATE t SET x = 1)", "create_index(ix)"]
    );
    assert!(
        r.host
            .opaque
            .iter()
            .any(|o| o.reason.contains("the loop may have ended at a `break`")),
        "{:?}",
        r.host.opaque
    );
}

#[test]
fn str_methods_on_library_values_are_unknown() {
    // prefect: `name.startswith(parent_logger.name + ".")`
    let r = run("import logging\nx = 'a.b'.startswith(logging.getLogger('a').name + '.')\n");
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(show(g(&r, "x")).contains("unknown"), "{}", show(g(&r, "x")));
    assert_eq!(
        expr("'a'.startswith(1)"),
        "raise TypeError: startswith first arg must be str or a tuple of str"
    );
}

#[test]
fn library_calls_named_like_mutators_change_nothing() {
    // prefect: `connection.execute(sa.update(T)...)` in a loop that is not
    // run must not make `sa` unknown.
    let r = run(concat!(
        "import sqlalchemy as sa\n",
        "import settings\n",
        "cols = []\n",
        "for row in settings.ROWS:\n",
        "    sa.update(row)\n",
        "    cols.append(row)\n",
        "x = sa.VARCHAR()\n",
        "y = cols\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(show(g(&r, "x")), "call sqlalchemy.VARCHAR(...)");
    assert!(show(g(&r, "y")).contains("unknown"), "{}", show(g(&r, "y")));
}

#[test]
fn sql_function_classes_passed_to_library_calls_stay_classes() {
    // prefect: `@compiles(date_diff, "postgresql")` on a GenericFunction
    // subclass whose `__init__` takes arguments.
    let r = run(concat!(
        "from sqlalchemy.sql import functions\n",
        "from sqlalchemy.ext.compiler import compiles\n",
        "class date_diff(functions.GenericFunction[float]):\n",
        "    inherit_cache = True\n",
        "    def __init__(self, d1, d2, **kwargs):\n",
        "        super().__init__(d1, d2, **kwargs)\n",
        "@compiles(date_diff, 'postgresql')\n",
        "def render(element, compiler, **kw):\n",
        "    return 'x'\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
}

#[test]
fn a_raise_after_a_possible_return_is_not_certain() {
    // mlflow 0584bdc529eb: `for c in reflected.foreign_key_constraints:
    // if ...: return c.name` then `raise MlflowException(...)`.
    let r = run(concat!(
        "import settings\n",
        "def fk_name():\n",
        "    for c in settings.CONSTRAINTS:\n",
        "        if c.ok:\n",
        "            return c.name\n",
        "    raise ValueError('not found')\n",
        "x = fk_name()\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(
        show(g(&r, "x")).contains("may have returned"),
        "{}",
        show(g(&r, "x"))
    );
}

#[test]
fn model_columns_are_instrumented_attributes() {
    // mlflow: `sa.ForeignKey(column=SqlTraceInfo.request_id)`.
    let r = run(concat!(
        "import sqlalchemy as sa\n",
        "from sqlalchemy.orm import declarative_base\n",
        "Base = declarative_base()\n",
        "class TraceInfo(Base):\n",
        "    __tablename__ = 'trace_info'\n",
        "    request_id = sa.Column(sa.String(50), nullable=False)\n",
        "    ts = sa.Column('timestamp_ms', sa.BigInteger)\n",
        "class Plain:\n",
        "    col = sa.Column(sa.Integer)\n",
        "a = TraceInfo.request_id\n",
        "b = TraceInfo.ts\n",
        "c = Plain.col\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    let attr = |v: &Value| match v {
        Value::Call(c) => (
            describe_call(c),
            c.args.first().and_then(|x| x.as_str()).map(str::to_string),
            c.args.get(1).and_then(|x| x.as_str()).map(str::to_string),
        ),
        other => (show(other), None, None),
    };
    assert_eq!(
        attr(g(&r, "a")),
        (
            "sqlalchemy.orm.attributes.InstrumentedAttribute(...)".into(),
            Some("trace_info".into()),
            Some("request_id".into())
        )
    );
    assert_eq!(attr(g(&r, "b")).2.as_deref(), Some("timestamp_ms"));
    assert_eq!(show(g(&r, "c")), "call sqlalchemy.Column(...)");
}

#[test]
fn declarative_base_metadata_comes_from_its_registry() {
    // prefect: `class Base(DeclarativeBase): registry = registry(metadata=MetaData(naming_convention=...))`
    let r = run(concat!(
        "import sqlalchemy as sa\n",
        "from sqlalchemy.orm import DeclarativeBase, registry\n",
        "class Base(DeclarativeBase):\n",
        "    registry = registry(metadata=sa.MetaData(naming_convention={'pk': 'pk_%(table_name)s'}))\n",
        "class Plain(DeclarativeBase):\n",
        "    pass\n",
        "x = Base.metadata\n",
        "y = Plain.metadata\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(show(g(&r, "x")), "call sqlalchemy.MetaData(...)");
    assert_eq!(
        show(g(&r, "y")),
        "symbol sqlalchemy.orm.DeclarativeBase.metadata"
    );
}

#[test]
fn known_if_takes_pythons_branch() {
    let r = run(r#"
from alembic import op
def upgrade():
    dialect = "postgresql"
    if dialect == "sqlite":
        op.drop_table("a")
    elif dialect == "postgresql":
        op.drop_table("b")
    else:
        op.drop_table("c")
"#);
    assert_eq!(r.host.ops, vec!["drop_table(b)"]);
    assert!(r.host.opaque.is_empty());
}

#[test]
fn unknown_if_is_one_opaque_step_counting_hidden_ops() {
    let r = run(r#"
from alembic import op
from app.settings import settings
def helper():
    op.create_index("i", "t", ["c"])
    op.create_index("j", "t", ["c"])
def upgrade():
    flag = 1
    if settings.use_postgres:
        op.drop_table("a")
        helper()
        flag = 2
    else:
        with op.batch_alter_table("t") as b:
            b.drop_column("c")
    op.drop_table("z")
"#);
    assert_eq!(r.host.ops, vec!["drop_table(z)"]);
    assert_eq!(r.host.opaque.len(), 1);
    let step = &r.host.opaque[0];
    assert_eq!(step.hidden_ops, 4);
    assert_eq!(step.loc.line_col(), (9, 5));
    assert!(
        step.reason.contains("settings.use_postgres"),
        "{}",
        step.reason
    );
    assert!(
        step.reason.contains("app.settings.settings.use_postgres"),
        "{}",
        step.reason
    );
}

#[test]
fn names_changed_in_skipped_code_become_unknown() {
    let r = run(r#"
import os
cols = ["a"]
n = 1
if os.environ.get("X"):
    cols.append("b")
    n = 2
m = n
"#);
    assert!(g(&r, "m").is_unknown());
    assert!(g(&r, "cols").is_unknown());
}

#[test]
fn pins_replace_unknown_values() {
    let mut cfg = EvalConfig::default();
    cfg.assumptions
        .insert("settings.use_postgres", Value::Bool(true));
    cfg.assumptions
        .insert("os.environ['SCHEMA']", Value::str("app"));
    let r = run_with(
        r#"
import os
from alembic import op
from app.settings import settings
def upgrade():
    if settings.use_postgres:
        op.drop_table(os.environ[ "SCHEMA" ] + ".t")
"#,
        &cfg,
    );
    assert_eq!(r.host.ops, vec!["drop_table(app.t)"]);
    assert!(r.host.opaque.is_empty());
}

#[test]
fn loops_over_known_and_unknown_sequences() {
    let r = run(r#"
from alembic import op
import os
def upgrade():
    for t in ["a", "b"]:
        if t == "b":
            continue
        op.drop_table(t)
    else:
        op.drop_table("done")
    for t in os.listdir("x"):
        op.drop_table(t)
    i = 0
    while i < 3:
        i += 1
        if i == 2:
            break
    op.drop_table(str(i))
"#);
    assert_eq!(
        r.host.ops,
        vec!["drop_table(a)", "drop_table(done)", "drop_table(2)"]
    );
    assert_eq!(r.host.opaque.len(), 1);
    assert_eq!(r.host.opaque[0].hidden_ops, 1);
}

#[test]
fn try_except_runs_handlers_only_for_decided_exceptions() {
    let r = run(r#"
from alembic import op
def upgrade():
    try:
        x = {"a": 1}["b"]
        op.drop_table("never")
    except KeyError as e:
        op.drop_table("caught")
    else:
        op.drop_table("else")
    finally:
        op.drop_table("finally")
    try:
        op.drop_table("ok")
    except Exception:
        op.drop_table("not run")
    else:
        op.drop_table("else2")
    try:
        raise ValueError("boom")
    except (KeyError, ValueError):
        op.drop_table("tuple")
"#);
    assert_eq!(
        r.host.ops,
        vec![
            "drop_table(caught)",
            "drop_table(finally)",
            "drop_table(ok)",
            "drop_table(else2)",
            "drop_table(tuple)"
        ]
    );
    assert!(r.error.is_none());
}

#[test]
fn uncaught_raise_ends_the_migration() {
    let r = run(
        "from alembic import op\ndef upgrade():\n    op.drop_table('a')\n    raise NotImplementedError('no way back')\n    op.drop_table('b')\n",
    );
    assert_eq!(r.host.ops, vec!["drop_table(a)"]);
    assert_eq!(r.error.as_deref(), Some("NotImplementedError: no way back"));
    let r = run(
        "class MyError(Exception):\n    pass\ndef upgrade():\n    try:\n        raise MyError('x')\n    except MyError:\n        pass\n    raise MyError('y')\n",
    );
    assert_eq!(r.error.as_deref(), Some("MyError: y"));
}

#[test]
fn classes_methods_properties_and_super() {
    let r = run(r#"
class Base:
    kind = "base"
    def __init__(self, name):
        self.name = name
    def label(self):
        return self.kind + ":" + self.name
    @property
    def upper(self):
        return self.name.upper()
    @staticmethod
    def s(x):
        return x * 2
    @classmethod
    def c(cls):
        return cls.kind
class Child(Base):
    kind = "child"
    def __init__(self, name):
        super().__init__(name + "!")
a = Child("x").label()
b = Child("y").upper
c = Base.s(3)
d = Child.c()
e = isinstance(Child("z"), Base)
"#);
    assert_eq!(g(&r, "a").as_str(), Some("child:x!"));
    assert_eq!(g(&r, "b").as_str(), Some("Y!"));
    assert_eq!(g(&r, "c").as_int(), Some(6));
    assert_eq!(g(&r, "d").as_str(), Some("child"));
    assert_eq!(g(&r, "e").as_bool(), Some(true));
}

#[test]
fn enum_classes_expose_members_in_order() {
    let r = run(r#"
import enum
class Status(str, enum.Enum):
    active = "active"
    disabled = "off"
    alias = "active"
class Level(enum.IntEnum):
    low = enum.auto()
    high = enum.auto()
names = [s.name for s in Status]
values = [s.value for s in Status]
eq = Status.active == "active"
lvl = Level.high.value
by_value = Status("off").name
by_name = Status["disabled"].value
"#);
    let info = crate::python::types::enum_class(g(&r, "Status")).unwrap();
    assert_eq!(info.name, "Status");
    let members: Vec<(String, String)> = info
        .members
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        members,
        vec![
            ("active".into(), "active".into()),
            ("disabled".into(), "off".into())
        ]
    );
    assert_eq!(
        strings::py_repr(g(&r, "names")).unwrap(),
        "['active', 'disabled']"
    );
    assert_eq!(
        strings::py_repr(g(&r, "values")).unwrap(),
        "['active', 'off']"
    );
    assert_eq!(g(&r, "eq").as_bool(), Some(true));
    assert_eq!(g(&r, "lvl").as_int(), Some(2));
    assert_eq!(g(&r, "by_value").as_str(), Some("disabled"));
    assert_eq!(g(&r, "by_name").as_str(), Some("off"));
}

#[test]
fn type_decorator_with_load_dialect_impl() {
    let r = run(r#"
import uuid
from sqlalchemy.types import TypeDecorator, CHAR
from sqlalchemy.dialects.postgresql import UUID
import sqlalchemy as sa
class GUID(TypeDecorator):
    impl = CHAR
    cache_ok = True
    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(UUID())
        else:
            return dialect.type_descriptor(CHAR(32))
class Text50(TypeDecorator):
    impl = sa.String
class Json(TypeDecorator):
    impl = sa.dialects.postgresql.JSONB(astext_type=sa.Text())
col = sa.Column("id", GUID(), primary_key=True)
bare = sa.Column("id2", GUID)
t50 = Text50(50)
js = Json()
"#);
    let col = g(&r, "col").as_call().unwrap();
    let ty = col.args[1].as_call().unwrap();
    assert_eq!(
        &*ty.symbol().unwrap().path,
        "sqlalchemy.dialects.postgresql.UUID"
    );
    let bare = g(&r, "bare").as_call().unwrap();
    assert_eq!(
        &*bare.args[1].as_call().unwrap().symbol().unwrap().path,
        "sqlalchemy.dialects.postgresql.UUID"
    );
    let t50 = g(&r, "t50").as_call().unwrap();
    assert_eq!(&*t50.symbol().unwrap().path, "sqlalchemy.String");
    assert_eq!(t50.args[0].as_int(), Some(50));
    let js = g(&r, "js").as_call().unwrap();
    assert_eq!(
        &*js.symbol().unwrap().path,
        "sqlalchemy.dialects.postgresql.JSONB"
    );
}

#[test]
fn type_decorator_init_passes_args_through_super() {
    let r = run(r#"
import sqlalchemy as sa
class Trimmed(sa.types.TypeDecorator):
    impl = sa.String
    def __init__(self, length=None, **kw):
        self.extra = kw
        super().__init__(length=length or 255)
a = Trimmed()
b = Trimmed(20)
class MyString(sa.String):
    pass
c = MyString(10, collation="C")
"#);
    let a = g(&r, "a").as_call().unwrap();
    assert_eq!(&*a.symbol().unwrap().path, "sqlalchemy.String");
    assert_eq!(a.kwarg("length").and_then(Value::as_int), Some(255));
    assert_eq!(
        g(&r, "b")
            .as_call()
            .unwrap()
            .kwarg("length")
            .and_then(Value::as_int),
        Some(20)
    );
    let c = g(&r, "c").as_call().unwrap();
    assert_eq!(&*c.symbol().unwrap().path, "sqlalchemy.String");
    assert_eq!(c.args[0].as_int(), Some(10));
    assert_eq!(c.kwarg("collation").and_then(Value::as_str), Some("C"));
}

#[test]
fn user_defined_type_gives_raw_type() {
    let r = run(r#"
from sqlalchemy.types import UserDefinedType
class Vector(UserDefinedType):
    def __init__(self, dim):
        self.dim = dim
    def get_col_spec(self, **kw):
        return "VECTOR(%d)" % self.dim
class Opaque(UserDefinedType):
    def get_col_spec(self, **kw):
        return compute()
v = Vector(3)
o = Opaque()
"#);
    assert_eq!(
        crate::python::types::raw_type_spec(g(&r, "v")).map(|s| &*s.value),
        Some("VECTOR(3)")
    );
    assert!(g(&r, "o").is_unknown());
}

#[test]
fn text_maps_point_into_the_file() {
    let src = "x = \"\"\"\n  CREATE TABLE t (a int)\n\"\"\"\ny = 'a\\nb'\nz = 'ab' \"cd\"\nw = f'DROP {x[3:9]} IF'\n";
    let r = run(src);
    let Value::Str(x) = g(&r, "x") else { panic!() };
    let map = x.text_map.as_ref().unwrap();
    let off = x.value.find("CREATE").unwrap() as u32;
    assert_eq!(&src[map.map(off).unwrap() as usize..][..6], "CREATE");
    let Value::Str(y) = g(&r, "y") else { panic!() };
    assert!(y.text_map.is_none(), "escapes make the cooked text differ");
    let Value::Str(z) = g(&r, "z") else { panic!() };
    let zm = z.text_map.as_ref().unwrap();
    assert_eq!(&src[zm.map(2).unwrap() as usize..][..2], "cd");
    let Value::Str(w) = g(&r, "w") else { panic!() };
    let wm = w.text_map.as_ref().unwrap();
    assert_eq!(&src[wm.map(0).unwrap() as usize..][..4], "DROP");
    assert_eq!(&src[wm.map(5).unwrap() as usize..][..6], "CREATE");
}

#[test]
fn symbolic_operators_for_sqlalchemy_expressions() {
    let r = run(r#"
import sqlalchemy as sa
t = sa.table("users", sa.column("id"), sa.column("name"))
stmt = t.update().where(t.c.id == 5).values(name="x")
cond = t.c.name != None
"#);
    let stmt = g(&r, "stmt").as_call().unwrap();
    let crate::python::value::Callee::Method { name, receiver } = &stmt.callee else {
        panic!()
    };
    assert_eq!(name, "values");
    let where_ = receiver.as_call().unwrap();
    let eq = where_.args[0].as_call().unwrap();
    assert_eq!(&*eq.symbol().unwrap().path, "operator.eq");
    let lhs = eq.args[0].as_call().unwrap();
    assert_eq!(&*lhs.symbol().unwrap().path, "builtins.getattr");
    assert_eq!(lhs.args[1].as_str(), Some("id"));
    assert_eq!(
        &*g(&r, "cond").as_call().unwrap().symbol().unwrap().path,
        "operator.ne"
    );
}

#[test]
fn op_f_marks_names_final() {
    let r = run("from alembic import op\nx = op.f('ix_users_email')\n");
    let Value::Str(s) = g(&r, "x") else { panic!() };
    assert!(s.conv);
    assert_eq!(&*s.value, "ix_users_email");
}

#[test]
fn unknown_helper_called_for_effect_is_opaque() {
    let r = run(
        "from alembic import op\nfrom missing_pkg import helper\nimport zz\ndef upgrade():\n    x = undefined_star if False else 1\n    zz.f()\n",
    );
    // Library calls stay symbolic: no opaque step for `zz.f()`.
    assert!(r.host.opaque.is_empty());
    let r = run("from alembic import op\ndef upgrade():\n    h = {}.get('x')\n    h(op)\n");
    assert!(r.error.is_some(), "calling None raises TypeError");
}

#[test]
fn relative_import_in_a_migration_fails_like_alembic() {
    let r = run("from .helpers import x\n");
    assert_eq!(
        r.error.as_deref(),
        Some("ImportError: attempted relative import with no known parent package")
    );
}

#[test]
fn textwrap_dedent_and_json_dumps() {
    assert_eq!(expr("__import__"), "<symbol builtins.__import__>");
    let r = run(
        "import textwrap, json\na = textwrap.dedent('''\n    SELECT 1;\n      SELECT 2;\n''')\nb = json.dumps({'a': [1, None, True], 'b': 'é'})\n",
    );
    assert_eq!(g(&r, "a").as_str(), Some("\nSELECT 1;\n  SELECT 2;\n"));
    assert_eq!(
        g(&r, "b").as_str(),
        Some("{\"a\": [1, null, true], \"b\": \"\\u00e9\"}")
    );
}

#[test]
fn deep_nesting_evaluates_to_unknown_without_overflow() {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let src = format!("x = {}1{}\n", "[".repeat(199), "]".repeat(199));
            let r = run(&src);
            assert!(r.error.is_none());
            let src = format!("x = {}1\n", "-".repeat(2900));
            let r = run(&src);
            show(g(&r, "x"))
        })
        .unwrap();
    let shown = handle.join().unwrap();
    assert!(shown.contains("nested too deeply"), "{shown}");
}

#[test]
fn reassigned_names_keep_the_last_value() {
    let r = run("revision = 'a'\nrevision = 'b'\n");
    assert_eq!(g(&r, "revision").as_str(), Some("b"));
}

fn run_project(files: &[(&str, &str)], migration: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let project = crate::python::ProjectModules::new(vec![dir.path().to_path_buf()]);
    let m = load_python_str("versions/m.py", migration);
    project.preload(&[&m]);
    let cfg = EvalConfig::default();
    let mut host = TestHost::default();
    let (globals, error, diagnostics) = {
        let mut ev = Evaluator::new(&cfg, Some(&project), &mut host);
        let mut error = None;
        let key = match ev.run_main(&m) {
            Ok(k) => Some(k),
            Err(e) => {
                error = Some(describe_abort(&e));
                None
            }
        };
        if let Some(k) = key
            && let Some(up) = ev.global(k, "upgrade").cloned()
        {
            let loc = crate::source::Loc::new(&m.file, crate::source::Span::new(0, 0));
            if let Err(e) = ev.call(&up, Vec::new(), loc) {
                error = Some(describe_abort(&e));
            }
        }
        let globals = key
            .map(|k| {
                ev.globals(k)
                    .map(|(n, v)| (n.to_owned(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let diags = ev
            .take_diagnostics()
            .iter()
            .map(|d| d.to_string())
            .collect();
        (globals, error, diags)
    };
    Run {
        globals,
        host,
        error,
        diagnostics,
    }
}

#[test]
fn helpers_and_types_from_the_project_package() {
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            ("app/db/__init__.py", "from .types import GUID\n"),
            (
                "app/db/types.py",
                "import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\nclass GUID(sa.types.TypeDecorator):\n    impl = sa.CHAR\n    def load_dialect_impl(self, dialect):\n        if dialect.name == 'postgresql':\n            return dialect.type_descriptor(postgresql.UUID(as_uuid=True))\n        return dialect.type_descriptor(sa.CHAR(32))\n",
            ),
            (
                "app/migrations_util.py",
                "from alembic import op\nfrom app.db import GUID\nTS = 'timestamp'\ndef add_audit(table, *, with_id=True):\n    if with_id:\n        op.add_column(table, GUID())\n    op.create_index('ix_' + table + '_' + TS, table, [TS])\n",
            ),
        ],
        "from app.migrations_util import add_audit\nimport app.db.types as types\nfrom app import db\ndef upgrade():\n    add_audit('users')\n    add_audit('posts', with_id=False)\n    x = types.GUID()\n    y = db.GUID\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(
        r.host.ops,
        vec![
            "add_column(users)",
            "create_index(ix_users_timestamp)",
            "create_index(ix_posts_timestamp)"
        ]
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn import_cycle_between_helpers_gives_a_diagnostic() {
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            ("app/a.py", "from app.b import y\nx = 1\n"),
            ("app/b.py", "from app.a import x\ny = 2\n"),
        ],
        "from app.a import x\n",
    );
    assert_eq!(
        r.error.as_deref(),
        Some(
            "ImportError: cannot import name 'x' from partially initialized module 'app.a' (most likely due to a circular import)"
        )
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.contains("circular import: `app.a` -> `app.b` -> `app.a`")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn benign_import_cycle_works_as_in_python() {
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            (
                "app/a.py",
                "import app.b\nX = 1\ndef get():\n    return app.b.Y\n",
            ),
            (
                "app/b.py",
                "import app.a\nY = 2\ndef get():\n    return app.a.X\n",
            ),
        ],
        "import app.a\nimport app.b\nx = app.a.get() + app.b.get()\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(g(&r, "x").as_int(), Some(3));
}

#[test]
fn importing_a_submodule_runs_its_parent_packages_first() {
    // As in optuna: `from app.trial import State` first runs
    // `app/__init__.py`, which imports the modules in an order that works;
    // running `app/trial/__init__.py` first would meet the cycle
    // (`app.trial` -> `app.trial._fixed` -> `app` -> `app.samplers` ->
    // `app.trial`) before `State` is defined.
    let r = run_project(
        &[
            (
                "app/__init__.py",
                "from app import samplers\nfrom app.trial import State\nLOADED = True\n",
            ),
            (
                "app/trial/__init__.py",
                "from app.trial._fixed import Fixed\nfrom app.trial._state import State\n",
            ),
            (
                "app/trial/_fixed.py",
                "import app\nclass Fixed:\n    pass\n",
            ),
            ("app/trial/_state.py", "class State:\n    DONE = 'done'\n"),
            (
                "app/samplers.py",
                "from app.trial import State\nDEFAULT = State.DONE\n",
            ),
        ],
        "from app.trial import State\nimport app.samplers\nx = State.DONE\ny = app.LOADED\nz = app.trial.State.DONE + app.samplers.DEFAULT\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(g(&r, "x").as_str(), Some("done"));
    assert_eq!(g(&r, "y").as_bool(), Some(true));
    assert_eq!(g(&r, "z").as_str(), Some("donedone"));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn module_dunders_and_module_getattr() {
    let r = run_project(
        &[
            (
                "app/__init__.py",
                "import sys\nsys.path.insert(0, __path__[0])\nAPI = {'x': (__spec__.parent, '.main')}\nPKG = __package__\n",
            ),
            (
                "app/settings.py",
                "def __getattr__(name):\n    return name\nKNOWN = 1\n",
            ),
        ],
        "import app\nfrom app.settings import LEGACY, KNOWN\nx = app.PKG\ny = LEGACY\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(g(&r, "x").as_str(), Some("app"));
    assert!(
        show(g(&r, "y")).contains("__getattr__"),
        "{}",
        show(g(&r, "y"))
    );
}

#[test]
fn a_module_that_failed_to_import_runs_again() {
    // Python drops a module that raised from `sys.modules`: the second
    // import meets the real error again instead of a half-made module.
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            (
                "app/tools.py",
                "X = 1\nraise ValueError('boom')\ndef helper():\n    pass\n",
            ),
        ],
        "try:\n    import app.tools\nexcept ValueError:\n    pass\nfrom app.tools import helper\n",
    );
    assert_eq!(r.error.as_deref(), Some("ValueError: boom"));
}

#[test]
fn missing_project_module_gives_unknown_values() {
    let r = run_project(
        &[("app/__init__.py", "")],
        "from app.gone import helper\nimport sqlalchemy\nx = helper\n",
    );
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(
        show(g(&r, "x")).contains("module `app.gone` is not in the project"),
        "{}",
        show(g(&r, "x"))
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert!(r.diagnostics[0].contains("warning[python::missing-module]"));
    // A name that is neither defined in the package nor a submodule is
    // Python's ImportError.
    let r = run_project(&[("app/__init__.py", "")], "from app import gone2\n");
    assert_eq!(
        r.error.as_deref(),
        Some("ImportError: cannot import name 'gone2' from 'app'")
    );
}

#[test]
fn helper_with_a_syntax_error_fails_the_import() {
    let r = run_project(
        &[("app/__init__.py", ""), ("app/h.py", "def f(:\n")],
        "import app.h\n",
    );
    assert!(
        r.error.as_deref().unwrap_or("").starts_with("SyntaxError"),
        "{:?}",
        r.error
    );
    assert!(
        r.diagnostics.iter().any(|d| d.starts_with("app/h.py:1:")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn star_imports_from_project_and_library() {
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            ("app/c.py", "__all__ = ['A']\nA = 1\nB = 2\n"),
        ],
        "from app.c import *\nfrom sqlalchemy import *\nx = A\ny = Integer\n",
    );
    assert_eq!(g(&r, "x").as_int(), Some(1));
    assert_eq!(show(g(&r, "y")), "symbol sqlalchemy.Integer");
    assert!(!r.globals.contains_key("B"));
}

#[test]
fn global_del_assert_walrus_and_dunders() {
    let r = run(r#"
count = 0
def bump():
    global count
    count += 1
bump()
bump()
tmp = 1
del tmp
assert count == 2, "asserts run, as in Python"
if (n := len("abc")) > 2:
    big = n
name = __name__
doc = __doc__
"#);
    assert_eq!(g(&r, "count").as_int(), Some(2));
    assert!(!r.globals.contains_key("tmp"));
    assert_eq!(g(&r, "big").as_int(), Some(3));
    assert_eq!(g(&r, "name").as_str(), Some("m"));
    assert!(g(&r, "doc").is_none());
}

#[test]
fn getattr_hasattr_and_dict_methods() {
    assert_eq!(expr("getattr({}, 'nope', 'dflt')"), "'dflt'");
    assert_eq!(
        expr("hasattr('x', 'upper'), hasattr('x', 'nope')"),
        "(True, False)"
    );
    assert_eq!(
        expr("{'a': 1}.get('b', 2), list({'a': 1}.items())"),
        "(2, [('a', 1)])"
    );
    let r = run("d = {'a': 1}\nd.update(b=2)\nv = d.setdefault('c', 3)\np = d.pop('a')\n");
    assert_eq!(strings::py_repr(g(&r, "d")).unwrap(), "{'b': 2, 'c': 3}");
    assert_eq!(g(&r, "p").as_int(), Some(1));
    assert_eq!(expr("{1, 2} | {3}, {1, 2} & {2}"), "({1, 2, 3}, {2})");
    assert_eq!(expr("'{:>{w}}'.format('x', w=3)"), "'  x'");
}

#[test]
fn with_on_unknown_runs_the_body_with_unknown_target() {
    let r = run(
        "import contextlib\nfrom alembic import op\ndef upgrade():\n    with contextlib.suppress(Exception) as s:\n        op.drop_table('a')\n",
    );
    assert_eq!(r.host.ops, vec!["drop_table(a)"]);
}

#[test]
fn isinstance_with_project_classes() {
    let r = run(
        "class A:\n    pass\nclass B(A):\n    pass\nx = isinstance(B(), A), isinstance(A(), B), isinstance(1, A)\n",
    );
    assert_eq!(
        strings::py_repr(g(&r, "x")).unwrap(),
        "(True, False, False)"
    );
}

#[test]
fn unknown_calls_inside_project_helpers_are_opaque_but_imports_are_not() {
    let r = run_project(
        &[
            ("app/__init__.py", ""),
            (
                "app/h.py",
                "import os\nfrom app.gone import setup\nif os.environ.get('X'):\n    MODE = 1\ndef helper(op):\n    setup()\n    if os.environ.get('Y'):\n        op.drop_table('t')\n",
            ),
        ],
        "from alembic import op\nfrom app.h import helper\ndef upgrade():\n    helper(op)\n",
    );
    // The helper's module-level `if` is not a migration step; the call to
    // the unknown `setup()` and the `if` inside the helper are.
    let lines: Vec<(u32, u32)> = r
        .host
        .opaque
        .iter()
        .map(|s| (s.loc.line_col().0, s.hidden_ops))
        .collect();
    assert_eq!(lines, vec![(6, 1), (7, 1)], "{:?}", r.host.opaque);
    assert!(r.host.opaque.iter().all(|s| s.loc.file.name == "app/h.py"));
}

#[test]
fn evaluate_module_reads_definitions_only() {
    let m = load_python_str(
        "models.py",
        "import sqlalchemy as sa\nNAME = 'users'\ncol = sa.Column('id', sa.Integer)\ndef f():\n    raise ValueError('not called')\n",
    );
    let (globals, diags) = evaluate_module(&m, &EvalConfig::default(), None);
    assert!(diags.is_empty());
    assert_eq!(globals["NAME"].as_str(), Some("users"));
    assert!(globals["col"].as_call().is_some());
    let m = load_python_str("bad.py", "raise RuntimeError('boom')\n");
    let (_, diags) = evaluate_module(&m, &EvalConfig::default(), None);
    assert_eq!(
        diags[0].to_string(),
        "bad.py:1:1: error[python::module]: importing the module raises RuntimeError: boom"
    );
}

#[test]
fn conversions_and_more_builtins() {
    assert_eq!(
        expr("int('42'), float('1.5'), str(3), bool(''), repr(None)"),
        "(42, 1.5, '3', False, 'None')"
    );
    assert_eq!(
        expr("int('x')"),
        "raise ValueError: invalid literal for int() with base 10: 'x'"
    );
    assert_eq!(
        expr("list(reversed([1, 2])), tuple('ab'), any([0, 1]), all([])"),
        "([2, 1], ('a', 'b'), True, True)"
    );
    assert_eq!(
        expr("list(map(lambda s: s.upper(), ['a'])), list(filter(None, [0, 2]))"),
        "(['A'], [2])"
    );
    assert!(expr("range(10 ** 9)").contains("too large"));
    assert_eq!(
        expr("round(2.5), round(3.5), abs(-2), hex(255)"),
        "(2, 4, 2, '0xff')"
    );
}

#[test]
fn assert_runs_its_test_and_binds_walrus_targets() {
    // phoenix's config: `assert (lower := value.lower()) in (...)`, then
    // `lower` is used; skipping the assert left it unbound (NameError).
    let r = run(concat!(
        "def f(value):\n",
        "    assert (lower := value.lower()) in ('true', 'false'), 'bad'\n",
        "    return lower == 'true'\n",
        "a = f('TRUE')\n",
    ));
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(strings::py_repr(g(&r, "a")).ok().as_deref(), Some("True"));
    let r = run("assert 1 == 2, 'one is not ' + 'two'\n");
    let e = r.error.expect("a false assert raises");
    assert!(e.contains("AssertionError: one is not two"), "{e}");
    // An unknown test goes on, as the branch Python would most likely take.
    let r = run("import os\nassert os.environ['X']\nb = 1\n");
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(strings::py_repr(g(&r, "b")).ok().as_deref(), Some("1"));
}
