//! The timeline of a run's answer as it travels from the worker to the page.
//!
//! A summary of a large run has tens of thousands of plays that repeat the same few strings
//! (object keys, Stage names, event reasons, patch types) and spell each time as RFC 3339
//! text. On the way to the page each distinct string is written once, in a table, and the
//! records refer to it by its place there; times go as nanoseconds; each record is a list
//! in a fixed order instead of a map of named fields. The page reads it back into the
//! engine's own [`Timeline`], so nothing that draws a run sees the difference.
//!
//! What a summary does not shorten (a play kept in full for a focus object, an entry that
//! carries an object, a user's action) goes in the engine's own form, so any timeline reads
//! back as it was. `glue::Response` uses this module for its timeline (`serde(with)`).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use stage_engine::timeline::{
    ActionRecord, Candidate, DelayKind, DelayRecord, Detail, Entry, ObjectEntry, PatchRecord, Play,
    Replaced, Settled, Stop, Time, Timeline,
};

/// A string's place in the table.
type Sym = u32;

/// A timeline on its way to the page.
#[derive(Serialize, Deserialize)]
struct Packed<'a> {
    start: Cow<'a, str>,
    seed: u64,
    detail: Detail,
    stop: Cow<'a, Stop>,
    /// Every string the records refer to, each once.
    strings: Vec<Cow<'a, str>>,
    entries: Vec<Record<'a>>,
}

/// One entry: the common ones as lists of symbols and numbers, the rest as the engine
/// writes them.
#[derive(Serialize, Deserialize)]
enum Record<'a> {
    /// A play, see [`PlayRecord`].
    #[serde(rename = "p")]
    Play(PlayRecord<'a>),
    /// Key and time of an object that entered the store.
    #[serde(rename = "c")]
    Created(Sym, i64),
    /// Key and time of an object that left the store.
    #[serde(rename = "d")]
    Deleted(Sym, i64),
    /// Key and time of a version that matched no Stage.
    #[serde(rename = "s")]
    Settled(Sym, i64),
    /// Key, time, Stage and reason of a job that did not run.
    #[serde(rename = "r")]
    Replaced(Sym, i64, Sym, Sym),
    /// Any other entry, in the engine's form.
    #[serde(rename = "e")]
    Entry(Cow<'a, Entry>),
}

/// A play kept as a summary keeps it, its fields in [`Play`]'s order.
#[derive(Serialize, Deserialize)]
struct PlayRecord<'a>(
    /// index
    usize,
    /// key
    Sym,
    /// matched at
    i64,
    /// played at
    i64,
    /// resource version
    Cow<'a, str>,
    /// candidates: Stage and weight
    Vec<(Sym, Option<i64>)>,
    /// Stage
    Sym,
    /// weight
    Option<i64>,
    /// delay: kind, min, max and the delay used
    (DelayKind, Option<i64>, Option<i64>, i64),
    /// actions
    Vec<Step<'a>>,
    /// error
    Option<Cow<'a, str>>,
    /// flags, see [`Flags`]
    u8,
    /// phase
    Option<Sym>,
    /// touched keys
    Vec<Sym>,
);

/// One of a summary play's actions.
#[derive(Serialize, Deserialize)]
enum Step<'a> {
    /// Step, event type, reason, message, dropped.
    #[serde(rename = "e")]
    Event(usize, Sym, Sym, Sym, bool),
    /// Step, source, patch type, subresource, impersonation, applied.
    #[serde(rename = "p")]
    Patch(usize, Sym, Sym, Sym, Option<Cow<'a, str>>, bool),
    /// Step and message.
    #[serde(rename = "x")]
    RenderError(usize, Cow<'a, str>),
    /// Step and outcome.
    #[serde(rename = "d")]
    Delete(usize, Sym),
    /// Step and note.
    #[serde(rename = "a")]
    Apply(usize, Cow<'a, str>),
}

/// A play's yes-or-no fields as the bits of one number.
struct Flags;

impl Flags {
    const CHANGED: u8 = 1;
    const DELETED: u8 = 2;
    const IMMEDIATE_NEXT_STAGE: u8 = 4;
    const IMMEDIATE_PUSH: u8 = 8;

    fn of(play: &Play) -> u8 {
        let bit = |set: bool, bit: u8| if set { bit } else { 0 };
        bit(play.changed, Flags::CHANGED)
            | bit(play.deleted, Flags::DELETED)
            | bit(play.immediate_next_stage, Flags::IMMEDIATE_NEXT_STAGE)
            | bit(play.immediate_push, Flags::IMMEDIATE_PUSH)
    }
}

/// Writes a timeline (for `serde(with)` on an optional boxed one).
pub fn serialize<S: Serializer>(
    timeline: &Option<Box<Timeline>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    timeline.as_deref().map(pack).serialize(serializer)
}

/// Reads a timeline written by [`serialize`].
pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Box<Timeline>>, D::Error> {
    match Option::<Packed>::deserialize(deserializer)? {
        Some(packed) => unpack(packed)
            .map(|timeline| Some(Box::new(timeline)))
            .map_err(serde::de::Error::custom),
        None => Ok(None),
    }
}

/// Gives each distinct string its place in the table.
#[derive(Default)]
struct Table<'a> {
    places: HashMap<&'a str, Sym>,
    strings: Vec<Cow<'a, str>>,
}

impl<'a> Table<'a> {
    fn sym(&mut self, text: &'a str) -> Sym {
        if let Some(&sym) = self.places.get(text) {
            return sym;
        }
        let sym = Sym::try_from(self.strings.len()).unwrap_or(Sym::MAX);
        self.places.insert(text, sym);
        self.strings.push(Cow::Borrowed(text));
        sym
    }
}

fn pack(timeline: &Timeline) -> Packed<'_> {
    let mut table = Table::default();
    let entries = timeline
        .entries
        .iter()
        .map(|entry| pack_entry(entry, &mut table))
        .collect();
    Packed {
        start: Cow::Borrowed(&timeline.start),
        seed: timeline.seed,
        detail: timeline.detail,
        stop: Cow::Borrowed(&timeline.stop),
        strings: table.strings,
        entries,
    }
}

fn pack_entry<'a>(entry: &'a Entry, table: &mut Table<'a>) -> Record<'a> {
    match entry {
        Entry::Play(play) if is_summary(play) => Record::Play(pack_play(play, table)),
        Entry::Created(ObjectEntry {
            at,
            key,
            object: None,
        }) => Record::Created(table.sym(key), at.0),
        Entry::Deleted(ObjectEntry {
            at,
            key,
            object: None,
        }) => Record::Deleted(table.sym(key), at.0),
        Entry::Settled(Settled {
            at,
            key,
            not_matched,
            object: None,
        }) if not_matched.is_empty() => Record::Settled(table.sym(key), at.0),
        Entry::Replaced(Replaced {
            at,
            key,
            stage,
            reason,
        }) => Record::Replaced(table.sym(key), at.0, table.sym(stage), table.sym(reason)),
        other => Record::Entry(Cow::Borrowed(other)),
    }
}

/// Whether a play holds nothing beyond what [`PlayRecord`] carries.
fn is_summary(play: &Play) -> bool {
    let plain = |action: &ActionRecord| match action {
        ActionRecord::Patch(patch) => {
            patch.rendered_text.is_none() && patch.rendered.is_none() && patch.data.is_none()
        }
        ActionRecord::Apply { data, .. } => data.is_none(),
        _ => true,
    };
    play.before.is_none()
        && play.after.is_none()
        && play.not_matched.is_empty()
        && play.actions.iter().all(plain)
}

fn pack_play<'a>(play: &'a Play, table: &mut Table<'a>) -> PlayRecord<'a> {
    let candidates = play
        .candidates
        .iter()
        .map(|candidate| (table.sym(&candidate.stage), candidate.weight))
        .collect();
    let actions = play
        .actions
        .iter()
        .map(|action| pack_action(action, table))
        .collect();
    let delay = &play.delay;
    PlayRecord(
        play.index,
        table.sym(&play.key),
        play.matched_at.0,
        play.played_at.0,
        Cow::Borrowed(&play.resource_version),
        candidates,
        table.sym(&play.stage),
        play.weight,
        (delay.kind, delay.min_ns, delay.max_ns, delay.ns),
        actions,
        play.error.as_deref().map(Cow::Borrowed),
        Flags::of(play),
        play.phase.as_deref().map(|phase| table.sym(phase)),
        play.touched.iter().map(|key| table.sym(key)).collect(),
    )
}

fn pack_action<'a>(action: &'a ActionRecord, table: &mut Table<'a>) -> Step<'a> {
    match action {
        ActionRecord::Event {
            step,
            event_type,
            reason,
            message,
            dropped,
        } => Step::Event(
            *step,
            table.sym(event_type),
            table.sym(reason),
            table.sym(message),
            *dropped,
        ),
        ActionRecord::Patch(patch) => Step::Patch(
            patch.step,
            table.sym(&patch.source),
            table.sym(&patch.patch_type),
            table.sym(&patch.subresource),
            patch.impersonation.as_deref().map(Cow::Borrowed),
            patch.applied,
        ),
        ActionRecord::RenderError { step, message } => {
            Step::RenderError(*step, Cow::Borrowed(message))
        }
        ActionRecord::Delete { step, outcome } => Step::Delete(*step, table.sym(outcome)),
        ActionRecord::Apply { step, note, .. } => Step::Apply(*step, Cow::Borrowed(note)),
    }
}

/// The strings of a table read back, by place.
struct Strings(Vec<String>);

impl Strings {
    fn get(&self, sym: Sym) -> Result<String, String> {
        usize::try_from(sym)
            .ok()
            .and_then(|place| self.0.get(place))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the timeline refers to string {sym} of a table of {}",
                    self.0.len()
                )
            })
    }
}

fn unpack(packed: Packed) -> Result<Timeline, String> {
    let strings = Strings(packed.strings.into_iter().map(Cow::into_owned).collect());
    let entries = packed
        .entries
        .into_iter()
        .map(|record| unpack_entry(record, &strings))
        .collect::<Result<_, _>>()?;
    Ok(Timeline {
        start: packed.start.into_owned(),
        seed: packed.seed,
        detail: packed.detail,
        entries,
        stop: packed.stop.into_owned(),
    })
}

fn unpack_entry(record: Record, strings: &Strings) -> Result<Entry, String> {
    let object = |key: Sym, at: i64| -> Result<ObjectEntry, String> {
        Ok(ObjectEntry {
            at: Time(at),
            key: strings.get(key)?,
            object: None,
        })
    };
    Ok(match record {
        Record::Play(play) => Entry::Play(Box::new(unpack_play(play, strings)?)),
        Record::Created(key, at) => Entry::Created(object(key, at)?),
        Record::Deleted(key, at) => Entry::Deleted(object(key, at)?),
        Record::Settled(key, at) => Entry::Settled(Settled {
            at: Time(at),
            key: strings.get(key)?,
            not_matched: Vec::new(),
            object: None,
        }),
        Record::Replaced(key, at, stage, reason) => Entry::Replaced(Replaced {
            at: Time(at),
            key: strings.get(key)?,
            stage: strings.get(stage)?,
            reason: strings.get(reason)?,
        }),
        Record::Entry(entry) => entry.into_owned(),
    })
}

fn unpack_play(record: PlayRecord, strings: &Strings) -> Result<Play, String> {
    let PlayRecord(
        index,
        key,
        matched_at,
        played_at,
        resource_version,
        candidates,
        stage,
        weight,
        (kind, min_ns, max_ns, ns),
        actions,
        error,
        flags,
        phase,
        touched,
    ) = record;
    let candidates = candidates
        .into_iter()
        .map(|(stage, weight)| {
            Ok(Candidate {
                stage: strings.get(stage)?,
                weight,
            })
        })
        .collect::<Result<_, String>>()?;
    let actions = actions
        .into_iter()
        .map(|step| unpack_action(step, strings))
        .collect::<Result<_, _>>()?;
    Ok(Play {
        index,
        key: strings.get(key)?,
        matched_at: Time(matched_at),
        played_at: Time(played_at),
        resource_version: resource_version.into_owned(),
        candidates,
        stage: strings.get(stage)?,
        weight,
        delay: DelayRecord {
            kind,
            min_ns,
            max_ns,
            ns,
        },
        not_matched: Vec::new(),
        actions,
        error: error.map(Cow::into_owned),
        immediate_next_stage: flags & Flags::IMMEDIATE_NEXT_STAGE != 0,
        immediate_push: flags & Flags::IMMEDIATE_PUSH != 0,
        changed: flags & Flags::CHANGED != 0,
        deleted: flags & Flags::DELETED != 0,
        phase: phase.map(|phase| strings.get(phase)).transpose()?,
        touched: touched
            .into_iter()
            .map(|key| strings.get(key))
            .collect::<Result<_, _>>()?,
        before: None,
        after: None,
    })
}

fn unpack_action(step: Step, strings: &Strings) -> Result<ActionRecord, String> {
    Ok(match step {
        Step::Event(step, event_type, reason, message, dropped) => ActionRecord::Event {
            step,
            event_type: strings.get(event_type)?,
            reason: strings.get(reason)?,
            message: strings.get(message)?,
            dropped,
        },
        Step::Patch(step, source, patch_type, subresource, impersonation, applied) => {
            ActionRecord::Patch(PatchRecord {
                step,
                source: strings.get(source)?,
                patch_type: strings.get(patch_type)?,
                subresource: strings.get(subresource)?,
                impersonation: impersonation.map(Cow::into_owned),
                rendered_text: None,
                rendered: None,
                data: None,
                applied,
            })
        }
        Step::RenderError(step, message) => ActionRecord::RenderError {
            step,
            message: message.into_owned(),
        },
        Step::Delete(step, outcome) => ActionRecord::Delete {
            step,
            outcome: strings.get(outcome)?,
        },
        Step::Apply(step, note) => ActionRecord::Apply {
            step,
            data: None,
            note: note.into_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glue::{self, Response};

    /// The default scenario's run, as the engine answers it.
    fn run(detail: Detail) -> Timeline {
        let request = crate::page::default_scenario();
        let Response::Ok {
            timeline: Some(timeline),
            ..
        } = glue::respond(&request)
        else {
            panic!("the run did not happen");
        };
        let mut timeline = *timeline;
        if detail == Detail::Full {
            // A full run of the same inputs, for the records a summary shortens.
            let settings = &request.settings;
            let options = stage_engine::sim::SimOptions {
                config: settings.config(),
                start: stage_kube::time::parse_rfc3339(&settings.extra.start).unwrap(),
                seed: settings.seed,
                horizon: Some(settings.horizon_ms * 1_000_000),
                max_plays: Some(settings.max_plays as usize),
                detail: Detail::Full,
                ..Default::default()
            };
            let stages = stage_engine::load::load_stages(&request.stages, "stages").stages;
            let (objects, _) = stage_engine::load::load_objects(&request.objects, "objects");
            let objects = objects.into_iter().map(|loaded| loaded.object).collect();
            timeline = stage_engine::sim::run(&stages, objects, Vec::new(), options)
                .expect("the default scenario runs");
        }
        timeline
    }

    #[derive(Serialize, Deserialize)]
    struct Wrapped {
        #[serde(with = "super")]
        timeline: Option<Box<Timeline>>,
    }

    fn round_trip(timeline: Timeline) -> (Timeline, String) {
        let text = serde_json::to_string(&Wrapped {
            timeline: Some(Box::new(timeline)),
        })
        .unwrap();
        let read: Wrapped = serde_json::from_str(&text).unwrap();
        (*read.timeline.unwrap(), text)
    }

    #[test]
    fn a_summary_reads_back_as_it_was_and_is_far_smaller_than_the_engines_json() {
        let summary = run(Detail::Summary);
        let (read, text) = round_trip(summary.clone());
        assert_eq!(read, summary);

        let engine = serde_json::to_string(&summary).unwrap();
        assert!(
            text.len() * 2 < engine.len(),
            "{} bytes packed, {} as the engine writes it",
            text.len(),
            engine.len()
        );
        // Each key is written once, however many plays the object has.
        assert_eq!(text.matches("\"Pod/default/web-0\"").count(), 1);
    }

    #[test]
    fn a_full_timeline_reads_back_as_it_was() {
        let full = run(Detail::Full);
        assert!(full.plays().any(|play| play.before.is_some()));
        let (read, _) = round_trip(full.clone());
        assert_eq!(read, full);
    }

    #[test]
    fn a_string_beyond_the_table_is_an_error() {
        let text = r#"{"timeline": {"start": "2024-01-01T00:00:00Z", "seed": 1,
            "detail": "summary", "stop": {"at": "2024-01-01T00:00:00Z", "reason": "settled"},
            "strings": ["Pod/p"], "entries": [{"c": [3, 0]}]}}"#;
        let error = serde_json::from_str::<Wrapped>(text).err().unwrap();
        assert!(
            error.to_string().contains("string 3 of a table of 1"),
            "{error}"
        );
    }
}
