//! Renders pod/fast's pod-ready statusTemplate for a two-container pod and prints the
//! time per render. The template is parsed once and executed many times, as the engine does.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

use stage_gotpl::{Template, Value};

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/kwok-stages/kustomize/stage/pod/fast/pod-ready.yaml"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let marker = "statusTemplate: |\n";
    let start = text.find(marker).map_or(0, |i| i + marker.len());
    let body: Vec<&str> = text[start..]
        .lines()
        .map(|l| l.get(6..).unwrap_or(""))
        .collect();
    let tpl = body.join("\n").trim().to_string();

    let funcs = support::funcs();
    let template = match Template::parse("_", &tpl, &funcs) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let pod = Value::from_json(&serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "5f0e3a4c-1111-4a2b-9c3d-000000000001"},
        "spec": {"nodeName": "kwok-node-0", "containers": [
            {"name": "app", "image": "nginx:1.25"}, {"name": "sidecar", "image": "busybox:1.36"}]},
        "status": {"phase": "Pending"}
    }));

    let rounds = 20_000;
    let mut bytes = 0;
    for _ in 0..1_000 {
        bytes += template.execute(&pod, &funcs).map_or(0, |s| s.len());
    }
    let started = Instant::now();
    let cpu_start = cpu_nanos();
    for _ in 0..rounds {
        bytes += template.execute(&pod, &funcs).map_or(0, |s| s.len());
    }
    let per = started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
    println!("pod-ready render: {per:.2} µs per render, wall clock ({bytes} bytes written)");
    if let (Some(a), Some(b)) = (cpu_start, cpu_nanos()) {
        // On a shared machine the wall clock includes time spent waiting for a core.
        println!(
            "pod-ready render: {:.2} µs per render, on-CPU time",
            (b - a) as f64 / 1e3 / f64::from(rounds)
        );
    }
}

/// The thread's on-CPU time in nanoseconds, where Linux reports it.
fn cpu_nanos() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
