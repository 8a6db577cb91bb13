//! What real Alembic does when it loads a project: the exception it raises
//! first, classified by its Python class, so migsim's verdict on a broken
//! project can be compared with Alembic's.

use std::fmt;

use super::{Relation, RevIdx, RevisionGraph, RevisionSpec, with_loc};
use crate::report::Diagnostic;

/// The Python exception class Alembic's loading stops with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlembicFailureKind {
    /// `alembic.util.exc.CommandError` (printed as `FAILED: ...`).
    CommandError,
    /// A missing `down_revision` / `depends_on` target.
    KeyError,
    /// A revision file without a `down_revision` variable.
    AttributeError,
    /// The file does not parse (or is not decodable / holds NUL bytes).
    SyntaxError,
    CycleDetected,
    DependencyCycleDetected,
    LoopDetected,
    DependencyLoopDetected,
    /// `alembic.script.revision.RevisionError` (duplicate branch label,
    /// illegal characters in an id).
    RevisionError,
    /// The file could not be opened (permissions, a broken symlink).
    OSError,
}

impl AlembicFailureKind {
    /// The class name as the last line of Alembic's traceback shows it.
    pub fn python_name(self) -> &'static str {
        match self {
            AlembicFailureKind::CommandError => "CommandError",
            AlembicFailureKind::KeyError => "KeyError",
            AlembicFailureKind::AttributeError => "AttributeError",
            AlembicFailureKind::SyntaxError => "SyntaxError",
            AlembicFailureKind::CycleDetected => "CycleDetected",
            AlembicFailureKind::DependencyCycleDetected => "DependencyCycleDetected",
            AlembicFailureKind::LoopDetected => "LoopDetected",
            AlembicFailureKind::DependencyLoopDetected => "DependencyLoopDetected",
            AlembicFailureKind::RevisionError => "RevisionError",
            AlembicFailureKind::OSError => "OSError",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlembicFailure {
    pub kind: AlembicFailureKind,
    /// The exception's message (for `KeyError`, the quoted key).
    pub message: String,
}

impl AlembicFailure {
    pub fn new(kind: AlembicFailureKind, message: impl Into<String>) -> Self {
        AlembicFailure {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for AlembicFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AlembicFailureKind::CommandError => write!(f, "FAILED: {}", self.message),
            k => write!(f, "{}: {}", k.python_name(), self.message),
        }
    }
}

/// `RevisionMap._detect_cycles`, run on a graph where every reference
/// resolved (otherwise Alembic fails earlier).
pub(super) fn alembic_cycle_check(g: &RevisionGraph) -> Option<AlembicFailure> {
    let ids: Vec<&str> = g
        .map_order
        .iter()
        .filter(|k| {
            g.map
                .get(*k)
                .is_some_and(|&i| g.revisions[i].id() == k.as_str())
        })
        .map(String::as_str)
        .collect();
    if ids.is_empty() {
        return None;
    }
    let check = |heads: &[RevIdx],
                 bases: &[RevIdx],
                 down: Relation,
                 up: Relation,
                 kind: AlembicFailureKind|
     -> Option<AlembicFailure> {
        let kind_text = match kind {
            AlembicFailureKind::CycleDetected => "Cycle",
            _ => "Dependency cycle",
        };
        if heads.is_empty() || bases.is_empty() {
            return Some(AlembicFailure::new(
                kind,
                format!("{kind_text} is detected in revisions ({})", ids.join(", ")),
            ));
        }
        let mut from_heads = vec![false; g.revisions.len()];
        for i in g.iterate_related(heads, down, false).unwrap_or_default() {
            from_heads[g.canonical(i)] = true;
        }
        let mut both = vec![false; g.revisions.len()];
        for i in g.iterate_related(bases, up, false).unwrap_or_default() {
            let c = g.canonical(i);
            if from_heads[c] {
                both[c] = true;
            }
        }
        let mut deleted: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| g.map.get(*id).is_none_or(|&i| !both[i]))
            .collect();
        if deleted.is_empty() {
            return None;
        }
        deleted.sort_unstable();
        Some(AlembicFailure::new(
            kind,
            format!(
                "{kind_text} is detected in revisions ({})",
                deleted.join(", ")
            ),
        ))
    };
    check(
        &g.heads,
        &g.bases,
        Relation::DownVersioned,
        Relation::NextVersioned,
        AlembicFailureKind::CycleDetected,
    )
    .or_else(|| {
        check(
            &g.real_heads,
            &g.real_bases,
            Relation::DownAll,
            Relation::NextAll,
            AlembicFailureKind::DependencyCycleDetected,
        )
    })
}

/// What `Revision.__init__` raises for one file: a self-loop through
/// `down_revision` or `depends_on`, or an illegal character in the id.
pub fn spec_failure(spec: &RevisionSpec) -> Option<(AlembicFailure, Diagnostic)> {
    let id = &spec.revision;
    let loc = spec.revision_loc.clone();
    if let Some(r) = spec.down_revision.iter().find(|r| &r.id == id) {
        return Some((
            AlembicFailure::new(
                AlembicFailureKind::LoopDetected,
                format!("Self-loop is detected in revisions ({id})"),
            ),
            with_loc(
                Diagnostic::error(
                    "graph::self-loop",
                    format!("revision {id} names itself as its down_revision"),
                ),
                r.loc.clone().or(loc),
                "",
            ),
        ));
    }
    if let Some(r) = spec.depends_on.iter().find(|r| &r.id == id) {
        return Some((
            AlembicFailure::new(
                AlembicFailureKind::DependencyLoopDetected,
                format!("Dependency self-loop is detected in revisions ({id})"),
            ),
            with_loc(
                Diagnostic::error(
                    "graph::dependency-self-loop",
                    format!("revision {id} depends on itself"),
                ),
                r.loc.clone().or(loc),
                "",
            ),
        ));
    }
    let mut illegal: Vec<char> = id
        .chars()
        .filter(|c| ['@', '-', '+', ':'].contains(c))
        .collect();
    illegal.sort_unstable();
    illegal.dedup();
    if illegal.is_empty() {
        return None;
    }
    let chars = illegal
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let msg = format!("Character(s) '{chars}' not allowed in revision identifier '{id}'");
    Some((
        AlembicFailure::new(AlembicFailureKind::RevisionError, msg.clone()),
        with_loc(
            Diagnostic::error("graph::invalid-revision-id", msg),
            loc,
            "",
        ),
    ))
}
