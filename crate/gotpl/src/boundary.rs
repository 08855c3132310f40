//! Calls every function of a table with boundary arguments, to show that none of them panics.
//!
//! The WebAssembly build aborts on a panic, which takes the page's worker down with it, so
//! a template function must turn every argument into a value or an error. This module
//! owns the argument pool (extreme integers, floats that are not finite, non-ASCII and empty
//! strings, nils, nested lists and maps) and the loop over a [`Funcs`] table and Go's
//! predefined functions. It only reports the calls that panicked; whether a call returned
//! a value or an error is for the rule tests to check.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use crate::{BUILTINS, Funcs, Template, Value};

/// One argument of the pool: `None` is a missing key (Go's invalid value).
type Arg = Option<Value>;

/// The arguments every position is tried with.
pub fn pool() -> Vec<Arg> {
    let nested = Value::from(vec![
        Value::from(vec![Value::Int(i64::MIN), Value::str("é")]),
        map(&[("k", Value::from(vec![Value::Nil]))]),
        Value::Nil,
    ]);
    vec![
        None,
        Some(Value::Nil),
        Some(Value::Int(i64::MIN)),
        Some(Value::Int(i64::MAX)),
        Some(Value::Int(-1)),
        Some(Value::Int(0)),
        Some(Value::Int(7)),
        Some(Value::Int(1 << 40)),
        Some(Value::Float(f64::NAN)),
        Some(Value::Float(-1e300)),
        Some(Value::Float(f64::INFINITY)),
        Some(Value::Number(Rc::from("-9223372036854775808"))),
        Some(Value::Bool(true)),
        Some(Value::str("")),
        Some(Value::str("ééééééééééééé日本語😀")),
        Some(Value::str("--9223372036854775808")),
        Some(Value::str("9223372036854775808")),
        Some(Value::str("8.2s")),
        Some(Value::str("2024-02-30")),
        Some(Value::str("a.b\n[0]{{")),
        Some(nested.clone()),
        Some(Value::from(Vec::new())),
        Some(map(&[("a", nested), ("é", Value::Int(i64::MAX))])),
        Some(map(&[])),
    ]
}

fn map(entries: &[(&str, Value)]) -> Value {
    let m: BTreeMap<String, Value> = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Value::Map(Rc::new(m))
}

/// The highest arity tried; one more than any registered function declares, so that
/// wrong arities are tried too.
const MAX_ARITY: usize = 4;

/// Every call of every function in `funcs` and of Go's predefined functions, at arities 0
/// to 4, over [`pool`]: at a declared arity all combinations up to two arguments, and for
/// more every pair of positions over the pool with the others fixed; at a wrong arity one
/// call per pool value. Returns the calls that panicked, as
/// `name(arg, ...): panic message`.
pub fn panicking_calls(funcs: &Funcs) -> Vec<String> {
    let mut names: Vec<&str> = funcs.iter().map(|(name, _)| name).collect();
    names.extend(BUILTINS.iter().copied());
    panicking_calls_of(funcs, &names)
}

/// [`panicking_calls`] for the functions `names` only, looked up in `funcs` (a name that
/// is neither registered nor predefined fails to parse and is skipped).
pub fn panicking_calls_of(funcs: &Funcs, names: &[&str]) -> Vec<String> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names.dedup();

    let pool = pool();
    let mut found = Vec::new();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for name in names {
        for arity in 0..=MAX_ARITY {
            let args: Vec<String> = (0..arity).map(|k| format!(".a{k}")).collect();
            let text = format!("{{{{ {name} {} }}}}", args.join(" "));
            let Ok(template) = Template::parse("_", &text, funcs) else {
                continue;
            };
            let declared = funcs
                .get(name)
                .is_none_or(|f| f.variadic || f.params.len() == arity);
            let combos = if declared {
                combinations(pool.len(), arity)
            } else {
                // A wrong arity fails before any argument is read: one try per value.
                (0..pool.len()).map(|k| vec![k; arity]).collect()
            };
            for combo in combos {
                let data = data_for(&pool, &combo);
                let outcome =
                    catch_unwind(AssertUnwindSafe(|| template.execute(&data, funcs).is_ok()));
                if let Err(payload) = outcome {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|m| m.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    let shown: Vec<String> = combo.iter().map(|&k| show(&pool[k])).collect();
                    found.push(format!("{name}({}): {message}", shown.join(", ")));
                }
            }
        }
    }
    std::panic::set_hook(previous_hook);
    found
}

/// The pool indices to call an `arity`-argument function with.
fn combinations(size: usize, arity: usize) -> Vec<Vec<usize>> {
    match arity {
        0 => vec![Vec::new()],
        1 => (0..size).map(|a| vec![a]).collect(),
        2 => (0..size)
            .flat_map(|a| (0..size).map(move |b| vec![a, b]))
            .collect(),
        _ => {
            // Fillers for the positions outside the varied pair: a missing value, a
            // small integer and a non-ASCII string.
            let fillers = [0, 6, 14];
            let mut out = Vec::new();
            for p in 0..arity {
                for q in p + 1..arity {
                    for filler in fillers {
                        for a in 0..size {
                            for b in 0..size {
                                let mut combo = vec![filler; arity];
                                combo[p] = a;
                                combo[q] = b;
                                out.push(combo);
                            }
                        }
                    }
                }
            }
            out
        }
    }
}

fn data_for(pool: &[Arg], combo: &[usize]) -> Value {
    let mut m = BTreeMap::new();
    for (k, &index) in combo.iter().enumerate() {
        if let Some(v) = &pool[index] {
            m.insert(format!("a{k}"), v.clone());
        }
    }
    Value::Map(Rc::new(m))
}

fn show(arg: &Arg) -> String {
    match arg {
        None => "<missing>".to_string(),
        Some(v) => format!("{v:?}"),
    }
}
