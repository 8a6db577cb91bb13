//! Parsing Python source with ruff's parser, never importing or running it.

use std::sync::Arc;

use ruff_python_ast::{ModModule, PySourceType};
use ruff_text_size::Ranged;

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// A parsed Python file. On a syntax error ruff recovers, so `module` still
/// holds every statement it could read and `errors` says what it could not.
pub struct ParsedModule {
    pub file: Arc<SourceFile>,
    pub module: ModModule,
    pub errors: Vec<Diagnostic>,
}

impl ParsedModule {
    pub fn loc(&self, range: impl Ranged) -> Loc {
        Loc::new(&self.file, span_of(range))
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

pub fn span_of(range: impl Ranged) -> Span {
    let r = range.range();
    Span::new(r.start().to_usize(), r.end().to_usize())
}

pub fn parse_python(file: Arc<SourceFile>) -> ParsedModule {
    let parsed = ruff_python_parser::parse_unchecked_source(&file.text, PySourceType::Python);
    let errors = parsed
        .errors()
        .iter()
        .map(|e| {
            Diagnostic::error(
                "python::syntax",
                format!("Python syntax error: {}", e.error),
            )
            .with_label(Loc::new(&file, span_of(e.location)), "here")
        })
        .collect();
    ParsedModule {
        module: parsed.into_syntax(),
        file,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_keeps_the_rest_of_the_module() {
        let file = SourceFile::virtual_file(
            "v.py",
            "revision = 'a'\ndef upgrade(:\n    pass\ndown_revision = None\n",
        );
        let parsed = parse_python(file);
        assert!(parsed.has_errors());
        assert!(parsed.errors[0].to_string().starts_with("v.py:2:"));
        assert!(parsed.module.body.len() >= 2);
    }
}
