//! A folder of .sql files is replayed as `psql -f` runs each file: one
//! session per file. Checked against PostgreSQL, each file sent on a new
//! connection.

mod common;

use std::path::PathBuf;

use migsim::replay::Replayer;
use migsim::replay::sql_files::replay_paths;

#[test]
fn each_file_is_its_own_session() {
    let dir = common::repo_root().join("tests/fixtures/sql/sessions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();

    let result = replay_paths(&files, &dir, Replayer::default());
    let r = &result.replayer;
    assert!(
        r.stop.is_none() && r.input_errors.is_empty(),
        "{:?}",
        r.stop.as_ref().map(|s| &s.error)
    );
    assert_eq!(r.warnings.len(), 1, "one file leaves its transaction open");
    assert_eq!(r.warnings[0].code, "sql::open-transaction");
    assert!(
        r.warnings[0].labels[0]
            .loc
            .file
            .name
            .ends_with("003_forgotten_commit.sql")
    );

    let oracle = common::oracle();
    let db_pg = "migsim_sessions_pg";
    let db_mig = "migsim_sessions_mig";
    drop(oracle.fresh_db(db_pg));
    for f in &files {
        // A new connection per file; dropping it closes the session.
        let mut c = oracle.client(db_pg);
        c.batch_execute(&common::read(f))
            .unwrap_or_else(|e| panic!("{}: {}", f.display(), common::db_message(&e)));
    }
    let mut m = oracle.fresh_db(db_mig);
    m.batch_execute(&r.catalog.to_sql())
        .expect("migsim's schema applies");
    drop(m);
    let (a, b) = (oracle.dump(db_pg), oracle.dump(db_mig));
    oracle.drop_db(db_pg);
    oracle.drop_db(db_mig);
    assert_eq!(a, b, "PostgreSQL (left) and migsim (right) differ");
}
