//! The simulated catalog seen through SQLAlchemy's Inspector: the answers
//! an idempotent migration (`if not inspector.has_table(...)`) gets. The
//! impl lives here so neither the catalog nor the Alembic reader knows the
//! other.

use crate::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, IndexInfo, PrimaryKeyInfo, QueryRows,
    QueryValue, SchemaView, UniqueInfo,
};
use crate::catalog::expr::deparse_expr;
use crate::catalog::probe::{self, Cell};
use crate::catalog::{Catalog, ConstraintKind, IndexTarget, Oid, RelBody, Relation, TypeKind};

fn schema_for(c: &Catalog, schema: Option<&str>) -> Option<Oid> {
    match schema {
        Some(s) => c.schema_oid(s),
        None => c.current_schema(),
    }
}

fn relation_named<'c>(c: &'c Catalog, schema: Option<&str>, name: &str) -> Option<&'c Relation> {
    let s = schema_for(c, schema)?;
    c.rel_in_schema(s, name).and_then(|o| c.relation(o))
}

fn names(c: &Catalog, schema: Option<&str>, pred: impl Fn(&Relation) -> bool) -> Vec<String> {
    let Some(s) = schema_for(c, schema) else {
        return Vec::new();
    };
    let mut v: Vec<String> = c
        .relations()
        .filter(|r| r.schema == s && r.extension.is_none() && pred(r))
        .map(|r| r.name.clone())
        .collect();
    v.sort();
    v
}

fn index_columns(c: &Catalog, index: Option<Oid>) -> Vec<Option<String>> {
    let Some(i) = index.and_then(|i| c.relation(i)).and_then(Relation::index) else {
        return Vec::new();
    };
    let t = c.table(i.table);
    i.keys
        .iter()
        .map(|k| match k.target {
            IndexTarget::Column(a) => t.map(|t| t.column_name(a).to_string()),
            IndexTarget::Expr(_) => None,
        })
        .collect()
}

fn action(a: char) -> Option<String> {
    match a {
        'r' => Some("RESTRICT".into()),
        'c' => Some("CASCADE".into()),
        'n' => Some("SET NULL".into()),
        'd' => Some("SET DEFAULT".into()),
        _ => None,
    }
}

impl SchemaView for Catalog {
    fn schema_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.schemas().map(|s| s.name.clone()).collect();
        v.sort();
        v
    }

    fn table_names(&self, schema: Option<&str>) -> Vec<String> {
        names(self, schema, |r| r.table().is_some())
    }

    fn view_names(&self, schema: Option<&str>) -> Vec<String> {
        names(self, schema, |r| r.view().is_some_and(|v| !v.materialized))
    }

    fn sequence_names(&self, schema: Option<&str>) -> Vec<String> {
        names(self, schema, |r| r.sequence().is_some())
    }

    fn columns(&self, schema: Option<&str>, table: &str) -> Option<Vec<ColumnInfo>> {
        let r = relation_named(self, schema, table)?;
        match &r.body {
            RelBody::Table(t) => Some(
                t.columns
                    .iter()
                    .map(|c| ColumnInfo {
                        name: c.name.clone(),
                        type_sql: self.type_display(&c.ty),
                        nullable: !c.not_null,
                        default: c.default.as_ref().map(deparse_expr),
                        comment: c.comment.clone(),
                        identity: c.identity.is_some(),
                        generated: c.generated.as_ref().map(deparse_expr),
                    })
                    .collect(),
            ),
            RelBody::View(v) => Some(
                v.columns
                    .iter()
                    .map(|c| ColumnInfo {
                        name: c.name.clone(),
                        type_sql: c
                            .ty
                            .as_ref()
                            .map_or_else(|| "text".into(), |t| self.type_display(t)),
                        nullable: true,
                        default: None,
                        comment: c.comment.clone(),
                        identity: false,
                        generated: None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    fn primary_key(&self, schema: Option<&str>, table: &str) -> Option<PrimaryKeyInfo> {
        let t = relation_named(self, schema, table)?.table()?;
        let Some(pk) = t.primary_key() else {
            return Some(PrimaryKeyInfo {
                name: None,
                columns: Vec::new(),
            });
        };
        Some(PrimaryKeyInfo {
            name: Some(pk.name.clone()),
            columns: index_columns(self, pk.kind.index())
                .into_iter()
                .flatten()
                .collect(),
        })
    }

    fn foreign_keys(&self, schema: Option<&str>, table: &str) -> Option<Vec<ForeignKeyInfo>> {
        let t = relation_named(self, schema, table)?.table()?;
        let default_schema = self.current_schema();
        Some(
            t.constraints
                .iter()
                .filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey(fk) => {
                        let rt = self.relation(fk.ref_table)?;
                        Some(ForeignKeyInfo {
                            name: c.name.clone(),
                            columns: fk
                                .columns
                                .iter()
                                .map(|a| t.column_name(*a).to_string())
                                .collect(),
                            referred_schema: (Some(rt.schema) != default_schema)
                                .then(|| self.schema_name(rt.schema).to_string()),
                            referred_table: rt.name.clone(),
                            referred_columns: fk
                                .ref_columns
                                .iter()
                                .map(|a| rt.table().map_or("?", |x| x.column_name(*a)).to_string())
                                .collect(),
                            on_delete: action(fk.on_delete),
                            on_update: action(fk.on_update),
                        })
                    }
                    _ => None,
                })
                .collect(),
        )
    }

    fn indexes(&self, schema: Option<&str>, table: &str) -> Option<Vec<IndexInfo>> {
        let t = relation_named(self, schema, table)?.table()?;
        let mut out: Vec<IndexInfo> = t
            .indexes
            .iter()
            .filter_map(|i| {
                let ir = self.relation(*i)?;
                let idx = ir.index()?;
                if idx.primary {
                    return None;
                }
                Some(IndexInfo {
                    name: ir.name.clone(),
                    columns: index_columns(self, Some(*i)),
                    unique: idx.unique,
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Some(out)
    }

    fn unique_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<UniqueInfo>> {
        let t = relation_named(self, schema, table)?.table()?;
        Some(
            t.constraints
                .iter()
                .filter_map(|c| match c.kind {
                    ConstraintKind::Unique { index } => Some(UniqueInfo {
                        name: c.name.clone(),
                        columns: index_columns(self, Some(index))
                            .into_iter()
                            .flatten()
                            .collect(),
                    }),
                    _ => None,
                })
                .collect(),
        )
    }

    fn check_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<CheckInfo>> {
        let t = relation_named(self, schema, table)?.table()?;
        Some(
            t.constraints
                .iter()
                .filter_map(|c| match &c.kind {
                    ConstraintKind::Check { expr } => Some(CheckInfo {
                        name: c.name.clone(),
                        sqltext: deparse_expr(expr),
                    }),
                    _ => None,
                })
                .collect(),
        )
    }

    fn enums(&self, schema: Option<&str>) -> Vec<EnumInfo> {
        let visible = self.search_schemas();
        let wanted: Vec<Oid> = match schema {
            Some("*") => self.schemas().map(|s| s.oid).collect(),
            Some(s) => self.schema_oid(s).into_iter().collect(),
            None => visible.clone(),
        };
        let mut out: Vec<EnumInfo> = self
            .user_types()
            .filter(|t| wanted.contains(&t.schema))
            .filter_map(|t| match &t.kind {
                TypeKind::Enum { labels } => Some(EnumInfo {
                    name: t.name.clone(),
                    schema: self.schema_name(t.schema).to_string(),
                    visible: visible.contains(&t.schema),
                    labels: labels.clone(),
                }),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        out
    }

    fn has_type(&self, schema: Option<&str>, name: &str) -> bool {
        let schemas = match schema {
            Some("*") => self.schemas().map(|s| s.oid).collect(),
            Some(s) => self.schema_oid(s).into_iter().collect(),
            None => self.search_schemas(),
        };
        schemas.into_iter().any(|s| self.type_name_taken(s, name))
    }

    fn catalog_query(&self, sql: &str) -> Option<QueryRows> {
        let r = probe::query(self, sql)?;
        Some(QueryRows {
            columns: r.columns,
            rows: r
                .rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|c| match c {
                            Cell::Null => QueryValue::Null,
                            Cell::Bool(b) => QueryValue::Bool(b),
                            Cell::Int(i) => QueryValue::Int(i),
                            Cell::Text(t) => QueryValue::Text(t),
                            Cell::Unknown => QueryValue::Unknown,
                        })
                        .collect()
                })
                .collect(),
            ordered: r.ordered,
        })
    }

    fn has_table(&self, schema: Option<&str>, table: &str) -> bool {
        // SQLAlchemy's has_table counts views and materialized views too.
        relation_named(self, schema, table).is_some_and(Relation::has_columns)
    }
}
