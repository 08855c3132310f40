//! jq selector keys, evaluated the way kwok's gojq wrapper evaluates them.
//!
//! kwok runs gojq over the object's JSON view, in which every number read from the object
//! is a float; it drops `null` outputs, reads a runtime error as "no outputs", and compares
//! outputs with a selector's values as strings, where only strings, booleans and integers
//! can match. This crate compiles queries once, takes an object once per version as an
//! [`Input`], and answers with typed [`Output`]s so that callers can both
//! match and explain. It knows nothing about Stages.
//!
//! ```
//! use stage_jq::{Input, Operator, Outcome, Output, Query};
//!
//! let query = Query::compile(".metadata.generation").unwrap();
//! let input = Input::new(&serde_json::json!({"metadata": {"generation": 1}}));
//! let outcome = query.run(&input);
//! assert_eq!(outcome, Outcome::Values(vec![Output::Float(1.0)]));
//! // A number read from the object is a float, and floats never match.
//! assert!(!Operator::In.matches(&outcome, &["1".to_string()]));
//! ```
//!
//! The function set is jaq's core definitions and natives plus jaq-std's base set, with
//! gojq's text for numbers and JSON (`tostring`, `tojson`, `@json`, `@text`) and gojq's
//! float-valued `floor`, `ceil` and `round` (see `gojq_text`). Functions that read the
//! outside world are left out and do not compile: `now`, `env`, `$ENV`, `input`, and the
//! regular-expression, date and format functions that jaq keeps in optional features.
//!
//! Plain paths and `path | select(path == literal) | path`, which is what Stages use, are
//! evaluated straight on the object's JSON (`shortcut`); everything else runs on jaq, which
//! converts the object once per [`Input`] on first use (`convert`).

mod compile;
mod convert;
mod gojq_text;
mod matching;
mod run;
mod shortcut;

use std::fmt;

pub use gojq_text::format_float;

/// A compiled jq query.
pub struct Query {
    source: String,
    program: Program,
}

/// How a query runs.
enum Program {
    /// Evaluated directly on the JSON, for the common shapes.
    Direct(shortcut::Plan),
    /// Everything else.
    Jq(compile::JqFilter),
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.source).finish()
    }
}

/// The object as jq sees it, shared by every query on it.
///
/// Plain path queries read the JSON directly; the first query that needs jaq converts the
/// object into jaq's values, once, and later queries reuse that.
#[derive(Clone)]
pub struct Input {
    json: std::rc::Rc<serde_json::Value>,
    value: std::cell::OnceCell<jaq_json::Val>,
}

/// One non-null output of a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    String(String),
    Bool(bool),
    /// Produced by jq itself (`length`, integer literals, integer arithmetic).
    Int(i64),
    /// Every number read from the object.
    Float(f64),
    /// Arrays and objects, as JSON.
    Other(serde_json::Value),
}

/// The result of running a query: the outputs, or the runtime error that made kwok see none.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Values(Vec<Output>),
    Failed(String),
}

/// A selector operator as kwok accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// A query that does not compile; `offset` is a char offset into the query text.
#[derive(Clone, Debug, PartialEq)]
pub struct CompileError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}
