//! Python strings: `str()`/`repr()` of known values, `%` formatting,
//! `str.format`, the format-spec mini-language, string methods, and the
//! [`TextMap`] bookkeeping that lets SQL built from literals point back into
//! the Python file.

use std::sync::Arc;

use crate::alembic::sink::TextMap;
use crate::python::value::{PyStr, Value};

/// Why a string operation could not produce a value.
#[derive(Debug, Clone)]
pub enum StrError {
    /// An operand is not known statically (the reason says which).
    Unknown(String),
    /// Python would raise `class: message`.
    Raise(&'static str, String),
}

pub type StrResult<T> = Result<T, StrError>;

fn raise<T>(class: &'static str, msg: impl Into<String>) -> StrResult<T> {
    Err(StrError::Raise(class, msg.into()))
}

/// Builds a string from pieces, keeping the file mapping of mapped pieces.
#[derive(Default)]
pub struct StrBuf {
    s: String,
    segments: Vec<(u32, u32, u32)>,
}

impl StrBuf {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push_plain(&mut self, s: &str) {
        self.s.push_str(s);
    }

    pub fn push(&mut self, p: &PyStr) {
        self.push_slice(p, 0, p.value.len());
    }

    /// Appends `p[start..end]` (byte offsets on char boundaries).
    pub fn push_slice(&mut self, p: &PyStr, start: usize, end: usize) {
        let base = self.s.len() as u32;
        self.s.push_str(&p.value[start..end]);
        if let Some(map) = &p.text_map {
            let (start, end) = (start as u32, end as u32);
            for &(s, f, len) in &map.segments {
                let (a, b) = (s.max(start), (s + len).min(end));
                if a < b {
                    self.segments.push((base + (a - start), f + (a - s), b - a));
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.s.len()
    }

    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    pub fn finish(self) -> PyStr {
        let text_map = (!self.segments.is_empty()).then_some(TextMap {
            segments: self.segments,
        });
        PyStr::mapped(self.s, text_map)
    }
}

/// `str(v)` for values whose text is known.
pub fn py_str(v: &Value) -> StrResult<String> {
    match v {
        Value::Str(s) => Ok(s.value.to_string()),
        other => py_repr(other),
    }
}

/// `repr(v)` for values whose text is known.
pub fn py_repr(v: &Value) -> StrResult<String> {
    Ok(match v {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(&s.value),
        Value::Bytes(b) => bytes_repr(b),
        Value::List(items) => format!("[{}]", join_reprs(items)?),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", py_repr(&items[0])?),
        Value::Tuple(items) => format!("({})", join_reprs(items)?),
        Value::Set(items) if items.is_empty() => "set()".into(),
        Value::Set(items) => format!("{{{}}}", join_reprs(items)?),
        Value::Dict(kv) => {
            let mut parts = Vec::with_capacity(kv.len());
            for (k, v) in kv {
                parts.push(format!("{}: {}", py_repr(k)?, py_repr(v)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Value::Object(o) => {
            if let Some(t) = super::Obj::text_of(o.as_any()) {
                return t;
            }
            return Err(StrError::Unknown(format!(
                "the text of a `{}` object is not known statically",
                o.type_name()
            )));
        }
        Value::Unknown(u) => return Err(StrError::Unknown(u.reason.clone())),
        Value::Symbol(s) => {
            return Err(StrError::Unknown(format!(
                "the text of `{}` (outside the project) is not known statically",
                s.path
            )));
        }
        Value::Call(c) => {
            return Err(StrError::Unknown(format!(
                "the text of `{}` is not known statically",
                super::describe_call(c)
            )));
        }
        Value::Host(h) => {
            return Err(StrError::Unknown(format!(
                "the text of a `{}` object is not known statically",
                h.kind
            )));
        }
    })
}

fn join_reprs(items: &[Value]) -> StrResult<String> {
    let mut parts = Vec::with_capacity(items.len());
    for i in items {
        parts.push(py_repr(i)?);
    }
    Ok(parts.join(", "))
}

/// Python's `repr` of a str: single quotes unless the text holds a single
/// quote and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

/// Python's `repr(float)`: the shortest text that reads back the same,
/// in exponent form below 1e-4 and from 1e16 up.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let abs = f.abs();
    if (1e-4..1e16).contains(&abs) {
        let s = format!("{f:?}");
        if s.contains('e') {
            // Debug switches to exponents for some values Python prints plainly.
            let plain = format!("{f}");
            if plain.contains('.') {
                plain
            } else {
                format!("{plain}.0")
            }
        } else {
            s
        }
    } else {
        // `{:e}` gives the shortest digits: 1e16 -> "1e16", 1.5e-7 -> "1.5e-7".
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    }
}

/// `fmt % args` (printf-style formatting).
pub fn percent_format(fmt: &PyStr, args: &Value) -> StrResult<PyStr> {
    type Args<'v> = (Vec<&'v Value>, Option<&'v [(Value, Value)]>);
    let (positional, mapping): Args<'_> = match args {
        Value::Tuple(items) => (items.iter().collect(), None),
        Value::Dict(kv) => (vec![args], Some(kv)),
        Value::Unknown(u) => return Err(StrError::Unknown(u.reason.clone())),
        other => (vec![other], None),
    };
    let s = &*fmt.value;
    let bytes = s.as_bytes();
    let mut out = StrBuf::new();
    let mut next = 0usize;
    let mut lit_start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.push_slice(fmt, lit_start, i);
        i += 1;
        if i >= bytes.len() {
            return raise("ValueError", "incomplete format");
        }
        // Mapping key.
        let mut key: Option<&str> = None;
        if bytes[i] == b'(' {
            let Some(close) = s[i..].find(')') else {
                return raise("ValueError", "incomplete format key");
            };
            key = Some(&s[i + 1..i + close]);
            i += close + 1;
        }
        let mut spec = FormatSpec::default();
        // Flags.
        while i < bytes.len() && b"-+ #0".contains(&bytes[i]) {
            match bytes[i] {
                b'-' => spec.align = Some('<'),
                b'+' => spec.sign = '+',
                b' ' if spec.sign != '+' => spec.sign = ' ',
                b'#' => spec.alternate = true,
                b'0' => spec.zero = true,
                _ => {}
            }
            i += 1;
        }
        let take_arg = |out_next: &mut usize| -> StrResult<Value> {
            let v = positional.get(*out_next).copied().cloned();
            *out_next += 1;
            v.ok_or(StrError::Raise(
                "TypeError",
                "not enough arguments for format string".into(),
            ))
        };
        // Width.
        if i < bytes.len() && bytes[i] == b'*' {
            spec.width = Some(take_arg(&mut next)?.as_int().unwrap_or(0).max(0) as usize);
            i += 1;
        } else {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                spec.width = s[start..i].parse().ok();
            }
        }
        // Precision.
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            spec.precision = Some(s[start..i].parse().unwrap_or(0));
        }
        // Length modifiers are accepted and ignored, as in Python.
        while i < bytes.len() && b"hlL".contains(&bytes[i]) {
            i += 1;
        }
        let Some(&conv) = bytes.get(i) else {
            return raise("ValueError", "incomplete format");
        };
        i += 1;
        lit_start = i;
        if conv == b'%' {
            out.push_plain("%");
            continue;
        }
        let value = match (key, mapping) {
            (Some(k), Some(kv)) => match kv.iter().find(|(kk, _)| kk.as_str() == Some(k)) {
                Some((_, v)) => v.clone(),
                None => return raise("KeyError", str_repr(k)),
            },
            (Some(_), None) => return raise("TypeError", "format requires a mapping"),
            (None, _) => take_arg(&mut next)?,
        };
        if let Value::Unknown(u) = &value {
            return Err(StrError::Unknown(u.reason.clone()));
        }
        match conv {
            b's' | b'r' | b'a' => {
                let text = if conv == b's' {
                    if let Value::Str(p) = &value
                        && spec.width.is_none()
                        && spec.precision.is_none()
                    {
                        out.push(p);
                        continue;
                    }
                    py_str(&value)?
                } else {
                    py_repr(&value)?
                };
                let text = match spec.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                };
                out.push_plain(&pad(&text, spec.width, spec.align.unwrap_or('>'), ' '));
            }
            b'd' | b'i' | b'u' | b'x' | b'X' | b'o' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G'
            | b'c' => {
                let ty = match conv {
                    b'i' | b'u' => 'd',
                    c => c as char,
                };
                spec.ty = Some(ty);
                if spec.zero && spec.align.is_none() {
                    spec.fill = '0';
                    spec.align = Some('=');
                }
                if matches!(ty, 'd' | 'x' | 'X' | 'o')
                    && let Value::Float(f) = value
                {
                    let text = format_value(&Value::Int(f.trunc() as i64), &spec)?;
                    out.push_plain(&text);
                    continue;
                }
                out.push_plain(&format_value(&value, &spec)?);
            }
            other => {
                return raise(
                    "ValueError",
                    format!("unsupported format character '{}'", other as char),
                );
            }
        }
    }
    out.push_slice(fmt, lit_start, bytes.len());
    if mapping.is_none() && next < positional.len() {
        return raise(
            "TypeError",
            "not all arguments converted during string formatting",
        );
    }
    Ok(out.finish())
}

/// A parsed format spec (`[[fill]align][sign][#][0][width][,][.precision][type]`).
#[derive(Debug, Clone)]
pub struct FormatSpec {
    pub fill: char,
    pub align: Option<char>,
    pub sign: char,
    pub alternate: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

impl Default for FormatSpec {
    fn default() -> Self {
        FormatSpec {
            fill: ' ',
            align: None,
            sign: '-',
            alternate: false,
            zero: false,
            width: None,
            grouping: None,
            precision: None,
            ty: None,
        }
    }
}

pub fn parse_spec(spec: &str) -> StrResult<FormatSpec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut f = FormatSpec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        f.fill = chars[0];
        f.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        f.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        f.sign = chars[i];
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        f.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        f.zero = true;
        if f.align.is_none() {
            f.fill = '0';
            f.align = Some('=');
        }
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        f.width = chars[start..i].iter().collect::<String>().parse().ok();
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        f.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return raise("ValueError", "Format specifier missing precision");
        }
        f.precision = chars[start..i].iter().collect::<String>().parse().ok();
    }
    if i < chars.len() {
        f.ty = Some(chars[i]);
        i += 1;
    }
    if i != chars.len() {
        return raise("ValueError", "Invalid format specifier");
    }
    Ok(f)
}

fn pad(text: &str, width: Option<usize>, align: char, fill: char) -> String {
    let len = text.chars().count();
    let Some(w) = width.filter(|w| *w > len) else {
        return text.to_owned();
    };
    let n = w - len;
    let fills = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match align {
        '<' => format!("{text}{}", fills(n)),
        '^' => format!("{}{text}{}", fills(n / 2), fills(n - n / 2)),
        _ => format!("{}{text}", fills(n)),
    }
}

fn group_digits(digits: &str, sep: char, every: usize) -> String {
    let mut out = String::new();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `format(value, spec)` for known numbers and strings.
pub fn format_value(v: &Value, spec: &FormatSpec) -> StrResult<String> {
    let numeric_sign = |neg: bool| -> &'static str {
        if neg {
            "-"
        } else {
            match spec.sign {
                '+' => "+",
                ' ' => " ",
                _ => "",
            }
        }
    };
    let finish = |sign: &str, prefix: &str, body: String| -> String {
        let align = spec.align.unwrap_or('>');
        if align == '=' {
            let inner = format!("{prefix}{body}");
            let total = sign.chars().count() + inner.chars().count();
            let n = spec.width.unwrap_or(0).saturating_sub(total);
            format!(
                "{sign}{}{inner}",
                std::iter::repeat_n(spec.fill, n).collect::<String>()
            )
        } else {
            pad(
                &format!("{sign}{prefix}{body}"),
                spec.width,
                align,
                spec.fill,
            )
        }
    };
    match v {
        Value::Str(s) => {
            if !matches!(spec.ty, None | Some('s')) {
                return raise(
                    "ValueError",
                    format!(
                        "Unknown format code '{}' for object of type 'str'",
                        spec.ty.unwrap_or('?')
                    ),
                );
            }
            let text: String = match spec.precision {
                Some(p) => s.value.chars().take(p).collect(),
                None => s.value.to_string(),
            };
            Ok(pad(&text, spec.width, spec.align.unwrap_or('<'), spec.fill))
        }
        Value::Bool(b) if spec.ty.is_none() => Ok(pad(
            if *b { "True" } else { "False" },
            spec.width,
            spec.align.unwrap_or('<'),
            spec.fill,
        )),
        Value::Int(_) | Value::Bool(_) => {
            let i = v.as_int().unwrap_or(0);
            let neg = i < 0;
            let abs = i.unsigned_abs();
            let (prefix, body) = match spec.ty.unwrap_or('d') {
                'd' | 'n' => ("", abs.to_string()),
                'x' => (if spec.alternate { "0x" } else { "" }, format!("{abs:x}")),
                'X' => (if spec.alternate { "0X" } else { "" }, format!("{abs:X}")),
                'o' => (if spec.alternate { "0o" } else { "" }, format!("{abs:o}")),
                'b' => (if spec.alternate { "0b" } else { "" }, format!("{abs:b}")),
                'c' => {
                    let c = char::from_u32(i as u32).ok_or(StrError::Raise(
                        "OverflowError",
                        "%c arg not in range(0x110000)".into(),
                    ))?;
                    return Ok(pad(
                        &c.to_string(),
                        spec.width,
                        spec.align.unwrap_or('<'),
                        spec.fill,
                    ));
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
                    return format_value(&Value::Float(i as f64), spec);
                }
                other => {
                    return raise(
                        "ValueError",
                        format!("Unknown format code '{other}' for object of type 'int'"),
                    );
                }
            };
            let body = match spec.grouping {
                Some(sep) => group_digits(
                    &body,
                    sep,
                    if spec.ty == Some('d') || spec.ty.is_none() {
                        3
                    } else {
                        4
                    },
                ),
                None => body,
            };
            Ok(finish(numeric_sign(neg), prefix, body))
        }
        Value::Float(f) => {
            let neg = f.is_sign_negative() && !f.is_nan();
            let a = f.abs();
            let body = match spec.ty {
                None => match spec.precision {
                    Some(p) => format_general(a, p.max(1), true),
                    None => float_repr(a),
                },
                Some('f') | Some('F') => format!("{:.*}", spec.precision.unwrap_or(6), a),
                Some('e') | Some('E') => {
                    let s = format!("{:.*e}", spec.precision.unwrap_or(6), a);
                    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                    let e: i32 = e.parse().unwrap_or(0);
                    let r = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                    if spec.ty == Some('E') {
                        r.to_uppercase()
                    } else {
                        r
                    }
                }
                Some('g') | Some('G') => {
                    let r = format_general(a, spec.precision.unwrap_or(6).max(1), false);
                    if spec.ty == Some('G') {
                        r.to_uppercase()
                    } else {
                        r
                    }
                }
                Some('%') => format!("{:.*}%", spec.precision.unwrap_or(6), a * 100.0),
                Some(other) => {
                    return raise(
                        "ValueError",
                        format!("Unknown format code '{other}' for object of type 'float'"),
                    );
                }
            };
            let body = match spec.grouping {
                Some(sep) => {
                    let (int, frac) = match body.find('.') {
                        Some(p) => (&body[..p], &body[p..]),
                        None => (&body[..], ""),
                    };
                    if int.bytes().all(|b| b.is_ascii_digit()) {
                        format!("{}{frac}", group_digits(int, sep, 3))
                    } else {
                        body
                    }
                }
                None => body,
            };
            Ok(finish(numeric_sign(neg), "", body))
        }
        Value::Unknown(u) => Err(StrError::Unknown(u.reason.clone())),
        other => {
            let text = py_str(other)?;
            if spec.ty.is_some() || spec.precision.is_some() {
                return raise(
                    "TypeError",
                    format!(
                        "unsupported format string passed to {}.__format__",
                        other.type_name()
                    ),
                );
            }
            Ok(pad(&text, spec.width, spec.align.unwrap_or('<'), spec.fill))
        }
    }
}

/// `%g`-style formatting with `p` significant digits.
fn format_general(a: f64, p: usize, repr_like: bool) -> String {
    if a == 0.0 {
        return if repr_like { "0.0".into() } else { "0".into() };
    }
    if !a.is_finite() {
        return float_repr(a);
    }
    let exp = a.log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = format!("{:.*e}", p - 1, a);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        let e: i32 = e.parse().unwrap_or(0);
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let s = format!("{a:.decimals$}");
        if s.contains('.') {
            let t = s.trim_end_matches('0').trim_end_matches('.');
            if repr_like && !t.contains('.') {
                format!("{t}.0")
            } else {
                t.to_owned()
            }
        } else if repr_like {
            format!("{s}.0")
        } else {
            s
        }
    }
}

/// One replacement field of `str.format`: `{name.attr[key]!conv:spec}`.
pub struct Field<'s> {
    pub name: &'s str,
    pub conversion: Option<char>,
    pub spec: &'s str,
}

/// Splits a `str.format` template into literal pieces (byte ranges) and fields.
pub enum Piece<'s> {
    Literal(usize, usize),
    /// `{{` or `}}`.
    Brace(char),
    Field(Field<'s>),
}

pub fn parse_format_template(s: &str) -> StrResult<Vec<Piece<'_>>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut lit = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                out.push(Piece::Literal(lit, i));
                out.push(Piece::Brace('{'));
                i += 2;
                lit = i;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                out.push(Piece::Literal(lit, i));
                out.push(Piece::Brace('}'));
                i += 2;
                lit = i;
            }
            b'{' => {
                out.push(Piece::Literal(lit, i));
                // Find the matching close brace (one nesting level for specs).
                let mut depth = 1;
                let mut j = i + 1;
                while j < bytes.len() && depth > 0 {
                    match bytes[j] {
                        b'{' => depth += 1,
                        b'}' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if depth != 0 {
                    return raise("ValueError", "expected '}' before end of string");
                }
                let inner = &s[i + 1..j - 1];
                let (head, spec) = match inner.find(':') {
                    Some(p) => (&inner[..p], &inner[p + 1..]),
                    None => (inner, ""),
                };
                let (name, conversion) = match head.find('!') {
                    Some(p) => (&head[..p], head[p + 1..].chars().next()),
                    None => (head, None),
                };
                out.push(Piece::Field(Field {
                    name,
                    conversion,
                    spec,
                }));
                i = j;
                lit = i;
            }
            b'}' => return raise("ValueError", "Single '}' encountered in format string"),
            _ => i += 1,
        }
    }
    out.push(Piece::Literal(lit, bytes.len()));
    Ok(out)
}

/// Python's `str.split` without a separator.
fn split_whitespace(s: &str, maxsplit: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if maxsplit.is_some_and(|m| out.len() >= m) {
            out.push(rest.to_owned());
            break;
        }
        match rest.find(char::is_whitespace) {
            Some(p) => {
                out.push(rest[..p].to_owned());
                rest = rest[p..].trim_start();
            }
            None => {
                out.push(rest.to_owned());
                break;
            }
        }
    }
    out
}

fn arg_str<'v>(args: &'v [Value], i: usize, method: &str) -> StrResult<Option<&'v PyStr>> {
    match args.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(Value::Unknown(u)) => Err(StrError::Unknown(u.reason.clone())),
        Some(other) => raise(
            "TypeError",
            format!("{method}() argument must be str, not {}", other.type_name()),
        ),
    }
}

fn arg_int(args: &[Value], i: usize) -> StrResult<Option<i64>> {
    match args.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Unknown(u)) => Err(StrError::Unknown(u.reason.clone())),
        Some(v) => v.as_int().map(Some).ok_or(StrError::Raise(
            "TypeError",
            "an integer is required".into(),
        )),
    }
}

fn strip_chars(s: &str, chars: Option<&str>, left: bool, right: bool) -> (usize, usize) {
    let is_strip = |c: char| match chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let mut start = 0;
    let mut end = s.len();
    if left {
        start = s.len() - s.trim_start_matches(is_strip).len();
    }
    if right {
        end = s[start..].trim_end_matches(is_strip).len() + start;
    }
    (start, end)
}

fn sub(s: &PyStr, start: usize, end: usize) -> Value {
    let mut b = StrBuf::new();
    b.push_slice(s, start, end);
    Value::Str(b.finish())
}

/// `s.method(*args)` for the str methods migrations use. `None`: no such
/// method is modelled.
pub fn str_method(s: &PyStr, name: &str, args: &[Value]) -> Option<StrResult<Value>> {
    let text = &*s.value;
    let r = (|| -> StrResult<Value> {
        // A library value (`logger.name + "."`) may well be a str when the
        // program runs: the result is unknown, not a TypeError.
        if let Some(i) = args
            .iter()
            .position(|a| matches!(a, Value::Call(_) | Value::Symbol(_) | Value::Host(_)))
        {
            return Err(StrError::Unknown(format!(
                "`str.{name}()`: argument {} is not known statically",
                i + 1
            )));
        }
        Ok(match name {
            "lower" => Value::str(text.to_lowercase()),
            "upper" => Value::str(text.to_uppercase()),
            "casefold" => Value::str(text.to_lowercase()),
            "title" => Value::str(title_case(text)),
            "capitalize" => {
                let mut c = text.chars();
                Value::str(match c.next() {
                    Some(f) => f
                        .to_uppercase()
                        .chain(c.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                })
            }
            "swapcase" => Value::str(
                text.chars()
                    .flat_map(|c| -> Vec<char> {
                        if c.is_uppercase() {
                            c.to_lowercase().collect()
                        } else {
                            c.to_uppercase().collect()
                        }
                    })
                    .collect::<String>(),
            ),
            "strip" | "lstrip" | "rstrip" => {
                let chars = arg_str(args, 0, name)?;
                let (a, b) = strip_chars(
                    text,
                    chars.map(|c| &*c.value),
                    name != "rstrip",
                    name != "lstrip",
                );
                sub(s, a, b)
            }
            "removeprefix" => {
                let p = arg_str(args, 0, name)?
                    .map(|p| p.value.clone())
                    .unwrap_or_default();
                if text.starts_with(&*p) {
                    sub(s, p.len(), text.len())
                } else {
                    Value::Str(s.clone())
                }
            }
            "removesuffix" => {
                let p = arg_str(args, 0, name)?
                    .map(|p| p.value.clone())
                    .unwrap_or_default();
                if !p.is_empty() && text.ends_with(&*p) {
                    sub(s, 0, text.len() - p.len())
                } else {
                    Value::Str(s.clone())
                }
            }
            "replace" => {
                let (Some(old), Some(new)) = (arg_str(args, 0, name)?, arg_str(args, 1, name)?)
                else {
                    return raise("TypeError", "replace() takes at least 2 arguments");
                };
                let count = arg_int(args, 2)?.filter(|c| *c >= 0).map(|c| c as usize);
                Value::Str(replace(s, &old.value, new, count))
            }
            "startswith" | "endswith" => {
                let check = |p: &str| {
                    if name == "startswith" {
                        text.starts_with(p)
                    } else {
                        text.ends_with(p)
                    }
                };
                match args.first() {
                    Some(Value::Str(p)) => Value::Bool(check(&p.value)),
                    Some(Value::Tuple(items)) => {
                        let mut any = false;
                        for i in items {
                            match i {
                                Value::Str(p) => any |= check(&p.value),
                                Value::Unknown(u) => {
                                    return Err(StrError::Unknown(u.reason.clone()));
                                }
                                _ => {
                                    return raise(
                                        "TypeError",
                                        "tuple for startswith must only contain str",
                                    );
                                }
                            }
                        }
                        Value::Bool(any)
                    }
                    Some(Value::Unknown(u)) => return Err(StrError::Unknown(u.reason.clone())),
                    _ => {
                        return raise(
                            "TypeError",
                            format!("{name} first arg must be str or a tuple of str"),
                        );
                    }
                }
            }
            "split" | "rsplit" => {
                let sep = arg_str(args, 0, name)?;
                let max = arg_int(args, 1)?.filter(|m| *m >= 0).map(|m| m as usize);
                let parts: Vec<String> = match sep {
                    None if name == "split" => split_whitespace(text, max),
                    None => {
                        let rev: String = text.chars().rev().collect();
                        let mut p: Vec<String> = split_whitespace(&rev, max)
                            .into_iter()
                            .map(|x| x.chars().rev().collect())
                            .collect();
                        p.reverse();
                        p
                    }
                    Some(sep) if sep.value.is_empty() => {
                        return raise("ValueError", "empty separator");
                    }
                    Some(sep) => match (name, max) {
                        ("split", Some(m)) => {
                            text.splitn(m + 1, &*sep.value).map(str::to_owned).collect()
                        }
                        ("split", None) => text.split(&*sep.value).map(str::to_owned).collect(),
                        (_, Some(m)) => {
                            let mut p: Vec<String> = text
                                .rsplitn(m + 1, &*sep.value)
                                .map(str::to_owned)
                                .collect();
                            p.reverse();
                            p
                        }
                        _ => text.split(&*sep.value).map(str::to_owned).collect(),
                    },
                };
                Value::List(parts.into_iter().map(Value::str).collect())
            }
            "splitlines" => {
                let keep = matches!(args.first(), Some(Value::Bool(true)));
                let mut out = Vec::new();
                let mut rest = text;
                while !rest.is_empty() {
                    match rest.find(['\n', '\r']) {
                        Some(p) => {
                            let nl = if rest[p..].starts_with("\r\n") { 2 } else { 1 };
                            out.push(Value::str(if keep { &rest[..p + nl] } else { &rest[..p] }));
                            rest = &rest[p + nl..];
                        }
                        None => {
                            out.push(Value::str(rest));
                            break;
                        }
                    }
                }
                Value::List(out)
            }
            "partition" | "rpartition" => {
                let Some(sep) = arg_str(args, 0, name)? else {
                    return raise("TypeError", "partition() takes exactly one argument");
                };
                let found = if name == "partition" {
                    text.find(&*sep.value)
                } else {
                    text.rfind(&*sep.value)
                };
                let parts = match found {
                    Some(p) => vec![
                        sub(s, 0, p),
                        Value::Str(sep.clone()),
                        sub(s, p + sep.value.len(), text.len()),
                    ],
                    None if name == "partition" => {
                        vec![Value::Str(s.clone()), Value::str(""), Value::str("")]
                    }
                    None => vec![Value::str(""), Value::str(""), Value::Str(s.clone())],
                };
                Value::Tuple(parts)
            }
            "find" | "rfind" | "index" | "rindex" | "count" => {
                let Some(needle) = arg_str(args, 0, name)? else {
                    return raise("TypeError", format!("{name}() takes at least 1 argument"));
                };
                if name == "count" {
                    let n = if needle.value.is_empty() {
                        text.chars().count() + 1
                    } else {
                        text.matches(&*needle.value).count()
                    };
                    return Ok(Value::Int(n as i64));
                }
                let found = if name.starts_with('r') {
                    text.rfind(&*needle.value)
                } else {
                    text.find(&*needle.value)
                };
                match found {
                    Some(p) => Value::Int(text[..p].chars().count() as i64),
                    None if name.ends_with("find") => Value::Int(-1),
                    None => return raise("ValueError", "substring not found"),
                }
            }
            "join" => {
                let Some(items) = args.first() else {
                    return raise("TypeError", "join() takes exactly one argument");
                };
                let items = match items {
                    Value::List(v) | Value::Tuple(v) | Value::Set(v) => v.clone(),
                    Value::Dict(kv) => kv.iter().map(|(k, _)| k.clone()).collect(),
                    Value::Str(p) => p.value.chars().map(|c| Value::str(c.to_string())).collect(),
                    Value::Unknown(u) => return Err(StrError::Unknown(u.reason.clone())),
                    Value::Call(_) | Value::Symbol(_) | Value::Host(_) | Value::Object(_) => {
                        return Err(StrError::Unknown(
                            "`str.join()` over items that are not known statically".into(),
                        ));
                    }
                    other => {
                        return raise(
                            "TypeError",
                            format!("can only join an iterable, not {}", other.type_name()),
                        );
                    }
                };
                let mut b = StrBuf::new();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        b.push(s);
                    }
                    match item {
                        Value::Str(p) => b.push(p),
                        Value::Unknown(u) => return Err(StrError::Unknown(u.reason.clone())),
                        // A library call's result (`re.escape(p)`) may be a str.
                        Value::Call(_) | Value::Symbol(_) | Value::Host(_) | Value::Object(_) => {
                            return Err(StrError::Unknown(format!(
                                "`str.join()`: item {i} is not known statically"
                            )));
                        }
                        other => {
                            return raise(
                                "TypeError",
                                format!(
                                    "sequence item {i}: expected str instance, {} found",
                                    other.type_name()
                                ),
                            );
                        }
                    }
                }
                Value::Str(b.finish())
            }
            "zfill" => {
                let w = arg_int(args, 0)?.unwrap_or(0).max(0) as usize;
                let len = text.chars().count();
                if len >= w {
                    Value::Str(s.clone())
                } else {
                    let (sign, rest) = match text.chars().next() {
                        Some(c @ ('+' | '-')) => (c.to_string(), &text[1..]),
                        _ => (String::new(), text),
                    };
                    Value::str(format!("{sign}{}{rest}", "0".repeat(w - len)))
                }
            }
            "ljust" | "rjust" | "center" => {
                let w = arg_int(args, 0)?.unwrap_or(0).max(0) as usize;
                let fill = arg_str(args, 1, name)?
                    .and_then(|f| f.value.chars().next())
                    .unwrap_or(' ');
                let align = match name {
                    "ljust" => '<',
                    "rjust" => '>',
                    _ => '^',
                };
                Value::str(pad(text, Some(w), align, fill))
            }
            "isdigit" | "isnumeric" | "isdecimal" => Value::Bool(
                !text.is_empty()
                    && text
                        .chars()
                        .all(|c| c.is_ascii_digit() || (name != "isdecimal" && c.is_numeric())),
            ),
            "isalpha" => Value::Bool(!text.is_empty() && text.chars().all(char::is_alphabetic)),
            "isalnum" => Value::Bool(!text.is_empty() && text.chars().all(char::is_alphanumeric)),
            "isspace" => Value::Bool(!text.is_empty() && text.chars().all(char::is_whitespace)),
            "islower" => Value::Bool(
                text.chars().any(char::is_lowercase) && !text.chars().any(char::is_uppercase),
            ),
            "isupper" => Value::Bool(
                text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase),
            ),
            "isidentifier" => Value::Bool(
                text.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && text.chars().all(|c| c.is_alphanumeric() || c == '_'),
            ),
            "encode" => Value::Bytes(Arc::from(text.as_bytes())),
            "expandtabs" => Value::str(text.replace('\t', "        ")),
            _ => return Err(StrError::Unknown(String::new())),
        })
    })();
    match r {
        Err(StrError::Unknown(reason)) if reason.is_empty() => None,
        other => Some(other),
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

/// `s.replace(old, new, count)` keeping the mapping of untouched pieces.
fn replace(s: &PyStr, old: &str, new: &PyStr, count: Option<usize>) -> PyStr {
    let text = &*s.value;
    let mut b = StrBuf::new();
    if old.is_empty() {
        // Python inserts `new` between every character (and at both ends).
        let mut last = 0;
        let at = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()));
        for (n, i) in at.enumerate() {
            if count.is_some_and(|c| n >= c) {
                break;
            }
            b.push_slice(s, last, i);
            b.push(new);
            last = i;
        }
        b.push_slice(s, last, text.len());
        return b.finish();
    }
    let mut last = 0;
    for (n, (i, _)) in text.match_indices(old).enumerate() {
        if count.is_some_and(|c| n >= c) {
            break;
        }
        b.push_slice(s, last, i);
        b.push(new);
        last = i + old.len();
    }
    b.push_slice(s, last, text.len());
    b.finish()
}

/// `textwrap.dedent`: removes the longest common leading whitespace. Lines
/// holding only whitespace are normalised to a bare newline, as Python does.
pub fn dedent(s: &PyStr) -> PyStr {
    let text = &*s.value;
    let mut margin: Option<&str> = None;
    for line in text.split('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() {
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        margin = Some(match margin {
            None => indent,
            Some(m) => {
                let common = m
                    .bytes()
                    .zip(indent.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &m[..common]
            }
        });
    }
    let margin_len = margin.map_or(0, str::len);
    let mut b = StrBuf::new();
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            b.push_slice(s, offset - 1, offset);
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() {
            // whitespace-only line: dropped to empty
        } else {
            b.push_slice(s, offset + margin_len, offset + line.len());
        }
        offset += line.len() + 1;
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> PyStr {
        PyStr::plain(v)
    }

    fn pct(fmt: &str, args: Value) -> String {
        percent_format(&s(fmt), &args).unwrap().value.to_string()
    }

    #[test]
    fn percent_formatting_matches_python() {
        assert_eq!(
            pct("%s-%d", Value::Tuple(vec![Value::str("a"), Value::Int(3)])),
            "a-3"
        );
        assert_eq!(
            pct(
                "%05.1f|%-4s|%x",
                Value::Tuple(vec![
                    Value::Float(2.71249),
                    Value::str("ab"),
                    Value::Int(255)
                ])
            ),
            "002.7|ab  |ff"
        );
        assert_eq!(pct("%r", Value::str("it's")), "\"it's\"");
        assert_eq!(pct("100%%", Value::Tuple(vec![])), "100%");
        let d = Value::Dict(vec![(Value::str("t"), Value::str("users"))]);
        assert_eq!(pct("DROP TABLE %(t)s", d), "DROP TABLE users");
        assert!(matches!(
            percent_format(&s("%s %s"), &Value::Tuple(vec![Value::Int(1)])),
            Err(StrError::Raise("TypeError", _))
        ));
        assert!(matches!(
            percent_format(&s("%s"), &Value::Tuple(vec![Value::Int(1), Value::Int(2)])),
            Err(StrError::Raise("TypeError", _))
        ));
    }

    #[test]
    fn format_specs_match_python() {
        let f = |v: Value, spec: &str| format_value(&v, &parse_spec(spec).unwrap()).unwrap();
        assert_eq!(f(Value::Int(42), ">5"), "   42");
        assert_eq!(f(Value::Int(42), "05d"), "00042");
        assert_eq!(f(Value::Int(-42), "05d"), "-0042");
        assert_eq!(f(Value::Int(1234567), ","), "1,234,567");
        assert_eq!(f(Value::Float(2.71249), ".2f"), "2.71");
        assert_eq!(f(Value::Float(0.5), ".0%"), "50%");
        assert_eq!(f(Value::str("ab"), "*^6"), "**ab**");
        assert_eq!(f(Value::Int(255), "#x"), "0xff");
        assert_eq!(f(Value::Float(1e20), ""), "1e+20");
    }

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(123456789.0), "123456789.0");
        assert_eq!(float_repr(1.5e-7), "1.5e-07");
        assert_eq!(float_repr(-2.5), "-2.5");
    }

    #[test]
    fn reprs_match_python() {
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a\"'b"), "'a\"\\'b'");
        assert_eq!(py_repr(&Value::Tuple(vec![Value::Int(1)])).unwrap(), "(1,)");
        assert_eq!(
            py_repr(&Value::Dict(vec![(Value::str("a"), Value::None)])).unwrap(),
            "{'a': None}"
        );
    }

    #[test]
    fn string_methods_match_python() {
        let call =
            |t: &str, m: &str, args: Vec<Value>| str_method(&s(t), m, &args).unwrap().unwrap();
        assert_eq!(call(" a b  c ", "split", vec![]).as_seq().unwrap().len(), 3);
        assert_eq!(
            call("a,b,,c", "split", vec![Value::str(",")])
                .as_seq()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(
            call("a.b.c", "rsplit", vec![Value::str("."), Value::Int(1)])
                .as_seq()
                .unwrap()[0]
                .as_str(),
            Some("a.b")
        );
        assert_eq!(
            call("hello world", "title", vec![]).as_str(),
            Some("Hello World")
        );
        assert_eq!(
            call("xxhixx", "strip", vec![Value::str("x")]).as_str(),
            Some("hi")
        );
        assert_eq!(
            call(
                "a-b-c",
                "replace",
                vec![Value::str("-"), Value::str("_"), Value::Int(1)]
            )
            .as_str(),
            Some("a_b-c")
        );
        assert_eq!(
            call("ab", "replace", vec![Value::str(""), Value::str("-")]).as_str(),
            Some("-a-b-")
        );
        assert_eq!(
            call("abc", "find", vec![Value::str("z")]).as_int(),
            Some(-1)
        );
        assert_eq!(
            call(
                "users",
                "startswith",
                vec![Value::Tuple(vec![Value::str("x"), Value::str("us")])]
            )
            .as_bool(),
            Some(true)
        );
        assert!(str_method(&s("x"), "no_such_method", &[]).is_none());
        assert!(matches!(
            str_method(&s("abc"), "index", &[Value::str("z")]),
            Some(Err(StrError::Raise("ValueError", _)))
        ));
    }

    #[test]
    fn join_and_replace_keep_text_maps() {
        let mapped = PyStr::mapped(
            "abc",
            Some(TextMap {
                segments: vec![(0, 100, 3)],
            }),
        );
        let joined = str_method(
            &s(", "),
            "join",
            &[Value::List(vec![
                Value::Str(mapped.clone()),
                Value::str("x"),
            ])],
        )
        .unwrap()
        .unwrap();
        let Value::Str(j) = joined else { panic!() };
        assert_eq!(&*j.value, "abc, x");
        let map = j.text_map.unwrap();
        assert_eq!(map.map(1), Some(101));
        assert_eq!(map.map(4), None);
        let r = replace(&mapped, "b", &s("XX"), None);
        let m = r.text_map.unwrap();
        assert_eq!(&*r.value, "aXXc");
        assert_eq!(m.map(0), Some(100));
        assert_eq!(m.map(1), None);
        assert_eq!(m.map(3), Some(102));
    }

    #[test]
    fn dedent_matches_python() {
        let d = dedent(&s("\n    CREATE TABLE t (\n        id int\n    );\n  \n"));
        assert_eq!(&*d.value, "\nCREATE TABLE t (\n    id int\n);\n\n");
    }

    #[test]
    fn format_template_parses_fields() {
        let pieces = parse_format_template("a{0}b{name!r:>3}{{}}").unwrap();
        let fields: Vec<_> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Field(f) => Some((f.name, f.conversion, f.spec)),
                _ => None,
            })
            .collect();
        assert_eq!(fields, vec![("0", None, ""), ("name", Some('r'), ">3")]);
        assert!(parse_format_template("a}b").is_err());
    }
}
