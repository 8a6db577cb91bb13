//! Facts read from the tree without evaluating it: which `op.*` calls a
//! block holds (to count what an opaque `if` hides) and which names a block
//! may change (they become unknown when the block is skipped).

use std::collections::HashSet;

use ruff_python_ast::name::Name;
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, ExprCall, Stmt};

/// `op.*` functions that are helpers, not operations: they emit nothing.
pub const OP_HELPERS: &[&str] = &[
    "f",
    "get_bind",
    "get_context",
    "batch_alter_table",
    "inline_literal",
    "implementation_for",
    "register_operation",
    "invoke",
    "run_async",
    "create_module_class_proxy",
];

/// Method names that change a list, dict or set in place.
pub const MUTATING_METHODS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "sort",
    "reverse",
    "update",
    "setdefault",
    "popitem",
    "add",
    "discard",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
];

/// Limit on tree depth for these walks; CPython rejects files nested
/// deeper than the parser wrapper lets through, so this only bounds work.
const MAX_DEPTH: u32 = 400;

/// Names a block may bind or change: assignment targets, `for` targets,
/// `with ... as`, `def`/`class`/`import` names, and the receivers of
/// in-place changes (`cols.append(...)`, `d[k] = v`, `x += 1`).
pub fn names_changed_in(suites: &[&[Stmt]]) -> Vec<Name> {
    changes_in(suites).into_iter().map(|(n, _)| n).collect()
}

/// [`names_changed_in`], each name with whether it is only the receiver
/// of a mutating method call (`x.update(...)`), never bound.
pub fn changes_in(suites: &[&[Stmt]]) -> Vec<(Name, bool)> {
    let mut v = Changed {
        names: Vec::new(),
        seen: HashSet::new(),
        bound: HashSet::new(),
        receiver: false,
        depth: 0,
    };
    for s in suites {
        v.visit_body(s);
    }
    let bound = v.bound;
    v.names
        .into_iter()
        .map(|n| {
            let only_receiver = !bound.contains(&n);
            (n, only_receiver)
        })
        .collect()
}

struct Changed {
    names: Vec<Name>,
    seen: HashSet<Name>,
    /// Names bound (assigned, imported, defined), not only called on.
    bound: HashSet<Name>,
    /// Collecting the receiver of a mutating call.
    receiver: bool,
    depth: u32,
}

impl Changed {
    fn add(&mut self, n: &Name) {
        if !self.receiver {
            self.bound.insert(n.clone());
        }
        if self.seen.insert(n.clone()) {
            self.names.push(n.clone());
        }
    }

    /// The variable an assignment target ultimately changes.
    fn target(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => self.add(&n.id),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            Expr::Subscript(s) => self.target(&s.value),
            Expr::Attribute(a) => self.target(&a.value),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for Changed {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| self.target(t)),
            Stmt::AugAssign(a) => self.target(&a.target),
            Stmt::AnnAssign(a) if a.value.is_some() => self.target(&a.target),
            Stmt::For(f) => self.target(&f.target),
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.target(v);
                    }
                }
            }
            Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t)),
            Stmt::FunctionDef(f) => {
                self.add(&f.name.id);
                // Its body runs later, in its own scope.
                self.depth -= 1;
                return;
            }
            Stmt::ClassDef(c) => {
                self.add(&c.name.id);
                self.depth -= 1;
                return;
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    match &a.asname {
                        Some(n) => self.add(&n.id),
                        None => {
                            let top = a.name.as_str().split('.').next().unwrap_or("");
                            self.add(&Name::new(top));
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    self.add(&a.asname.as_ref().unwrap_or(&a.name).id);
                }
            }
            Stmt::Try(t) => {
                for h in &t.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.add(&n.id);
                    }
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Named(n) => self.target(&n.target),
            Expr::Call(c) => {
                if let Expr::Attribute(a) = &*c.func
                    && MUTATING_METHODS.contains(&a.attr.as_str())
                {
                    self.receiver = true;
                    self.target(&a.value);
                    self.receiver = false;
                }
            }
            // Comprehension variables do not leak in Python 3.
            Expr::Lambda(_) => {
                self.depth -= 1;
                return;
            }
            _ => {}
        }
        walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// How a call looks, syntactically, for counting operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallShape {
    /// `op.<name>(...)`, `batch_op.<name>(...)`, `<x>.execute(...)`.
    Operation,
    /// `helper(...)`: may be a project function holding operations.
    Function(Name),
    Other,
}

/// Knows which names stand for `alembic.op` and for batch contexts.
pub struct OpNames<'n> {
    /// Names bound to `alembic.op` (usually just `op`).
    pub op: &'n [Name],
    /// Names currently bound to a batch context.
    pub batch: &'n [Name],
}

/// Walks suites and reports each call's shape. Batch context names bound by
/// `with op.batch_alter_table(...) as b:` inside the suites count too.
pub fn calls_in(suites: &[&[Stmt]], names: &OpNames<'_>, mut f: impl FnMut(CallShape)) {
    let mut v = Calls {
        names,
        local_batch: Vec::new(),
        f: &mut f,
        depth: 0,
    };
    for s in suites {
        v.visit_body(s);
    }
}

struct Calls<'n, 'f> {
    names: &'n OpNames<'n>,
    local_batch: Vec<Name>,
    f: &'f mut dyn FnMut(CallShape),
    depth: u32,
}

impl Calls<'_, '_> {
    fn is_op_name(&self, n: &Name) -> bool {
        self.names.op.contains(n) || (self.names.op.is_empty() && n.as_str() == "op")
    }

    fn shape(&self, call: &ExprCall) -> CallShape {
        match &*call.func {
            Expr::Attribute(a) => {
                let attr = a.attr.as_str();
                if matches!(attr, "execute" | "exec_driver_sql") {
                    return CallShape::Operation;
                }
                if let Expr::Name(n) = &*a.value {
                    if self.is_op_name(&n.id) {
                        return if OP_HELPERS.contains(&attr) {
                            CallShape::Other
                        } else {
                            CallShape::Operation
                        };
                    }
                    if (self.names.batch.contains(&n.id) || self.local_batch.contains(&n.id))
                        && attr != "f"
                    {
                        return CallShape::Operation;
                    }
                }
                CallShape::Other
            }
            Expr::Name(n) => CallShape::Function(n.id.clone()),
            _ => CallShape::Other,
        }
    }

    fn is_batch_context(&self, e: &Expr) -> bool {
        if let Expr::Call(c) = e
            && let Expr::Attribute(a) = &*c.func
            && a.attr.as_str() == "batch_alter_table"
        {
            return true;
        }
        false
    }
}

impl<'a> Visitor<'a> for Calls<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth > MAX_DEPTH {
            return;
        }
        if let Stmt::FunctionDef(_) | Stmt::ClassDef(_) = stmt {
            // Defined, not run.
            return;
        }
        if let Stmt::With(w) = stmt {
            for item in &w.items {
                if self.is_batch_context(&item.context_expr)
                    && let Some(v) = &item.optional_vars
                    && let Expr::Name(n) = &**v
                {
                    self.local_batch.push(n.id.clone());
                }
            }
        }
        self.depth += 1;
        walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth > MAX_DEPTH {
            return;
        }
        if let Expr::Lambda(_) = expr {
            return;
        }
        if let Expr::Call(c) = expr {
            let shape = self.shape(c);
            (self.f)(shape);
        }
        self.depth += 1;
        walk_expr(self, expr);
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::load::load_python_str;

    fn body(src: &str) -> crate::python::ParsedModule {
        load_python_str("t.py", src)
    }

    #[test]
    fn changed_names_include_in_place_changes() {
        let m = body(
            "x = 1\na, (b, *c) = t\ncols.append(1)\nd['k'] = 2\nn += 1\nfor i in r: pass\nwith f() as g: pass\nimport a.b\nfrom m import z as w\ndef h(): q = 1\n",
        );
        let names: Vec<String> = names_changed_in(&[&m.module.body])
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(
            names,
            vec![
                "x", "a", "b", "c", "cols", "d", "n", "i", "g", "a", "w", "h"
            ]
            .into_iter()
            .collect::<indexset::Dedup>()
            .0
        );
    }

    #[test]
    fn counts_operations_but_not_helpers() {
        let m = body(
            "op.add_column('t', sa.Column('c', sa.Integer()))\nop.create_index(op.f('ix'), 't', ['c'])\nbind = op.get_bind()\nbind.execute(sa.text('x'))\nwith op.batch_alter_table('t') as b:\n    b.drop_column('c')\n    b.alter_column('d')\nhelper(op)\n",
        );
        let mut ops = 0;
        let mut funcs = Vec::new();
        calls_in(
            &[&m.module.body],
            &OpNames {
                op: &[],
                batch: &[],
            },
            |s| match s {
                CallShape::Operation => ops += 1,
                CallShape::Function(n) => funcs.push(n.to_string()),
                CallShape::Other => {}
            },
        );
        assert_eq!(ops, 5);
        assert_eq!(funcs, vec!["helper"]);
    }

    mod indexset {
        pub struct Dedup(pub Vec<&'static str>);
        impl FromIterator<&'static str> for Dedup {
            fn from_iter<I: IntoIterator<Item = &'static str>>(it: I) -> Self {
                let mut v: Vec<&'static str> = Vec::new();
                for x in it {
                    if !v.contains(&x) {
                        v.push(x);
                    }
                }
                Dedup(v)
            }
        }
    }
}
