//! sprig's number functions (`numeric.go`) and its random ones (`crypto.go`, `strings.go`).
//!
//! Integer maths converts every argument like `cast.ToInt64` (a missing value is 0, a
//! string or `json.Number` is parsed, an unparsable one is 0); float maths like
//! `cast.ToFloat64`.

use std::rc::Rc;

use super::{add, add_variadic, i, s, strval};
use crate::{Env, Func, Funcs, Param, Value, within_limit};

use Param::{Any, Int, String as Str};

/// `cast.ToInt64`, which sprig applies to every integer-maths argument.
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(t) | Value::Number(t) => parse_int(t).unwrap_or(0),
        _ => 0,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    // cast drops a ".0" suffix before parsing.
    let t = match text.find('.') {
        Some(dot) if text[dot + 1..].bytes().all(|b| b == b'0') => &text[..dot],
        _ => text,
    };
    crate::value::parse_go_int(t)
}

/// `cast.ToFloat64`.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(t) | Value::Number(t) => t.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn int(v: i64) -> Result<Value, String> {
    Ok(Value::Int(v))
}

fn float(v: f64) -> Result<Value, String> {
    Ok(Value::Float(v))
}

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

pub(super) fn register(funcs: &mut Funcs, env: &Rc<dyn Env>) {
    add_variadic(funcs, "add", &[Any], |a| {
        int(a.iter().map(to_int64).fold(0i64, i64::wrapping_add))
    });
    add(funcs, "add1", &[Any], |a| {
        int(to_int64(&a[0]).wrapping_add(1))
    });
    add(funcs, "sub", &[Any, Any], |a| {
        int(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))
    });
    add_variadic(funcs, "mul", &[Any, Any], |a| {
        int(a.iter().map(to_int64).fold(1i64, i64::wrapping_mul))
    });
    add(funcs, "div", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIVIDE_BY_ZERO.to_string());
        }
        int(to_int64(&a[0]).wrapping_div(d))
    });
    add(funcs, "mod", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIVIDE_BY_ZERO.to_string());
        }
        int(to_int64(&a[0]).wrapping_rem(d))
    });
    for name in ["max", "biggest"] {
        add_variadic(funcs, name, &[Any, Any], |a| {
            int(a.iter().map(to_int64).max().unwrap_or(0))
        });
    }
    add_variadic(funcs, "min", &[Any, Any], |a| {
        int(a.iter().map(to_int64).min().unwrap_or(0))
    });
    add_variadic(funcs, "maxf", &[Any, Any], |a| {
        float(a.iter().map(to_float64).fold(f64::NEG_INFINITY, f64::max))
    });
    add_variadic(funcs, "minf", &[Any, Any], |a| {
        float(a.iter().map(to_float64).fold(f64::INFINITY, f64::min))
    });
    add_variadic(funcs, "addf", &[Any], |a| {
        float(a.iter().map(to_float64).sum())
    });
    add(funcs, "add1f", &[Any], |a| float(to_float64(&a[0]) + 1.0));
    add_variadic(funcs, "subf", &[Any, Any], |a| {
        float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), |x, y| x - y),
        )
    });
    add_variadic(funcs, "mulf", &[Any, Any], |a| {
        float(
            a[1..]
                .iter()
                .map(to_float64)
                .fold(to_float64(&a[0]), |x, y| x * y),
        )
    });
    add_variadic(funcs, "divf", &[Any, Any], |a| {
        let mut x = to_float64(&a[0]);
        for d in a[1..].iter().map(to_float64) {
            if d == 0.0 {
                return Err("decimal division by 0".to_string());
            }
            x /= d;
        }
        float(x)
    });
    add(funcs, "ceil", &[Any], |a| float(to_float64(&a[0]).ceil()));
    add(funcs, "floor", &[Any], |a| float(to_float64(&a[0]).floor()));
    add_variadic(funcs, "round", &[Any, Int, Param::Float64], |a| {
        let places = i(&a[1]);
        let half = match a.get(2) {
            Some(Value::Float(h)) => *h,
            _ => 0.5,
        };
        let pow = 10f64.powi(places as i32);
        let digit = pow * to_float64(&a[0]);
        let (whole, frac) = (digit.trunc(), digit.fract());
        let rounded = if frac.abs() >= half {
            whole + frac.signum()
        } else {
            whole
        };
        float(rounded / pow)
    });
    add(funcs, "atoi", &[Str], |a| {
        int(s(&a[0]).parse::<i64>().unwrap_or(0))
    });
    add(funcs, "int", &[Any], |a| int(to_int64(&a[0])));
    add(funcs, "int64", &[Any], |a| int(to_int64(&a[0])));
    add(funcs, "float64", &[Any], |a| float(to_float64(&a[0])));
    add(funcs, "toDecimal", &[Any], |a| {
        int(i64::from_str_radix(&strval(&a[0]), 8).unwrap_or(0))
    });
    add_variadic(funcs, "seq", &[Int], |a| {
        let p: Vec<i64> = a.iter().map(i).collect();
        let (start, step, end) = match p.as_slice() {
            [] => return Ok(Value::str("")),
            [end] => (1, if *end >= 1 { 1 } else { -1 }, *end),
            [start, end] => (*start, if end >= start { 1 } else { -1 }, *end),
            [start, step, end, ..] => (*start, *step, *end),
        };
        // Go's int arithmetic wraps here, and an empty sequence follows.
        Ok(Value::from(
            until_step(start, end.wrapping_add(step.signum()), step)?
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        ))
    });
    add(funcs, "until", &[Int], |a| {
        let n = i(&a[0]);
        Ok(ints(&until_step(0, n, if n >= 0 { 1 } else { -1 })?))
    });
    add(funcs, "untilStep", &[Int, Int, Int], |a| {
        Ok(ints(&until_step(i(&a[0]), i(&a[1]), i(&a[2]))?))
    });

    let e = env.clone();
    funcs.insert(
        "randInt",
        Func::new(&[Int, Int], move |a| {
            let (lo, hi) = (i(&a[0]), i(&a[1]));
            // Go computes `rand.Intn(max-min)+min`: a span that overflows wraps negative
            // and Intn refuses it.
            let span = hi.wrapping_sub(lo);
            if span <= 0 {
                return Err("invalid argument to Intn".to_string());
            }
            Ok(Value::Int(
                lo.wrapping_add((e.next_u64() % span as u64) as i64),
            ))
        }),
    );
    let sets: [(&str, &str); 4] = [
        (
            "randAlphaNum",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        ),
        (
            "randAlpha",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        ),
        ("randNumeric", "0123456789"),
        (
            "randAscii",
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        ),
    ];
    for (name, set) in sets {
        let e = env.clone();
        funcs.insert(
            name,
            Func::new(&[Int], move |a| {
                let chars = set.as_bytes();
                let n = within_limit(usize::try_from(i(&a[0]).max(0)).ok(), name)?;
                let out: String = (0..n)
                    .map(|_| chars[(e.next_u64() % chars.len() as u64) as usize] as char)
                    .collect();
                Ok(Value::from(out))
            }),
        );
    }
    let e = env.clone();
    funcs.insert(
        "randBytes",
        Func::new(&[Int], move |a| {
            use base64::Engine;
            let n = within_limit(usize::try_from(i(&a[0]).max(0)).ok(), "randBytes")?;
            let bytes: Vec<u8> = (0..n).map(|_| e.next_u64() as u8).collect();
            Ok(Value::from(
                base64::engine::general_purpose::STANDARD.encode(bytes),
            ))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "uuidv4",
        Func::new(&[], move |_| {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&e.next_u64().to_le_bytes());
            b[8..].copy_from_slice(&e.next_u64().to_le_bytes());
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
            Ok(Value::from(format!(
                "{}-{}-{}-{}-{}",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..32]
            )))
        }),
    );
}

/// sprig's `untilStep`: from `start` towards `stop` (excluded) by `step`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    if step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop) {
        return Ok(Vec::new());
    }
    let span = (i128::from(stop) - i128::from(start)).unsigned_abs();
    let count = span.div_ceil(i128::from(step).unsigned_abs());
    let count = within_limit(usize::try_from(count).ok(), "untilStep")?;

    let mut out = Vec::with_capacity(count);
    let mut v = start;
    while out.len() < count {
        out.push(v);
        match v.checked_add(step) {
            Some(next) => v = next,
            None => break,
        }
    }
    Ok(out)
}

fn ints(v: &[i64]) -> Value {
    Value::from(v.iter().map(|x| Value::Int(*x)).collect::<Vec<_>>())
}
