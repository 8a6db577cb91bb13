//! Table operations (`create_table`, `drop_table`, `rename_table`, table
//! comments) and the argument reader every operation shares.

use super::args::{self, Bound, Sig};
use super::batch::BatchTable;
use super::ddl::Element;
use super::model::{self, Item, Reader, TableOptions, TableSpec, opt_string};
use super::{LowerCtx, LowerError};
use crate::python::value::{Call, Value};
use crate::source::Loc;

/// One operation call being lowered: its arguments, the context and, for
/// `batch_op.*`, the enclosing batch.
pub(crate) struct Builder<'a> {
    pub call: &'a Call,
    pub ctx: &'a LowerCtx<'a>,
    pub batch: Option<&'a BatchTable>,
    pub reader: Reader<'a>,
}

/// Keyword arguments whose value never reaches the SQL.
const IGNORED_KWARGS: &[&str] = &["info", "execution_options", "doc"];

impl<'a> Builder<'a> {
    pub fn new(call: &'a Call, ctx: &'a LowerCtx<'a>, batch: Option<&'a BatchTable>) -> Self {
        Builder {
            call,
            ctx,
            batch,
            reader: Reader::new(ctx),
        }
    }

    pub fn loc(&self) -> &Loc {
        &self.call.loc
    }

    /// Every argument that reaches the SQL must be known.
    pub fn check_known(&self) -> Result<(), LowerError> {
        for a in &self.call.args {
            if let Some(e) = model::unknown(a) {
                return Err(e);
            }
        }
        for (k, v) in &self.call.kwargs {
            if IGNORED_KWARGS.contains(&k.as_str()) {
                continue;
            }
            if let Some(e) = model::unknown(v) {
                return Err(e);
            }
        }
        Ok(())
    }

    pub fn bind(&self, sig: &Sig) -> Result<Bound<'a>, LowerError> {
        args::bind(sig, self.call).map_err(|m| self.fail("TypeError", m))
    }

    pub fn fail(&self, exception: &str, message: impl Into<String>) -> LowerError {
        LowerError::would_fail(exception, message, &self.call.loc)
    }

    pub fn unsupported(&self, reason: impl Into<String>) -> LowerError {
        LowerError::unsupported(reason, &self.call.loc)
    }

    /// A required string argument (a table or column name).
    pub fn req_str(&self, b: &Bound, name: &str) -> Result<String, LowerError> {
        match b.get(name) {
            Some(Value::Str(s)) => Ok(s.as_str().to_string()),
            Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
            Some(Value::None) | None => Err(self.unsupported(format!("`{name}` is None"))),
            Some(_) => Err(self.unsupported(format!("`{name}` that is not a string"))),
        }
    }

    pub fn opt_str(&self, b: &Bound, name: &str) -> Result<Option<String>, LowerError> {
        opt_string(b.get(name), name, self.loc())
    }

    /// The table and schema an operation applies to: its own arguments, or
    /// the batch's.
    pub fn target(
        &self,
        b: &Bound,
        table_arg: &str,
    ) -> Result<(String, Option<String>), LowerError> {
        match self.batch {
            Some(bt) => Ok((bt.table_name.clone(), bt.schema.clone())),
            None => Ok((self.req_str(b, table_arg)?, self.opt_str(b, "schema")?)),
        }
    }
}

/// Table keyword arguments: `postgresql_*` options are read, other
/// dialects' are ignored, anything else is refused as SQLAlchemy does.
pub(crate) fn table_options(kw: &[(&str, &Value)], loc: &Loc) -> Result<TableOptions, LowerError> {
    let mut o = TableOptions::default();
    for (k, v) in kw {
        if let Some(opt) = k.strip_prefix("postgresql_") {
            match opt {
                "inherits" => {
                    o.inherits = match v {
                        Value::Str(s) => vec![s.as_str().to_string()],
                        Value::None => Vec::new(),
                        other => model::name_list(other, "postgresql_inherits", loc)?,
                    }
                }
                "partition_by" => o.partition_by = opt_string(Some(v), k, loc)?,
                "using" => o.using = opt_string(Some(v), k, loc)?,
                "with_oids" => o.with_oids = model::opt_bool(Some(v))?,
                "on_commit" => o.on_commit = opt_string(Some(v), k, loc)?,
                "tablespace" => o.tablespace = opt_string(Some(v), k, loc)?,
                "ignore_search_path" => {}
                other => {
                    return Err(model::arg_error(
                        format!(
                            "Argument 'postgresql_{other}' is not accepted by dialect 'postgresql' on behalf of <class 'sqlalchemy.sql.schema.Table'>"
                        ),
                        loc,
                    ));
                }
            }
        } else if let Some((dialect, _)) = k.split_once('_') {
            if !["mysql", "mariadb", "sqlite", "mssql", "oracle"].contains(&dialect) {
                if [
                    "keep_existing",
                    "extend_existing",
                    "autoload_with",
                    "quote",
                    "quote_schema",
                    "implicit_returning",
                    "listeners",
                    "must_exist",
                    "autoload_replace",
                    "resolve_fks",
                    "include_columns",
                ]
                .contains(k)
                {
                    continue;
                }
                return Err(LowerError::would_fail(
                    "TypeError",
                    format!(
                        "Additional arguments should be named <dialectname>_<argument>, got '{k}'"
                    ),
                    loc,
                ));
            }
        } else {
            return Err(LowerError::would_fail(
                "TypeError",
                format!("Additional arguments should be named <dialectname>_<argument>, got '{k}'"),
                loc,
            ));
        }
    }
    Ok(o)
}

fn prefixes(v: Option<&Value>, loc: &Loc) -> Result<Vec<String>, LowerError> {
    match v {
        None | Some(Value::None) => Ok(Vec::new()),
        Some(v) => model::name_list(v, "prefixes", loc),
    }
}

/// Element sequence of `DefaultImpl.create_table`.
pub(crate) fn create_table(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = b.bind(&Sig {
        name: "create_table",
        positional: &["table_name"],
        required: 1,
        varargs: true,
        keyword_only: &["if_not_exists", "schema", "comment", "prefixes", "info"],
        varkw: true,
    })?;
    let loc = b.loc();
    let name = b.req_str(&bound, "table_name")?;
    let mut items = Vec::new();
    for v in &bound.varargs {
        items.push(b.reader.item(v, loc)?);
    }
    let spec = TableSpec {
        name,
        schema: b.opt_str(&bound, "schema")?,
        items,
        comment: b.opt_str(&bound, "comment")?,
        prefixes: prefixes(bound.get("prefixes"), loc)?,
        opts: table_options(&bound.extra_kw, loc)?,
        constraints_included: false,
    };
    let table = model::build_table(spec, b.ctx, loc)?;
    let mut out = Vec::new();
    // `before_create`: each named ENUM not yet created in this run.
    for col in &table.columns {
        if let Some(e) = col.ty.named_enum()
            && e.create_type
            && !e.has_metadata
            && b.ctx.memo.first_enum_use(e.schema.clone(), e.name.clone())
        {
            out.push(Element::CreateEnum(e.clone()));
        }
    }
    out.push(Element::CreateTable {
        table: Box::new(table.clone()),
        if_not_exists: model::truthy(bound.get("if_not_exists"))?,
    });
    for ix in &table.indexes {
        // `create_table` runs `CreateIndex` directly: unlike
        // `op.create_index`, included columns must be table columns.
        if let Some(missing) = ix.opts.include.iter().find(|c| table.column(c).is_none()) {
            out.push(Element::Raise(
                b.fail("KeyError", super::expr::py_str_repr(missing)),
            ));
            break;
        }
        out.push(Element::CreateIndex {
            index: ix.clone(),
            if_not_exists: false,
        });
    }
    if table.comment.is_some() {
        out.push(Element::TableComment {
            table: table.name.clone(),
            schema: table.schema.clone(),
            comment: table.comment.clone(),
        });
    }
    for col in &table.columns {
        if col.comment.is_some() {
            out.push(Element::ColumnComment {
                table: table.name.clone(),
                schema: table.schema.clone(),
                column: col.name.clone(),
                comment: col.comment.clone(),
            });
        }
    }
    Ok(out)
}

pub(crate) fn drop_table(b: &Builder) -> Result<Vec<Element>, LowerError> {
    if b.batch.is_some() {
        return Err(b.fail("NotImplementedError", "Can't drop table in batch mode"));
    }
    let bound = b.bind(&Sig {
        name: "drop_table",
        positional: &["table_name"],
        required: 1,
        varargs: false,
        keyword_only: &["schema", "if_exists"],
        varkw: true,
    })?;
    let loc = b.loc();
    let kw: Vec<(&str, &Value)> = bound
        .extra_kw
        .iter()
        .filter(|(k, _)| !["comment", "info", "prefixes"].contains(k))
        .copied()
        .collect();
    table_options(&kw, loc)?;
    Ok(vec![Element::DropTable {
        name: b.req_str(&bound, "table_name")?,
        schema: b.opt_str(&bound, "schema")?,
        if_exists: model::truthy(bound.get("if_exists"))?,
    }])
}

pub(crate) fn rename_table(b: &Builder) -> Result<Vec<Element>, LowerError> {
    if b.batch.is_some() {
        return Err(b.unsupported("rename_table inside batch_alter_table"));
    }
    let bound = b.bind(&Sig {
        name: "rename_table",
        positional: &["old_table_name", "new_table_name"],
        required: 2,
        varargs: false,
        keyword_only: &["schema"],
        varkw: false,
    })?;
    Ok(vec![Element::RenameTable {
        old: b.req_str(&bound, "old_table_name")?,
        new: b.req_str(&bound, "new_table_name")?,
        schema: b.opt_str(&bound, "schema")?,
    }])
}

pub(crate) fn create_table_comment(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "create_table_comment",
            positional: &["comment"],
            required: 1,
            varargs: false,
            keyword_only: &["existing_comment"],
            varkw: false,
        })?
    } else {
        b.bind(&Sig {
            name: "create_table_comment",
            positional: &["table_name", "comment"],
            required: 2,
            varargs: false,
            keyword_only: &["existing_comment", "schema"],
            varkw: false,
        })?
    };
    let (table, schema) = b.target(&bound, "table_name")?;
    Ok(vec![Element::TableComment {
        table,
        schema,
        comment: b.opt_str(&bound, "comment")?,
    }])
}

pub(crate) fn drop_table_comment(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = if b.batch.is_some() {
        b.bind(&Sig {
            name: "drop_table_comment",
            positional: &[],
            required: 0,
            varargs: false,
            keyword_only: &["existing_comment"],
            varkw: false,
        })?
    } else {
        b.bind(&Sig {
            name: "drop_table_comment",
            positional: &["table_name"],
            required: 1,
            varargs: false,
            keyword_only: &["existing_comment", "schema"],
            varkw: false,
        })?
    };
    let (table, schema) = b.target(&bound, "table_name")?;
    Ok(vec![Element::TableComment {
        table,
        schema,
        comment: None,
    }])
}

/// Items of a table Alembic builds for a single operation
/// (`SchemaObjects.table(name, column)`).
pub(crate) fn one_column_table(
    b: &Builder,
    table: String,
    schema: Option<String>,
    column: model::Column,
) -> Result<model::Table, LowerError> {
    model::build_table(
        TableSpec {
            name: table,
            schema,
            items: vec![Item::Column(Box::new(column))],
            comment: None,
            prefixes: Vec::new(),
            opts: TableOptions::default(),
            constraints_included: false,
        },
        b.ctx,
        b.loc(),
    )
}
