//! CREATE TABLE and column definitions (shared with ALTER TABLE ADD COLUMN):
//! types, serial and identity sequences, defaults, generated columns, and
//! the constraints written on columns.

use pg_query::NodeEnum;
use pg_query::protobuf::{self, ColumnDef, ConstrType, CreateStmt, Node};

use super::Applied;
use super::constraint::PendingConstraint;
use crate::catalog::builtins::{BUILTINS, CastContext, worse_volatility};
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr::{self, literal_type, untyped_string};
use crate::catalog::model::*;
use crate::catalog::names::{QualName, choose_name, qual_from_rangevar, strings};
use crate::catalog::types::{ColType, TypeRef};
use crate::catalog::{Catalog, QueryDeps};

/// Where a column definition comes from; the messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnSource {
    CreateTable,
    AddColumn,
}

/// A sequence a serial or identity column needs.
pub(super) struct PendingSequence {
    pub attnum: i16,
    pub name: String,
    pub data_type: &'static str,
    pub options: Vec<Node>,
    pub identity: bool,
    /// The sequence `LIKE ... INCLUDING IDENTITY` copies (its settings,
    /// not its type).
    pub template: Option<Sequence>,
}

/// What defining a table's columns leaves to do once the table exists.
#[derive(Default)]
pub(super) struct PendingWork {
    pub sequences: Vec<PendingSequence>,
    pub constraints: Vec<PendingConstraint>,
}

const SERIAL_TYPES: &[(&str, &str)] = &[
    ("smallserial", "int2"),
    ("serial2", "int2"),
    ("serial", "int4"),
    ("serial4", "int4"),
    ("bigserial", "int8"),
    ("serial8", "int8"),
];

fn constr_type(c: &protobuf::Constraint) -> ConstrType {
    ConstrType::try_from(c.contype).unwrap_or(ConstrType::Undefined)
}

impl Catalog {
    pub(super) fn create_table(&mut self, cs: &CreateStmt) -> PgResult<Applied> {
        let Some(rv) = cs.relation.as_ref() else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                "CREATE TABLE without a name",
            ));
        };
        let qn = qual_from_rangevar(rv);
        let (schema, persistence) = self
            .relation_creation_schema(&qn, &rv.relpersistence)
            .map_err(|e| e.at(rv.location))?;
        if self.rel_name_taken(schema, &qn.name) {
            if cs.if_not_exists {
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
        if self.type_name_taken(schema, &qn.name) {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("type \"{}\" already exists", qn.name),
            )
            .hint("A relation has an associated type of the same name, so you must use a name that doesn't conflict with any existing type."));
        }

        let mut table = Table::new(persistence);
        table.options = super::options_text(&cs.options);
        table.tablespace = (!cs.tablespacename.is_empty()).then(|| cs.tablespacename.clone());
        table.access_method = (!cs.access_method.is_empty()).then(|| cs.access_method.clone());
        let mut pending = PendingWork::default();

        // Columns from parents come first, in parent order.
        let parents = self.resolve_parents(cs)?;
        for parent in &parents {
            self.inherit_columns(&mut table, *parent, &mut pending, cs.partbound.is_some())?;
        }
        if let Some(of) = &cs.of_typename {
            let ty = self.resolve_type(of)?;
            let TypeRef::User(toid) = ty.base else {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("type {} is not a composite type", self.type_display(&ty)),
                ));
            };
            if let Some(TypeKind::Composite { attributes, .. }) =
                self.user_type(toid).map(|t| t.kind.clone())
            {
                for (name, ty, coll) in attributes {
                    table
                        .columns
                        .push(new_column(table.next_attnum, name, ty, coll));
                    table.next_attnum += 1;
                }
            }
        }

        for elt in &cs.table_elts {
            match elt.node.as_ref() {
                Some(NodeEnum::ColumnDef(cd)) => {
                    self.define_column(
                        &mut table,
                        &qn.name,
                        schema,
                        cd,
                        ColumnSource::CreateTable,
                        &mut pending,
                    )?;
                }
                Some(NodeEnum::Constraint(c)) => {
                    pending.constraints.push(PendingConstraint::from_table(c));
                }
                Some(NodeEnum::TableLikeClause(like)) => {
                    self.copy_like(&mut table, like, &mut pending)?;
                }
                _ => {}
            }
        }
        if table.columns.is_empty() && parents.is_empty() && cs.of_typename.is_none() {
            // A table with no columns is allowed.
        }
        self.attach_constraint_attributes(&mut pending)?;

        if let Some(spec) = &cs.partspec {
            self.check_partition_key(&table, spec)?;
            table.partition = Some(expr::node(NodeEnum::PartitionSpec(spec.clone())));
        }
        if let Some(bound) = &cs.partbound
            && let Some(parent) = parents.first()
        {
            self.check_partition_bound(*parent, &qn.name, bound)?;
        }
        if let Some(bound) = &cs.partbound {
            table.partition_of = parents
                .first()
                .map(|p| (*p, expr::node(NodeEnum::PartitionBoundSpec(bound.clone()))));
        } else {
            table.inherits = parents.clone();
        }

        // Sequence names are chosen before the table exists, as
        // PostgreSQL's transform does.
        dedupe_sequence_names(self, schema, &qn.name, &table, &mut pending.sequences);

        let oid = self.alloc_oid();
        self.insert_relation(Relation {
            oid,
            schema,
            name: qn.name.clone(),
            comment: None,
            extension: None,
            body: RelBody::Table(Box::new(table)),
        });
        self.finish_table_definition(oid, pending)?;
        if let Some(bound) = &cs.partbound {
            self.attach_partition_children(oid, bound)?;
        }
        Ok(Applied::Schema)
    }

    /// `RangeVarGetCreationNamespace` and
    /// `RangeVarAdjustRelationPersistence`: temporary relations live in
    /// the session's temporary schema, and whatever is created there is
    /// temporary.
    pub(crate) fn relation_creation_schema(
        &self,
        qn: &QualName,
        relpersistence: &str,
    ) -> PgResult<(Oid, Persistence)> {
        let temp = crate::catalog::PG_TEMP_OID;
        let schema = match (&qn.schema, relpersistence) {
            (None, "t") => temp,
            _ => self.creation_schema(qn)?,
        };
        let persistence = match relpersistence {
            "t" if schema != temp => {
                return Err(PgError::new(
                    code::INVALID_TABLE_DEFINITION,
                    "cannot create temporary relation in non-temporary schema",
                ));
            }
            "t" => Persistence::Temporary,
            "u" if schema == temp => {
                return Err(PgError::new(
                    code::INVALID_TABLE_DEFINITION,
                    "only temporary relations may be created in temporary schemas",
                ));
            }
            "u" => Persistence::Unlogged,
            _ if schema == temp => Persistence::Temporary,
            _ => Persistence::Permanent,
        };
        Ok((schema, persistence))
    }

    fn resolve_parents(&self, cs: &CreateStmt) -> PgResult<Vec<Oid>> {
        let mut out = Vec::new();
        for p in &cs.inh_relations {
            let Some(NodeEnum::RangeVar(rv)) = p.node.as_ref() else {
                continue;
            };
            let qn = qual_from_rangevar(rv);
            let oid = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
            let rel = self.relation(oid).ok_or_else(|| missing_relation(&qn))?;
            let Some(t) = rel.table() else {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!(
                        "inherited relation \"{}\" is not a table or foreign table",
                        qn.name
                    ),
                ));
            };
            if cs.partbound.is_some() && t.partition.is_none() {
                return Err(PgError::new(
                    code::INVALID_OBJECT_DEFINITION,
                    format!("\"{}\" is not partitioned", qn.name),
                ));
            }
            if cs.partbound.is_none() && t.partition.is_some() {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("cannot inherit from partitioned table \"{}\"", qn.name),
                ));
            }
            if out.contains(&oid) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!(
                        "relation \"{}\" would be inherited from more than once",
                        qn.name
                    ),
                ));
            }
            out.push(oid);
        }
        Ok(out)
    }

    fn inherit_columns(
        &self,
        table: &mut Table,
        parent: Oid,
        pending: &mut PendingWork,
        is_partition: bool,
    ) -> PgResult<()> {
        let Some(pt) = self.table(parent) else {
            return Ok(());
        };
        for pc in &pt.columns {
            if let Some(existing) = table.columns.iter_mut().find(|c| c.name == pc.name) {
                if !existing.ty.same_type(&pc.ty) {
                    return Err(PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!("inherited column \"{}\" has a type conflict", pc.name),
                    ));
                }
                existing.inherit_count += 1;
                existing.not_null |= pc.not_null;
                continue;
            }
            let mut c = pc.clone();
            c.attnum = table.next_attnum;
            table.next_attnum += 1;
            c.is_local = false;
            c.inherit_count = 1;
            c.comment = None;
            c.identity = None;
            if is_partition {
                c.default = pc.default.clone();
            }
            table.columns.push(c);
        }
        // CHECK constraints are inherited (unless NO INHERIT).
        for con in &pt.constraints {
            if let ConstraintKind::Check { expr } = &con.kind
                && !con.no_inherit
            {
                pending
                    .constraints
                    .push(PendingConstraint::inherited_check(&con.name, expr.clone()));
            }
        }
        Ok(())
    }

    fn copy_like(
        &mut self,
        table: &mut Table,
        like: &protobuf::TableLikeClause,
        pending: &mut PendingWork,
    ) -> PgResult<()> {
        const COMMENTS: u32 = 1 << 0;
        const CONSTRAINTS: u32 = 1 << 2;
        const DEFAULTS: u32 = 1 << 3;
        const GENERATED: u32 = 1 << 4;
        const IDENTITY: u32 = 1 << 5;
        const INDEXES: u32 = 1 << 6;
        let Some(rv) = like.relation.as_ref() else {
            return Ok(());
        };
        let qn = qual_from_rangevar(rv);
        let oid = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
        let src = self
            .relation(oid)
            .ok_or_else(|| missing_relation(&qn))?
            .clone();
        let cols: Vec<Column> = match &src.body {
            RelBody::Table(t) => t.columns.clone(),
            RelBody::View(v) => v
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    new_column(
                        i as i16 + 1,
                        c.name.clone(),
                        c.ty.clone().unwrap_or_else(|| ColType::builtin("text")),
                        None,
                    )
                })
                .collect(),
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("relation \"{}\" is invalid in LIKE clause", qn.name),
                ));
            }
        };
        let mut attmap = Vec::new();
        for pc in cols {
            if table.column(&pc.name).is_some() {
                return Err(PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!("column \"{}\" specified more than once", pc.name),
                ));
            }
            let mut c = new_column(
                table.next_attnum,
                pc.name.clone(),
                pc.ty.clone(),
                pc.collation.clone(),
            );
            attmap.push((pc.attnum, c.attnum));
            table.next_attnum += 1;
            c.not_null = pc.not_null;
            if like.options & DEFAULTS != 0 && pc.generated.is_none() {
                c.default = pc.default.clone();
            }
            if like.options & GENERATED != 0 {
                c.generated = pc.generated.clone();
            }
            if like.options & IDENTITY != 0
                && let Some(id) = pc.identity
                && let Some(seq) = self.relation(id.sequence).and_then(Relation::sequence)
            {
                // `sequence_options` copies the settings but not the type,
                // so the new sequence is bigint (with the old bounds).
                pending.sequences.push(PendingSequence {
                    attnum: c.attnum,
                    name: String::new(),
                    data_type: "int8",
                    options: Vec::new(),
                    identity: true,
                    template: Some(seq.clone()),
                });
                c.identity = Some(Identity {
                    always: id.always,
                    sequence: 0,
                });
            }
            if like.options & COMMENTS != 0 {
                c.comment = pc.comment.clone();
            }
            table.columns.push(c);
        }
        if let RelBody::Table(src_t) = &src.body {
            if like.options & CONSTRAINTS != 0 {
                for con in &src_t.constraints {
                    if let ConstraintKind::Check { expr } = &con.kind {
                        pending
                            .constraints
                            .push(PendingConstraint::copied_check(&con.name, expr.clone()));
                    }
                }
            }
            if like.options & INDEXES != 0 {
                for idx in &src_t.indexes {
                    if let Some(spec) = self.like_index(*idx, src_t, &attmap) {
                        pending.constraints.push(spec);
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks and records one column definition on `table`.
    /// A local definition of a column a parent already gives (PostgreSQL's
    /// `MergeAttributes`): the types must agree, NOT NULL adds up, a local
    /// default wins. Without a type (`WITH OPTIONS`, in `PARTITION OF` or
    /// `OF type`), only the options apply.
    fn merge_local_definition(
        &self,
        table: &mut Table,
        table_name: &str,
        schema: Oid,
        cd: &ColumnDef,
        pending: &mut PendingWork,
        pos: usize,
    ) -> PgResult<i16> {
        let inherited = table.columns.remove(pos);
        let saved_next = table.next_attnum;
        let mut local = if cd.type_name.is_some() {
            self.define_column(
                table,
                table_name,
                schema,
                cd,
                ColumnSource::CreateTable,
                pending,
            )?;
            let Some(mut local) = table.columns.pop() else {
                let attnum = inherited.attnum;
                table.columns.insert(pos, inherited);
                return Ok(attnum);
            };
            if !local.ty.same_type(&inherited.ty) {
                return Err(PgError::new(
                    code::DATATYPE_MISMATCH,
                    format!("column \"{}\" has a type conflict", cd.colname),
                )
                .detail(format!(
                    "{} versus {}",
                    self.type_display(&inherited.ty),
                    self.type_display(&local.ty)
                ))
                .at(cd.location));
            }
            local.not_null |= inherited.not_null;
            if local.default.is_none() {
                local.default = inherited.default.clone();
            }
            if local.collation.is_none() {
                local.collation = inherited.collation.clone();
            }
            local
        } else {
            let mut merged = inherited.clone();
            for c in &cd.constraints {
                let Some(NodeEnum::Constraint(c)) = c.node.as_ref() else {
                    continue;
                };
                match constr_type(c) {
                    ConstrType::ConstrNotnull => merged.not_null = true,
                    ConstrType::ConstrDefault => {
                        if let Some(raw) = &c.raw_expr {
                            merged.default = Some((**raw).clone());
                        }
                    }
                    ConstrType::ConstrPrimary
                    | ConstrType::ConstrUnique
                    | ConstrType::ConstrCheck
                    | ConstrType::ConstrForeign
                    | ConstrType::ConstrExclusion => pending
                        .constraints
                        .push(PendingConstraint::from_column(c, &cd.colname)),
                    _ => {}
                }
            }
            merged
        };
        table.next_attnum = saved_next;
        local.attnum = inherited.attnum;
        local.is_local = true;
        local.inherit_count = inherited.inherit_count;
        let attnum = local.attnum;
        table.columns.insert(pos, local);
        Ok(attnum)
    }

    pub(super) fn define_column(
        &self,
        table: &mut Table,
        table_name: &str,
        schema: Oid,
        cd: &ColumnDef,
        source: ColumnSource,
        pending: &mut PendingWork,
    ) -> PgResult<i16> {
        let name = cd.colname.clone();
        if let Some(pos) = table.columns.iter().position(|c| c.name == name) {
            if source == ColumnSource::CreateTable && !table.columns[pos].is_local {
                return self.merge_local_definition(table, table_name, schema, cd, pending, pos);
            }
            return Err(match source {
                ColumnSource::CreateTable => PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!("column \"{name}\" specified more than once"),
                ),
                ColumnSource::AddColumn => PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!("column \"{name}\" of relation \"{table_name}\" already exists"),
                ),
            }
            .at(cd.location));
        }
        let Some(tn) = cd.type_name.as_ref() else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                format!("column \"{name}\" has no type"),
            ));
        };
        if source == ColumnSource::AddColumn {
            check_system_column_name(&name)?;
        }
        let type_names = strings(&tn.names);
        // `transformColumnDefinition`: only an unqualified name is serial.
        let serial = match type_names.as_slice() {
            [n] => SERIAL_TYPES.iter().find(|(s, _)| s == n).map(|(_, t)| *t),
            _ => None,
        };
        if serial.is_some() && !tn.array_bounds.is_empty() {
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                "array of serial is not implemented",
            )
            .at(tn.location));
        }
        let ty = match serial {
            Some(t) => ColType::builtin(t),
            None => self.resolve_type(tn)?,
        };
        if source == ColumnSource::CreateTable {
            check_system_column_name(&name)?;
        }
        if let TypeRef::Builtin(b) = ty.base
            && !ty.array
            && BUILTINS.builtin_type(b).is_some_and(|t| t.kind == 'p')
        {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!(
                    "column \"{name}\" has pseudo-type {}",
                    self.type_display(&ty)
                ),
            ));
        }
        if let TypeRef::Row(r) = ty.base
            && self
                .relation(r)
                .is_some_and(|rel| rel.name == table_name && rel.schema == schema)
        {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!(
                    "column \"{name}\" has type {table_name} which is a row type of the table itself"
                ),
            ));
        }
        let attnum = table.next_attnum;
        let mut col = new_column(attnum, name.clone(), ty.clone(), None);
        if let Some(coll) = &cd.coll_clause {
            col.collation = Some(
                self.check_column_collation(&strings(&coll.collname), &ty)
                    .map_err(|e| e.at(coll.location))?,
            );
        }
        if !cd.compression.is_empty() {
            col.compression = Some(cd.compression.clone());
        }
        if !cd.storage_name.is_empty() {
            col.storage = Some(cd.storage_name.clone());
        }

        let mut saw_null = false;
        let mut saw_not_null = false;
        let mut saw_default = serial.is_some();
        let mut saw_identity = false;
        let mut saw_generated = false;
        for c in &cd.constraints {
            let Some(NodeEnum::Constraint(c)) = c.node.as_ref() else {
                continue;
            };
            match constr_type(c) {
                ConstrType::ConstrNull => {
                    if saw_not_null {
                        return Err(conflicting_null(&name, table_name, c.location));
                    }
                    saw_null = true;
                    col.not_null = false;
                }
                ConstrType::ConstrNotnull => {
                    if saw_null {
                        return Err(conflicting_null(&name, table_name, c.location));
                    }
                    saw_not_null = true;
                    col.not_null = true;
                }
                ConstrType::ConstrDefault => {
                    if saw_default {
                        return Err(PgError::new(
                            code::SYNTAX_ERROR,
                            format!(
                                "multiple default values specified for column \"{name}\" of table \"{table_name}\""
                            ),
                        )
                        .at(c.location));
                    }
                    saw_default = true;
                    if let Some(raw) = &c.raw_expr {
                        col.default = Some((**raw).clone());
                    }
                }
                ConstrType::ConstrIdentity => {
                    if saw_identity {
                        return Err(PgError::new(
                            code::SYNTAX_ERROR,
                            format!(
                                "multiple identity specifications for column \"{name}\" of table \"{table_name}\""
                            ),
                        )
                        .at(c.location));
                    }
                    saw_identity = true;
                    let data_type = match ty.builtin_name() {
                        Some(t @ ("int2" | "int4" | "int8")) if !ty.array => t,
                        _ => {
                            return Err(PgError::new(
                                code::INVALID_PARAMETER_VALUE,
                                "identity column type must be smallint, integer, or bigint",
                            ));
                        }
                    };
                    col.identity = Some(Identity {
                        always: c.generated_when == "a",
                        sequence: 0,
                    });
                    col.not_null = true;
                    pending.sequences.push(PendingSequence {
                        attnum,
                        name: String::new(),
                        data_type,
                        options: c.options.clone(),
                        identity: true,
                        template: None,
                    });
                }
                ConstrType::ConstrGenerated => {
                    if saw_generated {
                        return Err(PgError::new(
                            code::SYNTAX_ERROR,
                            format!(
                                "multiple generation clauses specified for column \"{name}\" of table \"{table_name}\""
                            ),
                        )
                        .at(c.location));
                    }
                    saw_generated = true;
                    if let Some(raw) = &c.raw_expr {
                        col.generated = Some((**raw).clone());
                    }
                }
                ConstrType::ConstrPrimary
                | ConstrType::ConstrUnique
                | ConstrType::ConstrCheck
                | ConstrType::ConstrForeign
                | ConstrType::ConstrExclusion => {
                    pending
                        .constraints
                        .push(PendingConstraint::from_column(c, &name));
                }
                ConstrType::ConstrAttrDeferrable
                | ConstrType::ConstrAttrNotDeferrable
                | ConstrType::ConstrAttrDeferred
                | ConstrType::ConstrAttrImmediate
                | ConstrType::ConstrAttrEnforced
                | ConstrType::ConstrAttrNotEnforced => {
                    pending.constraints.push(PendingConstraint::attribute(c));
                }
                ConstrType::Undefined => {}
            }
        }
        if saw_identity && (col.default.is_some() || serial.is_some()) {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                format!(
                    "both default and identity specified for column \"{name}\" of table \"{table_name}\""
                ),
            ));
        }
        if saw_generated && col.default.is_some() {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                format!(
                    "both default and generation expression specified for column \"{name}\" of table \"{table_name}\""
                ),
            ));
        }
        if saw_generated && saw_identity {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                format!(
                    "both identity and generation expression specified for column \"{name}\" of table \"{table_name}\""
                ),
            ));
        }
        if let Some(t) = serial {
            col.not_null = true;
            pending.sequences.push(PendingSequence {
                attnum,
                name: String::new(),
                data_type: t,
                options: Vec::new(),
                identity: false,
                template: None,
            });
        }
        if let Some(default) = col.default.take() {
            col.default = Some(self.cook_default(&default, &col.ty, &name)?);
        }
        table.columns.push(col);
        table.next_attnum += 1;
        if let Some(generated) = table.columns.last().and_then(|c| c.generated.clone()) {
            self.check_generation_expr(table, &generated, &name)?;
        }
        if let Some(g) = table.columns.last_mut().and_then(|c| c.generated.as_mut()) {
            self.qualify_function_calls(g);
        }
        Ok(attnum)
    }

    /// `cookDefault`: checks a column default and returns it as stored.
    pub(crate) fn cook_default(&self, raw: &Node, ty: &ColType, column: &str) -> PgResult<Node> {
        if let Some((what, loc)) = expr::find_forbidden(raw) {
            return Err(match what {
                "subquery" => PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    "cannot use subquery in DEFAULT expression",
                ),
                "window" => PgError::new(
                    "42P20",
                    "window functions are not allowed in DEFAULT expressions",
                ),
                _ => PgError::new(
                    code::INVALID_GROUPING_ERROR,
                    "aggregate functions are not allowed in DEFAULT expressions",
                ),
            }
            .at(loc));
        }
        if let Some((_, loc)) = expr::column_refs(raw).first() {
            // `transformColumnRef` refuses it while analysing the expression.
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                "cannot use column reference in DEFAULT expression",
            )
            .at(*loc));
        }
        self.check_expression_functions(raw, &|_| None)?;
        self.check_expression_types(raw, &|_| None)?;
        let mut cooked = raw.clone();
        self.resolve_nextval_literals(&mut cooked)?;
        self.qualify_function_calls(&mut cooked);
        self.check_value_fits(&cooked, ty, || {
            PgError::new(
                code::DATATYPE_MISMATCH,
                format!(
                    "column \"{column}\" is of type {} but default expression is of type {{}}",
                    self.type_display(ty)
                ),
            )
            .hint("You will need to rewrite or cast the expression.")
        })?;
        Ok(cooked)
    }

    /// Checks that a literal or simply-typed expression can be stored in a
    /// column of type `ty` (assignment coercion, valid input for literals).
    /// `mismatch` builds the error; `{}` in its message becomes the
    /// expression's type.
    pub(crate) fn check_value_fits(
        &self,
        e: &Node,
        ty: &ColType,
        mismatch: impl Fn() -> PgError,
    ) -> PgResult<()> {
        match literal_type(e) {
            Some(None) => {
                if let Some(text) = untyped_string(e) {
                    self.check_input(&text, ty)?;
                }
                Ok(())
            }
            Some(Some(found)) => {
                if self.can_coerce(&found, ty, CastContext::Assignment) {
                    Ok(())
                } else {
                    let mut err = mismatch();
                    err.message = err.message.replace("{}", &self.type_display(&found));
                    Err(err)
                }
            }
            None => {
                // A cast to a known type: the cast result must be assignable.
                if let Some(NodeEnum::TypeCast(tc)) = e.node.as_ref()
                    && let Some(tn) = tc.type_name.as_ref()
                    && let Ok(found) = self.resolve_type(tn)
                {
                    if let Some(arg) = tc.arg.as_deref()
                        && let Some(text) = untyped_string(arg)
                    {
                        self.check_input(&text, &found)?;
                    }
                    if !self.can_coerce(&found, ty, CastContext::Assignment) {
                        let mut err = mismatch();
                        err.message = err.message.replace("{}", &self.type_display(&found));
                        return Err(err);
                    }
                }
                if let Some(found) = self.call_result_type(e)
                    && !self.can_coerce(&found, ty, CastContext::Assignment)
                {
                    let mut err = mismatch();
                    err.message = err.message.replace("{}", &self.type_display(&found));
                    return Err(err);
                }
                Ok(())
            }
        }
    }

    /// The result type of a call to a built-in function whose every
    /// overload returns the same type (`now()`, `gen_random_uuid()`).
    fn call_result_type(&self, e: &Node) -> Option<ColType> {
        let NodeEnum::FuncCall(fc) = e.node.as_ref()? else {
            return None;
        };
        let q = crate::catalog::names::qual_from_list(&fc.funcname)?;
        if q.schema.as_deref().is_some_and(|s| s != "pg_catalog") {
            return None;
        }
        if self.user_function_candidates(&q).next().is_some() {
            return None;
        }
        let fs = BUILTINS.functions(&q.name)?;
        let mut rets = fs
            .iter()
            .filter(|f| f.nargs as usize == fc.args.len())
            .map(|f| f.returns);
        let first = rets.next()?;
        if !rets.all(|r| r == first) {
            return None;
        }
        let (name, array) = match first.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (first, false),
        };
        let name = match name {
            "integer" => "int4",
            "bigint" => "int8",
            "smallint" => "int2",
            "boolean" => "bool",
            "timestamp with time zone" => "timestamptz",
            "timestamp without time zone" => "timestamp",
            "double precision" => "float8",
            "real" => "float4",
            "character varying" => "varchar",
            "time without time zone" => "time",
            "time with time zone" => "timetz",
            other => other,
        };
        let mut t = ColType::named(name)?;
        if BUILTINS.builtin_type(name).is_some_and(|b| b.kind == 'p') {
            return None;
        }
        t.array = array;
        Some(t)
    }

    fn check_generation_expr(&self, table: &Table, e: &Node, column: &str) -> PgResult<()> {
        if let Some((what, loc)) = expr::find_forbidden(e) {
            return Err(match what {
                "subquery" => PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    "cannot use subquery in column generation expression",
                ),
                "window" => PgError::new(
                    "42P20",
                    "window functions are not allowed in column generation expressions",
                ),
                _ => PgError::new(
                    code::INVALID_GROUPING_ERROR,
                    "aggregate functions are not allowed in column generation expressions",
                ),
            }
            .at(loc));
        }
        for (name, loc) in expr::column_refs(e) {
            match table.column(&name) {
                None => {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{name}\" does not exist"),
                    )
                    .at(loc));
                }
                Some(c) if c.generated.is_some() => {
                    return Err(PgError::new(
                        code::INVALID_OBJECT_DEFINITION,
                        "cannot use generated column \"".to_string()
                            + &name
                            + "\" in column generation expression",
                    )
                    .detail("A generated column cannot reference another generated column.")
                    .at(loc));
                }
                Some(_) if name == column => {
                    return Err(PgError::new(
                        code::INVALID_OBJECT_DEFINITION,
                        format!(
                            "cannot use generated column \"{name}\" in column generation expression"
                        ),
                    )
                    .detail("A generated column cannot reference another generated column.")
                    .at(loc));
                }
                Some(_) => {}
            }
        }
        let columns = |name: &str| {
            table
                .columns
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.ty.clone())
        };
        self.check_expression_functions(e, &columns)?;
        self.check_expression_types(e, &columns)?;
        let column_type = |n: &Node| match n.node.as_ref()? {
            NodeEnum::ColumnRef(c) => {
                let name = c.fields.last().and_then(crate::catalog::names::str_of)?;
                table
                    .columns
                    .iter()
                    .find(|col| col.name == name)
                    .map(|col| col.ty.clone())
            }
            _ => None,
        };
        if self.expression_volatility(e, &column_type) != 'i' {
            return Err(PgError::new(
                code::INVALID_OBJECT_DEFINITION,
                "generation expression is not immutable",
            ));
        }
        Ok(())
    }

    /// Creates what the columns need once the table exists: sequences,
    /// then CHECK constraints, then PRIMARY KEY / UNIQUE / EXCLUDE indexes,
    /// then foreign keys — PostgreSQL's order, which decides generated names.
    pub(super) fn finish_table_definition(
        &mut self,
        oid: Oid,
        pending: PendingWork,
    ) -> PgResult<()> {
        let (schema, _) = self.rel_schema_name(oid);
        for seq in pending.sequences {
            let seq_oid = self.alloc_oid();
            // A copied sequence keeps its bounds; a new one takes the type's.
            let creating = seq.template.is_none();
            let mut s = match seq.template {
                Some(t) => Sequence {
                    data_type: seq.data_type,
                    ..t
                },
                None => super::sequence::default_sequence(seq.data_type),
            };
            super::sequence::apply_sequence_options(self, &mut s, &seq.options, creating)?;
            let seq_name = super::sequence::identity_sequence_name(&seq.options)
                .map(|q| q.name)
                .unwrap_or(seq.name);
            s.owned_by = Some((oid, seq.attnum));
            s.identity = seq.identity;
            if let Some(t) = self.table(oid) {
                s.persistence = t.persistence;
            }
            if self.rel_name_taken(schema, &seq_name) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{seq_name}\" already exists"),
                ));
            }
            self.insert_relation(Relation {
                oid: seq_oid,
                schema,
                name: seq_name.clone(),
                comment: None,
                extension: None,
                body: RelBody::Sequence(s),
            });
            self.note_ref(oid, seq_oid);
            let schema_name = self.schema_name(schema).to_string();
            if let Some(col) = self
                .table_mut(oid)
                .and_then(|t| t.columns.iter_mut().find(|c| c.attnum == seq.attnum))
            {
                if let Some(id) = col.identity.as_mut() {
                    id.sequence = seq_oid;
                } else {
                    col.default = Some(nextval_default(&schema_name, &seq_name));
                }
            }
        }
        self.note_table_refs(oid);
        self.add_pending_constraints(oid, pending.constraints)
    }

    pub(crate) fn rel_schema_name(&self, oid: Oid) -> (Oid, String) {
        self.relation(oid)
            .map_or((0, String::new()), |r| (r.schema, r.name.clone()))
    }

    /// `ChooseRelationName`: a free name in the relation namespace.
    pub(crate) fn choose_relation_name(
        &self,
        schema: Oid,
        name1: &str,
        name2: Option<&str>,
        label: &str,
    ) -> String {
        choose_name(name1, name2, label, |n| self.rel_name_taken(schema, n))
    }

    /// Replaces `nextval('seq')` literals by the sequence's qualified name,
    /// checking it exists, so later renames can follow it.
    pub(crate) fn resolve_nextval_literals(&self, e: &mut Node) -> PgResult<()> {
        let mut err = None;
        expr::walk_mut(e, &mut |n| {
            if err.is_some() {
                return;
            }
            let NodeEnum::FuncCall(fc) = n else { return };
            let is_nextval =
                fc.funcname.last().and_then(crate::catalog::names::str_of) == Some("nextval");
            if !is_nextval || fc.args.len() != 1 {
                return;
            }
            let mut node = fc.args[0].clone();
            let Some(q) = expr::nextval_targets(&expr::node(NodeEnum::FuncCall(fc.clone())))
                .into_iter()
                .next()
            else {
                return;
            };
            match self.lookup_relation(&q) {
                Ok(Some(oid)) => match self.relation(oid) {
                    Some(r) if r.sequence().is_some() => {
                        let lit = crate::catalog::names::quote_qualified(
                            self.schema_name(r.schema),
                            &r.name,
                        );
                        set_regclass_literal(&mut node, &lit);
                        fc.args[0] = node;
                    }
                    Some(r) => {
                        err = Some(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{}\" is not a sequence", r.name),
                        ))
                    }
                    None => {}
                },
                Ok(None) => {
                    err = Some(PgError::new(
                        code::UNDEFINED_TABLE,
                        format!("relation \"{q}\" does not exist"),
                    ))
                }
                Err(e) => err = Some(e),
            }
        });
        err.map_or(Ok(()), Err)
    }

    /// Checks that every function an expression calls exists; returns the
    /// user functions it calls.
    pub(crate) fn check_expression_functions(
        &self,
        e: &Node,
        columns: crate::catalog::resolve::ColumnTypes,
    ) -> PgResult<QueryDeps> {
        let mut deps = QueryDeps::default();
        for (q, nargs, loc) in expr::function_calls(e) {
            match self.resolve_function(&q, nargs) {
                Some(FuncMatch::User(oid, _)) => {
                    if !deps.functions.contains(&oid) {
                        deps.functions.push(oid);
                    }
                }
                Some(_) => {}
                // `mood('ok')`: may be a cast (the types check it).
                None if nargs == 1 && self.type_named_by_call(&q).is_some() => {}
                None => {
                    if let Some(schema) = &q.schema
                        && self.schema_oid(schema).is_none()
                    {
                        return Err(PgError::new(
                            code::INVALID_SCHEMA_NAME,
                            format!("schema \"{schema}\" does not exist"),
                        )
                        .at(loc));
                    }
                    let args = vec!["unknown"; nargs].join(", ");
                    let mut display = format!("{q}({args})");
                    if let Some(call) = self.describe_call(e, &q, columns) {
                        display = call;
                    }
                    return Err(PgError::new(
                        code::UNDEFINED_FUNCTION,
                        format!("function {display} does not exist"),
                    )
                    .hint("No function matches the given name and argument types. You might need to add explicit type casts.")
                    .at(loc));
                }
            }
        }
        Ok(deps)
    }

    /// Qualifies the calls of an expression that reach a function outside
    /// pg_catalog with the function's schema. PostgreSQL stores the
    /// function itself and prints it qualified when dumping, so the stored
    /// expression must not depend on the `search_path` any more.
    pub(crate) fn qualify_function_calls(&self, e: &mut Node) {
        // Only user and extension functions live outside pg_catalog.
        if self.functions.is_empty() && self.extensions.is_empty() {
            return;
        }
        let mut schemas: Vec<(QualName, usize, String)> = Vec::new();
        expr::walk(e, &mut |n| {
            let NodeEnum::FuncCall(fc) = n else { return };
            let Some(q) = crate::catalog::names::qual_from_list(&fc.funcname) else {
                return;
            };
            if q.schema.is_some() {
                return;
            }
            if let Some(schema) = self.function_schema(&q, fc.args.len()) {
                schemas.push((q, fc.args.len(), schema));
            }
        });
        if schemas.is_empty() {
            return;
        }
        expr::walk_mut(e, &mut |n| {
            let NodeEnum::FuncCall(fc) = n else { return };
            let Some(q) = crate::catalog::names::qual_from_list(&fc.funcname) else {
                return;
            };
            if let Some((_, _, schema)) = schemas
                .iter()
                .find(|(x, nargs, _)| *x == q && *nargs == fc.args.len())
            {
                fc.funcname.insert(
                    0,
                    expr::node(NodeEnum::String(protobuf::String {
                        sval: schema.clone(),
                    })),
                );
            }
        });
    }

    /// The schema of the user or extension function an unqualified call
    /// reaches; `None` for built-ins and functions migsim cannot place.
    fn function_schema(&self, q: &QualName, nargs: usize) -> Option<String> {
        match self.resolve_function(q, nargs)? {
            FuncMatch::User(oid, _) => self
                .function(oid)
                .map(|f| self.schema_name(f.schema).to_string()),
            FuncMatch::Extension(_) => self
                .extensions
                .values()
                .filter(|x| x.known && self.search_schemas().contains(&x.schema))
                .find(|x| {
                    BUILTINS.extensions.get(x.name.as_str()).is_some_and(|d| {
                        d.functions.iter().any(|f| f.0 == q.name)
                            || d.function_prefixes
                                .iter()
                                .any(|p| q.name.to_ascii_lowercase().starts_with(p))
                    })
                })
                .map(|x| self.schema_name(x.schema).to_string()),
            FuncMatch::Builtin(_) | FuncMatch::Assumed => None,
        }
    }

    /// `name(type, type)` of a call, with argument types as PostgreSQL
    /// prints them in "function does not exist".
    fn describe_call(
        &self,
        e: &Node,
        q: &QualName,
        columns: crate::catalog::resolve::ColumnTypes,
    ) -> Option<String> {
        let mut out = None;
        expr::walk(e, &mut |n| {
            if out.is_some() {
                return;
            }
            if let NodeEnum::FuncCall(fc) = n
                && crate::catalog::names::qual_from_list(&fc.funcname).as_ref() == Some(q)
            {
                let resolved = self.call_arg_types(fc, columns);
                let types: Vec<String> = fc
                    .args
                    .iter()
                    .zip(resolved)
                    .map(|(a, known)| match known {
                        Some(shown) => shown,
                        None => match literal_type(a) {
                            Some(Some(t)) => self.type_display(&t),
                            Some(None) => "unknown".into(),
                            None => match a.node.as_ref() {
                                Some(NodeEnum::TypeCast(tc)) => tc
                                    .type_name
                                    .as_ref()
                                    .and_then(|tn| self.resolve_type(tn).ok())
                                    .map_or("unknown".into(), |t| self.type_display(&t)),
                                _ => "unknown".into(),
                            },
                        },
                    })
                    .collect();
                out = Some(format!("{q}({})", types.join(", ")));
            }
        });
        out
    }

    /// The least immutable volatility among the functions an expression
    /// calls, casts included (`i` when all are immutable or unknown to be
    /// otherwise). `type_of` gives the type of a sub-expression where it is
    /// plain to see (a column), for the casts.
    pub(crate) fn expression_volatility(
        &self,
        e: &Node,
        type_of: &dyn Fn(&Node) -> Option<ColType>,
    ) -> char {
        let mut worst = 'i';
        let mut bump = |v: char| worst = worse_volatility(worst, v);
        expr::walk(e, &mut |n| match n {
            NodeEnum::SqlvalueFunction(_) => bump('s'),
            // A literal is converted when the statement is parsed; only a
            // cast of a value runs at each evaluation.
            NodeEnum::TypeCast(tc) => {
                let source = tc.arg.as_deref().and_then(type_of);
                let target = tc
                    .type_name
                    .as_ref()
                    .and_then(|t| self.resolve_type(t).ok());
                if let (Some(source), Some(target)) = (source, target)
                    && let Some(v) = self.cast_volatility(&source, &target)
                {
                    bump(v);
                }
            }
            NodeEnum::FuncCall(fc) => {
                if let Some(q) = crate::catalog::names::qual_from_list(&fc.funcname) {
                    match self.resolve_function(&q, fc.args.len()) {
                        Some(FuncMatch::Builtin(Some(v)))
                        | Some(FuncMatch::User(_, v))
                        | Some(FuncMatch::Extension(v)) => bump(v),
                        _ => {}
                    }
                }
            }
            _ => {}
        });
        worst
    }

    /// Volatility of casting a value of one type to another, as PostgreSQL
    /// would cast it; `None` when there is no cast migsim knows of.
    pub(crate) fn cast_volatility(&self, source: &ColType, target: &ColType) -> Option<char> {
        let (source, target) = (self.base_type(source), self.base_type(target));
        if source.base == target.base && source.array == target.array {
            return Some('i');
        }
        let string = |t: &ColType| !t.array && self.type_category(t) == 'S';
        // An I/O conversion runs the source's output function and the
        // target's input function.
        let io = |out: char, inp: char| Some(worse_volatility(out, inp));
        let user_io = |t: &ColType, output: bool| -> Option<char> {
            if t.array {
                // array_out and array_in are stable.
                return Some('s');
            }
            match &t.base {
                TypeRef::Builtin(n) => BUILTINS.builtin_type(n).map(|b| {
                    if output {
                        b.output_volatility
                    } else {
                        b.input_volatility
                    }
                }),
                TypeRef::User(oid) => match self.user_type(*oid).map(|u| &u.kind) {
                    // enum_out, enum_in, record_out, record_in, range_out...
                    Some(TypeKind::Enum { .. } | TypeKind::Composite { .. }) => Some('s'),
                    _ => None,
                },
                TypeRef::Row(_) => Some('s'),
                TypeRef::Assumed(_) => None,
            }
        };
        match (&source.base, &target.base) {
            _ if source.array && target.array => {
                let elem = |t: &ColType| ColType {
                    base: t.base.clone(),
                    typmods: Vec::new(),
                    array: false,
                };
                self.cast_volatility(&elem(&source), &elem(&target))
            }
            (TypeRef::Builtin(a), TypeRef::Builtin(b)) if !source.array && !target.array => {
                BUILTINS.cast_volatility(a, b)
            }
            _ if string(&target) => io(user_io(&source, true)?, user_io(&target, false)?),
            _ if string(&source) => io(user_io(&source, true)?, user_io(&target, false)?),
            _ => None,
        }
    }

    pub(crate) fn user_function_candidates<'a>(
        &'a self,
        q: &'a QualName,
    ) -> impl Iterator<Item = &'a Function> + 'a {
        let schemas: Vec<Oid> = match &q.schema {
            Some(s) => self.schema_oid(s).into_iter().collect(),
            None => self.search_schemas(),
        };
        self.functions
            .values()
            .filter(move |f| f.name == q.name && schemas.contains(&f.schema))
    }

    /// Finds the function a call would reach, by name and argument count.
    pub(crate) fn resolve_function(&self, q: &QualName, nargs: usize) -> Option<FuncMatch> {
        let builtin_ok = q.schema.as_deref().is_none_or(|s| s == "pg_catalog");
        // User functions in the search path come after pg_catalog, but a
        // user function with the right arity shadows nothing built in.
        if q.schema.as_deref() != Some("pg_catalog") {
            let mut best = None;
            for f in self.user_function_candidates(q) {
                let inputs = f
                    .args
                    .iter()
                    .filter(|a| matches!(a.mode, 'i' | 'b' | 'v'))
                    .count();
                let required = f
                    .args
                    .iter()
                    .filter(|a| matches!(a.mode, 'i' | 'b') && !a.has_default)
                    .count();
                let variadic = f.args.iter().any(|a| a.mode == 'v');
                if (required..=inputs).contains(&nargs) || (variadic && nargs + 1 >= inputs) {
                    best = Some(FuncMatch::User(f.oid, f.volatility));
                    break;
                }
            }
            if best.is_some() {
                return best;
            }
        }
        if builtin_ok && BUILTINS.functions(&q.name).is_some() {
            return Some(FuncMatch::Builtin(expr::builtin_volatility(&q.name, nargs)));
        }
        // Extension functions live in the extension's schema.
        for ext in self.extensions.values() {
            let visible = match &q.schema {
                Some(s) => self.schema_name(ext.schema) == s,
                None => self.search_schemas().contains(&ext.schema),
            };
            if !visible {
                continue;
            }
            if !ext.known {
                return Some(FuncMatch::Assumed);
            }
            if let Some(def) = BUILTINS.extensions.get(ext.name.as_str()) {
                let lname = q.name.to_ascii_lowercase();
                if let Some(f) = def.functions.iter().find(|f| f.0 == q.name) {
                    return Some(FuncMatch::Extension(f.2));
                }
                if def.function_prefixes.iter().any(|p| lname.starts_with(p)) {
                    return Some(FuncMatch::Extension('i'));
                }
            }
        }
        None
    }
}

/// How a function call resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FuncMatch {
    /// In pg_catalog; volatility when all overloads agree.
    Builtin(Option<char>),
    User(Oid, char),
    Extension(char),
    /// From an extension migsim cannot list.
    Assumed,
}

/// Serial columns of one table get distinct sequence names even though
/// none of them exists yet.
fn dedupe_sequence_names(
    c: &Catalog,
    schema: Oid,
    table: &str,
    t: &Table,
    seqs: &mut [PendingSequence],
) {
    let mut chosen: Vec<String> = Vec::new();
    for seq in seqs.iter_mut() {
        let col = column_name(t, seq.attnum);
        seq.name = choose_name(table, Some(&col), "seq", |n| {
            c.rel_name_taken(schema, n) || chosen.iter().any(|x| x == n)
        });
        chosen.push(seq.name.clone());
    }
}

fn column_name(t: &Table, attnum: i16) -> String {
    t.column_by_num(attnum)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

pub(crate) fn new_column(
    attnum: i16,
    name: String,
    ty: ColType,
    collation: Option<String>,
) -> Column {
    Column {
        attnum,
        name,
        ty,
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation,
        comment: None,
        storage: None,
        compression: None,
        statistics: None,
        is_local: true,
        inherit_count: 0,
    }
}

/// The system columns every table has (`SystemAttributeByName`).
pub(crate) const SYSTEM_COLUMNS: &[&str] = &["ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"];

/// `CheckAttributeNamesTypes` / `check_for_column_name_collision`.
pub(crate) fn check_system_column_name(name: &str) -> PgResult<()> {
    if SYSTEM_COLUMNS.contains(&name) {
        return Err(PgError::new(
            code::DUPLICATE_COLUMN,
            format!("column name \"{name}\" conflicts with a system column name"),
        ));
    }
    Ok(())
}

fn conflicting_null(col: &str, table: &str, loc: i32) -> PgError {
    PgError::new(
        code::SYNTAX_ERROR,
        format!("conflicting NULL/NOT NULL declarations for column \"{col}\" of table \"{table}\""),
    )
    .at(loc)
}

pub(crate) fn missing_relation(qn: &QualName) -> PgError {
    PgError::new(
        code::UNDEFINED_TABLE,
        format!("relation \"{qn}\" does not exist"),
    )
}

/// `nextval('schema.seq'::regclass)` as PostgreSQL stores a serial default.
pub(crate) fn nextval_default(schema: &str, seq: &str) -> Node {
    let lit = crate::catalog::names::quote_qualified(schema, seq);
    let sql = format!(
        "SELECT nextval({}::regclass)",
        crate::catalog::names::quote_literal(&lit)
    );
    parse_select_expr(&sql).unwrap_or_default()
}

/// The first target expression of a `SELECT`.
pub(crate) fn parse_select_expr(sql: &str) -> Option<Node> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    let stmt = parsed.protobuf.stmts.into_iter().next()?.stmt?.node?;
    let NodeEnum::SelectStmt(s) = stmt else {
        return None;
    };
    let NodeEnum::ResTarget(rt) = s.target_list.into_iter().next()?.node? else {
        return None;
    };
    rt.val.map(|v| *v)
}

fn set_regclass_literal(arg: &mut Node, lit: &str) {
    let target = match arg.node.as_mut() {
        Some(NodeEnum::TypeCast(tc)) => tc.arg.as_deref_mut(),
        _ => Some(arg),
    };
    if let Some(Node {
        node: Some(NodeEnum::AConst(c)),
    }) = target
    {
        c.val = Some(protobuf::a_const::Val::Sval(protobuf::String {
            sval: lit.to_string(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{message, run, sqlstate};

    #[test]
    fn system_column_names_are_taken() {
        assert_eq!(sqlstate("CREATE TABLE t (ctid int)"), "42701");
        assert_eq!(
            message("CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN xmin int"),
            "column name \"xmin\" conflicts with a system column name"
        );
        assert_eq!(sqlstate("CREATE TABLE t (xmin_at int)"), "ok");
    }

    #[test]
    fn serial_is_a_bare_name_and_never_an_array() {
        assert_eq!(sqlstate("CREATE TABLE t (a serial[])"), "0A000");
        assert_eq!(sqlstate("CREATE TABLE t (a pg_catalog.serial)"), "42704");
        assert_eq!(sqlstate("CREATE TABLE t (a bigserial)"), "ok");
    }

    #[test]
    fn default_with_column_reference_is_not_supported() {
        assert_eq!(sqlstate("CREATE TABLE t (a int, b int DEFAULT a)"), "0A000");
    }

    #[test]
    fn partition_of_plain_table_is_an_invalid_definition() {
        assert_eq!(
            sqlstate("CREATE TABLE o (r text); CREATE TABLE o1 PARTITION OF o FOR VALUES IN ('a')"),
            "42P17"
        );
    }

    #[test]
    fn defaults_are_checked_by_the_type_input_without_modifier() {
        assert_eq!(
            sqlstate("CREATE TABLE t (a date DEFAULT '2023-02-30')"),
            "22008"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int[] DEFAULT '{1,x}')"),
            "22P02"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a varchar(3) DEFAULT 'abcdef')"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a varchar(3) DEFAULT 'abcdef'::varchar(3))"),
            "ok"
        );
        assert_eq!(
            sqlstate(
                "CREATE TYPE role AS ENUM ('admin'); CREATE TABLE a (r role[] DEFAULT '{guest}')"
            ),
            "22P02"
        );
    }

    #[test]
    fn calls_outside_pg_catalog_are_stored_qualified() {
        let c = run(
            "CREATE SCHEMA extensions; CREATE EXTENSION \"uuid-ossp\" SCHEMA extensions;
             SET search_path TO public, extensions;
             CREATE TABLE t (id uuid DEFAULT uuid_generate_v4(), at timestamptz DEFAULT now())",
        )
        .unwrap();
        let t = c
            .table(
                c.lookup_relation(&crate::catalog::QualName::bare("t"))
                    .unwrap()
                    .unwrap(),
            )
            .unwrap();
        let d = |n: &str| {
            crate::catalog::expr::deparse_expr(t.column(n).unwrap().default.as_ref().unwrap())
        };
        assert_eq!(d("id"), "extensions.uuid_generate_v4()");
        assert_eq!(d("at"), "now()");
    }

    #[test]
    fn like_including_all_copies_constraints_and_identity() {
        let c = run(
            "CREATE TABLE src (id int PRIMARY KEY, b int GENERATED ALWAYS AS IDENTITY,
                               u int UNIQUE);
             CREATE TABLE dst (LIKE src INCLUDING ALL)",
        )
        .unwrap();
        let dst = c
            .lookup_relation(&crate::catalog::QualName::bare("dst"))
            .unwrap()
            .unwrap();
        let t = c.table(dst).unwrap();
        assert!(t.constraint("dst_pkey").is_some());
        assert!(t.constraint("dst_u_key").is_some());
        let seq = t.column("b").unwrap().identity.unwrap().sequence;
        let s = c.relation(seq).unwrap().sequence().unwrap();
        // `sequence_options` copies the bounds but not the type.
        assert_eq!((s.data_type, s.max), ("int8", 2147483647));
    }

    #[test]
    fn temporary_tables_live_in_pg_temp() {
        let c = run("CREATE TEMP TABLE t (a serial); CREATE TABLE t (b int)").unwrap();
        let temp = c
            .rel_in_schema(crate::catalog::PG_TEMP_OID, "t")
            .expect("temporary t");
        assert!(
            c.rel_in_schema(crate::catalog::PUBLIC_SCHEMA_OID, "t")
                .is_some()
        );
        // Unqualified names find the temporary table first.
        assert_eq!(
            c.lookup_relation(&crate::catalog::QualName::bare("t"))
                .unwrap(),
            Some(temp)
        );
        assert!(
            c.rel_in_schema(crate::catalog::PG_TEMP_OID, "t_a_seq")
                .is_some()
        );
        assert_eq!(sqlstate("CREATE TEMP TABLE public.t (a int)"), "42P16");
        let c = run("CREATE TABLE pg_temp.x (a int)").unwrap();
        let x = c.rel_in_schema(crate::catalog::PG_TEMP_OID, "x").unwrap();
        assert_eq!(
            c.table(x).map(|t| t.persistence),
            Some(crate::catalog::Persistence::Temporary)
        );
    }
}
