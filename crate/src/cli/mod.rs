//! The `stage-sim` command line: argument parsing and exit codes. Each subcommand lives in
//! its own file; the engine's results are printed, never logged.
//!
//! Exit codes: 0 success, 1 a simulation error, 2 bad input. Errors go to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod export;
mod golden;
mod run;
mod testdata;

#[derive(Parser)]
#[command(
    name = "stage-sim",
    version,
    about = "Play objects through kwok Stages over a virtual clock"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate objects through Stages and print the timeline.
    Run(run::Args),
    /// Answer one request in the recorded-kwok-output format (JSON on stdin).
    Golden(golden::Args),
    /// Print every Stage that could apply next to an object, in kwok's stage testdata format.
    Testdata(testdata::Args),
    /// Validate Stage files and print every problem with file:line:column.
    Check(check::Args),
    /// Export a scenario: a kwokctl recipe, stage testdata, the timeline, or a share link.
    Export(export::Args),
}

/// Exit status for bad input.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status for a simulation error.
pub const EXIT_SIM_ERROR: u8 = 1;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Golden(args) => golden::run(args),
        Command::Testdata(args) => testdata::run(args),
        Command::Check(args) => check::run(args),
        Command::Export(args) => export::run(args),
    }
}

/// Paths as given on the command line, kept for messages.
pub type Paths = Vec<PathBuf>;
