//! sprig's date functions (`date.go`) over the caller's virtual clock.
//!
//! Go's `time.Time` has no template value kind here; `now` gives the time as Go prints it
//! (`2024-01-01 00:00:10 +0000 UTC`) and the date functions accept that text back, as
//! well as Unix seconds. Layouts are Go's reference-time layouts.

use std::rc::Rc;

use super::s;
use crate::duration::parse_go_duration;
use crate::{Env, Func, Funcs, Param, Value};

use Param::{Any, String as Str};

pub(super) fn register(funcs: &mut Funcs, env: &Rc<dyn Env>) {
    let e = env.clone();
    // FIXME: Go's now() is a time.Time printed with a monotonic-clock suffix ("m=+0.0001");
    // here it is the time's text without that suffix.
    funcs.insert(
        "now",
        Func::new(&[], move |_| {
            Ok(Value::from(format_layout(e.now(), GO_TIME_LAYOUT)))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "date",
        Func::new(&[Str, Any], move |a| {
            Ok(Value::from(format_layout(
                time_of(&a[1], e.now()),
                s(&a[0]),
            )))
        }),
    );
    for name in ["dateInZone", "date_in_zone"] {
        let e = env.clone();
        funcs.insert(
            name,
            Func::new(&[Str, Any, Str], move |a| {
                // FIXME: every zone is UTC here (sprig falls back to UTC only for unknown zones).
                Ok(Value::from(format_layout(
                    time_of(&a[1], e.now()),
                    s(&a[0]),
                )))
            }),
        );
    }
    let e = env.clone();
    funcs.insert(
        "htmlDate",
        Func::new(&[Any], move |a| {
            Ok(Value::from(format_layout(
                time_of(&a[0], e.now()),
                "2006-01-02",
            )))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "htmlDateInZone",
        Func::new(&[Any, Str], move |a| {
            Ok(Value::from(format_layout(
                time_of(&a[0], e.now()),
                "2006-01-02",
            )))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "unixEpoch",
        Func::new(&[Any], move |a| {
            Ok(Value::from(
                time_of(&a[0], e.now())
                    .div_euclid(1_000_000_000)
                    .to_string(),
            ))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "ago",
        Func::new(&[Any], move |a| {
            let now = e.now();
            let since = now.saturating_sub(time_of(&a[0], now));
            // Go rounds to whole seconds, halves away from zero.
            let secs = (since as f64 / 1e9).round() as i64;
            Ok(Value::from(go_duration(secs.saturating_mul(1_000_000_000))))
        }),
    );
    for (name, must) in [
        ("dateModify", false),
        ("date_modify", false),
        ("mustDateModify", true),
        ("must_date_modify", true),
    ] {
        funcs.insert(
            name,
            Func::new(&[Str, Any], move |a| {
                let t = time_of(&a[1], 0);
                match parse_go_duration(s(&a[0])) {
                    Ok(d) => Ok(Value::from(format_layout(
                        t.saturating_add(d),
                        GO_TIME_LAYOUT,
                    ))),
                    Err(error) if must => Err(error.message),
                    Err(_) => Ok(Value::from(format_layout(t, GO_TIME_LAYOUT))),
                }
            }),
        );
    }
    for (name, must) in [("toDate", false), ("mustToDate", true)] {
        funcs.insert(
            name,
            Func::new(&[Str, Str], move |a| {
                let (layout, value) = (s(&a[0]), s(&a[1]));
                match parse_layout(layout, value) {
                    Ok(t) => Ok(Value::from(format_layout(t, GO_TIME_LAYOUT))),
                    Err(error) if must => Err(error.message(layout, value)),
                    Err(_) => Ok(Value::str("0001-01-01 00:00:00 +0000 UTC")),
                }
            }),
        );
    }
    funcs.insert(
        "duration",
        Func::new(&[Any], |a| {
            let secs = match &a[0] {
                Value::String(t) => t.parse::<i64>().unwrap_or(0),
                other => super::numeric::to_int64(other),
            };
            Ok(Value::from(go_duration(secs.saturating_mul(1_000_000_000))))
        }),
    );
    let e = env.clone();
    funcs.insert(
        "durationRound",
        Func::new(&[Any], move |a| {
            let d: i64 = match &a[0] {
                Value::String(t) => parse_go_duration(t).unwrap_or(0),
                Value::Int(n) => *n,
                Value::Number(t) => parse_go_time(t).map_or(0, |t| e.now() - t),
                _ => 0,
            };
            Ok(Value::from(duration_round(d)))
        }),
    );
}

/// How Go prints a `time.Time` (without the monotonic reading).
const GO_TIME_LAYOUT: &str = "2006-01-02 15:04:05.999999999 -0700 MST";

/// Nanoseconds since the epoch of a date argument: Go time text from `now`, or Unix
/// seconds; anything else is the current time, as sprig's `date` does.
fn time_of(v: &Value, now: i64) -> i64 {
    match v {
        Value::Int(secs) => secs.saturating_mul(1_000_000_000),
        Value::String(t) => parse_go_time(t).unwrap_or(now),
        _ => now,
    }
}

/// sprig's `durationRound`: the largest unit only (`2h`, `3d`, `1y`).
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "m"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, unit) in units {
        if u > size {
            return format!("{}{unit}", u / size);
        }
    }
    "0s".to_string()
}

/// Why `time.Parse` refused a value.
enum ParseError {
    /// The value does not follow the layout.
    Mismatch,
    /// A field is outside its range: Go names it ("day out of range").
    Range(&'static str),
}

impl ParseError {
    fn message(&self, layout: &str, value: &str) -> String {
        let value = crate::value::go_quote(value);
        match self {
            ParseError::Mismatch => format!(
                "parsing time {value} as {}: cannot parse",
                crate::value::go_quote(layout)
            ),
            ParseError::Range(field) => format!("parsing time {value}: {field} out of range"),
        }
    }
}

/// Go's `time.Parse` for the numeric layouts templates use (`2006-01-02`,
/// `2006-01-02T15:04:05Z07:00`, ...): each layout token reads the matching digits.
fn parse_layout(layout: &str, value: &str) -> Result<i64, ParseError> {
    read_layout(layout, value).ok_or(ParseError::Mismatch)?
}

/// The fields of `value` read by `layout`, then checked as Go checks them.
fn read_layout(layout: &str, value: &str) -> Option<Result<i64, ParseError>> {
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec) = (1i64, 1i64, 1i64, 0i64, 0i64, 0i64);
    let (mut l, mut v) = (layout, value);
    while !l.is_empty() {
        let take = |v: &mut &str, n: usize| -> Option<i64> {
            let part = v.get(..n)?;
            let x = part.parse().ok()?;
            *v = &v[n..];
            Some(x)
        };
        if let Some(r) = l.strip_prefix("2006") {
            y = take(&mut v, 4)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("01") {
            mo = take(&mut v, 2)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("02") {
            d = take(&mut v, 2)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("15") {
            h = take(&mut v, 2)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("04") {
            mi = take(&mut v, 2)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("05") {
            sec = take(&mut v, 2)?;
            l = r;
        } else if let Some(r) = l.strip_prefix("Z07:00") {
            v = v.strip_prefix('Z')?;
            l = r;
        } else {
            let c = l.chars().next()?;
            v = v.strip_prefix(c)?;
            l = &l[c.len_utf8()..];
        }
    }
    if !v.is_empty() {
        return None;
    }
    // Go checks each field as it reads it, and the day against the month's end last.
    let checks = [
        (mo, 1, 12, "month"),
        (h, 0, 23, "hour"),
        (mi, 0, 59, "minute"),
        (sec, 0, 59, "second"),
    ];
    if let Some((.., field)) = checks.iter().find(|(n, lo, hi, _)| !(lo..=hi).contains(&n)) {
        return Some(Err(ParseError::Range(field)));
    }
    if !(1..=days_in_month(y, mo)).contains(&d) {
        return Some(Err(ParseError::Range("day")));
    }
    Some(civil_nanos(y, mo, d, h * 3600 + mi * 60 + sec, 0).ok_or(ParseError::Mismatch))
}

/// The days of month `m` (1-12) of year `y` in the proleptic Gregorian calendar.
fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Nanoseconds since the epoch of a civil date and a time of day; `None` outside the
/// years 1678 to 2262 that 64-bit nanoseconds hold.
// FIXME: Go's time.Time reaches far wider years; a date outside this range is treated as
// unparsable here (toDate gives the zero time), where Go would print it.
fn civil_nanos(y: i64, m: i64, d: i64, second_of_day: i64, nanos: i64) -> Option<i64> {
    days_from_civil(y, m, d)
        .checked_mul(86400)?
        .checked_add(second_of_day)?
        .checked_mul(1_000_000_000)?
        .checked_add(nanos)
}

/// Reads back the text `now` gives (`2024-01-01 00:00:10.5 +0000 UTC`); any other text,
/// an RFC 3339 timestamp included, is not a time to sprig.
fn parse_go_time(t: &str) -> Option<i64> {
    if t.as_bytes().get(10) != Some(&b' ') || !t.ends_with(" +0000 UTC") {
        return None;
    }
    let date = t.get(..10)?;
    let time = t.get(11..19)?;
    let mut dp = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (dp.next()??, dp.next()??, dp.next()??);
    let mut tp = time.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (tp.next()??, tp.next()??, tp.next()??);
    let mut nanos = 0i64;
    if let Some(frac) = t.get(19..).and_then(|r| r.strip_prefix('.')) {
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
        nanos = format!("{digits:0<9}").get(..9)?.parse().ok()?;
    }
    if [y, m, d, hh, mm, ss]
        .iter()
        .any(|n| !(0..=9999).contains(n))
    {
        return None;
    }
    civil_nanos(y, m, d, hh * 3600 + mm * 60 + ss, nanos)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Go's `Time.Format` in UTC for a reference-time layout.
pub(crate) fn format_layout(nanos: i64, layout: &str) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let frac = nanos.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86400);
    let sod = secs.rem_euclid(86400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (sod / 3600, sod % 3600 / 60, sod % 60);
    let wd = (days + 4).rem_euclid(7) as usize;
    let yday = days - days_from_civil(y, 1, 1) + 1;
    let mut out = String::new();
    let mut rest = layout;
    while !rest.is_empty() {
        const TOKENS: &[&str] = &[
            "January",
            "Monday",
            "Jan",
            "Mon",
            "MST",
            "2006",
            "002",
            "01",
            "02",
            "03",
            "04",
            "05",
            "06",
            "_2",
            "15",
            "-07:00:00",
            "-0700",
            "-07:00",
            "-07",
            "Z07:00:00",
            "Z0700",
            "Z07:00",
            "Z07",
            "PM",
            "pm",
            "1",
            "2",
            "3",
            "4",
            "5",
        ];
        if let Some(frac_len) = frac_token(rest) {
            let (keep_zeros, n) = frac_len;
            let digits = format!("{frac:09}");
            let digits = &digits[..n];
            if keep_zeros {
                out.push('.');
                out.push_str(digits);
            } else {
                let t = digits.trim_end_matches('0');
                if !t.is_empty() {
                    out.push('.');
                    out.push_str(t);
                }
            }
            rest = &rest[n + 1..];
            continue;
        }
        let Some(tok) = TOKENS.iter().find(|t| rest.starts_with(**t)) else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let text = match *tok {
            "January" => MONTHS[(mo - 1) as usize].to_string(),
            "Jan" => MONTHS[(mo - 1) as usize][..3].to_string(),
            "Monday" => DAYS[wd].to_string(),
            "Mon" => DAYS[wd][..3].to_string(),
            "MST" => "UTC".to_string(),
            "2006" => format!("{y:04}"),
            "06" => format!("{:02}", y.rem_euclid(100)),
            "002" => format!("{yday:03}"),
            "01" => format!("{mo:02}"),
            "1" => mo.to_string(),
            "02" => format!("{d:02}"),
            "_2" => format!("{d:>2}"),
            "2" => d.to_string(),
            "15" => format!("{h:02}"),
            "03" => format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 }),
            "3" => (if h % 12 == 0 { 12 } else { h % 12 }).to_string(),
            "04" => format!("{mi:02}"),
            "4" => mi.to_string(),
            "05" => format!("{s:02}"),
            "5" => s.to_string(),
            "PM" => (if h >= 12 { "PM" } else { "AM" }).to_string(),
            "pm" => (if h >= 12 { "pm" } else { "am" }).to_string(),
            "-0700" => "+0000".to_string(),
            "-07:00" => "+00:00".to_string(),
            "-07" => "+00".to_string(),
            "-07:00:00" => "+00:00:00".to_string(),
            _ => "Z".to_string(),
        };
        out.push_str(&text);
        rest = &rest[tok.len()..];
    }
    out
}

/// A `.000` or `.999` fraction in a layout: (keep trailing zeros, digit count).
fn frac_token(rest: &str) -> Option<(bool, usize)> {
    let b = rest.as_bytes();
    if b.first() != Some(&b'.') && b.first() != Some(&b',') {
        return None;
    }
    let digit = *b.get(1)?;
    if digit != b'0' && digit != b'9' {
        return None;
    }
    let n = b[1..].iter().take_while(|c| **c == digit).count();
    if b.get(1 + n).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((digit == b'0', n.min(9)))
}

/// Go's `time.Duration.String`: `1h2m3s`, `1.5s`, `0s`.
pub(crate) fn go_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_string();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_text(u, div));
        out.push_str(unit);
    } else {
        let secs = u / 1_000_000_000;
        let (h, m) = (secs / 3600, secs % 3600 / 60);
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac_text(u % 60_000_000_000, 1_000_000_000));
        out.push('s');
    }
    if neg { format!("-{out}") } else { out }
}

fn frac_text(v: u64, div: u64) -> String {
    let whole = v / div;
    let frac = v % div;
    if frac == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}
