//! Test support for the lowering oracle: turns fixture snippets of `op.*`
//! calls into [`Value`]s the way the static reader does, and runs them
//! through `alembic::ops`.
//!
//! This reads only the tiny subset of Python the fixtures use (imports,
//! assignments, op calls, `with op.batch_alter_table(...) as b:`,
//! literals, attribute chains, calls, comparisons); the real evaluator is
//! `python::eval`.

use std::collections::HashMap;
use std::sync::Arc;

use migsim::alembic::ops::{
    self, BatchTable, LowerCtx, LowerError, NamingConvention, NoProjectObjects, RunMemo,
};
use migsim::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, IndexInfo, PrimaryKeyInfo, SchemaView,
    UniqueInfo,
};
use migsim::python::parse_python;
use migsim::python::value::{Call, Callee, PyStr, Symbol, Value};
use migsim::source::{Loc, SourceFile, Span};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

/// A catalog with nothing in it.
pub struct EmptySchema;

impl SchemaView for EmptySchema {
    fn schema_names(&self) -> Vec<String> {
        vec!["public".into()]
    }
    fn table_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn view_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn sequence_names(&self, _: Option<&str>) -> Vec<String> {
        Vec::new()
    }
    fn columns(&self, _: Option<&str>, _: &str) -> Option<Vec<ColumnInfo>> {
        None
    }
    fn primary_key(&self, _: Option<&str>, _: &str) -> Option<PrimaryKeyInfo> {
        None
    }
    fn foreign_keys(&self, _: Option<&str>, _: &str) -> Option<Vec<ForeignKeyInfo>> {
        None
    }
    fn indexes(&self, _: Option<&str>, _: &str) -> Option<Vec<IndexInfo>> {
        None
    }
    fn unique_constraints(&self, _: Option<&str>, _: &str) -> Option<Vec<UniqueInfo>> {
        None
    }
    fn check_constraints(&self, _: Option<&str>, _: &str) -> Option<Vec<CheckInfo>> {
        None
    }
    fn enums(&self, _: Option<&str>) -> Vec<EnumInfo> {
        Vec::new()
    }
}

/// What one top-level statement of a case produced.
#[derive(Debug, Default, Clone)]
pub struct Group {
    pub statements: Vec<ops::Statement>,
}

/// The outcome of a case: statement groups, and the error that stopped it
/// (with the index of its group).
#[derive(Debug)]
pub struct Outcome {
    pub groups: Vec<Group>,
    pub error: Option<(usize, LowerError)>,
}

#[derive(Clone)]
enum Bound {
    Value(Value),
    Op,
    BatchOp,
}

struct Eval {
    names: HashMap<String, Bound>,
    file: Arc<SourceFile>,
}

/// Runs `prelude` then `code` (the case) and lowers every operation.
pub fn run_case(
    prelude: &str,
    code: &str,
    naming: Option<&str>,
    literal_binds: bool,
) -> Result<Outcome, String> {
    let schema = EmptySchema;
    let memo = RunMemo::default();
    let mut ev = Eval {
        names: HashMap::new(),
        file: SourceFile::virtual_file("prelude.py", prelude),
    };
    let pm = parse_python(ev.file.clone());
    if pm.has_errors() {
        return Err("prelude does not parse".into());
    }
    for stmt in &pm.module.body {
        ev.stmt_binding(stmt)?;
    }
    let nc = match naming {
        Some(dict) => {
            let f = SourceFile::virtual_file("nc.py", format!("x = {dict}"));
            let m = parse_python(f.clone());
            ev.file = f;
            let Some(Stmt::Assign(a)) = m.module.body.first() else {
                return Err("naming convention".into());
            };
            let v = ev.expr(&a.value)?;
            NamingConvention::from_value(&v, &ev.loc(a.range())).map_err(|e| e.to_string())?
        }
        None => NamingConvention::sqlalchemy_default(),
    };
    let ctx = LowerCtx {
        schema: &schema,
        naming_convention: &nc,
        literal_binds,
        objects: &NoProjectObjects,
        memo: &memo,
    };
    ev.file = SourceFile::virtual_file("case.py", code);
    let cm = parse_python(ev.file.clone());
    if cm.has_errors() {
        return Err("case does not parse".into());
    }
    let mut out = Outcome {
        groups: Vec::new(),
        error: None,
    };
    for (i, stmt) in cm.module.body.iter().enumerate() {
        out.groups.push(Group::default());
        match ev.top(stmt, &ctx, &mut out.groups[i]) {
            Ok(()) => {}
            Err(Stop::Lower(e)) => {
                if let LowerError::WouldFail(w) = &e {
                    out.groups[i].statements.extend(w.emitted.iter().cloned());
                }
                out.error = Some((i, e));
                break;
            }
            Err(Stop::Harness(m)) => return Err(m),
        }
    }
    Ok(out)
}

enum Stop {
    Lower(LowerError),
    Harness(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Self {
        Stop::Harness(s)
    }
}

impl Eval {
    fn loc(&self, r: ruff_text_size::TextRange) -> Loc {
        Loc::new(
            &self.file,
            Span::new(r.start().to_usize(), r.end().to_usize()),
        )
    }

    fn stmt_binding(&mut self, stmt: &Stmt) -> Result<(), String> {
        match stmt {
            Stmt::Import(i) => {
                for a in &i.names {
                    let full = a.name.as_str().to_string();
                    match &a.asname {
                        Some(n) => {
                            self.names.insert(
                                n.as_str().into(),
                                Bound::Value(Value::Symbol(Symbol::new(full))),
                            );
                        }
                        None => {
                            let first = full.split('.').next().unwrap_or(&full).to_string();
                            self.names.insert(
                                first.clone(),
                                Bound::Value(Value::Symbol(Symbol::new(first))),
                            );
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(i) => {
                let module = i
                    .module
                    .as_ref()
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default();
                for a in &i.names {
                    let local = a.asname.as_ref().unwrap_or(&a.name).as_str().to_string();
                    if module == "alembic" && a.name.as_str() == "op" {
                        self.names.insert(local, Bound::Op);
                        continue;
                    }
                    self.names.insert(
                        local,
                        Bound::Value(Value::Symbol(Symbol::new(format!(
                            "{module}.{}",
                            a.name.as_str()
                        )))),
                    );
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                let v = self.expr(&a.value)?;
                for t in &a.targets {
                    if let Expr::Name(n) = t {
                        self.names
                            .insert(n.id.as_str().into(), Bound::Value(v.clone()));
                    }
                }
                Ok(())
            }
            _ => Err(format!(
                "unsupported prelude statement at {:?}",
                stmt.range()
            )),
        }
    }

    fn top(&mut self, stmt: &Stmt, ctx: &LowerCtx, group: &mut Group) -> Result<(), Stop> {
        match stmt {
            Stmt::Expr(e) => {
                let Expr::Call(c) = &*e.value else {
                    return Err(Stop::Harness("top-level expression is not a call".into()));
                };
                let (name, call) = self.op_call(c, false)?;
                let l = ops::lower_op(&name, &call, ctx).map_err(Stop::Lower)?;
                group.statements.extend(l.statements);
                Ok(())
            }
            Stmt::With(w) => {
                let [item] = w.items.as_slice() else {
                    return Err(Stop::Harness("with of several items".into()));
                };
                let Expr::Call(c) = &item.context_expr else {
                    return Err(Stop::Harness("with of a non-call".into()));
                };
                let (name, call) = self.op_call(c, false)?;
                if name != "batch_alter_table" {
                    return Err(Stop::Harness(format!("with op.{name}")));
                }
                let mut batch: BatchTable = ops::begin_batch(&call, ctx).map_err(Stop::Lower)?;
                if let Some(v) = &item.optional_vars {
                    if let Expr::Name(n) = &**v {
                        self.names.insert(n.id.as_str().into(), Bound::BatchOp);
                    }
                }
                for s in &w.body {
                    match s {
                        Stmt::Expr(e) => {
                            let Expr::Call(c) = &*e.value else {
                                return Err(Stop::Harness(
                                    "batch body expression is not a call".into(),
                                ));
                            };
                            let (name, call) = self.op_call(c, true)?;
                            let l = ops::lower_batch_op(&mut batch, &name, &call, ctx)
                                .map_err(Stop::Lower)?;
                            group.statements.extend(l.statements);
                        }
                        other => {
                            self.stmt_binding(other)?;
                        }
                    }
                }
                let l = match ops::finish_batch(batch, ctx) {
                    Ok(l) => l,
                    Err(e) => {
                        return Err(Stop::Lower(e));
                    }
                };
                group.statements.extend(l.statements);
                Ok(())
            }
            other => self.stmt_binding(other).map_err(Stop::Harness),
        }
    }

    /// `op.<name>(...)` / `batch_op.<name>(...)`: the operation name and its
    /// evaluated arguments.
    fn op_call(&mut self, c: &ast::ExprCall, batch: bool) -> Result<(String, Call), String> {
        let Expr::Attribute(a) = &*c.func else {
            return Err("operation call is not op.<name>(...)".into());
        };
        let Expr::Name(n) = &*a.value else {
            return Err("operation call is not op.<name>(...)".into());
        };
        match (self.names.get(n.id.as_str()), batch) {
            (Some(Bound::Op), false) | (Some(Bound::BatchOp), true) => {}
            _ => {
                return Err(format!(
                    "`{}` is not the operations object here",
                    n.id.as_str()
                ));
            }
        }
        let call = self.call_args(
            c,
            Callee::Symbol(Symbol::new(format!("alembic.op.{}", a.attr.as_str()))),
        )?;
        Ok((a.attr.as_str().to_string(), call))
    }

    fn call_args(&mut self, c: &ast::ExprCall, callee: Callee) -> Result<Call, String> {
        let mut args = Vec::new();
        for a in c.arguments.args.iter() {
            if let Expr::Starred(s) = a {
                match self.expr(&s.value)? {
                    Value::List(v) | Value::Tuple(v) => args.extend(v),
                    _ => return Err("*args of a non-sequence".into()),
                }
                continue;
            }
            args.push(self.expr(a)?);
        }
        let mut kwargs = Vec::new();
        for k in c.arguments.keywords.iter() {
            match &k.arg {
                Some(name) => kwargs.push((name.as_str().to_string(), self.expr(&k.value)?)),
                None => match self.expr(&k.value)? {
                    Value::Dict(items) => {
                        for (kk, vv) in items {
                            if let Some(s) = kk.as_str() {
                                kwargs.push((s.to_string(), vv));
                            }
                        }
                    }
                    _ => return Err("**kwargs of a non-dict".into()),
                },
            }
        }
        Ok(Call {
            callee,
            args,
            kwargs,
            loc: self.loc(c.range()),
        })
    }

    fn call(v: Value, path: &str, args: Vec<Value>, loc: Loc) -> Value {
        Value::Call(Arc::new(Call {
            callee: Callee::Symbol(Symbol::new(path)),
            args: {
                let mut a = vec![v];
                a.extend(args);
                a
            },
            kwargs: Vec::new(),
            loc,
        }))
    }

    fn expr(&mut self, e: &Expr) -> Result<Value, String> {
        let loc = self.loc(e.range());
        Ok(match e {
            Expr::StringLiteral(s) => Value::Str(PyStr::plain(s.value.to_str())),
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => Value::Int(i.as_i64().ok_or("integer too large")?),
                ast::Number::Float(f) => Value::Float(*f),
                ast::Number::Complex { .. } => return Err("complex literal".into()),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::List(l) => Value::List(
                l.elts
                    .iter()
                    .map(|x| self.expr(x))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Tuple(t) => Value::Tuple(
                t.elts
                    .iter()
                    .map(|x| self.expr(x))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Set(t) => Value::Set(
                t.elts
                    .iter()
                    .map(|x| self.expr(x))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Dict(d) => {
                let mut items = Vec::new();
                for it in &d.items {
                    let k = it.key.as_ref().ok_or("**dict splat")?;
                    items.push((self.expr(k)?, self.expr(&it.value)?));
                }
                Value::Dict(items)
            }
            Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(Bound::Value(v)) => v.clone(),
                _ => return Err(format!("unknown name `{}`", n.id.as_str())),
            },
            Expr::Attribute(a) => {
                let base = self.expr(&a.value)?;
                match base {
                    Value::Symbol(s) => {
                        Value::Symbol(Symbol::new(format!("{}.{}", s.path, a.attr.as_str())))
                    }
                    other => Self::call(
                        other,
                        "builtins.getattr",
                        vec![Value::str(a.attr.as_str())],
                        loc,
                    ),
                }
            }
            Expr::Subscript(s) => {
                let base = self.expr(&s.value)?;
                let key = self.expr(&s.slice)?;
                Self::call(base, "builtins.getattr", vec![key], loc)
            }
            Expr::UnaryOp(u) => {
                let v = self.expr(&u.operand)?;
                match (u.op, v) {
                    (ast::UnaryOp::USub, Value::Int(i)) => Value::Int(-i),
                    (ast::UnaryOp::USub, Value::Float(f)) => Value::Float(-f),
                    (ast::UnaryOp::USub, v) => Self::call(v, "operator.neg", vec![], loc),
                    (ast::UnaryOp::Invert, v) => Self::call(v, "operator.invert", vec![], loc),
                    (ast::UnaryOp::Not, Value::Bool(b)) => Value::Bool(!b),
                    _ => return Err("unary operator".into()),
                }
            }
            Expr::BinOp(b) => {
                let l = self.expr(&b.left)?;
                let r = self.expr(&b.right)?;
                match (&l, b.op, &r) {
                    (Value::Str(x), ast::Operator::Add, Value::Str(y)) => {
                        Value::str(format!("{}{}", x.as_str(), y.as_str()))
                    }
                    (Value::Int(x), ast::Operator::Add, Value::Int(y)) => Value::Int(x + y),
                    (Value::Str(x), ast::Operator::Mult, Value::Int(n)) => {
                        Value::str(x.as_str().repeat(*n as usize))
                    }
                    _ => {
                        let name = match b.op {
                            ast::Operator::Add => "add",
                            ast::Operator::Sub => "sub",
                            ast::Operator::Mult => "mul",
                            ast::Operator::Div => "truediv",
                            ast::Operator::Mod => "mod",
                            ast::Operator::BitAnd => "and_",
                            ast::Operator::BitOr => "or_",
                            _ => return Err("binary operator".into()),
                        };
                        Self::call(l, &format!("operator.{name}"), vec![r], loc)
                    }
                }
            }
            Expr::Compare(c) => {
                let [op] = &*c.ops else {
                    return Err("chained comparison".into());
                };
                let [right] = &*c.comparators else {
                    return Err("chained comparison".into());
                };
                let name = match op {
                    ast::CmpOp::Eq => "eq",
                    ast::CmpOp::NotEq => "ne",
                    ast::CmpOp::Lt => "lt",
                    ast::CmpOp::LtE => "le",
                    ast::CmpOp::Gt => "gt",
                    ast::CmpOp::GtE => "ge",
                    _ => return Err("comparison operator".into()),
                };
                let l = self.expr(&c.left)?;
                let r = self.expr(right)?;
                Self::call(l, &format!("operator.{name}"), vec![r], loc)
            }
            Expr::Call(c) => {
                // `op.f(...)` / `op.inline_literal(...)`.
                if let Expr::Attribute(a) = &*c.func {
                    if let Expr::Name(n) = &*a.value {
                        if matches!(
                            self.names.get(n.id.as_str()),
                            Some(Bound::Op | Bound::BatchOp)
                        ) {
                            let call = self.call_args(
                                c,
                                Callee::Symbol(Symbol::new("alembic.op.inline_literal")),
                            )?;
                            return match a.attr.as_str() {
                                "f" => match call.args.first() {
                                    Some(Value::Str(s)) => Ok(Value::Str(PyStr {
                                        value: s.value.clone(),
                                        text_map: None,
                                        conv: true,
                                    })),
                                    _ => Err("op.f of a non-string".into()),
                                },
                                "inline_literal" => Ok(Value::Call(Arc::new(call))),
                                other => Err(format!("op.{other}() as a value")),
                            };
                        }
                    }
                    let base = self.expr(&a.value)?;
                    if !matches!(base, Value::Symbol(_)) {
                        let call = self.call_args(
                            c,
                            Callee::Method {
                                receiver: base,
                                name: a.attr.as_str().to_string(),
                            },
                        )?;
                        return Ok(Value::Call(Arc::new(call)));
                    }
                }
                let f = self.expr(&c.func)?;
                let Value::Symbol(s) = f else {
                    return Err("call of a non-symbol".into());
                };
                Value::Call(Arc::new(self.call_args(c, Callee::Symbol(s))?))
            }
            _ => return Err(format!("unsupported expression at {:?}", e.range())),
        })
    }
}
