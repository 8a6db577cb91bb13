//! Type input functions: whether PostgreSQL accepts a literal as a value of
//! a type, and the error it raises when not. PostgreSQL runs the input
//! function when it coerces an untyped literal (in a default, a CHECK
//! constraint, an INSERT), so a bad literal fails the statement there.
//!
//! The input function ignores the type modifier (`varchar(3)` takes
//! `'abcdef'`); the length is enforced only when a value is stored
//! ([`Catalog::check_assignment`]) and an explicit cast truncates instead.

pub(crate) mod array;
mod datetime;
mod net;

use super::Catalog;
use super::error::{PgError, PgResult, code};
use super::model::TypeKind;
use super::types::{ColType, TypeRef, TypmodArg};

impl Catalog {
    /// Runs the input function of `ty` (its base type, for a domain) on
    /// `text`, as PostgreSQL does when it coerces an untyped literal.
    pub(crate) fn check_input(&self, text: &str, ty: &ColType) -> PgResult<()> {
        let base = self.base_type(ty);
        if base.array {
            let elem = base.element();
            for item in array::elements(text)?.into_iter().flatten() {
                self.check_input(&item, &elem)?;
            }
            return Ok(());
        }
        match &base.base {
            TypeRef::Builtin(name) => {
                let interval_range = match base.typmods.first() {
                    Some(TypmodArg::Int(mask)) if *name == "interval" => Some(*mask),
                    _ => None,
                };
                builtin_input(name, text, interval_range)
            }
            TypeRef::User(oid) => match self.user_type(*oid).map(|t| &t.kind) {
                Some(TypeKind::Enum { labels }) => {
                    if labels.iter().any(|l| l == text) {
                        self.check_enum_value_committed(ty, text)
                    } else {
                        let tname = self.user_type(*oid).map_or("?", |t| t.name.as_str());
                        Err(PgError::new(
                            code::INVALID_TEXT_REPRESENTATION,
                            format!("invalid input value for enum {tname}: \"{text}\""),
                        ))
                    }
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The input function, then the checks a type modifier makes when a
    /// value is stored in a column (`value too long for type character
    /// varying(3)`, `numeric field overflow`).
    pub(crate) fn check_assignment(&self, text: &str, ty: &ColType) -> PgResult<()> {
        self.check_input(text, ty)?;
        let base = self.base_type(ty);
        if base.array {
            let elem = base.element();
            for item in array::elements(text)?.into_iter().flatten() {
                check_typmod(&item, &elem)?;
            }
            return Ok(());
        }
        check_typmod(text, &base)
    }
}

/// Length and precision checks of `varchar(n)`, `char(n)`, `numeric(p,s)`.
fn check_typmod(text: &str, ty: &ColType) -> PgResult<()> {
    let Some(name) = ty.builtin_name() else {
        return Ok(());
    };
    let ints: Vec<i64> = ty
        .typmods
        .iter()
        .filter_map(|t| match t {
            TypmodArg::Int(i) => Some(*i),
            TypmodArg::Text(_) => None,
        })
        .collect();
    match (name, ints.as_slice()) {
        ("varchar" | "bpchar", [n, ..]) => {
            // Trailing spaces beyond the length are cut silently.
            let len = text.chars().count() as i64;
            if len > *n && text.trim_end_matches(' ').chars().count() as i64 > *n {
                let label = if name == "varchar" {
                    "character varying"
                } else {
                    "character"
                };
                return Err(PgError::new(
                    code::STRING_DATA_RIGHT_TRUNCATION,
                    format!("value too long for type {label}({n})"),
                ));
            }
            Ok(())
        }
        ("numeric", [p, s]) => numeric_fits(text, *p, *s),
        _ => Ok(()),
    }
}

/// `apply_typmod` of numeric: after rounding to the scale, the integer
/// part must fit in `precision - scale` digits.
fn numeric_fits(text: &str, precision: i64, scale: i64) -> PgResult<()> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if ["nan", "+nan", "-nan"].contains(&lower.as_str()) {
        return Ok(());
    }
    if lower.contains("inf") {
        return Err(numeric_overflow(precision, scale).detail(format!(
            "A field with precision {precision}, scale {scale} cannot hold an infinite value."
        )));
    }
    let unsigned = t.trim_start_matches(['+', '-']);
    let (mantissa, exp) = match unsigned.find(['e', 'E']) {
        Some(i) => (
            &unsigned[..i],
            unsigned[i + 1..].parse::<i64>().unwrap_or(0),
        ),
        None => (unsigned, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Digits and the position of the decimal point among them.
    let digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let point = int_part.len() as i64 + exp;
    // Round half away from zero at `scale` digits after the point.
    let keep = point + scale;
    if keep < 0 {
        return Ok(());
    }
    let keep = keep as usize;
    let mut kept: Vec<u8> = digits.iter().copied().take(keep).collect();
    while kept.len() < keep {
        kept.push(0);
    }
    let mut point = point;
    if digits.get(keep).is_some_and(|d| *d >= 5) {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                point += 1;
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let int_digits = kept
        .iter()
        .take(point.max(0) as usize)
        .skip_while(|d| **d == 0)
        .count() as i64;
    if int_digits > precision - scale {
        return Err(numeric_overflow(precision, scale).detail(format!(
            "A field with precision {precision}, scale {scale} must round to an absolute value less than {}.",
            if precision - scale > 0 {
                format!("10^{}", precision - scale)
            } else {
                "1".to_string()
            }
        )));
    }
    Ok(())
}

fn numeric_overflow(_precision: i64, _scale: i64) -> PgError {
    PgError::new(code::NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
}

/// The input functions of built-in types migsim checks; others accept.
fn builtin_input(name: &str, text: &str, interval_range: Option<i64>) -> PgResult<()> {
    let invalid = |label: &str| {
        PgError::new(
            code::INVALID_TEXT_REPRESENTATION,
            format!("invalid input syntax for type {label}: \"{text}\""),
        )
    };
    if let Some(kind) = datetime::Kind::of(name) {
        return datetime::check(kind, text, interval_range);
    }
    match name {
        "int2" | "int4" | "int8" => {
            let (lo, hi, label) = match name {
                "int2" => (i16::MIN as i128, i16::MAX as i128, "smallint"),
                "int4" => (i32::MIN as i128, i32::MAX as i128, "integer"),
                _ => (i64::MIN as i128, i64::MAX as i128, "bigint"),
            };
            let t = text.trim();
            let digits = t.trim_start_matches(['+', '-']);
            if digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || t.len() - digits.len() > 1
            {
                return Err(invalid(label));
            }
            match t.parse::<i128>() {
                Ok(v) if (lo..=hi).contains(&v) => Ok(()),
                _ => Err(PgError::new(
                    code::NUMERIC_VALUE_OUT_OF_RANGE,
                    format!("value \"{text}\" is out of range for type {label}"),
                )),
            }
        }
        "numeric" => {
            if numeric_syntax_ok(text) {
                Ok(())
            } else {
                Err(invalid("numeric"))
            }
        }
        "float4" | "float8" => float_input(text, name == "float4"),
        "bool" => {
            let t = text.trim().to_ascii_lowercase();
            let prefix_of = |w: &str, min: usize| t.len() >= min && w.starts_with(t.as_str());
            let ok = prefix_of("true", 1)
                || prefix_of("false", 1)
                || prefix_of("yes", 1)
                || prefix_of("no", 1)
                || prefix_of("on", 2)
                || prefix_of("off", 2)
                || t == "1"
                || t == "0";
            if ok { Ok(()) } else { Err(invalid("boolean")) }
        }
        "uuid" => {
            if uuid_ok(text) {
                Ok(())
            } else {
                Err(invalid("uuid"))
            }
        }
        "json" | "jsonb" => {
            if !json_ok(text) {
                return Err(invalid("json").detail("Token is invalid."));
            }
            if name == "jsonb" && text.contains("\\u0000") {
                return Err(PgError::new("22P05", "unsupported Unicode escape sequence")
                    .detail("\\u0000 cannot be converted to text."));
            }
            Ok(())
        }
        "inet" | "cidr" => net::check(text, name == "cidr"),
        "bytea" => bytea_input(text),
        _ => Ok(()),
    }
}

/// The JSON grammar PostgreSQL's json parser takes (RFC 8259: no trailing
/// commas or comments; numbers of any size, as json keeps them as text).
fn json_ok(text: &str) -> bool {
    fn ws(b: &[u8], i: &mut usize) {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    }
    fn string(b: &[u8], i: &mut usize) -> bool {
        *i += 1;
        while *i < b.len() {
            match b[*i] {
                b'"' => {
                    *i += 1;
                    return true;
                }
                b'\\' => match b.get(*i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => *i += 2,
                    Some(b'u') => {
                        let hex = b.get(*i + 2..*i + 6);
                        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            return false;
                        }
                        *i += 6;
                    }
                    _ => return false,
                },
                c if c < 0x20 => return false,
                _ => *i += 1,
            }
        }
        false
    }
    fn number(b: &[u8], i: &mut usize) -> bool {
        if b.get(*i) == Some(&b'-') {
            *i += 1;
        }
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i > s
        };
        match b.get(*i) {
            Some(b'0') => *i += 1,
            Some(b'1'..=b'9') => {
                digits(i);
            }
            _ => return false,
        }
        if b.get(*i) == Some(&b'.') {
            *i += 1;
            if !digits(i) {
                return false;
            }
        }
        if matches!(b.get(*i), Some(b'e' | b'E')) {
            *i += 1;
            if matches!(b.get(*i), Some(b'+' | b'-')) {
                *i += 1;
            }
            if !digits(i) {
                return false;
            }
        }
        true
    }
    fn value(b: &[u8], i: &mut usize, depth: usize) -> bool {
        // PostgreSQL stops at its stack depth limit, far deeper than this.
        if depth > 10_000 {
            return false;
        }
        ws(b, i);
        match b.get(*i) {
            Some(b'{') => {
                *i += 1;
                ws(b, i);
                if b.get(*i) == Some(&b'}') {
                    *i += 1;
                    true
                } else {
                    loop {
                        ws(b, i);
                        if b.get(*i) != Some(&b'"') || !string(b, i) {
                            break false;
                        }
                        ws(b, i);
                        if b.get(*i) != Some(&b':') {
                            break false;
                        }
                        *i += 1;
                        if !value(b, i, depth + 1) {
                            break false;
                        }
                        ws(b, i);
                        match b.get(*i) {
                            Some(b',') => *i += 1,
                            Some(b'}') => {
                                *i += 1;
                                break true;
                            }
                            _ => break false,
                        }
                    }
                }
            }
            Some(b'[') => {
                *i += 1;
                ws(b, i);
                if b.get(*i) == Some(&b']') {
                    *i += 1;
                    true
                } else {
                    loop {
                        if !value(b, i, depth + 1) {
                            break false;
                        }
                        ws(b, i);
                        match b.get(*i) {
                            Some(b',') => *i += 1,
                            Some(b']') => {
                                *i += 1;
                                break true;
                            }
                            _ => break false,
                        }
                    }
                }
            }
            Some(b'"') => string(b, i),
            Some(b't') if b[*i..].starts_with(b"true") => {
                *i += 4;
                true
            }
            Some(b'f') if b[*i..].starts_with(b"false") => {
                *i += 5;
                true
            }
            Some(b'n') if b[*i..].starts_with(b"null") => {
                *i += 4;
                true
            }
            Some(_) => number(b, i),
            None => false,
        }
    }
    let b = text.as_bytes();
    let mut i = 0;
    if !value(b, &mut i, 0) {
        return false;
    }
    ws(b, &mut i);
    i == b.len()
}

/// `numeric_in`: blanks, sign, digits with one point, an exponent, or one
/// of the special values.
fn numeric_syntax_ok(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "nan" | "infinity" | "+infinity" | "-infinity" | "inf" | "+inf" | "-inf"
    ) {
        return true;
    }
    let b = lower.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits = 0;
    let mut seen_point = false;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => digits += 1,
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'e' {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// `float8in` / `float4in`: `strtod` syntax, and a value the type can
/// hold (overflow and underflow to zero are errors).
fn float_input(text: &str, single: bool) -> PgResult<()> {
    let label = if single { "real" } else { "double precision" };
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = t.to_ascii_lowercase();
    let special = [
        "nan",
        "+nan",
        "-nan",
        "infinity",
        "+infinity",
        "-infinity",
        "inf",
        "+inf",
        "-inf",
    ];
    // `strtod` also reads hexadecimal floating point (`0x1p3`).
    let hex = lower.trim_start_matches(['+', '-']).starts_with("0x");
    if special.contains(&lower.as_str()) || hex {
        return Ok(());
    }
    if !numeric_syntax_ok(t) {
        return Err(PgError::new(
            code::INVALID_TEXT_REPRESENTATION,
            format!("invalid input syntax for type {label}: \"{text}\""),
        ));
    }
    let out_of_range = || {
        PgError::new(
            code::NUMERIC_VALUE_OUT_OF_RANGE,
            format!("\"{t}\" is out of range for type {label}"),
        )
    };
    let nonzero = t
        .split(['e', 'E'])
        .next()
        .is_some_and(|m| m.bytes().any(|b| (b'1'..=b'9').contains(&b)));
    let (infinite, zero) = if single {
        let v: f32 = t.parse().map_err(|_| out_of_range())?;
        (v.is_infinite(), v == 0.0)
    } else {
        let v: f64 = t.parse().map_err(|_| out_of_range())?;
        (v.is_infinite(), v == 0.0)
    };
    if infinite || (zero && nonzero) {
        return Err(out_of_range());
    }
    Ok(())
}

/// `string_to_uuid`: 32 hex digits, optionally braced, with a hyphen
/// allowed after any group of four.
fn uuid_ok(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let braces = b.first() == Some(&b'{');
    if braces {
        i += 1;
    }
    for pair in 0..16 {
        let (Some(h), Some(l)) = (b.get(i), b.get(i + 1)) else {
            return false;
        };
        if !h.is_ascii_hexdigit() || !l.is_ascii_hexdigit() {
            return false;
        }
        i += 2;
        if pair % 2 == 1 && pair < 15 && b.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    if braces {
        if b.get(i) != Some(&b'}') {
            return false;
        }
        i += 1;
    }
    i == b.len()
}

/// `byteain`: `\x` and hex digits, or the escape format.
fn bytea_input(text: &str) -> PgResult<()> {
    if let Some(hex) = text.strip_prefix("\\x") {
        let mut count = 0;
        for c in hex.chars() {
            if matches!(c, ' ' | '\n' | '\t' | '\r') {
                continue;
            }
            if !c.is_ascii_hexdigit() {
                return Err(PgError::new(
                    code::INVALID_PARAMETER_VALUE,
                    format!("invalid hexadecimal digit: \"{c}\""),
                ));
            }
            count += 1;
        }
        if count % 2 == 1 {
            return Err(PgError::new(
                code::INVALID_PARAMETER_VALUE,
                "invalid hexadecimal data: odd number of digits",
            ));
        }
        return Ok(());
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let octal = b.len() >= i + 4
                && (b'0'..=b'3').contains(&b[i + 1])
                && (b'0'..=b'7').contains(&b[i + 2])
                && (b'0'..=b'7').contains(&b[i + 3]);
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
            } else if octal {
                i += 4;
            } else {
                return Err(PgError::new(
                    code::INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type bytea",
                ));
            }
        } else {
            i += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(r: PgResult<()>) -> String {
        match r {
            Ok(()) => "ok".into(),
            Err(e) => e.sqlstate.to_string(),
        }
    }

    fn input(ty: &str, text: &str) -> String {
        let c = Catalog::new();
        let parsed = pg_query::parse(&format!("CREATE TABLE t (c {ty})"), 0).unwrap();
        let Some(pg_query::NodeEnum::CreateStmt(cs)) = parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.clone())
        else {
            panic!()
        };
        let Some(pg_query::NodeEnum::ColumnDef(cd)) = cs.table_elts[0].node.clone() else {
            panic!()
        };
        let t = c.resolve_type(cd.type_name.as_ref().unwrap()).unwrap();
        state(c.check_input(text, &t))
    }

    fn assign(ty: &str, text: &str) -> String {
        let c = Catalog::new();
        let parsed = pg_query::parse(&format!("CREATE TABLE t (c {ty})"), 0).unwrap();
        let Some(pg_query::NodeEnum::CreateStmt(cs)) = parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.clone())
        else {
            panic!()
        };
        let Some(pg_query::NodeEnum::ColumnDef(cd)) = cs.table_elts[0].node.clone() else {
            panic!()
        };
        let t = c.resolve_type(cd.type_name.as_ref().unwrap()).unwrap();
        state(c.check_assignment(text, &t))
    }

    #[test]
    fn scalar_inputs() {
        assert_eq!(input("int", " 42 "), "ok");
        assert_eq!(input("int", "4x"), "22P02");
        assert_eq!(input("smallint", "40000"), "22003");
        assert_eq!(input("numeric", "1.5e3"), "ok");
        assert_eq!(input("numeric", "1.2.3"), "22P02");
        assert_eq!(input("float8", "1e400"), "22003");
        assert_eq!(input("float8", "1e-400"), "22003");
        assert_eq!(input("float8", "-Infinity"), "ok");
        assert_eq!(input("bool", "of"), "ok");
        assert_eq!(input("bool", "o"), "22P02");
        assert_eq!(input("uuid", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"), "ok");
        assert_eq!(
            input("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1"),
            "22P02"
        );
        assert_eq!(input("bytea", "\\x0g"), "22023");
        assert_eq!(input("bytea", "a\\001b"), "ok");
        assert_eq!(input("bytea", "a\\9"), "22P02");
        assert_eq!(input("date", "2023-02-30"), "22008");
        assert_eq!(input("interval", "3 fortnights"), "22007");
        assert_eq!(input("inet", "300.1.1.1"), "22P02");
        assert_eq!(
            input("json", "{\"a\": [1, 2.5e400, true, null, \"x\\u00e9\"]}"),
            "ok"
        );
        assert_eq!(input("json", "{\"a\": 1,}"), "22P02");
        assert_eq!(input("json", "{a: 1}"), "22P02");
        assert_eq!(input("jsonb", "01"), "22P02");
    }

    #[test]
    fn modifiers_apply_on_assignment_only() {
        assert_eq!(input("varchar(3)", "abcdef"), "ok");
        assert_eq!(assign("varchar(3)", "abcdef"), "22001");
        assert_eq!(assign("varchar(3)", "abc   "), "ok");
        assert_eq!(assign("numeric(3,1)", "99.94"), "ok");
        assert_eq!(assign("numeric(3,1)", "99.96"), "22003");
        assert_eq!(assign("numeric(3,1)", "-12.3"), "ok");
        assert_eq!(assign("numeric(5,2)", "1e3"), "22003");
        assert_eq!(assign("varchar(2)[]", "{ab,abc}"), "22001");
    }

    #[test]
    fn array_elements_go_through_the_element_input() {
        assert_eq!(input("int[]", "{1,2,3}"), "ok");
        assert_eq!(input("int[]", "{1,x}"), "22P02");
        assert_eq!(input("int[]", "{{1,2},{3,4}}"), "ok");
        assert_eq!(input("int[]", "{NULL, 2}"), "ok");
        assert_eq!(input("int[]", "1,2"), "22P02");
        assert_eq!(input("text[]", "{\"a,b\",c}"), "ok");
    }
}
