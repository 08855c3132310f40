//! The user's work kept in the browser's local storage, so that nothing typed is lost.
//!
//! Two kinds of work are kept apart. The user's own work (what the editors held before any
//! link was opened) lives under one key and is only written while the page shows it. A
//! scenario opened from a link, and the edits made to it, live under a second key, by link,
//! for the few links opened last; opening a link therefore never overwrites the own work,
//! which stays one click away. Reading and writing the entries is pure ([`Links`]); only
//! the few functions at the end touch `window.localStorage`.

use serde::{Deserialize, Serialize};

use crate::glue::Request;

/// The user's own work: the page's inputs as JSON.
const OWN_KEY: &str = "stage-playground/work/v1";
/// The key the page used before links existed; read once, when the new key is empty.
const LEGACY_KEY: &str = "stage-playground/scenario/v1";
/// The scenarios opened from links, with their edits.
const LINKS_KEY: &str = "stage-playground/links/v1";
/// How many opened links keep their edits.
const LINKS_KEPT: usize = 8;

/// What the editors show: the user's own work, or a scenario opened from a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Own,
    /// The link (the part after `#`) the scenario came from.
    Link(String),
}

/// One opened link and its scenario as the user left it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkWork {
    pub link: String,
    pub work: Request,
}

/// The opened links' work, the most recent first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Links(pub Vec<LinkWork>);

impl Links {
    /// The work last saved for `link`.
    pub fn find(&self, link: &str) -> Option<&Request> {
        self.0
            .iter()
            .find(|entry| entry.link == link)
            .map(|entry| &entry.work)
    }

    /// Keeps `work` for `link` in front, dropping the oldest links beyond [`LINKS_KEPT`].
    pub fn remember(&mut self, link: &str, work: Request) {
        self.0.retain(|entry| entry.link != link);
        self.0.insert(
            0,
            LinkWork {
                link: link.to_string(),
                work,
            },
        );
        self.0.truncate(LINKS_KEPT);
    }
}

/// Reads saved inputs; a damaged entry reads as none rather than breaking the page.
pub fn parse_work(text: &str) -> Option<Request> {
    serde_json::from_str(text).ok()
}

/// Reads the saved links; a damaged entry reads as none.
pub fn parse_links(text: &str) -> Links {
    serde_json::from_str(text).unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn write(key: &str, text: &str) {
    if let Some(storage) = storage() {
        // A full or disabled storage only loses what could not be kept; the page goes on.
        let _ = storage.set_item(key, text);
    }
}

/// The user's own work, if any was saved.
pub fn load_own() -> Option<Request> {
    read(OWN_KEY)
        .or_else(|| read(LEGACY_KEY))
        .and_then(|text| parse_work(&text))
}

/// Saves the user's own work.
pub fn save_own(work: &Request) {
    if let Ok(text) = serde_json::to_string(work) {
        write(OWN_KEY, &text);
    }
}

/// The scenario of `link` as the user last left it, if it was opened before.
pub fn load_link(link: &str) -> Option<Request> {
    let links = parse_links(&read(LINKS_KEY)?);
    links.find(link).cloned()
}

/// Saves the scenario opened from `link`, with the user's edits.
pub fn save_link(link: &str, work: &Request) {
    let mut links = read(LINKS_KEY)
        .map(|text| parse_links(&text))
        .unwrap_or_default();
    links.remember(link, work.clone());
    if let Ok(text) = serde_json::to_string(&links) {
        write(LINKS_KEY, &text);
    }
}

/// Saves `work` where its origin says.
pub fn save(origin: &Origin, work: &Request) {
    match origin {
        Origin::Own => save_own(work),
        Origin::Link(link) => save_link(link, work),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glue::{Op, default_settings};

    fn work(stages: &str) -> Request {
        Request {
            op: Op::Run,
            stages: stages.into(),
            objects: String::new(),
            settings: default_settings(60_000, 10),
            actions: Vec::new(),
            focus: None,
        }
    }

    #[test]
    fn the_last_edit_of_a_link_wins_and_old_links_fall_off() {
        let mut links = Links::default();
        links.remember("v1.a", work("first"));
        links.remember("v1.b", work("other"));
        links.remember("v1.a", work("edited"));
        assert_eq!(links.find("v1.a"), Some(&work("edited")));
        assert_eq!(links.0[0].link, "v1.a");

        for n in 0..LINKS_KEPT {
            links.remember(&format!("v1.{n}"), work("x"));
        }
        assert_eq!(links.0.len(), LINKS_KEPT);
        assert_eq!(links.find("v1.a"), None);
    }

    #[test]
    fn saved_entries_read_back_and_damaged_ones_read_as_none() {
        let mut links = Links::default();
        links.remember("v1.a", work("mine"));
        let text = serde_json::to_string(&links).unwrap();
        assert_eq!(parse_links(&text), links);
        assert_eq!(parse_links("{not json"), Links::default());

        let text = serde_json::to_string(&work("mine")).unwrap();
        assert_eq!(parse_work(&text), Some(work("mine")));
        assert_eq!(parse_work("[1,"), None);
    }

    #[test]
    fn work_saved_before_actions_existed_still_reads() {
        let old = r#"{"op":"run","stages":"s","objects":"o","settings":{"nodeIP":"10.0.0.1","cidr":"10.0.0.1/24","seed":1,"horizonMs":600000,"maxPlays":10000}}"#;
        let read = parse_work(old).unwrap();
        assert_eq!((read.stages.as_str(), read.actions.len()), ("s", 0));
    }
}
