//! A prepared status-subresource write goes into the stored version itself when the caller
//! handed over the last handle on it, and into a copy otherwise. Either way the store must
//! answer exactly as a plain patch does: the same object, resource version, events and
//! no-ops, and every version handed out before keeps what it held. A status written
//! without its patch (`write_prepared_status`) needs the stored version as its base.

use std::rc::Rc;

use serde_json::{Value, json};
use stage_kube::patch::{apply_to_status, apply_to_status_owned};
use stage_kube::{
    ApiError, ObjectKey, PatchType, Patched, Prepared, SharedEvent, Store, StoreConfig,
    WatchEventType,
};

const T0: i64 = 1_704_067_200_000_000_000;

fn pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
           "spec": {"nodeName": "node-0", "containers": [{"name": "app", "image": "nginx"}]}})
}

fn key() -> ObjectKey {
    ObjectKey::new("v1", "Pod", "default", "p")
}

fn ready() -> Value {
    json!({"status": {"phase": "Running", "podIP": "10.0.0.1",
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

/// A store holding `object`, with its creation event taken, and the stored version.
fn stored(object: Value, defaulting: bool) -> (Store, Rc<Value>) {
    let mut store = Store::new(StoreConfig { defaulting });
    let version = store.create_shared(object, T0).expect("created");
    store.take_shared_events();
    (store, version)
}

/// Stores a later version (label `a: b`), so that versions handed out before are stale,
/// and takes its event.
fn with_a_later_version(store: &mut Store) {
    store
        .patch(
            &key(),
            PatchType::Merge,
            &json!({"metadata": {"labels": {"a": "b"}}}),
            None,
            T0,
        )
        .expect("patched");
    store.take_shared_events();
}

/// The status write sent as the engine sends it: applied to `base` first.
fn prepared_write(
    store: &mut Store,
    base: Rc<Value>,
    data: &Value,
) -> Result<Rc<Value>, stage_kube::ApiError> {
    let status = apply_to_status(&base, data, PatchType::Strategic).expect("applies");
    let prepared = Prepared {
        base,
        patched: Patched::Status(status),
    };
    store.patch_prepared(
        &key(),
        PatchType::Strategic,
        data,
        Some("status"),
        T0,
        Some(prepared),
    )
}

/// The same write as a plain patch on a store of its own.
fn plain_write(object: Value, defaulting: bool, data: &Value) -> (Value, Vec<SharedEvent>) {
    let (mut store, _) = stored(object, defaulting);
    let written = store
        .patch(&key(), PatchType::Strategic, data, Some("status"), T0)
        .expect("patched");
    (written, store.take_shared_events())
}

fn summary(events: &[SharedEvent]) -> Vec<(WatchEventType, Value)> {
    events
        .iter()
        .map(|event| (event.event_type, (*event.object).clone()))
        .collect()
}

#[test]
fn the_last_handle_is_written_in_place() {
    for defaulting in [true, false] {
        let (mut store, version) = stored(pod(), defaulting);
        let address = Rc::as_ptr(&version);
        let written = prepared_write(&mut store, version, &ready()).expect("patched");
        assert_eq!(Rc::as_ptr(&written), address, "no copy was made");

        let (expected, expected_events) = plain_write(pod(), defaulting, &ready());
        assert_eq!(*written, expected);
        assert_eq!(store.get(&key()), Some(&expected));
        assert_eq!(
            summary(&store.take_shared_events()),
            summary(&expected_events)
        );
        assert_eq!(store.revision(&key()), Some(2));
    }
}

#[test]
fn a_shared_version_is_copied_and_keeps_what_it_held() {
    let (mut store, version) = stored(pod(), true);
    let before = (*version).clone();
    let kept = Rc::clone(&version);
    let written = prepared_write(&mut store, version, &ready()).expect("patched");
    assert!(!Rc::ptr_eq(&written, &kept));
    assert_eq!(*kept, before, "the other holder's version is untouched");
    assert_eq!(*written, plain_write(pod(), true, &ready()).0);
}

#[test]
fn an_event_holds_its_version_through_a_later_write() {
    let (mut store, version) = stored(pod(), true);
    let first = prepared_write(&mut store, version, &ready()).expect("patched");
    let first_seen = (*first).clone();
    // The queued event still holds the first write's version, so the second is a copy.
    let failed = json!({"status": {"phase": "Failed"}});
    let second = prepared_write(&mut store, first, &failed).expect("patched");
    let events = store.take_shared_events();
    assert_eq!(events.len(), 2);
    assert_eq!(*events[0].object, first_seen);
    assert_eq!(events[1].object, second);
    assert_eq!(second["metadata"]["resourceVersion"], json!("3"));
    assert_eq!(second["status"]["phase"], json!("Failed"));
}

#[test]
fn a_packed_version_reads_back_as_it_was() {
    let (mut store, version) = stored(pod(), true);
    let before = (*version).clone();
    let packed = store.pack_version(&key(), version).expect("packed");
    let version = store.unpack(&key(), &packed);
    let written = prepared_write(&mut store, version, &ready()).expect("patched");
    assert_eq!(*store.unpack(&key(), &packed), before);
    assert_eq!(store.get(&key()), Some(&*written));

    // Packing the written version packs what it holds now.
    store.take_shared_events();
    let packed = store.pack_version(&key(), written).expect("packed");
    assert_eq!(
        *store.unpack(&key(), &packed),
        plain_write(pod(), true, &ready()).0
    );
}

#[test]
fn an_unchanged_status_writes_nothing() {
    let (mut store, version) = stored(pod(), true);
    let address = Rc::as_ptr(&version);
    let same = json!({"status": {"phase": "Pending"}});
    let written = prepared_write(&mut store, version, &same).expect("patched");
    assert_eq!(Rc::as_ptr(&written), address);
    assert_eq!(store.revision(&key()), Some(1));
    assert!(store.take_shared_events().is_empty());
}

#[test]
fn a_stale_base_is_patched_again() {
    let (mut store, version) = stored(pod(), true);
    with_a_later_version(&mut store);
    // The status was merged into a version the store no longer holds: the store merges
    // the patch into its own.
    let written = prepared_write(&mut store, version, &ready()).expect("patched");
    assert_eq!(written["metadata"]["labels"], json!({"a": "b"}));
    assert_eq!(written["status"]["podIP"], json!("10.0.0.1"));
    assert_eq!(written["metadata"]["resourceVersion"], json!("3"));
}

#[test]
fn a_terminating_object_without_finalizers_goes() {
    let mut terminating = pod();
    terminating["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
    terminating["metadata"]["deletionGracePeriodSeconds"] = json!(0);
    let (mut store, version) = stored(terminating.clone(), true);
    let written = prepared_write(&mut store, version, &ready()).expect("patched");
    assert_eq!(store.get(&key()), None);

    let (expected, expected_events) = plain_write(terminating, true, &ready());
    assert_eq!(*written, expected);
    let events = store.take_shared_events();
    assert_eq!(events[0].event_type, WatchEventType::Deleted);
    assert_eq!(summary(&events), summary(&expected_events));
}

#[test]
fn a_status_prepared_for_the_main_resource_keeps_the_stored_status() {
    let (mut store, version) = stored(pod(), true);
    let status = apply_to_status(&version, &ready(), PatchType::Strategic).expect("applies");
    let prepared = Prepared {
        base: version,
        patched: Patched::Status(status),
    };
    let written = store
        .patch_prepared(
            &key(),
            PatchType::Strategic,
            &ready(),
            None,
            T0,
            Some(prepared),
        )
        .expect("patched");
    assert_eq!(written["status"], json!({"phase": "Pending"}));
    assert!(store.take_shared_events().is_empty());
}

#[test]
fn a_status_without_its_patch_is_written_as_the_patch_would_be() {
    for defaulting in [true, false] {
        let (mut store, version) = stored(pod(), defaulting);
        let address = Rc::as_ptr(&version);
        let status = apply_to_status_owned(&version, ready(), PatchType::Strategic);
        let written = store
            .write_prepared_status(&key(), version, status.expect("merged"))
            .expect("written");
        assert_eq!(Rc::as_ptr(&written), address, "no copy was made");
        let (expected, expected_events) = plain_write(pod(), defaulting, &ready());
        assert_eq!(*written, expected);
        assert_eq!(
            summary(&store.take_shared_events()),
            summary(&expected_events)
        );
    }
}

#[test]
fn a_status_without_its_patch_needs_the_stored_version() {
    let (mut store, version) = stored(pod(), true);
    with_a_later_version(&mut store);
    let before = store.get(&key()).cloned();
    let status = apply_to_status_owned(&version, ready(), PatchType::Strategic);
    let answer = store.write_prepared_status(&key(), version, status.expect("merged"));
    assert!(matches!(answer, Err(ApiError::Invalid(_))), "{answer:?}");
    assert_eq!(store.get(&key()).cloned(), before);
    assert!(store.take_shared_events().is_empty());
}

#[test]
fn a_status_that_failed_to_merge_is_the_patch_error() {
    // The caller answers a failed merge itself; the store's own answer to the patch is
    // that merge's message.
    let (mut store, version) = stored(pod(), true);
    let before = (*version).clone();
    let bad = json!({"status": {"phase": 3}});
    let merged = apply_to_status_owned(&version, bad.clone(), PatchType::Strategic);
    let error = merged.expect_err("a number is no phase");
    let answer = store.patch(&key(), PatchType::Strategic, &bad, Some("status"), T0);
    assert_eq!(answer, Err(ApiError::Patch(error.message)));
    assert_eq!(store.get(&key()), Some(&before));
    assert!(store.take_shared_events().is_empty());
}

#[test]
fn a_status_for_a_missing_object_is_not_found() {
    let (mut store, version) = stored(pod(), true);
    let missing = ObjectKey::new("v1", "Pod", "default", "gone");
    let status = apply_to_status(&version, &ready(), PatchType::Strategic).expect("merged");
    let answer = store.write_prepared_status(&missing, Rc::new((*version).clone()), status);
    assert_eq!(answer, Err(ApiError::NotFound(missing)));
}
