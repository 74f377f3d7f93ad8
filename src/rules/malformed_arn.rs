use super::{declare_rule, placeholders};
use crate::finding::{Finding, Severity};
use crate::model::arn::{self, Arn, PARTITIONS};
use crate::model::{Policy, Str, glob, operator::Family};
use crate::text::closest;

declare_rule!(
    MalformedArn,
    id: "malformed-arn",
    severity: Error,
    security_severity: "5.0",
    tags: ["correctness"],
    summary: "an ARN does not have the shape its service requires, so it matches nothing",
);

/// Services whose ARNs never carry a region.
const GLOBAL_SERVICES: &[&str] = &["iam", "sts"];

/// Services whose resources always live in a region and an account.
const REGIONAL_SERVICES: &[&str] = &[
    "sagemaker",
    "kms",
    "secretsmanager",
    "ecr",
    "logs",
    "lambda",
    "sqs",
    "sns",
    "dynamodb",
    "glue",
    "athena",
    "states",
    "kinesis",
    "firehose",
    "codecommit",
    "codebuild",
    "elasticfilesystem",
    "elasticmapreduce",
    "cloudformation",
];

/// S3 resource types that do carry a region and account; bucket and object ARNs do not.
const S3_REGIONAL_TYPES: &[&str] = &[
    "accesspoint/",
    "job/",
    "storage-lens/",
    "storage-lens-group/",
    "access-grants/",
    "async-request/",
    "accessgrantslocation/",
];

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let mut report = |s: &Str, problem: Problem| {
            out.push(
                Finding::new(
                    ID,
                    Severity::Error,
                    s.span,
                    s.pointer.clone(),
                    problem.message,
                )
                .help(problem.help)
                .in_statement(st.index, st.sid()),
            );
        };
        if let Some(resource) = &st.resource {
            for r in &resource.items {
                if let Some(p) = check_value(r.value, true) {
                    report(r, p);
                }
            }
        }
        if let Some(principal) = &st.principal {
            for entry in &principal.entries {
                for v in entry.values.iter().filter(|v| v.value.starts_with("arn:")) {
                    if let Some(p) = check_value(v.value, true) {
                        report(v, p);
                    }
                }
            }
        }
        for c in &st.conditions {
            let arn_operator = c.op.is_some_and(|op| op.family == Family::Arn);
            for v in &c.values {
                if !arn_operator && !v.value.starts_with("arn:") {
                    continue;
                }
                if let Some(p) = check_value(v.value, arn_operator) {
                    report(v, p);
                }
            }
        }
    }
}

struct Problem {
    message: String,
    help: String,
}

fn problem(message: String, help: &str) -> Option<Problem> {
    Some(Problem {
        message,
        help: help.to_string(),
    })
}

/// Is a field free text we should not judge: a wildcard, a policy variable or template text?
fn is_open(field: &str) -> bool {
    // Most fields are plain (`aws`, `s3`, `us-east-1`, an account number): no wildcard,
    // variable, delimiter or run of capitals can be in them.
    if field
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return false;
    }
    glob::has_wildcard(field)
        || crate::text::has_reference(field)
        || !placeholders::find(field).is_empty()
}

fn check_value(value: &str, must_be_arn: bool) -> Option<Problem> {
    if value.trim() != value && value.trim().starts_with("arn:") {
        return problem(
            format!("`{value}` has leading or trailing white space, so it matches no ARN"),
            "remove the spaces inside the quotes",
        );
    }
    if arn::is_all_stars(value) || value.starts_with("${") {
        return None;
    }
    if !value.starts_with("arn:") {
        if !must_be_arn || is_open(value) {
            return None;
        }
        return problem(
            format!("`{value}` is not an ARN"),
            "write a full ARN, `arn:partition:service:region:account:resource`, or `*`",
        );
    }
    let Some(a) = arn::split(value) else {
        // A `*` ending a field may stretch over the colons that follow (`arn:aws:codepipeline:*`).
        if value.ends_with('*') {
            return None;
        }
        return problem(
            format!("`{value}` has fewer than the six fields of an ARN"),
            "an ARN is `arn:partition:service:region:account:resource`; keep the empty fields, as in `arn:aws:s3:::bucket`",
        );
    };
    check_fields(value, &a)
}

fn check_fields(value: &str, a: &Arn<'_>) -> Option<Problem> {
    if !is_open(a.partition) && !PARTITIONS.contains(&a.partition) {
        let hint = closest(a.partition, PARTITIONS, 2)
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
        return problem(
            format!("`{value}` has unknown partition `{}`{hint}", a.partition),
            "partitions are `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc`",
        );
    }
    if a.service.is_empty() {
        return problem(
            format!("`{value}` has no service"),
            "the third field names the service, e.g. `arn:aws:s3:::bucket`",
        );
    }
    if !is_open(a.service)
        && !a
            .service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return problem(
            format!("`{value}` has invalid service `{}`", a.service),
            "service names in ARNs are lower case, e.g. `sagemaker`, `s3`, `secretsmanager`",
        );
    }
    let service = a.service;
    // A resource that starts with a deploy-time value may be of any S3 type.
    let s3_unknown_type = a.resource.starts_with("${");
    if service == "s3"
        && !s3_unknown_type
        && !S3_REGIONAL_TYPES.iter().any(|t| a.resource.starts_with(t))
    {
        let stray = [("region", a.region), ("account", a.account)]
            .into_iter()
            .find(|(_, f)| !f.is_empty() && !arn::is_all_stars(f));
        if let Some((field, text)) = stray {
            return problem(
                format!(
                    "`{value}` puts `{text}` in the {field} field, but S3 bucket and object ARNs carry neither region nor account"
                ),
                "write `arn:aws:s3:::bucket-name` or `arn:aws:s3:::bucket-name/key-prefix/*`",
            );
        }
    }
    if service == "s3" && S3_REGIONAL_TYPES.iter().any(|t| a.resource.starts_with(t)) {
        // Multi-Region access points (`accesspoint/alias.mrap`) carry an account but no region.
        let multi_region = a.resource.ends_with(".mrap") || a.resource.contains(".mrap/");
        if a.account.is_empty() || (a.region.is_empty() && !multi_region) {
            return problem(
                format!(
                    "`{value}` names an S3 access point, job or Storage Lens resource without its region and account"
                ),
                "write `arn:aws:s3:us-east-1:111122223333:accesspoint/name` (bucket ARNs are the ones without them)",
            );
        }
    }
    if GLOBAL_SERVICES.contains(&service) && !a.region.is_empty() && !arn::is_all_stars(a.region) {
        return problem(
            format!(
                "`{value}` has region `{}`, but {service} ARNs carry no region",
                a.region
            ),
            "leave the region field empty, as in `arn:aws:iam::123456789012:role/name`",
        );
    }
    if REGIONAL_SERVICES.contains(&service) && a.region.is_empty() {
        return problem(
            format!("`{value}` has no region, but {service} resources live in a region"),
            "put the region (or `*`) in the fourth field, e.g. `arn:aws:sagemaker:us-east-1:123456789012:...`",
        );
    }
    if !a.region.is_empty() && !is_open(a.region) && !arn::is_region(a.region) {
        return problem(
            format!(
                "`{value}` has `{}` where a region such as `us-east-1` belongs",
                a.region
            ),
            "regions look like `us-east-1` or `eu-central-2`; use `*` for any region",
        );
    }
    let needs_account = GLOBAL_SERVICES.contains(&service) || REGIONAL_SERVICES.contains(&service);
    if needs_account && a.account.is_empty() {
        return problem(
            format!("`{value}` has no account, but {service} ARNs need one"),
            "put the 12-digit account id (or `*`) in the fifth field",
        );
    }
    if !a.account.is_empty() && !is_open(a.account) && !arn::is_account(a.account) {
        return problem(
            format!(
                "`{value}` has account `{}`; accounts are 12 digits",
                a.account
            ),
            "use the 12-digit account id, `*`, or a policy variable such as `${aws:PrincipalAccount}`",
        );
    }
    if a.resource.is_empty() {
        return problem(
            format!("`{value}` has an empty resource field"),
            "name the resource after the fifth colon, or use `*`",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{check_value, is_open};

    #[test]
    fn open_fields_are_wildcards_variables_and_template_text_only() {
        for plain in ["", "aws", "s3", "us-east-1", "123456789012", "aws-us-gov"] {
            assert!(!is_open(plain), "{plain}");
        }
        for open in [
            "*",
            "us-*",
            "${AWS::Region}",
            "${aws:PrincipalAccount}",
            "<account-id>",
            "{region}",
            "ACCOUNT_ID",
            "AWS_REGION",
        ] {
            assert!(is_open(open), "{open}");
        }
        // Not open, and not plain either: judged as written.
        assert!(!is_open("Aws"));
    }

    fn bad(v: &str) -> bool {
        check_value(v, true).is_some()
    }

    #[test]
    fn accepts_well_formed_arns() {
        for ok in [
            "*",
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/home/${aws:userid}/*",
            "arn:aws:s3:us-west-2:123456789012:accesspoint/ap",
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:sagemaker:*:*:notebook-instance/*",
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/abc",
            "arn:${aws:Partition}:logs:*:*:log-group:/aws/sagemaker/*",
            "arn:aws:ec2:us-east-1::image/ami-*",
            "arn:aws:s3:*:*:bucket",
            "arn:aws:codepipeline:*",
            "arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap",
            "arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:x",
        ] {
            assert!(!bad(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_arns() {
        for b in [
            "arn:aws:s3::123456789012:bucket",
            "arn:aws:s3:us-east-1::bucket/*",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:secretsmanager:::secret:x",
            "arn:aws:sagemaker:us-east-1:12345:training-job/x",
            "arn:aws:sagemaker:useast1:123456789012:training-job/x",
            "arn:awss:s3:::b",
            "arn:aws:s3",
            "my-bucket",
            "arn:aws:iam::123456789012:",
            "arn:aws:s3:::accesspoint/ml-ap/object/*",
            " arn:aws:s3:::b",
        ] {
            assert!(bad(b), "{b}");
        }
    }
}
