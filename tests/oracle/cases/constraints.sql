-- case: constraint implicit names for all kinds
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE CHECK (a > 0), b int REFERENCES p, c int, d int, CHECK (c > d), CHECK (c > 0), UNIQUE (c, d), FOREIGN KEY (d) REFERENCES p (id));

-- case: constraint table level checks without columns get numeric suffixes
CREATE TABLE t (a int, CHECK (1 > 0), CHECK (2 > 0), CHECK (now() IS NOT NULL));

-- case: constraint multi column foreign key name
CREATE TABLE p (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p);

-- case: constraint unique name collides with existing index name
CREATE TABLE t (a int);
CREATE INDEX t_a_key ON t (a);
ALTER TABLE t ADD UNIQUE (a);

-- case: constraint primary key name collides with existing table
CREATE TABLE t_pkey (x int);
CREATE TABLE t (id int PRIMARY KEY);

-- case: constraint second unique on same column gets suffix
CREATE TABLE t (a int UNIQUE);
ALTER TABLE t ADD UNIQUE (a);

-- case: constraint check names are unique across tables of a schema
CREATE TABLE t (a_b int CHECK (a_b > 0));
CREATE TABLE t_a (b int CHECK (b > 0));

-- case: constraint names stay after table rename and new table gets suffix
CREATE TABLE t (id int PRIMARY KEY, a int CHECK (a > 0), p int REFERENCES t (id));
ALTER TABLE t RENAME TO t_old;
CREATE TABLE t (id int PRIMARY KEY, a int CHECK (a > 0), p int REFERENCES t (id));

-- case: constraint check names in different schemas do not collide
CREATE SCHEMA s;
CREATE TABLE t (a int CHECK (a > 0));
CREATE TABLE s.t (a int CHECK (a > 0));

-- case: constraint foreign key name collision across tables
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE t (a_b int REFERENCES p);
CREATE TABLE t_a (b int REFERENCES p);

-- case: constraint explicit check name duplicated on another table is fine
CREATE TABLE a (x int CONSTRAINT positive CHECK (x > 0));
CREATE TABLE b (x int CONSTRAINT positive CHECK (x > 0));

-- case: constraint explicit unique name duplicated on another table
CREATE TABLE a (x int CONSTRAINT uq_x UNIQUE);
CREATE TABLE b (x int CONSTRAINT uq_x UNIQUE);

-- case: constraint add with existing name on same table
CREATE TABLE t (a int CONSTRAINT ck CHECK (a > 0));
ALTER TABLE t ADD CONSTRAINT ck CHECK (a < 100);

-- case: constraint add unique named like existing table
CREATE TABLE other (x int);
CREATE TABLE t (a int);
ALTER TABLE t ADD CONSTRAINT other UNIQUE (a);

-- case: constraint long names are truncated
CREATE TABLE customer_subscription_billing_history_entries_archive (subscription_identifier_reference bigint UNIQUE, billing_period_start_timestamp timestamptz CHECK (billing_period_start_timestamp > '2000-01-01'), PRIMARY KEY (subscription_identifier_reference, billing_period_start_timestamp));

-- case: constraint foreign key actions all
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (a int REFERENCES p ON DELETE CASCADE ON UPDATE CASCADE, b int REFERENCES p ON DELETE SET NULL ON UPDATE RESTRICT, d int DEFAULT 0 REFERENCES p ON DELETE SET DEFAULT, e int REFERENCES p ON DELETE NO ACTION);

-- case: constraint foreign key on delete set null with column list
CREATE TABLE p (tenant int, id int, PRIMARY KEY (tenant, id));
CREATE TABLE c (tenant int NOT NULL, p_id int, FOREIGN KEY (tenant, p_id) REFERENCES p ON DELETE SET NULL (p_id));

-- case: constraint foreign key match full
CREATE TABLE p (x int, y int, UNIQUE (x, y));
CREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p (x, y) MATCH FULL);

-- case: constraint foreign key deferrable variants
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (a int REFERENCES p DEFERRABLE, b int REFERENCES p DEFERRABLE INITIALLY DEFERRED, d int REFERENCES p NOT DEFERRABLE);

-- case: constraint foreign key not valid then validate
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int);
ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;
ALTER TABLE c VALIDATE CONSTRAINT c_p_fk;

-- case: constraint foreign key left not valid
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int);
ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;

-- case: constraint check not valid then validate
CREATE TABLE t (a int);
ALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
CREATE TABLE u (a int);
ALTER TABLE u ADD CONSTRAINT a_pos CHECK (a > 0) NOT VALID;
ALTER TABLE u VALIDATE CONSTRAINT a_pos;

-- case: constraint validate missing constraint
CREATE TABLE t (a int);
ALTER TABLE t VALIDATE CONSTRAINT nope;

-- case: constraint check no inherit
CREATE TABLE parent (a int, CONSTRAINT parent_only CHECK (a > 0) NO INHERIT);
CREATE TABLE child () INHERITS (parent);

-- case: constraint alter foreign key deferrable
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int CONSTRAINT c_p_fk REFERENCES p);
ALTER TABLE c ALTER CONSTRAINT c_p_fk DEFERRABLE INITIALLY DEFERRED;

-- case: constraint foreign key referenced columns in other order
CREATE TABLE p (a int, b int, UNIQUE (a, b));
CREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p (b, a));

-- case: constraint foreign key to partial unique index fails
CREATE TABLE p (id int, deleted boolean);
CREATE UNIQUE INDEX p_live ON p (id) WHERE NOT deleted;
CREATE TABLE c (p_id int REFERENCES p (id));

-- case: constraint foreign key to unique index without constraint
CREATE TABLE p (id int);
CREATE UNIQUE INDEX p_id_uidx ON p (id);
CREATE TABLE c (p_id int REFERENCES p (id));

-- case: constraint foreign key to table without primary key
CREATE TABLE p (id int);
CREATE TABLE c (p_id int REFERENCES p);

-- case: constraint foreign key type text to int
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id text REFERENCES p (id));

-- case: constraint foreign key bigint to int is allowed
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id bigint REFERENCES p (id));

-- case: constraint foreign key varchar to text is allowed
CREATE TABLE p (code text PRIMARY KEY);
CREATE TABLE c (code varchar(10) REFERENCES p (code));

-- case: constraint foreign key column count mismatch
CREATE TABLE p (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE c (x int, FOREIGN KEY (x) REFERENCES p (x, y));

-- case: constraint foreign key referencing missing column
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int, FOREIGN KEY (p_id) REFERENCES p (nope));

-- case: constraint foreign key from missing local column
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int, FOREIGN KEY (pid) REFERENCES p (id));

-- case: constraint add foreign key with violating rows
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int);
INSERT INTO c VALUES (1);
ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);

-- case: constraint add unique with duplicate rows
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (a int);
INSERT INTO t VALUES (1), (1);
ALTER TABLE t ADD CONSTRAINT t_a_uq UNIQUE (a);

-- case: constraint add check violated by rows
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE t (a int);
INSERT INTO t VALUES (-1);
ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0);

-- case: constraint drop missing
CREATE TABLE t (a int);
ALTER TABLE t DROP CONSTRAINT t_a_check;

-- case: constraint drop if exists missing is skipped
CREATE TABLE t (a int);
ALTER TABLE t DROP CONSTRAINT IF EXISTS t_a_check;

-- case: constraint drop primary key referenced by foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
ALTER TABLE p DROP CONSTRAINT p_pkey;

-- case: constraint drop primary key cascade drops foreign key
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p);
ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE;

-- case: constraint drop primary key keeps not null
CREATE TABLE t (id int PRIMARY KEY);
ALTER TABLE t DROP CONSTRAINT t_pkey;

-- case: constraint drop unique referenced by foreign key
CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE c (code text REFERENCES p (code));
ALTER TABLE p DROP CONSTRAINT p_code_key;

-- case: constraint unique nulls not distinct
CREATE TABLE t (a int, b int, UNIQUE NULLS NOT DISTINCT (a, b));

-- case: constraint deferrable unique
CREATE TABLE t (pos int, CONSTRAINT t_pos_uq UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED);

-- case: constraint unique with include
CREATE TABLE t (a int, b text, CONSTRAINT t_a_uq UNIQUE (a) INCLUDE (b));

-- case: constraint primary key with index options
CREATE TABLE t (id int, CONSTRAINT t_pk PRIMARY KEY (id) WITH (fillfactor = 90));

-- case: constraint check referencing missing column
CREATE TABLE t (a int, CHECK (b > 0));

-- case: constraint check with boolean expression types
CREATE TABLE t (status text CHECK (status IN ('a', 'b', 'c')), email text CHECK (email ~* '^[^@]+@[^@]+$'), n int CHECK (n BETWEEN 1 AND 10));

-- case: constraint check not boolean
CREATE TABLE t (a int CHECK (a + 1));

-- case: constraint exclusion with where and name
CREATE EXTENSION btree_gist;
CREATE TABLE reservation (room_id int, period tstzrange, cancelled boolean DEFAULT false, CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, period WITH &&) WHERE (NOT cancelled));

-- case: constraint exclusion implicit name
CREATE TABLE t (r int4range, EXCLUDE USING gist (r WITH &&));

-- case: constraint rename primary key renames index
CREATE TABLE t (id int PRIMARY KEY);
ALTER TABLE t RENAME CONSTRAINT t_pkey TO pk_t;

-- case: constraint rename check
CREATE TABLE t (a int CHECK (a > 0));
ALTER TABLE t RENAME CONSTRAINT t_a_check TO ck_t_a_positive;

-- case: constraint rename to existing name
CREATE TABLE t (a int CHECK (a > 0), b int CHECK (b > 0));
ALTER TABLE t RENAME CONSTRAINT t_a_check TO t_b_check;

-- case: constraint not null on column with default null
CREATE TABLE t (a int NOT NULL DEFAULT NULL);

-- case: constraint conflicting null not null
CREATE TABLE t (a int NULL NOT NULL);

-- case: constraint primary key on nullable declared column
CREATE TABLE t (a int NULL PRIMARY KEY);

-- case: constraint foreign key enum to text mismatch
CREATE TYPE kind AS ENUM ('a', 'b');
CREATE TABLE p (k text PRIMARY KEY);
CREATE TABLE c (k kind REFERENCES p);

-- case: constraint foreign key across schemas via search path
CREATE SCHEMA core;
CREATE TABLE core.users (id bigint PRIMARY KEY);
SET search_path TO core, public;
CREATE TABLE public.posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));

-- case: constraint check comparing enum values
CREATE TYPE st AS ENUM ('draft', 'live');
CREATE TABLE t (s st, published_at timestamptz, CONSTRAINT live_has_date CHECK (s <> 'live' OR published_at IS NOT NULL));
