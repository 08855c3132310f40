//! Share links as the page makes and opens them: the page's inputs and view turned into the
//! engine's share envelope ([`stage_engine::share`]) and back, with the page's presets
//! registered so that a link names them instead of carrying their text.
//!
//! Everything here is pure and tested natively. The buttons, the URL and the messages are
//! [`crate::share_ui`]'s; the envelope's format is the engine's.

use stage_engine::config::ControllerConfig;
use stage_engine::duration::format_go_duration;
use stage_engine::scenario::{Scenario, Source};
use stage_engine::share::{
    self, DecodeError, EncodeError, PresetResolver, PresetTable, Shared, ViewState,
};

use crate::glue::{ExtraSettings, Op, Request, Settings};
use crate::lanes::Lanes;
use crate::presets;

/// The link length above which the page warns. Discord, the strictest of the common chat
/// tools, cuts a message at 2,000 characters (its documented limit without Nitro), and
/// Internet Explorer refused URLs longer than 2,083; a link under 2,000 passes both.
pub const CHAT_LIMIT: usize = 2_000;

/// The page's preset registry: kwok's Stage sets and the page's own under the names and
/// versions the share format uses (`pod/general` at `v0.8.0`, ...), and the objects texts.
pub fn registry() -> PresetTable {
    let mut table = PresetTable::new();
    for set in presets::STAGE_SETS {
        let texts = set.files.iter().map(|file| file.text);
        table.insert(set.name, set.version, share::join_documents(texts));
    }
    for objects in presets::OBJECT_SETS {
        table.insert(objects.name, objects.version, objects.text);
    }
    table
}

/// The share envelope of the page's inputs and view.
pub fn shared(request: &Request, view: ViewState, presets: &PresetTable) -> Shared {
    let settings = &request.settings;
    let defaults = ControllerConfig::default();
    // The controller flags are left out while they are the engine's defaults, which keeps
    // the link short and reads the same.
    let config = Some(settings.config()).filter(|config| *config != defaults);
    let start = Some(settings.extra.start.clone())
        .filter(|start| start != stage_engine::scenario::DEFAULT_START);
    Shared {
        scenario: Scenario {
            stages: split_sources(&request.stages, presets),
            objects: split_sources(&request.objects, presets),
            config,
            seed: settings.seed,
            horizon: Some(format_go_duration(
                settings.horizon_ms.saturating_mul(1_000_000),
            )),
            max_plays: usize::try_from(settings.max_plays).ok(),
            actions: request.actions.clone(),
            start,
            ..Scenario::default()
        },
        view,
    }
}

/// The link (the part after `#`) of the page's inputs and view.
pub fn encode(request: &Request, view: ViewState) -> Result<String, EncodeError> {
    let presets = registry();
    share::encode(&shared(request, view, &presets), &presets)
}

/// What an opened link or an imported scenario file gives the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Opening {
    pub request: Request,
    pub view: ViewState,
    /// What the page cannot show of the scenario, one sentence each.
    pub notes: Vec<String>,
}

/// Why a link or a scenario file did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    Link(DecodeError),
    /// The scenario decoded but the page cannot take it in.
    Scenario(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Link(error) => error.fmt(f),
            OpenError::Scenario(message) => f.write_str(message),
        }
    }
}

/// Opens a link with the page's presets.
pub fn open(link: &str) -> Result<Opening, OpenError> {
    let opened = share::decode(link, &registry()).map_err(OpenError::Link)?;
    let (request, notes) = request_of(&opened.shared.scenario).map_err(OpenError::Scenario)?;
    Ok(Opening {
        request,
        view: opened.shared.view,
        notes,
    })
}

/// The link a URL fragment holds: the text after `#`, or `None` when there is none.
pub fn fragment_link(hash: &str) -> Option<&str> {
    let link = hash.strip_prefix('#').unwrap_or(hash).trim();
    (!link.is_empty()).then_some(link)
}

/// A warning for a link of `length` characters, or `None` when chat tools take it whole.
pub fn length_warning(length: usize) -> Option<String> {
    (length > CHAT_LIMIT).then(|| {
        format!(
            "This link is longer than {CHAT_LIMIT} characters: some chat tools (Discord, for \
             one) cut it. Share the scenario file instead (Export → Scenario)."
        )
    })
}

/// The page's inputs of `scenario`, and notes on what the page cannot show of it.
pub fn request_of(scenario: &Scenario) -> Result<(Request, Vec<String>), String> {
    let notes = Vec::new();
    let defaults = crate::glue::default_settings(presets::HORIZON_MS, presets::MAX_PLAYS);

    // The sources, each list as one editor's text.
    let stages = join_sources(&scenario.stages, "stages")?;
    let objects = join_sources(&scenario.objects, "objects")?;

    // Every setting is kept; those the panel has no field for are shown read-only.
    let config = scenario.config.clone().unwrap_or_default();
    let horizon_ms = match &scenario.horizon {
        None => defaults.horizon_ms,
        Some(text) => stage_engine::duration::parse_go_duration(text)
            .map_err(|error| format!("horizon: {text:?} is not a Go duration: {error}"))?
            .div_euclid(1_000_000),
    };
    let max_plays = scenario
        .max_plays
        .and_then(|plays| u64::try_from(plays).ok())
        .unwrap_or(defaults.max_plays);
    let start = scenario
        .start
        .clone()
        .unwrap_or_else(|| stage_engine::scenario::DEFAULT_START.to_string());
    if stage_kube::time::parse_rfc3339(&start).is_none() {
        return Err(format!("start: {start:?} is not an RFC 3339 time"));
    }

    let request = Request {
        op: Op::Run,
        stages,
        objects,
        settings: Settings {
            node_ip: config.node_ip,
            cidr: config.cidr,
            seed: scenario.seed,
            horizon_ms,
            max_plays,
            extra: ExtraSettings {
                node_name: config.node_name,
                node_port: config.node_port,
                manage: config.manage,
                start,
            },
        },
        actions: scenario.actions.clone(),
        focus: None,
    };
    Ok((request, notes))
}

/// The view state of a cursor position (virtual milliseconds after the start), a selected
/// object and the open panels.
pub fn view_state(position_ms: f64, object: Option<String>, panels: Vec<String>) -> ViewState {
    let time_ns = (position_ms * 1_000_000.0).round();
    ViewState {
        time_ns: (time_ns.is_finite() && time_ns > 0.0).then_some(time_ns as i64),
        selected: object,
        panels,
    }
}

/// The play to inspect for a shared view: the selected object's last play at or before the
/// cursor, or its first play when the cursor is before it.
pub fn selected_play(lanes: &Lanes, object: &str, at_ms: i64) -> Option<usize> {
    let lane = lanes
        .groups
        .iter()
        .flat_map(|group| &group.lanes)
        .find(|lane| lane.key == object)?;
    lane.markers
        .iter()
        .rev()
        .find(|marker| marker.time_ms <= at_ms)
        .or(lane.markers.first())
        .map(|marker| marker.entry)
}

/// An editor's text as sources: the runs of documents that are exactly a preset become
/// references, the rest stays inline. When the pieces would not join back to exactly the
/// same text, the whole text is one inline source.
pub fn split_sources(text: &str, presets: &dyn PresetResolver) -> Vec<Source> {
    if text.is_empty() {
        return Vec::new();
    }
    let whole = || {
        vec![Source::Inline {
            name: None,
            text: text.to_string(),
        }]
    };
    let pieces = presets.pieces(text);
    if pieces.len() < 2 && presets.find(text).is_none() {
        return whole();
    }
    let sources: Vec<Source> = pieces
        .into_iter()
        .map(|piece| Source::Inline {
            name: None,
            text: piece.to_string(),
        })
        .collect();
    match join_sources(&sources, "") {
        Ok(joined) if joined == text => sources,
        _ => whole(),
    }
}

/// One editor's text of a list of sources: a single source as it is, several joined as
/// documents.
fn join_sources(sources: &[Source], what: &str) -> Result<String, String> {
    let mut texts = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        match source {
            Source::Inline { text, .. } => texts.push(text.as_str()),
            Source::Path(path) | Source::File { path } => {
                return Err(format!(
                    "{what}[{index}] names the file {path:?}, which the page cannot read; \
                     export the scenario with its sources inline (`stage-sim export --format \
                     scenario`)"
                ));
            }
        }
    }
    Ok(match texts.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        many => share::join_documents(many.iter().copied()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use stage_engine::config::ManagedNodes;
    use stage_engine::scenario::{Target, UserAction, UserActionKind};

    fn default_request() -> Request {
        crate::presets::default_scenario()
    }

    fn view() -> ViewState {
        view_state(
            12_500.0,
            Some("Pod/default/web-0".into()),
            vec!["timeline".into()],
        )
    }

    fn round_trip(request: &Request) -> Opening {
        let link = encode(request, view()).unwrap();
        open(&link).unwrap()
    }

    fn texts(sources: &[Source]) -> Vec<&str> {
        sources
            .iter()
            .map(|source| match source {
                Source::Inline { text, .. } => text.as_str(),
                _ => "<file>",
            })
            .collect()
    }

    #[test]
    fn the_default_scenario_opens_as_it_was_shared() {
        let opening = round_trip(&default_request());
        assert_eq!(opening.request, default_request());
        assert_eq!(opening.view, view());
        assert_eq!(opening.notes, Vec::<String>::new());
    }

    #[test]
    fn the_default_link_names_its_presets_and_is_short() {
        let link = encode(&default_request(), view()).unwrap();
        assert!(link.len() <= 1_500, "{} characters", link.len());
        let presets = registry();
        let scenario = shared(&default_request(), view(), &presets).scenario;
        let named: Vec<_> = texts(&scenario.stages)
            .into_iter()
            .chain(texts(&scenario.objects))
            .map(|text| presets.find(text).map(|p| p.preset))
            .collect();
        assert!(named.iter().all(Option::is_some), "{named:?}");
    }

    #[test]
    fn every_gallery_preset_opens_as_it_was_shared() {
        for preset in presets::GALLERY {
            let request = preset.scenario();
            let link = encode(&request, view()).unwrap();
            assert_eq!(open(&link).unwrap().request, request, "{}", preset.id);
            assert!(length_warning(link.len()).is_none(), "{}", preset.id);
            // The figure the project's notes quote; `--nocapture` shows it.
            println!("link of preset {}: {} characters", preset.id, link.len());
        }
    }

    #[test]
    fn own_text_around_presets_stays_inline_and_joins_back_exactly() {
        let presets = registry();
        let own = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: mine\n";
        let stages = format!("{own}---\n{}", presets::default_stages());
        let sources = split_sources(&stages, &presets);
        assert_eq!(texts(&sources)[0], own);
        assert!(sources.len() > 1, "the presets after it are named");
        assert_eq!(join_sources(&sources, "stages").unwrap(), stages);
    }

    #[test]
    fn text_that_would_not_join_back_is_one_inline_source() {
        let presets = registry();
        // Trailing blank lines are trimmed by the join, so the split is not taken.
        let stages = format!("{}\n\n", presets::default_stages());
        let sources = split_sources(&stages, &presets);
        assert_eq!(texts(&sources), [stages.as_str()]);
        assert_eq!(split_sources("", &presets), Vec::<Source>::new());
    }

    #[test]
    fn every_setting_and_action_survives_a_link() {
        let mut request = default_request();
        request.stages.push_str("# a comment of mine\n");
        request.settings = Settings {
            node_ip: "10.1.2.3".into(),
            cidr: "10.9.0.0/16".into(),
            seed: 42,
            horizon_ms: 90_500,
            max_plays: 77,
            extra: ExtraSettings {
                node_name: "kwok-test".into(),
                node_port: 10251,
                manage: ManagedNodes::ByLabel("type=kwok".into()),
                start: "2025-06-01T12:00:00Z".into(),
            },
        };
        request.actions = vec![UserAction {
            at: "30s".into(),
            what: UserActionKind::Delete {
                target: Target {
                    api_version: "v1".into(),
                    kind: "Pod".into(),
                    namespace: "default".into(),
                    name: "web-0".into(),
                },
                grace_period_seconds: Some(5),
            },
        }];
        assert_eq!(round_trip(&request).request, request);
    }

    #[test]
    fn a_shared_selection_finds_the_play_at_the_cursor() {
        let crate::glue::Response::Ok {
            timeline: Some(timeline),
            ..
        } = crate::glue::respond(&default_request())
        else {
            panic!("the default scenario did not run");
        };
        let lanes = crate::lanes::layout(&timeline);
        let first = selected_play(&lanes, "Pod/default/web-0", -1).unwrap();
        let last = selected_play(&lanes, "Pod/default/web-0", lanes.end_ms).unwrap();
        assert!(last > first);
        assert_eq!(selected_play(&lanes, "Pod/default/none", 0), None);
    }

    #[test]
    fn a_shared_horizon_is_an_exact_go_duration() {
        for (horizon_ms, text) in [(600_000, "10m"), (90_000, "1m30s"), (1_500, "1.5s")] {
            let mut request = crate::presets::default_scenario();
            request.settings.horizon_ms = horizon_ms;
            let scenario = shared(&request, ViewState::default(), &PresetTable::new()).scenario;
            assert_eq!(scenario.horizon.as_deref(), Some(text));
            let (back, _) = request_of(&scenario).unwrap();
            assert_eq!(back.settings.horizon_ms, horizon_ms);
        }
    }

    #[test]
    fn fragments_and_warnings() {
        assert_eq!(fragment_link("#v1.abc"), Some("v1.abc"));
        assert_eq!(fragment_link("#"), None);
        assert_eq!(fragment_link(""), None);
        assert_eq!(length_warning(CHAT_LIMIT), None);
        assert!(length_warning(CHAT_LIMIT + 1).is_some());
    }

    #[test]
    fn a_cut_link_says_so() {
        let link = encode(&default_request(), view()).unwrap();
        let cut = &link[..link.len() / 2];
        assert!(matches!(open(cut), Err(OpenError::Link(_))));
    }

    #[test]
    fn the_engine_test_vectors_open_in_the_page() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../crate/tests/share_vectors/v1"
        );
        for name in ["default", "own", "empty"] {
            let link = std::fs::read_to_string(format!("{dir}/{name}.link")).unwrap();
            let opening = open(link.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
            if name == "default" {
                assert_eq!(opening.request.objects, presets::OBJECTS);
            }
        }
    }

    #[test]
    fn the_embed_example_and_the_readme_carry_links_that_open() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        for file in ["web/embed-example.html", "README.md"] {
            let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            let links: Vec<&str> = text
                .split("#v1.")
                .skip(1)
                .map(|rest| rest.split(['"', ' ', '\n']).next().unwrap_or(rest))
                .collect();
            assert!(!links.is_empty(), "{file} has no link");
            for link in links {
                open(&format!("v1.{link}")).unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
    }

    #[test]
    fn a_scenario_with_file_sources_is_refused_by_name() {
        let scenario = Scenario {
            stages: vec![Source::Path("stages/".into())],
            ..Scenario::default()
        };
        let error = request_of(&scenario).unwrap_err();
        assert!(
            error.starts_with("stages[0] names the file \"stages/\""),
            "{error}"
        );
    }
}
