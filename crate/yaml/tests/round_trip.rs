//! What the emitter writes reads back as the same value.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Strings mixing letters, digits, YAML indicators, spaces, breaks and other special
/// characters, so that every quoting style is exercised.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        "yes",
        "no",
        "~",
        "null",
        "0",
        "1",
        "017",
        "0x",
        "1.5",
        "e3",
        ".",
        "-",
        ":",
        "?",
        "#",
        ",",
        "[",
        "]",
        "{",
        "}",
        "&",
        "*",
        "!",
        "|",
        ">",
        "'",
        "\"",
        "%",
        "@",
        "`",
        "\\",
        " ",
        "  ",
        "\n",
        "\t",
        "\u{0}",
        "\u{7f}",
        "\u{85}",
        "\u{a0}",
        "é",
        "中",
        "😀",
        "<<",
        "2006-01-02",
        "1:20",
        "---",
        "...",
        "\u{feff}",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Whole floats come back as integers, so only fractional ones are compared.
        (-1e6f64..1e6)
            .prop_filter("fractional", |f| f.fract() != 0.0)
            .prop_map(Value::from),
        text().prop_map(Value::String),
        // Long text that folds.
        prop::collection::vec(text(), 10..30).prop_map(|w| Value::String(w.join(" "))),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn emitted_yaml_reads_back_the_same(value in json_value()) {
        let text = stage_yaml::to_string(&value);
        let back = stage_yaml::parse_value(&text);
        prop_assert_eq!(back, Ok(value), "{}", text);
    }
}
