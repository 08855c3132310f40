//! Prints the time per query for the keys the engine runs on every pod event.
//!
//! Run with `cargo bench -p stage-jq`. The wall clock is read here only, to measure.

use std::hint::black_box;
use std::time::Instant;

use stage_jq::{Input, Operator, Query};

const ROUNDS: u32 = 200_000;

fn main() {
    let pod = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-0",
            "namespace": "default",
            "uid": "5f0e3a4c-1111-4a2b-9c3d-000000000001",
            "creationTimestamp": "2024-01-01T00:00:00Z",
            "generation": 1,
            "labels": {"app": "web"},
            "annotations": {"pod-ready.stage.kwok.x-k8s.io/delay": "1s"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web"}]
        },
        "spec": {
            "nodeName": "kwok-node-0",
            "containers": [
                {"name": "app", "image": "nginx:1.25", "ports": [{"containerPort": 80}]},
                {"name": "sidecar", "image": "busybox:1.36"}
            ]
        },
        "status": {
            "phase": "Running",
            "podIP": "10.100.0.7",
            "conditions": [
                {"type": "Initialized", "status": "True"},
                {"type": "Ready", "status": "True"}
            ]
        }
    });

    // Compiling happens once per Stage load, not per event.
    for key in [".status.phase", ".spec.containers | length"] {
        let start = Instant::now();
        for _ in 0..100 {
            black_box(Query::compile(black_box(key)).is_ok());
        }
        report(&format!("Query::compile ({key})"), start, 100);
    }

    // A reference point for the machine's speed: one deep copy of the object.
    let start = Instant::now();
    for _ in 0..ROUNDS / 10 {
        black_box(black_box(&pod).clone());
    }
    report("serde_json::Value::clone (reference)", start, ROUNDS / 10);

    let start = Instant::now();
    for _ in 0..ROUNDS / 10 {
        black_box(Input::new(black_box(&pod)));
    }
    report("Input::new (typical pod)", start, ROUNDS / 10);

    let input = Input::new(&pod);
    let values = ["Running".to_string()];
    let keys = [
        ".status.phase",
        ".metadata.deletionTimestamp",
        ".status.conditions.[] | select( .type == \"Ready\" ) | .status",
        ".metadata.annotations[\"pod-ready.stage.kwok.x-k8s.io/delay\"]",
        ".spec.containers | length",
    ];
    let queries: Vec<Query> = keys
        .iter()
        .map(|key| match Query::compile(key) {
            Ok(query) => query,
            Err(error) => panic!("{key}: {error}"),
        })
        .collect();
    for (key, query) in keys.iter().zip(&queries) {
        let start = Instant::now();
        for _ in 0..ROUNDS {
            let outcome = query.run(black_box(&input));
            black_box(Operator::In.matches(&outcome, &values));
        }
        report(key, start, ROUNDS);
    }

    // One pod event as the engine sees it: a new object version and the four keys kwok's
    // pod Stages use, all evaluated directly.
    let start = Instant::now();
    for _ in 0..ROUNDS / 10 {
        let input = Input::new(black_box(&pod));
        for query in &queries[..4] {
            black_box(Operator::In.matches(&query.run(&input), &values));
        }
    }
    report(
        "pod event: Input::new and the four keys in use",
        start,
        ROUNDS / 10,
    );

    // A key that needs jaq pays, on each new version, for converting the object once.
    let start = Instant::now();
    for _ in 0..ROUNDS / 10 {
        let input = Input::new(black_box(&pod));
        black_box(queries[4].run(&input));
    }
    report(
        "Input::new and a first jaq key, conversion included",
        start,
        ROUNDS / 10,
    );
}

fn report(what: &str, start: Instant, rounds: u32) {
    let ns = start.elapsed().as_nanos() / u128::from(rounds);
    println!("{ns:>7} ns  {what}");
}
