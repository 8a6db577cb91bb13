//! The static evaluator: runs the safe subset of Python that migration
//! files use, over ruff's tree, without executing anything.
//!
//! # Values
//! Literals, containers and string operations are computed as Python would.
//! Names from outside the project become [`Value::Symbol`]s resolved
//! through the file's imports (`sa.Integer` -> `sqlalchemy.Integer`); calls
//! to them stay symbolic [`Value::Call`]s for the lowering to read. Operators
//! applied to symbolic values give symbolic calls too: `t.c.id == 5` is
//! `operator.eq(builtins.getattr(builtins.getattr(t, 'c'), 'id'), 5)`, and a
//! subscript is `operator.getitem(x, k)` (on SQLAlchemy-like objects only:
//! `os.environ["X"]` or `settings["db"]` read values that exist only at run
//! time and are unknown). What cannot be known is [`Value::Unknown`] with a
//! reason and a span; the truth of a library value (`if settings.flag:`) is
//! unknown too. User pins ([`crate::python::assume`]) replace expressions
//! by values before they are evaluated. The host may know more of a
//! symbolic value than its call shows (a table it reflected from the
//! schema): attribute reads, subscripts, iteration, `len()` and `in` ask it
//! first ([`crate::python::host::Host::access`]).
//!
//! Lists, dicts and sets are values; in-place changes (`cols.append(x)`,
//! `d[k] = v`, `x += [1]`) update the variable (or item, or attribute)
//! they are made through, without copying. Two names bound to one list do
//! not see each other's changes (migration code does not rely on that).
//!
//! A call whose callee is not known (a helper from a module that is not in
//! the project, a method of a query result), made for its effect or handed
//! the connection, is an opaque step counting one operation; a library
//! call handed the connection (`metadata.create_all(bind)`,
//! `sa.Enum(...).create(bind)`) is opaque too, unless the host models it.
//!
//! # Control flow
//! `if` on a known value takes the branch Python would. On an unknown value
//! every name either branch could change becomes unknown, and the branches
//! are run once each as a speculation (`speculate.rs`): if every path only
//! reads or writes rows, the host keeps what they did as conditional data
//! steps; otherwise the whole `if` is one opaque step (its span, the
//! reason, and the number of `op.*` calls both branches hold, counted in the
//! source and through same-project helper functions they call). The same
//! goes for `for` over an unknown sequence and `while` on an unknown
//! condition; a `match` is always one opaque step. `try` runs
//! its body; an `except` clause runs only when the body raised an exception
//! the evaluator decided (a `raise`, a `KeyError` on a known dict, SQLAlchemy's
//! `NoSuchTableError` from the inspector, a call SQLAlchemy would reject).
//! A replay stop from the sink is not a Python exception and is never caught.
//! A step budget bounds all work: a loop that does not end becomes an opaque
//! step, not a hang.
//!
//! # Project code
//! Functions and classes defined in the file or in the project's modules
//! (found through [`ProjectModules`]) are evaluated: arguments, defaults,
//! `*args`, `**kwargs`, keyword-only parameters, closures over enclosing
//! variables (as they were when the `def` ran), early `return`, recursion up
//! to a depth limit. Helper modules run their module level once per
//! evaluation, lazily, on first import; an import cycle behaves as in Python
//! (a partially initialised module) and a name not yet defined raises
//! CPython's `ImportError` with the cycle in a diagnostic.
//!
//! # SQLAlchemy types defined in the project
//! - An instance of a subclass of `TypeDecorator` is the type PostgreSQL
//!   gets: `load_dialect_impl(self, dialect)` evaluated with a dialect whose
//!   `name` is `"postgresql"` and whose `type_descriptor(t)` returns `t`, when
//!   the class defines it; otherwise the class attribute `impl` (a class is
//!   called with the arguments given to the decorator, or to
//!   `super().__init__`, as `TypeDecorator.__init__` does; an instance is
//!   used as is).
//! - An instance of a subclass of `UserDefinedType` whose `get_col_spec()`
//!   returns a known string is `migsim.RawType(spec)`.
//! - An instance of a project subclass of another SQLAlchemy class (such as
//!   `class Text50(sa.String)`) is that class called with the same arguments.
//! - A subclass of `enum.Enum` keeps its members in order; see
//!   [`crate::python::types::enum_class`].
//! - A project type class passed uncalled to a library call
//!   (`sa.Column("id", GUID)`) is instantiated with no arguments, as
//!   SQLAlchemy's `to_instance` does.

mod builtins;
mod call;
pub mod objects;
mod ops;
mod speculate;
mod stmt;
pub mod strings;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ruff_python_ast::name::Name;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

pub use objects::{ClassKind, ClassObj, EnumMember, FuncObj, InstanceObj, ModuleObj, Obj};
pub(crate) use stmt::squash;

use crate::alembic::sink::{OpaqueStep, TextMap};
use crate::python::assume::{Assumptions, normalise};
use crate::python::host::{Abort, Host, PyException};
use crate::python::parse::{ParsedModule, span_of};
use crate::python::project::ProjectModules;
use crate::python::value::{Call, Callee, PyStr, Symbol, Value};
use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile};

use strings::StrBuf;

/// Settings for one evaluation.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    pub assumptions: Assumptions,
    /// Statements plus expressions evaluated before giving up.
    pub step_budget: u64,
    /// Nested calls of project functions before giving up.
    pub max_call_depth: u32,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig {
            assumptions: Assumptions::new(),
            step_budget: 2_000_000,
            max_call_depth: 48,
        }
    }
}

/// Nesting of expressions and statements evaluated recursively. CPython's
/// own parser rejects more than 200 nested brackets; trees deeper than this
/// (long operator chains) evaluate to unknown instead of risking the stack.
const MAX_EVAL_DEPTH: u32 = 160;

static RUNS: AtomicU64 = AtomicU64::new(1);

#[derive(Clone)]
enum ModSrc<'a> {
    Borrowed(&'a ParsedModule),
    Shared(Arc<ParsedModule>),
    /// A namespace package: no file.
    None,
}

impl ModSrc<'_> {
    fn get(&self) -> Option<&ParsedModule> {
        match self {
            ModSrc::Borrowed(m) => Some(m),
            ModSrc::Shared(m) => Some(m),
            ModSrc::None => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Loading,
    Done,
    Failed,
}

struct ModuleState<'a> {
    name: String,
    /// Package for relative imports; `None` for a migration file, which
    /// Alembic loads by path (relative imports fail there).
    package: Option<String>,
    src: ModSrc<'a>,
    file: Arc<SourceFile>,
    globals: HashMap<Name, Value>,
    status: Status,
    /// `from library import *` prefixes: unknown names may come from them.
    star_libraries: Vec<String>,
    /// Names may appear in ways the reader cannot see (`from x import *` of
    /// an unreadable module, a module `__getattr__`).
    open_namespace: bool,
}

/// A running function, class body or module level.
#[derive(Clone)]
struct Frame {
    module: usize,
    /// `None` at module level (names live in the module's globals).
    locals: Option<HashMap<Name, Value>>,
    /// Class bodies keep definition order.
    order: Option<Vec<Name>>,
    closure: Option<Arc<HashMap<Name, Value>>>,
    globals_decl: Vec<Name>,
    /// For zero-argument `super()`.
    owner: Option<Arc<ClassObj>>,
    first_arg: Option<Value>,
}

/// Control flow out of a statement.
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

pub(crate) type Exec = Result<Flow, Abort>;
pub(crate) type Eval = Result<Value, Abort>;

pub struct Evaluator<'a> {
    run: u64,
    cfg: &'a EvalConfig,
    project: Option<&'a ProjectModules>,
    pub(crate) host: &'a mut dyn Host,
    modules: Vec<ModuleState<'a>>,
    by_name: HashMap<String, usize>,
    frames: Vec<Frame>,
    steps: u64,
    depth: u32,
    call_depth: u32,
    /// The innermost loops and calls running, for budget reports.
    active: Vec<Loc>,
    /// Per active function call: why it may have returned in code that was
    /// not run (its return value is then unknown).
    maybe_returned: Vec<Option<String>>,
    /// Per running loop: why it may have ended (a `break` in code that was
    /// not run); the loop then stops after the current iteration.
    maybe_broke: Vec<Option<String>>,
    /// Exceptions being handled (for a bare `raise`).
    handling: Vec<PyException>,
    /// Modules whose module level is running (for cycle reports).
    loading: Vec<usize>,
    next_class_id: u64,
    diagnostics: Vec<Diagnostic>,
    reported_missing: Vec<String>,
    pins_used: Vec<String>,
    main: Option<usize>,
    /// Speculated runs in progress (see `speculate`).
    speculating: u32,
    /// Modules loaded when the outermost speculated run began.
    modules_before_speculation: usize,
    /// The step at which speculated runs give up (`u64::MAX` outside them).
    speculation_limit: u64,
    /// The call depth speculated runs may reach (`u32::MAX` outside them).
    speculation_calls: u32,
    /// How to undo what speculated runs changed.
    undo: Vec<speculate::Undo>,
    /// Project functions running, inside speculated runs, on arguments
    /// none of which is known (see `call_function`).
    unknown_calls: Vec<*const FuncObj>,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        cfg: &'a EvalConfig,
        project: Option<&'a ProjectModules>,
        host: &'a mut dyn Host,
    ) -> Self {
        Evaluator {
            run: RUNS.fetch_add(1, Ordering::Relaxed),
            cfg,
            project,
            host,
            modules: Vec::new(),
            by_name: HashMap::new(),
            frames: Vec::new(),
            steps: 0,
            depth: 0,
            call_depth: 0,
            active: Vec::new(),
            maybe_returned: Vec::new(),
            maybe_broke: Vec::new(),
            handling: Vec::new(),
            loading: Vec::new(),
            next_class_id: 1,
            diagnostics: Vec::new(),
            reported_missing: Vec::new(),
            pins_used: Vec::new(),
            main: None,
            speculating: 0,
            modules_before_speculation: 0,
            speculation_limit: u64::MAX,
            speculation_calls: u32::MAX,
            undo: Vec::new(),
            unknown_calls: Vec::new(),
        }
    }

    /// Runs a migration file's module level (imports, definitions). Alembic
    /// loads a migration by path, as a module without a package.
    pub fn run_main(&mut self, module: &'a ParsedModule) -> Result<usize, Abort> {
        let key = self.modules.len();
        self.modules.push(ModuleState {
            name: module_name_for(&module.file.name),
            package: None,
            src: ModSrc::Borrowed(module),
            file: Arc::clone(&module.file),
            globals: initial_globals(module, &module_name_for(&module.file.name), None),
            status: Status::Loading,
            star_libraries: Vec::new(),
            open_namespace: false,
        });
        self.main = Some(key);
        self.exec_module(key)?;
        Ok(key)
    }

    /// A module-level name after [`Self::run_main`].
    pub fn global(&self, module: usize, name: &str) -> Option<&Value> {
        self.modules.get(module)?.globals.get(name)
    }

    /// All module-level names, in no particular order.
    pub fn globals(&self, module: usize) -> impl Iterator<Item = (&str, &Value)> {
        self.modules
            .get(module)
            .into_iter()
            .flat_map(|m| m.globals.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// Calls a function value with positional arguments.
    pub fn call(&mut self, func: &Value, args: Vec<Value>, loc: Loc) -> Eval {
        self.call_value(func.clone(), args, Vec::new(), loc, false)
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// Pins (keys as the user wrote them) that matched an expression.
    pub fn pins_used(&self) -> &[String] {
        &self.pins_used
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    // ----- plumbing -----

    fn frame(&self) -> &Frame {
        // Evaluation always runs inside a frame: `exec_module` and calls
        // push one before running any statement.
        self.frames.last().expect("a frame is always active")
    }

    fn cur_module(&self) -> usize {
        self.frames.last().map_or(0, |f| f.module)
    }

    /// Running a helper module's module level (an import), not the
    /// migration: what is skipped there is not a migration step.
    fn in_import(&self) -> bool {
        self.loading.last().is_some_and(|&k| Some(k) != self.main)
    }

    fn in_main(&self) -> bool {
        Some(self.cur_module()) == self.main
    }

    pub(crate) fn loc(&self, range: impl Ranged) -> Loc {
        Loc::new(&self.modules[self.cur_module()].file, span_of(range))
    }

    fn source(&self, range: TextRange) -> &str {
        let f = &self.modules[self.cur_module()].file;
        f.text
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }

    fn tick(&mut self, range: TextRange) -> Result<(), Abort> {
        self.steps += 1;
        if self.steps > self.cfg.step_budget.min(self.speculation_limit) {
            let loc = self
                .active
                .last()
                .cloned()
                .unwrap_or_else(|| self.loc(range));
            return Err(Abort::Budget { loc });
        }
        Ok(())
    }

    pub(crate) fn diag(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// `print()` in a migration: harmless online, but `alembic upgrade
    /// --sql` writes the text into the SQL script it prints. Once per call
    /// site (a loop prints many times).
    fn note_print(&mut self, range: TextRange) {
        let loc = self.loc(range);
        let seen = self
            .diagnostics
            .iter()
            .any(|d| d.code == "python::print" && d.labels.first().is_some_and(|l| l.loc == loc));
        if !seen {
            self.diag(
                Diagnostic::new(
                    crate::report::Severity::Info,
                    "python::print",
                    "print() output goes into the SQL script `alembic upgrade --sql` writes",
                )
                .with_label(loc, "printed here")
                .with_help(
                    "use logging (Alembic's `alembic.runtime.migration` logger) or drop the print",
                ),
            );
        }
    }

    fn raise(&self, class: &str, msg: impl Into<String>, range: TextRange) -> Abort {
        Abort::raise(PyException::builtin(class, msg, self.loc(range)))
    }

    fn unknown(&self, reason: impl Into<String>, range: TextRange) -> Value {
        Value::unknown(reason, self.loc(range))
    }

    pub(crate) fn opaque(&mut self, reason: String, loc: Loc, hidden_ops: u32) {
        self.host.opaque(OpaqueStep {
            reason,
            loc,
            hidden_ops,
        });
    }

    // ----- names -----

    fn lookup(&mut self, name: &Name, range: TextRange) -> Eval {
        if let Some(v) = self.peek(name) {
            return Ok(v.clone());
        }
        let m = &self.modules[self.cur_module()];
        if is_builtin_name(name) {
            return Ok(Value::Symbol(Symbol::new(format!("builtins.{name}"))));
        }
        if m.star_libraries.len() == 1 {
            return Ok(Value::Symbol(Symbol::new(format!(
                "{}.{name}",
                m.star_libraries[0]
            ))));
        }
        if m.open_namespace || !m.star_libraries.is_empty() {
            return Ok(self.unknown(
                format!("`{name}` may come from a `from ... import *` the reader cannot see into"),
                range,
            ));
        }
        if self.modules[self.cur_module()].status == Status::Loading && !self.in_function() {
            // Defined later at module level: Python raises NameError too.
        }
        Err(self.raise("NameError", format!("name '{name}' is not defined"), range))
    }

    fn in_function(&self) -> bool {
        self.frames.last().is_some_and(|f| f.locals.is_some())
    }

    /// A name's value without side effects or errors.
    fn peek(&self, name: &str) -> Option<&Value> {
        let f = self.frames.last()?;
        let global = f.globals_decl.iter().any(|g| g.as_str() == name);
        if !global {
            if let Some(l) = &f.locals
                && let Some(v) = l.get(name)
            {
                return Some(v);
            }
            if let Some(c) = &f.closure
                && let Some(v) = c.get(name)
            {
                return Some(v);
            }
        }
        self.modules[f.module].globals.get(name)
    }

    pub(crate) fn store(&mut self, name: &Name, value: Value) {
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        let global = f.globals_decl.contains(name);
        match &mut f.locals {
            Some(l) if !global => {
                if let Some(order) = &mut f.order
                    && !l.contains_key(name)
                {
                    order.push(name.clone());
                }
                l.insert(name.clone(), value);
            }
            _ => {
                let m = f.module;
                self.journal_global(m, name);
                self.modules[m].globals.insert(name.clone(), value);
            }
        }
    }

    fn delete(&mut self, name: &Name, range: TextRange) -> Result<(), Abort> {
        let removed = match self.frames.last_mut() {
            Some(f) => match &mut f.locals {
                Some(l) if !f.globals_decl.contains(name) => l.remove(name).is_some(),
                _ => {
                    let m = f.module;
                    self.journal_global(m, name);
                    self.modules[m].globals.remove(name).is_some()
                }
            },
            None => false,
        };
        if removed {
            Ok(())
        } else {
            Err(self.raise("NameError", format!("name '{name}' is not defined"), range))
        }
    }

    /// Runs `f` on the variable `name` in place (locals, closure copy, or
    /// globals). `None` if there is no such variable.
    fn with_var_mut<R>(&mut self, name: &str, f: impl FnOnce(&mut Value) -> R) -> Option<R> {
        let frame = self.frames.last_mut()?;
        let global = frame.globals_decl.iter().any(|g| g.as_str() == name);
        if !global {
            if let Some(l) = &mut frame.locals
                && let Some(v) = l.get_mut(name)
            {
                return Some(f(v));
            }
            if let Some(c) = &mut frame.closure
                && c.contains_key(name)
            {
                return Arc::make_mut(c).get_mut(name).map(f);
            }
        }
        let m = frame.module;
        self.journal_global(m, &Name::new(name));
        self.modules[m].globals.get_mut(name).map(f)
    }

    // ----- modules -----

    fn exec_module(&mut self, key: usize) -> Result<(), Abort> {
        let src = self.modules[key].src.clone();
        let Some(pm) = src.get() else {
            self.modules[key].status = Status::Done;
            return Ok(());
        };
        self.frames.push(Frame {
            module: key,
            locals: None,
            order: None,
            closure: None,
            globals_decl: Vec::new(),
            owner: None,
            first_arg: None,
        });
        self.loading.push(key);
        let r = self.exec_body(&pm.module.body);
        self.loading.pop();
        self.frames.pop();
        match r {
            Ok(_) => {
                self.modules[key].status = Status::Done;
                Ok(())
            }
            Err(e) => {
                self.modules[key].status = Status::Failed;
                Err(e)
            }
        }
    }

    /// `import dotted`: the module object (project) or a symbol (library).
    fn import_module(&mut self, dotted: &str, range: TextRange) -> Eval {
        let Some(project) = self.project else {
            return Ok(Value::Symbol(Symbol::new(dotted)));
        };
        if let Some(&key) = self.by_name.get(dotted) {
            return Ok(self.module_value(key));
        }
        let lookup = project.lookup(dotted);
        // Python imports the parent packages first (running their
        // `__init__.py`), and binds the submodule in its parent once loaded.
        let parent = match (&lookup, dotted.rsplit_once('.')) {
            (
                crate::python::project::ModuleLookup::Found { .. }
                | crate::python::project::ModuleLookup::Namespace,
                Some((parent, child)),
            ) => {
                let p = self.import_module(parent, range)?;
                if let Some(&key) = self.by_name.get(dotted) {
                    // The parent's `__init__` imported it.
                    return Ok(self.module_value(key));
                }
                p.object::<Obj>()
                    .and_then(|o| match o {
                        Obj::Module(m) => Some(m.key),
                        _ => None,
                    })
                    .map(|k| (k, child))
            }
            _ => None,
        };
        let value = self.import_project_module(dotted, lookup, range)?;
        if let Some((pkey, child)) = parent {
            self.modules[pkey]
                .globals
                .insert(Name::new(child), value.clone());
        }
        Ok(value)
    }

    /// Loads a module whose parents are loaded.
    fn import_project_module(
        &mut self,
        dotted: &str,
        lookup: crate::python::project::ModuleLookup,
        range: TextRange,
    ) -> Eval {
        match lookup {
            crate::python::project::ModuleLookup::External => {
                Ok(Value::Symbol(Symbol::new(dotted)))
            }
            crate::python::project::ModuleLookup::Missing => {
                let reason = format!(
                    "module `{dotted}` is not in the project (no `{}.py` under the package roots)",
                    dotted.replace('.', "/")
                );
                if !self.reported_missing.iter().any(|m| m == dotted) {
                    self.reported_missing.push(dotted.to_owned());
                    let loc = self.loc(range);
                    self.diag(
                        Diagnostic::warning("python::missing-module", reason.clone())
                            .with_label(loc, "imported here")
                            .with_help("names from it are unknown; check the project's package roots (`prepend_sys_path`)"),
                    );
                }
                Ok(self.unknown(reason, range))
            }
            crate::python::project::ModuleLookup::Namespace => {
                let key = self.add_module(dotted, Some(dotted.to_owned()), ModSrc::None, range);
                Ok(self.module_value(key))
            }
            crate::python::project::ModuleLookup::Found { module, is_package } => {
                let package = if is_package {
                    dotted.to_owned()
                } else {
                    dotted
                        .rsplit_once('.')
                        .map(|(p, _)| p.to_owned())
                        .unwrap_or_default()
                };
                if module.has_errors() {
                    let loc = self.loc(range);
                    for e in &module.errors {
                        self.diag(e.clone());
                    }
                    let first = module.errors[0].message.clone();
                    return Err(Abort::raise(PyException::builtin(
                        "SyntaxError",
                        format!("{first} (in `{}`)", module.file.name),
                        loc,
                    )));
                }
                let key = self.add_module(dotted, Some(package), ModSrc::Shared(module), range);
                if let Err(e) = self.exec_module(key) {
                    // As Python drops it from `sys.modules`: a later import
                    // runs it again (and meets the same error).
                    self.by_name.remove(dotted);
                    return Err(e);
                }
                Ok(self.module_value(key))
            }
        }
    }

    fn add_module(
        &mut self,
        dotted: &str,
        package: Option<String>,
        src: ModSrc<'a>,
        range: TextRange,
    ) -> usize {
        let file = match src.get() {
            Some(m) => Arc::clone(&m.file),
            None => Arc::clone(&self.loc(range).file),
        };
        let globals = match src.get() {
            Some(m) => initial_globals(m, dotted, package.as_deref()),
            None => HashMap::new(),
        };
        let key = self.modules.len();
        self.modules.push(ModuleState {
            name: dotted.to_owned(),
            package,
            src,
            file,
            globals,
            status: Status::Loading,
            star_libraries: Vec::new(),
            open_namespace: false,
        });
        self.by_name.insert(dotted.to_owned(), key);
        key
    }

    fn module_value(&self, key: usize) -> Value {
        Obj::Module(ModuleObj {
            name: self.modules[key].name.clone(),
            run: self.run,
            key,
        })
        .value()
    }

    /// `from base import name`.
    fn import_from(&mut self, base: &str, name: &str, range: TextRange) -> Eval {
        let module = self.import_module(base, range)?;
        let key = match module.object::<Obj>() {
            Some(Obj::Module(m)) => m.key,
            _ => {
                return Ok(match module {
                    Value::Symbol(s) => Value::Symbol(Symbol::new(format!("{}.{name}", s.path))),
                    other => other,
                });
            }
        };
        if let Some(v) = self.modules[key].globals.get(name) {
            return Ok(v.clone());
        }
        // A submodule?
        let sub = format!("{base}.{name}");
        if let Some(project) = self.project
            && !matches!(
                project.lookup(&sub),
                crate::python::project::ModuleLookup::Missing
                    | crate::python::project::ModuleLookup::External
            )
        {
            return self.import_module(&sub, range);
        }
        let state = &self.modules[key];
        if state.open_namespace || !state.star_libraries.is_empty() {
            return Ok(self.unknown(
                format!("`{name}` may come from a `from ... import *` in `{base}`"),
                range,
            ));
        }
        if state.globals.contains_key("__getattr__") {
            // PEP 562: the module's `__getattr__` answers, not evaluated.
            return Ok(self.unknown(
                format!("`{base}.{name}` comes from the module's `__getattr__`, which is not run"),
                range,
            ));
        }
        if state.status == Status::Loading {
            let cycle: Vec<String> = self
                .loading
                .iter()
                .skip_while(|&&k| k != key)
                .map(|&k| self.modules[k].name.clone())
                .chain(std::iter::once(base.to_owned()))
                .collect();
            let loc = self.loc(range);
            self.diag(
                Diagnostic::error(
                    "python::import-cycle",
                    format!(
                        "circular import: `{}`; `{name}` is not defined yet when `{base}` is imported again",
                        cycle.join("` -> `")
                    ),
                )
                .with_label(loc.clone(), "imported here")
                .with_help("Python raises ImportError here; move the import into the function that needs it"),
            );
            return Err(Abort::raise(PyException::builtin(
                "ImportError",
                format!(
                    "cannot import name '{name}' from partially initialized module '{base}' (most likely due to a circular import)"
                ),
                loc,
            )));
        }
        Err(self.raise(
            "ImportError",
            format!("cannot import name '{name}' from '{base}'"),
            range,
        ))
    }

    // ----- expressions -----

    pub(crate) fn eval(&mut self, e: &Expr) -> Eval {
        self.tick(e.range())?;
        if self.depth >= MAX_EVAL_DEPTH {
            return Ok(self.unknown("expression nested too deeply to evaluate", e.range()));
        }
        if !self.cfg.assumptions.is_empty()
            && let Some(v) = self.pinned(e)
        {
            return Ok(v);
        }
        self.depth += 1;
        let r = self.eval_inner(e);
        self.depth -= 1;
        r
    }

    fn pinned(&mut self, e: &Expr) -> Option<Value> {
        if !matches!(
            e,
            Expr::Name(_)
                | Expr::Attribute(_)
                | Expr::Subscript(_)
                | Expr::Call(_)
                | Expr::Compare(_)
                | Expr::BoolOp(_)
                | Expr::UnaryOp(_)
        ) {
            return None;
        }
        let src = self.source(e.range());
        let first = src.bytes().next()?;
        if !self
            .cfg
            .assumptions
            .may_start_with(if first == b'\'' { b'"' } else { first })
        {
            return None;
        }
        let (key, v) = self.cfg.assumptions.lookup(&normalise(src))?;
        let (key, v) = (key.to_owned(), v.clone());
        if !self.pins_used.contains(&key) {
            self.pins_used.push(key);
        }
        Some(v)
    }

    fn eval_inner(&mut self, e: &Expr) -> Eval {
        match e {
            Expr::StringLiteral(s) => Ok(Value::Str(self.string_literal(&s.value))),
            Expr::BytesLiteral(b) => Ok(Value::Bytes(b.value.bytes().collect::<Vec<u8>>().into())),
            Expr::NumberLiteral(n) => Ok(match &n.value {
                ast::Number::Int(i) => match i.as_i64() {
                    Some(i) => Value::Int(i),
                    None => self.unknown("integer literal beyond 64 bits", n.range),
                },
                ast::Number::Float(f) => Value::Float(*f),
                ast::Number::Complex { .. } => {
                    self.unknown("complex numbers are not modelled", n.range)
                }
            }),
            Expr::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expr::NoneLiteral(_) => Ok(Value::None),
            Expr::EllipsisLiteral(_) => Ok(Value::Symbol(Symbol::new("builtins.Ellipsis"))),
            Expr::FString(f) => self.fstring(f),
            Expr::TString(t) => Ok(self.unknown("template strings are not modelled", t.range)),
            Expr::Name(n) => self.lookup(&n.id, n.range),
            Expr::Attribute(a) => {
                let base = self.eval(&a.value)?;
                self.get_attr(base, a.attr.as_str(), a.range)
            }
            Expr::Subscript(s) => {
                let base = self.eval(&s.value)?;
                if let Expr::Slice(sl) = &*s.slice {
                    let lower = self.eval_opt(sl.lower.as_deref())?;
                    let upper = self.eval_opt(sl.upper.as_deref())?;
                    let step = self.eval_opt(sl.step.as_deref())?;
                    return self.slice(base, lower, upper, step, s.range);
                }
                let key = self.eval(&s.slice)?;
                self.getitem(base, key, s.range)
            }
            Expr::Call(c) => self.eval_call(c, false),
            Expr::BinOp(b) => {
                let l = self.eval(&b.left)?;
                let r = self.eval(&b.right)?;
                self.binop(b.op, l, r, b.range)
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand)?;
                self.unaryop(u.op, v, u.range)
            }
            Expr::BoolOp(b) => self.boolop(b),
            Expr::Compare(c) => self.compare_chain(c),
            Expr::If(i) => {
                let test = self.eval(&i.test)?;
                match self.truthy(&test, i.test.range())? {
                    Some(true) => self.eval(&i.body),
                    Some(false) => self.eval(&i.orelse),
                    None => Ok(self.unknown(
                        format!(
                            "`{}` depends on {}",
                            self.source(i.range),
                            describe_unknown(&test)
                        ),
                        i.range,
                    )),
                }
            }
            Expr::List(l) => Ok(Value::List(self.eval_elts(&l.elts)?)),
            Expr::Tuple(t) => Ok(Value::Tuple(self.eval_elts(&t.elts)?)),
            Expr::Set(s) => {
                let items = self.eval_elts(&s.elts)?;
                Ok(Value::Set(self.dedup(items)))
            }
            Expr::Dict(d) => {
                let mut out: Vec<(Value, Value)> = Vec::with_capacity(d.items.len());
                for item in &d.items {
                    match &item.key {
                        Some(k) => {
                            let k = self.eval(k)?;
                            let v = self.eval(&item.value)?;
                            self.dict_set(&mut out, k, v);
                        }
                        None => match self.eval(&item.value)? {
                            Value::Dict(kv) => {
                                for (k, v) in kv {
                                    self.dict_set(&mut out, k, v);
                                }
                            }
                            Value::Unknown(u) => return Ok(Value::Unknown(u)),
                            other => {
                                return Ok(self.unknown(
                                    format!(
                                        "`**` of {} is not known statically",
                                        describe_unknown(&other)
                                    ),
                                    item.value.range(),
                                ));
                            }
                        },
                    }
                }
                Ok(Value::Dict(out))
            }
            Expr::ListComp(c) => {
                let items =
                    self.comprehension(&c.generators, &mut |ev| ev.eval(&c.elt).map(|v| vec![v]))?;
                Ok(match items {
                    Ok(v) => Value::List(v),
                    Err(u) => u,
                })
            }
            Expr::Generator(c) => {
                // Consumed eagerly: migration code only reads them once.
                let items =
                    self.comprehension(&c.generators, &mut |ev| ev.eval(&c.elt).map(|v| vec![v]))?;
                Ok(match items {
                    Ok(v) => Value::List(v),
                    Err(u) => u,
                })
            }
            Expr::SetComp(c) => {
                let items =
                    self.comprehension(&c.generators, &mut |ev| ev.eval(&c.elt).map(|v| vec![v]))?;
                Ok(match items {
                    Ok(v) => Value::Set(self.dedup(v)),
                    Err(u) => u,
                })
            }
            Expr::DictComp(c) => {
                let key = c.key.as_deref();
                let items = self.comprehension(&c.generators, &mut |ev| {
                    let k = match key {
                        Some(k) => ev.eval(k)?,
                        None => Value::None,
                    };
                    let v = ev.eval(&c.value)?;
                    Ok(vec![Value::Tuple(vec![k, v])])
                })?;
                Ok(match items {
                    Ok(pairs) => {
                        let mut out = Vec::with_capacity(pairs.len());
                        for p in pairs {
                            if let Value::Tuple(mut kv) = p
                                && kv.len() == 2
                            {
                                let v = kv.pop().unwrap_or(Value::None);
                                let k = kv.pop().unwrap_or(Value::None);
                                self.dict_set(&mut out, k, v);
                            }
                        }
                        Value::Dict(out)
                    }
                    Err(u) => u,
                })
            }
            Expr::Lambda(l) => Ok(self.make_lambda(l)?),
            Expr::Named(n) => {
                let v = self.eval(&n.value)?;
                self.assign(&n.target, v.clone())?;
                Ok(v)
            }
            Expr::Starred(s) => Ok(self.unknown("`*` outside a call or display", s.range)),
            Expr::Slice(s) => Ok(self.unknown("slice outside a subscript", s.range)),
            Expr::Await(a) => Ok(self.unknown("`await` is not modelled", a.range)),
            Expr::Yield(y) => Ok(self.unknown("generators are not modelled", y.range)),
            Expr::YieldFrom(y) => Ok(self.unknown("generators are not modelled", y.range)),
            Expr::IpyEscapeCommand(i) => Ok(self.unknown("IPython syntax", i.range)),
        }
    }

    fn eval_opt(&mut self, e: Option<&Expr>) -> Eval {
        match e {
            Some(e) => self.eval(e),
            None => Ok(Value::None),
        }
    }

    /// Elements of a list/tuple/set display, with `*x` unpacked.
    fn eval_elts(&mut self, elts: &[Expr]) -> Result<Vec<Value>, Abort> {
        let mut out = Vec::with_capacity(elts.len());
        for e in elts {
            if let Expr::Starred(s) = e {
                let v = self.eval(&s.value)?;
                match self.iterate(v, s.range)? {
                    Ok(items) => out.extend(items),
                    Err(u) => out.push(u),
                }
            } else {
                out.push(self.eval(e)?);
            }
        }
        Ok(out)
    }

    /// A string literal, mapped back to the file when its text is the
    /// source text (no escapes) and it is in the migration file itself.
    fn string_literal(&self, v: &ast::StringLiteralValue) -> PyStr {
        let mapped = self.in_main();
        let file = &self.modules[self.cur_module()].file;
        let mut segments = Vec::new();
        let mut offset = 0u32;
        let mut text = String::new();
        for part in v.iter() {
            let cooked: &str = &part.value;
            if mapped {
                let cr = part.content_range();
                if file
                    .text
                    .get(cr.start().to_usize()..cr.end().to_usize())
                    .is_some_and(|src| src == cooked)
                    && !cooked.is_empty()
                {
                    segments.push((offset, cr.start().to_u32(), cooked.len() as u32));
                }
            }
            offset += cooked.len() as u32;
            text.push_str(cooked);
        }
        PyStr::mapped(text, (!segments.is_empty()).then_some(TextMap { segments }))
    }

    fn fstring(&mut self, f: &ast::ExprFString) -> Eval {
        let mut b = StrBuf::new();
        let mapped = self.in_main();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => {
                    let s = self.string_literal(&ast::StringLiteralValue::single(l.clone()));
                    b.push(&s);
                }
                ast::FStringPart::FString(fs) => {
                    if let Err(u) = self.fstring_elements(&fs.elements, &mut b, mapped)? {
                        return Ok(u);
                    }
                }
            }
        }
        Ok(Value::Str(b.finish()))
    }

    /// Appends an f-string's elements; `Ok(Err(unknown))` when a part is
    /// not known.
    fn fstring_elements(
        &mut self,
        elements: &ast::InterpolatedStringElements,
        b: &mut StrBuf,
        mapped: bool,
    ) -> Result<Result<(), Value>, Abort> {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => {
                    let range = l.range;
                    let cooked: &str = &l.value;
                    let map = if mapped && self.source(range) == cooked && !cooked.is_empty() {
                        Some(TextMap {
                            segments: vec![(0, range.start().to_u32(), cooked.len() as u32)],
                        })
                    } else {
                        None
                    };
                    b.push(&PyStr::mapped(cooked, map));
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let v = self.eval(&i.expression)?;
                    if let Some(d) = &i.debug_text {
                        b.push_plain(d.leading());
                        b.push_plain(d.expression());
                        b.push_plain(d.trailing());
                    }
                    let spec = match &i.format_spec {
                        Some(spec) => {
                            let mut sb = StrBuf::new();
                            if let Err(u) = self.fstring_elements(&spec.elements, &mut sb, false)? {
                                return Ok(Err(u));
                            }
                            sb.finish().value.to_string()
                        }
                        None => String::new(),
                    };
                    let conversion = match i.conversion {
                        ast::ConversionFlag::None if i.debug_text.is_some() && spec.is_empty() => {
                            Some('r')
                        }
                        ast::ConversionFlag::None => None,
                        c => c.to_char(),
                    };
                    match self.format_field(&v, conversion, &spec, i.range)? {
                        Ok(s) => b.push(&s),
                        Err(u) => return Ok(Err(u)),
                    }
                }
            }
        }
        Ok(Ok(()))
    }

    /// `format(conv(v), spec)`; a str with no conversion or spec keeps its map.
    pub(crate) fn format_field(
        &mut self,
        v: &Value,
        conversion: Option<char>,
        spec: &str,
        range: TextRange,
    ) -> Result<Result<PyStr, Value>, Abort> {
        if let Value::Unknown(u) = v {
            return Ok(Err(Value::Unknown(u.clone())));
        }
        if let (Value::Str(s), None, "") = (v, conversion, spec) {
            return Ok(Ok(s.clone()));
        }
        let converted = match conversion {
            Some('r') | Some('a') => strings::py_repr(v).map(Value::str),
            Some('s') => strings::py_str(v).map(Value::str),
            _ => Ok(v.clone()),
        };
        let text = converted.and_then(|c| {
            if spec.is_empty() {
                strings::py_str(&c)
            } else {
                strings::parse_spec(spec).and_then(|s| strings::format_value(&c, &s))
            }
        });
        match text {
            Ok(t) => Ok(Ok(PyStr::plain(t))),
            Err(strings::StrError::Unknown(reason)) => Ok(Err(self.unknown(reason, range))),
            Err(strings::StrError::Raise(class, msg)) => Err(self.raise(class, msg, range)),
        }
    }

    /// Runs comprehension clauses; `body` gives the items for one binding.
    /// `Ok(Err(unknown))` when a sequence or condition is not known.
    fn comprehension(
        &mut self,
        generators: &[ast::Comprehension],
        body: &mut dyn FnMut(&mut Self) -> Result<Vec<Value>, Abort>,
    ) -> Result<Result<Vec<Value>, Value>, Abort> {
        // Comprehension variables live in their own scope: save and restore.
        let targets: Vec<Name> = generators
            .iter()
            .flat_map(|g| target_names(&g.target))
            .collect();
        let saved: Vec<(Name, Option<Value>)> = targets
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    self.frame()
                        .locals
                        .as_ref()
                        .and_then(|l| l.get(n))
                        .cloned()
                        .or_else(|| {
                            if self.frame().locals.is_none() {
                                self.modules[self.cur_module()].globals.get(n).cloned()
                            } else {
                                None
                            }
                        }),
                )
            })
            .collect();
        let mut out = Vec::new();
        let r = self.comprehension_level(generators, body, &mut out);
        for (n, v) in saved {
            match v {
                Some(v) => self.store(&n, v),
                None => {
                    let _ = self.delete(&n, TextRange::default());
                }
            }
        }
        Ok(match r? {
            Ok(()) => Ok(out),
            Err(u) => Err(u),
        })
    }

    fn comprehension_level(
        &mut self,
        generators: &[ast::Comprehension],
        body: &mut dyn FnMut(&mut Self) -> Result<Vec<Value>, Abort>,
        out: &mut Vec<Value>,
    ) -> Result<Result<(), Value>, Abort> {
        let Some((g, rest)) = generators.split_first() else {
            out.extend(body(self)?);
            return Ok(Ok(()));
        };
        let seq = self.eval(&g.iter)?;
        let items = match self.iterate(seq, g.iter.range())? {
            Ok(items) => items,
            Err(u) => return Ok(Err(u)),
        };
        'items: for item in items {
            self.tick(g.range)?;
            self.assign(&g.target, item)?;
            for cond in &g.ifs {
                let c = self.eval(cond)?;
                match self.truthy(&c, cond.range())? {
                    Some(true) => {}
                    Some(false) => continue 'items,
                    None => {
                        return Ok(Err(self.unknown(
                            format!(
                                "comprehension filter `{}` depends on {}",
                                self.source(cond.range()),
                                describe_unknown(&c)
                            ),
                            cond.range(),
                        )));
                    }
                }
            }
            if let Err(u) = self.comprehension_level(rest, body, out)? {
                return Ok(Err(u));
            }
        }
        Ok(Ok(()))
    }

    fn boolop(&mut self, b: &ast::ExprBoolOp) -> Eval {
        let mut last = Value::None;
        for (i, e) in b.values.iter().enumerate() {
            let v = self.eval(e)?;
            if i + 1 == b.values.len() {
                return Ok(v);
            }
            match self.truthy(&v, e.range())? {
                Some(t) => {
                    let stop = match b.op {
                        ast::BoolOp::And => !t,
                        ast::BoolOp::Or => t,
                    };
                    if stop {
                        return Ok(v);
                    }
                }
                None => {
                    return Ok(self.unknown(
                        format!(
                            "`{}` depends on {}",
                            self.source(b.range),
                            describe_unknown(&v)
                        ),
                        b.range,
                    ));
                }
            }
            last = v;
        }
        Ok(last)
    }

    fn compare_chain(&mut self, c: &ast::ExprCompare) -> Eval {
        let mut left = self.eval(&c.left)?;
        let mut result = Value::Bool(true);
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let r = self.eval(right)?;
            let v = self.compare(*op, &left, &r, c.range)?;
            match self.truthy(&v, c.range)? {
                Some(true) => result = v,
                Some(false) => return Ok(v),
                None => {
                    if c.ops.len() == 1 {
                        return Ok(v);
                    }
                    return Ok(self.unknown(
                        format!(
                            "`{}` depends on {}",
                            self.source(c.range),
                            describe_unknown(&v)
                        ),
                        c.range,
                    ));
                }
            }
            left = r;
        }
        Ok(result)
    }

    fn make_lambda(&mut self, l: &ast::ExprLambda) -> Eval {
        let mut defaults = Vec::new();
        if let Some(p) = &l.parameters {
            for pd in p.iter_non_variadic_params() {
                if let Some(d) = &pd.default {
                    let v = self.eval(d)?;
                    defaults.push((pd.parameter.name.id.clone(), v));
                }
            }
        }
        Ok(Obj::Function(Arc::new(FuncObj {
            name: "<lambda>".into(),
            qualname: "<lambda>".into(),
            run: self.run,
            module: self.cur_module(),
            site: l.range,
            is_lambda: true,
            defaults,
            closure: self.capture(),
            owner: Default::default(),
            is_generator: false,
            kind: objects::FuncKind::Plain,
        }))
        .value())
    }

    /// The variables a function defined here can see from enclosing
    /// functions (class bodies are not enclosing scopes in Python).
    fn capture(&self) -> Option<Arc<HashMap<Name, Value>>> {
        let f = self.frames.last()?;
        match (&f.locals, f.order.is_some()) {
            (Some(l), false) => {
                let mut all = match &f.closure {
                    Some(c) => (**c).clone(),
                    None => HashMap::new(),
                };
                for (k, v) in l {
                    all.insert(k.clone(), v.clone());
                }
                Some(Arc::new(all))
            }
            _ => f.closure.clone(),
        }
    }

    // ----- truthiness and helpers shared by submodules -----

    /// Python's `bool(v)`; `None` when it cannot be known.
    pub(crate) fn truthy(&mut self, v: &Value, range: TextRange) -> Result<Option<bool>, Abort> {
        Ok(match v {
            Value::None => Some(false),
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::Float(f) => Some(*f != 0.0),
            Value::Str(s) => Some(!s.value.is_empty()),
            Value::Bytes(b) => Some(!b.is_empty()),
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => Some(!v.is_empty()),
            Value::Dict(kv) => Some(!kv.is_empty()),
            Value::Host(_) => Some(true),
            Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
                Some(Obj::Instance(i)) => {
                    if !matches!(i.class.lookup("__bool__"), objects::Lookup::Missing)
                        || !matches!(i.class.lookup("__len__"), objects::Lookup::Missing)
                    {
                        let _ = range;
                        None
                    } else {
                        Some(true)
                    }
                }
                // Enum members are true unless the class defines __bool__;
                // mixins do not change that.
                Some(Obj::EnumMember(_)) => Some(true),
                _ => Some(true),
            },
            Value::Unknown(u) if !u.alternatives.is_empty() => {
                // One of several values: known when all of them agree.
                let mut all = None;
                for a in &u.alternatives {
                    let t = self.truthy(a, range)?;
                    if t.is_none() || (all.is_some() && all != t) {
                        return Ok(None);
                    }
                    all = t;
                }
                all
            }
            Value::Symbol(_) | Value::Call(_) | Value::Unknown(_) => None,
        })
    }

    pub(crate) fn dedup(&mut self, items: Vec<Value>) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::with_capacity(items.len());
        for i in items {
            if !out.iter().any(|o| ops::py_eq(o, &i) == Some(true)) {
                out.push(i);
            }
        }
        out
    }

    pub(crate) fn dict_set(&mut self, d: &mut Vec<(Value, Value)>, k: Value, v: Value) {
        match d
            .iter_mut()
            .find(|(kk, _)| ops::py_eq(kk, &k) == Some(true))
        {
            Some(slot) => slot.1 = v,
            None => d.push((k, v)),
        }
    }

    // ----- syntactic op counting -----

    /// `op.*` calls in `suites`, through same-project helper functions
    /// they call (each counted once per call site, cycles cut).
    pub(crate) fn count_ops(&self, suites: &[&[Stmt]]) -> u32 {
        self.count_ops_depth(suites, self.cur_module(), &mut Vec::new())
    }

    fn count_ops_depth(
        &self,
        suites: &[&[Stmt]],
        module: usize,
        visiting: &mut Vec<TextRange>,
    ) -> u32 {
        let op_names: Vec<Name> = self.modules[module]
            .globals
            .iter()
            .filter(|(_, v)| v.as_symbol().is_some_and(|s| &*s.path == "alembic.op"))
            .map(|(k, _)| k.clone())
            .collect();
        let batch_names: Vec<Name> = self
            .frames
            .last()
            .and_then(|f| f.locals.as_ref())
            .map(|l| {
                l.iter()
                    .filter(|(_, v)| v.as_host().is_some_and(|h| h.kind == "batch_op"))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut count = 0u32;
        let mut called: Vec<Name> = Vec::new();
        crate::python::syntax::calls_in(
            suites,
            &crate::python::syntax::OpNames {
                op: &op_names,
                batch: &batch_names,
            },
            |shape| match shape {
                crate::python::syntax::CallShape::Operation => count += 1,
                crate::python::syntax::CallShape::Function(n) => called.push(n),
                crate::python::syntax::CallShape::Other => {}
            },
        );
        if visiting.len() < 8 {
            for name in called {
                let Some(Obj::Function(f)) = self.modules[module]
                    .globals
                    .get(&name)
                    .and_then(|v| v.object::<Obj>())
                else {
                    continue;
                };
                if f.run != self.run || f.is_lambda || visiting.contains(&f.site) {
                    continue;
                }
                let src = self.modules[f.module].src.clone();
                let Some(pm) = src.get() else { continue };
                let Some(def) = find_def(&pm.module.body, f.site) else {
                    continue;
                };
                visiting.push(f.site);
                count += self.count_ops_depth(&[&def.body], f.module, visiting);
                visiting.pop();
            }
        }
        count
    }

    /// Names that could change in skipped code become unknown.
    pub(crate) fn forget_changed(&mut self, suites: &[&[Stmt]], reason: &str, range: TextRange) {
        for name in self.may_change(suites) {
            let v = self.unknown(forgotten(reason), range);
            self.store(&name, v);
        }
    }

    /// The names code could change, as far as the reader can tell.
    pub(super) fn may_change(&self, suites: &[&[Stmt]]) -> Vec<Name> {
        let mut names = crate::python::syntax::changes_in(suites);
        // `sa.update(t)` and `table.update()` build statements: a call
        // named like a mutating method changes only containers and project
        // objects, never a module or a library value.
        names.retain(|(name, only_receiver)| {
            !(*only_receiver
                && self.peek(name).is_some_and(|v| {
                    matches!(v, Value::Symbol(_) | Value::Call(_) | Value::Host(_))
                        || matches!(
                            v.object::<Obj>(),
                            Some(Obj::Module(_) | Obj::Class(_) | Obj::Function(_))
                        )
                }))
        });
        names.into_iter().map(|(n, _)| n).collect()
    }
}

/// Why a name code may have changed is no longer known.
pub(super) fn forgotten(reason: &str) -> String {
    format!("may have been changed by code that was not run ({reason})")
}

/// Evaluates a file's module level only (definitions, constants), with
/// every library call kept symbolic: for readers of models or settings.
/// Returns the module's names and the diagnostics (a `raise` reached at
/// module level is one of them).
pub fn evaluate_module(
    module: &ParsedModule,
    cfg: &EvalConfig,
    project: Option<&ProjectModules>,
) -> (HashMap<String, Value>, Vec<Diagnostic>) {
    let mut host = crate::python::host::NullHost::default();
    let mut ev = Evaluator::new(cfg, project, &mut host);
    let result = ev.run_main(module);
    let mut diags = ev.take_diagnostics();
    let globals = match result {
        Ok(k) => ev
            .globals(k)
            .map(|(n, v)| (n.to_owned(), v.clone()))
            .collect(),
        Err(e) => {
            let (msg, loc) = match &e {
                Abort::Raise(x) => (
                    format!("importing the module raises {}", x.describe()),
                    x.loc.clone(),
                ),
                Abort::Budget { loc } => {
                    ("evaluation step budget exhausted".to_owned(), loc.clone())
                }
                Abort::Halt => (
                    "evaluation stopped".to_owned(),
                    Loc::new(&module.file, crate::source::Span::new(0, 0)),
                ),
            };
            diags.push(Diagnostic::error("python::module", msg).with_label(loc, "here"));
            HashMap::new()
        }
    };
    (globals, diags)
}

/// Globals every module starts with.
fn initial_globals(m: &ParsedModule, name: &str, package: Option<&str>) -> HashMap<Name, Value> {
    let mut g = HashMap::new();
    g.insert(Name::new_static("__name__"), Value::str(name));
    g.insert(
        Name::new_static("__file__"),
        Value::str(m.file.path.to_string_lossy().as_ref()),
    );
    let doc = stmt::docstring(&m.module.body)
        .as_deref()
        .map(Value::str)
        .unwrap_or(Value::None);
    g.insert(Name::new_static("__doc__"), doc);
    if let Some(p) = package {
        if p == name
            && let Some(dir) = m.file.path.parent()
        {
            // A package's `__path__`: the folder of its `__init__.py`.
            g.insert(
                Name::new_static("__path__"),
                Value::List(vec![Value::str(dir.to_string_lossy().as_ref())]),
            );
        }
        g.insert(Name::new_static("__package__"), Value::str(p));
        g.insert(
            Name::new_static("__spec__"),
            Value::unknown(
                "`__spec__` (the import machinery's record of the module) is not modelled",
                crate::source::Loc::new(&m.file, crate::source::Span::new(0, 0)),
            ),
        );
    }
    g
}

/// A module name for a migration file: its stem, as Alembic's loader uses.
fn module_name_for(file_name: &str) -> String {
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Names bound by an assignment target.
pub(crate) fn target_names(e: &Expr) -> Vec<Name> {
    match e {
        Expr::Name(n) => vec![n.id.clone()],
        Expr::Tuple(t) => t.elts.iter().flat_map(target_names).collect(),
        Expr::List(l) => l.elts.iter().flat_map(target_names).collect(),
        Expr::Starred(s) => target_names(&s.value),
        _ => Vec::new(),
    }
}

/// Finds the `def` statement whose range is `site`.
pub(crate) fn find_def(body: &[Stmt], site: TextRange) -> Option<&ast::StmtFunctionDef> {
    let mut suite = body;
    loop {
        let i = suite.partition_point(|s| s.range().end() <= site.start());
        let stmt = suite.get(i)?;
        if !stmt.range().contains_range(site) {
            return None;
        }
        if stmt.range() == site {
            return match stmt {
                Stmt::FunctionDef(f) => Some(f),
                _ => None,
            };
        }
        suite = crate::python::project::sub_suites(stmt)
            .into_iter()
            .find(|s| {
                s.first().is_some_and(|f| f.range().start() <= site.start())
                    && s.last().is_some_and(|l| l.range().end() >= site.end())
            })?;
    }
}

/// Finds the `lambda` expression whose range is `site`.
pub(crate) fn find_lambda(body: &[Stmt], site: TextRange) -> Option<&ast::ExprLambda> {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Find<'a> {
        site: TextRange,
        found: Option<&'a ast::ExprLambda>,
        depth: u32,
    }
    impl<'a> Visitor<'a> for Find<'a> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if self.found.is_none() && s.range().contains_range(self.site) && self.depth < 400 {
                self.depth += 1;
                walk_stmt(self, s);
                self.depth -= 1;
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found.is_some() || !e.range().contains_range(self.site) || self.depth >= 400 {
                return;
            }
            if let Expr::Lambda(l) = e
                && l.range == self.site
            {
                self.found = Some(l);
                return;
            }
            self.depth += 1;
            walk_expr(self, e);
            self.depth -= 1;
        }
    }
    let mut f = Find {
        site,
        found: None,
        depth: 0,
    };
    f.visit_body(body);
    f.found
}

/// A short text for a call, for messages: `sqlalchemy.func.now(...)`.
pub fn describe_call(c: &Call) -> String {
    match &c.callee {
        Callee::Symbol(s) => format!("{}(...)", s.path),
        Callee::Method { receiver, name } => match receiver {
            Value::Call(r) => format!("{}.{name}(...)", describe_call(r)),
            Value::Symbol(s) => format!("{}.{name}(...)", s.path),
            other => format!("<{}>.{name}(...)", other.type_name()),
        },
    }
}

/// Why a value is not known, for messages.
pub fn describe_unknown(v: &Value) -> String {
    match v {
        Value::Unknown(u) => u.reason.clone(),
        Value::Symbol(s) => format!(
            "`{}`, a value from outside the project that is not known statically",
            s.path
        ),
        Value::Call(c) => {
            if let Some(u) = v.find_unknown() {
                return u.reason.clone();
            }
            if let Some(s) = first_symbol_value(c) {
                return format!(
                    "`{s}`, a value from outside the project that is not known statically"
                );
            }
            format!(
                "the result of `{}`, which is not known statically",
                describe_call(c)
            )
        }
        other => format!("a `{}` value", other.type_name()),
    }
}

/// For operator calls, the library value they compare (`settings.x == 1`).
fn first_symbol_value(c: &Call) -> Option<String> {
    let is_operator = matches!(&c.callee, Callee::Symbol(s) if s.path.starts_with("operator.") || &*s.path == "builtins.getattr");
    if !is_operator {
        return None;
    }
    c.args.iter().find_map(|a| match a {
        Value::Symbol(s) => Some(s.path.to_string()),
        Value::Call(inner) => first_symbol_value(inner).or_else(|| Some(describe_call(inner))),
        _ => None,
    })
}

/// Python's built-in names (for telling a typo from a library name).
fn is_builtin_name(n: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "abs",
        "aiter",
        "all",
        "anext",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
        "__import__",
        "__build_class__",
        "__debug__",
        "NotImplemented",
        "Ellipsis",
        "BaseException",
        "BaseExceptionGroup",
        "Exception",
        "ExceptionGroup",
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "BlockingIOError",
        "BrokenPipeError",
        "BufferError",
        "BytesWarning",
        "ChildProcessError",
        "ConnectionAbortedError",
        "ConnectionError",
        "ConnectionRefusedError",
        "ConnectionResetError",
        "DeprecationWarning",
        "EOFError",
        "EncodingWarning",
        "EnvironmentError",
        "FileExistsError",
        "FileNotFoundError",
        "FloatingPointError",
        "FutureWarning",
        "GeneratorExit",
        "IOError",
        "ImportError",
        "ImportWarning",
        "IndentationError",
        "IndexError",
        "InterruptedError",
        "IsADirectoryError",
        "KeyError",
        "KeyboardInterrupt",
        "LookupError",
        "MemoryError",
        "ModuleNotFoundError",
        "NameError",
        "NotADirectoryError",
        "NotImplementedError",
        "OSError",
        "OverflowError",
        "PendingDeprecationWarning",
        "PermissionError",
        "ProcessLookupError",
        "RecursionError",
        "ReferenceError",
        "ResourceWarning",
        "RuntimeError",
        "RuntimeWarning",
        "StopAsyncIteration",
        "StopIteration",
        "SyntaxError",
        "SyntaxWarning",
        "SystemError",
        "SystemExit",
        "TabError",
        "TimeoutError",
        "TypeError",
        "UnboundLocalError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "UnicodeError",
        "UnicodeTranslateError",
        "UnicodeWarning",
        "UserWarning",
        "ValueError",
        "Warning",
        "ZeroDivisionError",
    ];
    BUILTINS.contains(&n)
}

#[cfg(test)]
mod tests;
