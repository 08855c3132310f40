//! A light code editor: a transparent textarea laid over the highlighted text, with a
//! gutter of line numbers. Lines the engine complained about are marked in the gutter and
//! underlined in the text, and the problems are listed under the editor; clicking one puts
//! the caret on its line.
//!
//! A text longer than [`PLAIN_ABOVE`] is shown plain: the textarea draws its own text and
//! the gutter is one block of numbers, because colouring and a row per line of a
//! megabyte-sized text would keep the page busy on every keystroke. Its problems are still
//! listed under it.
//!
//! A large selection is pasted over, deleted and cut by the page rather than by the browser
//! (see [`DELETE_ITSELF_FROM`]); what the user selected is either on the clipboard or still in
//! the editor, with a notice saying why, never lost.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;

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
    let problems = Memo::new(move |_| in_line_order(problems.get()));
    // Set when the text was just read from the textarea, which then already shows it:
    // writing a megabyte back into it on every key would only cost time.
    let from_textarea = StoredValue::new(false);
    let take_from_textarea = move |value: String| {
        from_textarea.set_value(true);
        text.set(value);
    };
    Effect::new(move |_| {
        text.with(|text| {
            if from_textarea.try_update_value(std::mem::take) == Some(true) {
                return;
            }
            if let Some(area) = textarea.get_untracked() {
                area.set_value(text);
            }
        })
    });
    // Why a cut the page took left the text where it was, until the user moves on.
    let notice = RwSignal::new(None::<String>);
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
        error_lines.with(|lines| problems.with(|problems| gutter_html(count, lines, problems)))
    };
    let documents = Memo::new(move |_| text.with(|text| document_count(text)));
    let documents = move || {
        let count = documents.get();
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
                        on:input=move |event| {
                            notice.set(None);
                            take_from_textarea(event_target_value(&event));
                        }
                        on:paste=move |event: web_sys::ClipboardEvent| {
                            if replace_selection(&event) {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    take_from_textarea(area.value());
                                }
                            }
                        }
                        on:cut=move |event: web_sys::ClipboardEvent| {
                            if cut_large_selection(&event) {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    take_from_textarea(area.value());
                                }
                            }
                        }
                        on:keydown=move |event: web_sys::KeyboardEvent| {
                            let handled = match key_action(&event.key(), Modifiers::of(&event)) {
                                KeyAction::Cut => {
                                    // This cut ends later, once the clipboard has answered.
                                    let ended = move |ended: CutEnded| match ended {
                                        CutEnded::Cut(value) => {
                                            let _ = notice.try_set(None);
                                            // The editor may be gone by the time the clipboard answers.
                                            let _ = from_textarea.try_update_value(|from| *from = true);
                                            let _ = text.try_set(value);
                                        }
                                        CutEnded::Kept(why) => {
                                            let _ = notice.try_set(Some(why));
                                        }
                                    };
                                    if cut_by_key(&event, ended) {
                                        event.prevent_default();
                                    }
                                    return;
                                }
                                KeyAction::Indent => {
                                    insert_spaces(&event);
                                    true
                                }
                                KeyAction::Delete => delete_large_selection(&event),
                                KeyAction::Browser => false,
                            };
                            if handled {
                                event.prevent_default();
                                if let Some(area) = textarea.get() {
                                    take_from_textarea(area.value());
                                }
                            }
                        }
                    ></textarea>
                </div>
            </div>
            <Show when=move || notice.with(Option::is_some)>
                <p class="problems editor-notice" role="alert">
                    <span class="problem">
                        <span class="message">{move || notice.get().unwrap_or_default()}</span>
                        <button class="ghost dismiss" aria-label="Dismiss" on:click=move |_| notice.set(None)>"×"</button>
                    </span>
                </p>
            </Show>
            <Show when=move || !problems.with(Vec::is_empty)>
                <ul class="problems">
                    {move || {
                        problems
                            .get()
                            .into_iter()
                            .map(|problem| {
                                let line = problem.line;
                                let title = problem.message.clone();
                                view! {
                                    <li class="problem" data-line=line data-column=problem.column title=title on:click=move |_| go_to_line(line)>
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

/// What a key press in the editor asks of the page.
#[derive(Debug, PartialEq, Eq)]
enum KeyAction {
    /// Tab: two spaces instead of leaving the editor.
    Indent,
    /// A cut, which the page takes over a large selection.
    Cut,
    /// A delete of the selection, which the page takes over a large selection.
    Delete,
    /// Anything else is the browser's.
    Browser,
}

/// The modifier keys held with a key.
#[derive(Clone, Copy, Debug, Default)]
struct Modifiers {
    /// Ctrl, or Cmd on a Mac.
    command: bool,
    shift: bool,
    alt: bool,
}

impl Modifiers {
    fn of(event: &web_sys::KeyboardEvent) -> Self {
        Modifiers {
            command: event.ctrl_key() || event.meta_key(),
            shift: event.shift_key(),
            alt: event.alt_key(),
        }
    }
}

/// Ctrl+X (Cmd+X) is a cut, and so is Shift+Delete, which Windows and Linux browsers treat as
/// one: taking it for a delete would drop the text without putting it anywhere. On a Mac
/// Shift+Delete deletes forward; the page cuts there too, which keeps the text on the clipboard
/// besides. Backspace, and Delete without Shift, delete just the selection whatever else is
/// held (a word or line delete removes only the selection when there is one). Delete with
/// Shift and another modifier, Ctrl+Insert (copy) and every other key stay the browser's.
fn key_action(key: &str, held: Modifiers) -> KeyAction {
    match key {
        "Tab" => KeyAction::Indent,
        "x" | "X" if held.command && !held.shift && !held.alt => KeyAction::Cut,
        "Delete" if held.shift && !held.command && !held.alt => KeyAction::Cut,
        "Delete" if held.shift => KeyAction::Browser,
        "Delete" | "Backspace" => KeyAction::Delete,
        _ => KeyAction::Browser,
    }
}

/// The problems by line, then column, as a reader goes down the text; those about the whole
/// text (line 0) come first. Problems at the same place keep the engine's order.
fn in_line_order(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| (p.line, p.column));
    problems
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
    clipboard
        .set_data("text/plain", &String::from(selected))
        .is_ok()
        && area
            .set_range_text_with_start_and_end_and_mode("", start, end, "end")
            .is_ok()
}

/// How a cut that waited for the clipboard ended.
enum CutEnded {
    /// The text is on the clipboard and out of the editor, whose text is now this.
    Cut(String),
    /// The text is still in the editor, for the reason given (a sentence for the user).
    Kept(String),
}

/// A cut by key (Ctrl+X, Shift+Delete) over a large selection, and whether the page took it.
/// Chromium spends seconds on a large selection before it even fires the cut event (3.5 s
/// for 1,000 pods), so the page writes the selection to the clipboard itself and removes it
/// once the clipboard has it, then calls `ended`. If the clipboard refuses, the text stays
/// and `ended` says why. Without a clipboard the page can write to (a page served over plain
/// HTTP has none), the key is left to the browser, whose cut event the page then takes.
fn cut_by_key(event: &web_sys::KeyboardEvent, ended: impl FnOnce(CutEnded) + 'static) -> bool {
    let Some((area, start, end)) = large_selection(event.target()) else {
        return false;
    };
    let Some(clipboard) = web_sys::window().and_then(|window| clipboard(&window)) else {
        return false;
    };
    let Some(selected) = selected_text(&area, start, end) else {
        return false;
    };
    let written = clipboard.write_text(&String::from(&selected));

    // Whichever of the two answers comes first takes the waiting cut; the other finds none.
    let waiting = Rc::new(Cell::new(Some(WaitingCut {
        area,
        start,
        end,
        selected,
        ended: Box::new(ended),
    })));
    let on_written: Closure<dyn FnMut(JsValue)> = Closure::once({
        let waiting = Rc::clone(&waiting);
        move |_: JsValue| {
            if let Some(cut) = waiting.take() {
                cut.written();
            }
        }
    });
    let on_refused: Closure<dyn FnMut(JsValue)> = Closure::once(move |error: JsValue| {
        if let Some(cut) = waiting.take() {
            (cut.ended)(CutEnded::Kept(format!(
                "The clipboard refused the cut, so the text is still here: {}",
                refusal(&error)
            )));
        }
    });
    let _ = written.then2(&on_written, &on_refused);
    // The promise alone holds the two functions from here, and the memory behind them goes
    // when the functions go: after the answer, or with the promise if none ever comes.
    let _ = on_written.into_js_value();
    let _ = on_refused.into_js_value();
    true
}

/// A cut by key whose text the clipboard has not yet taken.
struct WaitingCut {
    area: web_sys::HtmlTextAreaElement,
    start: u32,
    end: u32,
    /// The text written to the clipboard.
    selected: js_sys::JsString,
    ended: Box<dyn FnOnce(CutEnded)>,
}

impl WaitingCut {
    /// The clipboard has the text: it is removed from the editor if the same text is still
    /// selected. The user may have moved the selection or typed meanwhile, and then the editor
    /// is left as it is, since the clipboard holds the text as it was.
    fn written(self) {
        let WaitingCut {
            area,
            start,
            end,
            selected,
            ended,
        } = self;
        let same = area.selection_start().ok().flatten() == Some(start)
            && area.selection_end().ok().flatten() == Some(end)
            && selected_text(&area, start, end).as_ref() == Some(&selected);
        if !same {
            ended(CutEnded::Kept(
                "The clipboard has the text, but the selection changed before it did, so \
                 nothing was removed."
                    .to_string(),
            ));
            return;
        }
        match area.set_range_text_with_start_and_end_and_mode("", start, end, "end") {
            Ok(()) => ended(CutEnded::Cut(area.value())),
            Err(_) => ended(CutEnded::Kept(
                "The clipboard has the text, but the editor would not remove it.".to_string(),
            )),
        }
    }
}

/// The page's clipboard, if it has one: `navigator.clipboard` exists only on a page served
/// over HTTPS or from the local machine.
fn clipboard(window: &web_sys::Window) -> Option<web_sys::Clipboard> {
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok()?;
    clipboard.is_object().then(|| clipboard.unchecked_into())
}

/// What the clipboard said when it refused a write, as the browser words it.
fn refusal(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        let message = String::from(error.message());
        if !message.is_empty() {
            return message;
        }
        return String::from(error.name());
    }
    error
        .as_string()
        .unwrap_or_else(|| "the browser gave no reason.".to_string())
}

/// The selected text, taken from the textarea's own string in the UTF-16 units its
/// selection counts, without copying the whole text into the page's memory.
fn selected_text(
    area: &web_sys::HtmlTextAreaElement,
    start: u32,
    end: u32,
) -> Option<js_sys::JsString> {
    let value = js_sys::Reflect::get(area, &"value".into()).ok()?;
    let value = value.dyn_into::<js_sys::JsString>().ok()?;
    Some(value.substring(start, end))
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
    fn problems_read_in_line_order() {
        let problem = |line, column, message: &str| Problem {
            source: crate::glue::Source::Stages,
            line,
            column,
            message: message.to_string(),
        };
        let listed = in_line_order(vec![
            problem(16, 5, "unknown field"),
            problem(11, 27, "jq"),
            problem(19, 33, "template"),
            problem(11, 3, "earlier on the line"),
            problem(0, 0, "whole text"),
            problem(11, 27, "same place, later"),
        ]);
        let order: Vec<_> = listed
            .iter()
            .map(|p| (p.line, p.column, p.message.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (0, 0, "whole text"),
                (11, 3, "earlier on the line"),
                (11, 27, "jq"),
                (11, 27, "same place, later"),
                (16, 5, "unknown field"),
                (19, 33, "template"),
            ]
        );
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
    fn keys() {
        let none = Modifiers::default();
        let ctrl = Modifiers {
            command: true,
            ..none
        };
        let shift = Modifiers {
            shift: true,
            ..none
        };
        let alt = Modifiers { alt: true, ..none };
        let ctrl_shift = Modifiers {
            shift: true,
            ..ctrl
        };
        let alt_shift = Modifiers { shift: true, ..alt };
        let cases = [
            ("x", ctrl, KeyAction::Cut),
            ("X", ctrl, KeyAction::Cut),
            ("x", none, KeyAction::Browser),
            ("X", ctrl_shift, KeyAction::Browser),
            ("x", Modifiers { alt: true, ..ctrl }, KeyAction::Browser),
            ("Delete", shift, KeyAction::Cut),
            ("Delete", none, KeyAction::Delete),
            ("Delete", ctrl, KeyAction::Delete),
            ("Delete", alt, KeyAction::Delete),
            ("Delete", ctrl_shift, KeyAction::Browser),
            ("Delete", alt_shift, KeyAction::Browser),
            ("Backspace", none, KeyAction::Delete),
            ("Backspace", shift, KeyAction::Delete),
            ("Backspace", ctrl, KeyAction::Delete),
            ("Backspace", ctrl_shift, KeyAction::Delete),
            ("Insert", ctrl, KeyAction::Browser),
            ("Insert", shift, KeyAction::Browser),
            ("Tab", none, KeyAction::Indent),
            ("Tab", shift, KeyAction::Indent),
            ("a", none, KeyAction::Browser),
        ];
        for (key, held, action) in cases {
            assert_eq!(key_action(key, held), action, "{key} with {held:?}");
        }
    }

    #[test]
    fn gutter_marks_error_lines() {
        let html = gutter_html(3, &BTreeSet::from([2]), &[]);
        assert!(html.contains(r#"data-error-line="2""#));
        assert_eq!(html.matches("class=\"num\"").count(), 2);
    }
}
