//! CREATE EXTENSION: installs the types, functions, operator classes and
//! access methods the extension brings.

use pg_query::NodeEnum;
use pg_query::protobuf::CreateExtensionStmt;

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::builtins::BUILTINS;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::*;

impl Catalog {
    pub(super) fn create_extension(&mut self, s: &CreateExtensionStmt) -> PgResult<Applied> {
        // Every database is created with plpgsql installed (migsim does not
        // list it among the installed extensions).
        if self.extension_by_name(&s.extname).is_some() || s.extname == "plpgsql" {
            if s.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "extension \"{}\" already exists, skipping",
                    s.extname
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_OBJECT,
                format!("extension \"{}\" already exists", s.extname),
            ));
        }
        let mut schema_name = None;
        let mut version = None;
        let mut cascade = false;
        for o in &s.options {
            if let Some(NodeEnum::DefElem(d)) = o.node.as_ref() {
                let value = d
                    .arg
                    .as_ref()
                    .and_then(|a| a.node.as_ref())
                    .map(super::node_value_text);
                match d.defname.as_str() {
                    "schema" => schema_name = value,
                    "new_version" => version = value,
                    "cascade" => cascade = value.as_deref() != Some("false"),
                    _ => {}
                }
            }
        }
        self.install_extension(&s.extname, schema_name.as_deref(), version, cascade)?;
        Ok(Applied::Schema)
    }

    fn install_extension(
        &mut self,
        name: &str,
        schema_name: Option<&str>,
        version: Option<String>,
        cascade: bool,
    ) -> PgResult<()> {
        let def = BUILTINS.extensions.get(name);
        let schema = match schema_name {
            Some(s) => self.lookup_schema(s)?,
            None => self.creation_schema(&crate::catalog::QualName::bare(name))?,
        };
        if let Some(def) = def {
            for req in &def.requires {
                if self.extension_by_name(req).is_none() {
                    if !cascade {
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!("required extension \"{req}\" is not installed"),
                        )
                        .hint(
                            "Use CREATE EXTENSION ... CASCADE to install required extensions too.",
                        ));
                    }
                    self.install_extension(req, schema_name, None, true)?;
                }
            }
        }
        let oid = self.alloc_oid();
        self.extensions.insert(
            oid,
            Extension {
                oid,
                name: name.to_string(),
                schema,
                version: version
                    .unwrap_or_else(|| def.map_or(String::new(), |d| d.version.to_string())),
                known: def.is_some(),
                comment: None,
            },
        );
        let Some(def) = def else { return Ok(()) };
        for ty in &def.types {
            if self.type_in_schema(schema, ty).is_some() {
                return Err(PgError::new(
                    code::DUPLICATE_OBJECT,
                    format!("type \"{ty}\" already exists"),
                ));
            }
            let toid = self.alloc_oid();
            self.insert_type(UserType {
                oid: toid,
                schema,
                name: ty.to_string(),
                kind: TypeKind::Base {
                    category: if *ty == "citext" { 'S' } else { 'U' },
                },
                comment: None,
                extension: Some(oid),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::sqlstate;

    #[test]
    fn plpgsql_is_always_installed() {
        assert_eq!(sqlstate("CREATE EXTENSION plpgsql"), "42710");
        assert_eq!(sqlstate("CREATE EXTENSION IF NOT EXISTS plpgsql"), "ok");
    }
}
