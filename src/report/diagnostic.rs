//! The one diagnostic type every stage produces, and its miette rendering.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use serde::Serialize;

use crate::source::{Loc, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

#[derive(Debug, Clone)]
pub struct Label {
    pub loc: Loc,
    pub text: Option<String>,
}

/// A message about the input: what is wrong, where, and what to do.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable kind, e.g. `sql::syntax` or `pg::42P07`.
    pub code: String,
    pub message: String,
    /// The first label is the primary location.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.into(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn with_label(mut self, loc: Loc, text: impl Into<String>) -> Self {
        let text = text.into();
        self.labels.push(Label {
            loc,
            text: (!text.is_empty()).then_some(text),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn primary(&self) -> Option<&Loc> {
        self.labels.first().map(|l| &l.loc)
    }

    /// Renders for a terminal (or, with `color == false`, for logs and snapshots).
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        let view = MietteView::new(self);
        if handler.render_report(&mut out, &view).is_err() {
            // Rendering only fails on fmt errors; fall back to the plain form.
            out = format!("{}: {}\n", self.severity, self.message);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: severity[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.primary() {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// miette needs a `SourceCode`; share the file instead of copying its text.
struct SharedSource(Arc<SourceFile>);

impl SourceCode for SharedSource {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.0
                .text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.0.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A view of one file's labels; labels in other files become related views.
struct MietteView<'a> {
    diag: &'a Diagnostic,
    source: Option<SharedSource>,
    labels: Vec<LabeledSpan>,
    related: Vec<MietteView<'a>>,
    is_related: bool,
}

impl<'a> MietteView<'a> {
    fn new(diag: &'a Diagnostic) -> Self {
        let mut files: Vec<Arc<SourceFile>> = Vec::new();
        for l in &diag.labels {
            if !files.iter().any(|f| Arc::ptr_eq(f, &l.loc.file)) {
                files.push(Arc::clone(&l.loc.file));
            }
        }
        let mut views: Vec<MietteView<'a>> = files
            .into_iter()
            .enumerate()
            .map(|(i, file)| {
                let labels = diag
                    .labels
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| Arc::ptr_eq(&l.loc.file, &file))
                    .map(|(n, l)| {
                        let span = (l.loc.span.start as usize, l.loc.span.len());
                        // miette heads the snippet with the primary label's
                        // line and column (else the first label's by offset,
                        // which for an error inside a statement is the
                        // statement's start).
                        if n == 0 {
                            LabeledSpan::new_primary_with_span(l.text.clone(), span)
                        } else {
                            LabeledSpan::new_with_span(l.text.clone(), span)
                        }
                    })
                    .collect();
                MietteView {
                    diag,
                    source: Some(SharedSource(file)),
                    labels,
                    related: Vec::new(),
                    is_related: i > 0,
                }
            })
            .collect();
        if views.is_empty() {
            return MietteView {
                diag,
                source: None,
                labels: Vec::new(),
                related: Vec::new(),
                is_related: false,
            };
        }
        let mut first = views.remove(0);
        first.related = views;
        first
    }
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_related {
            f.write_str("related location")
        } else {
            f.write_str(&self.diag.message)
        }
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.is_related).then(|| Box::new(&self.diag.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.is_related {
            return None;
        }
        let mut parts: Vec<&str> = self.diag.notes.iter().map(String::as_str).collect();
        if let Some(h) = &self.diag.help {
            parts.push(h);
        }
        (!parts.is_empty()).then(|| Box::new(parts.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as _)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)) as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    #[test]
    fn renders_file_line_and_label() {
        let file = SourceFile::virtual_file(
            "001.sql",
            "CREATE TABLE a (x int);\nCREATE TABLE a (y int);\n",
        );
        let d = Diagnostic::error("pg::42P07", "relation \"a\" already exists")
            .with_label(Loc::new(&file, Span::new(24, 46)), "this statement")
            .with_help("drop the first table or use IF NOT EXISTS");
        let text = d.render(false);
        assert!(text.contains("001.sql:2:1"), "{text}");
        assert!(text.contains("relation \"a\" already exists"));
        assert_eq!(
            d.to_string(),
            "001.sql:2:1: error[pg::42P07]: relation \"a\" already exists"
        );
    }
}
