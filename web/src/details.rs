//! The selected object's plays in full detail, fetched when it is selected.
//!
//! A run answers with a summary, which is all the timeline needs. The inspector also shows
//! the object's versions, the requests its Stages made, why the other Stages did not match,
//! what the user's actions left of it and, before its first play, the object as it was
//! created and why no Stage matched it; [`Details`] keeps those per object for the shown
//! run, as the engine's `focus` answers bring them, and forgets them all when another run
//! is shown. The asking itself
//! is [`crate::run::Engine::focus`]'s; [`follow_selection`] decides when to ask.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use stage_engine::timeline::{Entry, NotMatched, Play};

use crate::glue::{FocusedAction, FocusedPlay, FocusedRecord};
use crate::page::{Page, Status};
use crate::run::Engine;

/// The full records fetched for the shown run, by object key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    /// Counts the runs shown; an answer for an earlier one is dropped.
    pub run: u64,
    by_key: HashMap<String, Fetch>,
    /// The key whose records are being fetched; one at a time, so that moving through many
    /// objects of a large run does not queue a run per object in the worker.
    asking: Option<String>,
}

/// Where the records of one object stand.
#[derive(Clone, Debug, PartialEq)]
pub enum Fetch {
    Ready(Arc<Focus>),
    Failed(String),
}

/// One object's plays in full detail, the user's actions on it, its creation and the
/// versions of it that matched no Stage, each with its place in the timeline's entries and
/// in timeline order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus {
    plays: Vec<FocusedPlay>,
    records: Vec<FocusedRecord>,
}

impl Focus {
    pub fn new(plays: Vec<FocusedPlay>, records: Vec<FocusedRecord>) -> Focus {
        Focus { plays, records }
    }

    /// The play at `entry` (its index in the timeline's entries).
    pub fn get(&self, entry: usize) -> Option<&Play> {
        // One object has few plays (a node's heartbeats are the most), so a walk is enough.
        let focused = self.plays.iter().find(|focused| focused.entry == entry)?;
        Some(&focused.play)
    }

    /// The user's action at `entry`.
    pub fn action(&self, entry: usize) -> Option<&FocusedAction> {
        self.records.iter().find_map(|record| match record {
            FocusedRecord::Action(action) if action.entry == entry => Some(action),
            _ => None,
        })
    }

    /// The version the object entered the store as at `entry`.
    pub fn created(&self, at_entry: usize) -> Option<&serde_json::Value> {
        self.records.iter().find_map(|record| match record {
            FocusedRecord::Created { entry, object } if *entry == at_entry => Some(object),
            _ => None,
        })
    }

    /// Why each Stage did not match the version that settled at `entry`.
    pub fn not_matched(&self, at_entry: usize) -> Option<&[NotMatched]> {
        self.records.iter().find_map(|record| match record {
            FocusedRecord::Settled {
                entry, not_matched, ..
            } if *entry == at_entry => Some(not_matched.as_slice()),
            _ => None,
        })
    }
}

impl Details {
    /// Empty records for the next run shown.
    pub fn next_run(&self) -> Details {
        Details {
            run: self.run + 1,
            ..Details::default()
        }
    }

    /// The full record of the play at `entry`, when the object's records are here.
    pub fn play(&self, key: &str, entry: usize) -> Option<&Play> {
        match self.by_key.get(key)? {
            Fetch::Ready(plays) => plays.get(entry),
            Fetch::Failed(_) => None,
        }
    }

    pub fn fetch(&self, key: &str) -> Option<&Fetch> {
        self.by_key.get(key)
    }

    /// Whether `key`'s records should be asked for now: none are here and no other
    /// question is under way.
    pub fn wants(&self, key: &str) -> bool {
        self.asking.is_none() && !self.by_key.contains_key(key)
    }

    pub fn is_asking(&self) -> bool {
        self.asking.is_some()
    }

    pub fn asking(&mut self, key: &str) {
        self.asking = Some(key.to_string());
    }

    /// Takes the answer for `key` of run `run`; an answer for another run is dropped.
    pub fn answered(&mut self, run: u64, key: &str, answer: Result<Focus, String>) {
        if run != self.run {
            return;
        }
        if self.asking.as_deref() == Some(key) {
            self.asking = None;
        }
        let fetch = match answer {
            Ok(focus) => Fetch::Ready(Arc::new(focus)),
            Err(why) => Fetch::Failed(why),
        };
        self.by_key.insert(key.to_string(), fetch);
    }

    /// Forgets the question under way (its worker was ended), so that it is asked again.
    pub fn abandon(&mut self) {
        self.asking = None;
    }

    /// Ends the question under way on the reader's request: its object's records stand as
    /// failed for `why`, so that they are not asked again at once.
    pub fn stopped(&mut self, why: &str) {
        if let Some(key) = self.asking.take() {
            self.by_key.insert(key, Fetch::Failed(why.to_string()));
        }
    }
}

/// The key of the object the inspector shows: the selected object, or the owner of the
/// selected play.
pub fn selected_key(page: Page) -> Option<String> {
    page.object.get().or_else(|| {
        let entry = page.selected.get()?;
        page.timeline
            .with(|t| match t.as_ref()?.entries.get(entry)? {
                Entry::Play(play) => Some(play.key.clone()),
                _ => None,
            })
    })
}

/// Asks for the selected object's records whenever the selection, the run or the records
/// change and they are missing. Not while a run is under way: its answer replaces the
/// shown run, whose records would come too late.
pub fn follow_selection(page: Page, engine: Engine) {
    Effect::new(move |_| {
        if matches!(page.status.get(), Status::Running { .. }) {
            return;
        }
        let Some(key) = selected_key(page) else {
            return;
        };
        if page.details.with(|details| details.wants(&key)) {
            engine.focus(&key);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn focused(entry: usize, stage: &str) -> Focus {
        let play = FocusedPlay {
            entry,
            play: Play {
                stage: stage.into(),
                ..Play::default()
            },
        };
        Focus::new(vec![play], Vec::new())
    }

    #[test]
    fn an_answer_is_kept_for_its_key_and_run_only() {
        let mut details = Details::default().next_run();
        assert!(details.wants("Pod/a"));
        details.asking("Pod/a");
        assert!(!details.wants("Pod/b"), "one question at a time");

        details.answered(details.run - 1, "Pod/a", Ok(focused(3, "old")));
        assert!(
            details.play("Pod/a", 3).is_none(),
            "an earlier run's answer is dropped"
        );
        assert!(!details.wants("Pod/a"), "the question is still under way");

        details.answered(details.run, "Pod/a", Ok(focused(3, "pod-ready")));
        assert_eq!(
            details.play("Pod/a", 3).map(|p| p.stage.as_str()),
            Some("pod-ready")
        );
        assert!(details.play("Pod/b", 3).is_none());
        assert!(details.wants("Pod/b"));
        assert!(!details.wants("Pod/a"));

        let next = details.next_run();
        assert!(
            next.play("Pod/a", 3).is_none(),
            "a new run forgets the records"
        );
        assert!(next.wants("Pod/a"));
    }

    #[test]
    fn an_abandoned_question_is_asked_again_and_a_failure_is_kept() {
        let mut details = Details::default();
        details.asking("Pod/a");
        details.abandon();
        assert!(details.wants("Pod/a"));

        details.answered(details.run, "Pod/a", Err("the engine stopped".into()));
        assert_eq!(
            details.fetch("Pod/a"),
            Some(&Fetch::Failed("the engine stopped".into()))
        );
        assert!(
            !details.wants("Pod/a"),
            "a failure is not asked again in a loop"
        );
    }

    #[test]
    fn a_stopped_question_is_a_failure_and_frees_the_asking() {
        let mut details = Details::default();
        details.stopped("nothing was asked");
        assert_eq!(details.fetch("Pod/a"), None);

        details.asking("Pod/a");
        details.stopped("it was stopped");
        assert_eq!(
            details.fetch("Pod/a"),
            Some(&Fetch::Failed("it was stopped".into()))
        );
        assert!(!details.is_asking());
        assert!(
            !details.wants("Pod/a"),
            "a stopped fetch is not asked again"
        );
        assert!(details.wants("Pod/b"));
    }
}
