//! sprig's regular expression functions (`regex.go`), on the regex-lite crate's RE2 syntax.
//!
//! Each `mustRegexX` returns the compile error; its lenient twin `regexX` calls the same
//! body and, as sprig's `regexp.MustCompile` panics there, fails with the panic's text,
//! which text/template reports. Only `regexMatch` really is lenient: a bad pattern is no
//! match.
//!
//! regex-lite carries no Unicode tables, which keeps the browser bundle small. Its `\d`,
//! `\w`, `\b` and POSIX classes are ASCII, as Go's are. Its `\s` also takes the vertical
//! tab, which Go's does not, so a pattern's `\s` and `\S` are spelled out as Go's set before
//! compiling. What it cannot do as Go does, Unicode classes (`\pL`) and Unicode case folding
//! under `(?i)`, is an error in every function, `regexMatch` included, never a different
//! answer.

use super::{add, i, s};
use crate::value::go_quote;
use crate::{Func, Funcs, Param, Value};

use Param::{Int, String as Str};

type Body = fn(&[Value]) -> Result<Value, RegexError>;

/// Why a pattern does not compile.
#[derive(Debug, PartialEq)]
enum RegexError {
    /// The pattern is not RE2 syntax; Go refuses it too.
    Syntax(String),
    /// Go accepts the pattern, but this engine cannot match it as Go does.
    Unsupported(String),
}

impl RegexError {
    /// The message a `mustRegexX` function returns.
    fn message(self) -> String {
        match self {
            RegexError::Syntax(message) | RegexError::Unsupported(message) => message,
        }
    }
}

pub(super) fn register(funcs: &mut Funcs) {
    add(funcs, "regexMatch", &[Str, Str], |a| match matches(a) {
        Ok(matched) => Ok(Value::Bool(matched)),
        Err(RegexError::Syntax(_)) => Ok(Value::Bool(false)),
        Err(unsupported) => Err(unsupported.message()),
    });
    add(funcs, "mustRegexMatch", &[Str, Str], |a| {
        matches(a).map(Value::Bool).map_err(RegexError::message)
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
    funcs.insert(
        &must,
        Func::new(params, move |a| body(a).map_err(RegexError::message)),
    );
    funcs.insert(
        name,
        Func::new(params, move |a| {
            body(a).map_err(|e| match e {
                RegexError::Syntax(e) => format!("regexp: Compile({}): {e}", go_source(s(&a[0]))),
                RegexError::Unsupported(e) => e,
            })
        }),
    );
}

fn re(pattern: &str) -> Result<regex_lite::Regex, RegexError> {
    let pattern = go_pattern(pattern)?;
    regex_lite::Regex::new(&pattern)
        .map_err(|e| RegexError::Syntax(format!("error parsing regexp: {e}")))
}

/// Go's `\s`: space, tab, newline, form feed and carriage return, but not the vertical tab.
const GO_SPACE: &str = r"\t\n\f\r ";

/// A Go pattern in regex-lite's terms: `\s` and `\S` become Go's set. The features that
/// regex-lite leaves out are refused with a message naming them.
fn go_pattern(pattern: &str) -> Result<String, RegexError> {
    if pattern.contains("(?")
        && pattern
            .chars()
            .any(|c| c.to_lowercase().ne(c.to_uppercase()) && !c.is_ascii())
    {
        let folds = pattern.split("(?").skip(1).any(|flags| {
            flags
                .split([')', ':'])
                .next()
                .is_some_and(|f| f.contains('i'))
        });
        if folds {
            return Err(unsupported(
                "case-insensitive matching of non-ASCII letters",
            ));
        }
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str(GO_SPACE),
                Some('s') => out.push_str(&format!("[{GO_SPACE}]")),
                Some('S') if in_class => return Err(unsupported("`\\S` inside a character class")),
                Some('S') => out.push_str(&format!("[^{GO_SPACE}]")),
                Some('p' | 'P') => return Err(unsupported("Unicode classes such as `\\pL`")),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                // A trailing backslash: the compiler reports it.
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.extend(chars.next());
                }
                // A `]` first in a class is a literal.
                if chars.peek() == Some(&']') {
                    out.extend(chars.next());
                }
            }
            // A POSIX class such as `[:alpha:]` goes through whole.
            '[' if chars.peek() == Some(&':') => {
                out.push('[');
                for c in chars.by_ref() {
                    out.push(c);
                    if c == ']' {
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

fn unsupported(what: &str) -> RegexError {
    RegexError::Unsupported(format!(
        "regular expressions with {what} are not supported here yet; kwok's Go regexp \
         accepts them, so this template would render differently"
    ))
}

fn matches(a: &[Value]) -> Result<bool, RegexError> {
    Ok(re(s(&a[0]))?.is_match(s(&a[1])))
}

fn find(a: &[Value]) -> Result<Value, RegexError> {
    let r = re(s(&a[0]))?;
    Ok(Value::str(r.find(s(&a[1])).map_or("", |m| m.as_str())))
}

fn find_all(a: &[Value]) -> Result<Value, RegexError> {
    let r = re(s(&a[0]))?;
    let n = usize::try_from(i(&a[2])).unwrap_or(usize::MAX);
    let found: Vec<Value> = r
        .find_iter(s(&a[1]))
        .take(n)
        .map(|m| Value::str(m.as_str()))
        .collect();
    Ok(Value::from(found))
}

fn replace_all(a: &[Value]) -> Result<Value, RegexError> {
    Ok(Value::from(
        re(s(&a[0]))?.replace_all(s(&a[1]), s(&a[2])).into_owned(),
    ))
}

fn replace_all_literal(a: &[Value]) -> Result<Value, RegexError> {
    Ok(Value::from(
        re(s(&a[0]))?
            .replace_all(s(&a[1]), regex_lite::NoExpand(s(&a[2])))
            .into_owned(),
    ))
}

fn split(a: &[Value]) -> Result<Value, RegexError> {
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

    fn matches_text(pattern: &str, text: &str) -> Result<bool, RegexError> {
        matches(&[Value::str(pattern), Value::str(text)])
    }

    fn render(template: &str) -> Result<String, String> {
        let mut funcs = Funcs::new();
        register(&mut funcs);
        crate::Template::parse("_", template, &funcs)
            .and_then(|t| t.execute(&Value::Nil, &funcs))
            .map_err(|e| e.message)
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
    fn space_is_gos_set_without_the_vertical_tab() {
        assert_eq!(matches_text(r"\s", "\u{b}"), Ok(false));
        assert_eq!(matches_text(r"^\s+$", " \t\n\u{c}\r"), Ok(true));
        assert_eq!(matches_text(r"^\S$", "\u{b}"), Ok(true));
        assert_eq!(matches_text(r"^[\sx]+$", "x x"), Ok(true));
        assert_eq!(matches_text(r"[\s]", "\u{b}"), Ok(false));
        assert_eq!(matches_text(r"^\\s$", "\\s"), Ok(true));
        assert_eq!(matches_text(r"^[]s]+$", "]s"), Ok(true));
        assert_eq!(matches_text(r"^[^\s]$", "a"), Ok(true));
    }

    #[test]
    fn quote_meta_escapes_what_go_escapes() {
        assert_eq!(quote_meta(r"a.b+c-d#e&f~g"), r"a\.b\+c-d#e&f~g");
        assert_eq!(quote_meta(r"\[x]{1}^$|(?)*"), r"\\\[x\]\{1\}\^\$\|\(\?\)\*");
    }

    #[test]
    fn what_go_matches_differently_is_refused() {
        for pattern in [
            r"\pL",
            r"\p{Greek}",
            r"\PL",
            "(?i)\u{e9}",
            "(?i:x\u{e9})",
            r"[\S]",
        ] {
            assert!(
                matches!(matches_text(pattern, "a"), Err(RegexError::Unsupported(_))),
                "{pattern}"
            );
        }
        assert_eq!(matches_text("(?i)abc", "ABC"), Ok(true));
        assert_eq!(matches_text("\u{e9}", "\u{e9}"), Ok(true));
        // regexMatch swallows syntax errors as Go does, but not what this engine lacks.
        assert_eq!(
            render(r#"{{ regexMatch "(" "a" }}"#),
            Ok("false".to_string())
        );
        let refused = render(r#"{{ regexMatch "\\pL" "a" }}"#).unwrap_err();
        assert!(refused.contains("not supported here yet"), "{refused}");
    }
}
