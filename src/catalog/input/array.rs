//! `array_in`'s reading of an array literal (`{1,2}`, `{{a,b},{c,d}}`,
//! `[0:1]={x,y}`, quoted and escaped elements, `NULL`).

use crate::catalog::error::{PgError, PgResult, code};

fn malformed(text: &str, detail: &str) -> PgError {
    PgError::new(
        code::INVALID_TEXT_REPRESENTATION,
        format!("malformed array literal: \"{text}\""),
    )
    .detail(detail.to_string())
}

/// The elements of an array literal, in order (`None` for `NULL`), or the
/// error `array_in` raises for a malformed literal.
pub(crate) fn elements(text: &str) -> PgResult<Vec<Option<String>>> {
    let b: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    // Optional dimensions: `[lo:hi][lo:hi]=`.
    let mut explicit_dims: Vec<i64> = Vec::new();
    while i < b.len() && b[i] == '[' {
        let close = b[i..]
            .iter()
            .position(|c| *c == ']')
            .ok_or_else(|| malformed(text, "Missing \"]\" after array dimensions."))?;
        let spec: String = b[i + 1..i + close].iter().collect();
        let (lo, hi) = match spec.split_once(':') {
            Some((lo, hi)) => (lo.trim().parse::<i64>(), hi.trim().parse::<i64>()),
            None => (Ok(1), spec.trim().parse::<i64>()),
        };
        let (Ok(lo), Ok(hi)) = (lo, hi) else {
            return Err(malformed(
                text,
                "\"[\" must introduce explicitly-specified array dimensions.",
            ));
        };
        if hi < lo {
            return Err(PgError::new(
                "2202E",
                "upper bound cannot be less than lower bound",
            ));
        }
        explicit_dims.push(hi - lo + 1);
        i += close + 1;
    }
    if !explicit_dims.is_empty() {
        skip_ws(&mut i);
        if b.get(i) != Some(&'=') {
            return Err(malformed(text, "Missing \"=\" after array dimensions."));
        }
        i += 1;
        skip_ws(&mut i);
    }
    if b.get(i) != Some(&'{') {
        return Err(malformed(
            text,
            "Array value must start with \"{\" or dimension information.",
        ));
    }
    let mut out = Vec::new();
    // Per nesting level: element count of the first sub-array seen, and of
    // the current one.
    let mut dims: Vec<Option<usize>> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut leaf_depth: Option<usize> = None;
    let mut depth = 0usize;
    // What may come next: an element (after `{` or `,`), or `,`/`}`.
    let mut expect_element = true;
    let mut just_opened = false;
    loop {
        skip_ws(&mut i);
        let Some(&c) = b.get(i) else {
            return Err(malformed(text, "Unexpected end of input."));
        };
        if expect_element {
            match c {
                '{' => {
                    if leaf_depth.is_some_and(|d| d <= depth) {
                        return Err(malformed(text, "Unexpected \"{\" character."));
                    }
                    if depth > 0 {
                        counts[depth - 1] += 1;
                    }
                    depth += 1;
                    if dims.len() < depth {
                        dims.push(None);
                        counts.push(0);
                    }
                    counts[depth - 1] = 0;
                    i += 1;
                    just_opened = true;
                    continue;
                }
                '}' if just_opened => {
                    // `{}`: an empty (sub-)array.
                }
                '}' | ',' => {
                    return Err(malformed(text, &format!("Unexpected \"{c}\" character.")));
                }
                _ => {
                    if leaf_depth.is_some_and(|d| d != depth) {
                        return Err(malformed(
                            text,
                            "Multidimensional arrays must have sub-arrays with matching dimensions.",
                        ));
                    }
                    leaf_depth = Some(depth);
                    let (value, next) = read_element(&b, i, text)?;
                    out.push(value);
                    counts[depth - 1] += 1;
                    i = next;
                    expect_element = false;
                    just_opened = false;
                    continue;
                }
            }
        }
        match c {
            ',' => {
                i += 1;
                expect_element = true;
                just_opened = false;
            }
            '}' => {
                let n = counts[depth - 1];
                match dims[depth - 1] {
                    None => dims[depth - 1] = Some(n),
                    Some(d) if d != n => {
                        return Err(malformed(
                            text,
                            "Multidimensional arrays must have sub-arrays with matching dimensions.",
                        ));
                    }
                    Some(_) => {}
                }
                depth -= 1;
                i += 1;
                expect_element = false;
                just_opened = false;
                if depth == 0 {
                    break;
                }
            }
            other => {
                return Err(malformed(
                    text,
                    &format!("Unexpected \"{other}\" character."),
                ));
            }
        }
    }
    skip_ws(&mut i);
    if i < b.len() {
        return Err(malformed(text, "Junk after closing right brace."));
    }
    if !explicit_dims.is_empty() {
        let found: Vec<usize> = dims.iter().map(|d| d.unwrap_or(0)).collect();
        let given: Vec<usize> = explicit_dims.iter().map(|d| *d as usize).collect();
        if found != given {
            return Err(malformed(
                text,
                "Specified array dimensions do not match array contents.",
            ));
        }
    }
    Ok(out)
}

/// One element starting at `i`: quoted (`"a,b"`) or bare, with backslash
/// escapes; a bare `NULL` is a null. Returns the element and where the
/// text after it starts.
fn read_element(b: &[char], mut i: usize, text: &str) -> PgResult<(Option<String>, usize)> {
    let mut value = String::new();
    if b[i] == '"' {
        i += 1;
        loop {
            match b.get(i) {
                None => return Err(malformed(text, "Unexpected end of input.")),
                Some('\\') => {
                    let Some(&n) = b.get(i + 1) else {
                        return Err(malformed(text, "Unexpected end of input."));
                    };
                    value.push(n);
                    i += 2;
                }
                Some('"') => {
                    i += 1;
                    break;
                }
                Some(&c) => {
                    value.push(c);
                    i += 1;
                }
            }
        }
        return Ok((Some(value), i));
    }
    let mut escaped = false;
    // Trailing blanks are dropped unless escaped.
    let mut keep = 0;
    loop {
        match b.get(i) {
            None => return Err(malformed(text, "Unexpected end of input.")),
            Some(',' | '}') => break,
            Some('{' | '"') => {
                return Err(malformed(
                    text,
                    &format!("Unexpected \"{}\" character.", b[i]),
                ));
            }
            Some('\\') => {
                let Some(&n) = b.get(i + 1) else {
                    return Err(malformed(text, "Unexpected end of input."));
                };
                value.push(n);
                keep = value.len();
                escaped = true;
                i += 2;
            }
            Some(&c) => {
                value.push(c);
                if !c.is_ascii_whitespace() {
                    keep = value.len();
                }
                i += 1;
            }
        }
    }
    value.truncate(keep);
    if !escaped && value.eq_ignore_ascii_case("null") {
        return Ok((None, i));
    }
    Ok((Some(value), i))
}

/// `array_out`'s quoting of one element.
fn quote_element(e: &str) -> String {
    let needs = e.is_empty()
        || e.eq_ignore_ascii_case("null")
        || e.chars()
            .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_ascii_whitespace());
    if !needs {
        return e.to_string();
    }
    let mut out = String::from("\"");
    for c in e.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A one-dimensional array literal with every element equal to `old`
/// replaced by `new`, as `array_out` would print the array; `None` when
/// nothing changes or the literal is not a plain one-dimensional array.
pub(crate) fn replace_element(text: &str, old: &str, new: &str) -> Option<String> {
    let trimmed = text.trim();
    if !trimmed.starts_with('{') || trimmed[1..].contains('{') {
        return None;
    }
    let items = elements(text).ok()?;
    if !items.iter().any(|i| i.as_deref() == Some(old)) {
        return None;
    }
    let parts: Vec<String> = items
        .iter()
        .map(|i| match i.as_deref() {
            None => "NULL".to_string(),
            Some(v) if v == old => quote_element(new),
            Some(v) => quote_element(v),
        })
        .collect();
    Some(format!("{{{}}}", parts.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_elements_as_array_out_prints_them() {
        assert_eq!(
            replace_element("{draft, \"x y\", NULL}", "draft", "in review").as_deref(),
            Some("{\"in review\",\"x y\",NULL}")
        );
        assert_eq!(replace_element("{a,b}", "c", "d"), None);
        assert_eq!(replace_element("{{a},{b}}", "a", "c"), None);
    }
}
