//! The sample projects in `migrations-samples/` held to real Alembic:
//! `branches` (two branches, merges, `depends_on` by id and by branch label,
//! a second base) must give Alembic's heads, history and orders exactly;
//! `broken` must fail the way Alembic fails, problem after problem, while
//! migsim reports every problem at once.

mod graph_common;

use std::fs;
use std::path::Path;

use graph_common::{compare_project, repo_root};
use migsim::alembic::discover::discover;
use migsim::alembic::env::{Mode, NameOrigin, read_env_py};
use migsim::alembic::graph::AlembicFailureKind;
use migsim::alembic::history::History;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            if e.file_name() != "__pycache__" {
                copy_dir(&e.path(), &target);
            }
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn branches_sample_matches_real_alembic() {
    // Work on a copy so Alembic's runs leave nothing in the repository.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("migrations-samples/branches"), dir.path());
    let cfg = dir.path().join("alembic.ini");
    let extra: Vec<Vec<String>> = [
        "upgrade head --sql",
        "upgrade orders@head --sql",
        "upgrade catalog@head --sql",
        "upgrade audit@head --sql",
        "upgrade 4d5e6f7a8b9c --sql",
        "upgrade 8b9c --sql",
        "upgrade 2b3c4d5e6f7a:+2 --sql",
        "upgrade 7a8b9c0d1e2f:heads --sql",
        "downgrade heads:base --sql",
        "downgrade heads:7a8b9c0d1e2f --sql",
        "downgrade head:-3 --sql",
        "downgrade 8b9c0d1e2f3a:catalog@5e6f7a8b9c0d --sql",
    ]
    .iter()
    .map(|s| words(s))
    .collect();
    let report = compare_project(&cfg, &extra);
    let failures: Vec<String> = report
        .failures()
        .iter()
        .map(|c| format!("{}\n{}", c.command, c.detail))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(report.checks.len(), 5 + extra.len());

    let project = discover(&cfg).unwrap();
    assert!(
        project
            .package_roots
            .iter()
            .any(|r| r.join("shop/models.py").is_file()),
        "{:?}",
        project.package_roots
    );
    let h = History::load(project);
    assert!(h.alembic_verdict().is_none());
    assert!(
        h.diagnostics()
            .all(|d| d.severity < migsim::report::Severity::Warning),
        "{:?}",
        h.diagnostics().collect::<Vec<_>>()
    );
    assert_eq!(h.graph.heads(), ["b1c2d3e4f5a6"]);
    assert_eq!(h.graph.merge_points(), ["7a8b9c0d1e2f", "b1c2d3e4f5a6"]);
    assert_eq!(h.graph.bases(), ["1a2b3c4d5e6f", "9c0d1e2f3a4b"]);

    let env_path = h.project.env_py.clone().unwrap();
    let env = read_env_py(&env_path, "env.py").unwrap();
    let t = env.target_metadata.as_ref().unwrap();
    assert_eq!(t.expr, "Base.metadata");
    assert!(
        matches!(&t.items[0].origin, NameOrigin::Import { module, .. } if module == "shop.models")
    );
    assert_eq!(
        env.settings(Mode::Online).include_schemas.known(),
        Some(true)
    );
    assert_eq!(
        env.settings(Mode::Offline).include_schemas.known(),
        Some(false)
    );
}

/// Removes the first problem Alembic trips over, then the next: at every
/// stage Alembic's failure (or success) must be what migsim predicted.
#[test]
fn broken_sample_fails_like_real_alembic_at_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("migrations-samples/broken"), dir.path());
    let cfg = dir.path().join("alembic.ini");
    let versions = dir.path().join("migrations/versions");

    // All problems at once, each with its file and line.
    let h = History::load(discover(&cfg).unwrap());
    let mut found: Vec<String> = h
        .diagnostics()
        .filter(|d| d.severity >= migsim::report::Severity::Warning)
        .map(|d| {
            let at = d.primary().map(|l| {
                let (line, _) = l.line_col();
                format!(
                    "{}:{line}",
                    l.file.name.rsplit('/').next().unwrap_or_default()
                )
            });
            format!("{} {}", d.code, at.unwrap_or_default())
        })
        .collect();
    found.sort();
    let expected = [
        "graph::duplicate-revision 4444dddd0004_add_member_phone.py:15",
        "graph::missing-down-revision 3333cccc0003_add_member_roles.py:16",
        "graph::multiple-heads 3333cccc0003_add_member_roles.py:15",
        "python::syntax 6666ffff0006_index_members_by_team.py:23",
        "revision::docstring-mismatch 3333cccc0003_add_member_roles.py:4",
    ];
    assert_eq!(found, expected);
    assert_eq!(
        h.alembic_verdict().unwrap().kind,
        AlembicFailureKind::SyntaxError
    );

    let stage = |what: &str| {
        let report = compare_project(&cfg, &[]);
        let failures: Vec<String> = report
            .failures()
            .iter()
            .map(|c| format!("{}\n{}", c.command, c.detail))
            .collect();
        assert!(failures.is_empty(), "{what}:\n{}", failures.join("\n\n"));
        report
    };
    let r = stage("as shipped");
    assert_eq!(r.checks[0].command, "load verdict");

    fs::remove_file(versions.join("6666ffff0006_index_members_by_team.py")).unwrap();
    let r = stage("without the syntax error");
    assert_eq!(r.checks[0].command, "load verdict");
    let h = History::load(discover(&cfg).unwrap());
    assert_eq!(
        h.alembic_verdict().unwrap().kind,
        AlembicFailureKind::KeyError
    );

    fs::remove_file(versions.join("3333cccc0003_add_member_roles.py")).unwrap();
    let r = stage("without the dangling down_revision");
    // Alembic loads it now: duplicate and two heads are warnings there.
    assert!(r.checks.len() >= 5, "{:?}", r.checks);
    let extra = vec![words("upgrade head --sql")];
    stage("upgrade head with two heads");
    let report = compare_project(&cfg, &extra);
    assert!(report.failures().is_empty(), "{:?}", report.failures());
}
