//! `create_index` / `drop_index` (`CreateIndexOp.to_index`,
//! `SchemaObjects.index`).

use super::LowerError;
use super::args::Sig;
use super::ddl::Element;
use super::model::{self, Index, IndexExpr};
use super::ops_table::Builder;
use crate::python::value::Value;

/// Keyword arguments `Index(...)` accepts besides `postgresql_*`.
fn check_index_kwargs(b: &Builder, kw: &[(&str, &Value)]) -> Result<(), LowerError> {
    for (k, _) in kw {
        if k.starts_with("postgresql_") {
            continue;
        }
        match k.split_once('_') {
            Some((d, _)) if ["mysql", "mariadb", "sqlite", "mssql", "oracle"].contains(&d) => {}
            _ => {
                if ["quote", "info"].contains(k) {
                    continue;
                }
                return Err(b.fail(
                    "TypeError",
                    format!(
                        "Additional arguments should be named <dialectname>_<argument>, got '{k}'"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn owned_kwargs(kw: &[(&str, &Value)]) -> Vec<(String, Value)> {
    kw.iter()
        .map(|(k, v)| (k.to_string(), (*v).clone()))
        .collect()
}

pub(crate) fn create_index(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_index",
            positional: &["index_name", "columns"],
            required: 2,
            varargs: false,
            keyword_only: &["unique", "if_not_exists"],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "create_index",
            positional: &["index_name", "table_name", "columns"],
            required: 3,
            varargs: false,
            keyword_only: &["schema", "unique", "if_not_exists"],
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = b.target(&bound, "table_name")?;
    let name = model::opt_name(bound.get("index_name"), loc)?;
    let mut expressions: Vec<IndexExpr> = Vec::new();
    match bound.get("columns") {
        Some(Value::List(items) | Value::Tuple(items)) => {
            for v in items {
                expressions.push(b.reader.index_expr(v, loc)?);
            }
        }
        // A string is iterated character by character.
        Some(Value::Str(s)) => {
            for ch in s.as_str().chars() {
                expressions.push(b.reader.index_expr(&Value::str(ch.to_string()), loc)?);
            }
        }
        Some(other) => {
            return Err(b.unsupported(format!(
                "index columns that are not a list ({})",
                other
                    .as_call()
                    .map(|_| "an expression")
                    .unwrap_or("a value")
            )));
        }
        None => return Err(b.fail("TypeError", "create_index() missing 'columns'")),
    }
    check_index_kwargs(b, &bound.extra_kw)?;
    let opts = b
        .reader
        .index_options(&owned_kwargs(&bound.extra_kw), loc)?;
    let mut ix = Index {
        name,
        table,
        schema,
        expressions,
        unique: model::truthy(bound.get("unique"))?,
        opts,
    };
    model::name_index(&mut ix, b.ctx.naming_convention, loc)?;
    Ok(vec![Element::CreateIndex {
        index: ix,
        if_not_exists: model::truthy(bound.get("if_not_exists"))?,
    }])
}

pub(crate) fn drop_index(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "drop_index",
            positional: &["index_name"],
            required: 1,
            varargs: false,
            keyword_only: &["if_exists"],
            varkw: true,
        })?
    } else {
        b.bind(&Sig {
            name: "drop_index",
            positional: &["index_name", "table_name"],
            required: 1,
            varargs: false,
            keyword_only: &["schema", "if_exists"],
            varkw: true,
        })?
    };
    let loc = b.loc();
    let (table, schema) = match b.batch {
        Some(bt) => (Some(bt.table_name.clone()), bt.schema.clone()),
        None => (
            b.opt_str(&bound, "table_name")?,
            b.opt_str(&bound, "schema")?,
        ),
    };
    check_index_kwargs(b, &bound.extra_kw)?;
    let opts = b
        .reader
        .index_options(&owned_kwargs(&bound.extra_kw), loc)?;
    // `DropIndexOp.to_index`: an index on a placeholder column "x" of the
    // table (or of "no_table"), so a `None` name gets the convention's.
    let mut ix = Index {
        name: model::opt_name(bound.get("index_name"), loc)?,
        table: table.unwrap_or_else(|| "no_table".into()),
        schema,
        expressions: vec![b.reader.index_expr(&Value::str("x"), loc)?],
        unique: false,
        opts,
    };
    model::name_index(&mut ix, b.ctx.naming_convention, loc)?;
    Ok(vec![Element::DropIndex {
        index: ix,
        if_exists: model::truthy(bound.get("if_exists"))?,
    }])
}
