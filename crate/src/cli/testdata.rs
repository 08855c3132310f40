//! `stage-sim testdata`: kwok's stage test harness output for one object, as YAML with
//! sorted keys (the format of kwok's `*.output.yaml` files).
//!
//! Diagnostics about the Stage files (skipped documents included) go to stderr; the
//! output goes to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::load;
use crate::testdata::harness_output;

#[derive(clap::Args)]
pub struct Args {
    /// The object, one YAML document (kwok's `*.input.yaml`).
    pub input: PathBuf,
    /// Stage files or directories (a directory's *.yaml, *.yml and *.json, without its
    /// subdirectories).
    #[arg(long, required = true, num_args = 1..)]
    pub stages: Vec<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let loaded = load::load_paths(&args.stages, false);
    eprint!("{}", loaded.render_diagnostics());
    if loaded.has_errors() {
        return ExitCode::from(super::EXIT_BAD_INPUT);
    }

    let name = args.input.display().to_string();
    let source = match std::fs::read_to_string(&args.input) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("{name}: cannot read the file: {e}");
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    };
    let (objects, diagnostics) = load::load_objects(&source, &name);
    for diagnostic in &diagnostics {
        eprint!("{}", diagnostic.render(Some(&source)));
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        return ExitCode::from(super::EXIT_BAD_INPUT);
    }
    let [object] = objects.as_slice() else {
        eprintln!(
            "{name}: expected exactly one object, found {}",
            objects.len()
        );
        return ExitCode::from(super::EXIT_BAD_INPUT);
    };

    match harness_output(&object.object, &loaded.stages) {
        Ok(output) => {
            print!("{}", stage_yaml::to_string(&output));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{name}: {error}");
            ExitCode::from(super::EXIT_SIM_ERROR)
        }
    }
}
