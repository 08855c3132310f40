//! sprig's date functions (`date.go`) over the caller's virtual clock.
//!
//! Go's `time.Time` has no template value kind here; `now` gives the time as Go prints it
//! (`2024-01-01 00:00:10 +0000 UTC`) and the date functions accept that text back, as
//! well as Unix seconds. Layouts are Go's reference-time layouts.

use std::rc::Rc;

use super::{i, s};
use crate::{Env, Func, Funcs, Param, Value};

use Param::{Any, String as Str};

pub(super) fn register(funcs: &mut Funcs, env: &Rc<dyn Env>) {
    let e = env.clone();
    // FIXME: Go's now() is a time.Time printed with a monotonic-clock suffix ("m=+0.0001");
    // here it is the time's text without that suffix.
    funcs.insert(
        "now",
        Func::new(&[], move |_| {
            Ok(Value::from(format_layout(
                e.now(),
                "2006-01-02 15:04:05.999999999 -0700 MST",
            )))
        }),
    );
    funcs.insert(
        "date",
        Func::new(&[Str, Any], |a| {
            Ok(Value::from(format_layout(time_of(&a[1]), s(&a[0]))))
        }),
    );
    for name in ["dateInZone", "date_in_zone"] {
        funcs.insert(
            name,
            Func::new(&[Str, Any, Str], |a| {
                if !matches!(s(&a[2]), "UTC" | "" | "Local") {
                    return Err(format!("unknown time zone {}", s(&a[2])));
                }
                Ok(Value::from(format_layout(time_of(&a[1]), s(&a[0]))))
            }),
        );
    }
    funcs.insert(
        "htmlDate",
        Func::new(&[Any], |a| {
            Ok(Value::from(format_layout(time_of(&a[0]), "2006-01-02")))
        }),
    );
    funcs.insert(
        "unixEpoch",
        Func::new(&[Any], |a| {
            Ok(Value::from(
                (time_of(&a[0]).div_euclid(1_000_000_000)).to_string(),
            ))
        }),
    );
    funcs.insert(
        "duration",
        Func::new(&[Any], |a| {
            let secs = super::numeric::to_int64(&a[0]);
            Ok(Value::from(go_duration(secs.saturating_mul(1_000_000_000))))
        }),
    );
    let _ = i;
}

/// Nanoseconds since the epoch of a date argument: Go time text from `now`, or Unix seconds.
fn time_of(v: &Value) -> i64 {
    match v {
        Value::Int(secs) => secs.saturating_mul(1_000_000_000),
        Value::String(t) | Value::Number(t) => parse_go_time(t).unwrap_or(0),
        _ => 0,
    }
}

fn parse_go_time(t: &str) -> Option<i64> {
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
    let days = days_from_civil(y, m, d);
    Some((days * 86400 + hh * 3600 + mm * 60 + ss) * 1_000_000_000 + nanos)
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
