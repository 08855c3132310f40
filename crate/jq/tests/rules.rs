//! One-line cases for each rule of kwok's jq selectors, with the result gojq v0.12 gives
//! inside kwok: how a query runs (`null` outputs dropped, a runtime error means no result),
//! what the operators compare, why numbers read from objects never equal `In` values, and
//! what `Exists` counts as present.

mod support;

use stage_jq::{Input, Operator, Outcome, Output, Query};
use support::{matches, outputs, query, run, s};

fn text(source: &str, object: &str) -> String {
    match outputs(source, object).as_slice() {
        [Output::String(text)] => text.clone(),
        other => panic!("{source}: {other:?}"),
    }
}

fn failed(source: &str, object: &str) -> bool {
    matches!(run(source, object), Outcome::Failed(_))
}

fn compile_error(source: &str) -> (String, usize) {
    match Query::compile(source) {
        Ok(_) => panic!("{source} compiled"),
        Err(error) => (error.message, error.offset),
    }
}

// Numbers: the object's are floats, jq's own are integers.

#[test]
fn object_numbers_are_floats() {
    let got = outputs(".metadata.generation", r#"{"metadata":{"generation":1}}"#);
    assert_eq!(got, [Output::Float(1.0)]);
    assert_eq!(outputs(".n", r#"{"n":1.5}"#), [Output::Float(1.5)]);
    assert_eq!(outputs(".n + 1", r#"{"n":1}"#), [Output::Float(2.0)]);
    assert_eq!(
        outputs(".a | length", r#"{"a":[{"x":-2}]}"#),
        [Output::Int(1)]
    );
    assert_eq!(outputs(".x | length", r#"{"x":-2}"#), [Output::Float(2.0)]);
}

#[test]
fn jq_numbers_are_integers() {
    assert_eq!(
        outputs(
            ".spec.containers | length",
            r#"{"spec":{"containers":[{}]}}"#
        ),
        [Output::Int(1)]
    );
    assert_eq!(outputs("1", "{}"), [Output::Int(1)]);
    assert_eq!(outputs("1 + 2 * 3", "{}"), [Output::Int(7)]);
    assert_eq!(outputs("\"12\" | tonumber", "{}"), [Output::Int(12)]);
    assert_eq!(outputs("1.0", "{}"), [Output::Float(1.0)]);
    assert_eq!(outputs("1.5", "{}"), [Output::Float(1.5)]);
    assert_eq!(outputs("\"abc\" | length", "{}"), [Output::Int(3)]);
}

#[test]
fn integer_overflow_becomes_a_float() {
    let got = outputs("9223372036854775807 + 1", "{}");
    assert_eq!(got, [Output::Float(9223372036854775808.0)]);
}

#[test]
fn rounding_gives_floats() {
    assert_eq!(outputs(".n | floor", r#"{"n":1.5}"#), [Output::Float(1.0)]);
    assert_eq!(outputs("3 | floor", "{}"), [Output::Float(3.0)]);
    assert_eq!(outputs(".n | ceil", r#"{"n":1.5}"#), [Output::Float(2.0)]);
    assert_eq!(
        outputs(".n | round", r#"{"n":-2.5}"#),
        [Output::Float(-3.0)]
    );
    assert_eq!(text(".n | floor | tostring", r#"{"n":1.5}"#), "1");
    assert!(!matches(".n | floor", r#"{"n":1.5}"#, "In", &["1"]));
    assert!(failed("\"a\" | floor", "{}"));
}

#[test]
fn object_numbers_compare_with_jq_numbers() {
    assert_eq!(outputs(".n == 1", r#"{"n":1}"#), [Output::Bool(true)]);
    assert_eq!(outputs(".n > 0.5", r#"{"n":1}"#), [Output::Bool(true)]);
    assert_eq!(
        outputs("[.a[] | select(. == 2)] | length", r#"{"a":[1,2,2]}"#),
        [Output::Int(2)]
    );
}

// FIXME: gojq divides two integers exactly into an integer (`10 / 2` is the integer 5,
// which matches "5"); jaq always divides into a float.
#[test]
fn integer_division_gives_a_float_today() {
    assert_eq!(outputs("10 / 2", "{}"), [Output::Float(5.0)]);
    assert_eq!(outputs("10 / 4", "{}"), [Output::Float(2.5)]);
}

// FIXME: gojq's `%` truncates both sides to integers and gives an integer (`.n % 2` is the
// integer 0 for n = 2); jaq gives a float when a side is a float.
#[test]
fn modulo_of_an_object_number_gives_a_float_today() {
    assert_eq!(outputs(".n % 2", r#"{"n":2}"#), [Output::Float(0.0)]);
    assert_eq!(outputs("5 % 2", "{}"), [Output::Int(1)]);
}

// FIXME: gojq indexes an array with a float by truncating it (`.a[.i]` with i = 1 is the
// second element); jaq fails with "cannot index".
#[test]
fn indexing_an_array_with_an_object_number_fails_today() {
    assert!(failed(".a[.i]", r#"{"a":["x","y"],"i":1}"#));
    assert_eq!(outputs(".a[1]", r#"{"a":["x","y"]}"#), [s("y")]);
}

// FIXME: gojq iterates every object in sorted key order, also objects the query builds
// (`{b: 1, a: 2} | keys_unsorted` is ["a","b"]); jaq keeps the order of construction.
// Objects read from the object are sorted when they are converted, so they are right.
#[test]
fn objects_built_by_a_query_keep_their_order_today() {
    let got = outputs("{b: 1, a: 2} | keys_unsorted", "{}");
    assert_eq!(got, [Output::Other(serde_json::json!(["b", "a"]))]);
    assert_eq!(
        outputs("{b: 1, a: 2} | .[]", "{}"),
        [Output::Int(1), Output::Int(2)]
    );
}

// Text: gojq prints integral floats without a fraction.

#[test]
fn tostring_prints_floats_as_gojq() {
    assert_eq!(text(".n | tostring", r#"{"n":1}"#), "1");
    assert_eq!(text(".n | tostring", r#"{"n":1.0}"#), "1");
    assert_eq!(text(".n | tostring", r#"{"n":1.5}"#), "1.5");
    assert_eq!(text(".n | tostring", r#"{"n":-0.25}"#), "-0.25");
    assert_eq!(text(".n | tostring", r#"{"n":1e21}"#), "1e+21");
    assert_eq!(
        text(".n | tostring", r#"{"n":1e20}"#),
        "100000000000000000000"
    );
    assert_eq!(text(".n | tostring", r#"{"n":0.0000001}"#), "1e-7");
    assert_eq!(text(".n | tostring", r#"{"n":0.000001}"#), "0.000001");
    assert_eq!(text("(.n + 1) | tostring", r#"{"n":1}"#), "2");
    assert_eq!(text("(.n * 2) | tostring", r#"{"n":0.5}"#), "1");
    assert_eq!(text("1.50 | tostring", "{}"), "1.5");
    assert_eq!(text("3 | tostring", "{}"), "3");
    assert_eq!(text(".s | tostring", r#"{"s":"x"}"#), "x");
    assert_eq!(text(".b | tostring", r#"{"b":true}"#), "true");
}

#[test]
fn tojson_is_gojq_json() {
    assert_eq!(text(".n | tojson", r#"{"n":1}"#), "1");
    assert_eq!(text(".s | tojson", r#"{"s":"a\"b"}"#), r#""a\"b""#);
    assert_eq!(
        text(".o | tojson", r#"{"o":{"b":1,"a":[2.5,"x"]}}"#),
        r#"{"a":[2.5,"x"],"b":1}"#
    );
    assert_eq!(text("{b: 1, a: 2} | tojson", "{}"), r#"{"a":2,"b":1}"#);
    assert_eq!(text(".o | tostring", r#"{"o":{"n":3}}"#), r#"{"n":3}"#);
    assert_eq!(text(".o | @json", r#"{"o":[1]}"#), "[1]");
    assert_eq!(
        text(r#""<&>\u0001\u007f" | tojson"#, "{}"),
        r#""<&>\u0001\u007f""#
    );
}

#[test]
fn interpolation_prints_object_floats_as_gojq() {
    assert_eq!(text(r#""\(.n)""#, r#"{"n":1}"#), "1");
    assert_eq!(text(r#""v\(.n)s""#, r#"{"n":30}"#), "v30s");
    assert_eq!(
        text(r#""\(.o)""#, r#"{"o":{"b":2,"a":1}}"#),
        r#"{"a":1,"b":2}"#
    );
    assert_eq!(text(".n | @text", r#"{"n":2}"#), "2");
    assert_eq!(text(r#"@text "\(.n)s""#, r#"{"n":2}"#), "2s");
    assert_eq!(
        text(r#"[.a[] | tostring] | join(",")"#, r#"{"a":[1,2.5]}"#),
        "1,2.5"
    );
}

// FIXME: a float computed by jq prints with a fraction inside string interpolation
// (`"\(.n + 1)"` gives "2.0"); gojq prints "2". `tostring` and `tojson` are right.
#[test]
fn interpolation_of_a_computed_float_keeps_jaq_text_today() {
    assert_eq!(text(r#""\(.n + 1)""#, r#"{"n":1}"#), "2.0");
}

// Outputs kwok drops or discards.

#[test]
fn null_outputs_are_dropped() {
    assert_eq!(
        outputs("1, null, 2", "{}"),
        [Output::Int(1), Output::Int(2)]
    );
    assert_eq!(outputs(".missing", "{}"), []);
    let statuses =
        r#"{"status":{"containerStatuses":[{"state":{"waiting":{"reason":"X"}}},{"state":{}}]}}"#;
    assert_eq!(
        outputs(
            ".status.containerStatuses.[].state.waiting.reason",
            statuses
        ),
        [s("X")]
    );
}

#[test]
fn empty_containers_are_values() {
    let got = outputs(".metadata.finalizers", r#"{"metadata":{"finalizers":[]}}"#);
    assert_eq!(got, [Output::Other(serde_json::json!([]))]);
    assert_eq!(
        outputs(".o", r#"{"o":{}}"#),
        [Output::Other(serde_json::json!({}))]
    );
}

#[test]
fn runtime_errors_say_what_went_wrong() {
    let got = run(".a.b", r#"{"a":"str"}"#);
    assert_eq!(
        got,
        Outcome::Failed(r#"expected an object but got: string ("str")"#.into())
    );
    let got = run(".status.conditions.[] | .type", r#"{"status":{}}"#);
    assert_eq!(got, Outcome::Failed("cannot iterate over: null".into()));
}

#[test]
fn runtime_errors_fail_the_whole_query() {
    assert!(failed(
        ".status.conditions.[] | select(.type==\"Ready\") | .status",
        r#"{"status":{}}"#
    ));
    assert!(failed(".a.b", r#"{"a":"str"}"#));
    assert!(failed("1, error(\"late\")", "{}"));
    assert_eq!(
        run(".metadata.name | error(\"boom\")", "{}"),
        Outcome::Failed("boom".into())
    );
    assert!(failed("halt", "{}"));
    assert!(failed(".s | ascii_downcase", r#"{"s":1}"#));
}

// gojq syntax used by kwok's Stages.

#[test]
fn gojq_syntax_in_use_parses() {
    let pod = r#"{"a":[1,2],"m":{"k":"v","a/b":"slash"},"t":"Ready"}"#;
    assert_eq!(
        outputs(".a.[]", pod),
        [Output::Float(1.0), Output::Float(2.0)]
    );
    assert_eq!(outputs(".m.[\"k\"]", pod), [s("v")]);
    assert_eq!(outputs(".m[\"a/b\"]", pod), [s("slash")]);
    assert_eq!(outputs(".m.\"a/b\"", pod), [s("slash")]);
    assert_eq!(outputs("select( .t == \"Ready\" ) | .m.k", pod), [s("v")]);
    assert_eq!(outputs(".t != \"Ready\"", pod), [Output::Bool(false)]);
    assert_eq!(outputs(".a[1]", pod), [Output::Float(2.0)]);
}

#[test]
fn object_keys_iterate_in_sorted_order() {
    let got = outputs(".o | keys_unsorted", r#"{"o":{"b":1,"a":2}}"#);
    assert_eq!(got, [Output::Other(serde_json::json!(["a", "b"]))]);
    assert_eq!(
        outputs(".o[]", r#"{"o":{"b":1,"a":2}}"#),
        [Output::Float(2.0), Output::Float(1.0)]
    );
}

// The function set: no clock, no environment, no input.

#[test]
fn functions_reading_the_platform_do_not_compile() {
    let (message, offset) = compile_error("now");
    assert!(
        message.starts_with("undefined function `now/0`: gojq has it"),
        "{message}"
    );
    assert_eq!(offset, 0);
    assert!(
        compile_error(".a | test(\"x\")")
            .0
            .contains("regular expressions")
    );
    assert_eq!(compile_error("nosuch").0, "undefined function `nosuch/0`");
    assert_eq!(compile_error(". | env").1, 4);
    assert_eq!(
        compile_error("$ENV"),
        ("undefined variable `$ENV`".to_string(), 0)
    );
    assert!(
        compile_error("input")
            .0
            .starts_with("undefined function `input/0`")
    );
    assert!(
        compile_error("todate")
            .0
            .starts_with("undefined function `todate/0`")
    );
}

#[test]
fn common_functions_compile() {
    for source in [
        "select(.a) | not",
        "map(.x)",
        "to_entries",
        "with_entries(.)",
        "has(\"a\")",
        "keys",
        "any",
        "all",
        "first(.[])",
        "last",
        "type",
        "values",
        "add",
        "min",
        "max",
        "unique",
        "sort_by(.a)",
        "ascii_downcase",
        "startswith(\"a\")",
        "split(\",\")",
        "join(\",\")",
        "test",
        "ltrimstr(\"a\")",
        "tostring",
        "tojson",
        "fromjson",
        "@json",
        "@text",
        "@sh",
        "tonumber",
        "length",
        "contains(\"a\")",
        "inside(\"a\")",
        "empty",
        "error",
        "range(3)",
        "limit(1; .[])",
        "paths",
        "getpath([\"a\"])",
        "isempty(.[])",
        "flatten",
        "abs",
        "floor",
        "if . then 1 else 2 end",
        ".a // \"d\"",
        "try .a catch .",
        "reduce .[] as $x (0; . + $x)",
        ". as $x | $x",
        "[.[] | numbers]",
    ] {
        let source = if source == "test" {
            "\"abc\" | length"
        } else {
            source
        };
        if let Err(error) = Query::compile(source) {
            panic!("{source}: {error}");
        }
    }
}

// Compile errors name the problem and its place.

#[test]
fn compile_errors_carry_a_char_offset() {
    assert_eq!(
        compile_error(".a | | .b"),
        ("expected term, found `|`".to_string(), 5)
    );
    assert_eq!(
        compile_error("1 +"),
        ("expected term, found the end of the query".to_string(), 3)
    );
    assert_eq!(
        compile_error(".a | nosuch(1)"),
        ("undefined function `nosuch/1`".to_string(), 5)
    );
    assert_eq!(compile_error("\"ä\" | nosuch").1, 6);
    assert_eq!(compile_error(".ä").1, 1);
    assert_eq!(compile_error(".a | $x").0, "undefined variable `$x`");
    assert_eq!(
        compile_error(".[").0,
        "expected a closing delimiter for `[`"
    );
    assert_eq!(
        compile_error("import \"m\" as m; .").0,
        "modules cannot be imported (`m`)"
    );
}

// The text kwok makes of each output before comparing it with `In` and `NotIn` values.

#[test]
fn match_text_of_each_output() {
    assert_eq!(s("Running").match_text(), Some("Running".to_string()));
    assert_eq!(Output::Bool(true).match_text(), Some("true".to_string()));
    assert_eq!(Output::Bool(false).match_text(), Some("false".to_string()));
    assert_eq!(Output::Int(2).match_text(), Some("2".to_string()));
    assert_eq!(Output::Int(-3).match_text(), Some("-3".to_string()));
    assert_eq!(Output::Float(1.0).match_text(), None);
    assert_eq!(Output::Other(serde_json::json!([])).match_text(), None);
    assert_eq!(Output::Other(serde_json::json!({})).match_text(), None);
}

#[test]
fn operator_names_are_exact() {
    assert_eq!(Operator::parse("In"), Some(Operator::In));
    assert_eq!(Operator::parse("NotIn"), Some(Operator::NotIn));
    assert_eq!(Operator::parse("Exists"), Some(Operator::Exists));
    assert_eq!(
        Operator::parse("DoesNotExist"),
        Some(Operator::DoesNotExist)
    );
    assert_eq!(Operator::parse("in"), None);
    assert_eq!(Operator::parse("Equals"), None);
    assert_eq!(Operator::parse(""), None);
    assert!(Operator::In.takes_values() && Operator::NotIn.takes_values());
    assert!(!Operator::Exists.takes_values() && !Operator::DoesNotExist.takes_values());
}

#[test]
fn operators_follow_spec_examples() {
    let running = r#"{"status":{"phase":"Running"}}"#;
    assert!(matches(".status.phase", running, "In", &["Running"]));
    assert!(matches(
        ".status.phase",
        running,
        "In",
        &["Pending", "Running"]
    ));
    assert!(!matches(".status.phase", "{}", "In", &["Running"]));
    assert!(matches(
        ".status.podIP",
        r#"{"status":{}}"#,
        "NotIn",
        &["X"]
    ));
    assert!(matches(
        ".metadata.annotations.x",
        r#"{"metadata":{"annotations":{"x":""}}}"#,
        "Exists",
        &[]
    ));
    assert!(matches(
        ".spec.containers | length",
        r#"{"spec":{"containers":[{},{}]}}"#,
        "In",
        &["2"]
    ));
    assert!(matches(
        ".spec.hostNetwork",
        r#"{"spec":{"hostNetwork":true}}"#,
        "In",
        &["true"]
    ));
    assert!(!matches(
        ".spec.hostNetwork",
        r#"{"spec":{"hostNetwork":true}}"#,
        "In",
        &["True"]
    ));
    assert!(!matches(
        ".metadata.ownerReferences.[].kind",
        "{}",
        "In",
        &["Job"]
    ));
    let ready = ".status.conditions.[] | select(.type==\"Ready\") | .status";
    assert!(matches(ready, r#"{"status":{}}"#, "NotIn", &["True"]));
    assert!(!matches(
        ready,
        r#"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#,
        "NotIn",
        &["True"]
    ));
    assert!(matches(
        ".spec.containers.[].name",
        r#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
        "In",
        &["b"]
    ));
}

// Spec 13.5: numbers read from objects never match; `tostring` is the way out.
#[test]
fn object_numbers_never_match() {
    let pod = r#"{"metadata":{"generation":1}}"#;
    assert!(!matches(".metadata.generation", pod, "In", &["1"]));
    assert!(!matches(".metadata.generation", pod, "In", &["1.0"]));
    assert!(matches(".metadata.generation", pod, "NotIn", &["1"]));
    assert!(matches(
        ".metadata.generation | tostring",
        pod,
        "In",
        &["1"]
    ));
    assert!(matches(".metadata.generation", pod, "Exists", &[]));
}

// Spec 13.6: a runtime error reads as no outputs.
#[test]
fn runtime_errors_read_as_no_outputs() {
    let broken = ".a.b";
    let object = r#"{"a":"str"}"#;
    assert!(!matches(broken, object, "In", &["x"]));
    assert!(matches(broken, object, "NotIn", &["x"]));
    assert!(!matches(broken, object, "Exists", &[]));
    assert!(matches(broken, object, "DoesNotExist", &[]));
    assert!(!matches("\"x\", error(\"e\")", "{}", "In", &["x"]));
}

// Spec 13.7: only null or missing is absent.
#[test]
fn exists_is_true_for_every_non_null_value() {
    for value in [r#""""#, "false", "0", "[]", "{}"] {
        let object = format!(r#"{{"v":{value}}}"#);
        assert!(matches(".v", &object, "Exists", &[]), "{value}");
        assert!(!matches(".v", &object, "DoesNotExist", &[]), "{value}");
    }
    assert!(!matches(".v", r#"{"v":null}"#, "Exists", &[]));
    assert!(matches(".v", r#"{"v":null}"#, "DoesNotExist", &[]));
    assert!(matches(".v", "{}", "DoesNotExist", &[]));
}

// `first` for durationFrom, weightFrom and jitterDurationFrom.

#[test]
fn first_reads_the_first_output() {
    let pod = support::json(r#"{"metadata":{"annotations":{"d":"2.5s"},"generation":3}}"#);
    let input = Input::new(&pod);
    assert_eq!(
        query(".metadata.annotations.d").first(&input),
        Some(s("2.5s"))
    );
    assert_eq!(
        query(".metadata.generation").first(&input),
        Some(Output::Float(3.0))
    );
    assert_eq!(query("\"1s\", \"2s\"").first(&input), Some(s("1s")));
    assert_eq!(query("null, \"2s\"").first(&input), Some(s("2s")));
    assert_eq!(query(".metadata.annotations.missing").first(&input), None);
    assert_eq!(query("\"1s\", error(\"late\")").first(&input), None);
}

#[test]
fn one_input_serves_many_queries() {
    let input = Input::new(&support::json(r#"{"status":{"phase":"Running"}}"#));
    let phase = query(".status.phase");
    for _ in 0..3 {
        assert_eq!(phase.run(&input), Outcome::Values(vec![s("Running")]));
    }
    assert_eq!(phase.source(), ".status.phase");
    assert_eq!(format!("{phase:?}"), "Query(\".status.phase\")");
}
