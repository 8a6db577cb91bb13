//! DO blocks, run through libpg_query's PL/pgSQL parser. The idioms
//! migrations use are executed against the catalog: guarded DDL
//! (`IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = ...) THEN ...`),
//! `EXECUTE` of literal or `format()`-built DDL, and
//! `BEGIN ... EXCEPTION WHEN duplicate_object THEN ... END`. A block that
//! does anything else is left out whole and reported as opaque, never half
//! applied.

use pg_query::NodeEnum;
use pg_query::protobuf::DoStmt;
use serde_json::Value as Json;

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::probe::{Truth, eval_condition, eval_string};

/// Why a block could not be simulated.
struct Opaque(String);

enum Flow {
    Next,
    Return,
}

type Step = Result<Flow, Interrupt>;

enum Interrupt {
    Error(PgError),
    Opaque(Opaque),
}

impl From<PgError> for Interrupt {
    fn from(e: PgError) -> Self {
        Interrupt::Error(e)
    }
}

impl Catalog {
    pub(super) fn do_block(&mut self, s: &DoStmt) -> PgResult<Applied> {
        let mut language = "plpgsql".to_string();
        for a in &s.args {
            if let Some(NodeEnum::DefElem(d)) = a.node.as_ref()
                && d.defname == "language"
                && let Some(arg) = d.arg.as_ref().and_then(|x| x.node.as_ref())
            {
                language = super::node_value_text(arg).to_lowercase();
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
        let Some(action) = tree
            .get(0)
            .and_then(|f| f.get("PLpgSQL_function"))
            .and_then(|f| f.get("action"))
        else {
            return Ok(Applied::Opaque("DO block has no body".into()));
        };
        let before = self.clone();
        let result = self.run_stmt(action);
        match result {
            Ok(_) => Ok(Applied::Schema),
            Err(Interrupt::Error(e)) => Err(e),
            Err(Interrupt::Opaque(Opaque(reason))) => {
                *self = before;
                Ok(Applied::Opaque(format!("DO block: {reason}")))
            }
        }
    }

    fn run_body(&mut self, body: Option<&Json>) -> Step {
        if let Some(Json::Array(stmts)) = body {
            for s in stmts {
                if let Flow::Return = self.run_stmt(s)? {
                    return Ok(Flow::Return);
                }
            }
        }
        Ok(Flow::Next)
    }

    fn run_stmt(&mut self, stmt: &Json) -> Step {
        let Some((kind, node)) = stmt.as_object().and_then(|o| o.iter().next()) else {
            return Ok(Flow::Next);
        };
        match kind.as_str() {
            "PLpgSQL_stmt_block" => {
                if let Some(exc) = node.get("exceptions") {
                    let saved = self.clone();
                    match self.run_body(node.get("body")) {
                        Err(Interrupt::Error(err)) => {
                            let handlers = exc
                                .get("PLpgSQL_exception_block")
                                .and_then(|b| b.get("exc_list"))
                                .and_then(Json::as_array)
                                .cloned()
                                .unwrap_or_default();
                            for h in &handlers {
                                let Some(h) = h.get("PLpgSQL_exception") else {
                                    continue;
                                };
                                if handler_matches(h, &err) {
                                    // The block's subtransaction rolls back first.
                                    *self = saved;
                                    return self.run_body(h.get("action"));
                                }
                            }
                            Err(Interrupt::Error(err))
                        }
                        other => other,
                    }
                } else {
                    self.run_body(node.get("body"))
                }
            }
            "PLpgSQL_stmt_if" => {
                let cond = expr_text(node.get("cond"));
                if self.truth(&cond)? {
                    return self.run_body(node.get("then_body"));
                }
                if let Some(Json::Array(elsifs)) = node.get("elsif_list") {
                    for e in elsifs {
                        let Some(e) = e.get("PLpgSQL_if_elsif") else {
                            continue;
                        };
                        let cond = expr_text(e.get("cond"));
                        if self.truth(&cond)? {
                            return self.run_body(e.get("stmts"));
                        }
                    }
                }
                self.run_body(node.get("else_body"))
            }
            "PLpgSQL_stmt_execsql" => {
                let sql = expr_text(node.get("sqlstmt"));
                if node.get("into").and_then(Json::as_bool) == Some(true)
                    || sql.to_ascii_lowercase().contains(" into ")
                        && sql.trim_start().to_ascii_lowercase().starts_with("select")
                {
                    return Err(Interrupt::Opaque(Opaque("SELECT INTO a variable".into())));
                }
                self.exec_sql(&sql)?;
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_dynexecute" => {
                let q = expr_text(node.get("query"));
                if node.get("into").is_some() || node.get("params").is_some() {
                    return Err(Interrupt::Opaque(Opaque(format!(
                        "EXECUTE {q} with INTO or USING"
                    ))));
                }
                match eval_string(self, &q) {
                    Some(sql) => {
                        self.exec_sql(&sql)?;
                        Ok(Flow::Next)
                    }
                    None => Err(Interrupt::Opaque(Opaque(format!(
                        "EXECUTE of a computed string: {q}"
                    )))),
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
                    self.exec_sql(&q)?;
                }
                Ok(Flow::Next)
            }
            "PLpgSQL_stmt_return" => Ok(Flow::Return),
            "PLpgSQL_stmt_commit" | "PLpgSQL_stmt_rollback" => Err(Interrupt::Opaque(Opaque(
                "COMMIT/ROLLBACK inside a DO block".into(),
            ))),
            other => Err(Interrupt::Opaque(Opaque(format!(
                "{} is not simulated",
                plpgsql_statement_words(other)
            )))),
        }
    }

    fn truth(&self, cond: &str) -> Result<bool, Interrupt> {
        match eval_condition(self, cond) {
            Truth::True => Ok(true),
            Truth::False | Truth::Null => Ok(false),
            Truth::Unknown => Err(Interrupt::Opaque(Opaque(format!(
                "IF condition not evaluable: {cond}"
            )))),
        }
    }

    fn exec_sql(&mut self, sql: &str) -> Result<(), Interrupt> {
        let stmts = crate::sql::parse::parse(sql)
            .map_err(|e| PgError::new(code::SYNTAX_ERROR, e.message))?;
        for (node, _, _) in stmts {
            // Names in the block's SQL may be PL/pgSQL variables.
            self.plpgsql_depth += 1;
            let applied = self.apply(&node);
            self.plpgsql_depth -= 1;
            if let Applied::Opaque(reason) = applied? {
                return Err(Interrupt::Opaque(Opaque(reason)));
            }
        }
        Ok(())
    }
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

    #[test]
    fn an_unsupported_statement_is_named_as_written() {
        let sql = "DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP NULL; END LOOP; END $$";
        let stmts = crate::sql::parse::parse(sql).expect("parses");
        let mut c = Catalog::new();
        match c.apply(&stmts[0].0) {
            Ok(Applied::Opaque(reason)) => {
                assert!(reason.contains("a FOR loop over a query"), "{reason}")
            }
            other => panic!("expected an opaque step, got {other:?}"),
        }
    }
}
