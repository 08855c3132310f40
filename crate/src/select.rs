//! Whether a Stage's selector matches an object, with an explanation of every clause kwok
//! evaluated.
//!
//! kwok evaluates `matchLabels`, then `matchAnnotations`, then every jq entry in YAML order,
//! then every CEL entry, and stops at the first clause that fails. A Stage without a
//! selector never matches. The object is converted once per version into an
//! [`ObjectView`], which the delay, weight and template code read as well. Choosing among
//! several matching Stages is `weight`'s business.
//!
//! Which Stages apply to an object at all is decided here too, once: a Stage is for the
//! objects whose apiVersion is its `resourceRef.apiGroup` and whose kind is its
//! `resourceRef.kind` ([`StagesByKind`]). The loop and the page's explanation both ask it.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;
use stage_jq::{Operator, Outcome, Output};
use stage_kube::field;

use crate::model::{MatchKind, Stage};

/// One object version as kwok reads it: JSON, and the jq form built on first use, once.
/// The JSON form is shared, not copied: the store, a pending job and the view all hold the
/// same version. Templates convert only the parts they read (`Template::execute_json`).
pub struct ObjectView {
    json: Rc<Value>,
    jq: OnceCell<stage_jq::Input>,
    typed: bool,
}

impl ObjectView {
    /// The view a controller has: Pods and Nodes count as typed (their default patch type
    /// is a strategic merge patch). The caller passes Pods and Nodes already normalised
    /// the way Go's structs encode them.
    pub fn new(json: impl Into<Rc<Value>>) -> ObjectView {
        let json = json.into();
        let typed = stage_kube::typed::is_typed(str_at(&json, "apiVersion"), str_at(&json, "kind"));
        ObjectView::build(json, typed)
    }

    /// The view kwok's stage test harness has: every object untyped, whatever its kind.
    pub fn untyped(json: impl Into<Rc<Value>>) -> ObjectView {
        ObjectView::build(json.into(), false)
    }

    fn build(json: Rc<Value>, typed: bool) -> ObjectView {
        ObjectView {
            json,
            jq: OnceCell::new(),
            typed,
        }
    }

    pub fn json(&self) -> &Value {
        &self.json
    }

    pub fn jq(&self) -> &stage_jq::Input {
        self.jq
            .get_or_init(|| stage_jq::Input::shared(self.json.clone()))
    }

    /// Whether kwok holds this object as a Go struct (Pod, Node).
    pub fn typed(&self) -> bool {
        self.typed
    }

    pub fn api_version(&self) -> &str {
        str_at(&self.json, "apiVersion")
    }

    pub fn kind(&self) -> &str {
        str_at(&self.json, "kind")
    }

    pub fn name(&self) -> &str {
        field(&self.json, "/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        field(&self.json, "/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn labels(&self) -> BTreeMap<&str, &str> {
        self.string_map(LABELS)
    }

    pub fn annotations(&self) -> BTreeMap<&str, &str> {
        self.string_map(ANNOTATIONS)
    }

    fn string_map(&self, pointer: &str) -> BTreeMap<&str, &str> {
        field(&self.json, pointer)
            .and_then(Value::as_object)
            .map(|map| {
                // Inserted one by one: collecting links a sort made for this iterator alone.
                let mut strings = BTreeMap::new();
                for (k, v) in map.iter() {
                    if let Some(v) = v.as_str() {
                        strings.insert(k.as_str(), v);
                    }
                }
                strings
            })
            .unwrap_or_default()
    }
}

const LABELS: &str = "/metadata/labels";
const ANNOTATIONS: &str = "/metadata/annotations";

fn str_at<'a>(json: &'a Value, key: &str) -> &'a str {
    json.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The result of matching one Stage, with the clauses in the order kwok evaluated them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageMatch {
    pub outcome: MatchOutcome,
    /// Every clause evaluated, up to and including the first that failed.
    pub clauses: Vec<ClauseReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "reason")]
pub enum MatchOutcome {
    Matched,
    NotMatched,
    /// A clause the engine cannot evaluate yet (CEL). kwok would either match or, on a CEL
    /// error, stop every Stage of the kind from matching; the engine says so instead.
    NotSupported(String),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClauseReport {
    pub clause: Clause,
    pub passed: bool,
    pub detail: ClauseDetail,
}

/// Which clause of the selector.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Clause {
    /// `spec.selector` is absent.
    NoSelector,
    MatchLabels,
    MatchAnnotations,
    /// `index` is the entry's position in `matchExpressions`.
    Jq {
        index: usize,
        key: String,
        operator: String,
        values: Vec<String>,
    },
    Cel {
        index: usize,
        expression: String,
    },
}

/// What the clause saw.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClauseDetail {
    /// A Stage without selector is ignored by kwok.
    Ignored,
    /// Every pair was present with its value.
    AllPresent,
    /// The first pair that was missing (`actual: None`) or different.
    Mismatch {
        key: String,
        expected: String,
        actual: Option<String>,
    },
    /// The jq key's outputs, nulls dropped (integers stay integers, numbers read from the
    /// object are floats).
    Values {
        values: Vec<Value>,
    },
    /// The jq key failed at run time; kwok reads that as "no outputs".
    RuntimeError {
        message: String,
    },
    NotSupported {
        message: String,
    },
}

/// The message for every CEL entry until CEL is evaluated.
pub const CEL_NOT_SUPPORTED: &str = "CEL expressions are not supported yet";

/// Whether `stage` matches `view`, without building the explanation (the loop's fast
/// path); `Err` carries the reason a clause could not be evaluated (CEL).
pub fn stage_matches(stage: &Stage, view: &ObjectView) -> Result<bool, String> {
    selector_matches(stage, view, |query, operator, values| {
        operator.matches(&query.run(view.jq()), values)
    })
}

/// The outcomes of the jq keys already run on one object version, by key text. The Stages
/// of a kind often ask the same key (every Pod Stage reads `.metadata.deletionTimestamp`),
/// and a key's outcome depends on nothing but its text and the object, so one run serves
/// every Stage that asks it.
#[derive(Default)]
pub(crate) struct KeyOutcomes<'a> {
    seen: Vec<(&'a str, Outcome)>,
}

impl<'a> KeyOutcomes<'a> {
    fn run(&mut self, query: &'a stage_jq::Query, view: &ObjectView) -> &Outcome {
        let source = query.source();
        let at = match self.seen.iter().position(|(seen, _)| *seen == source) {
            Some(at) => at,
            None => {
                self.seen.push((source, query.run(view.jq())));
                self.seen.len() - 1
            }
        };
        &self.seen[at].1
    }
}

/// [`stage_matches`] for one of several Stages matched against the same `view`, which
/// share the outcomes of the jq keys they have in common through `outcomes`.
pub(crate) fn stage_matches_sharing<'a>(
    stage: &'a Stage,
    view: &ObjectView,
    outcomes: &mut KeyOutcomes<'a>,
) -> Result<bool, String> {
    selector_matches(stage, view, |query, operator, values| {
        operator.matches(outcomes.run(query, view), values)
    })
}

/// The fast match, with `jq_passes` answering whether a jq entry's key passes its operator
/// and values.
fn selector_matches<'a>(
    stage: &'a Stage,
    view: &ObjectView,
    mut jq_passes: impl FnMut(&'a stage_jq::Query, &Operator, &[String]) -> bool,
) -> Result<bool, String> {
    let Some(selector) = &stage.selector else {
        return Ok(false);
    };
    let pairs = [
        (&selector.match_labels, LABELS),
        (&selector.match_annotations, ANNOTATIONS),
    ];
    for (wanted, pointer) in pairs {
        let Some(wanted) = wanted else { continue };
        let actual = field(view.json(), pointer);
        let present = |key: &String, value: &String| {
            actual.and_then(|map| map.get(key)).and_then(Value::as_str) == Some(value.as_str())
        };
        if !wanted.iter().all(|(key, value)| present(key, value)) {
            return Ok(false);
        }
    }
    for entry in &selector.match_expressions {
        if let MatchKind::Jq {
            query,
            operator,
            values,
        } = &entry.kind
            && !jq_passes(query, operator, values)
        {
            return Ok(false);
        }
    }
    if selector
        .match_expressions
        .iter()
        .any(|e| matches!(e.kind, MatchKind::Cel { .. }))
    {
        return Err(CEL_NOT_SUPPORTED.to_string());
    }
    Ok(true)
}

/// Matches `stage` against `view` in kwok's order, stopping at the first failure.
pub fn match_stage(stage: &Stage, view: &ObjectView) -> StageMatch {
    let Some(selector) = &stage.selector else {
        return StageMatch {
            outcome: MatchOutcome::NotMatched,
            clauses: vec![ClauseReport {
                clause: Clause::NoSelector,
                passed: false,
                detail: ClauseDetail::Ignored,
            }],
        };
    };

    let mut clauses = Vec::new();
    let failed = |clauses: Vec<ClauseReport>| StageMatch {
        outcome: MatchOutcome::NotMatched,
        clauses,
    };

    // Labels, then annotations: present maps only (an empty map always passes). The
    // object's map is only collected when the selector asks for it.
    let pairs = [
        (Clause::MatchLabels, &selector.match_labels, LABELS),
        (
            Clause::MatchAnnotations,
            &selector.match_annotations,
            ANNOTATIONS,
        ),
    ];
    for (clause, wanted, pointer) in pairs {
        let Some(wanted) = wanted else { continue };
        let report = match_pairs(clause, wanted, &view.string_map(pointer));
        let passed = report.passed;
        clauses.push(report);
        if !passed {
            return failed(clauses);
        }
    }

    // Every jq entry before every CEL entry, whatever their order in the list.
    for (index, entry) in selector.match_expressions.iter().enumerate() {
        let MatchKind::Jq {
            query,
            operator,
            values,
        } = &entry.kind
        else {
            continue;
        };
        let outcome = query.run(view.jq());
        let passed = operator.matches(&outcome, values);
        clauses.push(ClauseReport {
            clause: Clause::Jq {
                index,
                key: query.source().to_string(),
                operator: operator_name(*operator).to_string(),
                values: values.clone(),
            },
            passed,
            detail: outcome_detail(&outcome),
        });
        if !passed {
            return failed(clauses);
        }
    }
    for (index, entry) in selector.match_expressions.iter().enumerate() {
        let MatchKind::Cel { expression } = &entry.kind else {
            continue;
        };
        clauses.push(ClauseReport {
            clause: Clause::Cel {
                index,
                expression: expression.clone(),
            },
            passed: false,
            detail: ClauseDetail::NotSupported {
                message: CEL_NOT_SUPPORTED.to_string(),
            },
        });
        return StageMatch {
            outcome: MatchOutcome::NotSupported(CEL_NOT_SUPPORTED.to_string()),
            clauses,
        };
    }

    StageMatch {
        outcome: MatchOutcome::Matched,
        clauses,
    }
}

impl StageMatch {
    pub fn matched(&self) -> bool {
        self.outcome == MatchOutcome::Matched
    }

    /// The clause that stopped the match, if any.
    pub fn failed_clause(&self) -> Option<&ClauseReport> {
        self.clauses.last().filter(|c| !c.passed)
    }
}

/// The Stages of each resource kind, by index into the Stage list, in Stage order.
#[derive(Clone, Debug, Default)]
pub struct StagesByKind {
    /// Indices by apiVersion, then kind.
    by_kind: HashMap<String, HashMap<String, Rc<[usize]>>>,
}

impl StagesByKind {
    pub fn new(stages: &[Stage]) -> StagesByKind {
        let mut grouped: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        for (index, stage) in stages.iter().enumerate() {
            let reference = &stage.resource_ref;
            grouped
                .entry(reference.api_group.clone())
                .or_default()
                .entry(reference.kind.clone())
                .or_default()
                .push(index);
        }
        let by_kind = grouped
            .into_iter()
            .map(|(group, kinds)| {
                let kinds = kinds
                    .into_iter()
                    .map(|(kind, list)| (kind, list.into()))
                    .collect();
                (group, kinds)
            })
            .collect();
        StagesByKind { by_kind }
    }

    /// The Stages for objects of `api_version` and `kind`, or `None` when there are none.
    pub fn get(&self, api_version: &str, kind: &str) -> Option<Rc<[usize]>> {
        self.by_kind.get(api_version)?.get(kind).cloned()
    }
}

/// Every Stage for the object's apiVersion and kind, in Stage order, each with how its
/// selector went: what the page shows when it explains an object version.
pub fn explain<'a>(stages: &'a [Stage], view: &ObjectView) -> Vec<(&'a Stage, StageMatch)> {
    let Some(indices) = StagesByKind::new(stages).get(view.api_version(), view.kind()) else {
        return Vec::new();
    };
    indices
        .iter()
        .map(|&index| (&stages[index], match_stage(&stages[index], view)))
        .collect()
}

fn match_pairs(
    clause: Clause,
    wanted: &BTreeMap<String, String>,
    actual: &BTreeMap<&str, &str>,
) -> ClauseReport {
    // Kubernetes' set selector: every key present with exactly that value.
    for (key, expected) in wanted {
        let found = actual.get(key.as_str()).copied();
        if found != Some(expected.as_str()) {
            return ClauseReport {
                clause,
                passed: false,
                detail: ClauseDetail::Mismatch {
                    key: key.clone(),
                    expected: expected.clone(),
                    actual: found.map(str::to_string),
                },
            };
        }
    }
    ClauseReport {
        clause,
        passed: true,
        detail: ClauseDetail::AllPresent,
    }
}

pub(crate) fn outcome_detail(outcome: &Outcome) -> ClauseDetail {
    match outcome {
        Outcome::Values(outputs) => ClauseDetail::Values {
            values: outputs.iter().map(output_json).collect(),
        },
        Outcome::Failed(message) => ClauseDetail::RuntimeError {
            message: message.clone(),
        },
    }
}

/// A jq output as JSON.
pub fn output_json(output: &Output) -> Value {
    match output {
        Output::String(s) => Value::String(s.clone()),
        Output::Bool(b) => Value::Bool(*b),
        Output::Int(i) => Value::from(*i),
        Output::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Output::Other(v) => v.clone(),
    }
}

pub fn operator_name(operator: Operator) -> &'static str {
    match operator {
        Operator::In => "In",
        Operator::NotIn => "NotIn",
        Operator::Exists => "Exists",
        Operator::DoesNotExist => "DoesNotExist",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{MatchExpression, Origin, ResourceRef, Selector};
    use serde_json::json;
    use stage_jq::Query;

    /// A Stage with only a name and a selector; the other fields are kwok's defaults.
    pub(crate) fn stage(name: &str, selector: Option<Selector>) -> Stage {
        Stage {
            name: name.to_string(),
            origin: Origin::default(),
            resource_ref: ResourceRef {
                api_group: "v1".into(),
                kind: "Pod".into(),
            },
            selector,
            weight: 0,
            weight_from: None,
            delay: None,
            steps: Vec::new(),
            immediate_next_stage: false,
            from_legacy_next: false,
        }
    }

    pub(crate) fn jq(key: &str, operator: &str, values: &[&str]) -> MatchExpression {
        MatchExpression {
            origin: Origin::default(),
            kind: MatchKind::Jq {
                query: Query::compile(key).unwrap(),
                operator: Operator::parse(operator).unwrap(),
                values: values.iter().map(|v| v.to_string()).collect(),
            },
        }
    }

    fn cel(expression: &str) -> MatchExpression {
        MatchExpression {
            origin: Origin::default(),
            kind: MatchKind::Cel {
                expression: expression.to_string(),
            },
        }
    }

    fn map(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn labels(labels: Option<BTreeMap<String, String>>) -> Selector {
        Selector {
            match_labels: labels,
            ..Selector::default()
        }
    }

    fn annotations(annotations: Option<BTreeMap<String, String>>) -> Selector {
        Selector {
            match_annotations: annotations,
            ..Selector::default()
        }
    }

    fn exprs(entries: Vec<MatchExpression>) -> Selector {
        Selector {
            match_expressions: entries,
            ..Selector::default()
        }
    }

    fn matches(selector: Option<Selector>, object: Value) -> bool {
        match_stage(&stage("s", selector), &ObjectView::new(object)).matched()
    }

    fn pod(labels: Value, annotations: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "p", "labels": labels, "annotations": annotations}})
    }

    #[test]
    fn no_selector_never_matches_and_empty_selector_always_does() {
        assert!(!matches(None, pod(json!({}), json!({}))));
        assert!(matches(
            Some(Selector::default()),
            pod(json!({}), json!({}))
        ));
    }

    #[test]
    fn labels_and_annotations_need_every_pair() {
        let p = |l: Value| pod(l, json!({}));
        assert!(matches(
            Some(labels(map(&[("app", "web")]))),
            p(json!({"app": "web", "x": "y"}))
        ));
        assert!(!matches(
            Some(labels(map(&[("app", "web")]))),
            p(json!({"app": "db"}))
        ));
        assert!(!matches(Some(labels(map(&[("flag", "")]))), p(json!({}))));
        assert!(matches(
            Some(labels(map(&[("flag", "")]))),
            p(json!({"flag": ""}))
        ));
        assert!(matches(Some(labels(map(&[]))), p(json!({}))));
        let a = |a: Value| pod(json!({}), a);
        assert!(!matches(
            Some(annotations(map(&[("a", "True")]))),
            a(json!({"a": "true"}))
        ));
        assert!(matches(
            Some(annotations(map(&[("a", "True")]))),
            a(json!({"a": "True"}))
        ));
    }

    #[test]
    fn stages_sharing_a_key_run_it_once_and_each_answers_as_alone() {
        let deleting = || jq(".metadata.deletionTimestamp", "DoesNotExist", &[]);
        let stages = [
            stage(
                "a",
                Some(exprs(vec![
                    deleting(),
                    jq(".status.phase", "In", &["Pending"]),
                ])),
            ),
            stage(
                "b",
                Some(exprs(vec![
                    deleting(),
                    jq(".status.phase", "In", &["Running"]),
                ])),
            ),
            stage(
                "c",
                Some(exprs(vec![jq(
                    ".metadata.deletionTimestamp",
                    "Exists",
                    &[],
                )])),
            ),
            stage(
                "d",
                Some(exprs(vec![deleting(), jq(".bad | keys", "Exists", &[])])),
            ),
        ];
        let view = ObjectView::new(json!({"kind": "Pod", "status": {"phase": "Running"}}));
        let mut outcomes = KeyOutcomes::default();
        let shared: Vec<_> = stages
            .iter()
            .map(|stage| stage_matches_sharing(stage, &view, &mut outcomes))
            .collect();
        let alone: Vec<_> = stages.iter().map(|s| stage_matches(s, &view)).collect();
        assert_eq!(shared, alone);
        assert_eq!(shared, [Ok(false), Ok(true), Ok(false), Ok(false)]);
        let keys: Vec<&str> = outcomes.seen.iter().map(|(key, _)| *key).collect();
        assert_eq!(
            keys,
            [
                ".metadata.deletionTimestamp",
                ".status.phase",
                ".bad | keys"
            ]
        );
    }

    #[test]
    fn mismatch_names_the_pair() {
        let report = match_stage(
            &stage("s", Some(labels(map(&[("app", "web")])))),
            &ObjectView::new(pod(json!({"app": "db"}), json!({}))),
        );
        assert_eq!(
            report.failed_clause().map(|c| &c.detail),
            Some(&ClauseDetail::Mismatch {
                key: "app".into(),
                expected: "web".into(),
                actual: Some("db".into())
            })
        );
    }

    #[test]
    fn jq_rules() {
        let phase = json!({"kind": "Pod", "status": {"phase": "Running"}});
        let one = |e| Some(exprs(vec![e]));
        assert!(matches(
            one(jq(".status.phase", "In", &["Running"])),
            phase.clone()
        ));
        assert!(!matches(
            one(jq(".status.phase", "In", &["Running"])),
            json!({})
        ));
        assert!(matches(
            one(jq(".status.podIP", "NotIn", &["X"])),
            json!({})
        ));
        let ann = json!({"metadata": {"annotations": {"x": ""}, "generation": 1}});
        assert!(matches(
            one(jq(".metadata.annotations.x", "Exists", &[])),
            ann.clone()
        ));
        assert!(!matches(
            one(jq(".metadata.generation", "In", &["1"])),
            ann.clone()
        ));
        assert!(matches(
            one(jq(".metadata.generation | tostring", "In", &["1"])),
            ann
        ));
        let two = json!({"spec": {"containers": [{}, {}]}});
        assert!(matches(
            one(jq(".spec.containers | length", "In", &["2"])),
            two
        ));
        let no_owner = json!({"metadata": {}});
        assert!(!matches(
            one(jq(".metadata.ownerReferences.[].kind", "In", &["Job"])),
            no_owner
        ));
        let ready = r#".status.conditions.[] | select(.type=="Ready") | .status"#;
        assert!(matches(
            one(jq(ready, "NotIn", &["True"])),
            json!({"status": {}})
        ));
        assert!(matches(one(jq(".x", "DoesNotExist", &[])), json!({})));
    }

    #[test]
    fn jq_report_carries_values_or_the_runtime_error() {
        let s = stage("s", Some(exprs(vec![jq(".a.b", "Exists", &[])])));
        let report = match_stage(&s, &ObjectView::new(json!({"a": "str"})));
        assert!(!report.matched());
        assert!(matches!(
            report.failed_clause().map(|c| &c.detail),
            Some(ClauseDetail::RuntimeError { .. })
        ));
        let report = match_stage(&s, &ObjectView::new(json!({"a": {"b": 1}})));
        assert_eq!(
            report.clauses[0].detail,
            ClauseDetail::Values {
                values: vec![json!(1.0)]
            }
        );
    }

    #[test]
    fn order_is_labels_annotations_jq_then_cel_and_stops_at_first_failure() {
        let selector = Selector {
            match_labels: map(&[("app", "web")]),
            match_annotations: map(&[("a", "1")]),
            match_expressions: vec![
                cel("true"),
                jq(".kind", "In", &["Pod"]),
                jq(".x", "Exists", &[]),
            ],
        };
        let s = stage("s", Some(selector));
        let object = pod(json!({"app": "web"}), json!({"a": "1"}));
        let report = match_stage(&s, &ObjectView::new(object.clone()));
        let kinds: Vec<&Clause> = report.clauses.iter().map(|c| &c.clause).collect();
        assert_eq!(kinds.len(), 4);
        assert_eq!(kinds[0], &Clause::MatchLabels);
        assert_eq!(kinds[1], &Clause::MatchAnnotations);
        assert!(matches!(kinds[2], Clause::Jq { index: 1, .. }));
        assert!(matches!(kinds[3], Clause::Jq { index: 2, .. }));
        assert_eq!(report.outcome, MatchOutcome::NotMatched);

        let mut with_x = object;
        with_x["x"] = json!(true);
        let report = match_stage(&s, &ObjectView::new(with_x));
        assert_eq!(
            report.outcome,
            MatchOutcome::NotSupported(CEL_NOT_SUPPORTED.into())
        );
        assert!(matches!(
            report.clauses.last().map(|c| &c.clause),
            Some(Clause::Cel { index: 0, .. })
        ));

        let report = match_stage(&s, &ObjectView::new(pod(json!({}), json!({}))));
        assert_eq!(report.clauses.len(), 1);
    }

    #[test]
    fn fast_path_agrees_with_the_explained_match() {
        let selectors = || {
            vec![
                None,
                Some(Selector::default()),
                Some(labels(map(&[("app", "web")]))),
                Some(annotations(map(&[("a", "1")]))),
                Some(exprs(vec![jq(".kind", "In", &["Pod"])])),
                Some(exprs(vec![jq(".kind", "In", &["Node"]), cel("true")])),
                Some(exprs(vec![cel("true")])),
            ]
        };
        let objects = [
            pod(json!({"app": "web"}), json!({"a": "1"})),
            pod(json!({"app": 1}), json!({"a": "2"})),
            json!({"kind": "Pod"}),
        ];
        for object in objects {
            let view = ObjectView::new(object);
            for selector in selectors() {
                let s = stage("s", selector);
                let fast = stage_matches(&s, &view);
                let explained = match match_stage(&s, &view).outcome {
                    MatchOutcome::Matched => Ok(true),
                    MatchOutcome::NotMatched => Ok(false),
                    MatchOutcome::NotSupported(m) => Err(m),
                };
                assert_eq!(fast, explained, "{:?} on {}", s.selector, view.json());
            }
        }
    }

    #[test]
    fn pods_and_nodes_are_typed_unless_untyped_is_asked() {
        let object = json!({"apiVersion": "v1", "kind": "Pod"});
        assert!(ObjectView::new(object.clone()).typed());
        assert!(!ObjectView::untyped(object).typed());
        assert!(!ObjectView::new(json!({"apiVersion": "v1", "kind": "PersistentVolume"})).typed());
    }

    #[test]
    fn explain_covers_the_stages_of_the_objects_kind_in_order() {
        let mut node = stage("node", Some(labels(map(&[]))));
        node.resource_ref.kind = "Node".into();
        let mut apps = stage("apps", Some(labels(map(&[]))));
        apps.resource_ref.api_group = "apps/v1".into();
        let stages = [
            stage("ready", Some(labels(map(&[("app", "web")])))),
            node,
            apps,
            stage("none", None),
        ];
        let view = ObjectView::new(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"app": "db"}},
        }));
        let explained: Vec<(&str, bool)> = explain(&stages, &view)
            .iter()
            .map(|(stage, report)| (stage.name.as_str(), report.matched()))
            .collect();
        assert_eq!(explained, [("ready", false), ("none", false)]);

        let by_kind = StagesByKind::new(&stages);
        assert_eq!(by_kind.get("v1", "Node").as_deref(), Some(&[1][..]));
        assert_eq!(by_kind.get("apps/v1", "Pod").as_deref(), Some(&[2][..]));
        assert_eq!(by_kind.get("v1", "Secret"), None);
    }
}
