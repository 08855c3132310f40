//! The page's wiring: the state ([`Page`]), the engine round trip ([`Engine`]) and the
//! panels that draw them. The parts live in their own modules; this one only arranges them.
//!
//! Edits re-simulate after a short pause in typing. What the page opens with (a link, the
//! saved work or the default), autosave and embed mode are [`Sharing`]'s.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::actions::ActionsPanel;
use crate::config_panel::ConfigPanel;
use crate::confirm::ConfirmDialog;
use crate::details;
use crate::editor::Editor;
use crate::events::EventsPane;
use crate::files::{DropZone, Target};
use crate::glue::{Op, Source};
use crate::inspector::Inspector;
use crate::page::Page;
use crate::run::Engine;
use crate::share_ui::{EmbedBar, ShareBanners, ShareControls, Sharing, Start};
use crate::timeline_view::TimelineView;
use crate::toolbar::Toolbar;

#[component]
pub fn App() -> impl IntoView {
    let start = Start::read();
    let page = Page::new(start.request.clone());
    let engine = Engine::new(page);
    let sharing = Sharing::new(page, start);
    provide_context(sharing);
    details::follow_selection(page, engine);

    // Simulate after each pause in typing; the first pass runs at once.
    page.inputs_changed(
        move || sharing.first_run(move || engine.send(Op::Run)),
        move || engine.run_after_pause(),
    );

    // Which of the actions and the events the side column shows on a desktop.
    let side_tab = RwSignal::new("actions");

    let problems_of = move |source: Source| {
        Signal::derive(move || {
            page.problems.with(|all| {
                all.iter()
                    .filter(|p| p.source == source)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let general_problems = Signal::derive(move || {
        page.problems.with(|all| {
            all.iter()
                .filter(|p| {
                    matches!(
                        p.source,
                        Source::Settings | Source::Actions | Source::Engine
                    )
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    // In embed mode the chrome goes, only the panels asked for are drawn, and a readonly
    // embed disables every input. The embed options never change, so each panel is drawn
    // or left out once, when the page is built.
    let embedded = sharing.embed().is_some();
    let readonly = sharing.readonly();
    view! {
        <div class="app" class:embed=embedded class:readonly=readonly
            style:height=sharing.embed().and_then(|embed| embed.height)>
            {(!embedded).then(|| view! {
                <Toolbar page=page engine=engine><ShareControls sharing=sharing /></Toolbar>
            })}
            <ShareBanners sharing=sharing />
            <ConfirmDialog confirm=sharing.dialog />
            <main class="workspace">
                <fieldset class="column inputs" disabled=readonly
                    class:hidden=!(sharing.shows("stages") || sharing.shows("objects"))>
                    {sharing.shows("stages").then(|| view! {
                        <DropZone sharing=sharing target=Target::Stages>
                            <Editor title="Stages" name="stages" text=page.stages problems=problems_of(Source::Stages) />
                        </DropZone>
                    })}
                    {sharing.shows("objects").then(|| view! {
                        <DropZone sharing=sharing target=Target::Objects>
                            <Editor title="Objects" name="objects" text=page.objects problems=problems_of(Source::Objects) />
                        </DropZone>
                    })}
                </fieldset>
                <div class="column results">
                    {sharing.shows("config").then(|| view! {
                        <fieldset class="config-fields" disabled=readonly>
                            <ConfigPanel settings=page.settings />
                        </fieldset>
                    })}
                    <Show when=move || !general_problems.with(Vec::is_empty)>
                        <ul class="banner problems">
                            {move || {
                                general_problems
                                    .get()
                                    .into_iter()
                                    .map(|problem| view! { <li class="problem">{problem.message}</li> })
                                    .collect_view()
                            }}
                        </ul>
                    </Show>
                    {sharing.shows("timeline").then(|| view! {
                        <TimelineView page=page />
                    })}
                    <div class="details">
                        {sharing.shows("inspector").then(|| view! {
                            <Inspector page=page engine=engine />
                        })}
                        <div class="side" class:tabbed=!embedded data-tab=move || side_tab.get()>
                            {(!embedded).then(|| view! {
                                <SideTabs tab=side_tab />
                                <ActionsPanel page=page />
                            })}
                            <EventsPane page=page tab_panel=!embedded />
                        </div>
                    </div>
                </div>
            </main>
            {embedded.then(|| view! {
                <EmbedBar sharing=sharing />
            })}
        </div>
    }
}

/// The tabs between the actions and the events. On a desktop the side column is too short
/// for both at once (at 1440x900 the events would sit below the fold of a nested scroller),
/// so they take turns; on a phone both stack and the tabs are hidden (see style.css). As
/// ARIA tabs do, the selected tab alone is in the Tab order and the arrow keys, Home and End
/// move between them.
#[component]
fn SideTabs(tab: RwSignal<&'static str>) -> impl IntoView {
    const TABS: [(&str, &str); 2] = [("actions", "Actions"), ("events", "Events")];
    let choose = move |place: usize| {
        let (name, _) = TABS[place];
        tab.set(name);
        let button = document()
            .get_element_by_id(&format!("side-tab-{name}"))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(button) = button {
            let _ = button.focus();
        }
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        let at = TABS
            .iter()
            .position(|(name, _)| *name == tab.get_untracked())
            .unwrap_or(0);
        let last = TABS.len() - 1;
        let place = match event.key().as_str() {
            "ArrowRight" => (at + 1) % TABS.len(),
            "ArrowLeft" => (at + last) % TABS.len(),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        event.prevent_default();
        choose(place);
    };
    let buttons = TABS.map(|(name, title)| {
        let selected = move || tab.get() == name;
        view! {
            <button role="tab" class="side-tab" data-side-tab=name id=format!("side-tab-{name}")
                aria-controls=format!("side-{name}")
                aria-selected=move || selected().to_string()
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| tab.set(name)>{title}</button>
        }
    });
    view! {
        <div class="side-tabs" role="tablist" aria-label="Actions and events" on:keydown=on_key>
            {buttons}
        </div>
    }
}
