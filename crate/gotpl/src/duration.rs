//! Go's `time.ParseDuration`, exact to the nanosecond and with Go's error messages.
//!
//! sprig's `dateModify` and `durationRound` read durations with it, and the engine reads
//! kwok's delay strings (`"10s"`, `"1.5h"`) with it. This module only parses; when a string
//! is read as a duration is the caller's rule (a bare `"1000"` is not one, and kwok then
//! falls back to the static delay).

use std::fmt;

/// Nanoseconds, as Go's `time.Duration`.
pub type Nanos = i64;

/// Why a string is not a Go duration; the message is Go's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    pub message: String,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DurationError {}

/// Parses `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` (or a lone `0`) as Go does, with units ns, us,
/// µs, μs, ms, s, m and h, into nanoseconds.
pub fn parse_go_duration(text: &str) -> Result<Nanos, DurationError> {
    let invalid = || DurationError {
        message: format!("time: invalid duration {}", go_quote_simple(text)),
    };

    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }

    // Go accumulates in an unsigned 64-bit value and checks against 1<<63 at the end.
    let limit: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        // The integer part.
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_digits, after) = rest.split_at(int_len);
        let whole = leading_int(int_digits).ok_or_else(invalid)?;
        rest = after;

        // The fraction.
        let mut fraction = 0u64;
        let mut scale = 1f64;
        let mut has_fraction = false;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            let (frac_digits, after) = after_dot.split_at(frac_len);
            let mut overflow = false;
            for digit in frac_digits.bytes() {
                if overflow {
                    continue;
                }
                // Go stops reading fraction digits once another would overflow.
                if fraction > (limit - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let next = fraction * 10 + u64::from(digit - b'0');
                if next > limit {
                    overflow = true;
                    continue;
                }
                fraction = next;
                scale *= 10.0;
            }
            has_fraction = frac_len > 0;
            rest = after;
        }
        if int_len == 0 && !has_fraction {
            return Err(invalid());
        }

        // The unit.
        let unit_len = rest
            .char_indices()
            .find(|&(_, c)| c == '.' || c.is_ascii_digit())
            .map_or(rest.len(), |(i, _)| i);
        if unit_len == 0 {
            return Err(DurationError {
                message: format!("time: missing unit in duration {}", go_quote_simple(text)),
            });
        }
        let (unit_text, after) = rest.split_at(unit_len);
        let unit = unit_nanos(unit_text).ok_or_else(|| DurationError {
            message: format!(
                "time: unknown unit {} in duration {}",
                go_quote_simple(unit_text),
                go_quote_simple(text)
            ),
        })?;
        rest = after;

        let mut value = whole
            .checked_mul(unit)
            .filter(|v| *v <= limit)
            .ok_or_else(invalid)?;
        if fraction > 0 {
            // Go converts through float64 here, truncating.
            let extra = (fraction as f64 * (unit as f64 / scale)) as u64;
            value = value
                .checked_add(extra)
                .filter(|v| *v <= limit)
                .ok_or_else(invalid)?;
        }
        total = total
            .checked_add(value)
            .filter(|v| *v <= limit)
            .ok_or_else(invalid)?;
    }

    if negative {
        Ok((total as i128).wrapping_neg() as i64)
    } else if total >= limit {
        Err(invalid())
    } else {
        Ok(total as i64)
    }
}

/// The integer value of a run of ASCII digits (0 for none); `None` past 1<<63.
fn leading_int(digits: &str) -> Option<u64> {
    let mut value: u64 = 0;
    for digit in digits.bytes() {
        value = value
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
        if value > 1 << 63 {
            return None;
        }
    }
    Some(value)
}

fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `quote` helper in the time package: double quotes, with `"` and `\` escaped.
fn go_quote_simple(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    fn ok(text: &str) -> i64 {
        parse_go_duration(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> String {
        match parse_go_duration(text) {
            Ok(v) => panic!("{text} parsed as {v}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn valid_durations_as_go_reads_them() {
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("-0"), 0);
        assert_eq!(ok("+0"), 0);
        assert_eq!(ok("0s"), 0);
        assert_eq!(ok("10s"), 10 * S);
        assert_eq!(ok("300ms"), 300_000_000);
        assert_eq!(ok("1.5s"), 1_500_000_000);
        assert_eq!(ok("-1s"), -S);
        assert_eq!(ok("+5m"), 300 * S);
        assert_eq!(ok("2h45m"), (2 * 3600 + 45 * 60) * S);
        assert_eq!(ok("1h2m3s4ms5us6ns"), 3_723_004_005_006);
        assert_eq!(ok("1\u{b5}s"), 1_000);
        assert_eq!(ok("1\u{3bc}s"), 1_000);
        assert_eq!(ok(".5s"), 500_000_000);
        assert_eq!(ok("5.s"), 5 * S);
        assert_eq!(ok("1.000000001s"), 1_000_000_001);
        assert_eq!(ok("0.3333333333333333333h"), 1_200_000_000_000);
        assert_eq!(ok("9223372036854775807ns"), i64::MAX);
        assert_eq!(ok("-9223372036854775808ns"), i64::MIN);
    }

    #[test]
    fn invalid_durations_with_go_messages() {
        assert_eq!(err(""), r#"time: invalid duration """#);
        assert_eq!(err("1000"), r#"time: missing unit in duration "1000""#);
        assert_eq!(err("10"), r#"time: missing unit in duration "10""#);
        assert_eq!(err("s"), r#"time: invalid duration "s""#);
        assert_eq!(err("."), r#"time: invalid duration ".""#);
        assert_eq!(err(".s"), r#"time: invalid duration ".s""#);
        assert_eq!(err("-"), r#"time: invalid duration "-""#);
        assert_eq!(err("1d"), r#"time: unknown unit "d" in duration "1d""#);
        assert_eq!(err("1S"), r#"time: unknown unit "S" in duration "1S""#);
        assert_eq!(err("1 s"), r#"time: unknown unit " s" in duration "1 s""#);
        assert_eq!(err("abc"), r#"time: invalid duration "abc""#);
        assert_eq!(
            err("9223372036854775808ns"),
            r#"time: invalid duration "9223372036854775808ns""#
        );
        assert_eq!(err("3000000h"), r#"time: invalid duration "3000000h""#);
        assert_eq!(
            err("2006-01-02T15:04:05Z"),
            r#"time: unknown unit "-" in duration "2006-01-02T15:04:05Z""#
        );
    }
}
