//! Finding a character of a scalar's value in the source.

use stage_yaml::{Mark, Node, NodeValue, parse_stream};

/// The value of the first key of the top-level map.
fn first_value(source: &str) -> Node {
    let docs = parse_stream(source).unwrap();
    match &docs[0].root.value {
        NodeValue::Map(entries) => entries[0].1.clone(),
        other => panic!("not a map: {other:?}"),
    }
}

fn at(line: usize, column: usize) -> Mark {
    Mark { line, column }
}

/// Checks that value character `offset` is the character found at the mark.
fn check(source: &str, offset: usize, want: Mark) {
    let node = first_value(source);
    let got = node.locate(source, offset);
    assert_eq!(got, want, "offset {offset} in {source:?}");
    if let NodeValue::String { value, .. } = &node.value {
        let line = source.lines().nth(got.line - 1).unwrap();
        let found = line.chars().nth(got.column - 1);
        let expected = value.chars().nth(offset);
        if expected != Some('\n') {
            assert_eq!(found, expected, "offset {offset} in {source:?}");
        }
    }
}

#[test]
fn literal_block_scalars() {
    let source = "template: |\n  a: {{ .x }}\n  b: 2\nnext: 1\n";
    check(source, 0, at(2, 3));
    check(source, 6, at(2, 9));
    check(source, 12, at(3, 3));
    check(source, 15, at(3, 6));

    let stripped = "template: |-\n    deep\n    x\n";
    check(stripped, 0, at(2, 5));
    check(stripped, 5, at(3, 5));

    let indicator = "template: |2\n   lead\n  x\n";
    check(indicator, 0, at(2, 3));
    check(indicator, 1, at(2, 4));
    check(indicator, 6, at(3, 3));

    let blank_first = "template: |\n\n  a\n";
    check(blank_first, 1, at(3, 3));

    let tagged = "template: !!str |\n  ab\n";
    check(tagged, 1, at(2, 4));

    let nested = "spec:\n  template: |\n    x {{ y }}\n";
    let docs = parse_stream(nested).unwrap();
    let NodeValue::Map(top) = &docs[0].root.value else {
        panic!()
    };
    let NodeValue::Map(spec) = &top[0].1.value else {
        panic!()
    };
    assert_eq!(spec[0].1.locate(nested, 2), at(3, 7));
}

#[test]
fn single_line_scalars() {
    check("template: abc def\n", 4, at(1, 15));
    check("template: 'it''s {{ x }}'\n", 0, at(1, 12));
    check("template: 'it''s {{ x }}'\n", 3, at(1, 16));
    check("template: 'it''s {{ x }}'\n", 5, at(1, 18));
    check("template: \"a\\tb {{ x }}\"\n", 2, at(1, 15));
    check("template: \"\\u00e9{{ x }}\"\n", 1, at(1, 18));
    check("template: &a !!str abc\n", 1, at(1, 21));
    check("{template: abc}\n", 2, at(1, 14));
}

#[test]
fn multi_line_flow_scalars_fold_their_breaks() {
    let source = "template: abc\n  def\n";
    check(source, 4, at(2, 3));
    let quoted = "template: \"abc\n  def\"\n";
    check(quoted, 5, at(2, 4));
}

#[test]
fn windows_line_endings() {
    let source = "template: |\r\n  ab\r\n  cd\r\n";
    let node = first_value(source);
    assert_eq!(node.locate(source, 1), at(2, 4));
    assert_eq!(node.locate(source, 3), at(3, 3));
}
