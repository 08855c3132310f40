//! Converting the deprecated `spec.next` block into steps, as kwok v0.8 does on load.
//!
//! The order is fixed whatever the YAML key order: event, finalizers, the patches (or, when
//! `patches` is empty, one status patch from `statusTemplate`), then delete. The rules are
//! v0.8's for every file; where older kwok releases behaved differently a note says so.

use stage_yaml::Node;

use super::build::{Builder, event, finalizers};
use super::path::FieldPath;
use super::tree::{get, get_bool, get_seq, get_text, text};
use crate::model::{Patch, Step};

pub(super) fn steps_from_next(b: &mut Builder<'_, '_>, next: &Node, path: &FieldPath) -> Vec<Step> {
    let mut steps = Vec::new();

    if let Some(node) = get(next, "event") {
        steps.push(Step {
            origin: b.origin(node.mark),
            event: Some(event(node)),
            ..Step::default()
        });
    }

    if let Some(node) = get(next, "finalizers") {
        steps.push(Step {
            origin: b.origin(node.mark),
            finalizers: Some(finalizers(node)),
            ..Step::default()
        });
    }

    let patches = get_seq(next, "patches");
    let status_template =
        get(next, "statusTemplate").filter(|node| text(node).is_some_and(|t| !t.is_empty()));
    let patched = !patches.is_empty() || status_template.is_some();
    if !patches.is_empty() {
        if let Some(node) = status_template {
            b.report.warning(
                node.mark,
                &path.child("statusTemplate"),
                format!(
                    "{path}.statusTemplate is ignored because {path}.patches is set (kwok does \
                     the same)"
                ),
            );
        }
        let patches_path = path.child("patches");
        for (i, node) in patches.iter().enumerate() {
            let patch = b.patch(node, &patches_path.index(i));
            steps.push(Step {
                origin: b.origin(node.mark),
                patch: Some(patch),
                ..Step::default()
            });
        }
    } else if let Some(node) = status_template {
        let subresource = get_text(next, "statusSubresource")
            .filter(|s| !s.is_empty())
            .unwrap_or("status");
        let patch = Patch {
            root: Some("status".to_string()),
            template: b.template(next, "statusTemplate", &path.child("statusTemplate")),
            patch_type: None,
            subresource: Some(subresource.to_string()),
            impersonation: get(next, "statusPatchAs")
                .and_then(|n| get_text(n, "username"))
                .filter(|u| !u.is_empty())
                .map(str::to_string),
        };
        steps.push(Step {
            origin: b.origin(node.mark),
            patch: Some(patch),
            ..Step::default()
        });
    }

    if get_bool(next, "delete") {
        let node = get(next, "delete").unwrap_or(next);
        if patched {
            b.report.note(
                node.mark,
                &path.child("delete"),
                format!(
                    "{path}: kwok v0.8 sends the status patch and then deletes the object; \
                     kwok v0.7 and earlier deleted it without patching"
                ),
            );
        }
        steps.push(Step {
            origin: b.origin(node.mark),
            delete: true,
            ..Step::default()
        });
    }

    steps
}
