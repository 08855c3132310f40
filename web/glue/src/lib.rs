//! The one place where the page meets the engine, and the scenarios the page ships
//! ([`presets`]).
//!
//! The page (or its worker) hands over a [`Request`] as JSON and gets a [`Response`] back as
//! JSON: either the engine's timeline, or the problems found in the input, each placed at a
//! line of one of the editors. Nothing else in the page calls into `stage_engine`'s run API.
//!
//! A request also carries the user's actions (delete an object, edit its labels) at virtual
//! times; the engine plays them as `kubectl` would at that moment.
//!
//! A run answers with a summary: every play's times, Stage, candidates, delay, outcome and
//! events, which is what the timeline draws, and small even for many objects. What the
//! inspector shows of one object (its versions, the requests with their rendered text, why
//! each other Stage did not match, what each user action left of it) is asked for
//! separately with [`Op::Focus`]: the same run again, keeping full detail for that object
//! only. A run is a pure function of its inputs, so the focused plays are those of the
//! summary already shown.
//!
//! The page's files are asked about the same way, with a [`FileRequest`] instead of a
//! [`Request`]: an export of a scenario, or what the files a user opened hold ([`files`]).

pub mod files;
pub mod presets;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use stage_engine::config::{ControllerConfig, ManagedNodes};
use stage_engine::diagnostic::Diagnostic;
use stage_engine::scenario::UserAction;
use stage_engine::timeline::{Detail, Entry, NotMatched, Play, Settled, Time, Timeline, UserEntry};
use stage_engine::{load, scenario, select, sim};
use stage_kube::ObjectKey;

pub use files::{ExportAsk, ExportKind, FileRequest, NamedFile, Opened};

/// The names the editors' texts go by in the engine's diagnostics.
const STAGES_FILE: &str = "stages";
const OBJECTS_FILE: &str = "objects";

/// What the page asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `check` only loads the input; `run` also simulates it.
    pub op: Op,
    /// The Stages editor's text: one or more YAML documents.
    pub stages: String,
    /// The objects editor's text: one or more YAML documents.
    pub objects: String,
    pub settings: Settings,
    /// What the user does during the run, at virtual times after the start, in the
    /// scenario file's form (`at: 30s`, `delete: {kind: Pod, ...}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<UserAction>,
    /// For [`Op::Focus`]: the object whose plays are wanted in full detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<FullKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    Check,
    /// Simulates the input and answers with a summary of the run.
    Run,
    /// Simulates the input again and answers with the `focus` object's plays in full
    /// detail.
    Focus,
    /// Matches one object (the `objects` text, as JSON) against every Stage of its kind
    /// and answers how each selector went, clause by clause.
    Explain,
}

/// The config panel: the controller flags and the bounds of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    #[serde(rename = "nodeIP")]
    pub node_ip: String,
    pub cidr: String,
    pub seed: u64,
    /// The virtual time to cover, from the start.
    pub horizon_ms: i64,
    pub max_plays: u64,
    /// What a scenario file may set that the panel has no field for; kept so that an
    /// imported scenario runs as it was written.
    #[serde(default, skip_serializing_if = "ExtraSettings::is_default")]
    pub extra: ExtraSettings,
}

/// The controller options and the start the panel shows read-only: the engine's defaults
/// unless an imported scenario set others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExtraSettings {
    pub node_name: String,
    pub node_port: i64,
    pub manage: ManagedNodes,
    /// The virtual start of a run, RFC 3339.
    pub start: String,
}

impl Default for ExtraSettings {
    fn default() -> ExtraSettings {
        let config = ControllerConfig::default();
        ExtraSettings {
            node_name: config.node_name,
            node_port: config.node_port,
            manage: config.manage,
            start: scenario::DEFAULT_START.to_string(),
        }
    }
}

impl ExtraSettings {
    pub fn is_default(&self) -> bool {
        *self == ExtraSettings::default()
    }
}

impl Settings {
    /// The engine's controller configuration of these settings.
    pub fn config(&self) -> ControllerConfig {
        ControllerConfig {
            node_ip: self.node_ip.clone(),
            cidr: self.cidr.clone(),
            node_name: self.extra.node_name.clone(),
            node_port: self.extra.node_port,
            manage: self.extra.manage.clone(),
        }
    }
}

/// Which editor a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    Stages,
    Objects,
    Settings,
    /// The list of user actions; `line` is the action's 1-based place in it.
    Actions,
    /// The engine itself failed; nothing in the input is to blame.
    Engine,
}

/// One problem with the input, at a line of an editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub source: Source,
    /// 1-based; 0 when the problem concerns the whole text.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Request {
    /// The question for `key`'s full records of the run this request asked for: the same
    /// run, kept in full for that object. It stops once it has made `plays` plays (from the
    /// summary: enough to reach the object's last play and its last user action), as what
    /// happens later changes none of the object's records.
    pub fn focus_on(&self, key: FullKey, plays: Option<usize>) -> Request {
        let mut settings = self.settings.clone();
        if let Some(plays) = plays.and_then(|plays| u64::try_from(plays).ok()) {
            settings.max_plays = settings.max_plays.min(plays);
        }
        Request {
            op: Op::Focus,
            focus: Some(key),
            settings,
            ..self.clone()
        }
    }
}

/// An object's full key: apiVersion, kind, namespace (empty when cluster-scoped) and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FullKey {
    pub api_version: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    pub name: String,
}

impl FullKey {
    pub fn of(key: &ObjectKey) -> FullKey {
        FullKey {
            api_version: key.api_version.clone(),
            kind: key.kind.clone(),
            namespace: key.namespace.clone(),
            name: key.name.clone(),
        }
    }

    pub fn object_key(&self) -> ObjectKey {
        ObjectKey::new(&self.api_version, &self.kind, &self.namespace, &self.name)
    }

    /// The key as the timeline writes it: `Kind/namespace/name` or `Kind/name`.
    pub fn text(&self) -> String {
        sim::key_text(&self.object_key())
    }
}

/// How many plays a run makes up to and including its entry `entry`: a run bounded to that
/// many plays still records that entry, since the bound stops a run only before a play.
pub fn plays_up_to(timeline: &Timeline, entry: usize) -> usize {
    let end = entry.saturating_add(1).min(timeline.entries.len());
    timeline.entries[..end]
        .iter()
        .filter(|recorded| matches!(recorded, Entry::Play(_)))
        .count()
}

/// How many plays a focus run on `key` needs: through the object's last record of any kind
/// (a play, an action, its creation, a version that matched nothing), so that an object
/// that got no play needs no more of the run than its creation and settling. `None` when
/// the run recorded nothing of it.
pub fn focus_bound(timeline: &Timeline, key: &str) -> Option<usize> {
    let last = timeline
        .entries
        .iter()
        .rposition(|entry| entry.key() == key)?;
    Some(plays_up_to(timeline, last))
}

/// One play of the focus object in full detail, with its place in the timeline's entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FocusedPlay {
    pub entry: usize,
    pub play: Play,
}

/// One of the user's actions on the focus object that the API server took, with the object
/// just before it and as the action left it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FocusedAction {
    /// The action's place in the timeline's entries.
    pub entry: usize,
    pub at: Time,
    /// `create`, `delete`, `edit` or `replace`.
    pub action: String,
    /// The last version recorded before the action; `None` before a create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    pub after: AfterAction,
}

/// One of the focus object's records other than its plays, with its place in the
/// timeline's entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FocusedRecord {
    /// One of the user's actions on it that the API server took.
    Action(FocusedAction),
    /// It entered the store, as this version.
    Created {
        entry: usize,
        object: serde_json::Value,
    },
    /// A version of it matched no Stage while no job was pending for it.
    Settled {
        entry: usize,
        /// Why each Stage of its kind did not match.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        not_matched: Vec<NotMatched>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        object: Option<serde_json::Value>,
    },
}

/// The object as a user action left it, from the action's own record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AfterAction {
    /// The version the action stored.
    Version(serde_json::Value),
    /// The object left the store.
    Deleted,
}

/// What the engine answers, in serde's external form (`{"ok": {...}}`) like the timeline's
/// entries, so that the page reads an answer in one pass.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Response {
    /// The input loaded; `timeline` (a summary) is present for `run`. `warnings` may still
    /// be given.
    Ok {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeline: Option<Box<Timeline>>,
        /// The full keys of the objects the run starts with or the user's actions create,
        /// which a summary does not record.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        objects: Vec<FullKey>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<Problem>,
    },
    /// The input did not load.
    Rejected { problems: Vec<Problem> },
    /// The answer to `explain`.
    Explained { stages: Vec<Explanation> },
    /// The answer to `focus`: the object's plays, and its other records (the user's
    /// actions on it, its creation, the versions that matched no Stage), each in timeline
    /// order.
    Focused {
        key: String,
        plays: Vec<FocusedPlay>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        records: Vec<FocusedRecord>,
    },
    /// The answer to an export: its files, each a plain file name and its text.
    Exported { files: Vec<NamedFile> },
    /// The answer to an open: what each file is, in the order of the request's files.
    Opened { files: Vec<Opened> },
    /// An export could not be made; `message` gives the place and the problem, as
    /// `stage-sim export` prints them.
    Failed { message: String },
}

impl Response {
    /// A refusal for a problem with the whole of one input (or with the engine), not with a
    /// line of it.
    fn whole(source: Source, message: impl Into<String>) -> Response {
        Response::Rejected {
            problems: vec![Problem {
                source,
                line: 0,
                column: 0,
                message: message.into(),
            }],
        }
    }
}

/// How one Stage's selector went for one object version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub stage: String,
    pub matched: bool,
    /// Why the selector could not be evaluated (a CEL entry), if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Each clause evaluated, in the engine's order, up to the first that failed (the
    /// matcher stops there as kwok does): the clause, whether it passed, and what the
    /// object gave (each jq key's values).
    pub clauses: Vec<serde_json::Value>,
}

/// Answers one request given as JSON (a [`Request`] or a [`FileRequest`]), with JSON. This
/// is what the worker calls.
pub fn answer(request: &str) -> String {
    answer_timed(request, &mut Stopwatch::stopped())
}

/// [`answer`], noting on `watch` when each phase of it ended.
pub fn answer_timed(request: &str, watch: &mut Stopwatch) -> String {
    // The first key says which reading the request is for, and only that reading's error
    // is reported: a run request starts with its `op`, a file request is a map with the one
    // key `export` or `open`.
    let response = match first_key(request).as_deref() {
        Some("export" | "open") => match serde_json::from_str::<FileRequest>(request) {
            Ok(asked) => {
                watch.lap("read the request");
                files::respond(&asked)
            }
            Err(error) => unreadable("file request", &error),
        },
        _ => match serde_json::from_str::<Request>(request) {
            Ok(request) => {
                watch.lap("read the request");
                respond_timed(&request, watch)
            }
            Err(error) => unreadable("request", &error),
        },
    };
    // A response is plain data (strings, numbers, JSON values), so this cannot fail; the
    // fallback keeps the contract anyway.
    let text = serde_json::to_string(&response).unwrap_or_else(|error| {
        format!(r#"{{"rejected":{{"problems":[{{"source":"engine","line":0,"column":0,"message":"{error}"}}]}}}}"#)
    });
    watch.lap("write the answer");
    text
}

/// The refusal of a request that does not read as a `what`.
fn unreadable(what: &str, error: &serde_json::Error) -> Response {
    Response::whole(
        Source::Engine,
        format!("The page sent a {what} the engine cannot read: {error}."),
    )
}

/// The first key of a JSON map, read without reading the rest of the map (a run request
/// can be megabytes of objects); None when `text` is no map or the map is empty.
fn first_key(text: &str) -> Option<String> {
    let entries = text.trim_start().strip_prefix('{')?;
    serde_json::Deserializer::from_str(entries)
        .into_iter::<String>()
        .next()?
        .ok()
}

/// The time each phase of answering a request took, for measurement: a clock given by the
/// caller (the page's `performance.now()`), read as each phase ends.
pub struct Stopwatch<'a> {
    now: &'a dyn Fn() -> f64,
    last: f64,
    /// Each phase with its milliseconds, in order.
    pub laps: Vec<(&'static str, f64)>,
}

impl<'a> Stopwatch<'a> {
    /// A stopwatch started now on `now`, a clock in milliseconds.
    pub fn start(now: &'a dyn Fn() -> f64) -> Stopwatch<'a> {
        Stopwatch {
            now,
            last: now(),
            laps: Vec::new(),
        }
    }

    /// A stopwatch that notes nothing, for answers nobody measures.
    pub fn stopped() -> Stopwatch<'static> {
        Stopwatch {
            now: &no_clock,
            last: 0.0,
            laps: Vec::new(),
        }
    }

    /// Ends the phase `name`.
    pub fn lap(&mut self, name: &'static str) {
        let now = (self.now)();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

fn no_clock() -> f64 {
    0.0
}

/// Loads the input and, for `run`, simulates it.
pub fn respond(request: &Request) -> Response {
    respond_timed(request, &mut Stopwatch::stopped())
}

/// [`respond`], noting on `watch` when the input was loaded and when it was simulated.
fn respond_timed(request: &Request, watch: &mut Stopwatch) -> Response {
    // Both editors are loaded even when the first has errors, so that all problems show.
    let loaded = load::load_stages(&request.stages, STAGES_FILE);
    if request.op == Op::Explain {
        return explain(&loaded.stages, &request.objects);
    }
    let (objects, object_diagnostics) = load::load_objects(&request.objects, OBJECTS_FILE);
    watch.lap("load the Stages and objects");
    let diagnostics: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .chain(&object_diagnostics)
        .collect();
    let problems: Vec<Problem> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| problem(d))
        .collect();
    let warnings: Vec<Problem> = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| problem(d))
        .collect();
    if !problems.is_empty() {
        return Response::Rejected { problems };
    }
    let start_text = &request.settings.extra.start;
    let Some(start) = stage_kube::time::parse_rfc3339(start_text) else {
        return Response::whole(
            Source::Settings,
            format!("The start {start_text:?} is not an RFC 3339 time."),
        );
    };
    let actions = match timed_actions(&request.actions, start) {
        Ok(actions) => actions,
        Err(problems) => return Response::Rejected { problems },
    };
    if request.op == Op::Check {
        return Response::Ok {
            timeline: None,
            objects: Vec::new(),
            warnings,
        };
    }

    let settings = &request.settings;
    let focus = match (request.op, &request.focus) {
        (Op::Focus, Some(focus)) => Some(focus.object_key()),
        (Op::Focus, None) => {
            return Response::whole(
                Source::Engine,
                "A request for one object's records names no object.",
            );
        }
        _ => None,
    };
    let options = sim::SimOptions {
        config: settings.config(),
        start,
        seed: settings.seed,
        horizon: Some(settings.horizon_ms.saturating_mul(1_000_000)),
        max_plays: usize::try_from(settings.max_plays).ok(),
        detail: Detail::Summary,
        focus: focus.clone(),
        ..sim::SimOptions::default()
    };
    let objects: Vec<serde_json::Value> = objects.into_iter().map(|loaded| loaded.object).collect();
    // A focus answer carries plays only.
    let keys = match focus {
        None => object_keys(&objects, &actions),
        Some(_) => Vec::new(),
    };
    let ran = sim::run(&loaded.stages, objects, actions, options);
    watch.lap("simulate");
    match ran {
        Ok(timeline) => match focus {
            Some(focus) => focused(timeline, &focus),
            None => Response::Ok {
                timeline: Some(Box::new(timeline)),
                objects: keys,
                warnings,
            },
        },
        Err(error) => Response::whole(Source::Engine, error.message),
    }
}

/// The focus object's records of a run that kept them in full detail.
fn focused(timeline: Timeline, focus: &ObjectKey) -> Response {
    let key = sim::key_text(focus);
    let mut plays = Vec::new();
    let mut versions = Versions::default();
    for (entry, recorded) in timeline.entries.into_iter().enumerate() {
        match recorded {
            Entry::Play(play) if play.key == key => {
                versions.played(&play);
                plays.push(FocusedPlay { entry, play: *play });
            }
            Entry::User(user) if user.key == key && user.error.is_none() => {
                versions.acted(entry, *user);
            }
            Entry::Created(created) if created.key == key => {
                versions.created(entry, created.object);
            }
            Entry::Settled(settled) if settled.key == key => versions.settled(entry, settled),
            Entry::Deleted(deleted) if deleted.key == key => versions.deleted(),
            _ => {}
        }
    }
    Response::Focused {
        key,
        plays,
        records: versions.records,
    }
}

/// Follows one object's versions through its records in timeline order, so that each user
/// action has the version just before it; what the action left is its own record.
#[derive(Default)]
struct Versions {
    /// The last version recorded.
    current: Option<serde_json::Value>,
    records: Vec<FocusedRecord>,
}

impl Versions {
    /// An action the API server took. Its record holds the version it stored, and no
    /// version only when it was a delete that removed the object.
    fn acted(&mut self, entry: usize, user: UserEntry) {
        let after = match &user.object {
            Some(object) => AfterAction::Version(object.clone()),
            None => AfterAction::Deleted,
        };
        self.records.push(FocusedRecord::Action(FocusedAction {
            entry,
            at: user.at,
            action: user.action,
            before: std::mem::replace(&mut self.current, user.object),
            after,
        }));
    }

    /// The object entered the store.
    fn created(&mut self, entry: usize, object: Option<serde_json::Value>) {
        if let Some(object) = object {
            self.current = Some(object.clone());
            self.records.push(FocusedRecord::Created { entry, object });
        }
    }

    /// A version matched no Stage.
    fn settled(&mut self, entry: usize, settled: Settled) {
        if settled.object.is_some() {
            self.current.clone_from(&settled.object);
        }
        self.records.push(FocusedRecord::Settled {
            entry,
            not_matched: settled.not_matched,
            object: settled.object,
        });
    }

    fn deleted(&mut self) {
        self.current = None;
    }

    fn played(&mut self, play: &Play) {
        self.current = play.after.clone().filter(|after| !after.is_null());
    }
}

/// The full keys of the initial objects and of those the user's actions create, each once.
fn object_keys(objects: &[serde_json::Value], actions: &[sim::TimedAction]) -> Vec<FullKey> {
    let created = actions.iter().filter_map(|timed| match &timed.action {
        sim::Action::Create(object) => Some(object),
        _ => None,
    });
    let mut seen = HashSet::new();
    objects
        .iter()
        .chain(created)
        .filter_map(sim::object_key)
        .filter(|key| seen.insert(key.clone()))
        .map(|key| FullKey::of(&key))
        .collect()
}

/// Every Stage of the object's kind (the object given as JSON text), matched against it.
fn explain(stages: &[stage_engine::model::Stage], object: &str) -> Response {
    let object: serde_json::Value = match serde_json::from_str(object) {
        Ok(object) => object,
        Err(error) => {
            return Response::whole(
                Source::Engine,
                format!("The object to explain is not JSON: {error}."),
            );
        }
    };
    let view = select::ObjectView::new(object);
    let stages = select::explain(stages, &view)
        .into_iter()
        .map(|(stage, report)| Explanation {
            stage: stage.name.clone(),
            matched: report.matched(),
            note: match &report.outcome {
                select::MatchOutcome::NotSupported(message) => Some(message.clone()),
                _ => None,
            },
            clauses: report
                .clauses
                .iter()
                .filter_map(|clause| serde_json::to_value(clause).ok())
                .collect(),
        })
        .collect();
    Response::Explained { stages }
}

/// The settings the page starts with: the engine's defaults and the default scenario's
/// bounds.
pub fn default_settings(horizon_ms: i64, max_plays: u64) -> Settings {
    let config = ControllerConfig::default();
    Settings {
        node_ip: config.node_ip,
        cidr: config.cidr,
        seed: 1,
        horizon_ms,
        max_plays,
        extra: ExtraSettings::default(),
    }
}

/// The user's actions at their virtual times, or one problem per action that is not
/// understood, placed at the action's 1-based place in the list.
fn timed_actions(
    actions: &[UserAction],
    start: i64,
) -> Result<Vec<sim::TimedAction>, Vec<Problem>> {
    let mut timed = Vec::with_capacity(actions.len());
    let mut problems = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        match action.to_timed(start, index) {
            Ok(action) => timed.push(action),
            Err(error) => problems.push(Problem {
                source: Source::Actions,
                line: index + 1,
                column: 0,
                message: format!("action {}: {}", index + 1, error.message),
            }),
        }
    }
    if problems.is_empty() {
        Ok(timed)
    } else {
        Err(problems)
    }
}

fn problem(diagnostic: &Diagnostic) -> Problem {
    let source = match diagnostic.file.as_str() {
        STAGES_FILE => Source::Stages,
        OBJECTS_FILE => Source::Objects,
        _ => Source::Engine,
    };
    // The engine's message already names the field (the CLI prints it alone too), so the
    // path is not put in front of it again.
    Problem {
        source,
        line: diagnostic.mark.line,
        column: diagnostic.mark.column,
        message: diagnostic.message.clone(),
    }
}

/// An object as YAML, for the inspector.
pub fn to_yaml(value: &serde_json::Value) -> String {
    stage_yaml::to_string(value)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn web_0() -> FullKey {
        FullKey {
            api_version: "v1".into(),
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web-0".into(),
        }
    }

    #[test]
    fn a_run_answers_a_summary_with_its_objects_full_keys() {
        let request = presets::default_scenario();
        let Response::Ok {
            timeline: Some(timeline),
            objects,
            ..
        } = respond(&request)
        else {
            panic!("the run did not happen");
        };
        assert_eq!(timeline.detail, Detail::Summary);
        assert!(
            timeline
                .plays()
                .all(|play| play.before.is_none() && play.after.is_none())
        );
        assert!(objects.contains(&web_0()), "{objects:?}");
        assert!(
            objects.iter().any(|key| key.text() == "Node/node-0"),
            "{objects:?}"
        );
    }

    #[test]
    fn focus_answers_the_objects_plays_of_the_same_run_in_full() {
        let run = presets::default_scenario();
        let Response::Ok {
            timeline: Some(summary),
            ..
        } = respond(&run)
        else {
            panic!("the run did not happen");
        };
        let last_play = summary.entries.iter().rposition(
            |recorded| matches!(recorded, Entry::Play(play) if play.key == "Pod/default/web-0"),
        );
        let plays = last_play.map(|entry| plays_up_to(&summary, entry));
        let focus = run.focus_on(web_0(), plays);
        assert!(
            focus.settings.max_plays < run.settings.max_plays,
            "the node plays on after"
        );
        let Response::Focused { key, plays, .. } = respond(&focus) else {
            panic!("no focused plays");
        };
        assert_eq!(key, "Pod/default/web-0");

        let places = |plays: &mut dyn Iterator<Item = (usize, &Play)>| {
            plays
                .map(|(entry, play)| (entry, play.index, play.stage.clone()))
                .collect::<Vec<_>>()
        };
        let in_summary = places(&mut summary.entries.iter().enumerate().filter_map(
            |(entry, recorded)| match recorded {
                Entry::Play(play) if play.key == key => Some((entry, &**play)),
                _ => None,
            },
        ));
        let focused = places(&mut plays.iter().map(|focused| (focused.entry, &focused.play)));
        assert_eq!(focused, in_summary);
        assert!(!focused.is_empty());
        assert!(plays.iter().all(|focused| focused.play.before.is_some()));
        assert!(plays.iter().any(|focused| focused.play.actions.iter().any(
            |action| matches!(action, stage_engine::timeline::ActionRecord::Patch(patch) if patch.rendered_text.is_some())
        )));
    }

    /// The default scenario with `actions` (in the scenario file's form), its summary and
    /// the focus answer for `key`, bounded as the page bounds it: up to the object's last
    /// entry in the summary.
    fn focus_after(actions: &[&str], key: FullKey) -> (Timeline, Vec<FocusedAction>) {
        focus_in(presets::default_scenario(), actions, key)
    }

    /// [`focus_after`] on the scenario `run` instead of the default one.
    fn focus_in(run: Request, actions: &[&str], key: FullKey) -> (Timeline, Vec<FocusedAction>) {
        let (summary, records) = records_in(run, actions, key);
        let actions = records
            .into_iter()
            .filter_map(|record| match record {
                FocusedRecord::Action(action) => Some(action),
                _ => None,
            })
            .collect();
        (summary, actions)
    }

    /// The summary of `run` with `actions` and the focus answer's records for `key` other
    /// than its plays.
    fn records_in(
        mut run: Request,
        actions: &[&str],
        key: FullKey,
    ) -> (Timeline, Vec<FocusedRecord>) {
        run.actions = actions
            .iter()
            .map(|yaml| serde_json::from_value(stage_yaml::parse_value(yaml).unwrap()).unwrap())
            .collect();
        let Response::Ok {
            timeline: Some(summary),
            ..
        } = respond(&run)
        else {
            panic!("the run did not happen");
        };
        let plays = focus_bound(&summary, &key.text());
        let Response::Focused { records, .. } = respond(&run.focus_on(key, plays)) else {
            panic!("no focus answer");
        };
        (*summary, records)
    }

    fn pod(name: &str) -> FullKey {
        FullKey {
            name: name.into(),
            ..web_0()
        }
    }

    fn label(object: &serde_json::Value, name: &str) -> Option<String> {
        let value = object.pointer(&format!("/metadata/labels/{name}"))?;
        value.as_str().map(str::to_string)
    }

    #[test]
    fn plays_up_to_counts_the_plays_through_an_entry() {
        let (summary, _) = focus_after(&[], web_0());
        let plays: Vec<usize> = (0..summary.entries.len())
            .map(|entry| plays_up_to(&summary, entry))
            .collect();
        let mut counted = 0;
        for (entry, recorded) in summary.entries.iter().enumerate() {
            counted += usize::from(matches!(recorded, Entry::Play(_)));
            assert_eq!(plays[entry], counted, "entry {entry}");
        }
        assert_eq!(plays_up_to(&summary, usize::MAX), summary.plays().count());
    }

    #[test]
    fn a_label_edit_no_stage_reacts_to_is_answered_with_the_version_it_left() {
        let edit = "at: 30s\nedit: {kind: Pod, namespace: default, name: web-0, \
                    patch: {metadata: {labels: {tier: frontend}}}}";
        let (summary, actions) = focus_after(&[edit], web_0());
        let node_plays_after = summary
            .plays()
            .filter(|play| play.key == "Node/node-0" && play.played_at.0 > actions[0].at.0)
            .count();
        assert!(node_plays_after > 0, "the node plays on after the edit");

        let [edited] = actions.as_slice() else {
            panic!("one action: {actions:?}");
        };
        assert_eq!(edited.action, "edit");
        assert!(matches!(summary.entries[edited.entry], Entry::User(_)));
        let before = edited.before.as_ref().expect("web-0 was there before");
        assert_eq!(label(before, "tier"), None);
        let AfterAction::Version(after) = &edited.after else {
            panic!("the edited version is not recorded: {:?}", edited.after);
        };
        assert_eq!(label(after, "tier").as_deref(), Some("frontend"));
        assert_eq!(
            before.pointer("/status/phase"),
            after.pointer("/status/phase"),
            "only the label changed"
        );
    }

    #[test]
    fn a_delete_is_answered_as_deleted_and_an_edit_a_stage_matches_with_the_version_it_left() {
        let delete =
            "at: 30s\ndelete: {kind: Pod, namespace: default, name: web-0, gracePeriodSeconds: 0}";
        let (_, actions) = focus_after(&[delete], web_0());
        let [deleted] = actions.as_slice() else {
            panic!("one action: {actions:?}");
        };
        assert_eq!(deleted.action, "delete");
        assert!(deleted.before.is_some());
        assert_eq!(deleted.after, AfterAction::Deleted);

        // node-heartbeat matches the edited node again and plays on it later.
        let node = FullKey {
            api_version: "v1".into(),
            kind: "Node".into(),
            namespace: String::new(),
            name: "node-0".into(),
        };
        let edit =
            "at: 30s\nedit: {kind: Node, name: node-0, patch: {metadata: {labels: {zone: b}}}}";
        let (_, actions) = focus_after(&[edit], node);
        let [edited] = actions.as_slice() else {
            panic!("one action: {actions:?}");
        };
        let AfterAction::Version(after) = &edited.after else {
            panic!("the edited node is not recorded: {:?}", edited.after);
        };
        assert_eq!(label(after, "zone").as_deref(), Some("b"));
        assert_eq!(edited.before.as_ref().and_then(|b| label(b, "zone")), None);
    }

    #[test]
    fn an_edit_no_stage_matches_while_an_earlier_job_is_due_is_answered_with_its_version() {
        // worker-start's job for worker-0 is due 2 to 14 s after the start; at 1 s the pod
        // stops being a worker, a version that matches no Stage, and the job stays due.
        let jitter = presets::preset("jitter")
            .expect("the jitter preset")
            .scenario();
        let edit = "at: 1s\nedit: {kind: Pod, namespace: default, name: worker-0, \
                    patch: {metadata: {labels: {app: idle}}}}";
        let (summary, actions) = focus_in(jitter, &[edit], pod("worker-0"));
        let [edited] = actions.as_slice() else {
            panic!("one action: {actions:?}");
        };
        let due = summary
            .plays_of("Pod/default/worker-0")
            .find(|play| play.stage == "worker-start");
        assert!(
            due.is_some_and(|play| play.matched_at < edited.at && play.played_at > edited.at),
            "the earlier version's job plays after the edit: {due:?}"
        );

        let AfterAction::Version(after) = &edited.after else {
            panic!("the edited version is missing: {:?}", edited.after);
        };
        assert_eq!(label(after, "app").as_deref(), Some("idle"));
        let before = edited.before.as_ref().expect("worker-0 was there before");
        assert_eq!(label(before, "app").as_deref(), Some("worker"));
        assert_eq!(
            before.pointer("/status/phase"),
            after.pointer("/status/phase")
        );
    }

    #[test]
    fn a_second_action_starts_from_the_version_the_first_left() {
        let label_edit = |at: &str, value: &str| {
            format!(
                "at: {at}\nedit: {{kind: Pod, namespace: default, name: web-0, \
                 patch: {{metadata: {{labels: {{tier: {value}}}}}}}}}"
            )
        };
        let (first, second) = (label_edit("30s", "a"), label_edit("40s", "b"));
        let (_, actions) = focus_after(&[&first, &second], web_0());
        let [first, second] = actions.as_slice() else {
            panic!("two actions: {actions:?}");
        };
        let AfterAction::Version(first_left) = &first.after else {
            panic!("the first edit's version is missing: {:?}", first.after);
        };
        assert_eq!(second.before.as_ref(), Some(first_left));
        let AfterAction::Version(second_left) = &second.after else {
            panic!("the second edit's version is missing: {:?}", second.after);
        };
        assert_eq!(label(second_left, "tier").as_deref(), Some("b"));
    }

    #[test]
    fn an_object_with_no_play_is_answered_with_its_creation_and_why_no_stage_matched() {
        let (summary, records) = records_in(presets::jitter_with_an_idle_pod(), &[], pod("idle-0"));
        let key = "Pod/default/idle-0";
        assert_eq!(summary.plays_of(key).count(), 0);
        // Created and settled before the first play: its focus run plays nothing.
        assert_eq!(focus_bound(&summary, key), Some(0));
        let place = |wanted: fn(&Entry) -> bool| summary.entries.iter().position(wanted);
        let created_at = place(|e| matches!(e, Entry::Created(c) if c.key == "Pod/default/idle-0"));
        let settled_at = place(|e| matches!(e, Entry::Settled(s) if s.key == "Pod/default/idle-0"));

        let [
            FocusedRecord::Created { entry, object },
            FocusedRecord::Settled {
                entry: settled,
                not_matched,
                ..
            },
        ] = records.as_slice()
        else {
            panic!("a creation and a settling: {records:?}");
        };
        assert_eq!(Some(*entry), created_at);
        assert_eq!(label(object, "app").as_deref(), Some("idle"));
        assert!(
            object.pointer("/metadata/resourceVersion").is_some(),
            "as stored"
        );
        assert_eq!(Some(*settled), settled_at);
        let stages: Vec<&str> = not_matched.iter().map(|miss| miss.stage.as_str()).collect();
        assert_eq!(stages, ["worker-start"]);
        assert!(
            not_matched[0].reason.to_string().contains("idle"),
            "the reason gives the label's value: {}",
            not_matched[0].reason
        );
    }

    #[test]
    fn a_focus_request_without_an_object_is_refused_and_a_run_lists_each_object_once() {
        let pod = |name: &str| {
            serde_json::json!({"apiVersion": "v1", "kind": "Pod",
                               "metadata": {"name": name, "namespace": "default"}})
        };
        let created = sim::TimedAction {
            at: 1,
            action: sim::Action::Create(pod("web-0")),
        };
        let keys = object_keys(&[pod("web-0"), pod("web-1")], &[created]);
        let texts: Vec<String> = keys.iter().map(FullKey::text).collect();
        assert_eq!(texts, ["Pod/default/web-0", "Pod/default/web-1"]);

        let run = presets::default_scenario();
        let mut focus = run.focus_on(web_0(), None);
        focus.focus = None;
        let Response::Rejected { problems } = respond(&focus) else {
            panic!("a focus without an object was answered");
        };
        assert!(
            problems[0].message.contains("names no object"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_run_starts_at_the_settings_start_and_a_bad_start_is_a_settings_problem() {
        let mut request = presets::default_scenario();
        request.settings.horizon_ms = 1_000;
        request.settings.extra.start = "2025-06-01T12:00:00Z".into();
        let Response::Ok {
            timeline: Some(timeline),
            ..
        } = respond(&request)
        else {
            panic!("the run did not happen");
        };
        assert_eq!(timeline.start, "2025-06-01T12:00:00Z");

        request.settings.extra.start = "June".into();
        let Response::Rejected { problems } = respond(&request) else {
            panic!("a bad start was accepted");
        };
        assert_eq!(problems[0].source, Source::Settings);
        assert!(problems[0].message.contains("\"June\""));
    }

    #[test]
    fn a_timed_answer_is_the_same_answer_with_each_phase_timed_in_order() {
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + 1.0);
            ticks.get()
        };
        let mut watch = Stopwatch::start(&clock);
        let request = serde_json::to_string(&presets::default_scenario()).unwrap();
        let text = answer_timed(&request, &mut watch);
        assert_eq!(text, answer(&request));
        let phases: Vec<&str> = watch.laps.iter().map(|(phase, _)| *phase).collect();
        assert_eq!(
            phases,
            [
                "read the request",
                "load the Stages and objects",
                "simulate",
                "write the answer"
            ]
        );
        assert!(
            watch.laps.iter().all(|(_, took)| *took == 1.0),
            "{:?}",
            watch.laps
        );
    }

    #[test]
    fn an_answer_names_its_outcome_as_its_only_key() {
        let answer: serde_json::Value = serde_json::from_str(&super::answer("{")).unwrap();
        let problems = &answer["rejected"]["problems"];
        assert_eq!(answer.as_object().map(|map| map.len()), Some(1), "{answer}");
        assert_eq!(problems[0]["source"], "engine");

        let request = serde_json::to_string(&presets::default_scenario()).unwrap();
        let text = super::answer(&request);
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
        let entries = answer["ok"]["timeline"]["entries"].as_array().unwrap();
        assert!(
            entries.iter().any(|entry| entry.get("play").is_some()),
            "{text}"
        );
        assert!(matches!(
            serde_json::from_str(&text),
            Ok(Response::Ok { .. })
        ));
    }
}
