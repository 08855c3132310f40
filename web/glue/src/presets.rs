//! The scenarios the page ships: kwok's own Stage sets (copied unchanged into
//! `web/presets/`, see its ORIGIN.md), the project's teaching Stages and sample objects, and
//! the gallery that combines them.
//!
//! Each Stage set and each objects text is one source under a name and version, the names a
//! share link uses for it (`pod/general` at `v0.8.0`); a text must never change under the
//! same name and version. A gallery entry's editor text is the sets' files joined with
//! [`join_documents`], so that a link can name the sets instead of carrying their text.
//!
//! The files stay in `web/presets/`, where the engine's and the page's tests read them too;
//! this crate compiles them in, since both the page and its build script (which records the
//! first visit's run) need the scenarios.

use stage_engine::scenario::UserAction;
use stage_engine::share::join_documents;

use crate::{self as glue, Op, Request};

/// One Stage file: its path below `web/presets/` (kwok's path below `kustomize/stage/` for
/// kwok's files), and its text.
pub struct PresetFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// A set of Stage files under the name and version share links use.
pub struct StageSet {
    pub name: &'static str,
    pub version: &'static str,
    pub files: &'static [PresetFile],
}

/// An objects text under the name and version share links use.
pub struct ObjectSet {
    pub name: &'static str,
    pub version: &'static str,
    pub text: &'static str,
}

/// One entry of the gallery.
pub struct Preset {
    /// A stable handle, for tests and the gallery's markup.
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it shows.
    pub about: &'static str,
    /// Names of [`STAGE_SETS`], in the order they fill the Stages editor.
    pub stages: &'static [&'static str],
    /// The name of one of [`OBJECT_SETS`].
    pub objects: &'static str,
    /// User actions, each in the scenario file's form written as JSON, which the page reads
    /// without a YAML parser.
    pub actions: &'static [&'static str],
    pub horizon_ms: i64,
}

macro_rules! file {
    ($path:literal) => {
        PresetFile {
            path: $path,
            text: include_str!(concat!("../../presets/", $path)),
        }
    };
}

/// kwok's version the copied Stage files come from.
const KWOK: &str = "v0.8.0";
/// The version of the project's own texts.
const OWN: &str = "1";

pub const STAGE_SETS: &[StageSet] = &[
    StageSet {
        name: "pod/general",
        version: KWOK,
        files: &[
            file!("pod/general/pod-create.yaml"),
            file!("pod/general/pod-init-container-running.yaml"),
            file!("pod/general/pod-init-container-completed.yaml"),
            file!("pod/general/pod-ready.yaml"),
            file!("pod/general/pod-complete.yaml"),
            file!("pod/general/pod-delete.yaml"),
        ],
    },
    StageSet {
        name: "pod/fast",
        version: KWOK,
        files: &[
            file!("pod/fast/pod-ready.yaml"),
            file!("pod/fast/pod-complete.yaml"),
            file!("pod/fast/pod-delete.yaml"),
        ],
    },
    StageSet {
        name: "pod/chaos",
        version: KWOK,
        files: &[
            file!("pod/chaos/pod-init-container-running-failed.yaml"),
            file!("pod/chaos/pod-container-running-failed.yaml"),
        ],
    },
    StageSet {
        name: "node/fast",
        version: KWOK,
        files: &[file!("node/fast/node-initialize.yaml")],
    },
    StageSet {
        name: "node/heartbeat",
        version: KWOK,
        files: &[file!("node/heartbeat/node-heartbeat.yaml")],
    },
    StageSet {
        name: "node/heartbeat-with-lease",
        version: KWOK,
        files: &[file!(
            "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml"
        )],
    },
    StageSet {
        name: "node/chaos",
        version: KWOK,
        files: &[file!("node/chaos/node-not-ready.yaml")],
    },
    StageSet {
        name: "teaching/finalizer",
        version: OWN,
        files: &[file!("teaching/finalizer.yaml")],
    },
    StageSet {
        name: "teaching/weighted",
        version: OWN,
        files: &[file!("teaching/weighted.yaml")],
    },
    StageSet {
        name: "teaching/jitter",
        version: OWN,
        files: &[file!("teaching/jitter.yaml")],
    },
];

macro_rules! objects {
    ($name:literal) => {
        ObjectSet {
            name: concat!("objects/", $name),
            version: OWN,
            text: include_str!(concat!("../../presets/objects/", $name, ".yaml")),
        }
    };
}

pub const OBJECT_SETS: &[ObjectSet] = &[
    objects!("default"),
    objects!("nodes"),
    objects!("chaos-nodes"),
    objects!("chaos-pods"),
    objects!("job"),
    objects!("finalizer"),
    objects!("weighted"),
    objects!("jitter"),
];

/// The default scenario's objects: one node, two pods and one Job pod.
pub const OBJECTS: &str = OBJECT_SETS[0].text;

/// The virtual time the default scenario covers.
pub const HORIZON_MS: i64 = 10 * 60 * 1000;
/// The most plays a run may make before it stops.
pub const MAX_PLAYS: u64 = 10_000;

pub const GALLERY: &[Preset] = &[
    Preset {
        id: "default",
        title: "Pods and a node",
        about: "kwok's general pod Stages with the fast node and its heartbeat: one node, two pods and a Job pod.",
        stages: &["pod/general", "node/fast", "node/heartbeat"],
        objects: "objects/default",
        actions: &[],
        horizon_ms: HORIZON_MS,
    },
    Preset {
        id: "node-fast",
        title: "Node fast",
        about: "kwok's node-initialize: each node becomes Ready once and stays so.",
        stages: &["node/fast"],
        objects: "objects/nodes",
        actions: &[],
        horizon_ms: HORIZON_MS,
    },
    Preset {
        id: "node-heartbeat",
        title: "Node heartbeat",
        about: "node-initialize, then kwok's heartbeat refreshes every node's conditions every 20 to 25 s.",
        stages: &["node/fast", "node/heartbeat"],
        objects: "objects/nodes",
        actions: &[],
        horizon_ms: 2 * 60 * 1000,
    },
    Preset {
        id: "node-chaos",
        title: "Node chaos",
        about: "kwok's node-not-ready Stage turns the labelled node NotReady once it runs.",
        stages: &["node/fast", "node/heartbeat", "node/chaos"],
        objects: "objects/chaos-nodes",
        actions: &[],
        horizon_ms: 2 * 60 * 1000,
    },
    Preset {
        id: "pod-fast",
        title: "Pod fast",
        about: "kwok's default pod Stages: Running at once, the Job pod Succeeded.",
        stages: &["node/fast", "pod/fast"],
        objects: "objects/default",
        actions: &[],
        horizon_ms: HORIZON_MS,
    },
    Preset {
        id: "pod-general",
        title: "Pod general",
        about: "kwok's general pod Stages, closer to a kubelet: created, init containers, ready, complete, 1 to 5 s apart.",
        stages: &["pod/general", "node/fast"],
        objects: "objects/default",
        actions: &[],
        horizon_ms: HORIZON_MS,
    },
    Preset {
        id: "pod-chaos",
        title: "Pod chaos",
        about: "kwok's chaos Stages fail the labelled pods: one in its container, one in its init container.",
        stages: &["node/fast", "pod/fast", "pod/chaos"],
        objects: "objects/chaos-pods",
        actions: &[],
        horizon_ms: HORIZON_MS,
    },
    Preset {
        id: "job",
        title: "A Job pod completes",
        about: "A pod owned by a Job walks through pod general to Succeeded.",
        stages: &["pod/general", "node/fast"],
        objects: "objects/job",
        actions: &[],
        horizon_ms: 2 * 60 * 1000,
    },
    Preset {
        id: "finalizer",
        title: "Deleted with a finalizer",
        about: "The pod is deleted at 1:00; a Stage removes its finalizer, then kwok's pod-delete removes the pod.",
        stages: &["pod/general", "node/fast", "teaching/finalizer"],
        objects: "objects/finalizer",
        actions: &[
            r#"{"at": "1m", "delete": {"kind": "Pod", "namespace": "default", "name": "db-0", "gracePeriodSeconds": 30}}"#,
        ],
        horizon_ms: 3 * 60 * 1000,
    },
    Preset {
        id: "weighted",
        title: "Two weighted Stages",
        about: "Two Stages match the same pods; kwok draws one by weight, 3 to 1.",
        stages: &["teaching/weighted"],
        objects: "objects/weighted",
        actions: &[],
        horizon_ms: 60 * 1000,
    },
    Preset {
        id: "jitter",
        title: "A Stage with jitter",
        about: "Each pod starts at a random time between 2 and 12 s: the delay span shows the jitter range.",
        stages: &["teaching/jitter"],
        objects: "objects/jitter",
        actions: &[],
        horizon_ms: 60 * 1000,
    },
];

/// A Stage set by name.
pub fn stage_set(name: &str) -> Option<&'static StageSet> {
    STAGE_SETS.iter().find(|set| set.name == name)
}

/// An objects text by name.
pub fn object_set(name: &str) -> Option<&'static ObjectSet> {
    OBJECT_SETS.iter().find(|set| set.name == name)
}

/// A gallery entry by id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    GALLERY.iter().find(|preset| preset.id == id)
}

impl Preset {
    /// The Stages editor's text: every file of the sets, in order, as one YAML stream.
    pub fn stages_text(&self) -> String {
        let files = self
            .stages
            .iter()
            .filter_map(|name| stage_set(name))
            .flat_map(|set| set.files.iter().map(|file| file.text));
        join_documents(files)
    }

    /// The preset as the page's inputs, with the default controller settings.
    pub fn scenario(&self) -> Request {
        Request {
            op: Op::Run,
            stages: self.stages_text(),
            objects: object_set(self.objects)
                .map(|set| set.text.to_string())
                .unwrap_or_default(),
            settings: glue::default_settings(self.horizon_ms, MAX_PLAYS),
            actions: self
                .actions
                .iter()
                .filter_map(|text| parse_action(text))
                .collect(),
            focus: None,
        }
    }
}

/// The default scenario: the first visit's inputs.
pub fn default_scenario() -> Request {
    GALLERY[0].scenario()
}

/// The Stages editor's text of the default scenario.
pub fn default_stages() -> String {
    GALLERY[0].stages_text()
}

/// The jitter preset with a pod that is not a worker, which its one Stage passes over: a
/// scenario with an object that is never played, for tests (also the page's, through the
/// `test-scenarios` feature).
#[cfg(any(test, feature = "test-scenarios"))]
pub fn jitter_with_an_idle_pod() -> Request {
    let mut jitter = preset("jitter").unwrap().scenario();
    jitter.objects.push_str(
        "\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: idle-0\n  namespace: default\n  \
         labels: {app: idle}\nspec:\n  nodeName: node-0\n  containers: [{name: main, image: busybox}]\n",
    );
    jitter
}

fn parse_action(text: &str) -> Option<UserAction> {
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_stages_are_pod_general_node_fast_and_heartbeat() {
        let text = default_stages();
        let names: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("  name: "))
            .collect();
        assert_eq!(
            names,
            [
                "pod-create",
                "pod-init-container-running",
                "pod-init-container-completed",
                "pod-ready",
                "pod-complete",
                "pod-delete",
                "node-initialize",
                "node-heartbeat",
            ]
        );
        let sets = ["pod/general", "node/fast", "node/heartbeat"]
            .map(|name| join_documents(stage_set(name).unwrap().files.iter().map(|f| f.text)));
        assert_eq!(text, sets.join("---\n"));
    }

    #[test]
    fn every_gallery_entry_names_sets_that_exist() {
        for preset in GALLERY {
            for name in preset.stages {
                assert!(stage_set(name).is_some(), "{}: {name}", preset.id);
            }
            assert!(object_set(preset.objects).is_some(), "{}", preset.id);
            assert_eq!(
                preset.scenario().actions.len(),
                preset.actions.len(),
                "{}: an action does not parse",
                preset.id
            );
        }
    }

    #[test]
    fn the_finalizer_presets_action_deletes_db_0_and_an_action_in_yaml_is_not_read() {
        use stage_engine::scenario::UserActionKind;
        let actions = preset("finalizer").unwrap().scenario().actions;
        let [action] = actions.as_slice() else {
            panic!("one action: {actions:?}");
        };
        assert_eq!(action.at, "1m");
        let UserActionKind::Delete {
            target,
            grace_period_seconds,
        } = &action.what
        else {
            panic!("not a delete: {action:?}");
        };
        assert_eq!(
            (target.namespace.as_str(), target.name.as_str()),
            ("default", "db-0")
        );
        assert_eq!(*grace_period_seconds, Some(30));
        assert_eq!(
            parse_action("at: 1m\ndelete: {kind: Pod, name: db-0}"),
            None
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = STAGE_SETS.iter().map(|s| s.name).collect();
        names.extend(OBJECT_SETS.iter().map(|s| s.name));
        names.extend(GALLERY.iter().map(|p| p.id));
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
