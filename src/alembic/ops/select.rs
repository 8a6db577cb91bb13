//! `sa.select(...)` statements handed to `op.execute` / `bind.execute`:
//! columns, FROM (tables named by the columns and the WHERE clause, or
//! given by `select_from` / `join`), WHERE, GROUP BY, HAVING, ORDER BY,
//! LIMIT and OFFSET, compiled as SQLAlchemy's compiler renders them for
//! PostgreSQL. A SELECT reads rows only; migsim needs its text so the
//! replay can check the tables and columns it names, and so a loop over
//! its rows is known to touch rows only.

use super::dml::TableClause;
use super::expr::{self, Against, BindNames, Cx, Expr, StrAs};
use super::ops_table::Builder;
use super::quote;
use super::sym::{self, Lib};
use super::{LowerCtx, LowerError};
use crate::python::value::{Call, Value};
use crate::source::Loc;

type TableName = (String, Option<String>);

#[derive(Debug, Clone)]
pub(crate) struct Select {
    columns: Vec<(Expr, Option<String>)>,
    /// `select_from(...)` and joins, before the tables the columns and
    /// the WHERE clause name (`SelectState._get_froms`).
    explicit: Vec<From>,
    where_: Vec<Expr>,
    group_by: Vec<Expr>,
    having: Vec<Expr>,
    order_by: Vec<Expr>,
    limit: Option<Expr>,
    offset: Option<Expr>,
    distinct: bool,
}

#[derive(Debug, Clone)]
enum From {
    Table(TableName),
    Join {
        left: Box<From>,
        right: TableName,
        on: Expr,
        outer: bool,
        full: bool,
    },
}

impl From {
    fn covers(&self, t: &TableName) -> bool {
        match self {
            From::Table(x) => x == t,
            From::Join { left, right, .. } => right == t || left.covers(t),
        }
    }
}

/// `sa.select(a, b, ...)`: column expressions or whole tables.
pub(crate) fn start(b: &Builder, c: &Call) -> Result<Select, LowerError> {
    let mut columns = Vec::new();
    if c.args.is_empty() {
        return Err(b.unsupported("select() without columns"));
    }
    if let [Value::List(_)] = c.args.as_slice() {
        // Valid in SQLAlchemy 1.x, an ArgumentError in 2.0: which one the
        // project runs is not known.
        return Err(b.unsupported("select([...]), whose meaning depends on the SQLAlchemy version"));
    }
    for a in &c.args {
        columns.extend(column_items(b, a)?);
    }
    if !c.kwargs.is_empty() {
        return Err(b.unsupported("select() with keyword arguments"));
    }
    Ok(Select {
        columns,
        explicit: Vec::new(),
        where_: Vec::new(),
        group_by: Vec::new(),
        having: Vec::new(),
        order_by: Vec::new(),
        limit: None,
        offset: None,
        distinct: false,
    })
}

/// A table's columns, or one expression with its label.
fn column_items(b: &Builder, v: &Value) -> Result<Vec<(Expr, Option<String>)>, LowerError> {
    let loc = b.loc();
    if let Some(t) = as_table(v, b.ctx, loc)? {
        return t
            .columns
            .iter()
            .map(|(n, _)| t.column_expr(n, loc).map(|e| (e, None)))
            .collect();
    }
    if let Value::Call(c) = v
        && let Some((receiver, "label")) = sym::method(c)
    {
        let name = match c.args.first() {
            Some(Value::Str(s)) => s.as_str().to_string(),
            _ => return Err(b.unsupported(".label() with a computed name")),
        };
        let e = b.reader.expr(receiver, StrAs::Column, loc)?;
        return Ok(vec![(e, Some(name))]);
    }
    Ok(vec![(b.reader.expr(v, StrAs::Column, loc)?, None)])
}

/// `v` when it is a table (`sa.table`, `sa.Table`, a reflected table).
fn as_table(v: &Value, ctx: &LowerCtx, loc: &Loc) -> Result<Option<TableClause>, LowerError> {
    let Value::Call(c) = v else { return Ok(None) };
    let is_table = sym::of_call(c).is_some_and(|n| {
        matches!(
            (n.lib, n.name),
            (Lib::Sa, "table" | "Table") | (Lib::Alembic, "create_table")
        )
    });
    if !is_table {
        return Ok(None);
    }
    TableClause::from_value(v, ctx, loc).map(Some)
}

fn table_from(b: &Builder, v: &Value) -> Result<TableClause, LowerError> {
    match as_table(v, b.ctx, b.loc())? {
        Some(t) => Ok(t),
        None => Err(b.unsupported("a FROM item that is not a table")),
    }
}

/// `select_from(t)` or `select_from(a.join(b, on))`.
fn from_item(b: &Builder, v: &Value) -> Result<From, LowerError> {
    if let Value::Call(c) = v
        && let Some((left, m @ ("join" | "outerjoin"))) = sym::method(c)
    {
        let left = from_item(b, left)?;
        return join(b, left, c, m == "outerjoin");
    }
    let t = table_from(b, v)?;
    Ok(From::Table((t.name, t.schema)))
}

fn join(b: &Builder, left: From, c: &Call, outer: bool) -> Result<From, LowerError> {
    let loc = b.loc();
    let right = match c.args.first() {
        Some(v) => table_from(b, v)?,
        None => return Err(b.unsupported("join() without a target")),
    };
    let Some(on) = c.args.get(1).or_else(|| c.kwarg("onclause")) else {
        // The ON clause would come from the foreign keys of the tables.
        return Err(b.unsupported("join() without an ON clause"));
    };
    let on = b.reader.expr(on, StrAs::Text, loc)?;
    let flag = |k: &str| super::model::truthy(c.kwarg(k));
    Ok(From::Join {
        left: Box::new(left),
        right: (right.name, right.schema),
        on,
        outer: outer || flag("isouter")? || flag("full")?,
        full: flag("full")?,
    })
}

/// `.where()`, `.order_by()`, ... on a select.
pub(crate) fn apply(b: &Builder, s: &mut Select, method: &str, c: &Call) -> Result<(), LowerError> {
    let loc = &c.loc;
    let exprs = |str_as: StrAs| -> Result<Vec<Expr>, LowerError> {
        c.args
            .iter()
            .filter(|a| !a.is_none())
            .map(|a| b.reader.expr(a, str_as, loc))
            .collect()
    };
    match method {
        "where" | "filter" => s.where_.extend(exprs(StrAs::Text)?),
        "having" => s.having.extend(exprs(StrAs::Text)?),
        "group_by" => s.group_by.extend(exprs(StrAs::Column)?),
        "order_by" => s.order_by.extend(exprs(StrAs::Column)?),
        "limit" | "offset" => {
            let v = c
                .args
                .first()
                .ok_or_else(|| b.unsupported(format!(".{method}() without a value")))?;
            let e = match v {
                Value::None => None,
                _ => Some(b.reader.expr(v, StrAs::Literal, loc)?),
            };
            if method == "limit" {
                s.limit = e;
            } else {
                s.offset = e;
            }
        }
        "distinct" if c.args.is_empty() => s.distinct = true,
        "select_from" => {
            for a in &c.args {
                let f = from_item(b, a)?;
                s.explicit.push(f);
            }
        }
        "join" | "outerjoin" => {
            let joined = join(
                b,
                From::Table((String::new(), None)),
                c,
                method == "outerjoin",
            )?;
            let From::Join { right, on, .. } = &joined else {
                return Err(b.unsupported(format!(".{method}()")));
            };
            let Some(left) = s.left_side(right, on) else {
                return Err(b.unsupported(format!(
                    ".{method}() whose left side SQLAlchemy picks from several FROM items"
                )));
            };
            let joined = match joined {
                From::Join {
                    right,
                    on,
                    outer,
                    full,
                    ..
                } => From::Join {
                    left: Box::new(left.clone()),
                    right,
                    on,
                    outer,
                    full,
                },
                other => other,
            };
            // The joined item takes the place of its left side.
            match s.explicit.iter().position(|f| f.covers_from(&left)) {
                Some(i) => s.explicit[i] = joined,
                None => s.explicit.push(joined),
            }
        }
        "add_columns" => {
            for a in &c.args {
                s.columns.extend(column_items(b, a)?);
            }
        }
        "execution_options" => {}
        other => {
            return Err(b.unsupported(format!("execute() of a select using .{other}()")));
        }
    }
    Ok(())
}

impl From {
    /// A FROM item this one already renders.
    fn covers_from(&self, other: &From) -> bool {
        match other {
            From::Table(t) => self.covers(t),
            From::Join { left, right, .. } => self.covers(right) && self.covers_from(left),
        }
    }
}

impl Select {
    /// The FROM item `.join(right, on)` joins from
    /// (`_join_determine_implicit_left_side`): among the statement's FROM
    /// items, the one the ON clause reaches with `right`; with a single
    /// item, that one.
    fn left_side(&self, right: &TableName, on: &Expr) -> Option<From> {
        let froms = if self.explicit.is_empty() {
            self.froms()
        } else {
            self.explicit.clone()
        };
        if let [only] = froms.as_slice() {
            return (!only.covers(right) || matches!(only, From::Join { .. }))
                .then(|| only.clone());
        }
        let mut on_tables = Vec::new();
        tables_in(on, &mut on_tables);
        let fits: Vec<&From> = froms
            .iter()
            .filter(|f| !matches!(f, From::Table(t) if t == right))
            .filter(|f| on_tables.iter().all(|t| t == right || f.covers(t)))
            .collect();
        match fits.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    }

    /// The FROM list SQLAlchemy renders: explicit items, then the tables
    /// of the columns and of the WHERE clause, each once, leaving out
    /// tables a join already names.
    fn froms(&self) -> Vec<From> {
        let mut out: Vec<From> = self.explicit.clone();
        let mut named = Vec::new();
        for (e, _) in &self.columns {
            tables_in(e, &mut named);
        }
        for e in &self.where_ {
            tables_in(e, &mut named);
        }
        for t in named {
            if !out.iter().any(|f| f.covers(&t)) {
                out.push(From::Table(t));
            }
        }
        out
    }

    pub(crate) fn render(&self, cx: Cx, names: &mut BindNames) -> Result<String, String> {
        let m = cx.mode;
        let mut labels = Labels::default();
        let mut cols = Vec::new();
        for (e, label) in &self.columns {
            let sql = expr::compile(e, cx, names)?;
            let label = match (label, e) {
                (Some(l), _) => Some(labels.take(l)),
                (None, Expr::Column(c)) => labels.column(&c.name),
                (None, Expr::Func { name, .. }) => {
                    Some(labels.anonymous(name.rsplit('.').next().unwrap_or(name)))
                }
                (None, _) => Some(labels.anonymous("anon")),
            };
            cols.push(match label {
                Some(l) => format!("{sql} AS {}", quote::quote(&l, m)),
                None => sql,
            });
        }
        let mut s = String::from("SELECT ");
        if self.distinct {
            s.push_str("DISTINCT ");
        }
        s.push_str(&cols.join(", "));
        let froms = self.froms();
        if !froms.is_empty() {
            let rendered = froms
                .iter()
                .map(|f| render_from(f, cx, names))
                .collect::<Result<Vec<_>, _>>()?;
            s.push_str(" \nFROM ");
            s.push_str(&rendered.join(", "));
        }
        if !self.where_.is_empty() {
            s.push_str(" \nWHERE ");
            s.push_str(&expr::compile_all_of(&self.where_, cx, names)?);
        }
        if !self.group_by.is_empty() {
            s.push_str(" GROUP BY ");
            s.push_str(&list(&self.group_by, cx, names)?);
        }
        if !self.having.is_empty() {
            s.push_str(" \nHAVING ");
            s.push_str(&expr::compile_all_of(&self.having, cx, names)?);
        }
        if !self.order_by.is_empty() {
            s.push_str(" ORDER BY ");
            s.push_str(&list(&self.order_by, cx, names)?);
        }
        if let Some(l) = &self.limit {
            s.push_str(" \n LIMIT ");
            s.push_str(&expr::compile(l, cx, names)?);
        }
        if let Some(o) = &self.offset {
            if self.limit.is_none() {
                s.push_str("\n LIMIT ALL");
            }
            s.push_str(" OFFSET ");
            s.push_str(&expr::compile(o, cx, names)?);
        }
        Ok(s)
    }
}

fn list(items: &[Expr], cx: Cx, names: &mut BindNames) -> Result<String, String> {
    Ok(items
        .iter()
        .map(|e| expr::compile(&e.clone().self_group(Against::None), cx, names))
        .collect::<Result<Vec<_>, _>>()?
        .join(", "))
}

fn render_from(f: &From, cx: Cx, names: &mut BindNames) -> Result<String, String> {
    Ok(match f {
        From::Table((t, schema)) => quote::table(t, schema.as_deref(), cx.mode),
        From::Join {
            left,
            right,
            on,
            outer,
            full,
        } => {
            let kind = match (full, outer) {
                (true, _) => "FULL OUTER JOIN",
                (false, true) => "LEFT OUTER JOIN",
                _ => "JOIN",
            };
            format!(
                "{} {kind} {} ON {}",
                render_from(left, cx, names)?,
                quote::table(&right.0, right.1.as_deref(), cx.mode),
                expr::compile(on, cx, names)?
            )
        }
    })
}

/// Column labels of one SELECT: SQLAlchemy 2.0 labels only what needs it
/// (a repeated column name, an unnamed expression), numbering per name as
/// its anonymous names are.
#[derive(Default)]
struct Labels(BindNames);

impl Labels {
    fn take(&mut self, name: &str) -> String {
        self.0.name(Some(name), false)
    }

    fn column(&mut self, name: &str) -> Option<String> {
        if self.0.is_used(name) {
            return Some(self.anonymous(name));
        }
        self.take(name);
        None
    }

    fn anonymous(&mut self, base: &str) -> String {
        self.0.name(Some(base), true)
    }
}

/// Tables whose columns an expression names, in order of appearance.
fn tables_in(e: &Expr, out: &mut Vec<TableName>) {
    e.visit_columns(&mut |c| {
        if let Some(t) = &c.table
            && !out.contains(t)
        {
            out.push(t.clone());
        }
    });
}
