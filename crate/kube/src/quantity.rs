//! Kubernetes resource quantities (`resource.Quantity`) and the text they are stored as.
//!
//! The API server parses every quantity and writes it back in canonical form: `1000m`
//! becomes `1`, `1.5` becomes `1500m`, `1024Mi` becomes `1Gi`. A quantity that is already
//! canonical keeps the exact text it was given (the parser caches it), which is why `+1k`
//! and `01k` survive while `1000` does not.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantityError {
    pub text: String,
    pub reason: &'static str,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "quantity {:?}: {}", self.text, self.reason)
    }
}

impl std::error::Error for QuantityError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// The suffix of a quantity: which format it implies and the power it stands for.
struct Suffix {
    format: Format,
    /// Power of ten (decimal formats) or of two (binary format).
    exponent: i32,
}

const DECIMAL_SUFFIXES: &[(&str, i32)] = &[
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

const BINARY_SUFFIXES: &[(&str, i32)] = &[
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];

/// The parser keeps a whole number with at most this many digits in an `int64` fast path.
const MAX_INT64_FACTORS: i32 = 18;

/// The stored text of a quantity given as `text` (a JSON string or a number's literal).
pub fn canonical(text: &str) -> Result<String, QuantityError> {
    let error = |reason| QuantityError {
        text: text.to_string(),
        reason,
    };
    if text.is_empty() {
        return Err(error(
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ));
    }
    let parts = split(text).ok_or_else(|| error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"))?;
    let suffix =
        interpret_suffix(parts.suffix).ok_or_else(|| error("unable to parse quantity's suffix"))?;

    if keeps_text(&parts, &suffix) {
        return Ok(text.to_string());
    }

    let mut value =
        exact_value(&parts, &suffix).ok_or_else(|| error("value is too large to represent"))?;
    value.round_up_to_nano();
    let format = if suffix.format == Format::BinarySi && value.is_fraction_below_one() {
        Format::DecimalSi
    } else {
        suffix.format
    };
    Ok(value.canonical_text(format))
}

/// The pieces of a quantity's text as the parser splits them.
struct Parts<'a> {
    positive: bool,
    /// Integer digits without leading zeros ("0" when there are none).
    num: &'a str,
    /// Fraction digits.
    denom: &'a str,
    suffix: &'a str,
}

fn split(text: &str) -> Option<Parts<'_>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut positive = true;
    match bytes.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < bytes.len() && bytes[pos] == b'0' {
        pos += 1;
    }
    if pos >= bytes.len() {
        return Some(Parts {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }

    let num_start = pos;
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = if pos == num_start {
        "0"
    } else {
        &text[num_start..pos]
    };

    let mut denom = "";
    if pos < bytes.len() && bytes[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &text[denom_start..pos];
    }

    let suffix_start = pos;
    while pos < bytes.len() && b"eEinumkKMGTP".contains(&bytes[pos]) {
        pos += 1;
    }
    if pos < bytes.len() && (bytes[pos] == b'-' || bytes[pos] == b'+') {
        pos += 1;
    }
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < bytes.len() {
        return None;
    }
    Some(Parts {
        positive,
        num,
        denom,
        suffix: &text[suffix_start..],
    })
}

fn interpret_suffix(suffix: &str) -> Option<Suffix> {
    if let Some((_, exponent)) = DECIMAL_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some(Suffix {
            format: Format::DecimalSi,
            exponent: *exponent,
        });
    }
    if let Some((_, exponent)) = BINARY_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
        return Some(Suffix {
            format: Format::BinarySi,
            exponent: *exponent,
        });
    }
    let rest = suffix
        .strip_prefix('e')
        .or_else(|| suffix.strip_prefix('E'))?;
    let exponent = rest.parse::<i32>().ok()?;
    Some(Suffix {
        format: Format::DecimalExponent,
        exponent,
    })
}

/// Whether the parser's fast path takes the value and caches the text as given.
fn keeps_text(parts: &Parts<'_>, suffix: &Suffix) -> bool {
    let digits = (parts.num.len() + parts.denom.len()) as i32;
    let (precision, mut scale) = match suffix.format {
        Format::DecimalSi | Format::DecimalExponent => {
            (MAX_INT64_FACTORS - digits, suffix.exponent)
        }
        Format::BinarySi if parts.denom.is_empty() => {
            let precision =
                15 - parts.num.len() as i32 - (suffix.exponent as f32 * 3.0 / 10.0) as i32 - 1;
            (precision, 0)
        }
        Format::BinarySi => (-1, 0),
    };
    if precision < 0 {
        return false;
    }
    scale -= parts.denom.len() as i32;
    if scale < -9 {
        return false;
    }
    let shifted = format!("{}{}", parts.num, parts.denom);
    let Ok(value) = shifted.parse::<i64>() else {
        return false;
    };
    let multiplier: i64 = if suffix.format == Format::BinarySi {
        1i64 << suffix.exponent
    } else {
        1
    };
    if value.checked_mul(multiplier).is_none() {
        return false;
    }
    match suffix.format {
        Format::BinarySi => suffix.exponent % 10 == 0 && value & 0x07 != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    }
}

/// A quantity's exact value: `mantissa × 10^exponent`, with a sign.
struct Value {
    positive: bool,
    mantissa: u128,
    exponent: i32,
}

fn exact_value(parts: &Parts<'_>, suffix: &Suffix) -> Option<Value> {
    let digits = format!("{}{}", parts.num, parts.denom);
    let mut mantissa: u128 = digits.parse().ok()?;
    let mut exponent = -(parts.denom.len() as i32);
    match suffix.format {
        Format::BinarySi => {
            mantissa = mantissa.checked_mul(1u128.checked_shl(suffix.exponent as u32)?)?
        }
        _ => exponent += suffix.exponent,
    }
    Some(Value {
        positive: parts.positive,
        mantissa,
        exponent,
    })
}

impl Value {
    /// Non-zero values below one nano are rounded up (away from zero) to the nano scale.
    fn round_up_to_nano(&mut self) {
        if self.exponent >= -9 || self.mantissa == 0 {
            return;
        }
        let shift = (-9 - self.exponent) as u32;
        match 10u128.checked_pow(shift) {
            Some(divisor) => self.mantissa = self.mantissa.div_ceil(divisor),
            None => self.mantissa = 1,
        }
        self.exponent = -9;
    }

    fn is_fraction_below_one(&self) -> bool {
        self.mantissa != 0 && self.integer().is_none_or(|n| n == 0)
    }

    /// The value as a whole number, when it is one.
    fn integer(&self) -> Option<u128> {
        if self.exponent >= 0 {
            return self
                .mantissa
                .checked_mul(10u128.checked_pow(self.exponent as u32)?);
        }
        let divisor = 10u128.checked_pow((-self.exponent) as u32)?;
        self.mantissa
            .is_multiple_of(divisor)
            .then(|| self.mantissa / divisor)
    }

    fn canonical_text(&self, format: Format) -> String {
        if self.mantissa == 0 {
            return "0".to_string();
        }
        let sign = if self.positive { "" } else { "-" };

        if format == Format::BinarySi
            && let Some(n) = self.integer().filter(|n| *n >= 1024)
        {
            let (amount, powers) = remove_factors(n, 1024);
            let suffix = BINARY_SUFFIXES
                .iter()
                .find(|(_, e)| *e == powers as i32 * 10);
            return format!("{sign}{amount}{}", suffix.map_or("", |(s, _)| *s));
        }

        let (mut amount, powers) = remove_factors(self.mantissa, 10);
        let mut exponent = self.exponent + powers as i32;
        while exponent % 3 != 0 {
            amount = amount.saturating_mul(10);
            exponent -= 1;
        }
        let suffix = match format {
            Format::DecimalExponent if exponent == 0 => String::new(),
            Format::DecimalExponent => format!("e{exponent}"),
            _ => DECIMAL_SUFFIXES
                .iter()
                .find(|(_, e)| *e == exponent)
                .map_or_else(|| format!("e{exponent}"), |(s, _)| s.to_string()),
        };
        format!("{sign}{amount}{suffix}")
    }
}

fn remove_factors(mut n: u128, factor: u128) -> (u128, u32) {
    let mut times = 0;
    while n != 0 && n.is_multiple_of(factor) {
        n /= factor;
        times += 1;
    }
    (n, times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let cases: &[(&str, &str)] = &[
            ("1000m", "1"),
            ("1", "1"),
            ("1k", "1k"),
            ("1000", "1k"),
            ("100", "100"),
            ("1.5", "1500m"),
            ("0.5", "500m"),
            ("1500m", "1500m"),
            ("250m", "250m"),
            ("1M", "1M"),
            ("1000k", "1M"),
            ("1Ti", "1Ti"),
            ("1024Mi", "1Gi"),
            ("1023Mi", "1023Mi"),
            ("128Mi", "128Mi"),
            ("1536Mi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("0.5Ki", "512"),
            ("0", "0"),
            ("0Ki", "0"),
            ("000", "0"),
            ("1e3", "1e3"),
            ("1E3", "1E3"),
            ("1.5e3", "1500"),
            ("10e3", "10e3"),
            ("1e-10", "1e-9"),
            ("0.0000000001", "1n"),
            ("+1k", "+1k"),
            ("01k", "01k"),
            ("-1000m", "-1"),
            ("-1k", "-1k"),
            ("1.", "1."),
            ("110", "110"),
            ("2000Ki", "2000Ki"),
            ("4096Ki", "4Mi"),
        ];
        for (text, want) in cases {
            assert_eq!(canonical(text).as_deref(), Ok(*want), "{text}");
        }
    }

    #[test]
    fn rejects_bad_quantities() {
        for text in ["", "abc", "1K", "1Kb", "1.2.3", "1 k", "1e", "--1"] {
            assert!(canonical(text).is_err(), "{text}");
        }
    }
}
