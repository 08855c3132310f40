//! Template values: building them from JSON, truthiness, Go type names and Go's `%v` text.
//!
//! Numbers from the object stay `json.Number` (their JSON text), as kwok decodes objects
//! with `UseNumber`; floats that only exist as `f64` are written the way Go's
//! `encoding/json` writes a float64. Printing follows `fmt.Fprint`: maps as
//! `map[k:v]` with sorted keys, lists as `[a b]`, nil as `<nil>`.

use std::fmt::Write;
use std::rc::Rc;

use crate::Value;

impl Value {
    /// The object as kwok hands it to templates (JSON decoded with `UseNumber`).
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) if !n.is_i64() && !n.is_u64() => {
                    Value::Number(Rc::from(json_float(f).as_str()))
                }
                _ => Value::Number(Rc::from(n.to_string().as_str())),
            },
            serde_json::Value::String(s) => Value::String(Rc::from(s.as_str())),
            serde_json::Value::Array(items) => {
                Value::List(Rc::new(items.iter().map(Value::from_json).collect()))
            }
            serde_json::Value::Object(map) => Value::map_of(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// A map of `entries`. A map sorts what it is built from with a sort made for each kind
    /// of iterator; building every map from a `Vec` keeps that to one copy in the program.
    pub(crate) fn map_of(entries: Vec<(String, Value)>) -> Value {
        Value::Map(Rc::new(entries.into_iter().collect()))
    }

    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    /// Go's `isTrue`: false, zero numbers, nil and empty strings, lists and maps are false.
    /// A `json.Number` is a non-empty string, so `0` from the object is true.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Number(s) | Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// The Go type the value has inside a template (`reflect.Type.String()`).
    pub fn go_type(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Number(_) => "json.Number",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// Go's `fmt.Sprint(v)`.
    pub fn to_go_string(&self) -> String {
        let mut out = String::new();
        self.write_go(&mut out);
        out
    }

    /// Appends Go's `%v` text of the value.
    pub fn write_go(&self, out: &mut String) {
        match self {
            Value::Nil => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&go_float_v(*f)),
            Value::Number(s) | Value::String(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    v.write_go(out);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push_str("map[");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_go(out);
                }
                out.push(']');
            }
        }
    }

    /// The value as JSON, the way Go's `encoding/json` sees it.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Nil => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Number(s) => serde_json::from_str::<serde_json::Number>(s).map_or_else(
                |_| serde_json::Value::String(s.to_string()),
                serde_json::Value::Number,
            ),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Map(map) => {
                // Through a `Vec`, like every map built from entries (see `map_of`).
                let entries: Vec<(String, serde_json::Value)> =
                    map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
                serde_json::Value::Object(entries.into_iter().collect())
            }
        }
    }
}

/// The shortest decimal digits of `f` and its decimal exponent: `f = 0.DIGITS × 10^exp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// Go's `strconv.FormatFloat(f, 'e', -1, 64)`: `1e+21`, `1.5e-07`.
pub(crate) fn float_e(f: f64) -> String {
    let (digits, dp) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = if f == 0.0 { 0 } else { dp - 1 };
    let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    out
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`.
pub(crate) fn float_f(f: f64) -> String {
    let (digits, dp) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() && f != 0.0 {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    if dp <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-dp) as usize));
        out.push_str(&digits);
    } else if dp as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', dp as usize - digits.len()));
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// Go's `%v` of a float64 (`strconv` 'g' with the shortest digits): `1.5`, `1e+06`, `1e-05`.
pub fn go_float_v(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let (_, dp) = shortest_digits(f);
    let exp = dp - 1;
    // With the shortest digits Go switches to the exponent form from 1e+06 on.
    if !(-4..6).contains(&exp) {
        return float_e(f);
    }
    float_f(f)
}

/// Go's `encoding/json` text of a float64: 'f' form, 'e' form below 1e-6 or from 1e21.
///
/// `encoding/json` refuses NaN and the infinities (see [`json_unsupported`]); given one,
/// this returns Go's `%v` text of it, so that a caller that did not check still gets text.
pub fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return go_float_v(f);
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = float_e(f);
        // encoding/json writes e-07 as e-7.
        if let Some(i) = s.find("e-0") {
            return format!("{}e-{}", &s[..i], &s[i + 3..]);
        }
        return s;
    }
    float_f(f)
}

/// `strconv.ParseInt(text, 0, 64)`: one optional sign, then a decimal number, or one with a
/// `0x`, `0o`, `0b` or bare `0` (octal) prefix. Underscores may separate digits (and follow a
/// prefix) because the base is automatic; nothing else is accepted, not even a second sign.
pub fn parse_go_int(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_go_uint(body)?;

    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(body, 0, 64)`: the prefix picks the base, every other byte must be a
/// digit of that base or an underscore, and the underscores are then checked as a whole.
fn parse_go_uint(body: &str) -> Option<u64> {
    let bytes = body.as_bytes();
    let (radix, digits): (u8, &[u8]) = match bytes {
        [] => return None,
        // Go only reads a letter after the `0` as a prefix when a digit could follow it.
        [b'0', letter, _, ..] if letter.eq_ignore_ascii_case(&b'x') => (16, &bytes[2..]),
        [b'0', letter, _, ..] if letter.eq_ignore_ascii_case(&b'o') => (8, &bytes[2..]),
        [b'0', letter, _, ..] if letter.eq_ignore_ascii_case(&b'b') => (2, &bytes[2..]),
        [b'0', ..] => (8, &bytes[1..]),
        _ => (10, bytes),
    };

    let mut value: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        if c == b'_' {
            underscores = true;
            continue;
        }
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        if digit >= radix {
            return None;
        }
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(digit))?;
    }

    if underscores && !underscores_ok(body) {
        return None;
    }
    Some(value)
}

/// Go's `underscoreOK`: each underscore follows a digit or the base prefix and precedes a
/// digit. It is only asked once every byte was read as a digit or an underscore.
fn underscores_ok(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut i = 0;
    // 'p' = after a digit or the prefix, '_' = after an underscore, '^' = start, '!' = other.
    let mut saw = b'^';
    let mut hex = false;
    if bytes.len() >= 2 && bytes[0] == b'0' && matches!(bytes[1] | 0x20, b'x' | b'o' | b'b') {
        hex = bytes[1] | 0x20 == b'x';
        i = 2;
        saw = b'p';
    }
    for &c in &bytes[i..] {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'p';
        } else if c == b'_' {
            if saw != b'p' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// Go's `fmt.Sprintf("%#v", v)` of a value passed as `interface{}`: `"node"`, `1e+06`,
/// `[]interface {}{"a", interface {}(nil)}`.
pub fn go_sharp_v(v: &Value) -> String {
    crate::gofmt::sharp_v(v, false)
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    quote_into(&mut out, s, '"', false);
    out.push('"');
    out
}

/// Escapes `s` the way `strconv.Quote` does, for the quote character `q`.
pub(crate) fn quote_into(out: &mut String, s: &str, q: char, ascii_only: bool) {
    for c in s.chars() {
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() => out.push(c),
            c if !ascii_only && is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
}

/// Go's `strconv.IsPrint` for the characters templates meet: control characters, spaces
/// other than ASCII's, and the format characters listed are not printable.
// FIXME: Go decides by its Unicode tables, so unassigned (U+0378) and private-use (U+E000)
// characters are not printable there and strconv.Quote escapes them; here they pass as is.
fn is_go_printable(c: char) -> bool {
    let format = matches!(
        c as u32,
        0xfffe | 0xffff | 0xad | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff
    );
    !(c.is_control() || c.is_whitespace() && c != ' ' || format)
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(Rc::from(s.as_str()))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }
}

/// Go's `encoding/json` text of a value: map keys sorted, `json.Number` written as is,
/// `<`, `>` and `&` escaped when `escape_html` is set (as `json.Marshal` does).
pub fn go_json(v: &Value, escape_html: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, v, escape_html, None, 0);
    out
}

/// The error `json.Marshal` gives for `v`: Go's `json: unsupported value: NaN` for the
/// first float inside it that is not finite, `None` when `v` can be encoded.
pub fn json_unsupported(v: &Value) -> Option<String> {
    match v {
        Value::Float(f) if !f.is_finite() => {
            Some(format!("json: unsupported value: {}", go_float_v(*f)))
        }
        Value::List(items) => items.iter().find_map(json_unsupported),
        Value::Map(map) => map.values().find_map(json_unsupported),
        _ => None,
    }
}

/// Go's `json.MarshalIndent(v, "", indent)`.
pub fn go_json_indent(v: &Value, escape_html: bool, indent: &str) -> String {
    let mut out = String::new();
    write_json(&mut out, v, escape_html, Some(indent), 0);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_json(out: &mut String, v: &Value, html: bool, indent: Option<&str>, depth: usize) {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::Number(n) => out.push_str(if n.is_empty() { "0" } else { n }),
        Value::String(s) => json_string(out, s, html),
        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_json(out, item, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Map(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                json_string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, item, html, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

fn json_string(out: &mut String, s: &str, html: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Most text is printable ASCII that needs no escape at all.
    let plain = |b: u8| {
        (0x20..0x7f).contains(&b)
            && b != b'"'
            && b != b'\\'
            && !(html && matches!(b, b'<' | b'>' | b'&'))
    };
    if s.bytes().all(plain) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut run_start = 0;
    for (k, c) in s.char_indices() {
        let escape: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\x08' => Some("\\b"),
            '\x0c' => Some("\\f"),
            _ => None,
        };
        let unicode = (c as u32) < 0x20
            || matches!(c, '\u{2028}' | '\u{2029}')
            || (html && matches!(c, '<' | '>' | '&'));
        if escape.is_none() && !unicode {
            continue;
        }
        out.push_str(&s[run_start..k]);
        run_start = k + c.len_utf8();
        match escape {
            Some(e) => out.push_str(e),
            None => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_go_cannot_print() {
        assert_eq!(go_quote("a\u{a0}b\u{3000}"), r#""a\u00a0b\u3000""#);
        assert_eq!(go_quote("é\u{200b}\u{7f}\u{1}"), r#""é\u200b\x7f\x01""#);
        assert_eq!(go_quote("日本😀 x"), "\"日本😀 x\"");
        // FIXME: Go escapes these as \u0378 and \ue000 (its tables call them unprintable).
        assert_eq!(go_quote("\u{378}\u{e000}"), "\"\u{378}\u{e000}\"");
    }

    #[test]
    fn integers_as_strconv_reads_them() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("-0", Some(0)),
            ("+5", Some(5)),
            ("-5", Some(-5)),
            ("010", Some(8)),
            ("0x1F", Some(31)),
            ("0X1f", Some(31)),
            ("0o17", Some(15)),
            ("0b101", Some(5)),
            ("1_000", Some(1000)),
            ("0x_1f", Some(31)),
            ("0_7", Some(7)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("-9223372036854775809", None),
            ("--5", None),
            ("-+5", None),
            ("+-5", None),
            ("0x+5", None),
            ("", None),
            ("-", None),
            ("0x", None),
            ("08", None),
            ("1__0", None),
            ("_1", None),
            ("1_", None),
            ("1.0", None),
            (" 1", None),
            ("١", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_go_int(text), *want, "{text:?}");
        }
    }

    #[test]
    fn floats_as_go_prints_them() {
        assert_eq!(go_float_v(1e6), "1e+06");
        assert_eq!(go_float_v(123456.0), "123456");
        assert_eq!(go_float_v(1e-5), "1e-05");
        assert_eq!(go_float_v(f64::NEG_INFINITY), "-Inf");
        assert_eq!(json_float(1e6), "1000000");
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(f64::NAN), "NaN");
        assert_eq!(
            json_unsupported(&Value::from(vec![Value::Float(f64::INFINITY)])).as_deref(),
            Some("json: unsupported value: +Inf")
        );
    }
}
