//! Running a compiled query on an [`Input`], with kwok's reading of the result: `null`
//! outputs are dropped and a runtime error anywhere discards every output.

use jaq_core::{Ctx, Exn, Vars};
use jaq_json::Val;

use crate::compile::{Data, JqFilter};
use crate::convert::output_of;
use crate::gojq_text::to_text;
use crate::{Input, Outcome, Output, Program, Query};

impl Query {
    /// Runs the query on one object version.
    pub fn run(&self, input: &Input) -> Outcome {
        match &self.program {
            Program::Direct(plan) => plan.run(input.json()),
            Program::Jq(filter) => run_on_jaq(filter, input),
        }
    }

    /// The first output, as kwok's `durationFrom`, `weightFrom` and `jitterDurationFrom`
    /// read it: kwok collects every output first, so a query that fails after its first
    /// output still gives `None`, as does a query without outputs.
    pub fn first(&self, input: &Input) -> Option<Output> {
        match self.run(input) {
            Outcome::Values(outputs) => outputs.into_iter().next(),
            Outcome::Failed(_) => None,
        }
    }
}

pub(crate) fn run_on_jaq(filter: &JqFilter, input: &Input) -> Outcome {
    let ctx = Ctx::<Data>::new(&filter.lut, Vars::new([]));
    let mut outputs = Vec::new();
    for result in filter.id.run((ctx, input.value().clone())) {
        match result {
            Ok(value) => outputs.extend(output_of(&value)),
            Err(exn) => return Outcome::Failed(describe(exn)),
        }
    }
    Outcome::Values(outputs)
}

fn describe(exn: Exn<'_, Val>) -> String {
    match exn.get_err() {
        Ok(error) => to_text(&error.into_val()),
        Err(exn) => match exn.get_halt() {
            Ok(code) => format!("halt with exit code {code}"),
            Err(_) => "the query stopped abnormally".to_string(),
        },
    }
}
