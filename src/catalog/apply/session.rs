//! Transactions and session settings.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    TransactionStmt, TransactionStmtKind as K, VariableSetKind, VariableSetStmt,
};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::{ObjRef, Oid, RelBody, Relation};
use crate::catalog::names::qual_from_rangevar;

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
                // `SET LOCAL` lasts until the end of the transaction.
                if let Some(path) = self.search_path_at_commit.take() {
                    self.search_path = path;
                }
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
        let kind = VariableSetKind::try_from(s.kind).unwrap_or(VariableSetKind::Undefined);
        let reset = matches!(
            kind,
            VariableSetKind::VarSetDefault
                | VariableSetKind::VarReset
                | VariableSetKind::VarResetAll
        );
        let first_arg = || {
            s.args.first().and_then(|a| match a.node.as_ref() {
                Some(NodeEnum::AConst(c)) => crate::catalog::expr::string_const(c),
                Some(NodeEnum::String(st)) => Some(st.sval.clone()),
                _ => None,
            })
        };
        match s.name.as_str() {
            "search_path" => {}
            "check_function_bodies" => {
                let off = matches!(
                    first_arg().map(|v| v.to_ascii_lowercase()).as_deref(),
                    Some("off" | "false" | "no" | "0" | "f" | "n")
                );
                self.skip_function_bodies = off && !reset;
                return Ok(Applied::Session);
            }
            // `SET ROLE` changes `current_user`, which `$user` follows.
            "role" => {
                if !s.is_local {
                    self.role = match first_arg() {
                        Some(r) if !reset && r != "none" => Some(r),
                        _ => None,
                    };
                }
                return Ok(Applied::Session);
            }
            "session_authorization" => {
                if !s.is_local {
                    match first_arg().filter(|_| !reset) {
                        Some(r) => self.set_session_user(&r),
                        None => self.role = None,
                    }
                }
                return Ok(Applied::Session);
            }
            _ if kind == VariableSetKind::VarResetAll => {}
            _ => return Ok(Applied::Session),
        }
        let path = match kind {
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
                path
            }
            _ if reset => vec!["$user".into(), "public".into()],
            _ => return Ok(Applied::Session),
        };
        self.assign_search_path(path, s.is_local);
        Ok(Applied::Session)
    }

    /// Sets `search_path` for the session, or (`SET LOCAL`) until the end
    /// of the transaction. Outside a transaction `SET LOCAL` only warns.
    fn assign_search_path(&mut self, path: Vec<String>, local: bool) {
        if local {
            if !self.in_transaction {
                return;
            }
            if self.search_path_at_commit.is_none() {
                self.search_path_at_commit = Some(self.search_path.clone());
            }
        } else if let Some(at_commit) = self.search_path_at_commit.as_mut() {
            // A plain SET after SET LOCAL is what the session keeps.
            *at_commit = path.clone();
        }
        self.search_path = path;
    }

    /// `set_config('search_path', value, is_local)` in a migration's SQL.
    pub(crate) fn set_config_search_path(&mut self, value: &str, local: bool) {
        self.assign_search_path(parse_search_path(value), local);
    }

    /// `PreventInTransactionBlock`: commands that manage their own
    /// transactions fail inside `BEGIN ... COMMIT`.
    fn prevent_in_transaction(&self, what: &str) -> PgResult<()> {
        if self.in_transaction {
            return Err(PgError::new(
                code::ACTIVE_SQL_TRANSACTION,
                format!("{what} cannot run inside a transaction block"),
            ));
        }
        Ok(())
    }

    /// VACUUM, CLUSTER, REINDEX, CREATE/DROP DATABASE and TABLESPACE,
    /// ALTER SYSTEM: no schema effect (but `CLUSTER ... USING` marks the
    /// index, as `ALTER TABLE ... CLUSTER ON` does), and several refuse to
    /// run in a transaction block.
    pub(super) fn maintenance(&mut self, stmt: &NodeEnum) -> PgResult<Applied> {
        match stmt {
            NodeEnum::VacuumStmt(v) => {
                if v.is_vacuumcmd {
                    self.prevent_in_transaction("VACUUM")?;
                }
                for r in &v.rels {
                    if let Some(NodeEnum::VacuumRelation(vr)) = r.node.as_ref()
                        && let Some(rv) = vr.relation.as_ref()
                    {
                        self.require_relation(&qual_from_rangevar(rv))
                            .map_err(|e| e.at(rv.location))?;
                    }
                }
                Ok(Applied::Maintenance)
            }
            NodeEnum::ClusterStmt(c) => {
                let Some(rv) = c.relation.as_ref() else {
                    self.prevent_in_transaction("CLUSTER")?;
                    return Ok(Applied::Maintenance);
                };
                let qn = qual_from_rangevar(rv);
                let table = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
                if c.indexname.is_empty() {
                    if self
                        .table(table)
                        .is_some_and(|t| t.clustered_index.is_none())
                    {
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!(
                                "there is no previously clustered index for table \"{}\"",
                                qn.name
                            ),
                        ));
                    }
                } else {
                    self.set_clustered_index(table, &c.indexname)?;
                }
                Ok(Applied::Maintenance)
            }
            NodeEnum::ReindexStmt(r) => {
                let concurrently = r.params.iter().any(|p| {
                    matches!(p.node.as_ref(), Some(NodeEnum::DefElem(d))
                        if d.defname == "concurrently"
                            && !matches!(super::def_elem_text(d).as_str(), "concurrently=false" | "concurrently=0"))
                });
                use pg_query::protobuf::ReindexObjectType as R;
                let what = match R::try_from(r.kind).unwrap_or(R::Undefined) {
                    R::ReindexObjectSchema => Some("REINDEX SCHEMA"),
                    R::ReindexObjectSystem => Some("REINDEX SYSTEM"),
                    R::ReindexObjectDatabase => Some("REINDEX DATABASE"),
                    _ => None,
                };
                if let Some(what) = what {
                    self.prevent_in_transaction(what)?;
                }
                if concurrently {
                    self.prevent_in_transaction("REINDEX CONCURRENTLY")?;
                }
                if let Some(rv) = r.relation.as_ref() {
                    self.require_relation(&qual_from_rangevar(rv))
                        .map_err(|e| e.at(rv.location))?;
                }
                Ok(Applied::Maintenance)
            }
            NodeEnum::CreatedbStmt(_) => {
                self.prevent_in_transaction("CREATE DATABASE")?;
                Ok(Applied::Opaque("CREATE DATABASE is not simulated".into()))
            }
            NodeEnum::DropdbStmt(_) => {
                self.prevent_in_transaction("DROP DATABASE")?;
                Ok(Applied::Opaque("DROP DATABASE is not simulated".into()))
            }
            NodeEnum::CreateTableSpaceStmt(_) => {
                self.prevent_in_transaction("CREATE TABLESPACE")?;
                Ok(Applied::Opaque("CREATE TABLESPACE is not simulated".into()))
            }
            NodeEnum::DropTableSpaceStmt(_) => {
                self.prevent_in_transaction("DROP TABLESPACE")?;
                Ok(Applied::Opaque("DROP TABLESPACE is not simulated".into()))
            }
            NodeEnum::AlterSystemStmt(_) => {
                self.prevent_in_transaction("ALTER SYSTEM")?;
                Ok(Applied::Opaque("ALTER SYSTEM is not simulated".into()))
            }
            _ => Ok(Applied::Maintenance),
        }
    }

    /// Marks the index `CLUSTER ON` / `CLUSTER ... USING` names.
    pub(crate) fn set_clustered_index(&mut self, table: Oid, index: &str) -> PgResult<()> {
        let schema = self.relation(table).map_or(0, |r| r.schema);
        let table_name = self.rel_name(table).to_string();
        let Some(idx) = self.rel_in_schema(schema, index) else {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("index \"{index}\" for table \"{table_name}\" does not exist"),
            ));
        };
        // `check_index_is_clusterable`.
        match self.relation(idx).and_then(Relation::index) {
            Some(i) if i.table == table => {
                if !matches!(i.method.as_str(), "btree" | "gist") {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        format!(
                            "cannot cluster on index \"{index}\" because access method does not support clustering"
                        ),
                    ));
                }
                if i.predicate.is_some() {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        format!("cannot cluster on partial index \"{index}\""),
                    ));
                }
            }
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("\"{index}\" is not an index for table \"{table_name}\""),
                ));
            }
        }
        if let Some(t) = self.table_mut(table) {
            t.clustered_index = Some(idx);
        }
        Ok(())
    }

    /// The connection closes (`psql -f` of one file ends): an open
    /// transaction is rolled back, settings return to their defaults and
    /// the session's temporary relations are dropped. True when a
    /// transaction was rolled back.
    pub fn end_session(&mut self) -> bool {
        let rolled_back = self.in_transaction;
        if let Some(snap) = self.tx_snapshot.take() {
            *self = *snap;
        }
        self.in_transaction = false;
        self.savepoints.clear();
        self.uncommitted_enum_values.clear();
        self.search_path = vec!["$user".into(), "public".into()];
        self.search_path_at_commit = None;
        self.role = None;
        self.skip_function_bodies = false;
        self.drop_temporary_relations();
        rolled_back
    }

    /// Drops the relations of the temporary schema (and what depends on
    /// them), as the end of a session does; pg_dump leaves them out too.
    pub fn drop_temporary_relations(&mut self) {
        if !self.temporary_made {
            return;
        }
        self.temporary_made = false;
        let temporary: Vec<ObjRef> = self
            .relations()
            .filter(|r| r.schema == crate::catalog::PG_TEMP_OID)
            .filter(|r| match &r.body {
                RelBody::Table(_) | RelBody::View(_) => true,
                RelBody::Sequence(s) => s.owned_by.is_none(),
                _ => false,
            })
            .map(|r| ObjRef::Relation(r.oid))
            .collect();
        if !temporary.is_empty() {
            // CASCADE takes their indexes, sequences and dependents; it
            // cannot be refused for these.
            let _ = self.drop_objects(&temporary, true);
        }
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

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{run, sqlstate};
    use crate::catalog::{PUBLIC_SCHEMA_OID, QualName};

    fn schema_of(c: &crate::catalog::Catalog, table: &str) -> String {
        let oid = c.lookup_relation(&QualName::bare(table)).unwrap().unwrap();
        c.schema_name(c.relation(oid).unwrap().schema).to_string()
    }

    #[test]
    fn set_local_lasts_until_commit() {
        let c = run(
            "CREATE SCHEMA app; BEGIN; SET LOCAL search_path TO app; CREATE TABLE t1 (a int);
             COMMIT; CREATE TABLE t2 (a int)",
        )
        .unwrap();
        assert_eq!(schema_of(&c, "t2"), "public");
        let c = run(
            "CREATE SCHEMA app; BEGIN; SET LOCAL search_path TO public; SET search_path TO app;
             COMMIT; CREATE TABLE t2 (a int)",
        )
        .unwrap();
        assert_eq!(schema_of(&c, "t2"), "app");
        // Outside a transaction SET LOCAL does nothing.
        let c =
            run("CREATE SCHEMA app; SET LOCAL search_path TO app; CREATE TABLE t (a int)").unwrap();
        assert_eq!(schema_of(&c, "t"), "public");
    }

    #[test]
    fn dollar_user_is_the_current_role() {
        let c = run("CREATE SCHEMA AUTHORIZATION postgres; CREATE TABLE t (a int)").unwrap();
        assert_eq!(schema_of(&c, "t"), "postgres");
        let c = run(
            "CREATE SCHEMA alice; SET ROLE alice; CREATE TABLE a (x int); RESET ROLE;
             CREATE TABLE b (x int)",
        )
        .unwrap();
        let alice = c.schema_oid("alice").unwrap();
        assert!(c.rel_in_schema(alice, "a").is_some());
        assert_eq!(schema_of(&c, "b"), "public");
        assert!(c.rel_in_schema(PUBLIC_SCHEMA_OID, "b").is_some());
    }

    #[test]
    fn temporary_relations_end_with_the_session() {
        let mut c = run(
            "CREATE TEMP TABLE scratch (id serial PRIMARY KEY); CREATE INDEX ON scratch (id);
             CREATE TABLE kept (a int); SET ROLE alice",
        )
        .unwrap();
        c.end_session();
        assert!(
            c.lookup_relation(&QualName::bare("scratch"))
                .unwrap()
                .is_none()
        );
        assert!(
            c.relations()
                .all(|r| r.schema != crate::catalog::PG_TEMP_OID)
        );
        assert!(
            c.lookup_relation(&QualName::bare("kept"))
                .unwrap()
                .is_some()
        );
        assert_eq!(c.current_user(), "postgres");
    }

    #[test]
    fn some_commands_refuse_transaction_blocks() {
        assert_eq!(sqlstate("BEGIN; CREATE DATABASE x"), "25001");
        assert_eq!(sqlstate("CREATE TABLE t (a int); BEGIN; VACUUM t"), "25001");
        assert_eq!(sqlstate("CREATE TABLE t (a int); BEGIN; ANALYZE t"), "ok");
        assert_eq!(sqlstate("CREATE TABLE t (a int); VACUUM t"), "ok");
        assert_eq!(sqlstate("VACUUM missing"), "42P01");
        assert_eq!(sqlstate("BEGIN; REINDEX DATABASE postgres"), "25001");
    }

    #[test]
    fn cluster_needs_a_clusterable_index() {
        let c = run("CREATE TABLE t (a int); CREATE INDEX i ON t (a); ALTER TABLE t CLUSTER ON i")
            .unwrap();
        let t = c.lookup_relation(&QualName::bare("t")).unwrap().unwrap();
        assert!(c.table(t).unwrap().clustered_index.is_some());
        assert_eq!(sqlstate("CREATE TABLE t (a int); CLUSTER t"), "42704");
        assert_eq!(
            sqlstate(
                "CREATE TABLE t (a int); CREATE INDEX h ON t USING hash (a); CLUSTER t USING h"
            ),
            "0A000"
        );
        assert_eq!(
            sqlstate(
                "CREATE TABLE t (a int); CREATE INDEX i ON t (a); ALTER TABLE t CLUSTER ON i;
                 DROP INDEX i; CLUSTER t"
            ),
            "42704"
        );
    }
}
