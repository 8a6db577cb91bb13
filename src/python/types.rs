//! What the lowering needs to read about types defined in the project.
//!
//! The rules that turn project type classes into PostgreSQL types are
//! described in [`crate::python::eval`]; this module gives the lowering
//! read access to their results.

use crate::python::eval::Obj;
use crate::python::value::{PyStr, Value};

/// Callee path of a column type given as SQL text, made from a
/// `UserDefinedType`'s `get_col_spec()`: `migsim.RawType("vector(3)")`.
pub const RAW_TYPE: &str = "migsim.RawType";

/// A project subclass of `enum.Enum`, as `sa.Enum(MyEnum)` sees it.
#[derive(Debug, Clone)]
pub struct EnumClassInfo {
    /// The class name (`MyEnum`); SQLAlchemy names the PostgreSQL type
    /// after it, lower-cased, unless `name=` is given.
    pub name: String,
    /// Members in definition order (aliases folded), with their values.
    pub members: Vec<(String, Value)>,
}

/// The members of a project enum class, when `v` is one.
pub fn enum_class(v: &Value) -> Option<EnumClassInfo> {
    match v.object::<Obj>()? {
        Obj::Class(c) if c.kind() == crate::python::eval::ClassKind::Enum => Some(EnumClassInfo {
            name: c.name.clone(),
            members: c
                .members()
                .iter()
                .map(|m| (m.name.clone(), m.value.clone()))
                .collect(),
        }),
        _ => None,
    }
}

/// `(class name, member name, value)` when `v` is a member of a project enum.
pub fn enum_member(v: &Value) -> Option<(String, String, Value)> {
    match v.object::<Obj>()? {
        Obj::EnumMember(m) => Some((m.class_name.clone(), m.name.clone(), m.value.clone())),
        _ => None,
    }
}

/// What a `values_callable=` function returned for the enum class named
/// `class_name`, when the evaluator could compute it (a list of strings).
pub fn enum_values_callable(f: &Value, class_name: &str) -> Option<Vec<String>> {
    match f.object::<Obj>()? {
        Obj::EnumValues { results, .. } => {
            let (_, v) = results.iter().find(|(n, _)| n == class_name)?;
            v.as_seq()?
                .iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect()
        }
        _ => None,
    }
}

/// The SQL text of a `migsim.RawType(...)` call.
pub fn raw_type_spec(v: &Value) -> Option<&PyStr> {
    let c = v.as_call()?;
    if &*c.symbol()?.path != RAW_TYPE {
        return None;
    }
    match c.args.first()? {
        Value::Str(s) => Some(s),
        _ => None,
    }
}
