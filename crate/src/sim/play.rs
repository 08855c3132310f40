//! Playing a job (spec 7): the Stage's steps, one at a time, on the snapshot the job was
//! built from, each request sent to the store; then the play's record.

use std::rc::Rc;

use serde_json::Value;
use stage_kube::{ObjectKey, PatchType};

use super::queue::{Job, Snapshot};
use super::{ControllerKind, Sim, SimError, key_text};
use crate::select::ObjectView;
use crate::steps::{self, PatchSource};
use crate::timeline::{ActionRecord, Entry, PatchRecord, Play, Time};

impl Sim<'_> {
    pub(super) fn play(&mut self, job: Job) -> Result<(), SimError> {
        let stages = self.stages;
        let stage = &stages[job.stage];
        let controller = ControllerKind::of(&job.key.api_version, &job.key.kind);
        let full = self.full_for(&job.key);
        let snapshot = match &job.snapshot {
            Snapshot::Live(value) => Rc::clone(value),
            Snapshot::Packed(packed) => self.store.unpack(&job.key, packed),
        };
        let view = ObjectView::new(snapshot.clone());
        self.eval.set_now(self.clock);

        // The steps, one at a time, each executed before the next is listed.
        let mut records: Vec<ActionRecord> = Vec::new();
        let mut error: Option<String> = None;
        let mut last_write: Option<Rc<Value>> = None;
        'steps: for index in 0..stage.steps.len() {
            let (actions, failure) = self.eval.step(controller, stage, index, &view);
            for action in actions {
                if let Err(message) = self.execute(
                    (&job.key, &snapshot),
                    index,
                    action,
                    &mut records,
                    &mut last_write,
                ) {
                    error = Some(message);
                    break 'steps;
                }
            }
            if let Some(failure) = failure {
                if let steps::StepErrorKind::Render(render) = &failure.kind {
                    records.push(ActionRecord::RenderError {
                        step: index,
                        message: render.message.clone(),
                    });
                }
                error = Some(failure.to_string());
                break;
            }
        }

        // The record.
        self.plays += 1;
        let after = self.store.get(&job.key);
        let changed = after != Some(&*snapshot);
        let deleted = after.is_none();
        let phase = after
            .and_then(|object| stage_kube::field(object, "/status/phase"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let after = if full {
            Some(after.cloned().unwrap_or(Value::Null))
        } else {
            None
        };
        let push = stage.immediate_next_stage && error.is_none() && last_write.is_some();
        let play = Play {
            index: self.plays - 1,
            key: key_text(&job.key),
            matched_at: Time(job.matched_at),
            played_at: Time(self.clock),
            resource_version: job.resource_version.clone(),
            candidates: job.candidates,
            stage: stage.name.clone(),
            weight: job.weight,
            delay: job.delay,
            not_matched: job.not_matched,
            // A summary keeps outcomes and events, not the requests.
            actions: if full {
                records
            } else {
                records.retain(|record| matches!(record, ActionRecord::Event { .. }));
                // A large run keeps many plays: no room for the records left out.
                records.shrink_to_fit();
                records
            },
            error,
            immediate_next_stage: stage.immediate_next_stage,
            immediate_push: push,
            changed,
            deleted,
            phase,
            touched: Vec::new(),
            before: full.then(|| (*snapshot).clone()),
            after,
        };
        self.timeline.entries.push(Entry::Play(Box::new(play)));

        // immediateNextStage: the last sent patch's response, before the drain.
        if let Some(result) = last_write.filter(|_| push) {
            self.preprocess(&job.key, result, true);
        }
        Ok(())
    }

    /// Sends one action of a step on the job's object and snapshot to the store; `Err` is
    /// kwok's error text.
    fn execute(
        &mut self,
        (key, snapshot): (&ObjectKey, &Value),
        step: usize,
        action: steps::Action,
        records: &mut Vec<ActionRecord>,
        last_write: &mut Option<Rc<Value>>,
    ) -> Result<(), String> {
        let full = self.full_for(key);
        match action {
            steps::Action::Event {
                event_type,
                reason,
                message,
            } => {
                let dropped = event_type != "Normal" && event_type != "Warning";
                records.push(ActionRecord::Event {
                    step,
                    event_type,
                    reason,
                    message,
                    dropped,
                });
            }
            steps::Action::Delete => {
                *last_write = None;
                let outcome = match self.store.delete(key, Some(0), self.clock) {
                    Ok(stage_kube::DeleteOutcome::Removed) => "removed",
                    Ok(stage_kube::DeleteOutcome::Terminating(_)) => "terminating",
                    // kwok logs a warning and goes on.
                    Err(stage_kube::ApiError::NotFound(_)) => "not found",
                    Err(api) => {
                        return Err(format!("failed to delete resource for step {step}: {api}"));
                    }
                };
                records.push(ActionRecord::Delete {
                    step,
                    outcome: outcome.to_string(),
                });
            }
            steps::Action::Patch(patch) => {
                let controller = ControllerKind::of(&key.api_version, &key.kind);
                let check = check_patch(snapshot, &patch.data, patch.patch_type, controller);
                let applied = check.needed;
                let mut failure = None;
                if applied {
                    let subresource = patch.subresource.as_deref();
                    let prepared = check.patched.map(|patched| stage_kube::Prepared {
                        base: snapshot,
                        patched,
                    });
                    match self.store.patch_prepared(
                        key,
                        patch.patch_type,
                        &patch.data,
                        subresource,
                        self.clock,
                        prepared,
                    ) {
                        Ok(result) => *last_write = Some(result),
                        Err(stage_kube::ApiError::NotFound(_)) => {}
                        Err(api) => {
                            failure = Some(match patch.source {
                                PatchSource::Finalizers => {
                                    format!("failed to patch finalizers for step {step}: {api}")
                                }
                                // kwok writes no step number here.
                                PatchSource::Template => {
                                    format!("failed to patch resource for step {api}")
                                }
                            });
                        }
                    }
                }
                let rendered = match (&patch.rendered, full) {
                    (Some(text), true) => stage_yaml::parse_value(text).ok(),
                    _ => None,
                };
                records.push(ActionRecord::Patch(PatchRecord {
                    step,
                    source: match patch.source {
                        PatchSource::Finalizers => "finalizers".to_string(),
                        PatchSource::Template => "patch".to_string(),
                    },
                    patch_type: patch.patch_type.mime().to_string(),
                    subresource: patch.subresource.unwrap_or_default(),
                    impersonation: patch.impersonation,
                    rendered_text: if full { patch.rendered } else { None },
                    rendered,
                    data: full.then_some(patch.data),
                    applied,
                }));
                if let Some(message) = failure {
                    return Err(message);
                }
            }
            steps::Action::Apply(apply) => {
                records.push(ActionRecord::Apply {
                    step,
                    data: full.then_some(apply.data),
                    note: steps::APPLY_NOT_SUPPORTED.to_string(),
                });
            }
            steps::Action::Immediate => {}
        }
        Ok(())
    }
}

/// What kwok's `checkNeedPatch` found for one patch.
struct PatchCheck {
    /// Applying the patch would change the snapshot, or the patch does not apply.
    needed: bool,
    /// The snapshot with the patch applied, when it applies.
    patched: Option<Value>,
}

/// Whether applying `data` to the snapshot would change it (kwok's `checkNeedPatch`).
/// Typed kinds are compared in their stored encoding, so that a timestamp that differs
/// only below a second does not count as a change. A patch that does not apply counts as
/// a change: the API server then answers with the error.
fn check_patch(
    snapshot: &Value,
    data: &Value,
    patch_type: PatchType,
    controller: ControllerKind,
) -> PatchCheck {
    let Ok(patched) = stage_kube::patch::apply_to_stored(snapshot, data, patch_type) else {
        return PatchCheck {
            needed: true,
            patched: None,
        };
    };
    // Snapshots come from the store, so a typed one is already in its stored encoding,
    // and `patch::apply` returns a typed kind in that encoding too; only a patch that
    // changes apiVersion or kind needs encoding again before the comparison.
    let needed = if patched == *snapshot {
        false
    } else if controller == ControllerKind::Generic || same_type(snapshot, &patched) {
        true
    } else {
        stage_kube::typed::normalize(&patched) != *snapshot
    };
    PatchCheck {
        needed,
        patched: Some(patched),
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    a.get("apiVersion") == b.get("apiVersion") && a.get("kind") == b.get("kind")
}
