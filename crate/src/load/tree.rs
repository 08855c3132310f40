//! Reading a parsed YAML node tree: map lookups that treat `null` as absent, and keys as the
//! strings `sigs.k8s.io/yaml` turns them into.

use stage_yaml::{Node, NodeValue};

/// A map key as JSON sees it: strings as written, other scalars in their YAML 1.1 reading
/// (`on:` is the key `"true"`).
pub fn key_text(key: &Node) -> String {
    match &key.value {
        NodeValue::String { value, .. } => value.clone(),
        NodeValue::Null => "null".to_string(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(n) => n.to_string(),
        NodeValue::UInt(n) => n.to_string(),
        NodeValue::Float(f) => f.to_string(),
        NodeValue::Seq(_) | NodeValue::Map(_) => key.to_json().to_string(),
    }
}

pub fn is_null(node: &Node) -> bool {
    matches!(node.value, NodeValue::Null)
}

/// The entry `name` of a mapping, with its key; `None` when absent or `null`.
pub fn entry<'a>(node: &'a Node, name: &str) -> Option<(&'a Node, &'a Node)> {
    let NodeValue::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, v)| key_text(k) == name && !is_null(v))
        .map(|(k, v)| (k, v))
}

/// The value `name` of a mapping; `None` when absent or `null`.
pub fn get<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    entry(node, name).map(|(_, v)| v)
}

/// The string value of a scalar node.
pub fn text(node: &Node) -> Option<&str> {
    match &node.value {
        NodeValue::String { value, .. } => Some(value),
        _ => None,
    }
}

/// The string value `name` of a mapping.
pub fn get_text<'a>(node: &'a Node, name: &str) -> Option<&'a str> {
    get(node, name).and_then(text)
}

pub fn get_bool(node: &Node, name: &str) -> bool {
    matches!(
        get(node, name).map(|n| &n.value),
        Some(NodeValue::Bool(true))
    )
}

pub fn get_int(node: &Node, name: &str) -> Option<i64> {
    match get(node, name).map(|n| &n.value) {
        Some(NodeValue::Int(n)) => Some(*n),
        _ => None,
    }
}

/// The items of the sequence `name` of a mapping; empty when absent.
pub fn get_seq<'a>(node: &'a Node, name: &str) -> &'a [Node] {
    match get(node, name).map(|n| &n.value) {
        Some(NodeValue::Seq(items)) => items,
        _ => &[],
    }
}

/// The entries of the mapping `name` of a mapping.
pub fn get_map<'a>(node: &'a Node, name: &str) -> Option<&'a [(Node, Node)]> {
    match get(node, name).map(|n| &n.value) {
        Some(NodeValue::Map(entries)) => Some(entries),
        _ => None,
    }
}

pub fn node_type_name(node: &Node) -> &'static str {
    match node.value {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "boolean",
        NodeValue::Int(_) | NodeValue::UInt(_) => "integer",
        NodeValue::Float(_) => "number",
        NodeValue::String { .. } => "string",
        NodeValue::Seq(_) => "array",
        NodeValue::Map(_) => "object",
    }
}
