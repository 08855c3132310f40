//! Rendering a JSON object converts only the parts the template can read: the result (text
//! or error) must be the one the whole object gives, and the cut-down data must hold no
//! more than the reads name.

mod support;

use serde_json::json;
use stage_gotpl::{Template, Value};

fn pod() -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "u-1",
            "labels": {"app": "web"}, "annotations": {"a": "1"}},
        "spec": {"nodeName": "node-0", "hostNetwork": false,
            "containers": [{"name": "app", "image": "nginx"}, {"name": "side", "image": "busybox"}]},
        "status": {"phase": "Pending", "containerStatuses": [{"name": "app", "ready": false}],
            "podIP": null, "count": 0}
    })
}

/// The same answer from the whole object and from the cut-down one.
fn same(template: &str, object: &serde_json::Value) {
    let funcs = support::funcs();
    let parsed = Template::parse("_", template, &funcs).unwrap();
    let whole = parsed.execute(&Value::from_json(object), &funcs);
    let cut = parsed.execute_json(object, &funcs);
    assert_eq!(cut, whole, "{template}");
}

#[test]
fn every_way_of_reading_gives_the_whole_objects_answer() {
    let object = pod();
    for template in [
        "{{ .spec.nodeName }} {{ .metadata.name | Quote }}",
        "{{ $root := . }}{{ range $i, $c := .spec.containers }}{{ $c.name }}={{ (index $root.status.containerStatuses 0).name }} {{ end }}",
        "{{ $.metadata.labels.app }} {{ $.metadata.missing }} {{ .spec.missing.deeper }}",
        "{{ . }}",
        "{{ .metadata }}",
        "{{ len .metadata.labels }} {{ range $k, $v := .metadata.annotations }}{{ $k }}{{ $v }}{{ end }}",
        "{{ with .spec }}{{ .nodeName }} {{ .containers }}{{ end }}",
        "{{ with .spec.missing }}x{{ else }}{{ .kind }}{{ end }}",
        "{{ if .status.podIP }}ip{{ else }}{{ .status.phase }}{{ end }} {{ if .status.count }}zero is true{{ end }}",
        "{{ $r := . }}{{ $r = .spec }}{{ $r.nodeName }}",
        "{{ $r := . }}{{ $r.kind }}{{ $r = .spec }}{{ $r.nodeName }}",
        "{{ $r := .spec }}{{ $r.nodeName }} {{ $r }}",
        "{{ $x := $ }}{{ $x.kind }} {{ $x }}",
        "{{ range .spec.containers }}{{ .name }} {{ $.metadata.uid }} {{ end }}",
        "{{ (.spec).nodeName }} {{ (index .spec.containers 1).image }}",
        "{{ .spec.nodeName.deeper }}",
        "{{ .status.podIP.deeper }}",
        "{{ .spec.containers.name }}",
        "{{ toJson .status }} {{ .status.containerStatuses | len }}",
        "{{ define \"t\" }}{{ .metadata.name }}{{ end }}{{ template \"t\" . }}",
        "{{ template \"missing\" }}",
        "{{ $r := . }}{{ range $r.spec.containers }}{{ $r := . }}{{ $r.name }}{{ end }}{{ $r.kind }}",
    ] {
        same(template, &object);
    }
    same("{{ .a.b }}", &json!(null));
    same("{{ .a.b }}", &json!([1, 2]));
    same("{{ .a }}", &json!("text"));
}

#[test]
fn the_data_holds_only_what_the_template_reads() {
    let funcs = support::funcs();
    let template = "{{ $root := . }}{{ range $i, $c := .spec.containers }}\
        {{ $c.name }}{{ index $root.status.containerStatuses $i }}{{ end }}\
        {{ $.metadata.name }} {{ .metadata.missing }}";
    let parsed = Template::parse("_", template, &funcs).unwrap();
    let object = pod();
    let expected = json!({
        "metadata": {"name": "web-0"},
        "spec": {"containers": object["spec"]["containers"]},
        "status": {"containerStatuses": object["status"]["containerStatuses"]},
    });
    assert_eq!(parsed.data_for(&object), Value::from_json(&expected));

    // A use of the root itself, and a variable that is not always the root, read it all.
    for whole in [
        "{{ .kind }}{{ . }}",
        "{{ $r := . }}{{ $r = .spec }}{{ $r.x }}",
    ] {
        let parsed = Template::parse("_", whole, &funcs).unwrap();
        assert_eq!(
            parsed.data_for(&object),
            Value::from_json(&object),
            "{whole}"
        );
    }
}
