//! Table constraints: CHECK, PRIMARY KEY, UNIQUE, EXCLUDE and FOREIGN KEY,
//! added by CREATE TABLE or ALTER TABLE ADD CONSTRAINT, with PostgreSQL's
//! checks and its rules for the names it invents.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, ConstrType, Node};

use super::index::{IndexSpec, include_names, index_elems};
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{choose_name, name_addition, qual_from_rangevar, str_of, strings};

/// A constraint waiting for its table to exist.
#[derive(Debug, Clone)]
pub(crate) enum PendingConstraint {
    /// As written; column constraints have their column filled in.
    Def { c: Box<protobuf::Constraint> },
    /// `DEFERRABLE`, `INITIALLY DEFERRED`... after a column constraint.
    Attr(Box<protobuf::Constraint>),
    /// A CHECK constraint copied from a parent or a LIKE source.
    /// A CHECK from a parent (`from_parent`: not local in the child) or
    /// copied by `LIKE ... INCLUDING CONSTRAINTS` (local).
    InheritedCheck {
        name: String,
        expr: Node,
        from_parent: bool,
    },
    /// An index copied by `LIKE ... INCLUDING INDEXES`, with the kind and
    /// deferrability of the constraint it implements, if any.
    LikeIndex(IndexSpec, Option<(ConstrType, bool, bool)>),
}

fn ctype(c: &protobuf::Constraint) -> ConstrType {
    ConstrType::try_from(c.contype).unwrap_or(ConstrType::Undefined)
}

impl PendingConstraint {
    pub fn from_table(c: &protobuf::Constraint) -> Self {
        PendingConstraint::Def {
            c: Box::new(c.clone()),
        }
    }

    pub fn from_column(c: &protobuf::Constraint, column: &str) -> Self {
        let mut c = c.clone();
        match ctype(&c) {
            ConstrType::ConstrPrimary | ConstrType::ConstrUnique if c.keys.is_empty() => {
                c.keys = vec![expr::string_node(column)];
            }
            ConstrType::ConstrForeign if c.fk_attrs.is_empty() => {
                c.fk_attrs = vec![expr::string_node(column)];
            }
            _ => {}
        }
        PendingConstraint::Def { c: Box::new(c) }
    }

    pub fn attribute(c: &protobuf::Constraint) -> Self {
        PendingConstraint::Attr(Box::new(c.clone()))
    }

    pub fn inherited_check(name: &str, expr: Node) -> Self {
        PendingConstraint::InheritedCheck {
            name: name.to_string(),
            expr,
            from_parent: true,
        }
    }

    pub fn copied_check(name: &str, expr: Node) -> Self {
        PendingConstraint::InheritedCheck {
            name: name.to_string(),
            expr,
            from_parent: false,
        }
    }
}

/// Where a constraint is being added; NOT VALID only counts in ALTER TABLE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddContext {
    CreateTable,
    AlterTable,
}

impl Catalog {
    /// Folds `DEFERRABLE` / `INITIALLY DEFERRED` clauses into the column
    /// constraint they follow (`transformConstraintAttrs`).
    pub(super) fn attach_constraint_attributes(
        &self,
        pending: &mut super::table::PendingWork,
    ) -> PgResult<()> {
        let mut out: Vec<PendingConstraint> = Vec::with_capacity(pending.constraints.len());
        let mut saw_deferrability = false;
        let mut saw_initially = false;
        for p in pending.constraints.drain(..) {
            match p {
                PendingConstraint::Attr(a) => {
                    let prev = out.iter_mut().rev().find_map(|p| match p {
                        PendingConstraint::Def { c } => Some(c),
                        _ => None,
                    });
                    let deferrable_kind = prev.as_ref().is_some_and(|c| {
                        matches!(
                            ctype(c),
                            ConstrType::ConstrPrimary
                                | ConstrType::ConstrUnique
                                | ConstrType::ConstrExclusion
                                | ConstrType::ConstrForeign
                        )
                    });
                    let clause = match ctype(&a) {
                        ConstrType::ConstrAttrDeferrable => "DEFERRABLE",
                        ConstrType::ConstrAttrNotDeferrable => "NOT DEFERRABLE",
                        ConstrType::ConstrAttrDeferred => "INITIALLY DEFERRED",
                        ConstrType::ConstrAttrImmediate => "INITIALLY IMMEDIATE",
                        _ => "ENFORCED",
                    };
                    let Some(c) = prev.filter(|_| deferrable_kind || clause == "ENFORCED") else {
                        return Err(PgError::new(
                            code::SYNTAX_ERROR,
                            format!("misplaced {clause} clause"),
                        )
                        .at(a.location));
                    };
                    match ctype(&a) {
                        ConstrType::ConstrAttrDeferrable | ConstrType::ConstrAttrNotDeferrable => {
                            if saw_deferrability {
                                return Err(PgError::new(
                                    code::SYNTAX_ERROR,
                                    "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed",
                                )
                                .at(a.location));
                            }
                            saw_deferrability = true;
                            c.deferrable = ctype(&a) == ConstrType::ConstrAttrDeferrable;
                            if !c.deferrable && c.initdeferred {
                                return Err(PgError::new(
                                    code::SYNTAX_ERROR,
                                    "constraint declared INITIALLY DEFERRED must be DEFERRABLE",
                                )
                                .at(a.location));
                            }
                        }
                        ConstrType::ConstrAttrDeferred | ConstrType::ConstrAttrImmediate => {
                            if saw_initially {
                                return Err(PgError::new(
                                    code::SYNTAX_ERROR,
                                    "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed",
                                )
                                .at(a.location));
                            }
                            saw_initially = true;
                            c.initdeferred = ctype(&a) == ConstrType::ConstrAttrDeferred;
                            if c.initdeferred && !c.deferrable {
                                if saw_deferrability {
                                    return Err(PgError::new(
                                        code::SYNTAX_ERROR,
                                        "constraint declared INITIALLY DEFERRED must be DEFERRABLE",
                                    )
                                    .at(a.location));
                                }
                                c.deferrable = true;
                            }
                        }
                        _ => {}
                    }
                }
                other => {
                    saw_deferrability = false;
                    saw_initially = false;
                    out.push(other);
                }
            }
        }
        pending.constraints = out;
        Ok(())
    }

    /// Adds constraints in PostgreSQL's order: CHECKs, then the PRIMARY KEY,
    /// then other index constraints (duplicates merged), then foreign keys.
    pub(super) fn add_pending_constraints(
        &mut self,
        table: Oid,
        pending: Vec<PendingConstraint>,
    ) -> PgResult<()> {
        self.add_constraints(table, pending, AddContext::CreateTable)
    }

    pub(crate) fn add_constraints(
        &mut self,
        table: Oid,
        pending: Vec<PendingConstraint>,
        ctx: AddContext,
    ) -> PgResult<()> {
        let mut checks = Vec::new();
        let mut index_cons: Vec<protobuf::Constraint> = Vec::new();
        let mut like_indexes = Vec::new();
        let mut fks = Vec::new();
        for p in pending {
            match p {
                PendingConstraint::Def { c } => match ctype(&c) {
                    ConstrType::ConstrCheck => checks.push(CheckSource::Written(*c)),
                    ConstrType::ConstrPrimary
                    | ConstrType::ConstrUnique
                    | ConstrType::ConstrExclusion => index_cons.push(*c),
                    ConstrType::ConstrForeign => fks.push(*c),
                    _ => {}
                },
                PendingConstraint::InheritedCheck {
                    name,
                    expr,
                    from_parent,
                } => checks.push(CheckSource::Inherited(name, expr, from_parent)),
                PendingConstraint::LikeIndex(spec, con) => like_indexes.push((spec, con)),
                PendingConstraint::Attr(_) => {}
            }
        }
        let mut chosen: Vec<String> = Vec::new();
        for c in checks {
            self.add_check(table, c, ctx, &mut chosen)?;
        }
        // The primary key is built first; duplicates of an earlier index
        // constraint merge into it (`transformIndexConstraints`).
        let mut primary: Option<protobuf::Constraint> = None;
        let mut others: Vec<protobuf::Constraint> = Vec::new();
        for c in index_cons {
            if ctype(&c) == ConstrType::ConstrPrimary {
                if primary.is_some() || self.table(table).and_then(Table::primary_key).is_some() {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!(
                            "multiple primary keys for table \"{}\" are not allowed",
                            self.rel_name(table)
                        ),
                    )
                    .at(c.location));
                }
                primary = Some(c);
            } else {
                others.push(c);
            }
        }
        let mut final_list: Vec<protobuf::Constraint> = primary.into_iter().collect();
        for c in others {
            if ctx == AddContext::CreateTable
                && let Some(prior) = final_list.iter_mut().find(|p| same_index_definition(p, &c))
            {
                if prior.conname.is_empty() {
                    prior.conname = c.conname.clone();
                }
                continue;
            }
            final_list.push(c);
        }
        for c in final_list {
            self.add_index_constraint(table, &c)?;
        }
        // `generateClonedIndexStmt`: an index behind a constraint comes back
        // as the same kind of constraint, named afresh (`dst_pkey`).
        for (mut spec, con) in like_indexes {
            spec.table = table;
            match con {
                Some((kind, deferrable, initdeferred)) => {
                    let con_oid = self.alloc_oid();
                    let index = self.build_index(spec, Some(con_oid))?;
                    self.record_index_constraint(
                        table,
                        con_oid,
                        index,
                        kind,
                        deferrable,
                        initdeferred,
                    );
                }
                None => {
                    self.build_index(spec, None)?;
                }
            }
        }
        for c in fks {
            self.add_foreign_key(table, &c, ctx)?;
        }
        Ok(())
    }

    /// The result type of a CHECK expression where it is plain to see (a
    /// literal, a column, a cast, a known function, arithmetic on those);
    /// `None` when unsure, so nothing valid is refused.
    fn check_result_type(&self, table: Oid, e: &Node) -> Option<crate::catalog::ColType> {
        let type_of = |n: &Node| {
            self.simple_expr_type(table, n)
                .or_else(|| expr::literal_type(n).flatten())
        };
        match e.node.as_ref()? {
            NodeEnum::AExpr(a)
                if a.kind == protobuf::AExprKind::AexprOp as i32
                    && matches!(
                        a.name.last().and_then(crate::catalog::names::str_of),
                        Some("+" | "-" | "*" | "/" | "%")
                    ) =>
            {
                let op = a.name.last().and_then(crate::catalog::names::str_of)?;
                let l = a.lexpr.as_deref().and_then(type_of);
                let r = a.rexpr.as_deref().and_then(type_of);
                if l.is_none() || r.is_none() {
                    return None;
                }
                crate::catalog::typing::operator_result(op, l.as_ref(), r.as_ref())
            }
            _ => type_of(e),
        }
    }

    fn add_check(
        &mut self,
        table: Oid,
        src: CheckSource,
        ctx: AddContext,
        chosen: &mut Vec<String>,
    ) -> PgResult<()> {
        let (schema, table_name) = self.rel_schema_name(table);
        let inherited = matches!(src, CheckSource::Inherited(_, _, true));
        let (conname, mut e, no_inherit, not_valid, location) = match src {
            CheckSource::Written(c) => {
                let Some(raw) = c.raw_expr.as_deref().cloned() else {
                    return Ok(());
                };
                (
                    (!c.conname.is_empty()).then(|| c.conname.clone()),
                    raw,
                    c.is_no_inherit,
                    c.skip_validation && ctx == AddContext::AlterTable,
                    c.location,
                )
            }
            CheckSource::Inherited(name, e, _) => (Some(name), e, false, false, -1),
        };
        self.check_table_expr(table, &e, "check constraint")
            .map_err(|err| {
                if err.message.starts_with("cannot use subquery") {
                    PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "cannot use subquery in check constraint",
                    )
                    .at(location)
                } else {
                    err
                }
            })?;
        self.qualify_function_calls(&mut e);
        if let Some(ty) = self.check_result_type(table, &e)
            && !self.base_type(&ty).is("bool")
        {
            return Err(PgError::new(
                code::DATATYPE_MISMATCH,
                format!(
                    "argument of CHECK must be type boolean, not type {}",
                    self.type_display(&ty)
                ),
            ));
        }
        let name = match conname {
            Some(n) => {
                if self
                    .table(table)
                    .is_some_and(|t| t.constraint(&n).is_some())
                {
                    if let Some(existing) = self.table(table).and_then(|t| t.constraint(&n))
                        && matches!(existing.kind, ConstraintKind::Check { .. })
                        && ctx == AddContext::CreateTable
                    {
                        // Merging with an inherited constraint of that name:
                        // a local definition makes it local too.
                        if !inherited
                            && let Some(c) = self
                                .table_mut(table)
                                .and_then(|t| t.constraints.iter_mut().find(|c| c.name == n))
                        {
                            c.is_local = true;
                        }
                        return Ok(());
                    }
                    return Err(PgError::new(
                        code::DUPLICATE_OBJECT,
                        format!("constraint \"{n}\" for relation \"{table_name}\" already exists"),
                    ));
                }
                n
            }
            None => {
                let mut cols: Vec<String> = Vec::new();
                for (c, _) in expr::column_refs(&e) {
                    if !cols.contains(&c) {
                        cols.push(c);
                    }
                }
                let colname = (cols.len() == 1).then(|| cols[0].clone());
                choose_name(&table_name, colname.as_deref(), "check", |n| {
                    self.constraint_name_in_schema(schema, n) || chosen.iter().any(|c| c == n)
                })
            }
        };
        chosen.push(name.clone());
        let oid = self.alloc_oid();
        let con = Constraint {
            oid,
            name,
            kind: ConstraintKind::Check { expr: e },
            deferrable: false,
            initially_deferred: false,
            validated: !not_valid,
            no_inherit,
            is_local: !inherited,
            comment: None,
        };
        self.push_constraint(table, con);
        Ok(())
    }

    /// PRIMARY KEY, UNIQUE or EXCLUDE: builds the index and the constraint.
    pub(crate) fn add_index_constraint(
        &mut self,
        table: Oid,
        c: &protobuf::Constraint,
    ) -> PgResult<()> {
        let (_, table_name) = self.rel_schema_name(table);
        let kind = ctype(c);
        if !c.conname.is_empty()
            && self
                .table(table)
                .is_some_and(|t| t.constraint(&c.conname).is_some())
        {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!(
                    "constraint \"{}\" for relation \"{table_name}\" already exists",
                    c.conname
                ),
            ));
        }
        let con_oid = self.alloc_oid();
        let index_oid = if !c.indexname.is_empty() {
            self.adopt_index(table, c)?
        } else {
            let (elems, exclusion_ops) = if kind == ConstrType::ConstrExclusion {
                let mut elems = Vec::new();
                let mut ops = Vec::new();
                for pair in &c.exclusions {
                    let Some(NodeEnum::List(l)) = pair.node.as_ref() else {
                        continue;
                    };
                    if let Some(NodeEnum::IndexElem(e)) =
                        l.items.first().and_then(|n| n.node.as_ref())
                    {
                        elems.push((**e).clone());
                    }
                    if let Some(NodeEnum::List(op)) = l.items.get(1).and_then(|n| n.node.as_ref()) {
                        ops.push(strings(&op.items).join("."));
                    }
                }
                (elems, ops)
            } else {
                let elems = c
                    .keys
                    .iter()
                    .filter_map(str_of)
                    .map(|k| protobuf::IndexElem {
                        name: k.to_string(),
                        ordering: protobuf::SortByDir::SortbyDefault as i32,
                        nulls_ordering: protobuf::SortByNulls::SortbyNullsDefault as i32,
                        ..Default::default()
                    })
                    .collect();
                (elems, Vec::new())
            };
            let spec = IndexSpec {
                name: (!c.conname.is_empty()).then(|| c.conname.clone()),
                table,
                method: if kind == ConstrType::ConstrExclusion {
                    if c.access_method.is_empty() {
                        "btree".into()
                    } else {
                        c.access_method.clone()
                    }
                } else {
                    "btree".into()
                },
                elems,
                include: include_names(&c.including),
                predicate: c.where_clause.as_deref().cloned(),
                options: super::options_text(&c.options),
                unique: kind == ConstrType::ConstrUnique || kind == ConstrType::ConstrPrimary,
                primary: kind == ConstrType::ConstrPrimary,
                is_constraint: true,
                exclusion_ops,
                nulls_not_distinct: c.nulls_not_distinct,
                tablespace: (!c.indexspace.is_empty()).then(|| c.indexspace.clone()),
                location: c.location,
            };
            if kind == ConstrType::ConstrExclusion {
                let _ = index_elems(&[]);
            }
            self.build_index(spec, Some(con_oid))?
        };
        self.record_index_constraint(
            table,
            con_oid,
            index_oid,
            kind,
            c.deferrable,
            c.initdeferred,
        );
        Ok(())
    }

    /// Records the constraint a PRIMARY KEY, UNIQUE or EXCLUDE index
    /// implements (the key columns of a primary key become NOT NULL).
    fn record_index_constraint(
        &mut self,
        table: Oid,
        con_oid: Oid,
        index_oid: Oid,
        kind: ConstrType,
        deferrable: bool,
        initdeferred: bool,
    ) {
        let index_name = self.rel_name(index_oid).to_string();
        if kind == ConstrType::ConstrPrimary {
            // PRIMARY KEY columns become NOT NULL.
            let cols: Vec<i16> = self
                .relation(index_oid)
                .and_then(Relation::index)
                .map(|i| {
                    i.keys
                        .iter()
                        .filter_map(|k| match k.target {
                            IndexTarget::Column(a) => Some(a),
                            IndexTarget::Expr(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Some(t) = self.table_mut(table) {
                for col in t
                    .columns
                    .iter_mut()
                    .filter(|col| cols.contains(&col.attnum))
                {
                    col.not_null = true;
                }
            }
        }
        let con = Constraint {
            oid: con_oid,
            name: index_name,
            kind: match kind {
                ConstrType::ConstrPrimary => ConstraintKind::PrimaryKey { index: index_oid },
                ConstrType::ConstrUnique => ConstraintKind::Unique { index: index_oid },
                _ => ConstraintKind::Exclusion { index: index_oid },
            },
            deferrable,
            initially_deferred: initdeferred,
            validated: true,
            no_inherit: false,
            is_local: true,
            comment: None,
        };
        if let Some(idx) = self.relation_mut(index_oid)
            && let RelBody::Index(i) = &mut idx.body
        {
            i.constraint = Some(con_oid);
            if kind == ConstrType::ConstrPrimary {
                i.primary = true;
                i.unique = true;
            }
        }
        self.push_constraint(table, con);
    }

    /// `ADD CONSTRAINT name PRIMARY KEY USING INDEX idx`.
    fn adopt_index(&mut self, table: Oid, c: &protobuf::Constraint) -> PgResult<Oid> {
        let (schema, table_name) = self.rel_schema_name(table);
        let Some(idx) = self.rel_in_schema(schema, &c.indexname) else {
            return Err(PgError::new(
                code::UNDEFINED_TABLE,
                format!("index \"{}\" does not exist", c.indexname),
            ));
        };
        let Some(index) = self.relation(idx).and_then(Relation::index).cloned() else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not an index", c.indexname),
            ));
        };
        if index.table != table {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "index \"{}\" does not belong to table \"{table_name}\"",
                    c.indexname
                ),
            ));
        }
        if index.constraint.is_some() {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "index \"{}\" is already associated with a constraint",
                    c.indexname
                ),
            ));
        }
        if !index.unique {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a unique index", c.indexname),
            )
            .detail("Cannot create a primary key or unique constraint using such an index."));
        }
        if index.predicate.is_some() {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("index \"{}\" contains expressions", c.indexname),
            ));
        }
        if !c.conname.is_empty() && c.conname != c.indexname {
            if self.rel_name_taken(schema, &c.conname) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{}\" already exists", c.conname),
                ));
            }
            self.rename_relation(idx, schema, &c.conname);
        }
        Ok(idx)
    }

    fn add_foreign_key(
        &mut self,
        table: Oid,
        c: &protobuf::Constraint,
        ctx: AddContext,
    ) -> PgResult<()> {
        let (schema, table_name) = self.rel_schema_name(table);
        let fk_attrs: Vec<String> = c
            .fk_attrs
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect();
        let name = if !c.conname.is_empty() {
            if self
                .table(table)
                .is_some_and(|t| t.constraint(&c.conname).is_some())
            {
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!(
                        "constraint \"{}\" for relation \"{table_name}\" already exists",
                        c.conname
                    ),
                ));
            }
            c.conname.clone()
        } else {
            let addition = name_addition(fk_attrs.iter().map(String::as_str));
            choose_name(&table_name, Some(&addition), "fkey", |n| {
                self.constraint_name_in_schema(schema, n)
            })
        };
        let Some(pk_rv) = c.pktable.as_ref() else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "foreign key without a referenced table",
            ));
        };
        let pk_qn = qual_from_rangevar(pk_rv);
        let ref_table = self
            .require_relation(&pk_qn)
            .map_err(|e| e.at(pk_rv.location))?;
        let ref_rel = self
            .relation(ref_table)
            .ok_or_else(|| super::table::missing_relation(&pk_qn))?;
        let Some(ref_t) = ref_rel.table() else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("referenced relation \"{}\" is not a table", ref_rel.name),
            ));
        };
        let here = self
            .table(table)
            .ok_or_else(|| super::table::missing_relation(&pk_qn))?;
        // `ATAddForeignKeyConstraint`: a key may not outlive what it
        // references.
        let refused = match (here.persistence, ref_t.persistence) {
            (Persistence::Permanent, p) if p != Persistence::Permanent => {
                Some("constraints on permanent tables may reference only permanent tables")
            }
            (Persistence::Unlogged, Persistence::Temporary) => Some(
                "constraints on unlogged tables may reference only permanent or unlogged tables",
            ),
            (Persistence::Temporary, p) if p != Persistence::Temporary => {
                Some("constraints on temporary tables may reference only temporary tables")
            }
            _ => None,
        };
        if let Some(msg) = refused {
            return Err(PgError::new(code::INVALID_TABLE_DEFINITION, msg));
        }
        let mut fk_cols = Vec::with_capacity(fk_attrs.len());
        for a in &fk_attrs {
            let Some(col) = here.column(a) else {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!("column \"{a}\" referenced in foreign key constraint does not exist"),
                ));
            };
            fk_cols.push((col.attnum, col.ty.clone(), col.name.clone()));
        }
        let pk_attrs: Vec<String> = c
            .pk_attrs
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect();
        let (ref_cols, ref_index): (Vec<(i16, crate::catalog::ColType, String)>, Oid) = if pk_attrs
            .is_empty()
        {
            let Some(pk) = ref_t.primary_key() else {
                return Err(PgError::new(
                    code::UNDEFINED_OBJECT,
                    format!(
                        "there is no primary key for referenced table \"{}\"",
                        ref_rel.name
                    ),
                ));
            };
            let idx = pk.kind.index().unwrap_or(0);
            let cols = self
                .relation(idx)
                .and_then(Relation::index)
                .map(|i| {
                    i.keys
                        .iter()
                        .filter_map(|k| match k.target {
                            IndexTarget::Column(a) => ref_t
                                .column_by_num(a)
                                .map(|col| (a, col.ty.clone(), col.name.clone())),
                            IndexTarget::Expr(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            (cols, idx)
        } else {
            let mut cols = Vec::new();
            for a in &pk_attrs {
                let Some(col) = ref_t.column(a) else {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!(
                            "column \"{a}\" referenced in foreign key constraint does not exist"
                        ),
                    ));
                };
                cols.push((col.attnum, col.ty.clone(), col.name.clone()));
            }
            if fk_cols.len() != cols.len() {
                return Err(PgError::new(
                    code::INVALID_FOREIGN_KEY,
                    "number of referencing and referenced columns for foreign key disagree",
                ));
            }
            let attnums: Vec<i16> = cols.iter().map(|c| c.0).collect();
            let Some(idx) = self.unique_index_on(ref_table, &attnums) else {
                return Err(PgError::new(
                    code::INVALID_FOREIGN_KEY,
                    format!(
                        "there is no unique constraint matching given keys for referenced table \"{}\"",
                        ref_rel.name
                    ),
                ));
            };
            (cols, idx)
        };
        if fk_cols.len() != ref_cols.len() {
            return Err(PgError::new(
                code::INVALID_FOREIGN_KEY,
                "number of referencing and referenced columns for foreign key disagree",
            ));
        }
        for (fk, pk) in fk_cols.iter().zip(&ref_cols) {
            if !self.fk_types_compatible(&fk.1, &pk.1) {
                return Err(PgError::new(
                    code::DATATYPE_MISMATCH,
                    format!("foreign key constraint \"{name}\" cannot be implemented"),
                )
                .detail(format!(
                    "Key columns \"{}\" and \"{}\" are of incompatible types: {} and {}.",
                    fk.2,
                    pk.2,
                    self.type_display(&fk.1),
                    self.type_display(&pk.1)
                )));
            }
        }
        let action = |s: &str| s.chars().next().filter(|c| *c != ' ').unwrap_or('a');
        let on_delete_set_columns: Vec<i16> = c
            .fk_del_set_cols
            .iter()
            .filter_map(str_of)
            .filter_map(|n| here.column(n).map(|col| col.attnum))
            .collect();
        let fk = ForeignKey {
            columns: fk_cols.iter().map(|c| c.0).collect(),
            ref_table,
            ref_columns: ref_cols.iter().map(|c| c.0).collect(),
            ref_index,
            on_update: action(&c.fk_upd_action),
            on_delete: action(&c.fk_del_action),
            match_type: action(&c.fk_matchtype).to_ascii_lowercase(),
            on_delete_set_columns,
        };
        let fk = ForeignKey {
            match_type: if fk.match_type == 'a' {
                's'
            } else {
                fk.match_type
            },
            ..fk
        };
        let oid = self.alloc_oid();
        let con = Constraint {
            oid,
            name,
            kind: ConstraintKind::ForeignKey(fk),
            deferrable: c.deferrable,
            initially_deferred: c.initdeferred,
            validated: !(c.skip_validation && ctx == AddContext::AlterTable),
            no_inherit: false,
            is_local: true,
            comment: None,
        };
        self.push_constraint(table, con);
        self.note_ref(ref_table, table);
        Ok(())
    }

    /// A unique, non-partial, non-deferrable index on exactly `cols` (in any
    /// order), as a foreign key needs (`transformFkeyCheckAttrs`).
    pub(crate) fn unique_index_on(&self, table: Oid, cols: &[i16]) -> Option<Oid> {
        let t = self.table(table)?;
        t.indexes.iter().copied().find(|idx| {
            let Some(i) = self.relation(*idx).and_then(Relation::index) else {
                return false;
            };
            if !i.unique || i.predicate.is_some() || i.keys.len() != cols.len() {
                return false;
            }
            if let Some(con) = i.constraint
                && t.constraints.iter().any(|c| c.oid == con && c.deferrable)
            {
                return false;
            }
            let mut key_cols: Vec<i16> = Vec::new();
            for k in &i.keys {
                match k.target {
                    IndexTarget::Column(a) => key_cols.push(a),
                    IndexTarget::Expr(_) => return false,
                }
            }
            let mut a = key_cols.clone();
            let mut b = cols.to_vec();
            a.sort_unstable();
            b.sort_unstable();
            a.dedup();
            a == b && b.len() == cols.len()
        })
    }

    pub(super) fn check_partition_key(
        &self,
        table: &Table,
        spec: &protobuf::PartitionSpec,
    ) -> PgResult<()> {
        for p in &spec.part_params {
            if let Some(NodeEnum::PartitionElem(pe)) = p.node.as_ref()
                && !pe.name.is_empty()
                && table.column(&pe.name).is_none()
            {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!(
                        "column \"{}\" named in partition key does not exist",
                        pe.name
                    ),
                )
                .at(pe.location));
            }
        }
        Ok(())
    }

    /// A new partition gets copies of its parent's indexes and foreign keys.
    pub(super) fn attach_partition_children(
        &mut self,
        child: Oid,
        _bound: &protobuf::PartitionBoundSpec,
    ) -> PgResult<()> {
        let Some(parent) = self
            .table(child)
            .and_then(|t| t.partition_of.as_ref().map(|p| p.0))
        else {
            return Ok(());
        };
        self.clone_parent_indexes(parent, child)
    }

    pub(crate) fn clone_parent_indexes(&mut self, parent: Oid, child: Oid) -> PgResult<()> {
        let Some(pt) = self.table(parent).cloned() else {
            return Ok(());
        };
        let child_cols = self.columns_of(child);
        let parent_cols = self.columns_of(parent);
        for idx in &pt.indexes {
            let Some(index) = self.relation(*idx).and_then(Relation::index).cloned() else {
                continue;
            };
            let name_of = |a: i16| parent_cols.iter().find(|c| c.1 == a).map(|c| c.0.clone());
            let mut elems = Vec::new();
            for k in &index.keys {
                let mut e = protobuf::IndexElem {
                    ordering: k.ordering,
                    nulls_ordering: k.nulls,
                    ..Default::default()
                };
                match &k.target {
                    IndexTarget::Column(a) => e.name = name_of(*a).unwrap_or_default(),
                    IndexTarget::Expr(x) => e.expr = Some(Box::new(x.clone())),
                }
                elems.push(e);
            }
            if elems
                .iter()
                .any(|e| !e.name.is_empty() && !child_cols.iter().any(|c| c.0 == e.name))
            {
                continue;
            }
            let spec = IndexSpec {
                name: None,
                table: child,
                method: index.method.clone(),
                elems,
                include: index.include.iter().filter_map(|a| name_of(*a)).collect(),
                predicate: index.predicate.clone(),
                options: index.options.clone(),
                unique: index.unique,
                primary: index.primary,
                is_constraint: index.constraint.is_some(),
                exclusion_ops: index.exclusion_ops.clone(),
                nulls_not_distinct: index.nulls_not_distinct,
                tablespace: None,
                location: -1,
            };
            let con_name = index
                .constraint
                .and_then(|c| pt.constraints.iter().find(|x| x.oid == c))
                .map(|c| (c.kind.clone(), c.deferrable, c.initially_deferred));
            let con_oid = con_name.as_ref().map(|_| self.alloc_oid());
            let new_idx = self.build_index(spec, con_oid)?;
            if let (Some((kind, deferrable, initially_deferred)), Some(oid)) = (con_name, con_oid) {
                let iname = self.rel_name(new_idx).to_string();
                let kind = match kind {
                    ConstraintKind::PrimaryKey { .. } => {
                        ConstraintKind::PrimaryKey { index: new_idx }
                    }
                    ConstraintKind::Exclusion { .. } => {
                        ConstraintKind::Exclusion { index: new_idx }
                    }
                    _ => ConstraintKind::Unique { index: new_idx },
                };
                {
                    self.push_constraint(
                        child,
                        Constraint {
                            oid,
                            name: iname,
                            kind,
                            deferrable,
                            initially_deferred,
                            validated: true,
                            no_inherit: false,
                            is_local: false,
                            comment: None,
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

enum CheckSource {
    Written(protobuf::Constraint),
    /// Name, expression, and whether it comes from a parent table.
    Inherited(String, Node, bool),
}

/// Two index constraints PostgreSQL would merge into one index.
fn same_index_definition(a: &protobuf::Constraint, b: &protobuf::Constraint) -> bool {
    let keys = |c: &protobuf::Constraint| -> Vec<String> {
        c.keys
            .iter()
            .filter_map(str_of)
            .map(str::to_string)
            .collect()
    };
    keys(a) == keys(b)
        && a.including == b.including
        && a.where_clause == b.where_clause
        && a.exclusions == b.exclusions
        && a.access_method == b.access_method
        && a.nulls_not_distinct == b.nulls_not_distinct
        && a.deferrable == b.deferrable
        && a.initdeferred == b.initdeferred
        && a.indexname.is_empty()
        && b.indexname.is_empty()
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::sqlstate;

    #[test]
    fn a_check_must_be_boolean_where_its_type_is_plain() {
        assert_eq!(sqlstate("CREATE TABLE t (a int CHECK (a + 1))"), "42804");
        assert_eq!(sqlstate("CREATE TABLE t (a int CHECK (a))"), "42804");
        assert_eq!(
            sqlstate("CREATE TABLE t (a text CHECK (lower(a)))"),
            "42804"
        );
        assert_eq!(sqlstate("CREATE TABLE t (a bool CHECK (a))"), "ok");
        assert_eq!(sqlstate("CREATE TABLE t (a int CHECK (a + 1 > 0))"), "ok");
        assert_eq!(sqlstate("CREATE TABLE t (a int CHECK ('t'))"), "ok");
        assert_eq!(
            sqlstate("CREATE DOMAIN flag AS bool; CREATE TABLE t (a flag CHECK (a))"),
            "ok"
        );
    }
}
