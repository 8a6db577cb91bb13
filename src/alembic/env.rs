//! `env.py`, read statically (never run): what `target_metadata` is and
//! where it comes from, and the options passed to `context.configure(...)`
//! in offline and online mode (`version_table`, `version_table_schema`,
//! `include_schemas`, `transaction_per_migration`, `compare_type`).
//! Evaluating the metadata expression is the Python reader's job; this
//! module only finds it.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::Arc;

use ruff_python_ast::{Expr, Stmt};

use crate::python::parse::span_of;
use crate::python::{ParsedModule, parse_python};
use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile};

/// Where a name used in `target_metadata` is bound.
#[derive(Debug, Clone, PartialEq)]
pub enum NameOrigin {
    /// `from MODULE import NAME [as ALIAS]` or `import MODULE [as ALIAS]`.
    Import {
        /// Dotted module, with leading dots for a relative import.
        module: String,
        /// The imported name (`None` for `import MODULE`).
        name: Option<String>,
        loc: Loc,
    },
    /// Assigned (or defined) in env.py itself.
    Local { loc: Loc },
    /// Not bound at module level.
    Unbound,
}

/// One metadata object named by `target_metadata` (a list names several).
#[derive(Debug, Clone)]
pub struct MetadataRef {
    /// The expression as written, e.g. `Base.metadata`.
    pub expr: String,
    pub loc: Loc,
    /// The first name of the expression (`Base` in `Base.metadata`).
    pub root: Option<String>,
    pub origin: NameOrigin,
}

#[derive(Debug, Clone)]
pub struct TargetMetadata {
    pub expr: String,
    pub loc: Loc,
    /// `target_metadata = None` (autogenerate disabled).
    pub is_none: bool,
    pub items: Vec<MetadataRef>,
}

/// Offline (`alembic ... --sql`) or online mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Offline,
    Online,
}

/// A keyword argument value as far as a literal goes.
#[derive(Debug, Clone, PartialEq)]
pub enum KwValue {
    Str(String),
    Bool(bool),
    None,
    /// Not a literal: the expression text.
    Expr(String),
}

#[derive(Debug, Clone)]
pub struct Kwarg {
    pub name: String,
    pub value: KwValue,
    pub loc: Loc,
}

/// One `context.configure(...)` call.
#[derive(Debug, Clone)]
pub struct ConfigureCall {
    pub loc: Loc,
    /// The function it is in (`None` at module level).
    pub function: Option<String>,
    /// The modes that reach it (from the `is_offline_mode()` branches).
    pub modes: Vec<Mode>,
    pub kwargs: Vec<Kwarg>,
    /// `**options`: other settings may hide there.
    pub has_double_star: bool,
}

/// A setting's effective value in one mode.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting<T> {
    /// Not passed: Alembic's default.
    Default(T),
    Literal(T, Loc),
    /// Passed, but not as a literal.
    Unknown {
        expr: String,
        loc: Loc,
    },
}

impl<T: Clone> Setting<T> {
    /// The value when known.
    pub fn known(&self) -> Option<T> {
        match self {
            Setting::Default(v) | Setting::Literal(v, _) => Some(v.clone()),
            Setting::Unknown { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvSettings {
    pub version_table: Setting<String>,
    pub version_table_schema: Setting<Option<String>>,
    pub include_schemas: Setting<bool>,
    pub transaction_per_migration: Setting<bool>,
    pub compare_type: Setting<bool>,
    /// Whether `target_metadata=` is passed to `configure` in this mode.
    pub passes_target_metadata: bool,
}

pub struct EnvPy {
    pub parsed: ParsedModule,
    pub target_metadata: Option<TargetMetadata>,
    pub configure_calls: Vec<ConfigureCall>,
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for EnvPy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvPy")
            .field("file", &self.parsed.file.name)
            .field("target_metadata", &self.target_metadata)
            .field("configure_calls", &self.configure_calls)
            .finish_non_exhaustive()
    }
}

/// Reads and parses `env.py` at `path`, shown to the user as `shown`.
pub fn read_env_py(path: &Path, shown: &str) -> Result<EnvPy, Box<Diagnostic>> {
    let bytes = fs::read(path).map_err(|e| {
        Box::new(Diagnostic::error(
            "env::unreadable",
            format!("cannot read {shown}: {e}"),
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Box::new(Diagnostic::error(
            "env::encoding",
            format!(
                "{shown} is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })?;
    Ok(analyze_env(parse_python(SourceFile::new(
        shown, path, text,
    ))))
}

fn text_of(file: &Arc<SourceFile>, e: &Expr) -> String {
    file.slice(span_of(e)).to_string()
}

fn root_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => root_name(&a.value),
        Expr::Call(c) => root_name(&c.func),
        Expr::Subscript(s) => root_name(&s.value),
        _ => None,
    }
}

/// `context.configure` / `alembic.context.configure`.
fn is_context_call(func: &Expr, method: &str) -> bool {
    match func {
        Expr::Attribute(a) if a.attr.as_str() == method => match &*a.value {
            Expr::Name(n) => n.id.as_str() == "context",
            Expr::Attribute(inner) => inner.attr.as_str() == "context",
            _ => false,
        },
        _ => false,
    }
}

/// The functions a statement list calls by plain name.
fn called_names(body: &[Stmt], out: &mut Vec<String>) {
    struct V<'a>(&'a mut Vec<String>);
    impl<'b> ruff_python_ast::visitor::Visitor<'b> for V<'_> {
        fn visit_expr(&mut self, e: &'b Expr) {
            if let Expr::Call(c) = e
                && let Expr::Name(n) = &*c.func
            {
                self.0.push(n.id.to_string());
            }
            // asyncio.run(run_async_migrations())
            ruff_python_ast::visitor::walk_expr(self, e);
        }
    }
    let mut v = V(out);
    for s in body {
        ruff_python_ast::visitor::Visitor::visit_stmt(&mut v, s);
    }
}

/// Whether `test` is `context.is_offline_mode()` (`Some(true)`) or its
/// negation (`Some(false)`).
fn offline_test(test: &Expr) -> Option<bool> {
    match test {
        Expr::Call(c) if is_context_call(&c.func, "is_offline_mode") => Some(true),
        Expr::UnaryOp(u) if u.op == ruff_python_ast::UnaryOp::Not => {
            offline_test(&u.operand).map(|b| !b)
        }
        _ => None,
    }
}

pub fn analyze_env(parsed: ParsedModule) -> EnvPy {
    let file = Arc::clone(&parsed.file);
    let mut diagnostics: Vec<Diagnostic> = parsed.errors.clone();
    let body = &parsed.module.body;

    // Module-level bindings: imports and assignments, last one wins.
    let mut origins: HashMap<String, NameOrigin> = HashMap::new();
    let mut functions: HashMap<String, &[Stmt]> = HashMap::new();
    let mut target: Option<&Expr> = None;
    let mut target_count = 0;
    fn scan<'a>(
        body: &'a [Stmt],
        file: &Arc<SourceFile>,
        origins: &mut HashMap<String, NameOrigin>,
        functions: &mut HashMap<String, &'a [Stmt]>,
        target: &mut Option<&'a Expr>,
        target_count: &mut usize,
    ) {
        for stmt in body {
            match stmt {
                Stmt::Import(i) => {
                    for a in &i.names {
                        let bound = a.asname.as_ref().map(|n| n.to_string()).unwrap_or_else(|| {
                            a.name.as_str().split('.').next().unwrap_or("").to_string()
                        });
                        let module = match &a.asname {
                            Some(_) => a.name.to_string(),
                            None => bound.clone(),
                        };
                        origins.insert(
                            bound,
                            NameOrigin::Import {
                                module,
                                name: None,
                                loc: Loc::new(file, span_of(a)),
                            },
                        );
                    }
                }
                Stmt::ImportFrom(i) => {
                    let module = format!(
                        "{}{}",
                        ".".repeat(i.level as usize),
                        i.module.as_ref().map(|m| m.as_str()).unwrap_or("")
                    );
                    for a in &i.names {
                        let bound = a.asname.as_ref().unwrap_or(&a.name).to_string();
                        origins.insert(
                            bound,
                            NameOrigin::Import {
                                module: module.clone(),
                                name: Some(a.name.to_string()),
                                loc: Loc::new(file, span_of(a)),
                            },
                        );
                    }
                }
                Stmt::Assign(a) => {
                    for t in &a.targets {
                        if let Expr::Name(n) = t {
                            if n.id.as_str() == "target_metadata" {
                                *target = Some(&a.value);
                                *target_count += 1;
                            }
                            origins.insert(
                                n.id.to_string(),
                                NameOrigin::Local {
                                    loc: Loc::new(file, span_of(stmt)),
                                },
                            );
                        }
                    }
                }
                Stmt::AnnAssign(a) => {
                    if let (Expr::Name(n), Some(v)) = (&*a.target, &a.value) {
                        if n.id.as_str() == "target_metadata" {
                            *target = Some(v);
                            *target_count += 1;
                        }
                        origins.insert(
                            n.id.to_string(),
                            NameOrigin::Local {
                                loc: Loc::new(file, span_of(stmt)),
                            },
                        );
                    }
                }
                Stmt::FunctionDef(f) => {
                    functions.insert(f.name.to_string(), &f.body);
                    origins.insert(
                        f.name.to_string(),
                        NameOrigin::Local {
                            loc: Loc::new(file, span_of(&f.name)),
                        },
                    );
                }
                Stmt::ClassDef(c) => {
                    origins.insert(
                        c.name.to_string(),
                        NameOrigin::Local {
                            loc: Loc::new(file, span_of(&c.name)),
                        },
                    );
                }
                // Imports guarded by `try`/`if` still bind at module level.
                Stmt::Try(t) => {
                    scan(&t.body, file, origins, functions, target, target_count);
                    for h in &t.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                        scan(&h.body, file, origins, functions, target, target_count);
                    }
                }
                Stmt::If(s) => {
                    scan(&s.body, file, origins, functions, target, target_count);
                    for c in &s.elif_else_clauses {
                        scan(&c.body, file, origins, functions, target, target_count);
                    }
                }
                _ => {}
            }
        }
    }
    scan(
        body,
        &file,
        &mut origins,
        &mut functions,
        &mut target,
        &mut target_count,
    );

    let target_metadata = target.map(|e| {
        let elements: Vec<&Expr> = match e {
            Expr::List(l) => l.elts.iter().collect(),
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        TargetMetadata {
            expr: text_of(&file, e),
            loc: Loc::new(&file, span_of(e)),
            is_none: matches!(e, Expr::NoneLiteral(_)),
            items: elements
                .into_iter()
                .filter(|x| !matches!(x, Expr::NoneLiteral(_)))
                .map(|x| {
                    let root = root_name(x);
                    let origin = root
                        .as_ref()
                        .and_then(|r| origins.get(r).cloned())
                        .unwrap_or(NameOrigin::Unbound);
                    MetadataRef {
                        expr: text_of(&file, x),
                        loc: Loc::new(&file, span_of(x)),
                        root,
                        origin,
                    }
                })
                .collect(),
        }
    });
    match &target_metadata {
        None => diagnostics.push(
            Diagnostic::warning(
                "env::no-target-metadata",
                format!("{} assigns no `target_metadata` at module level", file.name),
            )
            .with_help("autogenerate and drift checks need `target_metadata = <your MetaData>`"),
        ),
        Some(t) if target_count > 1 => diagnostics.push(
            Diagnostic::warning(
                "env::target-metadata-twice",
                "`target_metadata` is assigned more than once; Python keeps the last value",
            )
            .with_label(t.loc.clone(), "this value is used"),
        ),
        _ => {}
    }

    // Which functions each mode reaches, from `if context.is_offline_mode():`.
    let mut reach: HashMap<Mode, HashSet<String>> = HashMap::new();
    for stmt in body.iter() {
        if let Stmt::If(s) = stmt
            && let Some(offline_first) = offline_test(&s.test)
        {
            let (first, second) = if offline_first {
                (Mode::Offline, Mode::Online)
            } else {
                (Mode::Online, Mode::Offline)
            };
            let mut names = Vec::new();
            called_names(&s.body, &mut names);
            reach.entry(first).or_default().extend(names);
            for c in &s.elif_else_clauses {
                let mut names = Vec::new();
                called_names(&c.body, &mut names);
                reach.entry(second).or_default().extend(names);
            }
        }
    }
    for set in reach.values_mut() {
        let mut todo: Vec<String> = set.iter().cloned().collect();
        while let Some(f) = todo.pop() {
            if let Some(body) = functions.get(&f) {
                let mut names = Vec::new();
                called_names(body, &mut names);
                for n in names {
                    if functions.contains_key(&n) && set.insert(n.clone()) {
                        todo.push(n);
                    }
                }
            }
        }
    }

    let mut configure_calls = Vec::new();
    let mut fn_names: Vec<(&String, &&[Stmt])> = functions.iter().collect();
    fn_names.sort_by_key(|(_, b)| b.first().map(|s| span_of(s).start).unwrap_or(0));
    let mut scopes: Vec<(Option<String>, &[Stmt])> = vec![(None, &body[..])];
    scopes.extend(fn_names.into_iter().map(|(n, b)| (Some(n.clone()), *b)));
    for (function, stmts) in scopes {
        let mut calls: Vec<&ruff_python_ast::ExprCall> = Vec::new();
        collect_configure(stmts, function.is_none(), &mut calls);
        for call in calls {
            let mut modes: Vec<Mode> = [Mode::Offline, Mode::Online]
                .into_iter()
                .filter(|m| {
                    function
                        .as_ref()
                        .is_some_and(|f| reach.get(m).is_some_and(|s| s.contains(f)))
                })
                .collect();
            if modes.is_empty()
                && let Some(f) = &function
            {
                if f.contains("offline") {
                    modes.push(Mode::Offline);
                } else if f.contains("online") || f.contains("run_migrations") {
                    modes.push(Mode::Online);
                }
            }
            let kwargs = call
                .arguments
                .keywords
                .iter()
                .filter_map(|k| {
                    let name = k.arg.as_ref()?.to_string();
                    let value = match &k.value {
                        Expr::StringLiteral(s) => KwValue::Str(s.value.to_str().to_string()),
                        Expr::BooleanLiteral(b) => KwValue::Bool(b.value),
                        Expr::NoneLiteral(_) => KwValue::None,
                        other => KwValue::Expr(text_of(&file, other)),
                    };
                    Some(Kwarg {
                        name,
                        value,
                        loc: Loc::new(&file, span_of(k)),
                    })
                })
                .collect();
            configure_calls.push(ConfigureCall {
                loc: Loc::new(&file, span_of(call)),
                function: function.clone(),
                modes,
                kwargs,
                has_double_star: call.arguments.keywords.iter().any(|k| k.arg.is_none()),
            });
        }
    }
    configure_calls.sort_by_key(|c| c.loc.span.start);
    if configure_calls.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "env::no-configure",
            format!("{} never calls context.configure(...)", file.name),
        ));
    }
    EnvPy {
        parsed,
        target_metadata,
        configure_calls,
        diagnostics,
    }
}

/// `context.configure(...)` calls in a body, not descending into nested
/// function definitions (they are scanned as their own scope).
fn collect_configure<'a>(
    body: &'a [Stmt],
    top_level: bool,
    out: &mut Vec<&'a ruff_python_ast::ExprCall>,
) {
    struct V<'a, 'o> {
        out: &'o mut Vec<&'a ruff_python_ast::ExprCall>,
    }
    impl<'a> ruff_python_ast::visitor::Visitor<'a> for V<'a, '_> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return;
            }
            ruff_python_ast::visitor::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(c) = e
                && is_context_call(&c.func, "configure")
            {
                self.out.push(c);
            }
            ruff_python_ast::visitor::walk_expr(self, e);
        }
    }
    let _ = top_level;
    let mut v = V { out };
    for s in body {
        ruff_python_ast::visitor::Visitor::visit_stmt(&mut v, s);
    }
}

impl EnvPy {
    /// The effective `configure` settings in `mode`: from the call that mode
    /// reaches (the last one, if several), else Alembic's defaults.
    pub fn settings(&self, mode: Mode) -> EnvSettings {
        let call = self
            .configure_calls
            .iter()
            .rev()
            .find(|c| c.modes.contains(&mode));
        let find = |name: &str| call.and_then(|c| c.kwargs.iter().find(|k| k.name == name));
        let string = |name: &str, default: &str| -> Setting<String> {
            match find(name) {
                None => Setting::Default(default.to_string()),
                Some(Kwarg {
                    value: KwValue::Str(s),
                    loc,
                    ..
                }) => Setting::Literal(s.clone(), loc.clone()),
                Some(k) => unknown(k),
            }
        };
        let optional = |name: &str| -> Setting<Option<String>> {
            match find(name) {
                None => Setting::Default(None),
                Some(Kwarg {
                    value: KwValue::Str(s),
                    loc,
                    ..
                }) => Setting::Literal(Some(s.clone()), loc.clone()),
                Some(Kwarg {
                    value: KwValue::None,
                    loc,
                    ..
                }) => Setting::Literal(None, loc.clone()),
                Some(k) => unknown(k),
            }
        };
        let boolean = |name: &str, default: bool| -> Setting<bool> {
            match find(name) {
                None => Setting::Default(default),
                Some(Kwarg {
                    value: KwValue::Bool(b),
                    loc,
                    ..
                }) => Setting::Literal(*b, loc.clone()),
                Some(k) => unknown(k),
            }
        };
        EnvSettings {
            version_table: string("version_table", "alembic_version"),
            version_table_schema: optional("version_table_schema"),
            include_schemas: boolean("include_schemas", false),
            transaction_per_migration: boolean("transaction_per_migration", false),
            compare_type: boolean("compare_type", true),
            passes_target_metadata: find("target_metadata").is_some(),
        }
    }
}

fn unknown<T>(k: &Kwarg) -> Setting<T> {
    Setting::Unknown {
        expr: match &k.value {
            KwValue::Expr(e) => e.clone(),
            KwValue::Str(s) => format!("{s:?}"),
            KwValue::Bool(b) => {
                if *b {
                    "True".into()
                } else {
                    "False".into()
                }
            }
            KwValue::None => "None".into(),
        },
        loc: k.loc.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERIC: &str = r#"from logging.config import fileConfig
from sqlalchemy import engine_from_config, pool
from alembic import context
from myapp.models import Base
import myapp.settings as settings

config = context.config
target_metadata = Base.metadata

def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        version_table_schema="meta",
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()

def do_run_migrations(connection):
    context.configure(connection=connection, target_metadata=target_metadata,
                      include_schemas=True, version_table_schema=settings.SCHEMA, compare_type=False)
    with context.begin_transaction():
        context.run_migrations()

def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section), poolclass=pool.NullPool)
    with connectable.connect() as connection:
        do_run_migrations(connection)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"#;

    fn env(src: &str) -> EnvPy {
        analyze_env(parse_python(SourceFile::virtual_file("env.py", src)))
    }

    #[test]
    fn finds_target_metadata_and_its_import() {
        let e = env(GENERIC);
        let t = e.target_metadata.as_ref().unwrap();
        assert_eq!(t.expr, "Base.metadata");
        assert_eq!(t.items[0].root.as_deref(), Some("Base"));
        match &t.items[0].origin {
            NameOrigin::Import { module, name, loc } => {
                assert_eq!(module, "myapp.models");
                assert_eq!(name.as_deref(), Some("Base"));
                assert_eq!(loc.line_col().0, 4);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn settings_per_mode() {
        let e = env(GENERIC);
        let off = e.settings(Mode::Offline);
        assert_eq!(
            off.version_table_schema.known(),
            Some(Some("meta".to_string()))
        );
        assert_eq!(off.transaction_per_migration.known(), Some(true));
        assert_eq!(off.include_schemas, Setting::Default(false));
        assert!(off.passes_target_metadata);
        let on = e.settings(Mode::Online);
        assert!(
            matches!(on.version_table_schema, Setting::Unknown { ref expr, .. } if expr == "settings.SCHEMA")
        );
        assert_eq!(on.include_schemas.known(), Some(true));
        assert_eq!(on.compare_type.known(), Some(false));
        assert_eq!(on.version_table.known().as_deref(), Some("alembic_version"));
        assert_eq!(e.configure_calls.len(), 2);
        assert_eq!(
            e.configure_calls[1].function.as_deref(),
            Some("do_run_migrations")
        );
        assert_eq!(e.configure_calls[1].modes, [Mode::Online]);
    }

    #[test]
    fn list_of_metadata_and_relative_imports() {
        let e = env(
            "from alembic import context\nfrom .models import a\nfrom ..other import B as Bee\nfrom sqlmodel import SQLModel\ntarget_metadata = [a.metadata, Bee.metadata, SQLModel.metadata]\ncontext.configure(target_metadata=target_metadata)\n",
        );
        let t = e.target_metadata.unwrap();
        let origins: Vec<String> = t
            .items
            .iter()
            .map(|i| match &i.origin {
                NameOrigin::Import { module, name, .. } => {
                    format!("{module}:{}", name.clone().unwrap_or_default())
                }
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(origins, [".models:a", "..other:B", "sqlmodel:SQLModel"]);
        assert_eq!(e.configure_calls[0].function, None);
    }

    #[test]
    fn missing_target_metadata_is_a_warning() {
        let e = env("from alembic import context\ntarget_metadata = None\n");
        assert!(e.target_metadata.as_ref().unwrap().is_none);
        let e = env("x = 1\n");
        assert!(
            e.diagnostics
                .iter()
                .any(|d| d.code == "env::no-target-metadata")
        );
        assert!(e.diagnostics.iter().any(|d| d.code == "env::no-configure"));
    }
}
