//! kwok's own stage testdata as a conformance suite: every `*.input.yaml` under
//! `shared/kwok-stages` (current and historical sets) must give its `*.output.yaml`,
//! compared as YAML values. The Stages are the YAML files two levels up, as kwok's harness
//! takes them.

use std::path::{Path, PathBuf};

use serde_json::Value;
use stage_engine::load;
use stage_engine::testdata::harness_output;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/kwok-stages")
}

/// Every `*.input.yaml` below `dir`, sorted.
fn inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            inputs(&entry, out);
        } else if entry.to_string_lossy().ends_with(".input.yaml") {
            out.push(entry);
        }
    }
}

/// The harness output for one input file, or the error text.
fn run(input: &Path) -> Result<Value, String> {
    let stage_dir = input
        .parent()
        .and_then(Path::parent)
        .expect("input below a testdata folder");
    let loaded = load::load_paths(&[stage_dir.to_path_buf()], false);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());

    let name = input.display().to_string();
    let source = std::fs::read_to_string(input).unwrap();
    let (objects, diagnostics) = load::load_objects(&source, &name);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    assert_eq!(objects.len(), 1, "{name}");
    harness_output(&objects[0].object, &loaded.stages).map_err(|e| e.to_string())
}

fn expected(input: &Path) -> Value {
    let text = input.to_string_lossy();
    let output = PathBuf::from(format!(
        "{}.output.yaml",
        &text[..text.len() - ".input.yaml".len()]
    ));
    let source =
        std::fs::read_to_string(&output).unwrap_or_else(|e| panic!("{}: {e}", output.display()));
    stage_yaml::parse_value(&source).unwrap_or_else(|e| panic!("{}: {e}", output.display()))
}

/// `volume/fast` selects with CEL only, which the engine does not evaluate yet.
fn needs_cel(input: &Path) -> bool {
    input.to_string_lossy().contains("/volume/fast/")
}

#[test]
fn every_kwok_testdata_pair_is_reproduced() {
    let mut files = Vec::new();
    inputs(&shared(), &mut files);
    assert!(files.len() >= 21, "found only {} inputs", files.len());

    let mut failures = Vec::new();
    let mut compared = 0;
    for input in files.iter().filter(|f| !needs_cel(f)) {
        let want = expected(input);
        match run(input) {
            Ok(got) if got == want => compared += 1,
            Ok(got) => failures.push(format!(
                "{}:\n  expected {}\n  got      {}",
                input.display(),
                want,
                got
            )),
            Err(error) => failures.push(format!("{}: {error}", input.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        compared + failures.len(),
        failures.join("\n")
    );
    assert_eq!(compared, 17);
}

#[test]
fn volume_stages_report_cel_as_not_supported() {
    let mut files = Vec::new();
    inputs(&shared().join("kustomize/stage/volume/fast"), &mut files);
    assert_eq!(files.len(), 4);
    for input in &files {
        let error = run(input).expect_err("CEL selectors cannot be evaluated yet");
        assert!(
            error.contains("CEL expressions are not supported yet"),
            "{}: {error}",
            input.display()
        );
        assert!(error.starts_with("stage "), "{error}");
    }
}

#[test]
fn printed_yaml_is_byte_for_byte_kwok_s() {
    let mut files = Vec::new();
    inputs(&shared(), &mut files);
    for input in files.iter().filter(|f| !needs_cel(f)) {
        let got = stage_yaml::to_string(&run(input).unwrap());
        let text = input.to_string_lossy();
        let output = format!("{}.output.yaml", &text[..text.len() - ".input.yaml".len()]);
        let want = std::fs::read_to_string(&output).unwrap();
        assert_eq!(got, want, "{output}");
    }
}
