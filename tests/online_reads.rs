//! What a migration reads back from the database, against the judges: the
//! same Python function run by real SQLAlchemy on PostgreSQL and by
//! migsim's reader on the simulated catalog must return the same value.
//! Two kinds of reads: reflected tables (`sa.Table(..., autoload_with=)`,
//! `metadata.reflect`), and queries of the system catalogs
//! (`bind.exec_driver_sql("SELECT ... FROM pg_index ...").first()`), one
//! case per query shape migsim answers.
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

const QUERY_SCHEMA: &str = "
CREATE SCHEMA other;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE SEQUENCE counter;
CREATE TABLE flow_run (
    id serial PRIMARY KEY,
    state_type text NOT NULL,
    start_time timestamptz,
    expected_start_time timestamptz,
    gone int,
    m mood,
    n posint,
    CONSTRAINT flow_run_state_check CHECK (state_type <> ''),
    CONSTRAINT flow_run_state_key UNIQUE (state_type, id)
);
ALTER TABLE flow_run DROP COLUMN gone;
CREATE TABLE other.child (id int PRIMARY KEY, run_id int REFERENCES flow_run (id));
CREATE INDEX ix_flow_run__state_type ON flow_run (state_type);
CREATE INDEX ix_flow_run__coalesce ON flow_run (state_type, (coalesce(start_time, expected_start_time)));
CREATE VIEW recent AS SELECT id FROM flow_run;
CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM flow_run;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER flow_run_touch BEFORE UPDATE ON flow_run FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY own_runs ON flow_run USING (true);
";

/// `rows(sql)`: every row of a query as tuples.
const ROWS: &str = "    def rows(sql):
        return [tuple(r) for r in bind.exec_driver_sql(sql)]
";

const QUERY_CASES: &[Case] = &[
    Case {
        name: "prefect's index probes (pg_index, pg_class, pg_namespace)",
        schema: QUERY_SCHEMA,
        // psycopg2 reads `%` in exec_driver_sql text as a parameter marker
        // (prefect runs this on asyncpg with `format('%I.%I', ...)`).
        body: "    q = \"SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indrelid = to_regclass('flow_run') AND c.relname = \"
    found = bind.exec_driver_sql(q + \"'ix_flow_run__state_type'\").first()
    missing = bind.exec_driver_sql(q + \"'ix_nope'\").first()
    invalid = bind.exec_driver_sql(\"SELECT 1 FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = 'ix_flow_run__coalesce' AND NOT i.indisvalid\").scalar()
    facts = [tuple(found), found[1], missing, invalid]",
    },
    Case {
        name: "existence and counts",
        schema: QUERY_SCHEMA,
        body: "    facts = [
        bind.execute(sa.text('SELECT 1 FROM pg_type WHERE typname = :n'), {'n': 'mood'}).scalar(),
        bind.execute(sa.text(\"SELECT 1 FROM pg_type WHERE typname = 'nope'\")).fetchone(),
        bind.exec_driver_sql(\"SELECT count(*) FROM pg_indexes WHERE tablename = 'flow_run'\").scalar(),
        bind.exec_driver_sql(\"SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'flow_run')\").scalar(),
        tuple(bind.exec_driver_sql(\"SELECT to_regclass('public.flow_run') IS NOT NULL, to_regclass('nope') IS NULL\").first()),
        bind.exec_driver_sql(\"SELECT conname FROM pg_constraint WHERE contypid = 'posint'::regtype\").scalar(),
        len(bind.exec_driver_sql(\"SELECT oid FROM pg_class WHERE relname = 'flow_run'\").fetchall()),
        bind.exec_driver_sql(\"SELECT indexname, tablename FROM pg_indexes WHERE indexname = 'ix_flow_run__state_type'\").one().tablename,
        bind.exec_driver_sql(\"SELECT typname AS name FROM pg_type WHERE typname = 'mood'\").mappings().all(),
        bind.exec_driver_sql(\"SELECT 1 FROM pg_extension WHERE extname = 'plpgsql'\").scalar_one(),
    ]",
    },
    Case {
        name: "ordered listings",
        schema: QUERY_SCHEMA,
        body: "    facts = [
        rows(\"SELECT indexname FROM pg_indexes WHERE tablename = 'flow_run' ORDER BY indexname\"),
        bind.exec_driver_sql(\"SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'mood' ORDER BY e.enumsortorder\").scalars().all(),
        rows(\"SELECT column_name, is_nullable, data_type FROM information_schema.columns WHERE table_name = 'flow_run' ORDER BY ordinal_position\"),
        rows(\"SELECT conname, contype FROM pg_constraint WHERE conrelid = 'flow_run'::regclass ORDER BY conname\"),
        rows(\"SELECT conname, contype FROM pg_constraint WHERE conrelid = 'other.child'::regclass ORDER BY 1\"),
        rows(\"SELECT attname, attnotnull, attisdropped FROM pg_attribute WHERE attrelid = 'flow_run'::regclass AND attnum > 0 ORDER BY attnum\"),
        rows(\"SELECT nspname FROM pg_namespace WHERE nspname IN ('other', 'public', 'nope') ORDER BY nspname\"),
        rows(\"SELECT extname, extversion FROM pg_extension ORDER BY extname\"),
        rows(\"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name\"),
        rows(\"SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename\"),
        rows(\"SELECT viewname FROM pg_views WHERE schemaname = 'public'\"),
        rows(\"SELECT matviewname FROM pg_matviews\"),
        rows(\"SELECT indexname FROM pg_indexes WHERE schemaname = 'pg_catalog' AND tablename = 'pg_type' ORDER BY indexname\"),
        rows(\"SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY c.relname\"),
        rows(\"SELECT constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_name = 'flow_run' AND constraint_type <> 'CHECK' ORDER BY constraint_name\"),
        rows(\"SELECT typname, typtype FROM pg_type WHERE typnamespace = 'public'::regnamespace ORDER BY typname\"),
        rows(\"SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'other'\"),
    ]",
    },
    Case {
        name: "functions, DISTINCT, LIMIT, triggers and policies",
        schema: QUERY_SCHEMA,
        body: "    facts = [
        bind.execute(sa.text(\"SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'child'\")).scalar(),
        tuple(bind.execute(sa.text(\"SELECT format('%s=%L', 'x', NULL), concat('a', 1, NULL, true), lower('AbC'), upper('x'), quote_literal('it''s'), current_schema(), true::text, format('%s', false)\")).first()),
        tuple(bind.exec_driver_sql(\"SELECT coalesce(NULL, 'z'), 'x' || 'y', 1::text, '7'::int, current_schema\").one()),
        rows(\"SELECT DISTINCT schemaname FROM pg_indexes WHERE tablename IN ('flow_run', 'child') ORDER BY schemaname\"),
        rows(\"SELECT indexname FROM pg_indexes WHERE tablename = 'flow_run' ORDER BY indexname LIMIT 2 OFFSET 1\"),
        rows(\"SELECT tgname FROM pg_trigger WHERE tgname = 'flow_run_touch'\"),
        rows(\"SELECT trigger_name, event_object_table FROM information_schema.triggers WHERE event_object_table = 'flow_run'\"),
        rows(\"SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public'\"),
        rows(\"SELECT typname FROM pg_type WHERE typname IN ('int4', '_int4', 'pg_class', 'sql_identifier', 'mood') ORDER BY typname\"),
        rows(\"SELECT relname, relkind FROM pg_class WHERE relname IN ('pg_type', 'pg_class_oid_index', 'tables') ORDER BY relname\"),
        bind.exec_driver_sql(\"SELECT count(*) FROM pg_tables WHERE schemaname = 'pg_catalog'\").scalar(),
        bind.exec_driver_sql(\"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'information_schema'\").scalar(),
    ]",
    },
];

#[test]
fn catalog_queries_match_postgresql() {
    let cases: Vec<Case> = QUERY_CASES
        .iter()
        .map(|c| Case {
            name: c.name,
            schema: c.schema,
            body: Box::leak(format!("{ROWS}{}", c.body).into_boxed_str()),
        })
        .collect();
    check(&cases, "query");
}
