//! Helpers shared by this crate's tests: the shared ground-truth folder and YAML reading.

#![allow(dead_code)]

use std::path::PathBuf;

use stage_jq::{Input, Operator, Outcome, Output, Query};

/// The read-only ground truth next to the repository root (`../shared` from there).
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Every YAML document of a file, as JSON values, read the way the engine reads Stage files
/// (YAML 1.1, as kwok's go-yaml v2 does).
pub fn yaml_documents(text: &str) -> Vec<serde_json::Value> {
    let documents = match stage_yaml::parse_stream(text) {
        Ok(documents) => documents,
        Err(error) => panic!("YAML does not parse: {error}"),
    };
    documents
        .iter()
        .map(|document| match document.root.try_to_json() {
            Ok(value) => value,
            Err(error) => panic!("YAML does not convert to JSON: {error}"),
        })
        .collect()
}

/// The first YAML document as JSON, converted as kwok converts objects (`YAMLToJSON`).
pub fn yaml(text: &str) -> serde_json::Value {
    match stage_yaml::parse_value(text) {
        Ok(value) => value,
        Err(error) => panic!("YAML does not parse: {error}"),
    }
}

pub fn json(text: &str) -> serde_json::Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => panic!("{text}: {error}"),
    }
}

pub fn query(source: &str) -> Query {
    match Query::compile(source) {
        Ok(query) => query,
        Err(error) => panic!("{source}: {error} at {}", error.offset),
    }
}

/// Runs `source` on the object written as JSON.
pub fn run(source: &str, object: &str) -> Outcome {
    query(source).run(&Input::new(&json(object)))
}

pub fn outputs(source: &str, object: &str) -> Vec<Output> {
    match run(source, object) {
        Outcome::Values(outputs) => outputs,
        Outcome::Failed(message) => panic!("{source} failed: {message}"),
    }
}

pub fn matches(source: &str, object: &str, operator: &str, values: &[&str]) -> bool {
    let Some(operator) = Operator::parse(operator) else {
        panic!("unknown operator {operator}");
    };
    let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    operator.matches(&run(source, object), &values)
}

pub fn s(text: &str) -> Output {
    Output::String(text.to_string())
}

/// An output as the JSON value kwok's recorder writes.
pub fn output_json(output: &Output) -> serde_json::Value {
    match output {
        Output::String(s) => serde_json::Value::String(s.clone()),
        Output::Bool(b) => serde_json::Value::Bool(*b),
        Output::Int(i) => serde_json::Value::from(*i),
        Output::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Output::Other(value) => value.clone(),
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
