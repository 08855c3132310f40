//! The scenario file: everything one run needs, in one JSON or YAML document.
//!
//! A scenario names Stages and objects (file paths, relative to the scenario, or inline
//! YAML), the controller config, the seed, the virtual start time, the bounds of the run
//! and the user's actions at virtual times. `stage-sim run --scenario FILE` reads it and
//! the page shares the same document. This module parses and resolves it; loading the
//! Stages and objects is the loader's work and running them is [`crate::sim`]'s.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::ControllerConfig;
use crate::timeline::Detail;

/// The default virtual start time. Never the wall clock: a scenario must replay the same.
pub const DEFAULT_START: &str = "2024-01-01T00:00:00Z";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Stage sources, loaded in order.
    #[serde(default)]
    pub stages: Vec<Source>,
    /// Object sources, created in order at the start time.
    #[serde(default)]
    pub objects: Vec<Source>,
    #[serde(default)]
    pub config: Option<ControllerConfig>,
    #[serde(default)]
    pub seed: u64,
    /// RFC 3339; [`DEFAULT_START`] when absent.
    #[serde(default)]
    pub start: Option<String>,
    /// How far the virtual clock may run past the start, as a Go duration (`10m`).
    #[serde(default)]
    pub horizon: Option<String>,
    /// The most Stage plays in the whole run.
    #[serde(default)]
    pub max_plays: Option<usize>,
    #[serde(default)]
    pub detail: Detail,
    #[serde(default)]
    pub actions: Vec<UserAction>,
}

/// A file path (relative to the scenario file) or inline YAML text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    Path(String),
    Inline {
        /// A label for messages (`stages[0]` when absent).
        #[serde(default)]
        name: Option<String>,
        text: String,
    },
    File {
        path: String,
    },
}

/// Something the user does at a virtual time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserAction {
    /// A Go duration after the start (`30s`) or an RFC 3339 time.
    pub at: String,
    #[serde(flatten)]
    pub what: UserActionKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserActionKind {
    /// Create an object (its YAML text or its JSON value).
    Create(ObjectText),
    /// `kubectl delete`, with an optional grace period in seconds.
    Delete {
        #[serde(flatten)]
        target: Target,
        #[serde(default, rename = "gracePeriodSeconds")]
        grace_period_seconds: Option<i64>,
    },
    /// Edit labels, annotations or any field with a JSON merge patch.
    Edit {
        #[serde(flatten)]
        target: Target,
        patch: serde_json::Value,
    },
    /// Replace the whole object (`kubectl replace`).
    Replace(ObjectText),
}

/// An object as YAML text or as a JSON value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ObjectText {
    Text(String),
    Value(serde_json::Value),
}

/// Which object an action is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    #[serde(default = "default_api_version")]
    pub api_version: String,
    pub kind: String,
    #[serde(default)]
    pub namespace: String,
    pub name: String,
}

fn default_api_version() -> String {
    "v1".to_string()
}

/// A source after reading: a label for messages and the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub label: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file and place, e.g. `scenario.yaml:3:5`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses a scenario from JSON or YAML text; `file` names it in messages.
    pub fn parse(source: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let documents = stage_yaml::parse_stream(source).map_err(|error| ScenarioError {
            place: format!("{file}:{}:{}", error.mark.line, error.mark.column),
            message: error.message.clone(),
        })?;
        let Some(document) = documents.first() else {
            return Err(ScenarioError {
                place: file.to_string(),
                message: "the scenario is empty".to_string(),
            });
        };
        let value = document.root.to_json();
        serde_json::from_value(value).map_err(|error| ScenarioError {
            place: format!(
                "{file}:{}:{}",
                document.root.mark.line, document.root.mark.column
            ),
            message: format!("bad scenario: {error}"),
        })
    }

    /// Reads every path-named source, relative to `base`.
    pub fn read_sources(
        sources: &[Source],
        base: &Path,
        what: &str,
    ) -> Result<Vec<Text>, ScenarioError> {
        let mut texts = Vec::with_capacity(sources.len());
        for (index, source) in sources.iter().enumerate() {
            let text = match source {
                Source::Path(path) | Source::File { path } => {
                    let full: PathBuf = base.join(path);
                    let text = std::fs::read_to_string(&full).map_err(|error| ScenarioError {
                        place: full.display().to_string(),
                        message: format!("cannot read {what}[{index}]: {error}"),
                    })?;
                    Text {
                        label: full.display().to_string(),
                        text,
                    }
                }
                Source::Inline { name, text } => Text {
                    label: name.clone().unwrap_or_else(|| format!("{what}[{index}]")),
                    text: text.clone(),
                },
            };
            texts.push(text);
        }
        Ok(texts)
    }

    /// The start time in nanoseconds.
    pub fn start_ns(&self) -> Result<i64, ScenarioError> {
        let text = self.start.as_deref().unwrap_or(DEFAULT_START);
        stage_kube::time::parse_rfc3339(text).ok_or_else(|| ScenarioError {
            place: "start".to_string(),
            message: format!("not an RFC 3339 time: {text:?}"),
        })
    }
}

impl UserAction {
    /// The virtual time of the action: `at` as a duration after `start`, or as a time.
    pub fn time(&self, start: i64) -> Result<i64, ScenarioError> {
        resolve_at(&self.at, start).ok_or_else(|| ScenarioError {
            place: "actions".to_string(),
            message: format!(
                "`at: {}` is neither a Go duration nor an RFC 3339 time",
                self.at
            ),
        })
    }
}

/// A Go duration after `start`, or an RFC 3339 time.
pub fn resolve_at(at: &str, start: i64) -> Option<i64> {
    if let Ok(offset) = crate::duration::parse_go_duration(at) {
        return start.checked_add(offset);
    }
    stage_kube::time::parse_rfc3339(at)
}
