//! Go's `time.ParseDuration`, which kwok applies to delay strings read by jq, and the one
//! formatter the project writes Go durations with.
//!
//! The parser lives in `stage_gotpl::duration`, where sprig's date functions use it too;
//! the rules about when a string is read as a duration live in `delay`.

pub use stage_gotpl::duration::{DurationError, Nanos, parse_go_duration};

const SECOND: Nanos = 1_000_000_000;
const MILLISECOND: Nanos = 1_000_000;

/// A duration as Go-duration text that [`parse_go_duration`] reads back exactly: hours,
/// minutes and seconds (with their fraction), leaving out the parts that are zero, so
/// `1h`, `1m30s`, `10m0.01s` and `1.5s`. Under a second it is milliseconds (`250ms`,
/// `0.5ms`), as Go prints it; zero is `0s`.
pub fn format_go_duration(nanos: Nanos) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let nanos = nanos.unsigned_abs();
    let second = SECOND.unsigned_abs();
    if nanos < second {
        let millis = MILLISECOND.unsigned_abs();
        return format!("{sign}{}ms", decimal(nanos / millis, nanos % millis, 6));
    }

    let (hours, minutes) = (nanos / (3600 * second), nanos / (60 * second) % 60);
    let (seconds, fraction) = (nanos / second % 60, nanos % second);
    let mut text = sign.to_string();
    if hours > 0 {
        text.push_str(&format!("{hours}h"));
    }
    if minutes > 0 {
        text.push_str(&format!("{minutes}m"));
    }
    if seconds > 0 || fraction > 0 {
        text.push_str(&format!("{}s", decimal(seconds, fraction, 9)));
    }
    text
}

/// `whole.fraction` with the fraction's `digits` digits, trailing zeros left out.
fn decimal(whole: u64, fraction: u64, digits: usize) -> String {
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0digits$}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatted_durations_parse_back_exactly() {
        let cases = [
            (0, "0s"),
            (250 * MILLISECOND, "250ms"),
            (500_000, "0.5ms"),
            (1_500 * MILLISECOND, "1.5s"),
            (60 * SECOND, "1m"),
            (90 * SECOND, "1m30s"),
            (61_234 * MILLISECOND, "1m1.234s"),
            (600_010 * MILLISECOND, "10m0.01s"),
            (3600 * SECOND, "1h"),
            (3601 * SECOND, "1h1s"),
            (SECOND + 1, "1.000000001s"),
            (-90 * SECOND, "-1m30s"),
        ];
        for (nanos, text) in cases {
            assert_eq!(format_go_duration(nanos), text, "{nanos}");
            assert_eq!(parse_go_duration(text), Ok(nanos), "{text}");
        }
    }
}
