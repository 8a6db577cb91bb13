//! The command line: parses arguments, runs a command, picks a renderer,
//! and maps the outcome to an exit code (0 clean, 1 findings or a predicted
//! PostgreSQL error, 2 unusable input).

mod replay;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::report::Diagnostic;

#[derive(Parser, Debug)]
#[command(
    name = "migsim",
    version,
    about = "Offline replay of Alembic migrations and SQL scripts into a simulated PostgreSQL catalog",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Never use colors in diagnostics.
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Replay SQL (a .sql file or a folder of them, in name order) and print
    /// the resulting schema.
    Replay(ReplayArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// A `.sql` file, or a folder of `.sql` files applied in name order.
    pub path: PathBuf,
    /// Output format of the replayed schema.
    #[arg(long, value_enum, default_value_t = OutputFormat::Sql)]
    pub format: OutputFormat,
    /// Write the schema here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Print nothing but diagnostics.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Sql,
    Json,
    Yaml,
}

/// Exit codes, the same for every command.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const UNUSABLE_INPUT: u8 = 2;
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::UNUSABLE_INPUT
            } else {
                exit::OK
            });
        }
    };
    let color =
        !cli.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
    let ui = Ui { color };
    let code = match &cli.command {
        Command::Replay(args) => replay::run(args, &ui),
    };
    ExitCode::from(code)
}

/// Where human output goes.
pub struct Ui {
    pub color: bool,
}

impl Ui {
    pub fn diagnostic(&self, d: &Diagnostic) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(d.render(self.color).as_bytes());
    }

    pub fn note(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{text}");
    }

    /// Writes the command's result; a closed pipe is not an error.
    pub fn output(&self, path: Option<&PathBuf>, text: &str) -> Result<(), Diagnostic> {
        match path {
            Some(p) => std::fs::write(p, text).map_err(|e| {
                Diagnostic::error(
                    "output::unwritable",
                    format!("cannot write {}: {e}", p.display()),
                )
            }),
            None => {
                let mut out = std::io::stdout().lock();
                match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Diagnostic::error(
                        "output::unwritable",
                        format!("cannot write to standard output: {e}"),
                    )),
                    _ => Ok(()),
                }
            }
        }
    }
}
