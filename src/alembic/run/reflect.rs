//! SQLAlchemy table reflection answered from the simulated schema:
//! `sa.Table(name, metadata, autoload_with=bind)` and
//! `metadata.reflect(bind)`, as SQLAlchemy 2.0 builds them.
//!
//! A reflected table is the symbolic `sa.Table(name, metadata,
//! sa.Column(...), ..., sa.PrimaryKeyConstraint(...), ...)` call an
//! explicit definition would be, so the lowering reads it as it reads any
//! table (`t.update()`, `t.c.name == 5`, `op.bulk_insert(t, rows)`). Its
//! contents are a snapshot of the schema when it was reflected, as in
//! SQLAlchemy, and the host answers what the evaluator cannot compute
//! from a symbolic call: `t.name`, `t.c` (items, length, keys, membership,
//! unknown names raise), `t.primary_key`, `t.foreign_keys`,
//! `t.foreign_key_constraints`, `t.constraints`, `t.indexes`, and the
//! attributes of the objects they hold (`fkc.name`, `fkc.column_keys`,
//! `fkc.referred_table`, `fkc.elements`, `fk.parent`, `fk.column`,
//! `column.nullable`...). What the schema view does not report
//! (deferrability, table comments, identity options, index expressions)
//! stays symbolic or unknown.
//!
//! Values handed out are recognised by the address of their call (the
//! calls are kept alive here, so an address is never reused during a run)
//! and through the attribute chains the evaluator builds on them
//! (`builtins.getattr(builtins.getattr(t, "c"), "id")`).
//!
//! A `MetaData` is followed from its creation: the tables defined on it
//! (explicitly or by reflection) are known, so a second `sa.Table(name,
//! metadata, autoload_with=...)` returns the table already there, and
//! `metadata.tables` is a dict. A `MetaData` handed to another library
//! call (an ORM registry may add tables to it out of sight) stops being
//! followed: reflecting into it is unknown. Tables added by ORM classes
//! that name a `MetaData` in their class body are not seen.

use std::collections::HashMap;
use std::sync::Arc;

use crate::alembic::sink::{
    CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo, PrimaryKeyInfo, SchemaView, UniqueInfo,
};
use crate::python::host::{Abort, Access, HostResult, PyException};
use crate::python::value::{Call, Callee, Symbol, Value};
use crate::source::Loc;

/// The name of a SQLAlchemy (not dialect) symbol: `Table` for
/// `sqlalchemy.sql.schema.Table`.
pub(super) fn sa_name(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("sqlalchemy.")?;
    if rest.starts_with("dialects.") {
        return None;
    }
    Some(rest.rsplit('.').next().unwrap_or(rest))
}

fn addr(c: &Call) -> usize {
    c as *const Call as usize
}

fn call(path: &str, args: Vec<Value>, kwargs: Vec<(&str, Value)>, loc: &Loc) -> Value {
    Value::Call(Arc::new(Call {
        callee: Callee::Symbol(Symbol::new(path)),
        args,
        kwargs: kwargs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        loc: loc.clone(),
    }))
}

fn getattr(v: &Value, name: &str, loc: &Loc) -> Value {
    call(
        "builtins.getattr",
        vec![v.clone(), Value::str(name)],
        Vec::new(),
        loc,
    )
}

fn opt_str(s: Option<&str>) -> Value {
    s.map(Value::str).unwrap_or(Value::None)
}

fn strs<'a>(v: impl IntoIterator<Item = &'a String>) -> Value {
    Value::List(v.into_iter().map(|s| Value::str(s.as_str())).collect())
}

fn raise(class: &str, message: impl Into<String>, loc: &Loc) -> Abort {
    Abort::raise(PyException::library(class, message, loc.clone()))
}

/// What SQLAlchemy raises when asked to reflect through Alembic's offline
/// mock connection.
fn no_inspection(loc: &Loc) -> Abort {
    raise(
        "sqlalchemy.exc.NoInspectionAvailable",
        "No inspection system is available for object of type <class 'sqlalchemy.engine.mock.MockConnection'>",
        loc,
    )
}

fn unknown(reason: impl Into<String>, loc: &Loc) -> Value {
    Value::unknown(reason, loc.clone())
}

/// What a handed-out value stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handle {
    Table(usize),
    PrimaryKey(usize),
    ForeignKeyConstraint(usize, usize),
    /// `(table, constraint, element)`.
    ForeignKey(usize, usize, usize),
    Unique(usize, usize),
    Check(usize, usize),
    Index(usize, usize),
    MetaData(usize),
}

/// Whose `.columns` a column collection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Table(usize),
    PrimaryKey(usize),
    ForeignKeyConstraint(usize, usize),
    Unique(usize, usize),
    Index(usize, usize),
}

impl Owner {
    fn table(self) -> usize {
        match self {
            Owner::Table(t)
            | Owner::PrimaryKey(t)
            | Owner::ForeignKeyConstraint(t, _)
            | Owner::Unique(t, _)
            | Owner::Index(t, _) => t,
        }
    }
}

/// A value resolved to what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    Handle(Handle),
    Columns(Owner),
    /// `(table, column index)`.
    Column(usize, usize),
}

/// A table as reflected, and the values standing for its parts.
struct Snapshot {
    name: String,
    schema: Option<String>,
    columns: Vec<ColumnInfo>,
    /// The columns' types, as values.
    types: Vec<Value>,
    primary_key: PrimaryKeyInfo,
    foreign_keys: Vec<ForeignKeyInfo>,
    uniques: Vec<UniqueInfo>,
    checks: Vec<CheckInfo>,
    /// Indexes that are not a constraint's.
    indexes: Vec<IndexInfo>,
    meta: usize,
    loc: Loc,
    value: Value,
    pk_value: Value,
    fkc_values: Vec<Value>,
    fk_values: Vec<Vec<Value>>,
    unique_values: Vec<Value>,
    check_values: Vec<Value>,
    index_values: Vec<Value>,
}

impl Snapshot {
    fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

struct Meta {
    value: Value,
    /// Tables by key (`schema.name` or `name`), in the order they joined.
    tables: Vec<(String, Value)>,
    /// `MetaData(schema=...)`: the schema of tables given none.
    schema: Option<String>,
    /// `MetaData(bind=...)` (SQLAlchemy 1.x): what `autoload=True` uses.
    bound: bool,
    /// Nothing out of sight may have added tables to it.
    followed: bool,
    /// Why it stopped being followed.
    lost: Option<String>,
}

#[derive(Default)]
pub(super) struct Reflection {
    tables: Vec<Snapshot>,
    metas: Vec<Meta>,
    handles: HashMap<usize, (Arc<Call>, Handle)>,
}

/// How a `sa.Table(...)` call asks to be reflected.
pub(super) enum TableRequest {
    /// Not a reflection (columns given, no `autoload_with`).
    Explicit,
    Reflect,
    /// A reflection migsim cannot answer, with the reason.
    Unknown(String),
}

/// `sa.MetaData(bind=conn)`: the SQLAlchemy 1.x bound metadata.
fn is_connection(v: &Value) -> bool {
    v.as_host()
        .is_some_and(|h| matches!(h.kind, "bind" | "engine"))
}

impl Reflection {
    fn register(&mut self, v: &Value, h: Handle) {
        if let Value::Call(c) = v {
            self.handles.insert(addr(c), (Arc::clone(c), h));
        }
    }

    fn handle(&self, c: &Call) -> Option<Handle> {
        self.handles.get(&addr(c)).map(|(_, h)| *h)
    }

    fn meta_of(&self, v: &Value) -> Option<usize> {
        match self.handle(v.as_call()?)? {
            Handle::MetaData(m) => Some(m),
            _ => None,
        }
    }

    /// `sa.MetaData(...)`: followed from here on.
    pub fn metadata(&mut self, c: &Call) -> Value {
        let v = Value::Call(Arc::new(c.clone()));
        let schema = c.kwarg("schema").and_then(Value::as_str).map(str::to_owned);
        let bound = c.kwarg("bind").is_some_and(is_connection);
        let m = self.metas.len();
        self.metas.push(Meta {
            value: v.clone(),
            tables: Vec::new(),
            schema,
            bound,
            followed: true,
            lost: None,
        });
        self.register(&v, Handle::MetaData(m));
        v
    }

    /// A followed `MetaData` handed to another library call.
    pub fn note_escapes(&mut self, c: &Call) {
        if self.metas.is_empty() {
            return;
        }
        let what = match &c.callee {
            Callee::Symbol(s) => s.path.to_string(),
            Callee::Method { name, .. } => format!(".{name}()"),
        };
        let args: Vec<usize> = c
            .args
            .iter()
            .chain(c.kwargs.iter().map(|(_, v)| v))
            .filter_map(|v| self.meta_of(v))
            .collect();
        for m in args {
            let meta = &mut self.metas[m];
            if meta.followed {
                meta.followed = false;
                meta.lost = Some(format!(
                    "the MetaData was handed to `{what}`, which may add tables to it"
                ));
            }
        }
    }

    /// Classifies a `sa.Table(...)` call.
    pub fn table_request(&self, c: &Call) -> TableRequest {
        let autoload_with = c.kwarg("autoload_with");
        let autoload = c.kwarg("autoload");
        let reflect = match (autoload_with, autoload) {
            (Some(v), _) if is_connection(v) => true,
            (Some(Value::None), None | Some(Value::Bool(false))) | (None, None) => false,
            (None, Some(Value::Bool(false))) => false,
            (None, Some(Value::Bool(true))) => {
                let bound = c
                    .arg(1, "metadata")
                    .and_then(|m| self.meta_of(m))
                    .is_some_and(|m| self.metas[m].bound);
                if !bound {
                    return TableRequest::Unknown(
                        "`autoload=True` without `autoload_with=` reflects through a bind migsim does not see".into(),
                    );
                }
                true
            }
            (Some(other), _) | (None, Some(other)) => {
                return TableRequest::Unknown(format!(
                    "table reflection with `autoload_with`/`autoload` not known: {}",
                    crate::python::eval::describe_unknown(other)
                ));
            }
        };
        if !reflect {
            return TableRequest::Explicit;
        }
        if c.args.len() > 2 {
            return TableRequest::Unknown(
                "a reflected table with columns or constraints given is not simulated".into(),
            );
        }
        const KNOWN: &[&str] = &[
            "metadata",
            "autoload_with",
            "autoload",
            "schema",
            "extend_existing",
            "keep_existing",
            "resolve_fks",
            "postgresql_ignore_search_path",
        ];
        if let Some((k, _)) = c.kwargs.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
            return TableRequest::Unknown(format!("table reflection with `{k}=` is not simulated"));
        }
        TableRequest::Reflect
    }

    /// An explicit `sa.Table(name, metadata, ...)`: joins its metadata.
    /// `None` when the metadata is not followed (the value stays as the
    /// evaluator makes it).
    pub fn explicit_table(&mut self, c: &Call) -> Option<Value> {
        let m = self.meta_of(c.arg(1, "metadata")?)?;
        if !self.metas[m].followed {
            return None;
        }
        let Some(name) = c.args.first().and_then(Value::as_str) else {
            self.lose(
                m,
                "a table with a name that is not known joined the MetaData",
            );
            return None;
        };
        let schema = match c.kwarg("schema") {
            None | Some(Value::None) => self.metas[m].schema.clone(),
            Some(Value::Str(s)) => Some(s.value.to_string()),
            Some(_) => {
                self.lose(
                    m,
                    "a table with a schema that is not known joined the MetaData",
                );
                return None;
            }
        };
        let key = table_key(schema.as_deref(), name);
        if self.metas[m].tables.iter().any(|(k, _)| *k == key) {
            self.lose(m, "a table was defined twice on the MetaData");
            return None;
        }
        let v = Value::Call(Arc::new(c.clone()));
        self.metas[m].tables.push((key, v.clone()));
        Some(v)
    }

    /// The `schema=` a reflection reads (the MetaData's own when not
    /// given), or why it is not known.
    fn reflected_schema(&self, m: usize, c: &Call) -> Result<Option<String>, String> {
        match c.kwarg("schema") {
            None | Some(Value::None) => Ok(self.metas[m].schema.clone()),
            Some(Value::Str(s)) => Ok(Some(s.value.to_string())),
            Some(other) => Err(crate::python::eval::describe_unknown(other)),
        }
    }

    fn lose(&mut self, m: usize, why: &str) {
        let meta = &mut self.metas[m];
        meta.followed = false;
        meta.lost = Some(why.to_owned());
    }

    /// `sa.Table(name, metadata, autoload_with=bind)`. `view` is `None`
    /// offline, where the connection is a mock.
    pub fn reflect_table(&mut self, view: Option<&dyn SchemaView>, c: &Call) -> HostResult {
        let loc = &c.loc;
        let Some(view) = view else {
            return Err(no_inspection(loc));
        };
        let name = match c.args.first().or_else(|| c.kwarg("name")) {
            Some(Value::Str(s)) => s.value.to_string(),
            Some(other) => {
                return Ok(unknown(
                    format!(
                        "the name of a reflected table is not known: {}",
                        crate::python::eval::describe_unknown(other)
                    ),
                    loc,
                ));
            }
            None => {
                return Err(raise(
                    "builtins.TypeError",
                    "Table() missing 1 required positional argument: 'name'",
                    loc,
                ));
            }
        };
        let Some(md) = c.arg(1, "metadata") else {
            return Err(raise(
                "builtins.TypeError",
                "Table() missing 1 required positional argument: 'metadata'",
                loc,
            ));
        };
        let Some(m) = self.meta_of(md) else {
            return Ok(unknown(
                format!(
                    "table `{name}` is reflected into a MetaData migsim did not see created: {}",
                    crate::python::eval::describe_unknown(md)
                ),
                loc,
            ));
        };
        if let Some(why) = &self.metas[m].lost {
            return Ok(unknown(
                format!(
                    "table `{name}` is reflected into a MetaData that may hold it already: {why}"
                ),
                loc,
            ));
        }
        let schema = match self.reflected_schema(m, c) {
            Ok(s) => s,
            Err(why) => {
                return Ok(unknown(
                    format!("the schema of reflected table `{name}` is not known: {why}"),
                    loc,
                ));
            }
        };
        let flag = |k: &str| c.kwarg(k).and_then(Value::as_bool);
        let key = table_key(schema.as_deref(), &name);
        if let Some((_, existing)) = self.metas[m].tables.iter().find(|(k, _)| *k == key) {
            if flag("extend_existing") == Some(true) {
                return Ok(unknown(
                    format!(
                        "`extend_existing=True` on table `{key}`, already in the MetaData, is not simulated"
                    ),
                    loc,
                ));
            }
            // SQLAlchemy hands back the table already defined, unreflected.
            return Ok(existing.clone());
        }
        let resolve_fks = flag("resolve_fks") != Some(false);
        match self.reflect_one(view, m, schema.as_deref(), &name, resolve_fks, loc) {
            Some(t) => Ok(self.tables[t].value.clone()),
            None => Err(raise("sqlalchemy.exc.NoSuchTableError", name, loc)),
        }
    }

    /// Reflects a table into metadata `m` (and, as SQLAlchemy does, the
    /// tables its foreign keys refer to). `None` when it does not exist.
    fn reflect_one(
        &mut self,
        view: &dyn SchemaView,
        m: usize,
        schema: Option<&str>,
        name: &str,
        resolve_fks: bool,
        loc: &Loc,
    ) -> Option<usize> {
        let columns = view.columns(schema, name)?;
        let primary_key = view.primary_key(schema, name).unwrap_or(PrimaryKeyInfo {
            name: None,
            columns: Vec::new(),
        });
        let foreign_keys = view.foreign_keys(schema, name).unwrap_or_default();
        let uniques = view.unique_constraints(schema, name).unwrap_or_default();
        let checks = view.check_constraints(schema, name).unwrap_or_default();
        // PostgreSQL's unique constraints are indexes too; SQLAlchemy keeps
        // them as constraints only.
        let indexes: Vec<IndexInfo> = view
            .indexes(schema, name)
            .unwrap_or_default()
            .into_iter()
            .filter(|i| !uniques.iter().any(|u| u.name == i.name))
            .collect();
        let t = self.tables.len();
        let meta_value = self.metas[m].value.clone();
        let mut snap = Snapshot {
            name: name.to_owned(),
            schema: schema.map(str::to_owned),
            columns,
            types: Vec::new(),
            primary_key,
            foreign_keys,
            uniques,
            checks,
            indexes,
            meta: m,
            loc: loc.clone(),
            value: Value::None,
            pk_value: Value::None,
            fkc_values: Vec::new(),
            fk_values: Vec::new(),
            unique_values: Vec::new(),
            check_values: Vec::new(),
            index_values: Vec::new(),
        };
        build_values(&mut snap, meta_value, view);
        let key = table_key(schema, name);
        let refs: Vec<(Option<String>, String)> = snap
            .foreign_keys
            .iter()
            .map(|f| (f.referred_schema.clone(), f.referred_table.clone()))
            .collect();
        self.tables.push(snap);
        self.register_table(t);
        self.metas[m]
            .tables
            .push((key, self.tables[t].value.clone()));
        if resolve_fks {
            for (rs, rt) in refs {
                let rkey = table_key(rs.as_deref(), &rt);
                if self.metas[m].tables.iter().any(|(k, _)| *k == rkey) {
                    continue;
                }
                self.reflect_one(view, m, rs.as_deref(), &rt, true, loc);
            }
        }
        Some(t)
    }

    fn register_table(&mut self, t: usize) {
        let s = &self.tables[t];
        let mut pairs = vec![
            (s.value.clone(), Handle::Table(t)),
            (s.pk_value.clone(), Handle::PrimaryKey(t)),
        ];
        for (k, v) in s.fkc_values.iter().enumerate() {
            pairs.push((v.clone(), Handle::ForeignKeyConstraint(t, k)));
            for (e, fv) in s.fk_values[k].iter().enumerate() {
                pairs.push((fv.clone(), Handle::ForeignKey(t, k, e)));
            }
        }
        for (k, v) in s.unique_values.iter().enumerate() {
            pairs.push((v.clone(), Handle::Unique(t, k)));
        }
        for (k, v) in s.check_values.iter().enumerate() {
            pairs.push((v.clone(), Handle::Check(t, k)));
        }
        for (k, v) in s.index_values.iter().enumerate() {
            pairs.push((v.clone(), Handle::Index(t, k)));
        }
        for (v, h) in pairs {
            self.register(&v, h);
        }
    }

    /// `metadata.reflect(bind, schema=None, views=False, only=None, ...)`.
    fn reflect_all(&mut self, view: &dyn SchemaView, m: usize, c: &Call) -> HostResult {
        let loc = &c.loc;
        if !c.arg(0, "bind").is_some_and(is_connection) {
            return Ok(unknown(
                "`metadata.reflect()` without the migration's connection is not simulated",
                loc,
            ));
        }
        const KNOWN: &[&str] = &[
            "bind",
            "schema",
            "views",
            "only",
            "extend_existing",
            "autoload_replace",
            "resolve_fks",
        ];
        if c.args.len() > 1 {
            return Ok(unknown(
                "`metadata.reflect()` with positional options is not simulated",
                loc,
            ));
        }
        if let Some((k, _)) = c.kwargs.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
            return Ok(unknown(
                format!("`metadata.reflect({k}=...)` is not simulated"),
                loc,
            ));
        }
        if let Some(why) = &self.metas[m].lost {
            return Ok(unknown(
                format!("`metadata.reflect()` into a MetaData that may hold tables already: {why}"),
                loc,
            ));
        }
        let schema = match self.reflected_schema(m, c) {
            Ok(s) => s,
            Err(why) => {
                return Ok(unknown(
                    format!("the schema `metadata.reflect()` reads is not known: {why}"),
                    loc,
                ));
            }
        };
        let flag = |k: &str| c.kwarg(k).and_then(Value::as_bool);
        if flag("extend_existing") == Some(true) {
            return Ok(unknown(
                "`metadata.reflect(extend_existing=True)` is not simulated",
                loc,
            ));
        }
        let mut available = view.table_names(schema.as_deref());
        if flag("views") == Some(true) {
            available.extend(view.view_names(schema.as_deref()));
        }
        let wanted: Vec<String> = match c.kwarg("only") {
            None | Some(Value::None) => available.clone(),
            Some(v) => match v.as_seq() {
                Some(items) if items.iter().all(|i| i.as_str().is_some()) => {
                    let names: Vec<String> = items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    let missing: Vec<&str> = names
                        .iter()
                        .filter(|n| !available.contains(n))
                        .map(String::as_str)
                        .collect();
                    if !missing.is_empty() {
                        return Err(raise(
                            "sqlalchemy.exc.InvalidRequestError",
                            format!(
                                "Could not reflect: requested table(s) not available in Engine: ({})",
                                missing.join(", ")
                            ),
                            loc,
                        ));
                    }
                    names
                }
                _ => {
                    return Ok(unknown(
                        format!(
                            "`metadata.reflect(only=...)` with names that are not known: {}",
                            crate::python::eval::describe_unknown(v)
                        ),
                        loc,
                    ));
                }
            },
        };
        let resolve_fks = flag("resolve_fks") != Some(false);
        for name in wanted {
            let key = table_key(schema.as_deref(), &name);
            if self.metas[m].tables.iter().any(|(k, _)| *k == key) {
                continue;
            }
            self.reflect_one(view, m, schema.as_deref(), &name, resolve_fks, loc);
        }
        Ok(Value::None)
    }

    /// What a value handed out (or an attribute chain on one) stands for.
    fn resolve(&self, v: &Value) -> Option<Obj> {
        let c = v.as_call()?;
        if let Some(h) = self.handle(c) {
            return Some(Obj::Handle(h));
        }
        let Callee::Symbol(s) = &c.callee else {
            return None;
        };
        if !matches!(&*s.path, "builtins.getattr" | "operator.getitem") || c.args.len() != 2 {
            return None;
        }
        let base = self.resolve(&c.args[0])?;
        let key = &c.args[1];
        match (base, key.as_str()) {
            (Obj::Handle(Handle::Table(t)), Some("c" | "columns")) => {
                Some(Obj::Columns(Owner::Table(t)))
            }
            (Obj::Handle(h), Some("columns")) => Some(Obj::Columns(match h {
                Handle::PrimaryKey(t) => Owner::PrimaryKey(t),
                Handle::ForeignKeyConstraint(t, k) => Owner::ForeignKeyConstraint(t, k),
                Handle::Unique(t, k) => Owner::Unique(t, k),
                Handle::Index(t, k) => Owner::Index(t, k),
                _ => return None,
            })),
            (Obj::Columns(o), _) => {
                let names = self.owner_columns(o);
                let i = match key {
                    Value::Str(s) => names.iter().position(|n| **n == *s.value)?,
                    Value::Int(i) => {
                        let i = if *i < 0 { *i + names.len() as i64 } else { *i };
                        usize::try_from(i).ok().filter(|i| *i < names.len())?
                    }
                    _ => return None,
                };
                let t = o.table();
                Some(Obj::Column(t, self.tables[t].column_index(names[i])?))
            }
            _ => None,
        }
    }

    fn owner_columns(&self, o: Owner) -> Vec<&str> {
        let s = &self.tables[o.table()];
        match o {
            Owner::Table(_) => s.columns.iter().map(|c| c.name.as_str()).collect(),
            Owner::PrimaryKey(_) => s.primary_key.columns.iter().map(String::as_str).collect(),
            Owner::ForeignKeyConstraint(_, k) => s.foreign_keys[k]
                .columns
                .iter()
                .map(String::as_str)
                .collect(),
            Owner::Unique(_, k) => s.uniques[k].columns.iter().map(String::as_str).collect(),
            Owner::Index(_, k) => s.indexes[k]
                .columns
                .iter()
                .flatten()
                .map(String::as_str)
                .collect(),
        }
    }

    /// `t.c.<name>` as the evaluator spells it.
    fn column_value(&self, t: usize, i: usize, loc: &Loc) -> Value {
        let s = &self.tables[t];
        getattr(&getattr(&s.value, "c", loc), &s.columns[i].name, loc)
    }

    /// The table a foreign key refers to, when it is in the metadata.
    fn referred(&self, t: usize, k: usize) -> Option<&Value> {
        let s = &self.tables[t];
        let f = &s.foreign_keys[k];
        let key = table_key(f.referred_schema.as_deref(), &f.referred_table);
        self.metas[s.meta]
            .tables
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Reads of values this module handed out. `None`: not one of them, or
    /// nothing known beyond the symbolic value.
    pub fn access(&self, v: &Value, access: Access<'_>, loc: &Loc) -> Option<HostResult> {
        let Some(obj) = self.resolve(v) else {
            return explicit_attr(v, access);
        };
        match (obj, access) {
            (Obj::Handle(h), Access::Attr(name)) => self.handle_attr(h, name, loc),
            (Obj::Column(t, i), Access::Attr(name)) => self.column_attr(t, i, name, loc),
            (Obj::Columns(o), access) => self.columns_access(o, access, loc),
            _ => None,
        }
    }

    fn columns_access(&self, o: Owner, access: Access<'_>, loc: &Loc) -> Option<HostResult> {
        let names = self.owner_columns(o);
        let t = o.table();
        let col = |name: &str| {
            let i = self.tables[t].column_index(name)?;
            Some(self.column_value(t, i, loc))
        };
        Some(Ok(match access {
            Access::Attr(name) => {
                if names.contains(&name) {
                    return col(name).map(Ok);
                }
                const COLLECTION: &[&str] = &[
                    "keys",
                    "values",
                    "items",
                    "get",
                    "contains_column",
                    "corresponding_column",
                    "compare",
                    "as_readonly",
                    "update",
                    "add",
                ];
                if COLLECTION.contains(&name) || name.starts_with('_') {
                    return None;
                }
                return Some(Err(raise("builtins.AttributeError", name, loc)));
            }
            Access::Item(Value::Str(s)) => {
                if !names.contains(&&*s.value) {
                    return Some(Err(raise(
                        "builtins.KeyError",
                        format!("'{}'", s.value),
                        loc,
                    )));
                }
                return col(&s.value).map(Ok);
            }
            Access::Item(Value::Int(i)) => {
                let idx = if *i < 0 { *i + names.len() as i64 } else { *i };
                match usize::try_from(idx).ok().and_then(|i| names.get(i)) {
                    Some(n) => return col(n).map(Ok),
                    None => {
                        return Some(Err(raise(
                            "builtins.IndexError",
                            "list index out of range",
                            loc,
                        )));
                    }
                }
            }
            Access::Item(_) => return None,
            Access::Iter => Value::List(names.iter().filter_map(|n| col(n)).collect()),
            Access::Len => Value::Int(names.len() as i64),
            Access::Contains(Value::Str(s)) => Value::Bool(names.contains(&&*s.value)),
            Access::Contains(_) => return None,
        }))
    }

    fn handle_attr(&self, h: Handle, name: &str, loc: &Loc) -> Option<HostResult> {
        let ok = |v: Value| Some(Ok(v));
        match h {
            Handle::MetaData(m) => match name {
                "tables" => {
                    let meta = &self.metas[m];
                    if !meta.followed {
                        return None;
                    }
                    ok(Value::Dict(
                        meta.tables
                            .iter()
                            .map(|(k, v)| (Value::str(k.as_str()), v.clone()))
                            .collect(),
                    ))
                }
                "schema" => ok(opt_str(self.metas[m].schema.as_deref())),
                _ => None,
            },
            Handle::Table(t) => {
                let s = &self.tables[t];
                match name {
                    "name" | "description" => ok(Value::str(s.name.as_str())),
                    "schema" => ok(opt_str(s.schema.as_deref())),
                    "fullname" | "key" => ok(Value::str(table_key(s.schema.as_deref(), &s.name))),
                    "metadata" => ok(self.metas[s.meta].value.clone()),
                    "primary_key" => ok(s.pk_value.clone()),
                    "foreign_key_constraints" => ok(Value::Set(s.fkc_values.clone())),
                    "foreign_keys" => {
                        ok(Value::Set(s.fk_values.iter().flatten().cloned().collect()))
                    }
                    "constraints" => {
                        let mut all = vec![s.pk_value.clone()];
                        all.extend(s.fkc_values.iter().cloned());
                        all.extend(s.unique_values.iter().cloned());
                        all.extend(s.check_values.iter().cloned());
                        ok(Value::Set(all))
                    }
                    "indexes" => ok(Value::Set(s.index_values.clone())),
                    _ => None,
                }
            }
            Handle::PrimaryKey(t) => {
                let s = &self.tables[t];
                match name {
                    "name" => ok(opt_str(s.primary_key.name.as_deref())),
                    "table" => ok(s.value.clone()),
                    _ => None,
                }
            }
            Handle::ForeignKeyConstraint(t, k) => {
                let s = &self.tables[t];
                let f = &s.foreign_keys[k];
                match name {
                    "name" => ok(Value::str(f.name.as_str())),
                    "table" | "parent" => ok(s.value.clone()),
                    "column_keys" => ok(strs(&f.columns)),
                    "elements" => ok(Value::List(s.fk_values[k].clone())),
                    "referred_table" => match self.referred(t, k) {
                        Some(v) => ok(v.clone()),
                        None => ok(unknown(
                            format!(
                                "table `{}` was not reflected (`resolve_fks=False`)",
                                f.referred_table
                            ),
                            loc,
                        )),
                    },
                    "ondelete" => ok(opt_str(f.on_delete.as_deref())),
                    "onupdate" => ok(opt_str(f.on_update.as_deref())),
                    "use_alter" => ok(Value::Bool(false)),
                    _ => None,
                }
            }
            Handle::ForeignKey(t, k, e) => {
                let s = &self.tables[t];
                let f = &s.foreign_keys[k];
                match name {
                    "name" => ok(Value::str(f.name.as_str())),
                    "constraint" => ok(s.fkc_values[k].clone()),
                    "parent" => {
                        let i = s.column_index(f.columns.get(e)?)?;
                        ok(self.column_value(t, i, loc))
                    }
                    "column" => {
                        let col = f.referred_columns.get(e)?;
                        match self.referred(t, k) {
                            Some(rt) => ok(getattr(&getattr(rt, "c", loc), col, loc)),
                            None => ok(unknown(
                                format!(
                                    "table `{}` was not reflected (`resolve_fks=False`)",
                                    f.referred_table
                                ),
                                loc,
                            )),
                        }
                    }
                    "target_fullname" | "_colspec" => ok(Value::str(format!(
                        "{}.{}",
                        table_key(f.referred_schema.as_deref(), &f.referred_table),
                        f.referred_columns.get(e)?
                    ))),
                    "ondelete" => ok(opt_str(f.on_delete.as_deref())),
                    "onupdate" => ok(opt_str(f.on_update.as_deref())),
                    "use_alter" => ok(Value::Bool(false)),
                    _ => None,
                }
            }
            Handle::Unique(t, k) => {
                let s = &self.tables[t];
                match name {
                    "name" => ok(Value::str(s.uniques[k].name.as_str())),
                    "table" => ok(s.value.clone()),
                    _ => None,
                }
            }
            Handle::Check(t, k) => {
                let s = &self.tables[t];
                let c = &s.checks[k];
                match name {
                    "name" => ok(Value::str(c.name.as_str())),
                    "table" => ok(s.value.clone()),
                    "sqltext" => ok(call(
                        "sqlalchemy.text",
                        vec![Value::str(c.sqltext.as_str())],
                        Vec::new(),
                        &s.loc,
                    )),
                    _ => None,
                }
            }
            Handle::Index(t, k) => {
                let s = &self.tables[t];
                let i = &s.indexes[k];
                match name {
                    "name" => ok(Value::str(i.name.as_str())),
                    "unique" => ok(Value::Bool(i.unique)),
                    "table" => ok(s.value.clone()),
                    "expressions" => ok(Value::List(
                        i.columns
                            .iter()
                            .map(|c| match c.as_deref().and_then(|c| s.column_index(c)) {
                                Some(ci) => self.column_value(t, ci, loc),
                                None => unknown(
                                    format!(
                                        "an expression of index `{}` (the schema view does not give its text)",
                                        i.name
                                    ),
                                    loc,
                                ),
                            })
                            .collect(),
                    )),
                    _ => None,
                }
            }
        }
    }

    fn column_attr(&self, t: usize, i: usize, name: &str, loc: &Loc) -> Option<HostResult> {
        let s = &self.tables[t];
        let c = &s.columns[i];
        let ok = |v: Value| Some(Ok(v));
        match name {
            "name" | "key" => ok(Value::str(c.name.as_str())),
            "table" => ok(s.value.clone()),
            "type" => ok(s.types[i].clone()),
            "nullable" => ok(Value::Bool(c.nullable)),
            "primary_key" => ok(Value::Bool(s.primary_key.columns.contains(&c.name))),
            "foreign_keys" => ok(Value::Set(
                s.foreign_keys
                    .iter()
                    .enumerate()
                    .flat_map(|(k, f)| {
                        f.columns
                            .iter()
                            .enumerate()
                            .filter(|(_, col)| **col == c.name)
                            .map(move |(e, _)| s.fk_values[k][e].clone())
                    })
                    .collect(),
            )),
            "server_default" => ok(match &c.default {
                Some(d) => default_clause(d, &s.loc),
                None => Value::None,
            }),
            "default" | "onupdate" | "server_onupdate" | "unique" | "index" => ok(Value::None),
            "comment" => ok(opt_str(c.comment.as_deref())),
            "autoincrement" => ok(Value::Bool(
                c.identity
                    || c.default
                        .as_deref()
                        .is_some_and(|d| d.starts_with("nextval(")),
            )),
            _ => {
                let _ = loc;
                None
            }
        }
    }

    /// Method calls on values handed out: `metadata.reflect(bind)`,
    /// `t.c.keys()`. `None`: not one of them.
    pub fn method(
        &mut self,
        view: Option<&dyn SchemaView>,
        receiver: &Value,
        name: &str,
        c: &Call,
    ) -> Option<HostResult> {
        let obj = self.resolve(receiver)?;
        let loc = &c.loc;
        match (obj, name) {
            (Obj::Handle(Handle::MetaData(m)), "reflect") => Some(match view {
                Some(view) => self.reflect_all(view, m, c),
                None => Err(no_inspection(loc)),
            }),
            (Obj::Columns(o), "keys" | "values" | "items" | "get") => {
                let names: Vec<String> = self
                    .owner_columns(o)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let t = o.table();
                let col = |n: &str| {
                    self.tables[t]
                        .column_index(n)
                        .map(|i| self.column_value(t, i, loc))
                };
                Some(Ok(match name {
                    "keys" => strs(&names),
                    "values" => Value::List(names.iter().filter_map(|n| col(n)).collect()),
                    "items" => Value::List(
                        names
                            .iter()
                            .filter_map(|n| {
                                Some(Value::Tuple(vec![Value::str(n.as_str()), col(n)?]))
                            })
                            .collect(),
                    ),
                    _ => match c.arg(0, "key") {
                        Some(Value::Str(k)) => match col(&k.value) {
                            Some(v) if names.iter().any(|n| **n == *k.value) => v,
                            _ => c.arg(1, "default").cloned().unwrap_or(Value::None),
                        },
                        _ => return None,
                    },
                }))
            }
            _ => None,
        }
    }
}

/// The names an explicit `sa.Column("name", ...)` or `sa.Table("name",
/// ...)` carries from its construction on.
fn explicit_attr(v: &Value, access: Access<'_>) -> Option<HostResult> {
    let Access::Attr(attr) = access else {
        return None;
    };
    let c = v.as_call()?;
    let Callee::Symbol(s) = &c.callee else {
        return None;
    };
    let name = c.args.first().and_then(Value::as_str);
    let answer = match (sa_name(&s.path)?, attr) {
        ("Column", "name") => Value::str(name?),
        ("Column", "key") => match c.kwarg("key") {
            Some(k @ Value::Str(_)) => k.clone(),
            None | Some(Value::None) => Value::str(name?),
            Some(_) => return None,
        },
        ("Table", "name") => Value::str(name?),
        _ => return None,
    };
    Some(Ok(answer))
}

fn table_key(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_owned(),
    }
}

fn default_clause(text: &str, loc: &Loc) -> Value {
    call(
        "sqlalchemy.schema.DefaultClause",
        vec![call(
            "sqlalchemy.text",
            vec![Value::str(text)],
            Vec::new(),
            loc,
        )],
        Vec::new(),
        loc,
    )
}

/// The type SQLAlchemy's PostgreSQL dialect reflects for a column of
/// `format_type` spelling `sql` (its `ischema_names`); a type it does not
/// recognise is `NullType`, as SQLAlchemy makes it (with a warning).
fn reflected_type(view: &dyn SchemaView, sql: &str, loc: &Loc) -> Value {
    let pg = |name: &str, kwargs: Vec<(&str, Value)>| {
        call(
            &format!("sqlalchemy.dialects.postgresql.{name}"),
            Vec::new(),
            kwargs,
            loc,
        )
    };
    if let Some(item) = sql.strip_suffix("[]") {
        let item = item.trim_end_matches("[]");
        return call(
            "sqlalchemy.dialects.postgresql.ARRAY",
            vec![reflected_type(view, item, loc)],
            Vec::new(),
            loc,
        );
    }
    // `timestamp(3) with time zone`: the modifiers, and the name without them.
    let (name, mods) = match (sql.find('('), sql.find(')')) {
        (Some(a), Some(b)) if a < b => (
            format!("{}{}", &sql[..a], &sql[b + 1..]),
            sql[a + 1..b]
                .split(',')
                .map(|m| m.trim().parse::<i64>().ok())
                .collect::<Option<Vec<i64>>>(),
        ),
        _ => (sql.to_owned(), Some(Vec::new())),
    };
    let Some(mods) = mods else {
        return call("sqlalchemy.types.NullType", Vec::new(), Vec::new(), loc);
    };
    let m = |i: usize| mods.get(i).copied().map(Value::Int);
    let with = |k: &'static str, v: Option<Value>| v.map(|v| vec![(k, v)]).unwrap_or_default();
    match name.as_str() {
        "integer" => pg("INTEGER", Vec::new()),
        "bigint" => pg("BIGINT", Vec::new()),
        "smallint" => pg("SMALLINT", Vec::new()),
        "boolean" => pg("BOOLEAN", Vec::new()),
        "text" => pg("TEXT", Vec::new()),
        "character varying" => pg("VARCHAR", with("length", m(0))),
        "character" => pg("CHAR", with("length", m(0))),
        "\"char\"" | "name" => call("sqlalchemy.String", Vec::new(), Vec::new(), loc),
        "numeric" => {
            let mut kw = with("precision", m(0));
            kw.extend(with("scale", m(1)));
            pg("NUMERIC", kw)
        }
        "real" => pg("REAL", Vec::new()),
        "double precision" => pg("DOUBLE_PRECISION", Vec::new()),
        "date" => pg("DATE", Vec::new()),
        "timestamp without time zone" | "timestamp with time zone" => {
            let mut kw = vec![("timezone", Value::Bool(name.ends_with("with time zone")))];
            kw.extend(with("precision", m(0)));
            pg("TIMESTAMP", kw)
        }
        "time without time zone" | "time with time zone" => {
            let mut kw = vec![("timezone", Value::Bool(name.ends_with("with time zone")))];
            kw.extend(with("precision", m(0)));
            pg("TIME", kw)
        }
        "interval" => pg("INTERVAL", with("precision", m(0))),
        _ if name.starts_with("interval ") => {
            let mut kw = vec![("fields", Value::str(&name["interval ".len()..]))];
            kw.extend(with("precision", m(0)));
            pg("INTERVAL", kw)
        }
        "bytea" => pg("BYTEA", Vec::new()),
        "uuid" => pg("UUID", Vec::new()),
        "json" => pg("JSON", Vec::new()),
        "jsonb" => pg("JSONB", Vec::new()),
        "bit" => pg("BIT", with("length", m(0))),
        "bit varying" => {
            let mut kw = with("length", m(0));
            kw.push(("varying", Value::Bool(true)));
            pg("BIT", kw)
        }
        "inet" | "cidr" | "macaddr" | "macaddr8" | "money" | "oid" | "regclass" | "regconfig"
        | "tsvector" | "tsquery" | "jsonpath" | "int4range" | "int8range" | "numrange"
        | "daterange" | "tsrange" | "tstzrange" | "int4multirange" | "int8multirange"
        | "nummultirange" | "datemultirange" | "tsmultirange" | "tstzmultirange" => {
            pg(&name.to_uppercase(), Vec::new())
        }
        _ => {
            // An enum: `ENUM(*labels, name=..., schema=...)`.
            let (schema, bare) = match name.rsplit_once('.') {
                Some((s, n)) => (Some(s.trim_matches('"')), n.trim_matches('"')),
                None => (None, name.trim_matches('"')),
            };
            let found = view.enums(Some("*")).into_iter().find(|e| {
                e.name == bare
                    && match schema {
                        Some(s) => e.schema == s,
                        None => e.visible,
                    }
            });
            match found {
                Some(e) => {
                    let mut kw = vec![("name", Value::str(e.name.as_str()))];
                    if let Some(s) = schema {
                        kw.push(("schema", Value::str(s)));
                    }
                    call(
                        "sqlalchemy.dialects.postgresql.ENUM",
                        e.labels.iter().map(|l| Value::str(l.as_str())).collect(),
                        kw,
                        loc,
                    )
                }
                None => call("sqlalchemy.types.NullType", Vec::new(), Vec::new(), loc),
            }
        }
    }
}

/// The symbolic calls SQLAlchemy's reflection would have built.
fn build_values(s: &mut Snapshot, metadata: Value, view: &dyn SchemaView) {
    let loc = s.loc.clone();
    let loc = &loc;
    let target = |f: &ForeignKeyInfo, col: &str| {
        Value::str(format!(
            "{}.{col}",
            table_key(f.referred_schema.as_deref(), &f.referred_table)
        ))
    };
    let fk_opts = |f: &ForeignKeyInfo| {
        let mut kw = vec![("name", Value::str(f.name.as_str()))];
        if let Some(d) = &f.on_delete {
            kw.push(("ondelete", Value::str(d.as_str())));
        }
        if let Some(u) = &f.on_update {
            kw.push(("onupdate", Value::str(u.as_str())));
        }
        kw
    };
    let mut pk_kw = Vec::new();
    if let Some(n) = &s.primary_key.name {
        pk_kw.push(("name", Value::str(n.as_str())));
    }
    s.pk_value = call(
        "sqlalchemy.PrimaryKeyConstraint",
        s.primary_key
            .columns
            .iter()
            .map(|c| Value::str(c.as_str()))
            .collect(),
        pk_kw,
        loc,
    );
    s.fkc_values = s
        .foreign_keys
        .iter()
        .map(|f| {
            call(
                "sqlalchemy.ForeignKeyConstraint",
                vec![
                    strs(&f.columns),
                    Value::List(f.referred_columns.iter().map(|c| target(f, c)).collect()),
                ],
                fk_opts(f),
                loc,
            )
        })
        .collect();
    s.fk_values = s
        .foreign_keys
        .iter()
        .map(|f| {
            f.referred_columns
                .iter()
                .map(|c| call("sqlalchemy.ForeignKey", vec![target(f, c)], fk_opts(f), loc))
                .collect()
        })
        .collect();
    s.unique_values = s
        .uniques
        .iter()
        .map(|u| {
            call(
                "sqlalchemy.UniqueConstraint",
                u.columns.iter().map(|c| Value::str(c.as_str())).collect(),
                vec![("name", Value::str(u.name.as_str()))],
                loc,
            )
        })
        .collect();
    s.check_values = s
        .checks
        .iter()
        .map(|c| {
            call(
                "sqlalchemy.CheckConstraint",
                vec![Value::str(c.sqltext.as_str())],
                vec![("name", Value::str(c.name.as_str()))],
                loc,
            )
        })
        .collect();
    s.index_values = s
        .indexes
        .iter()
        .map(|i| {
            let mut args = vec![Value::str(i.name.as_str())];
            args.extend(i.columns.iter().map(|c| match c {
                Some(c) => Value::str(c.as_str()),
                None => unknown(
                    format!(
                        "an expression of index `{}` (the schema view does not give its text)",
                        i.name
                    ),
                    loc,
                ),
            }));
            call(
                "sqlalchemy.Index",
                args,
                vec![("unique", Value::Bool(i.unique))],
                loc,
            )
        })
        .collect();
    s.types = s
        .columns
        .iter()
        .map(|c| reflected_type(view, &c.type_sql, loc))
        .collect();
    let types = s.types.clone();
    let mut args = vec![Value::str(s.name.as_str()), metadata];
    for (i, c) in s.columns.iter().enumerate() {
        let mut kw = vec![("nullable", Value::Bool(c.nullable))];
        if let Some(d) = &c.default {
            kw.push((
                "server_default",
                call(
                    "sqlalchemy.text",
                    vec![Value::str(d.as_str())],
                    Vec::new(),
                    loc,
                ),
            ));
        }
        if let Some(cm) = &c.comment {
            kw.push(("comment", Value::str(cm.as_str())));
        }
        args.push(call(
            "sqlalchemy.Column",
            vec![Value::str(c.name.as_str()), types[i].clone()],
            kw,
            loc,
        ));
    }
    if !s.primary_key.columns.is_empty() {
        args.push(s.pk_value.clone());
    }
    args.extend(s.fkc_values.iter().cloned());
    args.extend(s.unique_values.iter().cloned());
    args.extend(s.check_values.iter().cloned());
    let mut kw = Vec::new();
    if let Some(sc) = &s.schema {
        kw.push(("schema", Value::str(sc.as_str())));
    }
    s.value = call("sqlalchemy.Table", args, kw, loc);
}
