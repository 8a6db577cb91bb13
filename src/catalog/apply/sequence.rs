//! Sequences: CREATE/ALTER SEQUENCE and the sequences behind serial and
//! identity columns.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterSeqStmt, CreateSeqStmt, Node};

use super::Applied;
use crate::catalog::Catalog;
use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::model::*;
use crate::catalog::names::{QualName, qual_from_list, qual_from_rangevar, strings};

pub(crate) fn type_max(t: &str) -> i64 {
    match t {
        "int2" => i16::MAX as i64,
        "int4" => i32::MAX as i64,
        _ => i64::MAX,
    }
}

pub(crate) fn type_min(t: &str) -> i64 {
    match t {
        "int2" => i16::MIN as i64,
        "int4" => i32::MIN as i64,
        _ => i64::MIN,
    }
}

/// An ascending sequence of `data_type` with PostgreSQL's defaults.
pub(crate) fn default_sequence(data_type: &'static str) -> Sequence {
    Sequence {
        data_type,
        start: 1,
        increment: 1,
        min: 1,
        max: type_max(data_type),
        cache: 1,
        cycle: false,
        owned_by: None,
        identity: false,
        persistence: Persistence::Permanent,
    }
}

/// The `SEQUENCE NAME` option of an identity column, if given.
pub(crate) fn identity_sequence_name(options: &[Node]) -> Option<QualName> {
    options.iter().find_map(|o| match o.node.as_ref() {
        Some(NodeEnum::DefElem(d)) if d.defname == "sequence_name" => {
            match d.arg.as_ref()?.node.as_ref()? {
                NodeEnum::List(l) => qual_from_list(&l.items),
                _ => None,
            }
        }
        _ => None,
    })
}

fn int_arg(d: &pg_query::protobuf::DefElem) -> PgResult<Option<i64>> {
    let Some(arg) = d.arg.as_ref().and_then(|a| a.node.as_ref()) else {
        return Ok(None);
    };
    let text = super::node_value_text(arg);
    text.parse::<i64>().map(Some).map_err(|_| {
        PgError::new(
            code::SYNTAX_ERROR,
            format!("{} requires a numeric value", d.defname),
        )
    })
}

/// `init_params`: applies sequence options, validating as PostgreSQL does.
pub(crate) fn apply_sequence_options(
    c: &Catalog,
    seq: &mut Sequence,
    options: &[Node],
    creating: bool,
) -> PgResult<Option<Option<(Oid, i16)>>> {
    let was_ascending = seq.increment > 0;
    let min_was_default = seq.min == default_min(seq.data_type, was_ascending);
    let max_was_default = seq.max == default_max(seq.data_type, was_ascending);
    let mut min: Option<Option<i64>> = None;
    let mut max: Option<Option<i64>> = None;
    let mut start = None;
    let mut owned_by = None;
    let mut type_changed = false;

    for o in options {
        let Some(NodeEnum::DefElem(d)) = o.node.as_ref() else {
            continue;
        };
        match d.defname.as_str() {
            "as" => {
                let Some(NodeEnum::TypeName(tn)) = d.arg.as_ref().and_then(|a| a.node.as_ref())
                else {
                    continue;
                };
                let ty = c.resolve_type(tn)?;
                seq.data_type = match ty.builtin_name() {
                    Some("int2") => "int2",
                    Some("int4") => "int4",
                    Some("int8") => "int8",
                    _ => {
                        return Err(PgError::new(
                            code::INVALID_PARAMETER_VALUE,
                            "sequence type must be smallint, integer, or bigint",
                        ));
                    }
                };
                type_changed = true;
            }
            "increment" => {
                let v = int_arg(d)?.unwrap_or(1);
                if v == 0 {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        "INCREMENT must not be zero",
                    ));
                }
                seq.increment = v;
            }
            "minvalue" => min = Some(int_arg(d)?),
            "maxvalue" => max = Some(int_arg(d)?),
            "start" => start = int_arg(d)?,
            "restart" => {}
            "cache" => {
                let v = int_arg(d)?.unwrap_or(1);
                if v <= 0 {
                    return Err(PgError::new(
                        code::INVALID_PARAMETER_VALUE,
                        format!("CACHE ({v}) must be greater than zero"),
                    ));
                }
                seq.cache = v;
            }
            "cycle" => {
                seq.cycle = match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
                    Some(NodeEnum::Boolean(b)) => b.boolval,
                    Some(NodeEnum::Integer(i)) => i.ival != 0,
                    _ => true,
                }
            }
            "owned_by" => {
                let Some(NodeEnum::List(l)) = d.arg.as_ref().and_then(|a| a.node.as_ref()) else {
                    continue;
                };
                let parts = strings(&l.items);
                if parts == ["none"] {
                    owned_by = Some(None);
                    continue;
                }
                let (rel, col) = match parts.as_slice() {
                    [t, col] => (QualName::bare(t), *col),
                    [s, t, col] => (QualName::new(Some(s), t), *col),
                    _ => {
                        return Err(PgError::new(code::SYNTAX_ERROR, "invalid OWNED BY option")
                            .hint("Specify OWNED BY table.column or OWNED BY NONE."));
                    }
                };
                let t = c.require_relation(&rel)?;
                let Some(tb) = c.table(t) else {
                    return Err(PgError::new(
                        code::WRONG_OBJECT_TYPE,
                        format!("sequence cannot be owned by relation \"{}\"", rel.name),
                    ));
                };
                let Some(column) = tb.column(col) else {
                    return Err(PgError::new(
                        code::UNDEFINED_COLUMN,
                        format!(
                            "column \"{col}\" of relation \"{}\" does not exist",
                            rel.name
                        ),
                    ));
                };
                owned_by = Some(Some((t, column.attnum)));
            }
            "sequence_name" | "logged" | "unlogged" => {}
            other => {
                return Err(PgError::new(
                    code::SYNTAX_ERROR,
                    format!("option \"{other}\" not recognized"),
                ));
            }
        }
    }
    let ascending = seq.increment > 0;
    // Bounds left at their defaults follow the type and direction.
    let type_changed = type_changed || ascending != was_ascending;
    match min {
        Some(Some(v)) => seq.min = v,
        Some(None) => seq.min = default_min(seq.data_type, ascending),
        None if creating || (type_changed && min_was_default) => {
            seq.min = default_min(seq.data_type, ascending)
        }
        None => {}
    }
    match max {
        Some(Some(v)) => seq.max = v,
        Some(None) => seq.max = default_max(seq.data_type, ascending),
        None if creating || (type_changed && max_was_default) => {
            seq.max = default_max(seq.data_type, ascending)
        }
        None => {}
    }
    let (lo, hi) = (type_min(seq.data_type), type_max(seq.data_type));
    if seq.max > hi || seq.max < lo {
        return Err(PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!(
                "MAXVALUE ({}) is out of range for sequence data type {}",
                seq.max,
                type_word(seq.data_type)
            ),
        ));
    }
    if seq.min < lo || seq.min > hi {
        return Err(PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!(
                "MINVALUE ({}) is out of range for sequence data type {}",
                seq.min,
                type_word(seq.data_type)
            ),
        ));
    }
    if seq.min >= seq.max {
        return Err(PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!(
                "MINVALUE ({}) must be less than MAXVALUE ({})",
                seq.min, seq.max
            ),
        ));
    }
    match start {
        Some(s) => seq.start = s,
        None if creating => seq.start = if ascending { seq.min } else { seq.max },
        None => {}
    }
    if seq.start < seq.min {
        return Err(PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!(
                "START value ({}) cannot be less than MINVALUE ({})",
                seq.start, seq.min
            ),
        ));
    }
    if seq.start > seq.max {
        return Err(PgError::new(
            code::INVALID_PARAMETER_VALUE,
            format!(
                "START value ({}) cannot be greater than MAXVALUE ({})",
                seq.start, seq.max
            ),
        ));
    }
    Ok(owned_by)
}

fn default_min(t: &str, ascending: bool) -> i64 {
    if ascending { 1 } else { type_min(t) }
}

fn default_max(t: &str, ascending: bool) -> i64 {
    if ascending { type_max(t) } else { -1 }
}

fn type_word(t: &str) -> &'static str {
    match t {
        "int2" => "smallint",
        "int4" => "integer",
        _ => "bigint",
    }
}

impl Catalog {
    pub(super) fn create_sequence(&mut self, s: &CreateSeqStmt) -> PgResult<Applied> {
        let Some(rv) = s.sequence.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let (schema, persistence) = self.relation_creation_schema(&qn, &rv.relpersistence)?;
        if self.rel_name_taken(schema, &qn.name) {
            if s.if_not_exists {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" already exists, skipping",
                    qn.name
                )));
            }
            return Err(PgError::new(
                code::DUPLICATE_TABLE,
                format!("relation \"{}\" already exists", qn.name),
            ));
        }
        let mut seq = default_sequence("int8");
        seq.persistence = persistence;
        let owned = apply_sequence_options(self, &mut seq, &s.options, true)?;
        if let Some(Some((t, a))) = owned {
            if self.relation(t).map(|r| r.schema) != Some(schema) {
                return Err(PgError::new(
                    code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "sequence must be in same schema as table it is linked to",
                ));
            }
            seq.owned_by = Some((t, a));
        }
        let oid = self.alloc_oid();
        if let Some((t, _)) = seq.owned_by {
            self.note_ref(t, oid);
        }
        self.insert_relation(Relation {
            oid,
            schema,
            name: qn.name,
            comment: None,
            extension: None,
            body: RelBody::Sequence(seq),
        });
        Ok(Applied::Schema)
    }

    pub(super) fn alter_sequence(&mut self, s: &AlterSeqStmt) -> PgResult<Applied> {
        let Some(rv) = s.sequence.as_ref() else {
            return Ok(Applied::Schema);
        };
        let qn = qual_from_rangevar(rv);
        let Some(oid) = self.lookup_relation(&qn)? else {
            if s.missing_ok {
                return Ok(Applied::Skipped(format!(
                    "relation \"{}\" does not exist, skipping",
                    qn.name
                )));
            }
            return Err(PgError::new(
                code::UNDEFINED_TABLE,
                format!("relation \"{qn}\" does not exist"),
            ));
        };
        let Some(RelBody::Sequence(mut seq)) = self.relation(oid).map(|r| r.body.clone()) else {
            return Err(PgError::new(
                code::WRONG_OBJECT_TYPE,
                format!("\"{}\" is not a sequence", qn.name),
            ));
        };
        let schema = self.relation(oid).map_or(0, |r| r.schema);
        let owned = apply_sequence_options(self, &mut seq, &s.options, false)?;
        if let Some(o) = owned {
            if let Some((t, _)) = o
                && self.relation(t).map(|r| r.schema) != Some(schema)
            {
                return Err(PgError::new(
                    code::OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "sequence must be in same schema as table it is linked to",
                ));
            }
            if seq.identity {
                return Err(PgError::new(
                    code::FEATURE_NOT_SUPPORTED,
                    "cannot change ownership of identity sequence",
                ));
            }
            seq.owned_by = o;
            if let Some((t, _)) = o {
                self.note_ref(t, oid);
            }
        }
        if let Some(r) = self.relation_mut(oid) {
            r.body = RelBody::Sequence(seq);
        }
        Ok(Applied::Schema)
    }
}
