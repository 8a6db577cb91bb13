//! Transactions and session settings.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    TransactionStmt, TransactionStmtKind as K, VariableSetKind, VariableSetStmt,
};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};

impl Catalog {
    /// Replay stops at the first error, so a transaction never sits in
    /// the failed state here.
    pub(super) fn failed_transaction(&self) -> bool {
        false
    }

    fn snapshot(&self) -> Box<Catalog> {
        let mut snap = self.clone();
        snap.tx_snapshot = None;
        snap.savepoints.clear();
        Box::new(snap)
    }

    pub(super) fn transaction(&mut self, s: &TransactionStmt) -> PgResult<Applied> {
        match K::try_from(s.kind).unwrap_or(K::Undefined) {
            K::TransStmtBegin | K::TransStmtStart => {
                // A second BEGIN only warns.
                if !self.in_transaction {
                    self.tx_snapshot = Some(self.snapshot());
                    self.in_transaction = true;
                }
            }
            K::TransStmtCommit | K::TransStmtCommitPrepared | K::TransStmtPrepare => {
                self.in_transaction = false;
                self.tx_snapshot = None;
                self.savepoints.clear();
                self.uncommitted_enum_values.clear();
            }
            K::TransStmtRollback | K::TransStmtRollbackPrepared => {
                // A SET inside the rolled-back transaction is undone too, as
                // the snapshot holds the search_path from before BEGIN.
                if let Some(snap) = self.tx_snapshot.take() {
                    *self = *snap;
                }
                self.in_transaction = false;
                self.savepoints.clear();
                self.uncommitted_enum_values.clear();
            }
            K::TransStmtSavepoint => {
                if !self.in_transaction {
                    return Err(PgError::new(
                        code::NO_ACTIVE_SQL_TRANSACTION,
                        "SAVEPOINT can only be used in transaction blocks",
                    ));
                }
                let snap = self.snapshot();
                self.savepoints.push((s.savepoint_name.clone(), snap));
            }
            K::TransStmtRelease => {
                let Some(pos) = self
                    .savepoints
                    .iter()
                    .rposition(|(n, _)| *n == s.savepoint_name)
                else {
                    return Err(PgError::new(
                        "3B001",
                        format!("savepoint \"{}\" does not exist", s.savepoint_name),
                    ));
                };
                self.savepoints.truncate(pos);
            }
            K::TransStmtRollbackTo => {
                let Some(pos) = self
                    .savepoints
                    .iter()
                    .rposition(|(n, _)| *n == s.savepoint_name)
                else {
                    return Err(PgError::new(
                        "3B001",
                        format!("savepoint \"{}\" does not exist", s.savepoint_name),
                    ));
                };
                let (name, snap) = self.savepoints[pos].clone();
                let outer_snapshot = self.tx_snapshot.take();
                let mut kept = self.savepoints[..pos].to_vec();
                *self = (*snap).clone();
                self.tx_snapshot = outer_snapshot;
                self.in_transaction = true;
                kept.push((name, snap));
                self.savepoints = kept;
            }
            K::Undefined => {}
        }
        Ok(Applied::Transaction)
    }

    pub(super) fn set_variable(&mut self, s: &VariableSetStmt) -> PgResult<Applied> {
        if s.name != "search_path" {
            return Ok(Applied::Session);
        }
        match VariableSetKind::try_from(s.kind).unwrap_or(VariableSetKind::Undefined) {
            VariableSetKind::VarSetValue => {
                let mut path = Vec::new();
                for a in &s.args {
                    match a.node.as_ref() {
                        Some(NodeEnum::AConst(c)) => {
                            if let Some(text) = crate::catalog::expr::string_const(c) {
                                path.extend(parse_search_path(&text));
                            }
                        }
                        Some(NodeEnum::String(st)) => path.push(st.sval.clone()),
                        _ => {}
                    }
                }
                self.search_path = path;
            }
            VariableSetKind::VarSetDefault
            | VariableSetKind::VarReset
            | VariableSetKind::VarResetAll => {
                self.search_path = vec!["$user".into(), "public".into()];
            }
            _ => {}
        }
        Ok(Applied::Session)
    }

    /// The connection closes (`psql -f` of one file ends): an open
    /// transaction is rolled back and settings return to their defaults.
    /// True when a transaction was rolled back.
    pub fn end_session(&mut self) -> bool {
        let rolled_back = self.in_transaction;
        if let Some(snap) = self.tx_snapshot.take() {
            *self = *snap;
        }
        self.in_transaction = false;
        self.savepoints.clear();
        self.uncommitted_enum_values.clear();
        self.search_path = vec!["$user".into(), "public".into()];
        rolled_back
    }

    /// `set_config('search_path', value, is_local)` as pg_dump emits it.
    pub(crate) fn set_search_path_text(&mut self, value: &str) {
        self.search_path = parse_search_path(value);
    }
}

/// Splits a `search_path` value: comma separated, identifiers folded
/// unless double-quoted.
pub(crate) fn parse_search_path(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
                Some(q) => q.replace("\"\"", "\""),
                None => s.to_lowercase(),
            },
        )
        .collect()
}
