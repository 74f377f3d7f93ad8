//! What kind of policy a document is, as far as the file itself says.
//!
//! Only `public-principal` names the kind, and only when the evidence is unambiguous: a trust
//! policy is recognised by its wrapper or its `sts:AssumeRole*` actions; other resource-policy
//! kinds only by the file name, because a VPC endpoint policy for S3 lists the same bucket
//! ARNs as a bucket policy does.

use super::Statement;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// No evidence either way.
    Unknown,
    /// Attached to a role, user or group (a template says so).
    Identity,
    /// A resource policy of some other resource (a SageMaker model package group, an
    /// access point).
    Resource,
    Trust,
    Bucket,
    VpcEndpoint,
    Key,
    Repository,
    Secret,
    Queue,
    Topic,
}

impl PolicyKind {
    /// The phrase used in messages ("a bucket policy").
    pub fn describe(self) -> &'static str {
        match self {
            Self::Unknown => "a resource or VPC endpoint policy",
            Self::Identity => "an identity policy",
            Self::Resource => "a resource policy",
            Self::Trust => "a trust policy",
            Self::Bucket => "a bucket policy",
            Self::VpcEndpoint => "a VPC endpoint policy",
            Self::Key => "a key policy",
            Self::Repository => "a repository policy",
            Self::Secret => "a secret policy",
            Self::Queue => "a queue policy",
            Self::Topic => "a topic policy",
        }
    }

    /// From the file name: `s3-bucket-policy.json`, `vpce_policy.json`, `trust.json`...
    pub fn from_path(path: &str) -> Self {
        let name = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        if has(&[
            "vpce",
            "vpc-endpoint",
            "vpc_endpoint",
            "vpcendpoint",
            "endpoint-policy",
            "endpoint_policy",
        ]) {
            Self::VpcEndpoint
        } else if has(&["trust", "assume-role", "assume_role", "assumerole"]) {
            Self::Trust
        } else if has(&["bucket"]) {
            Self::Bucket
        } else if has(&["key-policy", "key_policy", "keypolicy", "kms"]) {
            Self::Key
        } else if has(&["repository", "ecr"]) {
            Self::Repository
        } else if has(&["secret"]) {
            Self::Secret
        } else {
            Self::Unknown
        }
    }

    /// Refines a file-name guess with the statements: only-`sts:AssumeRole*` is a trust policy.
    pub fn refine(self, statements: &[Statement]) -> Self {
        let actions: Vec<&str> = statements
            .iter()
            .filter_map(|s| s.action.as_ref())
            .filter(|a| !a.not)
            .flat_map(|a| a.items.iter().map(|i| i.value))
            .collect();
        let trust_actions = !actions.is_empty()
            && actions.iter().all(|a| {
                let a = a.to_ascii_lowercase();
                a.starts_with("sts:assumerole")
                    || a == "sts:tagsession"
                    || a == "sts:setsourceidentity"
            })
            && actions
                .iter()
                .any(|a| a.to_ascii_lowercase().starts_with("sts:assumerole"));
        if trust_actions { Self::Trust } else { self }
    }
}
