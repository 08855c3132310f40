//! Preset references: how a link names a Stage or object source that the app ships, instead
//! of carrying its text.
//!
//! The registry of presets lives in the app; the engine only asks it two questions, through
//! [`PresetResolver`]: which text a name and version stand for (to open a link), and which
//! name and version stand for a text (to make one). A preset's text must never change under
//! the same name and version, or old links would open to something else.

use serde::{Deserialize, Serialize};

/// A preset by name and version, e.g. `pod-general` at `v0.8.0`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PresetRef {
    pub preset: String,
    pub version: String,
}

/// The app's preset registry, as the share format sees it.
pub trait PresetResolver {
    /// The text `preset` stands for, or `None` when the registry does not have it.
    fn text(&self, preset: &PresetRef) -> Option<String>;

    /// The preset whose text is exactly `text`, or `None` when it is the user's own.
    fn find(&self, text: &str) -> Option<PresetRef>;
}

/// The text of a preset made of several files: each file's text with its trailing blank
/// lines trimmed and one newline, joined by `---` lines. App and tests build preset texts
/// this one way, so that a reference always stands for the same text.
pub fn join_documents<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    texts
        .into_iter()
        .map(|text| format!("{}\n", text.trim_end()))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// No presets: every source is carried inline, and a link with a reference does not open.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPresets;

impl PresetResolver for NoPresets {
    fn text(&self, _: &PresetRef) -> Option<String> {
        None
    }

    fn find(&self, _: &str) -> Option<PresetRef> {
        None
    }
}

/// A registry held as a list of (reference, text), for an app that knows its presets up
/// front. When two entries have the same text, links name the first.
#[derive(Clone, Debug, Default)]
pub struct PresetTable {
    entries: Vec<(PresetRef, String)>,
}

impl PresetTable {
    pub fn new() -> PresetTable {
        PresetTable::default()
    }

    /// Adds a preset.
    pub fn with(
        mut self,
        preset: impl Into<String>,
        version: impl Into<String>,
        text: impl Into<String>,
    ) -> PresetTable {
        self.insert(preset, version, text);
        self
    }

    /// Adds a preset.
    pub fn insert(
        &mut self,
        preset: impl Into<String>,
        version: impl Into<String>,
        text: impl Into<String>,
    ) {
        let reference = PresetRef {
            preset: preset.into(),
            version: version.into(),
        };
        self.entries.push((reference, text.into()));
    }
}

impl PresetResolver for PresetTable {
    fn text(&self, preset: &PresetRef) -> Option<String> {
        self.entries
            .iter()
            .find(|(reference, _)| reference == preset)
            .map(|(_, text)| text.clone())
    }

    fn find(&self, text: &str) -> Option<PresetRef> {
        self.entries
            .iter()
            .find(|(_, known)| known == text)
            .map(|(reference, _)| reference.clone())
    }
}

impl<F, G> PresetResolver for (F, G)
where
    F: Fn(&PresetRef) -> Option<String>,
    G: Fn(&str) -> Option<PresetRef>,
{
    fn text(&self, preset: &PresetRef) -> Option<String> {
        (self.0)(preset)
    }

    fn find(&self, text: &str) -> Option<PresetRef> {
        (self.1)(text)
    }
}
