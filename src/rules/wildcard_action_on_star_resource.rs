use super::{Rule, RuleMeta, declare_rule};
use crate::finding::{Finding, Severity};
use crate::model::{Policy, Str, arn, glob};

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

impl Rule for WildcardActionOnStarResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, policy: &Policy<'_>, out: &mut Vec<Finding>) {
        for st in policy.statements.iter().filter(|s| s.is_allow()) {
            let Some(star) = st.resource_is_everything() else {
                continue;
            };
            let Some(action) = &st.action else { continue };
            let on = resource_phrase(st.resource.as_ref().map(|r| r.not));
            if action.not {
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
            for item in action.items.iter().filter(|a| glob::has_wildcard(&a.value)) {
                let f = Finding::new(
                    ID,
                    breadth(item),
                    item.span,
                    item.pointer.clone(),
                    format!("`{}` is allowed {on}", item.value),
                )
                .label(star, "every resource")
                .help("name the actions the role needs, and scope `Resource` to the ARNs it uses")
                .in_statement(st.index, st.sid());
                out.push(f);
            }
        }
    }
}

fn resource_phrase(not_resource: Option<bool>) -> &'static str {
    if not_resource == Some(true) {
        "on every resource but those in `NotResource`"
    } else {
        "on every resource (`*`)"
    }
}

/// `*` is an error; a whole service or an unknown mix a warning; a read-only prefix a note.
fn breadth(item: &Str) -> Severity {
    let value = item.value.as_str();
    if arn::is_all_stars(value) {
        return Severity::Error;
    }
    let (service, action) = value.split_once(':').unwrap_or((value, ""));
    let read_only = READ_ONLY_PREFIXES.iter().any(|p| {
        action.len() > p.len()
            && action[..p.len()].eq_ignore_ascii_case(p)
            && !glob::has_wildcard(&action[..p.len()])
    });
    match (glob::has_wildcard(service), read_only) {
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
            value: v.into(),
            span: Span::default(),
            pointer: String::new(),
        })
    }

    #[test]
    fn grades_by_breadth() {
        assert_eq!(sev("*"), Severity::Error);
        assert_eq!(sev("*:*"), Severity::Error);
        assert_eq!(sev("s3:*"), Severity::Warning);
        assert_eq!(sev("s3:Put*"), Severity::Warning);
        assert_eq!(sev("s3:Get*"), Severity::Note);
        assert_eq!(sev("sagemaker:describe*"), Severity::Note);
        assert_eq!(sev("*:List*"), Severity::Warning);
        assert_eq!(sev("s3:G*"), Severity::Warning);
    }
}
