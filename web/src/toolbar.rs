//! The top bar: the page's name, the run's status, and the Reset, Run and Stop buttons.

use std::sync::Arc;

use leptos::prelude::*;
use stage_engine::timeline::Timeline;

use crate::gallery::Gallery;
use crate::glue::Op;
use crate::page::{Page, Status};
use crate::presets;
use crate::run::{BUDGET, Engine, cut_short};
use crate::theme::ThemeToggle;

/// `children` are extra controls placed before Reset (sharing, import, export).
#[component]
pub fn Toolbar(
    page: Page,
    engine: Engine,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    // Reset asks with the page's own dialog before it discards edits (see share_ui).
    let sharing = use_context::<crate::share_ui::Sharing>();
    let reset = move |_| match sharing {
        Some(sharing) => sharing.reset(),
        None => {
            page.load(presets::default_scenario());
            engine.send(Op::Run);
        }
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true"></span>
                <h1>"Stage Playground"</h1>
                <span class="tagline">"kwok v0.8 Stages, played on a virtual clock"</span>
            </div>
            <div class="top-actions">
                <StatusLine status=page.status timeline=page.timeline />
                {children.map(|children| children())}
                <Gallery page=page engine=engine />
                <ThemeToggle />
                <button class="ghost" on:click=reset title="Load the default scenario again">"Reset"</button>
                <Show
                    when=move || engine.running()
                    fallback=move || view! {
                        <button class="primary run" on:click=move |_| engine.send(Op::Run)
                            title="Simulate the scenario again">"Run"</button>
                    }
                >
                    <button class="danger stop" on:click=move |_| engine.stop()
                        title=format!("End the simulation (it is ended anyway after {} s)", BUDGET.as_secs())>
                        "Stop"
                    </button>
                </Show>
            </div>
        </header>
    }
}

/// The run's status in words, with a dot: green for a run that ended on its own, amber for
/// one the page cut short or stopped, red for input or engine failures.
#[component]
fn StatusLine(
    status: RwSignal<Status>,
    timeline: RwSignal<Option<Arc<Timeline>>>,
) -> impl IntoView {
    let text = move || match status.get() {
        Status::Idle => String::new(),
        Status::Running { .. } => format!("Simulating… (budget {} s)", BUDGET.as_secs()),
        Status::Ran {
            plays,
            stop,
            took_ms: Some(took_ms),
        } => format!("{plays} plays · {stop} · {took_ms:.0} ms"),
        Status::Ran {
            plays,
            stop,
            took_ms: None,
        } => format!("{plays} plays · {stop}"),
        Status::Rejected(1) => "1 problem in the input".to_string(),
        Status::Rejected(n) => format!("{n} problems in the input"),
        Status::Stopped(message) | Status::Failed(message) => message,
    };
    let class = move || match status.get() {
        Status::Rejected(_) | Status::Failed(_) => "status bad",
        Status::Stopped(_) => "status warn",
        Status::Ran { .. } if timeline.with(|t| t.as_deref().is_some_and(cut_short)) => {
            "status cut"
        }
        Status::Ran { .. } => "status good",
        Status::Running { .. } => "status busy",
        Status::Idle => "status",
    };
    let state = move || match status.get() {
        Status::Idle => "idle",
        Status::Running { .. } => "running",
        Status::Ran { .. } => "ran",
        Status::Rejected(_) => "rejected",
        Status::Stopped(_) => "stopped",
        Status::Failed(_) => "failed",
    };
    // The first visit's run took no time now; the line says so when asked.
    let title = move || {
        matches!(status.get(), Status::Ran { took_ms: None, .. })
            .then_some("Run when the page was built; an edit runs it again")
    };
    view! { <span class=class data-status=state role="status" title=title>{text}</span> }
}
