//! Choosing one Stage when several match (kwok's `Lifecycle.Match`), and the candidate
//! set kwok's test harness lists instead of drawing (`ListAllPossible`).
//!
//! A single match is taken without computing its weight. Otherwise each Stage's weight is
//! computed (static `weight`, or `weightFrom` by jq; a jq string that is empty or not a Go
//! integer makes the Stage "invalid") and the draw follows kwok's rules for all-invalid
//! Stages and a zero total. A negative total would make kwok's random call panic; the
//! engine refuses it with an error instead. Randomness comes in through [`Chance`].

use std::fmt;

use serde::Serialize;
use stage_jq::Output;

use crate::model::Stage;
use crate::select::ObjectView;

/// A source of uniform integers: a seeded generator, or draws replayed from a recording.
pub trait Chance {
    /// A uniform integer in `[0, n)`; `n` is at least 1.
    fn below(&mut self, n: u64) -> u64;
}

/// A Stage's weight as kwok computes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Weight {
    Valid(i64),
    /// kwok's "not ok": the Stage only counts when no Stage has a valid weight.
    Invalid(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WeightError {
    /// A `weightFrom` with a CEL expression (CEL takes precedence over jq in kwok).
    NotSupported { stage: String, message: String },
    /// The valid weights add up to less than zero; kwok's `rand.Int63n` panics here.
    NegativeTotal { total: i64 },
}

impl fmt::Display for WeightError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightError::NotSupported { stage, message } => {
                write!(f, "stage {stage}: weightFrom: {message}")
            }
            WeightError::NegativeTotal { total } => write!(
                f,
                "the weights of the matching stages add up to {total}; kwok's random draw \
                 panics on a negative total, so no stage is chosen"
            ),
        }
    }
}

impl std::error::Error for WeightError {}

/// kwok's weight getter (`int64From.Get`) for one Stage. A jq `weightFrom` reads its first
/// output: no output, booleans, lists, objects and jq's own integers give the static
/// weight; a number read from the object is truncated; a string must be a Go integer.
pub fn stage_weight(stage: &Stage, view: &ObjectView) -> Result<Weight, WeightError> {
    let fallback = Weight::Valid(stage.weight);
    let Some(from) = &stage.weight_from else {
        return Ok(fallback);
    };
    // FIXME: kwok evaluates a CEL weightFrom (it takes precedence over jq) and uses the
    // integer it gives; here the draw fails with a "not supported" error.
    if from.cel.is_some() {
        return Err(WeightError::NotSupported {
            stage: stage.name.clone(),
            message: crate::select::CEL_NOT_SUPPORTED.to_string(),
        });
    }
    let Some(query) = &from.jq else {
        return Ok(fallback);
    };
    Ok(match query.first(view.jq()) {
        None => fallback,
        Some(Output::String(text)) if text.is_empty() => {
            Weight::Invalid("weightFrom gave an empty string".to_string())
        }
        Some(Output::String(text)) => match parse_go_int(&text) {
            Some(value) => Weight::Valid(value),
            None => Weight::Invalid(format!("weightFrom gave {text:?}, not an integer")),
        },
        // Go converts float64 to int64 by truncating toward zero.
        Some(Output::Float(value)) => Weight::Valid(value as i64),
        // kwok only reads strings and float64s; the integers jq itself produces
        // (`length`, literals) fall back to the static weight, like booleans and objects.
        Some(Output::Int(_)) | Some(Output::Bool(_)) | Some(Output::Other(_)) => fallback,
    })
}

/// `strconv.ParseInt(text, 0, 64)`, the rule kwok reads a `weightFrom` string with; the Go
/// template crate owns the one implementation.
pub use stage_gotpl::value::parse_go_int;

/// How kwok would draw among the matching Stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Draw {
    /// One matching Stage, taken without computing its weight.
    Single { index: usize },
    /// Uniform among these indices (all invalid, or a zero total).
    Uniform { indices: Vec<usize> },
    /// `r` uniform in `[0, total)`, then the walk over Stages with a weight above zero.
    Weighted {
        total: i64,
        entries: Vec<(usize, i64)>,
    },
}

/// The weights and the draw kwok would make among `matched` (in list order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// One entry per matching Stage; `None` when kwok did not compute it (single match).
    pub weights: Vec<Option<Weight>>,
    pub draw: Draw,
}

impl Choice {
    /// kwok's `ListAllPossible`: the indices any draw could produce.
    pub fn candidates(&self) -> Vec<usize> {
        match &self.draw {
            Draw::Single { index } => vec![*index],
            Draw::Uniform { indices } => indices.clone(),
            Draw::Weighted { entries, .. } => entries.iter().map(|(i, _)| *i).collect(),
        }
    }

    /// Draws one index. A negative total is refused (kwok panics there).
    pub fn pick(&self, chance: &mut dyn Chance) -> Result<usize, WeightError> {
        match &self.draw {
            Draw::Single { index } => Ok(*index),
            Draw::Uniform { indices } => {
                let at = chance.below(indices.len() as u64) as usize;
                Ok(indices.get(at).or(indices.first()).copied().unwrap_or(0))
            }
            Draw::Weighted { total, entries } => {
                if *total < 0 {
                    return Err(WeightError::NegativeTotal { total: *total });
                }
                let mut r = chance.below(*total as u64) as i64;
                for (index, weight) in entries {
                    r -= weight;
                    if r < 0 {
                        return Ok(*index);
                    }
                }
                // kwok falls back to the last matching Stage; the walk cannot get here
                // with a positive total, but a replayed draw out of range could.
                Ok(entries.last().map_or(0, |(i, _)| *i))
            }
        }
    }
}

/// Computes the weights and kwok's draw for the Stages in `matched`; `None` when nothing
/// matched.
pub fn choose(matched: &[&Stage], view: &ObjectView) -> Result<Option<Choice>, WeightError> {
    match matched.len() {
        0 => return Ok(None),
        1 => {
            return Ok(Some(Choice {
                weights: vec![None],
                draw: Draw::Single { index: 0 },
            }));
        }
        _ => {}
    }

    let weights = matched
        .iter()
        .map(|stage| stage_weight(stage, view))
        .collect::<Result<Vec<Weight>, WeightError>>()?;
    let valid: Vec<(usize, i64)> = weights
        .iter()
        .enumerate()
        .filter_map(|(i, w)| match w {
            Weight::Valid(v) => Some((i, *v)),
            Weight::Invalid(_) => None,
        })
        .collect();
    let total = valid
        .iter()
        .fold(0i64, |sum, (_, w)| sum.saturating_add(*w));
    let all: Vec<usize> = (0..matched.len()).collect();

    let draw = if valid.is_empty() || (total == 0 && valid.len() == matched.len()) {
        Draw::Uniform { indices: all }
    } else if total == 0 {
        // Some invalid: uniform among the valid ones with a weight of at least zero.
        Draw::Uniform {
            indices: valid
                .iter()
                .filter(|(_, w)| *w >= 0)
                .map(|(i, _)| *i)
                .collect(),
        }
    } else {
        Draw::Weighted {
            total,
            entries: valid.into_iter().filter(|(_, w)| *w > 0).collect(),
        }
    };
    Ok(Some(Choice {
        weights: weights.into_iter().map(Some).collect(),
        draw,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExpressionFrom, Origin, Selector};
    use crate::select::tests::stage;
    use serde_json::json;

    /// Replays fixed draws.
    struct Fixed(Vec<u64>);

    impl Chance for Fixed {
        fn below(&mut self, n: u64) -> u64 {
            let value = self.0.remove(0);
            assert!(value < n, "draw {value} out of [0, {n})");
            value
        }
    }

    fn weighted(name: &str, weight: i64, from: Option<&str>) -> Stage {
        let mut s = stage(name, Some(Selector::default()));
        s.weight = weight;
        s.weight_from = from.map(|q| ExpressionFrom {
            origin: Origin::default(),
            jq: Some(stage_jq::Query::compile(q).unwrap()),
            cel: None,
        });
        s
    }

    fn view(annotations: serde_json::Value) -> ObjectView {
        ObjectView::new(json!({"kind": "Pod", "metadata": {"annotations": annotations}}))
    }

    fn weight_of(from: &str, object: serde_json::Value) -> Weight {
        stage_weight(&weighted("s", 7, Some(from)), &view(object)).unwrap()
    }

    #[test]
    fn go_integer_literals() {
        let cases: &[(&str, Option<i64>)] = &[
            ("10", Some(10)),
            ("0x10", Some(16)),
            ("0X1f", Some(31)),
            ("010", Some(8)),
            ("0o17", Some(15)),
            ("0b11", Some(3)),
            ("1_000", Some(1000)),
            ("0x_1f", Some(31)),
            ("-5", Some(-5)),
            ("+5", Some(5)),
            ("0", Some(0)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("abc", None),
            ("1.5", None),
            ("", None),
            ("_1", None),
            ("1_", None),
            ("1__0", None),
            ("08", None),
            ("0x", None),
            (" 1", None),
            // One sign, in front: Go's ParseUint reads a second one as a byte that is not a
            // digit.
            ("-+5", None),
            ("+-5", None),
            ("--5", None),
            ("++5", None),
            ("0x+5", None),
            ("0x-5", None),
            ("0+5", None),
            ("+", None),
            ("-", None),
            // A prefix needs a digit after it; `0b` alone is octal with the digit `b`.
            ("0b", None),
            ("0o", None),
            ("0B101", Some(5)),
            ("0O17", Some(15)),
            ("0xFF", Some(255)),
            ("0xg", None),
            ("0b2", None),
            ("00", Some(0)),
            ("-0", Some(0)),
            ("0_7", Some(7)),
            ("0_8", None),
            ("0x_", None),
            ("0_x1", None),
            ("1_000_000", Some(1_000_000)),
            ("-1_0", Some(-10)),
            ("0b_1_0", Some(2)),
            ("0x1_f", Some(31)),
            // Letters above the base, and digits Go does not read as digits.
            ("1a", None),
            ("\u{663}", None),
            ("1 ", None),
            // The range of int64, in any base.
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775809", None),
            ("0x7fffffffffffffff", Some(i64::MAX)),
            ("-0x8000000000000000", Some(i64::MIN)),
            ("0x8000000000000000", None),
            ("0xffffffffffffffff", None),
            ("0x10000000000000000", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_go_int(text), *want, "{text:?}");
        }
    }

    #[test]
    fn weight_from_rules() {
        let w = ".metadata.annotations.w";
        assert_eq!(weight_of(w, json!({})), Weight::Valid(7));
        assert!(matches!(weight_of(w, json!({"w": ""})), Weight::Invalid(_)));
        assert_eq!(weight_of(w, json!({"w": "10"})), Weight::Valid(10));
        assert_eq!(weight_of(w, json!({"w": "010"})), Weight::Valid(8));
        assert!(matches!(
            weight_of(w, json!({"w": "abc"})),
            Weight::Invalid(_)
        ));
        assert!(matches!(
            weight_of(w, json!({"w": "1.5"})),
            Weight::Invalid(_)
        ));
        assert!(matches!(
            weight_of(w, json!({"w": "-+5"})),
            Weight::Invalid(_)
        ));
        assert_eq!(weight_of(w, json!({"w": "-0x_a"})), Weight::Valid(-10));
        assert_eq!(weight_of(w, json!({"w": 3.9})), Weight::Valid(3));
        assert_eq!(weight_of(w, json!({"w": -3.9})), Weight::Valid(-3));
        assert_eq!(weight_of(w, json!({"w": true})), Weight::Valid(7));
        assert_eq!(weight_of(w, json!({"w": [1]})), Weight::Valid(7));
        assert_eq!(
            weight_of(".metadata.annotations | length", json!({"a": 1, "b": 2})),
            Weight::Valid(7)
        );
        assert_eq!(weight_of("5", json!({})), Weight::Valid(7));
        assert_eq!(
            weight_of(".metadata.annotations | length | tostring", json!({"a": 1})),
            Weight::Valid(1)
        );
        // First output only.
        assert_eq!(weight_of(r#"("4", "5")"#, json!({})), Weight::Valid(4));
        // A runtime error is no output: the static weight.
        assert_eq!(
            weight_of(".metadata.annotations.w.x", json!({"w": "s"})),
            Weight::Valid(7)
        );
    }

    fn draw(stages: &[Stage], object: serde_json::Value) -> Option<Choice> {
        let refs: Vec<&Stage> = stages.iter().collect();
        choose(&refs, &view(object)).unwrap()
    }

    #[test]
    fn draw_rules() {
        let a0 = || weighted("a", 0, None);
        let b0 = || weighted("b", 0, None);
        assert_eq!(draw(&[], json!({})), None);
        // A single match: its weight is not even computed.
        let single = draw(
            &[weighted("a", 0, Some(".metadata.annotations.w"))],
            json!({"w": ""}),
        );
        assert_eq!(
            single.map(|c| (c.weights, c.draw)),
            Some((vec![None], Draw::Single { index: 0 }))
        );
        // A(3), B(1): weighted.
        let c = draw(&[weighted("a", 3, None), weighted("b", 1, None)], json!({})).unwrap();
        assert_eq!(
            c.draw,
            Draw::Weighted {
                total: 4,
                entries: vec![(0, 3), (1, 1)]
            }
        );
        // A(0), B(5): always B.
        let c = draw(&[a0(), weighted("b", 5, None)], json!({})).unwrap();
        assert_eq!(c.candidates(), [1]);
        // A(0), B(0): uniform.
        assert_eq!(
            draw(&[a0(), b0()], json!({})).unwrap().draw,
            Draw::Uniform {
                indices: vec![0, 1]
            }
        );
        // A invalid, B(0): T = 0 with an invalid one, so only B.
        let a_invalid = || weighted("a", 1, Some(".metadata.annotations.w"));
        assert_eq!(
            draw(&[a_invalid(), b0()], json!({"w": ""}))
                .unwrap()
                .candidates(),
            [1]
        );
        // All invalid: uniform among all.
        let c = draw(&[a_invalid(), a_invalid()], json!({"w": "x"})).unwrap();
        assert_eq!(
            c.draw,
            Draw::Uniform {
                indices: vec![0, 1]
            }
        );
        // A(-5), B(5): T = 0, no invalid, uniform among both (A included).
        let neg = || weighted("a", 0, Some(".metadata.annotations.w"));
        let c = draw(&[neg(), weighted("b", 5, None)], json!({"w": "-5"})).unwrap();
        assert_eq!(c.candidates(), [0, 1]);
        // A(-5), B(0), C invalid: T = -5 ≠ 0, nothing has a weight above zero.
        let c = draw(&[neg(), b0()], json!({"w": "-5"})).unwrap();
        assert_eq!(
            c.draw,
            Draw::Weighted {
                total: -5,
                entries: vec![]
            }
        );
    }

    #[test]
    fn picking() {
        let stages = [
            weighted("a", 3, None),
            weighted("b", 0, None),
            weighted("c", 1, None),
        ];
        let c = draw(&stages, json!({})).unwrap();
        assert_eq!(c.pick(&mut Fixed(vec![0])), Ok(0));
        assert_eq!(c.pick(&mut Fixed(vec![2])), Ok(0));
        assert_eq!(c.pick(&mut Fixed(vec![3])), Ok(2));
        let u = draw(&[weighted("a", 0, None), weighted("b", 0, None)], json!({})).unwrap();
        assert_eq!(u.pick(&mut Fixed(vec![1])), Ok(1));
        let neg = weighted("a", 0, Some(".metadata.annotations.w"));
        let c = draw(&[neg, weighted("b", 3, None)], json!({"w": "-5"})).unwrap();
        let error = c.pick(&mut Fixed(vec![])).unwrap_err();
        assert_eq!(error, WeightError::NegativeTotal { total: -2 });
        assert!(error.to_string().contains("panics"), "{error}");
    }

    #[test]
    fn cel_weight_is_reported() {
        let mut s = weighted("a", 1, None);
        s.weight_from = Some(ExpressionFrom {
            origin: Origin::default(),
            jq: None,
            cel: Some("1".into()),
        });
        let error = stage_weight(&s, &view(json!({}))).unwrap_err();
        assert!(error.to_string().contains("not supported"), "{error}");
    }
}
