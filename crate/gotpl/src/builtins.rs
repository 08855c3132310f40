//! Go's predefined template functions: `and`, `or`, `not`, `len`, `index`, `slice`, the
//! comparisons, the `print` family, `html`, `js`, `urlquery` and `call`.
//!
//! Each keeps Go's signature (for the arity messages) and Go's error texts. The values
//! they see are Go's `reflect.Value`s: a JSON null read from the object is a boxed nil,
//! a missing key an invalid value, and a few messages tell the two apart as Go does.

use std::rc::Rc;

use crate::Value;
use crate::exec::{At, Flow, Res, Rv, State};
use crate::gofmt;
use crate::parse::Arg;

/// The parameters of a builtin: how many fixed ones, whether a variadic one follows,
/// and whether the first is Go's `string` (`printf`).
struct Sig {
    fixed: usize,
    variadic: bool,
    first_string: bool,
}

pub(crate) const NAMES: &[&str] = &[
    "and", "or", "index", "slice", "eq", "call", "not", "len", "ne", "lt", "le", "gt", "ge",
    "print", "println", "html", "js", "urlquery", "printf",
];

fn signature(name: &str) -> Option<Sig> {
    let (fixed, variadic, first_string) = match name {
        "and" | "or" | "index" | "slice" | "eq" | "call" => (1, true, false),
        "not" | "len" => (1, false, false),
        "ne" | "lt" | "le" | "gt" | "ge" => (2, false, false),
        "print" | "println" | "html" | "js" | "urlquery" => (0, true, false),
        "printf" => (1, true, true),
        _ => return None,
    };
    Some(Sig {
        fixed,
        variadic,
        first_string,
    })
}

pub(crate) fn call<'t>(
    s: &mut State<'t>,
    dot: &Rv,
    name: &'t str,
    node: At<'t>,
    args: &'t [Arg],
    fin: Option<Rv>,
) -> Res<Rv> {
    let Some(sig) = signature(name) else {
        return Err(s.err(format!(
            "{} is not a defined function",
            crate::value::go_quote(name)
        )));
    };
    let num_in = args.len() + usize::from(fin.is_some());
    let num_in_go = sig.fixed + usize::from(sig.variadic);
    if sig.variadic {
        if num_in < sig.fixed {
            return Err(s.err(format!(
                "wrong number of args for {name}: want at least {} got {}",
                sig.fixed,
                args.len()
            )));
        }
    } else if num_in != num_in_go {
        return Err(s.err(format!(
            "wrong number of args for {name}: want {num_in_go} got {num_in}"
        )));
    }

    if name == "and" || name == "or" {
        let want = name == "or";
        let mut v = Rv::invalid();
        for arg in args {
            v = s.eval_arg_value(dot, arg)?;
            if v.v.is_true() == want {
                return Ok(v);
            }
        }
        if let Some(f) = fin {
            v = f;
        }
        return Ok(v);
    }

    let mut argv: Vec<Rv> = Vec::with_capacity(num_in);
    for (i, arg) in args.iter().enumerate() {
        if i == 0 && sig.first_string {
            argv.push(Rv::plain(s.eval_string_arg(dot, arg)?));
        } else {
            argv.push(s.eval_arg_value(dot, arg)?);
        }
    }
    if let Some(f) = fin {
        if sig.first_string && argv.is_empty() {
            argv.push(Rv::plain(s.validate_string(f)?));
        } else {
            argv.push(f);
        }
    }

    let result = match name {
        "not" => Ok(Rv::plain(Value::Bool(!argv[0].v.is_true()))),
        "len" => length(&argv[0]).map(|n| Rv::plain(Value::Int(n))),
        "index" => index(&argv[0], &argv[1..]),
        "slice" => slice(&argv[0], &argv[1..]).map(Rv::plain),
        "eq" => eq(&argv[0], &argv[1..]).map(|b| Rv::plain(Value::Bool(b))),
        "ne" => eq(&argv[0], &argv[1..]).map(|b| Rv::plain(Value::Bool(!b))),
        "lt" => lt(&argv[0], &argv[1]).map(|b| Rv::plain(Value::Bool(b))),
        "le" => le(&argv[0], &argv[1]).map(|b| Rv::plain(Value::Bool(b))),
        "gt" => le(&argv[0], &argv[1]).map(|b| Rv::plain(Value::Bool(!b))),
        "ge" => lt(&argv[0], &argv[1]).map(|b| Rv::plain(Value::Bool(!b))),
        "print" => Ok(Rv::plain(Value::from(gofmt::sprint(&any_args(&argv))))),
        "println" => Ok(Rv::plain(Value::from(gofmt::sprintln(&any_args(&argv))))),
        "printf" => {
            let format = match &argv[0].v {
                Value::String(f) => f.clone(),
                _ => Rc::from(""),
            };
            Ok(Rv::plain(Value::from(gofmt::sprintf(
                &format,
                &any_args(&argv[1..]),
            ))))
        }
        "html" => Ok(Rv::plain(Value::from(html_escape(&eval_args(&argv))))),
        "js" => Ok(Rv::plain(Value::from(js_escape(&eval_args(&argv))))),
        "urlquery" => Ok(Rv::plain(Value::from(query_escape(&eval_args(&argv))))),
        "call" => {
            let what = args.first().map_or_else(String::new, |a| a.to_string());
            if argv[0].is_invalid() || matches!(argv[0].v, Value::Nil) {
                Err("call of nil".to_string())
            } else {
                Err(format!(
                    "non-function {what} of type {}",
                    argv[0].v.go_type()
                ))
            }
        }
        _ => Err(format!("{name} is not a defined function")),
    };
    result.map_err(|msg| {
        s.set_at(node);
        let flow = s.err(format!("error calling {name}: {msg}"));
        match flow {
            Flow::Err(m) => Flow::Err(m),
            other => other,
        }
    })
}

/// Arguments passed to an `...interface{}` parameter: Go turns invalid values into nil.
fn any_args(argv: &[Rv]) -> Vec<Value> {
    argv.iter().map(|a| a.v.clone()).collect()
}

/// Go's `evalArgs` for `html`, `js` and `urlquery`.
fn eval_args(argv: &[Rv]) -> String {
    if let [
        Rv {
            v: Value::String(s),
            ..
        },
    ] = argv
    {
        return s.to_string();
    }
    // printableValue turns a nil argument into "<no value>" before fmt.Sprint sees it.
    let values: Vec<Value> = argv
        .iter()
        .map(|a| {
            if matches!(a.v, Value::Nil) {
                Value::str("<no value>")
            } else {
                a.v.clone()
            }
        })
        .collect();
    gofmt::sprint(&values)
}

fn length(item: &Rv) -> Result<i64, String> {
    match &item.v {
        Value::Nil if item.boxed => Err("len of nil pointer".to_string()),
        Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".to_string()),
        Value::String(s) | Value::Number(s) => Ok(s.len() as i64),
        Value::List(l) => Ok(l.len() as i64),
        Value::Map(m) => Ok(m.len() as i64),
        other => Err(format!("len of type {}", other.go_type())),
    }
}

fn index_arg(index: &Rv, cap: usize) -> Result<usize, String> {
    let x = match &index.v {
        Value::Int(i) => *i,
        Value::Nil => return Err("cannot index slice/array with nil".to_string()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.go_type()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Rv, indexes: &[Rv]) -> Result<Rv, String> {
    if matches!(item.v, Value::Nil) {
        return Err("index of untyped nil".to_string());
    }
    let mut cur = Rv::plain(item.v.clone());
    for ix in indexes {
        cur = match &cur.v {
            Value::Nil => return Err("index of nil pointer".to_string()),
            Value::List(items) => {
                let x = index_arg(ix, items.len())?;
                match items.get(x) {
                    Some(v) => Rv {
                        v: v.clone(),
                        boxed: true,
                    },
                    None => return Err("reflect: slice index out of range".to_string()),
                }
            }
            Value::String(s) | Value::Number(s) => {
                let x = index_arg(ix, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Rv::plain(Value::Int(i64::from(*b))),
                    None => return Err("reflect: string index out of range".to_string()),
                }
            }
            Value::Map(map) => match &ix.v {
                Value::String(k) => match map.get(&**k) {
                    Some(v) => Rv {
                        v: v.clone(),
                        boxed: true,
                    },
                    None => Rv {
                        v: Value::Nil,
                        boxed: true,
                    },
                },
                Value::Nil if !ix.boxed => {
                    return Err("value is nil; should be of type string".to_string());
                }
                Value::Nil => Rv {
                    v: Value::Nil,
                    boxed: true,
                },
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.go_type()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.go_type())),
        };
    }
    Ok(cur)
}

fn slice(item: &Rv, indexes: &[Rv]) -> Result<Value, String> {
    if matches!(item.v, Value::Nil) {
        return Err("slice of untyped nil".to_string());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item.v {
        Value::String(s) | Value::Number(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".to_string());
            }
            s.len()
        }
        Value::List(l) => l.len(),
        other => return Err(format!("can't slice item of type {}", other.go_type())),
    };
    let mut idx = [0, len, len];
    for (i, ix) in indexes.iter().enumerate() {
        idx[i] = index_arg(ix, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    match &item.v {
        Value::String(s) => match s.get(idx[0]..idx[1]) {
            Some(part) => Ok(Value::str(part)),
            None => Ok(Value::from(
                String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned(),
            )),
        },
        Value::Number(s) => Ok(Value::Number(Rc::from(s.get(idx[0]..idx[1]).unwrap_or("")))),
        Value::List(l) => Ok(Value::List(Rc::new(l[idx[0]..idx[1]].to_vec()))),
        _ => Err("unreachable slice".to_string()),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::String(_) | Value::Number(_) => Kind::String,
        Value::Nil | Value::List(_) | Value::Map(_) => Kind::Invalid,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn text(v: &Value) -> &str {
    match v {
        Value::String(s) | Value::Number(s) => s,
        _ => "",
    }
}

/// Go's `eq`: true when the first argument equals any of the others.
fn eq(arg1: &Rv, rest: &[Rv]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err("missing argument for comparison".to_string());
    }
    let a = &arg1.v;
    let k1 = basic_kind(a);
    for arg in rest {
        let b = &arg.v;
        let k2 = basic_kind(b);
        let truth = if k1 != k2 {
            if !matches!(a, Value::Nil) && !matches!(b, Value::Nil) {
                return Err(BAD_COMPARISON.to_string());
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                _ if k1 == Kind::String => text(a) == text(b),
                (Value::Nil, _) | (_, Value::Nil) => {
                    matches!(a, Value::Nil) == matches!(b, Value::Nil)
                }
                _ => {
                    return Err(format!(
                        "non-comparable type {}: {}",
                        b.to_go_string(),
                        b.go_type()
                    ));
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    let (a, b) = (&arg1.v, &arg2.v);
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(BAD_COMPARISON_TYPE.to_string());
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.to_string());
    }
    match (a, b) {
        (Value::Bool(_), _) => Err(BAD_COMPARISON_TYPE.to_string()),
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        _ => Ok(text(a) < text(b)),
    }
}

fn le(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if !c.is_control() => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
