//! A packed object answers exactly as before: reads, lists, patches, no-ops, deletes and
//! the events they queue.

use serde_json::{Value, json};
use stage_kube::{DeleteOutcome, ObjectKey, Packed, PatchType, Store, StoreConfig, WatchEventType};

const T0: i64 = 1_704_067_200_000_000_000; // 2024-01-01T00:00:00Z

fn pod_key(name: &str) -> ObjectKey {
    ObjectKey::new("v1", "Pod", "default", name)
}

fn pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
           "spec": {"nodeName": "node-0", "containers": [{"name": "app", "image": "nginx"}],
                    "priority": 7, "overhead": {"cpu": "0.5"}},
           "status": {"phase": "Running", "podIP": "10.0.0.2"}})
}

/// Two stores given the same requests, one packing the object after every step.
fn pair() -> (Store, Store) {
    let mut plain = Store::new(StoreConfig { defaulting: true });
    let mut packed = Store::new(StoreConfig { defaulting: true });
    let a = plain.create(pod("web-0"), T0);
    let b = packed.create(pod("web-0"), T0);
    assert_eq!(a, b);
    packed.pack(&pod_key("web-0"));
    (plain, packed)
}

#[test]
fn reads_are_the_same() {
    let (plain, packed) = pair();
    let key = pod_key("web-0");
    assert_eq!(packed.get(&key), plain.get(&key));
    assert_eq!(packed.list("v1", "Pod"), plain.list("v1", "Pod"));
    assert_eq!(packed.revision(&key), plain.revision(&key));
}

#[test]
fn writes_are_the_same() {
    let key = pod_key("web-0");
    let requests: Vec<(&str, PatchType, Value, Option<&str>)> = vec![
        (
            "status merge",
            PatchType::Merge,
            json!({"status": {"phase": "Succeeded"}}),
            Some("status"),
        ),
        (
            "no-op",
            PatchType::Merge,
            json!({"status": {"podIP": "10.0.0.2"}}),
            Some("status"),
        ),
        (
            "labels",
            PatchType::Strategic,
            json!({"metadata": {"labels": {"a": "b"}}}),
            None,
        ),
        (
            "finalizers",
            PatchType::Json,
            json!([{"op": "add", "path": "/metadata/finalizers", "value": ["f"]}]),
            None,
        ),
    ];
    let (mut plain, mut packed) = pair();
    plain.take_events();
    packed.take_events();
    for (name, patch_type, data, subresource) in requests {
        let a = plain.patch(&key, patch_type, &data, subresource, T0);
        let b = packed.patch(&key, patch_type, &data, subresource, T0);
        assert_eq!(b, a, "{name}");
        assert_eq!(packed.take_events(), plain.take_events(), "{name}");
        packed.pack(&key);
    }
    let a = plain.delete(&key, Some(0), T0);
    let b = packed.delete(&key, Some(0), T0);
    assert!(matches!(a, Ok(DeleteOutcome::Terminating(_))));
    assert_eq!(b, a);
    assert_eq!(packed.take_events(), plain.take_events());
}

#[test]
fn an_object_held_elsewhere_is_not_packed_and_still_read() {
    let mut store = Store::new(StoreConfig { defaulting: true });
    let created = store.create_shared(pod("web-0"), T0).expect("created");
    let key = pod_key("web-0");
    store.pack(&key);
    assert_eq!(store.get(&key), Some(&*created));
    let events = store.take_events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, WatchEventType::Added);
    assert_eq!(events[0].object, *created);
}

#[test]
fn packing_a_missing_object_does_nothing() {
    let mut store = Store::new(StoreConfig { defaulting: false });
    store.pack(&pod_key("nobody"));
    assert_eq!(store.get(&pod_key("nobody")), None);
}

/// A store with web-0, whose version the caller handed over to be packed: the store, the
/// key, the version as it was, and its packed form.
fn web_0_handed_over() -> (Store, ObjectKey, Value, Packed) {
    let mut store = Store::new(StoreConfig { defaulting: true });
    let key = pod_key("web-0");
    let version = store.create_shared(pod("web-0"), T0).unwrap();
    // The Added event holds the version too until it is taken.
    drop(store.take_shared_events());
    let expected = (*version).clone();
    let Ok(packed) = store.pack_version(&key, version) else {
        panic!("the stored version, held only by the store and the caller, is packed");
    };
    (store, key, expected, packed)
}

#[test]
fn a_version_handed_over_is_packed_and_unpacks_to_itself() {
    let (store, key, expected, packed) = web_0_handed_over();
    let unpacked = store.unpack(&key, &packed);
    assert_eq!(*unpacked, expected);
    // Still the stored version: the store keeps the decoded value instead of decoding again.
    assert!(std::ptr::eq(store.get(&key).unwrap(), &*unpacked));
}

#[test]
fn a_version_shared_further_or_not_stored_is_given_back() {
    let mut store = Store::new(StoreConfig { defaulting: true });
    let key = pod_key("web-0");
    let version = store.create_shared(pod("web-0"), T0).unwrap();
    drop(store.take_shared_events());
    let other = std::rc::Rc::clone(&version);
    let Err(version) = store.pack_version(&key, version) else {
        panic!("a third holder keeps the value alive, so nothing is packed");
    };
    drop(other);
    let copy = std::rc::Rc::new((*version).clone());
    assert!(
        store.pack_version(&key, copy).is_err(),
        "an equal copy is not the stored version"
    );
}

#[test]
fn a_packed_version_outlives_a_newer_one() {
    let (mut store, key, expected, packed) = web_0_handed_over();
    let status = json!({"status": {"phase": "Succeeded"}});
    store
        .patch(&key, PatchType::Merge, &status, Some("status"), T0)
        .unwrap();
    // The job's version is decoded from its own text, not from the store's newer one.
    assert_eq!(*store.unpack(&key, &packed), expected);
    assert_eq!(store.get(&key).unwrap()["status"]["phase"], "Succeeded");
}

#[test]
fn floats_come_back_exactly() {
    // 212.91890726713459 is one of the floats a plain text round trip moves by one ulp.
    let ratio = 212.918_907_267_134_59_f64;
    let mut store = Store::new(StoreConfig { defaulting: true });
    let key = ObjectKey::new("example.com/v1", "Widget", "default", "w");
    let widget = json!({"apiVersion": "example.com/v1", "kind": "Widget",
                        "metadata": {"name": "w", "namespace": "default"},
                        "spec": {"ratio": ratio}});
    store.create(widget, T0).expect("the widget is valid");
    // The queued event holds the version too; only a version held by the store alone packs.
    store.take_events();
    store.pack(&key);
    let back = store.get(&key).expect("the widget is stored");
    assert_eq!(back["spec"]["ratio"].as_f64(), Some(ratio));
}
