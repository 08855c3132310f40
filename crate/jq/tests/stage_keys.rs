//! Every jq query used by a Stage under `shared/kwok-stages` and `shared/field-stages`
//! compiles, and each has a case here with the result gojq gives on a sample object.
//!
//! Queries are collected from selector `key`s (also under `jq:`), `expressionFrom` and
//! `jq.expression` of every Stage document. A query that appears in a new file without a
//! case here makes `every_query_in_use_has_a_case` fail.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use stage_jq::{Input, Operator, Outcome, Output, Query};
use support::{s, shared, yaml_documents};

/// A Pod as kwok's typed encoding shows it, with every field the queries read.
const POD: &str = r#"{
  "metadata": {
    "name": "web-0",
    "generation": 1,
    "deletionTimestamp": "2024-01-01T00:00:40Z",
    "finalizers": ["kwok.x-k8s.io/fake"],
    "ownerReferences": [{"kind": "ReplicaSet"}, {"kind": "Job"}],
    "labels": {},
    "annotations": {}
  },
  "status": {
    "phase": "Running",
    "podIP": "10.0.0.7",
    "conditions": [
      {"type": "Initialized", "status": "True"},
      {"type": "Ready", "status": "False"}
    ],
    "initContainerStatuses": [
      {"state": {"waiting": {"reason": "PodInitializing"}}},
      {"state": {"running": {"startedAt": "2024-01-01T00:00:01Z"}}}
    ],
    "containerStatuses": [
      {"state": {"running": {"startedAt": "2024-01-01T00:00:02Z"}}},
      {"state": {"waiting": {"reason": "ContainerCreating"}}}
    ]
  }
}"#;

/// A brand-new Pod: no status fields, no metadata lists.
const NEW_POD: &str = r#"{"metadata": {"name": "web-0"}, "status": {}}"#;

/// A query with its outputs on `POD` and on `NEW_POD` (`None`: a runtime error, which kwok
/// reads as no outputs).
type Case = (&'static str, Vec<Output>, Option<Vec<Output>>);

/// Queries other than plain label or annotation reads.
fn cases() -> Vec<Case> {
    let conditions = serde_json::json!([
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": "False"}
    ]);
    vec![
        (
            ".metadata.deletionTimestamp",
            vec![s("2024-01-01T00:00:40Z")],
            Some(vec![]),
        ),
        (".status.phase", vec![s("Running")], Some(vec![])),
        (".status.podIP", vec![s("10.0.0.7")], Some(vec![])),
        (
            ".status.conditions.[] | select( .type == \"Ready\" ) | .status",
            vec![s("False")],
            None,
        ),
        (
            ".status.conditions.[] | select( .type == \"Initialized\" ) | .status",
            vec![s("True")],
            None,
        ),
        (
            ".status.conditions",
            vec![Output::Other(conditions)],
            Some(vec![]),
        ),
        (
            ".metadata.ownerReferences.[].kind",
            vec![s("ReplicaSet"), s("Job")],
            None,
        ),
        (
            ".metadata.finalizers",
            vec![Output::Other(serde_json::json!(["kwok.x-k8s.io/fake"]))],
            Some(vec![]),
        ),
        (
            ".metadata.finalizers.[]",
            vec![s("kwok.x-k8s.io/fake")],
            None,
        ),
        (
            ".status.initContainerStatuses.[].state.waiting.reason",
            vec![s("PodInitializing")],
            None,
        ),
        (
            ".status.initContainerStatuses.[].state.running.startedAt",
            vec![s("2024-01-01T00:00:01Z")],
            None,
        ),
        (
            ".status.containerStatuses.[].state.running.startedAt",
            vec![s("2024-01-01T00:00:02Z")],
            None,
        ),
    ]
}

/// `.metadata.labels["k"]`, `.metadata.annotations["k"]` and their `."k"` forms: the
/// map (`labels` or `annotations`) and the key.
fn map_read(query: &str) -> Option<(&str, &str)> {
    let rest = query.strip_prefix(".metadata.")?;
    let (map, key) = rest.split_once(['[', '.'])?;
    let key = key.strip_suffix(']').unwrap_or(key);
    let key = key.strip_prefix('"')?.strip_suffix('"')?;
    (map == "labels" || map == "annotations").then_some((map, key))
}

#[test]
fn every_query_in_use_compiles() {
    let queries = queries_in_use();
    let distinct: BTreeSet<&String> = queries.iter().map(|(query, _)| query).collect();
    assert!(distinct.len() > 30, "only {} queries found", distinct.len());
    for (query, place) in &queries {
        if let Err(error) = Query::compile(query) {
            panic!("{place}: {query}: {error} at {}", error.offset);
        }
    }
}

#[test]
fn every_query_in_use_has_a_case() {
    let cases = cases();
    for (query, place) in queries_in_use() {
        let known = map_read(&query).is_some() || cases.iter().any(|case| case.0 == query);
        assert!(known, "{place}: no case for {query}");
    }
}

#[test]
fn queries_in_use_give_gojq_outputs() {
    for (query, on_pod, on_new_pod) in cases() {
        let q = support::query(query);
        let got = q.run(&Input::new(&support::json(POD)));
        assert_eq!(got, Outcome::Values(on_pod), "{query} on a pod");

        let got = q.run(&Input::new(&support::json(NEW_POD)));
        match on_new_pod {
            Some(outputs) => assert_eq!(got, Outcome::Values(outputs), "{query} on a new pod"),
            None => assert!(
                matches!(got, Outcome::Failed(_)),
                "{query} on a new pod: {got:?}"
            ),
        }
    }
}

#[test]
fn label_and_annotation_reads_in_use_give_the_value() {
    for (query, place) in queries_in_use() {
        let Some((map, key)) = map_read(&query) else {
            continue;
        };
        let q = support::query(&query);

        let set = serde_json::json!({"metadata": {map: {key: "10s"}}});
        assert_eq!(
            q.first(&Input::new(&set)),
            Some(s("10s")),
            "{place}: {query}"
        );

        let unset = serde_json::json!({"metadata": {map: {"other": "x"}}});
        let outcome = q.run(&Input::new(&unset));
        assert_eq!(outcome, Outcome::Values(vec![]), "{place}: {query}");
        assert!(Operator::DoesNotExist.matches(&outcome, &[]));
    }
}

/// Every jq query of every Stage document, with the file it came from.
fn queries_in_use() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for folder in ["kwok-stages", "field-stages"] {
        let mut files = Vec::new();
        yaml_files(&shared().join(folder), &mut files);
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            // Not every YAML file is a Stage file (kustomizations, CRDs, objects).
            if !text.contains("kind: Stage") {
                continue;
            }
            let place = file.display().to_string();
            for doc in yaml_documents(&text) {
                if doc["kind"] == "Stage" {
                    collect(&doc["spec"], false, &place, &mut found);
                }
            }
        }
    }
    found
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            out.push(path);
        }
    }
}

/// Walks a Stage's spec; `in_selector` is true inside `matchExpressions` entries, where
/// `key` is a jq query (elsewhere `key` may be a label key).
fn collect(
    value: &serde_json::Value,
    in_selector: bool,
    place: &str,
    out: &mut BTreeSet<(String, String)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, item) in map {
                let query = match name.as_str() {
                    "key" if in_selector => item.as_str(),
                    "expressionFrom" => item.as_str(),
                    "jq" => item["expression"].as_str(),
                    _ => None,
                };
                if let Some(query) = query {
                    out.insert((query.to_string(), place.to_string()));
                }
                let inner = in_selector || name == "matchExpressions";
                // CEL entries are not jq.
                if name != "cel" {
                    collect(item, inner, place, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect(item, in_selector, place, out);
            }
        }
        _ => {}
    }
}
