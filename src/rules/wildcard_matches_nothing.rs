use super::declare_rule;
use crate::catalog::resolve::Resolved;
use crate::finding::{Finding, Severity};
use crate::model::{Policy, glob};

declare_rule!(
    WildcardMatchesNothing,
    id: "wildcard-matches-nothing",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness", "catalog"],
    summary: "an action wildcard matches no action of its service",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        let items = action.items.iter().zip(action.resolved());
        for (item, resolved) in items.filter(|(i, _)| glob::has_wildcard(i.value)) {
            let Resolved::Actions(service, actions) = resolved else {
                continue;
            };
            if !actions.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    ID,
                    Severity::Error,
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` matches no {} action", item.value, service.prefix()),
                )
                .help(format!(
                    "check the spelling; `mlpolicy actions '{}:*'` lists the service's actions",
                    service.prefix()
                ))
                .in_statement(st.index, st.sid()),
            );
        }
    }
}
