use super::declare_rule;
use crate::finding::Finding;
use crate::model::Policy;

declare_rule!(
    UnusedIgnore,
    id: "unused-ignore",
    severity: Warning,
    security_severity: "2.0",
    tags: ["maintainability"],
    summary: "an inline ignore comment or a config `[[ignore]]` entry suppresses no finding",
);

/// Reported by `crate::suppress` once the findings an ignore could match are known.
fn check(_policy: &Policy<'_>, _out: &mut Vec<Finding>) {}
