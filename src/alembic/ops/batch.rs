//! `with op.batch_alter_table(...) as batch_op:` on PostgreSQL.
//!
//! Alembic's `BatchOperationsImpl` queues every operation of the block and
//! runs the queue when the block ends (`flush`); only `batch_op.execute`
//! goes straight to the database. On PostgreSQL `recreate="auto"` never
//! recreates, so the queue becomes plain `ALTER`s. `recreate="always"`
//! rebuilds the table by reflection ("move and copy"), which migsim does not
//! simulate.

use super::args::{self, Sig};
use super::ddl::Element;
use super::model;
use super::{LowerCtx, LowerError, Lowered, build_op, compile_all};
use crate::python::value::{Call, Value};
use crate::source::Loc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recreate {
    Auto,
    Always,
    Never,
}

/// The state of one `batch_alter_table` block.
#[derive(Debug)]
pub struct BatchTable {
    pub table_name: String,
    pub schema: Option<String>,
    pub(crate) recreate: Recreate,
    /// Operations queued for the end of the block, with their call sites.
    queued: Vec<(Vec<Element>, Loc)>,
    loc: Loc,
}

impl BatchTable {
    /// Whether the block rebuilds the table instead of altering it.
    pub(crate) fn recreates(&self) -> bool {
        self.recreate == Recreate::Always
    }
}

/// Reads `op.batch_alter_table(...)`.
pub fn begin_batch(call: &Call, ctx: &LowerCtx) -> Result<BatchTable, LowerError> {
    let _ = ctx;
    let loc = &call.loc;
    let b = args::bind(
        &Sig {
            name: "batch_alter_table",
            positional: &[
                "table_name",
                "schema",
                "recreate",
                "partial_reordering",
                "copy_from",
                "table_args",
                "table_kwargs",
                "reflect_args",
                "reflect_kwargs",
                "naming_convention",
            ],
            required: 1,
            varargs: false,
            keyword_only: &[],
            varkw: false,
        },
        call,
    )
    .map_err(|m| LowerError::would_fail("TypeError", m, loc))?;
    let table_name = match b.get("table_name") {
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        _ => {
            return Err(LowerError::unsupported(
                "batch_alter_table of a non-string table name",
                loc,
            ));
        }
    };
    let schema = model::opt_string(b.get("schema"), "schema", loc)?;
    let recreate = match b.get("recreate") {
        None => Recreate::Auto,
        Some(Value::Str(s)) => match s.as_str() {
            "auto" => Recreate::Auto,
            "always" => Recreate::Always,
            "never" => Recreate::Never,
            _ => {
                return Err(LowerError::would_fail(
                    "ValueError",
                    "recreate may be one of 'auto', 'always', or 'never'.",
                    loc,
                ));
            }
        },
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        Some(_) => {
            return Err(LowerError::would_fail(
                "ValueError",
                "recreate may be one of 'auto', 'always', or 'never'.",
                loc,
            ));
        }
    };
    Ok(BatchTable {
        table_name,
        schema,
        recreate,
        queued: Vec::new(),
        loc: loc.clone(),
    })
}

/// Operations `BatchOperations` has.
const BATCH_OPS: &[&str] = &[
    "add_column",
    "alter_column",
    "drop_column",
    "create_index",
    "drop_index",
    "create_primary_key",
    "create_unique_constraint",
    "create_foreign_key",
    "create_check_constraint",
    "create_exclude_constraint",
    "drop_constraint",
    "create_table_comment",
    "drop_table_comment",
    "execute",
];

pub(crate) fn lower_batch_op(
    batch: &mut BatchTable,
    name: &str,
    call: &Call,
    ctx: &LowerCtx,
) -> Result<Lowered, LowerError> {
    if !BATCH_OPS.contains(&name) {
        return Err(LowerError::would_fail(
            "AttributeError",
            format!("'BatchOperations' object has no attribute '{name}'"),
            &call.loc,
        ));
    }
    let elements = build_op(name, call, ctx, Some(batch))?;
    if name == "execute" {
        // `execute` goes through the migration context's impl, not the
        // batch's: it runs before everything queued.
        return compile_all(&elements, ctx, &call.loc);
    }
    batch.queued.push((elements, call.loc.clone()));
    Ok(Lowered::default())
}

/// The end of the `with` block: the queued operations, in order.
pub fn finish_batch(batch: BatchTable, ctx: &LowerCtx) -> Result<Lowered, LowerError> {
    if batch.recreate == Recreate::Always {
        return Err(LowerError::unsupported(
            format!(
                "batch_alter_table(\"{}\", recreate=\"always\") rebuilds the table (create a copy, copy the rows, drop, rename) from the table Alembic reflects from the database (offline, from `copy_from`, or it raises CommandError); migsim does not simulate the rebuild",
                batch.table_name
            ),
            &batch.loc,
        ));
    }
    let mut out = Lowered::default();
    for (elements, loc) in &batch.queued {
        match compile_all(elements, ctx, loc) {
            Ok(mut l) => out.statements.append(&mut l.statements),
            Err(e) => return Err(e.with_emitted(out.statements)),
        }
    }
    Ok(out)
}
