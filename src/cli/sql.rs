//! `migsim sql`: the SQL `alembic upgrade/downgrade --sql` prints.

use super::{SqlArgs, Ui, config, exit};
use crate::replay::alembic::{load_history, offline_sql};

pub fn run(args: &SqlArgs, ui: &Ui) -> u8 {
    let eval = match config::eval_config(&args.pins, &args.path) {
        Ok(e) => e,
        Err(d) => {
            ui.diagnostic(&d);
            return exit::UNUSABLE_INPUT;
        }
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
    let to = args.to.clone().unwrap_or_else(|| {
        if args.downgrade {
            "base".into()
        } else {
            "heads".into()
        }
    });
    let result = match offline_sql(&history, args.from.as_deref(), &to, args.downgrade, &eval) {
        Ok(r) => r,
        Err(diags) => {
            for d in &diags {
                ui.diagnostic(d);
            }
            return exit::UNUSABLE_INPUT;
        }
    };
    for d in &result.diagnostics {
        ui.diagnostic(d);
    }
    ui.note(&result.coverage.summary());
    if let Err(d) = ui.output(args.output.as_ref(), &result.text) {
        ui.diagnostic(&d);
        return exit::UNUSABLE_INPUT;
    }
    if result.failed {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
