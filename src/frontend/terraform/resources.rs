//! Which Terraform resources carry policies, and which IAM entities they attach to.

use crate::model::PolicyKind;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::Element;

/// A resource attribute that holds a policy document.
pub struct PolicyAttr {
    pub resource: &'static str,
    pub attr: &'static str,
    pub kind: PolicyKind,
    /// The attribute naming the IAM entity the policy is attached to, and that entity's
    /// resource type (`role` of an `aws_iam_role_policy` is an `aws_iam_role`).
    pub entity: Option<(&'static str, &'static str)>,
}

const fn attr(resource: &'static str, attr: &'static str, kind: PolicyKind) -> PolicyAttr {
    PolicyAttr {
        resource,
        attr,
        kind,
        entity: None,
    }
}

const fn inline(resource: &'static str, entity: (&'static str, &'static str)) -> PolicyAttr {
    PolicyAttr {
        resource,
        attr: "policy",
        kind: PolicyKind::Unknown,
        entity: Some(entity),
    }
}

/// The AWS provider's policy attributes. Identity policies have no kind of their own
/// (`Unknown`); resource policies without a kind in the model (SQS, SNS...) neither.
pub const POLICY_ATTRS: &[PolicyAttr] = &[
    attr("aws_iam_policy", "policy", PolicyKind::Unknown),
    inline("aws_iam_role_policy", ("role", "aws_iam_role")),
    inline("aws_iam_user_policy", ("user", "aws_iam_user")),
    inline("aws_iam_group_policy", ("group", "aws_iam_group")),
    attr("aws_iam_role", "assume_role_policy", PolicyKind::Trust),
    attr("aws_s3_bucket_policy", "policy", PolicyKind::Bucket),
    attr("aws_s3_bucket", "policy", PolicyKind::Bucket),
    attr("aws_vpc_endpoint", "policy", PolicyKind::VpcEndpoint),
    attr("aws_vpc_endpoint_policy", "policy", PolicyKind::VpcEndpoint),
    attr("aws_kms_key", "policy", PolicyKind::Key),
    attr("aws_kms_key_policy", "policy", PolicyKind::Key),
    attr(
        "aws_ecr_repository_policy",
        "policy",
        PolicyKind::Repository,
    ),
    attr("aws_secretsmanager_secret", "policy", PolicyKind::Secret),
    attr(
        "aws_secretsmanager_secret_policy",
        "policy",
        PolicyKind::Secret,
    ),
    attr("aws_sqs_queue", "policy", PolicyKind::Unknown),
    attr("aws_sqs_queue_policy", "policy", PolicyKind::Unknown),
    attr("aws_sns_topic", "policy", PolicyKind::Unknown),
    attr("aws_sns_topic_policy", "policy", PolicyKind::Unknown),
    attr(
        "aws_sagemaker_model_package_group_policy",
        "resource_policy",
        PolicyKind::Unknown,
    ),
    attr("aws_glue_resource_policy", "policy", PolicyKind::Unknown),
    attr(
        "aws_dynamodb_resource_policy",
        "policy",
        PolicyKind::Unknown,
    ),
    attr(
        "aws_cloudwatch_log_resource_policy",
        "policy_document",
        PolicyKind::Unknown,
    ),
];

/// Module arguments that conventionally hold a policy document (the community IAM modules'
/// `policy`, `assume_role_policy`...). A module's inputs are only linted when the value is
/// visibly a policy (it has a `Statement`), since a module may name its inputs anything.
pub const MODULE_POLICY_ARGS: &[&str] = &[
    "policy",
    "policy_json",
    "assume_role_policy",
    "trust_policy",
    "bucket_policy",
    "key_policy",
];

/// A resource that attaches managed policies to IAM entities.
pub struct Attachment {
    pub resource: &'static str,
    /// Attributes naming entities, with the entities' resource type.
    pub entities: &'static [(&'static str, &'static str)],
    /// Attributes naming the attached policies.
    pub policies: &'static [&'static str],
}

const fn attachment(
    resource: &'static str,
    entities: &'static [(&'static str, &'static str)],
    policies: &'static [&'static str],
) -> Attachment {
    Attachment {
        resource,
        entities,
        policies,
    }
}

pub const ATTACHMENTS: &[Attachment] = &[
    attachment(
        "aws_iam_role_policy_attachment",
        &[("role", "aws_iam_role")],
        &["policy_arn"],
    ),
    attachment(
        "aws_iam_user_policy_attachment",
        &[("user", "aws_iam_user")],
        &["policy_arn"],
    ),
    attachment(
        "aws_iam_group_policy_attachment",
        &[("group", "aws_iam_group")],
        &["policy_arn"],
    ),
    attachment(
        "aws_iam_policy_attachment",
        &[
            ("roles", "aws_iam_role"),
            ("users", "aws_iam_user"),
            ("groups", "aws_iam_group"),
        ],
        &["policy_arn"],
    ),
    attachment(
        "aws_iam_role_policy_attachments_exclusive",
        &[("role_name", "aws_iam_role")],
        &["policy_arns"],
    ),
    attachment(
        "aws_iam_user_policy_attachments_exclusive",
        &[("user_name", "aws_iam_user")],
        &["policy_arns"],
    ),
    attachment(
        "aws_iam_group_policy_attachments_exclusive",
        &[("group_name", "aws_iam_group")],
        &["policy_arns"],
    ),
];

/// `a.b[0].c` as `["a", "b", "c"]` (indexes and splats skipped); `"${a.b}"` counts as `a.b`.
pub fn path(expr: &Expression) -> Option<Vec<&str>> {
    match expr {
        Expression::Variable(v) => Some(vec![v.value().as_str()]),
        Expression::Traversal(t) => {
            let mut out = path(&t.expr)?;
            for op in &t.operators {
                if let TraversalOperator::GetAttr(name) = op.value() {
                    out.push(name.value().as_str());
                }
            }
            Some(out)
        }
        Expression::StringTemplate(t) => match t.iter().collect::<Vec<_>>().as_slice() {
            [Element::Interpolation(i)] => path(&i.expr),
            _ => None,
        },
        Expression::Parenthesis(p) => path(p.inner()),
        _ => None,
    }
}

/// `data.aws_iam_policy_document.X.json` (or `.minified_json`): the name `X`.
pub fn policy_document_ref(expr: &Expression) -> Option<&str> {
    match path(expr)?.as_slice() {
        [
            "data",
            "aws_iam_policy_document",
            name,
            "json" | "minified_json",
        ] => Some(name),
        _ => None,
    }
}

/// The address (`aws_iam_role.x`) of the resource of type `kind` that `expr` refers to.
pub fn address_in(expr: &Expression, kind: &str) -> Option<String> {
    match path(expr)?.as_slice() {
        [k, name, ..] if *k == kind => Some(format!("{k}.{name}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(source: &str) -> Expression {
        hcl_edit::parser::parse_expr(source).expect("valid")
    }

    #[test]
    fn references() {
        assert_eq!(
            policy_document_ref(&expr("data.aws_iam_policy_document.trust.json")),
            Some("trust")
        );
        assert_eq!(
            policy_document_ref(&expr(
                "\"${data.aws_iam_policy_document.t[0].minified_json}\""
            )),
            Some("t")
        );
        assert_eq!(
            policy_document_ref(&expr("data.aws_iam_policy.x.json")),
            None
        );
        assert_eq!(
            address_in(&expr("aws_iam_role.r[count.index].name"), "aws_iam_role").as_deref(),
            Some("aws_iam_role.r")
        );
        assert_eq!(address_in(&expr("var.role"), "aws_iam_role"), None);
    }
}
