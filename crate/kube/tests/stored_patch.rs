//! `apply_to_stored` re-encodes only the fields a patch names; on a stored (encoded)
//! object its answer must equal `apply`'s for every kind of patch, one case per rule.

use serde_json::{Value, json};
use stage_kube::patch::{PatchType, apply, apply_to_stored};
use stage_kube::typed::normalize;

/// A Pod as the store holds it: already through the typed encoding.
fn stored_pod() -> Value {
    normalize(&json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "p",
            "namespace": "default",
            "labels": {"app": "web"},
            "finalizers": ["a", "b"],
            "creationTimestamp": "2024-01-01T00:00:00Z",
        },
        "spec": {
            "nodeName": "n",
            "containers": [{"name": "app", "image": "nginx", "resources": {"limits": {"cpu": "1000m"}}}],
        },
        "status": {
            "phase": "Pending",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"},
                {"type": "Ready", "status": "False"},
            ],
        },
    }))
}

#[test]
fn same_answer_as_apply() {
    let cases: Vec<(&str, PatchType, Value)> = vec![
        (
            "merge status",
            PatchType::Merge,
            json!({"status": {"phase": "Running", "podIP": "10.0.0.1"}}),
        ),
        (
            "merge removes a field",
            PatchType::Merge,
            json!({"status": {"phase": null}}),
        ),
        (
            "merge unknown field",
            PatchType::Merge,
            json!({"status": {"bogus": 1}, "extra": true}),
        ),
        (
            "merge unknown top level",
            PatchType::Merge,
            json!({"nope": {"a": 1}}),
        ),
        (
            "merge labels",
            PatchType::Merge,
            json!({"metadata": {"labels": {"b": "c", "app": null}}}),
        ),
        (
            "merge sub-second time",
            PatchType::Merge,
            json!({"status": {"startTime": "2024-01-01T00:00:01.5Z"}}),
        ),
        (
            "merge quantity",
            PatchType::Merge,
            json!({"spec": {"overhead": {"cpu": "0.5"}}}),
        ),
        (
            "merge null struct",
            PatchType::Merge,
            json!({"status": null}),
        ),
        (
            "merge empty string omitted",
            PatchType::Merge,
            json!({"spec": {"nodeName": ""}}),
        ),
        (
            "merge int from float",
            PatchType::Merge,
            json!({"spec": {"priority": 3.0}}),
        ),
        (
            "merge zero time",
            PatchType::Merge,
            json!({"metadata": {"creationTimestamp": "0001-01-01T00:00:00Z"}}),
        ),
        (
            "strategic merge key",
            PatchType::Strategic,
            json!({"status": {"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:02.9Z"}]}}),
        ),
        (
            "strategic element order",
            PatchType::Strategic,
            json!({"status": {"$setElementOrder/conditions": [{"type": "Ready"}, {"type": "Initialized"}], "conditions": [{"type": "Ready", "status": "True"}]}}),
        ),
        (
            "strategic replace",
            PatchType::Strategic,
            json!({"status": {"$patch": "replace", "phase": "Failed"}}),
        ),
        (
            "strategic delete from list",
            PatchType::Strategic,
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
        ),
        (
            "strategic container",
            PatchType::Strategic,
            json!({"spec": {"containers": [{"name": "app", "resources": {"requests": {"memory": "1Gi"}}}]}}),
        ),
        (
            "json patch",
            PatchType::Json,
            json!([{"op": "remove", "path": "/metadata/finalizers/0"}]),
        ),
    ];
    let pod = stored_pod();
    for (name, patch_type, patch) in cases {
        let expected = apply(&pod, &patch, patch_type);
        let got = apply_to_stored(&pod, &patch, patch_type);
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn wrong_type_in_a_named_field_is_the_same_error() {
    let pod = stored_pod();
    let patch = json!({"status": {"phase": 3}});
    let expected = apply(&pod, &patch, PatchType::Merge);
    assert!(expected.is_err());
    assert_eq!(apply_to_stored(&pod, &patch, PatchType::Merge), expected);
}

#[test]
fn untyped_kinds_are_patched_as_they_are() {
    let map = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
    let patch = json!({"data": {"b": "2"}});
    assert_eq!(
        apply_to_stored(&map, &patch, PatchType::Merge),
        apply(&map, &patch, PatchType::Merge)
    );
}
