//! Which parts of its data a template can read, found once when it is parsed, so that a
//! render converts only those parts of a JSON object into template values.
//!
//! A template reads its data through the root: `.a.b` where the dot is the root, `$.a.b`,
//! and `$v.a.b` for a variable that only ever holds the root (`{{ $root := . }}`). Such a
//! field chain reads the value at its path and nothing else around it, so the object can
//! be cut down to the paths the template names. Any other use of the root itself (printing
//! it, passing it to a function, ranging over it, `{{ template }}`) reads all of it. Every
//! other value a template holds (a range element, a `with` value, a variable set from a
//! field) came out of some read that was already counted as reading its whole value.
//!
//! The cut-down object answers every read exactly as the whole one would: a map keeps each
//! named key it has, with its value cut down the same way, and anything that is not a map
//! (where a field read fails or yields a scalar) is converted whole.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::Value;
use crate::parse::{Arg, Control, List, Node, Pipe, Trees};

/// The paths a template reads below one value.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Reads {
    /// The value is read as a whole.
    whole: bool,
    /// Otherwise, the fields read from it.
    fields: BTreeMap<Rc<str>, Reads>,
}

impl Reads {
    /// What the templates of `trees` read from their data.
    pub(crate) fn of(trees: &Trees) -> Reads {
        // Defined templates receive whatever `{{ template }}` passes them; this module
        // does not follow values across that call.
        if !trees.defined.is_empty() {
            return Reads::everything();
        }

        // First the variables that only ever hold the root, then the reads through them.
        let mut scan = Scan {
            dollar: &trees.dollar,
            aliases: HashMap::new(),
            collecting: true,
            reads: Reads::default(),
        };
        scan.list(&trees.main, true);
        scan.collecting = false;
        scan.reads = Reads::default();
        scan.list(&trees.main, true);
        scan.reads
    }

    fn everything() -> Reads {
        Reads {
            whole: true,
            fields: BTreeMap::new(),
        }
    }

    fn add(&mut self, path: &[Rc<str>]) {
        if self.whole {
            return;
        }
        match path.split_first() {
            None => *self = Reads::everything(),
            Some((first, rest)) => self.fields.entry(first.clone()).or_default().add(rest),
        }
    }

    /// The template value of `json` with only the parts read here.
    pub(crate) fn project(&self, json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Object(map) if !self.whole => Value::map_of(
                self.fields
                    .iter()
                    .filter_map(|(key, reads)| {
                        let value = map.get(&**key)?;
                        Some((key.to_string(), reads.project(value)))
                    })
                    .collect(),
            ),
            _ => Value::from_json(json),
        }
    }
}

/// One walk over the tree; see [`Reads::of`].
struct Scan<'a> {
    dollar: &'a Rc<str>,
    /// Every declared variable, and whether each of its declarations set it to the root.
    aliases: HashMap<Rc<str>, bool>,
    /// The first walk only collects `aliases`; the second counts the reads.
    collecting: bool,
    reads: Reads,
}

impl Scan<'_> {
    /// `at_root`: the dot is the root here.
    fn list(&mut self, list: &List, at_root: bool) {
        for node in list {
            self.node(node, at_root);
        }
    }

    fn node(&mut self, node: &Node, at_root: bool) {
        match node {
            Node::Text(_) | Node::Break | Node::Continue => {}
            Node::Action(pipe) => {
                let only_root = !pipe.decl.is_empty() && self.is_root(pipe, at_root);
                self.declare(&pipe.decl, only_root);
                // Setting a variable that only ever holds the root reads nothing yet: its
                // uses do. Any other variable set to the root holds all of it.
                let alias = only_root && pipe.decl.iter().all(|name| self.holds_root(name));
                if !alias {
                    self.pipe(pipe, at_root);
                }
            }
            Node::If(control) => self.control(control, at_root, at_root),
            Node::With(control) | Node::Range(control) => self.control(control, at_root, false),
            Node::Template { .. } => self.reads = Reads::everything(),
        }
    }

    /// A control structure whose body runs with the root as dot when `body_at_root`.
    fn control(&mut self, control: &Control, at_root: bool, body_at_root: bool) {
        self.declare(&control.pipe.decl, false);
        self.pipe(&control.pipe, at_root);
        self.list(&control.list, body_at_root);
        if let Some(else_list) = &control.else_list {
            self.list(else_list, at_root);
        }
    }

    fn declare(&mut self, names: &[Rc<str>], only_root: bool) {
        if !self.collecting {
            return;
        }
        for name in names {
            let entry = self.aliases.entry(name.clone()).or_insert(true);
            *entry &= only_root && name != self.dollar;
        }
    }

    /// Whether the pipeline is the root and nothing else: `.` where the dot is the root,
    /// or `$`.
    fn is_root(&self, pipe: &Pipe, at_root: bool) -> bool {
        match pipe.cmds.as_slice() {
            [command] => match command.args.as_slice() {
                [Arg::Dot(_)] => at_root,
                [Arg::Variable(_, names)] => names.len() == 1 && names[0] == *self.dollar,
                _ => false,
            },
            _ => false,
        }
    }

    fn pipe(&mut self, pipe: &Pipe, at_root: bool) {
        for command in &pipe.cmds {
            for arg in &command.args {
                self.arg(arg, at_root);
            }
        }
    }

    fn arg(&mut self, arg: &Arg, at_root: bool) {
        match arg {
            Arg::Dot(_) if at_root => self.reads = Reads::everything(),
            Arg::Field(_, names) if at_root => self.reads.add(names),
            Arg::Variable(_, names) if self.holds_root(&names[0]) => self.reads.add(&names[1..]),
            Arg::Pipe(_, pipe) => self.pipe(pipe, at_root),
            // `(pipeline).a.b` reads what its pipeline reads; on the root itself, that is
            // all of it.
            Arg::Chain(_, inner, _) => self.arg(inner, at_root),
            _ => {}
        }
    }

    fn holds_root(&self, name: &Rc<str>) -> bool {
        name == self.dollar || self.aliases.get(name).copied().unwrap_or(false)
    }
}
