//! Files in and out of the page: the exports `stage-sim export` makes (a kwokctl recipe,
//! kwok's stage testdata for the selected object, the timeline and the scenario as JSON),
//! and the files a user drops or picks (YAML for an editor, or a scenario file exported
//! before).
//!
//! The engine's worker makes the exports and reads the files ([`crate::glue::files`]); this
//! module asks for them in the page's terms, packs several exported files into one tar
//! archive for a single download, and turns what a file holds into what the page does with
//! it. It is pure and tested natively; the buttons and the browser's file APIs are
//! [`crate::share_ui`]'s and [`crate::files`]'s. What the engine puts in the files is tested
//! on its side; the tests here are of the packing and of what each answer becomes.

use stage_engine::share::{PresetTable, ViewState};

use crate::glue::{ExportAsk, ExportKind, NamedFile, Opened, Request, Response};
use crate::sharing::{self, Opening};

/// One download: a file name, its bytes and their media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

/// The export `kind` of the page's inputs. `object` and `at_ms` say what testdata is about:
/// the selected object (the first one when none is) at the cursor's virtual time.
pub fn ask(kind: ExportKind, request: &Request, object: Option<&str>, at_ms: f64) -> ExportAsk {
    // The scenario with every source inline: an empty registry names no preset.
    let scenario = sharing::shared(request, ViewState::default(), &PresetTable::new()).scenario;
    ExportAsk {
        kind,
        scenario,
        object: object.map(str::to_string),
        // A moment before the start is the start's: the engine's side takes it so.
        at_ms: at_ms.round() as i64,
    }
}

/// The download of an export's `files`: a JSON file as it is, the others as one tar
/// archive. `mtime` (seconds since 1970) stamps the files of an archive.
pub fn download(kind: ExportKind, files: &[NamedFile], mtime: u64) -> Result<Download, String> {
    match (kind, files) {
        (ExportKind::Timeline | ExportKind::Scenario, [file]) => Ok(Download {
            name: file.name.clone(),
            bytes: file.text.clone().into_bytes(),
            media_type: "application/json",
        }),
        (ExportKind::Kwokctl, _) => archive("stage-playground-kwokctl", files, mtime),
        _ => {
            let stem = files
                .first()
                .and_then(|file| file.name.strip_suffix(".input.yaml"))
                .unwrap_or("object");
            archive(&format!("{stem}-testdata"), files, mtime)
        }
    }
}

/// The download an export's answer gives, or why there is none.
pub fn exported(
    kind: ExportKind,
    answer: Result<Response, String>,
    mtime: u64,
) -> Result<Download, String> {
    match answer? {
        Response::Exported { files } => download(kind, &files, mtime),
        Response::Failed { message } => Err(message),
        other => Err(unexpected(&other)),
    }
}

/// What the page does with each of `files`, in their order, from the engine's answer to
/// their open.
pub fn opened(
    files: &[NamedFile],
    answer: Result<Response, String>,
) -> Vec<Result<Import, String>> {
    let read = match answer {
        Ok(Response::Opened { files: read }) if read.len() == files.len() => read,
        Ok(other) => return vec![Err(unexpected(&other)); files.len()],
        Err(why) => return vec![Err(why); files.len()],
    };
    files
        .iter()
        .zip(read)
        .map(|(file, read)| take(file, read))
        .collect()
}

/// Why an answer of the wrong kind gives no file.
fn unexpected(answer: &Response) -> String {
    match answer {
        Response::Rejected { problems } => problems
            .iter()
            .map(|problem| problem.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => "the engine answered something else".to_string(),
    }
}

/// Files in a folder `name/` of a tar archive, `name.tar`. A path the ustar header cannot
/// hold is an error naming the file.
fn archive(name: &str, files: &[NamedFile], mtime: u64) -> Result<Download, String> {
    let mut bytes = Vec::new();
    for file in files {
        let mode = if file.name.ends_with(".sh") {
            0o755
        } else {
            0o644
        };
        tar_entry(
            &mut bytes,
            &format!("{name}/{}", file.name),
            file.text.as_bytes(),
            mode,
            mtime,
        )?;
    }
    // Two empty blocks end an archive.
    bytes.resize(bytes.len() + 1024, 0);
    Ok(Download {
        name: format!("{name}.tar"),
        bytes,
        media_type: "application/x-tar",
    })
}

/// The ustar `name` field holds 100 bytes and the `prefix` field 155 more.
const NAME_WIDTH: usize = 100;
const PREFIX_WIDTH: usize = 155;

/// Splits `path` into the ustar (prefix, name) pair: the whole path as the name when it
/// fits, else the folders before some `/` as the prefix and the rest as the name. A path
/// that fits neither way is an error naming it.
fn ustar_path(path: &str) -> Result<(&str, &str), String> {
    if path.len() <= NAME_WIDTH {
        return Ok(("", path));
    }
    path.match_indices('/')
        .map(|(at, _)| (&path[..at], &path[at + 1..]))
        .find(|(prefix, name)| {
            prefix.len() <= PREFIX_WIDTH && name.len() <= NAME_WIDTH && !name.is_empty()
        })
        .ok_or_else(|| {
            format!(
                "{path}: the path is too long for a tar archive (a file name of at most \
                 {NAME_WIDTH} bytes in folders of at most {PREFIX_WIDTH} bytes)"
            )
        })
}

/// One file of a POSIX ustar archive: a 512-byte header, then the data padded to 512.
fn tar_entry(
    out: &mut Vec<u8>,
    path: &str,
    data: &[u8],
    mode: u32,
    mtime: u64,
) -> Result<(), String> {
    let (prefix, name) = ustar_path(path)?;
    let mut header = [0u8; 512];
    let mut field = |at: usize, width: usize, value: &[u8]| {
        let length = value.len().min(width);
        header[at..at + length].copy_from_slice(&value[..length]);
    };
    let octal = |value: u64, width: usize| format!("{value:0digits$o}\0", digits = width - 1);
    field(0, NAME_WIDTH, name.as_bytes());
    field(100, 8, octal(u64::from(mode), 8).as_bytes());
    field(108, 8, octal(0, 8).as_bytes());
    field(116, 8, octal(0, 8).as_bytes());
    field(124, 12, octal(data.len() as u64, 12).as_bytes());
    field(136, 12, octal(mtime, 12).as_bytes());
    field(148, 8, b"        ");
    field(156, 1, b"0");
    field(257, 6, b"ustar\0");
    field(263, 2, b"00");
    field(345, PREFIX_WIDTH, prefix.as_bytes());
    let checksum: u32 = header.iter().map(|&byte| u32::from(byte)).sum();
    header[148..156].copy_from_slice(format!("{checksum:06o}\0 ").as_bytes());

    out.extend_from_slice(&header);
    out.extend_from_slice(data);
    let padding = (512 - data.len() % 512) % 512;
    out.resize(out.len() + padding, 0);
    Ok(())
}

/// What a dropped or picked file is.
#[derive(Clone, Debug, PartialEq)]
pub enum Import {
    /// A scenario file: it replaces the page's inputs.
    Scenario(Box<Opening>),
    /// Stage documents, for the Stages editor.
    Stages(String),
    /// Other Kubernetes objects, for the objects editor.
    Objects(String),
}

/// What the page does with `file`, which the engine found to be `opened`: a scenario is
/// turned into the page's inputs, Stages and objects go to their editors with the file's
/// text. Errors name the file, and the line and column where the engine found them.
pub fn take(file: &NamedFile, opened: Opened) -> Result<Import, String> {
    match opened {
        Opened::Scenario(scenario) => {
            let (request, notes) =
                sharing::request_of(&scenario).map_err(|e| format!("{}: {e}", file.name))?;
            Ok(Import::Scenario(Box::new(Opening {
                request,
                view: ViewState::default(),
                notes,
            })))
        }
        Opened::Stages => Ok(Import::Stages(file.text.clone())),
        Opened::Objects => Ok(Import::Objects(file.text.clone())),
        Opened::Unreadable(message) => Err(message),
    }
}

/// An editor's text with `added` documents after its own.
pub fn append_documents(text: &str, added: &str) -> String {
    if text.trim().is_empty() {
        return added.to_string();
    }
    let mut joined = text.to_string();
    if !joined.ends_with('\n') {
        joined.push('\n');
    }
    joined.push_str("---\n");
    joined.push_str(added);
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glue::{FileRequest, files};

    fn default_request() -> Request {
        crate::presets::default_scenario()
    }

    /// The export of the page's inputs, made by the engine as the worker makes it, then
    /// packed as the page packs it.
    fn export(
        kind: ExportKind,
        request: &Request,
        object: Option<&str>,
        at_ms: f64,
        mtime: u64,
    ) -> Result<Download, String> {
        let answer = files::respond(&FileRequest::Export(Box::new(ask(
            kind, request, object, at_ms,
        ))));
        exported(kind, Ok(answer), mtime)
    }

    /// A file read by the engine as the worker reads it, then taken as the page takes it.
    fn import(name: &str, text: &str) -> Result<Import, String> {
        let file = vec![NamedFile {
            name: name.into(),
            text: text.into(),
        }];
        let answer = files::respond(&FileRequest::Open(file.clone()));
        let [import] = <[_; 1]>::try_from(opened(&file, Ok(answer))).expect("one file");
        import
    }

    /// The (name, size) of every file of a tar archive, checking each header's checksum.
    fn tar_listing(bytes: &[u8]) -> Vec<(String, usize)> {
        let mut files = Vec::new();
        let mut at = 0;
        while at + 512 <= bytes.len() && bytes[at] != 0 {
            let header = &bytes[at..at + 512];
            let text = |from: usize, to: usize| {
                String::from_utf8_lossy(&header[from..to])
                    .trim_end_matches(['\0', ' '])
                    .to_string()
            };
            let size = usize::from_str_radix(&text(124, 136), 8).unwrap();
            let stored = u32::from_str_radix(&text(148, 154), 8).unwrap();
            let sum: u32 = header
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if (148..156).contains(&i) {
                        32
                    } else {
                        u32::from(b)
                    }
                })
                .sum();
            assert_eq!(stored, sum, "checksum of {}", text(0, 100));
            let path = match text(345, 500) {
                prefix if prefix.is_empty() => text(0, 100),
                prefix => format!("{prefix}/{}", text(0, 100)),
            };
            files.push((path, size));
            at += 512 + size.div_ceil(512) * 512;
        }
        assert_eq!(bytes.len(), at + 1024, "two empty blocks end the archive");
        files
    }

    #[test]
    fn the_kwokctl_recipe_is_one_archive_of_the_engines_files() {
        let download = export(ExportKind::Kwokctl, &default_request(), None, 0.0, 1).unwrap();
        assert_eq!(download.name, "stage-playground-kwokctl.tar");
        let names: Vec<String> = tar_listing(&download.bytes)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(
            names,
            [
                "stage-playground-kwokctl/kwok.yaml",
                "stage-playground-kwokctl/objects.yaml",
                "stage-playground-kwokctl/run.sh",
            ]
        );
    }

    #[test]
    fn testdata_of_the_selected_object_at_the_cursor() {
        let download = export(
            ExportKind::Testdata,
            &default_request(),
            Some("Pod/default/web-0"),
            30_000.0,
            1,
        )
        .unwrap();
        assert_eq!(download.name, "pod-default-web-0-testdata.tar");
        let listing = tar_listing(&download.bytes);
        assert_eq!(
            listing[0].0,
            "pod-default-web-0-testdata/pod-default-web-0.input.yaml"
        );
        assert_eq!(
            listing[1].0,
            "pod-default-web-0-testdata/pod-default-web-0.output.yaml"
        );
    }

    /// The testdata export of a Pod named `pod` in `namespace`.
    fn testdata_of(namespace: &str, pod: &str) -> Result<Download, String> {
        let mut request = default_request();
        request.objects = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: {namespace}\n"
        );
        let key = format!("Pod/{namespace}/{pod}");
        export(ExportKind::Testdata, &request, Some(&key), 0.0, 1)
    }

    #[test]
    fn long_testdata_paths_use_the_ustar_prefix() {
        let (namespace, pod) = ("n".repeat(40), "p".repeat(40));
        let stem = format!("pod-{namespace}-{pod}");
        let names: Vec<String> = tar_listing(&testdata_of(&namespace, &pod).unwrap().bytes)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert!(names[0].len() > 100);
        assert_eq!(
            names,
            [
                format!("{stem}-testdata/{stem}.input.yaml"),
                format!("{stem}-testdata/{stem}.output.yaml"),
            ]
        );
    }

    #[test]
    fn a_file_name_too_long_for_ustar_is_an_error_naming_it() {
        // A 63-character namespace and a 60-character name make a 139-byte file name.
        let (namespace, pod) = ("n".repeat(63), "p".repeat(60));
        let stem = format!("pod-{namespace}-{pod}");
        let error = testdata_of(&namespace, &pod).unwrap_err();
        assert!(
            error.starts_with(&format!(
                "{stem}-testdata/{stem}.input.yaml: the path is too long"
            )),
            "{error}"
        );
    }

    #[test]
    fn a_path_no_ustar_header_holds_is_an_error_naming_it() {
        let short = "a".repeat(100);
        assert_eq!(ustar_path(&short), Ok(("", short.as_str())));
        let split = format!("{}/{}", "d".repeat(155), "f".repeat(100));
        assert_eq!(
            ustar_path(&split),
            Ok(("d".repeat(155).as_str(), "f".repeat(100).as_str()))
        );
        let long_name = format!("dir/{}", "f".repeat(101));
        let error = ustar_path(&long_name).unwrap_err();
        assert!(error.starts_with(&format!("{long_name}: the path is too long")));
        let long_folder = format!("{}/{}", "d".repeat(156), "f".repeat(10));
        assert!(ustar_path(&long_folder).is_err());
    }

    #[test]
    fn an_exported_scenario_imports_back_to_the_same_inputs() {
        let mut request = default_request();
        request.settings.seed = 7;
        let download = export(ExportKind::Scenario, &request, None, 0.0, 1).unwrap();
        let text = String::from_utf8(download.bytes).unwrap();
        let Ok(Import::Scenario(opening)) = import("scenario.json", &text) else {
            panic!("not read as a scenario");
        };
        assert_eq!(opening.request, request);
    }

    #[test]
    fn each_opened_file_goes_where_the_engine_says_with_its_own_text() {
        let file = |name: &str, text: &str| NamedFile {
            name: name.into(),
            text: text.into(),
        };
        let files = [
            file("s.yaml", "kind: Stage\n"),
            file("p.yaml", "kind: Pod\n"),
            file("bad.yaml", "a: [1,\n"),
        ];
        let answer = Response::Opened {
            files: vec![
                Opened::Stages,
                Opened::Objects,
                Opened::Unreadable("bad.yaml:2:1: no".into()),
            ],
        };
        assert_eq!(
            opened(&files, Ok(answer)),
            [
                Ok(Import::Stages("kind: Stage\n".into())),
                Ok(Import::Objects("kind: Pod\n".into())),
                Err("bad.yaml:2:1: no".into()),
            ]
        );
        // An answer for other files than those sent is no answer for any of them.
        let short = Response::Opened {
            files: vec![Opened::Stages],
        };
        let wrong = opened(&files[..2], Ok(short));
        assert_eq!(
            wrong,
            vec![Err("the engine answered something else".into()); 2]
        );
    }

    #[test]
    fn a_scenario_the_page_cannot_take_is_an_error_naming_the_file() {
        let text = r#"{"stages": ["stages/"]}"#;
        let error = import("remote.json", text).unwrap_err();
        assert!(
            error.starts_with("remote.json: stages[0] names the file \"stages/\""),
            "{error}"
        );
    }

    #[test]
    fn a_failed_answer_is_every_files_error() {
        let files = vec![
            NamedFile {
                name: "a.yaml".into(),
                text: String::new(),
            };
            2
        ];
        let stopped = opened(&files, Err("the engine stopped".into()));
        assert_eq!(stopped, vec![Err("the engine stopped".to_string()); 2]);
        let refused = exported(
            ExportKind::Kwokctl,
            Ok(Response::Failed {
                message: "stages:1:1: bad".into(),
            }),
            1,
        );
        assert_eq!(refused, Err("stages:1:1: bad".to_string()));
    }

    #[test]
    fn a_json_export_is_downloaded_as_it_is() {
        let file = NamedFile {
            name: "timeline.json".into(),
            text: "{}\n".into(),
        };
        let download = download(ExportKind::Timeline, &[file], 1).unwrap();
        assert_eq!(download.name, "timeline.json");
        assert_eq!(download.bytes, b"{}\n");
        assert_eq!(download.media_type, "application/json");
    }

    #[test]
    fn appended_documents_follow_a_separator() {
        assert_eq!(append_documents("", "b: 1\n"), "b: 1\n");
        assert_eq!(append_documents("a: 1", "b: 1\n"), "a: 1\n---\nb: 1\n");
    }
}
