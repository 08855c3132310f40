//! Go's `strconv.FormatFloat(f, 'g', -1, bits)`, which go-yaml uses to write floats and
//! `sigs.k8s.io/yaml` uses to turn float keys into strings.
//!
//! Shortest round-trip digits come from Rust's own formatting; only the layout (when to use
//! an exponent, how the exponent is written) is Go's.

/// Formats like Go's `%g` with the shortest precision: an exponent when it is below -4 or at
/// least 6 (`1e+06`, `1.5e-05`), plain digits otherwise (`123456`, `0.0001`). Infinities
/// and NaN are spelled `+Inf`, `-Inf` and `NaN`.
pub(crate) fn format_g(f: f64, single: bool) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    let f = if single { f64::from(f as f32) } else { f };
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }

    let negative = f.is_sign_negative();
    let sign = if negative { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }

    // `{:e}` gives the shortest digits that read back as the same value: `1.2345e3`.
    let scientific = if single {
        format!("{:e}", (f as f32).abs())
    } else {
        format!("{:e}", f.abs())
    };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);

    if !(-4..6).contains(&exponent) {
        let mut out = String::from(sign);
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        out.push_str(&format!("e{exp_sign}{:02}", exponent.abs()));
        return out;
    }

    // Digits before the point: exponent + 1 (may be zero or negative).
    let point = exponent + 1;
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat(point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else {
        let point = point as usize;
        if digits.len() <= point {
            out.push_str(&digits);
            out.push_str(&"0".repeat(point - digits.len()));
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_g;

    #[test]
    fn matches_go_shortest_g() {
        let cases: &[(f64, bool, &str)] = &[
            (0.0, false, "0"),
            (-0.0, false, "-0"),
            (1.0, false, "1"),
            (1.5, false, "1.5"),
            (-2.25, false, "-2.25"),
            (100000.0, false, "100000"),
            (1000000.0, false, "1e+06"),
            (123456789.0, false, "1.23456789e+08"),
            (0.0001, false, "0.0001"),
            (0.00001, false, "1e-05"),
            (0.000012345, false, "1.2345e-05"),
            (1e21, false, "1e+21"),
            (1e100, false, "1e+100"),
            (0.1, false, "0.1"),
            (f64::INFINITY, false, "+Inf"),
            (f64::NEG_INFINITY, false, "-Inf"),
            (f64::NAN, false, "NaN"),
            (0.1, true, "0.1"),
            (1.23456789, true, "1.2345679"),
            (16777217.0, true, "1.6777216e+07"),
            (1e300, true, "+Inf"),
        ];
        for &(f, single, want) in cases {
            assert_eq!(format_g(f, single), want, "{f} single={single}");
        }
    }
}
