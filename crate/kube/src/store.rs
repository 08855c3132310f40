//! An in-memory API server: objects by key, resource versions, the status subresource,
//! deletion, and the watch events each effective write produces.

use std::fmt;

use crate::patch::PatchType;
use crate::time::Nanos;

/// `apiVersion`, `kind`, namespace (empty when cluster-scoped) and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct StoreConfig {
    /// Fill uid, resourceVersion and creationTimestamp on create, as a real API server does.
    /// Off when replaying kwok's controller tests, whose fake server does no defaulting.
    pub defaulting: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WatchEvent {
    pub event_type: WatchEventType,
    pub key: ObjectKey,
    pub object: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome {
    /// The object is gone.
    Removed,
    /// Finalizers or a grace period keep it; it is stored with `deletionTimestamp`.
    Terminating(serde_json::Value),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    NotFound(ObjectKey),
    AlreadyExists(ObjectKey),
    Invalid(String),
    Patch(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = f;
        todo!()
    }
}

impl std::error::Error for ApiError {}

pub struct Store {
    _private: (),
}

impl Store {
    pub fn new(config: StoreConfig) -> Store {
        let _ = config;
        todo!()
    }

    /// Creates an object (normalised if typed, Pod phase defaulted to Pending).
    pub fn create(&mut self, object: serde_json::Value, now: Nanos) -> Result<serde_json::Value, ApiError> {
        let _ = (object, now);
        todo!()
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&serde_json::Value> {
        let _ = key;
        todo!()
    }

    /// Patches the object or its `subresource`; an effective change bumps resourceVersion
    /// and queues one Modified event, a no-op changes nothing. Returns the stored object.
    pub fn patch(
        &mut self,
        key: &ObjectKey,
        patch_type: PatchType,
        data: &serde_json::Value,
        subresource: Option<&str>,
        now: Nanos,
    ) -> Result<serde_json::Value, ApiError> {
        let _ = (key, patch_type, data, subresource, now);
        todo!()
    }

    /// Replaces an object wholesale (a user's edit).
    pub fn update(&mut self, object: serde_json::Value, now: Nanos) -> Result<serde_json::Value, ApiError> {
        let _ = (object, now);
        todo!()
    }

    /// DELETE with an optional grace period in seconds (kwok always sends 0).
    pub fn delete(&mut self, key: &ObjectKey, grace_seconds: Option<i64>, now: Nanos) -> Result<DeleteOutcome, ApiError> {
        let _ = (key, grace_seconds, now);
        todo!()
    }

    /// The watch events queued since the last call, in order.
    pub fn take_events(&mut self) -> Vec<WatchEvent> {
        todo!()
    }

    /// Every stored object of a kind, in key order.
    pub fn list(&self, api_version: &str, kind: &str) -> Vec<&serde_json::Value> {
        let _ = (api_version, kind);
        todo!()
    }
}
