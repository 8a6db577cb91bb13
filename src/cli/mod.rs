//! The command line: parses arguments, runs a command, picks a renderer,
//! and maps the outcome to an exit code (0 clean, 1 findings, 2 unusable input).

use std::process::ExitCode;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "migsim",
    version,
    about = "Offline replay of Alembic migrations for PostgreSQL"
)]
pub struct Cli {}

pub fn main() -> ExitCode {
    let _cli = Cli::parse();
    ExitCode::SUCCESS
}
