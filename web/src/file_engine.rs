//! The engine for the page's files: exports and the files a user opens, sent to a worker of
//! their own, so that they neither wait behind a run nor end with one (Stop, the budget, a
//! newer run), and a run's budget never counts their time.
//!
//! Every open is answered, as each drop or pick brings files of its own; an export replaces
//! an older one still waiting, whose answer is no longer wanted. A request that keeps the
//! worker busy longer than [`BUDGET`] after the answer before it ends the worker, and every
//! request waiting is answered with that failure. The worker is ended too once nothing
//! waits: it holds a second engine instance with the memory of its largest export, and a
//! new one starts quickly from the page's compiled engine module. What a request is made of
//! and what its answer becomes are [`crate::transfer`]'s; runs are [`crate::run::Engine`]'s.

use leptos::prelude::*;

use crate::glue::{FileRequest, Response};
use crate::run::{BUDGET, Timer};
use crate::worker::Runner;

/// The engine for the page's files. `Copy`, like the page.
#[derive(Clone, Copy)]
pub struct FileEngine {
    runner: StoredValue<Runner, LocalStorage>,
    /// The requests still waiting for their answers, in the order they were sent.
    waiting: StoredValue<Vec<Waiting>, LocalStorage>,
    /// The number of the next request, which tells its answer from a stale one's.
    next: StoredValue<u64>,
    budget: Timer,
}

/// What the page does with the answer to a file request, or with why there is none.
type FileDone = Box<dyn FnOnce(Result<Response, String>)>;

struct Waiting {
    number: u64,
    /// Whether the request is an export, which a newer export makes stale.
    export: bool,
    done: FileDone,
}

impl FileEngine {
    /// A file engine with no worker yet: the first request starts it.
    pub fn new() -> FileEngine {
        FileEngine {
            runner: StoredValue::new_local(Runner::default()),
            waiting: StoredValue::new_local(Vec::new()),
            next: StoredValue::new(0),
            budget: Timer::new(),
        }
    }

    /// Sends `request` and hands its answer to `done`; an export's answer is dropped when a
    /// newer export is sent before it comes.
    pub fn ask(self, request: &FileRequest, done: impl FnOnce(Result<Response, String>) + 'static) {
        let json = match serde_json::to_string(request) {
            Ok(json) => json,
            Err(error) => return done(Err(format!("the request could not be written: {error}"))),
        };
        let number = self.next.get_value();
        self.next.set_value(number + 1);
        let export = matches!(request, FileRequest::Export(_));
        self.waiting.update_value(|waiting| {
            if export {
                waiting.retain(|older| !older.export);
            }
            waiting.push(Waiting {
                number,
                export,
                done: Box::new(done),
            });
        });
        if !self.budget.is_started() {
            self.arm_budget();
        }

        let engine = self;
        self.runner.with_value(|runner| {
            runner.run(json, move |answer| engine.answered(number, answer));
        });
    }

    /// Takes the worker's answer to request `number`, which a newer export may have made
    /// stale.
    fn answered(self, number: u64, answer: Result<String, String>) {
        let done = self
            .waiting
            .try_update_value(|waiting| {
                let at = waiting.iter().position(|one| one.number == number)?;
                Some(waiting.remove(at).done)
            })
            .flatten();
        let text = match answer {
            Ok(text) => text,
            Err(failure) => {
                // The engine failed in the worker, which does not survive that, whether or
                // not the request is still wanted.
                let why = format!("the engine failed: {failure}");
                if let Some(done) = done {
                    done(Err(why.clone()));
                }
                return self.end_worker(&why);
            }
        };
        // The worker is done with a request: the next one has a budget of its own.
        self.budget.cancel();
        if self.is_waiting() {
            self.arm_budget();
        }
        if let Some(done) = done {
            done(
                serde_json::from_str(&text)
                    .map_err(|error| format!("the engine's answer could not be read: {error}")),
            );
        }
        // Checked after `done`, which may have sent another request.
        if !self.is_waiting() {
            self.stop_worker();
        }
    }

    fn is_waiting(self) -> bool {
        self.waiting.with_value(|waiting| !waiting.is_empty())
    }

    /// Ends the worker, answering every request still waiting with `why`.
    fn end_worker(self, why: &str) {
        self.budget.cancel();
        self.stop_worker();
        let waiting = self
            .waiting
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for one in waiting {
            (one.done)(Err(why.to_string()));
        }
    }

    /// Terminates the worker and whatever it was doing, with no new worker until the next
    /// request: the answers of what it had are dropped uncalled.
    fn stop_worker(self) {
        self.runner.set_value(Runner::default());
    }

    fn arm_budget(self) {
        let engine = self;
        self.budget.start(BUDGET, move || {
            engine.end_worker(&format!(
                "it took longer than the {} s budget",
                BUDGET.as_secs()
            ));
        });
    }
}

impl Default for FileEngine {
    fn default() -> FileEngine {
        FileEngine::new()
    }
}
