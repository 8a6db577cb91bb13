//! Objects only the evaluator understands: the project's own functions,
//! classes, instances, enum members and modules. They travel inside
//! `Value::Object`; the lowering reads enum classes through
//! [`crate::python::types`].

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use ruff_python_ast::name::Name;
use ruff_text_size::TextRange;

use crate::python::value::{PyObject, Value};

/// Locks that are only ever held for a single read or write: a poisoned
/// lock cannot leave the data half-written.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A function or lambda defined in project code.
#[derive(Debug)]
pub struct FuncObj {
    pub name: String,
    pub qualname: String,
    /// The evaluator run that made it (module keys are per run).
    pub(crate) run: u64,
    pub(crate) module: usize,
    /// Where the `def` (or `lambda`) is, to find its tree again.
    pub(crate) site: TextRange,
    pub(crate) is_lambda: bool,
    /// Default values, evaluated when the `def` ran, by parameter name.
    pub(crate) defaults: Vec<(Name, Value)>,
    /// Variables of enclosing functions, as they were at `def` time.
    pub(crate) closure: Option<Arc<HashMap<Name, Value>>>,
    /// The class whose body defined it (for zero-argument `super()`).
    pub(crate) owner: OnceLock<Weak<ClassObj>>,
    pub(crate) is_generator: bool,
    pub(crate) kind: FuncKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FuncKind {
    Plain,
    StaticMethod,
    ClassMethod,
    Property,
}

/// What a class is, for the rules that treat some classes specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassKind {
    Plain,
    /// Subclass of `sqlalchemy.types.TypeDecorator`.
    TypeDecorator,
    /// Subclass of `sqlalchemy.types.UserDefinedType`.
    UserDefinedType,
    /// Subclass of another SQLAlchemy (or SQLModel, pgvector, ...) class:
    /// an instance stands for that class called with the same arguments.
    LibrarySubclass,
    /// Subclass of `enum.Enum` (or `IntEnum`, `StrEnum`, `Flag`).
    Enum,
    /// Subclass of a built-in exception.
    Exception,
}

#[derive(Debug)]
pub struct ClassObj {
    pub name: String,
    pub qualname: String,
    /// Dotted module name.
    pub module: String,
    pub bases: Vec<Value>,
    pub(crate) id: u64,
    pub(crate) kind: ClassKind,
    /// Method resolution order after this class. Library bases appear as
    /// their `Symbol`s (or other values).
    pub(crate) mro: Vec<Value>,
    pub(crate) attrs: Mutex<Vec<(Name, Value)>>,
    /// Members in definition order, for enum classes.
    pub(crate) members: Vec<Arc<EnumMember>>,
    /// The class body's docstring (`__doc__`, which is not inherited).
    pub(crate) doc: Option<Arc<str>>,
    /// For a `@dataclass`, its own fields in order (the generated
    /// `__init__` takes the fields of dataclass bases first).
    pub(crate) dataclass_fields: Option<Vec<Name>>,
}

impl ClassObj {
    pub(crate) fn own_attr(&self, name: &str) -> Option<Value> {
        lock(&self.attrs)
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| v.clone())
    }

    /// Looks `name` up along the MRO through project classes; stops at the
    /// first library base (whose attributes are not known).
    pub(crate) fn lookup(self: &Arc<Self>, name: &str) -> Lookup {
        if let Some(v) = self.own_attr(name) {
            return Lookup::Found(v, Arc::clone(self));
        }
        self.lookup_after(name, None)
    }

    /// Looks `name` up in the MRO entries after `after` (all when `None`).
    pub(crate) fn lookup_after(&self, name: &str, after: Option<u64>) -> Lookup {
        let start = match after {
            None => 0,
            Some(id) if id == self.id => 0,
            Some(id) => match self
                .mro
                .iter()
                .position(|e| matches!(e.object::<Obj>(), Some(Obj::Class(c)) if c.id == id))
            {
                Some(p) => p + 1,
                None => self.mro.len(),
            },
        };
        for entry in &self.mro[start..] {
            match entry.object::<Obj>() {
                Some(Obj::Class(c)) => {
                    if let Some(v) = c.own_attr(name) {
                        return Lookup::Found(v, Arc::clone(c));
                    }
                }
                _ => {
                    if entry
                        .as_symbol()
                        .is_some_and(|s| &*s.path == "builtins.object")
                    {
                        continue;
                    }
                    return Lookup::Library(entry.clone());
                }
            }
        }
        Lookup::Missing
    }

    pub fn members(&self) -> &[Arc<EnumMember>] {
        &self.members
    }

    pub fn kind(&self) -> ClassKind {
        self.kind
    }

    /// Whether `other` is this class or one of its bases.
    pub(crate) fn is_subclass_of(&self, other: &ClassObj) -> bool {
        self.id == other.id
            || self.mro.iter().any(|e| match e.object::<Obj>() {
                Some(Obj::Class(c)) => c.id == other.id,
                _ => false,
            })
    }
}

pub(crate) enum Lookup {
    Found(Value, Arc<ClassObj>),
    /// Not in project classes; a library base may define it.
    Library(Value),
    Missing,
}

/// Positional and keyword arguments given to a library base's `__init__`.
pub(crate) type BaseInitArgs = (Vec<Value>, Vec<(String, Value)>);

#[derive(Debug)]
pub struct InstanceObj {
    pub class: Arc<ClassObj>,
    pub(crate) attrs: Mutex<Vec<(Name, Value)>>,
    /// Arguments given to a library base's `__init__` via `super().__init__`.
    pub(crate) base_init: Mutex<Option<BaseInitArgs>>,
}

impl InstanceObj {
    pub(crate) fn new(class: Arc<ClassObj>) -> Self {
        InstanceObj {
            class,
            attrs: Mutex::new(Vec::new()),
            base_init: Mutex::new(None),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<Value> {
        lock(&self.attrs)
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn set(&self, name: &str, value: Value) {
        let mut attrs = lock(&self.attrs);
        match attrs.iter_mut().find(|(k, _)| k.as_str() == name) {
            Some(slot) => slot.1 = value,
            None => attrs.push((Name::new(name), value)),
        }
    }
}

/// A member of a project `enum.Enum` class.
#[derive(Debug)]
pub struct EnumMember {
    pub class_name: String,
    pub(crate) class_id: u64,
    pub name: String,
    pub value: Value,
    /// `class C(str, Enum)`, `IntEnum`, `StrEnum`: members equal their values.
    pub(crate) mixin: bool,
}

#[derive(Debug, Clone)]
pub struct ModuleObj {
    pub name: String,
    pub(crate) run: u64,
    pub(crate) key: usize,
}

/// Every evaluator object.
#[derive(Debug)]
pub enum Obj {
    Function(Arc<FuncObj>),
    BoundMethod {
        func: Arc<FuncObj>,
        receiver: Value,
    },
    Class(Arc<ClassObj>),
    Instance(Arc<InstanceObj>),
    EnumMember(Arc<EnumMember>),
    Module(ModuleObj),
    /// `super()` inside a method of `class`.
    Super {
        class: Arc<ClassObj>,
        receiver: Value,
    },
    /// The PostgreSQL dialect handed to `load_dialect_impl`.
    Dialect,
    /// A method of a built-in value taken without calling it (`",".join`).
    BuiltinMethod {
        receiver: Value,
        name: String,
    },
    /// `super().__init__` where the base is a library class: records the
    /// arguments on the instance.
    BaseInit(Arc<InstanceObj>),
    /// A built-in function taken as a value.
    Builtin(&'static str),
    /// A project function passed as `values_callable=` next to enum
    /// classes, with what it returns for each (`sa.Enum(MyEnum,
    /// values_callable=lambda e: [m.value for m in e])`): the lowering reads
    /// the results, since it cannot call back into the evaluator.
    EnumValues {
        func: Value,
        /// `(enum class name, f(class))`.
        results: Vec<(String, Value)>,
    },
}

impl PyObject for Obj {
    fn type_name(&self) -> &str {
        match self {
            Obj::Function(_) => "function",
            Obj::BoundMethod { .. } => "method",
            Obj::Class(_) => "type",
            Obj::Instance(i) => &i.class.name,
            Obj::EnumMember(m) => &m.class_name,
            Obj::Module(_) => "module",
            Obj::Super { .. } => "super",
            Obj::Dialect => "PGDialect",
            Obj::BuiltinMethod { .. } => "builtin_function_or_method",
            Obj::BaseInit(_) => "method",
            Obj::Builtin(_) => "builtin_function_or_method",
            Obj::EnumValues { .. } => "function",
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Obj {
    pub(crate) fn value(self) -> Value {
        Value::Object(Arc::new(self))
    }

    /// The class name of an exception or instance object, for messages.
    pub fn class_name_of(any: &dyn Any) -> Option<String> {
        match any.downcast_ref::<Obj>()? {
            Obj::Class(c) => Some(c.name.clone()),
            Obj::Instance(i) => Some(i.class.name.clone()),
            _ => None,
        }
    }

    /// `repr()` of objects whose text is known.
    pub(crate) fn text_of(any: &dyn Any) -> Option<Result<String, super::strings::StrError>> {
        match any.downcast_ref::<Obj>()? {
            Obj::EnumMember(m) => Some(Ok(format!("{}.{}", m.class_name, m.name))),
            Obj::Class(c) => Some(Ok(format!("<class '{}.{}'>", c.module, c.qualname))),
            Obj::Module(m) => Some(Ok(format!("<module '{}'>", m.name))),
            _ => None,
        }
    }
}
