//! Loading the Objects input: the Kubernetes objects a run starts with.
//!
//! Any kind is accepted, in multi-document streams; each object needs `apiVersion`, `kind`
//! and `metadata.name`, and the items of a `List` (or of a typed list such as `PodList`) are
//! loaded one by one. Values are read as YAML 1.1 and turned into JSON as kubectl does. A key
//! written twice keeps its last value, as in kwok, with a warning, since strict validation
//! would reject the object. This module does not check an object against its kind's schema;
//! the API-server model does. Documents in the plain block shape are read straight to JSON,
//! the others (and any a check reports) on the event path; both give the same objects and
//! the same reports.

use serde_json::Value;
use stage_yaml::{Document, Mark, Node, NodeValue};

use super::path::FieldPath;
use super::schema;
use super::tree::{self, get, get_seq, get_text};
use crate::diagnostic::Diagnostic;
use crate::model::Origin;

/// One object of the Objects input, as JSON, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedObject {
    pub object: Value,
    pub origin: Origin,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `None` for cluster-scoped objects and for objects that leave the namespace to the
    /// server's default.
    pub namespace: Option<String>,
}

/// Loads every object of a YAML (or JSON) stream. Objects with problems are left out and
/// reported; the others load.
pub fn load_objects(source: &str, file: &str) -> (Vec<LoadedObject>, Vec<Diagnostic>) {
    // Documents in the plain block shape tools write are read straight to JSON; any other
    // document, and any that a check would report, is read on the event path, so that
    // what is reported and where is the same either way.
    if let Some(parts) = stage_yaml::split_stream(source)
        && let Some(loaded) = load_parts(&parts, file)
    {
        return loaded;
    }
    load_stream(source, file)
}

/// [`load_objects`] with every document read on the event path.
pub(super) fn load_stream(source: &str, file: &str) -> (Vec<LoadedObject>, Vec<Diagnostic>) {
    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    match stage_yaml::parse_stream(source) {
        Ok(documents) => {
            for document in &documents {
                load_document(document, file, &mut objects, &mut diagnostics);
            }
        }
        Err(e) => diagnostics.push(syntax_error(file, e)),
    }
    (objects, diagnostics)
}

/// The stream's objects document by document, or `None` when a document fails to parse on
/// its own: the error is then the whole stream's to report.
fn load_parts(
    parts: &[stage_yaml::Part<'_>],
    file: &str,
) -> Option<(Vec<LoadedObject>, Vec<Diagnostic>)> {
    let mut objects = Vec::with_capacity(parts.len());
    let mut diagnostics = Vec::new();
    for part in parts {
        if let Some((value, mark)) = part.read() {
            match read_object(value, mark, file) {
                Read::Object(object) => {
                    objects.push(object);
                    continue;
                }
                Read::Empty => continue,
                Read::Check => {}
            }
        }
        for document in &part.parse().ok()? {
            load_document(document, file, &mut objects, &mut diagnostics);
        }
    }
    Some((objects, diagnostics))
}

/// What reading a document as JSON gave.
enum Read {
    Object(LoadedObject),
    /// An empty document, which holds no object.
    Empty,
    /// A document the checks of [`load_document`] must see: a list, or one they report.
    Check,
}

/// The object of a document read as JSON, when it is one `object` would accept without a
/// word; the lookups mirror `object`'s (a `null` value is absent, only strings are text).
fn read_object(object: Value, mark: Mark, file: &str) -> Read {
    let text = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let fields = match &object {
        Value::Null => return Read::Empty,
        Value::Object(fields) => fields,
        _ => return Read::Check,
    };
    let metadata = match fields.get("metadata") {
        Some(Value::Object(metadata)) => metadata,
        _ => return Read::Check,
    };
    let (Some(api_version), Some(kind), Some(name)) = (
        text(fields.get("apiVersion")),
        text(fields.get("kind")),
        text(metadata.get("name")),
    ) else {
        return Read::Check;
    };
    if kind.ends_with("List") {
        return Read::Check;
    }
    let namespace = text(metadata.get("namespace"));

    Read::Object(LoadedObject {
        object,
        origin: Origin {
            file: file.to_string(),
            mark,
        },
        api_version,
        kind,
        name,
        namespace,
    })
}

fn syntax_error(file: &str, e: stage_yaml::Error) -> Diagnostic {
    Diagnostic::error(file, e.mark, "", format!("YAML: {}", e.message))
}

/// The objects of one parsed document, with its problems.
fn load_document(
    document: &Document,
    file: &str,
    objects: &mut Vec<LoadedObject>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for problem in schema::duplicate_fields(&document.duplicates) {
        diagnostics.push(Diagnostic::warning(
            file,
            problem.mark,
            &problem.path,
            problem.message,
        ));
    }
    let root = &document.root;
    match &root.value {
        NodeValue::Null => {}
        NodeValue::Map(_) if is_list(root) => {
            let items = FieldPath::root().child("items");
            for (i, item) in get_seq(root, "items").iter().enumerate() {
                let path = items.index(i);
                if let Some(object) = object(item, &path, file, diagnostics) {
                    objects.push(object);
                }
            }
        }
        NodeValue::Map(_) => {
            if let Some(object) = object(root, &FieldPath::root(), file, diagnostics) {
                objects.push(object);
            }
        }
        _ => diagnostics.push(Diagnostic::error(
            file,
            root.mark,
            "",
            "an object must be a mapping with apiVersion, kind and metadata",
        )),
    }
}

/// `kind: List`, or a typed list (`PodList`) that carries its objects under `items`.
fn is_list(root: &Node) -> bool {
    let kind = get_text(root, "kind").unwrap_or_default();
    let has_items = matches!(
        get(root, "items").map(|n| &n.value),
        Some(NodeValue::Seq(_))
    );
    kind == "List" || (kind.ends_with("List") && has_items)
}

fn object(
    node: &Node,
    path: &FieldPath,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LoadedObject> {
    let before = diagnostics.len();
    let mut required = |owner: Option<&Node>, name: &str, field: FieldPath| {
        let value = owner.and_then(|o| get(o, name));
        let text = value.and_then(tree::text).filter(|v| !v.is_empty());
        if text.is_none() {
            let message = match value {
                Some(v) if tree::text(v).is_none() => format!(
                    "{field}: must be of type string, not {}",
                    tree::node_type_name(v)
                ),
                _ => format!(
                    "{field}: missing required field (an object needs apiVersion, kind and \
                     metadata.name)"
                ),
            };
            let mark = value.or(owner).map_or(node.mark, |n| n.mark);
            diagnostics.push(Diagnostic::error(file, mark, &field.to_string(), message));
        }
        text.map(str::to_string)
    };

    let metadata = get(node, "metadata");
    let api_version = required(Some(node), "apiVersion", path.child("apiVersion"));
    let kind = required(Some(node), "kind", path.child("kind"));
    let name = required(metadata, "name", path.child("metadata").child("name"));
    if diagnostics.len() > before {
        return None;
    }

    Some(LoadedObject {
        object: node.to_json(),
        origin: Origin {
            file: file.to_string(),
            mark: node.mark,
        },
        api_version: api_version?,
        kind: kind?,
        name: name?,
        namespace: metadata
            .and_then(|m| get_text(m, "namespace"))
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests;
