//! The page: its state, the Run button and the worker round trip. The children draw.
//!
//! State lives in signals here; everything shown is derived from them: the editors' text,
//! the settings, the last answer (timeline or problems), the cursor and the selected play.
//! Edits are checked by the engine after a short pause, so problems show while typing; Run
//! simulates. The scenario is kept in the browser's local storage, and the default one is
//! loaded on the first visit.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use stage_engine::timeline::{StopReason, Timeline};

use crate::editor::Editor;
use crate::glue::{Op, Problem, Request, Response, Settings, Source};
use crate::inspector::Inspector;
use crate::lanes::{self, Lanes};
use crate::playback::{self, Cursor};
use crate::presets;
use crate::timeline_view::TimelineView;
use crate::worker::Runner;

const STORAGE_KEY: &str = "stage-playground/scenario/v1";
/// How long typing must pause before the engine checks the text.
const CHECK_PAUSE: Duration = Duration::from_millis(350);

/// Where a run stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Running,
    Ran {
        plays: usize,
        stop: String,
        took_ms: f64,
    },
    Rejected(usize),
    Failed(String),
}

#[component]
pub fn App() -> impl IntoView {
    let saved = load_saved();
    let stages = RwSignal::new(
        saved
            .as_ref()
            .map(|s| s.stages.clone())
            .unwrap_or_else(presets::default_stages),
    );
    let objects = RwSignal::new(
        saved
            .as_ref()
            .map(|s| s.objects.clone())
            .unwrap_or_else(|| presets::OBJECTS.to_string()),
    );
    let settings = RwSignal::new(saved.map(|s| s.settings).unwrap_or_else(default_settings));

    let problems = RwSignal::new(Vec::<Problem>::new());
    let timeline = RwSignal::new(None::<Arc<Timeline>>);
    let status = RwSignal::new(Status::Idle);
    let cursor = RwSignal::new(Cursor::default());
    let selected = RwSignal::new(None::<usize>);
    let lanes = Memo::new(move |_| timeline.get().map(|t| Arc::new(lanes::layout(&t))));

    let runner = StoredValue::new_local(Runner::default());
    let check_timer = StoredValue::new_local(None::<TimeoutHandle>);
    // One counter per kind of request: a check sent while a run is under way must not
    // make the page drop the run's answer (it would wait for it forever).
    let generation = StoredValue::new([0u64; 2]);

    let request = move |op: Op| Request {
        op,
        stages: stages.get_untracked(),
        objects: objects.get_untracked(),
        settings: settings.get_untracked(),
    };

    // Sends a request; of each kind, only the newest request's answer is shown.
    let send = move |op: Op| {
        let Ok(json) = serde_json::to_string(&request(op)) else {
            return;
        };
        let kind = match op {
            Op::Run => 0,
            Op::Check => 1,
        };
        let mine = generation.get_value()[kind] + 1;
        generation.update_value(|counts| counts[kind] = mine);
        if op == Op::Run {
            status.set(Status::Running);
            save(&request(op));
        }
        let started = now_ms();
        runner.with_value(|live| {
            live.run(json, move |answer| {
                if generation.get_value()[kind] != mine {
                    return;
                }
                let took_ms = now_ms() - started;
                match answer.map(|text| serde_json::from_str::<Response>(&text)) {
                    Ok(Ok(Response::Ok {
                        timeline: Some(ran),
                        warnings,
                    })) => {
                        problems.set(warnings);
                        let plays = ran.plays().count();
                        let stop = stop_text(&ran);
                        cursor.update(|c| {
                            *c = Cursor {
                                position_ms: 0.0,
                                playing: false,
                                ..*c
                            }
                        });
                        selected.set(None);
                        timeline.set(Some(Arc::from(ran)));
                        status.set(Status::Ran {
                            plays,
                            stop,
                            took_ms,
                        });
                    }
                    Ok(Ok(Response::Ok {
                        timeline: None,
                        warnings,
                    })) => {
                        problems.set(warnings);
                        if matches!(status.get_untracked(), Status::Rejected(_)) {
                            status.set(Status::Idle);
                        }
                    }
                    Ok(Ok(Response::Rejected { problems: found })) => {
                        status.set(Status::Rejected(found.len()));
                        problems.set(found);
                    }
                    Ok(Err(error)) => status.set(Status::Failed(format!(
                        "The engine's answer could not be read: {error}"
                    ))),
                    Err(failure) => {
                        runner.with_value(Runner::restart);
                        status.set(Status::Failed(format!("The engine stopped: {failure}")));
                    }
                }
            });
        });
    };

    // Check the input after each pause in typing; the first pass runs the scenario instead.
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        stages.track();
        objects.track();
        settings.track();
        if first.get_value() {
            first.set_value(false);
            send(Op::Run);
            return;
        }
        check_timer.update_value(|timer| {
            if let Some(timer) = timer.take() {
                timer.clear();
            }
            *timer = set_timeout_with_handle(move || send(Op::Check), CHECK_PAUSE).ok();
        });
    });

    let reset = move |_| {
        stages.set(presets::default_stages());
        objects.set(presets::OBJECTS.to_string());
        settings.set(default_settings());
        send(Op::Run);
    };

    let problems_of = move |source: Source| {
        Signal::derive(move || {
            problems.with(|all| {
                all.iter()
                    .filter(|p| p.source == source)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let general_problems = Signal::derive(move || {
        problems.with(|all| {
            all.iter()
                .filter(|p| matches!(p.source, Source::Settings | Source::Engine))
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    view! {
        <div class="app">
            <header class="topbar">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <h1>"Stage Playground"</h1>
                    <span class="tagline">"kwok v0.8 Stages, played on a virtual clock"</span>
                </div>
                <div class="top-actions">
                    <StatusLine status=status />
                    <button class="ghost" on:click=reset title="Load the default scenario again">"Reset"</button>
                    <button
                        class="primary run"
                        on:click=move |_| send(Op::Run)
                        disabled=move || status.get() == Status::Running
                    >
                        {move || if status.get() == Status::Running { "Running…" } else { "Run" }}
                    </button>
                </div>
            </header>
            <main class="workspace">
                <div class="column inputs">
                    <Editor title="Stages" name="stages" text=stages problems=problems_of(Source::Stages) />
                    <Editor title="Objects" name="objects" text=objects problems=problems_of(Source::Objects) />
                </div>
                <div class="column results">
                    <ConfigPanel settings=settings />
                    <Show when=move || !general_problems.with(Vec::is_empty)>
                        <ul class="banner problems">
                            <For each=move || general_problems.get() key=|p| p.message.clone() let:problem>
                                <li class="problem">{problem.message}</li>
                            </For>
                        </ul>
                    </Show>
                    <TimelineView timeline=timeline lanes=lanes cursor=cursor selected=selected />
                    <Inspector timeline=timeline lanes=lanes selected=selected />
                </div>
            </main>
        </div>
    }
}

#[component]
fn StatusLine(status: RwSignal<Status>) -> impl IntoView {
    let text = move || match status.get() {
        Status::Idle => String::new(),
        Status::Running => "Simulating…".to_string(),
        Status::Ran {
            plays,
            stop,
            took_ms,
        } => format!("{plays} plays · {stop} · {took_ms:.0} ms"),
        Status::Rejected(1) => "1 problem in the input".to_string(),
        Status::Rejected(n) => format!("{n} problems in the input"),
        Status::Failed(message) => message,
    };
    let class = move || match status.get() {
        Status::Rejected(_) | Status::Failed(_) => "status bad",
        Status::Ran { .. } => "status good",
        _ => "status",
    };
    view! { <span class=class data-status="">{text}</span> }
}

#[component]
fn ConfigPanel(settings: RwSignal<Settings>) -> impl IntoView {
    let text_field = move |label: &'static str,
                           name: &'static str,
                           get: fn(&Settings) -> String,
                           set: fn(&mut Settings, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    type="text"
                    name=name
                    spellcheck="false"
                    prop:value=move || settings.with(get)
                    on:change=move |event| settings.update(|s| set(s, event_target_value(&event)))
                />
            </label>
        }
    };
    let number_field = move |label: &'static str,
                             name: &'static str,
                             get: fn(&Settings) -> i64,
                             set: fn(&mut Settings, i64)| {
        view! {
            <label class="field narrow">
                <span>{label}</span>
                <input
                    type="number"
                    name=name
                    min="0"
                    prop:value=move || settings.with(get).to_string()
                    on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).trim().parse::<i64>() {
                            settings.update(|s| set(s, value.max(0)));
                        }
                    }
                />
            </label>
        }
    };
    view! {
        <section class="panel config">
            <header class="panel-head"><h2>"Controller"</h2></header>
            <div class="fields">
                {text_field("Node IP", "node-ip", |s| s.node_ip.clone(), |s, v| s.node_ip = v)}
                {text_field("Pod CIDR", "cidr", |s| s.cidr.clone(), |s, v| s.cidr = v)}
                {number_field("Seed", "seed", |s| s.seed as i64, |s, v| s.seed = v as u64)}
                {number_field("Minutes", "horizon", |s| s.horizon_ms / 60_000, |s, v| s.horizon_ms = v.saturating_mul(60_000))}
                {number_field("Max plays", "max-plays", |s| s.max_plays as i64, |s, v| s.max_plays = v as u64)}
            </div>
        </section>
    }
}

fn default_settings() -> Settings {
    crate::glue::default_settings(presets::HORIZON_MS, presets::MAX_PLAYS)
}

fn stop_text(timeline: &Timeline) -> String {
    let start = stage_kube::time::parse_rfc3339(&timeline.start).unwrap_or_default();
    let at = playback::clock((timeline.stop.at.0 - start) / 1_000_000);
    let why = match timeline.stop.reason {
        StopReason::Settled => "settled",
        StopReason::Horizon => "reached the horizon",
        StopReason::MaxPlays => "reached the most plays",
        StopReason::ZeroDelayLoop => "stopped a zero-delay loop",
    };
    format!("{why} at {at}")
}

/// Lanes of the current answer, for children that need them.
pub type SharedLanes = Memo<Option<Arc<Lanes>>>;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
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
