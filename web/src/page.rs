//! The page's state: one struct of signals that every part of the page reads and sets.
//!
//! [`Page`] is `Copy`, so components take it by value. It holds the inputs (the editors'
//! text, the settings, the user's actions), the last answer of the engine (timeline or
//! problems) and the view state (cursor, selection). It knows nothing of how a run is sent
//! to the engine; that is [`crate::run`]'s work.

use std::sync::Arc;

use leptos::prelude::*;
use stage_engine::scenario::UserAction;
use stage_engine::timeline::Timeline;

use crate::details::Details;
use crate::glue::{FullKey, Op, Problem, Request, Settings};
use crate::lanes::{self, Lanes};
use crate::playback::Cursor;
use crate::presets;

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    /// A run is under way since this `performance.now()`.
    Running {
        since_ms: f64,
    },
    Ran {
        plays: usize,
        stop: String,
        /// How long the engine took, from the request to its answer; None for the first
        /// visit's run, which was made when the page was built.
        took_ms: Option<f64>,
    },
    /// The input did not load; this many problems.
    Rejected(usize),
    /// The run was ended before it answered: by the Stop button or the time budget.
    Stopped(String),
    Failed(String),
}

/// The page's state. Every field is a signal, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct Page {
    /// The Stages editor's text.
    pub stages: RwSignal<String>,
    /// The objects editor's text.
    pub objects: RwSignal<String>,
    pub settings: RwSignal<Settings>,
    /// The user's actions at virtual times, in the order they were added.
    pub actions: RwSignal<Vec<UserAction>>,

    /// The problems of the last answer (errors, or warnings of a run that loaded).
    pub problems: RwSignal<Vec<Problem>>,
    /// The last timeline the engine simulated, a summary.
    pub timeline: RwSignal<Option<Arc<Timeline>>>,
    /// The full keys of the objects of that run, which its summary does not record.
    pub keys: RwSignal<Arc<Vec<FullKey>>>,
    /// The plays of the objects selected in that run, in full detail.
    pub details: RwSignal<Details>,
    /// The request `timeline` answers; the result is stale when the inputs differ from it.
    pub shown: RwSignal<Option<Request>>,
    pub lanes: Memo<Option<Arc<Lanes>>>,
    pub status: RwSignal<Status>,

    pub cursor: RwSignal<Cursor>,
    /// The id of the animation loop that moves the cursor while playing; starting a loop
    /// ends the one before it.
    pub frames: StoredValue<u64>,
    /// The time of the last marker (on any lane) at or before the cursor. It changes far
    /// less often than the cursor, so views that follow plays, not frames, read this.
    pub reached_ms: Memo<Option<i64>>,
    /// The selected play, as its index in the timeline's entries.
    pub selected: RwSignal<Option<usize>>,
    /// The selected object's key (`Kind/namespace/name`), the target of actions.
    pub object: RwSignal<Option<String>>,
    /// The play the inspector shows, as its index in the timeline's entries: the selected
    /// object's play at the cursor (see [`Lanes::inspected`]). The timeline rings the same
    /// one, so the two never name different plays.
    pub inspected: Memo<Option<usize>>,
}

impl Page {
    /// A page showing `scenario`'s inputs, with no answer yet.
    pub fn new(scenario: Request) -> Page {
        let timeline = RwSignal::new(None::<Arc<Timeline>>);
        let keys = RwSignal::new(Arc::new(Vec::new()));
        // A new run keeps the colours of the Stages the shown one had.
        let lanes = Memo::new(move |shown: Option<&Option<Arc<lanes::Lanes>>>| {
            let known = shown
                .and_then(Option::as_ref)
                .map(|lanes| lanes.stages.clone())
                .unwrap_or_default();
            timeline.get().map(|t| {
                let mut lanes = lanes::layout_after(&t, known);
                keys.with(|keys| lanes.know_keys(keys));
                Arc::new(lanes)
            })
        });
        let cursor = RwSignal::new(Cursor::default());
        // The last marker time reached stands for the cursor: no play lies between them, and
        // it changes far less often while playing.
        let reached_ms = Memo::new(move |_| {
            let at = cursor.get().at_ms();
            lanes.with(|l| {
                let l = l.as_ref()?;
                let index = l.times.partition_point(|&t| t <= at);
                index.checked_sub(1).map(|i| l.times[i])
            })
        });
        let selected = RwSignal::new(None);
        let object = RwSignal::new(None::<String>);
        let inspected = Memo::new(move |_| {
            let at = reached_ms.get().unwrap_or(-1);
            let clicked = selected.get();
            object.with(|object| {
                lanes.with(|l| l.as_ref()?.inspected(object.as_deref(), clicked, at))
            })
        });
        Page {
            stages: RwSignal::new(scenario.stages),
            objects: RwSignal::new(scenario.objects),
            settings: RwSignal::new(scenario.settings),
            actions: RwSignal::new(scenario.actions),
            problems: RwSignal::new(Vec::new()),
            timeline,
            keys,
            details: RwSignal::new(Details::default()),
            shown: RwSignal::new(None),
            lanes,
            status: RwSignal::new(Status::Idle),
            cursor,
            frames: StoredValue::new(0),
            reached_ms,
            selected,
            object,
            inspected,
        }
    }

    /// The inputs as a request to the engine (read without tracking).
    pub fn request(self, op: Op) -> Request {
        Request {
            op,
            stages: self.stages.get_untracked(),
            objects: self.objects.get_untracked(),
            settings: self.settings.get_untracked(),
            actions: self.actions.get_untracked(),
            focus: None,
        }
    }

    /// Replaces the inputs with those of `scenario` (a preset, an import, a shared link).
    pub fn load(self, scenario: Request) {
        self.stages.set(scenario.stages);
        self.objects.set(scenario.objects);
        self.settings.set(scenario.settings);
        self.actions.set(scenario.actions);
    }

    /// Runs `changed` after each change of the inputs (Stages, objects, settings, actions),
    /// and `first` once, at once, in place of the first call.
    pub fn inputs_changed(self, first: impl FnOnce() + 'static, changed: impl Fn() + 'static) {
        let first = StoredValue::new_local(Some(first));
        Effect::new(move |_| {
            self.stages.track();
            self.objects.track();
            self.settings.track();
            self.actions.track();
            match first.try_update_value(Option::take).flatten() {
                Some(first) => first(),
                None => changed(),
            }
        });
    }

    /// True while the inputs differ from those the shown timeline was simulated from.
    pub fn stale(self) -> bool {
        self.shown.with(|shown| match shown {
            None => false,
            Some(shown) => {
                self.stages.with(|s| *s != shown.stages)
                    || self.objects.with(|o| *o != shown.objects)
                    || self.settings.with(|s| *s != shown.settings)
                    || self.actions.with(|a| *a != shown.actions)
            }
        })
    }
}

pub fn default_settings() -> Settings {
    crate::glue::default_settings(presets::HORIZON_MS, presets::MAX_PLAYS)
}

/// The lanes of the current answer, for components that need them.
pub type SharedLanes = Memo<Option<Arc<Lanes>>>;
