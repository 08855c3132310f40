//! The inspector's view of a selected object that has no play at the cursor: why nothing
//! has happened to it yet (its first play comes later) or at all (no Stage matched it, it
//! left the store first, the run ended first), read from the run's summary, and the object
//! as it was created.

use leptos::prelude::*;
use stage_engine::timeline::{Entry, NotMatched, StopReason, Time, Timeline};

use super::{Found, reason_view};
use crate::playback;
use crate::run::Engine;

/// What the summary says of one object, for when it has no play at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Story {
    pub(super) key: String,
    /// Each time it entered the store: the entry and its time, in milliseconds from the
    /// start.
    created: Vec<(usize, i64)>,
    /// Its first play: the Stage and its time.
    first_play: Option<(String, i64)>,
    /// The last of its records that says where it stands, when it got no play at all.
    last: Last,
    /// How the run ended and when.
    stop: (StopReason, i64, String),
}

/// Where an object with no play stands at the end of the run, by its last record.
#[derive(Clone, Debug, PartialEq)]
enum Last {
    /// No record names it: it is not in this run.
    Nothing,
    /// Its last version matched no Stage: the Settled entry.
    Settled(usize),
    /// It left the store at this time.
    Deleted(i64),
    /// It entered the store or the user changed it, and nothing followed: a Stage's job
    /// was still due when the run ended, or no Stage is for its kind.
    Due,
}

/// Why the inspected object has no play at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Why {
    /// It enters the store later, at this time.
    NotCreated(i64),
    /// It plays later: its first play's Stage and time.
    NotYet(String, i64),
    /// It got no play at all: no Stage matched its last version (the Settled entry, if
    /// the run recorded one).
    NoStage { settled: Option<usize> },
    /// It got no play at all: it left the store at this time first.
    Deleted(i64),
    /// It got no play at all: the run ended first, for this reason, at this time.
    RunEnded(StopReason, i64, String),
    /// No record of this run names it.
    NotInRun,
}

impl Story {
    /// `key`'s story in `timeline`, whose start is `start_ns`.
    pub(super) fn of(timeline: &Timeline, key: &str, start_ns: i64) -> Story {
        let ms = |time: Time| (time.0 - start_ns).div_euclid(1_000_000);
        let mut story = Story {
            key: key.to_string(),
            created: Vec::new(),
            first_play: None,
            last: Last::Nothing,
            stop: (
                timeline.stop.reason,
                ms(timeline.stop.at),
                timeline.stop.message.clone(),
            ),
        };
        for (entry, recorded) in timeline.entries.iter().enumerate() {
            match recorded {
                Entry::Play(play) if play.key == key && story.first_play.is_none() => {
                    story.first_play = Some((play.stage.clone(), ms(play.played_at)));
                }
                Entry::Created(created) if created.key == key => {
                    story.created.push((entry, ms(created.at)));
                    story.last = Last::Due;
                }
                Entry::User(user) if user.key == key && user.error.is_none() => {
                    story.last = Last::Due;
                }
                Entry::Settled(settled) if settled.key == key => story.last = Last::Settled(entry),
                Entry::Deleted(deleted) if deleted.key == key => {
                    story.last = Last::Deleted(ms(deleted.at));
                }
                _ => {}
            }
        }
        story
    }

    /// The last creation at or before `at_ms`, if the object was created by then.
    pub(super) fn created_by(&self, at_ms: i64) -> Option<(usize, i64)> {
        let mut created = self.created.iter().rev();
        created.find(|(_, time_ms)| *time_ms <= at_ms).copied()
    }

    /// Why the object has no play at a cursor that has passed `created` (the last creation
    /// by then, if any).
    pub(super) fn why(&self, created: Option<(usize, i64)>) -> Why {
        if created.is_none()
            && let Some(&(_, at_ms)) = self.created.first()
        {
            return Why::NotCreated(at_ms);
        }
        if let Some((stage, at_ms)) = &self.first_play {
            return Why::NotYet(stage.clone(), *at_ms);
        }
        match self.last {
            Last::Nothing => Why::NotInRun,
            Last::Settled(entry) => Why::NoStage {
                settled: Some(entry),
            },
            Last::Deleted(at_ms) => Why::Deleted(at_ms),
            Last::Due => match &self.stop {
                // A run that settled left no job due, so a version was left unrecorded.
                (StopReason::Settled, _, _) => Why::NoStage { settled: None },
                (reason, at_ms, message) => Why::RunEnded(*reason, *at_ms, message.clone()),
            },
        }
    }
}

impl Why {
    /// The reason as one word for the page's markup (and its tests).
    fn code(&self) -> &'static str {
        match self {
            Why::NotCreated(_) => "not-created",
            Why::NotYet(..) => "not-yet",
            Why::NoStage { .. } => "no-stage",
            Why::Deleted(_) => "deleted",
            Why::RunEnded(StopReason::MaxPlays, ..) => "max-plays",
            Why::RunEnded(StopReason::Horizon, ..) => "horizon",
            Why::RunEnded(..) => "run-ended",
            Why::NotInRun => "not-in-run",
        }
    }

    /// What follows "no play yet at <the cursor>" or stands alone once the object got no
    /// play at all.
    fn text(&self) -> String {
        let clock = |at_ms: &i64| playback::clock(*at_ms);
        match self {
            Why::NotCreated(at_ms) => format!("It enters the store at {}.", clock(at_ms)),
            Why::NotYet(stage, at_ms) => {
                format!("Its first play, {stage}, comes at {}.", clock(at_ms))
            }
            Why::NoStage { settled: Some(_) } => "Got no play: no Stage matched it.".to_string(),
            // A version the controller matches either gets a job or settles; one that did
            // neither was never matched.
            Why::NoStage { settled: None } => "Got no play: no Stage was matched against it \
                (none is for its kind, or the controller does not manage it)."
                .to_string(),
            Why::Deleted(at_ms) => format!(
                "Got no play: it left the store at {} before any Stage played on it.",
                clock(at_ms)
            ),
            // The summary does not say whether a Stage of its kind would have played
            // later, only that none had by then.
            Why::RunEnded(StopReason::MaxPlays, at_ms, _) => format!(
                "Got no play: the run was cut short by Max plays at {}, before any Stage played on it.",
                clock(at_ms)
            ),
            Why::RunEnded(StopReason::Horizon, at_ms, _) => format!(
                "Got no play: the run reached the horizon at {} before any Stage played on it.",
                clock(at_ms)
            ),
            Why::RunEnded(_, at_ms, message) => {
                format!(
                    "Got no play: the run stopped at {}: {message}.",
                    clock(at_ms)
                )
            }
            Why::NotInRun => "It is not in this run.".to_string(),
        }
    }

    /// True when the object plays later in the run, or enters it later.
    fn is_later(&self) -> bool {
        matches!(self, Why::NotCreated(_) | Why::NotYet(..))
    }
}

/// An object with no play at the cursor: its name, why nothing has happened to it, and
/// the object as it entered the store (`object`: the creation's time and what its fetched
/// records hold). For no Stage matching, `not_matched` is what the records say of each
/// Stage.
pub(super) fn unplayed_view(
    story: &Story,
    why: &Why,
    cursor: impl Fn() -> String + Send + Sync + 'static,
    not_matched: Option<Found<AnyView>>,
    object: Option<(i64, Found<AnyView>)>,
    fetching: Option<Engine>,
) -> AnyView {
    let coming = |found: &Found<AnyView>| matches!(found, Found::Coming);
    let busy = not_matched.as_ref().is_some_and(coming)
        || object.as_ref().is_some_and(|(_, found)| coming(found));
    let stop = move || {
        fetching.filter(|_| busy).map(|engine| view! {
            " "
            <button class="ghost stop-fetch" on:click=move |_| engine.stop_focus()>"Stop"</button>
        })
    };
    let pending = move |what: &str, found: Found<AnyView>, missing: &str| {
        match found {
        Found::Ready(Some(view)) => view,
        Found::Ready(None) => view! { <p class="muted">{missing.to_string()}</p> }.into_any(),
        Found::Coming => view! {
            <p class="muted details-note" data-details="coming">{format!("Fetching {what}…")}{stop()}</p>
        }
        .into_any(),
        Found::Failed(why) => view! {
            <p class="muted details-note" data-details="missing">{format!("{} could not be fetched: {why}", capitalised(what))}</p>
        }
        .into_any(),
    }
    };
    let not_matched = not_matched.map(|found| {
        view! {
            <h3>"Did not match"</h3>
            {pending("why each Stage did not match", found, "The run recorded no reason.")}
        }
    });
    let object = object.map(|(at_ms, found)| {
        view! {
            <h3>{format!("Object as created at {}", playback::clock(at_ms))}</h3>
            {pending("the object as created", found, "Not in this run's records.")}
        }
    });
    let lead = why
        .is_later()
        .then(|| view! { <p class="when">"No play yet at "{cursor}"."</p> });
    view! {
        <div class="unplayed" data-unplayed-object=story.key.clone() data-why=why.code()
            aria-busy=busy.then_some("true")>
            <div class="play-head"><span class="object-key">{story.key.clone()}</span></div>
            {lead}
            <p class="why">{why.text()}</p>
            {not_matched}
            {object}
        </div>
    }
    .into_any()
}

/// Each Stage of the kind with why it did not match the settled version.
pub(super) fn not_matched_view(not_matched: &[NotMatched]) -> AnyView {
    if not_matched.is_empty() {
        return view! { <p class="muted">"No Stage of its kind is loaded."</p> }.into_any();
    }
    let misses = not_matched
        .iter()
        .map(|miss| {
            view! {
                <li data-missed-stage=miss.stage.clone()>
                    <span class="name">{miss.stage.clone()}</span>
                    {reason_view(&miss.reason)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="misses">{misses}</ul> }.into_any()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glue::{Request, Response, respond};
    use crate::presets::jitter_with_an_idle_pod;
    use stage_engine::timeline::Play;

    /// The summary of `run` with the user's `actions` (in the scenario file's form).
    fn summary(mut run: Request, actions: &[&str]) -> Timeline {
        run.actions = actions
            .iter()
            .map(|yaml| serde_json::from_value(stage_yaml::parse_value(yaml).unwrap()).unwrap())
            .collect();
        let Response::Ok {
            timeline: Some(timeline),
            ..
        } = respond(&run)
        else {
            panic!("the run did not happen");
        };
        *timeline
    }

    /// Why `key` has no play at `at_ms` in `timeline`.
    fn why_at(timeline: &Timeline, key: &str, at_ms: i64) -> Why {
        let start_ns = stage_kube::time::parse_rfc3339(&timeline.start).unwrap();
        let story = Story::of(timeline, key, start_ns);
        story.why(story.created_by(at_ms))
    }

    fn played_ms(timeline: &Timeline, play: &Play) -> i64 {
        let start_ns = stage_kube::time::parse_rfc3339(&timeline.start).unwrap();
        (play.played_at.0 - start_ns) / 1_000_000
    }

    /// The keys the run created that got no play at all.
    fn unplayed(timeline: &Timeline) -> Vec<String> {
        let created = timeline.entries.iter().filter_map(|entry| match entry {
            Entry::Created(created) => Some(created.key.clone()),
            _ => None,
        });
        let mut keys: Vec<String> = created
            .filter(|key| timeline.plays_of(key).next().is_none())
            .collect();
        keys.dedup();
        keys
    }

    #[test]
    fn an_object_that_plays_later_has_no_play_yet_until_its_first() {
        let timeline = summary(crate::presets::default_scenario(), &[]);
        let key = "Pod/default/web-0";
        let first = timeline.plays_of(key).next().expect("web-0 plays");
        let at_ms = played_ms(&timeline, first);
        let why = why_at(&timeline, key, 0);
        assert_eq!(why, Why::NotYet(first.stage.clone(), at_ms));
        assert_eq!(
            why.text(),
            format!(
                "Its first play, {}, comes at {}.",
                first.stage,
                playback::clock(at_ms)
            )
        );
        assert!(why.is_later());
        assert_eq!(
            why_at(&timeline, "Pod/default/nobody", 0),
            Why::NotInRun,
            "an object the run does not have"
        );
    }

    #[test]
    fn an_object_the_run_had_no_plays_left_for_was_cut_short_by_max_plays() {
        let mut run = crate::presets::default_scenario();
        run.settings.max_plays = 1;
        let timeline = summary(run, &[]);
        assert_eq!(timeline.stop.reason, StopReason::MaxPlays);
        let keys = unplayed(&timeline);
        assert!(!keys.is_empty(), "one play leaves objects without a play");
        for key in &keys {
            let why = why_at(&timeline, key, 600_000);
            assert!(
                matches!(why, Why::RunEnded(StopReason::MaxPlays, ..)),
                "{key}: {why:?}"
            );
            assert_eq!(why.code(), "max-plays");
            assert!(
                why.text().contains("cut short by Max plays"),
                "{}",
                why.text()
            );
        }
    }

    #[test]
    fn an_object_whose_stage_was_due_after_the_horizon_says_so() {
        let mut run = crate::presets::default_scenario();
        run.settings.horizon_ms = 1;
        let timeline = summary(run, &[]);
        assert_eq!(timeline.stop.reason, StopReason::Horizon);
        assert_eq!(timeline.plays_of("Pod/default/web-0").count(), 0);
        let why = why_at(&timeline, "Pod/default/web-0", 1);
        assert!(
            matches!(why, Why::RunEnded(StopReason::Horizon, 1, _)),
            "{why:?}"
        );
        assert_eq!(
            why.text(),
            "Got no play: the run reached the horizon at 0:00.001 before any Stage played on it."
        );
    }

    #[test]
    fn an_object_no_stage_matched_points_at_its_settled_entry() {
        let timeline = summary(jitter_with_an_idle_pod(), &[]);
        let why = why_at(&timeline, "Pod/default/idle-0", 0);
        let Why::NoStage {
            settled: Some(entry),
        } = why
        else {
            panic!("idle-0 did not settle: {why:?}");
        };
        assert!(
            matches!(&timeline.entries[entry], Entry::Settled(settled) if settled.key == "Pod/default/idle-0"),
            "{:?}",
            timeline.entries[entry]
        );
        assert_eq!(why.text(), "Got no play: no Stage matched it.");
        assert!(!why.is_later());

        // The preset has Stages for pods only: its node is matched against none, and the
        // run settles with nothing due.
        assert_eq!(timeline.stop.reason, StopReason::Settled);
        let node = why_at(&timeline, "Node/node-0", 0);
        assert_eq!(node, Why::NoStage { settled: None });
        assert!(
            node.text().contains("none is for its kind"),
            "{}",
            node.text()
        );
    }

    #[test]
    fn an_object_deleted_or_created_by_the_user_says_when() {
        let delete =
            "at: 1ms\ndelete: {kind: Pod, namespace: default, name: web-1, gracePeriodSeconds: 0}";
        let create = "at: 30s\ncreate: {apiVersion: v1, kind: ConfigMap, \
                      metadata: {name: late, namespace: default}}";
        let timeline = summary(crate::presets::default_scenario(), &[delete, create]);
        assert_eq!(timeline.plays_of("Pod/default/web-1").count(), 0);
        assert_eq!(
            why_at(&timeline, "Pod/default/web-1", 60_000),
            Why::Deleted(1)
        );

        let late = "ConfigMap/default/late";
        assert_eq!(why_at(&timeline, late, 10_000), Why::NotCreated(30_000));
        assert_eq!(why_at(&timeline, late, 29_999).code(), "not-created");
        // No Stage is for a ConfigMap, but a run that ends at the horizon leaves that
        // untold: the summary only says that none played on it by then.
        assert!(
            matches!(
                why_at(&timeline, late, 30_000),
                Why::RunEnded(StopReason::Horizon, 600_000, _)
            ),
            "{:?}",
            why_at(&timeline, late, 30_000)
        );
    }
}
