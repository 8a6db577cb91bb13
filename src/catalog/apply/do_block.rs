//! DO blocks.

use pg_query::protobuf::DoStmt;

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::PgResult;

impl Catalog {
    pub(super) fn do_block(&mut self, _s: &DoStmt) -> PgResult<Applied> {
        Ok(Applied::Opaque("DO block".into()))
    }
}
