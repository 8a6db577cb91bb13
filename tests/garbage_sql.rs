//! Garbage in, diagnostics out: no input reachable from a file may make the
//! SQL replay panic.

mod common;

use assert_cmd::Command;
use migsim::replay::{Replayer, SqlOrigin};
use migsim::source::SourceFile;

fn replay_text(name: &str, text: &str) -> Replayer {
    let file = SourceFile::virtual_file(name, text.to_string());
    let mut r = Replayer::default();
    r.run_sql(text, SqlOrigin::File(&file));
    // Rendering must not panic either, whatever state the replay reached.
    let _ = r.catalog.to_sql();
    let _ = r.catalog.to_json();
    for d in &r.input_errors {
        let _ = d.render(false);
    }
    if let Some(s) = &r.stop {
        let _ = s.diagnostic.render(false);
    }
    r
}

fn history() -> String {
    common::read(&common::repo_root().join("tests/fixtures/sql/history.sql"))
}

#[test]
fn every_prefix_of_a_history_replays_without_panic() {
    let text = history();
    let mut cut = 0;
    let mut checked = 0;
    while cut <= text.len() {
        if text.is_char_boundary(cut) {
            replay_text("prefix.sql", &text[..cut]);
            checked += 1;
        }
        cut += 7;
    }
    assert!(checked > 100);
}

/// xorshift: deterministic mutations without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_histories_replay_without_panic() {
    let base = history().into_bytes();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"();,'\"$ \n-*/abcXYZ019_.:=<>[]{}\\";
    for _ in 0..600 {
        let mut bytes = base.clone();
        for _ in 0..(1 + rng.next() % 6) {
            let i = (rng.next() as usize) % bytes.len();
            match rng.next() % 3 {
                0 => bytes[i] = alphabet[(rng.next() as usize) % alphabet.len()],
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, alphabet[(rng.next() as usize) % alphabet.len()]),
            }
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        replay_text("mutated.sql", &text);
    }
}

#[test]
fn hostile_inputs_give_errors_not_crashes() {
    let deep = format!(
        "CREATE TABLE t (a int DEFAULT {}1{});",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    let r = replay_text("deep.sql", &deep);
    assert!(!r.input_errors.is_empty() || r.stop.is_some());

    let r = replay_text("nul.sql", "CREATE TABLE t (a int);\0 DROP TABLE t;");
    assert!(!r.input_errors.is_empty());

    let r = replay_text("unterminated.sql", "CREATE TABLE t (a text DEFAULT 'oops);");
    assert!(!r.input_errors.is_empty());

    let r = replay_text("dollar.sql", "DO $$ BEGIN RAISE NOTICE 'x'; END");
    assert!(!r.input_errors.is_empty());

    let r = replay_text("only-comments.sql", "-- nothing\n/* nothing */\n");
    assert!(r.input_errors.is_empty() && r.stop.is_none());

    let r = replay_text("bad-do.sql", "DO $$ BEGIN IF THEN END IF; END $$;");
    assert!(!r.input_errors.is_empty() || r.stop.is_some());
}

#[test]
fn many_statements_replay() {
    let mut text = String::new();
    for i in 0..3_000 {
        text.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, v text);\nALTER TABLE t{i} ADD COLUMN w int;\n"
        ));
    }
    let r = replay_text("many.sql", &text);
    assert!(r.stop.is_none() && r.input_errors.is_empty());
    assert_eq!(r.stats.statements, 6_000);
}

#[test]
fn binary_file_through_the_cli_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blob.sql");
    let mut rng = Rng(42);
    let bytes: Vec<u8> = (0..4096).map(|_| (rng.next() & 0xff) as u8).collect();
    std::fs::write(&path, bytes).unwrap();
    let out = Command::cargo_bin("migsim")
        .unwrap()
        .args(["replay"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn one_bad_file_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("001.sql"), "CREATE TABLE a (x int);").unwrap();
    std::fs::write(dir.path().join("002.sql"), "CREATE TABLE b (x int,);").unwrap();
    std::fs::write(dir.path().join("003.sql"), "CREATE TABLE c (x int) oops;").unwrap();
    let out = Command::cargo_bin("migsim")
        .unwrap()
        .args(["replay"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("002.sql:1:"), "{err}");
    assert!(
        err.contains("003.sql:1:"),
        "both syntax errors reported: {err}"
    );
}
