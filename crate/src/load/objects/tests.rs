//! The objects read straight to JSON against the event path's, over shipped files and edge
//! cases: the same objects, origins and reports either way.

use super::{Read, load_objects, load_stream, read_object};

/// Loads `source` both ways and checks they agree; returns how many documents the block
/// reader takes as objects, so that a case can say which way it went. (When another part
/// fails to parse, the whole stream still goes to the event path.)
fn agree(source: &str) -> usize {
    assert_eq!(
        load_objects(source, "o.yaml"),
        load_stream(source, "o.yaml"),
        "{source:?}"
    );
    stage_yaml::split_stream(source).map_or(0, |parts| {
        let read_here = |part: &stage_yaml::Part| {
            part.read().is_some_and(|(value, mark)| {
                matches!(read_object(value, mark, ""), Read::Object(_))
            })
        };
        parts.iter().filter(|part| read_here(part)).count()
    })
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n";

/// Pods as the page's 10,000-pod measurement writes them: a node, then plain pods, pods
/// with a sidecar and pods owned by a Job.
fn pods(count: usize) -> String {
    let mut docs = vec![
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-0\n  annotations:\n    \
         kwok.x-k8s.io/node: fake\n  labels:\n    kubernetes.io/hostname: node-0\n    \
         type: kwok\nspec: {}"
            .to_string(),
    ];
    for n in 0..count {
        let mut pod = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{n}\n  namespace: default\n"
        );
        if n % 3 == 2 {
            pod += &format!(
                "  ownerReferences:\n  - apiVersion: batch/v1\n    kind: Job\n    name: \
                 job-{n}\n    uid: 00000000-0000-4000-8000-{n:012}\n    controller: true\n"
            );
        }
        pod += "spec:\n  nodeName: node-0\n";
        if n % 3 == 2 {
            pod += "  restartPolicy: Never\n";
        }
        pod += "  containers:\n  - name: main\n    image: busybox:1.36";
        if n % 3 == 1 {
            pod += "\n  - name: sidecar\n    image: busybox:1.36";
        }
        docs.push(pod);
    }
    docs.join("\n---\n") + "\n"
}

#[test]
fn generated_pods_are_read_here() {
    assert_eq!(agree(&pods(30)), 31);
    let (objects, diagnostics) = load_objects(&pods(30), "o.yaml");
    assert_eq!((objects.len(), diagnostics.len()), (31, 0));
}

#[test]
fn edge_cases_agree() {
    for (source, read_here) in [
        ("", 0),
        (POD, 1),
        (&format!("{POD}---\n{POD}---\n---\n\n"), 2),
        (&format!("# objects\n---\n{POD}  # a comment line\n"), 1),
        // YAML 1.1 scalars and quoting.
        (
            &format!("{POD}  labels:\n    a: yes\n    b: 017\n    c: '1'\n    d: ~\n"),
            1,
        ),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: yes\n", 0),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: 017\n", 0),
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"017\"\n  namespace: 5\n",
            1,
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ''\n",
            1,
        ),
        // Missing or empty required fields are reported by the event path.
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\n", 0),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ''\n", 0),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n", 0),
        ("apiVersion: v1\nkind: ~\nmetadata:\n  name: p\n", 0),
        ("kind: Pod\nmetadata:\n  name: p\n", 0),
        ("- a\n- b\n", 0),
        ("just text\n", 0),
        // Duplicate keys warn, on the event path.
        (&format!("{POD}  name: q\n---\n{POD}"), 1),
        // Lists, typed or not.
        (
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n",
            0,
        ),
        ("apiVersion: v1\nkind: PodList\nitems: []\n", 0),
        ("apiVersion: v1\nkind: NotAList\nmetadata:\n  name: x\n", 0),
        ("apiVersion: v1\nkind: Listing\nmetadata:\n  name: x\n", 1),
        // `---` inside strings, and separators carrying text.
        (&format!("{POD}  labels:\n    a: \"--- x\"\n"), 1),
        (
            &format!("{POD}  annotations:\n    a: |\n      ---\n      x\n"),
            0,
        ),
        (&format!("--- # first\n{POD}--- !!map\n{POD}"), 0),
        // A syntax error anywhere is the whole stream's.
        (&format!("{POD}---\n{POD}  labels: [\n---\n{POD}"), 2),
        (&format!("{POD}---\na: b: c\n"), 1),
        // Aliases, directives and document ends send the whole stream to the event path.
        (
            &format!("{POD}  labels: &l\n    a: b\n---\n{POD}  labels: *l\n"),
            0,
        ),
        (&format!("%YAML 1.1\n---\n{POD}"), 0),
        (&format!("{POD}...\n---\n{POD}"), 0),
        // Indented roots and documents after blank lines keep their places.
        (
            "\n\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n",
            1,
        ),
        (&format!("{POD}---\n\n\n{POD}"), 2),
        (&format!("{POD}---\r\n{POD}"), 2),
        (&format!("{POD}  uid: é\n---\n{POD}"), 1),
    ] {
        assert_eq!(agree(source), read_here, "{source:?}");
    }
}

#[test]
fn shipped_files_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![
        root.join("../shared/kwok-stages"),
        root.join("../shared/field-stages"),
        root.join("web/presets"),
    ];
    let (mut files, mut read_here) = (0, 0);
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files += 1;
                read_here += agree(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    assert!(files > 100, "only {files} files found");
    assert!(read_here > 0, "no shipped document was read here");
}
