//! kwok's finalizer step (`finalizersModify`): the JSON patch operations that edit
//! `metadata.finalizers`.
//!
//! The operations are always computed against the finalizers of the snapshot the run started
//! from, never against the result of an earlier step, which is why some combinations produce
//! surprising patches. Sending them is the caller's business.

use serde::Serialize;
use serde_json::Value;

use crate::model::Finalizers;

/// One JSON patch operation, serialised as kwok's `{"op", "path", "value"}` with `value`
/// left out when absent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonPatchOp {
    pub op: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

const PATH: &str = "/metadata/finalizers";

/// The operations kwok sends for `spec` when the object's finalizers are `original`.
pub fn finalizer_ops(original: &[String], spec: &Finalizers) -> Vec<JsonPatchOp> {
    let mut ops = Vec::new();

    // Removing every finalizer one by one becomes removing the whole field.
    let mut empty_all = spec.empty;
    if !spec.empty && !spec.remove.is_empty() {
        let removals: Vec<JsonPatchOp> = original
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, f)| spec.remove.contains(f))
            .map(|(i, _)| op("remove", format!("{PATH}/{i}"), None))
            .collect();
        if removals.len() == original.len() {
            empty_all = true;
        } else {
            ops.extend(removals);
        }
    }

    if !empty_all {
        if !spec.add.is_empty() {
            if original.is_empty() {
                ops.push(op("add", PATH.to_string(), Some(string_list(&spec.add))));
            } else {
                // Only finalizers missing from the original list are appended; duplicates
                // inside `add` are appended twice, as kwok does.
                for name in spec.add.iter().filter(|a| !original.contains(a)) {
                    ops.push(op(
                        "add",
                        format!("{PATH}/-"),
                        Some(Value::String(name.clone())),
                    ));
                }
            }
        }
    } else {
        if !original.is_empty() {
            ops.push(op("remove", PATH.to_string(), None));
        }
        if !spec.add.is_empty() {
            ops.push(op("add", PATH.to_string(), Some(string_list(&spec.add))));
        }
    }
    ops
}

/// The object's `metadata.finalizers`, skipping anything that is not a string.
pub fn object_finalizers(object: &Value) -> Vec<String> {
    object
        .pointer(PATH)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn op(name: &str, path: String, value: Option<Value>) -> JsonPatchOp {
    JsonPatchOp {
        op: name.to_string(),
        path,
        value,
    }
}

fn string_list(names: &[String]) -> Value {
    Value::Array(names.iter().cloned().map(Value::String).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(add: &[&str], remove: &[&str], empty: bool) -> Finalizers {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Finalizers {
            add: owned(add),
            remove: owned(remove),
            empty,
        }
    }

    /// The ops as compact JSON text, one string per op, for one-line comparisons.
    fn ops(original: &[&str], spec: Finalizers) -> Vec<String> {
        let original: Vec<String> = original.iter().map(|s| s.to_string()).collect();
        finalizer_ops(&original, &spec)
            .iter()
            .map(|op| serde_json::to_string(op).unwrap())
            .collect()
    }

    const ADD_LIST_A: &str = r#"{"op":"add","path":"/metadata/finalizers","value":["a"]}"#;
    const ADD_LIST_B: &str = r#"{"op":"add","path":"/metadata/finalizers","value":["b"]}"#;
    const ADD_B: &str = r#"{"op":"add","path":"/metadata/finalizers/-","value":"b"}"#;
    const REMOVE_ALL: &str = r#"{"op":"remove","path":"/metadata/finalizers"}"#;
    const REMOVE_0: &str = r#"{"op":"remove","path":"/metadata/finalizers/0"}"#;
    const REMOVE_2: &str = r#"{"op":"remove","path":"/metadata/finalizers/2"}"#;

    #[test]
    fn kwok_unit_test_rows() {
        assert_eq!(ops(&[], spec(&["a"], &[], false)), [ADD_LIST_A]);
        assert_eq!(ops(&["a"], spec(&["a", "b"], &[], false)), [ADD_B]);
        assert_eq!(
            ops(&["a", "b", "c"], spec(&[], &["a", "c"], false)),
            [REMOVE_2, REMOVE_0]
        );
        assert_eq!(ops(&[], spec(&[], &["a"], false)), Vec::<String>::new());
        assert_eq!(ops(&["a"], spec(&[], &[], true)), [REMOVE_ALL]);
        assert_eq!(
            ops(&["a"], spec(&["b"], &[], true)),
            [REMOVE_ALL, ADD_LIST_B]
        );
        assert_eq!(ops(&[], spec(&[], &[], true)), Vec::<String>::new());
        assert_eq!(ops(&[], spec(&["b"], &[], true)), [ADD_LIST_B]);
    }

    #[test]
    fn derived_rows() {
        // Removing every finalizer removes the whole field.
        assert_eq!(ops(&["a"], spec(&[], &["a"], false)), [REMOVE_ALL]);
        // `a` is not re-added: it was in the original list.
        assert_eq!(ops(&["a", "b"], spec(&["a"], &["a"], false)), [REMOVE_0]);
        // Duplicates in `add` are sent twice.
        assert_eq!(ops(&["a"], spec(&["b", "b"], &[], false)), [ADD_B, ADD_B]);
        assert_eq!(
            ops(&[], spec(&["b", "b"], &[], false)),
            [r#"{"op":"add","path":"/metadata/finalizers","value":["b","b"]}"#]
        );
        // Removing a finalizer the object does not carry does nothing.
        assert_eq!(ops(&["a"], spec(&[], &["z"], false)), Vec::<String>::new());
        // Removing all of them and adding one: the whole field is replaced.
        assert_eq!(
            ops(&["a"], spec(&["b"], &["a"], false)),
            [REMOVE_ALL, ADD_LIST_B]
        );
        // Nothing to do at all.
        assert_eq!(ops(&["a"], spec(&[], &[], false)), Vec::<String>::new());
    }

    #[test]
    fn reads_the_object_finalizers() {
        let object = serde_json::json!({"metadata": {"finalizers": ["a", 1, "b"]}});
        assert_eq!(object_finalizers(&object), ["a", "b"]);
        assert!(object_finalizers(&serde_json::json!({})).is_empty());
    }
}
