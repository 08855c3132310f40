//! A light code editor: a transparent textarea laid over the highlighted text, with a
//! gutter of line numbers. Lines the engine complained about are marked in the gutter and
//! underlined in the text, and the problems are listed under the editor; clicking one puts
//! the caret on its line.
//!
//! A text longer than [`PLAIN_ABOVE`] is shown plain: the textarea draws its own text and
//! the gutter is one block of numbers, because colouring and a row per line of a
//! megabyte-sized text would keep the page busy on every keystroke. Its problems are still
//! listed under it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::glue::Problem;
use crate::highlight;

/// The size in bytes above which an editor's text is shown without colouring.
pub const PLAIN_ABOVE: usize = 100_000;

/// The vertical padding of the code, top and bottom together, in pixels (see style.css).
const CODE_PADDING: i32 = 16;

/// How many lines a jump to a problem leaves in view above its line.
const LINES_ABOVE_JUMP: usize = 4;

#[component]
pub fn Editor(
    /// The heading.
    title: &'static str,
    /// The name used in messages and test hooks (`stages`, `objects`).
    name: &'static str,
    text: RwSignal<String>,
    /// This editor's problems.
    #[prop(into)]
    problems: Signal<Vec<Problem>>,
) -> impl IntoView {
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let error_lines = Memo::new(move |_| {
        problems.with(|problems| {
            problems
                .iter()
                .map(|p| p.line)
                .filter(|&l| l > 0)
                .collect::<BTreeSet<_>>()
        })
    });
    let plain = Memo::new(move |_| text.with(|text| text.len() > PLAIN_ABOVE));
    let highlighted = move || {
        if plain.get() {
            return String::new();
        }
        text.with(|text| error_lines.with(|lines| highlight::to_html(text, lines)))
    };
    let line_count = Memo::new(move |_| text.with(|text| highlight::line_count(text)));
    let gutter = move || {
        let count = line_count.get();
        if plain.get() {
            return plain_gutter_html(count);
        }
        error_lines.with(|lines| gutter_html(count, lines, &problems.get()))
    };
    let documents = move || {
        let count = text.with(|text| document_count(text));
        if count == 1 {
            "1 document".to_string()
        } else {
            format!("{count} documents")
        }
    };

    let go_to_line = move |line: usize| {
        let Some(area) = textarea.get() else { return };
        let offset = text.with(|text| line_offset(text, line));
        let element: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
        let _ = element.focus();
        let _ = element.set_selection_range(offset, offset);
        // The textarea is as tall as its text and the body around it scrolls, so the caret
        // alone does not bring the line into view: the body is scrolled to show it with a
        // few lines above.
        if let Ok(Some(body)) = element.closest(".editor-body") {
            let lines = line_count.get_untracked().max(1) as f64;
            let line_height = f64::from(element.scroll_height() - CODE_PADDING) / lines;
            let above = line.saturating_sub(LINES_ABOVE_JUMP + 1) as f64;
            body.set_scroll_top((line_height * above).round() as i32);
        }
    };

    view! {
        <section class="editor" data-editor=name>
            <header class="panel-head">
                <h2>{title}</h2>
                <span class="meta">{documents}</span>
                <span class="meta problems-count" class:bad=move || !problems.with(Vec::is_empty)>
                    {move || match problems.with(Vec::len) {
                        0 => "no problems".to_string(),
                        1 => "1 problem".to_string(),
                        n => format!("{n} problems"),
                    }}
                </span>
            </header>
            <div class="editor-body">
                <div class="gutter" aria-hidden="true" inner_html=gutter></div>
                <div class="code">
                    <pre class="highlight" aria-hidden="true" inner_html=highlighted></pre>
                    <textarea
                        node_ref=textarea
                        class:plain=plain
                        style:--lines=move || line_count.get().to_string()
                        spellcheck="false"
                        autocomplete="off"
                        wrap="off"
                        aria-label=title
                        prop:value=move || text.get()
                        on:input=move |event| text.set(event_target_value(&event))
                        on:paste=move |event: web_sys::ClipboardEvent| {
                            if replace_selection(&event) {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    text.set(area.value());
                                }
                            }
                        }
                        on:cut=move |event: web_sys::ClipboardEvent| {
                            if cut_large_selection(&event) {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    text.set(area.value());
                                }
                            }
                        }
                        on:keydown=move |event: web_sys::KeyboardEvent| {
                            let key = event.key();
                            if matches!(key.as_str(), "x" | "X") && (event.ctrl_key() || event.meta_key()) {
                                // This cut ends later, once the clipboard has the text.
                                if cut_by_key(&event, move |area| text.set(area.value())) {
                                    event.prevent_default();
                                }
                                return;
                            }
                            let handled = match key.as_str() {
                                "Tab" => {
                                    insert_spaces(&event);
                                    true
                                }
                                "Backspace" | "Delete" => delete_large_selection(&event),
                                _ => false,
                            };
                            if handled {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    text.set(area.value());
                                }
                            }
                        }
                    ></textarea>
                </div>
            </div>
            <Show when=move || !problems.with(Vec::is_empty)>
                <ul class="problems">
                    {move || {
                        problems
                            .get()
                            .into_iter()
                            .map(|problem| {
                                let line = problem.line;
                                view! {
                                    <li class="problem" data-line=line on:click=move |_| go_to_line(line)>
                                        <span class="where">{place(name, &problem)}</span>
                                        <span class="message">{problem.message}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}

/// `stages:12:7` for a problem.
fn place(name: &str, problem: &Problem) -> String {
    match (problem.line, problem.column) {
        (0, _) => name.to_string(),
        (line, 0) => format!("{name}:{line}"),
        (line, column) => format!("{name}:{line}:{column}"),
    }
}

fn gutter_html(count: usize, error_lines: &BTreeSet<usize>, problems: &[Problem]) -> String {
    let mut html = String::with_capacity(count * 24);
    for line in 1..=count {
        if error_lines.contains(&line) {
            let message = problems
                .iter()
                .find(|p| p.line == line)
                .map(|p| p.message.as_str())
                .unwrap_or("");
            html.push_str(&format!(
                "<div class=\"num err\" data-error-line=\"{line}\" title=\""
            ));
            highlight::escape(message, &mut html);
            html.push_str(&format!("\">{line}</div>"));
        } else {
            html.push_str(&format!("<div class=\"num\">{line}</div>"));
        }
    }
    html
}

/// The gutter of a plain text: its numbers in one block, one per line.
fn plain_gutter_html(count: usize) -> String {
    let mut html = String::with_capacity(count * 7 + 32);
    html.push_str("<pre class=\"nums\">");
    for line in 1..=count {
        html.push_str(&line.to_string());
        html.push('\n');
    }
    html.push_str("</pre>");
    html
}

/// The number of YAML documents, counting `---` separators the way a stream does.
fn document_count(text: &str) -> usize {
    let mut count = 0;
    let mut content = false;
    for line in text.lines() {
        if line == "---" || line.starts_with("--- ") {
            if content {
                count += 1;
            }
            content = line.len() > 4;
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            content = true;
        }
    }
    count + usize::from(content)
}

/// The UTF-16 offset of the start of a 1-based line, as a textarea counts.
fn line_offset(text: &str, line: usize) -> u32 {
    let bytes: usize = highlight::lines(text)
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let bytes = bytes.min(text.len());
    text.get(..bytes)
        .map(|prefix| prefix.encode_utf16().count())
        .unwrap_or(0) as u32
}

/// A paste over a selection puts the pasted text in place of the selected text itself and
/// says whether it did. Chromium's own paste over a selection takes time that grows with
/// the square of the pasted text (30 s for 450 KB over a few lines), while a paste at a
/// collapsed caret is quick, so that one is left to the browser and keeps its undo step.
fn replace_selection(event: &web_sys::ClipboardEvent) -> bool {
    let Some(area) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    if start == end {
        return false;
    }
    let Some(pasted) = event
        .clipboard_data()
        .and_then(|data| data.get_data("text/plain").ok())
    else {
        return false;
    };
    area.set_range_text_with_start_and_end_and_mode(&pasted, start, end, "end")
        .is_ok()
}

/// A selection of at least this many UTF-16 units is deleted by the page itself
/// (Backspace, Delete, Cut). Chromium's own delete of a selection takes time that grows with
/// the square of its size, as its paste over one does: 9.5 to 15 s for the 1,000 pods of a
/// 170 KB text. The page's delete, like its paste, is not on the browser's undo stack; a
/// smaller selection is deleted by the browser in well under a frame and keeps its undo
/// step.
const DELETE_ITSELF_FROM: u32 = 8_192;

/// The editor's textarea and its selection, when the selection is large enough for the page
/// to delete it itself.
fn large_selection(
    target: Option<web_sys::EventTarget>,
) -> Option<(web_sys::HtmlTextAreaElement, u32, u32)> {
    let area = target?.dyn_into::<web_sys::HtmlTextAreaElement>().ok()?;
    let start = area.selection_start().ok().flatten()?;
    let end = area.selection_end().ok().flatten()?;
    (end.saturating_sub(start) >= DELETE_ITSELF_FROM).then_some((area, start, end))
}

/// Backspace or Delete over a large selection removes it and says whether it did.
fn delete_large_selection(event: &web_sys::KeyboardEvent) -> bool {
    let Some((area, start, end)) = large_selection(event.target()) else {
        return false;
    };
    area.set_range_text_with_start_and_end_and_mode("", start, end, "end")
        .is_ok()
}

/// A cut of a large selection (from a menu) puts the selected text on the clipboard and
/// removes it, and says whether it did; the browser's own cut is left to run otherwise.
fn cut_large_selection(event: &web_sys::ClipboardEvent) -> bool {
    let Some((area, start, end)) = large_selection(event.target()) else {
        return false;
    };
    let Some(clipboard) = event.clipboard_data() else {
        return false;
    };
    let Some(selected) = selected_text(&area, start, end) else {
        return false;
    };
    clipboard.set_data("text/plain", &selected).is_ok()
        && area
            .set_range_text_with_start_and_end_and_mode("", start, end, "end")
            .is_ok()
}

/// Ctrl+X (Cmd+X) over a large selection, and whether the page took it. Chromium spends
/// seconds on a large selection before it even fires the cut event (3.5 s for 1,000 pods),
/// so the page writes the selection to the clipboard itself and removes it once the
/// clipboard has it, then calls `done`. If the clipboard refuses, the text stays.
fn cut_by_key(
    event: &web_sys::KeyboardEvent,
    done: impl FnOnce(&web_sys::HtmlTextAreaElement) + 'static,
) -> bool {
    let Some((area, start, end)) = large_selection(event.target()) else {
        return false;
    };
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Some(selected) = selected_text(&area, start, end) else {
        return false;
    };
    let written = window.navigator().clipboard().write_text(&selected);
    let cut = Closure::once(move |_: JsValue| {
        // Only the selection that was written is removed, if the reader kept it meanwhile.
        let kept = area.selection_start().ok().flatten() == Some(start)
            && area.selection_end().ok().flatten() == Some(end);
        if kept
            && area
                .set_range_text_with_start_and_end_and_mode("", start, end, "end")
                .is_ok()
        {
            done(&area);
        }
    });
    let _ = written.then(&cut);
    // It runs once, when the clipboard has the text.
    cut.forget();
    true
}

/// The selected text, taken from the textarea's own string in the UTF-16 units its
/// selection counts, without copying the whole text into the page's memory.
fn selected_text(area: &web_sys::HtmlTextAreaElement, start: u32, end: u32) -> Option<String> {
    let value = js_sys::Reflect::get(area, &"value".into()).ok()?;
    let value = value.dyn_into::<js_sys::JsString>().ok()?;
    Some(value.substring(start, end).into())
}

/// Tab inserts two spaces instead of leaving the editor.
fn insert_spaces(event: &web_sys::KeyboardEvent) {
    let Some(area) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    let _ = area.set_range_text_with_start_and_end_and_mode("  ", start, end, "end");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let cases = [
            ("", 0),
            ("a: 1", 1),
            ("a: 1\n---\nb: 2\n", 2),
            ("---\na: 1\n---\n", 1),
            ("# only a comment\n", 0),
            ("a: 1\n---\n# nothing\n---\nb: 1", 2),
        ];
        for (text, count) in cases {
            assert_eq!(document_count(text), count, "{text:?}");
        }
    }

    #[test]
    fn offsets_count_utf16_units() {
        assert_eq!(line_offset("ab\ncd\nef", 1), 0);
        assert_eq!(line_offset("ab\ncd\nef", 3), 6);
        assert_eq!(line_offset("é😀\nx", 2), 4);
        assert_eq!(line_offset("ab", 9), 2);
    }

    #[test]
    fn places() {
        let problem = |line, column| Problem {
            source: crate::glue::Source::Stages,
            line,
            column,
            message: String::new(),
        };
        assert_eq!(place("stages", &problem(12, 7)), "stages:12:7");
        assert_eq!(place("stages", &problem(3, 0)), "stages:3");
        assert_eq!(place("stages", &problem(0, 0)), "stages");
    }

    #[test]
    fn plain_gutter_numbers_every_line_in_one_block() {
        let html = plain_gutter_html(3);
        assert_eq!(html, "<pre class=\"nums\">1\n2\n3\n</pre>");
        assert_eq!(plain_gutter_html(10_000).matches('\n').count(), 10_000);
    }

    #[test]
    fn gutter_marks_error_lines() {
        let html = gutter_html(3, &BTreeSet::from([2]), &[]);
        assert!(html.contains(r#"data-error-line="2""#));
        assert_eq!(html.matches("class=\"num\"").count(), 2);
    }
}
