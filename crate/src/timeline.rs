//! The result of a run: what the controllers did, in virtual-time order.
//!
//! A timeline is plain data (serde, JSON) so that the CLI can print it and the page can
//! draw it. It owns the record types and nothing else: the controller loop in
//! [`crate::sim`] fills it, and the golden format in [`crate::golden`] is derived from it.
//!
//! Every play records when the object matched and when its Stage played, which Stages
//! were candidates (with weights) and which one was picked, the delay with its range and
//! draw, why the other Stages of the kind did not match, and what each step did: events,
//! patches (sent or skipped), deletes, errors, with the object before and after. In
//! [`Detail::Summary`] mode the bulky parts (objects, rendered text, patch bodies,
//! explanations) are left out, so that runs with many objects stay small; a summary may
//! still keep them for one focus object.
//!
//! The enums ([`Entry`], [`ActionRecord`]) are written in serde's external form, the
//! variant's name as the only key (`{"play": {...}}`): a reader learns the variant before
//! its fields and reads them straight, where a tag among the fields would make it copy each
//! record into a buffer first and read it twice.

use serde::{Deserialize, Serialize};

/// Nanoseconds since the Unix epoch on the virtual clock.
pub type Nanos = i64;

/// How much a timeline keeps per play.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Detail {
    /// Everything, including copies of the object before and after each play.
    #[default]
    Full,
    /// Times, keys, Stage names, candidates, delays, outcomes (changed, deleted, error)
    /// and the events the plays recorded only: no objects, rendered text, requests or
    /// explanations, except for the run's focus object, if it has one.
    Summary,
}

/// A whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// The virtual start time, RFC 3339.
    pub start: String,
    pub seed: u64,
    pub detail: Detail,
    /// In the order things happened.
    pub entries: Vec<Entry>,
    /// Why and when the run ended.
    pub stop: Stop,
}

/// One thing that happened at a virtual time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Entry {
    /// An object entered the store (initial objects, user creates, apply steps later on).
    Created(ObjectEntry),
    /// An object left the store.
    Deleted(ObjectEntry),
    /// Something the user did at a chosen time.
    User(Box<UserEntry>),
    /// A Stage was played on an object.
    Play(Box<Play>),
    /// An object version matched no Stage while no job was pending for it: nothing more
    /// happens to it until something else changes it.
    Settled(Settled),
    /// A version was matched but its job was later replaced or cancelled before it ran.
    Replaced(Replaced),
}

impl Entry {
    /// The key of the object the entry is about: `Kind/namespace/name` or `Kind/name`.
    pub fn key(&self) -> &str {
        match self {
            Entry::Created(entry) | Entry::Deleted(entry) => &entry.key,
            Entry::User(user) => &user.key,
            Entry::Play(play) => &play.key,
            Entry::Settled(settled) => &settled.key,
            Entry::Replaced(replaced) => &replaced.key,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectEntry {
    pub at: Time,
    /// `Kind/namespace/name` or `Kind/name`.
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntry {
    pub at: Time,
    pub key: String,
    /// `create`, `delete`, `edit` or `replace`.
    pub action: String,
    /// The API server's answer when the action was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The version the action left in the store (full detail only): the stored object
    /// after an accepted create, edit or replace, the terminating version after a delete
    /// that only set its deletionTimestamp; absent when a delete removed the object or the
    /// action was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settled {
    pub at: Time,
    pub key: String,
    /// Why each Stage of the kind did not match (full detail only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_matched: Vec<NotMatched>,
    /// The object version that matched nothing (full detail only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replaced {
    pub at: Time,
    pub key: String,
    /// The Stage whose job did not run.
    pub stage: String,
    /// `newer version` or `deleted`.
    pub reason: String,
}

/// One Stage played on one object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Play {
    /// Counts plays over the whole run, from 0.
    pub index: usize,
    pub key: String,
    /// When the version that scheduled this play was pre-processed.
    pub matched_at: Time,
    /// When the steps ran.
    pub played_at: Time,
    /// The resourceVersion of the snapshot the steps ran on (empty without defaulting).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// Every Stage that could have been picked, in Stage order.
    pub candidates: Vec<Candidate>,
    pub stage: String,
    /// The pick's weight, when there were several candidates and its weight was valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    pub delay: DelayRecord,
    /// Why each other Stage of the kind did not match (full detail only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_matched: Vec<NotMatched>,
    /// What the steps did, in order.
    pub actions: Vec<ActionRecord>,
    /// kwok's error text when a step failed; the remaining steps did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The Stage sets `immediateNextStage`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub immediate_next_stage: bool,
    /// The object was re-matched at once from a patch response (immediateNextStage).
    #[serde(default, skip_serializing_if = "is_false")]
    pub immediate_push: bool,
    /// The stored object differs from the snapshot afterwards.
    pub changed: bool,
    /// The object is gone afterwards.
    pub deleted: bool,
    /// The object's `status.phase` afterwards, when it has one (in every detail, so that a
    /// summary can still say where each object stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// Other objects this play created or changed (apply steps), as keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub touched: Vec<String>,
    /// The snapshot the steps ran on (full detail only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    /// The object as stored afterwards; `null` when it is gone (full detail only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_value"
    )]
    pub after: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub stage: String,
    /// `None`: the weight was not computed (a single candidate) or was invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// Why a Stage did not match a version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotMatched {
    pub stage: String,
    /// The clause that failed, as the matcher explains it.
    pub reason: serde_json::Value,
}

/// The delay of a play: how it was computed and what was drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DelayRecord {
    /// `none`, `fixed` or `range`.
    pub kind: DelayKind,
    /// The range [min, max) in nanoseconds when drawn from a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ns: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ns: Option<i64>,
    /// The delay used, in nanoseconds.
    pub ns: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DelayKind {
    #[default]
    None,
    Fixed,
    Range,
}

/// One request a step made, with its outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionRecord {
    Event {
        step: usize,
        #[serde(rename = "eventType")]
        event_type: String,
        reason: String,
        message: String,
        /// Kubernetes' client drops types other than Normal and Warning.
        #[serde(default, skip_serializing_if = "is_false")]
        dropped: bool,
    },
    Patch(PatchRecord),
    /// A template did not render; the step failed here.
    RenderError {
        step: usize,
        message: String,
    },
    Delete {
        step: usize,
        /// What the API server did: `removed` or `terminating`.
        outcome: String,
    },
    Apply {
        step: usize,
        /// The rendered object (full detail only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data: Option<serde_json::Value>,
        /// Why it was not executed.
        note: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchRecord {
    pub step: usize,
    /// `finalizers` or `patch`.
    pub source: String,
    /// The MIME type, as kwok sends it.
    #[serde(rename = "type")]
    pub patch_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subresource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impersonation: Option<String>,
    /// The template's output (full detail only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered_text: Option<String>,
    /// The template's output parsed as YAML (full detail only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<serde_json::Value>,
    /// The patch body (full detail only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// Sent to the API server; `false` when it would not have changed the snapshot.
    pub applied: bool,
}

/// Why a run ended.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    pub at: Time,
    pub reason: StopReason,
    /// Details, e.g. the key that kept playing at one instant.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StopReason {
    /// No job is pending and no user action is left: everything settled.
    #[default]
    Settled,
    /// The next job lies beyond the virtual horizon.
    Horizon,
    /// The most plays were reached.
    MaxPlays,
    /// One object kept playing without the clock moving (a zero-delay loop).
    ZeroDelayLoop,
}

/// A virtual time, serialised as Go's RFC 3339 with nanoseconds, in UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub Nanos);

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&stage_kube::time::format_nanos(self.0))
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = String::deserialize(deserializer)?;
        stage_kube::time::parse_rfc3339(&text)
            .map(Time)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text:?}")))
    }
}

impl Timeline {
    /// The plays of one object, in order.
    pub fn plays_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Play> + 'a {
        self.entries.iter().filter_map(move |entry| match entry {
            Entry::Play(play) if play.key == key => Some(&**play),
            _ => None,
        })
    }

    /// Every play, in order.
    pub fn plays(&self) -> impl Iterator<Item = &Play> {
        self.entries.iter().filter_map(|entry| match entry {
            Entry::Play(play) => Some(&**play),
            _ => None,
        })
    }
}

/// A present field, `null` included, is `Some`; only an absent one is `None`.
fn present_value<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

fn is_false(value: &bool) -> bool {
    !*value
}
