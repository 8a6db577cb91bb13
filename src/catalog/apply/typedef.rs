//! Types: enums, composite types, ranges and domains.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    self, AlterDomainStmt, AlterEnumStmt, CompositeTypeStmt, CreateDomainStmt, CreateEnumStmt,
};

use super::{Applied, is_cascade};
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{QualName, choose_name, qual_from_list, qual_from_rangevar, strings};
use crate::catalog::types::TypeRef;
use crate::catalog::{Catalog, ColType};
use pg_query::protobuf::Node;

impl Catalog {
    /// Checks a new type name is free in the type and relation namespaces.
    fn claim_type_name(&self, qn: &QualName) -> PgResult<Oid> {
        let schema = self.creation_schema(qn)?;
        if self.type_name_taken(schema, &qn.name) {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("type \"{}\" already exists", qn.name),
            ));
        }
        Ok(schema)
    }

    pub(super) fn create_enum(&mut self, s: &CreateEnumStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.type_name).unwrap_or_else(|| QualName::bare(""));
        let schema = self.claim_type_name(&qn)?;
        let mut labels: Vec<String> = Vec::new();
        for v in strings(&s.vals) {
            if v.len() > crate::catalog::names::MAX_IDENTIFIER_LEN {
                return Err(PgError::new(
                    code::INVALID_NAME,
                    format!("invalid enum label \"{v}\""),
                )
                .detail("Labels must be 63 bytes or less."));
            }
            if labels.iter().any(|l| l == v) {
                return Err(PgError::new(
                    code::UNIQUE_VIOLATION,
                    "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"",
                )
                .detail(format!(
                    "Key (enumtypid, enumlabel)=(0, {v}) already exists."
                )));
            }
            labels.push(v.to_string());
        }
        let oid = self.alloc_oid();
        self.insert_type(UserType {
            oid,
            schema,
            name: qn.name,
            kind: TypeKind::Enum { labels },
            comment: None,
            extension: None,
        });
        Ok(Applied::Schema)
    }

    pub(super) fn alter_enum(&mut self, s: &AlterEnumStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.type_name).unwrap_or_else(|| QualName::bare(""));
        let oid = self.lookup_user_type(&qn)?;
        let type_name = qn.name.clone();
        let Some(TypeKind::Enum { labels }) = self.types.get(&oid).map(|t| t.kind.clone()) else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{type_name}\" is not an enum"),
            ));
        };
        let mut labels = labels;
        if !s.old_val.is_empty() {
            // RENAME VALUE
            let Some(pos) = labels.iter().position(|l| *l == s.old_val) else {
                return Err(PgError::new(
                    code::INVALID_PARAMETER_VALUE,
                    format!("\"{}\" is not an existing enum label", s.old_val),
                ));
            };
            if labels.contains(&s.new_val) {
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!("enum label \"{}\" already exists", s.new_val),
                ));
            }
            labels[pos] = s.new_val.clone();
        } else {
            if labels.contains(&s.new_val) {
                if s.skip_if_new_val_exists {
                    return Ok(Applied::Skipped(format!(
                        "enum label \"{}\" already exists, skipping",
                        s.new_val
                    )));
                }
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!("enum label \"{}\" already exists", s.new_val),
                ));
            }
            if s.new_val.len() > crate::catalog::names::MAX_IDENTIFIER_LEN {
                return Err(PgError::new(
                    code::INVALID_NAME,
                    format!("invalid enum label \"{}\"", s.new_val),
                )
                .detail("Labels must be 63 bytes or less."));
            }
            let pos = if s.new_val_neighbor.is_empty() {
                labels.len()
            } else {
                let Some(n) = labels.iter().position(|l| *l == s.new_val_neighbor) else {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        format!("\"{}\" is not an existing enum label", s.new_val_neighbor),
                    ));
                };
                if s.new_val_is_after { n + 1 } else { n }
            };
            labels.insert(pos, s.new_val.clone());
            if self.in_transaction {
                self.uncommitted_enum_values.push((oid, s.new_val.clone()));
            }
        }
        if let Some(t) = self.types.get_mut(&oid) {
            t.kind = TypeKind::Enum { labels };
        }
        if !s.old_val.is_empty() {
            self.rename_enum_label_uses(oid, &s.old_val, &s.new_val);
        }
        Ok(Applied::Schema)
    }

    /// PostgreSQL stores enum constants by label OID, so defaults, checks
    /// and index expressions show a renamed label's new name. migsim keeps
    /// them as text and rewrites them: literals stored for a column of the
    /// enum (or an array of it), casts to the enum, and literals compared
    /// with such a column. A scan, but RENAME VALUE is rare.
    fn rename_enum_label_uses(&mut self, enum_oid: Oid, old: &str, new: &str) {
        let is_enum = |c: &Catalog, ty: &ColType| matches!(c.base_type(ty).base, TypeRef::User(o) if o == enum_oid);
        let rename_literal = |lit: &mut String, array: bool| {
            if !array && lit == old {
                *lit = new.to_string();
            } else if array
                && let Some(r) = crate::catalog::input::array::replace_element(lit, old, new)
            {
                *lit = r;
            }
        };
        let relations: Vec<Oid> = self.relations.keys().copied().collect();
        for rel in relations {
            // Columns of the enum, by name, with whether they are arrays.
            let enum_cols: Vec<(String, bool)> = match self.relation(rel).map(|r| &r.body) {
                Some(RelBody::Table(t)) => t
                    .columns
                    .iter()
                    .filter(|c| is_enum(self, &c.ty))
                    .map(|c| (c.name.clone(), self.base_type(&c.ty).array))
                    .collect(),
                Some(RelBody::Index(i)) => self
                    .table(i.table)
                    .map(|t| {
                        t.columns
                            .iter()
                            .filter(|c| is_enum(self, &c.ty))
                            .map(|c| (c.name.clone(), self.base_type(&c.ty).array))
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => continue,
            };
            // Casts `'x'::enum` anywhere, resolved before mutating.
            let cast_targets = |c: &Catalog, e: &Node| -> Vec<bool> {
                let mut out = Vec::new();
                expr::walk(e, &mut |n| {
                    if let NodeEnum::TypeCast(tc) = n
                        && let Some(tn) = tc.type_name.as_ref()
                        && let Ok(t) = c.resolve_type(tn)
                        && is_enum(c, &t)
                    {
                        out.push(t.array);
                    }
                });
                out
            };
            let fix = |c: &Catalog, e: &mut Node, own: Option<bool>| {
                let casts = cast_targets(c, e);
                let mut k = 0;
                expr::walk_mut(e, &mut |n| {
                    if let NodeEnum::TypeCast(tc) = n
                        && let Some(tn) = tc.type_name.as_ref()
                        && let Ok(t) = c.resolve_type(tn)
                        && is_enum(c, &t)
                    {
                        let array = casts.get(k).copied().unwrap_or(false);
                        k += 1;
                        if let Some(Node {
                            node: Some(NodeEnum::AConst(ac)),
                        }) = tc.arg.as_deref_mut()
                            && let Some(pg_query::protobuf::a_const::Val::Sval(s)) = ac.val.as_mut()
                        {
                            rename_literal(&mut s.sval, array);
                        }
                    }
                });
                if let Some(array) = own
                    && let Some(NodeEnum::AConst(ac)) = e.node.as_mut()
                    && let Some(pg_query::protobuf::a_const::Val::Sval(s)) = ac.val.as_mut()
                {
                    rename_literal(&mut s.sval, array);
                }
                expr::for_each_compared_literal_mut(e, &mut |col, lit| {
                    if let Some((_, array)) = enum_cols.iter().find(|(n, _)| n == col) {
                        rename_literal(lit, *array);
                    }
                });
            };
            let Some(mut body) = self.relation(rel).map(|r| r.body.clone()) else {
                continue;
            };
            match &mut body {
                RelBody::Table(t) => {
                    for col in &mut t.columns {
                        let own = is_enum(self, &col.ty).then(|| self.base_type(&col.ty).array);
                        if let Some(d) = col.default.as_mut() {
                            fix(self, d, own);
                        }
                        if let Some(g) = col.generated.as_mut() {
                            fix(self, g, None);
                        }
                    }
                    for con in &mut t.constraints {
                        if let ConstraintKind::Check { expr: e } = &mut con.kind {
                            fix(self, e, None);
                        }
                    }
                }
                RelBody::Index(i) => {
                    for k in &mut i.keys {
                        if let IndexTarget::Expr(e) = &mut k.target {
                            fix(self, e, None);
                        }
                    }
                    if let Some(p) = i.predicate.as_mut() {
                        fix(self, p, None);
                    }
                }
                _ => {}
            }
            if let Some(r) = self.relation_mut(rel) {
                r.body = body;
            }
        }
        // Defaults of domains over the enum.
        let domains: Vec<Oid> = self.types.keys().copied().collect();
        for d in domains {
            let Some(TypeKind::Domain { base, default, .. }) =
                self.types.get(&d).map(|t| t.kind.clone())
            else {
                continue;
            };
            let Some(mut default) = default else { continue };
            if !is_enum(self, &base) {
                continue;
            }
            let array = self.base_type(&base).array;
            if let Some(NodeEnum::AConst(ac)) = default.node.as_mut()
                && let Some(pg_query::protobuf::a_const::Val::Sval(s)) = ac.val.as_mut()
            {
                rename_literal(&mut s.sval, array);
            }
            if let Some(TypeKind::Domain { default: slot, .. }) =
                self.types.get_mut(&d).map(|t| &mut t.kind)
            {
                *slot = Some(default);
            }
        }
    }

    /// A user type by name (`LookupTypeName`), for ALTER TYPE and friends.
    pub(crate) fn lookup_user_type(&self, qn: &QualName) -> PgResult<Oid> {
        let schemas = match &qn.schema {
            Some(s) => vec![self.lookup_schema(s)?],
            None => self.search_schemas(),
        };
        if let Some(t) = schemas
            .iter()
            .find_map(|s| self.type_in_schema(*s, &qn.name))
        {
            return Ok(t);
        }
        if let Some(r) = schemas
            .iter()
            .find_map(|s| self.rel_in_schema(*s, &qn.name))
            && self.relation(r).is_some_and(Relation::has_columns)
        {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is a table's row type", qn.name),
            )
            .hint("Use ALTER TABLE instead."));
        }
        Err(PgError::new(
            code::UNDEFINED_OBJECT,
            format!("type \"{qn}\" does not exist"),
        ))
    }

    pub(super) fn create_composite_type(&mut self, s: &CompositeTypeStmt) -> PgResult<Applied> {
        let Some(rv) = s.typevar.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let schema = self.claim_type_name(&qn)?;
        if self.rel_name_taken(schema, &qn.name) {
            return Err(PgError::new(
                code::DUPLICATE_TABLE,
                format!("relation \"{}\" already exists", qn.name),
            ));
        }
        let mut attributes: Vec<(String, ColType, Option<String>)> = Vec::new();
        for c in &s.coldeflist {
            let Some(NodeEnum::ColumnDef(cd)) = c.node.as_ref() else {
                continue;
            };
            if attributes.iter().any(|a| a.0 == cd.colname) {
                return Err(PgError::new(
                    code::DUPLICATE_COLUMN,
                    format!("column \"{}\" specified more than once", cd.colname),
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
            attributes.push((cd.colname.clone(), ty, collation));
        }
        let toid = self.alloc_oid();
        let roid = self.alloc_oid();
        self.insert_relation(Relation {
            oid: roid,
            schema,
            name: qn.name.clone(),
            comment: None,
            extension: None,
            body: RelBody::CompositeType(toid),
        });
        self.insert_type(UserType {
            oid: toid,
            schema,
            name: qn.name,
            kind: TypeKind::Composite {
                relation: roid,
                attributes,
            },
            comment: None,
            extension: None,
        });
        Ok(Applied::Schema)
    }

    pub(super) fn create_range_type(&mut self, stmt: &NodeEnum) -> PgResult<Applied> {
        let NodeEnum::CreateRangeStmt(s) = stmt else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_list(&s.type_name).unwrap_or_else(|| QualName::bare(""));
        let schema = self.claim_type_name(&qn)?;
        let oid = self.alloc_oid();
        self.insert_type(UserType {
            oid,
            schema,
            name: qn.name,
            kind: TypeKind::Range {
                stmt: expr::node(stmt.clone()),
            },
            comment: None,
            extension: None,
        });
        Ok(Applied::Schema)
    }

    pub(super) fn create_domain(&mut self, s: &CreateDomainStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.domainname).unwrap_or_else(|| QualName::bare(""));
        let schema = self.claim_type_name(&qn)?;
        let Some(tn) = s.type_name.as_ref() else {
            return Ok(Applied::Schema);
        };
        let base = self.resolve_type(tn)?;
        let mut not_null = false;
        let mut default = None;
        let mut constraints = Vec::new();
        for c in &s.constraints {
            let Some(NodeEnum::Constraint(c)) = c.node.as_ref() else {
                continue;
            };
            match protobuf::ConstrType::try_from(c.contype)
                .unwrap_or(protobuf::ConstrType::Undefined)
            {
                protobuf::ConstrType::ConstrNotnull => not_null = true,
                protobuf::ConstrType::ConstrNull => not_null = false,
                protobuf::ConstrType::ConstrDefault => {
                    if let Some(raw) = c.raw_expr.as_deref() {
                        default = Some(self.cook_default(raw, &base, &qn.name)?);
                    }
                }
                protobuf::ConstrType::ConstrCheck => {
                    constraints.push(self.domain_check(
                        schema,
                        &qn.name,
                        &base,
                        c,
                        &constraints,
                    )?);
                }
                protobuf::ConstrType::ConstrPrimary
                | protobuf::ConstrType::ConstrUnique
                | protobuf::ConstrType::ConstrForeign
                | protobuf::ConstrType::ConstrExclusion => {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        "primary key, unique, foreign key and exclusion constraints not possible for domains",
                    ));
                }
                _ => {}
            }
        }
        let collation = match &s.coll_clause {
            Some(c) => Some(self.check_column_collation(&strings(&c.collname), &base)?),
            None => None,
        };
        let oid = self.alloc_oid();
        self.insert_type(UserType {
            oid,
            schema,
            name: qn.name,
            kind: TypeKind::Domain {
                base,
                not_null,
                default,
                collation,
                constraints,
            },
            comment: None,
            extension: None,
        });
        Ok(Applied::Schema)
    }

    fn domain_check(
        &mut self,
        schema: Oid,
        domain: &str,
        base: &ColType,
        c: &protobuf::Constraint,
        existing: &[Constraint],
    ) -> PgResult<Constraint> {
        let Some(e) = c.raw_expr.as_deref().cloned() else {
            return Err(PgError::new(code::SYNTAX_ERROR, "CHECK without expression"));
        };
        for (name, loc) in expr::column_refs(&e) {
            if name != "value" {
                return Err(PgError::new(
                    code::UNDEFINED_COLUMN,
                    format!("column \"{name}\" does not exist"),
                )
                .at(loc));
            }
        }
        if expr::find_forbidden(&e).is_some() {
            return Err(PgError::new(
                code::FEATURE_NOT_SUPPORTED,
                "cannot use subquery in check constraint",
            ));
        }
        self.check_expression_functions(&e, &|_| None)?;
        self.check_domain_check_types(&e, base)?;
        let name = if c.conname.is_empty() {
            choose_name(domain, None, "check", |n| {
                self.constraint_name_in_schema(schema, n) || existing.iter().any(|x| x.name == n)
            })
        } else {
            if existing.iter().any(|x| x.name == c.conname) {
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!(
                        "constraint \"{}\" for domain \"{domain}\" already exists",
                        c.conname
                    ),
                ));
            }
            c.conname.clone()
        };
        Ok(Constraint {
            oid: self.alloc_oid(),
            name,
            kind: ConstraintKind::Check { expr: e },
            deferrable: false,
            initially_deferred: false,
            validated: !c.skip_validation,
            no_inherit: false,
            is_local: true,
            comment: None,
        })
    }

    pub(super) fn alter_domain(&mut self, s: &AlterDomainStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.type_name).unwrap_or_else(|| QualName::bare(""));
        let oid = self.lookup_user_type(&qn)?;
        let Some(TypeKind::Domain { base, .. }) = self.types.get(&oid).map(|t| t.kind.clone())
        else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a domain", qn.name),
            ));
        };
        let schema = self.types.get(&oid).map_or(0, |t| t.schema);
        match s.subtype.as_str() {
            // SET/DROP DEFAULT
            "T" => {
                let new_default = match s.def.as_deref() {
                    Some(raw) => Some(self.cook_default(raw, &base, &qn.name)?),
                    None => None,
                };
                if let Some(TypeKind::Domain { default, .. }) =
                    self.types.get_mut(&oid).map(|t| &mut t.kind)
                {
                    *default = new_default;
                }
            }
            "N" | "O" => {
                let value = s.subtype == "O";
                if let Some(TypeKind::Domain { not_null, .. }) =
                    self.types.get_mut(&oid).map(|t| &mut t.kind)
                {
                    *not_null = value;
                }
            }
            "C" => {
                let Some(NodeEnum::Constraint(c)) = s.def.as_ref().and_then(|d| d.node.as_ref())
                else {
                    return Ok(Applied::Schema);
                };
                if protobuf::ConstrType::try_from(c.contype)
                    == Ok(protobuf::ConstrType::ConstrNotnull)
                {
                    if let Some(TypeKind::Domain { not_null, .. }) =
                        self.types.get_mut(&oid).map(|t| &mut t.kind)
                    {
                        *not_null = true;
                    }
                    return Ok(Applied::Schema);
                }
                let existing = match self.types.get(&oid).map(|t| &t.kind) {
                    Some(TypeKind::Domain { constraints, .. }) => constraints.clone(),
                    _ => Vec::new(),
                };
                let con = self.domain_check(schema, &qn.name, &base, c, &existing)?;
                if let Some(TypeKind::Domain { constraints, .. }) =
                    self.types.get_mut(&oid).map(|t| &mut t.kind)
                {
                    constraints.push(con);
                }
            }
            "X" => {
                let con = match self.types.get(&oid).map(|t| &t.kind) {
                    Some(TypeKind::Domain { constraints, .. }) => {
                        constraints.iter().find(|c| c.name == s.name).map(|c| c.oid)
                    }
                    _ => None,
                };
                match con {
                    Some(c) => self.drop_objects(
                        &[ObjRef::DomainConstraint(oid, c)],
                        is_cascade(s.behavior),
                    )?,
                    None if s.missing_ok => {
                        return Ok(Applied::Skipped(format!(
                            "constraint \"{}\" of domain \"{}\" does not exist, skipping",
                            s.name, qn.name
                        )));
                    }
                    None => {
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!(
                                "constraint \"{}\" of domain \"{}\" does not exist",
                                s.name, qn.name
                            ),
                        ));
                    }
                }
            }
            "V" => {
                if let Some(TypeKind::Domain { constraints, .. }) =
                    self.types.get_mut(&oid).map(|t| &mut t.kind)
                {
                    match constraints.iter_mut().find(|c| c.name == s.name) {
                        Some(c) => c.validated = true,
                        None => {
                            return Err(PgError::new(
                                code::UNDEFINED_OBJECT,
                                format!(
                                    "constraint \"{}\" of domain \"{}\" does not exist",
                                    s.name, qn.name
                                ),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(Applied::Schema)
    }

    /// Is `ty` an enum label added in the still-open transaction?
    pub(crate) fn check_enum_value_committed(&self, ty: &ColType, label: &str) -> PgResult<()> {
        if let TypeRef::User(oid) = self.base_type(ty).base
            && self
                .uncommitted_enum_values
                .iter()
                .any(|(t, l)| *t == oid && l == label)
        {
            let name = self.user_type(oid).map_or("?", |t| t.name.as_str());
            return Err(PgError::new(
                code::UNSAFE_NEW_ENUM_VALUE_USAGE,
                format!("unsafe use of new value \"{label}\" of enum type {name}"),
            )
            .hint("New enum values must be committed before they can be used."));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{run, sqlstate};
    use crate::catalog::{QualName, expr};

    #[test]
    fn renamed_enum_labels_follow_into_stored_expressions() {
        let c = run("CREATE TYPE status AS ENUM ('draft', 'published');
             CREATE TABLE post (s status DEFAULT 'draft' CHECK (s <> 'draft' OR true),
                                h status[] DEFAULT '{draft,published}',
                                x text DEFAULT 'draft');
             ALTER TYPE status RENAME VALUE 'draft' TO 'pending'")
        .unwrap();
        let t = c
            .table(c.lookup_relation(&QualName::bare("post")).unwrap().unwrap())
            .unwrap();
        let default = |n: &str| expr::deparse_expr(t.column(n).unwrap().default.as_ref().unwrap());
        assert_eq!(default("s"), "'pending'");
        assert_eq!(default("h"), "'{pending,published}'");
        // A text column keeps its text.
        assert_eq!(default("x"), "'draft'");
        let check = t
            .constraints
            .iter()
            .find_map(|con| match &con.kind {
                crate::catalog::ConstraintKind::Check { expr: e } => Some(expr::deparse_expr(e)),
                _ => None,
            })
            .unwrap();
        assert!(check.contains("'pending'"), "{check}");
    }

    #[test]
    fn new_enum_values_wait_for_commit() {
        let base = "CREATE TYPE st AS ENUM ('a'); CREATE TABLE t (s st); BEGIN;
                    ALTER TYPE st ADD VALUE 'c';";
        assert_eq!(
            sqlstate(&format!("{base} ALTER TABLE t ADD CHECK (s <> 'c')")),
            "55P04"
        );
        assert_eq!(
            sqlstate(&format!("{base} INSERT INTO t VALUES ('c')")),
            "55P04"
        );
        assert_eq!(
            sqlstate(&format!("{base} COMMIT; INSERT INTO t VALUES ('c')")),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TYPE st AS ENUM ('a'); CREATE TABLE t (s st CHECK (s <> 'zz'))"),
            "22P02"
        );
    }
}
