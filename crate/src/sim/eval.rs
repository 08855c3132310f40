//! The loop's side of evaluating one object version: match every Stage of the kind, pick
//! one with the run's randomness, compute its delay; and, when the job runs, turn each
//! step into requests.
//!
//! The rules themselves live in `select`, `weight`, `delay` and `steps`; this file only
//! strings them together the way kwok's `preprocess` and `playStage` do and turns their
//! answers into timeline records.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;
use stage_gotpl::Env;
use stage_kube::PatchType;
use stage_kube::field;

use super::ControllerKind;
use crate::chance::{Seeded, Source};
use crate::config::ControllerConfig;
use crate::delay::{DelayPlan, delay_plan};
use crate::finalizers::{finalizer_ops, object_finalizers};
use crate::funcs::{FuncContext, FunctionSet, NodeInfo, NodeLookup, build_funcs};
use crate::ippool::IpPools;
use crate::model::{Stage, TemplateText};
use crate::render::RenderContext;
use crate::select::{KeyOutcomes, MatchOutcome, ObjectView, match_stage, stage_matches_sharing};
use crate::steps::{Action, PatchAction, PatchSource, StepError, step_actions};
use crate::timeline::{Candidate, DelayKind, DelayRecord, Nanos, NotMatched};
use crate::weight::{Weight, choose};

/// What pre-processing one version decided.
pub(crate) enum Decision {
    /// Schedule this Stage (an index into the Stages given to [`decide`]).
    Play(Planned),
    /// Nothing to schedule; why each Stage did not match (full detail only).
    NoMatch { not_matched: Vec<NotMatched> },
}

pub(crate) struct Planned {
    pub stage: usize,
    pub candidates: Vec<Candidate>,
    /// The pick's weight when there were several candidates.
    pub weight: Option<i64>,
    pub delay: DelayRecord,
    pub not_matched: Vec<NotMatched>,
}

/// Matches, picks and computes the delay for one version (kwok's `preprocess`, after the
/// resourceVersion check).
pub(crate) fn decide(
    stages: &[&Stage],
    view: &ObjectView,
    now: Nanos,
    source: &mut Source,
    fallback: &mut Seeded,
    full: bool,
) -> Decision {
    // Match every Stage of the kind, in order. Only full detail records why a Stage did
    // not match, so a summary takes the match that builds no explanation.
    let mut matched: Vec<usize> = Vec::new();
    let mut not_matched: Vec<NotMatched> = Vec::new();
    let mut outcomes = KeyOutcomes::default();
    for (index, &stage) in stages.iter().enumerate() {
        if !full {
            if stage_matches_sharing(stage, view, &mut outcomes) == Ok(true) {
                matched.push(index);
            }
            continue;
        }
        let result = match_stage(stage, view);
        if result.matched() {
            matched.push(index);
            continue;
        }
        let reason = match &result.outcome {
            MatchOutcome::NotSupported(message) => serde_json::json!({
                "notSupported": message,
                "clauses": result.clauses,
            }),
            _ => serde_json::to_value(result.failed_clause()).unwrap_or(Value::Null),
        };
        not_matched.push(NotMatched {
            stage: stage.name.clone(),
            reason,
        });
    }
    if matched.is_empty() {
        return Decision::NoMatch { not_matched };
    }

    // Weights and the candidate set.
    let matched_stages: Vec<&Stage> = matched.iter().map(|&i| stages[i]).collect();
    let choice = match choose(&matched_stages, view) {
        Ok(Some(choice)) => choice,
        Ok(None) => return Decision::NoMatch { not_matched },
        Err(error) => {
            // kwok logs the error and schedules nothing for this version.
            not_matched.push(NotMatched {
                stage: String::new(),
                reason: Value::String(error.to_string()),
            });
            return Decision::NoMatch { not_matched };
        }
    };
    let weight_of = |position: usize| match choice.weights.get(position) {
        Some(Some(Weight::Valid(w))) => Some(*w),
        _ => None,
    };
    let candidate_positions = choice.candidates();
    let candidates: Vec<Candidate> = candidate_positions
        .iter()
        .map(|&position| Candidate {
            stage: matched_stages[position].name.clone(),
            weight: weight_of(position),
        })
        .collect();

    // The pick: replayed by name, or drawn.
    let recorded = match source {
        Source::Replay(replay) => replay.next_draw().cloned(),
        Source::Seeded(_) => None,
    };
    let position = match (&recorded, &mut *source) {
        (Some(draw), _) => {
            let found = candidate_positions
                .iter()
                .copied()
                .find(|&position| matched_stages[position].name == draw.stage);
            match found {
                Some(position) => position,
                None => {
                    not_matched.push(NotMatched {
                        stage: draw.stage.clone(),
                        reason: Value::String(format!(
                            "the recorded pick {:?} is not among the candidates",
                            draw.stage
                        )),
                    });
                    return Decision::NoMatch { not_matched };
                }
            }
        }
        (None, Source::Seeded(seeded)) => match choice.pick(seeded) {
            Ok(position) => position,
            Err(error) => {
                not_matched.push(NotMatched {
                    stage: String::new(),
                    reason: Value::String(error.to_string()),
                });
                return Decision::NoMatch { not_matched };
            }
        },
        (None, Source::Replay(_)) => match choice.pick(fallback) {
            Ok(position) => position,
            Err(error) => {
                not_matched.push(NotMatched {
                    stage: String::new(),
                    reason: Value::String(error.to_string()),
                });
                return Decision::NoMatch { not_matched };
            }
        },
    };
    let stage = matched_stages[position];

    // The delay: a fixed one is computed, a drawn one may come from the recording.
    // kwok logs a delay error and plays at once.
    let plan = delay_plan(stage.delay.as_ref(), view, now).unwrap_or(DelayPlan::None);
    let delay = match plan {
        DelayPlan::None => DelayRecord::default(),
        DelayPlan::Fixed { ns } => DelayRecord {
            kind: DelayKind::Fixed,
            min_ns: None,
            max_ns: None,
            ns,
        },
        DelayPlan::Range { min, max } => {
            let ns = match (&recorded, &mut *source) {
                (Some(draw), _) => draw.delay_ns,
                (None, Source::Seeded(seeded)) => plan.sample(seeded),
                (None, Source::Replay(_)) => plan.sample(fallback),
            };
            DelayRecord {
                kind: DelayKind::Range,
                min_ns: Some(min),
                max_ns: Some(max),
                ns,
            }
        }
    };

    Decision::Play(Planned {
        stage: matched[position],
        weight: if candidates.len() > 1 {
            weight_of(position)
        } else {
            None
        },
        candidates,
        delay,
        not_matched,
    })
}

// ---- playing --------------------------------------------------------------------------

/// The clock and randomness the template functions read.
struct SimEnv {
    now: Cell<Nanos>,
    rng: RefCell<Seeded>,
}

impl Env for SimEnv {
    fn now(&self) -> i64 {
        self.now.get()
    }

    fn next_u64(&self) -> u64 {
        self.rng.borrow_mut().next_u64()
    }
}

/// The managed nodes as the Pod controller's functions see them (kwok's `nodeGetFunc`),
/// kept up to date by the loop.
#[derive(Default)]
pub(crate) struct NodeCache {
    nodes: RefCell<HashMap<String, NodeInfo>>,
}

impl NodeLookup for NodeCache {
    fn node(&self, name: &str) -> Option<NodeInfo> {
        self.nodes.borrow().get(name).cloned()
    }
}

/// Renders and lists the actions of steps, one render context (function table and
/// template cache) per controller.
pub(crate) struct Evaluator {
    env: Rc<SimEnv>,
    nodes: Rc<NodeCache>,
    pools: Rc<RefCell<IpPools>>,
    config: ControllerConfig,
    start: Nanos,
    contexts: HashMap<FunctionSetKey, RenderContext>,
}

/// `FunctionSet` has no `Hash`; this mirrors the three controller sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum FunctionSetKey {
    Pod,
    Node,
    Generic,
}

impl Evaluator {
    pub(crate) fn new(config: &ControllerConfig, start: Nanos, seed: u64) -> Evaluator {
        Evaluator {
            env: Rc::new(SimEnv {
                now: Cell::new(start),
                rng: RefCell::new(Seeded::new(seed ^ 0x5eed_7e57_u64)),
            }),
            nodes: Rc::new(NodeCache::default()),
            pools: Rc::new(RefCell::new(IpPools::new())),
            config: config.clone(),
            start,
            contexts: HashMap::new(),
        }
    }

    /// Sets what `Now` returns.
    pub(crate) fn set_now(&self, now: Nanos) {
        self.env.now.set(now);
    }

    /// A node the Pod controller's functions can see (or, with `None`, no longer see).
    pub(crate) fn set_node(&self, name: &str, node: Option<&Value>) {
        let mut nodes = self.nodes.nodes.borrow_mut();
        match node {
            Some(node) => {
                nodes.insert(name.to_string(), NodeInfo::from_node(node));
            }
            None => {
                nodes.remove(name);
            }
        }
    }

    fn context(&mut self, controller: ControllerKind) -> &mut RenderContext {
        let key = match controller {
            ControllerKind::Pod => FunctionSetKey::Pod,
            ControllerKind::Node => FunctionSetKey::Node,
            ControllerKind::Generic => FunctionSetKey::Generic,
        };
        // The function table is built once per controller, with the shared state it reads.
        self.contexts.entry(key).or_insert_with(|| {
            let funcs = FuncContext {
                config: self.config.clone(),
                start_time: self.start,
                env: self.env.clone(),
                nodes: self.nodes.clone(),
                pools: self.pools.clone(),
            };
            let set = match key {
                FunctionSetKey::Pod => FunctionSet::Pod,
                FunctionSetKey::Node => FunctionSet::Node,
                FunctionSetKey::Generic => FunctionSet::Generic,
            };
            RenderContext::new(build_funcs(set, &funcs))
        })
    }

    /// The actions of one step. On failure, the actions kwok had already sent before the
    /// failing part of the step (its event and finalizer patch) come with the error.
    pub(crate) fn step(
        &mut self,
        controller: ControllerKind,
        stage: &Stage,
        index: usize,
        view: &ObjectView,
    ) -> (Vec<Action>, Option<StepError>) {
        match step_actions(stage, index, view, self.context(controller)) {
            Ok(actions) => (actions, None),
            Err(error) => {
                let mut before = Vec::new();
                if let Some(step) = stage.steps.get(index) {
                    if let Some(event) = &step.event {
                        before.push(Action::Event {
                            event_type: event.event_type.clone(),
                            reason: event.reason.clone(),
                            message: event.message.clone(),
                        });
                    }
                    if let Some(finalizers) = &step.finalizers {
                        let ops = finalizer_ops(&object_finalizers(view.json()), finalizers);
                        if !ops.is_empty() {
                            before.push(Action::Patch(PatchAction {
                                patch_type: PatchType::Json,
                                subresource: None,
                                data: serde_json::to_value(&ops).unwrap_or(Value::Null),
                                impersonation: None,
                                source: PatchSource::Finalizers,
                                rendered: None,
                            }));
                        }
                    }
                }
                (before, Some(error))
            }
        }
    }

    /// Gives a deleted pod's IPs back to the pools of its node's CIDRs (kwok's
    /// `recyclingPodIP`).
    pub(crate) fn release_pod_ips(&self, pod: &Value) {
        let node = field(pod, "/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut cidrs = self
            .nodes
            .node(node)
            .map(|info| info.pod_cidrs)
            .unwrap_or_default();
        if cidrs.is_empty() {
            cidrs.push(self.config.cidr.clone());
        }
        let mut ips: Vec<&str> = field(pod, "/status/podIPs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.get("ip").and_then(Value::as_str))
            .collect();
        if let Some(ip) = field(pod, "/status/podIP").and_then(Value::as_str)
            && !ips.contains(&ip)
        {
            ips.push(ip);
        }
        let mut pools = self.pools.borrow_mut();
        for cidr in &cidrs {
            for ip in &ips {
                pools.release(cidr, ip);
            }
        }
    }
}

/// Renders one template over one object with the functions of its kind, as the golden
/// render mode asks: a fresh IP pool, `StartTime` = `Now` = `now`.
pub fn render_once(
    template: &str,
    object: &Value,
    now: Nanos,
    config: &ControllerConfig,
    known_nodes: &[Value],
) -> Result<(String, Value), String> {
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let controller = ControllerKind::of(api_version, kind);
    let mut evaluator = Evaluator::new(config, now, 0);
    for node in known_nodes {
        if let Some(name) = field(node, "/metadata/name").and_then(Value::as_str) {
            evaluator.set_node(name, Some(node));
        }
    }
    // A pod's node that kwok does not know is an implicit bare Node it manages.
    let node = field(object, "/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if controller == ControllerKind::Pod && !node.is_empty() && evaluator.nodes.node(node).is_none()
    {
        let bare =
            serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": node}});
        evaluator.set_node(node, Some(&bare));
    }
    let object = if controller == ControllerKind::Generic {
        object.clone()
    } else {
        stage_kube::typed::normalize(object)
    };
    let view = ObjectView::new(object);
    let text = TemplateText {
        text: template.to_string(),
        ..TemplateText::default()
    };
    match evaluator.context(controller).render(&text, &view) {
        Ok(rendered) => Ok((rendered.text, rendered.json)),
        Err(error) => Err(error.message),
    }
}
