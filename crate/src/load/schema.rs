//! The Stage CRD's OpenAPI v3 schema and strict validation of a document against it.
//!
//! The engine ships the CRD it validates against (`kwok.x-k8s.io_stages.yaml`, kwok's own
//! `kustomize/crd/bases` file, read from a copy without its descriptions) and checks a Stage the
//! way the API server does for `kubectl apply --validate=strict`: keys written twice, unknown
//! fields, types, enums, required fields and minimums. As the API server does, a `null` value
//! counts as absent (it is pruned, or replaced by the field's default). `metadata` is checked as
//! Kubernetes' ObjectMeta, and `status` only for unknown fields, because the API server drops a
//! Stage's status on create (Stages have a status subresource). Where kwok's own file loader
//! behaves differently the message says so. This module knows nothing of what the fields mean;
//! `build` does.

use std::sync::OnceLock;

use serde_json::Value;
use stage_yaml::{DuplicateKey, Mark, Node, NodeValue, PathSegment};

use super::path::FieldPath;
use super::tree;

/// The CRD as kwok ships it.
pub const STAGE_CRD: &str = include_str!("kwok.x-k8s.io_stages.yaml");

/// The CRD that validation reads: [`STAGE_CRD`] without its description texts, which are
/// two thirds of its bytes and which the schema never reads. The page ships this one.
pub(super) const SCHEMA_CRD: &str = include_str!("stages-schema.yaml");

/// One problem found by validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub mark: Mark,
    pub path: String,
    pub message: String,
    /// kwok's own loader lets this problem through (it ignores an unknown field and keeps
    /// a repeated field's last value), so the rest of the Stage still reads as kwok reads it.
    pub kwok_reads_past: bool,
}

/// The value types OpenAPI v3 knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

/// A structural schema node, reduced to the keywords the Stage CRD uses.
#[derive(Debug, Default)]
pub struct Schema {
    ty: Option<Type>,
    format: Option<String>,
    /// In the CRD's order.
    properties: Vec<(String, Schema)>,
    additional_properties: Option<Box<Schema>>,
    items: Option<Box<Schema>>,
    required: Vec<String>,
    enumeration: Vec<String>,
    minimum: Option<i64>,
    has_default: bool,
}

/// The Stage schema, parsed once from the embedded CRD.
pub fn stage_schema() -> Result<&'static Schema, String> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA.get_or_init(parse_crd).as_ref().map_err(Clone::clone)
}

fn parse_crd() -> Result<Schema, String> {
    let documents = stage_yaml::parse_stream(SCHEMA_CRD)
        .map_err(|e| format!("the embedded Stage CRD does not parse: {e}"))?;
    let root = documents
        .first()
        .map(|d| d.root.to_json())
        .ok_or("the embedded Stage CRD is empty")?;
    let schema = root
        .pointer("/spec/versions/0/schema/openAPIV3Schema")
        .ok_or("the embedded Stage CRD has no openAPIV3Schema")?;
    Schema::from_json(schema)
}

impl Schema {
    fn from_json(json: &Value) -> Result<Schema, String> {
        let mut schema = Schema::default();
        let Some(map) = json.as_object() else {
            return Err("a schema node is not an object".to_string());
        };
        if let Some(ty) = map.get("type").and_then(Value::as_str) {
            schema.ty = Some(match ty {
                "object" => Type::Object,
                "array" => Type::Array,
                "string" => Type::String,
                "integer" => Type::Integer,
                "number" => Type::Number,
                "boolean" => Type::Boolean,
                other => return Err(format!("unknown schema type {other:?}")),
            });
        }
        schema.format = map
            .get("format")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            for (name, sub) in properties {
                schema
                    .properties
                    .push((name.clone(), Schema::from_json(sub)?));
            }
        }
        if let Some(additional) = map.get("additionalProperties") {
            schema.additional_properties = Some(Box::new(Schema::from_json(additional)?));
        }
        if let Some(items) = map.get("items") {
            schema.items = Some(Box::new(Schema::from_json(items)?));
        }
        schema.required = strings(map.get("required"));
        schema.enumeration = strings(map.get("enum"));
        schema.minimum = map.get("minimum").and_then(Value::as_i64);
        schema.has_default = map.contains_key("default");
        Ok(schema)
    }

    fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Reports each key written twice in a document, at the repeat, with its field path.
///
/// go-yaml v2, and so kwok's loader, keeps the last value. For a strict request the API
/// server decodes the YAML a second time with go-yaml's strict mode only to find repeats, and
/// rejects the object with go-yaml's own words (`line 9: key "weight" already set in map`,
/// naming the line of the repeated value), which the message quotes.
pub fn duplicate_fields(duplicates: &[DuplicateKey]) -> Vec<Problem> {
    duplicates
        .iter()
        .map(|duplicate| {
            let mut mapping = FieldPath::root();
            for segment in &duplicate.path {
                mapping = match segment {
                    PathSegment::Key(key) => mapping.child(key),
                    PathSegment::Index(i) => mapping.index(*i),
                };
            }
            let name = duplicate.key.key_text();
            let place = if mapping.is_root() {
                "the document".to_string()
            } else {
                mapping.to_string()
            };
            let first = duplicate.first;
            let message = format!(
                "duplicate field \"{name}\" in {place}, first set at {}:{} (kwok keeps the last \
                 value; the API server rejects it: line {}: key {} already set in map)",
                first.line,
                first.column,
                duplicate.value.line,
                go_key(&duplicate.key)
            );
            Problem {
                mark: duplicate.mark,
                path: mapping.child(&name).to_string(),
                message,
                kwok_reads_past: true,
            }
        })
        .collect()
}

/// A key as go-yaml's message prints it (Go's `%#v` of the decoded key).
fn go_key(key: &Node) -> String {
    match &key.value {
        NodeValue::String { value, .. } => format!("{value:?}"),
        NodeValue::Null => "<nil>".to_string(),
        _ => key.key_text(),
    }
}

/// Validates a whole Stage document (its root mapping). `source` is the file's text, used to
/// quote how a mistyped scalar was written.
pub fn validate_stage(schema: &Schema, root: &Node, source: &str) -> Vec<Problem> {
    let mut v = Validator {
        source,
        problems: Vec::new(),
    };
    let path = FieldPath::root();
    let NodeValue::Map(entries) = &root.value else {
        v.problem(root.mark, &path, "a Stage must be a mapping".to_string());
        return v.problems;
    };

    for (key, value) in entries {
        let name = tree::key_text(key);
        let field = path.child(&name);
        match name.as_str() {
            "metadata" => v.metadata(value, &field),
            "status" => {
                if let Some(sub) = schema.property("status") {
                    v.unknown_fields_only(sub, value, &field);
                }
            }
            _ => match schema.property(&name) {
                Some(sub) => v.value(sub, key.mark, value, &field),
                None => v.unknown(key.mark, &path, &name),
            },
        }
    }
    v.required(schema, root.mark, entries, &path);
    if tree::get(root, "metadata").is_none() {
        let field = path.child("metadata").child("name");
        v.problem(
            root.mark,
            &field,
            "missing required field \"name\" in metadata".to_string(),
        );
    }
    v.problems
}

struct Validator<'s> {
    source: &'s str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem(&mut self, mark: Mark, path: &FieldPath, message: String) {
        self.problems.push(Problem {
            mark,
            path: path.to_string(),
            message,
            kwok_reads_past: false,
        });
    }

    fn unknown(&mut self, mark: Mark, parent: &FieldPath, name: &str) {
        let place = if parent.is_root() {
            "the document".to_string()
        } else {
            parent.to_string()
        };
        self.problems.push(Problem {
            mark,
            path: parent.child(name).to_string(),
            message: format!(
                "unknown field \"{name}\" in {place} (kwok ignores this field; \
                 the API server rejects it)"
            ),
            kwok_reads_past: true,
        });
    }

    /// Checks `node` against `schema`. `key_mark` is where the field's key is written, the
    /// place to report fields missing inside it.
    fn value(&mut self, schema: &Schema, key_mark: Mark, node: &Node, path: &FieldPath) {
        if tree::is_null(node) {
            return;
        }
        let Some(ty) = schema.ty else {
            return;
        };
        if !self.type_ok(ty, node, path) {
            return;
        }

        match &node.value {
            NodeValue::Map(entries) => {
                for (key, value) in entries {
                    let name = tree::key_text(key);
                    let field = path.child(&name);
                    if let Some(sub) = schema.property(&name) {
                        self.value(sub, key.mark, value, &field);
                    } else if let Some(sub) = &schema.additional_properties {
                        self.value(sub, key.mark, value, &field);
                    } else if !schema.properties.is_empty() {
                        self.unknown(key.mark, path, &name);
                    }
                }
                self.required(schema, key_mark, entries, path);
            }
            NodeValue::Seq(items) => {
                if let Some(sub) = &schema.items {
                    for (i, item) in items.iter().enumerate() {
                        // Nulls are pruned from mappings, not from lists.
                        match sub.ty {
                            Some(ty) if tree::is_null(item) => {
                                self.type_ok(ty, item, &path.index(i));
                            }
                            _ => self.value(sub, item.mark, item, &path.index(i)),
                        }
                    }
                }
            }
            _ => self.scalar(schema, node, path),
        }
    }

    fn scalar(&mut self, schema: &Schema, node: &Node, path: &FieldPath) {
        if let NodeValue::String { value, .. } = &node.value
            && !schema.enumeration.is_empty()
            && !schema.enumeration.iter().any(|allowed| allowed == value)
        {
            let allowed: Vec<String> = schema
                .enumeration
                .iter()
                .map(|a| format!("{a:?}"))
                .collect();
            self.problem(
                node.mark,
                path,
                format!(
                    "{path}: unsupported value {value:?}: must be one of {} \
                     (kwok's file loader does not check this)",
                    allowed.join(", ")
                ),
            );
        }
        if let (Some(minimum), NodeValue::Int(n)) = (schema.minimum, &node.value)
            && *n < minimum
        {
            self.problem(
                node.mark,
                path,
                format!(
                    "{path}: must be greater than or equal to {minimum}, not {n} \
                     (kwok's file loader does not check this)"
                ),
            );
        }
        if let (Some("int64"), NodeValue::UInt(n)) = (schema.format.as_deref(), &node.value) {
            self.problem(
                node.mark,
                path,
                format!("{path}: {n} does not fit in a 64-bit integer"),
            );
        }
    }

    /// Reports a type mismatch and says whether the node has the expected type.
    fn type_ok(&mut self, ty: Type, node: &Node, path: &FieldPath) -> bool {
        let ok = matches!(
            (&node.value, ty),
            (NodeValue::Map(_), Type::Object)
                | (NodeValue::Seq(_), Type::Array)
                | (NodeValue::String { .. }, Type::String)
                | (
                    NodeValue::Int(_) | NodeValue::UInt(_),
                    Type::Integer | Type::Number
                )
                | (NodeValue::Float(_), Type::Number)
                | (NodeValue::Bool(_), Type::Boolean)
        );
        if !ok {
            let mut message = format!(
                "{path}: must be of type {}, not {}",
                type_name(ty),
                tree::node_type_name(node)
            );
            if ty == Type::String
                && let Some(written) = self.plain_scalar_text(node)
            {
                let read_as = match tree::node_type_name(node) {
                    "integer" => "an integer",
                    "boolean" => "a boolean",
                    _ => "a number",
                };
                message.push_str(&format!(
                    " (YAML 1.1 reads the unquoted {written} as {read_as}; quote it)"
                ));
            }
            self.problem(node.mark, path, message);
        }
        ok
    }

    /// How a non-string scalar was written, when it was written as a plain scalar.
    fn plain_scalar_text(&self, node: &Node) -> Option<String> {
        match node.value {
            NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::UInt(_) | NodeValue::Float(_) => {}
            _ => return None,
        }
        let line = self.source.lines().nth(node.mark.line.checked_sub(1)?)?;
        let text: String = line
            .chars()
            .skip(node.mark.column.saturating_sub(1))
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
            .collect();
        (!text.is_empty()).then_some(text)
    }

    fn required(
        &mut self,
        schema: &Schema,
        mark: Mark,
        entries: &[(Node, Node)],
        path: &FieldPath,
    ) {
        for name in &schema.required {
            let present = entries
                .iter()
                .any(|(k, v)| tree::key_text(k) == *name && !tree::is_null(v));
            let defaulted = schema.property(name).is_some_and(|s| s.has_default);
            if !present && !defaulted {
                let place = if path.is_root() {
                    String::new()
                } else {
                    format!(" in {path}")
                };
                self.problem(
                    mark,
                    path,
                    format!("missing required field \"{name}\"{place}"),
                );
            }
        }
    }

    /// `status` is dropped by the API server on create; only its unknown fields are reported
    /// (strict decoding sees them before the status is dropped).
    fn unknown_fields_only(&mut self, schema: &Schema, node: &Node, path: &FieldPath) {
        match &node.value {
            NodeValue::Map(entries) if !schema.properties.is_empty() => {
                for (key, value) in entries {
                    let name = tree::key_text(key);
                    match schema.property(&name) {
                        Some(sub) => self.unknown_fields_only(sub, value, &path.child(&name)),
                        None => self.unknown(key.mark, path, &name),
                    }
                }
            }
            NodeValue::Seq(items) => {
                if let Some(sub) = &schema.items {
                    for (i, item) in items.iter().enumerate() {
                        self.unknown_fields_only(sub, item, &path.index(i));
                    }
                }
            }
            _ => {}
        }
    }

    /// `metadata` as Kubernetes' ObjectMeta: a name is required, the fields a manifest may
    /// carry have their types, and unknown fields are rejected as strict decoding does.
    fn metadata(&mut self, node: &Node, path: &FieldPath) {
        if tree::is_null(node) {
            return;
        }
        if !self.type_ok(Type::Object, node, path) {
            return;
        }
        let NodeValue::Map(entries) = &node.value else {
            return;
        };
        for (key, value) in entries {
            let name = tree::key_text(key);
            let field = path.child(&name);
            if tree::is_null(value) {
                continue;
            }
            match name.as_str() {
                "name" | "generateName" | "namespace" | "uid" | "resourceVersion" | "selfLink"
                | "creationTimestamp" | "deletionTimestamp" => {
                    self.type_ok(Type::String, value, &field);
                }
                "generation" | "deletionGracePeriodSeconds" => {
                    self.type_ok(Type::Integer, value, &field);
                }
                "labels" | "annotations" => {
                    if self.type_ok(Type::Object, value, &field)
                        && let NodeValue::Map(pairs) = &value.value
                    {
                        for (k, v) in pairs {
                            if !tree::is_null(v) {
                                self.type_ok(Type::String, v, &field.child(&tree::key_text(k)));
                            }
                        }
                    }
                }
                "finalizers" => {
                    if self.type_ok(Type::Array, value, &field)
                        && let NodeValue::Seq(items) = &value.value
                    {
                        for (i, item) in items.iter().enumerate() {
                            self.type_ok(Type::String, item, &field.index(i));
                        }
                    }
                }
                "ownerReferences" | "managedFields" => {
                    self.type_ok(Type::Array, value, &field);
                }
                _ => self.unknown(key.mark, path, &name),
            }
        }
        let name = tree::get(node, "name");
        let named = name.is_some_and(
            |n| !matches!(&n.value, NodeValue::String { value, .. } if value.is_empty()),
        );
        if !named {
            self.problem(
                name.map_or(node.mark, |n| n.mark),
                &path.child("name"),
                "missing required field \"name\" in metadata".to_string(),
            );
        }
    }
}

fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Object => "object",
        Type::Array => "array",
        Type::String => "string",
        Type::Integer => "integer",
        Type::Number => "number",
        Type::Boolean => "boolean",
    }
}
