//! The events pane: the Kubernetes events the Stages recorded up to the cursor, newest
//! first, in the columns of `kubectl get events` (LAST SEEN, TYPE, REASON, OBJECT,
//! MESSAGE), with the NAMESPACE column of `kubectl get events -A`. Repeated events of one
//! object with the same type, reason and message are counted once, as the API server's
//! event aggregation shows them. A pane too narrow for the columns (the desktop's side
//! column, a phone) sets each event out on two lines instead (see style.css).

use std::collections::HashMap;

use leptos::prelude::*;
use stage_engine::timeline::{ActionRecord, Entry, Timeline};

use crate::page::Page;
use crate::playback;

/// One line of the pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// The involved object's key text, `Pod/default/web-0`: rows group by it.
    pub key: String,
    /// When it was last recorded, in milliseconds since the start.
    pub last_ms: i64,
    /// The same time as the API server keeps it (`lastTimestamp`): whole Unix seconds.
    pub last_second: i64,
    pub count: usize,
    pub event_type: String,
    pub reason: String,
    /// The involved object's namespace, empty for a cluster-scoped object.
    pub namespace: String,
    /// `pod/web-0`, as kubectl names the involved object.
    pub object: String,
    pub message: String,
}

/// The events recorded at or before `at_ms`, newest first.
pub fn until(timeline: &Timeline, start_ns: i64, at_ms: i64) -> Vec<EventRow> {
    let mut rows: Vec<EventRow> = Vec::new();
    // Where each (object, type, reason, message) has its row: a run of many objects has
    // thousands of rows, and the pane is rebuilt each time the cursor reaches a play.
    let mut places: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
    for entry in &timeline.entries {
        let Entry::Play(play) = entry else {
            continue;
        };
        let time_ms = (play.played_at.0 - start_ns).div_euclid(1_000_000);
        if time_ms > at_ms {
            continue;
        }
        let second = play.played_at.0.div_euclid(1_000_000_000);
        for action in &play.actions {
            let ActionRecord::Event {
                event_type,
                reason,
                message,
                dropped: false,
                ..
            } = action
            else {
                continue;
            };
            let place = (
                play.key.as_str(),
                event_type.as_str(),
                reason.as_str(),
                message.as_str(),
            );
            match places.get(&place).and_then(|&index| rows.get_mut(index)) {
                Some(row) => {
                    row.count += 1;
                    row.last_ms = time_ms;
                    row.last_second = second;
                }
                None => {
                    places.insert(place, rows.len());
                    rows.push(EventRow {
                        key: play.key.clone(),
                        last_ms: time_ms,
                        last_second: second,
                        count: 1,
                        event_type: event_type.clone(),
                        reason: reason.clone(),
                        namespace: namespace_of(&play.key).to_string(),
                        object: kubectl_name(&play.key),
                        message: message.clone(),
                    });
                }
            }
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.last_ms));
    rows
}

/// `Pod/default/web-0` as kubectl prints it: `pod/web-0`.
pub fn kubectl_name(key: &str) -> String {
    let mut parts = key.split('/');
    let kind = parts.next().unwrap_or_default().to_lowercase();
    let name = parts.next_back().unwrap_or_default();
    format!("{kind}/{name}")
}

/// The namespace of a key text: `default` of `Pod/default/web-0`, empty of `Node/node-0`.
pub fn namespace_of(key: &str) -> &str {
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        [_, namespace, _] => namespace,
        _ => "",
    }
}

/// LAST SEEN for a cursor at the Unix second `now_second` (whole, rounded down). kubectl
/// takes the age from the stored whole-second time and drops the fraction of the age, so
/// an event at 4.359 s seen at 6.912 s is `2s` old: 6.912 - 4, rounded down.
pub fn last_seen(now_second: i64, row: &EventRow) -> String {
    age(now_second - row.last_second)
}

/// An age in whole seconds as kubectl prints one: seconds up to two minutes, then minutes
/// and seconds up to ten minutes, minutes up to three hours, hours and minutes up to eight
/// hours, hours up to two days, days and hours up to eight days, days up to two years,
/// years and days up to eight years, then years.
pub fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    let (minutes, hours, days) = (s / 60, s / 3600, s / 86_400);
    let years = days / 365;
    let pair = |big: i64, big_unit: &str, small: i64, small_unit: &str| match small {
        0 => format!("{big}{big_unit}"),
        _ => format!("{big}{big_unit}{small}{small_unit}"),
    };
    if s < 120 {
        format!("{s}s")
    } else if minutes < 10 {
        pair(minutes, "m", s % 60, "s")
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        pair(hours, "h", minutes % 60, "m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        pair(days, "d", hours % 24, "h")
    } else if years < 2 {
        format!("{days}d")
    } else if years < 8 {
        pair(years, "y", days % 365, "d")
    } else {
        format!("{years}y")
    }
}

/// The most rows the pane draws; older events are counted, not listed.
const MAX_ROWS: usize = 50;

/// `tab_panel`: the pane is one of the side column's tabs (see the app's `SideTabs`).
#[component]
pub fn EventsPane(page: Page, #[prop(optional)] tab_panel: bool) -> impl IntoView {
    // The list changes only when the cursor reaches another play and the ages only each
    // virtual second, so playing does not rebuild the table every frame.
    let rows = Memo::new(move |_| {
        let at = page.reached_ms.get()?;
        page.timeline.with(|t| {
            let t = t.as_ref()?;
            let start = page.lanes.with(|l| l.as_ref().map(|l| l.start_ns))?;
            Some(until(t, start, at))
        })
    });
    let now_second = Memo::new(move |_| {
        let start = page.lanes.with(|l| l.as_ref().map_or(0, |l| l.start_ns));
        (start + page.cursor.get().at_ms() * 1_000_000).div_euclid(1_000_000_000)
    });
    let body = move || {
        let now = now_second.get();
        let rows = rows.get().unwrap_or_default();
        if rows.is_empty() {
            return view! { <p class="muted">"No events recorded yet."</p> }.into_any();
        }
        let older = rows.len().saturating_sub(MAX_ROWS);
        let lines = rows
            .into_iter()
            .take(MAX_ROWS)
            .map(|row| {
                let seen = if row.count > 1 {
                    format!("{} (x{})", last_seen(now, &row), row.count)
                } else {
                    last_seen(now, &row)
                };
                let warning = row.event_type == "Warning";
                let reason = row.reason.clone();
                view! {
                    <tr class:warning=warning data-event-reason=reason>
                        <td class="namespace">{row.namespace}</td>
                        <td class="seen">{seen}</td>
                        <td class="type">{row.event_type}</td>
                        <td class="reason">{row.reason}</td>
                        <td class="object">{row.object}</td>
                        <td class="message">{row.message}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="events">
                <thead><tr><th>"NAMESPACE"</th><th>"LAST SEEN"</th><th>"TYPE"</th><th>"REASON"</th><th>"OBJECT"</th><th>"MESSAGE"</th></tr></thead>
                <tbody>{lines}</tbody>
            </table>
            {(older > 0).then(|| view! { <p class="muted">{format!("and {older} older events")}</p> })}
        }
        .into_any()
    };
    view! {
        <section class="panel events-panel" id="side-events"
            role=tab_panel.then_some("tabpanel")
            aria-labelledby=tab_panel.then_some("side-tab-events")>
            <header class="panel-head">
                <h2>"Events"</h2>
                <span class="meta">{move || format!("up to {}", playback::clock(page.cursor.get().at_ms()))}</span>
            </header>
            <div class="events-body">{body}</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_up_to_the_cursor_newest_first_and_counted() {
        let play = |key: &str, at: &str, reason: &str| event_play(key, at, "Normal", reason);
        let (timeline, start) = run_of(
            vec![
                play("Pod/default/web-0", "2024-01-01T00:00:01Z", "Created"),
                play("Node/node-0", "2024-01-01T00:00:02Z", "Ready"),
                play("Node/node-0", "2024-01-01T00:00:05Z", "Ready"),
                play("Pod/default/web-0", "2024-01-01T00:00:09Z", "Killing"),
            ],
            "2024-01-01T00:00:09Z",
        );
        let rows = until(&timeline, start, 6000);
        let seen: Vec<(&str, &str, usize, i64)> = rows
            .iter()
            .map(|r| (r.object.as_str(), r.reason.as_str(), r.count, r.last_ms))
            .collect();
        assert_eq!(
            seen,
            [
                ("node/node-0", "Ready", 2, 5000),
                ("pod/web-0", "Created", 1, 1000)
            ]
        );
        assert_eq!(until(&timeline, start, 500), []);
    }

    /// A settled run of `entries`, starting at 2024-01-01T00:00:00Z, and its start.
    fn run_of(entries: Vec<serde_json::Value>, stop_at: &str) -> (Timeline, i64) {
        let timeline: Timeline = serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z", "seed": 1, "detail": "full",
            "entries": entries,
            "stop": {"at": stop_at, "reason": "settled"},
        }))
        .unwrap();
        let start = stage_kube::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
        (timeline, start)
    }

    fn event_play(key: &str, at: &str, event_type: &str, reason: &str) -> serde_json::Value {
        serde_json::json!({"play": {
            "index": 0, "key": key, "matchedAt": at, "playedAt": at,
            "candidates": [], "stage": "s", "delay": {"kind": "none", "ns": 0},
            "actions": [{"event": {"step": 0, "eventType": event_type, "reason": reason, "message": "m"}}],
            "changed": true, "deleted": false,
        }})
    }

    #[test]
    fn objects_of_other_namespaces_and_other_types_are_other_rows() {
        let (timeline, start) = run_of(
            vec![
                event_play("Pod/a/web-0", "2024-01-01T00:00:01Z", "Normal", "Pulled"),
                event_play("Pod/b/web-0", "2024-01-01T00:00:02Z", "Normal", "Pulled"),
                event_play("Pod/b/web-0", "2024-01-01T00:00:03Z", "Warning", "Pulled"),
                event_play("Pod/a/web-0", "2024-01-01T00:00:04Z", "Normal", "Pulled"),
            ],
            "2024-01-01T00:00:04Z",
        );
        let seen: Vec<(String, String, String, usize)> = until(&timeline, start, 10_000)
            .into_iter()
            .map(|r| (r.namespace, r.object, r.event_type, r.count))
            .collect();
        let row = |namespace: &str, event_type: &str, count| {
            (
                namespace.into(),
                "pod/web-0".into(),
                event_type.into(),
                count,
            )
        };
        assert_eq!(
            seen,
            [
                row("a", "Normal", 2),
                row("b", "Warning", 1),
                row("b", "Normal", 1)
            ]
        );
    }

    #[test]
    fn kubectl_columns() {
        assert_eq!(namespace_of("Pod/default/web-0"), "default");
        assert_eq!(namespace_of("Node/node-0"), "");
        assert_eq!(kubectl_name("Pod/default/web-0"), "pod/web-0");
        assert_eq!(kubectl_name("Node/node-0"), "node/node-0");
    }

    #[test]
    fn ages_in_kubectl_units() {
        let cases = [
            (-3, "0s"),
            (0, "0s"),
            (45, "45s"),
            (119, "119s"),
            (120, "2m"),
            (192, "3m12s"),
            (720, "12m"),
            (7_500, "125m"),
            (10_800, "3h"),
            (11_100, "3h5m"),
            (30_000, "8h"),
            (172_800, "2d"),
            (180_000, "2d2h"),
            (691_200, "8d"),
            (63_072_000, "2y"),
            (64_000_000, "2y10d"),
            (252_288_000, "8y"),
        ];
        for (seconds, text) in cases {
            assert_eq!(age(seconds), text, "{seconds} s");
        }
    }

    #[test]
    fn last_seen_counts_from_the_stored_whole_second() {
        let (timeline, start) = run_of(
            vec![
                event_play(
                    "Pod/default/web-0",
                    "2024-01-01T00:00:04.359Z",
                    "Normal",
                    "Created",
                ),
                event_play(
                    "Pod/default/web-1",
                    "2024-01-01T00:00:01.069Z",
                    "Normal",
                    "Created",
                ),
            ],
            "2024-01-01T00:00:05Z",
        );
        let rows = until(&timeline, start, 6_912);
        // The cursor at 0:06.912 is in the Unix second start + 6.
        let now = start.div_euclid(1_000_000_000) + 6;
        let seen: Vec<String> = rows.iter().map(|row| last_seen(now, row)).collect();
        assert_eq!(seen, ["2s", "5s"]);
    }
}
