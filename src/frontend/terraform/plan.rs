//! `terraform show -json` output (a plan, or the state): the policy strings of the planned
//! resources, each a JSON document inside a JSON string, parsed with spans mapped back onto
//! the escaped text in the plan file.
//!
//! Plan values are final (references resolved, unknown values left out), so these documents
//! are judged like plain JSON policies: a `${...}` left in them is literal text to IAM.

use super::embedded::{self, Escapes, Mapped};
use super::resources::POLICY_ATTRS;
use crate::frontend::{Document, Failure, Origin, Tree};
use crate::model::PolicyKind;
use crate::parse::json::{Kind, Value};
use crate::text::{child_index, child_key};

/// Is this JSON the output of `terraform show -json`?
pub fn is_plan(root: &Value) -> bool {
    root.get("format_version").and_then(Value::as_str).is_some()
        && [
            "planned_values",
            "resource_changes",
            "values",
            "configuration",
            "prior_state",
        ]
        .iter()
        .any(|k| root.get(k).is_some())
}

/// The policy documents of the planned (or, for a state, current) resources, and the policy
/// strings that are not valid JSON.
pub fn documents(text: &str, root: &Value) -> (Vec<Document<'static>>, Vec<Failure>) {
    let mut out = Plan {
        text,
        documents: Vec::new(),
        problems: Vec::new(),
    };
    for key in ["planned_values", "values"] {
        if let Some(module) = root.get(key).and_then(|v| v.get("root_module")) {
            out.module(module, &format!("/{key}/root_module"));
            return (out.documents, out.problems);
        }
    }
    // A plan without planned values: what each change leads to.
    if let Some(Kind::Array(changes)) = root.get("resource_changes").map(|v| &v.kind) {
        for (i, change) in changes.iter().enumerate() {
            let pointer = child_key(&child_index("/resource_changes", i), "change");
            if let Some(after) = change.get("change").and_then(|c| c.get("after")) {
                out.resource(change, after, &child_key(&pointer, "after"));
            }
        }
    }
    (out.documents, out.problems)
}

struct Plan<'t> {
    text: &'t str,
    documents: Vec<Document<'static>>,
    problems: Vec<Failure>,
}

impl Plan<'_> {
    /// Depth is bounded by the JSON parser's nesting limit.
    fn module(&mut self, module: &Value, pointer: &str) {
        if let Some(Kind::Array(resources)) = module.get("resources").map(|v| &v.kind) {
            let base = child_key(pointer, "resources");
            for (i, r) in resources.iter().enumerate() {
                if r.get("mode").and_then(Value::as_str) == Some("data") {
                    continue;
                }
                if let Some(values) = r.get("values") {
                    self.resource(r, values, &child_key(&child_index(&base, i), "values"));
                }
            }
        }
        if let Some(Kind::Array(children)) = module.get("child_modules").map(|v| &v.kind) {
            let base = child_key(pointer, "child_modules");
            for (i, child) in children.iter().enumerate() {
                self.module(child, &child_index(&base, i));
            }
        }
    }

    /// The policies in one resource's `values` (at `pointer`).
    fn resource(&mut self, resource: &Value, values: &Value, pointer: &str) {
        let Some(kind) = resource.get("type").and_then(Value::as_str) else {
            return;
        };
        let role = resource
            .get("address")
            .and_then(Value::as_str)
            .filter(|_| kind == "aws_iam_role");
        for pa in POLICY_ATTRS.iter().filter(|p| p.resource == kind) {
            let entity = pa
                .entity
                .and_then(|(attr, _)| values.get(attr))
                .and_then(Value::as_str);
            let units = role.or(entity).map(str::to_string).into_iter().collect();
            if let Some(policy) = values.get(pa.attr) {
                self.policy(policy, child_key(pointer, pa.attr).into(), pa.kind, units);
            }
        }
        if let (Some(role), Some(Kind::Array(inline))) =
            (role, values.get("inline_policy").map(|v| &v.kind))
        {
            let base = child_key(pointer, "inline_policy");
            for (i, p) in inline.iter().enumerate() {
                if let Some(policy) = p.get("policy") {
                    let pointer = child_key(&child_index(&base, i), "policy");
                    self.policy(
                        policy,
                        pointer.into(),
                        PolicyKind::Unknown,
                        vec![role.to_string()],
                    );
                }
            }
        }
    }

    fn policy(&mut self, policy: &Value, pointer: String, kind: PolicyKind, units: Vec<String>) {
        // Empty strings and nulls are policies the plan does not set (or does not know yet).
        if policy.as_str().is_none_or(|s| s.trim().is_empty()) {
            return;
        }
        let span = policy.span;
        let inner = (span.start + 1)..span.end.saturating_sub(1).max(span.start + 1);
        let raw = self.text.get(inner.clone()).unwrap_or("");
        let mut out = Mapped::default();
        if !embedded::unescape_into(&mut out, raw, inner.start, Escapes::Json) {
            // Not reachable for strings our JSON parser accepted; coarse rather than wrong.
            out = Mapped::default();
            out.produced(policy.as_str().unwrap_or(""), (span.start, span.end));
        }
        match out.parse(inner.end) {
            Ok(value) => self.documents.push(Document {
                value: Tree::Owned(value),
                pointer,
                bare_statement: false,
                kind,
                origin: Origin::Json,
                units,
            }),
            Err(e) => self.problems.push(Failure {
                rule: crate::rules::invalid_json::ID,
                span: e.span,
                message: format!("the policy is not valid JSON: {}", e.message),
            }),
        }
    }
}
