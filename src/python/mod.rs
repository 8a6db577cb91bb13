//! The static Python reader: parses migration and model files and evaluates
//! the safe subset of Python they use. It never executes anything.
//!
//! - [`load`]: bytes to a parsed module (encodings, binary files).
//! - [`parse`]: ruff's parser, with CPython's nesting limits.
//! - [`eval`]: the evaluator (see its docs for the rules).
//! - [`project`]: the project's own modules, found under package roots.
//! - [`host`]: what the evaluator asks of the Alembic side.
//! - [`assume`]: user pins for values that cannot be known.
//! - [`types`]: reading project enum and type classes from values.
//! - [`syntax`]: facts read from the tree without evaluating it.

pub mod assume;
pub mod eval;
pub mod host;
pub mod load;
pub mod parse;
pub mod project;
pub mod syntax;
pub mod types;
pub mod value;

pub use assume::Assumptions;
pub use eval::{EvalConfig, Evaluator};
pub use load::{load_python, load_python_str, read_python_file};
pub use parse::{ParsedModule, parse_python};
pub use project::ProjectModules;
pub use value::Value;
