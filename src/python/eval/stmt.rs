//! Statements.

use std::sync::Arc;

use ruff_python_ast::name::Name;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::objects::{ClassKind, ClassObj, EnumMember, FuncKind, FuncObj, Obj, lock};
use super::speculate::PathEnds;
use super::{Abort, Eval, Evaluator, Exec, Flow, describe_unknown};
use crate::python::host::{PyException, Speculated};
use crate::python::project::{resolve_relative, sub_suites};
use crate::python::value::{Callee, Value};
use crate::report::Diagnostic;

/// How [`Evaluator::skip_block`] treats code it cannot run.
#[derive(Clone, Copy)]
pub(crate) enum Skip<'a> {
    /// One opaque step.
    Opaque,
    /// Run every path once to see whether it only touches rows; the loop
    /// target, if any, is unknown on each.
    Speculate(Option<&'a Expr>),
    /// The paths of an `if` on an unknown value, run as `Speculate` does
    /// but from the state before them (no value is carried from one run to
    /// the next); a name they set is then one of the values it has where
    /// the paths end. `falls_through`: no `else`, so the code may also be
    /// passed over.
    Branch { falls_through: bool },
}

impl Evaluator<'_> {
    pub(crate) fn exec_body(&mut self, body: &[Stmt]) -> Exec {
        for s in body {
            match self.exec(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, s: &Stmt) -> Exec {
        self.tick(s.range())?;
        if self.depth >= super::MAX_EVAL_DEPTH {
            let loc = self.loc(s.range());
            self.opaque(
                "statement nested too deeply to evaluate".into(),
                loc,
                self.count_ops(&[std::slice::from_ref(s)]),
            );
            return Ok(Flow::Normal);
        }
        self.depth += 1;
        let r = self.exec_inner(s);
        self.depth -= 1;
        r
    }

    fn exec_inner(&mut self, s: &Stmt) -> Exec {
        match s {
            Stmt::Expr(e) => {
                match &*e.value {
                    Expr::Call(c) => {
                        self.eval_call(c, true)?;
                    }
                    other => {
                        self.eval(other)?;
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::Assign(a) => {
                let v = self.eval(&a.value)?;
                for t in &a.targets {
                    self.assign(t, v.clone())?;
                }
                Ok(Flow::Normal)
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let v = self.eval(value)?;
                    self.assign(&a.target, v)?;
                }
                Ok(Flow::Normal)
            }
            Stmt::AugAssign(a) => {
                let current = self.eval(&a.target)?;
                let rhs = self.eval(&a.value)?;
                let v = self.augmented(a.op, current, rhs, a.range)?;
                self.assign(&a.target, v)?;
                Ok(Flow::Normal)
            }
            Stmt::Assert(a) => self.exec_assert(a),
            Stmt::Pass(_) | Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => Ok(Flow::Normal),
            Stmt::Break(_) => Ok(Flow::Break),
            Stmt::Continue(_) => Ok(Flow::Continue),
            Stmt::Return(r) => {
                let v = match &r.value {
                    Some(v) => self.eval(v)?,
                    None => Value::None,
                };
                Ok(Flow::Return(v))
            }
            Stmt::Global(g) => {
                if let Some(f) = self.frames.last_mut() {
                    f.globals_decl.extend(g.names.iter().map(|n| n.id.clone()));
                }
                Ok(Flow::Normal)
            }
            Stmt::Nonlocal(_) => Ok(Flow::Normal),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t)?;
                }
                Ok(Flow::Normal)
            }
            Stmt::If(i) => self.exec_if(i),
            Stmt::For(f) => self.exec_for(f),
            Stmt::While(w) => self.exec_while(w),
            Stmt::With(w) => self.exec_with(w, 0),
            Stmt::Try(t) => self.exec_try(t),
            // A function that may already have returned in code that was
            // not run may not get here: its outcome is unknown, not this
            // exception.
            Stmt::Raise(_) if self.maybe_returned.last().is_some_and(Option::is_some) => {
                Ok(Flow::Return(Value::None))
            }
            Stmt::Raise(r) => Err(self.exec_raise(r)?),
            Stmt::Import(i) => {
                for a in &i.names {
                    let dotted = a.name.as_str();
                    match &a.asname {
                        Some(alias) => {
                            let v = self.import_module(dotted, a.range)?;
                            self.store(&alias.id, v);
                        }
                        None => {
                            let v = self.import_module(dotted, a.range)?;
                            let top = dotted.split('.').next().unwrap_or(dotted);
                            let top_v = if top == dotted {
                                v
                            } else {
                                self.import_module(top, a.range)?
                            };
                            self.store(&Name::new(top), top_v);
                        }
                    }
                }
                Ok(Flow::Normal)
            }
            Stmt::ImportFrom(i) => self.exec_import_from(i),
            Stmt::FunctionDef(f) => {
                let v = self.define_function(f)?;
                self.store(&f.name.id, v);
                Ok(Flow::Normal)
            }
            Stmt::ClassDef(c) => {
                let v = self.define_class(c)?;
                self.store(&c.name.id, v);
                Ok(Flow::Normal)
            }
            Stmt::Match(m) => {
                let suites: Vec<&[Stmt]> = m.cases.iter().map(|c| &c.body[..]).collect();
                self.skip_block(
                    &suites,
                    Skip::Opaque,
                    "`match` statements are not modelled".into(),
                    m.range,
                )?;
                Ok(Flow::Normal)
            }
        }
    }

    /// Code that cannot be run, since whether or how often it runs is not
    /// known: the names it could change become unknown, and it is one
    /// opaque step, unless every path through it only reads or writes rows
    /// (see `speculate`). `Speculate(target)`: a loop's target, if any.
    pub(crate) fn skip_block(
        &mut self,
        suites: &[&[Stmt]],
        how: Skip<'_>,
        reason: String,
        range: TextRange,
    ) -> Result<(), Abort> {
        let hidden = self.count_ops(suites);
        // What to run once (the loop target, if any), and for an `if`
        // whether it may be passed over.
        let (speculate, branch) = match how {
            Skip::Opaque => (None, None),
            Skip::Speculate(target) => (Some(target), None),
            Skip::Branch { falls_through } => (Some(None), Some(falls_through)),
        };
        if branch.is_none() {
            self.forget_changed(suites, &reason, range);
        }
        if contains_return(suites)
            && let Some(slot) = self.maybe_returned.last_mut()
            && slot.is_none()
        {
            *slot = Some(reason.clone());
        }
        if contains_break(suites)
            && let Some(slot) = self.maybe_broke.last_mut()
            && slot.is_none()
        {
            *slot = Some(reason.clone());
        }
        if !(self.host.is_migration() && (!self.in_import() || hidden > 0)) {
            if branch.is_some() {
                self.forget_changed(suites, &reason, range);
            }
            return Ok(());
        }
        let mut reason = reason;
        if let Some(target) = speculate {
            let mut ends = PathEnds::default();
            if branch.is_some() {
                ends.names = self.may_change(suites);
            }
            match self.speculate(suites, target, hidden, &mut ends)? {
                Speculated::Kept => {
                    if let Some(falls_through) = branch {
                        self.join_changed(ends, falls_through, &reason, range);
                    }
                    return Ok(());
                }
                Speculated::Dropped(Some(why)) => {
                    let with = if branch.is_some() {
                        "run once"
                    } else {
                        "run once with those values unknown"
                    };
                    reason = format!("{reason}; {with}, it {why}");
                }
                Speculated::Dropped(None) => {}
            }
        }
        if branch.is_some() {
            self.forget_changed(suites, &reason, range);
        }
        let loc = self.loc(range);
        self.opaque(reason, loc, hidden);
        Ok(())
    }

    fn condition_reason(&self, test: &Expr, v: &Value) -> String {
        let src = self.source(test.range());
        format!(
            "condition `{}` is not known statically: {}",
            squash(src),
            describe_unknown(v)
        )
    }

    fn exec_if(&mut self, i: &ast::StmtIf) -> Exec {
        let test = self.eval(&i.test)?;
        match self.truthy(&test, i.test.range())? {
            Some(true) => return self.exec_body(&i.body),
            Some(false) => {}
            None => {
                let mut suites: Vec<&[Stmt]> = vec![&i.body];
                suites.extend(i.elif_else_clauses.iter().map(|c| &c.body[..]));
                let reason = self.condition_reason(&i.test, &test);
                let falls_through = i.elif_else_clauses.last().is_none_or(|c| c.test.is_some());
                self.skip_block(&suites, Skip::Branch { falls_through }, reason, i.range)?;
                return Ok(Flow::Normal);
            }
        }
        for (n, clause) in i.elif_else_clauses.iter().enumerate() {
            let Some(t) = &clause.test else {
                return self.exec_body(&clause.body);
            };
            let v = self.eval(t)?;
            match self.truthy(&v, t.range())? {
                Some(true) => return self.exec_body(&clause.body),
                Some(false) => {}
                None => {
                    let suites: Vec<&[Stmt]> = i.elif_else_clauses[n..]
                        .iter()
                        .map(|c| &c.body[..])
                        .collect();
                    let reason = self.condition_reason(t, &v);
                    let range = TextRange::new(clause.range.start(), i.range.end());
                    let falls_through = i.elif_else_clauses.last().is_none_or(|c| c.test.is_some());
                    self.skip_block(&suites, Skip::Branch { falls_through }, reason, range)?;
                    return Ok(Flow::Normal);
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_for(&mut self, f: &ast::StmtFor) -> Exec {
        let seq = self.eval(&f.iter)?;
        let items = match self.iterate(seq, f.iter.range())? {
            Ok(items) => items,
            Err(u) => {
                let reason = format!(
                    "loop over `{}` is not known statically: {}",
                    squash(self.source(f.iter.range())),
                    describe_unknown(&u)
                );
                self.skip_block(
                    &[&f.body, &f.orelse],
                    Skip::Speculate(Some(&f.target)),
                    reason,
                    f.range,
                )?;
                return Ok(Flow::Normal);
            }
        };
        let loc = self.loc(f.range);
        self.active.push(loc);
        self.maybe_broke.push(None);
        let r = (|| {
            for item in items {
                self.assign(&f.target, item)?;
                match self.exec_body(&f.body)? {
                    Flow::Break => return Ok(Flow::Normal),
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Continue | Flow::Normal => {}
                }
                if self.loop_may_have_ended(&[&f.body, &f.orelse], Some(&f.target), f.range)? {
                    return Ok(Flow::Normal);
                }
            }
            self.exec_body(&f.orelse)
        })();
        self.maybe_broke.pop();
        self.active.pop();
        r
    }

    /// After an iteration: if a `break` may have run in code that was not
    /// run, the loop's further iterations (and its `else`) are not known;
    /// they are skipped as one opaque step.
    fn loop_may_have_ended(
        &mut self,
        suites: &[&[Stmt]],
        target: Option<&Expr>,
        range: TextRange,
    ) -> Result<bool, Abort> {
        let Some(why) = self.maybe_broke.last_mut().and_then(Option::take) else {
            return Ok(false);
        };
        let reason = format!("the loop may have ended at a `break` that was not run ({why})");
        self.skip_block(suites, Skip::Speculate(target), reason, range)?;
        Ok(true)
    }

    fn exec_while(&mut self, w: &ast::StmtWhile) -> Exec {
        let loc = self.loc(w.range);
        self.active.push(loc);
        self.maybe_broke.push(None);
        let r = (|| {
            loop {
                let test = self.eval(&w.test)?;
                match self.truthy(&test, w.test.range())? {
                    Some(true) => {}
                    Some(false) => return self.exec_body(&w.orelse),
                    None => {
                        let reason = self.condition_reason(&w.test, &test);
                        self.skip_block(
                            &[&w.body, &w.orelse],
                            Skip::Speculate(None),
                            reason,
                            w.range,
                        )?;
                        return Ok(Flow::Normal);
                    }
                }
                match self.exec_body(&w.body)? {
                    Flow::Break => return Ok(Flow::Normal),
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    Flow::Continue | Flow::Normal => {}
                }
                if self.loop_may_have_ended(&[&w.body, &w.orelse], None, w.range)? {
                    return Ok(Flow::Normal);
                }
            }
        })();
        self.maybe_broke.pop();
        self.active.pop();
        r
    }

    fn exec_with(&mut self, w: &ast::StmtWith, item: usize) -> Exec {
        let Some(it) = w.items.get(item) else {
            return self.exec_body(&w.body);
        };
        let ctx = self.eval(&it.context_expr)?;
        let loc = self.loc(it.context_expr.range());
        let (entered, host) = match &ctx {
            Value::Host(h) => (self.host.enter(h, &loc)?, Some(h.clone())),
            Value::Unknown(_) => (ctx.clone(), None),
            Value::Object(_) => (
                self.unknown(
                    format!(
                        "entering `{}` (a project context manager) is not modelled",
                        squash(self.source(it.context_expr.range()))
                    ),
                    it.context_expr.range(),
                ),
                None,
            ),
            other => (
                self.unknown(
                    format!(
                        "the value of `with {}` is not known statically: {}",
                        squash(self.source(it.context_expr.range())),
                        describe_unknown(other)
                    ),
                    it.context_expr.range(),
                ),
                None,
            ),
        };
        if let Some(target) = &it.optional_vars {
            self.assign(target, entered)?;
        }
        let r = self.exec_with(w, item + 1);
        if let Some(h) = host {
            let raised = matches!(r, Err(Abort::Raise(_)));
            if matches!(r, Ok(_) | Err(Abort::Raise(_))) {
                self.host.exit(&h, &loc, raised)?;
            }
        }
        r
    }

    fn exec_try(&mut self, t: &ast::StmtTry) -> Exec {
        let mut r = self.exec_body(&t.body);
        if let Err(Abort::Raise(exc)) = &r {
            let exc = (**exc).clone();
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                let matched = match &h.type_ {
                    None => Some(true),
                    Some(ty) => {
                        let class = self.eval(ty)?;
                        self.exception_matches(&exc, &class)
                    }
                };
                match matched {
                    Some(true) => {
                        if let Some(name) = &h.name {
                            self.store(&name.id, exc.value.clone());
                        }
                        self.handling.push(exc.clone());
                        r = self.exec_body(&h.body);
                        self.handling.pop();
                        if let Some(name) = &h.name {
                            let _ = self.delete(&name.id, h.range);
                        }
                        break;
                    }
                    Some(false) => {}
                    None => {
                        let loc = self.loc(h.range);
                        let ty = h
                            .type_
                            .as_ref()
                            .map(|t| squash(self.source(t.range())))
                            .unwrap_or_default();
                        self.diag(
                            Diagnostic::warning(
                                "python::undecided-except",
                                format!(
                                    "cannot decide whether `except {ty}` catches {}; treating it as not caught",
                                    exc.describe()
                                ),
                            )
                            .with_label(loc, "this handler")
                            .with_label(exc.loc.clone(), "raised here"),
                        );
                    }
                }
            }
        } else if let Ok(Flow::Normal) = r {
            r = self.exec_body(&t.orelse);
        }
        if matches!(r, Ok(_) | Err(Abort::Raise(_))) && !t.finalbody.is_empty() {
            match self.exec_body(&t.finalbody)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        r
    }

    /// Python runs asserts (nobody runs Alembic with `-O`), and their test
    /// may bind names: `assert (lower := value.lower()) in (...)`. A known
    /// false test raises; an unknown one goes on, as an unknown `if` whose
    /// branch only raises would.
    fn exec_assert(&mut self, a: &ast::StmtAssert) -> Exec {
        let test = self.eval(&a.test)?;
        if self.truthy(&test, a.test.range())? != Some(false) {
            return Ok(Flow::Normal);
        }
        if self.maybe_returned.last().is_some_and(Option::is_some) {
            return Ok(Flow::Return(Value::None));
        }
        let message = match &a.msg {
            Some(m) => {
                let v = self.eval(m)?;
                super::strings::py_str(&v).unwrap_or_default()
            }
            None => String::new(),
        };
        Err(self.raise("AssertionError", message, a.range))
    }

    fn exec_raise(&mut self, r: &ast::StmtRaise) -> Result<Abort, Abort> {
        let loc = self.loc(r.range);
        let Some(exc) = &r.exc else {
            return Ok(match self.handling.last() {
                Some(e) => Abort::raise(e.clone()),
                None => self.raise("RuntimeError", "No active exception to reraise", r.range),
            });
        };
        let v = self.eval(exc)?;
        Ok(Abort::raise(self.exception_from(v, loc)))
    }

    /// The exception a `raise v` raises.
    pub(crate) fn exception_from(&mut self, v: Value, loc: crate::source::Loc) -> PyException {
        let message_of = |args: &[Value]| -> Option<String> {
            match args {
                [] => Some(String::new()),
                [one] => super::strings::py_str(one).ok(),
                many => super::strings::py_repr(&Value::Tuple(many.to_vec())).ok(),
            }
        };
        match &v {
            Value::Symbol(_) => PyException {
                class: v.clone(),
                value: v.clone(),
                message: None,
                loc,
            },
            Value::Call(c) => match c.symbol() {
                Some(s) => PyException {
                    class: Value::Symbol(s.clone()),
                    value: v.clone(),
                    message: message_of(&c.args),
                    loc,
                },
                None => PyException {
                    class: Value::unknown("exception class not known", loc.clone()),
                    value: v.clone(),
                    message: None,
                    loc,
                },
            },
            Value::Object(o) => match o.as_any().downcast_ref::<Obj>() {
                Some(Obj::Class(c)) => PyException {
                    class: v.clone(),
                    value: v.clone(),
                    message: None,
                    loc: {
                        let _ = c;
                        loc
                    },
                },
                Some(Obj::Instance(i)) => {
                    let args = match i.get("args") {
                        Some(Value::Tuple(a)) => a,
                        _ => Vec::new(),
                    };
                    PyException {
                        class: Obj::Class(Arc::clone(&i.class)).value(),
                        value: v.clone(),
                        message: message_of(&args),
                        loc,
                    }
                }
                _ => PyException::builtin(
                    "TypeError",
                    "exceptions must derive from BaseException",
                    loc,
                ),
            },
            Value::Unknown(u) => PyException {
                class: v.clone(),
                value: v.clone(),
                message: Some(format!("(exception not known statically: {})", u.reason)),
                loc,
            },
            _ => PyException::builtin(
                "TypeError",
                "exceptions must derive from BaseException",
                loc,
            ),
        }
    }

    fn exec_import_from(&mut self, i: &ast::StmtImportFrom) -> Exec {
        let module = i.module.as_ref().map(|m| m.as_str());
        let base = if i.level == 0 {
            module.unwrap_or("").to_owned()
        } else {
            let package = self.modules[self.cur_module()].package.clone();
            let Some(package) = package else {
                return Err(self.raise(
                    "ImportError",
                    "attempted relative import with no known parent package",
                    i.range,
                ));
            };
            match resolve_relative(&package, i.level, module) {
                Some(b) => b,
                None => {
                    return Err(self.raise(
                        "ImportError",
                        "attempted relative import beyond top-level package",
                        i.range,
                    ));
                }
            }
        };
        for a in &i.names {
            if a.name.as_str() == "*" {
                self.star_import(&base, a.range)?;
                continue;
            }
            let v = self.import_from(&base, a.name.as_str(), a.range)?;
            let bound = a.asname.as_ref().unwrap_or(&a.name);
            self.store(&bound.id, v);
        }
        Ok(Flow::Normal)
    }

    fn star_import(&mut self, base: &str, range: TextRange) -> Result<(), Abort> {
        let module = self.import_module(base, range)?;
        match module.object::<Obj>() {
            Some(Obj::Module(m)) => {
                let key = m.key;
                let all: Option<Vec<String>> = match self.modules[key].globals.get("__all__") {
                    Some(Value::List(v)) | Some(Value::Tuple(v)) => Some(
                        v.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                };
                let names: Vec<(Name, Value)> = self.modules[key]
                    .globals
                    .iter()
                    .filter(|(k, _)| match &all {
                        Some(all) => all.iter().any(|a| a == k.as_str()),
                        None => !k.starts_with('_'),
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let open = self.modules[key].open_namespace
                    || !self.modules[key].star_libraries.is_empty();
                let libs = self.modules[key].star_libraries.clone();
                for (k, v) in names {
                    self.store(&k, v);
                }
                let cur = self.cur_module();
                self.modules[cur].open_namespace |= open;
                self.modules[cur].star_libraries.extend(libs);
            }
            _ => match module {
                Value::Symbol(s) => {
                    let cur = self.cur_module();
                    self.modules[cur].star_libraries.push(s.path.to_string());
                }
                _ => {
                    let cur = self.cur_module();
                    self.modules[cur].open_namespace = true;
                }
            },
        }
        Ok(())
    }

    // ----- assignment -----

    pub(crate) fn assign(&mut self, target: &Expr, v: Value) -> Result<(), Abort> {
        match target {
            Expr::Name(n) => {
                self.store(&n.id, v);
                Ok(())
            }
            Expr::Tuple(t) => self.unpack(&t.elts, v, t.range),
            Expr::List(l) => self.unpack(&l.elts, v, l.range),
            Expr::Starred(s) => self.assign(&s.value, v),
            Expr::Attribute(a) => {
                let base = self.eval(&a.value)?;
                self.set_attr(base, a.attr.as_str(), v, a.range)
            }
            Expr::Subscript(s) => {
                let key = if let Expr::Slice(_) = &*s.slice {
                    // Slice assignment: forget the container.
                    let u = self.unknown("slice assignment is not modelled", s.range);
                    return self.assign(&s.value, u);
                } else {
                    self.eval(&s.slice)?
                };
                self.setitem_place(&s.value, key, v, s.range)
            }
            other => Err(self.raise("SyntaxError", "cannot assign to expression", other.range())),
        }
    }

    fn unpack(&mut self, targets: &[Expr], v: Value, range: TextRange) -> Result<(), Abort> {
        let items = match self.iterate(v, range)? {
            Ok(items) => items,
            Err(u) => {
                for t in targets {
                    self.assign(t, u.clone())?;
                }
                return Ok(());
            }
        };
        let star = targets.iter().position(|t| matches!(t, Expr::Starred(_)));
        match star {
            None => {
                if items.len() != targets.len() {
                    let msg = if items.len() > targets.len() {
                        format!("too many values to unpack (expected {})", targets.len())
                    } else {
                        format!(
                            "not enough values to unpack (expected {}, got {})",
                            targets.len(),
                            items.len()
                        )
                    };
                    return Err(self.raise("ValueError", msg, range));
                }
                for (t, item) in targets.iter().zip(items) {
                    self.assign(t, item)?;
                }
            }
            Some(si) => {
                let after = targets.len() - si - 1;
                if items.len() < si + after {
                    return Err(self.raise(
                        "ValueError",
                        format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            si + after,
                            items.len()
                        ),
                        range,
                    ));
                }
                let mut items = items;
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(si);
                for (t, item) in targets[..si].iter().zip(items) {
                    self.assign(t, item)?;
                }
                self.assign(&targets[si], Value::List(middle))?;
                for (t, item) in targets[si + 1..].iter().zip(tail) {
                    self.assign(t, item)?;
                }
            }
        }
        Ok(())
    }

    fn delete_target(&mut self, t: &Expr) -> Result<(), Abort> {
        match t {
            Expr::Name(n) => self.delete(&n.id, n.range),
            Expr::Tuple(tt) => {
                for e in &tt.elts {
                    self.delete_target(e)?;
                }
                Ok(())
            }
            Expr::Subscript(s) => {
                let key = self.eval(&s.slice)?;
                let range = s.range;
                self.mutate_place(&s.value, &mut |ev, container| {
                    ev.delitem(container, &key, range).map(|_| Value::None)
                })?;
                Ok(())
            }
            Expr::Attribute(a) => {
                let base = self.eval(&a.value)?;
                self.journal_attrs(&base);
                if let Some(Obj::Instance(i)) = base.object::<Obj>() {
                    lock(&i.attrs).retain(|(k, _)| k.as_str() != a.attr.as_str());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `container[key] = v` where `container` is a place (a variable or an
    /// item of one), changed in place.
    fn setitem_place(
        &mut self,
        container: &Expr,
        key: Value,
        v: Value,
        range: TextRange,
    ) -> Result<(), Abort> {
        let mut v = Some(v);
        let r = self.mutate_place(container, &mut |ev, c| {
            let v = v.take().unwrap_or(Value::None);
            ev.setitem(c, key.clone(), v, range).map(|_| Value::None)
        })?;
        if r.is_none() {
            // Not a place the reader tracks (an item of a library object):
            // evaluate it for its errors; the change itself is not tracked.
            self.eval(container)?;
        }
        Ok(())
    }

    /// Runs `f` on the value a place expression denotes, in place.
    /// `Ok(None)` when the expression is not a trackable place.
    pub(crate) fn mutate_place(
        &mut self,
        place: &Expr,
        f: &mut dyn FnMut(&mut Self, &mut Value) -> Eval,
    ) -> Result<Option<Value>, Abort> {
        match place {
            Expr::Name(n) => {
                // Take the value out so `f` can use the evaluator freely.
                let Some(mut taken) =
                    self.with_var_mut(n.id.as_str(), |slot| std::mem::replace(slot, Value::None))
                else {
                    return Ok(None);
                };
                let r = f(self, &mut taken);
                self.with_var_mut(n.id.as_str(), |slot| *slot = taken);
                r.map(Some)
            }
            Expr::Subscript(s) if !matches!(&*s.slice, Expr::Slice(_)) => {
                let key = self.eval(&s.slice)?;
                let range = s.range;
                let mut applied = false;
                let mut inner = |ev: &mut Self, container: &mut Value| -> Eval {
                    let Some(item) = ev.item_mut(container, &key, range)? else {
                        return Ok(Value::None);
                    };
                    let mut taken = std::mem::replace(item, Value::None);
                    let r = f(ev, &mut taken);
                    if let Some(item) = ev.item_mut(container, &key, range)? {
                        *item = taken;
                    }
                    applied = true;
                    r
                };
                let r = self.mutate_place(&s.value, &mut inner)?;
                Ok(r.filter(|_| applied))
            }
            Expr::Attribute(a) => {
                let base = self.eval(&a.value)?;
                self.journal_attrs(&base);
                let attrs = match base.object::<Obj>() {
                    Some(Obj::Instance(i)) => &i.attrs,
                    Some(Obj::Class(c)) => &c.attrs,
                    _ => return Ok(None),
                };
                let taken = {
                    let mut attrs = lock(attrs);
                    attrs
                        .iter_mut()
                        .find(|(k, _)| k.as_str() == a.attr.as_str())
                        .map(|(_, v)| std::mem::replace(v, Value::None))
                };
                let Some(mut taken) = taken else {
                    return Ok(None);
                };
                let r = f(self, &mut taken);
                let mut attrs = lock(attrs);
                if let Some(slot) = attrs
                    .iter_mut()
                    .find(|(k, _)| k.as_str() == a.attr.as_str())
                {
                    slot.1 = taken;
                }
                r.map(Some)
            }
            _ => Ok(None),
        }
    }

    // ----- definitions -----

    fn define_function(&mut self, f: &ast::StmtFunctionDef) -> Eval {
        let mut defaults = Vec::new();
        for p in f.parameters.iter_non_variadic_params() {
            if let Some(d) = &p.default {
                let v = self.eval(d)?;
                defaults.push((p.parameter.name.id.clone(), v));
            }
        }
        let qualname = match self.frames.last().and_then(|fr| fr.order.as_ref()) {
            Some(_) => f.name.to_string(),
            None => f.name.to_string(),
        };
        let mut kind = FuncKind::Plain;
        let mut wrapped_by: Option<String> = None;
        for d in f.decorator_list.iter().rev() {
            let dv = self.eval(&d.expression)?;
            let path = match &dv {
                Value::Symbol(s) => Some(s.path.to_string()),
                Value::Call(c) => c.symbol().map(|s| s.path.to_string()),
                _ => None,
            };
            match path.as_deref() {
                Some("builtins.staticmethod") => kind = FuncKind::StaticMethod,
                Some("builtins.classmethod") => kind = FuncKind::ClassMethod,
                Some("builtins.property") => kind = FuncKind::Property,
                Some(p)
                    if TRANSPARENT_DECORATORS
                        .iter()
                        .any(|t| p == *t || p.ends_with(&format!(".{t}"))) => {}
                Some(p)
                    if p.ends_with(".setter")
                        || p.ends_with(".getter")
                        || p.ends_with(".deleter") => {}
                Some(p) => wrapped_by = Some(p.to_owned()),
                None => wrapped_by = Some(squash(self.source(d.expression.range()))),
            }
        }
        if let Some(w) = wrapped_by {
            return Ok(self.unknown(
                format!(
                    "function `{}` is wrapped by decorator `{w}`, which is not modelled",
                    f.name
                ),
                f.range,
            ));
        }
        Ok(Obj::Function(Arc::new(FuncObj {
            name: f.name.to_string(),
            qualname,
            run: self.run,
            module: self.cur_module(),
            site: f.range,
            is_lambda: false,
            defaults,
            closure: self.capture(),
            owner: Default::default(),
            is_generator: contains_yield(&f.body),
            kind,
        }))
        .value())
    }

    fn define_class(&mut self, c: &ast::StmtClassDef) -> Eval {
        // Decorator expressions run first, and apply (innermost first) to
        // the class once it exists.
        let mut decorators = Vec::with_capacity(c.decorator_list.len());
        for d in &c.decorator_list {
            decorators.push((self.eval(&d.expression)?, d.expression.range()));
        }
        let dataclass = decorators
            .iter()
            .any(|(d, _)| decorator_path(d).is_some_and(|p| p == "dataclasses.dataclass"));
        let mut bases = Vec::new();
        if let Some(args) = &c.arguments {
            for b in args.args.iter() {
                bases.push(self.eval_base(b)?);
            }
        }
        self.frames.push(super::Frame {
            module: self.cur_module(),
            locals: Some(Default::default()),
            order: Some(Vec::new()),
            closure: self.capture(),
            globals_decl: Vec::new(),
            owner: None,
            first_arg: None,
        });
        let r = self.exec_body(&c.body);
        let frame = self.frames.pop();
        r?;
        let Some(mut frame) = frame else {
            return Ok(self.unknown("class body lost", c.range));
        };
        let mut locals = frame.locals.take().unwrap_or_default();
        let order = frame.order.take().unwrap_or_default();
        let attrs: Vec<(Name, Value)> = order
            .into_iter()
            .filter_map(|n| locals.remove(&n).map(|v| (n, v)))
            .collect();
        let module_name = self.modules[self.cur_module()].name.clone();
        let id = self.next_class_id;
        self.next_class_id += 1;
        let mro = self.mro_for(&bases, c.range);
        let kind = classify(&mro);
        let (attrs, members) = if kind == ClassKind::Enum {
            enum_members(&c.name, id, &mro, attrs)
        } else {
            (attrs, Vec::new())
        };
        let class = Arc::new(ClassObj {
            name: c.name.to_string(),
            qualname: c.name.to_string(),
            module: module_name,
            bases,
            id,
            kind,
            mro,
            attrs: std::sync::Mutex::new(attrs),
            members,
            doc: docstring(&c.body),
            dataclass_fields: dataclass.then(|| annotated_names(&c.body)),
        });
        for (_, v) in lock(&class.attrs).iter() {
            if let Some(Obj::Function(f)) = v.object::<Obj>() {
                let _ = f.owner.set(Arc::downgrade(&class));
            }
        }
        let mut value = Obj::Class(class).value();
        for (d, range) in decorators.into_iter().rev() {
            value = self.decorate_class(d, value, &c.name, range)?;
        }
        Ok(value)
    }

    /// A class base. A generic alias (`TypeDecorator[uuid.UUID]`,
    /// `Generic[T]`, `Base[str]`) stands for its origin class, as
    /// `__mro_entries__` makes it.
    fn eval_base(&mut self, b: &Expr) -> Eval {
        if let Expr::Subscript(s) = b
            && !matches!(&*s.slice, Expr::Slice(_))
        {
            let origin = self.eval(&s.value)?;
            let is_class = matches!(origin, Value::Symbol(_))
                || matches!(origin.object::<Obj>(), Some(Obj::Class(_)));
            if is_class {
                // The parameters still run, as in Python.
                self.eval(&s.slice)?;
                return Ok(origin);
            }
        }
        self.eval(b)
    }

    /// `deco(cls)` for a class decorator: project callables run; library
    /// decorators known to return the class keep it; any other is not
    /// modelled and its result unknown.
    fn decorate_class(
        &mut self,
        deco: Value,
        class: Value,
        name: &ast::Identifier,
        range: TextRange,
    ) -> Eval {
        if deco.object::<Obj>().is_some() {
            let loc = self.loc(range);
            return self.call(&deco, vec![class], loc);
        }
        match decorator_path(&deco) {
            Some(p)
                if CLASS_DECORATORS_RETURNING_THE_CLASS.contains(&p.as_str())
                    || TRANSPARENT_DECORATORS.contains(&p.as_str()) =>
            {
                Ok(class)
            }
            Some(p) => Ok(self.unknown(
                format!("class `{name}` is wrapped by decorator `{p}`, which is not modelled"),
                range,
            )),
            None => Ok(self.unknown(
                format!(
                    "class `{name}` is wrapped by decorator `{}`, which is not known statically",
                    squash(self.source(range))
                ),
                range,
            )),
        }
    }

    /// C3 linearisation over project classes; library bases are leaves.
    fn mro_for(&mut self, bases: &[Value], range: TextRange) -> Vec<Value> {
        let mut seqs: Vec<Vec<Value>> = Vec::new();
        for b in bases {
            match b.object::<Obj>() {
                // A class's linearisation starts with the class itself
                // (`mro` holds what comes after it).
                Some(Obj::Class(c)) => {
                    let mut seq = Vec::with_capacity(c.mro.len() + 1);
                    seq.push(b.clone());
                    seq.extend(c.mro.iter().cloned());
                    seqs.push(seq);
                }
                _ => seqs.push(vec![b.clone()]),
            }
        }
        seqs.push(bases.to_vec());
        // Identity, as Python compares classes: project classes by id,
        // library classes by path, other values (`declarative_base()`, an
        // unknown) by the object they share.
        let same = |a: &Value, b: &Value| match (a.object::<Obj>(), b.object::<Obj>()) {
            (Some(Obj::Class(x)), Some(Obj::Class(y))) => x.id == y.id,
            (None, None) => match (a, b) {
                (Value::Symbol(x), Value::Symbol(y)) => x.path == y.path,
                (Value::Call(x), Value::Call(y)) => Arc::ptr_eq(x, y),
                (Value::Unknown(x), Value::Unknown(y)) => Arc::ptr_eq(x, y),
                (Value::Object(x), Value::Object(y)) => Arc::ptr_eq(x, y),
                _ => false,
            },
            _ => false,
        };
        let mut out: Vec<Value> = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return out;
            }
            let head = seqs.iter().enumerate().find_map(|(i, s)| {
                let h = &s[0];
                (!seqs.iter().any(|o| o[1..].iter().any(|x| same(x, h)))).then(|| (i, h.clone()))
            });
            let Some((from, head)) = head else {
                // Not linearisable; Python raises TypeError. Fall back to the
                // bases in order.
                let loc = self.loc(range);
                self.diag(
                    Diagnostic::warning(
                        "python::mro",
                        "Cannot create a consistent method resolution order (MRO) for these bases",
                    )
                    .with_label(loc, "class defined here"),
                );
                out.extend(bases.iter().cloned());
                return out;
            };
            // The sequence the head came from always loses it, so the
            // merge ends even for a value that is not identical to itself.
            for (i, s) in seqs.iter_mut().enumerate() {
                if i == from || same(&s[0], &head) {
                    s.remove(0);
                }
            }
            out.push(head);
        }
    }
}

/// Whether a `break` of the enclosing loop is in these suites (not in
/// loops, functions or classes defined there).
fn contains_break(suites: &[&[Stmt]]) -> bool {
    let mut stack: Vec<(&[Stmt], u32)> = suites.iter().map(|s| (*s, 0)).collect();
    while let Some((suite, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        for stmt in suite {
            match stmt {
                Stmt::Break(_) => return true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::For(_) | Stmt::While(_) => {}
                _ => stack.extend(sub_suites(stmt).into_iter().map(|s| (s, depth + 1))),
            }
        }
    }
    false
}

/// Whether a `return` of the enclosing function is in these suites (not in
/// functions or classes defined there).
fn contains_return(suites: &[&[Stmt]]) -> bool {
    let mut stack: Vec<(&[Stmt], u32)> = suites.iter().map(|s| (*s, 0)).collect();
    while let Some((suite, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        for stmt in suite {
            match stmt {
                Stmt::Return(_) => return true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => stack.extend(sub_suites(stmt).into_iter().map(|s| (s, depth + 1))),
            }
        }
    }
    false
}

/// The docstring of a class or module body.
pub(crate) fn docstring(body: &[Stmt]) -> Option<Arc<str>> {
    match body.first() {
        Some(Stmt::Expr(e)) => match &*e.value {
            Expr::StringLiteral(s) => Some(Arc::from(s.value.to_str())),
            _ => None,
        },
        _ => None,
    }
}

/// Library class decorators that return the class itself (`dataclass`
/// adds an `__init__` over the annotated fields).
const CLASS_DECORATORS_RETURNING_THE_CLASS: &[&str] = &[
    "dataclasses.dataclass",
    "functools.total_ordering",
    "enum.unique",
    "typing.final",
    "typing.runtime_checkable",
    "typing_extensions.final",
    "typing_extensions.runtime_checkable",
    "sqlalchemy.orm.as_declarative",
    "sqlalchemy.ext.declarative.as_declarative",
    "sqlalchemy.orm.declarative_mixin",
    // `registry().mapped`, `registry().as_declarative_base()`
    ".mapped",
    ".mapped_as_dataclass",
    ".as_declarative_base",
];

/// The library path of a decorator (`dataclass` or `dataclass(frozen=True)`),
/// or `.name` for a method of a library object (`reg.as_declarative_base()`).
fn decorator_path(d: &Value) -> Option<String> {
    match d {
        Value::Symbol(s) => Some(s.path.to_string()),
        Value::Call(c) => match &c.callee {
            Callee::Symbol(s) => Some(s.path.to_string()),
            Callee::Method { name, .. } => Some(format!(".{name}")),
        },
        _ => None,
    }
}

/// The names a class body annotates (`name: type` or `name: type = x`), in
/// order: a dataclass's fields.
fn annotated_names(body: &[Stmt]) -> Vec<Name> {
    body.iter()
        .filter_map(|s| match s {
            Stmt::AnnAssign(a) => match &*a.target {
                Expr::Name(n) => Some(n.id.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Decorators that return the function unchanged (or a wrapper that
/// behaves the same when called statically).
const TRANSPARENT_DECORATORS: &[&str] = &[
    "functools.wraps",
    "functools.lru_cache",
    "functools.cache",
    "functools.cached_property",
    "typing.overload",
    "typing.final",
    "typing_extensions.override",
    "typing.override",
    "abc.abstractmethod",
    "sqlalchemy.ext.compiler.compiles",
    "sqlalchemy.ext.hybrid.hybrid_property",
    "sqlalchemy.orm.declared_attr",
    "sqlalchemy.event.listens_for",
    "contextlib.contextmanager",
];

fn contains_yield(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
    struct Y(bool, u32);
    impl<'a> Visitor<'a> for Y {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if self.0 || self.1 > 300 || matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return;
            }
            self.1 += 1;
            walk_stmt(self, s);
            self.1 -= 1;
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.0 || self.1 > 300 || matches!(e, Expr::Lambda(_)) {
                return;
            }
            if matches!(e, Expr::Yield(_) | Expr::YieldFrom(_)) {
                self.0 = true;
                return;
            }
            self.1 += 1;
            walk_expr(self, e);
            self.1 -= 1;
        }
    }
    let mut y = Y(false, 0);
    y.visit_body(body);
    y.0
}

/// What kind of class an MRO makes.
fn classify(mro: &[Value]) -> ClassKind {
    for entry in mro {
        if let Some(Obj::Class(c)) = entry.object::<Obj>() {
            if c.kind != ClassKind::Plain {
                return c.kind;
            }
            continue;
        }
        let Some(s) = entry.as_symbol() else { continue };
        let path = &*s.path;
        let name = s.name();
        if path.starts_with("sqlalchemy") && name == "TypeDecorator" {
            return ClassKind::TypeDecorator;
        }
        if path.starts_with("sqlalchemy") && name == "UserDefinedType" {
            return ClassKind::UserDefinedType;
        }
        if path.starts_with("enum.")
            && matches!(name, "Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag")
        {
            return ClassKind::Enum;
        }
        if let Some(b) = path.strip_prefix("builtins.") {
            if b.ends_with("Error")
                || b.ends_with("Exception")
                || b == "Warning"
                || b.ends_with("Warning")
            {
                return ClassKind::Exception;
            }
            continue;
        }
        let library_type = (path.starts_with("sqlalchemy.")
            && !path.starts_with("sqlalchemy.orm")
            && !path.starts_with("sqlalchemy.ext"))
            || ["pgvector.", "geoalchemy2.", "sqlalchemy_utils."]
                .iter()
                .any(|p| path.starts_with(p));
        if library_type {
            return ClassKind::LibrarySubclass;
        }
    }
    ClassKind::Plain
}

/// Splits an enum class body into members (definition order, aliases
/// folded) and the remaining attributes.
fn enum_members(
    class_name: &ast::Identifier,
    class_id: u64,
    mro: &[Value],
    attrs: Vec<(Name, Value)>,
) -> (Vec<(Name, Value)>, Vec<Arc<EnumMember>>) {
    let str_enum = mro.iter().any(|e| {
        e.as_symbol()
            .is_some_and(|s| matches!(&*s.path, "builtins.str" | "enum.StrEnum"))
    });
    let mixin = str_enum
        || mro.iter().any(|e| {
            e.as_symbol().is_some_and(|s| {
                matches!(&*s.path, "builtins.int" | "enum.IntEnum" | "enum.IntFlag")
            })
        });
    let mut members: Vec<Arc<EnumMember>> = Vec::new();
    let mut out = Vec::with_capacity(attrs.len());
    let mut last_int = 0i64;
    for (name, value) in attrs {
        let is_descriptor = matches!(
            value.object::<Obj>(),
            Some(Obj::Function(_)) | Some(Obj::Class(_))
        );
        let dunder = name.starts_with("__") && name.ends_with("__");
        let sunder = name.starts_with('_') && name.ends_with('_') && name.len() > 2;
        if is_descriptor || dunder || sunder || name.starts_with('_') && name.as_str() == "_ignore_"
        {
            out.push((name, value));
            continue;
        }
        let value = match &value {
            Value::Call(c) if c.symbol().is_some_and(|s| &*s.path == "enum.auto") => {
                if str_enum {
                    Value::str(name.to_lowercase())
                } else {
                    Value::Int(last_int + 1)
                }
            }
            other => other.clone(),
        };
        if let Value::Int(i) = value {
            last_int = i;
        }
        let existing = members
            .iter()
            .find(|m| super::ops::py_eq(&m.value, &value) == Some(true))
            .cloned();
        let member = match existing {
            Some(m) => m,
            None => {
                let m = Arc::new(EnumMember {
                    class_name: class_name.to_string(),
                    class_id,
                    name: name.to_string(),
                    value,
                    mixin,
                });
                members.push(Arc::clone(&m));
                m
            }
        };
        out.push((name, Obj::EnumMember(member).value()));
    }
    (out, members)
}

/// Source text on one line, for messages.
pub(crate) fn squash(src: &str) -> String {
    let one: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        let cut: String = one.chars().take(77).collect();
        format!("{cut}...")
    } else {
        one
    }
}
