//! The three patch types kwok sends: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
//! Kubernetes' strategic merge patch with the merge keys of the Pod and Node types.
//!
//! JSON patch and merge patch come from the `json-patch` crate, which behaves like the
//! evanphx/json-patch library the API server uses for everything kwok sends (failing ops
//! fail the request, `-` appends, `null` in a merge patch deletes). The strategic merge
//! patch lives in `strategic`. For Pods and Nodes the result is re-encoded through the Go
//! struct, as the API server decodes every patched object into it.

use std::fmt;

use serde_json::Value;

use crate::strategic;
use crate::typed;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Json,
    Merge,
    Strategic,
}

impl PatchType {
    /// The request's content type, as kwok's output shows it.
    pub fn mime(self) -> &'static str {
        match self {
            PatchType::Json => "application/json-patch+json",
            PatchType::Merge => "application/merge-patch+json",
            PatchType::Strategic => "application/strategic-merge-patch+json",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PatchError {
    pub message: String,
}

impl PatchError {
    pub(crate) fn new(message: impl Into<String>) -> PatchError {
        PatchError {
            message: message.into(),
        }
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchError {}

/// What the API server answers when a strategic merge patch targets a kind without Go
/// struct tags (custom resources and everything this crate has no schema for).
pub const STRATEGIC_UNSUPPORTED: &str = "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

/// Applies `patch` to `original`. Strategic merge uses the merge keys of the object's kind
/// (Pods and Nodes; other kinds are rejected, as the API server rejects them for custom
/// resources). Pods and Nodes come back in their typed encoding.
pub fn apply(original: &Value, patch: &Value, patch_type: PatchType) -> Result<Value, PatchError> {
    let api_version = original
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = original.get("kind").and_then(Value::as_str).unwrap_or("");

    let patched = match patch_type {
        PatchType::Json => apply_json_patch(original, patch)?,
        PatchType::Merge => {
            let mut doc = original.clone();
            json_patch::merge(&mut doc, patch);
            doc
        }
        PatchType::Strategic => match typed::schema_of(api_version, kind) {
            Some(fields) => strategic::apply(original, patch, fields)?,
            None => return Err(PatchError::new(STRATEGIC_UNSUPPORTED)),
        },
    };

    if typed::is_typed(api_version, kind) {
        typed::try_normalize(&patched).map_err(|e| PatchError::new(e.to_string()))
    } else {
        Ok(patched)
    }
}

fn apply_json_patch(original: &Value, patch: &Value) -> Result<Value, PatchError> {
    if !patch.is_array() {
        return Err(PatchError::new(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
            json_kind(patch)
        )));
    }
    let ops: json_patch::Patch = serde_json::from_value(patch.clone())
        .map_err(|e| PatchError::new(format!("invalid JSON patch: {e}")))?;
    let mut doc = original.clone();
    json_patch::patch(&mut doc, &ops).map_err(|e| PatchError::new(e.to_string()))?;
    Ok(doc)
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
