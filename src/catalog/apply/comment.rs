//! COMMENT ON.

use pg_query::NodeEnum;
use pg_query::protobuf::{CommentStmt, ObjectType};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_list, str_of, strings};
use crate::catalog::types::TypeRef;

impl Catalog {
    pub(super) fn comment(&mut self, s: &CommentStmt) -> PgResult<Applied> {
        use ObjectType as O;
        let kind = O::try_from(s.objtype).unwrap_or(O::Undefined);
        let text = (!s.comment.is_empty()).then(|| s.comment.clone());
        let Some(obj) = s.object.as_deref() else {
            return Ok(Applied::Schema);
        };
        match kind {
            O::ObjectTable
            | O::ObjectView
            | O::ObjectMatview
            | O::ObjectIndex
            | O::ObjectSequence
            | O::ObjectForeignTable => {
                let Some(NodeEnum::List(l)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let qn = qual_from_list(&l.items).unwrap_or_else(|| QualName::bare(""));
                let oid = self.require_relation(&qn)?;
                let rel = self
                    .relation(oid)
                    .ok_or_else(|| super::table::missing_relation(&qn))?;
                let ok = matches!(
                    (kind, &rel.body),
                    (O::ObjectTable, RelBody::Table(_))
                        | (O::ObjectIndex, RelBody::Index(_))
                        | (O::ObjectSequence, RelBody::Sequence(_))
                );
                let ok = ok
                    || matches!((kind, &rel.body), (O::ObjectView, RelBody::View(v)) if !v.materialized)
                    || matches!((kind, &rel.body), (O::ObjectMatview, RelBody::View(v)) if v.materialized);
                if !ok {
                    let noun = match kind {
                        O::ObjectTable => "a table",
                        O::ObjectView => "a view",
                        O::ObjectMatview => "a materialized view",
                        O::ObjectIndex => "an index",
                        O::ObjectSequence => "a sequence",
                        _ => "a foreign table",
                    };
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{}\" is not {noun}", qn.name),
                    ));
                }
                if let Some(r) = self.relation_mut(oid) {
                    r.comment = text;
                }
            }
            O::ObjectColumn => {
                let Some(NodeEnum::List(l)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let parts = strings(&l.items);
                let (rel, col) = match parts.as_slice() {
                    [t, c] => (QualName::bare(t), *c),
                    [s, t, c] | [_, s, t, c] => (QualName::new(Some(s), t), *c),
                    _ => {
                        return Err(PgError::new(
                            code::SYNTAX_ERROR,
                            "column name must be qualified",
                        ));
                    }
                };
                let oid = self.require_relation(&rel)?;
                let rel_name = rel.name.clone();
                let missing = || {
                    PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!("column \"{col}\" of relation \"{rel_name}\" does not exist"),
                    )
                };
                match self.relation_mut(oid).map(|r| &mut r.body) {
                    Some(RelBody::Table(t)) => {
                        t.column_mut(col).ok_or_else(missing)?.comment = text;
                    }
                    Some(RelBody::View(v)) => {
                        v.columns
                            .iter_mut()
                            .find(|c| c.name == col)
                            .ok_or_else(missing)?
                            .comment = text;
                    }
                    Some(RelBody::CompositeType(_)) | Some(_) | None => return Err(missing()),
                }
            }
            O::ObjectSchema => {
                let name = str_of(obj).unwrap_or_default();
                let oid = self.lookup_schema(name)?;
                if let Some(s) = self.schemas.get_mut(&oid) {
                    s.comment = text;
                }
            }
            O::ObjectExtension => {
                let name = str_of(obj).unwrap_or_default().to_string();
                let Some(oid) = self.extension_by_name(&name).map(|e| e.oid) else {
                    return Err(PgError::new(
                        code::UNDEFINED_OBJECT,
                        format!("extension \"{name}\" does not exist"),
                    ));
                };
                if let Some(e) = self.extensions.get_mut(&oid) {
                    e.comment = text;
                }
            }
            O::ObjectType | O::ObjectDomain => {
                let Some(NodeEnum::TypeName(tn)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let ty = self.resolve_type(tn)?;
                match ty.base {
                    TypeRef::User(oid) => {
                        if let Some(t) = self.types.get_mut(&oid) {
                            if kind == O::ObjectDomain && !matches!(t.kind, TypeKind::Domain { .. })
                            {
                                return Err(PgError::new(
                                    code::WRONG_OBJECT_TYPE,
                                    format!("\"{}\" is not a domain", t.name),
                                ));
                            }
                            t.comment = text;
                        }
                    }
                    // The row type has its own pg_type entry and comment.
                    TypeRef::Row(r) if kind == O::ObjectDomain => {
                        return Err(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{}\" is not a domain", self.rel_name(r)),
                        ));
                    }
                    TypeRef::Row(r) => match text {
                        Some(t) => {
                            self.rowtype_comments.insert(r, t);
                        }
                        None => {
                            self.rowtype_comments.remove(&r);
                        }
                    },
                    _ => return Ok(Applied::Opaque("comment on a built-in type".into())),
                }
            }
            O::ObjectFunction | O::ObjectProcedure | O::ObjectRoutine | O::ObjectAggregate => {
                let Some(NodeEnum::ObjectWithArgs(owa)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let oid = self
                    .lookup_function_with_args(owa, kind)?
                    .map_err(|m| m.error)?;
                if let Some(f) = self.functions.get_mut(&oid) {
                    f.comment = text;
                }
            }
            O::ObjectTabconstraint | O::ObjectTrigger | O::ObjectPolicy => {
                let Some(NodeEnum::List(l)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let parts = strings(&l.items);
                let Some((name, tparts)) = parts.split_last() else {
                    return Ok(Applied::Schema);
                };
                let qn = match tparts {
                    [t] => QualName::bare(t),
                    [s, t] => QualName::new(Some(s), t),
                    _ => return Ok(Applied::Schema),
                };
                let oid = self.require_relation(&qn)?;
                let table_name = qn.name.clone();
                if kind == O::ObjectTrigger {
                    // A view's triggers too.
                    let slot = self
                        .relation_mut(oid)
                        .and_then(Relation::triggers_mut)
                        .and_then(|t| t.iter_mut().find(|c| c.name == *name));
                    match slot {
                        Some(tg) => tg.comment = text,
                        None => {
                            return Err(PgError::new(
                                code::UNDEFINED_OBJECT,
                                format!(
                                    "trigger \"{name}\" for table \"{table_name}\" does not exist"
                                ),
                            ));
                        }
                    }
                    return Ok(Applied::Schema);
                }
                let Some(t) = self.table_mut(oid) else {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("\"{table_name}\" is not a table"),
                    ));
                };
                let slot = match kind {
                    O::ObjectTabconstraint => t
                        .constraints
                        .iter_mut()
                        .find(|c| c.name == *name)
                        .map(|c| &mut c.comment),
                    _ => t
                        .policies
                        .iter_mut()
                        .find(|c| c.name == *name)
                        .map(|c| &mut c.comment),
                };
                match slot {
                    Some(c) => *c = text,
                    None => {
                        let (noun, prep) = match kind {
                            O::ObjectTabconstraint => ("constraint", "for table"),
                            _ => ("policy", "for table"),
                        };
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!("{noun} \"{name}\" {prep} \"{table_name}\" does not exist"),
                        ));
                    }
                }
            }
            O::ObjectDomconstraint => {
                let Some(NodeEnum::List(l)) = obj.node.as_ref() else {
                    return Ok(Applied::Schema);
                };
                let (Some(NodeEnum::TypeName(tn)), Some(name)) = (
                    l.items.first().and_then(|n| n.node.as_ref()),
                    l.items.get(1).and_then(str_of),
                ) else {
                    return Ok(Applied::Schema);
                };
                let ty = self.resolve_type(tn)?;
                let domain = match ty.base {
                    TypeRef::User(oid)
                        if !ty.array
                            && matches!(
                                self.user_type(oid).map(|t| &t.kind),
                                Some(TypeKind::Domain { .. })
                            ) =>
                    {
                        oid
                    }
                    _ => {
                        return Err(PgError::new(
                            code::WRONG_OBJECT_TYPE,
                            format!("\"{}\" is not a domain", self.type_display(&ty)),
                        ));
                    }
                };
                let display = self.type_display(&ty);
                let Some(TypeKind::Domain { constraints, .. }) =
                    self.types.get_mut(&domain).map(|t| &mut t.kind)
                else {
                    return Ok(Applied::Schema);
                };
                match constraints.iter_mut().find(|c| c.name == name) {
                    Some(c) => c.comment = text,
                    None => {
                        return Err(PgError::new(
                            code::UNDEFINED_OBJECT,
                            format!("constraint \"{name}\" for domain {display} does not exist"),
                        ));
                    }
                }
            }
            O::ObjectDatabase | O::ObjectRole | O::ObjectTablespace => {
                return Ok(Applied::Privilege);
            }
            other => {
                return Ok(Applied::Opaque(format!(
                    "COMMENT ON {} is not simulated",
                    super::drop::object_type_word(other)
                )));
            }
        }
        Ok(Applied::Schema)
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::testing::{run, sqlstate};
    use crate::catalog::{QualName, TypeKind};

    #[test]
    fn domain_constraints_and_row_types_take_comments() {
        let c = run("CREATE DOMAIN d AS int CONSTRAINT d_pos CHECK (VALUE > 0);
             COMMENT ON CONSTRAINT d_pos ON DOMAIN d IS 'positive';
             CREATE TABLE t (a int); COMMENT ON TYPE t IS 'rowtype'")
        .unwrap();
        let d = c.user_types().find(|t| t.name == "d").unwrap();
        let TypeKind::Domain { constraints, .. } = &d.kind else {
            panic!()
        };
        assert_eq!(constraints[0].comment.as_deref(), Some("positive"));
        let t = c.lookup_relation(&QualName::bare("t")).unwrap().unwrap();
        assert_eq!(c.rowtype_comment(t), Some("rowtype"));
        assert_eq!(c.relation(t).unwrap().comment, None);
        assert_eq!(
            sqlstate("CREATE DOMAIN d AS int; COMMENT ON CONSTRAINT nope ON DOMAIN d IS 'x'"),
            "42704"
        );
        assert_eq!(
            sqlstate("CREATE TABLE t (a int); COMMENT ON CONSTRAINT c ON DOMAIN t IS 'x'"),
            "42809"
        );
    }
}
