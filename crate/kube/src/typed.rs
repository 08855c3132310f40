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

/// Re-encodes a Pod or Node through its Go struct shape; other kinds come back unchanged.
/// A value the struct cannot hold leaves the object as it was; use `try_normalize` to see
/// the error.
pub fn normalize(object: &Value) -> Value {
    try_normalize(object).unwrap_or_else(|_| object.clone())
}

/// Like `normalize`, but reports values the Go struct would refuse to decode.
pub fn try_normalize(object: &Value) -> Result<Value, TypedError> {
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    match schema_of(api_version, kind) {
        Some(fields) => encode_struct(fields, Some(object), &Path::Root).map(|(value, _)| value),
        None => Ok(object.clone()),
    }
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
        return try_normalize(&patched);
    }
    let mut patched = patched;
    reencode_named(fields, original, &mut patched, patch, &Path::Root)?;
    Ok(patched)
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
    let (Value::Object(names), Value::Object(_), Value::Object(out)) =
        (patch, original, &mut *patched)
    else {
        *patched = encode_struct(fields, Some(patched), path)?.0;
        return Ok(());
    };
    if names.keys().any(|key| key.starts_with('$')) {
        *patched = encode_struct(fields, Some(patched), path)?.0;
        return Ok(());
    }
    for (key, part) in names {
        let Some(field) = find_field(fields, key) else {
            // The struct has no such field: decoding drops it.
            out.remove(key);
            continue;
        };
        let here = Path::Field(path, field.json);
        let inner = match field.kind {
            Kind::Struct(inner) => Some(inner),
            Kind::Ptr(Kind::Struct(inner)) => Some(*inner),
            _ => None,
        };
        let nested = match (inner, original.get(key), out.get_mut(key)) {
            (Some(inner), Some(before @ Value::Object(_)), Some(after @ Value::Object(_)))
                if part.is_object() =>
            {
                reencode_named(inner, before, after, part, &here)?;
                true
            }
            _ => false,
        };
        if nested {
            continue;
        }
        let (value, empty) = encode(&field.kind, out.get(key), &here)?;
        if field.omitempty && empty {
            out.remove(key);
        } else {
            out.insert(key.clone(), value);
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

/// Encodes `input` (absent when `None`) as a field of `kind`. Returns the JSON and whether
/// it is Go's "empty" value for `omitempty`.
fn encode(
    kind: &Kind,
    input: Option<&Value>,
    path: &Path<'_>,
) -> Result<(Value, bool), TypedError> {
    // `null` decodes to the zero value for every kind, as Go leaves the field untouched.
    let input = input.filter(|v| !v.is_null());
    match kind {
        Kind::Str => match input {
            None => Ok((Value::String(String::new()), true)),
            Some(Value::String(s)) => Ok((Value::String(s.clone()), s.is_empty())),
            Some(other) => Err(mismatch(path, other, "string")),
        },
        Kind::Int => match input {
            None => Ok((Value::from(0), true)),
            Some(Value::Number(n)) => {
                let int = integer(n)
                    .ok_or_else(|| mismatch(path, &Value::Number(n.clone()), "integer"))?;
                Ok((int.clone(), is_zero(&int)))
            }
            Some(other) => Err(mismatch(path, other, "integer")),
        },
        Kind::Float => match input {
            None => Ok((Value::from(0), true)),
            Some(Value::Number(n)) => Ok((Value::Number(n.clone()), n.as_f64() == Some(0.0))),
            Some(other) => Err(mismatch(path, other, "number")),
        },
        Kind::Bool => match input {
            None => Ok((Value::Bool(false), true)),
            Some(Value::Bool(b)) => Ok((Value::Bool(*b), !b)),
            Some(other) => Err(mismatch(path, other, "bool")),
        },
        Kind::Time => Ok((encode_time(input, path)?, false)),
        Kind::Quantity => {
            let text = match input {
                None => return Ok((Value::String("0".to_string()), false)),
                Some(Value::String(s)) => s.trim().to_string(),
                Some(Value::Number(n)) => n.to_string(),
                Some(other) => return Err(mismatch(path, other, "quantity")),
            };
            let canonical = quantity::canonical(&text).map_err(|e| TypedError {
                path: path.to_string(),
                message: e.to_string(),
            })?;
            Ok((Value::String(canonical), false))
        }
        Kind::IntOrString => match input {
            None => Ok((Value::from(0), false)),
            Some(Value::String(s)) => Ok((Value::String(s.clone()), false)),
            Some(Value::Number(n)) => {
                let int =
                    integer(n).ok_or_else(|| mismatch(path, &Value::Number(n.clone()), "int32"))?;
                Ok((int, false))
            }
            Some(other) => Err(mismatch(path, other, "IntOrString")),
        },
        Kind::Raw => match input {
            None => Ok((Value::Null, true)),
            Some(v) => Ok((v.clone(), false)),
        },
        Kind::Ptr(inner) => match input {
            None => Ok((Value::Null, true)),
            Some(v) => Ok((encode(inner, Some(v), path)?.0, false)),
        },
        Kind::Slice(inner) => match input {
            None => Ok((Value::Null, true)),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(encode(inner, Some(item), &Path::Index(path, i))?.0);
                }
                let empty = out.is_empty();
                Ok((Value::Array(out), empty))
            }
            Some(other) => Err(mismatch(path, other, "array")),
        },
        Kind::Map(inner) => match input {
            None => Ok((Value::Null, true)),
            Some(Value::Object(entries)) => {
                let mut out = Map::new();
                for (key, item) in entries {
                    out.insert(
                        key.clone(),
                        encode(inner, Some(item), &Path::Field(path, key))?.0,
                    );
                }
                let empty = out.is_empty();
                Ok((Value::Object(out), empty))
            }
            Some(other) => Err(mismatch(path, other, "object")),
        },
        Kind::Struct(fields) => encode_struct(fields, input, path),
    }
}

fn encode_struct(
    fields: &'static [Field],
    input: Option<&Value>,
    path: &Path<'_>,
) -> Result<(Value, bool), TypedError> {
    let source = match input.filter(|v| !v.is_null()) {
        None => None,
        Some(Value::Object(map)) => Some(map),
        Some(other) => return Err(mismatch(path, other, "object")),
    };
    let mut out = Map::new();
    encode_fields(fields, source, path, &mut out)?;
    // A struct is never "empty" for `omitempty`.
    Ok((Value::Object(out), false))
}

fn encode_fields(
    fields: &'static [Field],
    source: Option<&Map<String, Value>>,
    path: &Path<'_>,
    out: &mut Map<String, Value>,
) -> Result<(), TypedError> {
    for field in fields {
        if field.is_inline() {
            // An inlined struct's fields sit at this level of the JSON.
            if let Kind::Struct(inner) = field.kind {
                encode_fields(inner, source, path, out)?;
            }
            continue;
        }
        let value = source.and_then(|m| m.get(field.json));
        let (value, empty) = encode(&field.kind, value, &Path::Field(path, field.json))?;
        if !(field.omitempty && empty) {
            out.insert(field.json.to_string(), value);
        }
    }
    Ok(())
}

fn encode_time(input: Option<&Value>, path: &Path<'_>) -> Result<Value, TypedError> {
    match input {
        None => Ok(Value::Null),
        Some(Value::String(text)) => {
            if text == "0001-01-01T00:00:00Z" {
                return Ok(Value::Null);
            }
            match time::parse_rfc3339(text) {
                Some(t) => Ok(Value::String(time::format_seconds(t))),
                None => Err(TypedError {
                    path: path.to_string(),
                    message: format!(
                        "parsing time {text:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse"
                    ),
                }),
            }
        }
        Some(other) => Err(mismatch(path, other, "Time")),
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
