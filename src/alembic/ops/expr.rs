//! SQL expressions as SQLAlchemy builds them (`sa.text`, `sa.func.*`,
//! column comparisons, literals) and their PostgreSQL compilation with
//! literal binds.

use super::quote::{self, Mode};
use super::sym::{self, Lib};
use super::types::{self, SqlType};
use super::{LowerCtx, LowerError};
use crate::alembic::sink::TextMap;
use crate::python::value::{Call, Value};
use crate::source::Loc;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// `sa.text(...)`, or a string coerced to text (a CHECK condition).
    Text(TextClause),
    /// `sa.literal_column(...)`: copied as is.
    Raw(String),
    Column(ColumnRef),
    Bind(Bind),
    Null,
    True,
    False,
    Func {
        /// Dotted: `now`, `pg_catalog.now`.
        name: String,
        args: Vec<Expr>,
    },
    Cast(Box<Expr>, SqlType),
    Binary(Box<Expr>, BinOp, Box<Expr>),
    /// `a.op("!~*")(b)`: an operator SQLAlchemy does not know.
    Custom(Box<CustomOp>),
    /// `NOT x`, `-x`.
    Unary(UnaryOp, Box<Expr>),
    /// `x DESC`, `x NULLS LAST`.
    Modifier(Box<Expr>, Modifier),
    /// `and_(...)` / `or_(...)`.
    Clause(BoolOp, Vec<Expr>),
    In {
        expr: Box<Expr>,
        values: Vec<Expr>,
        negate: bool,
    },
    Collate(Box<Expr>, String),
    Grouping(Box<Expr>),
    /// `col["key"]`, `col[("a", "b")]` on a JSON column, maybe read as a
    /// SQL type by `.as_string()` and the like.
    JsonIndex(Box<JsonIndex>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonIndex {
    pub left: Expr,
    /// `"key"` or `1` (`->`), or a path given as a list or tuple (`#>`).
    pub key: JsonKey,
    /// `.as_string()`, `.as_integer()`...: `->>` / `#>>` under a CAST.
    pub as_type: Option<SqlType>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsonKey {
    Key(Lit),
    Path(Vec<Lit>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CustomOp {
    pub left: Expr,
    pub op: String,
    /// `precedence=` (SQLAlchemy's default 0 groups it inside any other
    /// operator).
    pub precedence: i32,
    /// `is_comparison=` / `bool_op`: the result is a boolean.
    pub comparison: bool,
    pub right: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextClause {
    pub text: String,
    /// `.bindparams(x=5)` values.
    pub binds: Vec<(String, Lit)>,
    /// Keys of values given by `.params(...)`: unlike `bindparams`, it
    /// leaves the parameter's type unset (`NullType`), which has no
    /// literal rendering.
    pub untyped: Vec<String>,
    /// Where the text's bytes came from in the Python file.
    pub text_map: Option<TextMap>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnRef {
    pub name: String,
    /// `(table, schema)` for `t.c.x`; rendered only in DML.
    pub table: Option<(String, Option<String>)>,
    pub ty: SqlType,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bind {
    pub value: Lit,
    pub ty: SqlType,
    /// Parameter name when binds are not rendered inline.
    pub key: Option<String>,
    /// `op.inline_literal()`: always rendered inline.
    pub always_literal: bool,
}

/// A Python value carried by a bind parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// ISO text of a `datetime.datetime` / `date` / `time`.
    DateTime(String),
    Date(String),
    Time(String),
    Decimal(String),
    List(Vec<Lit>),
    /// A dict (JSON values): SQLAlchemy has no literal rendering for it.
    Dict(Vec<(Lit, Lit)>),
    /// A value sent apart from the statement that the reader does not know
    /// ([`super::UNKNOWN_PARAMETER`]): rendered as a `$1` placeholder, which
    /// PostgreSQL's parser and the catalog take for a value of any type.
    Param,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    Like,
    NotLike,
    ILike,
    NotILike,
    Is,
    IsNot,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modifier {
    Asc,
    Desc,
    NullsFirst,
    NullsLast,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoolOp {
    And,
    Or,
}

impl BinOp {
    fn sql(self) -> &'static str {
        match self {
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Concat => "||",
            BinOp::Like => "LIKE",
            BinOp::NotLike => "NOT LIKE",
            BinOp::ILike => "ILIKE",
            BinOp::NotILike => "NOT ILIKE",
            BinOp::Is => "IS",
            BinOp::IsNot => "IS NOT",
            BinOp::And => "AND",
            BinOp::Or => "OR",
        }
    }

    /// `operators._PRECEDENCE`.
    fn precedence(self) -> i32 {
        match self {
            BinOp::Mul | BinOp::Div | BinOp::Mod => 8,
            BinOp::Add | BinOp::Sub => 7,
            BinOp::And => 3,
            BinOp::Or => 2,
            _ => 5,
        }
    }

    /// `operators._natural_self_precedent`: `a + b + c` needs no parens.
    fn associative(self) -> bool {
        matches!(
            self,
            BinOp::Add | BinOp::Mul | BinOp::Concat | BinOp::And | BinOp::Or
        )
    }

    fn negate(self) -> Option<BinOp> {
        Some(match self {
            BinOp::Eq => BinOp::Ne,
            BinOp::Ne => BinOp::Eq,
            BinOp::Lt => BinOp::Ge,
            BinOp::Ge => BinOp::Lt,
            BinOp::Gt => BinOp::Le,
            BinOp::Le => BinOp::Gt,
            BinOp::Like => BinOp::NotLike,
            BinOp::NotLike => BinOp::Like,
            BinOp::ILike => BinOp::NotILike,
            BinOp::NotILike => BinOp::ILike,
            BinOp::Is => BinOp::IsNot,
            BinOp::IsNot => BinOp::Is,
            _ => return None,
        })
    }
}

/// The operator an expression presents to its parent, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Against {
    None,
    Op(BinOp),
    /// `IN`: text clauses are grouped against it.
    In,
    /// A custom operator of this precedence.
    Custom(i32),
    /// `operators._asbool`: a lone `and_()` / WHERE criterion.
    AsBool,
    Not,
    Modifier,
}

fn precedence_of(a: Against) -> Option<i32> {
    match a {
        Against::None => None,
        Against::Op(op) => Some(op.precedence()),
        Against::In | Against::Not => Some(5),
        Against::Modifier => Some(3),
        Against::Custom(p) => Some(p),
        Against::AsBool => Some(-10),
    }
}

impl Expr {
    /// Calls `f` on each column reference inside, in order.
    pub(crate) fn visit_columns<'a>(&'a self, f: &mut dyn FnMut(&'a ColumnRef)) {
        match self {
            Expr::Column(c) => f(c),
            Expr::Binary(l, _, r) => {
                l.visit_columns(f);
                r.visit_columns(f);
            }
            Expr::Custom(c) => {
                c.left.visit_columns(f);
                c.right.visit_columns(f);
            }
            Expr::Unary(_, x)
            | Expr::Modifier(x, _)
            | Expr::Grouping(x)
            | Expr::Collate(x, _)
            | Expr::Cast(x, _) => x.visit_columns(f),
            Expr::JsonIndex(j) => j.left.visit_columns(f),
            Expr::Clause(_, items) | Expr::Func { args: items, .. } => {
                items.iter().for_each(|i| i.visit_columns(f))
            }
            Expr::In { expr, values, .. } => {
                expr.visit_columns(f);
                values.iter().for_each(|i| i.visit_columns(f));
            }
            Expr::Text(_)
            | Expr::Raw(_)
            | Expr::Bind(_)
            | Expr::Null
            | Expr::True
            | Expr::False => {}
        }
    }

    /// `ClauseElement.self_group(against)`: wraps in parentheses when the
    /// parent operator binds tighter.
    pub fn self_group(self, against: Against) -> Expr {
        match &self {
            Expr::Binary(_, op, _) => {
                let is_precedent = match against {
                    Against::Op(a) if a == *op && op.associative() => false,
                    Against::None => true,
                    other => precedence_of(other).is_some_and(|p| op.precedence() <= p),
                };
                if is_precedent {
                    Expr::Grouping(Box::new(self))
                } else {
                    self
                }
            }
            Expr::Clause(op, items) => {
                if items.len() < 2 {
                    return self;
                }
                let own = match op {
                    BoolOp::And => BinOp::And,
                    BoolOp::Or => BinOp::Or,
                };
                let needs = match against {
                    Against::Op(a) if a == own => false,
                    Against::None => false,
                    other => precedence_of(other).is_some_and(|p| own.precedence() <= p),
                };
                if needs {
                    Expr::Grouping(Box::new(self))
                } else {
                    self
                }
            }
            // A binary expression of the highest precedence (15): only a
            // context without an operator groups it.
            Expr::JsonIndex(_) if against == Against::None => Expr::Grouping(Box::new(self)),
            Expr::Custom(c) => {
                // A custom operator is never "the same operator" as its
                // parent: each `.op()` call makes a new one.
                let needs = against == Against::None
                    || precedence_of(against).is_some_and(|p| c.precedence <= p);
                if needs {
                    Expr::Grouping(Box::new(self))
                } else {
                    self
                }
            }
            Expr::Text(_) if against == Against::In => Expr::Grouping(Box::new(self)),
            Expr::In { .. } => {
                let needs = precedence_of(against).is_some_and(|p| 5 <= p);
                if needs {
                    Expr::Grouping(Box::new(self))
                } else {
                    self
                }
            }
            _ => self,
        }
    }

    /// The type SQLAlchemy gives the expression (for coercing the other side
    /// of a comparison).
    pub fn ty(&self) -> SqlType {
        match self {
            Expr::Column(c) => c.ty.clone(),
            Expr::Bind(b) => b.ty.clone(),
            Expr::Cast(_, t) => t.clone(),
            Expr::JsonIndex(j) => j.as_type.clone().unwrap_or_else(|| j.left.ty()),
            Expr::Binary(l, op, _) => match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Concat => {
                    l.ty()
                }
                _ => SqlType::Boolean,
            },
            Expr::Custom(c) if c.comparison => SqlType::Boolean,
            Expr::Custom(c) => c.left.ty(),
            Expr::Grouping(e) | Expr::Modifier(e, _) | Expr::Collate(e, _) => e.ty(),
            Expr::Func { name, .. } => match name.as_str() {
                "now" | "current_timestamp" | "localtimestamp" => SqlType::Timestamp {
                    timezone: true,
                    precision: None,
                },
                "count" => SqlType::Integer,
                _ => SqlType::Null,
            },
            _ => SqlType::Null,
        }
    }
}

/// How a bare Python string is read where an expression is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrAs {
    /// A SQL fragment (`CheckConstraint("x > 0")`, `postgresql_where="..."`).
    Text,
    /// A value (`func.to_tsvector('english', ...)`).
    Literal,
    /// A column name (`sa.desc("name")`, index columns).
    Column,
}

/// Reads a value in an expression position.
pub(crate) fn from_value(
    v: &Value,
    str_as: StrAs,
    ctx: &LowerCtx,
    loc: &Loc,
) -> Result<Expr, LowerError> {
    match v {
        _ if str_as == StrAs::Literal && ctx.data_values.get() && python_value_unknown(v) => {
            Ok(bind_for(Lit::Param))
        }
        // A condition built from rows read before (`or_(*(t.c.id == r.id
        // for r in rows))`): which rows a data statement touches is not
        // known anyway; its kind and its tables are, so the condition is
        // a placeholder as an unknown value is.
        Value::Unknown(_) if str_as == StrAs::Text && ctx.data_values.get() => {
            Ok(bind_for(Lit::Param))
        }
        Value::Str(s) => Ok(match str_as {
            StrAs::Text => Expr::Text(TextClause {
                text: s.as_str().to_string(),
                binds: Vec::new(),
                untyped: Vec::new(),
                text_map: s.text_map.clone(),
            }),
            StrAs::Literal => bind_for(Lit::Str(s.as_str().to_string())),
            StrAs::Column => Expr::Column(ColumnRef {
                name: s.as_str().to_string(),
                table: None,
                ty: SqlType::Null,
            }),
        }),
        Value::None => Ok(Expr::Null),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => Ok(bind_for(lit_from_value(v, loc)?)),
        Value::Call(c) => from_call(c, str_as, ctx),
        Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
        Value::List(_) | Value::Tuple(_) | Value::Dict(_) => Ok(bind_for(lit_from_value(v, loc)?)),
        _ => Err(LowerError::unsupported(
            "expression of a kind migsim does not model",
            loc,
        )),
    }
}

/// A value the reader does not know that can only be a plain Python value
/// where SQLAlchemy expects one (not a SQL construct): an unknown, or
/// what a library outside SQLAlchemy returned (`Block.checksum(fields)`).
fn python_value_unknown(v: &Value) -> bool {
    match v {
        Value::Unknown(_) => true,
        Value::Symbol(s) => sym::of_symbol(s).lib == sym::Lib::Other,
        Value::Call(c) => match &c.callee {
            crate::python::value::Callee::Symbol(s) => sym::of_symbol(s).lib == sym::Lib::Other,
            crate::python::value::Callee::Method { receiver, .. } => python_value_unknown(receiver),
        },
        _ => false,
    }
}

/// A bind parameter typed from the Python value (`_resolve_value_to_type`).
pub(crate) fn bind_for(value: Lit) -> Expr {
    let ty = type_of_lit(&value);
    Expr::Bind(Bind {
        value,
        ty,
        key: None,
        always_literal: false,
    })
}

pub(crate) fn type_of_lit(l: &Lit) -> SqlType {
    match l {
        Lit::None | Lit::List(_) | Lit::Dict(_) | Lit::Param => SqlType::Null,
        Lit::Bool(_) => SqlType::Boolean,
        Lit::Int(_) => SqlType::Integer,
        Lit::Float(_) => SqlType::Float {
            name: "FLOAT",
            precision: None,
        },
        Lit::Str(_) => SqlType::String {
            name: "VARCHAR",
            length: None,
            collation: None,
        },
        Lit::DateTime(_) => SqlType::Timestamp {
            timezone: false,
            precision: None,
        },
        Lit::Date(_) => SqlType::Date,
        Lit::Time(_) => SqlType::Time {
            timezone: false,
            precision: None,
        },
        Lit::Decimal(_) => SqlType::Numeric {
            name: "NUMERIC",
            precision: None,
            scale: None,
        },
    }
}

/// A Python value as a bind parameter's value.
pub(crate) fn lit_from_value(v: &Value, loc: &Loc) -> Result<Lit, LowerError> {
    Ok(match v {
        Value::None => Lit::None,
        Value::Bool(b) => Lit::Bool(*b),
        Value::Int(i) => Lit::Int(*i),
        Value::Float(f) => Lit::Float(*f),
        Value::Str(s) => Lit::Str(s.as_str().to_string()),
        Value::List(items) | Value::Tuple(items) => Lit::List(
            items
                .iter()
                .map(|i| lit_from_value(i, loc))
                .collect::<Result<_, _>>()?,
        ),
        Value::Dict(items) => Lit::Dict(
            items
                .iter()
                .map(|(k, v)| Ok((lit_from_value(k, loc)?, lit_from_value(v, loc)?)))
                .collect::<Result<_, LowerError>>()?,
        ),
        Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
        Value::Call(c) => return lit_from_call(c),
        _ => {
            return Err(LowerError::unsupported(
                "a value of a kind migsim cannot render as SQL",
                loc,
            ));
        }
    })
}

fn int_arg(c: &Call, i: usize, name: &str, default: i64) -> Result<i64, LowerError> {
    match c.arg(i, name) {
        None => Ok(default),
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(LowerError::unsupported(
            format!("non-integer `{name}`"),
            &c.loc,
        )),
    }
}

/// `datetime.datetime(2020, 1, 2)`, `decimal.Decimal("1.5")`.
fn lit_from_call(c: &Call) -> Result<Lit, LowerError> {
    let Some(n) = sym::of_call(c) else {
        return Err(LowerError::unsupported(
            "value computed by a method call",
            &c.loc,
        ));
    };
    match (n.lib, n.name) {
        (Lib::Migsim, "UnknownParameter") => Ok(Lit::Param),
        (Lib::Datetime, "datetime") => {
            let y = int_arg(c, 0, "year", 1)?;
            let mo = int_arg(c, 1, "month", 1)?;
            let d = int_arg(c, 2, "day", 1)?;
            let h = int_arg(c, 3, "hour", 0)?;
            let mi = int_arg(c, 4, "minute", 0)?;
            let s = int_arg(c, 5, "second", 0)?;
            let us = int_arg(c, 6, "microsecond", 0)?;
            if c.kwarg("tzinfo").is_some_and(|v| !v.is_none()) || c.args.len() > 7 {
                return Err(LowerError::unsupported("datetime with tzinfo", &c.loc));
            }
            let mut iso = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
            if us != 0 {
                iso.push_str(&format!(".{us:06}"));
            }
            Ok(Lit::DateTime(iso))
        }
        (Lib::Datetime, "date") => {
            let y = int_arg(c, 0, "year", 1)?;
            let mo = int_arg(c, 1, "month", 1)?;
            let d = int_arg(c, 2, "day", 1)?;
            Ok(Lit::Date(format!("{y:04}-{mo:02}-{d:02}")))
        }
        (Lib::Datetime, "time") => {
            let h = int_arg(c, 0, "hour", 0)?;
            let mi = int_arg(c, 1, "minute", 0)?;
            let s = int_arg(c, 2, "second", 0)?;
            let us = int_arg(c, 3, "microsecond", 0)?;
            let mut iso = format!("{h:02}:{mi:02}:{s:02}");
            if us != 0 {
                iso.push_str(&format!(".{us:06}"));
            }
            Ok(Lit::Time(iso))
        }
        (Lib::Decimal, "Decimal") => match c.args.first() {
            Some(Value::Str(s)) => Ok(Lit::Decimal(s.as_str().to_string())),
            Some(Value::Int(i)) => Ok(Lit::Decimal(i.to_string())),
            _ => Err(LowerError::unsupported("Decimal of a non-literal", &c.loc)),
        },
        (Lib::Uuid, "UUID") => match c.args.first() {
            Some(Value::Str(s)) => Ok(Lit::Str(s.as_str().to_string())),
            _ => Err(LowerError::unsupported(
                "uuid.UUID of a non-literal",
                &c.loc,
            )),
        },
        (Lib::Uuid, "uuid4" | "uuid1") | (Lib::Datetime, "now" | "utcnow" | "today") => {
            Err(LowerError::Unknown(crate::python::value::Unknown {
                reason: format!("{}() gives a different value on every run", n.name),
                loc: c.loc.clone(),
                alternatives: Vec::new(),
            }))
        }
        _ => Err(LowerError::unsupported(
            format!("value of `{}`", n.name),
            &c.loc,
        )),
    }
}

fn op_of(name: &str) -> Option<BinOp> {
    Some(match name {
        "eq" => BinOp::Eq,
        "ne" => BinOp::Ne,
        "lt" => BinOp::Lt,
        "le" => BinOp::Le,
        "gt" => BinOp::Gt,
        "ge" => BinOp::Ge,
        "add" => BinOp::Add,
        "sub" => BinOp::Sub,
        "mul" => BinOp::Mul,
        "truediv" => BinOp::Div,
        "mod" => BinOp::Mod,
        "and_" => BinOp::And,
        "or_" => BinOp::Or,
        _ => return None,
    })
}

fn from_call(c: &Call, str_as: StrAs, ctx: &LowerCtx) -> Result<Expr, LowerError> {
    let loc = &c.loc;
    if let Some((receiver, method)) = sym::method(c) {
        return from_method(receiver, method, c, ctx);
    }
    let Some(n) = sym::of_call(c) else {
        return Err(LowerError::unsupported("expression", loc));
    };
    let arg0 = || {
        c.args
            .first()
            .ok_or_else(|| LowerError::unsupported(format!("{}() without arguments", n.name), loc))
    };
    match (n.lib, n.name) {
        (Lib::Sa, "text") => text_clause(c),
        (Lib::Sa, "literal_column") => match arg0()? {
            Value::Str(s) => Ok(Expr::Raw(s.as_str().to_string())),
            other => from_value(other, str_as, ctx, loc),
        },
        (Lib::Sa, "column" | "Column") => {
            let name = match arg0()? {
                Value::Str(s) => s.as_str().to_string(),
                _ => {
                    return Err(LowerError::unsupported(
                        "sa.column() with a computed name",
                        loc,
                    ));
                }
            };
            let ty = match c.arg(1, "type_") {
                Some(t) if !t.is_none() => types::from_value(t, ctx, loc)?,
                _ => SqlType::Null,
            };
            Ok(Expr::Column(ColumnRef {
                name,
                table: None,
                ty,
            }))
        }
        (Lib::Sa, "literal") => {
            let value = lit_from_value(arg0()?, loc)?;
            let ty = match c.arg(1, "type_") {
                Some(t) if !t.is_none() => types::from_value(t, ctx, loc)?,
                _ => type_of_lit(&value),
            };
            Ok(Expr::Bind(Bind {
                value,
                ty,
                key: None,
                always_literal: false,
            }))
        }
        // Online, a named parameter's value is sent with the statement
        // (`execute(stmt, {"key": ...})`), whatever default it was given.
        (Lib::Sa, "bindparam") if ctx.data_values.get() => {
            let key = match arg0()? {
                Value::Str(s) => s.as_str().to_string(),
                _ => {
                    return Err(LowerError::unsupported(
                        "bindparam() with a computed key",
                        loc,
                    ));
                }
            };
            let ty = match c.arg(2, "type_") {
                Some(t) if !t.is_none() => types::from_value(t, ctx, loc)?,
                _ => SqlType::Null,
            };
            Ok(Expr::Bind(Bind {
                value: Lit::Param,
                ty,
                key: Some(key),
                always_literal: false,
            }))
        }
        (Lib::Alembic, "inline_literal") => {
            let value = lit_from_value(arg0()?, loc)?;
            let ty = match c.arg(1, "type_") {
                Some(t) if !t.is_none() => types::from_value(t, ctx, loc)?,
                _ => type_of_lit(&value),
            };
            Ok(Expr::Bind(Bind {
                value,
                ty,
                key: None,
                always_literal: true,
            }))
        }
        (Lib::Sa, "null") => Ok(Expr::Null),
        (Lib::Sa, "true") => Ok(Expr::True),
        (Lib::Sa, "false") => Ok(Expr::False),
        (Lib::Func, name) => {
            let mut args = c
                .args
                .iter()
                .map(|a| from_value(a, StrAs::Literal, ctx, loc))
                .collect::<Result<Vec<_>, _>>()?;
            // PostgreSQL's text-search functions (`dialects/postgresql/ext.py`
            // `_regconfig_fn`) type their first argument REGCONFIG when
            // given more than one.
            const REGCONFIG_FNS: &[&str] = &[
                "to_tsvector",
                "to_tsquery",
                "plainto_tsquery",
                "phraseto_tsquery",
                "websearch_to_tsquery",
                "ts_headline",
            ];
            if args.len() > 1
                && REGCONFIG_FNS.contains(&name.to_ascii_lowercase().as_str())
                && let Expr::Bind(b) = &mut args[0]
            {
                b.ty = SqlType::Keyword("REGCONFIG");
            }
            if !c.kwargs.is_empty() {
                return Err(LowerError::unsupported(
                    format!("func.{name}() with keyword arguments"),
                    loc,
                ));
            }
            Ok(Expr::Func {
                name: name.to_string(),
                args,
            })
        }
        (Lib::Sa, "cast") => {
            let e = from_value(arg0()?, StrAs::Literal, ctx, loc)?;
            let t = c
                .arg(1, "type_")
                .ok_or_else(|| LowerError::unsupported("cast() without a type", loc))?;
            Ok(Expr::Cast(Box::new(e), types::from_value(t, ctx, loc)?))
        }
        (Lib::Sa, "and_" | "or_") => {
            let op = if n.name == "and_" {
                BoolOp::And
            } else {
                BoolOp::Or
            };
            let items = c
                .args
                .iter()
                .map(|a| from_value(a, StrAs::Text, ctx, loc))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(clause(op, items))
        }
        (Lib::Sa, "not_") => Ok(negate(from_value(arg0()?, StrAs::Text, ctx, loc)?)),
        (Lib::Sa, "desc" | "asc" | "nulls_first" | "nulls_last" | "nullsfirst" | "nullslast") => {
            let e = match arg0()? {
                Value::Str(s) => Expr::Raw(s.as_str().to_string()),
                other => from_value(other, StrAs::Column, ctx, loc)?,
            };
            Ok(modifier(e, n.name))
        }
        (Lib::Sa, "collate") => {
            let e = from_value(arg0()?, StrAs::Column, ctx, loc)?;
            match c.arg(1, "collation") {
                Some(Value::Str(s)) => Ok(Expr::Collate(Box::new(e), s.as_str().to_string())),
                _ => Err(LowerError::unsupported(
                    "collate() with a computed collation",
                    loc,
                )),
            }
        }
        (Lib::Operator, "getitem") => match json_index(c, ctx)? {
            Some(e) => Ok(e),
            None => attribute(c, ctx),
        },
        (Lib::Builtins | Lib::Migsim, "getattr") => attribute(c, ctx),
        (Lib::Operator, name) => operator(name, c, ctx),
        (Lib::Datetime | Lib::Decimal | Lib::Uuid, _) => Ok(bind_for(lit_from_call(c)?)),
        _ => Err(LowerError::unsupported(
            format!("SQL expression `{}`", n.name),
            loc,
        )),
    }
}

fn modifier(e: Expr, name: &str) -> Expr {
    let m = match name {
        "desc" => Modifier::Desc,
        "asc" => Modifier::Asc,
        "nulls_first" | "nullsfirst" => Modifier::NullsFirst,
        _ => Modifier::NullsLast,
    };
    Expr::Modifier(Box::new(e.self_group(Against::Modifier)), m)
}

pub(crate) fn clause(op: BoolOp, mut items: Vec<Expr>) -> Expr {
    if items.len() == 1 {
        // `_process_clauses_for_boolean`: one criterion is grouped against
        // `_asbool`, not against the list's operator.
        return items.remove(0).self_group(Against::AsBool);
    }
    let against = Against::Op(match op {
        BoolOp::And => BinOp::And,
        BoolOp::Or => BinOp::Or,
    });
    let mut flat = Vec::new();
    for i in items {
        match i {
            // `and_(and_(a, b), c)` flattens, as SQLAlchemy's
            // `BooleanClauseList` does.
            Expr::Clause(o, inner) if o == op => flat.extend(inner),
            other => flat.push(other.self_group(against)),
        }
    }
    if flat.len() == 1 {
        return flat.remove(0);
    }
    Expr::Clause(op, flat)
}

fn negate(e: Expr) -> Expr {
    match e {
        Expr::Binary(l, op, r) if op.negate().is_some() => {
            Expr::Binary(l, op.negate().unwrap_or(op), r)
        }
        Expr::In {
            expr,
            values,
            negate,
        } => Expr::In {
            expr,
            values,
            negate: !negate,
        },
        other => Expr::Unary(UnaryOp::Not, Box::new(other.self_group(Against::Not))),
    }
}

/// `left <op> right`, the Python side coerced to the expression's type.
pub(crate) fn binary(left: Expr, op: BinOp, right: Expr) -> Expr {
    let (left, right) = coerce_pair(left, right);
    // `x == None` is `x IS NULL`.
    let op = match (&right, op) {
        (Expr::Null, BinOp::Eq) => BinOp::Is,
        (Expr::Null, BinOp::Ne) => BinOp::IsNot,
        _ => op,
    };
    // String `+` is concatenation.
    let op = match (op, left.ty()) {
        (BinOp::Add, SqlType::String { .. } | SqlType::Enum(_)) => BinOp::Concat,
        (o, _) => o,
    };
    let against = Against::Op(op);
    Expr::Binary(
        Box::new(left.self_group(against)),
        op,
        Box::new(right.self_group(against)),
    )
}

/// A bind next to a typed expression takes that expression's type.
fn coerce_pair(left: Expr, right: Expr) -> (Expr, Expr) {
    let lt = left.ty();
    let rt = right.ty();
    // The bind is named after the column it is compared to (`i_1`).
    let key_of = |e: &Expr| match e {
        Expr::Column(c) => Some(c.name.clone()),
        _ => None,
    };
    let lk = key_of(&left);
    let rk = key_of(&right);
    let retype = |e: Expr, t: &SqlType, key: Option<String>| match e {
        Expr::Bind(mut b) if !b.always_literal => {
            if !t.is_null() {
                b.ty = t.clone();
            }
            if b.key.is_none() {
                b.key = key;
            }
            Expr::Bind(b)
        }
        other => other,
    };
    match (&left, &right) {
        (Expr::Bind(_), Expr::Bind(_)) => (left, right),
        (_, Expr::Bind(_)) => {
            let r = retype(right, &lt, lk);
            (left, r)
        }
        (Expr::Bind(_), _) => (retype(left, &rt, rk), right),
        _ => (left, right),
    }
}

fn operator(name: &str, c: &Call, ctx: &LowerCtx) -> Result<Expr, LowerError> {
    let loc = &c.loc;
    let side = |i: usize| -> Result<Expr, LowerError> {
        let v = c
            .args
            .get(i)
            .ok_or_else(|| LowerError::unsupported(format!("operator.{name} arity"), loc))?;
        from_value(v, StrAs::Literal, ctx, loc)
    };
    match name {
        "invert" | "not_" => Ok(negate(side(0)?)),
        "neg" => Ok(Expr::Unary(UnaryOp::Neg, Box::new(side(0)?))),
        "and_" | "or_" => {
            let op = if name == "and_" {
                BoolOp::And
            } else {
                BoolOp::Or
            };
            Ok(clause(op, vec![side(0)?, side(1)?]))
        }
        _ => match op_of(name) {
            Some(op) => Ok(binary(side(0)?, op, side(1)?)),
            None => Err(LowerError::unsupported(
                format!("Python operator `{name}` on a SQL expression"),
                loc,
            )),
        },
    }
}

/// `expr[key]` on a JSON expression (`JSON.Comparator._setup_getitem`):
/// a list or tuple is a path. `None` when the subscripted value is not one.
fn json_index(c: &Call, ctx: &LowerCtx) -> Result<Option<Expr>, LowerError> {
    let loc = &c.loc;
    let (Some(receiver), Some(key)) = (c.args.first(), c.args.get(1)) else {
        return Ok(None);
    };
    // `t.c["name"]` is a column lookup, not an index.
    if sym::getattr(receiver).is_some_and(|(_, a)| a == "c" || a == "columns") {
        return Ok(None);
    }
    if receiver.as_call().is_none() {
        return Ok(None);
    }
    let left = match from_value(receiver, StrAs::Column, ctx, loc) {
        Ok(e) => e,
        Err(LowerError::Unknown(u)) => return Err(LowerError::Unknown(u)),
        Err(_) => return Ok(None),
    };
    if !matches!(left.ty(), SqlType::Json | SqlType::Jsonb) {
        return Ok(None);
    }
    let key = match key {
        Value::List(items) | Value::Tuple(items) => JsonKey::Path(
            items
                .iter()
                .map(|i| lit_from_value(i, loc))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        other => JsonKey::Key(lit_from_value(other, loc)?),
    };
    Ok(Some(Expr::JsonIndex(Box::new(JsonIndex {
        left,
        key,
        as_type: None,
    }))))
}

/// `t.c.name` / `t.c["name"]` on a `sa.table(...)`.
fn attribute(c: &Call, ctx: &LowerCtx) -> Result<Expr, LowerError> {
    let loc = &c.loc;
    let v = Value::Call(std::sync::Arc::new(c.clone()));
    let Some((receiver, attr)) = sym::getattr(&v) else {
        return Err(LowerError::unsupported(
            "attribute of a SQL expression",
            loc,
        ));
    };
    let table = match sym::getattr(receiver) {
        Some((t, "c" | "columns")) => t,
        _ => {
            return Err(LowerError::unsupported(
                format!("attribute `.{attr}` of an expression"),
                loc,
            ));
        }
    };
    let t = super::dml::TableClause::from_value(table, ctx, loc)?;
    t.column_expr(attr, loc)
}

fn from_method(
    receiver: &Value,
    method: &str,
    c: &Call,
    ctx: &LowerCtx,
) -> Result<Expr, LowerError> {
    let loc = &c.loc;
    if method == "bindparams" || method == "params" {
        let Expr::Text(mut t) = from_value(receiver, StrAs::Text, ctx, loc)? else {
            return Err(LowerError::unsupported(
                format!(".{method}() on a non-text clause"),
                loc,
            ));
        };
        let mut values: Vec<(String, &Value)> = Vec::new();
        if method == "params" {
            // `params({...}, k=v)`: dicts of values, then keywords.
            for a in &c.args {
                let Value::Dict(items) = a else {
                    return Err(LowerError::unsupported(".params() of a non-dict", loc));
                };
                for (k, v) in items {
                    let Some(k) = k.as_str() else {
                        return Err(LowerError::unsupported(".params() key", loc));
                    };
                    values.push((k.to_owned(), v));
                }
            }
        }
        values.extend(c.kwargs.iter().map(|(k, v)| (k.clone(), v)));
        for (k, v) in values {
            let lit = if ctx.data_values.get() && python_value_unknown(v) {
                Lit::Param
            } else {
                lit_from_value(v, loc)?
            };
            if method == "params" {
                t.untyped.push(k.clone());
            }
            t.binds.retain(|(x, _)| *x != k);
            t.binds.push((k, lit));
        }
        if method == "bindparams" && !c.args.is_empty() {
            return Err(LowerError::unsupported(
                ".bindparams() with bindparam() objects",
                loc,
            ));
        }
        return Ok(Expr::Text(t));
    }
    if method == "__call__"
        && let Some(op_call) = receiver.as_call()
        && let Some((operand, op_method @ ("op" | "bool_op"))) = sym::method(op_call)
    {
        return custom_op(operand, op_method, op_call, c, ctx);
    }
    let recv = from_value(receiver, StrAs::Column, ctx, loc)?;
    let arg = |i: usize| -> Result<Expr, LowerError> {
        let v = c
            .args
            .get(i)
            .ok_or_else(|| LowerError::unsupported(format!(".{method}() arity"), loc))?;
        from_value(v, StrAs::Literal, ctx, loc)
    };
    match method {
        "desc" | "asc" | "nulls_first" | "nulls_last" | "nullsfirst" | "nullslast" => {
            Ok(modifier(recv, method))
        }
        "is_" => Ok(binary(recv, BinOp::Is, arg(0)?)),
        "is_not" | "isnot" => Ok(binary(recv, BinOp::IsNot, arg(0)?)),
        "like" => Ok(binary(recv, BinOp::Like, arg(0)?)),
        "ilike" => Ok(binary(recv, BinOp::ILike, arg(0)?)),
        "not_like" | "notlike" => Ok(binary(recv, BinOp::NotLike, arg(0)?)),
        "not_ilike" | "notilike" => Ok(binary(recv, BinOp::NotILike, arg(0)?)),
        "concat" => Ok(binary(recv, BinOp::Concat, arg(0)?)),
        "in_" | "not_in" | "notin_" => {
            let ty = recv.ty();
            let param;
            let items = match c.args.first() {
                Some(Value::List(v) | Value::Tuple(v) | Value::Set(v)) => v,
                // An expanding parameter whose values are not known.
                Some(u @ Value::Unknown(_)) if ctx.data_values.get() => {
                    param = vec![u.clone()];
                    &param
                }
                _ => return Err(LowerError::unsupported(".in_() of a non-list", loc)),
            };
            let values = items
                .iter()
                .map(|v| {
                    let e = from_value(v, StrAs::Literal, ctx, loc)?;
                    Ok(match e {
                        Expr::Bind(mut b) if !ty.is_null() => {
                            b.ty = ty.clone();
                            Expr::Bind(b)
                        }
                        other => other,
                    })
                })
                .collect::<Result<Vec<_>, LowerError>>()?;
            Ok(Expr::In {
                expr: Box::new(recv.self_group(Against::In)),
                values,
                negate: method != "in_",
            })
        }
        "cast" => {
            let t = c
                .args
                .first()
                .ok_or_else(|| LowerError::unsupported(".cast() without a type", loc))?;
            Ok(Expr::Cast(Box::new(recv), types::from_value(t, ctx, loc)?))
        }
        "collate" => match c.args.first() {
            Some(Value::Str(s)) => Ok(Expr::Collate(Box::new(recv), s.as_str().to_string())),
            _ => Err(LowerError::unsupported(
                ".collate() with a computed collation",
                loc,
            )),
        },
        "as_string" | "as_integer" | "as_float" | "as_boolean" | "as_json" => match recv {
            Expr::JsonIndex(mut j) if j.as_type.is_none() => {
                j.as_type = Some(match method {
                    "as_string" => SqlType::String {
                        name: "VARCHAR",
                        length: None,
                        collation: None,
                    },
                    "as_integer" => SqlType::Keyword("INTEGER"),
                    "as_float" => SqlType::Keyword("FLOAT"),
                    "as_boolean" => SqlType::Boolean,
                    _ => j.left.ty(),
                });
                Ok(Expr::JsonIndex(j))
            }
            _ => Err(LowerError::would_fail(
                "sqlalchemy.exc.InvalidRequestError",
                format!(
                    "The JSON cast operator JSON.{method}() only works with a JSON index expression e.g. col['q'].{method}()"
                ),
                loc,
            )),
        },
        "label" | "self_group" => Ok(recv),
        other => Err(LowerError::unsupported(
            format!("SQL expression method .{other}()"),
            loc,
        )),
    }
}

/// `operand.op(opstring, precedence=0, is_comparison=False,
/// return_type=None)(other)`; `bool_op` is `op(..., is_comparison=True)`.
fn custom_op(
    operand: &Value,
    op_method: &str,
    op_call: &Call,
    c: &Call,
    ctx: &LowerCtx,
) -> Result<Expr, LowerError> {
    let loc = &c.loc;
    let op = match op_call.arg(0, "opstring") {
        Some(Value::Str(s)) => s.as_str().to_string(),
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        _ => {
            return Err(LowerError::unsupported(
                format!(".{op_method}() without an operator string"),
                loc,
            ));
        }
    };
    let precedence = match op_call.arg(1, "precedence") {
        None => 0,
        Some(Value::Int(p)) => i32::try_from(*p).unwrap_or(0),
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        Some(_) => {
            return Err(LowerError::unsupported(
                format!(".{op_method}() with a computed precedence"),
                loc,
            ));
        }
    };
    let comparison =
        op_method == "bool_op" || super::model::truthy(op_call.arg(2, "is_comparison"))?;
    if op_method == "op" && op_call.arg(3, "return_type").is_some_and(|v| !v.is_none()) {
        return Err(LowerError::unsupported(
            ".op(return_type=...) in a data migration",
            loc,
        ));
    }
    let [other] = c.args.as_slice() else {
        return Err(LowerError::unsupported(
            "a custom operator applied to other than one operand",
            loc,
        ));
    };
    let left = from_value(operand, StrAs::Column, ctx, loc)?;
    let right = from_value(other, StrAs::Literal, ctx, loc)?;
    let (left, right) = coerce_pair(left, right);
    let against = Against::Custom(precedence);
    Ok(Expr::Custom(Box::new(CustomOp {
        left: left.self_group(against),
        op,
        precedence,
        comparison,
        right: right.self_group(against),
    })))
}

fn text_clause(c: &Call) -> Result<Expr, LowerError> {
    match c.arg(0, "text") {
        Some(Value::Str(s)) => Ok(Expr::Text(TextClause {
            text: s.as_str().to_string(),
            binds: Vec::new(),
            untyped: Vec::new(),
            text_map: s.text_map.clone(),
        })),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        _ => Err(LowerError::unsupported("sa.text() of a non-string", &c.loc)),
    }
}

/// Compilation settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cx {
    pub mode: Mode,
    /// Render `table.column` (DML) or `column` (DDL).
    pub include_table: bool,
    pub literal_binds: bool,
    /// A statement sent to a database: its values travel as parameters,
    /// so one that has no literal rendering is no error there (migsim
    /// renders literals only to let the catalog read the values).
    pub sent_bound: bool,
}

/// Names of bind parameters rendered as placeholders, kept unique as
/// SQLAlchemy's compiler does (`i_1`, `param_1`).
#[derive(Debug, Default)]
pub(crate) struct BindNames {
    used: Vec<String>,
}

impl BindNames {
    pub fn is_used(&self, name: &str) -> bool {
        self.used.iter().any(|u| u == name)
    }

    pub fn name(&mut self, key: Option<&str>, anonymous: bool) -> String {
        let base = key.unwrap_or("param");
        if !anonymous {
            self.used.push(base.to_string());
            return base.to_string();
        }
        let mut n = 1;
        loop {
            let cand = format!("{base}_{n}");
            if !self.used.contains(&cand) {
                self.used.push(cand.clone());
                return cand;
            }
            n += 1;
        }
    }
}

/// Criteria joined by AND, as `.where(a, b)` compiles them.
pub(crate) fn compile_all_of(
    items: &[Expr],
    cx: Cx,
    names: &mut BindNames,
) -> Result<String, String> {
    compile(&clause(BoolOp::And, items.to_vec()), cx, names)
}

/// `operators._PRECEDENCE` of `json_getitem_op` / `json_path_getitem_op`.
const JSON_INDEX_PRECEDENCE: i32 = 15;

/// PostgreSQL's `visit_json_getitem_op_binary`: the arrows, `->>` under a
/// CAST when read as another type. `grouped`: an operand of an operator
/// (`eager_grouping`), which parenthesizes the arrow expression.
fn compile_json_index(
    j: &JsonIndex,
    grouped: bool,
    cx: Cx,
    names: &mut BindNames,
) -> Result<String, String> {
    // A JSONB column without a cast is subscripted (`col['k']`) by
    // SQLAlchemy, but a `JSON().with_variant(JSONB(), "postgresql")`
    // column, which migsim also types JSONB, gets arrows: which one it was
    // is not kept, so this is not guessed.
    if j.as_type.is_none() && matches!(j.left.ty(), SqlType::Jsonb) {
        return Err("unsupported: an index on a JSONB expression without a cast".into());
    }
    let cast = j.as_type.is_some();
    // The JSON operators have SQLAlchemy's highest precedence (15): any
    // operator expression on their left is grouped.
    let left = compile(
        &j.left
            .clone()
            .self_group(Against::Custom(JSON_INDEX_PRECEDENCE)),
        cx,
        names,
    )?;
    let (op, key) = match &j.key {
        JsonKey::Key(k) => (if cast { "->>" } else { "->" }, k.clone()),
        JsonKey::Path(items) => {
            // `JSONPathType`'s literal form: `{a, b}`.
            let parts = items
                .iter()
                .map(|l| match l {
                    Lit::Str(s) => Ok(s.clone()),
                    Lit::Int(i) => Ok(i.to_string()),
                    _ => Err(
                        "unsupported: a JSON path of other than strings and integers".to_string(),
                    ),
                })
                .collect::<Result<Vec<_>, _>>()?;
            (
                if cast { "#>>" } else { "#>" },
                Lit::Str(format!("{{{}}}", parts.join(", "))),
            )
        }
    };
    let key = compile_bind(
        &Bind {
            ty: type_of_lit(&key),
            value: key,
            key: None,
            always_literal: false,
        },
        cx,
        names,
        true,
    )?;
    let arrow = if grouped {
        format!("({left} {op} {key})")
    } else {
        format!("{left} {op} {key}")
    };
    Ok(match &j.as_type {
        Some(t) => format!("CAST({arrow} AS {})", types::compile(t, cx.mode)?),
        None => arrow,
    })
}

/// An operand of an operator: JSON arrows are grouped there.
fn compile_operand(e: &Expr, cx: Cx, names: &mut BindNames) -> Result<String, String> {
    match e {
        Expr::JsonIndex(j) => compile_json_index(j, true, cx, names),
        other => compile(other, cx, names),
    }
}

/// Compiles an expression. Errors are `CompileError` messages.
pub(crate) fn compile(e: &Expr, cx: Cx, names: &mut BindNames) -> Result<String, String> {
    Ok(match e {
        Expr::Text(t) => compile_text(t, cx, names)?,
        Expr::Raw(s) => quote::escape_percent(s, cx.mode),
        Expr::Column(c) => {
            let col = quote::quote(&c.name, cx.mode);
            match (&c.table, cx.include_table) {
                (Some((t, schema)), true) => {
                    format!("{}.{col}", quote::table(t, schema.as_deref(), cx.mode))
                }
                _ => col,
            }
        }
        Expr::Bind(b) => compile_bind(b, cx, names, true)?,
        Expr::Null => "NULL".into(),
        Expr::True => "true".into(),
        Expr::False => "false".into(),
        Expr::Func { name, args } => compile_func(name, args, cx, names)?,
        Expr::Cast(inner, t) => format!(
            "CAST({} AS {})",
            compile(inner, cx, names)?,
            types::compile(t, cx.mode)?
        ),
        Expr::JsonIndex(j) => compile_json_index(j, false, cx, names)?,
        Expr::Binary(l, op, r) => {
            let ls = compile_operand(l, cx, names)?;
            let rs = compile_operand(r, cx, names)?;
            let sym = if *op == BinOp::Mod && cx.mode.offline {
                "%%"
            } else {
                op.sql()
            };
            format!("{ls} {sym} {rs}")
        }
        Expr::Custom(c) => {
            let ls = compile(&c.left, cx, names)?;
            let rs = compile(&c.right, cx, names)?;
            format!("{ls} {} {rs}", quote::escape_percent(&c.op, cx.mode))
        }
        Expr::Unary(op, inner) => {
            let s = compile(inner, cx, names)?;
            match op {
                UnaryOp::Not => format!("NOT {s}"),
                UnaryOp::Neg => format!("-{s}"),
            }
        }
        Expr::Modifier(inner, m) => {
            let s = compile(inner, cx, names)?;
            let word = match m {
                Modifier::Asc => "ASC",
                Modifier::Desc => "DESC",
                Modifier::NullsFirst => "NULLS FIRST",
                Modifier::NullsLast => "NULLS LAST",
            };
            format!("{s} {word}")
        }
        Expr::Clause(op, items) => {
            let sep = match op {
                BoolOp::And => " AND ",
                BoolOp::Or => " OR ",
            };
            items
                .iter()
                .map(|i| compile(i, cx, names))
                .collect::<Result<Vec<_>, _>>()?
                .join(sep)
        }
        Expr::In {
            expr,
            values,
            negate,
        } => {
            let left = compile(expr, cx, names)?;
            // Without literal binds the list is one "expanding" parameter
            // that the driver fills in at execution.
            if cx.mode.offline
                && !cx.literal_binds
                && !values.is_empty()
                && values
                    .iter()
                    .all(|v| matches!(v, Expr::Bind(b) if !b.always_literal))
            {
                let key = match &**expr {
                    Expr::Column(c) => Some(c.name.as_str()),
                    _ => None,
                };
                return Ok(format!(
                    "{left} {}IN (__[POSTCOMPILE_{}])",
                    if *negate { "NOT " } else { "" },
                    names.name(key, true)
                ));
            }
            let items = values
                .iter()
                .map(|v| match v {
                    Expr::Bind(b) => compile_bind(
                        b,
                        Cx {
                            literal_binds: true,
                            ..cx
                        },
                        names,
                        true,
                    ),
                    other => compile(other, cx, names),
                })
                .collect::<Result<Vec<_>, _>>()?;
            format!(
                "{left} {}IN ({})",
                if *negate { "NOT " } else { "" },
                items.join(", ")
            )
        }
        Expr::Collate(inner, coll) => format!(
            "{} COLLATE {}",
            compile(inner, cx, names)?,
            quote::quote(coll, cx.mode)
        ),
        Expr::Grouping(inner) => format!("({})", compile(inner, cx, names)?),
    })
}

/// Functions SQLAlchemy renders without parentheses (`functions.AnsiFunction`).
fn ansi_function(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "current_date" => "CURRENT_DATE",
        "current_time" => "CURRENT_TIME",
        "current_timestamp" => "CURRENT_TIMESTAMP",
        "current_user" => "CURRENT_USER",
        "localtime" => "LOCALTIME",
        "localtimestamp" => "LOCALTIMESTAMP",
        "session_user" => "SESSION_USER",
        "sysdate" => "SYSDATE",
        "user" => "USER",
        _ => return None,
    })
}

/// Functions registered in SQLAlchemy's `_registry` render under their
/// registered (lowercase) name whatever case the caller used.
fn registered_function(name: &str) -> Option<&'static str> {
    const REGISTERED: &[&str] = &[
        "coalesce",
        "max",
        "min",
        "sum",
        "now",
        "concat",
        "char_length",
        "random",
        "count",
        "array_agg",
        "mode",
        "percentile_cont",
        "percentile_disc",
        "rank",
        "dense_rank",
        "percent_rank",
        "cume_dist",
        "cube",
        "rollup",
        "grouping_sets",
        "aggregate_strings",
        "next_value",
        "to_tsvector",
        "to_tsquery",
        "plainto_tsquery",
        "phraseto_tsquery",
        "websearch_to_tsquery",
        "ts_headline",
        "hstore",
        "akeys",
        "avals",
        "defined",
        "delete",
        "slice",
        "hstore_to_array",
        "hstore_to_matrix",
    ];
    let lower = name.to_ascii_lowercase();
    REGISTERED.iter().find(|r| **r == lower).copied()
}

fn compile_func(
    name: &str,
    args: &[Expr],
    cx: Cx,
    names: &mut BindNames,
) -> Result<String, String> {
    let (packages, fname) = match name.rsplit_once('.') {
        Some((p, f)) => (Some(p), f),
        None => (None, name),
    };
    if packages.is_none()
        && args.is_empty()
        && let Some(a) = ansi_function(fname)
    {
        return Ok(a.to_string());
    }
    if packages.is_none() && fname.eq_ignore_ascii_case("count") && args.is_empty() {
        return Ok("count(*)".into());
    }
    let shown = match (packages, registered_function(fname)) {
        (None, Some(r)) => r.to_string(),
        _ => {
            if quote::requires_quotes_illegal_chars(fname) {
                quote::quote_identifier(fname, cx.mode)
            } else {
                fname.to_string()
            }
        }
    };
    let mut full = String::new();
    if let Some(p) = packages {
        for part in p.split('.') {
            if quote::requires_quotes_illegal_chars(part) {
                full.push_str(&quote::quote_identifier(part, cx.mode));
            } else {
                full.push_str(part);
            }
            full.push('.');
        }
    }
    full.push_str(&shown);
    let rendered = args
        .iter()
        .map(|a| compile(a, cx, names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("{full}({})", rendered.join(", ")))
}

fn compile_bind(
    b: &Bind,
    cx: Cx,
    names: &mut BindNames,
    anonymous: bool,
) -> Result<String, String> {
    if cx.literal_binds || b.always_literal {
        return match render_literal(&b.value, &b.ty, cx.mode) {
            Err(_) if cx.sent_bound => Ok("$1".into()),
            r => r,
        };
    }
    let name = names.name(b.key.as_deref(), anonymous);
    Ok(if cx.mode.offline {
        format!("%({name})s")
    } else {
        render_literal(&b.value, &b.ty, cx.mode)?
    })
}

/// `TextClause` compilation: `:name` parameters, `\:` escapes and, offline,
/// `%` doubling.
fn compile_text(t: &TextClause, cx: Cx, names: &mut BindNames) -> Result<String, String> {
    let mut out = String::with_capacity(t.text.len());
    let chars: Vec<char> = t.text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '\\'
            && let Some(end) = escaped_colon_at(&chars, i)
        {
            out.extend(&chars[i + 1..end]);
            i = end;
            continue;
        }
        if ch == ':'
            && let Some(end) = bind_param_at(&chars, i)
        {
            let key: String = chars[i + 1..end].iter().collect();
            let value = t
                .binds
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(Lit::None);
            let bind = Bind {
                ty: if t.untyped.contains(&key) {
                    SqlType::Null
                } else {
                    type_of_lit(&value)
                },
                value,
                key: Some(key),
                always_literal: false,
            };
            out.push_str(&compile_bind(&bind, cx, names, false)?);
            i = end;
            continue;
        }
        if ch == '%' && cx.mode.offline {
            out.push_str("%%");
        } else {
            out.push(ch);
        }
        i += 1;
    }
    Ok(out)
}

/// `TextClause._bind_params_regex`, `(?<![:\w\\]):(\w+)(?![:\w])`, at
/// `chars[i] == ':'`: the end of the parameter name (`:ab::int` is none).
fn bind_param_at(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 {
        let p = chars[i - 1];
        if p == ':' || p == '\\' || is_word(p) {
            return None;
        }
    }
    let mut j = i + 1;
    while j < chars.len() && is_word(chars[j]) {
        j += 1;
    }
    if j == i + 1 {
        return None;
    }
    (chars.get(j) != Some(&':')).then_some(j)
}

/// `BIND_PARAMS_ESC`, `\\(:\w*)(?![:\w])`, at `chars[i] == '\\'`: where
/// the escaped `:name` ends, if this backslash escapes one.
fn escaped_colon_at(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i + 1) != Some(&':') {
        return None;
    }
    let mut j = i + 2;
    while j < chars.len() && is_word(chars[j]) {
        j += 1;
    }
    (chars.get(j) != Some(&':')).then_some(j)
}

/// Parameters of a text clause that `.bindparams()` did not give a value:
/// online, SQLAlchemy refuses to execute the statement.
pub(crate) fn unbound_params(t: &TextClause) -> Vec<String> {
    let chars: Vec<char> = t.text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\'
            && let Some(end) = escaped_colon_at(&chars, i)
        {
            i = end;
            continue;
        }
        if chars[i] == ':'
            && let Some(end) = bind_param_at(&chars, i)
        {
            let key: String = chars[i + 1..end].iter().collect();
            if !t.binds.iter().any(|(k, _)| *k == key) {
                out.push(key);
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `render_literal_value(value, type_)` for the PostgreSQL dialect.
pub(crate) fn render_literal(v: &Lit, ty: &SqlType, mode: Mode) -> Result<String, String> {
    if *v == Lit::None && !matches!(ty, SqlType::Json | SqlType::Jsonb) {
        return Ok("NULL".into());
    }
    if *v == Lit::Param && !mode.offline {
        return Ok("$1".into());
    }
    let cannot = || {
        format!(
            "Could not render literal value \"{}\" with datatype {}; see parent stack trace for more detail.",
            py_repr(v),
            ty.describe()
        )
    };
    match ty {
        SqlType::Null | SqlType::Json | SqlType::Jsonb | SqlType::Raw(_) | SqlType::Keyword(_) => {
            Err(format!(
                "No literal value renderer is available for literal value \"{}\" with datatype {}",
                py_repr(v),
                ty.describe()
            ))
        }
        SqlType::Integer | SqlType::BigInteger | SqlType::SmallInteger => match v {
            Lit::Int(i) => Ok(i.to_string()),
            Lit::Bool(b) => Ok((*b as i64).to_string()),
            Lit::Float(f) if f.is_finite() => Ok((f.trunc() as i64).to_string()),
            Lit::Str(s) => s
                .trim()
                .parse::<i64>()
                .map(|i| i.to_string())
                .map_err(|_| cannot()),
            _ => Err(cannot()),
        },
        SqlType::Numeric { .. } | SqlType::Float { .. } => match v {
            Lit::Int(i) => Ok(i.to_string()),
            Lit::Float(f) => Ok(py_float_repr(*f)),
            Lit::Decimal(d) => Ok(d.clone()),
            Lit::Bool(b) => Ok(if *b { "True" } else { "False" }.into()),
            Lit::Str(s) if s.trim().parse::<f64>().is_ok() => Ok(s.clone()),
            _ => Err(cannot()),
        },
        SqlType::Boolean => match v {
            Lit::Bool(true) | Lit::Int(1) => Ok("true".into()),
            Lit::Bool(false) | Lit::Int(0) => Ok("false".into()),
            _ => Err(cannot()),
        },
        SqlType::String { .. } | SqlType::Uuid { .. } => match v {
            Lit::Str(s) => Ok(quote::string_literal(s, mode)),
            _ => Err(cannot()),
        },
        // Enum values are not checked when rendered as literals.
        SqlType::Enum(_) => match v {
            Lit::Str(s) => Ok(quote::string_literal(s, mode)),
            _ => Err(cannot()),
        },
        SqlType::Timestamp { .. } | SqlType::Datetime => match v {
            Lit::DateTime(s) => Ok(quote::string_literal(s, mode)),
            _ => Err(cannot()),
        },
        SqlType::Date => match v {
            Lit::Date(s) => Ok(quote::string_literal(s, mode)),
            Lit::DateTime(s) => Ok(quote::string_literal(s, mode)),
            _ => Err(cannot()),
        },
        SqlType::Time { .. } => match v {
            Lit::Time(s) => Ok(quote::string_literal(s, mode)),
            _ => Err(cannot()),
        },
        SqlType::Array { item, .. } => match v {
            Lit::List(items) => {
                let parts = items
                    .iter()
                    .map(|i| render_literal(i, item, mode))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(format!("ARRAY[{}]", parts.join(", ")))
            }
            _ => Err(cannot()),
        },
        _ => Err(format!(
            "No literal value renderer is available for literal value \"{}\" with datatype {}",
            py_repr(v),
            ty.describe()
        )),
    }
}

/// Python's `repr()` of a literal (`sql_util._repr_single_value`), for
/// error messages.
fn py_repr(v: &Lit) -> String {
    match v {
        Lit::None => "None".into(),
        Lit::Bool(b) => if *b { "True" } else { "False" }.into(),
        Lit::Int(i) => i.to_string(),
        Lit::Float(f) => py_float_repr(*f),
        Lit::Str(s) => py_str_repr(s),
        Lit::DateTime(s) | Lit::Date(s) | Lit::Time(s) => s.clone(),
        Lit::Decimal(s) => format!("Decimal('{s}')"),
        Lit::Param => "<a value not known statically>".into(),
        Lit::List(items) => format!(
            "[{}]",
            items.iter().map(py_repr).collect::<Vec<_>>().join(", ")
        ),
        Lit::Dict(items) => format!(
            "{{{}}}",
            items
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr(str)`.
pub(crate) fn py_str_repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Python's `repr(float)`: shortest round-trip digits, scientific notation
/// below 1e-4 and from 1e16.
pub(crate) fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.5e-7".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if !(-4..16).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let s = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    format!("{sign}{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(py_float_repr(1.5), "1.5");
        assert_eq!(py_float_repr(2.0), "2.0");
        assert_eq!(py_float_repr(1e-7), "1e-07");
        assert_eq!(py_float_repr(0.0001), "0.0001");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(123456789.125), "123456789.125");
        assert_eq!(py_float_repr(-0.5), "-0.5");
        assert_eq!(py_float_repr(0.1), "0.1");
    }

    #[test]
    fn text_binds_and_escapes() {
        let t = TextClause {
            text: "select :x, 1::int, '\\:y', 50%".into(),
            binds: vec![("x".into(), Lit::Int(5))],
            untyped: Vec::new(),
            text_map: None,
        };
        let cx = Cx {
            mode: Mode::OFFLINE,
            include_table: false,
            literal_binds: true,
            sent_bound: false,
        };
        assert_eq!(
            compile_text(&t, cx, &mut BindNames::default()).expect("compiles"),
            "select 5, 1::int, ':y', 50%%"
        );
    }
}
