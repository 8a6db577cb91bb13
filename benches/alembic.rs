//! Alembic benchmark: a generated project of 1,000 revisions shaped like
//! real histories (a side branch and a merge every ten revisions;
//! autogenerate-style tables with a project TypeDecorator
//! and helpers, foreign keys to earlier tables, enums, batch blocks, loops,
//! column changes, views and triggers from `op.execute`, data steps).
//! Reports, for `migsim replay` end to end (discover, read and parse every
//! file, order the graph, run each `upgrade()`, lower, replay into the
//! catalog), in this process and as the command in a new process, and for
//! `migsim sql` (Alembic's offline script), the time and
//! the rate, and the time real `alembic upgrade heads --sql` takes on the
//! same folder when the oracle's Python environment is there.
//!
//!     cargo bench --bench alembic            # 1,000 revisions, best of 3
//!     cargo bench --bench alembic -- --quick # 200 revisions, one run
//!     cargo bench --bench alembic -- --write DIR  # only write the project
//!                                                 # (to profile `migsim replay DIR`)

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use migsim::python::EvalConfig;
use migsim::replay::alembic::{AlembicOptions, load_history, offline_sql, replay_history};

const INI: &str = "[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\npath_separator = os\nsqlalchemy.url = postgresql://app@localhost/app\n";

const ENV_PY: &str = r#"from alembic import context

config = context.config
target_metadata = None


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    raise SystemExit("this benchmark project runs offline only")
"#;

const TYPES_PY: &str = r#"import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


class GUID(sa.types.TypeDecorator):
    impl = sa.CHAR
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID())
        return dialect.type_descriptor(sa.CHAR(32))
"#;

const HELPERS_PY: &str = r#"import sqlalchemy as sa
from alembic import op


def timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    ]


def add_touch_trigger(table):
    op.execute(f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION touch()")
"#;

fn rev_id(i: usize) -> String {
    format!(
        "{:04x}{:08x}",
        i,
        (i as u64).wrapping_mul(2_654_435_761) as u32
    )
}

/// The revisions revision `i` follows. In blocks of ten: x0..x4, x6, x8 on
/// the main line, x5 and x7 a side branch off x0, x9 merging both.
fn parents(i: usize) -> Vec<usize> {
    match i % 10 {
        _ if i == 0 => Vec::new(),
        5 => vec![i - 5],
        6..=8 => vec![i - 2],
        9 => vec![i - 1, i - 2],
        _ => vec![i - 1],
    }
}

fn revision(i: usize) -> String {
    let ps = parents(i);
    let down = match ps.as_slice() {
        [] => "None".to_string(),
        [p] => format!("'{}'", rev_id(*p)),
        many => format!(
            "({})",
            many.iter()
                .map(|p| format!("'{}'", rev_id(*p)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut up = String::new();
    let mut down_body = String::new();
    if i == 0 {
        up.push_str(
            "    op.execute(\"\"\"\n    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n    BEGIN NEW.updated_at = now(); RETURN NEW; END $$\n    \"\"\")\n",
        );
    }
    let fk = if let Some(p) = ps.first() {
        format!(
            "        sa.Column('parent_id', GUID(), sa.ForeignKey('t{p}.id', ondelete='CASCADE'), nullable=True),\n"
        )
    } else {
        String::new()
    };
    let _ = write!(
        up,
        "    op.create_table(
        't{i}',
        sa.Column('id', GUID(), primary_key=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='status_{i}'), nullable=False, server_default='new'),
        sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
{fk}        *timestamps(),
    )
    op.create_index(op.f('ix_t{i}_name'), 't{i}', ['name'], unique=False)
    with op.batch_alter_table('t{i}', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_t{i}_name', ['name'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(\"COMMENT ON TABLE t{i} IS 'generated %d'\" % {i})
    for col in ['a', 'b', 'c']:
        op.add_column('t{i}', sa.Column('col_' + col, sa.Text(), nullable=True))
    add_touch_trigger('t{i}')
"
    );
    // Only tables of earlier blocks are sure to exist on every branch.
    if i >= 10 && i.is_multiple_of(5) {
        let t = i - i % 10 - if i.is_multiple_of(10) { 3 } else { 6 };
        let _ = write!(
            up,
            "    op.alter_column('t{t}', 'extra', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True)
    op.alter_column('t{t}', 'col_a', new_column_name='col_alpha')
    op.drop_column('t{t}', 'col_c')
    op.create_check_constraint('ck_t{t}_extra', 't{t}', 'extra >= 0')
"
        );
        let _ = write!(
            down_body,
            "    op.drop_constraint('ck_t{t}_extra', 't{t}', type_='check')
    op.add_column('t{t}', sa.Column('col_c', sa.Text(), nullable=True))
    op.alter_column('t{t}', 'col_alpha', new_column_name='col_a')
    op.alter_column('t{t}', 'extra', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True)
"
        );
    }
    if i > 0 && i.is_multiple_of(10) {
        let _ = write!(
            up,
            "    op.execute(\"\"\"
        CREATE VIEW v{i} AS
        SELECT c.id, c.name, p.name AS parent_name, c.status
        FROM t{i} c LEFT JOIN t{p} p ON p.id = c.parent_id
        WHERE c.status <> 'closed'
    \"\"\")
",
            p = i - 1
        );
        let _ = writeln!(down_body, "    op.execute('DROP VIEW v{i}')");
    }
    if i.is_multiple_of(25) {
        let _ = write!(
            up,
            "    kinds = sa.table('t{i}', sa.column('id', GUID()), sa.column('name', sa.String()), sa.column('status', sa.String()))
    op.bulk_insert(kinds, [
        {{'id': '00000000-0000-0000-0000-{i:012}', 'name': 'first', 'status': 'new'}},
        {{'id': '00000000-0000-0000-0001-{i:012}', 'name': 'second', 'status': 'open'}},
    ])
"
        );
    }
    let _ = write!(
        down_body,
        "    op.drop_index(op.f('ix_t{i}_name'), table_name='t{i}')
    op.drop_table('t{i}')
    sa.Enum(name='status_{i}').drop(op.get_bind())
"
    );
    format!(
        r#""""step {i}

Revision ID: {id}
Revises: {revises}
Create Date: 2024-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from app.types import GUID
from app.helpers import timestamps, add_touch_trigger

revision = '{id}'
down_revision = {down}
branch_labels = None
depends_on = None

STATUSES = ["new", "open", "closed"]


def upgrade():
{up}

def downgrade():
{down_body}"#,
        id = rev_id(i),
        revises = ps.iter().map(|p| rev_id(*p)).collect::<Vec<_>>().join(", ")
    )
}

fn write_project(root: &Path, n: usize) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).expect("create folder");
        }
        std::fs::write(p, text).expect("write file");
    };
    w("alembic.ini", INI);
    w("migrations/env.py", ENV_PY);
    w("migrations/script.py.mako", "# unused\n");
    w("app/__init__.py", "");
    w("app/types.py", TYPES_PY);
    w("app/helpers.py", HELPERS_PY);
    for i in 0..n {
        w(
            &format!("migrations/versions/{}_step_{i}.py", rev_id(i)),
            &revision(i),
        );
    }
}

/// `(first run, best run, result)`: the first run is cold (nothing read
/// before in this process; the files may sit in the OS cache).
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut first = None;
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        let secs = t.elapsed().as_secs_f64();
        first.get_or_insert(secs);
        best = best.min(secs);
        out = Some(v);
    }
    (first.unwrap_or(best), best, out.expect("at least one run"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let (n, runs) = if quick { (200, 1) } else { (1_000, 3) };
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = args.get(i + 1).expect("--write DIR");
        write_project(Path::new(dir), n);
        println!("wrote a {n}-revision project to {dir}");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write_project(root, n);
    let ini = root.join("alembic.ini");
    let eval = EvalConfig::default();

    let (replay_cold, replay_s, replay) = timed(runs, || {
        let history = load_history(&ini).expect("generated project loads");
        replay_history(&history, &AlembicOptions::default())
    });
    if let Some(stop) = &replay.replayer.stop {
        panic!("generated history must replay: {}", stop.diagnostic);
    }
    assert_eq!(replay.applied.len(), n, "every revision applied");
    let statements = replay.replayer.stats.statements;

    // The command as a user runs it: a new process each time, output to
    // a pipe. The first run is the cold one.
    let (process_cold, process_s, status) = timed(runs, || {
        Command::new(env!("CARGO_BIN_EXE_migsim"))
            .arg("replay")
            .arg(root)
            .output()
            .expect("migsim runs")
            .status
    });
    assert!(status.success(), "migsim replay fails: {status}");

    let (_, sql_s, script) = timed(runs, || {
        let history = load_history(&ini).expect("generated project loads");
        offline_sql(&history, None, "heads", false, &eval).expect("offline SQL")
    });

    println!(
        "alembic benchmark: {n} revisions, best of {runs} ({})",
        replay.coverage.summary()
    );
    println!(
        "  migsim replay, cold         {:>8.1} ms  {:>7.0} files/s",
        replay_cold * 1e3,
        n as f64 / replay_cold
    );
    println!(
        "  migsim replay (end to end)  {:>8.1} ms  {:>7.0} files/s  {:>8.0} statements/s",
        replay_s * 1e3,
        n as f64 / replay_s,
        statements as f64 / replay_s
    );
    println!(
        "  `migsim replay DIR` process {:>8.1} ms  {:>7.0} files/s  (cold {:.1} ms)",
        process_s * 1e3,
        n as f64 / process_s,
        process_cold * 1e3
    );
    println!(
        "  migsim sql (offline script) {:>8.1} ms  {:>7.0} files/s  ({} bytes)",
        sql_s * 1e3,
        n as f64 / sql_s,
        script.text.len()
    );
    let alembic = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/alembic");
    if alembic.exists() {
        let t = Instant::now();
        let out = Command::new(&alembic)
            .arg("-c")
            .arg(&ini)
            .args(["upgrade", "heads", "--sql"])
            .current_dir(root)
            .output()
            .expect("alembic runs");
        let alembic_s = t.elapsed().as_secs_f64();
        if out.status.success() {
            println!(
                "  alembic upgrade heads --sql {:>8.1} ms  ({:.0}x migsim replay, {:.0}x migsim sql)",
                alembic_s * 1e3,
                alembic_s / replay_s,
                alembic_s / sql_s
            );
        } else {
            println!(
                "  alembic upgrade heads --sql failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
        }
    } else {
        println!("  (no .venv: Alembic not timed; run scripts/setup.sh)");
    }
}
