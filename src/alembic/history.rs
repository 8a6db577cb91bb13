//! A loaded history: the project's revision files read (in parallel) and
//! linked into the revision graph, with everything that went wrong and what
//! Alembic itself would have done with the same folder.

use crate::alembic::discover::Project;
use crate::alembic::env::{EnvPy, read_env_py};
use crate::alembic::graph::verdict::spec_failure;
use crate::alembic::graph::{AlembicFailure, MigrationStep, RevisionGraph};
use crate::alembic::revision::{LoadedRevision, graph_specs, load_revisions};
use crate::report::Diagnostic;

pub struct History {
    pub project: Project,
    /// Every revision file, in Alembic's load order.
    pub files: Vec<LoadedRevision>,
    pub graph: RevisionGraph,
    /// For each graph revision, its index in `files`.
    pub file_of: Vec<usize>,
}

impl History {
    pub fn load(project: Project) -> History {
        let files = load_revisions(&project.revision_files);
        let file_of: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.revision_id.is_some())
            .map(|(i, _)| i)
            .collect();
        let graph = RevisionGraph::build(graph_specs(&files));
        History {
            project,
            files,
            graph,
            file_of,
        }
    }

    /// The file a graph revision came from.
    pub fn file(&self, rev: usize) -> &LoadedRevision {
        &self.files[self.file_of[rev]]
    }

    /// What `alembic heads` would raise on this folder: the first file (in
    /// load order) Alembic cannot import or construct, else the first graph
    /// failure. `None` when Alembic loads the history.
    pub fn alembic_verdict(&self) -> Option<AlembicFailure> {
        let mut graph_rev = 0;
        for f in &self.files {
            if let Some(failure) = &f.failure {
                return Some(failure.clone());
            }
            if f.revision_id.is_some() {
                if let Some((failure, _)) = spec_failure(&self.graph.revision(graph_rev).spec) {
                    return Some(failure);
                }
                graph_rev += 1;
            }
        }
        self.graph.alembic_failure().cloned()
    }

    /// Every diagnostic: discovery, then each file, then the graph.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.project
            .diagnostics
            .iter()
            .chain(self.files.iter().flat_map(|f| f.diagnostics.iter()))
            .chain(self.graph.problems().iter())
    }

    /// `env.py`, read statically (`None` when the project has none).
    pub fn read_env(&self) -> Option<Result<EnvPy, Box<Diagnostic>>> {
        let path = self.project.env_py.as_ref()?;
        Some(read_env_py(path, &self.project.display_path(path)))
    }

    /// The revisions in replay order, each with its migration step.
    pub fn replay(&self) -> Vec<(&LoadedRevision, MigrationStep)> {
        self.graph
            .replay_steps()
            .into_iter()
            .map(|s| (self.file(s.revision), s))
            .collect()
    }
}
