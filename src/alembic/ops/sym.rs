//! Recognising library names in evaluated values.
//!
//! Paths arrive resolved through the file's imports, but a class can be
//! reached by many paths (`sqlalchemy.Integer`, `sqlalchemy.types.Integer`,
//! `sqlalchemy.sql.sqltypes.Integer`); this module folds them into one
//! [`Lib`] and the public name.

use crate::python::value::{Call, Callee, Symbol, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lib {
    /// Anything under `sqlalchemy` except dialects.
    Sa,
    /// `sqlalchemy.dialects.postgresql`.
    Pg,
    /// Another SQLAlchemy dialect (`sqlalchemy.dialects.mysql`).
    OtherDialect,
    /// `sqlalchemy.func.<name>` and its aliases.
    Func,
    PgVector,
    SqlModel,
    AlembicUtils,
    /// `alembic.op.inline_literal` and friends.
    Alembic,
    /// Synthetic symbols the evaluator uses (`migsim.RawType`).
    Migsim,
    /// Python's `operator` module (operators on symbolic values).
    Operator,
    /// `builtins.getattr` (attribute access on symbolic values).
    Builtins,
    Datetime,
    Decimal,
    Uuid,
    Other,
}

/// A classified symbol path: the library and the name inside it. For
/// functions (`Lib::Func`) `name` is the dotted path after `func`
/// (`now`, `pg_catalog.now`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name<'a> {
    pub lib: Lib,
    pub name: &'a str,
}

pub(crate) fn classify(path: &str) -> Name<'_> {
    // `func` may be reached through any of SQLAlchemy's modules.
    if path.starts_with("sqlalchemy.") {
        let mut rest = path;
        while let Some(i) = rest.find(".func.") {
            let after = &rest[i + ".func.".len()..];
            if !rest[..i].contains(".dialects.") {
                return Name {
                    lib: Lib::Func,
                    name: after,
                };
            }
            rest = after;
        }
        if let Some(after) = path.strip_prefix("sqlalchemy.dialects.postgresql.") {
            return Name {
                lib: Lib::Pg,
                name: last(after),
            };
        }
        if path.starts_with("sqlalchemy.dialects.") {
            return Name {
                lib: Lib::OtherDialect,
                name: last(path),
            };
        }
        return Name {
            lib: Lib::Sa,
            name: last(path),
        };
    }
    let lib = match first(path) {
        "pgvector" => Lib::PgVector,
        "sqlmodel" => Lib::SqlModel,
        "alembic_utils" => Lib::AlembicUtils,
        "alembic" => Lib::Alembic,
        "migsim" => Lib::Migsim,
        "operator" => Lib::Operator,
        "builtins" => Lib::Builtins,
        "datetime" => Lib::Datetime,
        "decimal" => Lib::Decimal,
        "uuid" => Lib::Uuid,
        _ => Lib::Other,
    };
    Name {
        lib,
        name: last(path),
    }
}

fn last(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn first(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

pub(crate) fn of_symbol(s: &Symbol) -> Name<'_> {
    classify(&s.path)
}

/// The classified callee of a call to a symbol (`sa.Column(...)`), `None`
/// for method calls.
pub(crate) fn of_call(c: &Call) -> Option<Name<'_>> {
    match &c.callee {
        Callee::Symbol(s) => Some(of_symbol(s)),
        Callee::Method { .. } => None,
    }
}

/// `receiver.name(...)` — a method call on a symbolic value.
pub(crate) fn method(c: &Call) -> Option<(&Value, &str)> {
    match &c.callee {
        Callee::Method { receiver, name } => Some((receiver, name.as_str())),
        Callee::Symbol(_) => None,
    }
}

/// Attribute access on a symbolic value as the evaluator spells it:
/// `migsim.getattr(receiver, "name")` (or `builtins.getattr`), and the
/// subscript `operator.getitem(receiver, "name")` (`t.c["name"]`).
pub(crate) fn getattr(v: &Value) -> Option<(&Value, &str)> {
    let c = v.as_call()?;
    let n = of_call(c)?;
    let is_attr = matches!(
        (n.lib, n.name),
        (Lib::Builtins | Lib::Migsim, "getattr") | (Lib::Operator, "getitem")
    );
    if is_attr && c.args.len() == 2 {
        return Some((&c.args[0], c.args[1].as_str()?));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_module_paths() {
        assert_eq!(classify("sqlalchemy.types.Integer").lib, Lib::Sa);
        assert_eq!(classify("sqlalchemy.types.Integer").name, "Integer");
        assert_eq!(
            classify("sqlalchemy.dialects.postgresql.JSONB"),
            Name {
                lib: Lib::Pg,
                name: "JSONB"
            }
        );
        assert_eq!(
            classify("sqlalchemy.dialects.postgresql.json.JSONB").lib,
            Lib::Pg
        );
        assert_eq!(
            classify("sqlalchemy.sql.expression.func.pg_catalog.now"),
            Name {
                lib: Lib::Func,
                name: "pg_catalog.now"
            }
        );
        assert_eq!(
            classify("sqlalchemy.dialects.mysql.TINYINT").lib,
            Lib::OtherDialect
        );
        assert_eq!(classify("pgvector.sqlalchemy.Vector").lib, Lib::PgVector);
    }
}
