//! The cursor over a timeline: where it is, whether it plays, and what the timeline looks
//! like at that position. Every function here is pure; the page's animation frame loop
//! only feeds it the elapsed real time.

use stage_engine::timeline::{Entry, Play, Timeline};

use crate::lanes::Lanes;

/// Speeds offered, in virtual milliseconds per real millisecond; infinity is "instant",
/// which plays to the end at once.
pub const SPEEDS: &[f64] = &[0.25, 1.0, 10.0, 30.0, 100.0, f64::INFINITY];

/// A speed as the menu shows it: `0.25×`, `30×`, `instant`.
pub fn speed_label(speed: f64) -> String {
    if speed.is_infinite() {
        "instant".to_string()
    } else {
        format!("{speed}×")
    }
}

/// The cursor's state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    pub position_ms: f64,
    pub playing: bool,
    /// Virtual milliseconds per real millisecond.
    pub speed: f64,
}

impl Default for Cursor {
    fn default() -> Cursor {
        Cursor {
            position_ms: 0.0,
            playing: false,
            speed: 30.0,
        }
    }
}

impl Cursor {
    /// The cursor after `elapsed_ms` of real time. It stops at the end of the axis.
    pub fn advance(self, elapsed_ms: f64, end_ms: i64) -> Cursor {
        if !self.playing {
            return self;
        }
        let end = end_ms as f64;
        let position_ms = if self.speed.is_infinite() {
            end
        } else {
            (self.position_ms + elapsed_ms.max(0.0) * self.speed).min(end)
        };
        Cursor {
            position_ms,
            playing: position_ms < end,
            ..self
        }
    }

    /// Play from the start again when the cursor sits at the end.
    pub fn toggle(self, end_ms: i64) -> Cursor {
        let at_end = self.position_ms >= end_ms as f64;
        Cursor {
            position_ms: if !self.playing && at_end {
                0.0
            } else {
                self.position_ms
            },
            playing: !self.playing,
            ..self
        }
    }

    /// Paused, at the first marker after the cursor (or the end).
    pub fn step_forward(self, lanes: &Lanes) -> Cursor {
        let next = lanes
            .times
            .iter()
            .find(|&&time| time as f64 > self.position_ms)
            .copied()
            .unwrap_or(lanes.end_ms);
        self.seek(next, lanes.end_ms)
    }

    /// Paused, at the last marker before the cursor (or the start).
    pub fn step_back(self, lanes: &Lanes) -> Cursor {
        let previous = lanes
            .times
            .iter()
            .rev()
            .find(|&&time| (time as f64) < self.position_ms)
            .copied()
            .unwrap_or(0);
        self.seek(previous, lanes.end_ms)
    }

    /// Paused at a position, clamped to the axis.
    pub fn seek(self, position_ms: i64, end_ms: i64) -> Cursor {
        Cursor {
            position_ms: position_ms.clamp(0, end_ms) as f64,
            playing: false,
            ..self
        }
    }

    /// The position as the whole milliseconds that markers carry.
    pub fn at_ms(self) -> i64 {
        self.position_ms.floor() as i64
    }
}

/// The last play of an object at or before a position: what the object looks like then.
pub fn last_play_at<'a>(
    timeline: &'a Timeline,
    lanes: &Lanes,
    key: &str,
    at_ms: i64,
) -> Option<&'a Play> {
    // Compared in the whole milliseconds markers carry: a play at 1.2345 s is reached when
    // the cursor shows 1.234 s, where its marker is drawn.
    let reached = |nanos: i64| (nanos - lanes.start_ns).div_euclid(1_000_000) <= at_ms;
    timeline.entries.iter().rev().find_map(|entry| match entry {
        Entry::Play(play) if play.key == key && reached(play.played_at.0) => Some(&**play),
        _ => None,
    })
}

/// The phase an object shows in its `status.phase`, if any.
pub fn phase(object: Option<&serde_json::Value>) -> Option<&str> {
    object?.get("status")?.get("phase")?.as_str()
}

/// `m:ss.mmm` (or `h:mm:ss.mmm`) for a position on the axis.
pub fn clock(ms: i64) -> String {
    let ms = ms.max(0);
    let (hours, minutes, seconds, millis) =
        (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}.{millis:03}")
    } else {
        format!("{minutes}:{seconds:02}.{millis:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(times: &[i64], end_ms: i64) -> Lanes {
        Lanes {
            end_ms,
            times: times.to_vec(),
            ..Lanes::default()
        }
    }

    fn at(position_ms: f64) -> Cursor {
        Cursor {
            position_ms,
            ..Cursor::default()
        }
    }

    #[test]
    fn advancing() {
        let playing = Cursor {
            playing: true,
            speed: 10.0,
            position_ms: 0.0,
        };
        assert_eq!(playing.advance(16.0, 1000).position_ms, 160.0);
        assert!(playing.advance(16.0, 1000).playing);
        let ended = playing.advance(500.0, 1000);
        assert_eq!((ended.position_ms, ended.playing), (1000.0, false));
        assert_eq!(at(5.0).advance(100.0, 1000), at(5.0));
        assert_eq!(playing.advance(-3.0, 1000).position_ms, 0.0);
    }

    #[test]
    fn instant_plays_to_the_end_at_once() {
        let instant = Cursor {
            playing: true,
            speed: f64::INFINITY,
            position_ms: 10.0,
        };
        let ended = instant.advance(0.0, 1000);
        assert_eq!((ended.position_ms, ended.playing), (1000.0, false));
        assert_eq!(speed_label(f64::INFINITY), "instant");
        assert_eq!(speed_label(0.25), "0.25×");
        assert_eq!(speed_label(30.0), "30×");
    }

    #[test]
    fn toggling_at_the_end_restarts() {
        let ended = at(1000.0).toggle(1000);
        assert_eq!((ended.position_ms, ended.playing), (0.0, true));
        let paused = at(400.0).toggle(1000).toggle(1000);
        assert_eq!((paused.position_ms, paused.playing), (400.0, false));
    }

    #[test]
    fn stepping_goes_from_marker_to_marker() {
        let lanes = lanes(&[0, 1234, 3000], 10_000);
        assert_eq!(at(0.0).step_forward(&lanes).position_ms, 1234.0);
        assert_eq!(at(1234.0).step_forward(&lanes).position_ms, 3000.0);
        assert_eq!(at(3000.0).step_forward(&lanes).position_ms, 10_000.0);
        assert_eq!(at(3000.0).step_back(&lanes).position_ms, 1234.0);
        assert_eq!(at(1234.5).step_back(&lanes).position_ms, 1234.0);
        assert_eq!(at(0.0).step_back(&lanes).position_ms, 0.0);
        assert!(
            !Cursor {
                playing: true,
                ..at(0.0)
            }
            .step_forward(&lanes)
            .playing
        );
    }

    #[test]
    fn seeking_clamps() {
        assert_eq!(at(0.0).seek(-5, 100).position_ms, 0.0);
        assert_eq!(at(0.0).seek(500, 100).position_ms, 100.0);
        assert_eq!(at(99.9).at_ms(), 99);
    }

    #[test]
    fn clocks() {
        let cases = [
            (0, "0:00.000"),
            (1234, "0:01.234"),
            (600_000, "10:00.000"),
            (3_723_004, "1:02:03.004"),
        ];
        for (ms, text) in cases {
            assert_eq!(clock(ms), text);
        }
    }

    #[test]
    fn the_object_at_a_position_is_the_last_play_up_to_it() {
        let play = |at: &str, phase: &str| {
            serde_json::json!({"play": {
                "index": 0, "key": "Pod/p", "matchedAt": at, "playedAt": at,
                "candidates": [], "stage": phase, "delay": {"kind": "none", "ns": 0},
                "actions": [], "changed": true, "deleted": false,
                "after": {"status": {"phase": phase}},
            }})
        };
        let timeline: Timeline = serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z", "seed": 1, "detail": "full",
            "entries": [play("2024-01-01T00:00:01Z", "Pending"), play("2024-01-01T00:00:03Z", "Running")],
            "stop": {"at": "2024-01-01T00:00:03Z", "reason": "settled"},
        }))
        .unwrap();
        let lanes = crate::lanes::layout(&timeline);
        let phase_at =
            |ms| phase(last_play_at(&timeline, &lanes, "Pod/p", ms).and_then(|p| p.after.as_ref()));
        assert_eq!(phase_at(0), None);
        assert_eq!(phase_at(1000), Some("Pending"));
        assert_eq!(phase_at(2999), Some("Pending"));
        assert_eq!(phase_at(3000), Some("Running"));
        assert!(last_play_at(&timeline, &lanes, "Pod/other", 9000).is_none());

        // A play between two milliseconds is reached at the millisecond its marker shows.
        let timeline: Timeline = serde_json::from_value(serde_json::json!({
            "start": "2024-01-01T00:00:00Z", "seed": 1, "detail": "full",
            "entries": [play("2024-01-01T00:00:01.2345Z", "Running")],
            "stop": {"at": "2024-01-01T00:00:02Z", "reason": "settled"},
        }))
        .unwrap();
        let lanes = crate::lanes::layout(&timeline);
        assert_eq!(lanes.groups[0].lanes[0].markers[0].time_ms, 1234);
        let phase_at =
            |ms| phase(last_play_at(&timeline, &lanes, "Pod/p", ms).and_then(|p| p.after.as_ref()));
        assert_eq!(phase_at(1233), None);
        assert_eq!(phase_at(1234), Some("Running"));
    }

    #[test]
    fn phases() {
        let pod = serde_json::json!({"status": {"phase": "Running"}});
        assert_eq!(phase(Some(&pod)), Some("Running"));
        assert_eq!(phase(Some(&serde_json::json!({}))), None);
        assert_eq!(phase(None), None);
    }
}
