//! One pod event on kwok's `pod/fast` Stages: match the three Stages, choose one, compute
//! its delay and render pod-ready's status. kwok needs 170-210 µs for the match alone.
//! The bench allocates through mimalloc, as `stage-sim` does.

use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use stage_engine::config::ControllerConfig;
use stage_engine::delay::delay_plan;
use stage_engine::funcs::{FuncContext, FunctionSet, NoNodes, build_funcs};
use stage_engine::ippool::IpPools;
use stage_engine::load;
use stage_engine::model::Stage;
use stage_engine::render::RenderContext;
use stage_engine::select::{ObjectView, match_stage, stage_matches};
use stage_engine::weight::choose;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const POD: &str = r#"{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web-0", "namespace": "default", "uid": "5f0e3a4c-1111-4a2b-9c3d-000000000001",
               "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"app": "web"}},
  "spec": {"nodeName": "kwok-node-0",
           "containers": [{"name": "app", "image": "nginx:1.25"}, {"name": "sidecar", "image": "busybox:1.36"}]},
  "status": {"phase": "Pending"}
}"#;

const NOW: i64 = 1_704_067_210_000_000_000;

struct Clock;

impl stage_gotpl::Env for Clock {
    fn now(&self) -> i64 {
        NOW
    }

    fn next_u64(&self) -> u64 {
        4
    }
}

fn stages() -> Vec<Stage> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kwok-stages/kustomize/stage/pod/fast");
    let loaded = load::load_paths(&[dir], false);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    assert_eq!(loaded.stages.len(), 3);
    loaded.stages
}

/// Everything kwok does for one event before the play, plus the play's render. The view
/// shares the stored version, as the loop's does; the match is the one a summary run uses.
fn pod_event(stages: &[Stage], pod: &Rc<serde_json::Value>, context: &mut RenderContext) -> usize {
    let view = ObjectView::new(Rc::clone(pod));
    let matched: Vec<&Stage> = stages
        .iter()
        .filter(|s| stage_matches(s, &view) == Ok(true))
        .collect();
    let Ok(Some(choice)) = choose(&matched, &view) else {
        panic!("pod-ready should match");
    };
    let stage = matched[choice.candidates()[0]];
    let delay = delay_plan(stage.delay.as_ref(), &view, NOW).map(|plan| plan.possible());
    let template = stage
        .steps
        .iter()
        .find_map(|s| s.patch.as_ref())
        .map(|p| &p.template);
    let rendered = template.map(|t| context.render(t, &view));
    black_box(delay).map_or(0, |d| d.len())
        + black_box(rendered).map_or(0, |r| r.map_or(0, |r| r.text.len()))
}

fn bench(c: &mut Criterion) {
    let stages = stages();
    let pod: Rc<serde_json::Value> =
        Rc::new(serde_json::from_str(POD).expect("the pod is valid JSON"));
    let funcs = FuncContext {
        config: ControllerConfig::default(),
        start_time: NOW,
        env: Rc::new(Clock),
        nodes: Rc::new(NoNodes),
        pools: Rc::new(RefCell::new(IpPools::new())),
    };
    let mut context = RenderContext::new(build_funcs(FunctionSet::Pod, &funcs));
    assert!(pod_event(&stages, &pod, &mut context) > 0);

    c.bench_function("pod_event/pod-fast", |b| {
        b.iter(|| pod_event(&stages, black_box(&pod), &mut context))
    });

    // The parts, to see where the time goes.
    c.bench_function("pod_event/view", |b| {
        b.iter(|| {
            let view = ObjectView::new(Rc::clone(black_box(&pod)));
            black_box(view.jq());
        })
    });
    let view = ObjectView::new(Rc::clone(&pod));
    black_box(view.jq());
    c.bench_function("pod_event/match_fast", |b| {
        b.iter(|| {
            stages
                .iter()
                .filter(|s| stage_matches(s, black_box(&view)) == Ok(true))
                .count()
        })
    });
    c.bench_function("pod_event/match_explained", |b| {
        b.iter(|| {
            stages
                .iter()
                .filter(|s| match_stage(s, black_box(&view)).matched())
                .count()
        })
    });
    let ready = stages
        .iter()
        .find(|s| s.name == "pod-ready")
        .expect("pod-ready is loaded");
    let template = ready
        .steps
        .iter()
        .find_map(|s| s.patch.as_ref())
        .map(|p| p.template.clone());
    let template = template.expect("pod-ready has a status template");
    c.bench_function("pod_event/render_text", |b| {
        b.iter(|| context.render_text(&template, black_box(&view)))
    });
    let text = context
        .render_text(&template, &view)
        .expect("pod-ready renders");
    c.bench_function("pod_event/yaml", |b| {
        b.iter(|| stage_yaml::parse_value(black_box(&text)))
    });

    // Plain figures for logs and the report, besides criterion's own summary.
    let figures = [
        (
            "view",
            per_op(&mut || {
                let view = ObjectView::new(Rc::clone(black_box(&pod)));
                black_box(view.jq());
            }),
        ),
        (
            "match_fast",
            per_op(&mut || {
                black_box(
                    stages
                        .iter()
                        .filter(|s| stage_matches(s, black_box(&view)) == Ok(true))
                        .count(),
                );
            }),
        ),
        (
            "render_text",
            per_op(&mut || {
                black_box(context.render_text(&template, black_box(&view)).is_ok());
            }),
        ),
        (
            "yaml",
            per_op(&mut || {
                black_box(stage_yaml::parse_value(black_box(&text)).is_ok());
            }),
        ),
        (
            "pod-fast",
            per_op(&mut || {
                black_box(pod_event(&stages, &pod, &mut context));
            }),
        ),
    ];
    println!("pod_event allocator: mimalloc");
    for (name, ns) in figures {
        println!("pod_event/{name}: {ns} ns per operation");
    }
    println!("pod_event/pod-fast target: 10000 ns per operation");
}

/// The mean time of one run of `run` over a fixed number of runs, after a few to warm up.
fn per_op(run: &mut dyn FnMut()) -> u128 {
    const RUNS: u32 = 2000;
    for _ in 0..RUNS / 10 {
        run();
    }
    let start = std::time::Instant::now();
    for _ in 0..RUNS {
        run();
    }
    start.elapsed().as_nanos() / u128::from(RUNS)
}

criterion_group!(benches, bench);
criterion_main!(benches);
