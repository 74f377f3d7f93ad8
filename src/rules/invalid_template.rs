use super::declare_rule;
use crate::finding::Finding;
use crate::model::Policy;

declare_rule!(
    InvalidTemplate,
    id: "invalid-template",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness"],
    summary: "a template does not parse (YAML or HCL syntax) or misuses an intrinsic function",
);

/// Reported by the engine from parse errors and by the front ends from malformed intrinsics.
fn check(_policy: &Policy<'_>, _out: &mut Vec<Finding>) {}
