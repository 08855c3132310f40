//! The page's sharing controls and their state: the Copy link button, opening links (on
//! load and whenever the fragment changes), the notices about them, autosave, embed mode's
//! wiring, and what exports and imports do to the page. The confirm dialog is
//! [`crate::confirm`]'s, reading and saving files and the drop zones [`crate::files`]'s.
//!
//! [`Sharing`] holds the state and the components draw it. What a link holds is
//! [`crate::sharing`]'s business, where work is kept [`crate::storage`]'s, the embed options
//! [`crate::embed`]'s and the exports and imports [`crate::transfer`]'s. The engine makes the
//! exports and reads the files in its worker ([`FileEngine`]), so both act when its answer
//! comes. Everything a link or a file brings is shown as text, never as markup.

use leptos::prelude::*;
use stage_engine::share::ViewState;
use stage_engine::timeline::Entry;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::confirm::Confirm;
use crate::embed::{self, Embed};
use crate::file_engine::FileEngine;
use crate::files::{ReadFile, Target, read_files, save_file};
use crate::glue::{ExportKind, FileRequest, NamedFile, Op, Request};
use crate::page::Page;
use crate::presets;
use crate::sharing::{self, OpenError};
use crate::storage::{self, Origin};
use crate::transfer::{self, Import};

/// A message above the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub bad: bool,
    pub text: String,
    /// Offer the way back to the user's own work.
    pub back: bool,
}

/// The link the Copy link button made.
#[derive(Clone, Debug, PartialEq)]
pub enum Made {
    Link {
        url: String,
        warning: Option<String>,
        /// `Some(false)` when the clipboard refused it.
        copied: Option<bool>,
    },
    Failed(String),
}

/// What the page opens with, read from the URL and the saved work.
pub struct Start {
    pub request: Request,
    origin: Origin,
    notice: Option<Notice>,
    view: Option<ViewState>,
    embed: Option<Embed>,
    has_own: bool,
}

impl Start {
    /// Reads the URL: embed options in the query, a link in the fragment. A link that does
    /// not open leaves the saved work as it is and says why.
    pub fn read() -> Start {
        let embed = embed::parse(&location_part(|l| l.search()));
        // An embed shows its link or the default, and never touches the visitor's work.
        let own = if embed.is_none() {
            storage::load_own()
        } else {
            None
        };
        let has_own = own.is_some();
        let own_or_default = || own.clone().unwrap_or_else(presets::default_scenario);
        let hash = location_part(|l| l.hash());

        let Some(link) = sharing::fragment_link(&hash) else {
            return Start {
                request: own_or_default(),
                origin: Origin::Own,
                notice: None,
                view: None,
                embed,
                has_own,
            };
        };
        match sharing::open(link) {
            Ok(opening) => {
                let request = match embed {
                    None => storage::load_link(link).unwrap_or(opening.request),
                    Some(_) => opening.request,
                };
                Start {
                    request,
                    origin: Origin::Link(link.to_string()),
                    notice: embed
                        .is_none()
                        .then(|| opened_notice(&opening.notes, has_own)),
                    view: Some(opening.view),
                    embed,
                    has_own,
                }
            }
            Err(error) => Start {
                request: own_or_default(),
                origin: Origin::Own,
                notice: Some(failed_notice(&error, has_own)),
                view: None,
                embed,
                has_own,
            },
        }
    }
}

/// The sharing state. Every field is a signal or a stored value, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Sharing {
    page: Page,
    pub origin: RwSignal<Origin>,
    pub notice: RwSignal<Option<Notice>>,
    pub made: RwSignal<Option<Made>>,
    has_own: RwSignal<bool>,
    /// The view a link asked for, applied once its scenario's timeline is shown.
    pending: StoredValue<Option<ViewState>>,
    embed: StoredValue<Option<Embed>>,
    /// The page's confirm dialog.
    pub dialog: Confirm,
    /// The export being made, if any.
    pub preparing: RwSignal<Option<ExportKind>>,
    /// The engine that makes the exports and reads the files.
    files: FileEngine,
}

impl Sharing {
    /// Takes over from [`Start`]: saves the work as it changes, applies a link's view once
    /// its timeline is there, and opens links the fragment changes to.
    pub fn new(page: Page, start: Start) -> Sharing {
        let pending = start
            .view
            .or_else(|| start.embed.as_ref().map(|_| ViewState::default()));
        let sharing = Sharing {
            page,
            origin: RwSignal::new(start.origin),
            notice: RwSignal::new(start.notice),
            made: RwSignal::new(None),
            has_own: RwSignal::new(start.has_own),
            pending: StoredValue::new(pending),
            embed: StoredValue::new(start.embed),
            dialog: Confirm::new(),
            preparing: RwSignal::new(None),
            files: FileEngine::new(),
        };
        sharing.autosave();
        sharing.apply_views();
        sharing.follow_fragment();
        sharing
    }

    /// The embed options, when the page is embedded.
    pub fn embed(self) -> Option<Embed> {
        self.embed.get_value()
    }

    /// Whether a panel is drawn: all of them outside embed mode.
    pub fn shows(self, panel: &str) -> bool {
        self.embed
            .with_value(|embed| embed.as_ref().is_none_or(|e| e.shows(panel)))
    }

    /// Whether the inputs may be changed.
    pub fn readonly(self) -> bool {
        self.embed
            .with_value(|embed| embed.as_ref().is_some_and(|e| e.readonly))
    }

    /// Runs the first simulation: at once, or in embed mode once the embed is in view.
    pub fn first_run(self, run: impl FnOnce() + 'static) {
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        match (self.embed.with_value(Option::is_some), element) {
            (true, Some(element)) => embed::when_visible(&element, run),
            _ => run(),
        }
    }

    /// Makes a link of the current inputs and view, shows it and copies it.
    pub fn copy_link(self) {
        let url = match self.current_link() {
            Ok(link) => format!("{}#{link}", playground_url()),
            Err(message) => {
                self.made.set(Some(Made::Failed(message)));
                return;
            }
        };
        self.made.set(Some(Made::Link {
            warning: sharing::length_warning(url.chars().count()),
            url: url.clone(),
            copied: None,
        }));
        let made = self.made;
        let copied = move |ok: bool| {
            made.update(|made| {
                if let Some(Made::Link { copied, .. }) = made {
                    *copied = Some(ok);
                }
            })
        };
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            copied(false);
            return;
        };
        let done = Closure::once(move |_: JsValue| copied(true));
        let refused = Closure::once(move |_: JsValue| copied(false));
        let _ = clipboard.write_text(&url).then2(&done, &refused);
        // Each runs at most once, when the clipboard answers.
        done.forget();
        refused.forget();
    }

    /// The link (the part after `#`) of the current inputs and view.
    pub fn current_link(self) -> Result<String, String> {
        sharing::encode(&self.page.request(Op::Run), self.view_state()).map_err(|e| e.to_string())
    }

    /// The full playground with the current scenario, for an embed's link out.
    pub fn playground_href(self) -> String {
        match self.current_link() {
            Ok(link) => format!("{}#{link}", playground_url()),
            Err(_) => playground_url(),
        }
    }

    /// Loads the user's own work again, leaving the shared scenario (its edits stay saved
    /// under its link).
    pub fn back_to_own(self) {
        self.origin.set(Origin::Own);
        self.pending.set_value(None);
        self.notice.set(None);
        self.page
            .load(storage::load_own().unwrap_or_else(presets::default_scenario));
        clear_fragment();
    }

    /// Asks with the page's own dialog; `yes` runs only on confirmation.
    pub fn confirm(self, question: String, yes_label: &str, yes: impl Fn() + 'static) {
        self.dialog.ask(question, yes_label, yes);
    }

    /// Loads the default scenario, after asking when that discards edits.
    pub fn reset(self) {
        let page = self.page;
        let load = move || page.load(presets::default_scenario());
        if page.request(Op::Run) == presets::default_scenario() {
            load();
            return;
        }
        let question = match self.origin.get_untracked() {
            Origin::Own => {
                "Discard your work and load the default scenario? Your Stages, \
                            objects, settings and actions are replaced, and this cannot be undone."
            }
            Origin::Link(_) => {
                "Discard this shared scenario's edits and load the default \
                                scenario? The link itself still opens as it was shared."
            }
        };
        self.confirm(question.to_string(), "Discard and reset", load);
    }

    /// Asks the engine for an export of the current inputs and downloads it when it comes;
    /// until then [`Sharing::preparing`] names it. A newer export takes its place.
    pub fn export(self, kind: ExportKind) {
        let page = self.page;
        let ask = transfer::ask(
            kind,
            &page.request(Op::Run),
            self.selected_object().as_deref(),
            page.cursor.get_untracked().position_ms,
        );
        let mtime = (js_sys::Date::now() / 1000.0).max(0.0) as u64;
        self.preparing.set(Some(kind));
        self.files
            .ask(&FileRequest::Export(Box::new(ask)), move |answer| {
                self.preparing.set(None);
                let failed = match transfer::exported(kind, answer, mtime) {
                    Ok(download) => save_file(&download).err(),
                    Err(message) => Some(message),
                };
                if let Some(message) = failed {
                    self.notice.set(Some(Notice {
                        bad: true,
                        text: format!("The export could not be made: {message}"),
                        back: false,
                    }));
                }
            });
    }

    /// Takes in the files the user dropped on an editor (`target`) or picked, once the
    /// engine has said what each one holds. The files the browser could not read are named
    /// in the notice after the others are taken in.
    pub fn import(self, target: Option<Target>, files: Vec<ReadFile>) {
        let (files, unread): (Vec<_>, Vec<_>) = files.into_iter().partition(Result::is_ok);
        let files: Vec<NamedFile> = files.into_iter().flatten().collect();
        let unread: Vec<String> = unread.into_iter().filter_map(Result::err).collect();
        let tell_unread = move || {
            if !unread.is_empty() {
                self.could_not_read(&unread.join(" "));
            }
        };
        if files.is_empty() {
            return tell_unread();
        }
        let request = FileRequest::Open(files.clone());
        self.files.ask(&request, move |answer| {
            let imports = transfer::opened(&files, answer);
            for (file, import) in files.into_iter().zip(imports) {
                self.take(target, file.name, import);
            }
            tell_unread();
        });
    }

    fn could_not_read(self, message: &str) {
        self.notice.set(Some(Notice {
            bad: true,
            text: format!("The file could not be read: {message}"),
            back: false,
        }));
    }

    /// Takes in one file as the engine read it.
    fn take(self, target: Option<Target>, name: String, import: Result<Import, String>) {
        let page = self.page;
        match import {
            Ok(Import::Scenario(opening)) => {
                let notes = opening.notes.clone();
                let notice = self.notice;
                let file = name.clone();
                self.confirm(
                    format!(
                        "Open the scenario {name}? It replaces the Stages, objects, settings \
                         and actions shown now."
                    ),
                    "Open it",
                    move || {
                        page.load(opening.request.clone());
                        notice.set(Some(Notice {
                            bad: false,
                            text: std::iter::once(format!("Opened the scenario {file}."))
                                .chain(notes.iter().cloned())
                                .collect::<Vec<_>>()
                                .join(" "),
                            back: false,
                        }));
                    },
                );
            }
            // A file dropped on an editor goes there; a picked one goes where its documents
            // belong.
            Ok(Import::Stages(text)) => self.add(&name, &text, target.unwrap_or(Target::Stages)),
            Ok(Import::Objects(text)) => self.add(&name, &text, target.unwrap_or(Target::Objects)),
            Err(message) => self.could_not_read(&message),
        }
    }

    /// Appends a file's documents to an editor and says which one took them, as the
    /// editor may be scrolled away from its end.
    fn add(self, file: &str, documents: &str, editor: Target) {
        let (text, name) = match editor {
            Target::Stages => (self.page.stages, "Stages"),
            Target::Objects => (self.page.objects, "objects"),
        };
        text.update(|text| *text = transfer::append_documents(text, documents));
        self.notice.set(Some(Notice {
            bad: false,
            text: format!("Added {file} to the end of the {name} editor."),
            back: false,
        }));
    }

    fn view_state(self) -> ViewState {
        let panels = self
            .embed
            .with_value(|embed| embed.as_ref().map(|e| e.panels.clone()))
            .unwrap_or_default();
        sharing::view_state(
            self.page.cursor.get_untracked().position_ms,
            self.selected_object(),
            panels,
        )
    }

    /// The selected object: the one actions target, or the selected play's.
    fn selected_object(self) -> Option<String> {
        let page = self.page;
        page.object.get_untracked().or_else(|| {
            let index = page.selected.get_untracked()?;
            page.timeline.with_untracked(|timeline| {
                match timeline.as_ref()?.entries.get(index)? {
                    Entry::Play(play) => Some(play.key.clone()),
                    _ => None,
                }
            })
        })
    }

    /// Saves the inputs as they change, where the origin says; an embed saves nothing.
    fn autosave(self) {
        let page = self.page;
        // What was just loaded is already saved (or is the default).
        page.inputs_changed(
            || {},
            move || {
                if self.embed.with_value(Option::is_some) {
                    return;
                }
                let origin = self.origin.get_untracked();
                storage::save(&origin, &page.request(Op::Run));
                if origin == Origin::Own {
                    self.has_own.set(true);
                }
            },
        );
    }

    /// Once the timeline of a link's scenario is shown, moves the cursor to the shared
    /// moment and selects the shared object. An embed's `start` and `autoplay` apply here.
    fn apply_views(self) {
        let page = self.page;
        Effect::new(move |_| {
            let Some(lanes) = page.lanes.get() else {
                return;
            };
            if page.stale() || self.pending.with_value(Option::is_none) {
                return;
            }
            let Some(view) = self.pending.get_value() else {
                return;
            };
            self.pending.set_value(None);

            let embed = self.embed.get_value();
            let at_ms = embed
                .as_ref()
                .and_then(|e| e.start_ms)
                .or(view.time_ns.map(|ns| ns as f64 / 1_000_000.0))
                .unwrap_or(0.0)
                .round() as i64;
            let autoplay = embed.as_ref().is_some_and(|e| e.autoplay);
            page.cursor.update(|cursor| {
                *cursor = cursor.seek(at_ms, lanes.end_ms);
            });
            if autoplay {
                crate::timeline_view::play(page);
            }
            let selected = view
                .selected
                .as_deref()
                .and_then(|key| sharing::selected_play(&lanes, key, at_ms));
            page.object.set(view.selected);
            page.selected.set(selected);
        });
    }

    /// Opens the link the fragment changes to, and goes back to the user's work when the
    /// fragment is emptied.
    fn follow_fragment(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = Closure::<dyn Fn()>::new(move || self.open_fragment());
        let _ = window
            .add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        listener.forget();
    }

    fn open_fragment(self) {
        let hash = location_part(|l| l.hash());
        let origin = self.origin.get_untracked();
        let link = match (sharing::fragment_link(&hash), &origin) {
            (None, Origin::Own) => return,
            (None, Origin::Link(_)) => return self.back_to_own(),
            (Some(link), Origin::Link(current)) if link == current => return,
            (Some(link), _) => link.to_string(),
        };
        let embedded = self.embed.with_value(Option::is_some);
        match sharing::open(&link) {
            Ok(opening) => {
                let request = match embedded {
                    false => storage::load_link(&link).unwrap_or(opening.request),
                    true => opening.request,
                };
                self.origin.set(Origin::Link(link));
                self.pending.set_value(Some(opening.view));
                self.notice.set(
                    (!embedded)
                        .then(|| opened_notice(&opening.notes, self.has_own.get_untracked())),
                );
                self.page.load(request);
            }
            Err(error) => {
                let own = origin == Origin::Own;
                self.notice.set(Some(Notice {
                    back: !own,
                    ..failed_notice(&error, own || self.has_own.get_untracked())
                }));
            }
        }
    }
}

fn opened_notice(notes: &[String], has_own: bool) -> Notice {
    let mut text = String::from("You are looking at a shared scenario.");
    if has_own {
        text.push_str(" Your own work is kept on this device.");
    }
    for note in notes {
        text.push(' ');
        text.push_str(note);
    }
    Notice {
        bad: false,
        text,
        back: true,
    }
}

fn failed_notice(error: &OpenError, has_own: bool) -> Notice {
    let kept = if has_own {
        "Your saved work is untouched."
    } else {
        "The page opened the default scenario."
    };
    Notice {
        bad: true,
        text: format!("This link could not be opened: {error}. {kept}"),
        back: false,
    }
}

fn location_part(part: impl Fn(&web_sys::Location) -> Result<String, JsValue>) -> String {
    web_sys::window()
        .and_then(|w| part(&w.location()).ok())
        .unwrap_or_default()
}

/// The page's URL without query or fragment: the full playground.
fn playground_url() -> String {
    let href = location_part(|l| l.href());
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_string()
}

/// Removes the fragment from the address bar without reloading or a hashchange.
fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let path = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// Closes the menu a click came from.
fn close_menu(event: &leptos::ev::MouseEvent) {
    let menu = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("details").ok().flatten());
    if let Some(menu) = menu {
        let _ = menu.remove_attribute("open");
    }
}

/// The toolbar's sharing buttons: Copy link, the exports and Open file.
#[component]
pub fn ShareControls(sharing: Sharing) -> impl IntoView {
    let pick = move |event: leptos::ev::Event| {
        let input = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            read_files(input.files(), move |files| sharing.import(None, files));
            // The same file can be picked again.
            input.set_value("");
        }
    };
    let preparing = move |kind: ExportKind| sharing.preparing.get() == Some(kind);
    let item = move |label: &'static str,
                     id: &'static str,
                     kind: ExportKind,
                     title: &'static str| {
        view! {
            <button class="menu-item" data-export=id title=title disabled=move || preparing(kind)
                on:click=move |event| {
                    close_menu(&event);
                    sharing.export(kind);
                }>
                {move || if preparing(kind) { "Preparing…" } else { label }}
            </button>
        }
    };
    let busy = move || sharing.preparing.get().is_some();
    view! {
        <div class="share-controls">
            <button class="ghost copy-link" on:click=move |_| sharing.copy_link()
                title="Copy a link to this scenario at this moment">"Copy link"</button>
            <details class="menu export-menu">
                <summary class="ghost" aria-busy=move || busy().then_some("true")>
                    {move || if busy() { "Preparing…" } else { "Export" }}
                </summary>
                <div class="menu-items">
                    {item("kwokctl recipe (.tar)", "kwokctl", ExportKind::Kwokctl, "Stage files, objects and the commands to play this on a kwok cluster")}
                    {item("Stage testdata (.tar)", "testdata", ExportKind::Testdata, "kwok's stage testdata of the selected object at the cursor")}
                    {item("Timeline (JSON)", "timeline", ExportKind::Timeline, "The timeline of the run")}
                    {item("Scenario file (JSON)", "scenario", ExportKind::Scenario, "The scenario, which this page and stage-sim run --scenario open")}
                </div>
            </details>
            <label class="button ghost open-file" title="Open a scenario file, or add YAML files to the editors">
                "Open file"
                <input type="file" class="file-input" accept=".yaml,.yml,.json" multiple on:change=pick />
            </label>
        </div>
    }
}

/// The notices about links and files, and the link the Copy link button made.
#[component]
pub fn ShareBanners(sharing: Sharing) -> impl IntoView {
    let notice = move || {
        sharing.notice.get().map(|notice| {
            let class = if notice.bad {
                "banner share-notice bad"
            } else {
                "banner share-notice"
            };
            let back = notice.back.then(|| {
                let label = if sharing.has_own.get() {
                    "Back to your work"
                } else {
                    "Leave the shared scenario"
                };
                view! { <button class="ghost back-to-work" on:click=move |_| sharing.back_to_own()>{label}</button> }
            });
            view! {
                <div class=class role=if notice.bad { "alert" } else { "status" }>
                    <span class="notice-text">{notice.text}</span>
                    {back}
                    <button class="ghost dismiss" aria-label="Dismiss" on:click=move |_| sharing.notice.set(None)>"×"</button>
                </div>
            }
        })
    };
    let made = move || {
        sharing.made.get().map(|made| match made {
            Made::Failed(message) => view! {
                <div class="banner share-link bad" role="alert">
                    <span>{format!("No link could be made: {message}")}</span>
                </div>
            }
            .into_any(),
            Made::Link {
                url,
                warning,
                copied,
            } => {
                let length = url.chars().count();
                let copied = match copied {
                    None => "",
                    Some(true) => " · copied to the clipboard",
                    Some(false) => " · select it and copy it",
                };
                view! {
                    <div class="banner share-link" data-length=length.to_string()>
                        <input class="share-url" type="text" readonly prop:value=url.clone()
                            aria-label="The link to this scenario"
                            on:focus=move |event| {
                                if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            } />
                        <span class="share-length">{format!("{length} characters{copied}")}</span>
                        {warning.map(|warning| view! { <span class="share-warning">{warning}</span> })}
                        <button class="ghost dismiss" aria-label="Close" on:click=move |_| sharing.made.set(None)>"×"</button>
                    </div>
                }
                .into_any()
            }
        })
    };
    view! { {notice} {made} }
}

/// An embed's footer: the link to the full playground and any options it did not take.
#[component]
pub fn EmbedBar(sharing: Sharing) -> impl IntoView {
    let problems = sharing
        .embed()
        .map(|embed| embed.problems)
        .unwrap_or_default();
    view! {
        <footer class="embed-bar">
            <a class="open-playground" target="_blank" rel="noopener" href=sharing.playground_href()
                on:click=move |event| {
                    // The link carries the scenario and the moment at the time of the click.
                    let anchor = event
                        .current_target()
                        .and_then(|target| target.dyn_into::<web_sys::HtmlAnchorElement>().ok());
                    if let Some(anchor) = anchor {
                        anchor.set_href(&sharing.playground_href());
                    }
                }>
                "Open in the Stage Playground ↗"
            </a>
            {problems.into_iter().map(|problem| view! { <span class="embed-problem">{problem}</span> }).collect_view()}
        </footer>
    }
}
