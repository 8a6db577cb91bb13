//! Migration steps as Alembic's offline mode prints them: the
//! `-- Running upgrade a, b -> c` line and the `alembic_version` rows each
//! step inserts, updates or deletes (`RevisionStep` + `HeadMaintainer`).

use super::order::PlanError;
use super::{RevIdx, RevisionGraph};

/// A change to the `alembic_version` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionOp {
    Insert(String),
    Delete(String),
    Update { from: String, to: String },
}

/// One revision applied (or reverted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStep {
    pub revision: RevIdx,
    pub id: String,
    pub is_upgrade: bool,
    /// `from_revisions_no_deps` (upgrade: `down_revision`; downgrade: the id).
    pub from_revisions: Vec<String>,
    /// `to_revisions_no_deps`.
    pub to_revisions: Vec<String>,
    /// Offline mode creates the version table inside the first step that
    /// starts with no current head.
    pub creates_version_table: bool,
    pub version_ops: Vec<VersionOp>,
    /// Alembic picks which rows a merge or unmerge deletes/updates from a
    /// Python set, so its choice depends on the hash seed; migsim uses
    /// `down_revision` order.
    pub arbitrary_version_order: bool,
}

impl MigrationStep {
    /// `MigrationStep.short_log`: `upgrade a, b -> c`.
    pub fn short_log(&self) -> String {
        format!(
            "{} {} -> {}",
            if self.is_upgrade {
                "upgrade"
            } else {
                "downgrade"
            },
            self.from_revisions.join(", "),
            self.to_revisions.join(", ")
        )
    }

    /// The comment offline mode prints before the step's SQL.
    pub fn running_comment(&self) -> String {
        format!("-- Running {}", self.short_log())
    }
}

/// The version rows as `HeadMaintainer` keeps them. In strict mode every
/// assertion and `set.remove` of Alembic's is kept, so a plan Alembic
/// crashes on is reported instead of papered over.
struct Heads {
    heads: Vec<String>,
    strict: bool,
}

impl Heads {
    fn contains(&self, v: &str) -> bool {
        self.heads.iter().any(|h| h == v)
    }

    fn insert(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), PlanError> {
        if self.contains(v) && self.strict {
            return Err(crash("AssertionError", ""));
        }
        if !self.contains(v) {
            self.heads.push(v.to_string());
        }
        ops.push(VersionOp::Insert(v.to_string()));
        Ok(())
    }

    fn delete(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), PlanError> {
        if !self.contains(v) && self.strict {
            return Err(crash("KeyError", &format!("'{v}'")));
        }
        self.heads.retain(|h| h != v);
        ops.push(VersionOp::Delete(v.to_string()));
        Ok(())
    }

    fn update(&mut self, from: &str, to: &str, ops: &mut Vec<VersionOp>) -> Result<(), PlanError> {
        if self.strict {
            if self.contains(to) {
                return Err(crash("AssertionError", ""));
            }
            if !self.contains(from) {
                return Err(crash("KeyError", &format!("'{from}'")));
            }
        }
        self.heads.retain(|h| h != from);
        if !self.contains(to) {
            self.heads.push(to.to_string());
        }
        ops.push(VersionOp::Update {
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }
}

fn crash(class: &'static str, message: &str) -> PlanError {
    PlanError::Crash {
        class,
        message: message.to_string(),
    }
}

/// Walks `order` like `MigrationContext.run_migrations`, keeping the current
/// heads as `HeadMaintainer.update_to_step` does.
pub(super) fn simulate(
    g: &RevisionGraph,
    order: &[RevIdx],
    is_upgrade: bool,
    start: &[String],
    strict: bool,
) -> Result<Vec<MigrationStep>, PlanError> {
    let mut heads = Heads {
        heads: Vec::new(),
        strict,
    };
    for s in start {
        if !heads.contains(s) {
            heads.heads.push(s.clone());
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for &r in order {
        let rev = &g.revisions[r];
        let id = rev.id().to_string();
        let down: Vec<String> = rev
            .normalized_down()
            .into_iter()
            .map(str::to_string)
            .collect();
        let versioned: Vec<String> = rev.down_ids().map(str::to_string).collect();
        let mut step = MigrationStep {
            revision: r,
            id: id.clone(),
            is_upgrade,
            from_revisions: if is_upgrade {
                versioned.clone()
            } else {
                vec![id.clone()]
            },
            to_revisions: if is_upgrade {
                vec![id.clone()]
            } else {
                versioned
            },
            creates_version_table: heads.heads.is_empty(),
            version_ops: Vec::new(),
            arbitrary_version_order: false,
        };
        // RevisionStep.from_revisions / to_revisions (with dependencies).
        let (from, to) = if is_upgrade {
            (down.clone(), vec![id.clone()])
        } else {
            (vec![id.clone()], down.clone())
        };
        let ops = &mut step.version_ops;
        let present = |h: &Heads| down.iter().filter(|d| h.contains(d)).count();
        if !is_upgrade
            && heads.contains(&id)
            && (down.is_empty() || unmerge_to(g, &heads.heads, &id, &to).is_empty())
        {
            heads.delete(&id, ops)?;
        } else if is_upgrade && (down.is_empty() || present(&heads) == 0) {
            heads.insert(&id, ops)?;
        } else if is_upgrade && down.len() > 1 && present(&heads) > 1 {
            let others: Vec<String> = heads
                .heads
                .iter()
                .filter(|h| !from.contains(h))
                .cloned()
                .collect();
            let from_revs: Vec<String> = if others.is_empty() {
                from.clone()
            } else {
                let anc = ancestor_ids(g, &others);
                from.iter().filter(|f| !anc.contains(f)).cloned().collect()
            };
            step.arbitrary_version_order = from_revs.len() > 1;
            if let Some((last, rest)) = from_revs.split_last() {
                for d in rest {
                    heads.delete(d, ops)?;
                }
                heads.update(last, &to[0], ops)?;
            }
        } else if !is_upgrade && heads.contains(&id) && down.len() > 1 {
            let to_revs = unmerge_to(g, &heads.heads, &id, &to);
            step.arbitrary_version_order = to_revs.len() > 1;
            if let Some((last, rest)) = to_revs.split_last() {
                for ins in rest {
                    heads.insert(ins, ops)?;
                }
                heads.update(&id, last, ops)?;
            }
        } else {
            // update_version_num
            let down_rev = if down.len() == 1 {
                Some(down[0].clone())
            } else {
                let present: Vec<&String> = down.iter().filter(|d| heads.contains(d)).collect();
                if present.len() != 1 && strict {
                    return Err(crash(
                        "AssertionError",
                        "Can't do an UPDATE because downrevision is ambiguous",
                    ));
                }
                present.first().map(|s| (*s).clone())
            };
            if let Some(down_rev) = down_rev {
                let (f, t) = if is_upgrade {
                    (down_rev, id)
                } else {
                    (id, down_rev)
                };
                heads.update(&f, &t, ops)?;
            }
        }
        out.push(step);
    }
    Ok(out)
}
fn ancestor_ids(g: &RevisionGraph, ids: &[String]) -> Vec<String> {
    let revs: Vec<RevIdx> = ids.iter().filter_map(|i| g.map.get(i).copied()).collect();
    g.ancestors(&revs, true)
        .into_iter()
        .map(|r| g.revisions[r].id().to_string())
        .collect()
}

/// `RevisionStep._unmerge_to_revisions`.
fn unmerge_to(g: &RevisionGraph, heads: &[String], id: &str, to: &[String]) -> Vec<String> {
    let others: Vec<String> = heads.iter().filter(|h| *h != id).cloned().collect();
    if !others.is_empty() {
        let anc = ancestor_ids(g, &others);
        return to.iter().filter(|t| !anc.contains(t)).cloned().collect();
    }
    let mut anc: Vec<String> = Vec::new();
    for t in to {
        let Some(&r) = g.map.get(t) else { continue };
        for a in g.ancestors(&[r], true) {
            let aid = g.revisions[a].id();
            if aid != t {
                anc.push(aid.to_string());
            }
        }
    }
    to.iter().filter(|t| !anc.contains(t)).cloned().collect()
}
