//! kwok's own template functions, registered after sprig's: the generic ones every
//! controller has (`Now`, `StartTime`, `Quote`, `YAML`, `Version`, `NodeConditions`), the
//! Node controller's (`NodeIP`, `NodeName`, `NodePort`) and the Pod controller's (`NodeIP`,
//! `PodIP`, `NodeIPWith`, `PodIPWith`, `NodeIPsWith`, `PodIPsWith`), plus the placeholder
//! set kwok's stage test harness uses instead of the node and pod functions.
//!
//! The clock comes from the caller's [`stage_gotpl::Env`], nodes from a [`NodeLookup`] the
//! loop implements, pod IPs from shared [`IpPools`]. The template engine itself is
//! `stage_gotpl`; rendering a Stage's template is `render`'s business.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::rc::Rc;

use serde_json::Value as Json;
use stage_gotpl::value::{go_json, go_quote, go_sharp_v, json_unsupported};
use stage_gotpl::{Env, Func, Funcs, Param, Value};

use crate::config::ControllerConfig;
use crate::duration::Nanos;
use crate::ippool::IpPools;

/// The string kwok's unstamped build reports from `Version`, as the recorded cases show.
pub const KWOK_VERSION: &str = "0.8.0";

/// Which controller's functions a render gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionSet {
    Pod,
    Node,
    /// The Stage controller (every other kind): only the generic functions.
    Generic,
    /// kwok's stage test harness: placeholders such as `<Now>` and `<NodeIPWith("node")>`.
    Harness,
}

impl FunctionSet {
    /// The controller kwok runs a kind's Stages in.
    pub fn for_kind(api_version: &str, kind: &str) -> FunctionSet {
        match (api_version, kind) {
            ("v1", "Pod") => FunctionSet::Pod,
            ("v1", "Node") => FunctionSet::Node,
            _ => FunctionSet::Generic,
        }
    }
}

/// What the pod IP functions need to know about a node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeInfo {
    /// kwok's host IPs: the first InternalIP (else ExternalIP), plus the first address of
    /// the other IP family, if any.
    pub host_ips: Vec<String>,
    /// `spec.podCIDRs`, else `[spec.podCIDR]`, else empty.
    pub pod_cidrs: Vec<String>,
}

impl NodeInfo {
    pub fn from_node(node: &Json) -> NodeInfo {
        let addresses = node.pointer("/status/addresses").and_then(Json::as_array);
        let of_type = |wanted: &str| -> Vec<IpAddr> {
            addresses
                .into_iter()
                .flatten()
                .filter(|a| a.get("type").and_then(Json::as_str) == Some(wanted))
                .filter_map(|a| a.get("address").and_then(Json::as_str)?.parse().ok())
                .collect()
        };
        let mut all = of_type("InternalIP");
        all.extend(of_type("ExternalIP"));
        let mut host_ips = Vec::new();
        if let Some(first) = all.first() {
            host_ips.push(first.to_string());
            if let Some(other) = all.iter().find(|ip| ip.is_ipv6() != first.is_ipv6()) {
                host_ips.push(other.to_string());
            }
        }

        let strings = |pointer: &str| -> Vec<String> {
            node.pointer(pointer)
                .and_then(Json::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut pod_cidrs = strings("/spec/podCIDRs");
        if pod_cidrs.is_empty()
            && let Some(cidr) = node.pointer("/spec/podCIDR").and_then(Json::as_str)
            && !cidr.is_empty()
        {
            pod_cidrs.push(cidr.to_string());
        }
        NodeInfo {
            host_ips,
            pod_cidrs,
        }
    }
}

/// The nodes kwok knows (manages), as the loop sees them.
pub trait NodeLookup {
    fn node(&self, name: &str) -> Option<NodeInfo>;
}

/// No nodes at all: every node function falls back to the configured node IP.
pub struct NoNodes;

impl NodeLookup for NoNodes {
    fn node(&self, _name: &str) -> Option<NodeInfo> {
        None
    }
}

/// Every node name is a node kwok manages, with no addresses and no pod CIDRs (the
/// recorded cases' implicit bare node): the IP functions use the configured node IP and
/// CIDR.
pub struct BareNodes;

impl NodeLookup for BareNodes {
    fn node(&self, _name: &str) -> Option<NodeInfo> {
        Some(NodeInfo::default())
    }
}

/// Everything kwok's functions read.
#[derive(Clone)]
pub struct FuncContext {
    pub config: ControllerConfig,
    /// What `StartTime` returns, ns since the epoch.
    pub start_time: Nanos,
    pub env: Rc<dyn Env>,
    pub nodes: Rc<dyn NodeLookup>,
    pub pools: Rc<RefCell<IpPools>>,
}

/// sprig's functions, then kwok's generic ones, then the set's own (later wins).
pub fn build_funcs(set: FunctionSet, context: &FuncContext) -> Funcs {
    let mut funcs = Funcs::new();
    stage_gotpl::sprig::register(&mut funcs, context.env.clone());
    register_generic(&mut funcs, context);
    match set {
        FunctionSet::Pod => register_pod(&mut funcs, context),
        FunctionSet::Node => register_node(&mut funcs, context),
        FunctionSet::Generic => {}
        FunctionSet::Harness => register_placeholders(&mut funcs),
    }
    funcs
}

fn func(
    params: Vec<Param>,
    variadic: bool,
    body: impl Fn(&[Value]) -> Result<Value, String> + 'static,
) -> Func {
    Func {
        params,
        variadic,
        body: Rc::new(body),
    }
}

fn string(text: impl Into<Rc<str>>) -> Value {
    Value::String(text.into())
}

fn string_list(items: Vec<String>) -> Value {
    Value::List(Rc::new(items.into_iter().map(string).collect()))
}

fn register_generic(funcs: &mut Funcs, context: &FuncContext) {
    let env = context.env.clone();
    funcs.insert(
        "Now",
        func(vec![], false, move |_| {
            Ok(string(stage_kube::time::format_nanos(env.now())))
        }),
    );
    let start = stage_kube::time::format_nanos(context.start_time);
    funcs.insert(
        "StartTime",
        func(vec![], false, move |_| Ok(string(start.as_str()))),
    );
    funcs.insert(
        "Quote",
        func(vec![Param::Any], false, |args| {
            Ok(string(quote(arg(args, 0))))
        }),
    );
    funcs.insert("YAML", func(vec![Param::Any, Param::Int], true, yaml));
    funcs.insert("Version", func(vec![], false, |_| Ok(string(KWOK_VERSION))));
    funcs.insert(
        "NodeConditions",
        func(vec![], false, |_| Ok(node_conditions())),
    );
}

fn register_node(funcs: &mut Funcs, context: &FuncContext) {
    let ip = context.config.node_ip.clone();
    funcs.insert(
        "NodeIP",
        func(vec![], false, move |_| Ok(string(ip.as_str()))),
    );
    let name = context.config.node_name.clone();
    funcs.insert(
        "NodeName",
        func(vec![], false, move |_| Ok(string(name.as_str()))),
    );
    let port = context.config.node_port;
    funcs.insert(
        "NodePort",
        func(vec![], false, move |_| Ok(Value::Int(port))),
    );
}

/// The Pod controller's functions, sharing one state.
struct PodFuncs {
    config: ControllerConfig,
    nodes: Rc<dyn NodeLookup>,
    pools: Rc<RefCell<IpPools>>,
}

impl PodFuncs {
    fn node_ip_with(&self, node: &str) -> String {
        self.nodes
            .node(node)
            .and_then(|info| info.host_ips.into_iter().next())
            .unwrap_or_else(|| self.config.node_ip.clone())
    }

    fn node_ips_with(&self, node: &str) -> Vec<String> {
        match self.nodes.node(node) {
            Some(info) if !info.host_ips.is_empty() => info.host_ips,
            _ => self.fallback_list(),
        }
    }

    fn fallback_list(&self) -> Vec<String> {
        if self.config.node_ip.is_empty() {
            Vec::new()
        } else {
            vec![self.config.node_ip.clone()]
        }
    }

    fn pod_cidrs(&self, info: NodeInfo) -> Vec<String> {
        if info.pod_cidrs.is_empty() {
            vec![self.config.cidr.clone()]
        } else {
            info.pod_cidrs
        }
    }

    fn pod_ip(&self) -> String {
        let ip = self.pools.borrow_mut().get(&self.config.cidr);
        ip.unwrap_or_else(|_| self.config.node_ip.clone())
    }

    fn pod_ip_with(&self, node: &str, host_network: bool) -> String {
        if host_network {
            return self.node_ip_with(node);
        }
        let Some(info) = self.nodes.node(node) else {
            return self.config.node_ip.clone();
        };
        let cidrs = self.pod_cidrs(info);
        let ip = self.pools.borrow_mut().get(&cidrs[0]);
        ip.unwrap_or_else(|_| self.config.node_ip.clone())
    }

    fn pod_ips_with(&self, node: &str, host_network: bool) -> Vec<String> {
        if host_network {
            return self.node_ips_with(node);
        }
        let Some(info) = self.nodes.node(node) else {
            return vec![self.config.node_ip.clone()];
        };
        let mut pools = self.pools.borrow_mut();
        let ips: Vec<String> = self
            .pod_cidrs(info)
            .iter()
            .filter_map(|c| pools.get(c).ok())
            .collect();
        if ips.is_empty() {
            vec![self.config.node_ip.clone()]
        } else {
            ips
        }
    }
}

fn register_pod(funcs: &mut Funcs, context: &FuncContext) {
    let pod = Rc::new(PodFuncs {
        config: context.config.clone(),
        nodes: context.nodes.clone(),
        pools: context.pools.clone(),
    });
    let with = [
        Param::String,
        Param::Bool,
        Param::String,
        Param::String,
        Param::String,
    ];

    let p = pod.clone();
    funcs.insert(
        "NodeIP",
        func(vec![], false, move |_| {
            Ok(string(p.config.node_ip.as_str()))
        }),
    );
    let p = pod.clone();
    funcs.insert(
        "PodIP",
        func(vec![], false, move |_| Ok(string(p.pod_ip()))),
    );
    let p = pod.clone();
    funcs.insert(
        "NodeIPWith",
        func(vec![Param::String], false, move |args| {
            Ok(string(p.node_ip_with(str_arg(args, 0))))
        }),
    );
    let p = pod.clone();
    funcs.insert(
        "NodeIPsWith",
        func(vec![Param::String], false, move |args| {
            Ok(string_list(p.node_ips_with(str_arg(args, 0))))
        }),
    );
    let p = pod.clone();
    funcs.insert(
        "PodIPWith",
        func(with.to_vec(), false, move |args| {
            Ok(string(p.pod_ip_with(str_arg(args, 0), bool_arg(args, 1))))
        }),
    );
    let p = pod;
    funcs.insert(
        "PodIPsWith",
        func(with.to_vec(), false, move |args| {
            Ok(string_list(
                p.pod_ips_with(str_arg(args, 0), bool_arg(args, 1)),
            ))
        }),
    );
}

/// kwok's harness placeholders: `<Name>` without arguments, `<Name(args)>` with them in
/// Go's `%#v` form, and two entries `<0 of Name(args)>`, `<1 of Name(args)>` for the list
/// functions.
fn register_placeholders(funcs: &mut Funcs) {
    for name in [
        "NodeIP",
        "NodeName",
        "NodePort",
        "PodIP",
        "NodeIPWith",
        "PodIPWith",
        "Now",
        "now",
        "Version",
    ] {
        funcs.insert(
            name,
            func(vec![Param::Any], true, move |args| {
                Ok(string(placeholder(name, args)))
            }),
        );
    }
    for name in ["NodeIPsWith", "PodIPsWith"] {
        funcs.insert(
            name,
            func(vec![Param::Any], true, move |args| {
                let call = placeholder(name, args);
                let inner = &call[1..call.len() - 1];
                Ok(string_list(vec![
                    format!("<0 of {inner}>"),
                    format!("<1 of {inner}>"),
                ]))
            }),
        );
    }
}

/// `<Name>` or `<Name(arg, ...)>`.
pub fn placeholder(name: &str, args: &[Value]) -> String {
    if args.is_empty() {
        return format!("<{name}>");
    }
    let args: Vec<String> = args.iter().map(go_sharp_v).collect();
    format!("<{name}({})>", args.join(", "))
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Nil)
}

fn str_arg(args: &[Value], i: usize) -> &str {
    match arg(args, i) {
        Value::String(s) | Value::Number(s) => s,
        _ => "",
    }
}

fn bool_arg(args: &[Value], i: usize) -> bool {
    matches!(arg(args, i), Value::Bool(true))
}

/// kwok's `Quote`: the JSON encoding if it is a JSON string, else the Go-quoted JSON text.
fn quote(value: &Value) -> String {
    if json_unsupported(value).is_some() {
        return go_quote(&value.to_go_string());
    }
    let json = go_json(value, true);
    if json.starts_with('"') {
        json
    } else {
        go_quote(&json)
    }
}

fn yaml(args: &[Value]) -> Result<Value, String> {
    let json = to_json(arg(args, 0))?;
    let mut text = stage_yaml::to_string(&json);
    if let [_, Value::Int(indent)] = args
        && *indent > 0
    {
        // kwok repeats a space `indent*2` times; Go's int arithmetic wraps, and a
        // negative count is strings.Repeat's panic, which the template reports.
        let width = indent.wrapping_mul(2);
        if width < 0 {
            return Err("strings: negative Repeat count".to_string());
        }
        let lines = 1 + text.bytes().filter(|b| *b == b'\n').count();
        let size = usize::try_from(width)
            .ok()
            .and_then(|width| width.checked_mul(lines))
            .and_then(|pads| pads.checked_add(text.len()));
        if size.is_none_or(|size| size > stage_gotpl::OUTPUT_LIMIT) {
            return Err(stage_gotpl::over_limit("YAML"));
        }
        let pad = " ".repeat(width as usize);
        text = format!("\n{text}").replace('\n', &format!("\n{pad}"));
    }
    Ok(string(text))
}

/// A template value as plain JSON, or `json.Marshal`'s error for a value it refuses.
fn to_json(value: &Value) -> Result<Json, String> {
    match json_unsupported(value) {
        Some(message) => Err(message),
        None => Ok(value.to_json()),
    }
}

fn node_conditions() -> Value {
    let rows = [
        (
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        (
            "NetworkUnavailable",
            "False",
            "RouteCreated",
            "RouteController created a route",
        ),
    ];
    let list = rows
        .iter()
        .map(|(kind, status, reason, message)| {
            let mut map = BTreeMap::new();
            map.insert("type".to_string(), string(*kind));
            map.insert("status".to_string(), string(*status));
            map.insert("reason".to_string(), string(*reason));
            map.insert("message".to_string(), string(*message));
            map.insert("lastHeartbeatTime".to_string(), Value::Nil);
            map.insert("lastTransitionTime".to_string(), Value::Nil);
            Value::Map(Rc::new(map))
        })
        .collect();
    Value::List(Rc::new(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        string(text)
    }

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(Rc::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        ))
    }

    #[test]
    fn quote_rules() {
        assert_eq!(quote(&s("abc")), r#""abc""#);
        assert_eq!(quote(&s("")), r#""""#);
        assert_eq!(quote(&s("a\"b")), r#""a\"b""#);
        assert_eq!(quote(&s("<x>&")), r#""\u003cx\u003e\u0026""#);
        assert_eq!(quote(&Value::Number("3".into())), r#""3""#);
        assert_eq!(quote(&Value::Int(3)), r#""3""#);
        assert_eq!(quote(&Value::Bool(true)), r#""true""#);
        assert_eq!(quote(&Value::Nil), r#""null""#);
        assert_eq!(
            quote(&map(&[("a", Value::Number("1".into()))])),
            r#""{\"a\":1}""#
        );
        assert_eq!(quote(&Value::List(Rc::new(vec![s("a")]))), r#""[\"a\"]""#);
        assert_eq!(quote(&Value::Float(f64::NAN)), r#""NaN""#);
        assert_eq!(quote(&s("line\nnext")), r#""line\nnext""#);
        // strconv.Quote escapes what strconv.IsPrint refuses, a no-break space included.
        assert_eq!(
            quote(&map(&[("a", s("\u{a0}x"))])),
            r#""{\"a\":\"\u00a0x\"}""#
        );
        assert_eq!(quote(&Value::Float(1e6)), r#""1000000""#);
        assert_eq!(
            quote(&Value::List(Rc::new(vec![Value::Float(f64::INFINITY)]))),
            r#""[+Inf]""#
        );
    }

    #[test]
    fn go_forms() {
        assert_eq!(go_quote("a\u{1}b\u{7f}"), r#""a\x01b\x7f""#);
        assert_eq!(go_quote("é\u{200b}"), "\"é\\u200b\"");
        assert_eq!(go_sharp_v(&s("node")), r#""node""#);
        assert_eq!(go_sharp_v(&Value::Bool(false)), "false");
        assert_eq!(go_sharp_v(&Value::Nil), "<nil>");
        assert_eq!(go_sharp_v(&Value::Number("1".into())), r#""1""#);
        assert_eq!(go_sharp_v(&Value::Int(2)), "2");
        assert_eq!(
            go_sharp_v(&Value::List(Rc::new(vec![s("a"), Value::Int(1)]))),
            r#"[]interface {}{"a", 1}"#
        );
        assert_eq!(
            go_sharp_v(&map(&[("a", Value::Int(1))])),
            r#"map[string]interface {}{"a":1}"#
        );
        assert_eq!(go_sharp_v(&Value::Float(1e6)), "1e+06");
        assert_eq!(
            go_sharp_v(&Value::List(Rc::new(vec![Value::Nil]))),
            r#"[]interface {}{interface {}(nil)}"#
        );
    }

    #[test]
    fn placeholders() {
        assert_eq!(placeholder("Now", &[]), "<Now>");
        assert_eq!(
            placeholder("NodeIPWith", &[s("node")]),
            r#"<NodeIPWith("node")>"#
        );
        assert_eq!(
            placeholder(
                "PodIPWith",
                &[s("node"), Value::Bool(false), s(""), s("pod"), s("")]
            ),
            r#"<PodIPWith("node", false, "", "pod", "")>"#
        );
    }

    #[test]
    fn node_info_from_a_node() {
        let node = serde_json::json!({
            "spec": {"podCIDR": "10.1.0.0/24"},
            "status": {"addresses": [
                {"type": "Hostname", "address": "n"},
                {"type": "ExternalIP", "address": "1.2.3.4"},
                {"type": "InternalIP", "address": "not-an-ip"},
                {"type": "InternalIP", "address": "172.0.0.1"},
                {"type": "InternalIP", "address": "172.0.0.2"},
                {"type": "ExternalIP", "address": "2001:db8::1"}
            ]}
        });
        let info = NodeInfo::from_node(&node);
        assert_eq!(info.host_ips, ["172.0.0.1", "2001:db8::1"]);
        assert_eq!(info.pod_cidrs, ["10.1.0.0/24"]);
        let dual =
            serde_json::json!({"spec": {"podCIDR": "x", "podCIDRs": ["10.1.0.0/24", "fd00::/64"]}});
        let info = NodeInfo::from_node(&dual);
        assert!(info.host_ips.is_empty());
        assert_eq!(info.pod_cidrs, ["10.1.0.0/24", "fd00::/64"]);
    }

    struct OneNode;

    impl NodeLookup for OneNode {
        fn node(&self, name: &str) -> Option<NodeInfo> {
            (name == "n1").then(|| NodeInfo {
                host_ips: vec!["172.0.0.1".into()],
                pod_cidrs: vec!["10.1.0.0/24".into(), "fd00::/64".into()],
            })
        }
    }

    fn pod_funcs(node_ip: &str) -> PodFuncs {
        PodFuncs {
            config: ControllerConfig {
                node_ip: node_ip.into(),
                ..ControllerConfig::default()
            },
            nodes: Rc::new(OneNode),
            pools: Rc::new(RefCell::new(IpPools::new())),
        }
    }

    #[test]
    fn pod_controller_functions() {
        let p = pod_funcs("10.0.0.1");
        assert_eq!(p.node_ip_with("n1"), "172.0.0.1");
        assert_eq!(p.node_ip_with("unknown"), "10.0.0.1");
        assert_eq!(p.node_ips_with("n1"), ["172.0.0.1"]);
        assert_eq!(p.node_ips_with("unknown"), ["10.0.0.1"]);
        assert_eq!(p.pod_ip(), "10.100.0.1");
        assert_eq!(p.pod_ip(), "10.100.0.2");
        assert_eq!(p.pod_ip_with("n1", false), "10.1.0.1");
        assert_eq!(p.pod_ip_with("n1", true), "172.0.0.1");
        assert_eq!(p.pod_ip_with("unknown", false), "10.0.0.1");
        assert_eq!(p.pod_ips_with("n1", false), ["10.1.0.2", "fd00::1"]);
        assert_eq!(p.pod_ips_with("n1", true), ["172.0.0.1"]);
        assert_eq!(p.pod_ips_with("unknown", false), ["10.0.0.1"]);
        let empty = pod_funcs("");
        assert_eq!(empty.node_ips_with("unknown"), Vec::<String>::new());
        assert_eq!(empty.node_ip_with("unknown"), "");
    }

    #[test]
    fn kinds_pick_controllers() {
        assert_eq!(FunctionSet::for_kind("v1", "Pod"), FunctionSet::Pod);
        assert_eq!(FunctionSet::for_kind("v1", "Node"), FunctionSet::Node);
        assert_eq!(
            FunctionSet::for_kind("v1", "PersistentVolume"),
            FunctionSet::Generic
        );
    }
}

/// kwok's functions called from templates, with the text Go gives.
#[cfg(test)]
mod template_tests {
    use super::*;
    use stage_gotpl::Template;

    struct Clock(i64);

    impl Env for Clock {
        fn now(&self) -> i64 {
            self.0
        }

        fn next_u64(&self) -> u64 {
            0
        }
    }

    /// 2026-08-07T05:54:51Z.
    const T: i64 = 1_786_082_091_000_000_000;

    fn context(now: i64) -> FuncContext {
        FuncContext {
            config: ControllerConfig {
                node_name: "kwok-controller".into(),
                node_port: 10247,
                ..ControllerConfig::default()
            },
            start_time: T,
            env: Rc::new(Clock(now)),
            nodes: Rc::new(BareNodes),
            pools: Rc::new(RefCell::new(IpPools::new())),
        }
    }

    fn render_with(set: FunctionSet, now: i64, text: &str) -> Result<String, String> {
        let funcs = build_funcs(set, &context(now));
        let data = Value::from_json(&serde_json::json!({"n": 3, "s": "<x>"}));
        let template = Template::parse("_", text, &funcs).map_err(|e| e.message)?;
        template.execute(&data, &funcs).map_err(|e| e.message)
    }

    fn render(set: FunctionSet, text: &str) -> String {
        render_with(set, T, text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn generic_functions() {
        let g = FunctionSet::Generic;
        assert_eq!(render(g, "{{ Now }}"), "2026-08-07T05:54:51Z");
        assert_eq!(
            render_with(g, T + 123_456_789, "{{ Now }}").unwrap(),
            "2026-08-07T05:54:51.123456789Z"
        );
        assert_eq!(
            render_with(g, T + 500_000_000, "{{ Now }}").unwrap(),
            "2026-08-07T05:54:51.5Z"
        );
        assert_eq!(
            render_with(g, 0, "{{ StartTime }}").unwrap(),
            "2026-08-07T05:54:51Z"
        );
        assert_eq!(render(g, "{{ Version }}"), "0.8.0");
        assert_eq!(render(g, r#"{{ printf "kwok-%s" Version }}"#), "kwok-0.8.0");
        assert_eq!(
            render(g, "{{ Quote .s }} {{ Quote .n }} {{ Quote .missing }}"),
            r#""\u003cx\u003e" "3" "null""#
        );
        assert_eq!(
            render(g, r#"{{ YAML (dict "pods" "110" "cpu" "1k") }}"#),
            "cpu: 1k\npods: \"110\"\n"
        );
        assert_eq!(
            render(g, r#"{{ YAML (dict "pods" "110" "cpu" "1k") 1 }}"#),
            "\n  cpu: 1k\n  pods: \"110\"\n  "
        );
        assert_eq!(render(g, "{{ len NodeConditions }}"), "5");
        assert_eq!(
            render(
                g,
                "{{ range NodeConditions }}{{ .type }}={{ .status }} {{ end }}"
            ),
            "Ready=True MemoryPressure=False DiskPressure=False PIDPressure=False NetworkUnavailable=False "
        );
        assert_eq!(
            render(g, "{{ (index NodeConditions 0).lastHeartbeatTime }}"),
            "<no value>"
        );
    }

    #[test]
    fn yaml_indent_sizes() {
        let g = FunctionSet::Generic;
        let huge = render_with(g, T, "{{ YAML . 4611686018427387904 }}").unwrap_err();
        assert!(
            huge.contains("error calling YAML: strings: negative Repeat count"),
            "{huge}"
        );
        let big = render_with(g, T, "{{ YAML . 4611686018427387903 }}").unwrap_err();
        assert!(
            big.contains("error calling YAML: YAML would exceed the output limit"),
            "{big}"
        );
        assert_eq!(render(g, "{{ YAML 1 -3 }}"), "1\n");
    }

    #[test]
    fn every_function_of_every_set_survives_boundary_arguments() {
        // sprig's functions have their own test in stage-gotpl; these are kwok's, and the
        // sprig names kwok registers again.
        let mut sprig = Funcs::new();
        stage_gotpl::sprig::register(&mut sprig, Rc::new(Clock(T)));
        for set in [
            FunctionSet::Pod,
            FunctionSet::Node,
            FunctionSet::Generic,
            FunctionSet::Harness,
        ] {
            let funcs = build_funcs(set, &context(T));
            let kwok: Vec<&str> = funcs
                .iter()
                .map(|(name, _)| name)
                .filter(|name| sprig.get(name).is_none() || *name == "now")
                .collect();
            assert!(kwok.contains(&"Quote"), "{set:?}: {kwok:?}");
            let panics = stage_gotpl::boundary::panicking_calls_of(&funcs, &kwok);
            assert!(panics.is_empty(), "{set:?}:\n{}", panics.join("\n"));
        }
    }

    #[test]
    fn controller_functions_are_only_in_their_controller() {
        let error = render_with(FunctionSet::Generic, T, "{{ NodeIP }}").unwrap_err();
        assert!(
            error.contains(r#"function "NodeIP" not defined"#),
            "{error}"
        );
        let error = render_with(FunctionSet::Node, T, "{{ PodIP }}").unwrap_err();
        assert!(error.contains(r#"function "PodIP" not defined"#), "{error}");
        let n = FunctionSet::Node;
        assert_eq!(
            render(n, "{{ NodeIP }} {{ NodeName }} {{ NodePort }}"),
            "10.0.0.1 kwok-controller 10247"
        );
        let p = FunctionSet::Pod;
        assert_eq!(
            render(p, "{{ PodIP }} {{ PodIP }}"),
            "10.100.0.1 10.100.0.2"
        );
        assert_eq!(
            render(
                p,
                r#"{{ NodeIPWith "n" }} {{ PodIPWith "n" false "" "p" "" }}"#
            ),
            "10.0.0.1 10.100.0.1"
        );
        assert_eq!(
            render(p, r#"{{ PodIPWith "n" true "" "p" "" }}"#),
            "10.0.0.1"
        );
        assert_eq!(
            render(p, r#"{{ index (PodIPsWith "n" false "" "p" "") 0 }}"#),
            "10.100.0.1"
        );
        assert_eq!(render(p, r#"{{ NodeIPsWith "n" }}"#), "[10.0.0.1]");
    }

    #[test]
    fn harness_placeholders() {
        let h = FunctionSet::Harness;
        assert_eq!(
            render(
                h,
                "{{ Now }} {{ now }} {{ Version }} {{ NodeIP }} {{ NodePort }}"
            ),
            "<Now> <now> <Version> <NodeIP> <NodePort>"
        );
        assert_eq!(
            render(h, r#"{{ NodeIPWith "node" }}"#),
            r#"<NodeIPWith("node")>"#
        );
        assert_eq!(
            render(
                h,
                r#"{{ range PodIPsWith "node" false "" "pod" "" }}{{ . }};{{ end }}"#
            ),
            r#"<0 of PodIPsWith("node", false, "", "pod", "")>;<1 of PodIPsWith("node", false, "", "pod", "")>;"#
        );
        assert_eq!(
            render(h, "{{ NodeIPWith .missing .n }}"),
            r#"<NodeIPWith(<nil>, "3")>"#
        );
        // The generic functions stay real.
        assert_eq!(render(h, "{{ Quote .s }}"), r#""\u003cx\u003e""#);
    }
}
