//! The catalog against a real PostgreSQL: every case in
//! `tests/oracle/cases/*.sql` runs on PostgreSQL and through migsim.
//!
//! - If PostgreSQL rejects a statement, migsim must reject the same
//!   statement with the same SQLSTATE.
//! - Otherwise migsim's `--format sql` output, applied to a fresh
//!   database, must give the same `pg_dump --schema-only` (and the same
//!   comments) as applying the case itself.
//!
//! A case may carry `-- known: REASON` right under its `-- case:` line: a
//! disagreement we know of and have not fixed (or, for failures that depend
//! on rows, cannot: migsim keeps no data). Such a case must still disagree,
//! so the list stays true when one is fixed.

mod common;

use std::path::PathBuf;

use migsim::catalog::Catalog;
use migsim::sql::{self, Parsed};
use rayon::prelude::*;

struct Case {
    file: String,
    name: String,
    sql: String,
    known: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let dir = common::repo_root().join("tests/oracle/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/oracle/cases exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text = common::read(&f);
        let file = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut current: Option<Case> = None;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("-- case:") {
                cases.extend(current.take());
                current = Some(Case {
                    file: file.clone(),
                    name: name.trim().to_string(),
                    sql: String::new(),
                    known: None,
                });
            } else if let Some(c) = current.as_mut() {
                if let Some(reason) = line.strip_prefix("-- known:")
                    && c.sql.is_empty()
                {
                    c.known = Some(reason.trim().to_string());
                    continue;
                }
                c.sql.push_str(line);
                c.sql.push('\n');
            }
        }
        cases.extend(current.take());
    }
    cases
}

/// `(statement index, SQLSTATE)` of the first failure, if any.
type Failure = Option<(usize, String, String)>;

fn run_case(idx: usize, case: &Case) -> Result<(), String> {
    let oracle = common::oracle();
    let db_a = format!("migsim_case_{idx}_a");
    let db_b = format!("migsim_case_{idx}_b");
    let parsed = sql::parse_script(&case.sql);

    // PostgreSQL, one statement at a time.
    let mut pg = oracle.fresh_db(&db_a);
    let mut pg_fail: Failure = None;
    for (i, p) in parsed.iter().enumerate() {
        let span = match p {
            Parsed::Statement(s) => s.span,
            Parsed::Error { span, .. } => *span,
        };
        let text = &case.sql[span.start as usize..span.end as usize];
        if let Err(e) = pg.batch_execute(text) {
            let code = e
                .code()
                .map(|c| c.code().to_string())
                .unwrap_or_else(|| "?????".into());
            let msg = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string());
            pg_fail = Some((i, code, msg));
            break;
        }
    }

    // migsim, the same statements.
    let mut catalog = Catalog::new();
    let mut mig_fail: Failure = None;
    for (i, p) in parsed.iter().enumerate() {
        match p {
            Parsed::Error { message, .. } => {
                mig_fail = Some((i, "42601".into(), message.clone()));
                break;
            }
            Parsed::Statement(s) => {
                if let Err(e) = catalog.apply(&s.node) {
                    mig_fail = Some((i, e.sqlstate.to_string(), e.message.clone()));
                    break;
                }
            }
        }
    }
    drop(pg);

    let result = match (&pg_fail, &mig_fail) {
        (Some(p), Some(m)) if p.0 == m.0 && p.1 == m.1 => Ok(()),
        (Some(p), Some(m)) => Err(format!(
            "PostgreSQL fails at statement {} with {} ({}); migsim at statement {} with {} ({})",
            p.0 + 1,
            p.1,
            p.2,
            m.0 + 1,
            m.1,
            m.2
        )),
        (Some(p), None) => Err(format!(
            "PostgreSQL fails at statement {} with {} ({}); migsim accepts everything",
            p.0 + 1,
            p.1,
            p.2
        )),
        (None, Some(m)) => Err(format!(
            "PostgreSQL accepts everything; migsim fails at statement {} with {} ({})",
            m.0 + 1,
            m.1,
            m.2
        )),
        (None, None) => compare_schemas(oracle, &db_a, &db_b, &catalog),
    };
    oracle.drop_db(&db_a);
    oracle.drop_db(&db_b);
    result
}

fn compare_schemas(
    oracle: &common::Oracle,
    db_a: &str,
    db_b: &str,
    catalog: &Catalog,
) -> Result<(), String> {
    let script = catalog.to_sql();
    let mut b = oracle.fresh_db(db_b);
    if let Err(e) = b.batch_execute(&script) {
        let msg = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string());
        return Err(format!(
            "migsim's SQL does not apply: {msg}\n--- script ---\n{script}"
        ));
    }
    drop(b);
    let dump_a = oracle.dump(db_a);
    let dump_b = oracle.dump(db_b);
    if dump_a != dump_b {
        let diff = similar::TextDiff::from_lines(&dump_a, &dump_b)
            .unified_diff()
            .header("postgresql", "migsim")
            .to_string();
        return Err(format!(
            "schemas differ:\n{diff}\n--- migsim script ---\n{script}"
        ));
    }
    let ca = oracle.comments(db_a);
    let cb = oracle.comments(db_b);
    if ca != cb {
        return Err(format!(
            "comments differ:\npostgresql: {ca:?}\nmigsim:     {cb:?}"
        ));
    }
    Ok(())
}

#[test]
fn catalog_matches_postgresql() {
    let cases = load_cases();
    assert!(
        cases.len() >= 10,
        "expected oracle cases, found {}",
        cases.len()
    );
    let filter = std::env::var("MIGSIM_ORACLE_CASE").ok();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("thread pool");
    let results: Vec<(&Case, Result<(), String>)> = pool.install(|| {
        cases
            .par_iter()
            .enumerate()
            .filter(|(_, c)| filter.as_ref().is_none_or(|f| c.name.contains(f.as_str())))
            .map(|(i, c)| (c, run_case(i, c)))
            .collect()
    });
    let agree = results.iter().filter(|(_, r)| r.is_ok()).count();
    let known = results.iter().filter(|(c, _)| c.known.is_some()).count();
    eprintln!(
        "oracle: {agree} of {} cases agree with PostgreSQL; {known} known disagreements",
        results.len()
    );
    let mut problems = Vec::new();
    for (c, r) in &results {
        match (r, &c.known) {
            (Err(e), None) => problems.push(format!("[{}] {}: {e}", c.file, c.name)),
            (Ok(()), Some(reason)) => problems.push(format!(
                "[{}] {}: now agrees with PostgreSQL; remove its `-- known: {reason}` line",
                c.file, c.name
            )),
            _ => {}
        }
    }
    if !problems.is_empty() {
        panic!(
            "{} of {} oracle cases are not as expected:\n\n{}",
            problems.len(),
            results.len(),
            problems.join("\n\n")
        );
    }
}
