//! The text gojq gives to values: its number format and its JSON encoder.
//!
//! gojq prints an integral float without a fraction (`1`, not `1.0`), switches to exponent
//! form below 1e-6 and from 1e21 on, sorts object keys and escapes strings its own way.
//! `tostring`, `tojson` (and so `@json`) and `@text` are replaced here by natives that
//! write that text, and so are `floor`, `ceil` and `round`, which give floats in gojq. Numbers read from the object carry it already (see `convert`), so
//! string interpolation of them matches gojq too.

use jaq_core::native::{Filter, Fun, bome, run, v};
use jaq_core::{DataT, RunPtr};
use jaq_json::{Num, Val};
use jaq_std::ValT as _;

/// Formats a float the way gojq's encoder does.
///
/// `NaN` becomes `null` and infinities are clamped to the largest finite float, as gojq
/// does; these cannot come from an object but can come from arithmetic.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "null".to_string();
    }
    let f = f.clamp(-f64::MAX, f64::MAX);

    let abs = f.abs();
    if (abs != 0.0 && abs < 1e-6) || abs >= 1e21 {
        // Rust's shortest exponent form is `1.5e-7` / `1e21`; Go writes `1.5e-07` and
        // `1e+21`, and gojq then drops the leading zero of a one-digit negative exponent.
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent}")
            }
            _ => text,
        }
    } else {
        format!("{f}")
    }
}

/// gojq's `tostring`: a string stays itself, anything else becomes its JSON text.
pub(crate) fn to_text(value: &Val) -> String {
    match value {
        Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => to_json(value),
    }
}

/// gojq's JSON encoding of a value.
pub(crate) fn to_json(value: &Val) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

/// The natives that replace jaq's text conversions.
pub(crate) fn funs<D: for<'a> DataT<V<'a> = Val>>() -> impl Iterator<Item = Fun<D>> {
    natives().into_vec().into_iter().map(run)
}

fn natives<D: for<'a> DataT<V<'a> = Val>>() -> Box<[Filter<RunPtr<D>>]> {
    Box::new([
        ("tostring", v(0), |cv| bome(Ok(text_val(&cv.1)))),
        ("@text", v(0), |cv| bome(Ok(text_val(&cv.1)))),
        ("tojson", v(0), |cv| bome(Ok(Val::from(to_json(&cv.1))))),
        ("floor", v(0), |cv| {
            bome(float_math(cv.1, "floor", f64::floor))
        }),
        ("ceil", v(0), |cv| bome(float_math(cv.1, "ceil", f64::ceil))),
        ("round", v(0), |cv| {
            bome(float_math(cv.1, "round", f64::round))
        }),
    ])
}

/// The names of jaq's own definitions and natives that `funs` replaces.
pub(crate) const REPLACED: [&str; 6] = ["tostring", "@text", "tojson", "floor", "ceil", "round"];

/// gojq's rounding functions always give a float (jaq's give integers), so `1.5 | floor`
/// never matches `"1"` in kwok.
fn float_math(value: Val, name: &str, f: fn(f64) -> f64) -> Result<Val, jaq_core::Error<Val>> {
    match value {
        Val::Num(_) => Ok(Val::from(f(value.as_f64().unwrap_or(f64::NAN)))),
        other => Err(jaq_core::Error::str(format_args!(
            "{name} cannot be applied to: {}",
            to_json(&other)
        ))),
    }
}

fn text_val(value: &Val) -> Val {
    match value {
        Val::TStr(_) => value.clone(),
        _ => Val::from(to_text(value)),
    }
}

fn write_json(value: &Val, out: &mut String) {
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(num) => write_num(num, value, out),
        Val::TStr(bytes) | Val::BStr(bytes) => write_str(&String::from_utf8_lossy(bytes), out),
        Val::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Val::Obj(map) => {
            // gojq sorts keys by their bytes, whatever order the object was built in.
            let mut entries: Vec<(String, &Val)> =
                map.iter().map(|(k, v)| (to_text(k), v)).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));

            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

fn write_num(num: &Num, value: &Val, out: &mut String) {
    match num {
        Num::Int(i) => out.push_str(&i.to_string()),
        Num::BigInt(i) => out.push_str(&i.to_string()),
        Num::Float(f) => out.push_str(&format_float(*f)),
        // Decimal literals (and the object's numbers) are floats to gojq.
        Num::Dec(_) => out.push_str(&format_float(value.as_f64().unwrap_or(f64::NAN))),
    }
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::format_float;

    #[test]
    fn floats_print_as_gojq_prints_them() {
        let cases: [(f64, &str); 14] = [
            (1.0, "1"),
            (-3.0, "-3"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.25e100, "1.25e+100"),
            (f64::INFINITY, "1.7976931348623157e+308"),
            (f64::NAN, "null"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float(f), want, "{f:?}");
        }
    }
}
