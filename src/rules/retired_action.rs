use super::declare_rule;
use crate::catalog::resolve::Resolved;
use crate::finding::{Finding, Severity};
use crate::model::Policy;

declare_rule!(
    RetiredAction,
    id: "retired-action",
    severity: Warning,
    security_severity: "2.0",
    tags: ["correctness", "catalog"],
    summary: "an action or service was retired from AWS and no longer grants anything",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        for (item, resolved) in action.items.iter().zip(action.resolved()) {
            let what = match resolved {
                Resolved::RetiredAction => "this action was removed from",
                Resolved::RetiredService => "its service was removed from",
                _ => continue,
            };
            out.push(
                Finding::new(
                    ID,
                    Severity::Warning,
                    item.span,
                    item.pointer.clone(),
                    format!(
                        "`{}` is retired: {what} AWS's service reference and grants nothing today",
                        item.value
                    ),
                )
                .help("remove it, or replace it with the action that superseded it")
                .in_statement(st.index, st.sid()),
            );
        }
    }
}
