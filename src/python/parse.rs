//! Parsing Python source with ruff's parser, never importing or running it.
//!
//! ruff accepts nesting far deeper than CPython does (it grows its stack),
//! but the tree it returns is freed recursively, which overflows a thread's
//! stack at around 100,000 levels. Two CPython limits are therefore applied
//! here, with CPython's own messages, since a file beyond them cannot be
//! imported by Alembic either:
//! - more than 200 nested brackets: `SyntaxError: too many nested parentheses`
//!   (CPython's tokenizer, `MAXLEVEL`); the tree is kept;
//! - expressions or statements nested more than [`MAX_AST_DEPTH`] levels:
//!   `RecursionError: maximum recursion depth exceeded during compilation`
//!   (measured: CPython 3.11 compiles 2,992 nested unary minus signs and
//!   rejects 2,993); the tree is dropped on a thread with a large stack and
//!   replaced by an empty module.

use std::sync::Arc;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{AtomicNodeIndex, Expr, ModModule, PySourceType, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// CPython's tokenizer limit on open brackets (`MAXLEVEL` in `tokenizer.h`).
pub const MAX_BRACKET_NESTING: usize = 200;

/// Deeper trees are rejected (CPython cannot compile them either).
pub const MAX_AST_DEPTH: usize = 3000;

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

impl std::fmt::Debug for ParsedModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedModule")
            .field("file", &self.file.name)
            .field("statements", &self.module.body.len())
            .field("errors", &self.errors.len())
            .finish()
    }
}

pub fn span_of(range: impl Ranged) -> Span {
    let r = range.range();
    Span::new(r.start().to_usize(), r.end().to_usize())
}

pub fn parse_python(file: Arc<SourceFile>) -> ParsedModule {
    let parsed = ruff_python_parser::parse_unchecked_source(&file.text, PySourceType::Python);
    let mut errors: Vec<Diagnostic> = parsed
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
    if let Some(at) = too_many_brackets(parsed.tokens()) {
        errors.push(
            Diagnostic::error(
                "python::syntax",
                "Python syntax error: too many nested parentheses",
            )
            .with_label(Loc::new(&file, span_of(at)), "bracket 201 opens here")
            .with_note(format!(
                "CPython allows at most {MAX_BRACKET_NESTING} nested brackets; Alembic could not import this file"
            )),
        );
    }
    let mut module = parsed.into_syntax();
    if let Some(at) = too_deep(&module) {
        errors.push(
            Diagnostic::error(
                "python::too-deep",
                "Python cannot compile this file: maximum recursion depth exceeded during compilation",
            )
            .with_label(Loc::new(&file, span_of(at)), "nested too deeply from here")
            .with_note(format!(
                "CPython rejects expressions nested about {MAX_AST_DEPTH} levels deep; the file was not read further"
            )),
        );
        let range = module.range;
        let deep = std::mem::replace(
            &mut module,
            ModModule {
                node_index: AtomicNodeIndex::NONE,
                range,
                body: Default::default(),
            },
        );
        drop_on_big_stack(deep, file.text.len());
    }
    ParsedModule {
        module,
        file,
        errors,
    }
}

/// The opening bracket that goes past CPython's nesting limit, if any.
fn too_many_brackets(tokens: &[ruff_python_ast::token::Token]) -> Option<TextRange> {
    let mut level = 0usize;
    for t in tokens {
        match t.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                level += 1;
                if level > MAX_BRACKET_NESTING {
                    return Some(t.range());
                }
            }
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                level = level.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}

/// Depth measured on the calling thread; deeper trees (rare) are measured
/// again on a thread with a stack large enough for [`MAX_AST_DEPTH`].
const CHEAP_DEPTH: usize = 300;

/// Where the tree first goes deeper than [`MAX_AST_DEPTH`].
fn too_deep(module: &ModModule) -> Option<TextRange> {
    deeper_than(module, CHEAP_DEPTH)?;
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("measure-deep-ast".into())
            .stack_size(64 << 20)
            .spawn_scoped(s, || deeper_than(module, MAX_AST_DEPTH))
            .ok()
            .and_then(|h| h.join().ok())
            // No thread: treat the tree as too deep rather than risk the stack.
            .unwrap_or(Some(module.range))
    })
}

/// Where the tree first goes deeper than `limit`. The walk stops
/// descending at the limit, so its own recursion is bounded.
fn deeper_than(module: &ModModule, limit: usize) -> Option<TextRange> {
    struct Depth {
        depth: usize,
        limit: usize,
        at: Option<TextRange>,
    }
    impl<'a> Visitor<'a> for Depth {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.at.is_some() {
                return;
            }
            self.depth += 1;
            if self.depth > self.limit {
                self.at = Some(stmt.range());
            } else {
                walk_stmt(self, stmt);
            }
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.at.is_some() {
                return;
            }
            self.depth += 1;
            if self.depth > self.limit {
                self.at = Some(expr.range());
            } else {
                walk_expr(self, expr);
            }
            self.depth -= 1;
        }
    }
    let mut v = Depth {
        depth: 0,
        limit,
        at: None,
    };
    v.visit_body(&module.body);
    v.at
}

/// Frees a tree too deep for the current thread's stack. Each level costs
/// well under 256 bytes of stack when dropped, and a level needs at least one
/// byte of source, so `source_len * 256` bytes always suffice.
fn drop_on_big_stack(module: ModModule, source_len: usize) {
    let stack = source_len.saturating_mul(256).max(1 << 20);
    let dropper = std::thread::Builder::new()
        .name("drop-deep-ast".into())
        .stack_size(stack)
        .spawn(move || drop(module));
    match dropper {
        Ok(handle) => {
            // A panic while freeing memory is not possible; ignore the join result.
            let _ = handle.join();
        }
        // No thread could be started: leak the tree rather than overflow the stack.
        Err(e) => std::mem::forget(e),
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

    #[test]
    fn two_hundred_brackets_are_fine_two_hundred_and_one_are_not() {
        let ok = format!("x = {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert!(!parse_python(SourceFile::virtual_file("a.py", ok)).has_errors());
        let bad = format!("x = {}1{}\n", "[".repeat(201), "]".repeat(201));
        let parsed = parse_python(SourceFile::virtual_file("b.py", bad));
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed.errors[0]
                .message
                .contains("too many nested parentheses")
        );
        // The tree stays: the rest of the file can still be read.
        assert_eq!(parsed.module.body.len(), 1);
    }

    #[test]
    fn a_hundred_thousand_nested_brackets_do_not_overflow_the_stack() {
        // Run on a small stack, like a rayon worker, to prove the drop is safe.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let src = format!(
                    "x = {}1{}\ny = 2\n",
                    "[".repeat(100_000),
                    "]".repeat(100_000)
                );
                let parsed = parse_python(SourceFile::virtual_file("deep.py", src));
                assert!(parsed.errors.iter().any(|e| e.code == "python::too-deep"));
                assert!(parsed.module.body.is_empty());
                parsed.errors.len()
            })
            .unwrap();
        assert!(handle.join().unwrap() >= 1);
    }

    #[test]
    fn long_unary_chains_follow_cpython_limits() {
        let ok = format!("x = {}1\n", "-".repeat(2000));
        assert!(!parse_python(SourceFile::virtual_file("a.py", ok)).has_errors());
        let bad = format!("x = {}1\n", "-".repeat(50_000));
        let parsed = parse_python(SourceFile::virtual_file("b.py", bad));
        assert!(parsed.errors.iter().any(|e| e.code == "python::too-deep"));
    }
}
