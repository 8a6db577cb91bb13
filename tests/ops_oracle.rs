//! The lowering oracle: every case of `tests/fixtures/ops/*.py` is rendered
//! by real Alembic in offline mode (`scripts/alembic_render.py`) and by
//! `alembic::ops`; the statements must match, compared through pg_query
//! (parse, then deparse) so formatting does not count but every identifier,
//! literal and clause does. Errors must match too: the same exception class
//! and message after the same statements.
//!
//! A case may carry `# known_disagreement: <why>`; it must then disagree
//! (so the list cannot go stale).

mod ops_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use migsim::alembic::ops::{LowerError, Statement};
use serde_json::Value as Json;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    let p = repo_root().join(".venv/bin/python");
    assert!(
        p.exists(),
        "the Alembic oracle needs the Python venv at .venv (missing: {}); create it with the setup script (it installs scripts/requirements-oracle.txt)",
        p.display()
    );
    p
}

fn fixtures() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/fixtures/ops");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
}

struct Case {
    name: String,
    code: String,
    naming: Option<String>,
    literal_binds: bool,
    known_disagreement: Option<String>,
}

/// The same split as `alembic_render.py`.
fn split_cases(text: &str) -> (String, Vec<Case>) {
    let mut prelude = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut in_prelude = false;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# case:") {
            cases.push(Case {
                name: name.trim().to_string(),
                code: String::new(),
                naming: None,
                literal_binds: true,
                known_disagreement: None,
            });
            in_prelude = false;
            continue;
        }
        if line.trim() == "# prelude" {
            in_prelude = true;
            continue;
        }
        if in_prelude {
            prelude.push(line);
            continue;
        }
        let Some(case) = cases.last_mut() else {
            continue;
        };
        if case.code.trim().is_empty() {
            if let Some(v) = line.strip_prefix("# naming_convention:") {
                case.naming = Some(v.trim().to_string());
                continue;
            }
            if let Some(v) = line.strip_prefix("# literal_binds:") {
                case.literal_binds = v.trim() != "False";
                continue;
            }
        }
        if let Some(v) = line.strip_prefix("# known_disagreement:") {
            case.known_disagreement = Some(v.trim().to_string());
        }
        case.code.push_str(line);
        case.code.push('\n');
    }
    (prelude.join("\n"), cases)
}

/// A statement as pg_query deparses it; text that does not parse is
/// compared with its whitespace collapsed.
fn normalize(sql: &str) -> String {
    let body = sql.trim().trim_end_matches(';');
    match pg_query::parse(body, 0).and_then(|p| p.deparse(Default::default())) {
        Ok(d) => d,
        Err(_) => format!(
            "<unparsed> {}",
            body.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
    }
}

/// Statements SQLAlchemy emits from a Python set (indexes of a table,
/// constraints of an added column) come in no fixed order: sort each run.
fn canonical(group: &[String]) -> Vec<String> {
    sorted_runs(group, normalize)
}

fn sorted_runs(group: &[String], normalize: impl Fn(&str) -> String) -> Vec<String> {
    let floating = |s: &str| {
        let u = s.to_ascii_uppercase();
        u.starts_with("CREATE INDEX")
            || u.starts_with("CREATE UNIQUE INDEX")
            || (u.starts_with("ALTER TABLE") && u.contains(" ADD ") && !u.contains(" ADD COLUMN "))
    };
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for s in group {
        if floating(s) {
            run.push(normalize(s));
        } else {
            run.sort();
            out.append(&mut run);
            out.push(normalize(s));
        }
    }
    run.sort();
    out.append(&mut run);
    out
}

fn scrub_addresses(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i + 2]);
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

fn short_class(c: &str) -> &str {
    c.rsplit('.').next().unwrap_or(c)
}

#[derive(Default)]
struct Tally {
    cases: usize,
    /// Cases marked `known_disagreement`.
    known: usize,
    statements: usize,
    exact_text: usize,
    errors: usize,
    failures: Vec<String>,
    /// Statements equal after normalisation but not byte for byte.
    near: Vec<String>,
}

fn check_case(file: &Path, prelude: &str, case: &Case, oracle: &Json, tally: &mut Tally) {
    let label = format!(
        "{}::{}",
        file.file_name().and_then(|f| f.to_str()).unwrap_or("?"),
        case.name
    );
    let expected_groups: Vec<Vec<String>> = oracle["groups"]
        .as_array()
        .map(|gs| {
            gs.iter()
                .map(|g| {
                    g.as_array()
                        .map(|ss| {
                            ss.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let expected_error = oracle["error"].as_object().map(|e| {
        (
            e["group"].as_u64().unwrap_or(0) as usize,
            e["type"].as_str().unwrap_or("").to_string(),
            scrub_addresses(e["message"].as_str().unwrap_or("")),
        )
    });
    let mut problems = Vec::new();
    // Counted into the tally only if the case is not a known disagreement.
    let mut counts = Tally::default();
    match ops_support::run_case(
        prelude,
        &case.code,
        case.naming.as_deref(),
        case.literal_binds,
    ) {
        Err(harness) => problems.push(format!("harness: {harness}")),
        Ok(outcome) => {
            let got_groups: Vec<Vec<String>> = outcome
                .groups
                .iter()
                .map(|g| {
                    g.statements
                        .iter()
                        .map(|s: &Statement| s.offline.clone())
                        .collect()
                })
                .collect();
            // What PostgreSQL receives online must be as parseable as what
            // Alembic prints offline.
            for st in outcome.groups.iter().flat_map(|g| &g.statements) {
                let offline_body = st.offline.trim_end_matches(';');
                let parses = |sql: &str| pg_query::parse(sql, 0).is_ok();
                if parses(offline_body) && !parses(&st.sql) {
                    problems.push(format!("online text does not parse: {}", st.sql));
                }
            }
            if got_groups.len() != expected_groups.len() {
                problems.push(format!(
                    "{} statement groups, Alembic has {}",
                    got_groups.len(),
                    expected_groups.len()
                ));
            }
            for (i, (got, want)) in got_groups.iter().zip(&expected_groups).enumerate() {
                counts.statements += want.len();
                let raw = |g: &[String]| sorted_runs(g, str::to_string);
                for (a, b) in raw(got).iter().zip(&raw(want)) {
                    if a == b {
                        counts.exact_text += 1;
                    } else {
                        counts
                            .near
                            .push(format!("{label}:\n    migsim:  {a}\n    alembic: {b}"));
                    }
                }
                if canonical(got) != canonical(want) {
                    problems.push(format!(
                        "statement {i}:\n    migsim:  {}\n    alembic: {}",
                        got.join("\n             "),
                        want.join("\n             ")
                    ));
                }
            }
            let got_error = outcome.error.as_ref().map(|(i, e)| match e {
                LowerError::WouldFail(w) => (
                    *i,
                    short_class(&w.exception).to_string(),
                    scrub_addresses(&w.message),
                ),
                other => (
                    *i,
                    "<not a predicted failure>".to_string(),
                    other.to_string(),
                ),
            });
            if got_error.is_some() {
                counts.errors += 1;
            }
            if got_error != expected_error {
                problems.push(format!(
                    "error:\n    migsim:  {got_error:?}\n    alembic: {expected_error:?}"
                ));
            }
        }
    }
    if case.known_disagreement.is_none() {
        tally.cases += 1;
        tally.statements += counts.statements;
        tally.exact_text += counts.exact_text;
        tally.errors += counts.errors;
        tally.near.append(&mut counts.near);
    } else {
        tally.known += 1;
    }
    match (&case.known_disagreement, problems.is_empty()) {
        (None, true) => {}
        (None, false) => tally
            .failures
            .push(format!("{label}\n  {}", problems.join("\n  "))),
        (Some(_), false) => {}
        (Some(why), true) => tally.failures.push(format!(
            "{label} is marked as a known disagreement ({why}) but now agrees: remove the mark"
        )),
    }
}

#[test]
fn lowering_matches_alembic_offline_sql() {
    let py = python();
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures in tests/fixtures/ops");
    let out = Command::new(&py)
        .arg(repo_root().join("scripts/alembic_render.py"))
        .args(&files)
        .current_dir(repo_root())
        .output()
        .expect("running the Alembic oracle");
    assert!(
        out.status.success(),
        "alembic_render.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle: Json = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    let results = oracle["cases"].as_array().expect("cases");
    let mut tally = Tally::default();
    let mut index = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("fixture");
        let (prelude, cases) = split_cases(&text);
        for case in &cases {
            let r = &results[index];
            index += 1;
            assert_eq!(r["name"].as_str(), Some(case.name.as_str()), "case order");
            check_case(file, &prelude, case, r, &mut tally);
        }
    }
    assert_eq!(index, results.len(), "every oracle case checked");
    eprintln!(
        "ops oracle: {} cases agree with Alembic, {} statements ({} byte-identical), {} predicted failures; {} known disagreements",
        tally.cases, tally.statements, tally.exact_text, tally.errors, tally.known
    );
    for n in &tally.near {
        eprintln!("equal after normalisation only: {n}");
    }
    assert!(
        tally.failures.is_empty(),
        "{} of {} cases disagree with Alembic:\n\n{}",
        tally.failures.len(),
        tally.cases + tally.known,
        tally.failures.join("\n\n")
    );
}
