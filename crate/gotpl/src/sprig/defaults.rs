//! sprig's defaults and logic (`defaults.go`), its JSON functions and its type tests
//! (`reflect.go`).

use std::rc::Rc;

use super::{add, add_variadic, empty, s};
use crate::value::{go_json, go_json_indent, json_unsupported};
use crate::{Funcs, Param, Value};

use Param::{Any, Bool, String as Str};

/// Go's `reflect.TypeOf(v).Kind().String()`.
pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::String(_) | Value::Number(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
    }
}

/// Go's `%T`.
fn type_of(v: &Value) -> &'static str {
    v.go_type()
}

/// `encoding/json`'s decoding into `interface{}`: numbers become float64.
fn from_json_value(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::Array(a) => {
            Value::List(Rc::new(a.iter().map(from_json_value).collect()))
        }
        serde_json::Value::Object(o) => Value::map_of(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json_value(v)))
                .collect(),
        ),
        other => Value::from_json(other),
    }
}

fn pretty(v: &Value) -> String {
    go_json_indent(v, true, "  ")
}

fn json_or_empty(v: &Value, encode: impl Fn(&Value) -> String) -> Result<Value, String> {
    Ok(match json_unsupported(v) {
        Some(_) => Value::str(""),
        None => Value::from(encode(v)),
    })
}

fn json_or_error(v: &Value, encode: impl Fn(&Value) -> String) -> Result<Value, String> {
    match json_unsupported(v) {
        Some(message) => Err(message),
        None => Ok(Value::from(encode(v))),
    }
}

pub(super) fn register(funcs: &mut Funcs) {
    add_variadic(funcs, "default", &[Any, Any], |a| {
        Ok(match a.get(1) {
            Some(v) if !empty(v) => v.clone(),
            _ => a[0].clone(),
        })
    });
    add(funcs, "empty", &[Any], |a| Ok(Value::Bool(empty(&a[0]))));
    add_variadic(funcs, "coalesce", &[Any], |a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    });
    add_variadic(funcs, "all", &[Any], |a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    });
    add_variadic(funcs, "any", &[Any], |a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    });
    add(funcs, "ternary", &[Any, Any, Bool], |a| {
        Ok(if a[2] == Value::Bool(true) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    add(funcs, "fail", &[Str], |a| Err(s(&a[0]).to_string()));
    add(funcs, "deepEqual", &[Any, Any], |a| {
        Ok(Value::Bool(a[0] == a[1]))
    });

    // JSON.
    // sprig's lenient forms drop json.Marshal's error and give "", the must forms return it.
    add(funcs, "toJson", &[Any], |a| {
        json_or_empty(&a[0], |v| go_json(v, true))
    });
    add(funcs, "mustToJson", &[Any], |a| {
        json_or_error(&a[0], |v| go_json(v, true))
    });
    add(funcs, "toPrettyJson", &[Any], |a| {
        json_or_empty(&a[0], pretty)
    });
    add(funcs, "mustToPrettyJson", &[Any], |a| {
        json_or_error(&a[0], pretty)
    });
    add(funcs, "toRawJson", &[Any], |a| {
        json_or_empty(&a[0], |v| go_json(v, false))
    });
    add(funcs, "mustToRawJson", &[Any], |a| {
        json_or_error(&a[0], |v| go_json(v, false))
    });
    add(funcs, "fromJson", &[Str], |a| {
        Ok(serde_json::from_str::<serde_json::Value>(s(&a[0]))
            .map_or(Value::Nil, |j| from_json_value(&j)))
    });
    add(funcs, "mustFromJson", &[Str], |a| {
        serde_json::from_str::<serde_json::Value>(s(&a[0]))
            .map(|j| from_json_value(&j))
            .map_err(|e| e.to_string())
    });

    // Types.
    add(funcs, "typeOf", &[Any], |a| Ok(Value::str(type_of(&a[0]))));
    add(funcs, "kindOf", &[Any], |a| Ok(Value::str(kind_of(&a[0]))));
    add(funcs, "typeIs", &[Str, Any], |a| {
        Ok(Value::Bool(s(&a[0]) == type_of(&a[1])))
    });
    add(funcs, "typeIsLike", &[Str, Any], |a| {
        let t = type_of(&a[1]);
        Ok(Value::Bool(s(&a[0]) == t || s(&a[0]) == format!("*{t}")))
    });
    add(funcs, "kindIs", &[Str, Any], |a| {
        Ok(Value::Bool(s(&a[0]) == kind_of(&a[1])))
    });
}
