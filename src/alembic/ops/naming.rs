//! `MetaData(naming_convention=...)` (SQLAlchemy `sql/naming.py`).

use super::LowerError;
use super::quote::ObjName;
use super::sym::{self, Lib};
use crate::python::value::Value;
use crate::source::Loc;

/// A naming convention: keys `ix`, `uq`, `ck`, `fk`, `pk` to `%`-templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingConvention {
    entries: Vec<(String, String)>,
}

impl Default for NamingConvention {
    fn default() -> Self {
        Self::sqlalchemy_default()
    }
}

impl NamingConvention {
    /// `DEFAULT_NAMING_CONVENTION`: what a `MetaData()` without a convention
    /// uses. It names indexes only.
    pub fn sqlalchemy_default() -> Self {
        NamingConvention {
            entries: vec![("ix".into(), "ix_%(column_0_label)s".into())],
        }
    }

    /// The convention of `MetaData(naming_convention=value)`. An empty dict
    /// (or `None`) gives the default, as `MetaData.__init__` does.
    pub fn from_value(value: &Value, loc: &Loc) -> Result<Self, LowerError> {
        let items = match value {
            Value::None => return Ok(Self::sqlalchemy_default()),
            Value::Dict(items) => items,
            Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
            _ => {
                return Err(LowerError::unsupported(
                    "naming_convention that is not a dict",
                    loc,
                ));
            }
        };
        if items.is_empty() {
            return Ok(Self::sqlalchemy_default());
        }
        let mut entries = Vec::new();
        for (k, v) in items {
            let key = match k {
                Value::Str(s) => s.as_str().to_string(),
                // Constraint classes as keys: `{UniqueConstraint: "..."}`.
                Value::Symbol(s) => {
                    let n = sym::of_symbol(s);
                    let key = match (n.lib, n.name) {
                        (Lib::Sa, "Index") => "ix",
                        (Lib::Sa, "UniqueConstraint") => "uq",
                        (Lib::Sa, "CheckConstraint") => "ck",
                        (Lib::Sa, "ForeignKeyConstraint") => "fk",
                        (Lib::Sa, "PrimaryKeyConstraint") => "pk",
                        _ => {
                            return Err(LowerError::unsupported(
                                format!("naming convention key `{}`", s.path),
                                loc,
                            ));
                        }
                    };
                    key.to_string()
                }
                Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
                _ => {
                    return Err(LowerError::unsupported(
                        "naming convention key that is not a string",
                        loc,
                    ));
                }
            };
            let template = match v {
                Value::Str(s) => s.as_str().to_string(),
                Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
                _ => {
                    return Err(LowerError::unsupported(
                        format!("naming convention `{key}` given by a function"),
                        loc,
                    ));
                }
            };
            entries.push((key, template));
        }
        Ok(NamingConvention { entries })
    }

    /// Builds a convention from `(key, template)` pairs.
    pub fn from_pairs<I, K, T>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, T)>,
        K: Into<String>,
        T: Into<String>,
    {
        let entries: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, t)| (k.into(), t.into()))
            .collect();
        if entries.is_empty() {
            return Self::sqlalchemy_default();
        }
        NamingConvention { entries }
    }

    fn template(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, t)| t.as_str())
    }
}

/// Which convention key a constraint uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Index,
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    /// `sa.Constraint` / `ExcludeConstraint`: no convention key.
    Other,
}

impl Kind {
    fn key(self) -> Option<&'static str> {
        Some(match self {
            Kind::Index => "ix",
            Kind::PrimaryKey => "pk",
            Kind::Unique => "uq",
            Kind::Check => "ck",
            Kind::ForeignKey => "fk",
            Kind::Other => return None,
        })
    }
}

/// A column as the naming tokens see it.
#[derive(Debug, Clone)]
pub(crate) struct NameCol {
    pub name: String,
    pub key: String,
}

/// What a constraint's name is computed from.
pub(crate) struct Subject<'a> {
    pub kind: Kind,
    pub name: Option<&'a ObjName>,
    pub table: &'a str,
    pub schema: Option<&'a str>,
    /// The constrained columns (for a foreign key: the local ones).
    pub columns: &'a [NameCol],
    pub referred_table: Option<&'a str>,
    pub referred_columns: &'a [String],
}

/// `_constraint_name_for_table`: the name the convention gives, `Ok(None)`
/// when the constraint keeps its own name. Errors are Python exceptions
/// `(class, message)`.
pub(crate) fn convention_name(
    nc: &NamingConvention,
    s: &Subject,
) -> Result<Option<ObjName>, (String, String)> {
    if let Some(n) = s.name
        && n.conv
    {
        return Ok(Some(n.clone()));
    }
    let Some(template) = s.kind.key().and_then(|k| nc.template(k)) else {
        return Ok(None);
    };
    if s.name.is_some() && !template.contains("constraint_name") {
        return Ok(None);
    }
    format_template(template, s).map(|t| Some(ObjName::conv(t)))
}

/// Python's `template % ConventionDict(...)`.
fn format_template(template: &str, s: &Subject) -> Result<String, (String, String)> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('%') {
            out.push('%');
            rest = a;
            continue;
        }
        let Some(inner) = after.strip_prefix('(') else {
            return Err(("TypeError".into(), "format requires a mapping".into()));
        };
        let Some(close) = inner.find(')') else {
            return Err(("ValueError".into(), "incomplete format key".into()));
        };
        let key = &inner[..close];
        let spec = &inner[close + 1..];
        if !spec.starts_with('s') {
            return Err((
                "ValueError".into(),
                "migsim reads only %(name)s in naming conventions".into(),
            ));
        }
        out.push_str(&token(key, s)?);
        rest = &spec[1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn key_error(key: &str) -> (String, String) {
    ("KeyError".into(), format!("'{key}'"))
}

/// `ConventionDict.__getitem__`.
fn token(key: &str, s: &Subject) -> Result<String, (String, String)> {
    match key {
        "table_name" => return Ok(s.table.to_string()),
        "constraint_name" => {
            return match s.name {
                Some(n) => Ok(n.text.clone()),
                None => Err((
                    "sqlalchemy.exc.InvalidRequestError".into(),
                    "Naming convention including %(constraint_name)s token requires that constraint is explicitly named.".into(),
                )),
            };
        }
        "referred_table_name" => {
            return s
                .referred_table
                .map(str::to_string)
                .ok_or_else(|| key_error(key));
        }
        _ => {}
    }
    // `.*_?column_(\d+)(_?N)?_.+`
    let Some(pos) = key.find("column_") else {
        return Err(key_error(key));
    };
    let prefix = &key[..pos];
    let after = &key[pos + "column_".len()..];
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return Err(key_error(key));
    }
    let after_digits = &after[digits.len()..];
    let (multiple, sep, attr_part) = if let Some(r) = after_digits.strip_prefix("_N_") {
        (true, "_", r)
    } else if let Some(r) = after_digits.strip_prefix("N_") {
        (true, "", r)
    } else if let Some(r) = after_digits.strip_prefix('_') {
        (false, "", r)
    } else {
        return Err(key_error(key));
    };
    let referred = match prefix {
        "" => false,
        "referred_" => true,
        _ => return Err(key_error(key)),
    };
    let attr = attr_part;
    let valid = if referred {
        attr == "name"
    } else {
        matches!(attr, "name" | "key" | "label")
    };
    if !valid {
        return Err(key_error(key));
    }
    let value_at = |idx: usize| -> Option<String> {
        if referred {
            return s.referred_columns.get(idx).cloned();
        }
        let c = s.columns.get(idx)?;
        Some(match attr {
            "name" => c.name.clone(),
            "key" => c.key.clone(),
            _ => label(s.table, s.schema, &c.name),
        })
    };
    if multiple {
        let n = if referred {
            s.referred_columns.len()
        } else {
            s.columns.len()
        };
        let parts: Vec<String> = (0..n).filter_map(value_at).collect();
        return Ok(parts.join(sep));
    }
    let idx: usize = digits.parse().map_err(|_| key_error(key))?;
    // Past the last column: the token is empty (IndexError is swallowed),
    // except for referred columns which index the foreign key's elements.
    match value_at(idx) {
        Some(v) => Ok(v),
        None if referred => Err(("IndexError".into(), "list index out of range".into())),
        None => Ok(String::new()),
    }
}

/// `Column._ddl_label` for a table-bound column.
fn label(table: &str, schema: Option<&str>, column: &str) -> String {
    match schema {
        Some(s) => format!("{}_{table}_{column}", s.replace('.', "_")),
        None => format!("{table}_{column}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<NameCol> {
        names
            .iter()
            .map(|n| NameCol {
                name: n.to_string(),
                key: n.to_string(),
            })
            .collect()
    }

    #[test]
    fn default_convention_names_indexes_only() {
        let nc = NamingConvention::sqlalchemy_default();
        let c = cols(&["email"]);
        let s = Subject {
            kind: Kind::Index,
            name: None,
            table: "user",
            schema: None,
            columns: &c,
            referred_table: None,
            referred_columns: &[],
        };
        assert_eq!(
            convention_name(&nc, &s).expect("named"),
            Some(ObjName::conv("ix_user_email"))
        );
        let s = Subject {
            kind: Kind::Unique,
            ..s
        };
        assert_eq!(convention_name(&nc, &s).expect("no convention"), None);
    }

    #[test]
    fn multi_column_and_referred_tokens() {
        let nc = NamingConvention::from_pairs([
            (
                "fk",
                "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
            ),
            ("uq", "uq_%(table_name)s_%(column_0N_name)s"),
            ("ck", "ck_%(table_name)s_%(constraint_name)s"),
        ]);
        let c = cols(&["a", "b"]);
        let s = Subject {
            kind: Kind::ForeignKey,
            name: None,
            table: "t",
            schema: None,
            columns: &c,
            referred_table: Some("r"),
            referred_columns: &[],
        };
        assert_eq!(
            convention_name(&nc, &s).expect("named").map(|n| n.text),
            Some("fk_t_a_b_r".into())
        );
        let s = Subject {
            kind: Kind::Unique,
            ..s
        };
        assert_eq!(
            convention_name(&nc, &s).expect("named").map(|n| n.text),
            Some("uq_t_ab".into())
        );
        let s = Subject {
            kind: Kind::Check,
            ..s
        };
        assert!(convention_name(&nc, &s).is_err());
    }
}
