//! Rendering a JSON object converts only the parts the template can read: the result (text
//! or error) must be the one the whole object gives, and the cut-down data must hold no
//! more than the reads name.

mod support;

use serde_json::json;
use stage_gotpl::{Func, Param, Template, Value};

fn pod() -> serde_json::Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "u-1",
            "labels": {"app": "web"}, "annotations": {"a": "1"}},
        "spec": {"nodeName": "node-0", "hostNetwork": false,
            "containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]},
                {"name": "side", "image": "busybox"}]},
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
        "{{ range $i, $c := .spec.containers }}{{ $c }}{{ end }}",
        "{{ range .spec.containers }}{{ . }}{{ end }}",
        "{{ range .spec.containers }}{{ toJson . }} {{ len . }}{{ end }}",
        "{{ range $c := .spec.containers }}{{ $c.name }}{{ else }}none{{ end }}",
        "{{ range .status.missing }}x{{ else }}{{ .kind }}{{ end }}",
        "{{ range $c := .status.missing }}x{{ else }}{{ $c }}{{ end }}",
        "{{ range $k, $v := .metadata.labels }}{{ $k }}={{ $v }}{{ end }}",
        "{{ range .metadata }}{{ . }};{{ end }}",
        "{{ range .spec.containers }}{{ range .ports }}{{ .containerPort }}{{ end }}{{ end }}",
        "{{ range .spec.containers }}{{ range $p := .ports }}{{ $p }}{{ end }}{{ end }}",
        "{{ range $c := .spec.containers }}{{ $c := $.status }}{{ $c.phase }}{{ end }}",
        "{{ range $c := .spec.containers }}{{ $c.name }}{{ $c = $.status }}{{ $c.phase }}{{ end }}",
        "{{ $x := 0 }}{{ range .spec.containers }}{{ $x = . }}{{ end }}{{ $x.image }}",
        "{{ range $c := .spec.containers }}{{ $d := $c }}{{ $d.image }}{{ end }}",
        "{{ range $c := .spec.containers }}{{ range $c := $.status.containerStatuses }}{{ $c.ready }}{{ end }}{{ $c.image }}{{ end }}",
        "{{ range $i, $c := .spec.containers }}{{ $i }}{{ (index $.spec.containers $i).image }}{{ end }}",
        "{{ range .spec.containers }}{{ with .name }}{{ . }}{{ end }}{{ if .image }}{{ .image }}{{ end }}{{ end }}",
        "{{ range .spec.containers }}{{ .name.deeper }}{{ end }}",
        "{{ range .spec.containers }}{{ .missing.deeper }}{{ end }}",
        "{{ range .spec.nodeName }}{{ .x }}{{ end }}",
        "{{ range .spec.hostNetwork }}{{ .x }}{{ end }}",
        "{{ range .spec.containers }}{{ (.).image }}{{ end }}",
        "{{ range .spec.containers }}{{ $.kind }}{{ .name }}{{ end }}{{ range .spec.containers }}{{ .image }}{{ end }}",
        "{{ if .spec.containers }}{{ range .spec.containers }}{{ .name }}{{ end }}{{ end }}",
        "{{ range .spec.containers }}{{ .name }}{{ end }}{{ .spec.containers }}",
        "{{ range .spec.containers }}{{ .name }}{{ end }}{{ .spec.containers.x }}",
        "{{ range . }}{{ . }}{{ end }}",
        "{{ range .spec }}{{ .name }}{{ end }}",
        "{{ range $i, $e := .spec.containers }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $e.name }}{{ end }}",
        "{{ $root := . }}{{ range $i, $c := .spec.containers }}{{ $o := index $root.status.containerStatuses $i }}{{ $c.name }}{{ end }}",
        "{{ range $i, $c := .spec.containers }}{{ $o := index $.status.containerStatuses $i }}{{ $o.name }}{{ end }}",
        "{{ $o := index .status.containerStatuses 0 }}{{ $o.name }} {{ $o.ready }} {{ $o }}",
        "{{ $o := index .metadata.labels \"app\" }}{{ $o }}",
        "{{ $o := index .metadata \"labels\" }}{{ $o.app }}",
        "{{ $o := index .metadata \"missing\" }}{{ $o }}",
        "{{ $o := index .spec.containers 0 }}{{ $o.ports }}",
        "{{ $o := index .spec.containers 0 }}{{ range $o.ports }}{{ .containerPort }}{{ end }}",
        "{{ $o := index .spec.containers 0 \"ports\" }}{{ $o }}",
        "{{ $o := index .spec.containers 0 }}{{ $o = 5 }}{{ $o }}",
        "{{ $o := index .spec.nodeName 0 }}{{ $o }}",
        "{{ $o := index .status.missing 0 }}{{ $o }}",
        "{{ $o := index .spec.containers 5 }}{{ $o }}",
        "{{ $o := index .spec.containers .status.count }}{{ $o.image }}",
        "{{ $o := index .spec.containers }}{{ $o }}",
        "{{ $o := index . \"spec\" }}{{ $o.nodeName }}",
    ] {
        same(template, &object);
    }
    let odd = json!({"spec": {"containers": [1, "two", null, [3], {"name": "n"}]}, "l": "text"});
    for template in [
        "{{ range .spec.containers }}{{ .name }};{{ end }}",
        "{{ range .spec.containers }}{{ . }};{{ end }}",
        "{{ range .l }}{{ . }}{{ end }}",
    ] {
        same(template, &odd);
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
    // The ranged list keeps every element, cut down to what the body reads of it.
    let expected = json!({
        "metadata": {"name": "web-0"},
        "spec": {"containers": [{"name": "app"}, {"name": "side"}]},
        "status": {"containerStatuses": object["status"]["containerStatuses"]},
    });
    assert_eq!(parsed.data_for(&object), Value::from_json(&expected));

    // An element set aside by `index` and never read keeps nothing of itself.
    let template = "{{ $root := . }}{{ range $i, $c := .spec.containers }}\
        {{ $origin := index $root.status.containerStatuses $i }}{{ $c.image }}{{ end }}";
    let parsed = Template::parse("_", template, &funcs).unwrap();
    let expected = json!({
        "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]},
        "status": {"containerStatuses": [{}]},
    });
    assert_eq!(parsed.data_for(&object), Value::from_json(&expected));

    // A body that reads nothing of its elements keeps them as empty maps.
    let parsed = Template::parse("_", "{{ range .spec.containers }}x{{ end }}", &funcs).unwrap();
    let expected = json!({"spec": {"containers": [{}, {}]}});
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

/// Every shipped and field Stage template gives the same text or error from the cut-down
/// data as from the whole object, over objects of the shapes they meet and odd ones.
#[test]
fn shipped_templates_read_the_same_from_the_cut_down_data() {
    let funcs = support::kwok_funcs();
    let objects = [
        pod(),
        json!({
            "metadata": {"name": "p", "namespace": "n", "uid": "u", "deletionTimestamp": "t"},
            "spec": {"nodeName": "node", "hostNetwork": true,
                "containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 1}]}],
                "initContainers": [{"name": "i", "image": "ii"}, {"name": "j", "image": "jj"}],
                "readinessGates": [{"conditionType": "g"}]},
            "status": {"phase": "Running", "podIP": "10.0.0.1",
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{"name": "c", "state": {"running": {"startedAt": "t"}}}],
                "initContainerStatuses": [{"name": "i"}]}
        }),
        json!({
            "kind": "Node", "metadata": {"name": "node-0", "labels": {"a": "b"}},
            "spec": {"podCIDR": "10.0.0.0/24"},
            "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.1"}],
                "conditions": [{"type": "Ready", "status": "False"}], "allocatable": {"cpu": "1"}}
        }),
        json!({"metadata": {"name": "odd"},
            "spec": {"containers": "text", "initContainers": [1, null, {"name": "x"}],
                "readinessGates": {"a": {"conditionType": "m"}}},
            "status": {"containerStatuses": [[1]], "conditions": null}}),
        json!({"spec": null, "status": []}),
    ];
    let templates = support::shipped_templates();
    assert!(
        templates.len() >= 10,
        "only {} templates found",
        templates.len()
    );
    for (file, text) in &templates {
        let parsed = Template::parse("_", text, &funcs).unwrap();
        for object in &objects {
            let whole = parsed.execute(&Value::from_json(object), &funcs);
            let cut = parsed.execute_json(object, &funcs);
            assert_eq!(cut, whole, "{}: {text}", file.display());
        }
    }
}

/// The cut-down data answers the builtin `index`; a function table with its own `index`
/// gets the whole object instead.
#[test]
fn a_table_with_its_own_index_reads_the_whole_object() {
    let mut funcs = support::funcs();
    funcs.insert(
        "index",
        Func::variadic(&[Param::Any, Param::Any], |args| Ok(args[0].clone())),
    );
    // The builtin would give `$o` the labels; this `index` gives it all of the metadata.
    let template = "{{ $o := index .metadata \"labels\" }}{{ $o.annotations }}";
    let parsed = Template::parse("_", template, &funcs).unwrap();
    let object = pod();
    let whole = parsed.execute(&Value::from_json(&object), &funcs);
    assert_eq!(whole, Ok("map[a:1]".to_string()));
    assert_eq!(parsed.execute_json(&object, &funcs), whole);
}
