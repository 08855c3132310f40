//! Every case recorded from kwok v0.8.0 (`shared/golden/*.json`) reproduced by the engine.
//!
//! Each case's `request` goes through `stage_engine::golden::answer` (the function behind
//! `stage-sim golden`) and the answer must equal the recorded `response`, compared as the
//! README says: numbers numerically, and API-server metadata (uid, resourceVersion,
//! creationTimestamp) ignored where the recorded object has none.

mod common;

use std::path::PathBuf;

use serde_json::Value;

use common::{repo_root, stage_sim};

/// The directory that contains `shared/`.
fn base() -> PathBuf {
    repo_root().join("..")
}

fn case(name: &str) -> Value {
    let path = base().join("shared/golden").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

const DEFAULTED: [&str; 3] = ["uid", "resourceVersion", "creationTimestamp"];

/// Every difference between `expected` and `actual`, with its JSON path.
fn differences(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    Some(av) => differences(ev, av, &child, out),
                    None => out.push(format!("{child}: missing (expected {ev})")),
                }
            }
            for (key, av) in a {
                let defaulted = path.ends_with(".metadata") && DEFAULTED.contains(&key.as_str());
                if !e.contains_key(key) && !defaulted {
                    out.push(format!("{path}.{key}: unexpected {av}"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                differences(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if e.as_f64() != a.as_f64() {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (e, a) => {
            if e != a {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
    }
}

fn check(name: &str) {
    let case = case(name);
    let answer = stage_engine::golden::answer(&case["request"], &base())
        .unwrap_or_else(|e| panic!("{name}: the request was refused: {e}"));
    let mut out = Vec::new();
    differences(&case["response"], &answer, "", &mut out);
    assert!(
        out.is_empty(),
        "{name}: {} differences:\n{}\nanswer: {}",
        out.len(),
        out.join("\n"),
        serde_json::to_string_pretty(&answer).unwrap()
    );
}

#[test]
fn comparison_ignores_defaulted_metadata_and_number_forms() {
    let mut out = Vec::new();
    let expected = serde_json::json!({"metadata": {"name": "a"}, "n": 1});
    let actual = serde_json::json!({"metadata": {"name": "a", "uid": "x", "resourceVersion": "1"}, "n": 1.0});
    differences(&expected, &actual, "", &mut out);
    assert!(out.is_empty(), "{out:?}");
    differences(
        &serde_json::json!({"n": 1}),
        &serde_json::json!({"n": 2, "m": 0}),
        "",
        &mut out,
    );
    assert_eq!(out.len(), 2, "{out:?}");
}

#[test]
fn every_recorded_case_has_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(base().join("shared/golden"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    names.sort();
    let source = std::fs::read_to_string(repo_root().join("tests/tests/golden.rs")).unwrap();
    for name in names {
        let test = format!("fn {}()", name.replace('-', "_"));
        assert!(
            source.contains(&test),
            "no test `{test}` for shared/golden/{name}.json"
        );
    }
}

#[test]
fn an_unreadable_request_is_refused() {
    assert!(stage_engine::golden::answer_text("not json", &base()).is_err());
    assert!(stage_engine::golden::answer_text("{}", &base()).is_err());
    assert!(stage_engine::golden::answer_text("[]", &base()).is_err());
}

/// The built binary, through `cargo`'s target directory, on one case.
#[test]
fn the_binary_answers_on_stdout() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let binary = stage_sim();
    let case = case("expr-bool");
    let mut child = Command::new(&binary)
        .args(["golden", "--base"])
        .arg(base())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(case["request"].to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut out = Vec::new();
    differences(&case["response"], &answer, "", &mut out);
    assert!(out.is_empty(), "{out:?}");

    let mut child = Command::new(&binary)
        .args(["golden", "--base"])
        .arg(base())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{oops").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(2));
}

#[test]
fn expr_annotation() {
    check("expr-annotation");
}

#[test]
fn expr_bool() {
    check("expr-bool");
}

#[test]
fn expr_container_names() {
    check("expr-container-names");
}

#[test]
fn expr_deletion_ts() {
    check("expr-deletion-ts");
}

#[test]
fn expr_jq_error() {
    check("expr-jq-error");
}

#[test]
fn expr_owner_kind() {
    check("expr-owner-kind");
}

#[test]
fn expr_ready_status() {
    check("expr-ready-status");
}

#[test]
fn sim_custom_seed1() {
    check("sim-custom-seed1");
}

#[test]
fn sim_ksp_complete_status_short() {
    check("sim-ksp-complete-status-short");
}

#[test]
fn sim_node_fast() {
    check("sim-node-fast");
}

#[test]
fn sim_pod_fast_basic() {
    check("sim-pod-fast-basic");
}

#[test]
fn sim_pod_fast_job() {
    check("sim-pod-fast-job");
}

#[test]
fn sim_pod_fast_node_cidr() {
    check("sim-pod-fast-node-cidr");
}

#[test]
fn sim_pod_fast_terminating() {
    check("sim-pod-fast-terminating");
}

#[test]
fn sim_pod_general_basic_seed1() {
    check("sim-pod-general-basic-seed1");
}

#[test]
fn tpl_kce2e_init_completed_no_status() {
    check("tpl-kce2e-init-completed-no-status");
}

#[test]
fn tpl_node_initialize() {
    check("tpl-node-initialize");
}

#[test]
fn tpl_pod_ready() {
    check("tpl-pod-ready");
}
