//! JSON patch, JSON merge patch and strategic merge patch, one rule per case.

use serde_json::{Value, json};
use stage_kube::patch::{PatchType, STRATEGIC_UNSUPPORTED, apply};

fn pod_status(status: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"nodeName": "n"}, "status": status})
}

fn conditions(types: &[&str]) -> Value {
    Value::Array(
        types
            .iter()
            .map(|t| json!({"type": t, "status": "True"}))
            .collect(),
    )
}

fn condition_types(object: &Value) -> Vec<String> {
    object["status"]["conditions"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|c| c["type"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn config_map(data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data})
}

#[test]
fn json_patch() {
    let doc = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": ["a", "b"]}});
    let cases: Vec<(Value, Result<Value, ()>)> = vec![
        (
            json!([{"op": "add", "path": "/metadata/finalizers/-", "value": "c"}]),
            Ok(json!(["a", "b", "c"])),
        ),
        (
            json!([{"op": "remove", "path": "/metadata/finalizers/0"}]),
            Ok(json!(["b"])),
        ),
        (
            json!([{"op": "remove", "path": "/metadata/finalizers/1"}, {"op": "remove", "path": "/metadata/finalizers/0"}]),
            Ok(json!([])),
        ),
        (
            json!([{"op": "remove", "path": "/metadata/finalizers"}]),
            Ok(Value::Null),
        ),
        (
            json!([{"op": "replace", "path": "/metadata/finalizers", "value": ["z"]}]),
            Ok(json!(["z"])),
        ),
        (
            json!([{"op": "add", "path": "/metadata/finalizers/0", "value": "z"}]),
            Ok(json!(["z", "a", "b"])),
        ),
        (
            json!([{"op": "copy", "from": "/metadata/finalizers/1", "path": "/metadata/finalizers/-"}]),
            Ok(json!(["a", "b", "b"])),
        ),
        (
            json!([{"op": "test", "path": "/metadata/finalizers/0", "value": "a"}]),
            Ok(json!(["a", "b"])),
        ),
        // A failing op fails the whole request.
        (
            json!([{"op": "remove", "path": "/metadata/finalizers/5"}]),
            Err(()),
        ),
        (
            json!([{"op": "remove", "path": "/metadata/labels"}]),
            Err(()),
        ),
        (
            json!([{"op": "replace", "path": "/metadata/labels/x", "value": "y"}]),
            Err(()),
        ),
        (
            json!([{"op": "add", "path": "/metadata/finalizers/-", "value": "c"}, {"op": "test", "path": "/metadata/name", "value": "x"}]),
            Err(()),
        ),
        (
            json!([{"op": "add", "path": "/nope/deeper", "value": 1}]),
            Err(()),
        ),
        (json!({"op": "add"}), Err(())),
        (json!([{"op": "frobnicate", "path": "/a"}]), Err(())),
    ];
    for (patch, want) in cases {
        let got = apply(&doc, &patch, PatchType::Json).map(|d| {
            d["metadata"]
                .get("finalizers")
                .cloned()
                .unwrap_or(Value::Null)
        });
        assert_eq!(got.map_err(|_| ()), want, "{patch}");
    }
}

#[test]
fn json_patch_escapes_and_adds_maps() {
    let doc = config_map(json!({}));
    let patch = json!([{"op": "add", "path": "/metadata/annotations", "value": {}}, {"op": "add", "path": "/metadata/annotations/a~1b", "value": "x"}]);
    let got = apply(&doc, &patch, PatchType::Json).expect("applies");
    assert_eq!(got["metadata"]["annotations"], json!({"a/b": "x"}));
}

#[test]
fn merge_patch() {
    let doc = config_map(json!({"a": "1", "b": "2"}));
    let cases: Vec<(Value, Value)> = vec![
        (json!({"data": {"a": null}}), json!({"b": "2"})),
        (
            json!({"data": {"c": "3"}}),
            json!({"a": "1", "b": "2", "c": "3"}),
        ),
        (json!({"data": null}), Value::Null),
        (json!({"data": ["x"]}), json!(["x"])),
        (
            json!({"data": {"a": {"deep": null, "kept": 1}}}),
            json!({"a": {"kept": 1}, "b": "2"}),
        ),
        (json!({}), json!({"a": "1", "b": "2"})),
        // Taken-over values lose their nulls, list elements included (evanphx v4).
        (
            json!({"data": {"c": {"x": null, "l": [1, null, {"y": null}]}}}),
            json!({"a": "1", "b": "2", "c": {"l": [1, {}]}}),
        ),
        (
            json!({"data": {"a": [null, "x"]}}),
            json!({"a": ["x"], "b": "2"}),
        ),
    ];
    for (patch, want) in cases {
        let got = apply(&doc, &patch, PatchType::Merge).expect("applies");
        assert_eq!(
            got.get("data").cloned().unwrap_or(Value::Null),
            want,
            "{patch}"
        );
    }
    // A list patch becomes the document; scalar and null patches are refused.
    assert_eq!(
        apply(&doc, &json!([1, null]), PatchType::Merge),
        Ok(json!([1]))
    );
    for patch in [json!(null), json!("x"), json!(3)] {
        let err = apply(&doc, &patch, PatchType::Merge).expect_err("refused");
        assert_eq!(err.message, "Invalid JSON Patch");
    }
    // Lists are replaced whole, also in Pods.
    let pod = pod_status(json!({"conditions": conditions(&["PodScheduled"])}));
    let got = apply(
        &pod,
        &json!({"status": {"conditions": conditions(&["Ready"])}}),
        PatchType::Merge,
    )
    .expect("applies");
    assert_eq!(condition_types(&got), ["Ready"]);
}

#[test]
fn strategic_condition_order() {
    // (original conditions, patch conditions, resulting order)
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["PodScheduled"],
            &["Initialized", "Ready", "ContainersReady"],
            &["Initialized", "Ready", "ContainersReady", "PodScheduled"],
        ),
        (
            &["Initialized", "Ready", "ContainersReady", "PodScheduled"],
            &["Ready", "ContainersReady"],
            &["Initialized", "Ready", "ContainersReady", "PodScheduled"],
        ),
        (&["A", "B", "C"], &["B", "D"], &["A", "B", "D", "C"]),
        (&["A", "B", "C"], &["C", "A"], &["B", "C", "A"]),
        (&["A", "B"], &[], &["A", "B"]),
        (&[], &["A"], &["A"]),
        (&["A"], &["B", "A"], &["B", "A"]),
        (
            &["C", "A", "B"],
            &["B", "D", "A", "E"],
            &["C", "B", "D", "A", "E"],
        ),
        (&["A", "B", "C", "D"], &["D", "B"], &["A", "C", "D", "B"]),
        (
            &["A", "B", "C", "D"],
            &["E", "C", "F", "A"],
            &["E", "B", "C", "F", "A", "D"],
        ),
    ];
    for (original, patch, want) in cases {
        let pod = pod_status(json!({"conditions": conditions(original)}));
        let got = apply(
            &pod,
            &json!({"status": {"conditions": conditions(patch)}}),
            PatchType::Strategic,
        )
        .expect("applies");
        assert_eq!(condition_types(&got), *want, "{original:?} + {patch:?}");
    }
}

#[test]
fn strategic_merges_matching_elements() {
    let pod = pod_status(
        json!({"conditions": [{"type": "Ready", "status": "False", "reason": "NotYet", "lastTransitionTime": "2024-01-01T00:00:01Z"}]}),
    );
    let patch =
        json!({"status": {"conditions": [{"type": "Ready", "status": "True", "reason": null}]}});
    let got = apply(&pod, &patch, PatchType::Strategic).expect("applies");
    assert_eq!(
        got["status"]["conditions"],
        json!([{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-01-01T00:00:01Z"}])
    );
}

#[test]
fn strategic_lists_by_field() {
    // (original status or spec, patch, pointer, expected)
    let cases: Vec<(Value, Value, &str, Value)> = vec![
        // containerStatuses has no merge strategy: replaced whole.
        (
            pod_status(
                json!({"containerStatuses": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}),
            ),
            json!({"status": {"containerStatuses": [{"name": "b", "image": "z"}]}}),
            "/status/containerStatuses",
            json!([{"name": "b", "image": "z", "imageID": "", "ready": false, "restartCount": 0, "state": {}, "lastState": {}}]),
        ),
        // podIPs merge by ip.
        (
            pod_status(json!({"podIPs": [{"ip": "10.0.0.1"}]})),
            json!({"status": {"podIPs": [{"ip": "fd00::1"}]}}),
            "/status/podIPs",
            json!([{"ip": "fd00::1"}, {"ip": "10.0.0.1"}]),
        ),
        // null deletes the key.
        (
            pod_status(json!({"phase": "Running", "podIP": "1.2.3.4"})),
            json!({"status": {"podIP": null}}),
            "/status",
            json!({"phase": "Running"}),
        ),
        (
            pod_status(json!({"phase": "Running"})),
            json!({"status": {"initContainerStatuses": null}}),
            "/status",
            json!({"phase": "Running"}),
        ),
        // Finalizers are a set; new ones come first.
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a"]}}),
            json!({"metadata": {"finalizers": ["b", "a"]}}),
            "/metadata/finalizers",
            json!(["b", "a"]),
        ),
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a", "b"]}}),
            json!({"metadata": {"finalizers": ["c"]}}),
            "/metadata/finalizers",
            json!(["c", "a", "b"]),
        ),
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a", "b"]}}),
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
            "/metadata/finalizers",
            json!(["b"]),
        ),
        // Owner references merge by uid.
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "ownerReferences": [{"apiVersion": "v1", "kind": "A", "name": "a", "uid": "1"}]}}),
            json!({"metadata": {"ownerReferences": [{"uid": "1", "controller": true}]}}),
            "/metadata/ownerReferences",
            json!([{"apiVersion": "v1", "kind": "A", "name": "a", "uid": "1", "controller": true}]),
        ),
        // Containers merge by name; tolerations are replaced.
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}),
            json!({"spec": {"containers": [{"name": "b", "image": "z"}]}}),
            "/spec/containers",
            json!([{"name": "a", "image": "x", "resources": {}}, {"name": "b", "image": "z", "resources": {}}]),
        ),
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"tolerations": [{"key": "a"}, {"key": "b"}]}}),
            json!({"spec": {"tolerations": [{"key": "c"}]}}),
            "/spec/tolerations",
            json!([{"key": "c"}]),
        ),
        // Node addresses merge by type, taints are replaced.
        (
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"addresses": [{"type": "Hostname", "address": "n"}]}}),
            json!({"status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]}}),
            "/status/addresses",
            json!([{"type": "InternalIP", "address": "10.0.0.1"}, {"type": "Hostname", "address": "n"}]),
        ),
        (
            json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}]}}),
            json!({"spec": {"taints": [{"key": "b", "effect": "NoExecute"}]}}),
            "/spec/taints",
            json!([{"key": "b", "effect": "NoExecute"}]),
        ),
        // Maps merge recursively; a list replacing a map replaces it.
        (
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "1"}}}),
            json!({"metadata": {"labels": {"b": "2"}}}),
            "/metadata/labels",
            json!({"a": "1", "b": "2"}),
        ),
    ];
    for (original, patch, pointer, want) in cases {
        let got = apply(&original, &patch, PatchType::Strategic).expect("applies");
        assert_eq!(
            got.pointer(pointer).unwrap_or(&Value::Null),
            &want,
            "{patch}"
        );
    }
}

#[test]
fn strategic_directives() {
    let pod = pod_status(
        json!({"phase": "Running", "podIP": "1.2.3.4", "conditions": conditions(&["A", "B", "C"])}),
    );
    // (patch, pointer, expected)
    let cases: Vec<(Value, &str, Value)> = vec![
        (
            json!({"status": {"$patch": "replace", "phase": "Failed"}}),
            "/status",
            json!({"phase": "Failed"}),
        ),
        (
            json!({"status": {"$patch": "delete"}}),
            "/status",
            json!({}),
        ),
        (
            json!({"status": {"conditions": [{"type": "B", "$patch": "delete"}]}}),
            "/status/conditions",
            json!([{"type": "A", "status": "True", "lastProbeTime": null, "lastTransitionTime": null},
                   {"type": "C", "status": "True", "lastProbeTime": null, "lastTransitionTime": null}]),
        ),
        (
            json!({"status": {"conditions": [{"$patch": "replace"}, {"type": "Z", "status": "False"}]}}),
            "/status/conditions",
            json!([{"type": "Z", "status": "False", "lastProbeTime": null, "lastTransitionTime": null}]),
        ),
    ];
    for (patch, pointer, want) in cases {
        let got = apply(&pod, &patch, PatchType::Strategic).expect("applies");
        assert_eq!(
            got.pointer(pointer).unwrap_or(&Value::Null),
            &want,
            "{patch}"
        );
    }
}

#[test]
fn strategic_errors() {
    let pod = pod_status(json!({"conditions": conditions(&["A"])}));
    let cases = [
        json!({"status": {"conditions": [{"status": "True"}]}}),
        json!({"status": {"conditions": [{"$patch": "merge"}]}}),
        json!({"status": {"$patch": "bogus"}}),
        json!({"status": {"conditions": [{"type": "B", "$patch": "frob"}]}}),
        json!({"status": {"conditions": ["A"]}}),
        json!([{"op": "add"}]),
        json!({"status": {"phase": 5}}),
    ];
    for patch in cases {
        assert!(
            apply(&pod, &patch, PatchType::Strategic).is_err(),
            "{patch}"
        );
    }
    let cm = config_map(json!({"a": "1"}));
    let err = apply(&cm, &json!({"data": {"b": "2"}}), PatchType::Strategic)
        .expect_err("custom kinds refuse strategic");
    assert_eq!(err.message, STRATEGIC_UNSUPPORTED);
}

#[test]
fn typed_results_are_normalised() {
    let pod = pod_status(json!({}));
    let patch = json!({"status": {"startTime": "2024-01-01T00:00:12.582153551Z", "unknown": 1}});
    for patch_type in [PatchType::Strategic, PatchType::Merge] {
        let got = apply(&pod, &patch, patch_type).expect("applies");
        assert_eq!(
            got["status"],
            json!({"startTime": "2024-01-01T00:00:12Z"}),
            "{patch_type:?}"
        );
    }
    // Other kinds are returned as patched.
    let cm = config_map(json!({}));
    let got = apply(
        &cm,
        &json!({"data": {"t": "2024-01-01T00:00:12.5Z"}, "x": []}),
        PatchType::Merge,
    )
    .expect("applies");
    assert_eq!(got["x"], json!([]));
    assert_eq!(got["data"]["t"], json!("2024-01-01T00:00:12.5Z"));
}

#[test]
fn mime_types() {
    assert_eq!(PatchType::Json.mime(), "application/json-patch+json");
    assert_eq!(PatchType::Merge.mime(), "application/merge-patch+json");
    assert_eq!(
        PatchType::Strategic.mime(),
        "application/strategic-merge-patch+json"
    );
}

#[test]
fn strategic_values_taken_from_the_patch() {
    // (original, patch, pointer, expected)
    let pod = |extra: Value| {
        let mut p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
        if let (Value::Object(p), Value::Object(e)) = (&mut p, extra) {
            p.extend(e);
        }
        p
    };
    let cases: Vec<(Value, Value, &str, Value)> = vec![
        // `$patch` maps inside a new value are dropped, with their list element.
        (
            pod(json!({})),
            json!({"status": {"conditions": [{"$patch": "replace"}, {"type": "Z", "status": "False"}]}}),
            "/status/conditions",
            json!([{"type": "Z", "status": "False", "lastProbeTime": null, "lastTransitionTime": null}]),
        ),
        // A new map that is itself a directive is not taken.
        (
            pod(json!({})),
            json!({"metadata": {"labels": {"$patch": "delete"}}}),
            "/metadata/labels",
            Value::Null,
        ),
        // A list where the original had a map replaces it.
        (
            pod(json!({"metadata": {"name": "p", "finalizers": "x"}})),
            json!({"metadata": {"finalizers": ["a"]}}),
            "/metadata/finalizers",
            json!(["a"]),
        ),
        // Deleting from a primitive list the original lacks does nothing.
        (
            pod(json!({})),
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
            "/metadata/finalizers",
            Value::Null,
        ),
        // `$retainKeys` clears the keys it does not list.
        (
            pod(
                json!({"spec": {"volumes": [{"name": "v", "emptyDir": {}, "hostPath": {"path": "/x"}}]}}),
            ),
            json!({"spec": {"volumes": [{"name": "v", "$retainKeys": ["name", "hostPath"], "hostPath": {"path": "/y"}}]}}),
            "/spec/volumes/0",
            json!({"name": "v", "hostPath": {"path": "/y"}}),
        ),
        // `$setElementOrder` orders the merged list.
        (
            pod(json!({"status": {"conditions": conditions(&["A", "B", "C"])}})),
            json!({"status": {"$setElementOrder/conditions": [{"type": "C"}, {"type": "B"}, {"type": "A"}], "conditions": [{"type": "B", "status": "False"}]}}),
            "/status/conditions",
            json!([
                {"type": "C", "status": "True", "lastProbeTime": null, "lastTransitionTime": null},
                {"type": "B", "status": "False", "lastProbeTime": null, "lastTransitionTime": null},
                {"type": "A", "status": "True", "lastProbeTime": null, "lastTransitionTime": null},
            ]),
        ),
        (
            pod(json!({"metadata": {"name": "p", "finalizers": ["a", "b"]}})),
            json!({"metadata": {"$setElementOrder/finalizers": ["b", "a"]}}),
            "/metadata/finalizers",
            json!(["b", "a"]),
        ),
    ];
    for (original, patch, pointer, want) in cases {
        let got = apply(&original, &patch, PatchType::Strategic)
            .unwrap_or_else(|e| panic!("{patch}: {e}"));
        assert_eq!(
            got.pointer(pointer).unwrap_or(&Value::Null),
            &want,
            "{patch}"
        );
    }
}

#[test]
fn strategic_error_texts() {
    let pod = pod_status(json!({"conditions": conditions(&["A"])}));
    let cases = [
        (
            json!({"status": {"conditions": [{"status": "True"}]}}),
            "map: map[status:True] does not contain declared merge key: type",
        ),
        (
            json!({"status": {"conditions": [{"$patch": "merge"}]}}),
            "merging lists cannot yet be specified in the patch",
        ),
        (
            json!({"status": {"$patch": "bogus", "phase": "X"}}),
            "unknown patch type: bogus in map: map[$patch:bogus phase:X]",
        ),
        (
            json!({"status": {"conditions": [[1]]}}),
            "list element types are not identical: [[map[status:True type:A]] [[1]]]",
        ),
        (
            json!({"status": {"$retainKeys": ["phase"], "podIP": "1.2.3.4"}}),
            "invalid patch format of retainKeys",
        ),
        (
            json!({"status": {"$setElementOrder/conditions": [{"type": "A"}], "conditions": [{"type": "B", "status": "True"}]}}),
            "the order in patch list:\n[map[status:True type:B]]\n doesn't match $setElementOrder list:\n[map[type:A]]",
        ),
    ];
    for (patch, want) in cases {
        let err = apply(&pod, &patch, PatchType::Strategic).expect_err(want);
        assert_eq!(err.message, want, "{patch}");
    }
}
