//! ALTER TABLE (and ALTER VIEW / INDEX / TYPE ... ADD ATTRIBUTE, which share
//! its statement): every subcommand in common use, applied in PostgreSQL's
//! pass order so that one statement's subcommands see each other as
//! PostgreSQL's do.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    self, AlterTableCmd, AlterTableStmt, AlterTableType as AT, Node, ObjectType,
};

use super::constraint::{AddContext, PendingConstraint};
use super::table::{ColumnSource, PendingSequence, PendingWork, missing_relation};
use super::{Applied, is_cascade};
use crate::catalog::builtins::CastContext;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{qual_from_rangevar, strings};
use crate::catalog::{Catalog, ColType};

/// `AlterTablePass` order from PostgreSQL's tablecmds.c.
fn pass_of(cmd: &AlterTableCmd) -> u8 {
    let t = AT::try_from(cmd.subtype).unwrap_or(AT::Undefined);
    match t {
        AT::AtDropColumn | AT::AtDropConstraint | AT::AtDropNotNull | AT::AtDropExpression => 0,
        AT::AtColumnDefault if cmd.def.is_none() => 0,
        AT::AtAlterColumnType => 1,
        AT::AtAddColumn | AT::AtAddColumnToView => 4,
        AT::AtAddConstraint => match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
            Some(NodeEnum::Constraint(c)) => match protobuf::ConstrType::try_from(c.contype) {
                Ok(protobuf::ConstrType::ConstrCheck) => 5,
                Ok(
                    protobuf::ConstrType::ConstrPrimary
                    | protobuf::ConstrType::ConstrUnique
                    | protobuf::ConstrType::ConstrExclusion,
                ) => 7,
                _ => 9,
            },
            _ => 9,
        },
        AT::AtSetNotNull | AT::AtSetIdentity | AT::AtDropIdentity => 6,
        AT::AtColumnDefault | AT::AtAddIdentity => 9,
        _ => 10,
    }
}

impl Catalog {
    pub(super) fn alter_table(&mut self, s: &AlterTableStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Err(PgError::new(code::SYNTAX_ERROR, "ALTER without a relation"));
        };
        let qn = qual_from_rangevar(rv);
        let objtype = ObjectType::try_from(s.objtype).unwrap_or(ObjectType::ObjectTable);
        if objtype == ObjectType::ObjectType {
            return self.alter_composite_type(s);
        }
        let oid = match self.lookup_relation(&qn) {
            Ok(Some(oid)) => oid,
            Ok(None) if s.missing_ok => {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" does not exist, skipping",
                    qn.name
                )));
            }
            Ok(None) => return Err(missing_relation(&qn).at(rv.location)),
            Err(e) if s.missing_ok && e.sqlstate == code::INVALID_SCHEMA_NAME => {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" does not exist, skipping",
                    qn.name
                )));
            }
            Err(e) => return Err(e.at(rv.location)),
        };
        self.check_alter_kind(oid, objtype, &qn.name)?;
        let mut cmds: Vec<&AlterTableCmd> = s
            .cmds
            .iter()
            .filter_map(|c| match c.node.as_ref() {
                Some(NodeEnum::AlterTableCmd(c)) => Some(&**c),
                _ => None,
            })
            .collect();
        cmds.sort_by_key(|c| pass_of(c));
        let recurse = rv.inh;
        let mut applied = Applied::Schema;
        let mut notices = Vec::new();
        for cmd in cmds {
            match self.alter_table_cmd(oid, cmd, recurse)? {
                Applied::Skipped(n) => notices.push(n),
                Applied::Opaque(r) => applied = Applied::Opaque(r),
                _ => {}
            }
        }
        if !notices.is_empty() && s.cmds.len() == notices.len() {
            return Ok(Applied::Skipped(notices.join("\n")));
        }
        Ok(applied)
    }

    fn check_alter_kind(&self, oid: Oid, objtype: ObjectType, name: &str) -> PgResult<()> {
        let Some(rel) = self.relation(oid) else {
            return Ok(());
        };
        let wrong = |what: &str| {
            Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{name}\" is not {what}"),
            ))
        };
        match (objtype, &rel.body) {
            (ObjectType::ObjectView, RelBody::View(v)) if !v.materialized => Ok(()),
            (ObjectType::ObjectView, _) => wrong("a view"),
            (ObjectType::ObjectMatview, RelBody::View(v)) if v.materialized => Ok(()),
            (ObjectType::ObjectMatview, _) => wrong("a materialized view"),
            (ObjectType::ObjectIndex, RelBody::Index(_)) => Ok(()),
            (ObjectType::ObjectIndex, _) => wrong("an index"),
            (ObjectType::ObjectSequence, RelBody::Sequence(_)) => Ok(()),
            (ObjectType::ObjectSequence, _) => wrong("a sequence"),
            (_, RelBody::CompositeType(_)) => Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{name}\" is a composite type"),
            )
            .hint("Use ALTER TYPE instead.")),
            _ => Ok(()),
        }
    }

    fn require_table(&self, oid: Oid, what: &str) -> PgResult<()> {
        match self.relation(oid).map(|r| &r.body) {
            Some(RelBody::Table(_)) => Ok(()),
            Some(_) => Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a table{what}", self.rel_name(oid)),
            )),
            None => Ok(()),
        }
    }

    fn alter_table_cmd(
        &mut self,
        oid: Oid,
        cmd: &AlterTableCmd,
        recurse: bool,
    ) -> PgResult<Applied> {
        let t = AT::try_from(cmd.subtype).unwrap_or(AT::Undefined);
        let table_name = self.rel_name(oid).to_string();
        match t {
            AT::AtAddColumn | AT::AtAddColumnToView => {
                let Some(NodeEnum::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                self.require_table(oid, "")?;
                if cmd.missing_ok
                    && self
                        .table(oid)
                        .is_some_and(|t| t.column(&cd.colname).is_some())
                {
                    return Ok(Applied::Skipped(format!(
                        "column \"{}\" of relation \"{table_name}\" already exists, skipping",
                        cd.colname
                    )));
                }
                self.add_column(oid, cd, recurse)?;
            }
            AT::AtDropColumn => {
                self.require_table(oid, "")?;
                if super::table::SYSTEM_COLUMNS.contains(&cmd.name.as_str()) {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        format!("cannot drop system column \"{}\"", cmd.name),
                    ));
                }
                let Some(col) = self.table(oid).and_then(|t| t.column(&cmd.name)).cloned() else {
                    if cmd.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "column \"{}\" of relation \"{table_name}\" does not exist, skipping",
                            cmd.name
                        )));
                    }
                    return Err(no_column(&cmd.name, &table_name));
                };
                if col.inherit_count > 0 && !col.is_local {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!("cannot drop inherited column \"{}\"", cmd.name),
                    ));
                }
                if self.column_in_partition_key(oid, &cmd.name) {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!(
                            "cannot drop column \"{}\" because it is part of the partition key of relation \"{table_name}\"",
                            cmd.name
                        ),
                    ));
                }
                let children = self.child_tables(oid);
                self.drop_objects(&[ObjRef::Column(oid, col.attnum)], is_cascade(cmd.behavior))?;
                if recurse {
                    for child in children {
                        if let Some(c) =
                            self.table(child).and_then(|t| t.column(&cmd.name)).cloned()
                            && !c.is_local
                        {
                            self.drop_objects(
                                &[ObjRef::Column(child, c.attnum)],
                                is_cascade(cmd.behavior),
                            )?;
                        }
                    }
                }
            }
            AT::AtAlterColumnType => self.alter_column_type(oid, cmd)?,
            AT::AtColumnDefault => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                if col.generated.is_some() {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        format!(
                            "column \"{}\" of relation \"{table_name}\" is a generated column",
                            cmd.name
                        ),
                    )
                    .hint("Use ALTER TABLE ... ALTER COLUMN ... SET EXPRESSION instead."));
                }
                if col.identity.is_some() {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        format!(
                            "column \"{}\" of relation \"{table_name}\" is an identity column",
                            cmd.name
                        ),
                    )
                    .hint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead."));
                }
                let default = match cmd.def.as_deref() {
                    Some(raw) => Some(self.cook_default(raw, &col.ty, &cmd.name)?),
                    None => None,
                };
                // A view keeps defaults for INSERTs through it.
                if let Some(RelBody::View(v)) = self.relation_mut(oid).map(|r| &mut r.body) {
                    if let Some(vc) = v.columns.get_mut((col.attnum as usize).saturating_sub(1)) {
                        vc.default = default;
                    }
                } else {
                    let refs = default.is_some();
                    self.set_column(oid, col.attnum, |c| c.default = default);
                    if refs {
                        self.note_table_refs(oid);
                    }
                }
            }
            AT::AtDropNotNull => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                if let Some(t) = self.table(oid)
                    && let Some(pk) = t.primary_key()
                    && self.index_covers(pk.kind.index(), col.attnum)
                {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!("column \"{}\" is in a primary key", cmd.name),
                    ));
                }
                if col.identity.is_some() {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!(
                            "column \"{}\" of relation \"{table_name}\" is an identity column",
                            cmd.name
                        ),
                    ));
                }
                self.set_column(oid, col.attnum, |c| c.not_null = false);
            }
            AT::AtSetNotNull => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                self.require_table(oid, "")?;
                self.set_column(oid, col.attnum, |c| c.not_null = true);
                if recurse {
                    for child in self.child_tables(oid) {
                        if let Some(c) = self
                            .table(child)
                            .and_then(|t| t.column(&cmd.name))
                            .map(|c| c.attnum)
                        {
                            self.set_column(child, c, |c| c.not_null = true);
                        }
                    }
                }
            }
            AT::AtAddConstraint | AT::AtAddIndexConstraint => {
                let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                if self.relation(oid).and_then(Relation::table).is_none() {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{table_name}\" is not a table"),
                    ));
                }
                self.add_constraints(
                    oid,
                    vec![PendingConstraint::from_table(c)],
                    AddContext::AlterTable,
                )?;
            }
            AT::AtDropConstraint => {
                let Some(con) = self
                    .table(oid)
                    .and_then(|t| t.constraint(&cmd.name))
                    .cloned()
                else {
                    if cmd.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "constraint \"{}\" of relation \"{table_name}\" does not exist, skipping",
                            cmd.name
                        )));
                    }
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!(
                            "constraint \"{}\" of relation \"{table_name}\" does not exist",
                            cmd.name
                        ),
                    ));
                };
                if !con.is_local {
                    return Err(PgError::new(
                        code::INVALID_TABLE_DEFINITION,
                        format!(
                            "cannot drop inherited constraint \"{}\" of relation \"{table_name}\"",
                            cmd.name
                        ),
                    ));
                }
                self.drop_objects(
                    &[ObjRef::Constraint(oid, con.oid)],
                    is_cascade(cmd.behavior),
                )?;
                if recurse {
                    for child in self.child_tables(oid) {
                        if let Some(c) = self
                            .table(child)
                            .and_then(|t| t.constraint(&cmd.name))
                            .cloned()
                            && !c.is_local
                        {
                            self.drop_objects(
                                &[ObjRef::Constraint(child, c.oid)],
                                is_cascade(cmd.behavior),
                            )?;
                        }
                    }
                }
            }
            AT::AtValidateConstraint => {
                let Some(con) = self
                    .table(oid)
                    .and_then(|t| t.constraint(&cmd.name))
                    .cloned()
                else {
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!(
                            "constraint \"{}\" of relation \"{table_name}\" does not exist",
                            cmd.name
                        ),
                    ));
                };
                if !matches!(
                    con.kind,
                    ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. }
                ) {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!(
                            "constraint \"{}\" of relation \"{table_name}\" is not a foreign key or check constraint",
                            cmd.name
                        ),
                    ));
                }
                self.set_constraint(oid, con.oid, |c| c.validated = true);
            }
            AT::AtAlterConstraint => {
                // libpg_query 18 gives an `ATAlterConstraint`; older parsers a
                // `Constraint`.
                let (conname, d, i) = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::AtalterConstraint(a)) => {
                        if a.alter_enforceability || a.alter_inheritability {
                            // PostgreSQL 15 has only ALTER CONSTRAINT ... [NOT] DEFERRABLE.
                            let word = if a.alter_enforceability {
                                "ENFORCED"
                            } else {
                                "INHERIT"
                            };
                            return Err(PgError::new(
                                code::SYNTAX_ERROR,
                                format!("syntax error at or near \"{word}\""),
                            ));
                        }
                        (a.conname.clone(), a.deferrable, a.initdeferred)
                    }
                    Some(NodeEnum::Constraint(c)) => {
                        (c.conname.clone(), c.deferrable, c.initdeferred)
                    }
                    _ => return Ok(Applied::Schema),
                };
                let Some(con) = self
                    .table(oid)
                    .and_then(|t| t.constraint(&conname))
                    .cloned()
                else {
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!(
                            "constraint \"{conname}\" of relation \"{table_name}\" does not exist"
                        ),
                    ));
                };
                if !matches!(con.kind, ConstraintKind::ForeignKey(_)) {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!(
                            "constraint \"{conname}\" of relation \"{table_name}\" is not a foreign key constraint"
                        ),
                    ));
                }
                self.set_constraint(oid, con.oid, |c| {
                    c.deferrable = d;
                    c.initially_deferred = i;
                });
            }
            AT::AtSetStatistics => {
                let col = self.column_for_alter_any(oid, cmd)?;
                let value = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::Integer(i)) => i.ival,
                    Some(n) => super::node_value_text(n).parse().unwrap_or(-1),
                    None => -1,
                };
                if let Some(attnum) = col {
                    self.set_column(oid, attnum, |c| {
                        c.statistics = (value >= 0).then_some(value)
                    });
                }
            }
            AT::AtSetStorage => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                let storage = cmd
                    .def
                    .as_ref()
                    .and_then(|d| d.node.as_ref())
                    .map(super::node_value_text)
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                self.set_column(oid, col.attnum, |c| c.storage = Some(storage));
            }
            AT::AtSetCompression => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                let method = cmd
                    .def
                    .as_ref()
                    .and_then(|d| d.node.as_ref())
                    .map(super::node_value_text)
                    .unwrap_or_default();
                self.set_column(oid, col.attnum, |c| {
                    c.compression = (method != "default").then_some(method)
                });
            }
            AT::AtSetRelOptions | AT::AtResetRelOptions | AT::AtReplaceRelOptions => {
                let opts: Vec<Node> = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.clone(),
                    _ => Vec::new(),
                };
                let texts = super::options_text(&opts);
                let reset = t == AT::AtResetRelOptions;
                let replace = t == AT::AtReplaceRelOptions;
                let update = |options: &mut Vec<String>| {
                    if replace {
                        options.clear();
                    }
                    for o in &texts {
                        let key = o.split('=').next().unwrap_or(o).to_string();
                        options.retain(|x| x.split('=').next() != Some(key.as_str()));
                        if !reset {
                            options.push(o.clone());
                        }
                    }
                };
                match self.relation_mut(oid).map(|r| &mut r.body) {
                    Some(RelBody::Table(tb)) => update(&mut tb.options),
                    Some(RelBody::View(v)) => update(&mut v.options),
                    Some(RelBody::Index(i)) => update(&mut i.options),
                    _ => {}
                }
            }
            AT::AtSetOptions | AT::AtResetOptions => {}
            AT::AtClusterOn => self.set_clustered_index(oid, &cmd.name)?,
            AT::AtDropCluster => {
                if let Some(tb) = self.table_mut(oid) {
                    tb.clustered_index = None;
                }
            }
            AT::AtSetLogged | AT::AtSetUnLogged => {
                let p = if t == AT::AtSetLogged {
                    Persistence::Permanent
                } else {
                    Persistence::Unlogged
                };
                if let Some(tb) = self.table_mut(oid) {
                    tb.persistence = p;
                }
            }
            AT::AtSetTableSpace => {
                let ts = cmd.name.clone();
                if let Some(tb) = self.table_mut(oid) {
                    tb.tablespace = (ts != "pg_default").then_some(ts);
                }
            }
            AT::AtSetAccessMethod => {
                let am = cmd.name.clone();
                if let Some(tb) = self.table_mut(oid) {
                    tb.access_method = (!am.is_empty() && am != "heap").then_some(am);
                }
            }
            AT::AtChangeOwner | AT::AtGenericOptions => return Ok(Applied::Privilege),
            AT::AtEnableTrig
            | AT::AtEnableAlwaysTrig
            | AT::AtEnableReplicaTrig
            | AT::AtDisableTrig
            | AT::AtEnableTrigAll
            | AT::AtDisableTrigAll
            | AT::AtEnableTrigUser
            | AT::AtDisableTrigUser => {
                let state = match t {
                    AT::AtEnableTrig | AT::AtEnableTrigAll | AT::AtEnableTrigUser => 'O',
                    AT::AtEnableAlwaysTrig => 'A',
                    AT::AtEnableReplicaTrig => 'R',
                    _ => 'D',
                };
                let all = matches!(
                    t,
                    AT::AtEnableTrigAll
                        | AT::AtDisableTrigAll
                        | AT::AtEnableTrigUser
                        | AT::AtDisableTrigUser
                );
                let name = cmd.name.clone();
                if let Some(rel) = self.relation(oid)
                    && rel.table().is_none()
                {
                    // A view's triggers exist but ALTER TABLE may not
                    // touch them.
                    let action = match t {
                        AT::AtEnableTrig => "ENABLE TRIGGER",
                        AT::AtEnableAlwaysTrig => "ENABLE ALWAYS TRIGGER",
                        AT::AtEnableReplicaTrig => "ENABLE REPLICA TRIGGER",
                        AT::AtDisableTrig => "DISABLE TRIGGER",
                        AT::AtEnableTrigAll => "ENABLE TRIGGER ALL",
                        AT::AtDisableTrigAll => "DISABLE TRIGGER ALL",
                        AT::AtEnableTrigUser => "ENABLE TRIGGER USER",
                        _ => "DISABLE TRIGGER USER",
                    };
                    let kinds = match &rel.body {
                        RelBody::View(v) if v.materialized => "materialized views",
                        RelBody::View(_) => "views",
                        RelBody::Sequence(_) => "sequences",
                        RelBody::Index(_) => "indexes",
                        _ => "composite types",
                    };
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!(
                            "ALTER action {action} cannot be performed on relation \"{}\"",
                            rel.name
                        ),
                    )
                    .detail(format!("This operation is not supported for {kinds}.")));
                }
                let Some(tb) = self.table_mut(oid) else {
                    return Ok(Applied::Schema);
                };
                if all {
                    for tg in &mut tb.triggers {
                        tg.enabled = state;
                    }
                } else if let Some(tg) = tb.triggers.iter_mut().find(|x| x.name == name) {
                    tg.enabled = state;
                } else {
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!("trigger \"{name}\" for table \"{table_name}\" does not exist"),
                    ));
                }
            }
            AT::AtEnableRowSecurity
            | AT::AtDisableRowSecurity
            | AT::AtForceRowSecurity
            | AT::AtNoForceRowSecurity => {
                if let Some(tb) = self.table_mut(oid) {
                    match t {
                        AT::AtEnableRowSecurity => tb.rls_enabled = true,
                        AT::AtDisableRowSecurity => tb.rls_enabled = false,
                        AT::AtForceRowSecurity => tb.rls_forced = true,
                        _ => tb.rls_forced = false,
                    }
                }
            }
            AT::AtReplicaIdentity => {
                let Some(NodeEnum::ReplicaIdentityStmt(ri)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                let kind = ri.identity_type.chars().next().unwrap_or('d');
                let idx = if kind == 'i' {
                    let schema = self.relation(oid).map_or(0, |r| r.schema);
                    match self.rel_in_schema(schema, &ri.name) {
                        Some(i) => Some(i),
                        None => {
                            return Err(PgError::new(
                                code::UNDEFINED_OBJECT,
                                format!(
                                    "index \"{}\" for table \"{table_name}\" does not exist",
                                    ri.name
                                ),
                            ));
                        }
                    }
                } else {
                    None
                };
                if let Some(tb) = self.table_mut(oid) {
                    tb.replica_identity = kind;
                    tb.replica_identity_index = idx;
                }
            }
            AT::AtAddInherit | AT::AtDropInherit => {
                let Some(NodeEnum::RangeVar(prv)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                let pqn = qual_from_rangevar(prv);
                let parent = self.require_relation(&pqn)?;
                self.note_ref(parent, oid);
                if let Some(tb) = self.table_mut(oid) {
                    if t == AT::AtAddInherit {
                        tb.inherits.push(parent);
                    } else {
                        tb.inherits.retain(|p| *p != parent);
                    }
                }
            }
            AT::AtAttachPartition => self.attach_partition(oid, cmd)?,
            AT::AtDetachPartition | AT::AtDetachPartitionFinalize => {
                if let Some(NodeEnum::PartitionCmd(pc)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    && let Some(name) = pc.name.as_ref()
                {
                    let child = self.require_relation(&qual_from_rangevar(name))?;
                    if self
                        .table(child)
                        .and_then(|t| t.partition_of.as_ref())
                        .is_none_or(|(p, _)| *p != oid)
                    {
                        return Err(PgError::new(
                            code::UNDEFINED_TABLE,
                            format!(
                                "relation \"{}\" is not a partition of relation \"{table_name}\"",
                                name.relname
                            ),
                        ));
                    }
                    if pc.concurrent && self.in_transaction {
                        return Err(PgError::new(
                            code::ACTIVE_SQL_TRANSACTION,
                            "ALTER TABLE ... DETACH CONCURRENTLY cannot run inside a transaction block",
                        ));
                    }
                    if let Some(tb) = self.table_mut(child) {
                        tb.partition_of = None;
                        for c in &mut tb.columns {
                            c.is_local = true;
                            c.inherit_count = 0;
                        }
                    }
                }
            }
            AT::AtAddIdentity => self.add_identity(oid, cmd)?,
            AT::AtSetIdentity => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                let Some(id) = col.identity else {
                    return Err(not_identity(&cmd.name, &table_name));
                };
                let opts: Vec<Node> = match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::List(l)) => l.items.clone(),
                    _ => Vec::new(),
                };
                let mut seq_opts = Vec::new();
                let mut always = id.always;
                for o in &opts {
                    if let Some(NodeEnum::DefElem(d)) = o.node.as_ref() {
                        if d.defname == "generated" {
                            // ATTRIBUTE_IDENTITY_ALWAYS is the character 'a'.
                            always = matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Integer(i)) if i.ival == i32::from(b'a'));
                        } else {
                            seq_opts.push(o.clone());
                        }
                    }
                }
                self.set_column(oid, col.attnum, |c| {
                    if let Some(i) = c.identity.as_mut() {
                        i.always = always;
                    }
                });
                if let Some(RelBody::Sequence(mut seq)) =
                    self.relation(id.sequence).map(|r| r.body.clone())
                {
                    super::sequence::apply_sequence_options(self, &mut seq, &seq_opts, false)?;
                    if let Some(r) = self.relation_mut(id.sequence) {
                        r.body = RelBody::Sequence(seq);
                    }
                }
            }
            AT::AtDropIdentity => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                let Some(id) = col.identity else {
                    if cmd.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "column \"{}\" of relation \"{table_name}\" is not an identity column, skipping",
                            cmd.name
                        )));
                    }
                    return Err(not_identity(&cmd.name, &table_name));
                };
                self.set_column(oid, col.attnum, |c| c.identity = None);
                self.remove_relation(id.sequence);
            }
            AT::AtDropExpression => {
                let col = self.column_for_alter(oid, &cmd.name)?;
                if col.generated.is_none() {
                    if cmd.missing_ok {
                        return Ok(Applied::Skipped(format!(
                            "column \"{}\" of relation \"{table_name}\" is not a stored generated column, skipping",
                            cmd.name
                        )));
                    }
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        format!(
                            "column \"{}\" of relation \"{table_name}\" is not a stored generated column",
                            cmd.name
                        ),
                    ));
                }
                self.set_column(oid, col.attnum, |c| c.generated = None);
            }
            AT::AtEnableRule
            | AT::AtEnableAlwaysRule
            | AT::AtEnableReplicaRule
            | AT::AtDisableRule => {
                return Ok(Applied::Opaque("rules are not simulated".into()));
            }
            other => {
                return Ok(Applied::Opaque(format!(
                    "ALTER TABLE subcommand {other:?} is not simulated"
                )));
            }
        }
        Ok(Applied::Schema)
    }

    fn add_column(&mut self, oid: Oid, cd: &protobuf::ColumnDef, recurse: bool) -> PgResult<()> {
        let (schema, table_name) = self.rel_schema_name(oid);
        let Some(mut table) = self.table(oid).cloned() else {
            return Ok(());
        };
        let mut pending = PendingWork::default();
        let attnum = self.define_column(
            &mut table,
            &table_name,
            schema,
            cd,
            ColumnSource::AddColumn,
            &mut pending,
        )?;
        self.attach_constraint_attributes(&mut pending)?;
        // Sequence names for serial/identity: chosen as CREATE TABLE does.
        for seq in &mut pending.sequences {
            seq.name = self.choose_relation_name(schema, &table_name, Some(&cd.colname), "seq");
        }
        if let Some(t) = self.table_mut(oid) {
            *t = table;
        }
        let constraints = std::mem::take(&mut pending.constraints);
        let seqs = std::mem::take(&mut pending.sequences);
        self.finish_table_definition(
            oid,
            PendingWork {
                sequences: seqs,
                constraints: Vec::new(),
            },
        )?;
        self.add_constraints(oid, constraints, AddContext::AlterTable)?;
        let _ = attnum;
        if recurse {
            let col = self.table(oid).and_then(|t| t.column(&cd.colname)).cloned();
            for child in self.child_tables(oid) {
                if let Some(c) = col.clone()
                    && let Some(ct) = self.table_mut(child)
                {
                    if let Some(existing) = ct.columns.iter_mut().find(|x| x.name == c.name) {
                        existing.inherit_count += 1;
                        continue;
                    }
                    let mut nc = c;
                    nc.attnum = ct.next_attnum;
                    ct.next_attnum += 1;
                    nc.is_local = false;
                    nc.inherit_count = 1;
                    nc.identity = None;
                    ct.columns.push(nc);
                }
            }
        }
        Ok(())
    }

    fn alter_column_type(&mut self, oid: Oid, cmd: &AlterTableCmd) -> PgResult<()> {
        let table_name = self.rel_name(oid).to_string();
        self.require_table(oid, "")?;
        let col = self.column_for_alter(oid, &cmd.name)?;
        let Some(NodeEnum::ColumnDef(def)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
            return Ok(());
        };
        let Some(tn) = def.type_name.as_ref() else {
            return Ok(());
        };
        // `ATPrepAlterColumnType`'s order: inheritance, partition key, then
        // the new type.
        if col.inherit_count > 0 {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!("cannot alter inherited column \"{}\"", cmd.name),
            ));
        }
        if self.column_in_partition_key(oid, &cmd.name) {
            return Err(PgError::new(
                code::INVALID_TABLE_DEFINITION,
                format!(
                    "cannot alter column \"{}\" because it is part of the partition key of relation \"{table_name}\"",
                    cmd.name
                ),
            ));
        }
        let new_ty = self.resolve_type(tn)?;
        // Views and generated columns that use the column block the change.
        for (dep, _) in self.dependents(ObjRef::Column(oid, col.attnum)) {
            match dep {
                ObjRef::Relation(r) if self.relation(r).and_then(Relation::view).is_some() => {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "cannot alter type of a column used by a view or rule",
                    )
                    .detail(format!(
                        "rule _RETURN on {} {} depends on column \"{}\"",
                        self.relation(r).map_or("view", Relation::kind_word),
                        self.rel_name(r),
                        cmd.name
                    )));
                }
                ObjRef::Column(t, a) if t == oid => {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        "cannot alter type of a column used by a generated column",
                    )
                    .detail(format!(
                        "Column \"{}\" is used by generated column \"{}\".",
                        cmd.name,
                        self.table(oid).map_or("?", |tb| tb.column_name(a))
                    )));
                }
                _ => {}
            }
        }
        if col.generated.is_some() {
            // Allowed; the expression is re-coerced.
        }
        match def.raw_default.as_deref() {
            None => {
                if !self.can_coerce(&col.ty, &new_ty, CastContext::Assignment) {
                    let ty_sql = self.type_display(&new_ty);
                    return Err(PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!(
                            "column \"{}\" cannot be cast automatically to type {ty_sql}",
                            cmd.name
                        ),
                    )
                    .hint(format!(
                        "You might need to specify \"USING {}::{ty_sql}\".",
                        crate::catalog::names::quote_ident(&cmd.name)
                    )));
                }
            }
            Some(using) => {
                self.check_table_expr(oid, using, "transform expression")?;
                if let Some(NodeEnum::TypeCast(tc)) = using.node.as_ref()
                    && let Some(tn) = tc.type_name.as_ref()
                {
                    let cast_to = self.resolve_type(tn)?;
                    if let Some(arg) = tc.arg.as_deref()
                        && let Some(from) = self.simple_expr_type(oid, arg)
                        && !self.can_coerce(&from, &cast_to, CastContext::Explicit)
                    {
                        return Err(PgError::new(
                            code::CANNOT_COERCE,
                            format!(
                                "cannot cast type {} to {}",
                                self.type_display(&from),
                                self.type_display(&cast_to)
                            ),
                        ));
                    }
                    if !self.can_coerce(&cast_to, &new_ty, CastContext::Assignment) {
                        return Err(PgError::new(
                            code::DATATYPE_MISMATCH,
                            format!(
                                "result of USING clause for column \"{}\" cannot be cast automatically to type {}",
                                cmd.name,
                                self.type_display(&new_ty)
                            ),
                        )
                        .hint("You might need to add an explicit cast."));
                    }
                }
            }
        }
        if col.default.is_some() && !self.can_coerce(&col.ty, &new_ty, CastContext::Assignment) {
            let default_ty = col
                .default
                .as_ref()
                .and_then(|d| match expr::literal_type(d) {
                    Some(Some(t)) => Some(t),
                    _ => None,
                })
                .unwrap_or_else(|| col.ty.clone());
            if !self.can_coerce(&default_ty, &new_ty, CastContext::Assignment) {
                return Err(PgError::new(
                    code::DATATYPE_MISMATCH,
                    format!(
                        "default for column \"{}\" cannot be cast automatically to type {}",
                        cmd.name,
                        self.type_display(&new_ty)
                    ),
                ));
            }
        }
        // Foreign keys on either side must still find equality operators.
        self.check_fks_after_type_change(oid, col.attnum, &new_ty)?;
        if let crate::catalog::TypeRef::Row(r) = new_ty.base {
            self.note_ref(r, oid);
        }
        // Indexes whose default operator class no longer fits.
        let collation = match &def.coll_clause {
            Some(c) => Some(self.check_column_collation(&strings(&c.collname), &new_ty)?),
            None => None,
        };
        let identity_seq = col.identity.map(|i| i.sequence);
        // PostgreSQL keeps the default as it was cooked (a constant of the
        // old type) and coerces it: an untyped literal stays a value of
        // the old type (`'a'::st` on a column now text).
        let kept_default = col
            .default
            .as_ref()
            .and_then(expr::untyped_string)
            .filter(|_| !col.ty.same_type(&new_ty))
            .and_then(|lit| {
                let old = ColType {
                    typmods: Vec::new(),
                    ..col.ty.clone()
                };
                super::parse_select_expr(&format!(
                    "SELECT {}::{}",
                    crate::catalog::names::quote_literal(&lit),
                    self.type_sql(&old)
                ))
            });
        self.set_column(oid, col.attnum, |c| {
            c.ty = new_ty.clone();
            if collation.is_some() {
                c.collation = collation.clone();
            }
            if let Some(d) = kept_default {
                c.default = Some(d);
            }
        });
        if let Some(seq) = identity_seq
            && let Some(name) = new_ty.builtin_name()
            && let Some(RelBody::Sequence(s)) = self.relation_mut(seq).map(|r| &mut r.body)
        {
            let old_default_max = super::sequence::type_max(s.data_type);
            s.data_type = match name {
                "int2" => "int2",
                "int4" => "int4",
                _ => "int8",
            };
            if s.max == old_default_max {
                s.max = super::sequence::type_max(s.data_type);
            }
        }
        Ok(())
    }

    fn check_fks_after_type_change(&self, oid: Oid, attnum: i16, new_ty: &ColType) -> PgResult<()> {
        let candidates = self.relation(oid).into_iter().chain(self.referrers(oid));
        for rel in candidates {
            let Some(t) = rel.table() else { continue };
            for c in &t.constraints {
                let ConstraintKind::ForeignKey(fk) = &c.kind else {
                    continue;
                };
                let pairs = fk.columns.iter().zip(&fk.ref_columns);
                for (fcol, pcol) in pairs {
                    let (fk_ty, pk_ty, fname, pname) = if rel.oid == oid && *fcol == attnum {
                        let Some(pt) = self.table(fk.ref_table) else {
                            continue;
                        };
                        let Some(pc) = pt.column_by_num(*pcol) else {
                            continue;
                        };
                        (
                            new_ty.clone(),
                            pc.ty.clone(),
                            t.column_name(*fcol).to_string(),
                            pc.name.clone(),
                        )
                    } else if fk.ref_table == oid && *pcol == attnum {
                        let Some(fc) = t.column_by_num(*fcol) else {
                            continue;
                        };
                        let pname = self
                            .table(oid)
                            .map_or("?".into(), |x| x.column_name(*pcol).to_string());
                        (fc.ty.clone(), new_ty.clone(), fc.name.clone(), pname)
                    } else {
                        continue;
                    };
                    if !self.fk_types_compatible(&fk_ty, &pk_ty) {
                        return Err(PgError::new(
                            code::DATATYPE_MISMATCH,
                            format!("foreign key constraint \"{}\" cannot be implemented", c.name),
                        )
                        .detail(format!(
                            "Key columns \"{fname}\" and \"{pname}\" are of incompatible types: {} and {}.",
                            self.type_display(&fk_ty),
                            self.type_display(&pk_ty)
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    fn add_identity(&mut self, oid: Oid, cmd: &AlterTableCmd) -> PgResult<()> {
        let (schema, table_name) = self.rel_schema_name(oid);
        let col = self.column_for_alter(oid, &cmd.name)?;
        let Some(NodeEnum::Constraint(c)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else {
            return Ok(());
        };
        let data_type = match col.ty.builtin_name() {
            Some(t @ ("int2" | "int4" | "int8")) if !col.ty.array => t,
            _ => {
                return Err(PgError::new(
                    code::INVALID_PARAMETER_VALUE,
                    "identity column type must be smallint, integer, or bigint",
                ));
            }
        };
        if !col.not_null {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "column \"{}\" of relation \"{table_name}\" must be declared NOT NULL before identity can be added",
                    cmd.name
                ),
            ));
        }
        if col.identity.is_some() {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "column \"{}\" of relation \"{table_name}\" is already an identity column",
                    cmd.name
                ),
            ));
        }
        if col.default.is_some() {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!(
                    "column \"{}\" of relation \"{table_name}\" already has a default value",
                    cmd.name
                ),
            ));
        }
        let name = self.choose_relation_name(schema, &table_name, Some(&cmd.name), "seq");
        self.set_column(oid, col.attnum, |x| {
            x.identity = Some(Identity {
                always: c.generated_when == "a",
                sequence: 0,
            })
        });
        self.finish_table_definition(
            oid,
            PendingWork {
                sequences: vec![PendingSequence {
                    attnum: col.attnum,
                    name,
                    data_type,
                    options: c.options.clone(),
                    identity: true,
                    template: None,
                }],
                constraints: Vec::new(),
            },
        )
    }

    fn attach_partition(&mut self, parent: Oid, cmd: &AlterTableCmd) -> PgResult<()> {
        let Some(NodeEnum::PartitionCmd(pc)) = cmd.def.as_ref().and_then(|d| d.node.as_ref())
        else {
            return Ok(());
        };
        let Some(name) = pc.name.as_ref() else {
            return Ok(());
        };
        let parent_name = self.rel_name(parent).to_string();
        if self.relation(parent).and_then(Relation::index).is_some() {
            // ALTER INDEX ... ATTACH PARTITION: index partitions are not tracked.
            return Ok(());
        }
        if self.table(parent).is_none_or(|t| t.partition.is_none()) {
            return Err(PgError::new(
                code::INVALID_OBJECT_DEFINITION,
                format!("table \"{parent_name}\" is not partitioned"),
            ));
        }
        let child = self.require_relation(&qual_from_rangevar(name))?;
        if self.relation(child).and_then(Relation::index).is_some() {
            // ALTER INDEX ... ATTACH PARTITION: index partitions are not tracked.
            return Ok(());
        }
        let parent_cols = self.columns_of(parent);
        let Some(ct) = self.table(child) else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a table", name.relname),
            ));
        };
        if ct.partition_of.is_some() {
            return Err(PgError::new(
                code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                format!("\"{}\" is already a partition", name.relname),
            ));
        }
        for (pname, _, pty) in &parent_cols {
            match ct.column(pname) {
                None => {
                    return Err(PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!(
                            "table \"{}\" contains column \"{}\" not found in parent \"{parent_name}\"",
                            name.relname, pname
                        ),
                    )
                    .detail("The new partition may contain only the columns present in parent."));
                }
                Some(c) if !c.ty.same_type(pty) => {
                    return Err(PgError::new(
                        code::DATATYPE_MISMATCH,
                        format!(
                            "child table \"{}\" has different type for column \"{pname}\"",
                            name.relname
                        ),
                    ));
                }
                _ => {}
            }
        }
        if ct.columns.len() > parent_cols.len() {
            let extra = ct
                .columns
                .iter()
                .find(|c| !parent_cols.iter().any(|p| p.0 == c.name))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            return Err(PgError::new(
                code::DATATYPE_MISMATCH,
                format!("table \"{}\" contains column \"{extra}\" not found in parent \"{parent_name}\"", name.relname),
            )
            .detail("The new partition may contain only the columns present in parent."));
        }
        let bound = pc.bound.clone().unwrap_or_default();
        self.check_partition_bound(parent, &name.relname, &bound)?;
        self.note_ref(parent, child);
        if let Some(ct) = self.table_mut(child) {
            ct.partition_of = Some((parent, expr::node(NodeEnum::PartitionBoundSpec(bound))));
            for c in &mut ct.columns {
                c.inherit_count = 1;
            }
        }
        self.clone_parent_indexes(parent, child)
    }

    fn alter_composite_type(&mut self, s: &AlterTableStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let schema_oids = match &qn.schema {
            Some(sch) => vec![self.lookup_schema(sch)?],
            None => self.search_schemas(),
        };
        let Some(toid) = schema_oids
            .iter()
            .find_map(|s| self.type_in_schema(*s, &qn.name))
        else {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("type \"{qn}\" does not exist"),
            ));
        };
        for c in &s.cmds {
            let Some(NodeEnum::AlterTableCmd(cmd)) = c.node.as_ref() else {
                continue;
            };
            let t = AT::try_from(cmd.subtype).unwrap_or(AT::Undefined);
            let attrs = match self.types.get(&toid).map(|t| t.kind.clone()) {
                Some(TypeKind::Composite { attributes, .. }) => attributes,
                _ => {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{qn}\" is not a composite type"),
                    ));
                }
            };
            let mut attrs = attrs;
            match t {
                AT::AtAddColumn => {
                    let Some(NodeEnum::ColumnDef(cd)) =
                        cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    else {
                        continue;
                    };
                    if attrs.iter().any(|a| a.0 == cd.colname) {
                        return Err(PgError::new(
                            code::DUPLICATE_COLUMN,
                            format!(
                                "column \"{}\" of relation \"{}\" already exists",
                                cd.colname, qn.name
                            ),
                        ));
                    }
                    let Some(tn) = cd.type_name.as_ref() else {
                        continue;
                    };
                    let ty = self.resolve_type(tn)?;
                    let collation = match &cd.coll_clause {
                        Some(c) => Some(self.check_column_collation(&strings(&c.collname), &ty)?),
                        None => None,
                    };
                    attrs.push((cd.colname.clone(), ty, collation));
                }
                AT::AtDropColumn => {
                    if !attrs.iter().any(|a| a.0 == cmd.name) {
                        if cmd.missing_ok {
                            continue;
                        }
                        return Err(PgError::new(
                            code::UNDEFINED_COLUMN,
                            format!(
                                "column \"{}\" of relation \"{}\" does not exist",
                                cmd.name, qn.name
                            ),
                        ));
                    }
                    attrs.retain(|a| a.0 != cmd.name);
                }
                AT::AtAlterColumnType => {
                    let Some(NodeEnum::ColumnDef(cd)) =
                        cmd.def.as_ref().and_then(|d| d.node.as_ref())
                    else {
                        continue;
                    };
                    let Some(tn) = cd.type_name.as_ref() else {
                        continue;
                    };
                    let ty = self.resolve_type(tn)?;
                    if attrs.iter().any(|a| a.0 == cmd.name) {
                        self.check_composite_unused(toid, &qn.name)?;
                    }
                    match attrs.iter_mut().find(|a| a.0 == cmd.name) {
                        Some(a) => a.1 = ty,
                        None => {
                            return Err(PgError::new(
                                code::UNDEFINED_COLUMN,
                                format!(
                                    "column \"{}\" of relation \"{}\" does not exist",
                                    cmd.name, qn.name
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            }
            if let Some(TypeKind::Composite { attributes, .. }) =
                self.types.get_mut(&toid).map(|t| &mut t.kind)
            {
                *attributes = attrs;
            }
        }
        Ok(Applied::Schema)
    }

    /// `find_composite_type_dependencies`: a composite type whose values
    /// are stored in a table column (directly, in an array, a domain or
    /// another composite type) cannot change an attribute's type. A scan,
    /// but ALTER TYPE ... ALTER ATTRIBUTE is rare.
    fn check_composite_unused(&self, toid: Oid, type_name: &str) -> PgResult<()> {
        for rel in self.relations.values() {
            let Some(t) = rel.table() else { continue };
            for c in &t.columns {
                if self.type_contains(&c.ty, toid, 0) {
                    return Err(PgError::new(
                        code::FEATURE_NOT_SUPPORTED,
                        format!(
                            "cannot alter type \"{type_name}\" because column \"{}.{}\" uses it",
                            rel.name, c.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Does a value of `ty` hold a value of the user type `target`?
    fn type_contains(&self, ty: &ColType, target: Oid, depth: u8) -> bool {
        let crate::catalog::TypeRef::User(oid) = ty.base else {
            return false;
        };
        if oid == target {
            return true;
        }
        if depth > 16 {
            return false;
        }
        match self.user_type(oid).map(|u| &u.kind) {
            Some(TypeKind::Domain { base, .. }) => self.type_contains(base, target, depth + 1),
            Some(TypeKind::Composite { attributes, .. }) => attributes
                .iter()
                .any(|a| self.type_contains(&a.1, target, depth + 1)),
            _ => false,
        }
    }

    // ----- helpers --------------------------------------------------------

    fn column_for_alter(&self, oid: Oid, name: &str) -> PgResult<Column> {
        let table_name = self.rel_name(oid);
        match self.relation(oid).map(|r| &r.body) {
            Some(RelBody::Table(t)) => t
                .column(name)
                .cloned()
                .ok_or_else(|| no_column(name, table_name)),
            Some(RelBody::View(v)) => {
                let idx = v
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .ok_or_else(|| no_column(name, table_name))?;
                let vc = &v.columns[idx];
                Ok(super::table::new_column(
                    idx as i16 + 1,
                    vc.name.clone(),
                    vc.ty.clone().unwrap_or_else(|| ColType::builtin("text")),
                    None,
                ))
            }
            _ => Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{table_name}\" is not a table, view, or materialized view"),
            )),
        }
    }

    /// `ALTER INDEX ... ALTER COLUMN 1 SET STATISTICS` names columns by number.
    fn column_for_alter_any(&self, oid: Oid, cmd: &AlterTableCmd) -> PgResult<Option<i16>> {
        if self.relation(oid).and_then(Relation::index).is_some() {
            return Ok(None);
        }
        self.column_for_alter(oid, &cmd.name)
            .map(|c| Some(c.attnum))
    }

    pub(crate) fn set_column(&mut self, oid: Oid, attnum: i16, f: impl FnOnce(&mut Column)) {
        if let Some(c) = self
            .table_mut(oid)
            .and_then(|t| t.columns.iter_mut().find(|c| c.attnum == attnum))
        {
            f(c);
        }
    }

    fn set_constraint(&mut self, oid: Oid, con: Oid, f: impl FnOnce(&mut Constraint)) {
        if let Some(c) = self
            .table_mut(oid)
            .and_then(|t| t.constraints.iter_mut().find(|c| c.oid == con))
        {
            f(c);
        }
    }

    fn index_covers(&self, idx: Option<Oid>, attnum: i16) -> bool {
        idx.and_then(|i| self.relation(i))
            .and_then(Relation::index)
            .is_some_and(|i| {
                i.keys
                    .iter()
                    .any(|k| matches!(k.target, IndexTarget::Column(a) if a == attnum))
            })
    }

    /// Partitions and inheritance children.
    pub(crate) fn child_tables(&self, oid: Oid) -> Vec<Oid> {
        // Children are noted as referrers of their parent; scanning every
        // relation here made each ADD COLUMN linear in the schema's size.
        let mut children: Vec<Oid> = self
            .referrers(oid)
            .filter(|r| {
                r.table().is_some_and(|t| {
                    t.inherits.contains(&oid) || t.partition_of.as_ref().is_some_and(|p| p.0 == oid)
                })
            })
            .map(|r| r.oid)
            .collect();
        children.sort_unstable();
        children
    }

    fn column_in_partition_key(&self, oid: Oid, name: &str) -> bool {
        let Some(spec) = self.partition_spec(oid) else {
            return false;
        };
        spec.part_params.iter().any(|p| match p.node.as_ref() {
            Some(NodeEnum::PartitionElem(pe)) => {
                pe.name == name
                    || pe
                        .expr
                        .as_deref()
                        .is_some_and(|e| expr::column_refs(e).iter().any(|(n, _)| n == name))
            }
            _ => false,
        })
    }
}

fn no_column(name: &str, table: &str) -> PgError {
    PgError::new(
        code::UNDEFINED_COLUMN,
        format!("column \"{name}\" of relation \"{table}\" does not exist"),
    )
}

fn not_identity(name: &str, table: &str) -> PgError {
    PgError::new(
        code::OBJECT_NOT_IN_PREREQUISITE_STATE,
        format!("column \"{name}\" of relation \"{table}\" is not an identity column"),
    )
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{message, sqlstate};

    #[test]
    fn alter_constraint_changes_deferrability() {
        let c = crate::catalog::testing::run(
            "CREATE TABLE p (id int PRIMARY KEY);
             CREATE TABLE c (p_id int CONSTRAINT c_p_fk REFERENCES p);
             ALTER TABLE c ALTER CONSTRAINT c_p_fk DEFERRABLE INITIALLY DEFERRED",
        )
        .unwrap();
        let t = c
            .table(
                c.lookup_relation(&crate::catalog::QualName::bare("c"))
                    .unwrap()
                    .unwrap(),
            )
            .unwrap();
        let con = t.constraint("c_p_fk").unwrap();
        assert!(con.deferrable && con.initially_deferred);
        assert_eq!(
            sqlstate(
                "CREATE TABLE p (id int CONSTRAINT p_pk PRIMARY KEY);
                 ALTER TABLE p ALTER CONSTRAINT p_pk DEFERRABLE"
            ),
            "42809"
        );
    }

    #[test]
    fn a_changed_type_keeps_the_default_as_cooked() {
        let c = crate::catalog::testing::run(
            "CREATE TYPE st AS ENUM ('a', 'b');
             CREATE TABLE t (s st NOT NULL DEFAULT 'a', n int DEFAULT 0);
             ALTER TABLE t ALTER COLUMN s TYPE text, ALTER COLUMN n TYPE bigint",
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
        assert_eq!(d("s"), "'a'::public.st");
        assert_eq!(d("n"), "0");
    }

    #[test]
    fn system_columns_cannot_be_dropped() {
        assert_eq!(
            message("CREATE TABLE t (a int); ALTER TABLE t DROP COLUMN IF EXISTS ctid"),
            "cannot drop system column \"ctid\""
        );
    }

    #[test]
    fn partition_key_and_inherited_columns_keep_their_type() {
        assert_eq!(
            sqlstate(
                "CREATE TABLE p (a int, b text) PARTITION BY LIST (a);
                 ALTER TABLE p ALTER COLUMN a TYPE bigint"
            ),
            "42P16"
        );
        assert_eq!(
            message(
                "CREATE TABLE p (a int) PARTITION BY LIST (a);
                 CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);
                 ALTER TABLE p1 ALTER COLUMN a TYPE bigint"
            ),
            "cannot alter inherited column \"a\""
        );
    }

    #[test]
    fn composite_types_stored_in_tables_keep_attribute_types() {
        let base = "CREATE TYPE address AS (street text, city text);";
        assert_eq!(
            message(&format!(
                "{base} CREATE TABLE c (home address[]);
                 ALTER TYPE address ALTER ATTRIBUTE city TYPE varchar(50)"
            )),
            "cannot alter type \"address\" because column \"c.home\" uses it"
        );
        assert_eq!(
            sqlstate(&format!(
                "{base} CREATE TYPE outer_t AS (a address); CREATE TABLE c (o outer_t);
                 ALTER TYPE address ALTER ATTRIBUTE city TYPE varchar(50)"
            )),
            "0A000"
        );
        assert_eq!(
            sqlstate(&format!(
                "{base} CREATE TABLE c (home address); ALTER TYPE address ADD ATTRIBUTE zip text"
            )),
            "ok"
        );
    }
}
