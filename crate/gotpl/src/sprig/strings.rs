//! sprig's string, encoding and hash functions (`strings.go`, `crypto.go`); the regular
//! expression ones are in `regex`, which `register` adds too.

use std::rc::Rc;

use base64::Engine;
use sha1::Digest;

use super::{add, add_variadic, i, regex, s, strval};
use crate::value::go_quote;
use crate::{Env, Funcs, Param, Value, within_limit};

use Param::{Any, Int, String as Str};

pub(super) fn register(funcs: &mut Funcs, env: &Rc<dyn Env>) {
    cases_and_trims(funcs);
    searches_and_slices(funcs);
    case_styles(funcs);
    replacing_and_layout(funcs);
    quoting(funcs);
    wrapping_and_abbreviation(funcs);
    encodings_and_hashes(funcs);
    regex::register(funcs);
    shuffle(funcs, env);
}

/// Case changes of the first letters, and trimming.
fn cases_and_trims(funcs: &mut Funcs) {
    add(funcs, "hello", &[], |_| Ok(Value::str("Hello!")));
    add(funcs, "upper", &[Str], |a| {
        Ok(Value::from(s(&a[0]).to_uppercase()))
    });
    add(funcs, "lower", &[Str], |a| {
        Ok(Value::from(s(&a[0]).to_lowercase()))
    });
    add(funcs, "title", &[Str], |a| Ok(Value::from(title(s(&a[0])))));
    add(funcs, "untitle", &[Str], |a| {
        Ok(Value::from(untitle(s(&a[0]))))
    });
    add(funcs, "trim", &[Str], |a| {
        Ok(Value::str(s(&a[0]).trim_matches(char::is_whitespace)))
    });
    for name in ["trimAll", "trimall"] {
        add(funcs, name, &[Str, Str], |a| {
            let cut = s(&a[0]);
            Ok(Value::str(s(&a[1]).trim_matches(|c| cut.contains(c))))
        });
    }
    add(funcs, "trimPrefix", &[Str, Str], |a| {
        Ok(Value::str(
            s(&a[1]).strip_prefix(s(&a[0])).unwrap_or(s(&a[1])),
        ))
    });
    add(funcs, "trimSuffix", &[Str, Str], |a| {
        Ok(Value::str(
            s(&a[1]).strip_suffix(s(&a[0])).unwrap_or(s(&a[1])),
        ))
    });
}

/// Tests for parts of a string, and the functions that cut or build one.
fn searches_and_slices(funcs: &mut Funcs) {
    add(funcs, "contains", &[Str, Str], |a| {
        Ok(Value::Bool(s(&a[1]).contains(s(&a[0]))))
    });
    add(funcs, "hasPrefix", &[Str, Str], |a| {
        Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0]))))
    });
    add(funcs, "hasSuffix", &[Str, Str], |a| {
        Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0]))))
    });
    add(funcs, "repeat", &[Int, Str], |a| {
        let (n, text) = (i(&a[0]), s(&a[1]));
        if n < 0 {
            return Err("strings: negative Repeat count".to_string());
        }
        let count = usize::try_from(n).unwrap_or(usize::MAX);
        let size = count.checked_mul(text.len());
        if size.is_none_or(|size| i64::try_from(size).is_err()) {
            return Err("strings: Repeat output length overflow".to_string());
        }
        within_limit(size, "repeat")?;
        Ok(Value::from(text.repeat(count)))
    });
    add(funcs, "substr", &[Int, Int, Str], |a| {
        substr(i(&a[0]), i(&a[1]), s(&a[2]))
    });
    add(funcs, "trunc", &[Int, Str], |a| {
        let (c, text) = (i(&a[0]), s(&a[1]));
        let n = text.len() as i64;
        let r = if c < 0 && n + c > 0 {
            byte_slice(text, (n + c) as usize, n as usize)
        } else if c >= 0 && n > c {
            byte_slice(text, 0, c as usize)
        } else {
            text.to_string()
        };
        Ok(Value::from(r))
    });
    add(funcs, "nospace", &[Str], |a| {
        Ok(Value::from(
            s(&a[0])
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        ))
    });
    add(funcs, "initials", &[Str], |a| {
        Ok(Value::from(
            s(&a[0])
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect::<String>(),
        ))
    });
}

/// Case conversions across a whole string.
fn case_styles(funcs: &mut Funcs) {
    add(funcs, "swapcase", &[Str], |a| {
        let out: String = s(&a[0])
            .chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<Vec<_>>()
                } else {
                    c.to_uppercase().collect()
                }
            })
            .collect();
        Ok(Value::from(out))
    });
    add(funcs, "snakecase", &[Str], |a| {
        Ok(Value::from(case_words(s(&a[0]), '_')))
    });
    add(funcs, "kebabcase", &[Str], |a| {
        Ok(Value::from(case_words(s(&a[0]), '-')))
    });
    add(funcs, "camelcase", &[Str], |a| {
        let out: String = s(&a[0]).split('_').map(title).collect();
        Ok(Value::from(out))
    });
}

/// Replacement, indentation and `plural`.
fn replacing_and_layout(funcs: &mut Funcs) {
    add(funcs, "replace", &[Str, Str, Str], |a| {
        Ok(Value::from(go_replace(s(&a[2]), s(&a[0]), s(&a[1]))))
    });
    add(funcs, "indent", &[Int, Str], |a| {
        Ok(Value::from(indent(i(&a[0]), s(&a[1]))?))
    });
    add(funcs, "nindent", &[Int, Str], |a| {
        Ok(Value::from(format!("\n{}", indent(i(&a[0]), s(&a[1]))?)))
    });
    add(funcs, "plural", &[Str, Str, Int], |a| {
        Ok(if i(&a[2]) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
}

/// Conversion to text and sprig's quoting of argument lists.
fn quoting(funcs: &mut Funcs) {
    add(funcs, "toString", &[Any], |a| {
        Ok(Value::from(strval(&a[0])))
    });
    add_variadic(funcs, "quote", &[Any], |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| go_quote(&strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    add_variadic(funcs, "squote", &[Any], |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
    add_variadic(funcs, "cat", &[Any], |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| v.to_go_string())
            .collect();
        Ok(Value::from(parts.join(" ")))
    });
}

/// Word wrapping and goutils' abbreviations.
fn wrapping_and_abbreviation(funcs: &mut Funcs) {
    add(funcs, "wrap", &[Int, Str], |a| {
        Ok(Value::from(wrap(s(&a[1]), i(&a[0]), "\n")))
    });
    add(funcs, "wrapWith", &[Int, Str, Str], |a| {
        Ok(Value::from(wrap(s(&a[2]), i(&a[0]), s(&a[1]))))
    });
    add(funcs, "abbrev", &[Int, Str], |a| {
        Ok(Value::from(abbrev(s(&a[1]), i(&a[0]))))
    });
    add(funcs, "abbrevboth", &[Int, Int, Str], |a| {
        let (left, right, text) = (i(&a[0]), i(&a[1]), s(&a[2]));
        if right < 4 || (left > 0 && right < 7) {
            return Ok(Value::str(text));
        }
        // Go slices bytes; only the result turns a cut character into U+FFFD.
        let bytes = text.as_bytes();
        let head = match usize::try_from(left) {
            Ok(left) if left > 4 && left < bytes.len() => [b"...", &bytes[left..]].concat(),
            _ => bytes.to_vec(),
        };
        Ok(Value::from(
            String::from_utf8_lossy(&abbrev_bytes(&head, right)).into_owned(),
        ))
    });
}

/// Base64, base32 and the digests.
fn encodings_and_hashes(funcs: &mut Funcs) {
    add(funcs, "b64enc", &[Str], |a| {
        Ok(Value::from(
            base64::engine::general_purpose::STANDARD.encode(s(&a[0])),
        ))
    });
    add(funcs, "b64dec", &[Str], |a| {
        Ok(
            match base64::engine::general_purpose::STANDARD.decode(s(&a[0])) {
                Ok(bytes) => Value::from(String::from_utf8_lossy(&bytes).into_owned()),
                Err(e) => Value::from(format!("illegal base64 data: {e}")),
            },
        )
    });
    add(funcs, "sha1sum", &[Str], |a| {
        Ok(Value::from(hex(&sha1::Sha1::digest(s(&a[0]).as_bytes()))))
    });
    add(funcs, "sha256sum", &[Str], |a| {
        Ok(Value::from(hex(&sha2::Sha256::digest(s(&a[0]).as_bytes()))))
    });
    add(funcs, "sha512sum", &[Str], |a| {
        Ok(Value::from(hex(&sha2::Sha512::digest(s(&a[0]).as_bytes()))))
    });
    add(funcs, "adler32sum", &[Str], |a| {
        Ok(Value::from(adler32(s(&a[0]).as_bytes()).to_string()))
    });
    add(funcs, "b32enc", &[Str], |a| {
        Ok(Value::from(base32_encode(s(&a[0]).as_bytes())))
    });
    add(funcs, "b32dec", &[Str], |a| {
        Ok(match base32_decode(s(&a[0])) {
            Some(bytes) => Value::from(String::from_utf8_lossy(&bytes).into_owned()),
            None => Value::str("illegal base32 data"),
        })
    });
}

/// `shuffle`, over the caller's seeded generator.
fn shuffle(funcs: &mut Funcs, env: &Rc<dyn Env>) {
    let env = env.clone();
    funcs.insert(
        "shuffle",
        crate::Func::new(&[Str], move |a| {
            let mut chars: Vec<char> = s(&a[0]).chars().collect();
            for k in (1..chars.len()).rev() {
                let j = (env.next_u64() % (k as u64 + 1)) as usize;
                chars.swap(k, j);
            }
            Ok(Value::from(chars.into_iter().collect::<String>()))
        }),
    );
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with padding, as Go's `base32.StdEncoding`.
fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < chars {
                out.push(BASE32[((bits >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in body.bytes() {
        let v = BASE32.iter().position(|x| *x == c)? as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// A byte range of `text`, as Go slices strings (invalid UTF-8 edges become U+FFFD).
fn byte_slice(text: &str, start: usize, end: usize) -> String {
    String::from_utf8_lossy(&text.as_bytes()[start.min(text.len())..end.min(text.len())])
        .into_owned()
}

/// sprig's `substring`; Go would panic on an out-of-range start, which the call reports.
fn substr(start: i64, end: i64, text: &str) -> Result<Value, String> {
    let n = text.len() as i64;
    let (from, to) = if start < 0 {
        (0, end)
    } else if end < 0 || end > n {
        (start, n)
    } else {
        (start, end)
    };
    if from > to || to > n || to < 0 {
        return Err(format!(
            "runtime error: slice bounds out of range [{from}:{to}]"
        ));
    }
    Ok(Value::from(byte_slice(text, from as usize, to as usize)))
}

/// Go's `strings.Replace(s, old, new, -1)`, which inserts around every rune when `old` is empty.
fn go_replace(text: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in text.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    text.replace(old, new)
}

/// sprig's `indent`: `n` spaces before the text and after every newline in it.
fn indent(n: i64, text: &str) -> Result<String, String> {
    let width = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
    let lines = 1 + text.bytes().filter(|b| *b == b'\n').count();
    within_limit(
        width
            .checked_mul(lines)
            .and_then(|pads| pads.checked_add(text.len())),
        "indent",
    )?;
    let pad = " ".repeat(width);
    Ok(format!("{pad}{}", text.replace('\n', &format!("\n{pad}"))))
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_letter = false;
    for c in text.chars() {
        if !prev_letter {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_';
    }
    out
}

fn untitle(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_space = true;
    for c in text.chars() {
        if prev_space {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = c.is_whitespace();
    }
    out
}

/// Splits camel-case and separators into lower-case words joined by `sep`.
fn case_words(text: &str, sep: char) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(sep) {
                out.push(sep);
            }
            continue;
        }
        let upper_start = c.is_uppercase()
            && k > 0
            && (chars[k - 1].is_lowercase()
                || chars[k - 1].is_ascii_digit()
                || chars.get(k + 1).is_some_and(|n| n.is_lowercase())
                    && chars[k - 1].is_uppercase());
        if upper_start && !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn abbrev(text: &str, width: i64) -> String {
    String::from_utf8_lossy(&abbrev_bytes(text.as_bytes(), width)).into_owned()
}

/// goutils' `Abbreviate` over Go's bytes: the first `width - 3` bytes and `...`.
fn abbrev_bytes(text: &[u8], width: i64) -> Vec<u8> {
    match usize::try_from(width) {
        Ok(width) if width >= 4 && text.len() > width => [&text[..width - 3], b"..."].concat(),
        _ => text.to_vec(),
    }
}

/// Word wrapping as goutils' `WrapCustom` does it (long words are not split).
fn wrap(text: &str, width: i64, sep: &str) -> String {
    let width = width.max(1) as usize;
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join(sep)
}
