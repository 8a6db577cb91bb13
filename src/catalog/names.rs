//! Identifiers as PostgreSQL treats them: reading names out of the AST,
//! quoting for output, and the rules for the names PostgreSQL invents
//! (`t_pkey`, `t_a_key1`, `t_id_seq`), 63-byte truncation included.

use pg_query::NodeEnum;
use pg_query::protobuf::Node;

use super::builtins::BUILTINS;

/// `NAMEDATALEN - 1`: the longest identifier PostgreSQL keeps.
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// A possibly schema-qualified name as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualName {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        QualName {
            schema: schema.map(str::to_string),
            name: name.to_string(),
        }
    }

    pub fn bare(name: &str) -> Self {
        QualName {
            schema: None,
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for QualName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The text of a `String` node.
pub fn str_of(node: &Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// The strings of a list of `String` nodes (`names` of a TypeName, a DROP
/// object, a function name).
pub fn strings(nodes: &[Node]) -> Vec<&str> {
    nodes.iter().filter_map(str_of).collect()
}

/// A qualified name from a list of `String` nodes (`[schema,] name`);
/// a three-part name keeps the last two parts (the catalog part must be the
/// current database, which migsim does not check).
pub fn qual_from_list(nodes: &[Node]) -> Option<QualName> {
    let parts = strings(nodes);
    match parts.as_slice() {
        [name] => Some(QualName::bare(name)),
        [schema, name] | [_, schema, name] => Some(QualName::new(Some(schema), name)),
        _ => None,
    }
}

pub fn qual_from_rangevar(rv: &pg_query::protobuf::RangeVar) -> QualName {
    QualName {
        schema: (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()),
        name: rv.relname.clone(),
    }
}

/// `quote_identifier`: quotes only when PostgreSQL would.
pub fn quote_ident(ident: &str) -> String {
    if BUILTINS.needs_quotes(ident) {
        format!("\"{}\"", ident.replace('"', "\"\""))
    } else {
        ident.to_string()
    }
}

/// `schema.name`, each part quoted as needed.
pub fn quote_qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// A string literal in standard syntax (`E''` when it holds a backslash).
pub fn quote_literal(s: &str) -> String {
    let escaped = s.replace('\'', "''");
    if s.contains('\\') {
        format!("E'{}'", escaped.replace('\\', "\\\\"))
    } else {
        format!("'{escaped}'")
    }
}

/// Byte length of the longest prefix of `s` no longer than `max` bytes that
/// ends on a character boundary (`pg_mbcliplen`).
pub fn clip_len(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Truncates an identifier to 63 bytes as the scanner does.
pub fn truncate_identifier(s: &str) -> &str {
    &s[..clip_len(s, MAX_IDENTIFIER_LEN)]
}

/// PostgreSQL's `makeObjectName(name1, name2, label)`: joins with `_`,
/// shortening the longer of the two names first until everything fits.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    if let Some(l) = label {
        overhead += l.len() + 1;
    }
    if name2.is_some() {
        overhead += 1;
    }
    let avail = MAX_IDENTIFIER_LEN.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let n1 = clip_len(name1, n1);
    let mut out = name1[..n1].to_string();
    if let Some(name2) = name2 {
        let n2 = clip_len(name2, n2);
        out.push('_');
        out.push_str(&name2[..n2]);
    }
    if let Some(l) = label {
        out.push('_');
        out.push_str(l);
    }
    out
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of
/// `name1_name2_label`, `..._label1`, `..._label2`, ... that `taken` rejects.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut pass = 0u32;
    loop {
        let modlabel = if pass == 0 {
            label.to_string()
        } else {
            format!("{label}{pass}")
        };
        let candidate = make_object_name(name1, name2, Some(&modlabel));
        if !taken(&candidate) {
            return candidate;
        }
        pass += 1;
    }
}

/// `ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`:
/// column names joined by `_`, stopping once the result is long enough to
/// be truncated anyway.
pub fn name_addition<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(name);
        if out.len() >= MAX_IDENTIFIER_LEN {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_quote_identifier() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("order"), "\"order\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn object_names_truncate_the_longer_part_first() {
        assert_eq!(make_object_name("t", Some("c"), Some("key")), "t_c_key");
        assert_eq!(make_object_name("t", None, Some("pkey")), "t_pkey");
        let long_table = "a".repeat(60);
        let name = make_object_name(&long_table, Some("col"), Some("fkey"));
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_col_fkey"));
        let both = make_object_name(&"x".repeat(40), Some(&"y".repeat(40)), Some("key"));
        assert_eq!(both, format!("{}_{}_key", "x".repeat(29), "y".repeat(29)));
    }

    #[test]
    fn collisions_get_numeric_suffixes() {
        let taken = ["t_a_key", "t_a_key1"];
        assert_eq!(
            choose_name("t", Some("a"), "key", |n| taken.contains(&n)),
            "t_a_key2"
        );
    }
}
