//! JSON straight from the event stream, for the documents templates usually produce.
//!
//! Rendered Stage templates are small block mappings with string keys and no anchors, tags
//! or merges. For those, building a [`crate::Node`] tree (with marks, a key index per
//! mapping and a second pass to convert it) costs more than reading the events themselves.
//! This module builds the JSON value while the events arrive and gives up, returning `None`,
//! at the first thing whose meaning depends on go-yaml's decoding rules: an anchor, an
//! alias, a tag, a merge key, a key that is not a string, a key written twice, a value JSON
//! cannot hold, too deep a nesting, or a syntax error. The caller then reads the text again
//! on the full path, which gives the same value or the same error as it always did. The
//! result, when there is one, is exactly what the full path gives.

use saphyr_parser::{Event, Parser, ScalarStyle as SyntaxStyle};
use serde_json::{Map, Value};

use crate::json::float_as_go_json;
use crate::parse::MAX_DEPTH;
use crate::resolve::{self, Scalar};

/// The first document of `source` as JSON, or `None` when the full path must decide.
pub(crate) fn first_document(source: &str) -> Option<Value> {
    let mut events = Parser::new_from_str(source);
    loop {
        match next(&mut events)? {
            Event::StreamStart | Event::Nothing => {}
            // An empty stream has no document; `parse_value` reads that as null.
            Event::StreamEnd => return Some(Value::Null),
            Event::DocumentStart(_) => {
                let root = document(&mut events)?;
                return match next(&mut events)? {
                    Event::DocumentEnd => Some(root),
                    _ => None,
                };
            }
            _ => return None,
        }
    }
}

fn next<'a>(events: &mut Parser<'a, saphyr_parser::StrInput<'a>>) -> Option<Event<'a>> {
    match events.next_event() {
        Some(Ok((event, _))) => Some(event),
        _ => None,
    }
}

/// A collection whose end has not been read yet.
enum Open {
    Seq(Vec<Value>),
    /// The entries so far and the key waiting for its value.
    Map(Map<String, Value>, Option<String>),
}

/// The root node of a document, read up to (not including) the document's end.
fn document<'a>(events: &mut Parser<'a, saphyr_parser::StrInput<'a>>) -> Option<Value> {
    let mut open: Vec<Open> = Vec::new();
    loop {
        let done = match next(events)? {
            Event::Scalar(text, style, 0, None) => {
                if let Some(Open::Map(map, pending @ None)) = open.last_mut() {
                    let key = key(text.into_owned(), style)?;
                    if map.contains_key(&key) {
                        return None;
                    }
                    *pending = Some(key);
                    continue;
                }
                value(text.into_owned(), style)?
            }
            Event::SequenceStart(0, _) => {
                if open.len() >= MAX_DEPTH {
                    return None;
                }
                open.push(Open::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(0, _) => {
                if open.len() >= MAX_DEPTH {
                    return None;
                }
                open.push(Open::Map(Map::new(), None));
                continue;
            }
            Event::SequenceEnd => match open.pop()? {
                Open::Seq(items) => Value::Array(items),
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match open.pop()? {
                Open::Map(map, None) => Value::Object(map),
                _ => return None,
            },
            // Anchors, aliases, tags and anything unexpected.
            _ => return None,
        };

        match open.last_mut() {
            None => return Some(done),
            Some(Open::Seq(items)) => items.push(done),
            Some(Open::Map(map, pending)) => {
                // A collection in a key's place is refused on the full path.
                let key = pending.take()?;
                map.insert(key, done);
            }
        }
    }
}

/// A mapping key, when it is a string for go-yaml as well (so that Go's map and the JSON
/// object agree on which keys are the same).
fn key(text: String, style: SyntaxStyle) -> Option<String> {
    if style != SyntaxStyle::Plain {
        return Some(text);
    }
    match resolve::resolve_plain(&text) {
        Scalar::Str | Scalar::Timestamp => Some(text),
        _ => None,
    }
}

/// An untagged scalar value, resolved as the full path resolves it.
fn value(text: String, style: SyntaxStyle) -> Option<Value> {
    // Quoted and block scalars without a tag are always strings.
    if style != SyntaxStyle::Plain {
        return Some(Value::String(text));
    }
    plain_value(text)
}

/// A plain scalar as JSON, resolved by YAML 1.1's rules; `None` where the fast paths leave
/// the text to the full path (NaN and infinities, which it words as errors). The text is
/// made a `String` only when the scalar is one.
pub(crate) fn plain_value(text: impl AsRef<str> + Into<String>) -> Option<Value> {
    let value = match resolve::resolve_plain(text.as_ref()) {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::from(i),
        Scalar::UInt(u) => Value::from(u),
        Scalar::Float(f) | Scalar::BigInt(f) => Value::Number(float_as_go_json(f)?),
        Scalar::Timestamp | Scalar::Merge | Scalar::Str => Value::String(text.into()),
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::first_document;

    /// The full path's answer for the first document.
    fn full(source: &str) -> Result<serde_json::Value, crate::Error> {
        match crate::parse::parse(source, true)?.first() {
            Some(document) => document.root.try_to_json(),
            None => Ok(serde_json::Value::Null),
        }
    }

    #[test]
    fn template_shapes_take_the_direct_path_and_agree() {
        for source in [
            "",
            "\n\n",
            "a: 1\n",
            "conditions:\n- type: Ready\n  status: \"True\"\n  lastTransitionTime: 2024-01-01T00:00:10Z\n",
            "reason: no\nmode: 017\nname: \"yes\"\nx: ~\nf: 1.5\nz: 1e3\nbig: 18446744073709551616\n",
            "a:\n  b:\n    c: [1, 'two', {d: on}]\n",
            "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
            "- 1\n- -2\n- 9223372036854775808\n- <<\n- 2006-01-02\n",
            "2006-01-02: date key\n'1': quoted key\n",
            "a: 1\n---\nb: 2\n",
            "just text\n",
        ] {
            let direct = first_document(source);
            assert!(direct.is_some(), "{source:?} should not need the full path");
            assert_eq!(direct.map(Ok), Some(full(source)), "{source:?}");
        }
    }

    #[test]
    fn go_yaml_rules_leave_it_to_the_full_path() {
        for source in [
            "a: &x 1\nb: *x\n",
            "base: &b {x: 1}\nc:\n  <<: *b\n",
            "a: !!str 1\n",
            "1: one\n",
            "true: yes\n",
            "y: a YAML 1.1 boolean key\n",
            "~: null key\n",
            "a: 1\na: 2\n",
            "1: one\n\"1\": string one\n1: again\n",
            "? [a]\n: 1\n",
            "a: .inf\n",
            "a: .nan\n",
            "a: [1, 2\n",
            "a: b: c\n",
        ] {
            assert_eq!(first_document(source), None, "{source:?}");
            // Whatever the full path gives is what `parse_value` gives.
            assert_eq!(crate::parse_value(source), full(source), "{source:?}");
        }
    }
}
