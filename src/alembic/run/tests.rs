use super::testing::{FakeSchema, FakeSink};
use super::*;
use crate::alembic::ops::{NamingConvention, RunMemo};
use crate::python::EvalConfig;
use crate::python::load::load_python_str;

struct Ran {
    out: RunOutcome,
    sink: FakeSink,
}

fn run_opts(
    src: &str,
    schema: FakeSchema,
    direction: Direction,
    offline: bool,
    halt_on: Option<&str>,
) -> Ran {
    let m = load_python_str("versions/0001_x.py", src);
    let eval = EvalConfig::default();
    let naming = NamingConvention::default();
    let memo = RunMemo::default();
    let ctx = RunContext {
        eval: &eval,
        project: None,
        offline,
        naming_convention: &naming,
        literal_binds: offline,
        memo: &memo,
    };
    let mut sink = FakeSink::new(schema);
    sink.halt_on = halt_on.map(str::to_owned);
    let out = run_migration(&m, direction, &ctx, &mut sink);
    Ran { out, sink }
}

fn run(src: &str) -> Ran {
    run_opts(src, FakeSchema::new(), Direction::Upgrade, false, None)
}

fn run_on(src: &str, schema: FakeSchema) -> Ran {
    run_opts(src, schema, Direction::Upgrade, false, None)
}

const HEAD: &str = "from alembic import op\nimport sqlalchemy as sa\n";

#[test]
fn operations_become_sql_in_order() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    op.add_column('users', sa.Column('email', sa.String(255), nullable=True))\n    op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)\n\ndef downgrade():\n    pass\n"
    ));
    assert_eq!(
        r.sink.sql(),
        vec![
            "ALTER TABLE users ADD COLUMN email VARCHAR(255)",
            "CREATE UNIQUE INDEX ix_users_email ON users (email)"
        ]
    );
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (2, 2, 0)
    );
    assert_eq!(r.out.statements, 2);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    assert_eq!(r.sink.steps[0].loc.line_col(), (4, 5));
}

#[test]
fn downgrade_pass_does_nothing() {
    let r = run_opts(
        &format!("{HEAD}def upgrade():\n    op.drop_table('x')\ndef downgrade():\n    pass\n"),
        FakeSchema::new(),
        Direction::Downgrade,
        false,
        None,
    );
    assert!(r.sink.steps.is_empty());
    assert_eq!(r.out.ops_total, 0);
}

#[test]
fn dialect_checks_are_postgresql() {
    let r = run(&format!(
        "{HEAD}from alembic import context\ndef upgrade():\n    bind = op.get_bind()\n    if bind.dialect.name == 'sqlite':\n        op.drop_table('a')\n    if op.get_context().dialect.name == 'postgresql':\n        op.drop_table('b')\n    if context.get_context().dialect.name != 'postgresql' or bind.engine.name == 'mysql':\n        op.drop_table('c')\n    if not context.is_offline_mode():\n        op.drop_table('d')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["DROP TABLE b", "DROP TABLE d"]);
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
}

#[test]
fn batch_operations_run_when_the_block_ends() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    with op.batch_alter_table('users', schema=None) as batch_op:\n        batch_op.add_column(sa.Column('age', sa.Integer(), nullable=True))\n        op.execute('SELECT 1')\n        batch_op.drop_column('legacy')\n        batch_op.create_index(batch_op.f('ix_users_age'), ['age'], unique=False)\n"
    ));
    assert_eq!(
        r.sink.sql(),
        vec![
            "SELECT 1",
            "ALTER TABLE users ADD COLUMN age INTEGER",
            "ALTER TABLE users DROP COLUMN legacy",
            "CREATE INDEX ix_users_age ON users (age)"
        ]
    );
    assert_eq!((r.out.ops_total, r.out.ops_simulated), (4, 4));
}

#[test]
fn batch_block_that_raises_does_not_flush() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    with op.batch_alter_table('users') as b:\n        b.drop_column('x')\n        raise ValueError('stop')\n"
    ));
    assert!(r.sink.steps.is_empty());
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("upgrade() raises ValueError: stop")
    );
}

#[test]
fn create_unless_exists_follows_the_schema() {
    let src = format!(
        "{HEAD}from sqlalchemy.engine.reflection import Inspector\ndef upgrade():\n    conn = op.get_bind()\n    insp = sa.inspect(conn)\n    if 'users' not in insp.get_table_names():\n        op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))\n    cols = [c['name'] for c in insp.get_columns('users')]\n    if 'email' not in cols:\n        op.add_column('users', sa.Column('email', sa.Text()))\n    if not Inspector.from_engine(conn).has_table('audit'):\n        op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True))\n    ix = [i['name'] for i in insp.get_indexes('users')]\n    if 'ix_email' not in ix:\n        op.create_index('ix_email', 'users', ['email'])\n"
    );
    let fresh = run(&src);
    assert_eq!(
        fresh.sink.sql(),
        vec![
            "CREATE TABLE users (\n\tid SERIAL NOT NULL, \n\tPRIMARY KEY (id)\n)",
            "ALTER TABLE users ADD COLUMN email TEXT",
            "CREATE TABLE audit (\n\tid SERIAL NOT NULL, \n\tPRIMARY KEY (id)\n)",
            "CREATE INDEX ix_email ON users (email)"
        ]
    );
    assert!(fresh.out.opaque.is_empty(), "{:?}", fresh.out.opaque);
    let existing = run_on(
        &src,
        FakeSchema::new()
            .with_table("users", &[("id", "integer"), ("email", "text")])
            .with_table("audit", &[("id", "integer")])
            .with_index("users", "ix_email", &["email"], false),
    );
    assert!(existing.sink.steps.is_empty(), "{:?}", existing.sink.sql());
    assert_eq!(existing.out.ops_total, 0);
}

#[test]
fn no_such_table_is_a_python_exception() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    insp = sa.inspect(op.get_bind())\n    try:\n        insp.get_columns('missing')\n    except sa.exc.NoSuchTableError:\n        op.create_table('missing', sa.Column('id', sa.Integer()))\n"
    ));
    assert_eq!(
        r.sink.sql(),
        vec!["CREATE TABLE missing (\n\tid INTEGER\n)"]
    );
    let r = run(&format!(
        "{HEAD}def upgrade():\n    sa.inspect(op.get_bind()).get_pk_constraint('missing')\n"
    ));
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("NoSuchTableError: missing"),
        "{}",
        r.out.diagnostics[0]
    );
}

#[test]
fn enums_from_the_inspector() {
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    names = [e['name'] for e in sa.inspect(op.get_bind()).get_enums()]\n    if 'mood' in names:\n        op.execute(\"ALTER TYPE mood ADD VALUE 'meh'\")\n"
        ),
        FakeSchema::new().with_enum("mood", &["sad", "ok"]),
    );
    assert_eq!(r.sink.sql(), vec!["ALTER TYPE mood ADD VALUE 'meh'"]);
}

#[test]
fn bind_execute_sends_sql_and_results_are_unknown() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    rows = bind.execute(sa.text('SELECT id FROM users')).fetchall()\n    for row in rows:\n        op.execute('UPDATE users SET x = 1 WHERE id = %s' % row[0])\n    bind.exec_driver_sql('VACUUM')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["SELECT id FROM users", "VACUUM"]);
    assert_eq!(r.out.opaque.len(), 1);
    assert_eq!(r.out.opaque[0].hidden_ops, 1);
    assert!(
        r.out.opaque[0].reason.contains("loop over `rows`"),
        "{}",
        r.out.opaque[0].reason
    );
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (3, 2, 1)
    );
}

#[test]
fn execute_text_maps_back_to_the_file() {
    let src = format!(
        "{HEAD}def upgrade():\n    op.execute(\"\"\"\n        CREATE INDEX ix ON t (a)\n    \"\"\")\n    op.execute(sa.text('DROP TABLE z'))\n"
    );
    let r = run(&src);
    let step = &r.sink.steps[0];
    let map = step.text_map.as_ref().expect("verbatim SQL keeps its map");
    let at = step.sql.find("CREATE").unwrap() as u32;
    assert_eq!(&src[map.map(at).unwrap() as usize..][..6], "CREATE");
    let step = &r.sink.steps[1];
    let map = step.text_map.as_ref().unwrap();
    assert_eq!(&src[map.map(0).unwrap() as usize..][..4], "DROP");
}

#[test]
fn autocommit_block_marks_statements() {
    let src = format!(
        "{HEAD}def upgrade():\n    op.execute('SELECT 1')\n    with op.get_context().autocommit_block():\n        op.execute(\"ALTER TYPE mood ADD VALUE 'x'\")\n    op.execute('SELECT 2')\n"
    );
    let r = run(&src);
    let flags: Vec<bool> = r.sink.steps.iter().map(|s| s.autocommit).collect();
    assert_eq!(flags, vec![false, true, false]);
    let off = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert_eq!(
        off.sink.sql(),
        vec![
            "SELECT 1;",
            "COMMIT;",
            "ALTER TYPE mood ADD VALUE 'x';",
            "BEGIN;",
            "SELECT 2;"
        ]
    );
}

#[test]
fn autocommit_isolation_level_on_the_connection() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    conn = op.get_bind().execution_options(isolation_level='AUTOCOMMIT')\n    conn.execute(sa.text('CREATE INDEX CONCURRENTLY ix ON t (a)'))\n"
    ));
    assert!(r.sink.steps[0].autocommit);
}

#[test]
fn offline_mode_cannot_inspect() {
    let r = run_opts(
        &format!("{HEAD}def upgrade():\n    insp = sa.inspect(op.get_bind())\n"),
        FakeSchema::new(),
        Direction::Upgrade,
        true,
        None,
    );
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("NoInspectionAvailable")
    );
}

#[test]
fn orm_sessions_are_data_steps() {
    let r = run(&format!(
        "{HEAD}from sqlalchemy import orm\ndef upgrade():\n    session = orm.Session(bind=op.get_bind())\n    session.add(object())\n    session.execute(sa.text('UPDATE t SET a = 1'))\n    session.commit()\n"
    ));
    assert_eq!(r.sink.sql(), vec!["UPDATE t SET a = 1"]);
    assert_eq!(r.out.opaque.len(), 1);
    assert_eq!(r.out.opaque[0].hidden_ops, 0);
    assert!(
        r.out.opaque[0]
            .reason
            .starts_with("ORM session (data step)")
    );
    assert_eq!((r.out.ops_total, r.out.ops_simulated), (1, 1));
}

#[test]
fn unknown_arguments_make_the_operation_opaque() {
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    op.drop_table(os.environ['TABLE'])\n    op.drop_table('known')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["DROP TABLE known"]);
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (2, 1, 1)
    );
    assert_eq!(r.out.opaque[0].loc.line_col(), (5, 5));
    assert!(
        r.out.opaque[0].reason.contains("os.environ"),
        "{}",
        r.out.opaque[0].reason
    );
}

#[test]
fn opaque_if_counts_hidden_operations() {
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    if os.environ.get('FLAG'):\n        op.drop_table('a')\n        op.drop_table('b')\n    op.drop_table('c')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["DROP TABLE c"]);
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (3, 1, 2)
    );
    assert_eq!(r.out.opaque.len(), 1);
}

#[test]
fn pins_decide_conditions() {
    let m = load_python_str(
        "v.py",
        &format!(
            "{HEAD}import os\ndef upgrade():\n    if os.environ.get('FLAG') == 'yes':\n        op.drop_table('a')\n"
        ),
    );
    let mut eval = EvalConfig::default();
    eval.assumptions
        .insert("os.environ.get('FLAG')", crate::python::Value::str("yes"));
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
    let mut sink = FakeSink::new(FakeSchema::new());
    let out = run_migration(&m, Direction::Upgrade, &ctx, &mut sink);
    assert_eq!(sink.sql(), vec!["DROP TABLE a"]);
    assert_eq!(out.pins_used, vec!["os.environ.get('FLAG')"]);
}

#[test]
fn halt_stops_the_migration() {
    let r = run_opts(
        &format!(
            "{HEAD}def upgrade():\n    op.drop_table('a')\n    op.drop_table('b')\n    op.drop_table('c')\n"
        ),
        FakeSchema::new(),
        Direction::Upgrade,
        false,
        Some("DROP TABLE b"),
    );
    assert_eq!(r.sink.sql(), vec!["DROP TABLE a", "DROP TABLE b"]);
    assert!(r.out.halted);
    assert!(!r.out.failed);
}

#[test]
fn halt_is_not_caught_by_except() {
    let r = run_opts(
        &format!(
            "{HEAD}def upgrade():\n    try:\n        op.drop_table('b')\n    except Exception:\n        op.drop_table('fallback')\n"
        ),
        FakeSchema::new(),
        Direction::Upgrade,
        false,
        Some("DROP TABLE b"),
    );
    assert_eq!(r.sink.sql(), vec!["DROP TABLE b"]);
    assert!(r.out.halted);
}

#[test]
fn sqlalchemy_errors_are_catchable_python_exceptions() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    op.drop_constraint(None, 'users')\n"
    ));
    assert!(r.out.failed, "{:?}", r.out);
    let msg = &r.out.diagnostics[0].message;
    assert!(msg.starts_with("upgrade() raises"), "{msg}");
    let r = run(&format!(
        "{HEAD}def upgrade():\n    try:\n        op.drop_constraint(None, 'users')\n    except Exception:\n        op.drop_table('x')\n"
    ));
    assert!(!r.out.failed, "{:?}", r.out.diagnostics);
    assert_eq!(r.sink.sql(), vec!["DROP TABLE x"]);
}

#[test]
fn syntax_error_gives_the_files_diagnostics() {
    let r = run("def upgrade(:\n    pass\n");
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .to_string()
            .starts_with("versions/0001_x.py:1:")
    );
    assert!(r.sink.steps.is_empty());
}

#[test]
fn missing_function_and_multidb_are_reported() {
    let r = run("x = 1\n");
    assert!(r.out.failed);
    assert_eq!(r.out.diagnostics[0].code, "alembic::no-function");
    let r = run(
        "def upgrade(engine_name):\n    globals()['upgrade_%s' % engine_name]()\ndef upgrade_engine1():\n    pass\n",
    );
    assert_eq!(r.out.diagnostics[0].code, "alembic::multidb");
}

#[test]
fn budget_exhaustion_is_opaque_not_a_hang() {
    let m = load_python_str(
        "v.py",
        &format!("{HEAD}def upgrade():\n    op.drop_table('a')\n    while True:\n        pass\n"),
    );
    let eval = EvalConfig {
        step_budget: 5_000,
        ..EvalConfig::default()
    };
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
    let mut sink = FakeSink::new(FakeSchema::new());
    let out = run_migration(&m, Direction::Upgrade, &ctx, &mut sink);
    assert_eq!(sink.sql(), vec!["DROP TABLE a"]);
    assert_eq!(out.opaque.len(), 1);
    assert_eq!(out.opaque[0].loc.line_col(), (5, 5));
    assert!(out.diagnostics.iter().any(|d| d.code == "python::budget"));
}

#[test]
fn create_table_returns_a_table_for_bulk_insert() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    t = op.create_table('kv', sa.Column('k', sa.String(10)), sa.Column('v', sa.Integer()))\n    op.bulk_insert(t, [{{'k': 'a', 'v': 1}}])\n"
    ));
    assert_eq!(
        r.sink.steps.len(),
        2,
        "{:?} {:?}",
        r.sink.sql(),
        r.out.opaque
    );
    assert!(
        r.sink.steps[1].sql.starts_with("INSERT INTO kv"),
        "{}",
        r.sink.steps[1].sql
    );
}

#[test]
fn python_enums_reach_the_lowering() {
    let r = run(&format!(
        "{HEAD}import enum\nclass Mood(str, enum.Enum):\n    happy = 'HAPPY'\n    sad = 'SAD'\ndef upgrade():\n    op.create_table('p', sa.Column('m', sa.Enum(Mood)))\n    op.create_table('q', sa.Column('m', sa.Enum(Mood, name='mood2', values_callable=lambda e: [x.value for x in e])))\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    let sql = r.sink.sql();
    assert_eq!(sql[0], "CREATE TYPE mood AS ENUM ('happy', 'sad')");
    assert!(
        sql.contains(&"CREATE TYPE mood2 AS ENUM ('HAPPY', 'SAD')"),
        "{sql:?}"
    );
}

#[test]
fn migration_context_has_no_is_offline_mode() {
    // `is_offline_mode` is on `alembic.context`, not on `op.get_context()`.
    let r = run(&format!(
        "{HEAD}def upgrade():\n    if op.get_context().is_offline_mode():\n        op.drop_table('a')\n"
    ));
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("'MigrationContext' object has no attribute 'is_offline_mode'")
    );
    let r = run(&format!(
        "{HEAD}def upgrade():\n    if op.get_context().as_sql:\n        op.drop_table('a')\n"
    ));
    assert!(r.sink.steps.is_empty());
    assert!(!r.out.failed);
}

#[test]
fn enum_type_create_and_drop_check_the_database_online_only() {
    let src = format!(
        "{HEAD}from sqlalchemy.dialects import postgresql\n\
         def upgrade():\n    \
         e = postgresql.ENUM('a', 'b', name='mood', create_type=False)\n    \
         e.create(op.get_bind(), checkfirst=True)\n    \
         e.create(op.get_bind())\n    \
         sa.Enum('x', name='other').drop(op.get_bind(), checkfirst=True)\n    \
         sa.Enum('x', native_enum=False).create(op.get_bind())\n\
         def downgrade():\n    pass\n"
    );
    // Online: the second create (checkfirst by default) sees the type; the
    // drop of a type that does not exist is skipped.
    let online = run(&src);
    assert_eq!(
        online.sink.sql(),
        vec!["CREATE TYPE mood AS ENUM ('a', 'b')"]
    );
    assert_eq!(
        (online.out.ops_total, online.out.ops_simulated),
        (4, 4),
        "{:?}",
        online.out.opaque
    );
    // Already there before the migration: nothing to create.
    let existing = run_on(&src, FakeSchema::new().with_enum("mood", &["a", "b"]));
    assert!(existing.sink.sql().is_empty(), "{:?}", existing.sink.sql());
    // Offline, SQLAlchemy's mock connection forces checkfirst=False.
    let offline = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert_eq!(
        offline.sink.sql(),
        vec![
            "CREATE TYPE mood AS ENUM ('a', 'b');",
            "CREATE TYPE mood AS ENUM ('a', 'b');",
            "DROP TYPE other;"
        ]
    );
}

#[test]
fn print_is_noted_once_per_call_site() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    for t in ['a', 'b']:\n        print('migrating', t)\n    op.drop_table('x')\n\ndef downgrade():\n    pass\n"
    ));
    let prints: Vec<_> = r
        .out
        .diagnostics
        .iter()
        .filter(|d| d.code == "python::print")
        .collect();
    assert_eq!(prints.len(), 1, "{:?}", r.out.diagnostics);
    assert_eq!(prints[0].labels[0].loc.line_col(), (5, 9));
    assert_eq!(r.sink.sql(), vec!["DROP TABLE x"]);
}

fn datasets_schema() -> FakeSchema {
    FakeSchema::new()
        .with_table(
            "experiments",
            &[("experiment_id", "integer"), ("name", "text")],
        )
        .with_primary_key("experiments", "experiments_pkey", &["experiment_id"])
        .with_table(
            "datasets",
            &[
                ("id", "integer"),
                ("experiment_id", "integer"),
                ("name", "text"),
            ],
        )
        .with_primary_key("datasets", "datasets_pkey", &["id"])
        .with_foreign_key(
            "datasets",
            "datasets_experiment_id_fkey",
            &["experiment_id"],
            "experiments",
            &["experiment_id"],
        )
        .with_index("datasets", "ix_datasets_name", &["name"], false)
}

#[test]
fn reflected_foreign_key_is_found_and_dropped() {
    // mlflow 0584bdc529eb finds the unnamed foreign key this way.
    let r = run_on(
        &format!(
            "{HEAD}def fk_name():\n    conn = op.get_bind()\n    metadata = sa.MetaData()\n    metadata.bind = conn\n    t = sa.Table('datasets', metadata, autoload_with=conn)\n    for c in t.foreign_key_constraints:\n        if c.referred_table.name == 'experiments' and c.column_keys[0] == 'experiment_id':\n            return c.name\n    raise RuntimeError('not found')\ndef upgrade():\n    op.drop_constraint(fk_name(), 'datasets', type_='foreignkey')\n"
        ),
        datasets_schema(),
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    assert_eq!(
        r.sink.sql(),
        vec!["ALTER TABLE datasets DROP CONSTRAINT datasets_experiment_id_fkey"]
    );
    assert_eq!((r.out.ops_total, r.out.ops_simulated), (1, 1));
}

#[test]
fn reflected_table_parts_answer_like_sqlalchemy() {
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    t = sa.Table('datasets', sa.MetaData(), autoload_with=op.get_bind())\n    fk = list(t.foreign_keys)[0]\n    fkc = list(t.foreign_key_constraints)[0]\n    ix = list(t.indexes)[0]\n    facts = [\n        t.name, t.fullname, t.schema, [c.name for c in t.c], len(t.columns), 'name' in t.c, 'nope' in t.c,\n        t.c.keys(), t.c[1].name, t.c['id'].primary_key, t.c.name.nullable, t.primary_key.name,\n        [c.name for c in t.primary_key.columns], fk.parent.name, fk.column.table.name, fk.column.name,\n        fk.target_fullname, fk.constraint.name, fkc.elements[0].parent.name, fkc.columns.keys(),\n        fkc.table.name, ix.name, ix.unique, [c.name for c in ix.columns], len(t.constraints),\n        [f.target_fullname for f in t.c.experiment_id.foreign_keys], len(t.c.id.foreign_keys),\n    ]\n    op.execute(repr(facts))\n"
        ),
        datasets_schema(),
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    assert_eq!(
        r.sink.sql(),
        vec![
            "['datasets', 'datasets', None, ['id', 'experiment_id', 'name'], 3, True, False, \
             ['id', 'experiment_id', 'name'], 'experiment_id', True, True, 'datasets_pkey', \
             ['id'], 'experiment_id', 'experiments', 'experiment_id', \
             'experiments.experiment_id', 'datasets_experiment_id_fkey', 'experiment_id', \
             ['experiment_id'], 'datasets', 'ix_datasets_name', False, ['name'], 2, \
             ['experiments.experiment_id'], 0]"
        ]
    );
}

#[test]
fn reflected_table_raises_where_sqlalchemy_raises() {
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    try:\n        sa.Table('missing', sa.MetaData(), autoload_with=op.get_bind())\n    except sa.exc.NoSuchTableError:\n        op.create_table('missing', sa.Column('id', sa.Integer()))\n    t = sa.Table('datasets', sa.MetaData(), autoload_with=op.get_bind())\n    try:\n        t.c.nope\n    except AttributeError:\n        op.drop_table('a')\n    try:\n        t.c['nope']\n    except KeyError:\n        op.drop_table('b')\n    t.c.nope2\n"
        ),
        datasets_schema(),
    );
    assert_eq!(
        r.sink.sql(),
        vec![
            "CREATE TABLE missing (\n\tid INTEGER\n)",
            "DROP TABLE a",
            "DROP TABLE b"
        ]
    );
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("upgrade() raises AttributeError: nope2"),
        "{:?}",
        r.out.diagnostics
    );
}

#[test]
fn reflection_is_a_snapshot_and_metadata_keeps_its_tables() {
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    bind = op.get_bind()\n    md = sa.MetaData()\n    kept = sa.Table('kv', md, sa.Column('k', sa.String(5)))\n    before = sa.Table('datasets', md, autoload_with=bind)\n    op.add_column('datasets', sa.Column('extra', sa.Integer()))\n    again = sa.Table('datasets', md, autoload_with=bind)\n    fresh = sa.Table('datasets', sa.MetaData(), autoload_with=bind)\n    op.execute(repr([len(before.c), len(again.c), len(fresh.c), sorted(md.tables.keys())]))\n    if sa.Table('kv', md, autoload_with=bind) is kept:\n        op.drop_table('kv')\n"
        ),
        datasets_schema(),
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(
        r.sink.sql(),
        vec![
            "ALTER TABLE datasets ADD COLUMN extra INTEGER",
            "[3, 3, 4, ['datasets', 'experiments', 'kv']]",
            "DROP TABLE kv"
        ]
    );
}

#[test]
fn metadata_reflect_fills_metadata_tables() {
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    conn = op.get_bind()\n    md = sa.MetaData()\n    md.reflect(conn)\n    t = md.tables['datasets']\n    op.execute(t.update().where(t.c.id == 1).values(name='x'))\n    only = sa.MetaData()\n    only.reflect(bind=conn, only=['experiments'])\n    op.execute(repr(list(only.tables)))\n    try:\n        sa.MetaData().reflect(conn, only=['nope'])\n    except sa.exc.InvalidRequestError:\n        op.drop_table('c')\n"
        ),
        datasets_schema(),
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    let sql = r.sink.sql();
    assert_eq!(sql.len(), 3, "{sql:?}");
    assert!(sql[0].starts_with("UPDATE datasets SET name="), "{sql:?}");
    assert_eq!(sql[1..], ["['experiments']", "DROP TABLE c"]);
    assert_eq!((r.out.ops_total, r.out.ops_simulated), (3, 3));
}

#[test]
fn reflection_offline_raises_like_the_mock_connection() {
    let r = run_opts(
        &format!(
            "{HEAD}def upgrade():\n    sa.Table('datasets', sa.MetaData(), autoload_with=op.get_bind())\n"
        ),
        datasets_schema(),
        Direction::Upgrade,
        true,
        None,
    );
    assert!(r.out.failed);
    assert!(
        r.out.diagnostics[0]
            .message
            .contains("NoInspectionAvailable")
    );
}

#[test]
fn reflection_into_a_metadata_an_orm_registry_holds_is_unknown() {
    let r = run_on(
        &format!(
            "{HEAD}from sqlalchemy import orm\ndef upgrade():\n    md = sa.MetaData()\n    reg = orm.registry(metadata=md)\n    t = sa.Table('datasets', md, autoload_with=op.get_bind())\n    if t.name == 'datasets':\n        op.drop_table('a')\n"
        ),
        datasets_schema(),
    );
    assert!(r.sink.steps.is_empty());
    assert_eq!(r.out.opaque.len(), 1);
    assert!(
        r.out.opaque[0].reason.contains("orm.registry"),
        "{}",
        r.out.opaque[0].reason
    );
}

#[test]
fn reflected_types_are_the_dialects_types() {
    let schema = FakeSchema::new()
        .with_enum("mood", &["sad", "ok"])
        .with_table(
            "t",
            &[
                ("v", "character varying(20)"),
                ("ts", "timestamp(3) with time zone"),
                ("n", "numeric(10,2)"),
                ("a", "integer[]"),
                ("m", "mood"),
                ("i", "interval hour to second(3)"),
                ("x", "vector(3)"),
            ],
        );
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    t = sa.Table('t', sa.MetaData(), autoload_with=op.get_bind())\n    for c in t.c:\n        if c.name != 'x':\n            op.add_column('u', sa.Column(c.name, c.type))\n    op.execute(t.update().where(t.c.v == 'Date Time').values(m='ok'))\n    op.execute(t.update().where(t.c.x == 'a').values(v='b'))\n"
        ),
        schema,
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    assert_eq!(
        r.sink.sql(),
        vec![
            "ALTER TABLE u ADD COLUMN v VARCHAR(20)",
            "ALTER TABLE u ADD COLUMN ts TIMESTAMP(3) WITH TIME ZONE",
            "ALTER TABLE u ADD COLUMN n NUMERIC(10, 2)",
            "ALTER TABLE u ADD COLUMN a INTEGER[]",
            "ALTER TABLE u ADD COLUMN m mood",
            "ALTER TABLE u ADD COLUMN i INTERVAL hour to second (3)",
            "UPDATE t SET m='ok' WHERE t.v = 'Date Time'",
            "UPDATE t SET v='b' WHERE t.x = 'a'",
        ]
    );
}

#[test]
fn explicit_columns_and_tables_know_their_names() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    cols = [sa.Column('a', sa.Integer()), sa.Column('b', sa.Integer(), key='bee')]\n    existing = {{'a': 1}}\n    for c in cols:\n        if existing.get(c.name):\n            continue\n        op.add_column('t', sa.Column(c.key, sa.Integer()))\n    t = sa.Table('tt', sa.MetaData(), *cols)\n    op.drop_table(t.name)\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(
        r.sink.sql(),
        vec!["ALTER TABLE t ADD COLUMN bee INTEGER", "DROP TABLE tt"]
    );
}

fn rows(columns: &[&str], rows: Vec<Vec<QueryValue>>, ordered: bool) -> QueryRows {
    QueryRows {
        columns: columns.iter().map(|c| (*c).to_string()).collect(),
        rows,
        ordered,
    }
}

use crate::alembic::sink::{QueryRows, QueryValue};

#[test]
fn catalog_query_results_are_rows() {
    let q = "SELECT typname, 1 AS one FROM pg_type WHERE typname = 'mood'";
    let t = |s: &str| QueryValue::Text(s.into());
    let schema = FakeSchema::new()
        .with_query(
            q,
            rows(
                &["typname", "one"],
                vec![vec![t("mood"), QueryValue::Int(1)]],
                true,
            ),
        )
        .with_query(
            "SELECT 1 FROM pg_type WHERE typname = 'nope'",
            rows(&["?column?"], vec![], true),
        );
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    bind = op.get_bind()\n    row = bind.execute(sa.text(\"{q}\")).first()\n    res = bind.exec_driver_sql(\"{q}\")\n    facts = [row[0], row.typname, row.one, len(row), tuple(row), row._mapping['one'], res.keys(), [tuple(x) for x in res]]\n    none = bind.execute(sa.text(\"SELECT 1 FROM pg_type WHERE typname = 'nope'\"))\n    facts += [none.scalar(), bind.exec_driver_sql(\"{q}\").scalar(), bind.exec_driver_sql(\"{q}\").scalars().all(), bind.exec_driver_sql(\"{q}\").mappings().one()]\n    if bind.exec_driver_sql(\"SELECT 1 FROM pg_type WHERE typname = 'nope'\").first() is None:\n        op.execute('CREATE TYPE nope AS ENUM (\\'x\\')')\n    op.execute(repr(facts))\n"
        ),
        schema,
    );
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.out.diagnostics.is_empty(), "{:?}", r.out.diagnostics);
    let sql = r.sink.sql();
    assert_eq!(
        sql[sql.len() - 2..],
        [
            "CREATE TYPE nope AS ENUM ('x')",
            "['mood', 'mood', 1, 2, ('mood', 1), 1, ['typname', 'one'], [('mood', 1)], None, 'mood', ['mood'], {'typname': 'mood', 'one': 1}]"
        ]
    );
}

#[test]
fn unordered_rows_answer_only_what_order_does_not_change() {
    let q = "SELECT typname FROM pg_type WHERE typtype = 'e'";
    let t = |s: &str| QueryValue::Text(s.into());
    let schema = FakeSchema::new().with_query(
        q,
        rows(&["typname"], vec![vec![t("a")], vec![t("b")]], false),
    );
    let r = run_on(
        &format!(
            "{HEAD}def upgrade():\n    bind = op.get_bind()\n    if bind.exec_driver_sql(\"{q}\").first() is not None:\n        op.drop_table('x')\n    try:\n        bind.exec_driver_sql(\"{q}\").one()\n    except sa.exc.MultipleResultsFound:\n        op.drop_table('y')\n    if bind.exec_driver_sql(\"{q}\").fetchall()[0][0] == 'a':\n        op.drop_table('z')\n"
        ),
        schema,
    );
    // `first()` is a row whichever comes first; `one()` raises; which row
    // `fetchall()[0]` is depends on an order nothing fixes.
    let sql: Vec<&str> = r
        .sink
        .sql()
        .into_iter()
        .filter(|s| !s.starts_with("SELECT"))
        .collect();
    assert_eq!(sql, ["DROP TABLE x", "DROP TABLE y"]);
    assert_eq!(r.out.opaque.len(), 1, "{:?}", r.out.opaque);
    assert!(
        r.out.opaque[0].reason.contains("their order is not"),
        "{:?}",
        r.out.opaque
    );
}

#[test]
fn results_of_data_queries_stay_unknown() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    n = op.get_bind().execute(sa.text('SELECT count(*) FROM users')).scalar()\n    if n:\n        op.drop_table('users')\n"
    ));
    assert_eq!(r.out.opaque.len(), 1);
    assert!(
        r.out.opaque[0]
            .reason
            .contains("rows returned by the database are not known"),
        "{}",
        r.out.opaque[0].reason
    );
}

// ----- code that may run zero or more times (speculation) -----

const ROWS_LOOP: &str = "def upgrade():\n    bind = op.get_bind()\n    for row in bind.execute(sa.text('SELECT id, name FROM users')):\n        if row.name is None:\n            continue\n        bind.execute(sa.text('UPDATE users SET slug = :s WHERE id = :id'), {'s': row.name.lower(), 'id': row.id})\n    op.drop_column('users', 'name')\n";

#[test]
fn a_loop_over_rows_that_only_writes_rows_is_simulated() {
    let r = run(&format!("{HEAD}{ROWS_LOOP}"));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (3, 3, 0)
    );
    let steps: Vec<(&str, bool)> = r
        .sink
        .steps
        .iter()
        .map(|s| (s.sql.trim(), s.conditional))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("SELECT id, name FROM users", false),
            ("UPDATE users SET slug = $1 WHERE id = $1", true),
            ("ALTER TABLE users DROP COLUMN name", false),
        ]
    );
}

#[test]
fn a_loop_over_rows_that_changes_the_schema_stays_opaque() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    for row in bind.execute(sa.text('SELECT name FROM tables_to_fix')):\n        bind.execute(sa.text('UPDATE audit SET n = n + 1'))\n        op.add_column(row.name, sa.Column('x', sa.Integer()))\n    op.drop_table('tables_to_fix')\n"
    ));
    // Nothing of the loop is sent: its statements stay with its opaque step.
    assert_eq!(
        r.sink.sql(),
        vec!["SELECT name FROM tables_to_fix", "DROP TABLE tables_to_fix"]
    );
    assert_eq!(r.out.opaque.len(), 1);
    assert!(r.out.opaque[0].reason.starts_with("loop over"));
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (4, 2, 2)
    );
}

#[test]
fn an_opaque_loop_says_what_in_it_is_not_a_row_change() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    for row in bind.execute(sa.text('SELECT name FROM tables_to_fix')):\n        bind.execute(sa.text('UPDATE audit SET n = n + 1'))\n        op.execute('ALTER TABLE audit ADD COLUMN x int')\n"
    ));
    assert_eq!(r.out.opaque.len(), 1);
    let reason = &r.out.opaque[0].reason;
    assert!(
        reason.ends_with(
            "; run once with those values unknown, it runs `ALTER TABLE audit ADD COLUMN x int`, which is not a row change, at versions/0001_x.py:7:9"
        ),
        "{reason}"
    );
    // Code the loop reaches that is itself opaque is named with its reason.
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    bind = op.get_bind()\n    for row in bind.execute(sa.text('SELECT 1')):\n        bind.execute(sa.text(os.environ['SQL']))\n"
    ));
    assert_eq!(r.out.opaque.len(), 1);
    let reason = &r.out.opaque[0].reason;
    assert!(
        reason.contains("; run once with those values unknown, it reaches code that is not simulated at versions/0001_x.py:7:9: "),
        "{reason}"
    );
}

#[test]
fn a_recursive_helper_on_unknown_rows_is_run_once() {
    // A walk over a JSON value read from the database: every path of the
    // helper is run once; calling it again on unknown values could do
    // nothing more.
    let walk = "def refs(obj):\n    found = []\n    if isinstance(obj, dict):\n        if ref := obj.get('$ref'):\n            found.append(ref)\n        for value in obj.values():\n            found.extend(refs(value))\n    if isinstance(obj, list):\n        for item in obj:\n            found.extend(refs(item))\n    return found\n\n";
    let r = run(&format!(
        "{HEAD}{walk}def upgrade():\n    bind = op.get_bind()\n    for id_, fields in bind.execute(sa.text('SELECT id, fields FROM s')):\n        bind.execute(sa.text('UPDATE s SET n = :n WHERE id = :id'), {{'n': len(refs(fields)), 'id': id_}})\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(r.sink.steps[1].conditional);
    // A helper that rebinds a global is run, and the nesting it reaches
    // is the reason the loop stays opaque.
    let counting = walk.replace(
        "    found = []\n",
        "    global SEEN\n    SEEN = 1\n    found = []\n",
    );
    let r = run(&format!(
        "{HEAD}SEEN = 0\n{counting}def upgrade():\n    bind = op.get_bind()\n    for id_, fields in bind.execute(sa.text('SELECT id, fields FROM s')):\n        bind.execute(sa.text('UPDATE s SET n = :n WHERE id = :id'), {{'n': len(refs(fields)), 'id': id_}})\n"
    ));
    assert_eq!(r.out.opaque.len(), 1, "{:?}", r.out.opaque);
    assert!(
        r.out.opaque[0].reason.contains("nested more than 6 deep"),
        "{}",
        r.out.opaque[0].reason
    );
}

#[test]
fn a_branch_on_a_row_with_ddl_on_one_side_stays_opaque() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    n = bind.execute(sa.text('SELECT count(*) FROM t')).scalar()\n    if n > 0:\n        bind.execute(sa.text('DELETE FROM t'))\n    else:\n        op.drop_table('t')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["SELECT count(*) FROM t"]);
    assert_eq!(r.out.opaque.len(), 1);
    assert!(r.out.opaque[0].reason.starts_with("condition `n > 0`"));
}

#[test]
fn offline_a_loop_over_rows_stays_opaque() {
    // `alembic upgrade --sql` prints what runs: a guess has no place there.
    let src = format!(
        "{HEAD}import os\ndef upgrade():\n    for name in os.environ['NAMES'].split(','):\n        op.execute(sa.text('UPDATE t SET a = 1'))\n"
    );
    let online = run(&src);
    assert!(online.out.opaque.is_empty());
    assert_eq!(online.sink.sql(), vec!["UPDATE t SET a = 1"]);
    let offline = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert!(offline.sink.steps.is_empty());
    assert_eq!(offline.out.opaque.len(), 1);
}

#[test]
fn a_speculated_path_leaves_no_trace_when_it_is_not_kept() {
    // The helper changes a module global and then the schema: the path is
    // not kept, and the global is what it was before (Python would not
    // have run it, or run it an unknown number of times; the old value is
    // what the reader had).
    let r = run(&format!(
        "{HEAD}COUNT = 0\n\ndef bump():\n    global COUNT\n    COUNT = COUNT + 1\n    op.drop_table('x')\n\ndef upgrade():\n    bind = op.get_bind()\n    for row in bind.execute(sa.text('SELECT 1 FROM t')):\n        bump()\n    op.drop_table('t%d' % COUNT)\n"
    ));
    assert_eq!(r.sink.sql(), vec!["SELECT 1 FROM t", "DROP TABLE t0"]);
    assert_eq!(r.out.opaque.len(), 1);
}

#[test]
fn a_speculated_path_that_raises_ends_there() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    row = bind.execute(sa.text('SELECT id FROM t LIMIT 1')).first()\n    if row is None:\n        raise RuntimeError('empty')\n    bind.execute(sa.text('UPDATE t SET a = 1 WHERE id = :id'), {{'id': row.id}})\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert!(!r.out.failed);
    assert_eq!(
        r.sink.sql(),
        vec![
            "SELECT id FROM t LIMIT 1",
            "UPDATE t SET a = 1 WHERE id = $1"
        ]
    );
    // The UPDATE runs whenever the migration gets past the `if`.
    assert!(!r.sink.steps[1].conditional);
}

// ----- a name set on some paths only: one of several values -----

#[test]
fn keyset_pagination_is_simulated() {
    // The `where` is added from the second page on: the statement is one
    // of two, and both only read.
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    t = sa.table('t', sa.column('id', sa.Integer), sa.column('a', sa.String))\n    last = None\n    while True:\n        stmt = sa.select(t.c.id).order_by(t.c.id)\n        if last is not None:\n            stmt = stmt.where(t.c.id > last)\n        rows = bind.execute(stmt.limit(10)).all()\n        if not rows:\n            break\n        for row in rows:\n            bind.execute(t.update().where(t.c.id == row.id).values(a='x'))\n        last = rows[-1].id\n    op.add_column('t', sa.Column('b', sa.Integer()))\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(r.out.ops_opaque, 0);
    let steps: Vec<(String, bool)> = r
        .sink
        .steps
        .iter()
        .map(|s| {
            (
                s.sql.split_whitespace().collect::<Vec<_>>().join(" "),
                s.conditional,
            )
        })
        .collect();
    let select = "SELECT t.id FROM t ORDER BY t.id LIMIT 10";
    let next = "SELECT t.id FROM t WHERE t.id > $1 ORDER BY t.id LIMIT 10";
    assert_eq!(steps.first(), Some(&(select.to_owned(), false)));
    assert!(steps.contains(&(next.to_owned(), true)), "{steps:?}");
    assert_eq!(
        steps.last(),
        Some(&("ALTER TABLE t ADD COLUMN b INTEGER".to_owned(), false))
    );
}

#[test]
fn a_name_set_alike_on_every_path_is_known() {
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    name = 'a'\n    if os.environ.get('X'):\n        name = 'b'\n    elif os.environ.get('Y'):\n        name = 'b'\n    else:\n        name = 'b'\n    op.add_column('t', sa.Column(name, sa.Integer()))\n"
    ));
    assert_eq!(r.out.ops_opaque, 0, "{:?}", r.out.opaque);
    assert_eq!(r.sink.sql(), vec!["ALTER TABLE t ADD COLUMN b INTEGER"]);
    // Passed over, or set to the same value: known too.
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    name = 'a'\n    if os.environ.get('X'):\n        name = 'a'\n    op.add_column('t', sa.Column(name, sa.Integer()))\n"
    ));
    assert_eq!(r.sink.sql(), vec!["ALTER TABLE t ADD COLUMN a INTEGER"]);
}

#[test]
fn a_name_set_differently_on_some_paths_is_one_of_several() {
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    name = 'a'\n    if os.environ.get('X'):\n        name = 'b'\n    op.add_column('t', sa.Column(name, sa.Integer()))\n"
    ));
    assert!(r.sink.steps.is_empty(), "{:?}", r.sink.sql());
    assert_eq!(r.out.opaque.len(), 1);
    let reason = &r.out.opaque[0].reason;
    assert!(reason.contains("one of 2 values"), "{reason}");
    // Both values are true: the condition on it is known.
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    name = 'a'\n    if os.environ.get('X'):\n        name = 'b'\n    if name:\n        op.drop_table('t')\n"
    ));
    assert_eq!(r.sink.sql(), vec!["DROP TABLE t"]);
}

#[test]
fn a_branch_that_leaves_elsewhere_or_changes_objects_forgets() {
    // A path that ends at `continue` carries its values to the next
    // iteration; an attribute set on a path was undone with it.
    for body in [
        "    for n in ['x', 'y']:\n        name = n\n        if os.environ.get('X'):\n            name = 'b'\n            continue\n    op.add_column('t', sa.Column(name, sa.Integer()))\n",
        "    class C:\n        pass\n    c = C()\n    c.name = 'a'\n    if os.environ.get('X'):\n        c.name = 'b'\n    op.add_column('t', sa.Column(c.name, sa.Integer()))\n",
    ] {
        let r = run(&format!("{HEAD}import os\ndef upgrade():\n{body}"));
        assert!(
            !r.sink.sql().iter().any(|s| s.starts_with("ALTER")),
            "{body}: {:?}",
            r.sink.sql()
        );
        assert_eq!(r.out.ops_opaque, 1, "{body}: {:?}", r.out.opaque);
    }
}

#[test]
fn a_statement_that_is_one_of_several_with_ddl_stays_opaque() {
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    bind = op.get_bind()\n    stmt = sa.text('DELETE FROM t')\n    if os.environ.get('X'):\n        stmt = sa.text('DROP TABLE t')\n    bind.execute(stmt)\n"
    ));
    assert!(r.sink.steps.is_empty(), "{:?}", r.sink.sql());
    assert_eq!(r.out.opaque.len(), 1);
    let reason = &r.out.opaque[0].reason;
    assert!(
        reason.contains("run with each, it runs `DROP TABLE t`, which is not a row change"),
        "{reason}"
    );
    assert_eq!((r.out.ops_total, r.out.ops_opaque), (1, 1));
}

#[test]
fn orm_writes_in_a_loop_over_rows_keep_it_data() {
    let r = run(&format!(
        "{HEAD}from sqlalchemy import orm\ndef upgrade():\n    bind = op.get_bind()\n    session = orm.Session(bind=bind)\n    for row in bind.execute(sa.text('SELECT id FROM t')):\n        session.add(object())\n        bind.execute(sa.text('UPDATE t SET a = 1 WHERE id = :id'), {{'id': row.id}})\n"
    ));
    // The ORM write is reported (it has no SQL), the loop is not.
    assert_eq!(r.out.opaque.len(), 1, "{:?}", r.out.opaque);
    assert!(
        r.out.opaque[0]
            .reason
            .starts_with("ORM session (data step)")
    );
    assert_eq!(r.out.ops_opaque, 0);
    assert!(r.sink.steps[1].conditional);
}

const CORE_LOOP: &str = "from somewhere import checksum\ndef upgrade():\n    bind = op.get_bind()\n    t = sa.table('t', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('sum'))\n    u = sa.table('u', sa.column('id', sa.Integer), sa.column('name', sa.String))\n    for id_, name in bind.execute(sa.select(t.c.id, t.c.name).order_by(t.c.id).limit(100)):\n        bind.execute(t.update().where(t.c.id == id_).values(sum=checksum(name)))\n        found = bind.execute(sa.select(u.c.id).where(u.c.name == name, u.c.id.in_(id_))).first()\n        if found is None:\n            bind.execute(sa.insert(u).values(name=name))\n    op.drop_column('t', 'name')\n";

#[test]
fn core_selects_and_unknown_values_in_a_loop_over_rows_are_data() {
    let r = run(&format!("{HEAD}{CORE_LOOP}"));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(
        (r.out.ops_total, r.out.ops_simulated, r.out.ops_opaque),
        (5, 5, 0)
    );
    let steps: Vec<(String, bool)> = r
        .sink
        .steps
        .iter()
        .map(|s| {
            (
                s.sql.split_whitespace().collect::<Vec<_>>().join(" "),
                s.conditional,
            )
        })
        .collect();
    let want: Vec<(String, bool)> = [
        ("SELECT t.id, t.name FROM t ORDER BY t.id LIMIT 100", false),
        // Values read from rows or computed outside the project travel as
        // parameters: the SQL text does not depend on them.
        ("UPDATE t SET sum=$1 WHERE t.id = $1", true),
        (
            "SELECT u.id FROM u WHERE u.name = $1 AND u.id IN ($1)",
            true,
        ),
        ("INSERT INTO u (name) VALUES ($1)", true),
        ("ALTER TABLE t DROP COLUMN name", false),
    ]
    .iter()
    .map(|(s, c)| (s.to_string(), *c))
    .collect();
    assert_eq!(steps, want);
}

#[test]
fn offline_unknown_values_in_statements_stay_opaque() {
    // `--sql` prints values: one that is not known cannot be printed.
    let src = format!(
        "{HEAD}import os\ndef upgrade():\n    t = sa.table('t', sa.column('id', sa.Integer), sa.column('a', sa.String))\n    op.execute(t.update().where(t.c.id == 1).values(a=os.environ['A']))\n"
    );
    let offline = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert!(offline.sink.steps.is_empty());
    assert_eq!(offline.out.ops_opaque, 1);
    let online = run(&src);
    assert!(online.out.opaque.is_empty(), "{:?}", online.out.opaque);
    assert_eq!(online.sink.sql(), vec!["UPDATE t SET a=$1 WHERE t.id = 1"]);
}

#[test]
fn unknown_values_that_shape_ddl_stay_opaque_online() {
    // A DDL default: the schema itself would not be known.
    let r = run(&format!(
        "{HEAD}import os\ndef upgrade():\n    op.add_column('t', sa.Column('x', sa.String(), server_default=os.environ['X']))\n"
    ));
    assert!(r.sink.steps.is_empty(), "{:?}", r.sink.sql());
    assert_eq!(r.out.ops_opaque, 1);
}

#[test]
fn an_unknown_condition_of_a_data_statement_is_a_placeholder_online() {
    // Which rows it deletes is not known whatever the condition; that it
    // deletes rows of `t`, and nothing else, is. Offline it cannot be
    // printed.
    let src = format!(
        "{HEAD}import os\ndef upgrade():\n    t = sa.table('t', sa.column('id', sa.Integer))\n    op.execute(t.delete().where(os.environ['COND'], t.c.id > 1))\n    op.execute(sa.select(t.c.id).where(sa.or_(*os.environ['IDS'])))\n"
    );
    let r = run(&src);
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(
        r.sink.sql(),
        vec![
            "DELETE FROM t WHERE $1 AND t.id > 1",
            "SELECT t.id \nFROM t \nWHERE $1"
        ]
    );
    let offline = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert!(offline.sink.steps.is_empty());
    assert_eq!(offline.out.ops_opaque, 2);
}

#[test]
fn online_values_of_untyped_columns_are_sent_bound() {
    // SQLAlchemy sends the values as parameters online; only offline
    // literal rendering has no renderer for an untyped column.
    let src = format!(
        "{HEAD}def upgrade():\n    jobs = sa.table('jobs', sa.column('status'))\n    op.execute(jobs.update().where(jobs.c.status.in_([5, 6])).values(status=7))\n"
    );
    let online = run(&src);
    assert!(!online.out.failed);
    assert_eq!(
        online.sink.sql(),
        vec!["UPDATE jobs SET status=$1 WHERE jobs.status IN (5, 6)"]
    );
    let offline = run_opts(&src, FakeSchema::new(), Direction::Upgrade, true, None);
    assert!(offline.out.failed);
}

#[test]
fn executemany_compiles_for_the_first_parameter_set() {
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    bind.execute(sa.text('UPDATE t SET a = :a WHERE id = :id'), [{{'a': 1, 'id': 2}}, {{'a': 3, 'id': 4}}])\n"
    ));
    assert!(r.out.opaque.is_empty(), "{:?}", r.out.opaque);
    assert_eq!(r.sink.sql(), vec!["UPDATE t SET a = 1 WHERE id = 2"]);
}

#[test]
fn batched_updates_built_in_a_loop_over_rows_are_data() {
    // mlflow's backfills: parameter sets collected row by row, then sent
    // with a statement whose columns are fixed by `.values(bindparam())`.
    let r = run(&format!(
        "{HEAD}def upgrade():\n    bind = op.get_bind()\n    t = sa.table('t', sa.column('id', sa.Integer), sa.column('a', sa.String))\n    stmt = t.update().where(t.c.id == sa.bindparam('id_')).values(a=sa.bindparam('a'))\n    updates = []\n    for row in bind.execute(sa.select(t.c.id, t.c.a)):\n        if row.a is None:\n            updates.append({{'id_': row.id, 'a': 'x'}})\n    if updates:\n        bind.execute(stmt, updates)\n    bind.execute(t.update(), updates)\n"
    ));
    // The last statement's columns come from the parameter sets, which are
    // not known: that one stays opaque.
    assert_eq!(r.out.opaque.len(), 1, "{:?}", r.out.opaque);
    assert!(
        r.out.opaque[0].reason.contains("parameters"),
        "{:?}",
        r.out.opaque
    );
    let sql: Vec<String> = r
        .sink
        .sql()
        .iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        sql,
        vec![
            "SELECT t.id, t.a FROM t",
            "UPDATE t SET a=$1 WHERE t.id = $1"
        ]
    );
}
