//! End-to-end: the `shop` fixture project (an application package with a
//! GUID TypeDecorator, a UserDefinedType, Python enums and migration
//! helpers) read by the static evaluator and run through the revision
//! runner.
//!
//! - `migrations/versions`: rendered by real Alembic (`upgrade head --sql`,
//!   `downgrade 0005:base --sql`) and by migsim in offline mode; the
//!   statements must be the same (compared through pg_query).
//! - `migrations_online`: migrations that inspect the database, read
//!   settings, query rows or use an ORM session; checked against a fake
//!   schema, since Alembic cannot render them offline.

use std::path::{Path, PathBuf};
use std::process::Command;

use migsim::alembic::ops::{NamingConvention, RunMemo};
use migsim::alembic::run::testing::{FakeSchema, FakeSink};
use migsim::alembic::run::{Direction, RunContext, RunOutcome, run_migration};
use migsim::python::{EvalConfig, ParsedModule, ProjectModules, Value, read_python_file};

fn shop() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python/shop")
}

fn python_bin(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(name);
    assert!(
        p.exists(),
        "the Alembic oracle needs the Python venv at .venv (missing: {}); create it from scripts/requirements-oracle.txt",
        p.display()
    );
    p
}

fn load_dir(dir: &Path) -> Vec<ParsedModule> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p
                .strip_prefix(shop())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            read_python_file(&name, p)
        })
        .collect()
}

/// One statement as pg_query deparses it (formatting and comments do not
/// count), or the text with whitespace collapsed if it does not parse.
fn normalise(sql: &str) -> String {
    let sql = sql.trim().trim_end_matches(';');
    match pg_query::parse(sql, 0).and_then(|p| p.deparse(Default::default())) {
        Ok(s) => s,
        Err(_) => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Alembic's offline output, without the version table bookkeeping and the
/// transaction around the whole run.
fn alembic_sql(args: &[&str]) -> Vec<String> {
    let out = Command::new(python_bin("alembic"))
        .args(["-c", "alembic.ini"])
        .args(args)
        .current_dir(shop())
        .output()
        .expect("running alembic");
    assert!(
        out.status.success(),
        "alembic failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut stmts: Vec<String> = pg_query::split_with_parser(&text)
        .expect("alembic output splits")
        .into_iter()
        .map(normalise)
        .filter(|s| !s.contains("alembic_version"))
        .collect();
    assert_eq!(stmts.first().map(String::as_str), Some("BEGIN"));
    assert_eq!(stmts.last().map(String::as_str), Some("COMMIT"));
    stmts.remove(0);
    stmts.pop();
    stmts
}

struct Replay {
    sink: FakeSink,
    outcomes: Vec<RunOutcome>,
}

fn migsim_run(
    modules: &[&ParsedModule],
    direction: Direction,
    offline: bool,
    schema: FakeSchema,
    eval: &EvalConfig,
) -> Replay {
    let project = ProjectModules::new(vec![shop()]);
    project.preload(modules);
    let naming = NamingConvention::default();
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval,
        project: Some(&project),
        offline,
        naming_convention: &naming,
        literal_binds: offline,
        memo: &memo,
    };
    let mut sink = FakeSink::new(schema);
    let outcomes = modules
        .iter()
        .map(|m| run_migration(m, direction, &ctx, &mut sink))
        .collect();
    Replay { sink, outcomes }
}

#[test]
fn offline_upgrade_matches_alembic() {
    let versions = load_dir(&shop().join("migrations/versions"));
    let refs: Vec<&ParsedModule> = versions.iter().collect();
    let r = migsim_run(
        &refs,
        Direction::Upgrade,
        true,
        FakeSchema::new(),
        &EvalConfig::default(),
    );
    for (m, o) in versions.iter().zip(&r.outcomes) {
        assert!(
            o.diagnostics.is_empty(),
            "{}: {:?}",
            m.file.name,
            o.diagnostics
        );
        assert!(o.opaque.is_empty(), "{}: {:?}", m.file.name, o.opaque);
        assert_eq!(o.ops_total, o.ops_simulated, "{}", m.file.name);
    }
    let ours: Vec<String> = r.sink.steps.iter().map(|s| normalise(&s.sql)).collect();
    let theirs = alembic_sql(&["upgrade", "head", "--sql"]);
    assert_eq!(ours, theirs);
    // Coverage: every operation reached was simulated.
    let total: u32 = r.outcomes.iter().map(|o| o.ops_total).sum();
    assert_eq!(total, 6 + 5 + 3 + 3 + 4);
}

#[test]
fn offline_downgrade_matches_alembic() {
    let mut versions = load_dir(&shop().join("migrations/versions"));
    versions.reverse();
    let refs: Vec<&ParsedModule> = versions.iter().collect();
    let r = migsim_run(
        &refs,
        Direction::Downgrade,
        true,
        FakeSchema::new(),
        &EvalConfig::default(),
    );
    for (m, o) in versions.iter().zip(&r.outcomes) {
        assert!(
            o.diagnostics.is_empty(),
            "{}: {:?}",
            m.file.name,
            o.diagnostics
        );
    }
    let ours: Vec<String> = r.sink.steps.iter().map(|s| normalise(&s.sql)).collect();
    let theirs = alembic_sql(&["downgrade", "0005:base", "--sql"]);
    assert_eq!(ours, theirs);
}

#[test]
fn online_replay_takes_the_branches_postgresql_would() {
    let versions = load_dir(&shop().join("migrations/versions"));
    let online = load_dir(&shop().join("migrations_online"));
    let all: Vec<&ParsedModule> = versions.iter().chain(online.iter()).collect();
    let r = migsim_run(
        &all,
        Direction::Upgrade,
        false,
        FakeSchema::new(),
        &EvalConfig::default(),
    );
    let sql = r.sink.sql();
    // 0003 online takes the non-offline branch.
    assert!(sql.contains(&"UPDATE users SET display_name = email WHERE display_name IS NULL"));
    assert!(!sql.iter().any(|s| s.contains("rendered offline")));
    // 0101 found nothing and created everything (the fake schema follows
    // the CREATE TABLE / ADD COLUMN statements sent before).
    let i101 = versions.len();
    let o = &r.outcomes[i101];
    assert!(o.opaque.is_empty(), "{:?}", o.opaque);
    assert_eq!((o.ops_total, o.ops_simulated), (4, 4));
    assert!(sql.iter().any(|s| s.starts_with("CREATE TABLE audit_log")));
    assert!(sql.contains(&"CREATE INDEX ix_users_archived ON users (archived)"));
    // 0102: the settings flag is read from the environment: opaque.
    let o = &r.outcomes[i101 + 1];
    assert_eq!(o.opaque.len(), 1, "{:?}", o.opaque);
    assert_eq!(o.opaque[0].hidden_ops, 2);
    assert_eq!(
        o.opaque[0].loc.to_string(),
        "migrations_online/0102_settings_dependent.py:20:5"
    );
    assert!(
        o.opaque[0].reason.contains("settings.use_search"),
        "{}",
        o.opaque[0].reason
    );
    assert!(
        o.opaque[0].reason.contains("os.environ.get"),
        "{}",
        o.opaque[0].reason
    );
    assert_eq!((o.ops_total, o.ops_simulated, o.ops_opaque), (3, 1, 2));
    // 0103: the SELECT runs; the loop over its rows and the ORM session
    // are opaque.
    let o = &r.outcomes[i101 + 2];
    assert!(sql.contains(&"SELECT id FROM orders WHERE status = 'paid'"));
    assert_eq!(o.opaque.len(), 2, "{:?}", o.opaque);
    assert!(o.opaque[0].reason.starts_with("loop over"));
    assert_eq!(o.opaque[1].hidden_ops, 0);
    assert!(o.opaque[1].reason.starts_with("ORM session (data step)"));
    // 0104: the missing legacy table raises NoSuchTableError, caught.
    let o = &r.outcomes[i101 + 3];
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    assert_eq!(
        sql.last(),
        Some(&"ALTER TABLE orders DROP CONSTRAINT ck_orders_amount_positive")
    );
}

#[test]
fn existing_objects_are_not_created_again() {
    let online = load_dir(&shop().join("migrations_online"));
    let schema = FakeSchema::new()
        .with_table("users", &[("id", "uuid"), ("archived", "boolean")])
        .with_table("audit_log", &[("id", "bigint")])
        .with_index("users", "ix_users_archived", &["archived"], false)
        .with_enum("audit_kind", &["create", "delete"]);
    let r = migsim_run(
        &[&online[0]],
        Direction::Upgrade,
        false,
        schema,
        &EvalConfig::default(),
    );
    assert!(r.sink.steps.is_empty(), "{:?}", r.sink.sql());
    assert_eq!(r.outcomes[0].ops_total, 0);
}

#[test]
fn a_pin_settles_the_settings_flag() {
    let online = load_dir(&shop().join("migrations_online"));
    let mut eval = EvalConfig::default();
    eval.assumptions
        .insert("settings.use_search", Value::Bool(false));
    let r = migsim_run(
        &[&online[1]],
        Direction::Upgrade,
        false,
        FakeSchema::new(),
        &eval,
    );
    assert_eq!(
        r.sink.sql(),
        vec!["CREATE INDEX ix_orders_created_at ON orders (created_at)"]
    );
    assert!(r.outcomes[0].opaque.is_empty());
    assert_eq!(r.outcomes[0].pins_used, vec!["settings.use_search"]);
}

#[test]
fn irreversible_downgrade_is_an_error_at_the_raise() {
    let online = load_dir(&shop().join("migrations_online"));
    let r = migsim_run(
        &[&online[3]],
        Direction::Downgrade,
        false,
        FakeSchema::new(),
        &EvalConfig::default(),
    );
    let o = &r.outcomes[0];
    assert!(o.failed);
    assert_eq!(
        o.diagnostics[0].to_string(),
        "migrations_online/0104_guarded.py:29:5: error[alembic::raises]: downgrade() raises NotImplementedError: 0104 cannot be reverted: the legacy table is gone"
    );
}
