//! Splitting SQL text into statements with byte offsets.
//!
//! libpg_query's scanner-based splitter survives syntax errors (one broken
//! statement does not hide the others) and respects strings, dollar quotes and
//! comments. On top of it this module skips what psql would not send to the
//! server: meta-commands such as pg_dump's `\restrict` and the data lines of
//! `COPY ... FROM stdin`.

use crate::source::Span;

/// One statement's text, without leading comments and whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub span: Span,
}

/// Splits `text` into statement pieces. Never fails: text the scanner cannot
/// split (an unterminated quote) becomes one piece that will fail to parse
/// with a precise position.
pub fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut base = 0usize;
    'outer: while base < text.len() {
        let rest = &text[base..];
        let raw = raw_split(rest);
        for (start, end) in raw {
            let mut s = start + skip_blank(&rest[start..end]);
            // psql meta-commands run to the end of their line.
            while s < end && rest.as_bytes()[s] == b'\\' {
                let line_end = rest[s..].find('\n').map_or(rest.len(), |i| s + i);
                if line_end >= end {
                    // The meta-command swallowed the rest of this piece; the
                    // text after its line may hold more statements.
                    base += line_end;
                    continue 'outer;
                }
                s = line_end + skip_blank(&rest[line_end..end]);
            }
            if s >= end {
                continue;
            }
            let piece_end = end;
            pieces.push(Piece {
                span: Span::new(base + s, base + piece_end),
            });
            if is_copy_from_stdin(&rest[s..piece_end]) {
                // Data follows the statement's semicolon until a line `\.`.
                let after = rest[piece_end..]
                    .find(';')
                    .map_or(piece_end, |i| piece_end + i + 1);
                let data_end =
                    find_copy_terminator(&rest[after..]).map_or(rest.len(), |i| after + i);
                base += data_end;
                continue 'outer;
            }
        }
        break;
    }
    pieces
}

/// `(start, end)` byte ranges of statements in `text`, each ending before its `;`.
fn raw_split(text: &str) -> Vec<(usize, usize)> {
    if text.contains('\0') {
        return vec![(0, text.len())];
    }
    let scanned = pg_query::split_with_scanner(text);
    // A psql meta-command can stop the scanner (pg_dump's `\restrict` key
    // is random: `\restrict 9ab...` reads as a number with trailing junk).
    // Scan again with such lines blanked; offsets stay the same.
    let blanked;
    let (text, scanned) = match scanned {
        Err(_) if text.contains('\\') => {
            blanked = blank_meta_command_lines(text);
            let again = pg_query::split_with_scanner(&blanked);
            (blanked.as_str(), again)
        }
        other => (text, other),
    };
    match scanned {
        Ok(stmts) => {
            let base = text.as_ptr() as usize;
            let mut out: Vec<(usize, usize)> = Vec::with_capacity(stmts.len());
            let mut prev_end = 0;
            for s in stmts {
                let start = s.as_ptr() as usize - base;
                push_gap(text, prev_end, start, &mut out);
                out.push((start, start + s.len()));
                prev_end = start + s.len();
            }
            push_gap(text, prev_end, text.len(), &mut out);
            merge_atomic_bodies(text, out)
        }
        Err(_) => vec![(0, text.len())],
    }
}

/// `text` with every line that starts with a backslash (a psql
/// meta-command) turned into spaces.
fn blank_meta_command_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with('\\') {
            let body = line.trim_end_matches(['\n', '\r']);
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The scanner only cuts at a `;` preceded by a keyword and drops text
/// without one (`BOGUS;`); keep such text as a piece so it is reported.
fn push_gap(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let mut start = from;
    while start < to {
        let gap = &text[start..to];
        let lead = start + skip_blank(gap);
        let rest = &text[lead..to];
        let rest = rest.strip_prefix(';').unwrap_or(rest);
        if rest.len() < to - lead {
            // A bare separator; look past it.
            start = lead + 1;
            continue;
        }
        if lead >= to {
            return;
        }
        let end = text[lead..to].find(';').map_or(to, |i| lead + i);
        if end > lead {
            out.push((lead, end));
        }
        start = end + 1;
    }
}

/// SQL-standard function bodies (`BEGIN ATOMIC ... END`) contain semicolons
/// the scanner splits on; glue their pieces back together.
fn merge_atomic_bodies(text: &str, pieces: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    let mut open: Option<(usize, usize)> = None;
    for (s, e) in pieces {
        if let Some((os, _)) = open {
            let merged = (os, e);
            if ends_with_end_keyword(&text[s..e]) {
                out.push(merged);
                open = None;
            } else {
                open = Some(merged);
            }
            continue;
        }
        if contains_begin_atomic(&text[s..e]) && !ends_with_end_keyword(&text[s..e]) {
            open = Some((s, e));
        } else {
            out.push((s, e));
        }
    }
    if let Some(p) = open {
        out.push(p);
    }
    out
}

fn contains_begin_atomic(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let mut words = lower.split_ascii_whitespace();
    let mut prev = "";
    for w in &mut words {
        if prev == "begin" && w.starts_with("atomic") {
            return true;
        }
        prev = w;
    }
    false
}

fn ends_with_end_keyword(s: &str) -> bool {
    s.trim_end()
        .rsplit(|c: char| c.is_ascii_whitespace())
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("end"))
}

/// Length of the leading whitespace and comments (`--`, nested `/* */`).
pub fn skip_blank(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"--") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            // An unterminated comment is left in place so the parser reports it.
            let comment_start = i;
            let mut depth = 0usize;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            if depth > 0 {
                return comment_start;
            }
        } else {
            return i;
        }
    }
}

fn is_copy_from_stdin(stmt: &str) -> bool {
    let lower = stmt.to_ascii_lowercase();
    lower.starts_with("copy") && lower.contains("from stdin")
}

/// Offset just past the `\.` line ending COPY data.
fn find_copy_terminator(s: &str) -> Option<usize> {
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "\\." {
            return Some(offset);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql)
            .into_iter()
            .map(|p| &sql[p.span.start as usize..p.span.end as usize])
            .collect()
    }

    #[test]
    fn splits_and_trims_comments() {
        let sql = "-- hello\nCREATE TABLE a (x int);\n/* ; */ ALTER TABLE a ADD COLUMN y text;  INSERT INTO a VALUES (1, ';');";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE TABLE a (x int)",
                "ALTER TABLE a ADD COLUMN y text",
                "INSERT INTO a VALUES (1, ';')"
            ]
        );
    }

    #[test]
    fn skips_psql_meta_commands() {
        let sql = "\\restrict abc123\n\nSET x = 1;\n\\connect db\nCREATE TABLE t (a int);\n\\unrestrict abc123\n";
        assert_eq!(texts(sql), vec!["SET x = 1", "CREATE TABLE t (a int)"]);
    }

    #[test]
    fn skips_meta_commands_the_scanner_cannot_read() {
        // pg_dump's random key may start with a digit: `9x` is a numeric
        // literal with trailing junk to PostgreSQL's scanner.
        let sql = "\\restrict 9xQ4\n\nSET x = 1;\nCREATE TABLE t (a int);\n\\unrestrict 9xQ4\n";
        assert_eq!(texts(sql), vec!["SET x = 1", "CREATE TABLE t (a int)"]);
    }

    #[test]
    fn skips_copy_data() {
        let sql = "COPY t (a, b) FROM stdin;\n1\tx;y\n2\tz\n\\.\nCREATE TABLE u (a int);\n";
        assert_eq!(
            texts(sql),
            vec!["COPY t (a, b) FROM stdin", "CREATE TABLE u (a int)"]
        );
    }

    #[test]
    fn keeps_atomic_bodies_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3;";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
                "SELECT 3"
            ]
        );
    }

    #[test]
    fn survives_garbage() {
        assert_eq!(texts("SELECT 'unterminated"), vec!["SELECT 'unterminated"]);
        assert_eq!(texts("a\0b; c"), vec!["a\0b; c"]);
        assert!(texts("   \n-- only a comment\n").is_empty());
        assert_eq!(texts("/* unterminated"), vec!["/* unterminated"]);
    }
}
