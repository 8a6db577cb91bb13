//! The ecosystem check: the Alembic histories some open-source applications
//! ship inside their PyPI packages, replayed by migsim and by real
//! `alembic upgrade heads` on PostgreSQL, compared by `pg_dump`.
//!
//! Each package is installed at a pinned version (its dependencies from the
//! lock file in `tests/ecosystem/`) into its own virtualenv under
//! `target/ecosystem/` — downloaded at test time, cached between runs,
//! never committed. Then, for each:
//!
//! - PostgreSQL side: a fresh database on the oracle server, `alembic
//!   upgrade heads` online (with the application's driver) through a minimal
//!   `env.py` that sets what the package's `env.py` sets (`target_metadata`,
//!   version table, one transaction per migration or not), then `pg_dump
//!   --schema-only` without the version table, whose rows are compared with
//!   the graph's heads. A history that starts from the application's own
//!   tables (mlflow) gets them made by the application's code in a scratch
//!   database; that dump is applied first, and given to migsim as `--base`.
//! - migsim side: the installed package's own script directory (migsim reads
//!   its `env.py` statically; the package's modules are found through the
//!   package the folder is in) and versions folder, replayed, rendered as
//!   SQL, applied to another fresh database, dumped the same way. Values
//!   only the running application knows are pinned, as `--assume` does.
//!
//! Alembic and SQLAlchemy are the oracle's pinned versions
//! (`scripts/requirements-oracle.txt`), unless the package pins its own
//! (ckan), which then judge it.
//!
//! Each project has an expectation — the exact number of opaque operations,
//! and agreement or the exact number of differing dump lines with the
//! reason — so the test fails when fidelity regresses and when it improves
//! (update the list then). A summary table goes to stdout (`--nocapture`)
//! and to `target/ecosystem/report.md`.
//!
//! Nothing is skipped: without the package index the test fails.
//! `MIGSIM_ECO_RELOCK=1` resolves the dependencies afresh and rewrites the
//! lock files.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use migsim::python::{Assumptions, EvalConfig};
use migsim::replay::alembic::{AlembicOptions, load_history, replay_history};
use migsim::sql::{self, Parsed};

/// What the comparison is expected to show for a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The dumps are the same.
    Agrees { opaque: u32 },
    /// The dumps differ in exactly `lines` lines (`+`/`-` of the unified
    /// diff), for the reason given. No project needs it today; a package
    /// added later may.
    #[allow(dead_code)]
    KnownDiff {
        opaque: u32,
        lines: usize,
        reason: &'static str,
    },
}

impl Expect {
    fn opaque(&self) -> u32 {
        match self {
            Expect::Agrees { opaque } | Expect::KnownDiff { opaque, .. } => *opaque,
        }
    }

    fn lines(&self) -> usize {
        match self {
            Expect::Agrees { .. } => 0,
            Expect::KnownDiff { lines, .. } => *lines,
        }
    }
}

struct Project {
    /// Short name: folders, databases, lock file.
    name: &'static str,
    /// The pinned package, then any other requirement its migrations'
    /// imports need (`pip install` arguments).
    package: &'static str,
    /// The package pins its own Alembic and SQLAlchemy (they judge it);
    /// otherwise the oracle's pins apply.
    own_judges: bool,
    /// The script directory (holding `env.py`) inside site-packages.
    script_dir: &'static str,
    /// The versions folder the application points Alembic at.
    versions: &'static str,
    /// `target_metadata` of the package's `env.py`: (module, expression).
    metadata: Option<(&'static str, &'static str)>,
    /// `transaction_per_migration=True` in the package's `env.py`.
    per_migration: bool,
    /// `version_table=` in the package's `env.py`.
    version_table: &'static str,
    /// The application runs its migrations through asyncpg (as prefect
    /// does; its SQL is written for that driver), else psycopg2.
    asyncpg: bool,
    /// Values migsim cannot know, pinned as a user would with `--assume`
    /// (expression source text, JSON value).
    assume: &'static [(&'static str, &'static str)],
    /// Python run before the upgrade, for a history that starts from the
    /// application's initial tables (`url` is the database URL).
    base: Option<&'static str>,
    expect: Expect,
}

/// mlflow's server package (which the auth history's models are in) imports
/// more than `mlflow-skinny[auth]` brings.
const MLFLOW: &str = "mlflow-skinny[auth]==3.17.2 aiohttp numpy pandas";

const PROJECTS: &[Project] = &[
    Project {
        name: "optuna",
        package: "optuna==5.0.0",
        own_judges: false,
        script_dir: "optuna/storages/_rdb/alembic",
        versions: "optuna/storages/_rdb/alembic/versions",
        metadata: Some(("optuna.storages._rdb.models", "BaseModel.metadata")),
        per_migration: false,
        version_table: "alembic_version",
        asyncpg: false,
        assume: &[],
        base: None,
        expect: Expect::Agrees { opaque: 1 },
    },
    Project {
        name: "mlflow",
        package: MLFLOW,
        own_judges: false,
        script_dir: "mlflow/store/db_migrations",
        versions: "mlflow/store/db_migrations/versions",
        metadata: Some(("mlflow.store.db.base_sql_model", "Base.metadata")),
        per_migration: false,
        version_table: "alembic_version",
        asyncpg: false,
        // The run statuses come from protobuf descriptors (serialized
        // bytes in `mlflow/protos/service_pb2.py`).
        assume: &[
            ("RunStatus.to_string(RunStatus.SCHEDULED)", "\"SCHEDULED\""),
            ("RunStatus.to_string(RunStatus.FAILED)", "\"FAILED\""),
            ("RunStatus.to_string(RunStatus.FINISHED)", "\"FINISHED\""),
            ("RunStatus.to_string(RunStatus.RUNNING)", "\"RUNNING\""),
            ("RunStatus.to_string(RunStatus.KILLED)", "\"KILLED\""),
        ],
        // mlflow creates its initial tables with SQLAlchemy, then upgrades
        // (`mlflow.store.db.utils._initialize_tables`).
        base: Some(
            "from mlflow.store.tracking.dbmodels.initial_models import Base\n\
             Base.metadata.create_all(sa.create_engine(url))\n",
        ),
        expect: Expect::Agrees { opaque: 5 },
    },
    Project {
        name: "mlflow-auth",
        package: MLFLOW,
        own_judges: false,
        script_dir: "mlflow/server/auth/db/migrations",
        versions: "mlflow/server/auth/db/migrations/versions",
        metadata: Some(("mlflow.server.auth.db.models", "Base.metadata")),
        per_migration: false,
        version_table: "alembic_version_auth",
        asyncpg: false,
        assume: &[],
        base: None,
        expect: Expect::Agrees { opaque: 0 },
    },
    Project {
        name: "prefect",
        package: "prefect==3.8.8",
        own_judges: false,
        script_dir: "prefect/server/database/_migrations",
        versions: "prefect/server/database/_migrations/versions/postgresql",
        metadata: Some(("prefect.server.database.orm_models", "Base.metadata")),
        per_migration: true,
        version_table: "alembic_version",
        asyncpg: true,
        assume: &[],
        base: None,
        expect: Expect::Agrees { opaque: 17 },
    },
    Project {
        name: "ckan",
        package: "ckan[requirements]==2.11.3",
        // SQLAlchemy 1.4.52 and Alembic 1.13.2, from ckan's requirements.
        own_judges: true,
        script_dir: "ckan/migration",
        versions: "ckan/migration/versions",
        // `ckan.model.meta.metadata` is a plain MetaData().
        metadata: None,
        per_migration: false,
        version_table: "alembic_version",
        asyncpg: false,
        assume: &[],
        base: None,
        expect: Expect::Agrees { opaque: 1 },
    },
];

/// The judges' own pins (`scripts/requirements-oracle.txt`) for the
/// packages every venv needs.
fn oracle_pins() -> Vec<String> {
    let text = common::read(&common::repo_root().join("scripts/requirements-oracle.txt"));
    text.lines()
        .map(str::trim)
        .filter(|l| {
            let name = l.split("==").next().unwrap_or("").to_ascii_lowercase();
            matches!(name.as_str(), "alembic" | "sqlalchemy" | "psycopg2-binary")
        })
        .map(str::to_string)
        .collect()
}

fn eco_dir() -> PathBuf {
    common::repo_root().join("target/ecosystem")
}

fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The environment of one package: a venv with it installed.
struct Env {
    venv: PathBuf,
    site: PathBuf,
}

impl Env {
    fn bin(&self, name: &str) -> PathBuf {
        self.venv.join("bin").join(name)
    }
}

/// `mlflow-skinny[auth]==3.17.2` → `mlflow-skinny`.
fn dist_name(package: &str) -> &str {
    package.split(['[', '=']).next().unwrap_or(package)
}

fn lock_path(package: &str) -> PathBuf {
    common::repo_root()
        .join("tests/ecosystem")
        .join(format!("{}.lock", dist_name(package)))
}

/// Creates (or reuses) the venv for `package`: the lock file's exact
/// versions, installed without resolving; with `MIGSIM_ECO_RELOCK` (or no
/// lock file yet), resolved against the oracle's pins and the lock written.
/// `own_judges`: the package pins its own Alembic and SQLAlchemy, which
/// then judge it (instead of the oracle's pins).
fn prepare(package: &str, own_judges: bool) -> Result<Env, String> {
    let dir = eco_dir().join(dist_name(package));
    let venv = dir.join("venv");
    let lock = lock_path(package);
    let relock = std::env::var_os("MIGSIM_ECO_RELOCK").is_some() || !lock.is_file();
    let pins = if own_judges {
        Vec::new()
    } else {
        oracle_pins()
    };
    let want = if relock {
        format!("resolve {package} {pins:?}")
    } else {
        common::read(&lock)
    };
    let stamp = dir.join("installed");
    let ready = !relock && std::fs::read_to_string(&stamp).is_ok_and(|s| s == want);
    if !ready {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        )?;
        let pip = venv.join("bin/pip");
        if relock {
            let constraints = dir.join("pins.txt");
            std::fs::write(&constraints, pins.join("\n") + "\n").map_err(|e| e.to_string())?;
            run(
                Command::new(&pip)
                    .args(["install", "-q", "-c"])
                    .arg(&constraints)
                    .args(package.split_whitespace())
                    .args(&pins),
                &format!("pip install {package}"),
            )?;
            let frozen = run(
                Command::new(&pip).args(["freeze", "--exclude-editable"]),
                "pip freeze",
            )?;
            let text = format!(
                "# {package} and its dependencies for tests/ecosystem.rs (pip freeze).\n\
                 # Regenerate: MIGSIM_ECO_RELOCK=1 cargo test --test ecosystem\n{frozen}"
            );
            std::fs::create_dir_all(lock.parent().unwrap_or(Path::new(".")))
                .map_err(|e| e.to_string())?;
            std::fs::write(&lock, &text).map_err(|e| e.to_string())?;
        } else {
            run(
                Command::new(&pip)
                    .args(["install", "-q", "--no-deps", "-r"])
                    .arg(&lock),
                &format!("pip install {package} (from {})", lock.display()),
            )?;
        }
        let installed = if relock { common::read(&lock) } else { want };
        std::fs::write(&stamp, installed).map_err(|e| e.to_string())?;
    }
    let lib = venv.join("lib");
    let site = std::fs::read_dir(&lib)
        .map_err(|e| format!("{}: {e}", lib.display()))?
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.is_dir())
        .ok_or_else(|| format!("no site-packages under {}", lib.display()))?;
    Ok(Env { venv, site })
}

/// What one project gave.
struct Outcome {
    project: &'static Project,
    revisions: usize,
    applied: usize,
    operations: u32,
    simulated: u32,
    opaque: u32,
    statements: usize,
    /// `+`/`-` lines of the dump diff.
    diff_lines: usize,
    diff: String,
    /// migsim stopped (PostgreSQL would fail) or could not read the input.
    migsim_problem: Option<String>,
    versions_match: bool,
    seconds: f64,
}

fn url(db: &str, asyncpg: bool) -> String {
    let o = common::oracle();
    let driver = if asyncpg { "asyncpg" } else { "psycopg2" };
    format!("postgresql+{driver}://postgres@{}:{}/{db}", o.host, o.port)
}

/// `pg_dump --schema-only` as it is (for migsim's `--base`).
fn raw_dump(db: &str) -> Result<String, String> {
    let o = common::oracle();
    run(
        Command::new(o.bindir.join("pg_dump"))
            .args(["--schema-only", "--no-owner", "--no-privileges"])
            .args([
                "-h",
                &o.host,
                "-p",
                &o.port.to_string(),
                "-U",
                "postgres",
                db,
            ]),
        "pg_dump",
    )
}

/// The schema without the version table, normalised for comparison.
fn schema_dump(db: &str, version_table: &str) -> Result<String, String> {
    let o = common::oracle();
    let text = run(
        Command::new(o.bindir.join("pg_dump"))
            .args([
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--no-comments",
            ])
            .arg(format!("--exclude-table=*.{version_table}"))
            .args([
                "-h",
                &o.host,
                "-p",
                &o.port.to_string(),
                "-U",
                "postgres",
                db,
            ]),
        "pg_dump",
    )?;
    Ok(common::normalize_dump(&text))
}

fn version_rows(db: &str, version_table: &str) -> Vec<String> {
    let mut c = common::oracle().client(db);
    let mut rows: Vec<String> = c
        .query(&format!("SELECT version_num FROM \"{version_table}\""), &[])
        .map(|rows| rows.iter().map(|r| r.get::<_, String>(0)).collect())
        .unwrap_or_default();
    rows.sort();
    rows
}

fn apply_one_by_one(c: &mut postgres::Client, script: &str) -> Result<(), String> {
    for p in sql::parse_script(script) {
        if let Parsed::Statement(st) = p {
            let text = &script[st.span.start as usize..st.span.end as usize];
            c.batch_execute(text)
                .map_err(|e| format!("{}\nin: {text}", common::db_message(&e)))?;
        }
    }
    Ok(())
}

/// The real side's script directory: our `env.py`, the package's versions.
fn write_real_config(dir: &Path, p: &Project, env: &Env) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let (import, metadata) = match p.metadata {
        Some((module, expr)) => (format!("import {module}\n"), format!("{module}.{expr}")),
        None => (String::new(), "None".to_string()),
    };
    let configure = format!(
        "def run(connection):\n\
         \x20   context.configure(\n\
         \x20       connection=connection,\n\
         \x20       target_metadata=target_metadata,\n\
         \x20       transaction_per_migration={},\n\
         \x20       version_table='{}',\n\
         \x20   )\n\
         \x20   with context.begin_transaction():\n\
         \x20       context.run_migrations()\n",
        if p.per_migration { "True" } else { "False" },
        p.version_table
    );
    let connect = if p.asyncpg {
        "import asyncio\n\
         from sqlalchemy.ext.asyncio import create_async_engine\n\
         async def main():\n\
         \x20   engine = create_async_engine(os.environ['MIGSIM_ECO_URL'], poolclass=pool.NullPool)\n\
         \x20   async with engine.connect() as connection:\n\
         \x20       await connection.run_sync(run)\n\
         \x20   await engine.dispose()\n\
         asyncio.run(main())\n"
    } else {
        "engine = create_engine(os.environ['MIGSIM_ECO_URL'], poolclass=pool.NullPool)\n\
         with engine.connect() as connection:\n\
         \x20   run(connection)\n"
    };
    let env_py = format!(
        "# Online upgrade as the application runs it, for tests/ecosystem.rs.\n\
         import os\n\
         from alembic import context\n\
         from sqlalchemy import create_engine, pool\n\
         {import}\
         target_metadata = {metadata}\n\
         if context.is_offline_mode():\n\
         \x20   raise SystemExit('online only')\n\
         {configure}{connect}"
    );
    std::fs::write(dir.join("env.py"), env_py).map_err(|e| e.to_string())?;
    let ini = dir.join("alembic.ini");
    std::fs::write(
        &ini,
        format!(
            "[alembic]\nscript_location = {}\nversion_locations = {}\npath_separator = os\n",
            dir.display(),
            env.site.join(p.versions).display()
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(ini)
}

/// migsim's input: the package's own script directory and versions folder,
/// as the application configures Alembic in code.
fn write_migsim_config(dir: &Path, p: &Project, env: &Env) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let ini = dir.join("alembic.ini");
    std::fs::write(
        &ini,
        format!(
            "[alembic]\nscript_location = {}\nversion_locations = {}\npath_separator = os\n",
            env.site.join(p.script_dir).display(),
            env.site.join(p.versions).display()
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(ini)
}

fn check(p: &'static Project, env: &Env) -> Result<Outcome, String> {
    let start = Instant::now();
    let work = eco_dir().join("runs").join(p.name);
    let _ = std::fs::remove_dir_all(&work);
    let oracle = common::oracle();
    let db_a = format!("migsim_eco_{}_a", p.name.replace('-', "_"));
    let db_b = format!("migsim_eco_{}_b", p.name.replace('-', "_"));

    // PostgreSQL side. A base schema is made by the application's code in
    // a database of its own and dumped; both sides start from that dump
    // (restoring a dump is not always a fixed point: a CHECK made from an
    // IN list reads back differently), as tests/alembic_samples.rs does.
    let mut base_sql = None;
    if let Some(code) = p.base {
        let db_base = format!("migsim_eco_{}_base", p.name.replace('-', "_"));
        drop(oracle.fresh_db(&db_base));
        let script = format!(
            "import os\nimport sqlalchemy as sa\nurl = os.environ['MIGSIM_ECO_URL']\n{code}"
        );
        run(
            Command::new(env.bin("python"))
                .args(["-c", &script])
                .env("MIGSIM_ECO_URL", url(&db_base, false)),
            &format!("{}: base schema", p.name),
        )?;
        let dump = raw_dump(&db_base)?;
        oracle.drop_db(&db_base);
        let path = work.join("base-schema.sql");
        std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
        std::fs::write(&path, &dump).map_err(|e| e.to_string())?;
        base_sql = Some((path, dump));
    }
    let mut a = oracle.fresh_db(&db_a);
    if let Some((_, dump)) = &base_sql {
        // Its own session; psql meta-commands are psql's, not the server's.
        let script: String = dump
            .lines()
            .filter(|l| !l.starts_with('\\'))
            .map(|l| format!("{l}\n"))
            .collect();
        a.batch_execute(&script).map_err(|e| {
            format!(
                "{}: the base schema does not apply: {}",
                p.name,
                common::db_message(&e)
            )
        })?;
    }
    drop(a);
    let real_ini = write_real_config(&work.join("real"), p, env)?;
    run(
        Command::new(env.bin("alembic"))
            .arg("-c")
            .arg(&real_ini)
            .args(["upgrade", "heads"])
            .current_dir(&work)
            .env("MIGSIM_ECO_URL", url(&db_a, p.asyncpg)),
        &format!("{}: alembic upgrade heads", p.name),
    )?;
    let theirs = schema_dump(&db_a, p.version_table)?;
    let their_versions = version_rows(&db_a, p.version_table);
    oracle.drop_db(&db_a);

    // migsim side.
    let ini = write_migsim_config(&work.join("migsim"), p, env)?;
    let history =
        load_history(&ini).map_err(|d| format!("{}: migsim cannot load it: {d:?}", p.name))?;
    let base = match &base_sql {
        Some((path, _)) => Some(
            migsim::replay::sql_files::read_source(path, "base-schema.sql")
                .map_err(|d| format!("{}: base schema: {d:?}", p.name))?,
        ),
        None => None,
    };
    let mut pins = serde_json::Map::new();
    for (expr, value) in p.assume {
        let v: serde_json::Value =
            serde_json::from_str(value).map_err(|e| format!("{}: pin {expr}: {e}", p.name))?;
        pins.insert((*expr).to_string(), v);
    }
    let eval = EvalConfig {
        assumptions: Assumptions::from_json(&pins),
        ..EvalConfig::default()
    };
    let opts = AlembicOptions {
        base,
        eval,
        ..AlembicOptions::default()
    };
    let replay = replay_history(&history, &opts);
    let mut migsim_problem = None;
    if let Some(stop) = &replay.replayer.stop {
        migsim_problem = Some(format!("stopped: {}", stop.diagnostic));
    } else if replay.alembic_failed {
        let why: Vec<String> = replay
            .diagnostics
            .iter()
            .filter(|d| d.severity >= migsim::report::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        migsim_problem = Some(format!("Alembic would fail: {}", why.join("; ")));
    } else if !replay.replayer.input_errors.is_empty() {
        migsim_problem = Some(format!("input errors: {:?}", replay.replayer.input_errors));
    }
    let mut heads: Vec<String> = history
        .graph
        .heads()
        .into_iter()
        .map(str::to_string)
        .collect();
    heads.sort();
    let ours_sql = replay.replayer.catalog.to_sql();
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let _ = std::fs::write(work.join("migsim-schema.sql"), &ours_sql);
    let mut b = oracle.fresh_db(&db_b);
    let ours = match apply_one_by_one(&mut b, &ours_sql) {
        Ok(()) => {
            drop(b);
            schema_dump(&db_b, p.version_table)?
        }
        Err(e) => {
            drop(b);
            migsim_problem.get_or_insert(format!("migsim's schema does not apply: {e}"));
            String::new()
        }
    };
    oracle.drop_db(&db_b);

    let mut diff = String::new();
    let mut diff_lines = 0;
    if theirs != ours {
        let d = similar::TextDiff::from_lines(&theirs, &ours);
        diff = d
            .unified_diff()
            .context_radius(2)
            .header("alembic+postgresql", "migsim")
            .to_string();
        diff_lines = diff
            .lines()
            .filter(|l| {
                (l.starts_with('+') && !l.starts_with("+++"))
                    || (l.starts_with('-') && !l.starts_with("---"))
            })
            .count();
    }
    let _ = std::fs::write(work.join("alembic.dump"), &theirs);
    let _ = std::fs::write(work.join("migsim.dump"), &ours);
    Ok(Outcome {
        project: p,
        revisions: replay.revisions,
        applied: replay.applied.len(),
        operations: replay.coverage.operations,
        simulated: replay.coverage.simulated,
        opaque: replay.coverage.opaque,
        statements: replay.replayer.stats.statements,
        diff_lines,
        diff,
        migsim_problem,
        versions_match: replay.applied.len() == replay.revisions && their_versions == heads,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// How many diff lines the report shows per project.
const DIFF_SHOWN: usize = 60;

fn report(outcomes: &[Outcome], setup_seconds: f64) -> String {
    let mut r = String::new();
    let _ = writeln!(
        r,
        "# migsim ecosystem check\n\nAlembic histories shipped in PyPI packages: migsim's replay against real \
         `alembic upgrade heads` on PostgreSQL (`pg_dump --schema-only`, version table compared apart).\n"
    );
    let _ = writeln!(
        r,
        "| project | package | revisions | Python operations simulated / total (opaque) | SQL statements | version rows | dumps | expected |"
    );
    let _ = writeln!(r, "|---|---|---|---|---|---|---|---|");
    for o in outcomes {
        let dumps = if o.diff_lines == 0 && o.migsim_problem.is_none() {
            "agree".to_string()
        } else {
            format!("differ ({} lines)", o.diff_lines)
        };
        let expected = match o.project.expect {
            Expect::Agrees { .. } => "agree".to_string(),
            Expect::KnownDiff { lines, reason, .. } => format!("{lines} lines: {reason}"),
        };
        let _ = writeln!(
            r,
            "| {} | {} | {} of {} | {} / {} ({}) | {} | {} | {} | {} |",
            o.project.name,
            o.project.package,
            o.applied,
            o.revisions,
            o.simulated,
            o.operations,
            o.opaque,
            o.statements,
            if o.versions_match { "heads" } else { "differ" },
            dumps,
            expected
        );
    }
    let _ = writeln!(
        r,
        "\nSetup (venvs) {setup_seconds:.1} s; checks {:.1} s.",
        outcomes.iter().map(|o| o.seconds).sum::<f64>()
    );
    for o in outcomes {
        if o.diff_lines == 0 && o.migsim_problem.is_none() {
            continue;
        }
        let _ = writeln!(r, "\n## {}\n", o.project.name);
        if let Some(m) = &o.migsim_problem {
            let _ = writeln!(r, "migsim: {m}\n");
        }
        if !o.diff.is_empty() {
            let shown: Vec<&str> = o.diff.lines().take(DIFF_SHOWN).collect();
            let more = o.diff.lines().count().saturating_sub(DIFF_SHOWN);
            let _ = writeln!(r, "```diff\n{}\n```", shown.join("\n"));
            if more > 0 {
                let _ = writeln!(r, "({more} more lines)");
            }
        }
    }
    r
}

#[test]
fn ecosystem_histories_match_alembic_and_postgresql() {
    let dir = eco_dir();
    std::fs::create_dir_all(&dir).expect("target/ecosystem");
    // One run at a time: the venvs and databases are shared.
    let lock = std::fs::File::create(dir.join(".lock")).expect("lock file");
    lock.lock().expect("lock target/ecosystem");
    // Start the oracle server first (the venvs take a while).
    common::oracle();

    let setup = Instant::now();
    let mut packages: Vec<(&str, bool)> =
        PROJECTS.iter().map(|p| (p.package, p.own_judges)).collect();
    packages.sort_unstable();
    packages.dedup();
    let envs: Vec<(&str, Result<Env, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = packages
            .iter()
            .map(|&(pkg, own)| (pkg, s.spawn(move || prepare(pkg, own))))
            .collect();
        handles
            .into_iter()
            .map(|(pkg, h)| {
                (
                    pkg,
                    h.join()
                        .unwrap_or_else(|_| Err(format!("{pkg}: setup panicked"))),
                )
            })
            .collect()
    });
    let setup_seconds = setup.elapsed().as_secs_f64();
    let mut failures = Vec::new();
    for (pkg, e) in &envs {
        if let Err(e) = e {
            failures.push(format!("{pkg}: cannot install: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    let mut outcomes = Vec::new();
    for p in PROJECTS {
        let Some((_, Ok(env))) = envs.iter().find(|(pkg, _)| *pkg == p.package) else {
            continue;
        };
        match check(p, env) {
            Ok(o) => outcomes.push(o),
            Err(e) => failures.push(format!("{}: {e}", p.name)),
        }
    }
    let text = report(&outcomes, setup_seconds);
    println!("{text}");
    let _ = std::fs::write(dir.join("report.md"), &text);

    for o in &outcomes {
        let e = o.project.expect;
        let agrees = o.diff_lines == 0 && o.migsim_problem.is_none();
        let mut wrong = Vec::new();
        if o.opaque != e.opaque() {
            wrong.push(format!(
                "{} opaque operations, expected {}",
                o.opaque,
                e.opaque()
            ));
        }
        if o.diff_lines != e.lines() {
            wrong.push(format!(
                "{} differing dump lines, expected {}",
                o.diff_lines,
                e.lines()
            ));
        }
        if matches!(e, Expect::Agrees { .. }) && !agrees {
            wrong.push(format!(
                "expected to agree: {}",
                o.migsim_problem.as_deref().unwrap_or("the dumps differ")
            ));
        }
        if agrees && !o.versions_match {
            wrong.push("the version rows are not the graph's heads".into());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {} (update the expectation in tests/ecosystem.rs if this is an improvement)\n{}",
                o.project.name,
                wrong.join("; "),
                o.diff.lines().take(DIFF_SHOWN).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
