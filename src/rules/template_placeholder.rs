use super::{declare_rule, placeholders};
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    TemplatePlaceholder,
    id: "template-placeholder",
    severity: Error,
    security_severity: "4.0",
    tags: ["correctness"],
    summary: "template text was left in the policy instead of a real value",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    policy.for_each_string(|value, span, steps| {
        let found = placeholders::find(value);
        let Some(first) = found.first() else { return };
        let more = match found.len() {
            1 => String::new(),
            2 => format!(" (and `{}`)", found[1].text),
            n => format!(" (and {} more)", n - 1),
        };
        out.push(
            Finding::new(
                ID,
                Severity::Error,
                span,
                policy.pointer(steps),
                format!(
                    "`{}` is {} that was never replaced{more}",
                    first.text, first.kind
                ),
            )
            .help("substitute the real value before deploying; IAM would match the text literally"),
        );
    });
}
