//! Light, dark or the system's choice: a toggle in the top bar, remembered in local
//! storage and applied as `data-theme` on the root element (the style sheet follows the
//! system's `prefers-color-scheme` when the attribute is absent). `index.html` applies
//! the remembered choice before the module loads, so the page does not flash.

use leptos::prelude::*;

const STORAGE_KEY: &str = "stage-playground/theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(text: &str) -> Theme {
        match text {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The next choice of the toggle.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remembered() -> Theme {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|text| Theme::parse(&text))
        .unwrap_or(Theme::System)
}

fn apply(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    // A page without storage or attributes keeps the system's theme.
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        theme => root.set_attribute("data-theme", theme.name()),
    };
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, theme.name());
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(remembered());
    let label = move || match theme.get() {
        Theme::System => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    view! {
        <button class="icon theme-toggle" data-theme-choice=move || theme.get().name()
            title=label aria-label=label
            on:click=move |_| {
                let next = theme.get_untracked().next();
                theme.set(next);
                apply(next);
            }>
            {move || match theme.get() {
                Theme::System => view! { <svg viewBox="0 0 16 16"><path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 1.5v11a5.5 5.5 0 0 1 0-11z" /></svg> }.into_any(),
                Theme::Light => view! { <svg viewBox="0 0 16 16"><circle cx="8" cy="8" r="3.2" /><path d="M7.3 0h1.4v2.6H7.3zM7.3 13.4h1.4V16H7.3zM0 7.3h2.6v1.4H0zM13.4 7.3H16v1.4h-2.6zM2.1 3.1l1-1 1.8 1.8-1 1zM11.1 12.1l1-1 1.8 1.8-1 1zM2.1 12.9l1.8-1.8 1 1-1.8 1.8zM11.1 3.9l1.8-1.8 1 1-1.8 1.8z" /></svg> }.into_any(),
                Theme::Dark => view! { <svg viewBox="0 0 16 16"><path d="M6 1.2a7 7 0 1 0 8.8 8.8A6 6 0 0 1 6 1.2z" /></svg> }.into_any(),
            }}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggle_cycles_and_reads_back() {
        let mut theme = Theme::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            theme = theme.next();
            seen.push(theme);
            assert_eq!(Theme::parse(theme.name()), theme);
        }
        assert_eq!(seen, [Theme::Light, Theme::Dark, Theme::System]);
        assert_eq!(Theme::parse("sepia"), Theme::System);
    }
}
