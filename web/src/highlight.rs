//! Colouring for the editors: YAML text turned into HTML, one `<div>` per line, each token
//! in a `<span>` with a class the stylesheet colours. Go template actions (`{{ ... }}`)
//! inside Stage templates get their own class, since they are what users edit most.
//!
//! This is a light, line-based colouring, not a parser: it never rejects text, and it only
//! has to agree with a real YAML parser on ordinary Stage and object files. Errors come from
//! the engine, not from here.

use std::collections::BTreeSet;

/// The token classes, as CSS class names.
const KEY: &str = "k";
const STRING: &str = "s";
const SCALAR: &str = "v";
const NUMBER: &str = "n";
const COMMENT: &str = "c";
const PUNCT: &str = "p";
const TEMPLATE: &str = "t";
const DOC: &str = "d";

/// The HTML of the whole text; `error_lines` (1-based) get the `err` class.
pub fn to_html(text: &str, error_lines: &BTreeSet<usize>) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    for (index, line) in lines(text).enumerate() {
        let number = index + 1;
        if error_lines.contains(&number) {
            html.push_str("<div class=\"line err\">");
        } else {
            html.push_str("<div class=\"line\">");
        }
        line_html(line, &mut html);
        // An empty div has no height; a line break keeps blank lines as tall as the others.
        html.push_str("\n</div>");
    }
    html
}

/// The lines of the text as an editor counts them: a final newline starts one more line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
}

/// How many lines the editor shows.
pub fn line_count(text: &str) -> usize {
    // The same count as `lines(text).count()`, without visiting each line: this runs on
    // every key, over texts of a hundred thousand lines.
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

fn line_html(line: &str, html: &mut String) {
    if line == "---" || line.starts_with("--- ") || line == "..." {
        span(DOC, line, html);
        return;
    }

    let indent = line.len() - line.trim_start_matches(' ').len();
    html.push_str(&line[..indent]);
    let mut rest = &line[indent..];

    // Sequence entries: `- ` may repeat (`- - a`).
    while let Some(after) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        span(PUNCT, "-", html);
        let spaces = after.len() - after.trim_start_matches(' ').len();
        html.push_str(&" ".repeat(spaces + usize::from(rest.len() > 1)));
        rest = &after[spaces..];
    }

    if rest.starts_with('#') {
        span(COMMENT, rest, html);
        return;
    }

    match key_end(rest) {
        Some(end) => {
            span(KEY, &rest[..end], html);
            span(PUNCT, ":", html);
            value_html(&rest[end + 1..], html);
        }
        None => value_html(rest, html),
    }
}

/// Where a mapping key ends (the index of its `:`), if the text starts with one. Quoted keys
/// count; a colon inside a template action or a URL does not.
fn key_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = text[1..].find(first as char)? + 1;
        return (bytes.get(close + 1) == Some(&b':')
            && matches!(bytes.get(close + 2), None | Some(b' ')))
        .then_some(close + 1);
    }
    if matches!(
        first,
        b'{' | b'[' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@'
    ) {
        return None;
    }
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b':' if matches!(bytes.get(index + 1), None | Some(b' ')) => return Some(index),
            b' ' if bytes.get(index + 1) == Some(&b'#') => return None,
            _ => index += 1,
        }
    }
    None
}

fn value_html(text: &str, html: &mut String) {
    let spaces = text.len() - text.trim_start_matches(' ').len();
    html.push_str(&text[..spaces]);
    let text = &text[spaces..];
    if text.is_empty() {
        return;
    }

    // A trailing comment, when it is not inside quotes.
    let (value, comment) = match comment_start(text) {
        Some(at) => (&text[..at], Some(&text[at..])),
        None => (text, None),
    };

    let trimmed = value.trim_end();
    let class = if trimmed.starts_with('"') || trimmed.starts_with('\'') {
        STRING
    } else if matches!(trimmed, "|" | ">" | "|-" | ">-" | "|+" | ">+" | "{}" | "[]") {
        PUNCT
    } else if is_number(trimmed) {
        NUMBER
    } else if matches!(
        trimmed,
        "true" | "false" | "True" | "False" | "null" | "Null" | "~" | "yes" | "no" | "on" | "off"
    ) {
        SCALAR
    } else {
        ""
    };
    templated(class, value, html);
    if let Some(comment) = comment {
        span(COMMENT, comment, html);
    }
}

fn comment_start(text: &str) -> Option<usize> {
    let mut quote = None;
    let mut previous = b' ';
    for (index, byte) in text.bytes().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') if previous == b' ' || index == 0 => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            (None, b'#') if previous == b' ' => return Some(index),
            _ => {}
        }
        previous = byte;
    }
    None
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E' | b'x' | b'o'))
}

/// Text in one class, with Go template actions picked out.
fn templated(class: &str, text: &str, html: &mut String) {
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let close = rest[open..]
            .find("}}")
            .map(|at| open + at + 2)
            .unwrap_or(rest.len());
        span(class, &rest[..open], html);
        span(TEMPLATE, &rest[open..close], html);
        rest = &rest[close..];
    }
    span(class, rest, html);
}

fn span(class: &str, text: &str, html: &mut String) {
    if text.is_empty() {
        return;
    }
    if class.is_empty() {
        escape(text, html);
        return;
    }
    html.push_str("<span class=\"");
    html.push_str(class);
    html.push_str("\">");
    escape(text, html);
    html.push_str("</span>");
}

/// Escapes text for HTML element content and for a double-quoted attribute's value.
pub fn escape(text: &str, html: &mut String) {
    for c in text.chars() {
        match c {
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> String {
        let mut html = String::new();
        line_html(text, &mut html);
        html
    }

    #[test]
    fn tokens() {
        let cases = [
            (
                "kind: Stage",
                r#"<span class="k">kind</span><span class="p">:</span> Stage"#,
            ),
            (
                "  weight: 1",
                r#"  <span class="k">weight</span><span class="p">:</span> <span class="n">1</span>"#,
            ),
            (
                "- key: '.status.podIP'",
                r#"<span class="p">-</span> <span class="k">key</span><span class="p">:</span> <span class="s">'.status.podIP'</span>"#,
            ),
            ("---", r#"<span class="d">---</span>"#),
            ("# note", r#"<span class="c"># note</span>"#),
            (
                "a: b # why",
                r#"<span class="k">a</span><span class="p">:</span> b <span class="c"># why</span>"#,
            ),
            (
                "x: '# not a comment'",
                r#"<span class="k">x</span><span class="p">:</span> <span class="s">'# not a comment'</span>"#,
            ),
            (
                "  statusTemplate: |",
                r#"  <span class="k">statusTemplate</span><span class="p">:</span> <span class="p">|</span>"#,
            ),
            (
                "    phase: {{ .x }}",
                r#"    <span class="k">phase</span><span class="p">:</span> <span class="t">{{ .x }}</span>"#,
            ),
            (
                "  {{ range .a }}",
                r#"  <span class="t">{{ range .a }}</span>"#,
            ),
            (
                "url: http://a:b",
                r#"<span class="k">url</span><span class="p">:</span> http://a:b"#,
            ),
            (
                "ok: true",
                r#"<span class="k">ok</span><span class="p">:</span> <span class="v">true</span>"#,
            ),
            ("-", r#"<span class="p">-</span>"#),
            ("<b>", "&lt;b&gt;"),
        ];
        for (input, expected) in cases {
            assert_eq!(line(input), expected, "{input:?}");
        }
    }

    #[test]
    fn error_lines_are_marked_and_blank_lines_kept() {
        let html = to_html("a: 1\n\nb: [", &BTreeSet::from([3]));
        assert_eq!(html.matches("<div class=\"line\">").count(), 2);
        assert_eq!(html.matches("<div class=\"line err\">").count(), 1);
        assert!(html.contains("<div class=\"line\">\n</div>"));
    }

    #[test]
    fn line_count_counts_a_final_newline() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 2);
    }
}
