//! A summary run is a full run without the detail: the same plays at the same times, on the
//! same versions, with the same outcomes. Summaries take their own paths (the match without
//! explanations, versions packed while their jobs wait), so this pins them to the full one.
//! A summary with a focus object keeps the full records of that object alone.

use std::path::Path;

use serde_json::{Value, json};

use super::{Action, ObjectKey, SimOptions, TimedAction, key_text, run};
use crate::load;
use crate::model::Stage;
use crate::timeline::{ActionRecord, Detail, Entry, Timeline, UserEntry};

fn stages(set: &str) -> Vec<Stage> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kwok-stages/kustomize/stage")
        .join(set);
    let loaded = load::load_paths(&[dir], false);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    loaded.stages
}

/// Nodes and pods, some pods arriving before their node, one with an init container.
fn objects() -> Vec<Value> {
    let pod = |name: &str, node: &str| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "default"},
               "spec": {"nodeName": node, "containers": [{"name": "app", "image": "nginx"}]}})
    };
    let node = |name: &str| json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}});
    let mut init = pod("init-0", "node-0");
    init["spec"]["initContainers"] = json!([{"name": "setup", "image": "busybox"}]);
    vec![
        pod("early-0", "node-1"),
        node("node-0"),
        pod("web-0", "node-0"),
        pod("web-1", "node-0"),
        init,
        node("node-1"),
        pod("web-2", "node-1"),
    ]
}

/// The full timeline with what only full detail records taken out, except for the
/// object whose key text is `focus`.
fn summarised(mut timeline: Timeline, focus: Option<&str>) -> Timeline {
    timeline.detail = Detail::Summary;
    for entry in &mut timeline.entries {
        let key = match entry {
            Entry::Created(created) => &created.key,
            Entry::Play(play) => &play.key,
            Entry::Settled(settled) => &settled.key,
            Entry::User(user) => &user.key,
            _ => continue,
        };
        if Some(key.as_str()) == focus {
            continue;
        }
        match entry {
            Entry::Created(created) => created.object = None,
            Entry::Play(play) => {
                play.actions
                    .retain(|action| matches!(action, ActionRecord::Event { .. }));
                play.not_matched.clear();
                play.before = None;
                play.after = None;
            }
            Entry::Settled(settled) => {
                settled.not_matched.clear();
                settled.object = None;
            }
            Entry::User(user) => user.object = None,
            _ => {}
        }
    }
    timeline
}

/// The runs' options: a fixed start, `seed` and `detail`.
fn options(seed: u64, detail: Detail) -> SimOptions {
    SimOptions {
        start: 1_704_067_200_000_000_000,
        seed,
        detail,
        ..SimOptions::default()
    }
}

fn both(set: &str) -> (Timeline, Timeline) {
    let stages = stages(set);
    let full = run(&stages, objects(), Vec::new(), options(7, Detail::Full)).unwrap();
    let summary = run(&stages, objects(), Vec::new(), options(7, Detail::Summary)).unwrap();
    (full, summary)
}

#[test]
fn a_summary_of_pod_general_is_the_full_run_without_detail() {
    let (full, summary) = both("pod/general");
    assert!(full.plays().count() >= 10, "{:?}", full.stop);
    let running = summary
        .plays()
        .filter(|play| play.phase.as_deref() == Some("Running"))
        .count();
    assert!(
        running >= 5,
        "a summary still says where each pod stands: {running}"
    );
    assert_eq!(summary, summarised(full, None));
}

#[test]
fn a_summary_of_pod_fast_and_node_fast_is_the_full_run_without_detail() {
    let mut stages = stages("pod/fast");
    stages.extend(self::stages("node/fast"));
    let full = run(&stages, objects(), Vec::new(), options(3, Detail::Full)).unwrap();
    let summary = run(&stages, objects(), Vec::new(), options(3, Detail::Summary)).unwrap();
    assert!(full.plays().count() >= 7, "{:?}", full.stop);
    assert_eq!(summary, summarised(full, None));
}

#[test]
fn a_summary_keeps_full_detail_for_its_focus_object() {
    let stages = stages("pod/general");
    let focus = ObjectKey {
        api_version: "v1".to_string(),
        kind: "Pod".to_string(),
        namespace: "default".to_string(),
        name: "init-0".to_string(),
    };
    let full = run(&stages, objects(), Vec::new(), options(7, Detail::Full)).unwrap();
    let focused = run(
        &stages,
        objects(),
        Vec::new(),
        SimOptions {
            focus: Some(focus.clone()),
            ..options(7, Detail::Summary)
        },
    )
    .unwrap();
    let text = key_text(&focus);
    let kept = focused
        .plays()
        .filter(|play| play.key == text && play.before.is_some() && !play.actions.is_empty())
        .count();
    assert!(kept >= 3, "the init pod's plays keep their detail: {kept}");
    assert_eq!(focused, summarised(full, Some(&text)));
}

#[test]
fn a_summary_keeps_the_events_of_its_plays() {
    let stages = stages("pod/general");
    // A Stage that records an event and marks the pod with an annotation, so that it plays
    // once for each pod.
    let mut events = load::load_stages(
        r#"
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata: {name: pod-noted}
spec:
  resourceRef: {apiGroup: v1, kind: Pod}
  selector:
    matchExpressions:
    - {key: '.metadata.annotations.noted', operator: DoesNotExist}
  next:
    event: {type: Normal, reason: Noted, message: seen}
    patches:
    - type: merge
      template: '{"metadata": {"annotations": {"noted": "yes"}}}'
"#,
        "events.yaml",
    );
    assert!(!events.has_errors(), "{}", events.render_diagnostics());
    let mut all = stages;
    all.append(&mut events.stages);
    let summary = run(&all, objects(), Vec::new(), options(7, Detail::Summary)).unwrap();
    let noted = summary
        .plays()
        .filter(|play| play.stage == "pod-noted")
        .filter(|play| {
            play.actions.iter().any(
                |action| matches!(action, ActionRecord::Event { reason, .. } if reason == "Noted"),
            )
        })
        .count();
    assert_eq!(noted, 5, "each of the five pods is noted once");
}

fn pod_key(name: &str) -> ObjectKey {
    ObjectKey::new("v1", "Pod", "default", name)
}

/// A user action `seconds` after the runs' start.
fn at(seconds: i64, action: Action) -> TimedAction {
    TimedAction {
        at: options(0, Detail::Full).start + seconds * 1_000_000_000,
        action,
    }
}

/// A create, a label edit, a delete that removes its pod, one that leaves it terminating
/// and a create of a pod that is already there (web-0), which the API server refuses.
fn user_actions() -> Vec<TimedAction> {
    let created = json!({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": "web-3", "namespace": "default"},
                         "spec": {"nodeName": "node-0", "containers": [{"name": "app"}]}});
    let delete = |name: &str, grace: i64| Action::Delete {
        key: pod_key(name),
        grace_period_seconds: Some(grace),
    };
    vec![
        at(20, Action::Create(created)),
        at(
            30,
            Action::Edit {
                key: pod_key("web-0"),
                patch: json!({"metadata": {"labels": {"tier": "frontend"}}}),
            },
        ),
        at(40, delete("web-1", 0)),
        at(40, delete("web-2", 30)),
        at(50, Action::Create(objects()[2].clone())),
    ]
}

fn user_entries(timeline: &Timeline) -> Vec<&UserEntry> {
    let users = timeline.entries.iter().filter_map(|entry| match entry {
        Entry::User(user) => Some(&**user),
        _ => None,
    });
    users.collect()
}

/// The value at `pointer` in the version an action left, if it left one.
fn left<'a>(user: &'a UserEntry, pointer: &str) -> Option<&'a Value> {
    user.object.as_ref()?.pointer(pointer)
}

#[test]
fn a_user_action_records_the_version_it_left_in_full_detail() {
    let stages = stages("pod/general");
    let full = run(&stages, objects(), user_actions(), options(7, Detail::Full)).unwrap();
    let [created, edited, removed, terminating, refused] = user_entries(&full)[..] else {
        panic!("five actions: {:?}", user_entries(&full));
    };

    assert_eq!(
        (created.action.as_str(), created.error.as_ref()),
        ("create", None)
    );
    assert!(left(created, "/metadata/uid").is_some(), "{created:?}");
    assert_eq!(left(created, "/status/phase"), Some(&json!("Pending")));

    assert_eq!(
        left(edited, "/metadata/labels/tier"),
        Some(&json!("frontend"))
    );
    let edited_version = left(edited, "/metadata/resourceVersion");
    let played_before = full
        .plays_of("Pod/default/web-0")
        .filter(|play| play.played_at < edited.at)
        .last()
        .and_then(|play| play.after.as_ref());
    assert!(played_before.is_some(), "web-0 played before the edit");
    assert_ne!(
        played_before.and_then(|after| after.pointer("/metadata/resourceVersion")),
        edited_version,
        "the edit stored a new version"
    );

    assert_eq!(
        (removed.action.as_str(), removed.error.as_ref()),
        ("delete", None)
    );
    assert_eq!(
        removed.object, None,
        "a delete without grace removes the pod"
    );

    assert!(left(terminating, "/metadata/deletionTimestamp").is_some());
    assert_eq!(
        left(terminating, "/metadata/deletionGracePeriodSeconds"),
        Some(&json!(30))
    );

    assert!(refused.error.is_some(), "{refused:?}");
    assert_eq!(refused.object, None);
}

#[test]
fn a_summary_records_the_version_a_user_action_left_for_its_focus_object_only() {
    let stages = stages("pod/general");
    let full = run(&stages, objects(), user_actions(), options(7, Detail::Full)).unwrap();
    let summary = run(
        &stages,
        objects(),
        user_actions(),
        options(7, Detail::Summary),
    )
    .unwrap();
    assert!(
        user_entries(&summary)
            .iter()
            .all(|user| user.object.is_none())
    );
    assert_eq!(summary, summarised(full.clone(), None));

    let focused = run(
        &stages,
        objects(),
        user_actions(),
        SimOptions {
            focus: Some(pod_key("web-0")),
            ..options(7, Detail::Summary)
        },
    )
    .unwrap();
    let kept: Vec<&str> = user_entries(&focused)
        .iter()
        .filter(|user| user.object.is_some())
        .map(|user| user.key.as_str())
        .collect();
    assert_eq!(kept, ["Pod/default/web-0"]);
    assert_eq!(focused, summarised(full, Some("Pod/default/web-0")));
}
