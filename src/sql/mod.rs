//! SQL frontend: splits text into statements with byte offsets, parses each
//! with libpg_query (PostgreSQL 18 grammar) and classifies it. Stateless: what
//! a statement *does* is the catalog's business.
//!
//! The "catalog commands" of the design are the typed statement nodes of
//! libpg_query's AST ([`pg_query::NodeEnum`]); a parallel IR would copy them
//! one for one.

pub mod parse;
pub mod split;

use pg_query::NodeEnum;
use rayon::prelude::*;

use crate::source::Span;

pub use parse::SyntaxError;

/// One parsed statement and where it sits in the text.
#[derive(Debug, Clone)]
pub struct Statement {
    pub node: NodeEnum,
    /// Byte range in the parsed text, without leading comments or the `;`.
    pub span: Span,
    /// Byte offset in the parsed text that the node's `location` fields count
    /// from: the whole text when it was parsed in one call, the piece otherwise.
    pub locations_from: u32,
}

/// A statement, or the syntax error that stopped it.
// Statements are the common case and are moved once; boxing them would add
// an allocation per statement to spare the rare error a few bytes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Parsed {
    Statement(Statement),
    Error {
        message: String,
        /// The whole piece of text that failed.
        span: Span,
        /// Byte offset of the error, when libpg_query reported one.
        offset: Option<usize>,
    },
}

/// Pieces smaller than this are parsed on the calling thread: handing them
/// to rayon costs more than parsing them.
const PARALLEL_THRESHOLD: usize = 64;

/// Texts up to this size are first parsed in one call: what Alembic
/// operations send is one or a few short statements, and splitting them
/// with the scanner first would double the work.
const WHOLE_PARSE_LIMIT: usize = 8 * 1024;

/// The text parsed in one call, when that gives what splitting would: it
/// parses, and holds no `COPY ... FROM stdin` (whose data lines follow the
/// statement). Meta-commands and syntax errors fail the parse and take the
/// splitting path, which isolates them.
fn parse_whole(text: &str) -> Option<Vec<Parsed>> {
    let stmts = parse::parse(text).ok()?;
    let mut out = Vec::with_capacity(stmts.len());
    for (node, s, e) in stmts {
        if let NodeEnum::CopyStmt(c) = &node
            && c.is_from
            && c.filename.is_empty()
        {
            return None;
        }
        let s = s + split::skip_blank(&text[s..e.max(s)]);
        out.push(Parsed::Statement(Statement {
            node,
            span: Span::new(s, e),
            locations_from: 0,
        }));
    }
    Some(out)
}

/// Splits and parses a whole script. Every piece is parsed independently, so
/// one syntax error does not hide the statements after it.
pub fn parse_script(text: &str) -> Vec<Parsed> {
    if text.len() <= WHOLE_PARSE_LIMIT
        && let Some(parsed) = parse_whole(text)
    {
        return parsed;
    }
    parse_split(text)
}

/// Splits with the scanner, then parses each piece on its own.
fn parse_split(text: &str) -> Vec<Parsed> {
    let pieces = split::split(text);
    let parse_piece = |piece: &split::Piece| -> Vec<Parsed> {
        let start = piece.span.start as usize;
        let body = &text[start..piece.span.end as usize];
        match parse::parse(body) {
            Ok(stmts) => stmts
                .into_iter()
                .map(|(node, s, e)| {
                    // Statement offsets from libpg_query include leading blanks.
                    let s = s + split::skip_blank(&body[s..e.max(s)]);
                    Parsed::Statement(Statement {
                        node,
                        span: Span::new(start + s, start + e),
                        locations_from: piece.span.start,
                    })
                })
                .collect(),
            Err(err) => vec![Parsed::Error {
                message: err.message,
                span: piece.span,
                offset: err.offset.map(|o| start + o),
            }],
        }
    };
    if pieces.len() < PARALLEL_THRESHOLD {
        pieces.iter().flat_map(parse_piece).collect()
    } else {
        pieces.par_iter().flat_map_iter(parse_piece).collect()
    }
}

/// What a statement is, independent of the schema it runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StmtClass {
    /// Changes the schema.
    Ddl,
    /// Reads or writes rows: no schema effect, but matters for rollback.
    Data,
    /// BEGIN, COMMIT, ROLLBACK, SAVEPOINT.
    Transaction,
    /// SET, RESET, and other session settings.
    Session,
    /// VACUUM, ANALYZE, CLUSTER, REINDEX, CHECKPOINT, LOCK, REFRESH, NOTIFY.
    Maintenance,
    /// GRANT, REVOKE, roles, ownership: privileges migsim does not model.
    Privilege,
    /// A `DO` block.
    Do,
}

pub fn classify(node: &NodeEnum) -> StmtClass {
    use NodeEnum as N;
    match node {
        N::InsertStmt(_)
        | N::UpdateStmt(_)
        | N::DeleteStmt(_)
        | N::MergeStmt(_)
        | N::CopyStmt(_)
        | N::SelectStmt(_)
        | N::TruncateStmt(_)
        | N::CallStmt(_)
        | N::ExplainStmt(_)
        | N::PrepareStmt(_)
        | N::ExecuteStmt(_)
        | N::DeallocateStmt(_)
        | N::DeclareCursorStmt(_)
        | N::FetchStmt(_)
        | N::ClosePortalStmt(_) => StmtClass::Data,
        N::TransactionStmt(_) => StmtClass::Transaction,
        N::VariableSetStmt(_)
        | N::VariableShowStmt(_)
        | N::DiscardStmt(_)
        | N::ConstraintsSetStmt(_) => StmtClass::Session,
        N::VacuumStmt(_)
        | N::ClusterStmt(_)
        | N::ReindexStmt(_)
        | N::CheckPointStmt(_)
        | N::LockStmt(_)
        | N::RefreshMatViewStmt(_)
        | N::NotifyStmt(_)
        | N::ListenStmt(_)
        | N::UnlistenStmt(_)
        | N::LoadStmt(_) => StmtClass::Maintenance,
        N::GrantStmt(_)
        | N::GrantRoleStmt(_)
        | N::CreateRoleStmt(_)
        | N::AlterRoleStmt(_)
        | N::AlterRoleSetStmt(_)
        | N::DropRoleStmt(_)
        | N::AlterOwnerStmt(_)
        | N::AlterDefaultPrivilegesStmt(_)
        | N::ReassignOwnedStmt(_)
        | N::DropOwnedStmt(_)
        | N::SecLabelStmt(_) => StmtClass::Privilege,
        N::DoStmt(_) => StmtClass::Do,
        _ => StmtClass::Ddl,
    }
}

/// Whether every statement of `text` parses and only reads or writes rows
/// (`INSERT`, `UPDATE`, `DELETE`, `MERGE`, `COPY`, `TRUNCATE`, a `SELECT`
/// without `INTO`): SQL that may run any number of times without changing
/// the schema. `CALL` is left out: a procedure may run DDL.
pub fn only_rows(text: &str) -> bool {
    use NodeEnum as N;
    let parsed = parse_script(text);
    !parsed.is_empty()
        && parsed.iter().all(|p| match p {
            Parsed::Statement(s) => match &s.node {
                N::SelectStmt(sel) => sel.into_clause.is_none(),
                N::InsertStmt(_)
                | N::UpdateStmt(_)
                | N::DeleteStmt(_)
                | N::MergeStmt(_)
                | N::CopyStmt(_)
                | N::TruncateStmt(_) => true,
                _ => false,
            },
            Parsed::Error { .. } => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_parse_gives_the_spans_splitting_gives() {
        let texts = [
            "CREATE TABLE a (x int)",
            "  -- lead\n CREATE TABLE a (x int);  \n",
            "CREATE TABLE a (x int);\n/* c */ ALTER TABLE a ADD y int;;\nDROP TABLE a;",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 'a;b'",
            "UPDATE t SET a = 'it''s' WHERE b = E'x\\';' ; -- tail",
        ];
        let spans = |v: &[Parsed]| -> Vec<(u32, u32)> {
            v.iter()
                .map(|p| match p {
                    Parsed::Statement(s) => (s.span.start, s.span.end),
                    Parsed::Error { span, .. } => (span.start, span.end),
                })
                .collect()
        };
        for t in texts {
            let whole = parse_whole(t).expect("parses");
            assert_eq!(spans(&whole), spans(&parse_split(t)), "{t:?}");
        }
        // COPY FROM stdin carries data lines: always split.
        assert!(parse_whole("COPY t FROM stdin;").is_none());
    }

    #[test]
    fn only_rows_accepts_row_statements_alone() {
        assert!(only_rows("INSERT INTO t VALUES (1); UPDATE t SET a = 2"));
        assert!(only_rows("SELECT id FROM t WHERE a = 1"));
        assert!(only_rows("DELETE FROM t; TRUNCATE u"));
        assert!(!only_rows("SELECT * INTO t2 FROM t"));
        assert!(!only_rows(
            "INSERT INTO t VALUES (1); ALTER TABLE t ADD b int"
        ));
        assert!(!only_rows("CALL refresh_things()"));
        assert!(!only_rows("COMMIT"));
        assert!(!only_rows("INSERT INTO"));
        assert!(!only_rows(""));
    }

    #[test]
    fn parses_each_statement_with_its_span() {
        let sql = "CREATE TABLE a (x int);\n-- c\nINSERT INTO a VALUES (1);\nBOGUS;\nDROP TABLE a;";
        let parsed = parse_script(sql);
        assert_eq!(parsed.len(), 4);
        let spans: Vec<&str> = parsed
            .iter()
            .map(|p| match p {
                Parsed::Statement(s) => &sql[s.span.start as usize..s.span.end as usize],
                Parsed::Error { span, .. } => &sql[span.start as usize..span.end as usize],
            })
            .collect();
        assert_eq!(
            spans,
            vec![
                "CREATE TABLE a (x int)",
                "INSERT INTO a VALUES (1)",
                "BOGUS",
                "DROP TABLE a"
            ]
        );
        match &parsed[2] {
            Parsed::Error { offset, .. } => assert_eq!(*offset, Some(sql.find("BOGUS").unwrap())),
            other => panic!("expected an error, got {other:?}"),
        }
        match &parsed[1] {
            Parsed::Statement(s) => assert_eq!(classify(&s.node), StmtClass::Data),
            other => panic!("{other:?}"),
        }
    }
}
