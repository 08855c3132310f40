//! Share links: a scenario and the page's view of it, packed into a URL fragment.
//!
//! A link is `v<format>.` followed by base64url (no padding) of zlib-compressed JSON, the
//! envelope: `{"engine": <engine version>, "scenario": <scenario>, "view": <view state>}`.
//! The scenario is the same document `stage-sim run --scenario` reads, except that a Stage or
//! object source may be a preset reference, `{"preset": <name>, "version": <version>}`, which
//! the app's preset registry (a [`PresetResolver`]) turns back into its text. Opening a link
//! gives a [`Scenario`] with inline sources only, exactly what [`Scenario::parse`] accepts.
//!
//! Every format version that ever shipped keeps opening: an older envelope is upgraded step
//! by step to the current one before it is read (see [`FORMAT_VERSION`]), and checked-in test
//! vectors of each version pin that. A link that does not open gives a [`DecodeError`] saying
//! why, never a panic; the encoded length and the decompressed size are both bounded
//! ([`Limits`]). The page's buttons, storage and embed mode are the app's business.

mod error;
mod presets;
mod wire;

pub use error::{DecodeError, EncodeError};
pub use presets::{NoPresets, PresetRef, PresetResolver, PresetTable, join_documents};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::scenario::{Scenario, Source};

/// The format version links are written in. Bump it whenever the envelope or the scenario
/// document changes in a way an older reader would refuse or misread, add an upgrade step
/// from the previous version to [`upgrade`], and check in vectors of the new version.
pub const FORMAT_VERSION: u32 = 1;

/// The link length above which the page and the command line warn. Discord, the strictest
/// of the common chat tools, cuts a message at 2,000 characters, and Internet Explorer
/// refused URLs longer than 2,083; a link under 2,000 passes both.
pub const CHAT_LIMIT: usize = 2_000;

/// The engine version written into every link, for messages about links from other builds.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a link carries: the scenario and what the page was showing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared {
    pub scenario: Scenario,
    pub view: ViewState,
}

/// The page's view of a run. Only hints: a reader may ignore what it does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViewState {
    /// The virtual time shown, in nanoseconds after the scenario's start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ns: Option<i64>,
    /// The selected object, as a timeline key (`Kind/namespace/name` or `Kind/name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// The names of the open panels, in the page's own terms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<String>,
}

/// An opened link: what it carries and which build wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub shared: Shared,
    /// The format version the link was written in (older ones are upgraded on opening).
    pub format: u32,
    /// The engine version that wrote the link.
    pub engine: String,
}

/// Bounds on what a link may hold, so that a hostile link cannot exhaust memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most characters of a link.
    pub max_link_len: usize,
    /// The most bytes of the envelope's JSON once decompressed.
    pub max_content_len: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_link_len: 1 << 20,
            max_content_len: 8 << 20,
        }
    }
}

/// The envelope as it is written. Field order is the JSON's order, so that the same scenario
/// always gives the same link.
#[derive(Serialize)]
struct EnvelopeOut<'a> {
    engine: &'a str,
    scenario: Value,
    view: &'a ViewState,
}

/// Packs `shared` into a link with the default limits. Inline sources whose text is exactly
/// a preset's are written as references to it.
pub fn encode(shared: &Shared, presets: &dyn PresetResolver) -> Result<String, EncodeError> {
    encode_with(shared, presets, &Limits::default())
}

/// Packs `shared` into a link, refusing one that [`decode_with`] with `limits` would refuse.
pub fn encode_with(
    shared: &Shared,
    presets: &dyn PresetResolver,
    limits: &Limits,
) -> Result<String, EncodeError> {
    // The scenario document, with presets referenced instead of inlined.
    let mut scenario = serde_json::to_value(&shared.scenario)
        .map_err(|error| EncodeError::Serialize(error.to_string()))?;
    for (what, sources) in [
        ("stages", &shared.scenario.stages),
        ("objects", &shared.scenario.objects),
    ] {
        let written = sources
            .iter()
            .enumerate()
            .map(|(index, source)| source_out(source, presets, what, index))
            .collect::<Result<Vec<Value>, EncodeError>>()?;
        if let Some(object) = scenario.as_object_mut() {
            object.insert(what.to_string(), Value::Array(written));
        }
    }
    // Absent and null read the same; leaving nulls out keeps links short.
    if let Some(object) = scenario.as_object_mut() {
        object.retain(|_, value| !value.is_null());
    }

    // The envelope, compressed and encoded.
    let envelope = EnvelopeOut {
        engine: ENGINE_VERSION,
        scenario,
        view: &shared.view,
    };
    let json =
        serde_json::to_vec(&envelope).map_err(|error| EncodeError::Serialize(error.to_string()))?;
    if json.len() > limits.max_content_len {
        return Err(EncodeError::TooLarge {
            size: json.len(),
            limit: limits.max_content_len,
        });
    }
    let link = wire::pack(FORMAT_VERSION, &json);
    if link.len() > limits.max_link_len {
        return Err(EncodeError::TooLong {
            length: link.len(),
            limit: limits.max_link_len,
        });
    }
    Ok(link)
}

/// Opens a link with the default limits.
pub fn decode(link: &str, presets: &dyn PresetResolver) -> Result<Opened, DecodeError> {
    decode_with(link, presets, &Limits::default())
}

/// Opens a link: checks its size and version, decompresses and reads the envelope, upgrades
/// it to the current format, and resolves preset references through `presets`.
pub fn decode_with(
    link: &str,
    presets: &dyn PresetResolver,
    limits: &Limits,
) -> Result<Opened, DecodeError> {
    let (format, json) = wire::unpack(link, limits)?;
    let envelope: Value =
        serde_json::from_slice(&json).map_err(|error| DecodeError::BadContent {
            place: "envelope".to_string(),
            message: error.to_string(),
        })?;
    let mut envelope = upgrade(format, envelope)?;
    let Some(fields) = envelope.as_object_mut() else {
        return Err(bad_content("envelope", "not a JSON object"));
    };

    let engine = match fields.remove("engine") {
        Some(Value::String(engine)) => engine,
        _ => return Err(bad_content("engine", "missing or not a string")),
    };
    let view = match fields.remove("view") {
        None | Some(Value::Null) => ViewState::default(),
        Some(view) => {
            serde_json::from_value(view).map_err(|error| bad_content("view", &error.to_string()))?
        }
    };
    let mut scenario = match fields.remove("scenario") {
        Some(Value::Object(scenario)) => scenario,
        _ => return Err(bad_content("scenario", "missing or not a JSON object")),
    };
    for what in ["stages", "objects"] {
        resolve_presets(&mut scenario, what, presets)?;
    }
    let scenario: Scenario = serde_json::from_value(Value::Object(scenario))
        .map_err(|error| bad_content("scenario", &error.to_string()))?;

    Ok(Opened {
        shared: Shared { scenario, view },
        format,
        engine,
    })
}

/// Brings an envelope written in `format` to the current format, one version at a time.
/// Version 1 is the first, so there is nothing to do yet; each later version adds an arm
/// that rewrites the previous version's envelope.
fn upgrade(format: u32, envelope: Value) -> Result<Value, DecodeError> {
    match format {
        FORMAT_VERSION => Ok(envelope),
        _ => Err(DecodeError::UnknownFormat { found: format }),
    }
}

/// One source as the envelope holds it.
fn source_out(
    source: &Source,
    presets: &dyn PresetResolver,
    what: &str,
    index: usize,
) -> Result<Value, EncodeError> {
    match source {
        Source::Inline { name, text } => {
            let Some(preset) = presets.find(text) else {
                let mut inline = Map::new();
                if let Some(name) = name {
                    inline.insert("name".into(), Value::String(name.clone()));
                }
                inline.insert("text".into(), Value::String(text.clone()));
                return Ok(Value::Object(inline));
            };
            let mut reference = Map::new();
            reference.insert("preset".into(), Value::String(preset.preset));
            reference.insert("version".into(), Value::String(preset.version));
            if let Some(name) = name {
                reference.insert("name".into(), Value::String(name.clone()));
            }
            Ok(Value::Object(reference))
        }
        // A link must carry everything it needs: the reader has no files.
        Source::Path(path) | Source::File { path } => Err(EncodeError::FileSource {
            place: format!("{what}[{index}]"),
            path: path.clone(),
        }),
    }
}

/// Replaces every preset reference in `scenario[what]` by the preset's text.
fn resolve_presets(
    scenario: &mut Map<String, Value>,
    what: &str,
    presets: &dyn PresetResolver,
) -> Result<(), DecodeError> {
    let Some(Value::Array(sources)) = scenario.get_mut(what) else {
        return Ok(());
    };
    for (index, source) in sources.iter_mut().enumerate() {
        let Some(fields) = source.as_object() else {
            continue;
        };
        if !fields.contains_key("preset") {
            continue;
        }
        let place = format!("scenario.{what}[{index}]");
        let text_field = |key: &str| -> Result<Option<String>, DecodeError> {
            match fields.get(key) {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(bad_content(&place, &format!("`{key}` is not a string"))),
            }
        };
        let reference = PresetRef {
            preset: text_field("preset")?.unwrap_or_default(),
            version: text_field("version")?
                .ok_or_else(|| bad_content(&place, "a preset reference needs a `version`"))?,
        };
        let name = text_field("name")?;
        if let Some(unknown) = fields
            .keys()
            .find(|key| !["preset", "version", "name"].contains(&key.as_str()))
        {
            return Err(bad_content(
                &place,
                &format!("unknown field `{unknown}` in a preset reference"),
            ));
        }
        let Some(text) = presets.text(&reference) else {
            return Err(DecodeError::UnknownPreset {
                place,
                preset: reference,
            });
        };
        let mut inline = Map::new();
        if let Some(name) = name {
            inline.insert("name".into(), Value::String(name));
        }
        inline.insert("text".into(), Value::String(text));
        *source = Value::Object(inline);
    }
    Ok(())
}

fn bad_content(place: &str, message: &str) -> DecodeError {
    DecodeError::BadContent {
        place: place.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests;
