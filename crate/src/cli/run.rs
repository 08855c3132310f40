//! `stage-sim run`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> ExitCode {
    let _ = args;
    eprintln!("stage-sim run: not implemented yet");
    ExitCode::from(super::EXIT_BAD_INPUT)
}
