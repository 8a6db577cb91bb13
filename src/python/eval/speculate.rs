//! Code that may run zero or more times, run once to see what it does.
//!
//! A branch on an unknown value, or a loop over rows the database returns,
//! cannot be run: which path, and how many times, is not known. Data
//! migrations are made of such code (`for row in conn.execute(...):
//! conn.execute(update, {...})`). What matters for the schema is whether
//! any path could change it. So every path is run once, from the state the
//! skipped code would start from, with the names it could change (and the
//! loop's target) unknown, so a value carried from one iteration to the
//! next cannot pick a path; an unknown condition inside is explored the
//! same way, recursively. The host holds back what the paths do; if all of
//! it only reads or writes rows, the host passes it on as conditional data
//! steps and the code counts as simulated; otherwise the code is one
//! opaque step, as if never run.
//!
//! The run must leave no trace: the current frame is restored, and every
//! change made to state that outlives it (module globals, attributes of
//! project objects) is journalled and undone. A path that raises ends
//! there (the migration may fail on it, which is not a schema change).
//!
//! An `if` runs once, so its paths start from the state before it, values
//! and all. When they are kept, a name they set is one of the values it
//! holds where they end (and, without an `else`, the one it had): the same
//! value on every path is that value; a few different ones make an
//! unknown value that keeps them (`Unknown::alternatives`). SQL builder
//! steps apply to each (`stmt.limit(10)` after `if last: stmt =
//! stmt.where(...)`), and a host call given one is made once with each,
//! held back and judged like a speculated run (`bind.execute(stmt)`).
//! Anything else sees an unknown value. Project objects are never joined:
//! a path may have changed their attributes, which the run undid.

use std::sync::Arc;

use ruff_python_ast::name::Name;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::Eval;
use super::objects::{ClassObj, InstanceObj, Obj, lock};
use super::{Abort, Evaluator, Flow, Frame};
use crate::python::host::Speculated;
use crate::python::value::{Call, Callee, HostObject, Unknown, Value};

/// Evaluation steps all the paths of one outermost speculated run may take.
const SPECULATION_STEPS: u64 = 50_000;

/// Speculated runs inside one another, and project calls below the
/// outermost: each level of either costs stack.
const SPECULATION_NESTING: u32 = 6;
const SPECULATION_CALLS: u32 = 8;

/// A change to state that outlives a speculated run, and how to undo it.
pub(super) enum Undo {
    /// A module global before the change (`None`: it did not exist).
    Global(usize, Name, Option<Value>),
    Instance(Arc<InstanceObj>, Vec<(Name, Value)>),
    Class(Arc<ClassObj>, Vec<(Name, Value)>),
}

/// What the names a speculated `if` may change hold where its paths end,
/// for the code after it (see `join`).
#[derive(Default)]
pub(super) struct PathEnds {
    pub names: Vec<Name>,
    /// Per path that ran to its end: each name's value (`None`: unbound).
    pub normal: Vec<Vec<Option<Value>>>,
    /// A path left by `break`, `continue` or an exception: its values are
    /// seen by code this does not follow.
    pub elsewhere: bool,
}

/// At most this many values are kept for a name set on several paths.
const MAX_ALTERNATIVES: usize = 8;

/// The evaluator's state when a speculated run starts.
struct Saved {
    frame: Option<Frame>,
    frames: usize,
    undo: usize,
    maybe_returned: Vec<Option<String>>,
    maybe_broke: Vec<Option<String>>,
    handling: usize,
    active: usize,
    loading: usize,
    diagnostics: usize,
    reported_missing: usize,
    depth: u32,
    call_depth: u32,
}

impl Evaluator<'_> {
    /// Runs each of `suites` once, as alternatives, to let the host judge
    /// whether they only touch rows (see the module docs). `target`: the
    /// loop variable, unknown on every path. Returns whether the host kept
    /// them; the caller reports them as opaque otherwise, with the reason
    /// the host gave.
    pub(super) fn speculate(
        &mut self,
        suites: &[&[Stmt]],
        target: Option<&Expr>,
        hidden_ops: u32,
        ends: &mut PathEnds,
    ) -> Result<Speculated, Abort> {
        if self.speculating >= SPECULATION_NESTING {
            return Ok(Speculated::Dropped(Some(format!(
                "holds code that may not run nested more than {SPECULATION_NESTING} deep"
            ))));
        }
        if !self.host.begin_speculation() {
            return Ok(Speculated::Dropped(None));
        }
        if self.speculating == 0 {
            self.modules_before_speculation = self.modules.len();
            // Paths run with unknown values can wander far into helper
            // code; past these limits the code stays opaque, and the
            // migration goes on with the budget and the stack that are left.
            self.speculation_limit = self.steps.saturating_add(SPECULATION_STEPS);
            self.speculation_calls = self.call_depth.saturating_add(SPECULATION_CALLS);
        }
        self.speculating += 1;
        let saved = self.save();
        let mut ran = true;
        let mut budget = None;
        let mut why_not = None;
        for suite in suites {
            if let Some(t) = target {
                let u = self.unknown(
                    "an item of a loop over values that are not known statically",
                    t.range(),
                );
                if self.assign(t, u).is_err() {
                    ran = false;
                }
            }
            if ran {
                match self.exec_body(suite) {
                    Ok(Flow::Normal) => {
                        let values = ends.names.iter().map(|n| self.peek(n).cloned()).collect();
                        ends.normal.push(values);
                    }
                    // A path that returns leaves the function: what it
                    // set is not seen after the code.
                    Ok(Flow::Return(_)) => {}
                    // What it set is seen elsewhere (the next iteration, a
                    // handler); a path that raises is one the migration may
                    // fail on.
                    Ok(Flow::Break | Flow::Continue) | Err(Abort::Raise(_)) => {
                        ends.elsewhere = true
                    }
                    Err(Abort::Halt) => ran = false,
                    Err(b @ Abort::Budget { .. }) => {
                        ran = false;
                        if self.steps > self.cfg.step_budget {
                            budget = Some(b);
                        } else {
                            why_not = Some(format!(
                                "takes more than {SPECULATION_STEPS} evaluation steps"
                            ));
                        }
                    }
                }
            }
            self.restore(&saved);
            if !ran {
                break;
            }
        }
        self.speculating -= 1;
        if self.speculating == 0 {
            self.speculation_limit = u64::MAX;
            self.speculation_calls = u32::MAX;
        }
        let mut kept = self.host.end_speculation(ran, hidden_ops)?;
        if let (Speculated::Dropped(why @ None), Some(w)) = (&mut kept, why_not) {
            *why = Some(w);
        }
        if kept != Speculated::Kept {
            self.diagnostics.truncate(saved.diagnostics);
            self.reported_missing.truncate(saved.reported_missing);
        }
        match budget {
            Some(b) => Err(b),
            None => Ok(kept),
        }
    }

    fn save(&self) -> Saved {
        Saved {
            frame: self.frames.last().cloned(),
            frames: self.frames.len(),
            undo: self.undo.len(),
            maybe_returned: self.maybe_returned.clone(),
            maybe_broke: self.maybe_broke.clone(),
            handling: self.handling.len(),
            active: self.active.len(),
            loading: self.loading.len(),
            diagnostics: self.diagnostics.len(),
            reported_missing: self.reported_missing.len(),
            depth: self.depth,
            call_depth: self.call_depth,
        }
    }

    fn restore(&mut self, saved: &Saved) {
        self.frames.truncate(saved.frames);
        if let (Some(f), Some(top)) = (&saved.frame, self.frames.last_mut()) {
            *top = f.clone();
        }
        while self.undo.len() > saved.undo {
            match self.undo.pop() {
                Some(Undo::Global(m, name, old)) => {
                    let globals = &mut self.modules[m].globals;
                    match old {
                        Some(v) => globals.insert(name, v),
                        None => globals.remove(&name),
                    };
                }
                Some(Undo::Instance(i, attrs)) => *lock(&i.attrs) = attrs,
                Some(Undo::Class(c, attrs)) => *lock(&c.attrs) = attrs,
                None => break,
            }
        }
        self.maybe_returned.clone_from(&saved.maybe_returned);
        self.maybe_broke.clone_from(&saved.maybe_broke);
        self.handling.truncate(saved.handling);
        self.active.truncate(saved.active);
        self.loading.truncate(saved.loading);
        self.depth = saved.depth;
        self.call_depth = saved.call_depth;
    }

    /// Before a module global changes: remembered while speculating, for
    /// modules loaded before (one loaded during the run keeps its state,
    /// as an import would).
    pub(super) fn journal_global(&mut self, module: usize, name: &Name) {
        if self.speculating > 0 && module < self.modules_before_speculation {
            let old = self.modules[module].globals.get(name).cloned();
            self.undo.push(Undo::Global(module, name.clone(), old));
        }
    }

    /// Before an attribute of a project object changes.
    pub(super) fn journal_attrs(&mut self, v: &Value) {
        if self.speculating == 0 {
            return;
        }
        match v.object::<Obj>() {
            Some(Obj::Instance(i)) => {
                let attrs = lock(&i.attrs).clone();
                self.undo.push(Undo::Instance(Arc::clone(i), attrs));
            }
            Some(Obj::Class(c)) => {
                let attrs = lock(&c.attrs).clone();
                self.undo.push(Undo::Class(Arc::clone(c), attrs));
            }
            _ => {}
        }
    }
}

impl Evaluator<'_> {
    /// After the paths of an `if` on an unknown value were kept: each name
    /// they may set is one of the values it holds where they end (and,
    /// when the `if` may be passed over, the value it had before).
    pub(super) fn join_changed(
        &mut self,
        ends: PathEnds,
        falls_through: bool,
        reason: &str,
        range: TextRange,
    ) {
        for (k, name) in ends.names.iter().enumerate() {
            let mut alternatives = Vec::with_capacity(ends.normal.len() + 1);
            let mut bound = !ends.elsewhere && (falls_through || !ends.normal.is_empty());
            if falls_through {
                match self.peek(name) {
                    Some(v) => alternatives.push(v.clone()),
                    None => bound = false,
                }
            }
            for path in &ends.normal {
                match path.get(k).cloned().flatten() {
                    Some(v) => alternatives.push(v),
                    None => bound = false,
                }
            }
            let v = if bound {
                self.join(alternatives, reason, range)
            } else {
                self.unknown(super::forgotten(reason), range)
            };
            self.store(name, v);
        }
    }

    /// A value that is one of `alternatives`: the value itself when they
    /// are all the same, else an unknown value that keeps them, when they
    /// are few and plain data or library values. Project objects and the
    /// host's are never joined: a path may have changed their attributes,
    /// which the speculated run undid.
    pub(super) fn join(&self, alternatives: Vec<Value>, reason: &str, range: TextRange) -> Value {
        let mut out: Vec<Value> = Vec::with_capacity(alternatives.len());
        for v in alternatives {
            let flat = match v.alternatives() {
                Some(alts) => alts.to_vec(),
                None => vec![v],
            };
            for v in flat {
                if matches!(v, Value::Unknown(_) | Value::Object(_) | Value::Host(_)) {
                    return self.unknown(super::forgotten(reason), range);
                }
                if !out.iter().any(|o| o.same(&v)) {
                    out.push(v);
                }
            }
        }
        match out.len() {
            0 => self.unknown(super::forgotten(reason), range),
            1 => out.pop().unwrap_or(Value::None),
            n if n > MAX_ALTERNATIVES => self.unknown(super::forgotten(reason), range),
            n => Value::Unknown(Arc::new(Unknown {
                reason: format!(
                    "one of {n} values, as code that may not have run left it ({reason})"
                ),
                loc: self.loc(range),
                alternatives: out,
            })),
        }
    }

    /// `recv.name(...)` where `recv` is one of several SQL statements being
    /// built (`stmt.where(...)` after `if x: stmt = stmt.where(...)`): the
    /// method applied to each. `None` when it cannot be: other values, a
    /// method that is not a pure builder step, a call made for its effect.
    pub(super) fn builder_step_on_alternatives(
        &mut self,
        recv: &Value,
        name: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
        range: TextRange,
    ) -> Option<Eval> {
        let alternatives = recv.alternatives()?;
        let pure = BUILDER_STEPS.contains(&name)
            && alternatives.iter().all(|a| matches!(a, Value::Call(_)))
            && !args
                .iter()
                .chain(kwargs.iter().map(|(_, v)| v))
                .any(|v| matches!(v, Value::Host(_)));
        if !pure {
            return None;
        }
        let reason = recv
            .as_unknown()
            .map(|u| u.reason.clone())
            .unwrap_or_default();
        let mut results = Vec::with_capacity(alternatives.len());
        for a in alternatives.iter().cloned() {
            match self.call_method(a, name, args.to_vec(), kwargs.to_vec(), range, false) {
                Ok(v @ Value::Call(_)) => results.push(v),
                Ok(_) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(self.join(results, &reason, range)))
    }

    /// A host call given a value that is one of several (`bind.execute(
    /// stmt)`): made once with each, held back as a speculated run is,
    /// and kept when all of them only touch rows. `None`: no argument is
    /// one of several, or the host cannot hold calls back (offline).
    pub(super) fn host_call_on_alternatives(
        &mut self,
        host: &HostObject,
        call: &Call,
    ) -> Option<Eval> {
        let positional = call.args.iter().position(|v| v.alternatives().is_some());
        let keyword = call
            .kwargs
            .iter()
            .position(|(_, v)| v.alternatives().is_some());
        let given = match (positional, keyword) {
            (Some(i), _) => &call.args[i],
            (None, Some(k)) => &call.kwargs[k].1,
            (None, None) => return None,
        };
        let described = given
            .as_unknown()
            .map(|u| u.reason.clone())
            .unwrap_or_default();
        let alternatives = given
            .alternatives()
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let name = match &call.callee {
            Callee::Method { name, .. } => name.clone(),
            Callee::Symbol(s) => s.name().to_owned(),
        };
        if !self.host.begin_speculation() {
            return None;
        }
        let mut results = Vec::with_capacity(alternatives.len());
        let mut raised = None;
        for a in alternatives {
            let mut each = call.clone();
            match (positional, keyword) {
                (Some(i), _) => each.args[i] = a,
                (None, Some(k)) => each.kwargs[k].1 = a,
                (None, None) => {}
            }
            match self.host.call_method(host, &name, &each) {
                Ok(v) => results.push(v),
                // One of the statements may make the migration fail.
                Err(Abort::Raise(x)) => raised = raised.or(Some(x)),
                Err(e) => {
                    return Some(self.host.end_speculation(false, 1).and(Err(e)));
                }
            }
        }
        let kept = match self.host.end_speculation(true, 1) {
            Ok(k) => k,
            Err(e) => return Some(Err(e)),
        };
        let range = TextRange::new(call.loc.span.start.into(), call.loc.span.end.into());
        match kept {
            Speculated::Kept => {
                if results.is_empty()
                    && let Some(x) = raised
                {
                    return Some(Err(Abort::Raise(x)));
                }
                let reason = format!("result of `.{name}()` given {described}");
                Some(Ok(self.join(results, &reason, range)))
            }
            Speculated::Dropped(why) => {
                let mut reason = format!("`.{name}()` is given {described}");
                if let Some(why) = why {
                    reason = format!("{reason}; run with each, it {why}");
                }
                self.opaque(reason.clone(), call.loc.clone(), 1);
                Some(Ok(self.unknown(format!("result of {reason}"), range)))
            }
        }
    }
}

/// Methods that only add a clause to an SQL statement being built.
const BUILDER_STEPS: &[&str] = &[
    "where",
    "filter",
    "filter_by",
    "order_by",
    "limit",
    "offset",
    "values",
    "returning",
    "group_by",
    "having",
    "join",
    "outerjoin",
    "select_from",
    "distinct",
    "with_only_columns",
    "add_columns",
    "execution_options",
    "bindparams",
    "params",
    "inline",
    "fetch",
];
