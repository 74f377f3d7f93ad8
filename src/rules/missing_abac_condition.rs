use super::declare_rule;
use crate::access::gate::{is_owner_tag_key, mentions_caller, ties_to_caller};
use crate::catalog::Action;
use crate::finding::{Finding, Severity};
use crate::model::{Effect, Policy, Statement, Str, arn, glob, operator::Family};
use serde::Deserialize;
use std::sync::LazyLock;

declare_rule!(
    MissingAbacCondition,
    id: "missing-abac-condition",
    severity: Error,
    security_severity: "7.0",
    tags: ["security", "abac"],
    summary: "per-user ML resources are reachable on a wildcard resource with nothing tying them to their owner",
    options: missing_abac_condition,
);

/// From `[rules.missing-abac-condition]`: per-user actions a project adds to the built-in list.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub extra_actions: Vec<Covered>,
}

/// An action on a per-user resource, which must be tied to the resource's owner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Covered {
    /// `service:Action`, without wildcards.
    pub action: String,
    /// What the message calls the resource (`notebook instance`).
    pub resource: String,
    /// How the resource part of the ARN starts (`notebook-instance/`, `secret:`).
    pub arn_type: String,
    pub level: Level,
}

/// How much an untied grant of the action gives away, which sets the finding's severity.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
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

fn check(policy: &Policy<'_>, options: &Options, out: &mut Vec<Finding>) {
    let covered = || COVERED.iter().chain(&options.extra_actions);
    let extra_services: Vec<&str> = options
        .extra_actions
        .iter()
        .map(|c| service_of(&c.action))
        .collect();
    // Made for the first statement that needs them: most policies have none.
    let mut prefixes: Option<Vec<String>> = None;
    // The catalog's entry for each covered action, for `Element::item_covers` (the built-in
    // ones looked up once for the run); made with `prefixes`.
    let mut targets: Option<Vec<Option<&Action>>> = None;
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
                .any(|i| may_name_covered_service(i.value, &extra_services))
        {
            continue;
        }
        // Of a long list (`ReadOnlyAccess` has 1,500 entries) only the few that can reach a
        // covered service matter; the others cannot grant a covered action.
        let prefixes = prefixes.get_or_insert_with(|| {
            SERVICES
                .iter()
                .chain(&extra_services)
                .map(|s| format!("{s}:"))
                .collect()
        });
        let reaching: Vec<usize> = (0..action.items.len())
            .filter(|&k| prefixes.iter().any(|p| may_reach(action.items[k].value, p)))
            .collect();
        let targets = targets.get_or_insert_with(|| {
            let extra = options
                .extra_actions
                .iter()
                .map(|c| crate::catalog::resolve::catalog_action(&c.action));
            BUILT_IN_TARGETS.iter().copied().chain(extra).collect()
        });
        let item_grants = |k: usize, (c, target): (&Covered, &Option<&Action>)| {
            action.item_covers(k, &c.action, *target)
        };
        let untied: Vec<(&Covered, &Option<&Action>)> = covered()
            .zip(targets.iter())
            .filter(|&c| reaching.iter().any(|&k| item_grants(k, c)) != action.not)
            .filter(|(c, _)| broad_resource(st, c).is_some())
            .filter(|(c, _)| !denied_unless_owner(policy, c))
            .collect();
        if untied.is_empty() {
            continue;
        }
        if action.not {
            let untied: Vec<&Covered> = untied.iter().map(|(c, _)| *c).collect();
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
        for k in reaching {
            let item = &action.items[k];
            let granted: Vec<&Covered> = untied
                .iter()
                .filter(|&&c| item_grants(k, c))
                .map(|(c, _)| *c)
                .collect();
            if granted.is_empty() {
                continue;
            }
            let names: Vec<&str> = granted.iter().map(|c| c.action.as_str()).collect();
            out.push(finding(
                st,
                &item.span,
                &item.pointer.text(),
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
    let tag_key = match service_of(names[0]) {
        "secretsmanager" => "secretsmanager:ResourceTag/owner",
        "sagemaker" => "sagemaker:ResourceTag/owner",
        _ => "aws:ResourceTag/owner",
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
fn broad_resource<'s>(st: &'s Statement<'s>, covered: &Covered) -> Option<&'s Str<'s>> {
    let element = st.resource.as_ref()?;
    if element.not {
        return element.items.first();
    }
    let service =
        crate::text::split_colon(&covered.action).map_or(covered.action.as_str(), |(p, _)| p);
    element.items.iter().find(|r| {
        if arn::matches_everything(r.value) {
            return true;
        }
        let Some(parsed) = arn::split(r.value) else {
            return false;
        };
        glob::matches(parsed.service, service, true)
            && glob::has_wildcard(parsed.resource)
            && glob::may_start_with(parsed.resource, &covered.arn_type)
            && !mentions_caller(r.value)
    })
}

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

/// Is `action` in the built-in list? (A config may only add to it.)
pub fn is_built_in(action: &str) -> bool {
    COVERED
        .iter()
        .any(|c| c.action.eq_ignore_ascii_case(action))
}

/// The catalog's entry for each action of the built-in list, looked up once for the run:
/// every policy that grants one of their services asks about all of them.
static BUILT_IN_TARGETS: LazyLock<Vec<Option<&'static Action>>> = LazyLock::new(|| {
    COVERED
        .iter()
        .map(|c| crate::catalog::resolve::catalog_action(&c.action))
        .collect()
});

/// The services of the built-in list, for the cheap first test.
static SERVICES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut services: Vec<&str> = COVERED.iter().map(|c| service_of(&c.action)).collect();
    services.sort_unstable();
    services.dedup();
    services
});

fn service_of(action: &str) -> &str {
    crate::text::split_colon(action).map_or(action, |(p, _)| p)
}

/// A cheap first test: could this action pattern reach a service with covered actions?
fn may_name_covered_service(pattern: &str, extra_services: &[&str]) -> bool {
    if pattern == "*" {
        return true;
    }
    let service = service_of(pattern);
    let mut services = SERVICES.iter().chain(extra_services);
    // Nearly every value names its service outright: a comparison, not a glob match.
    if glob::has_wildcard(service) {
        services.any(|s| glob::matches(service, s, true))
    } else {
        services.any(|s| s.eq_ignore_ascii_case(service))
    }
}

/// The other common pattern: allow broadly, then `Deny` unless the owner tag matches the caller
/// (`StringNotEquals` on the tag). It ties the resource just as well, if the Deny reaches the
/// same resources.
fn denied_unless_owner(policy: &Policy<'_>, covered: &Covered) -> bool {
    policy.statements.iter().any(|d| {
        matches!(d.effect, Some((Effect::Deny, _)))
            && d.covers_action(&covered.action)
            && d.conditions.iter().any(|c| {
                c.op.is_some_and(|op| op.negated && op.family == Family::String)
                    && is_owner_tag_key(c.key.value)
                    && c.values.iter().any(|v| mentions_caller(v.value))
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
                c.action.contains(':') && !c.action.contains('*'),
                "{}",
                c.action
            );
        }
    }
}
