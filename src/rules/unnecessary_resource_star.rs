use super::declare_rule;
use crate::catalog::resolve::Resolved;
use crate::catalog::{AccessLevel, Action, Service};
use crate::finding::{Finding, Severity};
use crate::model::{Policy, arn, glob};

declare_rule!(
    UnnecessaryResourceStar,
    id: "unnecessary-resource-star",
    severity: Warning,
    security_severity: "4.0",
    tags: ["security", "least-privilege", "catalog"],
    summary: "`Resource: \"*\"` for actions that support resource-level permissions",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    // Resource policies (with Principal) use `*` for the resource itself; a condition
    // (an owner tag, a request tag) is how AWS scopes many `*` statements on purpose.
    for st in policy
        .statements
        .iter()
        .filter(|s| s.is_allow() && s.principal.is_none() && s.conditions.is_empty())
    {
        let (Some(action), Some(resource)) = (&st.action, &st.resource) else {
            continue;
        };
        if action.not || resource.not {
            continue;
        }
        let Some(star) = resource
            .items
            .iter()
            .find(|r| arn::matches_everything(r.value))
        else {
            continue;
        };
        // Exact names only: wildcards on `*` are `wildcard-action-on-star-resource`'s.
        // Names are formatted only for the three the message shows.
        let mut scoped: Vec<(&Service, &Action)> = Vec::new();
        let items = action.items.iter().zip(action.resolved());
        for (_, resolved) in items.filter(|(i, _)| !glob::has_wildcard(i.value)) {
            if let Resolved::Actions(service, actions) = resolved {
                for a in actions.iter().filter(|a| !a.callable_without_resource()) {
                    scoped.push((service, a));
                }
            }
        }
        if scoped.is_empty() {
            continue;
        }
        let writes = scoped.iter().any(|(_, a)| a.level >= AccessLevel::Tagging);
        let severity = if writes {
            Severity::Warning
        } else {
            Severity::Note
        };
        let message = message(star.value, &scoped);
        out.push(
            Finding::new(ID, severity, star.span, star.pointer.clone(), message)
                .help("list the ARNs these actions need; keep `*` only for actions that accept nothing else, in a statement of their own")
                .in_statement(st.index, st.sid()),
        );
    }
}

/// "`Resource: "*"` for `s3:GetObject`, which ..." or "... for 12 actions that ... (`a`,
/// `b`, `c`, ...)". Built from pieces: this rule reports on thousands of statements, and
/// formatting each name and then the message cost more than the rest of the rule.
fn message(star: &str, scoped: &[(&Service, &Action)]) -> String {
    let mut out = String::with_capacity(160);
    out.push_str("`Resource: \"");
    out.push_str(star);
    out.push_str("\"` for ");
    let named = |out: &mut String, (s, a): &(&Service, &Action)| {
        out.push('`');
        out.push_str(s.prefix());
        out.push(':');
        out.push_str(a.name());
        out.push('`');
    };
    if let [one] = scoped {
        named(&mut out, one);
        out.push_str(", which supports resource-level permissions");
        return out;
    }
    crate::text::push_decimal(&mut out, scoped.len());
    out.push_str(" actions that support resource-level permissions (");
    for (i, pair) in scoped.iter().take(3).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named(&mut out, pair);
    }
    if scoped.len() > 3 {
        out.push_str(", ...");
    }
    out.push(')');
    out
}
