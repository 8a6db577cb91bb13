//! `enum_type.create(bind)` / `enum_type.drop(bind)`: a migration creating
//! or dropping a named PostgreSQL ENUM itself, outside any table.
//!
//! SQLAlchemy's rules (`dialects/postgresql/named_types.py`,
//! `sql/sqltypes.py`): `postgresql.ENUM.create/drop` default to
//! `checkfirst=True` and ignore `create_type`; `sa.Enum.create/drop`
//! default to `checkfirst=False` and do nothing for `native_enum=False`.
//! `checkfirst` asks the database whether a type of that name exists
//! (`dialect.has_type`, any kind of type), except offline: Alembic's
//! `--sql` connection is SQLAlchemy's mock connection, which forces
//! `checkfirst=False`, so the statement is always printed.

use super::ddl::Element;
use super::sym::{self, Lib};
use super::types::{self, SqlType};
use super::{LowerCtx, LowerError, Lowered, compile_all};
use crate::python::value::{Call, Value};

/// Lowers `receiver.method(bind, checkfirst=...)` when `receiver` is an
/// ENUM type and `method` is `create` or `drop`; `None` when it is not.
pub fn lower_type_ddl(
    receiver: &Value,
    method: &str,
    call: &Call,
    ctx: &LowerCtx,
    offline: bool,
) -> Option<Result<Lowered, LowerError>> {
    if !matches!(method, "create" | "drop") {
        return None;
    }
    let type_call = receiver.as_call()?;
    let name = sym::of_call(type_call)?;
    let pg_enum = match (name.lib, name.name) {
        (Lib::Pg, "ENUM") => true,
        (Lib::Sa | Lib::Pg, "Enum") => false,
        _ => return None,
    };
    Some(lower(receiver, method, pg_enum, call, ctx, offline))
}

fn lower(
    receiver: &Value,
    method: &str,
    pg_enum: bool,
    call: &Call,
    ctx: &LowerCtx,
    offline: bool,
) -> Result<Lowered, LowerError> {
    let loc = &call.loc;
    if call.arg(0, "bind").is_none() {
        return Err(LowerError::would_fail(
            "builtins.TypeError",
            format!("{method}() missing 1 required positional argument: 'bind'"),
            loc,
        ));
    }
    let checkfirst = match call.arg(1, "checkfirst") {
        None => pg_enum,
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        Some(v) => super::model::truthy(Some(v))?,
    };
    let SqlType::Enum(e) = types::from_value(receiver, ctx, loc)? else {
        return Err(LowerError::unsupported(
            "an Enum type migsim cannot read",
            loc,
        ));
    };
    if !e.native && !pg_enum {
        // `sa.Enum(native_enum=False)` is a VARCHAR: nothing to create.
        return Ok(Lowered::default());
    }
    if checkfirst && !offline {
        let exists = e
            .name
            .as_deref()
            .is_some_and(|n| ctx.schema.has_type(e.schema.as_deref(), n));
        if exists == (method == "create") {
            return Ok(Lowered::default());
        }
    }
    let el = if method == "create" {
        Element::CreateEnum(e)
    } else {
        Element::DropEnum(e)
    };
    compile_all(&[el], ctx, loc)
}
