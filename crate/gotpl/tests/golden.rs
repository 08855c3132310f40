//! kwok's recorded renders: the shipped pod-ready template must render byte for byte.

mod support;

use std::path::PathBuf;

use stage_gotpl::{Template, Value};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The statusTemplate of a Stage file, trimmed as kwok trims it before parsing.
fn status_template(path: &str) -> String {
    let text = std::fs::read_to_string(shared().join(path)).unwrap();
    let start = text.find("statusTemplate: |\n").unwrap() + "statusTemplate: |\n".len();
    let body: Vec<&str> = text[start..]
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("      "))
        .collect();
    let body: Vec<&str> = body.iter().map(|l| l.get(6..).unwrap_or("")).collect();
    body.join("\n").trim().to_string()
}

fn golden(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(shared().join("golden").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A pod object as JSON, written by hand from the golden request's YAML.
fn pod_ready_object() -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "5f0e3a4c-1111-4a2b-9c3d-000000000001",
            "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"app": "web"}},
        "spec": {"nodeName": "kwok-node-0", "containers": [
            {"name": "app", "image": "nginx:1.25"}, {"name": "sidecar", "image": "busybox:1.36"}]},
        "status": {"phase": "Pending"}
    })
}

#[test]
fn pod_ready_renders_byte_identical() {
    let funcs = support::funcs();
    let tpl = status_template("kwok-stages/kustomize/stage/pod/fast/pod-ready.yaml");
    let t = Template::parse("_", &tpl, &funcs).unwrap();
    let out = t
        .execute(&Value::from_json(&pod_ready_object()), &funcs)
        .unwrap();
    let want = golden("tpl-pod-ready.json");
    assert_eq!(out, want["response"]["text"].as_str().unwrap());
}

#[test]
fn init_container_index_error_has_kwok_shape() {
    let funcs = support::funcs();
    let tpl = status_template("field-stages/karpenter-core-e2e-pod-init-container-completed.yaml");
    let t = Template::parse("_", &tpl, &funcs).unwrap();
    let obj = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "demo-init-pod", "namespace": "demo-ns", "uid": "6c1d2f0a-0000-4000-8000-000000000004"},
        "spec": {"nodeName": "demo-node", "initContainers": [{"name": "init-config", "image": "busybox:1.36"}],
            "containers": [{"name": "app", "image": "nginx:1.25"}]},
        "status": {"phase": "Pending"}
    });
    let err = t.execute(&Value::from_json(&obj), &funcs).unwrap_err();
    let shown = format!("gotpl execute: {}: {}", err.message, err.partial);
    let want = golden("tpl-kce2e-init-completed-no-status.json");
    assert_eq!(shown, want["response"]["error"].as_str().unwrap());
    assert_eq!((err.line, err.column), (11, 15));
}

#[test]
fn node_initialize_renders_byte_identical() {
    use stage_gotpl::{Func, Value as V};
    let mut funcs = support::funcs();
    let condition = |t: &str, s: &str, r: &str, m: &str| {
        V::from_json(
            &serde_json::json!({"type": t, "status": s, "reason": r, "message": m,
            "lastHeartbeatTime": null, "lastTransitionTime": null}),
        )
    };
    let conditions = V::from(vec![
        condition(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
        condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        condition(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        condition(
            "NetworkUnavailable",
            "False",
            "RouteCreated",
            "RouteController created a route",
        ),
    ]);
    funcs.insert(
        "NodeConditions",
        Func::new(&[], move |_| Ok(conditions.clone())),
    );
    funcs.insert("NodeName", Func::new(&[], |_| Ok(V::str(""))));
    funcs.insert("NodePort", Func::new(&[], |_| Ok(V::Int(0))));
    funcs.insert("Version", Func::new(&[], |_| Ok(V::str("0.8.0"))));
    funcs.insert(
        "YAML",
        Func::variadic(&[stage_gotpl::Param::Any, stage_gotpl::Param::Int], |_| {
            Ok(V::str(""))
        }),
    );
    let tpl = status_template("kwok-stages/kustomize/stage/node/fast/node-initialize.yaml");
    let t = Template::parse("_", &tpl, &funcs).unwrap();
    let node = serde_json::json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "kwok-node-0", "uid": "7b7b7b7b-4444-4a2b-9c3d-000000000004",
            "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"type": "kwok", "kubernetes.io/hostname": "kwok-node-0"},
            "annotations": {"kwok.x-k8s.io/node": "fake"}},
        "spec": {"taints": [{"key": "kwok.x-k8s.io/node", "value": "fake", "effect": "NoSchedule"}]},
        "status": {}
    });
    let out = t.execute(&Value::from_json(&node), &funcs).unwrap();
    let want = golden("tpl-node-initialize.json");
    assert_eq!(out, want["response"]["text"].as_str().unwrap());
}

#[test]
fn short_container_statuses_error_has_kwok_shape() {
    use stage_gotpl::Func;
    let mut funcs = support::funcs();
    funcs.insert(
        "Now",
        Func::new(&[], |_| Ok(Value::str("2024-01-01T00:00:40Z"))),
    );
    let tpl = status_template("field-stages/kube-scheduling-perf-pod-complete.yaml");
    let t = Template::parse("_", &tpl, &funcs).unwrap();
    let obj = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "demo-job-pod", "namespace": "demo-ns", "uid": "6c1d2f0a-0000-4000-8000-000000000008"},
        "spec": {"nodeName": "demo-node", "restartPolicy": "Never", "containers": [
            {"name": "worker", "image": "python:3.12-slim"}, {"name": "uploader", "image": "busybox:1.36"}]},
        "status": {"phase": "Running", "podIP": "10.100.0.11",
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-01-01T00:00:04Z"}],
            "containerStatuses": [{"name": "worker", "image": "python:3.12-slim", "imageID": "", "ready": true,
                "restartCount": 0, "started": true, "state": {"running": {"startedAt": "2024-01-01T00:00:04Z"}}}]}
    });
    let err = t.execute(&Value::from_json(&obj), &funcs).unwrap_err();
    let shown = format!("gotpl execute: {}: {}", err.message, err.partial);
    let want = golden("sim-ksp-complete-status-short.json");
    assert_eq!(
        shown,
        want["response"]["steps"][0]["rendered_status"]["error"]
            .as_str()
            .unwrap()
    );
}
