//! One-line cases for each validation and conversion rule of the loader.

use super::*;
use crate::model::MatchKind;
use stage_jq::Operator;

/// A Stage document whose spec starts with a resourceRef and an empty selector; `spec`
/// lines are appended under `spec:` and begin on line 8.
fn doc(spec: &str) -> String {
    format!(
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\nspec:\n  \
         resourceRef: {{apiGroup: v1, kind: Pod}}\n  selector: {{}}\n{spec}\n"
    )
}

fn load(source: &str) -> LoadResult {
    load_stages(source, "s.yaml")
}

/// The diagnostics' header lines, without the file name.
fn diags(source: &str) -> Vec<String> {
    load(source)
        .diagnostics
        .iter()
        .map(|d| d.to_string().trim_start_matches("s.yaml:").to_string())
        .collect()
}

/// The only diagnostic of `spec`, which must be an error that rejects the Stage.
fn rejected(spec: &str) -> String {
    let result = load(&doc(spec));
    assert!(result.stages.is_empty(), "loaded: {spec}");
    let all = diags(&doc(spec));
    assert_eq!(all.len(), 1, "{all:#?}");
    all[0].clone()
}

/// The Stage built from `spec`, which must load.
fn loaded(spec: &str) -> Stage {
    let mut result = load(&doc(spec));
    assert!(!result.has_errors(), "{:#?}", result.diagnostics);
    assert_eq!(result.stages.len(), 1);
    result.stages.remove(0)
}

const BREAKS: &str = "kwok would fail every Stage of kind Pod at the first event and then run \
                      this Stage half built; rejected here";

#[test]
fn schema_rules() {
    assert_eq!(
        rejected("  nxt: {}"),
        "8:3: error: unknown field \"nxt\" in spec (kwok ignores this field; the API server rejects it)"
    );
    assert_eq!(
        rejected("  weight: \"1\""),
        "8:11: error: spec.weight: must be of type integer, not string"
    );
    assert_eq!(
        rejected("  weight: -1"),
        "8:11: error: spec.weight: must be greater than or equal to 0, not -1 (kwok's file \
         loader does not check this)"
    );
    assert_eq!(
        rejected("  delay: {durationMilliseconds: 1.5}"),
        "8:33: error: spec.delay.durationMilliseconds: must be of type integer, not number"
    );
    assert_eq!(
        rejected("  immediateNextStage: \"true\""),
        "8:23: error: spec.immediateNextStage: must be of type boolean, not string"
    );
    assert_eq!(
        rejected("  steps:\n  - patch: {type: jsonpatch}"),
        "9:19: error: spec.steps[0].patch.type: unsupported value \"jsonpatch\": must be one of \
         \"json\", \"merge\", \"strategic\" (kwok's file loader does not check this)"
    );
    assert_eq!(
        rejected("  steps:\n  - apply: {type: json}"),
        "9:19: error: spec.steps[0].apply.type: unsupported value \"json\": must be one of \
         \"apply\", \"merge\", \"strategic\" (kwok's file loader does not check this)"
    );
    assert_eq!(
        rejected("  steps:\n  - patch: {impersonation: {}}"),
        "9:13: error: missing required field \"username\" in spec.steps[0].patch.impersonation"
    );
    assert_eq!(
        rejected("  steps:\n  - patch: {template: x, nxt: 1}"),
        "9:26: error: unknown field \"nxt\" in spec.steps[0].patch (kwok ignores this field; \
         the API server rejects it)"
    );
    assert_eq!(
        rejected("  steps:\n  - finalizers: {add: [kwok]}"),
        "9:24: error: spec.steps[0].finalizers.add[0]: must be of type object, not string"
    );
}

/// The message for `name` written again in `place`, first at `first`; go-yaml names the line
/// of the repeated value.
fn duplicate(name: &str, place: &str, first: &str, value_line: usize) -> String {
    format!(
        "duplicate field \"{name}\" in {place}, first set at {first} (kwok keeps the last value; \
         the API server rejects it: line {value_line}: key \"{name}\" already set in map)"
    )
}

#[test]
fn duplicate_fields_are_rejected_as_strict_validation_does() {
    let cases: &[(&str, &str, String)] = &[
        (
            "  weight: 1\n  weight: 2",
            "9:3",
            duplicate("weight", "spec", "8:3", 9),
        ),
        (
            "  weight: 1\n  weight: ~",
            "9:3",
            duplicate("weight", "spec", "8:3", 9),
        ),
        (
            "  delay:\n    durationMilliseconds: 1\n    durationMilliseconds: 2",
            "10:5",
            duplicate("durationMilliseconds", "spec.delay", "9:5", 10),
        ),
        // go-yaml names the line where the repeated value starts.
        (
            "  delay:\n    durationMilliseconds: 1\n  delay:\n    durationMilliseconds: 2",
            "10:3",
            duplicate("delay", "spec", "8:3", 11),
        ),
        (
            "  steps:\n  - event: {type: Normal, reason: a, reason: b}",
            "9:38",
            duplicate("reason", "spec.steps[0].event", "9:27", 9),
        ),
        (
            "  steps:\n  - delete: true\n  - event: {type: Normal, reason: a}\n    event: {}",
            "11:5",
            duplicate("event", "spec.steps[1]", "10:5", 11),
        ),
        // The document already has `selector: {}` on line 7.
        (
            "  selector: {matchLabels: {a: b}}",
            "8:3",
            duplicate("selector", "spec", "7:3", 8),
        ),
    ];
    for (spec, at, message) in cases {
        assert_eq!(
            rejected(spec),
            format!("{at}: error: {message}"),
            "{spec:?}"
        );
    }
}

#[test]
fn duplicate_fields_outside_spec() {
    let stage = doc("");
    let twice = |field: &str| stage.replacen(field, &format!("{field}{field}"), 1);
    assert_eq!(
        diags(&twice("kind: Stage\n")),
        [format!(
            "3:1: error: {}",
            duplicate("kind", "the document", "2:1", 3)
        )]
    );
    assert_eq!(
        diags(&twice("  name: s\n")),
        [format!(
            "5:3: error: {}",
            duplicate("name", "metadata", "4:3", 5)
        )]
    );
    let labels = stage.replace(
        "  name: s\n",
        "  name: s\n  labels: {kwok.x-k8s.io/x: a, kwok.x-k8s.io/x: b}\n",
    );
    assert_eq!(
        diags(&labels),
        [format!(
            "5:32: error: {}",
            duplicate("kwok.x-k8s.io/x", "metadata.labels", "5:12", 5)
        )]
    );
    assert_eq!(
        load(&labels).diagnostics[0].path,
        "metadata.labels[\"kwok.x-k8s.io/x\"]"
    );
    // Strict decoding sees the status before the API server drops it.
    assert_eq!(
        diags(&format!(
            "{stage}status:\n  conditions: []\n  conditions: []\n"
        )),
        [format!(
            "11:3: error: {}",
            duplicate("conditions", "status", "10:3", 11)
        )]
    );
    let result = load(&twice("kind: Stage\n"));
    assert!(result.stages.is_empty());
    assert_eq!(result.diagnostics[0].path, "kind");
}

#[test]
fn every_duplicate_is_reported_with_the_other_problems() {
    assert_eq!(
        diags(&doc("  weight: 1\n  weight: 2\n  weight: 3\n  nxt: 1")),
        [
            format!("9:3: error: {}", duplicate("weight", "spec", "8:3", 9)),
            format!("10:3: error: {}", duplicate("weight", "spec", "8:3", 10)),
            "11:3: error: unknown field \"nxt\" in spec (kwok ignores this field; the API server \
             rejects it)"
                .to_string(),
        ]
    );
}

/// A Stage is built past unknown and repeated fields, which kwok reads past too, so one
/// pass reports its other problems as well; a value of the wrong type stops it.
#[test]
fn problems_past_an_unknown_field_are_reported_in_the_same_pass() {
    let with = |field: &str| {
        doc("").replace("  selector: {}\n", "")
            + "  selector:\n    matchExpressions:\n    - {key: .a, operator: In}\n"
            + field
    };
    let needs_values = format!(
        "10:27: error: spec.selector.matchExpressions[0].values: operator In needs values \
         (kwok: \"for 'in', 'notin' operators, values set can't be empty\"); {BREAKS}"
    );

    assert!(load(&with("  nxt: 1\n")).stages.is_empty());
    assert_eq!(
        diags(&with("  nxt: 1\n")),
        [
            "11:3: error: unknown field \"nxt\" in spec (kwok ignores this field; the API server \
             rejects it)"
                .to_string(),
            needs_values.clone(),
        ]
    );
    let repeated = diags(&with("  weight: 1\n  weight: 2\n"));
    assert_eq!(repeated.len(), 2, "{repeated:#?}");
    assert_eq!(repeated[1], needs_values);

    // The builder reads a weight as an integer: past a string there it would guess.
    assert_eq!(
        diags(&with("  weight: \"1\"\n")),
        ["11:11: error: spec.weight: must be of type integer, not string"]
    );
}

#[test]
fn keys_merged_in_count_as_set() {
    // A merge after the key sets it again; the repeat is placed at the `<<`.
    assert_eq!(
        rejected("  delay:\n    durationMilliseconds: 2\n    <<: {durationMilliseconds: 1}"),
        format!(
            "10:5: error: {}",
            duplicate("durationMilliseconds", "spec.delay", "9:5", 10)
        )
    );
    assert_eq!(
        rejected("  delay:\n    <<: {durationMilliseconds: 1}\n    durationMilliseconds: 2"),
        format!(
            "10:5: error: {}",
            duplicate("durationMilliseconds", "spec.delay", "9:10", 10)
        )
    );
    let merged =
        loaded("  delay:\n    <<: {durationMilliseconds: 1}\n    jitterDurationMilliseconds: 2");
    assert!(merged.delay.is_some());
}

#[test]
fn objects_with_duplicate_keys_keep_the_last_value_with_a_warning() {
    let source = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: p, app: q}\n\
                  ---\napiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: b}\n";
    let (objects, diagnostics) = load_objects(source, "o.yaml");
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0].object["metadata"]["labels"]["app"], "q");
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            format!(
                "o.yaml:5:20: warning: {}",
                duplicate("app", "metadata.labels", "5:12", 5)
            ),
            format!(
                "o.yaml:9:1: warning: {}",
                duplicate("kind", "the document", "8:1", 9)
            ),
        ]
    );
    assert_eq!(diagnostics[0].path, "metadata.labels.app");
}

#[test]
fn duplicate_fields_from_files_render_with_a_caret() {
    // What `stage-sim check` prints for a file: the header with file:line:column, the source
    // line and a caret under the repeated key.
    let dir = std::env::temp_dir().join(format!("stage-dupkeys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("twice.yaml");
    std::fs::write(&file, doc("  weight: 1\n  weight: 2")).unwrap();
    let result = load_paths(std::slice::from_ref(&dir), false);
    std::fs::remove_dir_all(&dir).unwrap();

    let name = file.display().to_string();
    assert!(result.stages.is_empty());
    assert_eq!(
        result.render_diagnostics(),
        format!(
            "{name}:9:3: error: {}\n9 |   weight: 2\n  |   ^\n",
            duplicate("weight", "spec", "8:3", 9)
        )
    );
}

#[test]
fn yaml_1_1_scalars_where_strings_belong_say_so() {
    assert_eq!(
        rejected("  steps:\n  - event: {type: Normal, reason: no}"),
        "9:35: error: spec.steps[0].event.reason: must be of type string, not boolean (YAML 1.1 \
         reads the unquoted no as a boolean; quote it)"
    );
    assert_eq!(
        rejected("  next:\n    patches:\n    - {root: status, subresource: 017, template: x}"),
        "10:35: error: spec.next.patches[0].subresource: must be of type string, not integer \
         (YAML 1.1 reads the unquoted 017 as an integer; quote it)"
    );
}

#[test]
fn yaml_1_1_booleans_read_as_booleans() {
    assert!(loaded("  immediateNextStage: yes").immediate_next_stage);
    assert!(!loaded("  immediateNextStage: off").immediate_next_stage);
}

#[test]
fn required_fields() {
    let source = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\nspec:\n  \
                  resourceRef:\n    apiGroup: v1\n";
    assert_eq!(
        diags(source),
        ["6:3: error: missing required field \"kind\" in spec.resourceRef"]
    );
    let source = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\n";
    assert_eq!(
        diags(source),
        ["1:1: error: missing required field \"spec\""]
    );
    let source = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\nspec:\n";
    assert_eq!(
        diags(source),
        ["1:1: error: missing required field \"spec\""]
    );
}

#[test]
fn metadata_rules() {
    let head = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\n";
    let spec = "spec: {resourceRef: {apiGroup: v1, kind: Pod}, selector: {}}\n";
    let case = |metadata: &str| diags(&format!("{head}{metadata}{spec}"));
    assert_eq!(
        case("metadata: {}\n"),
        ["3:11: error: missing required field \"name\" in metadata"]
    );
    assert_eq!(
        case(""),
        ["1:1: error: missing required field \"name\" in metadata"]
    );
    assert_eq!(
        case("metadata: {name: \"\"}\n"),
        ["3:18: error: missing required field \"name\" in metadata"]
    );
    assert_eq!(
        case("metadata: {name: s, label: {}}\n"),
        [
            "3:21: error: unknown field \"label\" in metadata (kwok ignores this field; the API \
          server rejects it)"
        ]
    );
    assert_eq!(
        case("metadata: {name: s, labels: {a: 1}}\n"),
        [
            "3:33: error: metadata.labels.a: must be of type string, not integer (YAML 1.1 reads the \
          unquoted 1 as an integer; quote it)"
        ]
    );
    // A null annotations map is pruned, as the API server does.
    assert_eq!(
        case("metadata:\n  name: s\n  annotations:\n"),
        Vec::<String>::new()
    );
}

#[test]
fn status_is_checked_for_unknown_fields_only() {
    let source = format!("{}status:\n  conditions:\n  - type: 1\n", doc(""));
    assert_eq!(diags(&source), Vec::<String>::new());
    let source = format!("{}status:\n  phase: x\n", doc(""));
    assert_eq!(
        diags(&source),
        [
            "10:3: error: unknown field \"phase\" in status (kwok ignores this field; the API server \
          rejects it)"
        ]
    );
}

#[test]
fn nulls_in_lists_are_type_errors() {
    assert_eq!(
        rejected("  steps:\n  - finalizers: {add: [~]}"),
        "9:24: error: spec.steps[0].finalizers.add[0]: must be of type object, not null"
    );
}

#[test]
fn null_label_values_are_pruned() {
    let source = doc("").replace("selector: {}", "selector: {matchLabels: {a: ~, b: c}}");
    let mut result = load(&source);
    let labels = result
        .stages
        .remove(0)
        .selector
        .unwrap()
        .match_labels
        .unwrap();
    assert_eq!(
        labels.into_iter().collect::<Vec<_>>(),
        [("b".to_string(), "c".to_string())]
    );
}

#[test]
fn null_values_count_as_absent() {
    let stage = loaded("  weight:\n  delay:\n  next:");
    assert_eq!(stage.weight, 0);
    assert!(stage.delay.is_none());
    assert!(stage.steps.is_empty());
    assert!(!stage.from_legacy_next);
}

#[test]
fn jq_entries() {
    let entry = |e: &str| format!("  selector:\n    matchExpressions:\n    - {e}");
    let head = |e: &str| doc("").replace("  selector: {}\n", "") + &entry(e);
    let case = |e: &str| diags(&head(e));

    assert_eq!(
        case("{key: .a, operator: Equals, values: [x]}"),
        [format!(
            "10:27: error: spec.selector.matchExpressions[0].operator: operator \"Equals\" is not \
             supported (kwok accepts In, NotIn, Exists and DoesNotExist); {BREAKS}"
        )]
    );
    assert_eq!(
        case("{key: .a, operator: In}"),
        [format!(
            "10:27: error: spec.selector.matchExpressions[0].values: operator In needs values \
             (kwok: \"for 'in', 'notin' operators, values set can't be empty\"); {BREAKS}"
        )]
    );
    assert_eq!(
        case("{key: .a, operator: NotIn, values: []}"),
        [format!(
            "10:42: error: spec.selector.matchExpressions[0].values: operator NotIn needs values \
             (kwok: \"for 'in', 'notin' operators, values set can't be empty\"); {BREAKS}"
        )]
    );
    assert_eq!(
        case("{jq: {key: .a, operator: Exists, values: [x]}}"),
        [format!(
            "10:48: error: spec.selector.matchExpressions[0].jq.values: operator Exists takes no \
             values (kwok: \"values set must be empty for exists and does not exist\"); {BREAKS}"
        )]
    );
    assert_eq!(
        case("{operator: Exists}"),
        [format!(
            "10:7: error: spec.selector.matchExpressions[0]: this entry has neither jq nor cel; \
             {BREAKS}"
        )]
    );

    // A query that does not compile is placed inside the scalar, at the offset stage-jq gives.
    let all = case("{key: '.a | [', operator: Exists}");
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].starts_with("10:20: error: "), "{}", all[0]);
    assert!(all[0].contains(
        ": error: spec.selector.matchExpressions[0].key: jq \".a | [\" does not compile: "
    ));
    assert!(all[0].ends_with(BREAKS));
}

#[test]
fn jq_entries_convert() {
    let source = doc("").replace("  selector: {}\n", "")
        + "  selector:\n    matchExpressions:\n    - {key: .a, operator: In, values: [x]}\n    - jq: \
           {key: .b, operator: DoesNotExist}";
    let mut result = load(&source);
    assert!(!result.has_errors(), "{:#?}", result.diagnostics);
    let stage = result.stages.remove(0);
    let exprs = &stage.selector.as_ref().unwrap().match_expressions;
    let MatchKind::Jq {
        query,
        operator,
        values,
    } = &exprs[0].kind
    else {
        panic!()
    };
    assert_eq!(
        (query.source(), *operator, values.as_slice()),
        (".a", Operator::In, &["x".to_string()][..])
    );
    let MatchKind::Jq {
        query,
        operator,
        values,
    } = &exprs[1].kind
    else {
        panic!()
    };
    assert_eq!(
        (query.source(), *operator, values.len()),
        (".b", Operator::DoesNotExist, 0)
    );
    assert_eq!(
        (exprs[0].origin.mark.line, exprs[1].origin.mark.line),
        (10, 11)
    );
}

#[test]
fn jq_block_wins_over_flat_fields() {
    let source = doc("").replace("  selector: {}\n", "")
        + "  selector:\n    matchExpressions:\n    - {key: .a, operator: In, jq: {key: .b, operator: Exists}}";
    let result = load(&source);
    assert_eq!(result.stages.len(), 1);
    let MatchKind::Jq { query, .. } = &result.stages[0]
        .selector
        .as_ref()
        .unwrap()
        .match_expressions[0]
        .kind
    else {
        panic!()
    };
    assert_eq!(query.source(), ".b");
    assert_eq!(
        diags(&source),
        [
            "10:7: warning: spec.selector.matchExpressions[0]: the legacy key/operator/values are \
          ignored because jq is set (kwok does the same)"
        ]
    );
}

#[test]
fn cel_entries_are_kept_with_a_warning() {
    let source = doc("").replace("  selector: {}\n", "")
        + "  selector:\n    matchExpressions:\n    - cel: {expression: \"self.a == 'b'\"}";
    let result = load(&source);
    assert_eq!(result.stages.len(), 1);
    let MatchKind::Cel { expression } = &result.stages[0]
        .selector
        .as_ref()
        .unwrap()
        .match_expressions[0]
        .kind
    else {
        panic!()
    };
    assert_eq!(expression, "self.a == 'b'");
    assert_eq!(
        diags(&source),
        [
            "10:12: warning: spec.selector.matchExpressions[0].cel: CEL selectors are not supported \
          yet: the Stage is kept, its syntax is not checked, and matching reports this entry as \
          not supported (kwok evaluates it)"
        ]
    );

    let source = doc("").replace("  selector: {}\n", "")
        + "  selector:\n    matchExpressions:\n    - cel: {}";
    assert_eq!(
        diags(&source),
        [format!(
            "10:12: error: spec.selector.matchExpressions[0].cel.expression: the CEL expression is \
             empty; {BREAKS}"
        )]
    );

    let source = doc("").replace("  selector: {}\n", "")
        + "  selector:\n    matchExpressions:\n    - {key: .a, operator: Exists, cel: {expression: x}}";
    assert_eq!(
        diags(&source),
        [
            "10:7: warning: spec.selector.matchExpressions[0]: this entry has both jq and cel; kwok \
          uses jq and ignores cel"
        ]
    );
}

#[test]
fn expression_from() {
    let stage = loaded(
        "  weightFrom: {expressionFrom: .w}\n  delay: {durationFrom: {jq: {expression: .d}}}",
    );
    let weight_from = stage.weight_from.as_ref().unwrap();
    assert_eq!(weight_from.jq.as_ref().unwrap().source(), ".w");
    assert_eq!(weight_from.origin.mark.line, 8);
    let delay = stage.delay.as_ref().unwrap();
    assert_eq!(
        delay
            .duration_from
            .as_ref()
            .unwrap()
            .jq
            .as_ref()
            .unwrap()
            .source(),
        ".d"
    );

    assert_eq!(
        diags(&doc(
            "  weightFrom: {expressionFrom: .a, jq: {expression: .b}}"
        )),
        [
            "8:15: warning: spec.weightFrom.expressionFrom is ignored because spec.weightFrom.jq is \
          set (kwok does the same)"
        ]
    );
    assert_eq!(
        diags(&doc(
            "  delay: {jitterDurationFrom: {cel: {expression: x}}}"
        )),
        [
            "8:31: warning: spec.delay.jitterDurationFrom: kwok ignores a jitterDurationFrom that has \
          only a CEL expression, and so does the engine"
        ]
    );
    assert_eq!(
        diags(&doc("  weightFrom: {cel: {expression: x}}")),
        [
            "8:15: warning: spec.weightFrom: CEL expressions are not supported yet: the Stage is kept \
          and this value is reported as not supported (kwok evaluates it)"
        ]
    );
    assert_eq!(
        diags(&doc("  weightFrom: {}")),
        ["8:15: warning: spec.weightFrom: has neither jq nor cel, so it gives no value"]
    );

    let all = diags(&doc("  weightFrom: {expressionFrom: '.a |'}"));
    assert_eq!(all.len(), 1);
    assert!(
        all[0].contains("error: spec.weightFrom.expressionFrom: jq \".a |\" does not compile: "),
        "{}",
        all[0]
    );
}

#[test]
fn defaults() {
    let source = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata: {name: s}\nspec:\n  \
                  resourceRef: {kind: Pod}\n  selector: {}\n";
    let result = load(source);
    let stage = &result.stages[0];
    assert_eq!(
        (stage.resource_ref.api_group.as_str(), stage.weight),
        ("v1", 0)
    );
    assert_eq!(
        diags(source),
        [
            "5:16: note: spec.resourceRef.apiGroup is not set: defaulted to \"v1\" as the API server \
          does; kwok's file loader leaves it \"\" and would hand this Stage to its generic \
          controller instead of the Pod or Node controller"
        ]
    );
    assert!(stage.delay.is_none());
    assert!(!stage.immediate_next_stage);
}

#[test]
fn an_empty_api_group_is_kept_and_warned_about() {
    let source = "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata: {name: s}\nspec:\n  \
                  resourceRef: {apiGroup: '', kind: Pod}\n  selector: {}\n";
    assert_eq!(load(source).stages[0].resource_ref.api_group, "");
    assert_eq!(
        diags(source),
        [
            "5:16: warning: spec.resourceRef.apiGroup is \"\": no defaulting applies, and kwok hands \
          this Stage to its generic controller, not the Pod or Node controller"
        ]
    );
}

#[test]
fn a_stage_without_selector_loads_and_never_matches() {
    let source = doc("").replace("  selector: {}\n", "");
    let result = load(&source);
    assert!(result.stages[0].selector.is_none());
    assert_eq!(
        diags(&source),
        ["6:3: warning: spec.selector is not set: this Stage never matches (kwok ignores it too)"]
    );
    let stage = loaded("");
    let selector = stage.selector.as_ref().unwrap();
    assert!(selector.match_labels.is_none() && selector.match_expressions.is_empty());
}

#[test]
fn legacy_next_becomes_steps_in_kwok_order() {
    let stage = loaded(
        "  next:\n    delete: true\n    statusTemplate: 'phase: X'\n    finalizers: {empty: \
         true}\n    event: {type: Normal, reason: R}",
    );
    assert!(stage.from_legacy_next);
    let kinds: Vec<&str> = stage
        .steps
        .iter()
        .map(|s| match s {
            s if s.event.is_some() => "event",
            s if s.finalizers.is_some() => "finalizers",
            s if s.patch.is_some() => "patch",
            s if s.delete => "delete",
            _ => "none",
        })
        .collect();
    assert_eq!(kinds, ["event", "finalizers", "patch", "delete"]);
    let patch = stage.steps[2].patch.as_ref().unwrap();
    assert_eq!(patch.root.as_deref(), Some("status"));
    assert_eq!(patch.subresource.as_deref(), Some("status"));
    assert_eq!(patch.patch_type, None);
    assert_eq!(patch.template.text, "phase: X");
    assert_eq!(
        patch.template.origin.mark,
        Mark {
            line: 10,
            column: 21
        }
    );
    assert!(patch.template.node.is_some());
    assert_eq!(stage.steps[0].event.as_ref().unwrap().reason, "R");
    assert!(stage.steps[1].finalizers.as_ref().unwrap().empty);
    assert_eq!(stage.steps[3].origin.mark.line, 9);

    assert_eq!(
        diags(&doc(
            "  next:\n    delete: true\n    statusTemplate: 'phase: X'"
        )),
        [
            "9:13: note: spec.next: kwok v0.8 sends the status patch and then deletes the object; \
          kwok v0.7 and earlier deleted it without patching"
        ]
    );
}

#[test]
fn legacy_status_subresource_and_patch_as() {
    let stage = loaded(
        "  next:\n    statusTemplate: x\n    statusSubresource: st\n    statusPatchAs: {username: u}",
    );
    let patch = stage.steps[0].patch.as_ref().unwrap();
    assert_eq!(
        (patch.subresource.as_deref(), patch.impersonation.as_deref()),
        (Some("st"), Some("u"))
    );
    // An empty statusTemplate sends nothing.
    assert!(loaded("  next:\n    statusTemplate: ''").steps.is_empty());
}

#[test]
fn legacy_patches_win_over_status_template() {
    let spec = "  next:\n    statusTemplate: 'phase: X'\n    patches:\n    - {root: status, \
                template: 'a: b', type: json, subresource: ''}";
    let stage = loaded(spec);
    assert_eq!(stage.steps.len(), 1);
    let patch = stage.steps[0].patch.as_ref().unwrap();
    assert_eq!(patch.template.text, "a: b");
    assert_eq!(patch.patch_type, Some(stage_kube::PatchType::Json));
    assert_eq!(patch.subresource, None);
    assert_eq!(
        diags(&doc(spec)),
        [
            "9:21: warning: spec.next.statusTemplate is ignored because spec.next.patches is set \
          (kwok does the same)"
        ]
    );
}

#[test]
fn steps_win_over_next() {
    let spec = "  steps:\n  - delete: true\n  next:\n    event: {type: Normal}";
    let stage = loaded(spec);
    assert!(!stage.from_legacy_next);
    assert_eq!(stage.steps.len(), 1);
    assert!(stage.steps[0].delete);
    assert_eq!(
        diags(&doc(spec)),
        ["11:5: warning: spec.next is ignored because spec.steps is set (kwok does the same)"]
    );
}

#[test]
fn steps_keep_every_action() {
    let stage = loaded(
        "  steps:\n  - event: {type: Normal, reason: R, message: M}\n    finalizers: {add: \
         [{value: f}], remove: [{value: g}]}\n    patch: {root: metadata, template: 'a: b', \
         impersonation: {username: u}}\n  - apply: {template: 'kind: X', subresource: status}",
    );
    let first = &stage.steps[0];
    assert_eq!(first.event.as_ref().unwrap().message, "M");
    let finalizers = first.finalizers.as_ref().unwrap();
    assert_eq!(
        (finalizers.add.as_slice(), finalizers.remove.as_slice()),
        (&["f".to_string()][..], &["g".to_string()][..])
    );
    let patch = first.patch.as_ref().unwrap();
    assert_eq!(
        (patch.root.as_deref(), patch.impersonation.as_deref()),
        (Some("metadata"), Some("u"))
    );
    let apply = stage.steps[1].apply.as_ref().unwrap();
    assert_eq!(
        (
            apply.template.text.as_str(),
            apply.apply_type,
            apply.subresource.as_deref()
        ),
        ("kind: X", None, Some("status"))
    );
    assert_eq!(
        stage.steps[1].origin.mark,
        Mark {
            line: 12,
            column: 5
        }
    );
}

#[test]
fn other_documents_are_skipped_with_a_note() {
    let source = format!(
        "# @Stage: ../pod-ready.yaml\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: \
         Kustomization\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\n---\n{}",
        doc("")
    );
    let result = load(&source);
    assert_eq!(result.stages.len(), 1);
    assert_eq!(result.stages[0].origin.mark.line, 9);
    assert_eq!(
        diags(&source),
        [
            "2:1: note: skipped a Kustomization (kustomize.config.k8s.io/v1beta1): not a Stage",
            "5:1: note: skipped Pod \"p\" (v1): not a Stage",
        ]
    );
}

#[test]
fn document_level_errors() {
    assert_eq!(
        diags("- a\n"),
        ["1:1: error: a document must be a mapping with apiVersion and kind"]
    );
    assert_eq!(
        diags("apiVersion: v1\n"),
        ["1:1: error: missing required field \"kind\""]
    );
    assert_eq!(
        diags("kind: Stage\n"),
        ["1:1: error: missing required field \"apiVersion\" (a Stage is kwok.x-k8s.io/v1alpha1)"]
    );
    assert_eq!(
        diags("apiVersion: kwok.x-k8s.io/v1beta1\nkind: Stage\n"),
        [
            "1:1: error: apiVersion \"kwok.x-k8s.io/v1beta1\" is not served for Stages: use \
          \"kwok.x-k8s.io/v1alpha1\""
        ]
    );
    assert!(diags("").is_empty());
    assert!(diags("---\n---\n").is_empty());
}

#[test]
fn a_broken_stage_does_not_stop_the_others() {
    let source = format!("{}---\n{}", doc("  nxt: 1"), doc("  weight: 3"));
    let result = load(&source);
    assert_eq!(result.stages.len(), 1);
    assert_eq!(result.stages[0].weight, 3);
    assert_eq!(result.diagnostics.len(), 1);
    assert_eq!(result.diagnostics[0].path, "spec.nxt");
}

#[test]
fn yaml_errors_are_placed() {
    let result = load("a: [\n");
    assert!(result.has_errors());
    assert!(result.diagnostics[0].message.starts_with("YAML: "));
    assert!(result.diagnostics[0].mark.line >= 1);
}

#[test]
fn template_hook_parses_with_the_given_functions() {
    fn no_funcs(_: &ResourceRef) -> stage_gotpl::Funcs {
        stage_gotpl::Funcs::new()
    }
    let options = LoadOptions {
        template_funcs: Some(no_funcs),
    };
    let spec = "  steps:\n  - patch:\n      template: |\n        a: b\n        c: {{ Foo }}";
    let result = load_stages_with(&doc(spec), "s.yaml", &options);
    assert!(result.stages.is_empty());
    let d = &result.diagnostics[0];
    assert_eq!(d.path, "spec.steps[0].patch.template");
    assert_eq!(d.mark.line, 12);
    assert!(
        d.message.contains("the template does not parse: "),
        "{}",
        d.message
    );
    assert!(d.message.ends_with(BREAKS));
}

#[test]
fn embedded_crd_is_the_shipped_one() {
    assert!(STAGE_CRD.contains("name: stages.kwok.x-k8s.io"));
    let schema = schema::stage_schema().unwrap();
    let documents = stage_yaml::parse_stream(&doc("")).unwrap();
    assert_eq!(schema::validate_stage(schema, &documents[0].root, ""), []);
}

/// The CRD that validation reads is kwok's, with every description text removed and
/// nothing else changed.
#[test]
fn schema_crd_is_the_shipped_one_without_descriptions() {
    fn without_descriptions(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if map
                    .get("description")
                    .is_some_and(serde_json::Value::is_string)
                {
                    map.remove("description");
                }
                map.values_mut().for_each(without_descriptions);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_descriptions),
            _ => {}
        }
    }
    let json = |text: &str| stage_yaml::parse_stream(text).unwrap()[0].root.to_json();

    let mut shipped = json(STAGE_CRD);
    without_descriptions(&mut shipped);
    let schema = json(schema::SCHEMA_CRD);
    assert_eq!(schema, shipped);
    assert!(!schema::SCHEMA_CRD.contains("description:"));
    assert!(schema::SCHEMA_CRD.len() < STAGE_CRD.len() / 2);
}

/// A Stage of `kind` with one patch step whose template is the literal block `template`,
/// starting on line 11.
fn with_template(kind: &str, template: &str) -> String {
    let body: String = template.lines().map(|l| format!("        {l}\n")).collect();
    format!(
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: s\nspec:\n  \
         resourceRef: {{apiGroup: v1, kind: {kind}}}\n  selector: {{}}\n  steps:\n  - patch:\n      \
         template: |\n{body}"
    )
}

#[test]
fn templates_are_parsed_with_the_functions_of_the_stages_controller() {
    let pod_ip = "podIP: {{ PodIPWith .spec.nodeName false \"\" \"\" \"\" | Quote }}";
    assert!(!load(&with_template("Pod", pod_ip)).has_errors());
    assert!(!load(&with_template("Node", "a: {{ NodeName }}")).has_errors());

    // The generic controller has no node or pod functions (kwok fails at parse time too).
    let result = load(&with_template(
        "PersistentVolume",
        "phase: Bound\nip: {{ NodeIP }}",
    ));
    assert!(result.stages.is_empty());
    let d = &result.diagnostics[0];
    assert_eq!(
        (d.mark.line, d.path.as_str()),
        (12, "spec.steps[0].patch.template")
    );
    assert!(
        d.message.contains("function \"NodeIP\" not defined"),
        "{}",
        d.message
    );
    assert!(
        d.message
            .contains("kwok would fail every Stage of kind PersistentVolume")
    );
}

#[test]
fn template_syntax_errors_are_placed_in_the_file() {
    let result = load(&with_template("Pod", "a: b\nc: {{ if }}"));
    assert!(result.stages.is_empty());
    let d = &result.diagnostics[0];
    assert_eq!(
        d.mark,
        Mark {
            line: 12,
            column: 18
        },
        "{d}"
    );
    assert_eq!(
        d.message,
        format!(
            "spec.steps[0].patch.template: the template does not parse: template: _:2: missing \
             value for if; {BREAKS}"
        )
    );
}

#[test]
fn template_errors_after_trimmed_blank_lines_are_placed_in_the_file() {
    let result = load(&with_template("Pod", "\n\na: b\nc: {{ if }}"));
    assert_eq!(
        result.diagnostics[0].mark,
        Mark {
            line: 14,
            column: 18
        }
    );
}

#[test]
fn template_checks_can_be_turned_off() {
    let options = LoadOptions {
        template_funcs: None,
    };
    let source = with_template("Pod", "c: {{ if }}");
    assert!(!load_stages_with(&source, "s.yaml", &options).has_errors());
}
