//! DROP of every kind, with RESTRICT/CASCADE over derived dependencies.

use pg_query::NodeEnum;
use pg_query::protobuf::{DropStmt, Node, ObjectType};

use super::{Applied, is_cascade};
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_list, str_of, strings};
use crate::catalog::types::TypeRef;

/// A drop target that does not exist: the error, and the NOTICE that
/// `IF EXISTS` prints instead.
pub(crate) struct Missing {
    pub error: PgError,
    pub notice: String,
}

impl Missing {
    fn new(code: &'static str, msg: String) -> Self {
        Missing {
            notice: format!("{msg}, skipping"),
            error: PgError::new(code, msg),
        }
    }
}

fn rel_kind_entry(kind: ObjectType) -> (&'static str, &'static str, &'static str) {
    // (noun, nonexistent SQLSTATE, DROP command) as in dropmsgstringarray.
    match kind {
        ObjectType::ObjectTable => ("table", code::UNDEFINED_TABLE, "DROP TABLE"),
        ObjectType::ObjectSequence => ("sequence", code::UNDEFINED_TABLE, "DROP SEQUENCE"),
        ObjectType::ObjectView => ("view", code::UNDEFINED_TABLE, "DROP VIEW"),
        ObjectType::ObjectMatview => (
            "materialized view",
            code::UNDEFINED_TABLE,
            "DROP MATERIALIZED VIEW",
        ),
        ObjectType::ObjectIndex => ("index", code::UNDEFINED_OBJECT, "DROP INDEX"),
        ObjectType::ObjectForeignTable => (
            "foreign table",
            code::UNDEFINED_OBJECT,
            "DROP FOREIGN TABLE",
        ),
        _ => ("relation", code::UNDEFINED_TABLE, "DROP TABLE"),
    }
}

fn kind_of_relation(rel: &Relation) -> ObjectType {
    match &rel.body {
        RelBody::Table(_) => ObjectType::ObjectTable,
        RelBody::View(v) if v.materialized => ObjectType::ObjectMatview,
        RelBody::View(_) => ObjectType::ObjectView,
        RelBody::Sequence(_) => ObjectType::ObjectSequence,
        RelBody::Index(_) => ObjectType::ObjectIndex,
        RelBody::CompositeType(_) => ObjectType::ObjectType,
    }
}

impl Catalog {
    pub(super) fn drop(&mut self, s: &DropStmt) -> PgResult<Applied> {
        let kind = ObjectType::try_from(s.remove_type).unwrap_or(ObjectType::Undefined);
        let cascade = is_cascade(s.behavior);
        if s.concurrent && self.in_transaction {
            return Err(PgError::new(
                code::ACTIVE_SQL_TRANSACTION,
                "DROP INDEX CONCURRENTLY cannot run inside a transaction block",
            ));
        }
        if kind == ObjectType::ObjectCollation {
            let names: Vec<Vec<String>> = s
                .objects
                .iter()
                .filter_map(|o| match o.node.as_ref() {
                    Some(NodeEnum::List(l)) => {
                        Some(strings(&l.items).into_iter().map(str::to_string).collect())
                    }
                    _ => None,
                })
                .collect();
            return self.drop_collations(&names, s.missing_ok);
        }
        let mut targets = Vec::new();
        let mut notices = Vec::new();
        for obj in &s.objects {
            match self.drop_target(kind, obj)? {
                Ok(t) => {
                    if !targets.contains(&t) {
                        targets.push(t)
                    }
                }
                Err(missing) if s.missing_ok => notices.push(missing.notice),
                Err(missing) => return Err(missing.error),
            }
        }
        if kind == ObjectType::Undefined
            || !matches!(
                kind,
                ObjectType::ObjectTable
                    | ObjectType::ObjectSequence
                    | ObjectType::ObjectView
                    | ObjectType::ObjectMatview
                    | ObjectType::ObjectIndex
                    | ObjectType::ObjectType
                    | ObjectType::ObjectDomain
                    | ObjectType::ObjectSchema
                    | ObjectType::ObjectExtension
                    | ObjectType::ObjectFunction
                    | ObjectType::ObjectProcedure
                    | ObjectType::ObjectRoutine
                    | ObjectType::ObjectAggregate
                    | ObjectType::ObjectTrigger
                    | ObjectType::ObjectPolicy
            )
        {
            return Ok(Applied::Opaque(format!(
                "DROP {} is not simulated",
                object_type_word(kind)
            )));
        }
        if targets.is_empty() {
            return Ok(Applied::Skipped(notices.join("\n")));
        }
        self.drop_objects(&targets, cascade)?;
        Ok(Applied::Schema)
    }

    /// Resolves one object of a DROP statement.
    fn drop_target(&self, kind: ObjectType, obj: &Node) -> PgResult<Result<ObjRef, Missing>> {
        use ObjectType as O;
        match kind {
            O::ObjectTable
            | O::ObjectSequence
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectIndex
            | O::ObjectForeignTable => {
                let Some(qn) = list_name(obj) else {
                    return Ok(Err(Missing::new(code::SYNTAX_ERROR, "bad name".into())));
                };
                let (noun, missing_code, _) = rel_kind_entry(kind);
                if let Some(schema) = &qn.schema
                    && self.schema_oid(schema).is_none()
                {
                    return Ok(Err(Missing::new(
                        code::INVALID_SCHEMA_NAME,
                        format!("schema \"{schema}\" does not exist"),
                    )));
                }
                let Some(oid) = self.lookup_relation(&qn)? else {
                    return Ok(Err(Missing::new(
                        missing_code,
                        format!("{noun} \"{}\" does not exist", qn.name),
                    )));
                };
                let rel = self
                    .relation(oid)
                    .ok_or_else(|| PgError::new(missing_code, "vanished"))?;
                let actual = kind_of_relation(rel);
                if actual != kind {
                    let (_, _, cmd) = rel_kind_entry(actual);
                    let (actual_noun, _, _) = rel_kind_entry(actual);
                    let mut e = PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is not {} {noun}", qn.name, article(noun)),
                    );
                    if actual != ObjectType::ObjectType {
                        e = e.hint(format!(
                            "Use {cmd} to remove {} {actual_noun}.",
                            article(actual_noun)
                        ));
                    }
                    return Err(e);
                }
                if let Some(ext) = rel.extension {
                    return Err(self.member_of_extension(ObjRef::Relation(oid), ext));
                }
                Ok(Ok(ObjRef::Relation(oid)))
            }
            O::ObjectType | O::ObjectDomain => {
                let Some(NodeEnum::TypeName(tn)) = obj.node.as_ref() else {
                    return Ok(Err(Missing::new(
                        code::SYNTAX_ERROR,
                        "bad type name".into(),
                    )));
                };
                let display = strings(&tn.names).join(".");
                let ty = match self.resolve_type(tn) {
                    Ok(t) => t,
                    Err(e)
                        if e.sqlstate == code::UNDEFINED_OBJECT
                            || e.sqlstate == code::INVALID_SCHEMA_NAME =>
                    {
                        return Ok(Err(Missing::new(e.sqlstate, e.message)));
                    }
                    Err(e) => return Err(e),
                };
                match ty.base {
                    TypeRef::User(oid) if !ty.array => {
                        let t = self
                            .user_type(oid)
                            .ok_or_else(|| PgError::new(code::UNDEFINED_OBJECT, "vanished"))?;
                        if kind == O::ObjectDomain && !matches!(t.kind, TypeKind::Domain { .. }) {
                            return Err(PgError::new(
                                code::WRONG_OBJECT_TYPE,
                                format!("\"{display}\" is not a domain"),
                            ));
                        }
                        if let Some(ext) = t.extension {
                            return Err(self.member_of_extension(ObjRef::Type(oid), ext));
                        }
                        Ok(Ok(ObjRef::Type(oid)))
                    }
                    // The row type is an internal part of its relation.
                    TypeRef::Row(r) if !ty.array => {
                        let owner = self.describe(ObjRef::Relation(r));
                        Err(PgError::new(
                            code::DEPENDENT_OBJECTS_STILL_EXIST,
                            format!("cannot drop type {display} because {owner} requires it"),
                        )
                        .hint(format!("You can drop {owner} instead.")))
                    }
                    TypeRef::Assumed(_) => Ok(Err(Missing::new(
                        code::UNDEFINED_OBJECT,
                        format!("type \"{display}\" does not exist"),
                    ))),
                    _ => Err(PgError::new(
                        code::DEPENDENT_OBJECTS_STILL_EXIST,
                        format!(
                            "cannot drop type {} because it is required by the database system",
                            display
                        ),
                    )),
                }
            }
            O::ObjectSchema => {
                let name = str_of(obj).unwrap_or_default();
                match self.schema_oid(name) {
                    Some(s) if s == crate::catalog::PG_CATALOG_OID => Err(PgError::new(
                        code::DEPENDENT_OBJECTS_STILL_EXIST,
                        format!(
                            "cannot drop schema {name} because it is required by the database system"
                        ),
                    )),
                    Some(s) => Ok(Ok(ObjRef::Schema(s))),
                    None => Ok(Err(Missing::new(
                        code::INVALID_SCHEMA_NAME,
                        format!("schema \"{name}\" does not exist"),
                    ))),
                }
            }
            O::ObjectExtension => {
                let name = str_of(obj).unwrap_or_default();
                match self.extension_by_name(name) {
                    Some(e) => Ok(Ok(ObjRef::Extension(e.oid))),
                    None => Ok(Err(Missing::new(
                        code::UNDEFINED_OBJECT,
                        format!("extension \"{name}\" does not exist"),
                    ))),
                }
            }
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine | O::ObjectAggregate => {
                let Some(NodeEnum::ObjectWithArgs(owa)) = obj.node.as_ref() else {
                    return Ok(Err(Missing::new(
                        code::SYNTAX_ERROR,
                        "bad function name".into(),
                    )));
                };
                match self.lookup_function_with_args(owa, kind)? {
                    Ok(oid) => Ok(Ok(ObjRef::Function(oid))),
                    Err(m) => match self.extension_member_function(owa)? {
                        // Members of an extension go with the extension only.
                        Some((ext, func)) => Err(PgError::new(
                            code::DEPENDENT_OBJECTS_STILL_EXIST,
                            format!(
                                "cannot drop function {func} because extension {ext} requires it"
                            ),
                        )
                        .hint(format!("You can drop extension {ext} instead."))),
                        None => Ok(Err(m)),
                    },
                }
            }
            O::ObjectTrigger | O::ObjectPolicy => {
                let Some(NodeEnum::List(l)) = obj.node.as_ref() else {
                    return Ok(Err(Missing::new(code::SYNTAX_ERROR, "bad name".into())));
                };
                let parts = strings(&l.items);
                let Some((name, table_parts)) = parts.split_last() else {
                    return Ok(Err(Missing::new(code::SYNTAX_ERROR, "bad name".into())));
                };
                let qn = match table_parts {
                    [t] => QualName::bare(t),
                    [s, t] => QualName::new(Some(s), t),
                    _ => return Ok(Err(Missing::new(code::SYNTAX_ERROR, "bad name".into()))),
                };
                let Some(table) = self.lookup_relation(&qn)? else {
                    return Ok(Err(Missing::new(
                        code::UNDEFINED_TABLE,
                        format!("relation \"{qn}\" does not exist"),
                    )));
                };
                let t = self.table(table);
                if kind == O::ObjectTrigger {
                    let triggers = self.relation(table).map_or(&[][..], Relation::triggers);
                    match triggers.iter().find(|x| x.name == *name) {
                        Some(tg) => Ok(Ok(ObjRef::Trigger(table, tg.oid))),
                        None => Ok(Err(Missing::new(
                            code::UNDEFINED_OBJECT,
                            format!(
                                "trigger \"{name}\" for table \"{}\" does not exist",
                                qn.name
                            ),
                        ))),
                    }
                } else {
                    match t.and_then(|t| t.policies.iter().find(|x| x.name == *name)) {
                        Some(p) => Ok(Ok(ObjRef::Policy(table, p.oid))),
                        None => Ok(Err(Missing::new(
                            code::UNDEFINED_OBJECT,
                            format!("policy \"{name}\" for table \"{}\" does not exist", qn.name),
                        ))),
                    }
                }
            }
            _ => Ok(Err(Missing::new(
                code::FEATURE_NOT_SUPPORTED,
                "not simulated".into(),
            ))),
        }
    }

    fn member_of_extension(&self, obj: ObjRef, ext: Oid) -> PgError {
        let ext_name = self
            .extension(ext)
            .map_or("?", |e| e.name.as_str())
            .to_string();
        PgError::new(
            code::DEPENDENT_OBJECTS_STILL_EXIST,
            format!(
                "cannot drop {} because extension {ext_name} requires it",
                self.describe(obj)
            ),
        )
        .hint(format!("You can drop extension {ext_name} instead."))
    }

    /// Drops objects and what depends on them, or fails as RESTRICT does.
    pub(crate) fn drop_objects(&mut self, targets: &[ObjRef], cascade: bool) -> PgResult<()> {
        for t in targets {
            self.check_owner_requirement(*t)?;
        }
        let order = match self.drop_closure(targets, cascade) {
            Ok(order) => order,
            Err(blockers) => {
                let first = targets[0];
                let detail = blockers
                    .iter()
                    .map(|(dep, on)| {
                        format!("{} depends on {}", self.describe(*dep), self.describe(*on))
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let what = match first {
                    ObjRef::Column(t, a) => format!(
                        "column {} of table {}",
                        self.table(t).map_or("?", |tb| tb.column_name(a)),
                        self.rel_name(t)
                    ),
                    other => self.describe(other),
                };
                return Err(PgError::new(
                    code::DEPENDENT_OBJECTS_STILL_EXIST,
                    format!("cannot drop {what} because other objects depend on it"),
                )
                .detail(detail)
                .hint("Use DROP ... CASCADE to drop the dependent objects too."));
            }
        };
        for obj in order {
            self.remove_object(obj);
        }
        Ok(())
    }

    /// Objects that only their owner may drop: the index of a constraint,
    /// the sequence of an identity column.
    fn check_owner_requirement(&self, obj: ObjRef) -> PgResult<()> {
        let ObjRef::Relation(r) = obj else {
            return Ok(());
        };
        let Some(rel) = self.relation(r) else {
            return Ok(());
        };
        match &rel.body {
            RelBody::Index(i) => {
                if let Some(con) = i.constraint
                    && let Some(c) = self
                        .table(i.table)
                        .and_then(|t| t.constraints.iter().find(|c| c.oid == con))
                {
                    let table = self.rel_name(i.table);
                    return Err(PgError::new(
                        code::DEPENDENT_OBJECTS_STILL_EXIST,
                        format!(
                            "cannot drop index {} because constraint {} on table {table} requires it",
                            rel.name, c.name
                        ),
                    )
                    .hint(format!("You can drop constraint {} on table {table} instead.", c.name)));
                }
            }
            RelBody::Sequence(s) if s.identity => {
                if let Some((t, a)) = s.owned_by {
                    let table = self.rel_name(t);
                    let col = self.table(t).map_or("?", |tb| tb.column_name(a));
                    return Err(PgError::new(
                        code::DEPENDENT_OBJECTS_STILL_EXIST,
                        format!(
                            "cannot drop sequence {} because column {col} of table {table} requires it",
                            rel.name
                        ),
                    )
                    .hint(format!("You can drop column {col} of table {table} instead.")));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Removes one object (its dependents are already gone).
    pub(crate) fn remove_object(&mut self, obj: ObjRef) {
        match obj {
            ObjRef::Schema(s) => {
                self.remove_schema(s);
            }
            ObjRef::Relation(r) => {
                let Some(rel) = self.remove_relation(r) else {
                    return;
                };
                match rel.body {
                    RelBody::Index(i) => {
                        if let Some(con) = i.constraint {
                            self.remove_constraint(i.table, con);
                        }
                        if let Some(t) = self.table_mut(i.table) {
                            t.indexes.retain(|x| *x != r);
                            if t.replica_identity_index == Some(r) {
                                t.replica_identity_index = None;
                                t.replica_identity = 'd';
                            }
                            if t.clustered_index == Some(r) {
                                t.clustered_index = None;
                            }
                        }
                    }
                    RelBody::Table(t) => {
                        for idx in t.indexes {
                            self.remove_relation(idx);
                        }
                        let owned: Vec<Oid> = self
                            .relations
                            .values()
                            .filter(|x| {
                                x.sequence()
                                    .is_some_and(|s| s.owned_by.is_some_and(|o| o.0 == r))
                            })
                            .map(|x| x.oid)
                            .collect();
                        for s in owned {
                            self.remove_relation(s);
                        }
                    }
                    RelBody::Sequence(_) => {
                        // An identity column loses its identity with it.
                        for rel in self.relations.values_mut() {
                            if let RelBody::Table(t) = &mut rel.body {
                                for c in &mut t.columns {
                                    if c.identity.is_some_and(|i| i.sequence == r) {
                                        c.identity = None;
                                    }
                                }
                            }
                        }
                    }
                    RelBody::CompositeType(ty) => {
                        self.remove_type(ty);
                    }
                    RelBody::View(_) => {}
                }
            }
            ObjRef::Column(t, a) => {
                if let Some(RelBody::CompositeType(ty)) = self.relation(t).map(|r| r.body.clone()) {
                    if let Some(TypeKind::Composite { attributes, .. }) =
                        self.types.get_mut(&ty).map(|u| &mut u.kind)
                        && (a as usize) >= 1
                        && (a as usize) <= attributes.len()
                    {
                        attributes.remove(a as usize - 1);
                    }
                } else if let Some(tb) = self.table_mut(t) {
                    tb.columns.retain(|c| c.attnum != a);
                } else if let Some(RelBody::View(_)) = self.relation(t).map(|r| &r.body) {
                    // Dropping a view column means dropping the view.
                    self.remove_relation(t);
                }
            }
            ObjRef::Default(t, a) => {
                if let Some(c) = self
                    .table_mut(t)
                    .and_then(|tb| tb.columns.iter_mut().find(|c| c.attnum == a))
                {
                    c.default = None;
                }
            }
            ObjRef::Constraint(t, c) => {
                let idx = self
                    .table(t)
                    .and_then(|tb| tb.constraints.iter().find(|x| x.oid == c))
                    .and_then(|x| x.kind.index());
                self.remove_constraint(t, c);
                if let Some(tb) = self.table_mut(t)
                    && let Some(i) = idx
                {
                    tb.indexes.retain(|x| *x != i);
                }
                if let Some(i) = idx {
                    self.remove_relation(i);
                }
            }
            ObjRef::Trigger(t, g) => {
                if let Some(tgs) = self.relation_mut(t).and_then(Relation::triggers_mut) {
                    tgs.retain(|x| x.oid != g);
                }
            }
            ObjRef::Policy(t, p) => {
                if let Some(tb) = self.table_mut(t) {
                    tb.policies.retain(|x| x.oid != p);
                }
            }
            ObjRef::Type(ty) => {
                if let Some(t) = self.remove_type(ty)
                    && let TypeKind::Composite { relation, .. } = t.kind
                {
                    self.remove_relation(relation);
                }
            }
            ObjRef::DomainConstraint(d, c) => {
                if let Some(TypeKind::Domain { constraints, .. }) =
                    self.types.get_mut(&d).map(|t| &mut t.kind)
                {
                    constraints.retain(|x| x.oid != c);
                }
            }
            ObjRef::Function(f) => {
                self.functions.remove(&f);
            }
            ObjRef::Extension(e) => {
                self.extensions.remove(&e);
            }
        }
    }
}

fn list_name(obj: &Node) -> Option<QualName> {
    match obj.node.as_ref()? {
        NodeEnum::List(l) => qual_from_list(&l.items),
        NodeEnum::String(s) => Some(QualName::bare(&s.sval)),
        _ => None,
    }
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub(crate) fn object_type_word(kind: ObjectType) -> String {
    let debug = format!("{kind:?}");
    debug.trim_start_matches("Object").to_uppercase()
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{message, sqlstate};

    #[test]
    fn row_types_belong_to_their_relation() {
        assert_eq!(
            message("CREATE TABLE t (a int); DROP TYPE IF EXISTS t CASCADE"),
            "cannot drop type t because table t requires it"
        );
        assert_eq!(
            sqlstate("CREATE VIEW v AS SELECT 1 AS x; DROP TYPE v"),
            "2BP01"
        );
    }

    #[test]
    fn extension_members_go_with_the_extension() {
        assert_eq!(
            message("CREATE EXTENSION \"uuid-ossp\"; DROP FUNCTION uuid_generate_v4()"),
            "cannot drop function uuid_generate_v4() because extension uuid-ossp requires it"
        );
        assert_eq!(
            sqlstate("CREATE EXTENSION \"uuid-ossp\"; DROP FUNCTION IF EXISTS uuid_generate_v4()"),
            "2BP01"
        );
        assert_eq!(sqlstate("DROP FUNCTION uuid_generate_v4()"), "42883");
    }
}
