//! What a grant's conditions do to it. Risk findings honour conditions both ways: a grant is
//! never dropped because *some* condition is present, and never judged as if conditions were
//! absent. The answer is one of three grades, and the keys that earned it are named.

use crate::model::{Condition, Statement, arn, operator::Family};

/// Policy variables that stand for the caller.
const CALLER_VARIABLES: &[&str] = &[
    "${aws:userid}",
    "${aws:username}",
    "${aws:principaltag/",
    "${aws:sourceidentity}",
    "${sagemaker:userprofilename}",
    "${sagemaker:domainid}",
];

/// Condition keys whose presence scopes the request to one Studio user or domain.
const SCOPING_KEYS: &[&str] = &["sagemaker:userprofilename", "sagemaker:domainid"];

const TAG_KEY_PREFIXES: &[&str] = &[
    "aws:resourcetag/",
    "sagemaker:resourcetag/",
    "secretsmanager:resourcetag/",
];

/// Keys that constrain how or when a request is made, not which resources or data it reaches:
/// a role allowed `s3:GetObject` on `*` over TLS only can still read every bucket.
const NOT_NARROWING: &[&str] = &[
    "aws:securetransport",
    "aws:requestedregion",
    "aws:currenttime",
    "aws:epochtime",
    "aws:tokenissuetime",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:viaawsservice",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:useragent",
    "aws:referer",
    "aws:requesttag/",
    "aws:tagkeys",
    "s3:signatureversion",
    "s3:authtype",
    "s3:signatureage",
    "s3:x-amz-content-sha256",
    "s3:tlsversion",
    "kms:encryptioncontextkeys",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// No condition, or only conditions that leave the reach as it is.
    Open,
    /// Conditions narrow the reach (a VPC endpoint, an account, a prefix, a service).
    Narrowed(Vec<String>),
    /// Conditions tie the resource to the caller (owner tags, `${aws:userid}`, Studio user).
    Caller(Vec<String>),
}

impl Gate {
    pub fn of(statement: &Statement) -> Self {
        let caller: Vec<String> = statement
            .conditions
            .iter()
            .filter(|c| ties_to_caller(c))
            .map(|c| c.key.value.to_string())
            .collect();
        if !caller.is_empty() {
            return Self::Caller(dedup(caller));
        }
        let narrowing: Vec<String> = statement
            .conditions
            .iter()
            .filter(|c| narrows(c))
            .map(|c| c.key.value.to_string())
            .collect();
        if narrowing.is_empty() {
            Self::Open
        } else {
            Self::Narrowed(dedup(narrowing))
        }
    }

    /// The clause a message appends: "" or " (narrowed by `aws:SourceVpce`)".
    pub fn phrase(&self) -> String {
        let keys = |ks: &[String]| {
            ks.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Self::Open => String::new(),
            Self::Narrowed(ks) => format!(" (narrowed by {})", keys(ks)),
            Self::Caller(ks) => format!(" (tied to the caller by {})", keys(ks)),
        }
    }
}

fn dedup(mut keys: Vec<String>) -> Vec<String> {
    keys.sort_by_key(|k| k.to_ascii_lowercase());
    keys.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    keys
}

/// A Resource or condition value that names the caller (`.../${aws:userid}/*`).
pub fn mentions_caller(s: &str) -> bool {
    // Every caller variable starts with `${`, which most values do not hold: no lowered copy.
    if !crate::text::has_reference(s) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    CALLER_VARIABLES.iter().any(|v| lower.contains(v))
}

/// A positive condition that ties the resource to the caller: an owner tag compared with a
/// caller variable, or a Studio user-profile / domain key with a real value. `IfExists`
/// forms do not count: they let every untagged resource through.
pub fn ties_to_caller(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    if op.negated || op.if_exists || !matches!(op.family, Family::String | Family::Arn) {
        return false;
    }
    // Asked of every condition of every statement a risk rule weighs: compared ignoring case
    // rather than lowered into a copy.
    let key = c.key.value;
    if SCOPING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        return c.values.iter().any(|v| !arn::is_all_stars(v.value));
    }
    is_owner_tag_key(key) && c.values.iter().any(|v| mentions_caller(v.value))
}

/// `aws:ResourceTag/...` and its service-specific twins, in any case.
pub fn is_owner_tag_key(key: &str) -> bool {
    TAG_KEY_PREFIXES.iter().any(|p| {
        key.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })
}

/// A condition that shrinks what the statement reaches. Negated operators, `Null` checks,
/// `IfExists` forms and values that are all wildcards shrink nothing for sure.
fn narrows(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    if op.negated || op.if_exists || op.family == Family::Null {
        return false;
    }
    if op.family == Family::Bool {
        // `aws:PrincipalIsAWSService: true` and the like restrict who calls; booleans on
        // transport or MFA do not restrict what is reached.
        let key = c.key.value.to_ascii_lowercase();
        return !not_narrowing(&key);
    }
    let key = c.key.value.to_ascii_lowercase();
    !not_narrowing(&key) && c.values.iter().any(|v| !arn::is_all_stars(v.value))
}

fn not_narrowing(key: &str) -> bool {
    NOT_NARROWING.iter().any(|k| {
        if k.ends_with('/') {
            key.starts_with(k)
        } else {
            key == *k
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_variables_are_found_in_any_case_and_only_as_variables() {
        // `mentions_caller` skips values without `${`: every variable must start with it.
        assert!(CALLER_VARIABLES.iter().all(|v| v.starts_with("${")));
        assert!(mentions_caller("arn:aws:s3:::b/home/${aws:userid}/*"));
        assert!(mentions_caller("${AWS:PrincipalTag/team}"));
        assert!(mentions_caller("${sagemaker:UserProfileName}"));
        assert!(!mentions_caller("arn:aws:s3:::b/home/aws:userid/*"));
        assert!(!mentions_caller("${aws:CurrentTime}"));
    }
}
