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
    /// When the value is one of a few known ones (a branch that may or may
    /// not have run set it): each of them, at least two. Code that cannot
    /// use them sees an unknown value, as it should.
    pub alternatives: Vec<Value>,
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
            alternatives: Vec::new(),
        }))
    }

    /// Whether two values are the same Python value, wherever they were
    /// made: equal data, the same library call, the same object. Unknown
    /// values are the same only as one value.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => a.value == b.value && a.conv == b.conv,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b))
            | (Value::Tuple(a), Value::Tuple(b))
            | (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            (Value::Dict(a), Value::Dict(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((k1, v1), (k2, v2))| k1.same(k2) && v1.same(v2))
            }
            (Value::Symbol(a), Value::Symbol(b)) => a == b,
            (Value::Call(a), Value::Call(b)) => {
                Arc::ptr_eq(a, b)
                    || (match (&a.callee, &b.callee) {
                        (Callee::Symbol(x), Callee::Symbol(y)) => x == y,
                        (
                            Callee::Method {
                                receiver: r1,
                                name: n1,
                            },
                            Callee::Method {
                                receiver: r2,
                                name: n2,
                            },
                        ) => n1 == n2 && r1.same(r2),
                        _ => false,
                    } && a.args.len() == b.args.len()
                        && a.args.iter().zip(&b.args).all(|(x, y)| x.same(y))
                        && a.kwargs.len() == b.kwargs.len()
                        && a.kwargs
                            .iter()
                            .zip(&b.kwargs)
                            .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.same(v2)))
            }
            (Value::Host(a), Value::Host(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => Arc::ptr_eq(a, b),
            (Value::Unknown(a), Value::Unknown(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The known values an unknown value is one of, if it is.
    pub fn alternatives(&self) -> Option<&[Value]> {
        match self {
            Value::Unknown(u) if !u.alternatives.is_empty() => Some(&u.alternatives),
            _ => None,
        }
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

impl PyStr {
    /// A string whose bytes map back into the file as `text_map` says.
    pub fn mapped(value: impl Into<Arc<str>>, text_map: Option<TextMap>) -> Self {
        PyStr {
            value: value.into(),
            text_map,
            conv: false,
        }
    }
}

impl Value {
    pub fn as_symbol(&self) -> Option<&Symbol> {
        match self {
            Value::Symbol(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_host(&self) -> Option<&HostObject> {
        match self {
            Value::Host(h) => Some(h),
            _ => None,
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// An evaluator object of a given Rust type (see `python::eval::Obj`).
    pub fn object<T: 'static>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// Python's name for the value's type, for messages.
    pub fn type_name(&self) -> &str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Set(_) => "set",
            Value::Symbol(_) => "symbol",
            Value::Call(_) => "call",
            Value::Host(h) => h.kind,
            Value::Object(o) => o.type_name(),
            Value::Unknown(_) => "unknown",
        }
    }
}
