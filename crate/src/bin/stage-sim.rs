//! `stage-sim`: the engine on the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    stage_engine::cli::main()
}
