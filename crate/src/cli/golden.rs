//! `stage-sim golden --base DIR < request.json`: answer one request in the recorded-kwok
//! format and print the response as JSON.
//!
//! Exit status 0 whenever a response is printed, also when kwok itself reports an error
//! (that is part of the response); 2 only for a request that cannot be read.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The directory that contains `shared/`; request paths are relative to it.
    #[arg(long, default_value = "..")]
    pub base: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("stage-sim golden: cannot read the request from stdin: {error}");
        return ExitCode::from(super::EXIT_BAD_INPUT);
    }
    match crate::golden::answer_text(&text, &args.base) {
        Ok(response) => match serde_json::to_string_pretty(&response) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("stage-sim golden: cannot print the response: {error}");
                ExitCode::from(super::EXIT_SIM_ERROR)
            }
        },
        Err(error) => {
            eprintln!("stage-sim golden: {error}");
            ExitCode::from(super::EXIT_BAD_INPUT)
        }
    }
}
