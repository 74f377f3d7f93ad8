use super::declare_rule;
use crate::finding::Finding;
use crate::model::Policy;

declare_rule!(
    InvalidIgnore,
    id: "invalid-ignore",
    severity: Warning,
    security_severity: "2.0",
    tags: ["maintainability"],
    summary: "an inline ignore comment without a reason, with an unknown rule id, or malformed",
);

/// Reported by `crate::suppress` from the comments it reads.
fn check(_policy: &Policy<'_>, _out: &mut Vec<Finding>) {}
