//! The selected play in detail: the Stage and the object, the times, the delay, the
//! candidates and the pick, why the other Stages did not match, what each step did with
//! its rendered text, and the object as it was after the play. Once the cursor is past a
//! user action on the object that came after that play, the object as the action left it
//! (or that the action deleted it) comes first, with the action's changes marked.
//!
//! A selected object with no play at the cursor is named with the reason: its first play
//! comes later (and when), or it got none at all because no Stage matched it (and why each
//! Stage did not), it left the store first, or the run ended first (Max plays, the
//! horizon); below it, the object as it was created (see [`unplayed`]).
//!
//! The timeline's summary gives the times, the delay, the candidates and the outcome at
//! once; the rest comes with the object's full records ([`crate::details`]), and until then
//! the inspector says that they are on their way.

use leptos::either::Either;
use leptos::prelude::*;
use stage_engine::timeline::{ActionRecord, DelayKind, DelayRecord, Entry, Play};

use crate::details::{self, Details, Fetch, Focus};
use crate::diff::{self, Change};
use crate::glue::{self, AfterAction, Explanation, FocusedAction};
use crate::page::Page;
use crate::playback;
use crate::run::Engine;

mod unplayed;
use unplayed::{Story, Why, not_matched_view, unplayed_view};

#[component]
pub fn Inspector(page: Page, engine: Engine) -> impl IntoView {
    let Page {
        timeline, lanes, ..
    } = page;
    // The selected object's play at the cursor; the timeline rings the same one.
    let shown = page.inspected;

    // The shown play as the summary has it, and in full once its object's records are here.
    let records = move || {
        let index = shown.get()?;
        let summary = timeline.with(|t| match t.as_ref()?.entries.get(index)? {
            Entry::Play(play) => Some(play.clone()),
            _ => None,
        })?;
        let records = page
            .details
            .with(|details| match details.fetch(&summary.key) {
                Some(Fetch::Ready(plays)) => match plays.get(index) {
                    Some(full) => Records::Full(Box::new(full.clone())),
                    None => Records::Missing,
                },
                Some(Fetch::Failed(why)) => Records::Failed(why.clone()),
                None => Records::Coming,
            });
        Some((index, summary, records))
    };

    // How every Stage of the kind went for the version the shown play matched, asked of
    // the engine whenever another play is shown or its records arrive.
    // They are kept with the run and the play they are for.
    let explained = RwSignal::new(None::<((u64, usize), Vec<Explanation>)>);
    let run = move || page.details.with(|details| details.run);
    Effect::new(move |_| {
        let Some((index, _, Records::Full(play))) = records() else {
            return;
        };
        let asked = (run(), index);
        if explained.with_untracked(|e| e.as_ref().is_some_and(|(done, _)| *done == asked)) {
            return;
        }
        if let Some(object) = play.before.filter(|before| !before.is_null()) {
            engine.explain(&object, move |stages| explained.set(Some((asked, stages))));
        }
    });

    // The user's actions on the inspected object that the API server took, as the lanes
    // have them (entry, time, action); they change with the selection, not with the cursor.
    let accepted = Memo::new(move |_| {
        let key = details::selected_key(page)?;
        lanes.with(|l| {
            let lane = l
                .as_ref()?
                .groups
                .iter()
                .flat_map(|group| &group.lanes)
                .find(|lane| lane.key == key)?;
            let accepted: Vec<(usize, i64, String)> = lane
                .actions
                .iter()
                .filter(|mark| mark.error.is_none())
                .map(|mark| (mark.entry, mark.time_ms, mark.action.clone()))
                .collect();
            (!accepted.is_empty()).then_some((key, accepted))
        })
    });
    // The last of them at or before the cursor and after the shown play: then the object at
    // the cursor is as that action left it, not as the play did.
    let passed = Memo::new(move |_| {
        let at = page.cursor.get().at_ms();
        let after = shown.get();
        accepted.with(|accepted| {
            let (key, actions) = accepted.as_ref()?;
            let (entry, time_ms, action) = actions.iter().rev().find(|(entry, time_ms, _)| {
                *time_ms <= at && after.is_none_or(|play| *entry > play)
            })?;
            Some(Passed {
                key: key.clone(),
                entry: *entry,
                time_ms: *time_ms,
                action: action.clone(),
                after_play: after.is_some(),
            })
        })
    });
    let user_version = move || {
        let passed = passed.get()?;
        let found = page
            .details
            .with(|details| match details.fetch(&passed.key) {
                Some(Fetch::Ready(focus)) => Found::Ready(focus.action(passed.entry).cloned()),
                Some(Fetch::Failed(why)) => Found::Failed(why.clone()),
                None => Found::Coming,
            });
        Some(user_version_view(&passed, found))
    };
    let body = move || {
        let (index, summary, records) = records()?;
        let start_ns = lanes.with(|l| l.as_ref().map(|l| l.start_ns))?;
        let asked = (run(), index);
        let explanation = explained.with(|e| {
            e.as_ref()
                .filter(|(done, _)| *done == asked)
                .map(|(_, stages)| stages.clone())
        });
        Some(match records {
            Records::Full(play) => play_detail(&play, start_ns, explanation),
            waiting => {
                let fetching = page.details.with(Details::is_asking).then_some(engine);
                play_summary(&summary, start_ns, &waiting, fetching)
            }
        })
    };

    // The selected object's story in the summary, for when it has no play at the cursor,
    // and which of its creations the cursor has passed (the last, or none yet).
    let story = Memo::new(move |_| {
        let key = page.object.get()?;
        let start_ns = lanes.with(|l| l.as_ref().map(|l| l.start_ns))?;
        timeline.with(|t| Some(Story::of(t.as_ref()?, &key, start_ns)))
    });
    let created = Memo::new(move |_| {
        let at = page.cursor.get().at_ms();
        story.with(|story| story.as_ref().map(|story| story.created_by(at)))
    });
    let unplayed = move || {
        if shown.get().is_some() {
            return None;
        }
        let story = story.get()?;
        let created = created.get().flatten();
        let why = story.why(created);
        let fetched = |entry: Option<usize>, read: &dyn Fn(&Focus, usize) -> Option<AnyView>| {
            page.details
                .with(|details| match details.fetch(&story.key) {
                    Some(Fetch::Ready(focus)) => {
                        Found::Ready(entry.and_then(|entry| read(focus, entry)))
                    }
                    Some(Fetch::Failed(why)) => Found::Failed(why.clone()),
                    None => Found::Coming,
                })
        };
        let not_matched = match why {
            Why::NoStage {
                settled: Some(entry),
            } => Some(fetched(Some(entry), &|focus, entry| {
                focus.not_matched(entry).map(not_matched_view)
            })),
            _ => None,
        };
        let object = created.map(|(entry, at_ms)| {
            let found = fetched(Some(entry), &|focus, entry| {
                focus.created(entry).map(|object| {
                    view! { <pre class="object">{glue::to_yaml(object)}</pre> }.into_any()
                })
            });
            (at_ms, found)
        });
        let fetching = page.details.with(Details::is_asking).then_some(engine);
        let cursor = move || playback::clock(page.cursor.get().at_ms());
        Some(unplayed_view(
            &story,
            &why,
            cursor,
            not_matched,
            object,
            fetching,
        ))
    };
    view! {
        <section class="panel inspector">
            <header class="panel-head"><h2>"Inspector"</h2></header>
            <div class="inspector-body">
                {user_version}
                {move || body().or_else(unplayed).unwrap_or_else(|| {
                    view! { <div class="empty">"Select a marker to see what happened."</div> }.into_any()
                })}
            </div>
        </section>
    }
}

/// The user's last action on the inspected object that the cursor has passed, after the
/// shown play.
#[derive(Clone, Debug, PartialEq)]
struct Passed {
    key: String,
    /// The action's index in the timeline's entries.
    entry: usize,
    time_ms: i64,
    action: String,
    /// A play of the object is shown below (the action came after it).
    after_play: bool,
}

/// What the inspected object's fetched records hold of one thing (a user action, its
/// creation, why no Stage matched it).
enum Found<T> {
    /// The records are on their way.
    Coming,
    /// They could not be fetched, for this reason.
    Failed(String),
    /// The records are here, with the thing or without it.
    Ready(Option<T>),
}

/// The object as the passed action left it, with the changes against the version before
/// it, or a line on why it cannot be shown (or that the action deleted it).
fn user_version_view(passed: &Passed, found: Found<FocusedAction>) -> AnyView {
    let what = format!(
        "your {} at {}",
        passed.action,
        playback::clock(passed.time_ms)
    );
    let after = match found {
        Found::Ready(Some(action)) => Ok((action.before, action.after)),
        Found::Ready(None) => Err(format!(
            "Since {what}: the action is not in this run's records."
        )),
        Found::Coming => Err(format!("Since {what}: fetching the object as it left it…")),
        Found::Failed(_) => Err(format!(
            "Since {what}: the object's records could not be fetched."
        )),
    };
    let (class, text) = match after {
        Ok((before, AfterAction::Version(after))) => {
            let before = before.as_ref().map(glue::to_yaml);
            let below = passed
                .after_play
                .then(|| view! { <p class="muted">"The play below came before it."</p> });
            return view! {
                <div class="user-version" data-user-action=passed.action.clone() data-action-ms=passed.time_ms>
                    <h3>{format!("Object after {what}, changes marked")}</h3>
                    {object_view(before.as_deref(), &glue::to_yaml(&after))}
                    {below}
                </div>
            }
            .into_any();
        }
        Ok((_, AfterAction::Deleted)) => (
            "user-version deleted",
            format!(
                "Deleted by you at {}: the object left the store.",
                playback::clock(passed.time_ms)
            ),
        ),
        Err(text) => ("muted later-actions", text),
    };
    view! {
        <p class=class data-user-action=passed.action.clone() data-action-ms=passed.time_ms>{text}</p>
    }
    .into_any()
}

/// What the inspector has of the shown play beyond the summary.
enum Records {
    Full(Box<Play>),
    /// Asked for, or about to be.
    Coming,
    Failed(String),
    /// The object's records came without this play. The focus run goes up to the object's
    /// last play in the summary, so this would be the engine's bug: a focus run that
    /// stopped earlier than the run it repeats.
    Missing,
}

/// The facts every play has: its Stage and object, the times, the delay, the pick.
fn play_head(play: &Play, start_ns: i64) -> AnyView {
    let ms = |nanos: i64| playback::clock((nanos - start_ns) / 1_000_000);
    let candidates = play
        .candidates
        .iter()
        .map(|candidate| {
            let chosen = candidate.stage == play.stage;
            view! {
                <li class:chosen=chosen>
                    <span class="name">{candidate.stage.clone()}</span>
                    <span class="meta">{candidate.weight.map(|w| format!("weight {w}")).unwrap_or_default()}</span>
                    {chosen.then(|| view! { <span class="badge">"picked"</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="play-head">
            <span class="stage-name">{play.stage.clone()}</span>
            <span class="arrow">"→"</span>
            <span class="object-key">{play.key.clone()}</span>
        </div>
        <dl class="facts">
            <dt>"Matched"</dt><dd>{ms(play.matched_at.0)}</dd>
            <dt>"Played"</dt><dd>{ms(play.played_at.0)}</dd>
            <dt>"Delay"</dt><dd>{delay_text(&play.delay)}</dd>
            <dt>"Play"</dt><dd>{format!("#{}", play.index)}</dd>
            {play.weight.map(|w| view! { <dt>"Weight"</dt><dd>{w}</dd> })}
            {play.immediate_next_stage.then(|| view! { <dt>"Next"</dt><dd>"immediateNextStage"</dd> })}
        </dl>
        {play.error.clone().map(|error| view! { <p class="error-box">{error}</p> })}
        <h3>"Candidates"</h3>
        <ul class="candidates">{candidates}</ul>
    }
    .into_any()
}

/// A play whose full records are not here: the summary's facts, the events it recorded
/// (the summary keeps them) and why the rest is missing. While the records are on their
/// way they can be stopped, since a fetch of a large run can take seconds.
///
/// `fetching` is the engine while a fetch is under way (during a run nothing is asked yet).
fn play_summary(
    play: &Play,
    start_ns: i64,
    records: &Records,
    fetching: Option<Engine>,
) -> AnyView {
    let note = match records {
        Records::Failed(why) => format!("The steps and the object could not be fetched: {why}"),
        Records::Missing => "The steps and the object are not in this run's records.".into(),
        Records::Coming | Records::Full(_) => "Fetching the steps and the object…".into(),
    };
    let coming = matches!(records, Records::Coming);
    let events: Vec<&ActionRecord> = play
        .actions
        .iter()
        .filter(|action| matches!(action, ActionRecord::Event { .. }))
        .collect();
    let events = (!events.is_empty()).then(|| {
        view! {
            <h3>"Events"</h3>
            <ul class="actions summary-events">{events.into_iter().map(action_view).collect_view()}</ul>
        }
    });
    view! {
        <div class="play" data-inspected-stage=play.stage.clone() data-inspected-object=play.key.clone()
            aria-busy=coming.then_some("true")>
            {play_head(play, start_ns)}
            {events}
            <p class="muted details-note" data-details=if coming { "coming" } else { "missing" }>
                {note}
                {fetching.filter(|_| coming).map(|engine| view! {
                    " "
                    <button class="ghost stop-fetch" on:click=move |_| engine.stop_focus()>"Stop"</button>
                })}
            </p>
        </div>
    }
    .into_any()
}

fn play_detail(play: &Play, start_ns: i64, explanation: Option<Vec<Explanation>>) -> AnyView {
    let object = play
        .after
        .as_ref()
        .filter(|after| !after.is_null())
        .or(play.before.as_ref());
    let object_title = if play.after.as_ref().is_some_and(|after| !after.is_null()) {
        "Object after the play, changes marked"
    } else {
        "Object before the play"
    };
    let object_text = object.map(glue::to_yaml);
    let before_text = play
        .before
        .as_ref()
        .filter(|before| !before.is_null())
        .map(glue::to_yaml);

    let not_matched = play
        .not_matched
        .iter()
        .map(|miss| {
            view! {
                <li>
                    <span class="name">{miss.stage.clone()}</span>
                    {reason_view(&miss.reason)}
                </li>
            }
        })
        .collect_view();

    let actions = play.actions.iter().map(action_view).collect_view();

    view! {
        <div class="play" data-inspected-stage=play.stage.clone() data-inspected-object=play.key.clone()>
            {play_head(play, start_ns)}
            {match explanation {
                Some(stages) => view! {
                    <h3>"Why each Stage matched or not"</h3>
                    <ul class="explained">{stages.iter().map(explanation_view).collect_view()}</ul>
                }.into_any(),
                None => view! {
            <h3>"Did not match"</h3>
            {if play.not_matched.is_empty() {
                Either::Left(view! { <p class="muted">"No other Stage of this kind, or not recorded."</p> })
            } else {
                Either::Right(view! { <ul class="misses">{not_matched}</ul> })
            }}
                }.into_any(),
            }}
            <h3>"Steps"</h3>
            {if play.actions.is_empty() {
                Either::Left(view! { <p class="muted">"The steps made no request."</p> })
            } else {
                Either::Right(view! { <ol class="actions">{actions}</ol> })
            }}
            <h3>{object_title}</h3>
            {match object_text {
                Some(text) => object_view(before_text.as_deref(), &text),
                None => view! { <p class="muted">"Not recorded in this run's detail."</p> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

fn action_view(action: &ActionRecord) -> AnyView {
    match action {
        ActionRecord::Event {
            step,
            event_type,
            reason,
            message,
            dropped,
        } => view! {
            <li class="action">
                <span class="tag">{format!("step {step} · event")}</span>
                <span>{format!("{event_type} {reason}: {message}")}</span>
                {dropped.then(|| view! { <span class="badge warn">"dropped"</span> })}
            </li>
        }
        .into_any(),
        ActionRecord::Patch(patch) => {
            let target = if patch.subresource.is_empty() {
                String::new()
            } else {
                format!(" /{}", patch.subresource)
            };
            view! {
                <li class="action">
                    <span class="tag">{format!("step {} · {}{target}", patch.step, patch_name(&patch.source))}</span>
                    <span class="meta">{patch.patch_type.clone()}</span>
                    {if patch.applied {
                        Either::Left(view! { <span class="badge">"applied"</span> })
                    } else {
                        Either::Right(view! { <span class="badge muted">"skipped: no change"</span> })
                    }}
                    {patch.rendered_text.clone().map(|text| view! {
                        <details open>
                            <summary>"Rendered text"</summary>
                            <pre class="rendered">{text}</pre>
                        </details>
                    })}
                    {patch.data.as_ref().map(|data| view! {
                        <details>
                            <summary>"Patch body"</summary>
                            <pre class="rendered">{glue::to_yaml(data)}</pre>
                        </details>
                    })}
                </li>
            }
            .into_any()
        }
        ActionRecord::RenderError { step, message } => view! {
            <li class="action">
                <span class="tag">{format!("step {step} · template")}</span>
                <span class="error-box">{message.clone()}</span>
            </li>
        }
        .into_any(),
        ActionRecord::Delete { step, outcome } => view! {
            <li class="action">
                <span class="tag">{format!("step {step} · delete")}</span>
                <span>{outcome.clone()}</span>
            </li>
        }
        .into_any(),
        ActionRecord::Apply { step, note, .. } => view! {
            <li class="action">
                <span class="tag">{format!("step {step} · apply")}</span>
                <span>{note.clone()}</span>
            </li>
        }
        .into_any(),
    }
}

/// One Stage's selector for the matched version: each clause with a pass or fail mark and
/// the value its jq key gave.
fn explanation_view(explanation: &Explanation) -> AnyView {
    let clauses = explanation
        .clauses
        .iter()
        .map(|clause| {
            let passed = clause.get("passed").and_then(|p| p.as_bool()).unwrap_or(false);
            let (text, got) = reason_parts(clause);
            view! {
                <li class="clause" class:passed=passed>
                    <span class="mark" aria-label=if passed { "passed" } else { "failed" }>{if passed { "✓" } else { "✗" }}</span>
                    <code class="reason">{text}{got.map(|got| view! { <span class="got">{format!(" — {got}")}</span> })}</code>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="explanation" class:matched=explanation.matched data-explained-stage=explanation.stage.clone()>
            <div class="explanation-head">
                <span class="name">{explanation.stage.clone()}</span>
                {if explanation.matched {
                    Either::Left(view! { <span class="badge">"matched"</span> })
                } else {
                    Either::Right(view! { <span class="badge muted">"not matched"</span> })
                }}
            </div>
            {explanation.note.clone().map(|note| view! { <p class="muted">{note}</p> })}
            <ul class="clauses">{clauses}</ul>
        </li>
    }
    .into_any()
}

/// A step's patch by its source: `finalizers patch`, or `patch` for a Stage's own patch.
fn patch_name(source: &str) -> String {
    if source == "patch" || source.is_empty() {
        "patch".to_string()
    } else {
        format!("{source} patch")
    }
}

/// The object's YAML with the lines the play changed marked: added lines, and the lines
/// it removed struck through in place.
fn object_view(before: Option<&str>, after: &str) -> AnyView {
    let Some(before) = before else {
        return view! { <pre class="object">{after.to_string()}</pre> }.into_any();
    };
    let lines = diff::lines(before, after)
        .into_iter()
        .map(|(change, line)| {
            let (class, sign) = match change {
                Change::Same => ("line", "  "),
                Change::Added => ("line added", "+ "),
                Change::Removed => ("line removed", "- "),
            };
            view! { <span class=class><span class="sign" aria-hidden="true">{sign}</span>{line.to_string()}"\n"</span> }
        })
        .collect_view();
    view! { <pre class="object diff" data-diff="">{lines}</pre> }.into_any()
}

fn delay_text(delay: &DelayRecord) -> String {
    let seconds = |ns: i64| format!("{:.3} s", ns as f64 / 1e9);
    match (delay.kind, delay.min_ns, delay.max_ns) {
        (DelayKind::None, _, _) => "none".to_string(),
        (DelayKind::Fixed, _, _) => format!("{} (fixed)", seconds(delay.ns)),
        (DelayKind::Range, Some(min), Some(max)) => {
            format!(
                "{} drawn from [{}, {})",
                seconds(delay.ns),
                seconds(min),
                seconds(max)
            )
        }
        (DelayKind::Range, _, _) => format!("{} (drawn)", seconds(delay.ns)),
    }
}

/// The matcher's explanation of a failed clause: the clause as written, and what the object
/// gave. Shapes it does not know are shown as JSON.
fn reason_view(reason: &serde_json::Value) -> AnyView {
    let (clause, got) = reason_parts(reason);
    view! {
        <code class="reason">
            {clause}
            {got.map(|got| view! { <span class="got">{format!(" — {got}")}</span> })}
        </code>
    }
    .into_any()
}

fn reason_parts(reason: &serde_json::Value) -> (String, Option<String>) {
    let text = |value: &serde_json::Value, name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let (Some(clause), Some(detail)) = (reason.get("clause"), reason.get("detail")) else {
        return (reason_text(reason), None);
    };
    let clause_text = match clause.get("kind").and_then(|k| k.as_str()) {
        Some("jq") => {
            let values = clause
                .get("values")
                .map(|v| v.to_string())
                .filter(|v| v != "[]");
            format!(
                "{} {}{}",
                text(clause, "key"),
                text(clause, "operator"),
                values.map(|v| format!(" {v}")).unwrap_or_default()
            )
        }
        Some("cel") => text(clause, "expression"),
        Some("no_selector") => "the Stage has no selector".to_string(),
        Some("match_labels") => "matchLabels".to_string(),
        Some("match_annotations") => "matchAnnotations".to_string(),
        _ => clause.to_string(),
    };
    let got = match detail.get("kind").and_then(|k| k.as_str()) {
        Some("values") => Some(match detail.get("values").and_then(|v| v.as_array()) {
            Some(values) if !values.is_empty() => {
                format!("got {}", serde_json::Value::from(values.clone()))
            }
            _ => "got no value".to_string(),
        }),
        Some("mismatch") => Some(format!(
            "{} wants {:?}, has {}",
            text(detail, "key"),
            text(detail, "expected"),
            detail
                .get("actual")
                .and_then(|a| a.as_str())
                .map(|a| format!("{a:?}"))
                .unwrap_or_else(|| "none".to_string())
        )),
        Some("runtime_error") | Some("not_supported") => Some(text(detail, "message")),
        Some("ignored") | Some("all_present") | None => None,
        Some(_) => Some(detail.to_string()),
    };
    (clause_text, got)
}

/// A value as text: a string as it is, anything else as compact JSON.
fn reason_text(reason: &serde_json::Value) -> String {
    match reason {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_names_say_patch_once() {
        assert_eq!(patch_name("patch"), "patch");
        assert_eq!(patch_name("finalizers"), "finalizers patch");
    }

    #[test]
    fn delays() {
        let delay = |kind, min_ns, max_ns, ns| DelayRecord {
            kind,
            min_ns,
            max_ns,
            ns,
        };
        assert_eq!(delay_text(&delay(DelayKind::None, None, None, 0)), "none");
        assert_eq!(
            delay_text(&delay(DelayKind::Fixed, None, None, 1_000_000_000)),
            "1.000 s (fixed)"
        );
        assert_eq!(
            delay_text(&delay(
                DelayKind::Range,
                Some(1_000_000_000),
                Some(5_000_000_000),
                2_500_000_000
            )),
            "2.500 s drawn from [1.000 s, 5.000 s)"
        );
    }

    #[test]
    fn reason_parts_read_the_matcher_explanations() {
        let jq = serde_json::json!({
            "clause": {"index": 1, "key": ".status.podIP", "kind": "jq", "operator": "DoesNotExist", "values": []},
            "detail": {"kind": "values", "values": ["10.100.0.3"]},
            "passed": false,
        });
        assert_eq!(
            reason_parts(&jq),
            (
                ".status.podIP DoesNotExist".to_string(),
                Some(r#"got ["10.100.0.3"]"#.to_string())
            )
        );
        let in_values = serde_json::json!({
            "clause": {"kind": "jq", "key": ".status.phase", "operator": "In", "values": ["Running"]},
            "detail": {"kind": "values", "values": []},
        });
        assert_eq!(
            reason_parts(&in_values),
            (
                r#".status.phase In ["Running"]"#.to_string(),
                Some("got no value".to_string())
            )
        );
        let label = serde_json::json!({
            "clause": {"kind": "match_labels"},
            "detail": {"kind": "mismatch", "key": "app", "expected": "web", "actual": null},
        });
        assert_eq!(
            reason_parts(&label),
            (
                "matchLabels".to_string(),
                Some(r#"app wants "web", has none"#.to_string())
            )
        );
        assert_eq!(
            reason_parts(&serde_json::json!("odd")),
            ("odd".to_string(), None)
        );
    }

    #[test]
    fn reasons() {
        assert_eq!(
            reason_text(&serde_json::json!("no such label")),
            "no such label"
        );
        assert_eq!(
            reason_text(&serde_json::json!({"key": ".a"})),
            r#"{"key":".a"}"#
        );
    }
}
