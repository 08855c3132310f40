//! The page's wiring: the state ([`Page`]), the engine round trip ([`Engine`]) and the
//! panels that draw them. The parts live in their own modules; this one only arranges them.
//!
//! Edits re-simulate after a short pause in typing. The scenario is kept in the browser's
//! local storage, and the default one is loaded on the first visit.

use std::time::Duration;

use leptos::prelude::*;

use crate::actions::ActionsPanel;
use crate::config_panel::ConfigPanel;
use crate::editor::Editor;
use crate::glue::{Op, Request, Source};
use crate::inspector::Inspector;
use crate::page::{self, Page};
use crate::run::Engine;
use crate::timeline_view::TimelineView;
use crate::toolbar::Toolbar;

const STORAGE_KEY: &str = "stage-playground/scenario/v1";
/// How long typing must pause before the engine simulates the text again.
const EDIT_PAUSE: Duration = Duration::from_millis(400);

#[component]
pub fn App() -> impl IntoView {
    let page = Page::new(load_saved().unwrap_or_else(page::default_scenario));
    let engine = Engine::new(page);

    // Simulate after each pause in typing; the first pass runs at once.
    let edit_timer = StoredValue::new_local(None::<TimeoutHandle>);
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        page.stages.track();
        page.objects.track();
        page.settings.track();
        page.actions.track();
        if first.get_value() {
            first.set_value(false);
            engine.send(Op::Run);
            return;
        }
        edit_timer.update_value(|timer| {
            if let Some(timer) = timer.take() {
                timer.clear();
            }
            *timer = set_timeout_with_handle(
                move || {
                    save(&page.request(Op::Run));
                    engine.send(Op::Run);
                },
                EDIT_PAUSE,
            )
            .ok();
        });
    });

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

    view! {
        <div class="app">
            <Toolbar page=page engine=engine />
            <main class="workspace">
                <div class="column inputs">
                    <Editor title="Stages" name="stages" text=page.stages problems=problems_of(Source::Stages) />
                    <Editor title="Objects" name="objects" text=page.objects problems=problems_of(Source::Objects) />
                </div>
                <div class="column results">
                    <ConfigPanel settings=page.settings />
                    <Show when=move || !general_problems.with(Vec::is_empty)>
                        <ul class="banner problems">
                            <For each=move || general_problems.get() key=|p| p.message.clone() let:problem>
                                <li class="problem">{problem.message}</li>
                            </For>
                        </ul>
                    </Show>
                    <TimelineView page=page />
                    <div class="details">
                        <Inspector page=page />
                        <ActionsPanel page=page />
                    </div>
                </div>
            </main>
        </div>
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load_saved() -> Option<Request> {
    let text = storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn save(request: &Request) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(request)) {
        // A full or disabled storage only loses the saved scenario.
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}
