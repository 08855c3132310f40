//! YAML as kwok reads and writes it.
//!
//! kwok and kubectl read every file through go-yaml v2, which resolves plain scalars by
//! YAML 1.1 rules (`yes`/`no`/`on`/`off`/`y`/`n` are booleans, `017` is octal, `~` is null).
//! This crate parses YAML streams into a [`Node`] tree that keeps the source position of
//! every node, converts nodes to JSON the way `sigs.k8s.io/yaml` does, and emits JSON values
//! as YAML text byte for byte as go-yaml v2's `Marshal` does for the shapes Stage templates
//! produce. It knows nothing about Stages.
//!
//! ```
//! use serde_json::json;
//!
//! // YAML 1.1: an unquoted `no` is false and `017` is octal.
//! let value = stage_yaml::parse_value("reason: no\nmode: 017\nname: \"yes\"\n").unwrap();
//! assert_eq!(value, json!({"reason": false, "mode": 15, "name": "yes"}));
//!
//! // go-yaml v2's output: sorted keys, quotes where a string would read as another type.
//! let text = stage_yaml::to_string(&json!({"pods": "110", "cpu": "1k"}));
//! assert_eq!(text, "cpu: 1k\npods: \"110\"\n");
//! ```

use std::fmt;

mod block;
mod direct;
mod emit;
mod float;
mod json;
mod locate;
mod parse;
mod resolve;
mod sort;
mod stream;

pub use stream::{Part, split_stream};

/// A place in the source text: 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

/// How a scalar was written; templates and error positions need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// One node of a parsed document, with where it starts in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub mark: Mark,
}

/// A node's value after YAML 1.1 resolution.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX` that still fit.
    UInt(u64),
    Float(f64),
    String {
        value: String,
        style: ScalarStyle,
    },
    Seq(Vec<Node>),
    /// Entries in source order; keys may be any node.
    Map(Vec<(Node, Node)>),
}

/// One document of a stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub root: Node,
    /// Every key written again in one of the document's mappings, in the order go-yaml's
    /// strict decoding reports them (a value's repeats before its own key's). The tree
    /// keeps only the last value, as go-yaml v2's `Unmarshal` does; strict decoding (the API
    /// server's `--validate=strict`) rejects each of these instead.
    pub duplicates: Vec<DuplicateKey>,
}

/// A mapping key set a second time, as go-yaml v2's strict decoding reports it (`line N: key
/// "x" already set in map`). Keys count as the same when Go's map of `interface{}` would:
/// `on` and `true` are one key, `1` and `"1"` are two. Keys brought in by a merge (`<<`) count
/// too. A mapping reached through an alias is reported once, where its anchor is written.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    /// Where the mapping sits in the document, from the root.
    pub path: Vec<PathSegment>,
    /// The key written again, as parsed.
    pub key: Node,
    /// Where the repeat is written: the key itself, or the `<<` that merged it in.
    pub mark: Mark,
    /// Where the key was set first.
    pub first: Mark,
    /// Where the repeated value starts: go-yaml's strict decoding names this line.
    pub value: Mark,
}

/// One step of a path into a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A mapping entry, by its key as JSON text (`on` is `"true"`).
    Key(String),
    /// A sequence item, from 0.
    Index(usize),
}

/// A YAML syntax error (or a go-yaml v2 rule such as a duplicate key) at a place.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub message: String,
    pub mark: Mark,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.mark.line, self.mark.column, self.message
        )
    }
}

impl std::error::Error for Error {}

/// Parses every document of a stream. Empty documents come back with a `Null` root.
pub fn parse_stream(source: &str) -> Result<Vec<Document>, Error> {
    parse::parse(source, false)
}

/// Parses the first document as YAML 1.1 and converts it to JSON, as kwok does with
/// rendered template output (`sigs.k8s.io/yaml.YAMLToJSON`). Empty text gives `null`.
pub fn parse_value(source: &str) -> Result<serde_json::Value, Error> {
    // Most template output is plain block text that needs none of go-yaml's decoding
    // rules; then most of the rest needs only the events. Everything else, and every
    // error, takes the full path.
    if let Some(value) = block::first_document(source) {
        return Ok(value);
    }
    if let Some(value) = direct::first_document(source) {
        return Ok(value);
    }
    match parse::parse(source, true)?.first() {
        Some(document) => document.root.try_to_json(),
        None => Ok(serde_json::Value::Null),
    }
}

impl Node {
    /// The node as JSON: map keys become strings the way `YAMLToJSON` turns them.
    ///
    /// This never fails: where `YAMLToJSON` would fail (NaN or infinite floats, null or
    /// unsigned 64-bit keys) the value becomes `null` and the key its YAML text. Use
    /// [`Node::try_to_json`] to get kwok's error instead.
    pub fn to_json(&self) -> serde_json::Value {
        json::to_json_lossy(self)
    }

    /// This node as a mapping key in JSON text, as `YAMLToJSON` turns it (`on` is `"true"`,
    /// `1.5` is `"1.5"`); keys `YAMLToJSON` refuses get their YAML text.
    pub fn key_text(&self) -> String {
        json::key_text_lossy(self)
    }

    /// The node as JSON exactly as `YAMLToJSON` converts it, failing where it fails.
    pub fn try_to_json(&self) -> Result<serde_json::Value, Error> {
        json::try_to_json(self)
    }

    /// The source position of the character at `offset` (in chars) of this scalar's value,
    /// for mapping errors inside a template back to the Stage file. Exact for literal
    /// block scalars and single-line scalars; best effort for the others.
    pub fn locate(&self, source: &str, offset: usize) -> Mark {
        match &self.value {
            NodeValue::String { style, .. } => locate::locate(source, self.mark, *style, offset),
            _ => locate::locate(source, self.mark, ScalarStyle::Plain, offset),
        }
    }
}

/// Emits a JSON value as go-yaml v2's `Marshal` would (keys sorted, 2-space indent, list
/// items at their parent key's indent, strings quoted where YAML 1.1 would read them as
/// another type). The text ends with a newline, as go-yaml's does.
pub fn to_string(value: &serde_json::Value) -> String {
    emit::to_string(value)
}
