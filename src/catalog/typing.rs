//! Result types of expressions in queries, as PostgreSQL's parse analysis
//! infers them: enough for `CREATE TABLE AS` columns and view column types
//! (operators on numbers, dates and text, common functions and aggregates,
//! UNION branch unification). `None` when not known.

use super::Catalog;
use super::builtins::{BUILTINS, CastContext};
use super::types::{ColType, TypeRef};

/// A type from the text `regtype` prints (`integer`, `text[]`,
/// `timestamp with time zone`); pseudo-types give `None`.
pub fn from_regtype_name(name: &str) -> Option<ColType> {
    if name.starts_with("setof ") {
        return None;
    }
    let (base, array) = match name.strip_suffix("[]") {
        Some(n) => (n, true),
        None => match name.strip_prefix('_') {
            Some(n) => (n, true),
            None => (name, false),
        },
    };
    let typname = match base {
        "integer" => "int4",
        "bigint" => "int8",
        "smallint" => "int2",
        "boolean" => "bool",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "double precision" => "float8",
        "real" => "float4",
        "character varying" => "varchar",
        "character" => "bpchar",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        "bit varying" => "varbit",
        "\"char\"" => "char",
        other => other,
    };
    if BUILTINS.builtin_type(typname).is_none_or(|t| t.kind == 'p') {
        return None;
    }
    let mut t = ColType::named(typname)?;
    t.array = array;
    Some(t)
}

/// Numeric types in promotion order.
const NUMERIC_ORDER: &[&str] = &["int2", "int4", "int8", "numeric", "float4", "float8"];

fn numeric_rank(t: &ColType) -> Option<usize> {
    let n = t.builtin_name()?;
    if t.array {
        return None;
    }
    NUMERIC_ORDER.iter().position(|x| *x == n)
}

fn plain(t: &ColType) -> ColType {
    ColType {
        typmods: Vec::new(),
        ..t.clone()
    }
}

/// The common type of two values (UNION branches, CASE results,
/// COALESCE arguments), as `select_common_type` picks it: keep the first
/// type unless it implicitly converts to the next one and not back (and is
/// not its category's preferred type). Modifiers survive only if equal.
pub fn unify(cat: &Catalog, a: Option<&ColType>, b: Option<&ColType>) -> Option<ColType> {
    match (a, b) {
        (Some(a), None) => Some(a.clone()),
        (None, Some(b)) => Some(b.clone()),
        (None, None) => None,
        (Some(a), Some(b)) => {
            if a == b {
                return Some(a.clone());
            }
            if a.same_type(b) {
                return Some(plain(a));
            }
            let preferred = a
                .builtin_name()
                .and_then(|n| BUILTINS.builtin_type(n))
                .is_some_and(|t| t.preferred)
                && !a.array;
            if !preferred
                && cat.can_coerce(a, b, CastContext::Implicit)
                && !cat.can_coerce(b, a, CastContext::Implicit)
            {
                return Some(plain(b));
            }
            Some(plain(a))
        }
    }
}

/// `left op right` (or a prefix operator when `left` is `None`).
pub fn operator_result(
    op: &str,
    left: Option<&ColType>,
    right: Option<&ColType>,
) -> Option<ColType> {
    let name = |t: Option<&ColType>| t.and_then(|t| if t.array { None } else { t.builtin_name() });
    match op {
        "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=" | "~~" | "!~~" | "~~*" | "!~~*" | "~"
        | "~*" | "!~" | "@>" | "<@" | "&&" | "?" | "?|" | "?&" | "@@" => {
            return Some(ColType::builtin("bool"));
        }
        "->>" | "#>>" => return Some(ColType::builtin("text")),
        "->" | "#>" | "#-" => {
            return left.map(|l| {
                if l.is("json") {
                    ColType::builtin("json")
                } else {
                    ColType::builtin("jsonb")
                }
            });
        }
        "||" => {
            if let Some(l) = left
                && (l.array || l.is("jsonb") || l.is("tsvector"))
            {
                return Some(plain(l));
            }
            return Some(ColType::builtin("text"));
        }
        _ => {}
    }
    let (l, r) = (name(left), name(right));
    match (op, l, r) {
        ("-", Some("date"), Some("date")) => return Some(ColType::builtin("int4")),
        ("+" | "-", Some("date"), Some("int2" | "int4" | "int8")) => {
            return Some(ColType::builtin("date"));
        }
        ("+" | "-", Some("date"), Some("interval")) => return Some(ColType::builtin("timestamp")),
        ("-", Some("timestamp"), Some("timestamp"))
        | ("-", Some("timestamptz"), Some("timestamptz")) => {
            return Some(ColType::builtin("interval"));
        }
        ("+" | "-", Some(t @ ("timestamp" | "timestamptz")), Some("interval")) => {
            return ColType::named(t);
        }
        ("*" | "/", Some("interval"), _) => return Some(ColType::builtin("interval")),
        _ => {}
    }
    if matches!(op, "+" | "-" | "*" | "/" | "%" | "^") {
        let (lt, rt) = (left?, right.or(left)?);
        let (x, y) = (numeric_rank(lt)?, numeric_rank(rt)?);
        if op == "^" {
            // Only numeric ^ numeric and float8 ^ float8 exist.
            return ColType::named(if x.max(y) >= 4 { "float8" } else { "numeric" });
        }
        let rank = x.max(y);
        // real meets anything but real through double precision operators.
        if rank == 4 && x != y {
            return ColType::named("float8");
        }
        return ColType::named(NUMERIC_ORDER[rank]);
    }
    None
}

/// A function or aggregate call's result type from its argument types.
pub fn function_result(cat: &Catalog, name: &str, args: &[Option<ColType>]) -> Option<ColType> {
    let arg0 = args.first().and_then(Option::as_ref);
    let int_like = |t: &ColType| matches!(t.builtin_name(), Some("int2" | "int4")) && !t.array;
    match name {
        "count" | "row_number" | "rank" | "dense_rank" | "ntile" => {
            return Some(ColType::builtin("int8"));
        }
        "sum" => {
            let t = arg0?;
            return Some(match t.builtin_name()? {
                "int2" | "int4" => ColType::builtin("int8"),
                "int8" | "numeric" => ColType::builtin("numeric"),
                "float4" => ColType::builtin("float4"),
                "float8" => ColType::builtin("float8"),
                "interval" => ColType::builtin("interval"),
                "money" => ColType::builtin("money"),
                _ => return None,
            });
        }
        "avg" => {
            let t = arg0?;
            return Some(match t.builtin_name()? {
                "int2" | "int4" | "int8" | "numeric" => ColType::builtin("numeric"),
                "float4" | "float8" => ColType::builtin("float8"),
                "interval" => ColType::builtin("interval"),
                _ => return None,
            });
        }
        "min" | "max" | "first_value" | "last_value" | "lag" | "lead" | "nth_value" | "abs" => {
            return arg0.map(plain);
        }
        "coalesce" | "greatest" | "least" | "nullif" => {
            let mut acc: Option<ColType> = None;
            for a in args {
                acc = unify(cat, acc.as_ref(), a.as_ref());
            }
            return acc.map(|t| plain(&t));
        }
        "array_agg" => return arg0.map(|t| plain(t).array_of()),
        "string_agg" => return Some(ColType::builtin("text")),
        "jsonb_agg" | "jsonb_object_agg" | "jsonb_build_object" | "jsonb_build_array"
        | "to_jsonb" => {
            return Some(ColType::builtin("jsonb"));
        }
        "json_agg" | "json_object_agg" | "json_build_object" | "json_build_array" | "to_json" => {
            return Some(ColType::builtin("json"));
        }
        "extract" => return Some(ColType::builtin("numeric")),
        "date_trunc" => {
            return args
                .get(1)
                .and_then(Option::as_ref)
                .map(plain)
                .or(Some(ColType::builtin("timestamptz")));
        }
        "round" | "trunc" | "ceil" | "ceiling" | "floor" => {
            return arg0.map(|t| {
                if int_like(t) {
                    ColType::builtin("numeric")
                } else {
                    plain(t)
                }
            });
        }
        "bool_and" | "bool_or" | "every" => return Some(ColType::builtin("bool")),
        _ => {}
    }
    let fs = BUILTINS.functions(name)?;
    let candidates: Vec<_> = fs
        .iter()
        .filter(|f| f.nargs as usize == args.len())
        .collect();
    // The overload whose argument types are exactly the arguments'.
    let exact = candidates.iter().find(|f| {
        f.args.iter().zip(args).all(|(want, got)| {
            got.as_ref().is_some_and(|g| {
                let name = if g.array { None } else { g.builtin_name() };
                name == Some(*want)
            })
        })
    });
    if let Some(f) = exact {
        return from_regtype_name(f.returns);
    }
    // Otherwise only when every overload of this arity agrees.
    let first = candidates.first()?.returns;
    if !candidates.iter().all(|f| f.returns == first) {
        return None;
    }
    from_regtype_name(first)
}

/// What an untyped literal becomes in a view or `CREATE TABLE AS` column.
pub fn resolve_unknown(t: Option<ColType>) -> Option<ColType> {
    Some(t.unwrap_or_else(|| ColType::builtin("text")))
}

/// Is this the built-in `unknown` pseudo-type? (Not produced by the
/// analyzer; kept for completeness of `TypeRef` matching.)
pub fn is_unknown(t: &ColType) -> bool {
    matches!(t.base, TypeRef::Builtin("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: &'static str) -> Option<ColType> {
        Some(ColType::builtin(n))
    }

    #[test]
    fn arithmetic_promotes() {
        assert_eq!(
            operator_result("*", t("int4").as_ref(), t("int4").as_ref()),
            t("int4")
        );
        assert_eq!(
            operator_result("*", t("int4").as_ref(), t("int8").as_ref()),
            t("int8")
        );
        assert_eq!(
            operator_result("*", t("numeric").as_ref(), t("int4").as_ref()),
            t("numeric")
        );
        assert_eq!(
            operator_result("*", t("float8").as_ref(), t("int4").as_ref()),
            t("float8")
        );
        assert_eq!(
            operator_result(">", t("int4").as_ref(), t("int4").as_ref()),
            t("bool")
        );
        assert_eq!(
            operator_result("->", t("jsonb").as_ref(), t("text").as_ref()),
            t("jsonb")
        );
        assert_eq!(
            operator_result("-", t("date").as_ref(), t("date").as_ref()),
            t("int4")
        );
    }

    #[test]
    fn aggregates_and_functions() {
        let c = Catalog::new();
        assert_eq!(function_result(&c, "sum", &[t("int4")]), t("int8"));
        assert_eq!(function_result(&c, "sum", &[t("int8")]), t("numeric"));
        assert_eq!(function_result(&c, "avg", &[t("int4")]), t("numeric"));
        assert_eq!(
            function_result(&c, "min", &[t("timestamptz")]),
            t("timestamptz")
        );
        assert_eq!(function_result(&c, "length", &[t("text")]), t("int4"));
        assert_eq!(
            function_result(&c, "coalesce", &[t("int4"), t("int4")]),
            t("int4")
        );
        assert_eq!(
            operator_result("*", t("float4").as_ref(), t("int4").as_ref()),
            t("float8")
        );
    }

    #[test]
    fn unions_unify_as_select_common_type() {
        let c = Catalog::new();
        assert_eq!(unify(&c, t("int4").as_ref(), t("int8").as_ref()), t("int8"));
        let v10 = ColType {
            typmods: vec![crate::catalog::types::TypmodArg::Int(10)],
            ..ColType::builtin("varchar")
        };
        let v20 = ColType {
            typmods: vec![crate::catalog::types::TypmodArg::Int(20)],
            ..ColType::builtin("varchar")
        };
        assert_eq!(unify(&c, Some(&v10), Some(&v20)), t("varchar"));
        assert_eq!(unify(&c, Some(&v10), t("text").as_ref()), t("varchar"));
        assert_eq!(unify(&c, t("text").as_ref(), Some(&v10)), t("text"));
    }
}
