//! Shared test support: the PostgreSQL oracle server.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The oracle server, started by the project's own script if it is not
/// running. Tests that need it fail (never skip) when it cannot start.
pub struct Oracle {
    pub host: String,
    pub port: u16,
    pub bindir: PathBuf,
}

static ORACLE: OnceLock<Result<Oracle, String>> = OnceLock::new();

pub fn oracle() -> &'static Oracle {
    let r = ORACLE.get_or_init(|| {
        let script = repo_root().join("scripts/pg-oracle.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !out.status.success() {
            return Err(format!(
                "scripts/pg-oracle.sh start failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let bindir = Command::new("bash")
            .arg(&script)
            .arg("bindir")
            .output()
            .map_err(|e| e.to_string())?;
        let port = std::env::var("MIGSIM_PG_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(54329);
        Ok(Oracle {
            host: "127.0.0.1".into(),
            port,
            bindir: PathBuf::from(String::from_utf8_lossy(&bindir.stdout).trim()),
        })
    });
    match r {
        Ok(o) => o,
        Err(e) => {
            panic!("the PostgreSQL oracle is required for this test and could not start: {e}")
        }
    }
}

impl Oracle {
    pub fn conn_str(&self, db: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={db}",
            self.host, self.port
        )
    }

    pub fn client(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&self.conn_str(db), postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to the oracle database {db}: {e}"))
    }

    /// A fresh, empty database; dropped and recreated if it exists.
    pub fn fresh_db(&self, name: &str) -> postgres::Client {
        let mut admin = self.client("postgres");
        // Each in its own implicit transaction: CREATE DATABASE refuses a block.
        for sql in [
            format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
        ] {
            admin
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("cannot create database {name}: {}", db_message(&e)));
        }
        self.client(name)
    }

    pub fn drop_db(&self, name: &str) {
        let mut admin = self.client("postgres");
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }

    /// `pg_dump --schema-only` of a database, normalised for comparison.
    pub fn dump(&self, db: &str) -> String {
        let out = Command::new(self.bindir.join("pg_dump"))
            .args([
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--no-comments",
            ])
            .args([
                "-h",
                &self.host,
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                db,
            ])
            .output()
            .unwrap_or_else(|e| panic!("cannot run pg_dump: {e}"));
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        normalize_dump(&String::from_utf8_lossy(&out.stdout))
    }

    /// Comments, which `dump` leaves out, as `object = text` lines.
    pub fn comments(&self, db: &str) -> Vec<String> {
        let mut c = self.client(db);
        let rows = c
            .query(
                "SELECT pg_describe_object(classoid, objoid, objsubid) || ' = ' || description
                 FROM pg_description d
                 WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = d.objoid AND e.deptype = 'e')
                   AND objoid >= 16384
                 UNION ALL
                 SELECT 'schema ' || nspname || ' = ' || obj_description(oid, 'pg_namespace')
                 FROM pg_namespace WHERE nspname = 'public'
                 ORDER BY 1",
                &[],
            )
            .unwrap_or_default();
        rows.iter()
            .filter_map(|r| r.get::<_, Option<String>>(0))
            .collect()
    }
}

/// Drops what differs between two dumps of the same schema: psql
/// meta-commands with random keys, blank-line runs, and header comments.
pub fn normalize_dump(dump: &str) -> String {
    let mut out = Vec::new();
    for line in dump.lines() {
        if line.starts_with("\\restrict") || line.starts_with("\\unrestrict") {
            continue;
        }
        if line.starts_with("-- Dumped")
            || line.starts_with("-- Started")
            || line.starts_with("-- Completed")
        {
            continue;
        }
        if line.starts_with("-- Name:") || line.starts_with("-- TOC entry") {
            // Object headers repeat the statement below them.
            continue;
        }
        if line.trim().is_empty() || line == "--" {
            continue;
        }
        out.push(line.to_string());
    }
    out.join("\n")
}

pub fn db_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
