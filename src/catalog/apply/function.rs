//! Functions and procedures, triggers, row-level security policies.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterFunctionStmt, AlterPolicyStmt, CreateFunctionStmt, CreatePolicyStmt, CreateTrigStmt,
    FunctionParameterMode as PM, Node, ObjectType, ObjectWithArgs, RangeVar, VariableSetKind,
};

use super::Applied;
use super::drop::Missing;
use crate::catalog::builtins::BUILTINS;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr;
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_list, qual_from_rangevar, str_of, strings};
use crate::catalog::types::TypeRef;
use crate::catalog::{Catalog, ColType};

const LANGUAGES: &[&str] = &["plpgsql", "sql", "c", "internal"];

impl Catalog {
    pub(super) fn create_function(&mut self, s: &CreateFunctionStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.funcname).unwrap_or_else(|| QualName::bare(""));
        let schema = self.creation_schema(&qn)?;
        let mut args = Vec::new();
        let mut has_table_params = false;
        for p in &s.parameters {
            let Some(NodeEnum::FunctionParameter(fp)) = p.node.as_ref() else {
                continue;
            };
            let mode = match PM::try_from(fp.mode).unwrap_or(PM::FuncParamIn) {
                PM::FuncParamOut => 'o',
                PM::FuncParamInout => 'b',
                PM::FuncParamVariadic => 'v',
                PM::FuncParamTable => {
                    has_table_params = true;
                    't'
                }
                _ => 'i',
            };
            let Some(tn) = fp.arg_type.as_ref() else {
                continue;
            };
            let ty = self.resolve_type(tn)?;
            let name = (!fp.name.is_empty()).then(|| fp.name.clone());
            if let Some(n) = &name
                && args.iter().any(|a: &FuncArg| {
                    a.name.as_deref() == Some(n)
                        && matches!(a.mode, 'i' | 'b' | 'v') == matches!(mode, 'i' | 'b' | 'v')
                })
            {
                return Err(PgError::new(
                    code::INVALID_FUNCTION_DEFINITION,
                    format!("parameter name \"{n}\" used more than once"),
                ));
            }
            args.push(FuncArg {
                name,
                mode,
                ty,
                has_default: fp.defexpr.is_some(),
            });
        }
        let mut language = String::new();
        let mut volatility = 'v';
        let mut body = None;
        for o in &s.options {
            let Some(NodeEnum::DefElem(d)) = o.node.as_ref() else {
                continue;
            };
            let arg = d.arg.as_ref().and_then(|a| a.node.as_ref());
            match d.defname.as_str() {
                "language" => {
                    language = arg
                        .map(super::node_value_text)
                        .unwrap_or_default()
                        .to_lowercase()
                }
                "volatility" => {
                    volatility = match arg.map(super::node_value_text).as_deref() {
                        Some("immutable") => 'i',
                        Some("stable") => 's',
                        _ => 'v',
                    }
                }
                "as" => {
                    if let Some(NodeEnum::List(l)) = arg {
                        body = strings(&l.items).first().map(|s| s.to_string());
                    }
                }
                _ => {}
            }
        }
        if language.is_empty() {
            language = if s.sql_body.is_some() {
                "sql".into()
            } else {
                String::new()
            };
        }
        if language.is_empty() {
            return Err(PgError::new(
                code::INVALID_FUNCTION_DEFINITION,
                "no language specified",
            ));
        }
        if !LANGUAGES.contains(&language.as_str()) && !self.has_unknown_extension() {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("language \"{language}\" does not exist"),
            )
            .hint("Use CREATE EXTENSION to load the language into the database."));
        }
        let (returns, returns_trigger) = match &s.return_type {
            Some(tn) => {
                let names = strings(&tn.names);
                let last = names.last().copied().unwrap_or("");
                if last == "trigger" && names.len() <= 2 && tn.array_bounds.is_empty() {
                    (None, true)
                } else if matches!(last, "void" | "record" | "event_trigger") {
                    (None, false)
                } else {
                    (Some(self.resolve_type(tn)?), false)
                }
            }
            None => (None, false),
        };
        if s.is_procedure && s.return_type.is_some() && !has_table_params {
            // Procedures have no return type; the grammar prevents it.
        }
        if language == "plpgsql"
            && let Some(b) = &body
            && !self.skip_function_bodies
        {
            self.check_plpgsql_body(s, b)?;
        }
        if language == "sql"
            && let Some(b) = &body
            && !self.skip_function_bodies
        {
            match crate::sql::parse::parse(b) {
                Err(e) => return Err(PgError::new(code::SYNTAX_ERROR, e.message)),
                Ok(statements) => self.check_sql_body(&args, &statements)?,
            }
        }
        let input_types: Vec<ColType> = args
            .iter()
            .filter(|a| matches!(a.mode, 'i' | 'b' | 'v'))
            .map(|a| a.ty.clone())
            .collect();
        let existing = self
            .functions
            .values()
            .find(|f| {
                f.schema == schema
                    && f.name == qn.name
                    && f.input_types().into_iter().cloned().collect::<Vec<_>>() == input_types
            })
            .cloned();
        let display = format!(
            "{}({})",
            qn.name,
            input_types
                .iter()
                .map(|t| self.type_display(t))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut deps = QueryDeps::default();
        for a in &args {
            if let TypeRef::User(t) = a.ty.base
                && !deps.types.contains(&t)
            {
                deps.types.push(t);
            }
        }
        let mut stmt = s.clone();
        stmt.replace = false;
        stmt.funcname = vec![
            expr::string_node(self.schema_name(schema)),
            expr::string_node(&qn.name),
        ];
        let func = Function {
            oid: 0,
            schema,
            name: qn.name.clone(),
            is_procedure: s.is_procedure,
            args,
            returns,
            returns_trigger,
            language,
            stmt: expr::node(NodeEnum::CreateFunctionStmt(Box::new(stmt))),
            volatility,
            comment: None,
            deps,
        };
        match existing {
            Some(old) if s.replace => {
                if old.is_procedure != s.is_procedure {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        "cannot change routine kind".to_string(),
                    )
                    .detail(format!(
                        "\"{}\" is a {}.",
                        qn.name,
                        if old.is_procedure {
                            "procedure"
                        } else {
                            "function"
                        }
                    )));
                }
                if old.returns != func.returns || old.returns_trigger != func.returns_trigger {
                    return Err(PgError::new(
                        code::INVALID_FUNCTION_DEFINITION,
                        "cannot change return type of existing function",
                    )
                    .hint(format!("Use DROP FUNCTION {display} first.")));
                }
                let old_names: Vec<Option<&String>> = old
                    .args
                    .iter()
                    .filter(|a| matches!(a.mode, 'i' | 'b' | 'v'))
                    .map(|a| a.name.as_ref())
                    .collect();
                let new_names: Vec<Option<&String>> = func
                    .args
                    .iter()
                    .filter(|a| matches!(a.mode, 'i' | 'b' | 'v'))
                    .map(|a| a.name.as_ref())
                    .collect();
                for (o, n) in old_names.iter().zip(&new_names) {
                    if let Some(o) = o
                        && n.is_some_and(|n| n != *o)
                    {
                        return Err(PgError::new(
                            code::INVALID_FUNCTION_DEFINITION,
                            format!("cannot change name of input parameter \"{o}\""),
                        )
                        .hint(format!(
                            "Use DROP {} {display} first.",
                            if s.is_procedure {
                                "PROCEDURE"
                            } else {
                                "FUNCTION"
                            }
                        )));
                    }
                }
                self.functions.insert(
                    old.oid,
                    Function {
                        oid: old.oid,
                        comment: old.comment,
                        ..func
                    },
                );
            }
            Some(_) => {
                return Err(PgError::new(
                    code::DUPLICATE_FUNCTION,
                    format!(
                        "function \"{}\" already exists with same argument types",
                        qn.name
                    ),
                ));
            }
            None => {
                let oid = self.alloc_oid();
                self.functions.insert(oid, Function { oid, ..func });
            }
        }
        Ok(Applied::Schema)
    }

    /// A policy's expressions read the table's columns, as a `SELECT` on
    /// it: the functions they call, the names they use, then the types of
    /// their calls and operators.
    fn check_policy_expressions(
        &self,
        table: Oid,
        rv: &RangeVar,
        qual: &Option<Box<Node>>,
        with_check: &Option<Box<Node>>,
    ) -> PgResult<()> {
        let expressions: Vec<Node> = [qual, with_check]
            .into_iter()
            .flatten()
            .map(|e| (**e).clone())
            .collect();
        for e in &expressions {
            self.check_expression_functions(e, &|_| None)?;
        }
        self.resolve_dml_names(rv, expressions.clone(), &[], None, None)?;
        let columns = |name: &str| {
            self.table(table)
                .and_then(|t| t.columns.iter().find(|c| c.name == name))
                .map(|c| c.ty.clone())
        };
        for e in &expressions {
            self.check_expression_types(e, &columns)?;
        }
        Ok(())
    }

    /// A SQL function's statements are analyzed at CREATE time (unless it
    /// takes polymorphic arguments): a missing relation fails then. Names
    /// that may be parameters are not held to the catalog's columns.
    fn check_sql_body(
        &self,
        args: &[FuncArg],
        statements: &[(NodeEnum, usize, usize)],
    ) -> PgResult<()> {
        let polymorphic = args
            .iter()
            .any(|a| matches!(&a.ty.base, TypeRef::Builtin(n) if n.starts_with("any")));
        if polymorphic {
            return Ok(());
        }
        let named_params = args.iter().any(|a| a.name.is_some());
        let target = |rv: Option<&RangeVar>| match rv {
            Some(rv) => self.require_relation(&qual_from_rangevar(rv)).map(|_| ()),
            None => Ok(()),
        };
        for (node, _, _) in statements {
            let checked = match node {
                NodeEnum::SelectStmt(sel) if sel.into_clause.is_none() => {
                    self.resolve_names((**sel).clone())
                }
                // Only the target: SET and WHERE may name parameters.
                NodeEnum::UpdateStmt(u) => target(u.relation.as_ref()),
                NodeEnum::DeleteStmt(d) => target(d.relation.as_ref()),
                NodeEnum::InsertStmt(i) => target(i.relation.as_ref()),
                _ => Ok(()),
            };
            match checked {
                Err(e)
                    if named_params
                        && matches!(
                            e.sqlstate,
                            code::UNDEFINED_COLUMN | code::AMBIGUOUS_COLUMN
                        ) => {}
                // Positions inside the body are not positions in the statement.
                Err(mut e) => {
                    e.position = None;
                    return Err(e);
                }
                Ok(()) => {}
            }
        }
        Ok(())
    }

    /// PL/pgSQL bodies are compiled at CREATE time: syntax errors surface.
    fn check_plpgsql_body(&self, s: &CreateFunctionStmt, _body: &str) -> PgResult<()> {
        let text =
            match NodeEnum::CreateFunctionStmt(Box::new(s.clone())).deparse(Default::default()) {
                Ok(t) => t,
                Err(_) => return Ok(()),
            };
        match pg_query::parse_plpgsql(&text) {
            Ok(_) => Ok(()),
            // libpg_query 18 mis-serializes trigger functions to JSON; that
            // is not the function's fault.
            Err(pg_query::Error::InvalidJson(_)) => Ok(()),
            Err(pg_query::Error::Parse(msg)) => Err(PgError::new(code::SYNTAX_ERROR, msg)),
            Err(_) => Ok(()),
        }
    }

    pub(super) fn alter_function(&mut self, s: &AlterFunctionStmt) -> PgResult<Applied> {
        let kind = ObjectType::try_from(s.objtype).unwrap_or(ObjectType::ObjectFunction);
        let Some(owa) = s.func.as_ref() else {
            return Ok(Applied::Schema);
        };
        let oid = self
            .lookup_function_with_args(owa, kind)?
            .map_err(|m| m.error)?;
        let returns_set = self.functions.get(&oid).is_some_and(|f| {
            matches!(f.stmt.node.as_ref(), Some(NodeEnum::CreateFunctionStmt(cf))
                if cf.return_type.as_ref().is_some_and(|t| t.setof))
        });
        for a in &s.actions {
            let Some(NodeEnum::DefElem(d)) = a.node.as_ref() else {
                continue;
            };
            let value = d
                .arg
                .as_ref()
                .and_then(|x| x.node.as_ref())
                .map(super::node_value_text);
            match d.defname.as_str() {
                "cost"
                    if value
                        .as_deref()
                        .and_then(|v| v.parse::<f64>().ok())
                        .is_some_and(|c| c <= 0.0) =>
                {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        "COST must be positive",
                    ));
                }
                "rows" if !returns_set => {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        "ROWS is not applicable when function does not return a set",
                    ));
                }
                "rows"
                    if value
                        .as_deref()
                        .and_then(|v| v.parse::<f64>().ok())
                        .is_some_and(|c| c <= 0.0) =>
                {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        "ROWS must be positive",
                    ));
                }
                _ => {}
            }
            let Some(f) = self.functions.get_mut(&oid) else {
                continue;
            };
            if d.defname == "volatility" {
                f.volatility = match value.as_deref() {
                    Some("immutable") => 'i',
                    Some("stable") => 's',
                    _ => 'v',
                };
            }
            // The stored CREATE FUNCTION takes the new option in place of
            // the old one (SET options are kept per setting name).
            let Some(NodeEnum::CreateFunctionStmt(cf)) = f.stmt.node.as_mut() else {
                continue;
            };
            if d.defname == "set" {
                let Some(NodeEnum::VariableSetStmt(vs)) =
                    d.arg.as_ref().and_then(|x| x.node.as_ref())
                else {
                    continue;
                };
                let kind = VariableSetKind::try_from(vs.kind).unwrap_or(VariableSetKind::Undefined);
                cf.options.retain(|o| match o.node.as_ref() {
                    Some(NodeEnum::DefElem(x)) if x.defname == "set" => {
                        kind != VariableSetKind::VarResetAll
                            && !matches!(x.arg.as_ref().and_then(|y| y.node.as_ref()),
                                Some(NodeEnum::VariableSetStmt(old)) if old.name == vs.name)
                    }
                    _ => true,
                });
                if matches!(
                    kind,
                    VariableSetKind::VarSetValue | VariableSetKind::VarSetCurrent
                ) {
                    cf.options.push(a.clone());
                }
                continue;
            }
            cf.options.retain(|o| {
                !matches!(o.node.as_ref(), Some(NodeEnum::DefElem(x)) if x.defname == d.defname)
            });
            cf.options.push(a.clone());
        }
        Ok(Applied::Schema)
    }

    /// Finds the function an `ObjectWithArgs` names (DROP, COMMENT, ALTER).
    pub(crate) fn lookup_function_with_args(
        &self,
        owa: &ObjectWithArgs,
        kind: ObjectType,
    ) -> PgResult<Result<Oid, Missing>> {
        let qn = qual_from_list(&owa.objname).unwrap_or_else(|| QualName::bare(""));
        let noun = match kind {
            ObjectType::ObjectProcedure => "procedure",
            ObjectType::ObjectRoutine => "routine",
            ObjectType::ObjectAggregate => "aggregate",
            _ => "function",
        };
        if let Some(s) = &qn.schema
            && self.schema_oid(s).is_none()
        {
            return Ok(Err(missing(
                code::INVALID_SCHEMA_NAME,
                format!("schema \"{s}\" does not exist"),
            )));
        }
        let candidates: Vec<&Function> = self.user_function_candidates(&qn).collect();
        if owa.args_unspecified {
            return match candidates.as_slice() {
                [] => Ok(Err(missing(
                    code::UNDEFINED_FUNCTION,
                    format!("could not find a {noun} named \"{qn}\""),
                ))),
                [f] => Ok(Ok(f.oid)),
                _ => Err(PgError::new(
                    code::AMBIGUOUS_FUNCTION,
                    format!("{noun} name \"{qn}\" is not unique"),
                )
                .hint(format!(
                    "Specify the argument list to select the {noun} unambiguously."
                ))),
            };
        }
        let mut types = Vec::new();
        for a in &owa.objargs {
            if let Some(NodeEnum::TypeName(tn)) = a.node.as_ref() {
                types.push(self.resolve_type(tn)?);
            }
        }
        let display = format!(
            "{qn}({})",
            types
                .iter()
                .map(|t| self.type_display(t))
                .collect::<Vec<_>>()
                .join(", ")
        );
        match candidates.iter().find(|f| {
            f.input_types()
                .iter()
                .map(|t| self.base_type(t))
                .collect::<Vec<_>>()
                == types.iter().map(|t| self.base_type(t)).collect::<Vec<_>>()
        }) {
            Some(f) => {
                if kind == ObjectType::ObjectFunction && f.is_procedure {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("{display} is not a function"),
                    ));
                }
                if kind == ObjectType::ObjectProcedure && !f.is_procedure {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("{display} is not a procedure"),
                    ));
                }
                Ok(Ok(f.oid))
            }
            None => Ok(Err(missing(
                code::UNDEFINED_FUNCTION,
                format!("{noun} {display} does not exist"),
            ))),
        }
    }

    pub(super) fn create_trigger(&mut self, s: &CreateTrigStmt) -> PgResult<Applied> {
        let Some(rv) = s.relation.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let table = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
        let rel = self
            .relation(table)
            .ok_or_else(|| super::table::missing_relation(&qn))?;
        // `CreateTriggerFiringOn`: what each relation kind allows.
        const TRIGGER_TYPE_TRUNCATE: i32 = 1 << 5;
        const TRIGGER_TYPE_INSTEAD: i32 = 1 << 6;
        let instead = s.timing & TRIGGER_TYPE_INSTEAD != 0;
        match &rel.body {
            RelBody::Table(_) if instead => {
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("\"{}\" is a table", rel.name),
                )
                .detail("Tables cannot have INSTEAD OF triggers."));
            }
            RelBody::Table(_) => {}
            RelBody::View(v) if !v.materialized => {
                if !instead && s.row {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is a view", rel.name),
                    )
                    .detail("Views cannot have row-level BEFORE or AFTER triggers."));
                }
                if s.events & TRIGGER_TYPE_TRUNCATE != 0 {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is a view", rel.name),
                    )
                    .detail("Views cannot have TRUNCATE triggers."));
                }
            }
            other => {
                let kind = match other {
                    RelBody::View(_) => "materialized views",
                    RelBody::Sequence(_) => "sequences",
                    RelBody::Index(_) => "indexes",
                    _ => "composite types",
                };
                return Err(PgError::new(
                    code::WRONG_OBJECT_TYPE,
                    format!("relation \"{}\" cannot have triggers", rel.name),
                )
                .detail(format!("This operation is not supported for {kind}.")));
            }
        }
        if instead {
            let refuse = |msg: &str| Err(PgError::new(code::FEATURE_NOT_SUPPORTED, msg));
            if !s.row {
                return refuse("INSTEAD OF triggers must be FOR EACH ROW");
            }
            if s.when_clause.is_some() {
                return refuse("INSTEAD OF triggers cannot have WHEN conditions");
            }
            if !s.columns.is_empty() {
                return refuse("INSTEAD OF triggers cannot have column lists");
            }
        }
        if !s.transition_rels.is_empty() && rel.view().is_some() {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is a view", rel.name),
            )
            .detail("Triggers on views cannot have transition tables."));
        }
        let fq = qual_from_list(&s.funcname).unwrap_or_else(|| QualName::bare(""));
        let func = self
            .user_function_candidates(&fq)
            .find(|f| f.input_types().is_empty())
            .map(|f| (f.oid, f.returns_trigger));
        let func = match func {
            Some((oid, true)) => oid,
            Some((_, false)) => {
                return Err(PgError::new(
                    code::INVALID_OBJECT_DEFINITION,
                    format!("function {fq} must return type trigger"),
                ));
            }
            None => {
                if BUILTINS_TRIGGER_FUNCTIONS.contains(&fq.name.as_str())
                    || self.has_unknown_extension()
                    || self.extension_function_exists(&fq)
                {
                    0
                } else {
                    return Err(PgError::new(
                        code::UNDEFINED_FUNCTION,
                        format!("function {fq}() does not exist"),
                    ));
                }
            }
        };
        let mut columns = Vec::new();
        for c in s.columns.iter().filter_map(str_of) {
            let attnum = match self.relation(table).map(|r| &r.body) {
                Some(RelBody::Table(t)) => t.column(c).map(|col| col.attnum),
                Some(RelBody::View(v)) => v
                    .columns
                    .iter()
                    .position(|col| col.name == c)
                    .and_then(|i| i16::try_from(i + 1).ok()),
                _ => None,
            };
            match attnum {
                Some(a) => columns.push(a),
                None => {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{c}\" of relation \"{}\" does not exist", qn.name),
                    ));
                }
            }
        }
        if let Some(w) = s.when_clause.as_deref() {
            // NEW/OLD references are allowed in WHEN.
            for (name, loc) in expr::column_refs(w) {
                let _ = (name, loc);
            }
        }
        let schema = self.relation(table).map_or(0, |r| r.schema);
        let mut stmt = s.clone();
        stmt.replace = false;
        if let Some(r) = stmt.relation.as_mut() {
            r.schemaname = self.schema_name(schema).to_string();
        }
        if func != 0
            && let Some(f) = self.function(func)
        {
            stmt.funcname = vec![
                expr::string_node(self.schema_name(f.schema)),
                expr::string_node(&f.name),
            ];
        }
        let exists = self
            .relation(table)
            .and_then(|r| r.triggers().iter().find(|x| x.name == s.trigname))
            .map(|x| (x.oid, x.comment.clone()));
        let oid = match exists {
            Some(_) if !s.replace => {
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!(
                        "trigger \"{}\" for relation \"{}\" already exists",
                        s.trigname, qn.name
                    ),
                ));
            }
            Some((o, _)) => o,
            None => self.alloc_oid(),
        };
        let comment = exists.and_then(|e| e.1);
        let trig = Trigger {
            oid,
            name: s.trigname.clone(),
            function: func,
            stmt: expr::node(NodeEnum::CreateTrigStmt(Box::new(stmt))),
            enabled: 'O',
            comment,
            columns,
        };
        if let Some(t) = self.relation_mut(table).and_then(Relation::triggers_mut) {
            t.retain(|x| x.oid != oid);
            t.push(trig);
        }
        Ok(Applied::Schema)
    }

    /// The installed extension a function named by `owa` belongs to, with
    /// the function as PostgreSQL's messages print it (`uuid_generate_v4()`,
    /// schema-qualified when not on the search path).
    pub(crate) fn extension_member_function(
        &self,
        owa: &ObjectWithArgs,
    ) -> PgResult<Option<(String, String)>> {
        let Some(qn) = qual_from_list(&owa.objname) else {
            return Ok(None);
        };
        let mut types = Vec::new();
        if !owa.args_unspecified {
            for a in &owa.objargs {
                if let Some(NodeEnum::TypeName(tn)) = a.node.as_ref() {
                    types.push(self.resolve_type(tn)?);
                }
            }
        }
        let search = self.search_schemas();
        for ext in self.extensions.values() {
            let visible = search.contains(&ext.schema);
            let in_schema = match &qn.schema {
                Some(s) => self.schema_name(ext.schema) == s,
                None => visible,
            };
            if !in_schema || !ext.known {
                continue;
            }
            let Some(def) = BUILTINS.extensions.get(ext.name.as_str()) else {
                continue;
            };
            let found = def.functions.iter().any(|f| {
                f.0 == qn.name && (owa.args_unspecified || usize::from(f.1) == types.len())
            });
            if !found {
                continue;
            }
            let args: Vec<String> = types.iter().map(|t| self.type_display(t)).collect();
            let name = if visible {
                crate::catalog::names::quote_ident(&qn.name)
            } else {
                crate::catalog::names::quote_qualified(self.schema_name(ext.schema), &qn.name)
            };
            return Ok(Some((
                ext.name.clone(),
                format!("{name}({})", args.join(", ")),
            )));
        }
        Ok(None)
    }

    fn extension_function_exists(&self, q: &QualName) -> bool {
        matches!(
            self.resolve_function(q, 0),
            Some(super::FuncMatch::Extension(_)) | Some(super::FuncMatch::Assumed)
        )
    }

    pub(super) fn create_policy(&mut self, s: &CreatePolicyStmt) -> PgResult<Applied> {
        let Some(rv) = s.table.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let table = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
        if self.table(table).is_none() {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a table", qn.name),
            ));
        }
        if self
            .table(table)
            .is_some_and(|t| t.policies.iter().any(|p| p.name == s.policy_name))
        {
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!(
                    "policy \"{}\" for table \"{}\" already exists",
                    s.policy_name, qn.name
                ),
            ));
        }
        self.check_policy_expressions(table, rv, &s.qual, &s.with_check)?;
        let schema = self.relation(table).map_or(0, |r| r.schema);
        let mut stmt = s.clone();
        if let Some(r) = stmt.table.as_mut() {
            r.schemaname = self.schema_name(schema).to_string();
        }
        let oid = self.alloc_oid();
        if let Some(t) = self.table_mut(table) {
            t.policies.push(Policy {
                oid,
                name: s.policy_name.clone(),
                stmt: expr::node(NodeEnum::CreatePolicyStmt(Box::new(stmt))),
                comment: None,
            });
        }
        Ok(Applied::Schema)
    }

    pub(super) fn alter_policy(&mut self, s: &AlterPolicyStmt) -> PgResult<Applied> {
        let Some(rv) = s.table.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let table = self.require_relation(&qn).map_err(|e| e.at(rv.location))?;
        self.check_policy_expressions(table, rv, &s.qual, &s.with_check)?;
        let Some(p) = self
            .table_mut(table)
            .and_then(|t| t.policies.iter_mut().find(|p| p.name == s.policy_name))
        else {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!(
                    "policy \"{}\" for table \"{}\" does not exist",
                    s.policy_name, qn.name
                ),
            ));
        };
        if let Some(NodeEnum::CreatePolicyStmt(cp)) = p.stmt.node.as_mut() {
            if !s.roles.is_empty() {
                cp.roles = s.roles.clone();
            }
            if s.qual.is_some() {
                cp.qual = s.qual.clone();
            }
            if s.with_check.is_some() {
                cp.with_check = s.with_check.clone();
            }
        }
        Ok(Applied::Schema)
    }
}

/// Trigger functions PostgreSQL ships in pg_catalog.
const BUILTINS_TRIGGER_FUNCTIONS: &[&str] = &[
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
    "suppress_redundant_updates_trigger",
];

fn missing(code: &'static str, msg: String) -> Missing {
    Missing {
        notice: format!("{msg}, skipping"),
        error: PgError::new(code, msg),
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::sqlstate;

    const BASE: &str = "CREATE TABLE t (id int); CREATE VIEW v AS SELECT id FROM t;
        CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;";

    #[test]
    fn alter_function_keeps_every_option() {
        let c = crate::catalog::testing::run(
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
             ALTER FUNCTION f() IMMUTABLE PARALLEL SAFE COST 10 SET search_path = public;
             ALTER FUNCTION f() COST 20 RESET search_path",
        )
        .unwrap();
        let f = c.functions().next().unwrap();
        assert_eq!(f.volatility, 'i');
        let sql = crate::catalog::expr::deparse_stmt(f.stmt.node.as_ref().unwrap()).unwrap();
        assert!(sql.contains("COST 20") && !sql.contains("COST 10"), "{sql}");
        assert!(sql.to_lowercase().contains("parallel safe"), "{sql}");
        assert!(!sql.contains("search_path"), "{sql}");
        assert_eq!(
            sqlstate(
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
                 ALTER FUNCTION f() ROWS 10"
            ),
            "22023"
        );
    }

    #[test]
    fn trigger_kinds_per_relation_kind() {
        let t = |sql: &str| sqlstate(&format!("{BASE} {sql}"));
        assert_eq!(
            t("CREATE TRIGGER a BEFORE INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg()"),
            "42809"
        );
        assert_eq!(
            t("CREATE TRIGGER a BEFORE TRUNCATE ON v EXECUTE FUNCTION trg()"),
            "42809"
        );
        assert_eq!(
            t("CREATE TRIGGER a INSTEAD OF INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()"),
            "42809"
        );
        assert_eq!(
            t("CREATE TRIGGER a INSTEAD OF INSERT ON v EXECUTE FUNCTION trg()"),
            "0A000"
        );
        assert_eq!(
            t("CREATE TRIGGER a AFTER INSERT ON v EXECUTE FUNCTION trg()"),
            "ok"
        );
        assert_eq!(
            t("CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()"),
            "ok"
        );
        assert_eq!(
            t("CREATE TRIGGER a INSTEAD OF UPDATE OF id ON v FOR EACH ROW EXECUTE FUNCTION trg()"),
            "0A000"
        );
        assert_eq!(
            t("CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x; \
               CREATE TRIGGER a AFTER INSERT ON mv EXECUTE FUNCTION trg()"),
            "42809"
        );
    }

    #[test]
    fn a_views_triggers_live_and_die_with_it() {
        let c = crate::catalog::testing::run(&format!(
            "{BASE} CREATE TRIGGER a INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
             COMMENT ON TRIGGER a ON v IS 'note';
             CREATE OR REPLACE VIEW v AS SELECT id, id AS id2 FROM t;
             ALTER VIEW v RENAME TO w;"
        ))
        .unwrap();
        let sql = c.to_sql();
        assert!(
            sql.contains("CREATE TRIGGER a INSTEAD OF INSERT ON public.w"),
            "{sql}"
        );
        assert!(
            sql.contains("COMMENT ON TRIGGER a ON public.w IS 'note'"),
            "{sql}"
        );
        let view_at = sql.find("CREATE VIEW").unwrap_or(usize::MAX);
        let trigger_at = sql.find("CREATE TRIGGER").unwrap_or(0);
        assert!(view_at < trigger_at, "{sql}");
        assert_eq!(
            sqlstate(&format!(
                "{BASE} CREATE TRIGGER a INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
                 DROP FUNCTION trg()"
            )),
            "2BP01"
        );
        let c = crate::catalog::testing::run(&format!(
            "{BASE} CREATE TRIGGER a INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION trg();
             DROP VIEW v; DROP FUNCTION trg()"
        ))
        .unwrap();
        assert!(!c.to_sql().contains("TRIGGER"));
    }
}
