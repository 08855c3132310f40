//! `stage-sim export` as a user runs it: the built binary, the files it writes and what
//! kwok's own tools and `stage-sim` make of them again.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use common::repo_root;

fn stage_sim<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(common::stage_sim())
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "status {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stage-sim-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page's default scenario as a file naming the preset files, plus two actions.
fn default_scenario(dir: &Path) -> PathBuf {
    let presets = repo_root().join("web/presets");
    let stage = |file: &str| format!("'{}'", presets.join(file).display());
    let text = format!(
        "stages: [{}, {}, {}, {}, {}, {}, {}, {}]\n\
         objects: ['{}']\n\
         horizon: 3m\n\
         seed: 5\n\
         actions:\n\
         - at: 40s\n  \
           edit: {{kind: Pod, namespace: default, name: web-1, patch: {{metadata: {{labels: {{tier: gold}}}}}}}}\n\
         - at: 1m\n  \
           delete: {{kind: Pod, namespace: default, name: web-0}}\n",
        stage("pod/general/pod-create.yaml"),
        stage("pod/general/pod-init-container-running.yaml"),
        stage("pod/general/pod-init-container-completed.yaml"),
        stage("pod/general/pod-ready.yaml"),
        stage("pod/general/pod-complete.yaml"),
        stage("pod/general/pod-delete.yaml"),
        stage("node/fast/node-initialize.yaml"),
        stage("node/heartbeat/node-heartbeat.yaml"),
        presets.join("objects/default.yaml").display(),
    );
    let path = dir.join("scenario.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn export(scenario: &Path, format: &str, extra: &[&str], out: &Path) -> String {
    let mut args: Vec<&OsStr> = vec![
        "export".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    stdout(&stage_sim(&args))
}

fn run_json(scenario: &Path) -> Value {
    let out = stage_sim(&[
        "run".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--output".as_ref(),
        OsStr::new("json"),
    ]);
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn exported_scenario_runs_as_the_original() {
    let dir = scratch("scenario");
    let scenario = default_scenario(&dir);
    let written = export(&scenario, "scenario", &[], &dir.join("out"));
    assert_eq!(
        written.trim(),
        dir.join("out/scenario.json").display().to_string()
    );
    let exported = dir.join("out/scenario.json");
    let original = run_json(&scenario);
    assert_eq!(run_json(&exported), original);
    assert!(original["entries"].as_array().unwrap().len() > 20);
}

#[test]
fn timeline_export_is_what_run_prints() {
    let dir = scratch("timeline");
    let scenario = default_scenario(&dir);
    export(&scenario, "timeline", &[], &dir.join("out"));
    let exported: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/timeline.json")).unwrap())
            .unwrap();
    assert_eq!(exported, run_json(&scenario));
}

#[test]
fn link_export_opens_to_the_same_run() {
    let dir = scratch("link");
    let scenario = default_scenario(&dir);
    export(&scenario, "link", &[], &dir.join("out"));
    let link = std::fs::read_to_string(dir.join("out/link.txt")).unwrap();
    assert!(link.starts_with("v1."), "{link}");
    println!(
        "default scenario with two actions, all inline: {} characters",
        link.trim().len()
    );

    let from_link = stage_sim(&["export", "--link", link.trim(), "--format", "timeline"]);
    let timeline: Value = serde_json::from_str(&stdout(&from_link)).unwrap();
    assert_eq!(timeline, run_json(&scenario));
}

#[test]
fn a_link_too_long_for_chat_is_warned_about() {
    let dir = scratch("long-link");
    let long = default_scenario(&dir);
    let output = stage_sim(&[
        "export".as_ref(),
        "--scenario".as_ref(),
        long.as_os_str(),
        "--format".as_ref(),
        OsStr::new("link"),
    ]);
    let link = stdout(&output);
    assert!(
        link.trim().len() > 2_000,
        "{} characters",
        link.trim().len()
    );
    assert!(
        stderr(&output).contains("chat tools cut links above 2000"),
        "{}",
        stderr(&output)
    );

    let short = dir.join("short.yaml");
    std::fs::write(
        &short,
        "objects: [{text: '{apiVersion: v1, kind: Node, metadata: {name: node-0}}'}]\n",
    )
    .unwrap();
    let output = stage_sim(&[
        "export".as_ref(),
        "--scenario".as_ref(),
        short.as_os_str(),
        "--format".as_ref(),
        OsStr::new("link"),
    ]);
    stdout(&output);
    assert_eq!(stderr(&output), "");
}

#[test]
fn kwokctl_recipe_holds_the_scenario() {
    let dir = scratch("kwokctl");
    let scenario = default_scenario(&dir);
    let out = dir.join("recipe");
    let written = export(&scenario, "kwokctl", &[], &out);
    assert_eq!(written.lines().count(), 3, "{written}");

    // kwok.yaml: the configuration, then exactly the scenario's Stages, which load as before.
    let config = std::fs::read_to_string(out.join("kwok.yaml")).unwrap();
    let documents = stage_yaml::parse_stream(&config).unwrap();
    assert_eq!(documents[0].root.to_json()["kind"], "KwokctlConfiguration");
    let loaded = stage_engine::load::load_stages(&config, "kwok.yaml");
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let names: Vec<&str> = loaded.stages.iter().map(|s| s.name.as_str()).collect();
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
            "node-heartbeat"
        ]
    );

    // objects.yaml: the same objects.
    let objects = std::fs::read_to_string(out.join("objects.yaml")).unwrap();
    let (loaded, _) = stage_engine::load::load_objects(&objects, "objects.yaml");
    let names: Vec<&str> = loaded.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["node-0", "web-0", "web-1", "report-7xk2p"]);

    // run.sh: executable, the actions after the right waits.
    let script = std::fs::read_to_string(out.join("run.sh")).unwrap();
    let lines: Vec<&str> = script
        .lines()
        .filter(|l| l.starts_with("sleep") || l.starts_with("$KUBECTL") || l.starts_with("kwokctl"))
        .collect();
    assert_eq!(
        lines,
        [
            "kwokctl create cluster --name \"$CLUSTER\" --config kwok.yaml",
            "$KUBECTL apply -f objects.yaml",
            "sleep 40",
            "$KUBECTL patch pod web-1 --namespace default --type=merge --patch \
             '{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}'",
            "sleep 20",
            "$KUBECTL delete pod web-0 --namespace default --wait=false",
        ]
    );
    assert!(
        script.contains("garbage collector"),
        "the Job pod has an owner"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111);
    }
    let status = Command::new("sh")
        .arg("-n")
        .arg(out.join("run.sh"))
        .status()
        .unwrap();
    assert!(status.success(), "run.sh is not valid sh");
}

#[test]
fn testdata_export_is_what_the_harness_prints_for_it() {
    let dir = scratch("testdata");
    let scenario = default_scenario(&dir);
    let out = dir.join("td");
    // web-1 is between Stages of pod general a few seconds in.
    export(
        &scenario,
        "testdata",
        &["--object", "Pod/default/web-1", "--at", "3s"],
        &out,
    );
    let input = out.join("pod-default-web-1.input.yaml");
    let output = std::fs::read_to_string(out.join("pod-default-web-1.output.yaml")).unwrap();
    assert!(
        output.contains("name: web-1\nnamespace: default\nstages:\n- "),
        "{output}"
    );

    // `stage-sim testdata`, kwok's harness format, agrees on the exported input.
    let presets = repo_root().join("web/presets");
    let harness = stage_sim(&[
        "testdata".as_ref(),
        input.as_os_str(),
        "--stages".as_ref(),
        presets.join("pod/general").as_os_str(),
        presets.join("node/fast").as_os_str(),
        presets.join("node/heartbeat").as_os_str(),
    ]);
    assert_eq!(stdout(&harness), output);
}

#[test]
fn testdata_of_a_moment_before_and_after() {
    let dir = scratch("moments");
    let scenario = default_scenario(&dir);
    let at = |moment: &str| {
        let out = dir.join(format!("at-{moment}"));
        export(
            &scenario,
            "testdata",
            &["--object", "Pod/default/web-0", "--at", moment],
            &out,
        );
        let input = std::fs::read_to_string(out.join("pod-default-web-0.input.yaml")).unwrap();
        stage_yaml::parse_value(&input).unwrap()
    };
    assert!(at("0s").pointer("/status/phase").is_some());
    assert_eq!(at("0s")["status"]["phase"], "Pending");
    assert_eq!(at("50s")["status"]["phase"], "Running");
    // Deleted at +1m with pod general's pod-delete a few seconds later: gone at +2m.
    let gone = stage_sim(&[
        "export".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--format".as_ref(),
        "testdata".as_ref(),
        "--object".as_ref(),
        "Pod/default/web-0".as_ref(),
        "--at".as_ref(),
        "2m".as_ref(),
    ]);
    assert_eq!(gone.status.code(), Some(2));
    assert!(
        stderr(&gone).starts_with("--object: Pod/default/web-0 does not exist at 2m; objects then: Node/node-0, Pod/default/web-1"),
        "{}",
        stderr(&gone)
    );
}

#[test]
fn bad_input_exits_with_2_and_says_why() {
    let dir = scratch("bad");
    let scenario = dir.join("bad.yaml");
    std::fs::write(&scenario, "stages: [missing.yaml]\n").unwrap();
    let cases: Vec<(Vec<&OsStr>, &str)> = vec![
        (
            vec![
                "export".as_ref(),
                "--scenario".as_ref(),
                scenario.as_os_str(),
                "--format".as_ref(),
                "kwokctl".as_ref(),
            ],
            "cannot read stages[0]",
        ),
        (
            vec![
                "export".as_ref(),
                "--link".as_ref(),
                "v1.eJz".as_ref(),
                "--format".as_ref(),
                "scenario".as_ref(),
            ],
            "--link: the link is incomplete",
        ),
        (
            vec![
                "export".as_ref(),
                "--link".as_ref(),
                "v9.eJz".as_ref(),
                "--format".as_ref(),
                "scenario".as_ref(),
            ],
            "--link: the link was made by a newer version",
        ),
        (
            vec![
                "export".as_ref(),
                "--link".as_ref(),
                "x".as_ref(),
                "--format".as_ref(),
                "scenario".as_ref(),
            ],
            "--link: this is not a share link",
        ),
        (
            vec!["export".as_ref(), "--format".as_ref(), "timeline".as_ref()],
            "--scenario",
        ),
    ];
    for (args, message) in cases {
        let output = stage_sim(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn checked_in_vectors_open_on_the_command_line() {
    let vectors = repo_root().join("crate/tests/share_vectors/v1");
    let empty = std::fs::read_to_string(vectors.join("empty.link")).unwrap();
    let opened = stage_sim(&["export", "--link", empty.trim(), "--format", "scenario"]);
    let scenario: Value = serde_json::from_str(&stdout(&opened)).unwrap();
    assert_eq!(scenario["stages"], serde_json::json!([]));

    // The command line has no preset registry: a link naming presets says which one.
    let own = std::fs::read_to_string(vectors.join("own.link")).unwrap();
    let refused = stage_sim(&["export", "--link", own.trim(), "--format", "scenario"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("the link uses preset \"pod/fast\" version \"v0.8.0\""),
        "{}",
        stderr(&refused)
    );
}
