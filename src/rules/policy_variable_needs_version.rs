use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::Policy;
use crate::model::variables::{self, VarKind};

declare_rule!(
    PolicyVariableNeedsVersion,
    id: "policy-variable-needs-version",
    severity: Error,
    security_severity: "6.0",
    tags: ["correctness", "abac"],
    summary: "policy variables are used but the policy's Version makes IAM read them as literal text",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    // A lone statement has no Version of its own; `invalid-policy` already reports it.
    if policy.bare_statement {
        return;
    }
    let why = match &policy.version {
        None => "the policy has no `Version`".to_string(),
        Some(v) if v.value == "2008-10-17" => "the policy's `Version` is `2008-10-17`".to_string(),
        Some(_) => return,
    };
    // The first value that uses a policy variable, and how many do.
    let mut first = None;
    let mut count = 0;
    policy.for_each_string(|value, span, steps| {
        let Some(var) = variables::find(value)
            .into_iter()
            .find(|v| v.kind == VarKind::Policy)
        else {
            return;
        };
        count += 1;
        if first.is_none() {
            first = Some((value[var.range].to_string(), span, policy.pointer(steps)));
        }
    });
    let Some((name, span, pointer)) = first else {
        return;
    };
    let more = match count {
        1 => String::new(),
        n => format!(" ({n} values use policy variables)"),
    };
    let mut f = Finding::new(
        ID,
        Severity::Error,
        span,
        pointer,
        format!("`{name}` is read as literal text because {why}{more}"),
    )
    .help("set `\"Version\": \"2012-10-17\"` at the top of the policy; policy variables need it");
    if let Some(v) = &policy.version {
        f = f.label(v.span, "set to 2012-10-17");
    }
    out.push(f);
}
