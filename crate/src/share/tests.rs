use super::*;
use crate::scenario::{ObjectText, Target, UserAction, UserActionKind};

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n";
const STAGE: &str = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\n";

fn inline(text: &str) -> Source {
    Source::Inline {
        name: None,
        text: text.to_string(),
    }
}

fn sample() -> Shared {
    Shared {
        scenario: Scenario {
            stages: vec![inline(STAGE)],
            objects: vec![Source::Inline {
                name: Some("pods.yaml".into()),
                text: POD.into(),
            }],
            seed: 42,
            horizon: Some("10m".into()),
            actions: vec![
                UserAction {
                    at: "30s".into(),
                    what: UserActionKind::Delete {
                        target: Target {
                            api_version: "v1".into(),
                            kind: "Pod".into(),
                            namespace: "default".into(),
                            name: "p".into(),
                        },
                        grace_period_seconds: Some(0),
                    },
                },
                UserAction {
                    at: "1m".into(),
                    what: UserActionKind::Create(ObjectText::Text(POD.into())),
                },
            ],
            ..Scenario::default()
        },
        view: ViewState {
            time_ns: Some(1_500_000_000),
            selected: Some("Pod/default/p".into()),
            panels: vec!["timeline".into()],
        },
    }
}

fn presets() -> PresetTable {
    PresetTable::new().with("demo", "1", STAGE)
}

fn open(link: &str) -> Result<Opened, DecodeError> {
    decode(link, &presets())
}

fn small() -> Limits {
    Limits {
        max_link_len: 64,
        max_content_len: 100,
    }
}

#[test]
fn round_trip_without_presets() {
    let link = encode(&sample(), &NoPresets).unwrap();
    assert!(link.starts_with("v1."), "{link}");
    let opened = decode(&link, &NoPresets).unwrap();
    assert_eq!(opened.shared, sample());
    assert_eq!(opened.format, 1);
    assert_eq!(opened.engine, ENGINE_VERSION);
}

#[test]
fn round_trip_with_presets_names_them() {
    let link = encode(&sample(), &presets()).unwrap();
    let opened = open(&link).unwrap();
    assert_eq!(opened.shared, sample());
    let (_, json) = wire::unpack(&link, &Limits::default()).unwrap();
    let envelope: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(
        envelope["scenario"]["stages"],
        serde_json::json!([{"preset": "demo", "version": "1"}])
    );
    assert_eq!(
        envelope["scenario"]["objects"],
        serde_json::json!([{"name": "pods.yaml", "text": POD}])
    );
}

#[test]
fn links_are_url_safe_and_stable() {
    let link = encode(&sample(), &presets()).unwrap();
    assert!(
        link.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
        "{link}"
    );
    assert_eq!(encode(&sample(), &presets()).unwrap(), link);
}

#[test]
fn a_preset_name_survives_the_reference() {
    let mut shared = sample();
    shared.scenario.stages = vec![Source::Inline {
        name: Some("mine".into()),
        text: STAGE.into(),
    }];
    let opened = open(&encode(&shared, &presets()).unwrap()).unwrap();
    assert_eq!(opened.shared, shared);
}

#[test]
fn decoded_scenario_is_what_the_scenario_file_reader_accepts() {
    let opened = open(&encode(&sample(), &presets()).unwrap()).unwrap();
    let file = serde_json::to_string(&opened.shared.scenario).unwrap();
    assert_eq!(
        Scenario::parse(&file, "shared.json").unwrap(),
        sample().scenario
    );
}

#[test]
fn file_sources_cannot_be_shared() {
    let mut shared = sample();
    shared
        .scenario
        .objects
        .push(Source::Path("pods.yaml".into()));
    assert_eq!(
        encode(&shared, &NoPresets),
        Err(EncodeError::FileSource {
            place: "objects[1]".into(),
            path: "pods.yaml".into()
        })
    );
}

#[test]
fn encoding_respects_the_limits() {
    let error = encode_with(&sample(), &NoPresets, &small()).unwrap_err();
    assert!(
        matches!(error, EncodeError::TooLarge { limit: 100, .. }),
        "{error}"
    );
    let roomy_content = Limits {
        max_content_len: 1 << 20,
        ..small()
    };
    let error = encode_with(&sample(), &NoPresets, &roomy_content).unwrap_err();
    assert!(
        matches!(error, EncodeError::TooLong { limit: 64, .. }),
        "{error}"
    );
}

#[test]
fn framing_errors() {
    let cases: &[(&str, DecodeError)] = &[
        ("", DecodeError::Empty),
        ("   \n", DecodeError::Empty),
        ("eJzLSM3JyQcABiwCFQ", DecodeError::NotALink),
        ("v.abc", DecodeError::NotALink),
        ("vx.abc", DecodeError::NotALink),
        ("v1abc", DecodeError::NotALink),
        ("v1234567890.abc", DecodeError::NotALink),
        (
            "v2.eJzLSM3JyQcABiwCFQ",
            DecodeError::NewerFormat {
                found: 2,
                supported: 1,
            },
        ),
        (
            "v999999999.x",
            DecodeError::NewerFormat {
                found: 999_999_999,
                supported: 1,
            },
        ),
        (
            "v0.eJzLSM3JyQcABiwCFQ",
            DecodeError::UnknownFormat { found: 0 },
        ),
        (
            "v1.eJz!SM3JyQcABiwCFQ",
            DecodeError::BadCharacter {
                offset: 3,
                character: '!',
            },
        ),
        (
            "v1.eJz+SM3JyQcABiwCFQ",
            DecodeError::BadCharacter {
                offset: 3,
                character: '+',
            },
        ),
        ("v1.", DecodeError::Truncated),
        ("v1.e", DecodeError::Truncated),
        ("v1.AAAA", DecodeError::Corrupt),
    ];
    for (link, expected) in cases {
        assert_eq!(open(link).as_ref().err(), Some(expected), "{link:?}");
    }
}

#[test]
fn too_long_is_refused_before_decoding() {
    let link = format!("v1.{}", "A".repeat(70));
    assert_eq!(
        decode_with(&link, &NoPresets, &small()).err(),
        Some(DecodeError::TooLong {
            length: 73,
            limit: 64
        })
    );
}

#[test]
fn decompressed_size_is_bounded() {
    // 1 MiB of one byte compresses to about a kilobyte: a bomb for a 100-byte limit.
    let bomb = wire::pack(1, &vec![b' '; 1 << 20]);
    let limits = Limits {
        max_link_len: 1 << 20,
        max_content_len: 100,
    };
    assert!(bomb.len() < 4096, "{}", bomb.len());
    assert_eq!(
        decode_with(&bomb, &NoPresets, &limits).err(),
        Some(DecodeError::TooLarge { limit: 100 })
    );
}

#[test]
fn every_truncation_is_an_error() {
    let link = encode(&sample(), &presets()).unwrap();
    for end in 0..link.len() {
        assert!(open(&link[..end]).is_err(), "cut at {end}");
    }
}

#[test]
fn every_single_character_change_is_an_error() {
    let link = encode(&sample(), &presets()).unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for index in 3..link.len() {
        let original = link.as_bytes()[index];
        // Two replacements per position keep the test fast and still reach every bit.
        for &replacement in alphabet.iter().filter(|&&c| c != original).take(2) {
            let mut bytes = link.clone().into_bytes();
            bytes[index] = replacement;
            let tampered = String::from_utf8(bytes).unwrap();
            match open(&tampered) {
                Err(_) => {}
                // The last character carries padding bits that base64url ignores.
                Ok(opened) if index == link.len() - 1 => assert_eq!(opened.shared, sample()),
                Ok(_) => panic!("{index}: {tampered} opened"),
            }
        }
    }
}

#[test]
fn content_errors_name_the_place() {
    let cases: &[(&str, &str)] = &[
        ("[]", "envelope"),
        (r#"{"scenario": {}}"#, "engine"),
        (r#"{"engine": 1, "scenario": {}}"#, "engine"),
        (r#"{"engine": "0", "scenario": []}"#, "scenario"),
        (r#"{"engine": "0", "scenario": {"stagez": []}}"#, "scenario"),
        (
            r#"{"engine": "0", "scenario": {}, "view": {"timeNs": "x"}}"#,
            "view",
        ),
        (
            r#"{"engine": "0", "scenario": {"stages": [{"preset": "demo"}]}}"#,
            "scenario.stages[0]",
        ),
        (
            r#"{"engine": "0", "scenario": {"objects": [{"preset": 1, "version": "1"}]}}"#,
            "scenario.objects[0]",
        ),
        (
            r#"{"engine": "0", "scenario": {"stages": [{"preset": "demo", "version": "1", "x": 1}]}}"#,
            "scenario.stages[0]",
        ),
    ];
    for (json, place) in cases {
        let link = wire::pack(1, json.as_bytes());
        match open(&link) {
            Err(DecodeError::BadContent { place: found, .. }) => {
                assert_eq!(&found, place, "{json}")
            }
            other => panic!("{json}: {other:?}"),
        }
    }
    let not_json = wire::pack(1, b"{\"engine\":");
    assert!(matches!(
        open(&not_json),
        Err(DecodeError::BadContent { place, .. }) if place == "envelope"
    ));
}

#[test]
fn unknown_presets_are_named() {
    let json = r#"{"engine": "0", "scenario": {"stages": [{"preset": "demo", "version": "2"}]}}"#;
    let error = open(&wire::pack(1, json.as_bytes())).unwrap_err();
    assert_eq!(
        error,
        DecodeError::UnknownPreset {
            place: "scenario.stages[0]".into(),
            preset: PresetRef {
                preset: "demo".into(),
                version: "2".into()
            }
        }
    );
    assert_eq!(
        error.to_string(),
        "scenario.stages[0]: the link uses preset \"demo\" version \"2\", which this version \
         does not have"
    );
}

#[test]
fn a_missing_view_is_the_default_view() {
    let json = r#"{"engine": "0.0.9", "scenario": {"seed": 3}}"#;
    let opened = open(&wire::pack(1, json.as_bytes())).unwrap();
    assert_eq!(opened.shared.view, ViewState::default());
    assert_eq!(opened.shared.scenario.seed, 3);
    assert_eq!(opened.engine, "0.0.9");
}

#[test]
fn unknown_view_hints_are_ignored() {
    let json = r#"{"engine": "0", "scenario": {}, "view": {"zoom": 2, "selected": "Node/n"}}"#;
    let opened = open(&wire::pack(1, json.as_bytes())).unwrap();
    assert_eq!(opened.shared.view.selected.as_deref(), Some("Node/n"));
}

#[test]
fn closures_resolve_presets() {
    let text = |preset: &PresetRef| (preset.preset == "demo").then(|| STAGE.to_string());
    let find = |source: &str| {
        (source == STAGE).then(|| PresetRef {
            preset: "demo".into(),
            version: "1".into(),
        })
    };
    let resolver = (text, find);
    let link = encode(&sample(), &resolver).unwrap();
    assert_eq!(link, encode(&sample(), &presets()).unwrap());
    assert_eq!(decode(&link, &resolver).unwrap().shared, sample());
}

#[test]
fn messages_read_as_sentences() {
    assert_eq!(
        DecodeError::NewerFormat {
            found: 3,
            supported: 1
        }
        .to_string(),
        "the link was made by a newer version (link format 3; this version reads formats up to \
         1): open it with the newer version"
    );
    assert_eq!(
        DecodeError::Truncated.to_string(),
        "the link is incomplete: it was probably cut off when copied"
    );
}

#[test]
fn arbitrary_input_never_panics() {
    // A small linear congruential generator: the same inputs on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.v=+/ %#";
    for _ in 0..3000 {
        let length = next() % 200;
        let mut link = String::from(if next() % 4 == 0 { "" } else { "v1." });
        for _ in 0..length {
            link.push(char::from(alphabet[next() % alphabet.len()]));
        }
        let _ = open(&link);
    }
    // Valid compressed data of arbitrary bytes, and of JSON shapes close to an envelope.
    let shapes = [
        r#"{"engine":"0","scenario":{"stages":[{"preset":"demo","version":"1","name":7}]}}"#,
        r#"{"engine":"0","scenario":{"objects":[1,2,{"preset":{}}]}}"#,
        r#"{"engine":"0","scenario":{"actions":[{"at":"1s","edit":{}}]}}"#,
        r#"{"engine":"0","scenario":{},"view":"x"}"#,
        r#"{"engine":"0","scenario":{"seed":-1}}"#,
        r#"{"engine":"0","scenario":{"stages":"x"}}"#,
    ];
    for shape in shapes {
        assert!(open(&wire::pack(1, shape.as_bytes())).is_err(), "{shape}");
    }
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..next() % 100).map(|_| (next() % 256) as u8).collect();
        let _ = open(&wire::pack(1, &bytes));
    }
}

#[test]
fn preset_texts_join_documents() {
    assert_eq!(join_documents(["a: 1\n\n", "b: 2"]), "a: 1\n---\nb: 2\n");
    assert_eq!(join_documents(["a: 1\n"]), "a: 1\n");
    assert_eq!(join_documents(Vec::<&str>::new()), "");
}
