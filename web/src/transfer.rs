//! Files in and out of the page: the exports `stage-sim export` makes (a kwokctl recipe,
//! kwok's stage testdata for the selected object, the timeline and the scenario as JSON),
//! and the files a user drops or picks (YAML for an editor, or a scenario file exported
//! before).
//!
//! The exports are the engine's ([`stage_engine::export`]); this module only feeds them the
//! page's inputs and packs several files into one tar archive for a single download. It is
//! pure and tested natively; the buttons and the browser's file APIs are
//! [`crate::share_ui`]'s.

use std::path::Path;

use stage_engine::export::{self, ExportFile, Prepared};
use stage_engine::scenario::Scenario;
use stage_engine::share::{PresetTable, ViewState};

use crate::glue::Request;
use crate::sharing::{self, Opening};

/// One download: a file name, its bytes and their media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
}

/// The exports the page offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// `kwok.yaml`, `objects.yaml`, action manifests and `run.sh`, as a tar archive.
    Kwokctl,
    /// The selected object's `*.input.yaml` and `*.output.yaml` at the cursor, as a tar.
    Testdata,
    /// The timeline of the run, `timeline.json`.
    Timeline,
    /// The scenario with its sources inline, `scenario.json`, which the page opens again.
    Scenario,
}

/// The scenario of the page's inputs with every source inline (an empty registry names no
/// preset), as the engine reads it.
pub fn scenario(request: &Request) -> Scenario {
    sharing::shared(request, ViewState::default(), &PresetTable::new()).scenario
}

/// Makes `export` of the page's inputs. `object` and `at_ms` say what testdata is about:
/// the selected object (the first one when none is) at the cursor's virtual time. `mtime`
/// (seconds since 1970) stamps the files of an archive.
pub fn export(
    what: Export,
    request: &Request,
    object: Option<&str>,
    at_ms: f64,
    mtime: u64,
) -> Result<Download, String> {
    let scenario = scenario(request);
    let prepared = Prepared::new(&scenario, Path::new(".")).map_err(|e| e.to_string())?;
    let files = match what {
        Export::Kwokctl => export::kwokctl(&prepared),
        Export::Testdata => {
            let at = format!("{}ms", at_ms.max(0.0).round() as i64);
            export::testdata(&prepared, object, &at)
        }
        Export::Timeline => export::timeline_json(&prepared),
        Export::Scenario => export::scenario_json(&prepared),
    }
    .map_err(|e| e.to_string())?;

    Ok(match (what, files.as_slice()) {
        (Export::Timeline | Export::Scenario, [file]) => Download {
            name: file.name.clone(),
            bytes: file.text.clone().into_bytes(),
            media_type: "application/json",
        },
        (Export::Kwokctl, _) => archive("stage-playground-kwokctl", &files, mtime)?,
        _ => {
            let stem = files
                .first()
                .and_then(|file| file.name.strip_suffix(".input.yaml"))
                .unwrap_or("object");
            archive(&format!("{stem}-testdata"), &files, mtime)?
        }
    })
}

/// Files in a folder `name/` of a tar archive, `name.tar`. A path the ustar header cannot
/// hold is an error naming the file.
fn archive(name: &str, files: &[ExportFile], mtime: u64) -> Result<Download, String> {
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

/// Reads a file the user gave the page. A mapping with `stages` or `objects` and no `kind`
/// is a scenario file; YAML whose documents are all Stages is for the Stages editor; any
/// other YAML is objects. Errors name the file, line and column.
pub fn import(file: &str, text: &str) -> Result<Import, String> {
    let documents = stage_yaml::parse_stream(text).map_err(|error| {
        format!(
            "{file}:{}:{}: {}",
            error.mark.line, error.mark.column, error.message
        )
    })?;
    let roots: Vec<serde_json::Value> = documents.iter().map(|d| d.root.to_json()).collect();

    let is_scenario = matches!(roots.as_slice(), [serde_json::Value::Object(root)]
        if !root.contains_key("kind") && (root.contains_key("stages") || root.contains_key("objects")));
    if is_scenario {
        let scenario = Scenario::parse(text, file).map_err(|e| e.to_string())?;
        let (request, notes) =
            sharing::request_of(&scenario).map_err(|e| format!("{file}: {e}"))?;
        return Ok(Import::Scenario(Box::new(Opening {
            request,
            view: ViewState::default(),
            notes,
        })));
    }
    let kinds: Vec<Option<&str>> = roots
        .iter()
        .filter(|root| !root.is_null())
        .map(|root| root.get("kind").and_then(|kind| kind.as_str()))
        .collect();
    if kinds.is_empty() {
        return Err(format!("{file}: the file holds no YAML document"));
    }
    if kinds.iter().all(|kind| *kind == Some("Stage")) {
        Ok(Import::Stages(text.to_string()))
    } else {
        Ok(Import::Objects(text.to_string()))
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

    fn default_request() -> Request {
        crate::page::default_scenario()
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
        let download = export(Export::Kwokctl, &default_request(), None, 0.0, 1).unwrap();
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
            Export::Testdata,
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
        let error = export(
            Export::Testdata,
            &default_request(),
            Some("Pod/x/y"),
            0.0,
            1,
        );
        assert!(error.unwrap_err().contains("Pod/x/y does not exist"));
    }

    /// The testdata export of a Pod named `pod` in `namespace`.
    fn testdata_of(namespace: &str, pod: &str) -> Result<Download, String> {
        let mut request = default_request();
        request.objects = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: {namespace}\n"
        );
        let key = format!("Pod/{namespace}/{pod}");
        export(Export::Testdata, &request, Some(&key), 0.0, 1)
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
        let download = export(Export::Scenario, &request, None, 0.0, 1).unwrap();
        let text = String::from_utf8(download.bytes).unwrap();
        let Ok(Import::Scenario(opening)) = import("scenario.json", &text) else {
            panic!("not read as a scenario");
        };
        assert_eq!(opening.request, request);
    }

    #[test]
    fn the_timeline_is_the_engines_json() {
        let download = export(Export::Timeline, &default_request(), None, 0.0, 1).unwrap();
        let timeline: stage_engine::timeline::Timeline =
            serde_json::from_slice(&download.bytes).unwrap();
        assert!(timeline.plays().count() > 0);
    }

    #[test]
    fn imports_are_told_apart() {
        let stage = "kind: Stage\nmetadata: {name: a}\n---\nkind: Stage\nmetadata: {name: b}\n";
        assert_eq!(import("s.yaml", stage), Ok(Import::Stages(stage.into())));
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
        assert_eq!(import("p.yaml", pod), Ok(Import::Objects(pod.into())));
        let error = import("bad.yaml", "a: [1,\n").unwrap_err();
        assert!(error.starts_with("bad.yaml:"), "{error}");
        let error = import("s.yaml", "stages: []\nnxt: 1\n").unwrap_err();
        assert!(error.starts_with("s.yaml:2:1:"), "{error}");
    }

    #[test]
    fn appended_documents_follow_a_separator() {
        assert_eq!(append_documents("", "b: 1\n"), "b: 1\n");
        assert_eq!(append_documents("a: 1", "b: 1\n"), "a: 1\n---\nb: 1\n");
    }
}
