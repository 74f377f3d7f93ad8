use super::declare_rule;
use crate::finding::Finding;
use crate::model::Policy;

declare_rule!(
    InvalidJson,
    id: "invalid-json",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness"],
    summary: "the file is not valid JSON (syntax, encoding or nesting error)",
);

/// Reported by the engine from parse and encoding errors.
fn check(_policy: &Policy<'_>, _out: &mut Vec<Finding>) {}
