//! Compiling a query: the function set and compile errors with their place in the query.
//!
//! A query of a shape the direct evaluator reads (`shortcut`) is taken as it is; any other
//! query is compiled on jaq. The function set is jaq's core definitions and natives,
//! jaq-std's base natives and the definitions that need nothing more, and jaq-json's
//! natives, with the text conversions and rounding replaced by gojq's (`gojq_text`).
//! Nothing that reads the platform is included: `now`, `env`, `$ENV`, `input` and the date
//! functions are undefined and fail to compile.

use jaq_core::compile::{self, Undefined};
use jaq_core::load::parse::Def;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Native, data};
use jaq_json::Val;
use std::sync::OnceLock;

use crate::shortcut::Plan;
use crate::{CompileError, Program, Query, gojq_text};

pub(crate) type Data = data::JustLut<Val>;
pub(crate) type JqFilter = compile::Filter<Native<Data>>;

impl Query {
    /// Compiles a jq key. The error names the problem and its char offset in `source`.
    ///
    /// A query that the direct evaluator reads is not compiled on jaq: its shapes are a
    /// strict part of jq's syntax, and compiling jaq's prelude costs about a millisecond.
    pub fn compile(source: &str) -> Result<Query, CompileError> {
        let program = match Plan::parse(source) {
            Some(plan) => Program::Direct(plan),
            None => Program::Jq(compile_on_jaq(source)?),
        };
        Ok(Query {
            source: source.to_string(),
            program,
        })
    }

    /// The query text as written.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// jaq-std definitions that need natives outside the base set (regular expressions, dates,
/// formats, math, logging) are left out; so are the ones that only exist for them.
const STD_DEFS_LEFT_OUT: [&str; 27] = [
    "stderr",
    "debug",
    "halt_error",
    "logb",
    "significand",
    "drem",
    "nexttoward",
    "scalb",
    "gamma",
    "pow10",
    "capture_of_match",
    "test",
    "scan_",
    "match",
    "capture",
    "splits",
    "sub",
    "gsub",
    "scan",
    "todate",
    "fromdate",
    "@html",
    "@htmld",
    "@uri",
    "@urid",
    "@base64",
    "@base64d",
];

fn std_def_kept(name: &str, arity: usize) -> bool {
    // `split($sep)` splits by a string; `split(re; flags)` needs regular expressions.
    let regex_split = name == "split" && arity == 2;
    !regex_split && !STD_DEFS_LEFT_OUT.contains(&name)
}

/// The jq definitions every query can call, parsed once.
fn prelude() -> &'static [Def] {
    static PRELUDE: OnceLock<Vec<Def>> = OnceLock::new();
    PRELUDE.get_or_init(|| {
        let replaced = |name: &&str| !gojq_text::REPLACED.contains(name);
        jaq_core::defs()
            .chain(jaq_std::defs().filter(|def| std_def_kept(def.name, def.args.len())))
            .chain(jaq_json::defs())
            .filter(|def| replaced(&def.name))
            .collect()
    })
}

/// Compiles `source` on jaq with this crate's function set.
pub(crate) fn compile_on_jaq(source: &str) -> Result<JqFilter, CompileError> {
    let replaced = |name: &&str| !gojq_text::REPLACED.contains(name);
    let funs = jaq_core::funs()
        .chain(jaq_std::base_funs())
        .chain(jaq_json::funs())
        .filter(|fun| replaced(&fun.0))
        .chain(gojq_text::funs());

    let arena = Arena::default();
    let file = File {
        code: source,
        path: (),
    };
    let modules = Loader::new(prelude().iter().cloned())
        .load(&arena, file)
        .map_err(|errors| load_error(source, errors))?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| undefined_error(source, errors))
}

fn load_error(source: &str, errors: load::Errors<&str, ()>) -> CompileError {
    let Some((_, error)) = errors.into_iter().next() else {
        return CompileError {
            message: "the query does not load".to_string(),
            offset: 0,
        };
    };
    match error {
        load::Error::Lex(errors) => match errors.first() {
            Some((expect, at)) => CompileError {
                message: format!("expected {}", lex_expectation(expect)),
                offset: char_offset(source, at),
            },
            None => unknown(),
        },
        load::Error::Parse(errors) => match errors.first() {
            Some((expect, at)) if at.is_empty() => CompileError {
                message: format!("expected {}, found the end of the query", expect.as_str()),
                offset: char_offset(source, at),
            },
            Some((expect, at)) => CompileError {
                message: format!("expected {}, found `{at}`", expect.as_str()),
                offset: char_offset(source, at),
            },
            None => unknown(),
        },
        load::Error::Io(errors) => match errors.first() {
            Some((path, _)) => CompileError {
                message: format!("modules cannot be imported (`{path}`)"),
                offset: char_offset(source, path),
            },
            None => unknown(),
        },
    }
}

fn undefined_error(source: &str, errors: compile::Errors<&str, ()>) -> CompileError {
    let first = errors
        .into_iter()
        .next()
        .and_then(|(_, errors)| errors.into_iter().next());
    let Some((name, undefined)) = first else {
        return unknown();
    };
    let message = match undefined {
        Undefined::Filter(arity) if GOJQ_ONLY.contains(&name) => format!(
            "undefined function `{name}/{arity}`: gojq has it, but regular expressions, \
             dates, clocks, math and input are not available here"
        ),
        Undefined::Filter(arity) => format!("undefined function `{name}/{arity}`"),
        other => format!("undefined {} `{name}`", other.as_str()),
    };
    CompileError {
        message,
        offset: char_offset(source, name),
    }
}

/// gojq functions outside this crate's function set, named in the error so that a reader
/// knows the query is valid for kwok.
const GOJQ_ONLY: [&str; 44] = [
    "test",
    "match",
    "capture",
    "scan",
    "splits",
    "sub",
    "gsub",
    "ascii",
    "now",
    "mktime",
    "gmtime",
    "localtime",
    "strftime",
    "strflocaltime",
    "strptime",
    "todate",
    "fromdate",
    "date",
    "dateadd",
    "datesub",
    "todateiso8601",
    "fromdateiso8601",
    "dateiso8601",
    "env",
    "input",
    "inputs",
    "debug",
    "stderr",
    "input_filename",
    "halt_error",
    "@base64",
    "@base64d",
    "@uri",
    "@html",
    "@csv",
    "@tsv",
    "sqrt",
    "pow",
    "log",
    "exp",
    "log10",
    "log2",
    "exp10",
    "significand",
];

fn lex_expectation(expect: &load::lex::Expect<&str>) -> String {
    use load::lex::Expect;
    match expect {
        Expect::Digit => "a digit".to_string(),
        Expect::Ident => "an identifier".to_string(),
        Expect::Delim(open) => format!("a closing delimiter for `{open}`"),
        Expect::Escape => "a string escape sequence".to_string(),
        Expect::Unicode => "a 4-digit hexadecimal code point".to_string(),
        Expect::Token => "a token".to_string(),
        _ => "something else".to_string(),
    }
}

fn unknown() -> CompileError {
    CompileError {
        message: "the query does not compile".to_string(),
        offset: 0,
    }
}

/// The char offset of `part`, a slice that jaq cut from `source`; the end of the query
/// when `part` comes from elsewhere.
fn char_offset(source: &str, part: &str) -> usize {
    let start = source.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    let byte = if at >= start && at <= start + source.len() {
        at - start
    } else {
        source.len()
    };
    source
        .get(..byte)
        .map_or_else(|| source.chars().count(), |head| head.chars().count())
}
