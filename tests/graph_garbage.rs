//! Garbage in the versions folder: a binary file, an empty file, bytes that
//! are not UTF-8, a syntax error, a helper module, a variable assigned
//! twice, a missing `down_revision`. Each gets a clear diagnostic with its
//! file (and line where there is one), never a panic; the other revisions
//! still load and order; and real Alembic fails (or not) the way migsim says.

mod graph_common;

use std::fs;

use graph_common::{ENV_PY, FixtureRev, compare_project, revision_file};
use migsim::alembic::discover::discover;
use migsim::alembic::history::History;

fn rev(id: &str, down: &[&str]) -> String {
    revision_file(&FixtureRev {
        id: id.into(),
        down: down.iter().map(|s| s.to_string()).collect(),
        doc: format!("revision {id}"),
        ..Default::default()
    })
}

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    /// The diagnostic code migsim must report for the file.
    code: &'static str,
    /// Revisions the graph must still hold.
    revisions: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend_from_slice(&[0u8; 16]);
    vec![
        Case {
            name: "binary file",
            file: "zz_logo.py",
            bytes: png,
            code: "revision::binary",
            revisions: &["a1", "b2"],
        },
        Case {
            name: "empty file",
            file: "zz_empty.py",
            bytes: Vec::new(),
            code: "revision::empty",
            revisions: &["a1", "b2"],
        },
        Case {
            name: "latin-1 bytes without a coding line",
            file: "zz_latin1.py",
            bytes: b"\"\"\"caf\xe9\"\"\"\nrevision = 'c3'\ndown_revision = 'b2'\n".to_vec(),
            code: "revision::encoding",
            revisions: &["a1", "b2"],
        },
        Case {
            name: "latin-1 bytes with a coding line",
            file: "zz_cookie.py",
            bytes: b"# -*- coding: latin-1 -*-\n\"\"\"caf\xe9\"\"\"\nrevision = 'c3'\ndown_revision = 'b2'\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n".to_vec(),
            code: "",
            revisions: &["a1", "b2", "c3"],
        },
        Case {
            name: "syntax error",
            file: "zz_syntax.py",
            bytes: b"revision = 'c3'\ndown_revision = 'b2'\n\ndef upgrade(:\n    pass\n".to_vec(),
            code: "python::syntax",
            revisions: &["a1", "b2", "c3"],
        },
        Case {
            name: "helper module without revision",
            file: "zz_helpers.py",
            bytes: b"def make_id():\n    return 1\n".to_vec(),
            code: "revision::no-revision",
            revisions: &["a1", "b2"],
        },
        Case {
            name: "revision assigned twice",
            file: "zz_twice.py",
            bytes: b"revision = 'x9'\ndown_revision = 'b2'\nrevision = 'c3'\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n".to_vec(),
            code: "revision::assigned-twice",
            revisions: &["a1", "b2", "c3"],
        },
        Case {
            name: "no down_revision",
            file: "zz_nodown.py",
            bytes: b"revision = 'c3'\n".to_vec(),
            code: "revision::no-down-revision",
            revisions: &["a1", "b2", "c3"],
        },
        Case {
            name: "legacy hex file name",
            file: "abc123.py",
            bytes: b"down_revision = 'b2'\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n".to_vec(),
            code: "",
            // Alembic loads files in name order: abc123.py sorts before b2_b.py.
            revisions: &["a1", "abc123", "b2"],
        },
        Case {
            name: "no upgrade function",
            file: "zz_noup.py",
            bytes: b"revision = 'c3'\ndown_revision = 'b2'\n\n\ndef downgrade():\n    pass\n".to_vec(),
            code: "revision::no-upgrade",
            revisions: &["a1", "b2", "c3"],
        },
    ]
}

#[test]
fn garbage_files_get_diagnostics_and_alembic_agrees() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("mig/versions")).unwrap();
        fs::write(
            root.join("alembic.ini"),
            "[alembic]\nscript_location = %(here)s/mig\npath_separator = os\n",
        )
        .unwrap();
        fs::write(root.join("mig/env.py"), ENV_PY).unwrap();
        fs::write(root.join("mig/versions/a1_a.py"), rev("a1", &[])).unwrap();
        fs::write(root.join("mig/versions/b2_b.py"), rev("b2", &["a1"])).unwrap();
        fs::write(root.join("mig/versions").join(case.file), &case.bytes).unwrap();

        let cfg = root.join("alembic.ini");
        let h = History::load(discover(&cfg).unwrap());
        let ids: Vec<&str> = h.graph.revisions().iter().map(|r| r.id()).collect();
        if ids != case.revisions {
            failures.push(format!("{}: graph holds {ids:?}", case.name));
        }
        let order = h.graph.replay_order();
        if order.len() != case.revisions.len() {
            failures.push(format!("{}: replay order {order:?}", case.name));
        }
        if !case.code.is_empty() {
            match h.diagnostics().find(|d| d.code == case.code) {
                None => failures.push(format!(
                    "{}: no {} diagnostic; got {:?}",
                    case.name,
                    case.code,
                    h.diagnostics().map(|d| d.to_string()).collect::<Vec<_>>()
                )),
                Some(d) => {
                    let shown = d.to_string();
                    if !shown.contains(case.file) {
                        failures.push(format!(
                            "{}: diagnostic does not name the file: {shown}",
                            case.name
                        ));
                    }
                }
            }
        }
        let report = compare_project(&cfg, &[]);
        for c in report.failures() {
            failures.push(format!("{}: {}\n{}", case.name, c.command, c.detail));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn values_that_need_running_code_are_reported_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("mig/versions")).unwrap();
    fs::write(
        root.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s/mig\n",
    )
    .unwrap();
    fs::write(root.join("mig/env.py"), ENV_PY).unwrap();
    fs::write(root.join("mig/versions/a1_a.py"), rev("a1", &[])).unwrap();
    fs::write(
        root.join("mig/versions/b2_b.py"),
        "import os\nrevision = os.environ['REV']\ndown_revision = 'a1'\n",
    )
    .unwrap();
    fs::write(
        root.join("mig/versions/c3_c.py"),
        "import sys\nrevision = 'c3'\nif sys.platform == 'linux':\n    down_revision = 'a1'\nelse:\n    down_revision = None\n",
    )
    .unwrap();
    let h = History::load(discover(&root.join("alembic.ini")).unwrap());
    let shown: Vec<String> = h.diagnostics().map(|d| d.to_string()).collect();
    assert!(
        shown
            .iter()
            .any(|s| s.contains("b2_b.py:2:12: error[revision::not-literal]")),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.contains("c3_c.py:6:5: error[revision::conditional]")),
        "{shown:#?}"
    );
    // c3's place is unknown, so no "several heads" guess is made from it.
    assert!(
        !shown.iter().any(|s| s.contains("multiple-heads")),
        "{shown:#?}"
    );
    // a1 still loads; c3 is placed (its down_revision is unknown, not absent).
    let ids: Vec<&str> = h.graph.revisions().iter().map(|r| r.id()).collect();
    assert_eq!(ids, ["a1", "c3"]);
}
