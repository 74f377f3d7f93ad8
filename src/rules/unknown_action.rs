use super::declare_rule;
use crate::catalog;
use crate::catalog::resolve::Resolved;
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    UnknownAction,
    id: "unknown-action",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness", "catalog"],
    summary: "an action name does not exist in its service",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        for (item, resolved) in action.items.iter().zip(action.resolved()) {
            if !matches!(resolved, Resolved::UnknownAction) {
                continue;
            }
            let prefix = item.value.split(':').next().unwrap_or("");
            let hint = catalog::catalog()
                .suggest_action(item.value)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            out.push(
                Finding::new(
                    ID,
                    Severity::Error,
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` is not an action of `{prefix}`{hint}", item.value),
                )
                .help(format!(
                    "a misspelt action grants (or, in a Deny, blocks) nothing; `mlpolicy actions '{prefix}:*'` lists the real names"
                ))
                .in_statement(st.index, st.sid()),
            );
        }
    }
}
