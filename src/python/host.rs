//! What the evaluator asks of its host: the Alembic side that owns `op`,
//! the database connection and the schema. The evaluator knows Python; the
//! host knows what `op.add_column`, `bind.execute` or `inspector.has_table`
//! mean. Module-level evaluation of helper files uses [`NullHost`], which
//! keeps every library call symbolic.

use crate::alembic::sink::OpaqueStep;
use crate::python::value::{Call, HostObject, Value};
use crate::report::Diagnostic;
use crate::source::Loc;

/// A Python exception the evaluator can decide was raised: `raise` reached,
/// a `KeyError` on a known dict, SQLAlchemy's `NoSuchTableError` from the
/// inspector, a lowering that SQLAlchemy itself would reject.
#[derive(Debug, Clone)]
pub struct PyException {
    /// The exception class: a `Symbol` (`builtins.KeyError`,
    /// `sqlalchemy.exc.NoSuchTableError`) or a project class object.
    pub class: Value,
    /// The exception object (what `except E as e` binds).
    pub value: Value,
    /// `str(exc)`, when known.
    pub message: Option<String>,
    /// Where it was raised.
    pub loc: Loc,
}

impl PyException {
    pub fn builtin(class: &str, message: impl Into<String>, loc: Loc) -> Self {
        let message = message.into();
        let class = Value::Symbol(crate::python::value::Symbol::new(format!(
            "builtins.{class}"
        )));
        PyException {
            value: class.clone(),
            class,
            message: Some(message),
            loc,
        }
    }

    pub fn library(path: &str, message: impl Into<String>, loc: Loc) -> Self {
        let class = Value::Symbol(crate::python::value::Symbol::new(path));
        PyException {
            value: class.clone(),
            class,
            message: Some(message.into()),
            loc,
        }
    }

    /// `KeyError: 'x'` as Python prints it.
    pub fn describe(&self) -> String {
        let class = match &self.class {
            Value::Symbol(s) => s.name().to_owned(),
            Value::Object(o) => crate::python::eval::Obj::class_name_of(o.as_any())
                .unwrap_or_else(|| o.type_name().to_owned()),
            other => other.type_name().to_owned(),
        };
        match &self.message {
            Some(m) if !m.is_empty() => format!("{class}: {m}"),
            _ => class,
        }
    }
}

/// Why evaluation stopped early.
#[derive(Debug, Clone)]
pub enum Abort {
    /// A Python exception is propagating; `try/except` may catch it.
    Raise(Box<PyException>),
    /// The sink stopped the replay (PostgreSQL would have raised). Not a
    /// Python exception: PostgreSQL aborts the transaction, so catching it
    /// in Python could not save the migration.
    Halt,
    /// The step budget ran out (a loop that does not end, or far too much
    /// work); `loc` is the innermost loop or call running at the time.
    Budget { loc: Loc },
}

impl Abort {
    pub fn raise(e: PyException) -> Self {
        Abort::Raise(Box::new(e))
    }
}

pub type HostResult = Result<Value, Abort>;

/// A read of a library value the evaluator would otherwise keep symbolic
/// (`t.c`, `t.c["id"]`), or of a host object beyond its methods and
/// attributes (`row[0]`, `len(row)`).
#[derive(Debug, Clone, Copy)]
pub enum Access<'a> {
    /// `v.name` (library values only: host objects answer `get_attr`).
    Attr(&'a str),
    /// `v[key]`.
    Item(&'a Value),
    /// `for x in v` (library values only: host objects answer `iterate`).
    Iter,
    /// `len(v)`.
    Len,
    /// `x in v`.
    Contains(&'a Value),
}

pub trait Host {
    /// A call to a library symbol (`alembic.op.add_column`,
    /// `sqlalchemy.inspect`). `None` means "not mine": the evaluator keeps it
    /// as a symbolic `Value::Call`.
    fn call_symbol(&mut self, call: &Call) -> Option<HostResult>;
    /// `obj.name(...)` on a host object.
    fn call_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult;
    /// `obj.name` on a host object.
    fn get_attr(&mut self, obj: &HostObject, name: &str, loc: &Loc) -> HostResult;
    /// `with obj as x:` — returns what `x` is bound to.
    fn enter(&mut self, obj: &HostObject, loc: &Loc) -> HostResult;
    /// Leaving the `with` block; `raised` when leaving by an exception.
    fn exit(&mut self, obj: &HostObject, loc: &Loc, raised: bool) -> Result<(), Abort>;
    /// `for x in obj:` — the items, when the host knows them.
    fn iterate(&mut self, obj: &HostObject, loc: &Loc) -> HostResult {
        let _ = obj;
        Ok(Value::unknown(
            "rows of a query result are not known statically",
            loc.clone(),
        ))
    }
    /// What the host knows of a library value or host object the evaluator
    /// cannot read itself (a table the host reflected from the schema, the
    /// rows of a query it answered). `None`: nothing; the evaluator keeps
    /// the value symbolic or unknown, as it would without a host.
    fn access(&mut self, v: &Value, access: Access<'_>, loc: &Loc) -> Option<HostResult> {
        let _ = (v, access, loc);
        None
    }
    /// Code the evaluator could not run (an `if` on an unknown value...).
    fn opaque(&mut self, step: OpaqueStep);
    /// The evaluator is about to run code that may run zero or more times
    /// (a branch on an unknown value, a loop over unknown rows) to learn
    /// whether it only reads and writes rows. Until the matching
    /// [`Host::end_speculation`] the host keeps what the code does instead
    /// of passing it on. `false`: the host cannot; the code stays opaque.
    fn begin_speculation(&mut self) -> bool {
        false
    }
    /// Ends the innermost speculation. `ran`: the evaluator ran every path
    /// of the code without stepping outside what it can undo. The code is
    /// kept when everything it did touched rows only: the outermost
    /// speculation then passes those steps on as conditional data steps
    /// and counts the `hidden_ops` operations the code holds as simulated.
    /// Otherwise the host forgets them and the evaluator reports the code
    /// as one opaque step, with the host's reason.
    fn end_speculation(&mut self, ran: bool, hidden_ops: u32) -> Result<Speculated, Abort> {
        let _ = (ran, hidden_ops);
        Ok(Speculated::Dropped(None))
    }
    /// Whether the host is running a migration (opaque steps matter) or
    /// only reading module-level definitions.
    fn is_migration(&self) -> bool {
        true
    }
    fn diagnostic(&mut self, d: Diagnostic) {
        let _ = d;
    }
}

/// How a speculated run ended (see [`Host::end_speculation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speculated {
    /// Everything the code did touched rows only.
    Kept,
    /// The code stays opaque; the first thing it did beyond rows, and
    /// where, when the host knows (`"runs `ALTER TABLE ...` at f.py:3:5"`).
    Dropped(Option<String>),
}

/// For reading module-level code: every library call stays symbolic and
/// nothing is recorded.
#[derive(Debug, Default)]
pub struct NullHost {
    pub opaque: Vec<OpaqueStep>,
}

impl Host for NullHost {
    fn call_symbol(&mut self, _call: &Call) -> Option<HostResult> {
        None
    }
    fn call_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        Ok(Value::unknown(
            format!("`{}.{name}()` needs a migration context", obj.kind),
            call.loc.clone(),
        ))
    }
    fn get_attr(&mut self, obj: &HostObject, name: &str, loc: &Loc) -> HostResult {
        Ok(Value::unknown(
            format!("`{}.{name}` needs a migration context", obj.kind),
            loc.clone(),
        ))
    }
    fn enter(&mut self, obj: &HostObject, _loc: &Loc) -> HostResult {
        Ok(Value::Host(obj.clone()))
    }
    fn exit(&mut self, _obj: &HostObject, _loc: &Loc, _raised: bool) -> Result<(), Abort> {
        Ok(())
    }
    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
    fn is_migration(&self) -> bool {
        false
    }
}
