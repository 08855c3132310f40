//! Share links against the app's real presets and the checked-in vectors of every format
//! version that shipped.
//!
//! Vectors live in `crate/tests/share_vectors/v<format>/`: `<name>.link` is the link as it was
//! written, `<name>.json` what it opens to (`engine`, `scenario`, `view`). Every vector must
//! keep opening to exactly its JSON; vectors of the current format must also be reproduced
//! byte for byte by the encoder, so a change of the written form cannot slip in without a new
//! format version. `STAGE_SHARE_BLESS=1` writes the current format's vectors that are missing
//! (it never rewrites an existing one).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use stage_engine::scenario::{ObjectText, Scenario, Source, Target, UserAction, UserActionKind};
use stage_engine::share::{
    self, DecodeError, FORMAT_VERSION, NoPresets, PresetRef, PresetTable, Shared, ViewState,
};

use common::repo_root;

fn vectors_dir() -> PathBuf {
    repo_root().join("crate/tests/share_vectors")
}

fn presets_dir() -> PathBuf {
    repo_root().join("web/presets")
}

/// The presets of the page, by name, each the files of one kwok Stage set (in the order kwok
/// lists them) as one multi-document text.
const PRESETS: &[(&str, &str, &[&str])] = &[
    (
        "pod/general",
        "v0.8.0",
        &[
            "pod/general/pod-create.yaml",
            "pod/general/pod-init-container-running.yaml",
            "pod/general/pod-init-container-completed.yaml",
            "pod/general/pod-ready.yaml",
            "pod/general/pod-complete.yaml",
            "pod/general/pod-delete.yaml",
        ],
    ),
    (
        "pod/fast",
        "v0.8.0",
        &[
            "pod/fast/pod-ready.yaml",
            "pod/fast/pod-complete.yaml",
            "pod/fast/pod-delete.yaml",
        ],
    ),
    ("node/fast", "v0.8.0", &["node/fast/node-initialize.yaml"]),
    (
        "node/heartbeat",
        "v0.8.0",
        &["node/heartbeat/node-heartbeat.yaml"],
    ),
    (
        "node/heartbeat-with-lease",
        "v0.8.0",
        &["node/heartbeat-with-lease/node-heartbeat-with-lease.yaml"],
    ),
    ("objects/default", "1", &["objects/default.yaml"]),
];

fn preset_text(files: &[&str]) -> String {
    let texts: Vec<String> = files
        .iter()
        .map(|file| fs::read_to_string(presets_dir().join(file)).unwrap())
        .collect();
    share::join_documents(texts.iter().map(String::as_str))
}

fn registry() -> PresetTable {
    let mut table = PresetTable::new();
    for (name, version, files) in PRESETS {
        table.insert(*name, *version, preset_text(files));
    }
    table
}

fn text_of(name: &str) -> String {
    let (_, _, files) = PRESETS.iter().find(|(n, _, _)| *n == name).unwrap();
    preset_text(files)
}

fn inline(text: String) -> Source {
    Source::Inline { name: None, text }
}

/// The page's default scenario: pod general, node fast and node heartbeat, one node, two
/// pods and one Job pod, ten minutes, as the page opens it.
fn default_shared() -> Shared {
    Shared {
        scenario: Scenario {
            stages: vec![
                inline(text_of("pod/general")),
                inline(text_of("node/fast")),
                inline(text_of("node/heartbeat")),
            ],
            objects: vec![inline(text_of("objects/default"))],
            horizon: Some("10m".into()),
            max_plays: Some(10_000),
            ..Scenario::default()
        },
        view: ViewState {
            time_ns: Some(12_500_000_000),
            selected: Some("Pod/default/web-0".into()),
            panels: vec!["timeline".into(), "inspector".into()],
        },
    }
}

/// A scenario of the user's own, with every kind of action and setting.
fn own_shared() -> Shared {
    let pod = |name: &str| Target {
        api_version: "v1".into(),
        kind: "Pod".into(),
        namespace: "default".into(),
        name: name.into(),
    };
    let scenario = Scenario {
        stages: vec![
            Source::Inline {
                name: Some("fail.yaml".into()),
                text: "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: \
                       pod-fail\nspec:\n  resourceRef:\n    apiGroup: v1\n    kind: Pod\n  \
                       selector:\n    matchLabels:\n      fail: \"true\"\n  delay:\n    \
                       durationMilliseconds: 1000\n  next:\n    statusTemplate: |\n      \
                       phase: Failed\n"
                    .into(),
            },
            inline(text_of("pod/fast")),
        ],
        objects: vec![inline(text_of("objects/default"))],
        config: Some(
            serde_json::from_value(
                json!({"nodeIP": "10.1.0.1", "manage": {"byLabel": "type=kwok"}}),
            )
            .unwrap(),
        ),
        seed: 7,
        start: Some("2025-06-01T12:00:00Z".into()),
        horizon: Some("5m".into()),
        max_plays: Some(500),
        detail: stage_engine::timeline::Detail::Summary,
        actions: vec![
            UserAction {
                at: "10s".into(),
                what: UserActionKind::Edit {
                    target: pod("web-0"),
                    patch: json!({"metadata": {"labels": {"fail": "true"}}}),
                },
            },
            UserAction {
                at: "20s".into(),
                what: UserActionKind::Delete {
                    target: pod("web-1"),
                    grace_period_seconds: Some(5),
                },
            },
            UserAction {
                at: "30s".into(),
                what: UserActionKind::Create(ObjectText::Text(
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\n  namespace: default\n\
                     spec:\n  nodeName: node-0\n  containers:\n  - name: c\n    image: busybox\n"
                        .into(),
                )),
            },
            UserAction {
                at: "2025-06-01T12:01:00Z".into(),
                what: UserActionKind::Replace(ObjectText::Value(json!({
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "late", "namespace": "default", "labels": {"v": "2"}},
                    "spec": {"nodeName": "node-0", "containers": [{"name": "c", "image": "busybox"}]}
                }))),
            },
        ],
    };
    Shared {
        scenario,
        view: ViewState {
            time_ns: None,
            selected: Some("Node/node-0".into()),
            panels: vec![],
        },
    }
}

/// The vectors this format writes, by name.
fn current_vectors() -> Vec<(&'static str, Shared)> {
    vec![
        ("default", default_shared()),
        ("own", own_shared()),
        ("empty", Shared::default()),
    ]
}

fn opened_json(shared: &Shared, engine: &str) -> Value {
    json!({
        "engine": engine,
        "scenario": shared.scenario,
        "view": shared.view,
    })
}

#[test]
fn default_scenario_link_is_short() {
    let presets = registry();
    let shared = default_shared();
    let link = share::encode(&shared, &presets).unwrap();
    let inline_only = share::encode(&shared, &NoPresets).unwrap();
    let stages_only = PresetTable::new()
        .with("pod/general", "v0.8.0", text_of("pod/general"))
        .with("node/fast", "v0.8.0", text_of("node/fast"))
        .with("node/heartbeat", "v0.8.0", text_of("node/heartbeat"));
    let objects_inline = share::encode(&shared, &stages_only).unwrap();

    println!(
        "default scenario, Stages and objects as presets: {} characters",
        link.len()
    );
    println!(
        "default scenario, Stages as presets, objects inline: {} characters",
        objects_inline.len()
    );
    println!(
        "default scenario, everything inline: {} characters",
        inline_only.len()
    );
    assert!(link.len() <= 1500, "{} characters", link.len());
    assert!(
        objects_inline.len() <= 1500,
        "{} characters",
        objects_inline.len()
    );
    assert_eq!(share::decode(&link, &presets).unwrap().shared, shared);
    assert_eq!(
        share::decode(&inline_only, &NoPresets).unwrap().shared,
        shared
    );
}

#[test]
fn every_preset_round_trips_by_reference_and_inline() {
    let presets = registry();
    for (name, version, _) in PRESETS {
        let mut shared = Shared::default();
        let source = inline(text_of(name));
        if name.starts_with("objects/") {
            shared.scenario.objects.push(source);
        } else {
            shared.scenario.stages.push(source);
        }
        let by_reference = share::encode(&shared, &presets).unwrap();
        let inlined = share::encode(&shared, &NoPresets).unwrap();
        println!(
            "preset {name} {version}: {} characters by reference, {} inline",
            by_reference.len(),
            inlined.len()
        );
        assert!(by_reference.len() < 200, "{name}: {}", by_reference.len());
        assert!(inlined.len() > by_reference.len(), "{name}");
        assert_eq!(
            share::decode(&by_reference, &presets).unwrap().shared,
            shared
        );
        assert_eq!(share::decode(&inlined, &presets).unwrap().shared, shared);
        assert_eq!(share::decode(&inlined, &NoPresets).unwrap().shared, shared);
        assert!(matches!(
            share::decode(&by_reference, &NoPresets),
            Err(DecodeError::UnknownPreset { preset: PresetRef { preset, .. }, .. }) if preset == *name
        ));
    }
}

#[test]
fn every_preset_loads_after_opening() {
    // The texts the registry stands for must be what the loader accepts, or links to them
    // would open to errors.
    let presets = registry();
    let link = share::encode(&default_shared(), &presets).unwrap();
    let opened = share::decode(&link, &presets).unwrap();
    let texts =
        Scenario::read_sources(&opened.shared.scenario.stages, Path::new(""), "stages").unwrap();
    let names: Vec<String> = texts
        .iter()
        .flat_map(|text| stage_engine::load::load_stages(&text.text, &text.label).stages)
        .map(|stage| stage.name)
        .collect();
    assert_eq!(
        names,
        [
            "pod-create",
            "pod-init-container-running",
            "pod-init-container-completed",
            "pod-ready",
            "pod-complete",
            "pod-delete",
            "node-initialize",
            "node-heartbeat"
        ]
    );
}

#[test]
fn round_trips_of_several_scenarios() {
    let presets = registry();
    for (name, shared) in current_vectors() {
        for resolver in [&presets as &dyn share::PresetResolver, &NoPresets] {
            let link = share::encode(&shared, resolver).unwrap();
            let opened = share::decode(&link, &presets).unwrap();
            assert_eq!(opened.shared, shared, "{name}");
            assert_eq!(opened.format, FORMAT_VERSION);
            // What opens is a scenario file `stage-sim run --scenario` reads as it is.
            let file = serde_json::to_string_pretty(&opened.shared.scenario).unwrap();
            assert_eq!(
                Scenario::parse(&file, "x.json").unwrap(),
                shared.scenario,
                "{name}"
            );
        }
    }
}

#[test]
fn vectors_of_every_format_keep_opening() {
    let presets = registry();
    bless_missing_vectors(&presets);

    let mut checked = 0;
    let mut versions = Vec::new();
    for entry in fs::read_dir(vectors_dir()).unwrap() {
        let dir = entry.unwrap().path();
        let Some(version) = dir
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix('v'))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        versions.push(version);
        for file in fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("link") {
                continue;
            }
            let link = fs::read_to_string(&path).unwrap();
            let expected: Value =
                serde_json::from_str(&fs::read_to_string(path.with_extension("json")).unwrap())
                    .unwrap();
            let opened = share::decode(&link, &presets)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            assert_eq!(opened.format, version, "{}", path.display());
            // Compared as values, so that a field added later with a default does not
            // make an old vector's JSON differ from what it opens to.
            let engine = expected["engine"].as_str().unwrap();
            assert_eq!(opened.engine, engine, "{}", path.display());
            let view: ViewState = serde_json::from_value(expected["view"].clone()).unwrap();
            assert_eq!(opened.shared.view, view, "{}", path.display());
            let file = serde_json::to_string(&expected["scenario"]).unwrap();
            assert_eq!(
                Scenario::parse(&file, "vector.json").unwrap(),
                opened.shared.scenario,
                "{}",
                path.display()
            );
            if version == FORMAT_VERSION && engine == share::ENGINE_VERSION {
                assert_eq!(
                    share::encode(&opened.shared, &presets).unwrap(),
                    link.trim(),
                    "{}: the written form changed; bump FORMAT_VERSION",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    versions.sort();
    assert_eq!(
        versions,
        (1..=FORMAT_VERSION).collect::<Vec<_>>(),
        "a version without vectors"
    );
    assert!(checked >= current_vectors().len(), "{checked} vectors");
}

/// What a damaged link must fail with.
type Expectation = fn(&DecodeError) -> bool;

#[test]
fn vector_links_damaged_in_every_way_fail_cleanly() {
    let presets = registry();
    let link = fs::read_to_string(vectors_dir().join("v1/own.link")).unwrap();
    let link = link.trim();
    let cases: Vec<(String, Expectation)> = vec![
        (link[..link.len() / 2].to_string(), |e| {
            matches!(e, DecodeError::Truncated)
        }),
        (link[..link.len() - 7].to_string(), |e| {
            matches!(e, DecodeError::Truncated)
        }),
        (link.replacen("v1.", "v2.", 1), |e| {
            matches!(
                e,
                DecodeError::NewerFormat {
                    found: 2,
                    supported: 1
                }
            )
        }),
        (link.replacen("v1.", "v17.", 1), |e| {
            matches!(e, DecodeError::NewerFormat { found: 17, .. })
        }),
        (format!("{link}%20"), |e| {
            matches!(e, DecodeError::BadCharacter { character: '%', .. })
        }),
        (
            {
                let mut bytes = link.as_bytes().to_vec();
                let middle = bytes.len() / 2;
                bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
                String::from_utf8(bytes).unwrap()
            },
            |e| matches!(e, DecodeError::ChecksumMismatch | DecodeError::Corrupt),
        ),
    ];
    for (damaged, expected) in cases {
        let error = share::decode(&damaged, &presets).unwrap_err();
        assert!(expected(&error), "{error:?} for {damaged}");
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn oversized_links_are_refused() {
    let limits = share::Limits::default();
    let long = format!("v1.{}", "A".repeat(limits.max_link_len));
    assert!(matches!(
        share::decode(&long, &NoPresets),
        Err(DecodeError::TooLong { .. })
    ));

    // A scenario of many megabytes of one repeated object compresses well below the link
    // limit but unpacks beyond the content limit.
    let mut huge = Shared::default();
    huge.scenario.objects = vec![inline("# padding\n".repeat(1 << 20))];
    assert!(matches!(
        share::encode(&huge, &NoPresets),
        Err(share::EncodeError::TooLarge { .. })
    ));
}

/// Writes the current format's vectors that are not there yet.
fn bless_missing_vectors(presets: &PresetTable) {
    if std::env::var_os("STAGE_SHARE_BLESS").is_none() {
        return;
    }
    let dir = vectors_dir().join(format!("v{FORMAT_VERSION}"));
    fs::create_dir_all(&dir).unwrap();
    for (name, shared) in current_vectors() {
        let link_path = dir.join(format!("{name}.link"));
        if link_path.exists() {
            continue;
        }
        let link = share::encode(&shared, presets).unwrap();
        fs::write(&link_path, format!("{link}\n")).unwrap();
        let expected = opened_json(&shared, share::ENGINE_VERSION);
        fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_string_pretty(&expected).unwrap() + "\n",
        )
        .unwrap();
    }
}
