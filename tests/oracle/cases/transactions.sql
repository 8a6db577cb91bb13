-- case: transaction commit keeps ddl
BEGIN;
CREATE TABLE t (a int);
CREATE INDEX t_a ON t (a);
COMMIT;

-- case: transaction rollback discards ddl
CREATE TABLE keep (a int);
BEGIN;
CREATE TABLE t (a int);
ALTER TABLE keep ADD COLUMN b int;
DROP TABLE keep;
ROLLBACK;

-- case: transaction rollback after error discards ddl
CREATE TABLE keep (a int);
BEGIN;
CREATE TABLE t (a int);
SAVEPOINT s1;
ROLLBACK TO SAVEPOINT s1;
ROLLBACK;

-- case: transaction savepoint rollback to
BEGIN;
CREATE TABLE a (x int);
SAVEPOINT sp;
CREATE TABLE b (x int);
ALTER TABLE a ADD COLUMN y int;
ROLLBACK TO SAVEPOINT sp;
CREATE TABLE c (x int);
COMMIT;

-- case: transaction error after savepoint
CREATE TABLE t (a int);
BEGIN;
SAVEPOINT sp;
CREATE TABLE t (a int);

-- case: transaction release savepoint
BEGIN;
SAVEPOINT sp;
CREATE TABLE a (x int);
RELEASE SAVEPOINT sp;
COMMIT;

-- case: transaction nested savepoints rollback to outer
BEGIN;
SAVEPOINT one;
CREATE TABLE a (x int);
SAVEPOINT two;
CREATE TABLE b (x int);
ROLLBACK TO one;
CREATE TABLE c (x int);
COMMIT;

-- case: transaction rollback to missing savepoint
BEGIN;
ROLLBACK TO SAVEPOINT nope;

-- case: transaction savepoint outside block
SAVEPOINT sp;

-- case: transaction commit without begin warns only
COMMIT;
CREATE TABLE t (a int);

-- case: transaction start transaction and end
START TRANSACTION;
CREATE TABLE t (a int);
END;

-- case: transaction begin isolation level
BEGIN ISOLATION LEVEL SERIALIZABLE;
CREATE TABLE t (a int);
COMMIT;

-- case: transaction abort is rollback
BEGIN;
CREATE TABLE t (a int);
ABORT;
CREATE TABLE u (a int);

-- case: transaction rollback undoes enum add value
CREATE TYPE e AS ENUM ('a');
BEGIN;
ALTER TYPE e ADD VALUE 'b';
ROLLBACK;
CREATE TABLE t (v e DEFAULT 'b');

-- case: transaction rollback undoes sequence creation and rename
CREATE SEQUENCE s;
BEGIN;
ALTER SEQUENCE s RENAME TO s2;
CREATE SEQUENCE s3;
ROLLBACK;
ALTER SEQUENCE s RESTART;

-- case: transaction rollback undoes search path
CREATE SCHEMA app;
BEGIN;
SET search_path TO app;
CREATE TABLE t (a int);
ROLLBACK;
CREATE TABLE t (a int);

-- case: transaction committed search path persists
CREATE SCHEMA app;
BEGIN;
SET search_path TO app;
COMMIT;
CREATE TABLE t (a int);

-- case: transaction set constraints all deferred
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p DEFERRABLE);
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO c VALUES (1);
INSERT INTO p VALUES (1);
COMMIT;

-- case: transaction deferred fk violation at commit
-- known: depends on the rows in the table, which migsim does not keep
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (p_id int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
BEGIN;
INSERT INTO c VALUES (1);
COMMIT;

-- case: transaction create database inside block
BEGIN;
CREATE DATABASE other_db;

-- case: transaction vacuum inside block
CREATE TABLE t (a int);
BEGIN;
VACUUM t;

-- case: transaction drop index concurrently after commit
CREATE TABLE t (a int);
BEGIN;
CREATE INDEX t_a ON t (a);
COMMIT;
DROP INDEX CONCURRENTLY t_a;

-- case: transaction alter type add value in block then commit and use
CREATE TYPE e AS ENUM ('a');
CREATE TABLE t (v e);
BEGIN;
ALTER TYPE e ADD VALUE IF NOT EXISTS 'b';
COMMIT;
BEGIN;
UPDATE t SET v = 'b';
ALTER TABLE t ALTER COLUMN v SET DEFAULT 'b';
COMMIT;
