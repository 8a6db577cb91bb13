//! migsim: offline replay of Alembic migrations into an in-memory PostgreSQL
//! catalog. See ARCHITECTURE.md for the map.

// `Diagnostic` is the error type of every input-facing function; it is
// built once per problem, so its size does not matter and boxing it
// everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod alembic;
pub mod catalog;
pub mod cli;
pub mod python;
pub mod replay;
pub mod report;
pub mod source;
pub mod sql;
