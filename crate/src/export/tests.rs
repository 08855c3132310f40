use super::kwokctl::CLUSTER_NAME;
use super::*;
use crate::scenario::{ObjectText, Source, Target, UserAction, UserActionKind};
use serde_json::json;

const STAGE: &str = "\
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-run
spec:
  resourceRef:
    kind: Pod
  selector:
    matchExpressions:
    - key: .status.phase
      operator: In
      values: [Pending]
  delay:
    durationMilliseconds: 1000
  next:
    statusTemplate: |
      phase: Running
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-stage
";

const OBJECTS: &str = "\
# one node, one pod
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
  - name: web
    image: nginx
";

fn inline(name: &str, text: &str) -> Source {
    Source::Inline {
        name: Some(name.into()),
        text: text.into(),
    }
}

fn scenario() -> Scenario {
    let web = |name: &str| Target {
        api_version: "v1".into(),
        kind: "Pod".into(),
        namespace: "default".into(),
        name: name.into(),
    };
    Scenario {
        stages: vec![inline("stages.yaml", STAGE)],
        objects: vec![inline("objects.yaml", OBJECTS)],
        horizon: Some("1m".into()),
        actions: vec![
            UserAction {
                at: "30s".into(),
                what: UserActionKind::Delete {
                    target: web("web-0"),
                    grace_period_seconds: Some(0),
                },
            },
            UserAction {
                at: "10s".into(),
                what: UserActionKind::Edit {
                    target: web("web-0"),
                    patch: json!({"metadata": {"labels": {"it's": "x"}}, "status": {"reason": "r"}}),
                },
            },
            UserAction {
                at: "40.5s".into(),
                what: UserActionKind::Create(ObjectText::Value(json!({
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "late", "namespace": "default"},
                    "spec": {"nodeName": "node-0"}
                }))),
            },
        ],
        ..Scenario::default()
    }
}

fn prepared() -> Prepared {
    Prepared::new(&scenario(), Path::new("")).unwrap()
}

fn file<'a>(files: &'a [ExportFile], name: &str) -> &'a str {
    &files
        .iter()
        .find(|file| file.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no {name} in {:?}",
                files.iter().map(|f| &f.name).collect::<Vec<_>>()
            )
        })
        .text
}

#[test]
fn kwokctl_recipe_files() {
    let files = kwokctl(&prepared()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "kwok.yaml",
            "objects.yaml",
            "action-2-create.yaml",
            "run.sh"
        ]
    );
}

#[test]
fn kwokctl_configuration_carries_flags_and_only_stages() {
    let files = kwokctl(&prepared()).unwrap();
    let config = file(&files, "kwok.yaml");
    let documents = stage_yaml::parse_stream(config).unwrap();
    let values: Vec<Value> = documents.iter().map(|d| d.root.to_json()).collect();
    assert_eq!(values.len(), 2, "{config}");
    assert_eq!(
        values[0],
        json!({
            "apiVersion": "config.kwok.x-k8s.io/v1alpha1",
            "kind": "KwokctlConfiguration",
            "componentsPatches": [{"name": "kwok-controller", "extraArgs": [
                {"key": "node-ip", "value": "10.0.0.1"},
                {"key": "cidr", "value": "10.100.0.0/24"},
                {"key": "manage-all-nodes", "value": "true"},
            ]}]
        })
    );
    assert_eq!(values[1]["metadata"]["name"], "pod-run");
    // The simulation read the missing apiGroup as v1; the recipe writes it so kwok does too.
    assert_eq!(
        values[1]["spec"]["resourceRef"],
        json!({"apiGroup": "v1", "kind": "Pod"})
    );
    assert!(
        config.contains("# apiGroup was not set: written as v1"),
        "{config}"
    );
    assert!(config.contains("# stages.yaml:1\n"), "{config}");
    assert!(config.contains("templates calling NodeName render kwokctl's value"));
    // The re-written Stage loads to the same Stage.
    let reloaded = crate::load::load_stages(config, "kwok.yaml");
    assert!(!reloaded.has_errors(), "{}", reloaded.render_diagnostics());
    assert_eq!(reloaded.stages.len(), 1);
    assert_eq!(reloaded.stages[0].resource_ref.api_group, "v1");
}

#[test]
fn kwokctl_manage_choices_become_flags() {
    let cases: &[(crate::config::ManagedNodes, &[(&str, &str)])] = &[
        (
            crate::config::ManagedNodes::ByName("n1".into()),
            &[("manage-all-nodes", "false"), ("manage-single-node", "n1")],
        ),
        (
            crate::config::ManagedNodes::ByLabel("type=kwok".into()),
            &[
                ("manage-all-nodes", "false"),
                ("manage-nodes-with-label-selector", "type=kwok"),
            ],
        ),
        (
            crate::config::ManagedNodes::ByAnnotation("a=b".into()),
            &[
                ("manage-all-nodes", "false"),
                ("manage-nodes-with-annotation-selector", "a=b"),
            ],
        ),
    ];
    for (manage, flags) in cases {
        let mut scenario = scenario();
        scenario.config = Some(crate::config::ControllerConfig {
            node_name: "kwok-0".into(),
            node_port: 10247,
            manage: manage.clone(),
            ..crate::config::ControllerConfig::default()
        });
        let files = kwokctl(&Prepared::new(&scenario, Path::new("")).unwrap()).unwrap();
        let config = file(&files, "kwok.yaml");
        let value = stage_yaml::parse_stream(config).unwrap()[0].root.to_json();
        let args: Vec<(String, String)> = value["componentsPatches"][0]["extraArgs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["key"].as_str().unwrap().into(),
                    a["value"].as_str().unwrap().into(),
                )
            })
            .collect();
        let mut expected: Vec<(String, String)> = vec![
            ("node-ip".into(), "10.0.0.1".into()),
            ("cidr".into(), "10.100.0.0/24".into()),
            ("node-name".into(), "kwok-0".into()),
            ("node-port".into(), "10247".into()),
        ];
        expected.extend(flags.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        assert_eq!(args, expected, "{manage:?}");
        assert!(!config.contains("NodeName is not set"), "{config}");
        assert!(!config.contains("NodePort is not set"), "{config}");
    }
}

#[test]
fn kwokctl_without_stages_warns_of_the_defaults() {
    let mut scenario = scenario();
    scenario.stages.clear();
    let files = kwokctl(&Prepared::new(&scenario, Path::new("")).unwrap()).unwrap();
    assert!(file(&files, "kwok.yaml").contains("kwokctl installs its default Stages: the cluster"));
}

#[test]
fn kwokctl_objects_are_the_written_text() {
    let files = kwokctl(&prepared()).unwrap();
    assert_eq!(
        file(&files, "objects.yaml"),
        format!(
            "# The scenario's objects: `kubectl apply -f objects.yaml`.\n# objects.yaml\n{OBJECTS}"
        )
    );
    assert_eq!(
        stage_yaml::parse_value(file(&files, "action-2-create.yaml")).unwrap(),
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "late", "namespace": "default"}, "spec": {"nodeName": "node-0"}})
    );
}

#[test]
fn kwokctl_script_plays_the_actions_in_time_order() {
    let files = kwokctl(&prepared()).unwrap();
    let script = file(&files, "run.sh");
    let commands: Vec<&str> = script
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect();
    assert_eq!(
        commands,
        [
            "set -eu",
            "cd \"$(dirname \"$0\")\"",
            &format!("CLUSTER=\"${{CLUSTER:-{CLUSTER_NAME}}}\""),
            "KUBECTL=\"kubectl --context kwok-$CLUSTER\"",
            "kwokctl create cluster --name \"$CLUSTER\" --config kwok.yaml",
            "$KUBECTL apply -f objects.yaml",
            "sleep 10",
            "$KUBECTL patch pod web-0 --namespace default --type=merge --patch \
             '{\"metadata\":{\"labels\":{\"it'\\''s\":\"x\"}}}'",
            "$KUBECTL patch pod web-0 --namespace default --subresource=status --type=merge \
             --patch '{\"status\":{\"reason\":\"r\"}}'",
            "sleep 20",
            "$KUBECTL delete pod web-0 --namespace default --grace-period=0 --wait=false",
            "sleep 10.5",
            "$KUBECTL create -f action-2-create.yaml",
            "echo \"Watch with: $KUBECTL get nodes,pods --all-namespaces --watch\"",
            "echo \"Delete the cluster with: kwokctl delete cluster --name $CLUSTER\"",
        ]
    );
    assert!(script.starts_with("#!/bin/sh\n"));
    assert!(
        script.contains("\n# +10s: edit Pod/default/web-0\n"),
        "{script}"
    );
    assert!(
        script.contains("\n# +40.5s: create Pod/default/late\n"),
        "{script}"
    );
    assert!(
        script.contains("\n# The simulation covered +1m0s from the start.\n"),
        "{script}"
    );
    assert!(!script.contains("garbage collector"));
}

#[test]
fn kubectl_arguments() {
    let target = |api_version: &str, kind: &str, namespace: &str, name: &str| Target {
        api_version: api_version.into(),
        kind: kind.into(),
        namespace: namespace.into(),
        name: name.into(),
    };
    let cases = [
        (target("v1", "Node", "", "node-0"), "node node-0"),
        (target("v1", "Pod", "ns", "p"), "pod p --namespace ns"),
        (
            target("apps/v1", "Deployment", "ns", "d"),
            "deployment.v1.apps d --namespace ns",
        ),
        (
            target("coordination.k8s.io/v1", "Lease", "kube-node-lease", "n"),
            "lease.v1.coordination.k8s.io n --namespace kube-node-lease",
        ),
        (target("v1", "Pod", "ns", "a b"), "pod 'a b' --namespace ns"),
    ];
    for (target, expected) in cases {
        assert_eq!(kwokctl::target_args(&target), expected);
    }
}

#[test]
fn shell_words_and_times() {
    use kwokctl::{offset, quote, seconds};
    assert_eq!(quote("web-0"), "web-0");
    assert_eq!(quote(""), "''");
    assert_eq!(quote("{\"a\":1}"), "'{\"a\":1}'");
    assert_eq!(quote("it's"), r"'it'\''s'");
    assert_eq!(quote("$(rm -rf /)"), "'$(rm -rf /)'");
    assert_eq!(seconds(30_000_000_000), "30");
    assert_eq!(seconds(1_500_000_000), "1.5");
    assert_eq!(seconds(1_000), "0.000001");
    assert_eq!(offset(0), "+0s");
    assert_eq!(offset(90_000_000_000), "+1m30s");
    assert_eq!(offset(600_000_000_000), "+10m0s");
    assert_eq!(offset(3_723_500_000_000), "+1h2m3.5s");
    assert_eq!(offset(-2_000_000_000), "-2s");
}

#[test]
fn status_parts_of_an_edit() {
    use kwokctl::split_status;
    assert_eq!(
        split_status(&json!({"status": {"a": 1}})),
        (None, Some(json!({"status": {"a": 1}})))
    );
    assert_eq!(
        split_status(&json!({"spec": {}})),
        (Some(json!({"spec": {}})), None)
    );
    assert_eq!(split_status(&json!({})), (Some(json!({})), None));
}

#[test]
fn testdata_of_the_object_as_created() {
    let files = testdata(&prepared(), Some("Pod/default/web-0"), "0s").unwrap();
    assert_eq!(files[0].name, "pod-default-web-0.input.yaml");
    assert_eq!(files[1].name, "pod-default-web-0.output.yaml");
    let input = stage_yaml::parse_value(&files[0].text).unwrap();
    assert_eq!(input["metadata"]["name"], "web-0");
    assert_eq!(input["status"]["phase"], "Pending");
    let output = stage_yaml::parse_value(&files[1].text).unwrap();
    assert_eq!(
        output,
        json!({"apiGroup": "v1", "kind": "Pod", "name": "web-0", "namespace": "default",
        "stages": [{"stage": "pod-run", "delay": [1_000_000_000], "weight": 0, "next": [
            {"kind": "patch", "type": "application/merge-patch+json",
             "subresource": "status", "data": {"status": {"phase": "Running"}}}
        ]}]})
    );
    // The harness's own output for the exported input is the exported output.
    let again = crate::testdata::harness_output(&input, &prepared().stages).unwrap();
    assert_eq!(stage_yaml::to_string(&again), files[1].text);
}

#[test]
fn testdata_follows_the_timeline() {
    let prepared = prepared();
    // After pod-run played at +1s, nothing matches the pod any more.
    let files = testdata(&prepared, Some("Pod/default/web-0"), "5s").unwrap();
    let input = stage_yaml::parse_value(&files[0].text).unwrap();
    assert_eq!(input["status"]["phase"], "Running");
    let output = stage_yaml::parse_value(&files[1].text).unwrap();
    assert_eq!(output["stages"], json!([]));
    // The edit at +10s is seen.
    let files = testdata(&prepared, Some("Pod/default/web-0"), "10s").unwrap();
    let input = stage_yaml::parse_value(&files[0].text).unwrap();
    assert_eq!(input["metadata"]["labels"]["it's"], "x");
    // The first object is the default.
    let files = testdata(&prepared, None, "0s").unwrap();
    assert_eq!(files[0].name, "node-node-0.input.yaml");
}

#[test]
fn testdata_errors_name_what_exists() {
    let prepared = prepared();
    let gone = testdata(&prepared, Some("Pod/default/web-0"), "35s").unwrap_err();
    assert_eq!(gone.place, "--object");
    assert_eq!(
        gone.message,
        "Pod/default/web-0 does not exist at 35s; objects then: Node/node-0"
    );
    let early = testdata(&prepared, Some("Pod/default/late"), "40s").unwrap_err();
    assert!(
        early.message.contains("objects then: Node/node-0"),
        "{early}"
    );
    let bad = testdata(&prepared, None, "soon").unwrap_err();
    assert_eq!(
        bad.to_string(),
        "--at: \"soon\" is neither a Go duration nor an RFC 3339 time"
    );
}

#[test]
fn timeline_export_is_the_run() {
    let prepared = prepared();
    let files = timeline_json(&prepared).unwrap();
    assert_eq!(files[0].name, "timeline.json");
    let timeline: Timeline = serde_json::from_str(&files[0].text).unwrap();
    assert_eq!(timeline, prepared.run(false).unwrap());
    assert!(timeline.plays().any(|play| play.stage == "pod-run"));
}

#[test]
fn scenario_export_reads_back() {
    let files = scenario_json(&prepared()).unwrap();
    let read = Scenario::parse(&files[0].text, "scenario.json").unwrap();
    assert_eq!(read.stages, vec![inline("stages.yaml", STAGE)]);
    assert_eq!(read.actions, scenario().actions);
}

#[test]
fn load_errors_are_reported_with_their_place() {
    let mut scenario = scenario();
    scenario.objects = vec![inline("bad.yaml", "kind: Pod\nmetadata: {name: [}\n")];
    let error = Prepared::new(&scenario, Path::new("")).err().unwrap();
    assert!(error.message.starts_with("bad.yaml:"), "{error}");
}
