-- case: function sql and plpgsql
CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$;
CREATE FUNCTION greet(name text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'hello ' || name;
END;
$$;

-- case: function create or replace same signature
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql STABLE AS 'SELECT 2';

-- case: function create or replace changing return type
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE OR REPLACE FUNCTION f(x int) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';

-- case: function create or replace renaming parameter
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE OR REPLACE FUNCTION f(y int) RETURNS int LANGUAGE sql AS 'SELECT 1';

-- case: function create existing without replace
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION f(y int) RETURNS int LANGUAGE sql AS 'SELECT 2';

-- case: function overloads by argument types
CREATE FUNCTION area(r numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 3.14 * r * r';
CREATE FUNCTION area(w numeric, h numeric) RETURNS numeric LANGUAGE sql AS 'SELECT w * h';
CREATE FUNCTION area(label text) RETURNS numeric LANGUAGE sql AS 'SELECT 0';
DROP FUNCTION area(numeric, numeric);

-- case: function with defaults and out params
CREATE FUNCTION page(lim int DEFAULT 10, off int DEFAULT 0, OUT total bigint, OUT items text[]) LANGUAGE sql AS $$ SELECT 0::bigint, ARRAY[]::text[] $$;

-- case: function returns table and setof
CREATE TABLE t (id int, name text);
CREATE FUNCTION by_name(p text) RETURNS TABLE (id int, name text) LANGUAGE sql STABLE AS $$ SELECT id, name FROM t WHERE name = p $$;
CREATE FUNCTION all_t() RETURNS SETOF t LANGUAGE sql AS $$ SELECT * FROM t $$;

-- case: function sql body referencing missing table
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM missing $$;

-- case: function sql body referencing missing column
CREATE TABLE t (a int);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT b FROM t $$;

-- case: function sql body with parameters named like columns
CREATE TABLE t (a int);
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + a FROM t; UPDATE t SET a = x WHERE a = x; SELECT count(*)::int FROM t $$;

-- case: function sql body polymorphic is not analyzed
CREATE FUNCTION f(anyelement) RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM missing $$;

-- case: function bodies unchecked when check_function_bodies is off
SET check_function_bodies = false;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM later $$;
CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END $$;
CREATE TABLE later (a int);
RESET check_function_bodies;
CREATE FUNCTION h() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM later $$;

-- case: function plpgsql body referencing missing table is accepted
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM missing); END $$;

-- case: function plpgsql syntax error in body
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END $$;

-- case: function sql standard body begin atomic
CREATE TABLE t (a int);
CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t; END;

-- case: function security definer with set search_path
CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS 'SELECT 1';

-- case: function unknown language
CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1';

-- case: function alter options
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION f() IMMUTABLE PARALLEL SAFE COST 10;

-- case: function comment
CREATE FUNCTION f(int, text) RETURNS int LANGUAGE sql AS 'SELECT 1';
COMMENT ON FUNCTION f(int, text) IS 'does f';

-- case: procedure create and call
CREATE TABLE t (a int);
CREATE PROCEDURE add_row(v int) LANGUAGE sql AS $$ INSERT INTO t VALUES (v) $$;
CALL add_row(1);

-- case: procedure drop
CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
DROP PROCEDURE p();

-- case: trigger before update for each row
CREATE TABLE t (id int, updated_at timestamptz);
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$;
CREATE TRIGGER trg_t_updated_at BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE set_updated_at();

-- case: trigger after insert or delete for each statement
CREATE TABLE t (id int);
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER t_audit AFTER INSERT OR DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION audit();

-- case: trigger with when and update of columns
CREATE TABLE t (id int, status text, price numeric);
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_status AFTER UPDATE OF status, price ON t FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION log_change();

-- case: trigger with arguments and transition tables
CREATE TABLE t (id int);
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER t_audit AFTER INSERT ON t REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit('t', 'insert');

-- case: trigger constraint trigger deferrable
CREATE TABLE t (id int);
CREATE FUNCTION chk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER t_chk AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION chk();

-- case: trigger on missing function
CREATE TABLE t (id int);
CREATE TRIGGER t_x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION nope();

-- case: trigger function with wrong return type
CREATE TABLE t (id int);
CREATE FUNCTION notrig() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER t_x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION notrig();

-- case: trigger duplicate name on same table
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger create or replace
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE OR REPLACE TRIGGER x BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger disable and enable
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER y BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE t DISABLE TRIGGER x;
ALTER TABLE t ENABLE ALWAYS TRIGGER y;

-- case: trigger disable all user triggers
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE t DISABLE TRIGGER USER;

-- case: trigger disable missing
CREATE TABLE t (id int);
ALTER TABLE t DISABLE TRIGGER nope;

-- case: trigger drop and drop if exists
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
DROP TRIGGER x ON t;
DROP TRIGGER IF EXISTS x ON t;

-- case: trigger drop missing
CREATE TABLE t (id int);
DROP TRIGGER x ON t;

-- case: trigger comment
CREATE TABLE t (id int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
COMMENT ON TRIGGER x ON t IS 'sets things';

-- case: trigger instead of on view
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger before on view is refused
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins BEFORE INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger statement level on view with columns and when
CREATE TABLE t (id int, name text);
CREATE VIEW v AS SELECT id, name FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER v_audit AFTER UPDATE OF name ON v FOR EACH STATEMENT EXECUTE FUNCTION trg();
CREATE TRIGGER v_before BEFORE INSERT OR DELETE ON v FOR EACH STATEMENT WHEN (true) EXECUTE FUNCTION trg();
CREATE TRIGGER v_ins INSTEAD OF INSERT OR UPDATE ON v FOR EACH ROW EXECUTE FUNCTION trg();
COMMENT ON TRIGGER v_audit ON v IS 'audits renames';
COMMENT ON TRIGGER v_ins ON v IS 'writes through';

-- case: trigger instead of on view with when is refused
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION trg();

-- case: trigger instead of on view with columns is refused
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_upd INSTEAD OF UPDATE OF id ON v FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger on view with transition table is refused
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER v_s AFTER INSERT ON v REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION trg();

-- case: trigger constraint trigger on view is refused
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER v_c AFTER INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();

-- case: trigger on materialized view is refused
CREATE TABLE t (id int);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER mv_s AFTER INSERT ON mv FOR EACH STATEMENT EXECUTE FUNCTION trg();

-- case: trigger on view duplicate name and or replace
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION trg2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
CREATE OR REPLACE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg2();
DROP FUNCTION trg();
CREATE TRIGGER v_ins INSTEAD OF DELETE ON v FOR EACH ROW EXECUTE FUNCTION trg2();

-- case: trigger on view dropped with the view
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
DROP VIEW v;
DROP FUNCTION trg();

-- case: trigger on view dropped with a cascade from its table
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
DROP TABLE t CASCADE;
DROP FUNCTION trg();

-- case: trigger on view blocks dropping its function
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
DROP FUNCTION trg();

-- case: trigger on view dropped by function cascade
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION other() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER v_del INSTEAD OF DELETE ON v FOR EACH ROW EXECUTE FUNCTION other();
DROP FUNCTION trg() CASCADE;

-- case: trigger on view drop trigger
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER v_del INSTEAD OF DELETE ON v FOR EACH ROW EXECUTE FUNCTION trg();
DROP TRIGGER v_ins ON v;
DROP TRIGGER IF EXISTS v_ins ON v;

-- case: trigger on view drop missing trigger
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
DROP TRIGGER v_ins ON v;

-- case: trigger on view renames
CREATE SCHEMA other;
CREATE TABLE t (id int, name text);
CREATE VIEW v AS SELECT id, name FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER v_upd AFTER UPDATE OF name ON v EXECUTE FUNCTION trg();
ALTER TRIGGER v_ins ON v RENAME TO v_insert;
ALTER VIEW v RENAME TO w;
ALTER VIEW w RENAME COLUMN name TO label;
ALTER FUNCTION trg() RENAME TO trg_renamed;
ALTER VIEW w SET SCHEMA other;
COMMENT ON TRIGGER v_insert ON other.w IS 'moved';

-- case: trigger on view rename to an existing name
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER a INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
CREATE TRIGGER b INSTEAD OF DELETE ON v FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TRIGGER a ON v RENAME TO b;

-- case: trigger on view kept by create or replace view
CREATE TABLE t (id int, name text);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
COMMENT ON TRIGGER v_ins ON v IS 'kept';
CREATE OR REPLACE VIEW v AS SELECT id, name FROM t;

-- case: trigger on view cannot be disabled with alter table
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE v DISABLE TRIGGER v_ins;

-- case: trigger on view comment on missing trigger
CREATE TABLE t (id int);
CREATE VIEW v AS SELECT id FROM t;
COMMENT ON TRIGGER nope ON v IS 'x';

-- case: rls enable force and policies
CREATE TABLE docs (id int, owner text, tenant int);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON docs FOR ALL TO PUBLIC USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY docs_read ON docs AS RESTRICTIVE FOR SELECT USING (tenant = current_setting('app.tenant')::int);

-- case: rls alter policy
CREATE TABLE docs (id int, owner text);
CREATE POLICY docs_owner ON docs USING (owner = current_user);
ALTER POLICY docs_owner ON docs USING (owner = session_user) WITH CHECK (true);

-- case: rls policy duplicate name
CREATE TABLE docs (id int);
CREATE POLICY p ON docs USING (true);
CREATE POLICY p ON docs USING (false);

-- case: rls policy on missing column
CREATE TABLE docs (id int);
CREATE POLICY p ON docs USING (owner = current_user);

-- case: rls policy with subquery and alter on missing column
CREATE TABLE members (uid text, tenant int);
CREATE TABLE docs (id int, owner text, tenant int);
CREATE POLICY p ON docs USING (tenant IN (SELECT m.tenant FROM members m WHERE m.uid = current_user));
ALTER POLICY p ON docs WITH CHECK (docs.owner = current_user);
ALTER POLICY p ON docs USING (author = current_user);

-- case: rls drop policy
CREATE TABLE docs (id int);
CREATE POLICY p ON docs USING (true);
DROP POLICY p ON docs;
DROP POLICY IF EXISTS p ON docs;

-- case: rls disable and no force
CREATE TABLE docs (id int);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
ALTER TABLE docs NO FORCE ROW LEVEL SECURITY;
ALTER TABLE docs DISABLE ROW LEVEL SECURITY;

-- case: comments on every kind of object
CREATE SCHEMA app;
CREATE TYPE app.e AS ENUM ('a');
CREATE DOMAIN app.d AS int;
CREATE TABLE app.t (id int PRIMARY KEY, a int CONSTRAINT a_pos CHECK (a > 0));
CREATE INDEX t_a ON app.t (a);
CREATE SEQUENCE app.s;
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
COMMENT ON TYPE app.e IS 'enum';
COMMENT ON DOMAIN app.d IS 'domain';
COMMENT ON TABLE app.t IS 'table';
COMMENT ON COLUMN app.t.a IS 'column';
COMMENT ON CONSTRAINT a_pos ON app.t IS 'constraint';
COMMENT ON CONSTRAINT t_pkey ON app.t IS 'pk';
COMMENT ON INDEX app.t_a IS 'index';
COMMENT ON SEQUENCE app.s IS 'sequence';
COMMENT ON VIEW app.v IS 'view';
COMMENT ON FUNCTION app.f() IS 'function';

-- case: comment set to null removes it
CREATE TABLE t (a int);
COMMENT ON TABLE t IS 'x';
COMMENT ON TABLE t IS NULL;
COMMENT ON COLUMN t.a IS '';

-- case: comment on missing column
CREATE TABLE t (a int);
COMMENT ON COLUMN t.b IS 'x';

-- case: comment on missing table
COMMENT ON TABLE missing IS 'x';

-- case: comment on extension
CREATE EXTENSION citext;
COMMENT ON EXTENSION citext IS 'case insensitive';

-- case: comment on domain constraint and policy
CREATE DOMAIN d AS int CONSTRAINT d_pos CHECK (VALUE > 0);
CREATE TABLE t (a int);
CREATE POLICY p ON t USING (true);
COMMENT ON CONSTRAINT d_pos ON DOMAIN d IS 'positive';
COMMENT ON POLICY p ON t IS 'everything';

-- case: comment on type with table rowtype
CREATE TABLE t (a int);
COMMENT ON TYPE t IS 'rowtype';
