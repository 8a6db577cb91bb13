//! `migsim replay PATH`.

use super::{OutputFormat, ReplayArgs, Ui, config, exit, is_alembic_path};
use crate::replay::Replayer;
use crate::replay::alembic::{AlembicOptions, load_history, replay_history};
use crate::replay::sql_files::{collect_sql_files, read_source, replay_paths};
use crate::report::Severity;

pub fn run(args: &ReplayArgs, ui: &Ui) -> u8 {
    if is_alembic_path(&args.path) {
        run_alembic(args, ui)
    } else {
        run_sql(args, ui)
    }
}

fn run_sql(args: &ReplayArgs, ui: &Ui) -> u8 {
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
    let mut replayer = Replayer::default();
    if let Some(b) = &args.base {
        match read_source(b, &b.display().to_string()) {
            Ok(f) => {
                replayer.run_sql(&f.text.clone(), crate::replay::SqlOrigin::File(&f));
                replayer.end_session(&f);
            }
            Err(d) => {
                ui.diagnostic(&d);
                return exit::UNUSABLE_INPUT;
            }
        }
    }
    let result = replay_paths(&files, &base, replayer);
    let r = &result.replayer;
    finish(
        r,
        args,
        ui,
        &format!("replayed {} file{}", result.files, plural(result.files)),
        None,
    )
}

fn run_alembic(args: &ReplayArgs, ui: &Ui) -> u8 {
    let eval = match config::eval_config(&args.pins, &args.path) {
        Ok(e) => e,
        Err(d) => {
            ui.diagnostic(&d);
            return exit::UNUSABLE_INPUT;
        }
    };
    let base = match &args.base {
        Some(b) => match read_source(b, &b.display().to_string()) {
            Ok(f) => Some(f),
            Err(d) => {
                ui.diagnostic(&d);
                return exit::UNUSABLE_INPUT;
            }
        },
        None => None,
    };
    let history = match load_history(&args.path) {
        Ok(h) => h,
        Err(diags) => {
            for d in &diags {
                ui.diagnostic(d);
            }
            return exit::UNUSABLE_INPUT;
        }
    };
    let opts = AlembicOptions {
        target: args.to.clone(),
        base,
        eval,
    };
    let result = replay_history(&history, &opts);
    for d in &result.diagnostics {
        if d.severity >= Severity::Warning || !args.quiet {
            ui.diagnostic(d);
        }
    }
    if !args.quiet {
        for o in &result.opaque {
            ui.note(&format!("{}: note: not simulated: {}", o.loc, o.reason));
        }
    }
    // Two different counts: Python operations (`op.*` calls, `bind.execute`)
    // and the SQL statements they produced, some of which may be opaque too.
    let what = format!(
        "replayed {} of {} revision{}: {}",
        result.applied.len(),
        result.revisions,
        plural(result.revisions),
        result.coverage.summary()
    );
    finish(
        &result.replayer,
        args,
        ui,
        &what,
        Some(result.alembic_failed),
    )
}

fn finish(
    r: &Replayer,
    args: &ReplayArgs,
    ui: &Ui,
    what: &str,
    alembic_failed: Option<bool>,
) -> u8 {
    for d in &r.input_errors {
        ui.diagnostic(d);
    }
    if let Some(stop) = &r.stop {
        ui.diagnostic(&stop.diagnostic);
    }
    for d in &r.warnings {
        ui.diagnostic(d);
    }
    if !args.quiet {
        for (loc, msg) in &r.notices {
            ui.note(&format!("{loc}: note: skipped: {msg}"));
        }
        for o in &r.opaque {
            ui.note(&format!("{}: note: not simulated: {}", o.loc, o.reason));
        }
        let s = &r.stats;
        ui.note(&format!(
            "{what}; {} SQL statement{}: {} schema change{}, {} skipped, {} data, {} not simulated",
            s.statements,
            plural(s.statements),
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
    if r.stop.is_some() || alembic_failed == Some(true) {
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
