//! Kubernetes' strategic merge patch, as the API server applies it (apimachinery
//! `pkg/util/strategicpatch`, `mergeMap`/`mergeSlice` with `IgnoreUnmatchedNulls` and
//! `MergeParallelList` on).
//!
//! Maps merge recursively and `null` deletes a key. A list merges only where the Go field
//! declares `patchStrategy:"merge"`: objects by their merge key, scalars as a set; every
//! other list is replaced whole. Values taken over from the patch lose their `null` entries
//! and `$patch` maps. Directives: `$patch: replace|delete` in maps and list elements,
//! `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`. The
//! order of a merged list follows `normalizeElementOrder`: patch elements in patch order,
//! original-only elements in original order, interleaved by `mergeSortedSlice`.

use serde_json::map::Entry;
use serde_json::{Map, Value};

use crate::patch::{PatchError, json_kind};
use crate::schema::{self, Field, Kind, Strategy};

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
const SET_ELEMENT_ORDER: &str = "$setElementOrder";

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

/// The merge key of a field's list, when the field merges.
fn merge_key(strategy: Strategy) -> Option<&'static str> {
    match strategy {
        Strategy::Merge(key) | Strategy::MergeRetainKeys(key) => Some(key),
        Strategy::Default | Strategy::Replace => None,
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
    merge_map(original, patch.clone(), Meta::Struct(fields)).map(Value::Object)
}

/// [`apply`] to an object the caller gives up, which is merged in place of a copy.
pub(crate) fn apply_owned(
    original: Map<String, Value>,
    patch: &Value,
    fields: &'static [Field],
) -> Result<Value, PatchError> {
    let Value::Object(patch) = patch else {
        return apply(&Value::Object(original), patch, fields);
    };
    merge_map(original, patch.clone(), Meta::Struct(fields)).map(Value::Object)
}

fn merge_map(
    mut original: Map<String, Value>,
    mut patch: Map<String, Value>,
    meta: Meta,
) -> Result<Map<String, Value>, PatchError> {
    if let Some(directive) = patch.get(DIRECTIVE) {
        return match directive.as_str() {
            Some("replace") => {
                patch.remove(DIRECTIVE);
                Ok(patch)
            }
            Some("delete") => Ok(Map::new()),
            _ => Err(bad_patch_type(directive, &Value::Object(patch.clone()))),
        };
    }

    apply_retain_keys(&mut original, &mut patch)?;
    apply_set_element_order(&mut original, &mut patch, meta)?;

    for (key, patch_value) in patch {
        let (key, is_delete_list) = match key.strip_prefix(DELETE_FROM_PRIMITIVE_LIST) {
            Some(rest) => match rest.strip_prefix('/') {
                Some(field) => (field.to_string(), true),
                None => return Err(PatchError::new("invalid patch format of primitive list")),
            },
            None => (key, false),
        };

        if patch_value.is_null() {
            original.remove(&key);
            continue;
        }
        // The key is found once: a value of the patch's type is merged in its place, any
        // other takes the patch's value over.
        let mut slot = match original.entry(key) {
            Entry::Vacant(slot) => {
                if !is_delete_list && let Some(value) = taken_from_patch(patch_value) {
                    slot.insert(value);
                }
                continue;
            }
            Entry::Occupied(slot) => slot,
        };
        if !same_type(slot.get(), &patch_value) {
            if !is_delete_list {
                match taken_from_patch(patch_value) {
                    Some(value) => {
                        slot.insert(value);
                    }
                    None => {
                        slot.remove();
                    }
                }
            }
            continue;
        }

        let (kind, strategy) = meta.field(slot.key());
        // The original's value is merged in place of a copy; the merge puts it back.
        let original_value = std::mem::take(slot.get_mut());
        let merged = match (original_value, patch_value) {
            (Value::Object(o), Value::Object(p)) => match strategy {
                Strategy::Replace => Value::Object(p),
                _ => Value::Object(merge_map(o, p, Meta::of(kind))?),
            },
            (Value::Array(o), Value::Array(p)) => match merge_key(strategy) {
                Some(merge_key) => Value::Array(merge_slice(
                    o,
                    p,
                    element_kind(kind),
                    merge_key,
                    is_delete_list,
                )?),
                None => Value::Array(p),
            },
            (_, scalar) => scalar,
        };
        *slot.get_mut() = merged;
    }
    Ok(original)
}

/// A value the original lacks (or holds with another type) is taken from the patch without
/// its `null` entries and `$patch` maps; a `$patch` map itself is not taken at all (`None`),
/// and the key then goes.
fn taken_from_patch(mut patch_value: Value) -> Option<Value> {
    prune_nulls(&mut patch_value);
    remove_directives(patch_value)
}

/// `$retainKeys`: every key of the patch must be listed, and original keys not listed go.
fn apply_retain_keys(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<(), PatchError> {
    let Some(retain) = patch.remove(RETAIN_KEYS) else {
        return Ok(());
    };
    let bad = || PatchError::new("invalid patch format of retainKeys");
    let Value::Array(retain) = retain else {
        return Err(bad());
    };
    let listed = |key: &str| retain.iter().any(|k| k.as_str() == Some(key));
    for (key, value) in patch.iter() {
        let directive =
            key.starts_with(DELETE_FROM_PRIMITIVE_LIST) || key.starts_with(SET_ELEMENT_ORDER);
        if !value.is_null() && !directive && !listed(key) {
            return Err(bad());
        }
    }
    original.retain(|key, _| listed(key));
    Ok(())
}

/// `$setElementOrder/<field>`: merges that field's list now and orders the result by the
/// directive's list, then the patch, then the original.
fn apply_set_element_order(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
    meta: Meta,
) -> Result<(), PatchError> {
    let keys: Vec<String> = patch
        .keys()
        .filter(|k| k.starts_with(SET_ELEMENT_ORDER))
        .cloned()
        .collect();
    for key in keys {
        let Some(order) = patch.remove(&key) else {
            continue;
        };
        let Value::Array(order) = order else {
            return Err(PatchError::new(format!("expected a list for {key}")));
        };
        let field = key
            .strip_prefix(SET_ELEMENT_ORDER)
            .and_then(|rest| rest.strip_prefix('/'))
            .ok_or_else(|| PatchError::new("invalid patch format of setElementOrder list"))?
            .to_string();

        let original_list = list_at(original, &field)?;
        let patch_list = list_at(patch, &field)?;
        let (kind, strategy) = meta.field(&field);
        let key_name = merge_key(strategy).unwrap_or("");
        if let Some(patch_list) = &patch_list {
            validate_set_order(patch_list, &order, key_name)?;
        }

        let merged = match (&original_list, &patch_list) {
            (Some(o), None) => o.clone(),
            (None, Some(p)) => match remove_directives(Value::Array(p.clone())) {
                Some(Value::Array(list)) => list,
                _ => continue,
            },
            (Some(o), Some(p)) => match merge_key(strategy) {
                Some(merge_key) => {
                    merge_slice(o.clone(), p.clone(), element_kind(kind), merge_key, false)?
                }
                None => p.clone(),
            },
            (None, None) => continue,
        };

        let key_opt = (!key_name.is_empty()).then_some(key_name);
        let (patch_items, server_only) = partition(merged, &order, key_opt)?;
        let server_order = original_list.unwrap_or_default();
        element_type(&server_order, patch_list.as_deref().unwrap_or(&[]))?;
        let ordered =
            normalize_element_order(patch_items, server_only, &order, &server_order, key_opt)?;
        original.insert(field.clone(), Value::Array(ordered));
        patch.remove(&field);
    }
    Ok(())
}

fn list_at(map: &Map<String, Value>, field: &str) -> Result<Option<Vec<Value>>, PatchError> {
    match map.get(field) {
        None => Ok(None),
        Some(Value::Array(list)) => Ok(Some(list.clone())),
        Some(other) => Err(PatchError::new(format!(
            "expected a list for {field}, got {}",
            json_kind(other)
        ))),
    }
}

/// The patch list must keep the relative order of `$setElementOrder`, as a subset of it.
fn validate_set_order(patch_list: &[Value], order: &[Value], key: &str) -> Result<(), PatchError> {
    if patch_list.is_empty() || order.is_empty() {
        return Ok(());
    }
    let kept: Vec<&Value> = patch_list
        .iter()
        .filter(|item| {
            key.is_empty() || item.get(DIRECTIVE).and_then(Value::as_str) != Some("delete")
        })
        .collect();
    let (mut p, mut o) = (0, 0);
    while p < kept.len() && o < order.len() {
        if kept[p].get(DIRECTIVE).is_some() {
            p += 1;
            continue;
        }
        let equal = if key.is_empty() {
            kept[p] == &order[o]
        } else {
            merge_key_of(kept[p], key)? == merge_key_of(&order[o], key)?
        };
        if equal {
            p += 1;
        }
        o += 1;
    }
    if p < kept.len() {
        return Err(PatchError::new(format!(
            "the order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER} list:\n{}",
            go_format(&Value::Array(patch_list.to_vec())),
            go_format(&Value::Array(order.to_vec()))
        )));
    }
    Ok(())
}

fn merge_slice(
    original: Vec<Value>,
    patch: Vec<Value>,
    element: Option<&'static Kind>,
    merge_key: &str,
    is_delete_list: bool,
) -> Result<Vec<Value>, PatchError> {
    if original.is_empty() && patch.is_empty() {
        return Ok(original);
    }
    let maps = element_type(&original, &patch)?.is_object();

    if !maps {
        if is_delete_list {
            return Ok(original
                .into_iter()
                .filter(|item| !patch.contains(item))
                .collect());
        }
        let mut merged: Vec<Value> = Vec::with_capacity(original.len() + patch.len());
        for item in original.iter().chain(&patch) {
            if !merged.contains(item) {
                merged.push(item.clone());
            }
        }
        let (patch_items, server_only) = partition(merged, &patch, None)?;
        return normalize_element_order(patch_items, server_only, &patch, &original, None);
    }

    if merge_key.is_empty() {
        let type_name = match element {
            Some(Kind::Str) => "string",
            Some(Kind::Int) | Some(Kind::Float) => "int",
            Some(Kind::Bool) => "bool",
            _ => "struct",
        };
        return Err(PatchError::new(format!(
            "cannot merge lists without merge key for type {type_name}"
        )));
    }
    let (server_order, patch) = apply_special_elements(original, patch, merge_key)?;

    // Past the merge, both lists are only read for their elements' merge keys, so the
    // elements themselves move into the merge instead of being copied.
    let server_keys = merge_keys(&server_order, merge_key);
    let patch_keys = merge_keys(&patch, merge_key);
    let mut merged = server_order;
    for item in patch {
        let found = {
            let key_value = merge_key_of(&item, merge_key)?;
            merged
                .iter()
                .position(|m| m.get(merge_key) == Some(key_value))
        };
        match found {
            Some(i) => {
                let (Value::Object(o), Value::Object(p)) = (&mut merged[i], item) else {
                    continue;
                };
                let o = std::mem::take(o);
                merged[i] = Value::Object(merge_map(o, p, Meta::of(element))?);
            }
            None => merged.push(item),
        }
    }

    let key = Some(merge_key);
    let (patch_items, server_only) = partition(merged, &patch_keys, key)?;
    normalize_element_order(patch_items, server_only, &patch_keys, &server_keys, key)
}

/// Each element of a list of maps cut down to its merge key's value, which is all that
/// ordering by merge key reads.
fn merge_keys(list: &[Value], merge_key: &str) -> Vec<KeyOnly> {
    list.iter()
        .map(|item| KeyOnly(item.get(merge_key).cloned()))
        .collect()
}

/// An element of an order list, as the ordering helpers read it.
trait Ordered {
    /// The value of its merge key, when it has one.
    fn key_value(&self, key: &str) -> Option<&Value>;
    /// The element itself, which scalar lists are ordered by.
    fn as_item(&self) -> Option<&Value>;
    /// The element as Go prints it, for the error when it lacks the merge key `key`.
    fn shown(&self, key: &str) -> String;
}

impl Ordered for Value {
    fn key_value(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }

    fn as_item(&self) -> Option<&Value> {
        Some(self)
    }

    fn shown(&self, _key: &str) -> String {
        go_format(self)
    }
}

/// An element of a list of maps cut down to the value of its merge key (none when it has
/// none). It stands for the map of that one entry: comparing and copying only the value
/// spares building a map per element.
struct KeyOnly(Option<Value>);

impl Ordered for KeyOnly {
    fn key_value(&self, _key: &str) -> Option<&Value> {
        self.0.as_ref()
    }

    /// Never equal to an element by value: only lists of maps are cut down to their keys,
    /// and those are ordered by key.
    fn as_item(&self) -> Option<&Value> {
        None
    }

    fn shown(&self, key: &str) -> String {
        match &self.0 {
            Some(value) => format!("map[{key}:{}]", go_format(value)),
            None => "map[]".to_string(),
        }
    }
}

/// Handles `$patch` elements of a list of maps: `delete` removes the elements with that
/// merge key, `replace` makes the rest of the patch the whole list. Returns the original
/// to merge into and the patch without the special elements.
fn apply_special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    let mut rest = Vec::with_capacity(patch.len());
    let mut replace = false;
    for item in patch {
        let Some(directive) = item.get(DIRECTIVE) else {
            rest.push(item);
            continue;
        };
        match directive.as_str() {
            Some("delete") => {
                let key_value = merge_key_of(&item, merge_key)?.clone();
                original.retain(|o| o.get(merge_key) != Some(&key_value));
            }
            Some("replace") => replace = true,
            Some("merge") => {
                return Err(PatchError::new(
                    "merging lists cannot yet be specified in the patch",
                ));
            }
            _ => return Err(bad_patch_type(directive, &item)),
        }
    }
    if replace {
        Ok((rest, Vec::new()))
    } else {
        Ok((original, rest))
    }
}

/// `normalizeElementOrder`: each part sorted by its own order, then interleaved.
fn normalize_element_order<P: Ordered, S: Ordered>(
    patch_items: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[P],
    server_order: &[S],
    key: Option<&str>,
) -> Result<Vec<Value>, PatchError> {
    let patch_items = sort_by_order(patch_items, patch_order, key)?;
    let server_only = sort_by_order(server_only, server_order, key)?;
    Ok(merge_sorted(server_only, patch_items, server_order, key))
}

fn merge_key_of<'a, T: Ordered>(item: &'a T, merge_key: &str) -> Result<&'a Value, PatchError> {
    item.key_value(merge_key).ok_or_else(|| {
        PatchError::new(format!(
            "map: {} does not contain declared merge key: {merge_key}",
            item.shown(merge_key)
        ))
    })
}

/// `sliceElementType`: all elements of both lists must have one JSON type, not a list.
/// Returns an element of that type.
fn element_type<'a>(original: &'a [Value], patch: &'a [Value]) -> Result<&'a Value, PatchError> {
    let mut first: Option<&Value> = None;
    for item in original.iter().chain(patch) {
        match first {
            None => {
                if item.is_array() {
                    return Err(PatchError::new("lists of lists are not supported"));
                }
                first = Some(item);
            }
            Some(f) if !same_type(f, item) => {
                return Err(PatchError::new(format!(
                    "list element types are not identical: [{} {}]",
                    go_format(&Value::Array(original.to_vec())),
                    go_format(&Value::Array(patch.to_vec()))
                )));
            }
            Some(_) => {}
        }
    }
    first.ok_or_else(|| PatchError::new("no elements in any of the given slices"))
}

/// Position of `item` in `order`: by merge key for maps, by value for scalars.
fn index<T: Ordered>(order: &[T], item: &Value, key: Option<&str>) -> Option<usize> {
    match key {
        Some(key) => {
            let wanted = item.get(key)?;
            order.iter().position(|o| o.key_value(key) == Some(wanted))
        }
        None => order.iter().position(|o| o.as_item() == Some(item)),
    }
}

/// Splits `items` into those present in `list` and the others, keeping their order. Maps
/// must carry the merge key.
fn partition<T: Ordered>(
    items: Vec<Value>,
    list: &[T],
    key: Option<&str>,
) -> Result<(Vec<Value>, Vec<Value>), PatchError> {
    if let Some(key) = key {
        for item in &items {
            merge_key_of(item, key)?;
        }
    }
    Ok(items
        .into_iter()
        .partition(|item| index(list, item, key).is_some()))
}

/// Stable sort of `items` by their position in `order`; items not in it go last.
fn sort_by_order<T: Ordered>(
    items: Vec<Value>,
    order: &[T],
    key: Option<&str>,
) -> Result<Vec<Value>, PatchError> {
    if let Some(key) = key {
        for item in order {
            merge_key_of(item, key)?;
        }
        for item in &items {
            merge_key_of(item, key)?;
        }
    }
    // Each item's position is found once; a stable sort on it keeps the items of equal
    // position, and the absent ones at the end, in their order.
    let mut placed: Vec<(usize, Value)> = items
        .into_iter()
        .map(|item| (index(order, &item, key).unwrap_or(usize::MAX), item))
        .collect();
    placed.sort_by_key(|&(at, _)| at);
    Ok(placed.into_iter().map(|(_, item)| item).collect())
}

/// `mergeSortedSlice`: an original-only element goes first only when it and the next patch
/// element were both in the original and it came earlier there.
fn merge_sorted<T: Ordered>(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[T],
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

/// `discardNullValuesFromPatch`: `null` map entries go, at every depth.
fn prune_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(prune_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(prune_nulls),
        _ => {}
    }
}

/// `removeDirectives`: maps holding `$patch` are dropped (the value itself, a map entry or
/// a list element); `None` when the value itself is one.
fn remove_directives(mut value: Value) -> Option<Value> {
    keep_without_directives(&mut value).then_some(value)
}

/// Removes the `$patch` maps inside `value`, in place; `false` when `value` is one itself.
fn keep_without_directives(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            if map.contains_key(DIRECTIVE) {
                return false;
            }
            map.retain(|_, v| keep_without_directives(v));
            true
        }
        Value::Array(items) => {
            items.retain_mut(keep_without_directives);
            true
        }
        _ => true,
    }
}

/// Go compares `reflect.TypeOf` of the decoded values: all numbers are `float64`.
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn bad_patch_type(directive: &Value, map: &Value) -> PatchError {
    let directive = match directive {
        Value::String(s) => s.clone(),
        other => go_format(other),
    };
    PatchError::new(format!(
        "unknown patch type: {directive} in map: {}",
        go_format(map)
    ))
}

/// A decoded JSON value as Go's `%v` prints it (`map[a:1 b:[x y]]`), for error texts.
pub(crate) fn go_format(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_float(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_format).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            // Go prints a map's keys sorted by their bytes. A `serde_json::Map` is a
            // `BTreeMap` here (serde_json's `preserve_order` is off), so it iterates in that
            // order already; `object_keys_iterate_in_byte_order` holds it to that.
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_format(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` of a `float64`: the shortest digits, in exponent form when the decimal
/// exponent is below -4 or 6 and above (`1e+06`, `1.234567e+06`, `1e-05`).
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        return format!("{f}");
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_formatting() {
        let cases = [
            (json!({"b": 1, "a": "x"}), "map[a:x b:1]"),
            (json!({"status": "True"}), "map[status:True]"),
            (json!([1, "y", null, true]), "[1 y <nil> true]"),
            (json!(1.5), "1.5"),
            (json!(100000), "100000"),
            (json!(1000000), "1e+06"),
            (json!(1234567), "1.234567e+06"),
            (json!(0.0001), "0.0001"),
            (json!(0.00001), "1e-05"),
            (json!(-2), "-2"),
        ];
        for (value, want) in cases {
            assert_eq!(go_format(&value), want, "{value}");
        }
    }

    #[test]
    fn object_keys_iterate_in_byte_order() {
        // Inserted out of order, with keys whose byte order differs from a case-blind or
        // length-first order, and one beyond ASCII.
        let keys = ["b", "a-b", "B", "aa", "a", "é", "Z", "ab", "a_b", "10", "9"];
        let mut map = serde_json::Map::new();
        for (n, key) in keys.iter().enumerate() {
            map.insert(key.to_string(), json!(n));
        }
        let iterated: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut sorted = keys.to_vec();
        sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        assert_eq!(iterated, sorted);
        let value = Value::Object(map);
        assert_eq!(
            go_format(&value),
            "map[10:9 9:10 B:2 Z:6 a:4 a-b:1 a_b:8 aa:3 ab:7 b:0 é:5]"
        );
    }
}
