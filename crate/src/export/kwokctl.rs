//! A recipe that plays the scenario on a real kwok cluster made by kwokctl: `kwok.yaml` (a
//! KwokctlConfiguration with the controller flags, then the Stages), `objects.yaml`, one
//! manifest per create or replace action, and `run.sh` with the commands, the user's actions
//! as kubectl commands separated by `sleep`s.
//!
//! kwokctl passes `--config` on to kwok, and installs its own default Stages only when that
//! configuration holds no Stage at all, so the cluster plays exactly the scenario's Stages.
//! What cannot carry over (the wall clock, kwok's own random draws, kwokctl's node name and
//! port) is said in comments of the files, where the user reads it.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{ExportError, ExportFile, Prepared, error};
use crate::config::ManagedNodes;
use crate::scenario::{ObjectText, Target, UserActionKind};

/// The name of the cluster the recipe creates (`kwokctl` calls its context `kwok-<name>`).
pub const CLUSTER_NAME: &str = "stage-playground";

const STAGE_API_VERSION: &str = "kwok.x-k8s.io/v1alpha1";

/// The recipe's files: `kwok.yaml`, `objects.yaml`, `action-<n>.yaml` and `run.sh`.
pub fn kwokctl(prepared: &Prepared) -> Result<Vec<ExportFile>, ExportError> {
    let mut files = vec![
        ExportFile {
            name: "kwok.yaml".into(),
            text: kwok_config(prepared)?,
        },
        ExportFile {
            name: "objects.yaml".into(),
            text: objects(prepared),
        },
    ];
    let (script, manifests) = script(prepared)?;
    files.extend(manifests);
    files.push(ExportFile {
        name: "run.sh".into(),
        text: script,
    });
    Ok(files)
}

/// The KwokctlConfiguration and the Stage documents.
fn kwok_config(prepared: &Prepared) -> Result<String, ExportError> {
    let mut text = String::from(
        "# kwokctl configuration of the scenario: `kwokctl create cluster --config kwok.yaml`.\n\
         # kwokctl installs its default Stages only when this file has no Stage, so the cluster\n\
         # plays the Stages below and no others.\n",
    );
    let config = &prepared.options.config;
    if config.node_name.is_empty() {
        text.push_str(
            "# NodeName is not set in the scenario: kwokctl passes its own `--node-name`, so\n\
             # templates calling NodeName render kwokctl's value, not \"\".\n",
        );
    }
    if config.node_port == 0 {
        text.push_str(
            "# NodePort is not set in the scenario: kwokctl passes its own `--node-port`, so\n\
             # templates calling NodePort render kwokctl's port, not 0.\n",
        );
    }

    // The kwok controller's flags, appended after kwokctl's own so that they win.
    let mut args = vec![
        ("node-ip", config.node_ip.clone()),
        ("cidr", config.cidr.clone()),
    ];
    if !config.node_name.is_empty() {
        args.push(("node-name", config.node_name.clone()));
    }
    if config.node_port != 0 {
        args.push(("node-port", config.node_port.to_string()));
    }
    match &config.manage {
        ManagedNodes::All => args.push(("manage-all-nodes", "true".into())),
        ManagedNodes::ByName(name) => {
            args.push(("manage-all-nodes", "false".into()));
            args.push(("manage-single-node", name.clone()));
        }
        ManagedNodes::ByLabel(selector) => {
            args.push(("manage-all-nodes", "false".into()));
            args.push(("manage-nodes-with-label-selector", selector.clone()));
        }
        ManagedNodes::ByAnnotation(selector) => {
            args.push(("manage-all-nodes", "false".into()));
            args.push(("manage-nodes-with-annotation-selector", selector.clone()));
        }
    }
    let extra_args: Vec<Value> = args
        .into_iter()
        .map(|(key, value)| json!({"key": key, "value": value}))
        .collect();
    let kwokctl = json!({
        "apiVersion": "config.kwok.x-k8s.io/v1alpha1",
        "kind": "KwokctlConfiguration",
        "componentsPatches": [{"name": "kwok-controller", "extraArgs": extra_args}],
    });
    text.push_str(&stage_yaml::to_string(&kwokctl));

    // The Stages, each from the document it was written in.
    let mut count = 0;
    for source in &prepared.stage_texts {
        let documents = stage_yaml::parse_stream(&source.text).map_err(|e| {
            error(
                format!("{}:{}:{}", source.label, e.mark.line, e.mark.column),
                e.message,
            )
        })?;
        for document in documents {
            let mut stage = document.root.to_json();
            if stage.get("apiVersion").and_then(Value::as_str) != Some(STAGE_API_VERSION)
                || stage.get("kind").and_then(Value::as_str) != Some("Stage")
            {
                continue;
            }
            text.push_str("---\n");
            let _ = writeln!(text, "# {}:{}", source.label, document.root.mark.line);
            if default_api_group(&mut stage) {
                text.push_str(
                    "# apiGroup was not set: written as v1, as the simulation read it (kwok's\n\
                     # configuration file loader would leave it empty and play nothing).\n",
                );
            }
            text.push_str(&stage_yaml::to_string(&stage));
            count += 1;
        }
    }
    if count == 0 {
        text.push_str(
            "# The scenario has no Stages, so kwokctl installs its default Stages: the cluster\n\
             # will play them, unlike the simulation, which played nothing.\n",
        );
    }
    Ok(text)
}

/// Sets `spec.resourceRef.apiGroup` to `v1` where it is missing; says whether it did.
fn default_api_group(stage: &mut Value) -> bool {
    let Some(reference) = stage
        .pointer_mut("/spec/resourceRef")
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    if reference.contains_key("apiGroup") {
        return false;
    }
    reference.insert("apiGroup".into(), json!("v1"));
    true
}

/// The objects as the user wrote them, one stream.
fn objects(prepared: &Prepared) -> String {
    let mut text = String::from("# The scenario's objects: `kubectl apply -f objects.yaml`.\n");
    for (index, source) in prepared.object_texts.iter().enumerate() {
        if index > 0 {
            text.push_str("---\n");
        }
        let _ = writeln!(text, "# {}", source.label);
        text.push_str(source.text.trim_end());
        text.push('\n');
    }
    text
}

/// `run.sh` and the manifests its create and replace commands read.
fn script(prepared: &Prepared) -> Result<(String, Vec<ExportFile>), ExportError> {
    let mut text = String::from(
        "#!/bin/sh\n\
         # Plays the scenario on a real kwok cluster. Needs kwokctl (v0.8) and kubectl on PATH.\n\
         #\n\
         # Real kwok runs on the wall clock and draws its own random delays: the Stages play in\n\
         # the order of the simulation, at times within each Stage's delay range rather than at\n\
         # the simulated ones, and templates calling Now render the real time.\n",
    );
    let owned = prepared
        .objects
        .iter()
        .any(|object| object.pointer("/metadata/ownerReferences").is_some());
    if owned {
        text.push_str(
            "# Objects with ownerReferences to owners that do not exist in the cluster are\n\
             # removed by kube-controller-manager's garbage collector; the simulation has none.\n",
        );
    }
    let _ = write!(
        text,
        "set -eu\n\
         cd \"$(dirname \"$0\")\"\n\
         \n\
         CLUSTER=\"${{CLUSTER:-{CLUSTER_NAME}}}\"\n\
         KUBECTL=\"kubectl --context kwok-$CLUSTER\"\n\
         \n\
         kwokctl create cluster --name \"$CLUSTER\" --config kwok.yaml\n\
         $KUBECTL apply -f objects.yaml\n"
    );

    // The actions in time order (the simulation keeps the written order at equal times).
    let start = prepared.options.start;
    let mut order: Vec<usize> = (0..prepared.actions.len()).collect();
    order.sort_by_key(|&index| prepared.actions[index].at);
    let mut manifests = Vec::new();
    let mut clock = start;
    for index in order {
        let at = prepared.actions[index].at;
        let action = &prepared.scenario.actions[index];
        let wait = at.saturating_sub(clock).max(0);
        let _ = write!(
            text,
            "\n# {}: {}\n",
            offset(at - start),
            describe(&action.what)
        );
        if wait > 0 {
            let _ = writeln!(text, "sleep {}", seconds(wait));
        }
        clock = clock.max(at);
        for line in commands(&action.what, index, &mut manifests)? {
            let _ = writeln!(text, "$KUBECTL {line}");
        }
    }

    if let Some(horizon) = prepared.options.horizon {
        let _ = write!(
            text,
            "\n# The simulation covered {} from the start.\n",
            offset(horizon)
        );
    }
    text.push_str(
        "echo \"Watch with: $KUBECTL get nodes,pods --all-namespaces --watch\"\n\
         echo \"Delete the cluster with: kwokctl delete cluster --name $CLUSTER\"\n",
    );
    Ok((text, manifests))
}

/// The kubectl arguments of one action (after `kubectl --context ...`).
fn commands(
    what: &UserActionKind,
    index: usize,
    manifests: &mut Vec<ExportFile>,
) -> Result<Vec<String>, ExportError> {
    let mut manifest = |verb: &str, object: &ObjectText| -> Result<String, ExportError> {
        let name = format!("action-{index}-{verb}.yaml");
        let text = match object {
            ObjectText::Text(text) => format!("{}\n", text.trim_end()),
            ObjectText::Value(value) => stage_yaml::to_string(value),
        };
        manifests.push(ExportFile {
            name: name.clone(),
            text,
        });
        Ok(format!("{verb} -f {name}"))
    };
    Ok(match what {
        UserActionKind::Create(object) => vec![manifest("create", object)?],
        UserActionKind::Replace(object) => vec![manifest("replace", object)?],
        UserActionKind::Delete {
            target,
            grace_period_seconds,
        } => {
            let mut line = format!("delete {}", target_args(target));
            if let Some(seconds) = grace_period_seconds {
                let _ = write!(line, " --grace-period={seconds}");
            }
            // kubectl would otherwise wait for finalizers, and the next action with it.
            line.push_str(" --wait=false");
            vec![line]
        }
        UserActionKind::Edit { target, patch } => {
            // The engine sends a `status` part to the status subresource; kubectl needs a
            // second command for it.
            let (main, status) = split_status(patch);
            let mut lines = Vec::new();
            for (part, subresource) in [(main, ""), (status, " --subresource=status")] {
                if let Some(part) = part {
                    lines.push(format!(
                        "patch {}{subresource} --type=merge --patch {}",
                        target_args(target),
                        quote(&part.to_string())
                    ));
                }
            }
            lines
        }
    })
}

/// A merge patch without and with only its `status` part.
pub(super) fn split_status(patch: &Value) -> (Option<Value>, Option<Value>) {
    let Some(fields) = patch.as_object() else {
        return (Some(patch.clone()), None);
    };
    let mut main = fields.clone();
    let status = main.remove("status").map(|status| {
        let mut only = Map::new();
        only.insert("status".into(), status);
        Value::Object(only)
    });
    let main = (!main.is_empty() || status.is_none()).then_some(Value::Object(main));
    (main, status)
}

/// `pod web-0 --namespace default`, `deployment.v1.apps web`.
pub(super) fn target_args(target: &Target) -> String {
    let kind = target.kind.to_ascii_lowercase();
    let resource = match target.api_version.split_once('/') {
        Some((group, version)) => format!("{kind}.{version}.{group}"),
        None => kind,
    };
    let mut args = format!("{} {}", quote(&resource), quote(&target.name));
    if !target.namespace.is_empty() {
        let _ = write!(args, " --namespace {}", quote(&target.namespace));
    }
    args
}

fn describe(what: &UserActionKind) -> String {
    let object = |text: &ObjectText| match text {
        ObjectText::Value(value) => crate::sim::object_key(value)
            .map(|key| crate::sim::key_text(&key))
            .unwrap_or_default(),
        ObjectText::Text(text) => stage_yaml::parse_value(text)
            .ok()
            .and_then(|value| crate::sim::object_key(&value))
            .map(|key| crate::sim::key_text(&key))
            .unwrap_or_default(),
    };
    let target = |target: &Target| {
        crate::sim::key_text(&crate::sim::ObjectKey {
            api_version: target.api_version.clone(),
            kind: target.kind.clone(),
            namespace: target.namespace.clone(),
            name: target.name.clone(),
        })
    };
    match what {
        UserActionKind::Create(text) => format!("create {}", object(text)),
        UserActionKind::Replace(text) => format!("replace {}", object(text)),
        UserActionKind::Delete { target: t, .. } => format!("delete {}", target(t)),
        UserActionKind::Edit { target: t, .. } => format!("edit {}", target(t)),
    }
}

/// A word for `sh`: bare when it is plainly safe, else in single quotes.
pub(super) fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.,/:=@%+".contains(&b));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Nanoseconds as seconds for `sleep`: `30`, `1.5`, `0.000001`.
pub(super) fn seconds(ns: i64) -> String {
    let whole = ns / 1_000_000_000;
    let fraction = ns % 1_000_000_000;
    if fraction == 0 {
        whole.to_string()
    } else {
        let digits = format!("{fraction:09}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// A time after the start as Go prints durations of a second or more: `+1m30s`, `+10m0s`,
/// `+1.5s`; `-` before the start.
pub(super) fn offset(ns: i64) -> String {
    let sign = if ns < 0 { "-" } else { "+" };
    let total = ns.unsigned_abs();
    let hours = total / 3_600_000_000_000;
    let minutes = total / 60_000_000_000 % 60;
    let rest = i64::try_from(total % 60_000_000_000).unwrap_or(0);
    let mut text = String::from(sign);
    if hours > 0 {
        let _ = write!(text, "{hours}h");
    }
    if hours > 0 || minutes > 0 {
        let _ = write!(text, "{minutes}m");
    }
    let _ = write!(text, "{}s", seconds(rest));
    text
}
