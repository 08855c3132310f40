//! Playing a job (spec 7): the Stage's steps, one at a time, on the snapshot the job was
//! built from, each request sent to the store; then the play's record. When the snapshot
//! is still the stored version, the play's last request hands the play's handle on it to
//! the store, which can then write a status into that version instead of into a copy.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::Value;
use stage_kube::{ApiError, ObjectKey, PatchType, Patched, patch};

use super::queue::{Job, Snapshot};
use super::{ControllerKind, Sim, SimError, key_text};
use crate::model::Stage;
use crate::select::ObjectView;
use crate::steps::{self, PatchSource};
use crate::timeline::{ActionRecord, Entry, PatchRecord, Play, Time};

impl Sim<'_> {
    pub(super) fn play(&mut self, job: Job) -> Result<(), SimError> {
        let stages = self.stages;
        let stage = &stages[job.stage];
        let full = self.full_for(&job.key);
        let snapshot = match job.snapshot {
            Snapshot::Live(value) => value,
            Snapshot::Packed(packed) => self.store.unpack(&job.key, &packed),
        };
        let before = full.then(|| (*snapshot).clone());
        let revision = self.store.revision(&job.key);
        self.eval.set_now(self.clock);

        let mut sent = Sent::default();
        let (kept, error) = self.play_steps(&job.key, stage, snapshot, &mut sent);

        // The record.
        self.plays += 1;
        let changed = match &kept {
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
        let Sent {
            mut records,
            last_write,
        } = sent;
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

    /// The Stage's steps on `snapshot`, one at a time: each step's actions are listed and
    /// sent before the next step is listed. Returns the snapshot, unless the play's last
    /// request took it (see [`Base::Given`]), and kwok's error text when a step or a request
    /// failed, which ends the play.
    fn play_steps(
        &mut self,
        key: &ObjectKey,
        stage: &Stage,
        snapshot: Rc<Value>,
        sent: &mut Sent,
    ) -> (Option<Rc<Value>>, Option<String>) {
        let controller = ControllerKind::of(&key.api_version, &key.kind);
        let view = ObjectView::new(Rc::clone(&snapshot));
        for index in 0..stage.steps.len() {
            let (mut actions, failure) = self.eval.step(controller, stage, index, &view);
            if index + 1 < stage.steps.len() && failure.is_none() {
                if let Err(message) = self.send_kept(key, &snapshot, index, actions, sent) {
                    return (Some(snapshot), Some(message));
                }
                continue;
            }

            // The play's last step. Nothing reads the view once its actions are listed, so
            // the view's handle on the snapshot goes before any of them is sent.
            drop(view);
            let last = actions.pop();
            if let Err(message) = self.send_kept(key, &snapshot, index, actions, sent) {
                return (Some(snapshot), Some(message));
            }
            let (kept, result) = match last {
                Some(action) => self.send_last(key, snapshot, index, action, sent),
                None => (Some(snapshot), Ok(())),
            };
            let error = match (result, failure) {
                (Err(message), _) => Some(message),
                (Ok(()), Some(failure)) => {
                    if let steps::StepErrorKind::Render(render) = &failure.kind {
                        sent.records.push(ActionRecord::RenderError {
                            step: index,
                            message: render.message.clone(),
                        });
                    }
                    Some(failure.to_string())
                }
                (Ok(()), None) => None,
            };
            return (kept, error);
        }
        (Some(snapshot), None)
    }

    /// Sends a step's `actions`, in order, on the snapshot the play keeps; stops at the
    /// first that fails.
    fn send_kept(
        &mut self,
        key: &ObjectKey,
        snapshot: &Rc<Value>,
        step: usize,
        actions: Vec<steps::Action>,
        sent: &mut Sent,
    ) -> Result<(), String> {
        for action in actions {
            self.execute(key, Base::Kept(snapshot), step, action, sent)?;
        }
        Ok(())
    }

    /// Sends the play's last request. A patch on the stored version takes the snapshot
    /// with it; any other request leaves it with the play, which gets it back.
    fn send_last(
        &mut self,
        key: &ObjectKey,
        snapshot: Rc<Value>,
        step: usize,
        action: steps::Action,
        sent: &mut Sent,
    ) -> (Option<Rc<Value>>, Result<(), String>) {
        if matches!(action, steps::Action::Patch(_)) && self.store.holds(key, &snapshot) {
            return (
                None,
                self.execute(key, Base::Given(snapshot), step, action, sent),
            );
        }
        let result = self.execute(key, Base::Kept(&snapshot), step, action, sent);
        (Some(snapshot), result)
    }

    /// Sends one action of a step on the job's object and snapshot to the store; `Err` is
    /// kwok's error text.
    fn execute(
        &mut self,
        key: &ObjectKey,
        base: Base<'_>,
        step: usize,
        action: steps::Action,
        sent: &mut Sent,
    ) -> Result<(), String> {
        let full = self.full_for(key);
        match action {
            steps::Action::Event {
                event_type,
                reason,
                message,
            } => {
                let dropped = event_type != "Normal" && event_type != "Warning";
                sent.records.push(ActionRecord::Event {
                    step,
                    event_type,
                    reason,
                    message,
                    dropped,
                });
            }
            steps::Action::Delete => {
                sent.last_write = None;
                let outcome = match self.store.delete(key, Some(0), self.clock) {
                    Ok(stage_kube::DeleteOutcome::Removed) => "removed",
                    Ok(stage_kube::DeleteOutcome::Terminating(_)) => "terminating",
                    // kwok logs a warning and goes on.
                    Err(stage_kube::ApiError::NotFound(_)) => "not found",
                    Err(api) => {
                        return Err(format!("failed to delete resource for step {step}: {api}"));
                    }
                };
                sent.records.push(ActionRecord::Delete {
                    step,
                    outcome: outcome.to_string(),
                });
            }
            steps::Action::Patch(mut patch) => {
                let controller = ControllerKind::of(&key.api_version, &key.kind);
                let subresource = patch.subresource.as_deref();
                // A summary keeps no request, so a status patch on the stored version is
                // merged into the status by value: nothing reads the patch afterwards, and
                // the store takes the merged status without it.
                let by_value = !full
                    && subresource == Some("status")
                    && patch::names_only_status(patch.patch_type, &patch.data)
                    && self.store.holds(key, base.handle());
                let answer = if by_value {
                    let data = Cow::Owned(std::mem::take(&mut patch.data));
                    let check = check_status(base.value(), data, patch.patch_type);
                    check.needed.then(|| match check.patched {
                        Ok(status) => {
                            self.store
                                .write_prepared_status(key, base.into_handle(), status)
                        }
                        // What the store answers a patch that does not merge.
                        Err(error) => Err(ApiError::Patch(error.message)),
                    })
                } else {
                    let check =
                        check_patch(base.value(), &patch.data, patch.patch_type, controller);
                    check.needed.then(|| {
                        let prepared = check.patched.ok().map(|patched| stage_kube::Prepared {
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
                let applied = answer.is_some();
                let mut failure = None;
                match answer {
                    Some(Ok(result)) => sent.last_write = Some(result),
                    None | Some(Err(ApiError::NotFound(_))) => {}
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
                sent.records.push(ActionRecord::Patch(PatchRecord {
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
                sent.records.push(ActionRecord::Apply {
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

/// What a play's requests have left so far.
#[derive(Default)]
struct Sent {
    /// The records of the actions sent, in order.
    records: Vec<ActionRecord>,
    /// The store's answer to the last patch written, unless a delete was sent after it.
    last_write: Option<Rc<Value>>,
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
struct PatchCheck<T> {
    /// Applying the patch would change the snapshot, or the patch does not apply.
    needed: bool,
    /// The snapshot with the patch applied, or why the patch does not apply.
    patched: Result<T, patch::PatchError>,
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
) -> PatchCheck<Patched> {
    if patch::names_only_status(patch_type, data) {
        let check = check_status(snapshot, Cow::Borrowed(data), patch_type);
        return PatchCheck {
            needed: check.needed,
            patched: check.patched.map(Patched::Status),
        };
    }
    let patched = match patch::apply_to_stored(snapshot, data, patch_type) {
        Ok(patched) => patched,
        Err(error) => {
            return PatchCheck {
                needed: true,
                patched: Err(error),
            };
        }
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
        patched: Ok(Patched::Object(patched)),
    }
}

/// [`check_patch`] of a patch that [names only the status](patch::names_only_status): it
/// changes nothing else, so only the status is merged and compared. A patch the caller
/// gives up is merged by value.
fn check_status(
    snapshot: &Value,
    data: Cow<'_, Value>,
    patch_type: PatchType,
) -> PatchCheck<Option<Value>> {
    let status = match data {
        Cow::Borrowed(data) => patch::apply_to_status(snapshot, data, patch_type),
        Cow::Owned(data) => patch::apply_to_status_owned(snapshot, data, patch_type),
    };
    PatchCheck {
        needed: status
            .as_ref()
            .map_or(true, |status| status.as_ref() != snapshot.get("status")),
        patched: status,
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    a.get("apiVersion") == b.get("apiVersion") && a.get("kind") == b.get("kind")
}
