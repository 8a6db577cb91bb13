//! Data types: resolving type names as PostgreSQL does, printing them as
//! `format_type` does, and PostgreSQL's coercion rules (which casts are
//! implicit, assignment or explicit only).

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, TypeName};

use super::builtins::{BUILTINS, CastContext};
use super::error::{PgError, PgResult, code};
use super::model::{Oid, RelBody, TypeKind};
use super::names::{quote_ident, quote_qualified, str_of, strings};
use super::{Catalog, PG_CATALOG_OID};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A type in `pg_catalog`, by its `typname` (`int4`, `varchar`).
    Builtin(&'static str),
    /// An enum, domain, composite, range or extension type.
    User(Oid),
    /// The row type of a table, view or composite relation.
    Row(Oid),
    /// A type from an extension migsim has no member list for, as written.
    Assumed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypmodArg {
    Int(i64),
    Text(String),
}

/// A column's type: base type, modifiers (`varchar(255)` → `[255]`), array.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColType {
    pub base: TypeRef,
    pub typmods: Vec<TypmodArg>,
    pub array: bool,
}

impl ColType {
    pub fn builtin(name: &'static str) -> Self {
        ColType {
            base: TypeRef::Builtin(name),
            typmods: Vec::new(),
            array: false,
        }
    }

    /// A built-in type by name; `None` for names PostgreSQL does not have.
    pub fn named(name: &str) -> Option<Self> {
        BUILTINS.static_type_name(name).map(Self::builtin)
    }

    pub fn is(&self, name: &str) -> bool {
        !self.array && matches!(self.base, TypeRef::Builtin(n) if n == name)
    }

    pub fn element(&self) -> ColType {
        ColType {
            array: false,
            ..self.clone()
        }
    }

    pub fn array_of(&self) -> ColType {
        ColType {
            array: true,
            ..self.clone()
        }
    }

    pub fn same_type(&self, other: &ColType) -> bool {
        self.base == other.base && self.array == other.array
    }

    pub fn builtin_name(&self) -> Option<&'static str> {
        match self.base {
            TypeRef::Builtin(n) => Some(n),
            _ => None,
        }
    }
}

/// Built-in types that take modifiers, and how many.
fn typmod_arity(name: &str) -> Option<(usize, usize)> {
    Some(match name {
        "varchar" | "bpchar" | "bit" | "varbit" => (1, 1),
        "numeric" => (1, 2),
        "time" | "timetz" | "timestamp" | "timestamptz" => (1, 1),
        "interval" => (1, 2),
        _ => return None,
    })
}

// Interval field bits (datetime.h).
const MONTH: i64 = 1 << 1;
const YEAR: i64 = 1 << 2;
const DAY: i64 = 1 << 3;
const HOUR: i64 = 1 << 10;
const MINUTE: i64 = 1 << 11;
const SECOND: i64 = 1 << 12;
const INTERVAL_FULL_RANGE: i64 = 0x7FFF;

fn interval_fields(mask: i64) -> Option<&'static str> {
    Some(match mask {
        m if m == YEAR => "year",
        m if m == MONTH => "month",
        m if m == DAY => "day",
        m if m == HOUR => "hour",
        m if m == MINUTE => "minute",
        m if m == SECOND => "second",
        m if m == YEAR | MONTH => "year to month",
        m if m == DAY | HOUR => "day to hour",
        m if m == DAY | HOUR | MINUTE => "day to minute",
        m if m == DAY | HOUR | MINUTE | SECOND => "day to second",
        m if m == HOUR | MINUTE => "hour to minute",
        m if m == HOUR | MINUTE | SECOND => "hour to second",
        m if m == MINUTE | SECOND => "minute to second",
        _ => return None,
    })
}

/// Types a column may store values of only through `format_type`'s
/// SQL-standard spelling.
fn sql_name(name: &str) -> &str {
    match name {
        "int2" => "smallint",
        "int4" => "integer",
        "int8" => "bigint",
        "float4" => "real",
        "float8" => "double precision",
        "bool" => "boolean",
        "varchar" => "character varying",
        "bpchar" => "character",
        "varbit" => "bit varying",
        "timestamp" => "timestamp without time zone",
        "timestamptz" => "timestamp with time zone",
        "time" => "time without time zone",
        "timetz" => "time with time zone",
        "char" => "\"char\"",
        other => other,
    }
}

fn typmod_text(args: &[TypmodArg]) -> String {
    args.iter()
        .map(|a| match a {
            TypmodArg::Int(i) => i.to_string(),
            TypmodArg::Text(t) => t.clone(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn type_error_pos(tn: &TypeName) -> i32 {
    tn.location
}

impl Catalog {
    /// Resolves a parsed type name (`typenameType`), validating modifiers.
    pub fn resolve_type(&self, tn: &TypeName) -> PgResult<ColType> {
        let names = strings(&tn.names);
        let array = !tn.array_bounds.is_empty();
        if tn.pct_type {
            return self.resolve_pct_type(&names, tn).map(|mut t| {
                t.array |= array;
                t
            });
        }
        let (schema, name) = match names.as_slice() {
            [n] => (None, *n),
            [s, n] | [_, s, n] => (Some(*s), *n),
            _ => {
                return Err(PgError::new(
                    code::SYNTAX_ERROR,
                    format!(
                        "improper qualified name (too many dotted names): {}",
                        names.join(".")
                    ),
                )
                .at(type_error_pos(tn)));
            }
        };
        let display = names.join(".");
        let base = self
            .lookup_type_name(schema, name)
            .map_err(|e| e.at(type_error_pos(tn)))?;
        let Some((base, mut elem_array)) = base else {
            return Err(PgError::new(
                code::UNDEFINED_OBJECT,
                format!("type \"{display}\" does not exist"),
            )
            .at(type_error_pos(tn)));
        };
        elem_array |= array;
        let typmods = self.resolve_typmods(&base, tn, &display)?;
        Ok(ColType {
            base,
            typmods,
            array: elem_array,
        })
    }

    /// Finds a type by name. The flag says the name denoted an array type
    /// (`_int4`).
    fn lookup_type_name(
        &self,
        schema: Option<&str>,
        name: &str,
    ) -> PgResult<Option<(TypeRef, bool)>> {
        let in_schema = |s: Oid, n: &str| -> Option<TypeRef> {
            if s == PG_CATALOG_OID {
                return BUILTINS.static_type_name(n).map(TypeRef::Builtin);
            }
            if let Some(t) = self.type_in_schema(s, n) {
                return Some(TypeRef::User(t));
            }
            let rel = self.rel_in_schema(s, n)?;
            match &self.relation(rel)?.body {
                RelBody::Table(_) | RelBody::View(_) => Some(TypeRef::Row(rel)),
                RelBody::CompositeType(t) => Some(TypeRef::User(*t)),
                _ => None,
            }
        };
        let find = |n: &str| -> PgResult<Option<TypeRef>> {
            match schema {
                Some(s) => {
                    let oid = self.lookup_schema(s)?;
                    Ok(in_schema(oid, n))
                }
                // The temporary schema (row types of temporary tables)
                // comes before even pg_catalog.
                None => Ok([super::PG_TEMP_OID, PG_CATALOG_OID]
                    .into_iter()
                    .chain(self.search_schemas())
                    .find_map(|s| in_schema(s, n))),
            }
        };
        if let Some(t) = find(name)? {
            return Ok(Some((t, false)));
        }
        if let Some(elem) = name.strip_prefix('_')
            && let Some(t) = find(elem)?
        {
            return Ok(Some((t, true)));
        }
        // A type from an extension migsim cannot list is assumed to exist.
        if self.has_unknown_extension() {
            let written = match schema {
                Some(s) => quote_qualified(s, name),
                None => quote_ident(name),
            };
            return Ok(Some((TypeRef::Assumed(written), false)));
        }
        Ok(None)
    }

    fn resolve_pct_type(&self, names: &[&str], tn: &TypeName) -> PgResult<ColType> {
        let (rel, col) = match names {
            [t, c] => (super::QualName::bare(t), *c),
            [s, t, c] => (super::QualName::new(Some(s), t), *c),
            _ => {
                return Err(PgError::new(
                    code::SYNTAX_ERROR,
                    format!(
                        "improper %TYPE reference (too few dotted names): {}",
                        names.join(".")
                    ),
                )
                .at(tn.location));
            }
        };
        let oid = self.require_relation(&rel).map_err(|e| e.at(tn.location))?;
        let table = self.table(oid);
        let ty = table.and_then(|t| t.column(col)).map(|c| c.ty.clone());
        ty.ok_or_else(|| {
            PgError::new(
                code::UNDEFINED_COLUMN,
                format!(
                    "column \"{col}\" of relation \"{}\" does not exist",
                    rel.name
                ),
            )
            .at(tn.location)
        })
    }

    fn resolve_typmods(
        &self,
        base: &TypeRef,
        tn: &TypeName,
        display: &str,
    ) -> PgResult<Vec<TypmodArg>> {
        if tn.typmods.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = Vec::with_capacity(tn.typmods.len());
        for m in &tn.typmods {
            args.push(typmod_arg(m).ok_or_else(|| {
                PgError::new(
                    code::SYNTAX_ERROR,
                    "type modifiers must be simple constants or identifiers",
                )
                .at(tn.location)
            })?);
        }
        let TypeRef::Builtin(name) = base else {
            // Extension types (vector(1536), geometry(Point, 4326)) validate
            // their own modifiers; migsim keeps them as written.
            if let TypeRef::User(oid) = base
                && let Some(t) = self.user_type(*oid)
                && !matches!(t.kind, TypeKind::Base { .. })
            {
                return Err(PgError::new(
                    code::SYNTAX_ERROR,
                    format!("type modifier is not allowed for type \"{display}\""),
                )
                .at(tn.location));
            }
            return Ok(args);
        };
        let Some((min, max)) = typmod_arity(name) else {
            return Err(PgError::new(
                code::SYNTAX_ERROR,
                format!("type modifier is not allowed for type \"{name}\""),
            )
            .at(tn.location));
        };
        let ints: Vec<i64> = args
            .iter()
            .map(|a| match a {
                TypmodArg::Int(i) => Ok(*i),
                TypmodArg::Text(_) => Err(PgError::new(
                    code::INVALID_PARAMETER_VALUE,
                    "invalid type modifier",
                )
                .at(tn.location)),
            })
            .collect::<PgResult<_>>()?;
        if ints.len() < min || ints.len() > max {
            return Err(
                PgError::new(code::INVALID_PARAMETER_VALUE, "invalid type modifier")
                    .at(tn.location),
            );
        }
        let err = |msg: String| PgError::new(code::INVALID_PARAMETER_VALUE, msg).at(tn.location);
        match *name {
            "varchar" | "bpchar" | "bit" | "varbit" => {
                let label = match *name {
                    "bpchar" => "char",
                    other => other,
                };
                if ints[0] < 1 {
                    return Err(err(format!("length for type {label} must be at least 1")));
                }
                if ints[0] > 10_485_760 {
                    return Err(err(format!(
                        "length for type {label} cannot exceed 10485760"
                    )));
                }
                Ok(args)
            }
            "numeric" => {
                let p = ints[0];
                if !(1..=1000).contains(&p) {
                    return Err(err(format!(
                        "NUMERIC precision {p} must be between 1 and 1000"
                    )));
                }
                let s = ints.get(1).copied().unwrap_or(0);
                if !(-1000..=1000).contains(&s) {
                    return Err(err(format!(
                        "NUMERIC scale {s} must be between -1000 and 1000"
                    )));
                }
                Ok(vec![TypmodArg::Int(p), TypmodArg::Int(s)])
            }
            "time" | "timetz" | "timestamp" | "timestamptz" => {
                let p = ints[0];
                if p < 0 {
                    return Err(err(format!(
                        "{}({p}) precision must not be negative",
                        sql_name(name).to_uppercase()
                    )));
                }
                // PostgreSQL warns and clamps to 6.
                Ok(vec![TypmodArg::Int(p.min(6))])
            }
            "interval" => {
                let mask = ints[0];
                if mask != INTERVAL_FULL_RANGE && interval_fields(mask).is_none() {
                    return Err(err("invalid INTERVAL type modifier".into()));
                }
                let mut out = vec![TypmodArg::Int(mask)];
                if let Some(p) = ints.get(1) {
                    out.push(TypmodArg::Int((*p).clamp(0, 6)));
                }
                Ok(out)
            }
            _ => Ok(args),
        }
    }

    /// `format_type` with user types schema-qualified: a spelling that
    /// means the same type whatever the `search_path`.
    pub fn type_sql(&self, ty: &ColType) -> String {
        self.format_type(ty, true)
    }

    /// The name PostgreSQL's messages use (`format_type_be`).
    pub fn type_display(&self, ty: &ColType) -> String {
        self.format_type(ty, false)
    }

    fn format_type(&self, ty: &ColType, qualify: bool) -> String {
        let mut out = match &ty.base {
            TypeRef::Builtin(name) => format_builtin(name, &ty.typmods),
            TypeRef::User(oid) => match self.user_type(*oid) {
                Some(t) => {
                    let base = if qualify || !self.search_schemas().contains(&t.schema) {
                        quote_qualified(self.schema_name(t.schema), &t.name)
                    } else {
                        quote_ident(&t.name)
                    };
                    if ty.typmods.is_empty() {
                        base
                    } else {
                        format!("{base}({})", typmod_text(&ty.typmods))
                    }
                }
                None => format!("<type {oid}>"),
            },
            TypeRef::Row(oid) => match self.relation(*oid) {
                Some(r) if qualify || !self.search_schemas().contains(&r.schema) => {
                    quote_qualified(self.schema_name(r.schema), &r.name)
                }
                Some(r) => quote_ident(&r.name),
                None => format!("<relation {oid}>"),
            },
            TypeRef::Assumed(name) => {
                if ty.typmods.is_empty() {
                    name.clone()
                } else {
                    format!("{name}({})", typmod_text(&ty.typmods))
                }
            }
        };
        if ty.array {
            out.push_str("[]");
        }
        out
    }

    /// Follows domains down to their base type.
    pub fn base_type(&self, ty: &ColType) -> ColType {
        let mut cur = ty.clone();
        for _ in 0..32 {
            let TypeRef::User(oid) = cur.base else { break };
            match self.user_type(oid).map(|t| &t.kind) {
                Some(TypeKind::Domain { base, .. }) if !cur.array => cur = base.clone(),
                _ => break,
            }
        }
        cur
    }

    /// `typcategory`: `N` numeric, `S` string, `D` datetime, `E` enum,
    /// `A` array, `C` composite, `U` user, `B` boolean...
    pub fn type_category(&self, ty: &ColType) -> char {
        if ty.array {
            return 'A';
        }
        match &self.base_type(ty).base {
            TypeRef::Builtin(n) => BUILTINS.builtin_type(n).map_or('U', |t| t.category),
            TypeRef::User(oid) => match self.user_type(*oid).map(|t| &t.kind) {
                Some(TypeKind::Enum { .. }) => 'E',
                Some(TypeKind::Composite { .. }) => 'C',
                Some(TypeKind::Range { .. }) => 'R',
                Some(TypeKind::Base { category }) => *category,
                _ => 'U',
            },
            TypeRef::Row(_) => 'C',
            TypeRef::Assumed(_) => 'U',
        }
    }

    /// Is there a coercion from `from` to `to` usable in `ctx`
    /// (`can_coerce_type` plus `find_coercion_pathway`)?
    pub fn can_coerce(&self, from: &ColType, to: &ColType, ctx: CastContext) -> bool {
        if from.same_type(to) {
            return true;
        }
        // Domains: a domain coerces like its base type, and a value reaches
        // a domain through the domain's base type.
        let from_b = self.base_type(from);
        let to_b = self.base_type(to);
        if from_b.same_type(&to_b) {
            return true;
        }
        let is_ext = |t: &ColType| match &t.base {
            TypeRef::Assumed(_) => true,
            TypeRef::User(o) => matches!(
                self.user_type(*o).map(|u| &u.kind),
                Some(TypeKind::Base { .. })
            ),
            _ => false,
        };
        // Extensions bring their own casts (citext <-> text, vector <->
        // real[]); migsim does not list them and assumes they exist.
        if is_ext(&from_b.element()) || is_ext(&to_b.element()) {
            return true;
        }
        let to_string = matches!(
            to_b.builtin_name(),
            Some("text" | "varchar" | "bpchar" | "name")
        ) && !to_b.array;
        let from_string = matches!(
            from_b.builtin_name(),
            Some("text" | "varchar" | "bpchar" | "name")
        ) && !from_b.array;
        if from_b.array && to_b.array {
            return self.can_coerce(&from_b.element(), &to_b.element(), ctx);
        }
        if !from_b.array
            && !to_b.array
            && let (Some(f), Some(t)) = (from_b.builtin_name(), to_b.builtin_name())
            && let Some(c) = BUILTINS.cast(f, t)
        {
            return c >= ctx;
        }
        // Automatic I/O conversion: anything to a string type is an
        // assignment cast, a string to anything is explicit.
        if to_string {
            return ctx <= CastContext::Assignment;
        }
        if from_string {
            return ctx == CastContext::Explicit;
        }
        false
    }

    /// Would PostgreSQL find equality operators for a foreign key from a
    /// column of `fk` type to a key column of `pk` type?
    pub fn fk_types_compatible(&self, fk: &ColType, pk: &ColType) -> bool {
        let fk_b = self.base_type(fk);
        let pk_b = self.base_type(pk);
        if fk_b.same_type(&pk_b) {
            return true;
        }
        // The primary key's btree operator family has cross-type equality
        // for these groups.
        let family = |t: &ColType| -> Option<&'static str> {
            if t.array {
                return None;
            }
            match t.builtin_name()? {
                "int2" | "int4" | "int8" => Some("integer"),
                "float4" | "float8" => Some("float"),
                "date" | "timestamp" | "timestamptz" => Some("datetime"),
                "text" | "varchar" | "name" => Some("text"),
                _ => None,
            }
        };
        if let (Some(a), Some(b)) = (family(&fk_b), family(&pk_b))
            && a == b
        {
            return true;
        }
        // Otherwise an implicit cast of the referencing type to the
        // operator class's input type (varchar keys use text's class).
        let opc_input = if pk_b.is("varchar") {
            ColType::builtin("text")
        } else {
            pk_b.clone()
        };
        self.can_coerce(&fk_b, &opc_input, CastContext::Implicit)
    }
}

fn format_builtin(name: &str, typmods: &[TypmodArg]) -> String {
    let ints: Vec<i64> = typmods
        .iter()
        .filter_map(|t| match t {
            TypmodArg::Int(i) => Some(*i),
            TypmodArg::Text(_) => None,
        })
        .collect();
    match (name, ints.as_slice()) {
        (_, []) => sql_name(name).to_string(),
        ("timestamp" | "timestamptz" | "time" | "timetz", [p]) => {
            let zone = if name.ends_with("tz") {
                "with"
            } else {
                "without"
            };
            let base = if name.starts_with("timestamp") {
                "timestamp"
            } else {
                "time"
            };
            format!("{base}({p}) {zone} time zone")
        }
        ("interval", [mask, rest @ ..]) => {
            let mut s = String::from("interval");
            if let Some(f) = interval_fields(*mask) {
                s.push(' ');
                s.push_str(f);
            }
            if let [p] = rest {
                s.push_str(&format!("({p})"));
            }
            s
        }
        ("numeric", [p, s]) => format!("numeric({p},{s})"),
        _ => format!("{}({})", sql_name(name), typmod_text(typmods)),
    }
}

fn typmod_arg(node: &Node) -> Option<TypmodArg> {
    use pg_query::protobuf::a_const::Val;
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            Val::Ival(i) => Some(TypmodArg::Int(i.ival as i64)),
            Val::Fval(f) => f.fval.parse().ok().map(TypmodArg::Int),
            Val::Sval(s) => Some(TypmodArg::Text(s.sval.clone())),
            _ => None,
        },
        NodeEnum::ColumnRef(c) => {
            let parts: Vec<&str> = c.fields.iter().filter_map(str_of).collect();
            (parts.len() == 1).then(|| TypmodArg::Text(parts[0].to_string()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_of(c: &Catalog, sql: &str) -> PgResult<String> {
        let parsed = pg_query::parse(&format!("CREATE TABLE t (c {sql})"), 0).unwrap();
        let Some(NodeEnum::CreateStmt(cs)) = parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.clone())
        else {
            panic!()
        };
        let Some(NodeEnum::ColumnDef(cd)) = cs.table_elts[0].node.clone() else {
            panic!()
        };
        c.resolve_type(cd.type_name.as_ref().unwrap())
            .map(|t| c.type_sql(&t))
    }

    #[test]
    fn formats_like_format_type() {
        let c = Catalog::new();
        assert_eq!(type_of(&c, "INTEGER").unwrap(), "integer");
        assert_eq!(type_of(&c, "int4").unwrap(), "integer");
        assert_eq!(
            type_of(&c, "VARCHAR(255)").unwrap(),
            "character varying(255)"
        );
        assert_eq!(type_of(&c, "numeric(10)").unwrap(), "numeric(10,0)");
        assert_eq!(
            type_of(&c, "timestamp(3) with time zone").unwrap(),
            "timestamp(3) with time zone"
        );
        assert_eq!(
            type_of(&c, "TIMESTAMPTZ").unwrap(),
            "timestamp with time zone"
        );
        assert_eq!(type_of(&c, "text[]").unwrap(), "text[]");
        assert_eq!(type_of(&c, "int[][]").unwrap(), "integer[]");
        assert_eq!(type_of(&c, "char").unwrap(), "character(1)");
        assert_eq!(
            type_of(&c, "interval year to month").unwrap(),
            "interval year to month"
        );
        assert_eq!(type_of(&c, "interval(3)").unwrap(), "interval(3)");
        assert_eq!(type_of(&c, "double precision").unwrap(), "double precision");
        assert_eq!(type_of(&c, "float").unwrap(), "double precision");
        assert_eq!(type_of(&c, "float(10)").unwrap(), "real");
        assert_eq!(type_of(&c, "_int4").unwrap(), "integer[]");
    }

    #[test]
    fn rejects_what_postgres_rejects() {
        let c = Catalog::new();
        assert_eq!(type_of(&c, "nosuchtype").unwrap_err().sqlstate, "42704");
        assert_eq!(
            type_of(&c, "varchar(0)").unwrap_err().message,
            "length for type varchar must be at least 1"
        );
        assert_eq!(type_of(&c, "int4(5)").unwrap_err().sqlstate, "42601");
        assert_eq!(type_of(&c, "numeric(2000)").unwrap_err().sqlstate, "22023");
    }

    #[test]
    fn coercion_contexts() {
        let c = Catalog::new();
        let t = |n| ColType::builtin(n);
        assert!(c.can_coerce(&t("int4"), &t("int8"), CastContext::Implicit));
        assert!(!c.can_coerce(&t("int8"), &t("int4"), CastContext::Implicit));
        assert!(c.can_coerce(&t("int8"), &t("int4"), CastContext::Assignment));
        assert!(c.can_coerce(&t("int4"), &t("text"), CastContext::Assignment));
        assert!(!c.can_coerce(&t("text"), &t("int4"), CastContext::Assignment));
        assert!(c.can_coerce(&t("text"), &t("int4"), CastContext::Explicit));
        assert!(!c.can_coerce(&t("int4"), &t("bool"), CastContext::Assignment));
        assert!(!c.can_coerce(&t("int4"), &t("uuid"), CastContext::Explicit));
        assert!(c.can_coerce(&t("uuid"), &t("text"), CastContext::Assignment));
        assert!(c.fk_types_compatible(&t("int8"), &t("int4")));
        assert!(c.fk_types_compatible(&t("text"), &t("varchar")));
        assert!(c.fk_types_compatible(&t("int4"), &t("numeric")));
        assert!(!c.fk_types_compatible(&t("uuid"), &t("int4")));
        assert!(!c.fk_types_compatible(&t("numeric"), &t("int4")));
    }
}
