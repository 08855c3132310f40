//! The scenario file: everything one run needs, in one JSON or YAML document.
//!
//! A scenario names Stages and objects (file paths, relative to the scenario, or inline
//! YAML), the controller config, the seed, the virtual start time, the bounds of the run
//! and the user's actions at virtual times. `stage-sim run --scenario FILE` reads it and
//! the page shares the same document. This module parses and resolves it; loading the
//! Stages and objects is the loader's work and running them is [`crate::sim`]'s.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::ControllerConfig;
use crate::sim::{Action, ObjectKey, TimedAction};
use crate::timeline::Detail;

/// The default virtual start time. Never the wall clock: a scenario must replay the same.
pub const DEFAULT_START: &str = "2024-01-01T00:00:00Z";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Stage sources, loaded in order.
    #[serde(default)]
    pub stages: Vec<Source>,
    /// Object sources, created in order at the start time.
    #[serde(default)]
    pub objects: Vec<Source>,
    #[serde(default)]
    pub config: Option<ControllerConfig>,
    #[serde(default)]
    pub seed: u64,
    /// RFC 3339; [`DEFAULT_START`] when absent.
    #[serde(default)]
    pub start: Option<String>,
    /// How far the virtual clock may run past the start, as a Go duration (`10m`).
    #[serde(default)]
    pub horizon: Option<String>,
    /// The most Stage plays in the whole run.
    #[serde(default)]
    pub max_plays: Option<usize>,
    #[serde(default)]
    pub detail: Detail,
    #[serde(default)]
    pub actions: Vec<UserAction>,
}

/// A file path (relative to the scenario file) or inline YAML text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    Path(String),
    Inline {
        /// A label for messages (`stages[0]` when absent).
        #[serde(default)]
        name: Option<String>,
        text: String,
    },
    File {
        path: String,
    },
}

/// Something the user does at a virtual time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserAction {
    /// A Go duration after the start (`30s`) or an RFC 3339 time.
    pub at: String,
    #[serde(flatten)]
    pub what: UserActionKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserActionKind {
    /// Create an object (its YAML text or its JSON value).
    Create(ObjectText),
    /// `kubectl delete`, with an optional grace period in seconds.
    Delete {
        #[serde(flatten)]
        target: Target,
        #[serde(default, rename = "gracePeriodSeconds")]
        grace_period_seconds: Option<i64>,
    },
    /// Edit labels, annotations or any field with a JSON merge patch.
    Edit {
        #[serde(flatten)]
        target: Target,
        patch: serde_json::Value,
    },
    /// Replace the whole object (`kubectl replace`).
    Replace(ObjectText),
}

/// An object as YAML text or as a JSON value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObjectText {
    Text(String),
    Value(serde_json::Value),
}

/// Which object an action is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    #[serde(default = "default_api_version")]
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub namespace: String,
    pub name: String,
}

fn default_api_version() -> String {
    "v1".to_string()
}

/// A source after reading: a label for messages and the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub label: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file and place, e.g. `scenario.yaml:3:5`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses a scenario from JSON or YAML text; `file` names it in messages.
    pub fn parse(source: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let documents = stage_yaml::parse_stream(source).map_err(|error| ScenarioError {
            place: format!("{file}:{}:{}", error.mark.line, error.mark.column),
            message: error.message.clone(),
        })?;
        let Some(document) = documents.first() else {
            return Err(ScenarioError {
                place: file.to_string(),
                message: "the scenario is empty".to_string(),
            });
        };
        check_shape(&document.root).map_err(|(mark, message)| ScenarioError {
            place: format!("{file}:{}:{}", mark.line, mark.column),
            message: format!("bad scenario: {message}"),
        })?;
        let scenario = decode(&document.root.to_json()).map_err(|(steps, error)| {
            let mark = locate(&document.root, &steps);
            ScenarioError {
                place: format!("{file}:{}:{}", mark.line, mark.column),
                message: if steps.is_empty() {
                    format!("bad scenario: {error}")
                } else {
                    format!("bad scenario: {}: {error}", path_text(&steps))
                },
            }
        })?;
        // An action's time and object text are checked here, where their place in the file
        // is known; a relative time needs no start to be understood.
        for (index, action) in scenario.actions.iter().enumerate() {
            if let Err(error) = action.to_timed(0, index) {
                let field = match &action.what {
                    _ if action.time(0).is_err() => "at",
                    UserActionKind::Create(_) => "create",
                    UserActionKind::Replace(_) => "replace",
                    UserActionKind::Delete { .. } | UserActionKind::Edit { .. } => "at",
                };
                let mark = action_mark(&document.root, index, field);
                return Err(ScenarioError {
                    place: format!("{file}:{}:{}", mark.line, mark.column),
                    message: format!("{}: {}", error.place, error.message),
                });
            }
        }
        Ok(scenario)
    }

    /// Reads every path-named source, relative to `base`; a directory gives each of its
    /// `*.yaml`, `*.yml` and `*.json` files, in name order.
    pub fn read_sources(
        sources: &[Source],
        base: &Path,
        what: &str,
    ) -> Result<Vec<Text>, ScenarioError> {
        let mut texts = Vec::with_capacity(sources.len());
        for (index, source) in sources.iter().enumerate() {
            match source {
                Source::Path(path) | Source::File { path } => {
                    let full: PathBuf = base.join(path);
                    let files = if full.is_dir() {
                        directory_files(&full).map_err(|error| ScenarioError {
                            place: full.display().to_string(),
                            message: format!("cannot read the directory {what}[{index}]: {error}"),
                        })?
                    } else {
                        vec![full]
                    };
                    for file in files {
                        let text =
                            std::fs::read_to_string(&file).map_err(|error| ScenarioError {
                                place: file.display().to_string(),
                                message: format!("cannot read {what}[{index}]: {error}"),
                            })?;
                        texts.push(Text {
                            label: file.display().to_string(),
                            text,
                        });
                    }
                }
                Source::Inline { name, text } => texts.push(Text {
                    label: name.clone().unwrap_or_else(|| format!("{what}[{index}]")),
                    text: text.clone(),
                }),
            }
        }
        Ok(texts)
    }

    /// The start time in nanoseconds.
    pub fn start_ns(&self) -> Result<i64, ScenarioError> {
        let text = self.start.as_deref().unwrap_or(DEFAULT_START);
        stage_kube::time::parse_rfc3339(text).ok_or_else(|| ScenarioError {
            place: "start".to_string(),
            message: format!("not an RFC 3339 time: {text:?}"),
        })
    }
}

/// A directory's `*.yaml`, `*.yml` and `*.json` files in name order, without its
/// subdirectories: what `--stages` reads from a directory.
fn directory_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| matches!(extension, "yaml" | "yml" | "json"));
        if wanted && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The keys a scenario may have at its top level.
pub const SCENARIO_KEYS: &[&str] = &[
    "stages", "objects", "config", "seed", "start", "horizon", "maxPlays", "detail", "actions",
];
/// The keys of a user action besides its kind.
const ACTION_KINDS: &[&str] = &["create", "delete", "edit", "replace"];
const DELETE_KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "namespace",
    "name",
    "gracePeriodSeconds",
];
const EDIT_KEYS: &[&str] = &["apiVersion", "kind", "namespace", "name", "patch"];

type ShapeError = (stage_yaml::Mark, String);

/// Checks the keys of the document before it is decoded, so that every mistake is named in
/// the scenario's own terms (which keys are allowed, at which place) and an unknown key is
/// rejected at every level, inside actions too.
fn check_shape(root: &stage_yaml::Node) -> Result<(), ShapeError> {
    use stage_yaml::NodeValue;

    let entries = map_entries(root, "the scenario")?;
    check_keys(entries, SCENARIO_KEYS, "the scenario")?;
    for (key, value) in entries {
        match key_name(key) {
            Some(name @ ("stages" | "objects")) => {
                for (index, item) in seq_items(value, name)?.iter().enumerate() {
                    check_source(item, &format!("{name}[{index}]"))?;
                }
            }
            Some("actions") => {
                for (index, item) in seq_items(value, "actions")?.iter().enumerate() {
                    check_action(item, &format!("actions[{index}]"))?;
                }
            }
            _ => {}
        }
    }
    return Ok(());

    fn check_source(node: &stage_yaml::Node, what: &str) -> Result<(), ShapeError> {
        if let NodeValue::String { .. } = node.value {
            return Ok(());
        }
        let entries = map_entries(node, what).map_err(|(mark, _)| {
            (
                mark,
                format!(
                    "{what}: must be a path, {{path: FILE}} or {{name: LABEL, text: YAML}}, \
                     not {}",
                    type_name(node)
                ),
            )
        })?;
        let has = |name: &str| entries.iter().any(|(k, _)| key_name(k) == Some(name));
        if has("path") {
            check_keys(entries, &["path"], what)
        } else if has("text") {
            check_keys(entries, &["name", "text"], what)
        } else {
            Err((
                node.mark,
                format!("{what}: needs `path` (a file or directory) or `text` (inline YAML)"),
            ))
        }
    }

    fn check_action(node: &stage_yaml::Node, what: &str) -> Result<(), ShapeError> {
        let entries = map_entries(node, what)?;
        let mut allowed = vec!["at"];
        allowed.extend_from_slice(ACTION_KINDS);
        check_keys(entries, &allowed, what)?;
        if !entries.iter().any(|(k, _)| key_name(k) == Some("at")) {
            return Err((
                node.mark,
                format!(
                    "{what}: needs `at`, a Go duration after the start (`30s`) or an RFC 3339 time"
                ),
            ));
        }
        let kinds: Vec<&(stage_yaml::Node, stage_yaml::Node)> = entries
            .iter()
            .filter(|(k, _)| key_name(k).is_some_and(|name| ACTION_KINDS.contains(&name)))
            .collect();
        let [(key, value)] = kinds.as_slice() else {
            return Err((
                node.mark,
                format!(
                    "{what}: needs exactly one of `create`, `delete`, `edit`, `replace`, found {}",
                    kinds.len()
                ),
            ));
        };
        let kind = key_name(key).unwrap_or_default();
        let inner = format!("{what}.{kind}");
        match kind {
            "delete" | "edit" => {
                let keys = if kind == "delete" {
                    DELETE_KEYS
                } else {
                    EDIT_KEYS
                };
                let target = map_entries(value, &inner)?;
                check_keys(target, keys, &inner)?;
                let required: &[&str] = if kind == "delete" {
                    &["kind", "name"]
                } else {
                    &["kind", "name", "patch"]
                };
                for name in required {
                    if !target.iter().any(|(k, _)| key_name(k) == Some(name)) {
                        return Err((value.mark, format!("{inner}: needs `{name}`")));
                    }
                }
                Ok(())
            }
            _ => match value.value {
                NodeValue::String { .. } | NodeValue::Map(_) => Ok(()),
                _ => Err((
                    value.mark,
                    format!(
                        "{inner}: must be an object (a mapping) or its YAML text, not {}",
                        type_name(value)
                    ),
                )),
            },
        }
    }
}

fn key_name(key: &stage_yaml::Node) -> Option<&str> {
    match &key.value {
        stage_yaml::NodeValue::String { value, .. } => Some(value),
        _ => None,
    }
}

fn type_name(node: &stage_yaml::Node) -> &'static str {
    use stage_yaml::NodeValue;
    match node.value {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "a boolean",
        NodeValue::Int(_) | NodeValue::UInt(_) | NodeValue::Float(_) => "a number",
        NodeValue::String { .. } => "a string",
        NodeValue::Seq(_) => "a list",
        NodeValue::Map(_) => "a mapping",
    }
}

fn map_entries<'a>(
    node: &'a stage_yaml::Node,
    what: &str,
) -> Result<&'a [(stage_yaml::Node, stage_yaml::Node)], ShapeError> {
    match &node.value {
        stage_yaml::NodeValue::Map(entries) => Ok(entries),
        _ => Err((
            node.mark,
            format!("{what}: must be a mapping, not {}", type_name(node)),
        )),
    }
}

fn seq_items<'a>(
    node: &'a stage_yaml::Node,
    what: &str,
) -> Result<&'a [stage_yaml::Node], ShapeError> {
    match &node.value {
        stage_yaml::NodeValue::Seq(items) => Ok(items),
        stage_yaml::NodeValue::Null => Ok(&[]),
        _ => Err((
            node.mark,
            format!("{what}: must be a list, not {}", type_name(node)),
        )),
    }
}

fn check_keys(
    entries: &[(stage_yaml::Node, stage_yaml::Node)],
    allowed: &[&str],
    what: &str,
) -> Result<(), ShapeError> {
    for (key, _) in entries {
        let name = key_name(key);
        if name.is_none_or(|name| !allowed.contains(&name)) {
            let shown = name.map_or_else(|| format!("{:?}", key.value), |n| format!("{n:?}"));
            return Err((
                key.mark,
                format!(
                    "unknown key {shown} in {what}; allowed keys: {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// One step of the path to a value that does not decode, as serde names it: a field, a
/// list index, or the variant of an enum written as `{variant: value}`.
enum Step {
    Key(String),
    Index(usize),
    Variant(String),
}

/// A value that does not decode: where it is and why.
type Misfit = (Vec<Step>, serde_json::Error);

/// Decodes a scenario whose shape [`check_shape`] has passed. Fields are read in the
/// order serde reads a JSON object (sorted by key) and each is decoded on its own, so
/// that the first one of the wrong type is named by its path (`maxPlays`,
/// `actions[0].at`, `config.nodePort`). Every value goes through the same decoders as a
/// whole scenario read from JSON, which share links use.
fn decode(json: &serde_json::Value) -> Result<Scenario, Misfit> {
    let mut scenario = Scenario::default();
    // `check_shape` rejects any other root first; this keeps a caller that skips it from
    // getting the defaults instead.
    let Some(fields) = json.as_object() else {
        let error = serde::de::Error::custom("the scenario: must be a mapping");
        return Err((Vec::new(), error));
    };
    for (key, value) in fields {
        let whole = |error| (vec![Step::Key(key.clone())], error);
        match key.as_str() {
            "stages" => scenario.stages = items(key, value, |_, _| None)?,
            "objects" => scenario.objects = items(key, value, |_, _| None)?,
            "actions" => scenario.actions = items(key, value, action_misfit)?,
            "config" => scenario.config = config(value)?,
            "seed" => scenario.seed = decode_value(value).map_err(whole)?,
            "start" => scenario.start = decode_value(value).map_err(whole)?,
            "horizon" => scenario.horizon = decode_value(value).map_err(whole)?,
            "maxPlays" => scenario.max_plays = decode_value(value).map_err(whole)?,
            "detail" => {
                scenario.detail = decode_value(value).map_err(|error| {
                    let mut steps = vec![Step::Key(key.clone())];
                    steps.extend(variant_step(value, &error));
                    (steps, error)
                })?
            }
            // `check_shape` has rejected every other key.
            _ => {}
        }
    }
    Ok(scenario)
}

fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(value.clone())
}

/// The list under `key`, item by item; `inner` names a place inside an item that fails.
fn items<T: serde::de::DeserializeOwned>(
    key: &str,
    value: &serde_json::Value,
    inner: fn(&serde_json::Value, &serde_json::Error) -> Option<Step>,
) -> Result<Vec<T>, Misfit> {
    let serde_json::Value::Array(list) = value else {
        return decode_value(value).map_err(|error| (vec![Step::Key(key.to_string())], error));
    };
    let mut decoded = Vec::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        let item = decode_value(item).map_err(|error| {
            let mut steps = vec![Step::Key(key.to_string()), Step::Index(index)];
            steps.extend(inner(item, &error));
            (steps, error)
        })?;
        decoded.push(item);
    }
    Ok(decoded)
}

/// An action's `at` is read before its kind, which serde sees only as a whole.
fn action_misfit(action: &serde_json::Value, _: &serde_json::Error) -> Option<Step> {
    let at = action.get("at")?;
    decode_value::<String>(at)
        .is_err()
        .then(|| Step::Key("at".to_string()))
}

/// The controller config, with the place of the first field that does not decode. The part
/// that fails is the one whose error reads as the whole one's; the wording compared here and
/// in [`variant_step`] is serde's, and the table in `type_errors_name_the_path_and_the_place`
/// pins it.
fn config(value: &serde_json::Value) -> Result<Option<ControllerConfig>, Misfit> {
    decode_value(value).map_err(|error| {
        let fails = |part: serde_json::Value| {
            decode_value::<ControllerConfig>(&part)
                .is_err_and(|e| e.to_string() == error.to_string())
        };
        let mut steps = vec![Step::Key("config".to_string())];
        match value {
            serde_json::Value::Object(fields) => {
                let field = fields.iter().find(|(key, field)| {
                    fails(serde_json::Value::Object(
                        [((*key).clone(), (*field).clone())].into_iter().collect(),
                    ))
                });
                if let Some((key, field)) = field {
                    steps.push(Step::Key(key.clone()));
                    steps.extend(variant_step(field, &error));
                }
            }
            // A struct read from a list takes its fields in order: the first prefix that
            // fails the same way ends at the item that does not decode.
            serde_json::Value::Array(list) => {
                let end = (1..=list.len())
                    .find(|&end| fails(serde_json::Value::Array(list[..end].to_vec())));
                steps.extend(end.map(|end| Step::Index(end - 1)));
            }
            _ => {}
        }
        (steps, error)
    })
}

/// The variant step of an enum written as `{variant: value}` whose value does not decode,
/// as serde names it; none when the variant itself or the map is what is wrong.
fn variant_step(value: &serde_json::Value, error: &serde_json::Error) -> Option<Step> {
    let (variant, _) = value
        .as_object()
        .filter(|map| map.len() == 1)?
        .iter()
        .next()?;
    let message = error.to_string();
    let about_the_map =
        message.starts_with("unknown variant") || message.starts_with("invalid type: map");
    (!about_the_map).then(|| Step::Variant(variant.clone()))
}

/// A path as serde writes it: `actions[0].at`, `config.manage.byName`.
fn path_text(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) | Step::Variant(key) => {
                text.push('.');
                text.push_str(key);
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// The deepest node of `root` along a path, as far as the tree has it: an enum's node
/// stands for its variant.
fn locate(root: &stage_yaml::Node, steps: &[Step]) -> stage_yaml::Mark {
    use stage_yaml::NodeValue;

    let mut node = root;
    for step in steps {
        let next = match (step, &node.value) {
            (Step::Key(key), NodeValue::Map(entries)) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, NodeValue::String { value, .. } if value == key))
                .map(|(_, v)| v),
            (Step::Index(index), NodeValue::Seq(items)) => items.get(*index),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node.mark
}

/// Where `actions[index].field` stands in the scenario's document.
fn action_mark(root: &stage_yaml::Node, index: usize, field: &str) -> stage_yaml::Mark {
    use stage_yaml::NodeValue;

    let entry = |node: &stage_yaml::Node, key: &str| match &node.value {
        NodeValue::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.value, NodeValue::String { value, .. } if value == key))
            .map(|(_, v)| v.mark),
        _ => None,
    };
    let Some(NodeValue::Seq(actions)) = (match &root.value {
        NodeValue::Map(entries) => entries
            .iter()
            .find(
                |(k, _)| matches!(&k.value, NodeValue::String { value, .. } if value == "actions"),
            )
            .map(|(_, v)| &v.value),
        _ => None,
    }) else {
        return root.mark;
    };
    actions.get(index).map_or(root.mark, |action| {
        entry(action, field).unwrap_or(action.mark)
    })
}

impl UserAction {
    /// The virtual time of the action: `at` as a duration after `start`, or as a time.
    pub fn time(&self, start: i64) -> Result<i64, ScenarioError> {
        resolve_at(&self.at, start).ok_or_else(|| ScenarioError {
            place: "actions".to_string(),
            message: format!(
                "`at: {}` is neither a Go duration nor an RFC 3339 time",
                self.at
            ),
        })
    }

    /// The action as the simulation takes it; `index` is its place in `actions`, for
    /// messages (`actions[2]`, or `actions[2]:3:7` inside an object's YAML text).
    pub fn to_timed(&self, start: i64, index: usize) -> Result<TimedAction, ScenarioError> {
        let place = format!("actions[{index}]");
        let at = self.time(start).map_err(|error| ScenarioError {
            place: place.clone(),
            message: error.message,
        })?;
        let object = |text: &ObjectText| match text {
            ObjectText::Value(value) => Ok(value.clone()),
            ObjectText::Text(text) => {
                stage_yaml::parse_value(text).map_err(|error| ScenarioError {
                    place: format!("{place}:{}:{}", error.mark.line, error.mark.column),
                    message: error.message,
                })
            }
        };
        let action = match &self.what {
            UserActionKind::Create(text) => Action::Create(object(text)?),
            UserActionKind::Replace(text) => Action::Replace(object(text)?),
            UserActionKind::Delete {
                target,
                grace_period_seconds,
            } => Action::Delete {
                key: target.key(),
                grace_period_seconds: *grace_period_seconds,
            },
            UserActionKind::Edit { target, patch } => Action::Edit {
                key: target.key(),
                patch: patch.clone(),
            },
        };
        Ok(TimedAction { at, action })
    }
}

impl Target {
    /// The key of the object the action is about.
    pub fn key(&self) -> ObjectKey {
        ObjectKey {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

/// A Go duration after `start`, or an RFC 3339 time.
pub fn resolve_at(at: &str, start: i64) -> Option<i64> {
    if let Ok(offset) = crate::duration::parse_go_duration(at) {
        return start.checked_add(offset);
    }
    stage_kube::time::parse_rfc3339(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_704_067_200_000_000_000;

    fn parse(text: &str) -> Scenario {
        Scenario::parse(text, "scenario.yaml").unwrap()
    }

    #[test]
    fn everything_a_scenario_can_say() {
        let scenario = parse(
            "
stages:
- stages/pod-fast.yaml
- path: more.yaml
- name: inline
  text: 'kind: Stage'
objects: [objects.yaml]
config: {nodeIP: 1.2.3.4}
seed: 9
start: 2025-01-01T00:00:00Z
horizon: 10m
maxPlays: 50
detail: summary
actions:
- at: 30s
  delete: {kind: Pod, namespace: default, name: web-0, gracePeriodSeconds: 30}
- at: 2025-01-01T00:01:00Z
  edit: {kind: Node, name: node-1, patch: {metadata: {labels: {a: b}}}}
- at: 1m
  create: 'apiVersion: v1'
- at: 2m
  replace: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
",
        );
        assert_eq!(scenario.stages.len(), 3);
        assert_eq!(
            scenario.stages[0],
            Source::Path("stages/pod-fast.yaml".into())
        );
        assert_eq!(
            scenario.stages[1],
            Source::File {
                path: "more.yaml".into()
            }
        );
        assert!(
            matches!(&scenario.stages[2], Source::Inline { name: Some(n), .. } if n == "inline")
        );
        assert_eq!(
            scenario.config.as_ref().map(|c| c.node_ip.as_str()),
            Some("1.2.3.4")
        );
        assert_eq!((scenario.seed, scenario.max_plays), (9, Some(50)));
        assert_eq!(scenario.detail, Detail::Summary);
        assert_eq!(scenario.horizon.as_deref(), Some("10m"));
        assert_eq!(scenario.start_ns().unwrap(), 1_735_689_600_000_000_000);
        match &scenario.actions[0].what {
            UserActionKind::Delete {
                target,
                grace_period_seconds,
            } => {
                assert_eq!(
                    (target.api_version.as_str(), target.name.as_str()),
                    ("v1", "web-0")
                );
                assert_eq!(*grace_period_seconds, Some(30));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&scenario.actions[1].what, UserActionKind::Edit { target, .. } if target.namespace.is_empty())
        );
        assert!(matches!(
            &scenario.actions[2].what,
            UserActionKind::Create(ObjectText::Text(_))
        ));
        assert!(matches!(
            &scenario.actions[3].what,
            UserActionKind::Replace(ObjectText::Value(_))
        ));
    }

    #[test]
    fn defaults_never_read_the_clock() {
        let scenario = parse("{}");
        assert_eq!(scenario.start_ns().unwrap(), START);
        assert_eq!((scenario.seed, scenario.detail), (0, Detail::Full));
        assert!(scenario.stages.is_empty() && scenario.actions.is_empty());
    }

    #[test]
    fn action_times() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0s", Some(START)),
            ("30s", Some(START + 30_000_000_000)),
            ("1m30s", Some(START + 90_000_000_000)),
            ("2024-01-01T00:00:05Z", Some(START + 5_000_000_000)),
            ("2024-01-01T08:00:05+08:00", Some(START + 5_000_000_000)),
            ("30", None),
            ("soon", None),
        ];
        for (at, expected) in cases {
            assert_eq!(resolve_at(at, START), *expected, "{at}");
        }
    }

    #[test]
    fn bad_scenarios_name_the_file() {
        let error = Scenario::parse("stages: [a\n", "s.yaml").unwrap_err();
        assert!(error.place.starts_with("s.yaml:"), "{error}");
        let error = Scenario::parse("sed: 1\n", "s.yaml").unwrap_err();
        assert!(
            error.to_string().contains(
                "unknown key \"sed\" in the scenario; allowed keys: stages, objects, config"
            ),
            "{error}"
        );
        assert!(error.place.starts_with("s.yaml:1:"), "{error}");
        let error = Scenario::parse("seed: 1\nmaxPlays: many\n", "s.yaml").unwrap_err();
        assert_eq!(error.place, "s.yaml:2:11", "{error}");
        assert!(error.message.contains("maxPlays"), "{error}");
        let error = Scenario::parse("", "s.yaml").unwrap_err();
        assert_eq!(error.place, "s.yaml");
    }

    /// Each mistake a user makes in an action, with the place and message it gets.
    #[test]
    fn bad_actions_say_what_is_allowed() {
        let cases: &[(&str, &str)] = &[
            (
                "foo: 1",
                "s.yaml:1:1: bad scenario: unknown key \"foo\" in the scenario; allowed keys: \
                 stages, objects, config, seed, start, horizon, maxPlays, detail, actions",
            ),
            (
                "actions: [{}]",
                "s.yaml:1:11: bad scenario: actions[0]: needs `at`, a Go duration after the start \
                 (`30s`) or an RFC 3339 time",
            ),
            (
                "actions: [{at: 3s}]",
                "s.yaml:1:11: bad scenario: actions[0]: needs exactly one of `create`, `delete`, \
                 `edit`, `replace`, found 0",
            ),
            (
                "actions: [{at: 3s, delete: x}]",
                "s.yaml:1:28: bad scenario: actions[0].delete: must be a mapping, not a string",
            ),
            (
                "actions: [{at: 3s, delete: {}}]",
                "s.yaml:1:28: bad scenario: actions[0].delete: needs `kind`",
            ),
            (
                "actions:\n- {at: 5s, delete: {kind: Pod, name: web-0, foo: 1}}",
                "s.yaml:2:45: bad scenario: unknown key \"foo\" in actions[0].delete; allowed \
                 keys: apiVersion, kind, namespace, name, gracePeriodSeconds",
            ),
            (
                "actions: [{at: 5s, edit: {kind: Pod, name: a}}]",
                "s.yaml:1:26: bad scenario: actions[0].edit: needs `patch`",
            ),
            (
                "actions: [{at: 5s, create: 3}]",
                "s.yaml:1:28: bad scenario: actions[0].create: must be an object (a mapping) or \
                 its YAML text, not a number",
            ),
            (
                "actions: [{at: 5s, create: 'a: b', delete: {kind: Pod, name: a}}]",
                "s.yaml:1:11: bad scenario: actions[0]: needs exactly one of `create`, `delete`, \
                 `edit`, `replace`, found 2",
            ),
            (
                "actions:\n- {at: soon, delete: {kind: Pod, name: a}}",
                "s.yaml:2:8: actions[0]: `at: soon` is neither a Go duration nor an RFC 3339 time",
            ),
            (
                "actions:\n- at: 5s\n  create: |\n    kind: Pod\n    metadata: [a\n",
                "s.yaml:4:5: actions[0]:3:1: while parsing a flow sequence, expected ',' or ']'",
            ),
            (
                "stages: [{file: a.yaml}]",
                "s.yaml:1:10: bad scenario: stages[0]: needs `path` (a file or directory) or \
                 `text` (inline YAML)",
            ),
            (
                "objects: [{path: a.yaml, text: b}]",
                "s.yaml:1:26: bad scenario: unknown key \"text\" in objects[0]; allowed keys: path",
            ),
        ];
        for (text, expected) in cases {
            let error = Scenario::parse(text, "s.yaml").unwrap_err();
            assert_eq!(error.to_string(), *expected, "{text}");
            assert!(!error.message.contains("UserActionKind"), "{error}");
        }
    }

    /// A value of the wrong type is named by its path, as serde names it, and placed at
    /// its node (an enum's node for its variant, an action's for what its kind holds).
    #[test]
    fn type_errors_name_the_path_and_the_place() {
        let cases: &[(&str, &str)] = &[
            (
                "seed: x",
                "s.yaml:1:7: bad scenario: seed: invalid type: string \"x\", expected u64",
            ),
            (
                "seed: -1",
                "s.yaml:1:7: bad scenario: seed: invalid value: integer `-1`, expected u64",
            ),
            (
                "start: 3",
                "s.yaml:1:8: bad scenario: start: invalid type: integer `3`, expected a string",
            ),
            (
                "maxPlays: many",
                "s.yaml:1:11: bad scenario: maxPlays: invalid type: string \"many\", expected usize",
            ),
            (
                "detail: lots",
                "s.yaml:1:9: bad scenario: detail: unknown variant `lots`, expected `full` or `summary`",
            ),
            (
                "detail: {summary: 1}",
                "s.yaml:1:9: bad scenario: detail.summary: invalid type: integer `1`, expected unit",
            ),
            (
                "config: [1]",
                "s.yaml:1:10: bad scenario: config[0]: invalid type: integer `1`, expected a string",
            ),
            (
                "config: {nodeIP: 3}",
                "s.yaml:1:18: bad scenario: config.nodeIP: invalid type: integer `3`, expected a string",
            ),
            (
                "config: {nodeName: {a: b}}",
                "s.yaml:1:20: bad scenario: config.nodeName: invalid type: map, expected a string",
            ),
            (
                "config: {manage: lots}",
                "s.yaml:1:18: bad scenario: config.manage: unknown variant `lots`, expected one of `all`, `byName`, `byLabel`, `byAnnotation`",
            ),
            (
                "config: {manage: {byName: 3}}",
                "s.yaml:1:18: bad scenario: config.manage.byName: invalid type: integer `3`, expected a string",
            ),
            (
                "config: {manage: {byName: a, byLabel: b}}",
                "s.yaml:1:18: bad scenario: config.manage: invalid value: map, expected map with a single key",
            ),
            (
                "config: {nodeIP: a, nodePort: x}",
                "s.yaml:1:31: bad scenario: config.nodePort: invalid type: string \"x\", expected i64",
            ),
            (
                "stages: [{path: 3}]",
                "s.yaml:1:10: bad scenario: stages[0]: data did not match any variant of untagged enum Source",
            ),
            (
                "objects: [{path: [a]}]",
                "s.yaml:1:11: bad scenario: objects[0]: data did not match any variant of untagged enum Source",
            ),
            (
                "actions: [{at: 3, delete: {kind: Pod, name: a}}]",
                "s.yaml:1:16: bad scenario: actions[0].at: invalid type: integer `3`, expected a string",
            ),
            (
                "actions: [{at: 1s, delete: {kind: 3, name: a}}]",
                "s.yaml:1:11: bad scenario: actions[0]: invalid type: integer `3`, expected a string",
            ),
            (
                "actions: [{at: 1s, create: 'a: b'}, {at: 2s, delete: {kind: Pod, name: [x]}}]",
                "s.yaml:1:37: bad scenario: actions[1]: invalid type: sequence, expected a string",
            ),
            (
                "seed: 1\nactions:\n- at: 1s\n  delete:\n    kind: Pod\n    name: a\n    gracePeriodSeconds: soon\n",
                "s.yaml:3:3: bad scenario: actions[0]: invalid type: string \"soon\", expected i64",
            ),
        ];
        for (text, expected) in cases {
            let error = Scenario::parse(text, "s.yaml").unwrap_err();
            assert_eq!(error.to_string(), *expected, "{text}");
        }
        assert!(Scenario::parse("config: {manage: all, unknownKey: 1}", "s.yaml").is_ok());
    }

    /// A root that is not a mapping is an error even where the shape was not checked first.
    #[test]
    fn decoding_a_root_that_is_no_mapping_fails() {
        let (steps, error) = decode(&serde_json::json!([1])).unwrap_err();
        assert!(steps.is_empty());
        assert_eq!(error.to_string(), "the scenario: must be a mapping");
    }

    /// What the scenario module writes, it reads back.
    #[test]
    fn a_serialised_scenario_parses_again() {
        let scenario = parse(
            "
stages: [a.yaml, {path: b}, {text: 'kind: Stage'}]
actions:
- {at: 1s, delete: {kind: Pod, name: a, gracePeriodSeconds: 0}}
- {at: 2s, edit: {kind: Pod, name: a, patch: {metadata: {labels: {a: b}}}}}
- {at: 3s, create: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}}
",
        );
        let text = serde_json::to_string(&scenario).unwrap();
        assert_eq!(Scenario::parse(&text, "s.json").unwrap(), scenario);
    }

    #[test]
    fn a_directory_source_gives_its_files_in_name_order() {
        let dir = std::env::temp_dir().join(format!("scenario-dir-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("stages/sub")).unwrap();
        for name in ["b.yaml", "a.yml", "c.json", "notes.txt", "sub/d.yaml"] {
            std::fs::write(dir.join("stages").join(name), name).unwrap();
        }
        let texts =
            Scenario::read_sources(&[Source::Path("stages".into())], &dir, "stages").unwrap();
        let names: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(names, ["a.yml", "b.yaml", "c.json"]);
    }

    #[test]
    fn sources_are_read_relative_to_the_scenario() {
        let dir = std::env::temp_dir().join(format!("scenario-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), "kind: A").unwrap();
        let sources = vec![
            Source::Path("a.yaml".into()),
            Source::Inline {
                name: None,
                text: "kind: B".into(),
            },
        ];
        let texts = Scenario::read_sources(&sources, &dir, "stages").unwrap();
        assert_eq!(texts[0].text, "kind: A");
        assert_eq!(
            (texts[1].label.as_str(), texts[1].text.as_str()),
            ("stages[1]", "kind: B")
        );
        let missing = Scenario::read_sources(&[Source::Path("no.yaml".into())], &dir, "objects");
        assert!(missing.unwrap_err().message.contains("objects[0]"));
    }
}
