//! Test support for the lowering oracle: runs fixture snippets through the
//! static evaluator (`python::eval`) with a host that lowers every `op.*`
//! and `batch_op.*` call through `alembic::ops`, as the migration replay
//! does.

use std::sync::Arc;

use migsim::alembic::ops::{
    self, BatchTable, EvaluatorObjects, LowerCtx, LowerError, NamingConvention, RunMemo, Statement,
};
use migsim::alembic::sink::{
    CheckInfo, ColumnInfo, EnumInfo, ForeignKeyInfo, IndexInfo, OpaqueStep, PrimaryKeyInfo,
    QueryRows, SchemaView, UniqueInfo,
};
use migsim::python::host::{Abort, Host, HostResult, NullHost, PyException};
use migsim::python::value::{Call, HostObject, PyStr, Value};
use migsim::python::{EvalConfig, Evaluator, load_python_str};
use migsim::source::Loc;
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
    fn catalog_query(&self, _: &str) -> Option<QueryRows> {
        None
    }
}

/// What one top-level statement of a case produced.
#[derive(Debug, Default, Clone)]
pub struct Group {
    pub statements: Vec<Statement>,
}

/// The outcome of a case: statement groups, and the error that stopped it
/// (with the index of its group).
#[derive(Debug)]
pub struct Outcome {
    pub groups: Vec<Group>,
    pub error: Option<(usize, LowerError)>,
}

const BATCH_CONTEXT: &str = "batch_alter_table";
const BATCH_OPS: &str = "batch_op";

/// Lowers the operations the evaluator reports.
struct OpsHost<'a> {
    ctx: LowerCtx<'a>,
    statements: Vec<Statement>,
    error: Option<LowerError>,
    batches: Vec<Option<BatchTable>>,
    harness: Vec<String>,
}

impl OpsHost<'_> {
    /// Records a lowering result; a failure becomes the Python exception
    /// Alembic raises.
    fn take(&mut self, r: Result<ops::Lowered, LowerError>, ret: Value) -> HostResult {
        match r {
            Ok(l) => {
                self.statements.extend(l.statements);
                Ok(ret)
            }
            Err(e) => {
                if let LowerError::WouldFail(w) = &e {
                    self.statements.extend(w.emitted.iter().cloned());
                }
                let raised = match &e {
                    LowerError::WouldFail(w) if !w.exception.contains('.') => {
                        PyException::builtin(&w.exception, w.message.clone(), w.loc.clone())
                    }
                    LowerError::WouldFail(w) => {
                        PyException::library(&w.exception, w.message.clone(), w.loc.clone())
                    }
                    other => PyException::library(
                        "migsim.NotSimulated",
                        other.to_string(),
                        other.loc().clone(),
                    ),
                };
                self.error = Some(e);
                Err(Abort::Raise(Box::new(raised)))
            }
        }
    }

    fn batch_mut(&mut self, obj: &HostObject) -> Option<&mut BatchTable> {
        self.batches.get_mut(obj.id as usize)?.as_mut()
    }
}

/// `op.f("name")`: the same string, marked final.
fn conv_name(call: &Call) -> Value {
    match call.args.first() {
        Some(Value::Str(s)) => Value::Str(PyStr {
            conv: true,
            ..s.clone()
        }),
        Some(other) => other.clone(),
        None => Value::None,
    }
}

impl Host for OpsHost<'_> {
    fn call_symbol(&mut self, call: &Call) -> Option<HostResult> {
        if let migsim::python::value::Callee::Method { receiver, name } = &call.callee {
            // `enum_type.create(op.get_bind())`: offline, as the oracle runs.
            let r = ops::lower_type_ddl(receiver, name, call, &self.ctx, true)?;
            return Some(self.take(r, Value::None));
        }
        let name = call.symbol()?.path.strip_prefix("alembic.op.")?.to_string();
        match name.as_str() {
            "f" | "inline_literal" | "get_bind" | "get_context" => None,
            "batch_alter_table" => Some(match ops::begin_batch(call, &self.ctx) {
                Ok(b) => {
                    self.batches.push(Some(b));
                    Ok(Value::Host(HostObject {
                        id: (self.batches.len() - 1) as u32,
                        kind: BATCH_CONTEXT,
                    }))
                }
                Err(e) => self.take(Err(e), Value::None),
            }),
            op => {
                // `op.create_table(...)` returns its table; the call stands
                // for it.
                let ret = if op == "create_table" {
                    Value::Call(Arc::new(call.clone()))
                } else {
                    Value::None
                };
                let r = ops::lower_op(op, call, &self.ctx);
                Some(self.take(r, ret))
            }
        }
    }

    fn call_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        if obj.kind != BATCH_OPS {
            self.harness.push(format!("method {name} on {}", obj.kind));
            return Ok(Value::unknown("not a batch", call.loc.clone()));
        }
        match name {
            "f" => Ok(conv_name(call)),
            "inline_literal" => Ok(Value::Call(Arc::new(Call {
                callee: migsim::python::value::Callee::Symbol(migsim::python::value::Symbol::new(
                    "alembic.op.inline_literal",
                )),
                ..call.clone()
            }))),
            _ => {
                let ctx = self.ctx.clone();
                let Some(batch) = self.batch_mut(obj) else {
                    self.harness
                        .push("batch operation outside its block".into());
                    return Ok(Value::None);
                };
                let r = ops::lower_batch_op(batch, name, call, &ctx);
                self.take(r, Value::None)
            }
        }
    }

    fn get_attr(&mut self, obj: &HostObject, name: &str, loc: &Loc) -> HostResult {
        self.harness
            .push(format!("attribute {name} of {}", obj.kind));
        Ok(Value::unknown(
            "not modelled by the oracle host",
            loc.clone(),
        ))
    }

    fn enter(&mut self, obj: &HostObject, _loc: &Loc) -> HostResult {
        Ok(Value::Host(HostObject {
            id: obj.id,
            kind: BATCH_OPS,
        }))
    }

    fn exit(&mut self, obj: &HostObject, _loc: &Loc, raised: bool) -> Result<(), Abort> {
        let Some(batch) = self.batches.get_mut(obj.id as usize).and_then(Option::take) else {
            return Ok(());
        };
        // Alembic flushes the queue only when the block ends normally.
        if raised {
            return Ok(());
        }
        let r = ops::finish_batch(batch, &self.ctx);
        self.take(r, Value::None).map(|_| ())
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.harness.push(format!("opaque step: {}", step.reason));
    }
}

/// The naming convention directive, evaluated after the prelude.
fn naming_convention(prelude: &str, expr: &str) -> Result<NamingConvention, String> {
    let src = format!("{prelude}\n__migsim_nc__ = {expr}\n");
    let m = load_python_str("naming.py", &src);
    if m.has_errors() {
        return Err("naming convention does not parse".into());
    }
    let cfg = EvalConfig::default();
    let mut host = NullHost::default();
    let mut ev = Evaluator::new(&cfg, None, &mut host);
    let key = ev
        .run_main(&m)
        .map_err(|e| format!("naming convention: {e:?}"))?;
    let v = ev
        .global(key, "__migsim_nc__")
        .cloned()
        .ok_or("naming convention not evaluated")?;
    let loc = Loc::new(&m.file, migsim::source::Span::new(0, 0));
    NamingConvention::from_value(&v, &loc).map_err(|e| e.to_string())
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
    let nc = match naming {
        Some(expr) => naming_convention(prelude, expr)?,
        None => NamingConvention::sqlalchemy_default(),
    };
    let src = format!("{prelude}\n{code}");
    let case_start = prelude.len() + 1;
    let m = load_python_str("case.py", &src);
    if m.has_errors() {
        return Err(format!("case does not parse: {:?}", m.errors));
    }
    // Top-level statements of the case: the oracle groups statements by them.
    let tops: Vec<(usize, usize)> = m
        .module
        .body
        .iter()
        .map(|s| (s.range().start().to_usize(), s.range().end().to_usize()))
        .filter(|(start, _)| *start >= case_start)
        .collect();
    let group_of = |loc: &Loc| {
        let at = loc.span.start as usize;
        tops.iter().position(|(s, e)| at >= *s && at < *e)
    };
    let mut host = OpsHost {
        ctx: LowerCtx {
            schema: &schema,
            naming_convention: &nc,
            literal_binds,
            objects: &EvaluatorObjects,
            memo: &memo,
            online: false,
            data_values: Default::default(),
        },
        statements: Vec::new(),
        error: None,
        batches: Vec::new(),
        harness: Vec::new(),
    };
    let cfg = EvalConfig::default();
    let run = {
        let mut ev = Evaluator::new(&cfg, None, &mut host);
        let r = ev.run_main(&m).map(|_| ());
        let d = ev.take_diagnostics();
        (r, d)
    };
    if !host.harness.is_empty() {
        return Err(host.harness.join("; "));
    }
    let mut groups = vec![Group::default(); tops.len()];
    for st in host.statements {
        let Some(g) = group_of(&st.loc) else {
            return Err(format!("statement outside the case: {}", st.offline));
        };
        groups[g].statements.push(st);
    }
    let error = match (run.0, host.error) {
        (Ok(()), None) => None,
        (Err(_), Some(e)) => {
            let g = group_of(e.loc()).ok_or("error outside the case")?;
            Some((g, e))
        }
        (Err(abort), None) => return Err(format!("the evaluator stopped: {abort:?} {:?}", run.1)),
        (Ok(()), Some(e)) => return Err(format!("a lowering error did not stop the case: {e}")),
    };
    // Alembic stops at the failing statement; later groups stay empty.
    if let Some((g, _)) = &error {
        groups.truncate(g + 1);
    }
    Ok(Outcome { groups, error })
}
