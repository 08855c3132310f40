//! `stage-sim check`: load Stage files and print every diagnostic with file:line:column.
//!
//! Exit status 0 when nothing is an error (warnings and notes are printed too), 2 otherwise.
//! Diagnostics go to stderr with their source line; a one-line summary goes to stdout.

use std::process::ExitCode;

use crate::diagnostic::Severity;
use crate::load;

#[derive(clap::Args)]
pub struct Args {
    /// Stage files or directories (directories: *.yaml, *.yml and *.json in name order).
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Also read the subdirectories of directories.
    #[arg(short, long)]
    pub recursive: bool,
}

pub fn run(args: Args) -> ExitCode {
    let result = load::load_paths(&args.paths, args.recursive);
    eprint!("{}", result.render_diagnostics());

    let count = |severity| {
        result
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    println!(
        "{} Stages loaded, {} errors, {} warnings, {} notes",
        result.stages.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note)
    );
    if result.has_errors() {
        ExitCode::from(super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
