//! Revision metadata read statically from a migration file: `revision`,
//! `down_revision`, `branch_labels`, `depends_on` (plain or annotated
//! assignments, as Python would bind them at module level) and the
//! docstring header the `alembic revision` template writes. Files are read
//! and parsed in parallel; a file that Alembic could not import (bad
//! encoding, NUL bytes, syntax error, no `revision`) gets a diagnostic and
//! the failure Alembic would raise, and the rest of the project still loads.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use ruff_python_ast::{Expr, Operator, Stmt};

use crate::alembic::discover::RevisionFile;
use crate::alembic::graph::{AlembicFailure, AlembicFailureKind, RevRef, RevisionSpec};
use crate::python::parse::span_of;
use crate::python::{ParsedModule, parse_python};
use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

/// The module-level variables Alembic reads from a revision file.
const VARIABLES: [&str; 4] = ["revision", "down_revision", "branch_labels", "depends_on"];

/// A string as written in the file.
#[derive(Debug, Clone)]
pub struct Item {
    pub value: String,
    pub loc: Loc,
}

/// The value a variable ends up with, and where it was assigned.
#[derive(Debug, Clone)]
pub struct Assigned<T> {
    pub value: T,
    /// The assigned expression.
    pub loc: Loc,
}

/// One `Key: value` line of the docstring header.
#[derive(Debug, Clone)]
pub struct HeaderLine {
    pub value: String,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Docstring {
    /// The module's `__doc__`, as Python would see it.
    pub text: String,
    pub loc: Loc,
    /// Alembic's `Script.doc`: everything before the first blank line.
    pub message: String,
    pub revision_id: Option<HeaderLine>,
    pub revises: Option<HeaderLine>,
    pub create_date: Option<HeaderLine>,
}

impl Docstring {
    /// Alembic's `Script.longdoc`.
    pub fn longdoc(&self) -> &str {
        self.text
            .trim_matches(crate::alembic::discover::ini::py_is_space)
    }
}

/// What a revision file declares. `None` means the variable is not
/// assigned; a variable whose value is not a literal is `None` too, with a
/// diagnostic saying so.
#[derive(Debug, Clone)]
pub struct RevisionMeta {
    pub revision: Option<Assigned<String>>,
    /// Empty for a base. `None` when the file has no `down_revision`.
    pub down_revision: Option<Assigned<Vec<Item>>>,
    pub branch_labels: Option<Assigned<Vec<Item>>>,
    pub depends_on: Option<Assigned<Vec<Item>>>,
    pub docstring: Option<Docstring>,
    pub diagnostics: Vec<Diagnostic>,
    /// Variables assigned in a way migsim cannot read statically (not a
    /// literal, assigned conditionally): the graph position may be wrong.
    pub unreadable: Vec<&'static str>,
    /// Whether `upgrade` / `downgrade` are bound at module level (`None`:
    /// only inside an `if`/`try`, so it depends on running the file).
    pub defines_upgrade: Option<bool>,
    pub defines_downgrade: Option<bool>,
}

/// A literal value, as far as migsim reads one.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    None,
    Seq(Vec<(Lit, Span)>),
    /// Anything else, with a description for the diagnostic.
    Other(String),
}

struct Binding {
    value: Lit,
    value_span: Span,
    target_span: Span,
    /// Inside `if`/`try`/`for`/`with`: may or may not run.
    conditional: bool,
}

fn eval(expr: &Expr, env: &HashMap<String, Lit>) -> Lit {
    match expr {
        Expr::StringLiteral(s) => Lit::Str(s.value.to_str().to_string()),
        Expr::NoneLiteral(_) => Lit::None,
        Expr::Tuple(t) => Lit::Seq(t.elts.iter().map(|e| (eval(e, env), span_of(e))).collect()),
        Expr::List(l) => Lit::Seq(l.elts.iter().map(|e| (eval(e, env), span_of(e))).collect()),
        Expr::Name(n) => env.get(n.id.as_str()).cloned().unwrap_or_else(|| {
            Lit::Other(format!(
                "the name `{}`, which is not a literal defined earlier in this file",
                n.id
            ))
        }),
        Expr::BinOp(b) if b.op == Operator::Add => {
            match (eval(&b.left, env), eval(&b.right, env)) {
                (Lit::Str(a), Lit::Str(c)) => Lit::Str(a + &c),
                _ => Lit::Other("an expression".into()),
            }
        }
        Expr::Call(_) => Lit::Other("a function call".into()),
        Expr::Attribute(_) => Lit::Other("an attribute of another object".into()),
        Expr::FString(_) => Lit::Other("an f-string".into()),
        Expr::NumberLiteral(_) => Lit::Other("a number".into()),
        Expr::BooleanLiteral(_) => Lit::Other("a boolean".into()),
        Expr::BytesLiteral(_) => Lit::Other("a bytes literal".into()),
        _ => Lit::Other("an expression".into()),
    }
}

/// Collects module-level bindings of the four variables, in execution order.
struct Collector<'a> {
    env: HashMap<String, Lit>,
    bindings: HashMap<&'static str, Vec<Binding>>,
    /// Every module-level name bound, and whether only conditionally.
    bound: HashMap<String, bool>,
    parsed: &'a ParsedModule,
}

impl Collector<'_> {
    fn record(
        &mut self,
        name: &str,
        value: Lit,
        value_span: Span,
        target_span: Span,
        conditional: bool,
    ) {
        self.bound
            .entry(name.to_string())
            .and_modify(|c| *c = *c && conditional)
            .or_insert(conditional);
        if let Some(&var) = VARIABLES.iter().find(|v| **v == name) {
            self.bindings.entry(var).or_default().push(Binding {
                value: value.clone(),
                value_span,
                target_span,
                conditional,
            });
        }
        if !conditional {
            self.env.insert(name.to_string(), value);
        } else {
            self.env.remove(name);
        }
    }

    fn bind(
        &mut self,
        target: &Expr,
        value: Option<&Expr>,
        lit: Lit,
        value_span: Span,
        conditional: bool,
    ) {
        match target {
            Expr::Name(n) => {
                self.record(n.id.as_str(), lit, value_span, span_of(target), conditional)
            }
            Expr::Tuple(_) | Expr::List(_) => {
                let targets: &[Expr] = match target {
                    Expr::Tuple(t) => &t.elts,
                    Expr::List(l) => &l.elts,
                    _ => &[],
                };
                let values: Option<&[Expr]> = match value {
                    Some(Expr::Tuple(t)) => Some(&t.elts),
                    Some(Expr::List(l)) => Some(&l.elts),
                    _ => None,
                };
                match values {
                    Some(vals)
                        if vals.len() == targets.len()
                            && !vals.iter().any(|v| matches!(v, Expr::Starred(_))) =>
                    {
                        let lits: Vec<Lit> = vals.iter().map(|v| eval(v, &self.env)).collect();
                        for ((t, v), l) in targets.iter().zip(vals).zip(lits) {
                            self.bind(t, Some(v), l, span_of(v), conditional);
                        }
                    }
                    _ => {
                        for t in targets {
                            self.bind(
                                t,
                                None,
                                Lit::Other("tuple unpacking".into()),
                                value_span,
                                conditional,
                            );
                        }
                    }
                }
            }
            Expr::Starred(s) => self.bind(
                &s.value,
                None,
                Lit::Other("starred unpacking".into()),
                value_span,
                conditional,
            ),
            _ => {}
        }
    }

    fn stmts(&mut self, body: &[Stmt], conditional: bool) {
        for stmt in body {
            self.stmt(stmt, conditional);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, conditional: bool) {
        match stmt {
            Stmt::Assign(a) => {
                let lit = eval(&a.value, &self.env);
                for t in &a.targets {
                    self.bind(
                        t,
                        Some(&a.value),
                        lit.clone(),
                        span_of(&*a.value),
                        conditional,
                    );
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    let lit = eval(v, &self.env);
                    self.bind(&a.target, Some(v), lit, span_of(&**v), conditional);
                }
            }
            Stmt::AugAssign(a) => {
                self.bind(
                    &a.target,
                    None,
                    Lit::Other("an augmented assignment".into()),
                    span_of(&*a.value),
                    conditional,
                );
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = alias
                        .asname
                        .as_ref()
                        .map(|a| a.as_str())
                        .unwrap_or_else(|| alias.name.as_str().split('.').next().unwrap_or(""));
                    let span = span_of(alias);
                    self.record(
                        bound,
                        Lit::Other("an import".into()),
                        span,
                        span,
                        conditional,
                    );
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let span = span_of(alias);
                    self.record(
                        bound,
                        Lit::Other("an import".into()),
                        span,
                        span,
                        conditional,
                    );
                }
            }
            Stmt::If(s) => {
                self.stmts(&s.body, true);
                for c in &s.elif_else_clauses {
                    self.stmts(&c.body, true);
                }
            }
            Stmt::For(s) => {
                self.stmts(&s.body, true);
                self.stmts(&s.orelse, true);
            }
            Stmt::While(s) => {
                self.stmts(&s.body, true);
                self.stmts(&s.orelse, true);
            }
            Stmt::With(s) => self.stmts(&s.body, true),
            Stmt::Try(s) => {
                self.stmts(&s.body, true);
                for h in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    self.stmts(&h.body, true);
                }
                self.stmts(&s.orelse, true);
                self.stmts(&s.finalbody, conditional);
            }
            Stmt::Match(m) => {
                for c in &m.cases {
                    self.stmts(&c.body, true);
                }
            }
            Stmt::FunctionDef(f) => {
                let span = span_of(&f.name);
                self.record(
                    f.name.as_str(),
                    Lit::Other("a function".into()),
                    span,
                    span,
                    conditional,
                );
            }
            Stmt::ClassDef(c) => {
                let span = span_of(&c.name);
                self.record(
                    c.name.as_str(),
                    Lit::Other("a class".into()),
                    span,
                    span,
                    conditional,
                );
            }
            _ => {}
        }
        let _ = self.parsed;
    }
}

fn loc(parsed: &ParsedModule, span: Span) -> Loc {
    Loc::new(&parsed.file, span)
}

/// Reads the revision variables and the docstring of a parsed file.
pub fn read_revision_meta(parsed: &ParsedModule) -> RevisionMeta {
    let mut c = Collector {
        env: HashMap::new(),
        bindings: HashMap::new(),
        bound: HashMap::new(),
        parsed,
    };
    c.stmts(&parsed.module.body, false);
    let mut diagnostics = Vec::new();
    let mut unreadable: Vec<&'static str> = Vec::new();
    let mut finals: HashMap<&'static str, (Lit, Span)> = HashMap::new();

    for var in VARIABLES {
        let Some(bindings) = c.bindings.get(var) else {
            continue;
        };
        let unconditional: Vec<&Binding> = bindings.iter().filter(|b| !b.conditional).collect();
        if unconditional.len() > 1 {
            let last = unconditional[unconditional.len() - 1];
            let mut d = Diagnostic::warning(
                "revision::assigned-twice",
                format!(
                    "`{var}` is assigned {} times; Python keeps the last value",
                    unconditional.len()
                ),
            )
            .with_label(loc(parsed, last.target_span), "this value is used");
            for b in &unconditional[..unconditional.len() - 1] {
                d = d.with_label(loc(parsed, b.target_span), "overwritten");
            }
            diagnostics.push(d);
        }
        // A conditional assignment after the last unconditional one may be
        // the value Python ends with, or not: only running the file tells.
        let last_conditional = bindings.iter().rposition(|b| b.conditional);
        let last_unconditional = bindings.iter().rposition(|b| !b.conditional);
        let conditional_after = match (last_conditional, last_unconditional) {
            (Some(c), Some(u)) if c > u => Some(c),
            (Some(c), None) => Some(c),
            _ => None,
        };
        if let Some(p) = conditional_after {
            let b = &bindings[p];
            unreadable.push(var);
            diagnostics.push(
                Diagnostic::new(
                    if var == "revision" || var == "down_revision" {
                        crate::report::Severity::Error
                    } else {
                        crate::report::Severity::Warning
                    },
                    "revision::conditional",
                    format!("`{var}` is assigned inside a block that may or may not run; migsim cannot tell its value without running the file"),
                )
                .with_label(loc(parsed, b.target_span), "conditional assignment")
                .with_help(format!("assign `{var}` once, at module level, to a literal")),
            );
            continue;
        }
        if let Some(last) = unconditional.last() {
            finals.insert(var, (last.value.clone(), last.value_span));
        }
    }

    let revision = match finals.get("revision") {
        None => None,
        Some((Lit::Str(s), span)) => Some(Assigned {
            value: s.clone(),
            loc: loc(parsed, *span),
        }),
        Some((Lit::Other(what), span)) => {
            not_literal(
                parsed,
                "revision",
                what,
                *span,
                &mut diagnostics,
                &mut unreadable,
            );
            None
        }
        Some((_, span)) => {
            diagnostics.push(
                Diagnostic::error("revision::not-a-string", "`revision` must be a string")
                    .with_label(loc(parsed, *span), ""),
            );
            unreadable.push("revision");
            None
        }
    };
    let list_var = |var: &'static str,
                    diags: &mut Vec<Diagnostic>,
                    unreadable: &mut Vec<&'static str>|
     -> Option<Assigned<Vec<Item>>> {
        let (lit, span) = finals.get(var)?;
        let items = match lit {
            Lit::Str(s) => vec![Item {
                value: s.clone(),
                loc: loc(parsed, *span),
            }],
            Lit::None => Vec::new(),
            Lit::Seq(elts) => {
                let mut items = Vec::new();
                for (e, espan) in elts {
                    match e {
                        Lit::Str(s) => items.push(Item {
                            value: s.clone(),
                            loc: loc(parsed, *espan),
                        }),
                        Lit::Other(what) => {
                            not_literal(parsed, var, what, *espan, diags, unreadable)
                        }
                        _ => diags.push(
                            Diagnostic::error(
                                "revision::not-a-string",
                                format!("every item of `{var}` must be a string"),
                            )
                            .with_label(loc(parsed, *espan), ""),
                        ),
                    }
                }
                items
            }
            Lit::Other(what) => {
                not_literal(parsed, var, what, *span, diags, unreadable);
                return None;
            }
        };
        Some(Assigned {
            value: items,
            loc: loc(parsed, *span),
        })
    };
    let down_revision = list_var("down_revision", &mut diagnostics, &mut unreadable);
    let branch_labels = list_var("branch_labels", &mut diagnostics, &mut unreadable);
    let depends_on = list_var("depends_on", &mut diagnostics, &mut unreadable);

    let docstring = read_docstring(parsed);
    if let Some(doc) = &docstring {
        compare_header(
            doc,
            revision.as_ref(),
            down_revision.as_ref(),
            &mut diagnostics,
        );
    }
    let defined = |name: &str| match c.bound.get(name) {
        None => Some(false),
        Some(false) => Some(true),
        Some(true) => None,
    };
    RevisionMeta {
        revision,
        down_revision,
        branch_labels,
        depends_on,
        docstring,
        diagnostics,
        unreadable,
        defines_upgrade: defined("upgrade"),
        defines_downgrade: defined("downgrade"),
    }
}

fn not_literal(
    parsed: &ParsedModule,
    var: &'static str,
    what: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
    unreadable: &mut Vec<&'static str>,
) {
    if !unreadable.contains(&var) {
        unreadable.push(var);
    }
    diags.push(
        Diagnostic::new(
            if var == "revision" || var == "down_revision" {
                crate::report::Severity::Error
            } else {
                crate::report::Severity::Warning
            },
            "revision::not-literal",
            format!(
                "`{var}` is {what}; migsim reads only literal strings, tuples, lists and None here"
            ),
        )
        .with_label(loc(parsed, span), "not a literal"),
    );
}

/// The module docstring: a first statement that is a plain string literal.
fn read_docstring(parsed: &ParsedModule) -> Option<Docstring> {
    let Some(Stmt::Expr(e)) = parsed.module.body.first() else {
        return None;
    };
    let Expr::StringLiteral(s) = &*e.value else {
        return None;
    };
    // Python reads source with universal newlines.
    let text = s.value.to_str().replace("\r\n", "\n").replace('\r', "\n");
    let span = span_of(&*e.value);
    let doc_loc = loc(parsed, span);
    let raw = parsed.file.slice(span);
    let mut revision_id = None;
    let mut revises = None;
    let mut create_date = None;
    let mut offset = 0usize;
    for line in raw.split_inclusive('\n') {
        let start = span.start as usize + offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let trimmed = body.trim_start();
        for (key, slot) in [
            ("Revision ID:", &mut revision_id),
            ("Revises:", &mut revises),
            ("Create Date:", &mut create_date),
        ] {
            if let Some(rest) = trimmed.strip_prefix(key)
                && slot.is_none()
            {
                let value = rest.trim();
                let lead = rest.len() - rest.trim_start().len();
                let vstart = start + indent + key.len() + lead;
                *slot = Some(HeaderLine {
                    value: value.to_string(),
                    loc: loc(parsed, Span::new(vstart, vstart + value.len())),
                });
            }
        }
    }
    let longdoc = text
        .trim_matches(crate::alembic::discover::ini::py_is_space)
        .to_string();
    let message = longdoc.split("\n\n").next().unwrap_or("").to_string();
    Some(Docstring {
        text,
        loc: doc_loc,
        message,
        revision_id,
        revises,
        create_date,
    })
}

fn compare_header(
    doc: &Docstring,
    revision: Option<&Assigned<String>>,
    down: Option<&Assigned<Vec<Item>>>,
    diags: &mut Vec<Diagnostic>,
) {
    if let (Some(h), Some(r)) = (&doc.revision_id, revision)
        && h.value != r.value
    {
        diags.push(
            Diagnostic::warning(
                "revision::docstring-mismatch",
                format!(
                    "the docstring says `Revision ID: {}` but `revision` is '{}'",
                    h.value, r.value
                ),
            )
            .with_label(h.loc.clone(), "docstring")
            .with_label(r.loc.clone(), "variable (Alembic uses this one)"),
        );
    }
    if let (Some(h), Some(d)) = (&doc.revises, down) {
        let mut said: Vec<&str> = h
            .value
            .split(',')
            // Some templates write the ids as Python literals: `'ae1027a6acf'`.
            .map(|s| s.trim().trim_matches(|c| c == '\'' || c == '"'))
            .filter(|s| !s.is_empty() && *s != "None")
            .collect();
        let mut actual: Vec<&str> = d.value.iter().map(|i| i.value.as_str()).collect();
        said.sort_unstable();
        actual.sort_unstable();
        if said != actual {
            diags.push(
                Diagnostic::warning(
                    "revision::docstring-mismatch",
                    format!(
                        "the docstring says `Revises: {}` but `down_revision` is {}",
                        h.value,
                        if actual.is_empty() {
                            "None".to_string()
                        } else {
                            actual
                                .iter()
                                .map(|a| format!("'{a}'"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                )
                .with_label(h.loc.clone(), "docstring")
                .with_label(d.loc.clone(), "variable (Alembic uses this one)"),
            );
        }
    }
}

/// One revision file after reading.
pub struct LoadedRevision {
    pub file: RevisionFile,
    pub source: Option<Arc<SourceFile>>,
    pub parsed: Option<ParsedModule>,
    pub meta: Option<RevisionMeta>,
    /// Reading problems and the metadata diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// What Alembic raises when it imports this file, if anything.
    pub failure: Option<AlembicFailure>,
    /// The revision id the graph uses (the variable, or the legacy file
    /// name); `None` when the file cannot take part in the graph.
    pub revision_id: Option<String>,
}

impl std::fmt::Debug for LoadedRevision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedRevision")
            .field("file", &self.file)
            .field("revision_id", &self.revision_id)
            .field("meta", &self.meta)
            .field("diagnostics", &self.diagnostics)
            .field("failure", &self.failure)
            .finish_non_exhaustive()
    }
}

/// Reads, decodes and parses every file in parallel, keeping their order.
pub fn load_revisions(files: &[RevisionFile]) -> Vec<LoadedRevision> {
    files.par_iter().map(load_one).collect()
}

fn legacy_revision(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".py")?;
    (!stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then_some(stem)
}

fn module_id(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn load_one(file: &RevisionFile) -> LoadedRevision {
    let mut out = LoadedRevision {
        file: file.clone(),
        source: None,
        parsed: None,
        meta: None,
        diagnostics: Vec::new(),
        failure: None,
        revision_id: None,
    };
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if file.compiled_only {
        out.diagnostics.push(Diagnostic::error(
            "revision::compiled-only",
            format!(
                "{} is compiled bytecode without its source; migsim reads source only",
                file.display
            ),
        ));
        return out;
    }
    let bytes = match fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => {
            out.diagnostics.push(Diagnostic::error(
                "revision::unreadable",
                format!("cannot read {}: {e}", file.display),
            ));
            out.failure = Some(AlembicFailure::new(
                AlembicFailureKind::OSError,
                e.to_string(),
            ));
            return out;
        }
    };
    let text = match decode_python_source(&bytes, &file.display, &file.path) {
        Ok(t) => t,
        Err((d, f)) => {
            out.diagnostics.push(*d);
            out.failure = Some(f);
            return out;
        }
    };
    let source = SourceFile::new(file.display.clone(), file.path.clone(), text);
    out.source = Some(Arc::clone(&source));
    let parsed = parse_python(Arc::clone(&source));
    out.diagnostics.extend(parsed.errors.iter().cloned());
    if parsed.has_errors() {
        out.failure = Some(AlembicFailure::new(
            AlembicFailureKind::SyntaxError,
            "invalid syntax",
        ));
    }
    let meta = read_revision_meta(&parsed);
    out.diagnostics.extend(meta.diagnostics.iter().cloned());
    let empty = source.text.trim().is_empty();
    let no_revision_var = meta.revision.is_none() && !meta.has_unknowns_for("revision");
    if no_revision_var {
        match legacy_revision(&name) {
            Some(id) => out.revision_id = Some(id.to_string()),
            None => {
                let message = format!(
                    "Could not determine revision id from filename {name}. Be sure the 'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the documentation)."
                );
                let mut d = Diagnostic::error(
                    if empty {
                        "revision::empty"
                    } else {
                        "revision::no-revision"
                    },
                    if empty {
                        format!("{} is empty; Alembic refuses to load it", file.display)
                    } else {
                        format!(
                            "{} declares no `revision`; Alembic refuses to load it",
                            file.display
                        )
                    },
                )
                .with_label(Loc::new(&source, Span::new(0, 0)), "")
                .with_note(format!("Alembic stops with: {message}"));
                if !empty {
                    d = d.with_help(
                        "every .py file in a version location must be a revision; move helper modules elsewhere",
                    );
                }
                out.diagnostics.push(d);
                if out.failure.is_none() {
                    out.failure = Some(AlembicFailure::new(
                        AlembicFailureKind::CommandError,
                        message,
                    ));
                }
            }
        }
    } else {
        out.revision_id = meta.revision.as_ref().map(|r| r.value.clone());
    }
    if out.revision_id.is_some()
        && meta.down_revision.is_none()
        && !meta.has_unknowns_for("down_revision")
    {
        let at = meta
            .revision
            .as_ref()
            .map(|r| r.loc.clone())
            .unwrap_or_else(|| Loc::new(&source, Span::new(0, 0)));
        out.diagnostics.push(
            Diagnostic::error(
                "revision::no-down-revision",
                format!("{} has no `down_revision`", file.display),
            )
            .with_label(at, "")
            .with_note(format!(
                "Alembic stops with AttributeError: module '{}' has no attribute 'down_revision'",
                module_id(&name)
            ))
            .with_help("set `down_revision = None` for a first revision"),
        );
        if out.failure.is_none() {
            out.failure = Some(AlembicFailure::new(
                AlembicFailureKind::AttributeError,
                format!(
                    "module '{}' has no attribute 'down_revision'",
                    module_id(&name)
                ),
            ));
        }
    }
    if out.revision_id.is_some() {
        let at = meta
            .revision
            .as_ref()
            .map(|r| r.loc.clone())
            .unwrap_or_else(|| Loc::new(&source, Span::new(0, 0)));
        if meta.defines_upgrade == Some(false) {
            out.diagnostics.push(
                Diagnostic::error("revision::no-upgrade", format!("{} defines no `upgrade()`", file.display))
                    .with_label(at.clone(), "")
                    .with_note(format!(
                        "Alembic fails with AttributeError: module '{}' has no attribute 'upgrade' when it upgrades through this revision",
                        module_id(&name)
                    )),
            );
        }
        if meta.defines_downgrade == Some(false) {
            out.diagnostics.push(
                Diagnostic::warning(
                    "revision::no-downgrade",
                    format!("{} defines no `downgrade()`", file.display),
                )
                .with_label(at, "")
                .with_note("Alembic cannot downgrade through this revision"),
            );
        }
    }
    out.meta = Some(meta);
    out.parsed = Some(parsed);
    out
}

impl RevisionMeta {
    /// Whether `var` was assigned in a way migsim could not read (so its
    /// absence is not Alembic's "missing variable").
    fn has_unknowns_for(&self, var: &str) -> bool {
        self.unreadable.contains(&var)
    }
}

/// Python's source decoding: a UTF-8 BOM, or a PEP 263 coding cookie on the
/// first two lines (UTF-8, Latin-1 and ASCII are supported), else UTF-8.
fn decode_python_source(
    bytes: &[u8],
    shown: &str,
    path: &Path,
) -> Result<String, (Box<Diagnostic>, AlembicFailure)> {
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let file = SourceFile::new(
            shown,
            path,
            String::from_utf8_lossy(&bytes[..at]).into_owned(),
        );
        let end = file.text.len();
        return Err((
            Box::new(
                Diagnostic::error(
                    "revision::binary",
                    format!("{shown} is a binary file (it contains NUL bytes), not Python source"),
                )
                .with_label(Loc::new(&file, Span::new(end, end)), "NUL byte here"),
            ),
            AlembicFailure::new(
                AlembicFailureKind::SyntaxError,
                "source code string cannot contain null bytes",
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let encoding = coding_cookie(bytes).unwrap_or_else(|| "utf-8".to_string());
    match encoding.as_str() {
        "utf-8" | "utf8" | "utf-8-sig" => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let at = e.valid_up_to();
                let file =
                    SourceFile::new(shown, path, String::from_utf8_lossy(bytes).into_owned());
                Err((
                    Box::new(
                        Diagnostic::error(
                            "revision::encoding",
                            format!("{shown} is not valid UTF-8 (byte 0x{:02x})", bytes[at]),
                        )
                        .with_label(Loc::new(&file, Span::new(at, at + 1)), "invalid byte")
                        .with_help("save the file as UTF-8, or declare its encoding with a `# -*- coding: ... -*-` line"),
                    ),
                    AlembicFailure::new(
                        AlembicFailureKind::SyntaxError,
                        format!("Non-UTF-8 code starting with '\\x{:02x}'", bytes[at]),
                    ),
                ))
            }
        },
        "latin-1" | "iso-8859-1" | "latin1" | "iso8859-1" | "l1" | "iso-latin-1" => {
            Ok(bytes.iter().map(|&b| b as char).collect())
        }
        "ascii" | "us-ascii" => match std::str::from_utf8(bytes) {
            Ok(s) if s.is_ascii() => Ok(s.to_string()),
            _ => {
                let file =
                    SourceFile::new(shown, path, String::from_utf8_lossy(bytes).into_owned());
                Err((
                    Box::new(
                        Diagnostic::error(
                            "revision::encoding",
                            format!("{shown} declares ASCII but holds other bytes"),
                        )
                        .with_label(Loc::new(&file, Span::new(0, 0)), ""),
                    ),
                    AlembicFailure::new(AlembicFailureKind::SyntaxError, "encoding problem: ascii"),
                ))
            }
        },
        other => {
            let file = SourceFile::new(shown, path, String::from_utf8_lossy(bytes).into_owned());
            Err((
                Box::new(
                    Diagnostic::error(
                        "revision::encoding",
                        format!("{shown} declares the source encoding '{other}', which migsim does not decode"),
                    )
                    .with_label(Loc::new(&file, Span::new(0, 0)), "")
                    .with_help("save the file as UTF-8"),
                ),
                // Not a failure for Alembic; migsim simply cannot read it.
                AlembicFailure::new(AlembicFailureKind::SyntaxError, format!("unsupported encoding {other}")),
            ))
        }
    }
}

/// PEP 263: `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line 1, or line 2
/// when line 1 is blank or a comment.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|b| *b == b'\n').take(2);
    let first = lines.next()?;
    let check = |line: &[u8]| -> Option<String> {
        let line = String::from_utf8_lossy(line);
        let t = line.trim_start_matches([' ', '\t', '\x0c']);
        let comment = t.strip_prefix('#')?;
        let i = comment.find("coding")?;
        let rest = &comment[i + 6..];
        let rest = rest.strip_prefix([':', '='])?;
        let rest = rest.trim_start_matches([' ', '\t']);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == '.')
            .collect();
        (!name.is_empty()).then(|| name.to_lowercase().replace('_', "-"))
    };
    if let Some(c) = check(first) {
        return Some(c);
    }
    let first_text = String::from_utf8_lossy(first);
    let t = first_text.trim();
    if t.is_empty() || t.starts_with('#') {
        return lines.next().and_then(check);
    }
    None
}

/// The graph's view of the loaded files: one spec per file that has a
/// revision id, in load order.
pub fn graph_specs(loaded: &[LoadedRevision]) -> Vec<RevisionSpec> {
    loaded
        .iter()
        .filter_map(|l| {
            let id = l.revision_id.clone()?;
            let meta = l.meta.as_ref();
            let refs = |a: Option<&Assigned<Vec<Item>>>| -> Vec<RevRef> {
                a.map(|a| {
                    a.value
                        .iter()
                        .map(|i| RevRef {
                            id: i.value.clone(),
                            loc: Some(i.loc.clone()),
                        })
                        .collect()
                })
                .unwrap_or_default()
            };
            Some(RevisionSpec {
                revision: id,
                revision_loc: meta.and_then(|m| m.revision.as_ref().map(|r| r.loc.clone())),
                down_revision: refs(meta.and_then(|m| m.down_revision.as_ref())),
                depends_on: refs(meta.and_then(|m| m.depends_on.as_ref())),
                branch_labels: refs(meta.and_then(|m| m.branch_labels.as_ref())),
                longdoc: meta
                    .and_then(|m| m.docstring.as_ref())
                    .map(|d| d.longdoc().to_string())
                    .unwrap_or_default(),
                path: l.file.path.to_string_lossy().into_owned(),
                file: l.source.clone(),
                position_unknown: meta.is_none_or(|m| {
                    m.unreadable.contains(&"revision") || m.unreadable.contains(&"down_revision")
                }),
                defines_upgrade: meta.and_then(|m| m.defines_upgrade),
                defines_downgrade: meta.and_then(|m| m.defines_downgrade),
                module_name: module_id(
                    &l.file
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(src: &str) -> RevisionMeta {
        read_revision_meta(&parse_python(SourceFile::virtual_file("v.py", src)))
    }

    fn ids(a: &Option<Assigned<Vec<Item>>>) -> Option<Vec<String>> {
        a.as_ref()
            .map(|a| a.value.iter().map(|i| i.value.clone()).collect())
    }

    #[test]
    fn plain_template() {
        let m = meta(
            "\"\"\"add users\n\nRevision ID: b1\nRevises: a1\nCreate Date: 2024-01-01 10:00:00\n\n\"\"\"\nfrom alembic import op\nrevision = 'b1'\ndown_revision = 'a1'\nbranch_labels = None\ndepends_on = None\n",
        );
        assert_eq!(m.revision.as_ref().unwrap().value, "b1");
        assert_eq!(ids(&m.down_revision), Some(vec!["a1".to_string()]));
        assert_eq!(ids(&m.branch_labels), Some(vec![]));
        let d = m.docstring.as_ref().unwrap();
        assert_eq!(d.message, "add users");
        assert_eq!(d.revision_id.as_ref().unwrap().value, "b1");
        assert_eq!(d.revision_id.as_ref().unwrap().loc.to_string(), "v.py:3:14");
        assert_eq!(d.create_date.as_ref().unwrap().value, "2024-01-01 10:00:00");
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    }

    #[test]
    fn annotated_assignments_and_sequences() {
        let m = meta(
            "from typing import Sequence, Union\nrevision: str = \"m1\"\ndown_revision: Union[str, Sequence[str], None] = (\"a\", \"b\")\nbranch_labels: Union[str, Sequence[str], None] = ['x']\ndepends_on: Union[str, Sequence[str], None] = \"dep\"\n",
        );
        assert_eq!(m.revision.unwrap().value, "m1");
        assert_eq!(ids(&m.down_revision), Some(vec!["a".into(), "b".into()]));
        assert_eq!(ids(&m.branch_labels), Some(vec!["x".into()]));
        assert_eq!(ids(&m.depends_on), Some(vec!["dep".into()]));
    }

    #[test]
    fn assigned_twice_last_wins_with_warning() {
        let m = meta("revision = 'a'\ndown_revision = None\nrevision = 'b'\n");
        assert_eq!(m.revision.unwrap().value, "b");
        assert_eq!(m.diagnostics[0].code, "revision::assigned-twice");
        assert!(m.diagnostics[0].to_string().starts_with("v.py:3:1"));
    }

    #[test]
    fn names_and_concatenation_resolve_like_python() {
        let m = meta("BASE = 'ab' 'cd'\nrevision = BASE + '12'\ndown_revision = BASE\n");
        assert_eq!(m.revision.unwrap().value, "abcd12");
        assert_eq!(ids(&m.down_revision), Some(vec!["abcd".into()]));
    }

    #[test]
    fn not_literal_and_conditional_are_reported() {
        let m = meta("import os\nrevision = os.environ['R']\ndown_revision = None\n");
        assert!(m.revision.is_none());
        assert_eq!(m.diagnostics[0].code, "revision::not-literal");
        assert_eq!(m.unreadable, ["revision"]);
        let m = meta(
            "revision = 'a'\nif X:\n    down_revision = 'b'\nelse:\n    down_revision = None\n",
        );
        assert!(m.down_revision.is_none());
        assert_eq!(m.diagnostics[0].code, "revision::conditional");
    }

    #[test]
    fn docstring_disagreement_is_a_warning() {
        let m = meta(
            "\"\"\"msg\n\nRevision ID: zzz\nRevises: q, r\n\"\"\"\nrevision = 'abc'\ndown_revision = ('r', 'x')\n",
        );
        let codes: Vec<&str> = m.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "revision::docstring-mismatch",
                "revision::docstring-mismatch"
            ]
        );
        // Same revisions in another order is not a disagreement.
        let m =
            meta("\"\"\"m\n\nRevises: b, a\n\"\"\"\nrevision = 'c'\ndown_revision = ('a', 'b')\n");
        assert!(m.diagnostics.is_empty());
        let m = meta("\"\"\"m\n\nRevises: \n\"\"\"\nrevision = 'c'\ndown_revision = None\n");
        assert!(m.diagnostics.is_empty());
        // Ids quoted as Python literals in the docstring are the same ids.
        let m = meta(
            "\"\"\"m\n\nRevises: 'a', \"b\"\n\"\"\"\nrevision = 'c'\ndown_revision = ('a', 'b')\n",
        );
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    }

    #[test]
    fn upgrade_and_downgrade_functions() {
        let m =
            meta("revision = 'a'\ndown_revision = None\n\n\ndef upgrade() -> None:\n    pass\n");
        assert_eq!(m.defines_upgrade, Some(true));
        assert_eq!(m.defines_downgrade, Some(false));
        let m = meta(
            "import sys\nif sys.version_info > (3,):\n    def upgrade():\n        pass\nfrom helpers import downgrade\n",
        );
        assert_eq!(m.defines_upgrade, None);
        assert_eq!(m.defines_downgrade, Some(true));
    }

    #[test]
    fn tuple_unpacking() {
        let m = meta("revision, down_revision = 'a', None\n");
        assert_eq!(m.revision.unwrap().value, "a");
        assert_eq!(ids(&m.down_revision), Some(vec![]));
    }

    #[test]
    fn coding_cookie_and_legacy_names() {
        assert_eq!(
            coding_cookie(b"# -*- coding: latin-1 -*-\nx=1\n").as_deref(),
            Some("latin-1")
        );
        assert_eq!(
            coding_cookie(b"#!/usr/bin/env python\n# vim: set fileencoding=utf_8 :\n").as_deref(),
            Some("utf-8")
        );
        assert_eq!(coding_cookie(b"x = 1\n# coding: latin-1\n"), None);
        assert_eq!(legacy_revision("1a2b.py"), Some("1a2b"));
        assert_eq!(legacy_revision("1a2b_x.py"), None);
        assert_eq!(module_id("abc_x.py"), "abc_x_py");
    }
}
