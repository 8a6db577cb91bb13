//! Replaying `.sql` files: one file, or a folder of them in name order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Replayer, SqlOrigin};
use crate::report::Diagnostic;
use crate::source::SourceFile;
use crate::sql::{self, Parsed};

/// Files above this size are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a source file, turning every way it can be unusable into a
/// diagnostic: missing, unreadable, too big, not UTF-8.
pub fn read_source(path: &Path, display: &str) -> Result<Arc<SourceFile>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::error("input::unreadable", format!("cannot read {display}: {e}"))
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "input::too-large",
            format!(
                "{display} is {} bytes; files above {MAX_FILE_BYTES} bytes are not read",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("input::unreadable", format!("cannot read {display}: {e}"))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, path, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let file = SourceFile::new(display, path, text);
            let offset = prefix.len();
            Err(
                Diagnostic::error("input::not-utf8", format!("{display} is not valid UTF-8"))
                    .with_label(
                        crate::source::Loc::new(
                            &file,
                            crate::source::Span::new(offset, offset + 1),
                        ),
                        "invalid byte sequence here",
                    )
                    .with_help("migsim reads SQL and Python sources as UTF-8; re-encode the file."),
            )
        }
    }
}

/// The `.sql` files to replay for a path: the file itself, or the folder's
/// `.sql` files sorted by name.
pub fn collect_sql_files(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| {
            Diagnostic::error(
                "input::unreadable",
                format!("cannot read folder {}: {e}", path.display()),
            )
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        Ok(files)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        Err(Diagnostic::error(
            "input::not-found",
            format!("{} does not exist", path.display()),
        ))
    }
}

/// Outcome of replaying SQL files.
pub struct SqlReplay {
    pub replayer: Replayer,
    pub files: usize,
}

/// Files parsed ahead of the replay. Parsed statements are large (a
/// libpg_query node is 600 bytes), so parsing runs in bounded windows
/// instead of holding every file's tree at once.
const PARSE_WINDOW: usize = 32;

/// A file read and parsed, or why it could not be read.
type LoadedFile = (Result<Arc<SourceFile>, Diagnostic>, Vec<Parsed>);

/// Reads and parses files in parallel (a window at a time) and applies them
/// in order.
pub fn replay_paths(paths: &[PathBuf], base: &Path, mut replayer: Replayer) -> SqlReplay {
    let load = |p: &PathBuf| -> LoadedFile {
        let display = p
            .strip_prefix(base)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .unwrap_or(p)
            .display()
            .to_string();
        match read_source(p, &display) {
            Ok(f) => {
                let parsed = sql::parse_script(&f.text);
                (Ok(f), parsed)
            }
            Err(d) => (Err(d), Vec::new()),
        }
    };
    let parse_window = |w: &[PathBuf]| -> Vec<_> { w.par_iter().map(load).collect() };
    let windows: Vec<&[PathBuf]> = paths.chunks(PARSE_WINDOW).collect();
    let mut current = windows.first().map(|w| parse_window(w));
    let mut next_index = 1;
    while let Some(loaded) = current.take() {
        // The next window is parsed while this one is replayed: parsing is
        // stateless and parallel, replay is sequential, so they overlap.
        let (next, ()) = rayon::join(
            || windows.get(next_index).map(|w| parse_window(w)),
            || replay_window(&mut replayer, loaded),
        );
        current = next;
        next_index += 1;
    }
    SqlReplay {
        replayer,
        files: paths.len(),
    }
}

/// Applies a window of loaded files in order.
fn replay_window(replayer: &mut Replayer, loaded: Vec<LoadedFile>) {
    for (file, parsed) in loaded {
        match file {
            Ok(f) => {
                // Every file's syntax errors are reported, even after a stop.
                if replayer.stopped() {
                    for p in &parsed {
                        if let Parsed::Error { .. } = p {
                            let mut probe = Replayer::default();
                            probe.run_parsed(&f.text, vec![p.clone()], SqlOrigin::File(&f));
                            replayer.input_errors.extend(probe.input_errors);
                        }
                    }
                    continue;
                }
                replayer.run_parsed(&f.text, parsed, SqlOrigin::File(&f));
                // Each file is its own session, as with `psql -f`.
                replayer.end_session(&f);
            }
            // Later files build on this one: they are only checked for
            // syntax from here on.
            Err(d) => replayer.input_errors.push(d),
        }
    }
}
