//! `migsim replay PATH`.

use super::{OutputFormat, ReplayArgs, Ui, exit};
use crate::replay::Replayer;
use crate::replay::sql_files::{collect_sql_files, replay_paths};

pub fn run(args: &ReplayArgs, ui: &Ui) -> u8 {
    let files = match collect_sql_files(&args.path) {
        Ok(f) => f,
        Err(d) => {
            ui.diagnostic(&d);
            return exit::UNUSABLE_INPUT;
        }
    };
    let base = if args.path.is_dir() {
        args.path.clone()
    } else {
        args.path
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default()
    };
    let result = replay_paths(&files, &base, Replayer::default());
    let r = &result.replayer;
    for d in &r.input_errors {
        ui.diagnostic(d);
    }
    if let Some(stop) = &r.stop {
        ui.diagnostic(&stop.diagnostic);
    }
    if !args.quiet {
        for o in &r.opaque {
            ui.note(&format!("{}: note: not simulated: {}", o.loc, o.reason));
        }
        let s = &r.stats;
        ui.note(&format!(
            "replayed {} statement{} from {} file{}: {} schema change{}, {} skipped, {} data, {} opaque",
            s.statements,
            plural(s.statements),
            result.files,
            plural(result.files),
            s.schema_changes,
            plural(s.schema_changes),
            s.skipped,
            s.data,
            s.opaque
        ));
    }
    if !r.input_errors.is_empty() {
        return exit::UNUSABLE_INPUT;
    }
    if r.stop.is_some() {
        return exit::FINDINGS;
    }
    let mut text = match args.format {
        OutputFormat::Sql => r.catalog.to_sql(),
        OutputFormat::Json => r.catalog.to_json(),
        OutputFormat::Yaml => r.catalog.to_yaml(),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    match ui.output(args.output.as_ref(), &text) {
        Ok(()) => exit::OK,
        Err(d) => {
            ui.diagnostic(&d);
            exit::UNUSABLE_INPUT
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
