//! The plain block style templates print, read line by line without the event parser.
//!
//! A rendered status template is a block mapping of one-line scalars: `key: value`,
//! `key:` followed by a nested block or a `- ` sequence, quoted strings without escapes,
//! and blank lines. Input objects as tools write them add lines holding only a comment and
//! empty flow collections (`spec: {}`). Reading that shape needs only indentation and a few
//! characters, which is many times cheaper than a general YAML scanner. This module accepts
//! nothing else: a character outside quotes that could start anything more (comments after
//! a value, anchors, tags, other flow collections, block scalars), escapes, tabs, non-ASCII
//! text, a scalar continued on the next line, a key that is not a string for go-yaml, a
//! repeated key, or any doubt about indentation makes it return `None`, and the caller reads
//! the text on the event path instead. When it does answer, the value is the one the event
//! path gives.

use serde_json::map::Entry;
use serde_json::{Map, Value};

use crate::parse::MAX_DEPTH;
use crate::resolve::{self, Scalar};

/// The longest key YAML allows on an implicit (unmarked) key.
const MAX_KEY: usize = 1024;

/// About how many bytes a line of a rendered status takes, to size the line list once.
const TYPICAL_LINE: usize = 24;

/// The first document of `source` as JSON, or `None` when the event path must decide.
pub(crate) fn first_document(source: &str) -> Option<Value> {
    let mut lines = Lines::read(source)?;
    let Some(&(indent, _)) = lines.lines.first() else {
        // Nothing but blank lines: no document at all, which reads as null.
        return Some(Value::Null);
    };
    let root = lines.node(0, indent, None, 0)?;
    (root.1 == lines.lines.len()).then_some(root.0)
}

/// The non-blank lines as (indent, text after the indent).
struct Lines<'a> {
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Lines<'a> {
    /// Splits the source into lines, checks that every byte is printable ASCII (or a line
    /// break) and finds where each line's text starts and ends.
    fn read(source: &'a str) -> Option<Lines<'a>> {
        let bytes = source.as_bytes();
        let mut lines = Vec::with_capacity(bytes.len() / TYPICAL_LINE + 1);
        let mut start = 0;
        while start < bytes.len() {
            let line = &bytes[start..line_end(bytes, start)?];
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            if let Some(last) = line.iter().rposition(|&b| b != b' ') {
                let text = &source[start + indent..start + last + 1];
                // Document markers and directives belong to the event path.
                if text.starts_with("---") || text.starts_with("...") {
                    return None;
                }
                // A line holding only a comment is a blank line wherever it stands in the
                // shapes read here: a quoted or block scalar that could hold it is refused.
                if !text.starts_with('#') {
                    lines.push((indent, text));
                }
            }
            start += line.len() + 1;
        }
        Some(Lines { lines })
    }

    fn indent(&self, at: usize) -> Option<usize> {
        self.lines.get(at).map(|&(indent, _)| indent)
    }

    /// The node whose first line is `at`, written at `indent`, inside a collection whose
    /// own lines sit at `owner` (none for the root); with the index of the line after it.
    fn node(
        &mut self,
        at: usize,
        indent: usize,
        owner: Option<usize>,
        depth: usize,
    ) -> Option<(Value, usize)> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let (_, text) = self.lines[at];
        if is_entry(text) {
            return self.sequence(at, indent, depth + 1);
        }
        if let Some(first) = split_key(text)? {
            return self.mapping(at, indent, depth + 1, first);
        }
        self.scalar_line(at, owner)
    }

    /// A scalar that makes up the rest of line `at`. A following line indented past `owner`
    /// would continue it, which only the event path reads.
    fn scalar_line(&self, at: usize, owner: Option<usize>) -> Option<(Value, usize)> {
        let value = scalar(self.lines[at].1)?;
        match (self.indent(at + 1), owner) {
            (Some(_), None) => None,
            (Some(next), Some(owner)) if next > owner => None,
            _ => Some((value, at + 1)),
        }
    }

    fn sequence(&mut self, mut at: usize, indent: usize, depth: usize) -> Option<(Value, usize)> {
        let mut items = Vec::new();
        while let Some(&(line_indent, text)) = self.lines.get(at) {
            if line_indent != indent || !is_entry(text) {
                break;
            }
            let rest = text[1..].trim_ascii_start();
            let (item, next) = if rest.is_empty() {
                // The item is on the following lines, or it is null.
                match self.indent(at + 1) {
                    Some(next) if next > indent => self.node(at + 1, next, Some(indent), depth)?,
                    _ => (Value::Null, at + 1),
                }
            } else {
                // What follows `- ` is a node of its own, indented where it starts.
                let inner = indent + (text.len() - rest.len());
                self.lines[at] = (inner, rest);
                self.node(at, inner, Some(indent), depth)?
            };
            items.push(item);
            at = next;
        }
        self.ends_at(at, indent)?;
        Some((Value::Array(items), at))
    }

    /// A mapping whose first line `at` splits into `first` (its key and the rest).
    fn mapping(
        &mut self,
        mut at: usize,
        indent: usize,
        depth: usize,
        first: (&'a str, &'a str),
    ) -> Option<(Value, usize)> {
        let mut map = Map::new();
        let mut split = Some(first);
        while let Some(&(line_indent, text)) = self.lines.get(at) {
            if line_indent != indent {
                break;
            }
            let (key, rest) = match split.take() {
                Some(first) => first,
                None => split_key(text)??,
            };
            let Entry::Vacant(slot) = map.entry(key) else {
                return None;
            };
            let (value, next) = if rest.is_empty() {
                match self.lines.get(at + 1) {
                    Some(&(next, _)) if next > indent => {
                        self.node(at + 1, next, Some(indent), depth)?
                    }
                    // A sequence may sit at its key's own indent.
                    Some(&(next, text)) if next == indent && is_entry(text) => {
                        self.sequence(at + 1, indent, depth)?
                    }
                    _ => (Value::Null, at + 1),
                }
            } else {
                self.lines[at].1 = rest;
                self.scalar_line(at, Some(indent))?
            };
            slot.insert(value);
            at = next;
        }
        self.ends_at(at, indent)?;
        Some((Value::Object(map), at))
    }

    /// A collection at `indent` ends before line `at`: the next line must belong to an
    /// outer collection, else the indentation is something this module does not read.
    fn ends_at(&self, at: usize, indent: usize) -> Option<()> {
        match self.indent(at) {
            Some(next) if next > indent => None,
            _ => Some(()),
        }
    }
}

/// Where the line that starts at `start` ends (at its line break or at the end of the text)
/// when every byte before that is printable ASCII; `None` at any other byte.
fn line_end(bytes: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);
    let mut at = start;

    // Eight bytes a step while none of them is below a space or above `~`: subtracting a
    // space from every byte sets the high bit of the first byte below it (where that byte's
    // own high bit is clear), and adding one sets it for DEL, as every non-ASCII byte has it.
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*word);
        let below_space = word.wrapping_sub(ONES * u64::from(b' ')) & !word;
        let above_tilde = word.wrapping_add(ONES) | word;
        if (below_space | above_tilde) & HIGH_BITS != 0 {
            break;
        }
        at += 8;
    }

    // The last few bytes, or the word holding the line break or the unreadable byte.
    while let Some(&byte) = bytes.get(at) {
        if byte == b'\n' {
            return Some(at);
        }
        if !(b' '..=b'~').contains(&byte) {
            return None;
        }
        at += 1;
    }
    Some(at)
}

/// Scans plain (unquoted) text up to its first key colon, a `:` before a space or at the
/// end: where that colon is, if anywhere, and whether a byte before it is one this module
/// does not read in plain text, since it may start a YAML construct the module does not
/// handle. Inside quotes those bytes are plain text.
fn scan_plain(bytes: &[u8]) -> (Option<usize>, bool) {
    let mut special = false;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b':' && bytes.get(i + 1).is_none_or(|&next| next == b' ') {
            return (Some(i), special);
        }
        special |= SPECIAL[usize::from(byte)];
    }
    (None, special)
}

/// The bytes [`scan_plain`] reports, as a table.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"#&*!|%@`{}[]?\\,";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// The text between `quote`s, when it is read as written: a single-quoted text without
/// `''` and a double-quoted text without escapes.
fn quoted_as_written(inner: &str, quote: u8) -> Option<&str> {
    let escaped = match quote {
        b'"' => inner.bytes().any(|b| b == b'"' || b == b'\\'),
        _ => inner.bytes().any(|b| b == b'\''),
    };
    (!escaped).then_some(inner)
}

/// Whether the line is a sequence entry (`- item` or a lone `-`).
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// A `key: value` or `key:` line as its key and the text after the colon; `Some(None)`
/// when the line holds no key, `None` when it is something this module does not read.
fn split_key(text: &str) -> Option<Option<(&str, &str)>> {
    let (key, rest) = match text.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let close = text[1..].find(quote as char)? + 1;
            let after = &text[close + 1..];
            let rest = match after.strip_prefix(':') {
                Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest,
                _ if after.is_empty() => return Some(None),
                _ => return None,
            };
            (quoted_as_written(&text[1..close], quote)?, rest)
        }
        _ => {
            let (Some(colon), special) = scan_plain(text.as_bytes()) else {
                return Some(None);
            };
            let (key, rest) = (&text[..colon], &text[colon + 1..]);
            if special || key.ends_with(' ') || !plain_start(key) {
                return None;
            }
            match resolve::resolve_plain(key) {
                Scalar::Str | Scalar::Timestamp => {}
                // Keys that are not strings for go-yaml follow its map rules.
                _ => return None,
            }
            (key, rest)
        }
    };
    if key.len() > MAX_KEY {
        return None;
    }
    Some(Some((key, rest.trim_ascii_start())))
}

/// Whether a plain scalar may start with the text's first character.
fn plain_start(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        [b'-', next, ..] => *next != b' ',
        [b'-'] | [b':', ..] | [b'>', ..] | [b'\'', ..] | [b'"', ..] => false,
        _ => true,
    }
}

/// A one-line scalar value: quoted without escapes, or plain.
fn scalar(text: &str) -> Option<Value> {
    match text.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let inner = text[1..].strip_suffix(quote as char)?;
            Some(Value::String(quoted_as_written(inner, quote)?.to_string()))
        }
        // Empty flow collections, as `kubectl` writes `spec: {}`.
        Some(b'{') if text == "{}" => Some(Value::Object(Map::new())),
        Some(b'[') if text == "[]" => Some(Value::Array(Vec::new())),
        _ => {
            // `a: b` and a trailing `:` would be mappings the event path refuses.
            let (colon, special) = scan_plain(text.as_bytes());
            if colon.is_some() || special || !plain_start(text) {
                return None;
            }
            crate::direct::plain_value(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::first_document;

    /// The event path's answer for the first document.
    fn full(source: &str) -> Result<serde_json::Value, crate::Error> {
        match crate::parse::parse(source, true)?.first() {
            Some(document) => document.root.try_to_json(),
            None => Ok(serde_json::Value::Null),
        }
    }

    #[test]
    fn template_shapes_are_read_here_and_agree() {
        for source in [
            "",
            "\n  \n\n",
            "a: 1\n",
            "just text\n",
            "\"quoted\"\n",
            "conditions:\n- lastTransitionTime: \"2024-01-01T00:00:10Z\"\n  status: \"True\"\n\n  type: Ready\n",
            "containerStatuses:\n\n- image: \"nginx:1.25\"\n  ready: true\n  restartCount: 0\n  state:\n    running:\n      startedAt: 2024-01-01T00:00:10Z\n",
            "initContainerStatuses:\n\n\nhostIP: 10.0.0.1\nphase: Running\n",
            "reason: no\nmode: 017\nname: 'yes'\nx: ~\nf: 1.5\nz: 1e3\nbig: 18446744073709551616\n",
            "a:\n  - 1\n  -\n  - - x\n    - y\n  -   b: 2\n      c: 3\nd: <no value>\n",
            "a:\n  b:\nc:    spaced   words   \n",
            "\"quoted key\": 1\n'single': 2\nnginx:1.25: 3\n-a: -1\n2006-01-02: 4\n",
            "  indented: root\n  second: entry\n",
            "message: 'containers with unready status: [ app ]'\nr: \"a # b, {c} & *d !e |f ?g\"\n",
            "- '[x]': \"#y\"\n- \"%z\"\n",
            "t: 1_000\nm: -0_17\nk: 0x_1F\nh: 1_0.5\ns: 1__\n",
            "c: a:b\nd: x :y\ne: 'q: r'\nf: \"s:\"\n",
            "# lead\na: {}\n  # mid\nb: []\nc:\n- {}\n- []\n#tail",
        ] {
            let block = first_document(source);
            assert!(block.is_some(), "{source:?} should be read here");
            assert_eq!(block.map(Ok), Some(full(source)), "{source:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_event_path() {
        for source in [
            "a: 1 # comment\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: \"esc\\n\"\n",
            "a: 'it''s'\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: é\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            "y: boolean key\n",
            "1: integer key\n",
            "<<: merge\n",
            "a: 1\na: 2\n",
            "a:\n  b: 1\n  c: 2\n  b: 3\n",
            "- x: 1\n  y:\n  x: 2\n",
            "a: plain\n  continued\n",
            "- item\n  continued\n",
            "key:\n  value\n  continued\n",
            "one\ntwo\n",
            "a: b: c\n",
            "a: b:\n",
            "a: - b\n",
            "a: .inf\n",
            "a:\n    b: 1\n  c: 2\n",
            "a: 1\n - b\n",
            "\"a\" b: 1\n",
            "a: 'x' # comment\n",
            "\"a\\\"b\": 1\n",
            "'it''s': 1\n",
            "a#b: 1\n",
            "a: b # c\n",
            "- [x]\n",
            "? a\n: b\n",
            "a: \"open\n  close\"\n",
            "a: {b: 1}\n",
            "a: [ ]\n",
            "{}: 1\n",
            "a: {} # c\n",
            "a: b\n# c\n  d\n",
        ] {
            assert_eq!(first_document(source), None, "{source:?}");
        }
    }

    #[test]
    fn recorded_outputs_agree_with_the_event_path() {
        let golden =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden");
        let mut read_here = 0;
        for entry in std::fs::read_dir(golden).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let case: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let Some(text) = case.pointer("/response/text").and_then(|t| t.as_str()) else {
                continue;
            };
            if let Some(value) = first_document(text) {
                read_here += 1;
                assert_eq!(Ok(value), full(text), "{}", path.display());
            }
        }
        assert!(read_here > 0, "no recorded output took the block path");
    }

    /// Pieces of lines in the shapes templates print, and a few that only look like them.
    fn line() -> impl Strategy<Value = String> {
        let indent = prop::sample::select(vec!["", " ", "  ", "   ", "    ", "      "]);
        let entry = prop::sample::select(vec!["", "", "- ", "-", "-   ", "- - "]);
        let key = prop::sample::select(vec![
            "", "a", "b", "k k", "y", "1", "\"q\"", "'s'", "<<", "-x", "a\"b", "x:y", "~",
        ]);
        let colon = prop::sample::select(vec![": ", ":", "  :  ", ":  ", ""]);
        let value = prop::sample::select(vec![
            "",
            "1",
            "x",
            "\"s\"",
            "'t'",
            "yes",
            "~",
            "- a",
            "a: b",
            "2024-01-01",
            "-1",
            "1.5",
            ".inf",
            "1e400",
            "0x1F",
            "<no value>",
            "\"a\" b",
            "x:",
            "  two  words  ",
            ">",
            "-",
            ":x",
            "\"",
            "'a'b'",
            "null",
            "0o17",
            "18446744073709551616",
            "'[ a ]'",
            "\"# b, c\"",
            "'a: b'",
            "\"{x} &y *z\"",
            "'a'' b'",
            "\"a\\\" b\"",
        ]);
        (indent, entry, key, colon, value).prop_map(|(i, e, k, c, v)| format!("{i}{e}{k}{c}{v}"))
    }

    /// Mostly printable bytes, so that runs of eight clean bytes are common, and each byte
    /// at the edges of the printable range.
    fn byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            8 => prop::sample::select(b"a: -~ ".to_vec()),
            1 => prop::sample::select(vec![b'\n', b'\r', b'\t', 0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xff]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        #[test]
        fn a_line_ends_where_a_byte_by_byte_scan_ends_it(
            bytes in prop::collection::vec(byte(), 0..40),
            start in 0usize..40,
        ) {
            let start = start.min(bytes.len());
            let stop = bytes[start..]
                .iter()
                .position(|&b| b == b'\n' || !(b' '..=b'~').contains(&b))
                .map(|i| start + i);
            let expected = match stop {
                None => Some(bytes.len()),
                Some(at) => (bytes[at] == b'\n').then_some(at),
            };
            prop_assert_eq!(super::line_end(&bytes, start), expected, "{:?}", bytes);
        }

        #[test]
        fn whatever_is_read_here_agrees_with_the_event_path(
            lines in prop::collection::vec(line(), 0..8)
        ) {
            let source = lines.join("\n");
            if let Some(value) = first_document(&source) {
                prop_assert_eq!(Ok(value), full(&source), "{:?}", source);
            }
        }
    }
}
