//! The controller panel: node IP, pod CIDR, seed and the bounds of a run.

use leptos::prelude::*;

use crate::glue::Settings;

#[component]
pub fn ConfigPanel(settings: RwSignal<Settings>) -> impl IntoView {
    let text_field = move |label: &'static str,
                           name: &'static str,
                           get: fn(&Settings) -> String,
                           set: fn(&mut Settings, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input
                    type="text"
                    name=name
                    spellcheck="false"
                    prop:value=move || settings.with(get)
                    on:change=move |event| settings.update(|s| set(s, event_target_value(&event)))
                />
            </label>
        }
    };
    let number_field = move |label: &'static str,
                             name: &'static str,
                             get: fn(&Settings) -> i64,
                             set: fn(&mut Settings, i64)| {
        view! {
            <label class="field narrow">
                <span>{label}</span>
                <input
                    type="number"
                    name=name
                    min="0"
                    prop:value=move || settings.with(get).to_string()
                    on:change=move |event| {
                        if let Ok(value) = event_target_value(&event).trim().parse::<i64>() {
                            settings.update(|s| set(s, value.max(0)));
                        }
                    }
                />
            </label>
        }
    };
    view! {
        <section class="panel config">
            <header class="panel-head"><h2>"Controller"</h2></header>
            <div class="fields">
                {text_field("Node IP", "node-ip", |s| s.node_ip.clone(), |s, v| s.node_ip = v)}
                {text_field("Pod CIDR", "cidr", |s| s.cidr.clone(), |s, v| s.cidr = v)}
                {number_field("Seed", "seed", |s| s.seed as i64, |s, v| s.seed = v as u64)}
                {number_field("Minutes", "horizon", |s| s.horizon_ms / 60_000, |s, v| s.horizon_ms = v.saturating_mul(60_000))}
                {number_field("Max plays", "max-plays", |s| s.max_plays as i64, |s, v| s.max_plays = v as u64)}
            </div>
        </section>
    }
}
