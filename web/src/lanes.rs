//! The timeline's layout: one lane per object, lanes grouped by kind, and one marker per
//! Stage played, at its virtual time in integer milliseconds since the start of the run.
//!
//! This is a pure function of the engine's [`Timeline`]; the components only draw it.

use std::collections::HashMap;

use stage_engine::sim;
use stage_engine::timeline::{Entry, Timeline};
use stage_kube::ObjectKey;

use crate::glue::FullKey;

/// Everything the timeline view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lanes {
    /// The virtual start of the run, in nanoseconds since the Unix epoch.
    pub start_ns: i64,
    /// The length of the axis: the end of the run, and never shorter than the last marker.
    pub end_ms: i64,
    pub groups: Vec<Group>,
    /// Stage names in the order they first played on the page; a Stage's colour is its
    /// index here. It keeps the Stages of earlier runs, so it can name Stages this run
    /// did not play.
    pub stages: Vec<String>,
    /// The Stages this run played, as indexes into [`Lanes::stages`], in the order they
    /// first played: what the legend names.
    pub played: Vec<usize>,
    /// Every marker's time, sorted, for stepping from marker to marker.
    pub times: Vec<i64>,
}

/// The lanes of one kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub kind: String,
    pub lanes: Vec<Lane>,
}

/// One object.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// `Kind/namespace/name` or `Kind/name`.
    pub key: String,
    /// The object's full key, from the first version the run recorded of it; `None` when
    /// the run recorded none (then its apiVersion is unknown).
    pub object: Option<ObjectKey>,
    /// The key without its kind.
    pub label: String,
    pub markers: Vec<Marker>,
    /// When the object was deleted, if it was.
    pub deleted_ms: Option<i64>,
    /// What the user did to the object, in time order.
    pub actions: Vec<ActionMark>,
}

/// One user action on the lane's object (a create, delete, edit or replace), so that an
/// edit no Stage reacts to still shows where it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionMark {
    /// The action's index in the timeline's entries.
    pub entry: usize,
    pub time_ms: i64,
    /// `create`, `delete`, `edit` or `replace`, as the engine names it.
    pub action: String,
    /// The API server's answer when it refused the action.
    pub error: Option<String>,
}

/// One Stage played on the lane's object.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The index of the play's entry in [`Timeline::entries`].
    pub entry: usize,
    pub stage: String,
    pub time_ms: i64,
    /// The index of the Stage in [`Lanes::stages`].
    pub colour: usize,
    /// When the object version matched and the delay began.
    pub matched_ms: i64,
    /// The range the delay was drawn from (with its jitter), as times on the axis.
    pub range_ms: Option<(i64, i64)>,
    /// The play reported an error (a template that did not render, a refused patch).
    pub failed: bool,
    /// Markers before this one on the lane at the same millisecond, so that the view can
    /// set simultaneous plays side by side instead of on top of each other.
    pub stacked: usize,
}

/// Lays out a timeline.
pub fn layout(timeline: &Timeline) -> Lanes {
    layout_after(timeline, Vec::new())
}

/// Lays out a timeline that follows another on the page: the Stages `known` from the one
/// before keep their colours, and a Stage new to this run takes the next one, so an edit
/// does not repaint the Stages it did not touch.
pub fn layout_after(timeline: &Timeline, known: Vec<String>) -> Lanes {
    let start = stage_kube::time::parse_rfc3339(&timeline.start).unwrap_or_default();
    let ms = |nanos: i64| (nanos - start).div_euclid(1_000_000);
    let mut lanes = Lanes {
        start_ns: start,
        stages: known,
        ..Lanes::default()
    };

    let mut places = Places::default();
    for (index, entry) in timeline.entries.iter().enumerate() {
        match entry {
            Entry::Created(created) => {
                places
                    .lane(&mut lanes.groups, &created.key)
                    .record(created.object.as_ref());
            }
            Entry::Deleted(deleted) => {
                places.lane(&mut lanes.groups, &deleted.key).deleted_ms = Some(ms(deleted.at.0));
            }
            Entry::Play(play) => {
                let colour = match lanes.stages.iter().position(|name| *name == play.stage) {
                    Some(colour) => colour,
                    None => {
                        lanes.stages.push(play.stage.clone());
                        lanes.stages.len() - 1
                    }
                };
                if !lanes.played.contains(&colour) {
                    lanes.played.push(colour);
                }
                let time_ms = ms(play.played_at.0);
                let matched_ms = ms(play.matched_at.0);
                let range_ms = match (play.delay.min_ns, play.delay.max_ns) {
                    (Some(min), Some(max)) => Some((
                        matched_ms + min.div_euclid(1_000_000),
                        matched_ms + max.div_euclid(1_000_000),
                    )),
                    _ => None,
                };
                // A step whose template did not render sets the play's error too.
                let failed = play.error.is_some();
                lanes.times.push(time_ms);
                let lane = places.lane(&mut lanes.groups, &play.key);
                lane.record(play.before.as_ref().or(play.after.as_ref()));
                let markers = &mut lane.markers;
                let stacked = markers
                    .iter()
                    .rev()
                    .take_while(|marker| marker.time_ms == time_ms)
                    .count();
                markers.push(Marker {
                    entry: index,
                    stage: play.stage.clone(),
                    time_ms,
                    colour,
                    matched_ms,
                    range_ms,
                    failed,
                    stacked,
                });
            }
            // An action the engine could not tie to an object has no lane to sit on.
            Entry::User(user) if !user.key.is_empty() => {
                places
                    .lane(&mut lanes.groups, &user.key)
                    .actions
                    .push(ActionMark {
                        entry: index,
                        time_ms: ms(user.at.0),
                        action: user.action.clone(),
                        error: user.error.clone(),
                    });
            }
            Entry::User(_) | Entry::Settled(_) | Entry::Replaced(_) => {}
        }
    }

    lanes.times.sort_unstable();
    lanes.times.dedup();
    let last = lanes.times.last().copied().unwrap_or(0);
    lanes.end_ms = ms(timeline.stop.at.0).max(last).max(1);
    lanes
}

impl Lanes {
    /// The lane of an object's key.
    pub fn lane(&self, key: &str) -> Option<&Lane> {
        let mut lanes = self.groups.iter().flat_map(|group| &group.lanes);
        lanes.find(|lane| lane.key == key)
    }

    /// The play to inspect, as its entry: the `object`'s last play at or before `at_ms` (the
    /// last marker time the cursor reached), or the `clicked` one when several plays of the
    /// object share that millisecond. With no object, the clicked play wherever it is.
    pub fn inspected(
        &self,
        object: Option<&str>,
        clicked: Option<usize>,
        at_ms: i64,
    ) -> Option<usize> {
        let Some(key) = object else {
            let mut all = self.groups.iter().flat_map(|group| &group.lanes);
            return clicked.filter(|&entry| all.any(|lane| lane.has_play(entry, None)));
        };
        let lane = self.lane(key)?;
        if let Some(entry) = clicked.filter(|&entry| lane.has_play(entry, Some(at_ms))) {
            return Some(entry);
        }
        let mut markers = lane.markers.iter().rev();
        let last = markers.find(|marker| marker.time_ms <= at_ms)?;
        Some(last.entry)
    }

    /// How many of the run's objects got no play at all, and how many objects it has.
    pub fn unplayed(&self) -> (usize, usize) {
        let lanes = self.groups.iter().flat_map(|group| &group.lanes);
        lanes.fold((0, 0), |(unplayed, all), lane| {
            (unplayed + usize::from(lane.markers.is_empty()), all + 1)
        })
    }

    /// Gives each lane whose run recorded no version of its object (a summary records
    /// none) the full key the engine reported for it.
    pub fn know_keys(&mut self, keys: &[FullKey]) {
        let by_text: HashMap<String, &FullKey> = keys.iter().map(|key| (key.text(), key)).collect();
        let lanes = self.groups.iter_mut().flat_map(|group| &mut group.lanes);
        for lane in lanes.filter(|lane| lane.object.is_none()) {
            lane.object = by_text.get(&lane.key).map(|key| key.object_key());
        }
    }
}

impl Lane {
    /// True when the play of `entry` is on this lane, at `time_ms` if given.
    fn has_play(&self, entry: usize, time_ms: Option<i64>) -> bool {
        let at = |marker: &Marker| time_ms.is_none_or(|time_ms| marker.time_ms == time_ms);
        self.markers
            .iter()
            .any(|marker| marker.entry == entry && at(marker))
    }

    /// Takes the object's full key from a version of it, if none was known yet.
    fn record(&mut self, version: Option<&serde_json::Value>) {
        if self.object.is_none() {
            self.object = version.and_then(sim::object_key);
        }
    }
}

/// The kind of a key: everything before the first `/`.
pub fn kind_of(key: &str) -> &str {
    key.split('/').next().unwrap_or(key)
}

/// The lanes being laid out, with the place of each key, so that finding a lane does not
/// walk every lane of a run with many objects.
#[derive(Default)]
struct Places {
    by_key: HashMap<String, (usize, usize)>,
}

impl Places {
    /// The lane of a key, created (in its kind's group) on first sight.
    fn lane<'a>(&mut self, groups: &'a mut Vec<Group>, key: &str) -> &'a mut Lane {
        if let Some(&(group, lane)) = self.by_key.get(key) {
            return &mut groups[group].lanes[lane];
        }
        let kind = kind_of(key);
        let group = match groups.iter().position(|group| group.kind == kind) {
            Some(index) => index,
            None => {
                groups.push(Group {
                    kind: kind.to_string(),
                    lanes: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let lanes = &mut groups[group].lanes;
        let place = lanes.len();
        lanes.push(Lane {
            key: key.to_string(),
            object: None,
            label: key[kind.len()..].trim_start_matches('/').to_string(),
            markers: Vec::new(),
            deleted_ms: None,
            actions: Vec::new(),
        });
        self.by_key.insert(key.to_string(), (group, place));
        &mut lanes[place]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A timeline written the way the engine serialises one.
    fn timeline(entries: serde_json::Value, stop_at: &str) -> Timeline {
        serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z",
            "seed": 1,
            "detail": "summary",
            "entries": entries,
            "stop": {"at": stop_at, "reason": "horizon"},
        }))
        .unwrap()
    }

    fn play(key: &str, stage: &str, at: &str) -> serde_json::Value {
        serde_json::json!({"play": {
            "index": 0, "key": key, "matchedAt": at, "playedAt": at,
            "candidates": [{"stage": stage}], "stage": stage, "delay": {"kind": "none", "ns": 0},
            "actions": [], "changed": true, "deleted": false,
        }})
    }

    #[test]
    fn a_lane_carries_the_full_key_of_a_recorded_version() {
        let deployment = serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"}});
        let timeline = timeline(
            serde_json::json!([
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Deployment/default/web",
                 "object": deployment}},
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Node/node-0"}},
            ]),
            "2024-01-01T00:10:00Z",
        );
        let lanes = layout(&timeline);
        let objects: Vec<Option<ObjectKey>> = lanes
            .groups
            .iter()
            .map(|group| group.lanes[0].object.clone())
            .collect();
        let web = ObjectKey::new("apps/v1", "Deployment", "default", "web");
        assert_eq!(objects, [Some(web), None]);
    }

    #[test]
    fn objects_without_a_play_are_counted() {
        let empty = timeline(serde_json::json!([]), "2024-01-01T00:00:00Z");
        assert_eq!(layout(&empty).unplayed(), (0, 0));
        let timeline = timeline(
            serde_json::json!([
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Node/node-0"}},
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Pod/default/web-0"}},
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Pod/default/web-1"}},
                play("Pod/default/web-0", "pod-create", "2024-01-01T00:00:01Z"),
                play("Pod/default/web-0", "pod-ready", "2024-01-01T00:00:02Z"),
            ]),
            "2024-01-01T00:00:02Z",
        );
        assert_eq!(layout(&timeline).unplayed(), (2, 3));
    }

    #[test]
    fn groups_by_kind_in_order_of_appearance_with_integer_ms() {
        let timeline = timeline(
            serde_json::json!([
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Node/node-0"}},
                {"created": {"at": "2024-01-01T00:00:00Z", "key": "Pod/default/web-0"}},
                play("Node/node-0", "node-initialize", "2024-01-01T00:00:00Z"),
                play("Pod/default/web-0", "pod-create", "2024-01-01T00:00:01.2345678Z"),
                play("Node/node-0", "node-heartbeat", "2024-01-01T00:00:21.5Z"),
                play("Pod/default/web-0", "pod-ready", "2024-01-01T00:00:03Z"),
                {"deleted": {"at": "2024-01-01T00:00:09Z", "key": "Pod/default/web-0"}},
            ]),
            "2024-01-01T00:10:00Z",
        );
        let lanes = layout(&timeline);

        let kinds: Vec<&str> = lanes.groups.iter().map(|g| g.kind.as_str()).collect();
        assert_eq!(kinds, ["Node", "Pod"]);
        let pod = &lanes.groups[1].lanes[0];
        assert_eq!(pod.label, "default/web-0");
        let times: Vec<i64> = pod.markers.iter().map(|m| m.time_ms).collect();
        assert_eq!(times, [1234, 3000]);
        assert_eq!(pod.deleted_ms, Some(9000));
        assert!(pod.actions.is_empty());
        assert_eq!(
            lanes.stages,
            [
                "node-initialize",
                "pod-create",
                "node-heartbeat",
                "pod-ready"
            ]
        );
        assert_eq!(pod.markers[1].colour, 3);
        assert_eq!(pod.markers[1].entry, 5);
        assert_eq!(lanes.times, [0, 1234, 3000, 21500]);
        assert_eq!(lanes.end_ms, 600_000);
    }

    #[test]
    fn the_axis_ends_at_the_stop_or_the_last_marker() {
        let settled = timeline(
            serde_json::json!([play("Pod/p", "pod-ready", "2024-01-01T00:00:04Z")]),
            "2024-01-01T00:00:04Z",
        );
        assert_eq!(layout(&settled).end_ms, 4000);
        let empty = timeline(serde_json::json!([]), "2024-01-01T00:00:00Z");
        assert_eq!(layout(&empty).end_ms, 1);
    }

    #[test]
    fn markers_carry_their_delay_failure_and_place_in_a_stack() {
        let mut drawn = play("Pod/p", "pod-create", "2024-01-01T00:00:03.5Z");
        drawn["play"]["matchedAt"] = "2024-01-01T00:00:01Z".into();
        drawn["play"]["delay"] = serde_json::json!({
            "kind": "range", "minNs": 1_000_000_000i64, "maxNs": 5_000_000_000i64, "ns": 2_500_000_000i64,
        });
        let mut failed = play("Pod/p", "pod-ready", "2024-01-01T00:00:03.5Z");
        failed["play"]["error"] = "template: no function Nope".into();
        let third = play("Pod/p", "pod-complete", "2024-01-01T00:00:03.5Z");
        let lanes = layout(&timeline(
            serde_json::json!([drawn, failed, third]),
            "2024-01-01T00:00:04Z",
        ));
        let markers = &lanes.groups[0].lanes[0].markers;
        assert_eq!(markers[0].matched_ms, 1000);
        assert_eq!(markers[0].range_ms, Some((2000, 6000)));
        assert!(!markers[0].failed);
        assert!(markers[1].failed);
        assert_eq!(markers[1].range_ms, None);
        let stacked: Vec<usize> = markers.iter().map(|m| m.stacked).collect();
        assert_eq!(stacked, [0, 1, 2]);
    }

    #[test]
    fn user_actions_mark_their_objects_lane() {
        let lanes = layout(&timeline(
            serde_json::json!([
                play("Pod/default/web-0", "pod-ready", "2024-01-01T00:00:03Z"),
                {"user": {"at": "2024-01-01T00:00:30Z", "key": "Pod/default/web-0", "action": "edit"}},
                {"user": {"at": "2024-01-01T00:00:40Z", "key": "Pod/default/gone", "action": "delete",
                          "error": "pods \"gone\" not found"}},
                {"user": {"at": "2024-01-01T00:00:50Z", "key": "", "action": "create", "error": "no kind"}},
            ]),
            "2024-01-01T00:01:00Z",
        ));
        let pods = &lanes.groups[0].lanes;
        let marks = |lane: &Lane| -> Vec<(i64, String, bool)> {
            let mark = |m: &ActionMark| (m.time_ms, m.action.clone(), m.error.is_some());
            lane.actions.iter().map(mark).collect()
        };
        assert_eq!(lanes.groups.len(), 1);
        assert_eq!(marks(&pods[0]), [(30_000, "edit".to_string(), false)]);
        assert_eq!(pods[1].key, "Pod/default/gone");
        assert_eq!(marks(&pods[1]), [(40_000, "delete".to_string(), true)]);
        // A user action is not a play: stepping does not stop at it.
        assert_eq!(lanes.times, [3000]);
    }

    #[test]
    fn the_inspected_play_follows_the_cursor_and_a_click_breaks_ties() {
        let lanes = layout(&timeline(
            serde_json::json!([
                play("Pod/default/web-0", "pod-create", "2024-01-01T00:00:01Z"),
                play("Pod/default/web-1", "pod-create", "2024-01-01T00:00:01Z"),
                play("Pod/default/web-0", "pod-ready", "2024-01-01T00:00:03Z"),
                play("Pod/default/web-0", "pod-complete", "2024-01-01T00:00:03Z"),
            ]),
            "2024-01-01T00:01:00Z",
        ));
        let web0 = Some("Pod/default/web-0");
        assert_eq!(lanes.inspected(web0, None, 999), None);
        assert_eq!(lanes.inspected(web0, None, 1000), Some(0));
        // A click on the first play stops naming it once the cursor is past a later one.
        assert_eq!(lanes.inspected(web0, Some(0), 1000), Some(0));
        assert_eq!(lanes.inspected(web0, Some(0), 60_000), Some(3));
        // Of two plays at the cursor's millisecond, the clicked one; else the last.
        assert_eq!(lanes.inspected(web0, Some(2), 3000), Some(2));
        assert_eq!(lanes.inspected(web0, None, 3000), Some(3));
        // Another object's play is not this object's.
        assert_eq!(lanes.inspected(web0, Some(1), 1000), Some(0));
        assert_eq!(
            lanes.inspected(Some("Pod/default/none"), Some(0), 1000),
            None
        );
        assert_eq!(lanes.inspected(None, Some(1), 60_000), Some(1));
        assert_eq!(lanes.inspected(None, Some(9), 60_000), None);
    }

    #[test]
    fn kinds_and_labels() {
        assert_eq!(kind_of("Pod/default/web-0"), "Pod");
        assert_eq!(kind_of("Node/node-0"), "Node");
        let mut groups = Vec::new();
        let mut places = Places::default();
        assert_eq!(places.lane(&mut groups, "Node/node-0").label, "node-0");
        places.lane(&mut groups, "Pod/default/web-0");
        places.lane(&mut groups, "Node/node-1");
        assert_eq!(places.lane(&mut groups, "Node/node-0").label, "node-0");
        let keys: Vec<Vec<&str>> = groups
            .iter()
            .map(|group| group.lanes.iter().map(|lane| lane.key.as_str()).collect())
            .collect();
        assert_eq!(
            keys,
            [
                vec!["Node/node-0", "Node/node-1"],
                vec!["Pod/default/web-0"]
            ]
        );
    }

    #[test]
    fn a_later_run_keeps_the_colours_of_known_stages() {
        let run = |stages: [&str; 2]| {
            timeline(
                serde_json::json!([
                    play("Pod/default/web-0", stages[0], "2024-01-01T00:00:01Z"),
                    play("Node/node-0", stages[1], "2024-01-01T00:00:02Z"),
                ]),
                "2024-01-01T00:01:00Z",
            )
        };
        let first = layout(&run(["pod-ready", "node-heartbeat"]));
        let second = layout_after(&run(["pod-delete", "node-heartbeat"]), first.stages.clone());
        let colour = |lanes: &Lanes, stage: &str| lanes.stages.iter().position(|s| s == stage);
        assert_eq!(colour(&first, "node-heartbeat"), Some(1));
        assert_eq!(colour(&second, "node-heartbeat"), Some(1));
        assert_eq!(colour(&second, "pod-delete"), Some(2));
        // The legend names only what this run played, in the order it first played.
        assert_eq!(second.played, [2, 1]);
        assert_eq!(first.played, [0, 1]);
        // Without the earlier run, the order of first plays decides.
        assert_eq!(
            colour(
                &layout(&run(["pod-delete", "node-heartbeat"])),
                "pod-delete"
            ),
            Some(0)
        );
    }
}
