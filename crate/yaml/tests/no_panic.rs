//! Any text gives a value or an error, never a panic.

use proptest::prelude::*;

/// Fragments that exercise the parser's corners more often than random characters would.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "b",
        ": ",
        ":",
        "- ",
        "-",
        "\n",
        "  ",
        " ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        "\"",
        "\\",
        "|",
        "|-",
        "|2",
        ">",
        "&x ",
        "*x",
        "&y",
        "*y",
        "<<: ",
        "!!str ",
        "!!int ",
        "!!binary ",
        "!x ",
        "? ",
        "#",
        "---",
        "...",
        "\t",
        "1",
        "0x",
        "yes",
        "~",
        "%YAML 1.1\n",
        "é",
        "\r",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn yaml_fragments_never_panic(source in yamlish()) {
        let _ = stage_yaml::parse_value(&source);
        if let Ok(docs) = stage_yaml::parse_stream(&source) {
            for doc in docs {
                let _ = doc.root.to_json();
                for offset in 0..5 {
                    let _ = doc.root.locate(&source, offset);
                }
            }
        }
    }

    #[test]
    fn random_text_never_panics(source in "\\PC{0,60}") {
        let _ = stage_yaml::parse_value(&source);
        let _ = stage_yaml::parse_stream(&source);
    }
}
