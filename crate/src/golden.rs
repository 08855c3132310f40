//! The recorded-kwok-output format (`shared/golden/README.md`): one request in, one
//! response out, exactly as kwok v0.8.0's own code answered it.
//!
//! Three modes, told apart by the request's keys: a simulation (`object` with
//! `stage_files` or `stages`), a render (`template` or `template_from`) and an expression
//! (`expression`). A simulation runs [`crate::sim`] on one object with the set-up of kwok's
//! controller tests (no API-server defaulting, pods on unknown nodes run on an implicit
//! bare node) and replays kwok's recorded picks and jittered delays from `draws`; its
//! timeline is then written in the recorded shape. kwok reporting an error is part of a
//! response; only a request that cannot be read is an error here.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::chance::Draw;
use crate::config::ControllerConfig;
use crate::model::Stage;
use crate::sim::{self, ControllerKind, SimOptions};
use crate::timeline::{ActionRecord, DelayKind, Detail, Entry, Play, Timeline};

/// What kwok's `Version` reports in the recorded cases.
pub const KWOK_VERSION: &str = "v0.8.0";

/// The start time when a request has no `now`.
const DEFAULT_NOW: &str = "2024-01-01T00:00:00Z";

/// A request that cannot be answered at all (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    pub message: String,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}

fn bad(message: impl Into<String>) -> RequestError {
    RequestError {
        message: message.into(),
    }
}

/// Answers one request; `base` is the directory that contains `shared/`.
pub fn answer(request: &Value, base: &Path) -> Result<Value, RequestError> {
    let Some(fields) = request.as_object() else {
        return Err(bad("the request must be a JSON object"));
    };
    if fields.contains_key("expression") {
        return expression(request);
    }
    if fields.contains_key("template") || fields.contains_key("template_from") {
        return render(request, base);
    }
    if fields.contains_key("stage_files") || fields.contains_key("stages") {
        return simulation(request, base);
    }
    Err(bad(
        "the request has none of `expression`, `template`, `template_from`, `stage_files` or `stages`",
    ))
}

/// Answers a request given as JSON text.
pub fn answer_text(text: &str, base: &Path) -> Result<Value, RequestError> {
    let request: Value = serde_json::from_str(text)
        .map_err(|error| bad(format!("the request is not JSON: {error}")))?;
    answer(&request, base)
}

// ---- simulation ------------------------------------------------------------------------

#[derive(Deserialize)]
struct SimulationRequest {
    #[serde(default)]
    stage_files: Vec<String>,
    #[serde(default)]
    stages: Option<String>,
    object: String,
    #[serde(default)]
    now: Option<String>,
    #[serde(default)]
    steps: Option<usize>,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    config: Option<RequestConfig>,
    #[serde(default)]
    draws: Option<Vec<Draw>>,
}

#[derive(Deserialize, Default)]
struct RequestConfig {
    #[serde(flatten)]
    controller: ControllerConfig,
    /// Node YAML kwok knows.
    #[serde(default)]
    nodes: Vec<String>,
}

fn simulation(request: &Value, base: &Path) -> Result<Value, RequestError> {
    let request: SimulationRequest = serde_json::from_value(request.clone())
        .map_err(|error| bad(format!("bad simulation request: {error}")))?;

    // Inputs.
    let stages = load_request_stages(&request, base)?;
    let object = parse_object(&request.object, "object")?;
    let start = parse_now(request.now.as_deref())?;
    let config = request.config.unwrap_or_default();
    let mut known_nodes = Vec::with_capacity(config.nodes.len());
    for (index, text) in config.nodes.iter().enumerate() {
        known_nodes.push(parse_object(text, &format!("config.nodes[{index}]"))?);
    }

    // The run.
    let api_version = str_at(&object, "/apiVersion").to_string();
    let kind = str_at(&object, "/kind").to_string();
    let key = sim::object_key(&object)
        .ok_or_else(|| bad("the object needs apiVersion, kind and metadata.name"))?;
    let key_text = sim::key_text(&key);
    let options = SimOptions {
        config: config.controller.clone(),
        start,
        seed: request.seed,
        horizon: None,
        max_plays: request.steps,
        detail: Detail::Full,
        defaulting: false,
        implicit_nodes: true,
        known_nodes,
        draws: request.draws.clone(),
        ..SimOptions::default()
    };
    let managed = match ControllerKind::of(&api_version, &kind) {
        ControllerKind::Pod => !str_at(&object, "/spec/nodeName").is_empty(),
        ControllerKind::Node => sim::manages(&config.controller.manage, &object),
        ControllerKind::Generic => true,
    };
    let fitting: Vec<String> = stages
        .iter()
        .filter(|stage| {
            stage.resource_ref.api_group == api_version && stage.resource_ref.kind == kind
        })
        .map(|stage| stage.name.clone())
        .collect();
    let steps = match sim::run(&stages, vec![object], Vec::new(), options) {
        Ok(timeline) => golden_steps(&timeline, &key_text, request.steps),
        Err(error) => vec![json!({ "step": 0, "error": error.message })],
    };

    Ok(json!({
        "kwok_version": KWOK_VERSION,
        "kind": kind,
        "managed": managed,
        "stages": fitting,
        "steps": steps,
    }))
}

fn load_request_stages(
    request: &SimulationRequest,
    base: &Path,
) -> Result<Vec<Stage>, RequestError> {
    let result = match &request.stages {
        Some(text) => crate::load::load_stages(text, "stages"),
        None => {
            let paths: Vec<PathBuf> = request.stage_files.iter().map(|p| base.join(p)).collect();
            for path in &paths {
                if !path.exists() {
                    return Err(bad(format!("cannot read {}", path.display())));
                }
            }
            crate::load::load_paths(&paths, false)
        }
    };
    Ok(result.stages)
}

/// The recorded steps of one object, cut where the README says a run ends.
fn golden_steps(timeline: &Timeline, key: &str, max_plays: Option<usize>) -> Vec<Value> {
    let mut steps = Vec::new();
    for entry in &timeline.entries {
        if max_plays.is_some_and(|max| steps.len() >= max) {
            break;
        }
        match entry {
            Entry::Play(play) if play.key == key => {
                let end = play.error.is_some() || play.deleted;
                steps.push(play_step(steps.len(), play));
                if end {
                    break;
                }
            }
            Entry::Settled(settled) if settled.key == key => {
                steps.push(json!({
                    "step": steps.len(),
                    "matched_at": settled.at,
                    "candidates": [],
                    "stage": null,
                    "event": null,
                    "deleted": false,
                    "object_after": settled.object.clone().unwrap_or(Value::Null),
                    "changed": false,
                }));
                break;
            }
            _ => {}
        }
    }
    steps
}

fn play_step(index: usize, play: &Play) -> Value {
    let mut step = Map::new();
    step.insert("step".into(), json!(index));
    step.insert("matched_at".into(), json!(play.matched_at));
    let names: Vec<&str> = play.candidates.iter().map(|c| c.stage.as_str()).collect();
    step.insert("candidates".into(), json!(names));
    step.insert("stage".into(), json!(play.stage));
    if let Some(weight) = play.weight.filter(|_| play.candidates.len() > 1) {
        step.insert("weight".into(), json!(weight));
    }
    match play.delay.kind {
        DelayKind::None => {}
        DelayKind::Fixed => {
            step.insert("delay_ms".into(), millis(play.delay.ns));
        }
        DelayKind::Range => {
            step.insert(
                "delay_min_ms".into(),
                millis(play.delay.min_ns.unwrap_or(0)),
            );
            step.insert(
                "delay_max_ms".into(),
                millis(play.delay.max_ns.unwrap_or(0)),
            );
            step.insert("delay_sampled_ms".into(), json!(play.delay.ns / 1_000_000));
        }
    }
    step.insert("played_at".into(), json!(play.played_at));

    // Renders, patches, events and deletes, in the order the steps made them.
    let mut renders: Vec<Value> = Vec::new();
    let mut patches: Vec<Value> = Vec::new();
    let mut events: Vec<Value> = Vec::new();
    let mut delete_requested = false;
    for action in &play.actions {
        match action {
            ActionRecord::Event {
                event_type,
                reason,
                message,
                ..
            } => events.push(json!({ "type": event_type, "reason": reason, "message": message })),
            ActionRecord::Patch(patch) => {
                if let Some(rendered) = &patch.rendered {
                    renders.push(rendered.clone());
                }
                let mut entry = Map::new();
                entry.insert("type".into(), json!(patch.patch_type));
                if !patch.subresource.is_empty() {
                    entry.insert("subresource".into(), json!(patch.subresource));
                }
                entry.insert("data".into(), patch.data.clone().unwrap_or(Value::Null));
                entry.insert("applied".into(), json!(patch.applied));
                patches.push(Value::Object(entry));
            }
            ActionRecord::RenderError { message, .. } => renders.push(json!({ "error": message })),
            ActionRecord::Delete { .. } => delete_requested = true,
            ActionRecord::Apply { .. } => {}
        }
    }
    if let Some(first) = renders.first() {
        step.insert("rendered_status".into(), first.clone());
    }
    if renders.len() > 1 {
        step.insert("renders".into(), Value::Array(renders));
    }
    if !patches.is_empty() {
        step.insert("patches".into(), Value::Array(patches));
    }
    step.insert(
        "event".into(),
        events.first().cloned().unwrap_or(Value::Null),
    );
    if !events.is_empty() {
        step.insert("events".into(), Value::Array(events));
    }
    step.insert("deleted".into(), json!(play.deleted));
    if delete_requested {
        step.insert("delete_requested".into(), json!(true));
    }
    if play.immediate_next_stage {
        step.insert("immediate_next_stage".into(), json!(true));
    }
    if let Some(error) = &play.error {
        step.insert("error".into(), json!(error));
    }
    step.insert(
        "object_after".into(),
        play.after.clone().unwrap_or(Value::Null),
    );
    step.insert("changed".into(), json!(play.changed));
    Value::Object(step)
}

/// Nanoseconds as whole milliseconds when exact, else as a fraction.
fn millis(ns: i64) -> Value {
    if ns % 1_000_000 == 0 {
        json!(ns / 1_000_000)
    } else {
        json!(ns as f64 / 1e6)
    }
}

// ---- render ----------------------------------------------------------------------------

#[derive(Deserialize)]
struct RenderRequest {
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    template_from: Option<String>,
    #[serde(default)]
    template_stage: Option<String>,
    #[serde(default)]
    template_field: Option<String>,
    object: String,
    #[serde(default)]
    now: Option<String>,
    #[serde(default)]
    config: Option<RequestConfig>,
}

fn render(request: &Value, base: &Path) -> Result<Value, RequestError> {
    let request: RenderRequest = serde_json::from_value(request.clone())
        .map_err(|error| bad(format!("bad render request: {error}")))?;
    let template = match (&request.template, &request.template_from) {
        (Some(text), _) => text.clone(),
        (None, Some(file)) => template_from_file(
            &base.join(file),
            request.template_stage.as_deref(),
            request
                .template_field
                .as_deref()
                .unwrap_or("spec.next.statusTemplate"),
        )?,
        (None, None) => return Err(bad("a render request needs `template` or `template_from`")),
    };
    let object = parse_object(&request.object, "object")?;
    let now = parse_now(request.now.as_deref())?;
    let config = request.config.unwrap_or_default();
    let mut known_nodes = Vec::with_capacity(config.nodes.len());
    for (index, text) in config.nodes.iter().enumerate() {
        known_nodes.push(parse_object(text, &format!("config.nodes[{index}]"))?);
    }

    let outcome = sim::render_once(&template, &object, now, &config.controller, &known_nodes);
    Ok(match outcome {
        Ok((text, parsed)) => json!({ "kwok_version": KWOK_VERSION, "text": text, "json": parsed }),
        Err(message) => json!({ "kwok_version": KWOK_VERSION, "error": message }),
    })
}

/// The template text at a dotted field path (`spec.next.patches[0].template`) of the Stage
/// named `stage` (or the file's only Stage).
fn template_from_file(
    path: &Path,
    stage: Option<&str>,
    field: &str,
) -> Result<String, RequestError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| bad(format!("cannot read {}: {error}", path.display())))?;
    let documents = stage_yaml::parse_stream(&text)
        .map_err(|error| bad(format!("{}:{error}", path.display())))?;
    let stages: Vec<Value> = documents
        .iter()
        .map(|document| document.root.to_json())
        .filter(|value| str_at(value, "/kind") == "Stage")
        .collect();
    let chosen = match stage {
        Some(name) => stages.iter().find(|s| str_at(s, "/metadata/name") == name),
        None if stages.len() == 1 => stages.first(),
        None => None,
    }
    .ok_or_else(|| {
        bad(format!(
            "{}: no single Stage {:?}",
            path.display(),
            stage.unwrap_or("")
        ))
    })?;

    let mut at = chosen;
    for part in field.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        at = at
            .get(name)
            .ok_or_else(|| bad(format!("{}: no field {field}", path.display())))?;
        if let Some(index) = index {
            at = at
                .get(index)
                .ok_or_else(|| bad(format!("{}: no field {field}", path.display())))?;
        }
    }
    at.as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(format!("{}: {field} is not a string", path.display())))
}

// ---- expression ------------------------------------------------------------------------

#[derive(Deserialize)]
struct ExpressionRequest {
    expression: String,
    object: String,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    values: Vec<String>,
}

fn expression(request: &Value) -> Result<Value, RequestError> {
    let request: ExpressionRequest = serde_json::from_value(request.clone())
        .map_err(|error| bad(format!("bad expression request: {error}")))?;
    let object = parse_object(&request.object, "object")?;
    let query = stage_jq::Query::compile(&request.expression)
        .map_err(|error| bad(format!("expression: {error}")))?;
    let input = stage_jq::Input::new(&object);
    let outcome = query.run(&input);

    let values: Vec<Value> = match &outcome {
        stage_jq::Outcome::Values(outputs) => {
            outputs.iter().map(crate::select::output_json).collect()
        }
        stage_jq::Outcome::Failed(_) => Vec::new(),
    };
    let is_nil = values.is_empty();
    let mut response = Map::new();
    response.insert("kwok_version".into(), json!(KWOK_VERSION));
    response.insert(
        "values".into(),
        if is_nil {
            Value::Null
        } else {
            Value::Array(values)
        },
    );
    response.insert("is_nil".into(), json!(is_nil));
    if let Some(name) = &request.operator {
        let operator = stage_jq::Operator::parse(name)
            .ok_or_else(|| bad(format!("operator {name:?} is not supported")))?;
        response.insert(
            "matches".into(),
            json!(operator.matches(&outcome, &request.values)),
        );
    }
    Ok(Value::Object(response))
}

// ---- shared ----------------------------------------------------------------------------

fn parse_object(text: &str, what: &str) -> Result<Value, RequestError> {
    let value = stage_yaml::parse_value(text).map_err(|error| bad(format!("{what}:{error}")))?;
    if !value.is_object() {
        return Err(bad(format!("{what}: not a mapping")));
    }
    Ok(value)
}

fn parse_now(now: Option<&str>) -> Result<i64, RequestError> {
    let text = now.unwrap_or(DEFAULT_NOW);
    stage_kube::time::parse_rfc3339(text)
        .ok_or_else(|| bad(format!("now: not an RFC 3339 time: {text:?}")))
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}
