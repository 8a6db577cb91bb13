//! SQLAlchemy's PostgreSQL identifier preparer and string literal rendering
//! (`sql/compiler.py` `IdentifierPreparer`, `dialects/postgresql/base.py`).

use md5::{Digest, Md5};

/// Which text is being produced: what PostgreSQL receives online, or what
/// `alembic --sql` prints. Offline, psycopg2's pyformat escaping doubles
/// every `%`, and string literals double backslashes because the dialect
/// has not learnt `standard_conforming_strings` from a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mode {
    pub offline: bool,
}

impl Mode {
    pub const ONLINE: Mode = Mode { offline: false };
    pub const OFFLINE: Mode = Mode { offline: true };
}

/// PostgreSQL dialect's `max_identifier_length`.
pub(crate) const MAX_IDENTIFIER_LENGTH: usize = 63;

const RESERVED_WORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "new",
    "not",
    "null",
    "of",
    "off",
    "offset",
    "old",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    "authorization",
    "between",
    "binary",
    "cross",
    "current_schema",
    "freeze",
    "full",
    "ilike",
    "inner",
    "is",
    "isnull",
    "join",
    "left",
    "like",
    "natural",
    "notnull",
    "outer",
    "over",
    "overlaps",
    "right",
    "similar",
    "verbose",
];

/// `IdentifierPreparer._requires_quotes`.
pub(crate) fn requires_quotes(value: &str) -> bool {
    let lc = value.to_lowercase();
    let Some(first) = value.chars().next() else {
        // `value[0]` raises on an empty name; SQLAlchemy refuses empty
        // names before getting here, quoting keeps the SQL well-formed.
        return true;
    };
    RESERVED_WORDS.contains(&lc.as_str())
        || first.is_ascii_digit()
        || first == '$'
        || requires_quotes_illegal_chars(value)
        || lc != value
}

/// `LEGAL_CHARACTERS = re.compile(r"^[A-Z0-9_$]+$", re.I)` fails.
pub(crate) fn requires_quotes_illegal_chars(value: &str) -> bool {
    value.is_empty()
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

pub(crate) fn quote_identifier(value: &str, mode: Mode) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        match c {
            '"' => s.push_str("\"\""),
            '%' if mode.offline => s.push_str("%%"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// `IdentifierPreparer.quote`.
pub(crate) fn quote(value: &str, mode: Mode) -> String {
    if requires_quotes(value) {
        quote_identifier(value, mode)
    } else {
        value.to_string()
    }
}

/// `format_table`: `schema.name`, each part quoted as needed.
pub(crate) fn table(name: &str, schema: Option<&str>, mode: Mode) -> String {
    match schema {
        Some(s) if !s.is_empty() => format!("{}.{}", quote(s, mode), quote(name, mode)),
        _ => quote(name, mode),
    }
}

/// `String.literal_processor` plus the PostgreSQL compiler's backslash
/// doubling.
pub(crate) fn string_literal(value: &str, mode: Mode) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('\'');
    for c in value.chars() {
        match c {
            '\'' => s.push_str("''"),
            '%' if mode.offline => s.push_str("%%"),
            '\\' if mode.offline => s.push_str("\\\\"),
            c => s.push(c),
        }
    }
    s.push('\'');
    s
}

/// Text the compiler copies as is but escapes for pyformat
/// (`post_process_text`, `escape_literal_column`).
pub(crate) fn escape_percent(text: &str, mode: Mode) -> String {
    if mode.offline {
        text.replace('%', "%%")
    } else {
        text.to_string()
    }
}

/// A constraint or index name, and whether it is final (`conv`, from
/// `op.f()` or a naming convention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjName {
    pub text: String,
    pub conv: bool,
}

impl ObjName {
    pub fn plain(s: impl Into<String>) -> Self {
        ObjName {
            text: s.into(),
            conv: false,
        }
    }

    pub fn conv(s: impl Into<String>) -> Self {
        ObjName {
            text: s.into(),
            conv: true,
        }
    }
}

/// `_truncate_and_render_maxlen_name`: a `conv` name longer than the limit
/// is shortened with an md5 suffix; a plain one is refused with
/// `IdentifierError`'s message.
pub(crate) fn truncate_name(name: &ObjName) -> Result<String, String> {
    let len = name.text.chars().count();
    if len <= MAX_IDENTIFIER_LENGTH {
        return Ok(name.text.clone());
    }
    if name.conv {
        let head: String = name.text.chars().take(MAX_IDENTIFIER_LENGTH - 8).collect();
        let digest = Md5::digest(name.text.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("{head}_{}", &hex[hex.len() - 4..]))
    } else {
        Err(format!(
            "Identifier '{}' exceeds maximum length of {} characters",
            name.text, MAX_IDENTIFIER_LENGTH
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_sqlalchemy() {
        let m = Mode::ONLINE;
        assert_eq!(quote("user", m), "\"user\"");
        assert_eq!(quote("users", m), "users");
        assert_eq!(quote("User", m), "\"User\"");
        assert_eq!(quote("1abc", m), "\"1abc\"");
        assert_eq!(quote("a-b", m), "\"a-b\"");
        assert_eq!(quote("a$b", m), "a$b");
        assert_eq!(quote("a\"b", m), "\"a\"\"b\"");
        assert_eq!(quote("a%b", Mode::OFFLINE), "\"a%%b\"");
        assert_eq!(quote("héllo", m), "\"héllo\"");
    }

    #[test]
    fn renders_string_literals_per_mode() {
        assert_eq!(
            string_literal("it's 50% a\\b", Mode::ONLINE),
            "'it''s 50% a\\b'"
        );
        assert_eq!(
            string_literal("it's 50% a\\b", Mode::OFFLINE),
            "'it''s 50%% a\\\\b'"
        );
    }

    #[test]
    fn truncates_conv_names_with_md5() {
        let long = "ix_".to_string() + &"a".repeat(70);
        let t = truncate_name(&ObjName::conv(long.clone())).expect("conv truncates");
        assert_eq!(t.chars().count(), 60);
        assert!(truncate_name(&ObjName::plain(long)).is_err());
    }
}
