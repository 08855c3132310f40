//! Embed mode: the page inside another page's `<iframe>`, for docs.
//!
//! The URL's query selects it and its options (`embed=1`, `readonly`, `autoplay`,
//! `start=<Go duration>`, `panels=timeline,inspector`, `height=<CSS length>`); the scenario
//! comes from the fragment, as any share link. This module reads the options (pure, tested
//! natively) and watches for the embed to scroll into view; what the page drops or shows in
//! embed mode is decided where it is drawn.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The panels an embed can show, by the names its `panels` parameter uses.
pub const PANELS: &[&str] = &["stages", "objects", "config", "timeline", "inspector"];
/// What an embed shows when it does not say.
const DEFAULT_PANELS: &[&str] = &["timeline", "inspector"];

/// Embed mode's options.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    /// The editors cannot be changed, and no action can be added.
    pub readonly: bool,
    /// Play the timeline as soon as the embed is in view.
    pub autoplay: bool,
    /// Where the cursor starts, in virtual milliseconds after the scenario's start.
    pub start_ms: Option<f64>,
    /// The panels shown, in [`PANELS`]' terms.
    pub panels: Vec<String>,
    /// The embed's height, a CSS length (`420px`, `60vh`).
    pub height: Option<String>,
    /// Parameters that were not understood, one sentence each.
    pub problems: Vec<String>,
}

impl Embed {
    pub fn shows(&self, panel: &str) -> bool {
        self.panels.iter().any(|shown| shown == panel)
    }
}

/// The embed options of a URL query (`?embed=1&...`, with or without the `?`), or `None`
/// when the page is not embedded.
pub fn parse(query: &str) -> Option<Embed> {
    let pairs: Vec<(String, String)> = query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if !value("embed").is_some_and(switch) {
        return None;
    }

    let mut problems = Vec::new();
    let start_ms = value("start").and_then(|text| match stage_engine::duration::parse_go_duration(
        text,
    ) {
        Ok(ns) if ns >= 0 => Some(ns as f64 / 1_000_000.0),
        _ => {
            problems.push(format!(
                "start={text:?} is not a Go duration such as 30s or 1m30s; the embed \
                     starts at the beginning."
            ));
            None
        }
    });
    let panels = match value("panels") {
        None => DEFAULT_PANELS
            .iter()
            .map(|panel| panel.to_string())
            .collect(),
        Some(list) => {
            let mut panels = Vec::new();
            for panel in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if PANELS.contains(&panel) {
                    panels.push(panel.to_string());
                } else {
                    problems.push(format!(
                        "panels: there is no panel {panel:?}; the panels are {}.",
                        PANELS.join(", ")
                    ));
                }
            }
            panels
        }
    };
    let height = value("height").and_then(|text| match css_length(text) {
        Some(length) => Some(length),
        None => {
            problems.push(format!(
                "height={text:?} is not a length such as 420 or 420px or 60vh."
            ));
            None
        }
    });

    Some(Embed {
        readonly: value("readonly").is_some_and(switch),
        autoplay: value("autoplay").is_some_and(switch),
        start_ms,
        panels,
        height,
        problems,
    })
}

/// A flag's value: present without a value, or `1`/`true`/`yes`, is on.
fn switch(value: &str) -> bool {
    matches!(value, "" | "1" | "true" | "yes" | "on")
}

/// A CSS length from a height parameter: a bare number is pixels. Only digits, a dot and a
/// known unit pass, so nothing else can reach the style.
fn css_length(text: &str) -> Option<String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: f64 = number.parse().ok()?;
    if !(number > 0.0 && number < 100_000.0) {
        return None;
    }
    match unit {
        "" => Some(format!("{number}px")),
        "px" | "vh" | "em" | "rem" => Some(format!("{number}{unit}")),
        _ => None,
    }
}

/// `%XX` escapes and `+` as a space, as browsers write a query.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = (byte == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Calls `visible` once, the first time `element` scrolls into the viewport (the top-level
/// page's viewport when the embed is in an iframe). Without IntersectionObserver it calls
/// at once.
pub fn when_visible(element: &web_sys::Element, visible: impl FnOnce() + 'static) {
    let mut visible = Some(visible);
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let seen = entries.iter().any(|entry| {
                entry
                    .dyn_into::<web_sys::IntersectionObserverEntry>()
                    .is_ok_and(|entry| entry.is_intersecting())
            });
            if seen && let Some(visible) = visible.take() {
                observer.disconnect();
                visible();
            }
        },
    );
    match web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(element);
            // The observer holds the callback for the page's lifetime.
            callback.forget();
        }
        Err(_) => {
            drop(callback);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_an_embed_without_the_flag() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("?readonly&autoplay"), None);
        assert_eq!(parse("?embed=0"), None);
    }

    #[test]
    fn every_option() {
        let embed = parse(
            "?embed=1&readonly&autoplay=true&start=1m30s&panels=timeline%2Cstages&height=420",
        )
        .unwrap();
        assert_eq!(
            embed,
            Embed {
                readonly: true,
                autoplay: true,
                start_ms: Some(90_000.0),
                panels: vec!["timeline".into(), "stages".into()],
                height: Some("420px".into()),
                problems: Vec::new(),
            }
        );
    }

    #[test]
    fn defaults_of_an_embed() {
        let embed = parse("embed").unwrap();
        assert!(!embed.readonly && !embed.autoplay);
        assert_eq!(embed.panels, ["timeline", "inspector"]);
        assert_eq!((embed.start_ms, embed.height), (None, None));
    }

    #[test]
    fn bad_options_are_named_and_left_out() {
        let embed =
            parse("?embed=1&start=soon&panels=timeline,<b>x</b>&height=1px;color:red").unwrap();
        assert_eq!(embed.start_ms, None);
        assert_eq!(embed.panels, ["timeline"]);
        assert_eq!(embed.height, None);
        assert_eq!(embed.problems.len(), 3, "{:?}", embed.problems);
        assert!(embed.problems[1].contains("\"<b>x</b>\""));
    }

    #[test]
    fn heights() {
        assert_eq!(css_length("60vh").as_deref(), Some("60vh"));
        assert_eq!(css_length("12.5rem").as_deref(), Some("12.5rem"));
        assert_eq!(css_length("0"), None);
        assert_eq!(css_length("calc(1px)"), None);
    }

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("a%2Cb+c%zz%4"), "a,b c%zz%4");
    }
}
