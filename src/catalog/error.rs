//! Errors exactly as PostgreSQL raises them: SQLSTATE, message, detail, hint.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgError {
    pub sqlstate: &'static str,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// Byte offset in the statement's parsed text of the element PostgreSQL
    /// would point at (its error "position"), when known.
    pub position: Option<u32>,
}

impl PgError {
    pub fn new(sqlstate: &'static str, message: impl Into<String>) -> Self {
        PgError {
            sqlstate,
            message: message.into(),
            detail: None,
            hint: None,
            position: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Points the error at a node's `location` (ignored when unknown, -1).
    pub fn at(mut self, location: i32) -> Self {
        if location >= 0 && self.position.is_none() {
            self.position = Some(location as u32);
        }
        self
    }

    pub fn condition_name(&self) -> &'static str {
        sqlstate_name(self.sqlstate)
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ERROR:  {}: {}", self.sqlstate, self.message)?;
        if let Some(d) = &self.detail {
            write!(f, "\nDETAIL:  {d}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\nHINT:  {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PgError {}

pub type PgResult<T> = Result<T, PgError>;

/// The SQLSTATE codes the catalog raises, by PostgreSQL's condition names.
pub mod code {
    pub const SYNTAX_ERROR: &str = "42601";
    pub const DUPLICATE_TABLE: &str = "42P07";
    pub const UNDEFINED_TABLE: &str = "42P01";
    pub const UNDEFINED_COLUMN: &str = "42703";
    pub const DUPLICATE_COLUMN: &str = "42701";
    pub const DUPLICATE_OBJECT: &str = "42710";
    pub const UNDEFINED_OBJECT: &str = "42704";
    pub const DUPLICATE_SCHEMA: &str = "42P06";
    pub const INVALID_SCHEMA_NAME: &str = "3F000";
    pub const DEPENDENT_OBJECTS_STILL_EXIST: &str = "2BP01";
    pub const INVALID_TABLE_DEFINITION: &str = "42P16";
    pub const INVALID_FOREIGN_KEY: &str = "42830";
    pub const DATATYPE_MISMATCH: &str = "42804";
    pub const WRONG_OBJECT_TYPE: &str = "42809";
    pub const FEATURE_NOT_SUPPORTED: &str = "0A000";
    pub const UNDEFINED_FUNCTION: &str = "42883";
    pub const DUPLICATE_FUNCTION: &str = "42723";
    pub const INVALID_OBJECT_DEFINITION: &str = "42P17";
    pub const INVALID_FUNCTION_DEFINITION: &str = "42P13";
    pub const OBJECT_NOT_IN_PREREQUISITE_STATE: &str = "55000";
    pub const INVALID_TEXT_REPRESENTATION: &str = "22P02";
    pub const INVALID_PARAMETER_VALUE: &str = "22023";
    pub const CANNOT_COERCE: &str = "42846";
    pub const AMBIGUOUS_COLUMN: &str = "42702";
    pub const AMBIGUOUS_FUNCTION: &str = "42725";
    pub const INVALID_COLUMN_REFERENCE: &str = "42P10";
    pub const DUPLICATE_ALIAS: &str = "42712";
    pub const INVALID_GROUPING_ERROR: &str = "42803";
    pub const UNDEFINED_FILE: &str = "58P01";
    pub const INVALID_TRANSACTION_STATE: &str = "25000";
    pub const ACTIVE_SQL_TRANSACTION: &str = "25001";
    pub const NO_ACTIVE_SQL_TRANSACTION: &str = "25P01";
    pub const IN_FAILED_SQL_TRANSACTION: &str = "25P02";
    pub const INVALID_NAME: &str = "42602";
    pub const NAME_TOO_LONG: &str = "42622";
    pub const INSUFFICIENT_PRIVILEGE: &str = "42501";
    pub const NUMERIC_VALUE_OUT_OF_RANGE: &str = "22003";
    pub const INVALID_DATETIME_FORMAT: &str = "22007";
    pub const STRING_DATA_RIGHT_TRUNCATION: &str = "22001";
    pub const INVALID_RECURSION: &str = "42P19";
    pub const UNIQUE_VIOLATION: &str = "23505";
    pub const UNSAFE_NEW_ENUM_VALUE_USAGE: &str = "55P04";
    pub const RAISE_EXCEPTION: &str = "P0001";
    pub const NULL_VALUE_NOT_ALLOWED: &str = "22004";
    pub const INDETERMINATE_DATATYPE: &str = "42P18";
    pub const INTERNAL_ERROR: &str = "XX000";
}

fn sqlstate_name(code: &str) -> &'static str {
    match code {
        "42601" => "syntax_error",
        "42P07" => "duplicate_table",
        "42P01" => "undefined_table",
        "42703" => "undefined_column",
        "42701" => "duplicate_column",
        "42710" => "duplicate_object",
        "42704" => "undefined_object",
        "42P06" => "duplicate_schema",
        "3F000" => "invalid_schema_name",
        "2BP01" => "dependent_objects_still_exist",
        "42P16" => "invalid_table_definition",
        "42830" => "invalid_foreign_key",
        "42804" => "datatype_mismatch",
        "42809" => "wrong_object_type",
        "0A000" => "feature_not_supported",
        "42883" => "undefined_function",
        "42723" => "duplicate_function",
        "42P17" => "invalid_object_definition",
        "42P13" => "invalid_function_definition",
        "55000" => "object_not_in_prerequisite_state",
        "22P02" => "invalid_text_representation",
        "22023" => "invalid_parameter_value",
        "42846" => "cannot_coerce",
        "42702" => "ambiguous_column",
        "42725" => "ambiguous_function",
        "42P10" => "invalid_column_reference",
        "42712" => "duplicate_alias",
        "42803" => "grouping_error",
        "58P01" => "undefined_file",
        "25000" => "invalid_transaction_state",
        "25001" => "active_sql_transaction",
        "25P01" => "no_active_sql_transaction",
        "25P02" => "in_failed_sql_transaction",
        "42602" => "invalid_name",
        "42622" => "name_too_long",
        "42501" => "insufficient_privilege",
        "22003" => "numeric_value_out_of_range",
        "22007" => "invalid_datetime_format",
        "22001" => "string_data_right_truncation",
        "42P19" => "invalid_recursion",
        "23505" => "unique_violation",
        "55P04" => "unsafe_new_enum_value_usage",
        "P0001" => "raise_exception",
        "22004" => "null_value_not_allowed",
        "42P18" => "indeterminate_datatype",
        _ => "error",
    }
}
