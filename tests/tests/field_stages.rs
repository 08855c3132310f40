//! Every Stage file people wrote (`shared/field-stages`) and every Stage file kwok ships, now
//! and in v0.6.0 and v0.7.0 (`shared/kwok-stages`), loaded as a user would load it: what
//! loads, in which internal form, and the exact diagnostics.
//!
//! A Stage is summarised on one line: `name group/kind wWEIGHT sel[...] next|steps[...]`,
//! with the selector as its label/annotation maps and jq/CEL entry counts, and each step as
//! its actions (`event:Reason`, `fin(+a -b empty)`, `delete`, `patch(root/subresource/type)`,
//! `apply(subresource/type)`). Diagnostics are `line:column: severity: path`.

use std::path::Path;

use stage_engine::load::load_paths;
use stage_engine::model::{MatchKind, Stage, Step};

fn summary(stage: &Stage) -> String {
    let selector = match &stage.selector {
        None => "none".to_string(),
        Some(s) => {
            let jq = s
                .match_expressions
                .iter()
                .filter(|e| matches!(e.kind, MatchKind::Jq { .. }))
                .count();
            let cel = s.match_expressions.len() - jq;
            let mut parts = Vec::new();
            if let Some(labels) = &s.match_labels {
                parts.push(format!("labels{}", labels.len()));
            }
            if let Some(annotations) = &s.match_annotations {
                parts.push(format!("annotations{}", annotations.len()));
            }
            parts.push(format!("{jq}jq"));
            if cel > 0 {
                parts.push(format!("{cel}cel"));
            }
            parts.join(" ")
        }
    };
    let steps: Vec<String> = stage.steps.iter().map(step).collect();
    let form = if stage.from_legacy_next {
        "next"
    } else {
        "steps"
    };
    format!(
        "{} {}/{} w{} sel[{selector}] {form}[{}]",
        stage.name,
        stage.resource_ref.api_group,
        stage.resource_ref.kind,
        stage.weight,
        steps.join(", ")
    )
}

fn step(step: &Step) -> String {
    let mut actions = Vec::new();
    if let Some(event) = &step.event {
        actions.push(format!("event:{}", event.reason));
    }
    if let Some(f) = &step.finalizers {
        let mut ops: Vec<String> = f.add.iter().map(|v| format!("+{v}")).collect();
        ops.extend(f.remove.iter().map(|v| format!("-{v}")));
        if f.empty {
            ops.push("empty".to_string());
        }
        actions.push(format!("fin({})", ops.join(" ")));
    }
    if step.delete {
        actions.push("delete".to_string());
    }
    if let Some(p) = &step.patch {
        actions.push(format!(
            "patch({}/{}/{})",
            p.root.as_deref().unwrap_or(""),
            p.subresource.as_deref().unwrap_or(""),
            p.patch_type.map(|t| format!("{t:?}")).unwrap_or_default()
        ));
    }
    if let Some(a) = &step.apply {
        actions.push(format!(
            "apply({}/{})",
            a.subresource.as_deref().unwrap_or(""),
            a.apply_type.map(|t| format!("{t:?}")).unwrap_or_default()
        ));
    }
    actions.join(" ")
}

/// Loads `rel` below `shared/` and compares the Stage summaries and diagnostics.
fn check(rel: &str, stages: &[&str], diagnostics: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel);
    let result = load_paths(&[path], false);

    let got: Vec<String> = result.stages.iter().map(summary).collect();
    assert_eq!(got, stages, "{rel}");
    let got: Vec<String> = result
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}: {}",
                d.mark.line, d.mark.column, d.severity, d.path
            )
        })
        .collect();
    assert_eq!(got, diagnostics, "{rel}: {}", result.render_diagnostics());

    // Whatever is not a plain note says what kwok does.
    for d in &result.diagnostics {
        if d.is_error() {
            assert!(d.message.contains("kwok"), "{d}");
        }
    }
}

const CEL: &str = "CEL selectors are not supported yet";

/// The message of every diagnostic of `rel` at `path`.
fn messages(rel: &str, path: &str) -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel);
    load_paths(&[file], false)
        .diagnostics
        .into_iter()
        .filter(|d| d.path == path)
        .map(|d| d.message)
        .collect()
}

macro_rules! stage_file {
    ($name:ident, $rel:expr, [$($stage:expr),* $(,)?], [$($diagnostic:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            check($rel, &[$($stage),*], &[$($diagnostic),*]);
        }
    };
}

// Field Stage files.

stage_file!(
    karpenter_core_e2e_fast_node,
    "field-stages/karpenter-core-e2e-fast-node.yaml",
    ["node-initialize v1/Node w0 sel[1jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    karpenter_core_e2e_pod_create,
    "field-stages/karpenter-core-e2e-pod-create.yaml",
    ["pod-create v1/Pod w1 sel[2jq] next[event:Created, patch(status/status/)]"],
    []
);
stage_file!(
    karpenter_core_e2e_pod_delete,
    "field-stages/karpenter-core-e2e-pod-delete.yaml",
    ["pod-delete v1/Pod w1 sel[2jq] next[delete]"],
    []
);
stage_file!(
    karpenter_core_e2e_pod_init_container_completed,
    "field-stages/karpenter-core-e2e-pod-init-container-completed.yaml",
    ["pod-init-container-completed v1/Pod w1 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    karpenter_core_e2e_pod_init_container_running,
    "field-stages/karpenter-core-e2e-pod-init-container-running.yaml",
    ["pod-init-container-running v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    karpenter_pod_delete,
    "field-stages/karpenter-pod-delete.yaml",
    ["pod-delete v1/Pod w100 sel[1jq] next[fin(empty), delete]"],
    []
);
stage_file!(
    karpenter_pod_unhealthy,
    "field-stages/karpenter-pod-unhealthy.yaml",
    ["pod-unhealthy v1/Pod w100 sel[labels1 2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    knavigator_pod_complete,
    "field-stages/knavigator-pod-complete.yaml",
    ["pod-complete v1/Pod w1 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kube_scheduling_perf_pod_complete,
    "field-stages/kube-scheduling-perf-pod-complete.yaml",
    ["pod-complete v1/Pod w0 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_e2e_stage_on_stage_crd,
    "field-stages/kwok-e2e-stage-on-stage-crd.yaml",
    [
        "stage-available kwok.x-k8s.io/v1alpha1/Stage w0 sel[annotations1 1jq] next[patch(status/status/)]"
    ],
    []
);
stage_file!(
    rbg_stress_kwok_stage,
    "field-stages/rbg-stress-kwok-stage.yaml",
    [
        "pod-initialize v1/Pod w0 sel[2jq] next[event:Scheduled, patch(status/status/)]",
        "pod-running v1/Pod w0 sel[3jq] next[patch(status/status/)]",
        "pod-ready v1/Pod w0 sel[3jq] next[patch(status/status/)]",
        "pod-delete v1/Pod w0 sel[1jq] next[delete]",
    ],
    []
);
stage_file!(
    simkube_pod_complete,
    "field-stages/simkube-pod-complete.yaml",
    ["pod-complete v1/Pod w0 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    simkube_pod_create,
    "field-stages/simkube-pod-create.yaml",
    ["pod-create v1/Pod w0 sel[2jq] next[event:Pulling, patch(status/status/)]"],
    []
);
stage_file!(
    simkube_pod_delete,
    "field-stages/simkube-pod-delete.yaml",
    ["pod-delete v1/Pod w0 sel[1jq] next[fin(empty), delete]"],
    []
);
stage_file!(
    simkube_pod_ready,
    "field-stages/simkube-pod-ready.yaml",
    ["pod-ready v1/Pod w0 sel[4jq] next[patch(status/status/)]"],
    []
);

// kwok's current Stage files.

stage_file!(
    kwok_node_chaos_node_not_ready,
    "kwok-stages/kustomize/stage/node/chaos/node-not-ready.yaml",
    ["node-not-ready v1/Node w10000 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_node_fast_node_initialize,
    "kwok-stages/kustomize/stage/node/fast/node-initialize.yaml",
    ["node-initialize v1/Node w0 sel[1jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_node_heartbeat_with_lease,
    "kwok-stages/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    ["node-heartbeat-with-lease v1/Node w0 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_node_heartbeat,
    "kwok-stages/kustomize/stage/node/heartbeat/node-heartbeat.yaml",
    ["node-heartbeat v1/Node w0 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_chaos_pod_container_running_failed,
    "kwok-stages/kustomize/stage/pod/chaos/pod-container-running-failed.yaml",
    ["pod-container-running-failed v1/Pod w10000 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_chaos_pod_init_container_running_failed,
    "kwok-stages/kustomize/stage/pod/chaos/pod-init-container-running-failed.yaml",
    ["pod-init-container-running-failed v1/Pod w10000 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_fast_pod_complete,
    "kwok-stages/kustomize/stage/pod/fast/pod-complete.yaml",
    ["pod-complete v1/Pod w0 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_fast_pod_delete,
    "kwok-stages/kustomize/stage/pod/fast/pod-delete.yaml",
    ["pod-delete v1/Pod w0 sel[1jq] next[delete]"],
    []
);
stage_file!(
    kwok_pod_fast_pod_ready,
    "kwok-stages/kustomize/stage/pod/fast/pod-ready.yaml",
    ["pod-ready v1/Pod w0 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_general_pod_complete,
    "kwok-stages/kustomize/stage/pod/general/pod-complete.yaml",
    ["pod-complete v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_general_pod_create,
    "kwok-stages/kustomize/stage/pod/general/pod-create.yaml",
    ["pod-create v1/Pod w1 sel[2jq] next[event:Created, patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_general_pod_delete,
    "kwok-stages/kustomize/stage/pod/general/pod-delete.yaml",
    ["pod-delete v1/Pod w1 sel[2jq] next[delete]"],
    []
);
stage_file!(
    kwok_pod_general_pod_init_container_completed,
    "kwok-stages/kustomize/stage/pod/general/pod-init-container-completed.yaml",
    ["pod-init-container-completed v1/Pod w1 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_general_pod_init_container_running,
    "kwok-stages/kustomize/stage/pod/general/pod-init-container-running.yaml",
    ["pod-init-container-running v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_pod_general_pod_ready,
    "kwok-stages/kustomize/stage/pod/general/pod-ready.yaml",
    ["pod-ready v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_volume_pv_bind,
    "kwok-stages/kustomize/stage/volume/fast/pv-bind.yaml",
    ["pv-bind v1/PersistentVolume w0 sel[0jq 4cel] steps[patch(status/status/)]"],
    [
        "12:9: warning: spec.selector.matchExpressions[0].cel",
        "15:9: warning: spec.selector.matchExpressions[1].cel",
        "18:9: warning: spec.selector.matchExpressions[2].cel",
        "21:9: warning: spec.selector.matchExpressions[3].cel",
    ]
);
stage_file!(
    kwok_volume_pv_delete,
    "kwok-stages/kustomize/stage/volume/fast/pv-delete.yaml",
    ["pv-delete v1/PersistentVolume w0 sel[0jq 4cel] steps[delete]"],
    [
        "12:9: warning: spec.selector.matchExpressions[0].cel",
        "15:9: warning: spec.selector.matchExpressions[1].cel",
        "18:9: warning: spec.selector.matchExpressions[2].cel",
        "21:9: warning: spec.selector.matchExpressions[3].cel",
    ]
);
stage_file!(
    kwok_volume_pvc_delete,
    "kwok-stages/kustomize/stage/volume/fast/pvc-delete.yaml",
    ["pvc-delete v1/PersistentVolumeClaim w0 sel[0jq 3cel] steps[apply(status/Merge)]"],
    [
        "12:9: warning: spec.selector.matchExpressions[0].cel",
        "15:9: warning: spec.selector.matchExpressions[1].cel",
        "18:9: warning: spec.selector.matchExpressions[2].cel",
    ]
);
stage_file!(
    kwok_volume_pvc_provision,
    "kwok-stages/kustomize/stage/volume/fast/pvc-provision.yaml",
    [
        "pvc-provision v1/PersistentVolumeClaim w0 sel[0jq 4cel] steps[apply(/), \
         patch(metadata//), patch(spec//), patch(status/status/)]"
    ],
    [
        "12:9: warning: spec.selector.matchExpressions[0].cel",
        "15:9: warning: spec.selector.matchExpressions[1].cel",
        "18:9: warning: spec.selector.matchExpressions[2].cel",
        "21:9: warning: spec.selector.matchExpressions[3].cel",
    ]
);
stage_file!(
    kwok_volume_storage_class,
    "kwok-stages/kustomize/stage/volume/fast/storage-class.yaml",
    [],
    ["1:1: note: "]
);
stage_file!(
    kwok_e2e_impersonation,
    "kwok-stages/test/e2e/impersonation.yaml",
    ["namespace-impersonation v1/Namespace w0 sel[1jq] steps[patch(status/status/)]"],
    []
);
stage_file!(
    kwok_e2e_jsonpatch,
    "kwok-stages/test/e2e/jsonpatch.yaml",
    [
        "stage-jsonpatch-available kwok.x-k8s.io/v1alpha1/Stage w0 sel[annotations1 0jq] \
         next[patch(metadata//Json)]",
        "pod-jsonpatch-available v1/Pod w10000 sel[annotations1 1jq] next[patch(status/status/Json)]",
        "node-jsonpatch-available v1/Node w10000 sel[annotations1 1jq] next[patch(status/status/Json)]",
    ],
    []
);
stage_file!(
    kwok_e2e_stage,
    "kwok-stages/test/e2e/stage.yaml",
    [
        "stage-available kwok.x-k8s.io/v1alpha1/Stage w0 sel[annotations1 1jq] next[patch(status/status/)]"
    ],
    []
);
stage_file!(
    kwok_crd_is_not_a_stage,
    "kwok-stages/kustomize/crd/bases/kwok.x-k8s.io_stages.yaml",
    [],
    ["2:1: note: "]
);
stage_file!(
    kwok_configuration_is_not_a_stage,
    "kwok-stages/kustomize/kwok/kwok.yaml",
    [],
    ["1:1: note: "]
);

// kwok v0.7.0's Stage files.

stage_file!(
    v0_7_node_chaos_node_not_ready,
    "kwok-stages/historical/v0.7.0/kustomize/stage/node/chaos/node-not-ready.yaml",
    ["node-not-ready v1/Node w10000 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_node_fast_node_initialize,
    "kwok-stages/historical/v0.7.0/kustomize/stage/node/fast/node-initialize.yaml",
    ["node-initialize v1/Node w0 sel[1jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_node_heartbeat_with_lease,
    "kwok-stages/historical/v0.7.0/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    ["node-heartbeat-with-lease v1/Node w0 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_node_heartbeat,
    "kwok-stages/historical/v0.7.0/kustomize/stage/node/heartbeat/node-heartbeat.yaml",
    ["node-heartbeat v1/Node w0 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_chaos_pod_container_running_failed,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/chaos/pod-container-running-failed.yaml",
    ["pod-container-running-failed v1/Pod w10000 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_chaos_pod_init_container_running_failed,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/chaos/pod-init-container-running-failed.yaml",
    ["pod-init-container-running-failed v1/Pod w10000 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_fast_pod_complete,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/fast/pod-complete.yaml",
    ["pod-complete v1/Pod w0 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_fast_pod_delete,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/fast/pod-delete.yaml",
    ["pod-delete v1/Pod w0 sel[1jq] next[fin(empty), delete]"],
    []
);
stage_file!(
    v0_7_pod_fast_pod_ready,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/fast/pod-ready.yaml",
    ["pod-ready v1/Pod w0 sel[2jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_complete,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-complete.yaml",
    ["pod-complete v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_create,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-create.yaml",
    ["pod-create v1/Pod w1 sel[2jq] next[event:Created, patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_delete,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-delete.yaml",
    ["pod-delete v1/Pod w1 sel[2jq] next[delete]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_init_container_completed,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-init-container-completed.yaml",
    ["pod-init-container-completed v1/Pod w1 sel[3jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_init_container_running,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-init-container-running.yaml",
    ["pod-init-container-running v1/Pod w1 sel[4jq] next[patch(status/status/)]"],
    []
);
stage_file!(
    v0_7_pod_general_pod_ready,
    "kwok-stages/historical/v0.7.0/kustomize/stage/pod/general/pod-ready.yaml",
    ["pod-ready v1/Pod w1 sel[3jq] next[patch(status/status/)]"],
    []
);

// kwok v0.6.0's Stage files.

stage_file!(
    v0_6_pod_general_pod_create,
    "kwok-stages/historical/v0.6.0/kustomize/stage/pod/general/pod-create.yaml",
    [
        "pod-create v1/Pod w1 sel[2jq] next[event:Created, fin(+kwok.x-k8s.io/fake), patch(status/status/)]"
    ],
    []
);
stage_file!(
    v0_6_pod_general_pod_delete,
    "kwok-stages/historical/v0.6.0/kustomize/stage/pod/general/pod-delete.yaml",
    ["pod-delete v1/Pod w1 sel[2jq] next[delete]"],
    []
);
stage_file!(
    v0_6_pod_general_pod_remove_finalizer,
    "kwok-stages/historical/v0.6.0/kustomize/stage/pod/general/pod-remove-finalizer.yaml",
    ["pod-remove-finalizer v1/Pod w1 sel[2jq] next[event:Killing, fin(-kwok.x-k8s.io/fake)]"],
    []
);

#[test]
fn volume_stages_say_cel_is_not_supported() {
    let messages = messages(
        "kwok-stages/kustomize/stage/volume/fast/pv-bind.yaml",
        "spec.selector.matchExpressions[0].cel",
    );
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains(CEL), "{}", messages[0]);
    assert!(messages[0].contains("the Stage is kept"), "{}", messages[0]);
}

#[test]
fn every_field_stage_file_has_a_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/field-stages");
    let files = std::fs::read_dir(dir).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "yaml")
    });
    assert_eq!(files.count(), 15);
}
