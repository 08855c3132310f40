//! Tests of kwok's template functions: the printing rules on their own, then through
//! templates in each controller's function set.

mod units {
    use crate::funcs::*;

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
mod templates {
    use crate::funcs::*;
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
        // The same text quoted again, between other texts, and equal texts held apart.
        assert_eq!(
            render(
                g,
                r#"{{ $a := .s }}{{ $b := "y" }}{{ $a | Quote }}{{ $b | Quote }}{{ $a | Quote }}{{ $a | Quote }}{{ "y" | Quote }}{{ $b | Quote }}"#
            ),
            r#""\u003cx\u003e""y""\u003cx\u003e""\u003cx\u003e""y""y""#
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
