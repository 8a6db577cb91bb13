//! migsim: offline replay of Alembic migrations into an in-memory PostgreSQL
//! catalog. See ARCHITECTURE.md for the map.

pub mod alembic;
pub mod catalog;
pub mod cli;
pub mod python;
pub mod replay;
pub mod report;
pub mod source;
pub mod sql;
