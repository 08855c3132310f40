//! Every template in kwok's shipped Stages and in the field Stages parses with kwok's
//! function names, and renders over a sample object without a panic.

mod support;

use std::path::{Path, PathBuf};

use stage_gotpl::{Func, Funcs, Param, Template, Value};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The stand-in functions plus the remaining kwok names, so that every template parses.
fn kwok_funcs() -> Funcs {
    let mut f = support::funcs();
    for name in ["StartTime", "Version", "NodeName", "PodIP"] {
        f.insert(name, Func::new(&[], |_| Ok(Value::str("x"))));
    }
    f.insert("NodePort", Func::new(&[], |_| Ok(Value::Int(0))));
    f.insert(
        "NodeConditions",
        Func::new(&[], |_| Ok(Value::from(Vec::new()))),
    );
    f.insert(
        "YAML",
        Func::variadic(&[Param::Any, Param::Int], |a| {
            Ok(Value::from(a[0].to_go_string()))
        }),
    );
    f.insert(
        "PodIPWith",
        Func::new(
            &[
                Param::String,
                Param::Bool,
                Param::String,
                Param::String,
                Param::String,
            ],
            |_| Ok(Value::str("10.100.0.1")),
        ),
    );
    f
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "testdata") {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn templates(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("statusTemplate" | "template", serde_json::Value::String(t)) => {
                        out.push(t.trim().to_string())
                    }
                    _ => templates(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| templates(v, out)),
        _ => {}
    }
}

#[test]
fn shipped_and_field_templates_parse_and_render() {
    let mut files = Vec::new();
    yaml_files(&shared().join("kwok-stages/kustomize/stage"), &mut files);
    yaml_files(&shared().join("field-stages"), &mut files);
    let funcs = kwok_funcs();
    let pod = Value::from_json(&serde_json::json!({
        "metadata": {"name": "p", "namespace": "n", "uid": "u"},
        "spec": {"nodeName": "node", "containers": [{"name": "c", "image": "i"}], "initContainers": [{"name": "i", "image": "i"}]},
        "status": {"phase": "Running", "containerStatuses": [{"name": "c"}], "initContainerStatuses": [{"name": "i"}]}
    }));
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for doc in stage_yaml::parse_stream(&text).unwrap() {
            let mut found = Vec::new();
            templates(&doc.root.to_json(), &mut found);
            for tpl in found {
                count += 1;
                let t = Template::parse("_", &tpl, &funcs)
                    .unwrap_or_else(|e| panic!("{}: {}", file.display(), e.message));
                if let Err(e) = t.execute(&pod, &funcs)
                    && std::env::var_os("SHOW_RENDER_ERRORS").is_some()
                {
                    eprintln!("{}: {}", file.display(), e.message);
                }
            }
        }
    }
    assert!(count >= 10, "only {count} templates found");
}
