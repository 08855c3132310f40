//! Pods and Nodes as Go's `corev1` structs encode them.
//!
//! The API server and kwok's typed controllers hold Pods and Nodes as Go structs, so what
//! a selector or template sees is the struct's JSON: unknown fields dropped, `omitempty`
//! fields gone when empty, non-pointer structs always present (`resources: {}`), zero
//! times as `null`, timestamps to the second, quantities canonical.
//!
//! The encoding is a decode into the struct followed by an encode, done in one walk over
//! the field tables of `schema`. Other kinds are not touched.

use std::fmt;

use serde_json::{Map, Value};

use crate::quantity;
use crate::schema::{self, Field, Kind};
use crate::time;

/// A value the Go struct cannot hold, as `encoding/json` would report it.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedError {
    /// Dotted path of the field, such as `spec.containers[0].name`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for TypedError {}

/// Whether objects of this apiVersion and kind are held as typed structs.
pub fn is_typed(api_version: &str, kind: &str) -> bool {
    schema_of(api_version, kind).is_some()
}

/// The struct table of a typed kind.
pub fn schema_of(api_version: &str, kind: &str) -> Option<&'static [Field]> {
    match (api_version, kind) {
        ("v1", "Pod") => Some(schema::POD),
        ("v1", "Node") => Some(schema::NODE),
        _ => None,
    }
}

/// The struct table of an object's kind, from its `apiVersion` and `kind`.
pub fn schema_of_object(object: &Value) -> Option<&'static [Field]> {
    let (api_version, kind) = type_of(object);
    schema_of(api_version, kind)
}

/// Re-encodes a Pod or Node through its Go struct shape; other kinds come back unchanged.
/// A value the struct cannot hold leaves the object as it was; use `try_normalize` to see
/// the error.
pub fn normalize(object: &Value) -> Value {
    try_normalize(object).unwrap_or_else(|_| object.clone())
}

/// Like `normalize`, but reports values the Go struct would refuse to decode.
pub fn try_normalize(object: &Value) -> Result<Value, TypedError> {
    try_normalize_owned(object.clone())
}

/// [`try_normalize`] of an object the caller gives up: it is encoded in place, so that the
/// parts already in their encoding are kept rather than built again.
pub fn try_normalize_owned(mut object: Value) -> Result<Value, TypedError> {
    if let Some(fields) = schema_of_object(&object) {
        encode_struct(fields, &mut object, &Path::Root)?;
    }
    Ok(object)
}

/// Re-encodes `patched`, the result of a merge or strategic merge `patch` on `original`,
/// where `original` is already in its stored encoding (it came from the store). Only the
/// fields the patch names are encoded again; every other field equals the original's and
/// so already has its encoding. A patch with directives (`$patch`, `$retainKeys`, ...) at
/// some level, which can change fields it does not name, has that level encoded whole.
/// The result is the same as [`try_normalize`] of `patched`.
pub fn try_normalize_patched(
    original: &Value,
    patched: Value,
    patch: &Value,
) -> Result<Value, TypedError> {
    let (api_version, kind) = type_of(&patched);
    let Some(fields) = schema_of(api_version, kind) else {
        return Ok(patched);
    };
    if type_of(original) != (api_version, kind) {
        return try_normalize_owned(patched);
    }
    let mut patched = patched;
    reencode_named(fields, original, &mut patched, patch, &Path::Root)?;
    Ok(patched)
}

/// The fields a merge or strategic merge patch names, level by level, as re-encoding the
/// patched object reads them (see [`try_normalize_patched`]). Taken before a merge that
/// consumes the patch, so that the merge need not copy it.
pub struct Named {
    /// The struct table of the original's kind; `None` when the kind is held untyped.
    fields: Option<&'static [Field]>,
    level: Level,
}

impl Named {
    /// The struct table of the original's kind, found once for the whole merge.
    pub fn fields(&self) -> Option<&'static [Field]> {
        self.fields
    }
}

enum Level {
    /// The patch is no map here, or holds directives (`$patch`, `$retainKeys`, ...) that
    /// may change fields it does not name: the level is encoded whole.
    Whole,
    Fields(Vec<NamedField>),
}

struct NamedField {
    /// The struct's field, or the key when the struct has no such field.
    field: Result<&'static Field, String>,
    /// What the patch names inside the field, when the field is a struct and the patch
    /// holds a map for it.
    inner: Option<Level>,
}

/// What `patch` names in an object of `original`'s kind.
pub fn named(original: &Value, patch: &Value) -> Named {
    let fields = schema_of_object(original);
    Named {
        fields,
        level: fields.map_or(Level::Whole, |fields| level(fields, patch)),
    }
}

fn level(fields: &'static [Field], patch: &Value) -> Level {
    let Value::Object(names) = patch else {
        return Level::Whole;
    };
    if names.keys().any(|key| key.starts_with('$')) {
        return Level::Whole;
    }
    let named = names
        .iter()
        .map(|(key, part)| match find_field(fields, key) {
            Some(field) => NamedField {
                field: Ok(field),
                inner: struct_fields(field)
                    .filter(|_| part.is_object())
                    .map(|inner| level(inner, part)),
            },
            None => NamedField {
                field: Err(key.clone()),
                inner: None,
            },
        })
        .collect();
    Level::Fields(named)
}

fn struct_fields(field: &Field) -> Option<&'static [Field]> {
    match field.kind {
        Kind::Struct(inner) => Some(inner),
        Kind::Ptr(Kind::Struct(inner)) => Some(*inner),
        _ => None,
    }
}

/// [`try_normalize_patched`] of a part of the answer: `part` holds only some top-level
/// fields of the patched object, among them every field the patch names (`named`), and is
/// re-encoded as those fields are in the whole answer. `original` is the whole original,
/// and `named` was taken from it, which gives the kind.
pub fn try_normalize_part(
    original: &Value,
    part: &mut Value,
    named: &Named,
) -> Result<(), TypedError> {
    let Some(fields) = named.fields else {
        return Ok(());
    };
    reencode_level(fields, original, part, &named.level, &Path::Root)
}

fn type_of(object: &Value) -> (&str, &str) {
    let text = |field: &str| object.get(field).and_then(Value::as_str).unwrap_or("");
    (text("apiVersion"), text("kind"))
}

/// Encodes, in place, the fields of the struct `patched` that `patch` names; see
/// [`try_normalize_patched`].
fn reencode_named(
    fields: &'static [Field],
    original: &Value,
    patched: &mut Value,
    patch: &Value,
    path: &Path<'_>,
) -> Result<(), TypedError> {
    reencode_level(fields, original, patched, &level(fields, patch), path)
}

/// Encodes, in place, the fields of the struct `patched` that a patch names at this level.
fn reencode_level(
    fields: &'static [Field],
    original: &Value,
    patched: &mut Value,
    level: &Level,
    path: &Path<'_>,
) -> Result<(), TypedError> {
    let (Level::Fields(named), Value::Object(_), Value::Object(out)) =
        (level, original, &mut *patched)
    else {
        return encode_struct(fields, patched, path);
    };
    for named in named {
        let field = match &named.field {
            Ok(field) => field,
            // The struct has no such field: decoding drops it.
            Err(key) => {
                out.remove(key);
                continue;
            }
        };
        let here = Path::Field(path, field.json);
        match (
            struct_fields(field),
            &named.inner,
            original.get(field.json),
            out.get_mut(field.json),
        ) {
            (
                Some(inner),
                Some(level),
                Some(before @ Value::Object(_)),
                Some(after @ Value::Object(_)),
            ) => {
                reencode_level(inner, before, after, level, &here)?;
            }
            _ => {
                encode_entry(field, out, &here)?;
            }
        }
    }
    Ok(())
}

/// The field of a struct (or of a struct inlined in it) with this JSON name.
fn find_field(fields: &'static [Field], json: &str) -> Option<&'static Field> {
    fields.iter().find_map(|field| match field.kind {
        Kind::Struct(inner) if field.is_inline() => find_field(inner, json),
        _ => (field.json == json).then_some(field),
    })
}

/// Where a value sits in the object, kept as a chain of borrowed steps so that the dotted
/// text is only built when an error needs it; normalisation runs on every write.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, key) => f.write_str(key),
            Path::Field(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Encodes `value` in place as a field of `kind`, where `null` stands for an absent field
/// as well (Go leaves the field at its zero value for both). Returns whether the result is
/// Go's "empty" value for `omitempty`. On an error the value is left half encoded.
fn encode(kind: &Kind, value: &mut Value, path: &Path<'_>) -> Result<bool, TypedError> {
    match kind {
        Kind::Str => match value {
            Value::Null => {
                *value = Value::String(String::new());
                Ok(true)
            }
            Value::String(s) => Ok(s.is_empty()),
            other => Err(mismatch(path, other, "string")),
        },
        Kind::Int => match value {
            Value::Null => {
                *value = Value::from(0);
                Ok(true)
            }
            Value::Number(n) => {
                let int = integer(n)
                    .ok_or_else(|| mismatch(path, &Value::Number(n.clone()), "integer"))?;
                let empty = is_zero(&int);
                *value = int;
                Ok(empty)
            }
            other => Err(mismatch(path, other, "integer")),
        },
        Kind::Float => match value {
            Value::Null => {
                *value = Value::from(0);
                Ok(true)
            }
            Value::Number(n) => Ok(n.as_f64() == Some(0.0)),
            other => Err(mismatch(path, other, "number")),
        },
        Kind::Bool => match value {
            Value::Null => {
                *value = Value::Bool(false);
                Ok(true)
            }
            Value::Bool(b) => Ok(!*b),
            other => Err(mismatch(path, other, "bool")),
        },
        Kind::Time => encode_time(value, path).map(|()| false),
        Kind::Quantity => {
            let text = match value {
                Value::Null => {
                    *value = Value::String("0".to_string());
                    return Ok(false);
                }
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                other => return Err(mismatch(path, other, "quantity")),
            };
            let canonical = quantity::canonical(&text).map_err(|e| TypedError {
                path: path.to_string(),
                message: e.to_string(),
            })?;
            *value = Value::String(canonical);
            Ok(false)
        }
        Kind::IntOrString => match value {
            Value::Null => {
                *value = Value::from(0);
                Ok(false)
            }
            Value::String(_) => Ok(false),
            Value::Number(n) => {
                *value =
                    integer(n).ok_or_else(|| mismatch(path, &Value::Number(n.clone()), "int32"))?;
                Ok(false)
            }
            other => Err(mismatch(path, other, "IntOrString")),
        },
        Kind::Raw => Ok(value.is_null()),
        Kind::Ptr(inner) => {
            if value.is_null() {
                return Ok(true);
            }
            encode(inner, value, path).map(|_| false)
        }
        Kind::Slice(inner) => match value {
            Value::Null => Ok(true),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    encode(inner, item, &Path::Index(path, i))?;
                }
                Ok(items.is_empty())
            }
            other => Err(mismatch(path, other, "array")),
        },
        Kind::Map(inner) => match value {
            Value::Null => Ok(true),
            Value::Object(entries) => {
                for (key, item) in entries.iter_mut() {
                    encode(inner, item, &Path::Field(path, key))?;
                }
                Ok(entries.is_empty())
            }
            other => Err(mismatch(path, other, "object")),
        },
        // A struct is never "empty" for `omitempty`.
        Kind::Struct(fields) => encode_struct(fields, value, path).map(|()| false),
    }
}

fn encode_struct(
    fields: &'static [Field],
    value: &mut Value,
    path: &Path<'_>,
) -> Result<(), TypedError> {
    if value.is_null() {
        *value = Value::Object(Map::new());
    }
    let map = match value {
        Value::Object(map) => map,
        other => return Err(mismatch(path, other, "object")),
    };
    let given = map.len();
    let known = match encode_by_key(fields, map, path) {
        Some(known) => known,
        // The walk by key stopped at an error: the walk in field order finds the one Go
        // reports (the fields the first walk encoded encode again to themselves).
        None => encode_fields(fields, map, path)?,
    };
    // Decoding drops the fields the struct does not have.
    if known < given {
        map.retain(|key, _| find_field(fields, key).is_some());
    }
    Ok(())
}

/// [`encode_fields`] walking the map's keys rather than the struct's fields: a stored
/// object holds few of its structs' many `omitempty` fields, and each key is found among
/// the fields by a scan instead of each field being looked up in the map. Fields the map
/// lacks are given their zero values afterwards. `None` on an error, which is left to
/// [`encode_fields`] to report.
fn encode_by_key(
    fields: &'static [Field],
    map: &mut Map<String, Value>,
    path: &Path<'_>,
) -> Option<usize> {
    // Which fields the map holds, by place in the flattened field list. No struct has more
    // than 64 fields, which `flattened_fields_are_unique_and_fit_the_mask` checks.
    let mut present: u64 = 0;
    let mut known = 0;
    let mut emptied: Vec<&'static str> = Vec::new();
    for (key, slot) in map.iter_mut() {
        let mut index = 0;
        let Some(field) = flat_field(fields, key, &mut index) else {
            continue;
        };
        present |= 1 << index;
        known += 1;
        let empty = encode(&field.kind, slot, &Path::Field(path, field.json)).ok()?;
        if empty && field.omitempty {
            emptied.push(field.json);
        }
    }
    for json in emptied {
        map.remove(json);
    }

    let mut index = 0;
    let mut failed = false;
    each_flat_field(fields, &mut |field| {
        let held = present & (1 << index) != 0;
        index += 1;
        // An absent `omitempty` field whose zero value is empty stays absent.
        let left_out = field.omitempty && zero_is_empty(&field.kind);
        if held || left_out || failed {
            return;
        }
        let mut value = Value::Null;
        match encode(&field.kind, &mut value, &Path::Field(path, field.json)) {
            Ok(empty) if field.omitempty && empty => {}
            Ok(_) => {
                map.insert(field.json.to_string(), value);
            }
            Err(_) => failed = true,
        }
    });
    (!failed).then_some(known)
}

/// The field named `json` among the fields of a struct and of the structs inlined in it,
/// with `index` advanced to its place in that flattened list.
fn flat_field(fields: &'static [Field], json: &str, index: &mut u32) -> Option<&'static Field> {
    for field in fields {
        match field.kind {
            Kind::Struct(inner) if field.is_inline() => {
                if let Some(found) = flat_field(inner, json, index) {
                    return Some(found);
                }
            }
            _ if field.json == json => return Some(field),
            _ => *index += 1,
        }
    }
    None
}

/// Calls `visit` on the fields of a struct and of the structs inlined in it, in the order
/// of [`flat_field`]'s indices.
fn each_flat_field(fields: &'static [Field], visit: &mut impl FnMut(&'static Field)) {
    for field in fields {
        match field.kind {
            Kind::Struct(inner) if field.is_inline() => each_flat_field(inner, visit),
            _ => visit(field),
        }
    }
}

/// Encodes every field of the struct in `map`; returns how many of them `map` held.
fn encode_fields(
    fields: &'static [Field],
    map: &mut Map<String, Value>,
    path: &Path<'_>,
) -> Result<usize, TypedError> {
    let mut known = 0;
    for field in fields {
        if field.is_inline() {
            // An inlined struct's fields sit at this level of the JSON.
            if let Kind::Struct(inner) = field.kind {
                known += encode_fields(inner, map, path)?;
            }
            continue;
        }
        if encode_entry(field, map, &Path::Field(path, field.json))? {
            known += 1;
        }
    }
    Ok(known)
}

/// Encodes one field of a struct's `map` in place: an absent field gets its zero value
/// unless `omitempty` leaves it out, and an empty one goes when `omitempty` says so.
/// Returns whether `map` held the field.
fn encode_entry(
    field: &Field,
    map: &mut Map<String, Value>,
    path: &Path<'_>,
) -> Result<bool, TypedError> {
    let Some(slot) = map.get_mut(field.json) else {
        if field.omitempty && zero_is_empty(&field.kind) {
            return Ok(false);
        }
        let mut value = Value::Null;
        let empty = encode(&field.kind, &mut value, path)?;
        if !(field.omitempty && empty) {
            map.insert(field.json.to_string(), value);
        }
        return Ok(false);
    };
    if encode(&field.kind, slot, path)? && field.omitempty {
        map.remove(field.json);
    }
    Ok(true)
}

/// Whether [`encode`] turns an absent field of `kind` into Go's "empty" value, with
/// nothing to check: `omitempty` then leaves the field out, and it needs no encoding.
fn zero_is_empty(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Str
            | Kind::Int
            | Kind::Float
            | Kind::Bool
            | Kind::Raw
            | Kind::Ptr(_)
            | Kind::Slice(_)
            | Kind::Map(_)
    )
}

fn encode_time(value: &mut Value, path: &Path<'_>) -> Result<(), TypedError> {
    let text = match value {
        Value::Null => return Ok(()),
        Value::String(text) => text,
        other => return Err(mismatch(path, other, "Time")),
    };
    if text == "0001-01-01T00:00:00Z" {
        *value = Value::Null;
        return Ok(());
    }
    match time::parse_rfc3339(text) {
        // A time already in its stored form would be written back as it is.
        Some(_) if time::has_stored_shape(text) => Ok(()),
        Some(t) => {
            let seconds = time::format_seconds(t);
            if *text != seconds {
                *text = seconds;
            }
            Ok(())
        }
        None => Err(TypedError {
            path: path.to_string(),
            message: format!(
                "parsing time {text:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse"
            ),
        }),
    }
}

/// Go accepts only integer literals for integer fields; a float with no fraction (as YAML
/// readers sometimes produce) is accepted too.
fn integer(n: &serde_json::Number) -> Option<Value> {
    if n.is_i64() || n.is_u64() {
        return Some(Value::Number(n.clone()));
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.0e15).then(|| Value::from(f as i64))
}

fn is_zero(v: &Value) -> bool {
    v.as_i64() == Some(0) || v.as_u64() == Some(0)
}

fn mismatch(path: &Path<'_>, value: &Value, want: &str) -> TypedError {
    let got = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    TypedError {
        path: path.to_string(),
        message: format!("cannot unmarshal {got} into a field of type {want}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Every struct table reachable from a kind's table, each once.
    fn tables(fields: &'static [Field], seen: &mut Vec<&'static [Field]>) {
        if seen.iter().any(|known| std::ptr::eq(*known, fields)) {
            return;
        }
        seen.push(fields);
        for field in fields {
            let mut kind = &field.kind;
            loop {
                match kind {
                    Kind::Ptr(inner) | Kind::Slice(inner) | Kind::Map(inner) => kind = inner,
                    Kind::Struct(inner) => {
                        tables(inner, seen);
                        break;
                    }
                    _ => break,
                }
            }
        }
    }

    #[test]
    fn flattened_fields_are_unique_and_fit_the_mask() {
        let mut seen = Vec::new();
        tables(schema::POD, &mut seen);
        tables(schema::NODE, &mut seen);
        for fields in seen {
            let mut names = Vec::new();
            each_flat_field(fields, &mut |field| names.push(field.json));
            let count = names.len();
            // The walk by key marks the fields it finds in one `u64`.
            assert!(count <= 64, "{count} fields: {names:?}");
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{names:?}");
        }
    }

    /// The walk by key and the walk by field give the same encoding.
    #[test]
    fn walking_by_key_encodes_as_walking_by_field() {
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "unknown": 1, "labels": {"a": "b"}, "generation": 2.0},
            "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": "1.5"}}}]},
            "status": {
                "phase": "",
                "conditions": [{"type": "Ready", "lastProbeTime": "0001-01-01T00:00:00Z"}],
                "containerStatuses": [{"name": "c", "started": null, "state": {"running": {}}}],
                "startTime": "2024-01-01T00:00:14.5Z",
            },
        });
        let by_field = |mut value: Value| {
            let Value::Object(map) = &mut value else {
                unreachable!()
            };
            encode_fields(schema::POD, map, &Path::Root).map(|_| ())?;
            Ok::<Value, TypedError>(value)
        };
        let by_key = try_normalize(&pod).expect("the pod encodes");
        // The top level walked by field over nested structs walked by key: both keep the
        // unknown top-level fields, which only `encode_struct` drops.
        assert_eq!(by_field(pod.clone()), Ok(by_key.clone()));
        assert_eq!(by_key["status"]["startTime"], "2024-01-01T00:00:14Z");
        assert_eq!(by_key["status"]["containerStatuses"][0]["restartCount"], 0);
        assert_eq!(
            by_key["status"]["conditions"][0]["lastProbeTime"],
            Value::Null
        );
        assert!(by_key["metadata"].get("unknown").is_none());
        assert!(by_key["status"].get("phase").is_none());
    }

    /// With two bad fields, the error is the one Go meets first: the field declared first,
    /// whatever the order of the keys.
    #[test]
    fn the_first_declared_bad_field_is_reported() {
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "status": {"containerStatuses": [{"image": 1, "name": 2}]},
        });
        let error = try_normalize(&pod).expect_err("two fields have the wrong type");
        assert_eq!(error.path, "status.containerStatuses[0].name");
    }
}
