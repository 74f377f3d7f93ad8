use super::declare_rule;
use crate::access::Grant;
use crate::catalog::{AccessLevel, Action, Service};
use crate::finding::{Finding, Severity};
use crate::model::Policy;
use crate::profile::Profile;
use crate::role::{Role, RoleFinding};
use std::cmp::Reverse;
use std::collections::BTreeMap;

declare_rule!(
    ExceedsProfile,
    id: "exceeds-profile",
    severity: Warning,
    security_severity: "5.0",
    tags: ["security", "least-privilege", "profile"],
    summary: "the role grants actions its profile (`lint --profile`) does not need",
    role: check_role,
);

/// A role is judged as a whole, never one document at a time: see `check_role`.
fn check(_: &Policy<'_>, _: &mut Vec<Finding>) {}

/// Services named in a message before the rest are only counted.
const SHOWN_SERVICES: usize = 3;
/// Action names shown per service and access level.
const SHOWN_NAMES: usize = 3;

/// Action names of one service by access level, riskiest level first.
type Levels<'a> = BTreeMap<Reverse<AccessLevel>, Vec<&'a str>>;

struct Item<'p> {
    grant: Grant<'p>,
    beyond: Vec<(&'static Service, &'static Action)>,
}

fn check_role(role: &Role<'_>, out: &mut Vec<RoleFinding>) {
    let Some(profile) = role.profile else { return };
    // One finding per granting item, keyed by where it is written so the order is fixed.
    let mut items: BTreeMap<(usize, usize, usize), Item<'_>> = BTreeMap::new();
    for &(service, action) in role.allowed_actions() {
        if profile.allows(service.prefix(), action.name()) {
            continue;
        }
        let name = format!("{}:{}", service.prefix(), action.name());
        for grant in role.access().grants(&name) {
            if !crate::role::reaches_type(&grant, action) {
                continue;
            }
            let span = grant.via.span();
            let key = (role.file_of(grant.statement), span.start, span.end);
            items
                .entry(key)
                .or_insert_with(|| Item {
                    grant,
                    beyond: Vec::new(),
                })
                .beyond
                .push((service, action));
        }
    }
    for ((file, ..), item) in items {
        out.push(RoleFinding {
            file,
            finding: finding(profile, &item),
        });
    }
}

fn finding(profile: &Profile, item: &Item<'_>) -> Finding {
    let n = item.beyond.len();
    let actions = if n == 1 { "action" } else { "actions" };
    let message = format!(
        "{} grants {n} {actions} beyond the `{}` profile{}: {}",
        item.grant.via.describe(),
        profile.name,
        item.grant.gate.phrase(),
        breakdown(&item.beyond)
    );
    let st = item.grant.statement;
    Finding::new(
        ID,
        Severity::Warning,
        item.grant.via.span(),
        item.grant.via.pointer(),
        message,
    )
    .help(format!(
        "grant only what the profile needs (`mlpolicy profiles {0}` lists it; `mlpolicy scaffold --profile {0}` writes such a policy), or lint with the profile this role really has",
        profile.name
    ))
    .in_statement(st.index, st.sid())
}

/// "sagemaker Permissions management (3: `A`, `B`, `C`), Write (52: `D`, ...); iam ...":
/// each service's levels from the riskiest down.
fn breakdown(beyond: &[(&'static Service, &'static Action)]) -> String {
    let mut services: BTreeMap<&str, Levels<'_>> = BTreeMap::new();
    for (service, action) in beyond {
        services
            .entry(service.prefix())
            .or_default()
            .entry(Reverse(action.level))
            .or_default()
            .push(action.name());
    }
    let mut ordered: Vec<(&str, Levels<'_>)> = services.into_iter().collect();
    // The service with the most actions at the riskiest level leads: `iam` before `ec2`.
    ordered.sort_by_key(|(prefix, levels)| {
        let top = levels
            .iter()
            .next()
            .map(|(level, names)| (*level, Reverse(names.len())));
        (top, *prefix)
    });
    let shown: Vec<String> = ordered
        .iter()
        .take(SHOWN_SERVICES)
        .map(|(prefix, levels)| {
            let parts: Vec<String> = levels
                .iter()
                .map(|(Reverse(level), names)| {
                    let listed: Vec<String> = names
                        .iter()
                        .take(SHOWN_NAMES)
                        .map(|n| format!("`{n}`"))
                        .collect();
                    let more = if names.len() > SHOWN_NAMES {
                        ", ..."
                    } else {
                        ""
                    };
                    format!("{level} ({}: {}{more})", names.len(), listed.join(", "))
                })
                .collect();
            format!("{prefix} {}", parts.join(", "))
        })
        .collect();
    let rest = ordered.len().saturating_sub(SHOWN_SERVICES);
    let more = match rest {
        0 => String::new(),
        1 => "; and 1 more service".to_string(),
        n => format!("; and {n} more services"),
    };
    format!("{}{more}", shown.join("; "))
}
