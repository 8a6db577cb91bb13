//! Running one revision's `upgrade()` or `downgrade()` statically.
//!
//! The evaluator (`python::eval`) runs the function; this module is its
//! host: it owns what Alembic gives a migration — `op`, the connection,
//! the migration context, the inspector — and turns each operation into SQL
//! through `alembic::ops`, sending every statement to the sink at once,
//! because later code may ask the schema what the earlier statements did.
//!
//! # Counting
//! Every `op.*` operation (helpers such as `op.f`, `op.get_bind`,
//! `op.batch_alter_table` are not operations), every `batch_op.*`
//! operation, and every `bind.execute` / `exec_driver_sql` /
//! `session.execute` reached is one operation, simulated or opaque. An
//! opaque block (an `if` on an unknown value) adds the operations it holds
//! (see `python::eval`). A call the reader could not evaluate that was made
//! for its effect counts as one opaque operation.
//!
//! # Data steps
//! Statements that write rows (`bulk_insert`, `bind.execute(...)`) go to the
//! sink like any other SQL; the sink decides they are data. Online, a bound
//! parameter whose value is not known is sent as a `$1` placeholder, and
//! so is a condition the reader does not know (`.where(or_(*filters))`
//! built from rows): which rows the statement touches is not known anyway,
//! its kind and tables are. Code
//! that may run zero or more times (see `python::eval`'s speculation) is
//! held back by the host while it runs; if all of it reads or writes rows
//! it is sent as conditional steps (`SqlStep::conditional`), else dropped. What a query
//! returns (`fetchall()`, `scalar()`, `first()`) is unknown, unless it is a
//! `SELECT` of the system catalogs alone that the schema view answers in
//! full (`SchemaView::catalog_query`): its rows are then known, in order
//! when an `ORDER BY` fixes it (otherwise only what the order does not
//! change: `first() is None`, the number of rows, `one()`), and OIDs stay
//! unknown values; `rowcount` is never known. ORM sessions
//! (`Session(bind=...)`, `session.add/merge/delete`) issue SQL migsim cannot
//! derive without the models' mappers: each such call is reported as an
//! opaque step "ORM session (data step)" with no hidden operations, so
//! coverage figures are not inflated and the reviewer still sees the line;
//! `session.execute(...)` is plain SQL and is simulated.
//!
//! # Scope
//! Alembic's multi-database template (`upgrade_<engine>()` functions called
//! through `globals()`) is not simulated; it is reported.

mod host;
mod reflect;
pub mod testing;

use crate::alembic::ops::{NamingConvention, RunMemo};
use crate::alembic::sink::{MigrationSink, OpaqueStep};
use crate::python::eval::{EvalConfig, Evaluator, Obj};
use crate::python::host::Abort;
use crate::python::parse::ParsedModule;
use crate::python::project::ProjectModules;
use crate::python::value::Value;
use crate::report::Diagnostic;
use crate::source::{Loc, Span};

use host::RunHost;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

impl Direction {
    pub fn function(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        }
    }
}

/// Everything a run needs besides the file and the sink.
pub struct RunContext<'a> {
    pub eval: &'a EvalConfig,
    /// The project's own modules, for imports of helpers and types.
    pub project: Option<&'a ProjectModules>,
    /// Alembic's `--sql` mode: `context.is_offline_mode()` is true, the
    /// connection is a mock that prints SQL and cannot be inspected, and
    /// statements are sent in their offline text.
    pub offline: bool,
    /// The target metadata's naming convention (from `env.py`).
    pub naming_convention: &'a NamingConvention,
    /// `context.configure(literal_binds=...)` in offline mode.
    pub literal_binds: bool,
    /// State Alembic keeps across the revisions of one run.
    pub memo: &'a RunMemo,
}

/// What running one revision function did.
#[derive(Debug, Default)]
pub struct RunOutcome {
    pub ops_total: u32,
    pub ops_simulated: u32,
    pub ops_opaque: u32,
    /// Every opaque step, in order (also sent to the sink).
    pub opaque: Vec<OpaqueStep>,
    /// Errors (syntax errors, a `raise` reached, an operation SQLAlchemy
    /// rejects) and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Statements sent to the sink.
    pub statements: u32,
    /// The sink stopped the replay.
    pub halted: bool,
    /// The migration fails in Alembic (it raises, or cannot be imported).
    pub failed: bool,
    /// Pins (as written in the configuration) that matched an expression.
    pub pins_used: Vec<String>,
    /// Evaluation steps used.
    pub steps: u64,
}

impl RunOutcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::report::Severity::Error)
    }
}

/// Runs `upgrade()` or `downgrade()` of a parsed migration file.
pub fn run_migration(
    module: &ParsedModule,
    direction: Direction,
    ctx: &RunContext,
    sink: &mut dyn MigrationSink,
) -> RunOutcome {
    let mut outcome = RunOutcome::default();
    if module.has_errors() {
        // Alembic cannot import the file at all.
        outcome.diagnostics.extend(module.errors.iter().cloned());
        outcome.failed = true;
        return outcome;
    }
    let file_loc = Loc::new(&module.file, Span::new(0, 0));
    let mut host = RunHost::new(ctx, sink, &mut outcome);
    let (result, diagnostics, pins, steps) = {
        let mut ev = Evaluator::new(ctx.eval, ctx.project, &mut host);
        let result = run_function(&mut ev, module, direction, &file_loc);
        let diagnostics = ev.take_diagnostics();
        let pins = ev.pins_used().to_vec();
        let steps = ev.steps();
        (result, diagnostics, pins, steps)
    };
    host.finish();
    drop(host);
    outcome.diagnostics.extend(diagnostics);
    outcome.pins_used = pins;
    outcome.steps = steps;
    match result {
        Ok(()) => {}
        Err(Failure::Abort(Abort::Halt)) => outcome.halted = true,
        Err(Failure::Abort(Abort::Raise(e))) => {
            outcome.failed = true;
            let f = direction.function();
            let mut d =
                Diagnostic::error("alembic::raises", format!("{f}() raises {}", e.describe()))
                    .with_label(e.loc.clone(), "raised here");
            if e.message.is_none() || e.class.is_unknown() {
                d = d.with_note("Alembic stops the migration here");
            }
            outcome.diagnostics.push(d);
        }
        Err(Failure::Abort(Abort::Budget { loc })) => {
            let step = OpaqueStep {
                reason: format!(
                    "evaluation stopped after {} steps (a loop that does not end, or too much work); the rest of {}() was not read",
                    ctx.eval.step_budget,
                    direction.function()
                ),
                loc: loc.clone(),
                hidden_ops: 0,
            };
            outcome.opaque.push(step.clone());
            sink.opaque(step);
            outcome.diagnostics.push(
                Diagnostic::warning(
                    "python::budget",
                    "evaluation step budget exhausted; the rest of the migration is opaque",
                )
                .with_label(loc, "running here"),
            );
        }
        Err(Failure::Report(d)) => {
            let d = *d;
            if d.severity == crate::report::Severity::Error {
                outcome.failed = true;
            }
            outcome.diagnostics.push(d);
        }
    }
    outcome
}

enum Failure {
    Abort(Abort),
    Report(Box<Diagnostic>),
}

impl From<Abort> for Failure {
    fn from(a: Abort) -> Self {
        Failure::Abort(a)
    }
}

fn run_function<'a>(
    ev: &mut Evaluator<'a>,
    module: &'a ParsedModule,
    direction: Direction,
    file_loc: &Loc,
) -> Result<(), Failure> {
    let key = match ev.run_main(module) {
        Ok(k) => k,
        Err(Abort::Raise(e)) => {
            return Err(Failure::Report(Box::new(
                Diagnostic::error(
                    "alembic::import",
                    format!("importing the migration raises {}", e.describe()),
                )
                .with_label(e.loc.clone(), "raised here")
                .with_note("Alembic cannot load this revision"),
            )));
        }
        Err(other) => return Err(other.into()),
    };
    let name = direction.function();
    let multi_db: Vec<String> = ev
        .globals(key)
        .filter(|(n, v)| {
            n.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('_') && rest.len() > 1)
                && matches!(v.object::<Obj>(), Some(Obj::Function(_)))
        })
        .map(|(n, _)| n.to_owned())
        .collect();
    if !multi_db.is_empty() {
        let mut names = multi_db;
        names.sort();
        return Err(Failure::Report(Box::new(
            Diagnostic::warning(
                "alembic::multidb",
                format!(
                    "multi-database migration ({}) is not simulated",
                    names.join(", ")
                ),
            )
            .with_label(file_loc.clone(), "in this file")
            .with_help("Alembic's multidb template calls these through `globals()`; migsim reads single-database migrations"),
        )));
    }
    let Some(func) = ev.global(key, name).cloned() else {
        return Err(Failure::Report(Box::new(
            Diagnostic::error(
                "alembic::no-function",
                format!("the migration defines no `{name}()` function"),
            )
            .with_label(file_loc.clone(), "in this file")
            .with_note(format!(
                "Alembic raises AttributeError: module has no attribute '{name}'"
            )),
        )));
    };
    if let Value::Unknown(u) = &func {
        ev.opaque(
            format!("`{name}()` is not known statically: {}", u.reason),
            u.loc.clone(),
            0,
        );
        return Ok(());
    }
    ev.call(&func, Vec::new(), file_loc.clone())?;
    Ok(())
}

#[cfg(test)]
mod tests;
