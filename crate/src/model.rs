//! The internal form of a Stage, the one that is executed (kwok's `internalversion`).
//!
//! The loader builds it from YAML: the legacy `next` block is already converted into steps,
//! legacy flat selector entries and `expressionFrom` strings are already moved into their
//! jq form, and jq queries are compiled. Every part keeps the place it came from so that the
//! timeline and the page can point at it.

use std::collections::BTreeMap;

use stage_jq::{Operator, Query};
use stage_kube::PatchType;
use stage_yaml::Mark;

/// Where a piece of a Stage was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file name as the user gave it (or a label such as `stages` in the page).
    pub file: String,
    pub mark: Mark,
}

#[derive(Debug)]
pub struct Stage {
    pub name: String,
    pub origin: Origin,
    pub resource_ref: ResourceRef,
    /// `None`: the Stage never matches (kwok ignores a Stage without a selector).
    pub selector: Option<Selector>,
    pub weight: i64,
    pub weight_from: Option<ExpressionFrom>,
    /// `None`: no delay block, the delay is 0.
    pub delay: Option<Delay>,
    pub steps: Vec<Step>,
    pub immediate_next_stage: bool,
    /// The steps were converted from the legacy `next` block.
    pub from_legacy_next: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRef {
    /// Really a group/version string: `v1`, `apps/v1`, `kwok.x-k8s.io/v1alpha1`.
    pub api_group: String,
    pub kind: String,
}

#[derive(Debug, Default)]
pub struct Selector {
    /// Present (even empty) or absent, as written.
    pub match_labels: Option<BTreeMap<String, String>>,
    pub match_annotations: Option<BTreeMap<String, String>>,
    /// In YAML order; kwok evaluates every jq entry before every CEL entry.
    pub match_expressions: Vec<MatchExpression>,
}

#[derive(Debug)]
pub struct MatchExpression {
    pub origin: Origin,
    pub kind: MatchKind,
}

#[derive(Debug)]
pub enum MatchKind {
    Jq {
        query: Query,
        operator: Operator,
        values: Vec<String>,
    },
    /// Parsed but not evaluated yet: the engine reports it as not supported.
    Cel { expression: String },
}

/// kwok's `ExpressionFrom`: a dynamic value from jq or CEL.
#[derive(Debug)]
pub struct ExpressionFrom {
    pub origin: Origin,
    pub jq: Option<Query>,
    pub cel: Option<String>,
}

#[derive(Debug, Default)]
pub struct Delay {
    pub duration_milliseconds: Option<i64>,
    pub duration_from: Option<ExpressionFrom>,
    pub jitter_duration_milliseconds: Option<i64>,
    pub jitter_duration_from: Option<ExpressionFrom>,
}

/// One step; a step may carry several actions, run in kwok's order: event, finalizers,
/// delete, patch, apply.
#[derive(Debug, Default)]
pub struct Step {
    pub origin: Origin,
    pub event: Option<Event>,
    pub finalizers: Option<Finalizers>,
    pub delete: bool,
    pub patch: Option<Patch>,
    pub apply: Option<Apply>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub event_type: String,
    pub reason: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finalizers {
    pub add: Vec<String>,
    pub remove: Vec<String>,
    pub empty: bool,
}

/// Template text with the place it was written, for mapping template errors to the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateText {
    pub text: String,
    pub origin: Origin,
    /// The YAML scalar the text came from, when it came from a file; used with
    /// `stage_yaml::Node::locate` and the file's source text to place errors.
    pub node: Option<stage_yaml::Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyKind {
    Apply,
    Merge,
    Strategic,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    pub root: Option<String>,
    pub template: TemplateText,
    /// `None`: strategic merge for Pod and Node, JSON merge patch for other kinds.
    pub patch_type: Option<PatchType>,
    pub subresource: Option<String>,
    pub impersonation: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Apply {
    pub template: TemplateText,
    /// `None`: server-side apply.
    pub apply_type: Option<ApplyKind>,
    pub subresource: Option<String>,
    pub impersonation: Option<String>,
}
