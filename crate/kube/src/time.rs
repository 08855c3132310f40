//! Virtual time as the API server stores it: nanoseconds since the Unix epoch, UTC, and the
//! RFC 3339 forms Kubernetes reads and writes.
//!
//! `metav1.Time` keeps whole seconds when it is encoded, so the stored form truncates any
//! fraction; `format_nanos` is Go's `time.RFC3339Nano`, used where kwok prints a time itself.

use chrono::{DateTime, Datelike, NaiveDate};

/// Nanoseconds since 1970-01-01T00:00:00Z.
pub type Nanos = i64;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Parses an RFC 3339 timestamp (fractions and offsets allowed) as Go's `time.RFC3339`
/// layout does: the `T` and the `Z` must be upper case.
pub fn parse_rfc3339(text: &str) -> Option<Nanos> {
    if let Some(t) = parse_utc(text) {
        return Some(t);
    }
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
    let mut text = [0; 20];
    write_seconds(t.div_euclid(NANOS_PER_SECOND), &mut text);
    text[19] = b'Z';
    ascii(&text)
}

/// Go's `time.RFC3339Nano` in UTC: up to 9 fraction digits, trailing zeros trimmed.
pub fn format_nanos(t: Nanos) -> String {
    let mut text = [0; 30];
    write_seconds(t.div_euclid(NANOS_PER_SECOND), &mut text);
    let mut end = 19;
    let mut fraction = t.rem_euclid(NANOS_PER_SECOND);
    if fraction != 0 {
        let mut digits = 9;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        text[end] = b'.';
        write_digits(&mut text[end + 1..end + 1 + digits], fraction);
        end += 1 + digits;
    }
    text[end] = b'Z';
    ascii(&text[..=end])
}

/// `YYYY-MM-DDTHH:MM:SS` of a count of seconds since the epoch, in the first 19 bytes of
/// `text`. Every [`Nanos`] falls between the years 1677 and 2262, so the year always has
/// four digits.
fn write_seconds(seconds: i64, text: &mut [u8]) {
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    write_digits(&mut text[0..4], year);
    write_digits(&mut text[5..7], month);
    write_digits(&mut text[8..10], day);
    write_digits(&mut text[11..13], second_of_day / 3600);
    write_digits(&mut text[14..16], second_of_day / 60 % 60);
    write_digits(&mut text[17..19], second_of_day % 60);
    for (at, separator) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')] {
        text[at] = separator;
    }
}

/// Writes `n` (not negative) as decimal digits filling `out`, zero-padded.
fn write_digits(out: &mut [u8], mut n: i64) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// The text of bytes this module wrote, which are all ASCII (so the check always passes).
fn ascii(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap_or_default()
}

/// The time of `YYYY-MM-DDTHH:MM:SSZ`, or of the same with 1 to 9 fraction digits before
/// the `Z`, between 1970 and 2261: the forms the engine writes, read without the general
/// parser. `None` for any other text, which [`parse_rfc3339`] then reads in full.
fn parse_utc(text: &str) -> Option<Nanos> {
    let bytes = text.as_bytes();
    let (&b'Z', body) = bytes.split_last()? else {
        return None;
    };
    let (clock, fraction) = body.split_at_checked(19)?;
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators.iter().all(|&(at, byte)| clock[at] == byte) {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0_i64, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let year = number(&clock[0..4])?;
    let month = number(&clock[5..7])?;
    let day = number(&clock[8..10])?;
    let hour = number(&clock[11..13])?;
    let minute = number(&clock[14..16])?;
    let second = number(&clock[17..19])?;
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * 10_i64.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let in_range = (1970..=2261).contains(&year) && hour < 24 && minute < 60 && second < 60;
    if !in_range {
        return None;
    }
    // An impossible day (a 13th month, a 30th of February) has no count of days.
    let days = days_from_civil(year, month, day)?;
    let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second;
    Some(seconds * NANOS_PER_SECOND + nanos)
}

/// Days since 1970-01-01 of a date, or `None` when the month has no such day.
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    Some(i64::from(date.num_days_from_ce() - CE_DAYS_BEFORE_EPOCH))
}

/// The date of a count of days since 1970-01-01: [`days_from_civil`] backwards. Every day
/// a [`Nanos`] reaches is a chrono date, so the fallback to the epoch is never taken.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let date = i32::try_from(days)
        .ok()
        .and_then(|days| days.checked_add(CE_DAYS_BEFORE_EPOCH))
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or_default();
    (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

/// The number chrono gives 1970-01-01 when it counts days from 0001-01-01 as day 1.
const CE_DAYS_BEFORE_EPOCH: i32 = 719_163;

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

    /// The engine's own reading and writing of times agree with chrono's, across the whole
    /// range of [`Nanos`] and at the edges of days, months, years and leap years.
    #[test]
    fn own_forms_agree_with_chrono() {
        use chrono::{SecondsFormat, Utc};

        // Go's RFC3339Nano through chrono: whole seconds, then the nine fraction digits
        // without their trailing zeros.
        let chrono_seconds = |t: Nanos| {
            DateTime::<Utc>::from_timestamp(t.div_euclid(NANOS_PER_SECOND), 0)
                .expect("every Nanos is a chrono time")
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        };
        let chrono_nanos = |t: Nanos| {
            let whole = chrono_seconds(t);
            let digits = format!("{:09}", t.rem_euclid(NANOS_PER_SECOND));
            match digits.trim_end_matches('0') {
                "" => whole,
                digits => format!("{}.{digits}Z", &whole[..whole.len() - 1]),
            }
        };
        let chrono_parse = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .and_then(|t| t.timestamp_nanos_opt())
        };
        let mut times = vec![i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            times.push(state as i64);
            // Near the epoch and the years the runs use, whole and fractional seconds.
            times.push((state % 4_000_000_000) as i64 * 1_000_000_000 / 37);
            times.push(T0 + (state % 10_000_000_000_000_000) as i64);
        }
        for day in [
            "1970-01-01",
            "2000-02-29",
            "2100-02-28",
            "2100-03-01",
            "2024-12-31",
        ] {
            let start = parse_rfc3339(&format!("{day}T00:00:00Z")).expect("a real day");
            times.extend([start - 1, start, start + 86_399_999_999_999, start + 1]);
        }
        for t in times {
            assert_eq!(format_nanos(t), chrono_nanos(t), "{t}");
            assert_eq!(format_seconds(t), chrono_seconds(t), "{t}");
            for text in [format_nanos(t), format_seconds(t)] {
                assert_eq!(parse_rfc3339(&text), chrono_parse(&text), "{text}");
            }
        }
        for text in [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567891Z",
            "2024-01-01T00:00:00,5Z",
            "2024-01-01T00:00:0+Z",
            "+024-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "2262-04-11T23:47:16.854775807Z",
            "2262-04-11T23:47:16.854775808Z",
            "1677-09-21T00:12:43.145224192Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_rfc3339(text), chrono_parse(text), "{text}");
        }
    }
}
