//! kwok's stage test harness (`kustomize/stage/stage_test.go`): every Stage that could
//! apply next to one object, with its weight, its possible delay and the actions it would
//! take, in the format of kwok's `*.output.yaml` files.
//!
//! As in kwok's harness the object is untyped (so the default patch type is a merge patch
//! for every kind), `now` is 2006-01-02T15:04:05Z, and the node and pod functions, `Now`,
//! `now` and `Version` are placeholders such as `<Now>` or `<0 of NodeIPsWith("node")>`.
//! Loading files and printing YAML is the CLI's business.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde_json::{Map, Value, json};

use crate::config::ControllerConfig;
use crate::delay::delay_plan;
use crate::duration::Nanos;
use crate::funcs::{FuncContext, FunctionSet, NoNodes, build_funcs};
use crate::ippool::IpPools;
use crate::model::Stage;
use crate::render::RenderContext;
use crate::select::{MatchOutcome, ObjectView, match_stage};
use crate::steps::{Action, all_actions, apply_type_mime};
use crate::weight::{Weight, choose, stage_weight};

/// The harness's clock: 2006-01-02T15:04:05Z.
pub const HARNESS_NOW: Nanos = 1_136_214_245_000_000_000;

/// Why the harness output could not be produced for an object.
#[derive(Clone, Debug, PartialEq)]
pub struct TestdataError {
    /// The Stage concerned, when there is one.
    pub stage: Option<String>,
    pub message: String,
}

impl fmt::Display for TestdataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.stage {
            Some(stage) => write!(f, "stage {stage}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for TestdataError {}

/// The harness's clock and random source: fixed, since nothing it prints may vary.
struct HarnessEnv;

impl stage_gotpl::Env for HarnessEnv {
    fn now(&self) -> i64 {
        HARNESS_NOW
    }

    fn next_u64(&self) -> u64 {
        0
    }
}

/// The template functions of kwok's harness.
pub fn harness_render_context() -> RenderContext {
    let context = FuncContext {
        config: ControllerConfig::default(),
        start_time: HARNESS_NOW,
        env: Rc::new(HarnessEnv),
        nodes: Rc::new(NoNodes),
        pools: Rc::new(RefCell::new(IpPools::new())),
    };
    RenderContext::new(build_funcs(FunctionSet::Harness, &context))
}

/// The harness output for `object` over `stages` (Stages of other kinds are left out), as
/// JSON with kwok's keys: `apiGroup`, `kind`, `name`, `namespace` (when set) and `stages`.
pub fn harness_output(object: &Value, stages: &[Stage]) -> Result<Value, TestdataError> {
    let view = ObjectView::untyped(object.clone());
    let mut out = Map::new();
    out.insert("apiGroup".into(), json!(view.api_version()));
    out.insert("kind".into(), json!(view.kind()));
    out.insert("name".into(), json!(view.name()));
    if !view.namespace().is_empty() {
        out.insert("namespace".into(), json!(view.namespace()));
    }

    // The Stages of this object's kind, in file order, then those that match.
    let mut matched = Vec::new();
    for stage in stages {
        let reference = &stage.resource_ref;
        if reference.api_group != view.api_version() || reference.kind != view.kind() {
            continue;
        }
        let report = match_stage(stage, &view);
        match report.outcome {
            MatchOutcome::Matched => matched.push(stage),
            MatchOutcome::NotMatched => {}
            // kwok evaluates CEL here; one error would stop every Stage of the kind.
            MatchOutcome::NotSupported(message) => {
                return Err(TestdataError {
                    stage: Some(stage.name.clone()),
                    message,
                });
            }
        }
    }

    let error = |stage: &Stage, message: String| TestdataError {
        stage: Some(stage.name.clone()),
        message,
    };
    let choice = choose(&matched, &view).map_err(|e| TestdataError {
        stage: None,
        message: e.to_string(),
    })?;
    let candidates = choice.map(|c| c.candidates()).unwrap_or_default();

    let mut context = harness_render_context();
    let mut listed = Vec::new();
    for index in candidates {
        let stage = matched[index];
        let mut entry = Map::new();
        entry.insert("stage".into(), json!(stage.name));

        let plan = delay_plan(stage.delay.as_ref(), &view, HARNESS_NOW)
            .map_err(|e| error(stage, e.to_string()))?;
        let possible = plan.possible();
        if !possible.is_empty() {
            entry.insert("delay".into(), json!(possible));
        }
        // The harness asks every candidate for its weight, a single one included.
        if let Weight::Valid(weight) =
            stage_weight(stage, &view).map_err(|e| error(stage, e.to_string()))?
        {
            entry.insert("weight".into(), json!(weight));
        }

        let actions =
            all_actions(stage, &view, &mut context).map_err(|e| error(stage, e.to_string()))?;
        entry.insert(
            "next".into(),
            Value::Array(actions.iter().map(harness_action).collect()),
        );
        listed.push(Value::Object(entry));
    }
    out.insert("stages".into(), Value::Array(listed));
    Ok(Value::Object(out))
}

/// One action in the harness's form.
fn harness_action(action: &Action) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    match action {
        Action::Event {
            event_type,
            reason,
            message,
        } => {
            put("kind", json!("event"));
            put("type", json!(event_type));
            put("reason", json!(reason));
            put("message", json!(message));
        }
        Action::Delete => put("kind", json!("delete")),
        Action::Immediate => put("kind", json!("immediate")),
        Action::Patch(patch) => {
            put("kind", json!("patch"));
            put("type", json!(patch.patch_type.mime()));
            if let Some(subresource) = &patch.subresource {
                put("subresource", json!(subresource));
            }
            put("data", patch.data.clone());
            if let Some(user) = &patch.impersonation {
                put("impersonation", json!(user));
            }
        }
        Action::Apply(apply) => {
            put("kind", json!("apply"));
            put("type", json!(apply_type_mime(apply.apply_type)));
            if let Some(subresource) = &apply.subresource {
                put("subresource", json!(subresource));
            }
            put("data", apply.data.clone());
            if let Some(user) = &apply.impersonation {
                put("impersonation", json!(user));
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Finalizers, Selector, Step};
    use crate::select::tests::{jq, stage};

    #[test]
    fn harness_now_is_go_reference_time() {
        assert_eq!(
            stage_kube::time::format_nanos(HARNESS_NOW),
            "2006-01-02T15:04:05Z"
        );
    }

    #[test]
    fn shape_without_templates() {
        let mut deleting = stage(
            "pod-delete",
            Some(Selector {
                match_expressions: vec![jq(".metadata.deletionTimestamp", "Exists", &[])],
                ..Selector::default()
            }),
        );
        deleting.steps = vec![
            Step {
                event: Some(Event {
                    event_type: "Normal".into(),
                    reason: "Killing".into(),
                    message: "m".into(),
                }),
                ..Step::default()
            },
            Step {
                finalizers: Some(Finalizers {
                    empty: true,
                    ..Finalizers::default()
                }),
                delete: true,
                ..Step::default()
            },
        ];
        let other_kind = {
            let mut s = stage("node", Some(Selector::default()));
            s.resource_ref.kind = "Node".into();
            s
        };
        let never = stage("never", None);
        let object = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ns", "deletionTimestamp": "2006-01-02T15:04:05Z", "finalizers": ["f"]}});
        let out = harness_output(&object, &[other_kind, never, deleting]).unwrap();
        assert_eq!(
            out,
            json!({"apiGroup": "v1", "kind": "Pod", "name": "p", "namespace": "ns", "stages": [{
            "stage": "pod-delete", "weight": 0, "next": [
                {"kind": "event", "type": "Normal", "reason": "Killing", "message": "m"},
                {"kind": "patch", "type": "application/json-patch+json",
                 "data": [{"op": "remove", "path": "/metadata/finalizers"}]},
                {"kind": "delete"}
            ]}]})
        );
    }

    #[test]
    fn nothing_matches() {
        let object = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
        let out = harness_output(&object, &[stage("never", None)]).unwrap();
        assert_eq!(out["stages"], json!([]));
        assert!(out.get("namespace").is_none());
    }
}
