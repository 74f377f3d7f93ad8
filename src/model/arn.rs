//! ARN structure: `arn:partition:service:region:account:resource`.

/// The partitions AWS has today.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the fifth colon; it may contain more colons.
    pub resource: &'a str,
}

/// Splits an ARN into its six fields, or `None` if it has fewer than six.
pub fn split(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    let prefix = parts.next()?;
    if prefix != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

pub fn is_all_stars(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c == '*')
}

/// True when a Resource value matches every resource: `*`, or an ARN whose service and
/// everything after it are wildcards (`arn:aws:*:*:*:*`, `arn:*`).
pub fn matches_everything(s: &str) -> bool {
    if is_all_stars(s) {
        return true;
    }
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() >= 3
        && parts[0] == "arn"
        && (is_all_stars(parts[1]) || PARTITIONS.contains(&parts[1]))
        && parts[2..].iter().all(|p| is_all_stars(p))
        || (parts.len() == 2 && parts[0] == "arn" && is_all_stars(parts[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_six_fields_and_keeps_colons_in_the_resource() {
        let arn = split("arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*").expect("arn");
        assert_eq!(arn.service, "logs");
        assert_eq!(arn.resource, "log-group:/aws/x:*");
        assert_eq!(split("arn:aws:s3:::b").expect("arn").resource, "b");
        assert!(split("arn:aws:s3").is_none());
    }

    #[test]
    fn everything_patterns() {
        for s in ["*", "**", "arn:*", "arn:aws:*", "arn:aws:*:*:*:*", "arn:*:*:*:*:*"] {
            assert!(matches_everything(s), "{s}");
        }
        for s in ["arn:aws:s3:::*", "arn:aws:*:*:*:role/x", "arn:aws:iam::*:*"] {
            assert!(!matches_everything(s), "{s}");
        }
    }
}
