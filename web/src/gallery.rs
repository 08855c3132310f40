//! The preset gallery: a button in the top bar that opens a grid of the shipped scenarios;
//! choosing one replaces the inputs and runs it. When the inputs hold edits (they are not
//! one of the presets as shipped), the page's confirm dialog asks first, as Reset does.

use leptos::prelude::*;

use crate::glue::Op;
use crate::page::Page;
use crate::presets::{self, GALLERY};
use crate::run::Engine;

#[component]
pub fn Gallery(page: Page, engine: Engine) -> impl IntoView {
    let open = RwSignal::new(false);
    let sharing = use_context::<crate::share_ui::Sharing>();
    let choose = move |id: &'static str| {
        open.set(false);
        let Some(preset) = presets::preset(id) else {
            return;
        };
        let load = move || {
            page.load(preset.scenario());
            page.cursor.update(|c| *c = c.seek(0, 0));
            page.object.set(None);
            engine.send(Op::Run);
        };
        match sharing {
            Some(sharing) if edited(page) => sharing.confirm(
                format!(
                    "Discard your edits and open the preset \"{}\"? Your Stages, objects, \
                     settings and actions are replaced, and this cannot be undone.",
                    preset.title
                ),
                "Discard and open",
                load,
            ),
            _ => load(),
        }
    };
    let cards = GALLERY
        .iter()
        .map(|preset| {
            let id = preset.id;
            let sets = preset.stages.join(" + ");
            view! {
                <li>
                    <button class="preset" data-preset=id on:click=move |_| choose(id)>
                        <span class="preset-title">{preset.title}</span>
                        <span class="preset-about">{preset.about}</span>
                        <span class="preset-sets">{sets}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="gallery" on:keydown=move |event| if event.key() == "Escape" { open.set(false) }>
            <button
                class="ghost"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
                title="Open one of kwok's Stage sets or a teaching scenario"
            >
                "Presets"
            </button>
            <Show when=move || open.get()>
                <div class="gallery-backdrop" aria-hidden="true" on:click=move |_| open.set(false)></div>
            </Show>
            <div class="gallery-panel" class:open=open role="dialog" aria-label="Presets">
                <div class="gallery-head">
                    <h2>"Presets"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <ul class="presets">{cards}</ul>
            </div>
        </div>
    }
}

/// True when the inputs are not one of the presets as shipped, so loading another one would
/// lose work.
fn edited(page: Page) -> bool {
    let current = page.request(Op::Run);
    !GALLERY.iter().any(|preset| preset.scenario() == current)
}
