//! Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` over template values.
//!
//! The verbs kwok templates use (`%v %s %d %q %x %X %o %b %c %e %f %g %t %%`) with flags,
//! width and precision, and Go's texts for mistakes: `%!d(string=x)`, `%!d(MISSING)`,
//! `%!(EXTRA string=x)`, `%!(NOVERB)`.

use std::fmt::Write;

use crate::Value;
use crate::value::{go_float_v, quote_into};

fn is_string_kind(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_))
}

/// Go's `fmt.Sprint`: spaces between operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !is_string_kind(a) && !is_string_kind(&args[i - 1]) {
            out.push(' ');
        }
        a.write_go(&mut out);
    }
    out
}

/// Go's `fmt.Sprintln`: spaces between all operands and a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        a.write_go(&mut out);
    }
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Go's `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut arg_i = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut f = Flags::default();
        while let Some(&(_, c)) = chars.peek() {
            match c {
                '-' => {
                    f.minus = true;
                    f.zero = false;
                }
                '+' => f.plus = true,
                '#' => f.sharp = true,
                ' ' => f.space = true,
                '0' => f.zero = !f.minus,
                _ => break,
            }
            chars.next();
        }
        f.width = read_num(&mut chars, args, &mut arg_i, &mut out);
        if chars.peek().is_some_and(|&(_, c)| c == '.') {
            chars.next();
            f.prec = Some(read_num(&mut chars, args, &mut arg_i, &mut out).unwrap_or(0));
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(arg_i) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        arg_i += 1;
        match verb {
            'T' => pad(&mut out, arg.go_type(), f, false),
            'v' if f.sharp => pad(&mut out, &sharp_v(arg, false), f, false),
            _ => format_value(&mut out, arg, verb, f, 0),
        }
    }
    if arg_i < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, a) in args[arg_i..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if matches!(a, Value::Nil) {
                out.push_str("<nil>");
            } else {
                let _ = write!(out, "{}={}", a.go_type(), a.to_go_string());
            }
        }
        out.push(')');
    }
    out
}

fn read_num(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    args: &[Value],
    arg_i: &mut usize,
    out: &mut String,
) -> Option<usize> {
    if chars.peek().is_some_and(|&(_, c)| c == '*') {
        chars.next();
        let v = match args.get(*arg_i) {
            Some(Value::Int(i)) if *i >= 0 && *i < 1_000_000 => Some(*i as usize),
            _ => {
                out.push_str("%!(BADWIDTH)");
                None
            }
        };
        *arg_i += 1;
        return v;
    }
    let mut n: Option<usize> = None;
    while let Some(&(_, c)) = chars.peek() {
        let Some(d) = c.to_digit(10) else { break };
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(d as usize)
                .min(1_000_000),
        );
        chars.next();
    }
    n
}

fn bad_verb(out: &mut String, v: &Value, verb: char) {
    if matches!(v, Value::Nil) {
        let _ = write!(out, "%!{verb}(<nil>)");
    } else {
        let _ = write!(out, "%!{verb}({}={})", v.go_type(), v.to_go_string());
    }
}

fn pad(out: &mut String, s: &str, f: Flags, numeric_zero: bool) {
    let len = s.chars().count();
    let width = f.width.unwrap_or(0);
    if len >= width {
        out.push_str(s);
        return;
    }
    let fill = width - len;
    if f.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if f.zero && numeric_zero {
        // Zeros go after the sign.
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'-' | b'+' | b' ') => s.split_at(1),
            _ => ("", s),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(rest);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(s);
    }
}

fn format_value(out: &mut String, v: &Value, verb: char, f: Flags, depth: usize) {
    match v {
        Value::Nil => {
            if verb == 'v' {
                pad(out, "<nil>", f, false);
            } else {
                bad_verb(out, v, verb);
            }
        }
        Value::Bool(b) => match verb {
            'v' | 't' => pad(out, if *b { "true" } else { "false" }, f, false),
            _ => bad_verb(out, v, verb),
        },
        Value::Int(i) => format_int(out, v, *i, verb, f),
        Value::Float(x) => format_float(out, v, *x, verb, f),
        Value::String(s) | Value::Number(s) => format_str(out, v, s, verb, f),
        Value::List(items) => {
            if depth > 0
                || matches!(
                    verb,
                    'v' | 's' | 'd' | 'q' | 'x' | 'X' | 'f' | 'e' | 'g' | 't' | 'o' | 'b' | 'c'
                )
            {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    format_value(out, item, verb, f, depth + 1);
                }
                out.push(']');
            } else {
                bad_verb(out, v, verb);
            }
        }
        Value::Map(map) => {
            out.push_str("map[");
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_str(out, &Value::str(k), k, verb, f);
                out.push(':');
                format_value(out, item, verb, f, depth + 1);
            }
            out.push(']');
        }
    }
}

fn format_int(out: &mut String, v: &Value, i: i64, verb: char, f: Flags) {
    let neg = i < 0;
    let mag = i.unsigned_abs();
    let (mut digits, prefix) = match verb {
        'v' | 'd' => (mag.to_string(), ""),
        'x' => (format!("{mag:x}"), "0x"),
        'X' => (format!("{mag:X}"), "0X"),
        'o' => (format!("{mag:o}"), "0"),
        'O' => (format!("{mag:o}"), "0o"),
        'b' => (format!("{mag:b}"), "0b"),
        'c' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
            pad(out, &c.to_string(), f, false);
            return;
        }
        'q' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
            let mut s = String::from("'");
            quote_into(&mut s, &c.to_string(), '\'', f.plus);
            s.push('\'');
            pad(out, &s, f, false);
            return;
        }
        'U' => {
            let s = format!("U+{:04X}", i);
            pad(out, &s, f, false);
            return;
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 's' | 't' => {
            bad_verb(out, v, verb);
            return;
        }
        _ => {
            bad_verb(out, v, verb);
            return;
        }
    };
    if let Some(p) = f.prec {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut s = String::new();
    if neg {
        s.push('-');
    } else if f.plus {
        s.push('+');
    } else if f.space {
        s.push(' ');
    }
    if (f.sharp && !(verb == 'o' && digits.starts_with('0'))) || verb == 'O' {
        s.push_str(prefix);
    }
    s.push_str(&digits);
    pad(
        out,
        &s,
        Flags {
            zero: f.zero && f.prec.is_none(),
            ..f
        },
        true,
    );
}

fn exp_go(s: String) -> String {
    // Rust writes 1.5e-7; Go writes 1.5e-07.
    match s.split_once(['e', 'E']) {
        Some((m, e)) => {
            let upper = s.contains('E');
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}{}{sign}{:0>2}", if upper { 'E' } else { 'e' }, digits)
        }
        None => s,
    }
}

fn format_float(out: &mut String, v: &Value, x: f64, verb: char, f: Flags) {
    let body = if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".to_string()
        }
    } else {
        match (verb, f.prec) {
            ('v' | 'g' | 'G', None) => {
                let s = go_float_v(x);
                if verb == 'G' { s.to_uppercase() } else { s }
            }
            ('g' | 'G' | 'v', Some(p)) => {
                let p = p.max(1);
                let e = format!("{:.*e}", p - 1, x);
                let exp: i32 = e
                    .split_once('e')
                    .and_then(|(_, e)| e.parse().ok())
                    .unwrap_or(0);
                let s = if exp < -4 || exp >= p as i32 {
                    let (m, _) = e.split_once('e').unwrap_or((&e, ""));
                    let m = if f.sharp {
                        m.to_string()
                    } else {
                        trim_zeros(m)
                    };
                    exp_go(format!("{m}e{exp}"))
                } else {
                    let decimals = (p as i32 - 1 - exp).max(0) as usize;
                    let s = format!("{x:.decimals$}");
                    if f.sharp { s } else { trim_zeros(&s) }
                };
                if verb == 'G' { s.to_uppercase() } else { s }
            }
            ('e' | 'E', p) => {
                let s = exp_go(format!("{:.*e}", p.unwrap_or(6), x));
                if verb == 'E' { s.to_uppercase() } else { s }
            }
            ('f' | 'F', p) => format!("{:.*}", p.unwrap_or(6), x),
            _ => {
                bad_verb(out, v, verb);
                return;
            }
        }
    };
    let mut s = String::new();
    if f.plus && !body.starts_with(['-', '+']) {
        s.push('+');
    } else if f.space && !body.starts_with(['-', '+']) {
        s.push(' ');
    }
    s.push_str(&body);
    pad(out, &s, f, x.is_finite());
}

fn trim_zeros(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    let t = s.trim_end_matches('0');
    t.trim_end_matches('.').to_string()
}

fn format_str(out: &mut String, v: &Value, s: &str, verb: char, f: Flags) {
    match verb {
        'v' | 's' => {
            let s: String = match f.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            pad(out, &s, f, false);
        }
        'q' => {
            let mut q = String::new();
            if f.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
                q.push('`');
                q.push_str(s);
                q.push('`');
            } else {
                q.push('"');
                quote_into(&mut q, s, '"', f.plus);
                q.push('"');
            }
            pad(out, &q, f, false);
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = match f.prec {
                Some(p) => &bytes[..p.min(bytes.len())],
                None => bytes,
            };
            let mut h = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if f.space && i > 0 {
                    h.push(' ');
                }
                if f.sharp && (f.space || i == 0) {
                    h.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    let _ = write!(h, "{b:02x}");
                } else {
                    let _ = write!(h, "{b:02X}");
                }
            }
            pad(out, &h, f, false);
        }
        _ => bad_verb(out, v, verb),
    }
}

/// Go's `%#v`: the value as Go syntax. `boxed` marks an element of a container, where
/// Go writes a nil as `interface {}(nil)`.
pub(crate) fn sharp_v(v: &Value, boxed: bool) -> String {
    match v {
        Value::Nil if boxed => "interface {}(nil)".to_string(),
        Value::Nil => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => go_float_v(*x),
        Value::String(s) | Value::Number(s) => crate::value::go_quote(s),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| sharp_v(i, true)).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        Value::Map(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, i)| format!("{}:{}", crate::value::go_quote(k), sharp_v(i, true)))
                .collect();
            format!("map[string]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}
