-- case: index implicit names for columns
CREATE TABLE t (a int, b int, c text);
CREATE INDEX ON t (a);
CREATE INDEX ON t (a, b);
CREATE INDEX ON t (a);
CREATE UNIQUE INDEX ON t (c);

-- case: index implicit names for expressions
CREATE TABLE users (email text, created_at timestamp, first text, last text);
CREATE INDEX ON users (lower(email));
CREATE INDEX ON users ((created_at::date));
CREATE INDEX ON users ((first || ' ' || last));
CREATE INDEX ON users (lower(email), (first || last));

-- case: index implicit name collides with table
CREATE TABLE t_a_idx (x int);
CREATE TABLE t (a int);
CREATE INDEX ON t (a);

-- case: index unique lower email
CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL);
CREATE UNIQUE INDEX ix_users_email_lower ON users (lower(email));

-- case: index partial where deleted_at is null
CREATE TABLE items (id int, sku text, deleted_at timestamptz);
CREATE UNIQUE INDEX uq_items_sku_live ON items (sku) WHERE deleted_at IS NULL;

-- case: index partial with enum predicate
CREATE TYPE state AS ENUM ('pending', 'done');
CREATE TABLE jobs (id int, st state);
CREATE INDEX jobs_pending ON jobs (id) WHERE st = 'pending';

-- case: index desc nulls first and last
CREATE TABLE t (a int, b int, c int);
CREATE INDEX t_multi ON t (a DESC, b NULLS FIRST, c DESC NULLS LAST);

-- case: index include columns
CREATE TABLE t (a int, b text, c text);
CREATE INDEX t_a_incl ON t (a) INCLUDE (b, c);

-- case: index methods gin gist brin hash
CREATE TABLE t (doc jsonb, tags text[], r int4range, ts timestamptz, code text, v tsvector);
CREATE INDEX t_doc_gin ON t USING gin (doc);
CREATE INDEX t_tags_gin ON t USING gin (tags);
CREATE INDEX t_r_gist ON t USING gist (r);
CREATE INDEX t_ts_brin ON t USING brin (ts) WITH (pages_per_range = 32);
CREATE INDEX t_code_hash ON t USING hash (code);
CREATE INDEX t_v_gin ON t USING gin (v);

-- case: index jsonb_path_ops opclass
CREATE TABLE t (doc jsonb);
CREATE INDEX t_doc_path ON t USING gin (doc jsonb_path_ops);

-- case: index text_pattern_ops and varchar_pattern_ops
CREATE TABLE t (a text, b varchar(50));
CREATE INDEX t_a_pat ON t (a text_pattern_ops);
CREATE INDEX t_b_pat ON t (b varchar_pattern_ops);

-- case: index gin trgm ops with extension
CREATE EXTENSION pg_trgm;
CREATE TABLE t (name text);
CREATE INDEX t_name_trgm ON t USING gin (name gin_trgm_ops);
CREATE INDEX t_name_trgm_gist ON t USING gist (name gist_trgm_ops);

-- case: index gin trgm ops without extension
CREATE TABLE t (name text);
CREATE INDEX t_name_trgm ON t USING gin (name gin_trgm_ops);

-- case: index gin on plain text column without opclass
CREATE TABLE t (name text);
CREATE INDEX t_name_gin ON t USING gin (name);

-- case: index wrong opclass for type
CREATE TABLE t (n int);
CREATE INDEX t_n ON t (n text_pattern_ops);

-- case: index unknown access method
CREATE TABLE t (n int);
CREATE INDEX t_n ON t USING hnsw (n);

-- case: index to_tsvector expression
CREATE TABLE posts (title text, body text);
CREATE INDEX posts_fts ON posts USING gin (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, '')));

-- case: index to_tsvector without config is not immutable
CREATE TABLE posts (body text);
CREATE INDEX posts_fts ON posts USING gin (to_tsvector(body));

-- case: index timestamptz to date cast is not immutable
CREATE TABLE t (created_at timestamptz);
CREATE INDEX t_day ON t ((created_at::date));

-- case: index enum cast to text is not immutable
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE t (m mood);
CREATE INDEX t_m ON t ((m::text));

-- case: index array cast to text is not immutable
CREATE TABLE t (tags int[]);
CREATE INDEX t_tags ON t ((tags::text));

-- case: index text cast to timestamptz is not immutable
CREATE TABLE t (raw text);
CREATE INDEX t_raw ON t ((raw::timestamptz));

-- case: index text cast to integer and varchar to text are immutable
CREATE TABLE t (raw text, name varchar(20), n int);
CREATE INDEX t_raw ON t ((raw::int));
CREATE INDEX t_name ON t ((name::text));
CREATE INDEX t_n ON t ((n::numeric(10, 2)), (n::bigint::text));

-- case: index predicate with a stable cast
CREATE TABLE t (created_at timestamptz, id int);
CREATE INDEX t_recent ON t (id) WHERE created_at::date > '2020-01-01';

-- case: generated column from a stable cast
CREATE TABLE t (created_at timestamptz, day date GENERATED ALWAYS AS (created_at::date) STORED);

-- case: generated column from immutable casts
CREATE TABLE t (n int, big bigint GENERATED ALWAYS AS (n::bigint) STORED, label text GENERATED ALWAYS AS (n::text) STORED);

-- case: index timestamp to date cast is immutable
CREATE TABLE t (created_at timestamp);
CREATE INDEX t_day ON t ((created_at::date));

-- case: index expression with volatile function
CREATE TABLE t (a int);
CREATE INDEX t_rand ON t ((a + random()));

-- case: index partial with now is not immutable
CREATE TABLE t (expires_at timestamptz);
CREATE INDEX t_live ON t (expires_at) WHERE expires_at > now();

-- case: index with collation and opclass
CREATE TABLE t (name text);
CREATE INDEX t_name_c ON t (name COLLATE "C" DESC);

-- case: index if not exists with existing name is skipped
CREATE TABLE t (a int, b int);
CREATE INDEX ix_t_a ON t (a);
CREATE INDEX IF NOT EXISTS ix_t_a ON t (b);

-- case: index with existing name
CREATE TABLE t (a int, b int);
CREATE INDEX ix_t_a ON t (a);
CREATE INDEX ix_t_a ON t (b);

-- case: index with name of existing table
CREATE TABLE t (a int);
CREATE TABLE other (b int);
CREATE INDEX other ON t (a);

-- case: index on missing column
CREATE TABLE t (a int);
CREATE INDEX ix_t_b ON t (b);

-- case: index on missing table
CREATE INDEX ix_t_b ON missing (b);

-- case: index concurrently outside transaction
CREATE TABLE t (a int);
CREATE INDEX CONCURRENTLY ix_t_a ON t (a);

-- case: index concurrently inside transaction block
CREATE TABLE t (a int);
BEGIN;
CREATE INDEX CONCURRENTLY ix_t_a ON t (a);

-- case: index drop concurrently if exists
CREATE TABLE t (a int);
CREATE INDEX ix_t_a ON t (a);
DROP INDEX CONCURRENTLY IF EXISTS ix_t_a;
DROP INDEX CONCURRENTLY IF EXISTS ix_t_missing;

-- case: index drop concurrently inside transaction
CREATE TABLE t (a int);
CREATE INDEX ix_t_a ON t (a);
BEGIN;
DROP INDEX CONCURRENTLY ix_t_a;

-- case: index drop primary key index
CREATE TABLE t (id int PRIMARY KEY);
DROP INDEX t_pkey;

-- case: index drop unique constraint index
CREATE TABLE t (a int UNIQUE);
DROP INDEX t_a_key;

-- case: index drop missing
DROP INDEX ix_missing;

-- case: index drop index on a table name
CREATE TABLE t (a int);
DROP INDEX t;

-- case: index alter rename and set options
CREATE TABLE t (a int);
CREATE INDEX ix_old ON t (a);
ALTER INDEX ix_old RENAME TO ix_new;
ALTER INDEX ix_new SET (fillfactor = 50);

-- case: index alter if exists missing is skipped
ALTER INDEX IF EXISTS ix_missing RENAME TO ix_other;

-- case: index long implicit name truncated
CREATE TABLE extraordinarily_long_table_name_for_testing_identifier_limits (extraordinarily_long_column_name_for_testing_limits int, second_extraordinarily_long_column_name_here int);
CREATE INDEX ON extraordinarily_long_table_name_for_testing_identifier_limits (extraordinarily_long_column_name_for_testing_limits, second_extraordinarily_long_column_name_here);
CREATE INDEX ON extraordinarily_long_table_name_for_testing_identifier_limits (extraordinarily_long_column_name_for_testing_limits, second_extraordinarily_long_column_name_here);

-- case: index unique on duplicate data
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (a int);
INSERT INTO t VALUES (1), (1);
CREATE UNIQUE INDEX ix_t_a ON t (a);

-- case: index on materialized view
CREATE TABLE t (a int, b text);
CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a;
CREATE UNIQUE INDEX mv_a ON mv (a);
CREATE INDEX ON mv (n);

-- case: index on a view is refused
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
CREATE INDEX v_a ON v (a);

-- case: index in other schema follows table
CREATE SCHEMA app;
CREATE TABLE app.t (a int);
CREATE INDEX ix_a ON app.t (a);

-- case: index with schema qualified name is refused
CREATE SCHEMA app;
CREATE TABLE app.t (a int);
CREATE INDEX app.ix_a ON app.t (a);

-- case: index storage parameters on btree
CREATE TABLE t (a int);
CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off);

-- case: index unique nulls not distinct
CREATE TABLE t (a int, b int);
CREATE UNIQUE INDEX t_ab ON t (a, b) NULLS NOT DISTINCT;

-- case: index on jsonb expression
CREATE TABLE events (payload jsonb);
CREATE INDEX events_type ON events ((payload ->> 'type'));
CREATE INDEX ON events ((payload -> 'user' ->> 'id'));

-- case: index on coalesce expression
CREATE TABLE t (a int, b int);
CREATE UNIQUE INDEX t_ab ON t (a, coalesce(b, -1));

-- case: index opclass binary coercible from varchar
CREATE TABLE t (a varchar(20), b text, c cidr);
CREATE INDEX t_a ON t (a text_pattern_ops);
CREATE INDEX t_b ON t (b varchar_pattern_ops);
CREATE INDEX t_c ON t USING gist (c inet_ops);

-- case: index opclass for char needs its own
CREATE TABLE t (a char(5));
CREATE INDEX t_a ON t (a text_pattern_ops);

-- case: index opclass of an array and an enum
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE t (a int[], m mood);
CREATE INDEX t_a ON t USING gin (a array_ops);
CREATE INDEX t_m ON t (m enum_ops);
