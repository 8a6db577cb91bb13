//! Values computed by the static reader.
//!
//! This is the contract between the evaluator (`python::eval`) and its users
//! (the Alembic lowering in `alembic::ops`): a Python expression evaluates to a
//! [`Value`]. Calls into libraries (SQLAlchemy, Alembic, pgvector, ...) are
//! never executed; they stay symbolic as [`Value::Call`] so the lowering can
//! read `sa.Column("id", sa.Integer(), primary_key=True)` as data.
//! Anything that cannot be known statically is [`Value::Unknown`] with a
//! reason and the span that produced it.

use std::fmt;
use std::sync::Arc;

use crate::alembic::sink::TextMap;
use crate::source::Loc;

#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(PyStr),
    Bytes(Arc<[u8]>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// Insertion-ordered, as Python's dict.
    Dict(Vec<(Value, Value)>),
    Set(Vec<Value>),
    /// A name from outside the project, not called: `sa.Integer`,
    /// `postgresql.JSONB`, `sa.func.now`. The path is resolved through the
    /// file's imports, e.g. `sqlalchemy.Integer`,
    /// `sqlalchemy.dialects.postgresql.JSONB`.
    Symbol(Symbol),
    /// A call to something outside the project, kept unevaluated.
    Call(Arc<Call>),
    /// An object the host (the Alembic side) made: a bind, an inspector, a
    /// batch operation context, the migration context.
    Host(HostObject),
    /// Evaluator-private objects: functions, classes and instances defined in
    /// the project's own code, modules.
    Object(Arc<dyn PyObject>),
    Unknown(Arc<Unknown>),
}

/// A string and, when it was copied verbatim from literals, where its bytes
/// came from (so an SQL error inside `op.execute("""...""")` points at the
/// right line of the Python file).
#[derive(Clone, Debug)]
pub struct PyStr {
    pub value: Arc<str>,
    pub text_map: Option<TextMap>,
    /// Marked by `op.f()` / `sa.sql.elements.conv()`: already final, naming
    /// conventions must not be applied again.
    pub conv: bool,
}

impl PyStr {
    pub fn plain(s: impl Into<Arc<str>>) -> Self {
        PyStr {
            value: s.into(),
            text_map: None,
            conv: false,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Dotted path as resolved through imports.
    pub path: Arc<str>,
}

impl Symbol {
    pub fn new(path: impl Into<Arc<str>>) -> Self {
        Symbol { path: path.into() }
    }

    /// The last dotted component: `Integer` for `sqlalchemy.types.Integer`.
    pub fn name(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or(&self.path)
    }

    pub fn is_postgresql_dialect(&self) -> bool {
        self.path.contains(".postgresql")
    }
}

#[derive(Clone, Debug)]
pub enum Callee {
    Symbol(Symbol),
    /// A method on a value that stays symbolic: `sa.String(50).with_variant(...)`.
    Method {
        receiver: Value,
        name: String,
    },
}

#[derive(Clone, Debug)]
pub struct Call {
    pub callee: Callee,
    pub args: Vec<Value>,
    pub kwargs: Vec<(String, Value)>,
    pub loc: Loc,
}

impl Call {
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Positional argument `index`, or the keyword `name` if given that way.
    pub fn arg(&self, index: usize, name: &str) -> Option<&Value> {
        self.args.get(index).or_else(|| self.kwarg(name))
    }

    pub fn symbol(&self) -> Option<&Symbol> {
        match &self.callee {
            Callee::Symbol(s) => Some(s),
            Callee::Method { .. } => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostObject {
    pub id: u32,
    pub kind: &'static str,
}

#[derive(Clone, Debug)]
pub struct Unknown {
    pub reason: String,
    pub loc: Loc,
}

/// Objects only the evaluator understands (project functions, classes,
/// instances, modules). Users can ask for a description and a type name.
pub trait PyObject: fmt::Debug + Send + Sync {
    fn type_name(&self) -> &str;
    fn as_any(&self) -> &dyn std::any::Any;
}

impl Value {
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::Str(PyStr::plain(s))
    }

    pub fn unknown(reason: impl Into<String>, loc: Loc) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            loc,
        }))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Value::Call(c) => Some(c),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// Elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    /// The first unknown value inside this one, if any (so a caller can
    /// report why an argument could not be read).
    pub fn find_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => {
                v.iter().find_map(Value::find_unknown)
            }
            Value::Dict(kv) => kv
                .iter()
                .find_map(|(k, v)| k.find_unknown().or_else(|| v.find_unknown())),
            Value::Call(c) => c
                .args
                .iter()
                .find_map(Value::find_unknown)
                .or_else(|| c.kwargs.iter().find_map(|(_, v)| v.find_unknown()))
                .or_else(|| match &c.callee {
                    Callee::Method { receiver, .. } => receiver.find_unknown(),
                    Callee::Symbol(_) => None,
                }),
            _ => None,
        }
    }
}
