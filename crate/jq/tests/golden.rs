//! kwok's recorded expression cases (`shared/golden/expr-*.json`): the request's jq key on
//! its object must give the recorded values, nil-ness and operator result.

mod support;

use stage_jq::{Input, Operator};
use support::{output_json, query, same_json, shared, yaml};

fn check_case(name: &str) {
    let path = shared().join("golden").join(format!("{name}.json"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => panic!("{}: {error}", path.display()),
    };
    let case = support::json(&text);
    let request = &case["request"];
    let response = &case["response"];

    let Some(expression) = request["expression"].as_str() else {
        panic!("{name}: no expression");
    };
    let Some(object) = request["object"].as_str() else {
        panic!("{name}: no object");
    };
    let outcome = query(expression).run(&Input::new(&yaml(object)));
    let outputs = outcome.outputs();

    let got = if outputs.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::Array(outputs.iter().map(output_json).collect())
    };
    assert!(
        same_json(&got, &response["values"]),
        "{name}: values {got} want {}",
        response["values"]
    );
    assert_eq!(
        serde_json::Value::Bool(outputs.is_empty()),
        response["is_nil"],
        "{name}: is_nil"
    );

    if let Some(operator) = request["operator"].as_str() {
        let Some(operator) = Operator::parse(operator) else {
            panic!("{name}: operator {operator}");
        };
        let values: Vec<String> = request["values"]
            .as_array()
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let matched = operator.matches(&outcome, &values);
        assert_eq!(
            serde_json::Value::Bool(matched),
            response["matches"],
            "{name}: matches"
        );
    }
}

#[test]
fn expr_annotation() {
    check_case("expr-annotation");
}

#[test]
fn expr_bool() {
    check_case("expr-bool");
}

#[test]
fn expr_container_names() {
    check_case("expr-container-names");
}

#[test]
fn expr_deletion_ts() {
    check_case("expr-deletion-ts");
}

#[test]
fn expr_jq_error() {
    check_case("expr-jq-error");
}

#[test]
fn expr_owner_kind() {
    check_case("expr-owner-kind");
}

#[test]
fn expr_ready_status() {
    check_case("expr-ready-status");
}

/// Every expression case in the folder has a test above, so a new recording is not missed.
#[test]
fn every_expression_case_is_tested() {
    let tested = [
        "expr-annotation",
        "expr-bool",
        "expr-container-names",
        "expr-deletion-ts",
        "expr-jq-error",
        "expr-owner-kind",
        "expr-ready-status",
    ];
    let entries = match std::fs::read_dir(shared().join("golden")) {
        Ok(entries) => entries,
        Err(error) => panic!("golden folder: {error}"),
    };
    let mut found: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with("expr-") && name.ends_with(".json"))
        .map(|name| name.trim_end_matches(".json").to_string())
        .collect();
    found.sort();
    assert_eq!(found, tested);
}
