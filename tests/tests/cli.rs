//! `stage-sim run` as a user runs it: the built binary, its output and its exit codes
//! (0 ok, 1 a simulation error, 2 bad input with file:line:column).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{repo_root, stage_sim};

fn shared() -> PathBuf {
    repo_root().join("../shared")
}

fn stage_file(name: &str) -> PathBuf {
    shared().join(format!("kwok-stages/kustomize/stage/{name}.yaml"))
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stage-sim-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(stage_sim())
        .arg("run")
        .args(args)
        .output()
        .unwrap()
}

const OBJECTS: &str = "
apiVersion: v1
kind: Node
metadata:
  name: node-0
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: default
spec:
  nodeName: node-0
  containers:
  - name: app
    image: nginx
";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_table_like_kubectl_get_w() {
    let dir = scratch("table");
    let objects = write(&dir, "objects.yaml", OBJECTS);
    let ready = stage_file("pod/fast/pod-ready");
    let output = run(&[
        "--stages".as_ref(),
        ready.as_os_str(),
        "--object".as_ref(),
        objects.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("TIME"), "{text}");
    assert!(
        lines.iter().any(|l| l.contains("Pod/default/web-0")
            && l.contains("pod-ready")
            && l.contains("Running")),
        "{text}"
    );
    assert_eq!(
        lines.last().copied(),
        Some("stopped at +0s: Settled"),
        "{text}"
    );
}

#[test]
fn json_output_is_the_timeline() {
    let dir = scratch("json");
    let objects = write(&dir, "objects.yaml", OBJECTS);
    let ready = stage_file("pod/fast/pod-ready");
    let output = run(&[
        "--stages".as_ref(),
        ready.as_os_str(),
        "--object".as_ref(),
        objects.as_os_str(),
        "--output".as_ref(),
        "json".as_ref(),
        "--now".as_ref(),
        "2025-06-01T12:00:00Z".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let timeline: stage_engine::timeline::Timeline =
        serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(timeline.start, "2025-06-01T12:00:00Z");
    let play = timeline.plays().next().unwrap();
    assert_eq!(
        (play.stage.as_str(), play.played_at.0),
        ("pod-ready", 1_748_779_200_000_000_000)
    );
}

#[test]
fn a_scenario_file_with_a_user_delete() {
    let dir = scratch("scenario");
    write(&dir, "objects.yaml", OBJECTS);
    let scenario = format!(
        "stages:\n- {}\n- {}\nobjects:\n- objects.yaml\nseed: 4\nactions:\n- at: 30s\n  delete: {{kind: Pod, namespace: default, name: web-0, gracePeriodSeconds: 30}}\n",
        stage_file("pod/fast/pod-ready").display(),
        stage_file("pod/fast/pod-delete").display()
    );
    let path = write(&dir, "scenario.yaml", &scenario);
    let output = run(&[
        "--scenario".as_ref(),
        path.as_os_str(),
        "--output".as_ref(),
        "yaml".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = stage_yaml::parse_value(&stdout(&output)).unwrap();
    let stages: Vec<&str> = value["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.get("play"))
        .map(|play| play["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, vec!["pod-ready", "pod-delete"]);
    assert_eq!(value["seed"], 4);
}

#[test]
fn bad_stage_files_exit_2_with_their_place() {
    let dir = scratch("bad");
    let objects = write(&dir, "objects.yaml", OBJECTS);
    let stages = write(
        &dir,
        "stages.yaml",
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\nspec:\n  resourceRef: {kind: Pod}\n  selector: {}\n  nxt: {}\n",
    );
    let output = run(&[
        "--stages".as_ref(),
        stages.as_os_str(),
        "--object".as_ref(),
        objects.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("stages.yaml:8:3"), "{message}");
}

#[test]
fn a_missing_file_or_a_bad_flag_value_exits_2() {
    let output = run(&["--object".as_ref(), "/nonexistent/objects.yaml".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/objects.yaml"));

    let output = run(&["--until".as_ref(), "ten minutes".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--until"), "{}", stderr(&output));
}

#[test]
fn a_failing_stage_play_exits_1() {
    let dir = scratch("failing");
    let pod = "
apiVersion: v1
kind: Pod
metadata:
  name: demo
  namespace: default
  ownerReferences:
  - {apiVersion: batch/v1, kind: Job, name: j, uid: u}
spec:
  nodeName: node-0
  containers:
  - {name: a, image: img-a}
  - {name: b, image: img-b}
status:
  phase: Running
  containerStatuses:
  - {name: a, image: img-a, ready: true, restartCount: 0, state: {running: {startedAt: '2024-01-01T00:00:00Z'}}}
";
    let objects = write(
        &dir,
        "objects.yaml",
        &format!("{}---{pod}", &OBJECTS[..OBJECTS.find("---").unwrap()]),
    );
    let stages = shared().join("field-stages/kube-scheduling-perf-pod-complete.yaml");
    let output = run(&[
        "--stages".as_ref(),
        stages.as_os_str(),
        "--object".as_ref(),
        objects.as_os_str(),
        "--output".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("failed to compute patch gotpl execute"));
}

#[test]
fn max_steps_and_summary() {
    let dir = scratch("bounds");
    let node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-0\n";
    let objects = write(&dir, "objects.yaml", node);
    let init = stage_file("node/fast/node-initialize");
    let beat = stage_file("node/heartbeat/node-heartbeat");
    let output = run(&[
        "--stages".as_ref(),
        init.as_os_str(),
        beat.as_os_str(),
        "--object".as_ref(),
        objects.as_os_str(),
        "--max-steps".as_ref(),
        "3".as_ref(),
        "--summary".as_ref(),
        "--output".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let timeline: stage_engine::timeline::Timeline =
        serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(timeline.plays().count(), 3);
    assert_eq!(
        timeline.stop.reason,
        stage_engine::timeline::StopReason::MaxPlays
    );
    assert!(timeline.plays().all(|p| p.after.is_none()));
}

#[test]
fn an_object_the_api_server_refuses_is_bad_input() {
    let dir = scratch("refused");
    // YAML 1.1 reads `y` as a boolean, which is not an image name.
    let objects = write(
        &dir,
        "objects.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: y}]\n",
    );
    let output = run(&["--object".as_ref(), objects.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("Pod/default/p"),
        "{}",
        stderr(&output)
    );
}
