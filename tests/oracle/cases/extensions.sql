-- case: extension uuid-ossp quoted and default
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), b uuid DEFAULT uuid_generate_v1mc());

-- case: extension pgcrypto functions
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE t (id uuid DEFAULT gen_random_uuid(), salt text DEFAULT gen_salt('bf'), token bytea DEFAULT gen_random_bytes(16));

-- case: extension pgcrypto function without extension
CREATE TABLE t (salt text DEFAULT gen_salt('bf'));

-- case: extension create existing
CREATE EXTENSION citext;
CREATE EXTENSION citext;

-- case: extension create if not exists twice
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS citext;

-- Whether a server has an extension outside contrib depends on its
-- packages: migsim takes the extensions it knows (contrib, pgvector,
-- PostGIS) and accepts others as unknown, so "not available" cannot be
-- judged. The oracle has pgvector (or its stand-in).
-- case: extension outside contrib known to migsim
CREATE EXTENSION vector;
CREATE TABLE items (embedding vector(3));
CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops);

-- case: extension outside contrib if not exists twice
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS vector;

-- case: extension in dedicated schema
CREATE SCHEMA extensions;
CREATE EXTENSION citext WITH SCHEMA extensions;
CREATE TABLE t (e extensions.citext);

-- case: extension in dedicated schema unqualified type fails
CREATE SCHEMA extensions;
CREATE EXTENSION citext SCHEMA extensions;
CREATE TABLE t (e citext);

-- case: extension in dedicated schema on search path
CREATE SCHEMA extensions;
CREATE EXTENSION "uuid-ossp" SCHEMA extensions;
SET search_path TO public, extensions;
CREATE TABLE t (id uuid DEFAULT uuid_generate_v4());

-- case: extension schema missing
CREATE EXTENSION citext SCHEMA nope;

-- case: extension pg_trgm similarity index and function
CREATE EXTENSION pg_trgm;
CREATE TABLE t (name text);
CREATE INDEX t_name_trgm ON t USING gist (name gist_trgm_ops(siglen = 32));

-- case: extension btree_gist exclude with equality on int
CREATE EXTENSION btree_gist;
CREATE TABLE t (a int, r daterange, EXCLUDE USING gist (a WITH =, r WITH &&));

-- case: extension btree_gist missing for exclude on int
CREATE TABLE t (a int, r daterange, EXCLUDE USING gist (a WITH =, r WITH &&));

-- case: extension unaccent in index is not immutable
CREATE EXTENSION unaccent;
CREATE TABLE t (name text);
CREATE INDEX t_name_unaccent ON t (unaccent(name));

-- case: extension unaccent wrapped in immutable function
CREATE EXTENSION unaccent;
CREATE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent', $1) $$;
CREATE TABLE t (name text);
CREATE INDEX t_name_unaccent ON t (f_unaccent(name));

-- case: extension hstore and citext together
CREATE EXTENSION hstore;
CREATE EXTENSION citext;
CREATE TABLE t (h hstore, c citext DEFAULT 'X');
CREATE INDEX t_h ON t USING gin (h);

-- case: extension drop if exists and restrict
CREATE EXTENSION citext;
DROP EXTENSION IF EXISTS citext, hstore;

-- case: extension drop missing
DROP EXTENSION citext;

-- case: extension alter update is accepted
CREATE EXTENSION citext;
ALTER EXTENSION citext UPDATE;

-- case: extension plpgsql already installed
CREATE EXTENSION IF NOT EXISTS plpgsql;

-- case: extension plpgsql create again
CREATE EXTENSION plpgsql;

-- case: extension citext comparison in check constraint
CREATE EXTENSION citext;
CREATE TABLE t (email citext CHECK (email ~ '@'), domain citext UNIQUE);

-- case: extension version clause
CREATE EXTENSION hstore VERSION '1.8';

-- case: extension cascade installs requirement
CREATE EXTENSION earthdistance CASCADE;

-- case: extension missing requirement
CREATE EXTENSION earthdistance;
