use super::declare_rule;
use crate::finding::Finding;
use crate::model::Policy;

declare_rule!(
    InvalidPolicy,
    id: "invalid-policy",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness"],
    summary: "the document breaks the IAM policy grammar",
);

/// Reported while lowering JSON into the policy model (`model::lower`).
fn check(_policy: &Policy<'_>, _out: &mut Vec<Finding>) {}
