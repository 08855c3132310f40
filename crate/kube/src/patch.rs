//! The three patch types kwok sends: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
//! Kubernetes' strategic merge patch with the merge keys of the Pod and Node types.
//!
//! JSON patch comes from the `json-patch` crate, which behaves like the evanphx/json-patch
//! library the API server uses for everything kwok sends (ops in order, a failing op fails
//! the request, `-` appends). The merge patch is written here to follow evanphx/json-patch
//! v4 exactly, including where it differs from RFC 7386: `null` elements are dropped from
//! lists taken over from the patch. The strategic merge patch lives in `strategic`. For
//! Pods and Nodes the result is re-encoded through the Go struct, as the API server
//! decodes every patched object into it.
//!
//! A patch that names only `status` ([`names_only_status`]) can be merged into the status
//! alone ([`apply_to_status`], or [`apply_to_status_owned`] for a patch the caller gives
//! up): the rest of the object cannot change, so it is neither copied nor encoded again.

use std::borrow::Cow;
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
    let fields = typed::schema_of_object(original);

    let patched = match patch_type {
        PatchType::Json => apply_json_patch(original, patch)?,
        PatchType::Merge => merge_patch(original.clone(), patch)?,
        PatchType::Strategic => match fields {
            Some(fields) => strategic::apply(original, patch, fields)?,
            None => return Err(PatchError::new(STRATEGIC_UNSUPPORTED)),
        },
    };

    if fields.is_some() {
        typed::try_normalize_owned(patched).map_err(|e| PatchError::new(e.to_string()))
    } else {
        Ok(patched)
    }
}

/// [`apply`] on an object that is already in its stored encoding (a version the store
/// handed out). The answer is the same; a merge or strategic merge patch only has the
/// fields it names encoded again, as the others are the original's.
pub fn apply_to_stored(
    original: &Value,
    patch: &Value,
    patch_type: PatchType,
) -> Result<Value, PatchError> {
    let fields = typed::schema_of_object(original);

    let patched = match (patch_type, fields) {
        (PatchType::Merge, Some(_)) => merge_patch(original.clone(), patch)?,
        (PatchType::Strategic, Some(fields)) => strategic::apply(original, patch, fields)?,
        _ => return apply(original, patch, patch_type),
    };
    typed::try_normalize_patched(original, patched, patch)
        .map_err(|e| PatchError::new(e.to_string()))
}

/// Whether a merge or strategic merge patch names nothing but `status`. Applied to an
/// object, such a patch leaves every other field as it was.
pub fn names_only_status(patch_type: PatchType, patch: &Value) -> bool {
    matches!(patch_type, PatchType::Merge | PatchType::Strategic)
        && patch
            .as_object()
            .is_some_and(|map| map.len() == 1 && map.contains_key("status"))
}

/// The `status` of [`apply_to_stored`]'s answer (`None` when it has none), with the same
/// errors. For a patch that [names only the status](names_only_status), only the status is
/// copied and merged, not the whole object.
pub fn apply_to_status(
    original: &Value,
    patch: &Value,
    patch_type: PatchType,
) -> Result<Option<Value>, PatchError> {
    if !names_only_status(patch_type, patch) {
        let mut patched = apply_to_stored(original, patch, patch_type)?;
        return Ok(patched.get_mut("status").map(Value::take));
    }
    status_alone(original, Cow::Borrowed(patch), patch_type)
}

/// [`apply_to_status`] of a patch the caller gives up: one that names only the status is
/// merged into it by value instead of being copied for the merge.
pub fn apply_to_status_owned(
    original: &Value,
    patch: Value,
    patch_type: PatchType,
) -> Result<Option<Value>, PatchError> {
    if !names_only_status(patch_type, &patch) {
        return apply_to_status(original, &patch, patch_type);
    }
    status_alone(original, Cow::Owned(patch), patch_type)
}

fn status_alone(
    original: &Value,
    patch: Cow<'_, Value>,
    patch_type: PatchType,
) -> Result<Option<Value>, PatchError> {
    // What the patch names is read before a strategic merge consumes it; the kind's struct
    // table comes with it.
    let named = typed::named(original, &patch);
    let fields = named.fields();

    // The original cut down to its status: merging into this part does to the status what
    // merging into the whole object does, and the whole answer's other fields are the
    // original's.
    let mut part = serde_json::Map::new();
    if let Some(status) = original.get("status") {
        part.insert("status".to_string(), status.clone());
    }
    let mut part = match fields {
        Some(fields) if patch_type == PatchType::Strategic => {
            strategic::apply_owned(part, patch.into_owned(), fields)?
        }
        None if patch_type == PatchType::Strategic => {
            return Err(PatchError::new(STRATEGIC_UNSUPPORTED));
        }
        _ => merge_patch(Value::Object(part), &patch)?,
    };
    typed::try_normalize_part(original, &mut part, &named)
        .map_err(|e| PatchError::new(e.to_string()))?;
    Ok(match part {
        Value::Object(mut part) => part.remove("status"),
        _ => None,
    })
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

/// `jsonpatch.MergePatch` (evanphx/json-patch v4) on a document that is an object; the
/// document is merged in place.
fn merge_patch(original: Value, patch: &Value) -> Result<Value, PatchError> {
    match (original, patch) {
        (_, Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) => {
            Err(PatchError::new("Invalid JSON Patch"))
        }
        // A list patch is not merged but becomes the document.
        (_, Value::Array(_)) => Ok(without_nulls(patch)),
        (Value::Object(doc), Value::Object(patch)) => Ok(Value::Object(merge_docs(doc, patch))),
        (_, Value::Object(_)) => Ok(without_nulls(patch)),
    }
}

fn merge_docs(
    mut doc: serde_json::Map<String, Value>,
    patch: &serde_json::Map<String, Value>,
) -> serde_json::Map<String, Value> {
    for (key, value) in patch {
        if value.is_null() {
            doc.remove(key);
            continue;
        }
        let merged = match doc.get(key) {
            None | Some(Value::Null) => without_nulls(value),
            Some(Value::Object(current)) => match value {
                Value::Object(value) => Value::Object(merge_docs(current.clone(), value)),
                // evanphx takes a non-object patch value over an object as it is.
                other => other.clone(),
            },
            Some(_) => without_nulls(value),
        };
        doc.insert(key.clone(), merged);
    }
    doc
}

/// evanphx's `pruneNulls`: `null` map entries and `null` list elements go, at every depth.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            // Collected into a `Vec` first: a map collected straight from this iterator links
            // a sort made for it alone, while the `Vec`'s sort is shared.
            let kept: Vec<(String, Value)> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect();
            Value::Object(kept.into_iter().collect())
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other.clone(),
    }
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
