//! Collations: CREATE and DROP COLLATION, and resolving a `COLLATE` clause
//! as PostgreSQL does (`get_collation_oid`, then the type check of
//! `transformColumnType`).
//!
//! The collations a database has depend on the server: the built-in ones
//! and ICU's are known (generated from a server), libc's are those its
//! administrator generated. migsim accepts a libc name that is a locale
//! glibc can generate and refuses a name that is no locale anywhere.

use pg_query::NodeEnum;
use pg_query::protobuf::DefineStmt;

use super::Applied;
use crate::catalog::builtins::BUILTINS;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_list, quote_qualified};
use crate::catalog::types::TypeRef;
use crate::catalog::{Catalog, ColType, PG_CATALOG_OID, expr};

fn missing(display: &str) -> PgError {
    PgError::new(
        code::UNDEFINED_OBJECT,
        format!("collation \"{display}\" for encoding \"UTF8\" does not exist"),
    )
}

/// A libc locale name a server may have: C/POSIX, or a locale glibc can
/// generate.
fn plausible_libc_locale(name: &str) -> bool {
    matches!(name, "C" | "POSIX" | "C.UTF-8" | "C.utf8") || BUILTINS.is_libc_locale(name)
}

impl Catalog {
    /// A user collation by schema and name.
    fn collation_in(&self, schema: Oid, name: &str) -> Option<&Collation> {
        self.collations
            .values()
            .find(|c| c.schema == schema && c.name == name)
    }

    /// Resolves a collation name (`get_collation_oid`). Returns the name
    /// to keep: a user collation qualified with its schema (it does not
    /// depend on the `search_path` any more), a built-in one as written.
    pub(crate) fn lookup_collation(&self, names: &[&str]) -> PgResult<String> {
        let display = names.join(".");
        let builtin = |n: &str| BUILTINS.collation(n).is_some() || plausible_libc_locale(n);
        let user = |c: &Collation| format!("{}.{}", self.schema_name(c.schema), c.name);
        match names {
            [name] => {
                // pg_catalog comes first in the search.
                if builtin(name) {
                    return Ok(display);
                }
                self.search_schemas()
                    .into_iter()
                    .find_map(|s| self.collation_in(s, name))
                    .map(user)
                    .ok_or_else(|| missing(&display))
            }
            [.., schema, name] => {
                let s = self.lookup_schema(schema)?;
                if s == PG_CATALOG_OID && builtin(name) {
                    return Ok(display);
                }
                self.collation_in(s, name)
                    .map(user)
                    .ok_or_else(|| missing(&display))
            }
            [] => Err(missing(&display)),
        }
    }

    /// A `COLLATE` clause on a column of type `ty`: the collation must
    /// exist and the type must be collatable.
    pub(crate) fn check_column_collation(&self, names: &[&str], ty: &ColType) -> PgResult<String> {
        let kept = self.lookup_collation(names)?;
        if !self.is_collatable(ty) {
            return Err(PgError::new(
                code::DATATYPE_MISMATCH,
                format!(
                    "collations are not supported by type {}",
                    self.type_display(&ty.element())
                ),
            ));
        }
        Ok(kept)
    }

    /// `typcollation != 0`: the string types (and domains over them,
    /// arrays of them, citext-like extension types).
    pub(crate) fn is_collatable(&self, ty: &ColType) -> bool {
        let base = self.base_type(&ty.element());
        match &base.base {
            TypeRef::Builtin(n) => matches!(*n, "text" | "varchar" | "bpchar" | "name"),
            TypeRef::User(oid) => matches!(
                self.user_type(*oid).map(|t| &t.kind),
                Some(TypeKind::Base { category: 'S' })
            ),
            TypeRef::Assumed(_) => true,
            TypeRef::Row(_) => false,
        }
    }

    pub(super) fn create_collation(&mut self, s: &DefineStmt) -> PgResult<Applied> {
        let qn = qual_from_list(&s.defnames).unwrap_or_else(|| QualName::bare(""));
        let schema = self.creation_schema(&qn)?;
        if self.collation_in(schema, &qn.name).is_some() {
            if s.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "collation \"{}\" already exists, skipping",
                    qn.name
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("collation \"{}\" already exists", qn.name),
            ));
        }
        let mut provider = "libc".to_string();
        let mut deterministic = true;
        let mut locale = None;
        let mut lc_collate = None;
        let mut from = None;
        for d in &s.definition {
            let Some(NodeEnum::DefElem(d)) = d.node.as_ref() else {
                continue;
            };
            let value = d.arg.as_ref().and_then(|a| a.node.as_ref());
            let text = value.map(super::node_value_text).unwrap_or_default();
            match d.defname.as_str() {
                "provider" => provider = text.to_ascii_lowercase(),
                "deterministic" => {
                    deterministic = !matches!(
                        text.to_ascii_lowercase().as_str(),
                        "false" | "0" | "off" | "no"
                    )
                }
                "locale" => locale = Some(text),
                "lc_collate" => lc_collate = Some(text),
                "lc_ctype" | "version" | "rules" => {}
                "from" => {
                    let names: Vec<String> = match value {
                        Some(NodeEnum::List(l)) => crate::catalog::names::strings(&l.items)
                            .into_iter()
                            .map(str::to_string)
                            .collect(),
                        _ => vec![text],
                    };
                    from = Some(names);
                }
                other => {
                    return Err(PgError::new(
                        code::SYNTAX_ERROR,
                        format!("collation attribute \"{other}\" not recognized"),
                    ));
                }
            }
        }
        if let Some(names) = &from {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            self.lookup_collation(&names)?;
        } else {
            match provider.as_str() {
                "icu" => {
                    if locale.is_none() {
                        return Err(PgError::new(
                            code::INVALID_OBJECT_DEFINITION,
                            "parameter \"locale\" must be specified",
                        ));
                    }
                }
                "libc" => {
                    if !deterministic {
                        return Err(PgError::new(
                            code::FEATURE_NOT_SUPPORTED,
                            "nondeterministic collations not supported with this provider",
                        ));
                    }
                    let Some(loc) = locale.as_ref().or(lc_collate.as_ref()) else {
                        return Err(PgError::new(
                            code::INVALID_OBJECT_DEFINITION,
                            "parameter \"lc_collate\" must be specified",
                        ));
                    };
                    if !plausible_libc_locale(loc) {
                        return Err(PgError::new(
                            code::INVALID_PARAMETER_VALUE,
                            format!("could not create locale \"{loc}\": No such file or directory"),
                        )
                        .detail(format!(
                            "The operating system could not find any locale data for the locale name \"{loc}\"."
                        )));
                    }
                }
                other => {
                    return Err(PgError::new(
                        code::INVALID_OBJECT_DEFINITION,
                        format!("unrecognized collation provider: {other}"),
                    ));
                }
            }
        }
        // Kept with its name qualified, to print it back anywhere.
        let mut stmt = s.clone();
        stmt.defnames = vec![
            expr::node(NodeEnum::String(pg_query::protobuf::String {
                sval: self.schema_name(schema).to_string(),
            })),
            expr::node(NodeEnum::String(pg_query::protobuf::String {
                sval: qn.name.clone(),
            })),
        ];
        stmt.if_not_exists = false;
        let oid = self.alloc_oid();
        self.collations.insert(
            oid,
            Collation {
                oid,
                schema,
                name: qn.name,
                stmt: expr::node(NodeEnum::DefineStmt(stmt)),
                comment: None,
            },
        );
        Ok(Applied::Schema)
    }

    /// DROP COLLATION (columns that use it are not tracked).
    pub(super) fn drop_collations(
        &mut self,
        names: &[Vec<String>],
        missing_ok: bool,
    ) -> PgResult<Applied> {
        let mut found = Vec::new();
        let mut notices = Vec::new();
        for n in names {
            let parts: Vec<&str> = n.iter().map(String::as_str).collect();
            let oid = match parts.as_slice() {
                [name] => self
                    .search_schemas()
                    .into_iter()
                    .find_map(|s| self.collation_in(s, name).map(|c| c.oid)),
                [.., schema, name] => match self.schema_oid(schema) {
                    Some(s) => self.collation_in(s, name).map(|c| c.oid),
                    None if missing_ok => None,
                    None => {
                        return Err(self
                            .lookup_schema(schema)
                            .err()
                            .unwrap_or_else(|| missing(name)));
                    }
                },
                [] => None,
            };
            match oid {
                Some(o) => found.push(o),
                None if missing_ok => notices.push(format!(
                    "collation \"{}\" does not exist, skipping",
                    parts.join(".")
                )),
                None => return Err(missing(&parts.join("."))),
            }
        }
        if found.is_empty() {
            return Ok(Applied::Skipped(notices.join("\n")));
        }
        for o in found {
            self.collations.remove(&o);
        }
        Ok(Applied::Schema)
    }

    /// `CREATE COLLATION` statements of the user collations, qualified.
    pub fn collation_statements(&self) -> Vec<String> {
        self.collations
            .values()
            .filter_map(|c| c.stmt.node.as_ref().and_then(expr::deparse_stmt))
            .collect()
    }

    /// `schema.name` of a user collation, quoted.
    pub fn collation_sql_name(&self, c: &Collation) -> String {
        quote_qualified(self.schema_name(c.schema), &c.name)
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{message, run, sqlstate};

    #[test]
    fn collations_must_exist_somewhere() {
        assert_eq!(
            message("CREATE TABLE t (a text COLLATE \"xx_YY\")"),
            "collation \"xx_YY\" for encoding \"UTF8\" does not exist"
        );
        assert_eq!(sqlstate("CREATE TABLE t (a text COLLATE \"C\")"), "ok");
        assert_eq!(
            sqlstate("CREATE TABLE t (a text COLLATE \"und-x-icu\")"),
            "ok"
        );
        // A glibc locale the server may have generated.
        assert_eq!(
            sqlstate("CREATE TABLE t (a text COLLATE \"de_DE.utf8\")"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a text COLLATE public.\"C\")"),
            "42704"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a text COLLATE pg_catalog.\"C\")"),
            "ok"
        );
    }

    #[test]
    fn only_string_types_take_a_collation() {
        assert_eq!(
            message("CREATE TABLE t (a int COLLATE \"C\")"),
            "collations are not supported by type integer"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a varchar(3)[] COLLATE \"C\")"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE DOMAIN d AS text; CREATE TABLE t (a d COLLATE \"POSIX\")"),
            "ok"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a \"char\" COLLATE \"C\")"),
            "42804"
        );
    }

    #[test]
    fn create_collation_is_kept() {
        let c = run(
            "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
             CREATE TABLE t (email text COLLATE ci UNIQUE)",
        )
        .unwrap();
        assert_eq!(c.collation_statements().len(), 1);
        // Kept qualified: the column no longer depends on the search_path.
        let t = c
            .table(
                c.lookup_relation(&crate::catalog::QualName::bare("t"))
                    .unwrap()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(
            t.column("email").unwrap().collation.as_deref(),
            Some("public.ci")
        );
        assert!(c.collation_statements()[0].contains("public.ci"));
        assert_eq!(
            sqlstate("CREATE COLLATION c (provider = libc, locale = 'C', deterministic = false)"),
            "0A000"
        );
        assert_eq!(
            sqlstate("CREATE COLLATION c (provider = libc, locale = 'xx_YY')"),
            "22023"
        );
        assert_eq!(sqlstate("CREATE COLLATION c FROM nope"), "42704");
        assert_eq!(
            sqlstate("CREATE COLLATION c FROM \"C\"; CREATE COLLATION c FROM \"C\""),
            "42710"
        );
        assert_eq!(sqlstate("DROP COLLATION IF EXISTS nope"), "ok");
        assert_eq!(sqlstate("DROP COLLATION nope"), "42704");
    }
}
