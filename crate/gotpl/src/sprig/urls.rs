//! sprig's `urlParse` and `urlJoin` (`url.go`), over the parts of Go's `net/url` they use.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::{add, s};
use crate::{Funcs, Param, Value};

pub(super) fn register(funcs: &mut Funcs) {
    add(funcs, "urlParse", &[Param::String], |a| {
        let u = parse(s(&a[0]))?;
        let mut m = BTreeMap::new();
        let hostname = hostname(&u.host).to_string();
        for (k, v) in [
            ("scheme", u.scheme),
            ("host", u.host),
            ("hostname", hostname),
            ("path", u.path),
            ("query", u.query),
            ("opaque", u.opaque),
            ("fragment", u.fragment),
            ("userinfo", u.userinfo),
        ] {
            m.insert(k.to_string(), Value::from(v));
        }
        Ok(Value::Map(Rc::new(m)))
    });
    add(funcs, "urlJoin", &[Param::Map], |a| {
        let part = |k: &str| -> Result<String, String> {
            match &a[0] {
                Value::Map(m) => match m.get(k) {
                    None => Ok(String::new()),
                    Some(Value::String(v)) => Ok(v.to_string()),
                    Some(other) => Err(format!(
                        "interface conversion: interface {{}} is {}, not string",
                        other.go_type()
                    )),
                },
                _ => Ok(String::new()),
            }
        };
        let u = Url {
            scheme: part("scheme")?,
            host: part("host")?,
            path: part("path")?,
            query: part("query")?,
            opaque: part("opaque")?,
            fragment: part("fragment")?,
            userinfo: part("userinfo")?,
        };
        Ok(Value::from(join(&u)))
    });
}

#[derive(Default)]
struct Url {
    scheme: String,
    host: String,
    path: String,
    query: String,
    opaque: String,
    fragment: String,
    userinfo: String,
}

/// Go's `url.Parse` for the fields sprig reads.
fn parse(raw: &str) -> Result<Url, String> {
    let fail = |why: &str| {
        format!(
            "unable to parse url: parse {}: {why}",
            crate::value::go_quote(raw)
        )
    };
    let mut u = Url::default();
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    if let Some(f) = fragment {
        u.fragment = unescape(f).ok_or_else(|| fail("invalid URL escape"))?;
    }
    let mut rest = rest;
    if let Some(colon) = rest.find(':') {
        let candidate = &rest[..colon];
        let valid = candidate.chars().enumerate().all(|(k, c)| {
            c.is_ascii_alphabetic() || (k > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
        });
        if colon == 0 {
            return Err(fail("missing protocol scheme"));
        }
        if valid {
            u.scheme = candidate.to_ascii_lowercase();
            rest = &rest[colon + 1..];
        }
    }
    if let Some((r, q)) = rest.split_once('?') {
        u.query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') && !u.scheme.is_empty() {
        u.opaque = rest.to_string();
        return Ok(u);
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        rest = &after[end..];
        match authority.rsplit_once('@') {
            Some((user, host)) => {
                u.userinfo = user.to_string();
                u.host = host.to_string();
            }
            None => u.host = authority.to_string(),
        }
    }
    u.path = unescape(rest).ok_or_else(|| fail("invalid URL escape"))?;
    Ok(u)
}

fn hostname(host: &str) -> &str {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    match host.rfind(':') {
        Some(k) => &host[..k],
        None => host,
    }
}

fn unescape(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        if b[k] == b'%' {
            let hex = text.get(k + 1..k + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            k += 3;
        } else {
            out.push(b[k]);
            k += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Percent-encodes what Go's `url` escaping does not keep in a path or fragment.
fn escape(text: &str, keep: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Go's `URL.String` for the fields sprig sets.
fn join(u: &Url) -> String {
    let mut out = String::new();
    if !u.scheme.is_empty() {
        out.push_str(&u.scheme);
        out.push(':');
    }
    if !u.opaque.is_empty() {
        out.push_str(&u.opaque);
    } else {
        if !u.scheme.is_empty() || !u.host.is_empty() || !u.userinfo.is_empty() {
            out.push_str("//");
            if !u.userinfo.is_empty() {
                out.push_str(&u.userinfo);
                out.push('@');
            }
            out.push_str(&u.host);
        }
        if !u.path.is_empty() && !u.path.starts_with('/') && !u.host.is_empty() {
            out.push('/');
        }
        out.push_str(&escape(&u.path, "$&+,/:;=@"));
    }
    if !u.query.is_empty() {
        out.push('?');
        out.push_str(&u.query);
    }
    if !u.fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&u.fragment, "$&+,/:;=?@!()*"));
    }
    out
}
