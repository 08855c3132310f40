//! The first visit's run, answered without the engine.
//!
//! The build script (`web/build.rs`) runs the engine natively on the default scenario's
//! request, as the page sends it, and the page's module carries the answer. When the page
//! sends that same request, [`answer`] gives the recorded answer, so a first visit draws its
//! timeline without loading the engine's module; any other request (an edit, a preset, a
//! shared link, the inspector's questions) goes to the engine.
//!
//! The answer is the engine's own, made from the same presets when the page is built, so it
//! cannot drift from what the engine would answer.

use std::sync::LazyLock;

use crate::presets;

const ANSWER: &str = include_str!(concat!(env!("OUT_DIR"), "/first-visit-answer.json"));

/// The first visit's request as the page sends it; the build script sends the same.
static REQUEST: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string(&presets::default_scenario()).unwrap_or_default());

/// The recorded answer to `request` (JSON), when it is the first visit's run.
pub fn answer(request: &str) -> Option<&'static str> {
    (request == REQUEST.as_str()).then_some(ANSWER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glue::{self, Op, Response};

    /// Natively both answers come from the same build of the engine, so this checks that the
    /// recording is of this request and that the run is deterministic; the browser test
    /// compares the recording with the engine compiled to wasm.
    #[test]
    fn the_default_scenarios_run_is_answered_as_the_engine_answers_it() {
        let request = serde_json::to_string(&presets::default_scenario()).unwrap();
        let recorded = answer(&request).expect("the default run is recorded");
        assert_eq!(recorded, glue::answer(&request));
        let Ok(Response::Ok {
            timeline: Some(timeline),
            ..
        }) = serde_json::from_str::<Response>(recorded)
        else {
            panic!("the recorded answer is not a run: {recorded:.200}");
        };
        assert!(timeline.plays().count() > 0);
    }

    #[test]
    fn any_other_request_goes_to_the_engine() {
        let mut edited = presets::default_scenario();
        edited.objects.push_str("\n# an edit\n");
        assert_eq!(answer(&serde_json::to_string(&edited).unwrap()), None);

        let mut check = presets::default_scenario();
        check.op = Op::Check;
        assert_eq!(answer(&serde_json::to_string(&check).unwrap()), None);
    }
}
