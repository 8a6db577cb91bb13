-- case: rename table keeps index constraint and sequence names
CREATE TABLE t (id serial PRIMARY KEY, a int UNIQUE CHECK (a > 0));
CREATE INDEX t_a_idx2 ON t (a);
ALTER TABLE t RENAME TO items;

-- case: rename table to existing name
CREATE TABLE a (x int);
CREATE TABLE b (x int);
ALTER TABLE a RENAME TO b;

-- case: rename table to name of an index
CREATE TABLE a (x int);
CREATE INDEX a_x ON a (x);
ALTER TABLE a RENAME TO a_x;

-- case: rename table if exists missing
ALTER TABLE IF EXISTS missing RENAME TO other;

-- case: rename table with schema qualified target is refused
CREATE SCHEMA s;
CREATE TABLE t (a int);
ALTER TABLE t RENAME TO s.t2;

-- case: rename column updates index and check and default expressions
CREATE TABLE t (a int, b int DEFAULT 0, CHECK (a > b));
CREATE INDEX t_expr ON t ((a + b));
CREATE INDEX t_part ON t (a) WHERE b > 0;
ALTER TABLE t RENAME COLUMN b TO c;

-- case: rename column referenced by foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p (id));
ALTER TABLE p RENAME COLUMN id TO pid;
ALTER TABLE c RENAME p_id TO parent_id;

-- case: rename column to existing name
CREATE TABLE t (a int, b int);
ALTER TABLE t RENAME COLUMN a TO b;

-- case: rename missing column
CREATE TABLE t (a int);
ALTER TABLE t RENAME COLUMN nope TO b;

-- case: rename column used in generated column
CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);
ALTER TABLE t RENAME COLUMN a TO base;

-- case: rename serial column keeps sequence name
CREATE TABLE t (id serial);
ALTER TABLE t RENAME COLUMN id TO pk;

-- case: rename index
CREATE TABLE t (a int);
CREATE INDEX ix_a ON t (a);
ALTER INDEX ix_a RENAME TO ix_t_a;

-- case: rename index of primary key renames constraint
CREATE TABLE t (id int PRIMARY KEY);
ALTER INDEX t_pkey RENAME TO t_pk;
CREATE TABLE c (id int REFERENCES t);

-- case: rename index to existing relation name
CREATE TABLE t (a int);
CREATE INDEX ix_a ON t (a);
ALTER INDEX ix_a RENAME TO t;

-- case: rename index through alter table
CREATE TABLE t (a int);
CREATE INDEX ix_a ON t (a);
ALTER TABLE ix_a RENAME TO ix_b;

-- case: rename sequence
CREATE SEQUENCE s;
ALTER SEQUENCE s RENAME TO s2;

-- case: rename serial sequence and default follows
CREATE TABLE t (id serial);
ALTER SEQUENCE t_id_seq RENAME TO t_pk_seq;

-- case: rename unique constraint renames index
CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE);
ALTER TABLE t RENAME CONSTRAINT t_a_key TO uq_t_a;

-- case: rename foreign key constraint
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
ALTER TABLE c RENAME CONSTRAINT c_p_id_fkey TO fk_c_p;

-- case: rename missing constraint
CREATE TABLE t (a int);
ALTER TABLE t RENAME CONSTRAINT nope TO other;

-- case: rename table set schema moves indexes and sequences
CREATE SCHEMA archive;
CREATE TABLE t (id serial PRIMARY KEY, a int);
CREATE INDEX t_a ON t (a);
ALTER TABLE t SET SCHEMA archive;

-- case: rename table set schema missing schema
CREATE TABLE t (a int);
ALTER TABLE t SET SCHEMA nope;

-- case: rename table set schema name clash
CREATE SCHEMA archive;
CREATE TABLE archive.t (a int);
CREATE TABLE t (a int);
ALTER TABLE t SET SCHEMA archive;

-- case: rename table set schema with view following
CREATE SCHEMA archive;
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER TABLE t SET SCHEMA archive;

-- case: rename type set schema
CREATE SCHEMA types;
CREATE TYPE status AS ENUM ('a');
CREATE DOMAIN code AS text;
ALTER TYPE status SET SCHEMA types;
ALTER DOMAIN code SET SCHEMA types;

-- case: rename sequence set schema
CREATE SCHEMA other;
CREATE SEQUENCE s;
ALTER SEQUENCE s SET SCHEMA other;

-- case: rename view set schema
CREATE SCHEMA other;
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER VIEW v SET SCHEMA other;

-- case: rename schema
CREATE SCHEMA old;
CREATE TABLE old.t (a int);
CREATE VIEW v AS SELECT a FROM old.t;
ALTER SCHEMA old RENAME TO new;

-- case: rename schema to existing
CREATE SCHEMA a;
CREATE SCHEMA b;
ALTER SCHEMA a RENAME TO b;

-- case: rename function
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION f() RENAME TO g;

-- case: rename function set schema
CREATE SCHEMA util;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION f() SET SCHEMA util;

-- case: rename trigger
CREATE TABLE t (a int);
CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TRIGGER t_trg ON t RENAME TO t_trg2;

-- case: rename policy
CREATE TABLE t (a int);
CREATE POLICY p ON t USING (a > 0);
ALTER POLICY p ON t RENAME TO p2;

-- case: rename column of table with quoted mixed case names
CREATE TABLE "Users" ("userId" int, "Name" text);
ALTER TABLE "Users" RENAME COLUMN "userId" TO "UserID";
ALTER TABLE "Users" RENAME TO "AppUsers";

-- case: rename enum type in other schema
CREATE SCHEMA s;
CREATE TYPE s.e AS ENUM ('a');
ALTER TYPE s.e RENAME TO e2;
CREATE TABLE t (x s.e2);
