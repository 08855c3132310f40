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
    // Templates quote the same variable again and again (`{{ $now | Quote }}` in every
    // condition), so the last text quoted is kept with its quotation.
    let last_quoted: RefCell<Option<(Rc<str>, Rc<str>)>> = RefCell::new(None);
    funcs.insert(
        "Quote",
        func(vec![Param::Any], false, move |args| {
            let value = arg(args, 0);
            let Value::String(text) = value else {
                return Ok(string(quote(value)));
            };
            if let Some((input, quoted)) = &*last_quoted.borrow()
                && Rc::ptr_eq(input, text)
            {
                return Ok(Value::String(Rc::clone(quoted)));
            }
            let quoted: Rc<str> = quote(value).into();
            *last_quoted.borrow_mut() = Some((Rc::clone(text), Rc::clone(&quoted)));
            Ok(Value::String(quoted))
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
mod tests;
