//! A Stage's delay (kwok's `Stage.Delay` and `DelayRangePossible`) as a plan the loop
//! samples.
//!
//! Two getters, each giving (value, ok): the duration (static `durationMilliseconds`, 0 if
//! unset, or `durationFrom`) and the jitter (only when `jitterDurationMilliseconds` or
//! `jitterDurationFrom` is set; a CEL-only `jitterDurationFrom` is ignored). A jq source
//! reads its first output: `""` is "not ok", an RFC 3339 timestamp gives the time left
//! until it, a Go duration gives itself, anything else falls back to the static value.
//! When the jitter is not above the duration, the delay is the jitter itself.

use std::fmt;

use serde::Serialize;
use stage_jq::Output;

use crate::duration::{Nanos, parse_go_duration};
use crate::model::{Delay, ExpressionFrom};
use crate::select::ObjectView;
use crate::weight::Chance;

const MS: i64 = 1_000_000;

/// What the loop samples a delay from, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DelayPlan {
    /// No delay block, or the duration getter was not ok: run at once (kwok shows no delay).
    None,
    /// Exactly this delay; zero or negative means "as soon as possible".
    Fixed { ns: Nanos },
    /// Uniform in `[min, max)`.
    Range { min: Nanos, max: Nanos },
}

impl DelayPlan {
    /// The delay to wait, drawing from `chance` for a range.
    pub fn sample(&self, chance: &mut dyn Chance) -> Nanos {
        match *self {
            DelayPlan::None => 0,
            DelayPlan::Fixed { ns } => ns,
            DelayPlan::Range { min, max } => {
                let width = max.saturating_sub(min).max(1) as u64;
                min.saturating_add(chance.below(width) as i64)
            }
        }
    }

    /// kwok's `DelayRangePossible`: nothing, `[d]` or `[d, j]`.
    pub fn possible(&self) -> Vec<Nanos> {
        match *self {
            DelayPlan::None => Vec::new(),
            DelayPlan::Fixed { ns } => vec![ns],
            DelayPlan::Range { min, max } => vec![min, max],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelayError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for DelayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "delay.{}: {}", self.field, self.message)
    }
}

impl std::error::Error for DelayError {}

/// The delay plan of a Stage's `delay` block for `view` at `now` (ns since the epoch).
pub fn delay_plan(
    delay: Option<&Delay>,
    view: &ObjectView,
    now: Nanos,
) -> Result<DelayPlan, DelayError> {
    let Some(delay) = delay else {
        return Ok(DelayPlan::None);
    };

    let static_duration = delay.duration_milliseconds.unwrap_or(0).saturating_mul(MS);
    let duration = getter(
        "durationFrom",
        Some(static_duration),
        delay.duration_from.as_ref(),
        true,
        view,
        now,
    )?;
    let Some(d) = duration else {
        return Ok(DelayPlan::None);
    };

    if delay.jitter_duration_milliseconds.is_none() && delay.jitter_duration_from.is_none() {
        return Ok(DelayPlan::Fixed { ns: d });
    }
    let static_jitter = delay
        .jitter_duration_milliseconds
        .map(|ms| ms.saturating_mul(MS));
    let jitter = getter(
        "jitterDurationFrom",
        static_jitter,
        delay.jitter_duration_from.as_ref(),
        false,
        view,
        now,
    )?;
    Ok(match jitter {
        None => DelayPlan::Fixed { ns: d },
        Some(j) if j <= d => DelayPlan::Fixed { ns: j },
        Some(j) => DelayPlan::Range { min: d, max: j },
    })
}

/// One getter: `Some(value)` when ok.
fn getter(
    field: &'static str,
    fallback: Option<Nanos>,
    from: Option<&ExpressionFrom>,
    cel_counts: bool,
    view: &ObjectView,
    now: Nanos,
) -> Result<Option<Nanos>, DelayError> {
    let Some(from) = from else {
        return Ok(fallback);
    };
    // FIXME: kwok evaluates a CEL durationFrom (a duration, a timestamp, or an integer of
    // nanoseconds); here the delay fails with a "not supported" error.
    if cel_counts && from.cel.is_some() {
        return Err(DelayError {
            field,
            message: crate::select::CEL_NOT_SUPPORTED.to_string(),
        });
    }
    // The jitter getter only ever reads the jq form.
    let Some(query) = &from.jq else {
        return Ok(fallback);
    };
    Ok(match query.first(view.jq()) {
        Some(Output::String(text)) => {
            if text.is_empty() {
                None
            } else if let Some(at) = parse_timestamp(&text) {
                Some(at.saturating_sub(now))
            } else if let Ok(d) = parse_go_duration(&text) {
                Some(d)
            } else {
                fallback
            }
        }
        _ => fallback,
    })
}

/// An RFC 3339 timestamp in ns. Only strings that start like a date are handed to the
/// parser: a Go duration never does, and this keeps the common case cheap.
fn parse_timestamp(text: &str) -> Option<Nanos> {
    let bytes = text.as_bytes();
    let looks_like_date =
        bytes.len() >= 11 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-';
    if !looks_like_date {
        return None;
    }
    stage_kube::time::parse_rfc3339(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use serde_json::json;

    const S: i64 = 1_000_000_000;
    /// 2006-01-02T15:04:05Z, the harness's `now`.
    const NOW: i64 = 1_136_214_245 * S;

    fn jq(query: &str) -> Option<ExpressionFrom> {
        Some(ExpressionFrom {
            origin: Origin::default(),
            jq: Some(stage_jq::Query::compile(query).unwrap()),
            cel: None,
        })
    }

    fn cel_only() -> Option<ExpressionFrom> {
        Some(ExpressionFrom {
            origin: Origin::default(),
            jq: None,
            cel: Some("1".into()),
        })
    }

    fn block(duration: Option<i64>, jitter: Option<i64>) -> Delay {
        Delay {
            duration_milliseconds: duration,
            jitter_duration_milliseconds: jitter,
            ..Delay::default()
        }
    }

    fn general(duration: i64, jitter: i64) -> Delay {
        Delay {
            duration_from: jq(r#".metadata.annotations["delay"]"#),
            jitter_duration_from: jq(r#".metadata.annotations["jitter"]"#),
            ..block(Some(duration), Some(jitter))
        }
    }

    fn plan(delay: &Delay, annotations: serde_json::Value) -> DelayPlan {
        let view = ObjectView::new(json!({"metadata": {"annotations": annotations}}));
        delay_plan(Some(delay), &view, NOW).unwrap()
    }

    fn fixed(ns: i64) -> DelayPlan {
        DelayPlan::Fixed { ns }
    }

    fn range(min: i64, max: i64) -> DelayPlan {
        DelayPlan::Range { min, max }
    }

    #[test]
    fn static_rules() {
        let view = ObjectView::new(json!({}));
        assert_eq!(delay_plan(None, &view, NOW), Ok(DelayPlan::None));
        assert_eq!(plan(&block(None, None), json!({})), fixed(0));
        assert_eq!(plan(&block(Some(1000), None), json!({})), fixed(S));
        assert_eq!(
            plan(&block(Some(1000), Some(5000)), json!({})),
            range(S, 5 * S)
        );
        assert_eq!(plan(&block(Some(1000), Some(1000)), json!({})), fixed(S));
        // The jitter value itself when it is not above the duration.
        assert_eq!(
            plan(&block(Some(10000), Some(5000)), json!({})),
            fixed(5 * S)
        );
        assert_eq!(plan(&block(None, Some(5000)), json!({})), range(0, 5 * S));
    }

    #[test]
    fn jq_rules_with_annotations() {
        let g = general(1000, 5000);
        assert_eq!(plan(&g, json!({})), range(S, 5 * S));
        assert_eq!(plan(&g, json!({"delay": "10s"})), fixed(5 * S));
        assert_eq!(
            plan(&g, json!({"delay": "10s", "jitter": "20s"})),
            range(10 * S, 20 * S)
        );
        // A bare number is not a Go duration: the static value.
        assert_eq!(plan(&g, json!({"delay": "1000"})), range(S, 5 * S));
        // An empty string turns the delay off.
        assert_eq!(plan(&g, json!({"delay": ""})), DelayPlan::None);
        // An empty jitter is "not ok": the duration alone.
        assert_eq!(plan(&g, json!({"jitter": ""})), fixed(S));
        // Numbers and booleans fall back to the static value.
        assert_eq!(plan(&g, json!({"delay": 7})), range(S, 5 * S));
        assert_eq!(plan(&g, json!({"delay": "-1s"})), range(-S, 5 * S));
    }

    #[test]
    fn timestamps_minus_now() {
        let delete = Delay {
            jitter_duration_from: jq(".metadata.deletionTimestamp"),
            ..block(Some(1000), None)
        };
        let at = |ts: &str| {
            let view = ObjectView::new(json!({"metadata": {"deletionTimestamp": ts}}));
            delay_plan(Some(&delete), &view, NOW).unwrap()
        };
        assert_eq!(at("2006-01-02T15:04:35Z"), range(S, 30 * S));
        assert_eq!(at("2006-01-02T15:04:05Z"), fixed(0));
        assert_eq!(at("2006-01-02T15:04:00Z"), fixed(-5 * S));
        assert_eq!(at("2006-01-02T23:04:35.5+08:00"), range(S, 30 * S + S / 2));
        let no_ts = ObjectView::new(json!({"metadata": {}}));
        // No output and no static jitter: "not ok", the duration alone.
        assert_eq!(delay_plan(Some(&delete), &no_ts, NOW), Ok(fixed(S)));

        let from = Delay {
            duration_from: jq(".metadata.deletionTimestamp"),
            ..Delay::default()
        };
        let view =
            ObjectView::new(json!({"metadata": {"deletionTimestamp": "2006-01-02T15:04:06Z"}}));
        assert_eq!(delay_plan(Some(&from), &view, NOW), Ok(fixed(S)));
    }

    #[test]
    fn cel_sources() {
        // A CEL-only jitterDurationFrom is ignored: no static jitter, so "not ok".
        let jitter = Delay {
            jitter_duration_from: cel_only(),
            ..block(Some(1000), None)
        };
        assert_eq!(plan(&jitter, json!({})), fixed(S));
        // A CEL durationFrom would be evaluated by kwok; the engine says it cannot.
        let duration = Delay {
            duration_from: cel_only(),
            ..block(Some(1000), None)
        };
        let view = ObjectView::new(json!({}));
        let error = delay_plan(Some(&duration), &view, NOW).unwrap_err();
        assert_eq!(
            error.to_string(),
            "delay.durationFrom: CEL expressions are not supported yet"
        );
    }

    struct Fixed(u64);

    impl Chance for Fixed {
        fn below(&mut self, n: u64) -> u64 {
            self.0.min(n - 1)
        }
    }

    #[test]
    fn sampling_and_possible() {
        assert_eq!(DelayPlan::None.sample(&mut Fixed(3)), 0);
        assert_eq!(fixed(5).sample(&mut Fixed(3)), 5);
        assert_eq!(range(10, 20).sample(&mut Fixed(3)), 13);
        assert_eq!(range(10, 20).sample(&mut Fixed(99)), 19);
        assert_eq!(DelayPlan::None.possible(), Vec::<i64>::new());
        assert_eq!(fixed(5).possible(), [5]);
        assert_eq!(range(1, 2).possible(), [1, 2]);
    }
}
