//! Alembic projects: finding them, reading revisions, lowering `op.*` calls to
//! SQL, and the revision graph.

pub mod ops;
pub mod run;
pub mod sink;
