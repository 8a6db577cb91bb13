//! The command line: parses arguments, runs a command, picks a renderer,
//! and maps the outcome to an exit code (0 clean, 1 findings or a predicted
//! PostgreSQL/Alembic failure, 2 unusable input).

mod config;
mod graph;
mod replay;
mod sql;

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
    /// Replay migrations and print the resulting schema. PATH is an Alembic
    /// project (alembic.ini, its folder, pyproject.toml, or a versions
    /// folder), a .sql file, or a folder of .sql files applied in name order.
    Replay(ReplayArgs),
    /// Print the SQL Alembic's offline mode (`--sql`) prints for an upgrade
    /// or a downgrade.
    Sql(SqlArgs),
    /// List the revisions as `alembic history` does.
    History(GraphArgs),
    /// Show the heads as `alembic heads` does, and graph problems.
    Heads(GraphArgs),
    /// Draw the revision graph.
    Graph(DrawArgs),
}

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    pub path: PathBuf,
    /// Output format of the replayed schema.
    #[arg(long, value_enum, default_value_t = OutputFormat::Sql)]
    pub format: OutputFormat,
    /// Stop at this revision (id, unique prefix, `head`, `heads`, label@head).
    #[arg(long)]
    pub to: Option<String>,
    /// A schema to replay before the first revision (e.g. `pg_dump
    /// --schema-only` output).
    #[arg(long)]
    pub base: Option<PathBuf>,
    #[command(flatten)]
    pub pins: PinArgs,
    /// Write the schema here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Print nothing but diagnostics.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct SqlArgs {
    pub path: PathBuf,
    /// Starting revision (the current database version).
    #[arg(long)]
    pub from: Option<String>,
    /// Target revision; `heads` by default (`base` for --downgrade).
    #[arg(long)]
    pub to: Option<String>,
    /// Render the downgrade from --from (default: heads) to --to.
    #[arg(long)]
    pub downgrade: bool,
    #[command(flatten)]
    pub pins: PinArgs,
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Default)]
pub struct PinArgs {
    /// Pin an expression the reader cannot know: `EXPR=VALUE`, VALUE in
    /// JSON (`true`, `3`, `"text"`); repeatable.
    #[arg(long = "assume", value_name = "EXPR=VALUE")]
    pub assume: Vec<String>,
    /// A configuration file (YAML) with `assume:` pins. `migsim.yaml` next
    /// to the project is read when present.
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    pub path: PathBuf,
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(clap::Args, Debug)]
pub struct DrawArgs {
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = DrawFormat::Mermaid)]
    pub format: DrawFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Sql,
    Json,
    Yaml,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawFormat {
    Dot,
    Mermaid,
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
        Command::Sql(args) => sql::run(args, &ui),
        Command::History(args) => graph::history(args, &ui),
        Command::Heads(args) => graph::heads(args, &ui),
        Command::Graph(args) => graph::draw(args, &ui),
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

/// Is PATH an Alembic project rather than SQL scripts?
pub fn is_alembic_path(path: &std::path::Path) -> bool {
    if path.is_file() {
        return path.extension().is_some_and(|e| e == "ini" || e == "py")
            || path.file_name().is_some_and(|n| n == "pyproject.toml");
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let mut has_sql = false;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name == "alembic.ini"
            || name == "env.py"
            || name == "pyproject.toml"
            || name.ends_with(".py")
        {
            return true;
        }
        if name.ends_with(".sql") {
            has_sql = true;
        }
        if name == "versions" && e.path().is_dir() {
            return true;
        }
    }
    !has_sql && path.join("migrations").is_dir()
}
