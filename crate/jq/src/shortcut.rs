//! Direct evaluation of the query shapes that Stages use on every event.
//!
//! Most selector keys are plain paths (`.status.phase`, `.metadata.annotations["k"]`,
//! `.spec.containers.[].name`), and the rest are mostly `path | select(path == literal) |
//! path`. Running those through jaq costs about a microsecond of iterator plumbing each,
//! and needs the whole object converted first. A query of exactly these shapes is also
//! evaluated here, straight on the object's JSON, with jq's rules: indexing `null` gives
//! `null`, indexing anything but an object or `null` is an error, `.[]` walks arrays and
//! objects (in sorted key order, as gojq does) and fails on anything else. Every other
//! query runs on jaq. The unit tests below check that both give the same outcome.

use serde_json::Value;

use crate::convert::{json_object, sorted_entries};
use crate::{Outcome, Output};

/// A query of one of the shapes evaluated here.
#[derive(Debug)]
pub(crate) struct Plan {
    stages: Vec<Stage>,
}

#[derive(Debug)]
enum Stage {
    Path(Vec<Step>),
    /// `select(path == literal)`.
    Select(Vec<Step>, Literal),
}

#[derive(Debug)]
enum Step {
    Key(String),
    Iterate,
}

#[derive(Debug)]
enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

static NULL: Value = Value::Null;

impl Plan {
    /// The plan for `source`, or `None` when the query has another shape.
    pub(crate) fn parse(source: &str) -> Option<Plan> {
        let mut parser = Parser {
            text: source.as_bytes(),
            at: 0,
        };
        let mut stages = Vec::new();
        loop {
            parser.skip_space();
            stages.push(parser.stage()?);
            parser.skip_space();
            if parser.eat(b'|') {
                continue;
            }
            return parser.at_end().then_some(Plan { stages });
        }
    }

    pub(crate) fn run(&self, object: &Value) -> Outcome {
        // A path of keys alone, the most common selector, has at most one value at every
        // step and needs no lists on the way.
        if let [Stage::Path(steps)] = self.stages.as_slice()
            && let Some(result) = follow_keys(object, steps)
        {
            return match result {
                Ok(value) => Outcome::Values(output_of(value).into_iter().collect()),
                Err(message) => Outcome::Failed(message),
            };
        }

        let mut current = vec![object];
        for stage in &self.stages {
            let mut next = Vec::new();
            for value in current {
                let result = match stage {
                    Stage::Path(steps) => walk(value, steps, &mut next),
                    Stage::Select(steps, literal) => select(value, steps, literal, &mut next),
                };
                if let Err(message) = result {
                    return Outcome::Failed(message);
                }
            }
            current = next;
        }
        Outcome::Values(current.into_iter().filter_map(output_of).collect())
    }
}

/// [`walk`] for a path of keys alone: its one value; `None` when the path iterates.
fn follow_keys<'a>(mut value: &'a Value, steps: &[Step]) -> Option<Result<&'a Value, String>> {
    for step in steps {
        let Step::Key(key) = step else {
            return None;
        };
        value = match field(value, key) {
            Ok(next) => next,
            Err(message) => return Some(Err(message)),
        };
    }
    Some(Ok(value))
}

/// `.key` on one value: objects give the key's value or null, null gives null.
fn field<'a>(value: &'a Value, key: &str) -> Result<&'a Value, String> {
    match value {
        Value::Object(map) => Ok(map.get(key).unwrap_or(&NULL)),
        Value::Null => Ok(&NULL),
        other => Err(format!("expected an object but got: {}", describe(other))),
    }
}

fn walk<'a>(value: &'a Value, steps: &[Step], out: &mut Vec<&'a Value>) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        out.push(value);
        return Ok(());
    };
    match (step, value) {
        (Step::Key(key), value) => walk(field(value, key)?, rest, out),
        (Step::Iterate, Value::Array(items)) => {
            items.iter().try_for_each(|item| walk(item, rest, out))
        }
        (Step::Iterate, Value::Object(map)) => sorted_entries(map)
            .into_iter()
            .try_for_each(|(_, item)| walk(item, rest, out)),
        // The usual failure (`.status.containerStatuses.[]` before there is a status) needs
        // no formatting.
        (Step::Iterate, Value::Null) => Err("cannot iterate over: null".to_string()),
        (Step::Iterate, other) => Err(format!("cannot iterate over: {}", describe(other))),
    }
}

fn select<'a>(
    value: &'a Value,
    steps: &[Step],
    literal: &Literal,
    out: &mut Vec<&'a Value>,
) -> Result<(), String> {
    let mut tested = Vec::new();
    walk(value, steps, &mut tested)?;
    // `select` emits its input once for every true output of its condition.
    for candidate in tested {
        if equals(candidate, literal) {
            out.push(value);
        }
    }
    Ok(())
}

fn equals(value: &Value, literal: &Literal) -> bool {
    match (value, literal) {
        (Value::String(s), Literal::Str(l)) => s == l,
        (Value::Number(n), Literal::Num(l)) => n.as_f64() == Some(*l),
        (Value::Bool(b), Literal::Bool(l)) => b == l,
        (Value::Null, Literal::Null) => true,
        _ => false,
    }
}

/// The value in an error message, in the form gojq's messages use (`string ("abc")`),
/// with long values cut.
fn describe(value: &Value) -> String {
    if value.is_null() {
        return "null".to_string();
    }
    let mut text = value.to_string();
    if text.len() > 40 {
        let cut = (0..=37)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        text.truncate(cut);
        text.push_str("...");
    }
    format!("{} ({text})", type_name(value))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The output for a value of the object; its numbers are floats, as in `convert`.
fn output_of(value: &Value) -> Option<Output> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => Output::Bool(*b),
        Value::Number(n) => Output::Float(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => Output::String(s.clone()),
        Value::Array(_) | Value::Object(_) => Output::Other(with_float_numbers(value)),
    })
}

fn with_float_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(with_float_numbers).collect()),
        Value::Object(map) => json_object(
            map.iter()
                .map(|(k, v)| (k.clone(), with_float_numbers(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A strict reader of the shapes above; anything it does not know is left to jaq.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn stage(&mut self) -> Option<Stage> {
        if self.eat_word(b"select") {
            self.skip_space();
            self.expect(b'(')?;
            self.skip_space();
            let steps = self.path()?;
            self.skip_space();
            self.expect(b'=')?;
            self.expect(b'=')?;
            self.skip_space();
            let literal = self.literal()?;
            self.skip_space();
            self.expect(b')')?;
            return Some(Stage::Select(steps, literal));
        }
        self.path().map(Stage::Path)
    }

    /// `.`, or a chain of `.name`, `."name"`, `["name"]`, `[]`, each optionally after a dot.
    fn path(&mut self) -> Option<Vec<Step>> {
        self.expect(b'.')?;
        let mut steps = Vec::new();
        let mut after_dot = true;
        loop {
            match self.peek() {
                Some(b'[') => steps.push(self.bracket()?),
                Some(b'"') if after_dot => steps.push(Step::Key(self.string()?)),
                Some(c) if after_dot && is_ident_start(c) => steps.push(Step::Key(self.ident())),
                Some(b'.') if !after_dot => {
                    self.at += 1;
                    after_dot = true;
                    continue;
                }
                _ if after_dot && !steps.is_empty() => return None,
                _ => return Some(steps),
            }
            after_dot = false;
        }
    }

    fn bracket(&mut self) -> Option<Step> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Some(Step::Iterate);
        }
        let key = self.string()?;
        self.expect(b']')?;
        Some(Step::Key(key))
    }

    /// A string without escapes or interpolation.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let start = self.at;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => return None,
                c if c < 0x20 => return None,
                _ => self.at += 1,
            }
        }
        let text = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        self.at += 1;
        Some(text.to_string())
    }

    fn ident(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(is_ident_char) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    fn literal(&mut self) -> Option<Literal> {
        if self.peek() == Some(b'"') {
            return self.string().map(Literal::Str);
        }
        for (word, literal) in [
            (&b"true"[..], Literal::Bool(true)),
            (b"false", Literal::Bool(false)),
            (b"null", Literal::Null),
        ] {
            if self.eat_word(word) {
                return Some(literal);
            }
        }
        let start = self.at;
        self.eat(b'-');
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        if self.peek().is_some_and(is_ident_char) || self.peek() == Some(b'.') {
            return None;
        }
        digits.parse::<i64>().ok().map(|n| Literal::Num(n as f64))
    }

    fn eat_word(&mut self, word: &[u8]) -> bool {
        let end = self.at + word.len();
        let matches = self.text.get(self.at..end) == Some(word)
            && !self.text.get(end).copied().is_some_and(is_ident_char);
        if matches {
            self.at = end;
        }
        matches
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn at_end(&self) -> bool {
        self.at == self.text.len()
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::Plan;
    use crate::compile::compile_on_jaq;
    use crate::run::run_on_jaq;
    use crate::{Input, Outcome};

    fn same_on_both(source: &str, object: &serde_json::Value) {
        let Some(plan) = Plan::parse(source) else {
            panic!("{source} has no plan");
        };
        let filter = match compile_on_jaq(source) {
            Ok(filter) => filter,
            Err(error) => panic!("{source}: {error}"),
        };
        let input = Input::new(object);
        let direct = plan.run(input.json());
        let on_jaq = run_on_jaq(&filter, &input);
        match (&direct, &on_jaq) {
            (Outcome::Failed(_), Outcome::Failed(_)) => {}
            _ => assert_eq!(direct, on_jaq, "{source} on {object}"),
        }
    }

    #[test]
    fn direct_evaluation_agrees_with_jaq() {
        let objects = [
            serde_json::json!({}),
            serde_json::json!(null),
            serde_json::json!("text"),
            serde_json::json!({"a": "str", "n": 1, "m": {"k": "v", "a/b": 2.5}}),
            serde_json::json!({"a": {"b": [1, {"c": "x"}, null, {"c": null}]}, "m": {"z": 1, "y": [2]}}),
            serde_json::json!({"status": {"conditions": [
                {"type": "Ready", "status": "True"},
                {"type": "Initialized", "status": "False"},
                {"type": "Ready", "status": "Unknown", "n": 1},
                {"other": true}
            ]}}),
            serde_json::json!({"status": {"conditions": "broken"}}),
            serde_json::json!({"status": {"conditions": [1, "s"]}}),
            serde_json::json!({"a": [[1, 2], [3]], "b": true, "c": [], "d": {}}),
        ];
        let queries = [
            ".",
            ".a",
            ".a.b",
            ".a.b.[]",
            ".a.b[].c",
            ".a.b.[].c",
            ".m[\"k\"]",
            ".m.[\"a/b\"]",
            ".m.\"a/b\"",
            ".m.[]",
            ".m[]",
            ".[]",
            ".a.[].[]",
            ".n",
            ".b",
            ".c",
            ".d",
            ".a | .b",
            ".status.conditions.[] | select( .type == \"Ready\" ) | .status",
            ".status.conditions.[] | select(.type==\"Initialized\") | .status",
            ".status.conditions[] | select(.n == 1)",
            ".status.conditions[] | select(.other == true) | .other",
            ".status.conditions[] | select(.missing == null) | .type",
            "select(.b == true) | .a",
            "select(.a.b[].c == \"x\")",
            "select(.n == -1)",
        ];
        for source in queries {
            for object in &objects {
                same_on_both(source, object);
            }
        }
    }

    #[test]
    fn other_shapes_are_left_to_jaq() {
        for source in [
            "..",
            ".a?",
            ".[0]",
            ".a.",
            ". a",
            ".a == \"x\"",
            ".a | length",
            ".m[\"k\\\"\"]",
            "\"\\(.a)\"",
            "select(.a == 1.5)",
            "select(.a != \"x\")",
            "select(.a == \"x\" and .b)",
            ".a, .b",
            "selectx(.a == 1)",
            "# comment\n.a",
        ] {
            assert!(Plan::parse(source).is_none(), "{source}");
        }
    }

    #[test]
    fn every_shape_with_a_plan_compiles_on_jaq() {
        // The plan is taken without asking jaq, so its grammar must stay inside jq's.
        for source in [
            ".",
            ".a",
            ".a.b",
            ".[]",
            ".a[]",
            ".a.[]",
            ".a[\"k\"]",
            ".a.[\"k\"]",
            ".\"k\"",
            ".a | .b",
            "select(.a == 1)",
            "select(.a == -1) | .b",
            "select(.a == null)",
            "select( .a.b[] == \"x\" )",
            ".a | select(.b == true) | .c",
            ".if",
            ".and.or",
            "select(.a==false)",
        ] {
            assert!(Plan::parse(source).is_some(), "{source}");
            if let Err(error) = compile_on_jaq(source) {
                panic!("{source}: {error}");
            }
        }
    }

    #[test]
    fn in_use_shapes_have_a_plan() {
        for source in [
            ".status.phase",
            ".metadata.annotations[\"pod-ready.stage.kwok.x-k8s.io/delay\"]",
            ".metadata.labels.\"simkube.io/kwok-stage-complete\"",
            ".metadata.ownerReferences.[].kind",
            ".status.conditions.[] | select( .type == \"Ready\" ) | .status",
        ] {
            assert!(Plan::parse(source).is_some(), "{source}");
        }
    }
}
