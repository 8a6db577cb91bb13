//! From the bytes of a `.py` file to a [`ParsedModule`], decoding the source
//! as CPython does (PEP 3120 and PEP 263): UTF-8 by default, a UTF-8 byte
//! order mark, or a `coding:` declaration on one of the first two lines.
//! A file Python could not decode, or one holding NUL bytes, gets CPython's
//! own `SyntaxError` message as a diagnostic (pointing at the offending byte)
//! and an empty module, so the rest of the project is still checked.

use ruff_python_ast::{AtomicNodeIndex, ModModule};
use ruff_text_size::{TextRange, TextSize};
use std::path::Path;

use super::parse::{ParsedModule, parse_python};
use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// Reads a Python file's bytes. `name` is how the user should see the path.
pub fn load_python(name: &str, path: &Path, bytes: &[u8]) -> ParsedModule {
    match decode(bytes) {
        Ok(text) => parse_python(SourceFile::new(name, path, text)),
        Err(bad) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = SourceFile::new(name, path, text);
            // Bytes before `bad.offset` decoded cleanly, so the offset is the
            // same in the lossy text.
            let loc = Loc::new(&file, Span::new(bad.offset, bad.offset + 1));
            let diag = Diagnostic::error("python::encoding", bad.message)
                .with_label(loc, bad.label)
                .with_help(bad.help);
            ParsedModule {
                module: ModModule {
                    node_index: AtomicNodeIndex::NONE,
                    range: TextRange::new(TextSize::new(0), TextSize::new(0)),
                    body: Default::default(),
                },
                file,
                errors: vec![diag],
            }
        }
    }
}

struct DecodeError {
    offset: usize,
    message: String,
    label: &'static str,
    help: String,
}

fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let bom_len = bytes.len() - body.len();
    let declared = coding_cookie(body);
    let text = match declared.as_deref().map(normalise_encoding) {
        None | Some(Encoding::Utf8) => decode_utf8(body, bom_len, declared.is_some())?,
        Some(_) if bom => {
            return Err(DecodeError {
                offset: 0,
                message: "Python syntax error: encoding problem: utf-8 (a byte order mark and a different `coding:` declaration)".into(),
                label: "byte order mark",
                help: "remove the byte order mark or the `coding:` line".into(),
            });
        }
        Some(Encoding::Latin1) => body.iter().map(|&b| b as char).collect(),
        Some(Encoding::Ascii) => match body.iter().position(|b| !b.is_ascii()) {
            None => body.iter().map(|&b| b as char).collect(),
            Some(at) => {
                return Err(DecodeError {
                    offset: bom_len + at,
                    message: format!(
                        "Python syntax error: 'ascii' codec can't decode byte 0x{:02x} in position {at}",
                        body[at]
                    ),
                    label: "not ASCII",
                    help: "the file declares `coding: ascii`".into(),
                });
            }
        },
        Some(Encoding::Other(name)) => {
            return Err(DecodeError {
                offset: 0,
                message: format!("source encoding `{name}` is not supported by migsim"),
                label: "declared here",
                help: "migsim reads UTF-8, Latin-1 and ASCII sources; convert the file to UTF-8"
                    .into(),
            });
        }
    };
    if let Some(at) = text.find('\0') {
        return Err(DecodeError {
            offset: bom_len + at,
            message: "Python syntax error: source code cannot contain null bytes".into(),
            label: "NUL byte",
            help: "this looks like a binary file, not Python source".into(),
        });
    }
    Ok(text)
}

fn decode_utf8(body: &[u8], bom_len: usize, declared: bool) -> Result<String, DecodeError> {
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let message = if declared {
                format!(
                    "Python syntax error: 'utf-8' codec can't decode byte 0x{:02x} in position {at}",
                    body[at]
                )
            } else {
                format!(
                    "Python syntax error: Non-UTF-8 code starting with '\\x{:02x}' on line {line}, but no encoding declared",
                    body[at]
                )
            };
            Err(DecodeError {
                offset: bom_len + at,
                message,
                label: "not UTF-8",
                help: "save the file as UTF-8, or declare its encoding (PEP 263); a binary file is not a migration".into(),
            })
        }
    }
}

enum Encoding {
    Utf8,
    Latin1,
    Ascii,
    Other(String),
}

fn normalise_encoding(name: &str) -> Encoding {
    let n = name.to_ascii_lowercase().replace('_', "-");
    match n.as_str() {
        "utf-8" | "utf8" | "utf-8-sig" => Encoding::Utf8,
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "iso-latin-1" => {
            Encoding::Latin1
        }
        "ascii" | "us-ascii" => Encoding::Ascii,
        _ => Encoding::Other(name.to_owned()),
    }
}

/// The PEP 263 declaration: `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line
/// one, or on line two when line one is a comment or blank.
fn coding_cookie(body: &[u8]) -> Option<String> {
    let mut lines = body.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(c) = cookie_in_line(first) {
        return Some(c);
    }
    let first_trim: Vec<u8> = first
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'\t' | b'\x0c' | b'\r'))
        .collect();
    if first_trim.is_empty() || first_trim[0] == b'#' {
        return lines.next().and_then(cookie_in_line);
    }
    None
}

fn cookie_in_line(line: &[u8]) -> Option<String> {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))?;
    if line[start] != b'#' {
        return None;
    }
    let comment = &line[start..];
    let at = comment.windows(6).position(|w| w == b"coding")?;
    let rest = &comment[at + 6..];
    let rest = rest
        .strip_prefix(b":")
        .or_else(|| rest.strip_prefix(b"="))?;
    let rest: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'\t'))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .collect();
    (!rest.is_empty()).then(|| String::from_utf8_lossy(&rest).into_owned())
}

/// Reads a file from disk; an unreadable file becomes a diagnostic.
pub fn read_python_file(name: &str, path: &Path) -> ParsedModule {
    match std::fs::read(path) {
        Ok(bytes) => load_python(name, path, &bytes),
        Err(e) => {
            let file = SourceFile::new(name, path, String::new());
            let diag = Diagnostic::error("python::io", format!("cannot read `{name}`: {e}"))
                .with_label(Loc::new(&file, Span::new(0, 0)), "");
            ParsedModule {
                module: ModModule {
                    node_index: AtomicNodeIndex::NONE,
                    range: TextRange::default(),
                    body: Default::default(),
                },
                file,
                errors: vec![diag],
            }
        }
    }
}

/// For callers that already hold text (tests, generated files).
pub fn load_python_str(name: &str, text: &str) -> ParsedModule {
    load_python(name, Path::new(name), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(bytes: &[u8]) -> ParsedModule {
        load_python("m.py", Path::new("m.py"), bytes)
    }

    #[test]
    fn plain_utf8_loads() {
        let p = load("x = 'é'\n".as_bytes());
        assert!(!p.has_errors());
        assert_eq!(p.module.body.len(), 1);
    }

    #[test]
    fn empty_file_is_an_empty_module() {
        let p = load(b"");
        assert!(!p.has_errors());
        assert!(p.module.body.is_empty());
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let p = load(b"\xEF\xBB\xBFx = 1\n");
        assert!(!p.has_errors());
        assert_eq!(p.module.body.len(), 1);
    }

    #[test]
    fn binary_file_gets_cpythons_message_at_the_bad_byte() {
        let p = load(b"x = 1\n\x89PNG\r\n\x1a\n\x00\x00");
        assert_eq!(p.errors.len(), 1);
        let d = p.errors[0].to_string();
        assert!(d.starts_with("m.py:2:1: error[python::encoding]"), "{d}");
        assert!(
            d.contains("Non-UTF-8 code starting with '\\x89' on line 2"),
            "{d}"
        );
        assert!(p.module.body.is_empty());
    }

    #[test]
    fn nul_byte_in_valid_utf8_is_rejected() {
        let p = load(b"x = 1\ny = \x002\n");
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].message.contains("null bytes"));
        assert_eq!(p.errors[0].primary().unwrap().line_col(), (2, 5));
    }

    #[test]
    fn latin1_cookie_decodes() {
        let p = load(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n");
        assert!(!p.has_errors(), "{:?}", p.errors);
        assert!(p.file.text.contains('é'));
    }

    #[test]
    fn cookie_on_second_line_after_shebang() {
        let p = load(b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\xe9'\n");
        assert!(!p.has_errors(), "{:?}", p.errors);
    }

    #[test]
    fn cookie_after_code_is_ignored() {
        let p = load(b"x = 1\n# coding: latin-1\ny = '\xe9'\n");
        assert!(p.has_errors());
    }

    #[test]
    fn unsupported_encoding_is_reported() {
        let p = load(b"# coding: shift_jis\nx = 1\n");
        assert!(p.errors[0].message.contains("shift_jis"));
    }
}
