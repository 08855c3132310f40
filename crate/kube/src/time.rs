//! Virtual time as the API server stores it: nanoseconds since the Unix epoch, UTC, and the
//! RFC 3339 forms Kubernetes reads and writes.
//!
//! `metav1.Time` keeps whole seconds when it is encoded, so the stored form truncates any
//! fraction; `format_nanos` is Go's `time.RFC3339Nano`, used where kwok prints a time itself.

use chrono::{DateTime, SecondsFormat, Utc};

/// Nanoseconds since 1970-01-01T00:00:00Z.
pub type Nanos = i64;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Parses an RFC 3339 timestamp (fractions and offsets allowed) as Go's `time.RFC3339`
/// layout does: the `T` and the `Z` must be upper case.
pub fn parse_rfc3339(text: &str) -> Option<Nanos> {
    if text.as_bytes().get(10) != Some(&b'T') || text.ends_with('z') {
        return None;
    }
    let parsed = DateTime::parse_from_rfc3339(text).ok()?;
    parsed.timestamp_nanos_opt()
}

/// `metav1.Time` as stored: UTC, whole seconds (`2024-01-01T00:00:10Z`).
pub fn format_seconds(t: Nanos) -> String {
    // Go formats the broken-down time, which drops the fraction towards the earlier second,
    // also before the epoch.
    let seconds = t.div_euclid(NANOS_PER_SECOND);
    to_datetime(seconds, 0).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Go's `time.RFC3339Nano` in UTC: up to 9 fraction digits, trailing zeros trimmed.
pub fn format_nanos(t: Nanos) -> String {
    let seconds = t.div_euclid(NANOS_PER_SECOND);
    let fraction = t.rem_euclid(NANOS_PER_SECOND);
    let whole = to_datetime(seconds, 0).to_rfc3339_opts(SecondsFormat::Secs, true);
    if fraction == 0 {
        return whole;
    }
    let digits = format!("{fraction:09}");
    let digits = digits.trim_end_matches('0');
    // `whole` ends in `Z`; the fraction goes between the seconds and the zone.
    format!("{}.{}Z", &whole[..whole.len() - 1], digits)
}

/// Whether `text` has the shape [`format_seconds`] writes: `YYYY-MM-DDTHH:MM:SSZ`, with a
/// second below 60. A time of that shape that parses is already in its stored form, so a
/// caller can skip writing it again.
pub(crate) fn has_stored_shape(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Ok(bytes) = <&[u8; 20]>::try_from(bytes) else {
        return false;
    };
    let digits_at = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    let separators = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    digits_at.iter().all(|&at| bytes[at].is_ascii_digit())
        && separators.iter().all(|&(at, byte)| bytes[at] == byte)
        && bytes[17] < b'6'
}

fn to_datetime(seconds: i64, nanos: u32) -> DateTime<Utc> {
    // Every i64 nanosecond count divided into seconds is inside chrono's range.
    DateTime::from_timestamp(seconds, nanos).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Nanos = 1_704_067_200 * NANOS_PER_SECOND; // 2024-01-01T00:00:00Z

    #[test]
    fn parses_rfc3339_forms() {
        let cases: &[(&str, Option<Nanos>)] = &[
            ("2024-01-01T00:00:00Z", Some(T0)),
            ("2024-01-01T00:00:10Z", Some(T0 + 10 * NANOS_PER_SECOND)),
            ("2024-01-01T00:00:14.94777941Z", Some(T0 + 14_947_779_410)),
            ("2024-01-01T08:00:00+08:00", Some(T0)),
            ("2023-12-31T23:00:00-01:00", Some(T0)),
            ("2024-01-01", None),
            ("2024-01-01t00:00:00Z", None),
            ("2024-01-01 00:00:00Z", None),
            ("2024-01-01T00:00:00z", None),
            ("2024-01-01T00:00:00", None),
            ("", None),
            ("not a time", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_rfc3339(text), *want, "{text}");
        }
    }

    #[test]
    fn formats_whole_seconds_truncating() {
        let cases: &[(Nanos, &str)] = &[
            (T0, "2024-01-01T00:00:00Z"),
            (T0 + 14_947_779_410, "2024-01-01T00:00:14Z"),
            (T0 + 999_999_999, "2024-01-01T00:00:00Z"),
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (t, want) in cases {
            assert_eq!(format_seconds(*t), *want, "{t}");
        }
    }

    #[test]
    fn stored_shape_means_written_back_unchanged() {
        let cases: &[(&str, bool)] = &[
            ("2024-01-01T00:00:00Z", true),
            ("2024-02-29T23:59:59Z", true),
            ("1970-01-01T00:00:00Z", true),
            ("1969-12-31T23:59:59Z", true),
            ("2262-04-11T23:47:16Z", true),
            ("2024-01-01T00:00:14.94777941Z", false),
            ("2024-01-01T08:00:00+08:00", false),
            ("2016-12-31T23:59:60Z", false),
            ("2024-01-01T00:00:00z", false),
            ("2024-01-01t00:00:00Z", false),
            ("2024-01-01T00:00:0xZ", false),
            ("2024-01-01T00:00:00ZZ", false),
            ("", false),
        ];
        for (text, stored) in cases {
            assert_eq!(has_stored_shape(text), *stored, "{text}");
            if *stored {
                let t = parse_rfc3339(text).expect("a stored time parses");
                assert_eq!(format_seconds(t), *text);
            }
        }
        // A time of the shape that names no real day does not parse at all.
        assert!(has_stored_shape("2023-02-29T00:00:00Z"));
        assert_eq!(parse_rfc3339("2023-02-29T00:00:00Z"), None);
    }

    #[test]
    fn formats_rfc3339_nano() {
        let cases: &[(Nanos, &str)] = &[
            (T0, "2024-01-01T00:00:00Z"),
            (T0 + 12_582_153_551, "2024-01-01T00:00:12.582153551Z"),
            (T0 + 14_947_779_410, "2024-01-01T00:00:14.94777941Z"),
            (T0 + 500_000_000, "2024-01-01T00:00:00.5Z"),
            (-500_000_000, "1969-12-31T23:59:59.5Z"),
        ];
        for (t, want) in cases {
            assert_eq!(format_nanos(*t), *want, "{t}");
        }
    }
}
