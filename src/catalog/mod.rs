//! The in-memory PostgreSQL catalog and its semantics.
//!
//! [`Catalog::apply`] takes one parsed statement and changes the catalog the
//! way PostgreSQL would, or returns the [`PgError`] PostgreSQL would raise
//! (leaving the catalog untouched, as the failed statement's transaction
//! would). It never reads files; `render` prints it back as SQL and
//! `introspect` answers the questions SQLAlchemy's Inspector would ask.

pub mod apply;
pub mod builtins;
pub mod depend;
pub mod error;
pub mod export;
pub mod expr;
pub mod input;
pub mod model;
pub mod names;
pub mod probe;
pub mod query;
pub mod render;
pub mod resolve;
pub mod types;
pub mod typing;

use std::collections::{BTreeMap, HashMap};

pub use apply::Applied;
pub use error::{PgError, PgResult};
pub use model::*;
pub use names::QualName;
pub use types::{ColType, TypeRef};

use error::code;

fn note_name(index: &mut HashMap<(Oid, String), u32>, schema: Oid, name: &str) {
    *index.entry((schema, name.to_string())).or_default() += 1;
}

fn forget_name(index: &mut HashMap<(Oid, String), u32>, schema: Oid, name: &str) {
    let key = (schema, name.to_string());
    if let Some(n) = index.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            index.remove(&key);
        }
    }
}

/// OIDs below this are PostgreSQL's own; user objects count up from here.
const FIRST_USER_OID: Oid = 16384;
/// The `public` schema's OID in every PostgreSQL database.
pub const PUBLIC_SCHEMA_OID: Oid = 2200;
pub const PG_CATALOG_OID: Oid = 11;
/// The session's temporary schema (`pg_temp`). PostgreSQL names it
/// `pg_temp_N` and gives it an OID at first use; any OID below the user
/// range that no other schema has will do here.
pub const PG_TEMP_OID: Oid = 16383;

#[derive(Debug, Clone)]
pub struct Catalog {
    next_oid: Oid,
    pub(crate) schemas: BTreeMap<Oid, Schema>,
    pub(crate) relations: BTreeMap<Oid, Relation>,
    pub(crate) types: BTreeMap<Oid, UserType>,
    pub(crate) functions: BTreeMap<Oid, Function>,
    pub(crate) extensions: BTreeMap<Oid, Extension>,
    pub(crate) collations: BTreeMap<Oid, Collation>,
    schema_names: HashMap<String, Oid>,
    rel_names: HashMap<(Oid, String), Oid>,
    type_names: HashMap<(Oid, String), Oid>,
    /// Table constraint names per schema, with counts: generated names
    /// must avoid every constraint name in the schema, and a scan of all
    /// tables per constraint would make replay quadratic.
    constraint_names: HashMap<(Oid, String), u32>,
    /// Relations that may refer to a relation (foreign keys, views, owned
    /// sequences, nextval defaults, partitions, row-typed columns). A
    /// superset: entries are checked against the objects when used, and
    /// stale ones are harmless. Lets dependency checks avoid full scans.
    refs_to: HashMap<Oid, Vec<Oid>>,
    /// As set by `SET search_path`; `$user` stands for the current role.
    pub(crate) search_path: Vec<String>,
    /// The `search_path` to restore at the end of the transaction, after a
    /// `SET LOCAL`.
    pub(crate) search_path_at_commit: Option<Vec<String>>,
    /// The role migrations connect as (`session_user`), and the one
    /// `SET ROLE` chose, if any: `current_user`, which `$user` means.
    pub(crate) session_user: String,
    pub(crate) role: Option<String>,
    /// Catalog state at `BEGIN`, restored by `ROLLBACK`.
    pub(crate) tx_snapshot: Option<Box<Catalog>>,
    pub(crate) in_transaction: bool,
    pub(crate) savepoints: Vec<(String, Box<Catalog>)>,
    /// Enum values added in the open transaction (PostgreSQL refuses to use
    /// them before commit).
    pub(crate) uncommitted_enum_values: Vec<(Oid, String)>,
    /// `COMMENT ON TYPE` of a table's or view's row type, by relation: the
    /// row type is a pg_type entry of its own, commented apart from the
    /// relation.
    pub(crate) rowtype_comments: BTreeMap<Oid, String>,
    /// Whether a relation was made in the temporary schema since the last
    /// session end: spares every session end a scan of all relations.
    pub(crate) temporary_made: bool,
    /// How many domains exist: constraint names must also avoid domain
    /// constraints, and most catalogs have no domain to scan for.
    pub(crate) domains: u32,
    /// Inside SQL a DO block runs: its names may be PL/pgSQL variables, so
    /// data statements are not held to the catalog's names.
    pub(crate) plpgsql_depth: u32,
    /// `SET check_function_bodies = off` (pg_dump writes it): function
    /// bodies are then not checked at CREATE.
    pub(crate) skip_function_bodies: bool,
    /// A statement migsim does not simulate may have made operators,
    /// functions or casts (CREATE OPERATOR, CREATE CAST, a DO block left
    /// out): calls are then no longer judged by argument types.
    pub(crate) unmodelled_overloads: bool,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

impl Catalog {
    /// An empty database as `CREATE DATABASE` makes it: a `public` schema,
    /// `plpgsql` installed, `search_path = "$user", public`.
    pub fn new() -> Self {
        let mut c = Catalog {
            next_oid: FIRST_USER_OID,
            schemas: BTreeMap::new(),
            relations: BTreeMap::new(),
            types: BTreeMap::new(),
            functions: BTreeMap::new(),
            extensions: BTreeMap::new(),
            collations: BTreeMap::new(),
            schema_names: HashMap::new(),
            rel_names: HashMap::new(),
            type_names: HashMap::new(),
            constraint_names: HashMap::new(),
            refs_to: HashMap::new(),
            search_path: vec!["$user".into(), "public".into()],
            search_path_at_commit: None,
            // The default superuser, as on a fresh server.
            session_user: "postgres".into(),
            role: None,
            tx_snapshot: None,
            in_transaction: false,
            savepoints: Vec::new(),
            uncommitted_enum_values: Vec::new(),
            rowtype_comments: BTreeMap::new(),
            temporary_made: false,
            domains: 0,
            plpgsql_depth: 0,
            skip_function_bodies: false,
            unmodelled_overloads: false,
        };
        c.insert_schema(Schema {
            oid: PUBLIC_SCHEMA_OID,
            name: "public".into(),
            comment: Some("standard public schema".into()),
            extension: None,
        });
        c
    }

    pub(crate) fn alloc_oid(&mut self) -> Oid {
        let oid = self.next_oid;
        self.next_oid += 1;
        oid
    }

    // ----- schemas -------------------------------------------------------

    pub(crate) fn insert_schema(&mut self, s: Schema) {
        self.schema_names.insert(s.name.clone(), s.oid);
        self.schemas.insert(s.oid, s);
    }

    pub(crate) fn remove_schema(&mut self, oid: Oid) -> Option<Schema> {
        let s = self.schemas.remove(&oid)?;
        self.schema_names.remove(&s.name);
        Some(s)
    }

    pub(crate) fn rename_schema(&mut self, oid: Oid, new: &str) {
        if let Some(s) = self.schemas.get_mut(&oid) {
            self.schema_names.remove(&s.name);
            s.name = new.to_string();
            self.schema_names.insert(new.to_string(), oid);
        }
    }

    pub fn schema_oid(&self, name: &str) -> Option<Oid> {
        match name {
            "pg_catalog" => Some(PG_CATALOG_OID),
            "pg_temp" => Some(PG_TEMP_OID),
            _ => self.schema_names.get(name).copied(),
        }
    }

    pub fn schema_name(&self, oid: Oid) -> &str {
        match oid {
            PG_CATALOG_OID => "pg_catalog",
            PG_TEMP_OID => "pg_temp",
            _ => self.schemas.get(&oid).map_or("?", |s| s.name.as_str()),
        }
    }

    /// `current_user`: the role `SET ROLE` chose, else the session's.
    pub fn current_user(&self) -> &str {
        self.role.as_deref().unwrap_or(&self.session_user)
    }

    /// The role the migrations run as (`postgres` unless told otherwise);
    /// `"$user"` in `search_path` names the schema called like it.
    pub fn set_session_user(&mut self, role: &str) {
        self.session_user = role.to_string();
        self.role = None;
    }

    pub fn lookup_schema(&self, name: &str) -> PgResult<Oid> {
        self.schema_oid(name).ok_or_else(|| {
            PgError::new(
                code::INVALID_SCHEMA_NAME,
                format!("schema \"{name}\" does not exist"),
            )
        })
    }

    /// The schemas of `search_path` that exist, in order (`$user` is the
    /// schema named like the current role; the temporary schema, searched
    /// for relations and types only, is not among them).
    pub fn search_schemas(&self) -> Vec<Oid> {
        self.search_path
            .iter()
            .filter_map(|s| {
                let name = if s == "$user" {
                    self.current_user()
                } else {
                    s.as_str()
                };
                self.schema_names.get(name).copied()
            })
            .collect()
    }

    /// Where an unqualified `CREATE` puts its object.
    pub fn creation_schema(&self, qn: &QualName) -> PgResult<Oid> {
        match &qn.schema {
            Some(s) => {
                if s == "pg_catalog" || s == "information_schema" {
                    return Err(PgError::new(
                        code::INSUFFICIENT_PRIVILEGE,
                        format!("permission denied to create \"{}.{}\"", s, qn.name),
                    )
                    .detail("System catalog modifications are currently disallowed."));
                }
                self.lookup_schema(s)
            }
            None => self.search_schemas().first().copied().ok_or_else(|| {
                PgError::new(
                    code::INVALID_SCHEMA_NAME,
                    "no schema has been selected to create in",
                )
            }),
        }
    }

    /// The default schema as SQLAlchemy sees it (`current_schema()`).
    pub fn current_schema(&self) -> Option<Oid> {
        self.search_schemas().first().copied()
    }

    // ----- relations -----------------------------------------------------

    pub(crate) fn insert_relation(&mut self, r: Relation) {
        self.temporary_made |= r.schema == PG_TEMP_OID;
        self.rel_names.insert((r.schema, r.name.clone()), r.oid);
        if let Some(t) = r.table() {
            for c in &t.constraints {
                note_name(&mut self.constraint_names, r.schema, &c.name);
            }
        }
        self.relations.insert(r.oid, r);
    }

    pub(crate) fn remove_relation(&mut self, oid: Oid) -> Option<Relation> {
        let r = self.relations.remove(&oid)?;
        self.rowtype_comments.remove(&oid);
        self.rel_names.remove(&(r.schema, r.name.clone()));
        if let Some(t) = r.table() {
            for c in &t.constraints {
                forget_name(&mut self.constraint_names, r.schema, &c.name);
            }
        }
        Some(r)
    }

    pub(crate) fn rename_relation(&mut self, oid: Oid, schema: Oid, new: &str) {
        self.temporary_made |= schema == PG_TEMP_OID;
        if let Some(r) = self.relations.get_mut(&oid) {
            self.rel_names.remove(&(r.schema, r.name.clone()));
            if r.schema != schema
                && let Some(t) = r.table()
            {
                for c in &t.constraints {
                    forget_name(&mut self.constraint_names, r.schema, &c.name);
                    note_name(&mut self.constraint_names, schema, &c.name);
                }
            }
            r.name = new.to_string();
            r.schema = schema;
            self.rel_names.insert((schema, new.to_string()), oid);
        }
    }

    /// Adds a constraint to a table, keeping the name index.
    pub(crate) fn push_constraint(&mut self, table: Oid, con: Constraint) {
        let Some(r) = self.relations.get_mut(&table) else {
            return;
        };
        let schema = r.schema;
        if let RelBody::Table(t) = &mut r.body {
            note_name(&mut self.constraint_names, schema, &con.name);
            t.constraints.push(con);
        }
    }

    /// Removes a constraint from a table, keeping the name index.
    pub(crate) fn remove_constraint(&mut self, table: Oid, con: Oid) -> Option<Constraint> {
        let r = self.relations.get_mut(&table)?;
        let schema = r.schema;
        let RelBody::Table(t) = &mut r.body else {
            return None;
        };
        let pos = t.constraints.iter().position(|c| c.oid == con)?;
        let c = t.constraints.remove(pos);
        forget_name(&mut self.constraint_names, schema, &c.name);
        Some(c)
    }

    /// Renames a table constraint, keeping the name index.
    pub(crate) fn set_constraint_name(&mut self, table: Oid, con: Oid, new: &str) {
        let Some(r) = self.relations.get_mut(&table) else {
            return;
        };
        let schema = r.schema;
        let RelBody::Table(t) = &mut r.body else {
            return;
        };
        if let Some(c) = t.constraints.iter_mut().find(|c| c.oid == con) {
            forget_name(&mut self.constraint_names, schema, &c.name);
            c.name = new.to_string();
            note_name(&mut self.constraint_names, schema, new);
        }
    }

    pub(crate) fn table_constraint_name_used(&self, schema: Oid, name: &str) -> bool {
        self.constraint_names
            .contains_key(&(schema, name.to_string()))
    }

    /// Records that `source` may refer to `target`.
    pub(crate) fn note_ref(&mut self, target: Oid, source: Oid) {
        let v = self.refs_to.entry(target).or_default();
        if !v.contains(&source) {
            v.push(source);
        }
    }

    /// Relations that may refer to `target` (still existing ones).
    pub(crate) fn referrers(&self, target: Oid) -> impl Iterator<Item = &Relation> {
        self.refs_to
            .get(&target)
            .into_iter()
            .flatten()
            .filter_map(|o| self.relations.get(o))
    }

    pub fn relation(&self, oid: Oid) -> Option<&Relation> {
        self.relations.get(&oid)
    }

    pub(crate) fn relation_mut(&mut self, oid: Oid) -> Option<&mut Relation> {
        self.relations.get_mut(&oid)
    }

    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        self.relations.values()
    }

    pub fn rel_in_schema(&self, schema: Oid, name: &str) -> Option<Oid> {
        self.rel_names.get(&(schema, name.to_string())).copied()
    }

    /// Resolves a relation name as PostgreSQL does (`RangeVarGetRelid`).
    pub fn lookup_relation(&self, qn: &QualName) -> PgResult<Option<Oid>> {
        match &qn.schema {
            Some(s) => {
                let schema = self.lookup_schema(s)?;
                Ok(self.rel_in_schema(schema, &qn.name))
            }
            // The temporary schema comes first for relations.
            None => Ok(self.rel_in_schema(PG_TEMP_OID, &qn.name).or_else(|| {
                self.search_schemas()
                    .into_iter()
                    .find_map(|s| self.rel_in_schema(s, &qn.name))
            })),
        }
    }

    /// Like [`lookup_relation`](Self::lookup_relation) but a missing relation
    /// is PostgreSQL's `relation "x" does not exist`.
    pub fn require_relation(&self, qn: &QualName) -> PgResult<Oid> {
        self.lookup_relation(qn)?.ok_or_else(|| {
            PgError::new(
                code::UNDEFINED_TABLE,
                format!("relation \"{qn}\" does not exist"),
            )
        })
    }

    pub fn table(&self, oid: Oid) -> Option<&Table> {
        self.relations.get(&oid).and_then(Relation::table)
    }

    pub(crate) fn table_mut(&mut self, oid: Oid) -> Option<&mut Table> {
        self.relations.get_mut(&oid).and_then(Relation::table_mut)
    }

    /// `schema.name` of a relation, quoted for SQL.
    pub fn rel_sql_name(&self, oid: Oid) -> String {
        match self.relations.get(&oid) {
            Some(r) => names::quote_qualified(self.schema_name(r.schema), &r.name),
            None => format!("<relation {oid}>"),
        }
    }

    pub fn rel_name(&self, oid: Oid) -> &str {
        self.relations.get(&oid).map_or("?", |r| r.name.as_str())
    }

    /// Is the name taken in the relation namespace of `schema`?
    pub fn rel_name_taken(&self, schema: Oid, name: &str) -> bool {
        self.rel_names.contains_key(&(schema, name.to_string()))
    }

    // ----- types ---------------------------------------------------------

    pub(crate) fn insert_type(&mut self, t: UserType) {
        if matches!(t.kind, TypeKind::Domain { .. }) {
            self.domains += 1;
        }
        self.type_names.insert((t.schema, t.name.clone()), t.oid);
        self.types.insert(t.oid, t);
    }

    pub(crate) fn remove_type(&mut self, oid: Oid) -> Option<UserType> {
        let t = self.types.remove(&oid)?;
        if matches!(t.kind, TypeKind::Domain { .. }) {
            self.domains -= 1;
        }
        self.type_names.remove(&(t.schema, t.name.clone()));
        Some(t)
    }

    pub(crate) fn rename_type(&mut self, oid: Oid, schema: Oid, new: &str) {
        if let Some(t) = self.types.get_mut(&oid) {
            self.type_names.remove(&(t.schema, t.name.clone()));
            t.name = new.to_string();
            t.schema = schema;
            self.type_names.insert((schema, new.to_string()), oid);
        }
    }

    pub fn user_type(&self, oid: Oid) -> Option<&UserType> {
        self.types.get(&oid)
    }

    pub fn type_in_schema(&self, schema: Oid, name: &str) -> Option<Oid> {
        self.type_names.get(&(schema, name.to_string())).copied()
    }

    /// Is the name taken in the type namespace of `schema`? Tables, views
    /// and composite types own a row type of their name, and every type `t`
    /// an array type `_t`.
    pub fn type_name_taken(&self, schema: Oid, name: &str) -> bool {
        if self.type_names.contains_key(&(schema, name.to_string())) {
            return true;
        }
        if let Some(rel) = self.rel_in_schema(schema, name)
            && self.relations.get(&rel).is_some_and(|r| r.has_columns())
        {
            return true;
        }
        if let Some(elem) = name.strip_prefix('_') {
            return self.type_in_schema(schema, elem).is_some()
                || self
                    .rel_in_schema(schema, elem)
                    .and_then(|r| self.relations.get(&r))
                    .is_some_and(Relation::has_columns);
        }
        false
    }

    pub fn user_types(&self) -> impl Iterator<Item = &UserType> {
        self.types.values()
    }

    // ----- functions, extensions ----------------------------------------

    pub fn function(&self, oid: Oid) -> Option<&Function> {
        self.functions.get(&oid)
    }

    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.values()
    }

    pub fn extension(&self, oid: Oid) -> Option<&Extension> {
        self.extensions.get(&oid)
    }

    /// The comment on a table's or view's row type (`COMMENT ON TYPE`).
    pub fn rowtype_comment(&self, relation: Oid) -> Option<&str> {
        self.rowtype_comments.get(&relation).map(String::as_str)
    }

    pub fn extensions(&self) -> impl Iterator<Item = &Extension> {
        self.extensions.values()
    }

    /// Collations made by `CREATE COLLATION`.
    pub fn collations(&self) -> impl Iterator<Item = &Collation> {
        self.collations.values()
    }

    pub fn extension_by_name(&self, name: &str) -> Option<&Extension> {
        self.extensions.values().find(|e| e.name == name)
    }

    pub fn schemas(&self) -> impl Iterator<Item = &Schema> {
        self.schemas.values()
    }

    /// Any installed extension whose members migsim does not know.
    pub fn has_unknown_extension(&self) -> bool {
        self.extensions.values().any(|e| !e.known)
    }

    /// Records the references a table's columns make: sequences named by
    /// `nextval` defaults, row types, parents.
    pub(crate) fn note_table_refs(&mut self, table: Oid) {
        let Some(t) = self.table(table) else { return };
        let mut targets: Vec<Oid> = Vec::new();
        for c in &t.columns {
            if let Some(d) = &c.default {
                for q in expr::nextval_targets(d) {
                    if let Ok(Some(s)) = self.lookup_relation(&q) {
                        targets.push(s);
                    }
                }
            }
            if let TypeRef::Row(r) = c.ty.base {
                targets.push(r);
            }
        }
        targets.extend(t.inherits.iter().copied());
        if let Some((p, _)) = &t.partition_of {
            targets.push(*p);
        }
        for target in targets {
            self.note_ref(target, table);
        }
    }

    /// Number of user objects (for summaries).
    pub fn object_count(&self) -> usize {
        self.relations.len() + self.types.len() + self.functions.len() + self.extensions.len()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::{Catalog, PgError};

    /// Applies a script statement by statement, stopping at the first error.
    pub(crate) fn run(sql: &str) -> Result<Catalog, PgError> {
        let mut c = Catalog::new();
        apply(&mut c, sql)?;
        Ok(c)
    }

    /// Applies more statements to a catalog.
    pub(crate) fn apply(c: &mut Catalog, sql: &str) -> Result<(), PgError> {
        let stmts = crate::sql::parse::parse(sql)
            .map_err(|e| PgError::new(super::error::code::SYNTAX_ERROR, e.message.clone()))?;
        for (node, _, _) in stmts {
            c.apply(&node)?;
        }
        Ok(())
    }

    /// The SQLSTATE the script fails with, or `"ok"`.
    pub(crate) fn sqlstate(sql: &str) -> String {
        match run(sql) {
            Ok(_) => "ok".into(),
            Err(e) => e.sqlstate.to_string(),
        }
    }

    /// The message the script fails with (`""` when it succeeds).
    pub(crate) fn message(sql: &str) -> String {
        run(sql).err().map(|e| e.message).unwrap_or_default()
    }
}
