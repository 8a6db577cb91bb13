//! SQLAlchemy's schema objects (`Table`, `Column`, constraints, `Index`) as
//! an operation builds them, read from the evaluated arguments.
//!
//! The assembly of a table follows `sql/schema.py`: columns attach in order
//! (the implicit primary key, `unique=` / `index=` flags, type-bound CHECK
//! constraints and foreign keys are made then), explicit constraints follow,
//! and every object is named by the naming convention as it attaches.

use super::args::{self, Sig};
use super::expr::{self, Expr, StrAs};
use super::naming::{self, Kind, NameCol, NamingConvention, Subject};
use super::quote::ObjName;
use super::sym::{self, Lib};
use super::types::{self, SqlType};
use super::{LowerCtx, LowerError};
use crate::python::value::{Call, Value};
use crate::source::Loc;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Autoincrement {
    Auto,
    True,
    False,
    IgnoreFk,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ServerDefault {
    /// A string: rendered as a string literal.
    Str(String),
    Expr(Expr),
    /// `FetchedValue()`: the database makes the value, no DDL.
    Fetched,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Computed {
    pub sqltext: Expr,
    pub persisted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Identity {
    pub always: bool,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub minvalue: Option<i64>,
    pub maxvalue: Option<i64>,
    pub nominvalue: Option<bool>,
    pub nomaxvalue: Option<bool>,
    pub cycle: Option<bool>,
    pub cache: Option<i64>,
}

/// `sa.ForeignKey("table.column", ...)` before it becomes a constraint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ForeignKeySpec {
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_column: String,
    pub opts: FkOptions,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FkOptions {
    pub name: Option<ObjName>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
    pub match_: Option<String>,
    pub use_alter: bool,
    pub not_valid: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub name: String,
    pub key: String,
    pub ty: SqlType,
    pub nullable: bool,
    /// `nullable=` as the caller gave it.
    pub user_nullable: Option<bool>,
    pub primary_key: bool,
    pub autoincrement: Autoincrement,
    /// A Python-side `default=` (not DDL, but it disables SERIAL).
    pub has_default: bool,
    /// `default=Sequence(..., optional=True)`.
    pub default_is_optional_sequence: bool,
    pub server_default: Option<ServerDefault>,
    pub computed: Option<Computed>,
    pub identity: Option<Identity>,
    pub unique: Option<bool>,
    pub index: Option<bool>,
    pub comment: Option<String>,
    pub foreign_keys: Vec<ForeignKeySpec>,
    /// `sa.Column(..., sa.CheckConstraint(...))`: rendered inline.
    pub checks: Vec<Constraint>,
    pub system: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstraintKind {
    PrimaryKey {
        columns: Vec<String>,
        /// Made from `primary_key=True` flags, not given explicitly.
        implicit: bool,
    },
    Unique {
        columns: Vec<String>,
        nulls_not_distinct: Option<bool>,
    },
    Check {
        sqltext: Expr,
        /// Made by an Enum type (`create_constraint=True`).
        type_bound: bool,
    },
    ForeignKey {
        columns: Vec<String>,
        ref_schema: Option<String>,
        ref_table: String,
        ref_columns: Vec<String>,
        opts: FkOptions,
    },
    Exclude {
        /// `(expression, operator)`.
        elements: Vec<(Expr, String)>,
        using: String,
        where_: Option<Expr>,
        ops: Vec<(String, String)>,
    },
    /// `sa.Constraint` (a `drop_constraint` without `type_`).
    Generic,
}

/// A constraint's name: given, from a convention, or (type-bound checks)
/// left to the convention at compile time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CName {
    None,
    Given(ObjName),
    /// `_NONE_NAME`: a type-bound CHECK without a name; the convention is
    /// consulted when the DDL is compiled.
    Deferred,
}

impl CName {
    pub fn given(&self) -> Option<&ObjName> {
        match self {
            CName::Given(n) => Some(n),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Constraint {
    pub name: CName,
    pub kind: ConstraintKind,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
    /// `postgresql_include`.
    pub include: Vec<String>,
    /// `postgresql_not_valid`.
    pub not_valid: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct IndexOptions {
    pub using: Option<String>,
    pub where_: Option<Expr>,
    /// `postgresql_ops`: expression key to operator class.
    pub ops: Vec<(String, String)>,
    pub include: Vec<String>,
    pub concurrently: bool,
    /// `postgresql_with`: storage parameters, values already rendered.
    pub with: Vec<(String, String)>,
    pub tablespace: Option<String>,
    pub nulls_not_distinct: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexExpr {
    pub expr: Expr,
    /// `expr.key` (for `postgresql_ops`): a column's name or a text's text.
    pub key: Option<String>,
    /// Column-like for the naming convention.
    pub column: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Index {
    pub name: Option<ObjName>,
    pub table: String,
    pub schema: Option<String>,
    pub expressions: Vec<IndexExpr>,
    pub unique: bool,
    pub opts: IndexOptions,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct TableOptions {
    pub inherits: Vec<String>,
    pub partition_by: Option<String>,
    pub using: Option<String>,
    pub with_oids: Option<bool>,
    pub on_commit: Option<String>,
    pub tablespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub name: String,
    pub schema: Option<String>,
    pub columns: Vec<Column>,
    pub primary_key: Constraint,
    /// Other constraints in creation order.
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    pub prefixes: Vec<String>,
    pub opts: TableOptions,
    /// The metadata's convention, for names computed at compile time.
    pub naming: NamingConvention,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.key == name || c.name == name)
    }

    pub fn pk_columns(&self) -> &[String] {
        match &self.primary_key.kind {
            ConstraintKind::PrimaryKey { columns, .. } => columns,
            _ => &[],
        }
    }

    /// `PrimaryKeyConstraint._autoincrement_column`.
    pub fn autoincrement_column(&self) -> Result<Option<&Column>, String> {
        let pk: Vec<&Column> = self
            .pk_columns()
            .iter()
            .filter_map(|n| self.column(n))
            .collect();
        let validate = |c: &Column, autoinc_true: bool| -> Result<bool, String> {
            if !c.ty.autoincrement_affinity() {
                if autoinc_true {
                    return Err(format!(
                        "Column type {} on column '{}.{}' is not compatible with autoincrement=True",
                        c.ty.describe(),
                        self.name,
                        c.name
                    ));
                }
                return Ok(false);
            }
            if c.has_default && !c.default_is_optional_sequence_or_seq() && !autoinc_true {
                return Ok(false);
            }
            // `Computed` is a server default in SQLAlchemy; `Identity` is
            // the one server default that keeps autoincrement.
            if (c.server_default.is_some() || c.computed.is_some()) && !autoinc_true {
                return Ok(false);
            }
            // A table-level ForeignKeyConstraint adds its ForeignKey to the
            // column's `foreign_keys` too.
            let in_table_fk = self.constraints.iter().any(|k| {
                matches!(&k.kind, ConstraintKind::ForeignKey { columns, .. } if columns.iter().any(|n| *n == c.key || *n == c.name))
            });
            if (!c.foreign_keys.is_empty() || in_table_fk)
                && !matches!(
                    c.autoincrement,
                    Autoincrement::True | Autoincrement::IgnoreFk
                )
            {
                return Ok(false);
            }
            Ok(true)
        };
        if pk.len() == 1 {
            let c = pk[0];
            return match c.autoincrement {
                Autoincrement::True => {
                    validate(c, true)?;
                    Ok(Some(c))
                }
                Autoincrement::Auto | Autoincrement::IgnoreFk => {
                    Ok(validate(c, false)?.then_some(c))
                }
                Autoincrement::False => Ok(None),
            };
        }
        let mut found: Option<&Column> = None;
        for c in pk {
            if c.autoincrement == Autoincrement::True {
                validate(c, true)?;
                if let Some(prev) = found {
                    return Err(format!(
                        "Only one Column may be marked autoincrement=True, found both {} and {}.",
                        c.name, prev.name
                    ));
                }
                found = Some(c);
            }
        }
        Ok(found)
    }
}

impl Column {
    fn default_is_optional_sequence_or_seq(&self) -> bool {
        self.default_is_optional_sequence
    }

    pub fn bare(name: &str, ty: SqlType) -> Column {
        Column {
            name: name.to_string(),
            key: name.to_string(),
            ty,
            nullable: true,
            user_nullable: None,
            primary_key: false,
            autoincrement: Autoincrement::Auto,
            has_default: false,
            default_is_optional_sequence: false,
            server_default: None,
            computed: None,
            identity: None,
            unique: None,
            index: None,
            comment: None,
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            system: false,
        }
    }
}

/// Reads values with the operation's context for errors.
pub(crate) struct Reader<'a> {
    pub ctx: &'a LowerCtx<'a>,
}

/// The first unknown value that would reach the DDL. A `Column`'s
/// Python-side `default=` (and `onupdate=`, `info=`, `doc=`) never does: only
/// whether a default is there matters, and the lowering reads just that.
pub(crate) fn unknown(v: &Value) -> Option<LowerError> {
    ddl_unknown(v, 0).map(|u| LowerError::Unknown(u.clone()))
}

const PYTHON_SIDE_COLUMN_KWARGS: &[&str] =
    &["default", "insert_default", "onupdate", "info", "doc"];

fn ddl_unknown(v: &Value, depth: u32) -> Option<&crate::python::value::Unknown> {
    if depth > 200 {
        return v.find_unknown();
    }
    match v {
        Value::Unknown(u) => Some(u),
        Value::List(v) | Value::Tuple(v) | Value::Set(v) => {
            v.iter().find_map(|x| ddl_unknown(x, depth + 1))
        }
        Value::Dict(kv) => kv
            .iter()
            .find_map(|(k, v)| ddl_unknown(k, depth + 1).or_else(|| ddl_unknown(v, depth + 1))),
        Value::Call(c) => {
            let is_column = sym::of_call(c)
                .is_some_and(|n| n.lib == Lib::Sa && matches!(n.name, "Column" | "mapped_column"));
            c.args
                .iter()
                .find_map(|x| ddl_unknown(x, depth + 1))
                .or_else(|| {
                    c.kwargs
                        .iter()
                        .filter(|(k, _)| {
                            !(is_column && PYTHON_SIDE_COLUMN_KWARGS.contains(&k.as_str()))
                        })
                        .find_map(|(_, v)| ddl_unknown(v, depth + 1))
                })
                .or_else(|| match &c.callee {
                    crate::python::value::Callee::Method { receiver, .. } => {
                        ddl_unknown(receiver, depth + 1)
                    }
                    crate::python::value::Callee::Symbol(_) => None,
                })
        }
        _ => None,
    }
}

pub(crate) fn type_error(msg: impl Into<String>, loc: &Loc) -> LowerError {
    LowerError::would_fail("TypeError", msg, loc)
}

pub(crate) fn arg_error(msg: impl Into<String>, loc: &Loc) -> LowerError {
    LowerError::would_fail("sqlalchemy.exc.ArgumentError", msg, loc)
}

/// A string argument (a name): `None` when absent or `None`.
pub(crate) fn opt_string(
    v: Option<&Value>,
    what: &str,
    loc: &Loc,
) -> Result<Option<String>, LowerError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(LowerError::unsupported(
            format!("`{what}` that is not a string"),
            loc,
        )),
    }
}

/// A constraint or index name, keeping `op.f()`'s `conv` mark.
pub(crate) fn opt_name(v: Option<&Value>, loc: &Loc) -> Result<Option<ObjName>, LowerError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(ObjName {
            text: s.as_str().to_string(),
            conv: s.conv,
        })),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(Value::Call(c)) => {
            // `sa.sql.elements.conv("name")` / `quoted_name(...)`.
            match sym::of_call(c) {
                Some(n) if n.lib == Lib::Sa && n.name == "conv" => match c.args.first() {
                    Some(Value::Str(s)) => Ok(Some(ObjName::conv(s.as_str()))),
                    _ => Err(LowerError::unsupported("conv() of a non-string", loc)),
                },
                _ => Err(LowerError::unsupported("a name that is not a string", loc)),
            }
        }
        Some(_) => Err(LowerError::unsupported("a name that is not a string", loc)),
    }
}

pub(crate) fn opt_bool(v: Option<&Value>) -> Result<Option<bool>, LowerError> {
    Ok(match v {
        None | Some(Value::None) => None,
        // A flag migsim cannot know shapes the DDL (`CONCURRENTLY`, `IF NOT
        // EXISTS`, `UNIQUE`): the operation is opaque, never guessed.
        Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
        // What a library call returned (`os.environ.get(...).lower() ==
        // "true"`) is as unknown; SQLAlchemy refuses the truth of a clause.
        Some(v @ Value::Call(c)) => {
            return Err(LowerError::Unknown(crate::python::value::Unknown {
                reason: crate::python::eval::describe_unknown(v),
                loc: c.loc.clone(),
                alternatives: Vec::new(),
            }));
        }
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Int(i)) => Some(*i != 0),
        Some(Value::Float(f)) => Some(*f != 0.0),
        Some(Value::Str(s)) => Some(!s.as_str().is_empty()),
        Some(Value::List(items) | Value::Tuple(items)) => Some(!items.is_empty()),
        Some(Value::Dict(items)) => Some(!items.is_empty()),
        Some(_) => Some(true),
    })
}

/// Python truthiness of an argument given as a keyword flag.
pub(crate) fn truthy(v: Option<&Value>) -> Result<bool, LowerError> {
    Ok(opt_bool(v)?.unwrap_or(false))
}

/// A list of column names (`["a", "b"]`, or a single string where
/// SQLAlchemy iterates it — which it does character by character).
pub(crate) fn name_list(v: &Value, what: &str, loc: &Loc) -> Result<Vec<String>, LowerError> {
    match v {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .map(|i| match i {
                Value::Str(s) => Ok(s.as_str().to_string()),
                Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
                _ => Err(LowerError::unsupported(
                    format!("{what} given as objects rather than names"),
                    loc,
                )),
            })
            .collect(),
        // A bare string is iterated: `"ab"` is the columns `a` and `b`.
        Value::Str(s) => Ok(s.as_str().chars().map(|c| c.to_string()).collect()),
        Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
        _ => Err(LowerError::unsupported(
            format!("{what} that is not a list of names"),
            loc,
        )),
    }
}

fn int_opt(v: Option<&Value>, loc: &Loc) -> Result<Option<i64>, LowerError> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(LowerError::unsupported("a non-integer option", loc)),
    }
}

/// What a positional argument of `Column(...)` / `create_table(...)` is.
pub(crate) enum Item {
    Column(Box<Column>),
    Constraint(Constraint),
    Index(Index),
    ForeignKey(ForeignKeySpec),
    Computed(Computed),
    Identity(Identity),
    /// `Sequence(...)` as a column default.
    Sequence {
        optional: bool,
    },
    /// `DefaultClause(...)` / `FetchedValue()`.
    ServerDefault(ServerDefault),
}

impl<'a> Reader<'a> {
    pub fn new(ctx: &'a LowerCtx<'a>) -> Self {
        Reader { ctx }
    }

    pub fn ty(&self, v: &Value, loc: &Loc) -> Result<SqlType, LowerError> {
        types::from_value(v, self.ctx, loc)
    }

    pub fn expr(&self, v: &Value, str_as: StrAs, loc: &Loc) -> Result<Expr, LowerError> {
        expr::from_value(v, str_as, self.ctx, loc)
    }

    /// Classifies a schema item value.
    pub fn item(&self, v: &Value, loc: &Loc) -> Result<Item, LowerError> {
        let c = match v {
            Value::Call(c) => c,
            Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
            Value::Symbol(s) => {
                let n = sym::of_symbol(s);
                if n.lib == Lib::Sa && n.name == "FetchedValue" {
                    return Ok(Item::ServerDefault(ServerDefault::Fetched));
                }
                return Err(arg_error(
                    format!("'SchemaItem' object expected, got {}", s.path),
                    loc,
                ));
            }
            Value::Object(o) => {
                return Err(LowerError::unsupported(
                    format!(
                        "schema item is a project object of type {} that migsim cannot read",
                        o.type_name()
                    ),
                    loc,
                ));
            }
            _ => {
                return Err(arg_error(
                    "'SchemaItem' object, such as a 'Column' or a 'Constraint' expected",
                    loc,
                ));
            }
        };
        let Some(n) = sym::of_call(c) else {
            return Err(LowerError::unsupported(
                "schema item made by a method call",
                &c.loc,
            ));
        };
        match (n.lib, n.name) {
            (Lib::Sa, "Column") => self.column(c).map(|c| Item::Column(Box::new(c))),
            (Lib::Sa, "PrimaryKeyConstraint") => self.primary_key(c).map(Item::Constraint),
            (Lib::Sa, "UniqueConstraint") => self.unique(c).map(Item::Constraint),
            (Lib::Sa, "CheckConstraint") => self.check(c).map(Item::Constraint),
            (Lib::Sa, "ForeignKeyConstraint") => {
                self.foreign_key_constraint(c).map(Item::Constraint)
            }
            (Lib::Pg, "ExcludeConstraint") => self.exclude(c).map(Item::Constraint),
            (Lib::Sa, "Index") => self.index(c).map(Item::Index),
            (Lib::Sa, "ForeignKey") => self.foreign_key(c).map(Item::ForeignKey),
            (Lib::Sa, "Computed") => self.computed(c).map(Item::Computed),
            (Lib::Sa, "Identity") => self.identity(c).map(Item::Identity),
            (Lib::Sa, "Sequence") => Ok(Item::Sequence {
                optional: truthy(c.kwarg("optional"))?,
            }),
            (Lib::Sa, "DefaultClause") => {
                let arg = c
                    .args
                    .first()
                    .ok_or_else(|| type_error("DefaultClause() missing argument 'arg'", &c.loc))?;
                self.server_default(arg, &c.loc).map(Item::ServerDefault)
            }
            (Lib::Sa, "FetchedValue") => Ok(Item::ServerDefault(ServerDefault::Fetched)),
            _ => Err(LowerError::unsupported(
                format!("schema item `{}`", n.name),
                &c.loc,
            )),
        }
    }

    pub fn server_default(&self, v: &Value, loc: &Loc) -> Result<ServerDefault, LowerError> {
        match v {
            Value::Str(s) => Ok(ServerDefault::Str(s.as_str().to_string())),
            Value::Call(c) => match sym::of_call(c) {
                Some(n) if n.lib == Lib::Sa && n.name == "FetchedValue" => {
                    Ok(ServerDefault::Fetched)
                }
                Some(n) if n.lib == Lib::Sa && n.name == "DefaultClause" => match c.args.first() {
                    Some(a) => self.server_default(a, loc),
                    None => Err(type_error("DefaultClause() missing argument 'arg'", loc)),
                },
                _ => Ok(ServerDefault::Expr(self.expr(v, StrAs::Text, loc)?)),
            },
            Value::Symbol(s) if sym::of_symbol(s).name == "FetchedValue" => {
                Ok(ServerDefault::Fetched)
            }
            Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
            // `server_default=0` / `True`: SQLAlchemy refuses non-SQL values.
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Err(arg_error(
                format!(
                    "Argument 'arg' is expected to be one of type '<class 'str'>' or '<class 'sqlalchemy.sql.elements.ClauseElement'>' or '<class 'sqlalchemy.sql.elements.TextClause'>', got '{}'",
                    match v {
                        Value::Int(_) => "<class 'int'>",
                        Value::Float(_) => "<class 'float'>",
                        _ => "<class 'bool'>",
                    }
                ),
                loc,
            )),
            _ => Err(LowerError::unsupported(
                "server default of a kind migsim does not model",
                loc,
            )),
        }
    }

    /// `sa.Column(...)`.
    pub fn column(&self, c: &Call) -> Result<Column, LowerError> {
        let loc = &c.loc;
        let mut pos: Vec<&Value> = c.args.iter().collect();
        let mut name: Option<String> = None;
        if let Some(Value::Str(s)) = pos.first() {
            name = Some(s.as_str().to_string());
            pos.remove(0);
        } else if matches!(pos.first(), Some(Value::None)) {
            pos.remove(0);
        }
        if let Some(n) = c.kwarg("name") {
            if name.is_some() {
                return Err(arg_error(
                    "May not pass name positionally and as a keyword.",
                    loc,
                ));
            }
            name = opt_string(Some(n), "name", loc)?;
        }
        let mut ty: Option<SqlType> = None;
        if let Some(first) = pos.first() {
            if first.is_none() {
                pos.remove(0);
            } else if !self.is_schema_item(first) {
                ty = Some(self.ty(first, loc)?);
                pos.remove(0);
            }
        }
        if let Some(t) = c.kwarg("type_").filter(|v| !v.is_none()) {
            if ty.is_some() {
                return Err(arg_error(
                    "May not pass type_ positionally and as a keyword.",
                    loc,
                ));
            }
            ty = Some(self.ty(t, loc)?);
        }
        let Some(name) = name else {
            return Err(arg_error(
                "Column must be constructed with a non-blank name or assign a non-blank .name before adding to a Table.",
                loc,
            ));
        };
        let primary_key = truthy(c.kwarg("primary_key"))?;
        let user_nullable = opt_bool(c.kwarg("nullable"))?;
        let mut col = Column::bare(&name, ty.unwrap_or(SqlType::Null));
        col.key = opt_string(c.kwarg("key"), "key", loc)?.unwrap_or_else(|| name.clone());
        col.primary_key = primary_key;
        col.user_nullable = user_nullable;
        col.nullable = user_nullable.unwrap_or(!primary_key);
        col.unique = opt_bool(c.kwarg("unique"))?;
        col.index = opt_bool(c.kwarg("index"))?;
        col.system = truthy(c.kwarg("system"))?;
        col.comment = opt_string(c.kwarg("comment"), "comment", loc)?;
        col.autoincrement = match c.kwarg("autoincrement") {
            None => Autoincrement::Auto,
            Some(Value::Bool(true)) => Autoincrement::True,
            Some(Value::Bool(false)) => Autoincrement::False,
            Some(Value::Str(s)) if s.as_str() == "auto" => Autoincrement::Auto,
            Some(Value::Str(s)) if s.as_str() == "ignore_fk" => Autoincrement::IgnoreFk,
            Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
            Some(_) => return Err(LowerError::unsupported("autoincrement value", loc)),
        };
        for k in ["default", "insert_default"] {
            match c.kwarg(k) {
                None | Some(Value::None) => {}
                Some(Value::Call(d))
                    if sym::of_call(d)
                        .is_some_and(|n| n.lib == Lib::Sa && n.name == "Sequence") =>
                {
                    col.has_default = true;
                    col.default_is_optional_sequence = truthy(d.kwarg("optional"))?;
                }
                // Any Python-side default (a literal, a function): only its
                // presence matters for DDL.
                Some(_) => col.has_default = true,
            }
        }
        match c.kwarg("server_default") {
            None | Some(Value::None) => {}
            Some(v) => match self.server_default_item(v, loc)? {
                Item::Computed(x) => col.computed = Some(x),
                Item::Identity(x) => col.identity = Some(x),
                Item::ServerDefault(sd) => col.server_default = Some(sd),
                _ => {}
            },
        }
        for v in pos {
            match self.item(v, loc)? {
                Item::ForeignKey(fk) => col.foreign_keys.push(fk),
                Item::Computed(x) => col.computed = Some(x),
                Item::Identity(x) => col.identity = Some(x),
                Item::Sequence { optional } => {
                    col.has_default = true;
                    col.default_is_optional_sequence = optional;
                }
                Item::ServerDefault(sd) => col.server_default = Some(sd),
                Item::Constraint(k) if matches!(k.kind, ConstraintKind::Check { .. }) => {
                    col.checks.push(k)
                }
                Item::Constraint(_) | Item::Index(_) | Item::Column(_) => {
                    return Err(LowerError::unsupported(
                        "a table-level object inside Column(...)",
                        loc,
                    ));
                }
            }
        }
        // `Computed._set_parent` / `Identity._set_parent`.
        if col.computed.is_some() && col.server_default.is_some() {
            return Err(arg_error(
                "A generated column cannot specify a server_default or a server_onupdate argument",
                loc,
            ));
        }
        if col.identity.is_some() {
            if col.server_default.is_some() {
                return Err(arg_error(
                    "A column with an Identity object cannot specify a server_default or a server_onupdate argument",
                    loc,
                ));
            }
            if col.autoincrement == Autoincrement::False {
                return Err(arg_error(
                    "A column with an Identity object cannot specify autoincrement=False",
                    loc,
                ));
            }
            if col.user_nullable.is_none() {
                col.nullable = false;
            }
        }
        Ok(col)
    }

    /// `server_default=` may hold `Computed` / `Identity` (FetchedValue
    /// subclasses) as well as SQL.
    fn server_default_item(&self, v: &Value, loc: &Loc) -> Result<Item, LowerError> {
        if let Value::Call(c) = v
            && let Some(n) = sym::of_call(c)
        {
            if n.lib == Lib::Sa && n.name == "Computed" {
                return self.computed(c).map(Item::Computed);
            }
            if n.lib == Lib::Sa && n.name == "Identity" {
                return self.identity(c).map(Item::Identity);
            }
        }
        self.server_default(v, loc).map(Item::ServerDefault)
    }

    fn is_schema_item(&self, v: &Value) -> bool {
        let name = match v {
            Value::Call(c) => sym::of_call(c),
            Value::Symbol(s) => Some(sym::of_symbol(s)),
            _ => None,
        };
        matches!(
            name,
            Some(sym::Name {
                lib: Lib::Sa,
                name: "ForeignKey"
                    | "CheckConstraint"
                    | "Computed"
                    | "Identity"
                    | "Sequence"
                    | "DefaultClause"
                    | "FetchedValue"
                    | "UniqueConstraint"
                    | "PrimaryKeyConstraint"
                    | "ForeignKeyConstraint"
                    | "Index"
            })
        )
    }

    fn constraint_common(
        &self,
        c: &Call,
        sig: Signature,
        kind: ConstraintKind,
    ) -> Result<Constraint, LowerError> {
        let loc = &c.loc;
        let name = opt_name(param(c, sig, "name"), loc)?;
        Ok(Constraint {
            name: name.map(CName::Given).unwrap_or(CName::None),
            kind,
            deferrable: opt_bool(param(c, sig, "deferrable"))?,
            initially: opt_string(param(c, sig, "initially"), "initially", loc)?,
            include: match c.kwarg("postgresql_include") {
                None | Some(Value::None) => Vec::new(),
                Some(v) => name_list(v, "postgresql_include", loc)?,
            },
            not_valid: truthy(c.kwarg("postgresql_not_valid"))?,
        })
    }

    fn column_names(&self, c: &Call) -> Result<Vec<String>, LowerError> {
        c.args
            .iter()
            .map(|a| match a {
                Value::Str(s) => Ok(s.as_str().to_string()),
                Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
                Value::Call(cc)
                    if sym::of_call(cc).is_some_and(|n| n.lib == Lib::Sa && n.name == "column") =>
                {
                    match cc.args.first() {
                        Some(Value::Str(s)) => Ok(s.as_str().to_string()),
                        _ => Err(LowerError::unsupported(
                            "column() with a computed name",
                            &c.loc,
                        )),
                    }
                }
                _ => Err(LowerError::unsupported(
                    "constraint columns given as objects rather than names",
                    &c.loc,
                )),
            })
            .collect()
    }

    pub fn primary_key(&self, c: &Call) -> Result<Constraint, LowerError> {
        let columns = self.column_names(c)?;
        self.constraint_common(
            c,
            KEYWORDS_ONLY,
            ConstraintKind::PrimaryKey {
                columns,
                implicit: false,
            },
        )
    }

    pub fn unique(&self, c: &Call) -> Result<Constraint, LowerError> {
        let columns = self.column_names(c)?;
        self.constraint_common(
            c,
            KEYWORDS_ONLY,
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct: opt_bool(c.kwarg("postgresql_nulls_not_distinct"))?,
            },
        )
    }

    pub fn check(&self, c: &Call) -> Result<Constraint, LowerError> {
        let loc = &c.loc;
        let sqltext = c.arg(0, "sqltext").ok_or_else(|| {
            type_error(
                "CheckConstraint.__init__() missing 1 required positional argument: 'sqltext'",
                loc,
            )
        })?;
        let sqltext = self.expr(sqltext, StrAs::Text, loc)?;
        self.constraint_common(
            c,
            CHECK_CONSTRAINT,
            ConstraintKind::Check {
                sqltext,
                type_bound: false,
            },
        )
    }

    pub fn foreign_key_constraint(&self, c: &Call) -> Result<Constraint, LowerError> {
        let loc = &c.loc;
        let cols = c
            .arg(0, "columns")
            .ok_or_else(|| type_error("ForeignKeyConstraint.__init__() missing 2 required positional arguments: 'columns' and 'refcolumns'", loc))?;
        let refs = c
            .arg(1, "refcolumns")
            .ok_or_else(|| type_error("ForeignKeyConstraint.__init__() missing 1 required positional argument: 'refcolumns'", loc))?;
        let columns = name_list(cols, "foreign key columns", loc)?;
        let refs = name_list(refs, "foreign key referred columns", loc)?;
        if columns.len() != refs.len() {
            return Err(arg_error(
                "ForeignKeyConstraint number of constrained columns must match the number of referenced columns.",
                loc,
            ));
        }
        let mut ref_table: Option<(Option<String>, String)> = None;
        let mut ref_columns = Vec::new();
        for r in &refs {
            let (schema, table, col) = split_fk_target(r, loc)?;
            match &ref_table {
                Some((s, t)) if *s != schema || *t != table => {
                    return Err(arg_error(
                        "ForeignKeyConstraint on multiple tables is not supported",
                        loc,
                    ));
                }
                _ => ref_table = Some((schema, table)),
            }
            ref_columns.push(col);
        }
        let Some((ref_schema, ref_table)) = ref_table else {
            return Err(arg_error("ForeignKeyConstraint with no columns", loc));
        };
        let opts = self.fk_options(c, FOREIGN_KEY_CONSTRAINT)?;
        let mut k = self.constraint_common(
            c,
            FOREIGN_KEY_CONSTRAINT,
            ConstraintKind::ForeignKey {
                columns,
                ref_schema,
                ref_table,
                ref_columns,
                opts: opts.clone(),
            },
        )?;
        k.not_valid = opts.not_valid;
        Ok(k)
    }

    fn fk_options(&self, c: &Call, sig: Signature) -> Result<FkOptions, LowerError> {
        let loc = &c.loc;
        Ok(FkOptions {
            name: opt_name(param(c, sig, "name"), loc)?,
            ondelete: opt_string(param(c, sig, "ondelete"), "ondelete", loc)?,
            onupdate: opt_string(param(c, sig, "onupdate"), "onupdate", loc)?,
            deferrable: opt_bool(param(c, sig, "deferrable"))?,
            initially: opt_string(param(c, sig, "initially"), "initially", loc)?,
            match_: opt_string(param(c, sig, "match"), "match", loc)?,
            use_alter: truthy(param(c, sig, "use_alter"))?,
            not_valid: truthy(c.kwarg("postgresql_not_valid"))?,
        })
    }

    /// `sa.ForeignKey("schema.table.column", ...)`.
    pub fn foreign_key(&self, c: &Call) -> Result<ForeignKeySpec, LowerError> {
        let loc = &c.loc;
        let target = match c.arg(0, "column") {
            Some(Value::Str(s)) => s.as_str().to_string(),
            Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
            // `ForeignKey(Model.attr)`: the model's table and column.
            Some(Value::Call(a))
                if sym::of_call(a)
                    .is_some_and(|n| n.lib == Lib::Sa && n.name == "InstrumentedAttribute") =>
            {
                match (a.args.first(), a.args.get(1), a.kwarg("schema")) {
                    (Some(Value::Str(t)), Some(Value::Str(col)), None | Some(Value::None)) => {
                        format!("{}.{}", t.as_str(), col.as_str())
                    }
                    (Some(Value::Str(t)), Some(Value::Str(col)), Some(Value::Str(sch))) => {
                        format!("{}.{}.{}", sch.as_str(), t.as_str(), col.as_str())
                    }
                    _ => {
                        return Err(LowerError::unsupported(
                            "ForeignKey to a model attribute whose table is not known",
                            loc,
                        ));
                    }
                }
            }
            Some(_) => {
                return Err(LowerError::unsupported(
                    "ForeignKey to a Column object rather than a \"table.column\" string",
                    loc,
                ));
            }
            None => {
                return Err(type_error(
                    "ForeignKey.__init__() missing 1 required positional argument: 'column'",
                    loc,
                ));
            }
        };
        let (ref_schema, ref_table, ref_column) = split_fk_target(&target, loc)?;
        Ok(ForeignKeySpec {
            ref_schema,
            ref_table,
            ref_column,
            opts: self.fk_options(c, FOREIGN_KEY)?,
        })
    }

    pub fn computed(&self, c: &Call) -> Result<Computed, LowerError> {
        let loc = &c.loc;
        let sqltext = c.arg(0, "sqltext").ok_or_else(|| {
            type_error(
                "Computed.__init__() missing 1 required positional argument: 'sqltext'",
                loc,
            )
        })?;
        Ok(Computed {
            sqltext: self.expr(sqltext, StrAs::Text, loc)?,
            persisted: opt_bool(c.arg(1, "persisted"))?,
        })
    }

    pub fn identity(&self, c: &Call) -> Result<Identity, LowerError> {
        let loc = &c.loc;
        let sig = Sig {
            name: "__init__",
            positional: &[
                "always",
                "on_null",
                "start",
                "increment",
                "minvalue",
                "maxvalue",
                "nominvalue",
                "nomaxvalue",
                "cycle",
                "cache",
                "order",
            ],
            required: 0,
            varargs: false,
            keyword_only: &[],
            varkw: true,
        };
        let b = args::bind(&sig, c).map_err(|m| type_error(m, loc))?;
        Ok(Identity {
            always: truthy(b.get("always"))?,
            start: int_opt(b.get("start"), loc)?,
            increment: int_opt(b.get("increment"), loc)?,
            minvalue: int_opt(b.get("minvalue"), loc)?,
            maxvalue: int_opt(b.get("maxvalue"), loc)?,
            nominvalue: opt_bool(b.get("nominvalue"))?,
            nomaxvalue: opt_bool(b.get("nomaxvalue"))?,
            cycle: opt_bool(b.get("cycle"))?,
            cache: int_opt(b.get("cache"), loc)?,
        })
    }

    /// `postgresql.ExcludeConstraint(("col", "="), ..., using=, where=)`.
    pub fn exclude(&self, c: &Call) -> Result<Constraint, LowerError> {
        let loc = &c.loc;
        let mut elements = Vec::new();
        for e in &c.args {
            let Some([expr_v, op_v]) = e.as_seq().and_then(|s| <&[Value; 2]>::try_from(s).ok())
            else {
                return Err(LowerError::unsupported(
                    "ExcludeConstraint element that is not a pair",
                    loc,
                ));
            };
            let op = match op_v {
                Value::Str(s) => s.as_str().to_string(),
                _ => return Err(LowerError::unsupported("ExcludeConstraint operator", loc)),
            };
            elements.push((self.expr(expr_v, StrAs::Column, loc)?, op));
        }
        let using = opt_string(c.kwarg("using"), "using", loc)?.unwrap_or_else(|| "gist".into());
        let where_ = match c.kwarg("where") {
            None | Some(Value::None) => None,
            Some(v) => Some(self.expr(v, StrAs::Text, loc)?),
        };
        let ops = match c.kwarg("ops") {
            Some(Value::Dict(items)) => items
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        self.constraint_common(
            c,
            KEYWORDS_ONLY,
            ConstraintKind::Exclude {
                elements,
                using,
                where_,
                ops,
            },
        )
    }

    /// `sa.Index(name, *expressions, unique=..., postgresql_*=...)` inside
    /// `create_table`; the table is filled in when it attaches.
    pub fn index(&self, c: &Call) -> Result<Index, LowerError> {
        let loc = &c.loc;
        let name = opt_name(c.args.first(), loc)?;
        let mut expressions = Vec::new();
        for e in c.args.iter().skip(1) {
            expressions.push(self.index_expr(e, loc)?);
        }
        Ok(Index {
            name,
            table: String::new(),
            schema: None,
            expressions,
            unique: truthy(c.kwarg("unique"))?,
            opts: self.index_options(&c.kwargs, loc)?,
        })
    }

    /// One index element as Alembic's `_textual_index_column` reads it.
    pub fn index_expr(&self, v: &Value, loc: &Loc) -> Result<IndexExpr, LowerError> {
        match v {
            Value::Str(s) => Ok(IndexExpr {
                expr: Expr::Column(expr::ColumnRef {
                    name: s.as_str().to_string(),
                    table: None,
                    ty: SqlType::Null,
                }),
                key: Some(s.as_str().to_string()),
                column: Some(s.as_str().to_string()),
            }),
            _ => {
                let e = self.expr(v, StrAs::Column, loc)?;
                Ok(match &e {
                    Expr::Text(t) => IndexExpr {
                        key: Some(t.text.clone()),
                        column: Some(t.text.clone()),
                        expr: e,
                    },
                    Expr::Column(c) => IndexExpr {
                        key: Some(c.name.clone()),
                        column: None,
                        expr: e,
                    },
                    _ => IndexExpr {
                        expr: e,
                        key: None,
                        column: None,
                    },
                })
            }
        }
    }

    pub fn index_options(
        &self,
        kwargs: &[(String, Value)],
        loc: &Loc,
    ) -> Result<IndexOptions, LowerError> {
        let mut o = IndexOptions::default();
        for (k, v) in kwargs {
            let Some(opt) = k.strip_prefix("postgresql_") else {
                continue;
            };
            match opt {
                "using" => o.using = opt_string(Some(v), k, loc)?,
                "where" => {
                    if !v.is_none() {
                        o.where_ = Some(self.expr(v, StrAs::Text, loc)?);
                    }
                }
                "ops" => match v {
                    Value::Dict(items) => {
                        for (key, val) in items {
                            match (key, val) {
                                (Value::Str(a), Value::Str(b)) => {
                                    o.ops.push((a.as_str().to_string(), b.as_str().to_string()))
                                }
                                _ => {
                                    return Err(LowerError::unsupported(
                                        "postgresql_ops entry",
                                        loc,
                                    ));
                                }
                            }
                        }
                    }
                    Value::None => {}
                    _ => {
                        return Err(LowerError::unsupported(
                            "postgresql_ops that is not a dict",
                            loc,
                        ));
                    }
                },
                "include" => {
                    if !v.is_none() {
                        o.include = name_list(v, k, loc)?;
                    }
                }
                "concurrently" => o.concurrently = truthy(Some(v))?,
                "with" => match v {
                    Value::Dict(items) => {
                        for (key, val) in items {
                            let key = match key {
                                Value::Str(s) => s.as_str().to_string(),
                                _ => {
                                    return Err(LowerError::unsupported(
                                        "postgresql_with key",
                                        loc,
                                    ));
                                }
                            };
                            o.with.push((key, python_str(val, loc)?));
                        }
                    }
                    Value::None => {}
                    _ => {
                        return Err(LowerError::unsupported(
                            "postgresql_with that is not a dict",
                            loc,
                        ));
                    }
                },
                "tablespace" => o.tablespace = opt_string(Some(v), k, loc)?,
                "nulls_not_distinct" => o.nulls_not_distinct = opt_bool(Some(v))?,
                other => {
                    return Err(arg_error(
                        format!(
                            "Argument 'postgresql_{other}' is not accepted by dialect 'postgresql' on behalf of <class 'sqlalchemy.sql.schema.Index'>"
                        ),
                        loc,
                    ));
                }
            }
        }
        Ok(o)
    }
}

/// Python's `str(value)` for `postgresql_with` values.
fn python_str(v: &Value, loc: &Loc) -> Result<String, LowerError> {
    Ok(match v {
        Value::Str(s) => s.as_str().to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => expr::py_float_repr(*f),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::None => "None".into(),
        Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
        _ => return Err(LowerError::unsupported("storage parameter value", loc)),
    })
}

/// `"schema.table.column"` / `"table.column"`.
pub(crate) fn split_fk_target(
    target: &str,
    loc: &Loc,
) -> Result<(Option<String>, String, String), LowerError> {
    let parts: Vec<&str> = target.split('.').collect();
    match parts.as_slice() {
        [t, c] => Ok((None, t.to_string(), c.to_string())),
        [s @ .., t, c] if !s.is_empty() => Ok((Some(s.join(".")), t.to_string(), c.to_string())),
        _ => Err(arg_error(
            format!("Invalid foreign key column specification: {target}"),
            loc,
        )),
    }
}

/// Elements given to `create_table` (or a table Alembic builds).
pub(crate) struct TableSpec {
    pub name: String,
    pub schema: Option<String>,
    pub items: Vec<Item>,
    pub comment: Option<String>,
    pub prefixes: Vec<String>,
    pub opts: TableOptions,
    /// `_constraints_included`: ignore `unique=` / `index=` flags.
    pub constraints_included: bool,
}

/// Names a constraint as its `after_parent_attach` event does.
/// The table a constraint attaches to, as its naming tokens see it.
pub(crate) struct Target<'a> {
    pub table: &'a str,
    pub schema: Option<&'a str>,
    /// The constraint's columns (a foreign key's local columns).
    pub columns: &'a [NameCol],
    pub referred_table: Option<&'a str>,
    pub referred_columns: &'a [String],
}

pub(crate) fn attach_name(
    nc: &NamingConvention,
    kind: Kind,
    name: &CName,
    target: &Target,
    loc: &Loc,
) -> Result<CName, LowerError> {
    let given = match name {
        CName::Deferred => return Ok(CName::Deferred),
        CName::Given(n) if n.conv => return Ok(name.clone()),
        CName::Given(n) => Some(n),
        CName::None => None,
    };
    let s = Subject {
        kind,
        name: given,
        table: target.table,
        schema: target.schema,
        columns: target.columns,
        referred_table: target.referred_table,
        referred_columns: target.referred_columns,
    };
    match naming::convention_name(nc, &s) {
        Ok(Some(n)) => Ok(CName::Given(n)),
        Ok(None) => Ok(name.clone()),
        Err((class, msg)) => Err(LowerError::would_fail(&class, msg, loc)),
    }
}

impl Table {
    fn name_cols(&self, names: &[String]) -> Vec<NameCol> {
        names
            .iter()
            .map(|n| match self.column(n) {
                Some(c) => NameCol {
                    name: c.name.clone(),
                    key: c.key.clone(),
                },
                None => NameCol {
                    name: n.clone(),
                    key: n.clone(),
                },
            })
            .collect()
    }
}

/// `Table(name, metadata, *items)` as `SchemaObjects.table` builds it.
pub(crate) fn build_table(spec: TableSpec, ctx: &LowerCtx, loc: &Loc) -> Result<Table, LowerError> {
    let nc = ctx.naming_convention;
    let mut table = Table {
        name: spec.name,
        schema: spec.schema,
        columns: Vec::new(),
        primary_key: Constraint {
            name: CName::None,
            kind: ConstraintKind::PrimaryKey {
                columns: Vec::new(),
                implicit: true,
            },
            deferrable: None,
            initially: None,
            include: Vec::new(),
            not_valid: false,
        },
        constraints: Vec::new(),
        indexes: Vec::new(),
        comment: spec.comment,
        prefixes: spec.prefixes,
        opts: spec.opts,
        naming: nc.clone(),
    };
    let mut explicit: Vec<Item> = Vec::new();
    let mut columns = Vec::new();
    for item in spec.items {
        match item {
            Item::Column(c) => columns.push(*c),
            other => explicit.push(other),
        }
    }
    // Constraints made while columns attach come after every constraint the
    // caller built (SQLAlchemy sorts by creation order), so collect them.
    let mut generated: Vec<Constraint> = Vec::new();
    for mut col in columns {
        if table
            .columns
            .iter()
            .any(|c| c.key == col.key || c.name == col.name)
        {
            return Err(LowerError::would_fail(
                "sqlalchemy.exc.DuplicateColumnError",
                format!(
                    "A column with name '{}' is already present in table '{}'.",
                    col.name, table.name
                ),
                loc,
            ));
        }
        if let Some(e) = col.ty.named_enum_mut()
            && e.inherit_schema
        {
            e.schema = table.schema.clone();
        }
        if spec.constraints_included {
            col.unique = None;
            col.index = None;
        }
        if col.primary_key
            && let ConstraintKind::PrimaryKey { columns, .. } = &mut table.primary_key.kind
        {
            columns.push(col.key.clone());
        }
        let key = col.key.clone();
        let cname = col.name.clone();
        let ncol = [NameCol {
            name: cname.clone(),
            key: key.clone(),
        }];
        let flags_index = truthy_opt(col.index);
        let flags_unique = truthy_opt(col.unique);
        let enum_check = match &col.ty {
            SqlType::Enum(e) if e.create_constraint && !e.native => Some(e.clone()),
            _ => None,
        };
        let fks = col.foreign_keys.clone();
        // A column's own CHECK is named by the convention when the column
        // joins the table (SQLAlchemy's `_constraint_name` event).
        for k in &mut col.checks {
            k.name = name_check(nc, &table, &k.name, loc)?;
        }
        table.columns.push(col);
        if flags_index {
            let mut ix = Index {
                name: None,
                table: table.name.clone(),
                schema: table.schema.clone(),
                expressions: vec![IndexExpr {
                    expr: Expr::Column(expr::ColumnRef {
                        name: cname.clone(),
                        table: None,
                        ty: SqlType::Null,
                    }),
                    key: Some(cname.clone()),
                    column: Some(cname.clone()),
                }],
                unique: flags_unique,
                opts: IndexOptions::default(),
            };
            ix.name = attach_name(
                nc,
                Kind::Index,
                &CName::None,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncol,
                    referred_table: None,
                    referred_columns: &[],
                },
                loc,
            )?
            .given()
            .cloned();
            table.indexes.push(ix);
        } else if flags_unique {
            let name = attach_name(
                nc,
                Kind::Unique,
                &CName::None,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncol,
                    referred_table: None,
                    referred_columns: &[],
                },
                loc,
            )?;
            generated.push(Constraint {
                name,
                kind: ConstraintKind::Unique {
                    columns: vec![key.clone()],
                    nulls_not_distinct: None,
                },
                deferrable: None,
                initially: None,
                include: Vec::new(),
                not_valid: false,
            });
        }
        if let Some(e) = enum_check {
            let name = match &e.name {
                Some(n) => CName::Given(ObjName::plain(n.clone())),
                None => CName::Deferred,
            };
            let name = attach_name(
                nc,
                Kind::Check,
                &name,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncol,
                    referred_table: None,
                    referred_columns: &[],
                },
                loc,
            )?;
            let col_expr = Expr::Column(expr::ColumnRef {
                name: cname.clone(),
                table: None,
                ty: SqlType::String {
                    name: "VARCHAR",
                    length: None,
                    collation: None,
                },
            });
            let values = e
                .values
                .iter()
                .map(|v| expr::bind_for(expr::Lit::Str(v.clone())))
                .collect();
            generated.push(Constraint {
                name,
                kind: ConstraintKind::Check {
                    sqltext: Expr::In {
                        expr: Box::new(col_expr),
                        values,
                        negate: false,
                    },
                    type_bound: true,
                },
                deferrable: None,
                initially: None,
                include: Vec::new(),
                not_valid: false,
            });
        }
        for fk in fks {
            let refs = vec![fk.ref_column.clone()];
            let name = attach_name(
                nc,
                Kind::ForeignKey,
                &fk.opts
                    .name
                    .clone()
                    .map(CName::Given)
                    .unwrap_or(CName::None),
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncol,
                    referred_table: Some(&fk.ref_table),
                    referred_columns: &refs,
                },
                loc,
            )?;
            generated.push(Constraint {
                name,
                kind: ConstraintKind::ForeignKey {
                    columns: vec![key.clone()],
                    ref_schema: fk.ref_schema.clone(),
                    ref_table: fk.ref_table.clone(),
                    ref_columns: refs,
                    opts: fk.opts.clone(),
                },
                deferrable: fk.opts.deferrable,
                initially: fk.opts.initially.clone(),
                include: Vec::new(),
                not_valid: fk.opts.not_valid,
            });
        }
    }
    // The implicit primary key is named once all its columns are in.
    let pk_cols = table.pk_columns().to_vec();
    if !pk_cols.is_empty() {
        let ncols = table.name_cols(&pk_cols);
        table.primary_key.name = attach_name(
            nc,
            Kind::PrimaryKey,
            &CName::None,
            &Target {
                table: &table.name,
                schema: table.schema.as_deref(),
                columns: &ncols,
                referred_table: None,
                referred_columns: &[],
            },
            loc,
        )?;
    }
    let mut explicit_constraints = Vec::new();
    for item in explicit {
        match item {
            Item::Constraint(k) => {
                explicit_constraints.push(attach_constraint(&mut table, k, nc, loc)?)
            }
            Item::Index(mut ix) => {
                ix.table = table.name.clone();
                ix.schema = table.schema.clone();
                for e in &ix.expressions {
                    if let Some(c) = &e.column
                        && table.column(c).is_none()
                        && !matches!(e.expr, Expr::Text(_))
                    {
                        return Err(LowerError::would_fail(
                            "sqlalchemy.exc.ConstraintColumnNotFoundError",
                            format!(
                                "Can't create Index on table '{}': no column named '{c}' is present.",
                                table.name
                            ),
                            loc,
                        ));
                    }
                }
                name_index(&mut ix, nc, loc)?;
                table.indexes.push(ix);
            }
            Item::Column(_) => {}
            Item::ForeignKey(_)
            | Item::Computed(_)
            | Item::Identity(_)
            | Item::Sequence { .. }
            | Item::ServerDefault(_) => {
                return Err(arg_error(
                    "'SchemaItem' object, such as a 'Column' or a 'Constraint' expected",
                    loc,
                ));
            }
        }
    }
    let mut all: Vec<Constraint> = explicit_constraints.into_iter().flatten().collect();
    all.extend(generated);
    table.constraints = all;
    Ok(table)
}

/// Names a CHECK constraint of `table`: a textual condition gives the
/// convention no columns.
fn name_check(
    nc: &NamingConvention,
    table: &Table,
    name: &CName,
    loc: &Loc,
) -> Result<CName, LowerError> {
    attach_name(
        nc,
        Kind::Check,
        name,
        &Target {
            table: &table.name,
            schema: table.schema.as_deref(),
            columns: &[],
            referred_table: None,
            referred_columns: &[],
        },
        loc,
    )
}

fn truthy_opt(b: Option<bool>) -> bool {
    b.unwrap_or(false)
}

/// Attaches an explicit constraint; returns it unless it replaced the
/// primary key.
fn attach_constraint(
    table: &mut Table,
    mut k: Constraint,
    nc: &NamingConvention,
    loc: &Loc,
) -> Result<Option<Constraint>, LowerError> {
    let class = match &k.kind {
        ConstraintKind::PrimaryKey { .. } => "PrimaryKeyConstraint",
        ConstraintKind::Unique { .. } => "UniqueConstraint",
        ConstraintKind::ForeignKey { .. } => "ForeignKeyConstraint",
        ConstraintKind::Exclude { .. } => "ExcludeConstraint",
        _ => "Constraint",
    };
    let check_cols = |cols: &[String], table: &Table| -> Result<(), LowerError> {
        for c in cols {
            if table.column(c).is_none() {
                return Err(LowerError::would_fail(
                    "sqlalchemy.exc.ConstraintColumnNotFoundError",
                    format!(
                        "Can't create {class} on table '{}': no column named '{c}' is present.",
                        table.name
                    ),
                    loc,
                ));
            }
        }
        Ok(())
    };
    match &mut k.kind {
        ConstraintKind::PrimaryKey { columns, .. } => {
            check_cols(columns, table)?;
            let flagged: Vec<String> = table
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.key.clone())
                .collect();
            let mut cols = columns.clone();
            let same = {
                let mut a = flagged.clone();
                let mut b = cols.clone();
                a.sort();
                b.sort();
                a == b
            };
            if cols.is_empty() || same {
                for f in flagged {
                    if !cols.contains(&f) {
                        cols.push(f);
                    }
                }
            }
            for c in table.columns.iter_mut() {
                if cols.contains(&c.key) {
                    c.primary_key = true;
                    if c.user_nullable.is_none() {
                        c.nullable = false;
                    }
                }
            }
            *columns = cols.clone();
            let ncols = table.name_cols(&cols);
            k.name = attach_name(
                nc,
                Kind::PrimaryKey,
                &k.name,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncols,
                    referred_table: None,
                    referred_columns: &[],
                },
                loc,
            )?;
            table.primary_key = k;
            Ok(None)
        }
        ConstraintKind::Unique { columns, .. } => {
            check_cols(columns, table)?;
            let ncols = table.name_cols(columns);
            k.name = attach_name(
                nc,
                Kind::Unique,
                &k.name,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncols,
                    referred_table: None,
                    referred_columns: &[],
                },
                loc,
            )?;
            Ok(Some(k))
        }
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => {
            check_cols(columns, table)?;
            let ncols = table.name_cols(columns);
            let rt = ref_table.clone();
            let rc = ref_columns.clone();
            k.name = attach_name(
                nc,
                Kind::ForeignKey,
                &k.name,
                &Target {
                    table: &table.name,
                    schema: table.schema.as_deref(),
                    columns: &ncols,
                    referred_table: Some(&rt),
                    referred_columns: &rc,
                },
                loc,
            )?;
            Ok(Some(k))
        }
        ConstraintKind::Check { .. } => {
            k.name = name_check(nc, table, &k.name, loc)?;
            Ok(Some(k))
        }
        ConstraintKind::Exclude { .. } | ConstraintKind::Generic => Ok(Some(k)),
    }
}

/// Names an index from its column-like expressions. SQLAlchemy names an
/// index when it attaches through one of its columns; an index made only of
/// SQL expressions never attaches that way and stays unnamed.
pub(crate) fn name_index(
    ix: &mut Index,
    nc: &NamingConvention,
    loc: &Loc,
) -> Result<(), LowerError> {
    if ix.name.as_ref().is_some_and(|n| n.conv) {
        return Ok(());
    }
    let cols: Vec<NameCol> = ix
        .expressions
        .iter()
        .filter_map(|e| e.column.clone())
        .map(|c| NameCol {
            name: c.clone(),
            key: c,
        })
        .collect();
    if cols.is_empty() {
        return Ok(());
    }
    let name = attach_name(
        nc,
        Kind::Index,
        &ix.name.clone().map(CName::Given).unwrap_or(CName::None),
        &Target {
            table: &ix.table,
            schema: ix.schema.as_deref(),
            columns: &cols,
            referred_table: None,
            referred_columns: &[],
        },
        loc,
    )?;
    ix.name = name.given().cloned();
    Ok(())
}

/// The positional parameters of a SQLAlchemy constructor, in order
/// (`sqlalchemy/sql/schema.py`): `CheckConstraint("a > 0", "a_positive")`
/// names its constraint as surely as `name=` does.
type Signature = &'static [&'static str];

const CHECK_CONSTRAINT: Signature = &["sqltext", "name", "deferrable", "initially"];
const FOREIGN_KEY_CONSTRAINT: Signature = &[
    "columns",
    "refcolumns",
    "name",
    "onupdate",
    "ondelete",
    "deferrable",
    "initially",
    "use_alter",
    "link_to_name",
    "match",
];
const FOREIGN_KEY: Signature = &[
    "column",
    "_constraint",
    "use_alter",
    "name",
    "onupdate",
    "ondelete",
    "deferrable",
    "initially",
    "link_to_name",
    "match",
];
/// `UniqueConstraint(*columns, name=...)` and the like.
const KEYWORDS_ONLY: Signature = &[];

/// A parameter given by position or by keyword.
fn param<'c>(c: &'c Call, sig: Signature, name: &str) -> Option<&'c Value> {
    match sig.iter().position(|p| *p == name) {
        Some(i) => c.arg(i, name),
        None => c.kwarg(name),
    }
}
