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
    assert_eq!(
        expr("9223372036854775807 + 1").starts_with("<unknown"),
        true
    );
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
