//! The lexer of Go's `text/template`: splits template text into text runs and action tokens.
//!
//! It follows Go's `text/template/parse` lexer: `{{-`/`-}}` trim markers (a dash followed or
//! preceded by a space), `{{/* */}}` comments, and the token kinds the parser needs. Errors
//! come back as an `Error` token carrying Go's message, so the parser reports them the way Go
//! does.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Identifier,
    Field,
    Variable,
    Dot,
    Nil,
    Bool,
    Number,
    CharConstant,
    String,
    RawString,
    Declare,
    Assign,
    Pipe,
    LeftParen,
    RightParen,
    Char,
    Error,
    Eof,
    // Keywords.
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

/// One token: its kind, its byte offset in the template text, its 1-based line, its text.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub tok: Tok,
    pub pos: usize,
    pub line: usize,
    pub val: String,
}

impl Item {
    /// The token as Go's parser names it in "unexpected X in Y" messages.
    pub fn describe(&self) -> String {
        match self.tok {
            Tok::Eof => "EOF".to_string(),
            Tok::Error => self.val.clone(),
            Tok::Block
            | Tok::Break
            | Tok::Continue
            | Tok::Define
            | Tok::Else
            | Tok::End
            | Tok::If
            | Tok::Range
            | Tok::Template
            | Tok::With => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    format!("{}...", crate::value::go_quote(&head))
                } else {
                    crate::value::go_quote(&self.val)
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits `text` into tokens; the last one is `Eof` or `Error`.
pub(crate) fn lex(text: &str) -> Vec<Item> {
    let mut lx = Lexer {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        start: 0,
        line: 1,
        start_line: 1,
        items: Vec::new(),
        paren_depth: 0,
    };
    lx.run();
    lx.items
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    start: usize,
    line: usize,
    start_line: usize,
    items: Vec<Item>,
    paren_depth: usize,
}

impl Lexer<'_> {
    fn emit(&mut self, tok: Tok) {
        let val = self.src[self.start..self.pos].to_string();
        self.emit_val(tok, val);
    }

    fn emit_val(&mut self, tok: Tok, val: String) {
        self.items.push(Item {
            tok,
            pos: self.start,
            line: self.start_line,
            val,
        });
        self.ignore();
    }

    fn ignore(&mut self) {
        self.line += self.src[self.start..self.pos].matches('\n').count();
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn error(&mut self, msg: String) {
        self.items.push(Item {
            tok: Tok::Error,
            pos: self.start,
            line: self.start_line,
            val: msg,
        });
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    /// Whether a right delimiter (with an optional trim marker) starts here; returns
    /// (trim, length of the marker and delimiter).
    fn at_right_delim(&self) -> Option<(bool, usize)> {
        let r = self.rest();
        let b = r.as_bytes();
        if b.len() >= 2 + RIGHT.len() && is_space(b[0]) && b[1] == b'-' && r[2..].starts_with(RIGHT)
        {
            return Some((true, 2 + RIGHT.len()));
        }
        if r.starts_with(RIGHT) {
            return Some((false, RIGHT.len()));
        }
        None
    }

    fn run(&mut self) {
        loop {
            // Text up to the next left delimiter.
            let Some(found) = self.rest().find(LEFT) else {
                self.pos = self.src.len();
                if self.pos > self.start {
                    self.emit(Tok::Text);
                }
                self.emit_val(Tok::Eof, String::new());
                return;
            };
            let delim = self.pos + found;
            let b = self.bytes;
            let trim =
                b.get(delim + 2) == Some(&b'-') && b.get(delim + 3).is_some_and(|c| is_space(*c));
            let mut text_end = delim;
            if trim {
                while text_end > self.start && is_space(b[text_end - 1]) {
                    text_end -= 1;
                }
            }
            self.pos = text_end;
            if self.pos > self.start {
                self.emit(Tok::Text);
            }
            self.pos = delim;
            self.ignore();
            if !self.left_delim(trim) {
                return;
            }
        }
    }

    /// Lexes one action from its left delimiter to its right one; false on error.
    fn left_delim(&mut self, trim: bool) -> bool {
        self.pos += LEFT.len();
        let after_marker = if trim { 2 } else { 0 };
        if self.rest()[after_marker..].starts_with("/*") {
            self.pos += after_marker;
            self.ignore();
            return self.comment();
        }
        self.emit(Tok::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.inside_action()
    }

    fn comment(&mut self) -> bool {
        self.pos += 2;
        let Some(end) = self.rest().find("*/") else {
            self.error("unclosed comment".to_string());
            return false;
        };
        self.pos += end + 2;
        match self.at_right_delim() {
            Some((trim, n)) => {
                self.pos += n;
                self.ignore();
                if trim {
                    self.trim_leading_space();
                }
                true
            }
            None => {
                self.error("comment ends before closing delimiter".to_string());
                false
            }
        }
    }

    fn trim_leading_space(&mut self) {
        while self.pos < self.bytes.len() && is_space(self.bytes[self.pos]) {
            self.pos += 1;
        }
        self.ignore();
    }

    fn inside_action(&mut self) -> bool {
        loop {
            if let Some((trim, n)) = self.at_right_delim()
                && self.paren_depth == 0
            {
                self.pos += n;
                self.emit(Tok::RightDelim);
                if trim {
                    self.trim_leading_space();
                }
                return true;
            }
            let Some(c) = self.next_char() else {
                self.error("unclosed action".to_string());
                return false;
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    while let Some(c) = self.peek_char() {
                        if !matches!(c, ' ' | '\t' | '\r' | '\n') {
                            break;
                        }
                        // A space that starts a trim marker belongs to the delimiter.
                        if self.at_right_delim().is_some_and(|(t, _)| t) {
                            break;
                        }
                        self.pos += 1;
                    }
                    self.emit(Tok::Space);
                }
                '=' => self.emit(Tok::Assign),
                ':' => {
                    if self.peek_char() != Some('=') {
                        self.error("expected :=".to_string());
                        return false;
                    }
                    self.pos += 1;
                    self.emit(Tok::Declare);
                }
                '|' => self.emit(Tok::Pipe),
                '"' => {
                    if !self.quote() {
                        return false;
                    }
                }
                '`' => {
                    let Some(end) = self.rest().find('`') else {
                        self.error("unterminated raw quoted string".to_string());
                        return false;
                    };
                    self.pos += end + 1;
                    self.emit(Tok::RawString);
                }
                '$' => {
                    while self.peek_char().is_some_and(is_alnum) {
                        self.next_char();
                    }
                    self.emit(Tok::Variable);
                }
                '\'' => {
                    if !self.char_constant() {
                        return false;
                    }
                }
                '.' => {
                    if self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
                        self.pos -= 1;
                        if !self.number() {
                            return false;
                        }
                    } else if self.peek_char().is_some_and(is_alnum) {
                        while self.peek_char().is_some_and(is_alnum) {
                            self.next_char();
                        }
                        self.emit(Tok::Field);
                    } else {
                        self.emit(Tok::Dot);
                    }
                }
                '+' | '-' | '0'..='9' => {
                    self.pos -= 1;
                    if !self.number() {
                        return false;
                    }
                }
                '(' => {
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen);
                }
                ')' => {
                    if self.paren_depth == 0 {
                        self.error("unexpected right paren".to_string());
                        return false;
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen);
                }
                c if is_alnum(c) => {
                    while self.peek_char().is_some_and(is_alnum) {
                        self.next_char();
                    }
                    let word = &self.src[self.start..self.pos];
                    let tok = match word {
                        "block" => Tok::Block,
                        "break" => Tok::Break,
                        "continue" => Tok::Continue,
                        "define" => Tok::Define,
                        "else" => Tok::Else,
                        "end" => Tok::End,
                        "if" => Tok::If,
                        "range" => Tok::Range,
                        "template" => Tok::Template,
                        "with" => Tok::With,
                        "nil" => Tok::Nil,
                        "true" | "false" => Tok::Bool,
                        _ => Tok::Identifier,
                    };
                    if !self.at_terminator() {
                        let c = self.peek_char().unwrap_or(' ');
                        self.error(format!("bad character {}", go_unicode(c)));
                        return false;
                    }
                    self.emit(tok);
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Char),
                c => {
                    self.error(format!(
                        "unrecognized character in action: {}",
                        go_unicode(c)
                    ));
                    return false;
                }
            }
        }
    }

    /// Whether the next character can end a word (Go's `atTerminator`).
    fn at_terminator(&self) -> bool {
        match self.peek_char() {
            None => true,
            Some(c) => {
                matches!(
                    c,
                    ' ' | '\t' | '\r' | '\n' | '.' | ',' | '|' | ':' | ')' | '('
                ) || self.rest().starts_with(RIGHT)
            }
        }
    }

    fn quote(&mut self) -> bool {
        loop {
            match self.next_char() {
                Some('\\') => {
                    if self.next_char().is_none_or(|c| c == '\n') {
                        self.error("unterminated quoted string".to_string());
                        return false;
                    }
                }
                None | Some('\n') => {
                    self.error("unterminated quoted string".to_string());
                    return false;
                }
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(Tok::String);
        true
    }

    fn char_constant(&mut self) -> bool {
        loop {
            match self.next_char() {
                Some('\\') => {
                    if self.next_char().is_none_or(|c| c == '\n') {
                        self.error("unterminated character constant".to_string());
                        return false;
                    }
                }
                None | Some('\n') => {
                    self.error("unterminated character constant".to_string());
                    return false;
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(Tok::CharConstant);
        true
    }

    fn number(&mut self) -> bool {
        if matches!(self.peek_char(), Some('+' | '-')) {
            self.pos += 1;
        }
        let mut digits: &str = "0123456789_";
        let r = self.rest().as_bytes();
        if r.first() == Some(&b'0') {
            match r.get(1) {
                Some(b'x' | b'X') => {
                    self.pos += 2;
                    digits = "0123456789abcdefABCDEF_";
                }
                Some(b'o' | b'O') => {
                    self.pos += 2;
                    digits = "01234567_";
                }
                Some(b'b' | b'B') => {
                    self.pos += 2;
                    digits = "01_";
                }
                _ => {}
            }
        }
        self.accept_run(digits);
        if self.peek_char() == Some('.') {
            self.pos += 1;
            self.accept_run(digits);
        }
        let exp = if digits.len() == 23 { "pP" } else { "eEpP" };
        if self.peek_char().is_some_and(|c| exp.contains(c)) {
            self.pos += 1;
            if matches!(self.peek_char(), Some('+' | '-')) {
                self.pos += 1;
            }
            self.accept_run("0123456789_");
        }
        if self.peek_char() == Some('i') {
            self.pos += 1;
        }
        if self.peek_char().is_some_and(is_alnum) {
            self.next_char();
            let text = self.src[self.start..self.pos].to_string();
            self.error(format!(
                "bad number syntax: {}",
                crate::value::go_quote(&text)
            ));
            return false;
        }
        self.emit(Tok::Number);
        true
    }

    fn accept_run(&mut self, set: &str) {
        while self.peek_char().is_some_and(|c| set.contains(c)) {
            self.pos += 1;
        }
    }
}

/// Go's `%#U` of a character: `U+0023 '#'`.
fn go_unicode(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}
