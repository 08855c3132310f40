//! A stream cut into its documents from the text alone, so that each document can be read on
//! its own: as JSON by the block reader when it has the plain block shape, else on the event
//! path with the marks it would have in the whole stream.
//!
//! A line that starts with `---` followed by a space, a tab, a line break or the end of the
//! text always starts a document, or is an error in the stream wherever it stands, so
//! cutting there keeps each document's meaning. What can tie documents together is left to
//! the whole stream: aliases (anchors and the alias guard span documents), directives (`%`
//! at the start of a line), document end markers (`...`) and a byte order mark make
//! [`split_stream`] give up. When [`Part::parse`] fails, the caller must read the whole
//! stream instead, since an error's message and place are the whole stream's to give.

use serde_json::Value;

use crate::{Document, Error, Mark, Node, NodeValue};

/// One document's text (or a blank stretch) of a stream, from its `---` line if it has one.
#[derive(Clone, Debug)]
pub struct Part<'a> {
    /// The text from the start of the part's first line, and the `---` of the next part if
    /// there is one: where a node ends (an empty block scalar's place, say) can depend on
    /// the token after it.
    text: &'a str,
    /// Where the part's own text ends in `text`.
    end: usize,
    /// The 1-based line of the stream on which `text` starts.
    line: usize,
    /// Where the document's content starts in `text`: after the `---` line, if any.
    body: usize,
    /// Whether the `---` line carries more than the marker (a comment, a tag, a node).
    marker_text: bool,
}

/// Cuts `source` at its document start markers, or `None` when the whole stream must be read
/// at once.
pub fn split_stream(source: &str) -> Option<Vec<Part<'_>>> {
    let bytes = source.as_bytes();
    if bytes.contains(&b'*') || source.contains('\u{feff}') {
        return None;
    }

    let mut parts = Vec::new();
    let mut part = Part {
        text: source,
        end: 0,
        line: 1,
        body: 0,
        marker_text: false,
    };
    let mut part_start = 0;
    let mut start = 0;
    let mut line = 1;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        let text = &bytes[start..end];
        if text.starts_with(b"%") || is_marker(text, b"...") {
            return None;
        }
        if is_marker(text, b"---") {
            if start > part_start {
                part.text = &source[part_start..start + 3];
                part.end = start - part_start;
                parts.push(part);
            }
            part = Part {
                text: "",
                end: 0,
                line,
                body: (end + 1).min(bytes.len()) - start,
                marker_text: !text[3..].trim_ascii().is_empty(),
            };
            part_start = start;
        }
        start = end + 1;
        line += 1;
    }
    if part_start < bytes.len() {
        part.text = &source[part_start..];
        part.end = part.text.len();
        parts.push(part);
    }
    Some(parts)
}

/// Whether a line starts with the three-character `marker` standing alone.
fn is_marker(line: &[u8], marker: &[u8]) -> bool {
    line.starts_with(marker) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r'))
}

impl Part<'_> {
    /// The document as JSON with where its root starts, when the block reader takes it
    /// whole; `None` when the event path must decide. Blank text reads as `null`.
    pub fn read(&self) -> Option<(Value, Mark)> {
        if self.marker_text {
            return None;
        }
        let body = &self.text[self.body.min(self.end)..self.end];
        let value = crate::block::first_document(body)?;
        Some((value, self.first_content(body)))
    }

    /// Where the first line of the body that is neither blank nor a comment starts. The
    /// block reader has checked that every byte is ASCII, so columns count bytes.
    fn first_content(&self, body: &str) -> Mark {
        let marker_lines = usize::from(self.body > 0);
        for (i, line) in body.lines().enumerate() {
            let indent = line.bytes().position(|b| b != b' ');
            if let Some(indent) = indent.filter(|&i| line.as_bytes()[i] != b'#') {
                return Mark {
                    line: self.line + marker_lines + i,
                    column: indent + 1,
                };
            }
        }
        Mark {
            line: self.line + marker_lines,
            column: 1,
        }
    }

    /// The part's documents on the event path, with the marks they have in the whole stream.
    pub fn parse(&self) -> Result<Vec<Document>, Error> {
        let lines = self.line - 1;
        let shift = |mark: &mut Mark| {
            if mark.line > 0 {
                mark.line += lines;
            }
        };
        let mut documents = crate::parse::parse(self.text, false).map_err(|mut e| {
            shift(&mut e.mark);
            e
        })?;
        if self.end < self.text.len() {
            // The next part's `---` starts an empty document of its own.
            documents.pop();
        }
        for document in &mut documents {
            shift_node(&mut document.root, lines);
            for duplicate in &mut document.duplicates {
                shift_node(&mut duplicate.key, lines);
                for mark in [
                    &mut duplicate.mark,
                    &mut duplicate.first,
                    &mut duplicate.value,
                ] {
                    shift(mark);
                }
            }
        }
        Ok(documents)
    }
}

/// Moves every mark of a tree down by `lines`, without recursion (trees may be deep).
fn shift_node(root: &mut Node, lines: usize) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        node.mark.line += lines;
        match &mut node.value {
            NodeValue::Seq(items) => stack.extend(items.iter_mut()),
            NodeValue::Map(entries) => {
                for (key, value) in entries {
                    stack.push(key);
                    stack.push(value);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::split_stream;
    use crate::{Document, Mark};

    /// Every part's documents, read on the event path, against the whole stream's; and the
    /// block reader's answer for a part against that part's document. Returns how many
    /// parts the block reader took.
    fn agree(source: &str) -> usize {
        let Some(parts) = split_stream(source) else {
            return 0;
        };
        let whole = crate::parse::parse(source, false);
        let mut documents: Vec<Document> = Vec::new();
        let mut read_here = 0;
        for part in &parts {
            let Ok(own) = part.parse() else {
                // The stream must fail too; its error is the one to report.
                assert!(whole.is_err(), "{source:?}: a part fails alone");
                return read_here;
            };
            if let Some((value, mark)) = part.read() {
                read_here += 1;
                match own.as_slice() {
                    [] => assert_eq!(value, serde_json::Value::Null, "{source:?}"),
                    [document] => {
                        assert_eq!(Ok(value), document.root.try_to_json(), "{source:?}");
                        if !matches!(document.root.value, crate::NodeValue::Null) {
                            assert_eq!(mark, document.root.mark, "{source:?}");
                        }
                        assert!(document.duplicates.is_empty(), "{source:?}");
                    }
                    _ => panic!("{source:?}: one part read as several documents"),
                }
            }
            documents.extend(own);
        }
        match whole {
            Ok(whole) => {
                let nulls = |d: &Document| !matches!(d.root.value, crate::NodeValue::Null);
                let ours: Vec<_> = documents.into_iter().filter(nulls).collect();
                let theirs: Vec<_> = whole.into_iter().filter(nulls).collect();
                assert_eq!(ours, theirs, "{source:?}");
            }
            Err(e) => panic!("{source:?}: every part parsed, the stream fails: {e}"),
        }
        read_here
    }

    #[test]
    fn parts_agree_with_the_whole_stream() {
        for (source, read_here) in [
            ("", 0),
            ("a: 1\n", 1),
            ("---\na: 1\n", 1),
            ("a: 1\n---\nb: 2\n---\n\n---\n", 4),
            (
                "# head\n---\n  # lead\n  a: 1\n  # mid\n  b: 2\n# tail\n",
                2,
            ),
            ("---\n---\n", 2),
            ("--- # comment\na: 1\n", 0),
            ("--- a\n", 0),
            ("--- |\n  text\n---\nb: 1\n", 1),
            ("a: \"x\n--- y\"\n", 0),
            ("a: |\n  ---\n  text\n", 0),
            ("a: '--- in a string'\nb: ---x\n", 1),
            ("a: 1\n----\n", 0),
            ("spec: {}\nstatus: []\nitems:\n- {}\n- []\n", 1),
            ("a: {b: 1}\n", 0),
            (
                "a: yes\nb: 017\nc: ~\nd: '1'\ne: \"on\"\nf: 1.5e3\ng: 0x1F\n",
                1,
            ),
            ("a: 1\na: 2\n---\nb: 1\n", 1),
            ("a: 1\r\n---\r\nb: 2\r\n", 0),
            ("a: 1\n---\t\nb: 2\n", 2),
            ("a: 1\n---\nb: [1,\n", 1),
            ("- 1\n- 2\n---\nplain\n", 2),
            ("k:\n  v\n  # c\n", 1),
            ("k: v\n# c\n  w\n", 0),
            ("\n\n\n---\n\n\n  a: 1\n", 2),
        ] {
            assert_eq!(agree(source), read_here, "{source:?}");
        }
    }

    #[test]
    fn what_ties_documents_together_goes_to_the_whole_stream() {
        for source in [
            "a: &x 1\n---\nb: *x\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: 1\n...\n---\nb: 2\n",
            "\u{feff}a: 1\n",
            "a: 1\n...\n",
        ] {
            assert!(split_stream(source).is_none(), "{source:?}");
        }
    }

    #[test]
    fn marks_are_the_whole_streams() {
        let source = "a: 1\n---\n\n  b: 2\n---\nc: [\n";
        let parts = split_stream(source).unwrap();
        assert_eq!(parts[1].read().unwrap().1, Mark { line: 4, column: 3 });
        let whole = crate::parse::parse(source, false).unwrap_err();
        assert_eq!(parts[2].parse().unwrap_err(), whole);
    }

    #[test]
    fn shipped_yaml_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut read_here = 0;
        let mut files = 0;
        let mut dirs = vec![
            root.join("../shared/kwok-stages"),
            root.join("../shared/field-stages"),
            root.join("web/presets"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files += 1;
                    read_here += agree(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        assert!(files > 100, "only {files} files found");
        assert!(read_here > 0, "no shipped document took the block reader");
    }

    /// Lines of the shapes objects are written in, and a few that only look like them.
    fn line() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "---",
            "--- ",
            "---x",
            "--- # c",
            "...",
            "# comment",
            "  # indented comment",
            "",
            "a: 1",
            "a: 2",
            "b:",
            "  c: yes",
            "  - x",
            "  - 'q: r'",
            "- y",
            "  d: \"s\"",
            "spec: {}",
            "e: []",
            "f: [1]",
            "  g: {}",
            "name: \"--- x\"",
            "h: '",
            "'",
            "i: |",
            "  text",
            "    deeper",
            "j: a # b",
            "k: ~",
            "l: 017",
            "m: *x",
            "n: &x 1",
            "%TAG",
            "a: 1\r",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn generated_streams_agree(lines in prop::collection::vec(line(), 0..12)) {
            agree(&lines.join("\n"));
        }
    }
}
