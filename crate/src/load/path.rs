//! Field paths as diagnostics print them: `spec.selector.matchExpressions[1].operator`.
//!
//! Keys that are not plain identifiers (label keys such as `kwok.x-k8s.io/stage`) are written
//! in brackets with quotes, so that the path reads back unambiguously.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root() -> FieldPath {
        FieldPath::default()
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn child(&self, key: &str) -> FieldPath {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !plain {
            FieldPath(format!("{}[{key:?}]", self.0))
        } else if self.0.is_empty() {
            FieldPath(key.to_string())
        } else {
            FieldPath(format!("{}.{key}", self.0))
        }
    }

    pub fn index(&self, i: usize) -> FieldPath {
        FieldPath(format!("{}[{i}]", self.0))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let spec = FieldPath::root().child("spec");
        assert_eq!(spec.to_string(), "spec");
        let entry = spec.child("selector").child("matchExpressions").index(1);
        assert_eq!(
            entry.child("operator").to_string(),
            "spec.selector.matchExpressions[1].operator"
        );
        let label = spec
            .child("selector")
            .child("matchLabels")
            .child("kwok.x-k8s.io/stage");
        assert_eq!(
            label.to_string(),
            "spec.selector.matchLabels[\"kwok.x-k8s.io/stage\"]"
        );
        assert_eq!(FieldPath::root().index(0).to_string(), "[0]");
        assert!(FieldPath::root().is_root());
    }
}
