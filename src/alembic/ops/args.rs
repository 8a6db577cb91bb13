//! Binding a call's arguments to a Python signature, with the `TypeError`
//! Python raises when they do not fit.

use crate::python::value::{Call, Value};

/// A Python signature: `fn(a, b, c=..., *args, d=..., **kw)`.
pub(crate) struct Sig<'s> {
    /// Function name as Python prints it in `TypeError`s.
    pub name: &'s str,
    /// Positional-or-keyword parameters, in order.
    pub positional: &'s [&'static str],
    /// How many of `positional` are required.
    pub required: usize,
    /// Name of `*args`, if any.
    pub varargs: bool,
    /// Keyword-only parameters.
    pub keyword_only: &'s [&'static str],
    /// `**kw` accepted.
    pub varkw: bool,
}

/// The result of binding: parameter values by name, extra positional and
/// keyword arguments.
pub(crate) struct Bound<'c> {
    named: Vec<(&'static str, &'c Value)>,
    pub varargs: Vec<&'c Value>,
    pub extra_kw: Vec<(&'c str, &'c Value)>,
}

impl<'c> Bound<'c> {
    pub fn get(&self, name: &str) -> Option<&'c Value> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The argument unless absent or `None`.
    pub fn opt(&self, name: &str) -> Option<&'c Value> {
        self.get(name).filter(|v| !v.is_none())
    }
}

/// A Python `TypeError` message.
pub(crate) type TypeErrorMsg = String;

pub(crate) fn bind<'c>(sig: &Sig, call: &'c Call) -> Result<Bound<'c>, TypeErrorMsg> {
    let mut named: Vec<(&'static str, &'c Value)> = Vec::new();
    let mut varargs = Vec::new();
    let n_pos = sig.positional.len();
    if call.args.len() > n_pos && !sig.varargs {
        // Every signature here is a method: Python counts `self` too.
        let takes = if sig.required == n_pos {
            format!("{}", n_pos + 1)
        } else {
            format!("from {} to {}", sig.required + 1, n_pos + 1)
        };
        return Err(format!(
            "{}() takes {takes} positional arguments but {} were given",
            sig.name,
            call.args.len() + 1,
        ));
    }
    for (i, v) in call.args.iter().enumerate() {
        match sig.positional.get(i) {
            Some(p) => named.push((p, v)),
            None => varargs.push(v),
        }
    }
    let mut extra_kw = Vec::new();
    for (k, v) in &call.kwargs {
        if let Some(p) = sig.positional.iter().find(|p| **p == k.as_str()) {
            if named.iter().any(|(n, _)| n == p) {
                return Err(format!(
                    "{}() got multiple values for argument '{k}'",
                    sig.name
                ));
            }
            named.push((p, v));
        } else if let Some(p) = sig.keyword_only.iter().find(|p| **p == k.as_str()) {
            named.push((p, v));
        } else if sig.varkw {
            extra_kw.push((k.as_str(), v));
        } else {
            return Err(format!(
                "{}() got an unexpected keyword argument '{k}'",
                sig.name
            ));
        }
    }
    let missing: Vec<&str> = sig.positional[..sig.required]
        .iter()
        .filter(|p| !named.iter().any(|(n, _)| n == *p))
        .copied()
        .collect();
    if !missing.is_empty() {
        let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
        let list = match quoted.len() {
            1 => quoted[0].clone(),
            2 => format!("{} and {}", quoted[0], quoted[1]),
            _ => format!(
                "{}, and {}",
                quoted[..quoted.len() - 1].join(", "),
                quoted[quoted.len() - 1]
            ),
        };
        return Err(format!(
            "{}() missing {} required positional argument{}: {list}",
            sig.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        ));
    }
    Ok(Bound {
        named,
        varargs,
        extra_kw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::{Callee, Symbol};
    use crate::source::{Loc, SourceFile, Span};

    fn call(args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> Call {
        let f = SourceFile::virtual_file("t.py", "x");
        Call {
            callee: Callee::Symbol(Symbol::new("f")),
            args,
            kwargs: kwargs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            loc: Loc::new(&f, Span::new(0, 1)),
        }
    }

    const SIG: Sig = Sig {
        name: "create_index",
        positional: &["index_name", "table_name", "columns"],
        required: 3,
        varargs: false,
        keyword_only: &["schema", "unique"],
        varkw: true,
    };

    #[test]
    fn binds_positional_and_keywords() {
        let c = call(
            vec![Value::str("ix"), Value::str("t")],
            vec![
                ("columns", Value::List(vec![])),
                ("postgresql_where", Value::None),
            ],
        );
        let b = bind(&SIG, &c).expect("binds");
        assert_eq!(b.get("index_name").and_then(Value::as_str), Some("ix"));
        assert!(b.get("columns").is_some());
        assert_eq!(b.extra_kw.len(), 1);
    }

    #[test]
    fn reports_python_type_errors() {
        let c = call(vec![Value::str("ix")], vec![]);
        assert_eq!(
            bind(&SIG, &c).err().as_deref(),
            Some(
                "create_index() missing 2 required positional arguments: 'table_name' and 'columns'"
            )
        );
        let c = call(vec![Value::None; 4], vec![]);
        assert_eq!(
            bind(&SIG, &c).err().as_deref(),
            Some("create_index() takes 4 positional arguments but 5 were given")
        );
        let c = call(vec![Value::None; 3], vec![("index_name", Value::None)]);
        assert_eq!(
            bind(&SIG, &c).err().as_deref(),
            Some("create_index() got multiple values for argument 'index_name'")
        );
    }
}
