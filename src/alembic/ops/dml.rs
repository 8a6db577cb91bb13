//! `op.execute(...)` and `op.bulk_insert(...)`: SQL text, and the
//! `sa.table(...)` insert / update / delete constructs SQLAlchemy compiles.

use std::sync::Arc;

use super::args::Sig;
use super::ddl::{self, Element};
use super::expr::{self, Against, BindNames, ColumnRef, Cx, Expr, Lit, StrAs, TextClause};
use super::model::{self, Item};
use super::ops_table::Builder;
use super::quote::{self, Mode};
use super::sym::{self, Lib};
use super::types::{self, SqlType};
use super::{LowerCtx, LowerError, Statement, StatementKind};
use crate::python::value::{Call, Value};
use crate::source::Loc;

/// `sa.table("t", sa.column("a", sa.Integer), ..., schema=...)` or a
/// `sa.Table(...)`: a name and typed columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableClause {
    pub name: String,
    pub schema: Option<String>,
    pub columns: Vec<(String, SqlType)>,
}

impl TableClause {
    pub fn from_value(v: &Value, ctx: &LowerCtx, loc: &Loc) -> Result<TableClause, LowerError> {
        let c = match v {
            Value::Call(c) => c,
            Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
            _ => {
                return Err(LowerError::unsupported(
                    "a table that is not sa.table(...)",
                    loc,
                ));
            }
        };
        let Some(n) = sym::of_call(c) else {
            return Err(LowerError::unsupported(
                "a table made by a method call",
                &c.loc,
            ));
        };
        let name = match c.args.first() {
            Some(Value::Str(s)) => s.as_str().to_string(),
            _ => {
                return Err(LowerError::unsupported(
                    "a table with a computed name",
                    &c.loc,
                ));
            }
        };
        let schema = model::opt_string(c.kwarg("schema"), "schema", &c.loc)?;
        let mut columns = Vec::new();
        match (n.lib, n.name) {
            // `op.create_table(...)` returns the `Table` it made; the
            // evaluator may hand back the call itself as that value.
            (Lib::Alembic, "create_table") => {
                let reader = model::Reader::new(ctx);
                for a in c.args.iter().skip(1) {
                    if let Item::Column(col) = reader.item(a, &c.loc)? {
                        columns.push((col.name, col.ty));
                    }
                }
            }
            (Lib::Sa, "table") => {
                for a in c.args.iter().skip(1) {
                    match expr::from_value(a, StrAs::Column, ctx, &c.loc)? {
                        Expr::Column(col) => columns.push((col.name, col.ty)),
                        _ => {
                            return Err(LowerError::unsupported(
                                "sa.table() element that is not a column",
                                &c.loc,
                            ));
                        }
                    }
                }
            }
            (Lib::Sa, "Table") => {
                let reader = model::Reader::new(ctx);
                for a in c.args.iter().skip(2) {
                    if let Item::Column(col) = reader.item(a, &c.loc)? {
                        columns.push((col.name, col.ty))
                    }
                }
            }
            _ => {
                return Err(LowerError::unsupported(
                    format!("`{}` used as a table", n.name),
                    &c.loc,
                ));
            }
        }
        Ok(TableClause {
            name,
            schema,
            columns,
        })
    }

    pub fn column_type(&self, name: &str) -> Option<&SqlType> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    /// `t.c.<name>`.
    pub fn column_expr(&self, name: &str, loc: &Loc) -> Result<Expr, LowerError> {
        let Some(ty) = self.column_type(name) else {
            return Err(LowerError::would_fail(
                "AttributeError",
                name.to_string(),
                loc,
            ));
        };
        Ok(Expr::Column(ColumnRef {
            name: name.to_string(),
            table: Some((self.name.clone(), self.schema.clone())),
            ty: ty.clone(),
        }))
    }

    fn render(&self, m: Mode) -> String {
        quote::table(&self.name, self.schema.as_deref(), m)
    }
}

/// Something `op.execute` runs.
#[derive(Debug, Clone)]
pub(crate) enum Executable {
    Text(TextClause),
    Insert {
        table: TableClause,
        values: Vec<(String, Expr)>,
    },
    Update {
        table: TableClause,
        values: Vec<(String, Expr)>,
        where_: Vec<Expr>,
    },
    Delete {
        table: TableClause,
        where_: Vec<Expr>,
    },
    Select(Box<super::select::Select>),
    /// A DDL statement made by a SQLAlchemy construct
    /// (`CreateSequence(...)`), already rendered per mode.
    Ddl {
        online: String,
        offline: String,
    },
}

pub(crate) fn execute(b: &Builder) -> Result<Vec<Element>, LowerError> {
    let bound = b.bind(&Sig {
        name: "execute",
        positional: &["sqltext"],
        required: 1,
        varargs: false,
        keyword_only: &["execution_options"],
        varkw: false,
    })?;
    let sql = bound.get("sqltext").ok_or_else(|| {
        b.fail(
            "TypeError",
            "execute() missing 1 required positional argument: 'sqltext'",
        )
    })?;
    // Restored on every path out, so no later operation reads with it.
    let was = b.ctx.data_values.replace(b.ctx.online);
    let x = executable(b, sql);
    b.ctx.data_values.set(was);
    Ok(vec![Element::Execute(x?)])
}

fn executable(b: &Builder, v: &Value) -> Result<Executable, LowerError> {
    let loc = b.loc();
    match v {
        Value::Str(_) => match b.reader.expr(v, StrAs::Text, loc)? {
            Expr::Text(t) => Ok(Executable::Text(t)),
            _ => Err(b.unsupported("execute() of a string")),
        },
        Value::Call(c) => construct(b, c),
        Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
        Value::Object(o) => Err(b.unsupported(format!(
            "execute() of a project object ({}) migsim cannot read",
            o.type_name()
        ))),
        _ => Err(b.fail(
            "sqlalchemy.exc.ObjectNotExecutableError",
            "Not an executable object",
        )),
    }
}

/// A chain of construct calls: `t.update().where(...).values(...)`.
fn construct(b: &Builder, c: &Call) -> Result<Executable, LowerError> {
    let loc = &c.loc;
    let ctx = b.ctx;
    if let Some((receiver, method)) = sym::method(c) {
        match method {
            "insert" | "update" | "delete" => {
                let t = TableClause::from_value(receiver, ctx, loc)?;
                return start(method, t, loc);
            }
            "bindparams" | "params" => {
                return match b
                    .reader
                    .expr(&Value::Call(Arc::new(c.clone())), StrAs::Text, loc)?
                {
                    Expr::Text(t) => Ok(Executable::Text(t)),
                    _ => Err(b.unsupported("bindparams() on a non-text clause")),
                };
            }
            "values" | "where" | "filter" | "inline" | "execution_options" | "order_by"
            | "limit" | "offset" | "distinct" | "group_by" | "having" | "select_from" | "join"
            | "outerjoin" | "add_columns" => {
                let Value::Call(inner) = receiver else {
                    return Err(b.unsupported(format!(".{method}() on a non-statement")));
                };
                let mut x = construct(b, inner)?;
                match &mut x {
                    Executable::Select(s) => super::select::apply(b, s, method, c)?,
                    _ => apply(b, &mut x, method, c)?,
                }
                return Ok(x);
            }
            other => {
                return Err(b.unsupported(format!("execute() of a statement using .{other}()")));
            }
        }
    }
    let Some(n) = sym::of_call(c) else {
        return Err(b.unsupported("execute() argument"));
    };
    match (n.lib, n.name) {
        (Lib::Sa, "text") => {
            match b
                .reader
                .expr(&Value::Call(Arc::new(c.clone())), StrAs::Text, loc)?
            {
                Expr::Text(t) => Ok(Executable::Text(t)),
                _ => Err(b.unsupported("sa.text()")),
            }
        }
        (Lib::Sa, "insert" | "update" | "delete") => {
            let t = TableClause::from_value(c.args.first().unwrap_or(&Value::None), ctx, loc)?;
            start(n.name, t, loc)
        }
        (Lib::Sa, "select") => Ok(Executable::Select(Box::new(super::select::start(b, c)?))),
        (Lib::Sa, "DDL") => match c.args.first() {
            Some(Value::Str(s)) if !s.as_str().contains('%') => Ok(Executable::Text(TextClause {
                text: s.as_str().to_string(),
                binds: Vec::new(),
                untyped: Vec::new(),
                text_map: s.text_map.clone(),
            })),
            _ => Err(b.unsupported("DDL() with %-formatting")),
        },
        (Lib::Sa, "CreateSequence" | "DropSequence") => sequence_ddl(b, n.name, c),
        (Lib::Sa, "CreateSchema" | "DropSchema") => schema_ddl(b, n.name, c),
        _ => Err(b.unsupported(format!("execute() of `{}`", n.name))),
    }
}

fn start(kind: &str, table: TableClause, _loc: &Loc) -> Result<Executable, LowerError> {
    Ok(match kind {
        "insert" => Executable::Insert {
            table,
            values: Vec::new(),
        },
        "update" => Executable::Update {
            table,
            values: Vec::new(),
            where_: Vec::new(),
        },
        _ => Executable::Delete {
            table,
            where_: Vec::new(),
        },
    })
}

fn value_expr(b: &Builder, table: &TableClause, key: &str, v: &Value) -> Result<Expr, LowerError> {
    let loc = b.loc();
    let e = expr::from_value(v, StrAs::Literal, b.ctx, loc)?;
    Ok(match e {
        // Values are bound with the column's type (`crud.py`).
        Expr::Bind(mut bp) if !bp.always_literal => {
            bp.ty = table.column_type(key).cloned().unwrap_or(SqlType::Null);
            bp.key = Some(key.to_string());
            Expr::Bind(bp)
        }
        Expr::Null => Expr::Bind(expr::Bind {
            value: Lit::None,
            ty: table.column_type(key).cloned().unwrap_or(SqlType::Null),
            key: Some(key.to_string()),
            always_literal: false,
        }),
        other => other.self_group(Against::None),
    })
}

fn apply(b: &Builder, x: &mut Executable, method: &str, c: &Call) -> Result<(), LowerError> {
    let loc = &c.loc;
    match method {
        "values" => {
            let (table, values) = match x {
                Executable::Insert { table, values } | Executable::Update { table, values, .. } => {
                    (table, values)
                }
                _ => return Err(b.unsupported(".values() on a DELETE")),
            };
            let mut pairs: Vec<(String, &Value)> = Vec::new();
            for a in &c.args {
                match a {
                    Value::Dict(items) => {
                        for (k, v) in items {
                            let key = match k {
                                Value::Str(s) => s.as_str().to_string(),
                                Value::Call(_) => {
                                    match expr::from_value(k, StrAs::Column, b.ctx, loc)? {
                                        Expr::Column(col) => col.name,
                                        _ => return Err(b.unsupported(".values() key")),
                                    }
                                }
                                _ => return Err(b.unsupported(".values() key")),
                            };
                            pairs.push((key, v));
                        }
                    }
                    _ => return Err(b.unsupported(".values() with positional values")),
                }
            }
            for (k, v) in &c.kwargs {
                pairs.push((k.clone(), v));
            }
            for (k, v) in pairs {
                let e = value_expr(b, table, &k, v)?;
                values.retain(|(n, _)| *n != k);
                values.push((k, e));
            }
            Ok(())
        }
        "where" | "filter" => {
            let where_ = match x {
                Executable::Update { where_, .. } | Executable::Delete { where_, .. } => where_,
                _ => return Err(b.unsupported(".where() on an INSERT")),
            };
            for a in &c.args {
                where_.push(b.reader.expr(a, StrAs::Text, loc)?);
            }
            Ok(())
        }
        "inline" | "execution_options" => Ok(()),
        other => Err(b.unsupported(format!("execute() of a statement using .{other}()"))),
    }
}

fn sequence_ddl(b: &Builder, class: &str, c: &Call) -> Result<Executable, LowerError> {
    let loc = &c.loc;
    let seq = match c.args.first() {
        Some(Value::Call(s))
            if sym::of_call(s).is_some_and(|n| n.lib == Lib::Sa && n.name == "Sequence") =>
        {
            s
        }
        _ => return Err(b.unsupported(format!("{class}() of something other than sa.Sequence"))),
    };
    let name = match seq.args.first() {
        Some(Value::Str(s)) => s.as_str().to_string(),
        _ => return Err(b.unsupported("a sequence with a computed name")),
    };
    let schema = model::opt_string(seq.kwarg("schema"), "schema", loc)?;
    let flag = |k: &str| model::truthy(c.kwarg(k));
    let render = |m: Mode| -> Result<String, LowerError> {
        let full = quote::table(&name, schema.as_deref(), m);
        if class == "DropSequence" {
            return Ok(format!(
                "DROP SEQUENCE {}{full}",
                if flag("if_exists")? { "IF EXISTS " } else { "" }
            ));
        }
        let mut s = format!(
            "CREATE SEQUENCE {}{full}",
            if flag("if_not_exists")? {
                "IF NOT EXISTS "
            } else {
                ""
            }
        );
        if let Some(t) = seq.kwarg("data_type").filter(|v| !v.is_none()) {
            let ty = types::from_value(t, b.ctx, loc)?;
            s.push_str(&format!(
                " AS {}",
                types::compile(&ty, m).map_err(|e| LowerError::would_fail(
                    "sqlalchemy.exc.CompileError",
                    e,
                    loc
                ))?
            ));
        }
        let ident = b.reader.identity(&Call {
            callee: c.callee.clone(),
            args: Vec::new(),
            kwargs: seq
                .kwargs
                .iter()
                .filter(|(k, _)| {
                    [
                        "start",
                        "increment",
                        "minvalue",
                        "maxvalue",
                        "nominvalue",
                        "nomaxvalue",
                        "cycle",
                        "cache",
                    ]
                    .contains(&k.as_str())
                })
                .cloned()
                .collect(),
            loc: loc.clone(),
        })?;
        let opts = ddl::identity_options(&ident);
        if !opts.is_empty() {
            s.push(' ');
            s.push_str(&opts);
        }
        Ok(s)
    };
    Ok(Executable::Ddl {
        online: render(Mode::ONLINE)?,
        offline: render(Mode::OFFLINE)?,
    })
}

fn schema_ddl(b: &Builder, class: &str, c: &Call) -> Result<Executable, LowerError> {
    let name = match c.args.first() {
        Some(Value::Str(s)) => s.as_str().to_string(),
        _ => return Err(b.unsupported(format!("{class}() with a computed name"))),
    };
    let if_not_exists = model::truthy(c.kwarg("if_not_exists"))?;
    let if_exists = model::truthy(c.kwarg("if_exists"))?;
    let cascade = model::truthy(c.kwarg("cascade"))?;
    let render = |m: Mode| {
        if class == "CreateSchema" {
            format!(
                "CREATE SCHEMA {}{}",
                if if_not_exists { "IF NOT EXISTS " } else { "" },
                quote::quote(&name, m)
            )
        } else {
            format!(
                "DROP SCHEMA {}{}{}",
                if if_exists { "IF EXISTS " } else { "" },
                quote::quote(&name, m),
                if cascade { " CASCADE" } else { "" }
            )
        }
    };
    Ok(Executable::Ddl {
        online: render(Mode::ONLINE),
        offline: render(Mode::OFFLINE),
    })
}

pub(crate) fn bulk_insert(b: &Builder) -> Result<Vec<Element>, LowerError> {
    if b.batch.is_some() {
        return Err(b.fail(
            "AttributeError",
            "'BatchOperations' object has no attribute 'bulk_insert'",
        ));
    }
    let bound = b.bind(&Sig {
        name: "bulk_insert",
        positional: &["table", "rows"],
        required: 2,
        varargs: false,
        keyword_only: &["multiinsert"],
        varkw: false,
    })?;
    let loc = b.loc();
    let table = TableClause::from_value(bound.get("table").unwrap_or(&Value::None), b.ctx, loc)?;
    let rows = match bound.get("rows") {
        Some(Value::List(rows)) => rows,
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        _ => return Err(b.fail("TypeError", "List expected")),
    };
    if let Some(first) = rows.first()
        && !matches!(first, Value::Dict(_))
    {
        return Err(b.fail("TypeError", "List of dictionaries expected"));
    }
    let mut out = Vec::new();
    for row in rows {
        let Value::Dict(items) = row else {
            return Err(b.fail("AttributeError", "'list' object has no attribute 'items'"));
        };
        let mut values = Vec::new();
        for (k, v) in items {
            let key = match k {
                Value::Str(s) => s.as_str().to_string(),
                _ => return Err(b.unsupported("bulk_insert row key that is not a string")),
            };
            let Some(ty) = table.column_type(&key).cloned() else {
                out.push(Element::Raise(b.fail("KeyError", format!("'{key}'"))));
                return Ok(out);
            };
            let e = match expr::from_value(v, StrAs::Literal, b.ctx, loc)? {
                Expr::Bind(bp) if bp.always_literal => Expr::Bind(bp),
                Expr::Bind(bp) => Expr::Bind(expr::Bind {
                    value: bp.value,
                    ty,
                    key: Some(key.clone()),
                    always_literal: true,
                }),
                Expr::Null => Expr::Bind(expr::Bind {
                    value: Lit::None,
                    ty,
                    key: Some(key.clone()),
                    always_literal: true,
                }),
                other => other.self_group(Against::None),
            };
            values.push((key, e));
        }
        out.push(Element::Execute(Executable::Insert {
            table: table.clone(),
            values,
        }));
    }
    Ok(out)
}

fn compile_error(msg: String, loc: &Loc) -> LowerError {
    LowerError::would_fail("sqlalchemy.exc.CompileError", msg, loc)
}

/// Values ordered as the table's columns, as `crud._scan_cols` does.
fn ordered<'v>(
    table: &TableClause,
    values: &'v [(String, Expr)],
    loc: &Loc,
) -> Result<Vec<&'v (String, Expr)>, LowerError> {
    let unknown: Vec<&str> = values
        .iter()
        .filter(|(k, _)| table.column_type(k).is_none())
        .map(|(k, _)| k.as_str())
        .collect();
    if !unknown.is_empty() {
        return Err(compile_error(
            format!("Unconsumed column names: {}", unknown.join(", ")),
            loc,
        ));
    }
    Ok(table
        .columns
        .iter()
        .filter_map(|(n, _)| values.iter().find(|(k, _)| k == n))
        .collect())
}

fn render_executable(
    x: &Executable,
    m: Mode,
    literal_binds: bool,
    loc: &Loc,
) -> Result<String, LowerError> {
    let cx = Cx {
        mode: m,
        include_table: true,
        literal_binds,
        sent_bound: !m.offline,
    };
    let mut names = BindNames::default();
    let c = |e: &Expr, names: &mut BindNames| {
        expr::compile(e, cx, names).map_err(|msg| compile_error(msg, loc))
    };
    Ok(match x {
        Executable::Text(t) => c(&Expr::Text(t.clone()), &mut names)?,
        Executable::Ddl { online, offline } => {
            if m.offline {
                offline.clone()
            } else {
                online.clone()
            }
        }
        Executable::Insert { table, values } => {
            let vals = ordered(table, values, loc)?;
            let cols: Vec<String> = vals.iter().map(|(k, _)| quote::quote(k, m)).collect();
            let mut rendered = Vec::new();
            for (k, e) in &vals {
                rendered.push(match e {
                    Expr::Bind(bp) => {
                        let bp = expr::Bind {
                            key: Some(k.clone()),
                            ..bp.clone()
                        };
                        let mut cxx = cx;
                        if bp.always_literal {
                            cxx.literal_binds = true;
                        }
                        if !cxx.literal_binds && m.offline {
                            format!("%({})s", names.name(Some(k), false))
                        } else {
                            expr::compile(
                                &Expr::Bind(bp),
                                Cx {
                                    literal_binds: true,
                                    ..cx
                                },
                                &mut names,
                            )
                            .map_err(|msg| compile_error(msg, loc))?
                        }
                    }
                    other => c(other, &mut names)?,
                });
            }
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.render(m),
                cols.join(", "),
                rendered.join(", ")
            )
        }
        Executable::Update {
            table,
            values,
            where_,
        } => {
            let vals = ordered(table, values, loc)?;
            let mut sets = Vec::new();
            for (k, e) in &vals {
                let v = match e {
                    Expr::Bind(_) if !literal_binds && m.offline => {
                        format!("%({})s", names.name(Some(k), false))
                    }
                    Expr::Bind(bp) => expr::compile(
                        &Expr::Bind(bp.clone()),
                        Cx {
                            literal_binds: true,
                            ..cx
                        },
                        &mut names,
                    )
                    .map_err(|msg| compile_error(msg, loc))?,
                    other => c(other, &mut names)?,
                };
                sets.push(format!("{}={v}", quote::quote(k, m)));
            }
            let mut s = format!("UPDATE {} SET {}", table.render(m), sets.join(", "));
            if !where_.is_empty() {
                let w = expr::compile_all_of(where_, cx, &mut names)
                    .map_err(|msg| compile_error(msg, loc))?;
                s.push_str(&format!(" WHERE {w}"));
            }
            s
        }
        Executable::Select(s) => s
            .render(cx, &mut names)
            .map_err(|msg| compile_error(msg, loc))?,
        Executable::Delete { table, where_ } => {
            let mut s = format!("DELETE FROM {}", table.render(m));
            if !where_.is_empty() {
                let w = expr::compile_all_of(where_, cx, &mut names)
                    .map_err(|msg| compile_error(msg, loc))?;
                s.push_str(&format!(" WHERE {w}"));
            }
            s
        }
    })
}

/// Compiles what `op.execute` / `bulk_insert` runs.
pub(crate) fn compile_executable(
    x: &Executable,
    ctx: &LowerCtx,
    loc: &Loc,
) -> Result<Vec<Statement>, LowerError> {
    // Online, parameters reach the server bound: the statement's effect is
    // that of its literal rendering.
    let online = render_executable(x, Mode::ONLINE, true, loc)?;
    let offline = match render_executable(x, Mode::OFFLINE, ctx.literal_binds, loc) {
        // Sent online, the offline text is never printed; a value known
        // only as a parameter has no literal rendering.
        Err(_) if ctx.online => online.clone(),
        r => r?,
    };
    let (kind, text_map) = match x {
        Executable::Text(t) => {
            // The map holds only while the text went through unchanged.
            let map = t.text_map.clone().filter(|_| online == t.text);
            (StatementKind::Verbatim, map)
        }
        Executable::Ddl { .. } => (StatementKind::Schema, None),
        _ => (StatementKind::Data, None),
    };
    let mut st = ddl::statement(online, &offline, kind, text_map, loc);
    if let Executable::Text(t) = x
        && let Some(first) = expr::unbound_params(t).first()
    {
        st.online_error = Some(super::PyError {
            exception: "sqlalchemy.exc.StatementError".into(),
            message: format!(
                "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter {}",
                expr::py_str_repr(first)
            ),
        });
    }
    Ok(vec![st])
}
