//! The controller's configuration: the flags of a kwok process that Stage templates and the
//! choice of managed nodes depend on.
//!
//! It owns the values and their defaults, not their use: the template functions read them
//! (see `funcs`) and the controller loop decides which nodes it manages.

use serde::{Deserialize, Serialize};

/// The node IP of kwok's controller tests, which every recorded case uses.
pub const DEFAULT_NODE_IP: &str = "10.0.0.1";
/// The pod CIDR of kwok's controller tests (kwok's binary defaults to `10.0.0.0/24`).
pub const DEFAULT_CIDR: &str = "10.100.0.0/24";

/// The kwok flags a Stage run depends on (`--node-ip`, `--cidr`, `--node-name`,
/// `--node-port` and the `--manage-*` family).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ControllerConfig {
    /// What `NodeIP` returns, and the fallback of the pod IP functions.
    #[serde(rename = "nodeIP")]
    pub node_ip: String,
    /// The pod CIDR used when a node has no `podCIDR(s)` of its own.
    pub cidr: String,
    /// What `NodeName` returns: the controller's name, the same for every node.
    pub node_name: String,
    /// What `NodePort` returns; 0 when unset, so `with NodePort` is skipped.
    pub node_port: i64,
    pub manage: ManagedNodes,
}

/// Which nodes kwok plays (and so which pods, through `spec.nodeName`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ManagedNodes {
    /// `--manage-all-nodes`.
    #[default]
    All,
    /// `--manage-single-node NAME`.
    ByName(String),
    /// `--manage-nodes-with-label-selector SELECTOR`.
    ByLabel(String),
    /// `--manage-nodes-with-annotation-selector SELECTOR`.
    ByAnnotation(String),
}

impl Default for ControllerConfig {
    fn default() -> ControllerConfig {
        ControllerConfig {
            node_ip: DEFAULT_NODE_IP.to_string(),
            cidr: DEFAULT_CIDR.to_string(),
            node_name: String::new(),
            node_port: 0,
            manage: ManagedNodes::All,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> ControllerConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn defaults_are_those_of_the_recorded_cases() {
        let config = ControllerConfig::default();
        assert_eq!(config.node_ip, "10.0.0.1");
        assert_eq!(config.cidr, "10.100.0.0/24");
        assert_eq!(config.node_name, "");
        assert_eq!(config.node_port, 0);
        assert_eq!(config.manage, ManagedNodes::All);
    }

    #[test]
    fn keys_are_kwok_flag_names() {
        assert_eq!(parse("{}"), ControllerConfig::default());
        assert_eq!(parse(r#"{"nodeIP": ""}"#).node_ip, "");
        assert_eq!(parse(r#"{"cidr": "10.0.0.0/24"}"#).cidr, "10.0.0.0/24");
        assert_eq!(parse(r#"{"nodeName": "kwok"}"#).node_name, "kwok");
        assert_eq!(parse(r#"{"nodePort": 10247}"#).node_port, 10247);
        assert_eq!(parse(r#"{"manage": "all"}"#).manage, ManagedNodes::All);
        assert_eq!(
            parse(r#"{"manage": {"byName": "n1"}}"#).manage,
            ManagedNodes::ByName("n1".into())
        );
        assert_eq!(
            parse(r#"{"manage": {"byLabel": "type=kwok"}}"#).manage,
            ManagedNodes::ByLabel("type=kwok".into())
        );
        assert_eq!(
            parse(r#"{"manage": {"byAnnotation": "kwok.x-k8s.io/node=fake"}}"#).manage,
            ManagedNodes::ByAnnotation("kwok.x-k8s.io/node=fake".into())
        );
    }

    #[test]
    fn other_request_keys_are_left_to_their_owners() {
        // The recorded requests put `nodes` next to these keys; the loop reads it.
        let config = parse(r#"{"nodeIP": "1.2.3.4", "nodes": ["kind: Node"]}"#);
        assert_eq!(config.node_ip, "1.2.3.4");
    }

    #[test]
    fn round_trips() {
        let config = ControllerConfig {
            node_port: 7,
            manage: ManagedNodes::ByLabel("a=b".into()),
            ..ControllerConfig::default()
        };
        let text = serde_json::to_string(&config).unwrap();
        assert!(text.contains(r#""nodeIP":"10.0.0.1""#), "{text}");
        assert_eq!(parse(&text), config);
    }
}
