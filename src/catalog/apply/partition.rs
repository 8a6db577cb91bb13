//! Partition bounds checked as PostgreSQL's `transformPartitionBound` and
//! `check_new_partition_bound` do: the bound's kind against the parent's
//! strategy, one default partition, no overlap with sibling partitions.
//!
//! Overlap is only decided where the values compare without a collation or
//! a type's input function: integers, and ISO dates or timestamps for date
//! and timestamp keys; list values compare as written. Anything else is
//! accepted, so a missed overlap is possible but a false error is not.

use std::cmp::Ordering;

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, PartitionBoundSpec, PartitionSpec, PartitionStrategy};

use crate::catalog::error::{PgError, PgResult, code};
use crate::catalog::expr::deparse_expr;
use crate::catalog::model::Oid;
use crate::catalog::types::ColType;
use crate::catalog::{Catalog, RelBody};

/// One end of a range bound, comparable where the key's type allows.
#[derive(Debug, Clone, PartialEq)]
enum RangeValue {
    Min,
    Max,
    Int(i64),
    /// An ISO date or timestamp (`YYYY-MM-DD[ HH:MM:SS]`), compared as text.
    Iso(String),
    Unknown,
}

fn range_cmp(a: &RangeValue, b: &RangeValue) -> Option<Ordering> {
    use RangeValue::*;
    match (a, b) {
        (Min, Min) | (Max, Max) => Some(Ordering::Equal),
        (Min, _) | (_, Max) => Some(Ordering::Less),
        (Max, _) | (_, Min) => Some(Ordering::Greater),
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Iso(x), Iso(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Lexicographic comparison of multi-column range bounds, as PostgreSQL's
/// `partition_rbound_cmp`: a MINVALUE or MAXVALUE ends the comparison.
fn bound_cmp(a: &[RangeValue], b: &[RangeValue]) -> Option<Ordering> {
    for (x, y) in a.iter().zip(b) {
        match range_cmp(x, y)? {
            Ordering::Equal => {
                if matches!(x, RangeValue::Min | RangeValue::Max) {
                    return Some(Ordering::Equal);
                }
            }
            other => return Some(other),
        }
    }
    Some(Ordering::Equal)
}

fn is_iso_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10
            || (b.len() == 19
                && (b[10] == b' ' || b[10] == b'T')
                && b[11..13].iter().all(u8::is_ascii_digit)
                && b[13] == b':'
                && b[14..16].iter().all(u8::is_ascii_digit)
                && b[16] == b':'
                && b[17..19].iter().all(u8::is_ascii_digit)))
}

impl Catalog {
    /// `PARTITION BY` of a partitioned table.
    pub(crate) fn partition_spec(&self, table: Oid) -> Option<&PartitionSpec> {
        match self.table(table)?.partition.as_ref()?.node.as_ref()? {
            NodeEnum::PartitionSpec(spec) => Some(spec),
            _ => None,
        }
    }

    /// The partition key's column types, `None` for expression keys.
    fn partition_key_types(&self, parent: Oid) -> Vec<Option<ColType>> {
        let (Some(t), Some(spec)) = (self.table(parent), self.partition_spec(parent)) else {
            return Vec::new();
        };
        spec.part_params
            .iter()
            .map(|p| match p.node.as_ref() {
                Some(NodeEnum::PartitionElem(pe)) if pe.expr.is_none() => {
                    t.column(&pe.name).map(|c| c.ty.clone())
                }
                _ => None,
            })
            .collect()
    }

    fn partition_strategy(&self, parent: Oid) -> PartitionStrategy {
        self.partition_spec(parent)
            .and_then(|spec| PartitionStrategy::try_from(spec.strategy).ok())
            .unwrap_or(PartitionStrategy::Undefined)
    }

    fn range_value(&self, node: &Node, ty: Option<&ColType>) -> RangeValue {
        match node.node.as_ref() {
            Some(NodeEnum::ColumnRef(c)) if c.fields.len() == 1 => {
                match c.fields[0].node.as_ref() {
                    Some(NodeEnum::String(s)) if s.sval == "minvalue" => RangeValue::Min,
                    Some(NodeEnum::String(s)) if s.sval == "maxvalue" => RangeValue::Max,
                    _ => RangeValue::Unknown,
                }
            }
            Some(NodeEnum::AConst(c)) if !c.isnull => {
                use pg_query::protobuf::a_const::Val;
                let builtin = ty.filter(|t| !t.array).and_then(ColType::builtin_name);
                match (&c.val, builtin) {
                    (Some(Val::Ival(i)), Some("int2" | "int4" | "int8")) => {
                        RangeValue::Int(i64::from(i.ival))
                    }
                    (Some(Val::Sval(s)), Some("int2" | "int4" | "int8")) => s
                        .sval
                        .trim()
                        .parse()
                        .map_or(RangeValue::Unknown, RangeValue::Int),
                    (Some(Val::Sval(s)), Some("date" | "timestamp" | "timestamptz"))
                        if is_iso_datetime(&s.sval) =>
                    {
                        // A date compares as its midnight.
                        let v = if s.sval.len() == 10 {
                            format!("{} 00:00:00", s.sval)
                        } else {
                            s.sval.replace('T', " ")
                        };
                        RangeValue::Iso(v)
                    }
                    _ => RangeValue::Unknown,
                }
            }
            _ => RangeValue::Unknown,
        }
    }

    fn range_bounds(
        &self,
        b: &PartitionBoundSpec,
        types: &[Option<ColType>],
    ) -> (Vec<RangeValue>, Vec<RangeValue>) {
        let conv = |list: &[Node]| -> Vec<RangeValue> {
            list.iter()
                .enumerate()
                .map(|(i, n)| self.range_value(n, types.get(i).and_then(Option::as_ref)))
                .collect()
        };
        (conv(&b.lowerdatums), conv(&b.upperdatums))
    }

    /// Checks a new partition's bound against its parent and the
    /// partitions it already has.
    pub(crate) fn check_partition_bound(
        &self,
        parent: Oid,
        child_name: &str,
        bound: &PartitionBoundSpec,
    ) -> PgResult<()> {
        let strategy = self.partition_strategy(parent);
        if bound.is_default {
            if strategy == PartitionStrategy::Hash {
                return Err(PgError::new(
                    code::INVALID_TABLE_DEFINITION,
                    "a hash-partitioned table may not have a default partition",
                )
                .at(bound.location));
            }
        } else {
            let (want, what) = match strategy {
                PartitionStrategy::List => ("l", "list"),
                PartitionStrategy::Range => ("r", "range"),
                PartitionStrategy::Hash => ("h", "hash"),
                PartitionStrategy::Undefined => return Ok(()),
            };
            if bound.strategy != want {
                return Err(PgError::new(
                    code::INVALID_TABLE_DEFINITION,
                    format!("invalid bound specification for a {what} partition"),
                )
                .at(bound.location));
            }
        }
        let siblings: Vec<(String, PartitionBoundSpec)> = self
            .child_tables(parent)
            .into_iter()
            .filter_map(|c| {
                let r = self.relation(c)?;
                let RelBody::Table(t) = &r.body else {
                    return None;
                };
                let (p, node) = t.partition_of.as_ref()?;
                if *p != parent {
                    return None;
                }
                match node.node.as_ref() {
                    Some(NodeEnum::PartitionBoundSpec(b)) => Some((r.name.clone(), b.clone())),
                    _ => None,
                }
            })
            .collect();
        if bound.is_default {
            if let Some((name, _)) = siblings.iter().find(|(_, b)| b.is_default) {
                return Err(PgError::new(
                    code::INVALID_OBJECT_DEFINITION,
                    format!(
                        "partition \"{child_name}\" conflicts with existing default partition \"{name}\""
                    ),
                )
                .at(bound.location));
            }
            return Ok(());
        }
        let overlap = |name: &str| {
            PgError::new(
                code::INVALID_OBJECT_DEFINITION,
                format!("partition \"{child_name}\" would overlap partition \"{name}\""),
            )
            .at(bound.location)
        };
        match strategy {
            PartitionStrategy::List => {
                let values: Vec<String> = bound.listdatums.iter().map(deparse_expr).collect();
                for (name, b) in siblings.iter().filter(|(_, b)| !b.is_default) {
                    if b.listdatums
                        .iter()
                        .any(|d| values.contains(&deparse_expr(d)))
                    {
                        return Err(overlap(name));
                    }
                }
            }
            PartitionStrategy::Range => {
                let types = self.partition_key_types(parent);
                let (lo, hi) = self.range_bounds(bound, &types);
                if bound_cmp(&lo, &hi).is_some_and(|o| o != Ordering::Less) {
                    return Err(PgError::new(
                        code::INVALID_OBJECT_DEFINITION,
                        format!("empty range bound specified for partition \"{child_name}\""),
                    )
                    .at(bound.location));
                }
                for (name, b) in siblings.iter().filter(|(_, b)| !b.is_default) {
                    let (slo, shi) = self.range_bounds(b, &types);
                    if bound_cmp(&lo, &shi) == Some(Ordering::Less)
                        && bound_cmp(&slo, &hi) == Some(Ordering::Less)
                    {
                        return Err(overlap(name));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_timestamps_are_recognised() {
        assert!(is_iso_datetime("2024-01-01"));
        assert!(is_iso_datetime("2024-01-01 10:00:00"));
        assert!(!is_iso_datetime("2024-1-1"));
        assert!(!is_iso_datetime("Jan 1 2024"));
    }

    #[test]
    fn unknown_values_never_compare() {
        let a = [RangeValue::Unknown];
        let b = [RangeValue::Int(3)];
        assert_eq!(bound_cmp(&a, &b), None);
        assert_eq!(
            bound_cmp(&[RangeValue::Min], &[RangeValue::Int(0)]),
            Some(Ordering::Less)
        );
    }
}
