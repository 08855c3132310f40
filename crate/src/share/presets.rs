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

    /// `text` cut at its `---` separator lines into runs that are each a preset's text
    /// or a stretch of the user's own documents. [`join_documents`] joins the pieces of a
    /// text whose documents end in one newline back to the same text.
    fn pieces<'a>(&self, text: &'a str) -> Vec<&'a str> {
        const SEPARATOR: &str = "---\n";
        const MAX_PRESET_DOCUMENTS: usize = 32;

        // Where each document starts: the start, and after every separator line.
        let mut starts = vec![0];
        starts.extend(
            text.match_indices("\n---\n")
                .map(|(at, _)| at + 1 + SEPARATOR.len()),
        );
        let document_end = |start_index: usize| match starts.get(start_index + 1) {
            Some(&next) => next - SEPARATOR.len(),
            None => text.len(),
        };

        let mut pieces = Vec::new();
        let mut own_from = None::<usize>;
        let mut index = 0;
        while index < starts.len() {
            let start = starts[index];
            // The longest run of documents from here that is a preset.
            // A preset is a few files, so a long run is never one.
            let preset_end = (index..starts.len().min(index + MAX_PRESET_DOCUMENTS))
                .rev()
                .find(|&last| self.find(&text[start..document_end(last)]).is_some());
            match preset_end {
                Some(last) => {
                    if let Some(from) = own_from.take() {
                        pieces.push(&text[from..start - SEPARATOR.len()]);
                    }
                    pieces.push(&text[start..document_end(last)]);
                    index = last + 1;
                }
                None => {
                    own_from.get_or_insert(start);
                    index += 1;
                }
            }
        }
        if let Some(from) = own_from {
            pieces.push(&text[from..]);
        }
        pieces
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_presets_or_own_runs_and_join_back() {
        let preset = join_documents(["kind: Stage\nname: a", "kind: Stage\nname: b"]);
        let presets = PresetTable::new().with("ab", "v1", preset.clone());
        let text = join_documents(["own: 1", &preset, "own: 2", "own: 3"]);
        let pieces = presets.pieces(&text);
        assert_eq!(
            pieces,
            ["own: 1\n", preset.as_str(), "own: 2\n---\nown: 3\n"]
        );
        assert_eq!(join_documents(pieces), text);
        assert_eq!(presets.pieces("own: 1\n"), ["own: 1\n"]);
        assert_eq!(presets.pieces(&preset), [preset.as_str()]);
    }
}
