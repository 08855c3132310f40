//! The controller panel: node IP, pod CIDR, seed and the bounds of a run.
//!
//! The seed and the most plays are whole numbers and the horizon is a Go duration (`10m`,
//! `90s`), as a scenario file writes it; text that does not read is kept in the field with
//! a message under it, and the settings keep their last good value. What a scenario file
//! set that the panel has no field for (node name and port, managed nodes, the start) is
//! listed read-only.

use leptos::prelude::*;
use stage_engine::duration::{format_go_duration, parse_go_duration};

use stage_engine::config::ManagedNodes;

use crate::glue::{ExtraSettings, Settings};

/// A seed: any whole number a `u64` holds.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "The seed must be a whole number from 0 to {}, not {text:?}.",
            u64::MAX
        )
    })
}

/// The most plays: a whole number.
pub fn parse_max_plays(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("The most plays must be a whole number, not {text:?}."))
}

/// The horizon as a Go duration, in milliseconds.
pub fn parse_horizon(text: &str) -> Result<i64, String> {
    let nanos = parse_go_duration(text.trim()).map_err(|error| {
        format!("The horizon must be a Go duration such as 10m or 90s: {error}.")
    })?;
    if nanos < 0 {
        return Err(format!("The horizon cannot be negative, not {text:?}."));
    }
    Ok(nanos / 1_000_000)
}

/// The horizon as the field shows it.
pub fn horizon_text(horizon_ms: i64) -> String {
    format_go_duration(horizon_ms.saturating_mul(1_000_000))
}

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
    // A field whose text must read as a value; `set` says why it does not.
    let read_field =
        move |label: &'static str,
              name: &'static str,
              get: fn(&Settings) -> String,
              set: fn(&mut Settings, &str) -> Result<(), String>| {
            let problem = RwSignal::new(None::<String>);
            view! {
                <label class="field narrow">
                    <span>{label}</span>
                    <input
                        type="text"
                        name=name
                        spellcheck="false"
                        aria-invalid=move || problem.with(Option::is_some).to_string()
                        prop:value=move || settings.with(get)
                        on:change=move |event| {
                            let mut next = settings.get_untracked();
                            match set(&mut next, &event_target_value(&event)) {
                                Ok(()) => {
                                    problem.set(None);
                                    settings.set(next);
                                }
                                Err(message) => problem.set(Some(message)),
                            }
                        }
                    />
                    {move || problem.get().map(|message| view! { <span class="problem">{message}</span> })}
                </label>
            }
        };
    view! {
        <section class="panel config">
            <header class="panel-head"><h2>"Controller"</h2></header>
            <div class="fields">
                {text_field("Node IP", "node-ip", |s| s.node_ip.clone(), |s, v| s.node_ip = v)}
                {text_field("Pod CIDR", "cidr", |s| s.cidr.clone(), |s, v| s.cidr = v)}
                {read_field("Seed", "seed", |s| s.seed.to_string(), |s, v| {
                    s.seed = parse_seed(v)?;
                    Ok(())
                })}
                {read_field("Horizon", "horizon", |s| horizon_text(s.horizon_ms), |s, v| {
                    s.horizon_ms = parse_horizon(v)?;
                    Ok(())
                })}
                {read_field("Max plays", "max-plays", |s| s.max_plays.to_string(), |s, v| {
                    s.max_plays = parse_max_plays(v)?;
                    Ok(())
                })}
            </div>
            {move || {
                let lines = extra_lines(&settings.with(|s| s.extra.clone()));
                (!lines.is_empty()).then(|| view! {
                    <ul class="fields extra" aria-label="Set by the scenario file">
                        {lines.into_iter().map(|line| view! { <li class="muted">{line}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// The settings a scenario file set that the panel has no field for, one line each, for
/// showing read-only; none while they are the defaults.
pub fn extra_lines(extra: &ExtraSettings) -> Vec<String> {
    let defaults = ExtraSettings::default();
    let mut lines = Vec::new();
    if extra.node_name != defaults.node_name {
        lines.push(format!("Node name: {}", extra.node_name));
    }
    if extra.node_port != defaults.node_port {
        lines.push(format!("Node port: {}", extra.node_port));
    }
    let manage = match &extra.manage {
        ManagedNodes::All => None,
        ManagedNodes::ByName(name) => Some(format!("the node {name}")),
        ManagedNodes::ByLabel(selector) => Some(format!("nodes with labels {selector}")),
        ManagedNodes::ByAnnotation(selector) => Some(format!("nodes with annotations {selector}")),
    };
    if let Some(manage) = manage {
        lines.push(format!("Manages {manage}"));
    }
    if extra.start != defaults.start {
        lines.push(format!("Starts at {}", extra.start));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_without_a_field_are_listed_when_set() {
        assert_eq!(extra_lines(&ExtraSettings::default()), Vec::<String>::new());
        let extra = ExtraSettings {
            node_port: 10251,
            manage: ManagedNodes::ByName("node-1".into()),
            start: "2025-06-01T12:00:00Z".into(),
            ..ExtraSettings::default()
        };
        assert_eq!(
            extra_lines(&extra),
            [
                "Node port: 10251",
                "Manages the node node-1",
                "Starts at 2025-06-01T12:00:00Z"
            ]
        );
    }

    #[test]
    fn seeds_are_whole_u64s() {
        assert_eq!(parse_seed(" 18446744073709551615 "), Ok(u64::MAX));
        assert_eq!(parse_seed("7"), Ok(7));
        for bad in ["-1", "1.5", "seven", ""] {
            let error = parse_seed(bad).unwrap_err();
            assert!(
                error.starts_with("The seed must be a whole number"),
                "{error}"
            );
        }
    }

    #[test]
    fn horizons_are_go_durations() {
        assert_eq!(parse_horizon("90s"), Ok(90_000));
        assert_eq!(parse_horizon("1h"), Ok(3_600_000));
        assert_eq!(horizon_text(90_000), "1m30s");
        assert_eq!(parse_horizon(&horizon_text(90_000)), Ok(90_000));
        assert!(
            parse_horizon("10")
                .unwrap_err()
                .starts_with("The horizon must be a Go duration")
        );
        assert!(
            parse_horizon("-1m")
                .unwrap_err()
                .starts_with("The horizon cannot be negative")
        );
        assert!(parse_max_plays("many").is_err());
    }
}
