//! The order Alembic applies revisions in: `_collect_upgrade_revisions`,
//! `_collect_downgrade_revisions` and `_topological_sort`, ported step by
//! step, because Alembic's order among independent branches is a product of
//! that algorithm (walk down one branch until another head needs what comes
//! next), not of any textbook topological sort.

use super::target::{CatchContext, Pos, RevisionError};
use super::{MigrationStep, RevIdx, RevisionGraph, steps};

/// Why Alembic would not produce a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// A `CommandError`: Alembic prints `FAILED: <message>`.
    Command(String),
    /// Alembic itself crashes (its version-table bookkeeping raises
    /// `KeyError`/`AssertionError` on some dependency graphs).
    Crash {
        class: &'static str,
        message: String,
    },
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Command(m) => f.write_str(m),
            PlanError::Crash { class, message } => write!(f, "{class}: {message}"),
        }
    }
}

impl std::error::Error for PlanError {}

fn revs_only(pos: Vec<Pos>) -> Result<Vec<RevIdx>, RevisionError> {
    pos.into_iter()
        .map(|p| match p {
            Pos::Rev(r) => Ok(r),
            _ => Err(RevisionError::Other(
                "the target resolves to no revision (walked past base)".into(),
            )),
        })
        .collect()
}

impl RevisionGraph {
    fn set_of(&self, revs: impl IntoIterator<Item = RevIdx>) -> Vec<bool> {
        let mut s = vec![false; self.revisions.len()];
        for r in revs {
            s[self.canonical(r)] = true;
        }
        s
    }

    /// `_collect_upgrade_revisions(upper, lower)` with `lower` given as the
    /// current heads. `check` is Alembic's overlap check on the targets.
    pub(crate) fn collect_upgrade(
        &self,
        upper: &str,
        lower: &[String],
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        check: bool,
    ) -> Result<(Vec<bool>, Vec<RevIdx>), RevisionError> {
        let targets =
            revs_only(self.parse_upgrade_target(lower, upper, assert_relative_length)?)?;
        let required_list =
            self.iterate_related(&targets, super::Relation::DownNormalized, check)?;
        let required = self.set_of(required_list.into_iter().chain(targets.iter().copied()));
        let mut current = Vec::new();
        for l in lower {
            for p in self.get_revisions(Some(l))? {
                if let Pos::Rev(r) = p {
                    current.push(r);
                }
            }
        }
        if !implicit_base && current.iter().any(|&c| !required[self.canonical(c)]) {
            return Err(RevisionError::RangeNotAncestor {
                lower: lower.join(", "),
                upper: upper.to_string(),
            });
        }
        let current_list =
            self.iterate_related(&current, super::Relation::DownNormalized, check)?;
        let current_set = self.set_of(current_list.into_iter().chain(current.iter().copied()));
        let mut needs: Vec<bool> = required
            .iter()
            .zip(&current_set)
            .map(|(r, c)| *r && !*c)
            .collect();
        if inclusive {
            for &c in &current {
                needs[self.canonical(c)] = true;
            }
        }
        if !current.is_empty() && !implicit_base {
            let below = self.iterate_related(&current, super::Relation::NextVersioned, check)?;
            let below = self.set_of(below);
            for (n, b) in needs.iter_mut().zip(&below) {
                *n = *n && *b;
            }
        }
        Ok((needs, targets))
    }

    /// `_collect_downgrade_revisions(upper=current heads, lower=target)`.
    pub(crate) fn collect_downgrade(
        &self,
        upper: &[String],
        lower: &str,
        assert_relative_length: bool,
    ) -> Result<(Vec<bool>, Vec<RevIdx>), RevisionError> {
        let (branch_label, target) =
            self.parse_downgrade_target(upper, lower, assert_relative_length)?;
        let target = match target {
            Pos::Rev(r) => Some(r),
            Pos::Base | Pos::Nothing => None,
        };
        let mut roots: Vec<RevIdx> = match target {
            None => self
                .map_order
                .iter()
                .filter_map(|k| self.map.get(k).copied())
                .filter(|&i| self.revisions[i].is_base())
                .collect(),
            Some(t) => self.revisions[t].nextrev.clone(),
        };
        roots.dedup();
        if let Some(label) = &branch_label
            && roots.len() > 1
        {
            let holder = self.revision_for_ident(Some(label), None)?;
            let ancestors =
                self.set_of(self.ancestors(&holder.into_iter().collect::<Vec<_>>(), false));
            roots.retain(|&r| ancestors[self.canonical(r)]);
            if roots.is_empty() {
                return Err(RevisionError::Other(
                    "Not a valid downgrade target from current heads".into(),
                ));
            }
        }
        let mut heads = Vec::new();
        for u in upper {
            heads.extend(revs_only(self.get_revisions(Some(u))?)?);
        }
        let drop = self.set_of(self.descendants(&roots, true));
        let active = self.set_of(self.ancestors(&heads, true));
        let downgrade: Vec<bool> = drop.iter().zip(&active).map(|(d, a)| *d && *a).collect();
        if let Some(t) = target
            && !downgrade.iter().any(|d| *d)
            && !heads.iter().any(|&h| self.canonical(h) == t)
        {
            return Err(RevisionError::RangeNotAncestor {
                lower: "Nothing to drop".into(),
                upper: upper.join(", "),
            });
        }
        Ok((downgrade, heads))
    }

    /// `_topological_sort`: revision ids from the heads down.
    pub(crate) fn topological_sort(
        &self,
        revisions: &[bool],
        heads: &[RevIdx],
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let n = self.revisions.len();
        let mut order_pos = vec![usize::MAX; n];
        for (pos, k) in self.map_order.iter().enumerate() {
            if let Some(&i) = self.map.get(k)
                && self.revisions[i].id() == k
            {
                order_pos[i] = pos;
            }
        }
        let mut todo = revisions.to_vec();
        let mut remaining = todo.iter().filter(|t| **t).count();
        let mut current: Vec<RevIdx> = Vec::new();
        for &h in heads {
            let h = self.canonical(h);
            if todo[h] && !current.contains(&h) {
                current.push(h);
            }
        }
        current.sort_by_key(|&h| order_pos[h]);
        let ancestor_set = |r: RevIdx| self.set_of(self.ancestors(&[r], true));
        let mut ancestors: Vec<Vec<bool>> = current.iter().map(|&h| ancestor_set(h)).collect();
        let mut output = Vec::with_capacity(remaining);
        let mut idx = 0usize;
        // Each emitted revision is bounded by the number of heads it can be
        // deferred to; this guard only trips on a graph Alembic rejects.
        let mut budget = (n + 1) * (n + 1) + 16;
        while !current.is_empty() {
            budget -= 1;
            if budget == 0 {
                return Err(RevisionError::Other(
                    "revision order did not converge (cycle in the graph)".into(),
                ));
            }
            let candidate = current[idx];
            if let Some(j) = ancestors
                .iter()
                .enumerate()
                .position(|(j, a)| j != idx && a[candidate])
            {
                idx = j;
                continue;
            }
            if todo[candidate] {
                output.push(candidate);
                todo[candidate] = false;
                remaining -= 1;
            }
            let rev = &self.revisions[candidate];
            let mut heads_to_add: Vec<RevIdx> = Vec::new();
            for d in rev.normalized_down() {
                if let Some(&t) = self.map.get(d)
                    && self.revisions[t].id() == d
                    && todo[t]
                    && !current.contains(&t)
                    && !heads_to_add.contains(&t)
                {
                    heads_to_add.push(t);
                }
            }
            if heads_to_add.is_empty() {
                current.remove(idx);
                ancestors.remove(idx);
                idx = idx.saturating_sub(1);
            } else if rev.normalized_deps.is_empty() && rev.spec.down_revision.len() == 1 {
                current[idx] = heads_to_add[0];
                ancestors[idx][candidate] = false;
            } else {
                current[idx] = heads_to_add[0];
                ancestors[idx] = ancestor_set(heads_to_add[0]);
                for &h in &heads_to_add[1..] {
                    current.push(h);
                    ancestors.push(ancestor_set(h));
                }
            }
        }
        if remaining != 0 {
            return Err(RevisionError::Other(
                "revision order left revisions unvisited (cycle in the graph)".into(),
            ));
        }
        Ok(output)
    }

    /// The steps of `alembic upgrade TO --sql` (or `FROM:TO`): `from` is the
    /// starting revision as Alembic's `starting_rev` (None: empty database).
    pub fn upgrade_plan(
        &self,
        from: Option<&str>,
        to: &str,
    ) -> Result<Vec<MigrationStep>, PlanError> {
        let start = self.starting_heads(from)?;
        let ctx = CatchContext {
            ancestor: Some(
                "Destination %(end)s is not a valid upgrade target from current head(s)",
            ),
            end: Some(to),
            start: None,
        };
        let (needs, targets) = self
            .collect_upgrade(to, &start, false, true, true, true)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))?;
        let mut order = self
            .topological_sort(&needs, &targets)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))?;
        order.reverse();
        self.check_functions(&order, true)?;
        steps::simulate(self, &order, true, &start, true)
    }

    /// The steps of `alembic downgrade FROM:TO --sql`.
    pub fn downgrade_plan(&self, from: &str, to: &str) -> Result<Vec<MigrationStep>, PlanError> {
        let start = self.starting_heads(Some(from))?;
        let ctx = CatchContext {
            ancestor: Some(
                "Destination %(end)s is not a valid downgrade target from current head(s)",
            ),
            end: Some(to),
            start: None,
        };
        let (drop, heads) = self
            .collect_downgrade(&start, to, true)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))?;
        let order = self
            .topological_sort(&drop, &heads)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))?;
        self.check_functions(&order, false)?;
        steps::simulate(self, &order, false, &start, true)
    }

    /// Alembic takes `module.upgrade` (or `downgrade`) of every step before
    /// running any: the first revision without one stops the command.
    fn check_functions(&self, order: &[RevIdx], upgrade: bool) -> Result<(), PlanError> {
        for &r in order {
            let spec = &self.revisions[r].spec;
            let defined = if upgrade {
                spec.defines_upgrade
            } else {
                spec.defines_downgrade
            };
            if defined == Some(false) {
                return Err(PlanError::Crash {
                    class: "AttributeError",
                    message: format!(
                        "module '{}' has no attribute '{}'",
                        spec.module_name,
                        if upgrade { "upgrade" } else { "downgrade" }
                    ),
                });
            }
        }
        Ok(())
    }

    /// `MigrationContext.get_current_heads` in offline mode.
    fn starting_heads(&self, from: Option<&str>) -> Result<Vec<String>, PlanError> {
        match from {
            None | Some("base") => Ok(Vec::new()),
            Some(f) => {
                let r = self
                    .get_revision(Some(f))
                    .map_err(|e| PlanError::Command(e.command_message(&CatchContext::default())))?;
                Ok(r.map(|r| vec![self.revisions[r].id().to_string()])
                    .unwrap_or_default())
            }
        }
    }

    /// `alembic history` order (newest first): `walk_revisions("base", "heads")`.
    pub fn history_order(&self) -> Result<Vec<RevIdx>, PlanError> {
        let ctx = CatchContext {
            ancestor: None,
            end: Some("heads"),
            start: Some("base"),
        };
        let (needs, targets) = self
            .collect_upgrade("heads", &[], true, false, false, true)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))?;
        self.topological_sort(&needs, &targets)
            .map_err(|e| PlanError::Command(e.command_message(&ctx)))
    }

    /// The order the replay applies revisions in: exactly `alembic upgrade
    /// heads` from an empty database. Where Alembic would refuse (a cycle, an
    /// overlapping duplicate), the best order for what can still be replayed:
    /// revisions in or above a cycle are left out.
    pub fn replay_order(&self) -> Vec<RevIdx> {
        if !self.excluded.iter().any(|e| *e)
            && let Ok((needs, targets)) =
                self.collect_upgrade("heads", &[], false, true, true, true)
            && let Ok(mut order) = self.topological_sort(&needs, &targets)
        {
            order.reverse();
            return order;
        }
        let keep: Vec<bool> = (0..self.revisions.len())
            .map(|i| self.canonical(i) == i && !self.excluded[i])
            .collect();
        let tips: Vec<RevIdx> = (0..self.revisions.len())
            .filter(|&i| keep[i] && !self.revisions[i].all_nextrev.iter().any(|&c| keep[c]))
            .collect();
        let mut order = self.topological_sort(&keep, &tips).unwrap_or_default();
        order.reverse();
        order
    }

    /// [`Self::replay_order`] as migration steps (the `-- Running` structure).
    pub fn replay_steps(&self) -> Vec<MigrationStep> {
        // Lenient: where Alembic's own bookkeeping would crash, the rows are
        // best effort; the order is what the replay needs.
        steps::simulate(self, &self.replay_order(), true, &[], false).unwrap_or_default()
    }
}
