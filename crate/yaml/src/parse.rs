//! Building [`Node`] trees from the event stream, with go-yaml v2's decoding rules.
//!
//! The syntax comes from an event-level parser; this module turns its events into nodes and
//! applies what go-yaml v2 does while decoding into generic values: aliases are expanded (with
//! its guard against excessive aliasing), merge keys (`<<`) copy entries in, a repeated key
//! replaces the earlier entry (and is listed in the document's duplicates, which strict
//! decoding rejects), and mapping or sequence keys are rejected. Scalar typing is
//! `resolve.rs`'s job.

use std::collections::HashMap;

use base64::Engine as _;
use saphyr_parser::{Event, Parser, ScalarStyle as SyntaxStyle, Span, StrInput, Tag};

use crate::resolve::{self, Scalar};
use crate::{Document, DuplicateKey, Error, Mark, Node, NodeValue, PathSegment, ScalarStyle};

/// Nesting deeper than this is refused, so that recursion over nodes cannot exhaust the
/// stack (a browser's is small). Kubernetes objects stay far below it.
pub(crate) const MAX_DEPTH: usize = 500;

/// Parses the documents of a stream; with `first_only`, stops after the first one, as
/// go-yaml's `Unmarshal` does.
pub(crate) fn parse(source: &str, first_only: bool) -> Result<Vec<Document>, Error> {
    let mut builder = Builder {
        source,
        events: Parser::new_from_str(source),
        anchors: HashMap::new(),
        decode_count: 0,
        alias_count: 0,
        duplicates: Vec::new(),
    };
    builder.stream(first_only)
}

struct Builder<'a> {
    source: &'a str,
    events: Parser<'a, StrInput<'a>>,
    /// Finished anchored nodes by the parser's anchor id, with their node counts.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes produced so far, counting alias expansions, and those produced by expansions.
    decode_count: usize,
    alias_count: usize,
    /// Repeated keys of the document being built.
    duplicates: Vec<DuplicateKey>,
}

/// An event with where it starts.
type Spanned<'a> = (Event<'a>, Span);

/// A collection whose end has not been read yet.
struct Open {
    mark: Mark,
    anchor: usize,
    kind: OpenKind,
}

enum OpenKind {
    Seq(Vec<Node>),
    /// The entries so far, and a key waiting for its value (and whether it is `<<`).
    Map(MapBuilder, Option<(Node, bool)>),
}

impl<'a> Builder<'a> {
    fn stream(&mut self, first_only: bool) -> Result<Vec<Document>, Error> {
        let mut documents = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => return Ok(documents),
                Event::DocumentStart(_) => {
                    let first = self.next()?;
                    let root = self.node(first)?;
                    let (end, end_span) = self.next()?;
                    if !matches!(end, Event::DocumentEnd) {
                        return Err(error_at(end_span, "expected the end of the document"));
                    }
                    let duplicates = std::mem::take(&mut self.duplicates);
                    documents.push(Document { root, duplicates });
                    if first_only {
                        return Ok(documents);
                    }
                }
                _ => return Err(error_at(span, "expected a document")),
            }
        }
    }

    fn next(&mut self) -> Result<Spanned<'a>, Error> {
        match self.events.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(e)) => {
                let mark = Mark {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                };
                // Name the anchor, as go-yaml's message does.
                let message = if e.info().contains("unknown anchor") {
                    let name = anchor_name_at(self.source, e.marker().index());
                    format!("unknown anchor '{name}' referenced")
                } else {
                    e.info().to_string()
                };
                Err(Error { message, mark })
            }
            None => Err(Error {
                message: "unexpected end of the stream".to_string(),
                mark: Mark::default(),
            }),
        }
    }

    /// Builds the node that starts with `first`, reading events until it is complete. The
    /// open collections are kept on an explicit stack rather than the call stack.
    fn node(&mut self, first: Spanned<'a>) -> Result<Node, Error> {
        let mut open: Vec<Open> = Vec::new();
        let mut next = Some(first);
        loop {
            let (event, span) = match next.take() {
                Some(event) => event,
                None => self.next()?,
            };
            let mark = mark_of(span);
            let merge = is_merge_key(&event);

            let done = match event {
                Event::Scalar(text, style, anchor, tag) => {
                    self.count(1, span)?;
                    let node = scalar(&text, style, tag.as_deref(), mark)?;
                    self.remember(anchor, &node);
                    node
                }
                Event::Alias(id) => self.alias(id, span)?,
                Event::SequenceStart(anchor, _) => {
                    self.count(1, span)?;
                    self.enter(open.len(), span)?;
                    open.push(Open {
                        mark,
                        anchor,
                        kind: OpenKind::Seq(Vec::new()),
                    });
                    continue;
                }
                Event::MappingStart(anchor, _) => {
                    self.count(1, span)?;
                    self.enter(open.len(), span)?;
                    open.push(Open {
                        mark,
                        anchor,
                        kind: OpenKind::Map(MapBuilder::default(), None),
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(finished) = open.pop() else {
                        return Err(error_at(span, "unexpected end of a collection"));
                    };
                    let value = match finished.kind {
                        OpenKind::Seq(items) => NodeValue::Seq(items),
                        OpenKind::Map(map, _) => NodeValue::Map(map.entries),
                    };
                    let node = Node {
                        value,
                        mark: finished.mark,
                    };
                    self.remember(finished.anchor, &node);
                    node
                }
                _ => return Err(error_at(span, "expected a node")),
            };

            let Some(parent) = open.last_mut() else {
                return Ok(done);
            };
            let (repeats, via) = match &mut parent.kind {
                OpenKind::Seq(items) => {
                    items.push(done);
                    (Vec::new(), None)
                }
                OpenKind::Map(map, pending) => match pending.take() {
                    None => {
                        *pending = Some((done, merge));
                        (Vec::new(), None)
                    }
                    Some((merge_key, true)) => (map.merge(done)?, Some(merge_key.mark)),
                    Some((key, false)) => (map.insert(key, done)?.into_iter().collect(), None),
                },
            };
            if !repeats.is_empty() {
                self.record(&open, repeats, via);
            }
        }
    }

    /// Lists repeated keys of the innermost open mapping. `via` is the `<<` that brought
    /// them in, if a merge did.
    fn record(&mut self, open: &[Open], repeats: Vec<Repeat>, via: Option<Mark>) {
        let path = path_of(open);
        for repeat in repeats {
            self.duplicates.push(DuplicateKey {
                path: path.clone(),
                mark: via.unwrap_or(repeat.key.mark),
                key: repeat.key,
                first: repeat.first,
                value: repeat.value,
            });
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<Node, Error> {
        let Some((node, size)) = self.anchors.get(&id) else {
            let name = anchor_name(self.source, span);
            return Err(error_at(
                span,
                &format!("anchor '{name}' value contains itself"),
            ));
        };
        let (node, size) = (node.clone(), *size);
        self.alias_count += size;
        self.count(size, span)?;
        Ok(node)
    }

    fn enter(&self, open: usize, span: Span) -> Result<(), Error> {
        if open >= MAX_DEPTH {
            return Err(error_at(
                span,
                &format!("exceeded max depth of {MAX_DEPTH}"),
            ));
        }
        Ok(())
    }

    /// Counts decoded nodes and applies go-yaml v2's limit on the share of alias expansions,
    /// which keeps small inputs from expanding into huge trees.
    fn count(&mut self, nodes: usize, span: Span) -> Result<(), Error> {
        self.decode_count += nodes;
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(error_at(span, "document contains excessive aliasing"));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), node_count(node)));
        }
    }
}

/// go-yaml v2's allowed share of alias-driven nodes: 99% up to 400,000 nodes, falling to 10%
/// at 4,000,000.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let count = decode_count as f64;
    if count <= LOW {
        0.99
    } else if count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((count - LOW) / (HIGH - LOW))
    }
}

/// The path from the root to the innermost open collection: each open collection names the
/// child being built inside it.
fn path_of(open: &[Open]) -> Vec<PathSegment> {
    let parents = open.len().saturating_sub(1);
    open[..parents]
        .iter()
        .map(|o| match &o.kind {
            OpenKind::Seq(items) => PathSegment::Index(items.len()),
            OpenKind::Map(_, pending) => PathSegment::Key(
                pending
                    .as_ref()
                    .map_or_else(String::new, |(key, _)| key.key_text()),
            ),
        })
        .collect()
}

fn node_count(node: &Node) -> usize {
    match &node.value {
        NodeValue::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        NodeValue::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| node_count(k) + node_count(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// go-yaml treats a key as a merge only when it is a plain `<<` without a tag, or tagged
/// `!!merge`.
fn is_merge_key(event: &Event<'_>) -> bool {
    match event {
        Event::Scalar(text, SyntaxStyle::Plain, _, tag) if text == "<<" => match tag {
            None => true,
            Some(tag) => short_tag(tag) == "!!merge",
        },
        _ => false,
    }
}

fn scalar(text: &str, style: SyntaxStyle, tag: Option<&Tag>, mark: Mark) -> Result<Node, Error> {
    let style = match style {
        SyntaxStyle::Plain => ScalarStyle::Plain,
        SyntaxStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SyntaxStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SyntaxStyle::Literal => ScalarStyle::Literal,
        SyntaxStyle::Folded => ScalarStyle::Folded,
    };
    let string = |value: String| NodeValue::String { value, style };

    let resolved = match tag {
        Some(tag) => {
            let tag = short_tag(tag);
            match resolve::resolve_tagged(&tag, text) {
                Ok(Some(resolved)) => resolved,
                Ok(None) => {
                    let value = decode_binary(text).ok_or_else(|| Error {
                        message: "!!binary value contains invalid base64 data".to_string(),
                        mark,
                    })?;
                    return Ok(Node {
                        value: string(value),
                        mark,
                    });
                }
                Err(message) => return Err(Error { message, mark }),
            }
        }
        // Quoted and block scalars without a tag are always strings.
        None if style != ScalarStyle::Plain => Scalar::Str,
        None => resolve::resolve_plain(text),
    };

    let value = match resolved {
        Scalar::Null => NodeValue::Null,
        Scalar::Bool(b) => NodeValue::Bool(b),
        Scalar::Int(i) => NodeValue::Int(i),
        Scalar::UInt(u) => NodeValue::UInt(u),
        Scalar::Float(f) | Scalar::BigInt(f) => NodeValue::Float(f),
        Scalar::Timestamp | Scalar::Merge | Scalar::Str => string(text.to_string()),
    };
    Ok(Node { value, mark })
}

/// A tag in go-yaml's short form: `tag:yaml.org,2002:int` becomes `!!int`.
fn short_tag(tag: &Tag) -> String {
    let full = format!("{}{}", tag.handle, tag.suffix);
    match full.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => full,
    }
}

/// Go's standard base64 decoding, which skips line breaks. Each byte that is not part of
/// valid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it out.
fn decode_binary(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|&c| c != '\n' && c != '\r').collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    let mut decoded = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        decoded.push_str(chunk.valid());
        decoded.extend(std::iter::repeat_n('\u{FFFD}', chunk.invalid().len()));
    }
    Some(decoded)
}

/// Entries of a mapping being built, with an index from key to position (and to where the
/// key was first written) so that repeated keys replace in place.
#[derive(Default)]
struct MapBuilder {
    entries: Vec<(Node, Node)>,
    index: HashMap<KeyId, (usize, Mark)>,
}

/// A key set again in a mapping.
struct Repeat {
    key: Node,
    first: Mark,
    value: Mark,
}

/// A key's identity as Go's map of `interface{}` sees it: the type and the value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(u64),
    Str(String),
}

impl MapBuilder {
    /// Sets an entry; a key already present is replaced and comes back as a repeat.
    fn insert(&mut self, key: Node, value: Node) -> Result<Option<Repeat>, Error> {
        let id = match &key.value {
            NodeValue::Null => Some(KeyId::Null),
            NodeValue::Bool(b) => Some(KeyId::Bool(*b)),
            NodeValue::Int(i) => Some(KeyId::Int(*i)),
            NodeValue::UInt(u) => Some(KeyId::UInt(*u)),
            // NaN never equals itself, so each NaN key is a new entry; both zeros are equal.
            NodeValue::Float(f) if f.is_nan() => None,
            NodeValue::Float(f) => Some(KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() })),
            NodeValue::String { value, .. } => Some(KeyId::Str(value.clone())),
            NodeValue::Seq(_) | NodeValue::Map(_) => {
                let kind = if matches!(key.value, NodeValue::Seq(_)) {
                    "a sequence"
                } else {
                    "a mapping"
                };
                return Err(Error {
                    message: format!("invalid map key: {kind} cannot be a key"),
                    mark: key.mark,
                });
            }
        };

        match id.as_ref().and_then(|id| self.index.get(id)) {
            Some(&(at, first)) => {
                let repeat = Repeat {
                    key: key.clone(),
                    first,
                    value: value.mark,
                };
                self.entries[at] = (key, value);
                Ok(Some(repeat))
            }
            None => {
                if let Some(id) = id {
                    self.index.insert(id, (self.entries.len(), key.mark));
                }
                self.entries.push((key, value));
                Ok(None)
            }
        }
    }

    /// Applies a merge key's value: a mapping, or a sequence of mappings where earlier ones
    /// win. Like go-yaml v2, merged entries replace keys set before the `<<`; each key that
    /// was already set comes back as a repeat, as strict decoding reports it.
    fn merge(&mut self, value: Node) -> Result<Vec<Repeat>, Error> {
        let want_map = |mark| Error {
            message: "map merge requires map or sequence of maps as the value".to_string(),
            mark,
        };
        let mut repeats = Vec::new();
        match value.value {
            NodeValue::Map(entries) => {
                for (k, v) in entries {
                    repeats.extend(self.insert(k, v)?);
                }
            }
            NodeValue::Seq(items) => {
                if let Some(bad) = items.iter().find(|i| !matches!(i.value, NodeValue::Map(_))) {
                    return Err(want_map(bad.mark));
                }
                for item in items.into_iter().rev() {
                    if let NodeValue::Map(entries) = item.value {
                        for (k, v) in entries {
                            repeats.extend(self.insert(k, v)?);
                        }
                    }
                }
            }
            _ => return Err(want_map(value.mark)),
        }
        Ok(repeats)
    }
}

fn mark_of(span: Span) -> Mark {
    Mark {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

fn error_at(span: Span, message: &str) -> Error {
    Error {
        message: message.to_string(),
        mark: mark_of(span),
    }
}

/// The name written after `*` at an alias, for messages.
fn anchor_name(source: &str, span: Span) -> String {
    anchor_name_at(source, span.start.index())
}

fn anchor_name_at(source: &str, index: usize) -> String {
    source
        .chars()
        .skip(index)
        .skip_while(|&c| c == '*')
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
        .collect()
}
