//! sprig's regular expression functions (`regex.go`), on the regex-lite crate's RE2 syntax.
//!
//! Each `mustRegexX` returns the compile error; its lenient twin `regexX` calls the same
//! body and, as sprig's `regexp.MustCompile` panics there, fails with the panic's text,
//! which text/template reports. Only `regexMatch` really is lenient: a bad pattern is no
//! match.
//!
//! regex-lite carries no Unicode tables, which keeps the browser bundle small. Its `\d`,
//! `\w`, `\b` and POSIX classes are ASCII, as Go's are; Go's `\pL`-style classes and its
//! Unicode case folding under `(?i)` are what it leaves out (see the tests).

use super::{add, i, s};
use crate::value::go_quote;
use crate::{Func, Funcs, Param, Value};

use Param::{Int, String as Str};

type Body = fn(&[Value]) -> Result<Value, String>;

pub(super) fn register(funcs: &mut Funcs) {
    add(funcs, "regexMatch", &[Str, Str], |a| {
        Ok(Value::Bool(matches(a).unwrap_or(false)))
    });
    add(funcs, "mustRegexMatch", &[Str, Str], |a| {
        Ok(Value::Bool(matches(a)?))
    });
    pair(funcs, "regexFind", &[Str, Str], find);
    pair(funcs, "regexFindAll", &[Str, Str, Int], find_all);
    pair(funcs, "regexReplaceAll", &[Str, Str, Str], replace_all);
    pair(
        funcs,
        "regexReplaceAllLiteral",
        &[Str, Str, Str],
        replace_all_literal,
    );
    pair(funcs, "regexSplit", &[Str, Str, Int], split);
    add(funcs, "regexQuoteMeta", &[Str], |a| {
        Ok(Value::from(quote_meta(s(&a[0]))))
    });
}

/// Registers `body` as `mustNAME`, and as `NAME` with `regexp.MustCompile`'s panic text.
fn pair(funcs: &mut Funcs, name: &str, params: &[Param], body: Body) {
    let must = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    add(funcs, &must, params, body);
    funcs.insert(
        name,
        Func::new(params, move |a| {
            body(a).map_err(|e| format!("regexp: Compile({}): {e}", go_source(s(&a[0]))))
        }),
    );
}

fn re(pattern: &str) -> Result<regex_lite::Regex, String> {
    regex_lite::Regex::new(pattern).map_err(|e| format!("error parsing regexp: {e}"))
}

fn matches(a: &[Value]) -> Result<bool, String> {
    Ok(re(s(&a[0]))?.is_match(s(&a[1])))
}

fn find(a: &[Value]) -> Result<Value, String> {
    let r = re(s(&a[0]))?;
    Ok(Value::str(r.find(s(&a[1])).map_or("", |m| m.as_str())))
}

fn find_all(a: &[Value]) -> Result<Value, String> {
    let r = re(s(&a[0]))?;
    let n = usize::try_from(i(&a[2])).unwrap_or(usize::MAX);
    let found: Vec<Value> = r
        .find_iter(s(&a[1]))
        .take(n)
        .map(|m| Value::str(m.as_str()))
        .collect();
    Ok(Value::from(found))
}

fn replace_all(a: &[Value]) -> Result<Value, String> {
    Ok(Value::from(
        re(s(&a[0]))?.replace_all(s(&a[1]), s(&a[2])).into_owned(),
    ))
}

fn replace_all_literal(a: &[Value]) -> Result<Value, String> {
    Ok(Value::from(
        re(s(&a[0]))?
            .replace_all(s(&a[1]), regex_lite::NoExpand(s(&a[2])))
            .into_owned(),
    ))
}

fn split(a: &[Value]) -> Result<Value, String> {
    let r = re(s(&a[0]))?;
    let n = i(&a[2]);
    let parts: Vec<Value> = match usize::try_from(n) {
        Err(_) => r.split(s(&a[1])).map(Value::str).collect(),
        Ok(0) => Vec::new(),
        Ok(n) => r.splitn(s(&a[1]), n).map(Value::str).collect(),
    };
    Ok(Value::from(parts))
}

/// How `regexp` names a pattern in its panic: back-quoted when Go's `strconv.CanBackquote`
/// allows it, else `strconv.Quote`d.
fn go_source(pattern: &str) -> String {
    let backquotable = pattern
        .chars()
        .all(|c| c != '`' && c != '\u{feff}' && (c == '\t' || !c.is_control()));
    if backquotable {
        format!("`{pattern}`")
    } else {
        go_quote(pattern)
    }
}

/// Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$` and nothing else.
fn quote_meta(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches_text(pattern: &str, text: &str) -> Result<bool, String> {
        matches(&[Value::str(pattern), Value::str(text)])
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        assert_eq!(matches_text(r"^\d+$", "42"), Ok(true));
        assert_eq!(matches_text(r"\d", "\u{663}"), Ok(false));
        assert_eq!(matches_text(r"^\w+$", "caf\u{e9}"), Ok(false));
        assert_eq!(matches_text(r"\bb", "\u{e9}b"), Ok(true));
        assert_eq!(matches_text(r"^[[:alpha:]]+$", "abc"), Ok(true));
        assert_eq!(matches_text(r"^.$", "\u{e9}"), Ok(true));
    }

    #[test]
    fn quote_meta_escapes_what_go_escapes() {
        assert_eq!(quote_meta(r"a.b+c-d#e&f~g"), r"a\.b\+c-d#e&f~g");
        assert_eq!(quote_meta(r"\[x]{1}^$|(?)*"), r"\\\[x\]\{1\}\^\$\|\(\?\)\*");
    }

    #[test]
    fn unicode_classes_and_folding_are_left_out() {
        // FIXME: Go accepts Unicode classes (`\pL`, `\p{Greek}`) and folds case by Unicode
        // under `(?i)` (`(?i)\u{e9}` matches `\u{c9}`); here the classes are a parse error
        // and `(?i)` folds ASCII letters only.
        assert!(matches_text(r"\pL", "a").is_err());
        assert!(matches_text(r"\p{Greek}", "\u{3b1}").is_err());
        assert_eq!(matches_text("(?i)\u{e9}", "\u{c9}"), Ok(false));
        assert_eq!(matches_text("(?i)abc", "ABC"), Ok(true));
    }
}
