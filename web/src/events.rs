//! The events pane: the Kubernetes events the Stages recorded up to the cursor, newest
//! first, in the columns of `kubectl get events` (LAST SEEN, TYPE, REASON, OBJECT,
//! MESSAGE), with the NAMESPACE column of `kubectl get events -A`. Repeated events of one
//! object with the same type, reason and message are counted once, as the API server's
//! event aggregation shows them.

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
                }
                None => {
                    places.insert(place, rows.len());
                    rows.push(EventRow {
                        key: play.key.clone(),
                        last_ms: time_ms,
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

/// kubectl's age: `45s`, `3m12s`, `2h5m`.
pub fn age(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    match (seconds / 3600, seconds / 60 % 60, seconds % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) if m < 10 => format!("{m}m{s}s"),
        (0, m, _) => format!("{m}m"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

/// The most rows the pane draws; older events are counted, not listed.
const MAX_ROWS: usize = 50;

#[component]
pub fn EventsPane(page: Page) -> impl IntoView {
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
    let second = Memo::new(move |_| page.cursor.get().at_ms().div_euclid(1000));
    let body = move || {
        let at = second.get() * 1000;
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
                    format!("{} (x{})", age(at - row.last_ms), row.count)
                } else {
                    age(at - row.last_ms)
                };
                let warning = row.event_type == "Warning";
                let reason = row.reason.clone();
                view! {
                    <tr class:warning=warning data-event-reason=reason>
                        <td>{row.namespace}</td>
                        <td>{seen}</td>
                        <td>{row.event_type}</td>
                        <td>{row.reason}</td>
                        <td>{row.object}</td>
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
        <section class="panel events-panel">
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
        let timeline: Timeline = serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z", "seed": 1, "detail": "full",
            "entries": [
                play("Pod/default/web-0", "2024-01-01T00:00:01Z", "Created"),
                play("Node/node-0", "2024-01-01T00:00:02Z", "Ready"),
                play("Node/node-0", "2024-01-01T00:00:05Z", "Ready"),
                play("Pod/default/web-0", "2024-01-01T00:00:09Z", "Killing"),
            ],
            "stop": {"at": "2024-01-01T00:00:09Z", "reason": "settled"},
        }))
        .unwrap();
        let start = stage_kube::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
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

    fn event_play(key: &str, at: &str, event_type: &str, reason: &str) -> serde_json::Value {
        serde_json::json!({
            "type": "play", "index": 0, "key": key, "matchedAt": at, "playedAt": at,
            "candidates": [], "stage": "s", "delay": {"kind": "none", "ns": 0},
            "actions": [{"kind": "event", "step": 0, "eventType": event_type, "reason": reason, "message": "m"}],
            "changed": true, "deleted": false,
        })
    }

    #[test]
    fn objects_of_other_namespaces_and_other_types_are_other_rows() {
        let timeline: Timeline = serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z", "seed": 1, "detail": "full",
            "entries": [
                event_play("Pod/a/web-0", "2024-01-01T00:00:01Z", "Normal", "Pulled"),
                event_play("Pod/b/web-0", "2024-01-01T00:00:02Z", "Normal", "Pulled"),
                event_play("Pod/b/web-0", "2024-01-01T00:00:03Z", "Warning", "Pulled"),
                event_play("Pod/a/web-0", "2024-01-01T00:00:04Z", "Normal", "Pulled"),
            ],
            "stop": {"at": "2024-01-01T00:00:04Z", "reason": "settled"},
        }))
        .unwrap();
        let start = stage_kube::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
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
        let cases = [
            (0, "0s"),
            (45_000, "45s"),
            (192_000, "3m12s"),
            (720_000, "12m"),
            (7_500_000, "2h5m"),
        ];
        for (ms, text) in cases {
            assert_eq!(age(ms), text);
        }
    }
}
