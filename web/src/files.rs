//! Files in and out of the page, on the browser's side: handing a download to the browser,
//! reading the files a user picked or dropped, and the drop zones around the editors. What a
//! file holds is [`crate::transfer`]'s, which asks the engine's side of files
//! ([`crate::glue::files`], a module of the same name in the glue); what opening one does to
//! the page is [`crate::share_ui`]'s.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::glue::NamedFile;
use crate::share_ui::Sharing;
use crate::transfer::Download;

/// Which editor a dropped file goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Stages,
    Objects,
}

/// Hands a download to the browser through a temporary object URL.
pub fn save_file(download: &Download) -> Result<(), String> {
    let failed = |what: &str| format!("the browser refused to {what}");
    let window = web_sys::window().ok_or_else(|| failed("open a window"))?;
    let document = window
        .document()
        .ok_or_else(|| failed("give the document"))?;

    let bytes = js_sys::Uint8Array::from(download.bytes.as_slice());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(download.media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(
        &js_sys::Array::of1(&bytes),
        &options,
    )
    .map_err(|_| failed("make the file"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| failed("make a URL for the file"))?;

    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| failed("make a link"))?;
    anchor.set_href(&url);
    anchor.set_download(&download.name);
    anchor.click();
    // The download has started; the URL is released after the browser took it.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// One file of a drop or pick as the browser read it: its name and text, or
/// `NAME: the browser could not read the file: REASON`.
pub type ReadFile = Result<NamedFile, String>;

/// Reads every file as text and hands over each one, with its name or why the browser could
/// not read it (a folder, a file removed since it was picked), in their order, once all are
/// read: the files of one drop or pick are taken in together.
pub fn read_files(files: Option<web_sys::FileList>, then: impl FnOnce(Vec<ReadFile>) + 'static) {
    let Some(files) = files else {
        return;
    };
    let mut names = Vec::new();
    let reads = js_sys::Array::new();
    for index in 0..files.length() {
        if let Some(file) = files.get(index) {
            names.push(file.name());
            reads.push(&file.text());
        }
    }
    if names.is_empty() {
        return;
    }
    let done = Closure::once(move |outcomes: JsValue| {
        let outcomes = js_sys::Array::from(&outcomes);
        let read = names
            .into_iter()
            .zip(outcomes.iter())
            .map(|(name, outcome)| settled(name, &outcome))
            .collect();
        then(read);
    });
    let _ = js_sys::Promise::all_settled(&reads).then(&done);
    // It runs once, when every file has been read or has failed.
    done.forget();
}

/// The file `name` from the outcome of its read: a `value` (its text) or a `reason`.
fn settled(name: String, outcome: &JsValue) -> ReadFile {
    let field = |key: &str| js_sys::Reflect::get(outcome, &key.into()).ok();
    if let Some(text) = field("value").and_then(|value| value.as_string()) {
        return Ok(NamedFile { name, text });
    }
    let reason = field("reason")
        .and_then(|reason| {
            js_sys::Reflect::get(&reason, &"message".into())
                .ok()
                .and_then(|message| message.as_string())
                .filter(|message| !message.is_empty())
                .or_else(|| reason.as_string())
        })
        .unwrap_or_else(|| "it gave no text".to_string());
    Err(format!(
        "{name}: the browser could not read the file: {reason}"
    ))
}

/// An editor that takes dropped YAML files.
#[component]
pub fn DropZone(sharing: Sharing, target: Target, children: Children) -> impl IntoView {
    let over = RwSignal::new(false);
    let drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        over.set(false);
        if sharing.readonly() {
            return;
        }
        read_files(
            event.data_transfer().and_then(|data| data.files()),
            move |files| sharing.import(Some(target), files),
        );
    };
    view! {
        <div class="drop-zone" class:drop-over=move || over.get()
            on:dragover=move |event: web_sys::DragEvent| {
                event.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=drop>
            {children()}
        </div>
    }
}
