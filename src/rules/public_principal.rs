use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::{Condition, Policy, PolicyKind, arn, operator::Family};

declare_rule!(
    PublicPrincipal,
    id: "public-principal",
    severity: Error,
    security_severity: "9.0",
    tags: ["security", "public-access"],
    summary: "a resource, VPC endpoint or trust policy allows any principal with no condition narrowing the caller",
);

/// Global condition keys that restrict who the caller is or where the call comes from.
const NARROWING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:vpcsourceip",
    "aws:userid",
    "aws:username",
    "kms:calleraccount",
];

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
    for st in policy.statements.iter().filter(|s| s.is_allow()) {
        let Some(principal) = &st.principal else {
            continue;
        };
        if st.conditions.iter().any(narrows_caller) {
            continue;
        }
        let (span, pointer, message) = if principal.not {
            (
                principal.key_span,
                principal.pointer.clone(),
                format!(
                    "`Allow` with `NotPrincipal` opens {kind} to every principal except those listed"
                ),
            )
        } else if let Some(any) = principal.anyone() {
            (
                any.span,
                any.pointer.clone(),
                format!(
                    "`Principal` `*` opens {kind} to anyone, with no condition narrowing the caller"
                ),
            )
        } else {
            continue;
        };
        out.push(
            Finding::new(ID, severity, span, pointer, message)
                .help(
                    "add a condition that names who may call, e.g. \
                     `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-xxxxxxxxxx\"}` or \
                     `\"aws:SourceVpce\"`, or list the principals' ARNs instead of `*`",
                )
                .in_statement(st.index, st.sid()),
        );
    }
}

/// A positive test of a caller-identifying key, with values that really narrow. `IfExists`
/// forms do not count (an anonymous caller has no org id, so the test is skipped), nor do
/// values that match anyone: `*`, `0.0.0.0/0`, an ARN with a wildcard account.
fn narrows_caller(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    let key = c.key.value.to_ascii_lowercase();
    // `ForAllValues` is true when the key is absent, as it is for an anonymous caller.
    if op.negated
        || op.if_exists
        || op.qualifier == Some(crate::model::operator::Qualifier::ForAllValues)
        || op.family == Family::Null
        || !NARROWING_KEYS.contains(&key.as_str())
    {
        return false;
    }
    if op.family == Family::Bool {
        return c.values.iter().any(|v| v.value == "true");
    }
    !c.values.is_empty() && c.values.iter().all(|v| narrows(&v.value))
}

fn narrows(value: &str) -> bool {
    if arn::is_all_stars(value) || matches!(value, "0.0.0.0/0" | "::/0") {
        return false;
    }
    match arn::split(value) {
        // S3 bucket ARNs carry no account; then the resource itself must be named.
        Some(a) if a.account.is_empty() => !arn::is_all_stars(a.resource),
        Some(a) => !arn::is_all_stars(a.account),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::narrows;

    #[test]
    fn values_that_match_anyone_do_not_narrow() {
        assert!(narrows("o-a1b2c3d4e5"));
        assert!(narrows("arn:aws:iam::111122223333:role/ml-*"));
        assert!(!narrows("arn:aws:iam::*:role/*"));
        assert!(!narrows("0.0.0.0/0"));
        assert!(!narrows("*"));
        assert!(narrows("10.0.0.0/8"));
        assert!(narrows("arn:aws:s3:::ml-data"));
        assert!(!narrows("arn:aws:s3:::*"));
    }
}
