//! kwok's template pipeline for Stage templates: trim the text, parse it once (cached per
//! template), execute it over the object's snapshot, read the output as YAML 1.1 and turn
//! it into JSON.
//!
//! Errors come back in kwok's shape (`gotpl execute: <Go message>: <text so far>`) together
//! with the error's place inside the template, which [`RenderError::locate`] maps back to
//! the Stage file. The function table is built by `funcs`; what the JSON is used for is
//! `steps`'s business.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;
use stage_gotpl::{Funcs, Phase, Template};
use stage_yaml::Mark;

use crate::model::TemplateText;
use crate::select::ObjectView;

/// The name kwok gives every template, visible in Go's messages (`template: _:3:4: ...`).
const TEMPLATE_NAME: &str = "_";

/// How many parsed templates a context keeps.
const MAX_CACHED: usize = 4096;

/// A render's output: the text the template produced and the JSON read from it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rendered {
    pub text: String,
    pub json: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RenderPhase {
    Parse,
    Execute,
    Yaml,
}

/// A failed render.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderError {
    pub phase: RenderPhase,
    /// kwok's full message, partial output included.
    pub message: String,
    /// Where in the template text as written (before trimming) the error is, as a char
    /// offset, when the message names a place.
    pub offset: Option<usize>,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    /// The error's place in the Stage file whose text is `source`, when the template came
    /// from that file and the error names a place.
    pub fn locate(&self, template: &TemplateText, source: &str) -> Option<Mark> {
        let offset = self.offset?;
        Some(template.node.as_ref()?.locate(source, offset))
    }
}

struct Cached {
    text: String,
    template: Rc<Template>,
}

/// Renders Stage templates with one function table, caching parsed templates.
pub struct RenderContext {
    funcs: Funcs,
    /// Keyed by the address of the Stage's template text; the text is compared on a hit,
    /// so a reused address with other text is parsed again.
    cache: HashMap<usize, Cached>,
}

impl RenderContext {
    pub fn new(funcs: Funcs) -> RenderContext {
        RenderContext {
            funcs,
            cache: HashMap::new(),
        }
    }

    pub fn funcs(&self) -> &Funcs {
        &self.funcs
    }

    /// Forgets every parsed template (for instance after the Stages were reloaded).
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    /// Steps 1 to 4: the text the template produces over `view`.
    pub fn render_text(
        &mut self,
        template: &TemplateText,
        view: &ObjectView,
    ) -> Result<String, RenderError> {
        let parsed = self.parsed(template)?;
        parsed
            .execute_json(view.json(), &self.funcs)
            .map_err(|error| {
                let leading = leading_trimmed(&template.text);
                RenderError {
                    phase: RenderPhase::Execute,
                    message: format!("gotpl execute: {}: {}", error.message, error.partial),
                    offset: offset_of(&template.text, leading, error.line, error.column),
                }
            })
    }

    /// The whole pipeline: the text and the JSON read from it as YAML 1.1.
    pub fn render(
        &mut self,
        template: &TemplateText,
        view: &ObjectView,
    ) -> Result<Rendered, RenderError> {
        let text = self.render_text(template, view)?;
        match stage_yaml::parse_value(&text) {
            Ok(json) => Ok(Rendered { text, json }),
            Err(error) => Err(RenderError {
                phase: RenderPhase::Yaml,
                message: format!(
                    "error converting YAML to JSON: yaml: line {}: {}: {}",
                    error.mark.line, error.message, text
                ),
                offset: None,
            }),
        }
    }

    fn parsed(&mut self, template: &TemplateText) -> Result<Rc<Template>, RenderError> {
        let key = template as *const TemplateText as usize;
        if let Some(cached) = self.cache.get(&key)
            && cached.text == template.text
        {
            return Ok(cached.template.clone());
        }

        let trimmed = template.text.trim();
        let parsed = Template::parse(TEMPLATE_NAME, trimmed, &self.funcs).map_err(|error| {
            let leading = leading_trimmed(&template.text);
            // FIXME: kwok appends whatever its pooled buffer still holds after a parse
            // error (zero bytes or an earlier render's text); the engine appends nothing.
            RenderError {
                phase: match error.phase {
                    Phase::Parse => RenderPhase::Parse,
                    Phase::Execute => RenderPhase::Execute,
                },
                message: format!("build template: {}: ", error.message),
                offset: offset_of(&template.text, leading, error.line, error.column),
            }
        })?;
        let parsed = Rc::new(parsed);
        // Reloading Stages leaves entries for texts that no longer exist; a bound keeps a
        // long session from growing without end.
        if self.cache.len() >= MAX_CACHED {
            self.cache.clear();
        }
        self.cache.insert(
            key,
            Cached {
                text: template.text.clone(),
                template: parsed.clone(),
            },
        );
        Ok(parsed)
    }
}

/// How many chars `trim` removes from the front.
fn leading_trimmed(text: &str) -> usize {
    text.chars().take_while(|c| c.is_whitespace()).count()
}

/// The char offset in `text` (as written) of 1-based `line`/`column` inside the trimmed
/// text, or `None` when no place is named.
fn offset_of(text: &str, leading: usize, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let trimmed: Vec<char> = text.chars().skip(leading).collect();
    let mut current = 1;
    let mut offset = 0;
    while current < line && offset < trimmed.len() {
        if trimmed[offset] == '\n' {
            current += 1;
        }
        offset += 1;
    }
    Some(leading + offset + column.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_inside_the_text_as_written() {
        let text = "\n  a\nbc {{ x }}\n";
        let leading = leading_trimmed(text);
        assert_eq!(leading, 3);
        // Line 2, column 4 of the trimmed text "a\nbc {{ x }}" is the first `{`.
        let offset = offset_of(text, leading, 2, 4).unwrap();
        assert_eq!(text.chars().nth(offset), Some('{'));
        assert_eq!(offset_of(text, leading, 1, 1), Some(3));
        assert_eq!(offset_of(text, leading, 0, 0), None);
    }
}

/// The recorded render cases (`shared/golden/tpl-*.json`): kwok's Pod and Node controller
/// functions over typed objects, at the case's `now`, with a fresh IP pool.
#[cfg(test)]
mod golden_tests {
    use std::cell::RefCell;
    use std::path::{Path, PathBuf};
    use std::rc::Rc;

    use serde_json::Value;

    use super::RenderContext;
    use crate::config::ControllerConfig;
    use crate::funcs::{BareNodes, FuncContext, FunctionSet, build_funcs};
    use crate::ippool::IpPools;
    use crate::load;
    use crate::model::TemplateText;
    use crate::select::ObjectView;

    struct Clock(i64);

    impl stage_gotpl::Env for Clock {
        fn now(&self) -> i64 {
            self.0
        }

        fn next_u64(&self) -> u64 {
            0
        }
    }

    fn base() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The template a request names: the patch of the converted `statusTemplate`, or the
    /// n-th patch for `spec.next.patches[n].template`.
    fn template(request: &Value) -> TemplateText {
        let file = request["template_from"].as_str().unwrap();
        let loaded = load::load_paths(&[base().join(file)], false);
        assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
        let stage = match request.get("template_stage").and_then(Value::as_str) {
            Some(name) => loaded.stages.iter().find(|s| s.name == name).unwrap(),
            None => {
                assert_eq!(loaded.stages.len(), 1, "{file}");
                &loaded.stages[0]
            }
        };
        let field = request
            .get("template_field")
            .and_then(Value::as_str)
            .unwrap_or("spec.next.statusTemplate");
        let index = match field.strip_prefix("spec.next.patches[") {
            Some(rest) => rest.split(']').next().unwrap().parse().unwrap(),
            None => 0,
        };
        let patches: Vec<_> = stage
            .steps
            .iter()
            .filter_map(|s| s.patch.as_ref())
            .collect();
        patches[index].template.clone()
    }

    fn case(name: &str) {
        let path = base().join("shared/golden").join(name);
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let request = &case["request"];
        let response = &case["response"];

        let object = stage_yaml::parse_value(request["object"].as_str().unwrap()).unwrap();
        let view = ObjectView::new(stage_kube::typed::normalize(&object));
        let now = stage_kube::time::parse_rfc3339(request["now"].as_str().unwrap()).unwrap();
        let config: ControllerConfig = match request.get("config") {
            Some(config) => serde_json::from_value(config.clone()).unwrap(),
            None => ControllerConfig::default(),
        };
        let context = FuncContext {
            config,
            start_time: now,
            env: Rc::new(Clock(now)),
            nodes: Rc::new(BareNodes),
            pools: Rc::new(RefCell::new(IpPools::new())),
        };
        let set = FunctionSet::for_kind(view.api_version(), view.kind());
        let mut render = RenderContext::new(build_funcs(set, &context));

        let template = template(request);
        match render.render(&template, &view) {
            Ok(rendered) => {
                assert_eq!(
                    Some(rendered.text.as_str()),
                    response["text"].as_str(),
                    "{name}: text"
                );
                assert_eq!(rendered.json, response["json"], "{name}: json");
            }
            Err(error) => assert_eq!(
                Some(error.message.as_str()),
                response["error"].as_str(),
                "{name}"
            ),
        }
    }

    #[test]
    fn pod_ready() {
        case("tpl-pod-ready.json");
    }

    #[test]
    fn node_initialize() {
        case("tpl-node-initialize.json");
    }

    #[test]
    fn execute_error_with_partial_output() {
        case("tpl-kce2e-init-completed-no-status.json");
    }

    #[test]
    fn execute_error_is_placed_in_the_stage_file() {
        let file = "shared/field-stages/karpenter-core-e2e-pod-init-container-completed.yaml";
        let request = serde_json::json!({"template_from": file});
        let template = template(&request);
        let object = serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p"}, "spec": {"initContainers": [{"name": "i"}]}});
        let view = ObjectView::new(object);
        let context = FuncContext {
            config: ControllerConfig::default(),
            start_time: 0,
            env: Rc::new(Clock(0)),
            nodes: Rc::new(BareNodes),
            pools: Rc::new(RefCell::new(IpPools::new())),
        };
        let mut render = RenderContext::new(build_funcs(FunctionSet::Pod, &context));
        let error = render.render(&template, &view).unwrap_err();
        assert!(error.message.contains("_:11:14"), "{}", error.message);

        let source = std::fs::read_to_string(base().join(file)).unwrap();
        let mark = error.locate(&template, &source).unwrap();
        assert_eq!(mark.line, 35);
        let line = source.lines().nth(mark.line - 1).unwrap();
        let at: String = line.chars().skip(mark.column - 1).take(5).collect();
        assert_eq!(at, "index", "{line}");
    }
}
