//! An in-memory API server: objects by key, resource versions, the status subresource,
//! deletion, and the watch events each effective write produces.
//!
//! Every write goes through the same steps: compute the new object, keep what the request
//! may not change (the status on the main resource, everything but the status on the
//! status subresource, identity and deletion metadata), re-encode Pods and Nodes through
//! their Go structs, and compare with the stored object. A write that changes nothing
//! bumps nothing and queues no event. A terminating object whose finalizers are gone and
//! whose grace period is 0 is removed.

use std::cell::OnceCell;
use std::fmt;
use std::rc::Rc;

use crate::hash::FastMap;
use crate::{field, pack};
use serde_json::{Map, Value};

use crate::patch::{self, PatchType};
use crate::time::{self, Nanos};
use crate::typed;

/// `apiVersion`, `kind`, namespace (empty when cluster-scoped) and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(api_version: &str, kind: &str, namespace: &str, name: &str) -> ObjectKey {
        ObjectKey {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The key of an object, from its `apiVersion`, `kind` and `metadata`.
    pub fn of(object: &Value) -> Result<ObjectKey, ApiError> {
        let text = |pointer: &str| field(object, pointer).and_then(Value::as_str).unwrap_or("");
        let key = ObjectKey::new(
            text("/apiVersion"),
            text("/kind"),
            text("/metadata/namespace"),
            text("/metadata/name"),
        );
        if key.kind.is_empty() {
            return Err(ApiError::Invalid("Object 'Kind' is missing".to_string()));
        }
        if key.name.is_empty() {
            return Err(ApiError::Invalid(format!(
                "{} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                key.kind
            )));
        }
        Ok(key)
    }

    /// The resource name the API server uses in messages: `pods`, `deployments.apps`.
    pub fn resource(&self) -> String {
        let lower = self.kind.to_lowercase();
        let plural = if lower == "endpoints" {
            lower
        } else if lower.ends_with('s')
            || lower.ends_with("sh")
            || lower.ends_with("ch")
            || lower.ends_with('x')
        {
            format!("{lower}es")
        } else if let Some(stem) = lower
            .strip_suffix('y')
            .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
        {
            format!("{stem}ies")
        } else {
            format!("{lower}s")
        };
        match self.api_version.split_once('/') {
            Some((group, _)) => format!("{plural}.{group}"),
            None => plural,
        }
    }
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

/// A watch event whose object is shared with the store.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedEvent {
    pub event_type: WatchEventType,
    pub key: ObjectKey,
    pub object: Rc<serde_json::Value>,
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
        match self {
            ApiError::NotFound(key) => write!(f, "{} {:?} not found", key.resource(), key.name),
            ApiError::AlreadyExists(key) => {
                write!(f, "{} {:?} already exists", key.resource(), key.name)
            }
            ApiError::Invalid(message) | ApiError::Patch(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}

/// Kinds whose `.status` is written only through the status subresource: the core kinds
/// that declare one, and every kind of another API group except the few built-in ones
/// without a status (custom resources are assumed to declare one).
fn has_status_subresource(api_version: &str, kind: &str) -> bool {
    if api_version == "v1" {
        return matches!(
            kind,
            "Pod"
                | "Node"
                | "PersistentVolume"
                | "PersistentVolumeClaim"
                | "Namespace"
                | "Service"
                | "ReplicationController"
                | "ResourceQuota"
        );
    }
    !matches!(
        kind,
        "Lease"
            | "EndpointSlice"
            | "Event"
            | "StorageClass"
            | "Role"
            | "ClusterRole"
            | "RoleBinding"
            | "ClusterRoleBinding"
            | "PriorityClass"
            | "CSIDriver"
            | "CSINode"
            | "RuntimeClass"
            | "IngressClass"
            | "ControllerRevision"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
    )
}

/// Metadata a write request cannot change.
const PROTECTED_METADATA: [&str; 7] = [
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

const DEFAULT_POD_GRACE_SECONDS: i64 = 30;

pub struct Store {
    config: StoreConfig,
    /// Looked up for every write; [`Store::list`] sorts what it lists.
    objects: FastMap<ObjectKey, Stored>,
    events: Vec<SharedEvent>,
    /// The last resource version handed out, shared by all objects.
    version: u64,
    /// How many uids have been made.
    uids: u64,
}

struct Stored {
    /// The version as a value, shared so that a write can hold the current version while
    /// it stores the next. Empty while the object is packed and nobody has read it since.
    live: OnceCell<Rc<Value>>,
    /// The version in its packed form (see [`crate::pack`]), once packed; shared with
    /// the [`Packed`] handles given out for it.
    packed: Option<Rc<[u8]>>,
    revision: u64,
}

impl Stored {
    fn new(object: Rc<Value>, revision: u64) -> Stored {
        Stored {
            live: OnceCell::from(object),
            packed: None,
            revision,
        }
    }

    /// Keeps the version packed only (packed now unless it already is) and gives out the
    /// packed bytes; the value goes once its other holders drop it. `None` when the value
    /// nests too deep to pack, and then it stays a value.
    fn pack(&mut self) -> Option<Rc<[u8]>> {
        if self.packed.is_none() {
            let live = self.live.get()?;
            // Room for a typical object up front; the bytes are copied to their exact size.
            let mut bytes = Vec::with_capacity(2048);
            pack::encode(live, &mut bytes)?;
            self.packed = Some(bytes.into());
        }
        self.live.take();
        self.packed.clone()
    }

    fn object(&self) -> &Rc<Value> {
        self.live
            .get_or_init(|| Rc::new(decode(self.packed.as_deref().unwrap_or_default())))
    }
}

/// A packed version of an object, as [`Store::pack_version`] hands it out: the caller keeps
/// the version this small instead of as a value, and [`Store::unpack`] gives the value back.
#[derive(Clone)]
pub struct Packed {
    text: Rc<[u8]>,
}

/// A patch the caller already applied to `base`, a version of the object it holds. The
/// store drops `base` before it writes: a caller that hands over its last handle on the
/// stored version lets the store write a status into that version instead of into a copy.
pub struct Prepared {
    pub base: Rc<Value>,
    pub patched: Patched,
}

/// What a [`Prepared`] patch gave.
pub enum Patched {
    /// [`patch::apply_to_stored`] of the patch to the base.
    Object(Value),
    /// [`patch::apply_to_status`] of a patch that [names only the
    /// status](patch::names_only_status): the answer is the base with this status.
    Status(Option<Value>),
}

/// Whether a value handed to `write` is already in the stored encoding of its kind.
#[derive(Clone, Copy)]
enum Incoming {
    Encoded,
    Raw,
}

impl Store {
    pub fn new(config: StoreConfig) -> Store {
        Store {
            config,
            objects: FastMap::default(),
            events: Vec::new(),
            version: 0,
            uids: 0,
        }
    }

    /// Creates an object (normalised if typed, Pod phase defaulted to Pending).
    pub fn create(
        &mut self,
        object: serde_json::Value,
        now: Nanos,
    ) -> Result<serde_json::Value, ApiError> {
        self.create_shared(object, now)
            .map(|stored| (*stored).clone())
    }

    /// Like [`Store::create`], returning the stored version itself rather than a copy.
    pub fn create_shared(
        &mut self,
        object: serde_json::Value,
        now: Nanos,
    ) -> Result<Rc<serde_json::Value>, ApiError> {
        let key = ObjectKey::of(&object)?;
        if self.objects.contains_key(&key) {
            return Err(ApiError::AlreadyExists(key));
        }

        let mut object = object;
        if self.config.defaulting {
            self.apply_create_defaults(&key, &mut object, now);
        }
        let object =
            typed::try_normalize_owned(object).map_err(|e| invalid(&key, &e.to_string()))?;

        Ok(self.commit_shared(key, object, WatchEventType::Added))
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&serde_json::Value> {
        self.objects.get(key).map(|s| &**s.object())
    }

    /// The store-wide version of the object's last write, counted also when defaulting is
    /// off and `metadata.resourceVersion` is not written.
    pub fn revision(&self, key: &ObjectKey) -> Option<u64> {
        self.objects.get(key).map(|s| s.revision)
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
        self.patch_prepared(key, patch_type, data, subresource, now, None)
            .map(|stored| (*stored).clone())
    }

    /// Like [`Store::patch`], with the patch already applied to a version of the object
    /// by the caller. When that version is the stored one, its result is used instead of
    /// applying the patch a second time; otherwise the patch is applied as usual. Returns
    /// the stored version itself rather than a copy.
    ///
    /// A status written through the status subresource goes into the stored version itself
    /// when nobody else holds it (the caller handed over its last handle in `prepared`);
    /// otherwise into a copy, which leaves every version handed out as it was.
    pub fn patch_prepared(
        &mut self,
        key: &ObjectKey,
        patch_type: PatchType,
        data: &serde_json::Value,
        subresource: Option<&str>,
        now: Nanos,
        prepared: Option<Prepared>,
    ) -> Result<Rc<serde_json::Value>, ApiError> {
        let _ = now;
        let current = self.stored_version(key)?;
        let prepared = prepared
            .filter(|prepared| self.is_stored_version(&current, &prepared.base))
            .map(|prepared| prepared.patched);
        // Such a patch applied to the stored version leaves every other field as stored, so
        // its answer is already what a status-subresource write stores.
        let status_only =
            matches!(subresource, Some("status")) && patch::names_only_status(patch_type, data);
        let patched = match prepared {
            Some(Patched::Status(status)) if status_only => {
                return self.write_status(key, current, status);
            }
            Some(Patched::Status(status)) => {
                let mut patched = (*current).clone();
                set_status(&mut patched, status);
                patched
            }
            Some(Patched::Object(patched)) => patched,
            None => patch::apply_to_stored(&current, data, patch_type)
                .map_err(|e| ApiError::Patch(e.message))?,
        };
        // `patch::apply` hands back typed kinds in their stored encoding; only a patch that
        // changed apiVersion or kind needs the encoding done again once they are restored.
        let encoded = same_type(&current, &patched);

        let next = match subresource {
            None | Some("") => self.main_resource_write(key, &current, patched),
            Some("status") if status_only => patched,
            Some("status") => status_write(key, &current, &patched),
            Some(other) => {
                return Err(ApiError::Invalid(format!(
                    "the server could not find the requested resource (patch {} {} {other})",
                    key.resource(),
                    key.name
                )));
            }
        };
        let incoming = if encoded {
            Incoming::Encoded
        } else {
            Incoming::Raw
        };
        self.write(key, &current, next, incoming)
    }

    /// The stored version of `key`, shared.
    fn stored_version(&self, key: &ObjectKey) -> Result<Rc<Value>, ApiError> {
        self.objects
            .get(key)
            .map(|stored| Rc::clone(stored.object()))
            .ok_or_else(|| ApiError::NotFound(key.clone()))
    }

    /// Whether `base` is the stored version `current`: the same value, or with defaulting
    /// the same resourceVersion, as every write then hands out a new one.
    fn is_stored_version(&self, current: &Rc<Value>, base: &Rc<Value>) -> bool {
        if Rc::ptr_eq(current, base) {
            return true;
        }
        fn version(object: &Value) -> Option<&str> {
            field(object, "/metadata/resourceVersion")
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        }
        if self.config.defaulting
            && let (Some(a), Some(b)) = (version(current), version(base))
        {
            return a == b;
        }
        current == base
    }

    /// The status-subresource write of a patch that names only the status, which the
    /// caller merged into `base` ([`patch::apply_to_status_owned`]) and gives `status`, the
    /// merge's answer, instead of the patch. `base` must be the stored version
    /// ([`Store::holds`]): without the patch the store cannot merge it again, and answers
    /// that it is not, writing nothing. Otherwise the answer is [`Store::patch_prepared`]'s.
    /// A merge that failed never reaches the store: [`Store::patch`] answers it with
    /// [`ApiError::Patch`] of the merge's message.
    pub fn write_prepared_status(
        &mut self,
        key: &ObjectKey,
        base: Rc<Value>,
        status: Option<Value>,
    ) -> Result<Rc<Value>, ApiError> {
        let current = self.stored_version(key)?;
        if !self.is_stored_version(&current, &base) {
            return Err(ApiError::Invalid(format!(
                "{} {:?}: the status was merged into a version that is no longer stored",
                key.kind, key.name
            )));
        }
        drop(base);
        self.write_status(key, current, status)
    }

    /// A status-subresource write of `status` over the stored version `current`, for a
    /// patch that names only the status: the rest of the object stays as stored, so only
    /// the status is compared, and it is already in its encoding.
    fn write_status(
        &mut self,
        key: &ObjectKey,
        current: Rc<Value>,
        status: Option<Value>,
    ) -> Result<Rc<Value>, ApiError> {
        if status.as_ref() == current.get("status") {
            return Ok(current);
        }
        if removed_on_write(&current) {
            let mut next = (*current).clone();
            set_status(&mut next, status);
            self.remove(key, next.clone());
            return Ok(Rc::new(next));
        }

        // The only handle left may be the store's own, once this one goes.
        drop(current);
        let Some(stored) = self.objects.get_mut(key) else {
            return Err(ApiError::NotFound(key.clone()));
        };
        let Some(object) = stored.live.get_mut().and_then(Rc::get_mut) else {
            let mut next = (**stored.object()).clone();
            set_status(&mut next, status);
            return Ok(self.commit_shared(key.clone(), next, WatchEventType::Modified));
        };
        set_status(object, status);
        stored.revision = stamp(&mut self.version, &self.config, object);
        // The packed bytes, if any, are of the version before.
        stored.packed = None;
        let object = Rc::clone(stored.object());
        self.announce(WatchEventType::Modified, key.clone(), Rc::clone(&object));
        Ok(object)
    }

    /// Whether `version` is the stored version of `key` itself (not a copy of it).
    pub fn holds(&self, key: &ObjectKey, version: &Rc<Value>) -> bool {
        self.objects
            .get(key)
            .and_then(|stored| stored.live.get())
            .is_some_and(|live| Rc::ptr_eq(live, version))
    }

    /// Replaces an object wholesale (a user's edit).
    pub fn update(
        &mut self,
        object: serde_json::Value,
        now: Nanos,
    ) -> Result<serde_json::Value, ApiError> {
        let _ = now;
        let key = ObjectKey::of(&object)?;
        let current = self.stored_version(&key)?;
        // Identity and deletion metadata come from the stored object, as for any write.
        self.write(&key, &current, object, Incoming::Raw)
            .map(|stored| (*stored).clone())
    }

    /// DELETE with an optional grace period in seconds (kwok always sends 0).
    pub fn delete(
        &mut self,
        key: &ObjectKey,
        grace_seconds: Option<i64>,
        now: Nanos,
    ) -> Result<DeleteOutcome, ApiError> {
        let current = self
            .get(key)
            .ok_or_else(|| ApiError::NotFound(key.clone()))?
            .clone();
        let is_pod = key.api_version == "v1" && key.kind == "Pod";
        let mut next = current.clone();

        let deletion_timestamp =
            field(&current, "/metadata/deletionTimestamp").and_then(Value::as_str);
        let current_grace =
            field(&current, "/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64);
        let graceful = match deletion_timestamp {
            // Already terminating: only a Pod's grace period can be shortened; any other
            // request waits for the pending deletion.
            Some(timestamp) => match (current_grace, grace_seconds) {
                (None | Some(0), _) => false,
                (Some(old), Some(new)) if is_pod && new < old => {
                    let deadline =
                        time::parse_rfc3339(timestamp).unwrap_or(now) - seconds(old) + seconds(new);
                    set_deletion(&mut next, deadline, new);
                    true
                }
                _ => return Ok(DeleteOutcome::Terminating(current)),
            },
            None if is_pod => {
                let grace = pod_grace_seconds(&current, grace_seconds);
                set_deletion(&mut next, now + seconds(grace), grace);
                bump_generation(&mut next);
                true
            }
            None => false,
        };

        // Without finalizers the object goes now unless a grace period is still running.
        let grace_now =
            field(&next, "/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64);
        let grace_running = graceful && grace_now != Some(0);
        if !grace_running && finalizers_empty(&next) {
            self.remove(key, current);
            return Ok(DeleteOutcome::Removed);
        }
        if !graceful && deletion_timestamp.is_none() {
            set_deletion(&mut next, now, 0);
            bump_generation(&mut next);
        }

        let next = typed::try_normalize_owned(next).map_err(|e| invalid(key, &e.to_string()))?;
        if next == current {
            return Ok(DeleteOutcome::Terminating(current));
        }
        Ok(DeleteOutcome::Terminating(self.commit(
            key.clone(),
            next,
            WatchEventType::Modified,
        )))
    }

    /// Keeps the object in its packed form instead of a value, for objects that are not
    /// expected to change for a while (a value takes several times the memory of its
    /// packed bytes). Reads and writes decode it again on demand and answer exactly as before.
    /// An object whose current value is still shared elsewhere is left as it is, as
    /// packing it would free nothing.
    pub fn pack(&mut self, key: &ObjectKey) {
        let Some(stored) = self.objects.get_mut(key) else {
            return;
        };
        if stored
            .live
            .get()
            .is_some_and(|live| Rc::strong_count(live) == 1)
        {
            stored.pack();
        }
    }

    /// Packs the object for a caller that holds its stored version `value`, when nobody
    /// else does: the caller gets the packed version to keep instead, or `value` back when
    /// the object is not packed (`value` is not the stored version, or is shared further).
    pub fn pack_version(&mut self, key: &ObjectKey, value: Rc<Value>) -> Result<Packed, Rc<Value>> {
        let Some(stored) = self.objects.get_mut(key) else {
            return Err(value);
        };
        let stored_version = stored
            .live
            .get()
            .is_some_and(|live| Rc::ptr_eq(live, &value));
        // The store's handle and the caller's.
        if !stored_version || Rc::strong_count(&value) > 2 {
            return Err(value);
        }
        match stored.pack() {
            Some(text) => Ok(Packed { text }),
            None => Err(value),
        }
    }

    /// The value of a packed version. When it is still the stored version, the store
    /// keeps the value it decodes, so that the next read of the object does not decode it
    /// again.
    pub fn unpack(&self, key: &ObjectKey, packed: &Packed) -> Rc<Value> {
        match self.objects.get(key) {
            Some(stored)
                if stored
                    .packed
                    .as_ref()
                    .is_some_and(|text| Rc::ptr_eq(text, &packed.text)) =>
            {
                Rc::clone(stored.object())
            }
            _ => Rc::new(decode(&packed.text)),
        }
    }

    /// The watch events queued since the last call, in order.
    pub fn take_events(&mut self) -> Vec<WatchEvent> {
        std::mem::take(&mut self.events)
            .into_iter()
            .map(|event| WatchEvent {
                event_type: event.event_type,
                key: event.key,
                object: Rc::try_unwrap(event.object).unwrap_or_else(|shared| (*shared).clone()),
            })
            .collect()
    }

    /// Like [`Store::take_events`], with each object shared with the store rather than
    /// copied.
    pub fn take_shared_events(&mut self) -> Vec<SharedEvent> {
        std::mem::take(&mut self.events)
    }

    /// Every stored object of a kind, in key order.
    pub fn list(&self, api_version: &str, kind: &str) -> Vec<&serde_json::Value> {
        let mut listed: Vec<(&ObjectKey, &Stored)> = self
            .objects
            .iter()
            .filter(|(key, _)| key.api_version == api_version && key.kind == kind)
            .collect();
        listed.sort_unstable_by_key(|(key, _)| *key);
        listed
            .into_iter()
            .map(|(_, stored)| &**stored.object())
            .collect()
    }

    fn apply_create_defaults(&mut self, key: &ObjectKey, object: &mut Value, now: Nanos) {
        let uid_missing = field(object, "/metadata/uid")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if uid_missing {
            self.uids += 1;
            let uid = format!("00000000-0000-4000-8000-{:012x}", self.uids);
            set_metadata(object, "uid", Some(Value::String(uid)));
        }
        if field(object, "/metadata/creationTimestamp").is_none_or(Value::is_null) {
            set_metadata(
                object,
                "creationTimestamp",
                Some(Value::String(time::format_seconds(now))),
            );
        }
        let phase_defaulted = key.api_version == "v1"
            && matches!(
                key.kind.as_str(),
                "Pod" | "PersistentVolume" | "PersistentVolumeClaim"
            );
        if phase_defaulted
            && field(object, "/status/phase")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            let Value::Object(map) = object else { return };
            let status = map
                .entry("status")
                .or_insert_with(|| Value::Object(Map::new()));
            if !status.is_object() {
                *status = Value::Object(Map::new());
            }
            if let Value::Object(status) = status {
                status.insert("phase".to_string(), Value::String("Pending".to_string()));
            }
        }
    }

    /// A main-resource write keeps the stored status of kinds with a status subresource.
    fn main_resource_write(&self, key: &ObjectKey, current: &Value, mut patched: Value) -> Value {
        if has_status_subresource(&key.api_version, &key.kind) {
            set_or_remove(&mut patched, "status", current.get("status"));
        }
        patched
    }

    /// Stores `next` as the new version of `key` unless it equals `current`; removes the
    /// object instead when it is terminating with no finalizers left and grace period 0.
    fn write(
        &mut self,
        key: &ObjectKey,
        current: &Rc<Value>,
        mut next: Value,
        incoming: Incoming,
    ) -> Result<Rc<Value>, ApiError> {
        // A write keeps these as stored; most writes left them as they were already.
        for field in ["apiVersion", "kind"] {
            if next.get(field) != current.get(field) {
                set_or_remove(&mut next, field, current.get(field));
            }
        }
        // Both metadata maps are found once to compare; only a field that differs is put
        // back, which finds the map again.
        let stored_metadata = current.get("metadata");
        let given_metadata = next.get("metadata");
        let differs = PROTECTED_METADATA.map(|field| {
            given_metadata.and_then(|metadata| metadata.get(field))
                != stored_metadata.and_then(|metadata| metadata.get(field))
        });
        for (field, differs) in PROTECTED_METADATA.into_iter().zip(differs) {
            if differs {
                let stored = stored_metadata.and_then(|metadata| metadata.get(field));
                set_metadata(&mut next, field, stored.cloned());
            }
        }
        let next = match incoming {
            Incoming::Encoded => next,
            Incoming::Raw => {
                typed::try_normalize_owned(next).map_err(|e| invalid(key, &e.to_string()))?
            }
        };
        if next == **current {
            return Ok(Rc::clone(current));
        }

        if removed_on_write(&next) {
            self.remove(key, next.clone());
            return Ok(Rc::new(next));
        }

        Ok(self.commit_shared(key.clone(), next, WatchEventType::Modified))
    }

    /// Stores a new version of an object and queues its event; returns a copy.
    fn commit(&mut self, key: ObjectKey, object: Value, event_type: WatchEventType) -> Value {
        (*self.commit_shared(key, object, event_type)).clone()
    }

    /// Stores a new version of an object and queues its event, both sharing one value;
    /// returns it.
    fn commit_shared(
        &mut self,
        key: ObjectKey,
        mut object: Value,
        event_type: WatchEventType,
    ) -> Rc<Value> {
        let revision = stamp(&mut self.version, &self.config, &mut object);
        let object = Rc::new(object);
        // A new version of a stored object takes its place under the key already there,
        // so the event can have this one without a copy.
        let stored = Stored::new(Rc::clone(&object), revision);
        match self.objects.get_mut(&key) {
            Some(slot) => *slot = stored,
            None => {
                self.objects.insert(key.clone(), stored);
            }
        }
        self.announce(event_type, key, Rc::clone(&object));
        object
    }

    fn remove(&mut self, key: &ObjectKey, mut last: Value) {
        stamp(&mut self.version, &self.config, &mut last);
        self.objects.remove(key);
        self.announce(WatchEventType::Deleted, key.clone(), Rc::new(last));
    }

    /// Queues the watch event of a write, holding the version it wrote.
    fn announce(&mut self, event_type: WatchEventType, key: ObjectKey, object: Rc<Value>) {
        self.events.push(SharedEvent {
            event_type,
            key,
            object,
        });
    }
}

/// Hands out the next resource version to `object`, the version a write stores (or the
/// last one of an object it removes), and writes it into its metadata when defaulting is
/// on. Every write that changes an object takes one. It takes the counter rather than the
/// store so that a write into a stored version can call it while that version is borrowed.
fn stamp(version: &mut u64, config: &StoreConfig, object: &mut Value) -> u64 {
    *version += 1;
    // A `u64` itself, not the reference: its text is written by the integer's own path.
    let next = *version;
    if config.defaulting {
        set_metadata(
            object,
            "resourceVersion",
            Some(Value::String(next.to_string())),
        );
    }
    next
}

/// A packed version's value. The bytes are this store's own packing of a value, so they
/// always read back; `null` only guards against the impossible.
fn decode(bytes: &[u8]) -> Value {
    pack::decode(bytes).unwrap_or(Value::Null)
}

/// Whether two versions have the same `apiVersion` and `kind`.
fn same_type(a: &Value, b: &Value) -> bool {
    a.get("apiVersion") == b.get("apiVersion") && a.get("kind") == b.get("kind")
}

/// A status-subresource write: only `.status` changes (for Pods also labels and
/// annotations, as `podStatusStrategy` lets them through).
fn status_write(key: &ObjectKey, current: &Value, patched: &Value) -> Value {
    let mut next = current.clone();
    set_or_remove(&mut next, "status", patched.get("status"));
    if key.api_version == "v1" && key.kind == "Pod" {
        for field in ["labels", "annotations"] {
            set_metadata(
                &mut next,
                field,
                patched
                    .get("metadata")
                    .and_then(|metadata| metadata.get(field))
                    .cloned(),
            );
        }
    }
    next
}

/// `CheckGracefulDelete` for Pods: the request's grace period, else the Pod's, else 30 s;
/// 0 for a Pod that is not scheduled or has finished; negative becomes 1.
fn pod_grace_seconds(pod: &Value, requested: Option<i64>) -> i64 {
    let mut grace = requested
        .or_else(|| field(pod, "/spec/terminationGracePeriodSeconds").and_then(Value::as_i64))
        .unwrap_or(DEFAULT_POD_GRACE_SECONDS);
    let node_name = field(pod, "/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let phase = field(pod, "/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if node_name.is_empty() || matches!(phase, "Succeeded" | "Failed") {
        grace = 0;
    }
    if grace < 0 { 1 } else { grace }
}

fn set_deletion(object: &mut Value, deadline: Nanos, grace: i64) {
    set_metadata(
        object,
        "deletionTimestamp",
        Some(Value::String(time::format_seconds(deadline))),
    );
    set_metadata(
        object,
        "deletionGracePeriodSeconds",
        Some(Value::from(grace)),
    );
}

/// Marking an object for deletion bumps a generation that is in use.
fn bump_generation(object: &mut Value) {
    let generation = field(object, "/metadata/generation")
        .and_then(Value::as_i64)
        .filter(|g| *g > 0);
    if let Some(generation) = generation {
        set_metadata(object, "generation", Some(Value::from(generation + 1)));
    }
}

/// Whether a write of `next` removes the object instead: it is terminating, with no
/// finalizers left and grace period 0.
fn removed_on_write(next: &Value) -> bool {
    field(next, "/metadata/deletionTimestamp").is_some_and(|v| !v.is_null())
        && field(next, "/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64) == Some(0)
        && finalizers_empty(next)
}

fn finalizers_empty(object: &Value) -> bool {
    field(object, "/metadata/finalizers")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
}

fn seconds(s: i64) -> Nanos {
    s.saturating_mul(1_000_000_000)
}

/// The object's `metadata` map, made when missing; `None` only when the object is no map.
fn metadata_mut(object: &mut Value) -> Option<&mut Map<String, Value>> {
    let map = object.as_object_mut()?;
    if !map.get("metadata").is_some_and(Value::is_object) {
        map.insert("metadata".to_string(), Value::Object(Map::new()));
    }
    map.get_mut("metadata")?.as_object_mut()
}

fn set_metadata(object: &mut Value, field: &str, value: Option<Value>) {
    let Some(meta) = metadata_mut(object) else {
        return;
    };
    match value {
        Some(value) => {
            meta.insert(field.to_string(), value);
        }
        None => {
            meta.remove(field);
        }
    }
}

fn set_or_remove(object: &mut Value, field: &str, value: Option<&Value>) {
    let Value::Object(map) = object else { return };
    match value {
        Some(value) => {
            map.insert(field.to_string(), value.clone());
        }
        None => {
            map.remove(field);
        }
    }
}

/// Sets the object's `status`, or removes it for `None`.
fn set_status(object: &mut Value, status: Option<Value>) {
    let Value::Object(map) = object else { return };
    match status {
        Some(status) => {
            map.insert("status".to_string(), status);
        }
        None => {
            map.remove("status");
        }
    }
}

fn invalid(key: &ObjectKey, message: &str) -> ApiError {
    ApiError::Invalid(format!("{} {:?} is invalid: {message}", key.kind, key.name))
}
