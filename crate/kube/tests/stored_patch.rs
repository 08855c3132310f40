//! `apply_to_stored` re-encodes only the fields a patch names; on a stored (encoded)
//! object its answer must equal `apply`'s for every kind of patch, one case per rule.
//! `apply_to_status` (and `apply_to_status_owned`, which merges the patch by value) must give
//! that answer's status, merging only the status when the patch names nothing else.

use serde_json::{Value, json};
use stage_kube::patch::{
    PatchType, apply, apply_to_status, apply_to_status_owned, apply_to_stored,
};
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

fn cases() -> Vec<(&'static str, PatchType, Value)> {
    vec![
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
        (
            "strategic status removed",
            PatchType::Strategic,
            json!({"status": null}),
        ),
        (
            "strategic status scalar over a map",
            PatchType::Strategic,
            json!({"status": "x"}),
        ),
        (
            "strategic status directive in a list",
            PatchType::Strategic,
            json!({"status": {"conditions": [{"type": "Ready", "$patch": "delete"}]}}),
        ),
        (
            "strategic status bad directive",
            PatchType::Strategic,
            json!({"status": {"$patch": "nope"}}),
        ),
        (
            "merge status null inside",
            PatchType::Merge,
            json!({"status": {"conditions": null, "podIP": null, "hostIP": "10.0.0.2"}}),
        ),
    ]
}

#[test]
fn same_answer_as_apply() {
    let pod = stored_pod();
    for (name, patch_type, patch) in cases() {
        let expected = apply(&pod, &patch, patch_type);
        let got = apply_to_stored(&pod, &patch, patch_type);
        assert_eq!(got, expected, "{name}");
    }
}

/// The status of `apply_to_stored`'s answer, or its error.
fn stored_status(
    original: &Value,
    patch: &Value,
    patch_type: PatchType,
) -> Result<Option<Value>, stage_kube::PatchError> {
    apply_to_stored(original, patch, patch_type).map(|patched| patched.get("status").cloned())
}

#[test]
fn status_alone_is_the_status_of_the_whole_answer() {
    let pod = stored_pod();
    let mut without_status = pod.clone();
    without_status
        .as_object_mut()
        .map(|map| map.remove("status"));
    for original in [&pod, &without_status] {
        for (name, patch_type, patch) in cases() {
            let expected = stored_status(original, &patch, patch_type);
            assert_eq!(
                apply_to_status(original, &patch, patch_type),
                expected,
                "{name}"
            );
            assert_eq!(
                apply_to_status_owned(original, patch, patch_type),
                expected,
                "{name}, given up"
            );
        }
    }
}

#[test]
fn status_of_untyped_kinds() {
    let map = json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                     "status": {"ready": false, "count": 1}});
    let cases = [
        (
            PatchType::Merge,
            json!({"status": {"ready": true, "count": null}}),
        ),
        (PatchType::Merge, json!({"status": null})),
        // Strategic merge is refused for kinds without Go struct tags.
        (PatchType::Strategic, json!({"status": {"ready": true}})),
    ];
    for (patch_type, patch) in cases {
        let expected = stored_status(&map, &patch, patch_type);
        assert_eq!(
            apply_to_status(&map, &patch, patch_type),
            expected,
            "{patch}"
        );
    }
    assert!(apply_to_status(&map, &json!({"status": {}}), PatchType::Strategic).is_err());
}

#[test]
fn wrong_type_in_a_named_field_is_the_same_error() {
    let pod = stored_pod();
    let patch = json!({"status": {"phase": 3}});
    let expected = apply(&pod, &patch, PatchType::Merge);
    assert!(expected.is_err());
    assert_eq!(apply_to_stored(&pod, &patch, PatchType::Merge), expected);
    assert_eq!(
        apply_to_status(&pod, &patch, PatchType::Merge),
        expected.map(|patched| patched.get("status").cloned())
    );
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
