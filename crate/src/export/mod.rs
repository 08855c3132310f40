//! Exports of a scenario: a recipe to play it on a real kwok cluster ([`kwokctl`]), kwok's
//! stage testdata for one object at one moment ([`testdata`]), and the timeline as JSON.
//!
//! Each export is a list of named text files; writing them to a folder or printing them is
//! the caller's business, so the page can offer the same exports as the CLI. The scenario is
//! read here into the engine's inputs ([`Prepared`]) the way `stage-sim run --scenario` reads
//! it: the same Stages, objects, settings and actions, so an export describes the run the
//! user saw.

mod kwokctl;
mod testdata;

pub use kwokctl::{CLUSTER_NAME, kwokctl};
pub use testdata::{object_at, testdata};

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::model::Stage;
use crate::scenario::{Scenario, Text};
use crate::sim::{self, SimOptions, TimedAction};
use crate::timeline::{Detail, Timeline};

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// A plain file name, without folders.
    pub name: String,
    pub text: String,
}

/// Why an export could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError {
    /// What the problem concerns: a file and place, `--object`, `actions[2]`, ...
    pub place: String,
    pub message: String,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

impl std::error::Error for ExportError {}

fn error(place: impl Into<String>, message: impl Into<String>) -> ExportError {
    ExportError {
        place: place.into(),
        message: message.into(),
    }
}

/// A scenario read into what the engine runs, keeping the texts it came from.
pub struct Prepared {
    pub scenario: Scenario,
    /// The Stage sources' texts, in order.
    pub stage_texts: Vec<Text>,
    pub stages: Vec<Stage>,
    /// The object sources' texts, in order.
    pub object_texts: Vec<Text>,
    pub objects: Vec<Value>,
    pub actions: Vec<TimedAction>,
    pub options: SimOptions,
}

impl Prepared {
    /// Reads `scenario`; path sources are relative to `base`. Load errors are rendered with
    /// their file:line:column, all of them at once.
    pub fn new(scenario: &Scenario, base: &Path) -> Result<Prepared, ExportError> {
        let scenario_error = |e: crate::scenario::ScenarioError| error(e.place, e.message);

        // Stages and objects, every problem reported together.
        let stage_texts =
            Scenario::read_sources(&scenario.stages, base, "stages").map_err(scenario_error)?;
        let object_texts =
            Scenario::read_sources(&scenario.objects, base, "objects").map_err(scenario_error)?;
        let mut problems = String::new();
        let mut stages = Vec::new();
        for Text { label, text } in &stage_texts {
            let result = crate::load::load_stages(text, label);
            if result.has_errors() {
                problems.push_str(&result.render_diagnostics());
            }
            stages.extend(result.stages);
        }
        let mut objects = Vec::new();
        for Text { label, text } in &object_texts {
            let (loaded, diagnostics) = crate::load::load_objects(text, label);
            for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
                problems.push_str(&diagnostic.render(Some(text)));
            }
            objects.extend(loaded.into_iter().map(|object| object.object));
        }
        if !problems.is_empty() {
            return Err(error("", problems.trim_end()));
        }

        // Settings and actions.
        let start = scenario.start_ns().map_err(scenario_error)?;
        let horizon = match &scenario.horizon {
            Some(text) => Some(
                crate::duration::parse_go_duration(text)
                    .map_err(|e| error("horizon", e.to_string()))?,
            ),
            None => None,
        };
        let actions = scenario
            .actions
            .iter()
            .enumerate()
            .map(|(index, action)| {
                action
                    .to_timed(start, index)
                    .map_err(|e| error(e.place, e.message))
            })
            .collect::<Result<Vec<_>, _>>()?;

        Ok(Prepared {
            scenario: scenario.clone(),
            stage_texts,
            stages,
            object_texts,
            objects,
            actions,
            options: SimOptions {
                config: scenario.config.clone().unwrap_or_default(),
                start,
                seed: scenario.seed,
                horizon,
                max_plays: scenario.max_plays,
                detail: scenario.detail,
                ..SimOptions::default()
            },
        })
    }

    /// Runs the scenario, with the detail it asks for or full detail.
    pub fn run(&self, full_detail: bool) -> Result<Timeline, ExportError> {
        let mut options = self.options.clone();
        if full_detail {
            options.detail = Detail::Full;
        }
        sim::run(
            &self.stages,
            self.objects.clone(),
            self.actions.clone(),
            options,
        )
        .map_err(|e| error("run", e.message))
    }
}

/// The timeline of the scenario's run as JSON, `timeline.json`.
pub fn timeline_json(prepared: &Prepared) -> Result<Vec<ExportFile>, ExportError> {
    let timeline = prepared.run(false)?;
    let text =
        serde_json::to_string_pretty(&timeline).map_err(|e| error("timeline", e.to_string()))?;
    Ok(vec![ExportFile {
        name: "timeline.json".into(),
        text: text + "\n",
    }])
}

/// The scenario with every source inline, as JSON: the file `stage-sim run --scenario` reads
/// and a share link carries, `scenario.json`.
pub fn scenario_json(prepared: &Prepared) -> Result<Vec<ExportFile>, ExportError> {
    let mut scenario = prepared.scenario.clone();
    let inline = |texts: &[Text]| {
        texts
            .iter()
            .map(|text| crate::scenario::Source::Inline {
                name: Some(text.label.clone()),
                text: text.text.clone(),
            })
            .collect()
    };
    scenario.stages = inline(&prepared.stage_texts);
    scenario.objects = inline(&prepared.object_texts);
    let text =
        serde_json::to_string_pretty(&scenario).map_err(|e| error("scenario", e.to_string()))?;
    Ok(vec![ExportFile {
        name: "scenario.json".into(),
        text: text + "\n",
    }])
}

#[cfg(test)]
mod tests;
