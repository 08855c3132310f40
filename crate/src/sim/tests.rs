//! A summary run is a full run without the detail: the same plays at the same times, on the
//! same versions, with the same outcomes. Summaries take their own paths (the match without
//! explanations, versions packed while their jobs wait), so this pins them to the full one.

use std::path::Path;

use serde_json::{Value, json};

use super::{SimOptions, run};
use crate::load;
use crate::model::Stage;
use crate::timeline::{Detail, Entry, Timeline};

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

/// The full timeline with what only full detail records taken out.
fn summarised(mut timeline: Timeline) -> Timeline {
    timeline.detail = Detail::Summary;
    for entry in &mut timeline.entries {
        match entry {
            Entry::Created(created) => created.object = None,
            Entry::Play(play) => {
                play.actions.clear();
                play.not_matched.clear();
                play.before = None;
                play.after = None;
            }
            Entry::Settled(settled) => {
                settled.not_matched.clear();
                settled.object = None;
            }
            _ => {}
        }
    }
    timeline
}

fn both(set: &str) -> (Timeline, Timeline) {
    let stages = stages(set);
    let options = |detail| SimOptions {
        start: 1_704_067_200_000_000_000,
        seed: 7,
        detail,
        ..SimOptions::default()
    };
    let full = run(&stages, objects(), Vec::new(), options(Detail::Full)).unwrap();
    let summary = run(&stages, objects(), Vec::new(), options(Detail::Summary)).unwrap();
    (full, summary)
}

#[test]
fn a_summary_of_pod_general_is_the_full_run_without_detail() {
    let (full, summary) = both("pod/general");
    assert!(full.plays().count() >= 10, "{:?}", full.stop);
    assert_eq!(summary, summarised(full));
}

#[test]
fn a_summary_of_pod_fast_and_node_fast_is_the_full_run_without_detail() {
    let mut stages = stages("pod/fast");
    stages.extend(self::stages("node/fast"));
    let options = |detail| SimOptions {
        start: 1_704_067_200_000_000_000,
        seed: 3,
        detail,
        ..SimOptions::default()
    };
    let full = run(&stages, objects(), Vec::new(), options(Detail::Full)).unwrap();
    let summary = run(&stages, objects(), Vec::new(), options(Detail::Summary)).unwrap();
    assert!(full.plays().count() >= 7, "{:?}", full.stop);
    assert_eq!(summary, summarised(full));
}
