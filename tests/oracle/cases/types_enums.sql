-- case: enum add value at end before and after
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status ADD VALUE 'archived';
ALTER TYPE status ADD VALUE 'review' BEFORE 'published';
ALTER TYPE status ADD VALUE 'scheduled' AFTER 'review';
CREATE TABLE post (s status DEFAULT 'draft');

-- case: enum add value if not exists existing is skipped
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status ADD VALUE IF NOT EXISTS 'draft';
ALTER TYPE status ADD VALUE IF NOT EXISTS 'deleted';

-- case: enum add existing value
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status ADD VALUE 'draft';

-- case: enum add value before missing label
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status ADD VALUE 'x' BEFORE 'nope';

-- case: enum rename value
CREATE TYPE status AS ENUM ('draft', 'published');
CREATE TABLE post (s status DEFAULT 'draft');
ALTER TYPE status RENAME VALUE 'draft' TO 'pending';

-- case: enum rename missing value
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status RENAME VALUE 'nope' TO 'pending';

-- case: enum rename value to existing
CREATE TYPE status AS ENUM ('draft', 'published');
ALTER TYPE status RENAME VALUE 'draft' TO 'published';

-- case: enum rename type used by column
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status, arr status[]);
ALTER TYPE status RENAME TO post_status;

-- case: enum set schema
CREATE SCHEMA types;
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status DEFAULT 'a');
ALTER TYPE status SET SCHEMA types;

-- case: enum create duplicate type
CREATE TYPE status AS ENUM ('a');
CREATE TYPE status AS ENUM ('b');

-- case: enum with duplicate labels
CREATE TYPE status AS ENUM ('a', 'a');

-- case: enum label too long
CREATE TYPE status AS ENUM ('this_enum_label_is_definitely_longer_than_sixty_three_bytes_allowed_x');

-- case: enum empty is allowed
CREATE TYPE nothing AS ENUM ();

-- case: enum name clashes with table rowtype
CREATE TABLE status (a int);
CREATE TYPE status AS ENUM ('a');

-- case: table name clashes with enum
CREATE TYPE status AS ENUM ('a');
CREATE TABLE status (a int);

-- case: enum value used in same transaction as add value
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status);
BEGIN;
ALTER TYPE status ADD VALUE 'c';
ALTER TABLE t ALTER COLUMN s SET DEFAULT 'c';

-- case: enum value used after commit
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status);
BEGIN;
ALTER TYPE status ADD VALUE 'c';
COMMIT;
ALTER TABLE t ALTER COLUMN s SET DEFAULT 'c';

-- case: enum new value unsafe even when type created in same transaction
BEGIN;
CREATE TYPE status AS ENUM ('a', 'b');
ALTER TYPE status ADD VALUE 'c';
CREATE TABLE t (s status DEFAULT 'c');
COMMIT;

-- case: enum new value in check constraint in same transaction
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status);
BEGIN;
ALTER TYPE status ADD VALUE 'c';
ALTER TABLE t ADD CONSTRAINT t_s_not_c CHECK (s <> 'c');

-- case: enum new value inserted in same transaction
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status);
BEGIN;
ALTER TYPE status ADD VALUE 'c';
INSERT INTO t VALUES ('c');

-- case: enum drop type in use
CREATE TYPE status AS ENUM ('a');
CREATE TABLE t (s status);
DROP TYPE status;

-- case: enum drop type cascade drops column
CREATE TYPE status AS ENUM ('a');
CREATE TABLE t (id int, s status);
DROP TYPE status CASCADE;

-- case: enum drop type if exists
DROP TYPE IF EXISTS status;
CREATE TYPE status AS ENUM ('a');
DROP TYPE IF EXISTS status;

-- case: enum array column with default
CREATE TYPE role AS ENUM ('admin', 'user');
CREATE TABLE account (roles role[] NOT NULL DEFAULT '{user}');

-- case: enum array default with bad label
CREATE TYPE role AS ENUM ('admin', 'user');
CREATE TABLE account (roles role[] DEFAULT '{guest}');

-- case: enum compare default cast from text column
CREATE TYPE role AS ENUM ('admin', 'user');
CREATE TABLE account (r role DEFAULT 'user'::role);

-- case: enum in schema qualified name
CREATE SCHEMA billing;
CREATE TYPE billing.plan AS ENUM ('free', 'pro');
CREATE TABLE billing.account (plan billing.plan NOT NULL DEFAULT 'free');

-- case: composite type create and use
CREATE TYPE address AS (street text, city varchar(100), zip char(5));
CREATE TABLE customer (id int, home address, work address);

-- case: composite type add and drop attribute
CREATE TYPE address AS (street text, city text);
ALTER TYPE address ADD ATTRIBUTE zip text, DROP ATTRIBUTE street;

-- case: composite type alter attribute used by table
CREATE TYPE address AS (street text, city text);
CREATE TABLE customer (home address);
ALTER TYPE address ALTER ATTRIBUTE city TYPE varchar(50);

-- case: composite type rename attribute
CREATE TYPE address AS (street text, city text);
ALTER TYPE address RENAME ATTRIBUTE city TO town;

-- case: domain with check not null and default
CREATE DOMAIN email AS text NOT NULL DEFAULT '' CHECK (VALUE ~ '@' OR VALUE = '');
CREATE TABLE users (e email);

-- case: domain named check and column override default
CREATE DOMAIN positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE TABLE t (n positive_int DEFAULT 1);

-- case: domain alter add and drop constraint
CREATE DOMAIN code AS varchar(10);
ALTER DOMAIN code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE));
ALTER DOMAIN code SET DEFAULT 'X';
ALTER DOMAIN code SET NOT NULL;
ALTER DOMAIN code DROP CONSTRAINT code_upper;

-- case: domain implicit check name
CREATE DOMAIN pct AS numeric(5,2) CHECK (VALUE >= 0) CHECK (VALUE <= 100);

-- case: domain drop in use
CREATE DOMAIN code AS text;
CREATE TABLE t (c code);
DROP DOMAIN code;

-- case: domain drop cascade
CREATE DOMAIN code AS text;
CREATE TABLE t (id int, c code);
DROP DOMAIN code CASCADE;

-- case: domain default invalid for base type
CREATE DOMAIN n AS integer DEFAULT 'x';

-- case: domain over enum and array
CREATE TYPE color AS ENUM ('red', 'green');
CREATE DOMAIN colors AS color[];
CREATE TABLE t (c colors DEFAULT '{red}');

-- case: range type create and use
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE t (r floatrange);

-- case: range builtin types
CREATE TABLE t (a int4range, b int8range, c numrange, d tsrange, e tstzrange, f daterange, g int4multirange);

-- case: type citext from extension
CREATE EXTENSION citext;
CREATE TABLE users (email citext UNIQUE NOT NULL, names citext[]);

-- case: type citext without extension
CREATE TABLE users (email citext);

-- case: type hstore from extension
CREATE EXTENSION hstore;
CREATE TABLE t (attrs hstore DEFAULT ''::hstore);

-- case: types canonical spellings
CREATE TABLE t (a int4, b int8, c int2, d float8, e float4, f bool, g varchar, h character varying(20), i character(2), j decimal(8,3), k timestamp(3) without time zone, l timestamptz(0), m time with time zone, n bit(8), o varbit(16), p "char", q name, r oid, s money, t2 cidr, u macaddr, v xml, w point, x interval day to second, y numeric, z double precision[]);

-- case: types typmod errors varchar zero
CREATE TABLE t (a varchar(0));

-- case: types numeric scale greater than precision
CREATE TABLE t (a numeric(2,5));

-- case: types timestamp precision above six is clamped
CREATE TABLE t (a timestamp(9));

-- case: types serial in array is refused
CREATE TABLE t (a serial[]);

-- case: types percent type reference
CREATE TABLE p (id bigint);
CREATE TABLE c (p_id p.id%TYPE);
