//! The timeline: transport controls, a time axis, one lane per object grouped by kind, a
//! marker per Stage played and the cursor. The cursor moves on animation frames while
//! playing; what is drawn is a function of the timeline and the cursor's position only.

use std::cell::{Cell, RefCell};
use std::fmt::Write;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use stage_engine::timeline::{Entry, StopReason, Timeline};

use crate::highlight::escape;
use crate::lanes::{Lane, Marker};
use crate::page::{Page, Status};
use crate::playback::{self, Cursor, SPEEDS};
use crate::share_ui::Sharing;

/// Spans the axis can show, in milliseconds; 0 shows the whole run.
const ZOOMS: &[(i64, &str)] = &[
    (0, "Whole run"),
    (300_000, "5 min"),
    (60_000, "1 min"),
    (10_000, "10 s"),
];
/// Above this many objects the timeline draws lanes a page at a time: a lane per object for
/// thousands of objects would keep the page busy for seconds on each answer.
const MANY_LANES: usize = 100;
/// How many lanes one page adds.
const LANE_PAGE: usize = 100;
/// Tick spacings to choose from, in milliseconds.
const TICKS: &[i64] = &[
    100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    1_800_000, 3_600_000,
];

/// The part of the axis on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Window {
    /// The window of a zoom: the whole run, or `span_ms` that keeps the cursor in its first
    /// three quarters, so playing scrolls the view along.
    pub fn around(cursor_ms: i64, span_ms: i64, end_ms: i64) -> Window {
        if span_ms <= 0 || span_ms >= end_ms {
            return Window {
                from_ms: 0,
                to_ms: end_ms.max(1),
            };
        }
        let from_ms = (cursor_ms - span_ms * 3 / 4).div_euclid(span_ms / 4) * (span_ms / 4);
        let from_ms = from_ms.clamp(0, end_ms - span_ms);
        Window {
            from_ms,
            to_ms: from_ms + span_ms,
        }
    }

    /// Where a time sits, in percent of the window's width.
    pub fn percent(self, ms: i64) -> f64 {
        (ms - self.from_ms) as f64 * 100.0 / (self.to_ms - self.from_ms).max(1) as f64
    }

    pub fn span(self) -> i64 {
        self.to_ms - self.from_ms
    }

    pub fn contains(self, ms: i64) -> bool {
        (self.from_ms..=self.to_ms).contains(&ms)
    }

    /// Tick times: the first spacing that gives at most ten ticks.
    pub fn ticks(self) -> Vec<i64> {
        let span = self.to_ms - self.from_ms;
        let step = TICKS
            .iter()
            .copied()
            .find(|&step| span / step <= 10)
            .unwrap_or(span.max(1));
        let first = (self.from_ms + step - 1).div_euclid(step) * step;
        (0..)
            .map(|n| first + n * step)
            .take_while(|&t| t <= self.to_ms)
            .collect()
    }
}

#[component]
pub fn TimelineView(page: Page) -> impl IntoView {
    let Page {
        timeline,
        lanes,
        cursor,
        selected,
        object,
        inspected,
        ..
    } = page;
    let zoom = RwSignal::new(60_000i64);
    let end_ms = Signal::derive(move || lanes.with(|l| l.as_ref().map(|l| l.end_ms).unwrap_or(1)));
    let window = Memo::new(move |_| Window::around(cursor.get().at_ms(), zoom.get(), end_ms.get()));
    let play = move || toggle_play(page);
    let step_back = move || {
        if let Some(lanes) = lanes.get_untracked() {
            cursor.update(|c| *c = c.step_back(&lanes));
        }
    };
    let step_forward = move || {
        if let Some(lanes) = lanes.get_untracked() {
            cursor.update(|c| *c = c.step_forward(&lanes));
        }
    };
    // Space plays and pauses, the arrows step, Home and End jump, unless a field has the
    // keyboard (the editors, the settings, a button that takes Space itself).
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing(&event) {
            return;
        }
        let handled = match event.key().as_str() {
            " " => {
                play();
                true
            }
            "ArrowRight" => {
                step_forward();
                true
            }
            "ArrowLeft" => {
                step_back();
                true
            }
            "Home" => {
                cursor.update(|c| *c = c.seek(0, end_ms.get_untracked()));
                true
            }
            "End" => {
                let end = end_ms.get_untracked();
                cursor.update(|c| *c = c.seek(end, end));
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());

    // The time of the last marker the cursor reached, on any lane: the lanes redraw and the
    // live region announces only when it changes.
    let reached_ms = page.reached_ms;
    let announcement = Memo::new(move |_| {
        let Some(time) = reached_ms.get() else {
            return String::new();
        };
        lanes.with(|l| {
            let Some(l) = l.as_ref() else {
                return String::new();
            };
            let plays: Vec<String> = l
                .groups
                .iter()
                .flat_map(|group| &group.lanes)
                .flat_map(|lane| {
                    lane.markers
                        .iter()
                        .filter(move |m| m.time_ms == time)
                        .map(move |m| format!("{} on {}", m.stage, lane.key))
                })
                .take(5)
                .collect();
            format!("{}: {}", playback::clock(time), plays.join("; "))
        })
    });

    let scrub = move |event| {
        if let Ok(ms) = event_target_value(&event).parse::<i64>() {
            cursor.update(|c| *c = c.seek(ms, end_ms.get_untracked()));
        }
    };

    // How many lanes are drawn when the answer has more than MANY_LANES; a new answer starts
    // again from one page.
    let drawn = RwSignal::new(LANE_PAGE);
    Effect::new(move |_| {
        lanes.track();
        drawn.set(LANE_PAGE);
    });

    let body = move || {
        let Some(current) = lanes.get() else {
            return view! { <div class="empty">"Run the scenario to see its timeline."</div> }
                .into_any();
        };
        if current.groups.is_empty() {
            return view! { <div class="empty">"The run created no objects."</div> }.into_any();
        }
        let total: usize = current.groups.iter().map(|group| group.lanes.len()).sum();
        let limit = if total > MANY_LANES {
            drawn.get()
        } else {
            total
        };
        let mut left = limit;
        let shown: Vec<usize> = current
            .groups
            .iter()
            .map(|group| {
                let here = group.lanes.len().min(left);
                left -= here;
                here
            })
            .collect();
        let groups = current
            .groups
            .iter()
            .zip(shown)
            .filter(|&(_, here)| here > 0)
            .map(|(group, here)| {
                let rows = group
                    .lanes
                    .iter()
                    .take(here)
                    .map(|lane| view! { <LaneRow lane=lane.clone() timeline=timeline cursor=cursor end_ms=current.end_ms reached_ms=reached_ms selected=selected inspected=inspected object=object /> })
                    .collect_view();
                view! {
                    <div class="group" data-kind=group.kind.clone()>
                        <div class="group-head">
                            <span class="kind">{group.kind.clone()}</span>
                            <span class="meta">{group.lanes.len()}</span>
                        </div>
                        {rows}
                    </div>
                }
            })
            .collect_view();
        // Everything on a lane carries its time in milliseconds, and style.css places it in
        // the window these two name: zooming and scrolling write only them.
        view! {
            <div class="lanes" style:--window-from=move || window.get().from_ms.to_string()
                style:--window-span=move || window.get().span().max(1).to_string()>
                <div class="axis-row">
                    <div class="lane-label"></div>
                    <div class="axis">
                        {move || window.get().ticks().into_iter().map(|t| {
                            let left = format!("{:.3}%", window.get_untracked().percent(t));
                            view! { <span class="tick" style:left=left>{tick_label(t)}</span> }
                        }).collect_view()}
                    </div>
                </div>
                {groups}
                {(limit < total).then(|| {
                    let more = LANE_PAGE.min(total - limit);
                    view! {
                        <div class="lanes-more" data-drawn=limit data-total=total>
                            <span class="meta">{format!("{limit} of {total} objects drawn")}</span>
                            <button class="ghost" on:click=move |_| drawn.update(|d| *d += LANE_PAGE)>
                                {format!("Draw {more} more")}
                            </button>
                        </div>
                    }
                })}
                // The cursor moves by a transform (see style.css), so that moving it each
                // frame repaints neither the lanes under it nor their markers.
                <div class="cursor-layer" aria-hidden="true">
                    <div class="cursor" style:--at=move || format!("{:.3}", window.get().percent(cursor.get().at_ms()))
                        class:hidden=move || !window.get().contains(cursor.get().at_ms())></div>
                </div>
            </div>
            <Legend stages=current.played.iter().map(|&colour| (colour, current.stages[colour].clone())).collect() />
        }
        .into_any()
    };

    // An embed without editable settings cannot raise the Horizon or Max plays itself: its
    // reader can only open the scenario in the playground.
    let settings_here = use_context::<Sharing>()
        .is_none_or(|sharing| sharing.shows("config") && !sharing.readonly());
    let stop_note = move || {
        timeline.with(|t| {
            let t = t.as_ref()?;
            let why = match (t.stop.reason, settings_here) {
                (StopReason::Settled, _) => return None,
                // Stages that repeat, such as heartbeats, always end a run at the horizon:
                // one muted line says so (style.css), not a warning.
                (StopReason::Horizon, true) => "Stages still due after the horizon (such as heartbeats) did not play; raise the Horizon in the controller panel to see them.",
                (StopReason::Horizon, false) => "Stages still due after the horizon (such as heartbeats) did not play; open it in the Stage Playground (the link below) to see them.",
                (StopReason::MaxPlays, true) => "Raise Max plays or lower the Horizon in the controller panel.",
                (StopReason::MaxPlays, false) => "To see the rest, open it in the Stage Playground (the link below) and raise Max plays there.",
                (StopReason::ZeroDelayLoop, _) => "The run was stopped: an object kept playing Stages without the clock moving (a zero-delay loop).",
            };
            // A run cut short by the play bound says how far it got: with many objects, most
            // lanes can be empty because the bound came first.
            let cut = (t.stop.reason == StopReason::MaxPlays).then(|| {
                let unplayed = lanes.with(|l| l.as_ref().map(|l| l.unplayed()));
                match unplayed {
                    Some((0, _)) | None => {
                        "The run reached the most plays allowed and was cut short. ".to_string()
                    }
                    Some((unplayed, all)) => format!(
                        "The run reached the most plays allowed and was cut short: {unplayed} of the {all} objects got no play at all. "
                    ),
                }
            });
            let detail = (!t.stop.message.is_empty()).then(|| format!(" {}", t.stop.message));
            let reason = match t.stop.reason {
                StopReason::Settled => "settled",
                StopReason::Horizon => "horizon",
                StopReason::MaxPlays => "maxplays",
                StopReason::ZeroDelayLoop => "zerodelayloop",
            };
            Some(view! {
                <p class="timeline-note bound" data-stop=reason title=(t.stop.reason == StopReason::Horizon).then_some(why)>
                    {cut}{why}{detail}
                </p>
            })
        })
    };
    let stale_note = move || {
        page.stale().then(|| {
            let text = match page.status.get() {
                Status::Running { .. } => "The input changed: simulating it again…",
                Status::Rejected(_) => "The input has problems: this is the last run that loaded.",
                Status::Stopped(_) => {
                    "This is the previous run's timeline: the new one was stopped."
                }
                _ => "The input changed since this run.",
            };
            view! { <p class="timeline-note stale-note" role="status">{text}</p> }
        })
    };

    view! {
        <section class="panel timeline" class:stale=move || page.stale()>
            <header class="panel-head">
                <h2>"Timeline"</h2>
                <div class="transport">
                    <button class="icon" title="Previous play" on:click=move |_| step_back() aria-label="Step back" aria-keyshortcuts="ArrowLeft">
                        <svg viewBox="0 0 16 16"><path d="M3 2h2v12H3zM14 2v12L6 8z" /></svg>
                    </button>
                    <button class="icon play" title="Play or pause" on:click=move |_| play() aria-label=move || if cursor.get().playing { "Pause" } else { "Play" } aria-keyshortcuts="Space"
                        data-playing=move || cursor.get().playing.to_string()>
                        {move || if cursor.get().playing {
                            view! { <svg viewBox="0 0 16 16"><path d="M3 2h4v12H3zM9 2h4v12H9z" /></svg> }.into_any()
                        } else {
                            view! { <svg viewBox="0 0 16 16"><path d="M4 2v12l10-6z" /></svg> }.into_any()
                        }}
                    </button>
                    <button class="icon" title="Next play" on:click=move |_| step_forward() aria-label="Step forward" aria-keyshortcuts="ArrowRight">
                        <svg viewBox="0 0 16 16"><path d="M11 2h2v12h-2zM2 2v12l8-6z" /></svg>
                    </button>
                    <input class="scrubber" type="range" min="0" step="1"
                        prop:max=move || end_ms.get().to_string()
                        prop:value=move || cursor.get().at_ms().to_string()
                        on:input=scrub aria-label="Position" />
                    <span class="clock" data-position-ms=move || cursor.get().at_ms().to_string()>
                        {move || playback::clock(cursor.get().at_ms())}
                        <span class="of">{move || format!(" / {}", playback::clock(end_ms.get()))}</span>
                    </span>
                    <select class="speed" aria-label="Speed" on:change=move |event| {
                        if let Ok(speed) = event_target_value(&event).parse::<f64>() {
                            cursor.update(|c| c.speed = speed);
                        }
                    }>
                        {SPEEDS.iter().map(|&speed| view! {
                            <option value=speed.to_string() selected=move || cursor.get_untracked().speed == speed>{playback::speed_label(speed)}</option>
                        }).collect_view()}
                    </select>
                    <select class="zoom" aria-label="Zoom" on:change=move |event| {
                        if let Ok(span) = event_target_value(&event).parse::<i64>() {
                            zoom.set(span);
                        }
                    }>
                        {ZOOMS.iter().map(|&(span, label)| view! {
                            <option value=span.to_string() selected=move || zoom.get_untracked() == span>{label}</option>
                        }).collect_view()}
                    </select>
                </div>
            </header>
            <div class="sr-only" aria-live="polite" aria-atomic="true" data-announce="">{announcement}</div>
            {stale_note}
            {stop_note}
            <div class="timeline-body">{body}</div>
        </section>
    }
}

#[component]
fn LaneRow(
    lane: Lane,
    timeline: RwSignal<Option<Arc<Timeline>>>,
    cursor: RwSignal<Cursor>,
    /// The end of the whole axis.
    end_ms: i64,
    /// The time of the last marker (on any lane) at or before the cursor.
    reached_ms: Memo<Option<i64>>,
    /// The clicked play.
    selected: RwSignal<Option<usize>>,
    /// The play the inspector shows, which the ring marks: the clicked one only until the
    /// cursor reaches a later play of the object.
    inspected: Memo<Option<usize>>,
    object: RwSignal<Option<String>>,
) -> impl IntoView {
    let key = lane.key.clone();
    // How many of the lane's markers the cursor has reached. Playing moves the cursor every
    // frame, but this is read from the last marker time reached on any lane, which changes
    // far less often; a lane's markers and phase are drawn again only when its count
    // changes, so a thousand lanes stay cheap.
    let times: Vec<i64> = lane.markers.iter().map(|marker| marker.time_ms).collect();
    let reached = Memo::new(move |_| {
        let at = reached_ms.get().unwrap_or(-1);
        times.partition_point(|&time| time <= at)
    });
    // Every play records the object's phase afterwards, also in a summary.
    let phase = {
        let entries: Vec<usize> = lane.markers.iter().map(|marker| marker.entry).collect();
        move || {
            let entry = *entries.get(reached.get().checked_sub(1)?)?;
            timeline.with(|t| match t.as_ref()?.entries.get(entry)? {
                Entry::Play(play) => play.phase.clone(),
                _ => None,
            })
        }
    };
    let deleted_ms = lane.deleted_ms;
    // A user action is a thin bar across the lane (the accent colour; red when refused), so
    // an edit that no Stage reacts to still shows when it happened. Its time is in
    // `data-action-ms`: `data-time-ms` marks Stage applications only.
    let actions = lane
        .actions
        .iter()
        .map(|mark| {
            let when = playback::clock(mark.time_ms);
            let title = match &mark.error {
                Some(error) => format!("{} at {when}, refused: {error}", mark.action),
                None => format!("{} at {when}", mark.action),
            };
            view! {
                <span class="action-mark" role="img" title=title.clone() aria-label=title
                    data-action=mark.action.clone() data-action-ms=mark.time_ms
                    data-refused=mark.error.is_some().then_some("true")
                    style:--t=mark.time_ms.to_string()></span>
            }
        })
        .collect_view();

    // The markers are one piece of HTML, written once: a reactive view per marker made a
    // long run's tens of thousands of plays take seconds to draw and each click as long.
    // What changes after (the markers reached, the ring) one effect per lane writes onto the
    // markers that change, and one listener on the lane takes the clicks of all of them.
    let markers = Arc::new(lane.markers.clone());
    let drawn = Rc::new(Cell::new(MarkerState {
        reached: reached.get_untracked(),
        ring: ring_index(&markers, inspected.get_untracked()),
    }));
    let html = markers_html(&lane.key, &markers, drawn.get());
    let marks = NodeRef::<leptos::html::Div>::new();
    let elements: Rc<RefCell<Vec<web_sys::Element>>> = Rc::default();
    Effect::new({
        let markers = markers.clone();
        move |_| {
            let now = MarkerState {
                reached: reached.get(),
                ring: ring_index(&markers, inspected.get()),
            };
            let Some(container) = marks.get() else {
                return;
            };
            let mut elements = elements.borrow_mut();
            if elements.is_empty() {
                *elements = marker_elements(&container);
            }
            for index in drawn.get().changed(now) {
                if let (Some(element), Some(marker)) = (elements.get(index), markers.get(index)) {
                    let _ = element.set_attribute("class", &now.class(index, marker.failed));
                }
            }
            drawn.set(now);
        }
    });
    let click = {
        let markers = markers.clone();
        let owner = lane.key.clone();
        move |event: web_sys::MouseEvent| {
            let Some(index) =
                clicked_entry(&event).and_then(|entry| ring_index(&markers, Some(entry)))
            else {
                return;
            };
            let marker = &markers[index];
            let time_ms = marker.time_ms;
            selected.set(Some(marker.entry));
            object.set(Some(owner.clone()));
            cursor.update(|c| *c = c.seek(time_ms, i64::MAX));
        }
    };
    // The inspected play's jitter: the range its delay was drawn from.
    let jitter = move || {
        let marker = &markers[ring_index(&markers, inspected.get())?];
        let (min, max) = marker.range_ms?;
        let colour = format!("var(--stage-{})", marker.colour % 12);
        Some(view! {
            <span class="jitter-range" aria-hidden="true"
                title=format!("delay drawn from {} to {}", playback::clock(min), playback::clock(max))
                style:--t=min.max(0).to_string() style:--t-end=max.min(end_ms).to_string() style:--c=colour></span>
        })
    };
    view! {
        <div class="lane" data-lane=key.clone() class:chosen={
            let key = key.clone();
            move || object.get().as_deref() == Some(key.as_str())
        }>
            <div class="lane-label" title=key.clone() on:click={
                let key = key.clone();
                move |_| object.set(Some(key.clone()))
            }>
                <span class="name">{label_view(&lane.label)}</span>
                <span class="phase">{phase}</span>
            </div>
            <div class="track">
                <div class="track-inner">
                    {deleted_ms.map(|ms| view! { <span class="gone" style:--t=ms.to_string()></span> })}
                    {actions}
                    {jitter}
                    <div class="marks" node_ref=marks inner_html=html on:click=click></div>
                </div>
            </div>
        </div>
    }
}

/// What a lane's markers show: how many of them the cursor has reached, and which one (by
/// its place on the lane) carries the inspector's ring.
#[derive(Clone, Copy, Debug, PartialEq)]
struct MarkerState {
    reached: usize,
    ring: Option<usize>,
}

impl MarkerState {
    /// The places of the markers whose class differs between `self` and `now`.
    fn changed(self, now: MarkerState) -> impl Iterator<Item = usize> {
        let reached = self.reached.min(now.reached)..self.reached.max(now.reached);
        let rings = if self.ring == now.ring {
            [None, None]
        } else {
            [self.ring, now.ring]
        };
        let others = {
            let reached = reached.clone();
            rings
                .into_iter()
                .flatten()
                .filter(move |ring| !reached.contains(ring))
        };
        reached.chain(others)
    }

    /// The class of the marker at `index`.
    fn class(self, index: usize, failed: bool) -> String {
        let mut class = String::from("marker");
        if failed {
            class.push_str(" failed");
        }
        if index < self.reached {
            class.push_str(" past");
        }
        if self.ring == Some(index) {
            class.push_str(" selected");
        }
        class
    }
}

/// The place on the lane of the play `entry`, if it is one of the lane's (the markers are
/// in entry order).
fn ring_index(markers: &[Marker], entry: Option<usize>) -> Option<usize> {
    let entry = entry?;
    markers
        .binary_search_by_key(&entry, |marker| marker.entry)
        .ok()
}

/// A lane's markers and their delay spans as HTML, in the lane's order. Each marker is a
/// button carrying `data-object`, `data-stage`, `data-time-ms` and `data-entry`; its time
/// is also the `--t` of its style, in whole milliseconds, so that it sits at its time
/// however long the run and however close the zoom (style.css places it in the window).
fn markers_html(key: &str, markers: &[Marker], state: MarkerState) -> String {
    let mut html = String::with_capacity(markers.len() * 360);
    for (index, marker) in markers.iter().enumerate() {
        let colour = marker.colour % 12;
        let time_ms = marker.time_ms;
        if marker.matched_ms < time_ms {
            let from = marker.matched_ms.max(0);
            let _ = write!(
                html,
                r#"<span class="delay-span" aria-hidden="true" style="--t:{from};--t-end:{time_ms};--c:var(--stage-{colour})"></span>"#
            );
        }
        let _ = write!(
            html,
            r#"<button class="{}" style="--t:{time_ms};--c:var(--stage-{colour});--stack:{}" data-object=""#,
            state.class(index, marker.failed),
            marker.stacked,
        );
        escape(key, &mut html);
        html.push_str(r#"" data-stage=""#);
        escape(&marker.stage, &mut html);
        let _ = write!(
            html,
            r#"" data-time-ms="{time_ms}" data-entry="{}""#,
            marker.entry
        );
        if marker.failed {
            html.push_str(r#" data-failed="true""#);
        }
        html.push_str(r#" title=""#);
        escape(&marker.stage, &mut html);
        let _ = write!(html, " · {}", playback::clock(time_ms));
        if marker.failed {
            html.push_str(" · failed (see the inspector)");
        }
        html.push_str(r#"" aria-label=""#);
        escape(&marker.stage, &mut html);
        html.push_str(" on ");
        escape(key, &mut html);
        html.push_str(r#""></button>"#);
    }
    html
}

/// The marker buttons in a lane's markers container, in order.
fn marker_elements(container: &web_sys::Element) -> Vec<web_sys::Element> {
    let mut elements = Vec::new();
    let mut next = container.first_element_child();
    while let Some(element) = next {
        next = element.next_element_sibling();
        if element.tag_name().eq_ignore_ascii_case("button") {
            elements.push(element);
        }
    }
    elements
}

/// The entry of the play whose marker a click landed on.
fn clicked_entry(event: &web_sys::MouseEvent) -> Option<usize> {
    use wasm_bindgen::JsCast;
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let marker = target.closest(".marker").ok()??;
    marker.get_attribute("data-entry")?.parse().ok()
}

/// The Stages the run on show played, each with its colour (its index in
/// [`crate::lanes::Lanes::stages`]).
#[component]
fn Legend(stages: Vec<(usize, String)>) -> impl IntoView {
    view! {
        <ul class="legend">
            {stages.into_iter().map(|(colour, stage)| view! {
                <li data-stage=stage.clone()><span class="swatch" style:--c=format!("var(--stage-{})", colour % 12)></span>{stage.clone()}</li>
            }).collect_view()}
        </ul>
    }
}

/// Keeps the cursor moving while it plays: one step per animation frame, by the real time
/// since the previous frame. A newer loop (`id`) ends older ones.
/// Starts playing, or pauses: while playing, the cursor moves on animation frames.
pub fn toggle_play(page: Page) {
    page.cursor.update(|c| *c = c.toggle(end_of(page)));
    if page.cursor.get_untracked().playing {
        let id = page.frames.get_value() + 1;
        page.frames.set_value(id);
        animate(page, id, None);
    }
}

/// Starts playing unless the cursor already plays (an embed's `autoplay`).
pub fn play(page: Page) {
    if !page.cursor.get_untracked().playing {
        toggle_play(page);
    }
}

/// The end of the shown run's axis, read without tracking.
fn end_of(page: Page) -> i64 {
    page.lanes
        .with_untracked(|l| l.as_ref().map(|l| l.end_ms).unwrap_or(1))
}

fn animate(page: Page, id: u64, previous: Option<f64>) {
    request_animation_frame(move || {
        if page.frames.get_value() != id || !page.cursor.get_untracked().playing {
            return;
        }
        let now = web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0);
        if let Some(previous) = previous {
            page.cursor
                .update(|c| *c = c.advance(now - previous, end_of(page)));
        }
        animate(page, id, Some(now));
    });
}

/// True when a key goes to a field: a text input, a text area, a select, a button (which
/// Space presses) or a tab (which takes the arrows too).
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    match tag.as_str() {
        "textarea" | "select" => true,
        // The scrubber's own keys would move the clock by its 1 ms step: the page's keys win
        // there (the handler prevents the slider's default), and it stays draggable.
        "input" => element.get_attribute("type").as_deref() != Some("range"),
        // A tab moves to its neighbours with the arrows, Home and End (the side column's).
        "button" if element.get_attribute("role").as_deref() == Some("tab") => true,
        "button" => event.key() == " ",
        _ => element.has_attribute("contenteditable"),
    }
}

/// How many characters at the end of a lane's name always show: the part that tells
/// `web-0` from `web-1` and generated names (`report-7xk2p`) from each other.
const NAME_TAIL: usize = 6;

/// `namespace/name` with the namespace dimmed, so the names line up and stand out. A name
/// too long for the label is cut in the middle: the head ends in an ellipsis and the last
/// [`NAME_TAIL`] characters stay (the label's title has the whole key).
fn label_view(label: &str) -> AnyView {
    let (namespace, name) = match label.split_once('/') {
        Some((namespace, name)) => (Some(format!("{namespace}/")), name),
        None => (None, label),
    };
    let (head, tail) = split_tail(name, NAME_TAIL);
    view! {
        <span class="head">
            {namespace.map(|namespace| view! { <span class="ns">{namespace}</span> })}
            {head.to_string()}
        </span>
        <span class="tail">{tail.to_string()}</span>
    }
    .into_any()
}

/// `text` split before its last `count` characters.
fn split_tail(text: &str, count: usize) -> (&str, &str) {
    if count == 0 {
        return (text, "");
    }
    let at = text
        .char_indices()
        .rev()
        .nth(count.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    text.split_at(at)
}

fn tick_label(ms: i64) -> String {
    let seconds = ms / 1000;
    match (seconds / 60, seconds % 60, ms % 1000) {
        (0, s, 0) => format!("{s}s"),
        (m, 0, 0) => format!("{m}m"),
        (m, s, 0) => format!("{m}m{s:02}s"),
        _ => format!("{:.1}s", ms as f64 / 1000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_follow_the_cursor() {
        assert_eq!(
            Window::around(5000, 0, 600_000),
            Window {
                from_ms: 0,
                to_ms: 600_000
            }
        );
        assert_eq!(
            Window::around(5000, 60_000, 600_000),
            Window {
                from_ms: 0,
                to_ms: 60_000
            }
        );
        assert_eq!(
            Window::around(50_000, 60_000, 600_000),
            Window {
                from_ms: 0,
                to_ms: 60_000
            }
        );
        assert_eq!(
            Window::around(61_000, 60_000, 600_000),
            Window {
                from_ms: 15_000,
                to_ms: 75_000
            }
        );
        assert_eq!(
            Window::around(599_000, 60_000, 600_000),
            Window {
                from_ms: 540_000,
                to_ms: 600_000
            }
        );
        assert_eq!(
            Window::around(5000, 60_000, 4000),
            Window {
                from_ms: 0,
                to_ms: 4000
            }
        );
    }

    #[test]
    fn ticks_and_percentages() {
        let window = Window {
            from_ms: 0,
            to_ms: 60_000,
        };
        assert_eq!(
            window.ticks(),
            [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]
        );
        assert_eq!(window.percent(30_000), 50.0);
        let whole = Window {
            from_ms: 0,
            to_ms: 600_000,
        };
        assert_eq!(whole.ticks().len(), 11);
    }

    fn marker(entry: usize, time_ms: i64) -> Marker {
        Marker {
            entry,
            stage: "pod-ready".to_string(),
            time_ms,
            colour: 13,
            matched_ms: time_ms,
            range_ms: None,
            failed: false,
            stacked: 0,
        }
    }

    /// The `--t` of each marker in a lane's HTML.
    fn marker_times(html: &str) -> Vec<i64> {
        html.split("<button")
            .skip(1)
            .filter_map(|button| button.split("--t:").nth(1)?.split(';').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn markers_carry_their_exact_time_in_ms_however_long_the_run() {
        // 2.5 s apart early in a 500 h run: a share of the whole run written to three
        // decimals would have put both at 0%. The CSS places them in the window by these
        // times (checked end to end in timeline.test.js).
        let markers = [marker(3, 4359), marker(8, 6912)];
        let state = MarkerState {
            reached: 0,
            ring: None,
        };
        let times = marker_times(&markers_html("Pod/default/web-0", &markers, state));
        assert_eq!(times, [4359, 6912]);
    }

    #[test]
    fn marker_html_carries_what_a_marker_says_escaped() {
        let mut failed = marker(4, 65_000);
        failed.stage = "a\"<b>&'c".to_string();
        failed.failed = true;
        failed.matched_ms = 60_000;
        failed.stacked = 1;
        let state = MarkerState {
            reached: 1,
            ring: Some(1),
        };
        let html = markers_html("Pod/x", &[marker(2, 500), failed], state);
        assert_eq!(
            html,
            concat!(
                r#"<button class="marker past" style="--t:500;--c:var(--stage-1);--stack:0" data-object="Pod/x" data-stage="pod-ready" data-time-ms="500" data-entry="2" title="pod-ready · 0:00.500" aria-label="pod-ready on Pod/x"></button>"#,
                r#"<span class="delay-span" aria-hidden="true" style="--t:60000;--t-end:65000;--c:var(--stage-1)"></span>"#,
                r#"<button class="marker failed selected" style="--t:65000;--c:var(--stage-1);--stack:1" data-object="Pod/x" data-stage="a&quot;&lt;b&gt;&amp;'c" data-time-ms="65000" data-entry="4" data-failed="true" title="a&quot;&lt;b&gt;&amp;'c · 1:05.000 · failed (see the inspector)" aria-label="a&quot;&lt;b&gt;&amp;'c on Pod/x"></button>"#,
            )
        );
    }

    #[test]
    fn only_markers_that_change_are_written_again() {
        let state = |reached, ring| MarkerState { reached, ring };
        let changed = |from: MarkerState, to| from.changed(to).collect::<Vec<_>>();
        assert_eq!(changed(state(0, None), state(3, Some(5))), [0, 1, 2, 5]);
        assert_eq!(changed(state(3, Some(5)), state(1, Some(5))), [1, 2]);
        // A ring inside the range reached is written once.
        assert_eq!(changed(state(2, Some(0)), state(4, Some(3))), [2, 3, 0]);
        assert_eq!(changed(state(4, Some(3)), state(4, None)), [3]);
        assert!(changed(state(4, None), state(4, None)).is_empty());
        assert_eq!(
            state(2, Some(1)).class(1, true),
            "marker failed past selected"
        );
        assert_eq!(state(2, Some(1)).class(2, false), "marker");
    }

    #[test]
    fn names_keep_their_tail() {
        assert_eq!(split_tail("report-7xk2p", 6), ("report", "-7xk2p"));
        assert_eq!(split_tail("web-0", 6), ("", "web-0"));
        assert_eq!(split_tail("nœud-0", 5), ("n", "œud-0"));
        assert_eq!(split_tail("", 6), ("", ""));
    }

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(0), "0s");
        assert_eq!(tick_label(30_000), "30s");
        assert_eq!(tick_label(120_000), "2m");
        assert_eq!(tick_label(90_000), "1m30s");
        assert_eq!(tick_label(1500), "1.5s");
    }
}
