//! Compiling a query: the function set and compile errors with their place in the query.
//!
//! The function set is jaq's core definitions and natives, jaq-std's base natives and
//! jaq-json's natives, with the text conversions replaced by gojq's (`gojq_text`). Nothing
//! that reads the platform is included: `now`, `env`, `$ENV`, `input` and the date
//! functions that need a clock are undefined and fail to compile.

use jaq_core::compile::{self, Undefined};
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Native, data};
use jaq_json::Val;

use crate::shortcut::Plan;
use crate::{CompileError, Query, gojq_text};

pub(crate) type Data = data::JustLut<Val>;
pub(crate) type JqFilter = compile::Filter<Native<Data>>;

impl Query {
    /// Compiles a jq key. The error names the problem and its char offset in `source`.
    pub fn compile(source: &str) -> Result<Query, CompileError> {
        let replaced = |name: &&str| !gojq_text::REPLACED.contains(name);
        let defs = jaq_core::defs()
            .chain(jaq_std::defs().filter(|def| std_def_kept(def.name, def.args.len())))
            .chain(jaq_json::defs())
            .filter(|def| replaced(&def.name));
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
        let modules = Loader::new(defs)
            .load(&arena, file)
            .map_err(|errors| load_error(source, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| undefined_error(source, errors))?;

        Ok(Query {
            source: source.to_string(),
            filter,
            plan: Plan::parse(source),
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
        Undefined::Filter(arity) => format!("undefined function `{name}/{arity}`"),
        other => format!("undefined {} `{name}`", other.as_str()),
    };
    CompileError {
        message,
        offset: char_offset(source, name),
    }
}

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
