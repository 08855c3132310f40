//! Loading Stages from YAML into the internal form the engine executes.
//!
//! A stream may hold many documents; Stages (`kwok.x-k8s.io/v1alpha1`, kind `Stage`) are
//! loaded and every other kind (Kustomization, RBAC, CRDs, StorageClass, objects) is skipped
//! with a note. Each Stage is validated strictly against the CRD's schema, as
//! `kubectl apply --validate=strict` does (`schema`), then built into [`crate::model::Stage`]
//! with kwok's load-time checks (`build`, `legacy`). A Stage with an error is rejected and
//! the others load; every problem is a [`Diagnostic`] naming file, line, column and field.
//!
//! Decisions where kwok's own file loader differs, each stated in the diagnostic it causes:
//! unknown fields and keys written twice are errors (kwok ignores the first and keeps the
//! last value of the second); a missing `apiGroup` is `v1` (kwok's file loader gives `""`);
//! a Stage that kwok would break on at its first event is rejected.
//! Stages with CEL selectors are kept, with a warning: matching reports their CEL entries as
//! not supported. The Objects input is loaded by [`load_objects`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stage_yaml::{Document, Mark, NodeValue};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ResourceRef, Stage};

mod build;
mod legacy;
mod objects;
mod path;
mod schema;
mod templates;
mod tree;

#[cfg(test)]
mod tests;

pub use objects::{LoadedObject, load_objects};
pub use schema::STAGE_CRD;
pub use templates::controller_funcs;

use path::FieldPath;

/// The Stages that loaded and everything worth saying about the input.
#[derive(Debug, Default)]
pub struct LoadResult {
    pub stages: Vec<Stage>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, by the name diagnostics use, for rendering carets.
    pub sources: BTreeMap<String, String>,
}

impl LoadResult {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Every diagnostic rendered with its source line, in order.
    pub fn render_diagnostics(&self) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(self.sources.get(&d.file).map(String::as_str)))
            .collect()
    }
}

/// The template function table of a Stage's controller, by its resourceRef. Only the names
/// matter at load time: Go's parser rejects a call to a function the table lacks.
pub type FuncsFor = fn(&ResourceRef) -> stage_gotpl::Funcs;

/// How to load.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// The function table every template is parsed with at load time, as kwok parses it
    /// when it first initialises the Stage; [`controller_funcs`] by default. `None` skips
    /// the check, and a broken template then shows up only when it is rendered.
    pub template_funcs: Option<FuncsFor>,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            template_funcs: Some(controller_funcs),
        }
    }
}

/// Loads every Stage of a YAML (or JSON) stream. `file` names the input in diagnostics.
pub fn load_stages(source: &str, file: &str) -> LoadResult {
    load_stages_with(source, file, &LoadOptions::default())
}

pub fn load_stages_with(source: &str, file: &str, options: &LoadOptions) -> LoadResult {
    let mut result = LoadResult::default();
    load_into(&mut result, source, file, options);
    result
}

/// Loads the Stages of files and directories. A directory contributes its `*.yaml`, `*.yml`
/// and `*.json` files in name order, with its subdirectories only when `recursive`; a file
/// named directly is read whatever its extension.
pub fn load_paths(paths: &[PathBuf], recursive: bool) -> LoadResult {
    load_paths_with(paths, recursive, &LoadOptions::default())
}

pub fn load_paths_with(paths: &[PathBuf], recursive: bool, options: &LoadOptions) -> LoadResult {
    let mut result = LoadResult::default();
    for path in paths {
        let mut files = Vec::new();
        if path.is_dir() {
            if let Err(e) = collect_files(path, recursive, &mut files) {
                result.diagnostics.push(Diagnostic::error(
                    &path.display().to_string(),
                    Mark::default(),
                    "",
                    format!("cannot read the directory: {e}"),
                ));
            }
        } else {
            files.push(path.clone());
        }

        for file in files {
            let name = file.display().to_string();
            match std::fs::read_to_string(&file) {
                Ok(source) => load_into(&mut result, &source, &name, options),
                Err(e) => result.diagnostics.push(Diagnostic::error(
                    &name,
                    Mark::default(),
                    "",
                    format!("cannot read the file: {e}"),
                )),
            }
        }
    }
    result
}

fn collect_files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            if recursive {
                collect_files(&entry, recursive, out)?;
            }
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(entry);
        }
    }
    Ok(())
}

/// Where diagnostics of one file are collected while it is loaded.
pub(crate) struct Report<'a> {
    pub file: &'a str,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    fn push(&mut self, severity: Severity, mark: Mark, path: &FieldPath, message: String) {
        let path = path.to_string();
        self.diagnostics
            .push(Diagnostic::new(severity, self.file, mark, &path, message));
    }

    pub fn error(&mut self, mark: Mark, path: &FieldPath, message: String) {
        self.push(Severity::Error, mark, path, message);
    }

    pub fn warning(&mut self, mark: Mark, path: &FieldPath, message: String) {
        self.push(Severity::Warning, mark, path, message);
    }

    pub fn note(&mut self, mark: Mark, path: &FieldPath, message: String) {
        self.push(Severity::Note, mark, path, message);
    }

    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

fn load_into(result: &mut LoadResult, source: &str, file: &str, options: &LoadOptions) {
    result.sources.insert(file.to_string(), source.to_string());
    let mut report = Report {
        file,
        source,
        diagnostics: Vec::new(),
    };

    match stage_yaml::parse_stream(source) {
        Ok(documents) => {
            for document in &documents {
                if let Some(stage) = load_document(document, &mut report, options) {
                    result.stages.push(stage);
                }
            }
        }
        Err(e) => report.error(e.mark, &FieldPath::root(), format!("YAML: {}", e.message)),
    }
    result.diagnostics.append(&mut report.diagnostics);
}

const STAGE_API_VERSION: &str = "kwok.x-k8s.io/v1alpha1";

/// One document: a Stage is validated and built; other kinds are skipped with a note.
fn load_document(
    document: &Document,
    report: &mut Report<'_>,
    options: &LoadOptions,
) -> Option<Stage> {
    let root = &document.root;
    let path = FieldPath::root();
    match &root.value {
        NodeValue::Null => return None,
        NodeValue::Map(_) => {}
        _ => {
            report.error(
                root.mark,
                &path,
                "a document must be a mapping with apiVersion and kind".to_string(),
            );
            return None;
        }
    }

    let api_version = tree::get_text(root, "apiVersion").unwrap_or_default();
    let Some(kind) = tree::get_text(root, "kind").filter(|k| !k.is_empty()) else {
        report.error(
            root.mark,
            &path.child("kind"),
            "missing required field \"kind\"".to_string(),
        );
        return None;
    };
    if kind == "Stage" && api_version.is_empty() {
        let message =
            format!("missing required field \"apiVersion\" (a Stage is {STAGE_API_VERSION})");
        report.error(root.mark, &path.child("apiVersion"), message);
        return None;
    }
    let is_kwok_group = api_version.starts_with("kwok.x-k8s.io/");
    if kind != "Stage" || !is_kwok_group {
        let name = tree::get(root, "metadata").and_then(|m| tree::get_text(m, "name"));
        let what = match name {
            Some(name) => format!("{kind} {name:?}"),
            None => format!("a {kind}"),
        };
        let group = if api_version.is_empty() {
            String::new()
        } else {
            format!(" ({api_version})")
        };
        report.note(
            root.mark,
            &path,
            format!("skipped {what}{group}: not a Stage"),
        );
        return None;
    }
    if api_version != STAGE_API_VERSION {
        report.error(
            root.mark,
            &path.child("apiVersion"),
            format!(
                "apiVersion {api_version:?} is not served for Stages: use {STAGE_API_VERSION:?}"
            ),
        );
        return None;
    }

    let schema = match schema::stage_schema() {
        Ok(schema) => schema,
        Err(message) => {
            report.error(root.mark, &path, message);
            return None;
        }
    };
    let mut problems = schema::duplicate_fields(&document.duplicates);
    problems.extend(schema::validate_stage(schema, root, report.source));
    let rejected = !problems.is_empty();
    // Past unknown or repeated fields the Stage still has the shape the builder reads, so
    // it is built anyway to report its other problems (a broken jq key, a bad template) in
    // the same pass, and then rejected.
    let buildable = problems.iter().all(|problem| problem.kwok_reads_past);
    for problem in problems {
        report.diagnostics.push(Diagnostic::error(
            report.file,
            problem.mark,
            &problem.path,
            problem.message,
        ));
    }
    if !buildable {
        return None;
    }

    let errors_before = report.errors();
    let stage = build::build_stage(root, report, options);
    (!rejected && report.errors() == errors_before).then_some(stage)
}
