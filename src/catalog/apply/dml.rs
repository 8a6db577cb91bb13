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
        self.resolve_names(s.clone())?;
        Ok(Applied::Data)
    }

    /// Resolves the names a query reads (relations, columns, functions)
    /// with the analyzer views use, and raises what PostgreSQL's parse
    /// analysis would raise for a missing name. Other complaints of the
    /// analyzer (it is written for view definitions) are not raised here.
    pub(super) fn resolve_names(&self, mut select: SelectStmt) -> PgResult<()> {
        if self.plpgsql_depth > 0 {
            return Ok(());
        }
        match self.analyze_query(&mut select) {
            Err(e)
                if matches!(
                    e.sqlstate,
                    code::UNDEFINED_TABLE
                        | code::UNDEFINED_COLUMN
                        | code::AMBIGUOUS_COLUMN
                        | code::UNDEFINED_FUNCTION
                        | code::INVALID_SCHEMA_NAME
                ) =>
            {
                Err(e)
            }
            _ => Ok(()),
        }
    }

    /// The names an UPDATE or DELETE (or a policy) reads besides its
    /// target's columns: its expressions, as the `SELECT` over the same
    /// relations would read them. Forms the analyzer has no rule for are
    /// left alone.
    pub(super) fn resolve_dml_names(
        &self,
        target: &RangeVar,
        values: Vec<Node>,
        from: &[Node],
        where_clause: Option<&Node>,
        with: Option<&pg_query::protobuf::WithClause>,
    ) -> PgResult<()> {
        let mut unsupported = false;
        let mut check = |n: &NodeEnum| {
            if matches!(
                n,
                NodeEnum::MultiAssignRef(_)
                    | NodeEnum::SetToDefault(_)
                    | NodeEnum::CurrentOfExpr(_)
            ) {
                unsupported = true;
            }
        };
        for v in values.iter().chain(from).chain(where_clause) {
            expr::walk(v, &mut check);
        }
        if unsupported {
            return Ok(());
        }
        let mut from_clause = vec![expr::node(NodeEnum::RangeVar(target.clone()))];
        from_clause.extend(from.iter().cloned());
        let target_list = values
            .into_iter()
            .map(|v| {
                expr::node(NodeEnum::ResTarget(Box::new(
                    pg_query::protobuf::ResTarget {
                        val: Some(Box::new(v)),
                        ..Default::default()
                    },
                )))
            })
            .collect();
        self.resolve_names(SelectStmt {
            target_list,
            from_clause,
            where_clause: where_clause.map(|w| Box::new(w.clone())),
            with_clause: with.cloned(),
            limit_option: pg_query::protobuf::LimitOption::Default as i32,
            op: pg_query::protobuf::SetOperation::SetopNone as i32,
            ..Default::default()
        })
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
        if let Some(t) = self.table(oid) {
            self.check_inserted_rows(oid, t, s)?;
        }
        Ok(Applied::Data)
    }

    /// What can be known of an INSERT from the statement alone: each
    /// literal through its column's input function (parse analysis), the
    /// identity and generated columns it may not write (the rewriter),
    /// then per row of a VALUES list the NOT NULL and CHECK constraints
    /// decidable on literals (the executor), in that order.
    fn check_inserted_rows(&self, oid: Oid, t: &Table, s: &InsertStmt) -> PgResult<()> {
        use pg_query::protobuf::OverridingKind;
        let table_name = self.rel_name(oid).to_string();
        let targets: Vec<&Column> = if s.cols.is_empty() {
            t.columns.iter().collect()
        } else {
            s.cols
                .iter()
                .filter_map(|c| match c.node.as_ref() {
                    Some(NodeEnum::ResTarget(rt)) => t.column(&rt.name),
                    _ => None,
                })
                .collect()
        };
        let source = s
            .select_stmt
            .as_deref()
            .and_then(|n| match n.node.as_ref() {
                Some(NodeEnum::SelectStmt(sel)) => Some(&**sel),
                _ => None,
            });
        // Rows of VALUES (DEFAULT VALUES is one row of defaults); `None`
        // for a query, whose rows are unknown.
        let rows: Option<Vec<Vec<&Node>>> = match source {
            None => Some(vec![Vec::new()]),
            Some(sel) if !sel.values_lists.is_empty() => Some(
                sel.values_lists
                    .iter()
                    .map(|row| match row.node.as_ref() {
                        Some(NodeEnum::List(l)) => l.items.iter().collect(),
                        _ => Vec::new(),
                    })
                    .collect(),
            ),
            Some(_) => None,
        };
        let mut values: Vec<Vec<RowValue>> = Vec::new();
        if let Some(rows) = &rows {
            for row in rows {
                if row.len() > targets.len() {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        "INSERT has more expressions than target columns",
                    ));
                }
                if !s.cols.is_empty() && source.is_some() && row.len() < targets.len() {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        "INSERT has more target columns than expressions",
                    ));
                }
                let mut vals = Vec::with_capacity(row.len());
                for (e, col) in row.iter().zip(&targets) {
                    vals.push(self.inserted_value(e, col)?);
                }
                values.push(vals);
            }
        }
        // `rewriteTargetListIU`: identity ALWAYS and generated columns take
        // DEFAULT only.
        let overriding =
            OverridingKind::try_from(s.r#override).unwrap_or(OverridingKind::Undefined);
        // A query fills as many columns as it has outputs (unknown with `*`).
        let query_width = source.filter(|_| rows.is_none()).and_then(|sel| {
            let star = sel.target_list.iter().any(|t| {
                matches!(t.node.as_ref(), Some(NodeEnum::ResTarget(rt))
                    if matches!(rt.val.as_deref().and_then(|v| v.node.as_ref()),
                        Some(NodeEnum::ColumnRef(c)) if c.fields.iter().any(|f| matches!(f.node, Some(NodeEnum::AStar(_))))))
            });
            (!star && sel.larg.is_none()).then_some(sel.target_list.len())
        });
        for (i, col) in targets.iter().enumerate() {
            let written = match (&rows, query_width) {
                (Some(_), _) => values
                    .iter()
                    .any(|r| r.get(i).is_some_and(|v| *v != RowValue::Default)),
                (None, Some(width)) => i < width,
                (None, None) => !s.cols.is_empty(),
            };
            if !written {
                continue;
            }
            let detail = if col.identity.is_some_and(|id| id.always)
                && overriding != OverridingKind::OverridingSystemValue
            {
                Some(format!(
                    "Column \"{}\" is an identity column defined as GENERATED ALWAYS.",
                    col.name
                ))
            } else if col.generated.is_some() {
                Some(format!("Column \"{}\" is a generated column.", col.name))
            } else {
                None
            };
            if let Some(detail) = detail {
                let mut e = PgError::new(
                    "428C9",
                    format!(
                        "cannot insert a non-DEFAULT value into column \"{}\"",
                        col.name
                    ),
                )
                .detail(detail);
                if col.identity.is_some() {
                    e = e.hint("Use OVERRIDING SYSTEM VALUE to override.");
                }
                return Err(e);
            }
        }
        // The executor, row by row: NOT NULL, then CHECK constraints.
        for vals in &values {
            let row: Vec<(&Column, RowValue)> = t
                .columns
                .iter()
                .map(|c| {
                    let given = targets
                        .iter()
                        .position(|x| x.attnum == c.attnum)
                        .and_then(|i| vals.get(i).cloned());
                    let v = match given {
                        Some(RowValue::Default) | None => self.default_value(c),
                        Some(v) => v,
                    };
                    (c, v)
                })
                .collect();
            for (c, v) in &row {
                if *v == RowValue::Null && c.not_null {
                    return Err(PgError::new(
                        "23502",
                        format!(
                            "null value in column \"{}\" of relation \"{table_name}\" violates not-null constraint",
                            c.name
                        ),
                    )
                    .detail(failing_row(&row)));
                }
            }
            for con in &t.constraints {
                let ConstraintKind::Check { expr } = &con.kind else {
                    continue;
                };
                if eval_check(expr, &row) == Some(false) {
                    return Err(PgError::new(
                        "23514",
                        format!(
                            "new row for relation \"{table_name}\" violates check constraint \"{}\"",
                            con.name
                        ),
                    )
                    .detail(failing_row(&row)));
                }
            }
        }
        Ok(())
    }

    /// One expression of a VALUES row, coerced to its column as parse
    /// analysis does.
    fn inserted_value(&self, e: &Node, col: &Column) -> PgResult<RowValue> {
        use pg_query::protobuf::a_const::Val;
        match e.node.as_ref() {
            Some(NodeEnum::SetToDefault(_)) => Ok(RowValue::Default),
            Some(NodeEnum::AConst(c)) if c.isnull => Ok(RowValue::Null),
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(Val::Sval(s)) => {
                    self.check_assignment(&s.sval, &col.ty)?;
                    Ok(RowValue::Text(s.sval.clone()))
                }
                _ => {
                    self.check_value_fits(e, &col.ty, || {
                        PgError::new(
                            code::DATATYPE_MISMATCH,
                            format!(
                                "column \"{}\" is of type {} but expression is of type {{}}",
                                col.name,
                                self.type_display(&col.ty)
                            ),
                        )
                        .hint("You will need to rewrite or cast the expression.")
                    })?;
                    Ok(match &c.val {
                        Some(Val::Ival(i)) => {
                            RowValue::Number(f64::from(i.ival), i.ival.to_string())
                        }
                        Some(Val::Fval(f)) => match f.fval.parse() {
                            Ok(v) => RowValue::Number(v, f.fval.clone()),
                            Err(_) => RowValue::Unknown,
                        },
                        Some(Val::Boolval(b)) => RowValue::Bool(b.boolval),
                        _ => RowValue::Unknown,
                    })
                }
            },
            Some(NodeEnum::TypeCast(_)) => {
                self.check_value_fits(e, &col.ty, || {
                    PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!(
                            "column \"{}\" is of type {} but expression is of type {{}}",
                            col.name,
                            self.type_display(&col.ty)
                        ),
                    )
                    .hint("You will need to rewrite or cast the expression.")
                })?;
                Ok(RowValue::Unknown)
            }
            _ => Ok(RowValue::Unknown),
        }
    }

    /// What a column gets when the INSERT does not give it a value.
    fn default_value(&self, c: &Column) -> RowValue {
        if c.identity.is_some() || c.generated.is_some() {
            return RowValue::Unknown;
        }
        let default = c.default.as_ref().or_else(|| self.domain_default(&c.ty));
        match default.and_then(|d| d.node.as_ref()) {
            None => RowValue::Null,
            Some(NodeEnum::AConst(k)) if k.isnull => RowValue::Null,
            Some(_) => RowValue::Unknown,
        }
    }

    fn domain_default(&self, ty: &crate::catalog::ColType) -> Option<&Node> {
        let mut cur = ty;
        for _ in 0..32 {
            let crate::catalog::TypeRef::User(oid) = cur.base else {
                return None;
            };
            match self.user_type(oid).map(|u| &u.kind) {
                Some(TypeKind::Domain {
                    default: Some(d), ..
                }) if !cur.array => return Some(d),
                Some(TypeKind::Domain { base, .. }) if !cur.array => cur = base,
                _ => return None,
            }
        }
        None
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
        let values = s
            .target_list
            .iter()
            .filter_map(|t| match t.node.as_ref() {
                Some(NodeEnum::ResTarget(rt)) => rt.val.as_deref().cloned(),
                _ => None,
            })
            .collect();
        self.resolve_dml_names(
            rv,
            values,
            &s.from_clause,
            s.where_clause.as_deref(),
            s.with_clause.as_ref(),
        )?;
        Ok(Applied::Data)
    }

    pub(super) fn delete(&mut self, s: &DeleteStmt) -> PgResult<Applied> {
        if let Some(rv) = s.relation.as_ref() {
            self.data_target(rv)?;
            self.resolve_dml_names(
                rv,
                Vec::new(),
                &s.using_clause,
                s.where_clause.as_deref(),
                s.with_clause.as_ref(),
            )?;
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
                    // Partitions and inheritance children, through the
                    // reference index rather than a scan.
                    let mut i = targets.len() - 1;
                    while i < targets.len() {
                        let parent = targets[i];
                        let children: Vec<Oid> = self
                            .referrers(parent)
                            .filter(|r| {
                                r.table().is_some_and(|t| {
                                    t.inherits.contains(&parent)
                                        || t.partition_of.as_ref().is_some_and(|p| p.0 == parent)
                                })
                            })
                            .map(|r| r.oid)
                            .collect();
                        for child in children {
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

/// A value of an inserted row, as far as the statement tells it.
#[derive(Debug, Clone, PartialEq)]
enum RowValue {
    Default,
    Null,
    /// A number and its text.
    Number(f64, String),
    Bool(bool),
    /// An untyped string literal.
    Text(String),
    Unknown,
}

/// `Failing row contains (...)`, when every value is known.
fn failing_row(row: &[(&Column, RowValue)]) -> String {
    let mut parts = Vec::new();
    for (_, v) in row {
        parts.push(match v {
            RowValue::Null => "null".to_string(),
            RowValue::Number(_, t) | RowValue::Text(t) => t.clone(),
            RowValue::Bool(b) => if *b { "t" } else { "f" }.to_string(),
            RowValue::Default | RowValue::Unknown => return String::new(),
        });
    }
    format!("Failing row contains ({}).", parts.join(", "))
}

/// Three-valued evaluation of a CHECK expression over literal values:
/// comparisons, AND/OR/NOT, IS [NOT] NULL. `None` when not decidable.
fn eval_check(e: &Node, row: &[(&Column, RowValue)]) -> Option<bool> {
    use pg_query::protobuf::{AExprKind, BoolExprType, NullTestType};
    #[derive(Clone, PartialEq)]
    enum V {
        Null,
        Num(f64),
        Str(String),
        Bool(bool),
    }
    fn value(n: &Node, row: &[(&Column, RowValue)]) -> Option<V> {
        use pg_query::protobuf::a_const::Val;
        match n.node.as_ref()? {
            NodeEnum::ColumnRef(c) => {
                let name = c.fields.last().and_then(str_of)?;
                let (col, v) = row.iter().find(|(c, _)| c.name == name)?;
                let numeric = matches!(
                    col.ty.builtin_name(),
                    Some("int2" | "int4" | "int8" | "numeric" | "float4" | "float8")
                ) && !col.ty.array;
                match v {
                    RowValue::Null => Some(V::Null),
                    RowValue::Number(x, _) if numeric => Some(V::Num(*x)),
                    RowValue::Text(t) if numeric => t.trim().parse().ok().map(V::Num),
                    RowValue::Text(t) if col.ty.is("text") || col.ty.is("varchar") => {
                        Some(V::Str(t.clone()))
                    }
                    RowValue::Bool(b) if col.ty.is("bool") => Some(V::Bool(*b)),
                    _ => None,
                }
            }
            NodeEnum::AConst(c) if c.isnull => Some(V::Null),
            NodeEnum::AConst(c) => match c.val.as_ref()? {
                Val::Ival(i) => Some(V::Num(f64::from(i.ival))),
                Val::Fval(f) => f.fval.parse().ok().map(V::Num),
                Val::Sval(s) => Some(V::Str(s.sval.clone())),
                Val::Boolval(b) => Some(V::Bool(b.boolval)),
                Val::Bsval(_) => None,
            },
            _ => None,
        }
    }
    fn truth(e: &Node, row: &[(&Column, RowValue)]) -> Option<Option<bool>> {
        match e.node.as_ref()? {
            NodeEnum::BoolExpr(b) => {
                let args: Vec<Option<Option<bool>>> =
                    b.args.iter().map(|a| truth(a, row)).collect();
                match BoolExprType::try_from(b.boolop).ok()? {
                    BoolExprType::AndExpr => {
                        if args.contains(&Some(Some(false))) {
                            return Some(Some(false));
                        }
                        if args.iter().any(Option::is_none) {
                            return None;
                        }
                        Some(if args.iter().all(|a| *a == Some(Some(true))) {
                            Some(true)
                        } else {
                            None
                        })
                    }
                    BoolExprType::OrExpr => {
                        if args.contains(&Some(Some(true))) {
                            return Some(Some(true));
                        }
                        if args.iter().any(Option::is_none) {
                            return None;
                        }
                        Some(if args.iter().all(|a| *a == Some(Some(false))) {
                            Some(false)
                        } else {
                            None
                        })
                    }
                    BoolExprType::NotExpr => args.first().cloned()?.map(|v| v.map(|b| !b)),
                    BoolExprType::Undefined => None,
                }
            }
            NodeEnum::NullTest(nt) => {
                let v = value(nt.arg.as_deref()?, row)?;
                let is_null = v == V::Null;
                Some(Some(
                    match NullTestType::try_from(nt.nulltesttype).ok()? {
                        NullTestType::IsNull => is_null,
                        NullTestType::IsNotNull => !is_null,
                        NullTestType::Undefined => return None,
                    },
                ))
            }
            NodeEnum::AExpr(a) if a.kind == AExprKind::AexprOp as i32 => {
                let op = match a.name.as_slice() {
                    [one] => str_of(one)?,
                    _ => return None,
                };
                let l = value(a.lexpr.as_deref()?, row)?;
                let r = value(a.rexpr.as_deref()?, row)?;
                if l == V::Null || r == V::Null {
                    return Some(None);
                }
                let ord = match (&l, &r) {
                    (V::Num(x), V::Num(y)) => x.partial_cmp(y)?,
                    // String order depends on the collation: equality only.
                    (V::Str(x), V::Str(y)) if matches!(op, "=" | "<>" | "!=") => x.cmp(y),
                    (V::Bool(x), V::Bool(y)) if matches!(op, "=" | "<>" | "!=") => x.cmp(y),
                    _ => return None,
                };
                use std::cmp::Ordering::*;
                Some(Some(match op {
                    "=" => ord == Equal,
                    "<>" | "!=" => ord != Equal,
                    "<" => ord == Less,
                    ">" => ord == Greater,
                    "<=" => ord != Greater,
                    ">=" => ord != Less,
                    _ => return None,
                }))
            }
            _ => match value(e, row)? {
                V::Bool(b) => Some(Some(b)),
                V::Null => Some(None),
                _ => None,
            },
        }
    }
    // A CHECK passes unless it is false; NULL passes.
    truth(e, row).map(|t| t != Some(false))
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
    fn insert_values_are_checked_as_postgres_would() {
        assert_eq!(
            sqlstate("CREATE TABLE t (a int); INSERT INTO t (a) VALUES ('abc')"),
            "22P02"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int); INSERT INTO t VALUES (true)"),
            "42804"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a varchar(2)); INSERT INTO t VALUES ('abc')"),
            "22001"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int NOT NULL); INSERT INTO t (a) VALUES (NULL)"),
            "23502"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int NOT NULL, b int); INSERT INTO t (b) VALUES (1)"),
            "23502"
        );
        assert_eq!(
            sqlstate(
                "CREATE TABLE t (a int NOT NULL DEFAULT 0, b int); INSERT INTO t (b) VALUES (1)"
            ),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int CHECK (a > 0)); INSERT INTO t VALUES (1), (0)"),
            "23514"
        );
        assert_eq!(
            sqlstate(
                "CREATE TABLE t (a int CHECK (a > 0 OR a IS NULL)); INSERT INTO t VALUES (NULL)"
            ),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int CHECK (a > 0)); INSERT INTO t SELECT 0"),
            "ok"
        );
        let identity = "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, a int);";
        assert_eq!(
            sqlstate(&format!("{identity} INSERT INTO t (id, a) VALUES (1, 1)")),
            "428C9"
        );
        assert_eq!(
            sqlstate(&format!(
                "{identity} INSERT INTO t (id, a) OVERRIDING SYSTEM VALUE VALUES (1, 1)"
            )),
            "ok"
        );
        assert_eq!(
            sqlstate(&format!("{identity} INSERT INTO t VALUES (DEFAULT, 1)")),
            "ok"
        );
        assert_eq!(
            sqlstate(&format!("{identity} INSERT INTO t (a) SELECT 1")),
            "ok"
        );
        assert_eq!(
            sqlstate(&format!("{identity} INSERT INTO t SELECT 1, 1")),
            "428C9"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int); INSERT INTO t VALUES (1, 2)"),
            "42601"
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
