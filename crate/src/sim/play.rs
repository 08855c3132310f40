//! Playing a job (spec 7): the Stage's steps, one at a time, on the snapshot the job was
//! built from, each request sent to the store; then the play's record. When the snapshot
//! is still the stored version, the play's last request hands the play's handle on it to
//! the store, which can then write a status into that version instead of into a copy.

use std::rc::Rc;

use serde_json::Value;
use stage_kube::{ObjectKey, PatchType, Patched, patch};

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
        let snapshot = match job.snapshot {
            Snapshot::Live(value) => value,
            Snapshot::Packed(packed) => self.store.unpack(&job.key, &packed),
        };
        let before = full.then(|| (*snapshot).clone());
        let revision = self.store.revision(&job.key);
        let mut view = Some(ObjectView::new(Rc::clone(&snapshot)));
        // `None` once the play's last request has it (see `Base::Given`).
        let mut snapshot = Some(snapshot);
        self.eval.set_now(self.clock);

        // The steps, one at a time, each executed before the next is listed.
        let mut records: Vec<ActionRecord> = Vec::new();
        let mut error: Option<String> = None;
        let mut last_write: Option<Rc<Value>> = None;
        'steps: for index in 0..stage.steps.len() {
            let Some(listing) = &view else { break };
            let (actions, failure) = self.eval.step(controller, stage, index, listing);
            // Nothing reads the view once the last step's actions are listed.
            let last_step = index + 1 == stage.steps.len() || failure.is_some();
            if last_step {
                view = None;
            }
            let count = actions.len();
            for (n, action) in actions.into_iter().enumerate() {
                let last = last_step && n + 1 == count;
                let given = snapshot.take_if(|held| {
                    last && matches!(action, steps::Action::Patch(_))
                        && self.store.holds(&job.key, held)
                });
                let base = match (given, &snapshot) {
                    (Some(given), _) => Base::Given(given),
                    (None, Some(kept)) => Base::Kept(kept),
                    // Only the last request takes the snapshot.
                    (None, None) => break 'steps,
                };
                if let Err(message) =
                    self.execute(&job.key, base, index, action, &mut records, &mut last_write)
                {
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
        let changed = match &snapshot {
            // Still the stored version: nothing was written.
            Some(snapshot) if self.store.holds(&job.key, snapshot) => false,
            Some(snapshot) => self.store.get(&job.key) != Some(&**snapshot),
            // The last request had the stored version, and nothing was written before it:
            // the object changed if that request wrote it.
            None => self.store.revision(&job.key) != revision,
        };
        let after = self.store.get(&job.key);
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
            before,
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
        key: &ObjectKey,
        base: Base<'_>,
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
            steps::Action::Patch(mut patch) => {
                let controller = ControllerKind::of(&key.api_version, &key.kind);
                let subresource = patch.subresource.as_deref();
                // A summary keeps no request, so a status patch on the stored version is
                // merged into the status by value: nothing reads the patch afterwards.
                let by_value = !full
                    && subresource == Some("status")
                    && patch::names_only_status(patch.patch_type, &patch.data)
                    && self.store.holds(key, base.handle());
                let sent = if by_value {
                    let data = std::mem::take(&mut patch.data);
                    let status = patch::apply_to_status_owned(base.value(), data, patch.patch_type);
                    let needed = status
                        .as_ref()
                        .map_or(true, |status| status.as_ref() != base.value().get("status"));
                    needed.then(|| {
                        self.store
                            .write_prepared_status(key, base.into_handle(), status)
                    })
                } else {
                    let check =
                        check_patch(base.value(), &patch.data, patch.patch_type, controller);
                    check.needed.then(|| {
                        let prepared = check.patched.map(|patched| stage_kube::Prepared {
                            base: base.into_handle(),
                            patched,
                        });
                        self.store.patch_prepared(
                            key,
                            patch.patch_type,
                            &patch.data,
                            subresource,
                            self.clock,
                            prepared,
                        )
                    })
                };
                let applied = sent.is_some();
                let mut failure = None;
                match sent {
                    Some(Ok(result)) => *last_write = Some(result),
                    None | Some(Err(stage_kube::ApiError::NotFound(_))) => {}
                    Some(Err(api)) => {
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

/// The version a request is checked against and sent with, as the play holds it.
enum Base<'a> {
    /// The play keeps the snapshot for what comes after.
    Kept(&'a Rc<Value>),
    /// The play's last request, on the stored version: the play gives its handle up with
    /// it, so that the store can write a status into that version instead of a copy.
    Given(Rc<Value>),
}

impl Base<'_> {
    fn value(&self) -> &Value {
        match self {
            Base::Kept(kept) => kept,
            Base::Given(given) => given,
        }
    }

    fn handle(&self) -> &Rc<Value> {
        match self {
            Base::Kept(kept) => kept,
            Base::Given(given) => given,
        }
    }

    fn into_handle(self) -> Rc<Value> {
        match self {
            Base::Kept(kept) => Rc::clone(kept),
            Base::Given(given) => given,
        }
    }
}

/// What kwok's `checkNeedPatch` found for one patch.
struct PatchCheck {
    /// Applying the patch would change the snapshot, or the patch does not apply.
    needed: bool,
    /// The snapshot with the patch applied, when it applies.
    patched: Option<Patched>,
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
    // A patch of the status alone changes nothing else, so only the status is patched and
    // compared.
    if patch::names_only_status(patch_type, data) {
        return match patch::apply_to_status(snapshot, data, patch_type) {
            Ok(status) => PatchCheck {
                needed: status.as_ref() != snapshot.get("status"),
                patched: Some(Patched::Status(status)),
            },
            Err(_) => PatchCheck {
                needed: true,
                patched: None,
            },
        };
    }
    let Ok(patched) = patch::apply_to_stored(snapshot, data, patch_type) else {
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
        patched: Some(Patched::Object(patched)),
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    a.get("apiVersion") == b.get("apiVersion") && a.get("kind") == b.get("kind")
}
