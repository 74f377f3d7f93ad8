use super::{Rule, RuleMeta, declare_rule};
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    PassroleWithoutPassedToService,
    id: "passrole-without-passed-to-service",
    severity: Error,
    security_severity: "8.5",
    tags: ["security", "privilege-escalation"],
    summary: "`iam:PassRole` is allowed without an `iam:PassedToService` condition",
);

const PASS_ROLE: &str = "iam:PassRole";

impl Rule for PassroleWithoutPassedToService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, policy: &Policy<'_>, out: &mut Vec<Finding>) {
        for st in policy.statements.iter().filter(|s| s.is_allow()) {
            if !st.covers_action(PASS_ROLE) || st.has_condition_key("iam:PassedToService") {
                continue;
            }
            let Some(action) = &st.action else { continue };
            let star = st.resource_is_everything();
            let (severity, on) = match (star, &st.resource) {
                (Some(_), _) => (Severity::Error, "on every role (`*`)".to_string()),
                (None, Some(r)) if !r.items.is_empty() => {
                    (Severity::Warning, format!("on `{}`", r.items[0].value))
                }
                _ => (Severity::Warning, "with no `Resource`".to_string()),
            };
            let granting = st.action_items_granting(PASS_ROLE);
            let (span, pointer, what) = match granting.first() {
                Some(item) if item.value.eq_ignore_ascii_case(PASS_ROLE) => (
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` is allowed", item.value),
                ),
                Some(item) => (
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` allows `iam:PassRole`", item.value),
                ),
                None => (
                    action.key_span,
                    action.pointer.clone(),
                    "`NotAction` leaves `iam:PassRole` allowed".to_string(),
                ),
            };
            let mut f = Finding::new(
                ID,
                severity,
                span,
                pointer,
                format!("{what} {on} without an `iam:PassedToService` condition"),
            )
            .help(
                "add `\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"sagemaker.amazonaws.com\"}}` \
                 naming the service that receives the role, and list the role ARNs in `Resource`",
            )
            .in_statement(st.index, st.sid());
            if let Some(star) = star {
                f = f.label(star, "any role in the account");
            }
            out.push(f);
        }
    }
}
