//! DO blocks, run through libpg_query's PL/pgSQL parser. The idioms
//! migrations use are executed against the catalog: guarded DDL
//! (`IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = ...) THEN ...`),
//! `EXECUTE` of literal or `format()`-built DDL,
//! `BEGIN ... EXCEPTION WHEN duplicate_object THEN ... END`, variables
//! whose values are known, and loops: `FOR ... IN` a query the catalog
//! answers (see [`crate::catalog::probe::query`]), over integers, or
//! `FOREACH` over a literal array, `WHILE` and `LOOP` with conditions that
//! can be evaluated, `EXIT` and `CONTINUE`. A block that does anything
//! else is left out whole and reported as opaque, never half applied.

use pg_query::NodeEnum;
use pg_query::protobuf::{DoStmt, Token};
use serde_json::Value as Json;

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::names::truncate_identifier;
use crate::catalog::probe::{
    ArrayValue, Binding, Cell, QueryResult, Truth, Vars, eval_array, eval_condition, eval_string,
    eval_value, query_with_vars,
};
use crate::catalog::types::ColType;

/// Loop iterations a block may make before it is given up as opaque: a
/// loop that would run away is reported, never waited for.
const MAX_ITERATIONS: usize = 10_000;

/// Why a block could not be simulated.
#[derive(Debug)]
struct Opaque(String);

#[derive(Debug, Clone, PartialEq)]
enum Flow {
    Next,
    Return,
    /// `EXIT [label]`.
    Exit(Option<String>),
    /// `CONTINUE [label]`.
    Continue(Option<String>),
}

type Step = Result<Flow, Interrupt>;

#[derive(Debug)]
enum Interrupt {
    Error(PgError),
    Opaque(Opaque),
}

impl From<PgError> for Interrupt {
    fn from(e: PgError) -> Self {
        Interrupt::Error(e)
    }
}

fn opaque(reason: impl Into<String>) -> Interrupt {
    Interrupt::Opaque(Opaque(reason.into()))
}

/// What a loop does once its body has run.
enum LoopNext {
    Again,
    Break,
    Leave(Flow),
}

fn loop_next(flow: Flow, label: Option<&str>) -> LoopNext {
    match flow {
        Flow::Next | Flow::Continue(None) => LoopNext::Again,
        Flow::Exit(None) => LoopNext::Break,
        Flow::Continue(Some(l)) if label == Some(l.as_str()) => LoopNext::Again,
        Flow::Exit(Some(l)) if label == Some(l.as_str()) => LoopNext::Break,
        other => LoopNext::Leave(other),
    }
}

/// Where a `FOR` loop puts each row.
#[derive(Clone)]
enum Target {
    Record(String),
    /// Scalar variables, by position: `(name, type)`.
    Row(Vec<(String, String)>),
}

impl Catalog {
    pub(super) fn do_block(&mut self, s: &DoStmt) -> PgResult<Applied> {
        let mut language = "plpgsql".to_string();
        let mut body = String::new();
        for a in &s.args {
            if let Some(NodeEnum::DefElem(d)) = a.node.as_ref()
                && let Some(arg) = d.arg.as_ref().and_then(|x| x.node.as_ref())
            {
                match d.defname.as_str() {
                    "language" => language = super::node_value_text(arg).to_lowercase(),
                    "as" => body = super::node_value_text(arg),
                    _ => {}
                }
            }
        }
        if language != "plpgsql" {
            return Ok(Applied::Opaque(format!("DO block in language {language}")));
        }
        let Some(text) = NodeEnum::DoStmt(s.clone()).deparse(Default::default()).ok() else {
            return Ok(Applied::Opaque("DO block could not be read".into()));
        };
        let tree = match pg_query::parse_plpgsql(&text) {
            Ok(t) => t,
            Err(pg_query::Error::Parse(msg)) => return Err(PgError::new(code::SYNTAX_ERROR, msg)),
            Err(e) => return Ok(Applied::Opaque(format!("DO block could not be read: {e}"))),
        };
        let function = tree.get(0).and_then(|f| f.get("PLpgSQL_function"));
        let Some(action) = function.and_then(|f| f.get("action")) else {
            return Ok(Applied::Opaque("DO block has no body".into()));
        };
        let datums = function
            .and_then(|f| f.get("datums"))
            .and_then(Json::as_array)
            .map_or(&[][..], Vec::as_slice);
        let before = self.clone();
        let mut run = Run::new(datums, &body, action);
        let result = run.declare(self).and_then(|()| run.stmt(self, action));
        match result {
            Ok(_) => Ok(Applied::Schema),
            Err(Interrupt::Error(e)) => Err(e),
            Err(Interrupt::Opaque(Opaque(reason))) => {
                *self = before;
                Ok(Applied::Opaque(format!("DO block: {reason}")))
            }
        }
    }
}

/// One run of a block: its variables and the loop iterations made so far.
#[derive(Clone)]
struct Run<'t> {
    datums: &'t [Json],
    vars: Vars,
    /// A nested block declares variables. They are set each time their
    /// block is entered, and the parse tree does not say which block owns
    /// which, so declared variables are not given values.
    nested_decls: bool,
    /// The implicit variables of integer `FOR` loops, bound by the loop
    /// only.
    loop_vars: Vec<&'t Json>,
    iterations: usize,
}

impl<'t> Run<'t> {
    fn new(datums: &'t [Json], body: &str, action: &'t Json) -> Self {
        let mut loop_vars = Vec::new();
        collect_fori_vars(action, &mut loop_vars);
        Run {
            datums,
            vars: Vars::default(),
            nested_decls: nested_declarations(body),
            loop_vars,
            iterations: 0,
        }
    }

    /// The top-level block's declarations, in order, as PostgreSQL
    /// initialises them on entry.
    fn declare(&mut self, cat: &Catalog) -> Result<(), Interrupt> {
        for d in self.datums {
            let Some(v) = d.get("PLpgSQL_var") else {
                continue;
            };
            let name = v.get("refname").and_then(Json::as_str).unwrap_or("");
            if name == "found" && v.get("lineno").is_none() {
                self.vars.bind(name, Binding::Scalar(Cell::Bool(false)));
                continue;
            }
            if self.loop_vars.contains(&v) {
                continue;
            }
            // SQLSTATE and SQLERRM of an exception handler, and anything a
            // nested block declares, are not known here.
            if self.nested_decls || name == "sqlstate" || name == "sqlerrm" {
                self.vars.bind(name, Binding::Unknown);
                continue;
            }
            let binding = match v.get("default_val") {
                None => Binding::Scalar(Cell::Null),
                Some(e) => match eval_value(cat, &expr_text(Some(e)), &self.vars) {
                    Some(c) => convert(cat, c, type_of(v))?,
                    None => Binding::Unknown,
                },
            };
            let binding = match binding {
                Binding::Scalar(Cell::Null)
                    if v.get("notnull").and_then(Json::as_bool) == Some(true) =>
                {
                    Binding::Unknown
                }
                b => b,
            };
            self.vars.bind(name, binding);
        }
        Ok(())
    }

    fn tick(&mut self) -> Result<(), Interrupt> {
        self.iterations += 1;
        if self.iterations > MAX_ITERATIONS {
            return Err(opaque(format!(
                "its loops run more than {MAX_ITERATIONS} times"
            )));
        }
        Ok(())
    }

    fn body(&mut self, cat: &mut Catalog, body: Option<&Json>) -> Step {
        if let Some(Json::Array(stmts)) = body {
            for s in stmts {
                match self.stmt(cat, s)? {
                    Flow::Next => {}
                    other => return Ok(other),
                }
            }
        }
        Ok(Flow::Next)
    }

    fn stmt(&mut self, cat: &mut Catalog, stmt: &Json) -> Step {
        let Some((kind, node)) = stmt.as_object().and_then(|o| o.iter().next()) else {
            return Ok(Flow::Next);
        };
        let label = node.get("label").and_then(Json::as_str);
        match kind.as_str() {
            "PLpgSQL_stmt_block" => {
                let flow = if let Some(exc) = node.get("exceptions") {
                    let saved = cat.clone();
                    match self.body(cat, node.get("body")) {
                        Err(Interrupt::Error(err)) => {
                            let handlers = exc
                                .get("PLpgSQL_exception_block")
                                .and_then(|b| b.get("exc_list"))
                                .and_then(Json::as_array)
                                .map_or(&[][..], Vec::as_slice);
                            let handler = handlers
                                .iter()
                                .filter_map(|h| h.get("PLpgSQL_exception"))
                                .find(|h| handler_matches(h, &err));
                            match handler {
                                Some(h) => {
                                    // The block's subtransaction rolls back
                                    // first; variables keep their values.
                                    *cat = saved;
                                    self.body(cat, h.get("action"))?
                                }
                                None => return Err(Interrupt::Error(err)),
                            }
                        }
                        other => other?,
                    }
                } else {
                    self.body(cat, node.get("body"))?
                };
                match flow {
                    Flow::Exit(Some(l)) if label == Some(l.as_str()) => Ok(Flow::Next),
                    other => Ok(other),
                }
            }
            "PLpgSQL_stmt_if" => {
                let cond = expr_text(node.get("cond"));
                if self.truth(cat, &cond)? {
                    return self.body(cat, node.get("then_body"));
                }
                if let Some(Json::Array(elsifs)) = node.get("elsif_list") {
                    for e in elsifs {
                        let Some(e) = e.get("PLpgSQL_if_elsif") else {
                            continue;
                        };
                        let cond = expr_text(e.get("cond"));
                        if self.truth(cat, &cond)? {
                            return self.body(cat, e.get("stmts"));
                        }
                    }
                }
                self.body(cat, node.get("else_body"))
            }
            "PLpgSQL_stmt_execsql" => {
                let sql = expr_text(node.get("sqlstmt"));
                let lower = sql.trim_start().to_ascii_lowercase();
                if node.get("into").and_then(Json::as_bool) == Some(true)
                    || lower.contains(" into ") && lower.starts_with("select")
                {
                    return Err(opaque("SELECT INTO a variable"));
                }
                exec_sql(cat, &sql)?;
                // DML sets FOUND by the rows it touched, which are not known.
                if ["insert", "update", "delete", "merge", "with", "select"]
                    .iter()
                    .any(|k| lower.starts_with(k))
                {
                    self.vars.bind("found", Binding::Unknown);
                }
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_dynexecute" => {
                let q = expr_text(node.get("query"));
                if node.get("into").is_some() || node.get("params").is_some() {
                    return Err(opaque(format!("EXECUTE {q} with INTO or USING")));
                }
                match eval_string(cat, &q, &self.vars) {
                    Some(sql) => {
                        exec_sql(cat, &sql)?;
                        Ok(Flow::Next)
                    }
                    None => Err(opaque(format!("EXECUTE of a computed string: {q}"))),
                }
            }
            "PLpgSQL_stmt_raise" => {
                let level = node.get("elog_level").and_then(Json::as_i64).unwrap_or(21);
                if level >= 21 {
                    let mut msg = node
                        .get("message")
                        .and_then(Json::as_str)
                        .unwrap_or("")
                        .to_string();
                    if msg.is_empty() {
                        msg = "raise_exception".into();
                    }
                    return Err(Interrupt::Error(PgError::new(code::RAISE_EXCEPTION, msg)));
                }
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_perform" => {
                let q = expr_text(node.get("expr"));
                if q.to_ascii_lowercase().contains("set_config")
                    || q.to_ascii_lowercase().contains("setval")
                {
                    exec_sql(cat, &q)?;
                }
                self.vars.bind("found", Binding::Unknown);
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_assign" => self.assign(cat, node),
            "PLpgSQL_stmt_exit" => {
                if node.get("cond").is_some() {
                    let cond = expr_text(node.get("cond"));
                    if !self.truth(cat, &cond)? {
                        return Ok(Flow::Next);
                    }
                }
                let label = label.map(str::to_string);
                if node.get("is_exit").and_then(Json::as_bool) == Some(true) {
                    Ok(Flow::Exit(label))
                } else {
                    Ok(Flow::Continue(label))
                }
            }
            "PLpgSQL_stmt_fors" => {
                let q = expr_text(node.get("query"));
                let Some(rows) = query_with_vars(cat, &q, &self.vars) else {
                    return Err(opaque(format!(
                        "a FOR loop over a query migsim cannot answer: {q}"
                    )));
                };
                self.for_rows(cat, node, rows)
            }
            "PLpgSQL_stmt_dynfors" => {
                let q = expr_text(node.get("query"));
                if node.get("params").is_some() {
                    return Err(opaque(format!("FOR ... IN EXECUTE {q} USING")));
                }
                let rows = eval_string(cat, &q, &self.vars)
                    .and_then(|sql| query_with_vars(cat, &sql, &self.vars));
                let Some(rows) = rows else {
                    return Err(opaque(format!(
                        "a FOR loop over a dynamic query migsim cannot answer: {q}"
                    )));
                };
                self.for_rows(cat, node, rows)
            }
            "PLpgSQL_stmt_fori" => self.for_integers(cat, node),
            "PLpgSQL_stmt_foreach_a" => self.foreach(cat, node),
            "PLpgSQL_stmt_while" | "PLpgSQL_stmt_loop" => {
                let cond = node.get("cond").map(|c| expr_text(Some(c)));
                loop {
                    if let Some(cond) = &cond
                        && !self.truth(cat, cond)?
                    {
                        break;
                    }
                    self.tick()?;
                    let flow = self.body(cat, node.get("body"))?;
                    match loop_next(flow, label) {
                        LoopNext::Again => {}
                        LoopNext::Break => break,
                        LoopNext::Leave(f) => return Ok(f),
                    }
                }
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_return" => Ok(Flow::Return),
            "PLpgSQL_stmt_commit" | "PLpgSQL_stmt_rollback" => {
                Err(opaque("COMMIT/ROLLBACK inside a DO block"))
            }
            other => Err(opaque(format!(
                "{} is not simulated",
                plpgsql_statement_words(other)
            ))),
        }
    }

    fn truth(&self, cat: &Catalog, cond: &str) -> Result<bool, Interrupt> {
        match eval_condition(cat, cond, &self.vars) {
            Truth::True => Ok(true),
            Truth::False | Truth::Null => Ok(false),
            Truth::Unknown => Err(opaque(format!("condition not evaluable: {cond}"))),
        }
    }

    /// A declared scalar variable, by its number: `(name, type)`.
    fn scalar(&self, varno: Option<i64>) -> Option<(String, String)> {
        let v = self
            .datums
            .get(usize::try_from(varno?).ok()?)?
            .get("PLpgSQL_var")?;
        let name = v.get("refname")?.as_str()?.to_string();
        Some((name, type_of(v).to_string()))
    }

    /// `name := expression` (or `name = expression`).
    fn assign(&mut self, cat: &Catalog, node: &Json) -> Step {
        let text = expr_text(node.get("expr"));
        let Some((name, ty)) = self.scalar(node.get("varno").and_then(Json::as_i64)) else {
            return Err(opaque(format!("assignment {text}")));
        };
        let split = text
            .find(":=")
            .map(|i| (i, 2))
            .or_else(|| text.find('=').map(|i| (i, 1)));
        let Some((at, len)) = split else {
            return Err(opaque(format!("assignment {text}")));
        };
        if !text[..at].trim().eq_ignore_ascii_case(&name) {
            // An array element, a record field, a quoted name.
            return Err(opaque(format!("assignment {text}")));
        }
        let expr = &text[at + len..];
        let Some(value) = eval_value(cat, expr, &self.vars) else {
            return Err(opaque(format!("assignment of a value not known: {text}")));
        };
        let binding = if self.nested_decls {
            Binding::Unknown
        } else {
            convert(cat, value, &ty)?
        };
        self.vars.bind(&name, binding);
        Ok(Flow::Next)
    }

    /// The target of a `FOR ... IN` query loop.
    fn target(&self, var: Option<&Json>) -> Option<Target> {
        let var = var?;
        if let Some(rec) = var.get("PLpgSQL_rec") {
            return Some(Target::Record(rec.get("refname")?.as_str()?.to_string()));
        }
        let fields = var.get("PLpgSQL_row")?.get("fields")?.as_array()?;
        let mut out = Vec::new();
        for f in fields {
            out.push(self.scalar(f.get("varno").and_then(Json::as_i64))?);
        }
        Some(Target::Row(out))
    }

    fn bind_row(
        &mut self,
        cat: &Catalog,
        target: &Target,
        columns: &[String],
        row: &[Cell],
    ) -> Result<(), Interrupt> {
        match target {
            Target::Record(name) => {
                let fields = columns.iter().cloned().zip(row.iter().cloned()).collect();
                self.vars.bind(name, Binding::Record(fields));
            }
            Target::Row(vars) => {
                if vars.len() != row.len() {
                    return Err(opaque(
                        "a FOR loop whose variables do not match the query's columns",
                    ));
                }
                for ((name, ty), c) in vars.iter().zip(row) {
                    let b = convert(cat, c.clone(), ty)?;
                    self.vars.bind(name, b);
                }
            }
        }
        Ok(())
    }

    /// `FOR target IN query LOOP`: the rows are those of the query when the
    /// loop starts (its cursor's snapshot), whatever the body changes.
    fn for_rows(&mut self, cat: &mut Catalog, node: &Json, rows: QueryResult) -> Step {
        let Some(target) = self.target(node.get("var")) else {
            return Err(opaque("a FOR loop over a query into an unsupported target"));
        };
        let label = node.get("label").and_then(Json::as_str);
        if rows.ordered || rows.rows.len() < 2 {
            return self.rows_in_order(cat, node, label, &target, &rows.columns, &rows.rows);
        }
        // Without an ORDER BY the rows come in an order PostgreSQL does not
        // promise. The loop is simulated if running it in two opposite
        // orders ends the same way.
        let mut other_cat = cat.clone();
        let mut other = self.clone();
        let start = self.iterations;
        let reversed: Vec<Vec<Cell>> = rows.rows.iter().rev().cloned().collect();
        let first = self.rows_in_order(cat, node, label, &target, &rows.columns, &rows.rows);
        let second = other.rows_in_order(
            &mut other_cat,
            node,
            label,
            &target,
            &rows.columns,
            &reversed,
        );
        // Both runs count, so nested loops cannot multiply past the limit.
        self.iterations += other.iterations - start;
        if self.iterations > MAX_ITERATIONS {
            return Err(opaque(format!(
                "its loops run more than {MAX_ITERATIONS} times"
            )));
        }
        // Which row came last is not known.
        for v in [&mut self.vars, &mut other.vars] {
            match &target {
                Target::Record(name) => {
                    v.bind(name, Binding::Unknown);
                }
                Target::Row(vars) => {
                    for (name, _) in vars {
                        v.bind(name, Binding::Unknown);
                    }
                }
            }
        }
        let order_matters = || {
            Err(opaque(format!(
                "a FOR loop whose effect depends on the order of rows its query leaves open: {}",
                expr_text(node.get("query"))
            )))
        };
        match (first, second) {
            (Err(Interrupt::Opaque(o)), _) | (_, Err(Interrupt::Opaque(o))) => {
                Err(Interrupt::Opaque(o))
            }
            (Err(Interrupt::Error(a)), Err(Interrupt::Error(b))) if a.sqlstate == b.sqlstate => {
                Err(Interrupt::Error(a))
            }
            (Ok(a), Ok(b)) if a == b && self.vars == other.vars && same_schema(cat, &other_cat) => {
                Ok(a)
            }
            _ => order_matters(),
        }
    }

    fn rows_in_order(
        &mut self,
        cat: &mut Catalog,
        node: &Json,
        label: Option<&str>,
        target: &Target,
        columns: &[String],
        rows: &[Vec<Cell>],
    ) -> Step {
        self.vars
            .bind("found", Binding::Scalar(Cell::Bool(!rows.is_empty())));
        for row in rows {
            self.tick()?;
            self.bind_row(cat, target, columns, row)?;
            let flow = self.body(cat, node.get("body"))?;
            match loop_next(flow, label) {
                LoopNext::Again => {}
                LoopNext::Break => break,
                LoopNext::Leave(f) => return Ok(f),
            }
        }
        Ok(Flow::Next)
    }

    /// A bound of an integer `FOR` loop, as an `integer`.
    fn bound(&self, cat: &Catalog, e: Option<&Json>, what: &str) -> Result<i64, Interrupt> {
        let text = expr_text(e);
        let Some(c) = eval_value(cat, &text, &self.vars) else {
            return Err(opaque(format!(
                "a FOR loop whose {what} is not known: {text}"
            )));
        };
        match convert(cat, c, "int4")? {
            Binding::Scalar(Cell::Int(i)) => Ok(i),
            Binding::Scalar(Cell::Null) => Err(Interrupt::Error(PgError::new(
                code::NULL_VALUE_NOT_ALLOWED,
                format!("{what} of FOR loop cannot be null"),
            ))),
            _ => Err(opaque(format!(
                "a FOR loop whose {what} is not known: {text}"
            ))),
        }
    }

    fn for_integers(&mut self, cat: &mut Catalog, node: &Json) -> Step {
        let Some(name) = node
            .get("var")
            .and_then(|v| v.get("PLpgSQL_var"))
            .and_then(|v| v.get("refname"))
            .and_then(Json::as_str)
        else {
            return Err(opaque("a FOR loop without a variable"));
        };
        let label = node.get("label").and_then(Json::as_str);
        let lower = self.bound(cat, node.get("lower"), "lower bound")?;
        let upper = self.bound(cat, node.get("upper"), "upper bound")?;
        let step = match node.get("step") {
            None => 1,
            Some(s) => self.bound(cat, Some(s), "BY value")?,
        };
        if step <= 0 {
            return Err(Interrupt::Error(PgError::new(
                code::INVALID_PARAMETER_VALUE,
                "BY value of FOR loop must be greater than zero",
            )));
        }
        let reverse = node.get("reverse").and_then(Json::as_bool) == Some(true);
        let saved = self.vars.get(name).cloned();
        let mut i = lower;
        let mut flow = Flow::Next;
        let mut ran = false;
        while if reverse { i >= upper } else { i <= upper } {
            self.tick()?;
            ran = true;
            self.vars.bind(name, Binding::Scalar(Cell::Int(i)));
            let f = self.body(cat, node.get("body"))?;
            match loop_next(f, label) {
                LoopNext::Again => {}
                LoopNext::Break => break,
                LoopNext::Leave(f) => {
                    flow = f;
                    break;
                }
            }
            // Bounds are integers, so stepping past them cannot overflow
            // an i64.
            i = if reverse { i - step } else { i + step };
        }
        // The loop's variable exists inside the loop only.
        match saved {
            Some(b) => self.vars.bind(name, b),
            None => self.vars.unbind(name),
        };
        self.vars.bind("found", Binding::Scalar(Cell::Bool(ran)));
        Ok(flow)
    }

    fn foreach(&mut self, cat: &mut Catalog, node: &Json) -> Step {
        let text = expr_text(node.get("expr"));
        if node.get("slice").and_then(Json::as_i64).unwrap_or(0) != 0 {
            return Err(opaque(format!("FOREACH ... SLICE over {text}")));
        }
        let Some((name, ty)) = self.scalar(node.get("varno").and_then(Json::as_i64)) else {
            return Err(opaque(format!("FOREACH into a record over {text}")));
        };
        let label = node.get("label").and_then(Json::as_str);
        let elements = match eval_array(cat, &text, &self.vars) {
            None => return Err(opaque(format!("FOREACH over an array not known: {text}"))),
            Some(ArrayValue::Null) => {
                return Err(Interrupt::Error(PgError::new(
                    code::NULL_VALUE_NOT_ALLOWED,
                    "FOREACH expression must not be null",
                )));
            }
            Some(ArrayValue::Untyped) => {
                return Err(Interrupt::Error(PgError::new(
                    code::INDETERMINATE_DATATYPE,
                    "cannot determine type of empty array",
                )));
            }
            Some(ArrayValue::Elements(e)) => e,
        };
        // ARRAY['a', 1] takes one type for all its elements, which is
        // resolved (or refused) in ways not modelled here.
        let kinds: Vec<std::mem::Discriminant<Cell>> = elements
            .iter()
            .filter(|c| !matches!(c, Cell::Null))
            .map(std::mem::discriminant)
            .collect();
        if kinds.windows(2).any(|w| w[0] != w[1]) {
            return Err(opaque(format!(
                "FOREACH over an array of mixed values: {text}"
            )));
        }
        self.vars
            .bind("found", Binding::Scalar(Cell::Bool(!elements.is_empty())));
        for c in elements {
            self.tick()?;
            let b = convert(cat, c, &ty)?;
            self.vars.bind(&name, b);
            let flow = self.body(cat, node.get("body"))?;
            match loop_next(flow, label) {
                LoopNext::Again => {}
                LoopNext::Break => break,
                LoopNext::Leave(f) => return Ok(f),
            }
        }
        Ok(Flow::Next)
    }
}

fn exec_sql(cat: &mut Catalog, sql: &str) -> Result<(), Interrupt> {
    let stmts =
        crate::sql::parse::parse(sql).map_err(|e| PgError::new(code::SYNTAX_ERROR, e.message))?;
    for (node, _, _) in stmts {
        // Names in the block's SQL may be PL/pgSQL variables.
        cat.plpgsql_depth += 1;
        let applied = cat.apply(&node);
        cat.plpgsql_depth -= 1;
        if let Applied::Opaque(reason) = applied? {
            return Err(opaque(reason));
        }
    }
    Ok(())
}

/// The same schema, whatever order its objects were made in: the rendered
/// statements compared as a multiset.
fn same_schema(a: &Catalog, b: &Catalog) -> bool {
    let statements = |c: &Catalog| {
        let sql = c.to_sql();
        let mut v: Vec<String> = sql
            .split(";\n")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v
    };
    statements(a) == statements(b)
}

/// A value stored into a variable of type `ty` (PL/pgSQL's assignment
/// cast, for the types modelled here): a value not modelled is unknown.
fn convert(cat: &Catalog, c: Cell, ty: &str) -> Result<Binding, Interrupt> {
    let int_type = match ty {
        "int2" => Some(("int2", "smallint", i64::from(i16::MIN), i64::from(i16::MAX))),
        "int4" => Some(("int4", "integer", i64::from(i32::MIN), i64::from(i32::MAX))),
        "int8" => Some(("int8", "bigint", i64::MIN, i64::MAX)),
        _ => None,
    };
    Ok(match (c, int_type) {
        (Cell::Null, _) => Binding::Scalar(Cell::Null),
        (Cell::Unknown, _) => Binding::Unknown,
        (Cell::Int(i), Some((_, word, min, max))) => {
            if i < min || i > max {
                return Err(Interrupt::Error(PgError::new(
                    code::NUMERIC_VALUE_OUT_OF_RANGE,
                    format!("{word} out of range"),
                )));
            }
            Binding::Scalar(Cell::Int(i))
        }
        (Cell::Text(s), Some((name, ..))) => {
            cat.check_input(&s, &ColType::builtin(name))?;
            match s.trim().parse::<i64>() {
                Ok(i) => Binding::Scalar(Cell::Int(i)),
                Err(_) => Binding::Unknown,
            }
        }
        (Cell::Text(s), None) if ty == "text" => Binding::Scalar(Cell::Text(s)),
        (Cell::Text(s), None) if ty == "name" => {
            Binding::Scalar(Cell::Text(truncate_identifier(&s).to_string()))
        }
        (Cell::Int(i), None) if ty == "text" || ty == "name" => {
            Binding::Scalar(Cell::Text(i.to_string()))
        }
        (Cell::Bool(b), None) if ty == "bool" => Binding::Scalar(Cell::Bool(b)),
        _ => Binding::Unknown,
    })
}

fn type_of(v: &Json) -> &str {
    v.get("datatype")
        .and_then(|t| t.get("PLpgSQL_type"))
        .and_then(|t| t.get("typname"))
        .and_then(Json::as_str)
        .unwrap_or("")
}

/// The variables integer `FOR` loops declare for themselves.
fn collect_fori_vars<'t>(j: &'t Json, out: &mut Vec<&'t Json>) {
    match j {
        Json::Object(o) => {
            if let Some(f) = o.get("PLpgSQL_stmt_fori")
                && let Some(v) = f.get("var").and_then(|v| v.get("PLpgSQL_var"))
            {
                out.push(v);
            }
            for v in o.values() {
                collect_fori_vars(v, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|v| collect_fori_vars(v, out)),
        _ => {}
    }
}

/// Does a block other than the outermost declare variables? (A `DECLARE`
/// before the outermost `BEGIN` is the outermost block's.)
fn nested_declarations(body: &str) -> bool {
    let Ok(scan) = pg_query::scan(body) else {
        return true;
    };
    let mut declares = scan
        .tokens
        .iter()
        .filter(|t| t.token == Token::Declare as i32)
        .count();
    let first = scan
        .tokens
        .iter()
        .find(|t| t.token == Token::Declare as i32 || t.token == Token::BeginP as i32);
    if first.is_some_and(|t| t.token == Token::Declare as i32) {
        declares -= 1;
    }
    declares > 0
}

fn expr_text(v: Option<&Json>) -> String {
    v.and_then(|e| e.get("PLpgSQL_expr"))
        .and_then(|e| e.get("query"))
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string()
}

/// Does an exception handler catch this error? (`others`, a condition
/// name, or an SQLSTATE.)
fn handler_matches(h: &Json, err: &PgError) -> bool {
    let Some(Json::Array(conds)) = h.get("conditions") else {
        return false;
    };
    conds.iter().any(|c| {
        let name = c
            .get("PLpgSQL_condition")
            .and_then(|c| c.get("condname"))
            .and_then(Json::as_str)
            .unwrap_or("");
        name == "others" || name == err.condition_name() || name.eq_ignore_ascii_case(err.sqlstate)
    })
}

/// A PL/pgSQL statement kind as its user wrote it, for messages
/// (`PLpgSQL_stmt_fors` is a `FOR ... IN query LOOP`).
fn plpgsql_statement_words(kind: &str) -> String {
    match kind.trim_start_matches("PLpgSQL_stmt_") {
        "fori" => "a FOR loop over integers".into(),
        "fors" => "a FOR loop over a query".into(),
        "forc" => "a FOR loop over a cursor".into(),
        "dynfors" => "a FOR loop over a dynamic query".into(),
        "foreach_a" => "a FOREACH loop over an array".into(),
        "loop" => "a LOOP".into(),
        "while" => "a WHILE loop".into(),
        "case" => "a CASE statement".into(),
        "open" | "fetch" | "close" => "a cursor".into(),
        "getdiag" => "GET DIAGNOSTICS".into(),
        "call" => "a CALL".into(),
        "return_next" | "return_query" => "RETURN NEXT/QUERY".into(),
        "assert" => "an ASSERT".into(),
        other => format!("the PL/pgSQL statement `{}`", other.replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::catalog::apply::Applied;
    use crate::catalog::error::PgResult;

    /// Applies `sql`; the outcome of its last statement.
    fn run(setup: &str, sql: &str) -> (Catalog, PgResult<Applied>) {
        let mut c = Catalog::new();
        for (node, _, _) in crate::sql::parse::parse(setup).expect("parses") {
            c.apply(&node).expect("setup applies");
        }
        let stmts = crate::sql::parse::parse(sql).expect("parses");
        let mut last = Ok(Applied::Schema);
        for (node, _, _) in stmts {
            last = c.apply(&node);
        }
        (c, last)
    }

    fn opaque_reason(setup: &str, sql: &str) -> String {
        match run(setup, sql).1 {
            Ok(Applied::Opaque(reason)) => reason,
            other => panic!("expected an opaque step, got {other:?}"),
        }
    }

    fn tables(c: &Catalog) -> Vec<String> {
        let mut v: Vec<String> = c.relations().map(|r| r.name.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn an_unsupported_statement_is_named_as_written() {
        let sql = "DO $$ DECLARE c refcursor; BEGIN OPEN c FOR SELECT 1; END $$";
        let reason = opaque_reason("", sql);
        assert!(reason.contains("a cursor"), "{reason}");
    }

    #[test]
    fn a_loop_over_rows_of_data_tables_stays_opaque() {
        let reason = opaque_reason(
            "CREATE TABLE t (a int);",
            "DO $$ DECLARE r record; BEGIN FOR r IN SELECT a FROM t LOOP \
             EXECUTE format('CREATE TABLE x%s ()', r.a); END LOOP; END $$",
        );
        assert!(reason.contains("cannot answer"), "{reason}");
    }

    #[test]
    fn a_loop_over_catalog_rows_binds_the_record() {
        let (c, r) = run(
            "CREATE TABLE t1 (a int); CREATE TABLE t2 (a int);",
            "DO $$ DECLARE r record; BEGIN \
             FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP \
             EXECUTE format('CREATE TABLE %I (a int)', r.tablename || '_copy'); END LOOP; END $$",
        );
        assert!(matches!(r, Ok(Applied::Schema)), "{r:?}");
        // The rows are read once: the copies are not copied again.
        assert_eq!(tables(&c), ["t1", "t1_copy", "t2", "t2_copy"]);
    }

    #[test]
    fn a_loop_that_indexes_tables_in_any_order_is_run() {
        let (c, r) = run(
            "CREATE TABLE a (tenant_id int); CREATE TABLE b (tenant_id int);",
            "DO $$ DECLARE r record; BEGIN \
             FOR r IN SELECT table_name FROM information_schema.columns \
             WHERE table_schema = 'public' AND column_name = 'tenant_id' LOOP \
             EXECUTE format('CREATE INDEX %I ON %I (tenant_id)', r.table_name || '_idx', r.table_name); \
             END LOOP; END $$",
        );
        assert!(matches!(r, Ok(Applied::Schema)), "{r:?}");
        assert_eq!(tables(&c), ["a", "a_idx", "b", "b_idx"]);
    }

    #[test]
    fn a_loop_whose_effect_depends_on_row_order_is_opaque() {
        let reason = opaque_reason(
            "CREATE TABLE a (x int, y int); CREATE TABLE b ();",
            "DO $$ DECLARE r record; BEGIN \
             FOR r IN SELECT column_name FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = 'a' LOOP \
             EXECUTE format('ALTER TABLE b ADD COLUMN %I int', r.column_name); END LOOP; END $$",
        );
        assert!(reason.contains("order of rows"), "{reason}");
    }

    #[test]
    fn integer_loops_step_exit_and_continue() {
        let (c, r) = run(
            "",
            "DO $$ BEGIN FOR i IN REVERSE 9..1 BY 2 LOOP CONTINUE WHEN i = 5; EXIT WHEN i < 3; \
             EXECUTE 'CREATE TABLE t' || i || ' ()'; END LOOP; END $$",
        );
        assert!(matches!(r, Ok(Applied::Schema)), "{r:?}");
        assert_eq!(tables(&c), ["t3", "t7", "t9"]);
    }

    #[test]
    fn loop_errors_are_postgresql_errors() {
        let e = |sql: &str| match run("", sql).1 {
            Err(e) => e.sqlstate,
            other => panic!("expected an error, got {other:?}"),
        };
        assert_eq!(
            e("DO $$ BEGIN FOR i IN 1..2 BY 0 LOOP END LOOP; END $$"),
            "22023"
        );
        assert_eq!(
            e("DO $$ BEGIN FOR i IN NULL..2 LOOP END LOOP; END $$"),
            "22004"
        );
        assert_eq!(
            e("DO $$ DECLARE x int; BEGIN FOREACH x IN ARRAY ARRAY['z'] LOOP END LOOP; END $$"),
            "22P02"
        );
        assert_eq!(
            e("DO $$ DECLARE x int; BEGIN FOREACH x IN ARRAY ARRAY[] LOOP END LOOP; END $$"),
            "42P18"
        );
    }

    #[test]
    fn a_runaway_loop_is_opaque_not_a_hang() {
        let reason = opaque_reason("", "DO $$ BEGIN LOOP END LOOP; END $$");
        assert!(reason.contains("more than"), "{reason}");
        let reason = opaque_reason(
            "",
            "DO $$ DECLARE n int := 0; BEGIN WHILE n >= 0 LOOP n := n + 1; END LOOP; END $$",
        );
        assert!(reason.contains("more than"), "{reason}");
    }

    #[test]
    fn variables_of_nested_blocks_are_not_known() {
        let reason = opaque_reason(
            "",
            "DO $$ BEGIN FOR i IN 1..2 LOOP DECLARE n int := 5; BEGIN n := n + i; \
             EXECUTE 'CREATE TABLE t' || n || ' ()'; END; END LOOP; END $$",
        );
        assert!(reason.contains("not known"), "{reason}");
    }

    #[test]
    fn a_name_both_column_and_variable_is_not_guessed() {
        let reason = opaque_reason(
            "CREATE TABLE t ();",
            "DO $$ DECLARE tablename text := 't'; r record; BEGIN \
             FOR r IN SELECT 1 AS one FROM pg_tables WHERE tablename = tablename LOOP \
             EXECUTE 'DROP TABLE t'; END LOOP; END $$",
        );
        assert!(reason.contains("cannot answer"), "{reason}");
    }
}
