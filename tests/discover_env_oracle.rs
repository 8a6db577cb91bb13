//! `env.py` read statically, held to what real Alembic does with it: the
//! version table (name and schema) and the transaction layout of its
//! offline `upgrade heads --sql` output follow the `context.configure(...)`
//! options migsim reads for offline mode. Also `alembic -n SECTION`.

mod graph_common;

use std::fs;

use graph_common::{FixtureRev, revision_file, run_alembic};
use migsim::alembic::discover::{discover, discover_section};
use migsim::alembic::env::{Mode, Setting};
use migsim::alembic::graph::render_heads;
use migsim::alembic::history::History;

fn env_py(configure_extra: &str) -> String {
    format!(
        r#"from alembic import context
import os

config = context.config
target_metadata = None
SCHEMA = os.environ.get("NO_SUCH_VARIABLE_FOR_MIGSIM", "meta")


def run_migrations_offline() -> None:
    context.configure(
        url="postgresql://oracle@localhost/oracle",
        target_metadata=target_metadata,
        literal_binds=True,
        {configure_extra}
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    raise SystemExit("offline only")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"#
    )
}

fn project(env: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("mig/versions")).unwrap();
    fs::write(
        root.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s/mig\npath_separator = os\n",
    )
    .unwrap();
    fs::write(root.join("mig/env.py"), env).unwrap();
    for (i, (id, down)) in [("a1", None), ("b2", Some("a1")), ("c3", Some("b2"))]
        .iter()
        .enumerate()
    {
        let r = FixtureRev {
            id: id.to_string(),
            down: down.iter().map(|d| d.to_string()).collect(),
            doc: format!("step {i}"),
            ..Default::default()
        };
        fs::write(
            root.join(format!("mig/versions/{id}.py")),
            revision_file(&r),
        )
        .unwrap();
    }
    dir
}

#[test]
fn offline_settings_match_alembics_output() {
    let cases = [
        ("", "alembic_version", 1),
        (r#"version_table="schema_history","#, "schema_history", 1),
        (
            r#"version_table="v", version_table_schema="meta","#,
            "meta.v",
            1,
        ),
        ("transaction_per_migration=True,", "alembic_version", 3),
        (
            r#"version_table_schema=None, transaction_per_migration=False,"#,
            "alembic_version",
            1,
        ),
    ];
    for (extra, table, begins) in cases {
        let dir = project(&env_py(extra));
        let cfg = dir.path().join("alembic.ini");
        let h = History::load(discover(&cfg).unwrap());
        let env = h.read_env().unwrap().unwrap();
        let s = env.settings(Mode::Offline);
        let predicted_table = match (
            s.version_table_schema.known().unwrap(),
            s.version_table.known().unwrap(),
        ) {
            (Some(schema), t) => format!("{schema}.{t}"),
            (None, t) => t,
        };
        let predicted_begins = if s.transaction_per_migration.known().unwrap() {
            3
        } else {
            1
        };
        let out = run_alembic(
            dir.path(),
            &[vec![
                "-c".into(),
                cfg.to_string_lossy().into_owned(),
                "upgrade".into(),
                "heads".into(),
                "--sql".into(),
            ]],
            0,
        );
        assert!(out[0].error.is_none(), "{extra}: {:?}", out[0]);
        let sql = &out[0].stdout;
        assert!(
            sql.contains(&format!("CREATE TABLE {table} (")),
            "{extra}:\n{sql}"
        );
        assert_eq!(sql.matches("BEGIN;").count(), begins, "{extra}:\n{sql}");
        assert_eq!(predicted_table, table, "{extra}");
        assert_eq!(predicted_begins, begins, "{extra}");
    }
}

#[test]
fn options_that_need_running_code_are_unknown() {
    let dir = project(&env_py("version_table_schema=SCHEMA,"));
    let h = History::load(discover(&dir.path().join("alembic.ini")).unwrap());
    let env = h.read_env().unwrap().unwrap();
    match env.settings(Mode::Offline).version_table_schema {
        Setting::Unknown { expr, loc } => {
            assert_eq!(expr, "SCHEMA");
            assert!(loc.to_string().ends_with("env.py:14:9"), "{loc}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn other_ini_section_like_alembic_n() {
    let dir = project(&env_py(""));
    let cfg = dir.path().join("alembic.ini");
    fs::write(&cfg, "[alembic]\nscript_location = %(here)s/nowhere\n\n[second]\nscript_location = %(here)s/mig\npath_separator = os\n").unwrap();
    assert!(discover(&cfg).is_err());
    let h = History::load(discover_section(&cfg, "second").unwrap());
    let out = run_alembic(
        dir.path(),
        &[vec![
            "-c".into(),
            cfg.to_string_lossy().into_owned(),
            "-n".into(),
            "second".into(),
            "heads".into(),
        ]],
        0,
    );
    assert_eq!(render_heads(&h.graph, false), out[0].stdout);
}
