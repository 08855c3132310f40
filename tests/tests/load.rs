//! The loader through its public API: files and directories, the Objects input, and the
//! rendering of diagnostics.

use std::path::{Path, PathBuf};

use serde_json::json;
use stage_engine::diagnostic::Severity;
use stage_engine::load::{self, load_objects, load_paths, load_stages};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(rel)
}

fn stage(name: &str) -> String {
    format!(
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: {name}\nspec:\n  \
         resourceRef: {{apiGroup: v1, kind: Pod}}\n  selector: {{}}\n"
    )
}

/// A fresh directory under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("stage-load-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn names(result: &load::LoadResult) -> Vec<&str> {
    result.stages.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn directories_are_read_in_name_order_without_recursion() {
    let dir = TempDir::new("order");
    dir.write("b.yaml", &stage("b"));
    dir.write("a.yml", &stage("a"));
    dir.write("c.json", r#"{"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "Stage", "metadata": {"name": "c"}, "spec": {"resourceRef": {"apiGroup": "v1", "kind": "Pod"}, "selector": {}}}"#);
    dir.write("d.txt", &stage("d"));
    dir.write("sub/e.yaml", &stage("e"));

    let flat = load_paths(std::slice::from_ref(&dir.0), false);
    assert_eq!(names(&flat), ["a", "b", "c"]);
    assert!(flat.diagnostics.is_empty(), "{:?}", flat.diagnostics);

    let deep = load_paths(std::slice::from_ref(&dir.0), true);
    assert_eq!(names(&deep), ["a", "b", "c", "e"]);
}

#[test]
fn a_file_named_directly_is_read_whatever_its_extension() {
    let dir = TempDir::new("direct");
    let txt = dir.write("d.txt", &stage("d"));
    let yaml = dir.write("a.yaml", &stage("a"));
    let result = load_paths(&[txt, yaml], false);
    assert_eq!(names(&result), ["d", "a"]);
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let result = load_paths(&[PathBuf::from("/nonexistent/stages.yaml")], false);
    assert!(result.stages.is_empty());
    assert_eq!(result.diagnostics.len(), 1);
    let header = result.diagnostics[0].to_string();
    assert!(
        header.starts_with("/nonexistent/stages.yaml: error: cannot read the file: "),
        "{header}"
    );
}

#[test]
fn kwok_general_pod_stages_load_in_file_order() {
    let result = load_paths(&[shared("kwok-stages/kustomize/stage/pod/general")], false);
    assert_eq!(
        names(&result),
        [
            "pod-complete",
            "pod-create",
            "pod-delete",
            "pod-init-container-completed",
            "pod-init-container-running",
            "pod-ready"
        ]
    );
    // The kustomization is the only other document.
    assert_eq!(result.diagnostics.len(), 1);
    assert_eq!(result.diagnostics[0].severity, Severity::Note);
    assert!(!result.has_errors());
}

#[test]
fn rendered_diagnostics_show_the_line_and_a_caret() {
    let source = format!("{}  nxt: {{}}\n", stage("s"));
    let result = load_stages(&source, "stages.yaml");
    assert_eq!(
        result.render_diagnostics(),
        "stages.yaml:8:3: error: unknown field \"nxt\" in spec (kwok ignores this field; the API \
         server rejects it)\n8 |   nxt: {}\n  |   ^\n"
    );
}

#[test]
fn diagnostics_serialise_for_the_page() {
    let source = format!("{}  weight: x\n", stage("s"));
    let result = load_stages(&source, "stages");
    let json = serde_json::to_value(&result.diagnostics).unwrap();
    assert_eq!(
        json,
        json!([{
            "severity": "error", "file": "stages", "mark": {"line": 8, "column": 11},
            "path": "spec.weight", "message": "spec.weight: must be of type integer, not string"
        }])
    );
}

#[test]
fn objects_load_as_json_with_origins() {
    let source = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ns\n  labels: \
                  {a: yes}\nspec:\n  count: 017\n---\napiVersion: v1\nkind: Node\nmetadata: {name: \
                  n1}\n";
    let (objects, diagnostics) = load_objects(source, "objects.yaml");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(objects.len(), 2);
    let pod = &objects[0];
    assert_eq!(
        (
            pod.kind.as_str(),
            pod.name.as_str(),
            pod.namespace.as_deref()
        ),
        ("Pod", "p", Some("ns"))
    );
    assert_eq!(pod.object["metadata"]["labels"]["a"], json!(true));
    assert_eq!(pod.object["spec"]["count"], json!(15));
    assert_eq!(
        (pod.origin.file.as_str(), pod.origin.mark.line),
        ("objects.yaml", 1)
    );
    let node = &objects[1];
    assert_eq!(
        (
            node.kind.as_str(),
            node.namespace.as_deref(),
            node.origin.mark.line
        ),
        ("Node", None, 10)
    );
}

#[test]
fn object_lists_are_expanded() {
    let source = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: \
                  {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n";
    let (objects, diagnostics) = load_objects(source, "o.yaml");
    assert!(diagnostics.is_empty());
    let names: Vec<(&str, usize)> = objects
        .iter()
        .map(|o| (o.name.as_str(), o.origin.mark.line))
        .collect();
    assert_eq!(names, [("a", 4), ("b", 7)]);

    let typed = "apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: c}}\n";
    assert_eq!(load_objects(typed, "o.yaml").0[0].name, "c");
}

#[test]
fn objects_need_api_version_kind_and_name() {
    let source = "kind: Pod\nmetadata: {}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: \
                  ok}\n---\n- 1\n";
    let (objects, diagnostics) = load_objects(source, "o.yaml");
    assert_eq!(objects.len(), 1);
    let headers: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        headers,
        [
            "o.yaml:1:1: error: apiVersion: missing required field (an object needs apiVersion, \
             kind and metadata.name)",
            "o.yaml:2:11: error: metadata.name: missing required field (an object needs \
             apiVersion, kind and metadata.name)",
            "o.yaml:8:1: error: an object must be a mapping with apiVersion, kind and metadata",
        ]
    );

    // YAML 1.1 reads an unquoted n as false.
    let (objects, diagnostics) = load_objects(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n",
        "o.yaml",
    );
    assert!(objects.is_empty());
    assert_eq!(
        diagnostics[0].to_string(),
        "o.yaml:3:18: error: metadata.name: must be of type string, not boolean"
    );
}

#[test]
fn objects_from_kwok_docs_load() {
    let path = shared("kwok-stages/objects/test/lifecycle/fake-pod-stages.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let (objects, diagnostics) = load_objects(&source, "fake-pod-stages.yaml");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let kinds: Vec<&str> = objects.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(kinds, ["Deployment", "Deployment", "Job"]);
}

/// Every prefix of a real Stage file, and the file with each line removed, loads without a
/// panic: broken input gets diagnostics, never a crash.
#[test]
fn damaged_stage_files_never_panic() {
    for rel in [
        "kwok-stages/kustomize/stage/pod/general/pod-ready.yaml",
        "kwok-stages/kustomize/stage/volume/fast/pvc-provision.yaml",
        "field-stages/simkube-pod-ready.yaml",
    ] {
        let source = std::fs::read_to_string(shared(rel)).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for i in 0..lines.len() {
            let prefix = lines[..i].join("\n");
            let _ = load_stages(&prefix, rel);
            let without: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, l)| *l)
                .collect();
            let result = load_stages(&without.join("\n"), rel);
            // A damaged Stage either loads or says why not.
            assert!(
                !result.stages.is_empty() || !result.diagnostics.is_empty(),
                "{rel} without line {i}"
            );
        }
    }
}
