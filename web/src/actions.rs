//! User actions at the cursor's virtual time: delete the selected object (with a grace
//! period) or set and remove its labels and annotations. Each becomes a
//! [`UserAction`] of the scenario, and the page simulates again with it; the list shows
//! every action with a button to remove it. The object is chosen from a list in a small
//! run and by name, with suggestions, in a large one.

use leptos::prelude::*;
use serde_json::{Map, Value};
use stage_engine::duration::format_go_duration;
use stage_engine::scenario::{Target, UserAction, UserActionKind};
use stage_engine::sim;
use stage_kube::ObjectKey;

use crate::lanes::Lanes;
use crate::page::Page;
use crate::playback;

/// Up to this many objects the panel lists every one in a `<select>`; above it the object is
/// typed, with suggestions, since a list of 10,000 options costs the page about a second of
/// building and styling on every run.
const LISTED_OBJECTS: usize = 300;

/// The most objects the typed field suggests at once.
const SUGGESTED_OBJECTS: usize = 50;

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

/// The key texts (`Kind/namespace/name`) of the run's objects, in lane order.
fn object_keys(lanes: &Lanes) -> impl Iterator<Item = &str> {
    lanes
        .groups
        .iter()
        .flat_map(|group| group.lanes.iter().map(|lane| lane.key.as_str()))
}

/// The keys among `keys` whose text contains `typed`, ignoring ASCII case, at most `limit`
/// of them in their own order. The selected object comes first whatever is typed, so that it
/// stays choosable.
pub fn suggestions<'a>(
    keys: impl Iterator<Item = &'a str>,
    typed: &str,
    selected: Option<&str>,
    limit: usize,
) -> Vec<String> {
    let typed = typed.trim().to_ascii_lowercase();
    let mut found: Vec<String> = selected.map(str::to_string).into_iter().collect();
    let others = keys
        .filter(|key| Some(*key) != selected)
        .filter(|key| key.to_ascii_lowercase().contains(&typed));
    for key in others {
        if found.len() >= limit {
            break;
        }
        found.push(key.to_string());
    }
    found
}

/// The object field: every object in a `<select>` for a small run, a text field with
/// suggestions for a large one.
#[component]
fn ObjectField(page: Page, message: RwSignal<Option<String>>) -> impl IntoView {
    let listed = Memo::new(move |_| {
        page.lanes.with(|lanes| {
            lanes
                .as_ref()
                .is_none_or(|lanes| object_keys(lanes).count() <= LISTED_OBJECTS)
        })
    });
    view! {
        <Show when=move || listed.get() fallback=move || view! { <ObjectByName page message /> }>
            <ObjectList page />
        </Show>
    }
}

/// Every object of the run as an option of a `<select>`.
#[component]
fn ObjectList(page: Page) -> impl IntoView {
    let objects = Memo::new(move |_| {
        page.lanes.with(|lanes| {
            lanes
                .as_ref()
                .map(|lanes| object_keys(lanes).map(str::to_string).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
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
    }
}

/// A text field naming the object, its `<datalist>` holding the selected object and the
/// first objects whose key contains what is typed. A key of the run selects its object as
/// soon as it is typed or picked; emptying the field clears the selection.
#[component]
fn ObjectByName(page: Page, message: RwSignal<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let matches = Memo::new(move |_| {
        let selected = page.object.get();
        typed.with(|typed| {
            page.lanes.with(|lanes| {
                lanes
                    .as_ref()
                    .map(|lanes| {
                        suggestions(
                            object_keys(lanes),
                            typed,
                            selected.as_deref(),
                            SUGGESTED_OBJECTS,
                        )
                    })
                    .unwrap_or_default()
            })
        })
    });
    let is_key = move |text: &str| {
        page.lanes.with_untracked(|lanes| {
            lanes
                .as_ref()
                .is_some_and(|lanes| object_keys(lanes).any(|key| key == text))
        })
    };
    let on_input = move |event| {
        let text = event_target_value(&event);
        if is_key(text.trim()) {
            message.set(None);
            page.object.set(Some(text.trim().to_string()));
        }
        typed.set(text);
    };
    // Leaving the field (or Enter) with a text that names no object says so, instead of
    // keeping the previous selection without a word.
    let on_change = move |event| {
        let text = event_target_value(&event);
        let text = text.trim();
        if text.is_empty() {
            page.object.set(None);
        } else if !is_key(text) {
            message.set(Some(format!(
                "No object of this run is {text:?}: type part of a name and pick one of the suggestions."
            )));
        }
    };

    view! {
        <input type="text" name="action-object" list="action-object-keys" spellcheck="false"
            autocomplete="off" placeholder="Type part of a name, e.g. web-0"
            prop:value=move || page.object.get().unwrap_or_default()
            on:input=on_input on:change=on_change />
        <datalist id="action-object-keys">
            {move || matches.get().into_iter().map(|key| view! { <option value=key></option> }).collect_view()}
        </datalist>
    }
}

#[component]
pub fn ActionsPanel(page: Page) -> impl IntoView {
    let grace = RwSignal::new(String::new());
    let part = RwSignal::new(Metadata::Labels);
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);

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
        <section class="panel actions-panel" id="side-actions" role="tabpanel"
            aria-labelledby="side-tab-actions">
            <header class="panel-head">
                <h2>"Actions"</h2>
                <span class="meta">{move || format!("at {}", playback::clock(page.cursor.get().at_ms()))}</span>
            </header>
            <div class="actions-body">
                <label class="field">
                    <span>"Object"</span>
                    <ObjectField page message />
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

    #[test]
    fn suggestions_match_part_of_a_key_and_keep_the_selected_object() {
        let keys = [
            "Node/node-0",
            "Pod/default/web-0",
            "Pod/default/web-1",
            "Pod/kube/dns-0",
        ];
        let suggest =
            |typed, selected, limit| suggestions(keys.into_iter(), typed, selected, limit);
        let cases: [(&str, Option<&str>, usize, &[&str]); 6] = [
            ("", None, 10, &keys),
            ("WEB", None, 10, &["Pod/default/web-0", "Pod/default/web-1"]),
            (" -0 ", None, 2, &["Node/node-0", "Pod/default/web-0"]),
            (
                "dns",
                Some("Pod/default/web-1"),
                10,
                &["Pod/default/web-1", "Pod/kube/dns-0"],
            ),
            (
                "web",
                Some("Pod/default/web-1"),
                10,
                &["Pod/default/web-1", "Pod/default/web-0"],
            ),
            ("nothing", Some("Node/node-0"), 1, &["Node/node-0"]),
        ];
        for (typed, selected, limit, expected) in cases {
            assert_eq!(
                suggest(typed, selected, limit),
                expected,
                "{typed:?} {selected:?}"
            );
        }
    }
}
