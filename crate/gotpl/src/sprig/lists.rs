//! sprig's list functions (`list.go`) and the string functions that build or take lists
//! (`join`, `split`, `splitList`, `toStrings`).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::defaults::kind_of;
use super::{add, add_variadic, empty, i, s, strval};
use crate::{Funcs, Param, Value};

use Param::{Any, Int, String as Str};

pub(super) fn list(items: Vec<Value>) -> Result<Value, String> {
    Ok(Value::List(Rc::new(items)))
}

pub(super) fn map(m: BTreeMap<String, Value>) -> Result<Value, String> {
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

pub(super) fn register(funcs: &mut Funcs) {
    ends(funcs);
    building(funcs);
    filtering(funcs);
    slicing(funcs);
    text_lists(funcs);
}

/// `list` itself and the ends of a list: `first`, `last`, `rest`, `initial`.
fn ends(funcs: &mut Funcs) {
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
}

/// Lists built from others: `append`, `prepend`, `concat`.
fn building(funcs: &mut Funcs) {
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
}

/// Reordering and filtering, and membership.
fn filtering(funcs: &mut Funcs) {
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
}

/// Cutting a list into parts.
fn slicing(funcs: &mut Funcs) {
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
}

/// Lists of text: sorting, joining and splitting strings.
fn text_lists(funcs: &mut Funcs) {
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
        Ok(split_map(go_split(s(&a[1]), s(&a[0]), -1)))
    });
    add(funcs, "splitn", &[Str, Int, Str], |a| {
        Ok(split_map(go_split(s(&a[2]), s(&a[0]), i(&a[1]))))
    });
}

/// sprig's `split` answer: the parts under the keys `_0`, `_1`, ...
fn split_map(parts: Vec<&str>) -> Value {
    Value::map_of(
        parts
            .into_iter()
            .enumerate()
            .map(|(k, v)| (format!("_{k}"), Value::str(v)))
            .collect(),
    )
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
