//! RENAME and SET SCHEMA. Objects refer to each other by OID, so most
//! renames only change a name; expressions and view queries that spell the
//! old name are rewritten, as PostgreSQL would print them afterwards.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterObjectSchemaStmt, ObjectType as O, RenameStmt};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_rangevar, str_of, strings};
use crate::catalog::query::{QueryRename, rename_in_query};

impl Catalog {
    pub(super) fn rename(&mut self, s: &RenameStmt) -> PgResult<Applied> {
        let kind = O::try_from(s.rename_type).unwrap_or(O::Undefined);
        match kind {
            O::ObjectTable
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectIndex
            | O::ObjectSequence
            | O::ObjectForeignTable => {
                let Some(rv) = s.relation.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_rangevar(rv);
                let Some(oid) = self.lookup_relation(&qn)? else {
                    if s.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "relation \"{}\" does not exist, skipping",
                            qn.name
                        )));
                    }
                    return Err(super::table::missing_relation(&qn).at(rv.location));
                };
                self.check_rename_kind(oid, kind, &qn.name)?;
                self.rename_relation_checked(oid, &s.newname)?;
            }
            O::ObjectColumn | O::ObjectAttribute => {
                if kind == O::ObjectAttribute || O::try_from(s.relation_type) == Ok(O::ObjectType) {
                    return self.rename_attribute(s);
                }
                let Some(rv) = s.relation.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_rangevar(rv);
                let Some(oid) = self.lookup_relation(&qn)? else {
                    if s.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "relation \"{}\" does not exist, skipping",
                            qn.name
                        )));
                    }
                    return Err(super::table::missing_relation(&qn).at(rv.location));
                };
                self.rename_column(oid, &s.subname, &s.newname, rv.inh, false)?;
            }
            O::ObjectTabconstraint => {
                let Some(rv) = s.relation.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_rangevar(rv);
                let Some(oid) = self.lookup_relation(&qn)? else {
                    if s.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "relation \"{}\" does not exist, skipping",
                            qn.name
                        )));
                    }
                    return Err(super::table::missing_relation(&qn));
                };
                self.rename_constraint(oid, &s.subname, &s.newname)?;
            }
            O::ObjectTrigger | O::ObjectPolicy => {
                let Some(rv) = s.relation.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_rangevar(rv);
                let oid = self.require_relation(&qn)?;
                let table_name = qn.name.clone();
                let (noun, prep) = if kind == O::ObjectTrigger {
                    ("trigger", "for relation")
                } else {
                    ("policy", "for table")
                };
                let rel = self.relation_mut(oid);
                let (triggers, policies) = match rel.map(|r| &mut r.body) {
                    Some(RelBody::Table(t)) => (Some(&mut t.triggers), Some(&mut t.policies)),
                    Some(RelBody::View(v)) if !v.materialized => (Some(&mut v.triggers), None),
                    _ => (None, None),
                };
                let names: Vec<String> = match (kind == O::ObjectTrigger, &triggers, &policies) {
                    (true, Some(t), _) => t.iter().map(|x| x.name.clone()).collect(),
                    (false, _, Some(p)) => p.iter().map(|x| x.name.clone()).collect(),
                    (true, ..) => {
                        return Err(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{table_name}\" is not a table, view, or foreign table"),
                        ));
                    }
                    (false, ..) => {
                        return Err(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{table_name}\" is not a table"),
                        ));
                    }
                };
                if !names.contains(&s.subname) {
                    let prep = "for table";
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!(
                            "{noun} \"{}\" {prep} \"{table_name}\" does not exist",
                            s.subname
                        ),
                    ));
                }
                if names.contains(&s.newname) {
                    return Err(PgError::new(
                        code::DUPLICATE_OBJECT,
                        format!(
                            "{noun} \"{}\" {prep} \"{table_name}\" already exists",
                            s.newname
                        ),
                    ));
                }
                if kind == O::ObjectTrigger {
                    if let Some(tg) =
                        triggers.and_then(|t| t.iter_mut().find(|x| x.name == s.subname))
                    {
                        tg.name = s.newname.clone();
                        if let Some(NodeEnum::CreateTrigStmt(ct)) = tg.stmt.node.as_mut() {
                            ct.trigname = s.newname.clone();
                        }
                    }
                } else if let Some(p) =
                    policies.and_then(|p| p.iter_mut().find(|x| x.name == s.subname))
                {
                    p.name = s.newname.clone();
                    if let Some(NodeEnum::CreatePolicyStmt(cp)) = p.stmt.node.as_mut() {
                        cp.policy_name = s.newname.clone();
                    }
                }
            }
            O::ObjectSchema => {
                let oid = self.lookup_schema(&s.subname)?;
                if self.schema_oid(&s.newname).is_some() {
                    return Err(PgError::new(
                        code::DUPLICATE_SCHEMA,
                        format!("schema \"{}\" already exists", s.newname),
                    ));
                }
                if s.newname.starts_with("pg_") {
                    return Err(PgError::new(
                        "42939",
                        format!("unacceptable schema name \"{}\"", s.newname),
                    )
                    .detail("The prefix \"pg_\" is reserved for system schemas."));
                }
                let old = s.subname.clone();
                self.rename_schema(oid, &s.newname);
                self.rewrite_everywhere(|q| {
                    expr::walk_mut(q, &mut |n| match n {
                        NodeEnum::RangeVar(rv) if rv.schemaname == old => {
                            rv.schemaname = s.newname.clone()
                        }
                        NodeEnum::TypeName(tn) => {
                            rename_schema_in_names(&mut tn.names, &old, &s.newname)
                        }
                        NodeEnum::TypeCast(tc) => {
                            if let Some(tn) = tc.type_name.as_mut() {
                                rename_schema_in_names(&mut tn.names, &old, &s.newname);
                            }
                        }
                        _ => {}
                    })
                });
                self.rewrite_sequence_literals(None, &old, None, &s.newname, None);
            }
            O::ObjectType | O::ObjectDomain => {
                let Some(obj) = s.object.as_deref() else {
                    return Ok(Applied::Schema);
                };
                let names = match obj.node.as_ref() {
                    Some(NodeEnum::List(l)) => strings(&l.items),
                    Some(NodeEnum::TypeName(tn)) => strings(&tn.names),
                    _ => Vec::new(),
                };
                let qn = qual_name(&names);
                let oid = match self.lookup_user_type(&qn) {
                    Ok(o) => o,
                    Err(e) if s.missing_ok && e.sqlstate == code::UNDEFINED_OBJECT => {
                        return Ok(Applied::Skipped(format!(
                            "type \"{qn}\" does not exist, skipping"
                        )));
                    }
                    Err(e) => return Err(e),
                };
                self.rename_type_checked(oid, None, &s.newname)?;
            }
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine | O::ObjectAggregate => {
                let Some(NodeEnum::ObjectWithArgs(owa)) =
                    s.object.as_deref().and_then(|o| o.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                let oid = self
                    .lookup_function_with_args(owa, kind)?
                    .map_err(|m| m.error)?;
                let Some(f) = self.function(oid).cloned() else {
                    return Ok(Applied::Schema);
                };
                let clash = self.functions.values().any(|g| {
                    g.oid != oid
                        && g.schema == f.schema
                        && g.name == s.newname
                        && g.input_types() == f.input_types()
                });
                if clash {
                    return Err(PgError::new(
                        code::DUPLICATE_FUNCTION,
                        format!(
                            "function {}({}) already exists in schema \"{}\"",
                            s.newname,
                            f.input_types()
                                .iter()
                                .map(|t| self.type_display(t))
                                .collect::<Vec<_>>()
                                .join(", "),
                            self.schema_name(f.schema)
                        ),
                    ));
                }
                let schema_name = self.schema_name(f.schema).to_string();
                if let Some(func) = self.functions.get_mut(&oid) {
                    func.name = s.newname.clone();
                    if let Some(NodeEnum::CreateFunctionStmt(cf)) = func.stmt.node.as_mut() {
                        cf.funcname = vec![
                            expr::string_node(&schema_name),
                            expr::string_node(&s.newname),
                        ];
                    }
                }
                self.refresh_trigger_function_names(oid);
            }
            O::ObjectDomconstraint | O::ObjectRule | O::ObjectEventTrigger => {
                return Ok(Applied::Opaque(
                    "RENAME of this object is not simulated".into(),
                ));
            }
            O::ObjectDatabase | O::ObjectRole | O::ObjectTablespace => {
                return Ok(Applied::Privilege);
            }
            _ => {
                return Ok(Applied::Opaque(
                    "RENAME of this object is not simulated".into(),
                ));
            }
        }
        Ok(Applied::Schema)
    }

    fn check_rename_kind(&self, oid: Oid, kind: O, name: &str) -> PgResult<()> {
        let Some(rel) = self.relation(oid) else {
            return Ok(());
        };
        let err = |what: &str| {
            Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{name}\" is not {what}"),
            ))
        };
        match (kind, &rel.body) {
            (O::ObjectSequence, RelBody::Sequence(_)) => Ok(()),
            (O::ObjectSequence, _) => err("a sequence"),
            (O::ObjectView, RelBody::View(v)) if !v.materialized => Ok(()),
            (O::ObjectView, _) => err("a view"),
            (O::ObjectMatview, RelBody::View(v)) if v.materialized => Ok(()),
            (O::ObjectMatview, _) => err("a materialized view"),
            (_, RelBody::CompositeType(_)) => Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{name}\" is a composite type"),
            )
            .hint("Use ALTER TYPE instead.")),
            _ => Ok(()),
        }
    }

    /// Renames a relation: its row type too, and the constraint an index
    /// implements (`RenameRelationInternal`).
    pub(crate) fn rename_relation_checked(&mut self, oid: Oid, new: &str) -> PgResult<()> {
        let Some(rel) = self.relation(oid) else {
            return Ok(());
        };
        let schema = rel.schema;
        let index_constraint = match &rel.body {
            RelBody::Index(i) => i.constraint.map(|c| (i.table, c)),
            _ => None,
        };
        if self.rel_name_taken(schema, new) {
            return Err(PgError::new(
                code::DUPLICATE_TABLE,
                format!("relation \"{new}\" already exists"),
            ));
        }
        if rel.has_columns() && self.type_in_schema(schema, new).is_some() {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("type \"{new}\" already exists"),
            ));
        }
        self.move_relation(oid, schema, new);
        if let Some((table, con)) = index_constraint {
            self.set_constraint_name(table, con, new);
        }
        Ok(())
    }

    /// Gives a relation a new schema and/or name and rewrites the places
    /// that spell its old name.
    fn move_relation(&mut self, oid: Oid, schema: Oid, new: &str) {
        let Some(rel) = self.relation(oid) else {
            return;
        };
        let old_name = rel.name.clone();
        let is_sequence = rel.sequence().is_some();
        let old_schema = self.schema_name(rel.schema).to_string();
        let new_schema = self.schema_name(schema).to_string();
        self.rename_relation(oid, schema, new);
        let rename = QueryRename::Relation {
            schema: &old_schema,
            old: &old_name,
            new_schema: &new_schema,
            new,
        };
        self.rewrite_views(oid, |q| rename_in_query(q, &rename));
        self.rewrite_stmt_relations(oid, &old_schema, &old_name, &new_schema, new);
        if is_sequence {
            self.rewrite_sequence_literals(
                Some(oid),
                &old_schema,
                Some(&old_name),
                &new_schema,
                Some(new),
            );
        }
    }

    /// `recursing`: renaming a child's copy as part of its parent's rename,
    /// which PostgreSQL allows for inherited columns.
    fn rename_column(
        &mut self,
        oid: Oid,
        old: &str,
        new: &str,
        recurse: bool,
        recursing: bool,
    ) -> PgResult<()> {
        let (schema, table_name) = self.rel_schema_name(oid);
        match self.relation(oid).map(|r| &r.body) {
            Some(RelBody::Table(t)) => {
                let Some(col) = t.column(old) else {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{old}\" does not exist"),
                    ));
                };
                if !recursing && col.inherit_count > 0 {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!("cannot rename inherited column \"{old}\""),
                    ));
                }
                if t.column(new).is_some() {
                    return Err(PgError::new(
                        code::DUPLICATE_COLUMN,
                        format!("column \"{new}\" of relation \"{table_name}\" already exists"),
                    ));
                }
            }
            Some(RelBody::View(v)) => {
                let Some(pos) = v.columns.iter().position(|c| c.name == old) else {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{old}\" does not exist"),
                    ));
                };
                if v.columns.iter().any(|c| c.name == new) {
                    return Err(PgError::new(
                        code::DUPLICATE_COLUMN,
                        format!("column \"{new}\" of relation \"{table_name}\" already exists"),
                    ));
                }
                if let Some(RelBody::View(v)) = self.relation_mut(oid).map(|r| &mut r.body) {
                    v.columns[pos].name = new.to_string();
                    set_output_name(&mut v.query, pos, new);
                    rename_trigger_columns(&mut v.triggers, old, new);
                }
                return Ok(());
            }
            Some(RelBody::Index(_)) => {
                return Ok(());
            }
            _ => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!(
                        "\"{table_name}\" is not a table, view, materialized view, composite type, index, or foreign table"
                    ),
                ));
            }
        }
        if let Some(t) = self.table_mut(oid) {
            if let Some(c) = t.column_mut(old) {
                c.name = new.to_string();
            }
            for c in &mut t.columns {
                if let Some(g) = c.generated.as_mut() {
                    expr::rename_column_refs(g, old, new);
                }
            }
            for c in &mut t.constraints {
                if let ConstraintKind::Check { expr: e } = &mut c.kind {
                    expr::rename_column_refs(e, old, new);
                }
            }
            for p in &mut t.policies {
                expr::walk_mut(&mut p.stmt, &mut |n| {
                    if let NodeEnum::CreatePolicyStmt(cp) = n {
                        for e in [cp.qual.as_deref_mut(), cp.with_check.as_deref_mut()]
                            .into_iter()
                            .flatten()
                        {
                            expr::rename_column_refs(e, old, new);
                        }
                    }
                });
            }
            rename_trigger_columns(&mut t.triggers, old, new);
        }
        let indexes: Vec<Oid> = self
            .table(oid)
            .map(|t| t.indexes.clone())
            .unwrap_or_default();
        for idx in indexes {
            if let Some(RelBody::Index(i)) = self.relation_mut(idx).map(|r| &mut r.body) {
                for k in &mut i.keys {
                    if let IndexTarget::Expr(e) = &mut k.target {
                        expr::rename_column_refs(e, old, new);
                    }
                }
                if let Some(p) = i.predicate.as_mut() {
                    expr::rename_column_refs(p, old, new);
                }
            }
        }
        let schema_name = self.schema_name(schema).to_string();
        let rename = QueryRename::Column {
            schema: &schema_name,
            table: &table_name,
            old,
            new,
        };
        self.rewrite_views(oid, |q| rename_in_query(q, &rename));
        if recurse {
            for child in self.child_tables(oid) {
                if self.table(child).is_some_and(|t| {
                    t.column(old)
                        .is_some_and(|c| !c.is_local || c.inherit_count > 0)
                }) {
                    self.rename_column(child, old, new, true, true)?;
                }
            }
        }
        Ok(())
    }

    fn rename_constraint(&mut self, oid: Oid, old: &str, new: &str) -> PgResult<()> {
        let table_name = self.rel_name(oid).to_string();
        let schema = self.relation(oid).map_or(0, |r| r.schema);
        let Some(con) = self.table(oid).and_then(|t| t.constraint(old)).cloned() else {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("constraint \"{old}\" for table \"{table_name}\" does not exist"),
            ));
        };
        if self.table(oid).is_some_and(|t| t.constraint(new).is_some()) {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("constraint \"{new}\" for relation \"{table_name}\" already exists"),
            ));
        }
        if let Some(idx) = con.kind.index() {
            if self.rel_name_taken(schema, new) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{new}\" already exists"),
                ));
            }
            self.move_relation(idx, schema, new);
        }
        self.set_constraint_name(oid, con.oid, new);
        Ok(())
    }

    fn rename_attribute(&mut self, s: &RenameStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let oid = self.lookup_user_type(&qn)?;
        if let Some(TypeKind::Composite { attributes, .. }) =
            self.types.get_mut(&oid).map(|t| &mut t.kind)
        {
            if attributes.iter().any(|a| a.0 == s.newname) {
                return Err(PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!(
                        "column \"{}\" of relation \"{}\" already exists",
                        s.newname, qn.name
                    ),
                ));
            }
            match attributes.iter_mut().find(|a| a.0 == s.subname) {
                Some(a) => a.0 = s.newname.clone(),
                None => {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{}\" does not exist", s.subname),
                    ));
                }
            }
        }
        Ok(Applied::Schema)
    }

    /// Renames and/or moves a type, with its array type and, for composite
    /// types, its relation.
    fn rename_type_checked(
        &mut self,
        oid: Oid,
        new_schema: Option<Oid>,
        new: &str,
    ) -> PgResult<()> {
        let Some(t) = self.user_type(oid).cloned() else {
            return Ok(());
        };
        let schema = new_schema.unwrap_or(t.schema);
        if self.type_name_taken(schema, new) && !(schema == t.schema && new == t.name) {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("type \"{new}\" already exists"),
            ));
        }
        if let TypeKind::Composite { relation, .. } = &t.kind {
            if self.rel_name_taken(schema, new) && !(schema == t.schema && new == t.name) {
                return Err(PgError::new(
                    code::DUPLICATE_TABLE,
                    format!("relation \"{new}\" already exists"),
                ));
            }
            self.rename_relation(*relation, schema, new);
        }
        let old_schema = self.schema_name(t.schema).to_string();
        let new_schema_name = self.schema_name(schema).to_string();
        self.rename_type(oid, schema, new);
        let rename = QueryRename::Type {
            schema: &old_schema,
            old: &t.name,
            new_schema: &new_schema_name,
            new,
        };
        self.rewrite_everywhere(|q| rename_in_query(q, &rename));
        Ok(())
    }

    pub(super) fn set_schema(&mut self, s: &AlterObjectSchemaStmt) -> PgResult<Applied> {
        let kind = O::try_from(s.object_type).unwrap_or(O::Undefined);
        let target = self.lookup_schema(&s.newschema)?;
        match kind {
            O::ObjectTable
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectSequence
            | O::ObjectForeignTable => {
                let Some(rv) = s.relation.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_rangevar(rv);
                let Some(oid) = self.lookup_relation(&qn)? else {
                    if s.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "relation \"{}\" does not exist, skipping",
                            qn.name
                        )));
                    }
                    return Err(super::table::missing_relation(&qn));
                };
                self.check_rename_kind(oid, kind, &qn.name)?;
                let Some(rel) = self.relation(oid).cloned() else {
                    return Ok(Applied::Schema);
                };
                if rel.schema == target {
                    return Ok(Applied::Schema);
                }
                if self.rel_name_taken(target, &rel.name) {
                    return Err(PgError::new(
                        code::DUPLICATE_TABLE,
                        format!(
                            "relation \"{}\" already exists in schema \"{}\"",
                            rel.name, s.newschema
                        ),
                    ));
                }
                if rel.sequence().is_some_and(|q| q.owned_by.is_some()) {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "cannot move an owned sequence into another schema",
                    )
                    .detail(format!(
                        "Sequence \"{}\" is linked to table \"{}\".",
                        rel.name,
                        self.rel_name(rel.sequence().and_then(|q| q.owned_by).map_or(0, |o| o.0))
                    )));
                }
                // Indexes and owned sequences move with a table.
                let mut moved = vec![oid];
                if let Some(t) = rel.table() {
                    moved.extend(t.indexes.iter().copied());
                    moved.extend(
                        self.relations
                            .values()
                            .filter(|r| {
                                r.sequence()
                                    .is_some_and(|q| q.owned_by.is_some_and(|o| o.0 == oid))
                            })
                            .map(|r| r.oid),
                    );
                }
                for m in moved {
                    let name = self.rel_name(m).to_string();
                    if m != oid && self.rel_name_taken(target, &name) {
                        return Err(PgError::new(
                            code::DUPLICATE_TABLE,
                            format!(
                                "relation \"{name}\" already exists in schema \"{}\"",
                                s.newschema
                            ),
                        ));
                    }
                    self.move_relation(m, target, &name);
                }
            }
            O::ObjectType | O::ObjectDomain => {
                let Some(obj) = s.object.as_deref() else {
                    return Ok(Applied::Schema);
                };
                let names = match obj.node.as_ref() {
                    Some(NodeEnum::List(l)) => strings(&l.items),
                    Some(NodeEnum::TypeName(tn)) => strings(&tn.names),
                    _ => Vec::new(),
                };
                let qn = qual_name(&names);
                let oid = self.lookup_user_type(&qn)?;
                let name = self
                    .user_type(oid)
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                if self.user_type(oid).is_some_and(|t| t.schema == target) {
                    return Ok(Applied::Schema);
                }
                if self.type_name_taken(target, &name) {
                    return Err(PgError::new(
                        code::DUPLICATE_OBJECT,
                        format!(
                            "type \"{name}\" already exists in schema \"{}\"",
                            s.newschema
                        ),
                    ));
                }
                self.rename_type_checked(oid, Some(target), &name)?;
            }
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine => {
                let Some(NodeEnum::ObjectWithArgs(owa)) =
                    s.object.as_deref().and_then(|o| o.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                let oid = self
                    .lookup_function_with_args(owa, kind)?
                    .map_err(|m| m.error)?;
                let name = self
                    .function(oid)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                let schema_name = s.newschema.clone();
                if let Some(f) = self.functions.get_mut(&oid) {
                    f.schema = target;
                    if let Some(NodeEnum::CreateFunctionStmt(cf)) = f.stmt.node.as_mut() {
                        cf.funcname =
                            vec![expr::string_node(&schema_name), expr::string_node(&name)];
                    }
                }
                self.refresh_trigger_function_names(oid);
            }
            O::ObjectExtension => {
                let name = s
                    .object
                    .as_deref()
                    .and_then(str_of)
                    .unwrap_or_default()
                    .to_string();
                let Some(eoid) = self.extension_by_name(&name).map(|e| e.oid) else {
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!("extension \"{name}\" does not exist"),
                    ));
                };
                if let Some(e) = self.extensions.get_mut(&eoid) {
                    e.schema = target;
                }
                let members: Vec<Oid> = self
                    .types
                    .values()
                    .filter(|t| t.extension == Some(eoid))
                    .map(|t| t.oid)
                    .collect();
                for m in members {
                    let n = self
                        .user_type(m)
                        .map(|t| t.name.clone())
                        .unwrap_or_default();
                    self.rename_type(m, target, &n);
                }
            }
            _ => {
                return Ok(Applied::Opaque(
                    "SET SCHEMA of this object is not simulated".into(),
                ));
            }
        }
        Ok(Applied::Schema)
    }

    /// Applies `f` to the stored queries of the views that may use `target`.
    fn rewrite_views(&mut self, target: Oid, mut f: impl FnMut(&mut pg_query::protobuf::Node)) {
        let views: Vec<Oid> = self
            .referrers(target)
            .filter(|r| r.view().is_some())
            .map(|r| r.oid)
            .collect();
        for v in views {
            if let Some(RelBody::View(view)) = self.relation_mut(v).map(|r| &mut r.body) {
                f(&mut view.query);
            }
        }
    }

    /// Applies `f` to every stored query and expression.
    fn rewrite_everywhere(&mut self, mut f: impl FnMut(&mut pg_query::protobuf::Node)) {
        for r in self.relations.values_mut() {
            match &mut r.body {
                RelBody::View(v) => {
                    f(&mut v.query);
                    for tg in &mut v.triggers {
                        f(&mut tg.stmt);
                    }
                }
                RelBody::Table(t) => {
                    for c in &mut t.columns {
                        if let Some(d) = c.default.as_mut() {
                            f(d);
                        }
                        if let Some(g) = c.generated.as_mut() {
                            f(g);
                        }
                    }
                    for c in &mut t.constraints {
                        if let ConstraintKind::Check { expr: e } = &mut c.kind {
                            f(e);
                        }
                    }
                    for tg in &mut t.triggers {
                        f(&mut tg.stmt);
                    }
                    for p in &mut t.policies {
                        f(&mut p.stmt);
                    }
                }
                RelBody::Index(i) => {
                    for k in &mut i.keys {
                        if let IndexTarget::Expr(e) = &mut k.target {
                            f(e);
                        }
                    }
                    if let Some(p) = i.predicate.as_mut() {
                        f(p);
                    }
                }
                _ => {}
            }
        }
        for func in self.functions.values_mut() {
            f(&mut func.stmt);
        }
    }

    /// Trigger and policy statements name their table; keep them in step.
    fn rewrite_stmt_relations(
        &mut self,
        table: Oid,
        old_schema: &str,
        old: &str,
        new_schema: &str,
        new: &str,
    ) {
        if let Some(r) = self.relation_mut(table) {
            if let Some(tgs) = r.triggers_mut() {
                for tg in tgs {
                    fix_rangevars(&mut tg.stmt, old_schema, old, new_schema, new);
                }
            }
            if let RelBody::Table(t) = &mut r.body {
                for p in &mut t.policies {
                    fix_rangevars(&mut p.stmt, old_schema, old, new_schema, new);
                }
            }
        }
    }

    /// `nextval('schema.seq')` literals follow a renamed sequence (the
    /// tables that may use it) or schema (all tables).
    fn rewrite_sequence_literals(
        &mut self,
        seq: Option<Oid>,
        old_schema: &str,
        old: Option<&str>,
        new_schema: &str,
        new: Option<&str>,
    ) {
        let rewrite = |lit: &str| -> Option<String> {
            let q = expr::parse_regclass_literal(lit);
            if q.schema.as_deref() != Some(old_schema) {
                return None;
            }
            if let Some(o) = old
                && q.name != o
            {
                return None;
            }
            let name = new.unwrap_or(&q.name);
            Some(crate::catalog::names::quote_qualified(new_schema, name))
        };
        let tables: Vec<Oid> = match seq {
            Some(s) => self.referrers(s).map(|r| r.oid).collect(),
            None => self.relations.keys().copied().collect(),
        };
        for t in tables {
            if let Some(RelBody::Table(t)) = self.relation_mut(t).map(|r| &mut r.body) {
                for c in &mut t.columns {
                    if let Some(d) = c.default.as_mut() {
                        rewrite_nextval(d, &rewrite);
                    }
                }
            }
        }
    }

    fn refresh_trigger_function_names(&mut self, func: Oid) {
        let Some(f) = self.function(func).cloned() else {
            return;
        };
        let schema_name = self.schema_name(f.schema).to_string();
        for r in self.relations.values_mut() {
            if let Some(tgs) = r.triggers_mut() {
                for tg in tgs.iter_mut().filter(|tg| tg.function == func) {
                    if let Some(NodeEnum::CreateTrigStmt(ct)) = tg.stmt.node.as_mut() {
                        ct.funcname =
                            vec![expr::string_node(&schema_name), expr::string_node(&f.name)];
                    }
                }
            }
        }
    }
}

/// `UPDATE OF col` lists name their columns; keep them in step.
fn rename_trigger_columns(triggers: &mut [Trigger], old: &str, new: &str) {
    for tg in triggers {
        if let Some(NodeEnum::CreateTrigStmt(ct)) = tg.stmt.node.as_mut() {
            for c in &mut ct.columns {
                if let Some(NodeEnum::String(s)) = c.node.as_mut()
                    && s.sval == old
                {
                    s.sval = new.to_string();
                }
            }
        }
    }
}

fn qual_name(names: &[&str]) -> QualName {
    match names {
        [n] => QualName::bare(n),
        [.., s, n] => QualName::new(Some(s), n),
        [] => QualName::bare(""),
    }
}

fn rename_schema_in_names(names: &mut [pg_query::protobuf::Node], old: &str, new: &str) {
    if names.len() == 2
        && let Some(NodeEnum::String(s)) = names[0].node.as_mut()
        && s.sval == old
    {
        s.sval = new.to_string();
    }
}

fn fix_rangevars(
    stmt: &mut pg_query::protobuf::Node,
    old_schema: &str,
    old: &str,
    new_schema: &str,
    new: &str,
) {
    let fix = |rv: &mut pg_query::protobuf::RangeVar| {
        if rv.schemaname == old_schema && rv.relname == old {
            rv.schemaname = new_schema.to_string();
            rv.relname = new.to_string();
        }
    };
    match stmt.node.as_mut() {
        Some(NodeEnum::CreateTrigStmt(ct)) => {
            if let Some(r) = ct.relation.as_mut() {
                fix(r);
            }
        }
        Some(NodeEnum::CreatePolicyStmt(cp)) => {
            if let Some(r) = cp.table.as_mut() {
                fix(r);
            }
        }
        _ => {}
    }
}

fn rewrite_nextval(e: &mut pg_query::protobuf::Node, rewrite: &dyn Fn(&str) -> Option<String>) {
    expr::walk_mut(e, &mut |n| {
        let NodeEnum::FuncCall(fc) = n else { return };
        if fc.funcname.last().and_then(str_of) != Some("nextval") {
            return;
        }
        for a in &mut fc.args {
            expr::walk_mut(a, &mut |x| {
                if let NodeEnum::AConst(c) = x
                    && let Some(pg_query::protobuf::a_const::Val::Sval(s)) = c.val.as_mut()
                    && let Some(new) = rewrite(&s.sval)
                {
                    s.sval = new;
                }
            });
        }
    });
}

/// Sets the output name of column `pos` of a canonical view query.
pub(crate) fn set_output_name(query: &mut pg_query::protobuf::Node, pos: usize, name: &str) {
    let Some(NodeEnum::SelectStmt(s)) = query.node.as_mut() else {
        return;
    };
    let mut s: &mut pg_query::protobuf::SelectStmt = s;
    while s.larg.is_some() {
        let Some(l) = s.larg.as_deref_mut() else {
            break;
        };
        s = l;
    }
    if let Some(NodeEnum::ResTarget(rt)) = s.target_list.get_mut(pos).and_then(|t| t.node.as_mut())
    {
        rt.name = name.to_string();
    }
}
