//! Runs every scenario in `scenarios/*.yaml` (see scenarios/README.md).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use migsim::catalog::{Catalog, QualName, RelBody};
use migsim::replay::alembic::{AlembicOptions, load_history, replay_history};
use migsim::replay::sql_files::{collect_sql_files, replay_paths};
use migsim::replay::{Replayer, SqlOrigin};
use migsim::source::SourceFile;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    sql: Option<String>,
    #[serde(default)]
    migrations: Option<String>,
    expect: Expect,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: Option<u8>,
    stop: Option<Stop>,
    #[serde(default)]
    tables: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    opaque: Option<usize>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Stop {
    sqlstate: String,
    at: Option<String>,
    message: Option<String>,
}

struct Outcome {
    replayer: Replayer,
    exit: u8,
    opaque: usize,
}

fn run(dir: &Path, s: &Scenario) -> Outcome {
    if let Some(sql) = &s.sql {
        let file = SourceFile::virtual_file("scenario.sql", sql.clone());
        let mut r = Replayer::default();
        r.run_sql(sql, SqlOrigin::File(&file));
        let exit = if !r.input_errors.is_empty() {
            2
        } else if r.stop.is_some() {
            1
        } else {
            0
        };
        let opaque = r.stats.opaque;
        return Outcome {
            replayer: r,
            exit,
            opaque,
        };
    }
    let path: PathBuf = dir.join(s.migrations.as_deref().expect("sql or migrations"));
    if path.join("alembic.ini").exists() {
        let history = load_history(&path).expect("project loads");
        let result = replay_history(&history, &AlembicOptions::default());
        let exit = if result.unusable() {
            2
        } else if result.failed() {
            1
        } else {
            0
        };
        let opaque = result.coverage.opaque as usize + result.replayer.stats.opaque;
        Outcome {
            replayer: result.replayer,
            exit,
            opaque,
        }
    } else {
        let files = collect_sql_files(&path).expect("sql files");
        let r = replay_paths(&files, &path, Replayer::default()).replayer;
        let exit = if !r.input_errors.is_empty() {
            2
        } else if r.stop.is_some() {
            1
        } else {
            0
        };
        let opaque = r.stats.opaque;
        Outcome {
            replayer: r,
            exit,
            opaque,
        }
    }
}

fn column_type(c: &Catalog, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    let [schema, table, column] = parts.as_slice() else {
        return None;
    };
    let oid = c
        .lookup_relation(&QualName::new(Some(schema), table))
        .ok()??;
    match &c.relation(oid)?.body {
        RelBody::Table(t) => t.column(column).map(|col| c.type_sql(&col.ty)),
        _ => None,
    }
}

fn check(dir: &Path, name: &str, s: &Scenario) -> Vec<String> {
    let out = run(dir, s);
    let mut errs = Vec::new();
    let e = &s.expect;
    if let Some(code) = e.exit
        && code != out.exit
    {
        let why = out
            .replayer
            .stop
            .as_ref()
            .map(|s| s.diagnostic.to_string())
            .or_else(|| out.replayer.input_errors.first().map(|d| d.to_string()))
            .unwrap_or_default();
        errs.push(format!("exit {} expected, got {} {why}", code, out.exit));
    }
    if let Some(stop) = &e.stop {
        match &out.replayer.stop {
            None => errs.push(format!("expected to stop with {}", stop.sqlstate)),
            Some(actual) => {
                if actual.error.sqlstate != stop.sqlstate {
                    errs.push(format!(
                        "stopped with {} ({}), expected {}",
                        actual.error.sqlstate, actual.error.message, stop.sqlstate
                    ));
                }
                let loc = actual
                    .diagnostic
                    .primary()
                    .map(|l| l.to_string())
                    .unwrap_or_default();
                if let Some(at) = &stop.at
                    && !loc.starts_with(at.as_str())
                {
                    errs.push(format!("stopped at {loc}, expected {at}"));
                }
                if let Some(m) = &stop.message
                    && !actual.error.message.contains(m.as_str())
                {
                    errs.push(format!("message `{}` lacks `{m}`", actual.error.message));
                }
            }
        }
    }
    let c = &out.replayer.catalog;
    for t in &e.tables {
        let q = t
            .split_once('.')
            .map_or(QualName::bare(t), |(s, n)| QualName::new(Some(s), n));
        if c.lookup_relation(&q).ok().flatten().is_none() {
            errs.push(format!("table {t} missing"));
        }
    }
    for t in &e.absent {
        let q = t
            .split_once('.')
            .map_or(QualName::bare(t), |(s, n)| QualName::new(Some(s), n));
        if c.lookup_relation(&q).ok().flatten().is_some() {
            errs.push(format!("table {t} should not exist"));
        }
    }
    for (path, ty) in &e.columns {
        match column_type(c, path) {
            Some(actual) if &actual == ty => {}
            other => errs.push(format!("column {path}: expected {ty}, got {other:?}")),
        }
    }
    if let Some(n) = e.opaque
        && n != out.opaque
    {
        errs.push(format!("{} opaque expected, got {}", n, out.opaque));
    }
    errs.into_iter().map(|e| format!("{name}: {e}")).collect()
}

#[test]
fn scenarios_hold() {
    let dir = common::repo_root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "scenarios expected");
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let s: Scenario =
            serde_saphyr::from_str(&common::read(f)).unwrap_or_else(|e| panic!("{name}: {e}"));
        failures.extend(check(&dir, &name, &s));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
