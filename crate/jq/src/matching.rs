//! kwok's selector operators over a query's outcome (`Requirement.Matches`).
//!
//! Outputs are compared with the selector's values as text, and only strings, booleans and
//! integers have a text: floats (every number read from the object), arrays and objects
//! never match a value.

use crate::{Operator, Outcome, Output};

impl Output {
    /// The text kwok compares with selector values, or `None` for outputs that never match
    /// (floats, arrays, objects).
    pub fn match_text(&self) -> Option<String> {
        match self {
            Output::String(s) => Some(s.clone()),
            Output::Bool(b) => Some(b.to_string()),
            Output::Int(i) => Some(i.to_string()),
            Output::Float(_) | Output::Other(_) => None,
        }
    }

    fn matches_any(&self, values: &[String]) -> bool {
        match self {
            Output::String(s) => values.iter().any(|v| v == s),
            _ => self.match_text().is_some_and(|text| values.contains(&text)),
        }
    }
}

impl Outcome {
    /// The outputs kwok sees: none when the query failed.
    pub fn outputs(&self) -> &[Output] {
        match self {
            Outcome::Values(outputs) => outputs,
            Outcome::Failed(_) => &[],
        }
    }
}

impl Operator {
    /// Accepts exactly kwok's operator names, case-sensitively.
    pub fn parse(name: &str) -> Option<Operator> {
        match name {
            "In" => Some(Operator::In),
            "NotIn" => Some(Operator::NotIn),
            "Exists" => Some(Operator::Exists),
            "DoesNotExist" => Some(Operator::DoesNotExist),
            _ => None,
        }
    }

    /// kwok's name of the operator.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }

    /// Whether kwok requires `values` (In, NotIn: non-empty) or forbids them (Exists,
    /// DoesNotExist: empty) when it loads the Stage.
    pub fn takes_values(self) -> bool {
        matches!(self, Operator::In | Operator::NotIn)
    }

    /// kwok's `Requirement.Matches` over a query's outcome.
    pub fn matches(self, outcome: &Outcome, values: &[String]) -> bool {
        let outputs = outcome.outputs();
        let any_in = || outputs.iter().any(|output| output.matches_any(values));
        match self {
            Operator::In => any_in(),
            Operator::NotIn => !any_in(),
            Operator::Exists => !outputs.is_empty(),
            Operator::DoesNotExist => outputs.is_empty(),
        }
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
