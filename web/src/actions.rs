//! User actions at the cursor's virtual time: delete the selected object (with a grace
//! period) or set and remove its labels and annotations. Each becomes a
//! [`UserAction`] of the scenario, and the page simulates again with it; the list shows
//! every action with a button to remove it.

use leptos::prelude::*;
use serde_json::{Map, Value};
use stage_engine::duration::format_go_duration;
use stage_engine::scenario::{Target, UserAction, UserActionKind};
use stage_engine::sim;
use stage_kube::ObjectKey;

use crate::page::Page;
use crate::playback;

/// Which part of the metadata an edit sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metadata {
    Labels,
    Annotations,
}

impl Metadata {
    fn field(self) -> &'static str {
        match self {
            Metadata::Labels => "labels",
            Metadata::Annotations => "annotations",
        }
    }
}

/// A virtual position as the Go duration an action's `at` takes (`1m5.25s`).
pub fn at_text(ms: i64) -> String {
    format_go_duration(ms.max(0).saturating_mul(1_000_000))
}

/// The target of an object of the run.
pub fn target(key: &ObjectKey) -> Target {
    Target {
        api_version: key.api_version.clone(),
        kind: key.kind.clone(),
        namespace: key.namespace.clone(),
        name: key.name.clone(),
    }
}

/// The key text (`Kind/namespace/name`) of an action's target.
fn target_text(target: &Target) -> String {
    sim::key_text(&ObjectKey::new(
        &target.api_version,
        &target.kind,
        &target.namespace,
        &target.name,
    ))
}

/// `kubectl delete` at `at_ms`.
pub fn delete(target: Target, at_ms: i64, grace_period_seconds: Option<i64>) -> UserAction {
    UserAction {
        at: at_text(at_ms),
        what: UserActionKind::Delete {
            target,
            grace_period_seconds,
        },
    }
}

/// Sets one label or annotation at `at_ms`; an empty value removes it.
pub fn edit(target: Target, at_ms: i64, part: Metadata, key: &str, value: &str) -> UserAction {
    let value = if value.is_empty() {
        Value::Null
    } else {
        Value::from(value)
    };
    let mut entries = Map::new();
    entries.insert(key.to_string(), value);
    let mut metadata = Map::new();
    metadata.insert(part.field().to_string(), Value::Object(entries));
    let mut patch = Map::new();
    patch.insert("metadata".to_string(), Value::Object(metadata));
    UserAction {
        at: at_text(at_ms),
        what: UserActionKind::Edit {
            target,
            patch: Value::Object(patch),
        },
    }
}

/// One line for the list: what the action does, to which object.
pub fn describe(action: &UserAction) -> String {
    match &action.what {
        UserActionKind::Delete {
            target,
            grace_period_seconds: Some(grace),
        } => format!("delete {} (grace period {grace} s)", target_text(target)),
        UserActionKind::Delete { target, .. } => format!("delete {}", target_text(target)),
        UserActionKind::Edit { target, patch } => {
            format!("edit {}: {}", target_text(target), edit_text(patch))
        }
        UserActionKind::Create(_) => "create an object".to_string(),
        UserActionKind::Replace(_) => "replace an object".to_string(),
    }
}

/// `labels app=web, annotations note removed` for a metadata merge patch.
fn edit_text(patch: &Value) -> String {
    let Some(metadata) = patch.get("metadata").and_then(Value::as_object) else {
        return patch.to_string();
    };
    let mut parts = Vec::new();
    for (field, entries) in metadata {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        for (key, value) in entries {
            parts.push(match value {
                Value::Null => format!("{field} {key} removed"),
                Value::String(value) => format!("{field} {key}={value}"),
                other => format!("{field} {key}={other}"),
            });
        }
    }
    parts.join(", ")
}

#[component]
pub fn ActionsPanel(page: Page) -> impl IntoView {
    let grace = RwSignal::new(String::new());
    let part = RwSignal::new(Metadata::Labels);
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);

    let objects = Memo::new(move |_| {
        page.lanes.with(|lanes| {
            lanes
                .as_ref()
                .map(|lanes| {
                    lanes
                        .groups
                        .iter()
                        .flat_map(|group| group.lanes.iter().map(|lane| lane.key.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The selected object's full key, as the lanes carry it; an error says why there is
    // no target.
    let target_now = move || -> Result<Target, String> {
        let selected = page
            .object
            .get_untracked()
            .ok_or_else(|| "Select an object first.".to_string())?;
        let object = page.lanes.with_untracked(|lanes| {
            lanes.as_ref().and_then(|lanes| {
                lanes
                    .groups
                    .iter()
                    .flat_map(|group| &group.lanes)
                    .find(|lane| lane.key == selected)
                    .and_then(|lane| lane.object.clone())
            })
        });
        object.map(|key| target(&key)).ok_or_else(|| {
            format!("The run recorded no version of {selected}, so its apiVersion is unknown.")
        })
    };
    let at_ms = move || page.cursor.get_untracked().at_ms();
    let add = move |action: UserAction| {
        message.set(None);
        page.actions.update(|actions| actions.push(action));
    };

    let on_delete = move |_| {
        let target = match target_now() {
            Ok(target) => target,
            Err(problem) => {
                message.set(Some(problem));
                return;
            }
        };
        let grace = grace.get_untracked();
        let grace = grace.trim();
        let grace_period = if grace.is_empty() {
            None
        } else {
            match grace.parse::<i64>() {
                Ok(seconds) if seconds >= 0 => Some(seconds),
                _ => {
                    message.set(Some(format!(
                        "The grace period must be a whole number of seconds, not {grace:?}."
                    )));
                    return;
                }
            }
        };
        add(delete(target, at_ms(), grace_period));
    };
    let on_edit = move |_| {
        let target = match target_now() {
            Ok(target) => target,
            Err(problem) => {
                message.set(Some(problem));
                return;
            }
        };
        let name = key.get_untracked().trim().to_string();
        if name.is_empty() {
            message.set(Some("Name the label or annotation to set.".to_string()));
            return;
        }
        add(edit(
            target,
            at_ms(),
            part.get_untracked(),
            &name,
            value.get_untracked().trim(),
        ));
    };

    let list = move || {
        page.actions
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, action)| {
                let at = action.at.clone();
                view! {
                    <li class="user-action" data-action-index=index>
                        <span class="at">{at}</span>
                        <span class="what">{describe(&action)}</span>
                        <button class="icon remove" title="Remove this action"
                            aria-label=format!("Remove action {}", index + 1)
                            on:click=move |_| page.actions.update(|actions| {
                                if index < actions.len() {
                                    actions.remove(index);
                                }
                            })>"×"</button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel actions-panel">
            <header class="panel-head">
                <h2>"Actions"</h2>
                <span class="meta">{move || format!("at {}", playback::clock(page.cursor.get().at_ms()))}</span>
            </header>
            <div class="actions-body">
                <label class="field">
                    <span>"Object"</span>
                    <select name="action-object" on:change=move |event| {
                        let key = event_target_value(&event);
                        page.object.set((!key.is_empty()).then_some(key));
                    }>
                        <option value="" selected=move || page.object.get().is_none()>"Select an object"</option>
                        {move || objects.get().into_iter().map(|key| {
                            let this = key.clone();
                            let value = key.clone();
                            view! { <option value=value selected=move || page.object.get().as_deref() == Some(this.as_str())>{key}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <div class="action-row">
                    <label class="field narrow">
                        <span>"Grace period (s)"</span>
                        <input type="number" min="0" name="grace-period" placeholder="default"
                            prop:value=grace on:input=move |event| grace.set(event_target_value(&event)) />
                    </label>
                    <button class="danger" name="delete-object" on:click=on_delete
                        disabled=move || page.object.get().is_none()>"Delete object"</button>
                </div>
                <div class="action-row">
                    <label class="field narrow">
                        <span>"Set"</span>
                        <select name="edit-part" on:change=move |event| part.set(
                            if event_target_value(&event) == "annotations" { Metadata::Annotations } else { Metadata::Labels })>
                            <option value="labels">"label"</option>
                            <option value="annotations">"annotation"</option>
                        </select>
                    </label>
                    <label class="field">
                        <span>"Key"</span>
                        <input type="text" name="edit-key" spellcheck="false" placeholder="app"
                            prop:value=key on:input=move |event| key.set(event_target_value(&event)) />
                    </label>
                    <label class="field">
                        <span>"Value (empty removes)"</span>
                        <input type="text" name="edit-value" spellcheck="false"
                            prop:value=value on:input=move |event| value.set(event_target_value(&event)) />
                    </label>
                    <button class="ghost" name="edit-object" on:click=on_edit
                        disabled=move || page.object.get().is_none()>"Edit"</button>
                </div>
                {move || message.get().map(|text| view! { <p class="problem">{text}</p> })}
                <Show when=move || !page.actions.with(Vec::is_empty)
                    fallback=|| view! { <p class="muted">"No actions: the objects only go through their Stages."</p> }>
                    <ol class="user-actions">{list}</ol>
                </Show>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_as_go_durations() {
        let cases = [
            (0, "0s"),
            (1500, "1.5s"),
            (60_000, "1m"),
            (61_234, "1m1.234s"),
            (600_010, "10m0.01s"),
        ];
        for (ms, text) in cases {
            assert_eq!(at_text(ms), text, "{ms}");
            let parsed = stage_engine::duration::parse_go_duration(text).unwrap();
            assert_eq!(parsed, ms * 1_000_000, "{text}");
        }
    }

    #[test]
    fn targets_keep_the_objects_key() {
        let deployment = target(&ObjectKey::new("apps/v1", "Deployment", "default", "web"));
        assert_eq!(deployment.api_version, "apps/v1");
        assert_eq!(target_text(&deployment), "Deployment/default/web");
        let node = target(&ObjectKey::new("v1", "Node", "", "node-0"));
        assert_eq!(target_text(&node), "Node/node-0");
    }

    #[test]
    fn actions_read_as_the_scenario_file_has_them() {
        let pod = target(&ObjectKey::new("v1", "Pod", "default", "web-0"));
        let deleted = delete(pod.clone(), 61_000, Some(30));
        assert_eq!(
            serde_json::to_value(&deleted).unwrap(),
            serde_json::json!({"at": "1m1s", "delete": {"apiVersion": "v1", "kind": "Pod",
                "namespace": "default", "name": "web-0", "gracePeriodSeconds": 30}})
        );
        assert_eq!(
            describe(&deleted),
            "delete Pod/default/web-0 (grace period 30 s)"
        );
        let labelled = edit(pod.clone(), 0, Metadata::Labels, "tier", "gold");
        assert_eq!(
            describe(&labelled),
            "edit Pod/default/web-0: labels tier=gold"
        );
        let unset = edit(pod, 0, Metadata::Annotations, "note", "");
        let UserActionKind::Edit { patch, .. } = &unset.what else {
            panic!("{unset:?}")
        };
        assert_eq!(
            *patch,
            serde_json::json!({"metadata": {"annotations": {"note": null}}})
        );
        assert_eq!(
            describe(&unset),
            "edit Pod/default/web-0: annotations note removed"
        );
    }
}
