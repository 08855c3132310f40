//! User actions at the cursor's virtual time: delete the selected object (with a grace
//! period) or set and remove its labels and annotations. Each becomes a
//! [`UserAction`] of the scenario, and the page simulates again with it; the list shows
//! every action with a button to remove it.

use leptos::prelude::*;
use serde_json::{Map, Value};
use stage_engine::scenario::{Target, UserAction, UserActionKind};
use stage_engine::timeline::{Entry, Timeline};

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
pub fn go_duration(ms: i64) -> String {
    let ms = ms.max(0);
    let (minutes, seconds, millis) = (ms / 60_000, ms / 1000 % 60, ms % 1000);
    let seconds = if millis == 0 {
        format!("{seconds}s")
    } else {
        let fraction = format!("{millis:03}");
        format!("{seconds}.{}s", fraction.trim_end_matches('0'))
    };
    match minutes {
        0 => seconds,
        minutes => format!("{minutes}m{seconds}"),
    }
}

/// The target of an object key (`Kind/namespace/name` or `Kind/name`).
pub fn target(key: &str, api_version: &str) -> Option<Target> {
    let mut parts = key.splitn(3, '/');
    let kind = parts.next()?.to_string();
    let (namespace, name) = match (parts.next(), parts.next()) {
        (Some(namespace), Some(name)) => (namespace.to_string(), name.to_string()),
        (Some(name), None) => (String::new(), name.to_string()),
        _ => return None,
    };
    Some(Target {
        api_version: api_version.to_string(),
        kind,
        namespace,
        name,
    })
}

/// `kubectl delete` at `at_ms`.
pub fn delete(target: Target, at_ms: i64, grace_period_seconds: Option<i64>) -> UserAction {
    UserAction {
        at: go_duration(at_ms),
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
        at: go_duration(at_ms),
        what: UserActionKind::Edit {
            target,
            patch: Value::Object(patch),
        },
    }
}

/// One line for the list: what the action does, to which object.
pub fn describe(action: &UserAction) -> String {
    let key = |target: &Target| {
        if target.namespace.is_empty() {
            format!("{}/{}", target.kind, target.name)
        } else {
            format!("{}/{}/{}", target.kind, target.namespace, target.name)
        }
    };
    match &action.what {
        UserActionKind::Delete {
            target,
            grace_period_seconds: Some(grace),
        } => format!("delete {} (grace period {grace} s)", key(target)),
        UserActionKind::Delete { target, .. } => format!("delete {}", key(target)),
        UserActionKind::Edit { target, patch } => {
            format!("edit {}: {}", key(target), edit_text(patch))
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

/// The apiVersion of an object of the run, from its creation.
fn api_version(timeline: &Timeline, key: &str) -> String {
    timeline
        .entries
        .iter()
        .find_map(|entry| match entry {
            Entry::Created(created) if created.key == key => created
                .object
                .as_ref()?
                .get("apiVersion")?
                .as_str()
                .map(str::to_string),
            Entry::Play(play) if play.key == key => play
                .after
                .as_ref()?
                .get("apiVersion")?
                .as_str()
                .map(str::to_string),
            _ => None,
        })
        .unwrap_or_else(|| "v1".to_string())
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
    let target_now = move || {
        let key = page.object.get_untracked()?;
        let api_version = page
            .timeline
            .with_untracked(|t| t.as_ref().map(|t| api_version(t, &key)))?;
        target(&key, &api_version)
    };
    let at_ms = move || page.cursor.get_untracked().at_ms();
    let add = move |action: UserAction| {
        message.set(None);
        page.actions.update(|actions| actions.push(action));
    };

    let on_delete = move |_| {
        let Some(target) = target_now() else {
            message.set(Some("Select an object first.".to_string()));
            return;
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
        let Some(target) = target_now() else {
            message.set(Some("Select an object first.".to_string()));
            return;
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
            (60_000, "1m0s"),
            (61_234, "1m1.234s"),
            (600_010, "10m0.01s"),
        ];
        for (ms, text) in cases {
            assert_eq!(go_duration(ms), text, "{ms}");
            let parsed = stage_engine::duration::parse_go_duration(text).unwrap();
            assert_eq!(parsed, ms * 1_000_000, "{text}");
        }
    }

    #[test]
    fn targets_of_keys() {
        let pod = target("Pod/default/web-0", "v1").unwrap();
        assert_eq!(
            (pod.kind.as_str(), pod.namespace.as_str(), pod.name.as_str()),
            ("Pod", "default", "web-0")
        );
        let node = target("Node/node-0", "v1").unwrap();
        assert_eq!(
            (node.namespace.as_str(), node.name.as_str()),
            ("", "node-0")
        );
        assert!(target("Pod", "v1").is_none());
    }

    #[test]
    fn actions_read_as_the_scenario_file_has_them() {
        let pod = target("Pod/default/web-0", "v1").unwrap();
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
