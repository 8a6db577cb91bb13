-- case: drop table with view depending
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
DROP TABLE t;

-- case: drop table cascade drops view
CREATE TABLE t (a int);
CREATE TABLE keep (b int);
CREATE VIEW v AS SELECT a FROM t;
CREATE VIEW w AS SELECT v.a, keep.b FROM v, keep;
DROP TABLE t CASCADE;

-- case: drop table referenced by foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
DROP TABLE p;

-- case: drop table cascade drops only foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p);
DROP TABLE p CASCADE;

-- case: drop table restrict explicit
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
DROP TABLE p RESTRICT;

-- case: drop both tables in one statement
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
DROP TABLE p, c;

-- case: drop table if exists mixed
CREATE TABLE a (x int);
DROP TABLE IF EXISTS missing, a;

-- case: drop missing table
DROP TABLE missing;

-- case: drop table drops owned sequences and indexes
CREATE TABLE t (id serial PRIMARY KEY, b bigserial, c int GENERATED ALWAYS AS IDENTITY);
CREATE INDEX t_b ON t (b);
DROP TABLE t;
CREATE SEQUENCE t_id_seq;

-- case: drop self referencing table
CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node);
DROP TABLE node;

-- case: drop type used by function argument
CREATE TYPE mood AS ENUM ('a');
CREATE FUNCTION f(m mood) RETURNS int LANGUAGE sql AS 'SELECT 1';
DROP TYPE mood;

-- case: drop type used by view
CREATE TYPE mood AS ENUM ('a');
CREATE VIEW v AS SELECT 'a'::mood AS m;
DROP TYPE mood;

-- case: drop type used by composite type
CREATE TYPE mood AS ENUM ('a');
CREATE TYPE pair AS (m mood, n int);
DROP TYPE mood CASCADE;

-- case: drop function used by trigger
CREATE TABLE t (a int, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
DROP FUNCTION touch();

-- case: drop function cascade drops trigger
CREATE TABLE t (a int, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
DROP FUNCTION touch() CASCADE;

-- case: drop function used by default
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'X' $$;
CREATE TABLE t (code text DEFAULT next_code());
DROP FUNCTION next_code();

-- case: drop function cascade drops default
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'X' $$;
CREATE TABLE t (code text DEFAULT next_code());
DROP FUNCTION next_code CASCADE;

-- case: drop function used by check constraint
CREATE FUNCTION is_even(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 % 2 = 0';
CREATE TABLE t (n int CHECK (is_even(n)));
DROP FUNCTION is_even(int);

-- case: drop function used by index
CREATE FUNCTION norm(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(trim($1))';
CREATE TABLE t (name text);
CREATE INDEX t_norm ON t (norm(name));
DROP FUNCTION norm(text) CASCADE;

-- case: drop function used by view
CREATE FUNCTION two() RETURNS int LANGUAGE sql AS 'SELECT 2';
CREATE VIEW v AS SELECT two() AS x;
DROP FUNCTION two();

-- case: drop function ambiguous without args
CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'SELECT 2';
DROP FUNCTION f;

-- case: drop function missing
DROP FUNCTION f(int);

-- case: drop function if exists wrong signature
CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
DROP FUNCTION IF EXISTS f(text);

-- case: drop extension used by column
CREATE EXTENSION citext;
CREATE TABLE t (a int, e citext);
DROP EXTENSION citext;

-- case: drop extension cascade drops column
CREATE EXTENSION citext;
CREATE TABLE t (a int, e citext);
DROP EXTENSION citext CASCADE;

-- case: drop extension used by index opclass
CREATE EXTENSION pg_trgm;
CREATE TABLE t (name text);
CREATE INDEX t_trgm ON t USING gin (name gin_trgm_ops);
DROP EXTENSION pg_trgm CASCADE;

-- case: drop extension used by default
CREATE EXTENSION "uuid-ossp";
CREATE TABLE t (id uuid DEFAULT uuid_generate_v4());
DROP EXTENSION "uuid-ossp";

-- case: drop extension member function directly
CREATE EXTENSION "uuid-ossp";
DROP FUNCTION uuid_generate_v4();

-- case: drop schema with content
CREATE SCHEMA app;
CREATE TABLE app.t (a int);
DROP SCHEMA app;

-- case: drop schema cascade
CREATE SCHEMA app;
CREATE TABLE app.t (a int);
CREATE TYPE app.e AS ENUM ('x');
CREATE TABLE u (e app.e, a int);
CREATE VIEW v AS SELECT a FROM app.t;
DROP SCHEMA app CASCADE;

-- case: drop schema if exists missing
DROP SCHEMA IF EXISTS nope;
DROP SCHEMA IF EXISTS nope CASCADE;

-- case: drop public schema cascade and recreate
CREATE TABLE t (a int);
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
CREATE TABLE t (b int);

-- case: drop index used by foreign key
CREATE TABLE p (id int);
CREATE UNIQUE INDEX p_id_uidx ON p (id);
CREATE TABLE c (p_id int REFERENCES p (id));
DROP INDEX p_id_uidx;

-- case: drop index cascade drops foreign key
CREATE TABLE p (id int);
CREATE UNIQUE INDEX p_id_uidx ON p (id);
CREATE TABLE c (p_id int REFERENCES p (id));
DROP INDEX p_id_uidx CASCADE;

-- case: drop column used by index drops index
CREATE TABLE t (a int, b int);
CREATE INDEX t_ab ON t (a, b);
CREATE INDEX t_expr ON t ((a + b));
CREATE INDEX t_part ON t (a) WHERE b > 0;
ALTER TABLE t DROP COLUMN b;

-- case: drop column used by check constraint drops it
CREATE TABLE t (a int, b int, CHECK (a > b), CHECK (a > 0));
ALTER TABLE t DROP COLUMN b;

-- case: drop column used by policy
CREATE TABLE t (a int, owner text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_owner ON t USING (owner = current_user);
ALTER TABLE t DROP COLUMN owner;

-- case: drop column used by trigger update of
CREATE TABLE t (a int, b int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_b BEFORE UPDATE OF b ON t FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE t DROP COLUMN b;

-- case: drop view cascade with matview
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT a FROM v;
DROP VIEW v CASCADE;

-- case: drop domain used by another domain
CREATE DOMAIN d1 AS int;
CREATE DOMAIN d2 AS d1 CHECK (VALUE > 0);
DROP DOMAIN d1;

-- case: drop sequence if exists missing then existing
CREATE SEQUENCE s;
DROP SEQUENCE IF EXISTS missing, s;

-- case: drop type of table rowtype
CREATE TABLE t (a int);
DROP TYPE t;

-- case: drop table used as column type of another table
CREATE TABLE address (street text);
CREATE TABLE person (id int, home address);
DROP TABLE address;

-- case: drop table used as column type cascade
CREATE TABLE address (street text);
CREATE TABLE person (id int, home address);
DROP TABLE address CASCADE;

-- case: drop inherited parent table
CREATE TABLE parent (a int);
CREATE TABLE child (b int) INHERITS (parent);
DROP TABLE parent;

-- case: drop inherited parent cascade drops child
CREATE TABLE parent (a int);
CREATE TABLE child (b int) INHERITS (parent);
DROP TABLE parent CASCADE;

-- case: drop owned sequence of column cascade
CREATE TABLE t (id serial, a int);
DROP SEQUENCE t_id_seq CASCADE;
