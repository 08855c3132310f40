//! The engine's side of the page's files, asked with a [`FileRequest`]: the exports
//! `stage-sim export` makes (a kwokctl recipe, kwok's stage testdata for one object at one
//! moment, the timeline and the scenario as JSON), and what the files a user dropped or
//! picked hold.
//!
//! Both need the engine (a run, the YAML parser), so the worker answers them; the page packs
//! the files into one download and takes an opened file into its editors. The exports are
//! the engine's own ([`stage_engine::export`]); this module only asks for them. Its
//! counterparts in the page are `transfer.rs` (the requests and what their answers become)
//! and `files.rs` (the browser's file APIs), which share this module's name but not its
//! side.

use std::path::Path;

use serde::{Deserialize, Serialize};
use stage_engine::export::{self, Prepared};
use stage_engine::scenario::Scenario;

use crate::Response;

/// A request about files, written as a map with one key, its kind:
/// `{"export": {...}}`, `{"open": [{"name": ..., "text": ...}]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FileRequest {
    /// Make an export; answered with [`Response::Exported`] or [`Response::Failed`].
    Export(Box<ExportAsk>),
    /// Say what each file (a name and its text) holds; answered with [`Response::Opened`].
    Open(Vec<NamedFile>),
}

/// Answers a request about files.
pub fn respond(request: &FileRequest) -> Response {
    match request {
        FileRequest::Export(ask) => export(ask),
        FileRequest::Open(files) => open(files),
    }
}

/// The exports the page offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    /// `kwok.yaml`, `objects.yaml`, action manifests and `run.sh`.
    Kwokctl,
    /// The object's `*.input.yaml` and `*.output.yaml` at a moment.
    Testdata,
    /// The timeline of the run, `timeline.json`.
    Timeline,
    /// The scenario with its sources inline, `scenario.json`, which the page opens again.
    Scenario,
}

/// What to export, of which scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportAsk {
    pub kind: ExportKind,
    /// The page's inputs with every source inline, as `stage-sim run --scenario` reads them.
    pub scenario: Scenario,
    /// For testdata: the object, as the timeline writes its key (`Pod/default/web-0`); the
    /// scenario's first object when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// For testdata: the moment, in virtual milliseconds after the start.
    #[serde(default)]
    pub at_ms: i64,
}

/// One file, by name and text: a file of an export, or a file the user gave the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedFile {
    pub name: String,
    pub text: String,
}

/// What one opened file is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Opened {
    /// Stage documents, for the Stages editor.
    Stages,
    /// Other Kubernetes objects, for the objects editor.
    Objects,
    /// A scenario file, which replaces the page's inputs.
    Scenario(Box<Scenario>),
    /// The file could not be read: `file:line:column: message`, or `file: message` when the
    /// problem is with the whole file.
    Unreadable(String),
}

/// Makes the export `ask` asks for. An export that cannot be made is answered with
/// [`Response::Failed`], the place and the message as `stage-sim export` prints them.
pub fn export(ask: &ExportAsk) -> Response {
    match export_files(ask) {
        Ok(files) => Response::Exported { files },
        Err(message) => Response::Failed { message },
    }
}

fn export_files(ask: &ExportAsk) -> Result<Vec<NamedFile>, String> {
    // A scenario from the page holds its sources inline, so no file is read from `.`.
    let prepared = Prepared::new(&ask.scenario, Path::new(".")).map_err(|e| e.to_string())?;
    let files = match ask.kind {
        ExportKind::Kwokctl => export::kwokctl(&prepared),
        ExportKind::Testdata => {
            let at = format!("{}ms", ask.at_ms.max(0));
            export::testdata(&prepared, ask.object.as_deref(), &at)
        }
        ExportKind::Timeline => export::timeline_json(&prepared),
        ExportKind::Scenario => export::scenario_json(&prepared),
    }
    .map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .map(|file| NamedFile {
            name: file.name,
            text: file.text,
        })
        .collect())
}

/// What each of `files` holds, in their order.
pub fn open(files: &[NamedFile]) -> Response {
    Response::Opened {
        files: files
            .iter()
            .map(|file| read(&file.name, &file.text).unwrap_or_else(Opened::Unreadable))
            .collect(),
    }
}

/// Reads a file the user gave the page. A mapping with `stages` or `objects` and no `kind`
/// is a scenario file; YAML whose documents are all Stages is for the Stages editor; any
/// other YAML is objects. Errors name the file, line and column.
fn read(file: &str, text: &str) -> Result<Opened, String> {
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
        return Ok(Opened::Scenario(Box::new(scenario)));
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
        Ok(Opened::Stages)
    } else {
        Ok(Opened::Objects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{answer, presets};
    use stage_engine::config::ManagedNodes;
    use stage_engine::scenario::{Source, UserActionKind};
    use stage_engine::timeline::Detail;

    /// The default scenario as the page exports it: its two editors' texts inline.
    fn default_scenario() -> Scenario {
        let request = presets::default_scenario();
        let inline = |text: &str| {
            vec![Source::Inline {
                name: None,
                text: text.to_string(),
            }]
        };
        Scenario {
            stages: inline(&request.stages),
            objects: inline(&request.objects),
            seed: request.settings.seed,
            horizon: Some("10m".into()),
            max_plays: Some(10_000),
            ..Scenario::default()
        }
    }

    fn ask(kind: ExportKind) -> ExportAsk {
        ExportAsk {
            kind,
            scenario: default_scenario(),
            object: None,
            at_ms: 0,
        }
    }

    /// The answer to `request`, through the JSON the worker reads and writes.
    fn answered(request: FileRequest) -> Response {
        let text = answer(&serde_json::to_string(&request).unwrap());
        serde_json::from_str(&text).unwrap()
    }

    fn exported(ask: ExportAsk) -> Result<Vec<NamedFile>, String> {
        match answered(FileRequest::Export(Box::new(ask))) {
            Response::Exported { files } => Ok(files),
            Response::Failed { message } => Err(message),
            other => panic!("not an export's answer: {other:?}"),
        }
    }

    fn names(files: &[NamedFile]) -> Vec<&str> {
        files.iter().map(|file| file.name.as_str()).collect()
    }

    fn opened(files: &[(&str, &str)]) -> Vec<Opened> {
        let files = files
            .iter()
            .map(|(name, text)| NamedFile {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect();
        match answered(FileRequest::Open(files)) {
            Response::Opened { files } => files,
            other => panic!("not an open's answer: {other:?}"),
        }
    }

    #[test]
    fn the_kwokctl_recipe_is_the_engines_files() {
        let files = exported(ask(ExportKind::Kwokctl)).unwrap();
        assert_eq!(names(&files), ["kwok.yaml", "objects.yaml", "run.sh"]);
        assert!(
            files[0].text.contains("name: pod-ready"),
            "{}",
            files[0].text
        );
    }

    #[test]
    fn testdata_of_an_object_at_a_moment_and_of_an_object_that_is_not_there() {
        let at_30s = ExportAsk {
            object: Some("Pod/default/web-0".into()),
            at_ms: 30_000,
            ..ask(ExportKind::Testdata)
        };
        let files = exported(at_30s.clone()).unwrap();
        assert_eq!(
            names(&files),
            [
                "pod-default-web-0.input.yaml",
                "pod-default-web-0.output.yaml"
            ]
        );
        let missing = ExportAsk {
            object: Some("Pod/x/y".into()),
            ..at_30s
        };
        let error = exported(missing).unwrap_err();
        assert!(
            error.starts_with("--object: Pod/x/y does not exist at 30000ms"),
            "{error}"
        );
    }

    #[test]
    fn the_timeline_and_the_scenario_are_the_engines_json() {
        let [timeline] = exported(ask(ExportKind::Timeline))
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(timeline.name, "timeline.json");
        let timeline: stage_engine::timeline::Timeline =
            serde_json::from_str(&timeline.text).unwrap();
        assert!(timeline.plays().count() > 0);

        let [scenario] = exported(ask(ExportKind::Scenario))
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(scenario.name, "scenario.json");
        let read = opened(&[("scenario.json", &scenario.text)]);
        let [Opened::Scenario(read)] = read.as_slice() else {
            panic!("the exported scenario is not read as one");
        };
        assert_eq!(read.seed, 1);
        assert_eq!(read.horizon.as_deref(), Some("10m"));
        assert_eq!(read.stages.len(), 1);
    }

    #[test]
    fn an_export_of_stages_that_do_not_load_names_the_source_line_and_column() {
        let mut broken = ask(ExportKind::Kwokctl);
        broken.scenario.stages = vec![Source::Inline {
            name: Some("stages".into()),
            text: "kind: Stage\nmetadata: {name: a}\nspec: [1,\n".into(),
        }];
        let error = exported(broken).unwrap_err();
        assert!(error.starts_with("stages:4:1:"), "{error}");
    }

    #[test]
    fn opened_files_are_told_apart_in_their_order() {
        let stage = "kind: Stage\nmetadata: {name: a}\n---\nkind: Stage\nmetadata: {name: b}\n";
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
        assert_eq!(
            opened(&[
                ("s.yaml", stage),
                ("p.yaml", pod),
                ("empty.yaml", "# none\n")
            ]),
            [
                Opened::Stages,
                Opened::Objects,
                Opened::Unreadable("empty.yaml: the file holds no YAML document".into()),
            ]
        );
    }

    #[test]
    fn a_file_that_does_not_read_is_placed_at_its_file_line_and_column() {
        let read = opened(&[
            ("bad.yaml", "a: b\nc: [1,\n"),
            ("s.yaml", "stages: []\nnxt: 1\n"),
        ]);
        let [Opened::Unreadable(yaml), Opened::Unreadable(scenario)] = read.as_slice() else {
            panic!("both files were read");
        };
        assert!(yaml.starts_with("bad.yaml:3:1: "), "{yaml}");
        assert!(scenario.starts_with("s.yaml:2:1: "), "{scenario}");
        assert!(scenario.contains("nxt"), "{scenario}");
    }

    /// The refusal of `request`, which must be one.
    fn refusal(request: &str) -> String {
        let text = answer(request);
        let Ok(Response::Rejected { problems }) = serde_json::from_str(&text) else {
            panic!("a bad request was answered: {text}");
        };
        let [problem] = problems.as_slice() else {
            panic!("not one problem: {problems:?}");
        };
        assert_eq!(problem.source, crate::Source::Engine);
        problem.message.clone()
    }

    #[test]
    fn a_request_is_read_as_its_first_key_says_and_refused_with_that_readings_error() {
        let file = refusal(r#"{"export": {"kind": "zip"}}"#);
        assert!(
            file.starts_with(
                "The page sent a file request the engine cannot read: unknown variant `zip`"
            ),
            "{file}"
        );
        let run = refusal(r#"{"op": "fly", "stages": "", "objects": ""}"#);
        assert!(
            run.starts_with(
                "The page sent a request the engine cannot read: unknown variant `fly`"
            ),
            "{run}"
        );
        assert!(!run.contains("file request"), "{run}");
        let neither = refusal("[1]");
        assert!(neither.starts_with("The page sent a request"), "{neither}");
    }

    #[test]
    fn the_first_key_is_read_alone() {
        let cases = [
            (" {\n \"open\" : [", Some("open")),
            (r#"{"\u006fp": "run", "objects": "#, Some("op")),
            ("{}", None),
            ("[{\"open\": []}]", None),
        ];
        for (text, key) in cases {
            assert_eq!(crate::first_key(text).as_deref(), key, "{text}");
        }
    }

    #[test]
    fn an_opened_scenario_crosses_the_worker_as_it_was_read() {
        let text = r#"
stages:
  - name: stages.yaml
    text: |
      kind: Stage
      metadata: {name: a}
      spec: {resourceRef: {apiGroup: v1, kind: Pod}, selector: {}, next: {}}
objects:
  - {name: pods.yaml, text: "kind: Pod\nmetadata: {name: p, namespace: d}\n"}
config:
  nodeIP: 10.1.2.3
  nodePort: 10250
  manage: {byLabel: type=kwok}
seed: 9
start: "2024-01-02T03:04:05Z"
horizon: 5m
maxPlays: 300
detail: summary
actions:
  - {at: 10s, create: "kind: Pod\nmetadata: {name: q, namespace: d}\n"}
  - {at: 20s, edit: {kind: Pod, namespace: d, name: p, patch: {metadata: {labels: {a: b}}}}}
  - {at: 30s, replace: {kind: Pod, metadata: {name: q, namespace: d}}}
  - {at: 40s, delete: {kind: Pod, namespace: d, name: q, gracePeriodSeconds: 5}}
"#;
        let want = Scenario::parse(text, "s.yaml").unwrap();
        // The scenario holds what the test means it to, so that the equality covers it.
        let config = want.config.as_ref().unwrap();
        assert_eq!(config.manage, ManagedNodes::ByLabel("type=kwok".into()));
        assert_eq!((config.node_port, want.detail), (10250, Detail::Summary));
        let kinds: Vec<_> = want.actions.iter().map(|action| &action.what).collect();
        assert!(matches!(
            kinds.as_slice(),
            [
                UserActionKind::Create(_),
                UserActionKind::Edit { .. },
                UserActionKind::Replace(_),
                UserActionKind::Delete {
                    grace_period_seconds: Some(5),
                    ..
                },
            ]
        ));

        let read = opened(&[("s.yaml", text)]);
        let [Opened::Scenario(read)] = read.as_slice() else {
            panic!("not read as a scenario: {read:?}");
        };
        assert_eq!(**read, want);
    }
}
