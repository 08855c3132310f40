//! Building the internal form of one validated Stage document, with kwok's load-time checks.
//!
//! kwok compiles a Stage lazily, on the first event of its kind (`Stage.init`): jq keys and
//! expressions, selector operators and their values, and the step templates. Here those
//! checks run when the Stage is loaded, and every failure is reported with its place. The
//! schema has already been checked (`schema`), so this module reads fields without
//! re-checking their types. The legacy `next` block is converted in `legacy`.

use std::collections::BTreeMap;

use stage_jq::{Operator, Query};
use stage_kube::PatchType;
use stage_yaml::{Mark, Node};

use super::path::FieldPath;
use super::tree::{self, get, get_bool, get_int, get_map, get_seq, get_text, text};
use super::{LoadOptions, Report, legacy};
use crate::model::{
    Apply, ApplyKind, Delay, Event, ExpressionFrom, Finalizers, MatchExpression, MatchKind, Origin,
    Patch, ResourceRef, Selector, Stage, Step, TemplateText,
};

/// The message tail for a Stage that kwok would accept on load and break on at run time.
pub(super) fn kwok_breaks(kind: &str) -> String {
    format!(
        "kwok would fail every Stage of kind {kind} at the first event and then run this \
         Stage half built; rejected here"
    )
}

/// Builds a Stage from a document that passed schema validation. Problems go to `report`;
/// the caller rejects the Stage when any of them is an error.
pub(super) fn build_stage(root: &Node, report: &mut Report<'_>, options: &LoadOptions) -> Stage {
    let spec_path = FieldPath::root().child("spec");
    let spec = get(root, "spec").unwrap_or(root);
    let resource_ref = resource_ref(spec, &spec_path, report);
    let mut b = Builder {
        report,
        options,
        resource_ref,
        funcs: None,
    };

    let selector = match get(spec, "selector") {
        Some(node) => Some(b.selector(node, &spec_path.child("selector"))),
        None => {
            b.report.warning(
                spec.mark,
                &spec_path.child("selector"),
                "spec.selector is not set: this Stage never matches (kwok ignores it too)"
                    .to_string(),
            );
            None
        }
    };
    let weight_from = get(spec, "weightFrom")
        .and_then(|node| b.expression_from(node, &spec_path.child("weightFrom"), Getter::Weight));
    let delay = get(spec, "delay").map(|node| b.delay(node, &spec_path.child("delay")));
    let (steps, from_legacy_next) = b.steps(spec, &spec_path);

    Stage {
        name: get(root, "metadata")
            .and_then(|m| get_text(m, "name"))
            .unwrap_or_default()
            .to_string(),
        origin: b.origin(root.mark),
        resource_ref: b.resource_ref.clone(),
        selector,
        weight: get_int(spec, "weight").unwrap_or(0),
        weight_from,
        delay,
        steps,
        immediate_next_stage: get_bool(spec, "immediateNextStage"),
        from_legacy_next,
    }
}

fn resource_ref(spec: &Node, spec_path: &FieldPath, report: &mut Report<'_>) -> ResourceRef {
    let path = spec_path.child("resourceRef");
    let node = get(spec, "resourceRef");
    let kind = node
        .and_then(|n| get_text(n, "kind"))
        .unwrap_or_default()
        .to_string();
    let api_group = match node.and_then(|n| get(n, "apiGroup")) {
        Some(group) => {
            let group = text(group).unwrap_or_default();
            if group.is_empty() {
                report.warning(
                    node.map_or(spec.mark, |n| n.mark),
                    &path.child("apiGroup"),
                    "spec.resourceRef.apiGroup is \"\": no defaulting applies, and kwok hands \
                     this Stage to its generic controller, not the Pod or Node controller"
                        .to_string(),
                );
            }
            group.to_string()
        }
        None => {
            report.note(
                node.map_or(spec.mark, |n| n.mark),
                &path.child("apiGroup"),
                "spec.resourceRef.apiGroup is not set: defaulted to \"v1\" as the API server \
                 does; kwok's file loader leaves it \"\" and would hand this Stage to its \
                 generic controller instead of the Pod or Node controller"
                    .to_string(),
            );
            "v1".to_string()
        }
    };
    ResourceRef { api_group, kind }
}

/// Which value an `ExpressionFrom` gives; kwok reads them differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Getter {
    Weight,
    Duration,
    /// Only the jq form of `jitterDurationFrom` is used.
    Jitter,
}

pub(super) struct Builder<'b, 'a> {
    pub report: &'b mut Report<'a>,
    options: &'b LoadOptions,
    resource_ref: ResourceRef,
    /// The template function table, built on first use and shared by the Stage's templates.
    funcs: Option<stage_gotpl::Funcs>,
}

impl Builder<'_, '_> {
    pub fn origin(&self, mark: Mark) -> Origin {
        Origin {
            file: self.report.file.to_string(),
            mark,
        }
    }

    fn breaks(&self) -> String {
        kwok_breaks(&self.resource_ref.kind)
    }

    fn selector(&mut self, node: &Node, path: &FieldPath) -> Selector {
        let string_map = |name: &str| {
            get_map(node, name).map(|entries| {
                // Inserted one by one: collecting links a sort made for this iterator alone.
                let mut map = BTreeMap::new();
                for (key, value) in entries {
                    // A null value is pruned, as the API server does.
                    if !tree::is_null(value) {
                        let value = text(value).unwrap_or_default().to_string();
                        map.insert(tree::key_text(key), value);
                    }
                }
                map
            })
        };
        let match_labels = string_map("matchLabels");
        let match_annotations = string_map("matchAnnotations");
        let expressions_path = path.child("matchExpressions");
        let match_expressions = get_seq(node, "matchExpressions")
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| self.match_expression(entry, &expressions_path.index(i)))
            .collect();
        Selector {
            match_labels,
            match_annotations,
            match_expressions,
        }
    }

    /// One `matchExpressions` entry. A `jq` block wins; a legacy flat `key` is moved into jq
    /// when `jq` is unset; `cel` is used only when there is no jq.
    fn match_expression(&mut self, entry: &Node, path: &FieldPath) -> Option<MatchExpression> {
        let flat_key = get_text(entry, "key").filter(|k| !k.is_empty());
        let has_flat = ["key", "operator", "values"]
            .iter()
            .any(|f| get(entry, f).is_some());
        let cel = get(entry, "cel");

        let jq = if let Some(jq) = get(entry, "jq") {
            if has_flat {
                self.report.warning(
                    entry.mark,
                    path,
                    format!(
                        "{path}: the legacy key/operator/values are ignored because jq is set \
                         (kwok does the same)"
                    ),
                );
            }
            Some((jq, path.child("jq")))
        } else {
            flat_key.map(|_| (entry, path.clone()))
        };

        let kind = match (jq, cel) {
            (Some((jq, jq_path)), cel) => {
                if cel.is_some() {
                    self.report.warning(
                        entry.mark,
                        &path.child("cel"),
                        format!(
                            "{path}: this entry has both jq and cel; kwok uses jq and ignores cel"
                        ),
                    );
                }
                self.jq_requirement(jq, &jq_path)?
            }
            (None, Some(cel)) => self.cel_requirement(cel, &path.child("cel"))?,
            (None, None) => {
                let message = format!(
                    "{path}: this entry has neither jq nor cel; {}",
                    self.breaks()
                );
                self.report.error(entry.mark, path, message);
                return None;
            }
        };
        Some(MatchExpression {
            origin: self.origin(entry.mark),
            kind,
        })
    }

    fn jq_requirement(&mut self, node: &Node, path: &FieldPath) -> Option<MatchKind> {
        let query = self.compile_jq(node, "key", path);

        let operator_node = get(node, "operator");
        let operator_name = operator_node.and_then(text).unwrap_or_default();
        let operator = Operator::parse(operator_name);
        if operator.is_none() {
            let message = format!(
                "{}: operator {operator_name:?} is not supported (kwok accepts In, NotIn, \
                 Exists and DoesNotExist); {}",
                path.child("operator"),
                self.breaks()
            );
            self.report.error(
                operator_node.map_or(node.mark, |n| n.mark),
                &path.child("operator"),
                message,
            );
        }

        let values_node = get(node, "values");
        let values: Vec<String> = get_seq(node, "values")
            .iter()
            .map(|v| text(v).unwrap_or_default().to_string())
            .collect();
        let values_path = path.child("values");
        let values_mark = values_node.or(operator_node).map_or(node.mark, |n| n.mark);
        match operator {
            Some(Operator::In | Operator::NotIn) if values.is_empty() => {
                let message = format!(
                    "{values_path}: operator {operator_name} needs values (kwok: \"for 'in', \
                     'notin' operators, values set can't be empty\"); {}",
                    self.breaks()
                );
                self.report.error(values_mark, &values_path, message);
            }
            Some(Operator::Exists | Operator::DoesNotExist) if !values.is_empty() => {
                let message = format!(
                    "{values_path}: operator {operator_name} takes no values (kwok: \"values set \
                     must be empty for exists and does not exist\"); {}",
                    self.breaks()
                );
                self.report.error(values_mark, &values_path, message);
            }
            _ => {}
        }

        Some(MatchKind::Jq {
            query: query?,
            operator: operator?,
            values,
        })
    }

    fn cel_requirement(&mut self, node: &Node, path: &FieldPath) -> Option<MatchKind> {
        let expression = get_text(node, "expression").unwrap_or_default().to_string();
        if expression.trim().is_empty() {
            let message = format!(
                "{path}.expression: the CEL expression is empty; {}",
                self.breaks()
            );
            self.report
                .error(node.mark, &path.child("expression"), message);
            return None;
        }
        // FIXME: kwok compiles a CEL selector when it loads the Stage (a syntax error is a
        // load error) and evaluates it on every object; here its syntax is not checked and
        // matching reports the entry as not supported.
        self.report.warning(
            node.mark,
            path,
            format!(
                "{path}: CEL selectors are not supported yet: the Stage is kept, its syntax is \
                 not checked, and matching reports this entry as not supported (kwok evaluates it)"
            ),
        );
        Some(MatchKind::Cel { expression })
    }

    /// Compiles the jq text in field `name` of `owner`; a compile error is reported at the
    /// place inside the scalar where the query goes wrong.
    fn compile_jq(&mut self, owner: &Node, name: &str, path: &FieldPath) -> Option<Query> {
        let node = get(owner, name);
        let source = node.and_then(text).unwrap_or_default();
        match Query::compile(source) {
            Ok(query) => Some(query),
            Err(e) => {
                let mark = match node {
                    Some(n) => n.locate(self.report.source, e.offset),
                    None => owner.mark,
                };
                let field = path.child(name);
                let message = format!(
                    "{field}: jq {source:?} does not compile: {}; {}",
                    e.message,
                    self.breaks()
                );
                self.report.error(mark, &field, message);
                None
            }
        }
    }

    /// kwok's `ExpressionFrom`: `jq.expression`, or the legacy `expressionFrom` string when
    /// `jq` is unset, and `cel.expression`.
    fn expression_from(
        &mut self,
        node: &Node,
        path: &FieldPath,
        getter: Getter,
    ) -> Option<ExpressionFrom> {
        let cel = get(node, "cel")
            .and_then(|c| get_text(c, "expression"))
            .map(str::to_string);
        let jq = if let Some(jq) = get(node, "jq") {
            if get(node, "expressionFrom").is_some() {
                self.report.warning(
                    node.mark,
                    &path.child("expressionFrom"),
                    format!(
                        "{path}.expressionFrom is ignored because {path}.jq is set (kwok does \
                         the same)"
                    ),
                );
            }
            Some(self.compile_jq(jq, "expression", &path.child("jq")))
        } else if get(node, "expressionFrom").is_some() {
            Some(self.compile_jq(node, "expressionFrom", path))
        } else {
            None
        };

        match (&jq, &cel) {
            (Some(_), Some(_)) => self.report.warning(
                node.mark,
                &path.child("cel"),
                format!("{path}: both jq and cel are set; kwok uses jq and ignores cel"),
            ),
            (None, Some(_)) if getter == Getter::Jitter => {
                self.report.warning(
                    node.mark,
                    &path.child("cel"),
                    format!(
                        "{path}: kwok ignores a jitterDurationFrom that has only a CEL \
                         expression, and so does the engine"
                    ),
                );
            }
            (None, Some(_)) => self.report.warning(
                node.mark,
                &path.child("cel"),
                format!(
                    "{path}: CEL expressions are not supported yet: the Stage is kept and \
                     this value is reported as not supported (kwok evaluates it)"
                ),
            ),
            (None, None) => {
                self.report.warning(
                    node.mark,
                    path,
                    format!("{path}: has neither jq nor cel, so it gives no value"),
                );
                return None;
            }
            (Some(_), None) => {}
        }

        // A jq text that did not compile was reported; the Stage is rejected anyway.
        let jq = match jq {
            Some(compiled) => Some(compiled?),
            None => None,
        };
        Some(ExpressionFrom {
            origin: self.origin(node.mark),
            jq,
            cel,
        })
    }

    fn delay(&mut self, node: &Node, path: &FieldPath) -> Delay {
        Delay {
            duration_milliseconds: get_int(node, "durationMilliseconds"),
            duration_from: get(node, "durationFrom").and_then(|n| {
                self.expression_from(n, &path.child("durationFrom"), Getter::Duration)
            }),
            jitter_duration_milliseconds: get_int(node, "jitterDurationMilliseconds"),
            jitter_duration_from: get(node, "jitterDurationFrom").and_then(|n| {
                self.expression_from(n, &path.child("jitterDurationFrom"), Getter::Jitter)
            }),
        }
    }

    /// `spec.steps`, or the legacy `spec.next` converted when `steps` is empty.
    fn steps(&mut self, spec: &Node, spec_path: &FieldPath) -> (Vec<Step>, bool) {
        let steps = get_seq(spec, "steps");
        let next = get(spec, "next");
        if !steps.is_empty() {
            if let Some(next) = next {
                self.report.warning(
                    next.mark,
                    &spec_path.child("next"),
                    "spec.next is ignored because spec.steps is set (kwok does the same)"
                        .to_string(),
                );
            }
            let path = spec_path.child("steps");
            let steps = steps
                .iter()
                .enumerate()
                .map(|(i, s)| self.step(s, &path.index(i)))
                .collect();
            return (steps, false);
        }
        match next {
            Some(next) => (
                legacy::steps_from_next(self, next, &spec_path.child("next")),
                true,
            ),
            None => (Vec::new(), false),
        }
    }

    fn step(&mut self, node: &Node, path: &FieldPath) -> Step {
        Step {
            origin: self.origin(node.mark),
            event: get(node, "event").map(event),
            finalizers: get(node, "finalizers").map(finalizers),
            delete: get_bool(node, "delete"),
            patch: get(node, "patch").map(|p| self.patch(p, &path.child("patch"))),
            apply: get(node, "apply").map(|a| self.apply(a, &path.child("apply"))),
        }
    }

    /// A `patch` step or a legacy `next.patches` entry.
    pub fn patch(&mut self, node: &Node, path: &FieldPath) -> Patch {
        let patch_type = get_text(node, "type").and_then(|t| match t {
            "json" => Some(PatchType::Json),
            "merge" => Some(PatchType::Merge),
            "strategic" => Some(PatchType::Strategic),
            _ => None,
        });
        Patch {
            root: non_empty(get_text(node, "root")),
            template: self.template(node, "template", &path.child("template")),
            patch_type,
            subresource: non_empty(get_text(node, "subresource")),
            impersonation: impersonation(get(node, "impersonation")),
        }
    }

    fn apply(&mut self, node: &Node, path: &FieldPath) -> Apply {
        let apply_type = get_text(node, "type").and_then(|t| match t {
            "apply" => Some(ApplyKind::Apply),
            "merge" => Some(ApplyKind::Merge),
            "strategic" => Some(ApplyKind::Strategic),
            _ => None,
        });
        Apply {
            template: self.template(node, "template", &path.child("template")),
            apply_type,
            subresource: non_empty(get_text(node, "subresource")),
            impersonation: impersonation(get(node, "impersonation")),
        }
    }

    /// The template text in field `name` of `owner`, checked as kwok parses it.
    pub fn template(&mut self, owner: &Node, name: &str, path: &FieldPath) -> TemplateText {
        let template = match get(owner, name) {
            Some(node) => TemplateText {
                text: text(node).unwrap_or_default().to_string(),
                origin: self.origin(node.mark),
                node: Some(node.clone()),
            },
            None => TemplateText {
                text: String::new(),
                origin: self.origin(owner.mark),
                node: None,
            },
        };
        self.check_template(&template, path);
        template
    }

    /// Parses a template as kwok does (trimmed, with the function names of the Stage's kind),
    /// when the caller gave the function table; a parse error is placed in the file.
    fn check_template(&mut self, template: &TemplateText, path: &FieldPath) {
        let Some(funcs_for) = self.options.template_funcs else {
            return;
        };
        let resource_ref = &self.resource_ref;
        let funcs = self.funcs.get_or_insert_with(|| funcs_for(resource_ref));
        let trimmed = template.text.trim();
        let Err(e) = stage_gotpl::Template::parse("_", trimmed, funcs) else {
            return;
        };

        let leading = template.text.len() - template.text.trim_start().len();
        let offset =
            template.text[..leading].chars().count() + char_offset(trimmed, e.line, e.column);
        let mark = match &template.node {
            Some(node) => node.locate(self.report.source, offset),
            None => template.origin.mark,
        };
        let message = format!(
            "{path}: the template does not parse: {}; {}",
            e.message,
            self.breaks()
        );
        self.report.error(mark, path, message);
    }
}

/// The char offset of a 1-based line and column inside `text`; line 0 means the start.
fn char_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let before: usize = text
        .split('\n')
        .take(line - 1)
        .map(|l| l.chars().count() + 1)
        .sum();
    before + column.saturating_sub(1)
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_string)
}

fn impersonation(node: Option<&Node>) -> Option<String> {
    non_empty(node.and_then(|n| get_text(n, "username")))
}

pub(super) fn event(node: &Node) -> Event {
    let field = |name| get_text(node, name).unwrap_or_default().to_string();
    Event {
        event_type: field("type"),
        reason: field("reason"),
        message: field("message"),
    }
}

pub(super) fn finalizers(node: &Node) -> Finalizers {
    let values = |name| {
        get_seq(node, name)
            .iter()
            .map(|item| get_text(item, "value").unwrap_or_default().to_string())
            .collect()
    };
    Finalizers {
        add: values("add"),
        remove: values("remove"),
        empty: get_bool(node, "empty"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets() {
        assert_eq!(char_offset("abc\ndef", 0, 0), 0);
        assert_eq!(char_offset("abc\ndef", 1, 1), 0);
        assert_eq!(char_offset("abc\ndef", 1, 3), 2);
        assert_eq!(char_offset("abc\ndef", 2, 2), 5);
        assert_eq!(char_offset("é\nx", 2, 1), 2);
    }

    #[test]
    fn kwok_breaks_names_the_kind() {
        assert!(kwok_breaks("Pod").starts_with("kwok would fail every Stage of kind Pod"));
        assert!(kwok_breaks("Pod").ends_with("rejected here"));
    }
}
