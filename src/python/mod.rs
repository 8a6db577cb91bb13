//! The static Python reader: parses migration and model files and evaluates
//! the safe subset of Python they use. It never executes anything.

pub mod parse;

pub use parse::{ParsedModule, parse_python};
