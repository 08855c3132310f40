//! The page's wasm entry points in a real browser: the glue's answers to check and run
//! requests, the first visit's recorded answer against the engine's, and the worker's
//! runner (which the test runner serves no engine module for).
#![cfg(target_arch = "wasm32")]

use stage_web::glue::{self, Op, Problem, Request, Response, Source};
use stage_web::{first_visit, presets, worker};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn request(op: Op, stages: String, objects: &str) -> Request {
    Request {
        op,
        stages,
        objects: objects.to_string(),
        settings: glue::default_settings(presets::HORIZON_MS, presets::MAX_PLAYS),
        actions: Vec::new(),
        focus: None,
    }
}

/// A user action in the scenario file's form.
fn action(yaml: &str) -> stage_engine::scenario::UserAction {
    serde_json::from_value(stage_yaml::parse_value(yaml).unwrap()).unwrap()
}

fn default_request(op: Op) -> Request {
    request(op, presets::default_stages(), presets::OBJECTS)
}

fn ask(request: &Request) -> Response {
    let answer = glue::answer(&serde_json::to_string(request).unwrap());
    serde_json::from_str(&answer).unwrap()
}

const BROKEN: &str = "apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: broken
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.status.phase'
      operator: Sometimes
";

#[wasm_bindgen_test]
fn the_default_scenario_checks_clean() {
    match ask(&default_request(Op::Check)) {
        Response::Ok { timeline, .. } => assert!(timeline.is_none()),
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_broken_stage_is_placed_at_its_line() {
    let Response::Rejected { problems } =
        ask(&request(Op::Check, BROKEN.to_string(), presets::OBJECTS))
    else {
        panic!("a Stage with an unknown operator loaded");
    };
    let lines: Vec<(Source, usize)> = problems.iter().map(|p| (p.source, p.line)).collect();
    assert_eq!(lines, [(Source::Stages, 12)], "{problems:?}");

    // The message is the engine's own sentence, which names the field once.
    let loaded = stage_engine::load::load_stages(BROKEN, "stages");
    assert_eq!(problems[0].message, loaded.diagnostics[0].message);
    let path = "spec.selector.matchExpressions[0].operator";
    assert_eq!(problems[0].message.matches(path).count(), 1, "{problems:?}");
}

#[wasm_bindgen_test]
fn a_broken_object_is_reported_in_the_objects_editor() {
    let Response::Rejected { problems } = ask(&request(
        Op::Check,
        presets::default_stages(),
        "kind: Pod\nmetadata: [\n",
    )) else {
        panic!("broken YAML loaded");
    };
    assert!(
        problems
            .iter()
            .all(|p: &Problem| p.source == Source::Objects && p.line > 0),
        "{problems:?}"
    );
}

#[wasm_bindgen_test]
fn an_unreadable_request_is_rejected_not_a_panic() {
    let answer: Response = serde_json::from_str(&glue::answer("{\"op\": \"fly\"}")).unwrap();
    let Response::Rejected { problems } = answer else {
        panic!("accepted")
    };
    assert_eq!(problems[0].source, Source::Engine);
}

#[wasm_bindgen_test]
fn the_default_scenario_runs_every_pod_through_pod_create() {
    let Response::Ok {
        timeline: Some(timeline),
        ..
    } = ask(&default_request(Op::Run))
    else {
        panic!("the default scenario did not run");
    };
    for pod in [
        "Pod/default/web-0",
        "Pod/default/web-1",
        "Pod/default/report-7xk2p",
    ] {
        let stages: Vec<&str> = timeline
            .plays_of(pod)
            .map(|play| play.stage.as_str())
            .collect();
        assert_eq!(stages.first(), Some(&"pod-create"), "{pod}: {stages:?}");
    }
    let node: Vec<&str> = timeline
        .plays_of("Node/node-0")
        .map(|play| play.stage.as_str())
        .collect();
    assert_eq!(node.first(), Some(&"node-initialize"));
    assert!(
        node.iter().skip(1).all(|stage| *stage == "node-heartbeat"),
        "{node:?}"
    );
}

#[wasm_bindgen_test]
fn the_first_visits_recorded_answer_is_the_answer_of_the_engine_in_the_browser() {
    // Recorded natively when the page was built; the engine compiled to wasm must agree.
    let json = serde_json::to_string(&presets::default_scenario()).unwrap();
    let recorded = first_visit::answer(&json).expect("the default run is recorded");
    assert_eq!(recorded, glue::answer(&json));
}

#[wasm_bindgen_test]
async fn a_request_the_recording_does_not_hold_goes_to_a_worker_and_its_failure_is_answered() {
    // The test runner serves no engine module, so the worker cannot load it: the request is
    // answered with that failure rather than left waiting.
    let runner = worker::Runner::default();
    let json =
        serde_json::to_string(&request(Op::Check, BROKEN.to_string(), presets::OBJECTS)).unwrap();
    let (send, receive) = futures_channel::oneshot::channel();
    runner.run(json, move |answer| {
        let _ = send.send(answer);
    });
    let failure = receive
        .await
        .unwrap()
        .expect_err("no engine module is served here");
    assert!(failure.contains("stage-worker.js"), "{failure}");
}

#[wasm_bindgen_test]
async fn the_first_visits_run_is_answered_without_a_worker() {
    let runner = worker::Runner::default();
    let json = serde_json::to_string(&presets::default_scenario()).unwrap();
    let (send, receive) = futures_channel::oneshot::channel();
    runner.run(json.clone(), move |answer| {
        let _ = send.send(answer);
    });
    let answer = receive.await.unwrap().expect("the recorded answer");
    assert_eq!(Some(answer.as_str()), first_visit::answer(&json));
    assert!(!runner.has_worker());
}

#[wasm_bindgen_test]
fn a_delete_action_plays_the_deletion_stages_from_its_time() {
    let mut run = default_request(Op::Run);
    run.actions = vec![action(
        "at: 2m\ndelete: {kind: Pod, namespace: default, name: web-0, gracePeriodSeconds: 30}",
    )];
    let Response::Ok {
        timeline: Some(timeline),
        ..
    } = ask(&run)
    else {
        panic!("the scenario with a delete did not run");
    };
    let stages: Vec<&str> = timeline
        .plays_of("Pod/default/web-0")
        .map(|play| play.stage.as_str())
        .collect();
    assert_eq!(stages.last(), Some(&"pod-delete"), "{stages:?}");
    let untouched: Vec<&str> = timeline
        .plays_of("Pod/default/web-1")
        .map(|play| play.stage.as_str())
        .collect();
    assert!(!untouched.contains(&"pod-delete"), "{untouched:?}");
}

#[wasm_bindgen_test]
fn an_action_at_an_unreadable_time_is_placed_in_the_actions_list() {
    let mut run = default_request(Op::Run);
    run.actions = vec![
        action("at: 1m\nedit: {kind: Pod, namespace: default, name: web-0, patch: {}}"),
        action("at: soon\ndelete: {kind: Pod, name: web-1}"),
    ];
    let Response::Rejected { problems } = ask(&run) else {
        panic!("an action at `soon` was accepted");
    };
    let places: Vec<(Source, usize)> = problems.iter().map(|p| (p.source, p.line)).collect();
    assert_eq!(places, [(Source::Actions, 2)], "{problems:?}");
    assert!(problems[0].message.contains("soon"), "{problems:?}");
}

#[wasm_bindgen_test]
fn explain_answers_every_stage_of_the_kind_clause_by_clause() {
    let mut focus = default_request(Op::Focus);
    focus.focus = Some(glue::FullKey {
        api_version: "v1".into(),
        kind: "Pod".into(),
        namespace: "default".into(),
        name: "web-0".into(),
    });
    let Response::Focused { plays, .. } = ask(&focus) else {
        panic!("the default scenario did not run");
    };
    let created = plays
        .first()
        .and_then(|focused| focused.play.before.clone())
        .expect("web-0's first play records the version it matched");

    let mut question = default_request(Op::Explain);
    question.objects = created.to_string();
    let Response::Explained { stages } = ask(&question) else {
        panic!("no explanation");
    };
    let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(
        names,
        [
            "pod-create",
            "pod-init-container-running",
            "pod-init-container-completed",
            "pod-ready",
            "pod-complete",
            "pod-delete",
        ],
        "only the Pod Stages, in file order"
    );
    assert!(stages[0].matched);
    assert!(stages[0].clauses.iter().all(|c| c["passed"] == true));
    for stage in &stages[1..] {
        assert!(!stage.matched, "{}", stage.stage);
        let last = stage.clauses.last().expect("a failed clause");
        assert_eq!(last["passed"], false, "{}", stage.stage);
        assert!(last["clause"]["key"].is_string(), "{}: {last}", stage.stage);
    }
}
