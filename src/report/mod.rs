//! Findings and diagnostics, and how they are rendered.

pub mod diagnostic;

pub use diagnostic::{Diagnostic, Label, Severity};
