//! The in-memory API server: create, patch with subresources, no-ops, deletion paths,
//! events, and a replay of the requests kwok sent in the golden cases.

use serde_json::{Value, json};
use stage_kube::time::parse_rfc3339;
use stage_kube::{
    ApiError, DeleteOutcome, ObjectKey, PatchType, Store, StoreConfig, WatchEventType,
};

const T0: i64 = 1_704_067_200_000_000_000; // 2024-01-01T00:00:00Z
const SECOND: i64 = 1_000_000_000;

fn plain() -> Store {
    Store::new(StoreConfig { defaulting: false })
}

fn defaulting() -> Store {
    Store::new(StoreConfig { defaulting: true })
}

fn pod_key(name: &str) -> ObjectKey {
    ObjectKey::new("v1", "Pod", "default", name)
}

fn running_pod(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
           "spec": {"nodeName": "node-0", "containers": [{"name": "app", "image": "nginx"}]},
           "status": {"phase": "Running"}})
}

fn config_map(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"}, "data": {"a": "1"}})
}

fn event_types(store: &mut Store) -> Vec<WatchEventType> {
    store
        .take_events()
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

fn with(mut object: Value, pointer: &str, value: Value) -> Value {
    let (parent, field) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(map)) = object.pointer_mut(parent) {
        map.insert(field.to_string(), value);
    }
    object
}

#[test]
fn create_and_get() {
    let mut store = plain();
    let created = store.create(running_pod("web-0"), T0).expect("created");
    assert_eq!(
        created["spec"]["containers"][0]["resources"],
        json!({}),
        "typed encoding on create"
    );
    assert_eq!(created["metadata"]["creationTimestamp"], Value::Null);
    assert_eq!(created["metadata"].get("uid"), None, "no defaulting");
    assert_eq!(store.get(&pod_key("web-0")), Some(&created));
    assert_eq!(event_types(&mut store), [WatchEventType::Added]);

    let again = store.create(running_pod("web-0"), T0);
    assert_eq!(again, Err(ApiError::AlreadyExists(pod_key("web-0"))));
    assert_eq!(event_types(&mut store), []);
}

#[test]
fn create_with_defaulting() {
    let mut store = defaulting();
    let pending = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "default"}, "spec": {}});
    let a = store.create(pending, T0 + 1_500_000_000).expect("created");
    assert_eq!(
        a["metadata"]["uid"],
        json!("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(a["metadata"]["resourceVersion"], json!("1"));
    assert_eq!(
        a["metadata"]["creationTimestamp"],
        json!("2024-01-01T00:00:01Z")
    );
    assert_eq!(a["status"]["phase"], json!("Pending"));

    let b = store.create(running_pod("b"), T0).expect("created");
    assert_eq!(
        b["metadata"]["uid"],
        json!("00000000-0000-4000-8000-000000000002")
    );
    assert_eq!(b["metadata"]["resourceVersion"], json!("2"));
    assert_eq!(
        b["status"]["phase"],
        json!("Running"),
        "a given phase stays"
    );

    let pvc = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c", "namespace": "default", "uid": "given"}});
    let c = store.create(pvc, T0).expect("created");
    assert_eq!(c["status"], json!({"phase": "Pending"}));
    assert_eq!(c["metadata"]["uid"], json!("given"));

    let cm = store.create(config_map("d"), T0).expect("created");
    assert_eq!(cm.get("status"), None, "no phase for other kinds");
}

#[test]
fn create_without_defaulting_leaves_phase_alone() {
    let mut store = plain();
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}});
    let created = store.create(pod, T0).expect("created");
    assert_eq!(created["status"], json!({}));
}

#[test]
fn create_rejects_bad_objects() {
    let mut store = plain();
    let cases = [
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {}}),
            "Pod \"\" is invalid: metadata.name: Required value: name or generateName is required",
        ),
        (
            json!({"apiVersion": "v1", "metadata": {"name": "x"}}),
            "Object 'Kind' is missing",
        ),
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"nodeName": 1}}),
            "Pod \"x\" is invalid: spec.nodeName: cannot unmarshal number into a field of type string",
        ),
    ];
    for (object, message) in cases {
        let err = store.create(object, T0).expect_err(message);
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn error_messages() {
    let cases = [
        (
            ApiError::NotFound(pod_key("web-0")),
            "pods \"web-0\" not found",
        ),
        (
            ApiError::NotFound(ObjectKey::new("v1", "Node", "", "n")),
            "nodes \"n\" not found",
        ),
        (
            ApiError::AlreadyExists(ObjectKey::new("apps/v1", "Deployment", "d", "x")),
            "deployments.apps \"x\" already exists",
        ),
        (
            ApiError::NotFound(ObjectKey::new("v1", "Endpoints", "", "e")),
            "endpoints \"e\" not found",
        ),
        (
            ApiError::NotFound(ObjectKey::new("kwok.x-k8s.io/v1alpha1", "Stage", "", "s")),
            "stages.kwok.x-k8s.io \"s\" not found",
        ),
        (
            ApiError::NotFound(ObjectKey::new("v1", "PersistentVolumeClaim", "d", "c")),
            "persistentvolumeclaims \"c\" not found",
        ),
        (
            ApiError::NotFound(ObjectKey::new("policy/v1", "PodDisruptionBudget", "d", "b")),
            "poddisruptionbudgets.policy \"b\" not found",
        ),
        (
            ApiError::NotFound(ObjectKey::new(
                "networking.k8s.io/v1",
                "NetworkPolicy",
                "d",
                "b",
            )),
            "networkpolicies.networking.k8s.io \"b\" not found",
        ),
        (ApiError::Invalid("x".into()), "x"),
        (ApiError::Patch("y".into()), "y"),
    ];
    for (error, want) in cases {
        assert_eq!(error.to_string(), want);
    }
}

#[test]
fn missing_objects() {
    let mut store = plain();
    let key = pod_key("gone");
    assert_eq!(
        store.patch(&key, PatchType::Merge, &json!({}), None, T0),
        Err(ApiError::NotFound(key.clone()))
    );
    assert_eq!(
        store.delete(&key, Some(0), T0),
        Err(ApiError::NotFound(key.clone()))
    );
    assert_eq!(
        store.update(running_pod("gone"), T0),
        Err(ApiError::NotFound(key))
    );
}

#[test]
fn status_subresource() {
    // (patch, subresource, pointer, expected afterwards, whether it changed)
    let cases: Vec<(Value, Option<&str>, &str, Value, bool)> = vec![
        (
            json!({"status": {"phase": "Failed"}}),
            Some("status"),
            "/status/phase",
            json!("Failed"),
            true,
        ),
        // The status subresource ignores everything else.
        (
            json!({"spec": {"nodeName": "other"}}),
            Some("status"),
            "/spec/nodeName",
            json!("node-0"),
            false,
        ),
        (
            json!({"metadata": {"finalizers": ["f"]}}),
            Some("status"),
            "/metadata/finalizers",
            Value::Null,
            false,
        ),
        // For Pods it lets labels and annotations through.
        (
            json!({"metadata": {"labels": {"a": "b"}}}),
            Some("status"),
            "/metadata/labels",
            json!({"a": "b"}),
            true,
        ),
        // The main resource ignores the status.
        (
            json!({"status": {"phase": "Failed"}}),
            None,
            "/status/phase",
            json!("Running"),
            false,
        ),
        (
            json!({"metadata": {"labels": {"a": "b"}}, "status": {"phase": "Failed"}}),
            None,
            "/status/phase",
            json!("Running"),
            true,
        ),
        (
            json!({"metadata": {"finalizers": ["f"]}}),
            None,
            "/metadata/finalizers",
            json!(["f"]),
            true,
        ),
    ];
    for (patch, subresource, pointer, want, changed) in cases {
        let mut store = plain();
        store.create(running_pod("p"), T0).expect("created");
        store.take_events();
        let got = store
            .patch(&pod_key("p"), PatchType::Strategic, &patch, subresource, T0)
            .expect("patched");
        assert_eq!(
            got.pointer(pointer).unwrap_or(&Value::Null),
            &want,
            "{patch} {subresource:?}"
        );
        let events = event_types(&mut store);
        assert_eq!(
            events.len(),
            usize::from(changed),
            "{patch} {subresource:?}"
        );
    }

    // Kinds without a status subresource take status changes on the main resource.
    let mut store = plain();
    let cm = with(config_map("c"), "/status", json!({"x": 1}));
    store.create(cm, T0).expect("created");
    let key = ObjectKey::new("v1", "ConfigMap", "default", "c");
    let got = store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"status": {"x": 2}}),
            None,
            T0,
        )
        .expect("patched");
    assert_eq!(got["status"], json!({"x": 2}));
    // A custom resource is assumed to have one.
    let stage = json!({"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "metadata": {"name": "s"}, "spec": {}});
    store.create(stage, T0).expect("created");
    let key = ObjectKey::new("kwok.x-k8s.io/v1alpha1", "Stage", "", "s");
    let got = store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"status": {"x": 1}}),
            None,
            T0,
        )
        .expect("patched");
    assert_eq!(got.get("status"), None);
    let got = store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"status": {"x": 1}}),
            Some("status"),
            T0,
        )
        .expect("patched");
    assert_eq!(got["status"], json!({"x": 1}));
    let err = store
        .patch(&key, PatchType::Merge, &json!({}), Some("scale"), T0)
        .expect_err("unknown subresource");
    assert!(matches!(err, ApiError::Invalid(_)));
}

#[test]
fn resource_versions_and_no_ops() {
    let mut store = defaulting();
    store.create(running_pod("p"), T0).expect("created");
    store.create(config_map("c"), T0).expect("created");
    let key = pod_key("p");
    assert_eq!(store.revision(&key), Some(1));

    let same = store
        .patch(
            &key,
            PatchType::Strategic,
            &json!({"status": {"phase": "Running"}}),
            Some("status"),
            T0,
        )
        .expect("patched");
    assert_eq!(
        same["metadata"]["resourceVersion"],
        json!("1"),
        "no-op keeps the version"
    );
    // Sub-second differences vanish in the typed encoding, so this is a no-op too.
    store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"metadata": {"creationTimestamp": "2024-01-01T00:00:00Z"}}),
            None,
            T0,
        )
        .expect("patched");

    let changed = store
        .patch(
            &key,
            PatchType::Strategic,
            &json!({"status": {"phase": "Failed"}}),
            Some("status"),
            T0,
        )
        .expect("patched");
    assert_eq!(
        changed["metadata"]["resourceVersion"],
        json!("3"),
        "versions count across the store"
    );
    assert_eq!(store.revision(&key), Some(3));
    assert_eq!(
        event_types(&mut store),
        [
            WatchEventType::Added,
            WatchEventType::Added,
            WatchEventType::Modified
        ]
    );

    // Identity metadata cannot be patched.
    let got = store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"metadata": {"uid": "x", "resourceVersion": "99", "name": "q"}}),
            None,
            T0,
        )
        .expect("patched");
    assert_eq!(
        got["metadata"]["uid"],
        json!("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(got["metadata"]["name"], json!("p"));
    assert_eq!(event_types(&mut store), []);
}

#[test]
fn failing_patches_change_nothing() {
    let mut store = plain();
    store.create(running_pod("p"), T0).expect("created");
    store.take_events();
    let key = pod_key("p");
    let before = store.get(&key).cloned();
    let cases = [
        (
            PatchType::Json,
            json!([{"op": "remove", "path": "/metadata/finalizers/0"}]),
        ),
        (
            PatchType::Strategic,
            json!({"status": {"conditions": "Ready"}}),
        ),
        (PatchType::Merge, json!({"status": {"phase": 3}})),
    ];
    for (patch_type, patch) in cases {
        let err = store
            .patch(&key, patch_type, &patch, None, T0)
            .expect_err("fails");
        assert!(matches!(err, ApiError::Patch(_)), "{err:?}");
    }
    let err = store.patch(
        &ObjectKey::new("v1", "ConfigMap", "default", "c"),
        PatchType::Strategic,
        &json!({}),
        None,
        T0,
    );
    assert!(matches!(err, Err(ApiError::NotFound(_))));
    store.create(config_map("c"), T0).expect("created");
    let err = store.patch(
        &ObjectKey::new("v1", "ConfigMap", "default", "c"),
        PatchType::Strategic,
        &json!({}),
        None,
        T0,
    );
    assert!(matches!(err, Err(ApiError::Patch(_))));
    assert_eq!(store.get(&key).cloned(), before);
}

#[test]
fn update_replaces_the_object() {
    let mut store = defaulting();
    store.create(running_pod("p"), T0).expect("created");
    store.take_events();
    let edited = with(running_pod("p"), "/status", json!({"phase": "Succeeded"}));
    let got = store.update(edited.clone(), T0).expect("updated");
    assert_eq!(got["status"], json!({"phase": "Succeeded"}));
    assert_eq!(
        got["metadata"]["uid"],
        json!("00000000-0000-4000-8000-000000000001"),
        "identity kept"
    );
    assert_eq!(got["metadata"]["resourceVersion"], json!("2"));
    store.update(edited, T0).expect("updated");
    assert_eq!(
        event_types(&mut store),
        [WatchEventType::Modified],
        "the repeat is a no-op"
    );
}

#[test]
fn deletion_paths() {
    struct Case {
        name: &'static str,
        object: Value,
        grace: Option<i64>,
        /// `None`: removed at once; otherwise (deletionTimestamp, deletionGracePeriodSeconds).
        terminating: Option<(&'static str, i64)>,
    }
    let now = T0 + 10 * SECOND;
    let cases = [
        Case {
            name: "config map",
            object: config_map("c"),
            grace: Some(0),
            terminating: None,
        },
        Case {
            name: "config map ignores grace",
            object: config_map("c"),
            grace: Some(30),
            terminating: None,
        },
        Case {
            name: "config map with finalizer",
            object: with(config_map("c"), "/metadata/finalizers", json!(["f"])),
            grace: Some(30),
            terminating: Some(("2024-01-01T00:00:10Z", 0)),
        },
        Case {
            name: "pod grace 0",
            object: running_pod("p"),
            grace: Some(0),
            terminating: None,
        },
        Case {
            name: "pod default grace",
            object: running_pod("p"),
            grace: None,
            terminating: Some(("2024-01-01T00:00:40Z", 30)),
        },
        Case {
            name: "pod request grace",
            object: running_pod("p"),
            grace: Some(5),
            terminating: Some(("2024-01-01T00:00:15Z", 5)),
        },
        Case {
            name: "pod spec grace",
            object: with(
                running_pod("p"),
                "/spec/terminationGracePeriodSeconds",
                json!(7),
            ),
            grace: None,
            terminating: Some(("2024-01-01T00:00:17Z", 7)),
        },
        Case {
            name: "pod negative grace",
            object: running_pod("p"),
            grace: Some(-3),
            terminating: Some(("2024-01-01T00:00:11Z", 1)),
        },
        Case {
            name: "unscheduled pod",
            object: with(running_pod("p"), "/spec/nodeName", json!("")),
            grace: None,
            terminating: None,
        },
        Case {
            name: "succeeded pod",
            object: with(running_pod("p"), "/status/phase", json!("Succeeded")),
            grace: None,
            terminating: None,
        },
        Case {
            name: "failed pod",
            object: with(running_pod("p"), "/status/phase", json!("Failed")),
            grace: Some(30),
            terminating: None,
        },
        Case {
            name: "pod with finalizer, grace 0",
            object: with(running_pod("p"), "/metadata/finalizers", json!(["f"])),
            grace: Some(0),
            terminating: Some(("2024-01-01T00:00:10Z", 0)),
        },
    ];
    for case in cases {
        let mut store = plain();
        let created = store.create(case.object, T0).expect("created");
        let key = ObjectKey::of(&created).expect("key");
        store.take_events();
        let outcome = store.delete(&key, case.grace, now).expect("deleted");
        let events = event_types(&mut store);
        match case.terminating {
            None => {
                assert_eq!(outcome, DeleteOutcome::Removed, "{}", case.name);
                assert_eq!(store.get(&key), None, "{}", case.name);
                assert_eq!(events, [WatchEventType::Deleted], "{}", case.name);
            }
            Some((timestamp, grace)) => {
                let DeleteOutcome::Terminating(object) = outcome else {
                    panic!("{}: removed", case.name);
                };
                assert_eq!(
                    object["metadata"]["deletionTimestamp"],
                    json!(timestamp),
                    "{}",
                    case.name
                );
                assert_eq!(
                    object["metadata"]["deletionGracePeriodSeconds"],
                    json!(grace),
                    "{}",
                    case.name
                );
                assert_eq!(store.get(&key), Some(&object), "{}", case.name);
                assert_eq!(events, [WatchEventType::Modified], "{}", case.name);
            }
        }
    }
}

#[test]
fn finalizers_hold_a_terminating_object() {
    let mut store = plain();
    store
        .create(
            with(running_pod("p"), "/metadata/finalizers", json!(["a", "b"])),
            T0,
        )
        .expect("created");
    let key = pod_key("p");
    store.delete(&key, Some(0), T0).expect("deleted");
    store.take_events();

    // Deleting again changes nothing.
    assert!(matches!(
        store.delete(&key, Some(0), T0 + SECOND),
        Ok(DeleteOutcome::Terminating(_))
    ));
    assert_eq!(event_types(&mut store), []);

    store
        .patch(
            &key,
            PatchType::Json,
            &json!([{"op": "remove", "path": "/metadata/finalizers/0"}]),
            None,
            T0,
        )
        .expect("patched");
    assert!(store.get(&key).is_some());
    store
        .patch(
            &key,
            PatchType::Json,
            &json!([{"op": "remove", "path": "/metadata/finalizers"}]),
            None,
            T0,
        )
        .expect("patched");
    assert_eq!(store.get(&key), None, "no finalizers and grace 0: removed");
    assert_eq!(
        event_types(&mut store),
        [WatchEventType::Modified, WatchEventType::Deleted]
    );
}

#[test]
fn graceful_pod_waits_for_a_shorter_delete() {
    let mut store = plain();
    store
        .create(
            with(running_pod("p"), "/metadata/finalizers", json!(["f"])),
            T0,
        )
        .expect("created");
    let key = pod_key("p");
    store.delete(&key, None, T0).expect("deleted");
    // Emptying the finalizers does not remove a Pod whose grace period is still running.
    store
        .patch(
            &key,
            PatchType::Merge,
            &json!({"metadata": {"finalizers": null}}),
            None,
            T0,
        )
        .expect("patched");
    assert!(store.get(&key).is_some());
    // A longer grace period changes nothing.
    store.take_events();
    store.delete(&key, Some(60), T0 + SECOND).expect("deleted");
    assert_eq!(event_types(&mut store), []);
    // A shorter one moves the deadline earlier.
    let outcome = store.delete(&key, Some(10), T0 + SECOND).expect("deleted");
    let DeleteOutcome::Terminating(object) = outcome else {
        panic!("removed")
    };
    assert_eq!(
        object["metadata"]["deletionTimestamp"],
        json!("2024-01-01T00:00:10Z")
    );
    assert_eq!(object["metadata"]["deletionGracePeriodSeconds"], json!(10));
    // Grace 0, as kwok's pod-delete Stage sends it, removes it.
    assert_eq!(
        store.delete(&key, Some(0), T0 + 2 * SECOND),
        Ok(DeleteOutcome::Removed)
    );
    assert_eq!(
        event_types(&mut store),
        [WatchEventType::Modified, WatchEventType::Deleted]
    );
}

#[test]
fn list_in_key_order() {
    let mut store = plain();
    for name in ["b", "a", "c"] {
        store.create(running_pod(name), T0).expect("created");
    }
    store.create(config_map("a"), T0).expect("created");
    let names: Vec<&str> = store
        .list("v1", "Pod")
        .iter()
        .filter_map(|o| o["metadata"]["name"].as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(store.list("v1", "ConfigMap").len(), 1);
    assert_eq!(store.list("v1", "Node").len(), 0);
    let events = store.take_events();
    let order: Vec<&str> = events.iter().map(|e| e.key.name.as_str()).collect();
    assert_eq!(order, ["b", "a", "c", "a"]);
}

/// Replays the requests kwok sent in each golden simulation (patches, then a delete when
/// the step asked for one) and compares the stored object after every step.
#[test]
fn golden_requests_replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden");
    let mut steps_checked = 0;
    for entry in std::fs::read_dir(&dir).expect("golden directory") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if !name.starts_with("sim-") {
            continue;
        }
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let object = stage_yaml::parse_value(case["request"]["object"].as_str().expect("object"))
            .expect("yaml");
        let mut store = plain();
        let created = store.create(object, T0).expect("created");
        let key = ObjectKey::of(&created).expect("key");

        for step in case["response"]["steps"].as_array().expect("steps") {
            let now = step["played_at"]
                .as_str()
                .and_then(parse_rfc3339)
                .unwrap_or(T0);
            for patch in step["patches"].as_array().into_iter().flatten() {
                if patch["applied"] == json!(false) {
                    continue;
                }
                let patch_type = match patch["type"].as_str() {
                    Some("application/json-patch+json") => PatchType::Json,
                    Some("application/merge-patch+json") => PatchType::Merge,
                    _ => PatchType::Strategic,
                };
                let subresource = patch["subresource"].as_str();
                store
                    .patch(&key, patch_type, &patch["data"], subresource, now)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            if step["delete_requested"] == json!(true) {
                store
                    .delete(&key, Some(0), now)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            let after = store.get(&key).cloned().unwrap_or(Value::Null);
            assert_eq!(after, step["object_after"], "{name} step {}", step["step"]);
            steps_checked += 1;
        }
    }
    assert!(
        steps_checked >= 10,
        "only {steps_checked} golden steps replayed"
    );
}

/// kwok's end-to-end JSON patch Stages (`test/e2e/jsonpatch.yaml`): a root-prefixed
/// `replace` of an escaped annotation on a Stage, and of `/status/phase` through the
/// status subresource of a Pod and a Node.
#[test]
fn e2e_json_patches() {
    let mut store = plain();
    let stage = json!({"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage",
        "metadata": {"name": "s", "annotations": {"kwok.x-k8s.io/test-jsonpatch-available": "False"}}, "spec": {}});
    store.create(stage, T0).expect("created");
    store.create(running_pod("p"), T0).expect("created");
    let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"phase": "Running"}});
    store.create(node, T0).expect("created");

    let key = ObjectKey::new("kwok.x-k8s.io/v1alpha1", "Stage", "", "s");
    let patch = json!([{"op": "replace", "path": "/metadata/annotations/kwok.x-k8s.io~1test-jsonpatch-available", "value": "True"}]);
    let got = store
        .patch(&key, PatchType::Json, &patch, None, T0)
        .expect("patched");
    assert_eq!(
        got["metadata"]["annotations"],
        json!({"kwok.x-k8s.io/test-jsonpatch-available": "True"})
    );

    let patch = json!([{"op": "replace", "path": "/status/phase", "value": "Failed"}]);
    let got = store
        .patch(&pod_key("p"), PatchType::Json, &patch, Some("status"), T0)
        .expect("patched");
    assert_eq!(got["status"]["phase"], json!("Failed"));

    let patch = json!([{"op": "replace", "path": "/status/phase", "value": "Terminated"}]);
    let key = ObjectKey::new("v1", "Node", "", "n");
    let got = store
        .patch(&key, PatchType::Json, &patch, Some("status"), T0)
        .expect("patched");
    assert_eq!(got["status"]["phase"], json!("Terminated"));
    // The same patch on the main resource leaves the status as it was.
    let patch = json!([{"op": "replace", "path": "/status/phase", "value": "Pending"}]);
    let got = store
        .patch(&key, PatchType::Json, &patch, None, T0)
        .expect("patched");
    assert_eq!(got["status"]["phase"], json!("Terminated"));
}
