//! `migsim history`, `heads`, `graph`.

use super::{DrawArgs, DrawFormat, GraphArgs, Ui, exit};
use crate::alembic::graph::{GraphFormat, render_graph, render_heads, render_history};
use crate::replay::alembic::load_history;

fn load(path: &std::path::Path, ui: &Ui) -> Result<crate::alembic::history::History, u8> {
    load_history(path).map_err(|diags| {
        for d in &diags {
            ui.diagnostic(d);
        }
        exit::UNUSABLE_INPUT
    })
}

/// Problems are reported on standard error; errors make the exit code 2,
/// warnings (several heads) 1.
fn report_problems(h: &crate::alembic::history::History, ui: &Ui) -> u8 {
    let mut code = exit::OK;
    for d in h.diagnostics() {
        ui.diagnostic(d);
        code = code.max(match d.severity {
            crate::report::Severity::Error => exit::UNUSABLE_INPUT,
            crate::report::Severity::Warning => exit::FINDINGS,
            crate::report::Severity::Info => exit::OK,
        });
    }
    code
}

pub fn history(args: &GraphArgs, ui: &Ui) -> u8 {
    let h = match load(&args.path, ui) {
        Ok(h) => h,
        Err(c) => return c,
    };
    let code = report_problems(&h, ui);
    match render_history(&h.graph, args.verbose) {
        Ok(text) => {
            let _ = ui.output(None, &text);
            code
        }
        Err(e) => {
            ui.note(&format!("FAILED: {e}"));
            exit::UNUSABLE_INPUT
        }
    }
}

pub fn heads(args: &GraphArgs, ui: &Ui) -> u8 {
    let h = match load(&args.path, ui) {
        Ok(h) => h,
        Err(c) => return c,
    };
    let code = report_problems(&h, ui);
    let _ = ui.output(None, &render_heads(&h.graph, args.verbose));
    code
}

pub fn draw(args: &DrawArgs, ui: &Ui) -> u8 {
    let h = match load(&args.path, ui) {
        Ok(h) => h,
        Err(c) => return c,
    };
    let code = report_problems(&h, ui);
    let format = match args.format {
        DrawFormat::Dot => GraphFormat::Dot,
        DrawFormat::Mermaid => GraphFormat::Mermaid,
    };
    let _ = ui.output(None, &render_graph(&h.graph, format));
    code
}
