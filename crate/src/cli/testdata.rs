//! `stage-sim testdata`: kwok's stage test harness output for one object, as YAML with
//! sorted keys (the format of kwok's `*.output.yaml` files).
//!
//! Diagnostics about the Stage files (skipped documents included) go to stderr; the
//! output goes to stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::Severity;
use crate::load;
use crate::model::{MatchKind, Stage};
use crate::select::CEL_NOT_SUPPORTED;
use crate::testdata::{TestdataError, harness_output};

/// Both orders work: `--stages` takes every path after it, so when the input comes last it is
/// the last of those paths.
#[derive(clap::Args)]
#[command(
    override_usage = "stage-sim testdata <INPUT> --stages <STAGES>...\n       \
                            stage-sim testdata --stages <STAGES>... <INPUT>"
)]
pub struct Args {
    /// The object, one YAML document (kwok's `*.input.yaml`); it may also come last, after
    /// the Stage paths.
    pub input: Option<PathBuf>,
    /// Stage files or directories (a directory's *.yaml, *.yml and *.json, without its
    /// subdirectories).
    #[arg(long, required = true, num_args = 1..)]
    pub stages: Vec<PathBuf>,
}

impl Args {
    /// The input and the Stage paths, whichever order they were given in.
    fn split(mut self) -> Option<(PathBuf, Vec<PathBuf>)> {
        let input = match self.input.take() {
            Some(input) => input,
            None if self.stages.len() >= 2 => self.stages.pop()?,
            None => return None,
        };
        Some((input, self.stages))
    }
}

pub fn run(args: Args) -> ExitCode {
    let Some((input, stages)) = args.split() else {
        eprintln!(
            "error: the input object file is missing\n\
             usage: stage-sim testdata <INPUT> --stages <STAGES>..."
        );
        return ExitCode::from(super::EXIT_BAD_INPUT);
    };
    let loaded = load::load_paths(&stages, false);
    eprint!("{}", stage_diagnostics(&loaded));
    if loaded.has_errors() {
        return ExitCode::from(super::EXIT_BAD_INPUT);
    }

    let name = input.display().to_string();
    let source = match std::fs::read_to_string(&input) {
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
    let object = match objects.as_slice() {
        [object] => object,
        [] => {
            eprintln!("{name}:1:1: error: expected exactly one object, found none");
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
        [_, second, ..] => {
            let mark = second.origin.mark;
            eprintln!(
                "{name}:{}:{}: error: expected exactly one object, found {}; the second \
                 starts here",
                mark.line,
                mark.column,
                objects.len()
            );
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    };

    match harness_output(&object.object, &loaded.stages) {
        Ok(output) => {
            print!("{}", stage_yaml::to_string(&output));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}", harness_error(&error, &loaded.stages, &name));
            ExitCode::from(super::EXIT_SIM_ERROR)
        }
    }
}

/// The diagnostics of loading Stages, for a command that uses them rather than checks them:
/// the documents skipped for not being Stages (a folder's kustomization.yaml, a
/// StorageClass) are one summary line instead of one note each on every run.
pub(super) fn stage_diagnostics(loaded: &load::LoadResult) -> String {
    let mut text = String::new();
    let mut skipped = 0;
    for diagnostic in &loaded.diagnostics {
        if diagnostic.severity == Severity::Note && diagnostic.message.starts_with("skipped ") {
            skipped += 1;
            continue;
        }
        text.push_str(&diagnostic.render(loaded.sources.get(&diagnostic.file).map(String::as_str)));
    }
    match skipped {
        0 => {}
        1 => text.push_str(
            "note: skipped 1 document that is not a Stage (`stage-sim check` names it)\n",
        ),
        _ => text.push_str(&format!(
            "note: skipped {skipped} documents that are not Stages (`stage-sim check` names \
             them)\n"
        )),
    }
    text
}

/// The harness's error placed at the Stage it names: at its first CEL entry when CEL is
/// what stopped it, since kwok evaluates the selectors of every Stage of the kind and one
/// it cannot evaluate stops them all.
fn harness_error(error: &TestdataError, stages: &[Stage], input: &str) -> String {
    let stage = error
        .stage
        .as_deref()
        .and_then(|name| stages.iter().find(|stage| stage.name == name));
    let Some(stage) = stage else {
        return format!("{input}: error: {error}");
    };
    let cel = stage.selector.as_ref().and_then(|selector| {
        selector
            .match_expressions
            .iter()
            .find(|entry| matches!(entry.kind, MatchKind::Cel { .. }))
    });
    let (origin, hint) = match cel {
        Some(entry) if error.message == CEL_NOT_SUPPORTED => (
            &entry.origin,
            format!(
                " (the first Stage of kind {} with CEL; every Stage of the kind is \
                 evaluated, so none can be listed for {input})",
                stage.resource_ref.kind
            ),
        ),
        _ => (&stage.origin, format!(" (for {input})")),
    };
    format!(
        "{}:{}:{}: error: {error}{hint}",
        origin.file, origin.mark.line, origin.mark.column
    )
}
