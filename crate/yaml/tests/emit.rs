//! go-yaml v2 `Marshal` output for JSON values. Each expected text follows from go-yaml v2's
//! encoder (`encode.go`) and libyaml's emitter (`emitterc.go`) rules.

use serde_json::{Value, json};
use stage_yaml::to_string;

fn emits(value: Value, want: &str) {
    assert_eq!(to_string(&value), want, "emitting {value}");
}

#[test]
fn the_spec_example() {
    emits(
        json!({"cpu": "1k", "pods": "110"}),
        "cpu: 1k\npods: \"110\"\n",
    );
}

#[test]
fn scalars_at_the_root() {
    emits(json!(null), "null\n");
    emits(json!(true), "true\n");
    emits(json!(false), "false\n");
    emits(json!(1), "1\n");
    emits(json!(-7), "-7\n");
    emits(json!(18446744073709551615u64), "18446744073709551615\n");
    emits(json!("abc"), "abc\n");
}

#[test]
fn numbers_as_go_writes_them_after_a_json_round_trip() {
    emits(json!(1.5), "1.5\n");
    emits(json!(1.0), "1\n");
    emits(json!(-0.0), "0\n");
    emits(json!(1000000.0), "1000000\n");
    emits(json!(1e20), "1e+20\n");
    emits(json!(1e21), "1e+21\n");
    emits(json!(1.5e300), "1.5e+300\n");
    emits(json!(0.0001), "0.0001\n");
    emits(json!(0.00001), "1e-05\n");
    emits(json!(123456.5), "123456.5\n");
    emits(json!(1234567.5), "1.2345675e+06\n");
}

#[test]
fn strings_that_would_read_as_another_type_are_double_quoted() {
    for s in [
        "",
        "yes",
        "Yes",
        "y",
        "N",
        "no",
        "on",
        "OFF",
        "true",
        "False",
        "null",
        "~",
        "1",
        "-1",
        "017",
        "0x1F",
        "0o17",
        "0b1",
        "1_000",
        "1.5",
        "1e3",
        ".5",
        ".inf",
        "-.Inf",
        ".nan",
        "2006-01-02",
        "2006-01-02T15:04:05Z",
        "2006-1-2 3:04:05",
        "1:20",
        "-1:20:30",
        "<<",
    ] {
        emits(json!(s), &format!("\"{s}\"\n"));
    }
}

#[test]
fn strings_that_stay_strings_are_plain() {
    for s in [
        "1k",
        "1Ti",
        "10.0.0.1",
        "abc def",
        "a#b",
        "a,b",
        "a:b",
        "a-b",
        "-a",
        "?a",
        "it's",
        "<no value>",
        "é",
        "中文",
        "yES",
        "nan",
        "inf",
        "0x",
        "1e",
        "2006-13-01",
        "kwok-v0.8.0",
        "a]b",
        "x: ",
        "$x",
        "a\u{A0}b",
    ] {
        let want = if s.ends_with(' ') {
            format!("'{s}'\n")
        } else {
            format!("{s}\n")
        };
        emits(json!(s), &want);
    }
}

#[test]
fn strings_with_indicators_or_edge_spaces_are_single_quoted() {
    let cases = [
        ("- a", "'- a'\n"),
        ("-", "'-'\n"),
        ("a: b", "'a: b'\n"),
        (":", "':'\n"),
        ("#x", "'#x'\n"),
        ("a #b", "'a #b'\n"),
        (" a", "' a'\n"),
        ("a ", "'a '\n"),
        ("'x'", "'''x'''\n"),
        ("\"x\"", "'\"x\"'\n"),
        ("@x", "'@x'\n"),
        ("`x", "'`x'\n"),
        ("*x", "'*x'\n"),
        ("&x", "'&x'\n"),
        ("!x", "'!x'\n"),
        ("%x", "'%x'\n"),
        ("|x", "'|x'\n"),
        (">x", "'>x'\n"),
        ("[x]", "'[x]'\n"),
        ("{x}", "'{x}'\n"),
        (",x", "',x'\n"),
        ("---", "'---'\n"),
        ("...x", "'...x'\n"),
        ("? x", "'? x'\n"),
    ];
    for (s, want) in cases {
        emits(json!(s), want);
    }
}

#[test]
fn strings_with_special_characters_are_double_quoted_with_escapes() {
    let cases = [
        ("a\tb", "\"a\\tb\"\n"),
        ("a\rb", "\"a\\rb\"\n"),
        ("\u{0}", "\"\\0\"\n"),
        ("\u{7}", "\"\\a\"\n"),
        ("\u{1b}", "\"\\e\"\n"),
        ("\u{7f}", "\"\\x7F\"\n"),
        ("\u{85}", "\"\\N\"\n"),
        // A line separator is printable, so only the line break rules apply: single quotes.
        ("\u{2028}", "'\u{2028}'\n"),
        ("\u{feff}x", "\"\\uFEFFx\"\n"),
        ("😀", "\"\\U0001F600\"\n"),
        ("yes\\no", "yes\\no\n"),
        ("\t\"q\"\\", "\"\\t\\\"q\\\"\\\\\"\n"),
        ("a \nb", "\"a \\nb\"\n"),
        ("a\n b\tc", "\"a\\n b\\tc\"\n"),
    ];
    for (s, want) in cases {
        emits(json!(s), want);
    }
}

#[test]
fn multi_line_strings_are_literal_blocks() {
    emits(json!("a\nb"), "|-\n  a\n  b\n");
    emits(json!("a\nb\n"), "|\n  a\n  b\n");
    emits(json!("a\n\n"), "|+\n  a\n\n");
    emits(json!("\n"), "|2+\n\n");
    emits(json!(" a\nb"), "|2-\n   a\n  b\n");
    emits(json!("a\n\nb"), "|-\n  a\n\n  b\n");
    emits(json!({"a": "x\ny\n", "b": 1}), "a: |\n  x\n  y\nb: 1\n");
    emits(json!({"a": {"b": "x\ny"}}), "a:\n  b: |-\n    x\n    y\n");
    emits(json!(["x\ny"]), "- |-\n  x\n  y\n");
    // A trailing space on a line rules the block out.
    emits(json!("a \nb"), "\"a \\nb\"\n");
}

#[test]
fn collections() {
    emits(json!({}), "{}\n");
    emits(json!([]), "[]\n");
    emits(json!({"a": {}}), "a: {}\n");
    emits(json!({"a": []}), "a: []\n");
    emits(json!([[], {}]), "- []\n- {}\n");
    emits(json!({"a": [1, 2]}), "a:\n- 1\n- 2\n");
    emits(json!([[1, 2], [3]]), "- - 1\n  - 2\n- - 3\n");
    emits(json!([{"a": 1, "b": 2}]), "- a: 1\n  b: 2\n");
    emits(json!({"a": {"b": {"c": 1}}}), "a:\n  b:\n    c: 1\n");
    emits(json!({"a": [{"b": [1]}]}), "a:\n- b:\n  - 1\n");
    emits(json!([[[1]]]), "- - - 1\n");
    emits(json!({"a": null, "b": [null]}), "a: null\nb:\n- null\n");
}

#[test]
fn keys_are_sorted_naturally_and_quoted_like_values() {
    emits(json!({"a10": 1, "a2": 2, "B": 3}), "B: 3\na2: 2\na10: 1\n");
    emits(json!({"": 1}), "\"\": 1\n");
    emits(json!({"yes": 1}), "\"yes\": 1\n");
    emits(json!({"- x": 1}), "'- x': 1\n");
    emits(json!({"a\tb": 1}), "\"a\\tb\": 1\n");
    emits(
        json!({"kwok.x-k8s.io/node": "fake", "app": "x"}),
        "app: x\nkwok.x-k8s.io/node: fake\n",
    );
}

#[test]
fn keys_that_are_not_simple_use_the_explicit_form() {
    emits(json!({"a\nb": 1}), "? |-\n  a\n  b\n: 1\n");
    let long = "k".repeat(129);
    emits(json!({ long.clone(): 1 }), &format!("? {long}\n: 1\n"));
    let just_fits = "k".repeat(128);
    emits(
        json!({ just_fits.clone(): 1 }),
        &format!("{just_fits}: 1\n"),
    );
    emits(
        json!({ long.clone(): {"x": 1} }),
        &format!("? {long}\n: x: 1\n"),
    );
    emits(json!({ long.clone(): [1] }), &format!("? {long}\n: - 1\n"));
}

#[test]
fn long_plain_strings_fold_at_80_columns() {
    let word = "abcdefghi";
    let words = |n: usize| vec![word; n].join(" ");
    emits(
        json!({"a": words(20)}),
        &format!("a: {}\n  {}\n  {}\n", words(8), words(8), words(4)),
    );
    // Runs of spaces are never broken.
    let spaced = format!("{}  {}", "x".repeat(85), "y");
    emits(json!({"a": spaced.clone()}), &format!("a: {spaced}\n"));
    // Keys never fold.
    let long_key = words(12);
    emits(json!({ long_key.clone(): 1 }), &format!("{long_key}: 1\n"));
    // A single long word has nowhere to fold.
    let one = "x".repeat(200);
    emits(json!({"a": one.clone()}), &format!("a: {one}\n"));
}

#[test]
fn long_quoted_strings_fold_too() {
    let word = "abcdefghi";
    let words = |n: usize| vec![word; n].join(" ");
    emits(
        json!({"a": format!("\t{}", words(12))}),
        &format!("a: \"\\t{}\n  {}\"\n", words(8), words(4)),
    );
    emits(
        json!({"a": format!("-- {}", words(12))}),
        &format!("a: -- {}\n  {}\n", words(8), words(4)),
    );
    emits(
        json!({"a": format!("'{}", words(12))}),
        &format!("a: '''{}\n  {}'\n", words(8), words(4)),
    );
}
