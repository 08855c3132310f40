//! Problems found in the user's input, and the one place that renders them.
//!
//! Every diagnostic names the file, the line and column, and the field path inside the
//! document (`spec.selector.matchExpressions[1].operator`). The CLI and the page both render
//! through [`Diagnostic::render`]: `file:line:col: error: message`, then the source line and a
//! caret under the column when the source text is at hand. Diagnostics are serialisable so the
//! page can receive them as JSON. This module does not decide what is wrong; the loader does.

use std::fmt;

use serde::{Deserialize, Serialize};
use stage_yaml::Mark;

/// How bad a diagnostic is. Only errors reject a Stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One problem (or remark) about the input, with its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file name as the user gave it (or a label such as `stages` in the page).
    pub file: String,
    /// 1-based line and column; line 0 means the problem concerns the whole file.
    #[serde(with = "MarkDef")]
    pub mark: Mark,
    /// The field path inside the document, e.g. `spec.steps[0].patch.template`; empty when
    /// the problem concerns a whole document or file.
    pub path: String,
    /// A complete sentence that names the field; it does not repeat the file and position.
    pub message: String,
}

/// `stage_yaml::Mark` as it appears in JSON: `{"line": 12, "column": 7}`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Mark")]
struct MarkDef {
    line: usize,
    column: usize,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Diagnostic {
    pub fn error(file: &str, mark: Mark, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, file, mark, path, message)
    }

    pub fn warning(file: &str, mark: Mark, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, file, mark, path, message)
    }

    pub fn note(file: &str, mark: Mark, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, file, mark, path, message)
    }

    pub fn new(
        severity: Severity,
        file: &str,
        mark: Mark,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.to_string(),
            mark,
            path: path.to_string(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as the CLI prints it and the page shows it: the header line, and when
    /// `source` is the text of the diagnostic's file, the source line with a caret under the
    /// column. The text ends with a newline.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = format!("{self}\n");
        if let Some(snippet) = source.and_then(|text| self.snippet(text)) {
            out.push_str(&snippet);
        }
        out
    }

    /// The source line and the caret line, or `None` when the line is not in `source`.
    fn snippet(&self, source: &str) -> Option<String> {
        if self.mark.line == 0 {
            return None;
        }
        let line = source.lines().nth(self.mark.line - 1)?;
        let number = self.mark.line.to_string();
        let gutter = " ".repeat(number.len());

        // Tabs before the column are kept so that the caret lines up in a terminal.
        let pad: String = line
            .chars()
            .take(self.mark.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        Some(format!("{number} | {line}\n{gutter} | {pad}^\n"))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mark.line == 0 {
            write!(f, "{}: {}: {}", self.file, self.severity, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}: {}",
                self.file, self.mark.line, self.mark.column, self.severity, self.message
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Mark {
        Mark { line, column }
    }

    #[test]
    fn header_names_file_line_column_and_severity() {
        let d = Diagnostic::error(
            "stages.yaml",
            at(12, 7),
            "spec.nxt",
            "unknown field \"nxt\" in spec",
        );
        assert_eq!(
            d.to_string(),
            "stages.yaml:12:7: error: unknown field \"nxt\" in spec"
        );
    }

    #[test]
    fn whole_file_diagnostics_have_no_position() {
        let d = Diagnostic::error("gone.yaml", Mark::default(), "", "cannot read the file");
        assert_eq!(d.to_string(), "gone.yaml: error: cannot read the file");
        assert_eq!(
            d.render(Some("a: b\n")),
            "gone.yaml: error: cannot read the file\n"
        );
    }

    #[test]
    fn render_shows_the_line_and_a_caret() {
        let source = "spec:\n  nxt: {}\n";
        let d = Diagnostic::warning("s.yaml", at(2, 3), "spec.nxt", "m");
        assert_eq!(
            d.render(Some(source)),
            "s.yaml:2:3: warning: m\n2 |   nxt: {}\n  |   ^\n"
        );
    }

    #[test]
    fn render_without_source_is_the_header() {
        let d = Diagnostic::note("s.yaml", at(1, 1), "", "m");
        assert_eq!(d.render(None), "s.yaml:1:1: note: m\n");
    }

    #[test]
    fn render_ignores_a_line_past_the_end() {
        let d = Diagnostic::note("s.yaml", at(9, 1), "", "m");
        assert_eq!(d.render(Some("a: b\n")), "s.yaml:9:1: note: m\n");
    }

    #[test]
    fn caret_keeps_tabs() {
        let d = Diagnostic::error("s.yaml", at(1, 3), "", "m");
        assert_eq!(
            d.render(Some("\tx y")),
            "s.yaml:1:3: error: m\n1 | \tx y\n  | \t ^\n"
        );
    }

    #[test]
    fn serialises_for_the_page() {
        let d = Diagnostic::error("s.yaml", at(3, 4), "spec.weight", "m");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "severity": "error", "file": "s.yaml", "mark": {"line": 3, "column": 4},
                "path": "spec.weight", "message": "m"
            })
        );
        let back: Diagnostic = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
    }
}
