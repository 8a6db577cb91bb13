//! What a migration reads back from the database, against the judges: the
//! same Python function run by real SQLAlchemy on PostgreSQL and by
//! migsim's reader on the simulated catalog must return the same value.
//!
//! Each case is a schema (SQL, applied to a fresh database and to a
//! catalog) and the body of `read(bind)`, which ends by binding `facts`.
//! Real side: `.venv`'s SQLAlchemy with psycopg2 prints `repr(facts)`.
//! migsim side: `upgrade()` runs `op.execute(repr(read(op.get_bind())))`,
//! and the SQL it sends is that text. migsim must decide the whole value:
//! an opaque step fails the case.

mod common;

use std::process::Command;

use migsim::alembic::ops::{NamingConvention, RunMemo};
use migsim::alembic::run::{Direction, RunContext, run_migration};
use migsim::alembic::sink::{Halt, MigrationSink, OpaqueStep, SchemaView, SqlStep};
use migsim::catalog::Catalog;
use migsim::python::{EvalConfig, load_python_str};
use migsim::sql::{self, Parsed};

struct Case {
    name: &'static str,
    schema: &'static str,
    /// The body of `read(bind)`, indented by four spaces.
    body: &'static str,
}

/// Records what the migration sends; the catalog stays as the schema made
/// it (the cases only read).
struct Sink {
    catalog: Catalog,
    sent: Vec<String>,
    opaque: Vec<OpaqueStep>,
}

impl MigrationSink for Sink {
    fn schema(&self) -> &dyn SchemaView {
        &self.catalog
    }
    fn execute(&mut self, step: SqlStep) -> Result<(), Halt> {
        self.sent.push(step.sql);
        Ok(())
    }
    fn opaque(&mut self, step: OpaqueStep) {
        self.opaque.push(step);
    }
}

fn catalog_of(schema: &str) -> Catalog {
    let mut c = Catalog::new();
    for p in sql::parse_script(schema) {
        match p {
            Parsed::Statement(s) => {
                if let Err(e) = c.apply(&s.node) {
                    panic!("the case's schema does not apply in migsim: {}", e.message);
                }
            }
            Parsed::Error { message, .. } => panic!("the case's schema does not parse: {message}"),
        }
    }
    c
}

fn migsim_reads(case: &Case) -> Result<String, String> {
    let src = format!(
        "from alembic import op\nimport sqlalchemy as sa\n\ndef read(bind):\n{}\n    return facts\n\ndef upgrade():\n    op.execute(repr(read(op.get_bind())))\n",
        case.body
    );
    let module = load_python_str("versions/0001_read.py", &src);
    let eval = EvalConfig::default();
    let naming = NamingConvention::default();
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval: &eval,
        project: None,
        offline: false,
        naming_convention: &naming,
        literal_binds: false,
        memo: &memo,
    };
    let mut sink = Sink {
        catalog: catalog_of(case.schema),
        sent: Vec::new(),
        opaque: Vec::new(),
    };
    let out = run_migration(&module, Direction::Upgrade, &ctx, &mut sink);
    if !out.diagnostics.is_empty() {
        let msgs: Vec<String> = out.diagnostics.iter().map(|d| d.message.clone()).collect();
        return Err(format!("migsim: {}", msgs.join("; ")));
    }
    if let Some(o) = sink.opaque.first() {
        return Err(format!("migsim: not decided at {}: {}", o.loc, o.reason));
    }
    sink.sent
        .pop()
        .ok_or_else(|| "migsim sent nothing".to_string())
}

fn sqlalchemy_reads(case: &Case, db: &str) -> Result<String, String> {
    let o = common::oracle();
    let python = common::repo_root().join(".venv/bin/python");
    assert!(
        python.exists(),
        "the SQLAlchemy oracle needs the Python environment at .venv; run scripts/setup.sh"
    );
    let src = format!(
        "import warnings\nimport sqlalchemy as sa\nwarnings.simplefilter('ignore')\n\ndef read(bind):\n{}\n    return facts\n\nengine = sa.create_engine('postgresql+psycopg2://postgres@{}:{}/{db}')\nwith engine.connect() as bind:\n    print(repr(read(bind)))\n",
        case.body, o.host, o.port
    );
    let out = Command::new(python)
        .arg("-c")
        .arg(&src)
        .output()
        .map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "SQLAlchemy fails: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn check(cases: &[Case], prefix: &str) {
    let oracle = common::oracle();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let db = format!("migsim_{prefix}_{i}");
        let mut pg = oracle.fresh_db(&db);
        pg.batch_execute(case.schema)
            .unwrap_or_else(|e| panic!("{}: the schema fails on PostgreSQL: {e}", case.name));
        drop(pg);
        let real = sqlalchemy_reads(case, &db);
        oracle.drop_db(&db);
        let real = match real {
            Ok(r) => r,
            Err(e) => panic!("{}: {e}", case.name),
        };
        match migsim_reads(case) {
            Ok(ours) if ours == real => {}
            Ok(ours) => failures.push(format!(
                "{}:\n  SQLAlchemy: {real}\n  migsim:     {ours}",
                case.name
            )),
            Err(e) => failures.push(format!("{}: {e}\n  SQLAlchemy: {real}", case.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const REFLECT_SCHEMA: &str = "
CREATE SCHEMA other;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE other.owners (id serial PRIMARY KEY, label varchar(40) UNIQUE);
CREATE TABLE experiments (
    experiment_id serial PRIMARY KEY,
    name varchar(256) NOT NULL CONSTRAINT experiments_name_key UNIQUE,
    ok int CHECK (ok > 0)
);
CREATE TABLE datasets (
    id integer,
    experiment_id integer REFERENCES experiments ON DELETE CASCADE,
    owner_id int REFERENCES other.owners (id),
    name text DEFAULT 'x',
    created timestamp(3) with time zone NOT NULL,
    tags text[],
    m mood,
    CONSTRAINT pk_ds PRIMARY KEY (id),
    CONSTRAINT uq_ds UNIQUE (name, id)
);
CREATE INDEX ix_ds_lower ON datasets (lower(name));
CREATE INDEX ix_ds_name ON datasets (name, experiment_id);
CREATE UNIQUE INDEX ix_ds_created ON datasets (created);
CREATE VIEW v AS SELECT id, name FROM datasets;
";

const REFLECT_CASES: &[Case] = &[
    Case {
        name: "a reflected table and its parts",
        schema: REFLECT_SCHEMA,
        body: "    md = sa.MetaData()
    t = sa.Table('datasets', md, autoload_with=bind)
    fkcs = sorted(t.foreign_key_constraints, key=lambda c: c.name)
    facts = [
        t.name, t.fullname, t.schema, t.c.keys(), len(t.c), 'name' in t.c, 'nope' in t.c,
        t.primary_key.name, [c.name for c in t.primary_key.columns],
        [(c.name, c.column_keys, c.referred_table.fullname, c.ondelete, c.onupdate,
          [e.target_fullname for e in c.elements], [e.parent.name for e in c.elements],
          [e.column.name for e in c.elements], [e.column.table.name for e in c.elements],
          c.table.name, c.columns.keys())
         for c in fkcs],
        sorted(md.tables.keys()),
        sorted((i.name, i.unique, [c.name for c in i.columns]) for i in t.indexes),
        sorted(c.name for c in t.constraints if c.name),
        [(c.name, c.key, c.nullable, c.primary_key, c.autoincrement, c.comment) for c in t.c],
        [f.target_fullname for f in t.c.experiment_id.foreign_keys],
        len(t.c.id.foreign_keys), t.c[2].name, t.c['m'].name, t.c.name.table.name,
    ]",
    },
    Case {
        name: "the referred tables, reflected with it",
        schema: REFLECT_SCHEMA,
        body: "    md = sa.MetaData()
    sa.Table('datasets', md, autoload_with=bind)
    e = md.tables['experiments']
    o = md.tables['other.owners']
    facts = [
        e.c.keys(), e.primary_key.name, sorted(c.name for c in e.constraints),
        [(c.name, c.nullable, c.autoincrement) for c in e.c],
        o.fullname, o.schema, o.c.keys(), [c.name for c in o.primary_key.columns],
        sorted(c.name for c in o.constraints),
        sorted(md.tables),
    ]",
    },
    Case {
        name: "metadata.reflect, views, a missing table",
        schema: REFLECT_SCHEMA,
        body: "    md = sa.MetaData()
    md.reflect(bind)
    views = sa.MetaData()
    views.reflect(bind, views=True, only=['v'])
    try:
        sa.Table('nope', sa.MetaData(), autoload_with=bind)
        missing = 'found'
    except sa.exc.NoSuchTableError as e:
        missing = 'NoSuchTableError'
    v = views.tables['v']
    facts = [
        sorted(md.tables), sorted(views.tables), v.c.keys(), v.primary_key.name,
        len(v.constraints), len(v.foreign_keys), missing,
    ]",
    },
];

#[test]
fn reflected_tables_match_sqlalchemy() {
    check(REFLECT_CASES, "reflect");
}
