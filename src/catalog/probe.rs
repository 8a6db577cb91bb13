//! Answers to the catalog queries migrations ask before they act
//! (`SELECT 1 FROM pg_type WHERE typname = 'mood'`,
//! `information_schema.columns`, `to_regclass('t') IS NULL`): a small
//! evaluator over virtual system tables built from the simulated catalog.
//! Anything it cannot decide is `Unknown`, never a guess.

use std::collections::HashMap;

use pg_query::NodeEnum;
use pg_query::protobuf::{self, Node};

use super::builtins::BUILTINS;
use super::expr;
use super::model::*;
use super::names::{quote_ident, quote_literal, str_of};
use super::types::TypeRef;
use super::{Catalog, PG_CATALOG_OID};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Null,
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }
    fn not(self) -> Self {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
}

impl Val {
    fn as_text(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Bool(b) => Some(if *b { "true" } else { "false" }.into()),
            Val::Null => None,
        }
    }
}

type Row = HashMap<&'static str, Val>;

const INFO_SCHEMA_OID: Oid = 13_000;

fn parse_expr(text: &str) -> Option<Node> {
    super::apply::parse_select_expr(&format!("SELECT {text}"))
}

/// Evaluates a PL/pgSQL condition against the catalog.
pub fn eval_condition(cat: &Catalog, text: &str) -> Truth {
    let Some(e) = parse_expr(text) else {
        return Truth::Unknown;
    };
    Eval { cat }.truth(&e, &Env::default())
}

/// Evaluates a string expression (`'CREATE ...'`, `format(...)`, `'a' || 'b'`).
pub fn eval_string(cat: &Catalog, text: &str) -> Option<String> {
    let e = parse_expr(text)?;
    Eval { cat }.value(&e, &Env::default())?.as_text()
}

#[derive(Default)]
struct Env<'a> {
    rows: Vec<(&'a str, &'a Row)>,
}

struct Eval<'c> {
    cat: &'c Catalog,
}

impl Eval<'_> {
    fn truth(&self, e: &Node, env: &Env) -> Truth {
        match e.node.as_ref() {
            Some(NodeEnum::BoolExpr(b)) => {
                let vals: Vec<Truth> = b.args.iter().map(|a| self.truth(a, env)).collect();
                match b.boolop {
                    1 => {
                        if vals.contains(&Truth::False) {
                            Truth::False
                        } else if vals.contains(&Truth::Unknown) {
                            Truth::Unknown
                        } else if vals.contains(&Truth::Null) {
                            Truth::Null
                        } else {
                            Truth::True
                        }
                    }
                    2 => {
                        if vals.contains(&Truth::True) {
                            Truth::True
                        } else if vals.contains(&Truth::Unknown) {
                            Truth::Unknown
                        } else if vals.contains(&Truth::Null) {
                            Truth::Null
                        } else {
                            Truth::False
                        }
                    }
                    _ => vals.first().copied().unwrap_or(Truth::Unknown).not(),
                }
            }
            Some(NodeEnum::SubLink(s))
                if s.sub_link_type == protobuf::SubLinkType::ExistsSublink as i32 =>
            {
                match s.subselect.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::SelectStmt(sel)) => match self.count(sel, env) {
                        Some(n) => Truth::from_bool(n > 0),
                        None => Truth::Unknown,
                    },
                    _ => Truth::Unknown,
                }
            }
            Some(NodeEnum::NullTest(nt)) => {
                let Some(arg) = nt.arg.as_deref() else {
                    return Truth::Unknown;
                };
                let is_null = match self.value(arg, env) {
                    Some(Val::Null) => true,
                    Some(_) => false,
                    None => return Truth::Unknown,
                };
                let want_null = nt.nulltesttype == protobuf::NullTestType::IsNull as i32;
                Truth::from_bool(is_null == want_null)
            }
            Some(NodeEnum::AExpr(a)) => self.compare(a, env),
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(protobuf::a_const::Val::Boolval(b)) => Truth::from_bool(b.boolval),
                _ if c.isnull => Truth::Null,
                _ => Truth::Unknown,
            },
            _ => match self.value(e, env) {
                Some(Val::Bool(b)) => Truth::from_bool(b),
                Some(Val::Null) => Truth::Null,
                _ => Truth::Unknown,
            },
        }
    }

    fn compare(&self, a: &protobuf::AExpr, env: &Env) -> Truth {
        let op = a.name.last().and_then(str_of).unwrap_or("");
        let Some(l) = a.lexpr.as_deref().and_then(|l| self.value(l, env)) else {
            return Truth::Unknown;
        };
        if a.kind == protobuf::AExprKind::AexprIn as i32 {
            let Some(NodeEnum::List(list)) = a.rexpr.as_deref().and_then(|r| r.node.as_ref())
            else {
                return Truth::Unknown;
            };
            let mut found = false;
            for item in &list.items {
                match self.value(item, env) {
                    Some(v) => found |= values_equal(&l, &v),
                    None => return Truth::Unknown,
                }
            }
            return Truth::from_bool(if op == "<>" { !found } else { found });
        }
        let Some(r) = a.rexpr.as_deref().and_then(|r| self.value(r, env)) else {
            return Truth::Unknown;
        };
        if matches!(l, Val::Null) || matches!(r, Val::Null) {
            return Truth::Null;
        }
        match op {
            "=" => Truth::from_bool(values_equal(&l, &r)),
            "<>" | "!=" => Truth::from_bool(!values_equal(&l, &r)),
            ">" | "<" | ">=" | "<=" => match (&l, &r) {
                (Val::Int(x), Val::Int(y)) => Truth::from_bool(match op {
                    ">" => x > y,
                    "<" => x < y,
                    ">=" => x >= y,
                    _ => x <= y,
                }),
                _ => Truth::Unknown,
            },
            _ => Truth::Unknown,
        }
    }

    /// A scalar value; `None` when it cannot be known.
    fn value(&self, e: &Node, env: &Env) -> Option<Val> {
        match e.node.as_ref()? {
            NodeEnum::AConst(c) => {
                if c.isnull {
                    return Some(Val::Null);
                }
                Some(match c.val.as_ref()? {
                    protobuf::a_const::Val::Sval(s) => Val::Str(s.sval.clone()),
                    protobuf::a_const::Val::Ival(i) => Val::Int(i.ival as i64),
                    protobuf::a_const::Val::Boolval(b) => Val::Bool(b.boolval),
                    protobuf::a_const::Val::Fval(f) => f.fval.parse().map(Val::Int).ok()?,
                    protobuf::a_const::Val::Bsval(_) => return None,
                })
            }
            NodeEnum::ColumnRef(c) => {
                let fields: Vec<&str> = c.fields.iter().filter_map(str_of).collect();
                let (alias, col) = match fields.as_slice() {
                    [col] => (None, *col),
                    [a, col] => (Some(*a), *col),
                    _ => return None,
                };
                let mut hits = env
                    .rows
                    .iter()
                    .filter(|(a, _)| alias.is_none_or(|x| x == *a));
                hits.find_map(|(_, row)| row.get(col).cloned())
            }
            NodeEnum::TypeCast(tc) => {
                let inner = self.value(tc.arg.as_deref()?, env)?;
                let target = tc.type_name.as_ref()?.names.last().and_then(str_of)?;
                let text = match &inner {
                    Val::Str(s) => s.clone(),
                    other => return Some(other.clone()),
                };
                match target {
                    "regclass" => self.regclass(&text).map(|o| Val::Int(o as i64)),
                    "regtype" => self.regtype(&text).map(|o| Val::Int(o as i64)),
                    "regnamespace" => self.cat.schema_oid(&text).map(|o| Val::Int(o as i64)),
                    "text" | "varchar" | "name" => Some(Val::Str(text)),
                    "int4" | "int8" | "oid" => text.parse().ok().map(Val::Int),
                    _ => None,
                }
            }
            NodeEnum::FuncCall(fc) => {
                let name = fc.funcname.last().and_then(str_of)?;
                let args: Option<Vec<Val>> = fc.args.iter().map(|a| self.value(a, env)).collect();
                let args = args?;
                let text = |i: usize| args.get(i).and_then(Val::as_text);
                match name {
                    "to_regclass" => Some(
                        self.regclass(&text(0)?)
                            .map_or(Val::Null, |o| Val::Int(o as i64)),
                    ),
                    "to_regtype" => Some(
                        self.regtype(&text(0)?)
                            .map_or(Val::Null, |o| Val::Int(o as i64)),
                    ),
                    "to_regnamespace" => Some(
                        self.cat
                            .schema_oid(&text(0)?)
                            .map_or(Val::Null, |o| Val::Int(o as i64)),
                    ),
                    "current_schema" if args.is_empty() => Some(
                        self.cat
                            .current_schema()
                            .map_or(Val::Null, |s| Val::Str(self.cat.schema_name(s).to_string())),
                    ),
                    "quote_ident" => Some(Val::Str(quote_ident(&text(0)?))),
                    "quote_literal" => Some(Val::Str(quote_literal(&text(0)?))),
                    "lower" => Some(Val::Str(text(0)?.to_lowercase())),
                    "upper" => Some(Val::Str(text(0)?.to_uppercase())),
                    "concat" => Some(Val::Str(args.iter().filter_map(Val::as_text).collect())),
                    "format" => format_sql(&text(0)?, &args[1..]).map(Val::Str),
                    _ => None,
                }
            }
            NodeEnum::AExpr(a) if a.name.last().and_then(str_of) == Some("||") => {
                let l = self.value(a.lexpr.as_deref()?, env)?;
                let r = self.value(a.rexpr.as_deref()?, env)?;
                match (l.as_text(), r.as_text()) {
                    (Some(x), Some(y)) => Some(Val::Str(x + &y)),
                    _ => Some(Val::Null),
                }
            }
            NodeEnum::SqlvalueFunction(f) if f.op == 15 => Some(
                self.cat
                    .current_schema()
                    .map_or(Val::Null, |s| Val::Str(self.cat.schema_name(s).to_string())),
            ),
            NodeEnum::SubLink(s)
                if s.sub_link_type == protobuf::SubLinkType::ExprSublink as i32 =>
            {
                // (SELECT count(*) FROM ...)
                let Some(NodeEnum::SelectStmt(sel)) =
                    s.subselect.as_deref().and_then(|n| n.node.as_ref())
                else {
                    return None;
                };
                let Some(NodeEnum::ResTarget(rt)) =
                    sel.target_list.first().and_then(|t| t.node.as_ref())
                else {
                    return None;
                };
                match rt.val.as_deref().and_then(|v| v.node.as_ref()) {
                    Some(NodeEnum::FuncCall(fc))
                        if fc.funcname.last().and_then(str_of) == Some("count") =>
                    {
                        self.count(sel, env).map(|n| Val::Int(n as i64))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn regclass(&self, text: &str) -> Option<Oid> {
        let q = expr::parse_regclass_literal(text);
        self.cat.lookup_relation(&q).ok().flatten()
    }

    fn regtype(&self, text: &str) -> Option<Oid> {
        let q = expr::parse_regclass_literal(text);
        let schemas = match &q.schema {
            Some(s) => vec![self.cat.schema_oid(s)?],
            None => self.cat.search_schemas(),
        };
        schemas
            .iter()
            .find_map(|s| self.cat.type_in_schema(*s, &q.name))
    }

    /// Rows a simple catalog query returns; `None` when not evaluable.
    fn count(&self, sel: &protobuf::SelectStmt, outer: &Env) -> Option<usize> {
        if sel.op > 1 || !sel.values_lists.is_empty() || sel.with_clause.is_some() {
            return None;
        }
        let mut tables: Vec<(String, Vec<Row>)> = Vec::new();
        let mut join_quals: Vec<&Node> = Vec::new();
        for item in &sel.from_clause {
            self.collect_from(item, &mut tables, &mut join_quals)?;
        }
        let mut count = 0;
        let mut stack: Vec<(&str, &Row)> = outer.rows.clone();
        let base = stack.len();
        self.enumerate(&tables, 0, &mut stack, &mut |env_rows| {
            let env = Env {
                rows: env_rows.to_vec(),
            };
            let mut ok = Truth::True;
            for q in join_quals
                .iter()
                .copied()
                .chain(sel.where_clause.as_deref())
            {
                match self.truth(q, &env) {
                    Truth::True => {}
                    Truth::Unknown => {
                        ok = Truth::Unknown;
                        break;
                    }
                    _ => {
                        ok = Truth::False;
                        break;
                    }
                }
            }
            match ok {
                Truth::True => {
                    count += 1;
                    Some(())
                }
                Truth::Unknown => None,
                _ => Some(()),
            }
        })?;
        let _ = base;
        if tables.is_empty() {
            // SELECT 1 WHERE ...
            let env = Env {
                rows: outer.rows.clone(),
            };
            return match sel.where_clause.as_deref().map(|w| self.truth(w, &env)) {
                None | Some(Truth::True) => Some(1),
                Some(Truth::Unknown) => None,
                _ => Some(0),
            };
        }
        Some(count)
    }

    fn enumerate<'r>(
        &self,
        tables: &'r [(String, Vec<Row>)],
        i: usize,
        stack: &mut Vec<(&'r str, &'r Row)>,
        f: &mut RowVisitor<'_, 'r>,
    ) -> Option<()> {
        if i == tables.len() {
            return f(stack);
        }
        let (alias, rows) = &tables[i];
        for row in rows {
            stack.push((alias.as_str(), row));
            let r = self.enumerate(tables, i + 1, stack, f);
            stack.pop();
            r?;
        }
        Some(())
    }

    fn collect_from<'n>(
        &self,
        item: &'n Node,
        tables: &mut Vec<(String, Vec<Row>)>,
        quals: &mut Vec<&'n Node>,
    ) -> Option<()> {
        match item.node.as_ref()? {
            NodeEnum::RangeVar(rv) => {
                let alias = rv
                    .alias
                    .as_ref()
                    .map_or(rv.relname.clone(), |a| a.aliasname.clone());
                let rows = self.system_rows(&rv.schemaname, &rv.relname)?;
                tables.push((alias, rows));
                Some(())
            }
            NodeEnum::JoinExpr(j) => {
                // Inner joins only: an outer join changes row counts.
                if j.jointype != protobuf::JoinType::JoinInner as i32
                    || j.is_natural
                    || !j.using_clause.is_empty()
                {
                    return None;
                }
                self.collect_from(j.larg.as_deref()?, tables, quals)?;
                self.collect_from(j.rarg.as_deref()?, tables, quals)?;
                if let Some(q) = j.quals.as_deref() {
                    quals.push(q);
                }
                Some(())
            }
            _ => None,
        }
    }

    /// The rows of a system catalog or information_schema view.
    fn system_rows(&self, schema: &str, name: &str) -> Option<Vec<Row>> {
        let cat = self.cat;
        let info = schema == "information_schema";
        if !(schema.is_empty() || schema == "pg_catalog" || info) {
            return None;
        }
        let sname = |o: Oid| Val::Str(cat.schema_name(o).to_string());
        let mut rows: Vec<Row> = Vec::new();
        let relkind = |r: &Relation| match &r.body {
            RelBody::Table(t) if t.partition.is_some() => "p",
            RelBody::Table(_) => "r",
            RelBody::View(v) if v.materialized => "m",
            RelBody::View(_) => "v",
            RelBody::Sequence(_) => "S",
            RelBody::Index(_) => "i",
            RelBody::CompositeType(_) => "c",
        };
        match (info, name) {
            (false, "pg_namespace") => {
                for (oid, n) in [
                    (PG_CATALOG_OID, "pg_catalog"),
                    (INFO_SCHEMA_OID, "information_schema"),
                ] {
                    rows.push(row(&[
                        ("oid", Val::Int(oid as i64)),
                        ("nspname", Val::Str(n.into())),
                    ]));
                }
                for s in cat.schemas.values() {
                    rows.push(row(&[
                        ("oid", Val::Int(s.oid as i64)),
                        ("nspname", Val::Str(s.name.clone())),
                    ]));
                }
            }
            (false, "pg_type") => {
                for t in cat.types.values() {
                    let typtype = match t.kind {
                        TypeKind::Enum { .. } => "e",
                        TypeKind::Domain { .. } => "d",
                        TypeKind::Composite { .. } => "c",
                        TypeKind::Range { .. } => "r",
                        TypeKind::Base { .. } => "b",
                    };
                    rows.push(row(&[
                        ("oid", Val::Int(t.oid as i64)),
                        ("typname", Val::Str(t.name.clone())),
                        ("typnamespace", Val::Int(t.schema as i64)),
                        ("typtype", Val::Str(typtype.into())),
                    ]));
                    rows.push(row(&[
                        ("typname", Val::Str(format!("_{}", t.name))),
                        ("typnamespace", Val::Int(t.schema as i64)),
                        ("typtype", Val::Str("b".into())),
                    ]));
                }
                for r in cat.relations.values().filter(|r| r.has_columns()) {
                    rows.push(row(&[
                        ("typname", Val::Str(r.name.clone())),
                        ("typnamespace", Val::Int(r.schema as i64)),
                        ("typtype", Val::Str("c".into())),
                        ("typrelid", Val::Int(r.oid as i64)),
                    ]));
                }
                for t in BUILTINS.types.values() {
                    rows.push(row(&[
                        ("typname", Val::Str(t.name.to_string())),
                        ("typnamespace", Val::Int(PG_CATALOG_OID as i64)),
                        ("typtype", Val::Str(t.kind.to_string())),
                    ]));
                }
            }
            (false, "pg_enum") => {
                for t in cat.types.values() {
                    if let TypeKind::Enum { labels } = &t.kind {
                        for (i, l) in labels.iter().enumerate() {
                            rows.push(row(&[
                                ("enumtypid", Val::Int(t.oid as i64)),
                                ("enumlabel", Val::Str(l.clone())),
                                ("enumsortorder", Val::Int(i as i64 + 1)),
                            ]));
                        }
                    }
                }
            }
            (false, "pg_class") => {
                for r in cat.relations.values() {
                    rows.push(row(&[
                        ("oid", Val::Int(r.oid as i64)),
                        ("relname", Val::Str(r.name.clone())),
                        ("relnamespace", Val::Int(r.schema as i64)),
                        ("relkind", Val::Str(relkind(r).into())),
                    ]));
                }
            }
            (false, "pg_tables") | (true, "tables") => {
                for r in cat.relations.values() {
                    let kind = relkind(r);
                    let is_table = matches!(kind, "r" | "p");
                    if !info && !is_table {
                        continue;
                    }
                    if info && !matches!(kind, "r" | "p" | "v") {
                        continue;
                    }
                    if info {
                        rows.push(row(&[
                            ("table_schema", sname(r.schema)),
                            ("table_name", Val::Str(r.name.clone())),
                            (
                                "table_type",
                                Val::Str(if is_table { "BASE TABLE" } else { "VIEW" }.into()),
                            ),
                        ]));
                    } else {
                        rows.push(row(&[
                            ("schemaname", sname(r.schema)),
                            ("tablename", Val::Str(r.name.clone())),
                        ]));
                    }
                }
            }
            (false, "pg_views") | (true, "views") | (false, "pg_matviews") => {
                for r in cat.relations.values() {
                    let Some(v) = r.view() else { continue };
                    if v.materialized != (name == "pg_matviews") {
                        continue;
                    }
                    rows.push(row(&[
                        ("schemaname", sname(r.schema)),
                        ("viewname", Val::Str(r.name.clone())),
                        ("matviewname", Val::Str(r.name.clone())),
                        ("table_schema", sname(r.schema)),
                        ("table_name", Val::Str(r.name.clone())),
                    ]));
                }
            }
            (false, "pg_indexes") => {
                for r in cat.relations.values() {
                    let Some(i) = r.index() else { continue };
                    rows.push(row(&[
                        ("schemaname", sname(r.schema)),
                        ("tablename", Val::Str(cat.rel_name(i.table).to_string())),
                        ("indexname", Val::Str(r.name.clone())),
                    ]));
                }
            }
            (false, "pg_sequences") | (true, "sequences") => {
                for r in cat.relations.values().filter(|r| r.sequence().is_some()) {
                    rows.push(row(&[
                        ("schemaname", sname(r.schema)),
                        ("sequencename", Val::Str(r.name.clone())),
                        ("sequence_schema", sname(r.schema)),
                        ("sequence_name", Val::Str(r.name.clone())),
                    ]));
                }
            }
            (false, "pg_attribute") | (true, "columns") => {
                for r in cat.relations.values() {
                    for (name, attnum, ty) in cat.columns_of(r.oid) {
                        let nullable = r
                            .table()
                            .and_then(|t| t.column(&name))
                            .is_none_or(|c| !c.not_null);
                        let mut rw = row(&[
                            ("attrelid", Val::Int(r.oid as i64)),
                            ("attname", Val::Str(name.clone())),
                            ("attnum", Val::Int(attnum as i64)),
                            ("attisdropped", Val::Bool(false)),
                            ("attnotnull", Val::Bool(!nullable)),
                            ("table_schema", sname(r.schema)),
                            ("table_name", Val::Str(r.name.clone())),
                            ("column_name", Val::Str(name.clone())),
                            (
                                "is_nullable",
                                Val::Str(if nullable { "YES" } else { "NO" }.into()),
                            ),
                        ]);
                        rw.insert("data_type", Val::Str(info_schema_type(cat, &ty)));
                        rw.insert("udt_name", Val::Str(udt_name(cat, &ty)));
                        rows.push(rw);
                    }
                }
            }
            (false, "pg_constraint") | (true, "table_constraints") => {
                for r in cat.relations.values() {
                    let Some(t) = r.table() else { continue };
                    for c in &t.constraints {
                        let ty = match c.kind {
                            ConstraintKind::PrimaryKey { .. } => "PRIMARY KEY",
                            ConstraintKind::Unique { .. } => "UNIQUE",
                            ConstraintKind::ForeignKey(_) => "FOREIGN KEY",
                            ConstraintKind::Check { .. } => "CHECK",
                            ConstraintKind::Exclusion { .. } => "EXCLUDE",
                        };
                        rows.push(row(&[
                            ("oid", Val::Int(c.oid as i64)),
                            ("conname", Val::Str(c.name.clone())),
                            ("contype", Val::Str(c.kind.letter().to_string())),
                            ("conrelid", Val::Int(r.oid as i64)),
                            ("connamespace", Val::Int(r.schema as i64)),
                            ("constraint_schema", sname(r.schema)),
                            ("constraint_name", Val::Str(c.name.clone())),
                            ("table_schema", sname(r.schema)),
                            ("table_name", Val::Str(r.name.clone())),
                            ("constraint_type", Val::Str(ty.into())),
                        ]));
                    }
                }
            }
            (false, "pg_extension") => {
                for e in cat.extensions.values() {
                    rows.push(row(&[
                        ("oid", Val::Int(e.oid as i64)),
                        ("extname", Val::Str(e.name.clone())),
                        ("extnamespace", Val::Int(e.schema as i64)),
                        ("extversion", Val::Str(e.version.clone())),
                    ]));
                }
            }
            (false, "pg_available_extensions") => {
                // Every extension migsim knows is taken to be installable: the
                // server the migrations target is unknown, and "not available"
                // would make most guarded CREATE EXTENSION blocks skip.
                for def in super::builtins::BUILTINS.extensions.values() {
                    let installed = cat
                        .extensions
                        .values()
                        .find(|e| e.name == def.name)
                        .map_or(Val::Null, |e| Val::Str(e.version.clone()));
                    rows.push(row(&[
                        ("name", Val::Str(def.name.into())),
                        ("default_version", Val::Str(def.version.into())),
                        ("installed_version", installed),
                    ]));
                }
            }
            (false, "pg_ts_config") => {
                for name in super::builtins::BUILTINS.ts_config_names() {
                    rows.push(row(&[
                        ("cfgname", Val::Str(name.into())),
                        ("cfgnamespace", Val::Int(PG_CATALOG_OID as i64)),
                    ]));
                }
            }
            (false, "pg_proc") | (true, "routines") => {
                for f in cat.functions.values() {
                    rows.push(row(&[
                        ("oid", Val::Int(f.oid as i64)),
                        ("proname", Val::Str(f.name.clone())),
                        ("pronamespace", Val::Int(f.schema as i64)),
                        ("routine_schema", sname(f.schema)),
                        ("routine_name", Val::Str(f.name.clone())),
                    ]));
                }
            }
            (false, "pg_trigger") | (true, "triggers") => {
                for r in cat.relations.values() {
                    let Some(t) = r.table() else { continue };
                    for tg in &t.triggers {
                        rows.push(row(&[
                            ("tgname", Val::Str(tg.name.clone())),
                            ("tgrelid", Val::Int(r.oid as i64)),
                            ("trigger_name", Val::Str(tg.name.clone())),
                            ("event_object_schema", sname(r.schema)),
                            ("event_object_table", Val::Str(r.name.clone())),
                        ]));
                    }
                }
            }
            (false, "pg_policies") => {
                for r in cat.relations.values() {
                    let Some(t) = r.table() else { continue };
                    for p in &t.policies {
                        rows.push(row(&[
                            ("schemaname", sname(r.schema)),
                            ("tablename", Val::Str(r.name.clone())),
                            ("policyname", Val::Str(p.name.clone())),
                        ]));
                    }
                }
            }
            (true, "schemata") => {
                for n in ["pg_catalog", "information_schema"] {
                    rows.push(row(&[("schema_name", Val::Str(n.into()))]));
                }
                for s in cat.schemas.values() {
                    rows.push(row(&[("schema_name", Val::Str(s.name.clone()))]));
                }
            }
            _ => return None,
        }
        Some(rows)
    }
}

/// Called with each combination of rows (one per FROM item, with its alias).
type RowVisitor<'f, 'r> = dyn FnMut(&[(&'r str, &'r Row)]) -> Option<()> + 'f;

fn row(pairs: &[(&'static str, Val)]) -> Row {
    pairs.iter().cloned().collect()
}

fn values_equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Int(x), Val::Str(y)) | (Val::Str(y), Val::Int(x)) => {
            y.parse::<i64>().ok() == Some(*x)
        }
        _ => a == b,
    }
}

/// `information_schema.columns.data_type`.
fn info_schema_type(cat: &Catalog, ty: &super::ColType) -> String {
    if ty.array {
        return "ARRAY".into();
    }
    match &ty.base {
        TypeRef::Builtin(n) => {
            let plain = super::ColType::builtin(n);
            cat.type_display(&plain)
        }
        _ => "USER-DEFINED".into(),
    }
}

fn udt_name(cat: &Catalog, ty: &super::ColType) -> String {
    let base = match &ty.base {
        TypeRef::Builtin(n) => n.to_string(),
        TypeRef::User(o) => cat
            .user_type(*o)
            .map_or_else(String::new, |t| t.name.clone()),
        TypeRef::Row(o) => cat.rel_name(*o).to_string(),
        TypeRef::Assumed(n) => n.clone(),
    };
    if ty.array { format!("_{base}") } else { base }
}

/// PostgreSQL's `format()`: `%s`, `%I`, `%L`, `%%`.
fn format_sql(fmt: &str, args: &[Val]) -> Option<String> {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' => out.push_str(&it.next()?.as_text().unwrap_or_default()),
            'I' => out.push_str(&quote_ident(&it.next()?.as_text()?)),
            'L' => match it.next()? {
                Val::Null => out.push_str("NULL"),
                v => out.push_str(&quote_literal(&v.as_text()?)),
            },
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(sql: &str) -> Catalog {
        let mut c = Catalog::new();
        for (node, _, _) in crate::sql::parse::parse(sql).unwrap() {
            c.apply(&node).unwrap();
        }
        c
    }

    #[test]
    fn knows_available_extensions_and_text_search_configs() {
        let c = cat("CREATE EXTENSION pg_trgm;");
        let t = |q| eval_condition(&c, q);
        assert_eq!(
            t("EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')"),
            Truth::True
        );
        assert_eq!(
            t("EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'no_such_ext')"),
            Truth::False
        );
        assert_eq!(
            t(
                "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm' AND installed_version IS NOT NULL)"
            ),
            Truth::True
        );
        assert_eq!(
            t("NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'italian')"),
            Truth::False
        );
        assert_eq!(
            t("EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'klingon')"),
            Truth::False
        );
    }

    #[test]
    fn answers_existence_probes() {
        let c = cat(
            "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (x int); CREATE INDEX ix ON t (x);",
        );
        assert_eq!(
            eval_condition(
                &c,
                "NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')"
            ),
            Truth::False
        );
        assert_eq!(
            eval_condition(&c, "EXISTS (SELECT 1 FROM pg_type WHERE typname = 'nope')"),
            Truth::False
        );
        assert_eq!(
            eval_condition(
                &c,
                "EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'x')"
            ),
            Truth::True
        );
        assert_eq!(
            eval_condition(&c, "to_regclass('public.t') IS NULL"),
            Truth::False
        );
        assert_eq!(
            eval_condition(
                &c,
                "EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'ix')"
            ),
            Truth::True
        );
        assert_eq!(
            eval_condition(
                &c,
                "EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'mood' AND n.nspname = 'public')"
            ),
            Truth::True
        );
        assert_eq!(
            eval_condition(
                &c,
                "NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'b' AND enumtypid = 'mood'::regtype)"
            ),
            Truth::True
        );
        assert_eq!(
            eval_condition(&c, "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'x')"),
            Truth::Unknown
        );
        assert_eq!(eval_condition(&c, "some_variable > 3"), Truth::Unknown);
    }

    #[test]
    fn builds_strings() {
        let c = Catalog::new();
        assert_eq!(
            eval_string(&c, "format('ALTER TABLE %I ADD %s int', 'User', 'x')").as_deref(),
            Some("ALTER TABLE \"User\" ADD x int")
        );
        assert_eq!(
            eval_string(&c, "'CREATE ' || 'TABLE t (a int)'").as_deref(),
            Some("CREATE TABLE t (a int)")
        );
        assert_eq!(eval_string(&c, "v_sql"), None);
    }
}
