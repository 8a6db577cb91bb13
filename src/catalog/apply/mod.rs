//! Applying statements: one function per statement kind, PostgreSQL's
//! checks in PostgreSQL's order.

mod alter;
mod collation;
mod comment;
mod constraint;
mod dml;
mod do_block;
mod drop;
mod extension;
mod function;
mod index;
mod partition;
mod rename;
mod schema;
mod sequence;
mod session;
mod table;
mod typedef;
mod view;

use pg_query::NodeEnum;
use pg_query::protobuf::Node;

use super::Catalog;
use super::error::{PgError, PgResult, code};

pub(crate) use index::figure_colname;
pub(crate) use table::{FuncMatch, parse_select_expr};

/// What a statement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Changed the schema.
    Schema,
    /// `IF [NOT] EXISTS` made it a no-op (PostgreSQL's NOTICE text).
    Skipped(String),
    /// Reads or writes rows only.
    Data,
    /// A session setting (`SET`).
    Session,
    /// `BEGIN`, `COMMIT`, `ROLLBACK`, savepoints.
    Transaction,
    /// No schema effect: `VACUUM`, `ANALYZE`, `LOCK`, `REFRESH`...
    Maintenance,
    /// Privileges and roles, which migsim does not model.
    Privilege,
    /// A statement outside what migsim models; the reason says what.
    Opaque(String),
}

impl Catalog {
    /// Applies one statement as PostgreSQL would, or returns the error
    /// PostgreSQL would raise. After an error the catalog may hold part of
    /// the statement's effect; replay stops there, as the transaction would.
    pub fn apply(&mut self, stmt: &NodeEnum) -> PgResult<Applied> {
        if self.failed_transaction() && !matches!(stmt, NodeEnum::TransactionStmt(_)) {
            return Err(PgError::new(
                code::IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block",
            ));
        }
        let applied = self.apply_statement(stmt);
        if let Ok(Applied::Opaque(_)) = &applied
            && matches!(
                stmt,
                NodeEnum::DoStmt(_)
                    | NodeEnum::DefineStmt(_)
                    | NodeEnum::CreateCastStmt(_)
                    | NodeEnum::CreateOpClassStmt(_)
                    | NodeEnum::CreateOpFamilyStmt(_)
                    | NodeEnum::AlterOpFamilyStmt(_)
                    | NodeEnum::AlterOperatorStmt(_)
                    | NodeEnum::CreateTransformStmt(_)
            )
        {
            self.unmodelled_overloads = true;
        }
        applied
    }

    fn apply_statement(&mut self, stmt: &NodeEnum) -> PgResult<Applied> {
        use NodeEnum as N;
        match stmt {
            N::CreateSchemaStmt(s) => self.create_schema(s),
            N::CreateStmt(s) => self.create_table(s),
            N::AlterTableStmt(s) => self.alter_table(s),
            N::IndexStmt(s) => self.create_index(s),
            N::DropStmt(s) => self.drop(s),
            N::RenameStmt(s) => self.rename(s),
            N::AlterObjectSchemaStmt(s) => self.set_schema(s),
            N::CreateEnumStmt(s) => self.create_enum(s),
            N::AlterEnumStmt(s) => self.alter_enum(s),
            N::CompositeTypeStmt(s) => self.create_composite_type(s),
            N::CreateDomainStmt(s) => self.create_domain(s),
            N::AlterDomainStmt(s) => self.alter_domain(s),
            N::CreateRangeStmt(_) => self.create_range_type(stmt),
            N::CreateSeqStmt(s) => self.create_sequence(s),
            N::AlterSeqStmt(s) => self.alter_sequence(s),
            N::CreateExtensionStmt(s) => self.create_extension(s),
            N::AlterExtensionStmt(_) | N::AlterExtensionContentsStmt(_) => Ok(Applied::Schema),
            N::ViewStmt(s) => self.create_view(s),
            N::CreateTableAsStmt(s) => self.create_table_as(s),
            N::CreateFunctionStmt(s) => self.create_function(s),
            N::AlterFunctionStmt(s) => self.alter_function(s),
            N::CreateTrigStmt(s) => self.create_trigger(s),
            N::CreatePolicyStmt(s) => self.create_policy(s),
            N::AlterPolicyStmt(s) => self.alter_policy(s),
            N::CommentStmt(s) => self.comment(s),
            N::TransactionStmt(s) => self.transaction(s),
            N::VariableSetStmt(s) => self.set_variable(s),
            N::SelectStmt(s) => self.select(s),
            N::InsertStmt(s) => self.insert(s),
            N::UpdateStmt(s) => self.update(s),
            N::DeleteStmt(s) => self.delete(s),
            N::TruncateStmt(s) => self.truncate(s),
            N::CopyStmt(s) => self.copy(s),
            N::RefreshMatViewStmt(s) => self.refresh_matview(s),
            N::DoStmt(s) => self.do_block(s),
            N::DefineStmt(s)
                if s.kind == pg_query::protobuf::ObjectType::ObjectCollation as i32 =>
            {
                self.create_collation(s)
            }
            N::VariableShowStmt(_)
            | N::DiscardStmt(_)
            | N::ConstraintsSetStmt(_)
            | N::ExplainStmt(_)
            | N::PrepareStmt(_)
            | N::ExecuteStmt(_)
            | N::DeallocateStmt(_) => Ok(Applied::Session),
            N::VacuumStmt(_)
            | N::ClusterStmt(_)
            | N::ReindexStmt(_)
            | N::CreatedbStmt(_)
            | N::DropdbStmt(_)
            | N::CreateTableSpaceStmt(_)
            | N::DropTableSpaceStmt(_)
            | N::AlterSystemStmt(_) => self.maintenance(stmt),
            N::CheckPointStmt(_)
            | N::LoadStmt(_)
            | N::NotifyStmt(_)
            | N::ListenStmt(_)
            | N::UnlistenStmt(_) => Ok(Applied::Maintenance),
            N::LockStmt(s) => self.lock(s),
            N::CallStmt(_) | N::DeclareCursorStmt(_) | N::FetchStmt(_) | N::ClosePortalStmt(_) => {
                Ok(Applied::Data)
            }
            N::GrantStmt(_)
            | N::GrantRoleStmt(_)
            | N::CreateRoleStmt(_)
            | N::AlterRoleStmt(_)
            | N::AlterRoleSetStmt(_)
            | N::DropRoleStmt(_)
            | N::AlterOwnerStmt(_)
            | N::AlterDefaultPrivilegesStmt(_)
            | N::ReassignOwnedStmt(_)
            | N::DropOwnedStmt(_)
            | N::SecLabelStmt(_) => Ok(Applied::Privilege),
            other => Ok(Applied::Opaque(format!(
                "{} is not simulated",
                statement_name(other)
            ))),
        }
    }
}

/// A readable statement name for messages (`CREATE RULE`, `ALTER OPERATOR`).
pub fn statement_name(stmt: &NodeEnum) -> String {
    let debug = format!("{stmt:?}");
    let variant = debug.split('(').next().unwrap_or("statement");
    let mut words = String::new();
    for (i, ch) in variant.trim_end_matches("Stmt").chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(ch.to_ascii_uppercase());
    }
    words
}

/// `DropBehavior::DropCascade` as a bool.
pub(crate) fn is_cascade(behavior: i32) -> bool {
    behavior == pg_query::protobuf::DropBehavior::DropCascade as i32
}

/// The text of a `DefElem`'s argument, for options such as `fillfactor=70`.
pub(crate) fn def_elem_text(def: &pg_query::protobuf::DefElem) -> String {
    match def.arg.as_ref().and_then(|a| a.node.as_ref()) {
        None => def.defname.clone(),
        Some(arg) => format!("{}={}", def.defname, node_value_text(arg)),
    }
}

pub(crate) fn node_value_text(n: &NodeEnum) -> String {
    use pg_query::protobuf::a_const::Val;
    match n {
        NodeEnum::Integer(i) => i.ival.to_string(),
        NodeEnum::Float(f) => f.fval.clone(),
        NodeEnum::String(s) => s.sval.clone(),
        NodeEnum::Boolean(b) => b.boolval.to_string(),
        NodeEnum::TypeName(t) => super::names::strings(&t.names).join("."),
        NodeEnum::AConst(c) => match &c.val {
            Some(Val::Ival(i)) => i.ival.to_string(),
            Some(Val::Fval(f)) => f.fval.clone(),
            Some(Val::Sval(s)) => s.sval.clone(),
            Some(Val::Boolval(b)) => b.boolval.to_string(),
            Some(Val::Bsval(b)) => b.bsval.clone(),
            None => String::new(),
        },
        NodeEnum::List(l) => l
            .items
            .iter()
            .filter_map(|i| i.node.as_ref())
            .map(node_value_text)
            .collect::<Vec<_>>()
            .join(","),
        other => format!("{other:?}"),
    }
}

/// Storage options `WITH (...)` as `name=value` strings.
pub(crate) fn options_text(options: &[Node]) -> Vec<String> {
    options
        .iter()
        .filter_map(|o| match o.node.as_ref() {
            Some(NodeEnum::DefElem(d)) => Some(def_elem_text(d)),
            _ => None,
        })
        .collect()
}
