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
    let cuts = fast_cuts(s.as_bytes()).or_else(|| nested_cuts(s.as_bytes()))?;
    Some(Arn {
        partition: &s[cuts[0] + 1..cuts[1]],
        service: &s[cuts[1] + 1..cuts[2]],
        region: &s[cuts[2] + 1..cuts[3]],
        account: &s[cuts[3] + 1..cuts[4]],
        resource: &s[cuts[4] + 1..],
    })
}

/// The five cuts, found sixteen bytes at a time, when no `{` comes before the fifth colon:
/// nearly every ARN. `None` when there are fewer, or a `{` may open a `${...}` whose colons
/// do not cut ([`nested_cuts`] answers those).
fn fast_cuts(bytes: &[u8]) -> Option<[usize; 5]> {
    let mut cuts = [0usize; 5];
    let mut found = 0;
    crate::text::blocks::scan(bytes, 0, |at, block, fresh| {
        let braces = block.eq(b'{') & fresh;
        let mut colons = block.eq(b':') & fresh;
        while colons != 0 {
            let i = colons.trailing_zeros();
            if braces & ((1 << i) - 1) != 0 {
                return Some(None);
            }
            cuts[found] = at + i as usize;
            found += 1;
            if found == 5 {
                return Some(Some(cuts));
            }
            colons &= colons - 1;
        }
        (braces != 0).then_some(None)
    })
    .flatten()
}

/// The five cuts a byte at a time, skipping the colons inside `${...}`.
fn nested_cuts(bytes: &[u8]) -> Option<[usize; 5]> {
    let mut cuts = [0usize; 5];
    let mut found = 0;
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                cuts[found] = i;
                found += 1;
                if found == 5 {
                    return Some(cuts);
                }
            }
            _ => {}
        }
    }
    None
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

    /// The fast scan gives the cuts the byte loop gives whenever it gives any, and leaves
    /// only values with a `{` before the fifth colon to it.
    #[test]
    fn fast_cuts_agree_with_the_byte_loop() {
        let base = "arn:aws:service-name:us-east-1:123456789012:type/name:more/x";
        for len in 0..=base.len() {
            for at in 0..len {
                for b in [b':', b'{', b'}', b'$', b'x'] {
                    let mut bytes = base.as_bytes()[..len].to_vec();
                    bytes[at] = b;
                    let fast = fast_cuts(&bytes);
                    let plain = nested_cuts(&bytes);
                    let brace_first = match plain {
                        Some(cuts) => bytes[..cuts[4]].contains(&b'{'),
                        None => bytes.contains(&b'{'),
                    };
                    if brace_first {
                        assert_eq!(fast, None, "{:?}", String::from_utf8_lossy(&bytes));
                    } else {
                        assert_eq!(fast, plain, "{:?}", String::from_utf8_lossy(&bytes));
                    }
                }
            }
        }
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
