//! Every template in kwok's shipped Stages and in the field Stages parses with kwok's
//! function names, and renders over a sample object without a panic.

mod support;

use stage_gotpl::{Template, Value};

use support::{kwok_funcs, shared, templates, yaml_files};

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
