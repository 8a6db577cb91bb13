//! Views, materialized views and CREATE TABLE AS.

use pg_query::NodeEnum;
use pg_query::protobuf::{CreateTableAsStmt, ObjectType, SelectStmt, ViewStmt};

use super::Applied;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_rangevar, str_of};
use crate::catalog::query::Analysis;
use crate::catalog::{Catalog, ColType};

impl Catalog {
    pub(super) fn create_view(&mut self, s: &ViewStmt) -> PgResult<Applied> {
        let Some(rv) = s.view.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let Some(NodeEnum::SelectStmt(q)) = s.query.as_deref().and_then(|n| n.node.as_ref()) else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "CREATE VIEW needs a SELECT",
            ));
        };
        let schema = self.creation_schema(&qn)?;
        let existing = self.rel_in_schema(schema, &qn.name);
        if let Some(old) = existing {
            if !s.replace {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{}\" already exists", qn.name),
                ));
            }
            match self.relation(old).and_then(Relation::view) {
                Some(v) if !v.materialized => {}
                _ => {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is not a view", qn.name),
                    ));
                }
            }
        } else if self.type_name_taken(schema, &qn.name) {
            return Err(PgError::new(code::DUPLICATE_OBJECT, format!("type \"{}\" already exists", qn.name))
                .hint("A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type."));
        }
        let aliases: Vec<String> = s
            .aliases
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect();
        let (query, analysis) = self.analyze_view(q, &aliases)?;
        if let Some(old) = existing
            && let Some(v) = self.relation(old).and_then(Relation::view)
        {
            check_replacement(self, &v.columns, &analysis.columns)?;
        }
        let check_option = match s.with_check_option {
            2 => Some("local".to_string()),
            3 => Some("cascaded".to_string()),
            _ => None,
        };
        let view = View {
            query,
            columns: analysis.columns,
            materialized: false,
            options: super::options_text(&s.options),
            check_option,
            with_data: true,
            deps: analysis.deps,
            recursive: false,
            temporary: rv.relpersistence == "t",
            triggers: Vec::new(),
        };
        let referenced = view.deps.relations.clone();
        let view_oid = match existing {
            Some(old) => {
                if let Some(r) = self.relation_mut(old) {
                    // Comments and defaults on kept columns, and triggers,
                    // survive CREATE OR REPLACE.
                    let mut view = view;
                    if let RelBody::View(prev) = &mut r.body {
                        for (c, p) in view.columns.iter_mut().zip(&prev.columns) {
                            c.comment = p.comment.clone();
                            c.default = p.default.clone();
                        }
                        view.triggers = std::mem::take(&mut prev.triggers);
                    }
                    r.body = RelBody::View(Box::new(view));
                }
                old
            }
            None => {
                let oid = self.alloc_oid();
                self.insert_relation(Relation {
                    oid,
                    schema,
                    name: qn.name,
                    comment: None,
                    extension: None,
                    body: RelBody::View(Box::new(view)),
                });
                oid
            }
        };
        for r in referenced {
            self.note_ref(r, view_oid);
        }
        Ok(Applied::Schema)
    }

    /// Analyzes a view query and applies column aliases.
    fn analyze_view(
        &self,
        q: &SelectStmt,
        aliases: &[String],
    ) -> PgResult<(pg_query::protobuf::Node, Analysis)> {
        let mut canon = q.clone();
        let mut analysis = self.analyze_query(&mut canon)?;
        if aliases.len() > analysis.columns.len() {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "CREATE VIEW specifies more column names than columns",
            ));
        }
        let mut query = expr::node(NodeEnum::SelectStmt(Box::new(canon)));
        for (i, a) in aliases.iter().enumerate() {
            analysis.columns[i].name = a.clone();
            super::rename::set_output_name(&mut query, i, a);
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &analysis.columns {
            if seen.contains(&c.name.as_str()) {
                return Err(PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!("column \"{}\" specified more than once", c.name),
                ));
            }
            seen.push(&c.name);
        }
        // Untyped literals become text in a view (PostgreSQL 10+).
        Ok((query, analysis))
    }

    pub(super) fn create_table_as(&mut self, s: &CreateTableAsStmt) -> PgResult<Applied> {
        let Some(into) = s.into.as_deref() else {
            return Ok(Applied::Schema);
        };
        let Some(rv) = into.rel.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let materialized = ObjectType::try_from(s.objtype) == Ok(ObjectType::ObjectMatview);
        let schema = self.creation_schema(&qn)?;
        if self.rel_name_taken(schema, &qn.name) {
            if s.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" already exists, skipping",
                    qn.name
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_TABLE,
                format!("relation \"{}\" already exists", qn.name),
            ));
        }
        let Some(NodeEnum::SelectStmt(q)) = s.query.as_deref().and_then(|n| n.node.as_ref()) else {
            return Ok(Applied::Opaque(
                "CREATE TABLE AS EXECUTE is not simulated".into(),
            ));
        };
        let aliases: Vec<String> = into
            .col_names
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect();
        let (query, analysis) = self.analyze_view(q, &aliases)?;
        if materialized {
            let oid = self.alloc_oid();
            for r in &analysis.deps.relations {
                self.note_ref(*r, oid);
            }
            self.insert_relation(Relation {
                oid,
                schema,
                name: qn.name,
                comment: None,
                extension: None,
                body: RelBody::View(Box::new(View {
                    query,
                    columns: analysis.columns,
                    materialized: true,
                    options: super::options_text(&into.options),
                    check_option: None,
                    with_data: !into.skip_data,
                    deps: analysis.deps,
                    recursive: false,
                    temporary: false,
                    triggers: Vec::new(),
                })),
            });
            return Ok(Applied::Schema);
        }
        self.table_from_query(schema, &qn, analysis, rv.relpersistence == "u")
    }

    /// `CREATE TABLE AS` / `SELECT INTO`: a table with the query's columns.
    pub(crate) fn table_from_query(
        &mut self,
        schema: Oid,
        qn: &QualName,
        analysis: Analysis,
        unlogged: bool,
    ) -> PgResult<Applied> {
        let mut table = Table::new(if unlogged {
            Persistence::Unlogged
        } else {
            Persistence::Permanent
        });
        let mut unknown = Vec::new();
        for c in analysis.columns {
            let ty = match c.ty {
                Some(t) => t,
                None => {
                    unknown.push(c.name.clone());
                    ColType::builtin("text")
                }
            };
            table.columns.push(super::table::new_column(
                table.next_attnum,
                c.name,
                ty,
                None,
            ));
            table.next_attnum += 1;
        }
        let oid = self.alloc_oid();
        self.insert_relation(Relation {
            oid,
            schema,
            name: qn.name.clone(),
            comment: None,
            extension: None,
            body: RelBody::Table(Box::new(table)),
        });
        if unknown.is_empty() {
            Ok(Applied::Schema)
        } else {
            Ok(Applied::Opaque(format!(
                "types of columns {} of \"{}\" could not be inferred (assumed text)",
                unknown.join(", "),
                qn.name
            )))
        }
    }
}

/// CREATE OR REPLACE VIEW may only add columns at the end.
fn check_replacement(c: &Catalog, old: &[ViewColumn], new: &[ViewColumn]) -> PgResult<()> {
    if new.len() < old.len() {
        return Err(PgError::new(
            code::INVALID_TABLE_DEFINITION,
            "cannot drop columns from view",
        ));
    }
    for (o, n) in old.iter().zip(new) {
        if o.name != n.name {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!(
                    "cannot change name of view column \"{}\" to \"{}\"",
                    o.name, n.name
                ),
            )
            .hint("Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead."));
        }
        if let (Some(a), Some(b)) = (&o.ty, &n.ty)
            && a != b
        {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!(
                    "cannot change data type of view column \"{}\" from {} to {}",
                    o.name,
                    c.type_display(a),
                    c.type_display(b)
                ),
            ));
        }
    }
    Ok(())
}
