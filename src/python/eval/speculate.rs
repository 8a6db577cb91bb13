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

use std::sync::Arc;

use ruff_python_ast::name::Name;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::objects::{ClassObj, InstanceObj, Obj, lock};
use super::{Abort, Evaluator, Frame};
use crate::python::host::Speculated;
use crate::python::value::Value;

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
                    // Any way out of a path ends it; a path that raises is
                    // one the migration may fail on.
                    Ok(_) | Err(Abort::Raise(_)) => {}
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
