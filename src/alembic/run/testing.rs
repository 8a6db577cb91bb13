//! A sink and a schema for tests of the runner: the sink records what it is
//! sent and applies a few DDL statements (tables, columns, indexes, enums)
//! to its schema, enough for migrations that inspect what ran before. It is
//! not the catalog: it checks nothing.

use std::collections::BTreeMap;

use pg_query::protobuf::node::Node as N;

use crate::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, Halt, IndexInfo, MigrationSink, OpaqueStep,
    PrimaryKeyInfo, QueryRows, SchemaView, SqlStep, UniqueInfo,
};

#[derive(Debug, Clone, Default)]
pub struct FakeTable {
    pub columns: Vec<ColumnInfo>,
    pub primary_key: Option<PrimaryKeyInfo>,
    pub foreign_keys: Vec<ForeignKeyInfo>,
    pub indexes: Vec<IndexInfo>,
    pub unique: Vec<UniqueInfo>,
    pub checks: Vec<CheckInfo>,
}

/// Tables by `(schema, name)`; `schema` is `"public"` by default.
#[derive(Debug, Clone, Default)]
pub struct FakeSchema {
    pub tables: BTreeMap<(String, String), FakeTable>,
    pub views: Vec<(String, String)>,
    pub sequences: Vec<(String, String)>,
    pub enums: Vec<EnumInfo>,
    pub schemas: Vec<String>,
    /// Answers to catalog queries, by their exact text.
    pub queries: Vec<(String, QueryRows)>,
}

impl FakeSchema {
    pub fn new() -> Self {
        FakeSchema {
            schemas: vec!["public".into()],
            ..Default::default()
        }
    }

    /// Adds a table with `columns` (`(name, type)`), all nullable.
    pub fn with_table(mut self, name: &str, columns: &[(&str, &str)]) -> Self {
        let t = FakeTable {
            columns: columns
                .iter()
                .map(|(n, ty)| ColumnInfo {
                    name: (*n).into(),
                    type_sql: (*ty).into(),
                    nullable: true,
                    default: None,
                    comment: None,
                    identity: false,
                    generated: None,
                })
                .collect(),
            ..Default::default()
        };
        self.tables.insert(("public".into(), name.into()), t);
        self
    }

    pub fn with_enum(mut self, name: &str, labels: &[&str]) -> Self {
        self.enums.push(EnumInfo {
            name: name.into(),
            schema: "public".into(),
            visible: true,
            labels: labels.iter().map(|l| (*l).into()).collect(),
        });
        self
    }

    pub fn with_index(mut self, table: &str, name: &str, columns: &[&str], unique: bool) -> Self {
        if let Some(t) = self
            .tables
            .get_mut(&("public".to_string(), table.to_string()))
        {
            t.indexes.push(IndexInfo {
                name: name.into(),
                columns: columns.iter().map(|c| Some((*c).into())).collect(),
                unique,
            });
        }
        self
    }

    pub fn with_primary_key(mut self, table: &str, name: &str, columns: &[&str]) -> Self {
        if let Some(t) = self
            .tables
            .get_mut(&("public".to_string(), table.to_string()))
        {
            t.primary_key = Some(PrimaryKeyInfo {
                name: Some(name.into()),
                columns: columns.iter().map(|c| (*c).into()).collect(),
            });
        }
        self
    }

    /// A foreign key from `table(columns)` to `referred(referred_columns)`.
    pub fn with_foreign_key(
        mut self,
        table: &str,
        name: &str,
        columns: &[&str],
        referred: &str,
        referred_columns: &[&str],
    ) -> Self {
        if let Some(t) = self
            .tables
            .get_mut(&("public".to_string(), table.to_string()))
        {
            t.foreign_keys.push(ForeignKeyInfo {
                name: name.into(),
                columns: columns.iter().map(|c| (*c).into()).collect(),
                referred_schema: None,
                referred_table: referred.into(),
                referred_columns: referred_columns.iter().map(|c| (*c).into()).collect(),
                on_delete: None,
                on_update: None,
            });
        }
        self
    }

    /// The rows a catalog query returns.
    pub fn with_query(mut self, sql: &str, rows: QueryRows) -> Self {
        self.queries.push((sql.into(), rows));
        self
    }

    fn key(schema: Option<&str>, table: &str) -> (String, String) {
        (schema.unwrap_or("public").to_owned(), table.to_owned())
    }

    fn table(&self, schema: Option<&str>, table: &str) -> Option<&FakeTable> {
        self.tables.get(&Self::key(schema, table))
    }

    /// Applies the DDL statements the fake understands; others are ignored.
    pub fn apply(&mut self, sql: &str) {
        let Ok(parsed) = pg_query::parse(sql, 0) else {
            return;
        };
        for raw in &parsed.protobuf.stmts {
            let Some(node) = raw.stmt.as_ref().and_then(|n| n.node.as_ref()) else {
                continue;
            };
            match node {
                N::CreateStmt(cs) => {
                    let Some(rel) = &cs.relation else { continue };
                    let schema = (!rel.schemaname.is_empty()).then_some(rel.schemaname.as_str());
                    let mut t = FakeTable::default();
                    for elt in &cs.table_elts {
                        if let Some(N::ColumnDef(cd)) = &elt.node {
                            let ty = cd
                                .type_name
                                .as_ref()
                                .map(|tn| {
                                    tn.names
                                        .iter()
                                        .filter_map(|n| match &n.node {
                                            Some(N::String(s)) => Some(s.sval.clone()),
                                            _ => None,
                                        })
                                        .filter(|s| s != "pg_catalog")
                                        .collect::<Vec<_>>()
                                        .join(".")
                                })
                                .unwrap_or_default();
                            t.columns.push(ColumnInfo {
                                name: cd.colname.clone(),
                                type_sql: ty,
                                nullable: true,
                                default: None,
                                comment: None,
                                identity: false,
                                generated: None,
                            });
                        }
                    }
                    self.tables.insert(Self::key(schema, &rel.relname), t);
                }
                N::DropStmt(ds) => {
                    for o in &ds.objects {
                        if let Some(N::List(l)) = &o.node {
                            let names: Vec<String> = l
                                .items
                                .iter()
                                .filter_map(|n| match &n.node {
                                    Some(N::String(s)) => Some(s.sval.clone()),
                                    _ => None,
                                })
                                .collect();
                            match names.as_slice() {
                                [t] => {
                                    self.tables.remove(&Self::key(None, t));
                                }
                                [s, t] => {
                                    self.tables.remove(&Self::key(Some(s), t));
                                }
                                _ => {}
                            }
                        }
                    }
                }
                N::IndexStmt(ix) => {
                    let Some(rel) = &ix.relation else { continue };
                    let schema = (!rel.schemaname.is_empty()).then_some(rel.schemaname.clone());
                    let cols = ix
                        .index_params
                        .iter()
                        .map(|p| match &p.node {
                            Some(N::IndexElem(e)) if !e.name.is_empty() => Some(e.name.clone()),
                            _ => None,
                        })
                        .collect();
                    if let Some(t) = self
                        .tables
                        .get_mut(&Self::key(schema.as_deref(), &rel.relname))
                    {
                        t.indexes.push(IndexInfo {
                            name: ix.idxname.clone(),
                            columns: cols,
                            unique: ix.unique,
                        });
                    }
                }
                N::AlterTableStmt(at) => {
                    let Some(rel) = &at.relation else { continue };
                    let schema = (!rel.schemaname.is_empty()).then_some(rel.schemaname.clone());
                    for cmd in &at.cmds {
                        if let Some(N::AlterTableCmd(c)) = &cmd.node
                            && let Some(def) = &c.def
                            && let Some(N::ColumnDef(cd)) = &def.node
                            && let Some(t) = self
                                .tables
                                .get_mut(&Self::key(schema.as_deref(), &rel.relname))
                        {
                            t.columns.push(ColumnInfo {
                                name: cd.colname.clone(),
                                type_sql: String::new(),
                                nullable: true,
                                default: None,
                                comment: None,
                                identity: false,
                                generated: None,
                            });
                        }
                    }
                }
                N::CreateEnumStmt(e) => {
                    let name = e
                        .type_name
                        .iter()
                        .filter_map(|n| match &n.node {
                            Some(N::String(s)) => Some(s.sval.clone()),
                            _ => None,
                        })
                        .next_back()
                        .unwrap_or_default();
                    let labels = e
                        .vals
                        .iter()
                        .filter_map(|n| match &n.node {
                            Some(N::String(s)) => Some(s.sval.clone()),
                            _ => None,
                        })
                        .collect();
                    self.enums.push(EnumInfo {
                        name,
                        schema: "public".into(),
                        visible: true,
                        labels,
                    });
                }
                _ => {}
            }
        }
    }
}

impl SchemaView for FakeSchema {
    fn schema_names(&self) -> Vec<String> {
        self.schemas.clone()
    }
    fn table_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = schema.unwrap_or("public");
        self.tables
            .keys()
            .filter(|(sc, _)| sc == s)
            .map(|(_, t)| t.clone())
            .collect()
    }
    fn view_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = schema.unwrap_or("public");
        self.views
            .iter()
            .filter(|(sc, _)| sc == s)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn sequence_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = schema.unwrap_or("public");
        self.sequences
            .iter()
            .filter(|(sc, _)| sc == s)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn columns(&self, schema: Option<&str>, table: &str) -> Option<Vec<ColumnInfo>> {
        self.table(schema, table).map(|t| t.columns.clone())
    }
    fn primary_key(&self, schema: Option<&str>, table: &str) -> Option<PrimaryKeyInfo> {
        self.table(schema, table)
            .and_then(|t| t.primary_key.clone())
    }
    fn foreign_keys(&self, schema: Option<&str>, table: &str) -> Option<Vec<ForeignKeyInfo>> {
        self.table(schema, table).map(|t| t.foreign_keys.clone())
    }
    fn indexes(&self, schema: Option<&str>, table: &str) -> Option<Vec<IndexInfo>> {
        self.table(schema, table).map(|t| t.indexes.clone())
    }
    fn unique_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<UniqueInfo>> {
        self.table(schema, table).map(|t| t.unique.clone())
    }
    fn check_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<CheckInfo>> {
        self.table(schema, table).map(|t| t.checks.clone())
    }
    fn catalog_query(&self, sql: &str) -> Option<QueryRows> {
        self.queries
            .iter()
            .find(|(q, _)| q.trim() == sql.trim())
            .map(|(_, r)| r.clone())
    }
    fn enums(&self, schema: Option<&str>) -> Vec<EnumInfo> {
        match schema {
            Some("*") => self.enums.clone(),
            None => self.enums.iter().filter(|e| e.visible).cloned().collect(),
            Some(s) => self
                .enums
                .iter()
                .filter(|e| e.schema == s)
                .cloned()
                .collect(),
        }
    }
}

/// Records steps; applies simple DDL to its schema; halts on request.
#[derive(Debug, Default)]
pub struct FakeSink {
    pub schema: FakeSchema,
    pub steps: Vec<SqlStep>,
    pub opaque: Vec<OpaqueStep>,
    /// Halt (as if PostgreSQL raised) on the first statement containing this.
    pub halt_on: Option<String>,
}

impl FakeSink {
    pub fn new(schema: FakeSchema) -> Self {
        FakeSink {
            schema,
            ..Default::default()
        }
    }

    /// The SQL of every step, in order, without surrounding whitespace
    /// (SQLAlchemy's DDL compiler starts and ends some statements with
    /// newlines).
    pub fn sql(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.sql.trim()).collect()
    }
}

impl MigrationSink for FakeSink {
    fn schema(&self) -> &dyn SchemaView {
        &self.schema
    }

    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        let halt = self
            .halt_on
            .as_deref()
            .is_some_and(|h| step.sql.contains(h));
        self.schema.apply(&step.sql);
        self.steps.push(step);
        if halt { Err(Halt) } else { Ok(()) }
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}
