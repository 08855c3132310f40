//! The typed encoding of Pods and Nodes, rule by rule, and against the objects kwok's Go
//! code stored in the golden cases.

use serde_json::{Value, json};
use stage_kube::typed::{is_typed, normalize, try_normalize};

fn pod(extra: Value) -> Value {
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
    merge(&mut pod, extra);
    pod
}

fn node(extra: Value) -> Value {
    let mut node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}});
    merge(&mut node, extra);
    node
}

fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(t), Value::Object(e)) = (target, extra) {
        for (k, v) in e {
            match t.get_mut(&k) {
                Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                _ => {
                    t.insert(k, v);
                }
            }
        }
    }
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    value.pointer(path).unwrap_or(&Value::Null)
}

#[test]
fn typed_kinds() {
    let cases = [
        ("v1", "Pod", true),
        ("v1", "Node", true),
        ("v1", "ConfigMap", false),
        ("apps/v1", "Pod", false),
        ("kwok.x-k8s.io/v1alpha1", "Stage", false),
    ];
    for (api_version, kind, want) in cases {
        assert_eq!(is_typed(api_version, kind), want, "{api_version} {kind}");
    }
}

#[test]
fn encoding_rules() {
    // (input, JSON pointer into the normalised object, expected value; Null means absent)
    let cases: Vec<(Value, &str, Value)> = vec![
        // Non-pointer structs are always present.
        (pod(json!({})), "/status", json!({})),
        (pod(json!({})), "/spec", json!({"containers": null})),
        (
            pod(json!({"spec": {"containers": [{"name": "a"}]}})),
            "/spec/containers/0",
            json!({"name": "a", "resources": {}}),
        ),
        // Unset metav1.Time in a non-pointer field encodes as null.
        (
            pod(json!({})),
            "/metadata",
            json!({"name": "p", "creationTimestamp": null}),
        ),
        (
            pod(json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}})),
            "/status/conditions/0",
            json!({"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": null}),
        ),
        // Timestamps: whole seconds, UTC.
        (
            pod(json!({"status": {"startTime": "2024-01-01T00:00:14.94777941Z"}})),
            "/status/startTime",
            json!("2024-01-01T00:00:14Z"),
        ),
        (
            pod(json!({"metadata": {"creationTimestamp": "2024-01-01T13:54:51.123+08:00"}})),
            "/metadata/creationTimestamp",
            json!("2024-01-01T05:54:51Z"),
        ),
        (
            pod(json!({"status": {"startTime": null}})),
            "/status/startTime",
            Value::Null,
        ),
        // Unknown fields are dropped.
        (
            pod(json!({"status": {"phase": "Running", "bogus": 1}})),
            "/status",
            json!({"phase": "Running"}),
        ),
        (pod(json!({"extra": true})), "/extra", Value::Null),
        // omitempty: empty strings, slices and maps disappear; false and 0 too.
        (
            pod(json!({"metadata": {"labels": {}, "finalizers": [], "namespace": ""}})),
            "/metadata",
            json!({"name": "p", "creationTimestamp": null}),
        ),
        (
            pod(json!({"spec": {"hostNetwork": false, "nodeName": "", "containers": []}})),
            "/spec",
            json!({"containers": []}),
        ),
        // Fields without omitempty stay, with their zero value.
        (
            pod(json!({"status": {"containerStatuses": [{"name": "a"}]}})),
            "/status/containerStatuses/0",
            json!({"name": "a", "state": {}, "lastState": {}, "ready": false, "restartCount": 0, "image": "", "imageID": ""}),
        ),
        (
            pod(json!({"status": {"containerStatuses": [{"name": "a", "started": false}]}})),
            "/status/containerStatuses/0/started",
            json!(false),
        ),
        (
            pod(
                json!({"status": {"containerStatuses": [{"name": "a", "state": {"terminated": {"reason": "Completed"}}}]}}),
            ),
            "/status/containerStatuses/0/state/terminated",
            json!({"exitCode": 0, "reason": "Completed", "startedAt": null, "finishedAt": null}),
        ),
        // Quantities are canonical.
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "1000m", "memory": "1024Mi"}, "limits": {"cpu": 2}}}]}}),
            ),
            "/spec/containers/0/resources",
            json!({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2"}}),
        ),
        (
            node(json!({"status": {"capacity": {"cpu": "1k", "pods": "1M", "memory": "1Ti"}}})),
            "/status/capacity",
            json!({"cpu": "1k", "pods": "1M", "memory": "1Ti"}),
        ),
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "env": [{"name": "X", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]}]}}),
            ),
            "/spec/containers/0/env/0/valueFrom/resourceFieldRef",
            json!({"resource": "limits.cpu", "divisor": "0"}),
        ),
        // IntOrString keeps its form; a missing one is 0.
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "readinessProbe": {"httpGet": {"port": "http"}}, "livenessProbe": {"tcpSocket": {}}}]}}),
            ),
            "/spec/containers/0/readinessProbe",
            json!({"httpGet": {"port": "http"}}),
        ),
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "livenessProbe": {"tcpSocket": {}, "periodSeconds": 10}}]}}),
            ),
            "/spec/containers/0/livenessProbe",
            json!({"tcpSocket": {"port": 0}, "periodSeconds": 10}),
        ),
        // Owner references keep their non-omitempty fields.
        (
            pod(
                json!({"metadata": {"ownerReferences": [{"kind": "Job", "name": "j", "controller": true}]}}),
            ),
            "/metadata/ownerReferences/0",
            json!({"apiVersion": "", "kind": "Job", "name": "j", "uid": "", "controller": true}),
        ),
        // Node: the nodeInfo and daemonEndpoints structs are always there.
        (
            node(json!({"status": {}})),
            "/status",
            json!({"daemonEndpoints": {"kubeletEndpoint": {"Port": 0}}, "nodeInfo": {
                "machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "", "osImage": "",
                "containerRuntimeVersion": "", "kubeletVersion": "", "kubeProxyVersion": "",
                "operatingSystem": "", "architecture": ""}}),
        ),
        (
            node(json!({"spec": {"taints": [{"key": "k", "effect": "NoSchedule", "extra": 1}]}})),
            "/spec",
            json!({"taints": [{"key": "k", "effect": "NoSchedule"}]}),
        ),
        // Volume sources are inlined into the volume and encoded through their tables.
        (
            pod(
                json!({"spec": {"volumes": [{"name": "v", "emptyDir": {"sizeLimit": "1000m", "x": 1}, "bogus": {}}]}}),
            ),
            "/spec/volumes/0",
            json!({"name": "v", "emptyDir": {"sizeLimit": "1"}}),
        ),
        (
            pod(json!({"spec": {"volumes": [{"name": "v", "emptyDir": {}}]}})),
            "/spec/volumes/0",
            json!({"name": "v", "emptyDir": {}}),
        ),
        (
            pod(
                json!({"spec": {"volumes": [{"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]}}]}}),
            ),
            "/spec/volumes/0/projected",
            json!({"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}}]}),
        ),
        (
            pod(json!({"spec": {"volumes": [{"name": "p", "projected": {}}]}})),
            "/spec/volumes/0/projected",
            json!({"sources": null}),
        ),
        (
            pod(
                json!({"spec": {"volumes": [{"name": "c", "configMap": {"name": "cm", "items": [{"key": "a", "path": "b"}]}}]}}),
            ),
            "/spec/volumes/0/configMap",
            json!({"name": "cm", "items": [{"key": "a", "path": "b"}]}),
        ),
        (
            pod(
                json!({"spec": {"volumes": [{"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {"resources": {"requests": {"storage": "1024Mi"}}}}}}]}}),
            ),
            "/spec/volumes/0/ephemeral/volumeClaimTemplate",
            json!({"metadata": {"creationTimestamp": null}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}}),
        ),
        // GRPC's service has no omitempty: a missing one is null.
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "livenessProbe": {"grpc": {"port": 9000}}}]}}),
            ),
            "/spec/containers/0/livenessProbe/grpc",
            json!({"port": 9000, "service": null}),
        ),
    ];
    for (input, pointer, want) in cases {
        let got = normalize(&input);
        assert_eq!(at(&got, pointer), &want, "{pointer} of {input}");
    }
}

#[test]
fn other_kinds_unchanged() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": []}, "data": {}});
    assert_eq!(normalize(&cm), cm);
}

#[test]
fn normalising_twice_changes_nothing() {
    let input = pod(
        json!({"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "1.5"}}}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}], "startTime": "2024-01-01T00:00:01.5Z"}}),
    );
    let once = normalize(&input);
    assert_eq!(normalize(&once), once);
}

#[test]
fn rejects_values_the_struct_cannot_hold() {
    let cases = [
        (pod(json!({"spec": {"nodeName": 5}})), "spec.nodeName"),
        (
            pod(json!({"status": {"startTime": "yesterday"}})),
            "status.startTime",
        ),
        (
            pod(
                json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "lots"}}}]}}),
            ),
            "spec.containers[0].resources.limits.cpu",
        ),
        (
            pod(json!({"status": {"containerStatuses": [{"name": "a", "restartCount": 1.5}]}})),
            "status.containerStatuses[0].restartCount",
        ),
        (pod(json!({"status": "Running"})), "status"),
    ];
    for (input, path) in cases {
        let err = try_normalize(&input).expect_err(path);
        assert_eq!(err.path, path);
        // The lenient form leaves such an object as it was.
        assert_eq!(normalize(&input), input);
    }
}

/// The golden cases' request objects, normalised, must equal what kwok's Go code stored
/// whenever the first step left the object unchanged.
#[test]
fn golden_objects_normalise_like_go() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden");
    let mut checked = 0;
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
        let steps = case["response"]["steps"].as_array().expect("steps");
        let first = &steps[0];
        if first["changed"] != json!(false) {
            continue;
        }
        let yaml = case["request"]["object"].as_str().expect("object text");
        let object = stage_yaml::parse_value(yaml).expect("yaml");
        assert_eq!(normalize(&object), first["object_after"], "{name}");
        checked += 1;
    }
    assert!(checked >= 1, "no golden case left its object unchanged");
}
