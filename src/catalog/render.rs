//! Printing the catalog back as an executable SQL script that recreates it
//! in an empty database, objects in dependency order (as pg_dump orders
//! them: schemas, extensions, types, functions, sequences, tables, views,
//! constraints, indexes, foreign keys, triggers, policies, comments).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use pg_query::NodeEnum;
use pg_query::protobuf::{self, Node};

use super::Catalog;
use super::expr::{self, deparse_expr};
use super::model::*;
use super::names::{quote_ident, quote_literal, quote_qualified};
use super::types::TypeRef;

impl Catalog {
    /// The whole schema as SQL.
    pub fn to_sql(&self) -> String {
        // pg_dump leaves out the session's temporary relations.
        if self.temporary_made && self.relations().any(|r| r.schema == super::PG_TEMP_OID) {
            let mut c = self.clone();
            c.drop_temporary_relations();
            return c.to_sql();
        }
        let mut out = String::new();
        out.push_str("-- Schema recreated by migsim from the replayed catalog.\n");
        out.push_str("SET check_function_bodies = false;\n");
        out.push_str("SET client_min_messages = warning;\n\n");
        self.render_schemas(&mut out);
        self.render_extensions(&mut out);
        for stmt in self.collation_statements() {
            let _ = writeln!(out, "{stmt};");
        }
        self.render_types(&mut out);
        let (early, late) = self.split_functions();
        for f in &early {
            self.render_function(&mut out, f);
        }
        self.render_sequences(&mut out);
        self.render_tables(&mut out);
        self.render_sequence_ownership(&mut out);
        for f in &late {
            self.render_function(&mut out, f);
        }
        self.render_views(&mut out);
        self.render_constraints_and_indexes(&mut out);
        self.render_triggers_and_policies(&mut out);
        self.render_comments(&mut out);
        out
    }

    fn rel_qname(&self, r: &Relation) -> String {
        quote_qualified(self.schema_name(r.schema), &r.name)
    }

    fn render_schemas(&self, out: &mut String) {
        if !self.schemas.contains_key(&super::PUBLIC_SCHEMA_OID) {
            out.push_str("DROP SCHEMA public;\n");
        }
        for s in self.schemas.values() {
            if s.oid == super::PUBLIC_SCHEMA_OID || s.extension.is_some() {
                continue;
            }
            let _ = writeln!(out, "CREATE SCHEMA {};", quote_ident(&s.name));
        }
        out.push('\n');
    }

    fn render_extensions(&self, out: &mut String) {
        // Required extensions first.
        let mut done: HashSet<Oid> = HashSet::new();
        let exts: Vec<&Extension> = self.extensions.values().collect();
        let mut progress = true;
        while done.len() < exts.len() && progress {
            progress = false;
            for e in &exts {
                if done.contains(&e.oid) {
                    continue;
                }
                let reqs = super::builtins::BUILTINS
                    .extensions
                    .get(e.name.as_str())
                    .map(|d| d.requires.clone())
                    .unwrap_or_default();
                let ready = reqs.iter().all(|r| {
                    exts.iter()
                        .find(|x| x.name == *r)
                        .is_none_or(|x| done.contains(&x.oid))
                });
                if ready {
                    let _ = writeln!(
                        out,
                        "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};",
                        quote_ident(&e.name),
                        quote_ident(self.schema_name(e.schema))
                    );
                    done.insert(e.oid);
                    progress = true;
                }
            }
        }
        if !exts.is_empty() {
            out.push('\n');
        }
    }

    fn type_qname(&self, t: &UserType) -> String {
        quote_qualified(self.schema_name(t.schema), &t.name)
    }

    fn render_types(&self, out: &mut String) {
        let types: Vec<&UserType> = self
            .types
            .values()
            .filter(|t| t.extension.is_none())
            .collect();
        // Enums and ranges need nothing user-defined; domains and composite
        // types may use other types, so emit in dependency order.
        let deps = |t: &UserType| -> Vec<Oid> {
            let mut d = Vec::new();
            let mut add = |ty: &super::ColType| {
                if let TypeRef::User(o) = ty.base {
                    d.push(o);
                }
            };
            match &t.kind {
                TypeKind::Domain { base, .. } => add(base),
                TypeKind::Composite { attributes, .. } => attributes.iter().for_each(|a| add(&a.1)),
                _ => {}
            }
            d
        };
        let order = topo_order(types.iter().map(|t| (t.oid, deps(t))).collect());
        for oid in order {
            let Some(t) = self.types.get(&oid) else {
                continue;
            };
            if t.extension.is_some() {
                continue;
            }
            let name = self.type_qname(t);
            match &t.kind {
                TypeKind::Enum { labels } => {
                    let labels: Vec<String> = labels.iter().map(|l| quote_literal(l)).collect();
                    let _ = writeln!(out, "CREATE TYPE {name} AS ENUM ({});", labels.join(", "));
                }
                TypeKind::Composite { attributes, .. } => {
                    let attrs: Vec<String> = attributes
                        .iter()
                        .map(|(n, ty, coll)| {
                            let mut s = format!("{} {}", quote_ident(n), self.type_sql(ty));
                            if let Some(c) = coll {
                                let _ = write!(s, " COLLATE {}", quote_collation(c));
                            }
                            s
                        })
                        .collect();
                    let _ = writeln!(out, "CREATE TYPE {name} AS ({});", attrs.join(", "));
                }
                TypeKind::Domain {
                    base,
                    not_null,
                    default,
                    collation,
                    constraints,
                } => {
                    let mut s = format!("CREATE DOMAIN {name} AS {}", self.type_sql(base));
                    if let Some(c) = collation {
                        let _ = write!(s, " COLLATE {}", quote_collation(c));
                    }
                    if let Some(d) = default {
                        let _ = write!(s, " DEFAULT {}", deparse_expr(d));
                    }
                    if *not_null {
                        s.push_str(" NOT NULL");
                    }
                    for c in constraints {
                        if let ConstraintKind::Check { expr } = &c.kind {
                            let _ = write!(
                                s,
                                " CONSTRAINT {} CHECK ({})",
                                quote_ident(&c.name),
                                deparse_expr(expr)
                            );
                            if !c.validated {
                                // NOT VALID is added after creation below.
                            }
                        }
                    }
                    let _ = writeln!(out, "{s};");
                }
                TypeKind::Range { stmt } => {
                    if let Some(n) = stmt.node.as_ref() {
                        let mut n = n.clone();
                        if let NodeEnum::CreateRangeStmt(r) = &mut n {
                            r.type_name =
                                vec![str_node(self.schema_name(t.schema)), str_node(&t.name)];
                        }
                        if let Some(sql) = expr::deparse_stmt(&n) {
                            let _ = writeln!(out, "{sql};");
                        }
                    }
                }
                TypeKind::Base { .. } => {}
            }
        }
        out.push('\n');
    }

    /// Functions whose signature names a table's row type must follow the
    /// tables; all others precede them (defaults and checks may call them).
    fn split_functions(&self) -> (Vec<&Function>, Vec<&Function>) {
        let uses_row = |f: &Function| {
            f.args.iter().any(|a| matches!(a.ty.base, TypeRef::Row(_)))
                || f.returns
                    .as_ref()
                    .is_some_and(|r| matches!(r.base, TypeRef::Row(_)))
        };
        // A `BEGIN ATOMIC` body is parsed and bound at creation, so the
        // tables it names must exist first.
        let atomic_body = |f: &Function| {
            matches!(
                f.stmt.node.as_ref(),
                Some(NodeEnum::CreateFunctionStmt(c)) if c.sql_body.is_some()
            )
        };
        self.functions
            .values()
            .partition(|f| !uses_row(f) && !atomic_body(f))
    }

    fn render_function(&self, out: &mut String, f: &Function) {
        if let Some(n) = f.stmt.node.as_ref()
            && let Some(sql) = expr::deparse_stmt(n)
        {
            let _ = writeln!(out, "{sql};\n");
        }
    }

    fn render_sequences(&self, out: &mut String) {
        for r in self.relations.values() {
            let RelBody::Sequence(s) = &r.body else {
                continue;
            };
            if s.identity || r.extension.is_some() {
                continue;
            }
            let unlogged = if s.persistence == Persistence::Unlogged {
                "UNLOGGED "
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "CREATE {unlogged}SEQUENCE {}{};",
                self.rel_qname(r),
                sequence_options(s)
            );
        }
        out.push('\n');
    }

    fn render_tables(&self, out: &mut String) {
        let tables: Vec<&Relation> = self
            .relations
            .values()
            .filter(|r| {
                r.extension.is_none()
                    && r.table()
                        .is_some_and(|t| t.persistence != Persistence::Temporary)
            })
            .collect();
        let deps = |r: &Relation| -> Vec<Oid> {
            let t = r.table().map(|t| {
                let mut d: Vec<Oid> = t.inherits.clone();
                if let Some((p, _)) = &t.partition_of {
                    d.push(*p);
                }
                for c in &t.columns {
                    if let TypeRef::Row(o) = c.ty.base {
                        d.push(o);
                    }
                }
                d
            });
            t.unwrap_or_default()
        };
        let order = topo_order(tables.iter().map(|r| (r.oid, deps(r))).collect());
        for oid in order {
            let Some(r) = self.relation(oid) else {
                continue;
            };
            let Some(t) = r.table() else { continue };
            self.render_table(out, r, t);
        }
    }

    fn render_table(&self, out: &mut String, r: &Relation, t: &Table) {
        let name = self.rel_qname(r);
        let persistence = match t.persistence {
            Persistence::Unlogged => "UNLOGGED ",
            Persistence::Temporary => "TEMPORARY ",
            Persistence::Permanent => "",
        };
        let mut elems: Vec<String> = Vec::new();
        // A table attached as a partition keeps columns of its own: like
        // pg_dump, it is made as a plain table (its own column order) and
        // then attached; `PARTITION OF` cannot list column types.
        let attached = t
            .partition_of
            .as_ref()
            .filter(|_| t.columns.iter().any(|c| c.is_local && c.inherit_count > 0));
        let partition_of = t.partition_of.as_ref().filter(|_| attached.is_none());
        for c in &t.columns {
            if partition_of.is_some() && !c.is_local {
                continue;
            }
            if !t.inherits.is_empty() && !c.is_local {
                continue;
            }
            elems.push(self.column_sql(c));
        }
        for c in &t.constraints {
            if let ConstraintKind::Check { expr } = &c.kind
                && c.validated
                && c.is_local
            {
                let mut s = format!(
                    "CONSTRAINT {} CHECK ({})",
                    quote_ident(&c.name),
                    deparse_expr(expr)
                );
                if c.no_inherit {
                    s.push_str(" NO INHERIT");
                }
                elems.push(s);
            }
        }
        let mut sql = format!("CREATE {persistence}TABLE {name}");
        if let Some((parent, bound)) = partition_of {
            let parent_name = self
                .relation(*parent)
                .map_or_else(String::new, |p| self.rel_qname(p));
            let _ = write!(sql, " PARTITION OF {parent_name}");
            if !elems.is_empty() {
                let _ = write!(sql, " (\n    {}\n)", elems.join(",\n    "));
            }
            let _ = write!(sql, " {}", partition_bound_sql(bound));
        } else {
            let _ = write!(sql, " (\n    {}\n)", elems.join(",\n    "));
            if !t.inherits.is_empty() {
                let parents: Vec<String> = t
                    .inherits
                    .iter()
                    .filter_map(|p| self.relation(*p).map(|p| self.rel_qname(p)))
                    .collect();
                let _ = write!(sql, " INHERITS ({})", parents.join(", "));
            }
        }
        if let Some(spec) = &t.partition {
            let _ = write!(sql, " {}", partition_spec_sql(spec));
        }
        if let Some(am) = &t.access_method {
            let _ = write!(sql, " USING {}", quote_ident(am));
        }
        if !t.options.is_empty() {
            let _ = write!(sql, " WITH ({})", t.options.join(", "));
        }
        if let Some(ts) = &t.tablespace {
            let _ = write!(sql, " TABLESPACE {}", quote_ident(ts));
        }
        let _ = writeln!(out, "{sql};\n");
        if let Some((parent, bound)) = attached {
            let parent_name = self
                .relation(*parent)
                .map_or_else(String::new, |p| self.rel_qname(p));
            let _ = writeln!(
                out,
                "ALTER TABLE ONLY {parent_name} ATTACH PARTITION {name} {};\n",
                partition_bound_sql(bound)
            );
        }
        // Inherited columns that differ from the parent's definition.
        if partition_of.is_some() || !t.inherits.is_empty() {
            for c in t.columns.iter().filter(|c| !c.is_local) {
                if c.not_null {
                    let _ = writeln!(
                        out,
                        "ALTER TABLE ONLY {name} ALTER COLUMN {} SET NOT NULL;",
                        quote_ident(&c.name)
                    );
                }
                if let Some(d) = &c.default {
                    let _ = writeln!(
                        out,
                        "ALTER TABLE ONLY {name} ALTER COLUMN {} SET DEFAULT {};",
                        quote_ident(&c.name),
                        deparse_expr(d)
                    );
                }
            }
        }
        for c in &t.columns {
            let col = quote_ident(&c.name);
            if let Some(s) = c.statistics {
                let _ = writeln!(
                    out,
                    "ALTER TABLE ONLY {name} ALTER COLUMN {col} SET STATISTICS {s};"
                );
            }
            if let Some(s) = &c.storage {
                let _ = writeln!(
                    out,
                    "ALTER TABLE ONLY {name} ALTER COLUMN {col} SET STORAGE {};",
                    s.to_uppercase()
                );
            }
        }
        if t.rls_enabled {
            let _ = writeln!(out, "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;");
        }
        if t.rls_forced {
            let _ = writeln!(out, "ALTER TABLE {name} FORCE ROW LEVEL SECURITY;");
        }
    }

    fn column_sql(&self, c: &Column) -> String {
        let mut s = format!("{} {}", quote_ident(&c.name), self.type_sql(&c.ty));
        if let Some(comp) = &c.compression {
            let _ = write!(s, " COMPRESSION {}", quote_ident(comp));
        }
        if let Some(coll) = &c.collation {
            let _ = write!(s, " COLLATE {}", quote_collation(coll));
        }
        if let Some(g) = &c.generated {
            let _ = write!(s, " GENERATED ALWAYS AS ({}) STORED", deparse_expr(g));
        }
        if let Some(id) = &c.identity {
            let when = if id.always { "ALWAYS" } else { "BY DEFAULT" };
            let _ = write!(s, " GENERATED {when} AS IDENTITY");
            if let Some(seq_rel) = self.relation(id.sequence)
                && let Some(seq) = seq_rel.sequence()
            {
                // The identity sequence takes the column's type: no AS.
                let _ = write!(
                    s,
                    " (SEQUENCE NAME {}{})",
                    self.rel_qname(seq_rel),
                    sequence_bounds(seq)
                );
            }
        }
        if let Some(d) = &c.default {
            let _ = write!(s, " DEFAULT {}", deparse_expr(d));
        }
        if c.not_null {
            s.push_str(" NOT NULL");
        }
        s
    }

    fn render_sequence_ownership(&self, out: &mut String) {
        for r in self.relations.values() {
            let RelBody::Sequence(s) = &r.body else {
                continue;
            };
            // An identity sequence whose type is not its column's: the
            // identity clause cannot say `AS` (PostgreSQL rejects it there).
            if s.identity
                && let Some((t, a)) = s.owned_by
                && let Some(col) = self.table(t).and_then(|tb| tb.column_by_num(a))
                && col.ty.builtin_name().is_some_and(|n| n != s.data_type)
            {
                let _ = writeln!(
                    out,
                    "ALTER SEQUENCE {}{};",
                    self.rel_qname(r),
                    sequence_options(s)
                );
            }
            if s.identity {
                continue;
            }
            if let Some((t, a)) = s.owned_by
                && let Some(tr) = self.relation(t)
                && let Some(tb) = tr.table()
            {
                let _ = writeln!(
                    out,
                    "ALTER SEQUENCE {} OWNED BY {}.{};",
                    self.rel_qname(r),
                    self.rel_qname(tr),
                    quote_ident(tb.column_name(a))
                );
            }
        }
        out.push('\n');
    }

    fn render_views(&self, out: &mut String) {
        let views: Vec<&Relation> = self
            .relations
            .values()
            // Temporary objects belong to a session, not to the schema.
            .filter(|r| r.view().is_some_and(|v| !v.temporary))
            .collect();
        let deps = |r: &Relation| -> Vec<Oid> {
            r.view()
                .map(|v| v.deps.relations.clone())
                .unwrap_or_default()
        };
        let order = topo_order(views.iter().map(|r| (r.oid, deps(r))).collect());
        for oid in order {
            let Some(r) = self.relation(oid) else {
                continue;
            };
            let Some(v) = r.view() else { continue };
            let query = v
                .query
                .node
                .as_ref()
                .and_then(expr::deparse_stmt)
                .unwrap_or_else(|| "SELECT".into());
            let name = self.rel_qname(r);
            let options = if v.options.is_empty() {
                String::new()
            } else {
                format!(" WITH ({})", v.options.join(", "))
            };
            if v.materialized {
                let data = if v.with_data { "" } else { " WITH NO DATA" };
                let _ = writeln!(
                    out,
                    "CREATE MATERIALIZED VIEW {name}{options} AS {query}{data};\n"
                );
            } else {
                let check = match &v.check_option {
                    Some(c) => format!(" WITH {} CHECK OPTION", c.to_uppercase()),
                    None => String::new(),
                };
                let _ = writeln!(out, "CREATE VIEW {name}{options} AS {query}{check};\n");
            }
            for c in &v.columns {
                if let Some(d) = &c.default {
                    let _ = writeln!(
                        out,
                        "ALTER VIEW {name} ALTER COLUMN {} SET DEFAULT {};",
                        quote_ident(&c.name),
                        deparse_expr(d)
                    );
                }
            }
        }
    }

    fn render_constraints_and_indexes(&self, out: &mut String) {
        let tables: Vec<&Relation> = self
            .relations
            .values()
            .filter(|r| r.table().is_some())
            .collect();
        // PRIMARY KEY, UNIQUE, EXCLUDE (the rest of a table's indexes may
        // be needed by foreign keys, so all indexes precede them).
        for r in &tables {
            let Some(t) = r.table() else { continue };
            for c in &t.constraints {
                if !c.is_local && t.partition_of.is_some() {
                    continue;
                }
                if let Some(sql) = self.index_constraint_sql(r, c) {
                    let _ = writeln!(out, "{sql};");
                }
            }
        }
        out.push('\n');
        let mut index_rels: Vec<&Relation> = self
            .relations
            .values()
            .filter(|r| r.index().is_some())
            .collect();
        index_rels.sort_by_key(|r| r.oid);
        for r in index_rels {
            let Some(i) = r.index() else { continue };
            if i.constraint.is_some() {
                continue;
            }
            if self.index_is_inherited(i) {
                continue;
            }
            let _ = writeln!(out, "{};", self.index_sql(r, i));
        }
        out.push('\n');
        for r in &tables {
            let Some(t) = r.table() else { continue };
            for c in &t.constraints {
                match &c.kind {
                    ConstraintKind::ForeignKey(fk) => {
                        if !c.is_local && t.partition_of.is_some() {
                            continue;
                        }
                        let _ = writeln!(out, "{};", self.fk_sql(r, t, c, fk));
                    }
                    ConstraintKind::Check { expr } if !c.validated => {
                        let _ = writeln!(
                            out,
                            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({}) NOT VALID;",
                            self.rel_qname(r),
                            quote_ident(&c.name),
                            deparse_expr(expr)
                        );
                    }
                    _ => {}
                }
            }
            match t.replica_identity {
                'n' => {
                    let _ = writeln!(
                        out,
                        "ALTER TABLE ONLY {} REPLICA IDENTITY NOTHING;",
                        self.rel_qname(r)
                    );
                }
                'f' => {
                    let _ = writeln!(
                        out,
                        "ALTER TABLE ONLY {} REPLICA IDENTITY FULL;",
                        self.rel_qname(r)
                    );
                }
                'i' => {
                    if let Some(idx) = t.replica_identity_index.and_then(|i| self.relation(i)) {
                        let _ = writeln!(
                            out,
                            "ALTER TABLE ONLY {} REPLICA IDENTITY USING INDEX {};",
                            self.rel_qname(r),
                            quote_ident(&idx.name)
                        );
                    }
                }
                _ => {}
            }
            if let Some(idx) = t.clustered_index.and_then(|i| self.relation(i)) {
                let _ = writeln!(
                    out,
                    "ALTER TABLE {} CLUSTER ON {};",
                    self.rel_qname(r),
                    quote_ident(&idx.name)
                );
            }
        }
        for s in self.types.values() {
            if let TypeKind::Domain { constraints, .. } = &s.kind {
                for c in constraints.iter().filter(|c| !c.validated) {
                    if let ConstraintKind::Check { .. } = &c.kind {
                        let _ = writeln!(
                            out,
                            "ALTER DOMAIN {} DROP CONSTRAINT {};",
                            self.type_qname(s),
                            quote_ident(&c.name)
                        );
                        if let ConstraintKind::Check { expr } = &c.kind {
                            let _ = writeln!(
                                out,
                                "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}) NOT VALID;",
                                self.type_qname(s),
                                quote_ident(&c.name),
                                deparse_expr(expr)
                            );
                        }
                    }
                }
            }
        }
        out.push('\n');
    }

    /// An index PostgreSQL itself creates on a partition for its parent's.
    fn index_is_inherited(&self, i: &Index) -> bool {
        let Some(t) = self.table(i.table) else {
            return false;
        };
        let Some((parent, _)) = &t.partition_of else {
            return false;
        };
        let Some(pt) = self.table(*parent) else {
            return false;
        };
        pt.indexes.iter().any(|pi| {
            self.relation(*pi)
                .and_then(Relation::index)
                .is_some_and(|p| {
                    p.method == i.method
                        && p.unique == i.unique
                        && p.keys.len() == i.keys.len()
                        && p.constraint.is_none() == i.constraint.is_none()
                })
        })
    }

    fn key_sql(&self, table: Oid, k: &IndexKey) -> String {
        let cols = self.columns_of(table);
        let mut s = match &k.target {
            IndexTarget::Column(a) => quote_ident(
                cols.iter()
                    .find(|c| c.1 == *a)
                    .map_or("?", |c| c.0.as_str()),
            ),
            IndexTarget::Expr(e) => {
                let text = deparse_expr(e);
                // A plain call needs no parentheses; one written in SQL
                // syntax may print as an operator (`x AT TIME ZONE 'UTC'`).
                let plain_call = matches!(
                    e.node.as_ref(),
                    Some(NodeEnum::FuncCall(fc))
                        if fc.funcformat != pg_query::protobuf::CoercionForm::CoerceSqlSyntax as i32
                );
                if plain_call {
                    text
                } else {
                    format!("({text})")
                }
            }
        };
        if let Some(c) = &k.collation {
            let _ = write!(s, " COLLATE {}", quote_collation(c));
        }
        if let Some(o) = &k.opclass {
            let _ = write!(
                s,
                " {}",
                o.split('.').map(quote_ident).collect::<Vec<_>>().join(".")
            );
            if !k.opclass_options.is_empty() {
                let _ = write!(s, " ({})", k.opclass_options.join(", "));
            }
        }
        match k.ordering {
            2 => s.push_str(" ASC"),
            3 => s.push_str(" DESC"),
            _ => {}
        }
        match k.nulls {
            2 => s.push_str(" NULLS FIRST"),
            3 => s.push_str(" NULLS LAST"),
            _ => {}
        }
        s
    }

    pub(crate) fn index_definition(&self, r: &Relation, i: &Index) -> String {
        self.index_sql(r, i)
    }

    fn index_sql(&self, r: &Relation, i: &Index) -> String {
        let table = self
            .relation(i.table)
            .map_or_else(String::new, |t| self.rel_qname(t));
        let keys: Vec<String> = i.keys.iter().map(|k| self.key_sql(i.table, k)).collect();
        let unique = if i.unique { "UNIQUE " } else { "" };
        let mut s = format!(
            "CREATE {unique}INDEX {} ON {table} USING {} ({})",
            quote_ident(&r.name),
            quote_ident(&i.method),
            keys.join(", ")
        );
        if !i.include.is_empty() {
            let cols = self.columns_of(i.table);
            let inc: Vec<String> = i
                .include
                .iter()
                .map(|a| {
                    quote_ident(
                        cols.iter()
                            .find(|c| c.1 == *a)
                            .map_or("?", |c| c.0.as_str()),
                    )
                })
                .collect();
            let _ = write!(s, " INCLUDE ({})", inc.join(", "));
        }
        if i.nulls_not_distinct {
            s.push_str(" NULLS NOT DISTINCT");
        }
        if !i.options.is_empty() {
            let _ = write!(s, " WITH ({})", i.options.join(", "));
        }
        if let Some(ts) = &i.tablespace {
            let _ = write!(s, " TABLESPACE {}", quote_ident(ts));
        }
        if let Some(p) = &i.predicate {
            let _ = write!(s, " WHERE {}", deparse_expr(p));
        }
        s
    }

    fn index_constraint_sql(&self, r: &Relation, c: &Constraint) -> Option<String> {
        let idx = c.kind.index()?;
        let i = self.relation(idx)?.index()?;
        let table = self.rel_qname(r);
        let cols = self.columns_of(i.table);
        let col_name =
            |a: i16| quote_ident(cols.iter().find(|c| c.1 == a).map_or("?", |c| c.0.as_str()));
        // On a partitioned table the constraint must reach the partitions
        // (their copies are not rendered), so no ONLY there.
        let only = if r.table().is_some_and(|t| t.partition.is_some()) {
            ""
        } else {
            "ONLY "
        };
        let mut s = format!(
            "ALTER TABLE {only}{table} ADD CONSTRAINT {} ",
            quote_ident(&c.name)
        );
        match &c.kind {
            ConstraintKind::Exclusion { .. } => {
                let elems: Vec<String> = i
                    .keys
                    .iter()
                    .zip(&i.exclusion_ops)
                    .map(|(k, op)| format!("{} WITH {op}", self.key_sql(i.table, k)))
                    .collect();
                let _ = write!(
                    s,
                    "EXCLUDE USING {} ({})",
                    quote_ident(&i.method),
                    elems.join(", ")
                );
            }
            kind => {
                let word = if matches!(kind, ConstraintKind::PrimaryKey { .. }) {
                    "PRIMARY KEY"
                } else {
                    "UNIQUE"
                };
                let keys: Vec<String> = i
                    .keys
                    .iter()
                    .map(|k| match &k.target {
                        IndexTarget::Column(a) => col_name(*a),
                        IndexTarget::Expr(e) => deparse_expr(e),
                    })
                    .collect();
                let nnd = if i.nulls_not_distinct {
                    " NULLS NOT DISTINCT"
                } else {
                    ""
                };
                let _ = write!(s, "{word}{nnd} ({})", keys.join(", "));
            }
        }
        if !i.include.is_empty() {
            let inc: Vec<String> = i.include.iter().map(|a| col_name(*a)).collect();
            let _ = write!(s, " INCLUDE ({})", inc.join(", "));
        }
        if !i.options.is_empty() {
            let _ = write!(s, " WITH ({})", i.options.join(", "));
        }
        if let Some(ts) = &i.tablespace {
            let _ = write!(s, " USING INDEX TABLESPACE {}", quote_ident(ts));
        }
        if let Some(p) = &i.predicate {
            let _ = write!(s, " WHERE ({})", deparse_expr(p));
        }
        if c.deferrable {
            s.push_str(" DEFERRABLE");
            if c.initially_deferred {
                s.push_str(" INITIALLY DEFERRED");
            }
        }
        Some(s)
    }

    fn fk_sql(&self, r: &Relation, t: &Table, c: &Constraint, fk: &ForeignKey) -> String {
        let cols: Vec<String> = fk
            .columns
            .iter()
            .map(|a| quote_ident(t.column_name(*a)))
            .collect();
        let ref_rel = self.relation(fk.ref_table);
        let ref_name = ref_rel.map_or_else(String::new, |x| self.rel_qname(x));
        let ref_cols: Vec<String> = fk
            .ref_columns
            .iter()
            .map(|a| {
                quote_ident(
                    self.table(fk.ref_table)
                        .map_or("?", |rt| rt.column_name(*a)),
                )
            })
            .collect();
        let mut s = format!(
            "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {ref_name}({})",
            self.rel_qname(r),
            quote_ident(&c.name),
            cols.join(", "),
            ref_cols.join(", ")
        );
        match fk.match_type {
            'f' => s.push_str(" MATCH FULL"),
            'p' => s.push_str(" MATCH PARTIAL"),
            _ => {}
        }
        if let Some(a) = action_sql(fk.on_update) {
            let _ = write!(s, " ON UPDATE {a}");
        }
        if let Some(a) = action_sql(fk.on_delete) {
            let _ = write!(s, " ON DELETE {a}");
            if !fk.on_delete_set_columns.is_empty() {
                let set: Vec<String> = fk
                    .on_delete_set_columns
                    .iter()
                    .map(|a| quote_ident(t.column_name(*a)))
                    .collect();
                let _ = write!(s, " ({})", set.join(", "));
            }
        }
        if c.deferrable {
            s.push_str(" DEFERRABLE");
            if c.initially_deferred {
                s.push_str(" INITIALLY DEFERRED");
            }
        }
        if !c.validated {
            s.push_str(" NOT VALID");
        }
        s
    }

    fn render_triggers_and_policies(&self, out: &mut String) {
        for r in self.relations.values() {
            for tg in r.triggers() {
                if let Some(n) = tg.stmt.node.as_ref()
                    && let Some(sql) = expr::deparse_stmt(n)
                {
                    let _ = writeln!(out, "{sql};");
                }
                let state = match tg.enabled {
                    'D' => Some("DISABLE TRIGGER"),
                    'A' => Some("ENABLE ALWAYS TRIGGER"),
                    'R' => Some("ENABLE REPLICA TRIGGER"),
                    _ => None,
                };
                if let Some(state) = state {
                    let _ = writeln!(
                        out,
                        "ALTER TABLE {} {state} {};",
                        self.rel_qname(r),
                        quote_ident(&tg.name)
                    );
                }
            }
            let Some(t) = r.table() else { continue };
            for p in &t.policies {
                if let Some(n) = p.stmt.node.as_ref()
                    && let Some(sql) = expr::deparse_stmt(n)
                {
                    let _ = writeln!(out, "{sql};");
                }
            }
        }
        out.push('\n');
    }

    fn render_comments(&self, out: &mut String) {
        let mut put = |what: String, text: &Option<String>| {
            if let Some(t) = text {
                let _ = writeln!(out, "COMMENT ON {what} IS {};", quote_literal(t));
            }
        };
        for s in self.schemas.values() {
            if s.oid == super::PUBLIC_SCHEMA_OID {
                if s.comment.as_deref() != Some("standard public schema") {
                    match &s.comment {
                        Some(_) => put("SCHEMA public".into(), &s.comment),
                        None => put("SCHEMA public".into(), &Some(String::new())),
                    }
                }
                continue;
            }
            put(format!("SCHEMA {}", quote_ident(&s.name)), &s.comment);
        }
        for e in self.extensions.values() {
            put(format!("EXTENSION {}", quote_ident(&e.name)), &e.comment);
        }
        for t in self.types.values().filter(|t| t.extension.is_none()) {
            let word = if matches!(t.kind, TypeKind::Domain { .. }) {
                "DOMAIN"
            } else {
                "TYPE"
            };
            put(format!("{word} {}", self.type_qname(t)), &t.comment);
            if let TypeKind::Domain { constraints, .. } = &t.kind {
                for c in constraints {
                    put(
                        format!(
                            "CONSTRAINT {} ON DOMAIN {}",
                            quote_ident(&c.name),
                            self.type_qname(t)
                        ),
                        &c.comment,
                    );
                }
            }
        }
        for f in self.functions.values() {
            let args: Vec<String> = f.input_types().iter().map(|t| self.type_sql(t)).collect();
            let word = if f.is_procedure {
                "PROCEDURE"
            } else {
                "FUNCTION"
            };
            put(
                format!(
                    "{word} {}({})",
                    quote_qualified(self.schema_name(f.schema), &f.name),
                    args.join(", ")
                ),
                &f.comment,
            );
        }
        for (rel, text) in &self.rowtype_comments {
            if let Some(r) = self.relation(*rel) {
                put(format!("TYPE {}", self.rel_qname(r)), &Some(text.clone()));
            }
        }
        for r in self.relations.values() {
            if r.extension.is_some() {
                continue;
            }
            let name = self.rel_qname(r);
            match &r.body {
                RelBody::Table(t) => {
                    put(format!("TABLE {name}"), &r.comment);
                    for c in &t.columns {
                        put(
                            format!("COLUMN {name}.{}", quote_ident(&c.name)),
                            &c.comment,
                        );
                    }
                    for c in &t.constraints {
                        put(
                            format!("CONSTRAINT {} ON {name}", quote_ident(&c.name)),
                            &c.comment,
                        );
                    }
                    for tg in &t.triggers {
                        put(
                            format!("TRIGGER {} ON {name}", quote_ident(&tg.name)),
                            &tg.comment,
                        );
                    }
                    for p in &t.policies {
                        put(
                            format!("POLICY {} ON {name}", quote_ident(&p.name)),
                            &p.comment,
                        );
                    }
                }
                RelBody::View(v) => {
                    let word = if v.materialized {
                        "MATERIALIZED VIEW"
                    } else {
                        "VIEW"
                    };
                    put(format!("{word} {name}"), &r.comment);
                    for c in &v.columns {
                        put(
                            format!("COLUMN {name}.{}", quote_ident(&c.name)),
                            &c.comment,
                        );
                    }
                    for tg in &v.triggers {
                        put(
                            format!("TRIGGER {} ON {name}", quote_ident(&tg.name)),
                            &tg.comment,
                        );
                    }
                }
                RelBody::Index(_) => put(format!("INDEX {name}"), &r.comment),
                RelBody::Sequence(_) => put(format!("SEQUENCE {name}"), &r.comment),
                RelBody::CompositeType(_) => {}
            }
        }
    }
}

fn action_sql(a: char) -> Option<&'static str> {
    match a {
        'r' => Some("RESTRICT"),
        'c' => Some("CASCADE"),
        'n' => Some("SET NULL"),
        'd' => Some("SET DEFAULT"),
        _ => None,
    }
}

fn quote_collation(c: &str) -> String {
    c.split('.')
        .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

fn sequence_options(s: &Sequence) -> String {
    let type_word = match s.data_type {
        "int2" => "smallint",
        "int4" => "integer",
        _ => "bigint",
    };
    format!(" AS {type_word}{}", sequence_bounds(s))
}

fn sequence_bounds(s: &Sequence) -> String {
    let mut o = format!(
        " START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}",
        s.start, s.increment, s.min, s.max, s.cache
    );
    if s.cycle {
        o.push_str(" CYCLE");
    }
    o
}

fn str_node(s: &str) -> Node {
    expr::node(NodeEnum::String(protobuf::String {
        sval: s.to_string(),
    }))
}

/// `PARTITION BY RANGE (a)` for a stored partition spec.
fn partition_spec_sql(spec: &Node) -> String {
    let Some(NodeEnum::PartitionSpec(ps)) = spec.node.as_ref() else {
        return String::new();
    };
    let stmt = NodeEnum::CreateStmt(protobuf::CreateStmt {
        relation: Some(protobuf::RangeVar {
            relname: "x".into(),
            inh: true,
            relpersistence: "p".into(),
            ..Default::default()
        }),
        partspec: Some(ps.clone()),
        oncommit: protobuf::OnCommitAction::OncommitNoop as i32,
        ..Default::default()
    });
    let text = expr::deparse_stmt(&stmt).unwrap_or_default();
    text.find("PARTITION BY")
        .map_or(String::new(), |i| text[i..].to_string())
}

/// `FOR VALUES ...` / `DEFAULT` for a stored partition bound.
fn partition_bound_sql(bound: &Node) -> String {
    let Some(NodeEnum::PartitionBoundSpec(b)) = bound.node.as_ref() else {
        return String::new();
    };
    let stmt = NodeEnum::CreateStmt(protobuf::CreateStmt {
        relation: Some(protobuf::RangeVar {
            relname: "x".into(),
            inh: true,
            relpersistence: "p".into(),
            ..Default::default()
        }),
        inh_relations: vec![expr::node(NodeEnum::RangeVar(protobuf::RangeVar {
            relname: "p".into(),
            inh: true,
            relpersistence: "p".into(),
            ..Default::default()
        }))],
        partbound: Some(b.clone()),
        oncommit: protobuf::OnCommitAction::OncommitNoop as i32,
        ..Default::default()
    });
    let text = expr::deparse_stmt(&stmt).unwrap_or_default();
    if let Some(i) = text.find("FOR VALUES") {
        return text[i..].to_string();
    }
    if text.ends_with("DEFAULT") {
        "DEFAULT".into()
    } else {
        String::new()
    }
}

/// Orders ids so that each comes after its dependencies (ids outside the
/// set are ignored; cycles fall back to id order).
pub(crate) fn topo_order(items: Vec<(Oid, Vec<Oid>)>) -> Vec<Oid> {
    let ids: HashSet<Oid> = items.iter().map(|i| i.0).collect();
    let deps: BTreeMap<Oid, Vec<Oid>> = items
        .into_iter()
        .map(|(id, d)| {
            (
                id,
                d.into_iter()
                    .filter(|x| ids.contains(x) && *x != id)
                    .collect(),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(deps.len());
    let mut done: HashSet<Oid> = HashSet::new();
    fn visit(
        id: Oid,
        deps: &BTreeMap<Oid, Vec<Oid>>,
        done: &mut HashSet<Oid>,
        onstack: &mut HashSet<Oid>,
        out: &mut Vec<Oid>,
    ) {
        if done.contains(&id) || !onstack.insert(id) {
            return;
        }
        if let Some(ds) = deps.get(&id) {
            for d in ds {
                visit(*d, deps, done, onstack, out);
            }
        }
        onstack.remove(&id);
        if done.insert(id) {
            out.push(id);
        }
    }
    let mut onstack = HashSet::new();
    for id in deps.keys() {
        visit(*id, &deps, &mut done, &mut onstack, &mut out);
    }
    out
}
