//! The binary end to end: exit codes, outputs, and rendered diagnostics
//! (snapshots).

mod common;

use assert_cmd::Command;

fn migsim() -> Command {
    let mut c = Command::cargo_bin("migsim").expect("binary built");
    c.current_dir(common::repo_root());
    c.env("NO_COLOR", "1");
    c
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn replays_a_sql_history() {
    let out = migsim()
        .args(["replay", "tests/fixtures/sql/history.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sql = stdout(&out);
    assert!(sql.contains("CREATE TABLE public.expert_profiles"), "{sql}");
    assert!(sql.contains("CREATE VIEW public.active_experts"), "{sql}");
    assert!(
        stderr(&out).contains("replayed 1 file; 10 SQL statements"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_and_yaml_describe_the_same_schema() {
    let json = migsim()
        .args([
            "replay",
            "tests/fixtures/sql/history.sql",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let tables: Vec<&str> = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tables, vec!["expert_feedback", "expert_profiles", "user"]);
    let yaml = migsim()
        .args([
            "replay",
            "tests/fixtures/sql/history.sql",
            "--format",
            "yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(yaml.status.code(), Some(0));
    assert!(stdout(&yaml).contains("name: expert_profiles"));
}

#[test]
fn predicted_postgres_error_exits_1_with_location() {
    let out = migsim()
        .args(["replay", "tests/fixtures/sql/fails.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "no partial schema on failure");
    insta::assert_snapshot!("fk_type_mismatch", stderr(&out));
}

#[test]
fn error_inside_a_statement_points_at_its_token() {
    // One line: the token alone is labelled, and the heading gives its
    // column. Several lines: the statement is labelled too.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/sql/enum_label_typo.sql").unwrap();
    let fixed = text.replace("'archieved'", "'archived'");
    let path = dir.path().join("enum_label_typo_fixed.sql");
    std::fs::write(&path, fixed).unwrap();
    let out = migsim()
        .args(["replay", "tests/fixtures/sql/enum_label_typo.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("enum_label_typo", stderr(&out));
    let out = migsim().arg("replay").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("literal_in_multiline_statement", stderr(&out));
}

#[test]
fn syntax_error_exits_2_pointing_at_the_token() {
    let out = migsim()
        .args(["replay", "tests/fixtures/sql/syntax_error.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("sql_syntax_error", stderr(&out));
}

#[test]
fn non_utf8_input_exits_2() {
    let out = migsim()
        .args(["replay", "tests/fixtures/sql/latin1.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(err.contains("latin1.sql:1:"), "{err}");
}

#[test]
fn missing_path_exits_2() {
    let out = migsim()
        .args(["replay", "no/such/place.sql"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"));
}

#[test]
fn bad_arguments_exit_2() {
    let out = migsim().args(["replay"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn replays_an_alembic_project() {
    let out = migsim()
        .args(["replay", "migrations-samples/branches"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("CREATE TABLE public.order_items"));
    let err = stderr(&out);
    assert!(err.contains("of 11 revisions"), "{err}");
    assert!(err.contains("operations simulated"), "{err}");
}

#[test]
fn replay_to_a_revision_stops_there() {
    let out = migsim()
        .args([
            "replay",
            "migrations-samples/branches",
            "--to",
            "2b3c4d5e6f7a",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sql = stdout(&out);
    assert!(sql.contains("CREATE TABLE public.products"));
    assert!(!sql.contains("CREATE TABLE public.orders"));
}

#[test]
fn broken_project_reports_every_problem_and_exits_2() {
    let out = migsim()
        .args(["heads", "migrations-samples/broken"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for needle in ["syntax", "duplicate", "down_revision"] {
        assert!(
            err.to_lowercase().contains(needle),
            "missing {needle}: {err}"
        );
    }
}

#[test]
fn offline_sql_and_graph_commands() {
    let sql = migsim()
        .args(["sql", "migrations-samples/branches"])
        .output()
        .unwrap();
    assert_eq!(sql.status.code(), Some(0), "{}", stderr(&sql));
    let text = stdout(&sql);
    assert!(text.starts_with("BEGIN;"));
    assert!(text.contains("-- Running upgrade  -> 1a2b3c4d5e6f"));
    let history = migsim()
        .args(["history", "migrations-samples/branches"])
        .output()
        .unwrap();
    assert_eq!(history.status.code(), Some(0));
    assert!(stdout(&history).contains("<base> -> 1a2b3c4d5e6f"));
    let graph = migsim()
        .args(["graph", "migrations-samples/branches", "--format", "dot"])
        .output()
        .unwrap();
    assert_eq!(graph.status.code(), Some(0));
    assert!(stdout(&graph).starts_with("digraph"));
}
