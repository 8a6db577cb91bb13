//! Alembic projects: finding them, reading revisions, lowering `op.*` calls to
//! SQL, and the revision graph.

pub mod discover;
pub mod env;
pub mod graph;
pub mod history;
pub mod ops;
pub mod revision;
pub mod run;
pub mod sink;
