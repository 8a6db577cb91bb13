-- case: dml insert update delete as data steps
CREATE TABLE settings (key text PRIMARY KEY, value text);
INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2');
UPDATE settings SET value = '3' WHERE key = 'a';
DELETE FROM settings WHERE key = 'b';
INSERT INTO settings VALUES ('a', '9') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;

-- case: dml insert into missing table
INSERT INTO missing (a) VALUES (1);

-- case: dml insert into missing column
CREATE TABLE t (a int);
INSERT INTO t (b) VALUES (1);

-- case: dml update missing column
CREATE TABLE t (a int);
UPDATE t SET b = 1;

-- case: dml update where on missing column
CREATE TABLE t (a int);
UPDATE t SET a = 1 WHERE b = 2;

-- case: dml delete from missing table
DELETE FROM missing WHERE id = 1;

-- case: dml insert type mismatch
CREATE TABLE t (a int);
INSERT INTO t (a) VALUES ('abc');

-- case: dml insert not null violation
CREATE TABLE t (a int NOT NULL);
INSERT INTO t (a) VALUES (NULL);

-- case: dml insert duplicate key
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (a int PRIMARY KEY);
INSERT INTO t VALUES (1);
INSERT INTO t VALUES (1);

-- case: dml insert foreign key violation
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
INSERT INTO c VALUES (5);

-- case: dml insert into generated always identity
CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, a int);
INSERT INTO t (id, a) VALUES (1, 1);

-- case: dml insert overriding system value
CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, a int);
INSERT INTO t (id, a) OVERRIDING SYSTEM VALUE VALUES (1, 1);

-- case: dml insert select from other table
CREATE TABLE a (x int);
CREATE TABLE b (x int, y text);
INSERT INTO b (x, y) SELECT x, 'copy' FROM a;

-- case: dml update from join
CREATE TABLE a (id int, v text);
CREATE TABLE b (id int, v text);
UPDATE a SET v = b.v FROM b WHERE a.id = b.id;

-- case: dml select from missing table
SELECT * FROM missing;

-- case: dml select missing column
CREATE TABLE t (a int);
SELECT b FROM t;

-- case: dml delete where on missing column
CREATE TABLE t (a int);
DELETE FROM t WHERE b = 1;

-- case: dml update and delete with aliases, joins and subqueries
CREATE TABLE a (id int, v text);
CREATE TABLE b (id int, v text);
UPDATE a AS x SET v = y.v FROM b y WHERE x.id = y.id AND y.v IS NOT NULL;
DELETE FROM a x USING b y WHERE x.id = y.id;
UPDATE a SET v = (SELECT max(v) FROM b WHERE b.id = a.id) WHERE id IN (SELECT id FROM b);
UPDATE a SET (id, v) = (1, 'x') WHERE id = 0;
UPDATE a SET v = DEFAULT WHERE EXISTS (SELECT 1 FROM pg_type WHERE typname = 'x');
WITH gone AS (SELECT id FROM b) DELETE FROM a WHERE id IN (SELECT id FROM gone);

-- case: dml update from a missing joined column
CREATE TABLE a (id int, v text);
CREATE TABLE b (id int);
UPDATE a SET v = b.v FROM b WHERE a.id = b.id;

-- case: dml select calling a missing function
CREATE TABLE t (a int);
SELECT no_such_function(a) FROM t;

-- case: dml select setval over the table
CREATE TABLE t (id serial PRIMARY KEY);
SELECT setval('t_id_seq', (SELECT coalesce(max(id), 1) FROM t));

-- case: dml in a do block with variables
CREATE TABLE t (a int, b int);
DO $$
DECLARE
  v int := 3;
BEGIN
  UPDATE t SET a = v WHERE b = v;
END $$;

-- case: dml delete duplicates by system column
CREATE TABLE t (a int, b int);
DELETE FROM t x USING t y WHERE x.ctid < y.ctid AND x.a = y.a;
SELECT tableoid, xmin, cmin, xmax, cmax, ctid FROM t;

-- case: dml system column of a view does not exist
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
SELECT ctid FROM v;

-- case: view over system columns
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT ctid AS row_id, t.xmin, a FROM t;

-- case: dml truncate cascade restart identity
CREATE TABLE p (id serial PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
TRUNCATE p RESTART IDENTITY CASCADE;

-- case: dml truncate referenced table without cascade
CREATE TABLE p (id serial PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
TRUNCATE p;

-- case: dml insert enum value invalid
CREATE TYPE e AS ENUM ('a');
CREATE TABLE t (v e);
INSERT INTO t VALUES ('b');

-- case: dml insert check violation
CREATE TABLE t (a int CHECK (a > 0));
INSERT INTO t VALUES (0);

-- case: dml backfill then set not null
CREATE TABLE t (id int, name text);
INSERT INTO t (id) VALUES (1);
UPDATE t SET name = 'x' WHERE name IS NULL;
ALTER TABLE t ALTER COLUMN name SET NOT NULL;

-- case: do block create type if not exists via pg_type
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
    CREATE TYPE mood AS ENUM ('sad', 'happy');
  END IF;
END
$$;
CREATE TABLE t (m mood);

-- case: do block create type if not exists when it exists
CREATE TYPE mood AS ENUM ('sad', 'happy');
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
    CREATE TYPE mood AS ENUM ('other');
  END IF;
END
$$;
CREATE TABLE t (m mood DEFAULT 'sad');

-- case: do block exception when duplicate object
CREATE TYPE mood AS ENUM ('sad');
DO $$ BEGIN
    CREATE TYPE mood AS ENUM ('sad', 'happy');
EXCEPTION
    WHEN duplicate_object THEN null;
END $$;
CREATE TABLE t (m mood);

-- case: do block exception creates when missing
DO $$ BEGIN
    CREATE TYPE mood AS ENUM ('sad', 'happy');
EXCEPTION
    WHEN duplicate_object THEN null;
END $$;
CREATE TABLE t (m mood DEFAULT 'happy');

-- case: do block execute dynamic sql
DO $$
BEGIN
  EXECUTE 'CREATE TABLE dyn (id int PRIMARY KEY)';
  EXECUTE format('CREATE INDEX %I ON %I (id)', 'dyn_id_idx', 'dyn');
END
$$;

-- case: do block guard on information_schema columns
CREATE TABLE t (id int);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'email') THEN
    ALTER TABLE t ADD COLUMN email text;
  END IF;
END
$$;

-- case: do block guard on existing column skips
CREATE TABLE t (id int, email varchar(50));
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'email') THEN
    ALTER TABLE t ADD COLUMN email text;
  END IF;
END
$$;

-- case: do block guard on pg_class relation
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'audit_log' AND relkind = 'r') THEN
    CREATE TABLE audit_log (id bigserial PRIMARY KEY, at timestamptz DEFAULT now());
  END IF;
END
$$;

-- case: do block guard on pg_indexes
CREATE TABLE t (a int);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix_t_a') THEN
    CREATE INDEX ix_t_a ON t (a);
  END IF;
END
$$;

-- case: do block guard on pg_constraint
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int);
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_c_p') THEN
    ALTER TABLE c ADD CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id);
  END IF;
END
$$;

-- case: do block raising exception
DO $$ BEGIN RAISE EXCEPTION 'migration refused'; END $$;

-- case: do block with error inside
CREATE TABLE t (a int);
DO $$ BEGIN ALTER TABLE t ADD COLUMN a int; END $$;

-- case: do block language plpgsql explicit with loop
CREATE TABLE t1 (a int);
CREATE TABLE t2 (a int);
DO LANGUAGE plpgsql $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN created_at timestamptz DEFAULT now()', r.tablename);
  END LOOP;
END
$$;

-- case: do block rename column if exists
CREATE TABLE t (old_name int);
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'old_name') THEN
    ALTER TABLE t RENAME COLUMN old_name TO new_name;
  END IF;
END
$$;

-- case: do block loop over information_schema columns
CREATE TABLE t (id int, created text, updated text);
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = 't' AND column_name <> 'id'
           ORDER BY ordinal_position LOOP
    EXECUTE format('ALTER TABLE t ALTER COLUMN %I TYPE timestamptz USING %I::timestamptz', c.column_name, c.column_name);
  END LOOP;
END $$;

-- case: do block loop adds an index per table
CREATE TABLE a (tenant_id int);
CREATE TABLE b (tenant_id int, x int);
CREATE TABLE c (other int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT table_name FROM information_schema.columns
           WHERE table_schema = 'public' AND column_name = 'tenant_id' LOOP
    EXECUTE format('CREATE INDEX %I ON %I (tenant_id)', r.table_name || '_tenant_idx', r.table_name);
  END LOOP;
END $$;

-- case: do block loop body does not see tables it creates
CREATE TABLE t1 (a int);
CREATE TABLE t2 (a int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('CREATE TABLE %I (LIKE %I)', r.tablename || '_copy', r.tablename);
  END LOOP;
END $$;

-- case: do block loop over integers creates partitions
CREATE TABLE events (id int, bucket int) PARTITION BY LIST (bucket);
DO $$
BEGIN
  FOR i IN 0..3 LOOP
    EXECUTE format('CREATE TABLE events_%s PARTITION OF events FOR VALUES IN (%s)', i, i);
  END LOOP;
END $$;

-- case: do block loop reverse by step
DO $$
BEGIN
  FOR i IN REVERSE 10..1 BY 4 LOOP
    EXECUTE 'CREATE TABLE t_' || i || ' (a int)';
  END LOOP;
END $$;

-- case: do block loop by zero fails
DO $$ BEGIN FOR i IN 1..3 BY 0 LOOP EXECUTE 'CREATE TABLE t (a int)'; END LOOP; END $$;
CREATE TABLE after_it (a int);

-- case: do block loop null bound fails
DO $$ BEGIN FOR i IN 1..NULL LOOP NULL; END LOOP; END $$;

-- case: do block foreach over literal array
DO $$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['audit', 'billing'] LOOP
    EXECUTE format('CREATE SCHEMA %I', s);
    EXECUTE format('CREATE TABLE %I.log (id int)', s);
  END LOOP;
END $$;

-- case: do block foreach over array literal cast
DO $$
DECLARE n int;
BEGIN
  FOREACH n IN ARRAY '{1,2}'::int[] LOOP
    EXECUTE format('CREATE TABLE shard_%s (a int)', n);
  END LOOP;
END $$;

-- case: do block foreach over null array fails
DO $$ DECLARE x int; BEGIN FOREACH x IN ARRAY NULL::int[] LOOP NULL; END LOOP; END $$;

-- case: do block foreach element of the wrong type fails
DO $$ DECLARE x int; BEGIN FOREACH x IN ARRAY ARRAY['1', 'x'] LOOP EXECUTE format('CREATE TABLE t%s ()', x); END LOOP; END $$;

-- case: do block nested loops over tables and their columns
CREATE TABLE a (x int, y int);
CREATE TABLE b (z int);
DO $$
DECLARE r record; c record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LOOP
    FOR c IN SELECT column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = r.tablename ORDER BY ordinal_position LOOP
      EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.tablename, c.column_name, r.tablename || '.' || c.column_name);
    END LOOP;
  END LOOP;
END $$;

-- case: do block loop exit when
DO $$
BEGIN
  FOR i IN 1..10 LOOP
    EXIT WHEN i > 3;
    EXECUTE format('CREATE TABLE t%s (a int)', i);
  END LOOP;
END $$;

-- case: do block loop continue when and labelled exit
DO $$
BEGIN
  <<outer>>
  FOR i IN 1..4 LOOP
    CONTINUE WHEN i % 2 = 0;
    FOR j IN 1..3 LOOP
      EXIT outer WHEN i = 3;
      CONTINUE outer WHEN j = 2;
      EXECUTE format('CREATE TABLE t_%s_%s (a int)', i, j);
    END LOOP;
  END LOOP outer;
END $$;

-- case: do block while loop with a counter
DO $$
DECLARE n int := 0;
BEGIN
  WHILE n < 3 LOOP
    n := n + 1;
    EXECUTE format('CREATE TABLE w%s (a int)', n);
  END LOOP;
  LOOP
    n := n - 1;
    EXIT WHEN n < 1;
    EXECUTE format('CREATE TABLE l%s (a int)', n);
  END LOOP;
END $$;

-- case: do block error inside a loop fails the block
CREATE TABLE t1 (a int);
CREATE TABLE t2 (b int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN a int', r.tablename);
  END LOOP;
END $$;
CREATE TABLE after_it (a int);

-- case: do block error inside a loop caught per iteration
CREATE TABLE t1 (a int);
CREATE TABLE t2 (b int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %I ADD COLUMN a int', r.tablename);
    EXCEPTION WHEN duplicate_column THEN
      EXECUTE format('COMMENT ON TABLE %I IS %L', r.tablename, 'had a');
    END;
  END LOOP;
END $$;

-- case: do block loop found and if on record fields
CREATE TABLE keep (a int);
CREATE TABLE skip_me (a int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'nothing' LOOP
    EXECUTE 'CREATE TABLE never (a int)';
  END LOOP;
  IF NOT FOUND THEN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
      IF r.tablename <> 'skip_me' THEN
        EXECUTE 'ALTER TABLE ' || quote_ident(r.tablename) || ' ADD COLUMN b int';
      END IF;
    END LOOP;
  END IF;
END $$;

-- case: do block loop into scalar variables
CREATE TABLE a (x int);
CREATE TABLE b (y int);
DO $$
DECLARE tbl text; col text;
BEGIN
  FOR tbl, col IN SELECT table_name, column_name FROM information_schema.columns
                  WHERE table_schema = 'public' ORDER BY table_name LOOP
    EXECUTE format('ALTER TABLE %I RENAME COLUMN %I TO %I', tbl, col, col || '_renamed');
  END LOOP;
END $$;

-- case: do block loop over execute of a query string
CREATE TABLE a (x int);
DO $$
DECLARE r record;
BEGIN
  FOR r IN EXECUTE 'SELECT tablename FROM pg_tables WHERE schemaname = ' || quote_literal('public') LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN y int', r.tablename);
  END LOOP;
END $$;
