//! Source files and positions shared by every stage.
//!
//! A [`Loc`] carries its file by `Arc`, so a location can travel from the
//! Python reader through SQL parsing into catalog errors and the report
//! without a global file table.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One input file, held whole in memory.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as the user should see it (relative to where they pointed us).
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: impl Into<PathBuf>, text: String) -> Arc<Self> {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i as u32 + 1),
            )
            .collect();
        Arc::new(SourceFile {
            name: name.into(),
            path: path.into(),
            text,
            line_starts,
        })
    }

    /// A file that exists only in memory (tests, generated SQL).
    pub fn virtual_file(name: &str, text: impl Into<String>) -> Arc<Self> {
        Self::new(name, PathBuf::from(name), text.into())
    }

    /// 1-based line and column (column counted in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() as u32 + 1;
        (line as u32 + 1, col)
    }

    pub fn slice(&self, span: Span) -> &str {
        let start = (span.start as usize).min(self.text.len());
        let end = (span.end as usize).clamp(start, self.text.len());
        self.text.get(start..end).unwrap_or("")
    }
}

/// Byte range in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// The sub-span at `offset..offset+len` relative to this span's start.
    pub fn sub(self, offset: usize, len: usize) -> Span {
        let start = (self.start as usize + offset).min(self.end as usize);
        Span::new(start, (start + len).min(self.end as usize))
    }
}

/// A span in a particular file.
#[derive(Clone)]
pub struct Loc {
    pub file: Arc<SourceFile>,
    pub span: Span,
}

impl Loc {
    pub fn new(file: &Arc<SourceFile>, span: Span) -> Self {
        Loc {
            file: Arc::clone(file),
            span,
        }
    }

    pub fn line_col(&self) -> (u32, u32) {
        self.file.line_col(self.span.start)
    }

    pub fn path(&self) -> &Path {
        &self.file.path
    }
}

impl fmt::Debug for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// `file:line:column`, the form editors and CI annotations understand.
impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.line_col();
        write!(f, "{}:{}:{}", self.file.name, line, col)
    }
}

impl PartialEq for Loc {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.span == other.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::virtual_file("a.sql", "ab\nhé x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'x' sits after a two-byte character: byte 7, column 4.
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(100), (3, 1));
    }
}
