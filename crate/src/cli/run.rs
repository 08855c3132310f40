//! `stage-sim run`: play objects through Stages and print the timeline.
//!
//! Inputs come from flags, from a scenario file, or both (flags add Stages and objects and
//! override the scenario's settings). Output is the timeline as JSON or YAML, or a table in
//! the manner of `kubectl get -w`. Exit status: 0 when the run completed, 1 when it could
//! not be carried out or a Stage play failed, 2 for bad input (with file:line:column).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

use crate::config::ControllerConfig;
use crate::model::Origin;
use crate::scenario::{Scenario, Text};
use crate::sim::{self, SimOptions, TimedAction};
use crate::timeline::{
    ActionRecord, DelayKind, Detail, Entry, ObjectEntry, Play, StopReason, Timeline,
};

/// How far the virtual clock runs when neither `--until` nor the scenario says: the
/// playground's default, so that Stages that match again after every play (heartbeats) end.
pub const DEFAULT_HORIZON: &str = "10m";
/// The most plays when neither `--max-steps` nor the scenario says; the playground's default.
pub const DEFAULT_MAX_PLAYS: usize = 10_000;

#[derive(clap::Args)]
pub struct Args {
    /// Stage files or directories (directories: *.yaml, *.yml and *.json in name order).
    #[arg(long, num_args = 1..)]
    pub stages: Vec<PathBuf>,
    /// Object files (any kind, several documents each).
    #[arg(long, num_args = 1..)]
    pub object: Vec<PathBuf>,
    /// The controller config (JSON or YAML: nodeIP, cidr, nodeName, nodePort, manage).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The virtual start time (RFC 3339); default 2024-01-01T00:00:00Z.
    #[arg(long)]
    pub now: Option<String>,
    /// The seed of the random draws [default: the scenario's `seed`, else 0].
    #[arg(long)]
    pub seed: Option<u64>,
    /// The most Stage plays in the run [default: the scenario's `maxPlays`, else 10000].
    #[arg(long)]
    pub max_steps: Option<usize>,
    /// How far the virtual clock may run, as a Go duration [default: the scenario's
    /// `horizon`, else 10m]. Heartbeat Stages play forever; the bound ends the run.
    #[arg(long)]
    pub until: Option<String>,
    /// `json`, `yaml` or `table`.
    #[arg(long, default_value = "table")]
    pub output: Output,
    /// A scenario file (JSON or YAML): Stages, objects, config, seed, start, horizon,
    /// maxPlays, detail and user actions (create, delete, edit, replace at a virtual time).
    /// Every key is described, with an example, in docs/scenario.md.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Keep only a summary per play (no object copies), for large runs.
    #[arg(long)]
    pub summary: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Json,
    Yaml,
    Table,
}

/// Bad input, already rendered for the terminal.
struct BadInput(String);

pub fn run(args: Args) -> ExitCode {
    let output = args.output;
    let prepared = match prepare(args) {
        Ok(prepared) => prepared,
        Err(BadInput(message)) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
    };
    let timeline = match sim::run(
        &prepared.stages,
        prepared.objects,
        prepared.actions,
        prepared.options,
    ) {
        Ok(timeline) => timeline,
        Err(error) => {
            match object_place(&error.message, &prepared.places) {
                Some(place) => eprintln!("{place}: error: {error}"),
                None => eprintln!("stage-sim run: {error}"),
            }
            return ExitCode::from(if error.bad_input {
                super::EXIT_BAD_INPUT
            } else {
                super::EXIT_SIM_ERROR
            });
        }
    };

    let text = match output {
        Output::Json => serde_json::to_string_pretty(&timeline).unwrap_or_default() + "\n",
        Output::Yaml => match serde_json::to_value(&timeline) {
            Ok(value) => stage_yaml::to_string(&value),
            Err(error) => {
                eprintln!("stage-sim run: cannot print the timeline: {error}");
                return ExitCode::from(super::EXIT_SIM_ERROR);
            }
        },
        Output::Table => table(&timeline, &prepared.table),
    };
    print!("{text}");

    // A failed play is in the output already; stderr says where its Stage went wrong.
    let mut failed = false;
    for play in timeline.plays() {
        let Some(error) = &play.error else { continue };
        failed = true;
        let place = render_error_place(play, &prepared.stages, &prepared.places.sources)
            .unwrap_or_else(|| "stage-sim run".to_string());
        eprintln!(
            "{place}: error: Stage {} on {} failed: {error}",
            play.stage, play.key
        );
    }
    if failed {
        ExitCode::from(super::EXIT_SIM_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

struct Prepared {
    stages: Vec<crate::model::Stage>,
    objects: Vec<Value>,
    actions: Vec<TimedAction>,
    options: SimOptions,
    table: TableContext,
    places: Places,
}

/// Where the input was written, for placing errors found while running.
struct Places {
    /// Each initial object's key, with where it was written.
    objects: Vec<(String, Origin)>,
    /// The text of every Stage file, by the name its Stages' origins use.
    sources: std::collections::BTreeMap<String, String>,
}

/// What the table says beyond the timeline, from the input of the run.
struct TableContext {
    bounds: Bounds,
    /// Lines printed before the stop line, about the input rather than the run.
    notes: Vec<String>,
    /// The objects the run starts with, for what the timeline keeps only in full detail.
    objects: Vec<Value>,
    config: ControllerConfig,
}

fn prepare(args: Args) -> Result<Prepared, BadInput> {
    // The scenario first; flags add to it and override it.
    let (scenario, base) = match &args.scenario {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| BadInput(format!("{}: cannot read: {error}", path.display())))?;
            let scenario = Scenario::parse(&text, &path.display().to_string())
                .map_err(|error| BadInput(error.to_string()))?;
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (scenario, base)
        }
        None => (Scenario::default(), PathBuf::new()),
    };

    // Stages.
    let mut stages = Vec::new();
    let mut problems = String::new();
    let stage_texts = Scenario::read_sources(&scenario.stages, &base, "stages")
        .map_err(|error| BadInput(error.to_string()))?;
    let mut sources = std::collections::BTreeMap::new();
    for Text { label, text } in &stage_texts {
        sources.insert(label.clone(), text.clone());
        let result = crate::load::load_stages(text, label);
        if result.has_errors() {
            problems.push_str(&super::testdata::stage_diagnostics(&result));
        }
        stages.extend(result.stages);
    }
    if !args.stages.is_empty() {
        let result = crate::load::load_paths(&args.stages, false);
        if result.has_errors() {
            problems.push_str(&super::testdata::stage_diagnostics(&result));
        }
        stages.extend(result.stages);
        sources.extend(result.sources);
    }

    // Objects.
    let mut objects = Vec::new();
    let mut object_places = Vec::new();
    let mut object_texts = Scenario::read_sources(&scenario.objects, &base, "objects")
        .map_err(|error| BadInput(error.to_string()))?;
    for path in &args.object {
        let text = std::fs::read_to_string(path)
            .map_err(|error| BadInput(format!("{}: cannot read: {error}", path.display())))?;
        object_texts.push(Text {
            label: path.display().to_string(),
            text,
        });
    }
    for Text { label, text } in &object_texts {
        let (loaded, diagnostics) = crate::load::load_objects(text, label);
        for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
            problems.push_str(&diagnostic.render(Some(text)));
        }
        for object in loaded {
            if let Some(key) = sim::object_key(&object.object) {
                object_places.push((sim::key_text(&key), object.origin.clone()));
            }
            objects.push(object.object);
        }
    }
    if !problems.is_empty() {
        return Err(BadInput(problems));
    }

    // Settings.
    let config = match &args.config {
        Some(path) => read_config(path)?,
        None => scenario.config.clone().unwrap_or_default(),
    };
    let start = match &args.now {
        Some(now) => stage_kube::time::parse_rfc3339(now)
            .ok_or_else(|| BadInput(format!("--now: not an RFC 3339 time: {now:?}")))?,
        None => scenario
            .start_ns()
            .map_err(|error| BadInput(error.to_string()))?,
    };
    let horizon_text = args
        .until
        .as_deref()
        .or(scenario.horizon.as_deref())
        .unwrap_or(DEFAULT_HORIZON);
    let horizon = crate::duration::parse_go_duration(horizon_text)
        .map_err(|error| BadInput(format!("--until: {error}")))?;
    let max_plays = args
        .max_steps
        .or(scenario.max_plays)
        .unwrap_or(DEFAULT_MAX_PLAYS);
    let mut actions = Vec::with_capacity(scenario.actions.len());
    for (index, action) in scenario.actions.iter().enumerate() {
        actions.push(
            action
                .to_timed(start, index)
                .map_err(|error| BadInput(error.to_string()))?,
        );
    }
    let detail = if args.summary {
        Detail::Summary
    } else {
        scenario.detail
    };

    let table = TableContext {
        bounds: Bounds {
            horizon: horizon_text.to_string(),
            max_plays,
        },
        notes: input_notes(&stages, &objects, &actions),
        objects: objects.clone(),
        config: config.clone(),
    };
    Ok(Prepared {
        places: Places {
            objects: object_places,
            sources,
        },
        stages,
        objects,
        actions,
        options: SimOptions {
            config,
            start,
            seed: args.seed.unwrap_or(scenario.seed),
            horizon: Some(horizon),
            max_plays: Some(max_plays),
            detail,
            ..SimOptions::default()
        },
        table,
    })
}

fn read_config(path: &Path) -> Result<ControllerConfig, BadInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| BadInput(format!("{}: cannot read: {error}", path.display())))?;
    let value = stage_yaml::parse_value(&text).map_err(|error| {
        BadInput(format!(
            "{}:{}:{}: {}",
            path.display(),
            error.mark.line,
            error.mark.column,
            error.message
        ))
    })?;
    serde_json::from_value(value).map_err(|error| {
        BadInput(format!(
            "{}:1:1: bad controller config: {error}",
            path.display()
        ))
    })
}

/// The timeline as `kubectl get -w` would show it: one line per change.
fn table(timeline: &Timeline, context: &TableContext) -> String {
    let start = stage_kube::time::parse_rfc3339(&timeline.start).unwrap_or(0);
    let offset = |at: i64| format_offset(at - start);
    let mut rows: Vec<[String; 5]> = vec![[
        "TIME".into(),
        "OBJECT".into(),
        "STAGE".into(),
        "PHASE".into(),
        "NOTE".into(),
    ]];
    let unmanaged = unmanaged_pods(timeline, context);
    for entry in &timeline.entries {
        match entry {
            Entry::Play(play) => rows.push([
                offset(play.played_at.0),
                play.key.clone(),
                play.stage.clone(),
                play_phase(play),
                play_notes(play).join("; "),
            ]),
            Entry::User(user) => rows.push([
                offset(user.at.0),
                user.key.clone(),
                format!("(user {})", user.action),
                String::new(),
                user.error.clone().unwrap_or_default(),
            ]),
            Entry::Created(created) => rows.push([
                offset(created.at.0),
                created.key.clone(),
                "(created)".into(),
                String::new(),
                unmanaged.get(&created.key).cloned().unwrap_or_default(),
            ]),
            Entry::Deleted(deleted) => rows.push([
                offset(deleted.at.0),
                deleted.key.clone(),
                "(gone)".into(),
                String::new(),
                String::new(),
            ]),
            Entry::Replaced(replaced) => rows.push([
                offset(replaced.at.0),
                replaced.key.clone(),
                replaced.stage.clone(),
                String::new(),
                format!(
                    "planned play dropped: {}",
                    replaced_reason(&replaced.reason)
                ),
            ]),
            Entry::Settled(_) => {}
        }
    }

    let mut widths = [0usize; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}   ", width = widths[i]));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    for note in &context.notes {
        text.push_str(note);
        text.push('\n');
    }
    text.push_str(&stop_line(timeline, &context.bounds, &offset));
    text
}

/// Remarks about the input: a run with nothing to play, and the Stages left out for CEL.
fn input_notes(
    stages: &[crate::model::Stage],
    objects: &[Value],
    actions: &[TimedAction],
) -> Vec<String> {
    let mut notes = Vec::new();
    if objects.is_empty() && actions.is_empty() {
        notes.push("note: no objects to play; give them with --object or a --scenario".into());
    }
    if stages.is_empty() {
        notes.push("note: no Stages; give them with --stages or a --scenario".into());
    }
    notes.extend(cel_notes(stages));
    notes
}

/// One line per object kind whose Stages cannot match because they use CEL, which the
/// engine does not evaluate yet; kwok v0.8 would evaluate them. The JSON and YAML outputs
/// say the same per object version, in each `notMatched` reason.
fn cel_notes(stages: &[crate::model::Stage]) -> Vec<String> {
    use crate::model::{ExpressionFrom, MatchKind};

    let is_cel = |from: &Option<ExpressionFrom>| from.as_ref().is_some_and(|f| f.cel.is_some());
    let mut by_kind: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for stage in stages {
        let in_selector = stage.selector.as_ref().is_some_and(|selector| {
            selector
                .match_expressions
                .iter()
                .any(|entry| matches!(entry.kind, MatchKind::Cel { .. }))
        });
        let in_delay = stage.delay.as_ref().is_some_and(|delay| {
            is_cel(&delay.duration_from) || is_cel(&delay.jitter_duration_from)
        });
        if in_selector || in_delay || is_cel(&stage.weight_from) {
            by_kind
                .entry(stage.resource_ref.kind.as_str())
                .or_default()
                .push(stage.name.as_str());
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, names)| {
            format!(
                "note: Stages of {kind} not evaluated because CEL is not supported yet \
                 (kwok v0.8 evaluates it): {}",
                names.join(", ")
            )
        })
        .collect()
}

/// The place of the object an error of the API server names (`cannot create KEY: ...`).
fn object_place(message: &str, places: &Places) -> Option<String> {
    let (_, origin) = places.objects.iter().find(|(key, _)| {
        message
            .strip_prefix("cannot create ")
            .and_then(|rest| rest.strip_prefix(key.as_str()))
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    Some(format!(
        "{}:{}:{}",
        origin.file, origin.mark.line, origin.mark.column
    ))
}

/// The place in the Stage file of a template error a play ran into, when Go's message
/// names one (`template: _:LINE:COL: ...`, the column counted in bytes from 0 as Go does).
fn render_error_place(
    play: &Play,
    stages: &[crate::model::Stage],
    sources: &std::collections::BTreeMap<String, String>,
) -> Option<String> {
    let (step, message) = play.actions.iter().find_map(|action| match action {
        ActionRecord::RenderError { step, message } => Some((*step, message)),
        _ => None,
    })?;
    let kind = play.key.split('/').next().unwrap_or("");
    let stage = stages
        .iter()
        .find(|stage| stage.name == play.stage && stage.resource_ref.kind == kind)?;
    let step = stage.steps.get(step)?;
    let template = match (&step.patch, &step.apply) {
        (Some(patch), _) => &patch.template,
        (None, Some(apply)) => &apply.template,
        (None, None) => return None,
    };
    let (line, column) = go_template_place(message)?;
    let offset = char_offset(&template.text, line, column)?;
    let source = sources.get(&template.origin.file)?;
    let mark = template.node.as_ref()?.locate(source, offset);
    Some(format!(
        "{}:{}:{}",
        template.origin.file, mark.line, mark.column
    ))
}

/// The line and byte column of `template: _:LINE:COL:` in Go's message.
fn go_template_place(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("template: _:")? + "template: _:".len()..];
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    parts.next()?;
    Some((line, column))
}

/// The char offset in `text` as written of a place Go names in the trimmed text (kwok
/// trims a template before parsing it): a 1-based line and a 0-based byte column.
fn char_offset(text: &str, line: usize, byte_column: usize) -> Option<usize> {
    let leading = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let mut start = 0;
    for _ in 1..line {
        start += trimmed[start..].find('\n')? + 1;
    }
    let end = (start + byte_column).min(trimmed.len());
    let prefix = text.get(..leading + end)?;
    Some(prefix.chars().count())
}

/// The phase after a play, or before it when the play deleted the object.
fn play_phase(play: &Play) -> String {
    let phase = |object: &Option<Value>| {
        object
            .as_ref()
            .and_then(|object| object.pointer("/status/phase"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    phase(&play.after)
        .or_else(|| phase(&play.before))
        .unwrap_or_default()
}

/// What a reader learning how Stages chain wants to know about a play: the delay and where
/// it came from, the pick among several candidates, the events, what the delete did, and
/// whether anything changed.
fn play_notes(play: &Play) -> Vec<String> {
    let mut notes = Vec::new();

    match (play.delay.kind, play.delay.min_ns, play.delay.max_ns) {
        (DelayKind::Range, Some(min), Some(max)) => notes.push(format!(
            "delay {} of [{}, {})",
            format_offset(play.delay.ns),
            format_duration(min),
            format_duration(max)
        )),
        (DelayKind::None, ..) if play.delay.ns == 0 => {}
        _ => notes.push(format!("delay {}", format_offset(play.delay.ns))),
    }

    if play.candidates.len() > 1 {
        let others: Vec<String> = play
            .candidates
            .iter()
            .filter(|candidate| candidate.stage != play.stage)
            .map(|candidate| match candidate.weight {
                Some(weight) => format!("{} {weight}", candidate.stage),
                None => candidate.stage.clone(),
            })
            .collect();
        let weight = play
            .weight
            .map(|weight| format!("weight {weight}"))
            .unwrap_or_else(|| "no valid weight".to_string());
        notes.push(format!("{weight}, over {}", others.join(", ")));
    }

    let mut skipped = 0;
    let mut held = false;
    for action in &play.actions {
        match action {
            ActionRecord::Event {
                event_type,
                reason,
                message,
                dropped,
                ..
            } => notes.push(format!(
                "event {event_type} {reason}: {message}{}",
                if *dropped { " (dropped)" } else { "" }
            )),
            ActionRecord::Patch(patch) if !patch.applied => skipped += 1,
            ActionRecord::Delete { outcome, .. } if outcome == "terminating" => held = true,
            ActionRecord::Apply { note, .. } => notes.push(format!("apply: {note}")),
            _ => {}
        }
    }
    if skipped > 0 {
        notes.push(format!(
            "{skipped} {} skipped (no change)",
            plural(skipped, "patch", "patches")
        ));
    }
    if held {
        notes.push("delete requested; finalizers remain".into());
    }
    if play.deleted {
        notes.push("deleted".into());
    }
    if !play.changed && !play.deleted && play.error.is_none() {
        notes.push("no change".into());
    }
    if let Some(error) = &play.error {
        // kwok's text may hold the partial output of a template; one row stays one line.
        notes.push(format!("error: {}", error.replace('\n', "\\n")));
    }
    notes
}

fn replaced_reason(reason: &str) -> &str {
    match reason {
        "newer version" => "a newer version of the object replaced it",
        "deleted" => "the object was deleted first",
        other => other,
    }
}

/// Why Pods that the run creates are never played: kwok plays only Pods bound to a node it
/// manages. The timeline does not record this, so it is worked out here from the objects
/// and the controller config, by the Pod's key.
fn unmanaged_pods(
    timeline: &Timeline,
    context: &TableContext,
) -> std::collections::BTreeMap<String, String> {
    use crate::config::ManagedNodes;

    let mut objects: Vec<&Value> = context.objects.iter().collect();
    for entry in &timeline.entries {
        if let Entry::Created(ObjectEntry {
            object: Some(object),
            ..
        }) = entry
        {
            objects.push(object);
        }
    }
    let is_core = |object: &Value, kind: &str| {
        object.pointer("/apiVersion").and_then(Value::as_str) == Some("v1")
            && object.pointer("/kind").and_then(Value::as_str) == Some(kind)
    };
    let nodes: std::collections::BTreeSet<&str> = objects
        .iter()
        .filter(|object| is_core(object, "Node"))
        .filter_map(|object| object.pointer("/metadata/name").and_then(Value::as_str))
        .collect();

    let mut notes = std::collections::BTreeMap::new();
    for object in objects.iter().filter(|object| is_core(object, "Pod")) {
        let node = object
            .pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let note = if node.is_empty() {
            "not managed: no spec.nodeName (the Pod is not scheduled)".to_string()
        } else if !nodes.contains(node) {
            format!("not managed: node {node} is not known")
        } else {
            match &context.config.manage {
                ManagedNodes::ByName(name) if name != node => {
                    format!("not managed: node {node} is not managed (manage: byName {name})")
                }
                _ => continue,
            }
        };
        let Some(mut key) = sim::object_key(object) else {
            continue;
        };
        if key.namespace.is_empty() {
            key.namespace = "default".to_string();
        }
        notes.insert(sim::key_text(&key), note);
    }
    notes
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// The bounds a run was given, for saying which one ended it.
#[derive(Clone, Debug)]
struct Bounds {
    horizon: String,
    max_plays: usize,
}

/// The last line of the table: when and why the run ended, naming the bound that ended it.
fn stop_line(timeline: &Timeline, bounds: &Bounds, offset: &dyn Fn(i64) -> String) -> String {
    let stop = &timeline.stop;
    let why = match stop.reason {
        StopReason::Settled => String::new(),
        StopReason::Horizon => format!(
            "the {} horizon was reached (--until, or `horizon` in the scenario); \
             later plays did not run",
            bounds.horizon
        ),
        StopReason::MaxPlays => format!(
            "{} plays were reached (--max-steps, or `maxPlays` in the scenario); \
             later plays did not run",
            bounds.max_plays
        ),
        StopReason::ZeroDelayLoop => {
            "one object kept playing without the clock moving (kwok would spin)".to_string()
        }
    };
    let details: Vec<&str> = [why.as_str(), stop.message.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    let mut line = format!("stopped at {}: {:?}", offset(stop.at.0), stop.reason);
    if !details.is_empty() {
        line.push_str(&format!(" ({})", details.join("; ")));
    }
    line.push('\n');
    line
}

/// A duration as `1m4.5s`, `0s`.
fn format_duration(ns: i64) -> String {
    format_offset(ns).trim_start_matches('+').to_string()
}

/// A duration as `+1m4.5s`, `+0s`.
fn format_offset(ns: i64) -> String {
    let sign = if ns < 0 { "-" } else { "+" };
    let ns = ns.unsigned_abs();
    let total_ms = ns / 1_000_000;
    let (minutes, ms) = (total_ms / 60_000, total_ms % 60_000);
    let seconds = ms / 1000;
    let fraction = ms % 1000;
    let mut text = String::from(sign);
    if minutes > 0 {
        text.push_str(&format!("{minutes}m"));
    }
    if fraction == 0 {
        text.push_str(&format!("{seconds}s"));
    } else {
        let frac = format!("{fraction:03}");
        text.push_str(&format!("{seconds}.{}s", frac.trim_end_matches('0')));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{char_offset, format_offset, go_template_place};

    #[test]
    fn template_places() {
        let message = "failed to compute patch gotpl execute: template: _:2:3: executing \"_\" \
                       at <index .a 3>: error calling index: index of untyped nil";
        assert_eq!(go_template_place(message), Some((2, 3)));
        assert_eq!(
            go_template_place("build template: template: _:21: bad"),
            None
        );
        assert_eq!(go_template_place("no place"), None);

        let text = "\n  a: 1\n  é: {{ x }}\n";
        // Line 2 of the trimmed text, byte 6 (after the two-byte é).
        let offset = char_offset(text, 2, 6).unwrap();
        assert_eq!(text.chars().nth(offset), Some('{'));
        assert_eq!(char_offset(text, 1, 0), Some(3));
        assert_eq!(char_offset(text, 9, 0), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(format_offset(0), "+0s");
        assert_eq!(format_offset(4_947_779_410), "+4.947s");
        assert_eq!(format_offset(64_500_000_000), "+1m4.5s");
        assert_eq!(format_offset(-1_000_000_000), "-1s");
    }
}
