//! `stage-sim check`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> ExitCode {
    let _ = args;
    eprintln!("stage-sim check: not implemented yet");
    ExitCode::from(super::EXIT_BAD_INPUT)
}
