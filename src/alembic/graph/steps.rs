//! Migration steps as Alembic's offline mode prints them: the
//! `-- Running upgrade a, b -> c` line and the `alembic_version` rows each
//! step inserts, updates or deletes (`RevisionStep` + `HeadMaintainer`).

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

/// Walks `order` like `MigrationContext.run_migrations`, keeping the set of
/// current heads as `HeadMaintainer` does.
pub(super) fn simulate(
    g: &RevisionGraph,
    order: &[RevIdx],
    is_upgrade: bool,
    start: &[String],
) -> Vec<MigrationStep> {
    let mut heads: Vec<String> = Vec::new();
    for s in start {
        if !heads.contains(s) {
            heads.push(s.clone());
        }
    }
    order
        .iter()
        .map(|&r| {
            let rev = &g.revisions[r];
            let id = rev.id().to_string();
            let down: Vec<String> = rev
                .normalized_down()
                .into_iter()
                .map(str::to_string)
                .collect();
            let versioned: Vec<String> = rev.down_ids().map(str::to_string).collect();
            let creates_version_table = heads.is_empty();
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
                creates_version_table,
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
            if !is_upgrade
                && heads.contains(&id)
                && (down.is_empty() || unmerge_to(g, &heads, &id, &to).is_empty())
            {
                remove(&mut heads, &id);
                ops.push(VersionOp::Delete(id));
            } else if is_upgrade && (down.is_empty() || !down.iter().any(|d| heads.contains(d))) {
                heads.push(id.clone());
                ops.push(VersionOp::Insert(id));
            } else if is_upgrade
                && down.len() > 1
                && down.iter().filter(|d| heads.contains(d)).count() > 1
            {
                let others: Vec<String> = heads
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
                        remove(&mut heads, d);
                        ops.push(VersionOp::Delete(d.clone()));
                    }
                    remove(&mut heads, last);
                    heads.push(to[0].clone());
                    ops.push(VersionOp::Update {
                        from: last.clone(),
                        to: to[0].clone(),
                    });
                }
            } else if !is_upgrade && heads.contains(&id) && down.len() > 1 {
                let to_revs = unmerge_to(g, &heads, &id, &to);
                step.arbitrary_version_order = to_revs.len() > 1;
                if let Some((last, rest)) = to_revs.split_last() {
                    for ins in rest {
                        heads.push(ins.clone());
                        ops.push(VersionOp::Insert(ins.clone()));
                    }
                    remove(&mut heads, &id);
                    heads.push(last.clone());
                    ops.push(VersionOp::Update {
                        from: id.clone(),
                        to: last.clone(),
                    });
                }
            } else {
                // update_version_num
                let down_rev = if down.len() == 1 {
                    Some(down[0].clone())
                } else {
                    let present: Vec<&String> = down.iter().filter(|d| heads.contains(d)).collect();
                    step.arbitrary_version_order = present.len() > 1;
                    present.first().map(|s| (*s).clone())
                };
                if let Some(down_rev) = down_rev {
                    let (f, t) = if is_upgrade {
                        (down_rev, id)
                    } else {
                        (id, down_rev)
                    };
                    remove(&mut heads, &f);
                    heads.push(t.clone());
                    ops.push(VersionOp::Update { from: f, to: t });
                }
            }
            step
        })
        .collect()
}

fn remove(heads: &mut Vec<String>, id: &str) {
    heads.retain(|h| h != id);
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
