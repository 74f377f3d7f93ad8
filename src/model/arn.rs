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

/// Splits an ARN into its six fields, or `None` if it has fewer than six. Colons inside
/// `${...}` policy variables (`${aws:PrincipalAccount}`) do not separate fields.
pub fn split(s: &str) -> Option<Arn<'_>> {
    // Asked of every resource by several rules: the cuts live on the stack, text that is
    // not an ARN is turned away before the scan, and the scan stops at the fifth cut (what
    // follows is the resource, colons and all).
    if !s.starts_with("arn:") {
        return None;
    }
    let mut cuts = [0usize; 5];
    let mut found = 0;
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                cuts[found] = i;
                found += 1;
                if found == 5 {
                    break;
                }
            }
            _ => {}
        }
    }
    if found < 5 {
        return None;
    }
    Some(Arn {
        partition: &s[cuts[0] + 1..cuts[1]],
        service: &s[cuts[1] + 1..cuts[2]],
        region: &s[cuts[2] + 1..cuts[3]],
        account: &s[cuts[3] + 1..cuts[4]],
        resource: &s[cuts[4] + 1..],
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
    // Asked of every resource by several rules: no allocation.
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    // Bytes, not a char searcher: `*` and `:` are ASCII.
    let stars = |f: &[u8]| !f.is_empty() && f.iter().all(|&b| b == b'*');
    let mut fields = rest.as_bytes().split(|&b| b == b':');
    let partition = fields.next().unwrap_or(b"");
    let mut after = fields.peekable();
    if after.peek().is_none() {
        return stars(partition);
    }
    (stars(partition) || PARTITIONS.iter().any(|p| p.as_bytes() == partition)) && after.all(stars)
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-4`, `eusc-de-east-1`...
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Twelve digits, or an owner alias AWS uses for its own resources: `aws` in
/// `arn:aws:iam::aws:policy/...`, `partner` in AWS Marketplace partner boundaries.
pub fn is_account(s: &str) -> bool {
    (s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())) || matches!(s, "aws" | "partner")
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
        let arn = split("arn:aws:sm:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:x")
            .expect("arn");
        assert_eq!(arn.region, "${aws:RequestedRegion}");
        assert_eq!(arn.account, "${aws:PrincipalAccount}");
    }

    #[test]
    fn everything_patterns() {
        for s in [
            "*",
            "**",
            "arn:*",
            "arn:aws:*",
            "arn:aws:*:*:*:*",
            "arn:*:*:*:*:*",
        ] {
            assert!(matches_everything(s), "{s}");
        }
        for s in [
            "arn:aws:s3:::*",
            "arn:aws:*:*:*:role/x",
            "arn:aws:iam::*:*",
            "arn",
            "arn:",
            "arn:aws",
            "arn:aws:",
            "arn:foo:*",
            "",
        ] {
            assert!(!matches_everything(s), "{s}");
        }
    }
}
