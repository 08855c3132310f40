//! Conversions between serde_json values, jaq values and [`Output`]s.
//!
//! Go decodes the object's JSON into `float64` numbers, so every number of the object
//! enters jq as a float. It is stored as a decimal whose text is gojq's text for that
//! float: jaq then reads it as a float in arithmetic and comparisons, and prints gojq's
//! text wherever jaq itself turns it into a string (`"\(.x)"`). Object keys are inserted in
//! sorted order, which is the order gojq iterates objects in.

use jaq_json::{Map, Num, Rc, Val};
use jaq_std::ValT as _;

use crate::gojq_text::format_float;
use crate::{Input, Output};

impl Input {
    /// Takes a copy of the object's JSON view; every query on this version reads it from
    /// here.
    pub fn new(object: &serde_json::Value) -> Input {
        Input::shared(std::rc::Rc::new(object.clone()))
    }

    /// Like [`Input::new`], for a caller that can give the object away.
    pub fn from_json(object: serde_json::Value) -> Input {
        Input::shared(std::rc::Rc::new(object))
    }

    /// Like [`Input::new`], sharing the object with the caller instead of copying it.
    pub fn shared(object: std::rc::Rc<serde_json::Value>) -> Input {
        Input {
            json: object,
            value: std::cell::OnceCell::new(),
        }
    }

    /// The object as jaq values, converted on first use.
    pub(crate) fn value(&self) -> &Val {
        self.value.get_or_init(|| from_json(&self.json))
    }

    pub(crate) fn json(&self) -> &serde_json::Value {
        &self.json
    }
}

fn from_json(value: &serde_json::Value) -> Val {
    match value {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            Val::Num(Num::Dec(Rc::new(format_float(f))))
        }
        serde_json::Value::String(s) => Val::utf8_str(s.as_bytes().to_vec()),
        serde_json::Value::Array(items) => Val::Arr(Rc::new(items.iter().map(from_json).collect())),
        serde_json::Value::Object(map) => {
            let map: Map = sorted_entries(map)
                .into_iter()
                .map(|(k, v)| (Val::utf8_str(k.as_bytes().to_vec()), from_json(v)))
                .collect();
            Val::obj(map)
        }
    }
}

/// The output for a jq value, or `None` for `null`, which kwok drops.
pub(crate) fn output_of(value: &Val) -> Option<Output> {
    Some(match value {
        Val::Null => return None,
        Val::Bool(b) => Output::Bool(*b),
        Val::Num(Num::Int(i)) => Output::Int(*i as i64),
        // gojq has no big integers from jq arithmetic or literals: what overflows `int`
        // becomes a float there.
        Val::Num(_) => Output::Float(value.as_f64().unwrap_or(f64::NAN)),
        Val::TStr(bytes) | Val::BStr(bytes) => {
            Output::String(String::from_utf8_lossy(bytes).into_owned())
        }
        Val::Arr(_) | Val::Obj(_) => Output::Other(to_json(value)),
    })
}

fn to_json(value: &Val) -> serde_json::Value {
    match value {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Num(Num::Int(i)) => serde_json::Value::from(*i as i64),
        Val::Num(_) => serde_json::Number::from_f64(value.as_f64().unwrap_or(f64::NAN))
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Val::TStr(bytes) | Val::BStr(bytes) => {
            serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned())
        }
        Val::Arr(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Val::Obj(map) => json_object(
            map.iter()
                .map(|(k, v)| (crate::gojq_text::to_text(k), to_json(v)))
                .collect(),
        ),
    }
}

/// An object's entries in sorted key order, the order gojq iterates objects in, whatever
/// order the map keeps.
pub(crate) fn sorted_entries(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(&String, &serde_json::Value)> {
    let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A JSON object of `entries`. The map sorts what it is built from with a sort made for
/// each kind of iterator; building every object from a `Vec` keeps that to one copy.
pub(crate) fn json_object(entries: Vec<(String, serde_json::Value)>) -> serde_json::Value {
    serde_json::Value::Object(entries.into_iter().collect())
}
