//! The worker's module: the engine behind [`stage_web_glue::answer`], and the exports the
//! page's worker calls. It holds none of the page, and the page's module holds none of the
//! engine's run, so a visit that never asks the engine anything never loads it.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The worker's record of a panic (its bootstrap script defines it): the module aborts
    /// right after a panic, so its message must leave before.
    #[wasm_bindgen(catch, js_namespace = self, js_name = __stageEnginePanic)]
    fn report_panic(message: &str) -> Result<(), JsValue>;
}

/// Runs when the worker instantiates the module: a panic's message and place go to the
/// worker, which answers the request with them.
fn main() {
    std::panic::set_hook(Box::new(|info| {
        // A worker without the record (a measurement's own) gets the abort alone.
        let _ = report_panic(&info.to_string());
    }));
}

/// Runs one request (JSON, see [`stage_web_glue::Request`]) and answers with JSON.
#[wasm_bindgen]
pub fn run_request(request: &str) -> String {
    stage_web_glue::answer(request)
}

#[wasm_bindgen]
extern "C" {
    /// The worker's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// [`run_request`] for measurement: answers `[answer, phases]`, where `phases` is JSON,
/// `[[phase, milliseconds], ...]`, the time each phase of the answer took in the module.
#[wasm_bindgen]
pub fn measure_request(request: &str) -> js_sys::Array {
    let mut watch = stage_web_glue::Stopwatch::start(&performance_now);
    let answer = stage_web_glue::answer_timed(request, &mut watch);
    let phases = serde_json::to_string(&watch.laps).unwrap_or_default();
    js_sys::Array::of2(&answer.into(), &phases.into())
}
