//! A generated project of 1,000 revisions with branches, merges and
//! `depends_on`: migsim must order it exactly as real Alembic does. Prints
//! the measured times (discover + read/parse + graph + order, and Alembic's
//! `upgrade heads --sql` on the same folder); speed itself is benchmarked by
//! `benches/alembic.rs`.

mod graph_common;

use std::fmt::Write as _;
use std::fs;
use std::time::Instant;

use graph_common::{ENV_PY, FixtureRev, alembic_steps, migsim_steps, revision_file, run_alembic};
use migsim::alembic::discover::discover;
use migsim::alembic::history::History;

/// Revision `i` in blocks of ten: a main line, a side branch off every
/// block's first revision merged back at its end, and every 50th revision
/// depending on one 30 earlier.
fn specs(n: usize) -> Vec<FixtureRev> {
    let id = |i: usize| {
        format!(
            "{:04x}{:08x}",
            i,
            (i as u64).wrapping_mul(2_654_435_761) as u32
        )
    };
    (0..n)
        .map(|i| {
            // x0..x4, x6, x8 main line; x5, x7 a side branch off x0;
            // x9 merges them.
            let down: Vec<String> = match i % 10 {
                _ if i == 0 => Vec::new(),
                5 => vec![id(i - 5)],
                6..=8 => vec![id(i - 2)],
                9 => vec![id(i - 1), id(i - 2)],
                _ => vec![id(i - 1)],
            };
            let deps = if i >= 30 && i % 50 == 0 {
                vec![id(i - 30)]
            } else {
                Vec::new()
            };
            FixtureRev {
                id: id(i),
                down,
                deps,
                doc: format!("step {i}"),
                ..Default::default()
            }
        })
        .collect()
}

fn body(r: &FixtureRev, i: usize) -> String {
    let mut s = revision_file(r);
    let mut up = String::new();
    let _ = write!(
        up,
        "    op.create_table(\n        \"t{i}\",\n        sa.Column(\"id\", sa.Integer(), primary_key=True),\n        sa.Column(\"name\", sa.String(length=100), nullable=False),\n    )\n    op.create_index(\"ix_t{i}_name\", \"t{i}\", [\"name\"])"
    );
    s = s.replacen(
        "def upgrade() -> None:\n    pass",
        &format!("def upgrade() -> None:\n{up}"),
        1,
    );
    s.replacen(
        "def downgrade() -> None:\n    pass",
        &format!("def downgrade() -> None:\n    op.drop_index(\"ix_t{i}_name\", table_name=\"t{i}\")\n    op.drop_table(\"t{i}\")"),
        1,
    )
}

#[test]
fn thousand_revisions_order_like_alembic_and_fast() {
    let n = 1000;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("mig/versions")).unwrap();
    fs::write(
        root.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s/mig\npath_separator = os\n",
    )
    .unwrap();
    fs::write(root.join("mig/env.py"), ENV_PY).unwrap();
    for (i, r) in specs(n).iter().enumerate() {
        fs::write(
            root.join(format!("mig/versions/{}_step_{i}.py", r.id)),
            body(r, i),
        )
        .unwrap();
    }
    let cfg = root.join("alembic.ini");

    let start = Instant::now();
    let project = discover(&cfg).unwrap();
    let t_discover = start.elapsed();
    let h = History::load(project);
    let t_load = start.elapsed();
    let steps = h.graph.upgrade_plan(None, "heads").unwrap();
    let t_total = start.elapsed();
    assert_eq!(steps.len(), n);
    let problems: Vec<String> = h
        .diagnostics()
        .filter(|d| d.severity >= migsim::report::Severity::Warning)
        .map(|d| d.to_string())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");

    let a_start = Instant::now();
    let out = run_alembic(
        root,
        &[vec![
            "-c".into(),
            cfg.to_string_lossy().into_owned(),
            "upgrade".into(),
            "heads".into(),
            "--sql".into(),
        ]],
        0,
    );
    let t_alembic = a_start.elapsed();
    assert!(out[0].error.is_none(), "{:?}", out[0].error);
    let theirs: Vec<String> = alembic_steps(&out[0].stdout)
        .into_iter()
        .map(|s| s.0)
        .collect();
    let mine: Vec<String> = migsim_steps(&steps).into_iter().map(|s| s.0).collect();
    assert_eq!(mine, theirs);

    eprintln!(
        "{n} revisions: discover {:.1} ms, read+parse+graph {:.1} ms, order+steps {:.1} ms, total {:.1} ms ({:.0} files/s); alembic upgrade heads --sql {:.0} ms",
        t_discover.as_secs_f64() * 1e3,
        (t_load - t_discover).as_secs_f64() * 1e3,
        (t_total - t_load).as_secs_f64() * 1e3,
        t_total.as_secs_f64() * 1e3,
        n as f64 / t_total.as_secs_f64(),
        t_alembic.as_secs_f64() * 1e3,
    );
}
