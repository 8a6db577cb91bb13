//! The objects Alembic hands a migration, answered statically: `op`, the
//! connection, the migration context, the dialect, the inspector, batch
//! contexts, ORM sessions.

use std::sync::Arc;

use super::reflect::{self, Reflection, TableRequest};
use super::{RunContext, RunOutcome};
use crate::alembic::ops::{
    self, BatchTable, LowerCtx, LowerError, Lowered, ProjectObjects, Statement,
};
use crate::alembic::sink::{MigrationSink, OpaqueStep, QueryRows, QueryValue, SchemaView, SqlStep};
use crate::python::host::{Abort, Access, Host, HostResult, PyException, Speculated};
use crate::python::value::{Call, Callee, HostObject, PyStr, Symbol, Value};
use crate::source::Loc;

/// The state behind each host object id.
enum State {
    Bind {
        autocommit: bool,
    },
    Engine,
    Dialect,
    Context,
    AutocommitBlock,
    Inspector,
    /// What `bind.execute(...)` returned: the rows, when the query reads
    /// the catalogs only and the schema view decided it.
    Result(Option<ResultRows>),
    /// One row of a result.
    Row {
        columns: Vec<String>,
        values: Vec<Value>,
    },
    Transaction,
    Session,
    SessionMaker,
    Query,
    Batch {
        /// Taken while an operation is lowered into it, and at the end.
        table: Option<BatchTable>,
        /// Operations queued for the end of the block.
        pending: u32,
        loc: Loc,
    },
}

impl State {
    fn kind(&self) -> &'static str {
        match self {
            State::Bind { .. } => "bind",
            State::Engine => "engine",
            State::Dialect => "dialect",
            State::Context => "migration_context",
            State::AutocommitBlock => "autocommit_block",
            State::Inspector => "inspector",
            State::Result(_) => "result",
            State::Row { .. } => "row",
            State::Transaction => "transaction",
            State::Session => "session",
            State::SessionMaker => "sessionmaker",
            State::Query => "query",
            State::Batch { .. } => "batch_op",
        }
    }
}

pub(super) struct RunHost<'r, 'c> {
    ctx: &'r RunContext<'c>,
    sink: &'r mut dyn MigrationSink,
    out: &'r mut RunOutcome,
    objects: Vec<State>,
    bind: Option<u32>,
    context: Option<u32>,
    dialect: Option<u32>,
    autocommit: u32,
    reflection: Reflection,
    /// Open speculations, innermost last (see [`Host::begin_speculation`]).
    speculations: Vec<Speculation>,
    /// What speculated code did, in order, held back from the sink.
    held: Vec<Held>,
}

/// What to restore when a speculation ends, and whether it already failed.
struct Speculation {
    held_from: usize,
    /// The first thing the code did beyond rows, and where.
    failed: Option<String>,
    counts: (u32, u32, u32, u32),
    opaque_len: usize,
    diagnostics_len: usize,
    autocommit: u32,
    /// Results whose rows the code may read (reading moves a cursor).
    results: Vec<(usize, ResultRows)>,
}

enum Held {
    Sql(SqlStep),
    /// An ORM data step (an opaque step that hides no operation).
    Data(OpaqueStep),
}

/// Reads project enum classes for the lowering (the trait's default reads
/// the evaluator's classes).
struct EvalObjects;

impl ProjectObjects for EvalObjects {
    /// The evaluator computed `f(class)` when it built the call (see
    /// `python::types::enum_values_callable`).
    fn enum_values_callable(&self, f: &Value, enum_class: &Value) -> Option<Vec<String>> {
        let class = crate::python::types::enum_class(enum_class)?;
        crate::python::types::enum_values_callable(f, &class.name)
    }
}

fn unknown(reason: impl Into<String>, loc: &Loc) -> Value {
    Value::unknown(reason, loc.clone())
}

/// The Python exception a lowering failure raises.
fn exception_of(class: &str, message: String, loc: Loc) -> Abort {
    let path = if class.contains('.') {
        class.to_owned()
    } else {
        format!("builtins.{class}")
    };
    Abort::raise(PyException::library(&path, message, loc))
}

impl<'r, 'c> RunHost<'r, 'c> {
    pub(super) fn new(
        ctx: &'r RunContext<'c>,
        sink: &'r mut dyn MigrationSink,
        out: &'r mut RunOutcome,
    ) -> Self {
        RunHost {
            ctx,
            sink,
            out,
            objects: Vec::new(),
            bind: None,
            context: None,
            dialect: None,
            autocommit: 0,
            reflection: Reflection::default(),
            speculations: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Closes what a migration left open (nothing, normally: `with`
    /// blocks close on every path).
    pub(super) fn finish(&mut self) {
        self.objects.clear();
    }

    fn new_object(&mut self, state: State) -> Value {
        let id = self.objects.len() as u32;
        let kind = state.kind();
        self.objects.push(state);
        Value::Host(HostObject { id, kind })
    }

    fn singleton(&mut self, which: fn(&mut Self) -> &mut Option<u32>, make: State) -> Value {
        if let Some(id) = *which(self) {
            return Value::Host(HostObject {
                id,
                kind: self.objects[id as usize].kind(),
            });
        }
        let v = self.new_object(make);
        if let Value::Host(h) = &v {
            *which(self) = Some(h.id);
        }
        v
    }

    fn bind_value(&mut self) -> Value {
        self.singleton(|h| &mut h.bind, State::Bind { autocommit: false })
    }

    fn context_value(&mut self) -> Value {
        self.singleton(|h| &mut h.context, State::Context)
    }

    fn dialect_value(&mut self) -> Value {
        self.singleton(|h| &mut h.dialect, State::Dialect)
    }

    fn state(&self, obj: &HostObject) -> Option<&State> {
        self.objects.get(obj.id as usize)
    }

    fn schema(&self) -> &dyn SchemaView {
        self.sink.schema()
    }

    fn lower<T>(&self, f: impl FnOnce(&LowerCtx) -> T) -> T {
        let objects = EvalObjects;
        let ctx = LowerCtx {
            schema: self.sink.schema(),
            naming_convention: self.ctx.naming_convention,
            literal_binds: self.ctx.literal_binds,
            objects: &objects,
            memo: self.ctx.memo,
            online: !self.ctx.offline,
            data_values: Default::default(),
        };
        f(&ctx)
    }

    /// Sends statements to the sink, in order.
    fn send(&mut self, statements: Vec<Statement>, force_autocommit: bool) -> Result<(), Abort> {
        for st in statements {
            let (sql, text_map) = if self.ctx.offline {
                // The offline text differs from the online one only by its
                // terminator unless escaping changed it.
                let same = st.offline.strip_suffix(';') == Some(st.sql.as_str());
                (st.offline, if same { st.text_map } else { None })
            } else {
                (st.sql, st.text_map)
            };
            self.out.statements += 1;
            self.emit(SqlStep {
                sql,
                loc: st.loc,
                text_map,
                autocommit: self.autocommit > 0 || force_autocommit,
                conditional: false,
            })?;
        }
        Ok(())
    }

    fn emit(&mut self, step: SqlStep) -> Result<(), Abort> {
        if self.speculations.is_empty() {
            self.sink.execute(step).map_err(|_| Abort::Halt)
        } else {
            self.held.push(Held::Sql(step));
            Ok(())
        }
    }

    /// An opaque step; inside a speculation, only an ORM data step
    /// (`data_step`: it writes rows, hides no operation) keeps the
    /// speculated code possible.
    fn emit_opaque(&mut self, step: OpaqueStep, data_step: bool) {
        self.out.opaque.push(step.clone());
        if self.speculations.is_empty() {
            self.sink.opaque(step);
        } else if data_step {
            self.held.push(Held::Data(step));
        } else {
            let why = format!(
                "reaches code that is not simulated at {}: {}",
                step.loc, step.reason
            );
            self.fail_speculation(why);
        }
    }

    /// Speculated code did something that is not reading or writing rows,
    /// or that cannot be undone: it stays opaque, and so does every
    /// speculation around it.
    fn fail_speculation(&mut self, why: String) {
        for s in &mut self.speculations {
            if s.failed.is_none() {
                s.failed = Some(why.clone());
            }
        }
    }

    /// A literal line Alembic prints in offline mode (`COMMIT;`, `BEGIN;`).
    fn static_output(&mut self, sql: &str, loc: &Loc) -> Result<(), Abort> {
        self.out.statements += 1;
        self.emit(SqlStep {
            sql: sql.to_owned(),
            loc: loc.clone(),
            text_map: None,
            autocommit: false,
            conditional: false,
        })
    }

    /// An operation reached that cannot be simulated.
    fn op_opaque(&mut self, reason: String, loc: Loc) {
        self.out.ops_opaque += 1;
        let step = OpaqueStep {
            reason,
            loc,
            hidden_ops: 1,
        };
        self.emit_opaque(step, false);
    }

    /// A step with no operation in it (ORM data steps).
    fn data_opaque(&mut self, reason: String, loc: Loc) {
        let step = OpaqueStep {
            reason,
            loc,
            hidden_ops: 0,
        };
        self.emit_opaque(step, true);
    }

    /// The result of lowering one operation (already counted in `ops_total`).
    /// `call_loc`: the operation's call, where an opaque step points (the
    /// reason says which value was not known).
    fn apply(
        &mut self,
        what: &str,
        call_loc: &Loc,
        r: Result<Lowered, LowerError>,
        force_autocommit: bool,
    ) -> Result<(), Abort> {
        match r {
            Ok(l) => {
                self.out.ops_simulated += 1;
                self.send(l.statements, force_autocommit)
            }
            Err(LowerError::Unknown(u)) => {
                self.op_opaque(format!("{what}: {}", u.reason), call_loc.clone());
                Ok(())
            }
            Err(LowerError::Unsupported(u)) => {
                self.op_opaque(
                    format!("{what} is not simulated: {}", u.reason),
                    call_loc.clone(),
                );
                Ok(())
            }
            Err(LowerError::WouldFail(w)) => {
                self.out.ops_simulated += 1;
                self.send(w.emitted, force_autocommit)?;
                Err(exception_of(&w.exception, w.message, w.loc))
            }
        }
    }

    /// `op.<name>(...)`.
    fn op_call(&mut self, name: &str, call: &Call) -> HostResult {
        match name {
            "get_bind" => return Ok(self.bind_value()),
            "get_context" => return Ok(self.context_value()),
            "batch_alter_table" => return self.begin_batch(call),
            "implementation_for"
            | "register_operation"
            | "invoke"
            | "run_async"
            | "create_module_class_proxy" => {
                return Ok(unknown(
                    format!("`op.{name}` (custom operations) is not modelled"),
                    &call.loc,
                ));
            }
            _ => {}
        }
        self.out.ops_total += 1;
        let r = self.lower(|l| ops::lower_op(name, call, l));
        self.apply(&format!("op.{name}()"), &call.loc, r, false)?;
        Ok(match name {
            // `create_table` returns the Table it made; later
            // `op.bulk_insert(t, rows)` reads it.
            "create_table" => Value::Call(Arc::new(Call {
                callee: Callee::Symbol(Symbol::new("sqlalchemy.Table")),
                args: {
                    let mut a = Vec::with_capacity(call.args.len() + 1);
                    a.extend(call.args.first().cloned());
                    a.push(Value::Call(Arc::new(Call {
                        callee: Callee::Symbol(Symbol::new("sqlalchemy.MetaData")),
                        args: Vec::new(),
                        kwargs: Vec::new(),
                        loc: call.loc.clone(),
                    })));
                    a.extend(call.args.iter().skip(1).cloned());
                    a
                },
                kwargs: call.kwargs.clone(),
                loc: call.loc.clone(),
            })),
            _ => Value::None,
        })
    }

    fn begin_batch(&mut self, call: &Call) -> HostResult {
        if !self.speculations.is_empty() {
            // A batch block changes the schema; the speculation ends here.
            self.fail_speculation(format!(
                "opens a `batch_alter_table()` block, which changes the schema, at {}",
                call.loc
            ));
            return Ok(unknown(
                "batch_alter_table() in code that may not run",
                &call.loc,
            ));
        }
        match self.lower(|l| ops::begin_batch(call, l)) {
            Ok(table) => Ok(self.new_object(State::Batch {
                table: Some(table),
                pending: 0,
                loc: call.loc.clone(),
            })),
            Err(LowerError::Unknown(u)) => Ok(unknown(
                format!(
                    "the batch_alter_table() arguments are not known: {}",
                    u.reason
                ),
                &call.loc,
            )),
            Err(LowerError::Unsupported(u)) => Ok(unknown(
                format!("batch_alter_table() is not simulated: {}", u.reason),
                &call.loc,
            )),
            Err(LowerError::WouldFail(w)) => Err(exception_of(&w.exception, w.message, w.loc)),
        }
    }

    fn batch_op(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        match name {
            "get_bind" => return Ok(self.bind_value()),
            "get_context" => return Ok(self.context_value()),
            "f" => {
                return Ok(match call.args.first() {
                    Some(Value::Str(s)) => {
                        let mut s = s.clone();
                        s.conv = true;
                        Value::Str(s)
                    }
                    Some(other) => other.clone(),
                    None => unknown("batch_op.f() without a name", &call.loc),
                });
            }
            _ => {}
        }
        if !self.speculations.is_empty() {
            // Queuing into a batch opened before cannot be undone.
            self.fail_speculation(format!(
                "adds `{name}()` to a batch opened before it, at {}",
                call.loc
            ));
            return Ok(Value::None);
        }
        self.out.ops_total += 1;
        let Some(State::Batch { table, .. }) = self.objects.get_mut(obj.id as usize) else {
            return Ok(unknown("batch context not found", &call.loc));
        };
        let Some(mut bt) = table.take() else {
            self.op_opaque(
                format!("batch_op.{name}() after the batch block ended"),
                call.loc.clone(),
            );
            return Ok(Value::None);
        };
        let r = self.lower(|l| ops::lower_batch_op(&mut bt, name, call, l));
        if let Some(State::Batch { table, pending, .. }) = self.objects.get_mut(obj.id as usize) {
            *table = Some(bt);
            if matches!(&r, Ok(l) if l.statements.is_empty()) && name != "execute" {
                // Queued: counted when the block ends.
                *pending += 1;
                return Ok(Value::None);
            }
        }
        self.apply(&format!("batch_op.{name}()"), &call.loc, r, false)?;
        Ok(Value::None)
    }

    fn end_batch(&mut self, obj: &HostObject, raised: bool) -> Result<(), Abort> {
        let Some(State::Batch {
            table,
            pending,
            loc,
        }) = self.objects.get_mut(obj.id as usize)
        else {
            return Ok(());
        };
        let (Some(bt), pending, loc) = (table.take(), std::mem::take(pending), loc.clone()) else {
            return Ok(());
        };
        if raised {
            // Alembic's context manager does not flush when the block
            // raises: the queued operations never run.
            self.out.ops_simulated += pending;
            return Ok(());
        }
        match self.lower(|l| ops::finish_batch(bt, l)) {
            Ok(l) => {
                self.out.ops_simulated += pending;
                self.send(l.statements, false)
            }
            Err(LowerError::Unknown(u)) => {
                self.batch_opaque(format!("batch_alter_table(): {}", u.reason), loc, pending);
                Ok(())
            }
            Err(LowerError::Unsupported(u)) => {
                self.batch_opaque(u.reason, loc, pending);
                Ok(())
            }
            Err(LowerError::WouldFail(w)) => {
                self.out.ops_simulated += pending;
                self.send(w.emitted, false)?;
                Err(exception_of(&w.exception, w.message, w.loc))
            }
        }
    }

    fn batch_opaque(&mut self, reason: String, loc: Loc, pending: u32) {
        self.out.ops_opaque += pending;
        let step = OpaqueStep {
            reason,
            loc,
            hidden_ops: pending,
        };
        self.emit_opaque(step, false);
    }

    /// `bind.execute(x, params)`, `exec_driver_sql`, `session.execute`,
    /// `context.execute`: the SQL `op.execute(x)` would send.
    fn execute_sql(&mut self, what: &str, call: &Call, autocommit: bool) -> HostResult {
        self.out.ops_total += 1;
        let Some(stmt) = call
            .arg(0, "statement")
            .or_else(|| call.kwarg("sqltext"))
            .cloned()
        else {
            return Err(exception_of(
                "TypeError",
                format!("{what}() missing 1 required positional argument: 'statement'"),
                call.loc.clone(),
            ));
        };
        let params = call
            .args
            .get(1)
            .cloned()
            .or_else(|| call.kwarg("parameters").cloned());
        let params = match params {
            // executemany: the statement is compiled once, for the keys of
            // the first parameter set; the other sets change rows only.
            Some(Value::List(sets))
                if !self.ctx.offline && sets.iter().all(|s| matches!(s, Value::Dict(_))) =>
            {
                sets.first().cloned()
            }
            // Parameter sets that are not known leave the SQL as it is
            // when the statement fixes its own columns.
            Some(Value::Unknown(_)) if !self.ctx.offline && columns_fixed(&stmt) => None,
            other => other,
        };
        let stmt = match params {
            Some(Value::Dict(kv)) if !kv.is_empty() => {
                // A parameter's value travels apart from the statement: one
                // the reader does not know (a column of a row read before)
                // changes nothing the catalog checks, and is sent as a
                // parameter placeholder. Offline, Alembic would print it, so
                // it must be known.
                let kv: Vec<(Value, Value)> = if self.ctx.offline {
                    kv
                } else {
                    kv.into_iter()
                        .map(|(k, v)| {
                            if ops::bind_value_unknown(&v) {
                                let p = Call {
                                    callee: Callee::Symbol(Symbol::new(ops::UNKNOWN_PARAMETER)),
                                    args: Vec::new(),
                                    kwargs: Vec::new(),
                                    loc: call.loc.clone(),
                                };
                                (k, Value::Call(Arc::new(p)))
                            } else {
                                (k, v)
                            }
                        })
                        .collect()
                };
                let text = match stmt {
                    Value::Str(_) => Value::Call(Arc::new(Call {
                        callee: Callee::Symbol(Symbol::new("sqlalchemy.text")),
                        args: vec![stmt],
                        kwargs: Vec::new(),
                        loc: call.loc.clone(),
                    })),
                    other => other,
                };
                let kwargs = kv
                    .into_iter()
                    .map(|(k, v)| (k.as_str().unwrap_or("?").to_owned(), v))
                    .collect();
                Value::Call(Arc::new(Call {
                    callee: Callee::Method {
                        receiver: text,
                        name: "bindparams".into(),
                    },
                    args: Vec::new(),
                    kwargs,
                    loc: call.loc.clone(),
                }))
            }
            Some(Value::None) | None => stmt,
            Some(Value::Dict(_)) => stmt,
            Some(other) => {
                self.op_opaque(
                    format!(
                        "{what}() with parameters that are not a known dict: {}",
                        crate::python::eval::describe_unknown(&other)
                    ),
                    call.loc.clone(),
                );
                return Ok(self.result_value(&call.loc));
            }
        };
        let as_op = Call {
            callee: Callee::Symbol(Symbol::new("alembic.op.execute")),
            args: vec![stmt],
            kwargs: Vec::new(),
            loc: call.loc.clone(),
        };
        let r = self.lower(|l| ops::lower_op("execute", &as_op, l));
        let query = match &r {
            Ok(l) if l.statements.len() == 1 => Some(l.statements[0].sql.clone()),
            _ => None,
        };
        self.apply(&format!("{what}()"), &call.loc, r, autocommit)?;
        Ok(self.result_with(query.as_deref()))
    }

    fn result_value(&mut self, _loc: &Loc) -> Value {
        self.result_with(None)
    }

    /// A result object; its rows are known when `query` reads the system
    /// catalogs only and the schema view decides it (the statement has
    /// run already, so the view sees what PostgreSQL would).
    fn result_with(&mut self, query: Option<&str>) -> Value {
        if self.ctx.offline {
            // The offline mock connection returns nothing.
            return Value::None;
        }
        let rows = query
            .and_then(|q| self.sink.schema().catalog_query(q))
            .map(ResultRows::new);
        self.new_object(State::Result(rows))
    }

    /// `result.<name>(...)` on a result whose rows are known.
    fn result_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        let loc = &call.loc;
        let Some(State::Result(Some(rows))) = self.objects.get_mut(obj.id as usize) else {
            return Ok(unknown(
                format!(
                    "`result.{name}()`: rows returned by the database are not known statically"
                ),
                loc,
            ));
        };
        let taken = match name {
            "keys" => {
                return Ok(Value::List(
                    rows.columns
                        .iter()
                        .map(|c| Value::str(c.as_str()))
                        .collect(),
                ));
            }
            "close" => {
                rows.closed = true;
                return Ok(Value::None);
            }
            "scalars" | "mappings" => {
                let shape = if name == "mappings" {
                    Shape::Mappings
                } else {
                    match call.arg(0, "index") {
                        None => Shape::Scalars(0),
                        Some(Value::Int(i)) => match usize::try_from(*i) {
                            Ok(i) if i < rows.columns.len() => Shape::Scalars(i),
                            _ => {
                                return Err(exception_of(
                                    "builtins.IndexError",
                                    "tuple index out of range".into(),
                                    loc.clone(),
                                ));
                            }
                        },
                        Some(Value::Str(c)) => {
                            match rows.columns.iter().position(|n| **n == *c.value) {
                                Some(i) => Shape::Scalars(i),
                                None => {
                                    return Err(exception_of(
                                        "sqlalchemy.exc.NoSuchColumnError",
                                        format!(
                                            "Could not locate column in row for column '{}'",
                                            c.value
                                        ),
                                        loc.clone(),
                                    ));
                                }
                            }
                        }
                        Some(other) => {
                            return Ok(unknown(
                                format!(
                                    "`result.scalars()` of a column that is not known: {}",
                                    crate::python::eval::describe_unknown(other)
                                ),
                                loc,
                            ));
                        }
                    }
                };
                let mut copy = rows.clone();
                copy.shape = shape;
                // Both read one cursor: the original is not followed any more.
                rows.lost = Some("its rows were read through `scalars()`/`mappings()`".into());
                return Ok(self.new_object(State::Result(Some(copy))));
            }
            "fetchone" => rows.take(Some(1)).map(|r| (r, Pick::FirstOrNone)),
            "fetchmany" => {
                let n = match call.arg(0, "size") {
                    None | Some(Value::None) => 1,
                    Some(Value::Int(i)) => usize::try_from(*i).unwrap_or(0),
                    Some(other) => {
                        return Ok(unknown(
                            format!(
                                "`result.fetchmany()` size is not known: {}",
                                crate::python::eval::describe_unknown(other)
                            ),
                            loc,
                        ));
                    }
                };
                rows.take(Some(n)).map(|r| (r, Pick::All))
            }
            "fetchall" | "all" => rows.take(None).map(|r| (r, Pick::All)),
            "first" | "scalar" => rows.single(false).map(|r| (r, Pick::FirstOrNone)),
            "one" | "scalar_one" => rows.single(true).and_then(|r| match r.len() {
                0 => Err(Taken::Raise(
                    "sqlalchemy.exc.NoResultFound",
                    "No row was found when one was required",
                )),
                1 => Ok((r, Pick::FirstOrNone)),
                _ => Err(Taken::Raise(
                    "sqlalchemy.exc.MultipleResultsFound",
                    "Multiple rows were found when exactly one was required",
                )),
            }),
            "one_or_none" | "scalar_one_or_none" => rows.single(true).and_then(|r| match r.len() {
                0 | 1 => Ok((r, Pick::FirstOrNone)),
                _ => Err(Taken::Raise(
                    "sqlalchemy.exc.MultipleResultsFound",
                    "Multiple rows were found when one or none was required",
                )),
            }),
            _ => {
                return Ok(unknown(
                    format!(
                        "`result.{name}()`: rows returned by the database are not known statically"
                    ),
                    loc,
                ));
            }
        };
        let shape = match name {
            "scalar" | "scalar_one" | "scalar_one_or_none" => Shape::Scalars(0),
            _ => rows.shape,
        };
        let columns = rows.columns.clone();
        let (taken, pick) = match taken {
            Ok(t) => t,
            Err(Taken::Unknown(why)) => {
                return Ok(unknown(format!("`result.{name}()`: {why}"), loc));
            }
            Err(Taken::Raise(class, message)) => {
                return Err(exception_of(class, message.into(), loc.clone()));
            }
        };
        let mut out: Vec<Value> = taken
            .into_iter()
            .map(|r| self.row_value(&columns, r, shape, loc))
            .collect();
        Ok(match pick {
            Pick::FirstOrNone => {
                if out.is_empty() {
                    Value::None
                } else {
                    out.swap_remove(0)
                }
            }
            Pick::All => Value::List(out),
        })
    }

    /// One row as Python sees it.
    fn row_value(
        &mut self,
        columns: &[String],
        row: Vec<QueryValue>,
        shape: Shape,
        loc: &Loc,
    ) -> Value {
        let values: Vec<Value> = row.into_iter().map(|v| py_value(v, loc)).collect();
        match shape {
            Shape::Scalars(i) => values.into_iter().nth(i).unwrap_or(Value::None),
            Shape::Mappings => Value::Dict(
                columns
                    .iter()
                    .map(|c| Value::str(c.as_str()))
                    .zip(values)
                    .collect(),
            ),
            Shape::Rows => self.new_object(State::Row {
                columns: columns.to_vec(),
                values,
            }),
        }
    }

    fn row_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        let Some(State::Row { columns, values }) = self.state(obj) else {
            return Ok(unknown("row not found", &call.loc));
        };
        Ok(match name {
            "_asdict" => Value::Dict(
                columns
                    .iter()
                    .map(|c| Value::str(c.as_str()))
                    .zip(values.iter().cloned())
                    .collect(),
            ),
            "_tuple" => Value::Tuple(values.clone()),
            _ => unknown(format!("`row.{name}()` is not modelled"), &call.loc),
        })
    }

    fn inspector(&mut self, call: &Call) -> HostResult {
        if self.ctx.offline {
            return Err(exception_of(
                "sqlalchemy.exc.NoInspectionAvailable",
                "No inspection system is available for object of type <class 'sqlalchemy.engine.mock.MockConnection'>".into(),
                call.loc.clone(),
            ));
        }
        Ok(self.new_object(State::Inspector))
    }

    fn inspector_method(&mut self, name: &str, call: &Call) -> HostResult {
        let loc = &call.loc;
        let schema_arg = |idx: usize| -> Result<Option<String>, Value> {
            match call.arg(idx, "schema") {
                None | Some(Value::None) => Ok(None),
                Some(Value::Str(s)) => Ok(Some(s.value.to_string())),
                Some(other) => Err(other.clone()),
            }
        };
        let table_arg = |idx: usize, kw: &str| -> Result<String, Value> {
            match call.arg(idx, kw) {
                Some(Value::Str(s)) => Ok(s.value.to_string()),
                Some(other) => Err(other.clone()),
                None => Err(Value::unknown(
                    format!("{name}() without `{kw}`"),
                    loc.clone(),
                )),
            }
        };
        macro_rules! known {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(v) => {
                        return Ok(unknown(
                            format!(
                                "inspector.{name}() argument is not known: {}",
                                crate::python::eval::describe_unknown(&v)
                            ),
                            loc,
                        ));
                    }
                }
            };
        }
        let no_such_table = |schema: &Option<String>, table: &str| {
            let shown = match schema {
                Some(s) => format!("{s}.{table}"),
                None => table.to_owned(),
            };
            exception_of("sqlalchemy.exc.NoSuchTableError", shown, loc.clone())
        };
        let strs = |v: Vec<String>| Value::List(v.into_iter().map(Value::str).collect());
        let opt = |s: Option<String>| s.map(Value::str).unwrap_or(Value::None);
        let dict = |pairs: Vec<(&str, Value)>| {
            Value::Dict(pairs.into_iter().map(|(k, v)| (Value::str(k), v)).collect())
        };
        let s = self.schema();
        Ok(match name {
            "get_schema_names" => strs(s.schema_names()),
            "get_table_names" => strs(s.table_names(known!(schema_arg(0)).as_deref())),
            "get_view_names" => strs(s.view_names(known!(schema_arg(0)).as_deref())),
            "get_sequence_names" => strs(s.sequence_names(known!(schema_arg(0)).as_deref())),
            "has_table" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let sc = schema.as_deref();
                Value::Bool(s.has_table(sc, &t) || s.view_names(sc).contains(&t))
            }
            "has_sequence" => {
                let n = known!(table_arg(0, "sequence_name"));
                let schema = known!(schema_arg(1));
                Value::Bool(s.sequence_names(schema.as_deref()).contains(&n))
            }
            "has_index" => {
                let t = known!(table_arg(0, "table_name"));
                let i = known!(table_arg(1, "index_name"));
                let schema = known!(schema_arg(2));
                Value::Bool(
                    s.indexes(schema.as_deref(), &t)
                        .is_some_and(|ix| ix.iter().any(|x| x.name == i)),
                )
            }
            "has_schema" => {
                let n = known!(table_arg(0, "schema_name"));
                Value::Bool(s.schema_names().contains(&n))
            }
            "get_columns" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let Some(cols) = s.columns(schema.as_deref(), &t) else {
                    return Err(no_such_table(&schema, &t));
                };
                Value::List(
                    cols.into_iter()
                        .map(|c| {
                            let autoincrement = c.identity
                                || c.default
                                    .as_deref()
                                    .is_some_and(|d| d.starts_with("nextval("));
                            let mut pairs = vec![
                                ("name", Value::str(c.name)),
                                ("type", raw_type(&c.type_sql, loc)),
                                ("nullable", Value::Bool(c.nullable)),
                                ("default", opt(c.default)),
                                ("autoincrement", Value::Bool(autoincrement)),
                                ("comment", opt(c.comment)),
                            ];
                            if let Some(g) = c.generated {
                                pairs.push((
                                    "computed",
                                    dict(vec![
                                        ("sqltext", Value::str(g)),
                                        ("persisted", Value::Bool(true)),
                                    ]),
                                ));
                            }
                            dict(pairs)
                        })
                        .collect(),
                )
            }
            "get_pk_constraint" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                if s.columns(schema.as_deref(), &t).is_none() {
                    return Err(no_such_table(&schema, &t));
                }
                match s.primary_key(schema.as_deref(), &t) {
                    Some(pk) => dict(vec![
                        ("constrained_columns", strs(pk.columns)),
                        ("name", opt(pk.name)),
                        ("comment", Value::None),
                    ]),
                    None => dict(vec![
                        ("constrained_columns", Value::List(Vec::new())),
                        ("name", Value::None),
                    ]),
                }
            }
            "get_foreign_keys" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let Some(fks) = s.foreign_keys(schema.as_deref(), &t) else {
                    return Err(no_such_table(&schema, &t));
                };
                Value::List(
                    fks.into_iter()
                        .map(|f| {
                            let mut options = Vec::new();
                            if let Some(d) = f.on_delete {
                                options.push(("ondelete", Value::str(d)));
                            }
                            if let Some(u) = f.on_update {
                                options.push(("onupdate", Value::str(u)));
                            }
                            dict(vec![
                                ("name", Value::str(f.name)),
                                ("constrained_columns", strs(f.columns)),
                                ("referred_schema", opt(f.referred_schema)),
                                ("referred_table", Value::str(f.referred_table)),
                                ("referred_columns", strs(f.referred_columns)),
                                ("options", dict(options)),
                                ("comment", Value::None),
                            ])
                        })
                        .collect(),
                )
            }
            "get_indexes" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let Some(ixs) = s.indexes(schema.as_deref(), &t) else {
                    return Err(no_such_table(&schema, &t));
                };
                Value::List(
                    ixs.into_iter()
                        .map(|i| {
                            let cols =
                                Value::List(i.columns.iter().map(|c| opt(c.clone())).collect());
                            dict(vec![
                                ("name", Value::str(i.name)),
                                ("unique", Value::Bool(i.unique)),
                                ("column_names", cols),
                                ("include_columns", Value::List(Vec::new())),
                                ("dialect_options", Value::Dict(Vec::new())),
                            ])
                        })
                        .collect(),
                )
            }
            "get_unique_constraints" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let Some(us) = s.unique_constraints(schema.as_deref(), &t) else {
                    return Err(no_such_table(&schema, &t));
                };
                Value::List(
                    us.into_iter()
                        .map(|u| {
                            dict(vec![
                                ("name", Value::str(u.name)),
                                ("column_names", strs(u.columns)),
                                ("comment", Value::None),
                            ])
                        })
                        .collect(),
                )
            }
            "get_check_constraints" => {
                let t = known!(table_arg(0, "table_name"));
                let schema = known!(schema_arg(1));
                let Some(cs) = s.check_constraints(schema.as_deref(), &t) else {
                    return Err(no_such_table(&schema, &t));
                };
                Value::List(
                    cs.into_iter()
                        .map(|c| {
                            dict(vec![
                                ("name", Value::str(c.name)),
                                ("sqltext", Value::str(c.sqltext)),
                                ("comment", Value::None),
                            ])
                        })
                        .collect(),
                )
            }
            "get_enums" => {
                let schema = match call.arg(0, "schema") {
                    None | Some(Value::None) => None,
                    Some(Value::Str(x)) if &*x.value == "*" => Some("*".to_owned()),
                    Some(Value::Str(x)) => Some(x.value.to_string()),
                    Some(other) => {
                        return Ok(unknown(
                            format!(
                                "inspector.get_enums() schema is not known: {}",
                                crate::python::eval::describe_unknown(other)
                            ),
                            loc,
                        ));
                    }
                };
                Value::List(
                    s.enums(schema.as_deref())
                        .into_iter()
                        .map(|e| {
                            dict(vec![
                                ("name", Value::str(e.name)),
                                ("schema", Value::str(e.schema)),
                                ("visible", Value::Bool(e.visible)),
                                ("labels", strs(e.labels)),
                            ])
                        })
                        .collect(),
                )
            }
            "clear_cache" => Value::None,
            "get_table_comment"
            | "get_multi_columns"
            | "get_temp_table_names"
            | "get_materialized_view_names"
            | "get_view_definition"
            | "get_table_options"
            | "get_sorted_table_and_fkc_names"
            | "reflect_table" => unknown(format!("inspector.{name}() is not modelled"), loc),
            _ => {
                return Err(exception_of(
                    "AttributeError",
                    format!("'PGInspector' object has no attribute '{name}'"),
                    loc.clone(),
                ));
            }
        })
    }

    /// `enum_type.create(bind)` / `.drop(bind)`: an operation of its own.
    fn type_ddl(&mut self, receiver: &Value, name: &str, call: &Call) -> Option<HostResult> {
        let offline = self.ctx.offline;
        let lowered = self.lower(|ctx| ops::lower_type_ddl(receiver, name, call, ctx, offline))?;
        self.out.ops_total += 1;
        let what = format!("`{name}()` of an ENUM type");
        Some(
            self.apply(&what, &call.loc, lowered, false)
                .map(|()| Value::None),
        )
    }

    fn dialect_method(&mut self, name: &str, call: &Call) -> HostResult {
        // `bind.dialect.has_table(conn, name, schema=None)`: the first
        // argument is the connection.
        let shifted = Call {
            callee: call.callee.clone(),
            args: call.args.iter().skip(1).cloned().collect(),
            kwargs: call.kwargs.clone(),
            loc: call.loc.clone(),
        };
        match name {
            "has_table" | "has_sequence" | "has_index" | "has_schema" => {
                self.inspector_method(name, &shifted)
            }
            "has_type" => {
                let (Some(Value::Str(t)), schema) =
                    (shifted.arg(0, "type_name"), shifted.arg(1, "schema"))
                else {
                    return Ok(unknown(
                        "dialect.has_type() with a name that is not known",
                        &call.loc,
                    ));
                };
                let schema = schema.and_then(Value::as_str).map(str::to_owned);
                let found = self.schema().has_type(schema.as_deref(), &t.value);
                Ok(Value::Bool(found))
            }
            "type_descriptor" => Ok(call.args.first().cloned().unwrap_or(Value::None)),
            _ => Ok(unknown(
                format!("`dialect.{name}()` is not known statically"),
                &call.loc,
            )),
        }
    }

    fn session_method(&mut self, name: &str, call: &Call) -> HostResult {
        match name {
            "execute" => self.execute_sql("session.execute", call, false),
            "add"
            | "add_all"
            | "merge"
            | "delete"
            | "bulk_save_objects"
            | "bulk_insert_mappings"
            | "bulk_update_mappings" => {
                self.data_opaque(
                    format!("ORM session (data step): `session.{name}()` writes rows through the models' mappers, which migsim does not simulate"),
                    call.loc.clone(),
                );
                Ok(Value::None)
            }
            "query" => Ok(self.new_object(State::Query)),
            "commit" | "flush" | "close" | "rollback" | "begin" | "begin_nested" | "expunge"
            | "expunge_all" | "expire_all" | "refresh" | "expire" => Ok(Value::None),
            _ => Ok(unknown(
                format!("`session.{name}()` reads rows, which are not known statically"),
                &call.loc,
            )),
        }
    }

    fn query_method(&mut self, name: &str, call: &Call) -> HostResult {
        match name {
            "update" | "delete" => {
                self.data_opaque(
                    format!("ORM session (data step): `query.{name}()` writes rows through the models' mappers, which migsim does not simulate"),
                    call.loc.clone(),
                );
                Ok(unknown(
                    "rows changed by an ORM query are not known statically",
                    &call.loc,
                ))
            }
            "filter" | "filter_by" | "order_by" | "join" | "outerjoin" | "limit" | "offset"
            | "options" | "distinct" | "group_by" | "having" | "with_entities" | "yield_per"
            | "execution_options" => Ok(self.new_object(State::Query)),
            _ => Ok(unknown(
                "rows of an ORM query are not known statically",
                &call.loc,
            )),
        }
    }

    /// Symbols of `alembic.context` (the `EnvironmentContext` proxy).
    fn context_function(&mut self, name: &str, call: &Call) -> Option<HostResult> {
        Some(match name {
            "get_context" => Ok(self.context_value()),
            "get_bind" => Ok(self.bind_value()),
            "is_offline_mode" => Ok(Value::Bool(self.ctx.offline)),
            "is_transactional_ddl" => Ok(Value::Bool(true)),
            "execute" => self.execute_sql("context.execute", call, false),
            "get_x_argument" => Ok(unknown(
                "command-line `-x` arguments are not known statically (pin the expression in the configuration)",
                &call.loc,
            )),
            "get_tag_argument" => Ok(unknown(
                "the `--tag` argument is not known statically",
                &call.loc,
            )),
            "get_revision_argument"
            | "get_head_revision"
            | "get_head_revisions"
            | "get_starting_revision_argument" => Ok(unknown(
                format!("`context.{name}()` depends on the command line"),
                &call.loc,
            )),
            _ => {
                if name.starts_with("config.") {
                    Ok(unknown(
                        format!(
                            "`context.{name}()` reads alembic.ini, which migsim does not read here (pin the expression)"
                        ),
                        &call.loc,
                    ))
                } else {
                    return None;
                }
            }
        })
    }
}

impl RunHost<'_, '_> {
    /// `row[i]`, `len(row)`; results are neither subscriptable nor sized.
    fn host_access(&mut self, h: &HostObject, access: Access<'_>, loc: &Loc) -> Option<HostResult> {
        let raise =
            |class: &str, message: String| Some(Err(exception_of(class, message, loc.clone())));
        match (self.state(h)?, access) {
            (State::Row { values, .. }, Access::Item(Value::Int(i))) => {
                let idx = if *i < 0 { *i + values.len() as i64 } else { *i };
                match usize::try_from(idx).ok().and_then(|i| values.get(i)) {
                    Some(v) => Some(Ok(v.clone())),
                    None => raise("IndexError", "tuple index out of range".into()),
                }
            }
            (State::Row { .. }, Access::Item(Value::Str(_))) => raise(
                "TypeError",
                "tuple indices must be integers or slices, not str".into(),
            ),
            (State::Row { values, .. }, Access::Len) => Some(Ok(Value::Int(values.len() as i64))),
            (State::Result(_), Access::Len) => raise(
                "TypeError",
                "object of type 'CursorResult' has no len()".into(),
            ),
            (State::Result(_), Access::Item(_)) => raise(
                "TypeError",
                "'CursorResult' object is not subscriptable".into(),
            ),
            _ => None,
        }
    }
}

/// The rows of a result, and how far they were read.
#[derive(Debug, Clone)]
struct ResultRows {
    columns: Vec<String>,
    rows: Vec<Vec<QueryValue>>,
    ordered: bool,
    /// Rows taken so far.
    next: usize,
    /// Which rows were taken is not known, and why.
    lost: Option<String>,
    closed: bool,
    shape: Shape,
}

/// What a result yields per row.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Rows,
    /// `result.scalars(i)`: column `i` of each row.
    Scalars(usize),
    /// `result.mappings()`: a dict per row.
    Mappings,
}

/// How a method answers from the rows it took.
enum Pick {
    FirstOrNone,
    All,
}

/// Why rows could not be taken.
enum Taken {
    Unknown(String),
    Raise(&'static str, &'static str),
}

impl ResultRows {
    fn new(q: QueryRows) -> Self {
        ResultRows {
            columns: q.columns,
            rows: q.rows,
            ordered: q.ordered,
            next: 0,
            lost: None,
            closed: false,
            shape: Shape::Rows,
        }
    }

    fn remaining(&self) -> &[Vec<QueryValue>] {
        &self.rows[self.next.min(self.rows.len())..]
    }

    /// Which of the remaining rows comes first is not known.
    fn order_unknown(&self) -> bool {
        let rest = self.remaining();
        !self.ordered && rest.iter().any(|r| *r != rest[0])
    }

    fn check_open(&self) -> Result<(), Taken> {
        if self.closed {
            return Err(Taken::Raise(
                "sqlalchemy.exc.ResourceClosedError",
                "This result object is closed.",
            ));
        }
        if let Some(why) = &self.lost {
            return Err(Taken::Unknown(why.clone()));
        }
        Ok(())
    }

    /// The next `n` rows (all of them for `None`).
    fn take(&mut self, n: Option<usize>) -> Result<Vec<Vec<QueryValue>>, Taken> {
        self.check_open()?;
        let rest = self.remaining().len();
        let n = n.unwrap_or(rest).min(rest);
        if n > 0 && self.order_unknown() {
            if n < rest {
                self.lost = Some("which rows came first is not known".into());
            } else {
                self.next = self.rows.len();
            }
            if n == 1 {
                return Ok(vec![self.any_row()]);
            }
            return Err(Taken::Unknown(
                "the rows are known, their order is not (no ORDER BY that decides it)".into(),
            ));
        }
        let out = self.remaining()[..n].to_vec();
        self.next += n;
        Ok(out)
    }

    /// `first()`, `one()` and their scalar forms: the remaining rows (all
    /// of them when `all`, else the first), closing the result.
    fn single(&mut self, all: bool) -> Result<Vec<Vec<QueryValue>>, Taken> {
        self.check_open()?;
        self.closed = true;
        let rest = self.remaining().to_vec();
        if all || rest.len() <= 1 {
            return Ok(rest);
        }
        if self.order_unknown() {
            return Ok(vec![self.any_row()]);
        }
        Ok(rest.into_iter().take(1).collect())
    }

    /// One of the remaining rows, not known which: the values they share,
    /// unknown where they differ.
    fn any_row(&self) -> Vec<QueryValue> {
        let rest = self.remaining();
        let mut row = rest.first().cloned().unwrap_or_default();
        for r in rest.iter().skip(1) {
            for (a, b) in row.iter_mut().zip(r) {
                if a != b {
                    *a = QueryValue::Unknown;
                }
            }
        }
        row
    }
}

fn py_value(v: QueryValue, loc: &Loc) -> Value {
    match v {
        QueryValue::Null => Value::None,
        QueryValue::Bool(b) => Value::Bool(b),
        QueryValue::Int(i) => Value::Int(i),
        QueryValue::Text(t) => Value::str(t),
        QueryValue::Unknown => unknown(
            "a value the simulated catalog does not know (an OID, which PostgreSQL numbers its own way, or a row of several taken in an order not known)",
            loc,
        ),
    }
}

fn raw_type(sql: &str, loc: &Loc) -> Value {
    Value::Call(Arc::new(Call {
        callee: Callee::Symbol(Symbol::new(crate::python::types::RAW_TYPE)),
        args: vec![Value::Str(PyStr::plain(sql))],
        kwargs: Vec::new(),
        loc: loc.clone(),
    }))
}

fn is_host_kind(v: &Value, kinds: &[&str]) -> bool {
    v.as_host().is_some_and(|h| kinds.contains(&h.kind))
}

impl Host for RunHost<'_, '_> {
    fn call_symbol(&mut self, call: &Call) -> Option<HostResult> {
        if let Callee::Method { receiver, name } = &call.callee {
            let view = (!self.ctx.offline).then(|| self.sink.schema());
            if let Some(r) = self.reflection.method(view, receiver, name, call) {
                return Some(r);
            }
            self.reflection.note_escapes(call);
            return self.type_ddl(receiver, name, call);
        }
        let s = call.symbol()?;
        let path = &*s.path;
        match reflect::sa_name(path) {
            Some("MetaData") => return Some(Ok(self.reflection.metadata(call))),
            Some("Table") => {
                return match self.reflection.table_request(call) {
                    TableRequest::Explicit => self.reflection.explicit_table(call).map(Ok),
                    TableRequest::Reflect => {
                        let view = (!self.ctx.offline).then(|| self.sink.schema());
                        Some(self.reflection.reflect_table(view, call))
                    }
                    TableRequest::Unknown(reason) => Some(Ok(unknown(reason, &call.loc))),
                };
            }
            _ => self.reflection.note_escapes(call),
        }
        if let Some(name) = path.strip_prefix("alembic.op.") {
            if matches!(name, "f" | "inline_literal") {
                return None;
            }
            return Some(self.op_call(name, call));
        }
        if let Some(name) = path.strip_prefix("alembic.context.") {
            return self.context_function(name, call);
        }
        let connection = call
            .args
            .first()
            .or_else(|| call.kwarg("bind"))
            .is_some_and(|v| is_host_kind(v, &["bind", "engine"]));
        match path {
            "sqlalchemy.inspect" | "sqlalchemy.inspection.inspect" if connection => {
                Some(self.inspector(call))
            }
            "sqlalchemy.engine.reflection.Inspector.from_engine"
            | "sqlalchemy.Inspector.from_engine"
            | "sqlalchemy.engine.Inspector.from_engine"
                if connection =>
            {
                Some(self.inspector(call))
            }
            "sqlalchemy.orm.Session"
            | "sqlalchemy.orm.session.Session"
            | "sqlalchemy.orm.scoped_session" => Some(Ok(self.new_object(State::Session))),
            "sqlalchemy.orm.sessionmaker" | "sqlalchemy.orm.session.sessionmaker" => {
                Some(Ok(self.new_object(State::SessionMaker)))
            }
            _ => None,
        }
    }

    fn call_method(&mut self, obj: &HostObject, name: &str, call: &Call) -> HostResult {
        let Some(state) = self.state(obj) else {
            return Ok(unknown("host object not found", &call.loc));
        };
        match state {
            State::Batch { .. } => self.batch_op(obj, name, call),
            State::Bind { autocommit } => {
                let autocommit = *autocommit;
                match name {
                    "execute" => self.execute_sql("bind.execute", call, autocommit),
                    "exec_driver_sql" => self.execute_sql("bind.exec_driver_sql", call, autocommit),
                    "execution_options" => {
                        let ac = call
                            .kwarg("isolation_level")
                            .and_then(Value::as_str)
                            .is_some_and(|l| l == "AUTOCOMMIT");
                        Ok(self.new_object(State::Bind {
                            autocommit: autocommit || ac,
                        }))
                    }
                    "connect" => Ok(Value::Host(obj.clone())),
                    "begin" | "begin_nested" => Ok(self.new_object(State::Transaction)),
                    "commit" | "rollback" | "close" | "invalidate" | "detach" => Ok(Value::None),
                    _ => Ok(unknown(
                        format!("`bind.{name}()` is not known statically"),
                        &call.loc,
                    )),
                }
            }
            State::Engine => match name {
                "connect" => Ok(self.bind_value()),
                "begin" => Ok(self.new_object(State::Transaction)),
                "dispose" => Ok(Value::None),
                _ => Ok(unknown(
                    format!("`engine.{name}()` is not known statically"),
                    &call.loc,
                )),
            },
            State::Dialect => self.dialect_method(name, call),
            State::Context => match name {
                "autocommit_block" => Ok(self.new_object(State::AutocommitBlock)),
                "execute" => self.execute_sql("context.execute", call, false),
                "get_bind" => Ok(self.bind_value()),
                // These live on `alembic.context` (the EnvironmentContext),
                // not on the MigrationContext `op.get_context()` returns.
                "is_offline_mode" | "get_x_argument" | "is_transactional_ddl" => Err(exception_of(
                    "AttributeError",
                    format!("'MigrationContext' object has no attribute '{name}'"),
                    call.loc.clone(),
                )),
                _ => Ok(unknown(
                    format!("`MigrationContext.{name}()` is not known statically"),
                    &call.loc,
                )),
            },
            State::Inspector => self.inspector_method(name, call),
            State::Result(_) => self.result_method(obj, name, call),
            State::Row { .. } => self.row_method(obj, name, call),
            State::Transaction => match name {
                "commit" | "rollback" | "close" => Ok(Value::None),
                _ => Ok(unknown(
                    format!("`transaction.{name}()` is not modelled"),
                    &call.loc,
                )),
            },
            State::Session => self.session_method(name, call),
            State::SessionMaker => match name {
                "__call__" | "begin" => Ok(self.new_object(State::Session)),
                _ => Ok(unknown(
                    format!("`sessionmaker.{name}()` is not modelled"),
                    &call.loc,
                )),
            },
            State::Query => self.query_method(name, call),
            State::AutocommitBlock => {
                Ok(unknown(format!("`autocommit_block.{name}()`"), &call.loc))
            }
        }
    }

    fn get_attr(&mut self, obj: &HostObject, name: &str, loc: &Loc) -> HostResult {
        let Some(state) = self.state(obj) else {
            return Ok(unknown("host object not found", loc));
        };
        let method = || {
            Ok(unknown(
                format!(
                    "a method of a `{}` taken without calling it is not modelled",
                    obj.kind
                ),
                loc,
            ))
        };
        match state {
            State::Bind { .. } => match name {
                "dialect" => Ok(self.dialect_value()),
                "engine" => Ok(self.new_object(State::Engine)),
                "connection" => Ok(Value::Host(obj.clone())),
                "closed" | "invalidated" => Ok(Value::Bool(false)),
                _ => method(),
            },
            State::Engine => match name {
                "name" => Ok(Value::str("postgresql")),
                "dialect" => Ok(self.dialect_value()),
                "driver" => Ok(unknown("the database driver is not known statically", loc)),
                _ => method(),
            },
            State::Dialect => match name {
                "name" => Ok(Value::str("postgresql")),
                "server_version_info" => Ok(unknown(
                    "the PostgreSQL server version is not known statically (pin the expression)",
                    loc,
                )),
                "driver" => Ok(unknown("the database driver is not known statically", loc)),
                "default_schema_name" => Ok(Value::str("public")),
                _ => method(),
            },
            State::Context => match name {
                "dialect" => Ok(self.dialect_value()),
                "as_sql" => Ok(Value::Bool(self.ctx.offline)),
                "bind" | "connection" => Ok(self.bind_value()),
                _ => Ok(unknown(
                    format!("`MigrationContext.{name}` is not known statically"),
                    loc,
                )),
            },
            State::Result(_) => match name {
                "returns_rows" => Ok(Value::Bool(true)),
                _ => Ok(unknown(
                    format!("`result.{name}`: what the database returns is not known statically"),
                    loc,
                )),
            },
            State::Row { columns, values } => match name {
                "_mapping" => Ok(Value::Dict(
                    columns
                        .iter()
                        .map(|c| Value::str(c.as_str()))
                        .zip(values.iter().cloned())
                        .collect(),
                )),
                "_fields" => Ok(Value::Tuple(
                    columns.iter().map(|c| Value::str(c.as_str())).collect(),
                )),
                "_t" => Ok(Value::Tuple(values.clone())),
                "_asdict" | "_tuple" | "count" | "index" => method(),
                _ => match columns.iter().position(|c| c == name) {
                    Some(i) => Ok(values[i].clone()),
                    None => Err(exception_of(
                        "AttributeError",
                        format!("Could not locate column in row for column '{name}'"),
                        loc.clone(),
                    )),
                },
            },
            State::Inspector => match name {
                "bind" => Ok(self.bind_value()),
                "dialect" => Ok(self.dialect_value()),
                "default_schema_name" => Ok(Value::str("public")),
                _ => method(),
            },
            State::Batch { table, .. } => match name {
                "table_name" => Ok(table
                    .as_ref()
                    .map(|t| Value::str(t.table_name.as_str()))
                    .unwrap_or(Value::None)),
                "schema" => Ok(table
                    .as_ref()
                    .and_then(|t| t.schema.as_deref())
                    .map(Value::str)
                    .unwrap_or(Value::None)),
                _ => method(),
            },
            _ => method(),
        }
    }

    fn enter(&mut self, obj: &HostObject, loc: &Loc) -> HostResult {
        match self.state(obj) {
            Some(State::AutocommitBlock) => {
                if self.ctx.offline {
                    self.static_output("COMMIT;", loc)?;
                }
                self.autocommit += 1;
                Ok(Value::None)
            }
            Some(State::Engine) => Ok(self.bind_value()),
            Some(State::SessionMaker) => Ok(self.new_object(State::Session)),
            _ => Ok(Value::Host(obj.clone())),
        }
    }

    fn exit(&mut self, obj: &HostObject, loc: &Loc, raised: bool) -> Result<(), Abort> {
        match self.state(obj) {
            Some(State::Batch { .. }) => self.end_batch(obj, raised),
            Some(State::AutocommitBlock) => {
                self.autocommit = self.autocommit.saturating_sub(1);
                if self.ctx.offline {
                    self.static_output("BEGIN;", loc)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn iterate(&mut self, obj: &HostObject, loc: &Loc) -> HostResult {
        match self.state(obj) {
            Some(State::Row { values, .. }) => return Ok(Value::List(values.clone())),
            Some(State::Result(Some(_))) => {
                let call = Call {
                    callee: Callee::Method {
                        receiver: Value::Host(obj.clone()),
                        name: "__iter__".into(),
                    },
                    args: Vec::new(),
                    kwargs: Vec::new(),
                    loc: loc.clone(),
                };
                return match self.result_method(obj, "all", &call)? {
                    Value::Unknown(u) => Ok(unknown(
                        format!("the rows of a `result`: {}", u.reason),
                        loc,
                    )),
                    other => Ok(other),
                };
            }
            _ => {}
        }
        Ok(unknown(
            format!("the rows of a `{}` are not known statically", obj.kind),
            loc,
        ))
    }

    fn access(&mut self, v: &Value, access: Access<'_>, loc: &Loc) -> Option<HostResult> {
        if let Value::Host(h) = v {
            return self.host_access(h, access, loc);
        }
        self.reflection.access(v, access, loc)
    }

    fn opaque(&mut self, step: OpaqueStep) {
        self.out.ops_total += step.hidden_ops;
        self.out.ops_opaque += step.hidden_ops;
        self.emit_opaque(step, false);
    }

    fn begin_speculation(&mut self) -> bool {
        if self.ctx.offline {
            // Alembic's `--sql` prints what runs; a guess has no place there.
            return false;
        }
        let results = self
            .objects
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                State::Result(Some(r)) => Some((i, r.clone())),
                _ => None,
            })
            .collect();
        self.speculations.push(Speculation {
            held_from: self.held.len(),
            failed: None,
            counts: (
                self.out.ops_total,
                self.out.ops_simulated,
                self.out.ops_opaque,
                self.out.statements,
            ),
            opaque_len: self.out.opaque.len(),
            diagnostics_len: self.out.diagnostics.len(),
            autocommit: self.autocommit,
            results,
        });
        true
    }

    fn end_speculation(&mut self, ran: bool, hidden_ops: u32) -> Result<Speculated, Abort> {
        let Some(spec) = self.speculations.pop() else {
            return Ok(Speculated::Dropped(None));
        };
        // What the speculated run counted is not what happened: the code
        // is counted by its operations, once, below.
        (
            self.out.ops_total,
            self.out.ops_simulated,
            self.out.ops_opaque,
            self.out.statements,
        ) = spec.counts;
        self.out.opaque.truncate(spec.opaque_len);
        self.out.diagnostics.truncate(spec.diagnostics_len);
        self.autocommit = spec.autocommit;
        for (i, rows) in spec.results {
            if let Some(slot) = self.objects.get_mut(i) {
                *slot = State::Result(Some(rows));
            }
        }
        let beyond_rows = || {
            self.held[spec.held_from..].iter().find_map(|h| match h {
                // In an autocommit block opened before, rows are written
                // there as well; switching in or out is not a row change.
                Held::Sql(step) if step.autocommit != (spec.autocommit > 0) => Some(format!(
                    "runs a statement {} an autocommit block, at {}",
                    if step.autocommit { "inside" } else { "outside" },
                    step.loc
                )),
                Held::Sql(step) if !crate::sql::only_rows(&step.sql) => Some(format!(
                    "runs `{}`, which is not a row change, at {}",
                    crate::python::eval::squash(&step.sql),
                    step.loc
                )),
                Held::Sql(_) | Held::Data(_) => None,
            })
        };
        let dropped = if !ran {
            Some(None)
        } else if let Some(why) = spec.failed {
            Some(Some(why))
        } else if self.speculations.is_empty() {
            beyond_rows().map(Some)
        } else {
            None
        };
        if let Some(why) = dropped {
            self.held.truncate(spec.held_from);
            return Ok(Speculated::Dropped(why));
        }
        if !self.speculations.is_empty() {
            // Kept for the speculation around it to judge.
            return Ok(Speculated::Kept);
        }
        self.out.ops_total += hidden_ops;
        self.out.ops_simulated += hidden_ops;
        for h in std::mem::take(&mut self.held) {
            match h {
                Held::Sql(mut step) => {
                    step.conditional = true;
                    self.out.statements += 1;
                    self.sink.execute(step).map_err(|_| Abort::Halt)?;
                }
                Held::Data(step) => {
                    self.out.opaque.push(step.clone());
                    self.sink.opaque(step);
                }
            }
        }
        Ok(Speculated::Kept)
    }
}

/// Whether the SQL of an `execute()` statement is the same whatever
/// parameters it is given: a `select()` or `delete()`, or an insert /
/// update with `.values(...)` (without them, SQLAlchemy sets the columns
/// the parameters name).
fn columns_fixed(stmt: &Value) -> bool {
    let mut v = stmt;
    loop {
        let Value::Call(c) = v else { return false };
        match &c.callee {
            Callee::Method { receiver, name } => match name.as_str() {
                "values" => return true,
                "delete" => return true,
                "where" | "filter" | "order_by" | "limit" | "offset" | "returning"
                | "execution_options" | "inline" => v = receiver,
                _ => return false,
            },
            Callee::Symbol(s) => {
                let name = s.path.rsplit('.').next().unwrap_or("");
                return s.path.starts_with("sqlalchemy") && matches!(name, "select" | "delete");
            }
        }
    }
}
