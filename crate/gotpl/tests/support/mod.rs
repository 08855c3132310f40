//! Helpers shared by the template tests: stand-ins for kwok's functions and one-call renders.

#![allow(dead_code)]

use std::cell::Cell;
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
