//! Parsing one statement with libpg_query, keeping the error position the
//! `pg_query` crate drops.

use std::ffi::{CStr, CString, c_char, c_int};

use pg_query::NodeEnum;

/// A syntax error at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset in the parsed text; `None` when libpg_query gave no position.
    pub offset: Option<usize>,
}

/// Parses `text` (one or more statements). Statement offsets in the result are
/// relative to `text`.
pub fn parse(text: &str) -> Result<Vec<(NodeEnum, usize, usize)>, SyntaxError> {
    if let Some(nul) = text.find('\0') {
        return Err(SyntaxError {
            message: "invalid byte sequence: NUL (0x00) is not allowed in SQL text".into(),
            offset: Some(nul),
        });
    }
    match pg_query::parse(text, 0) {
        Ok(res) => {
            let mut out = Vec::with_capacity(res.protobuf.stmts.len());
            for raw in res.protobuf.stmts {
                let start = raw.stmt_location.max(0) as usize;
                let len = if raw.stmt_len <= 0 {
                    text.len().saturating_sub(start)
                } else {
                    raw.stmt_len as usize
                };
                if let Some(node) = raw.stmt.and_then(|n| n.node) {
                    out.push((node, start, start + len));
                }
            }
            Ok(out)
        }
        Err(e) => {
            let message = match e {
                pg_query::Error::Parse(m) => m,
                other => other.to_string(),
            };
            Err(SyntaxError {
                offset: error_position(text).map(|chars| char_to_byte(text, chars)),
                message,
            })
        }
    }
}

/// Byte offset of the 1-based character position libpg_query reports.
fn char_to_byte(text: &str, cursorpos: usize) -> usize {
    text.char_indices()
        .nth(cursorpos.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i)
}

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryParseResult {
    parse_tree: *mut c_char,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

// These symbols live in the libpg_query archive the `pg_query` crate links.
unsafe extern "C" {
    fn pg_query_parse(input: *const c_char) -> PgQueryParseResult;
    fn pg_query_free_parse_result(result: PgQueryParseResult);
}

/// Re-parses through libpg_query's C API to read `cursorpos` (1-based,
/// in characters). Only called on the error path.
fn error_position(text: &str) -> Option<usize> {
    let input = CString::new(text).ok()?;
    // SAFETY: `input` is a valid NUL-terminated string that outlives the call;
    // the result is read before being freed exactly once.
    unsafe {
        let result = pg_query_parse(input.as_ptr());
        let pos = if result.error.is_null() {
            None
        } else {
            let err = &*result.error;
            let _ = CStr::from_ptr(err.message);
            (err.cursorpos > 0).then_some(err.cursorpos as usize)
        };
        pg_query_free_parse_result(result);
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_byte_offset_of_error() {
        let sql = "SELECT 'héllo wörld' FROM t WHERE x = = 1";
        let err = parse(sql).unwrap_err();
        assert!(err.message.contains("syntax error"), "{}", err.message);
        assert_eq!(&sql[err.offset.unwrap()..], "= 1");
    }

    #[test]
    fn missing_comma_points_at_next_column() {
        let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL\n  created_at TIMESTAMPTZ)";
        let err = parse(sql).unwrap_err();
        assert_eq!(err.message, "syntax error at or near \"created_at\"");
        assert!(sql[err.offset.unwrap()..].starts_with("created_at"));
    }

    #[test]
    fn nul_byte_is_an_error_not_a_panic() {
        let err = parse("SELECT\0 1").unwrap_err();
        assert_eq!(err.offset, Some(6));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let sql = format!("SELECT {}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(parse(&sql).is_err());
    }
}
