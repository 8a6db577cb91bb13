//! Project discovery held to real Alembic: each case is a project whose
//! configuration exercises one rule of `Config`/`ScriptDirectory` (path
//! separators, interpolation, package resources, recursion, which files
//! count as revisions, duplicated or missing locations, pyproject.toml).
//! If migsim reads a different set of files, Alembic's `heads`/`history
//! --verbose` (which print every loaded file's path) disagree with migsim's.

mod graph_common;

use std::fs;
use std::path::{Path, PathBuf};

use graph_common::{FixtureRev, compare_project, revision_file};
use migsim::alembic::discover::{ConfigSource, discover};

fn rev(id: &str, down: &[&str]) -> String {
    revision_file(&FixtureRev {
        id: id.into(),
        down: down.iter().map(|s| s.to_string()).collect(),
        doc: format!("revision {id}"),
        ..Default::default()
    })
}

/// Writes `files` (path, content) under a new temporary folder.
fn project(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }
    dir
}

fn env() -> String {
    graph_common::ENV_PY.to_string()
}

fn check(dir: &Path, config: &str) -> Vec<String> {
    let cfg = dir.join(config);
    let report = compare_project(&cfg, &[]);
    let failures: Vec<String> = report
        .failures()
        .iter()
        .map(|c| format!("{}\n{}", c.command, c.detail))
        .collect();
    assert!(
        failures.is_empty(),
        "{config} in {}:\n{}",
        dir.display(),
        failures.join("\n\n")
    );
    discover(&cfg)
        .unwrap()
        .diagnostics
        .iter()
        .map(|d| d.code.clone())
        .collect()
}

#[test]
fn path_separator_variants() {
    for (sep, list) in [
        ("newline", "\n    %(here)s/v1\n    %(here)s/v2"),
        (";", "%(here)s/v1;%(here)s/v2"),
        ("os", "%(here)s/v1:%(here)s/v2"),
        ("space", "%(here)s/v1 %(here)s/v2"),
    ] {
        let d = project(&[
            (
                "alembic.ini",
                format!(
                    "[alembic]\nscript_location = %(here)s/mig\npath_separator = {sep}\nversion_locations = {list}\n"
                ),
            ),
            ("mig/env.py", env()),
            ("v1/a1_a.py", rev("a1", &[])),
            ("v2/b2_b.py", rev("b2", &["a1"])),
        ]);
        let codes = check(d.path(), "alembic.ini");
        assert!(codes.is_empty(), "{sep}: {codes:?}");
        let p = discover(&d.path().join("alembic.ini")).unwrap();
        assert_eq!(p.version_locations.len(), 2, "{sep}");
        assert_eq!(p.revision_files.len(), 2, "{sep}");
    }
}

#[test]
fn legacy_separator_warns_and_splits_like_alembic() {
    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = mig\nversion_locations = %(here)s/v1, %(here)s/v2  %(here)s/v3\n".into(),
        ),
        ("mig/env.py", env()),
        ("v1/a1_a.py", rev("a1", &[])),
        ("v2/b2_b.py", rev("b2", &["a1"])),
        ("v3/c3_c.py", rev("c3", &["b2"])),
    ]);
    let codes = check(d.path(), "alembic.ini");
    assert_eq!(codes, ["config::legacy-path-separator"]);
    let d2 = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = mig\nversion_path_separator = space\nversion_locations = %(here)s/v1 %(here)s/v2\n".into(),
        ),
        ("mig/env.py", env()),
        ("v1/a1_a.py", rev("a1", &[])),
        ("v2/b2_b.py", rev("b2", &["a1"])),
    ]);
    assert_eq!(check(d2.path(), "alembic.ini"), ["config::deprecated"]);
}

#[test]
fn interpolation_defaults_and_relative_script_location() {
    let d = project(&[
        (
            "alembic.ini",
            "[DEFAULT]\ndb_dir = %(here)s/db\n\n[alembic]\n# a comment\nscript_location = %(db_dir)s/migrations\nfile_template = %%(year)d_%%(rev)s\nversion_locations =\n  %(db_dir)s/migrations/versions\n\n  %(here)s/extra\npath_separator = newline\n".into(),
        ),
        ("db/migrations/env.py", env()),
        ("db/migrations/versions/a1_a.py", rev("a1", &[])),
        ("extra/b2_b.py", rev("b2", &["a1"])),
    ]);
    assert!(check(d.path(), "alembic.ini").is_empty());
    let p = discover(&d.path().join("alembic.ini")).unwrap();
    assert_eq!(p.file_template, "%(year)d_%(rev)s");
    assert_eq!(p.revision_files.len(), 2);

    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = relative/mig\npath_separator = os\n".into(),
        ),
        ("relative/mig/env.py", env()),
        ("relative/mig/versions/a1_a.py", rev("a1", &[])),
    ]);
    assert!(check(d.path(), "alembic.ini").is_empty());
}

#[test]
fn package_resource_script_location() {
    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = shopapp.db:migrations\nprepend_sys_path = src\npath_separator = os\n".into(),
        ),
        ("src/shopapp/__init__.py", String::new()),
        ("src/shopapp/db/__init__.py", String::new()),
        ("src/shopapp/db/migrations/env.py", env()),
        ("src/shopapp/db/migrations/versions/a1_a.py", rev("a1", &[])),
        ("src/shopapp/db/migrations/versions/b2_b.py", rev("b2", &["a1"])),
    ]);
    assert!(check(d.path(), "alembic.ini").is_empty());
    let p = discover(&d.path().join("alembic.ini")).unwrap();
    assert!(
        p.script_location
            .unwrap()
            .ends_with("src/shopapp/db/migrations")
    );
    assert_eq!(p.package_roots[0], d.path().join("src"));
    assert_eq!(p.package_roots[1], d.path());
}

#[test]
fn which_files_count_as_revisions() {
    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = mig\npath_separator = os\n".into(),
        ),
        ("mig/env.py", env()),
        ("mig/versions/a1_a.py", rev("a1", &[])),
        ("mig/versions/_b2_private.py", rev("b2", &["a1"])),
        ("mig/versions/.c3_hidden.py", rev("c3", &["b2"])),
        (
            "mig/versions/__init__.py",
            "raise SystemExit('never imported')\n".into(),
        ),
        (
            "mig/versions/__init__extra.py",
            "raise SystemExit('never imported')\n".into(),
        ),
        ("mig/versions/.#d4_lock.py", "not python".into()),
        ("mig/versions/notes.txt", "not python".into()),
        ("mig/versions/e5_compiled.pyc", "not python".into()),
        (
            "mig/versions/__pycache__/f6.cpython-311.pyc",
            "not python".into(),
        ),
    ]);
    assert!(check(d.path(), "alembic.ini").is_empty());
    let p = discover(&d.path().join("alembic.ini")).unwrap();
    let names: Vec<&str> = p
        .revision_files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, [".c3_hidden.py", "_b2_private.py", "a1_a.py"]);
}

#[test]
fn recursion_needs_exactly_true() {
    for value in ["true", "True"] {
        let d = project(&[
            (
                "alembic.ini",
                format!(
                    "[alembic]\nscript_location = mig\npath_separator = os\nrecursive_version_locations = {value}\n"
                ),
            ),
            ("mig/env.py", env()),
            ("mig/versions/a1_a.py", rev("a1", &[])),
            ("mig/versions/2024/b2_b.py", rev("b2", &["a1"])),
            ("mig/versions/2024/__pycache__/x.py", rev("zz", &[])),
        ]);
        let codes = check(d.path(), "alembic.ini");
        let p = discover(&d.path().join("alembic.ini")).unwrap();
        if value == "true" {
            assert_eq!(p.revision_files.len(), 2);
            assert!(codes.is_empty(), "{codes:?}");
        } else {
            assert_eq!(p.revision_files.len(), 1);
            assert_eq!(codes, ["config::not-true", "discover::nested-ignored"]);
        }
    }
}

#[test]
fn duplicated_and_missing_locations() {
    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = mig\npath_separator = space\nversion_locations = %(here)s/v1 %(here)s/v1 %(here)s/nope\n".into(),
        ),
        ("mig/env.py", env()),
        ("v1/a1_a.py", rev("a1", &[])),
        ("v1/b2_b.py", rev("b2", &["a1"])),
    ]);
    let codes = check(d.path(), "alembic.ini");
    assert_eq!(
        codes,
        [
            "discover::versions-missing",
            "discover::loaded-twice",
            "discover::loaded-twice"
        ]
    );
}

#[test]
fn ini_and_pyproject_together() {
    // The ini names the script location; [tool.alembic] adds the version
    // locations the ini does not set.
    let d = project(&[
        ("alembic.ini", "[alembic]\nscript_location = %(here)s/mig\npath_separator = os\n".into()),
        (
            "pyproject.toml",
            "[tool.alembic]\nscript_location = \"%(here)s/ignored\"\nversion_locations = [\"%(here)s/tv\"]\n".into(),
        ),
        ("mig/env.py", env()),
        ("tv/a1_a.py", rev("a1", &[])),
        ("mig/versions/zz_not_read.py", rev("zz", &[])),
    ]);
    assert!(check(d.path(), "alembic.ini").is_empty());
    let p = discover(d.path()).unwrap();
    assert!(matches!(
        p.source,
        ConfigSource::Ini {
            pyproject: Some(_),
            ..
        }
    ));
    assert_eq!(p.revision_files.len(), 1);
}

#[test]
fn folders_without_config() {
    let d = project(&[
        ("mig/env.py", env()),
        ("mig/versions/a1_a.py", rev("a1", &[])),
    ]);
    let p = discover(&d.path().join("mig")).unwrap();
    assert_eq!(p.source, ConfigSource::ScriptDirectory);
    assert_eq!(p.revision_files.len(), 1);
    let p = discover(&d.path().join("mig/versions")).unwrap();
    assert_eq!(p.source, ConfigSource::ScriptDirectory);
    let bare = project(&[("a1_a.py", rev("a1", &[])), ("b2_b.py", rev("b2", &["a1"]))]);
    let p = discover(bare.path()).unwrap();
    assert_eq!(p.source, ConfigSource::VersionsFolder);
    assert_eq!(p.revision_files.len(), 2);
    assert_eq!(p.diagnostics[0].code, "discover::no-config");
}

fn first_error(path: PathBuf) -> String {
    let errs = discover(&path).unwrap_err();
    errs.iter()
        .find(|d| d.severity == migsim::report::Severity::Error)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn unusable_configurations_say_where() {
    let d = project(&[("alembic.ini", "[alembic]\nsqlalchemy.url = x\n".into())]);
    // Paths are shown as the user gave them (absolute here).
    let e = first_error(d.path().join("alembic.ini"));
    assert!(
        e.ends_with("/alembic.ini:1:1: error[discover::no-script-location]: No 'script_location' key found in configuration."),
        "{e}"
    );
    let d = project(&[("alembic.ini", "[other]\nx = 1\n".into())]);
    assert!(first_error(d.path().join("alembic.ini")).contains("no-script-location"));
    let d = project(&[(
        "alembic.ini",
        "[alembic]\nscript_location = %(here)s/gone\n".into(),
    )]);
    let e = first_error(d.path().join("alembic.ini"));
    assert!(
        e.contains("alembic.ini:2:1: error[discover::script-location]: Path doesn't exist: "),
        "{e}"
    );
    let d = project(&[("alembic.ini", "[alembic]\nscript_location = 50%/x\n".into())]);
    assert!(first_error(d.path().join("alembic.ini")).contains("config::interpolation"));
    let d = project(&[]);
    assert!(first_error(d.path().join("nope.ini")).contains("discover::not-found"));
    let d = project(&[
        (
            "alembic.ini",
            "[alembic]\nscript_location = %(here)s/mig\n".into(),
        ),
        ("mig/env.py", env()),
    ]);
    let p = discover(&d.path().join("alembic.ini")).unwrap();
    let missing = p
        .diagnostics
        .iter()
        .find(|d| d.code == "discover::versions-missing")
        .unwrap();
    assert_eq!(missing.severity, migsim::report::Severity::Error);
}
