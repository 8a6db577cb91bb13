//! Analysis of view queries (`parse_analyze` in miniature): resolves every
//! relation, column, type and function a query names, raising PostgreSQL's
//! errors for missing ones; expands `*` as PostgreSQL does at creation time;
//! and rewrites the query into a canonical form — relations schema-qualified
//! with an explicit alias, column references qualified by that alias, output
//! columns named — so that later renames can be followed exactly as
//! PostgreSQL follows them by OID.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, Node, SelectStmt};

use super::Catalog;
use super::error::{PgError, PgResult, code};
use super::expr;
use super::model::*;
use super::names::{QualName, qual_from_list, qual_from_rangevar, str_of};
use super::types::{ColType, TypeRef};
use super::typing;

/// A column a range-table entry offers.
#[derive(Debug, Clone)]
struct EntryColumn {
    name: String,
    ty: Option<ColType>,
    /// The base-table column behind it, for dependency tracking.
    source: Option<(Oid, i16)>,
}

#[derive(Debug, Clone)]
struct Entry {
    refname: String,
    columns: Vec<EntryColumn>,
    /// Columns unknown (a function in FROM): unresolved names may be ours.
    open: bool,
    /// A table or materialized view: it has the system columns (`ctid`,
    /// `xmin`...), which `*` does not expand to.
    system_columns: bool,
}

#[derive(Debug, Clone, Default)]
struct Level {
    entries: Vec<Entry>,
    ctes: Vec<(String, Vec<EntryColumn>)>,
}

/// Result of analyzing a query.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub columns: Vec<ViewColumn>,
    pub deps: QueryDeps,
}

struct Analyzer<'a> {
    cat: &'a Catalog,
    deps: QueryDeps,
}

/// The system columns every table has, with their types.
fn system_column_type(name: &str) -> Option<ColType> {
    let ty = match name {
        "ctid" => "tid",
        "xmin" | "xmax" => "xid",
        "cmin" | "cmax" => "cid",
        "tableoid" => "oid",
        _ => return None,
    };
    Some(ColType::builtin(ty))
}

fn colref(q: &str, c: &str, location: i32) -> Node {
    expr::node(NodeEnum::ColumnRef(protobuf::ColumnRef {
        fields: vec![expr::string_node(q), expr::string_node(c)],
        location,
    }))
}

impl Catalog {
    /// Analyzes and canonicalizes a view's `SELECT`.
    pub fn analyze_query(&self, select: &mut SelectStmt) -> PgResult<Analysis> {
        let mut a = Analyzer {
            cat: self,
            deps: QueryDeps::default(),
        };
        let mut stack: Vec<Level> = Vec::new();
        let columns = a.select(select, &mut stack)?;
        Ok(Analysis {
            columns: columns
                .into_iter()
                .map(|c| ViewColumn {
                    name: c.name,
                    ty: c.ty,
                    comment: None,
                    default: None,
                })
                .collect(),
            deps: a.deps,
        })
    }
}

impl Analyzer<'_> {
    fn select(&mut self, s: &mut SelectStmt, stack: &mut Vec<Level>) -> PgResult<Vec<EntryColumn>> {
        let mut level = Level::default();
        if let Some(with) = s.with_clause.as_mut() {
            for cte in &mut with.ctes {
                let Some(NodeEnum::CommonTableExpr(c)) = cte.node.as_mut() else {
                    continue;
                };
                let name = c.ctename.clone();
                let Some(NodeEnum::SelectStmt(q)) =
                    c.ctequery.as_deref_mut().and_then(|n| n.node.as_mut())
                else {
                    // A data-modifying CTE: its columns are unknown.
                    level.ctes.push((name, Vec::new()));
                    continue;
                };
                stack.push(level.clone());
                let cols = if with.recursive && q.op != protobuf::SetOperation::SetopNone as i32 {
                    // The recursive term sees the CTE with the columns of
                    // the non-recursive term.
                    let mut left_cols = Vec::new();
                    if let Some(l) = q.larg.as_deref_mut() {
                        left_cols = self.select(l, stack)?;
                    }
                    if let Some(top) = stack.last_mut() {
                        top.ctes.push((name.clone(), left_cols.clone()));
                    }
                    if let Some(r) = q.rarg.as_deref_mut() {
                        self.select(r, stack)?;
                    }
                    left_cols
                } else {
                    self.select(q, stack)?
                };
                stack.pop();
                let alias_names: Vec<String> = c
                    .aliascolnames
                    .iter()
                    .filter_map(str_of)
                    .map(str::to_string)
                    .collect();
                let cols = rename_columns(cols, &alias_names);
                level.ctes.push((name, cols));
            }
        }
        // Set operations: the left arm names the columns.
        if s.op != protobuf::SetOperation::SetopNone as i32 && s.op != 0 {
            stack.push(level.clone());
            let left = match s.larg.as_deref_mut() {
                Some(l) => self.select(l, stack)?,
                None => Vec::new(),
            };
            let right = match s.rarg.as_deref_mut() {
                Some(r) => self.select(r, stack)?,
                None => Vec::new(),
            };
            stack.pop();
            if left.len() != right.len() {
                let op = match protobuf::SetOperation::try_from(s.op) {
                    Ok(protobuf::SetOperation::SetopIntersect) => "INTERSECT",
                    Ok(protobuf::SetOperation::SetopExcept) => "EXCEPT",
                    _ => "UNION",
                };
                return Err(PgError::new(
                    code::SYNTAX_ERROR,
                    format!("each {op} query must have the same number of columns"),
                ));
            }
            return Ok(left
                .into_iter()
                .zip(right)
                .map(|(l, r)| EntryColumn {
                    ty: typing::unify(self.cat, l.ty.as_ref(), r.ty.as_ref()),
                    ..l
                })
                .collect());
        }
        if !s.values_lists.is_empty() {
            stack.push(level);
            let mut n = 0;
            for row in &mut s.values_lists {
                if let Some(NodeEnum::List(l)) = row.node.as_mut() {
                    n = n.max(l.items.len());
                    for item in &mut l.items {
                        self.expr(item, stack)?;
                    }
                }
            }
            stack.pop();
            return Ok((1..=n)
                .map(|i| EntryColumn {
                    name: format!("column{i}"),
                    ty: None,
                    source: None,
                })
                .collect());
        }
        // FROM: build this level's range table.
        let mut from = std::mem::take(&mut s.from_clause);
        for item in &mut from {
            self.add_from_item(item, &mut level, stack)?;
        }
        s.from_clause = from;
        stack.push(level);
        let result = self.select_body(s, stack);
        stack.pop();
        result
    }

    fn select_body(
        &mut self,
        s: &mut SelectStmt,
        stack: &mut Vec<Level>,
    ) -> PgResult<Vec<EntryColumn>> {
        if let Some(w) = s.where_clause.as_deref_mut() {
            self.expr(w, stack)?;
        }
        // Target list, with stars expanded.
        let mut out_targets: Vec<Node> = Vec::with_capacity(s.target_list.len());
        let mut out_cols = Vec::new();
        for t in std::mem::take(&mut s.target_list) {
            let Some(NodeEnum::ResTarget(mut rt)) = t.node else {
                continue;
            };
            if let Some(star) = rt.val.as_deref().and_then(star_qualifier) {
                let level = stack.last().cloned().unwrap_or_default();
                let entries: Vec<&Entry> = match &star {
                    None => level.entries.iter().collect(),
                    Some(q) => {
                        let found: Vec<&Entry> =
                            level.entries.iter().filter(|e| &e.refname == q).collect();
                        if found.is_empty() {
                            return Err(PgError::new(
                                code::UNDEFINED_TABLE,
                                format!("missing FROM-clause entry for table \"{q}\""),
                            ));
                        }
                        found
                    }
                };
                if star.is_none() && entries.is_empty() {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        "SELECT * with no tables specified is not valid",
                    ));
                }
                for e in entries {
                    for c in &e.columns {
                        if let Some(src) = c.source {
                            self.add_col_dep(src);
                        }
                        out_cols.push(c.clone());
                        out_targets.push(expr::node(NodeEnum::ResTarget(Box::new(
                            protobuf::ResTarget {
                                name: c.name.clone(),
                                val: Some(Box::new(colref(&e.refname, &c.name, rt.location))),
                                location: rt.location,
                                ..Default::default()
                            },
                        ))));
                    }
                }
                continue;
            }
            let Some(val) = rt.val.as_deref_mut() else {
                continue;
            };
            let ty = match expr::literal_type(val) {
                // Untyped literals become text in a view or CREATE TABLE AS.
                Some(None) => {
                    self.expr(val, stack)?;
                    Some(ColType::builtin("text"))
                }
                _ => self.expr(val, stack)?,
            };
            let name = if rt.name.is_empty() {
                crate::catalog::apply::figure_colname(val)
                    .map(|(n, _)| n)
                    .unwrap_or_else(|| "?column?".into())
            } else {
                rt.name.clone()
            };
            let source = self.source_of(val, stack);
            rt.name = name.clone();
            out_cols.push(EntryColumn { name, ty, source });
            out_targets.push(expr::node(NodeEnum::ResTarget(rt)));
        }
        s.target_list = out_targets;
        let output_names: Vec<String> = out_cols.iter().map(|c| c.name.clone()).collect();
        for g in &mut s.group_clause {
            if !is_output_reference(g, &output_names) {
                self.expr(g, stack)?;
            }
        }
        if let Some(h) = s.having_clause.as_deref_mut() {
            self.expr(h, stack)?;
        }
        for w in &mut s.window_clause {
            self.expr(w, stack)?;
        }
        for d in &mut s.distinct_clause {
            if !is_output_reference(d, &output_names) {
                self.expr(d, stack)?;
            }
        }
        for o in &mut s.sort_clause {
            if let Some(NodeEnum::SortBy(sb)) = o.node.as_mut()
                && let Some(n) = sb.node.as_deref_mut()
                && !is_output_reference(n, &output_names)
            {
                self.expr(n, stack)?;
            }
        }
        if let Some(l) = s.limit_count.as_deref_mut() {
            self.expr(l, stack)?;
        }
        if let Some(l) = s.limit_offset.as_deref_mut() {
            self.expr(l, stack)?;
        }
        Ok(out_cols)
    }

    fn add_col_dep(&mut self, src: (Oid, i16)) {
        if !self.deps.columns.contains(&src) {
            self.deps.columns.push(src);
        }
    }

    fn add_from_item(
        &mut self,
        item: &mut Node,
        level: &mut Level,
        stack: &mut Vec<Level>,
    ) -> PgResult<()> {
        let Some(n) = item.node.as_mut() else {
            return Ok(());
        };
        match n {
            NodeEnum::RangeVar(rv) => {
                let entry = self.range_var(rv, level, stack)?;
                if level.entries.iter().any(|e| e.refname == entry.refname) {
                    return Err(PgError::new(
                        code::DUPLICATE_ALIAS,
                        format!("table name \"{}\" specified more than once", entry.refname),
                    ));
                }
                level.entries.push(entry);
            }
            NodeEnum::RangeSubselect(rs) => {
                let refname = rs
                    .alias
                    .as_ref()
                    .map(|a| a.aliasname.clone())
                    .unwrap_or_else(|| "unnamed_subquery".into());
                let cols = match rs.subquery.as_deref_mut().and_then(|q| q.node.as_mut()) {
                    Some(NodeEnum::SelectStmt(q)) => {
                        if rs.lateral {
                            stack.push(level.clone());
                            let r = self.select(q, stack);
                            stack.pop();
                            r?
                        } else {
                            self.select(q, stack)?
                        }
                    }
                    _ => Vec::new(),
                };
                let alias_names: Vec<String> = rs
                    .alias
                    .as_ref()
                    .map(|a| {
                        a.colnames
                            .iter()
                            .filter_map(str_of)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                level.entries.push(Entry {
                    refname,
                    columns: rename_columns(cols, &alias_names),
                    open: false,
                    system_columns: false,
                });
            }
            NodeEnum::JoinExpr(j) => {
                let before = level.entries.len();
                if let Some(l) = j.larg.as_deref_mut() {
                    self.add_from_item(l, level, stack)?;
                }
                let mid = level.entries.len();
                if let Some(r) = j.rarg.as_deref_mut() {
                    self.add_from_item(r, level, stack)?;
                }
                // USING columns must exist on both sides.
                for u in j.using_clause.iter().filter_map(str_of) {
                    let left = level.entries[before..mid]
                        .iter()
                        .any(|e| e.open || e.columns.iter().any(|c| c.name == u));
                    let right = level.entries[mid..]
                        .iter()
                        .any(|e| e.open || e.columns.iter().any(|c| c.name == u));
                    if !left || !right {
                        let side = if !left { "left" } else { "right" };
                        return Err(PgError::new(
                            code::UNDEFINED_COLUMN,
                            format!(
                                "column \"{u}\" specified in USING clause does not exist in {side} table"
                            ),
                        ));
                    }
                }
                if let Some(q) = j.quals.as_deref_mut() {
                    stack.push(level.clone());
                    let r = self.expr(q, stack);
                    stack.pop();
                    r?;
                }
                if let Some(alias) = j.alias.as_ref() {
                    let mut cols: Vec<EntryColumn> = Vec::new();
                    for e in &level.entries[before..] {
                        for c in &e.columns {
                            if !cols.iter().any(|x| x.name == c.name) {
                                cols.push(c.clone());
                            }
                        }
                    }
                    level.entries.push(Entry {
                        refname: alias.aliasname.clone(),
                        columns: cols,
                        open: false,
                        system_columns: false,
                    });
                }
            }
            NodeEnum::RangeFunction(rf) => {
                let mut fname = String::from("unnamed");
                for f in &mut rf.functions {
                    if let Some(NodeEnum::List(l)) = f.node.as_mut()
                        && let Some(call) = l.items.first_mut()
                    {
                        if let Some(NodeEnum::FuncCall(fc)) = call.node.as_ref() {
                            fname = fc
                                .funcname
                                .last()
                                .and_then(str_of)
                                .unwrap_or("unnamed")
                                .to_string();
                        }
                        stack.push(level.clone());
                        let r = self.expr(call, stack);
                        stack.pop();
                        r?;
                    }
                }
                let refname = rf
                    .alias
                    .as_ref()
                    .map(|a| a.aliasname.clone())
                    .unwrap_or_else(|| fname.clone());
                let alias_names: Vec<String> = rf
                    .alias
                    .as_ref()
                    .map(|a| {
                        a.colnames
                            .iter()
                            .filter_map(str_of)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let coldef_names: Vec<String> = rf
                    .coldeflist
                    .iter()
                    .filter_map(|c| match c.node.as_ref() {
                        Some(NodeEnum::ColumnDef(cd)) => Some(cd.colname.clone()),
                        _ => None,
                    })
                    .collect();
                let names = if !coldef_names.is_empty() {
                    coldef_names
                } else {
                    alias_names
                };
                let single = matches!(
                    fname.as_str(),
                    "generate_series"
                        | "unnest"
                        | "json_array_elements"
                        | "jsonb_array_elements"
                        | "json_array_elements_text"
                        | "jsonb_array_elements_text"
                        | "regexp_split_to_table"
                        | "generate_subscripts"
                );
                let columns: Vec<EntryColumn> = if !names.is_empty() {
                    names
                        .iter()
                        .map(|n| EntryColumn {
                            name: n.clone(),
                            ty: None,
                            source: None,
                        })
                        .collect()
                } else if single {
                    vec![EntryColumn {
                        name: refname.clone(),
                        ty: None,
                        source: None,
                    }]
                } else {
                    Vec::new()
                };
                let open = columns.is_empty() || !single && names.is_empty();
                let mut columns = columns;
                if rf.ordinality {
                    columns.push(EntryColumn {
                        name: "ordinality".into(),
                        ty: Some(ColType::builtin("int8")),
                        source: None,
                    });
                }
                level.entries.push(Entry {
                    refname,
                    columns,
                    open,
                    system_columns: false,
                });
            }
            _ => {
                level.entries.push(Entry {
                    refname: String::new(),
                    columns: Vec::new(),
                    open: true,
                    system_columns: false,
                });
            }
        }
        Ok(())
    }

    fn range_var(
        &mut self,
        rv: &mut protobuf::RangeVar,
        level: &Level,
        stack: &[Level],
    ) -> PgResult<Entry> {
        let alias_names: Vec<String> = rv
            .alias
            .as_ref()
            .map(|a| {
                a.colnames
                    .iter()
                    .filter_map(str_of)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if rv.schemaname.is_empty() {
            let cte = level
                .ctes
                .iter()
                .rev()
                .chain(stack.iter().rev().flat_map(|l| l.ctes.iter().rev()))
                .find(|(n, _)| *n == rv.relname);
            if let Some((name, cols)) = cte {
                let refname = rv
                    .alias
                    .as_ref()
                    .map_or(name.clone(), |a| a.aliasname.clone());
                return Ok(Entry {
                    refname,
                    columns: rename_columns(cols.clone(), &alias_names),
                    open: cols.is_empty(),
                    system_columns: false,
                });
            }
        }
        let qn = qual_from_rangevar(rv);
        let oid = match self.cat.require_relation(&qn) {
            Ok(oid) => oid,
            // System catalogs and views (`pg_type`, `information_schema.
            // tables`) are not modelled: their columns are taken on trust
            // rather than refused, so a query over them is not a false error.
            Err(_) if is_system_relation(&qn) => {
                let refname = rv
                    .alias
                    .as_ref()
                    .map_or(qn.name.clone(), |a| a.aliasname.clone());
                return Ok(Entry {
                    refname,
                    columns: Vec::new(),
                    open: true,
                    system_columns: false,
                });
            }
            Err(e) => return Err(e.at(rv.location)),
        };
        let rel = self.cat.relation(oid).ok_or_else(|| {
            PgError::new(
                code::UNDEFINED_TABLE,
                format!("relation \"{qn}\" does not exist"),
            )
        })?;
        let columns: Vec<EntryColumn> = match &rel.body {
            RelBody::Table(t) => t
                .columns
                .iter()
                .map(|c| EntryColumn {
                    name: c.name.clone(),
                    ty: Some(c.ty.clone()),
                    source: Some((oid, c.attnum)),
                })
                .collect(),
            RelBody::View(v) => v
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| EntryColumn {
                    name: c.name.clone(),
                    ty: c.ty.clone(),
                    source: Some((oid, i as i16 + 1)),
                })
                .collect(),
            RelBody::Sequence(_) => ["last_value", "log_cnt", "is_called"]
                .iter()
                .map(|n| EntryColumn {
                    name: n.to_string(),
                    ty: None,
                    source: None,
                })
                .collect(),
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("\"{}\" is not a table or view", qn.name),
                ));
            }
        };
        if !self.deps.relations.contains(&oid) {
            self.deps.relations.push(oid);
        }
        let refname = rv
            .alias
            .as_ref()
            .map_or(rel.name.clone(), |a| a.aliasname.clone());
        // Canonical form: schema-qualified. No alias is added: PostgreSQL
        // prints none for a relation named without one, and renames follow
        // the relation's name in column references.
        rv.schemaname = self.cat.schema_name(rel.schema).to_string();
        rv.relname = rel.name.clone();
        Ok(Entry {
            refname,
            columns: rename_columns(columns, &alias_names),
            open: false,
            system_columns: match &rel.body {
                RelBody::Table(_) => true,
                RelBody::View(v) => v.materialized,
                _ => false,
            },
        })
    }

    /// Resolves names in an expression, canonicalizing column references;
    /// returns the expression's type when simple.
    fn expr(&mut self, e: &mut Node, stack: &mut Vec<Level>) -> PgResult<Option<ColType>> {
        let Some(n) = e.node.as_mut() else {
            return Ok(None);
        };
        match n {
            NodeEnum::ColumnRef(c) => return self.column_ref(c, stack),
            NodeEnum::SubLink(sl) => {
                if let Some(t) = sl.testexpr.as_deref_mut() {
                    self.expr(t, stack)?;
                }
                if let Some(NodeEnum::SelectStmt(q)) =
                    sl.subselect.as_deref_mut().and_then(|n| n.node.as_mut())
                {
                    let cols = self.select(q, stack)?;
                    if sl.sub_link_type == protobuf::SubLinkType::ExprSublink as i32 {
                        return Ok(cols.first().and_then(|c| c.ty.clone()));
                    }
                    if sl.sub_link_type == protobuf::SubLinkType::ExistsSublink as i32 {
                        return Ok(Some(ColType::builtin("bool")));
                    }
                }
                return Ok(None);
            }
            NodeEnum::TypeCast(tc) => {
                if let Some(a) = tc.arg.as_deref_mut() {
                    self.expr(a, stack)?;
                }
                let Some(tn) = tc.type_name.as_mut() else {
                    return Ok(None);
                };
                let ty = self.cat.resolve_type(tn)?;
                if let TypeRef::User(t) = ty.base {
                    if !self.deps.types.contains(&t) {
                        self.deps.types.push(t);
                    }
                    if let Some(ut) = self.cat.user_type(t) {
                        tn.names = vec![
                            expr::string_node(self.cat.schema_name(ut.schema)),
                            expr::string_node(&ut.name),
                        ];
                    }
                }
                return Ok(Some(ty));
            }
            NodeEnum::FuncCall(fc) => {
                if let Some(q) = qual_from_list(&fc.funcname) {
                    match self.cat.resolve_function(&q, fc.args.len()) {
                        Some(crate::catalog::apply::FuncMatch::User(f, _)) => {
                            if !self.deps.functions.contains(&f) {
                                self.deps.functions.push(f);
                            }
                        }
                        Some(_) => {}
                        None => {
                            if q.schema
                                .as_deref()
                                .is_some_and(|s| self.cat.schema_oid(s).is_none())
                            {
                                return Err(PgError::new(
                                    code::INVALID_SCHEMA_NAME,
                                    format!(
                                        "schema \"{}\" does not exist",
                                        q.schema.clone().unwrap_or_default()
                                    ),
                                )
                                .at(fc.location));
                            }
                            return Err(PgError::new(
                                code::UNDEFINED_FUNCTION,
                                format!("function {q}({}) does not exist", vec!["unknown"; fc.args.len()].join(", ")),
                            )
                            .hint("No function matches the given name and argument types. You might need to add explicit type casts.")
                            .at(fc.location));
                        }
                    }
                }
                let mut arg_types = Vec::with_capacity(fc.args.len());
                for a in &mut fc.args {
                    arg_types.push(self.expr(a, stack)?);
                }
                for a in &mut fc.agg_order {
                    self.expr(a, stack)?;
                }
                if let Some(f) = fc.agg_filter.as_deref_mut() {
                    self.expr(f, stack)?;
                }
                if let Some(w) = fc.over.as_deref_mut() {
                    for p in &mut w.partition_clause {
                        self.expr(p, stack)?;
                    }
                    for o in &mut w.order_clause {
                        self.expr(o, stack)?;
                    }
                }
                let name = fc.funcname.last().and_then(str_of).unwrap_or("");
                if fc.agg_star {
                    return Ok(Some(ColType::builtin("int8")));
                }
                return Ok(typing::function_result(self.cat, name, &arg_types));
            }
            NodeEnum::AExpr(a) => {
                let op = a.name.last().and_then(str_of).unwrap_or("").to_string();
                let kind = a.kind;
                let l = match a.lexpr.as_deref_mut() {
                    Some(x) => self.expr(x, stack)?,
                    None => None,
                };
                let r = match a.rexpr.as_deref_mut() {
                    Some(x) => self.expr(x, stack)?,
                    None => None,
                };
                if kind != protobuf::AExprKind::AexprOp as i32 {
                    // IN, BETWEEN, LIKE, IS DISTINCT FROM: boolean; NULLIF: left.
                    return Ok(if kind == protobuf::AExprKind::AexprNullif as i32 {
                        l
                    } else {
                        Some(ColType::builtin("bool"))
                    });
                }
                return Ok(typing::operator_result(&op, l.as_ref(), r.as_ref()));
            }
            NodeEnum::CaseExpr(c) => {
                if let Some(a) = c.arg.as_deref_mut() {
                    self.expr(a, stack)?;
                }
                let mut acc: Option<ColType> = None;
                for w in &mut c.args {
                    if let Some(NodeEnum::CaseWhen(cw)) = w.node.as_mut() {
                        if let Some(x) = cw.expr.as_deref_mut() {
                            self.expr(x, stack)?;
                        }
                        if let Some(x) = cw.result.as_deref_mut() {
                            let t = self.expr(x, stack)?;
                            acc = typing::unify(self.cat, acc.as_ref(), t.as_ref());
                        }
                    }
                }
                if let Some(d) = c.defresult.as_deref_mut() {
                    let t = self.expr(d, stack)?;
                    acc = typing::unify(self.cat, acc.as_ref(), t.as_ref());
                }
                return Ok(acc);
            }
            NodeEnum::CoalesceExpr(c) => {
                let mut acc: Option<ColType> = None;
                for a in &mut c.args {
                    let t = self.expr(a, stack)?;
                    acc = typing::unify(self.cat, acc.as_ref(), t.as_ref());
                }
                return Ok(acc);
            }
            NodeEnum::MinMaxExpr(c) => {
                let mut acc: Option<ColType> = None;
                for a in &mut c.args {
                    let t = self.expr(a, stack)?;
                    acc = typing::unify(self.cat, acc.as_ref(), t.as_ref());
                }
                return Ok(acc);
            }
            NodeEnum::SqlvalueFunction(_) => return Ok(expr::literal_type(e).flatten()),
            _ => {}
        }
        // Other nodes: visit children, keeping subqueries scoped.
        let mut err = None;
        let mut visit = |child: &mut Node| {
            if err.is_none()
                && let Err(e) = self.expr(child, stack)
            {
                err = Some(e);
            }
        };
        visit_children_mut(n, &mut visit);
        if let Some(e) = err {
            return Err(e);
        }
        let simple = matches!(
            n,
            NodeEnum::AConst(_)
                | NodeEnum::BoolExpr(_)
                | NodeEnum::NullTest(_)
                | NodeEnum::BooleanTest(_)
        );
        Ok(if simple {
            expr::literal_type(e).flatten()
        } else {
            None
        })
    }

    fn column_ref(
        &mut self,
        c: &mut protobuf::ColumnRef,
        stack: &[Level],
    ) -> PgResult<Option<ColType>> {
        let fields: Vec<Option<String>> = c
            .fields
            .iter()
            .map(|f| match f.node.as_ref() {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect();
        // `*` outside a target list (e.g. `count(t.*)`): leave as is.
        if fields.iter().any(Option::is_none) {
            if let [Some(q), None] = fields.as_slice() {
                self.find_entry(q, stack)
                    .ok_or_else(|| missing_from(q, c.location))?;
            }
            return Ok(None);
        }
        let fields: Vec<String> = fields.into_iter().flatten().collect();
        match fields.as_slice() {
            [col] => {
                for level in stack.iter().rev() {
                    let hits: Vec<(&Entry, &EntryColumn)> = level
                        .entries
                        .iter()
                        .filter_map(|e| e.columns.iter().find(|x| &x.name == col).map(|x| (e, x)))
                        .collect();
                    if hits.len() > 1 {
                        return Err(PgError::new(
                            code::AMBIGUOUS_COLUMN,
                            format!("column reference \"{col}\" is ambiguous"),
                        )
                        .at(c.location));
                    }
                    if let Some((entry, column)) = hits.first() {
                        if let Some(src) = column.source {
                            self.add_col_dep(src);
                        }
                        let ty = column.ty.clone();
                        c.fields = vec![expr::string_node(&entry.refname), expr::string_node(col)];
                        return Ok(ty);
                    }
                    // A whole-row reference to a range entry.
                    if level.entries.iter().any(|e| &e.refname == col) {
                        return Ok(None);
                    }
                    if let Some(ty) = system_column_type(col)
                        && level.entries.iter().any(|e| e.system_columns)
                    {
                        return Ok(Some(ty));
                    }
                    if level.entries.iter().any(|e| e.open) {
                        return Ok(None);
                    }
                }
                Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!("column \"{col}\" does not exist"),
                )
                .at(c.location))
            }
            [q, col] | [_, q, col] => {
                let Some(entry) = self.find_entry(q, stack) else {
                    return Err(missing_from(q, c.location));
                };
                match entry.columns.iter().find(|x| &x.name == col) {
                    Some(column) => {
                        if let Some(src) = column.source {
                            self.add_col_dep(src);
                        }
                        let ty = column.ty.clone();
                        let refname = entry.refname.clone();
                        c.fields = vec![expr::string_node(&refname), expr::string_node(col)];
                        Ok(ty)
                    }
                    None if entry.open => Ok(None),
                    None if entry.system_columns && system_column_type(col).is_some() => {
                        Ok(system_column_type(col))
                    }
                    None => Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column {q}.{col} does not exist"),
                    )
                    .at(c.location)),
                }
            }
            _ => Ok(None),
        }
    }

    fn find_entry<'s>(&self, q: &str, stack: &'s [Level]) -> Option<&'s Entry> {
        stack
            .iter()
            .rev()
            .find_map(|l| l.entries.iter().find(|e| e.refname == q))
    }

    /// The base column a target expression passes through, if it is a bare
    /// column reference.
    fn source_of(&self, e: &Node, stack: &[Level]) -> Option<(Oid, i16)> {
        let NodeEnum::ColumnRef(c) = e.node.as_ref()? else {
            return None;
        };
        let fields: Vec<&str> = c.fields.iter().filter_map(str_of).collect();
        let [q, col] = fields.as_slice() else {
            return None;
        };
        let entry = self.find_entry(q, stack)?;
        entry
            .columns
            .iter()
            .find(|x| x.name == *col)
            .and_then(|x| x.source)
    }
}

fn missing_from(q: &str, location: i32) -> PgError {
    PgError::new(
        code::UNDEFINED_TABLE,
        format!("missing FROM-clause entry for table \"{q}\""),
    )
    .at(location)
}

fn rename_columns(mut cols: Vec<EntryColumn>, names: &[String]) -> Vec<EntryColumn> {
    for (c, n) in cols.iter_mut().zip(names) {
        c.name = n.clone();
    }
    cols
}

/// `Some(None)` for `*`, `Some(Some(q))` for `q.*`.
fn star_qualifier(e: &Node) -> Option<Option<String>> {
    let NodeEnum::ColumnRef(c) = e.node.as_ref()? else {
        return None;
    };
    let last = c.fields.last()?;
    if !matches!(last.node.as_ref()?, NodeEnum::AStar(_)) {
        return None;
    }
    match c.fields.len() {
        1 => Some(None),
        n => Some(c.fields.get(n - 2).and_then(str_of).map(str::to_string)),
    }
}

/// ORDER BY / GROUP BY / DISTINCT ON items naming an output column or a
/// position.
fn is_output_reference(n: &Node, outputs: &[String]) -> bool {
    match n.node.as_ref() {
        Some(NodeEnum::AConst(c)) => matches!(c.val, Some(protobuf::a_const::Val::Ival(_))),
        Some(NodeEnum::ColumnRef(c)) if c.fields.len() == 1 => c
            .fields
            .first()
            .and_then(str_of)
            .is_some_and(|f| outputs.iter().any(|o| o == f)),
        _ => false,
    }
}

/// Immediate expression children of a node, not descending into nested
/// SELECTs (the analyzer scopes those itself).
fn visit_children_mut(n: &mut NodeEnum, f: &mut dyn FnMut(&mut Node)) {
    match n {
        NodeEnum::SelectStmt(_) => {}
        other => expr::for_each_child_mut(other, f),
    }
}

/// Renames what a canonical query names when a relation, column or type
/// is renamed or moved.
pub(crate) enum QueryRename<'a> {
    Relation {
        schema: &'a str,
        old: &'a str,
        new_schema: &'a str,
        new: &'a str,
    },
    Column {
        schema: &'a str,
        table: &'a str,
        old: &'a str,
        new: &'a str,
    },
    Type {
        schema: &'a str,
        old: &'a str,
        new_schema: &'a str,
        new: &'a str,
    },
}

pub(crate) fn rename_in_query(query: &mut Node, r: &QueryRename<'_>) {
    match r {
        QueryRename::Relation {
            schema,
            old,
            new_schema,
            new,
        } => {
            // References qualified by the relation's own name (no alias
            // written) follow the rename, as PostgreSQL prints them.
            if old != new
                && let Some(NodeEnum::SelectStmt(s)) = query.node.as_mut()
            {
                let edit = ScopedEdit::Refname { old, new };
                edit_select(s, &mut Vec::new(), schema, old, &edit);
            }
            expr::walk_mut(query, &mut |n| {
                if let NodeEnum::RangeVar(rv) = n
                    && rv.schemaname == *schema
                    && rv.relname == *old
                {
                    rv.schemaname = new_schema.to_string();
                    rv.relname = new.to_string();
                }
            })
        }
        QueryRename::Type {
            schema,
            old,
            new_schema,
            new,
        } => expr::walk_mut(query, &mut |n| {
            if let NodeEnum::TypeCast(tc) = n
                && let Some(tn) = tc.type_name.as_mut()
                && let Some(q) = qual_from_list(&tn.names)
                && q == QualName::new(Some(schema), old)
            {
                tn.names = vec![expr::string_node(new_schema), expr::string_node(new)];
            }
        }),
        QueryRename::Column {
            schema,
            table,
            old,
            new,
        } => {
            if let Some(NodeEnum::SelectStmt(s)) = query.node.as_mut() {
                edit_select(
                    s,
                    &mut Vec::new(),
                    schema,
                    table,
                    &ScopedEdit::Column { old, new },
                );
            }
        }
    }
}

/// What a scoped walk changes in column references that resolve to the
/// target relation.
enum ScopedEdit<'a> {
    /// `alias.old` becomes `alias.new`.
    Column { old: &'a str, new: &'a str },
    /// `old.col` becomes `new.col` where `old` is the unaliased relation.
    Refname { old: &'a str, new: &'a str },
}

/// Range entries of one query level: `(reference name, is the target)`.
type Scope = Vec<(String, bool)>;

/// Scoped walk: a reference `q.col` is edited when `q` denotes the target
/// relation at the nearest level that defines `q`.
fn edit_select(
    s: &mut SelectStmt,
    stack: &mut Vec<Scope>,
    schema: &str,
    table: &str,
    edit: &ScopedEdit<'_>,
) {
    let mut level = Vec::new();
    for item in &s.from_clause {
        collect_aliases(item, schema, table, edit, &mut level);
    }
    stack.push(level);
    for t in &mut s.target_list {
        edit_node(t, stack, schema, table, edit);
    }
    for f in &mut s.from_clause {
        edit_node(f, stack, schema, table, edit);
    }
    for n in s.where_clause.iter_mut().chain(s.having_clause.iter_mut()) {
        edit_node(n, stack, schema, table, edit);
    }
    for n in s
        .group_clause
        .iter_mut()
        .chain(s.sort_clause.iter_mut())
        .chain(s.distinct_clause.iter_mut())
        .chain(s.window_clause.iter_mut())
        .chain(s.values_lists.iter_mut())
    {
        edit_node(n, stack, schema, table, edit);
    }
    if let Some(w) = s.with_clause.as_mut() {
        for c in &mut w.ctes {
            edit_node(c, stack, schema, table, edit);
        }
    }
    for arm in [s.larg.as_deref_mut(), s.rarg.as_deref_mut()]
        .into_iter()
        .flatten()
    {
        edit_select(arm, stack, schema, table, edit);
    }
    stack.pop();
}

fn collect_aliases(item: &Node, schema: &str, table: &str, edit: &ScopedEdit<'_>, out: &mut Scope) {
    match item.node.as_ref() {
        Some(NodeEnum::RangeVar(rv)) => {
            let refname = rv
                .alias
                .as_ref()
                .map_or(rv.relname.clone(), |a| a.aliasname.clone());
            let matches = rv.schemaname == schema && rv.relname == table;
            let target = match edit {
                ScopedEdit::Column { .. } => matches,
                ScopedEdit::Refname { .. } => matches && rv.alias.is_none(),
            };
            out.push((refname, target));
        }
        Some(NodeEnum::JoinExpr(j)) => {
            for side in [j.larg.as_deref(), j.rarg.as_deref()].into_iter().flatten() {
                collect_aliases(side, schema, table, edit, out);
            }
            if let Some(a) = &j.alias {
                out.push((a.aliasname.clone(), false));
            }
        }
        Some(NodeEnum::RangeSubselect(rs)) => {
            if let Some(a) = &rs.alias {
                out.push((a.aliasname.clone(), false));
            }
        }
        Some(NodeEnum::RangeFunction(rf)) => {
            if let Some(a) = &rf.alias {
                out.push((a.aliasname.clone(), false));
            }
        }
        _ => {}
    }
}

fn edit_node(
    n: &mut Node,
    stack: &mut Vec<Scope>,
    schema: &str,
    table: &str,
    edit: &ScopedEdit<'_>,
) {
    let Some(inner) = n.node.as_mut() else { return };
    match inner {
        NodeEnum::SelectStmt(s) => edit_select(s, stack, schema, table, edit),
        NodeEnum::ColumnRef(c) => {
            let fields: Vec<&str> = c.fields.iter().filter_map(str_of).collect();
            let [q, col] = fields.as_slice() else { return };
            let (q, col) = (q.to_string(), col.to_string());
            let target = || {
                stack
                    .iter()
                    .rev()
                    .find_map(|l| l.iter().find(|(a, _)| *a == q).map(|(_, t)| *t))
                    .unwrap_or(false)
            };
            match edit {
                ScopedEdit::Column { old, new } if col == *old && target() => {
                    c.fields[1] = expr::string_node(new);
                }
                ScopedEdit::Refname { old, new } if q == *old && target() => {
                    c.fields[0] = expr::string_node(new);
                }
                _ => {}
            }
        }
        other => {
            let mut visit = |child: &mut Node| edit_node(child, stack, schema, table, edit);
            expr::for_each_child_mut(other, &mut visit);
        }
    }
}

/// A relation of `pg_catalog` or `information_schema`, which the catalog
/// does not model: qualified with either schema, or an unqualified `pg_`
/// name (`pg_catalog` is searched first).
fn is_system_relation(qn: &QualName) -> bool {
    match qn.schema.as_deref() {
        Some("pg_catalog" | "information_schema") => true,
        None => qn.name.starts_with("pg_"),
        Some(_) => false,
    }
}

#[cfg(test)]
mod system_relation_tests {
    use crate::catalog::testing::sqlstate;

    #[test]
    fn views_over_system_catalogs_are_not_refused() {
        assert_eq!(
            sqlstate("CREATE VIEW v AS SELECT typname FROM pg_type WHERE oid = 23"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE VIEW v AS SELECT table_name FROM information_schema.tables"),
            "ok"
        );
        // A user relation that does not exist is still an error.
        assert_eq!(sqlstate("CREATE VIEW v AS SELECT a FROM missing"), "42P01");
    }
}
