//! Helpers shared by the template tests: stand-ins for kwok's functions and one-call renders.

#![allow(dead_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use stage_gotpl::value::{go_json, go_quote};
use stage_gotpl::{Env, Func, Funcs, Param, Template, Value};

/// A fixed clock (2024-01-01T00:00:10Z) and a counting generator.
pub struct FixedEnv {
    pub now: i64,
    pub counter: Cell<u64>,
}

impl Env for FixedEnv {
    fn now(&self) -> i64 {
        self.now
    }
    fn next_u64(&self) -> u64 {
        let n = self
            .counter
            .get()
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.counter.set(n);
        n
    }
}

pub fn env() -> Rc<FixedEnv> {
    Rc::new(FixedEnv {
        now: 1_704_067_210_000_000_000,
        counter: Cell::new(1),
    })
}

/// kwok's `Quote`: JSON text when it is a JSON string, else the Go-quoted JSON text.
pub fn quote(v: &Value) -> String {
    let json = go_json(v, true);
    if json.starts_with('"') {
        return json;
    }
    go_quote(&json)
}

/// sprig's functions plus stand-ins for the kwok functions the shipped Stages use.
pub fn funcs() -> Funcs {
    let mut f = Funcs::new();
    stage_gotpl::sprig::register(&mut f, env());
    f.insert(
        "Now",
        Func::new(&[], |_| Ok(Value::str("2024-01-01T00:00:10Z"))),
    );
    f.insert(
        "Quote",
        Func::new(&[Param::Any], |a| Ok(Value::from(quote(&a[0])))),
    );
    f.insert("NodeIP", Func::new(&[], |_| Ok(Value::str("10.0.0.1"))));
    f.insert(
        "NodeIPWith",
        Func::new(&[Param::String], |_| Ok(Value::str("10.0.0.1"))),
    );
    f.insert(
        "NodeIPsWith",
        Func::new(&[Param::String], |_| {
            Ok(Value::from(vec![Value::str("10.0.0.1")]))
        }),
    );
    f.insert(
        "PodIPsWith",
        Func::new(
            &[
                Param::String,
                Param::Bool,
                Param::String,
                Param::String,
                Param::String,
            ],
            |_| Ok(Value::from(vec![Value::str("10.100.0.1")])),
        ),
    );
    f.insert(
        "Fail",
        Func::new(&[Param::String], |a| Err(a[0].to_go_string())),
    );
    f
}

/// Parses and executes `tpl` over the JSON `data`; an error comes back as its message.
pub fn render(tpl: &str, data: &str) -> Result<String, String> {
    let funcs = funcs();
    let json: serde_json::Value =
        serde_json::from_str(data).map_err(|e| format!("bad test data: {e}"))?;
    let t = Template::parse("_", tpl, &funcs).map_err(|e| e.message)?;
    t.execute(&Value::from_json(&json), &funcs)
        .map_err(|e| e.message)
}

/// The folder of shared inputs: kwok's Stages, the field Stages and the recorded cases.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The stand-in functions plus the remaining kwok names, so that every template parses.
pub fn kwok_funcs() -> Funcs {
    let mut f = funcs();
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

/// Every YAML file below `dir`, kwok's `testdata` folders left out.
pub fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
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

/// Every template text (`statusTemplate` or `template`) in a Stage document, trimmed.
pub fn templates(json: &serde_json::Value, out: &mut Vec<String>) {
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

/// Every template of kwok's shipped Stages and of the field Stages, with its file.
pub fn shipped_templates() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    yaml_files(&shared().join("kwok-stages/kustomize/stage"), &mut files);
    yaml_files(&shared().join("field-stages"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for doc in stage_yaml::parse_stream(&text).unwrap() {
            let mut texts = Vec::new();
            templates(&doc.root.to_json(), &mut texts);
            found.extend(texts.into_iter().map(|text| (file.clone(), text)));
        }
    }
    found
}
