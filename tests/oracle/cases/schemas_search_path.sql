-- case: schema create and qualified table
CREATE SCHEMA app;
CREATE TABLE app.users (id int PRIMARY KEY);
CREATE TABLE app.orders (id int, user_id int REFERENCES app.users);

-- case: schema create if not exists existing
CREATE SCHEMA app;
CREATE SCHEMA IF NOT EXISTS app;

-- case: schema create existing
CREATE SCHEMA app;
CREATE SCHEMA app;

-- case: schema create with elements
CREATE SCHEMA app CREATE TABLE t (a int) CREATE VIEW v AS SELECT a FROM t CREATE INDEX t_a ON t (a);

-- case: schema authorization names schema after role
CREATE SCHEMA AUTHORIZATION postgres;
CREATE TABLE t (a int);

-- case: schema named like user is first on search path
CREATE SCHEMA postgres;
CREATE TABLE t (a int);
CREATE TABLE public.u (a int);

-- case: schema qualified table in missing schema
CREATE TABLE nope.t (a int);

-- case: search path set creates in first schema
CREATE SCHEMA app;
SET search_path TO app, public;
CREATE TABLE t (a int);
CREATE TYPE e AS ENUM ('x');
CREATE SEQUENCE s;

-- case: search path resolves first matching schema
CREATE SCHEMA app;
CREATE TABLE public.t (a int);
CREATE TABLE app.t (b int);
SET search_path = app, public;
ALTER TABLE t ADD COLUMN c int;

-- case: search path empty via set_config like pg_dump
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.t (a integer);
CREATE TABLE u (a integer);

-- case: search path set_config to schema
CREATE SCHEMA app;
SELECT pg_catalog.set_config('search_path', 'app', false);
CREATE TABLE t (a int);

-- case: search path to missing schema then create
SET search_path TO nope;
CREATE TABLE t (a int);

-- case: search path missing first schema falls through
SET search_path TO nope, public;
CREATE TABLE t (a int);

-- case: search path types resolved through path
CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('a');
SET search_path TO app, public;
CREATE TABLE public.t (s status);

-- case: search path type not on path
CREATE SCHEMA app;
CREATE TYPE app.status AS ENUM ('a');
CREATE TABLE t (s status);

-- case: search path reset
CREATE SCHEMA app;
SET search_path TO app;
RESET search_path;
CREATE TABLE t (a int);

-- case: search path set local reverts at commit
CREATE SCHEMA app;
BEGIN;
SET LOCAL search_path TO app;
CREATE TABLE t1 (a int);
COMMIT;
CREATE TABLE t2 (a int);

-- case: search path set reverts on rollback
CREATE SCHEMA app;
BEGIN;
SET search_path TO app;
ROLLBACK;
CREATE TABLE t (a int);

-- case: search path quoted user and default
SET search_path TO "$user", public;
CREATE TABLE t (a int);
SET search_path TO DEFAULT;
CREATE TABLE u (a int);

-- case: search path pg_catalog explicitly later
CREATE SCHEMA app;
SET search_path = app, pg_catalog, public;
CREATE TABLE t (a int, b text);

-- case: identifiers case folding
CREATE TABLE Users (Id int, EMAIL text);
ALTER TABLE USERS ADD COLUMN Name text;
CREATE INDEX ON users (email);

-- case: identifiers quoted mixed case are distinct
CREATE TABLE "Users" ("Id" int);
CREATE TABLE users (id int);
CREATE INDEX ON "Users" ("Id");

-- case: identifiers quoted mixed case reference without quotes fails
CREATE TABLE "Users" ("Id" int);
ALTER TABLE Users ADD COLUMN x int;

-- case: identifiers reserved words quoted
CREATE TABLE "user" ("order" int, "group" text, "select" boolean);
CREATE TABLE "table" (id int);
CREATE INDEX ON "user" ("order");

-- case: identifiers reserved word unquoted is syntax error
CREATE TABLE user (id int);

-- case: identifiers non reserved keywords unquoted
CREATE TABLE comment (name text, type text, key int, value text, position int, action text, data jsonb);

-- case: identifiers long table name truncated and referenced
CREATE TABLE this_is_a_very_long_table_name_that_exceeds_the_sixty_three_byte_limit (a int);
ALTER TABLE this_is_a_very_long_table_name_that_exceeds_the_sixty_three_byte_limit ADD COLUMN b int;
CREATE TABLE this_is_a_very_long_table_name_that_exceeds_the_sixty_three_byte_limit_two (a int);

-- case: identifiers long column names truncated collide
CREATE TABLE t (a_column_name_that_is_quite_long_and_goes_past_the_limit_of_63_bytes_x int, a_column_name_that_is_quite_long_and_goes_past_the_limit_of_63_bytes_y int);

-- case: identifiers multibyte truncation
CREATE TABLE "tablé_ééééééééééééééééééééééééééééééééééééééééééééééééééééééé" (a int);
CREATE TABLE t2 ("ç_ççççççççççççççççççççççççççççççççççççççççççççççççççççççççççççç" int);

-- case: identifiers long serial sequence name
CREATE TABLE a_table_name_which_is_long_enough_to_make_sequence_names_truncate (an_identifier_column_with_a_long_name_too serial PRIMARY KEY);

-- case: identifiers unicode and spaces quoted
CREATE TABLE "order items" ("unit price" numeric, "qté" int);
CREATE INDEX ON "order items" ("unit price");

-- case: identifiers zero length
CREATE TABLE "" (a int);

-- case: schema comment and public comment
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'application';
COMMENT ON SCHEMA public IS 'changed';

-- case: schema alter owner is accepted
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO postgres;

-- case: schema drop public and create table fails
DROP SCHEMA public;
CREATE TABLE t (a int);

-- case: schema table in pg_catalog is refused
CREATE TABLE pg_catalog.t (a int);

-- case: schema named pg_ is reserved
CREATE SCHEMA pg_app;

-- case: collation builtin names on columns
CREATE TABLE t (a text COLLATE "POSIX", b varchar(20) COLLATE "C", c text COLLATE ucs_basic, d text COLLATE "default");

-- case: collation icu
CREATE TABLE t (a text COLLATE "und-x-icu", b text COLLATE "de-x-icu");

-- case: collation create collation and use
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE t (email text COLLATE ci UNIQUE);

-- case: collation alter column type collate
CREATE TABLE t (a varchar(20));
ALTER TABLE t ALTER COLUMN a TYPE varchar(20) COLLATE "C";
CREATE INDEX t_a ON t (a);
