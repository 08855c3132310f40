//! What a first-time user of `stage-sim` runs into: default bounds of `run`, the argument
//! orders of `testdata`, what the table explains, scenario files and the places messages name.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{repo_root, stage_sim};

fn stages_dir(name: &str) -> PathBuf {
    repo_root().join(format!("../shared/kwok-stages/kustomize/stage/{name}"))
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stage-sim-polish-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stage_sim_with(args: &[&str]) -> Output {
    Command::new(stage_sim()).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

const NODE: &str = "
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
";

#[test]
fn run_without_bounds_stops_at_the_default_horizon() {
    let dir = scratch("bounds");
    let node = write(&dir, "node.yaml", NODE);
    let fast = stages_dir("node/fast");
    let beat = stages_dir("node/heartbeat");
    let output = stage_sim_with(&[
        "run",
        "--stages",
        text(&fast),
        text(&beat),
        "--object",
        text(&node),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    let last = table.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("stopped at +10m0s: Horizon (the 10m horizon was reached"),
        "{table}"
    );
    // Heartbeats every 20-45 s fill ten minutes with a few dozen plays, not thousands.
    let beats = table
        .lines()
        .filter(|l| l.contains("node-heartbeat"))
        .count();
    assert!((10..=40).contains(&beats), "{beats} heartbeats\n{table}");
}

#[test]
fn run_says_which_bound_stopped_it() {
    let dir = scratch("max-plays");
    let node = write(&dir, "node.yaml", NODE);
    let fast = stages_dir("node/fast");
    let beat = stages_dir("node/heartbeat");
    let output = stage_sim_with(&[
        "run",
        "--stages",
        text(&fast),
        text(&beat),
        "--object",
        text(&node),
        "--max-steps",
        "3",
    ]);
    let table = stdout(&output);
    let last = table.lines().last().unwrap_or_default();
    assert!(last.contains(": MaxPlays (3 plays were reached"), "{table}");
}

#[test]
fn run_help_shows_the_defaults() {
    let output = stage_sim_with(&["run", "--help"]);
    let help = stdout(&output);
    assert!(help.contains("else 10m]"), "{help}");
    assert!(help.contains("else 10000]"), "{help}");
}

/// `testdata` answers the same whichever side of the Stage paths the input is on.
#[test]
fn testdata_takes_the_input_before_or_after_the_stages() {
    let fast = stages_dir("pod/fast");
    let input = fast.join("testdata/pod-pending.input.yaml");
    let expected = std::fs::read_to_string(fast.join("testdata/pod-pending.output.yaml")).unwrap();
    let expected: serde_json::Value = stage_yaml::parse_value(&expected).unwrap();
    let joined = format!("--stages={}", text(&fast));
    let orders: [&[&str]; 3] = [
        &["testdata", "--stages", text(&fast), text(&input)],
        &["testdata", text(&input), "--stages", text(&fast)],
        &["testdata", &joined, text(&input)],
    ];
    for args in orders {
        let output = stage_sim_with(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        let got = stage_yaml::parse_value(&stdout(&output)).unwrap();
        assert_eq!(got, expected, "{args:?}");
    }
    let output = stage_sim_with(&["testdata", "--stages", text(&fast)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the input object file is missing"),
        "{}",
        stderr(&output)
    );
}

/// A Stage with a CEL entry never matches; the table says which, and the JSON says why in
/// each `notMatched` reason.
#[test]
fn run_shows_stages_left_out_for_cel() {
    let volume = stages_dir("volume/fast");
    let input = volume.join("testdata/pvc-provision.input.yaml");
    let output = stage_sim_with(&["run", "--stages", text(&volume), "--object", text(&input)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    assert!(
        table.lines().any(|l| l
            == "note: Stages of PersistentVolumeClaim not evaluated because CEL is not supported \
                yet (kwok v0.8 evaluates it): pvc-delete, pvc-provision"),
        "{table}"
    );

    let output = stage_sim_with(&[
        "run",
        "--stages",
        text(&volume),
        "--object",
        text(&input),
        "--output",
        "json",
    ]);
    let timeline: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let settled = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "settled")
        .unwrap();
    let reasons: Vec<&serde_json::Value> = settled["notMatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["reason"]["notSupported"])
        .collect();
    assert_eq!(reasons.len(), 2, "{settled}");
    assert!(
        reasons
            .iter()
            .all(|r| *r == "CEL expressions are not supported yet")
    );
}
