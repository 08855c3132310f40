//! The actions kwok performs for one step of a Stage (`doStageSteps`), in kwok's order:
//! event, finalizers, delete, patch, apply.
//!
//! Every step works on the snapshot the run started from: templates render over it and
//! finalizer operations are computed against its finalizers. Events are recorded even
//! after a delete, the rest of such a step is skipped. The loop executes one step's actions
//! against the store before asking for the next step, and decides whether a patch would
//! change the snapshot; apply actions are produced but cannot be executed yet.

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use stage_kube::PatchType;

use crate::finalizers::{JsonPatchOp, finalizer_ops, object_finalizers};
use crate::model::{ApplyKind, Patch, Stage, Step};
use crate::render::{RenderContext, RenderError};
use crate::select::ObjectView;

/// The note the loop records with every apply action. A server-side apply needs the API
/// server's field ownership (managed fields, conflicts), which the store does not model, so
/// the loop reports the rendered object instead of sending a request that would answer
/// differently from kwok's.
// FIXME: kwok sends each apply (server-side apply, or the merge or strategic patch its type
// names) and the target object is created or changed; here nothing in the store changes.
pub const APPLY_NOT_SUPPORTED: &str = "apply steps are not supported yet";

/// One request kwok would send (or a marker for the loop).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Action {
    Event {
        #[serde(rename = "type")]
        event_type: String,
        reason: String,
        message: String,
    },
    Patch(PatchAction),
    Delete,
    Apply(ApplyAction),
    /// The Stage has `immediateNextStage`; emitted after the last step's actions.
    Immediate,
}

/// Where a patch came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatchSource {
    Finalizers,
    Template,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatchAction {
    #[serde(rename = "type", serialize_with = "patch_mime")]
    pub patch_type: PatchType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subresource: Option<String>,
    pub data: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonation: Option<String>,
    pub source: PatchSource,
    /// The template's output text, for a template patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplyAction {
    #[serde(rename = "type", serialize_with = "apply_mime")]
    pub apply_type: ApplyKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subresource: Option<String>,
    /// The rendered object as written; for a namespaced kind without a namespace kwok
    /// uses the source object's namespace, which is `source_namespace`.
    pub data: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonation: Option<String>,
    pub source_namespace: String,
    pub rendered: String,
}

fn patch_mime<S: Serializer>(patch_type: &PatchType, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(patch_type.mime())
}

fn apply_mime<S: Serializer>(kind: &ApplyKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(apply_type_mime(*kind))
}

/// The content type of an apply request.
pub fn apply_type_mime(kind: ApplyKind) -> &'static str {
    match kind {
        ApplyKind::Apply => "application/apply-patch+yaml",
        ApplyKind::Merge => PatchType::Merge.mime(),
        ApplyKind::Strategic => PatchType::Strategic.mime(),
    }
}

/// Why a step could not produce its actions; `Display` is kwok's text.
#[derive(Clone, Debug, PartialEq)]
pub struct StepError {
    pub step: usize,
    pub kind: StepErrorKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepErrorKind {
    NoSuchStep {
        steps: usize,
    },
    Render(RenderError),
    /// A `json` patch whose rendered JSON is not a list of operations.
    JsonPatch(String),
    /// An apply whose rendered object lacks `apiVersion` or `kind`.
    Apply(String),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StepErrorKind::NoSuchStep { steps } => {
                write!(
                    f,
                    "step {} does not exist (the stage has {steps})",
                    self.step
                )
            }
            // kwok writes no separator after "patch" here.
            StepErrorKind::Render(error) => write!(f, "failed to compute patch {error}"),
            StepErrorKind::JsonPatch(message) => write!(f, "failed to compute patch {message}"),
            StepErrorKind::Apply(message) => write!(f, "failed to compute apply {message}"),
        }
    }
}

impl std::error::Error for StepError {}

/// The actions of step `step_index` of `stage` on the snapshot `view`, in kwok's order.
pub fn step_actions(
    stage: &Stage,
    step_index: usize,
    view: &ObjectView,
    context: &mut RenderContext,
) -> Result<Vec<Action>, StepError> {
    let fail = |kind| StepError {
        step: step_index,
        kind,
    };
    let step: &Step = stage.steps.get(step_index).ok_or_else(|| {
        fail(StepErrorKind::NoSuchStep {
            steps: stage.steps.len(),
        })
    })?;
    let mut actions = Vec::new();

    // Events are recorded even after an earlier step deleted the object.
    if let Some(event) = &step.event {
        actions.push(Action::Event {
            event_type: event.event_type.clone(),
            reason: event.reason.clone(),
            message: event.message.clone(),
        });
    }
    let deleted = stage.steps[..step_index].iter().any(|s| s.delete);
    if !deleted {
        push_step_requests(stage, step, view, context, &mut actions).map_err(fail)?;
    }

    if stage.immediate_next_stage && step_index + 1 == stage.steps.len() {
        actions.push(Action::Immediate);
    }
    Ok(actions)
}

/// Every step's actions in order, then `Immediate` when the Stage asks for it (also for a
/// Stage without steps), as kwok's test harness lists them.
pub fn all_actions(
    stage: &Stage,
    view: &ObjectView,
    context: &mut RenderContext,
) -> Result<Vec<Action>, StepError> {
    let mut actions = Vec::new();
    for index in 0..stage.steps.len() {
        actions.extend(step_actions(stage, index, view, context)?);
    }
    if stage.immediate_next_stage && stage.steps.is_empty() {
        actions.push(Action::Immediate);
    }
    Ok(actions)
}

fn push_step_requests(
    stage: &Stage,
    step: &Step,
    view: &ObjectView,
    context: &mut RenderContext,
    actions: &mut Vec<Action>,
) -> Result<(), StepErrorKind> {
    if let Some(finalizers) = &step.finalizers {
        let ops = finalizer_ops(&object_finalizers(view.json()), finalizers);
        if !ops.is_empty() {
            actions.push(Action::Patch(PatchAction {
                patch_type: PatchType::Json,
                subresource: None,
                data: ops_json(&ops),
                impersonation: None,
                source: PatchSource::Finalizers,
                rendered: None,
            }));
        }
    }

    if step.delete {
        actions.push(Action::Delete);
        return Ok(());
    }

    if let Some(patch) = &step.patch {
        actions.push(Action::Patch(template_patch(patch, view, context)?));
    }

    if let Some(apply) = &step.apply {
        let rendered = context
            .render(&apply.template, view)
            .map_err(StepErrorKind::Render)?;
        let has = |key: &str| {
            rendered
                .json
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        if !has("apiVersion") || !has("kind") {
            return Err(StepErrorKind::Apply(format!(
                "in stage {}: the rendered object needs apiVersion and kind",
                stage.name
            )));
        }
        actions.push(Action::Apply(ApplyAction {
            apply_type: apply.apply_type.unwrap_or(ApplyKind::Apply),
            subresource: apply.subresource.clone().filter(|s| !s.is_empty()),
            data: rendered.json,
            impersonation: apply.impersonation.clone(),
            source_namespace: view.namespace().to_string(),
            rendered: rendered.text,
        }));
    }
    Ok(())
}

fn template_patch(
    patch: &Patch,
    view: &ObjectView,
    context: &mut RenderContext,
) -> Result<PatchAction, StepErrorKind> {
    let rendered = context
        .render(&patch.template, view)
        .map_err(StepErrorKind::Render)?;
    let root = patch.root.as_deref().filter(|r| !r.is_empty());

    // Pods and Nodes are Go structs in kwok's controllers: strategic merge for them.
    let patch_type = match patch.patch_type {
        Some(patch_type) => patch_type,
        None if view.typed() => PatchType::Strategic,
        None => PatchType::Merge,
    };
    let data = match patch_type {
        PatchType::Json => wrap_json_patch(root, rendered.json)?,
        PatchType::Merge | PatchType::Strategic => wrap_merge(root, rendered.json),
    };
    Ok(PatchAction {
        patch_type,
        subresource: patch.subresource.clone().filter(|s| !s.is_empty()),
        data,
        impersonation: patch.impersonation.clone(),
        source: PatchSource::Template,
        rendered: Some(rendered.text),
    })
}

/// `{root: data}`, or the data itself without a root.
fn wrap_merge(root: Option<&str>, data: Value) -> Value {
    match root {
        None => data,
        Some(root) => {
            let mut map = Map::new();
            map.insert(root.to_string(), data);
            Value::Object(map)
        }
    }
}

/// Prefixes every op's `path` with `/root`, keeping only `op`, `path`, `value` (when
/// present) and `from` (when not empty, and never prefixed).
fn wrap_json_patch(root: Option<&str>, data: Value) -> Result<Value, StepErrorKind> {
    let Some(root) = root else {
        return Ok(data);
    };
    let type_error = |what: &str| {
        StepErrorKind::JsonPatch(format!(
            "json: cannot unmarshal {what} into Go value of type []lifecycle.jsonpatchData"
        ))
    };
    let ops = match data {
        Value::Array(ops) => ops,
        Value::Null => Vec::new(),
        other => return Err(type_error(json_kind(&other))),
    };
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let Value::Object(op) = op else {
            return Err(type_error(json_kind(&op)));
        };
        let text = |key: &str| -> Result<String, StepErrorKind> {
            match op.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(other) => Err(StepErrorKind::JsonPatch(format!(
                    "json: cannot unmarshal {} into Go struct field jsonpatchData.{key} of type string",
                    json_kind(other)
                ))),
            }
        };
        let mut entry = Map::new();
        entry.insert("op".into(), Value::String(text("op")?));
        entry.insert(
            "path".into(),
            Value::String(format!("/{root}{}", text("path")?)),
        );
        if let Some(value) = op.get("value") {
            entry.insert("value".into(), value.clone());
        }
        let from = text("from")?;
        if !from.is_empty() {
            entry.insert("from".into(), Value::String(from));
        }
        out.push(Value::Object(entry));
    }
    Ok(Value::Array(out))
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn ops_json(ops: &[JsonPatchOp]) -> Value {
    Value::Array(
        ops.iter()
            .map(|op| {
                let mut map = Map::new();
                map.insert("op".into(), Value::String(op.op.clone()));
                map.insert("path".into(), Value::String(op.path.clone()));
                if let Some(value) = &op.value {
                    map.insert("value".into(), value.clone());
                }
                Value::Object(map)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_wrapping() {
        assert_eq!(wrap_merge(None, json!({"a": 1})), json!({"a": 1}));
        assert_eq!(
            wrap_merge(Some("status"), json!({"a": 1})),
            json!({"status": {"a": 1}})
        );
        assert_eq!(
            wrap_merge(Some("status"), Value::Null),
            json!({"status": null})
        );
        // One key only, even with a slash.
        assert_eq!(
            wrap_merge(Some("status/x"), json!(1)),
            json!({"status/x": 1})
        );
    }

    #[test]
    fn json_patch_prefixing() {
        let ops = json!([
            {"op": "replace", "path": "/annotations/a~1b", "value": "x", "extra": 1},
            {"op": "move", "from": "/a", "path": "/b"},
            {"op": "remove", "path": "/c", "from": ""},
            {"op": "add", "path": "/d", "value": null}
        ]);
        assert_eq!(
            wrap_json_patch(Some("metadata"), ops.clone()).unwrap(),
            json!([
                {"op": "replace", "path": "/metadata/annotations/a~1b", "value": "x"},
                {"op": "move", "path": "/metadata/b", "from": "/a"},
                {"op": "remove", "path": "/metadata/c"},
                {"op": "add", "path": "/metadata/d", "value": null}
            ])
        );
        assert_eq!(wrap_json_patch(None, ops.clone()).unwrap(), ops);
        assert_eq!(
            wrap_json_patch(Some("status/x"), json!([{"op": "remove", "path": "/y"}])).unwrap(),
            json!([{"op": "remove", "path": "/status/x/y"}])
        );
        let error = wrap_json_patch(Some("metadata"), json!({"op": "add"})).unwrap_err();
        assert_eq!(
            error,
            StepErrorKind::JsonPatch(
                "json: cannot unmarshal object into Go value of type []lifecycle.jsonpatchData"
                    .into()
            )
        );
    }

    #[test]
    fn mime_types() {
        assert_eq!(
            apply_type_mime(ApplyKind::Apply),
            "application/apply-patch+yaml"
        );
        assert_eq!(
            apply_type_mime(ApplyKind::Merge),
            "application/merge-patch+json"
        );
        let action = Action::Patch(PatchAction {
            patch_type: PatchType::Json,
            subresource: None,
            data: json!([]),
            impersonation: None,
            source: PatchSource::Finalizers,
            rendered: None,
        });
        assert_eq!(
            serde_json::to_value(&action).unwrap(),
            json!({"kind": "patch", "type": "application/json-patch+json", "data": [], "source": "finalizers"})
        );
        assert_eq!(
            serde_json::to_value(Action::Delete).unwrap(),
            json!({"kind": "delete"})
        );
    }
}

#[cfg(test)]
mod step_order_tests {
    use super::*;
    use crate::model::{Event, Finalizers};
    use crate::select::tests::stage;
    use serde_json::json;

    fn event(reason: &str) -> Option<Event> {
        Some(Event {
            event_type: "Normal".into(),
            reason: reason.into(),
            message: String::new(),
        })
    }

    fn reasons_and_kinds(actions: &[Action]) -> Vec<String> {
        actions
            .iter()
            .map(|a| match a {
                Action::Event { reason, .. } => format!("event {reason}"),
                Action::Patch(p) => format!("patch {}", p.data),
                Action::Delete => "delete".into(),
                Action::Apply(_) => "apply".into(),
                Action::Immediate => "immediate".into(),
            })
            .collect()
    }

    fn run(stage: &Stage, object: Value) -> Vec<String> {
        let view = ObjectView::new(object);
        let mut context = RenderContext::new(stage_gotpl::Funcs::new());
        reasons_and_kinds(&all_actions(stage, &view, &mut context).unwrap())
    }

    #[test]
    fn events_after_a_delete_and_nothing_else() {
        let mut s = stage("s", None);
        s.steps = vec![
            Step {
                event: event("E1"),
                ..Step::default()
            },
            Step {
                delete: true,
                finalizers: Some(Finalizers {
                    empty: true,
                    ..Finalizers::default()
                }),
                ..Step::default()
            },
            Step {
                event: event("E2"),
                finalizers: Some(Finalizers {
                    add: vec!["x".into()],
                    ..Finalizers::default()
                }),
                delete: true,
                ..Step::default()
            },
        ];
        s.immediate_next_stage = true;
        let object = json!({"kind": "Pod", "metadata": {"finalizers": ["a"]}});
        assert_eq!(
            run(&s, object),
            [
                "event E1",
                r#"patch [{"op":"remove","path":"/metadata/finalizers"}]"#,
                "delete",
                "event E2",
                "immediate"
            ]
        );
    }

    #[test]
    fn finalizers_always_against_the_snapshot() {
        let mut s = stage("s", None);
        let remove_a = Finalizers {
            remove: vec!["a".into()],
            ..Finalizers::default()
        };
        let add_b = Finalizers {
            add: vec!["b".into()],
            ..Finalizers::default()
        };
        s.steps = vec![
            Step {
                finalizers: Some(remove_a),
                ..Step::default()
            },
            Step {
                finalizers: Some(add_b),
                ..Step::default()
            },
        ];
        let object = json!({"metadata": {"finalizers": ["a"]}});
        assert_eq!(
            run(&s, object),
            [
                r#"patch [{"op":"remove","path":"/metadata/finalizers"}]"#,
                r#"patch [{"op":"add","path":"/metadata/finalizers/-","value":"b"}]"#
            ]
        );
    }

    #[test]
    fn immediate_without_steps_and_missing_steps() {
        let mut s = stage("s", None);
        s.immediate_next_stage = true;
        assert_eq!(run(&s, json!({})), ["immediate"]);
        let view = ObjectView::new(json!({}));
        let mut context = RenderContext::new(stage_gotpl::Funcs::new());
        let error = step_actions(&s, 0, &view, &mut context).unwrap_err();
        assert_eq!(error.to_string(), "step 0 does not exist (the stage has 0)");
    }
}

#[cfg(test)]
mod template_step_tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::config::ControllerConfig;
    use crate::funcs::{BareNodes, FuncContext, FunctionSet, build_funcs};
    use crate::ippool::IpPools;
    use crate::model::{Apply, Event, TemplateText};
    use crate::select::tests::stage;
    use serde_json::json;

    struct Clock;

    impl stage_gotpl::Env for Clock {
        fn now(&self) -> i64 {
            0
        }

        fn next_u64(&self) -> u64 {
            0
        }
    }

    fn context() -> RenderContext {
        let context = FuncContext {
            config: ControllerConfig::default(),
            start_time: 0,
            env: Rc::new(Clock),
            nodes: Rc::new(BareNodes),
            pools: Rc::new(RefCell::new(IpPools::new())),
        };
        RenderContext::new(build_funcs(FunctionSet::Pod, &context))
    }

    fn text(template: &str) -> TemplateText {
        TemplateText {
            text: template.to_string(),
            ..TemplateText::default()
        }
    }

    fn patch(root: Option<&str>, template: &str, kind: Option<PatchType>) -> Patch {
        Patch {
            root: root.map(str::to_string),
            template: text(template),
            patch_type: kind,
            subresource: Some("status".into()),
            impersonation: None,
        }
    }

    fn one_patch(p: Patch, view: &ObjectView) -> Result<PatchAction, StepError> {
        let mut s = stage("s", None);
        s.steps = vec![Step {
            patch: Some(p),
            ..Step::default()
        }];
        let mut actions = step_actions(&s, 0, view, &mut context())?;
        match actions.pop() {
            Some(Action::Patch(p)) => Ok(p),
            other => panic!("expected a patch, got {other:?}"),
        }
    }

    fn pod() -> ObjectView {
        ObjectView::new(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "status": {"phase": "Pending"}}),
        )
    }

    fn volume() -> ObjectView {
        ObjectView::new(
            json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"}}),
        )
    }

    #[test]
    fn default_patch_type_follows_the_controller() {
        let p = || patch(Some("status"), "phase: Running", None);
        let typed = one_patch(p(), &pod()).unwrap();
        assert_eq!(typed.patch_type, PatchType::Strategic);
        assert_eq!(typed.data, json!({"status": {"phase": "Running"}}));
        assert_eq!(typed.subresource.as_deref(), Some("status"));
        assert_eq!(
            one_patch(p(), &volume()).unwrap().patch_type,
            PatchType::Merge
        );
        let untyped = ObjectView::untyped(pod().json().clone());
        assert_eq!(
            one_patch(p(), &untyped).unwrap().patch_type,
            PatchType::Merge
        );
        let merge = patch(Some("status"), "phase: Running", Some(PatchType::Merge));
        assert_eq!(
            one_patch(merge, &pod()).unwrap().patch_type,
            PatchType::Merge
        );
        let strategic = patch(None, "a: 1", Some(PatchType::Strategic));
        let strategic = one_patch(strategic, &volume()).unwrap();
        assert_eq!(
            (strategic.patch_type, strategic.data),
            (PatchType::Strategic, json!({"a": 1}))
        );
    }

    #[test]
    fn templates_render_over_the_snapshot_as_yaml_1_1() {
        let p = patch(
            Some("status"),
            "\nreason: no\nwas: {{ .status.phase }}\nip: {{ .status.podIP }}\n",
            None,
        );
        let action = one_patch(p, &pod()).unwrap();
        assert_eq!(
            action.data,
            json!({"status": {"reason": false, "was": "Pending", "ip": "<no value>"}})
        );
        assert_eq!(
            action.rendered.as_deref(),
            Some("reason: no\nwas: Pending\nip: <no value>")
        );
        // An empty template renders to null, which deletes the status.
        let empty = one_patch(patch(Some("status"), "", None), &pod()).unwrap();
        assert_eq!(empty.data, json!({"status": null}));
        // Trimming removes the first line's indent only, so an indented block breaks.
        let indented = patch(Some("status"), "\n  a: 1\n  b: 2\n", None);
        let message = one_patch(indented, &pod()).unwrap_err().to_string();
        assert_eq!(
            message,
            "failed to compute patch error converting YAML to JSON: yaml: line 2: \
             mapping values are not allowed in this context: a: 1\n  b: 2"
        );
    }

    #[test]
    fn json_patch_under_a_root() {
        let p = patch(
            Some("metadata"),
            "- op: replace\n  path: /annotations/a~1b\n  value: x\n- op: copy\n  from: /labels\n  path: /annotations",
            Some(PatchType::Json),
        );
        let action = one_patch(p, &pod()).unwrap();
        assert_eq!(action.patch_type, PatchType::Json);
        assert_eq!(
            action.data,
            json!([{"op": "replace", "path": "/metadata/annotations/a~1b", "value": "x"},
                   {"op": "copy", "path": "/metadata/annotations", "from": "/labels"}])
        );
    }

    #[test]
    fn render_errors_in_kwok_words() {
        let p = patch(Some("status"), "x: {{ index .status.missing 0 }}", None);
        let error = one_patch(p, &pod()).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("failed to compute patch gotpl execute: template: _:1:"),
            "{message}"
        );
        assert!(message.ends_with("index of untyped nil: x: "), "{message}");
        let unknown = patch(Some("status"), "x: {{ NoSuchFunction }}", None);
        let message = one_patch(unknown, &pod()).unwrap_err().to_string();
        assert!(
            message.starts_with("failed to compute patch build template: template: _:1:"),
            "{message}"
        );
        assert!(
            message.contains(r#"function "NoSuchFunction" not defined"#),
            "{message}"
        );
    }

    #[test]
    fn apply_is_produced_with_its_target() {
        let mut s = stage("s", None);
        let template = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: {{ .metadata.name }}\nstatus:\n  phase: Released";
        s.steps = vec![Step {
            event: Some(Event {
                event_type: "Normal".into(),
                reason: "R".into(),
                message: String::new(),
            }),
            apply: Some(Apply {
                template: text(template),
                apply_type: Some(ApplyKind::Merge),
                subresource: Some("status".into()),
                impersonation: None,
            }),
            ..Step::default()
        }];
        let claim = ObjectView::new(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "pvc-1", "namespace": "default"}}));
        let actions = step_actions(&s, 0, &claim, &mut context()).unwrap();
        assert_eq!(actions.len(), 2);
        let Action::Apply(apply) = &actions[1] else {
            panic!("{actions:?}")
        };
        assert_eq!(apply.apply_type, ApplyKind::Merge);
        assert_eq!(apply.source_namespace, "default");
        assert_eq!(
            apply.data,
            json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pvc-1"}, "status": {"phase": "Released"}})
        );

        s.steps[0].apply.as_mut().unwrap().template = text("metadata:\n  name: x");
        let error = step_actions(&s, 0, &claim, &mut context()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "failed to compute apply in stage s: the rendered object needs apiVersion and kind"
        );
    }

    #[test]
    fn parsed_templates_are_cached_per_template_text() {
        let mut render = context();
        let view = pod();
        let t = text("a: {{ .status.phase }}");
        assert_eq!(
            render.render(&t, &view).unwrap().json,
            json!({"a": "Pending"})
        );
        assert_eq!(
            render.render(&t, &view).unwrap().json,
            json!({"a": "Pending"})
        );
        let mut changed = t.clone();
        changed.text = "b: {{ .status.phase }}".into();
        assert_eq!(
            render.render(&changed, &view).unwrap().json,
            json!({"b": "Pending"})
        );
    }
}
