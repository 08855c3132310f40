//! 100,000 pods on 100 nodes through kwok's pod/general Stages until every pod is Running,
//! with the timeline in summary mode. Prints the run's time and its peak heap, counted by
//! a global allocator that wraps mimalloc (as `stage-sim` uses) and tracks live bytes. The peak counts the input objects too: the
//! run is handed them and frees each once the store holds its own version.
//!
//! Targets: under 5 s, and under 4 KB of peak heap per settled pod.
//! Run with `cargo bench -p stage-engine --bench sim_100k`; `SIM_PODS=N` changes the count.

use std::alloc::{GlobalAlloc, Layout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use mimalloc::MiMalloc;
use serde_json::{Value, json};
use stage_engine::sim::{self, SimOptions};
use stage_engine::timeline::{Detail, Entry};

/// mimalloc, counting live and peak bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to mimalloc.
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if !pointer.is_null() {
            grow(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to mimalloc.
        unsafe { MiMalloc.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged to mimalloc.
        let moved = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grow(new_size);
        }
        moved
    }
}

fn grow(size: usize) {
    CALLS.fetch_add(1, Ordering::Relaxed);
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const STAGES: [&str; 6] = [
    "pod-create",
    "pod-init-container-running",
    "pod-init-container-completed",
    "pod-ready",
    "pod-complete",
    "pod-delete",
];

fn main() {
    let pods: usize = std::env::var("SIM_PODS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let nodes = 100;
    let before_inputs = LIVE.load(Ordering::Relaxed);

    // Inputs, outside the measurement.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kwok-stages/kustomize/stage/pod/general");
    let paths: Vec<PathBuf> = STAGES
        .iter()
        .map(|s| dir.join(format!("{s}.yaml")))
        .collect();
    let loaded = stage_engine::load::load_paths(&paths, false);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let stages = loaded.stages;
    let stages_bytes = LIVE.load(Ordering::Relaxed).saturating_sub(before_inputs);
    let mut objects: Vec<Value> = (0..nodes)
        .map(|n| json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": format!("node-{n}")}}))
        .collect();
    objects.extend((0..pods).map(|p| {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": format!("pod-{p}"), "namespace": "default", "labels": {"app": "bench"}},
            "spec": {
                "nodeName": format!("node-{}", p % nodes),
                "containers": [{"name": "app", "image": "nginx:1.25"}],
            },
        })
    }));
    let options = SimOptions {
        start: 1_704_067_200_000_000_000,
        seed: 1,
        detail: Detail::Summary,
        ..SimOptions::default()
    };

    // The run.
    let baseline = before_inputs + stages_bytes;
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    CALLS.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let timeline = sim::run(&stages, objects, Vec::new(), options).expect("the run failed");
    let elapsed = started.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(baseline);
    let kept = LIVE
        .load(Ordering::Relaxed)
        .saturating_sub(before_inputs + stages_bytes);

    // Every pod must have settled Running.
    let settled = timeline
        .entries
        .iter()
        .filter(|e| matches!(e, Entry::Settled(s) if s.key.starts_with("Pod/")))
        .count();
    let plays = timeline.plays().count();
    let last_stages: std::collections::BTreeMap<&str, &str> = timeline
        .plays()
        .filter(|p| p.key.starts_with("Pod/"))
        .map(|p| (p.key.as_str(), p.stage.as_str()))
        .collect();
    let running = last_stages
        .values()
        .filter(|s| **s == "pod-ready" || **s == "pod-complete")
        .count();

    println!("allocator: mimalloc (live bytes counted by the bench)");
    println!(
        "pods: {pods} on {nodes} nodes, plays: {plays}, settled pods: {settled}, running: {running}"
    );
    println!(
        "stop: {:?} at {}",
        timeline.stop.reason,
        stage_kube::time::format_nanos(timeline.stop.at.0)
    );
    println!("time: {:.3} s (target < 5 s)", elapsed.as_secs_f64());
    println!(
        "per play: {:.1} µs over {plays} plays",
        elapsed.as_secs_f64() * 1e6 / plays.max(1) as f64
    );
    println!(
        "peak heap: {:.1} MB, {} bytes per pod (target < 4096), {} allocations",
        peak as f64 / 1e6,
        peak / pods.max(1),
        CALLS.load(Ordering::Relaxed)
    );
    println!(
        "kept after the run (timeline and stages): {} bytes per pod",
        kept / pods.max(1)
    );
    assert_eq!(running, pods, "not every pod reached Running");
}
