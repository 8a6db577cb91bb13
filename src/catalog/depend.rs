//! Dependencies between objects, derived on demand from the objects
//! themselves (PostgreSQL keeps them in pg_depend; deriving them means they
//! can never go stale). Used by DROP ... RESTRICT/CASCADE and by the checks
//! of ALTER that other objects constrain.

use std::collections::HashSet;

use super::Catalog;
use super::expr;
use super::model::*;
use super::names::QualName;
use super::types::{ColType, TypeRef};

/// How a dependent object goes when what it depends on is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    /// Dropped silently along with it (indexes of a table, the sequence a
    /// serial column owns).
    Auto,
    /// Blocks a RESTRICT drop; dropped by CASCADE.
    Normal,
}

impl Catalog {
    /// Objects that depend directly on `obj`.
    pub fn dependents(&self, obj: ObjRef) -> Vec<(ObjRef, DepKind)> {
        let mut out = Vec::new();
        match obj {
            ObjRef::Schema(s) => {
                for r in self
                    .relations
                    .values()
                    .filter(|r| r.schema == s && r.extension.is_none())
                {
                    if matches!(r.body, RelBody::Index(_)) {
                        continue;
                    }
                    if let Some(seq) = r.sequence()
                        && seq
                            .owned_by
                            .is_some_and(|(t, _)| self.relation(t).is_some_and(|tr| tr.schema == s))
                    {
                        continue;
                    }
                    if matches!(r.body, RelBody::CompositeType(_)) {
                        continue;
                    }
                    out.push((ObjRef::Relation(r.oid), DepKind::Normal));
                }
                for t in self
                    .types
                    .values()
                    .filter(|t| t.schema == s && t.extension.is_none())
                {
                    out.push((ObjRef::Type(t.oid), DepKind::Normal));
                }
                for f in self.functions.values().filter(|f| f.schema == s) {
                    out.push((ObjRef::Function(f.oid), DepKind::Normal));
                }
                for e in self.extensions.values().filter(|e| e.schema == s) {
                    out.push((ObjRef::Extension(e.oid), DepKind::Normal));
                }
            }
            ObjRef::Relation(r) => self.relation_dependents(r, &mut out),
            ObjRef::Column(t, a) => self.column_dependents(t, a, &mut out),
            ObjRef::Constraint(t, c) => {
                if let Some(con) = self
                    .table(t)
                    .and_then(|tb| tb.constraints.iter().find(|x| x.oid == c))
                    && let Some(idx) = con.kind.index()
                {
                    out.push((ObjRef::Relation(idx), DepKind::Auto));
                    self.fks_on_index(idx, &mut out);
                }
            }
            ObjRef::Type(ty) => self.type_dependents(ty, &mut out),
            ObjRef::Function(f) => self.function_dependents(f, &mut out),
            ObjRef::Extension(e) => self.extension_dependents(e, &mut out),
            ObjRef::Default(..)
            | ObjRef::Trigger(..)
            | ObjRef::Policy(..)
            | ObjRef::DomainConstraint(..) => {}
        }
        out
    }

    fn relation_dependents(&self, r: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        let Some(rel) = self.relation(r) else { return };
        match &rel.body {
            RelBody::Table(t) => {
                for idx in &t.indexes {
                    // Constraint indexes come with their constraint.
                    if self
                        .relation(*idx)
                        .and_then(Relation::index)
                        .is_some_and(|i| i.constraint.is_none())
                    {
                        out.push((ObjRef::Relation(*idx), DepKind::Auto));
                    }
                }
                for c in &t.constraints {
                    out.push((ObjRef::Constraint(r, c.oid), DepKind::Auto));
                }
                for tg in &t.triggers {
                    out.push((ObjRef::Trigger(r, tg.oid), DepKind::Auto));
                }
                for p in &t.policies {
                    out.push((ObjRef::Policy(r, p.oid), DepKind::Auto));
                }
                for col in &t.columns {
                    self.column_dependents(r, col.attnum, out);
                }
                // Partitions go with their parent; inheritance children block.
                for other in self.referrers(r) {
                    if let Some(ot) = other.table() {
                        if ot.partition_of.as_ref().is_some_and(|p| p.0 == r) {
                            out.push((ObjRef::Relation(other.oid), DepKind::Auto));
                        } else if ot.inherits.contains(&r) {
                            out.push((ObjRef::Relation(other.oid), DepKind::Normal));
                        }
                    }
                }
            }
            RelBody::View(v) => {
                for tg in &v.triggers {
                    out.push((ObjRef::Trigger(r, tg.oid), DepKind::Auto));
                }
                for i in 0..v.columns.len() {
                    self.column_dependents(r, i as i16 + 1, out);
                }
                if let Some(idxs) = self.matview_indexes(r) {
                    for i in idxs {
                        out.push((ObjRef::Relation(i), DepKind::Auto));
                    }
                }
            }
            RelBody::Index(_) => {
                self.fks_on_index(r, out);
            }
            RelBody::Sequence(_) => {
                // Defaults calling nextval on it.
                for other in self.referrers(r) {
                    if let Some(t) = other.table() {
                        for c in &t.columns {
                            if let Some(d) = &c.default
                                && self.expr_uses_sequence(d, r)
                            {
                                out.push((ObjRef::Default(other.oid, c.attnum), DepKind::Normal));
                            }
                        }
                    }
                }
                self.views_using(r, |d| d.sequences.contains(&r), out);
            }
            RelBody::CompositeType(_) => {}
        }
        // Views over this relation as a whole.
        self.views_using(r, |d| d.relations.contains(&r), out);
        // Columns and functions typed by this relation's row type.
        self.row_type_users(r, out);
    }

    fn matview_indexes(&self, r: Oid) -> Option<Vec<Oid>> {
        let idx: Vec<Oid> = self
            .relations
            .values()
            .filter(|x| x.index().is_some_and(|i| i.table == r))
            .map(|x| x.oid)
            .collect();
        (!idx.is_empty()).then_some(idx)
    }

    fn column_dependents(&self, t: Oid, a: i16, out: &mut Vec<(ObjRef, DepKind)>) {
        let Some(rel) = self.relation(t) else { return };
        if let RelBody::Table(tb) = &rel.body {
            let Some(col) = tb.column_by_num(a) else {
                return;
            };
            let name = col.name.clone();
            for idx in &tb.indexes {
                let Some(i) = self.relation(*idx).and_then(Relation::index) else {
                    continue;
                };
                if index_uses_column(i, a, &name) {
                    match i.constraint {
                        Some(c) => push_unique(out, ObjRef::Constraint(t, c), DepKind::Auto),
                        None => push_unique(out, ObjRef::Relation(*idx), DepKind::Auto),
                    }
                }
            }
            for c in &tb.constraints {
                let uses = match &c.kind {
                    ConstraintKind::Check { expr } => {
                        expr::column_refs(expr).iter().any(|(n, _)| *n == name)
                    }
                    ConstraintKind::ForeignKey(fk) => fk.columns.contains(&a),
                    _ => false,
                };
                if uses {
                    push_unique(out, ObjRef::Constraint(t, c.oid), DepKind::Auto);
                }
            }
            for other in &tb.columns {
                if let Some(g) = &other.generated
                    && other.attnum != a
                    && expr::column_refs(g).iter().any(|(n, _)| *n == name)
                {
                    push_unique(out, ObjRef::Column(t, other.attnum), DepKind::Normal);
                }
            }
            // `UPDATE OF col` triggers and policies that name the column
            // block a RESTRICT drop.
            for tg in &tb.triggers {
                if tg.columns.contains(&a) {
                    push_unique(out, ObjRef::Trigger(t, tg.oid), DepKind::Normal);
                }
            }
            for p in &tb.policies {
                if let Some(pg_query::NodeEnum::CreatePolicyStmt(cp)) = p.stmt.node.as_ref() {
                    let uses = [cp.qual.as_deref(), cp.with_check.as_deref()]
                        .into_iter()
                        .flatten()
                        .any(|e| expr::column_refs(e).iter().any(|(n, _)| *n == name));
                    if uses {
                        push_unique(out, ObjRef::Policy(t, p.oid), DepKind::Normal);
                    }
                }
            }
            // Sequences owned by the column.
            for r in self.referrers(t) {
                if let Some(s) = r.sequence()
                    && s.owned_by == Some((t, a))
                {
                    push_unique(out, ObjRef::Relation(r.oid), DepKind::Auto);
                }
            }
            // Foreign keys elsewhere that reference the column.
            for other in self.referrers(t) {
                if let Some(ot) = other.table() {
                    for c in &ot.constraints {
                        if let ConstraintKind::ForeignKey(fk) = &c.kind
                            && fk.ref_table == t
                            && fk.ref_columns.contains(&a)
                            && other.oid != t
                        {
                            push_unique(out, ObjRef::Constraint(other.oid, c.oid), DepKind::Normal);
                        }
                    }
                }
            }
        }
        self.views_using(t, |d| d.columns.contains(&(t, a)), out);
    }

    fn fks_on_index(&self, idx: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        let Some(table) = self
            .relation(idx)
            .and_then(Relation::index)
            .map(|i| i.table)
        else {
            return;
        };
        for other in self.referrers(table) {
            if let Some(ot) = other.table() {
                for c in &ot.constraints {
                    if let ConstraintKind::ForeignKey(fk) = &c.kind
                        && fk.ref_index == idx
                    {
                        push_unique(out, ObjRef::Constraint(other.oid, c.oid), DepKind::Normal);
                    }
                }
            }
        }
    }

    /// Views that use `target` in the way `pred` tests.
    fn views_using(
        &self,
        target: Oid,
        pred: impl Fn(&QueryDeps) -> bool,
        out: &mut Vec<(ObjRef, DepKind)>,
    ) {
        for r in self.referrers(target) {
            if let Some(v) = r.view()
                && pred(&v.deps)
            {
                push_unique(out, ObjRef::Relation(r.oid), DepKind::Normal);
            }
        }
    }

    /// Columns, types and functions using a relation's row type.
    fn row_type_users(&self, rel: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        let ty = TypeRef::Row(rel);
        for r in self.referrers(rel) {
            if let Some(t) = r.table() {
                for c in &t.columns {
                    if c.ty.base == ty {
                        push_unique(out, ObjRef::Column(r.oid, c.attnum), DepKind::Normal);
                    }
                }
            }
        }
        self.type_users_outside_tables(&ty, out);
    }

    fn type_users(&self, ty: &TypeRef, out: &mut Vec<(ObjRef, DepKind)>) {
        let uses = |c: &ColType| &c.base == ty;
        for r in self.relations.values() {
            if let Some(t) = r.table() {
                for c in &t.columns {
                    if uses(&c.ty) {
                        push_unique(out, ObjRef::Column(r.oid, c.attnum), DepKind::Normal);
                    }
                }
            }
        }
        self.type_users_outside_tables(ty, out);
    }

    fn type_users_outside_tables(&self, ty: &TypeRef, out: &mut Vec<(ObjRef, DepKind)>) {
        let uses = |c: &ColType| &c.base == ty;
        for t in self.types.values() {
            match &t.kind {
                TypeKind::Domain { base, .. } if uses(base) => {
                    push_unique(out, ObjRef::Type(t.oid), DepKind::Normal);
                }
                // A composite type's attribute of the type goes by itself.
                TypeKind::Composite {
                    attributes,
                    relation,
                } => {
                    for (i, a) in attributes.iter().enumerate() {
                        if uses(&a.1) {
                            push_unique(
                                out,
                                ObjRef::Column(*relation, i as i16 + 1),
                                DepKind::Normal,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        for f in self.functions.values() {
            if f.args.iter().any(|a| uses(&a.ty)) || f.returns.as_ref().is_some_and(uses) {
                push_unique(out, ObjRef::Function(f.oid), DepKind::Normal);
            }
        }
    }

    fn type_dependents(&self, ty: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        self.type_users(&TypeRef::User(ty), out);
        for r in self.relations.values() {
            if let Some(v) = r.view()
                && v.deps.types.contains(&ty)
            {
                push_unique(out, ObjRef::Relation(r.oid), DepKind::Normal);
            }
        }
        // Defaults and checks that cast to the type.
        for r in self.relations.values() {
            if let Some(t) = r.table() {
                for c in &t.columns {
                    if let Some(d) = &c.default
                        && self.expr_uses_type(d, ty)
                        && !matches!(&c.ty.base, TypeRef::User(x) if *x == ty)
                    {
                        push_unique(out, ObjRef::Default(r.oid, c.attnum), DepKind::Normal);
                    }
                }
            }
        }
        if let Some(TypeKind::Composite { relation, .. }) = self.user_type(ty).map(|t| &t.kind) {
            out.push((ObjRef::Relation(*relation), DepKind::Auto));
        }
    }

    fn function_dependents(&self, f: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        for r in self.relations.values() {
            for tg in r.triggers() {
                if tg.function == f {
                    push_unique(out, ObjRef::Trigger(r.oid, tg.oid), DepKind::Normal);
                }
            }
            if let Some(t) = r.table() {
                for c in &t.columns {
                    if let Some(d) = &c.default
                        && self.expr_calls(d, f)
                    {
                        push_unique(out, ObjRef::Default(r.oid, c.attnum), DepKind::Normal);
                    }
                }
                for c in &t.constraints {
                    if let ConstraintKind::Check { expr } = &c.kind
                        && self.expr_calls(expr, f)
                    {
                        push_unique(out, ObjRef::Constraint(r.oid, c.oid), DepKind::Normal);
                    }
                }
                for idx in &t.indexes {
                    if let Some(i) = self.relation(*idx).and_then(Relation::index) {
                        let uses = i.keys.iter().any(
                            |k| matches!(&k.target, IndexTarget::Expr(e) if self.expr_calls(e, f)),
                        ) || i.predicate.as_ref().is_some_and(|p| self.expr_calls(p, f));
                        if uses {
                            push_unique(out, ObjRef::Relation(*idx), DepKind::Normal);
                        }
                    }
                }
            }
        }
        for r in self.relations.values() {
            if let Some(v) = r.view()
                && v.deps.functions.contains(&f)
            {
                push_unique(out, ObjRef::Relation(r.oid), DepKind::Normal);
            }
        }
    }

    fn extension_dependents(&self, e: Oid, out: &mut Vec<(ObjRef, DepKind)>) {
        let Some(ext) = self.extension(e) else { return };
        for t in self.types.values().filter(|t| t.extension == Some(e)) {
            out.push((ObjRef::Type(t.oid), DepKind::Auto));
        }
        for r in self.relations.values().filter(|r| r.extension == Some(e)) {
            out.push((ObjRef::Relation(r.oid), DepKind::Auto));
        }
        // Extensions that require this one.
        for other in self.extensions.values() {
            if let Some(def) = super::builtins::BUILTINS
                .extensions
                .get(other.name.as_str())
                && def.requires.contains(&ext.name.as_str())
            {
                out.push((ObjRef::Extension(other.oid), DepKind::Normal));
            }
        }
        let Some(def) = super::builtins::BUILTINS.extensions.get(ext.name.as_str()) else {
            return;
        };
        // Uses of the extension's functions and operator classes.
        let ext_schema = self.schema_name(ext.schema).to_string();
        let is_ext_call = |q: &QualName| {
            let schema_ok = q.schema.as_deref().is_none_or(|s| s == ext_schema);
            schema_ok
                && super::builtins::BUILTINS.functions(&q.name).is_none()
                && (def.functions.iter().any(|f| f.0 == q.name)
                    || def
                        .function_prefixes
                        .iter()
                        .any(|p| q.name.to_ascii_lowercase().starts_with(p)))
        };
        for r in self.relations.values() {
            if let Some(t) = r.table() {
                for c in &t.columns {
                    if let Some(d) = &c.default
                        && expr::function_calls(d)
                            .iter()
                            .any(|(q, _, _)| is_ext_call(q))
                    {
                        push_unique(out, ObjRef::Default(r.oid, c.attnum), DepKind::Normal);
                    }
                }
            }
            if let Some(i) = r.index() {
                let uses_opclass = i.keys.iter().any(|k| {
                    k.opclass.as_ref().is_some_and(|o| {
                        let bare = o.rsplit('.').next().unwrap_or(o);
                        super::builtins::BUILTINS
                            .opclasses
                            .iter()
                            .any(|oc| oc.extension == Some(def.name) && oc.name == bare)
                    })
                });
                let uses_am = def.access_methods.contains(&i.method.as_str());
                let uses_fn = i.keys.iter().any(|k| match &k.target {
                    IndexTarget::Expr(e) => expr::function_calls(e)
                        .iter()
                        .any(|(q, _, _)| is_ext_call(q)),
                    IndexTarget::Column(_) => false,
                });
                if uses_opclass || uses_am || uses_fn {
                    push_unique(out, ObjRef::Relation(r.oid), DepKind::Normal);
                }
            }
        }
    }

    fn expr_uses_sequence(&self, e: &pg_query::protobuf::Node, seq: Oid) -> bool {
        expr::nextval_targets(e)
            .iter()
            .any(|q| self.lookup_relation(q).ok().flatten() == Some(seq))
    }

    fn expr_uses_type(&self, e: &pg_query::protobuf::Node, ty: Oid) -> bool {
        let mut found = false;
        expr::walk(e, &mut |n| {
            if let pg_query::NodeEnum::TypeCast(tc) = n
                && let Some(tn) = tc.type_name.as_ref()
                && let Ok(t) = self.resolve_type(tn)
                && t.base == TypeRef::User(ty)
            {
                found = true;
            }
            // `mood('ok')`: stored as the cast it is.
            if let pg_query::NodeEnum::FuncCall(fc) = n
                && fc.args.len() == 1
                && let Some(q) = crate::catalog::names::qual_from_list(&fc.funcname)
                && self
                    .type_named_by_call(&q)
                    .is_some_and(|t| t.base == TypeRef::User(ty))
                && self.resolve_function(&q, 1).is_none()
            {
                found = true;
            }
        });
        found
    }

    fn expr_calls(&self, e: &pg_query::protobuf::Node, f: Oid) -> bool {
        expr::function_calls(e).iter().any(|(q, n, _)| {
            matches!(self.resolve_function(q, *n), Some(crate::catalog::apply::FuncMatch::User(o, _)) if o == f)
        })
    }

    /// Every object that goes if `targets` go, in an order where dependents
    /// come before what they depend on; or the first dependent that blocks
    /// a RESTRICT drop, with the chain of descriptions PostgreSQL prints.
    pub fn drop_closure(
        &self,
        targets: &[ObjRef],
        cascade: bool,
    ) -> Result<Vec<ObjRef>, Vec<(ObjRef, ObjRef)>> {
        let mut seen: HashSet<ObjRef> = targets.iter().copied().collect();
        let mut order: Vec<ObjRef> = Vec::new();
        let mut blockers: Vec<(ObjRef, ObjRef)> = Vec::new();
        let mut stack: Vec<ObjRef> = targets.to_vec();
        let mut visited: Vec<ObjRef> = Vec::new();
        while let Some(obj) = stack.pop() {
            visited.push(obj);
            for (dep, kind) in self.dependents(obj) {
                if seen.contains(&dep) || self.is_part_of(dep, &seen) {
                    continue;
                }
                if kind == DepKind::Normal && !cascade {
                    blockers.push((dep, obj));
                    continue;
                }
                seen.insert(dep);
                stack.push(dep);
            }
        }
        if !blockers.is_empty() {
            return Err(blockers);
        }
        // Dependents first: reverse of discovery.
        for obj in visited.into_iter().rev() {
            if !order.contains(&obj) {
                order.push(obj);
            }
        }
        Ok(order)
    }

    /// A column or constraint of a relation already being dropped.
    fn is_part_of(&self, obj: ObjRef, set: &HashSet<ObjRef>) -> bool {
        match obj {
            ObjRef::Column(t, _)
            | ObjRef::Default(t, _)
            | ObjRef::Constraint(t, _)
            | ObjRef::Trigger(t, _)
            | ObjRef::Policy(t, _) => set.contains(&ObjRef::Relation(t)),
            _ => false,
        }
    }

    /// `getObjectDescription`: "table a", "column c of table t", ...
    pub fn describe(&self, obj: ObjRef) -> String {
        match obj {
            ObjRef::Schema(s) => format!("schema {}", self.schema_name(s)),
            ObjRef::Relation(r) => match self.relation(r) {
                Some(rel) => format!("{} {}", rel.kind_word(), self.visible_rel_name(r)),
                None => format!("relation {r}"),
            },
            ObjRef::Column(t, a) => format!(
                "column {} of {} {}",
                self.attr_name(t, a),
                self.relation(t).map_or("table", Relation::kind_word),
                self.visible_rel_name(t)
            ),
            ObjRef::Default(t, a) => format!(
                "default value for column {} of table {}",
                self.attr_name(t, a),
                self.visible_rel_name(t)
            ),
            ObjRef::Constraint(t, c) => format!(
                "constraint {} on table {}",
                self.table(t)
                    .and_then(|tb| tb.constraints.iter().find(|x| x.oid == c))
                    .map_or("?", |x| x.name.as_str()),
                self.visible_rel_name(t)
            ),
            ObjRef::Trigger(t, g) => format!(
                "trigger {} on {} {}",
                self.relation(t)
                    .and_then(|r| r.triggers().iter().find(|x| x.oid == g))
                    .map_or("?", |x| x.name.as_str()),
                self.relation(t).map_or("table", Relation::kind_word),
                self.visible_rel_name(t)
            ),
            ObjRef::Policy(t, p) => format!(
                "policy {} on table {}",
                self.table(t)
                    .and_then(|tb| tb.policies.iter().find(|x| x.oid == p))
                    .map_or("?", |x| x.name.as_str()),
                self.visible_rel_name(t)
            ),
            ObjRef::Type(t) => match self.user_type(t) {
                Some(ut) => format!(
                    "{} {}",
                    ut.kind_word(),
                    self.type_display(&ColType {
                        base: TypeRef::User(t),
                        typmods: Vec::new(),
                        array: false,
                    })
                ),
                None => format!("type {t}"),
            },
            ObjRef::DomainConstraint(d, c) => format!(
                "constraint {} on domain {}",
                match self.user_type(d).map(|t| &t.kind) {
                    Some(TypeKind::Domain { constraints, .. }) => constraints
                        .iter()
                        .find(|x| x.oid == c)
                        .map_or("?".to_string(), |x| x.name.clone()),
                    _ => "?".into(),
                },
                self.user_type(d).map_or("?", |t| t.name.as_str())
            ),
            ObjRef::Function(f) => match self.function(f) {
                Some(func) => format!(
                    "{} {}({})",
                    if func.is_procedure {
                        "procedure"
                    } else {
                        "function"
                    },
                    func.name,
                    func.input_types()
                        .iter()
                        .map(|t| self.type_display(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("function {f}"),
            },
            ObjRef::Extension(e) => format!(
                "extension {}",
                self.extension(e).map_or("?", |x| x.name.as_str())
            ),
        }
    }

    fn attr_name(&self, t: Oid, a: i16) -> String {
        match self.relation(t).map(|r| &r.body) {
            Some(RelBody::Table(tb)) => tb.column_name(a).to_string(),
            Some(RelBody::CompositeType(ty)) => match self.user_type(*ty).map(|u| &u.kind) {
                Some(TypeKind::Composite { attributes, .. }) => attributes
                    .get(a as usize - 1)
                    .map_or("?".into(), |x| x.0.clone()),
                _ => "?".into(),
            },
            Some(RelBody::View(v)) => v
                .columns
                .get(a as usize - 1)
                .map_or("?".into(), |c| c.name.clone()),
            _ => "?".into(),
        }
    }

    /// A relation's name, schema-qualified only when not on the search path.
    pub fn visible_rel_name(&self, r: Oid) -> String {
        match self.relation(r) {
            Some(rel)
                if self.search_schemas().first() == Some(&rel.schema)
                    || self.search_schemas().contains(&rel.schema) =>
            {
                rel.name.clone()
            }
            Some(rel) => format!("{}.{}", self.schema_name(rel.schema), rel.name),
            None => "?".into(),
        }
    }
}

fn push_unique(out: &mut Vec<(ObjRef, DepKind)>, obj: ObjRef, kind: DepKind) {
    if !out.iter().any(|(o, _)| *o == obj) {
        out.push((obj, kind));
    }
}

fn index_uses_column(i: &Index, a: i16, name: &str) -> bool {
    i.include.contains(&a)
        || i.keys.iter().any(|k| match &k.target {
            IndexTarget::Column(c) => *c == a,
            IndexTarget::Expr(e) => expr::column_refs(e).iter().any(|(n, _)| n == name),
        })
        || i.predicate
            .as_ref()
            .is_some_and(|p| expr::column_refs(p).iter().any(|(n, _)| n == name))
}
