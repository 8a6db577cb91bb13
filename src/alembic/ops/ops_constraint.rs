//! Constraint operations (`SchemaObjects.*_constraint`,
//! `generic_constraint`).

use super::LowerError;
use super::args::Sig;
use super::ddl::Element;
use super::expr::{Expr, StrAs};
use super::model::{
    self, CName, Column, Constraint, ConstraintKind, FkOptions, Item, TableOptions, TableSpec,
    Target,
};
use super::naming::Kind;
use super::ops_table::Builder;
use super::quote::ObjName;
use super::types::SqlType;
use crate::python::value::Value;

fn blank_constraint(name: Option<ObjName>, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: name.map(CName::Given).unwrap_or(CName::None),
        kind,
        deferrable: None,
        initially: None,
        include: Vec::new(),
        not_valid: false,
    }
}

/// `Table(name, MetaData(naming_convention=...), *[Column(n, NULLTYPE)])`
/// with `constraint` appended (and named) the way the operation does.
fn table_with(
    b: &Builder,
    table: String,
    schema: Option<String>,
    columns: &[String],
    constraint: Constraint,
) -> Result<(model::Table, Constraint), LowerError> {
    let mut items: Vec<Item> = Vec::new();
    let mut seen: Vec<&String> = Vec::new();
    for c in columns {
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        items.push(Item::Column(Box::new(Column::bare(c, SqlType::Null))));
    }
    items.push(Item::Constraint(constraint));
    let t = model::build_table(
        TableSpec {
            name: table,
            schema,
            items,
            comment: None,
            prefixes: Vec::new(),
            opts: TableOptions::default(),
            constraints_included: false,
        },
        b.ctx,
        b.loc(),
    )?;
    let k = match t.constraints.last() {
        Some(k) => k.clone(),
        None => t.primary_key.clone(),
    };
    Ok((t, k))
}

/// `deferrable=` / `initially=` and dialect options on a constraint.
fn common_kwargs(b: &Builder, k: &mut Constraint, kw: &[(&str, &Value)]) -> Result<(), LowerError> {
    let loc = b.loc();
    for (key, v) in kw {
        match *key {
            "deferrable" => k.deferrable = model::opt_bool(Some(v))?,
            "initially" => k.initially = model::opt_string(Some(v), key, loc)?,
            "postgresql_include" => {
                if !v.is_none() {
                    k.include = model::name_list(v, key, loc)?
                }
            }
            "postgresql_not_valid" => k.not_valid = model::truthy(Some(v))?,
            "postgresql_nulls_not_distinct" => {
                if let ConstraintKind::Unique {
                    nulls_not_distinct, ..
                } = &mut k.kind
                {
                    *nulls_not_distinct = model::opt_bool(Some(v))?;
                }
            }
            "info" | "comment" => {}
            other if other.starts_with("postgresql_") => {
                return Err(model::arg_error(
                    format!("Argument '{other}' is not accepted by dialect 'postgresql'"),
                    loc,
                ));
            }
            other => {
                if let Some((d, _)) = other.split_once('_')
                    && ["mysql", "mariadb", "sqlite", "mssql", "oracle"].contains(&d)
                {
                    continue;
                }
                return Err(b.fail(
                    "TypeError",
                    format!("Additional arguments should be named <dialectname>_<argument>, got '{other}'"),
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn create_primary_key(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_primary_key",
            positional: &["constraint_name", "columns"],
            required: 2,
            varargs: false,
            keyword_only: &[],
            varkw: false,
        })?
    } else {
        b.bind(&Sig {
            name: "create_primary_key",
            positional: &["constraint_name", "table_name", "columns"],
            required: 3,
            varargs: false,
            keyword_only: &["schema"],
            varkw: false,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let cols = model::name_list(bound.get("columns").unwrap_or(&Value::None), "columns", loc)?;
    let name = model::opt_name(bound.get("constraint_name"), loc)?;
    let k = blank_constraint(
        name,
        ConstraintKind::PrimaryKey {
            columns: cols.clone(),
            implicit: false,
        },
    );
    let (t, k) = table_with(b, table, schema, &cols, k)?;
    Ok(vec![Element::AddConstraint {
        table: Box::new(t),
        constraint: k,
    }])
}

pub(crate) fn create_unique_constraint(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_unique_constraint",
            positional: &["constraint_name", "columns"],
            required: 2,
            varargs: false,
            keyword_only: &[],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "create_unique_constraint",
            positional: &["constraint_name", "table_name", "columns"],
            required: 3,
            varargs: false,
            keyword_only: &["schema"],
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let cols = model::name_list(bound.get("columns").unwrap_or(&Value::None), "columns", loc)?;
    let name = model::opt_name(bound.get("constraint_name"), loc)?;
    let mut k = blank_constraint(
        name,
        ConstraintKind::Unique {
            columns: cols.clone(),
            nulls_not_distinct: None,
        },
    );
    let kw: Vec<(&str, &Value)> = bound
        .extra_kw
        .iter()
        .filter(|(k, _)| *k != "schema")
        .copied()
        .collect();
    common_kwargs(b, &mut k, &kw)?;
    let (t, k) = table_with(b, table, schema, &cols, k)?;
    Ok(vec![Element::AddConstraint {
        table: Box::new(t),
        constraint: k,
    }])
}

pub(crate) fn create_foreign_key(b: &Builder) -> Result<Vec<Element>, LowerError> {
    const KW: &[&str] = &[
        "onupdate",
        "ondelete",
        "deferrable",
        "initially",
        "match",
        "referent_schema",
    ];
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_foreign_key",
            positional: &[
                "constraint_name",
                "referent_table",
                "local_cols",
                "remote_cols",
            ],
            required: 4,
            varargs: false,
            keyword_only: KW,
            varkw: true,
        })?
    } else {
        let mut kw = KW.to_vec();
        kw.push("source_schema");
        b.bind(&Sig {
            name: "create_foreign_key",
            positional: &[
                "constraint_name",
                "source_table",
                "referent_table",
                "local_cols",
                "remote_cols",
            ],
            required: 5,
            varargs: false,
            keyword_only: &kw,
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (source, source_schema) = match b.batch {
        Some(bt) => (bt.table_name.clone(), bt.schema.clone()),
        None => (
            b.req_str(&bound, "source_table")?,
            b.opt_str(&bound, "source_schema")?,
        ),
    };
    let referent = b.req_str(&bound, "referent_table")?;
    let referent_schema = b.opt_str(&bound, "referent_schema")?;
    let local = model::name_list(
        bound.get("local_cols").unwrap_or(&Value::None),
        "local_cols",
        loc,
    )?;
    let remote = model::name_list(
        bound.get("remote_cols").unwrap_or(&Value::None),
        "remote_cols",
        loc,
    )?;
    if local.len() != remote.len() {
        return Err(model::arg_error(
            "ForeignKeyConstraint number of constrained columns must match the number of referenced columns.",
            loc,
        ));
    }
    let opts = FkOptions {
        name: model::opt_name(bound.get("constraint_name"), loc)?,
        ondelete: b.opt_str(&bound, "ondelete")?,
        onupdate: b.opt_str(&bound, "onupdate")?,
        deferrable: model::opt_bool(bound.get("deferrable"))?,
        initially: b.opt_str(&bound, "initially")?,
        match_: b.opt_str(&bound, "match")?,
        use_alter: false,
        not_valid: false,
    };
    let mut k = blank_constraint(
        opts.name.clone(),
        ConstraintKind::ForeignKey {
            columns: local.clone(),
            ref_schema: referent_schema.clone(),
            ref_table: referent.clone(),
            ref_columns: remote.clone(),
            opts: opts.clone(),
        },
    );
    k.deferrable = opts.deferrable;
    k.initially = opts.initially.clone();
    for (key, v) in &bound.extra_kw {
        match *key {
            "postgresql_not_valid" => k.not_valid = model::truthy(Some(v))?,
            "use_alter" | "link_to_name" | "info" | "comment" => {}
            other => {
                if other.starts_with("postgresql_") {
                    return Err(model::arg_error(
                        format!("Argument '{other}' is not accepted by dialect 'postgresql'"),
                        loc,
                    ));
                }
                match other.split_once('_') {
                    Some((d, _))
                        if ["mysql", "mariadb", "sqlite", "mssql", "oracle"].contains(&d) => {}
                    _ => {
                        return Err(b.fail(
                            "TypeError",
                            format!("Additional arguments should be named <dialectname>_<argument>, got '{other}'"),
                        ));
                    }
                }
            }
        }
    }
    let mut cols = local.clone();
    if source == referent && source_schema == referent_schema {
        cols.extend(remote.iter().cloned());
    }
    let (t, k) = table_with(b, source, source_schema, &cols, k)?;
    Ok(vec![Element::AddConstraint {
        table: Box::new(t),
        constraint: k,
    }])
}

pub(crate) fn create_check_constraint(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_check_constraint",
            positional: &["constraint_name", "condition"],
            required: 2,
            varargs: false,
            keyword_only: &[],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "create_check_constraint",
            positional: &["constraint_name", "table_name", "condition"],
            required: 3,
            varargs: false,
            keyword_only: &["schema"],
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let cond = bound
        .get("condition")
        .ok_or_else(|| b.fail("TypeError", "missing condition"))?;
    let sqltext = b.reader.expr(cond, StrAs::Text, loc)?;
    let columns = expr_columns(&sqltext);
    let mut k = blank_constraint(
        model::opt_name(bound.get("constraint_name"), loc)?,
        ConstraintKind::Check {
            sqltext,
            type_bound: false,
        },
    );
    let kw: Vec<(&str, &Value)> = bound
        .extra_kw
        .iter()
        .filter(|(k, _)| *k != "schema")
        .copied()
        .collect();
    common_kwargs(b, &mut k, &kw)?;
    // The table holds a placeholder column "x"; the check's own columns
    // (column clauses in its expression) feed the naming convention.
    let t = model::build_table(
        TableSpec {
            name: table,
            schema,
            items: vec![Item::Column(Box::new(Column::bare("x", SqlType::Integer)))],
            comment: None,
            prefixes: Vec::new(),
            opts: TableOptions::default(),
            constraints_included: false,
        },
        b.ctx,
        loc,
    )?;
    let ncols: Vec<super::naming::NameCol> = columns
        .iter()
        .map(|c| super::naming::NameCol {
            name: c.clone(),
            key: c.clone(),
        })
        .collect();
    k.name = model::attach_name(
        b.ctx.naming_convention,
        Kind::Check,
        &k.name,
        &Target {
            table: &t.name,
            schema: t.schema.as_deref(),
            columns: &ncols,
            referred_table: None,
            referred_columns: &[],
        },
        loc,
    )?;
    Ok(vec![Element::AddConstraint {
        table: Box::new(t),
        constraint: k,
    }])
}

/// Column clauses inside an expression, in order.
fn expr_columns(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    e.visit_columns(&mut |c| out.push(c.name.clone()));
    out
}

pub(crate) fn create_exclude_constraint(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_exclude_constraint",
            positional: &["constraint_name"],
            required: 1,
            varargs: true,
            keyword_only: &[],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "create_exclude_constraint",
            positional: &["constraint_name", "table_name"],
            required: 2,
            varargs: true,
            keyword_only: &[],
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = match b.batch {
        Some(bt) => (bt.table_name.clone(), bt.schema.clone()),
        None => (
            b.req_str(&bound, "table_name")?,
            bound
                .extra_kw
                .iter()
                .find(|(k, _)| *k == "schema")
                .map(|(_, v)| model::opt_string(Some(v), "schema", loc))
                .transpose()?
                .flatten(),
        ),
    };
    let mut elements = Vec::new();
    for e in &bound.varargs {
        let Some([expr_v, op_v]) = e.as_seq().and_then(|s| <&[Value; 2]>::try_from(s).ok()) else {
            return Err(b.unsupported("exclude element that is not an (expression, operator) pair"));
        };
        let op = match op_v {
            Value::Str(s) => s.as_str().to_string(),
            _ => return Err(b.unsupported("exclude operator that is not a string")),
        };
        elements.push((b.reader.expr(expr_v, StrAs::Column, loc)?, op));
    }
    let mut using = "gist".to_string();
    let mut where_ = None;
    let mut ops = Vec::new();
    let mut k = blank_constraint(
        model::opt_name(bound.get("constraint_name"), loc)?,
        ConstraintKind::Generic,
    );
    for (key, v) in &bound.extra_kw {
        match *key {
            "schema" => {}
            "using" => {
                using = model::opt_string(Some(v), key, loc)?.unwrap_or_else(|| "gist".into())
            }
            "where" => {
                if !v.is_none() {
                    where_ = Some(b.reader.expr(v, StrAs::Text, loc)?)
                }
            }
            "ops" => {
                if let Value::Dict(items) = v {
                    for (a, c) in items {
                        if let (Some(a), Some(c)) = (a.as_str(), c.as_str()) {
                            ops.push((a.to_string(), c.to_string()));
                        }
                    }
                }
            }
            "deferrable" => k.deferrable = model::opt_bool(Some(v))?,
            "initially" => k.initially = model::opt_string(Some(v), key, loc)?,
            other => return Err(b.unsupported(format!("create_exclude_constraint({other}=...)"))),
        }
    }
    k.kind = ConstraintKind::Exclude {
        elements,
        using,
        where_,
        ops,
    };
    let t = model::build_table(
        TableSpec {
            name: table,
            schema,
            items: Vec::new(),
            comment: None,
            prefixes: Vec::new(),
            opts: TableOptions::default(),
            constraints_included: false,
        },
        b.ctx,
        loc,
    )?;
    Ok(vec![Element::AddConstraint {
        table: Box::new(t),
        constraint: k,
    }])
}

pub(crate) fn drop_constraint(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "drop_constraint",
            positional: &["constraint_name", "type_"],
            required: 1,
            varargs: false,
            keyword_only: &[],
            varkw: false,
        })?
    } else {
        b.bind(&Sig {
            name: "drop_constraint",
            positional: &["constraint_name", "table_name", "type_"],
            required: 2,
            varargs: false,
            keyword_only: &["schema", "if_exists"],
            varkw: false,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let type_ = b.opt_str(&bound, "type_")?;
    let (kind, class) = match type_.as_deref() {
        Some("foreignkey") => (Kind::ForeignKey, "ForeignKeyConstraint"),
        Some("primary") => (Kind::PrimaryKey, "PrimaryKeyConstraint"),
        Some("unique") => (Kind::Unique, "UniqueConstraint"),
        Some("check") => (Kind::Check, "CheckConstraint"),
        None => (Kind::Other, "Constraint"),
        Some(_) => {
            return Err(b.fail(
                "TypeError",
                "'type' can be one of 'check', 'foreignkey', 'primary', 'unique', None",
            ));
        }
    };
    let name = model::opt_name(bound.get("constraint_name"), loc)?;
    // The constraint attaches to `Table(table_name)`: the naming convention
    // applies, with no columns (a foreign key has no elements, so
    // `%(referred_table_name)s` raises IndexError).
    let cname = name.clone().map(CName::Given).unwrap_or(CName::None);
    let named = match kind {
        Kind::ForeignKey => {
            let s = super::naming::Subject {
                kind,
                name: name.as_ref(),
                table: &table,
                schema: schema.as_deref(),
                columns: &[],
                referred_table: None,
                referred_columns: &[],
            };
            match super::naming::convention_name(b.ctx.naming_convention, &s) {
                Ok(Some(n)) => CName::Given(n),
                Ok(None) => cname,
                Err((c, m)) => {
                    let (c, m) = if c == "KeyError" && m == "'referred_table_name'" {
                        (
                            "IndexError".to_string(),
                            "list index out of range".to_string(),
                        )
                    } else {
                        (c, m)
                    };
                    return Err(LowerError::would_fail(&c, m, loc));
                }
            }
        }
        _ => model::attach_name(
            b.ctx.naming_convention,
            kind,
            &cname,
            &Target {
                table: &table,
                schema: schema.as_deref(),
                columns: &[],
                referred_table: None,
                referred_columns: &[],
            },
            loc,
        )?,
    };
    Ok(vec![Element::DropConstraint {
        repr: super::ddl::constraint_repr(class, &table, schema.as_deref()),
        table,
        schema,
        name: named.given().cloned(),
        if_exists: model::truthy(bound.get("if_exists"))?,
    }])
}
