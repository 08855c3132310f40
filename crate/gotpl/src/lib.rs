//! Go's `text/template`, with sprig v3's text functions, as kwok renders Stage templates.
//!
//! The data a template sees is built with [`Value::from_json`], which keeps JSON numbers as
//! Go's `json.Number` (printed as written, truthy even when `0`, string-like in `eq`).
//! Functions are registered in a [`Funcs`] table with declared parameter kinds, so that a
//! missing key passed to a `string` parameter fails with Go's error text while an `any`
//! parameter receives nil. Errors carry Go's message shape and the line and column inside
//! the template text. The clock and randomness that sprig's functions use come from an
//! [`Env`] the caller passes in. kwok's own functions are not here: the engine registers
//! them.
//!
//! ```
//! use stage_gotpl::{Func, Funcs, Param, Template, Value};
//!
//! let mut funcs = Funcs::new();
//! funcs.insert("Upper", Func::new(&[Param::String], |args| {
//!     let text = args[0].to_go_string();
//!     Ok(Value::from(text.to_uppercase()))
//! }));
//! let data = Value::from_json(&serde_json::json!({"spec": {"nodeName": "n1", "replicas": 0}}));
//!
//! let text = "{{ .spec.nodeName | Upper }} {{ if .spec.replicas }}set{{ end }}";
//! let t = Template::parse("_", text, &funcs).unwrap();
//! assert_eq!(t.execute(&data, &funcs).unwrap(), "N1 set");
//!
//! let t = Template::parse("_", "a{{ eq .spec.replicas 0 }}", &funcs).unwrap();
//! let err = t.execute(&data, &funcs).unwrap_err();
//! assert_eq!(err.message, "template: _:1:4: executing \"_\" at <eq .spec.replicas 0>: \
//!     error calling eq: incompatible types for comparison");
//! assert_eq!((err.line, err.column, err.partial.as_str()), (1, 5, "a"));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

pub mod boundary;
mod builtins;
pub mod duration;
mod exec;
mod gofmt;
mod lex;
mod parse;
mod reads;
pub mod sprig;
pub mod value;

/// A value inside a template, shaped like the Go values kwok's templates see.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Go's untyped nil (a missing key, a JSON null).
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A JSON number as Go's `json.Number`: its literal text.
    Number(Rc<str>),
    String(Rc<str>),
    List(Rc<Vec<Value>>),
    Map(Rc<BTreeMap<String, Value>>),
}

/// The kind of a declared function parameter; Go converts (or refuses) arguments by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Any,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    List,
    Map,
}

/// A function callable from templates. It returns a value or an error message, which the
/// executor wraps as Go does (`error calling NAME: MESSAGE`).
pub type FuncImpl = Rc<dyn Fn(&[Value]) -> Result<Value, String>>;

/// One registered function: its parameters (the last repeats when `variadic`) and its body.
#[derive(Clone)]
pub struct Func {
    pub params: Vec<Param>,
    pub variadic: bool,
    pub body: FuncImpl,
}

/// The function table of a render: later insertions win, as in Go's `Funcs`.
#[derive(Clone, Default)]
pub struct Funcs {
    table: HashMap<String, Func, BuildHasherDefault<NameHasher>>,
}

/// FNV-1a over function names: names are short and looked up on every call.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl Funcs {
    pub fn new() -> Funcs {
        Funcs::default()
    }

    pub fn insert(&mut self, name: &str, func: Func) {
        self.table.insert(name.to_string(), func);
    }

    pub fn get(&self, name: &str) -> Option<&Func> {
        self.table.get(name)
    }

    /// The registered names with their functions, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Func)> {
        self.table.iter().map(|(name, func)| (name.as_str(), func))
    }
}

/// The most bytes a render may write, and the most a single function may build (a string's
/// bytes, a list's elements). Go has no such bound and runs out of memory instead, which
/// would take the page down; the bound sits far above anything the API server stores
/// (etcd keeps at most 1.5 MiB per object), so only a runaway template reaches it.
pub const OUTPUT_LIMIT: usize = 1 << 22;

/// The error a function returns when what it would build passes [`OUTPUT_LIMIT`].
pub fn over_limit(what: &str) -> String {
    format!("{what} would exceed the output limit of {OUTPUT_LIMIT} bytes")
}

/// Checks a size a function is about to build against [`OUTPUT_LIMIT`].
pub(crate) fn within_limit(size: Option<usize>, what: &str) -> Result<usize, String> {
    size.filter(|n| *n <= OUTPUT_LIMIT)
        .ok_or_else(|| over_limit(what))
}

/// The names of Go's predefined functions (`and`, `len`, `printf`, ...), which every
/// template can call without registering them.
pub const BUILTINS: &[&str] = builtins::NAMES;

/// What sprig's clock and random functions read: a virtual clock and a seeded generator.
pub trait Env {
    /// Nanoseconds since the Unix epoch, UTC.
    fn now(&self) -> i64;
    /// The next value of a seeded generator.
    fn next_u64(&self) -> u64;
}

/// A parsed template (with its `define`d associates).
pub struct Template {
    name: Rc<str>,
    text: Rc<str>,
    trees: parse::Trees,
    reads: reads::Reads,
}

/// A parse or execution error in Go's shape, e.g. `template: _:11:14: executing "_" at
/// <index $root.status.x $i>: error calling index: index of untyped nil`.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// Go's message, without kwok's wrapper and without the partial output.
    pub message: String,
    /// 1-based line and column inside the template text, when Go names one.
    pub line: usize,
    pub column: usize,
    /// The text rendered before an execution error (Go leaves it in the writer).
    pub partial: String,
    pub phase: Phase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Parse,
    Execute,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl Template {
    /// Parses `text` as template `name`; function names are checked against `funcs` as Go
    /// does at parse time.
    pub fn parse(name: &str, text: &str, funcs: &Funcs) -> Result<Template, Error> {
        let trees = parse::parse(name, text, funcs)?;
        let reads = reads::Reads::of(&trees);
        Ok(Template {
            name: Rc::from(name),
            text: Rc::from(text),
            trees,
            reads,
        })
    }

    /// Executes the template over `data`.
    pub fn execute(&self, data: &Value, funcs: &Funcs) -> Result<String, Error> {
        exec::execute(&self.name, &self.text, &self.trees, data, funcs)
    }

    /// Executes the template over a JSON object, as [`execute`](Template::execute) over
    /// [`Value::from_json`] of it would, converting only the parts the template can read.
    pub fn execute_json(&self, data: &serde_json::Value, funcs: &Funcs) -> Result<String, Error> {
        // The cut-down data answers the builtin `index`; a table with its own may read more.
        if self.reads.through_index() && funcs.get("index").is_some() {
            return self.execute(&Value::from_json(data), funcs);
        }
        self.execute(&self.data_for(data), funcs)
    }

    /// The template value of `json` cut down to the parts this template can read: every
    /// read gives what it would give on all of `json`.
    pub fn data_for(&self, json: &serde_json::Value) -> Value {
        self.reads.project(json)
    }

    /// The template's name, as its error messages give it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Func {
    /// A function with fixed parameters.
    pub fn new(
        params: &[Param],
        body: impl Fn(&[Value]) -> Result<Value, String> + 'static,
    ) -> Func {
        Func {
            params: params.to_vec(),
            variadic: false,
            body: Rc::new(body),
        }
    }

    /// A function whose last parameter repeats (Go's `...T`).
    pub fn variadic(
        params: &[Param],
        body: impl Fn(&[Value]) -> Result<Value, String> + 'static,
    ) -> Func {
        Func {
            params: params.to_vec(),
            variadic: true,
            body: Rc::new(body),
        }
    }
}

/// The 1-based line of byte offset `pos` and Go's column: the byte offset within the line,
/// counted from 0, as Go's `ErrorContext` prints it.
pub(crate) fn line_byte_column(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text.as_bytes()[..pos];
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let col = match before.iter().rposition(|b| *b == b'\n') {
        Some(nl) => pos - nl - 1,
        None => pos,
    };
    (line, col)
}

/// The 1-based column, in characters, of byte offset `pos` within its line.
pub(crate) fn column_of(text: &str, pos: usize) -> usize {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    text[start..pos].chars().count() + 1
}
