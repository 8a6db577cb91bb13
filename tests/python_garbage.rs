//! Garbage in: each bad file gets a clear diagnostic (file, line, column)
//! or an opaque step, never a panic or a hang, and the others still run.

use std::path::{Path, PathBuf};

use migsim::alembic::ops::{NamingConvention, RunMemo};
use migsim::alembic::run::testing::{FakeSchema, FakeSink};
use migsim::alembic::run::{Direction, RunContext, RunOutcome, run_migration};
use migsim::python::{EvalConfig, ParsedModule, ProjectModules, load_python, read_python_file};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/python/garbage")
}

fn read(name: &str) -> ParsedModule {
    let p = dir().join("versions").join(name);
    read_python_file(&format!("versions/{name}"), &p)
}

fn run_with(m: &ParsedModule, eval: &EvalConfig) -> (RunOutcome, FakeSink) {
    let project = ProjectModules::new(vec![dir().join("helpers")]);
    project.preload(&[m]);
    let naming = NamingConvention::default();
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval,
        project: Some(&project),
        offline: false,
        naming_convention: &naming,
        literal_binds: false,
        memo: &memo,
    };
    let mut sink = FakeSink::new(FakeSchema::new());
    let out = run_migration(m, Direction::Upgrade, &ctx, &mut sink);
    (out, sink)
}

fn run(m: &ParsedModule) -> (RunOutcome, FakeSink) {
    run_with(m, &EvalConfig::default())
}

#[test]
fn syntax_error() {
    let (out, sink) = run(&read("syntax_error.py"));
    assert!(out.failed);
    assert!(sink.steps.is_empty());
    let first = out.diagnostics[0].to_string();
    assert!(
        first.starts_with("versions/syntax_error.py:13:5: error[python::syntax]"),
        "{first}"
    );
}

#[test]
fn empty_file() {
    let (out, _) = run(&read("empty.py"));
    assert!(out.failed);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        out.diagnostics[0].to_string(),
        "versions/empty.py:1:1: error[alembic::no-function]: the migration defines no `upgrade()` function"
    );
}

#[test]
fn binary_file() {
    let m = read("binary.py");
    assert_eq!(m.errors.len(), 1);
    let (out, sink) = run(&m);
    assert!(out.failed);
    assert!(sink.steps.is_empty());
    let d = out.diagnostics[0].to_string();
    assert!(
        d.starts_with("versions/binary.py:1:1: error[python::encoding]: Python syntax error: Non-UTF-8 code starting with '\\x89'"),
        "{d}"
    );
}

#[test]
fn names_assigned_twice_keep_the_last_value() {
    let (out, sink) = run(&read("assigned_twice.py"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(sink.sql(), vec!["SELECT 'second upgrade wins'"]);
}

#[test]
fn import_loop_between_helpers() {
    let (out, sink) = run(&read("import_loop.py"));
    assert!(out.failed);
    assert!(sink.steps.is_empty());
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["python::import-cycle", "alembic::import"],
        "{:?}",
        out.diagnostics
    );
    let cycle = out.diagnostics[0].to_string();
    assert!(cycle.starts_with("loopy/b.py:3:"), "{cycle}");
    assert!(
        cycle.contains("`loopy.a` -> `loopy.b` -> `loopy.a`"),
        "{cycle}"
    );
    assert!(
        out.diagnostics[1].message.contains(
            "cannot import name 'make_table' from partially initialized module 'loopy.a'"
        )
    );
}

#[test]
fn while_true_hits_the_budget() {
    let eval = EvalConfig {
        step_budget: 50_000,
        ..EvalConfig::default()
    };
    let (out, sink) = run_with(&read("while_true.py"), &eval);
    assert_eq!(sink.sql(), vec!["SELECT 1"]);
    assert_eq!(out.opaque.len(), 1);
    assert_eq!(out.opaque[0].loc.to_string(), "versions/while_true.py:10:5");
    assert!(out.diagnostics.iter().any(|d| d.code == "python::budget"));
    assert!(!out.failed);
}

#[test]
fn while_true_with_the_default_budget_ends() {
    let start = std::time::Instant::now();
    let (out, _) = run(&read("while_true.py"));
    assert_eq!(out.opaque.len(), 1);
    // A debug build evaluates a few million steps per second.
    assert!(start.elapsed().as_secs() < 30);
}

#[test]
fn nesting_python_rejects_is_an_error_not_a_crash() {
    // On a small stack, as on a rayon worker.
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let src = format!(
                "from alembic import op\nrevision = 'deep'\nx = {}1{}\ndef upgrade():\n    op.execute('SELECT 1')\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            );
            let m = load_python("deep.py", Path::new("deep.py"), src.as_bytes());
            let codes: Vec<String> = m.errors.iter().map(|d| d.code.clone()).collect();
            let (out, _) = run(&m);
            let src = format!("x = {}1{}\n", "f(".repeat(100_000), ")".repeat(100_000));
            let m2 = load_python("deep2.py", Path::new("deep2.py"), src.as_bytes());
            (codes, out.failed, m2.errors.iter().map(|d| d.code.clone()).collect::<Vec<_>>())
        })
        .unwrap();
    let (codes, failed, codes2) = h.join().unwrap();
    assert_eq!(codes, vec!["python::syntax"]);
    assert!(failed);
    assert_eq!(codes2, vec!["python::syntax", "python::too-deep"]);
}

#[test]
fn deep_but_valid_python_still_runs() {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let (out, sink) = run(&read("deep_but_valid.py"));
            (
                out.diagnostics.len(),
                sink.sql().iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        })
        .unwrap();
    let (diags, sql) = h.join().unwrap();
    assert_eq!(diags, 0);
    assert_eq!(sql, vec!["SELECT 1"]);
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let names = [
        "syntax_error.py",
        "binary.py",
        "empty.py",
        "assigned_twice.py",
        "import_loop.py",
        "deep_but_valid.py",
    ];
    let modules: Vec<ParsedModule> = names.iter().map(|n| read(n)).collect();
    let ran: Vec<bool> = modules.iter().map(|m| !run(m).1.steps.is_empty()).collect();
    assert_eq!(ran, vec![false, false, false, true, false, true]);
}
