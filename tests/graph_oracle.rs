//! The revision graph held to real Alembic: every fixture under
//! `tests/fixtures/graph/*.graph` is written out as an Alembic project, and
//! `alembic heads`, `heads --verbose`, `history`, `history --verbose`,
//! `upgrade heads --sql` (its `-- Running` steps and `alembic_version`
//! rows), `upgrade REV --sql` for every revision, and the fixture's extra
//! targets are compared with migsim's answers. Where Alembic cannot load a
//! fixture, the class of its failure is compared with migsim's verdict.

mod graph_common;

use graph_common::{compare_project, extra_commands, fixtures, write_project};

#[test]
fn graph_fixtures_match_real_alembic() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 10, "fixtures missing");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, fx) in &fixtures {
        let dir = tempfile::tempdir().unwrap();
        let cfg = write_project(fx, dir.path());
        let report = compare_project(&cfg, &extra_commands(fx));
        compared += report.checks.len();
        for c in report.failures() {
            failures.push(format!("[{name}] {}\n{}", c.command, c.detail));
        }
        eprintln!(
            "{name}: {} checks, {} failed",
            report.checks.len(),
            report.failures().len()
        );
    }
    eprintln!(
        "{} fixtures, {compared} comparisons with real Alembic",
        fixtures.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
