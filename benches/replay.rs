//! Replay benchmark: a generated DDL history (tables, foreign keys, indexes,
//! enums, views, ALTERs, renames, drops, data steps) split across files.
//! Reports statements per second for parsing (parallel across files) and
//! for replay (one core), for the folder replay the command runs (parsing a
//! window of files ahead of the replay), and peak memory.
//!
//!     cargo bench --bench replay            # 20,000+ statements
//!     cargo bench --bench replay -- --quick # a smaller run for CI

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use migsim::catalog::Catalog;
use migsim::replay::sql_files::replay_paths;
use migsim::sql::{self, Parsed};
use rayon::prelude::*;

/// Counts live heap bytes, so the benchmark can report what the catalog
/// itself holds (resident memory also counts freed pages malloc keeps).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live_mib() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
}

/// A migration history of about `tables * 12` statements, `per_file`
/// statements per file.
fn generate(tables: usize, per_file: usize) -> Vec<String> {
    let mut stmts: Vec<String> = Vec::new();
    stmts.push("CREATE EXTENSION IF NOT EXISTS pgcrypto".into());
    for i in 0..tables {
        if i % 20 == 0 {
            stmts.push(format!(
                "CREATE TYPE status_{i} AS ENUM ('new', 'active', 'closed')"
            ));
        }
        let enum_ty = format!("status_{}", i / 20 * 20);
        let fk = if i > 0 {
            format!(
                ",\n    parent_id bigint REFERENCES t{}(id) ON DELETE CASCADE",
                i - 1
            )
        } else {
            String::new()
        };
        stmts.push(format!(
            "CREATE TABLE t{i} (\n    id bigserial PRIMARY KEY,\n    name varchar(100) NOT NULL,\n    email text UNIQUE,\n    status {enum_ty} NOT NULL DEFAULT 'new',\n    payload jsonb,\n    score numeric(10,2) CHECK (score >= 0),\n    created_at timestamptz NOT NULL DEFAULT now(){fk}\n)"
        ));
        stmts.push(format!("CREATE INDEX ix_t{i}_name ON t{i} (lower(name))"));
        stmts.push(format!(
            "CREATE UNIQUE INDEX ux_t{i}_email_active ON t{i} (email) WHERE status = 'active'"
        ));
        stmts.push(format!(
            "ALTER TABLE t{i} ADD COLUMN note text, ADD COLUMN flag boolean NOT NULL DEFAULT false"
        ));
        stmts.push(format!(
            "ALTER TABLE t{i} ALTER COLUMN name TYPE varchar(200)"
        ));
        stmts.push(format!("COMMENT ON TABLE t{i} IS 'table number {i}'"));
        stmts.push(format!(
            "INSERT INTO t{i} (name, email) VALUES ('n{i}', 'e{i}@example.com')"
        ));
        if i % 20 == 5 {
            stmts.push(format!(
                "ALTER TYPE {enum_ty} ADD VALUE IF NOT EXISTS 'archived' AFTER 'closed'"
            ));
        }
        if i % 10 == 9 {
            stmts.push(format!(
                "CREATE VIEW v{i} AS SELECT a.id, a.name, b.name AS parent_name FROM t{i} a JOIN t{} b ON b.id = a.parent_id WHERE a.flag",
                i - 1
            ));
        }
        if i % 7 == 3 {
            stmts.push(format!("ALTER TABLE t{i} RENAME COLUMN note TO remark"));
            stmts.push(format!("DROP INDEX ix_t{i}_name"));
        }
        if i % 11 == 4 {
            stmts.push(format!("ALTER TABLE t{i} DROP COLUMN payload"));
        }
        stmts.push(format!("UPDATE t{i} SET flag = true WHERE id = 1"));
    }
    stmts
        .chunks(per_file)
        .map(|c| {
            let mut s = String::new();
            for st in c {
                let _ = writeln!(s, "{st};");
            }
            s
        })
        .collect()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(r);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (tables, runs) = if quick { (300, 1) } else { (1_800, 5) };
    let files = generate(tables, 100);
    let bytes: usize = files.iter().map(String::len).sum();

    let (parse_s, parsed) = best_of(runs, || {
        files
            .par_iter()
            .map(|f| sql::parse_script(f))
            .collect::<Vec<Vec<Parsed>>>()
    });
    let statements: usize = parsed.iter().map(Vec::len).sum();
    let live_parsed = live_mib();
    let (parse_1_s, _) = best_of(runs, || {
        files
            .iter()
            .map(|f| sql::parse_script(f))
            .collect::<Vec<_>>()
    });

    let (replay_s, catalog) = best_of(runs, || {
        let mut c = Catalog::new();
        for file in &parsed {
            for p in file {
                if let Parsed::Statement(s) = p {
                    c.apply(&s.node).expect("generated history replays");
                }
            }
        }
        c
    });
    let live_catalog = live_mib() - live_parsed;
    // The command's own path: files read from disk, parsed a window ahead
    // of the replay.
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let p = dir.path().join(format!("{i:05}.sql"));
            std::fs::write(&p, f).expect("write sample file");
            p
        })
        .collect();
    let (folder_s, folder) = best_of(runs, || {
        replay_paths(&paths, dir.path(), migsim::replay::Replayer::default())
    });
    assert!(
        !folder.replayer.stopped(),
        "the generated history replays from files"
    );
    let (render_s, sql_out) = best_of(runs, || catalog.to_sql());
    if std::env::args().any(|a| a == "--by-kind") {
        // Where replay time goes, by statement kind.
        let mut by_kind: std::collections::BTreeMap<String, (usize, f64)> = Default::default();
        let mut c = Catalog::new();
        for file in &parsed {
            for p in file {
                if let Parsed::Statement(s) = p {
                    let kind = format!("{:?}", s.node)
                        .split('(')
                        .next()
                        .unwrap_or("?")
                        .to_string();
                    let t = Instant::now();
                    c.apply(&s.node).expect("generated history replays");
                    let e = by_kind.entry(kind).or_default();
                    e.0 += 1;
                    e.1 += t.elapsed().as_secs_f64();
                }
            }
        }
        for (k, (n, secs)) in by_kind {
            println!(
                "  {k:<24} {n:>6} statements {:>9.1} ms {:>9.1} us each",
                secs * 1e3,
                secs * 1e6 / n as f64
            );
        }
    }

    println!(
        "replay benchmark: {statements} statements in {} files ({:.1} MB), best of {runs}",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  parse, 1 thread            {:>8.1} ms  {:>9.0} statements/s",
        parse_1_s * 1e3,
        statements as f64 / parse_1_s
    );
    println!(
        "  parse, {} threads           {:>8.1} ms  {:>9.0} statements/s",
        rayon::current_num_threads(),
        parse_s * 1e3,
        statements as f64 / parse_s
    );
    println!(
        "  replay into catalog, 1 core {:>7.1} ms  {:>9.0} statements/s",
        replay_s * 1e3,
        statements as f64 / replay_s
    );
    println!(
        "  parse (parallel) + replay  {:>8.1} ms  {:>9.0} statements/s",
        (parse_s + replay_s) * 1e3,
        statements as f64 / (parse_s + replay_s)
    );
    println!(
        "  migsim's folder replay     {:>8.1} ms  {:>9.0} statements/s  (read, parse overlapped with replay)",
        folder_s * 1e3,
        statements as f64 / folder_s
    );
    println!(
        "  render schema as SQL       {:>8.1} ms  ({} bytes, {} objects)",
        render_s * 1e3,
        sql_out.len(),
        catalog.object_count()
    );
    println!(
        "  heap: parsed statements {live_parsed:.1} MiB, replayed catalog {live_catalog:.1} MiB"
    );
    if let Some(kib) = peak_rss_kib() {
        println!(
            "  peak memory (VmHWM)        {:>8.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
