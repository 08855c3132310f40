//! Which parts of its data a template can read, found once when it is parsed, so that a
//! render converts only those parts of a JSON object into template values.
//!
//! A template reads its data through the root: `.a.b` where the dot is the root, `$.a.b`,
//! and `$v.a.b` for a variable that only ever holds the root (`{{ $root := . }}`). Such a
//! field chain reads the value at its path and nothing else around it, so the object can
//! be cut down to the paths the template names. Any other use of the root itself (printing
//! it, passing it to a function, ranging over it, `{{ template }}`) reads all of it.
//!
//! A `range` over such a path (`{{ range $i, $c := .spec.containers }}`) reads the list's
//! elements (or the map's values) through its body: there the dot and the element variable
//! hold an element, and their field chains read paths below "each element". Any other use
//! of an element reads all of it. A variable set to an element by the builtin `index`
//! (`{{ $origin := index $root.status.containerStatuses $i }}`) is read the same way. Every
//! other value a template holds (a `with` value, a variable set from a field, the result
//! of a function) came out of some read that was already counted as reading its whole
//! value.
//!
//! The cut-down object answers every read exactly as the whole one would: a map keeps each
//! named key it has, with its value cut down the same way; a list or map that is only
//! ranged over or indexed keeps every element, each cut down the same way; and anything
//! else (where a field read fails or yields a scalar) is converted whole.

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
    /// What is read from every element, when the value is ranged over or indexed.
    each: Option<Box<Reads>>,
    /// Set on the root when the reads count on `index` being the builtin one.
    through_index: bool,
}

/// One step of a path into the data.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(Rc<str>),
    /// Every element of a list, or every value of a map.
    Each,
}

impl Reads {
    /// What the templates of `trees` read from their data.
    pub(crate) fn of(trees: &Trees) -> Reads {
        // Defined templates receive whatever `{{ template }}` passes them; this module
        // does not follow values across that call.
        if !trees.defined.is_empty() {
            return Reads::everything();
        }

        // First the variables that only ever hold the root, then, in a walk that starts
        // afresh with only those, the reads through them.
        let mut collect = Scan::new(&trees.dollar, HashMap::new(), true);
        collect.list(&trees.main, &Some(Vec::new()));
        let mut count = Scan::new(&trees.dollar, collect.aliases, false);
        count.list(&trees.main, &Some(Vec::new()));
        count.reads.through_index = count.through_index;
        count.reads
    }

    /// Whether the reads count on `index` being the builtin one, so that a function table
    /// with its own `index` needs the whole object.
    pub(crate) fn through_index(&self) -> bool {
        self.through_index
    }

    fn everything() -> Reads {
        Reads {
            whole: true,
            ..Reads::default()
        }
    }

    /// Counts the value at `path` as read whole.
    fn add(&mut self, path: &[Step]) {
        if self.whole {
            return;
        }
        match path.split_first() {
            None => *self = Reads::everything(),
            Some((step, rest)) => self.below(step).add(rest),
        }
    }

    /// Counts the value at `path` as ranged over: its elements are kept, and what is read
    /// from each of them is added below [`Step::Each`].
    fn ranged(&mut self, path: &[Step]) {
        if self.whole {
            return;
        }
        match path.split_first() {
            None => {
                self.each.get_or_insert_default();
            }
            Some((step, rest)) => self.below(step).ranged(rest),
        }
    }

    fn below(&mut self, step: &Step) -> &mut Reads {
        match step {
            Step::Field(name) => self.fields.entry(name.clone()).or_default(),
            Step::Each => self.each.get_or_insert_default(),
        }
    }

    /// The template value of `json` with only the parts read here.
    pub(crate) fn project(&self, json: &serde_json::Value) -> Value {
        if self.whole {
            return Value::from_json(json);
        }
        match (json, &self.each) {
            (serde_json::Value::Object(map), None) => Value::map_of(
                self.fields
                    .iter()
                    .filter_map(|(key, reads)| {
                        let value = map.get(&**key)?;
                        Some((key.to_string(), reads.project(value)))
                    })
                    .collect(),
            ),
            // Ranged over and read no other way: every element stays, cut down.
            (serde_json::Value::Object(map), Some(each)) if self.fields.is_empty() => {
                Value::map_of(
                    map.iter()
                        .map(|(key, value)| (key.clone(), each.project(value)))
                        .collect(),
                )
            }
            (serde_json::Value::Array(items), Some(each)) if self.fields.is_empty() => Value::List(
                Rc::new(items.iter().map(|item| each.project(item)).collect()),
            ),
            _ => Value::from_json(json),
        }
    }
}

/// Where a value sits in the data, when the scan knows it; the root is the empty path.
type Place = Option<Vec<Step>>;

/// One walk over the tree; see [`Reads::of`].
struct Scan<'a> {
    dollar: &'a Rc<str>,
    /// Every declared variable, and whether each of its declarations set it to the root.
    aliases: HashMap<Rc<str>, bool>,
    /// The first walk only collects `aliases`; the second counts the reads.
    collecting: bool,
    /// The variables declared in the enclosing scopes, innermost last, with the place of
    /// the element each holds when it is the element variable of a range over a place.
    scope: Vec<(Rc<str>, Place)>,
    /// Some variable holds an element found by `index`.
    through_index: bool,
    reads: Reads,
}

impl<'a> Scan<'a> {
    fn new(dollar: &'a Rc<str>, aliases: HashMap<Rc<str>, bool>, collecting: bool) -> Scan<'a> {
        Scan {
            dollar,
            aliases,
            collecting,
            scope: Vec::new(),
            through_index: false,
            reads: Reads::default(),
        }
    }

    /// `dot`: where the dot's value sits, when known.
    fn list(&mut self, list: &List, dot: &Place) {
        for node in list {
            self.node(node, dot);
        }
    }

    fn node(&mut self, node: &Node, dot: &Place) {
        match node {
            Node::Text(_) | Node::Break | Node::Continue => {}
            Node::Action(pipe) => {
                if let Some(element) = self.indexed(pipe, dot) {
                    self.declare(&pipe.decl, false);
                    self.push(pipe, Some(element));
                    return;
                }
                let at_root = dot.as_ref().is_some_and(Vec::is_empty);
                let only_root = !pipe.decl.is_empty() && self.is_root(pipe, at_root);
                self.declare(&pipe.decl, only_root);
                // Setting a variable that only ever holds the root reads nothing yet: its
                // uses do. Any other variable set to the root holds all of it.
                let alias = only_root && pipe.decl.iter().all(|name| self.holds_root(name));
                if !alias {
                    self.pipe(pipe, dot);
                }
                self.push(pipe, None);
            }
            Node::If(control) => self.control(control, dot, dot.clone()),
            Node::With(control) => self.control(control, dot, None),
            Node::Range(control) => self.range(control, dot),
            Node::Template { .. } => self.reads = Reads::everything(),
        }
    }

    /// An `if` or `with` whose body runs with its dot at `body_dot`.
    fn control(&mut self, control: &Control, dot: &Place, body_dot: Place) {
        self.declare(&control.pipe.decl, false);
        self.pipe(&control.pipe, dot);
        let mark = self.scope.len();
        self.push(&control.pipe, None);
        self.body(control, &body_dot, dot, mark);
    }

    /// A `range`. Over a known place, with new variables, it reads the elements through
    /// its body only; otherwise its value counts as read whole, as any pipeline's does.
    fn range(&mut self, control: &Control, dot: &Place) {
        self.declare(&control.pipe.decl, false);
        let ranged = match control.pipe.is_assign {
            // Variables from outside keep the last element after the loop.
            true => None,
            false => self.place_of_pipe(&control.pipe, dot),
        };
        let element = match ranged {
            Some(mut place) => {
                self.reads.ranged(&place);
                place.push(Step::Each);
                Some(place)
            }
            None => {
                self.pipe(&control.pipe, dot);
                None
            }
        };
        let mark = self.scope.len();
        self.push(&control.pipe, element.clone());
        self.body(control, &element, dot, mark);
    }

    /// The body of a control structure, then its `else` list; `mark` is where the scope
    /// stood before the structure's own variables. Variables declared in the body end
    /// with it, and the structure's own end with the structure.
    fn body(&mut self, control: &Control, body_dot: &Place, dot: &Place, mark: usize) {
        let declared = self.scope.len();
        self.list(&control.list, body_dot);
        self.scope.truncate(declared);
        // A range's variables hold its value there, which is empty: reads through them
        // counted as element reads read nothing more.
        if let Some(else_list) = &control.else_list {
            self.list(else_list, dot);
        }
        self.scope.truncate(mark);
    }

    /// For `{{ $v := index X i... }}` with `X` at a known place: the place of the element
    /// `$v` holds. The indexing keeps every element at each level, cut down by what is read
    /// through `$v`; the index arguments are read as any arguments are.
    fn indexed(&mut self, pipe: &Pipe, dot: &Place) -> Place {
        if pipe.is_assign || pipe.decl.len() != 1 {
            return None;
        }
        let [command] = pipe.cmds.as_slice() else {
            return None;
        };
        let [Arg::Identifier(_, name), item, indexes @ ..] = command.args.as_slice() else {
            return None;
        };
        if &**name != "index" || indexes.is_empty() {
            return None;
        }
        let mut place = self.place_of(item, dot)?;
        for index in indexes {
            self.arg(index, dot);
            self.reads.ranged(&place);
            place.push(Step::Each);
        }
        self.through_index = true;
        Some(place)
    }

    /// Puts the variables a pipeline declares in scope; the last of a range's holds the
    /// element at `element`, and any other holds a value whose reads were counted.
    fn push(&mut self, pipe: &Pipe, element: Place) {
        if pipe.is_assign {
            return;
        }
        let last = pipe.decl.len().saturating_sub(1);
        for (i, name) in pipe.decl.iter().enumerate() {
            let place = if i == last { element.clone() } else { None };
            self.scope.push((name.clone(), place));
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

    /// The place of a pipeline that is one field chain and nothing else.
    fn place_of_pipe(&self, pipe: &Pipe, dot: &Place) -> Place {
        match pipe.cmds.as_slice() {
            [command] => match command.args.as_slice() {
                [arg] => self.place_of(arg, dot),
                _ => None,
            },
            _ => None,
        }
    }

    /// The place of a dot, a field chain or a variable's field chain, when known.
    fn place_of(&self, arg: &Arg, dot: &Place) -> Place {
        let (base, names) = match arg {
            Arg::Dot(_) => (dot.clone()?, &[][..]),
            Arg::Field(_, names) => (dot.clone()?, &names[..]),
            Arg::Variable(_, names) => (self.variable(&names[0])?, &names[1..]),
            _ => return None,
        };
        let mut place = base;
        place.extend(names.iter().cloned().map(Step::Field));
        Some(place)
    }

    /// Where the value of a variable sits: the innermost declaration of the name decides.
    fn variable(&self, name: &Rc<str>) -> Place {
        if let Some((_, Some(element))) = self.scope.iter().rev().find(|(n, _)| n == name) {
            return Some(element.clone());
        }
        self.holds_root(name).then(Vec::new)
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Place) {
        for command in &pipe.cmds {
            for arg in &command.args {
                self.arg(arg, dot);
            }
        }
    }

    fn arg(&mut self, arg: &Arg, dot: &Place) {
        if let Some(place) = self.place_of(arg, dot) {
            self.reads.add(&place);
            return;
        }
        match arg {
            Arg::Pipe(_, pipe) => self.pipe(pipe, dot),
            // `(pipeline).a.b` reads what its pipeline reads; on the root itself, that is
            // all of it.
            Arg::Chain(_, inner, _) => self.arg(inner, dot),
            _ => {}
        }
    }

    fn holds_root(&self, name: &Rc<str>) -> bool {
        name == self.dollar || self.aliases.get(name).copied().unwrap_or(false)
    }
}
