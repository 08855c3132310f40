//! Keys written twice: the tree keeps the last value as go-yaml v2's `Unmarshal` does, and
//! the document lists each repeat where strict decoding would report it.

use serde_json::{Value, json};
use stage_yaml::{Mark, PathSegment, parse_stream, parse_value};

/// Each repeat of the first document as `path key@line:column first@line:column value-line`.
fn repeats(source: &str) -> Vec<String> {
    let documents = match parse_stream(source) {
        Ok(documents) => documents,
        Err(e) => panic!("{source:?} failed: {e}"),
    };
    documents[0]
        .duplicates
        .iter()
        .map(|d| {
            let path: Vec<String> = d
                .path
                .iter()
                .map(|s| match s {
                    PathSegment::Key(k) => k.clone(),
                    PathSegment::Index(i) => format!("[{i}]"),
                })
                .collect();
            format!(
                "/{} {}@{} first@{} value@{}",
                path.join("/"),
                d.key.key_text(),
                at(d.mark),
                at(d.first),
                d.value.line
            )
        })
        .collect()
}

fn at(mark: Mark) -> String {
    format!("{}:{}", mark.line, mark.column)
}

fn value(source: &str) -> Value {
    match parse_value(source) {
        Ok(v) => v,
        Err(e) => panic!("{source:?} failed: {e}"),
    }
}

#[test]
fn the_last_value_wins_as_in_go_yaml_v2() {
    let cases: &[(&str, Value)] = &[
        ("a: 1\na: 2", json!({"a": 2})),
        ("a: 1\nb: 0\na: 2", json!({"a": 2, "b": 0})),
        ("a: 1\na: 2\na: 3", json!({"a": 3})),
        ("{a: 1, a: 2}", json!({"a": 2})),
        ("a: {x: 1}\na: {p: 2}", json!({"a": {"p": 2}})),
        ("on: 1\ntrue: 2", json!({"true": 2})),
        ("1: a\n\"1\": b", json!({"1": "b"})),
        ("a: 1\na: ~", json!({"a": null})),
    ];
    for (source, want) in cases {
        assert_eq!(value(source), *want, "{source:?}");
    }
}

#[test]
fn repeats_are_listed_where_strict_decoding_reports_them() {
    let cases: &[(&str, &[&str])] = &[
        ("a: 1\nb: 2", &[]),
        ("a: 1\na: 2", &["/ a@2:1 first@1:1 value@2"]),
        (
            "a: 1\na: 2\na: 3",
            &["/ a@2:1 first@1:1 value@2", "/ a@3:1 first@1:1 value@3"],
        ),
        ("a: 1\na:\n  x: 1", &["/ a@2:1 first@1:1 value@3"]),
        ("{a: 1, b: 2, a: 3}", &["/ a@1:14 first@1:2 value@1"]),
        (
            "s:\n  t:\n    w: 1\n    w: 2",
            &["/s/t w@4:5 first@3:5 value@4"],
        ),
        (
            "l:\n- x: 1\n- p: 1\n  p: 2",
            &["/l/[1] p@4:3 first@3:3 value@4"],
        ),
        (
            "l:\n- - {q: 1, q: 2}",
            &["/l/[0]/[0] q@2:12 first@2:6 value@2"],
        ),
        (
            "m:\n  kwok.x-k8s.io/a: x\n  kwok.x-k8s.io/a: y",
            &["/m kwok.x-k8s.io/a@3:3 first@2:3 value@3"],
        ),
        // Keys are the same when Go's map of interface{} says so.
        ("on: 1\ntrue: 2", &["/ true@2:1 first@1:1 value@2"]),
        ("0x10: a\n16: b", &["/ 16@2:1 first@1:1 value@2"]),
        ("~: a\nnull: b", &["/ null@2:1 first@1:1 value@2"]),
        ("1: a\n\"1\": b", &[]),
        ("1: a\n1.0: b", &[]),
        (".nan: a\n.nan: b", &[]),
        // Inner repeats come first: go-yaml decodes a value before it sets its key.
        (
            "a: 1\na: {b: 1, b: 2}",
            &["/a b@2:11 first@2:5 value@2", "/ a@2:1 first@1:1 value@2"],
        ),
    ];
    for (source, want) in cases {
        assert_eq!(repeats(source), *want, "{source:?}");
    }
}

#[test]
fn merged_keys_count_as_set() {
    let base = "base: &b {x: 1, p: 1}\n";
    let cases: &[(&str, &[&str])] = &[
        ("m:\n  <<: *b\n  z: 2", &[]),
        // A key after the merge sets a merged key again.
        ("m:\n  <<: *b\n  x: 2", &["/m x@4:3 first@1:11 value@4"]),
        // A merge after a key sets it again: the repeat is reported at the `<<`.
        ("m:\n  x: 2\n  <<: *b", &["/m x@4:3 first@3:3 value@1"]),
        // Two merged mappings that share a key.
        (
            "c: &c {x: 3}\nm:\n  <<: [*b, *c]",
            &["/m x@4:3 first@2:8 value@1"],
        ),
    ];
    for (source, want) in cases {
        let source = format!("{base}{source}");
        assert_eq!(repeats(&source), *want, "{source:?}");
    }
    assert_eq!(
        value(&format!("{base}m:\n  x: 2\n  <<: *b"))["m"],
        json!({"x": 1, "p": 1})
    );
}

#[test]
fn an_aliased_mapping_is_reported_once_where_it_is_written() {
    assert_eq!(
        repeats("a: &a {k: 1, k: 2}\nb: *a\nc: *a"),
        ["/a k@1:14 first@1:8 value@1"]
    );
}

#[test]
fn each_document_lists_its_own_repeats() {
    let documents = match parse_stream("a: 1\na: 2\n---\nb: 1\n---\nc: 1\nc: 2\n") {
        Ok(documents) => documents,
        Err(e) => panic!("{e}"),
    };
    let counts: Vec<usize> = documents.iter().map(|d| d.duplicates.len()).collect();
    assert_eq!(counts, [1, 0, 1]);
    assert_eq!(documents[2].duplicates[0].mark, Mark { line: 7, column: 1 });
}
