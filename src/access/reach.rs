//! How far a Resource value reaches: everything, every resource of a kind, or named ones.
//!
//! Risk rules fire on the first two only. `arn:aws:s3:::ml-data/*` (one bucket's objects),
//! `role/ml-*` (a naming convention) and `${aws:userid}` paths are the least-privilege way to
//! write a grant, and a template reference (`${Bucket}`) is unknown, so none of them is called
//! broad.

use super::gate::mentions_caller;
use crate::model::{arn, glob};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Named resources, a prefix convention, the caller's own, or unknown.
    Named,
    /// Every resource of one kind: `arn:aws:s3:::*`, `secret:*`, `role/*`.
    Kind,
    /// `*`, `arn:aws:*:*:*:*`, or `NotResource`.
    Everything,
}

impl Reach {
    pub fn of(value: &str) -> Self {
        if arn::matches_everything(value) {
            return Self::Everything;
        }
        if mentions_caller(value) {
            return Self::Named;
        }
        let Some(a) = arn::split(value) else {
            return Self::Named;
        };
        if arn::is_all_stars(a.service) && arn::is_all_stars(a.resource) {
            return Self::Everything;
        }
        if glob::has_wildcard(a.service) {
            return Self::Kind;
        }
        if name_is_wild(a.service, a.resource) {
            Self::Kind
        } else {
            Self::Named
        }
    }

    pub fn is_broad(self) -> bool {
        self >= Self::Kind
    }
}

/// Does the name part of the resource start with a wildcard, and end in one? The resource
/// type comes first (`role/`, `secret:`, `key/`), except in S3, where the bucket name does.
/// A literal last segment names a resource (`dbuser:*/etl_user` is one user, in any cluster).
fn name_is_wild(service: &str, resource: &str) -> bool {
    let starts_wild = |s: &str| s.is_empty() || s.starts_with(['*', '?']);
    if service.eq_ignore_ascii_case("s3") {
        return starts_wild(resource);
    }
    let ends_wild = |s: &str| {
        let last = s.rsplit(['/', ':']).next().unwrap_or(s);
        last.is_empty() || arn::is_all_stars(last) || last == "?"
    };
    match resource.find(['/', ':']) {
        // The type itself is a wildcard (`*/x`, `*`).
        Some(i) if glob::has_wildcard(&resource[..i]) => ends_wild(resource),
        Some(i) => starts_wild(&resource[i + 1..]) && ends_wild(&resource[i + 1..]),
        None => glob::has_wildcard(resource),
    }
}

#[cfg(test)]
mod tests {
    use super::Reach::{self, *};

    #[test]
    fn reaches() {
        let cases = [
            ("*", Everything),
            ("arn:aws:*:*:*:*", Everything),
            ("arn:aws:s3:::*", Kind),
            ("arn:aws:s3:::*/*", Kind),
            ("arn:aws:s3:::ml-data/*", Named),
            ("arn:aws:s3:::ml-data", Named),
            ("arn:aws:s3:::ml-*", Named),
            ("arn:aws:iam::111122223333:role/*", Kind),
            ("arn:aws:iam::111122223333:role/ml-*", Named),
            ("arn:aws:iam::*:role/Admin", Named),
            ("arn:aws:secretsmanager:*:*:secret:*", Kind),
            ("arn:aws:secretsmanager:us-east-1:1:secret:team-a/*", Named),
            ("arn:aws:kms:*:111122223333:key/*", Kind),
            ("arn:aws:ssm:*:*:parameter/*", Kind),
            ("arn:aws:sagemaker:*:*:*", Kind),
            ("arn:aws:sagemaker:*:*:user-profile/*/*", Kind),
            ("arn:aws:redshift:*:*:dbuser:*/etl_user", Named),
            ("arn:aws:logs:*:*:log-group:*", Kind),
            ("arn:aws:s3:::home/${aws:userid}/*", Named),
            ("${BucketArn}", Named),
            ("arn:${AWS::Partition}:s3:::${Bucket}/*", Named),
        ];
        for (value, want) in cases {
            assert_eq!(Reach::of(value), want, "{value}");
        }
    }
}
