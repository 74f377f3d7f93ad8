use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::Policy;
use crate::role::{Role, RoleFinding};
use crate::span::Span;
use std::collections::HashSet;

declare_rule!(
    ProfileGap,
    id: "profile-gap",
    severity: Note,
    security_severity: "1.0",
    tags: ["profile"],
    summary: "the role lacks an ML activity its profile (`lint --profile`) needs",
    role: check_role,
);

/// A role is judged as a whole, never one document at a time: see `check_role`.
fn check(_: &Policy<'_>, _: &mut Vec<Finding>) {}

fn check_role(role: &Role<'_>, out: &mut Vec<RoleFinding>) {
    let Some(profile) = role.profile else { return };
    let Some((file, policy)) = role.first_policy() else {
        return;
    };
    let granted: HashSet<*const crate::catalog::Action> = role
        .allowed_actions()
        .iter()
        .map(|(_, a)| std::ptr::from_ref(*a))
        .collect();
    // What the role lacks belongs to no statement: report it where its first policy starts.
    let at = Span::new(policy.raw.span.start, policy.raw.span.start);
    for activity in &profile.activities {
        let needed = activity.catalog_actions();
        let missing: Vec<String> = needed
            .iter()
            .filter(|(_, a)| !granted.contains(&std::ptr::from_ref(*a)))
            .map(|(s, a)| format!("`{}:{}`", s.prefix(), a.name()))
            .collect();
        let Some(first) = missing.first() else {
            continue;
        };
        let how_many = if needed.len() == 1 {
            "its only action is not granted".to_string()
        } else if missing.len() == needed.len() {
            format!("none of its {} actions is granted", needed.len())
        } else if missing.len() == 1 {
            format!("1 of its {} actions is not granted", needed.len())
        } else {
            format!(
                "{} of its {} actions are not granted",
                missing.len(),
                needed.len()
            )
        };
        let example = if missing.len() == 1 {
            first.clone()
        } else {
            format!("{first}, ...")
        };
        let message = format!(
            "the `{}` profile needs `{}` ({}), but {how_many} ({example})",
            profile.name, activity.id, activity.name
        );
        out.push(RoleFinding {
            file,
            finding: Finding::new(ID, Severity::Note, at, policy.pointer.clone(), message).help(
                format!(
                    "grant the missing actions (`mlpolicy profiles {0}` lists them, `mlpolicy scaffold --profile {0}` writes them), or lint with the profile this role really has",
                    profile.name
                ),
            ),
        });
    }
}
