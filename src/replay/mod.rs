//! Replay: feeds statements, in order, into a catalog and records what
//! happened — how many statements of each kind, the opaque ones, and the
//! error PostgreSQL would have stopped at. Used for plain SQL scripts here
//! and by the Alembic driver for lowered migrations.

pub mod alembic;
pub mod introspect;
pub mod sql_files;

use std::sync::Arc;

use crate::catalog::{Applied, Catalog, PgError};
use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};
use crate::sql::{self, Parsed};

/// Counts of what the replay saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReplayStats {
    pub statements: usize,
    pub schema_changes: usize,
    pub skipped: usize,
    pub data: usize,
    pub session: usize,
    pub opaque: usize,
}

/// A statement migsim could not simulate.
#[derive(Debug, Clone)]
pub struct OpaqueStatement {
    pub loc: Loc,
    pub reason: String,
}

/// Where and why the replay stopped.
#[derive(Debug, Clone)]
pub struct Stop {
    pub error: PgError,
    pub diagnostic: Diagnostic,
}

/// Replays statements into a catalog, remembering where things went.
pub struct Replayer {
    pub catalog: Catalog,
    pub stats: ReplayStats,
    pub opaque: Vec<OpaqueStatement>,
    pub notices: Vec<(Loc, String)>,
    pub stop: Option<Stop>,
    /// Syntax errors and unreadable files: input that could not be used.
    pub input_errors: Vec<Diagnostic>,
    /// Problems that did not stop the replay.
    pub warnings: Vec<Diagnostic>,
}

impl Default for Replayer {
    fn default() -> Self {
        Self::new(Catalog::new())
    }
}

/// How positions inside a piece of SQL map back to a source file.
pub enum SqlOrigin<'a> {
    /// The SQL is the file's text itself.
    File(&'a Arc<SourceFile>),
    /// The SQL was generated (lowered from Python); errors point at `loc`,
    /// or into the file through `text_map` where the SQL was copied
    /// verbatim from a literal.
    Generated {
        loc: &'a Loc,
        text_map: Option<&'a crate::alembic::sink::TextMap>,
    },
}

impl SqlOrigin<'_> {
    fn loc_of(&self, span: Span) -> Loc {
        match self {
            SqlOrigin::File(f) => Loc::new(f, span),
            SqlOrigin::Generated { loc, text_map } => {
                if let Some(map) = text_map
                    && let Some(start) = map.map(span.start)
                {
                    let end = map
                        .map(span.end.saturating_sub(1))
                        .map_or(start + 1, |e| e + 1);
                    return Loc::new(
                        &loc.file,
                        Span::new(start as usize, end.max(start + 1) as usize),
                    );
                }
                (*loc).clone()
            }
        }
    }
}

impl Replayer {
    pub fn new(catalog: Catalog) -> Self {
        Replayer {
            catalog,
            stats: ReplayStats::default(),
            opaque: Vec::new(),
            notices: Vec::new(),
            stop: None,
            input_errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// One file's session ends: what psql does when it reaches the end of
    /// a file run with `psql -f` (a rolled-back transaction is reported).
    pub fn end_session(&mut self, file: &Arc<SourceFile>) {
        if self.stopped() {
            return;
        }
        if self.catalog.end_session() {
            let end = file.text.len();
            self.warnings.push(
                Diagnostic::warning(
                    "sql::open-transaction",
                    "the file ends inside a transaction: closing the session rolls it back",
                )
                .with_label(Loc::new(file, Span::new(end, end)), "the session ends here")
                .with_help("add COMMIT at the end of the file"),
            );
        }
    }

    pub fn stopped(&self) -> bool {
        self.stop.is_some() || !self.input_errors.is_empty()
    }

    /// Parses and applies one piece of SQL. Returns false once the replay
    /// has stopped (now or before).
    pub fn run_sql(&mut self, text: &str, origin: SqlOrigin<'_>) -> bool {
        let parsed = sql::parse_script(text);
        self.run_parsed(text, parsed, origin)
    }

    /// Applies already-parsed statements (parsing may have run in parallel).
    pub fn run_parsed(&mut self, text: &str, parsed: Vec<Parsed>, origin: SqlOrigin<'_>) -> bool {
        if self.stopped() {
            return false;
        }
        for p in parsed {
            match p {
                Parsed::Error {
                    message,
                    span,
                    offset,
                } => {
                    let at = offset.map_or(span, |o| {
                        Span::new(o, (o + 1).min(span.end as usize).max(o))
                    });
                    let loc = origin.loc_of(at);
                    let mut d =
                        Diagnostic::error("sql::syntax", format!("SQL syntax error: {message}"))
                            .with_label(loc, "PostgreSQL's parser stops here")
                            .with_note("SQLSTATE 42601 (syntax_error)");
                    if let SqlOrigin::Generated { loc, .. } = &origin
                        && !Arc::ptr_eq(&d.labels[0].loc.file, &loc.file)
                    {
                        d = d.with_label((*loc).clone(), "in SQL sent from here");
                    }
                    self.input_errors.push(d);
                    return false;
                }
                Parsed::Statement(stmt) => {
                    self.stats.statements += 1;
                    match self.catalog.apply(&stmt.node) {
                        Ok(applied) => self.record(applied, origin.loc_of(stmt.span)),
                        Err(err) => {
                            let loc = self.error_loc(&err, &stmt, text, &origin);
                            let stmt_loc = origin.loc_of(stmt.span);
                            self.stop = Some(Stop {
                                diagnostic: pg_diagnostic(&err, loc, stmt_loc),
                                error: err,
                            });
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    /// Applies statements that only read or write rows and may run any
    /// number of times, none included (see `SqlStep::conditional`). They
    /// are checked as PostgreSQL would check them; one it would reject is a
    /// warning, since PostgreSQL may never run it, and the replay goes on.
    pub fn run_conditional(
        &mut self,
        text: &str,
        parsed: Vec<Parsed>,
        origin: SqlOrigin<'_>,
    ) -> bool {
        if self.stopped() {
            return false;
        }
        for p in parsed {
            let Parsed::Statement(stmt) = p else {
                // The host sends only SQL that parsed (`sql::only_rows`).
                continue;
            };
            self.stats.statements += 1;
            match self.catalog.apply(&stmt.node) {
                Ok(applied) => self.record(applied, origin.loc_of(stmt.span)),
                Err(err) => {
                    let stmt_loc = origin.loc_of(stmt.span);
                    let at = self.error_loc(&err, &stmt, text, &origin);
                    let mut d = pg_diagnostic(&err, at, stmt_loc);
                    d.severity = crate::report::Severity::Warning;
                    d.message = format!("{} (if this statement runs)", d.message);
                    self.warnings.push(d.with_note(
                        "the statement runs only for some rows or values, which migsim does not know; PostgreSQL raises this error if it runs",
                    ));
                }
            }
        }
        true
    }

    /// Where an error points: the token PostgreSQL reports, or the statement.
    fn error_loc(
        &self,
        err: &PgError,
        stmt: &sql::Statement,
        text: &str,
        origin: &SqlOrigin<'_>,
    ) -> Loc {
        let at = err
            .position
            .map(|p| {
                let start = stmt.locations_from as usize + p as usize;
                let rest = &text.get(start..stmt.span.end as usize).unwrap_or("");
                let len = token_len(rest);
                Span::new(start, start + len)
            })
            .unwrap_or(stmt.span);
        origin.loc_of(at)
    }

    fn record(&mut self, applied: Applied, loc: Loc) {
        match applied {
            Applied::Schema => self.stats.schema_changes += 1,
            Applied::Skipped(n) => {
                self.stats.skipped += 1;
                self.notices.push((loc, n));
            }
            Applied::Data => self.stats.data += 1,
            Applied::Session | Applied::Transaction | Applied::Maintenance | Applied::Privilege => {
                self.stats.session += 1
            }
            Applied::Opaque(reason) => {
                self.stats.opaque += 1;
                self.opaque.push(OpaqueStatement { loc, reason });
            }
        }
    }
}

/// Length of the token at the start of `s` (for pointing at one name).
fn token_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        None => 0,
        Some((_, '"')) => s[1..].find('"').map_or(s.len(), |i| i + 2),
        Some((_, '\'')) => s[1..].find('\'').map_or(s.len(), |i| i + 2),
        Some((_, c)) if c.is_alphanumeric() || c == '_' => s
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$' || *c == '.'))
            .map_or(s.len(), |(i, _)| i),
        Some((_, c)) => c.len_utf8(),
    }
}

/// The diagnostic for an error PostgreSQL would raise.
pub fn pg_diagnostic(err: &PgError, at: Loc, stmt: Loc) -> Diagnostic {
    let mut d = Diagnostic::error(format!("pg::{}", err.sqlstate), err.message.clone());
    if at == stmt {
        d = d.with_label(at, "PostgreSQL raises this error at this statement");
    } else if !stmt.file.slice(stmt.span).contains('\n') {
        // Both labels on one line: the statement's adds nothing, and
        // miette would draw the other at the line's end.
        d = d.with_label(at, "PostgreSQL raises this error here");
    } else {
        d = d
            .with_label(at, "here")
            .with_label(stmt, "in this statement");
    }
    d = d.with_note(format!(
        "SQLSTATE {} ({})",
        err.sqlstate,
        err.condition_name()
    ));
    if let Some(detail) = &err.detail {
        d = d.with_note(format!("DETAIL: {detail}"));
    }
    if let Some(hint) = &err.hint {
        d = d.with_help(hint.clone());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_the_first_error_with_position() {
        let file = SourceFile::virtual_file(
            "a.sql",
            "CREATE TABLE a (x int);\nCREATE TABLE b (y int REFERENCES missing(id));\nCREATE TABLE c ();",
        );
        let mut r = Replayer::default();
        assert!(!r.run_sql(&file.text.clone(), SqlOrigin::File(&file)));
        let stop = r.stop.as_ref().unwrap();
        assert_eq!(stop.error.sqlstate, "42P01");
        assert!(
            stop.diagnostic.to_string().starts_with("a.sql:2:"),
            "{}",
            stop.diagnostic
        );
        assert_eq!(r.stats.statements, 2);
        assert!(
            r.catalog
                .lookup_relation(&crate::catalog::QualName::bare("c"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_conditional_statement_that_would_fail_is_a_warning() {
        let file = SourceFile::virtual_file("a.sql", "CREATE TABLE a (x int);");
        let mut r = Replayer::default();
        assert!(r.run_sql(&file.text.clone(), SqlOrigin::File(&file)));
        let loc = Loc::new(&file, Span::new(0, 6));
        let origin = || SqlOrigin::Generated {
            loc: &loc,
            text_map: None,
        };
        let bad = "UPDATE a SET y = $1";
        assert!(r.run_conditional(bad, sql::parse_script(bad), origin()));
        assert!(r.stop.is_none());
        assert_eq!(r.warnings.len(), 1);
        let w = r.warnings[0].to_string();
        assert!(
            w.contains("42703") && w.contains("if this statement runs"),
            "{w}"
        );
        let good = "UPDATE a SET x = $1 WHERE x = $1";
        assert!(r.run_conditional(good, sql::parse_script(good), origin()));
        assert_eq!((r.warnings.len(), r.stats.data), (1, 1));
    }

    /// Texts over the one-call parse limit are split first; the error must
    /// point at the same token either way, leading comments included.
    #[test]
    fn error_position_is_the_same_for_short_and_long_texts() {
        let tail = "-- lead\nCREATE TABLE b (y int REFERENCES missing(id));\n";
        for pad in [0usize, 20_000] {
            let text = format!("/*{}*/\n{tail}", "x".repeat(pad));
            let file = SourceFile::virtual_file("a.sql", &text);
            let mut r = Replayer::default();
            assert!(!r.run_sql(&file.text.clone(), SqlOrigin::File(&file)));
            let shown = r.stop.as_ref().unwrap().diagnostic.to_string();
            assert!(shown.starts_with("a.sql:3:34:"), "pad {pad}: {shown}");
        }
    }
}
