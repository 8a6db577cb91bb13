//! `alembic_utils` entity operations: `op.create_entity`,
//! `op.replace_entity`, `op.drop_entity` on `PGFunction`, `PGTrigger`,
//! `PGView`, `PGMaterializedView`, `PGExtension`, `PGPolicy`,
//! `PGGrantTable`. Each entity renders SQL text with f-strings
//! (alembic_utils 0.8) that Alembic then runs as `op.execute(text(...))`.

use regex::Regex;

use super::LowerError;
use super::args::Sig;
use super::ddl::Element;
use super::dml::Executable;
use super::expr::TextClause;
use super::model;
use super::ops_table::Builder;
use crate::python::value::{Call, Callee, Value};

const EXC_PARSE: &str = "alembic_utils.exceptions.SQLParseFailure";
const EXC_INPUT: &str = "alembic_utils.exceptions.BadInputException";

/// An entity object as alembic_utils holds it after `__init__`.
#[derive(Debug, Clone)]
enum Entity {
    Function {
        schema: String,
        signature: String,
        definition: String,
    },
    Trigger {
        schema: String,
        signature: String,
        definition: String,
        on_entity: String,
        is_constraint: bool,
    },
    View {
        schema: String,
        signature: String,
        definition: String,
    },
    MaterializedView {
        schema: String,
        signature: String,
        definition: String,
        with_data: bool,
    },
    Extension {
        schema: String,
        signature: String,
    },
    Policy {
        signature: String,
        definition: String,
        on_entity: String,
    },
    GrantTable {
        schema: String,
        table: String,
        role: String,
        grant: String,
        columns: Vec<String>,
        with_grant_option: bool,
    },
}

/// `normalize_whitespace`.
fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `coerce_to_unquoted`: every double quote removed.
fn unquoted(s: &str) -> String {
    s.replace('"', "")
}

/// `strip_double_quotes`.
fn strip_double_quotes(s: &str) -> String {
    let s = s.trim().trim_end_matches('"');
    s.trim().trim_start_matches('"').trim().to_string()
}

/// `coerce_to_quoted`.
fn quoted(s: &str) -> String {
    if let Some((schema, name)) = s.split_once('.') {
        return format!(
            "\"{}\".\"{}\"",
            strip_double_quotes(schema),
            strip_double_quotes(name)
        );
    }
    format!("\"{}\"", strip_double_quotes(s))
}

/// `strip_terminating_semicolon`.
fn strip_semicolon(s: &str) -> String {
    s.trim().trim_end_matches(';').trim().to_string()
}

/// `escape_colon_for_sql`: `::` kept, every other `:` escaped.
fn escape_colon_sql(s: &str) -> String {
    const HOLD: &str = "\u{0}dc\u{0}";
    s.replace("::", HOLD)
        .replace(':', "\\:")
        .replace(HOLD, "::")
}

/// `escape_colon_for_plpgsql`: `::` and `:=` kept, `\:` kept.
fn escape_colon_plpgsql(s: &str) -> String {
    const H1: &str = "\u{0}1\u{0}";
    const H2: &str = "\u{0}2\u{0}";
    const H3: &str = "\u{0}3\u{0}";
    s.replace("::", H1)
        .replace(":=", H2)
        .replace("\\:", H3)
        .replace(':', "\\:")
        .replace(H3, "\\:")
        .replace(H2, ":=")
        .replace(H1, "::")
}

/// `parse.parse(template, text, case_sensitive=False)`: `{}` and `{name}`
/// are lazy `.+?`, `{:s}` is `\s+`, the rest literal; the whole text must
/// match.
fn parse_template(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    let mut re = String::from(r"(?is)\A");
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        re.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..].find('}')? + open;
        let field = &rest[open + 1..close];
        match field {
            ":s" => re.push_str(r"(\s+)"),
            "" => re.push_str("(.+?)"),
            name => {
                names.push(name.to_string());
                re.push_str(&format!("(?P<{name}>.+?)"));
            }
        }
        rest = &rest[close + 1..];
    }
    re.push_str(&regex::escape(rest));
    re.push_str(r"\z");
    let re = Regex::new(&re).ok()?;
    let caps = re.captures(text)?;
    Some(
        names
            .into_iter()
            .map(|n| {
                let v = caps
                    .name(&n)
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default();
                (n, v)
            })
            .collect(),
    )
}

fn field<'f>(fields: &'f [(String, String)], name: &str) -> &'f str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn req_str(b: &Builder, c: &Call, index: usize, name: &str) -> Result<String, LowerError> {
    match c.arg(index, name) {
        Some(Value::Str(s)) => Ok(s.as_str().to_string()),
        Some(Value::Unknown(u)) => Err(LowerError::Unknown((**u).clone())),
        Some(_) => Err(b.unsupported(format!("entity `{name}` that is not a string"))),
        None => Err(b.fail(
            "TypeError",
            format!("__init__() missing 1 required positional argument: '{name}'"),
        )),
    }
}

fn trigger_from_def(
    schema: &str,
    signature: &str,
    definition: &str,
    on_entity: &str,
    is_constraint: bool,
) -> Entity {
    let on_entity = if on_entity.contains('.') {
        on_entity.to_string()
    } else {
        format!("public.{on_entity}")
    };
    Entity::Trigger {
        schema: unquoted(&normalize_whitespace(schema)),
        signature: unquoted(&normalize_whitespace(signature)),
        definition: escape_colon_sql(&strip_semicolon(definition)),
        on_entity: unquoted(&on_entity),
        is_constraint,
    }
}

fn function(schema: &str, signature: &str, definition: &str) -> Entity {
    let is_plpgsql = normalize_whitespace(definition)
        .to_lowercase()
        .replace('\'', "")
        .contains("language plpgsql");
    let stripped = strip_semicolon(definition);
    Entity::Function {
        schema: unquoted(&normalize_whitespace(schema)),
        signature: unquoted(&normalize_whitespace(signature)),
        definition: if is_plpgsql {
            escape_colon_plpgsql(&stripped)
        } else {
            escape_colon_sql(&stripped)
        },
    }
}

fn view(schema: &str, signature: &str, definition: &str) -> Entity {
    Entity::View {
        schema: unquoted(&normalize_whitespace(schema)),
        signature: unquoted(&normalize_whitespace(signature)),
        definition: strip_semicolon(definition),
    }
}

fn mat_view(schema: &str, signature: &str, definition: &str, with_data: bool) -> Entity {
    Entity::MaterializedView {
        schema: unquoted(&normalize_whitespace(schema)),
        signature: unquoted(&normalize_whitespace(signature)),
        definition: strip_semicolon(definition),
        with_data,
    }
}

fn policy(schema: &str, signature: &str, definition: &str, on_entity: &str) -> Entity {
    let on_entity = if on_entity.contains('.') {
        on_entity.to_string()
    } else {
        format!("public.{on_entity}")
    };
    let _ = schema;
    Entity::Policy {
        signature: unquoted(&normalize_whitespace(signature)),
        definition: escape_colon_sql(&strip_semicolon(definition)),
        on_entity: unquoted(&on_entity),
    }
}

/// The class an entity value is built from, and whether through
/// `Class.from_sql(...)`.
fn entity_class(c: &Call) -> Option<(&str, bool)> {
    let Callee::Symbol(s) = &c.callee else {
        return None;
    };
    let path: &str = &s.path;
    if !path.starts_with("alembic_utils") {
        return None;
    }
    let mut parts = path.rsplit('.');
    let last = parts.next()?;
    if last == "from_sql" {
        return Some((parts.next()?, true));
    }
    Some((last, false))
}

fn read_entity(b: &Builder, v: &Value) -> Result<Entity, LowerError> {
    let c = match v {
        Value::Call(c) => c,
        Value::Unknown(u) => return Err(LowerError::Unknown((**u).clone())),
        Value::Object(o) => {
            return Err(b.unsupported(format!(
                "entity built by project code ({}) that migsim cannot read",
                o.type_name()
            )));
        }
        _ => return Err(b.unsupported("entity that is not an alembic_utils object")),
    };
    let Some((class, from_sql)) = entity_class(c) else {
        return Err(b.unsupported("entity that is not an alembic_utils object"));
    };
    if from_sql {
        let sql = req_str(b, c, 0, "sql")?;
        return entity_from_sql(b, class, &sql);
    }
    let s = |i: usize, n: &str| req_str(b, c, i, n);
    Ok(match class {
        "PGFunction" => function(&s(0, "schema")?, &s(1, "signature")?, &s(2, "definition")?),
        "PGTrigger" => trigger_from_def(
            &s(0, "schema")?,
            &s(1, "signature")?,
            &s(3, "definition")?,
            &s(2, "on_entity")?,
            model::truthy(c.arg(4, "is_constraint"))?,
        ),
        "PGView" => view(&s(0, "schema")?, &s(1, "signature")?, &s(2, "definition")?),
        "PGMaterializedView" => mat_view(
            &s(0, "schema")?,
            &s(1, "signature")?,
            &s(2, "definition")?,
            model::opt_bool(c.arg(3, "with_data"))?.unwrap_or(true),
        ),
        "PGExtension" => Entity::Extension {
            schema: unquoted(&normalize_whitespace(&s(0, "schema")?)),
            signature: unquoted(&normalize_whitespace(&s(1, "signature")?)),
        },
        "PGPolicy" => policy(
            &s(0, "schema")?,
            &s(1, "signature")?,
            &s(3, "definition")?,
            &s(2, "on_entity")?,
        ),
        "PGGrantTable" => {
            let grant = match c.arg(3, "grant") {
                Some(Value::Str(g)) => g.as_str().to_string(),
                Some(Value::Symbol(sy)) => sy.name().to_string(),
                Some(Value::Unknown(u)) => return Err(LowerError::Unknown((**u).clone())),
                _ => return Err(b.unsupported("PGGrantTable grant")),
            };
            const CHOICES: &[&str] = &[
                "SELECT",
                "INSERT",
                "UPDATE",
                "REFERENCES",
                "DELETE",
                "TRUNCATE",
                "TRIGGER",
            ];
            if !CHOICES.contains(&grant.as_str()) {
                return Err(LowerError::would_fail(
                    "ValueError",
                    format!("'{grant}' is not a valid PGGrantTableChoice"),
                    &c.loc,
                ));
            }
            let mut columns = match c.arg(4, "columns") {
                None | Some(Value::None) => Vec::new(),
                Some(v) => model::name_list(v, "columns", b.loc())?,
            };
            columns.sort();
            let needs_columns =
                ["SELECT", "INSERT", "UPDATE", "REFERENCES"].contains(&grant.as_str());
            // Raised by the constructor: point at it.
            if needs_columns && columns.is_empty() {
                return Err(LowerError::would_fail(
                    EXC_INPUT,
                    format!("When grant type is {grant} a value must be provided for columns"),
                    &c.loc,
                ));
            }
            if !needs_columns && !columns.is_empty() {
                return Err(LowerError::would_fail(
                    EXC_INPUT,
                    format!("When grant type is {grant} a value must not be provided for columns"),
                    &c.loc,
                ));
            }
            Entity::GrantTable {
                schema: unquoted(&s(0, "schema")?),
                table: unquoted(&s(1, "table")?),
                role: unquoted(&s(2, "role")?),
                grant,
                columns,
                with_grant_option: model::truthy(c.arg(5, "with_grant_option"))?,
            }
        }
        other => return Err(b.unsupported(format!("alembic_utils entity `{other}`"))),
    })
}

fn entity_from_sql(b: &Builder, class: &str, sql: &str) -> Result<Entity, LowerError> {
    let fail = |what: &str| {
        b.fail(
            EXC_PARSE,
            format!("Failed to parse SQL into {what} \"\"\"{sql}\"\"\""),
        )
    };
    match class {
        "PGFunction" => {
            let f = parse_template(
                "create{}function{:s}{schema}.{signature}{:s}returns{:s}{definition}",
                sql.trim(),
            )
            .ok_or_else(|| fail("PGFunction"))?;
            let raw = field(&f, "signature");
            let signature = if raw.starts_with('"') {
                raw.splitn(3, '"').collect::<String>()
            } else {
                raw.to_string()
            };
            Ok(function(
                field(&f, "schema"),
                &signature,
                &format!("returns {}", field(&f, "definition")),
            ))
        }
        "PGView" => {
            let f = parse_template(
                "create{}view{:s}{schema}.{signature}{:s}as{:s}{definition}",
                sql,
            )
            .ok_or_else(|| fail("PGView"))?;
            let sig = field(&f, "signature")
                .split('(')
                .next()
                .unwrap_or("")
                .replace('"', "");
            Ok(view(
                field(&f, "schema"),
                &sig,
                &strip_semicolon(field(&f, "definition")),
            ))
        }
        "PGMaterializedView" => {
            let sql = strip_semicolon(sql);
            let templates = [
                (
                    "create{}materialized{}view{:s}{schema}.{signature}{:s}as{:s}{definition}{:s}with{:s}data",
                    true,
                ),
                (
                    "create{}materialized{}view{:s}{schema}.{signature}{:s}as{:s}{definition}{}with{:s}{no_data}{:s}data",
                    false,
                ),
                (
                    "create{}materialized{}view{:s}{schema}.{signature}{:s}as{:s}{definition}",
                    true,
                ),
            ];
            for (t, with_data) in templates {
                if let Some(f) = parse_template(t, &sql) {
                    let sig = field(&f, "signature")
                        .split('(')
                        .next()
                        .unwrap_or("")
                        .replace('"', "");
                    return Ok(mat_view(
                        field(&f, "schema"),
                        &sig,
                        field(&f, "definition"),
                        with_data,
                    ));
                }
            }
            Err(fail("PGView"))
        }
        "PGTrigger" => {
            let templates = [
                (
                    "create{:s}constraint{:s}trigger{:s}{signature}{:s}{event}{:s}ON{:s}{on_entity}{:s}{action}",
                    true,
                ),
                (
                    "create{:s}trigger{:s}{signature}{:s}{event}{:s}ON{:s}{on_entity}{:s}{action}",
                    false,
                ),
            ];
            for (t, is_constraint) in templates {
                if let Some(f) = parse_template(t, sql) {
                    let mut on_entity = field(&f, "on_entity").to_string();
                    if !on_entity.contains('.') {
                        on_entity = format!("public.{on_entity}");
                    }
                    let schema = on_entity.split('.').next().unwrap_or("").to_string();
                    let definition = format!(
                        " {} ON {on_entity} {}",
                        field(&f, "event"),
                        field(&f, "action")
                    );
                    return Ok(trigger_from_def(
                        &schema,
                        field(&f, "signature"),
                        &definition,
                        &on_entity,
                        is_constraint,
                    ));
                }
            }
            Err(fail("PGTrigger"))
        }
        "PGPolicy" => {
            let f = parse_template(
                "create policy{:s}{signature}{:s}on{:s}{on_entity}{:s}{definition}",
                sql.trim(),
            )
            .ok_or_else(|| fail("PGPolicy"))?;
            let mut on_entity = field(&f, "on_entity").to_string();
            if !on_entity.contains('.') {
                on_entity = format!("public.{on_entity}");
            }
            let schema = on_entity.split('.').next().unwrap_or("").to_string();
            Ok(policy(
                &schema,
                field(&f, "signature"),
                field(&f, "definition"),
                &on_entity,
            ))
        }
        other => Err(b.unsupported(format!("{other}.from_sql()"))),
    }
}

/// `PGFunction.literal_signature`.
fn literal_signature(b: &Builder, signature: &str) -> Result<String, LowerError> {
    let Some((name, rest)) = signature.split_once('(') else {
        return Err(b.fail(
            "ValueError",
            "not enough values to unpack (expected 2, got 1)",
        ));
    };
    Ok(format!("\"{}\"({rest}", name.trim()))
}

fn create_sql(b: &Builder, e: &Entity) -> Result<String, LowerError> {
    Ok(match e {
        Entity::Function {
            schema,
            signature,
            definition,
        } => format!(
            "CREATE FUNCTION {}.{} {definition}",
            quoted(schema),
            literal_signature(b, signature)?
        ),
        Entity::Trigger {
            schema,
            signature,
            definition,
            is_constraint,
            ..
        } => {
            let f = parse_template("{event}{:s}ON{:s}{on_entity}{:s}{action}", definition)
                .ok_or_else(|| {
                    b.fail(
                        EXC_PARSE,
                        format!(
                            "Failed to parse SQL into PGTrigger.definition \"\"\"{definition}\"\"\""
                        ),
                    )
                })?;
            let mut on_entity = field(&f, "on_entity").to_string();
            if let Some((_, rest)) = on_entity.split_once('.') {
                on_entity = rest.to_string();
            }
            format!(
                "CREATE{}TRIGGER \"{signature}\" {} ON {schema}.{on_entity} {}",
                if *is_constraint { " CONSTRAINT " } else { " " },
                field(&f, "event"),
                field(&f, "action")
            )
        }
        Entity::View {
            schema,
            signature,
            definition,
        } => {
            format!(
                "CREATE VIEW {}.\"{signature}\" AS {definition};",
                quoted(schema)
            )
        }
        Entity::MaterializedView {
            schema,
            signature,
            definition,
            with_data,
        } => format!(
            "CREATE MATERIALIZED VIEW {}.\"{signature}\" AS {} WITH {} DATA;",
            quoted(schema),
            definition.trim_end().trim_end_matches(';'),
            if *with_data { "" } else { "NO" }
        ),
        Entity::Extension { schema, signature } => {
            format!(
                "CREATE EXTENSION \"{signature}\" WITH SCHEMA {};",
                quoted(schema)
            )
        }
        Entity::Policy {
            signature,
            definition,
            on_entity,
            ..
        } => {
            format!("CREATE POLICY {signature} on {on_entity} {definition}")
        }
        Entity::GrantTable {
            schema,
            table,
            role,
            grant,
            columns,
            with_grant_option,
        } => format!(
            "GRANT {grant} {} ON {}.{} TO {} {}",
            if columns.is_empty() {
                String::new()
            } else {
                format!("( {} )", columns.join(", "))
            },
            quoted(schema),
            quoted(table),
            quoted(role),
            if *with_grant_option {
                " WITH GRANT OPTION"
            } else {
                ""
            }
        ),
    })
}

fn drop_sql(b: &Builder, e: &Entity, cascade: bool) -> Result<String, LowerError> {
    let lower_cascade = if cascade { "cascade" } else { "" };
    Ok(match e {
        Entity::Function {
            schema, signature, ..
        } => {
            let (name, params) = match parse_template("{function_name}({parameters})", signature) {
                Some(f) => (
                    field(&f, "function_name").trim().to_string(),
                    field(&f, "parameters").trim().to_string(),
                ),
                None => match parse_template("{function_name}()", signature) {
                    Some(f) => (field(&f, "function_name").trim().to_string(), String::new()),
                    None => {
                        return Err(b.fail("TypeError", "'NoneType' object is not subscriptable"));
                    }
                },
            };
            let params: Vec<String> = params
                .split(',')
                .map(|p| {
                    let cut = p
                        .to_lowercase()
                        .split("default")
                        .next()
                        .map(str::len)
                        .unwrap_or(0);
                    p.get(..cut).unwrap_or(p).trim().to_string()
                })
                .collect();
            format!(
                "DROP FUNCTION {}.\"{name}\"({}) {lower_cascade}",
                quoted(schema),
                params.join(", ")
            )
        }
        Entity::Trigger {
            signature,
            on_entity,
            ..
        } => {
            format!("DROP TRIGGER \"{signature}\" ON {on_entity} {lower_cascade}")
        }
        Entity::View {
            schema, signature, ..
        } => {
            format!(
                "DROP VIEW {}.\"{signature}\" {lower_cascade}",
                quoted(schema)
            )
        }
        Entity::MaterializedView {
            schema, signature, ..
        } => {
            format!(
                "DROP MATERIALIZED VIEW {}.\"{signature}\" {lower_cascade}",
                quoted(schema)
            )
        }
        Entity::Extension { signature, .. } => {
            format!(
                "DROP EXTENSION \"{signature}\" {}",
                if cascade { "CASCADE" } else { "" }
            )
        }
        Entity::Policy {
            signature,
            on_entity,
            ..
        } => {
            format!("DROP POLICY {signature} on {on_entity} {lower_cascade}")
        }
        Entity::GrantTable {
            schema,
            table,
            role,
            grant,
            ..
        } => format!(
            "REVOKE {grant} ON {}.{} FROM {}",
            quoted(schema),
            quoted(table),
            quoted(role)
        ),
    })
}

fn replace_sql(b: &Builder, e: &Entity) -> Result<Vec<String>, LowerError> {
    Ok(match e {
        Entity::Function {
            schema,
            signature,
            definition,
        } => vec![format!(
            "CREATE OR REPLACE FUNCTION {}.{} {definition}",
            quoted(schema),
            literal_signature(b, signature)?
        )],
        Entity::Trigger {
            signature,
            on_entity,
            ..
        } => vec![
            format!("DROP TRIGGER IF EXISTS \"{signature}\" ON {on_entity};"),
            create_sql(b, e)?,
        ],
        Entity::View {
            schema,
            signature,
            definition,
        } => {
            let ls = quoted(schema);
            vec![format!(
                "\n        do $$\n            begin\n                CREATE OR REPLACE VIEW {ls}.\"{signature}\" AS {definition};\n\n            exception when others then\n                DROP VIEW IF EXISTS {ls}.\"{signature}\";\n\n                CREATE VIEW {ls}.\"{signature}\" AS {definition};\n            end;\n        $$ language 'plpgsql'\n        "
            )]
        }
        Entity::MaterializedView {
            schema,
            signature,
            definition,
            with_data,
        } => {
            let ls = quoted(schema);
            vec![
                format!("DROP MATERIALIZED VIEW IF EXISTS {ls}.\"{signature}\"; "),
                format!(
                    "CREATE MATERIALIZED VIEW {ls}.\"{signature}\" AS {} WITH {} DATA",
                    definition.trim_end().trim_end_matches(';'),
                    if *with_data { "" } else { "NO" }
                ),
            ]
        }
        Entity::Extension { .. } => return Err(b.fail("NotImplementedError", "")),
        Entity::Policy {
            signature,
            on_entity,
            definition,
            ..
        } => vec![
            format!("DROP POLICY IF EXISTS {signature} on {on_entity};"),
            format!("CREATE POLICY {signature} on {on_entity} {definition};"),
        ],
        Entity::GrantTable { .. } => vec![drop_sql(b, e, false)?, create_sql(b, e)?],
    })
}

pub(crate) fn entity_op(name: &str, b: &Builder) -> Result<Vec<Element>, LowerError> {
    if b.batch.is_some() {
        return Err(b.fail(
            "AttributeError",
            format!("'BatchOperations' object has no attribute '{name}'"),
        ));
    }
    let bound = b.bind(&Sig {
        name,
        positional: &["target"],
        required: 1,
        varargs: false,
        keyword_only: if name == "drop_entity" {
            &["cascade"]
        } else {
            &[]
        },
        varkw: false,
    })?;
    let target = bound.get("target").ok_or_else(|| {
        b.fail(
            "TypeError",
            format!("{name}() missing 1 required positional argument: 'target'"),
        )
    })?;
    let entity = read_entity(b, target)?;
    let texts = match name {
        "create_entity" => vec![create_sql(b, &entity)?],
        "drop_entity" => vec![drop_sql(b, &entity, model::truthy(bound.get("cascade"))?)?],
        _ => replace_sql(b, &entity)?,
    };
    Ok(texts
        .into_iter()
        .map(|text| {
            Element::Execute(Executable::Text(TextClause {
                text,
                binds: Vec::new(),
                untyped: Vec::new(),
                text_map: None,
            }))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_templates_like_the_parse_library() {
        let f = parse_template(
            "create{}function{:s}{schema}.{signature}{:s}returns{:s}{definition}",
            "CREATE OR REPLACE FUNCTION public.to_upper(some_text text) RETURNS text AS $$ select upper(some_text) $$ language SQL;",
        )
        .expect("matches");
        assert_eq!(field(&f, "schema"), "public");
        assert_eq!(field(&f, "signature"), "to_upper(some_text text)");
        assert!(field(&f, "definition").starts_with("text AS $$"));
    }

    #[test]
    fn escapes_colons_as_alembic_utils() {
        assert_eq!(escape_colon_sql("a::int :x"), "a::int \\:x");
        assert_eq!(
            escape_colon_plpgsql("x := a::int; \\: :y"),
            "x := a::int; \\: \\:y"
        );
    }
}
