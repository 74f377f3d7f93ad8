use super::declare_rule;
use crate::catalog::AccessLevel;
use crate::catalog::resolve::Resolved;
use crate::finding::{Finding, Severity};
use crate::model::{Element, Policy, Str, arn, glob};
use crate::span::Span;
use crate::text::push_decimal;

declare_rule!(
    WildcardActionOnStarResource,
    id: "wildcard-action-on-star-resource",
    severity: Error,
    security_severity: "8.0",
    tags: ["security", "least-privilege"],
    summary: "a wildcard action is allowed on every resource",
);

/// Action-name prefixes that only read or list. Without the action catalog this is how the
/// breadth of `svc:Get*`-style wildcards is judged.
const READ_ONLY_PREFIXES: &[&str] = &["List", "Describe", "Get", "BatchGet", "Search", "View"];

/// Services where `Get*` reads the data itself (objects, secret values, parameters, items),
/// so a read-only prefix there is a warning, not a note.
const DATA_SERVICES: &[&str] = &["s3", "secretsmanager", "ssm", "dynamodb"];

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    // In a resource policy (with `Principal`), `Resource: "*"` means the resource the
    // policy is attached to, as in a KMS key policy: not a grant on everything.
    for st in policy
        .statements
        .iter()
        .filter(|s| s.is_allow() && s.principal.is_none())
    {
        let Some(action) = &st.action else { continue };
        let Some(resource) = &st.resource else {
            continue;
        };
        if action.not {
            let Some(star) = st.resource_is_everything() else {
                continue;
            };
            let on = if resource.not {
                "on every resource but those in `NotResource`"
            } else {
                "on every resource (`*`)"
            };
            let f = Finding::new(
                ID,
                Severity::Error,
                action.key_span,
                action.pointer.clone(),
                format!("`NotAction` allows every action except those listed, {on}"),
            )
            .label(star, "every resource")
            .help("list the actions the role needs in `Action` instead of excluding a few with `NotAction`")
            .in_statement(st.index, st.sid());
            out.push(f);
            continue;
        }
        let items = action.items.iter().zip(action.resolved());
        for (item, resolved) in items.filter(|(a, _)| glob::has_wildcard(a.value)) {
            let Some((span, on)) = everything_for(resource, item.value) else {
                continue;
            };
            // One message, written in place: this rule reports thousands of values.
            // With room for what `grade` appends (": 63 actions (63 Read)"), so the message
            // is not copied into a larger buffer halfway.
            let mut message = joined(&["`", item.value, "` is allowed ", &on], 64);
            let severity = grade(item, resolved, &mut message);
            let f = Finding::new(ID, severity, item.span, item.pointer.clone(), message)
                .label(span, "every resource")
                .help("name the actions the role needs, and scope `Resource` to the ARNs it uses")
                .in_statement(st.index, st.sid());
            out.push(f);
        }
    }
}

/// The Resource value that covers everything the action pattern can touch: `*`, a
/// `NotResource`, or a service-wide ARN such as `arn:aws:s3:::*` for `s3:*`.
fn everything_for(resource: &Element, action: &str) -> Option<(Span, String)> {
    if resource.not {
        return Some((
            resource.key_span,
            "on every resource but those in `NotResource`".to_string(),
        ));
    }
    let service = action.split(':').next().unwrap_or(action);
    resource.items.iter().find_map(|r| {
        if arn::matches_everything(r.value) {
            return Some((r.span, joined(&["on every resource (`", r.value, "`)"], 0)));
        }
        let a = arn::split(r.value)?;
        let service_wide = arn::is_all_stars(a.resource)
            && (a.region.is_empty() || arn::is_all_stars(a.region))
            && (a.account.is_empty() || arn::is_all_stars(a.account))
            && !glob::has_wildcard(a.service)
            && glob::matches(service, a.service, true);
        service_wide.then(|| {
            (
                r.span,
                joined(&["on every ", a.service, " resource (`", r.value, "`)"], 0),
            )
        })
    })
}

/// The pieces one after another: thousands of findings build their phrases here. (std's
/// `[&str]::concat` does the same for 1.9 M more instructions over the managed corpus.)
fn joined(pieces: &[&str], room: usize) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum::<usize>() + room);
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// Grades a wildcard by the access levels of the actions it expands to (List / Read: note;
/// Write / Tagging: warning; Permissions management: error), and adds to `message` how many
/// of each it grants. Read on a data service (`s3:GetObject`,
/// `secretsmanager:GetSecretValue`) is a warning. Patterns the catalog cannot expand fall
/// back to `breadth`.
fn grade(item: &Str, resolved: &Resolved, message: &mut String) -> Severity {
    let Resolved::Actions(service, actions) = resolved else {
        if arn::is_all_stars(item.value) {
            message.push_str(": every action of every service");
        }
        return breadth(item);
    };
    if actions.is_empty() {
        return breadth(item);
    }
    let mut counts = [0usize; 5];
    for a in actions.iter() {
        counts[a.level as usize] += 1;
    }
    let levels = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Tagging,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
    ];
    let reads_data = DATA_SERVICES.contains(&service.prefix());
    let severity = match actions.iter().map(|a| a.level).max() {
        Some(AccessLevel::PermissionsManagement) => Severity::Error,
        Some(AccessLevel::Write | AccessLevel::Tagging) => Severity::Warning,
        Some(AccessLevel::Read) if reads_data => Severity::Warning,
        _ => Severity::Note,
    };
    let n = actions.len();
    let noun = if n == 1 { "action" } else { "actions" };
    message.push_str(": ");
    push_decimal(message, n);
    message.push(' ');
    message.push_str(noun);
    message.push_str(" (");
    let counted = levels.iter().zip(counts).filter(|(_, n)| *n > 0);
    for (k, (level, n)) in counted.enumerate() {
        if k > 0 {
            message.push_str(", ");
        }
        push_decimal(message, n);
        message.push(' ');
        message.push_str(level.as_str());
    }
    message.push(')');
    severity
}

/// Without the catalog: `*` is an error; a whole service or an unknown mix a warning; a
/// read-only prefix a note.
fn breadth(item: &Str) -> Severity {
    let value = item.value;
    if arn::is_all_stars(value) {
        return Severity::Error;
    }
    let (service, action) = value.split_once(':').unwrap_or((value, ""));
    let read_only = READ_ONLY_PREFIXES.iter().any(|p| {
        action.len() > p.len()
            && action[..p.len()].eq_ignore_ascii_case(p)
            && !glob::has_wildcard(&action[..p.len()])
    });
    let reads_data = DATA_SERVICES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(service));
    match (glob::has_wildcard(service), read_only) {
        (false, true) if reads_data => Severity::Warning,
        (true, true) => Severity::Warning,
        (true, false) => Severity::Error,
        (false, true) => Severity::Note,
        (false, false) => Severity::Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn sev(v: &str) -> Severity {
        breadth(&Str {
            value: v,
            span: Span::default(),
            pointer: Default::default(),
        })
    }

    #[test]
    fn grades_by_breadth() {
        assert_eq!(sev("*"), Severity::Error);
        assert_eq!(sev("*:*"), Severity::Error);
        assert_eq!(sev("s3:*"), Severity::Warning);
        assert_eq!(sev("s3:Put*"), Severity::Warning);
        assert_eq!(sev("s3:Get*"), Severity::Warning);
        assert_eq!(sev("secretsmanager:Get*"), Severity::Warning);
        assert_eq!(sev("s3:List*"), Severity::Warning);
        assert_eq!(sev("sagemaker:Get*"), Severity::Note);
        assert_eq!(sev("sagemaker:describe*"), Severity::Note);
        assert_eq!(sev("*:List*"), Severity::Warning);
        assert_eq!(sev("s3:G*"), Severity::Warning);
    }
}
