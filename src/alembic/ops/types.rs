//! SQL types: read from `sa.Integer()`-style values and rendered as
//! SQLAlchemy's PostgreSQL type compiler does (`PGTypeCompiler`).

use super::args::{self, Sig};
use super::quote::{self, Mode};
use super::sym::{self, Lib};
use super::{LowerCtx, LowerError};
use crate::python::value::{Call, Value};
use crate::source::Loc;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlType {
    /// `NullType`: a column without a type, or an untyped `sa.column()`.
    Null,
    Integer,
    BigInteger,
    SmallInteger,
    /// `NUMERIC` / `DECIMAL`.
    Numeric {
        name: &'static str,
        precision: Option<i64>,
        scale: Option<i64>,
    },
    /// `Float` / `FLOAT` / `REAL` / `DOUBLE PRECISION` / `DOUBLE`: the
    /// numeric family without exact scale.
    Float {
        name: &'static str,
        precision: Option<i64>,
    },
    /// `VARCHAR` / `CHAR` / `NVARCHAR` / `NCHAR` / `TEXT` / `CLOB` /
    /// `CITEXT`.
    String {
        name: &'static str,
        length: Option<i64>,
        collation: Option<String>,
    },
    Boolean,
    /// `DateTime` / `TIMESTAMP`.
    Timestamp {
        timezone: bool,
        precision: Option<i64>,
    },
    /// Generic `sa.DATETIME`, rendered `DATETIME` (PostgreSQL rejects it).
    Datetime,
    Date,
    Time {
        timezone: bool,
        precision: Option<i64>,
    },
    Interval {
        fields: Option<String>,
        precision: Option<i64>,
    },
    /// `BYTEA` and the generic binaries (`BLOB`, `BINARY(n)`, ...).
    Binary {
        name: &'static str,
        length: Option<i64>,
    },
    Uuid {
        native: bool,
    },
    Json,
    Jsonb,
    Enum(EnumType),
    Array {
        item: Box<SqlType>,
        dimensions: Option<i64>,
    },
    Bit {
        length: Option<i64>,
        varying: bool,
    },
    /// Types whose DDL is a fixed word (`INET`, `TSVECTOR`, `HSTORE`, ...).
    Keyword(&'static str),
    /// `UserDefinedType.get_col_spec()` output (pgvector, `migsim.RawType`).
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EnumType {
    pub name: Option<String>,
    pub schema: Option<String>,
    pub values: Vec<String>,
    /// `native_enum`: a PostgreSQL type; otherwise `VARCHAR(length)`.
    pub native: bool,
    /// `postgresql.ENUM(create_type=False)` is never created.
    pub create_type: bool,
    /// A CHECK constraint for non-native enums.
    pub create_constraint: bool,
    pub length: i64,
    pub inherit_schema: bool,
    /// `metadata=`: created with the metadata, not with the table.
    pub has_metadata: bool,
}

impl SqlType {
    /// `_type_affinity` is Integer or Numeric: a candidate for SERIAL.
    pub fn autoincrement_affinity(&self) -> bool {
        matches!(
            self,
            SqlType::Integer
                | SqlType::BigInteger
                | SqlType::SmallInteger
                | SqlType::Numeric { .. }
                | SqlType::Float { .. }
        )
    }

    pub fn is_null(&self) -> bool {
        matches!(self, SqlType::Null)
    }

    /// The named enum types this type creates with its table (an ENUM, or
    /// an ARRAY of one).
    pub fn named_enum(&self) -> Option<&EnumType> {
        match self {
            SqlType::Enum(e) if e.native => Some(e),
            SqlType::Array { item, .. } => item.named_enum(),
            _ => None,
        }
    }

    pub fn named_enum_mut(&mut self) -> Option<&mut EnumType> {
        match self {
            SqlType::Enum(e) => Some(e),
            SqlType::Array { item, .. } => item.named_enum_mut(),
            _ => None,
        }
    }

    /// Like Python's `str(type_)`: the generic compilation used in error
    /// messages.
    pub fn describe(&self) -> String {
        match self {
            SqlType::Null => "NULL".into(),
            SqlType::Enum(e) if !e.native || e.name.is_none() => {
                format!("VARCHAR({})", e.length)
            }
            other => compile(other, Mode::ONLINE).unwrap_or_else(|e| e),
        }
    }
}

/// Renders a type for DDL. Errors are SQLAlchemy `CompileError` messages.
pub(crate) fn compile(t: &SqlType, mode: Mode) -> Result<String, String> {
    Ok(match t {
        SqlType::Null => {
            return Err("Can't generate DDL for NullType(); did you forget to specify a type on this Column?".into());
        }
        SqlType::Integer => "INTEGER".into(),
        SqlType::BigInteger => "BIGINT".into(),
        SqlType::SmallInteger => "SMALLINT".into(),
        SqlType::Numeric {
            name,
            precision,
            scale,
        } => match (precision, scale) {
            (None, _) => (*name).to_string(),
            (Some(p), None) => format!("{name}({p})"),
            (Some(p), Some(s)) => format!("{name}({p}, {s})"),
        },
        SqlType::Float { name, precision } => match (*name, precision) {
            ("FLOAT", Some(p)) if *p != 0 => format!("FLOAT({p})"),
            (n, _) => n.to_string(),
        },
        SqlType::String {
            name,
            length,
            collation,
        } => render_string(name, *length, collation.as_deref()),
        SqlType::Boolean => "BOOLEAN".into(),
        SqlType::Timestamp {
            timezone,
            precision,
        } => format!(
            "TIMESTAMP{} {} TIME ZONE",
            precision.map(|p| format!("({p})")).unwrap_or_default(),
            if *timezone { "WITH" } else { "WITHOUT" }
        ),
        SqlType::Datetime => "DATETIME".into(),
        SqlType::Date => "DATE".into(),
        SqlType::Time {
            timezone,
            precision,
        } => format!(
            "TIME{} {} TIME ZONE",
            precision.map(|p| format!("({p})")).unwrap_or_default(),
            if *timezone { "WITH" } else { "WITHOUT" }
        ),
        SqlType::Interval { fields, precision } => {
            let mut s = "INTERVAL".to_string();
            if let Some(f) = fields {
                s.push(' ');
                s.push_str(f);
            }
            if let Some(p) = precision {
                s.push_str(&format!(" ({p})"));
            }
            s
        }
        SqlType::Binary { name, length } => match (*name, length) {
            ("BINARY" | "VARBINARY", Some(n)) if *n != 0 => format!("{name}({n})"),
            (n, _) => n.to_string(),
        },
        SqlType::Uuid { native } => {
            if *native {
                "UUID".into()
            } else {
                "CHAR(32)".into()
            }
        }
        SqlType::Json => "JSON".into(),
        SqlType::Jsonb => "JSONB".into(),
        SqlType::Enum(e) => {
            if !e.native {
                render_string("VARCHAR", Some(e.length), None)
            } else {
                format_enum_name(e, mode)?
            }
        }
        SqlType::Array { item, dimensions } => {
            let inner = compile(item, mode)?;
            let brackets = "[]".repeat(dimensions.unwrap_or(1).max(0) as usize);
            // `re.sub(r"((?: COLLATE.*)?)$", r"%s\1" % brackets, inner)`:
            // the brackets go before a COLLATE clause.
            match inner.find(" COLLATE") {
                Some(i) => format!("{}{brackets}{}", &inner[..i], &inner[i..]),
                None => format!("{inner}{brackets}"),
            }
        }
        SqlType::Bit { length, varying } => {
            if *varying {
                match length {
                    Some(n) => format!("BIT VARYING({n})"),
                    None => "BIT VARYING".into(),
                }
            } else {
                format!("BIT({})", length.unwrap_or(1))
            }
        }
        SqlType::Keyword(k) => (*k).to_string(),
        SqlType::Raw(s) => s.clone(),
    })
}

fn render_string(name: &str, length: Option<i64>, collation: Option<&str>) -> String {
    let mut s = name.to_string();
    if let Some(n) = length.filter(|n| *n != 0) {
        s.push_str(&format!("({n})"));
    }
    if let Some(c) = collation {
        s.push_str(&format!(" COLLATE \"{c}\""));
    }
    s
}

/// `PGIdentifierPreparer.format_type`.
pub(crate) fn format_enum_name(e: &EnumType, mode: Mode) -> Result<String, String> {
    let Some(name) = e.name.as_deref().filter(|n| !n.is_empty()) else {
        return Err("PostgreSQL ENUM type requires a name.".into());
    };
    let mut s = quote::quote(name, mode);
    if let Some(schema) = &e.schema {
        s = format!("{}.{s}", quote::quote(schema, mode));
    }
    Ok(s)
}

/// Reads a type argument (`sa.String(50)`, `sa.Integer`, a `with_variant`
/// chain...).
pub(crate) fn from_value(v: &Value, ctx: &LowerCtx, loc: &Loc) -> Result<SqlType, LowerError> {
    match v {
        Value::Symbol(s) => {
            let n = sym::of_symbol(s);
            let empty = Call {
                callee: crate::python::value::Callee::Symbol(s.clone()),
                args: Vec::new(),
                kwargs: Vec::new(),
                loc: loc.clone(),
            };
            from_class(n.lib, n.name, &empty, ctx)
        }
        Value::Call(c) => {
            if let Some((receiver, method)) = sym::method(c) {
                return from_method(receiver, method, c, ctx);
            }
            let Some(n) = sym::of_call(c) else {
                return Err(LowerError::unsupported("type expression", &c.loc));
            };
            from_class(n.lib, n.name, c, ctx)
        }
        Value::Unknown(u) => Err(LowerError::Unknown((**u).clone())),
        Value::Object(o) => Err(LowerError::unsupported(
            format!(
                "column type is a project object of type {} that migsim cannot read",
                o.type_name()
            ),
            loc,
        )),
        other => Err(LowerError::would_fail(
            "sqlalchemy.exc.ArgumentError",
            format!(
                "expected a SQLAlchemy type, got {}",
                python_repr_kind(other)
            ),
            loc,
        )),
    }
}

fn python_repr_kind(v: &Value) -> &'static str {
    match v {
        Value::None => "None",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::List(_) => "list",
        Value::Tuple(_) => "tuple",
        Value::Dict(_) => "dict",
        _ => "object",
    }
}

fn from_method(
    receiver: &Value,
    method: &str,
    c: &Call,
    ctx: &LowerCtx,
) -> Result<SqlType, LowerError> {
    match method {
        // `with_variant(type_, *dialect_names)`: on PostgreSQL the variant
        // registered for "postgresql" wins.
        "with_variant" => {
            let variant = c.args.first().or_else(|| c.kwarg("type_")).ok_or_else(|| {
                type_error(
                    c,
                    "with_variant() missing 1 required positional argument: 'type_'",
                )
            })?;
            let mut names: Vec<&Value> = c.args.iter().skip(1).collect();
            if let Some(d) = c.kwarg("dialect_names") {
                names.push(d);
            }
            let is_pg = names.iter().any(|n| match n {
                Value::Str(s) => s.as_str() == "postgresql",
                other => other
                    .as_seq()
                    .is_some_and(|s| s.iter().any(|x| x.as_str() == Some("postgresql"))),
            });
            if is_pg {
                from_value(variant, ctx, &c.loc)
            } else {
                from_value(receiver, ctx, &c.loc)
            }
        }
        // Methods that return the same type for DDL purposes.
        "evaluates_none" | "copy" | "_copy" => from_value(receiver, ctx, &c.loc),
        "as_generic" => Err(LowerError::unsupported("TypeEngine.as_generic()", &c.loc)),
        other => Err(LowerError::unsupported(
            format!("type method .{other}()"),
            &c.loc,
        )),
    }
}

fn type_error(c: &Call, msg: &str) -> LowerError {
    LowerError::would_fail("TypeError", msg, &c.loc)
}

fn bind_type<'c>(
    c: &'c Call,
    name: &str,
    positional: &[&'static str],
    varkw: bool,
) -> Result<args::Bound<'c>, LowerError> {
    let sig = Sig {
        name: "__init__",
        positional,
        required: 0,
        varargs: false,
        keyword_only: &[],
        varkw,
    };
    args::bind(&sig, c).map_err(|m| {
        LowerError::would_fail(
            "TypeError",
            m.replace("__init__()", &format!("{name}.__init__()")),
            &c.loc,
        )
    })
}

fn opt_int(b: &args::Bound, name: &str, loc: &Loc) -> Result<Option<i64>, LowerError> {
    match b.opt(name) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(v)) => Ok(Some(*v as i64)),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(LowerError::unsupported(
            format!("non-integer `{name}` argument of a type"),
            loc,
        )),
    }
}

fn opt_str(b: &args::Bound, name: &str, loc: &Loc) -> Result<Option<String>, LowerError> {
    match b.opt(name) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(LowerError::unsupported(
            format!("non-string `{name}` argument of a type"),
            loc,
        )),
    }
}

fn flag(b: &args::Bound, name: &str, default: bool) -> bool {
    match b.get(name) {
        Some(Value::Bool(v)) => *v,
        Some(Value::None) => false,
        Some(Value::Int(i)) => *i != 0,
        Some(_) => true,
        None => default,
    }
}

const STRING_ARGS: &[&str] = &["length", "collation"];
const NUMERIC_ARGS: &[&str] = &["precision", "scale", "decimal_return_scale", "asdecimal"];
const FLOAT_ARGS: &[&str] = &["precision", "asdecimal", "decimal_return_scale"];

fn from_class(lib: Lib, name: &str, c: &Call, ctx: &LowerCtx) -> Result<SqlType, LowerError> {
    let loc = &c.loc;
    let string = |tname: &'static str| -> Result<SqlType, LowerError> {
        let b = bind_type(c, name, STRING_ARGS, true)?;
        Ok(SqlType::String {
            name: tname,
            length: opt_int(&b, "length", loc)?,
            collation: opt_str(&b, "collation", loc)?,
        })
    };
    let numeric = |tname: &'static str| -> Result<SqlType, LowerError> {
        let b = bind_type(c, name, NUMERIC_ARGS, false)?;
        Ok(SqlType::Numeric {
            name: tname,
            precision: opt_int(&b, "precision", loc)?,
            scale: opt_int(&b, "scale", loc)?,
        })
    };
    let float = |tname: &'static str| -> Result<SqlType, LowerError> {
        let b = bind_type(c, name, FLOAT_ARGS, false)?;
        Ok(SqlType::Float {
            name: tname,
            precision: opt_int(&b, "precision", loc)?,
        })
    };
    let no_args = |t: SqlType| -> Result<SqlType, LowerError> {
        // Keyword arguments such as `as_uuid` or `none_as_null` change
        // Python-side behaviour only.
        Ok(t)
    };
    match (lib, name) {
        (Lib::Sa | Lib::Pg, "Integer" | "INTEGER" | "INT") => no_args(SqlType::Integer),
        (Lib::Sa | Lib::Pg, "BigInteger" | "BIGINT") => no_args(SqlType::BigInteger),
        (Lib::Sa | Lib::Pg, "SmallInteger" | "SMALLINT") => no_args(SqlType::SmallInteger),
        (Lib::Sa | Lib::Pg, "Numeric" | "NUMERIC") => numeric("NUMERIC"),
        (Lib::Sa, "DECIMAL") => numeric("DECIMAL"),
        (Lib::Sa | Lib::Pg, "Float" | "FLOAT") => float("FLOAT"),
        (Lib::Sa | Lib::Pg, "REAL") => float("REAL"),
        (Lib::Sa | Lib::Pg, "DOUBLE_PRECISION" | "Double") => float("DOUBLE PRECISION"),
        (Lib::Sa, "DOUBLE") => float("DOUBLE"),
        (Lib::Sa | Lib::Pg, "String" | "VARCHAR" | "Unicode") => string("VARCHAR"),
        (Lib::SqlModel, "AutoString") => string("VARCHAR"),
        (Lib::Sa | Lib::Pg, "CHAR") => string("CHAR"),
        (Lib::Sa, "NVARCHAR") => string("NVARCHAR"),
        (Lib::Sa, "NCHAR") => string("NCHAR"),
        (Lib::Sa | Lib::Pg, "Text" | "TEXT" | "UnicodeText") => string("TEXT"),
        (Lib::Sa, "CLOB") => string("CLOB"),
        (Lib::Pg, "CITEXT") => {
            bind_type(c, name, STRING_ARGS, true)?;
            Ok(SqlType::Keyword("CITEXT"))
        }
        (Lib::Sa | Lib::Pg, "Boolean" | "BOOLEAN") => {
            bind_type(c, name, &["create_constraint", "name"], true)?;
            Ok(SqlType::Boolean)
        }
        (Lib::Sa, "DateTime") => {
            let b = bind_type(c, name, &["timezone"], false)?;
            Ok(SqlType::Timestamp {
                timezone: flag(&b, "timezone", false),
                precision: None,
            })
        }
        (Lib::Sa, "TIMESTAMP") => {
            let b = bind_type(c, name, &["timezone"], false)?;
            Ok(SqlType::Timestamp {
                timezone: flag(&b, "timezone", false),
                precision: None,
            })
        }
        (Lib::Pg, "TIMESTAMP") => {
            let b = bind_type(c, name, &["timezone", "precision"], false)?;
            Ok(SqlType::Timestamp {
                timezone: flag(&b, "timezone", false),
                precision: opt_int(&b, "precision", loc)?,
            })
        }
        (Lib::Sa, "DATETIME") => no_args(SqlType::Datetime),
        (Lib::Sa | Lib::Pg, "Date" | "DATE") => no_args(SqlType::Date),
        (Lib::Sa, "Time" | "TIME") => {
            let b = bind_type(c, name, &["timezone"], false)?;
            Ok(SqlType::Time {
                timezone: flag(&b, "timezone", false),
                precision: None,
            })
        }
        (Lib::Pg, "TIME") => {
            let b = bind_type(c, name, &["timezone", "precision"], false)?;
            Ok(SqlType::Time {
                timezone: flag(&b, "timezone", false),
                precision: opt_int(&b, "precision", loc)?,
            })
        }
        (Lib::Sa, "Interval") => {
            let b = bind_type(
                c,
                name,
                &["native", "second_precision", "day_precision"],
                false,
            )?;
            Ok(SqlType::Interval {
                fields: None,
                precision: opt_int(&b, "second_precision", loc)?,
            })
        }
        (Lib::Pg, "INTERVAL") => {
            let b = bind_type(c, name, &["precision", "fields"], false)?;
            Ok(SqlType::Interval {
                fields: opt_str(&b, "fields", loc)?,
                precision: opt_int(&b, "precision", loc)?,
            })
        }
        (Lib::Sa, "LargeBinary" | "PickleType") | (Lib::Pg, "BYTEA") => Ok(SqlType::Binary {
            name: "BYTEA",
            length: None,
        }),
        (Lib::Sa, "BLOB") => Ok(SqlType::Binary {
            name: "BLOB",
            length: None,
        }),
        (Lib::Sa, "BINARY" | "VARBINARY") => {
            let b = bind_type(c, name, &["length"], false)?;
            Ok(SqlType::Binary {
                name: if name == "BINARY" {
                    "BINARY"
                } else {
                    "VARBINARY"
                },
                length: opt_int(&b, "length", loc)?,
            })
        }
        (Lib::Sa, "Uuid") => {
            let b = bind_type(c, name, &["as_uuid", "native_uuid"], false)?;
            Ok(SqlType::Uuid {
                native: flag(&b, "native_uuid", true),
            })
        }
        (Lib::Sa | Lib::Pg, "UUID") => no_args(SqlType::Uuid { native: true }),
        (Lib::Sa | Lib::Pg, "JSON") => no_args(SqlType::Json),
        (Lib::Pg, "JSONB") => no_args(SqlType::Jsonb),
        (Lib::Sa | Lib::Pg, "Enum" | "ENUM") => enum_type(lib, c, ctx).map(SqlType::Enum),
        (Lib::Sa | Lib::Pg, "ARRAY") => {
            let b = bind_type(
                c,
                name,
                &["item_type", "as_tuple", "dimensions", "zero_indexes"],
                false,
            )?;
            let Some(item) = b.get("item_type") else {
                return Err(type_error(
                    c,
                    "ARRAY.__init__() missing 1 required positional argument: 'item_type'",
                ));
            };
            let item = from_value(item, ctx, loc)?;
            if matches!(item, SqlType::Array { .. }) {
                return Err(LowerError::would_fail(
                    "ValueError",
                    "Do not nest ARRAY types; ARRAY(basetype) handles multi-dimensional arrays of basetype",
                    loc,
                ));
            }
            let dimensions = opt_int(&b, "dimensions", loc)?;
            // PostgreSQL caps arrays at 6 dimensions; a huge count would only
            // build a huge type name.
            if dimensions.is_some_and(|d| d > 64) {
                return Err(LowerError::unsupported(
                    "ARRAY with more than 64 dimensions",
                    loc,
                ));
            }
            Ok(SqlType::Array {
                item: Box::new(item),
                dimensions,
            })
        }
        (Lib::Pg, "BIT") => {
            let b = bind_type(c, name, &["length", "varying"], false)?;
            let varying = flag(&b, "varying", false);
            Ok(SqlType::Bit {
                length: opt_int(&b, "length", loc)?,
                varying,
            })
        }
        (Lib::Sa | Lib::Pg, "NullType") => Ok(SqlType::Null),
        (Lib::PgVector, "Vector" | "VECTOR" | "HALFVEC" | "SPARSEVEC") => {
            let b = bind_type(c, name, &["dim"], false)?;
            let word = match name {
                "HALFVEC" => "HALFVEC",
                "SPARSEVEC" => "SPARSEVEC",
                _ => "VECTOR",
            };
            Ok(SqlType::Raw(match opt_int(&b, "dim", loc)? {
                Some(d) => format!("{word}({d})"),
                None => word.to_string(),
            }))
        }
        (Lib::PgVector, "BIT") => {
            let b = bind_type(c, name, &["length"], false)?;
            Ok(SqlType::Raw(match opt_int(&b, "length", loc)? {
                Some(d) => format!("BIT({d})"),
                None => "BIT".to_string(),
            }))
        }
        (Lib::Migsim, "RawType") => match c.args.first() {
            Some(Value::Str(s)) => Ok(SqlType::Raw(s.as_str().to_string())),
            _ => Err(LowerError::unsupported(
                "user-defined type without a column spec",
                loc,
            )),
        },
        (Lib::Pg, k) if let Some(word) = pg_keyword(k) => Ok(SqlType::Keyword(word)),
        _ => Err(LowerError::unsupported(
            format!("column type `{}` is not modelled", callee_path(c)),
            loc,
        )),
    }
}

fn callee_path(c: &Call) -> String {
    match &c.callee {
        crate::python::value::Callee::Symbol(s) => s.path.to_string(),
        crate::python::value::Callee::Method { name, .. } => format!(".{name}()"),
    }
}

/// PostgreSQL dialect types rendered as a fixed keyword.
fn pg_keyword(name: &str) -> Option<&'static str> {
    Some(match name {
        "INET" => "INET",
        "CIDR" => "CIDR",
        "MACADDR" => "MACADDR",
        "MACADDR8" => "MACADDR8",
        "MONEY" => "MONEY",
        "OID" => "OID",
        "REGCLASS" => "REGCLASS",
        "REGCONFIG" => "REGCONFIG",
        "TSVECTOR" => "TSVECTOR",
        "TSQUERY" => "TSQUERY",
        "HSTORE" => "HSTORE",
        "JSONPATH" => "JSONPATH",
        "INT4RANGE" => "INT4RANGE",
        "INT8RANGE" => "INT8RANGE",
        "NUMRANGE" => "NUMRANGE",
        "DATERANGE" => "DATERANGE",
        "TSRANGE" => "TSRANGE",
        "TSTZRANGE" => "TSTZRANGE",
        "INT4MULTIRANGE" => "INT4MULTIRANGE",
        "INT8MULTIRANGE" => "INT8MULTIRANGE",
        "NUMMULTIRANGE" => "NUMMULTIRANGE",
        "DATEMULTIRANGE" => "DATEMULTIRANGE",
        "TSMULTIRANGE" => "TSMULTIRANGE",
        "TSTZMULTIRANGE" => "TSTZMULTIRANGE",
        _ => return None,
    })
}

/// `sa.Enum(...)` / `postgresql.ENUM(...)`.
fn enum_type(lib: Lib, c: &Call, ctx: &LowerCtx) -> Result<EnumType, LowerError> {
    let loc = &c.loc;
    let kw = |k: &str| c.kwarg(k);
    let mut values: Vec<String> = Vec::new();
    let mut class_name: Option<String> = None;
    // `Enum(MyPythonEnum)`: member names (or `values_callable`'s output).
    if let [class_value @ Value::Object(o)] = c.args.as_slice() {
        let Some(class) = ctx.objects.python_enum(class_value) else {
            return Err(LowerError::unsupported(
                format!(
                    "Enum over a project object of type {} that migsim cannot read",
                    o.type_name()
                ),
                loc,
            ));
        };
        if let Some(vc) = kw("values_callable").filter(|v| !v.is_none()) {
            // The evaluator may hand over what the function returns.
            let computed = match vc {
                Value::List(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>(),
                _ => ctx.objects.enum_values_callable(vc, class_value),
            };
            match computed {
                Some(v) => values = v,
                None => {
                    return Err(LowerError::unsupported(
                        "Enum(values_callable=...) that migsim cannot evaluate",
                        loc,
                    ));
                }
            }
        } else {
            values = class.members.iter().map(|(n, _)| n.clone()).collect();
        }
        class_name = Some(class.name.to_lowercase());
    } else {
        for a in &c.args {
            match a {
                Value::Str(s) => values.push(s.as_str().to_string()),
                Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
                Value::Symbol(_) | Value::Call(_) | Value::Object(_) => {
                    return Err(LowerError::unsupported(
                        "Enum over a class migsim cannot read",
                        loc,
                    ));
                }
                _ => {
                    return Err(LowerError::unsupported("Enum with a non-string value", loc));
                }
            }
        }
    }
    let str_kw = |k: &str| -> Result<Option<String>, LowerError> {
        match kw(k) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.as_str().to_string())),
            Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
            Some(_) => Err(LowerError::unsupported(format!("Enum `{k}` argument"), loc)),
        }
    };
    let bool_kw = |k: &str, default: bool| match kw(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::None) => false,
        Some(_) => true,
        None => default,
    };
    let name = str_kw("name")?.or(class_name);
    let default_length = values.iter().map(|v| v.chars().count()).max().unwrap_or(0) as i64;
    let length = match kw("length") {
        Some(Value::Int(n)) => {
            if *n < default_length {
                return Err(LowerError::would_fail(
                    "ValueError",
                    format!(
                        "When provided, length must be larger or equal than the length of the longest enum value. {n} < {default_length}"
                    ),
                    loc,
                ));
            }
            *n
        }
        _ => default_length,
    };
    Ok(EnumType {
        name,
        schema: str_kw("schema")?,
        values,
        native: bool_kw("native_enum", true),
        create_type: lib != Lib::Pg || bool_kw("create_type", true),
        create_constraint: bool_kw("create_constraint", false),
        length,
        inherit_schema: bool_kw("inherit_schema", false),
        has_metadata: kw("metadata").is_some_and(|v| !v.is_none()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_postgresql_types() {
        let m = Mode::ONLINE;
        let c = |t| compile(&t, m).expect("compiles");
        assert_eq!(
            c(SqlType::Timestamp {
                timezone: true,
                precision: None
            }),
            "TIMESTAMP WITH TIME ZONE"
        );
        assert_eq!(
            c(SqlType::Array {
                item: Box::new(SqlType::String {
                    name: "VARCHAR",
                    length: None,
                    collation: Some("C".into())
                }),
                dimensions: Some(2)
            }),
            "VARCHAR[][] COLLATE \"C\""
        );
        assert_eq!(
            c(SqlType::Interval {
                fields: Some("DAY TO SECOND".into()),
                precision: Some(2)
            }),
            "INTERVAL DAY TO SECOND (2)"
        );
        assert_eq!(
            c(SqlType::Numeric {
                name: "NUMERIC",
                precision: Some(10),
                scale: Some(2)
            }),
            "NUMERIC(10, 2)"
        );
        assert!(compile(&SqlType::Null, m).is_err());
    }
}
