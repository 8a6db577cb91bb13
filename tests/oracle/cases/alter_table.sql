-- case: alter add column with default and not null
CREATE TABLE users (id serial PRIMARY KEY);
ALTER TABLE users ADD COLUMN is_active boolean NOT NULL DEFAULT true;

-- case: alter add column if not exists on existing column is skipped
CREATE TABLE users (id int, email text);
ALTER TABLE users ADD COLUMN IF NOT EXISTS email varchar(255);

-- case: alter add column that already exists
CREATE TABLE users (id int, email text);
ALTER TABLE users ADD COLUMN email varchar(255);

-- case: alter column order after drop and add
CREATE TABLE t (a int, b text, c date);
ALTER TABLE t DROP COLUMN b;
ALTER TABLE t ADD COLUMN d numeric(12,4);
ALTER TABLE t ADD COLUMN b text;

-- case: alter drop column if exists on missing column is skipped
CREATE TABLE t (a int);
ALTER TABLE t DROP COLUMN IF EXISTS legacy;

-- case: alter drop missing column
CREATE TABLE t (a int);
ALTER TABLE t DROP COLUMN legacy;

-- case: alter table if exists on missing table is skipped
ALTER TABLE IF EXISTS missing ADD COLUMN a int;

-- case: alter missing table
ALTER TABLE missing ADD COLUMN a int;

-- case: alter column type widen varchar
CREATE TABLE t (name varchar(100) NOT NULL);
ALTER TABLE t ALTER COLUMN name TYPE varchar(255);

-- case: alter column type varchar to text keeps index
CREATE TABLE t (name varchar(100));
CREATE INDEX ix_t_name ON t (name);
ALTER TABLE t ALTER COLUMN name TYPE text;

-- case: alter column type text to integer without using
CREATE TABLE t (code text);
ALTER TABLE t ALTER COLUMN code TYPE integer;

-- case: alter column type text to integer with using
CREATE TABLE t (code text);
ALTER TABLE t ALTER COLUMN code TYPE integer USING code::integer;

-- case: alter column type integer to boolean without using
CREATE TABLE t (flag integer);
ALTER TABLE t ALTER COLUMN flag TYPE boolean;

-- case: alter column type integer to boolean with using case
CREATE TABLE t (flag integer);
ALTER TABLE t ALTER COLUMN flag TYPE boolean USING CASE WHEN flag = 0 THEN false ELSE true END;

-- case: alter column type int to bigint with default
CREATE TABLE t (n int NOT NULL DEFAULT 0);
ALTER TABLE t ALTER COLUMN n TYPE bigint;

-- case: alter column type with default that cannot be cast
CREATE TABLE t (status text DEFAULT 'new');
ALTER TABLE t ALTER COLUMN status TYPE integer USING status::integer;

-- case: alter column type varchar to enum with using and text default
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (status varchar(20) NOT NULL DEFAULT 'new');
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status;

-- case: alter column type varchar to enum after dropping default
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (status varchar(20) NOT NULL DEFAULT 'new');
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::order_status;
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';

-- case: alter column type timestamp to timestamptz
CREATE TABLE t (created_at timestamp without time zone DEFAULT now());
ALTER TABLE t ALTER COLUMN created_at TYPE timestamp with time zone;

-- case: alter column type numeric precision
CREATE TABLE t (price numeric(10,2));
ALTER TABLE t ALTER COLUMN price TYPE numeric(12,4);

-- case: alter column type json to jsonb with using
CREATE TABLE t (payload json);
ALTER TABLE t ALTER COLUMN payload TYPE jsonb USING payload::jsonb;

-- case: alter column type text to jsonb without using
CREATE TABLE t (payload text);
ALTER TABLE t ALTER COLUMN payload TYPE jsonb;

-- case: alter column type text to uuid without using
CREATE TABLE t (ref text);
ALTER TABLE t ALTER COLUMN ref TYPE uuid;

-- case: alter column type int to text is allowed
CREATE TABLE t (n int DEFAULT 5);
ALTER TABLE t ALTER COLUMN n TYPE text;

-- case: alter column type of column used by a view
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a FROM t;
ALTER TABLE t ALTER COLUMN a TYPE bigint;

-- case: alter column type of column not used by a view
CREATE TABLE t (a int, b varchar(10));
CREATE VIEW v AS SELECT a FROM t;
ALTER TABLE t ALTER COLUMN b TYPE varchar(50);

-- case: alter column type with check constraint
CREATE TABLE t (qty int CHECK (qty >= 0));
ALTER TABLE t ALTER COLUMN qty TYPE bigint;

-- case: alter column set and drop default
CREATE TABLE t (a int, b text DEFAULT 'x');
ALTER TABLE t ALTER COLUMN a SET DEFAULT 42;
ALTER TABLE t ALTER COLUMN b DROP DEFAULT;

-- case: alter column set default of wrong type
CREATE TABLE t (a int);
ALTER TABLE t ALTER COLUMN a SET DEFAULT 'abc';

-- case: alter column set not null and drop not null
CREATE TABLE t (a int, b int NOT NULL);
ALTER TABLE t ALTER COLUMN a SET NOT NULL;
ALTER TABLE t ALTER COLUMN b DROP NOT NULL;

-- case: alter column drop not null on primary key column
CREATE TABLE t (id int PRIMARY KEY);
ALTER TABLE t ALTER COLUMN id DROP NOT NULL;

-- case: alter several subcommands in one statement
CREATE TABLE t (id int PRIMARY KEY, a int);
ALTER TABLE t ADD COLUMN b text, ALTER COLUMN a SET NOT NULL, ALTER COLUMN a SET DEFAULT 1, ADD COLUMN c timestamptz DEFAULT CURRENT_TIMESTAMP;

-- case: alter add column and constraint on it in one statement
CREATE TABLE t (id int PRIMARY KEY);
ALTER TABLE t ADD COLUMN code varchar(20), ADD CONSTRAINT uq_t_code UNIQUE (code), ADD CONSTRAINT ck_t_code CHECK (code <> '');

-- case: alter add column and foreign key in one statement
CREATE TABLE account (id bigint PRIMARY KEY);
CREATE TABLE invoice (id bigint PRIMARY KEY);
ALTER TABLE invoice ADD COLUMN account_id bigint NOT NULL, ADD CONSTRAINT fk_invoice_account FOREIGN KEY (account_id) REFERENCES account (id) ON DELETE CASCADE;

-- case: alter drop and re-add constraint in one statement
CREATE TABLE t (a int, CONSTRAINT ck_a CHECK (a > 0));
ALTER TABLE t DROP CONSTRAINT ck_a, ADD CONSTRAINT ck_a CHECK (a >= 0);

-- case: alter drop and re-add column in one statement
CREATE TABLE t (a int, b int);
ALTER TABLE t DROP COLUMN b, ADD COLUMN b text;

-- case: alter add column with inline references
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int);
ALTER TABLE c ADD COLUMN p_id int REFERENCES p (id) ON DELETE SET NULL;

-- case: alter add column with inline check gets generated name
CREATE TABLE t (id int);
ALTER TABLE t ADD COLUMN qty int CHECK (qty > 0);

-- case: alter add column with inline unique and primary key
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN id bigint PRIMARY KEY, ADD COLUMN slug text UNIQUE;

-- case: alter add column serial creates owned sequence
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN id serial;

-- case: alter add column bigserial primary key
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN id bigserial PRIMARY KEY;

-- case: alter add column identity
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN id int GENERATED ALWAYS AS IDENTITY;

-- case: alter add identity to existing not null column
CREATE TABLE t (id int NOT NULL);
ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 100);

-- case: alter add identity to nullable column
CREATE TABLE t (id int);
ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;

-- case: alter add identity twice
CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);
ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;

-- case: alter identity set generated and options
CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
ALTER TABLE t ALTER COLUMN id SET GENERATED BY DEFAULT, ALTER COLUMN id SET INCREMENT BY 10, ALTER COLUMN id RESTART WITH 1000;

-- case: alter identity set maxvalue and cycle
CREATE TABLE t (id smallint GENERATED BY DEFAULT AS IDENTITY);
ALTER TABLE t ALTER COLUMN id SET MAXVALUE 1000, ALTER COLUMN id SET CYCLE;

-- case: alter drop identity
CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, b int);
ALTER TABLE t ALTER COLUMN id DROP IDENTITY;
ALTER TABLE t ALTER COLUMN b DROP IDENTITY IF EXISTS;

-- case: alter drop identity on non identity column
CREATE TABLE t (id int);
ALTER TABLE t ALTER COLUMN id DROP IDENTITY;

-- case: alter identity column set default is refused
CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY);
ALTER TABLE t ALTER COLUMN id SET DEFAULT 5;

-- case: alter add generated stored column
CREATE TABLE t (first_name text, last_name text);
ALTER TABLE t ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED;

-- case: alter drop expression of generated column
CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) STORED);
ALTER TABLE t ALTER COLUMN b DROP EXPRESSION;

-- case: alter drop column used by generated column
CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) STORED);
ALTER TABLE t DROP COLUMN a;

-- case: alter set storage options and statistics
CREATE TABLE t (a int, body text);
ALTER TABLE t SET (fillfactor = 80, autovacuum_enabled = false);
ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE t ALTER COLUMN a SET STATISTICS 500;

-- case: alter reset storage option
CREATE TABLE t (a int) WITH (fillfactor = 70);
ALTER TABLE t RESET (fillfactor);

-- case: alter set unlogged and logged
CREATE TABLE t (a int);
CREATE TABLE u (a int);
ALTER TABLE t SET UNLOGGED;
CREATE UNLOGGED TABLE w (a int);
ALTER TABLE w SET LOGGED;

-- case: alter replica identity full
CREATE TABLE t (id int PRIMARY KEY, a int);
ALTER TABLE t REPLICA IDENTITY FULL;

-- case: alter replica identity using index
CREATE TABLE t (id int NOT NULL, a int);
CREATE UNIQUE INDEX t_id_uidx ON t (id);
ALTER TABLE t REPLICA IDENTITY USING INDEX t_id_uidx;

-- case: alter cluster on index
CREATE TABLE t (id int, created_at timestamptz);
CREATE INDEX t_created_idx ON t (created_at);
ALTER TABLE t CLUSTER ON t_created_idx;

-- case: alter drop column part of multi column unique
CREATE TABLE t (a int, b int, c int, UNIQUE (a, b));
CREATE INDEX t_b_c_idx ON t (b, c);
ALTER TABLE t DROP COLUMN b;

-- case: alter drop primary key column
CREATE TABLE t (id int PRIMARY KEY, a int);
ALTER TABLE t DROP COLUMN id;

-- case: alter drop column referenced by foreign key
CREATE TABLE p (id int PRIMARY KEY, a int);
CREATE TABLE c (p_id int REFERENCES p (id));
ALTER TABLE p DROP COLUMN id;

-- case: alter drop column referenced by foreign key cascade
CREATE TABLE p (id int PRIMARY KEY, a int);
CREATE TABLE c (x int, p_id int REFERENCES p (id));
ALTER TABLE p DROP COLUMN id CASCADE;

-- case: alter drop referencing column drops its foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int, p_id int REFERENCES p (id));
ALTER TABLE c DROP COLUMN p_id;

-- case: alter add not null column to table with rows
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (id int);
INSERT INTO t VALUES (1), (2);
ALTER TABLE t ADD COLUMN name text NOT NULL;

-- case: alter set not null on column holding nulls
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (id int, name text);
INSERT INTO t (id) VALUES (1);
ALTER TABLE t ALTER COLUMN name SET NOT NULL;

-- case: alter add not null column with default to table with rows
CREATE TABLE t (id int);
INSERT INTO t VALUES (1), (2);
ALTER TABLE t ADD COLUMN name text NOT NULL DEFAULT '';

-- case: alter column type using cast fails on data
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (code text);
INSERT INTO t VALUES ('abc');
ALTER TABLE t ALTER COLUMN code TYPE integer USING code::integer;

-- case: alter column set collation via type
CREATE TABLE t (name text);
ALTER TABLE t ALTER COLUMN name TYPE text COLLATE "C";

-- case: alter column type to array with using
CREATE TABLE t (tags text);
ALTER TABLE t ALTER COLUMN tags TYPE text[] USING string_to_array(tags, ',');

-- case: alter add column with default now and comment
CREATE TABLE t (id int);
ALTER TABLE t ADD COLUMN updated_at timestamp with time zone DEFAULT now() NOT NULL;
COMMENT ON COLUMN t.updated_at IS 'last update';

-- case: alter column type of foreign key referenced column to bigint
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p (id));
ALTER TABLE p ALTER COLUMN id TYPE bigint;
ALTER TABLE c ALTER COLUMN p_id TYPE bigint;

-- case: alter column type of referenced column to incompatible type
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p (id));
ALTER TABLE p ALTER COLUMN id TYPE uuid USING gen_random_uuid();

-- case: alter table only with inherited child
CREATE TABLE parent (a int);
CREATE TABLE child () INHERITS (parent);
ALTER TABLE parent ADD COLUMN b int;

-- case: alter add constraint primary key using index
CREATE TABLE t (id int NOT NULL);
CREATE UNIQUE INDEX t_id_idx ON t (id);
ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id_idx;

-- case: alter add unique using index keeps constraint name
CREATE TABLE t (code text);
CREATE UNIQUE INDEX t_code_idx ON t (code);
ALTER TABLE t ADD CONSTRAINT t_code_uq UNIQUE USING INDEX t_code_idx;

-- case: alter add primary key when one exists
CREATE TABLE t (id int PRIMARY KEY, b int NOT NULL);
ALTER TABLE t ADD PRIMARY KEY (b);

-- case: alter add primary key makes column not null
CREATE TABLE t (id int, b int);
ALTER TABLE t ADD PRIMARY KEY (id, b);

-- case: alter set without oids is a no-op
CREATE TABLE t (a int);
ALTER TABLE t SET WITHOUT OIDS;

-- case: alter table on a view is refused for add column
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER TABLE v ADD COLUMN b int;

-- case: alter serial column to bigint keeps integer sequence
CREATE TABLE t (id serial PRIMARY KEY);
ALTER TABLE t ALTER COLUMN id TYPE bigint;

-- case: alter identity column to bigint changes sequence type
CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
ALTER TABLE t ALTER COLUMN id TYPE bigint;

-- case: alter column type serial is refused
CREATE TABLE t (id int);
ALTER TABLE t ALTER COLUMN id TYPE serial;

-- case: alter column type with expression index
CREATE TABLE t (email varchar(100));
CREATE INDEX t_email_lower ON t (lower(email));
ALTER TABLE t ALTER COLUMN email TYPE text;

-- case: alter column type with partial index predicate
CREATE TABLE t (n int, flag boolean);
CREATE INDEX t_n_flag ON t (n) WHERE flag;
ALTER TABLE t ALTER COLUMN n TYPE bigint;

-- case: alter column type enum to text with default
CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE t (s st NOT NULL DEFAULT 'a');
ALTER TABLE t ALTER COLUMN s TYPE text;

-- case: alter column type of generated column source
CREATE TABLE t (a int, b bigint GENERATED ALWAYS AS (a * 2) STORED);
ALTER TABLE t ALTER COLUMN a TYPE bigint;

-- case: alter add column default from user function in other schema
CREATE SCHEMA util;
CREATE FUNCTION util.new_code() RETURNS text LANGUAGE sql AS $$ SELECT 'c' $$;
CREATE TABLE t (id int);
ALTER TABLE t ADD COLUMN code text DEFAULT util.new_code();

-- case: alter add generated column using user immutable function
CREATE FUNCTION slugify(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(replace($1, ' ', '-')) $$;
CREATE TABLE t (title text);
ALTER TABLE t ADD COLUMN slug text GENERATED ALWAYS AS (slugify(title)) STORED;

-- case: alter column type varchar to text keeps typed default
CREATE TABLE t (code varchar(10) DEFAULT 'x'::character varying, n numeric DEFAULT 1.5);
ALTER TABLE t ALTER COLUMN code TYPE text, ALTER COLUMN n TYPE integer;
