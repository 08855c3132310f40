//! The executor of Go's `text/template`: walks a parsed tree over a data value.
//!
//! It follows Go's `text/template/exec.go` step by step, because kwok's users compare the
//! rendered text and the error text with kwok's: the node an error is reported at is the
//! one Go's executor was at, arguments are converted to declared parameter kinds with Go's
//! messages, and the output written before an error is kept as the partial result.

use std::rc::Rc;

use crate::builtins;
use crate::parse::{Arg, Command, Control, List, Node, Number, Pipe, Trees};
use crate::{Error, Funcs, OUTPUT_LIMIT, Param, Phase, Value};

/// A value as Go's executor holds it: `boxed` marks an `interface{}` read from a map or a
/// list, which Go keeps wrapped until a pipeline ends. A boxed nil is a JSON null; an
/// unboxed nil is Go's invalid value (a missing key).
#[derive(Clone, Debug)]
pub(crate) struct Rv {
    pub v: Value,
    pub boxed: bool,
}

impl Rv {
    pub fn plain(v: Value) -> Rv {
        Rv { v, boxed: false }
    }

    pub fn invalid() -> Rv {
        Rv {
            v: Value::Nil,
            boxed: false,
        }
    }

    pub fn is_invalid(&self) -> bool {
        !self.boxed && matches!(self.v, Value::Nil)
    }

    /// The value a pipeline ends with: Go unwraps an `interface{}` at the end of each command.
    fn unbox(self) -> Rv {
        Rv {
            v: self.v,
            boxed: false,
        }
    }
}

/// How Go's executor leaves a list early: `{{break}}`, `{{continue}}` or an error.
pub(crate) enum Flow {
    Break,
    Continue,
    Err(String),
}

pub(crate) type Res<T> = Result<T, Flow>;

/// The node Go's executor reports an error at (`s.at(node)`).
#[derive(Clone, Copy)]
pub(crate) enum At<'t> {
    None,
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Arg(&'t Arg),
    Template(usize, &'t str, Option<&'t Pipe>),
}

/// Go's limit on nested `{{template}}` calls is 100000; a native (or WebAssembly) stack
/// holds fewer frames.
const MAX_TEMPLATE_DEPTH: usize = 200;

pub(crate) struct State<'t> {
    parse_name: &'t str,
    text: &'t str,
    trees: &'t Trees,
    funcs: &'t Funcs,
    tmpl_name: &'t str,
    pub out: String,
    vars: Vec<(Rc<str>, Rv)>,
    at: At<'t>,
    depth: usize,
}

pub(crate) fn execute(
    parse_name: &str,
    text: &str,
    trees: &Trees,
    data: &Value,
    funcs: &Funcs,
) -> Result<String, Error> {
    let mut s = State {
        parse_name,
        text,
        trees,
        funcs,
        tmpl_name: parse_name,
        out: String::with_capacity(text.len() + 256),
        vars: vec![(trees.dollar.clone(), Rv::plain(data.clone()))],
        at: At::None,
        depth: 0,
    };
    let dot = Rv::plain(data.clone());
    match s.walk_list(&dot, &trees.main) {
        Ok(()) => Ok(s.out),
        Err(Flow::Err(message)) => {
            let (line, column) = s.at_line_column();
            Err(Error {
                message,
                line,
                column,
                partial: s.out,
                phase: Phase::Execute,
            })
        }
        // The parser rejects break and continue outside range, so these cannot escape.
        Err(Flow::Break | Flow::Continue) => Ok(s.out),
    }
}

impl<'t> State<'t> {
    fn at_pos(&self) -> Option<usize> {
        match self.at {
            At::None => None,
            At::Pipe(p) => Some(p.pos),
            At::Cmd(c) => Some(c.pos),
            At::Arg(a) => Some(a.pos()),
            At::Template(pos, _, _) => Some(pos),
        }
    }

    fn at_line_column(&self) -> (usize, usize) {
        match self.at_pos() {
            Some(pos) => {
                let (line, _) = crate::line_byte_column(self.text, pos);
                (line, crate::column_of(self.text, pos))
            }
            None => (0, 0),
        }
    }

    fn context(&self) -> String {
        match self.at {
            At::None => String::new(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
            At::Template(_, name, pipe) => match pipe {
                Some(p) => format!("{{{{template {} {}}}}}", crate::value::go_quote(name), p),
                None => format!("{{{{template {}}}}}", crate::value::go_quote(name)),
            },
        }
    }

    /// Go's `s.errorf`: `template: NAME:LINE:COL: executing "TMPL" at <NODE>: MSG`.
    pub(crate) fn err(&self, msg: impl Into<String>) -> Flow {
        let msg = msg.into();
        match self.at_pos() {
            None => Flow::Err(format!("template: {}: {}", self.tmpl_name, msg)),
            Some(pos) => {
                let (line, col) = crate::line_byte_column(self.text, pos);
                Flow::Err(format!(
                    "template: {}:{}:{}: executing {} at <{}>: {}",
                    self.parse_name,
                    line,
                    col,
                    crate::value::go_quote(self.tmpl_name),
                    self.context(),
                    msg
                ))
            }
        }
    }

    fn walk_list(&mut self, dot: &Rv, list: &'t List) -> Res<()> {
        for node in list {
            self.walk(dot, node)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Rv, node: &'t Node) -> Res<()> {
        match node {
            Node::Text(t) => {
                self.out.push_str(t);
                self.check_output_size()
            }
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.set_at(At::Pipe(pipe));
                    self.print_value(&v);
                }
                self.check_output_size()
            }
            Node::If(c) => self.walk_if_or_with(dot, c, false),
            Node::With(c) => self.walk_if_or_with(dot, c, true),
            Node::Range(c) => self.walk_range(dot, c),
            Node::Template { pos, name, pipe } => {
                self.walk_template(dot, *pos, name, pipe.as_ref())
            }
            Node::Break => Err(Flow::Break),
            Node::Continue => Err(Flow::Continue),
        }
    }

    /// Stops a render whose output passed [`OUTPUT_LIMIT`], before it exhausts memory.
    fn check_output_size(&self) -> Res<()> {
        if self.out.len() > OUTPUT_LIMIT {
            return Err(self.err(crate::over_limit("the template output")));
        }
        Ok(())
    }

    fn print_value(&mut self, v: &Rv) {
        if v.is_invalid() {
            self.out.push_str("<no value>");
        } else {
            v.v.write_go(&mut self.out);
        }
    }

    fn walk_if_or_with(&mut self, dot: &Rv, c: &'t Control, is_with: bool) -> Res<()> {
        let mark = self.vars.len();
        let val = self.eval_pipeline(dot, &c.pipe)?;
        let result = if val.v.is_true() {
            if is_with {
                self.walk_list(&val, &c.list)
            } else {
                self.walk_list(dot, &c.list)
            }
        } else if let Some(else_list) = &c.else_list {
            self.walk_list(dot, else_list)
        } else {
            Ok(())
        };
        self.vars.truncate(mark);
        result
    }

    fn walk_range(&mut self, dot: &Rv, c: &'t Control) -> Res<()> {
        let mark = self.vars.len();
        let result = self.range_body(dot, c);
        self.vars.truncate(mark);
        match result {
            Err(Flow::Break) => Ok(()),
            other => other,
        }
    }

    fn range_body(&mut self, dot: &Rv, c: &'t Control) -> Res<()> {
        let val = self.eval_pipeline(dot, &c.pipe)?;
        let mut ran = false;
        match &val.v {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    ran = true;
                    self.one_iteration(
                        c,
                        Rv::plain(Value::Int(i as i64)),
                        Rv {
                            v: item.clone(),
                            boxed: true,
                        },
                    )?;
                }
            }
            Value::Map(map) => {
                for (k, item) in map.iter() {
                    ran = true;
                    self.one_iteration(
                        c,
                        Rv::plain(Value::str(k)),
                        Rv {
                            v: item.clone(),
                            boxed: true,
                        },
                    )?;
                }
            }
            Value::Int(n) => {
                if c.pipe.decl.len() > 1 {
                    return Err(self.err(format!(
                        "can't use {n} to iterate over more than one variable"
                    )));
                }
                for i in 0..*n {
                    ran = true;
                    self.one_iteration(c, Rv::plain(Value::Int(i)), Rv::plain(Value::Int(i)))?;
                }
            }
            Value::Nil => {}
            other => {
                return Err(self.err(format!("range can't iterate over {}", other.to_go_string())));
            }
        }
        if !ran && let Some(else_list) = &c.else_list {
            return self.walk_list(dot, else_list);
        }
        Ok(())
    }

    fn one_iteration(&mut self, c: &'t Control, index: Rv, elem: Rv) -> Res<()> {
        let decl = &c.pipe.decl;
        if !decl.is_empty() {
            if c.pipe.is_assign {
                let first = if decl.len() > 1 {
                    index.clone()
                } else {
                    elem.clone()
                };
                self.set_var(&decl[0], first)?;
                if decl.len() > 1 {
                    self.set_var(&decl[1], elem.clone())?;
                }
            } else {
                let n = self.vars.len();
                self.vars[n - 1].1 = elem.clone();
                if decl.len() > 1 {
                    self.vars[n - 2].1 = index;
                }
            }
        }
        let mark = self.vars.len();
        let result = self.walk_list(&elem, &c.list);
        self.vars.truncate(mark);
        match result {
            Err(Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_template(
        &mut self,
        dot: &Rv,
        pos: usize,
        name: &'t str,
        pipe: Option<&'t Pipe>,
    ) -> Res<()> {
        self.at = At::Template(pos, name, pipe);
        let Some(tree) = self.trees.defined.get(name) else {
            return Err(self.err(format!(
                "no template {} associated with template {}",
                crate::value::go_quote(name),
                crate::value::go_quote(self.tmpl_name)
            )));
        };
        if self.depth >= MAX_TEMPLATE_DEPTH {
            return Err(self.err(format!(
                "exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})"
            )));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Rv::invalid(),
        };
        let saved_vars = std::mem::replace(
            &mut self.vars,
            vec![(self.trees.dollar.clone(), new_dot.clone())],
        );
        let saved_name = std::mem::replace(&mut self.tmpl_name, name);
        self.depth += 1;
        let result = self.walk_list(&new_dot, tree);
        self.depth -= 1;
        if result.is_ok() {
            self.tmpl_name = saved_name;
        }
        self.vars = saved_vars;
        result
    }

    fn set_var(&mut self, name: &Rc<str>, v: Rv) -> Res<()> {
        for slot in self.vars.iter_mut().rev() {
            if Rc::ptr_eq(&slot.0, name) || slot.0 == *name {
                slot.1 = v;
                return Ok(());
            }
        }
        Err(self.err(format!("undefined variable: {name}")))
    }

    fn var_value(&self, name: &Rc<str>) -> Res<Rv> {
        self.var_ref(name).cloned()
    }

    fn var_ref(&self, name: &Rc<str>) -> Res<&Rv> {
        for slot in self.vars.iter().rev() {
            // The parser hands out one shared name per declaration, so a pointer check
            // usually settles it.
            if Rc::ptr_eq(&slot.0, name) || slot.0 == *name {
                return Ok(&slot.1);
            }
        }
        Err(self.err(format!("undefined variable: {name}")))
    }

    pub(crate) fn eval_pipeline(&mut self, dot: &Rv, pipe: &'t Pipe) -> Res<Rv> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Rv> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?.unbox());
        }
        let value = value.unwrap_or_else(Rv::invalid);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn eval_command(&mut self, dot: &Rv, cmd: &'t Command, fin: Option<Rv>) -> Res<Rv> {
        let first = &cmd.args[0];
        match first {
            Arg::Field(_, names) => {
                self.at = At::Arg(first);
                self.eval_field_chain(dot, names, cmd.args.len() > 1 || fin.is_some())
            }
            Arg::Chain(_, node, names) => {
                self.at = At::Arg(first);
                let base = self.eval_arg_value(dot, node)?;
                self.at = At::Arg(first);
                self.eval_field_chain(&base, names, cmd.args.len() > 1 || fin.is_some())
            }
            Arg::Identifier(_, name) => {
                self.eval_function(dot, first, name, At::Cmd(cmd), &cmd.args[1..], fin)
            }
            Arg::Pipe(_, pipe) => {
                self.not_a_function(cmd, &fin)?;
                self.eval_pipeline(dot, pipe)
            }
            Arg::Variable(_, names) => {
                self.at = At::Arg(first);
                if names.len() == 1 {
                    let v = self.var_value(&names[0])?;
                    self.not_a_function(cmd, &fin)?;
                    return Ok(v);
                }
                let v = self.var_ref(&names[0])?;
                self.eval_field_chain(v, &names[1..], cmd.args.len() > 1 || fin.is_some())
            }
            _ => {
                self.at = At::Arg(first);
                self.not_a_function(cmd, &fin)?;
                match first {
                    Arg::Bool(_, b) => Ok(Rv::plain(Value::Bool(*b))),
                    Arg::Dot(_) => Ok(dot.clone()),
                    Arg::Nil(_) => Err(self.err("nil is not a command")),
                    Arg::Number(_, n) => self.ideal_constant(first, n).map(Rv::plain),
                    Arg::String(_, _, s) => Ok(Rv::plain(Value::String(s.clone()))),
                    _ => Err(self.err(format!(
                        "can't evaluate command {}",
                        crate::value::go_quote(&first.to_string())
                    ))),
                }
            }
        }
    }

    fn not_a_function(&self, cmd: &Command, fin: &Option<Rv>) -> Res<()> {
        if cmd.args.len() > 1 || fin.is_some() {
            return Err(self.err(format!(
                "can't give argument to non-function {}",
                cmd.args[0]
            )));
        }
        Ok(())
    }

    /// Go's `idealConstant`: a literal number as `int`, or `float64` when written as one.
    fn ideal_constant(&mut self, arg: &'t Arg, n: &Number) -> Res<Value> {
        self.at = At::Arg(arg);
        let text = &*n.text;
        let hex_int = text
            .trim_start_matches(['+', '-'])
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case("0x"))
            && !text.contains(['p', 'P']);
        let rune = text.starts_with('\'');
        if n.float.is_some() && !hex_int && !rune && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float.unwrap_or_default()));
        }
        match n.int {
            Some(i) => Ok(Value::Int(i)),
            None => Err(self.err(format!("{text} overflows int"))),
        }
    }

    /// Evaluates `.a.b` on `receiver`; `has_args` is set when the last field would get
    /// arguments, which a map entry cannot take.
    /// Go's `evalFieldChain` over maps. The chain is walked by reference and only the
    /// value it ends at is cloned; a missing key ends it with the invalid value, which
    /// every later field of Go's chain passes on.
    fn eval_field_chain(&self, receiver: &Rv, names: &[Rc<str>], has_args: bool) -> Res<Rv> {
        let mut cur = &receiver.v;
        let mut boxed = receiver.boxed;
        for (i, name) in names.iter().enumerate() {
            if !boxed && matches!(cur, Value::Nil) {
                return Ok(Rv::invalid());
            }
            let last = i + 1 == names.len();
            match cur {
                Value::Nil => {
                    return Err(self.err(format!("nil pointer evaluating interface {{}}.{name}")));
                }
                Value::Map(map) => {
                    if has_args && last {
                        return Err(self.err(format!("{name} is not a method but has arguments")));
                    }
                    match map.get(&**name) {
                        Some(v) => {
                            cur = v;
                            boxed = true;
                        }
                        None => return Ok(Rv::invalid()),
                    }
                }
                other => {
                    let typ = if boxed {
                        "interface {}"
                    } else {
                        other.go_type()
                    };
                    return Err(self.err(format!("can't evaluate field {name} in type {typ}")));
                }
            }
        }
        Ok(Rv {
            v: cur.clone(),
            boxed,
        })
    }

    /// Evaluates an argument the way Go does for a `reflect.Value` parameter (builtins).
    pub(crate) fn eval_arg_value(&mut self, dot: &Rv, arg: &'t Arg) -> Res<Rv> {
        self.at = At::Arg(arg);
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(Rv::invalid()),
            Arg::Field(_, names) => self.eval_field_chain(dot, names, false),
            Arg::Variable(_, names) => {
                if names.len() == 1 {
                    return self.var_value(&names[0]);
                }
                let v = self.var_ref(&names[0])?;
                self.eval_field_chain(v, &names[1..], false)
            }
            Arg::Pipe(_, pipe) => self.eval_pipeline(dot, pipe),
            Arg::Identifier(_, name) => self.eval_function(dot, arg, name, At::Arg(arg), &[], None),
            Arg::Chain(_, node, names) => {
                let base = self.eval_arg_value(dot, node)?;
                self.at = At::Arg(arg);
                self.eval_field_chain(&base, names, false)
            }
            Arg::Bool(_, b) => Ok(Rv::plain(Value::Bool(*b))),
            Arg::Number(_, n) => self.ideal_constant(arg, n).map(Rv::plain),
            Arg::String(_, _, s) => Ok(Rv::plain(Value::String(s.clone()))),
        }
    }

    /// Evaluates an argument for a declared parameter kind (Go's `evalArg`).
    fn eval_arg_typed(&mut self, dot: &Rv, param: Param, arg: &'t Arg) -> Res<Value> {
        self.at = At::Arg(arg);
        match arg {
            Arg::Nil(_) => {
                if matches!(param, Param::Any | Param::List | Param::Map) {
                    return Ok(Value::Nil);
                }
                return Err(self.err(format!("cannot assign nil to {}", param_type(param))));
            }
            Arg::Dot(_)
            | Arg::Field(..)
            | Arg::Variable(..)
            | Arg::Pipe(..)
            | Arg::Identifier(..)
            | Arg::Chain(..) => {
                let v = self.eval_arg_value(dot, arg)?;
                return self.validate_type(v, param);
            }
            _ => {}
        }
        match (param, arg) {
            (Param::Any, _) => Ok(self.eval_arg_value(dot, arg)?.v),
            (Param::Bool, Arg::Bool(_, b)) => Ok(Value::Bool(*b)),
            (Param::Bool, _) => Err(self.err(format!("expected bool; found {arg}"))),
            (Param::Float64, Arg::Number(_, n)) if n.float.is_some() => {
                Ok(Value::Float(n.float.unwrap_or_default()))
            }
            (Param::Float64, _) => Err(self.err(format!("expected float; found {arg}"))),
            (Param::Int | Param::Int64, Arg::Number(_, n)) if n.int.is_some() => {
                Ok(Value::Int(n.int.unwrap_or_default()))
            }
            (Param::Int | Param::Int64, _) => {
                Err(self.err(format!("expected integer; found {arg}")))
            }
            (Param::String, Arg::String(_, _, s)) => Ok(Value::String(s.clone())),
            (Param::String, _) => Err(self.err(format!("expected string; found {arg}"))),
            (Param::List | Param::Map, _) => Err(self.err(format!(
                "can't handle {arg} for arg of type {}",
                param_type(param)
            ))),
        }
    }

    /// Go's `validateType`: whether a value may be passed to a parameter of a kind.
    fn validate_type(&self, v: Rv, param: Param) -> Res<Value> {
        if v.is_invalid() {
            return match param {
                Param::Any | Param::List | Param::Map => Ok(Value::Nil),
                _ => Err(self.err(format!("invalid value; expected {}", param_type(param)))),
            };
        }
        let ok = matches!(
            (param, &v.v),
            (Param::Any, _)
                | (Param::String, Value::String(_))
                | (Param::Int | Param::Int64, Value::Int(_))
                | (Param::Float64, Value::Float(_))
                | (Param::Bool, Value::Bool(_))
                | (Param::List, Value::List(_))
                | (Param::Map, Value::Map(_))
        );
        if ok {
            return Ok(v.v);
        }
        let got = if matches!(v.v, Value::Nil) {
            "interface {}"
        } else {
            v.v.go_type()
        };
        Err(self.err(format!(
            "wrong type for value; expected {}; got {}",
            param_type(param),
            got
        )))
    }

    /// Go's `evalFunction` and `evalCall`: checks the arity, converts the arguments, calls.
    fn eval_function(
        &mut self,
        dot: &Rv,
        ident: &'t Arg,
        name: &'t str,
        node: At<'t>,
        args: &'t [Arg],
        fin: Option<Rv>,
    ) -> Res<Rv> {
        self.at = At::Arg(ident);
        let num_in = args.len() + usize::from(fin.is_some());
        let funcs: &'t Funcs = self.funcs;
        if let Some(func) = funcs.get(name) {
            let params = &func.params;
            let num_fixed = if func.variadic {
                params.len().saturating_sub(1)
            } else {
                args.len()
            };
            if func.variadic {
                if num_in < num_fixed {
                    return Err(self.err(format!(
                        "wrong number of args for {name}: want at least {num_fixed} got {}",
                        args.len()
                    )));
                }
            } else if num_in != params.len() {
                return Err(self.err(format!(
                    "wrong number of args for {name}: want {} got {num_in}",
                    params.len()
                )));
            }
            let param_at = |i: usize| -> Param {
                if i < params.len() && !(func.variadic && i + 1 >= params.len()) {
                    params[i]
                } else {
                    params.last().copied().unwrap_or(Param::Any)
                }
            };
            let mut argv = Vec::with_capacity(num_in);
            for (i, arg) in args.iter().enumerate() {
                argv.push(self.eval_arg_typed(dot, param_at(i), arg)?);
            }
            if let Some(f) = fin {
                argv.push(self.validate_type(f, param_at(num_in - 1))?);
            }
            return match (func.body)(&argv) {
                Ok(v) => Ok(Rv::plain(v)),
                Err(msg) => {
                    self.at = node;
                    Err(self.err(format!("error calling {name}: {msg}")))
                }
            };
        }
        builtins::call(self, dot, name, node, args, fin)
    }

    pub(crate) fn set_at(&mut self, node: At<'t>) {
        self.at = node;
    }

    /// Converts a builtin's string parameter (the `printf` format).
    pub(crate) fn eval_string_arg(&mut self, dot: &Rv, arg: &'t Arg) -> Res<Value> {
        self.eval_arg_typed(dot, Param::String, arg)
    }

    pub(crate) fn validate_string(&self, v: Rv) -> Res<Value> {
        self.validate_type(v, Param::String)
    }
}

/// The Go type of a parameter kind, as Go's messages name it.
fn param_type(p: Param) -> &'static str {
    match p {
        Param::Any => "interface {}",
        Param::String => "string",
        Param::Int => "int",
        Param::Int64 => "int64",
        Param::Float64 => "float64",
        Param::Bool => "bool",
        Param::List => "[]interface {}",
        Param::Map => "map[string]interface {}",
    }
}
