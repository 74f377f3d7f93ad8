use super::declare_rule;
use crate::catalog;
use crate::catalog::resolve::Resolved;
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    UnknownService,
    id: "unknown-service",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness", "catalog"],
    summary: "an action names a service prefix AWS does not have",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        for (item, resolved) in action.items.iter().zip(action.resolved()) {
            if !matches!(resolved, Resolved::UnknownService) {
                continue;
            }
            let prefix = item.value.split(':').next().unwrap_or("");
            let hint = catalog::catalog()
                .suggest_service(prefix)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            out.push(
                Finding::new(
                    ID,
                    Severity::Error,
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` names unknown service `{prefix}`{hint}", item.value),
                )
                .help("service prefixes are lower case and listed in AWS's Service Authorization Reference; `mlpolicy actions 'PREFIX:*'` lists a service's actions")
                .in_statement(st.index, st.sid()),
            );
        }
    }
}
