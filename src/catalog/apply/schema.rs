//! CREATE SCHEMA, with the statements it may contain.

use pg_query::protobuf::CreateSchemaStmt;

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::Schema;

impl Catalog {
    pub(super) fn create_schema(&mut self, s: &CreateSchemaStmt) -> PgResult<Applied> {
        let name = if s.schemaname.is_empty() {
            s.authrole
                .as_ref()
                .map(|r| r.rolename.clone())
                .filter(|r| !r.is_empty())
                // AUTHORIZATION CURRENT_USER / SESSION_USER carry no name.
                .unwrap_or_else(|| self.current_user().to_string())
        } else {
            s.schemaname.clone()
        };
        if name.starts_with("pg_") {
            return Err(
                PgError::new("42939", format!("unacceptable schema name \"{name}\""))
                    .detail("The prefix \"pg_\" is reserved for system schemas."),
            );
        }
        if self.schema_oid(&name).is_some() || name == "information_schema" {
            if s.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "schema \"{name}\" already exists, skipping"
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_SCHEMA,
                format!("schema \"{name}\" already exists"),
            ));
        }
        let oid = self.alloc_oid();
        self.insert_schema(Schema {
            oid,
            name: name.clone(),
            comment: None,
            extension: None,
        });
        // Contained statements run with the new schema as the creation target.
        if !s.schema_elts.is_empty() {
            let saved = std::mem::replace(&mut self.search_path, vec![name]);
            let mut result = Ok(Applied::Schema);
            for elt in &s.schema_elts {
                if let Some(node) = elt.node.as_ref()
                    && let Err(e) = self.apply(node)
                {
                    result = Err(e);
                    break;
                }
            }
            self.search_path = saved;
            return result;
        }
        Ok(Applied::Schema)
    }
}
