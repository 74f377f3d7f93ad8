use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::{Condition, Policy, Str, arn, glob};

declare_rule!(
    PassroleWithoutPassedToService,
    id: "passrole-without-passed-to-service",
    severity: Error,
    security_severity: "8.5",
    tags: ["security", "privilege-escalation"],
    summary: "`iam:PassRole` is allowed without an `iam:PassedToService` condition",
);

const PASS_ROLE: &str = "iam:PassRole";

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    // Only identity policies pass roles: in a resource or VPC endpoint policy (with
    // `Principal`), an `Action: "*"` grants no `iam:PassRole`, as in the other grant rules.
    for st in policy
        .statements
        .iter()
        .filter(|s| s.is_allow() && s.principal.is_none())
    {
        if !st.covers_action(PASS_ROLE) || st.conditions.iter().any(limits_service) {
            continue;
        }
        let Some(action) = &st.action else { continue };
        let Some(resource) = &st.resource else {
            continue;
        };
        // `NotResource` reaches every role but those listed.
        let roles: Vec<&Str> = if resource.not {
            Vec::new()
        } else {
            resource
                .items
                .iter()
                .filter(|r| may_be_role(r.value))
                .collect()
        };
        if !resource.not && roles.is_empty() {
            continue;
        }
        let every = if resource.not {
            Some((
                resource.key_span,
                "every role but those in `NotResource`".to_string(),
            ))
        } else {
            roles
                .iter()
                .find(|r| is_every_role(r.value))
                .map(|r| (r.span, format!("every role (`{}`)", r.value)))
        };
        let (severity, on) = match (&every, roles.first()) {
            (Some((_, phrase)), _) => (Severity::Error, format!("on {phrase}")),
            (None, Some(r)) => (Severity::Warning, format!("on `{}`", r.value)),
            (None, None) => continue,
        };
        let granting = st.action_items_granting(PASS_ROLE);
        let (span, pointer, what) = match granting.first() {
            Some(item) if item.value.eq_ignore_ascii_case(PASS_ROLE) => (
                item.span,
                item.pointer.text(),
                format!("`{}` is allowed", item.value),
            ),
            Some(item) => (
                item.span,
                item.pointer.text(),
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
        if let Some((span, _)) = every {
            f = f.label(span, "any role");
        }
        out.push(f);
    }
}

/// An `iam:PassedToService` condition that really names services: positive, with a value that
/// is not a bare wildcard. `StringNotEquals` or `StringLike "*"` let the role go anywhere.
fn limits_service(c: &Condition) -> bool {
    c.key.value.eq_ignore_ascii_case("iam:PassedToService")
        && c.op.is_some_and(|op| !op.negated)
        && c.values.iter().any(|v| !arn::is_all_stars(v.value))
}

/// Could this Resource value name an IAM role? (`*`, or an `iam` ARN that may be `role/...`.)
fn may_be_role(value: &str) -> bool {
    if arn::matches_everything(value) {
        return true;
    }
    // Placeholders and non-ARN text: give the benefit of the doubt, other rules report them.
    let Some(a) = arn::split(value) else {
        return !value.starts_with("arn:");
    };
    glob::matches(a.service, "iam", true) && glob::may_start_with(a.resource, "role/")
}

/// `*`, or an IAM ARN for all roles of an account (or of every account): `role/*`.
fn is_every_role(value: &str) -> bool {
    arn::matches_everything(value)
        || arn::split(value).is_some_and(|a| {
            glob::matches(a.service, "iam", true)
                && (arn::is_all_stars(a.resource)
                    || a.resource == "role/*"
                    || a.resource == "role*")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_resources() {
        assert!(may_be_role("*"));
        assert!(may_be_role("arn:aws:iam::111122223333:role/ml/*"));
        assert!(may_be_role("arn:aws:iam::*:*"));
        assert!(!may_be_role("arn:aws:s3:::bucket/*"));
        assert!(!may_be_role("arn:aws:iam::111122223333:user/bob"));
        assert!(is_every_role("arn:aws:iam::*:role/*"));
        assert!(!is_every_role("arn:aws:iam::111122223333:role/ml-*"));
    }
}
