//! jq selector keys, evaluated the way kwok's gojq wrapper evaluates them.
//!
//! kwok runs gojq over the object's JSON view, in which every number read from the object
//! is a float; it drops `null` outputs, reads a runtime error as "no outputs", and compares
//! outputs with a selector's values as strings, where only strings, booleans and integers
//! can match. This crate compiles queries once (on jaq), converts an object once per
//! version into an [`Input`], and answers with typed [`Output`]s so that callers can both
//! match and explain. It knows nothing about Stages.

use std::fmt;

/// A compiled jq query.
pub struct Query {
    source: String,
}

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.source).finish()
    }
}

/// The object as jq sees it, converted once and shared by every query on it.
pub struct Input {
    _private: (),
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

impl Query {
    pub fn compile(source: &str) -> Result<Query, CompileError> {
        let _ = source;
        todo!()
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn run(&self, input: &Input) -> Outcome {
        let _ = input;
        todo!()
    }
}

impl Input {
    pub fn new(object: &serde_json::Value) -> Input {
        let _ = object;
        todo!()
    }
}

impl Output {
    /// The text kwok compares with selector values, or `None` for outputs that never match
    /// (floats, arrays, objects).
    pub fn match_text(&self) -> Option<String> {
        todo!()
    }
}

impl Operator {
    pub fn parse(name: &str) -> Option<Operator> {
        let _ = name;
        todo!()
    }

    /// kwok's `Requirement.Matches` over a query's outcome.
    pub fn matches(self, outcome: &Outcome, values: &[String]) -> bool {
        let _ = (outcome, values);
        todo!()
    }
}
