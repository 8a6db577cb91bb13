//! Lowering of Alembic operations to the SQL Alembic sends to PostgreSQL.
//!
//! Each `op.*` / `batch_op.*` call arrives with its arguments evaluated by
//! the static reader ([`Call`]); library calls inside the arguments
//! (`sa.Column(...)`, `sa.Integer()`, `sa.text(...)`) stay symbolic. This
//! module rebuilds from them what Alembic 1.20 and SQLAlchemy 2.0 would
//! build — a `Table` with its columns, constraints and indexes, an `Index`,
//! a `ForeignKeyConstraint`... — and compiles it with the PostgreSQL
//! dialect's rules: type rendering, identifier quoting, naming conventions,
//! the SERIAL rule, named ENUM types created before the table.
//!
//! The structure follows SQLAlchemy's, so a behaviour can be checked against
//! its source: `model` is the schema objects, `naming` the naming
//! conventions, `types` the type compiler, `expr` the SQL expression
//! compiler, `ddl` the DDL compiler; `ops_*` build the objects one Alembic
//! operation builds (its `toimpl` function), `batch` is `batch_alter_table`.
//!
//! Two renderings of every statement are kept, because Alembic's offline
//! `--sql` output is not what PostgreSQL receives online: offline, the
//! psycopg2 dialect doubles every `%` (pyformat escaping) and, not knowing
//! `standard_conforming_strings`, doubles backslashes in string literals.
//!
//! What Alembic itself does across operations is kept too: `batch_op.*`
//! calls queue until the `with` block ends ([`finish_batch`]) while
//! `batch_op.execute` runs at once; an ENUM type is created by the first
//! `create_table` of a run that uses it and never again ([`RunMemo`]);
//! `op.drop_table` never drops ENUM types. A `:name` in `op.execute` text
//! without a value prints `NULL` offline but fails online
//! ([`Statement::online_error`]).
//!
//! Not simulated (an [`LowerError::Unsupported`] with the reason):
//! `batch_alter_table(recreate="always")` (a rebuild from the reflected
//! table), types from libraries other than SQLAlchemy, pgvector and
//! SQLModel (geoalchemy2, sqlalchemy_utils), `postgresql.DOMAIN`, custom
//! naming-convention tokens given by functions, `values_callable` unless
//! the caller evaluates it, and `op.execute` of constructs other than text,
//! insert / update / delete on `sa.table(...)`, and sequence / schema DDL.
//!
//! The lowering is checked against real Alembic in `tests/ops_oracle.rs`.
//!
//! Conventions expected from the evaluator, beyond `python::value`:
//! - `op.f("name")` is a [`PyStr`](crate::python::value::PyStr) with `conv`;
//! - `op.inline_literal(v)` is a call to the symbol `alembic.op.inline_literal`;
//! - the value `op.create_table(...)` returns (a `Table`, often given to
//!   `op.bulk_insert`) may be the call itself, to `alembic.op.create_table`;
//! - attribute access on a symbolic value (`t.c.name`) is a call to
//!   `migsim.getattr(receiver, "name")` (`builtins.getattr` is read too), a
//!   subscript (`t.c["name"]`) is `operator.getitem(receiver, "name")`;
//! - Python operators on symbolic values (`t.c.a == 5`, `~x`, `a & b`) are
//!   calls to the `operator` module's functions: `operator.eq`, `ne`, `lt`,
//!   `le`, `gt`, `ge`, `and_`, `or_`, `invert`, `neg`, `add`, `sub`, `mul`,
//!   `truediv`, `mod`;
//! - a project `enum.Enum` class is a [`Value::Object`] read through
//!   [`ProjectObjects::python_enum`] (by default through
//!   `python::types::enum_class`); `values_callable=` may arrive as the
//!   list of strings the function returns.

mod args;
mod batch;
mod ddl;
mod dml;
mod entities;
mod expr;
mod model;
mod naming;
mod ops_column;
mod ops_constraint;
mod ops_index;
mod ops_table;
mod quote;
mod select;
mod sym;
mod type_ddl;
mod types;

use std::cell::RefCell;
use std::fmt;

use crate::alembic::sink::{OpaqueStep, SchemaView, SqlStep, TextMap};
use crate::python::value::{Call, Unknown, Value};
use crate::source::Loc;

pub use batch::{BatchTable, begin_batch, finish_batch};
pub use naming::NamingConvention;
pub use type_ddl::lower_type_ddl;

/// What the lowering needs to know besides the call itself.
/// The symbol the host puts in place of a bound parameter whose value is
/// not known, when the statement is sent to a database (see `Lit::Param`).
pub const UNKNOWN_PARAMETER: &str = "migsim.UnknownParameter";

#[derive(Clone)]
pub struct LowerCtx<'a> {
    /// The simulated catalog as it stands before this operation.
    pub schema: &'a dyn SchemaView,
    /// The target metadata's naming convention: Alembic builds every
    /// `MetaData` of an operation with it (`operations/schemaobj.py`).
    pub naming_convention: &'a NamingConvention,
    /// `context.configure(literal_binds=...)` in `env.py`'s offline branch
    /// (Alembic's generated `env.py` passes `True`). Only changes the offline
    /// text of `op.execute(<construct>)`.
    pub literal_binds: bool,
    /// Reads project objects (enum classes) the evaluator made.
    pub objects: &'a dyn ProjectObjects,
    /// What Alembic remembers across the operations of one run.
    pub memo: &'a RunMemo,
    /// Statements are sent to a database (not printed by `--sql`): a value
    /// bound as a parameter travels apart from the SQL text.
    pub online: bool,
    /// Set while an `execute()` statement's values are read: online, a
    /// Python value the reader does not know becomes a parameter
    /// placeholder there ([`UNKNOWN_PARAMETER`]) instead of making the
    /// statement opaque, since the SQL text does not depend on it.
    pub data_values: std::cell::Cell<bool>,
}

/// State Alembic's impl keeps for a whole `alembic upgrade` run (one
/// `MigrationContext`), shared by every revision the run applies.
#[derive(Debug, Default)]
pub struct RunMemo {
    /// `impl.memo["pg_enum"]`: `(schema, name)` of the ENUM types
    /// `create_table` already created; SQLAlchemy creates each only once
    /// per run, even if a later revision dropped it.
    created_enums: RefCell<Vec<(Option<String>, Option<String>)>>,
}

impl RunMemo {
    /// Records a use of an ENUM type by `create_table`; true the first time.
    pub(crate) fn first_enum_use(&self, schema: Option<String>, name: Option<String>) -> bool {
        let mut seen = self.created_enums.borrow_mut();
        let key = (schema, name);
        if seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    }
}

/// Questions about objects defined in the project's own code (values the
/// static evaluator made, [`Value::Object`]).
pub trait ProjectObjects {
    /// The members of `value` if it is a project `enum.Enum` subclass. The
    /// default reads the evaluator's classes.
    fn python_enum(&self, value: &Value) -> Option<PyEnumClass> {
        crate::python::types::enum_class(value).map(|c| PyEnumClass {
            name: c.name,
            members: c.members,
        })
    }

    /// `sa.Enum(MyEnum, values_callable=f)`: the strings `f(MyEnum)`
    /// returns (typically `lambda e: [m.value for m in e]`), if the caller
    /// can evaluate the function. The default cannot.
    fn enum_values_callable(&self, _f: &Value, _enum_class: &Value) -> Option<Vec<String>> {
        None
    }
}

/// A Python `enum.Enum` class: its name and members in definition order.
#[derive(Debug, Clone)]
pub struct PyEnumClass {
    pub name: String,
    /// `(member name, member value)`.
    pub members: Vec<(String, Value)>,
}

/// Project objects read as the static evaluator made them, without
/// evaluating functions (`values_callable` stays unsupported).
pub struct EvaluatorObjects;

impl ProjectObjects for EvaluatorObjects {}

/// The statements one operation sends, in order.
#[derive(Debug, Clone, Default)]
pub struct Lowered {
    pub statements: Vec<Statement>,
}

/// One statement as Alembic executes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The SQL PostgreSQL receives when Alembic runs online, without a
    /// terminator.
    pub sql: String,
    /// The statement as `alembic upgrade --sql` prints it, terminator
    /// included (Alembic appends `;` even after a user's own `;`).
    pub offline: String,
    /// Maps bytes of `sql` copied from a string literal back to the file.
    pub text_map: Option<TextMap>,
    pub kind: StatementKind,
    /// The Python call it came from.
    pub loc: Loc,
    /// Alembic prints the statement offline but raises instead of running
    /// it online (a `:name` parameter in `op.execute` text without a value).
    pub online_error: Option<PyError>,
}

/// A Python exception: its class and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyError {
    /// E.g. `sqlalchemy.exc.StatementError`.
    pub exception: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// DDL that migsim generated from an operation's arguments.
    Schema,
    /// Rows written: `bulk_insert`, `op.execute(table.insert()...)`.
    Data,
    /// SQL written by the user (`op.execute("...")`, `sa.text`,
    /// alembic_utils entities): the caller must parse it to know its kind.
    Verbatim,
}

/// Why an operation could not be lowered.
#[derive(Debug, Clone)]
pub enum LowerError {
    /// An argument's value is not known statically: the caller records an
    /// opaque step with this reason.
    Unknown(Unknown),
    /// An operation or argument migsim does not model.
    Unsupported(Unsupported),
    /// SQLAlchemy or Alembic raises before the database sees anything more.
    WouldFail(WouldFail),
}

#[derive(Debug, Clone)]
pub struct Unsupported {
    pub reason: String,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct WouldFail {
    /// The Python exception class, e.g. `sqlalchemy.exc.CompileError`.
    pub exception: String,
    /// The exception's message, as Python would print it.
    pub message: String,
    pub loc: Loc,
    /// Statements Alembic had already sent before raising.
    pub emitted: Vec<Statement>,
}

impl Statement {
    /// The step the replay sends to its sink (`autocommit`: inside
    /// `op.get_context().autocommit_block()`).
    pub fn to_step(&self, autocommit: bool) -> SqlStep {
        SqlStep {
            sql: self.sql.clone(),
            loc: self.loc.clone(),
            text_map: self.text_map.clone(),
            autocommit,
            conditional: false,
        }
    }
}

impl LowerError {
    /// The opaque step the caller records when the operation could not be
    /// simulated (`None` for a predicted failure, which is not opaque).
    pub fn to_opaque(&self) -> Option<OpaqueStep> {
        let reason = match self {
            LowerError::Unknown(u) => format!("an argument is not known statically: {}", u.reason),
            LowerError::Unsupported(u) => format!("not simulated: {}", u.reason),
            LowerError::WouldFail(_) => return None,
        };
        Some(OpaqueStep {
            reason,
            loc: self.loc().clone(),
            hidden_ops: 1,
        })
    }

    pub fn unsupported(reason: impl Into<String>, loc: &Loc) -> Self {
        LowerError::Unsupported(Unsupported {
            reason: reason.into(),
            loc: loc.clone(),
        })
    }

    pub fn would_fail(exception: &str, message: impl Into<String>, loc: &Loc) -> Self {
        LowerError::WouldFail(WouldFail {
            exception: exception.to_string(),
            message: message.into(),
            loc: loc.clone(),
            emitted: Vec::new(),
        })
    }

    pub fn loc(&self) -> &Loc {
        match self {
            LowerError::Unknown(u) => &u.loc,
            LowerError::Unsupported(u) => &u.loc,
            LowerError::WouldFail(w) => &w.loc,
        }
    }

    /// Statements to record before the failure (empty unless `WouldFail`).
    fn with_emitted(mut self, before: Vec<Statement>) -> Self {
        if let LowerError::WouldFail(w) = &mut self {
            let mut all = before;
            all.append(&mut w.emitted);
            w.emitted = all;
        }
        self
    }
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LowerError::Unknown(u) => write!(f, "not known statically: {}", u.reason),
            LowerError::Unsupported(u) => write!(f, "not simulated: {}", u.reason),
            LowerError::WouldFail(w) => {
                let short = w.exception.rsplit('.').next().unwrap_or(&w.exception);
                write!(f, "{short}: {}", w.message)
            }
        }
    }
}

impl std::error::Error for LowerError {}

/// Lowers `op.<name>(...)`.
/// Whether a bound parameter's value depends on something the reader does
/// not know (a column of a row read before, `json.dumps(row.value)`).
pub fn bind_value_unknown(v: &Value) -> bool {
    match v {
        Value::Unknown(_) => true,
        Value::List(items) | Value::Tuple(items) | Value::Set(items) => {
            items.iter().any(bind_value_unknown)
        }
        Value::Dict(items) => items
            .iter()
            .any(|(k, v)| bind_value_unknown(k) || bind_value_unknown(v)),
        Value::Call(c) => {
            c.args.iter().any(bind_value_unknown)
                || c.kwargs.iter().any(|(_, v)| bind_value_unknown(v))
                || matches!(&c.callee, crate::python::value::Callee::Method { receiver, .. } if bind_value_unknown(receiver))
        }
        _ => false,
    }
}

pub fn lower_op(name: &str, call: &Call, ctx: &LowerCtx) -> Result<Lowered, LowerError> {
    let elements = build_op(name, call, ctx, None)?;
    compile_all(&elements, ctx, &call.loc)
}

/// Lowers `batch_op.<name>(...)` inside `with op.batch_alter_table(...)`.
///
/// As in Alembic, only `execute` runs at once (its statements are returned);
/// every other operation is queued in `batch` and emitted by
/// [`finish_batch`] when the `with` block ends. Errors Alembic raises while
/// building the operation's objects are returned here; compile errors come
/// from [`finish_batch`], after the statements queued before them.
pub fn lower_batch_op(
    batch: &mut BatchTable,
    name: &str,
    call: &Call,
    ctx: &LowerCtx,
) -> Result<Lowered, LowerError> {
    batch::lower_batch_op(batch, name, call, ctx)
}

/// Builds the DDL elements `op.<name>` hands to Alembic's impl. `batch` is
/// the enclosing batch context for `batch_op.<name>` calls.
fn build_op(
    name: &str,
    call: &Call,
    ctx: &LowerCtx,
    batch: Option<&BatchTable>,
) -> Result<Vec<ddl::Element>, LowerError> {
    let b = ops_table::Builder::new(call, ctx, batch);
    // Online, a statement may carry values the reader does not know as
    // parameters; `dml` tells those from unknowns that change the SQL.
    if !(name == "execute" && ctx.online) {
        b.check_known()?;
    }
    match name {
        "create_table" => ops_table::create_table(&b),
        "drop_table" => ops_table::drop_table(&b),
        "rename_table" => ops_table::rename_table(&b),
        "create_table_comment" => ops_table::create_table_comment(&b),
        "drop_table_comment" => ops_table::drop_table_comment(&b),
        "add_column" => ops_column::add_column(&b),
        "drop_column" => ops_column::drop_column(&b),
        "alter_column" => ops_column::alter_column(&b),
        "create_index" => ops_index::create_index(&b),
        "drop_index" => ops_index::drop_index(&b),
        "create_primary_key" => ops_constraint::create_primary_key(&b),
        "create_unique_constraint" => ops_constraint::create_unique_constraint(&b),
        "create_foreign_key" => ops_constraint::create_foreign_key(&b),
        "create_check_constraint" => ops_constraint::create_check_constraint(&b),
        "create_exclude_constraint" => ops_constraint::create_exclude_constraint(&b),
        "drop_constraint" => ops_constraint::drop_constraint(&b),
        "execute" => dml::execute(&b),
        "bulk_insert" => dml::bulk_insert(&b),
        "create_entity" | "drop_entity" | "replace_entity" => entities::entity_op(name, &b),
        "create_sequence" | "drop_sequence" => Err(b.fail(
            "AttributeError",
            format!("'Operations' object has no attribute '{name}'"),
        )),
        _ => Err(LowerError::unsupported(
            format!("op.{name}() is not an operation migsim simulates"),
            &call.loc,
        )),
    }
}

fn compile_all(
    elements: &[ddl::Element],
    ctx: &LowerCtx,
    loc: &Loc,
) -> Result<Lowered, LowerError> {
    let mut out = Lowered::default();
    for el in elements {
        match ddl::compile(el, ctx, loc) {
            Ok(mut stmts) => out.statements.append(&mut stmts),
            Err(e) => return Err(e.with_emitted(out.statements)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
