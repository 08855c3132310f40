//! sprig's list, dict, default, JSON, type and path functions (`list.go`, `dict.go`,
//! `defaults.go`, `reflect.go`, `functions.go`).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::{add, add_variadic, empty, i, s, strval};
use crate::value::{go_json, go_json_indent, json_unsupported};
use crate::{Funcs, Param, Value};

use Param::{Any, Bool, Int, Map, String as Str};

fn list(items: Vec<Value>) -> Result<Value, String> {
    Ok(Value::List(Rc::new(items)))
}

fn map(m: BTreeMap<String, Value>) -> Result<Value, String> {
    Ok(Value::Map(Rc::new(m)))
}

/// The items of a list argument, or sprig's "Cannot ... on type T" error.
fn items<'a>(v: &'a Value, what: &str) -> Result<&'a [Value], String> {
    match v {
        Value::List(l) => Ok(l),
        Value::Nil => {
            Err("runtime error: invalid memory address or nil pointer dereference".to_string())
        }
        other => Err(format!("Cannot {what} on type {}", kind_of(other))),
    }
}

/// sprig's `strslice`: every non-nil item as text.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l
            .iter()
            .filter(|x| !matches!(x, Value::Nil))
            .map(strval)
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

fn dict_of(v: &Value) -> BTreeMap<String, Value> {
    match v {
        Value::Map(m) => (**m).clone(),
        _ => BTreeMap::new(),
    }
}

/// Go's `reflect.TypeOf(v).Kind().String()`.
fn kind_of(v: &Value) -> &'static str {
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
        serde_json::Value::Object(o) => Value::Map(Rc::new(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json_value(v)))
                .collect(),
        )),
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
    // Lists.
    for name in ["list", "tuple"] {
        add_variadic(funcs, name, &[Any], |a| list(a.to_vec()));
    }
    for name in ["first", "mustFirst"] {
        add(funcs, name, &[Any], |a| {
            Ok(items(&a[0], "find first")?
                .first()
                .cloned()
                .unwrap_or(Value::Nil))
        });
    }
    for name in ["last", "mustLast"] {
        add(funcs, name, &[Any], |a| {
            Ok(items(&a[0], "find last")?
                .last()
                .cloned()
                .unwrap_or(Value::Nil))
        });
    }
    for name in ["rest", "mustRest"] {
        add(funcs, name, &[Any], |a| {
            let l = items(&a[0], "find rest")?;
            if l.is_empty() {
                Ok(Value::Nil)
            } else {
                list(l[1..].to_vec())
            }
        });
    }
    for name in ["initial", "mustInitial"] {
        add(funcs, name, &[Any], |a| {
            let l = items(&a[0], "find initial")?;
            if l.is_empty() {
                Ok(Value::Nil)
            } else {
                list(l[..l.len() - 1].to_vec())
            }
        });
    }
    for name in ["append", "push", "mustAppend", "mustPush"] {
        add(funcs, name, &[Any, Any], |a| {
            let mut l = items(&a[0], "push")?.to_vec();
            l.push(a[1].clone());
            list(l)
        });
    }
    for name in ["prepend", "mustPrepend"] {
        add(funcs, name, &[Any, Any], |a| {
            let mut l = vec![a[1].clone()];
            l.extend(items(&a[0], "prepend")?.iter().cloned());
            list(l)
        });
    }
    add_variadic(funcs, "concat", &[Any], |a| {
        let mut out = Vec::new();
        for l in a {
            match l {
                Value::List(l) => out.extend(l.iter().cloned()),
                other => out.push(other.clone()),
            }
        }
        list(out)
    });
    for name in ["reverse", "mustReverse"] {
        add(funcs, name, &[Any], |a| {
            list(
                items(&a[0], "find reverse")?
                    .iter()
                    .rev()
                    .cloned()
                    .collect(),
            )
        });
    }
    for name in ["uniq", "mustUniq"] {
        add(funcs, name, &[Any], |a| {
            let mut out: Vec<Value> = Vec::new();
            for v in items(&a[0], "find uniq")? {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            list(out)
        });
    }
    for name in ["compact", "mustCompact"] {
        add(funcs, name, &[Any], |a| {
            list(
                items(&a[0], "compact")?
                    .iter()
                    .filter(|v| !empty(v))
                    .cloned()
                    .collect(),
            )
        });
    }
    for name in ["without", "mustWithout"] {
        add_variadic(funcs, name, &[Any, Any], |a| {
            let omit = &a[1..];
            list(
                items(&a[0], "find without")?
                    .iter()
                    .filter(|v| !omit.contains(v))
                    .cloned()
                    .collect(),
            )
        });
    }
    for name in ["has", "mustHas"] {
        add(funcs, name, &[Any, Any], |a| match &a[1] {
            Value::Nil => Ok(Value::Bool(false)),
            Value::List(l) => Ok(Value::Bool(l.contains(&a[0]))),
            other => Err(format!("Cannot find has on type {}", kind_of(other))),
        });
    }
    for name in ["slice", "mustSlice"] {
        add_variadic(funcs, name, &[Any, Any], |a| {
            let l = match &a[0] {
                Value::List(l) => &l[..],
                other => {
                    return Err(format!(
                        "list should be type of slice or array but {}",
                        kind_of(other)
                    ));
                }
            };
            let idx: Vec<i64> = a[1..].iter().map(super::numeric::to_int64).collect();
            let (from, to) = match idx.as_slice() {
                [] => (0, l.len() as i64),
                [f] => (*f, l.len() as i64),
                [f, t, ..] => (*f, *t),
            };
            if from < 0 || to < from || to as usize > l.len() {
                return Err(format!(
                    "runtime error: slice bounds out of range [{from}:{to}]"
                ));
            }
            list(l[from as usize..to as usize].to_vec())
        });
    }
    for name in ["chunk", "mustChunk"] {
        add(funcs, name, &[Int, Any], |a| {
            let size = i(&a[0]).max(1) as usize;
            list(
                items(&a[1], "chunk")?
                    .chunks(size)
                    .map(|c| Value::from(c.to_vec()))
                    .collect(),
            )
        });
    }
    add(funcs, "sortAlpha", &[Any], |a| {
        let mut v = strslice(&a[0]);
        v.sort();
        list(v.into_iter().map(Value::from).collect())
    });
    add(funcs, "join", &[Str, Any], |a| {
        Ok(Value::from(strslice(&a[1]).join(s(&a[0]))))
    });
    add(funcs, "toStrings", &[Any], |a| {
        list(strslice(&a[0]).into_iter().map(Value::from).collect())
    });
    add(funcs, "splitList", &[Str, Str], |a| {
        list(
            go_split(s(&a[1]), s(&a[0]), -1)
                .into_iter()
                .map(Value::str)
                .collect(),
        )
    });
    add(funcs, "split", &[Str, Str], |a| {
        map(go_split(s(&a[1]), s(&a[0]), -1)
            .into_iter()
            .enumerate()
            .map(|(k, v)| (format!("_{k}"), Value::str(v)))
            .collect())
    });
    add(funcs, "splitn", &[Str, Int, Str], |a| {
        map(go_split(s(&a[2]), s(&a[0]), i(&a[1]))
            .into_iter()
            .enumerate()
            .map(|(k, v)| (format!("_{k}"), Value::str(v)))
            .collect())
    });

    // Dicts.
    add_variadic(funcs, "dict", &[Any], |a| {
        let mut m = BTreeMap::new();
        for pair in a.chunks(2) {
            m.insert(
                strval(&pair[0]),
                pair.get(1).cloned().unwrap_or_else(|| Value::str("")),
            );
        }
        map(m)
    });
    add(funcs, "get", &[Map, Str], |a| {
        Ok(dict_of(&a[0])
            .get(s(&a[1]))
            .cloned()
            .unwrap_or_else(|| Value::str("")))
    });
    add(funcs, "set", &[Map, Str, Any], |a| {
        let mut m = dict_of(&a[0]);
        m.insert(s(&a[1]).to_string(), a[2].clone());
        map(m)
    });
    add(funcs, "unset", &[Map, Str], |a| {
        let mut m = dict_of(&a[0]);
        m.remove(s(&a[1]));
        map(m)
    });
    add(funcs, "hasKey", &[Map, Str], |a| {
        Ok(Value::Bool(dict_of(&a[0]).contains_key(s(&a[1]))))
    });
    add_variadic(funcs, "pluck", &[Str, Map], |a| {
        list(
            a[1..]
                .iter()
                .filter_map(|d| dict_of(d).get(s(&a[0])).cloned())
                .collect(),
        )
    });
    // FIXME: Go's map order makes sprig's keys and values come out in random order; here
    // they are sorted.
    add_variadic(funcs, "keys", &[Map], |a| {
        list(
            a.iter()
                .flat_map(|d| dict_of(d).into_keys().map(Value::from))
                .collect(),
        )
    });
    add(funcs, "values", &[Map], |a| {
        list(dict_of(&a[0]).into_values().collect())
    });
    add_variadic(funcs, "pick", &[Map, Str], |a| {
        let d = dict_of(&a[0]);
        map(a[1..]
            .iter()
            .filter_map(|k| d.get(s(k)).map(|v| (s(k).to_string(), v.clone())))
            .collect())
    });
    add_variadic(funcs, "omit", &[Map, Str], |a| {
        let mut d = dict_of(&a[0]);
        for k in &a[1..] {
            d.remove(s(k));
        }
        map(d)
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        let body = if overwrite {
            |a: &[Value]| {
                map(a[1..]
                    .iter()
                    .fold(dict_of(&a[0]), |acc, src| merge(acc, &dict_of(src), true)))
            }
        } else {
            |a: &[Value]| {
                map(a[1..]
                    .iter()
                    .fold(dict_of(&a[0]), |acc, src| merge(acc, &dict_of(src), false)))
            }
        };
        add_variadic(funcs, name, &[Map, Map], body);
    }
    add_variadic(funcs, "dig", &[Any], |a| {
        if a.len() < 3 {
            return Err("dig needs at least three arguments".to_string());
        }
        let dict = &a[a.len() - 1];
        let default = &a[a.len() - 2];
        let mut cur = dict.clone();
        for k in &a[..a.len() - 2] {
            match &cur {
                Value::Map(m) => match m.get(s(k)) {
                    Some(v) => cur = v.clone(),
                    None => return Ok(default.clone()),
                },
                _ => {
                    return Err(
                        "interface conversion: interface {} is not map[string]interface {}"
                            .to_string(),
                    );
                }
            }
        }
        Ok(cur)
    });
    for name in ["deepCopy", "mustDeepCopy"] {
        add(funcs, name, &[Any], |a| Ok(a[0].clone()));
    }

    // Defaults and logic.
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

    // Paths (Go's `path` package, slash-separated).
    add(funcs, "base", &[Str], |a| {
        Ok(Value::from(path_base(s(&a[0]))))
    });
    add(funcs, "dir", &[Str], |a| {
        Ok(Value::from(path_dir(s(&a[0]))))
    });
    add(funcs, "clean", &[Str], |a| {
        Ok(Value::from(path_clean(s(&a[0]))))
    });
    add(funcs, "ext", &[Str], |a| {
        let p = s(&a[0]);
        let ext = p
            .rfind(['.', '/'])
            .filter(|&k| p.as_bytes()[k] == b'.')
            .map_or("", |k| &p[k..]);
        Ok(Value::str(ext))
    });
    add(funcs, "isAbs", &[Str], |a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
    // The playground runs as on Linux, where Go's filepath functions equal the path ones.
    add(funcs, "osBase", &[Str], |a| {
        Ok(Value::from(path_base(s(&a[0]))))
    });
    add(funcs, "osDir", &[Str], |a| {
        Ok(Value::from(path_dir(s(&a[0]))))
    });
    add(funcs, "osClean", &[Str], |a| {
        Ok(Value::from(path_clean(s(&a[0]))))
    });
    add(funcs, "osExt", &[Str], |a| {
        Ok(Value::str(path_ext(s(&a[0]))))
    });
    add(funcs, "osIsAbs", &[Str], |a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
}

fn merge(
    mut dst: BTreeMap<String, Value>,
    src: &BTreeMap<String, Value>,
    overwrite: bool,
) -> BTreeMap<String, Value> {
    for (k, v) in src {
        match (dst.get(k), v) {
            (Some(Value::Map(d)), Value::Map(s)) => {
                let merged = merge((**d).clone(), s, overwrite);
                dst.insert(k.clone(), Value::Map(Rc::new(merged)));
            }
            (Some(existing), _) if !overwrite && !empty(existing) => {}
            (Some(_), _) if overwrite && empty(v) => {}
            _ => {
                dst.insert(k.clone(), v.clone());
            }
        }
    }
    dst
}

/// Go's `strings.SplitN` (n < 0: all parts).
fn go_split<'a>(text: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let mut parts: Vec<&str> = text
            .char_indices()
            .map(|(k, c)| &text[k..k + c.len_utf8()])
            .collect();
        if n > 0 && parts.len() > n as usize {
            let start: usize = parts[..n as usize - 1].iter().map(|p| p.len()).sum();
            parts.truncate(n as usize - 1);
            parts.push(&text[start..]);
        }
        return parts;
    }
    if n < 0 {
        text.split(sep).collect()
    } else {
        text.splitn(n as usize, sep).collect()
    }
}

fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".to_string();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(k) => path_clean(&p[..=k]),
        None => ".".to_string(),
    }
}

fn path_ext(p: &str) -> &str {
    p.rfind(['.', '/'])
        .filter(|&k| p.as_bytes()[k] == b'.')
        .map_or("", |k| &p[k..])
}
