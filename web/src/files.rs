//! Files in and out of the page: handing a download to the browser, reading the files a
//! user picked or dropped, and the drop zones around the editors. What a file holds is
//! [`crate::transfer`]'s; what opening one does to the page is [`crate::share_ui`]'s.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

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

/// Reads each file as text and hands it over with its name.
pub fn read_files(
    files: Option<web_sys::FileList>,
    then: impl Fn(String, String) + Clone + 'static,
) {
    let Some(files) = files else {
        return;
    };
    for index in 0..files.length() {
        let Some(file) = files.get(index) else {
            continue;
        };
        let name = file.name();
        let then = then.clone();
        let done = Closure::once(move |text: JsValue| {
            if let Some(text) = text.as_string() {
                then(name, text);
            }
        });
        let _ = file.text().then(&done);
        // It runs once, when the file has been read.
        done.forget();
    }
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
            move |name, text| sharing.import(Some(target), name, text),
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
