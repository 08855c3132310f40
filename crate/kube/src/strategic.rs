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

/// [`apply`] of a patch the caller gives up to an object it gives up: both are merged in
/// place of copies.
pub(crate) fn apply_owned(
    original: Map<String, Value>,
    patch: Value,
    fields: &'static [Field],
) -> Result<Value, PatchError> {
    match patch {
        Value::Object(patch) => merge_map(original, patch, Meta::Struct(fields)).map(Value::Object),
        other => apply(&Value::Object(original), &other, fields),
    }
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

    // Where an element ends up depends only on its merge key's first places in the
    // original's order and in the patch's. Both are found once, while the lists are whole,
    // so that the elements then move into the merge without their keys being copied.
    let (mut places, patch_places) = {
        let server_keys: Vec<Option<&Value>> =
            server_order.iter().map(|o| o.get(merge_key)).collect();
        let patch_keys: Vec<Option<&Value>> = patch.iter().map(|p| p.get(merge_key)).collect();
        let first = |keys: &[Option<&Value>], wanted: Option<&Value>| {
            wanted.and_then(|wanted| keys.iter().position(|key| *key == Some(wanted)))
        };
        let places: Vec<Place> = server_keys
            .iter()
            .map(|key| Place {
                server: first(&server_keys, *key),
                patch: first(&patch_keys, *key),
            })
            .collect();
        let patch_places: Vec<Place> = patch_keys
            .iter()
            .map(|key| Place {
                server: first(&server_keys, *key),
                patch: first(&patch_keys, *key),
            })
            .collect();
        (places, patch_places)
    };

    // A patch element merges into the first element with its merge key: the original's
    // first one, else the one an earlier patch element with that key (the same first
    // place in the patch) added.
    let originals = server_order.len();
    let mut merged = server_order;
    for (item, place) in patch.into_iter().zip(patch_places) {
        merge_key_of(&item, merge_key)?;
        let found = place.server.or_else(|| {
            places[originals..]
                .iter()
                .position(|added| added.patch == place.patch)
                .map(|at| originals + at)
        });
        match found {
            Some(i) => {
                let (Value::Object(o), Value::Object(p)) = (&mut merged[i], item) else {
                    continue;
                };
                let o = std::mem::take(o);
                merged[i] = Value::Object(merge_map(o, p, Meta::of(element))?);
            }
            None => {
                merged.push(item);
                places.push(place);
            }
        }
    }
    order_by_places(merged, places, merge_key)
}

/// The first places of an element's merge key in the original's order and in the patch's.
#[derive(Clone, Copy)]
struct Place {
    server: Option<usize>,
    patch: Option<usize>,
}

/// [`partition`] and [`normalize_element_order`] of a merged list of maps, from each
/// element's [`Place`]: the patch's elements in patch order, the original's others in
/// their order, interleaved as [`merge_sorted`] does. Every element must carry the merge
/// key.
fn order_by_places(
    merged: Vec<Value>,
    places: Vec<Place>,
    merge_key: &str,
) -> Result<Vec<Value>, PatchError> {
    for item in &merged {
        merge_key_of(item, merge_key)?;
    }
    let (mut patch_items, mut server_only): (Vec<_>, Vec<_>) = places
        .into_iter()
        .zip(merged)
        .partition(|(place, _)| place.patch.is_some());
    // Stable sorts keep the elements of one place in their order, and absent ones last.
    patch_items.sort_by_key(|(place, _)| place.patch.unwrap_or(usize::MAX));
    server_only.sort_by_key(|(place, _)| place.server.unwrap_or(usize::MAX));

    Ok(interleave(
        server_only,
        patch_items,
        |(l, _), (r, _)| matches!((l.server, r.server), (Some(li), Some(ri)) if li < ri),
        |(_, item)| item,
    ))
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
fn normalize_element_order(
    patch_items: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    key: Option<&str>,
) -> Result<Vec<Value>, PatchError> {
    let patch_items = sort_by_order(patch_items, patch_order, key)?;
    let server_only = sort_by_order(server_only, server_order, key)?;
    Ok(merge_sorted(server_only, patch_items, server_order, key))
}

fn merge_key_of<'a>(item: &'a Value, merge_key: &str) -> Result<&'a Value, PatchError> {
    item.get(merge_key).ok_or_else(|| {
        PatchError::new(format!(
            "map: {} does not contain declared merge key: {merge_key}",
            go_format(item)
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
fn index(order: &[Value], item: &Value, key: Option<&str>) -> Option<usize> {
    match key {
        Some(key) => {
            let wanted = item.get(key)?;
            order.iter().position(|o| o.get(key) == Some(wanted))
        }
        None => order.iter().position(|o| o == item),
    }
}

/// Splits `items` into those present in `list` and the others, keeping their order. Maps
/// must carry the merge key.
fn partition(
    items: Vec<Value>,
    list: &[Value],
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
fn sort_by_order(
    items: Vec<Value>,
    order: &[Value],
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
fn merge_sorted(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    interleave(
        left,
        right,
        |l, r| match (index(server_order, l, key), index(server_order, r, key)) {
            (Some(li), Some(ri)) => li < ri,
            _ => false,
        },
        |item| item,
    )
}

/// The merge of `mergeSortedSlice`: both lists in their order, the next element taken
/// from `left` when `take_left` says so of the two in front and from `right` otherwise;
/// once one list is used up, the rest of the other. `item` gives what the answer holds of
/// an element.
fn interleave<T>(
    left: Vec<T>,
    right: Vec<T>,
    take_left: impl Fn(&T, &T) -> bool,
    item: impl Fn(T) -> Value,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => take_left(l, r),
        };
        let next = if take { left.next() } else { right.next() };
        out.extend(next.map(&item));
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
