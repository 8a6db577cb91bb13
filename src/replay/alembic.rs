//! Replaying an Alembic project: the revisions in the order `alembic
//! upgrade` applies them, each `upgrade()` evaluated statically with its
//! SQL applied to the catalog as it is produced, with Alembic's own
//! bookkeeping (the version table, transactions) around it.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::alembic::discover::discover;
use crate::alembic::env::{EnvPy, Mode};
use crate::alembic::graph::{MigrationStep, VersionOp};
use crate::alembic::history::History;
use crate::alembic::ops::{NamingConvention, RunMemo};
use crate::alembic::run::{Direction, RunContext, run_migration};
use crate::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, Halt, IndexInfo, MigrationSink, OpaqueStep,
    PrimaryKeyInfo, SchemaView, SqlStep, UniqueInfo,
};
use crate::catalog::Catalog;
use crate::catalog::names::{quote_ident, quote_literal};
use crate::python::eval::{EvalConfig, evaluate_module};
use crate::python::value::{Callee, Value};
use crate::python::{ParsedModule, ProjectModules};
use crate::report::{Diagnostic, Severity};
use crate::source::{Loc, SourceFile, Span};
use crate::sql::{self, Parsed};

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
    let (globals, eval_diags) = evaluate_module(&env.parsed, eval, Some(project));
    let loc = env
        .target_metadata
        .as_ref()
        .map(|t| t.loc.clone())
        .unwrap_or_else(|| Loc::new(&env.parsed.file, Span::new(0, 0)));
    let Some(value) = globals
        .get("target_metadata")
        .filter(|v| v.as_unknown().is_none())
    else {
        // Alembic names unnamed constraints by this convention: losing it
        // silently would give names the database does not have.
        let why = eval_diags
            .iter()
            .map(|d| d.message.clone())
            .next()
            .or_else(|| {
                globals
                    .get("target_metadata")
                    .and_then(Value::as_unknown)
                    .map(|u| u.reason.clone())
            })
            .unwrap_or_else(|| "env.py does not assign it".to_string());
        let warning = Diagnostic::warning(
            "alembic::naming-convention",
            format!(
                "target_metadata could not be read ({why}): if it has a naming convention, \
                 constraints Alembic names by it get other names here"
            ),
        )
        .with_label(loc, "target_metadata");
        return (NamingConvention::default(), vec![warning]);
    };
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

/// Where a replay's migrations write: the catalog, directly or through the
/// thread that owns it.
trait ReplayDriver: MigrationSink {
    fn as_sink(&mut self) -> &mut dyn MigrationSink;
    /// Transaction control Alembic issues itself (`BEGIN`, `COMMIT`).
    fn control(&mut self, sql: &'static str, loc: &Loc);
    /// The replay has stopped (PostgreSQL raised, or SQL was unusable).
    fn stopped(&self) -> bool;
}

/// Applies one step as Alembic's connection would: an autocommit block
/// commits the open transaction first and a new one begins after it.
fn apply_step(
    replayer: &mut Replayer,
    autocommit_open: &mut bool,
    step: &SqlStep,
    parsed: Option<Vec<Parsed>>,
) -> bool {
    if step.autocommit && !*autocommit_open {
        *autocommit_open = true;
        apply_control(replayer, "COMMIT", &step.loc);
    } else if !step.autocommit && *autocommit_open {
        *autocommit_open = false;
        apply_control(replayer, "BEGIN", &step.loc);
    }
    let origin = SqlOrigin::Generated {
        loc: &step.loc,
        text_map: step.text_map.as_ref(),
    };
    let parsed = parsed.unwrap_or_else(|| sql::parse_script(&step.sql));
    if step.conditional {
        replayer.run_conditional(&step.sql, parsed, origin)
    } else {
        replayer.run_parsed(&step.sql, parsed, origin)
    }
}

fn apply_control(replayer: &mut Replayer, sql: &str, loc: &Loc) {
    replayer.run_sql(
        sql,
        SqlOrigin::Generated {
            loc,
            text_map: None,
        },
    );
}

/// The sink the migrations write into when the catalog is on this thread.
/// Used when a replay stops early, so that exactly the operations before
/// the failing one are evaluated and counted.
struct ReplaySink<'a> {
    replayer: &'a mut Replayer,
    opaque: &'a mut Vec<OpaqueStep>,
    autocommit_open: bool,
}

impl MigrationSink for ReplaySink<'_> {
    fn schema(&self) -> &dyn SchemaView {
        &self.replayer.catalog
    }

    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        if apply_step(self.replayer, &mut self.autocommit_open, &step, None) {
            Ok(())
        } else {
            Err(Halt)
        }
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}

impl ReplayDriver for ReplaySink<'_> {
    fn as_sink(&mut self) -> &mut dyn MigrationSink {
        self
    }

    fn control(&mut self, sql: &'static str, loc: &Loc) {
        apply_control(self.replayer, sql, loc);
    }

    fn stopped(&self) -> bool {
        self.replayer.stopped()
    }
}

/// Work for the thread that owns the catalog, in the order the migrations
/// produced it.
enum Work {
    /// A statement, parsed already when the catalog thread was behind.
    Sql(SqlStep, Option<Vec<Parsed>>),
    Control(&'static str, Loc),
    /// An introspection call: answered once everything sent before it has
    /// been applied, so it sees the schema a sequential replay would.
    Query(Box<dyn FnOnce(&Catalog) + Send>),
}

/// Statements sent to the catalog thread at once: enough to keep the
/// channel's wake-ups rare, few enough that the thread never idles long.
const BATCH: usize = 16;

/// The sink of a pipelined replay: the migrations are evaluated and
/// lowered on this thread while another parses the SQL and applies it to
/// the catalog. Introspection waits for the catalog to catch up.
struct PipeSink<'a> {
    pending: RefCell<Vec<Work>>,
    to_catalog: mpsc::Sender<Vec<Work>>,
    /// Batches sent and not yet taken by the catalog thread.
    queued: &'a AtomicUsize,
    stopped: &'a AtomicBool,
    opaque: &'a mut Vec<OpaqueStep>,
}

impl PipeSink<'_> {
    fn push(&self, work: Work) {
        let mut pending = self.pending.borrow_mut();
        pending.push(work);
        if pending.len() >= BATCH {
            let mut batch = std::mem::take(&mut *pending);
            drop(pending);
            // Parsing costs about what applying does. While the catalog
            // thread still has a batch waiting, this thread would only wait
            // for it later, so it parses this batch itself.
            if self.queued.load(Ordering::Acquire) > 0 {
                for w in &mut batch {
                    if let Work::Sql(step, parsed @ None) = w {
                        *parsed = Some(sql::parse_script(&step.sql));
                    }
                }
            }
            self.send(batch);
        }
    }

    fn send(&self, batch: Vec<Work>) {
        self.queued.fetch_add(1, Ordering::AcqRel);
        let _ = self.to_catalog.send(batch);
    }

    fn flush(&self) {
        let batch = std::mem::take(&mut *self.pending.borrow_mut());
        if !batch.is_empty() {
            self.send(batch);
        }
    }

    /// Asks the catalog thread; a default answer only if that thread is
    /// gone, which joining it afterwards reports.
    fn ask<T: Send + Default + 'static>(
        &self,
        question: impl FnOnce(&Catalog) -> T + Send + 'static,
    ) -> T {
        let (answer, answered) = mpsc::sync_channel(1);
        self.push(Work::Query(Box::new(move |catalog| {
            let _ = answer.send(question(catalog));
        })));
        self.flush();
        answered.recv().unwrap_or_default()
    }
}

impl MigrationSink for PipeSink<'_> {
    fn schema(&self) -> &dyn SchemaView {
        self
    }

    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        if self.stopped.load(Ordering::Relaxed) {
            return Err(Halt);
        }
        self.push(Work::Sql(step, None));
        Ok(())
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}

impl ReplayDriver for PipeSink<'_> {
    fn as_sink(&mut self) -> &mut dyn MigrationSink {
        self
    }

    fn control(&mut self, sql: &'static str, loc: &Loc) {
        self.push(Work::Control(sql, loc.clone()));
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }
}

fn owned(schema: Option<&str>) -> Option<String> {
    schema.map(str::to_owned)
}

impl SchemaView for PipeSink<'_> {
    fn schema_names(&self) -> Vec<String> {
        self.ask(|c| c.schema_names())
    }
    fn table_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = owned(schema);
        self.ask(move |c| c.table_names(s.as_deref()))
    }
    fn view_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = owned(schema);
        self.ask(move |c| c.view_names(s.as_deref()))
    }
    fn sequence_names(&self, schema: Option<&str>) -> Vec<String> {
        let s = owned(schema);
        self.ask(move |c| c.sequence_names(s.as_deref()))
    }
    fn columns(&self, schema: Option<&str>, table: &str) -> Option<Vec<ColumnInfo>> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.columns(s.as_deref(), &t))
    }
    fn primary_key(&self, schema: Option<&str>, table: &str) -> Option<PrimaryKeyInfo> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.primary_key(s.as_deref(), &t))
    }
    fn foreign_keys(&self, schema: Option<&str>, table: &str) -> Option<Vec<ForeignKeyInfo>> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.foreign_keys(s.as_deref(), &t))
    }
    fn indexes(&self, schema: Option<&str>, table: &str) -> Option<Vec<IndexInfo>> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.indexes(s.as_deref(), &t))
    }
    fn unique_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<UniqueInfo>> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.unique_constraints(s.as_deref(), &t))
    }
    fn check_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<CheckInfo>> {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.check_constraints(s.as_deref(), &t))
    }
    fn enums(&self, schema: Option<&str>) -> Vec<EnumInfo> {
        let s = owned(schema);
        self.ask(move |c| c.enums(s.as_deref()))
    }
    fn has_table(&self, schema: Option<&str>, table: &str) -> bool {
        let (s, t) = (owned(schema), table.to_owned());
        self.ask(move |c| c.has_table(s.as_deref(), &t))
    }
    fn has_type(&self, schema: Option<&str>, name: &str) -> bool {
        let (s, n) = (owned(schema), name.to_owned());
        self.ask(move |c| c.has_type(s.as_deref(), &n))
    }
    fn catalog_query(&self, sql: &str) -> Option<crate::alembic::sink::QueryRows> {
        let q = sql.to_owned();
        self.ask(move |c| c.catalog_query(&q))
    }
}

/// The catalog thread: applies the work in order until the replay stops,
/// and answers every query, after a stop too.
fn catalog_thread(
    replayer: &mut Replayer,
    work: mpsc::Receiver<Vec<Work>>,
    queued: &AtomicUsize,
    stopped: &AtomicBool,
) {
    let mut autocommit_open = false;
    for batch in work {
        queued.fetch_sub(1, Ordering::AcqRel);
        for w in batch {
            match w {
                Work::Sql(step, parsed) => {
                    if !replayer.stopped() {
                        apply_step(replayer, &mut autocommit_open, &step, parsed);
                    }
                }
                Work::Control(sql, loc) => {
                    if !replayer.stopped() {
                        apply_control(replayer, sql, &loc);
                    }
                }
                Work::Query(question) => question(&replayer.catalog),
            }
        }
        if replayer.stopped() {
            stopped.store(true, Ordering::Relaxed);
        }
    }
}

/// Replays the project's revisions into a catalog.
///
/// The migrations are evaluated on this thread while another applies their
/// SQL. When the replay stops (PostgreSQL would raise), the evaluation may
/// have run past the failing statement, so the replay is run again with
/// the catalog on this thread: coverage, diagnostics and opaque steps then
/// end exactly where Alembic would have stopped.
pub fn replay_history(history: &History, opts: &AlembicOptions) -> AlembicReplay {
    let out = replay_history_with(history, opts, true);
    if out.replayer.stopped() {
        replay_history_with(history, opts, false)
    } else {
        out
    }
}

fn replay_history_with(history: &History, opts: &AlembicOptions, pipelined: bool) -> AlembicReplay {
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
    let version_exists = replayer
        .catalog
        .lookup_relation(&crate::catalog::QualName::new(
            vt.schema.as_deref(),
            &vt.name,
        ))
        .ok()
        .flatten()
        .is_some();
    let plan = Plan {
        history,
        steps: &steps,
        ctx: &ctx,
        vt: &vt,
        anchor: &anchor,
        create_version_table: !version_exists && !steps.is_empty(),
    };
    if pipelined {
        let stopped = AtomicBool::new(false);
        let queued = AtomicUsize::new(0);
        let (to_catalog, work) = mpsc::channel();
        std::thread::scope(|scope| {
            let catalog = scope.spawn(|| catalog_thread(&mut replayer, work, &queued, &stopped));
            let mut sink = PipeSink {
                pending: RefCell::new(Vec::new()),
                to_catalog,
                queued: &queued,
                stopped: &stopped,
                opaque: &mut opaque,
            };
            plan.run(&mut sink, &mut out, &mut diagnostics);
            sink.flush();
            drop(sink);
            if let Err(panic) = catalog.join() {
                std::panic::resume_unwind(panic);
            }
        });
    } else {
        let mut sink = ReplaySink {
            replayer: &mut replayer,
            opaque: &mut opaque,
            autocommit_open: false,
        };
        plan.run(&mut sink, &mut out, &mut diagnostics);
    }
    out.opaque = opaque;
    out.replayer = replayer;
    out.diagnostics = diagnostics;
    out
}

/// The revisions to run and Alembic's bookkeeping around them.
struct Plan<'a> {
    history: &'a History,
    steps: &'a [MigrationStep],
    ctx: &'a RunContext<'a>,
    vt: &'a VersionTable,
    anchor: &'a Loc,
    create_version_table: bool,
}

impl Plan<'_> {
    /// Runs every `upgrade()` in order into `sink`, as Alembic's online
    /// mode does: one transaction, or one per migration, with the version
    /// table kept up to date.
    fn run(
        &self,
        sink: &mut dyn ReplayDriver,
        out: &mut AlembicReplay,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let (vt, anchor) = (self.vt, self.anchor);
        if !vt.per_migration {
            sink.control("BEGIN", anchor);
        }
        if self.create_version_table {
            let _ = sink.execute(SqlStep {
                sql: vt.create_sql(),
                loc: anchor.clone(),
                text_map: None,
                autocommit: false,
                conditional: false,
            });
        }
        for step in self.steps {
            if sink.stopped() {
                break;
            }
            let file = self.history.file(step.revision);
            let Some(module) = file.parsed.as_ref() else {
                continue;
            };
            if vt.per_migration {
                sink.control("BEGIN", anchor);
            }
            let outcome = run_migration(module, Direction::Upgrade, self.ctx, sink.as_sink());
            out.coverage.operations += outcome.ops_total;
            out.coverage.simulated += outcome.ops_simulated;
            out.coverage.opaque += outcome.ops_opaque;
            diagnostics.extend(outcome.diagnostics.iter().cloned());
            if outcome.failed {
                out.alembic_failed = true;
                break;
            }
            if outcome.halted || sink.stopped() {
                break;
            }
            let file_loc = Loc::new(&module.file, Span::new(0, 0));
            for op in &step.version_ops {
                let _ = sink.execute(SqlStep {
                    sql: vt.op_sql(op),
                    loc: file_loc.clone(),
                    text_map: None,
                    autocommit: false,
                    conditional: false,
                });
            }
            if vt.per_migration {
                sink.control("COMMIT", anchor);
            }
            out.applied.push(step.id.clone());
        }
        if !vt.per_migration && !sink.stopped() {
            sink.control("COMMIT", anchor);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An Alembic project in a temporary folder: `(revision, down, body)`.
    fn project(revisions: &[(&str, Option<&str>, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(
            root.join("alembic.ini"),
            "[alembic]\nscript_location = %(here)s/migrations\n",
        )
        .expect("write ini");
        std::fs::create_dir_all(root.join("migrations/versions")).expect("mkdir");
        std::fs::write(
            root.join("migrations/env.py"),
            "from alembic import context\n",
        )
        .expect("write env.py");
        for (rev, down, body) in revisions {
            let down = down.map_or("None".to_string(), |d| format!("'{d}'"));
            let text = format!(
                "import sqlalchemy as sa\nfrom alembic import op\n\nrevision = '{rev}'\ndown_revision = {down}\n\n\ndef upgrade():\n{body}\n"
            );
            std::fs::write(root.join(format!("migrations/versions/{rev}.py")), text)
                .expect("write revision");
        }
        dir
    }

    fn both(dir: &tempfile::TempDir) -> (AlembicReplay, AlembicReplay) {
        let history = load_history(&dir.path().join("alembic.ini")).expect("project loads");
        let opts = AlembicOptions::default();
        (
            replay_history_with(&history, &opts, true),
            replay_history_with(&history, &opts, false),
        )
    }

    fn messages(r: &AlembicReplay) -> Vec<String> {
        r.diagnostics.iter().map(|d| d.message.clone()).collect()
    }

    #[test]
    fn pipelined_replay_sees_the_schema_a_sequential_one_does() {
        // Introspection between statements must see every statement sent
        // before it; many statements cross the catalog thread in batches.
        let dir = project(&[
            (
                "a",
                None,
                "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))\n    for i in range(40):\n        op.add_column('t', sa.Column(f'c{i}', sa.Integer()))",
            ),
            (
                "b",
                Some("a"),
                "    insp = sa.inspect(op.get_bind())\n    if 'c39' in [c['name'] for c in insp.get_columns('t')]:\n        op.create_table('seen', sa.Column('id', sa.Integer()))\n    if not insp.has_table('seen'):\n        op.create_table('unseen', sa.Column('id', sa.Integer()))\n    op.create_table('e1', sa.Column('m', sa.Enum('x', 'y', name='mood')))\n    op.create_table('e2', sa.Column('m', sa.Enum('x', 'y', name='mood')))",
            ),
        ]);
        let (piped, seq) = both(&dir);
        assert!(!seq.failed() && !seq.unusable(), "{:?}", messages(&seq));
        let sql = seq.replayer.catalog.to_sql();
        assert!(sql.contains("CREATE TABLE public.seen"), "{sql}");
        assert!(!sql.contains("unseen"), "{sql}");
        assert_eq!(piped.replayer.catalog.to_sql(), sql);
        assert_eq!(piped.coverage, seq.coverage);
        assert_eq!(piped.applied, seq.applied);
        assert_eq!(messages(&piped), messages(&seq));
        assert_eq!(
            piped.replayer.stats.statements,
            seq.replayer.stats.statements
        );
    }

    #[test]
    fn a_replay_that_stops_counts_only_what_ran_before_the_failure() {
        let dir = project(&[
            (
                "a",
                None,
                "    op.create_table('t', sa.Column('id', sa.Integer()))",
            ),
            (
                "b",
                Some("a"),
                "    for i in range(30):\n        op.add_column('t', sa.Column(f'c{i}', sa.Integer()))\n    op.add_column('missing', sa.Column('x', sa.Integer()))\n    for i in range(30):\n        op.create_table(f'later{i}', sa.Column('id', sa.Integer()))",
            ),
            (
                "c",
                Some("b"),
                "    op.create_table('never', sa.Column('id', sa.Integer()))",
            ),
        ]);
        let history = load_history(&dir.path().join("alembic.ini")).expect("project loads");
        let r = replay_history(&history, &AlembicOptions::default());
        let (_, seq) = both(&dir);
        assert!(r.failed());
        let stop = r.replayer.stop.as_ref().expect("the replay stops");
        assert!(
            stop.diagnostic.message.contains("missing"),
            "{}",
            stop.diagnostic.message
        );
        // create_table t, 30 add_column, the failing one: Alembic stops there.
        assert_eq!(r.coverage.operations, 32);
        assert_eq!(r.coverage, seq.coverage);
        assert_eq!(r.applied, vec!["a".to_string()]);
        assert_eq!(messages(&r), messages(&seq));
    }
}
