//! Throughput of reading and running revisions, on generated migration
//! files shaped like autogenerate output plus hand-written helpers.
//! Ignored by default; run with
//! `cargo test --release --test python_bench -- --ignored --nocapture`.

use std::path::PathBuf;
use std::time::Instant;

use migsim::alembic::ops::{NamingConvention, RunMemo};
use migsim::alembic::run::testing::{FakeSchema, FakeSink};
use migsim::alembic::run::{Direction, RunContext, run_migration};
use migsim::alembic::sink::{Halt, MigrationSink, OpaqueStep, SqlStep};
use migsim::python::{EvalConfig, ParsedModule, ProjectModules, read_python_file};
use rayon::prelude::*;

/// Counts statements; the schema is always empty. Isolates the reader and
/// the lowering from the fake sink's own SQL parsing.
#[derive(Default)]
struct CountingSink {
    schema: FakeSchema,
    statements: usize,
}

impl MigrationSink for CountingSink {
    fn schema(&self) -> &dyn migsim::alembic::sink::SchemaView {
        &self.schema
    }
    fn execute(&mut self, _step: SqlStep) -> Result<(), Halt> {
        self.statements += 1;
        Ok(())
    }
    fn opaque(&mut self, _step: OpaqueStep) {}
}

fn migration(i: usize) -> String {
    let prev = if i == 0 {
        "None".to_string()
    } else {
        format!("'{:04}'", i - 1)
    };
    format!(
        r#""""revision {i}

Revision ID: {i:04}
Revises: {prev}
Create Date: 2024-01-01 00:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from app.types import GUID
from app.helpers import timestamps, add_trigger

revision = '{i:04}'
down_revision = {prev}
branch_labels = None
depends_on = None

STATUSES = ["new", "open", "closed"]


def upgrade():
    op.create_table(
        't{i}',
        sa.Column('id', GUID(), primary_key=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='status_{i}'), nullable=False),
        sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        *timestamps(),
    )
    op.create_index(op.f('ix_t{i}_name'), 't{i}', ['name'], unique=False)
    with op.batch_alter_table('t{i}', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_t{i}_name', ['name'])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("COMMENT ON TABLE t{i} IS 'generated %d'" % {i})
    for col in ['a', 'b', 'c']:
        op.add_column('t{i}', sa.Column('col_' + col, sa.Text(), nullable=True))
    add_trigger('t{i}')


def downgrade():
    op.drop_index(op.f('ix_t{i}_name'), table_name='t{i}')
    op.drop_table('t{i}')
"#
    )
}

#[test]
#[ignore]
fn thousand_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::create_dir_all(root.join("versions")).unwrap();
    std::fs::write(root.join("app/__init__.py"), "").unwrap();
    std::fs::write(
        root.join("app/types.py"),
        "import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\nclass GUID(sa.types.TypeDecorator):\n    impl = sa.CHAR\n    cache_ok = True\n    def load_dialect_impl(self, dialect):\n        if dialect.name == 'postgresql':\n            return dialect.type_descriptor(postgresql.UUID())\n        return dialect.type_descriptor(sa.CHAR(32))\n",
    )
    .unwrap();
    std::fs::write(
        root.join("app/helpers.py"),
        "import sqlalchemy as sa\nfrom alembic import op\ndef timestamps():\n    return [sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False), sa.Column('updated_at', sa.DateTime(timezone=True))]\ndef add_trigger(t):\n    op.execute(f'CREATE TRIGGER {t}_upd BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION touch()')\n",
    )
    .unwrap();
    let n = 1000;
    let paths: Vec<PathBuf> = (0..n)
        .map(|i| {
            let p = root.join(format!("versions/{i:04}_rev.py"));
            std::fs::write(&p, migration(i)).unwrap();
            p
        })
        .collect();
    let bytes: usize = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len() as usize)
        .sum();

    let t0 = Instant::now();
    let seq_modules: Vec<ParsedModule> = paths
        .iter()
        .map(|p| read_python_file(&p.to_string_lossy(), p))
        .collect();
    let parse_seq = t0.elapsed();
    drop(seq_modules);
    let t0 = Instant::now();
    let modules: Vec<ParsedModule> = paths
        .par_iter()
        .map(|p| read_python_file(&p.to_string_lossy(), p))
        .collect();
    let parse = t0.elapsed();
    let project = ProjectModules::new(vec![root.to_path_buf()]);
    let refs: Vec<&ParsedModule> = modules.iter().collect();
    project.preload(&refs);

    let eval = EvalConfig::default();
    let naming = NamingConvention::default();
    let run_all = |parallel: bool, fake: bool| {
        let t = Instant::now();
        let one = |m: &ParsedModule| {
            let memo = RunMemo::default();
            let ctx = RunContext {
                eval: &eval,
                project: Some(&project),
                offline: false,
                naming_convention: &naming,
                literal_binds: false,
                memo: &memo,
            };
            let out = if fake {
                let mut sink = FakeSink::new(FakeSchema::new());
                run_migration(m, Direction::Upgrade, &ctx, &mut sink)
            } else {
                let mut sink = CountingSink::default();
                run_migration(m, Direction::Upgrade, &ctx, &mut sink)
            };
            assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
            assert_eq!(out.ops_total, out.ops_simulated);
            (out.ops_total, out.steps)
        };
        let totals: Vec<(u32, u64)> = if parallel {
            modules.par_iter().map(one).collect()
        } else {
            modules.iter().map(one).collect()
        };
        (t.elapsed(), totals)
    };
    let (fake_seq, _) = run_all(false, true);
    let (seq, totals) = run_all(false, false);
    let (par, _) = run_all(true, false);
    let ops: u32 = totals.iter().map(|t| t.0).sum();
    let steps: u64 = totals.iter().map(|t| t.1).sum();
    println!(
        "{n} revisions, {:.1} MB, {ops} operations, {steps} evaluation steps",
        bytes as f64 / 1e6
    );
    println!(
        "read + parse, 1 thread: {:?}; rayon: {:?}",
        parse_seq, parse
    );
    println!(
        "run with the FakeSink (which parses every statement with pg_query), 1 thread: {:?}",
        fake_seq
    );
    println!(
        "run (evaluation + lowering, counting sink), 1 thread: {:?} = {:.0} revisions/s",
        seq,
        n as f64 / seq.as_secs_f64()
    );
    println!(
        "run, rayon ({} threads): {:?} = {:.0} revisions/s",
        rayon::current_num_threads(),
        par,
        n as f64 / par.as_secs_f64()
    );
}
