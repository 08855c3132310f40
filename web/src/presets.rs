//! The default scenario the page opens with: kwok's own Stage files (copied unchanged into
//! `web/presets/`, see its ORIGIN.md) and the project's sample objects.

/// One preset Stage file: where it came from in kwok's repository, and its text.
pub struct PresetFile {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! preset {
    ($path:literal) => {
        PresetFile {
            path: $path,
            text: include_str!(concat!("../presets/", $path)),
        }
    };
}

/// kwok's "general" pod Stages: closer to a real kubelet, 1–5 s per step.
pub const POD_GENERAL: &[PresetFile] = &[
    preset!("pod/general/pod-create.yaml"),
    preset!("pod/general/pod-init-container-running.yaml"),
    preset!("pod/general/pod-init-container-completed.yaml"),
    preset!("pod/general/pod-ready.yaml"),
    preset!("pod/general/pod-complete.yaml"),
    preset!("pod/general/pod-delete.yaml"),
];

/// kwok's default node Stages without leases: initialise, then a heartbeat every 20–25 s.
pub const NODE_FAST_AND_HEARTBEAT: &[PresetFile] = &[
    preset!("node/fast/node-initialize.yaml"),
    preset!("node/heartbeat/node-heartbeat.yaml"),
];

/// One node, two pods and one Job pod.
pub const OBJECTS: &str = include_str!("../presets/objects.yaml");

/// The virtual time the default scenario covers.
pub const HORIZON_MS: i64 = 10 * 60 * 1000;
/// The most plays a run may make before it stops.
pub const MAX_PLAYS: u64 = 10_000;

/// The Stages editor's text of the default scenario: the preset files as one multi-document
/// stream, each under a comment naming its origin.
pub fn default_stages() -> String {
    let mut text = String::new();
    for file in POD_GENERAL.iter().chain(NODE_FAST_AND_HEARTBEAT) {
        if !text.is_empty() {
            text.push_str("---\n");
        }
        text.push_str("# kwok v0.8.0 kustomize/stage/");
        text.push_str(file.path);
        text.push_str(" (Apache-2.0)\n");
        text.push_str(file.text.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stages_hold_every_preset_once() {
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
        assert_eq!(text.matches("\n---\n").count(), 7);
    }
}
