//! Random template texts over random data: parsing and executing return, never panic.

use proptest::prelude::*;
use stage_gotpl::{Funcs, Template, Value};

fn funcs() -> Funcs {
    let mut f = Funcs::new();
    stage_gotpl::sprig::register(&mut f, std::rc::Rc::new(Clock));
    f
}

struct Clock;

impl stage_gotpl::Env for Clock {
    fn now(&self) -> i64 {
        1_704_067_210_000_000_000
    }
    fn next_u64(&self) -> u64 {
        7
    }
}

/// Pieces that make up plausible and implausible templates.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{- ".to_string()),
        Just(" -}}".to_string()),
        Just(" ".to_string()),
        Just(".a".to_string()),
        Just(".l".to_string()),
        Just("$x := ".to_string()),
        Just("$x".to_string()),
        Just("if ".to_string()),
        Just("else".to_string()),
        Just("end".to_string()),
        Just("range ".to_string()),
        Just("with ".to_string()),
        Just("break".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("|".to_string()),
        Just("index".to_string()),
        Just("printf \"%d %s %5.2f\"".to_string()),
        Just("eq".to_string()),
        Just("len".to_string()),
        Just("slice".to_string()),
        Just("default".to_string()),
        Just("add".to_string()),
        Just("\"s\"".to_string()),
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1.5".to_string()),
        Just("nil".to_string()),
        Just("/* c */".to_string()),
        Just("\"é日😀\"".to_string()),
        Just("9223372036854775807".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("1e308".to_string()),
        Just("\"--9223372036854775808\"".to_string()),
        Just("abbrevboth 5 12".to_string()),
        Just("substr".to_string()),
        Just("trunc".to_string()),
        Just("repeat".to_string()),
        Just("indent".to_string()),
        Just("untilStep".to_string()),
        Just("randInt".to_string()),
        Just("toJson".to_string()),
        Just("add1".to_string()),
        "[a-z{}.$| ()\"'-]{0,6}".prop_map(|s| s),
        "[a-zé日😀\u{a0} \"]{0,6}".prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn data() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e30f64..1e30).prop_map(serde_json::Value::from),
        "[a-z0-9 ]{0,5}".prop_map(serde_json::Value::String),
        "[a-zé日😀\u{a0}\u{300} -]{0,8}".prop_map(serde_json::Value::String),
        any::<i64>().prop_map(|n| serde_json::Value::String(n.to_string())),
        any::<u64>().prop_map(serde_json::Value::from),
    ];
    let node = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-c]", inner, 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    (node.clone(), node).prop_map(|(a, l)| serde_json::json!({"a": a, "l": l}))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_and_execute_never_panic(pieces in prop::collection::vec(piece(), 0..24), data in data()) {
        let text: String = pieces.concat();
        let funcs = funcs();
        if let Ok(t) = Template::parse("_", &text, &funcs) {
            let _ = t.execute(&Value::from_json(&data), &funcs);
        }
    }
}
