//! The boundary between reading a migration and replaying it.
//!
//! The Python side evaluates `upgrade()` / `downgrade()` and lowers every
//! `op.*` call to SQL; it hands each statement to a [`MigrationSink`] at once,
//! because later code may ask the schema questions (`inspector.has_table`)
//! whose answers depend on what ran before. The sink is the replay driver
//! (catalog behind it) or a collector that only prints SQL. Neither side
//! knows the other's internals: the schema is seen through [`SchemaView`].

use crate::source::Loc;

/// The replay must stop: PostgreSQL would have raised, or the sink gave up.
/// The sink has already recorded why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Halt;

/// Maps byte offsets in generated SQL back to the Python file, for the pieces
/// of the SQL that were copied verbatim from a string literal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextMap {
    /// `(sql_start, file_start, len)`, sorted by `sql_start`.
    pub segments: Vec<(u32, u32, u32)>,
}

impl TextMap {
    /// File offset of a byte offset in the SQL, if that byte came from the file.
    pub fn map(&self, sql_offset: u32) -> Option<u32> {
        self.segments
            .iter()
            .find(|(s, _, len)| sql_offset >= *s && sql_offset < s + len)
            .map(|(s, f, _)| f + (sql_offset - s))
    }
}

/// One piece of SQL as Alembic would send it to PostgreSQL.
#[derive(Debug, Clone)]
pub struct SqlStep {
    /// One or more statements, without a trailing semicolon requirement.
    pub sql: String,
    /// The Python call it came from (`op.add_column(...)`, `op.execute(...)`).
    pub loc: Loc,
    /// Present when `sql` was copied from a literal in the file.
    pub text_map: Option<TextMap>,
    /// Inside `op.get_context().autocommit_block()`.
    pub autocommit: bool,
    /// Rows only, from code that runs zero or more times (a loop over rows
    /// that are not known, a branch on a value that is not): PostgreSQL
    /// may never see it, so an error in it does not stop the replay.
    pub conditional: bool,
}

/// Code the reader could not evaluate statically.
#[derive(Debug, Clone)]
pub struct OpaqueStep {
    pub reason: String,
    pub loc: Loc,
    /// How many `op.*` operations it hides, when known (an `if` on an unknown
    /// value hides the calls in both branches).
    pub hidden_ops: u32,
}

/// Where replayed migration output goes.
pub trait MigrationSink {
    /// The schema as it stands now, for introspection calls.
    fn schema(&self) -> &dyn SchemaView;
    fn execute(&mut self, step: SqlStep) -> Result<(), Halt>;
    fn opaque(&mut self, step: OpaqueStep);
}

/// What SQLAlchemy's `Inspector` would report, answered from the simulated
/// catalog. Names are as PostgreSQL stores them (already folded).
/// `schema: None` means the default schema (`search_path`'s first).
pub trait SchemaView {
    fn schema_names(&self) -> Vec<String>;
    fn table_names(&self, schema: Option<&str>) -> Vec<String>;
    fn view_names(&self, schema: Option<&str>) -> Vec<String>;
    fn sequence_names(&self, schema: Option<&str>) -> Vec<String>;
    /// `None` when the table does not exist (SQLAlchemy raises NoSuchTableError).
    fn columns(&self, schema: Option<&str>, table: &str) -> Option<Vec<ColumnInfo>>;
    fn primary_key(&self, schema: Option<&str>, table: &str) -> Option<PrimaryKeyInfo>;
    fn foreign_keys(&self, schema: Option<&str>, table: &str) -> Option<Vec<ForeignKeyInfo>>;
    fn indexes(&self, schema: Option<&str>, table: &str) -> Option<Vec<IndexInfo>>;
    fn unique_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<UniqueInfo>>;
    fn check_constraints(&self, schema: Option<&str>, table: &str) -> Option<Vec<CheckInfo>>;
    /// `schema: None` lists the enums visible on the search path, as
    /// `Inspector.get_enums()` does.
    fn enums(&self, schema: Option<&str>) -> Vec<EnumInfo>;
    /// What `sql` returns when a migration runs it (`bind.execute(...)`,
    /// `exec_driver_sql`) and it is a single `SELECT` that reads nothing but
    /// the system catalogs, decided in full (its conditions, the number of
    /// rows): `None` otherwise. A query of user tables reads data, which is
    /// never known.
    fn catalog_query(&self, sql: &str) -> Option<QueryRows>;

    fn has_table(&self, schema: Option<&str>, table: &str) -> bool {
        self.columns(schema, table).is_some()
    }

    /// PostgreSQL dialect's `has_type`: any type of that name (enum, domain,
    /// a table's row type...) in `schema`, or visible on the search path
    /// outside pg_catalog when `schema` is `None`. The default knows enums
    /// only.
    fn has_type(&self, schema: Option<&str>, name: &str) -> bool {
        self.enums(Some(schema.unwrap_or("*")))
            .iter()
            .any(|e| e.name == name && (schema.is_none() && e.visible || schema == Some(&e.schema)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    /// PostgreSQL's `format_type` spelling, e.g. `character varying(255)`.
    pub type_sql: String,
    pub nullable: bool,
    /// The default expression as PostgreSQL prints it.
    pub default: Option<String>,
    pub comment: Option<String>,
    pub identity: bool,
    pub generated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKeyInfo {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyInfo {
    pub name: String,
    pub columns: Vec<String>,
    pub referred_schema: Option<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexInfo {
    pub name: String,
    /// `None` entries stand for expressions.
    pub columns: Vec<Option<String>>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UniqueInfo {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckInfo {
    pub name: String,
    pub sqltext: String,
}

/// The rows of a catalog query (see [`SchemaView::catalog_query`]).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<QueryValue>>,
    /// `rows` are in the order PostgreSQL returns them; otherwise only the
    /// set of rows is known.
    pub ordered: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QueryValue {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    /// The row is known to be there, this value is not (an OID).
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumInfo {
    pub name: String,
    pub schema: String,
    pub visible: bool,
    pub labels: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_map_maps_only_copied_bytes() {
        let m = TextMap {
            segments: vec![(0, 100, 10), (20, 300, 5)],
        };
        assert_eq!(m.map(3), Some(103));
        assert_eq!(m.map(15), None);
        assert_eq!(m.map(24), Some(304));
        assert_eq!(m.map(25), None);
    }
}
