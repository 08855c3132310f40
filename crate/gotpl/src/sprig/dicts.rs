//! sprig's dict functions (`dict.go`): building, reading, merging and digging into maps.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::lists::{list, map};
use super::{add, add_variadic, empty, s, strval};
use crate::{Funcs, Param, Value};

use Param::{Any, Map, String as Str};

pub(super) fn register(funcs: &mut Funcs) {
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
        Ok(Value::map_of(
            a[1..]
                .iter()
                .filter_map(|k| d.get(s(k)).map(|v| (s(k).to_string(), v.clone())))
                .collect(),
        ))
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
}

fn dict_of(v: &Value) -> BTreeMap<String, Value> {
    match v {
        Value::Map(m) => (**m).clone(),
        _ => BTreeMap::new(),
    }
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
