//! What the loop schedules: jobs (a Stage to play on one version of an object, waiting in
//! the pending map) and the queue of (time, sequence) entries that orders them with the
//! user's actions.

use std::rc::Rc;

use serde_json::Value;
use stage_kube::ObjectKey;

use super::TimedAction;
use crate::timeline::{Candidate, DelayRecord, Nanos, NotMatched};

/// A scheduled play. It waits in the pending map, where a newer version can replace it;
/// the queue holds only its time and sequence number.
pub(super) struct Job {
    pub(super) key: Rc<ObjectKey>,
    pub(super) snapshot: Snapshot,
    pub(super) resource_version: String,
    pub(super) stage: usize,
    pub(super) matched_at: Nanos,
    pub(super) candidates: Vec<Candidate>,
    pub(super) weight: Option<i64>,
    pub(super) delay: DelayRecord,
    pub(super) not_matched: Vec<NotMatched>,
}

/// The version a job was built from. A summary run keeps the versions of waiting jobs
/// packed in the store, as large runs have many of them waiting at once.
pub(super) enum Snapshot {
    Live(Rc<Value>),
    Packed(stage_kube::Packed),
}

/// What sits in the queue: the key of a pending job, or a user action. Both are held
/// through a pointer, which keeps the entries of a queue of many jobs small.
pub(super) enum Item {
    Job(Rc<ObjectKey>),
    User(Box<TimedAction>),
}

pub(super) struct Queued {
    pub(super) at: Nanos,
    pub(super) seq: u64,
    pub(super) item: Item,
}

impl PartialEq for Queued {
    fn eq(&self, other: &Queued) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Queued) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Queued) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// The pending job of a key, with its queue sequence number (to recognise it).
pub(super) struct Pending {
    pub(super) seq: u64,
    pub(super) job: Box<Job>,
}
