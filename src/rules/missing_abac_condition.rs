use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::{Condition, Effect, Policy, Statement, Str, arn, glob, operator::Family};
use serde::Deserialize;
use std::sync::LazyLock;

declare_rule!(
    MissingAbacCondition,
    id: "missing-abac-condition",
    severity: Error,
    security_severity: "7.0",
    tags: ["security", "abac"],
    summary: "per-user ML resources are reachable on a wildcard resource with nothing tying them to their owner",
);

#[derive(Debug, Deserialize)]
struct Covered {
    action: String,
    resource: String,
    /// How the resource part of the ARN starts (`notebook-instance/`, `secret:`).
    arn_type: String,
    level: Level,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
enum Level {
    Read,
    Write,
    Access,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Self::Read => Severity::Note,
            Self::Write => Severity::Warning,
            Self::Access => Severity::Error,
        }
    }
}

#[derive(Deserialize)]
struct Data {
    actions: Vec<Covered>,
}

/// The covered actions live in `data/abac-actions.json` so they can grow without code changes.
static COVERED: LazyLock<Vec<Covered>> = LazyLock::new(|| {
    serde_json::from_str::<Data>(include_str!("../../data/abac-actions.json"))
        .map(|d| d.actions)
        .unwrap_or_else(|e| panic!("internal error: data/abac-actions.json is invalid: {e}"))
});

/// Policy variables that stand for the caller.
const CALLER_VARIABLES: &[&str] = &[
    "${aws:userid}",
    "${aws:username}",
    "${aws:principaltag/",
    "${aws:sourceidentity}",
    "${sagemaker:userprofilename}",
    "${sagemaker:domainid}",
];

/// Condition keys whose presence scopes the request to one Studio user or domain.
const SCOPING_KEYS: &[&str] = &["sagemaker:userprofilename", "sagemaker:domainid"];

const TAG_KEY_PREFIXES: &[&str] = &[
    "aws:resourcetag/",
    "sagemaker:resourcetag/",
    "secretsmanager:resourcetag/",
];

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in policy.statements.iter().filter(|s| s.is_allow()) {
        // Resource policies name their callers in `Principal`; this rule is about roles.
        if st.principal.is_some() || st.conditions.iter().any(ties_to_caller) {
            continue;
        }
        let Some(action) = &st.action else { continue };
        if !action.not
            && !action
                .items
                .iter()
                .any(|i| may_name_covered_service(&i.value))
        {
            continue;
        }
        // Of a long list (`ReadOnlyAccess` has 1,500 entries) only the few that can reach a
        // covered service matter; the others cannot grant a covered action.
        let reaching: Vec<&Str> = action
            .items
            .iter()
            .filter(|i| COVERED_PREFIXES.iter().any(|p| may_reach(&i.value, p)))
            .collect();
        let covers =
            |name: &str| reaching.iter().any(|p| glob::matches(&p.value, name, true)) != action.not;
        let untied: Vec<&Covered> = COVERED
            .iter()
            .filter(|c| covers(&c.action))
            .filter(|c| broad_resource(st, c).is_some())
            .filter(|c| !denied_unless_owner(policy, c))
            .collect();
        if untied.is_empty() {
            continue;
        }
        if action.not {
            let names: Vec<&str> = untied.iter().map(|c| c.action.as_str()).collect();
            out.push(finding(
                st,
                &action.key_span,
                &action.pointer,
                "`NotAction`",
                &names,
                &untied,
            ));
            continue;
        }
        for item in reaching {
            let granted: Vec<&Covered> = untied
                .iter()
                .copied()
                .filter(|c| glob::matches(&item.value, &c.action, true))
                .collect();
            if granted.is_empty() {
                continue;
            }
            let names: Vec<&str> = granted.iter().map(|c| c.action.as_str()).collect();
            out.push(finding(
                st,
                &item.span,
                &item.pointer,
                &format!("`{}`", item.value),
                &names,
                &granted,
            ));
        }
    }
}

fn finding(
    st: &Statement,
    span: &crate::span::Span,
    pointer: &str,
    what: &str,
    names: &[&str],
    granted: &[&Covered],
) -> Finding {
    let severity = granted
        .iter()
        .map(|c| c.level)
        .max()
        .map_or(Severity::Note, Level::severity);
    let resource = granted.first().map_or("resource", |c| c.resource.as_str());
    let broad = broad_resource(st, granted[0]);
    let on = broad.map_or("`*`".to_string(), |r| format!("`{}`", r.value));
    let message = if names.len() == 1 && what.eq_ignore_ascii_case(&format!("`{}`", names[0])) {
        format!("{what} is allowed on {on} with no condition tying the {resource} to its owner")
    } else if names.len() == 1 {
        format!(
            "{what} allows `{}` on {on} with no condition tying the {resource} to its owner",
            names[0]
        )
    } else {
        format!(
            "{what} allows {} per-user actions (`{}`, ...) on {on} with no condition tying them to their owner",
            names.len(),
            names[0]
        )
    };
    let tag_key = if names[0].starts_with("secretsmanager:") {
        "secretsmanager:ResourceTag/owner"
    } else {
        "sagemaker:ResourceTag/owner"
    };
    let mut f = Finding::new(ID, severity, *span, pointer, message)
        .help(format!(
            "add `\"Condition\": {{\"StringEquals\": {{\"{tag_key}\": \"${{aws:userid}}\"}}}}`, \
             or name the resource with `${{aws:userid}}` / `${{aws:PrincipalTag/...}}` in its ARN"
        ))
        .in_statement(st.index, st.sid());
    if let Some(r) = broad {
        f = f.label(r.span, "any user's resource");
    }
    f
}

/// The first Resource value that reaches other users' resources of `covered`'s type: `*`,
/// or an ARN of that service and resource type with a wildcard and no caller variable in it.
/// `NotResource` reaches them too.
fn broad_resource<'s>(st: &'s Statement, covered: &Covered) -> Option<&'s Str> {
    let element = st.resource.as_ref()?;
    if element.not {
        return element.items.first();
    }
    let service = covered.action.split(':').next().unwrap_or("");
    element.items.iter().find(|r| {
        if arn::matches_everything(&r.value) {
            return true;
        }
        let Some(parsed) = arn::split(&r.value) else {
            return false;
        };
        glob::matches(parsed.service, service, true)
            && glob::has_wildcard(parsed.resource)
            && glob::may_start_with(parsed.resource, &covered.arn_type)
            && !mentions_caller(&r.value)
    })
}

/// The services of the covered actions, each with the `:` that ends it.
const COVERED_PREFIXES: &[&str] = &["sagemaker:", "secretsmanager:"];

/// Could action pattern `pattern` match an action starting with `prefix`? Its text before
/// the first wildcard must agree with `prefix` as far as both go (ignoring ASCII case, as
/// action matching does). Non-ASCII patterns are left to the full match.
fn may_reach(pattern: &str, prefix: &str) -> bool {
    if !pattern.is_ascii() {
        return true;
    }
    let head = glob::literal_head(pattern);
    let n = head.len().min(prefix.len());
    head[..n].eq_ignore_ascii_case(&prefix[..n])
}

/// A cheap first test: could this action pattern reach a service the data file covers?
fn may_name_covered_service(pattern: &str) -> bool {
    let service = pattern.split(':').next().unwrap_or(pattern);
    ["sagemaker", "secretsmanager"]
        .iter()
        .any(|s| glob::matches(service, s, true))
        || pattern == "*"
}

fn mentions_caller(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    CALLER_VARIABLES.iter().any(|v| lower.contains(v))
}

/// A positive condition that ties the resource to the caller: an owner tag compared with a
/// caller variable, or a Studio user-profile / domain key with a real value. `IfExists`
/// forms do not count: they let every untagged resource through.
fn ties_to_caller(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    if op.negated || op.if_exists || !matches!(op.family, Family::String | Family::Arn) {
        return false;
    }
    let key = c.key.value.to_ascii_lowercase();
    if SCOPING_KEYS.contains(&key.as_str()) {
        return c.values.iter().any(|v| !arn::is_all_stars(&v.value));
    }
    TAG_KEY_PREFIXES.iter().any(|p| key.starts_with(p))
        && c.values.iter().any(|v| mentions_caller(&v.value))
}

/// The other common pattern: allow broadly, then `Deny` unless the owner tag matches the caller
/// (`StringNotEquals` on the tag). It ties the resource just as well, if the Deny reaches the
/// same resources.
fn denied_unless_owner(policy: &Policy<'_>, covered: &Covered) -> bool {
    policy.statements.iter().any(|d| {
        matches!(d.effect, Some((Effect::Deny, _)))
            && d.covers_action(&covered.action)
            && d.conditions.iter().any(|c| {
                let key = c.key.value.to_ascii_lowercase();
                c.op.is_some_and(|op| op.negated && op.family == Family::String)
                    && TAG_KEY_PREFIXES.iter().any(|p| key.starts_with(p))
                    && c.values.iter().any(|v| mentions_caller(&v.value))
            })
            && (d.resource_is_everything().is_some() || broad_resource(d, covered).is_some())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_file_loads_and_names_real_actions() {
        assert!(super::COVERED.len() > 20);
        for c in super::COVERED.iter() {
            assert!(
                super::COVERED_PREFIXES
                    .iter()
                    .any(|p| c.action.starts_with(p)),
                "{} is of a service missing from COVERED_PREFIXES",
                c.action
            );
            assert!(
                c.action.contains(':') && !c.action.contains('*'),
                "{}",
                c.action
            );
        }
    }
}
