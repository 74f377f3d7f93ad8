use super::declare_rule;
use crate::access::public::{Opening, opening};
use crate::finding::{Finding, Severity};
use crate::model::{Policy, PolicyKind};

declare_rule!(
    PublicPrincipal,
    id: "public-principal",
    severity: Error,
    security_severity: "9.0",
    tags: ["security", "public-access"],
    summary: "a resource, VPC endpoint or trust policy allows any principal with no condition narrowing the caller",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    let kind = policy.kind.refine(&policy.statements);
    // A VPC endpoint policy only sees traffic that already came through the endpoint, so
    // "anyone" there means any credentials used inside the network: serious, not public.
    let severity = if kind == PolicyKind::VpcEndpoint {
        Severity::Warning
    } else {
        Severity::Error
    };
    let kind = kind.describe();
    for st in &policy.statements {
        let Some(open) = opening(st) else {
            continue;
        };
        let message = match open {
            Opening::AllBut { .. } => format!(
                "`Allow` with `NotPrincipal` opens {kind} to every principal except those listed"
            ),
            Opening::Anyone(_) => format!(
                "`Principal` `*` opens {kind} to anyone, with no condition narrowing the caller"
            ),
        };
        out.push(
            Finding::new(ID, severity, open.span(), open.pointer(), message)
                .help(
                    "add a condition that names who may call, e.g. \
                     `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-xxxxxxxxxx\"}` or \
                     `\"aws:SourceVpce\"`, or list the principals' ARNs instead of `*`",
                )
                .in_statement(st.index, st.sid()),
        );
    }
}
