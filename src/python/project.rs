//! The project's own Python modules: finding `app.db.types` under the
//! package roots, parsing each file once, and sharing the parsed trees
//! between threads.
//!
//! Roots are searched in order, as `sys.path` is: `app/db/types.py`, then
//! `app/db/types/__init__.py`; a directory without `__init__.py` is a
//! namespace package. A dotted name whose top-level package is not under any
//! root is a library (SQLAlchemy, Alembic, ...): its names stay symbolic.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use ruff_python_ast::Stmt;

use super::load::read_python_file;
use super::parse::ParsedModule;

/// One project module as found on disk.
#[derive(Clone, Debug)]
pub enum ModuleLookup {
    /// A `.py` file (`is_package`: an `__init__.py`).
    Found {
        module: Arc<ParsedModule>,
        is_package: bool,
    },
    /// A directory without `__init__.py`.
    Namespace,
    /// The top-level package is the project's, this module is not there.
    Missing,
    /// Not the project's: a library name.
    External,
}

pub struct ProjectModules {
    roots: Vec<PathBuf>,
    /// Roots searched last, each for one top-level package only: the
    /// folder an installed package sits in (`site-packages`) also holds
    /// libraries, which must stay symbolic.
    package_roots: Vec<(PathBuf, String)>,
    cache: RwLock<HashMap<String, ModuleLookup>>,
    top_level: RwLock<HashMap<String, bool>>,
}

impl std::fmt::Debug for ProjectModules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectModules")
            .field("roots", &self.roots)
            .finish()
    }
}

enum OnDisk {
    File(PathBuf, bool),
    Namespace,
    Nothing,
}

impl ProjectModules {
    /// `roots`: the folder holding `alembic.ini` and the `prepend_sys_path`
    /// entries, in the order Python would search them.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        ProjectModules {
            roots,
            package_roots: Vec::new(),
            cache: RwLock::new(HashMap::new()),
            top_level: RwLock::new(HashMap::new()),
        }
    }

    /// Also finds the package `top` (and its submodules) under `root`,
    /// after the other roots; nothing else there is the project's.
    pub fn with_package_root(mut self, root: PathBuf, top: String) -> Self {
        if !self.roots.contains(&root) {
            self.package_roots.push((root, top));
        }
        self
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The roots to search for a module whose top-level name is `top`.
    fn roots_for<'a>(&'a self, top: &'a str) -> impl Iterator<Item = &'a PathBuf> + 'a {
        self.roots.iter().chain(
            self.package_roots
                .iter()
                .filter(move |(_, t)| t == top)
                .map(|(r, _)| r),
        )
    }

    /// Whether `top` (a top-level package or module name) is the project's.
    pub fn is_project_top_level(&self, top: &str) -> bool {
        if KNOWN_LIBRARIES.contains(&top) {
            return false;
        }
        if let Some(&known) = read(&self.top_level).get(top) {
            return known;
        }
        let found = !matches!(self.find_on_disk(&[top]), OnDisk::Nothing);
        write(&self.top_level).insert(top.to_owned(), found);
        found
    }

    /// Finds and parses `dotted` (once; later calls share the tree).
    pub fn lookup(&self, dotted: &str) -> ModuleLookup {
        if let Some(hit) = read(&self.cache).get(dotted) {
            return hit.clone();
        }
        let result = self.resolve_uncached(dotted);
        write(&self.cache)
            .entry(dotted.to_owned())
            .or_insert(result)
            .clone()
    }

    fn resolve_uncached(&self, dotted: &str) -> ModuleLookup {
        let parts: Vec<&str> = dotted.split('.').collect();
        if parts.iter().any(|p| p.is_empty()) || !self.is_project_top_level(parts[0]) {
            return ModuleLookup::External;
        }
        match self.find_on_disk(&parts) {
            OnDisk::File(path, is_package) => {
                let name = self.display_name(&path);
                ModuleLookup::Found {
                    module: Arc::new(read_python_file(&name, &path)),
                    is_package,
                }
            }
            OnDisk::Namespace => ModuleLookup::Namespace,
            OnDisk::Nothing => ModuleLookup::Missing,
        }
    }

    fn find_on_disk(&self, parts: &[&str]) -> OnDisk {
        let mut namespace = false;
        for root in self.roots_for(parts[0]) {
            let mut dir = root.clone();
            for p in &parts[..parts.len() - 1] {
                dir.push(p);
            }
            let last = parts[parts.len() - 1];
            let file = dir.join(format!("{last}.py"));
            let pkg = dir.join(last);
            let init = pkg.join("__init__.py");
            // A regular package wins over a module of the same name, as in
            // Python's path finder.
            if init.is_file() {
                return OnDisk::File(init, true);
            }
            if file.is_file() {
                return OnDisk::File(file, false);
            }
            if pkg.is_dir() {
                namespace = true;
            }
        }
        if namespace {
            OnDisk::Namespace
        } else {
            OnDisk::Nothing
        }
    }

    fn display_name(&self, path: &Path) -> String {
        for root in self
            .roots
            .iter()
            .chain(self.package_roots.iter().map(|(r, _)| r))
        {
            if let Ok(rel) = path.strip_prefix(root) {
                return rel.to_string_lossy().into_owned();
            }
        }
        path.to_string_lossy().into_owned()
    }

    /// Parses, in parallel, every project module the given files import
    /// (directly or through other project modules), so that evaluation
    /// finds them parsed. Imports are found syntactically anywhere in a
    /// file, including inside functions.
    pub fn preload(&self, files: &[&ParsedModule]) {
        let mut seen: HashSet<String> = HashSet::new();
        let mut wanted: Vec<String> = Vec::new();
        for f in files {
            for name in imported_names(&f.module.body, None) {
                if seen.insert(name.clone()) {
                    wanted.push(name);
                }
            }
        }
        while !wanted.is_empty() {
            let found: Vec<(String, ModuleLookup)> = wanted
                .par_iter()
                .map(|name| (name.clone(), self.lookup(name)))
                .collect();
            wanted = Vec::new();
            for (name, lookup) in found {
                if let ModuleLookup::Found { module, is_package } = lookup {
                    let package = if is_package {
                        Some(name.as_str())
                    } else {
                        name.rsplit_once('.').map(|(p, _)| p)
                    };
                    for n in imported_names(&module.module.body, Some(package.unwrap_or(""))) {
                        if seen.insert(n.clone()) {
                            wanted.push(n);
                        }
                    }
                }
            }
        }
    }
}

/// Libraries (and standard modules) that a project folder must not shadow.
/// An Alembic project usually has an `alembic/` folder next to
/// `alembic.ini`; for Python it is at most a namespace package, which the
/// installed `alembic` package beats, so it must not capture `alembic.op`.
const KNOWN_LIBRARIES: &[&str] = &[
    "alembic",
    "sqlalchemy",
    "sqlmodel",
    "sqlalchemy_utils",
    "geoalchemy2",
    "pgvector",
    "alembic_utils",
    "alembic_postgresql_enum",
    "psycopg2",
    "psycopg",
    "asyncpg",
    "os",
    "sys",
    "re",
    "json",
    "enum",
    "typing",
    "typing_extensions",
    "datetime",
    "uuid",
    "decimal",
    "logging",
    "textwrap",
    "pathlib",
    "collections",
    "functools",
    "itertools",
    "dataclasses",
    "abc",
    "contextlib",
    "warnings",
    "time",
    "math",
    "string",
    "hashlib",
    "base64",
    "random",
    "copy",
    "importlib",
    "inspect",
    "operator",
    "types",
    "io",
    "csv",
    "secrets",
];

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    // A poisoned lock only means another thread panicked mid-insert; the
    // map itself is still consistent (inserts are single calls).
    l.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}

/// Resolves `from ..x import y` against the importing module's package.
pub fn resolve_relative(package: &str, level: u32, module: Option<&str>) -> Option<String> {
    let mut parts: Vec<&str> = if package.is_empty() {
        Vec::new()
    } else {
        package.split('.').collect()
    };
    for _ in 1..level {
        parts.pop()?;
    }
    if parts.is_empty() && module.is_none() {
        return None;
    }
    let mut name = parts.join(".");
    if let Some(m) = module {
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(m);
    }
    (!name.is_empty()).then_some(name)
}

/// Every module a suite may import: `import a.b` gives `a` and `a.b`,
/// `from a.b import c` gives `a`, `a.b` and `a.b.c` (c may be a submodule).
/// Relative imports resolve against `package` (skipped when `None`).
pub fn imported_names(body: &[Stmt], package: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<(&[Stmt], u32)> = vec![(body, 0)];
    while let Some((suite, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        for stmt in suite {
            match stmt {
                Stmt::Import(i) => {
                    for a in &i.names {
                        push_prefixes(&mut out, a.name.as_str());
                    }
                }
                Stmt::ImportFrom(i) => {
                    let base = if i.level == 0 {
                        i.module.as_ref().map(|m| m.as_str().to_owned())
                    } else {
                        package.and_then(|p| {
                            resolve_relative(p, i.level, i.module.as_ref().map(|m| m.as_str()))
                        })
                    };
                    if let Some(base) = base {
                        push_prefixes(&mut out, &base);
                        for a in &i.names {
                            if a.name.as_str() != "*" {
                                out.push(format!("{base}.{}", a.name.as_str()));
                            }
                        }
                    }
                }
                _ => {}
            }
            for sub in sub_suites(stmt) {
                stack.push((sub, depth + 1));
            }
        }
    }
    out
}

fn push_prefixes(out: &mut Vec<String>, dotted: &str) {
    let mut end = 0;
    for (i, c) in dotted.char_indices() {
        if c == '.' {
            out.push(dotted[..i].to_owned());
        }
        end = i + c.len_utf8();
    }
    out.push(dotted[..end].to_owned());
}

/// The statement lists directly inside a statement.
pub fn sub_suites(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body[..]],
        Stmt::ClassDef(c) => vec![&c.body[..]],
        Stmt::If(i) => {
            let mut v = vec![&i.body[..]];
            v.extend(i.elif_else_clauses.iter().map(|c| &c.body[..]));
            v
        }
        Stmt::For(f) => vec![&f.body[..], &f.orelse[..]],
        Stmt::While(w) => vec![&w.body[..], &w.orelse[..]],
        Stmt::With(w) => vec![&w.body[..]],
        Stmt::Try(t) => {
            let mut v = vec![&t.body[..], &t.orelse[..], &t.finalbody[..]];
            for h in &t.handlers {
                let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                v.push(&h.body[..]);
            }
            v
        }
        Stmt::Match(m) => m.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::load::load_python_str;

    #[test]
    fn relative_imports_resolve_like_python() {
        assert_eq!(
            resolve_relative("app.db", 1, Some("types")).as_deref(),
            Some("app.db.types")
        );
        assert_eq!(
            resolve_relative("app.db", 2, Some("x")).as_deref(),
            Some("app.x")
        );
        assert_eq!(
            resolve_relative("app.db", 1, None).as_deref(),
            Some("app.db")
        );
        assert_eq!(resolve_relative("app", 3, Some("x")), None);
    }

    #[test]
    fn imports_are_found_anywhere() {
        let m = load_python_str(
            "m.py",
            "import a.b\ndef f():\n    if x:\n        from c.d import e\n",
        );
        let names = imported_names(&m.module.body, None);
        assert_eq!(names, vec!["a", "a.b", "c", "c.d", "c.d.e"]);
    }

    #[test]
    fn finds_modules_packages_and_namespaces() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("app/db")).unwrap();
        std::fs::write(root.join("app/__init__.py"), "").unwrap();
        std::fs::write(root.join("app/db/types.py"), "X = 1\n").unwrap();
        let p = ProjectModules::new(vec![root.to_path_buf()]);
        assert!(matches!(
            p.lookup("app"),
            ModuleLookup::Found {
                is_package: true,
                ..
            }
        ));
        assert!(matches!(p.lookup("app.db"), ModuleLookup::Namespace));
        match p.lookup("app.db.types") {
            ModuleLookup::Found { module, is_package } => {
                assert!(!is_package);
                assert_eq!(module.file.name, "app/db/types.py");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(p.lookup("app.nope"), ModuleLookup::Missing));
        assert!(matches!(
            p.lookup("sqlalchemy.types"),
            ModuleLookup::External
        ));
    }

    #[test]
    fn a_package_root_serves_one_package_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        for pkg in ["app", "numpy"] {
            std::fs::create_dir_all(site.join(pkg)).unwrap();
            std::fs::write(site.join(pkg).join("__init__.py"), "").unwrap();
        }
        std::fs::write(site.join("app/models.py"), "X = 1\n").unwrap();
        let p = ProjectModules::new(vec![dir.path().join("nowhere")])
            .with_package_root(site.to_path_buf(), "app".into());
        assert!(matches!(
            p.lookup("app.models"),
            ModuleLookup::Found {
                is_package: false,
                ..
            }
        ));
        assert!(matches!(p.lookup("numpy"), ModuleLookup::External));
    }
}
