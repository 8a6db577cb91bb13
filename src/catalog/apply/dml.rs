//! Data statements: no schema effect, but PostgreSQL still checks that the
//! relations and columns they name exist. `SELECT set_config('search_path')`
//! and `SELECT ... INTO` do change the session or the schema.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    CopyStmt, DeleteStmt, InsertStmt, LockStmt, Node, RangeVar, RefreshMatViewStmt, SelectStmt,
    TruncateStmt, UpdateStmt,
};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{qual_from_rangevar, str_of};

impl Catalog {
    /// A relation a data statement writes to or reads from directly.
    fn data_target(&self, rv: &RangeVar) -> PgResult<Oid> {
        let qn = qual_from_rangevar(rv);
        self.require_relation(&qn).map_err(|e| e.at(rv.location))
    }

    pub(super) fn select(&mut self, s: &SelectStmt) -> PgResult<Applied> {
        // SELECT ... INTO creates a table.
        if let Some(into) = s.into_clause.as_deref()
            && let Some(rv) = into.rel.as_ref()
        {
            let qn = qual_from_rangevar(rv);
            let schema = self.creation_schema(&qn)?;
            if self.rel_name_taken(schema, &qn.name) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{}\" already exists", qn.name),
                ));
            }
            let mut q = s.clone();
            q.into_clause = None;
            let analysis = self.analyze_query(&mut q)?;
            return self.table_from_query(schema, &qn, analysis, rv.relpersistence == "u");
        }
        self.check_serial_sequence_calls(s)?;
        // pg_dump's `SELECT pg_catalog.set_config('search_path', '', false);`
        for t in &s.target_list {
            let Some(NodeEnum::ResTarget(rt)) = t.node.as_ref() else {
                continue;
            };
            let Some(NodeEnum::FuncCall(fc)) = rt.val.as_deref().and_then(|v| v.node.as_ref())
            else {
                continue;
            };
            let name = fc.funcname.last().and_then(str_of);
            if name == Some("set_config")
                && let [a, b, rest @ ..] = fc.args.as_slice()
                && expr::untyped_string(a).as_deref() == Some("search_path")
                && let Some(value) = expr::untyped_string(b)
            {
                let local = matches!(
                    rest.first().and_then(|n| n.node.as_ref()),
                    Some(NodeEnum::AConst(c))
                        if matches!(&c.val, Some(pg_query::protobuf::a_const::Val::Boolval(b)) if b.boolval)
                );
                self.set_config_search_path(&value, local);
                return Ok(Applied::Session);
            }
            // setval/nextval on a missing sequence fails.
            if matches!(name, Some("setval" | "nextval" | "currval"))
                && let Some(first) = fc.args.first()
                && let Some(lit) = regclass_literal(first)
            {
                let q = expr::parse_regclass_literal(&lit);
                match self.lookup_relation(&q)? {
                    Some(oid) if self.relation(oid).and_then(Relation::sequence).is_some() => {}
                    Some(_) => {
                        return Err(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{}\" is not a sequence", q.name),
                        ));
                    }
                    None => {
                        return Err(PgError::new(
                            code::UNDEFINED_TABLE,
                            format!("relation \"{q}\" does not exist"),
                        ));
                    }
                }
            }
        }
        Ok(Applied::Data)
    }

    /// `pg_get_serial_sequence('table', 'column')` with literal arguments
    /// fails on a missing table or column (migrations call it to reset
    /// sequences after data loads).
    fn check_serial_sequence_calls(&self, s: &SelectStmt) -> PgResult<()> {
        let mut calls = Vec::new();
        expr::walk_select(s, &mut |n| {
            if let NodeEnum::FuncCall(fc) = n
                && fc.funcname.last().and_then(str_of) == Some("pg_get_serial_sequence")
                && let [t, c] = fc.args.as_slice()
                && let (Some(t), Some(c)) = (text_literal(t), text_literal(c))
            {
                calls.push((t, c));
            }
        });
        for (table, column) in calls {
            // The table name is read as SQL identifiers, the column literally.
            let qn = expr::parse_regclass_literal(&table);
            let oid = self.require_relation(&qn)?;
            if self.columns_of(oid).iter().all(|c| c.0 != column) {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!(
                        "column \"{column}\" of relation \"{}\" does not exist",
                        qn.name
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn insert(&mut self, s: &InsertStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Data);
        };
        let oid = self.data_target(rv)?;
        let table_name = rv.relname.clone();
        let cols = self.columns_of(oid);
        for c in &s.cols {
            if let Some(NodeEnum::ResTarget(rt)) = c.node.as_ref()
                && !cols.iter().any(|x| x.0 == rt.name)
            {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!(
                        "column \"{}\" of relation \"{table_name}\" does not exist",
                        rt.name
                    ),
                )
                .at(rt.location));
            }
        }
        Ok(Applied::Data)
    }

    pub(super) fn update(&mut self, s: &UpdateStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Data);
        };
        let oid = self.data_target(rv)?;
        let table_name = rv.relname.clone();
        let cols = self.columns_of(oid);
        for c in &s.target_list {
            if let Some(NodeEnum::ResTarget(rt)) = c.node.as_ref()
                && !cols.iter().any(|x| x.0 == rt.name)
            {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!(
                        "column \"{}\" of relation \"{table_name}\" does not exist",
                        rt.name
                    ),
                )
                .at(rt.location));
            }
        }
        Ok(Applied::Data)
    }

    pub(super) fn delete(&mut self, s: &DeleteStmt) -> PgResult<Applied> {
        if let Some(rv) = s.relation.as_ref() {
            self.data_target(rv)?;
        }
        Ok(Applied::Data)
    }

    pub(super) fn truncate(&mut self, s: &TruncateStmt) -> PgResult<Applied> {
        let mut targets: Vec<Oid> = Vec::new();
        for r in &s.relations {
            if let Some(NodeEnum::RangeVar(rv)) = r.node.as_ref() {
                let oid = self.data_target(rv)?;
                if self.table(oid).is_none() {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is not a table", rv.relname),
                    ));
                }
                if !targets.contains(&oid) {
                    targets.push(oid);
                }
                if rv.inh {
                    let mut i = targets.len() - 1;
                    while i < targets.len() {
                        for child in self.child_tables(targets[i]) {
                            if !targets.contains(&child) {
                                targets.push(child);
                            }
                        }
                        i += 1;
                    }
                }
            }
        }
        if super::is_cascade(s.behavior) {
            // Referencing tables are truncated too (with a NOTICE).
            return Ok(Applied::Data);
        }
        // `heap_truncate_check_FKs`: a table referenced from outside the
        // truncated set keeps rows pointing at nothing.
        for &target in &targets {
            for referrer in self.referrers(target) {
                if targets.contains(&referrer.oid) {
                    continue;
                }
                let Some(t) = referrer.table() else { continue };
                let references = t.constraints.iter().any(
                    |c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == target),
                );
                if references {
                    let (from, to) = (referrer.name.clone(), self.rel_name(target).to_string());
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "cannot truncate a table referenced in a foreign key constraint",
                    )
                    .detail(format!("Table \"{from}\" references \"{to}\"."))
                    .hint(format!(
                        "Truncate table \"{from}\" at the same time, or use TRUNCATE ... CASCADE."
                    )));
                }
            }
        }
        Ok(Applied::Data)
    }

    pub(super) fn copy(&mut self, s: &CopyStmt) -> PgResult<Applied> {
        if let Some(rv) = s.relation.as_ref() {
            let oid = self.data_target(rv)?;
            let cols = self.columns_of(oid);
            for a in s.attlist.iter().filter_map(str_of) {
                if !cols.iter().any(|c| c.0 == a) {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!(
                            "column \"{a}\" of relation \"{}\" does not exist",
                            rv.relname
                        ),
                    ));
                }
            }
        }
        Ok(Applied::Data)
    }

    pub(super) fn lock(&mut self, s: &LockStmt) -> PgResult<Applied> {
        if !self.in_transaction {
            return Err(PgError::new(
                code::NO_ACTIVE_SQL_TRANSACTION,
                "LOCK TABLE can only be used in transaction blocks",
            ));
        }
        for r in &s.relations {
            if let Some(NodeEnum::RangeVar(rv)) = r.node.as_ref() {
                self.data_target(rv)?;
            }
        }
        Ok(Applied::Maintenance)
    }

    pub(super) fn refresh_matview(&mut self, s: &RefreshMatViewStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Maintenance);
        };
        if s.concurrent && s.skip_data {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "CONCURRENTLY and WITH NO DATA options cannot be used together",
            ));
        }
        let oid = self.data_target(rv)?;
        let populated = match self.relation(oid).and_then(Relation::view) {
            Some(v) if v.materialized => v.with_data,
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("\"{}\" is not a materialized view", rv.relname),
                ));
            }
        };
        if s.concurrent {
            if !populated {
                return Err(PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    "CONCURRENTLY cannot be used when the materialized view is not populated",
                ));
            }
            // A unique index on plain columns with no WHERE clause.
            let usable = self.referrers(oid).any(|r| {
                r.index().is_some_and(|i| {
                    i.table == oid
                        && i.unique
                        && i.predicate.is_none()
                        && !i.keys.is_empty()
                        && i.keys
                            .iter()
                            .all(|k| matches!(k.target, IndexTarget::Column(_)))
                })
            });
            if !usable {
                return Err(PgError::new(
                    code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                    format!(
                        "cannot refresh materialized view \"{}\" concurrently",
                        self.rel_sql_name(oid)
                    ),
                )
                .hint("Create a unique index with no WHERE clause on one or more columns of the materialized view."));
            }
        }
        if let Some(RelBody::View(v)) = self.relation_mut(oid).map(|r| &mut r.body) {
            v.with_data = !s.skip_data;
        }
        Ok(Applied::Maintenance)
    }
}

/// A string literal, bare or cast to `text`.
fn text_literal(n: &Node) -> Option<String> {
    match n.node.as_ref()? {
        NodeEnum::AConst(_) => expr::untyped_string(n),
        NodeEnum::TypeCast(tc)
            if tc
                .type_name
                .as_ref()
                .and_then(|t| t.names.last())
                .and_then(str_of)
                .is_some_and(|t| matches!(t, "text" | "varchar")) =>
        {
            tc.arg.as_deref().and_then(expr::untyped_string)
        }
        _ => None,
    }
}

fn regclass_literal(n: &Node) -> Option<String> {
    match n.node.as_ref()? {
        NodeEnum::AConst(_) => expr::untyped_string(n),
        NodeEnum::TypeCast(tc) => tc.arg.as_deref().and_then(expr::untyped_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::sqlstate;

    #[test]
    fn truncate_checks_foreign_keys() {
        let schema = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);";
        assert_eq!(sqlstate(&format!("{schema} TRUNCATE p")), "0A000");
        assert_eq!(sqlstate(&format!("{schema} TRUNCATE p, c")), "ok");
        assert_eq!(sqlstate(&format!("{schema} TRUNCATE p CASCADE")), "ok");
        assert_eq!(sqlstate(&format!("{schema} TRUNCATE c")), "ok");
        assert_eq!(
            sqlstate("CREATE TABLE t (id int PRIMARY KEY, up int REFERENCES t); TRUNCATE t"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE VIEW v AS SELECT 1 AS a; TRUNCATE v"),
            "42809"
        );
    }

    #[test]
    fn serial_sequence_lookup_needs_table_and_column() {
        assert_eq!(
            sqlstate("SELECT pg_get_serial_sequence('missing', 'id')"),
            "42P01"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (id serial); SELECT pg_get_serial_sequence('t', 'nope')"),
            "42703"
        );
        assert_eq!(
            sqlstate(
                "CREATE TABLE t (id serial);
                 SELECT setval(pg_get_serial_sequence('public.t', 'id'), 10)"
            ),
            "ok"
        );
    }

    #[test]
    fn refresh_concurrently_needs_populated_view_and_unique_index() {
        let base = "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM t";
        assert_eq!(
            sqlstate(&format!(
                "{base}; REFRESH MATERIALIZED VIEW CONCURRENTLY mv"
            )),
            "55000"
        );
        assert_eq!(
            sqlstate(&format!(
                "{base}; CREATE UNIQUE INDEX u ON mv (a) WHERE a > 0;
                 REFRESH MATERIALIZED VIEW CONCURRENTLY mv"
            )),
            "55000"
        );
        assert_eq!(
            sqlstate(&format!(
                "{base}; CREATE UNIQUE INDEX u ON mv (a); REFRESH MATERIALIZED VIEW CONCURRENTLY mv"
            )),
            "ok"
        );
        assert_eq!(
            sqlstate(&format!(
                "{base} WITH NO DATA; CREATE UNIQUE INDEX u ON mv (a);
                 REFRESH MATERIALIZED VIEW CONCURRENTLY mv"
            )),
            "0A000"
        );
    }
}
