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
        "{}, {}, {}, {}",
        counted(result.stages.len(), "Stage loaded", "Stages loaded"),
        counted(count(Severity::Error), "error", "errors"),
        counted(count(Severity::Warning), "warning", "warnings"),
        counted(count(Severity::Note), "note", "notes"),
    );
    if result.has_errors() {
        ExitCode::from(super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// `1 error`, `2 errors`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, label: &str) -> ExitCode {
        let path =
            std::env::temp_dir().join(format!("stage-check-{label}-{}.yaml", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let code = run(Args {
            paths: vec![path.clone()],
            recursive: false,
        });
        let _ = std::fs::remove_file(&path);
        code
    }

    const STAGE: &str = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata: {name: s}\nspec:\n  \
                         resourceRef: {apiGroup: v1, kind: Pod}\n  selector: {}\n";

    #[test]
    fn exit_status_is_zero_without_errors_and_two_with_them() {
        assert_eq!(check(STAGE, "good"), ExitCode::SUCCESS);
        let warned = STAGE.replace("selector: {}\n", "");
        assert_eq!(check(&warned, "warned"), ExitCode::SUCCESS);
        let broken = format!("{STAGE}  nxt: 1\n");
        assert_eq!(
            check(&broken, "broken"),
            ExitCode::from(super::super::EXIT_BAD_INPUT)
        );
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(super::counted(1, "error", "errors"), "1 error");
        assert_eq!(super::counted(0, "error", "errors"), "0 errors");
        assert_eq!(
            super::counted(2, "Stage loaded", "Stages loaded"),
            "2 Stages loaded"
        );
    }
}
