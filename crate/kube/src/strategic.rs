//! Kubernetes' strategic merge patch, as the API server applies it (apimachinery
//! `pkg/util/strategicpatch`, `mergeMap`/`mergeSlice` with `IgnoreUnmatchedNulls` and
//! `MergeParallelList`).
//!
//! Maps merge recursively and `null` deletes a key. A list merges only where the Go field
//! declares `patchStrategy:"merge"`: objects by their merge key, scalars as a set; every
//! other list is replaced whole. Directives: `$patch: replace|delete` in maps and list
//! elements, `$retainKeys`, `$deleteFromPrimitiveList/<field>`. The order of a merged list
//! follows `normalizeElementOrder`: patch elements in patch order, original-only elements
//! in original order, interleaved by `mergeSortedSlice`.

use serde_json::{Map, Value};

use crate::patch::{PatchError, json_kind};
use crate::schema::{self, Field, Kind, Strategy};

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList/";
const SET_ELEMENT_ORDER: &str = "$setElementOrder/";

/// What is known about the type of the value being merged.
#[derive(Clone, Copy)]
enum Meta {
    Struct(&'static [Field]),
    MapOf(&'static Kind),
    Unknown,
}

impl Meta {
    fn of(kind: Option<&'static Kind>) -> Meta {
        match kind {
            Some(Kind::Struct(fields)) => Meta::Struct(fields),
            Some(Kind::Ptr(inner)) => Meta::of(Some(inner)),
            Some(Kind::Map(inner)) => Meta::MapOf(inner),
            _ => Meta::Unknown,
        }
    }

    /// The kind and patch strategy of the value under `key`.
    fn field(self, key: &str) -> (Option<&'static Kind>, Strategy) {
        match self {
            Meta::Struct(fields) => match schema::lookup(fields, key) {
                Some(field) => (Some(&field.kind), field.strategy),
                None => (None, Strategy::Default),
            },
            Meta::MapOf(kind) => (Some(kind), Strategy::Default),
            Meta::Unknown => (None, Strategy::Default),
        }
    }
}

fn element_kind(kind: Option<&'static Kind>) -> Option<&'static Kind> {
    match kind {
        Some(Kind::Slice(inner)) => Some(inner),
        Some(Kind::Ptr(inner)) => element_kind(Some(inner)),
        _ => None,
    }
}

/// Applies a strategic merge patch to an object of the struct `fields`.
pub(crate) fn apply(
    original: &Value,
    patch: &Value,
    fields: &'static [Field],
) -> Result<Value, PatchError> {
    let Value::Object(patch) = patch else {
        return Err(PatchError::new(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(patch)
        )));
    };
    let original = match original {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    merge_map(original, patch, Meta::Struct(fields), false).map(Value::Object)
}

fn merge_map(
    mut original: Map<String, Value>,
    patch: &Map<String, Value>,
    meta: Meta,
    retain_keys: bool,
) -> Result<Map<String, Value>, PatchError> {
    if let Some(directive) = patch.get(DIRECTIVE) {
        return match directive.as_str() {
            Some("replace") => {
                let mut replaced = patch.clone();
                replaced.remove(DIRECTIVE);
                Ok(replaced)
            }
            Some("delete") => Ok(Map::new()),
            _ => Err(PatchError::new(format!(
                "unknown patch type: {directive} in map: {}",
                Value::Object(patch.clone())
            ))),
        };
    }

    if retain_keys && let Some(keep) = patch.get(RETAIN_KEYS) {
        let Value::Array(keep) = keep else {
            return Err(PatchError::new("$retainKeys must be a list of strings"));
        };
        original.retain(|key, _| keep.iter().any(|k| k.as_str() == Some(key.as_str())));
    }

    for (key, patch_value) in patch {
        if key == RETAIN_KEYS || key.starts_with(SET_ELEMENT_ORDER) {
            // FIXME: `$setElementOrder` is dropped instead of reordering the list it names;
            // the API server sorts the merged list by it. kwok never sends it.
            continue;
        }
        if let Some(field) = key.strip_prefix(DELETE_FROM_PRIMITIVE_LIST) {
            delete_from_primitive_list(&mut original, field, patch_value)?;
            continue;
        }

        if patch_value.is_null() {
            original.remove(key);
            continue;
        }
        let Some(original_value) = original.get(key) else {
            original.insert(key.clone(), without_nulls(patch_value));
            continue;
        };

        let (kind, strategy) = meta.field(key);
        let merged = match (original_value, patch_value) {
            (Value::Object(o), Value::Object(p)) => match strategy {
                Strategy::Replace => patch_value.clone(),
                _ => Value::Object(merge_map(
                    o.clone(),
                    p,
                    Meta::of(kind),
                    matches!(strategy, Strategy::MergeRetainKeys(_)),
                )?),
            },
            (Value::Array(o), Value::Array(p)) => match strategy {
                Strategy::Merge(merge_key) | Strategy::MergeRetainKeys(merge_key) => Value::Array(
                    merge_slice(o.clone(), p, element_kind(kind), merge_key, key)?,
                ),
                _ => patch_value.clone(),
            },
            (o, p) if same_type(o, p) => patch_value.clone(),
            _ => without_nulls(patch_value),
        };
        original.insert(key.clone(), merged);
    }
    Ok(original)
}

fn delete_from_primitive_list(
    original: &mut Map<String, Value>,
    field: &str,
    values: &Value,
) -> Result<(), PatchError> {
    let Some(existing) = original.get_mut(field) else {
        return Ok(());
    };
    let (Value::Array(list), Value::Array(remove)) = (existing, values) else {
        return Err(PatchError::new(format!(
            "{DELETE_FROM_PRIMITIVE_LIST}{field} must name a list and give a list"
        )));
    };
    list.retain(|item| !remove.contains(item));
    Ok(())
}

fn merge_slice(
    original: Vec<Value>,
    patch: &[Value],
    element: Option<&'static Kind>,
    merge_key: &str,
    field: &str,
) -> Result<Vec<Value>, PatchError> {
    if original.is_empty() && patch.is_empty() {
        return Ok(original);
    }
    let maps = elements_are_maps(&original, patch, field)?;

    if !maps {
        let mut merged: Vec<Value> = Vec::with_capacity(original.len() + patch.len());
        for item in original.iter().chain(patch) {
            if !merged.contains(item) {
                merged.push(item.clone());
            }
        }
        let (patch_items, server_only) = partition(&merged, patch, None);
        let patch_items = sort_by_order(patch_items, patch, None);
        let server_only = sort_by_order(server_only, &original, None);
        return Ok(merge_sorted(server_only, patch_items, &original, None));
    }

    if merge_key.is_empty() {
        return Err(PatchError::new(format!(
            "cannot merge lists without merge key for {field}"
        )));
    }
    let (server_order, patch) = apply_special_elements(original, patch, merge_key)?;

    let mut merged = server_order.clone();
    for item in &patch {
        let key_value = merge_key_of(item, merge_key)?;
        let found = merged
            .iter()
            .position(|m| m.get(merge_key) == Some(key_value));
        match found {
            Some(i) => {
                let (Value::Object(o), Value::Object(p)) = (&merged[i], item) else {
                    continue;
                };
                merged[i] = Value::Object(merge_map(o.clone(), p, Meta::of(element), false)?);
            }
            None => merged.push(item.clone()),
        }
    }

    for item in server_order.iter().chain(&merged) {
        merge_key_of(item, merge_key)?;
    }
    let key = Some(merge_key);
    let (patch_items, server_only) = partition(&merged, &patch, key);
    let patch_items = sort_by_order(patch_items, &patch, key);
    let server_only = sort_by_order(server_only, &server_order, key);
    Ok(merge_sorted(server_only, patch_items, &server_order, key))
}

/// Handles `$patch` elements of a list of maps: `delete` removes the elements with that
/// merge key, `replace` makes the rest of the patch the whole list. Returns the original
/// to merge into and the patch without the special elements.
fn apply_special_elements(
    mut original: Vec<Value>,
    patch: &[Value],
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let mut rest = Vec::with_capacity(patch.len());
    let mut replace = false;
    for item in patch {
        let Some(directive) = item.get(DIRECTIVE) else {
            rest.push(item.clone());
            continue;
        };
        match directive.as_str() {
            Some("delete") => {
                let key_value = merge_key_of(item, merge_key)?.clone();
                original.retain(|o| o.get(merge_key) != Some(&key_value));
            }
            Some("replace") => replace = true,
            Some("merge") => {
                return Err(PatchError::new(
                    "merging lists cannot yet be specified in the patch",
                ));
            }
            _ => {
                return Err(PatchError::new(format!(
                    "unknown patch type: {directive} in map: {item}"
                )));
            }
        }
    }
    if replace {
        Ok((rest, Vec::new()))
    } else {
        Ok((original, rest))
    }
}

fn merge_key_of<'a>(item: &'a Value, merge_key: &str) -> Result<&'a Value, PatchError> {
    item.get(merge_key).ok_or_else(|| {
        PatchError::new(format!(
            "map: {item} does not contain declared merge key: {merge_key}"
        ))
    })
}

/// All elements must be maps or all scalars, as `sliceElementType` demands.
fn elements_are_maps(original: &[Value], patch: &[Value], field: &str) -> Result<bool, PatchError> {
    let mut maps = None;
    for item in original.iter().chain(patch) {
        if item.is_array() {
            return Err(PatchError::new(format!(
                "cannot merge lists of lists for {field}"
            )));
        }
        let is_map = item.is_object();
        match maps {
            None => maps = Some(is_map),
            Some(m) if m != is_map => {
                return Err(PatchError::new(format!(
                    "the elements of {field} are of different types"
                )));
            }
            _ => {}
        }
    }
    Ok(maps.unwrap_or(false))
}

/// Position of `item` in `order`: by merge key for maps, by value for scalars.
fn index(order: &[Value], item: &Value, key: Option<&str>) -> Option<usize> {
    match key {
        Some(key) => {
            let wanted = item.get(key)?;
            order.iter().position(|o| o.get(key) == Some(wanted))
        }
        None => order.iter().position(|o| o == item),
    }
}

/// Splits `items` into those present in `list` and the others, keeping their order.
fn partition(items: &[Value], list: &[Value], key: Option<&str>) -> (Vec<Value>, Vec<Value>) {
    items
        .iter()
        .cloned()
        .partition(|item| index(list, item, key).is_some())
}

/// Stable sort of `items` by their position in `order`; items not in it go last.
fn sort_by_order(items: Vec<Value>, order: &[Value], key: Option<&str>) -> Vec<Value> {
    let (mut present, absent) = partition(&items, order, key);
    present.sort_by_key(|item| index(order, item, key));
    present.extend(absent);
    present
}

/// `mergeSortedSlice`: an original-only element goes first only when it and the next patch
/// element were both in the original and it came earlier there.
fn merge_sorted(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                match (index(server_order, l, key), index(server_order, r, key)) {
                    (Some(li), Some(ri)) => li < ri,
                    _ => false,
                }
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

/// A value taken from the patch where the original has none, without its `null` map
/// entries (`discardNullValuesFromPatch`).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Go compares `reflect.TypeOf` of the decoded values: all numbers are `float64`.
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}
