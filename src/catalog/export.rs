//! The replayed schema as a document (JSON or YAML): what a reviewer reads
//! and what other tools consume. Every list is sorted, so the output is
//! stable and diffs well.

use serde::Serialize;

use super::Catalog;
use super::expr::deparse_expr;
use super::model::*;

#[derive(Debug, Serialize)]
pub struct SchemaDoc {
    pub schemas: Vec<SchemaEntry>,
    pub extensions: Vec<ExtensionEntry>,
    pub types: Vec<TypeEntry>,
    pub sequences: Vec<SequenceEntry>,
    pub tables: Vec<TableEntry>,
    pub views: Vec<ViewEntry>,
    pub functions: Vec<FunctionEntry>,
}

#[derive(Debug, Serialize)]
pub struct SchemaEntry {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExtensionEntry {
    pub name: String,
    pub schema: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// False when migsim has no member list for it and assumes its objects.
    pub known: bool,
}

#[derive(Debug, Serialize)]
pub struct TypeEntry {
    pub schema: String,
    pub name: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<ColumnEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SequenceEntry {
    pub schema: String,
    pub name: String,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ColumnEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub nullable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckEntry {
    pub name: String,
    pub expression: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

#[derive(Debug, Serialize)]
pub struct KeyEntry {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
}

#[derive(Debug, Serialize)]
pub struct ForeignKeyEntry {
    pub name: String,
    pub columns: Vec<String>,
    pub references: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: &'static str,
    pub on_update: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

#[derive(Debug, Serialize)]
pub struct IndexEntry {
    pub name: String,
    pub unique: bool,
    pub method: String,
    pub definition: String,
}

#[derive(Debug, Serialize)]
pub struct TableEntry {
    pub schema: String,
    pub name: String,
    pub columns: Vec<ColumnEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<KeyEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unique: Vec<KeyEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKeyEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ViewEntry {
    pub schema: String,
    pub name: String,
    pub materialized: bool,
    pub columns: Vec<String>,
    pub definition: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FunctionEntry {
    pub schema: String,
    pub name: String,
    pub kind: &'static str,
    pub arguments: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    pub language: String,
    pub volatility: &'static str,
}

fn action(a: char) -> &'static str {
    match a {
        'r' => "restrict",
        'c' => "cascade",
        'n' => "set null",
        'd' => "set default",
        _ => "no action",
    }
}

impl Catalog {
    pub fn export(&self) -> SchemaDoc {
        let schema = |oid: Oid| self.schema_name(oid).to_string();
        let mut schemas: Vec<SchemaEntry> = self
            .schemas
            .values()
            .map(|s| SchemaEntry {
                name: s.name.clone(),
                comment: s.comment.clone(),
            })
            .collect();
        schemas.sort_by(|a, b| a.name.cmp(&b.name));
        let mut extensions: Vec<ExtensionEntry> = self
            .extensions
            .values()
            .map(|e| ExtensionEntry {
                name: e.name.clone(),
                schema: schema(e.schema),
                version: e.version.clone(),
                known: e.known,
            })
            .collect();
        extensions.sort_by(|a, b| a.name.cmp(&b.name));
        let mut types: Vec<TypeEntry> = self
            .types
            .values()
            .filter(|t| t.extension.is_none())
            .map(|t| {
                let mut e = TypeEntry {
                    schema: schema(t.schema),
                    name: t.name.clone(),
                    kind: "",
                    labels: Vec::new(),
                    base: None,
                    attributes: Vec::new(),
                    checks: Vec::new(),
                    comment: t.comment.clone(),
                };
                match &t.kind {
                    TypeKind::Enum { labels } => {
                        e.kind = "enum";
                        e.labels = labels.clone();
                    }
                    TypeKind::Domain {
                        base, constraints, ..
                    } => {
                        e.kind = "domain";
                        e.base = Some(self.type_sql(base));
                        e.checks = constraints.iter().filter_map(check_entry).collect();
                    }
                    TypeKind::Composite { attributes, .. } => {
                        e.kind = "composite";
                        e.attributes = attributes
                            .iter()
                            .map(|(n, ty, coll)| ColumnEntry {
                                name: n.clone(),
                                ty: self.type_sql(ty),
                                nullable: true,
                                default: None,
                                identity: None,
                                generated: None,
                                collation: coll.clone(),
                                comment: None,
                            })
                            .collect();
                    }
                    TypeKind::Range { .. } => e.kind = "range",
                    TypeKind::Base { .. } => e.kind = "base",
                }
                e
            })
            .collect();
        types.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        let mut sequences = Vec::new();
        let mut tables = Vec::new();
        let mut views = Vec::new();
        for r in self.relations.values().filter(|r| r.extension.is_none()) {
            match &r.body {
                RelBody::Sequence(s) => sequences.push(SequenceEntry {
                    schema: schema(r.schema),
                    name: r.name.clone(),
                    data_type: self.type_sql(&super::ColType::builtin(s.data_type)),
                    start: s.start,
                    increment: s.increment,
                    min: s.min,
                    max: s.max,
                    cache: s.cache,
                    cycle: s.cycle,
                    owned_by: s.owned_by.map(|(t, a)| {
                        format!(
                            "{}.{}",
                            self.rel_name(t),
                            self.table(t).map_or("?", |tb| tb.column_name(a))
                        )
                    }),
                }),
                RelBody::Table(t) => tables.push(self.table_entry(r, t)),
                RelBody::View(v) => views.push(ViewEntry {
                    schema: schema(r.schema),
                    name: r.name.clone(),
                    materialized: v.materialized,
                    columns: v.columns.iter().map(|c| c.name.clone()).collect(),
                    definition: v
                        .query
                        .node
                        .as_ref()
                        .and_then(super::expr::deparse_stmt)
                        .unwrap_or_default(),
                    triggers: {
                        let mut names: Vec<String> =
                            v.triggers.iter().map(|x| x.name.clone()).collect();
                        names.sort();
                        names
                    },
                }),
                _ => {}
            }
        }
        let key = |s: &String, n: &String| (s.clone(), n.clone());
        sequences.sort_by_key(|s| key(&s.schema, &s.name));
        tables.sort_by_key(|s| key(&s.schema, &s.name));
        views.sort_by_key(|s| key(&s.schema, &s.name));
        let mut functions: Vec<FunctionEntry> = self
            .functions
            .values()
            .map(|f| FunctionEntry {
                schema: schema(f.schema),
                name: f.name.clone(),
                kind: if f.is_procedure {
                    "procedure"
                } else {
                    "function"
                },
                arguments: f.input_types().iter().map(|t| self.type_sql(t)).collect(),
                returns: if f.returns_trigger {
                    Some("trigger".into())
                } else {
                    f.returns.as_ref().map(|t| self.type_sql(t))
                },
                language: f.language.clone(),
                volatility: match f.volatility {
                    'i' => "immutable",
                    's' => "stable",
                    _ => "volatile",
                },
            })
            .collect();
        functions.sort_by(|a, b| {
            (&a.schema, &a.name, &a.arguments).cmp(&(&b.schema, &b.name, &b.arguments))
        });
        SchemaDoc {
            schemas,
            extensions,
            types,
            sequences,
            tables,
            views,
            functions,
        }
    }

    fn table_entry(&self, r: &Relation, t: &Table) -> TableEntry {
        let cols_of_index = |idx: Oid| -> Vec<String> {
            self.relation(idx)
                .and_then(Relation::index)
                .map(|i| {
                    i.keys
                        .iter()
                        .map(|k| match &k.target {
                            IndexTarget::Column(a) => t.column_name(*a).to_string(),
                            IndexTarget::Expr(e) => deparse_expr(e),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut entry = TableEntry {
            schema: self.schema_name(r.schema).to_string(),
            name: r.name.clone(),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnEntry {
                    name: c.name.clone(),
                    ty: self.type_sql(&c.ty),
                    nullable: !c.not_null,
                    default: c.default.as_ref().map(deparse_expr),
                    identity: c
                        .identity
                        .map(|i| if i.always { "always" } else { "by default" }),
                    generated: c.generated.as_ref().map(deparse_expr),
                    collation: c.collation.clone(),
                    comment: c.comment.clone(),
                })
                .collect(),
            primary_key: None,
            unique: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            triggers: t.triggers.iter().map(|x| x.name.clone()).collect(),
            policies: t.policies.iter().map(|x| x.name.clone()).collect(),
            partition_of: t
                .partition_of
                .as_ref()
                .map(|(p, _)| self.rel_name(*p).to_string()),
            comment: r.comment.clone(),
        };
        for c in &t.constraints {
            match &c.kind {
                ConstraintKind::PrimaryKey { index } => {
                    entry.primary_key = Some(KeyEntry {
                        name: c.name.clone(),
                        columns: cols_of_index(*index),
                        deferrable: c.deferrable,
                    })
                }
                ConstraintKind::Unique { index } | ConstraintKind::Exclusion { index } => {
                    entry.unique.push(KeyEntry {
                        name: c.name.clone(),
                        columns: cols_of_index(*index),
                        deferrable: c.deferrable,
                    })
                }
                ConstraintKind::Check { .. } => {
                    if let Some(ch) = check_entry(c) {
                        entry.checks.push(ch);
                    }
                }
                ConstraintKind::ForeignKey(fk) => entry.foreign_keys.push(ForeignKeyEntry {
                    name: c.name.clone(),
                    columns: fk
                        .columns
                        .iter()
                        .map(|a| t.column_name(*a).to_string())
                        .collect(),
                    references: self.relation(fk.ref_table).map_or_else(String::new, |x| {
                        format!("{}.{}", self.schema_name(x.schema), x.name)
                    }),
                    referenced_columns: fk
                        .ref_columns
                        .iter()
                        .map(|a| {
                            self.table(fk.ref_table)
                                .map_or("?", |rt| rt.column_name(*a))
                                .to_string()
                        })
                        .collect(),
                    on_delete: action(fk.on_delete),
                    on_update: action(fk.on_update),
                    deferrable: c.deferrable,
                    not_valid: !c.validated,
                }),
            }
        }
        for idx in &t.indexes {
            let Some(ir) = self.relation(*idx) else {
                continue;
            };
            let Some(i) = ir.index() else { continue };
            entry.indexes.push(IndexEntry {
                name: ir.name.clone(),
                unique: i.unique,
                method: i.method.clone(),
                definition: self.index_definition(ir, i),
            });
        }
        entry.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        entry
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.export())
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    pub fn to_yaml(&self) -> String {
        serde_saphyr::to_string(&self.export()).unwrap_or_else(|e| format!("error: {e}\n"))
    }
}

fn check_entry(c: &Constraint) -> Option<CheckEntry> {
    match &c.kind {
        ConstraintKind::Check { expr } => Some(CheckEntry {
            name: c.name.clone(),
            expression: deparse_expr(expr),
            not_valid: !c.validated,
        }),
        _ => None,
    }
}
