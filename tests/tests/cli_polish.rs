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
        .find_map(|e| e.get("settled"))
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

const PODS: &str = "
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
---
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: default
spec:
  nodeName: kwok-node-0
  containers:
  - name: app
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: lost
  namespace: default
spec:
  nodeName: n1
  containers:
  - name: app
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: x
  namespace: default
  finalizers: [example.com/keep]
spec:
  nodeName: kwok-node-0
  containers:
  - name: app
    image: nginx
";

/// The table row of `key` whose STAGE column is `stage`, the n-th such row.
fn row<'a>(table: &'a str, key: &str, stage: &str, n: usize) -> &'a str {
    table
        .lines()
        .filter(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            cells.get(1) == Some(&key) && cells.get(2) == Some(&stage)
        })
        .nth(n)
        .unwrap_or_else(|| panic!("no row {n} for {key} {stage}\n{table}"))
}

#[test]
fn the_table_explains_each_play() {
    let dir = scratch("explain");
    write(&dir, "objs.yaml", PODS);
    let scenario = write(
        &dir,
        "sc.yaml",
        "objects: [objs.yaml]\nseed: 1\nactions:\n\
         - {at: 5s, delete: {kind: Pod, name: web-0, namespace: default}}\n\
         - {at: 10s, delete: {kind: Pod, name: x, namespace: default}}\n",
    );
    let general = stages_dir("pod/general");
    let fast = stages_dir("pod/fast");
    let node = stages_dir("node/fast");

    let output = stage_sim_with(&[
        "run",
        "--stages",
        text(&general),
        text(&node),
        "--scenario",
        text(&scenario),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    let lost = row(&table, "Pod/default/lost", "(created)", 0);
    assert!(
        lost.ends_with("not managed: node n1 is not known"),
        "{table}"
    );
    let create = row(&table, "Pod/default/x", "pod-create", 0);
    assert!(create.contains("of [1s, 5s)"), "{table}");
    assert!(
        create.contains("event Normal Created: Created container"),
        "{table}"
    );
    let dropped = row(&table, "Pod/default/web-0", "pod-ready", 0);
    assert!(
        dropped.ends_with("planned play dropped: a newer version of the object replaced it"),
        "{table}"
    );

    let output = stage_sim_with(&[
        "run",
        "--stages",
        text(&fast),
        text(&node),
        "--scenario",
        text(&scenario),
    ]);
    let table = stdout(&output);
    let first = row(&table, "Pod/default/x", "pod-delete", 0);
    assert!(
        first.ends_with("Running   delete requested; finalizers remain"),
        "{table}"
    );
    let second = row(&table, "Pod/default/x", "pod-delete", 1);
    assert!(second.ends_with("finalizers remain; no change"), "{table}");
    let gone = row(&table, "Pod/default/web-0", "pod-delete", 0);
    assert!(
        gone.contains("Running") && gone.ends_with("deleted"),
        "{table}"
    );
}

#[test]
fn the_table_shows_the_weight_and_the_other_candidates() {
    let dir = scratch("weights");
    let stage = |name: &str, weight: u32| {
        format!(
            "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: {name}\n\
             spec:\n  resourceRef:\n    apiGroup: v1\n    kind: ConfigMap\n  selector:\n    \
             matchExpressions:\n    - key: .metadata.name\n      operator: Exists\n  \
             weight: {weight}\n  next:\n    delete: true\n"
        )
    };
    let stages = write(
        &dir,
        "stages.yaml",
        &format!("{}---\n{}", stage("drop-a", 1), stage("drop-b", 3)),
    );
    let objects = write(
        &dir,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n",
    );
    let output = stage_sim_with(&["run", "--stages", text(&stages), "--object", text(&objects)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    let play = table
        .lines()
        .find(|l| l.contains("drop-a") || l.contains("drop-b"))
        .unwrap_or_default();
    let expected = if play.contains(" drop-a ") {
        "weight 1, over drop-b 3; deleted"
    } else {
        "weight 3, over drop-a 1; deleted"
    };
    assert!(play.ends_with(expected), "{table}");
}

#[test]
fn scenario_sources_may_be_directories_and_actions_reject_unknown_keys() {
    let dir = scratch("scenario");
    write(&dir, "objs.yaml", PODS);
    let fast = stages_dir("pod/fast");
    let node = stages_dir("node/fast");
    let scenario = write(
        &dir,
        "sc.yaml",
        &format!(
            "stages: [{}, {}]\nobjects: [objs.yaml]\n\
             actions:\n- {{at: 5s, delete: {{kind: Pod, name: web-0, namespace: default}}}}\n",
            text(&fast),
            text(&node)
        ),
    );
    let output = stage_sim_with(&["run", "--scenario", text(&scenario)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    assert!(
        row(&table, "Pod/default/web-0", "pod-delete", 0).ends_with("deleted"),
        "{table}"
    );

    let typo = write(
        &dir,
        "typo.yaml",
        "objects: [objs.yaml]\nactions:\n\
         - {at: 5s, delete: {kind: Pod, name: web-0, namespace: default, foo: 1}}\n",
    );
    let output = stage_sim_with(&["run", "--scenario", text(&typo)]);
    assert_eq!(output.status.code(), Some(2));
    let expected = format!(
        "{}:3:65: bad scenario: unknown key \"foo\" in actions[0].delete; allowed keys: \
         apiVersion, kind, namespace, name, gracePeriodSeconds\n",
        text(&typo)
    );
    assert_eq!(stderr(&output), expected);
}

/// The format is written down, `run --help` points at it, and its example is a scenario
/// the reader accepts, with a user delete in it.
#[test]
fn the_scenario_format_is_documented() {
    let help = stdout(&stage_sim_with(&["run", "--help"]));
    assert!(help.contains("docs/scenario.md"), "{help}");

    let doc = std::fs::read_to_string(repo_root().join("docs/scenario.md")).unwrap();
    for key in stage_engine::scenario::SCENARIO_KEYS {
        assert!(
            doc.contains(&format!("| `{key}` |")),
            "{key} is not in the table"
        );
    }
    let example = doc
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let scenario = stage_engine::scenario::Scenario::parse(example, "docs/scenario.md").unwrap();
    assert!(scenario.actions.iter().any(|a| matches!(
        a.what,
        stage_engine::scenario::UserActionKind::Delete { .. }
    )));
}

const BAD_INDEX: &str = "apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: bad-index
spec:
  resourceRef:
    apiGroup: v1
    kind: ConfigMap
  selector:
    matchExpressions:
    - key: .metadata.name
      operator: Exists
  next:
    statusTemplate: |
      phase: x
      y: {{ index .status.x 3 }}
";

const CONFIG_MAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  namespace: default
";

#[test]
fn run_places_template_errors_in_the_stage_file() {
    let dir = scratch("render-error");
    let stages = write(&dir, "rt.yaml", BAD_INDEX);
    let objects = write(&dir, "cm.yaml", CONFIG_MAP);
    let output = stage_sim_with(&["run", "--stages", text(&stages), "--object", text(&objects)]);
    assert_eq!(output.status.code(), Some(1));
    // Go names byte 6 of the template's second line, `index` on line 16 of the file.
    let expected = format!(
        "{}:16:13: error: Stage bad-index on ConfigMap/default/c failed: failed to compute patch \
         gotpl execute: template: _:2:6: executing \"_\" at <index .status.x 3>: error calling \
         index: index of untyped nil: phase: x\ny: \n",
        text(&stages)
    );
    assert_eq!(stderr(&output), expected);
    let table = stdout(&output);
    let play = row(&table, "ConfigMap/default/c", "bad-index", 0);
    assert!(play.ends_with("nil: phase: x\\ny:"), "{table}");
}

#[test]
fn run_places_objects_the_api_server_refuses() {
    let dir = scratch("bad-object");
    let objects = write(
        &dir,
        "objs.yaml",
        &format!(
            "{CONFIG_MAP}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: job-pod\n  \
             namespace: default\n  ownerReferences:\n  - {{apiVersion: batch/v1, kind: Job, \
             name: j, uid: 5}}\nspec:\n  containers: [{{name: a, image: b}}]\n"
        ),
    );
    let output = stage_sim_with(&["run", "--object", text(&objects)]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!(
            "{}:7:1: error: cannot create Pod/default/job-pod: ",
            text(&objects)
        )),
        "{message}"
    );
}

#[test]
fn testdata_input_errors_name_the_place() {
    let dir = scratch("testdata-input");
    let fast = stages_dir("pod/fast");
    let two = write(&dir, "two.yaml", &format!("{CONFIG_MAP}---\n{CONFIG_MAP}"));
    let output = stage_sim_with(&["testdata", text(&two), "--stages", text(&fast)]);
    assert_eq!(output.status.code(), Some(2));
    let last = stderr(&output)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        last,
        format!(
            "{}:7:1: error: expected exactly one object, found 2; the second starts here",
            text(&two)
        )
    );

    let volume = stages_dir("volume/fast");
    let input = volume.join("testdata/pvc-provision.input.yaml");
    let output = stage_sim_with(&["testdata", text(&input), "--stages", text(&volume)]);
    assert_eq!(output.status.code(), Some(1));
    let last = stderr(&output)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    let place = format!("{}:", text(&volume.join("pvc-delete.yaml")));
    assert!(last.starts_with(&place), "{last}");
    assert!(
        last.contains(": error: stage pvc-delete: CEL expressions are not supported yet (the first Stage of kind PersistentVolumeClaim with CEL"),
        "{last}"
    );
}

/// Documents that are not Stages are one summary line, not a note each, on every use.
#[test]
fn skipped_documents_are_summarised() {
    let volume = stages_dir("volume/fast");
    let input = volume.join("testdata/pv-bind.input.yaml");
    let output = stage_sim_with(&["testdata", text(&input), "--stages", text(&volume)]);
    let message = stderr(&output);
    assert!(!message.contains("skipped a Kustomization"), "{message}");
    let summaries: Vec<&str> = message.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(
        summaries,
        ["note: skipped 2 documents that are not Stages (`stage-sim check` names them)"],
        "{message}"
    );
}

#[test]
fn run_with_nothing_to_play_says_so() {
    let output = stage_sim_with(&["run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "TIME   OBJECT   STAGE   PHASE   NOTE\n\
         note: no objects to play; give them with --object or a --scenario\n\
         note: no Stages; give them with --stages or a --scenario\n\
         stopped at +0s: Settled\n"
    );
}
