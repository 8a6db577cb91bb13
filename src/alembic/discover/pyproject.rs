//! `[tool.alembic]` in `pyproject.toml`, read as Alembic 1.16+ reads it:
//! strings (and strings inside lists) get `%(here)s` substituted with
//! Python's `%` operator; booleans must be real TOML booleans.

use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// A `[tool.alembic]` value after `%` substitution.
#[derive(Debug, Clone, PartialEq)]
pub enum TomlSetting {
    Str(String),
    List(Vec<String>),
    Bool(bool),
    Int(i64),
    /// A table, datetime, float or list of non-strings: Alembic has no use
    /// for these in the keys migsim reads.
    Other(&'static str),
}

/// `(key, value or why it cannot be read, where)` for each `[tool.alembic]` key.
type Settings = Vec<(String, Result<TomlSetting, String>, Span)>;

#[derive(Debug)]
pub struct Pyproject {
    pub file: Arc<SourceFile>,
    /// `None` when the file has no `[tool.alembic]` table.
    settings: Option<Settings>,
    pub errors: Vec<Diagnostic>,
}

impl Pyproject {
    pub fn parse(file: Arc<SourceFile>, here: &str) -> Pyproject {
        let mut errors = Vec::new();
        let settings = match DeTable::parse(&file.text) {
            Err(e) => {
                let span = e
                    .span()
                    .map(|r| Span::new(r.start, r.end))
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::error(
                        "config::toml",
                        format!("pyproject.toml is not valid TOML: {}", e.message()),
                    )
                    .with_label(Loc::new(&file, span), "here"),
                );
                None
            }
            Ok(doc) => {
                let tool = find(doc.get_ref(), "tool");
                match tool.map(|t| (t.get_ref().as_table(), t.span())) {
                    None => None,
                    Some((None, _)) => None,
                    Some((Some(tool), _)) => match find(tool, "alembic") {
                        None => None,
                        Some(alembic) => match alembic.get_ref().as_table() {
                            Some(table) => Some(read_table(table, here)),
                            None => {
                                let r = alembic.span();
                                errors.push(
                                    Diagnostic::error(
                                        "config::toml",
                                        "Incorrect TOML format: [tool.alembic] is not a table",
                                    )
                                    .with_label(Loc::new(&file, Span::new(r.start, r.end)), "here"),
                                );
                                None
                            }
                        },
                    },
                }
            }
        };
        Pyproject {
            file,
            settings,
            errors,
        }
    }

    pub fn has_alembic_table(&self) -> bool {
        self.settings.is_some()
    }

    /// The value of `key`, or `None` when absent. `Err` holds why Python's
    /// `%` substitution would fail.
    pub fn get(&self, key: &str) -> Option<(Result<TomlSetting, String>, Loc)> {
        self.settings
            .as_ref()?
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, span)| (v.clone(), Loc::new(&self.file, *span)))
    }
}

fn find<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn read_table(table: &DeTable<'_>, here: &str) -> Vec<(String, Result<TomlSetting, String>, Span)> {
    table
        .iter()
        .map(|(k, v)| {
            let r = v.span();
            let value = match v.get_ref() {
                DeValue::String(s) => percent_format(s, here).map(TomlSetting::Str),
                DeValue::Boolean(b) => Ok(TomlSetting::Bool(*b)),
                DeValue::Integer(i) => Ok(i64::from_str_radix(i.as_str(), i.radix())
                    .map(TomlSetting::Int)
                    .unwrap_or(TomlSetting::Other("integer"))),
                DeValue::Array(items) => {
                    let strings: Option<Vec<&str>> =
                        items.iter().map(|i| i.get_ref().as_str()).collect();
                    match strings {
                        Some(strings) => strings
                            .into_iter()
                            .map(|s| percent_format(s, here))
                            .collect::<Result<Vec<_>, _>>()
                            .map(TomlSetting::List),
                        None => Ok(TomlSetting::Other("list of non-strings")),
                    }
                }
                other => Ok(TomlSetting::Other(other.type_str())),
            };
            (k.get_ref().to_string(), value, Span::new(r.start, r.end))
        })
        .collect()
}

/// Python's `value % {"here": here}` for the forms that make sense in a path:
/// `%(here)s` and `%%`. Anything else is reported rather than guessed.
pub(crate) fn percent_format(value: &str, here: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        if let Some(r) = rest.strip_prefix("%%") {
            out.push('%');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("%(") {
            let Some(close) = r.find(")s") else {
                return Err(format!("unsupported '%' format in {value:?}"));
            };
            let key = &r[..close];
            if key != "here" {
                return Err(format!(
                    "'%({key})s' in {value:?}: only %(here)s is available (Python raises KeyError)"
                ));
            }
            out.push_str(here);
            rest = &r[close + 2..];
        } else {
            return Err(format!(
                "unsupported '%' format in {value:?}; write '%%' for a literal percent sign"
            ));
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Pyproject {
        Pyproject::parse(SourceFile::virtual_file("pyproject.toml", text), "/p")
    }

    #[test]
    fn reads_tool_alembic_with_here() {
        let p = parse(
            "[project]\nname='x'\n[tool.alembic]\nscript_location = \"%(here)s/mig\"\nversion_locations = [\"%(here)s/a\", \"b\"]\nrecursive_version_locations = true\n",
        );
        assert!(p.has_alembic_table());
        assert_eq!(
            p.get("script_location").unwrap().0,
            Ok(TomlSetting::Str("/p/mig".into()))
        );
        assert_eq!(
            p.get("version_locations").unwrap().0,
            Ok(TomlSetting::List(vec!["/p/a".into(), "b".into()]))
        );
        assert_eq!(
            p.get("recursive_version_locations").unwrap().0,
            Ok(TomlSetting::Bool(true))
        );
        assert!(p.get("missing").is_none());
        let loc = p.get("script_location").unwrap().1;
        assert_eq!(loc.line_col().0, 4);
    }

    #[test]
    fn no_table_and_bad_toml() {
        assert!(!parse("[project]\nname='x'\n").has_alembic_table());
        let p = parse("[tool.alembic\n");
        assert_eq!(p.errors[0].code, "config::toml");
        assert!(!p.has_alembic_table());
    }

    #[test]
    fn percent_format_rules() {
        assert_eq!(percent_format("a%%b", "/h"), Ok("a%b".into()));
        assert!(percent_format("%(other)s", "/h").is_err());
        assert!(percent_format("50%", "/h").is_err());
    }
}
