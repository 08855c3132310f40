//! Mapping a character offset inside a scalar's value back to the source.
//!
//! Template errors report a line and column inside the template text, which is the value of
//! a scalar in a Stage file; this module finds where that character was written. It reads
//! the source again from the scalar's mark, following the scalar's style: block scalars strip
//! their indentation, quoted scalars have escapes, and flow scalars fold line breaks.

use crate::{Mark, ScalarStyle};

/// The position of value character `offset` of a scalar with this style starting at `mark`.
/// Offsets past the end land just after the last character found.
pub(crate) fn locate(source: &str, mark: Mark, style: ScalarStyle, offset: usize) -> Mark {
    // A carriage return before a line feed is part of the line break, not of the line.
    let lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let Some(first) = mark.line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return mark;
    };
    let start: Vec<char> = first.chars().collect();

    match style {
        ScalarStyle::Literal | ScalarStyle::Folded => block(&lines, mark, &start, offset),
        ScalarStyle::Plain => flow(&lines, mark, offset, Quote::None),
        ScalarStyle::SingleQuoted => flow(&lines, mark, offset, Quote::Single),
        ScalarStyle::DoubleQuoted => flow(&lines, mark, offset, Quote::Double),
    }
}

/// A block scalar. The mark is either on the header line (`|`, `|-`, `|2`, possibly after a
/// tag or anchor) or on the first content line at the block's indentation. Content lines
/// follow the header; each contributes its characters past the indentation and one line
/// break, so the walk is the same for literal and (approximately) folded scalars.
fn block(lines: &[&str], mark: Mark, mark_line: &[char], offset: usize) -> Mark {
    let after_properties = skip_properties(mark_line, mark.column.saturating_sub(1));
    let on_header = matches!(mark_line.get(after_properties), Some('|' | '>'));
    let header_line = if on_header {
        mark.line
    } else {
        // The header is the nearest line above the mark with something on it.
        (1..mark.line)
            .rev()
            .find(|&n| lines.get(n - 1).is_some_and(|l| !l.trim().is_empty()))
            .unwrap_or(mark.line)
    };
    let header_chars: Vec<char> = lines
        .get(header_line - 1)
        .map(|l| l.chars().collect())
        .unwrap_or_default();
    let content = lines.get(header_line..).unwrap_or(&[]);

    let indent = if !on_header && mark.line > header_line {
        mark.column.saturating_sub(1)
    } else {
        let indicator = header_chars
            .iter()
            .rposition(|c| matches!(c, '|' | '>'))
            .unwrap_or(0);
        let explicit = header_chars
            .iter()
            .skip(indicator + 1)
            .take_while(|c| matches!(c, '0'..='9' | '+' | '-'))
            .find_map(|c| c.to_digit(10))
            .map(|d| d as usize);
        let parent_indent = header_chars.iter().take_while(|c| **c == ' ').count();
        match explicit {
            Some(n) => parent_indent + n,
            None => content
                .iter()
                .find(|l| !l.trim().is_empty())
                .map_or(parent_indent + 1, |l| {
                    l.chars().take_while(|c| *c == ' ').count()
                }),
        }
    };

    let mut remaining = offset;
    let mut last = mark;
    for (i, line) in content.iter().enumerate() {
        let line_no = header_line + 1 + i;
        let chars: Vec<char> = line.chars().collect();
        let leading = chars.iter().take_while(|c| **c == ' ').count();
        if leading < indent && !line.trim().is_empty() {
            break;
        }
        let text_len = chars.len().saturating_sub(indent);
        if remaining <= text_len {
            return Mark {
                line: line_no,
                column: indent + remaining + 1,
            };
        }
        remaining -= text_len + 1;
        last = Mark {
            line: line_no,
            column: indent + text_len + 1,
        };
    }
    last
}

/// The index of the first character after any tag (`!!str`) and anchor (`&a`) at `from`.
fn skip_properties(chars: &[char], from: usize) -> usize {
    let mut i = from;
    while matches!(chars.get(i), Some('!' | '&')) {
        while chars.get(i).is_some_and(|c| !c.is_whitespace()) {
            i += 1;
        }
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
    }
    i
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// A plain or quoted scalar: walk the source, counting value characters. A line break with
/// the indentation after it folds to one character (a space, or a newline for each empty
/// line), escapes count as the one character they stand for.
fn flow(lines: &[&str], mark: Mark, offset: usize, quote: Quote) -> Mark {
    let mut line = mark.line;
    let mut chars: Vec<char> = lines[line - 1].chars().collect();
    let mut col = skip_properties(&chars, mark.column.saturating_sub(1));
    if quote != Quote::None {
        col += 1;
    }
    let mut remaining = offset;

    loop {
        if col >= chars.len() {
            // A line break: skip empty lines and the next line's indentation.
            if line >= lines.len() {
                return Mark {
                    line,
                    column: col + 1,
                };
            }
            let here = Mark {
                line,
                column: col + 1,
            };
            line += 1;
            chars = lines[line - 1].chars().collect();
            col = chars.iter().take_while(|c| c.is_whitespace()).count();
            let folded_blank = col >= chars.len() && line < lines.len();
            if remaining == 0 {
                return here;
            }
            if !folded_blank {
                remaining -= 1;
            }
            continue;
        }

        let c = chars[col];
        let width = match (quote, c) {
            (Quote::Single, '\'') if chars.get(col + 1) == Some(&'\'') => 2,
            (Quote::Single, '\'') | (Quote::Double, '"') => {
                return Mark {
                    line,
                    column: col + 1,
                };
            }
            (Quote::Double, '\\') => escape_width(chars.get(col + 1).copied()),
            _ => 1,
        };
        if remaining == 0 {
            return Mark {
                line,
                column: col + 1,
            };
        }
        remaining -= 1;
        col += width;
    }
}

/// Source characters taken by a double-quoted escape whose letter is `letter`.
fn escape_width(letter: Option<char>) -> usize {
    match letter {
        Some('x') => 4,
        Some('u') => 6,
        Some('U') => 10,
        _ => 2,
    }
}
