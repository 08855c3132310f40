//! The node side of kwok's controllers: which nodes the Node controller manages (kwok's
//! `--manage-*` flags), which pods the Pod controller plays (those on managed nodes), and
//! the re-listing of a node's pods once it becomes managed.

use std::rc::Rc;

use serde_json::Value;
use stage_kube::{ObjectKey, SharedEvent, WatchEventType, field};

use super::{Sim, object_key};
use crate::config::ManagedNodes;

impl Sim<'_> {
    pub(super) fn node_event(&mut self, event: SharedEvent) {
        let name = event.key.name.clone();
        let wanted = event.event_type != WatchEventType::Deleted
            && manages(&self.options.config.manage, &event.object);
        if !wanted {
            // A node that stops matching the manage selector leaves the controller's
            // watch, as a Deleted event would.
            self.managed_nodes.remove(&name);
            if !self.is_known_node(&name) {
                self.eval.set_node(&name, None);
            }
            self.cancel(&event.key);
            return;
        }
        self.eval.set_node(&name, Some(&event.object));
        let newly_managed = self.managed_nodes.insert(name.clone());
        self.preprocess(&Rc::new(event.key), event.object, false);
        if newly_managed {
            self.sync_pods_on(&name);
        }
    }

    /// kwok re-lists the pods of a node that became managed and feeds them in as Sync
    /// events.
    pub(super) fn sync_pods_on(&mut self, node: &str) {
        let pods: Vec<Value> = self
            .store
            .list("v1", "Pod")
            .into_iter()
            .filter(|pod| field(pod, "/spec/nodeName").and_then(Value::as_str) == Some(node))
            .cloned()
            .collect();
        for pod in pods {
            if let Some(key) = object_key(&pod) {
                self.preprocess(&Rc::new(key), Rc::new(pod), false);
            }
        }
    }

    pub(super) fn pod_event(&mut self, event: SharedEvent) {
        if !self.pod_is_managed(&event.object) {
            return;
        }
        self.ensure_implicit_node(&event.object);
        match event.event_type {
            WatchEventType::Deleted => {
                self.eval.release_pod_ips(&event.object);
                self.cancel(&event.key);
            }
            _ => self.preprocess(&Rc::new(event.key), event.object, false),
        }
    }

    /// kwok's `PodController.need`: a non-empty `spec.nodeName` naming a managed node.
    pub(super) fn pod_is_managed(&self, pod: &Value) -> bool {
        let node = field(pod, "/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if node.is_empty() {
            return false;
        }
        if self.managed_nodes.contains(node) {
            return true;
        }
        self.options.implicit_nodes && !self.node_in_store(node)
    }

    /// The implicit node of a pod is a bare Node that kwok manages: no addresses and no
    /// pod CIDR, so the pod IP functions use the configured node IP and CIDR.
    pub(super) fn ensure_implicit_node(&mut self, pod: &Value) {
        let node = field(pod, "/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !self.options.implicit_nodes
            || self.managed_nodes.contains(node)
            || self.is_known_node(node)
            || self.node_in_store(node)
        {
            return;
        }
        let bare = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": { "name": node },
        });
        self.eval.set_node(node, Some(&bare));
        self.managed_nodes.insert(node.to_string());
    }

    pub(super) fn node_in_store(&self, name: &str) -> bool {
        self.store.get(&node_key(name)).is_some()
    }

    pub(super) fn is_known_node(&self, name: &str) -> bool {
        self.options
            .known_nodes
            .iter()
            .any(|node| field(node, "/metadata/name").and_then(Value::as_str) == Some(name))
    }
}

fn node_key(name: &str) -> ObjectKey {
    ObjectKey {
        api_version: "v1".to_string(),
        kind: "Node".to_string(),
        namespace: String::new(),
        name: name.to_string(),
    }
}

/// Whether the Node controller manages `node` (kwok's `--manage-*` flags).
pub fn manages(manage: &ManagedNodes, node: &Value) -> bool {
    let metadata_map =
        |name: &str| field(node, &format!("/metadata/{name}")).and_then(Value::as_object);
    match manage {
        ManagedNodes::All => true,
        ManagedNodes::ByName(name) => {
            field(node, "/metadata/name").and_then(Value::as_str) == Some(name.as_str())
        }
        ManagedNodes::ByLabel(selector) => selector_matches(selector, metadata_map("labels")),
        ManagedNodes::ByAnnotation(selector) => {
            selector_matches(selector, metadata_map("annotations"))
        }
    }
}

/// A Kubernetes equality-based selector (`a=b,c!=d,e,!f`) against a string map.
fn selector_matches(selector: &str, map: Option<&serde_json::Map<String, Value>>) -> bool {
    let get = |key: &str| map.and_then(|m| m.get(key)).and_then(Value::as_str);
    selector
        .split(',')
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .all(|term| {
            if let Some((key, value)) = term.split_once("!=") {
                get(key.trim()) != Some(value.trim())
            } else if let Some((key, value)) =
                term.split_once("==").or_else(|| term.split_once('='))
            {
                get(key.trim()) == Some(value.trim())
            } else if let Some(key) = term.strip_prefix('!') {
                get(key.trim()).is_none()
            } else {
                get(term).is_some()
            }
        })
}
