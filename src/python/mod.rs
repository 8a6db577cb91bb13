//! The static Python reader: parses migration and model files and evaluates
//! the safe subset of Python they use. It never executes anything.

pub mod parse;
pub mod value;

pub use parse::{ParsedModule, parse_python};
pub use value::Value;
