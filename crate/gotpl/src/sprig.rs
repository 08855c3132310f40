//! sprig v3.3's `TxtFuncMap`, the function set kwok registers first.
//!
//! Each function keeps sprig's Go signature (so argument conversion errors read as Go's)
//! and sprig's behaviour, including its quiet defaults: maths on a missing value uses 0,
//! `get` of a missing key gives "". Functions that need the host (network, environment,
//! key generation) fail with a clear message: the playground has no host to ask.

mod dates;
mod defaults;
mod dicts;
mod lists;
mod numeric;
mod paths;
mod regex;
mod semver;
mod strings;
mod urls;

use std::rc::Rc;

use crate::{Env, Func, Funcs, Param, Value};

/// Adds every sprig text function to `funcs`, reading time and randomness from `env`.
pub fn register(funcs: &mut Funcs, env: Rc<dyn Env>) {
    strings::register(funcs, &env);
    numeric::register(funcs, &env);
    lists::register(funcs);
    dicts::register(funcs);
    defaults::register(funcs);
    paths::register(funcs);
    dates::register(funcs, &env);
    urls::register(funcs);
    semver::register(funcs);
    unavailable(funcs);
}

type Body = fn(&[Value]) -> Result<Value, String>;

pub(crate) fn add(funcs: &mut Funcs, name: &str, params: &[Param], body: Body) {
    funcs.insert(name, Func::new(params, body));
}

pub(crate) fn add_variadic(funcs: &mut Funcs, name: &str, params: &[Param], body: Body) {
    funcs.insert(name, Func::variadic(params, body));
}

/// sprig's `strval`: strings as they are, everything else as Go's `%v` prints it.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) | Value::Number(s) => s.to_string(),
        other => other.to_go_string(),
    }
}

/// The text of a string argument (a parameter declared `string`).
pub(crate) fn s(v: &Value) -> &str {
    match v {
        Value::String(s) | Value::Number(s) => s,
        _ => "",
    }
}

/// The value of an `int` argument.
pub(crate) fn i(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// sprig's `empty`: nil, false, 0 and empty strings, lists and maps.
pub(crate) fn empty(v: &Value) -> bool {
    !v.is_true()
}

fn unavailable(funcs: &mut Funcs) {
    const NAMES: &[&str] = &[
        "getHostByName",
        "bcrypt",
        "htpasswd",
        "derivePassword",
        "genPrivateKey",
        "genCA",
        "genCAWithKey",
        "genSelfSignedCert",
        "genSelfSignedCertWithKey",
        "genSignedCert",
        "genSignedCertWithKey",
        "buildCustomCert",
        "encryptAES",
        "decryptAES",
    ];
    for name in NAMES {
        let message = format!("{name} is not available in the playground");
        funcs.insert(
            name,
            Func::variadic(&[Param::Any], move |_| Err(message.clone())),
        );
    }
    // The playground runs without a host environment: sprig sees no variables.
    add(funcs, "env", &[Param::String], |_| Ok(Value::str("")));
    add(funcs, "expandenv", &[Param::String], |a| {
        Ok(Value::from(expand_empty_env(s(&a[0]))))
    });
}

/// `os.ExpandEnv` with an empty environment: `$X` and `${X}` become empty.
fn expand_empty_env(text: &str) -> String {
    let mut out = String::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            if b[i + 1] == b'{' {
                if let Some(end) = text[i..].find('}') {
                    i += end + 1;
                    continue;
                }
            } else if b[i + 1] == b'_' || b[i + 1].is_ascii_alphanumeric() {
                i += 1;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}
