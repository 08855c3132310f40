//! Nodes to JSON, as `sigs.k8s.io/yaml.YAMLToJSON` converts go-yaml's generic values.
//!
//! Keys become strings: integers in decimal, booleans as `true`/`false`, floats through Go's
//! 32-bit `%g` (`1.5`, `1e+06`, `.inf`); null and unsigned-64 keys are errors there. Values
//! keep their type, and floats are written the way Go's JSON encoder writes them and read
//! back, so a whole float below 1e21 comes back as an integer. NaN and infinities cannot be
//! JSON and are errors.

use serde_json::{Map, Number, Value};

use crate::float::format_g;
use crate::{Error, Node, NodeValue};

/// The faithful conversion: fails where `YAMLToJSON` fails.
pub(crate) fn try_to_json(node: &Node) -> Result<Value, Error> {
    convert(node, true)
}

/// The forgiving conversion: values JSON cannot hold become null and any key becomes text.
pub(crate) fn to_json_lossy(node: &Node) -> Value {
    // Not strict, so no error can come back.
    convert(node, false).unwrap_or(Value::Null)
}

fn convert(node: &Node, strict: bool) -> Result<Value, Error> {
    let fail = |message: String| Error {
        message,
        mark: node.mark,
    };
    let value = match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(i) => Value::from(*i),
        NodeValue::UInt(u) => Value::from(*u),
        NodeValue::Float(f) => match float_as_go_json(*f) {
            Some(n) => Value::Number(n),
            None if strict => {
                return Err(fail(format!(
                    "json: unsupported value: {}",
                    format_g(*f, false)
                )));
            }
            None => Value::Null,
        },
        NodeValue::String { value, .. } => Value::String(value.clone()),
        NodeValue::Seq(items) => Value::Array(
            items
                .iter()
                .map(|i| convert(i, strict))
                .collect::<Result<_, _>>()?,
        ),
        NodeValue::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = key_string(key, strict)?;
                map.insert(key, convert(value, strict)?);
            }
            Value::Object(map)
        }
    };
    Ok(value)
}

/// The forgiving key conversion: any key becomes text.
pub(crate) fn key_text_lossy(key: &Node) -> String {
    key_string(key, false).unwrap_or_else(|_| to_json_lossy(key).to_string())
}

/// The JSON key `YAMLToJSON` makes of a YAML key.
fn key_string(key: &Node, strict: bool) -> Result<String, Error> {
    let unsupported = |kind: &str, shown: String| Error {
        message: format!("unsupported map key of type: {kind}, key: {shown}"),
        mark: key.mark,
    };
    let text = match &key.value {
        NodeValue::String { value, .. } => value.clone(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Float(f) => match format_g(*f, true).as_str() {
            "+Inf" => ".inf".to_string(),
            "-Inf" => "-.inf".to_string(),
            "NaN" => ".nan".to_string(),
            other => other.to_string(),
        },
        NodeValue::UInt(u) if strict => {
            return Err(unsupported("uint64", format!("0x{u:x}")));
        }
        NodeValue::UInt(u) => u.to_string(),
        NodeValue::Null if strict => return Err(unsupported("<nil>", "<nil>".to_string())),
        NodeValue::Null => "null".to_string(),
        // The parser refuses these as keys; the lossy path still needs some text.
        NodeValue::Seq(_) | NodeValue::Map(_) => {
            return Err(Error {
                message: "invalid map key".to_string(),
                mark: key.mark,
            });
        }
    };
    Ok(text)
}

/// The number a JSON reader gets from Go's encoding of `f`: Go writes whole numbers below
/// 1e21 without a point or exponent, so they read back as integers when they fit.
pub(crate) fn float_as_go_json(f: f64) -> Option<Number> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 1e21 && !(f == 0.0 && f.is_sign_negative()) {
        if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
            return Some(Number::from(f as i64));
        }
        if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
            return Some(Number::from(f as u64));
        }
    }
    Number::from_f64(f)
}
