//! The DDL elements Alembic's impl executes, and their compilation by
//! SQLAlchemy's PostgreSQL DDL compiler (`PGDDLCompiler`) and Alembic's
//! `ddl/base.py` / `ddl/postgresql.py` constructs.

use std::sync::LazyLock;

use regex::Regex;

use super::dml::{self, Executable};
use super::expr::{self, Against, BindNames, Cx, Expr};
use super::model::{
    CName, Column, Computed, Constraint, ConstraintKind, Identity, Index, ServerDefault, Table,
};
use super::naming::{self, Kind, NameCol, Subject};
use super::quote::{self, Mode, ObjName};
use super::types::{self, EnumType, SqlType};
use super::{LowerCtx, LowerError, Statement, StatementKind};
use crate::alembic::sink::TextMap;
use crate::source::Loc;

/// One thing Alembic's impl executes (or a raise in the middle of a
/// sequence of them).
#[derive(Debug, Clone)]
pub(crate) enum Element {
    CreateEnum(EnumType),
    DropEnum(EnumType),
    CreateTable {
        table: Box<Table>,
        if_not_exists: bool,
    },
    DropTable {
        name: String,
        schema: Option<String>,
        if_exists: bool,
    },
    CreateIndex {
        index: Index,
        if_not_exists: bool,
    },
    DropIndex {
        index: Index,
        if_exists: bool,
    },
    TableComment {
        table: String,
        schema: Option<String>,
        comment: Option<String>,
    },
    ColumnComment {
        table: String,
        schema: Option<String>,
        column: String,
        comment: Option<String>,
    },
    AddColumn {
        table: Box<Table>,
        column: String,
        if_not_exists: bool,
        inline_references: bool,
        inline_primary_key: bool,
    },
    DropColumn {
        table: String,
        schema: Option<String>,
        column: String,
        if_exists: bool,
    },
    AddConstraint {
        table: Box<Table>,
        constraint: Constraint,
    },
    DropConstraint {
        table: String,
        schema: Option<String>,
        name: Option<ObjName>,
        /// The constraint's Python `repr()`, for the error when unnamed.
        repr: String,
        if_exists: bool,
    },
    RenameTable {
        old: String,
        new: String,
        schema: Option<String>,
    },
    AlterColumn(Box<AlterColumn>),
    Execute(Executable),
    /// Alembic raises here, after the elements before it ran.
    Raise(LowerError),
}

/// `PostgresqlImpl.alter_column`'s arguments.
#[derive(Debug, Clone)]
pub(crate) struct AlterColumn {
    pub table: String,
    pub schema: Option<String>,
    pub column: String,
    pub nullable: Option<bool>,
    /// `None`: unchanged; `Some(None)`: `DROP DEFAULT`.
    pub server_default: Option<Option<DefaultChange>>,
    pub existing_server_default: Option<DefaultChange>,
    pub new_name: Option<String>,
    pub type_: Option<SqlType>,
    pub using: Option<String>,
    /// `None`: unchanged; `Some(None)`: `IS NULL`.
    pub comment: Option<Option<String>>,
}

#[derive(Debug, Clone)]
pub(crate) enum DefaultChange {
    Default(ServerDefault),
    /// Any `Computed(...)`: Alembic refuses to add or remove one.
    Computed,
    Identity(Identity),
}

fn compile_error(msg: impl Into<String>, loc: &Loc) -> LowerError {
    LowerError::would_fail("sqlalchemy.exc.CompileError", msg, loc)
}

/// Compiles one element into statements (both renderings).
pub(crate) fn compile(
    el: &Element,
    ctx: &LowerCtx,
    loc: &Loc,
) -> Result<Vec<Statement>, LowerError> {
    if let Element::Raise(e) = el {
        return Err(e.clone());
    }
    if let Element::AlterColumn(ac) = el {
        return compile_alter_column(ac, ctx, loc);
    }
    if let Element::Execute(x) = el {
        return dml::compile_executable(x, ctx, loc);
    }
    let online = render(el, Mode::ONLINE, loc)?;
    let offline = render(el, Mode::OFFLINE, loc)?;
    Ok(vec![statement(
        online,
        &offline,
        StatementKind::Schema,
        None,
        loc,
    )])
}

/// Alembic's `_exec` in `--sql` mode: tabs become four spaces, the text is
/// stripped and the terminator appended.
pub(crate) fn offline_text(compiled: &str) -> String {
    format!("{};", compiled.replace('\t', "    ").trim())
}

pub(crate) fn statement(
    online: String,
    offline: &str,
    kind: StatementKind,
    text_map: Option<TextMap>,
    loc: &Loc,
) -> Statement {
    Statement {
        sql: online,
        offline: offline_text(offline),
        text_map,
        kind,
        loc: loc.clone(),
        online_error: None,
    }
}

fn render(el: &Element, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    match el {
        Element::CreateEnum(e) => {
            let name = types::format_enum_name(e, m).map_err(|msg| compile_error(msg, loc))?;
            let values: Vec<String> = e
                .values
                .iter()
                .map(|v| quote::string_literal(v, m))
                .collect();
            Ok(format!(
                "CREATE TYPE {name} AS ENUM ({})",
                values.join(", ")
            ))
        }
        Element::DropEnum(e) => {
            let name = types::format_enum_name(e, m).map_err(|msg| compile_error(msg, loc))?;
            Ok(format!("DROP TYPE {name}"))
        }
        Element::CreateTable {
            table,
            if_not_exists,
        } => create_table(table, *if_not_exists, m, loc),
        Element::DropTable {
            name,
            schema,
            if_exists,
        } => Ok(format!(
            "\nDROP TABLE {}{}",
            if *if_exists { "IF EXISTS " } else { "" },
            quote::table(name, schema.as_deref(), m)
        )),
        Element::CreateIndex {
            index,
            if_not_exists,
        } => create_index(index, *if_not_exists, m, loc),
        Element::DropIndex { index, if_exists } => {
            let mut s = "\nDROP INDEX ".to_string();
            if index.opts.concurrently {
                s.push_str("CONCURRENTLY ");
            }
            if *if_exists {
                s.push_str("IF EXISTS ");
            }
            s.push_str(&index_name(index, true, m, loc)?);
            Ok(s)
        }
        Element::TableComment {
            table,
            schema,
            comment,
        } => Ok(format!(
            "COMMENT ON TABLE {} IS {}",
            quote::table(table, schema.as_deref(), m),
            comment
                .as_deref()
                .map(|c| quote::string_literal(c, m))
                .unwrap_or_else(|| "NULL".into())
        )),
        Element::ColumnComment {
            table,
            schema,
            column,
            comment,
        } => Ok(format!(
            "COMMENT ON COLUMN {}.{} IS {}",
            quote::table(table, schema.as_deref(), m),
            quote::quote(column, m),
            comment
                .as_deref()
                .map(|c| quote::string_literal(c, m))
                .unwrap_or_else(|| "NULL".into())
        )),
        Element::AddColumn {
            table,
            column,
            if_not_exists,
            inline_references,
            inline_primary_key,
        } => add_column(
            table,
            column,
            *if_not_exists,
            *inline_references,
            *inline_primary_key,
            m,
            loc,
        ),
        Element::DropColumn {
            table,
            schema,
            column,
            if_exists,
        } => Ok(format!(
            "ALTER TABLE {} DROP COLUMN {}{}",
            quote::table(table, schema.as_deref(), m),
            if *if_exists { "IF EXISTS " } else { "" },
            quote::quote(column, m)
        )),
        Element::AddConstraint { table, constraint } => {
            let body = constraint_ddl(constraint, table, m, loc)?;
            Ok(format!(
                "ALTER TABLE {} ADD {body}",
                quote::table(&table.name, table.schema.as_deref(), m)
            ))
        }
        Element::DropConstraint {
            table,
            schema,
            name,
            repr,
            if_exists,
        } => {
            let Some(name) = name else {
                return Err(compile_error(
                    format!("Can't emit DROP CONSTRAINT for constraint {repr}; it has no name"),
                    loc,
                ));
            };
            let rendered = constraint_name(name, m, loc)?;
            Ok(format!(
                "ALTER TABLE {} DROP CONSTRAINT {}{rendered}",
                quote::table(table, schema.as_deref(), m),
                if *if_exists { "IF EXISTS " } else { "" }
            ))
        }
        Element::RenameTable { old, new, schema } => Ok(format!(
            "ALTER TABLE {} RENAME TO {}",
            quote::table(old, schema.as_deref(), m),
            quote::quote(new, m)
        )),
        Element::AlterColumn(_) | Element::Execute(_) | Element::Raise(_) => {
            Err(LowerError::unsupported("element compiled elsewhere", loc))
        }
    }
}

/// `repr()` of the unnamed constraint `generic_constraint` makes (object
/// addresses are not reproducible: `0x0` stands for them).
pub(crate) fn constraint_repr(class: &str, table: &str, schema: Option<&str>) -> String {
    let table_repr = format!(
        "Table({}, MetaData(), schema={})",
        expr::py_str_repr(table),
        schema
            .map(expr::py_str_repr)
            .unwrap_or_else(|| "None".into())
    );
    const RULE: &str =
        "_create_rule=<sqlalchemy.util.langhelpers.portable_instancemethod object at 0x0>";
    match class {
        "CheckConstraint" => format!(
            "CheckConstraint(<sqlalchemy.sql.elements.TextClause object at 0x0>, table={table_repr}, {RULE})"
        ),
        "ForeignKeyConstraint" => format!(
            "ForeignKeyConstraint(<sqlalchemy.sql.base.ReadOnlyColumnCollection object at 0x0>, None, table={table_repr})"
        ),
        "PrimaryKeyConstraint" | "UniqueConstraint" => format!("{class}()"),
        _ => format!("Constraint({RULE})"),
    }
}

/// `truncate_and_render_constraint_name`.
pub(crate) fn constraint_name(name: &ObjName, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    let t = quote::truncate_name(name)
        .map_err(|msg| LowerError::would_fail("sqlalchemy.exc.IdentifierError", msg, loc))?;
    Ok(quote::quote(&t, m))
}

fn cx(m: Mode) -> Cx {
    Cx {
        mode: m,
        include_table: false,
        literal_binds: true,
        sent_bound: false,
    }
}

pub(crate) fn compile_expr(e: &Expr, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    expr::compile(e, cx(m), &mut BindNames::default()).map_err(|msg| compile_error(msg, loc))
}

fn create_table(t: &Table, if_not_exists: bool, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    let mut text = "\nCREATE ".to_string();
    if !t.prefixes.is_empty() {
        text.push_str(&t.prefixes.join(" "));
        text.push(' ');
    }
    text.push_str("TABLE ");
    if if_not_exists {
        text.push_str("IF NOT EXISTS ");
    }
    text.push_str(&quote::table(&t.name, t.schema.as_deref(), m));
    text.push_str(" (");
    let mut separator = "\n";
    let autoinc = t
        .autoincrement_column()
        .map_err(|msg| LowerError::would_fail("sqlalchemy.exc.ArgumentError", msg, loc))?
        .map(|c| c.name.clone());
    for col in &t.columns {
        if col.system {
            continue;
        }
        let wrap = |e: LowerError| match e {
            LowerError::WouldFail(mut w) if w.exception == "sqlalchemy.exc.CompileError" => {
                w.message = format!(
                    "(in table '{}', column '{}'): {}",
                    t.name, col.name, w.message
                );
                LowerError::WouldFail(w)
            }
            other => other,
        };
        let mut spec = column_spec(col, t, autoinc.as_deref(), m, loc).map_err(wrap)?;
        let checks = col
            .checks
            .iter()
            .map(|k| constraint_ddl(k, t, m, loc))
            .collect::<Result<Vec<_>, _>>()
            .map_err(wrap)?;
        if !checks.is_empty() {
            spec.push(' ');
            spec.push_str(&checks.join(" "));
        }
        text.push_str(separator);
        separator = ", \n";
        text.push('\t');
        text.push_str(&spec);
    }
    let mut parts = Vec::new();
    if !t.pk_columns().is_empty() {
        parts.push(constraint_ddl(&t.primary_key, t, m, loc)?);
    }
    for k in &t.constraints {
        if !should_create(k) {
            continue;
        }
        if let ConstraintKind::ForeignKey { opts, .. } = &k.kind {
            // PostgreSQL supports ALTER: a `use_alter` foreign key is left
            // for a later ALTER, which Alembic's create_table never emits.
            if opts.use_alter {
                continue;
            }
        }
        parts.push(constraint_ddl(k, t, m, loc)?);
    }
    let consts = parts.join(", \n\t");
    if !consts.is_empty() {
        text.push_str(separator);
        text.push('\t');
        text.push_str(&consts);
    }
    text.push_str("\n)");
    text.push_str(&post_create_table(t, m));
    text.push_str("\n\n");
    Ok(text)
}

/// `_create_rule`: an enum's CHECK exists only for non-native enums, which
/// is how it was made; everything else is created.
fn should_create(_k: &Constraint) -> bool {
    true
}

fn post_create_table(t: &Table, m: Mode) -> String {
    let mut s = String::new();
    let o = &t.opts;
    if !o.inherits.is_empty() {
        let names: Vec<String> = o.inherits.iter().map(|n| quote::quote(n, m)).collect();
        s.push_str(&format!("\n INHERITS ( {} )", names.join(", ")));
    }
    if let Some(p) = &o.partition_by {
        s.push_str(&format!("\n PARTITION BY {p}"));
    }
    if let Some(u) = &o.using {
        s.push_str(&format!("\n USING {u}"));
    }
    match o.with_oids {
        Some(true) => s.push_str("\n WITH OIDS"),
        Some(false) => s.push_str("\n WITHOUT OIDS"),
        None => {}
    }
    if let Some(c) = &o.on_commit {
        s.push_str(&format!(
            "\n ON COMMIT {}",
            c.replace('_', " ").to_uppercase()
        ));
    }
    if let Some(ts) = &o.tablespace {
        s.push_str(&format!("\n TABLESPACE {}", quote::quote(ts, m)));
    }
    s
}

/// `PGDDLCompiler.get_column_specification`.
pub(crate) fn column_spec(
    col: &Column,
    table: &Table,
    autoinc: Option<&str>,
    m: Mode,
    loc: &Loc,
) -> Result<String, LowerError> {
    let mut spec = quote::quote(&col.name, m);
    let has_identity = col.identity.is_some();
    let is_serial = col.primary_key
        && autoinc == Some(col.name.as_str())
        && !has_identity
        && (!col.has_default || col.default_is_optional_sequence);
    if is_serial {
        spec.push_str(match col.ty {
            SqlType::BigInteger => " BIGSERIAL",
            SqlType::SmallInteger => " SMALLSERIAL",
            _ => " SERIAL",
        });
    } else {
        let ty = types::compile(&col.ty, m).map_err(|msg| compile_error(msg, loc))?;
        spec.push(' ');
        spec.push_str(&ty);
        if let Some(d) = default_string(col.server_default.as_ref(), m, loc)? {
            spec.push_str(" DEFAULT ");
            spec.push_str(&d);
        }
    }
    if let Some(c) = &col.computed {
        spec.push(' ');
        spec.push_str(&computed_ddl(c, m, loc)?);
    }
    if let Some(i) = &col.identity {
        spec.push(' ');
        spec.push_str(&identity_ddl(i));
    }
    if !col.nullable && !has_identity {
        spec.push_str(" NOT NULL");
    } else if col.nullable && has_identity {
        spec.push_str(" NULL");
    }
    let _ = table;
    Ok(spec)
}

/// `get_column_default_string`.
pub(crate) fn default_string(
    d: Option<&ServerDefault>,
    m: Mode,
    loc: &Loc,
) -> Result<Option<String>, LowerError> {
    Ok(match d {
        None | Some(ServerDefault::Fetched) => None,
        Some(ServerDefault::Str(s)) => Some(quote::string_literal(s, m)),
        Some(ServerDefault::Expr(e)) => Some(compile_expr(e, m, loc)?),
    })
}

fn computed_ddl(c: &Computed, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    if c.persisted == Some(false) {
        return Err(compile_error(
            "PostrgreSQL computed columns do not support 'virtual' persistence; set the 'persisted' flag to None or True for PostgreSQL support.",
            loc,
        ));
    }
    Ok(format!(
        "GENERATED ALWAYS AS ({}) STORED",
        compile_expr(&c.sqltext, m, loc)?
    ))
}

pub(crate) fn identity_options(i: &Identity) -> String {
    let mut parts = Vec::new();
    if let Some(v) = i.increment {
        parts.push(format!("INCREMENT BY {v}"));
    }
    if let Some(v) = i.start {
        parts.push(format!("START WITH {v}"));
    }
    if let Some(v) = i.minvalue {
        parts.push(format!("MINVALUE {v}"));
    }
    if let Some(v) = i.maxvalue {
        parts.push(format!("MAXVALUE {v}"));
    }
    if i.nominvalue.is_some() {
        parts.push("NO MINVALUE".into());
    }
    if i.nomaxvalue.is_some() {
        parts.push("NO MAXVALUE".into());
    }
    if let Some(v) = i.cache {
        parts.push(format!("CACHE {v}"));
    }
    if let Some(c) = i.cycle {
        parts.push(if c { "CYCLE" } else { "NO CYCLE" }.into());
    }
    parts.join(" ")
}

pub(crate) fn identity_ddl(i: &Identity) -> String {
    let mut s = format!(
        "GENERATED {} AS IDENTITY",
        if i.always { "ALWAYS" } else { "BY DEFAULT" }
    );
    let o = identity_options(i);
    if !o.is_empty() {
        s.push_str(&format!(" ({o})"));
    }
    s
}

const SQL_KEYWORD_PHRASE_SRC: &str = r"^\w+(?:\s+\w+)*$";
const FK_ONDELETE_SRC: &str = r#"^\w+(?:\s+\w+)*(?:\s*\(\s*(?:[\w$]+|"(?:[^"]|"")+")(?:\s*,\s*(?:[\w$]+|"(?:[^"]|"")+"))*\s*\))?$"#;
const IDX_USING_SRC: &str = r"^(?:btree|hash|gist|gin|[\w_]+)$";

static SQL_KEYWORD_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(SQL_KEYWORD_PHRASE_SRC).unwrap_or_else(|_| unreachable_regex()));
static FK_ONDELETE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(FK_ONDELETE_SRC).unwrap_or_else(|_| unreachable_regex()));

/// The patterns above are constants that compile; this is never reached.
fn unreachable_regex() -> Regex {
    // An empty pattern always compiles.
    Regex::new("").unwrap_or_else(|_| unreachable_regex())
}

/// `validate_sql_phrase`; the message shows both as Python `repr`s.
fn phrase<'s>(value: &'s str, re: &Regex, pattern: &str, loc: &Loc) -> Result<&'s str, LowerError> {
    if re.is_match(value) {
        Ok(value)
    } else {
        Err(compile_error(
            format!(
                "Unexpected SQL phrase: {} (matching against {})",
                expr::py_str_repr(value),
                expr::py_str_repr(pattern)
            ),
            loc,
        ))
    }
}

fn keyword_phrase<'s>(value: &'s str, loc: &Loc) -> Result<&'s str, LowerError> {
    phrase(value, &SQL_KEYWORD_PHRASE, SQL_KEYWORD_PHRASE_SRC, loc)
}

fn deferrability(k: &Constraint, loc: &Loc) -> Result<String, LowerError> {
    let mut s = String::new();
    match k.deferrable {
        Some(true) => s.push_str(" DEFERRABLE"),
        Some(false) => s.push_str(" NOT DEFERRABLE"),
        None => {}
    }
    if let Some(i) = &k.initially {
        s.push_str(&format!(" INITIALLY {}", keyword_phrase(i, loc)?));
    }
    Ok(s)
}

/// The constraint's rendered name, after the naming convention for names
/// deferred to compile time.
fn preamble(k: &Constraint, t: &Table, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    let name = match &k.name {
        CName::Given(n) => Some(n.clone()),
        CName::None => None,
        CName::Deferred => {
            let cols: Vec<NameCol> = match &k.kind {
                ConstraintKind::Check { sqltext, .. } => column_names_in(sqltext)
                    .into_iter()
                    .map(|c| NameCol {
                        name: c.clone(),
                        key: c,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let s = Subject {
                kind: Kind::Check,
                name: None,
                table: &t.name,
                schema: t.schema.as_deref(),
                columns: &cols,
                referred_table: None,
                referred_columns: &[],
            };
            naming::convention_name(
                // The convention is that of the table's metadata.
                &t.naming, &s,
            )
            .map_err(|(c, msg)| LowerError::would_fail(&c, msg, loc))?
        }
    };
    Ok(match name {
        Some(n) => format!("CONSTRAINT {} ", constraint_name(&n, m, loc)?),
        None => String::new(),
    })
}

fn column_names_in(e: &Expr) -> Vec<String> {
    match e {
        Expr::In { expr, .. } => column_names_in(expr),
        Expr::Column(c) => vec![c.name.clone()],
        _ => Vec::new(),
    }
}

fn quoted_list(cols: &[String], m: Mode) -> String {
    cols.iter()
        .map(|c| quote::quote(c, m))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `_define_include`: each name is looked up in the table's columns.
fn include(k: &Constraint, t: &Table, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    if k.include.is_empty() {
        return Ok(String::new());
    }
    for c in &k.include {
        if t.column(c).is_none() {
            return Err(LowerError::would_fail(
                "KeyError",
                expr::py_str_repr(c),
                loc,
            ));
        }
    }
    Ok(format!(" INCLUDE ({})", quoted_list(&k.include, m)))
}

/// A table-level constraint's DDL (`visit_*_constraint`).
pub(crate) fn constraint_ddl(
    k: &Constraint,
    t: &Table,
    m: Mode,
    loc: &Loc,
) -> Result<String, LowerError> {
    let pre = preamble(k, t, m, loc)?;
    Ok(match &k.kind {
        ConstraintKind::PrimaryKey { columns, implicit } => {
            let mut cols = columns.clone();
            if *implicit {
                // `columns_autoinc_first`.
                if let Ok(Some(a)) = t.autoincrement_column()
                    && let Some(i) = cols.iter().position(|c| *c == a.key)
                {
                    let c = cols.remove(i);
                    cols.insert(0, c);
                }
            }
            let cols: Vec<String> = cols
                .iter()
                .map(|k| {
                    t.column(k)
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| k.clone())
                })
                .collect();
            format!(
                "{pre}PRIMARY KEY ({}){}{}",
                quoted_list(&cols, m),
                include(k, t, m, loc)?,
                deferrability(k, loc)?
            )
        }
        ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
        } => {
            if columns.is_empty() {
                return Ok(String::new());
            }
            let cols: Vec<String> = columns
                .iter()
                .map(|k| {
                    t.column(k)
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| k.clone())
                })
                .collect();
            let distinct = match nulls_not_distinct {
                Some(true) => "NULLS NOT DISTINCT ",
                Some(false) => "NULLS DISTINCT ",
                None => "",
            };
            format!(
                "{pre}UNIQUE {distinct}({}){}{}",
                quoted_list(&cols, m),
                include(k, t, m, loc)?,
                deferrability(k, loc)?
            )
        }
        ConstraintKind::Check { sqltext, .. } => {
            format!(
                "{pre}CHECK ({}){}{}",
                compile_expr(sqltext, m, loc)?,
                deferrability(k, loc)?,
                if k.not_valid { " NOT VALID" } else { "" }
            )
        }
        ConstraintKind::ForeignKey {
            columns,
            ref_schema,
            ref_table,
            ref_columns,
            opts,
        } => {
            let cols: Vec<String> = columns
                .iter()
                .map(|k| {
                    t.column(k)
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| k.clone())
                })
                .collect();
            let mut s = format!(
                "{pre}FOREIGN KEY({}) REFERENCES {} ({})",
                quoted_list(&cols, m),
                quote::table(ref_table, ref_schema.as_deref(), m),
                quoted_list(ref_columns, m)
            );
            if let Some(x) = &opts.match_ {
                s.push_str(&format!(" MATCH {}", keyword_phrase(x, loc)?));
            }
            if let Some(x) = &opts.ondelete {
                s.push_str(&format!(
                    " ON DELETE {}",
                    phrase(x, &FK_ONDELETE, FK_ONDELETE_SRC, loc)?
                ));
            }
            if let Some(x) = &opts.onupdate {
                s.push_str(&format!(" ON UPDATE {}", keyword_phrase(x, loc)?));
            }
            s.push_str(&deferrability(k, loc)?);
            if k.not_valid {
                s.push_str(" NOT VALID");
            }
            s
        }
        ConstraintKind::Exclude {
            elements,
            using,
            where_,
            ops,
        } => {
            let mut parts = Vec::new();
            for (e, op) in elements {
                let mut el = compile_expr(e, m, loc)?;
                if let Expr::Column(c) = e
                    && let Some((_, o)) = ops.iter().find(|(k, _)| *k == c.name)
                {
                    el.push(' ');
                    el.push_str(o);
                }
                parts.push(format!("{el} WITH {op}"));
            }
            let using = phrase(using, &IDX_USING, IDX_USING_SRC, loc)?;
            let mut s = format!(
                "{pre}EXCLUDE USING {} ({})",
                using.to_lowercase(),
                parts.join(", ")
            );
            if let Some(w) = where_ {
                s.push_str(&format!(" WHERE ({})", compile_expr(w, m, loc)?));
            }
            s.push_str(&deferrability(k, loc)?);
            s
        }
        ConstraintKind::Generic => {
            return Err(LowerError::unsupported(
                "creating a generic constraint",
                loc,
            ));
        }
    })
}

static IDX_USING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?i){IDX_USING_SRC}")).unwrap_or_else(|_| unreachable_regex())
});

fn index_name(ix: &Index, include_schema: bool, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    let Some(name) = &ix.name else {
        // `format_constraint`: `assert name is not None`.
        return Err(LowerError::would_fail("AssertionError", "", loc));
    };
    let t = quote::truncate_name(name)
        .map_err(|msg| LowerError::would_fail("sqlalchemy.exc.IdentifierError", msg, loc))?;
    let q = quote::quote(&t, m);
    Ok(match (&ix.schema, include_schema) {
        (Some(s), true) if !s.is_empty() => format!("{}.{q}", quote::quote(s, m)),
        _ => q,
    })
}

/// `PGDDLCompiler.visit_create_index`.
fn create_index(ix: &Index, if_not_exists: bool, m: Mode, loc: &Loc) -> Result<String, LowerError> {
    let mut s = "CREATE ".to_string();
    if ix.unique {
        s.push_str("UNIQUE ");
    }
    s.push_str("INDEX ");
    if ix.opts.concurrently {
        s.push_str("CONCURRENTLY ");
    }
    if if_not_exists {
        s.push_str("IF NOT EXISTS ");
    }
    s.push_str(&format!(
        "{} ON {} ",
        index_name(ix, false, m, loc)?,
        quote::table(&ix.table, ix.schema.as_deref(), m)
    ));
    if let Some(u) = &ix.opts.using {
        let u = phrase(u, &IDX_USING, IDX_USING_SRC, loc)?;
        s.push_str(&format!("USING {} ", u.to_lowercase()));
    }
    let mut exprs = Vec::new();
    for e in &ix.expressions {
        let grouped = match &e.expr {
            Expr::Column(_) => e.expr.clone(),
            other => other.clone().self_group(Against::None),
        };
        let mut r = compile_expr(&grouped, m, loc)?;
        if let Some(k) = &e.key
            && let Some((_, op)) = ix.opts.ops.iter().find(|(ok, _)| ok == k)
        {
            r.push(' ');
            r.push_str(op);
        }
        exprs.push(r);
    }
    s.push_str(&format!("({})", exprs.join(", ")));
    if !ix.opts.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", quoted_list(&ix.opts.include, m)));
    }
    match ix.opts.nulls_not_distinct {
        Some(true) => s.push_str(" NULLS NOT DISTINCT"),
        Some(false) => s.push_str(" NULLS DISTINCT"),
        None => {}
    }
    if !ix.opts.with.is_empty() {
        let parts: Vec<String> = ix
            .opts
            .with
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        s.push_str(&format!(" WITH ({})", parts.join(", ")));
    }
    if let Some(ts) = &ix.opts.tablespace {
        s.push_str(&format!(" TABLESPACE {}", quote::quote(ts, m)));
    }
    if let Some(w) = &ix.opts.where_ {
        s.push_str(&format!(" WHERE {}", compile_expr(w, m, loc)?));
    }
    Ok(s)
}

/// Alembic's `add_column` (`ddl/base.py`).
fn add_column(
    t: &Table,
    column: &str,
    if_not_exists: bool,
    inline_references: bool,
    inline_primary_key: bool,
    m: Mode,
    loc: &Loc,
) -> Result<String, LowerError> {
    let Some(col) = t.column(column) else {
        return Err(LowerError::unsupported(
            "add_column of a missing column",
            loc,
        ));
    };
    let autoinc = t
        .autoincrement_column()
        .map_err(|msg| LowerError::would_fail("sqlalchemy.exc.ArgumentError", msg, loc))?
        .map(|c| c.name.clone());
    let mut s = format!(
        "ALTER TABLE {} ADD COLUMN {}{}",
        quote::table(&t.name, t.schema.as_deref(), m),
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        column_spec(col, t, autoinc.as_deref(), m, loc)?
    );
    if inline_primary_key && col.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if inline_references && col.foreign_keys.len() == 1 {
        let fk = &col.foreign_keys[0];
        s.push_str(&format!(
            " REFERENCES {} ({})",
            quote::table(&fk.ref_table, fk.ref_schema.as_deref(), m),
            quote::quote(&fk.ref_column, m)
        ));
        if let Some(x) = &fk.opts.match_ {
            s.push_str(&format!(" MATCH {}", keyword_phrase(x, loc)?));
        }
        if let Some(x) = &fk.opts.ondelete {
            s.push_str(&format!(
                " ON DELETE {}",
                phrase(x, &FK_ONDELETE, FK_ONDELETE_SRC, loc)?
            ));
        }
        if let Some(x) = &fk.opts.onupdate {
            s.push_str(&format!(" ON UPDATE {}", keyword_phrase(x, loc)?));
        }
        match fk.opts.deferrable {
            Some(true) => s.push_str(" DEFERRABLE"),
            Some(false) => s.push_str(" NOT DEFERRABLE"),
            None => {}
        }
        if let Some(i) = &fk.opts.initially {
            s.push_str(&format!(" INITIALLY {}", keyword_phrase(i, loc)?));
        }
    }
    let checks = col
        .checks
        .iter()
        .map(|k| constraint_ddl(k, t, m, loc))
        .collect::<Result<Vec<_>, _>>()?;
    if !checks.is_empty() {
        s.push(' ');
        s.push_str(&checks.join(" "));
    }
    Ok(s)
}

/// `PostgresqlImpl.alter_column` then `DefaultImpl.alter_column`.
fn compile_alter_column(
    ac: &AlterColumn,
    ctx: &LowerCtx,
    loc: &Loc,
) -> Result<Vec<Statement>, LowerError> {
    let _ = ctx;
    let mut out = Vec::new();
    let both = |f: &dyn Fn(Mode) -> Result<String, LowerError>| -> Result<Statement, LowerError> {
        let online = f(Mode::ONLINE)?;
        let offline = f(Mode::OFFLINE)?;
        Ok(statement(
            online,
            &offline,
            StatementKind::Schema,
            None,
            loc,
        ))
    };
    let prefix = |m: Mode| {
        format!(
            "ALTER TABLE {} ALTER COLUMN {}",
            quote::table(&ac.table, ac.schema.as_deref(), m),
            quote::quote(&ac.column, m)
        )
    };
    if ac.using.is_some() && ac.type_.is_none() {
        return Err(LowerError::would_fail(
            "alembic.util.exc.CommandError",
            "postgresql_using must be used with the type_ parameter",
            loc,
        ));
    }
    let push =
        |out: &mut Vec<Statement>, r: Result<Statement, LowerError>| -> Result<(), LowerError> {
            match r {
                Ok(s) => {
                    out.push(s);
                    Ok(())
                }
                Err(e) => Err(e.with_emitted(std::mem::take(out))),
            }
        };
    if let Some(t) = &ac.type_ {
        let r = both(&|m| {
            let ty = types::compile(t, m).map_err(|msg| compile_error(msg, loc))?;
            Ok(format!(
                "{} TYPE {ty} {}",
                prefix(m),
                ac.using
                    .as_deref()
                    .map(|u| format!("USING {u}"))
                    .unwrap_or_default()
            ))
        });
        push(&mut out, r)?;
    }
    if let Some(n) = ac.nullable {
        let r = both(&|m| {
            Ok(format!(
                "{} {}",
                prefix(m),
                if n { "DROP NOT NULL" } else { "SET NOT NULL" }
            ))
        });
        push(&mut out, r)?;
    }
    if let Some(change) = &ac.server_default {
        let is_computed = matches!(change, Some(DefaultChange::Computed))
            || matches!(ac.existing_server_default, Some(DefaultChange::Computed));
        let is_identity = matches!(change, Some(DefaultChange::Identity(_)))
            || matches!(ac.existing_server_default, Some(DefaultChange::Identity(_)));
        let r = if is_computed {
            Err(compile_error(
                "Adding or removing a \"computed\" construct, e.g. GENERATED ALWAYS AS, to or from an existing column is not supported.",
                loc,
            ))
        } else if is_identity {
            both(&|m| Ok(identity_change(ac, change.as_ref(), &prefix(m))))
        } else {
            both(&|m| {
                Ok(match change {
                    None => format!("{} DROP DEFAULT", prefix(m)),
                    Some(DefaultChange::Default(d)) => match default_string(Some(d), m, loc)? {
                        Some(s) => format!("{} SET DEFAULT {s}", prefix(m)),
                        // `FetchedValue()`: Alembic asserts a string comes back.
                        None => return Err(LowerError::would_fail("AssertionError", "", loc)),
                    },
                    Some(_) => return Err(LowerError::unsupported("server default change", loc)),
                })
            })
        };
        push(&mut out, r)?;
    }
    if let Some(comment) = &ac.comment {
        let r = both(&|m| {
            Ok(format!(
                "COMMENT ON COLUMN {}.{} IS {}",
                quote::table(&ac.table, ac.schema.as_deref(), m),
                quote::quote(&ac.column, m),
                comment
                    .as_deref()
                    .map(|c| quote::string_literal(c, m))
                    .unwrap_or_else(|| "NULL".into())
            ))
        });
        push(&mut out, r)?;
    }
    if let Some(new) = &ac.new_name {
        let r = both(&|m| {
            Ok(format!(
                "ALTER TABLE {} RENAME {} TO {}",
                quote::table(&ac.table, ac.schema.as_deref(), m),
                quote::quote(&ac.column, m),
                quote::quote(new, m)
            ))
        });
        push(&mut out, r)?;
    }
    Ok(out)
}

/// Alembic's PostgreSQL `visit_identity_column` for `alter_column`.
fn identity_change(ac: &AlterColumn, change: Option<&DefaultChange>, prefix: &str) -> String {
    let mut s = format!("{prefix} ");
    let new = match change {
        Some(DefaultChange::Identity(i)) => i,
        _ => {
            s.push_str("DROP IDENTITY");
            return s;
        }
    };
    let existing = match &ac.existing_server_default {
        Some(DefaultChange::Identity(i)) => i,
        _ => {
            s.push_str("ADD ");
            s.push_str(&identity_ddl(new));
            return s;
        }
    };
    // `_compare_identity_default`: an attribute counts when the new value
    // differs from the existing one and is not the default (`None`);
    // `always` counts whenever its truth differs.
    let mut diff: Vec<&str> = Vec::new();
    if new.always != existing.always {
        diff.push("always");
    }
    let differs = |a: Option<String>, b: Option<String>| a.is_some() && a != b;
    let s_ = |v: Option<i64>| v.map(|x| x.to_string());
    let b_ = |v: Option<bool>| v.map(|x| x.to_string());
    let attrs: [(&str, bool); 8] = [
        ("cache", differs(s_(new.cache), s_(existing.cache))),
        ("cycle", differs(b_(new.cycle), b_(existing.cycle))),
        (
            "increment",
            differs(s_(new.increment), s_(existing.increment)),
        ),
        ("maxvalue", differs(s_(new.maxvalue), s_(existing.maxvalue))),
        ("minvalue", differs(s_(new.minvalue), s_(existing.minvalue))),
        (
            "nomaxvalue",
            differs(b_(new.nomaxvalue), b_(existing.nomaxvalue)),
        ),
        (
            "nominvalue",
            differs(b_(new.nominvalue), b_(existing.nominvalue)),
        ),
        ("start", differs(s_(new.start), s_(existing.start))),
    ];
    for (name, d) in attrs {
        if d {
            diff.push(name);
        }
    }
    diff.sort();
    for name in diff {
        if name == "always" {
            s.push_str(&format!(
                "SET GENERATED {} ",
                if new.always { "ALWAYS" } else { "BY DEFAULT" }
            ));
        } else {
            let mut only = Identity::default();
            match name {
                "cache" => only.cache = new.cache,
                "cycle" => only.cycle = new.cycle,
                "increment" => only.increment = new.increment,
                "maxvalue" => only.maxvalue = new.maxvalue,
                "minvalue" => only.minvalue = new.minvalue,
                "nomaxvalue" => only.nomaxvalue = new.nomaxvalue,
                "nominvalue" => only.nominvalue = new.nominvalue,
                _ => only.start = new.start,
            }
            s.push_str(&format!("SET {} ", identity_options(&only)));
        }
    }
    s
}
