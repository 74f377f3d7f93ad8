use super::{declare_rule, placeholders};
use crate::finding::{Finding, Severity};
use crate::frontend::Origin;
use crate::model::Policy;
use crate::model::variables::VarKind;

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
        let mut found = placeholders::find(value);
        // A template fills in its own references at deploy time; only other templates' syntax
        // (a CloudFormation pseudo parameter in Terraform) is a mistake there.
        found.retain(|p| !legitimate(policy.origin, p.var));
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

fn legitimate(origin: Origin, var: Option<VarKind>) -> bool {
    matches!(
        (origin, var),
        (
            Origin::CloudFormation,
            Some(VarKind::CloudFormation | VarKind::Template)
        ) | (Origin::Terraform, Some(VarKind::Template))
    )
}
