//! Finding an Alembic project the way Alembic finds it: `alembic.ini`
//! (`Config` + `ScriptDirectory.from_config`), `[tool.alembic]` in
//! `pyproject.toml`, a script directory, or a bare versions folder; then the
//! revision files `ScriptDirectory._load_revisions` would import, in its order.
//!
//! Alembic resolves relative paths against the working directory it runs in;
//! migsim assumes it runs where the config file is (the usual way to call it).

pub mod ini;
pub mod pyproject;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::report::Diagnostic;
use crate::source::{Loc, SourceFile, Span};

use ini::{IniFile, InterpolationError, py_strip};
use pyproject::{Pyproject, TomlSetting};

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigSource {
    /// An ini file, plus `pyproject.toml` beside it when that has `[tool.alembic]`.
    Ini {
        ini: PathBuf,
        pyproject: Option<PathBuf>,
    },
    Pyproject(PathBuf),
    /// A folder holding `env.py` and `versions/`, without a config file.
    ScriptDirectory,
    /// A folder of revision files and nothing else.
    VersionsFolder,
}

/// One configured version location.
#[derive(Debug, Clone)]
pub struct VersionLocation {
    /// Absolute (not symlink-resolved), as Alembic's `Path.absolute()`.
    pub path: PathBuf,
    pub exists: bool,
    /// Where the configuration names it (`None` for the default `versions/`).
    pub declared_at: Option<Loc>,
}

/// A file `_load_revisions` would import, in its order.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionFile {
    /// Symlink-resolved path (Alembic loads `file_path.resolve()`).
    pub path: PathBuf,
    /// The name to show the user.
    pub display: String,
    /// A `.pyc`/`.pyo` without source (only with `sourceless = true`):
    /// cannot be read statically.
    pub compiled_only: bool,
}

#[derive(Debug)]
pub struct Project {
    /// The folder Alembic is assumed to run in (the config file's folder).
    pub root: PathBuf,
    pub source: ConfigSource,
    /// The script directory (`script_location`), when known.
    pub script_location: Option<PathBuf>,
    pub env_py: Option<PathBuf>,
    pub version_locations: Vec<VersionLocation>,
    pub recursive_version_locations: bool,
    pub sourceless: bool,
    /// `file_template` after interpolation (Alembic's default when unset).
    pub file_template: String,
    /// `prepend_sys_path` entries, resolved against `root`.
    pub prepend_sys_path: Vec<PathBuf>,
    /// Where imports of the application's own modules are looked up, in
    /// `sys.path` order: `prepend_sys_path`, then `root`.
    pub package_roots: Vec<PathBuf>,
    /// The package the script directory (or versions folder) is part of,
    /// as (the folder holding it, its top-level name): searched after
    /// `package_roots`, for that package only.
    pub enclosing_package: Option<(PathBuf, String)>,
    pub revision_files: Vec<RevisionFile>,
    /// Warnings and non-fatal errors found while discovering.
    pub diagnostics: Vec<Diagnostic>,
    /// The config files read, kept so diagnostics can point into them.
    pub config_files: Vec<Arc<SourceFile>>,
    /// How paths are shown: (absolute prefix, as the user wrote it).
    display_base: (PathBuf, PathBuf),
}

impl Project {
    /// A path as the user should see it: relative to what they pointed at.
    pub fn display_path(&self, path: &Path) -> String {
        display_with(&self.display_base, path)
    }
}

const DEFAULT_FILE_TEMPLATE: &str = "%(rev)s_%(slug)s";
/// The ini section Alembic reads unless `-n/--name` says otherwise.
pub const DEFAULT_SECTION: &str = "alembic";

fn display_with(base: &(PathBuf, PathBuf), path: &Path) -> String {
    let (abs, given) = base;
    let shown = match path.strip_prefix(abs) {
        Ok(rel) if given.as_os_str().is_empty() || given == Path::new(".") => rel.to_path_buf(),
        Ok(rel) => given.join(rel),
        Err(_) => path.to_path_buf(),
    };
    let s = shown.to_string_lossy().into_owned();
    if s.is_empty() { ".".to_string() } else { s }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Reads a config file as text; `Err` is a diagnostic saying why not.
fn read_text(path: &Path, shown: &str) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::error("discover::unreadable", format!("cannot read {shown}: {e}"))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(shown, path, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = SourceFile::new(shown, path, text);
            Err(Box::new(
                Diagnostic::error(
                    "discover::encoding",
                    format!("{shown} is not valid UTF-8 (byte {at}); Python would fail to read it"),
                )
                .with_label(Loc::new(&file, Span::new(at, at + 1)), "invalid byte"),
            ))
        }
    }
}

/// Finds the Alembic project at `input`: an ini file, a `pyproject.toml`, a
/// folder holding either, a script directory, or a bare versions folder.
/// `Err` when nothing usable is there; problems that still leave a usable
/// project are in [`Project::diagnostics`].
pub fn discover(input: &Path) -> Result<Project, Vec<Diagnostic>> {
    discover_section(input, DEFAULT_SECTION)
}

/// [`discover`] reading the ini section `section` instead of `[alembic]`
/// (what `alembic -n NAME` does).
pub fn discover_section(input: &Path, section: &str) -> Result<Project, Vec<Diagnostic>> {
    let meta = fs::metadata(input).map_err(|e| {
        vec![Diagnostic::error(
            "discover::not-found",
            format!("{}: {e}", input.display()),
        )]
    })?;
    if meta.is_file() {
        let dir = input.parent().unwrap_or(Path::new("")).to_path_buf();
        let base = (absolute(&dir), dir.clone());
        let is_toml = input.file_name().is_some_and(|n| n == "pyproject.toml");
        if is_toml {
            let ini = dir.join("alembic.ini");
            let ini = ini.is_file().then_some(ini);
            return from_config(ini.as_deref(), Some(input), base, section);
        }
        let toml = dir.join("pyproject.toml");
        let toml = toml.is_file().then_some(toml);
        return from_config(Some(input), toml.as_deref(), base, section);
    }
    let base = (absolute(input), input.to_path_buf());
    let ini = input.join("alembic.ini");
    let toml = input.join("pyproject.toml");
    let toml = toml.is_file().then_some(toml);
    if ini.is_file() {
        return from_config(Some(&ini), toml.as_deref(), base, section);
    }
    if let Some(toml) = &toml {
        let here = absolute(input);
        if let Ok(file) = read_text(toml, &display_with(&base, &absolute(toml)))
            && Pyproject::parse(file, &posix(&here)).has_alembic_table()
        {
            return from_config(None, Some(toml), base, section);
        }
    }
    Ok(from_folder(input, base))
}

fn posix(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// A folder without a config file: a script directory (`env.py` beside a
/// `versions/`, or a `versions/` folder whose parent holds `env.py`), or a
/// bare folder of revision files.
fn from_folder(dir: &Path, base: (PathBuf, PathBuf)) -> Project {
    let abs = absolute(dir);
    let (script_dir, versions, source) = if abs.join("env.py").is_file() {
        (
            Some(abs.clone()),
            abs.join("versions"),
            ConfigSource::ScriptDirectory,
        )
    } else if abs.file_name().is_some_and(|n| n == "versions")
        && abs.parent().is_some_and(|p| p.join("env.py").is_file())
    {
        let parent = abs.parent().map(Path::to_path_buf);
        (parent, abs.clone(), ConfigSource::ScriptDirectory)
    } else {
        (None, abs.clone(), ConfigSource::VersionsFolder)
    };
    let root = script_dir
        .as_ref()
        .and_then(|s| s.parent())
        .or_else(|| abs.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| abs.clone());
    let mut project = Project {
        root: root.clone(),
        source,
        env_py: script_dir.as_ref().map(|s| s.join("env.py")),
        script_location: script_dir,
        version_locations: vec![VersionLocation {
            exists: versions.is_dir(),
            path: versions,
            declared_at: None,
        }],
        recursive_version_locations: false,
        sourceless: false,
        file_template: DEFAULT_FILE_TEMPLATE.to_string(),
        prepend_sys_path: Vec::new(),
        package_roots: vec![root],
        enclosing_package: None,
        revision_files: Vec::new(),
        diagnostics: Vec::new(),
        config_files: Vec::new(),
        display_base: base,
    };
    project.diagnostics.push(
        Diagnostic::new(
            crate::report::Severity::Info,
            "discover::no-config",
            format!(
                "no alembic.ini or [tool.alembic] found; reading {} as a {}",
                project.display_path(&abs),
                match project.source {
                    ConfigSource::ScriptDirectory => "script directory",
                    _ => "folder of revision files",
                }
            ),
        )
        .with_help("point migsim at alembic.ini to use the project's own settings"),
    );
    add_enclosing_package(&mut project, &abs);
    collect_revision_files(&mut project);
    project
}

/// How many folders without `__init__.py` may sit between a migrations
/// folder and the package holding it (`pkg/db/_migrations/versions/postgresql`).
const PACKAGE_SEARCH_DEPTH: usize = 3;

/// The package a migrations folder lives in, and the folder `sys.path`
/// must hold for it: a history shipped inside an installed package
/// (`site-packages/app/db/migrations`) imports `app.models`, which Python
/// finds because `site-packages` is on `sys.path`. `None` when `start` is
/// not inside a regular package.
pub fn enclosing_package(start: &Path) -> Option<(PathBuf, String)> {
    let is_package = |d: &Path| d.join("__init__.py").is_file();
    let mut dir = start;
    let mut skipped = 0;
    while !is_package(dir) {
        skipped += 1;
        if skipped > PACKAGE_SEARCH_DEPTH {
            return None;
        }
        dir = dir.parent()?;
    }
    while let Some(parent) = dir.parent() {
        if !is_package(parent) {
            let top = dir.file_name()?.to_string_lossy().into_owned();
            return Some((parent.to_path_buf(), top));
        }
        dir = parent;
    }
    None
}

/// Records the package the migrations live in (see [`enclosing_package`]),
/// unless a configured root already holds it.
fn add_enclosing_package(project: &mut Project, start: &Path) {
    if let Some((root, top)) = enclosing_package(start)
        && !project.package_roots.contains(&root)
    {
        project.enclosing_package = Some((root, top));
    }
}

/// The settings Alembic's `Config` answers, ini first, then `[tool.alembic]`.
struct Config {
    ini: Option<IniFile>,
    toml: Option<Pyproject>,
    /// The ini section (`alembic -n NAME`); `[tool.alembic]` is fixed.
    section: String,
}

/// A string setting and where it was written.
struct Setting {
    value: String,
    loc: Loc,
}

impl Config {
    fn ini_has(&self, name: &str) -> bool {
        self.ini
            .as_ref()
            .is_some_and(|i| i.raw(&self.section, name).is_some())
    }

    /// `Config.get_alembic_option` for a string.
    fn option(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Setting> {
        if let Some(ini) = &self.ini
            && let Some((value, raw)) = ini.get(&self.section, name)
        {
            return match value {
                Ok(value) => Some(Setting {
                    value,
                    loc: raw.loc.clone(),
                }),
                Err(e) => {
                    diags.push(interpolation_error(name, &e, &raw.loc));
                    None
                }
            };
        }
        let (value, loc) = self.toml.as_ref()?.get(name)?;
        match value {
            Ok(TomlSetting::Str(s)) => Some(Setting { value: s, loc }),
            Ok(TomlSetting::Int(i)) => Some(Setting {
                value: i.to_string(),
                loc,
            }),
            Ok(other) => {
                diags.push(
                    Diagnostic::error(
                        "config::type",
                        format!("[tool.alembic] {name} must be a string, found {other:?}"),
                    )
                    .with_label(loc, ""),
                );
                None
            }
            Err(e) => {
                diags.push(Diagnostic::error("config::interpolation", e).with_label(loc, ""));
                None
            }
        }
    }

    /// `Config.get_alembic_boolean_option`: the ini value must be exactly
    /// `true`; a TOML value must be a boolean.
    fn boolean(&self, name: &str, diags: &mut Vec<Diagnostic>) -> bool {
        if self.ini_has(name) {
            let Some(s) = self.option(name, diags) else {
                return false;
            };
            if s.value == "true" {
                return true;
            }
            if ["1", "yes", "on", "True", "TRUE"].contains(&s.value.as_str()) {
                diags.push(
                    Diagnostic::warning(
                        "config::not-true",
                        format!(
                            "{name} = {} is read as false: Alembic only accepts the exact word 'true'",
                            s.value
                        ),
                    )
                    .with_label(s.loc, ""),
                );
            }
            return false;
        }
        match self.toml.as_ref().and_then(|t| t.get(name)) {
            None => false,
            Some((Ok(TomlSetting::Bool(b)), _)) => b,
            Some((_, loc)) => {
                diags.push(
                    Diagnostic::error(
                        "config::type",
                        format!("boolean value expected for TOML parameter '{name}'"),
                    )
                    .with_label(loc, ""),
                );
                false
            }
        }
    }

    /// `Config._get_file_separator_char`: the ini's separator for path lists,
    /// or `None` for Alembic's legacy splitting.
    fn separator(&self, names: &[&str], diags: &mut Vec<Diagnostic>) -> Option<Option<char>> {
        for name in names {
            let Some(s) = self
                .ini
                .as_ref()
                .and_then(|i| i.get(&self.section, name))
                .map(|(v, raw)| (v, raw.loc.clone()))
            else {
                continue;
            };
            let (value, loc) = s;
            let value = match value {
                Ok(v) => v,
                Err(e) => {
                    diags.push(interpolation_error(name, &e, &loc));
                    return None;
                }
            };
            let sep = match value.as_str() {
                "space" => ' ',
                "newline" => '\n',
                "os" => {
                    if cfg!(windows) {
                        ';'
                    } else {
                        ':'
                    }
                }
                ":" => ':',
                ";" => ';',
                other => {
                    diags.push(
                        Diagnostic::error(
                            "config::path-separator",
                            format!(
                                "'{other}' is not a valid value for {name}; expected 'space', 'newline', 'os', ':', ';'"
                            ),
                        )
                        .with_label(loc, "Alembic raises ValueError here")
                        .with_note("migsim falls back to Alembic's legacy splitting"),
                    );
                    return Some(None);
                }
            };
            if *name == "version_path_separator" {
                diags.push(
                    Diagnostic::warning(
                        "config::deprecated",
                        "The version_path_separator configuration parameter is deprecated; please use path_separator",
                    )
                    .with_label(loc, ""),
                );
            }
            return Some(Some(sep));
        }
        Some(None)
    }

    /// `get_version_locations_list` / `get_prepend_sys_paths_list`.
    fn path_list(
        &self,
        name: &str,
        separators: &[&str],
        legacy_colon: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(Vec<String>, Loc)> {
        let from_ini = self
            .ini
            .as_ref()
            .and_then(|i| i.get(&self.section, name))
            .map(|(v, raw)| (v, raw.loc.clone()));
        if let Some((value, loc)) = from_ini {
            let value = match value {
                Ok(v) => v,
                Err(e) => {
                    diags.push(interpolation_error(name, &e, &loc));
                    return None;
                }
            };
            // An empty value counts as unset (`if version_locations_str:`).
            if !value.is_empty() {
                let sep = self.separator(separators, diags)?;
                let items = match sep {
                    Some(c) => value
                        .split(c)
                        .filter(|x| !x.is_empty())
                        .map(|x| py_strip(x).to_string())
                        .collect(),
                    None => {
                        diags.push(
                            Diagnostic::warning(
                                "config::legacy-path-separator",
                                format!(
                                    "No path_separator found in configuration; falling back to legacy splitting on spaces{} for {name}.  Consider adding path_separator=os to Alembic config.",
                                    if legacy_colon { ", commas, and colons" } else { "/commas" }
                                ),
                            )
                            .with_label(loc.clone(), ""),
                        );
                        legacy_split(&value, legacy_colon)
                    }
                };
                return Some((items, loc));
            }
        }
        let (value, loc) = self.toml.as_ref()?.get(name)?;
        match value {
            Ok(TomlSetting::List(items)) => Some((items, loc)),
            Ok(TomlSetting::Str(s)) => {
                diags.push(
                    Diagnostic::error(
                        "config::type",
                        format!("[tool.alembic] {name} must be a list of strings; Alembic would iterate the characters of {s:?}"),
                    )
                    .with_label(loc, ""),
                );
                None
            }
            Ok(other) => {
                diags.push(
                    Diagnostic::error(
                        "config::type",
                        format!("[tool.alembic] {name} must be a list of strings, found {other:?}"),
                    )
                    .with_label(loc, ""),
                );
                None
            }
            Err(e) => {
                diags.push(Diagnostic::error("config::interpolation", e).with_label(loc, ""));
                None
            }
        }
    }
}

/// `re.split(r", *|(?: +)", s)` (plus `|\:` for `prepend_sys_path`).
fn legacy_split(s: &str, colon: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ',' => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            ' ' => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            ':' if colon => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn interpolation_error(name: &str, e: &InterpolationError, loc: &Loc) -> Diagnostic {
    Diagnostic::error(
        "config::interpolation",
        format!("cannot read option '{name}': {e}"),
    )
    .with_label(loc.clone(), "")
    .with_help("write '%%' for a literal percent sign")
}

fn from_config(
    ini_path: Option<&Path>,
    toml_path: Option<&Path>,
    base: (PathBuf, PathBuf),
    section: &str,
) -> Result<Project, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut config_files = Vec::new();
    let root = ini_path
        .or(toml_path)
        .and_then(Path::parent)
        .map(absolute)
        .unwrap_or_else(|| absolute(Path::new(".")));
    let here = posix(&root);

    let ini = match ini_path {
        None => None,
        Some(p) => {
            let file = read_text(p, &display_with(&base, &absolute(p))).map_err(|d| vec![*d])?;
            config_files.push(Arc::clone(&file));
            let ini = IniFile::parse(file, &[("here", &here)]);
            diags.extend(ini.errors.iter().cloned());
            Some(ini)
        }
    };
    let toml = match toml_path {
        None => None,
        Some(p) => match read_text(p, &display_with(&base, &absolute(p))) {
            Ok(file) => {
                config_files.push(Arc::clone(&file));
                let t = Pyproject::parse(file, &here);
                diags.extend(t.errors.iter().cloned());
                t.has_alembic_table().then_some(t)
            }
            Err(d) => {
                diags.push(*d);
                None
            }
        },
    };
    let source = match ini_path {
        Some(p) => ConfigSource::Ini {
            ini: absolute(p),
            pyproject: toml.as_ref().map(|t| t.file.path.clone()),
        },
        None => ConfigSource::Pyproject(toml_path.map(absolute).unwrap_or_default()),
    };
    let config = Config {
        ini,
        toml,
        section: section.to_string(),
    };

    let Some(script_location) = config.option("script_location", &mut diags) else {
        let mut d = Diagnostic::error(
            "discover::no-script-location",
            "No 'script_location' key found in configuration.",
        );
        if let Some(ini) = &config.ini {
            d = match ini.section(&config.section) {
                Some(s) => d.with_label(
                    s.header.clone(),
                    format!("[{}] has no script_location", config.section),
                ),
                None => d
                    .with_label(Loc::new(&ini.file, Span::new(0, 0)), "")
                    .with_note(format!("the file has no [{}] section", config.section)),
            };
        }
        diags.push(d.with_help("set script_location to the folder holding env.py"));
        return Err(diags);
    };

    let mut project = Project {
        root: root.clone(),
        source,
        script_location: None,
        env_py: None,
        version_locations: Vec::new(),
        recursive_version_locations: false,
        sourceless: false,
        file_template: DEFAULT_FILE_TEMPLATE.to_string(),
        prepend_sys_path: Vec::new(),
        package_roots: Vec::new(),
        enclosing_package: None,
        revision_files: Vec::new(),
        diagnostics: Vec::new(),
        config_files,
        display_base: base,
    };

    if let Some((paths, _)) =
        config.path_list("prepend_sys_path", &["path_separator"], true, &mut diags)
    {
        project.prepend_sys_path = paths
            .iter()
            .map(|p| root.join(p))
            .map(|p| absolute(&p))
            .collect();
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    for r in project
        .prepend_sys_path
        .iter()
        .chain(std::iter::once(&root))
    {
        if !roots.contains(r) {
            roots.push(r.clone());
        }
    }
    project.package_roots = roots;

    let script_dir = match coerce_resource(&script_location.value, &root, &project.package_roots) {
        Ok(p) => p,
        Err(msg) => {
            diags.push(
                Diagnostic::error("discover::script-location", msg)
                    .with_label(script_location.loc, ""),
            );
            return Err(diags);
        }
    };
    if !script_dir.exists() {
        diags.push(
            Diagnostic::error(
                "discover::script-location",
                format!(
                    "Path doesn't exist: {}.  Please use the 'init' command to create a new scripts folder.",
                    script_location.value
                ),
            )
            .with_label(script_location.loc, "script_location"),
        );
        return Err(diags);
    }
    project.env_py = Some(script_dir.join("env.py"));
    project.script_location = Some(script_dir.clone());
    add_enclosing_package(&mut project, &script_dir);

    project.recursive_version_locations = config.boolean("recursive_version_locations", &mut diags);
    project.sourceless = config.boolean("sourceless", &mut diags);
    if let Some(t) = config.option("file_template", &mut diags) {
        project.file_template = t.value;
    }

    match config.path_list(
        "version_locations",
        &["path_separator", "version_path_separator"],
        false,
        &mut diags,
    ) {
        Some((paths, loc)) if !paths.is_empty() => {
            for p in paths {
                match coerce_resource(&p, &root, &project.package_roots) {
                    Ok(path) => project.version_locations.push(VersionLocation {
                        exists: path.is_dir(),
                        path,
                        declared_at: Some(loc.clone()),
                    }),
                    Err(msg) => diags.push(
                        Diagnostic::error("discover::version-location", msg)
                            .with_label(loc.clone(), ""),
                    ),
                }
            }
        }
        _ => {
            let path = script_dir.join("versions");
            project.version_locations.push(VersionLocation {
                exists: path.is_dir(),
                path,
                declared_at: None,
            });
        }
    }

    if project.env_py.as_ref().is_some_and(|e| !e.is_file()) {
        diags.push(Diagnostic::warning(
            "discover::no-env-py",
            format!(
                "{} has no env.py; Alembic needs it to run migrations",
                project.display_path(&script_dir)
            ),
        ));
        project.env_py = None;
    }
    project.diagnostics = diags;
    collect_revision_files(&mut project);
    Ok(project)
}

/// `alembic.util.coerce_resource_to_filename`: a relative name with a colon
/// is `package:resource`; anything else is a path (relative to `root`).
fn coerce_resource(value: &str, root: &Path, package_roots: &[PathBuf]) -> Result<PathBuf, String> {
    let as_path = Path::new(value);
    if as_path.is_absolute() || !value.contains(':') {
        return Ok(absolute(&root.join(as_path)));
    }
    let mut tokens = value.split(':');
    let package = tokens.next().unwrap_or_default();
    let rel: PathBuf = package.split('.').collect();
    for r in package_roots {
        let dir = r.join(&rel);
        if dir.is_dir() {
            let mut p = dir;
            for t in tokens.clone() {
                p = p.join(t);
            }
            return Ok(p);
        }
    }
    Err(format!(
        "cannot locate package '{package}' of '{value}' under the project's import roots ({}); migsim does not look into installed packages",
        package_roots
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// `ScriptDirectory._load_revisions` + `Script._list_py_dir` + the file-name
/// filter of `Script._from_path`.
fn collect_revision_files(project: &mut Project) {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let existing: Vec<PathBuf> = project
        .version_locations
        .iter()
        .filter(|v| v.exists)
        .map(|v| v.path.clone())
        .collect();
    for v in &project.version_locations {
        if !v.exists {
            let shown = project.display_path(&v.path);
            let mut d = Diagnostic::new(
                if existing.is_empty() {
                    crate::report::Severity::Error
                } else {
                    crate::report::Severity::Warning
                },
                "discover::versions-missing",
                format!("version location {shown} does not exist"),
            )
            .with_note("Alembic skips missing version locations silently");
            if let Some(loc) = &v.declared_at {
                d = d.with_label(loc.clone(), "declared here");
            }
            diags.push(d);
        }
    }
    for dir in &existing {
        let listed = list_py_dir(dir, project.recursive_version_locations, project.sourceless);
        for path in listed {
            let real = fs::canonicalize(&path).unwrap_or_else(|_| absolute(&path));
            if !seen.insert(real.clone()) {
                diags.push(Diagnostic::warning(
                    "discover::loaded-twice",
                    format!(
                        "File {} loaded twice! ignoring. Please ensure version_locations is unique.",
                        real.display()
                    ),
                ));
                continue;
            }
            let name = real
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(compiled_only) = revision_file_kind(&name, &real, project.sourceless) else {
                continue;
            };
            files.push(RevisionFile {
                display: project.display_path(&path),
                path: real,
                compiled_only,
            });
        }
        if !project.recursive_version_locations
            && let Some(nested) = first_nested_py(dir)
        {
            diags.push(
                    Diagnostic::warning(
                        "discover::nested-ignored",
                        format!(
                            "{} is in a subfolder of a version location; Alembic ignores it because recursive_version_locations is not true",
                            project.display_path(&nested)
                        ),
                    )
                    .with_help("set recursive_version_locations = true if it is a revision"),
                );
        }
    }
    project.revision_files = files;
    project.diagnostics.extend(diags);
}

/// `os.walk(path, topdown=True)` as `_list_py_dir` uses it: files sorted per
/// folder, `__pycache__` folders skipped (their compiled files are added only
/// with `sourceless`), subfolders (sorted, symlinks not followed) only when
/// recursive.
fn list_py_dir(top: &Path, recursive: bool, sourceless: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(top, recursive, sourceless, &mut out);
    out
}

fn walk(root: &Path, recursive: bool, sourceless: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // `os.walk` uses `is_dir()`, which follows symlinks.
        if e.path().is_dir() {
            dirs.push(name);
        } else {
            files.push(name);
        }
    }
    let is_pycache = root
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("__pycache__"));
    if !is_pycache {
        files.sort();
        for f in &files {
            out.push(root.join(f));
        }
        if sourceless {
            let cache = root.join("__pycache__");
            if let Ok(entries) = fs::read_dir(&cache) {
                let stems: HashSet<&str> = files
                    .iter()
                    .map(|f| f.split('.').next().unwrap_or(""))
                    .collect();
                for e in entries.flatten() {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if !stems.contains(n.split('.').next().unwrap_or("")) {
                        out.push(cache.join(n));
                    }
                }
            }
        }
        if !recursive {
            return;
        }
        dirs.sort();
    }
    for d in dirs {
        let p = root.join(&d);
        // `os.walk` lists symlinked folders but does not descend into them.
        if p.is_symlink() {
            continue;
        }
        walk(&p, recursive, sourceless, out);
    }
}

/// The file-name rules of `Script._from_path`: `None` when Alembic skips the
/// file, `Some(compiled_only)` when it loads it.
fn revision_file_kind(name: &str, real: &Path, sourceless: bool) -> Option<bool> {
    if name.starts_with(".#") || name.starts_with("__init__") {
        return None;
    }
    if name.ends_with(".py") {
        return Some(false);
    }
    if !sourceless {
        return None;
    }
    let (stem, is_o) = if let Some(s) = name.strip_suffix(".pyc") {
        (s, false)
    } else if let Some(s) = name.strip_suffix(".pyo") {
        (s, true)
    } else {
        return None;
    };
    let dir = real.parent().unwrap_or(Path::new(""));
    let py_exists = dir.join(format!("{stem}.py")).exists();
    let pyc_exists = dir.join(format!("{stem}.pyc")).exists();
    if py_exists || (is_o && pyc_exists) {
        return None;
    }
    Some(true)
}

fn first_nested_py(dir: &Path) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.is_symlink())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("__pycache__"))
        })
        .collect();
    dirs.sort();
    for d in dirs {
        let mut files: Vec<PathBuf> = fs::read_dir(&d)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.ends_with(".py") && !n.starts_with("__init__")
                })
            })
            .collect();
        files.sort();
        if let Some(f) = files.into_iter().next() {
            return Some(f);
        }
        if let Some(f) = first_nested_py(&d) {
            return Some(f);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_split_matches_python_re_split() {
        // re.split(r", *|(?: +)", "a, b  c,d ,e")
        assert_eq!(
            legacy_split("a, b  c,d ,e", false),
            ["a", "b", "c", "d", "", "e"]
        );
        assert_eq!(legacy_split("a:b c", true), ["a", "b", "c"]);
        assert_eq!(legacy_split("a:b", false), ["a:b"]);
    }

    #[test]
    fn file_name_rules() {
        let p = Path::new("/nowhere/x");
        assert_eq!(revision_file_kind("abc_x.py", p, false), Some(false));
        assert_eq!(revision_file_kind("_private.py", p, false), Some(false));
        assert_eq!(revision_file_kind(".hidden.py", p, false), Some(false));
        assert_eq!(revision_file_kind("__init__.py", p, false), None);
        assert_eq!(revision_file_kind(".#abc.py", p, false), None);
        assert_eq!(revision_file_kind("abc.pyc", p, false), None);
        assert_eq!(revision_file_kind("abc.pyc", p, true), Some(true));
        assert_eq!(revision_file_kind("notes.txt", p, true), None);
        assert_eq!(revision_file_kind("x.PY", p, false), None);
    }

    #[test]
    fn migrations_inside_an_installed_package_find_the_package() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site-packages");
        let script = site.join("app/db/_migrations");
        std::fs::create_dir_all(script.join("versions/postgresql")).unwrap();
        for pkg in ["app", "app/db"] {
            std::fs::write(site.join(pkg).join("__init__.py"), "").unwrap();
        }
        std::fs::write(script.join("env.py"), "").unwrap();
        let want = Some((site.clone(), "app".to_string()));
        assert_eq!(enclosing_package(&script), want);
        assert_eq!(enclosing_package(&script.join("versions/postgresql")), want);
        let p = discover(&script).unwrap();
        assert_eq!(p.enclosing_package, want);
        // Not inside a package: nothing.
        let plain = dir.path().join("proj/migrations");
        std::fs::create_dir_all(&plain).unwrap();
        assert_eq!(enclosing_package(&plain), None);
    }

    #[test]
    fn display_paths_keep_what_the_user_typed() {
        let base = (PathBuf::from("/w/proj"), PathBuf::from("proj"));
        assert_eq!(
            display_with(&base, Path::new("/w/proj/a/b.py")),
            "proj/a/b.py"
        );
        let base = (PathBuf::from("/w/proj"), PathBuf::from("."));
        assert_eq!(display_with(&base, Path::new("/w/proj/a/b.py")), "a/b.py");
        assert_eq!(display_with(&base, Path::new("/else/c.py")), "/else/c.py");
    }
}
