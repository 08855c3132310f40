//! YAML 1.1 resolution of scalars, as go-yaml v2 does it.
//!
//! A plain scalar's type is guessed from its text: booleans (`y`, `yes`, `on`, ...), null
//! (`~`, empty), integers in Go's base-prefixed syntax (`0x1F`, `0o17`, `017`, `0b101`,
//! underscores ignored), floats (`1.5`, `1e3`, `.inf`) and timestamps, which stay strings in
//! generic values but are still a distinct type when the emitter decides whether to quote.
//! Explicit core tags (`!!str`, `!!int`, ...) force or check a type. This module owns the
//! text-to-value rules only; building nodes is `parse.rs`'s job.

use std::borrow::Cow;

/// What a scalar's text resolves to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// An integer too large for 64 bits (go-yaml keeps a `big.Int`); JSON consumers read it
    /// back as a float, so that is what we keep.
    BigInt(f64),
    /// A timestamp such as `2006-01-02`; it decodes to its text.
    Timestamp,
    /// The merge key `<<`.
    Merge,
    Str,
}

impl Scalar {
    /// The short tag go-yaml names this kind with in its messages.
    fn tag(&self) -> &'static str {
        match self {
            Scalar::Null => "!!null",
            Scalar::Bool(_) => "!!bool",
            Scalar::Int(_) | Scalar::UInt(_) | Scalar::BigInt(_) => "!!int",
            Scalar::Float(_) => "!!float",
            Scalar::Timestamp => "!!timestamp",
            Scalar::Merge => "!!merge",
            Scalar::Str => "!!str",
        }
    }
}

/// Resolves an untagged plain scalar.
pub(crate) fn resolve_plain(text: &str) -> Scalar {
    resolve_implicit(text, true)
}

/// Resolves a scalar with an explicit tag (already in short form, `!!int`). Tags outside the
/// core schema leave the text a string, as go-yaml does. `Ok(None)` means `!!binary`, which
/// the caller decodes.
pub(crate) fn resolve_tagged(tag: &str, text: &str) -> Result<Option<Scalar>, String> {
    match tag {
        "!!binary" => return Ok(None),
        "!!str" => return Ok(Some(Scalar::Str)),
        "!!bool" | "!!int" | "!!float" | "!!null" | "!!timestamp" => {}
        _ => return Ok(Some(Scalar::Str)),
    }

    let resolved = resolve_implicit(text, tag == "!!timestamp");
    let resolved = match resolved {
        // The merge key is only special as an untagged plain scalar.
        Scalar::Merge => Scalar::Str,
        other => other,
    };
    if resolved.tag() == tag {
        return Ok(Some(resolved));
    }
    if tag == "!!float" {
        // An integer tagged as a float becomes that float; only signed 64-bit integers do.
        if let Scalar::Int(i) = resolved {
            return Ok(Some(Scalar::Float(i as f64)));
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        resolved.tag(),
        text,
        tag
    ))
}

/// The shared resolution rules; `timestamps` says whether a timestamp is looked for
/// (go-yaml looks only for untagged scalars and explicit `!!timestamp`).
fn resolve_implicit(text: &str, timestamps: bool) -> Scalar {
    if let Some(known) = lookup(text) {
        return known;
    }
    let Some(&first) = text.as_bytes().first() else {
        return Scalar::Null;
    };

    match first {
        b'.' => match parse_go_float(text) {
            Some(f) => Scalar::Float(f),
            None => Scalar::Str,
        },
        b'0'..=b'9' | b'+' | b'-' => resolve_number(text, timestamps),
        _ => Scalar::Str,
    }
}

/// The fixed words of YAML 1.1 that go-yaml v2 knows.
fn lookup(text: &str) -> Option<Scalar> {
    // Every word below is at most five bytes long and starts with one of these bytes; most
    // scalars are not words, and this tells so without comparing against each.
    let first = text.bytes().next();
    let may_be_word = text.len() <= 5
        && matches!(
            first,
            None | Some(
                b'y' | b'Y'
                    | b'n'
                    | b'N'
                    | b't'
                    | b'T'
                    | b'f'
                    | b'F'
                    | b'o'
                    | b'O'
                    | b'~'
                    | b'.'
                    | b'+'
                    | b'-'
                    | b'<'
            )
        );
    if !may_be_word {
        return None;
    }
    let scalar = match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        "<<" => Scalar::Merge,
        _ => return None,
    };
    Some(scalar)
}

/// Text starting with a digit or a sign: a timestamp, an integer or a float, else a string.
fn resolve_number(text: &str, timestamps: bool) -> Scalar {
    if timestamps && is_timestamp(text) {
        return Scalar::Timestamp;
    }

    // Underscores are ignored; most numbers have none, and need no copy.
    let plain: Cow<str> = if text.contains('_') {
        Cow::Owned(text.chars().filter(|&c| c != '_').collect())
    } else {
        Cow::Borrowed(text)
    };
    if let Ok(i) = parse_go_int(&plain) {
        return Scalar::Int(i);
    }
    // go-yaml keeps only the unsigned parse's error, so a negative number out of range never
    // becomes a big integer below.
    let unsigned = parse_go_uint(&plain);
    if let Ok(u) = unsigned {
        return Scalar::UInt(u);
    }
    if is_yaml_float(&plain)
        && let Some(f) = parse_go_float(&plain)
    {
        return Scalar::Float(f);
    }
    if unsigned == Err(IntError::Range)
        && let Some(f) = parse_big_int(&plain)
    {
        return Scalar::BigInt(f);
    }
    Scalar::Str
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IntError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseInt(s, 0, 64)` on text without underscores.
fn parse_go_int(text: &str) -> Result<i64, IntError> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_go_uint(digits)?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Ok((magnitude as i128).wrapping_neg() as i64)
        } else {
            Err(IntError::Range)
        }
    } else {
        i64::try_from(magnitude).map_err(|_| IntError::Range)
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`: no sign, base from the prefix (`0x`, `0o`, `0b`, or a
/// leading `0` for octal).
fn parse_go_uint(text: &str) -> Result<u64, IntError> {
    let (radix, digits) = split_radix(text);
    if digits.is_empty() {
        return Err(IntError::Syntax);
    }
    let mut value: u64 = 0;
    let mut overflow = false;
    for c in digits.chars() {
        let digit = c.to_digit(radix).ok_or(IntError::Syntax)?;
        match value
            .checked_mul(u64::from(radix))
            .and_then(|v| v.checked_add(u64::from(digit)))
        {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if overflow {
        Err(IntError::Range)
    } else {
        Ok(value)
    }
}

/// The base and the digits of an unsigned integer in Go's base-prefixed syntax.
fn split_radix(text: &str) -> (u32, &str) {
    let bytes = text.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'0' {
        match bytes[1] {
            b'x' | b'X' => return (16, &text[2..]),
            b'o' | b'O' => return (8, &text[2..]),
            b'b' | b'B' => return (2, &text[2..]),
            _ => return (8, &text[1..]),
        }
    }
    (10, text)
}

/// `math/big`'s `SetString(s, 0)` for an integer too large for 64 bits, as a float.
fn parse_big_int(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = split_radix(rest);
    if digits.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in digits.chars() {
        value = value * f64::from(radix) + f64::from(c.to_digit(radix)?);
    }
    Some(if negative { -value } else { value })
}

/// go-yaml's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };

    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text: an overflow to infinity is an error.
fn parse_go_float(text: &str) -> Option<f64> {
    let lower = text.trim_start_matches(['+', '-']).to_ascii_lowercase();
    if lower.starts_with("inf") || lower.starts_with("nan") || text.contains('_') {
        // Go spells these without a dot and they never reach here in go-yaml's paths, except
        // after a sign, where the word lookup has already run.
        return None;
    }
    let f: f64 = text.parse().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

/// Whether go-yaml v2 reads the text as a timestamp: one of `2006-1-2T15:4:5.999999999Z07:00`
/// (also with a lower-case `t`), `2006-1-2 15:4:5.999999999` or `2006-1-2`, as Go's
/// `time.Parse` accepts them.
pub(crate) fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut cur = Cursor { b, i: 5 };
    let year = parse_u32(&b[..4]);

    let Some(month) = cur.number(2) else {
        return false;
    };
    if !cur.eat(b'-') {
        return false;
    }
    let Some(day) = cur.number(2) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    if cur.done() {
        return true;
    }

    let zoned = if cur.eat(b'T') || cur.eat(b't') {
        true
    } else if cur.peek() == Some(b' ') {
        while cur.eat(b' ') {}
        false
    } else {
        return false;
    };
    if !cur.clock() {
        return false;
    }
    if zoned && !cur.zone() {
        return false;
    }
    cur.done()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    /// One or up to `max` digits, as Go's layout elements `1`, `2`, `15`, `4` and `5` read.
    fn number(&mut self, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i == start {
            None
        } else {
            Some(parse_u32(&self.b[start..self.i]))
        }
    }

    /// `15:4:5` with an optional fraction of a second.
    fn clock(&mut self) -> bool {
        let Some(hour) = self.number(2) else {
            return false;
        };
        if !self.eat(b':') {
            return false;
        }
        let Some(minute) = self.number(2) else {
            return false;
        };
        if !self.eat(b':') {
            return false;
        }
        let Some(second) = self.number(2) else {
            return false;
        };
        if hour >= 24 || minute >= 60 || second >= 60 {
            return false;
        }
        if matches!(self.peek(), Some(b'.' | b','))
            && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        true
    }

    /// `Z07:00`: `Z` or `±hh:mm`.
    fn zone(&mut self) -> bool {
        if self.eat(b'Z') {
            return true;
        }
        if !(self.eat(b'+') || self.eat(b'-')) {
            return false;
        }
        let rest = &self.b[self.i..];
        if rest.len() < 5
            || !rest[0].is_ascii_digit()
            || !rest[1].is_ascii_digit()
            || rest[2] != b':'
            || !rest[3].is_ascii_digit()
            || !rest[4].is_ascii_digit()
        {
            return false;
        }
        let hours = parse_u32(&rest[..2]);
        let minutes = parse_u32(&rest[3..5]);
        self.i += 5;
        hours <= 24 && minutes <= 60
    }
}

fn parse_u32(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |n, d| {
        n.wrapping_mul(10).wrapping_add(u32::from(d - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether go-yaml's encoder quotes a string because YAML 1.1 would read it as a
/// sexagesimal number (`1:20`), which go-yaml itself no longer parses.
pub(crate) fn is_base60_float(text: &str) -> bool {
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        let start = i + 1;
        let mut j = start;
        while j < b.len() && j - start < 2 && b[j].is_ascii_digit() {
            j += 1;
        }
        let group = &b[start..j];
        let valid = match group {
            [d] => d.is_ascii_digit(),
            [a, _] => (b'0'..=b'5').contains(a),
            _ => false,
        };
        if !valid {
            // A two-digit group over 59 may still be one digit followed by more text, which
            // the pattern would then reject anyway.
            return false;
        }
        i = j;
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_looked_up() {
        let words = "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE \
                     off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf \
                     +.INF -.inf -.Inf -.INF <<";
        for word in words.split_whitespace().chain([""]) {
            assert!(lookup(word).is_some(), "{word:?}");
        }
        for text in [
            "yess",
            "Truee",
            "nulls",
            "<<<",
            ".infinity",
            "onion",
            "x",
            "1",
        ] {
            assert!(lookup(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn plain_scalars_resolve_as_go_yaml_v2() {
        let cases: &[(&str, Scalar)] = &[
            ("yes", Scalar::Bool(true)),
            ("Y", Scalar::Bool(true)),
            ("On", Scalar::Bool(true)),
            ("no", Scalar::Bool(false)),
            ("OFF", Scalar::Bool(false)),
            ("yES", Scalar::Str),
            ("", Scalar::Null),
            ("~", Scalar::Null),
            ("NULL", Scalar::Null),
            ("nULL", Scalar::Str),
            ("017", Scalar::Int(15)),
            ("0o17", Scalar::Int(15)),
            ("0x1F", Scalar::Int(31)),
            ("0X1f", Scalar::Int(31)),
            ("0b101", Scalar::Int(5)),
            ("-0b101", Scalar::Int(-5)),
            ("1_000", Scalar::Int(1000)),
            ("+12", Scalar::Int(12)),
            ("-12", Scalar::Int(-12)),
            ("0", Scalar::Int(0)),
            ("-0", Scalar::Int(0)),
            ("08", Scalar::Float(8.0)),
            ("9223372036854775807", Scalar::Int(i64::MAX)),
            ("-9223372036854775808", Scalar::Int(i64::MIN)),
            ("9223372036854775808", Scalar::UInt(9223372036854775808)),
            (
                "18446744073709551616",
                Scalar::Float(18446744073709551616.0),
            ),
            (
                "-9223372036854775809",
                Scalar::Float(-9223372036854775809.0),
            ),
            (
                "0x10000000000000000",
                Scalar::BigInt(18446744073709551616.0),
            ),
            ("1.5", Scalar::Float(1.5)),
            ("1.", Scalar::Float(1.0)),
            (".5", Scalar::Float(0.5)),
            ("+.5", Scalar::Float(0.5)),
            ("1e3", Scalar::Float(1000.0)),
            ("1E-2", Scalar::Float(0.01)),
            ("1_0.5", Scalar::Float(10.5)),
            ("1e400", Scalar::Str),
            (".inf", Scalar::Float(f64::INFINITY)),
            ("-.Inf", Scalar::Float(f64::NEG_INFINITY)),
            (".iNf", Scalar::Str),
            (".5_0", Scalar::Str),
            ("inf", Scalar::Str),
            ("-inf", Scalar::Str),
            ("+", Scalar::Str),
            ("0x", Scalar::Str),
            ("1k", Scalar::Str),
            ("1Ti", Scalar::Str),
            ("10.0.0.1", Scalar::Str),
            ("<no value>", Scalar::Str),
            ("<<", Scalar::Merge),
            ("2006-01-02T15:04:05Z", Scalar::Timestamp),
            ("2006-1-2t15:4:5.123+08:00", Scalar::Timestamp),
            ("2006-01-02 15:04:05", Scalar::Timestamp),
            ("2006-01-02", Scalar::Timestamp),
            ("2006-02-30", Scalar::Str),
            ("2006-01-02T15:04:05", Scalar::Str),
            ("2006-01-02x", Scalar::Str),
            ("1:20", Scalar::Str),
        ];
        for (text, want) in cases {
            let got = resolve_plain(text);
            match (&got, want) {
                (Scalar::Float(a), Scalar::Float(b)) if a.is_nan() && b.is_nan() => {}
                _ => assert_eq!(&got, want, "resolving {text:?}"),
            }
        }
        assert!(matches!(resolve_plain(".NaN"), Scalar::Float(f) if f.is_nan()));
    }

    #[test]
    fn explicit_tags_force_or_check_the_type() {
        assert_eq!(resolve_tagged("!!str", "123"), Ok(Some(Scalar::Str)));
        assert_eq!(resolve_tagged("!!int", "12"), Ok(Some(Scalar::Int(12))));
        assert_eq!(
            resolve_tagged("!!float", "12"),
            Ok(Some(Scalar::Float(12.0)))
        );
        assert_eq!(
            resolve_tagged("!!bool", "yes"),
            Ok(Some(Scalar::Bool(true)))
        );
        assert_eq!(resolve_tagged("!!null", ""), Ok(Some(Scalar::Null)));
        assert_eq!(resolve_tagged("!foo", "12"), Ok(Some(Scalar::Str)));
        assert_eq!(resolve_tagged("!!binary", "aGk="), Ok(None));
        assert_eq!(
            resolve_tagged("!!int", "abc"),
            Err("cannot decode !!str `abc` as a !!int".to_string())
        );
        assert_eq!(
            resolve_tagged("!!float", "18446744073709551615"),
            Err("cannot decode !!int `18446744073709551615` as a !!float".to_string())
        );
        assert_eq!(
            resolve_tagged("!!timestamp", "2001-01-01"),
            Ok(Some(Scalar::Timestamp))
        );
        assert_eq!(
            resolve_tagged("!!int", "2001-01-01"),
            Err("cannot decode !!str `2001-01-01` as a !!int".to_string())
        );
    }

    #[test]
    fn base60_floats_are_recognised_for_quoting() {
        for (text, want) in [
            ("1:20", true),
            ("-1:20:30.5", true),
            ("190:20:30", true),
            ("1:60", false),
            ("1:2:", false),
            ("a:20", false),
            ("1", false),
        ] {
            assert_eq!(is_base60_float(text), want, "{text:?}");
        }
    }
}
