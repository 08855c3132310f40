//! Sending the page's inputs to the engine and taking its answer into the [`Page`].
//!
//! [`Engine`] owns the worker ([`Runner`]) and the bookkeeping around it: of each kind of
//! request only the newest answer is shown, a run that outlasts the time budget or that the
//! Stop button ends terminates the worker (the next request starts a fresh one), and a new
//! run replaces one still under way. Edits simulate once typing pauses; Stop also cancels
//! such a run that has not started yet, as a field left by clicking Stop commits its edit
//! just before the click. A run answers with a summary; the selected object's full records
//! are asked for with [`Engine::focus`] and kept in the page's [`crate::details::Details`].
//! The drawing of the answer is left to the components.
//!
//! The page's files (exports and opened files) go to the engine through [`FileEngine`], on
//! a worker of their own, so that they never disturb a run; [`Timer`] is the budget and
//! pause timer both use.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use stage_engine::timeline::{StopReason, Timeline};

use crate::details::{Details, Focus};
use crate::glue::{self, Explanation, FullKey, Op, Request, Response};
use crate::page::{Page, Status};
use crate::playback::{self, Cursor};
use crate::worker::Runner;

/// How long a run may take, in real time, before the page ends it.
pub const BUDGET: Duration = Duration::from_secs(10);

/// Why a run whose answer holds no timeline failed.
const NO_TIMELINE: &str = "The engine answered the run with something other than a timeline.";

/// How long typing must pause before the engine simulates the text again.
const EDIT_PAUSE: Duration = Duration::from_millis(400);

/// The engine as the page uses it. `Copy`, like the page.
#[derive(Clone, Copy)]
pub struct Engine {
    page: Page,
    runner: StoredValue<Runner, LocalStorage>,
    // One counter per kind of request: a check sent while a run is under way must not make
    // the page drop the run's answer.
    generation: StoredValue<Generations>,
    budget: Timer,
    /// The run an edit asked for, waiting for typing to pause.
    after_pause: Timer,
}

impl Engine {
    pub fn new(page: Page) -> Engine {
        Engine {
            page,
            runner: StoredValue::new_local(Runner::default()),
            generation: StoredValue::new(Generations::default()),
            budget: Timer::new(),
            after_pause: Timer::new(),
        }
    }

    /// Simulates the inputs once typing has paused; each call starts the pause again.
    pub fn run_after_pause(self) {
        let engine = self;
        self.after_pause
            .start(EDIT_PAUSE, move || engine.send(Op::Run));
    }

    fn cancel_pending_run(self) {
        self.after_pause.cancel();
    }

    /// Sends the page's inputs; `Run` also simulates them.
    pub fn send(self, op: Op) {
        if op == Op::Run {
            self.cancel_pending_run();
        }
        let request = self.page.request(op);
        let Ok(json) = serde_json::to_string(&request) else {
            return;
        };
        let mine = self.next_generation(op);

        let started = now_ms();
        let recorded = crate::first_visit::answer(&json).is_some();
        if op == Op::Run {
            // A run still under way is for inputs that are gone, and so are the records
            // being fetched for the shown run: end them rather than queue behind them.
            let running = matches!(self.page.status.get_untracked(), Status::Running { .. });
            if running || self.page.details.with_untracked(Details::is_asking) {
                self.restart_worker();
            }
            self.page.status.set(Status::Running { since_ms: started });
            self.arm_budget(mine);
        }

        let engine = self;
        self.runner.with_value(|runner| {
            runner.run(json, move |answer| {
                if engine.generation.get_value().of(op) != mine {
                    return;
                }
                if op == Op::Run {
                    engine.disarm_budget();
                }
                // The first visit's run was answered from its recording: no engine ran now.
                let took_ms = (!recorded).then(|| now_ms() - started);
                match answer {
                    Ok(text) => match serde_json::from_str::<Response>(&text) {
                        Ok(response) => engine.take(request, response, took_ms),
                        Err(error) => engine.page.status.set(Status::Failed(format!(
                            "The engine's answer could not be read: {error}"
                        ))),
                    },
                    Err(failure) => {
                        engine.restart_worker();
                        engine
                            .page
                            .status
                            .set(Status::Failed(format!("The engine failed: {failure}")));
                    }
                }
            });
        });
    }

    /// Asks how every Stage of the object's kind matches `object` (a version from the shown
    /// run, matched against the Stages that run used) and hands the answer to `done`. Only
    /// the newest question is answered.
    pub fn explain(
        self,
        object: &serde_json::Value,
        done: impl FnOnce(Vec<Explanation>) + 'static,
    ) {
        let Some(shown) = self.page.shown.get_untracked() else {
            return;
        };
        let request = Request {
            op: Op::Explain,
            objects: object.to_string(),
            ..shown
        };
        let Ok(json) = serde_json::to_string(&request) else {
            return;
        };
        let mine = self.next_generation(Op::Explain);
        let engine = self;
        self.runner.with_value(|runner| {
            runner.run(json, move |answer| {
                if engine.generation.get_value().of(Op::Explain) != mine {
                    return;
                }
                if let Ok(Response::Explained { stages }) = answer
                    .as_deref()
                    .map_err(|_| ())
                    .and_then(|text| serde_json::from_str(text).map_err(|_| ()))
                {
                    done(stages);
                }
            });
        });
    }

    /// Asks for the plays of the object `key` of the shown run in full detail, with what
    /// the user's actions left of it, and keeps them in the page's details when they come
    /// (unless another run is shown by then).
    pub fn focus(self, key: &str) {
        let page = self.page;
        let Some(shown) = page.shown.get_untracked() else {
            return;
        };
        let run = page.details.with_untracked(|details| details.run);
        let full_key = page.lanes.with_untracked(|lanes| {
            let lanes = lanes.as_ref()?;
            let mut all = lanes.groups.iter().flat_map(|group| &group.lanes);
            all.find(|lane| lane.key == key)?.object.clone()
        });
        let plays = page
            .timeline
            .with_untracked(|timeline| glue::focus_bound(timeline.as_ref()?, key));
        let Some(full_key) = full_key else {
            page.details.update(|details| {
                let why = format!("The run recorded no version of {key}.");
                details.answered(run, key, Err(why));
            });
            return;
        };
        let request = shown.focus_on(FullKey::of(&full_key), plays);
        let json = match serde_json::to_string(&request) {
            Ok(json) => json,
            Err(error) => {
                let why = format!("the request could not be written: {error}");
                page.details
                    .update(|details| details.answered(run, key, Err(why)));
                return;
            }
        };
        page.details.update(|details| details.asking(key));

        let mine = self.next_generation(Op::Focus);
        let engine = self;
        let key = key.to_string();
        self.runner.with_value(|runner| {
            runner.run(json, move |answer| {
                if engine.generation.get_value().of(Op::Focus) != mine {
                    return;
                }
                if answer.is_err() {
                    // The engine failed in the worker, which does not survive that.
                    engine.restart_worker();
                }
                let records = answer.and_then(|text| match serde_json::from_str(&text) {
                    Ok(Response::Focused { plays, records, .. }) => Ok(Focus::new(plays, records)),
                    Ok(_) => Err("The engine did not answer with the object's plays.".into()),
                    Err(error) => Err(format!("The engine's answer could not be read: {error}")),
                });
                page.details
                    .update(|details| details.answered(run, &key, records));
            });
        });
    }

    /// Ends the run under way, if any: the worker is terminated and its answer never shown.
    /// A fetch of an object's records under way is ended too; it has no budget, and on a
    /// large run it can keep the worker busy for seconds.
    pub fn stop(self) {
        self.cancel_pending_run();
        self.end_run(|took| {
            format!("Stopped after {took}; the timeline shown is the previous run's.")
        });
        self.stop_focus();
    }

    /// Ends the fetch of an object's records under way, if any. The object's records stand
    /// as stopped for the shown run, so that they are not asked for again at once.
    pub fn stop_focus(self) {
        if !self.page.details.with_untracked(Details::is_asking) {
            return;
        }
        self.next_generation(Op::Focus);
        self.runner.with_value(Runner::restart);
        self.page
            .details
            .update(|details| details.stopped("the fetch was stopped"));
    }

    /// True while a run is under way.
    pub fn running(self) -> bool {
        matches!(self.page.status.get(), Status::Running { .. })
    }

    /// Counts one more request of `op`, which makes the earlier ones' answers stale, and
    /// returns the new count.
    fn next_generation(self, op: Op) -> u64 {
        let mut generations = self.generation.get_value();
        *generations.of_mut(op) += 1;
        self.generation.set_value(generations);
        generations.of(op)
    }

    fn end_run(self, why: impl FnOnce(String) -> String) {
        let Status::Running { since_ms } = self.page.status.get_untracked() else {
            return;
        };
        self.next_generation(Op::Run);
        self.disarm_budget();
        self.restart_worker();
        let took = seconds(now_ms() - since_ms);
        self.page.status.set(Status::Stopped(why(took)));
    }

    /// Ends the worker and whatever it was doing; the records it was fetching are asked
    /// for again when still wanted.
    fn restart_worker(self) {
        self.runner.with_value(Runner::restart);
        self.page.details.update(Details::abandon);
    }

    fn arm_budget(self, generation: u64) {
        let engine = self;
        self.budget.start(BUDGET, move || {
            if engine.generation.get_value().of(Op::Run) == generation {
                engine.end_run(|_| {
                    format!(
                        "Stopped: the run took longer than the {} s budget. Lower the horizon or the most plays, or look for Stages that keep matching.",
                        BUDGET.as_secs()
                    )
                });
            }
        });
    }

    fn disarm_budget(self) {
        self.budget.cancel();
    }

    /// Takes an answer into the page.
    fn take(self, request: Request, response: Response, took_ms: Option<f64>) {
        let page = self.page;
        match response {
            Response::Ok {
                timeline: Some(ran),
                objects,
                warnings,
            } => {
                page.problems.set(warnings);
                let plays = ran.plays().count();
                let stop = stop_text(&ran);
                let ran: Arc<Timeline> = Arc::from(ran);
                // Keep the cursor where it still exists on the new axis.
                let end_ms = crate::lanes::layout(&ran).end_ms;
                page.cursor.update(|c| {
                    *c = Cursor {
                        playing: false,
                        ..c.seek(c.at_ms(), end_ms)
                    }
                });
                page.selected.set(None);
                page.details.update(|details| *details = details.next_run());
                page.keys.set(Arc::new(objects));
                page.timeline.set(Some(ran));
                page.shown.set(Some(request));
                page.status.set(Status::Ran {
                    plays,
                    stop,
                    took_ms,
                });
            }
            Response::Ok {
                timeline: None,
                warnings,
                ..
            } => {
                page.problems.set(warnings);
                if request.op == Op::Run {
                    page.status.set(Status::Failed(NO_TIMELINE.to_string()));
                } else if matches!(page.status.get_untracked(), Status::Rejected(_)) {
                    page.status.set(Status::Idle);
                }
            }
            // Explanations and records are asked for and taken by [`Engine::explain`] and
            // [`Engine::focus`], the answers about files by [`FileEngine`]'s callers: as a
            // run's answer, any of them leaves the run with no timeline.
            Response::Explained { .. }
            | Response::Focused { .. }
            | Response::Exported { .. }
            | Response::Opened { .. }
            | Response::Failed { .. } => {
                if request.op == Op::Run {
                    page.status.set(Status::Failed(NO_TIMELINE.to_string()));
                }
            }
            Response::Rejected { problems } => {
                if request.op == Op::Run
                    || !matches!(page.status.get_untracked(), Status::Running { .. })
                {
                    page.status.set(Status::Rejected(problems.len()));
                }
                page.problems.set(problems);
            }
        }
    }
}

/// A timer that calls back once, after a while, unless it is cancelled or started again
/// first: a request's budget, or the pause typing must make. `Copy`, like the page.
#[derive(Clone, Copy)]
pub struct Timer {
    handle: StoredValue<Option<TimeoutHandle>>,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            handle: StoredValue::new(None),
        }
    }

    /// Calls `then` after `after`, in place of the call the timer was waiting to make.
    pub fn start(self, after: Duration, then: impl FnOnce() + 'static) {
        self.cancel();
        let timer = self;
        let handle = set_timeout_with_handle(
            move || {
                timer.handle.set_value(None);
                then();
            },
            after,
        );
        self.handle.set_value(handle.ok());
    }

    /// Drops the call the timer was waiting to make, if any.
    pub fn cancel(self) {
        self.handle.update_value(|handle| {
            if let Some(handle) = handle.take() {
                handle.clear();
            }
        });
    }

    /// Whether the timer is waiting to call back.
    pub fn is_started(self) -> bool {
        self.handle.with_value(Option::is_some)
    }
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}

/// How many requests of each op were sent; an answer is taken only while its op's count
/// is still the one it was sent with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Generations {
    run: u64,
    check: u64,
    explain: u64,
    focus: u64,
}

impl Generations {
    fn of(self, op: Op) -> u64 {
        match op {
            Op::Run => self.run,
            Op::Check => self.check,
            Op::Explain => self.explain,
            Op::Focus => self.focus,
        }
    }

    fn of_mut(&mut self, op: Op) -> &mut u64 {
        match op {
            Op::Run => &mut self.run,
            Op::Check => &mut self.check,
            Op::Explain => &mut self.explain,
            Op::Focus => &mut self.focus,
        }
    }
}

/// Why and when a run ended, in words.
pub fn stop_text(timeline: &Timeline) -> String {
    let start = stage_kube::time::parse_rfc3339(&timeline.start).unwrap_or_default();
    let at = playback::clock((timeline.stop.at.0 - start) / 1_000_000);
    let why = match timeline.stop.reason {
        StopReason::Settled => "settled",
        StopReason::Horizon => "reached the horizon",
        StopReason::MaxPlays => "reached the most plays",
        StopReason::ZeroDelayLoop => "stopped a zero-delay loop",
    };
    format!("{why} at {at}")
}

/// Whether a run ended on a bound of the page rather than on its own: the play bound or a
/// zero-delay loop. A run that settled or reached its horizon is complete for its settings.
pub fn cut_short(timeline: &Timeline) -> bool {
    matches!(
        timeline.stop.reason,
        StopReason::MaxPlays | StopReason::ZeroDelayLoop
    )
}

fn seconds(ms: f64) -> String {
    format!("{:.1} s", ms / 1000.0)
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_answered_without_a_timeline_fails_at_once() {
        let answers = [
            Response::Ok {
                timeline: None,
                objects: Vec::new(),
                warnings: Vec::new(),
            },
            Response::Opened { files: Vec::new() },
            Response::Failed {
                message: "stages:1:1: no".into(),
            },
        ];
        for answer in answers {
            let request = crate::presets::default_scenario();
            let engine = Engine::new(Page::new(request.clone()));
            engine.page.status.set(Status::Running { since_ms: 0.0 });
            engine.take(request, answer.clone(), Some(1.0));
            assert_eq!(
                engine.page.status.get_untracked(),
                Status::Failed(NO_TIMELINE.into()),
                "{answer:?}"
            );
        }
    }

    #[test]
    fn each_op_counts_its_own_requests() {
        let mut generations = Generations::default();
        *generations.of_mut(Op::Run) += 1;
        *generations.of_mut(Op::Check) += 1;
        *generations.of_mut(Op::Check) += 1;
        let counts = [Op::Run, Op::Check, Op::Explain].map(|op| generations.of(op));
        assert_eq!(counts, [1, 2, 0]);
    }
}
