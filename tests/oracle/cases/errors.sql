-- case: error invalid integer default literal
CREATE TABLE t (a int DEFAULT 'abc');

-- case: error integer default out of range
CREATE TABLE t (a smallint DEFAULT 40000);

-- case: error invalid boolean default literal
CREATE TABLE t (a boolean DEFAULT 'maybe');

-- case: error valid boolean default spellings
CREATE TABLE t (a boolean DEFAULT 'yes', b boolean DEFAULT 'off', c boolean DEFAULT 't', d boolean DEFAULT '0');

-- case: error invalid uuid default literal
CREATE TABLE t (a uuid DEFAULT 'not-a-uuid');

-- case: error invalid json default literal
CREATE TABLE t (a jsonb DEFAULT '{bad json}');

-- case: error valid json defaults
CREATE TABLE t (a jsonb DEFAULT '{}'::jsonb, b jsonb NOT NULL DEFAULT '[]', c json DEFAULT '{"k": [1, 2]}');

-- case: error invalid date default literal
CREATE TABLE t (a date DEFAULT '2023-02-30');

-- case: error invalid timestamp default literal
CREATE TABLE t (a timestamptz DEFAULT 'yesterday-ish');

-- case: error special timestamp default literal
CREATE TABLE t (a timestamptz DEFAULT 'epoch', b date DEFAULT 'infinity', c timestamp DEFAULT '-infinity');

-- case: error invalid numeric default overflow
CREATE TABLE t (a numeric(4,2) DEFAULT 123.45);

-- case: error varchar default too long
CREATE TABLE t (a varchar(3) DEFAULT 'abcdef');

-- case: error varchar default too long with explicit cast is truncated
CREATE TABLE t (a varchar(3) DEFAULT 'abcdef'::varchar(3));

-- case: error invalid inet default literal
CREATE TABLE t (a inet DEFAULT '300.1.1.1');

-- case: error invalid interval default literal
CREATE TABLE t (a interval DEFAULT '3 fortnights');

-- case: error invalid array default literal
CREATE TABLE t (a int[] DEFAULT '{1,x}');

-- case: error default with column reference
CREATE TABLE t (a int, b int DEFAULT a);

-- case: error default with subquery
CREATE TABLE t (a int DEFAULT (SELECT 1));

-- case: error default of wrong type expression
CREATE TABLE t (a int DEFAULT now());

-- case: error default boolean for integer column
CREATE TABLE t (a int DEFAULT true);

-- case: error default integer for boolean column
CREATE TABLE t (a boolean DEFAULT 1);

-- case: error default numeric literal for integer column is assignable
CREATE TABLE t (a int DEFAULT 1.5, b bigint DEFAULT 10.0);

-- case: error generated column referencing generated column
CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c int GENERATED ALWAYS AS (b + 1) STORED);

-- case: error generated column with volatile function
CREATE TABLE t (a timestamptz GENERATED ALWAYS AS (now()) STORED);

-- case: error generated column with default
CREATE TABLE t (a int, b int DEFAULT 1 GENERATED ALWAYS AS (a) STORED);

-- case: error identity on text column
CREATE TABLE t (a text GENERATED ALWAYS AS IDENTITY);

-- case: error identity and default together
CREATE TABLE t (a int DEFAULT 1 GENERATED ALWAYS AS IDENTITY);

-- case: error two identity columns
CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, b int GENERATED ALWAYS AS IDENTITY);

-- case: error serial with default
CREATE TABLE t (a serial DEFAULT 1);

-- case: error syntax error in create table
CREATE TABLE t (a int,);

-- case: error syntax error after valid statements
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN;

-- case: error trailing comma in alter
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN b int, ;

-- case: error unterminated dollar quote in function is a syntax error
CREATE TABLE t (a int);
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $;

-- case: error column type with unknown schema
CREATE TABLE t (a nope.mytype);

-- case: error unknown collation
CREATE TABLE t (a text COLLATE "xx_YY");

-- case: error collation on integer column
CREATE TABLE t (a int COLLATE "C");

-- case: error table with too many dimensions is fine
CREATE TABLE t (a int[][][], b text ARRAY, c text ARRAY[3]);

-- case: error column named like system column
CREATE TABLE t (ctid int);

-- case: error add column named like system column
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN xmin int;

-- case: error create table like missing
CREATE TABLE t (LIKE missing);

-- case: error create table like including all
CREATE TABLE src (id int PRIMARY KEY, a text DEFAULT 'x' CHECK (a <> ''), b int GENERATED ALWAYS AS IDENTITY);
CREATE INDEX src_a ON src (a);
COMMENT ON COLUMN src.a IS 'aa';
CREATE TABLE dst (LIKE src INCLUDING ALL);

-- case: error create table like default only
CREATE TABLE src (id int PRIMARY KEY, a text DEFAULT 'x' CHECK (a <> ''));
CREATE TABLE dst (LIKE src INCLUDING DEFAULTS, extra int);

-- case: error truncate missing table
TRUNCATE missing;

-- case: error lock missing table
BEGIN;
LOCK TABLE missing IN ACCESS EXCLUSIVE MODE;

-- case: error create temp table is not dumped
CREATE TEMP TABLE scratch (a int);
CREATE TABLE t (a int);

-- case: error column check referencing other table
CREATE TABLE o (x int);
CREATE TABLE t (a int CHECK (a > (SELECT max(x) FROM o)));

-- case: error check with aggregate
CREATE TABLE t (a int CHECK (sum(a) > 0));

-- case: error primary key on missing column
CREATE TABLE t (a int, PRIMARY KEY (b));

-- case: error unique on duplicate columns in list
CREATE TABLE t (a int, UNIQUE (a, a));

-- case: error alter column type of partition key column
CREATE TABLE p (a int, b text) PARTITION BY LIST (a);
ALTER TABLE p ALTER COLUMN a TYPE bigint;

-- case: error drop system column
CREATE TABLE t (a int);
ALTER TABLE t DROP COLUMN ctid;

-- case: error rename system column
CREATE TABLE t (a int);
ALTER TABLE t RENAME COLUMN a TO oid;

-- case: error statement in failed transaction
CREATE TABLE t (a int);
BEGIN;
CREATE TABLE t (a int);
CREATE TABLE u (a int);

-- case: error function call with wrong argument types in default
CREATE TABLE t (a text DEFAULT lower(1, 2));

-- case: error unknown function in default
CREATE TABLE t (a text DEFAULT make_slug('x'));

-- case: error unknown function in check
CREATE TABLE t (a text CHECK (is_valid(a)));

-- case: error operator does not exist in check
CREATE TABLE t (a text CHECK (a > 0));

-- case: error integer compared to text literal in check is fine
CREATE TABLE t (a int CHECK (a > '0'));

-- case: error drop table on a sequence
CREATE SEQUENCE s;
DROP TABLE s;

-- case: error drop sequence on a table
CREATE TABLE t (a int);
DROP SEQUENCE t;

-- case: error drop type on a domain
CREATE DOMAIN d AS int;
DROP TYPE d;

-- case: error drop domain on an enum
CREATE TYPE e AS ENUM ('a');
DROP DOMAIN e;

-- case: error create index on column of wrong type for method
CREATE TABLE t (a int);
CREATE INDEX t_a ON t USING gin (a);

-- case: error invalid constraint deferrable check
CREATE TABLE t (a int CHECK (a > 0) DEFERRABLE);
