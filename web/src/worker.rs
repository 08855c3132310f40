//! Runs the engine off the page's thread, in a Web Worker that loads this same wasm module.
//!
//! The worker is started from a small bootstrap script (a Blob URL) that imports the
//! module's JavaScript glue by its own URL and instantiates it with the already compiled
//! `WebAssembly.Module`, so nothing is fetched twice and no extra file has to be deployed.
//! The module's `main` does nothing outside a window, so only [`crate::glue`] runs there.
//!
//! The worker is started as soon as the runner exists, so that its start (loading the glue,
//! instantiating the module) overlaps the page's first render instead of delaying the first
//! run. A panic in the engine ends that worker's instance; the runner then reports it and
//! starts a fresh worker. Where no worker can be started, requests run on the page's thread.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

const BOOTSTRAP: &str = r#"
let ready = null;
self.onmessage = async (event) => {
  const message = event.data;
  if (message.glue) {
    ready = import(message.glue).then(async (bindings) => {
      await bindings.default({ module_or_path: message.module });
      return bindings;
    });
    return;
  }
  try {
    const bindings = await ready;
    self.postMessage({ id: message.id, answer: bindings.run_request(message.request) });
  } catch (error) {
    self.postMessage({ id: message.id, failure: String(error && error.stack || error) });
  }
};
"#;

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// Runs one request (JSON, see [`crate::glue::Request`]) and answers with JSON. The worker
/// calls this export of the module.
#[wasm_bindgen]
pub fn run_request(request: &str) -> String {
    crate::glue::answer(request)
}

#[wasm_bindgen]
extern "C" {
    /// The page's or the worker's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// [`run_request`] for measurement: answers `[answer, phases]`, where `phases` is JSON,
/// `[[phase, milliseconds], ...]`, the time each phase of the answer took in the module.
#[wasm_bindgen]
pub fn measure_request(request: &str) -> js_sys::Array {
    let mut watch = crate::glue::Stopwatch::start(&performance_now);
    let answer = crate::glue::answer_timed(request, &mut watch);
    let phases = serde_json::to_string(&watch.laps).unwrap_or_default();
    js_sys::Array::of2(&answer.into(), &phases.into())
}

/// For measurement: how long the page takes to read an answer (JSON) into its types, in
/// milliseconds, as [`crate::run::Engine`] reads each answer it takes.
#[wasm_bindgen]
pub fn measure_reading(answer: &str) -> f64 {
    let start = performance_now();
    let read = serde_json::from_str::<crate::glue::Response>(answer);
    let took = performance_now() - start;
    drop(read);
    took
}

/// The answer to one request: the engine's JSON, or why there is none.
pub type Answer = Result<String, String>;

type Pending = Rc<RefCell<HashMap<u32, Box<dyn FnOnce(Answer)>>>>;

/// Sends requests to the worker and hands each answer to its callback.
pub struct Runner {
    worker: RefCell<Option<Live>>,
    pending: Pending,
    next_id: Cell<u32>,
}

struct Live {
    worker: Worker,
    // Kept alive as long as the worker: the browser calls them.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl Default for Runner {
    /// A runner whose worker is already starting.
    fn default() -> Runner {
        let runner = Runner {
            worker: RefCell::new(None),
            pending: Pending::default(),
            next_id: Cell::new(0),
        };
        runner.ensure_worker();
        runner
    }
}

impl Runner {
    /// Answers a request (JSON) through `done`, later, on the page's thread.
    pub fn run(&self, request: String, done: impl FnOnce(Answer) + 'static) {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));

        if !self.ensure_worker() {
            done(Ok(crate::glue::answer(&request)));
            return;
        }

        let message = js_sys::Object::new();
        let sent = js_sys::Reflect::set(&message, &"id".into(), &id.into())
            .and_then(|_| js_sys::Reflect::set(&message, &"request".into(), &request.into()))
            .and_then(|_| match self.worker.borrow().as_ref() {
                Some(live) => live.worker.post_message(&message),
                None => Err(JsValue::from_str("no worker")),
            });
        match sent {
            Ok(()) => {
                self.pending.borrow_mut().insert(id, Box::new(done));
            }
            Err(error) => done(Err(describe(&error))),
        }
    }

    /// Ends the worker (after a failure, or to stop a run) and starts a fresh one for the
    /// next request. The callbacks of requests the ended worker had are dropped uncalled:
    /// their answers will never come, and the page has moved on from them.
    pub fn restart(&self) {
        self.worker.borrow_mut().take();
        self.pending.borrow_mut().clear();
        self.ensure_worker();
    }

    /// Starts the worker unless it runs already; false when no worker can be started.
    fn ensure_worker(&self) -> bool {
        if self.worker.borrow().is_some() {
            return true;
        }
        match start(self.pending.clone()) {
            Ok(live) => {
                *self.worker.borrow_mut() = Some(live);
                true
            }
            Err(_) => false,
        }
    }
}

/// Starts a worker on this module and sends it the module.
fn start(pending: Pending) -> Result<Live, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(BOOTSTRAP));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let worker_options = WorkerOptions::new();
    worker_options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&url, &worker_options)?;
    Url::revoke_object_url(&url)?;

    let on_message = {
        let pending = pending.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let get = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
            let Some(id) = get("id").and_then(|id| id.as_f64()) else {
                return;
            };
            let answer = match get("answer").and_then(|answer| answer.as_string()) {
                Some(answer) => Ok(answer),
                None => Err(get("failure")
                    .and_then(|failure| failure.as_string())
                    .unwrap_or_else(|| "the engine gave no answer".to_string())),
            };
            let done = pending.borrow_mut().remove(&(id as u32));
            if let Some(done) = done {
                done(answer);
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

    let on_error =
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            let message = event.message();
            let waiting: Vec<_> = pending.borrow_mut().drain().map(|(_, done)| done).collect();
            for done in waiting {
                done(Err(message.clone()));
            }
        });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    let hello = js_sys::Object::new();
    js_sys::Reflect::set(
        &hello,
        &"glue".into(),
        &GLUE_URL.with(|url| JsValue::from_str(url)),
    )?;
    js_sys::Reflect::set(&hello, &"module".into(), &wasm_bindgen::module())?;
    worker.post_message(&hello)?;

    Ok(Live {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            js_sys::JSON::stringify(error)
                .ok()
                .and_then(|text| text.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_string())
}
