//! kwok's controllers as a deterministic, sequential model over a virtual clock.
//!
//! kwok runs a Pod controller, a Node controller and one generic controller per other
//! Stage kind, each reacting to watch events with "match, pick, delay, play". This module
//! reproduces what they observably do, one thing at a time (spec 9.4):
//!
//! * a virtual clock and a priority queue of (time, sequence, job); a delay of 0 or less
//!   runs at the current time, in scheduling order;
//! * every store write appends a watch event; after each job the events are drained in
//!   order and every intermediate version is pre-processed: a pending job built from the
//!   same resourceVersion makes the version be ignored, a version that matches nothing
//!   leaves the pending job alone, any other replaces it; a Deleted event cancels it;
//! * jobs run their Stage's steps on the snapshot the job was built from, never on the
//!   live object; a patch that would not change the snapshot is skipped;
//! * `immediateNextStage` feeds the last sent patch's response straight back into
//!   pre-processing, before the drain.
//!
//! Pods are played only on managed nodes; a pod that arrives before its node is picked up
//! when the node becomes managed (kwok re-lists the pods on it). There are no transport
//! errors in this model, so kwok's retry with back-off never happens: a failed step ends
//! its job, as every non-transport error does in kwok.
//!
//! It does not evaluate Stages itself: matching, weights, delays, rendering and the actions
//! of a step come from [`crate::select`], [`crate::weight`], [`crate::delay`] and
//! [`crate::steps`]; the API server is [`stage_kube::Store`]. This file holds the loop
//! itself (events, pre-processing, user actions, records); `queue` what it schedules,
//! `play` the playing of a job, `nodes` the node and pod bookkeeping, `eval` the calls
//! into the rules.

mod eval;
mod nodes;
mod play;
mod queue;
#[cfg(test)]
mod tests;

pub use eval::render_once;
pub use nodes::manages;
pub use stage_kube::ObjectKey;

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::fmt;
use std::rc::Rc;

use serde_json::Value;
use stage_kube::field;
use stage_kube::hash::FastMap;
use stage_kube::{PatchType, SharedEvent, Store, StoreConfig, WatchEventType};

use crate::chance::{Draw, Replay, Seeded, Source};
use crate::config::ControllerConfig;
use crate::model::Stage;
use crate::select::{ObjectView, StagesByKind};
use crate::timeline::{
    Detail, Entry, Nanos, NotMatched, ObjectEntry, Replaced, Settled, Stop, StopReason, Time,
    Timeline, UserEntry,
};
use eval::{Decision, Evaluator};
use queue::{Item, Job, Pending, Queued, Snapshot};

/// How a run is set up.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub config: ControllerConfig,
    /// The virtual start time.
    pub start: Nanos,
    pub seed: u64,
    /// How far past the start the clock may run; `None`: until everything settles.
    pub horizon: Option<Nanos>,
    /// The most plays in the run.
    pub max_plays: Option<usize>,
    /// The most plays of one object at one virtual instant before the run is stopped as
    /// a zero-delay loop (kwok would spin).
    pub zero_delay_limit: usize,
    pub detail: Detail,
    /// An object recorded in full detail even when `detail` is a summary: its plays,
    /// creation and settling carry the objects, requests and explanations, so that a page
    /// can show one object of a large run without keeping every object of it.
    pub focus: Option<ObjectKey>,
    /// The API server fills uid, resourceVersion and creationTimestamp on create.
    pub defaulting: bool,
    /// A pod whose node is not in the store runs on an implicit bare node that kwok
    /// manages (the set-up of kwok's controller tests, used by the recorded cases).
    pub implicit_nodes: bool,
    /// Nodes kwok knows without playing them (for `NodeIPWith` and pod CIDRs).
    pub known_nodes: Vec<Value>,
    /// kwok's recorded picks and delays, used instead of the seeded generator.
    pub draws: Option<Vec<Draw>>,
}

impl Default for SimOptions {
    fn default() -> SimOptions {
        SimOptions {
            config: ControllerConfig::default(),
            start: 0,
            seed: 0,
            horizon: None,
            max_plays: None,
            zero_delay_limit: 100,
            detail: Detail::Full,
            focus: None,
            defaulting: true,
            implicit_nodes: false,
            known_nodes: Vec::new(),
            draws: None,
        }
    }
}

/// Something the user does at a virtual time.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedAction {
    pub at: Nanos,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Create(Value),
    /// `kubectl delete`, with an optional grace period in seconds.
    Delete {
        key: ObjectKey,
        grace_period_seconds: Option<i64>,
    },
    /// A JSON merge patch; a `status` part goes to the status subresource.
    Edit {
        key: ObjectKey,
        patch: Value,
    },
    /// `kubectl replace`.
    Replace(Value),
}

/// A run that could not be carried out (as opposed to kwok reporting an error, which is
/// part of the timeline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError {
    pub message: String,
    /// The input was at fault (an object the API server refuses), not the run.
    pub bad_input: bool,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SimError {}

/// Runs `objects` through `stages` and returns the timeline.
pub fn run(
    stages: &[Stage],
    objects: Vec<Value>,
    actions: Vec<TimedAction>,
    options: SimOptions,
) -> Result<Timeline, SimError> {
    let mut sim = Sim::new(stages, options);
    sim.start(objects, actions)?;
    sim.main_loop()?;
    Ok(sim.timeline)
}

/// `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.
pub fn key_text(key: &ObjectKey) -> String {
    // Every record of a run carries one; pushing the parts costs a fraction of `format!`.
    let mut text = String::with_capacity(key.kind.len() + key.namespace.len() + key.name.len() + 2);
    text.push_str(&key.kind);
    text.push('/');
    if !key.namespace.is_empty() {
        text.push_str(&key.namespace);
        text.push('/');
    }
    text.push_str(&key.name);
    text
}

/// The store key of an object, from its apiVersion, kind, namespace and name.
pub fn object_key(object: &Value) -> Option<ObjectKey> {
    let text = |pointer: &str| field(object, pointer).and_then(Value::as_str);
    Some(ObjectKey {
        api_version: text("/apiVersion")?.to_string(),
        kind: text("/kind")?.to_string(),
        namespace: text("/metadata/namespace").unwrap_or("").to_string(),
        name: text("/metadata/name")?.to_string(),
    })
}

/// Which of kwok's controllers plays a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControllerKind {
    Pod,
    Node,
    Generic,
}

impl ControllerKind {
    pub fn of(api_version: &str, kind: &str) -> ControllerKind {
        match (api_version, kind) {
            ("v1", "Pod") => ControllerKind::Pod,
            ("v1", "Node") => ControllerKind::Node,
            _ => ControllerKind::Generic,
        }
    }
}

struct Sim<'a> {
    stages: &'a [Stage],
    by_kind: StagesByKind,
    options: SimOptions,
    store: Store,
    clock: Nanos,
    queue: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    /// Keyed by the keys of the watch events they came from, which the queue and the
    /// lists below share instead of copying a key's four strings each time.
    pending: FastMap<Rc<ObjectKey>, Pending>,
    managed_nodes: BTreeSet<String>,
    chance: Source,
    /// Used when a recording runs out.
    fallback: Seeded,
    eval: Evaluator,
    timeline: Timeline,
    plays: usize,
    /// The key and instant of the latest play and how many plays it had then.
    instant: (Nanos, usize),
    instant_plays: FastMap<Rc<ObjectKey>, usize>,
    stopped: Option<Stop>,
    /// Objects that settled while the current events were handled; in summary detail
    /// they are packed into the store's compact form, as large runs keep many of them.
    settled: Vec<Rc<ObjectKey>>,
    /// Objects whose job was scheduled for later while the current events were handled;
    /// in summary detail their version is packed until the job runs.
    waiting: Vec<Rc<ObjectKey>>,
}

impl<'a> Sim<'a> {
    fn new(stages: &'a [Stage], options: SimOptions) -> Sim<'a> {
        let by_kind = StagesByKind::new(stages);
        let chance = match &options.draws {
            Some(draws) => Source::Replay(Replay::new(draws.clone())),
            None => Source::Seeded(Seeded::new(options.seed)),
        };
        let store = Store::new(StoreConfig {
            defaulting: options.defaulting,
        });
        let timeline = Timeline {
            start: stage_kube::time::format_nanos(options.start),
            seed: options.seed,
            detail: options.detail,
            entries: Vec::new(),
            stop: Stop::default(),
        };
        Sim {
            stages,
            by_kind,
            fallback: Seeded::new(options.seed),
            eval: Evaluator::new(&options.config, options.start, options.seed),
            clock: options.start,
            store,
            queue: BinaryHeap::new(),
            seq: 0,
            pending: FastMap::default(),
            managed_nodes: BTreeSet::new(),
            chance,
            timeline,
            plays: 0,
            instant: (options.start, 0),
            instant_plays: FastMap::default(),
            stopped: None,
            settled: Vec::new(),
            waiting: Vec::new(),
            options,
        }
    }

    /// Whether the run as a whole keeps full detail (and so keeps versions unpacked).
    fn full(&self) -> bool {
        self.options.detail == Detail::Full
    }

    /// Whether what happens to `key` is recorded in full detail.
    fn full_for(&self, key: &ObjectKey) -> bool {
        self.full() || self.options.focus.as_ref() == Some(key)
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    // ---- the run --------------------------------------------------------------------

    /// Creates the initial objects, queues the user's actions and processes the first
    /// watch events.
    fn start(&mut self, objects: Vec<Value>, actions: Vec<TimedAction>) -> Result<(), SimError> {
        // User actions are queued first so that, at equal times, they come before the
        // jobs the run schedules.
        for action in actions {
            let seq = self.next_seq();
            self.queue.push(Reverse(Queued {
                at: action.at,
                seq,
                item: Item::User(Box::new(action)),
            }));
        }
        for node in &self.options.known_nodes {
            if let Some(name) = field(node, "/metadata/name").and_then(Value::as_str) {
                self.eval.set_node(name, Some(node));
                if manages(&self.options.config.manage, node) {
                    self.managed_nodes.insert(name.to_string());
                }
            }
        }
        for object in objects {
            let key = object_key(&object).ok_or_else(|| SimError {
                message: "an object needs apiVersion, kind and metadata.name".to_string(),
                bad_input: true,
            })?;
            match self.store.create_shared(object, self.clock) {
                Ok(stored) => self.record_created(&key, &stored),
                Err(error) => {
                    return Err(SimError {
                        message: format!("cannot create {}: {error}", key_text(&key)),
                        bad_input: true,
                    });
                }
            }
            // Each object's event is handled as it arrives, as kwok's informers do; a node
            // listed before its pods then has no pods to re-list.
            self.drain();
        }
        Ok(())
    }

    fn main_loop(&mut self) -> Result<(), SimError> {
        let end = self
            .options
            .horizon
            .map(|h| self.options.start.saturating_add(h));
        loop {
            if let Some(stop) = self.stopped.take() {
                self.timeline.stop = stop;
                return Ok(());
            }
            let Some(Reverse(next)) = self.queue.peek() else {
                self.finish(StopReason::Settled, String::new());
                return Ok(());
            };
            let at = next.at.max(self.clock);
            if let Some(end) = end
                && at > end
            {
                self.clock = end;
                self.finish(StopReason::Horizon, String::new());
                return Ok(());
            }
            let is_job = matches!(next.item, Item::Job(_));
            if is_job && self.options.max_plays.is_some_and(|max| self.plays >= max) {
                self.finish(StopReason::MaxPlays, String::new());
                return Ok(());
            }
            let Some(Reverse(next)) = self.queue.pop() else {
                continue;
            };
            self.clock = at;
            match next.item {
                Item::User(action) => self.user_action(*action),
                Item::Job(key) => {
                    if self.pending.get(&key).is_none_or(|p| p.seq != next.seq) {
                        // Replaced or cancelled after it was queued.
                        continue;
                    }
                    let Some(pending) = self.pending.remove(&key) else {
                        continue;
                    };
                    if !self.count_instant(&key) {
                        continue;
                    }
                    self.play(*pending.job)?;
                }
            }
            self.drain();
        }
    }

    /// Counts a play of `key` at the current instant; `false` (and a stop) when the
    /// zero-delay guard is hit.
    fn count_instant(&mut self, key: &Rc<ObjectKey>) -> bool {
        if self.instant.0 != self.clock {
            self.instant = (self.clock, 0);
            self.instant_plays.clear();
        }
        let count = self.instant_plays.entry(key.clone()).or_insert(0);
        *count += 1;
        if *count > self.options.zero_delay_limit {
            let message = format!(
                "{} played {} times at {} without the clock moving",
                key_text(key),
                self.options.zero_delay_limit,
                stage_kube::time::format_nanos(self.clock)
            );
            self.finish(StopReason::ZeroDelayLoop, message);
            return false;
        }
        true
    }

    fn finish(&mut self, reason: StopReason, message: String) {
        let stop = Stop {
            at: Time(self.clock),
            reason,
            message,
        };
        self.timeline.stop = stop.clone();
        self.stopped = Some(stop);
    }

    // ---- watch events ---------------------------------------------------------------

    /// Pre-processes every queued watch event, in order.
    fn drain(&mut self) {
        loop {
            let events = self.store.take_shared_events();
            if events.is_empty() {
                return;
            }
            for event in events {
                self.watch_event(event);
            }
            // Settled objects and the versions of waiting jobs are packed once their
            // events are gone, so that nothing else holds their value any more.
            for key in std::mem::take(&mut self.settled) {
                self.store.pack(&key);
            }
            for key in std::mem::take(&mut self.waiting) {
                self.pack_snapshot(&key);
            }
        }
    }

    /// Keeps the version a pending job waits with packed, shared with the store, when it
    /// is still the stored version and nobody else holds its value.
    fn pack_snapshot(&mut self, key: &ObjectKey) {
        let Some(pending) = self.pending.get_mut(key) else {
            return;
        };
        let snapshot = std::mem::replace(&mut pending.job.snapshot, Snapshot::Live(Rc::default()));
        pending.job.snapshot = match snapshot {
            Snapshot::Live(value) => match self.store.pack_version(key, value) {
                Ok(packed) => Snapshot::Packed(packed),
                Err(value) => Snapshot::Live(value),
            },
            packed => packed,
        };
    }

    fn watch_event(&mut self, event: SharedEvent) {
        let controller = ControllerKind::of(&event.key.api_version, &event.key.kind);
        if event.event_type == WatchEventType::Deleted {
            self.record_deleted(&event.key);
        }
        match controller {
            ControllerKind::Node => self.node_event(event),
            ControllerKind::Pod => self.pod_event(event),
            ControllerKind::Generic => match event.event_type {
                WatchEventType::Deleted => self.cancel(&event.key),
                _ => self.preprocess(&Rc::new(event.key), event.object, false),
            },
        }
    }

    fn cancel(&mut self, key: &ObjectKey) {
        if let Some(old) = self.pending.remove(key) {
            self.record_replaced(key, old.job.stage, "deleted");
        }
    }

    // ---- pre-processing (spec 9.2) ---------------------------------------------------

    fn preprocess(&mut self, key: &Rc<ObjectKey>, object: Rc<Value>, immediate: bool) {
        let Some(stage_indices) = self.by_kind.get(&key.api_version, &key.kind) else {
            return;
        };
        let resource_version = resource_version(&object);
        if let Some(pending) = self.pending.get(key)
            && pending.job.resource_version == resource_version
        {
            return;
        }
        let stages: Vec<&Stage> = stage_indices.iter().map(|&i| &self.stages[i]).collect();
        let full = self.full_for(key);
        let view = ObjectView::new(object.clone());
        let decision = eval::decide(
            &stages,
            &view,
            self.clock,
            &mut self.chance,
            &mut self.fallback,
            full,
        );
        let decision = match decision {
            Decision::Play(play) => play,
            Decision::NoMatch { not_matched } => {
                if !self.pending.contains_key(key) {
                    self.record_settled(key, &object, not_matched);
                    if !self.full() {
                        self.settled.push(key.clone());
                    }
                }
                return;
            }
        };
        let _ = immediate;
        let stage = stage_indices[decision.stage];
        let at = self.clock.saturating_add(decision.delay.ns.max(0));
        let seq = self.next_seq();
        let job = Job {
            key: key.clone(),
            snapshot: Snapshot::Live(object),
            resource_version,
            stage,
            matched_at: self.clock,
            candidates: decision.candidates,
            weight: decision.weight,
            delay: decision.delay,
            not_matched: decision.not_matched,
        };
        let job = Box::new(job);
        if let Some(old) = self.pending.insert(key.clone(), Pending { seq, job }) {
            self.record_replaced(key, old.job.stage, "newer version");
        }
        if !self.full() && at > self.clock {
            self.waiting.push(key.clone());
        }
        self.queue.push(Reverse(Queued {
            at,
            seq,
            item: Item::Job(key.clone()),
        }));
    }

    // ---- user actions ---------------------------------------------------------------

    fn user_action(&mut self, timed: TimedAction) {
        let now = self.clock;
        let (key, name, outcome) = match timed.action {
            Action::Create(object) => {
                let key = object_key(&object);
                let result = self.store.create(object, now).map(|stored| {
                    if let Some(key) = &key {
                        self.record_created(key, &stored);
                    }
                });
                (key, "create", result)
            }
            Action::Delete {
                key,
                grace_period_seconds,
            } => {
                let result = self
                    .store
                    .delete(&key, grace_period_seconds, now)
                    .map(|_| ());
                (Some(key), "delete", result)
            }
            Action::Edit { key, patch } => {
                let result = self.edit(&key, patch, now);
                (Some(key), "edit", result)
            }
            Action::Replace(object) => {
                let key = object_key(&object);
                let result = self.store.update(object, now).map(|_| ());
                (key, "replace", result)
            }
        };
        self.record_user(now, key.as_ref(), name, outcome.err());
    }

    /// A merge patch from the user: `status` goes to the status subresource (as
    /// `kubectl edit --subresource=status` would), the rest to the object.
    fn edit(
        &mut self,
        key: &ObjectKey,
        patch: Value,
        now: Nanos,
    ) -> Result<(), stage_kube::ApiError> {
        let Value::Object(mut fields) = patch else {
            return self
                .store
                .patch(key, PatchType::Merge, &patch, None, now)
                .map(|_| ());
        };
        let status = fields.remove("status");
        if !fields.is_empty() {
            self.store
                .patch(key, PatchType::Merge, &Value::Object(fields), None, now)?;
        }
        if let Some(status) = status {
            let body = serde_json::json!({ "status": status });
            self.store
                .patch(key, PatchType::Merge, &body, Some("status"), now)?;
        }
        Ok(())
    }

    // ---- recording ------------------------------------------------------------------

    fn record_created(&mut self, key: &ObjectKey, stored: &Value) {
        let object = self.full_for(key).then(|| stored.clone());
        self.timeline.entries.push(Entry::Created(ObjectEntry {
            at: Time(self.clock),
            key: key_text(key),
            object,
        }));
    }

    /// A user action and, when the API server took it, the version it left: read before
    /// its watch events are handled, so that no play has written over it yet.
    fn record_user(
        &mut self,
        at: Nanos,
        key: Option<&ObjectKey>,
        action: &str,
        error: Option<stage_kube::ApiError>,
    ) {
        let object = match (key, &error) {
            (Some(key), None) if self.full_for(key) => self.store.get(key).cloned(),
            _ => None,
        };
        self.timeline.entries.push(Entry::User(Box::new(UserEntry {
            at: Time(at),
            key: key.map(key_text).unwrap_or_default(),
            action: action.to_string(),
            error: error.map(|error| error.to_string()),
            object,
        })));
    }

    fn record_deleted(&mut self, key: &ObjectKey) {
        self.timeline.entries.push(Entry::Deleted(ObjectEntry {
            at: Time(self.clock),
            key: key_text(key),
            object: None,
        }));
    }

    fn record_settled(&mut self, key: &ObjectKey, object: &Value, not_matched: Vec<NotMatched>) {
        let full = self.full_for(key);
        self.timeline.entries.push(Entry::Settled(Settled {
            at: Time(self.clock),
            key: key_text(key),
            not_matched: if full { not_matched } else { Vec::new() },
            object: full.then(|| object.clone()),
        }));
    }

    fn record_replaced(&mut self, key: &ObjectKey, stage: usize, reason: &str) {
        self.timeline.entries.push(Entry::Replaced(Replaced {
            at: Time(self.clock),
            key: key_text(key),
            stage: self.stages[stage].name.clone(),
            reason: reason.to_string(),
        }));
    }
}

fn resource_version(object: &Value) -> String {
    field(object, "/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}
