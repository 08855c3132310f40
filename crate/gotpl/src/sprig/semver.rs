//! sprig's `semver` and `semverCompare` (`semver.go`), over the parts of Masterminds/semver
//! v3.4 they use: `NewVersion`'s lenient parse, `NewConstraint` and `Constraints.Check`.
//!
//! The Go library reads versions and constraints with regular expressions, and odd inputs
//! (`1|2`, `1.2.3.4`, a range glued to an operator) split the way those expressions split
//! them. The grammar below is therefore written as the same expressions: Go's RE2 and the
//! regex-lite crate both pick the leftmost-first match and its captures, so the pieces agree.
//! Go's `\s` is ASCII whitespace without `\v`; it is spelled out because regex-lite's `\s`
//! also takes `\v`.
//!
//! In Go, `semver` returns a `*semver.Version`, an object whose methods templates call. Our
//! values have no methods, so it returns a map with the keys `Major`, `Minor`, `Patch`,
//! `Prerelease`, `Metadata`, `Original` and `String`: field access reads the same, but the
//! value prints as a map where Go prints the normalised version, and methods that take
//! arguments (`Compare`, `LessThan`, ...) do not exist.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;
use std::sync::OnceLock;

use regex_lite::{Captures, Regex};

use super::{add, s};
use crate::{Funcs, Param, Value};

pub(super) fn register(funcs: &mut Funcs) {
    add(funcs, "semver", &[Param::String], |a| {
        Ok(version_value(&Version::parse(s(&a[0]))?))
    });
    add(
        funcs,
        "semverCompare",
        &[Param::String, Param::String],
        |a| Ok(Value::Bool(compare(s(&a[0]), s(&a[1]))?)),
    );
}

/// sprig's `semverCompare`: the constraint is parsed first, so when both are bad the
/// constraint's error is the one returned.
fn compare(constraint: &str, version: &str) -> Result<bool, String> {
    let constraints = Constraints::parse(constraint)?;
    let version = Version::parse(version)?;
    Ok(constraints.check(&version))
}

/// What a template sees of a parsed version.
fn version_value(v: &Version) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Major".to_string(), unsigned(v.major));
    m.insert("Minor".to_string(), unsigned(v.minor));
    m.insert("Patch".to_string(), unsigned(v.patch));
    m.insert("Prerelease".to_string(), Value::from(v.pre.as_str()));
    m.insert("Metadata".to_string(), Value::from(v.metadata.as_str()));
    m.insert("Original".to_string(), Value::from(v.original.as_str()));
    m.insert("String".to_string(), Value::from(v.to_string()));
    Value::Map(Rc::new(m))
}

/// A `uint64` segment: an int where it fits, else its decimal text (which prints the same).
fn unsigned(n: u64) -> Value {
    i64::try_from(n).map_or_else(
        |_| Value::Number(Rc::from(n.to_string().as_str())),
        Value::Int,
    )
}

// The pieces of the grammar, with Go's capture groups in Go's order.
const SPACE: &str = r"[\t\n\f\r ]";
const IDENTS: &str = r"[0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*";
/// The operators in Go's alternation order, which decides the leftmost-first choice.
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

/// A version as `NewVersion` reads it: groups 1-3 the numbers, 5 the prerelease, 8 the
/// metadata.
fn loose_version(number: &str) -> String {
    format!(r"v?({number}+)(\.{number}+)?(\.{number}+)?(-({IDENTS}))?(\+({IDENTS}))?")
}

/// The version inside a constraint, where `x`, `X` and `*` (and, as in Go's class, `|`)
/// may stand for a number.
fn constraint_version() -> String {
    loose_version(r"[0-9|x|X|\*]")
}

fn version_regex() -> Result<&'static Regex, String> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&CELL, || format!("^{}$", loose_version("[0-9]")))
}

/// One constraint: group 1 the operator, 2 the version, 3-5 its numbers, 6 `-prerelease`.
fn single_regex() -> Result<&'static Regex, String> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&CELL, || {
        format!(
            "^{SPACE}*({OPS}){SPACE}*({}){SPACE}*$",
            constraint_version()
        )
    })
}

/// A hyphen range `A - B`: group 1 is A, group 11 is B.
fn range_regex() -> Result<&'static Regex, String> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&CELL, || {
        let cv = constraint_version();
        format!("{SPACE}*({cv}){SPACE}+-{SPACE}+({cv}){SPACE}*")
    })
}

/// Each constraint inside an AND group.
fn find_regex() -> Result<&'static Regex, String> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&CELL, || {
        format!("({OPS}){SPACE}*({})", constraint_version())
    })
}

/// A whole AND group: constraints separated by spaces or a comma.
fn group_regex() -> Result<&'static Regex, String> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    compiled(&CELL, || {
        let cv = constraint_version();
        format!(
            "^({SPACE}*({OPS}){SPACE}*({cv}){SPACE}*)\
             ((?:{SPACE}+|,{SPACE}*)({OPS}){SPACE}*({cv}){SPACE}*)*$"
        )
    })
}

fn compiled(
    cell: &'static OnceLock<Option<Regex>>,
    pattern: impl FnOnce() -> String,
) -> Result<&'static Regex, String> {
    cell.get_or_init(|| Regex::new(&pattern()).ok())
        .as_ref()
        .ok_or_else(|| "semver: a grammar pattern failed to compile".to_string())
}

fn group<'t>(caps: &Captures<'t>, i: usize) -> &'t str {
    caps.get(i).map_or("", |m| m.as_str())
}

/// A parsed version; metadata takes no part in comparisons.
#[derive(Clone, Debug, PartialEq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl Version {
    /// `NewVersion` with its default coercion: an optional `v`, one to three numbers (missing
    /// ones are 0, leading zeros allowed), then a prerelease and metadata.
    fn parse(text: &str) -> Result<Version, String> {
        let caps = version_regex()?
            .captures(text)
            .ok_or_else(|| "invalid semantic version".to_string())?;
        let number = |i: usize| -> Result<u64, String> {
            let digits = group(&caps, i).trim_start_matches('.');
            if digits.is_empty() {
                return Ok(0);
            }
            digits.parse::<u64>().map_err(|_| {
                format!(
                    "error parsing version segment: strconv.ParseUint: parsing \"{digits}\": \
                     value out of range"
                )
            })
        };
        let version = Version {
            major: number(1)?,
            minor: number(2)?,
            patch: number(3)?,
            pre: group(&caps, 5).to_string(),
            metadata: group(&caps, 8).to_string(),
            original: text.to_string(),
        };

        // Numeric prerelease identifiers may not have leading zeros; metadata ones may.
        let leading_zero = version
            .pre
            .split('.')
            .any(|part| is_numeric(part) && part.len() > 1 && part.starts_with('0'));
        if leading_zero {
            return Err("version segment starts with 0".to_string());
        }
        Ok(version)
    }

    /// `Version.Compare`: the numbers, then a release above its prereleases.
    fn compare(&self, other: &Version) -> Ordering {
        let numbers =
            (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch));
        if numbers != Ordering::Equal {
            return numbers;
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &other.pre),
        }
    }
}

impl fmt::Display for Version {
    /// `Version.String`: the normalised form, without a leading `v`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn is_numeric(part: &str) -> bool {
    !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())
}

/// Compares dot-separated prerelease identifiers; a missing identifier sorts first.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let a: Vec<&str> = a.split('.').collect();
    let b: Vec<&str> = b.split('.').collect();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or("");
        let y = b.get(i).copied().unwrap_or("");
        let d = compare_identifier(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// Numbers compare as numbers and sort below words; words compare byte by byte. A number
/// too large for `uint64` counts as a word, as Go's `ParseUint` fails on it.
fn compare_identifier(x: &str, y: &str) -> Ordering {
    if x == y {
        return Ordering::Equal;
    }
    if x.is_empty() {
        return Ordering::Less;
    }
    if y.is_empty() {
        return Ordering::Greater;
    }
    let as_number = |t: &str| is_numeric(t).then(|| t.parse::<u64>().ok()).flatten();
    match (as_number(x), as_number(y)) {
        (None, None) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        // Two different texts of one number (impossible once parsed) count as less, as in Go.
        (Some(p), Some(q)) => {
            if p > q {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    /// No operator or `=`: equality, or a tilde range when a number is a wildcard.
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_text(op: &str) -> Op {
        match op {
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterEqual,
            "<=" | "=<" => Op::LessEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => Op::TildeOrEqual,
        }
    }
}

/// One comparison. A wildcard or missing number makes it `dirty`; `minor_dirty` when the
/// minor number is the first one missing, `patch_dirty` when the patch is.
#[derive(Clone, Debug)]
struct Constraint {
    op: Op,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// OR groups of AND-ed constraints. A group that names a prerelease anywhere lets
/// prerelease versions through all its constraints; other groups refuse them.
struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

impl Constraints {
    /// `NewConstraint`: hyphen ranges are rewritten first, then `||` splits the groups, each
    /// group must match the AND grammar as a whole, and its constraints are found in it.
    fn parse(text: &str) -> Result<Constraints, String> {
        let text = rewrite_ranges(text)?;
        let mut groups = Vec::new();
        for segment in text.split("||") {
            if !group_regex()?.is_match(segment) {
                return Err(format!("improper constraint: {segment}"));
            }
            let mut found: Vec<&str> = find_regex()?
                .find_iter(segment)
                .map(|m| m.as_str())
                .collect();
            if found.is_empty() {
                found.push(segment);
            }
            let constraints = found
                .into_iter()
                .map(Constraint::parse)
                .collect::<Result<Vec<_>, _>>()?;
            let has_pre = constraints.iter().any(|c| !c.con.pre.is_empty());
            groups.push((constraints, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Constraints.Check`: some group whose constraints all hold.
    fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .any(|(constraints, has_pre)| constraints.iter().all(|c| c.check(v, *has_pre)))
    }
}

/// Rewrites each `A - B` into `>= A, <= B `. Like Go's `strings.Replace(.., 1)`, each
/// match's text is replaced where it first occurs in the text rewritten so far.
fn rewrite_ranges(text: &str) -> Result<String, String> {
    let ranges: Vec<(String, String)> = range_regex()?
        .captures_iter(text)
        .map(|caps| {
            let whole = group(&caps, 0).to_string();
            let rewritten = format!(">= {}, <= {} ", group(&caps, 1), group(&caps, 11));
            (whole, rewritten)
        })
        .collect();
    let mut out = text.to_string();
    for (whole, rewritten) in ranges {
        out = out.replacen(&whole, &rewritten, 1);
    }
    Ok(out)
}

fn is_x(text: &str) -> bool {
    matches!(text, "x" | "X" | "*")
}

impl Constraint {
    /// `parseConstraint`: a wildcard or missing number becomes 0 and marks the constraint
    /// dirty; the prerelease is kept and the metadata dropped in that case.
    fn parse(text: &str) -> Result<Constraint, String> {
        if text.is_empty() {
            return Ok(Constraint {
                op: Op::TildeOrEqual,
                con: Version::parse("0.0.0")?,
                dirty: true,
                minor_dirty: false,
                patch_dirty: false,
            });
        }
        let caps = single_regex()?
            .captures(text)
            .ok_or_else(|| format!("improper constraint: {text}"))?;
        let (major, minor, patch) = (group(&caps, 3), group(&caps, 4), group(&caps, 5));
        let pre = group(&caps, 6);
        let wild = |g: &str| g.is_empty() || is_x(g.trim_start_matches('.'));

        let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
        let version = if is_x(major) {
            dirty = true;
            format!("0.0.0{pre}")
        } else if wild(minor) {
            dirty = true;
            minor_dirty = true;
            format!("{major}.0.0{pre}")
        } else if wild(patch) {
            dirty = true;
            patch_dirty = true;
            format!("{major}{minor}.0{pre}")
        } else {
            group(&caps, 2).to_string()
        };
        let con = Version::parse(&version).map_err(|_| "constraint parser error".to_string())?;

        Ok(Constraint {
            op: Op::from_text(group(&caps, 1)),
            con,
            dirty,
            minor_dirty,
            patch_dirty,
        })
    }

    /// Whether `v` satisfies this constraint; prereleases only pass when the group allows
    /// them.
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        match self.op {
            Op::TildeOrEqual if self.dirty => self.tilde(v),
            Op::TildeOrEqual => v.compare(&self.con) == Ordering::Equal,
            Op::NotEqual => self.not_equal(v),
            Op::Greater => self.greater(v),
            Op::Less => v.compare(&self.con) == Ordering::Less,
            Op::GreaterEqual => v.compare(&self.con) != Ordering::Less,
            Op::LessEqual => self.less_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            }
            if self.minor_dirty {
                return false;
            }
            if c.patch != v.patch && !self.patch_dirty {
                return true;
            }
            if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                }
                return false;
            }
        }
        v.compare(c) != Ordering::Equal
    }

    /// `>`: with a wildcard the whole wildcarded part must be exceeded (`>1.1` wants 1.2.0).
    fn greater(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v.compare(c) == Ordering::Greater;
        }
        if v.major != c.major {
            return v.major > c.major;
        }
        if self.minor_dirty {
            return false;
        }
        if self.patch_dirty {
            return v.minor > c.minor;
        }
        v.compare(c) == Ordering::Greater
    }

    /// `<=`: with a wildcard anything up to the end of the wildcarded part passes. A wildcard
    /// major (`<=*`) only takes 0.0.x, as in Go.
    fn less_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v.compare(c) != Ordering::Greater;
        }
        if v.major > c.major {
            return false;
        }
        !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
    }

    /// `~`: at least the version, within its minor (or its major when the minor is a
    /// wildcard); `~0.0.0` and `~*` take everything.
    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if (c.major, c.minor, c.patch) == (0, 0, 0) && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    /// `^`: at least the version, within its major; below 1.0.0 within its minor, and below
    /// 0.1.0 exactly its patch. A wildcard major (`^*`) falls to the last rule, as in Go.
    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert!(version_regex().is_ok());
        assert!(single_regex().is_ok());
        assert!(range_regex().is_ok());
        assert!(find_regex().is_ok());
        assert!(group_regex().is_ok());
    }

    #[test]
    fn ranges_rewrite_as_go_does() {
        let cases: &[(&str, &str)] = &[
            ("2 - 3", ">= 2, <= 3 "),
            ("2 - 3, 4.0.0 - 5.1", ">= 2, <= 3 ,>= 4.0.0, <= 5.1 "),
            ("1.0.0 - 2.0.0 <=2.0.0", ">= 1.0.0, <= 2.0.0 <=2.0.0"),
            ("1-2", "1-2"),
            (">1 1 - 2", ">1>= 1, <= 2 "),
        ];
        for (text, want) in cases {
            assert_eq!(rewrite_ranges(text).as_deref(), Ok(*want), "{text:?}");
        }
    }
}
