use super::catalog_lookup::{KeyLookup, lookup_key};
use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    UnknownConditionKey,
    id: "unknown-condition-key",
    severity: Error,
    security_severity: "6.0",
    tags: ["correctness", "catalog"],
    summary: "a condition key is neither a global key nor a key of a service in the statement",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        for c in &st.conditions {
            let key = &c.key.value;
            let problem = match lookup_key(key) {
                // A known key of another service than the statement's actions is not
                // reported: keys such as `glue:RoleAssumedBy` or `lambda:SourceFunctionArn`
                // describe the caller and travel to every service it calls.
                KeyLookup::Known(_)
                | KeyLookup::Federated
                | KeyLookup::RetiredService
                | KeyLookup::Computed => {
                    continue;
                }
                KeyLookup::UnknownGlobal => format!("`{key}` is not a global condition key"),
                KeyLookup::UnknownService(prefix) => {
                    format!("`{key}` names unknown service `{prefix}`")
                }
                KeyLookup::UnknownInService(service) => {
                    format!("`{key}` is not a condition key of {}", service.prefix())
                }
                KeyLookup::NotAKey => {
                    format!("`{key}` is not a condition key (keys look like `service:Name`)")
                }
            };
            out.push(
                Finding::new(ID, Severity::Error, c.key.span, c.key.pointer.clone(), problem)
                    .help("a condition on a key that is never present makes the statement behave as if the key were absent: an Allow never applies, a Deny never matches; check the spelling against the service's reference")
                    .in_statement(st.index, st.sid()),
            );
        }
    }
}
