-- case: view select star fixed at creation
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT * FROM t;
ALTER TABLE t ADD COLUMN c date;

-- case: view over view
CREATE TABLE t (a int, b text);
CREATE VIEW v1 AS SELECT a, b FROM t WHERE a > 0;
CREATE VIEW v2 AS SELECT a FROM v1;

-- case: view with join and aliases
CREATE TABLE users (id int PRIMARY KEY, name text);
CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users, total numeric(10,2));
CREATE VIEW user_orders AS SELECT u.id AS user_id, u.name, o.id AS order_id, o.total FROM users u JOIN orders o ON o.user_id = u.id;

-- case: view with left join and coalesce
CREATE TABLE users (id int PRIMARY KEY, name text);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, total numeric(10,2));
CREATE VIEW user_totals AS SELECT u.id, coalesce(sum(o.total), 0) AS total FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;

-- case: view with aggregate group by order by
CREATE TABLE sales (region text, amount numeric, sold_at timestamptz);
CREATE VIEW region_sales AS SELECT region, count(*) AS n, sum(amount) AS total, max(sold_at) AS last_sale FROM sales GROUP BY region HAVING count(*) > 1 ORDER BY total DESC;

-- case: view with subquery and exists
CREATE TABLE a (id int, x int);
CREATE TABLE b (a_id int);
CREATE VIEW v AS SELECT id, (SELECT count(*) FROM b WHERE b.a_id = a.id) AS nb FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id);

-- case: view with cte
CREATE TABLE events (id int, kind text, at timestamptz);
CREATE VIEW latest AS WITH ranked AS (SELECT id, kind, row_number() OVER (PARTITION BY kind ORDER BY at DESC) AS rn FROM events) SELECT id, kind FROM ranked WHERE rn = 1;

-- case: view with recursive cte
CREATE TABLE node (id int, parent_id int);
CREATE VIEW tree AS WITH RECURSIVE r AS (SELECT id, parent_id, 1 AS depth FROM node WHERE parent_id IS NULL UNION ALL SELECT n.id, n.parent_id, r.depth + 1 FROM node n JOIN r ON n.parent_id = r.id) SELECT * FROM r;

-- case: view with union and distinct on
CREATE TABLE a (id int, name text);
CREATE TABLE b (id int, name text);
CREATE VIEW ab AS SELECT id, name FROM a UNION SELECT id, name FROM b;
CREATE VIEW firsts AS SELECT DISTINCT ON (name) id, name FROM a ORDER BY name, id;

-- case: view with column name list
CREATE TABLE t (a int, b text);
CREATE VIEW v (x, y) AS SELECT a, b FROM t;

-- case: view with case cast and literal columns
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a::bigint AS a, CASE WHEN b IS NULL THEN 'none' ELSE b END AS b, 'const'::text AS c, now() AS at, 1 AS one FROM t;

-- case: view unnamed expression column gets name
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a + 1, upper(b), count(*) FROM t GROUP BY a, b;

-- case: view duplicate output column names
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a, a FROM t;

-- case: view create or replace adding column at end
CREATE TABLE t (a int, b text, c date);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE OR REPLACE VIEW v AS SELECT a, b, c FROM t;

-- case: view create or replace dropping column
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE OR REPLACE VIEW v AS SELECT a FROM t;

-- case: view create or replace changing column type
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE OR REPLACE VIEW v AS SELECT a::bigint AS a, b FROM t;

-- case: view create or replace renaming column
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE OR REPLACE VIEW v AS SELECT a AS x, b FROM t;

-- case: view create or replace reordering columns
CREATE TABLE t (a int, b int);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE OR REPLACE VIEW v AS SELECT b, a FROM t;

-- case: view create or replace changing varchar length
CREATE TABLE t (a varchar(10));
CREATE VIEW v AS SELECT a FROM t;
CREATE OR REPLACE VIEW v AS SELECT a::varchar(20) AS a FROM t;

-- case: view create existing
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
CREATE VIEW v AS SELECT a FROM t;

-- case: view create or replace on a table
CREATE TABLE t (a int);
CREATE OR REPLACE VIEW t AS SELECT 1 AS a;

-- case: view referencing missing column
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT b FROM t;

-- case: view referencing missing table
CREATE VIEW v AS SELECT a FROM missing;

-- case: view ambiguous column reference
CREATE TABLE a (id int);
CREATE TABLE b (id int);
CREATE VIEW v AS SELECT id FROM a JOIN b ON true;

-- case: view rename base column updates definition
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t WHERE a > 0;
ALTER TABLE t RENAME COLUMN a TO id;

-- case: view rename base table updates definition
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT t.a FROM t;
ALTER TABLE t RENAME TO items;

-- case: view drop base column used by view
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t;
ALTER TABLE t DROP COLUMN b;

-- case: view drop base column not used by view
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a FROM t;
ALTER TABLE t DROP COLUMN b;

-- case: view select star base column drop is blocked
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT * FROM t;
ALTER TABLE t DROP COLUMN b;

-- case: view drop base column cascade drops view
CREATE TABLE t (a int, b text);
CREATE VIEW v AS SELECT a, b FROM t;
CREATE VIEW w AS SELECT a FROM v;
ALTER TABLE t DROP COLUMN b CASCADE;

-- case: view with check option
CREATE TABLE t (a int, active boolean);
CREATE VIEW v AS SELECT a, active FROM t WHERE active WITH CASCADED CHECK OPTION;
CREATE VIEW w AS SELECT a, active FROM v WITH LOCAL CHECK OPTION;

-- case: view with options security barrier and invoker
CREATE TABLE t (a int);
CREATE VIEW v WITH (security_barrier = true, security_invoker = true) AS SELECT a FROM t;

-- case: view alter set option
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER VIEW v SET (security_barrier = true);

-- case: view alter rename and rename column
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER VIEW v RENAME TO v2;
ALTER VIEW v2 RENAME COLUMN a TO x;

-- case: view alter column set default
CREATE TABLE t (a int, b int);
CREATE VIEW v AS SELECT a, b FROM t;
ALTER VIEW v ALTER COLUMN b SET DEFAULT 0;

-- case: view drop view on a table
CREATE TABLE t (a int);
DROP VIEW t;

-- case: view drop table on a view
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
DROP TABLE v;

-- case: view drop if exists and cascade chain
CREATE TABLE t (a int);
CREATE VIEW v1 AS SELECT a FROM t;
CREATE VIEW v2 AS SELECT a FROM v1;
DROP VIEW IF EXISTS v1 CASCADE;
DROP VIEW IF EXISTS v1;

-- case: view drop view used by another view
CREATE TABLE t (a int);
CREATE VIEW v1 AS SELECT a FROM t;
CREATE VIEW v2 AS SELECT a FROM v1;
DROP VIEW v1;

-- case: view temporary view of permanent table
CREATE TABLE t (a int);
CREATE TEMP VIEW tv AS SELECT a FROM t;

-- case: view in other schema over public table
CREATE SCHEMA reporting;
CREATE TABLE t (a int);
CREATE VIEW reporting.v AS SELECT a FROM t;

-- case: view with order by and limit
CREATE TABLE t (a int, created_at timestamptz);
CREATE VIEW recent AS SELECT a FROM t ORDER BY created_at DESC LIMIT 10;

-- case: view with json operators and functions
CREATE TABLE t (doc jsonb);
CREATE VIEW v AS SELECT doc ->> 'name' AS name, (doc -> 'age')::int AS age, jsonb_array_length(doc -> 'tags') AS ntags FROM t;

-- case: matview with no data
CREATE TABLE t (a int, b text);
CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t WITH NO DATA;

-- case: matview with data and index and refresh
CREATE TABLE t (a int, b text);
CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a;
CREATE UNIQUE INDEX mv_a_idx ON mv (a);
REFRESH MATERIALIZED VIEW mv;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;

-- case: matview refresh concurrently without unique index
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;

-- case: matview refresh concurrently when not populated
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA;
CREATE UNIQUE INDEX mv_a ON mv (a);
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;

-- case: matview if not exists is skipped
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT a, 1 AS b FROM t;

-- case: matview drop base table blocked
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
DROP TABLE t;

-- case: matview rename and comment
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
ALTER MATERIALIZED VIEW mv RENAME TO mv2;
COMMENT ON MATERIALIZED VIEW mv2 IS 'summary';
COMMENT ON COLUMN mv2.a IS 'the a';

-- case: matview drop view on matview
CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;
DROP VIEW mv;

-- case: view comments on view and column
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
COMMENT ON VIEW v IS 'a view';
COMMENT ON COLUMN v.a IS 'col';

-- case: view create table as select
CREATE TABLE t (a int, b text);
CREATE TABLE t2 AS SELECT a, b, a * 2 AS c FROM t;

-- case: view create table as with no data
CREATE TABLE t (a int, b varchar(20));
CREATE TABLE t2 AS SELECT * FROM t WITH NO DATA;

-- case: view values view
CREATE VIEW v AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS x (id, label);

-- case: view create table as arithmetic and aggregate types
CREATE TABLE t (a int, b bigint, c numeric(10,2), d text, e timestamptz, f real);
CREATE TABLE t2 AS SELECT a + 1 AS a1, a * b AS ab, c * 2 AS c2, a / 2 AS half, f * 2 AS f2, count(*) AS n, sum(a) AS sa, sum(b) AS sb, sum(c) AS sc, avg(a) AS aa, max(d) AS md, min(e) AS me FROM t GROUP BY a, b, c, d, e, f;

-- case: view create table as function and operator types
CREATE TABLE t (a int, d text, e timestamptz, j jsonb);
CREATE TABLE t2 AS SELECT d || 'x' AS s, length(d) AS l, now() AS n, e::date AS day, j ->> 'k' AS jk, j -> 'k' AS jo, a > 0 AS pos, coalesce(a, 0) AS ca, CASE WHEN a > 0 THEN 'p' ELSE 'n' END AS sign, upper(d) AS u, extract(year FROM e) AS y, 'lit' AS lit, 1.5 AS num, NULL AS nothing FROM t;

-- case: view create table as with column names and union
CREATE TABLE a (x int, y varchar(10));
CREATE TABLE b (x bigint, y text);
CREATE TABLE t2 (p, q) AS SELECT x, y FROM a UNION ALL SELECT x, y FROM b;

-- case: view create table as keeps typmods
CREATE TABLE t (v varchar(30), n numeric(8,3), ts timestamp(0));
CREATE TABLE t2 AS SELECT v, n, ts, v::varchar(5) AS v5 FROM t;

-- case: view qualified star and star of two tables
CREATE TABLE a (id int, x int);
CREATE TABLE b (id int, y int);
CREATE VIEW v AS SELECT a.*, b.y FROM a JOIN b USING (id);

-- case: view column default survives create or replace and can be dropped
CREATE TABLE t (a int, b int, c text);
CREATE VIEW v AS SELECT a, b FROM t;
ALTER VIEW v ALTER COLUMN a SET DEFAULT 1;
ALTER VIEW v ALTER COLUMN b SET DEFAULT 2;
CREATE OR REPLACE VIEW v AS SELECT a, b, c FROM t;
ALTER VIEW v ALTER COLUMN b DROP DEFAULT;

-- case: view column default of the wrong type is refused
CREATE TABLE t (a int);
CREATE VIEW v AS SELECT a FROM t;
ALTER VIEW v ALTER COLUMN a SET DEFAULT 'abc';

-- case: view over system catalogs
CREATE VIEW v_types AS SELECT 1 AS x FROM pg_type WHERE typname = 'int4';
CREATE VIEW v_tables AS SELECT table_name FROM information_schema.tables;
CREATE VIEW v_count AS SELECT count(*) AS n FROM pg_catalog.pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace;
