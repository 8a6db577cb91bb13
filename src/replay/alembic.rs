//! Replaying an Alembic project: the revisions in the order `alembic
//! upgrade` applies them, each `upgrade()` evaluated statically with its
//! SQL applied to the catalog as it is produced, with Alembic's own
//! bookkeeping (the version table, transactions) around it.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use crate::alembic::discover::discover;
use crate::alembic::env::{EnvPy, Mode};
use crate::alembic::graph::{MigrationStep, VersionOp};
use crate::alembic::history::History;
use crate::alembic::ops::{NamingConvention, RunMemo};
use crate::alembic::run::{Direction, RunContext, run_migration};
use crate::alembic::sink::{Halt, MigrationSink, OpaqueStep, SchemaView, SqlStep};
use crate::catalog::Catalog;
use crate::catalog::names::{quote_ident, quote_literal};
use crate::python::eval::{EvalConfig, evaluate_module};
use crate::python::value::{Callee, Value};
use crate::python::{ParsedModule, ProjectModules};
use crate::report::{Diagnostic, Severity};
use crate::source::{Loc, SourceFile, Span};

use super::{Replayer, SqlOrigin};

/// What to replay and how.
#[derive(Default)]
pub struct AlembicOptions {
    /// `--to REV`: a revision, `head`, `heads`; all heads when `None`.
    pub target: Option<String>,
    /// A schema to replay first (`pg_dump --schema-only` output).
    pub base: Option<Arc<SourceFile>>,
    pub eval: EvalConfig,
}

/// How many operations were simulated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub operations: u32,
    pub simulated: u32,
    pub opaque: u32,
}

impl Coverage {
    pub fn summary(&self) -> String {
        format!(
            "{} of {} Python operations simulated ({} opaque)",
            group(self.simulated),
            group(self.operations),
            group(self.opaque)
        )
    }
}

/// `1204` → `1,204`.
fn group(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The outcome of replaying a project.
pub struct AlembicReplay {
    pub replayer: Replayer,
    pub coverage: Coverage,
    pub opaque: Vec<OpaqueStep>,
    /// Everything reported along the way (discovery, files, graph, env.py,
    /// the runs), in order.
    pub diagnostics: Vec<Diagnostic>,
    /// Revisions applied, in order.
    pub applied: Vec<String>,
    pub revisions: usize,
    /// Alembic itself would fail (a migration raises, SQLAlchemy rejects
    /// an operation).
    pub alembic_failed: bool,
}

impl AlembicReplay {
    /// The input could not be used (exit 2).
    pub fn unusable(&self) -> bool {
        !self.replayer.input_errors.is_empty()
    }

    /// PostgreSQL or Alembic would have failed (exit 1).
    pub fn failed(&self) -> bool {
        self.replayer.stop.is_some() || self.alembic_failed
    }
}

/// Finds and loads the project at `path` (an `alembic.ini`, its folder, a
/// `pyproject.toml`, or a versions folder).
pub fn load_history(path: &Path) -> Result<History, Vec<Diagnostic>> {
    let project = discover(path)?;
    Ok(History::load(project))
}

/// The application's modules as the migrations import them.
pub fn project_modules(history: &History) -> ProjectModules {
    let p = &history.project;
    let modules = ProjectModules::new(p.package_roots.clone());
    match &p.enclosing_package {
        Some((root, top)) => modules.with_package_root(root.clone(), top.clone()),
        None => modules,
    }
}

/// Diagnostics that make a history unusable: Alembic could not load it.
pub fn blocking_problems(history: &History) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = history
        .diagnostics()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if out.is_empty()
        && let Some(f) = history.alembic_verdict()
    {
        out.push(Diagnostic::error(
            "alembic::fails",
            format!("Alembic cannot load this history: {}", f.message),
        ));
    }
    out
}

/// Where the version table lives and what it is called.
struct VersionTable {
    name: String,
    schema: Option<String>,
    per_migration: bool,
}

impl VersionTable {
    fn qualified(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&self.name)),
            None => quote_ident(&self.name),
        }
    }

    /// `CREATE TABLE alembic_version ...` as Alembic emits it.
    fn create_sql(&self) -> String {
        format!(
            "CREATE TABLE {} (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT {} PRIMARY KEY (version_num)\n)",
            self.qualified(),
            quote_ident(&format!("{}_pkc", self.name))
        )
    }

    /// The statement for one change to the version rows.
    fn op_sql(&self, op: &VersionOp) -> String {
        let t = self.qualified();
        let col = format!("{}.version_num", quote_ident(&self.name));
        match op {
            VersionOp::Insert(v) => format!(
                "INSERT INTO {t} (version_num) VALUES ({}) RETURNING {col}",
                quote_literal(v)
            ),
            VersionOp::Delete(v) => format!("DELETE FROM {t} WHERE {col} = {}", quote_literal(v)),
            VersionOp::Update { from, to } => format!(
                "UPDATE {t} SET version_num={} WHERE {col} = {}",
                quote_literal(to),
                quote_literal(from)
            ),
        }
    }
}

fn version_table(env: Option<&EnvPy>, mode: Mode) -> VersionTable {
    let settings = env.map(|e| e.settings(mode));
    VersionTable {
        name: settings
            .as_ref()
            .and_then(|s| s.version_table.known())
            .unwrap_or_else(|| "alembic_version".into()),
        schema: settings
            .as_ref()
            .and_then(|s| s.version_table_schema.known())
            .flatten(),
        per_migration: settings
            .as_ref()
            .and_then(|s| s.transaction_per_migration.known())
            .unwrap_or(false),
    }
}

/// The naming convention of `target_metadata`, which Alembic's operations
/// use for unnamed constraints (`MetaData(naming_convention=...)`).
pub fn target_naming_convention(
    env: Option<&EnvPy>,
    project: &ProjectModules,
    eval: &EvalConfig,
) -> (NamingConvention, Vec<Diagnostic>) {
    let Some(env) = env else {
        return (NamingConvention::default(), Vec::new());
    };
    if env.target_metadata.as_ref().is_none_or(|t| t.is_none) {
        return (NamingConvention::default(), Vec::new());
    }
    let (globals, _) = evaluate_module(&env.parsed, eval, Some(project));
    let Some(value) = globals.get("target_metadata") else {
        return (NamingConvention::default(), Vec::new());
    };
    let loc = env
        .target_metadata
        .as_ref()
        .map(|t| t.loc.clone())
        .unwrap_or_else(|| Loc::new(&env.parsed.file, Span::new(0, 0)));
    match metadata_convention(value) {
        Some(conv) => match NamingConvention::from_value(&conv, &loc) {
            Ok(c) => (c, Vec::new()),
            Err(e) => (
                NamingConvention::default(),
                vec![
                    Diagnostic::warning(
                        "alembic::naming-convention",
                        format!(
                            "the naming convention of target_metadata could not be read: {e:?}"
                        ),
                    )
                    .with_label(loc, "target_metadata"),
                ],
            ),
        },
        None => (NamingConvention::default(), Vec::new()),
    }
}

/// Finds `naming_convention=` in what `target_metadata` evaluated to:
/// `MetaData(naming_convention=...)`, `Base.metadata` of a declarative base
/// made with `declarative_base(metadata=MetaData(...))`.
fn metadata_convention(v: &Value) -> Option<Value> {
    let call = v.as_call()?;
    let name = call.symbol().map(|s| s.name().to_string());
    match name.as_deref() {
        Some("MetaData") => call.kwarg("naming_convention").cloned(),
        Some("getattr") => {
            let recv = call.args.first()?;
            match recv.as_call().and_then(|c| c.kwarg("metadata")) {
                Some(m) => metadata_convention(m),
                None => None,
            }
        }
        Some("declarative_base" | "registry") => {
            call.kwarg("metadata").and_then(metadata_convention)
        }
        _ => match &call.callee {
            Callee::Method { receiver, .. } => metadata_convention(receiver),
            Callee::Symbol(_) => None,
        },
    }
}

/// The sink the migrations write into: the replayer's catalog.
struct ReplaySink<'a> {
    replayer: &'a mut Replayer,
    opaque: &'a mut Vec<OpaqueStep>,
    /// Transaction handling: an autocommit block commits first.
    autocommit_open: bool,
}

impl MigrationSink for ReplaySink<'_> {
    fn schema(&self) -> &dyn SchemaView {
        &self.replayer.catalog
    }

    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        if step.autocommit && !self.autocommit_open {
            self.autocommit_open = true;
            self.control("COMMIT", &step.loc);
        } else if !step.autocommit && self.autocommit_open {
            self.autocommit_open = false;
            self.control("BEGIN", &step.loc);
        }
        let ok = self.replayer.run_sql(
            &step.sql,
            SqlOrigin::Generated {
                loc: &step.loc,
                text_map: step.text_map.as_ref(),
            },
        );
        if ok { Ok(()) } else { Err(Halt) }
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}

impl ReplaySink<'_> {
    /// Transaction control Alembic issues itself.
    fn control(&mut self, sql: &str, loc: &Loc) {
        self.replayer.run_sql(
            sql,
            SqlOrigin::Generated {
                loc,
                text_map: None,
            },
        );
    }
}

/// Replays the project's revisions into a catalog.
pub fn replay_history(history: &History, opts: &AlembicOptions) -> AlembicReplay {
    let mut diagnostics: Vec<Diagnostic> = history.diagnostics().cloned().collect();
    let mut replayer = Replayer::default();
    let mut out = AlembicReplay {
        replayer: Replayer::default(),
        coverage: Coverage::default(),
        opaque: Vec::new(),
        diagnostics: Vec::new(),
        applied: Vec::new(),
        revisions: history.graph.revisions().len(),
        alembic_failed: false,
    };
    let blocking = blocking_problems(history);
    if !blocking.is_empty() {
        replayer.input_errors.extend(blocking);
        out.replayer = replayer;
        out.diagnostics = diagnostics;
        return out;
    }
    if let Some(base) = &opts.base {
        replayer.run_sql(&base.text.clone(), SqlOrigin::File(base));
        // The migrations run in a new session: pg_dump's `SET search_path`
        // does not carry over.
        replayer.end_session(base);
        if replayer.stopped() {
            out.replayer = replayer;
            out.diagnostics = diagnostics;
            return out;
        }
    }
    let env = match history.read_env() {
        Some(Ok(env)) => {
            diagnostics.extend(env.diagnostics.iter().cloned());
            Some(env)
        }
        Some(Err(d)) => {
            diagnostics.push(*d);
            None
        }
        None => None,
    };
    let vt = version_table(env.as_ref(), Mode::Online);
    let project = project_modules(history);
    let modules: Vec<&ParsedModule> = history
        .files
        .iter()
        .filter_map(|f| f.parsed.as_ref())
        .collect();
    project.preload(&modules);
    let (naming, naming_diags) = target_naming_convention(env.as_ref(), &project, &opts.eval);
    diagnostics.extend(naming_diags);

    let steps: Vec<MigrationStep> = match &opts.target {
        None => history.graph.replay_steps(),
        Some(t) => match history.graph.upgrade_plan(None, t) {
            Ok(s) => s,
            Err(e) => {
                replayer.input_errors.push(Diagnostic::error(
                    "alembic::target",
                    format!("cannot upgrade to {t}: {e}"),
                ));
                out.replayer = replayer;
                out.diagnostics = diagnostics;
                return out;
            }
        },
    };
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval: &opts.eval,
        project: Some(&project),
        offline: false,
        naming_convention: &naming,
        literal_binds: false,
        memo: &memo,
    };
    let mut opaque = Vec::new();
    let anchor = env
        .as_ref()
        .map(|e| Loc::new(&e.parsed.file, Span::new(0, 0)))
        .unwrap_or_else(|| Loc::new(&SourceFile::virtual_file("alembic", ""), Span::new(0, 0)));
    let mut sink = ReplaySink {
        replayer: &mut replayer,
        opaque: &mut opaque,
        autocommit_open: false,
    };
    // Alembic's online run: one transaction, or one per migration.
    if !vt.per_migration {
        sink.control("BEGIN", &anchor);
    }
    let version_exists = sink
        .replayer
        .catalog
        .lookup_relation(&crate::catalog::QualName::new(
            vt.schema.as_deref(),
            &vt.name,
        ))
        .ok()
        .flatten()
        .is_some();
    if !version_exists && !steps.is_empty() {
        let _ = sink.execute(SqlStep {
            sql: vt.create_sql(),
            loc: anchor.clone(),
            text_map: None,
            autocommit: false,
        });
    }
    for step in &steps {
        if sink.replayer.stopped() {
            break;
        }
        let file = history.file(step.revision);
        let Some(module) = file.parsed.as_ref() else {
            continue;
        };
        if vt.per_migration {
            sink.control("BEGIN", &anchor);
        }
        let outcome = run_migration(module, Direction::Upgrade, &ctx, &mut sink);
        out.coverage.operations += outcome.ops_total;
        out.coverage.simulated += outcome.ops_simulated;
        out.coverage.opaque += outcome.ops_opaque;
        diagnostics.extend(outcome.diagnostics.iter().cloned());
        if outcome.failed {
            out.alembic_failed = true;
            break;
        }
        if outcome.halted || sink.replayer.stopped() {
            break;
        }
        let file_loc = Loc::new(&module.file, Span::new(0, 0));
        for op in &step.version_ops {
            let _ = sink.execute(SqlStep {
                sql: vt.op_sql(op),
                loc: file_loc.clone(),
                text_map: None,
                autocommit: false,
            });
        }
        if vt.per_migration {
            sink.control("COMMIT", &anchor);
        }
        out.applied.push(step.id.clone());
    }
    if !vt.per_migration && !sink.replayer.stopped() {
        sink.control("COMMIT", &anchor);
    }
    out.opaque = opaque;
    out.replayer = replayer;
    out.diagnostics = diagnostics;
    out
}

/// `alembic upgrade ... --sql`: the SQL Alembic's offline mode prints.
pub struct OfflineSql {
    pub text: String,
    pub coverage: Coverage,
    pub opaque: Vec<OpaqueStep>,
    pub diagnostics: Vec<Diagnostic>,
    pub failed: bool,
}

/// Collects the SQL of an offline run, in order.
struct PrintSink {
    catalog: Catalog,
    out: String,
    opaque: Vec<OpaqueStep>,
}

impl MigrationSink for PrintSink {
    fn schema(&self) -> &dyn SchemaView {
        &self.catalog
    }

    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        let sql = step.sql.trim_end();
        let _ = write!(self.out, "{sql}");
        if !sql.ends_with(';') {
            self.out.push(';');
        }
        self.out.push_str("\n\n");
        Ok(())
    }

    fn opaque(&mut self, step: OpaqueStep) {
        let _ = writeln!(
            self.out,
            "-- migsim: not simulated ({}): {}\n",
            step.loc, step.reason
        );
        self.opaque.push(step);
    }
}

/// Renders `alembic upgrade FROM:TO --sql` (or `downgrade`) for a history.
pub fn offline_sql(
    history: &History,
    from: Option<&str>,
    to: &str,
    downgrade: bool,
    eval: &EvalConfig,
) -> Result<OfflineSql, Vec<Diagnostic>> {
    let blocking = blocking_problems(history);
    if !blocking.is_empty() {
        return Err(blocking);
    }
    let mut diagnostics: Vec<Diagnostic> = history.diagnostics().cloned().collect();
    let env = match history.read_env() {
        Some(Ok(env)) => Some(env),
        Some(Err(d)) => {
            diagnostics.push(*d);
            None
        }
        None => None,
    };
    let vt = version_table(env.as_ref(), Mode::Offline);
    let plan = if downgrade {
        history.graph.downgrade_plan(from.unwrap_or("heads"), to)
    } else {
        history.graph.upgrade_plan(from, to)
    };
    let steps =
        plan.map_err(|e| vec![Diagnostic::error("alembic::target", format!("FAILED: {e}"))])?;
    let project = project_modules(history);
    let modules: Vec<&ParsedModule> = history
        .files
        .iter()
        .filter_map(|f| f.parsed.as_ref())
        .collect();
    project.preload(&modules);
    let (naming, naming_diags) = target_naming_convention(env.as_ref(), &project, eval);
    diagnostics.extend(naming_diags);
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval,
        project: Some(&project),
        offline: true,
        naming_convention: &naming,
        literal_binds: true,
        memo: &memo,
    };
    let mut sink = PrintSink {
        catalog: Catalog::new(),
        out: String::new(),
        opaque: Vec::new(),
    };
    let mut coverage = Coverage::default();
    let mut failed = false;
    if !vt.per_migration {
        sink.out.push_str("BEGIN;\n\n");
    }
    for step in &steps {
        if vt.per_migration {
            sink.out.push_str("BEGIN;\n\n");
        }
        if step.creates_version_table {
            let _ = write!(sink.out, "{};\n\n", vt.create_sql());
        }
        let _ = write!(sink.out, "{}\n\n", step.running_comment());
        let file = history.file(step.revision);
        let Some(module) = file.parsed.as_ref() else {
            continue;
        };
        let direction = if step.is_upgrade {
            Direction::Upgrade
        } else {
            Direction::Downgrade
        };
        let outcome = run_migration(module, direction, &ctx, &mut sink);
        coverage.operations += outcome.ops_total;
        coverage.simulated += outcome.ops_simulated;
        coverage.opaque += outcome.ops_opaque;
        diagnostics.extend(outcome.diagnostics.iter().cloned());
        if outcome.failed || outcome.halted {
            failed = true;
            break;
        }
        for op in &step.version_ops {
            let _ = write!(sink.out, "{};\n\n", vt.op_sql(op));
        }
        if vt.per_migration {
            sink.out.push_str("COMMIT;\n\n");
        }
    }
    if !vt.per_migration && !failed {
        sink.out.push_str("COMMIT;\n\n");
    }
    Ok(OfflineSql {
        text: sink.out,
        coverage,
        opaque: sink.opaque,
        diagnostics,
        failed,
    })
}
