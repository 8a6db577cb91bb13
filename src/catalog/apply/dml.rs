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
                && let [a, b, ..] = fc.args.as_slice()
                && expr::untyped_string(a).as_deref() == Some("search_path")
                && let Some(value) = expr::untyped_string(b)
            {
                self.set_search_path_text(&value);
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
        for r in &s.relations {
            if let Some(NodeEnum::RangeVar(rv)) = r.node.as_ref() {
                self.data_target(rv)?;
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
        let oid = self.data_target(rv)?;
        match self.relation(oid).and_then(Relation::view) {
            Some(v) if v.materialized => {}
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("\"{}\" is not a materialized view", rv.relname),
                ));
            }
        }
        if let Some(RelBody::View(v)) = self.relation_mut(oid).map(|r| &mut r.body) {
            v.with_data = !s.skip_data;
        }
        Ok(Applied::Maintenance)
    }
}

fn regclass_literal(n: &Node) -> Option<String> {
    match n.node.as_ref()? {
        NodeEnum::AConst(_) => expr::untyped_string(n),
        NodeEnum::TypeCast(tc) => tc.arg.as_deref().and_then(expr::untyped_string),
        _ => None,
    }
}
