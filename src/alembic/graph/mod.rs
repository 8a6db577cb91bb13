//! The revision graph, built the way Alembic's `RevisionMap` builds it
//! (`alembic/script/revision.py`): the same heads, bases, branch-label
//! propagation, dependency resolution and normalisation, so that the replay
//! order and the `heads`/`history` output are Alembic's, not merely *a*
//! topological order.
//!
//! Where Alembic would stop (a `down_revision` naming no revision, a cycle,
//! a duplicate branch label), migsim records a diagnostic and what Alembic
//! would have raised ([`verdict`]), drops the offending edge or label, and
//! keeps going so the rest of the project can still be checked.
//!
//! Alembic iterates Python sets of strings in a few places, so its output
//! there depends on the interpreter's hash seed: the order of several
//! `depends_on` targets of one revision, `Branches into:` and label lists,
//! and which row a merge `UPDATE`s. migsim uses declaration order there and
//! says so ([`MigrationStep::arbitrary_version_order`]).

mod order;
mod render;
mod steps;
mod target;
pub mod verdict;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile};

pub use order::PlanError;
pub use render::{GraphFormat, render_graph, render_heads, render_history, render_problems};
pub use steps::{MigrationStep, VersionOp};
pub use target::RevisionError;
pub use verdict::{AlembicFailure, AlembicFailureKind};

/// Index of a revision in [`RevisionGraph::revisions`] (load order).
pub type RevIdx = usize;

/// A revision identifier as written in a file, with where it was written.
#[derive(Debug, Clone, Default)]
pub struct RevRef {
    pub id: String,
    pub loc: Option<Loc>,
}

impl RevRef {
    pub fn new(id: impl Into<String>) -> Self {
        RevRef {
            id: id.into(),
            loc: None,
        }
    }
}

/// What the graph needs to know about one revision file.
#[derive(Debug, Clone, Default)]
pub struct RevisionSpec {
    pub revision: String,
    pub revision_loc: Option<Loc>,
    /// Empty for a base (`None`, `()`, `[]`).
    pub down_revision: Vec<RevRef>,
    pub depends_on: Vec<RevRef>,
    pub branch_labels: Vec<RevRef>,
    /// The module docstring, stripped (Alembic's `Script.longdoc`).
    pub longdoc: String,
    /// The path Alembic prints in verbose output (the resolved file path).
    pub path: String,
    pub file: Option<Arc<SourceFile>>,
    /// `revision`/`down_revision` could not be read statically, so where
    /// this revision sits is a guess.
    pub position_unknown: bool,
    /// Whether the file defines `upgrade()` / `downgrade()` (`None`:
    /// cannot tell without running it). Alembic fails with AttributeError
    /// when a step it runs has none.
    pub defines_upgrade: Option<bool>,
    pub defines_downgrade: Option<bool>,
    /// The module name Alembic gives the file (its name with non-word
    /// characters replaced by `_`), as its AttributeError shows it.
    pub module_name: String,
}

impl RevisionSpec {
    /// The file's name as the user sees it (its path when not read from a file).
    pub fn shown_name(&self) -> String {
        match &self.file {
            Some(f) => f.name.clone(),
            None => self.path.clone(),
        }
    }
}

/// One revision in the graph.
#[derive(Debug, Clone)]
pub struct Revision {
    pub spec: RevisionSpec,
    /// Set when a later file declares the same id (Alembic keeps the later).
    pub shadowed_by: Option<RevIdx>,
    resolved_deps: Vec<String>,
    normalized_deps: Vec<String>,
    /// Revisions whose `down_revision` names this one.
    nextrev: Vec<RevIdx>,
    /// The same plus revisions that depend on this one.
    all_nextrev: Vec<RevIdx>,
    /// Branch labels after Alembic's propagation along the branch.
    labels: BTreeSet<String>,
}

impl Revision {
    pub fn id(&self) -> &str {
        &self.spec.revision
    }

    pub fn down_ids(&self) -> impl Iterator<Item = &str> {
        self.spec.down_revision.iter().map(|r| r.id.as_str())
    }

    /// `_normalized_down_revisions`: `down_revision` plus the dependencies
    /// that no ancestor already depends on.
    pub fn normalized_down(&self) -> Vec<&str> {
        dedupe(
            self.down_ids()
                .chain(self.normalized_deps.iter().map(String::as_str)),
        )
    }

    /// `_all_down_revisions`: `down_revision` plus every resolved dependency.
    fn all_down(&self) -> Vec<&str> {
        dedupe(
            self.down_ids()
                .chain(self.resolved_deps.iter().map(String::as_str)),
        )
    }

    pub fn branch_labels(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(String::as_str)
    }

    pub fn doc(&self) -> &str {
        self.spec.longdoc.split("\n\n").next().unwrap_or("")
    }

    pub fn is_head(&self) -> bool {
        self.nextrev.is_empty()
    }
    pub fn is_real_head(&self) -> bool {
        self.all_nextrev.is_empty()
    }
    pub fn is_base(&self) -> bool {
        self.spec.down_revision.is_empty()
    }
    fn is_real_base(&self) -> bool {
        self.is_base() && self.spec.depends_on.is_empty()
    }
    pub fn is_branch_point(&self) -> bool {
        self.nextrev.len() > 1
    }
    fn is_real_branch_point(&self) -> bool {
        self.all_nextrev.len() > 1
    }
    pub fn is_merge_point(&self) -> bool {
        self.spec.down_revision.len() > 1
    }
}

fn dedupe<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// How one revision leads to another in the petgraph view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// `down_revision`.
    Down,
    /// `depends_on`; `normalized` when no ancestor already depends on it.
    DependsOn { normalized: bool },
}

#[derive(Debug)]
pub struct RevisionGraph {
    revisions: Vec<Revision>,
    /// Revision ids (to the file that won) and branch labels.
    map: HashMap<String, RevIdx>,
    /// Keys of `map` in insertion order (Alembic's ordered dict).
    map_order: Vec<String>,
    heads: Vec<RevIdx>,
    real_heads: Vec<RevIdx>,
    bases: Vec<RevIdx>,
    real_bases: Vec<RevIdx>,
    /// Down-to-up edges between winning revisions, for cycle search and drawing.
    graph: DiGraph<RevIdx, EdgeKind>,
    /// Revisions in (or above) a cycle: left out of every order.
    excluded: Vec<bool>,
    problems: Vec<Diagnostic>,
    failure: Option<AlembicFailure>,
}

impl RevisionGraph {
    /// Builds the graph from revisions in Alembic's load order.
    pub fn build(specs: Vec<RevisionSpec>) -> RevisionGraph {
        let n = specs.len();
        let mut g = RevisionGraph {
            revisions: specs
                .into_iter()
                .map(|spec| Revision {
                    labels: spec.branch_labels.iter().map(|l| l.id.clone()).collect(),
                    spec,
                    shadowed_by: None,
                    resolved_deps: Vec::new(),
                    normalized_deps: Vec::new(),
                    nextrev: Vec::new(),
                    all_nextrev: Vec::new(),
                })
                .collect(),
            map: HashMap::with_capacity(n * 2),
            map_order: Vec::with_capacity(n),
            heads: Vec::new(),
            real_heads: Vec::new(),
            bases: Vec::new(),
            real_bases: Vec::new(),
            graph: DiGraph::with_capacity(n, n),
            excluded: vec![false; n],
            problems: Vec::new(),
            failure: None,
        };
        g.check_specs();
        g.map_revisions();
        g.map_branch_labels();
        g.resolve_dependencies();
        g.link();
        g.normalize_dependencies();
        g.build_petgraph();
        g.detect_cycles();
        g.propagate_branch_labels();
        g.warn_multiple_heads();
        g
    }

    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    pub fn revision(&self, idx: RevIdx) -> &Revision {
        &self.revisions[idx]
    }

    /// The revision a name (id or branch label) maps to, exactly.
    pub fn lookup(&self, name: &str) -> Option<RevIdx> {
        self.map.get(name).copied()
    }

    /// Heads as `alembic heads` lists them (by `down_revision` only).
    pub fn heads(&self) -> Vec<&str> {
        self.heads.iter().map(|&i| self.revisions[i].id()).collect()
    }

    /// Heads counting `depends_on` too (what `upgrade heads` targets).
    pub fn real_heads(&self) -> Vec<&str> {
        self.real_heads
            .iter()
            .map(|&i| self.revisions[i].id())
            .collect()
    }

    pub fn bases(&self) -> Vec<&str> {
        self.bases.iter().map(|&i| self.revisions[i].id()).collect()
    }

    pub fn branch_points(&self) -> Vec<&str> {
        self.winners()
            .filter(|r| r.is_branch_point())
            .map(Revision::id)
            .collect()
    }

    pub fn merge_points(&self) -> Vec<&str> {
        self.winners()
            .filter(|r| r.is_merge_point())
            .map(Revision::id)
            .collect()
    }

    fn winners(&self) -> impl Iterator<Item = &Revision> {
        self.revisions.iter().filter(|r| r.shadowed_by.is_none())
    }

    /// The petgraph view: one node per revision (same index), edges from a
    /// revision to the revisions built on it.
    pub fn petgraph(&self) -> &DiGraph<RevIdx, EdgeKind> {
        &self.graph
    }

    /// Problems found in the graph (errors and warnings), in a stable order.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// What Alembic raises when it loads this graph, if anything (the first
    /// failure in Alembic's own order).
    pub fn alembic_failure(&self) -> Option<&AlembicFailure> {
        self.failure.as_ref()
    }

    /// Revisions left out of every order because they sit in or above a cycle.
    pub fn is_excluded(&self, idx: RevIdx) -> bool {
        self.excluded[idx]
    }

    fn canonical(&self, idx: RevIdx) -> RevIdx {
        self.map
            .get(self.revisions[idx].id())
            .copied()
            .unwrap_or(idx)
    }

    fn fail(&mut self, failure: AlembicFailure) {
        if self.failure.is_none() {
            self.failure = Some(failure);
        }
    }

    /// Per-file rules Alembic applies while constructing each `Revision`.
    fn check_specs(&mut self) {
        for i in 0..self.revisions.len() {
            if let Some((failure, diagnostic)) = verdict::spec_failure(&self.revisions[i].spec) {
                self.problems.push(diagnostic);
                self.fail(failure);
            }
        }
    }

    fn map_revisions(&mut self) {
        for i in 0..self.revisions.len() {
            let id = self.revisions[i].spec.revision.clone();
            match self.map.insert(id.clone(), i) {
                Some(prev) => {
                    self.revisions[prev].shadowed_by = Some(i);
                    let kept = self.revisions[i].spec.shown_name();
                    let ignored = self.revisions[prev].spec.shown_name();
                    let mut d = Diagnostic::error(
                        "graph::duplicate-revision",
                        format!("revision id {id} is declared by more than one file"),
                    );
                    if let Some(l) = self.revisions[i].spec.revision_loc.clone() {
                        d = d.with_label(l, "Alembic keeps this one");
                    }
                    if let Some(l) = self.revisions[prev].spec.revision_loc.clone() {
                        d = d.with_label(l, "and ignores this one");
                    }
                    self.problems.push(
                        d.with_note(format!(
                            "Alembic only warns \"Revision {id} is present more than once\", uses {kept} and ignores {ignored}"
                        ))
                        .with_help("give one of the files a new revision id"),
                    );
                }
                None => self.map_order.push(id),
            }
            self.heads.push(i);
            self.real_heads.push(i);
            let r = &self.revisions[i];
            if r.is_base() {
                self.bases.push(i);
            }
            if r.is_real_base() {
                self.real_bases.push(i);
            }
        }
    }

    fn map_branch_labels(&mut self) {
        for i in 0..self.revisions.len() {
            let labels = self.revisions[i].spec.branch_labels.clone();
            for label in labels {
                if let Some(&owner) = self.map.get(&label.id) {
                    let msg = format!(
                        "Branch name '{}' in revision {} already used by revision {}",
                        label.id,
                        self.revisions[i].id(),
                        self.revisions[owner].id()
                    );
                    let mut d = with_loc(
                        Diagnostic::error("graph::duplicate-branch-label", msg.clone()),
                        label.loc.clone(),
                        "",
                    );
                    if let Some(l) = self.revisions[owner]
                        .spec
                        .branch_labels
                        .iter()
                        .find(|l| l.id == label.id)
                        .and_then(|l| l.loc.clone())
                        .or_else(|| self.revisions[owner].spec.revision_loc.clone())
                    {
                        d = d.with_label(l, "already used here");
                    }
                    self.problems.push(d);
                    self.revisions[i].labels.remove(&label.id);
                    self.fail(AlembicFailure::new(AlembicFailureKind::RevisionError, msg));
                    continue;
                }
                self.map.insert(label.id.clone(), i);
                self.map_order.push(label.id);
            }
        }
    }

    /// `_add_depends_on`: dependencies may name a revision id or a branch
    /// label, exactly; Alembic resolves partial ids only when *generating* a
    /// revision, so loading one that uses a prefix fails.
    fn resolve_dependencies(&mut self) {
        for i in 0..self.revisions.len() {
            let deps = self.revisions[i].spec.depends_on.clone();
            let mut resolved = Vec::new();
            for dep in deps {
                match self.map.get(&dep.id) {
                    Some(&t) => resolved.push(self.revisions[t].id().to_string()),
                    None => {
                        let mut d = with_loc(
                            Diagnostic::error(
                                "graph::missing-dependency",
                                format!(
                                    "depends_on '{}' of revision {} names no revision id or branch label",
                                    dep.id,
                                    self.revisions[i].id()
                                ),
                            ),
                            dep.loc.clone(),
                            "",
                        );
                        if let Some(full) = self.unique_prefix_match(&dep.id) {
                            d = d.with_help(format!(
                                "write the full id '{full}': Alembic resolves partial ids only when generating a revision, not when loading one"
                            ));
                        }
                        self.problems.push(d.with_note(format!(
                            "Alembic stops loading with KeyError: '{}'",
                            dep.id
                        )));
                        self.fail(AlembicFailure::new(
                            AlembicFailureKind::KeyError,
                            format!("'{}'", dep.id),
                        ));
                    }
                }
            }
            self.revisions[i].resolved_deps = resolved;
        }
    }

    fn unique_prefix_match(&self, prefix: &str) -> Option<&str> {
        let mut found = self.map_order.iter().filter(|k| {
            k.len() > 3 && k.starts_with(prefix) && self.revisions[self.map[*k]].id() == *k
        });
        let first = found.next()?;
        found.next().is_none().then_some(first.as_str())
    }

    /// The `for rev in map_.values()` loop: children, heads, missing parents.
    fn link(&mut self) {
        // Each winning revision once, in map order (label keys point at
        // revisions already visited under their id).
        let winners: Vec<RevIdx> = self
            .map_order
            .iter()
            .filter_map(|k| {
                self.map
                    .get(k)
                    .copied()
                    .filter(|&i| self.revisions[i].id() == k)
            })
            .collect();
        let mut discarded_heads = vec![false; self.revisions.len()];
        let mut discarded_real = vec![false; self.revisions.len()];
        for &i in &winners {
            let id = self.revisions[i].id().to_string();
            let down: Vec<String> = self.revisions[i].down_ids().map(str::to_string).collect();
            let all_down: Vec<String> = self.revisions[i]
                .all_down()
                .into_iter()
                .map(str::to_string)
                .collect();
            for downrev in all_down {
                if downrev == id {
                    continue; // self-loop, reported already
                }
                let is_versioned = down.contains(&downrev);
                let target = self.map.get(&downrev).copied();
                let target = match target {
                    Some(t) if self.revisions[t].id() == downrev => t,
                    Some(t) => {
                        // A down_revision naming a branch label: Alembic's
                        // traversals then fail ("broken map" / KeyError).
                        let loc = self.revisions[i]
                            .spec
                            .down_revision
                            .iter()
                            .find(|r| r.id == downrev)
                            .and_then(|r| r.loc.clone());
                        self.problems.push(with_loc(
                            Diagnostic::error(
                                "graph::down-revision-is-label",
                                format!(
                                    "down_revision '{downrev}' of revision {id} is a branch label (of revision {}), not a revision id",
                                    self.revisions[t].id()
                                ),
                            ),
                            loc,
                            "",
                        )
                        .with_help(format!("write the revision id '{}'", self.revisions[t].id())));
                        self.fail(AlembicFailure::new(
                            AlembicFailureKind::KeyError,
                            format!("'{downrev}'"),
                        ));
                        continue;
                    }
                    None => {
                        if is_versioned {
                            let loc = self.revisions[i]
                                .spec
                                .down_revision
                                .iter()
                                .find(|r| r.id == downrev)
                                .and_then(|r| r.loc.clone());
                            let mut d = with_loc(
                                Diagnostic::error(
                                    "graph::missing-down-revision",
                                    format!(
                                        "down_revision '{downrev}' of revision {id} names no revision"
                                    ),
                                ),
                                loc,
                                "no revision has this id",
                            )
                            .with_note(format!(
                                "Alembic warns that revision {downrev} is not present and stops loading with KeyError: '{downrev}'"
                            ));
                            if let Some(full) = self.unique_prefix_match(&downrev) {
                                d = d.with_help(format!("did you mean '{full}'?"));
                            }
                            self.problems.push(d);
                            self.fail(AlembicFailure::new(
                                AlembicFailureKind::KeyError,
                                format!("'{downrev}'"),
                            ));
                        }
                        continue;
                    }
                };
                add_unique(&mut self.revisions[target].all_nextrev, i);
                if down.iter().any(|d| d == self.revisions[target].id()) {
                    add_unique(&mut self.revisions[target].nextrev, i);
                }
                if is_versioned {
                    discarded_heads[target] = true;
                }
                discarded_real[target] = true;
            }
        }
        for r in &mut self.revisions {
            r.nextrev.sort_unstable();
            r.all_nextrev.sort_unstable();
        }
        self.heads.retain(|&h| !discarded_heads[h]);
        self.real_heads.retain(|&h| !discarded_real[h]);
    }

    fn normalize_dependencies(&mut self) {
        for i in 0..self.revisions.len() {
            if self.revisions[i].resolved_deps.is_empty() {
                continue;
            }
            let ancestors = self.ancestors(&[i], false);
            let mut normalized: Vec<String> =
                dedupe(self.revisions[i].resolved_deps.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect();
            for a in ancestors {
                if a == i {
                    continue;
                }
                let deps = &self.revisions[a].resolved_deps;
                normalized.retain(|d| !deps.contains(d));
            }
            self.revisions[i].normalized_deps = normalized;
        }
    }

    fn build_petgraph(&mut self) {
        for i in 0..self.revisions.len() {
            self.graph.add_node(i);
        }
        for i in 0..self.revisions.len() {
            for &child in &self.revisions[i].all_nextrev {
                let c = &self.revisions[child];
                let kind = if c.down_ids().any(|d| d == self.revisions[i].id()) {
                    EdgeKind::Down
                } else {
                    EdgeKind::DependsOn {
                        normalized: c
                            .normalized_deps
                            .iter()
                            .any(|d| d == self.revisions[i].id()),
                    }
                };
                self.graph
                    .add_edge(NodeIndex::new(i), NodeIndex::new(child), kind);
            }
        }
    }

    /// Cycles: reported per strongly connected component (petgraph), and
    /// classified as Alembic's `_detect_cycles` would (only when nothing
    /// earlier would have stopped Alembic first).
    fn detect_cycles(&mut self) {
        let sccs = petgraph::algo::tarjan_scc(&self.graph);
        let mut in_cycle = vec![false; self.revisions.len()];
        let mut found = Vec::new();
        for scc in sccs {
            if scc.len() < 2 {
                continue;
            }
            let mut members: Vec<RevIdx> = scc.iter().map(|n| self.graph[*n]).collect();
            members.sort_unstable();
            for &m in &members {
                in_cycle[m] = true;
            }
            // A cycle through down_revision alone is Alembic's CycleDetected;
            // one that needs a depends_on edge is DependencyCycleDetected.
            let mut down_only: DiGraph<(), ()> = DiGraph::new();
            let nodes: Vec<NodeIndex> = members.iter().map(|_| down_only.add_node(())).collect();
            for (a, &m) in members.iter().enumerate() {
                for &c in &self.revisions[m].nextrev {
                    if let Some(b) = members.iter().position(|&x| x == c) {
                        down_only.add_edge(nodes[a], nodes[b], ());
                    }
                }
            }
            let down_cycle = petgraph::algo::is_cyclic_directed(&down_only);
            found.push((members, down_cycle));
        }
        for (members, down_cycle) in &found {
            let ids: Vec<&str> = members.iter().map(|&m| self.revisions[m].id()).collect();
            let (code, what) = if *down_cycle {
                ("graph::cycle", "down_revision")
            } else {
                ("graph::dependency-cycle", "down_revision and depends_on")
            };
            let mut d = Diagnostic::error(
                code,
                format!("revisions {} form a cycle through {what}", ids.join(", ")),
            );
            for &m in members {
                if let Some(l) = self.revisions[m]
                    .spec
                    .down_revision
                    .first()
                    .and_then(|r| r.loc.clone())
                    .or_else(|| self.revisions[m].spec.revision_loc.clone())
                {
                    d = d.with_label(l, self.revisions[m].id().to_string());
                }
            }
            self.problems.push(d.with_note(
                "migsim leaves these revisions and everything built on them out of the replay",
            ));
        }
        if !found.is_empty() {
            // Everything reachable upward from a cycle cannot be ordered either.
            let mut stack: Vec<RevIdx> =
                (0..self.revisions.len()).filter(|&i| in_cycle[i]).collect();
            while let Some(i) = stack.pop() {
                if self.excluded[i] {
                    continue;
                }
                self.excluded[i] = true;
                stack.extend(self.revisions[i].all_nextrev.iter().copied());
            }
        }
        if self.failure.is_none()
            && let Some(f) = verdict::alembic_cycle_check(self)
        {
            self.fail(f);
        }
    }

    /// `_add_branches`: labels spread to every descendant, and down the
    /// branch until a branch point or merge point.
    fn propagate_branch_labels(&mut self) {
        for i in 0..self.revisions.len() {
            if self.revisions[i].spec.branch_labels.is_empty()
                || self.revisions[i].labels.is_empty()
            {
                continue;
            }
            let labels = self.revisions[i].labels.clone();
            let descendants = self
                .iterate_related(&[i], Relation::NextVersioned, false)
                .unwrap_or_default();
            for &d in &descendants {
                self.revisions[d].labels.extend(labels.iter().cloned());
            }
            let mut parent = descendants.last().copied();
            let mut guard = self.revisions.len() + 1;
            while let Some(p) = parent {
                guard -= 1;
                if guard == 0
                    || self.revisions[p].is_real_branch_point()
                    || self.revisions[p].is_merge_point()
                {
                    break;
                }
                self.revisions[p].labels.extend(labels.iter().cloned());
                parent = self.revisions[p]
                    .spec
                    .down_revision
                    .first()
                    .and_then(|d| self.map.get(&d.id).copied());
            }
        }
    }

    fn warn_multiple_heads(&mut self) {
        // Heads whose position is a guess (unreadable down_revision) would
        // make this warning a guess too.
        let mut heads: Vec<&str> = Vec::new();
        for &h in &self.heads {
            let c = self.canonical(h);
            let id = self.revisions[h].id();
            if !heads.contains(&id) && !self.excluded[c] && !self.revisions[c].spec.position_unknown
            {
                heads.push(id);
            }
        }
        if heads.len() > 1 {
            let mut d = Diagnostic::warning(
                "graph::multiple-heads",
                format!("{} head revisions: {}", heads.len(), heads.join(", ")),
            );
            for &h in &self.heads {
                let r = &self.revisions[h];
                if r.shadowed_by.is_some() {
                    continue;
                }
                if let Some(l) = r.spec.revision_loc.clone() {
                    d = d.with_label(l, "head");
                }
            }
            self.problems.push(
                d.with_note(
                    "`alembic upgrade head` fails with \"Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads\"",
                )
                .with_help("merge them with `alembic merge heads`, or upgrade to 'heads'"),
            );
        }
    }
}

fn add_unique(v: &mut Vec<RevIdx>, i: RevIdx) {
    if !v.contains(&i) {
        v.push(i);
    }
}

fn with_loc(d: Diagnostic, loc: Option<Loc>, text: &str) -> Diagnostic {
    match loc {
        Some(l) => d.with_label(l, text),
        None => d,
    }
}

/// Which neighbours a traversal follows (Alembic's `fn` arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    /// `_versioned_down_revisions`
    DownVersioned,
    /// `_normalized_down_revisions`
    DownNormalized,
    /// `_all_down_revisions`
    DownAll,
    /// `nextrev`
    NextVersioned,
    /// `_all_nextrev`
    NextAll,
}

impl RevisionGraph {
    fn neighbours(&self, i: RevIdx, rel: Relation) -> Vec<RevIdx> {
        let r = &self.revisions[i];
        let by_name = |names: Vec<&str>| -> Vec<RevIdx> {
            // Only exact revision ids: a branch label in a down_revision is a
            // reported problem, not an edge.
            names
                .into_iter()
                .filter_map(|n| {
                    self.map
                        .get(n)
                        .copied()
                        .filter(|&t| self.revisions[t].id() == n)
                })
                .filter(|&t| t != i)
                .collect()
        };
        match rel {
            Relation::DownVersioned => by_name(r.down_ids().collect()),
            Relation::DownNormalized => by_name(r.normalized_down()),
            Relation::DownAll => by_name(r.all_down()),
            Relation::NextVersioned => r.nextrev.clone(),
            Relation::NextAll => r.all_nextrev.clone(),
        }
    }

    /// `_iterate_related_revisions`: depth-first with Alembic's LIFO deque,
    /// yielding each revision once. With `check`, a target reached from
    /// another target is an error ("overlaps").
    pub(crate) fn iterate_related(
        &self,
        targets: &[RevIdx],
        rel: Relation,
        check: bool,
    ) -> Result<Vec<RevIdx>, RevisionError> {
        let mut seen = vec![false; self.revisions.len()];
        let mut out = Vec::new();
        let mut todo: Vec<RevIdx> = Vec::new();
        for &target in targets {
            let mut per_target: Vec<RevIdx> = Vec::new();
            todo.push(target);
            while let Some(rev) = todo.pop() {
                if check {
                    per_target.push(rev);
                }
                if seen[rev] {
                    continue;
                }
                seen[rev] = true;
                todo.extend(self.neighbours(rev, rel));
                out.push(rev);
            }
            if check {
                let mut overlaps: Vec<&str> = Vec::new();
                for &p in &per_target {
                    if p != target && targets.contains(&p) {
                        let id = self.revisions[p].id();
                        if !overlaps.contains(&id) {
                            overlaps.push(id);
                        }
                    }
                }
                if !overlaps.is_empty() {
                    return Err(RevisionError::Other(format!(
                        "Requested revision {} overlaps with other requested revisions {}",
                        self.revisions[target].id(),
                        overlaps.join(", ")
                    )));
                }
            }
        }
        Ok(out)
    }

    /// Ancestors including the targets themselves.
    pub(crate) fn ancestors(&self, targets: &[RevIdx], include_dependencies: bool) -> Vec<RevIdx> {
        let rel = if include_dependencies {
            Relation::DownNormalized
        } else {
            Relation::DownVersioned
        };
        self.iterate_related(targets, rel, false)
            .unwrap_or_default()
    }

    /// Descendants including the targets themselves.
    pub(crate) fn descendants(
        &self,
        targets: &[RevIdx],
        include_dependencies: bool,
    ) -> Vec<RevIdx> {
        let rel = if include_dependencies {
            Relation::NextAll
        } else {
            Relation::NextVersioned
        };
        self.iterate_related(targets, rel, false)
            .unwrap_or_default()
    }
}

#[cfg(test)]
pub(crate) mod tests;
