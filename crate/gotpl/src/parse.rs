//! The parser of Go's `text/template`: builds the tree of one template and its `define`s.
//!
//! It mirrors Go's `text/template/parse`: the same grammar, the same parse-time checks
//! (functions must exist, variables must be declared, `break`/`continue` only inside
//! `range`) and the same error texts, `template: NAME:LINE: MESSAGE`. Node texts
//! (`Display`) are Go's `Node.String()`, which execution errors quote as their context.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::lex::{Item, Tok, lex};
use crate::{Error, Funcs, Phase};

/// A list of nodes: the body of a template or of a control structure.
pub(crate) type List = Vec<Node>;

pub(crate) enum Node {
    Text(Rc<str>),
    Action(Pipe),
    If(Control),
    Range(Control),
    With(Control),
    Template {
        pos: usize,
        name: Rc<str>,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

pub(crate) struct Control {
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<Rc<str>>,
    pub cmds: Vec<Command>,
}

pub(crate) struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

pub(crate) enum Arg {
    /// `.a.b`: the names without dots.
    Field(usize, Vec<Rc<str>>),
    /// `$x.a.b`: the variable name (with `$`) then field names.
    Variable(usize, Vec<Rc<str>>),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Number),
    /// The quoted text as written, and the unquoted value.
    String(usize, Rc<str>, Rc<str>),
    Identifier(usize, Rc<str>),
    /// `(pipeline).a.b` or a chain on another term.
    Chain(usize, Box<Arg>, Vec<Rc<str>>),
    Pipe(usize, Box<Pipe>),
}

/// A number literal with the interpretations Go's `NumberNode` allows.
pub(crate) struct Number {
    pub text: Rc<str>,
    pub int: Option<i64>,
    pub is_uint: bool,
    pub float: Option<f64>,
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field(p, _)
            | Arg::Variable(p, _)
            | Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::String(p, _, _)
            | Arg::Identifier(p, _)
            | Arg::Chain(p, _, _)
            | Arg::Pipe(p, _) => *p,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field(_, names) => {
                for n in names {
                    write!(f, ".{n}")?;
                }
                Ok(())
            }
            Arg::Variable(_, names) => f.write_str(&names.join(".")),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::String(_, quoted, _) => f.write_str(quoted),
            Arg::Identifier(_, name) => f.write_str(name),
            Arg::Chain(_, node, fields) => {
                if matches!(**node, Arg::Pipe(..)) {
                    write!(f, "({node})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for n in fields {
                    write!(f, ".{n}")?;
                }
                Ok(())
            }
            Arg::Pipe(_, pipe) => write!(f, "{pipe}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(..) = arg {
                write!(f, "({arg})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

/// The trees of one parse: the main template and every `define`d one, by name.
pub(crate) struct Trees {
    pub main: Rc<List>,
    pub defined: BTreeMap<String, Rc<List>>,
    /// The name `$`, shared by every reference so that lookups compare pointers.
    pub dollar: Rc<str>,
}

/// The deepest nesting of parentheses and control structures the parser accepts.
const MAX_NESTING: usize = 200;

const BUILTINS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

pub(crate) fn parse(name: &str, text: &str, funcs: &Funcs) -> Result<Trees, Error> {
    let dollar: Rc<str> = Rc::from("$");
    let mut p = Parser {
        name,
        text,
        items: lex(text),
        next: 0,
        vars: vec![dollar.clone()],
        range_depth: 0,
        nesting: 0,
        funcs,
        defined: BTreeMap::new(),
    };
    let main = p.parse_top()?;
    Ok(Trees {
        main: Rc::new(main),
        defined: p.defined,
        dollar,
    })
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
    items: Vec<Item>,
    next: usize,
    vars: Vec<Rc<str>>,
    range_depth: usize,
    /// How deep parentheses and control structures nest; bounded so that a hostile
    /// template cannot exhaust the stack.
    nesting: usize,
    funcs: &'a Funcs,
    defined: BTreeMap<String, Rc<List>>,
}

type PResult<T> = Result<T, Error>;

impl Parser<'_> {
    fn peek(&self) -> &Item {
        let i = self.next.min(self.items.len() - 1);
        &self.items[i]
    }

    fn next_item(&mut self) -> Item {
        let i = self.next.min(self.items.len() - 1);
        self.next = (self.next + 1).min(self.items.len());
        self.items[i].clone()
    }

    fn backup(&mut self) {
        self.next = self.next.saturating_sub(1);
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.next_item();
            if item.tok != Tok::Space {
                return item;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let item = self.next_non_space();
        self.backup();
        item
    }

    /// Go's `t.errorf`: the line is the one of the token last read.
    fn error_at<T>(&self, item_line: usize, pos: usize, msg: String) -> PResult<T> {
        let column = crate::column_of(self.text, pos);
        Err(Error {
            message: format!("template: {}:{}: {}", self.name, item_line, msg),
            line: item_line,
            column,
            partial: String::new(),
            phase: Phase::Parse,
        })
    }

    fn error<T>(&self, msg: String) -> PResult<T> {
        let i = self.next.saturating_sub(1).min(self.items.len() - 1);
        let item = &self.items[i];
        self.error_at(item.line, item.pos, msg)
    }

    fn unexpected<T>(&self, item: &Item, context: &str) -> PResult<T> {
        if item.tok == Tok::Error {
            return self.error_at(item.line, item.pos, item.val.clone());
        }
        self.error_at(
            item.line,
            item.pos,
            format!("unexpected {} in {}", item.describe(), context),
        )
    }

    fn expect(&mut self, tok: Tok, context: &str) -> PResult<Item> {
        let item = self.next_non_space();
        if item.tok != tok {
            return self.unexpected(&item, context);
        }
        Ok(item)
    }

    /// The shared name of a variable: the one already declared, or a new one.
    fn var_name(&self, name: &str) -> Rc<str> {
        self.vars
            .iter()
            .rev()
            .find(|v| ***v == *name)
            .cloned()
            .unwrap_or_else(|| Rc::from(name))
    }

    fn parse_top(&mut self) -> PResult<List> {
        let mut list = Vec::new();
        while self.peek().tok != Tok::Eof {
            if self.peek().tok == Tok::LeftDelim {
                let save = self.next;
                self.next_item();
                if self.next_non_space().tok == Tok::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.next = save;
            }
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                Parsed::End(item) => {
                    return self.error_at(item.line, item.pos, "unexpected {{end}}".to_string());
                }
                Parsed::Else(item) => {
                    return self.error_at(item.line, item.pos, "unexpected {{else}}".to_string());
                }
            }
        }
        if let Some(item) = self.items.last()
            && item.tok == Tok::Error
        {
            return self.error_at(item.line, item.pos, item.val.clone());
        }
        Ok(list)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let token = self.next_non_space();
        let name = self.template_name(&token, "define clause")?;
        self.expect(Tok::RightDelim, "define clause")?;
        let saved = {
            let dollar = self.vars[0].clone();
            std::mem::replace(&mut self.vars, vec![dollar])
        };
        let (list, end) = self.item_list()?;
        self.vars = saved;
        if let Ended::Else(item) = end {
            return self.error_at(
                item.line,
                item.pos,
                "unexpected {{else}} in define clause".to_string(),
            );
        }
        self.add_template(name, list);
        Ok(())
    }

    fn add_template(&mut self, name: Rc<str>, list: List) {
        // Go keeps an earlier non-empty definition over a later empty one.
        let empty = list
            .iter()
            .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()));
        if empty && self.defined.contains_key(&*name) {
            return;
        }
        self.defined.insert(name.to_string(), Rc::new(list));
    }

    fn template_name(&self, token: &Item, context: &str) -> PResult<Rc<str>> {
        match token.tok {
            Tok::String | Tok::RawString => match unquote(&token.val) {
                Some(s) => Ok(Rc::from(s.as_str())),
                None => self.error_at(
                    token.line,
                    token.pos,
                    format!("invalid syntax: {}", token.val),
                ),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn item_list(&mut self) -> PResult<(List, Ended)> {
        let mut list = Vec::new();
        while self.peek_non_space().tok != Tok::Eof {
            if self.peek().tok == Tok::Error {
                let item = self.next_item();
                return self.unexpected(&item, "input");
            }
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                Parsed::End(_) => return Ok((list, Ended::End)),
                Parsed::Else(item) => return Ok((list, Ended::Else(item))),
            }
        }
        let last = self.items.last().cloned();
        if let Some(item) = last
            && item.tok == Tok::Error
        {
            return self.error_at(item.line, item.pos, item.val);
        }
        // Go reports the line of the end-of-input token.
        let (line, pos) = self.items.last().map_or((1, 0), |i| (i.line, i.pos));
        self.error_at(line, pos, "unexpected EOF".to_string())
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.tok {
            Tok::Text => Ok(Parsed::Node(Node::Text(Rc::from(token.val.as_str())))),
            Tok::LeftDelim => self.action(),
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.tok {
            Tok::Block => return self.block_control().map(Parsed::Node),
            Tok::Break | Tok::Continue => {
                let is_break = token.tok == Tok::Break;
                let what = if is_break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let next = self.next_non_space();
                if next.tok != Tok::RightDelim {
                    return self.unexpected(&next, what);
                }
                if self.range_depth == 0 {
                    return self.error_at(
                        token.line,
                        token.pos,
                        format!("{what} outside {{{{range}}}}"),
                    );
                }
                return Ok(Parsed::Node(if is_break {
                    Node::Break
                } else {
                    Node::Continue
                }));
            }
            Tok::Else => {
                let peek = self.peek_non_space();
                if peek.tok == Tok::If || peek.tok == Tok::With {
                    return Ok(Parsed::Else(token));
                }
                self.expect(Tok::RightDelim, "else")?;
                return Ok(Parsed::Else(token));
            }
            Tok::End => {
                self.expect(Tok::RightDelim, "end")?;
                return Ok(Parsed::End(token));
            }
            Tok::If => return self.control("if").map(|c| Parsed::Node(Node::If(c))),
            Tok::Range => return self.control("range").map(|c| Parsed::Node(Node::Range(c))),
            Tok::With => return self.control("with").map(|c| Parsed::Node(Node::With(c))),
            Tok::Template => return self.template_control().map(Parsed::Node),
            _ => {}
        }
        self.backup();
        let pipe = self.pipeline("command", Tok::RightDelim)?;
        Ok(Parsed::Node(Node::Action(pipe)))
    }

    fn control(&mut self, context: &str) -> PResult<Control> {
        self.enter()?;
        let result = self.control_inner(context);
        self.nesting -= 1;
        result
    }

    /// Counts one more level of nesting, refusing templates nested deeper than a native
    /// stack allows (Go's parser has no such limit).
    fn enter(&mut self) -> PResult<()> {
        if self.nesting >= MAX_NESTING {
            return self.error(format!(
                "template nested more than {MAX_NESTING} levels deep"
            ));
        }
        self.nesting += 1;
        Ok(())
    }

    fn control_inner(&mut self, context: &str) -> PResult<Control> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Ended::Else(_) = end {
            let peek = self.peek_non_space();
            if context == "if" && peek.tok == Tok::If {
                self.next_non_space();
                else_list = Some(vec![Node::If(self.control("if")?)]);
            } else if context == "with" && peek.tok == Tok::With {
                self.next_non_space();
                else_list = Some(vec![Node::With(self.control("with")?)]);
            } else {
                let (list, end) = self.item_list()?;
                if let Ended::Else(item) = end {
                    return self.error_at(
                        item.line,
                        item.pos,
                        "expected end; found {{else}}".to_string(),
                    );
                }
                else_list = Some(list);
            }
        }
        self.vars.truncate(mark);
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        let token = self.next_non_space();
        let name = self.template_name(&token, "template clause")?;
        let pipe = if self.next_non_space().tok != Tok::RightDelim {
            self.backup();
            Some(self.pipeline("template clause", Tok::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe,
        })
    }

    fn block_control(&mut self) -> PResult<Node> {
        let token = self.next_non_space();
        let name = self.template_name(&token, "block clause")?;
        let pipe = self.pipeline("block clause", Tok::RightDelim)?;
        let saved = {
            let dollar = self.vars[0].clone();
            std::mem::replace(&mut self.vars, vec![dollar])
        };
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = saved;
        self.range_depth = saved_depth;
        if let Ended::Else(item) = end {
            return self.error_at(
                item.line,
                item.pos,
                "unexpected {{else}} in block clause".to_string(),
            );
        }
        self.add_template(name.clone(), list);
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: Tok) -> PResult<Pipe> {
        let first = self.peek_non_space();
        let mut pipe = Pipe {
            pos: first.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.tok != Tok::Variable {
                break;
            }
            let save = self.next;
            self.next_non_space();
            let next = self.peek_non_space();
            match next.tok {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.tok == Tok::Assign;
                    self.next_non_space();
                    let name = self.var_name(&v.val);
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    break;
                }
                Tok::Char if next.val == "," => {
                    self.next_non_space();
                    let name = self.var_name(&v.val);
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    if context == "range" && pipe.decl.len() < 2 {
                        let peek = self.peek_non_space();
                        if matches!(peek.tok, Tok::Variable | Tok::RightDelim | Tok::RightParen) {
                            continue 'decls;
                        }
                        return self.error("range can only initialize variables".to_string());
                    }
                    return self.error(format!("too many declarations in {context}"));
                }
                _ => {
                    self.next = save;
                    break;
                }
            }
        }
        loop {
            let token = self.next_non_space();
            if token.tok == end {
                if pipe.cmds.is_empty() {
                    return self.error(format!("missing value for {context}"));
                }
                for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                    if matches!(
                        c.args[0],
                        Arg::Bool(..)
                            | Arg::Dot(_)
                            | Arg::Nil(_)
                            | Arg::Number(..)
                            | Arg::String(..)
                    ) {
                        return self.error(format!(
                            "non executable command in pipeline stage {}",
                            i + 1
                        ));
                    }
                }
                return Ok(pipe);
            }
            match token.tok {
                Tok::Bool
                | Tok::CharConstant
                | Tok::Dot
                | Tok::Field
                | Tok::Identifier
                | Tok::Number
                | Tok::Nil
                | Tok::RawString
                | Tok::String
                | Tok::Variable
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(arg) = self.operand()? {
                args.push(arg);
            }
            let token = self.next_item();
            match token.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.error("empty command".to_string());
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().tok != Tok::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().tok == Tok::Field {
            let f = self.next_item();
            fields.push(Rc::from(&f.val[1..]));
        }
        Ok(Some(match node {
            Arg::Field(_, mut names) => {
                names.extend(fields);
                Arg::Field(chain_pos, names)
            }
            Arg::Variable(_, mut names) => {
                names.extend(fields);
                Arg::Variable(chain_pos, names)
            }
            Arg::Bool(..) | Arg::String(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(format!(
                    "unexpected . after term {}",
                    crate::value::go_quote(&node.to_string())
                ));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let arg = match token.tok {
            Tok::Identifier => {
                if !BUILTINS.contains(&token.val.as_str()) && self.funcs.get(&token.val).is_none() {
                    return self.error(format!(
                        "function {} not defined",
                        crate::value::go_quote(&token.val)
                    ));
                }
                Arg::Identifier(token.pos, Rc::from(token.val.as_str()))
            }
            Tok::Dot => Arg::Dot(token.pos),
            Tok::Nil => Arg::Nil(token.pos),
            Tok::Variable => {
                if !self.vars.iter().any(|v| **v == *token.val) {
                    return self.error(format!(
                        "undefined variable {}",
                        crate::value::go_quote(&token.val)
                    ));
                }
                Arg::Variable(token.pos, vec![Rc::from(token.val.as_str())])
            }
            Tok::Field => Arg::Field(token.pos, vec![Rc::from(&token.val[1..])]),
            Tok::Bool => Arg::Bool(token.pos, token.val == "true"),
            Tok::CharConstant | Tok::Number => {
                match parse_number(&token.val, token.tok == Tok::CharConstant) {
                    Ok(n) => Arg::Number(token.pos, n),
                    Err(msg) => return self.error(msg),
                }
            }
            Tok::LeftParen => {
                self.enter()?;
                let pipe = self.pipeline("parenthesized pipeline", Tok::RightParen);
                self.nesting -= 1;
                Arg::Pipe(token.pos, Box::new(pipe?))
            }
            Tok::String | Tok::RawString => match unquote(&token.val) {
                Some(s) => Arg::String(
                    token.pos,
                    Rc::from(token.val.as_str()),
                    Rc::from(s.as_str()),
                ),
                None => return self.error(format!("invalid syntax: {}", token.val)),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(arg))
    }
}

enum Parsed {
    Node(Node),
    End(Item),
    Else(Item),
}

enum Ended {
    End,
    Else(Item),
}

/// Go's `strconv.Unquote` for double-quoted, back-quoted and single-quoted literals.
pub(crate) fn unquote(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let q = b[0];
    if b[b.len() - 1] != q {
        return None;
    }
    let body = &s[1..s.len() - 1];
    if q == b'`' {
        return Some(body.replace('\r', ""));
    }
    if q != b'"' && q != b'\'' {
        return None;
    }
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == q as char {
                return None;
            }
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' if q == b'\'' => out.push('\''),
            '"' if q == b'"' => out.push('"'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                if hex.len() != n {
                    return None;
                }
                let v = u32::from_str_radix(&hex, 16).ok()?;
                out.push(char::from_u32(v)?);
            }
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    v = v * 8 + chars.next()?.to_digit(8)?;
                }
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    if q == b'\'' && out.chars().count() != 1 {
        return None;
    }
    Some(out)
}

/// Go's `parse.NumberNode` interpretation of a number or character literal.
pub(crate) fn parse_number(text: &str, is_char: bool) -> Result<Number, String> {
    let bad = || format!("bad number syntax: {}", crate::value::go_quote(text));
    if is_char {
        let c = unquote(text)
            .and_then(|s| s.chars().next())
            .ok_or_else(|| format!("malformed character constant: {text}"))?;
        let v = c as i64;
        return Ok(Number {
            text: Rc::from(text),
            int: Some(v),
            is_uint: true,
            float: Some(v as f64),
        });
    }
    if text.ends_with('i') {
        return Err(format!("complex numbers are not supported: {text}"));
    }
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let int = parse_go_uint(body);
    let mut n = Number {
        text: Rc::from(text),
        int: None,
        is_uint: false,
        float: None,
    };
    if let Some(u) = int {
        if !neg {
            n.is_uint = true;
        }
        let signed = if neg {
            0i64.checked_sub_unsigned(u)
        } else {
            i64::try_from(u).ok()
        };
        n.int = signed;
        n.float = Some(if neg { -(u as f64) } else { u as f64 });
        if n.int.is_none() && !n.is_uint {
            return Err(bad());
        }
        return Ok(n);
    }
    let is_hex = body.starts_with("0x") || body.starts_with("0X");
    let clean = body.replace('_', "");
    let f: f64 = if is_hex {
        return Err(bad());
    } else {
        clean.parse().map_err(|_| bad())?
    };
    let f = if neg { -f } else { f };
    if !f.is_finite() {
        return Err(bad());
    }
    n.float = Some(f);
    if f.fract() == 0.0 && f.abs() < 9.2e18 {
        n.int = Some(f as i64);
        if f >= 0.0 {
            n.is_uint = true;
        }
    }
    Ok(n)
}

/// Go's `strconv.ParseUint(s, 0, 64)`: base prefixes, underscores, a leading 0 for octal.
fn parse_go_uint(s: &str) -> Option<u64> {
    let (radix, digits, prefixed) =
        if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            (16, r, true)
        } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
            (8, r, true)
        } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
            (2, r, true)
        } else if s.len() > 1 && s.starts_with('0') {
            (8, &s[1..], true)
        } else {
            (10, s, false)
        };
    if digits.is_empty() || (!prefixed && digits.contains('_')) {
        return None;
    }
    if digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean = digits.replace('_', "");
    if clean.is_empty() {
        return None;
    }
    u64::from_str_radix(&clean, radix).ok()
}
