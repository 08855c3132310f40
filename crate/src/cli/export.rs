//! `stage-sim export`: a scenario as a kwokctl recipe, as kwok's stage testdata for one
//! object at one moment, as its timeline in JSON, as a scenario file with every source
//! inline, or as a share link.
//!
//! The scenario comes from a file (`--scenario`, as `stage-sim run` reads it) or from a share
//! link (`--link`; the command line has no preset registry, so a link that references
//! presets does not open here). With `--out DIR` the files are written there; without it they
//! are printed, each under a `==> name <==` line when there are several.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::export::{self, ExportFile, Prepared};
use crate::scenario::Scenario;
use crate::share;

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file (JSON or YAML), as `stage-sim run --scenario` reads it (see
    /// docs/scenario.md).
    #[arg(long, required_unless_present = "link", conflicts_with = "link")]
    pub scenario: Option<PathBuf>,
    /// A share link (the part after `#`), instead of a scenario file.
    #[arg(long)]
    pub link: Option<String>,
    /// What to export.
    #[arg(long)]
    pub format: Format,
    /// The object for `testdata`, as the timeline names it (`Pod/default/web-0`, `Node/n`);
    /// the scenario's first object when absent.
    #[arg(long)]
    pub object: Option<String>,
    /// The moment for `testdata`: a Go duration after the start (`1m30s`) or an RFC 3339
    /// time.
    #[arg(long, default_value = "0s")]
    pub at: String,
    /// A folder to write the files into (created when missing); stdout when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// kwok.yaml, objects.yaml, action manifests and run.sh for a real kwok cluster.
    Kwokctl,
    /// `<object>.input.yaml` and `<object>.output.yaml` in kwok's stage testdata format.
    Testdata,
    /// The timeline of the run, timeline.json.
    Timeline,
    /// The scenario with every source inline, scenario.json.
    Scenario,
    /// A share link of the scenario, every source inline.
    Link,
}

pub fn run(args: Args) -> ExitCode {
    match export(&args) {
        Ok(files) => match write(&files, args.out.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("stage-sim export: {message}");
                ExitCode::from(super::EXIT_SIM_ERROR)
            }
        },
        Err((code, message)) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(code)
        }
    }
}

/// The files of the export, or an exit status and the message.
fn export(args: &Args) -> Result<Vec<ExportFile>, (u8, String)> {
    let bad = |message: String| (super::EXIT_BAD_INPUT, message);
    let (mut scenario, base) = match (&args.scenario, &args.link) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| bad(format!("{}: cannot read: {e}", path.display())))?;
            let scenario = Scenario::parse(&text, &path.display().to_string())
                .map_err(|e| bad(e.to_string()))?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (scenario, base)
        }
        (None, Some(link)) => {
            let opened =
                share::decode(link, &share::NoPresets).map_err(|e| bad(format!("--link: {e}")))?;
            (opened.shared.scenario, PathBuf::new())
        }
        (None, None) => return Err(bad("give --scenario FILE or --link LINK".into())),
    };
    // The formats that run the scenario get `run`'s bounds, so that Stages that match again
    // after every play (heartbeats) end; the others keep the scenario as written.
    if matches!(args.format, Format::Timeline | Format::Testdata) {
        scenario
            .horizon
            .get_or_insert_with(|| super::run::DEFAULT_HORIZON.to_string());
        scenario
            .max_plays
            .get_or_insert(super::run::DEFAULT_MAX_PLAYS);
    }
    let prepared = Prepared::new(&scenario, &base).map_err(|e| bad(e.to_string()))?;

    let result = match args.format {
        Format::Kwokctl => export::kwokctl(&prepared),
        Format::Testdata => export::testdata(&prepared, args.object.as_deref(), &args.at),
        Format::Timeline => export::timeline_json(&prepared),
        Format::Scenario => export::scenario_json(&prepared),
        Format::Link => return link(&prepared).map_err(bad),
    };
    result.map_err(|e| {
        // A run that could not be carried out is the engine's failure, not the input's.
        let code = if e.place == "run" {
            super::EXIT_SIM_ERROR
        } else {
            super::EXIT_BAD_INPUT
        };
        (code, e.to_string())
    })
}

/// The scenario as a share link, its file sources read in.
fn link(prepared: &Prepared) -> Result<Vec<ExportFile>, String> {
    let files = export::scenario_json(prepared).map_err(|e| e.to_string())?;
    let text = files.first().map(|f| f.text.as_str()).unwrap_or_default();
    let scenario = Scenario::parse(text, "scenario.json").map_err(|e| e.to_string())?;
    let shared = share::Shared {
        scenario,
        view: share::ViewState::default(),
    };
    let link = share::encode(&shared, &share::NoPresets).map_err(|e| e.to_string())?;
    if link.len() > share::CHAT_LIMIT {
        eprintln!(
            "warning: the link is {} characters long; chat tools cut links above {} (the \
             command line carries every source inline, the page names unchanged presets)",
            link.len(),
            share::CHAT_LIMIT
        );
    }
    Ok(vec![ExportFile {
        name: "link.txt".into(),
        text: link + "\n",
    }])
}

fn write(files: &[ExportFile], out: Option<&Path>) -> Result<(), String> {
    let Some(dir) = out else {
        let mut text = String::new();
        if let [file] = files {
            text.push_str(&file.text);
        } else {
            for file in files {
                text.push_str(&format!("==> {} <==\n{}", file.name, file.text));
            }
        }
        return print(&text);
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let mut written = String::new();
    for file in files {
        let path = dir.join(&file.name);
        std::fs::write(&path, &file.text)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        if file.name.ends_with(".sh") {
            make_executable(&path)?;
        }
        written.push_str(&format!("{}\n", path.display()));
    }
    print(&written)
}

/// Prints to stdout; a reader that stops early (`| head`) is not an error.
fn print(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: cannot make executable: {e}", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), String> {
    Ok(())
}
