//! Runs the engine off the page's thread, in a Web Worker on the engine's own module.
//!
//! The engine is a wasm module of its own (`stage-worker`, built from `web/glue`), which
//! the page's module does not contain: a visit that never asks the engine anything does not
//! load it. The first visit's run is answered from [`crate::first_visit`] without it.
//!
//! The worker is started from a small bootstrap script (a Blob URL) that imports the
//! engine module's JavaScript glue, found next to the page's own, when the first request
//! that needs the engine comes. The module is compiled once per page: the first worker
//! sends its compilation back and later workers (after Stop or a failure, and the one for
//! files) start from it.
//! The engine module's names are fixed, so the build adds its version to their URLs (see
//! [`engine_version`]) and a new build is never answered by an old engine from a cache.
//!
//! A panic in the engine ends that worker's instance; the runner then reports it, with the
//! panic's message, and starts a fresh worker. Where no worker can be started, each request
//! is answered with that failure.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

// The worker's script. The first message says where the engine module is and may carry it
// compiled: a worker started after the first reuses the first one's compilation, which it
// posts back. The engine's panic hook reports its message through `__stageEnginePanic`
// before the module aborts, so a request that panicked fails with that message.
const BOOTSTRAP: &str = r#"
let hello = null;
let ready = null;
let panicked = null;
self.__stageEnginePanic = (message) => {
  panicked = message;
};
async function load(message) {
  const bindings = await import(message.glue);
  let module = message.module;
  if (!module) {
    const response = await fetch(message.wasm);
    if (!response.ok) throw new Error(`${message.wasm}: ${response.status} ${response.statusText}`);
    // Compiled while it downloads; a server that does not say application/wasm gets the
    // whole download compiled instead.
    module = await WebAssembly.compileStreaming(response.clone()).catch(async (error) => {
      if (!(error instanceof TypeError)) throw error;
      return WebAssembly.compile(await response.arrayBuffer());
    });
    self.postMessage({ module });
  }
  await bindings.default({ module_or_path: module });
  return bindings;
}
self.onmessage = async (event) => {
  const message = event.data;
  if (message.glue) {
    hello = message;
    ready = load(hello);
    return;
  }
  // The message for the page; the stack (of this script and the engine's glue) would say
  // nothing to a user, so it goes to the console.
  const fail = (error) => {
    console.error(error);
    return String(error);
  };
  let bindings;
  try {
    // A load that failed (the network, a missing file) is tried once more by the request
    // that needs it: the worker a failure restarts has loaded again already, maybe too soon.
    bindings = await ready.catch(() => (ready = load(hello)));
  } catch (error) {
    self.postMessage({ id: message.id, failure: `its module did not load: ${fail(error)}` });
    return;
  }
  try {
    self.postMessage({ id: message.id, answer: bindings.run_request(message.request) });
  } catch (error) {
    self.postMessage({ id: message.id, failure: panicked ?? fail(error) });
  }
};
"#;

#[wasm_bindgen]
extern "C" {
    /// The URL of the page module's JavaScript glue; the engine module's is beside it.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

#[wasm_bindgen]
extern "C" {
    /// The page's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
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

thread_local! {
    /// The engine's `WebAssembly.Module`, once a worker has compiled it: every worker of the
    /// page (the runs' and the files') starts from it.
    static COMPILED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
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
    /// A runner with no worker yet: the first request that needs one starts it.
    fn default() -> Runner {
        Runner {
            worker: RefCell::new(None),
            pending: Pending::default(),
            next_id: Cell::new(0),
        }
    }
}

impl Runner {
    /// Answers a request (JSON) through `done`, later, on the page's thread.
    pub fn run(&self, request: String, done: impl FnOnce(Answer) + 'static) {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));

        if let Some(answer) = crate::first_visit::answer(&request) {
            set_timeout(move || done(Ok(answer.to_string())), Duration::ZERO);
            return;
        }
        if let Err(failure) = self.ensure_worker() {
            let failure = format!("the engine's worker could not be started: {failure}");
            set_timeout(move || done(Err(failure)), Duration::ZERO);
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
    /// next request, if there was one. The callbacks of requests the ended worker had are
    /// dropped uncalled: their answers will never come, and the page has moved on from them.
    pub fn restart(&self) {
        let ended = self.worker.borrow_mut().take();
        self.pending.borrow_mut().clear();
        if ended.is_some() {
            // A failure to start shows with the next request.
            let _ = self.ensure_worker();
        }
    }

    /// Whether a worker has been started (and not ended since); for tests.
    pub fn has_worker(&self) -> bool {
        self.worker.borrow().is_some()
    }

    /// Starts the worker unless it runs already.
    fn ensure_worker(&self) -> Result<(), String> {
        if self.worker.borrow().is_some() {
            return Ok(());
        }
        let live = start(self.pending.clone()).map_err(|error| describe(&error))?;
        *self.worker.borrow_mut() = Some(live);
        Ok(())
    }
}

/// The engine module's JavaScript glue and module, which Trunk writes beside the page's.
const ENGINE_GLUE: &str = "stage-worker.js";
const ENGINE_WASM: &str = "stage-worker_bg.wasm";

/// The URL of one of the engine module's files: beside the page module's glue, with the
/// engine's version as its query.
fn engine_url(file: &str) -> Result<String, JsValue> {
    let url = GLUE_URL.with(|page_glue| Url::new_with_base(file, page_glue))?;
    if let Some(version) = engine_version() {
        url.search_params().set("v", &version);
    }
    Ok(url.href())
}

/// The engine module's version, which the build writes into the page
/// (`<meta name="stage-engine-version">`, see `scripts/engine-version.sh`): a digest of
/// the module. None where the page was not built by Trunk (the browser tests).
fn engine_version() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(r#"meta[name="stage-engine-version"]"#)
        .ok()??;
    meta.get_attribute("content")
        .filter(|version| !version.is_empty())
}

/// Starts a worker and tells it where the engine module is.
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
            if let Some(module) = get("module").filter(|module| module.is_object()) {
                COMPILED.with(|compiled| *compiled.borrow_mut() = Some(module));
                return;
            }
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
    js_sys::Reflect::set(&hello, &"glue".into(), &engine_url(ENGINE_GLUE)?.into())?;
    js_sys::Reflect::set(&hello, &"wasm".into(), &engine_url(ENGINE_WASM)?.into())?;
    if let Some(module) = COMPILED.with(|compiled| compiled.borrow().clone()) {
        js_sys::Reflect::set(&hello, &"module".into(), &module)?;
    }
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
