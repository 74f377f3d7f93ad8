//! Condition operators: every base operator IAM knows, with `IfExists` and the
//! `ForAllValues:` / `ForAnyValue:` set qualifiers.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: &'static str,
    pub family: Family,
    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`...: the condition holds when the value
    /// does *not* match, so it can never tie a resource to its caller.
    pub negated: bool,
    pub if_exists: bool,
    pub qualifier: Option<Qualifier>,
}

const BASES: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::String, false),
    ("StringNotEquals", Family::String, true),
    ("StringEqualsIgnoreCase", Family::String, false),
    ("StringNotEqualsIgnoreCase", Family::String, true),
    ("StringLike", Family::String, false),
    ("StringNotLike", Family::String, true),
    ("NumericEquals", Family::Numeric, false),
    ("NumericNotEquals", Family::Numeric, true),
    ("NumericLessThan", Family::Numeric, false),
    ("NumericLessThanEquals", Family::Numeric, false),
    ("NumericGreaterThan", Family::Numeric, false),
    ("NumericGreaterThanEquals", Family::Numeric, false),
    ("DateEquals", Family::Date, false),
    ("DateNotEquals", Family::Date, true),
    ("DateLessThan", Family::Date, false),
    ("DateLessThanEquals", Family::Date, false),
    ("DateGreaterThan", Family::Date, false),
    ("DateGreaterThanEquals", Family::Date, false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::Binary, false),
    ("IpAddress", Family::Ip, false),
    ("NotIpAddress", Family::Ip, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Null", Family::Null, false),
];

/// Parses an operator name. IAM matches operator names without regard to case, so a
/// lower-case `stringequals` is accepted here too.
pub fn parse(name: &str) -> Result<Operator, String> {
    let (qualifier, rest) = if let Some(rest) = strip_prefix_ci(name, "ForAllValues:") {
        (Some(Qualifier::ForAllValues), rest)
    } else if let Some(rest) = strip_prefix_ci(name, "ForAnyValue:") {
        (Some(Qualifier::ForAnyValue), rest)
    } else {
        (None, name)
    };
    let (if_exists, base_name) = match strip_suffix_ci(rest, "IfExists") {
        Some(base) => (true, base),
        None => (false, rest),
    };
    let Some(&(base, family, negated)) = BASES
        .iter()
        .find(|(b, ..)| b.eq_ignore_ascii_case(base_name))
    else {
        return Err(match suggest(base_name) {
            Some(s) => format!("unknown condition operator `{name}`; did you mean `{s}`?"),
            None => format!("unknown condition operator `{name}`"),
        });
    };
    if family == Family::Null && if_exists {
        return Err(format!(
            "`{name}`: `Null` has no `IfExists` form; `Null` already tests whether the key exists"
        ));
    }
    Ok(Operator {
        base,
        family,
        negated,
        if_exists,
        qualifier,
    })
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    (tail.eq_ignore_ascii_case(suffix) && cut > 0).then(|| &s[..cut])
}

/// The closest known base operator, for typos such as `StringEqual` or `ArnLke`.
fn suggest(name: &str) -> Option<&'static str> {
    BASES
        .iter()
        .map(|(b, ..)| {
            (
                crate::text::edit_distance(&name.to_lowercase(), &b.to_lowercase()),
                *b,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_qualifiers_and_if_exists() {
        let op = parse("ForAnyValue:StringNotLikeIfExists").expect("valid");
        assert_eq!(op.base, "StringNotLike");
        assert!(op.negated && op.if_exists);
        assert_eq!(op.qualifier, Some(Qualifier::ForAnyValue));
        assert_eq!(parse("ArnLike").expect("valid").family, Family::Arn);
        assert!(parse("Null").is_ok());
    }

    #[test]
    fn rejects_unknown_operators_with_a_suggestion() {
        let err = parse("StringEqual").expect_err("unknown");
        assert!(err.contains("did you mean `StringEquals`"), "{err}");
        assert!(parse("NullIfExists").is_err());
        assert!(parse("ForSomeValues:StringEquals").is_err());
        assert!(parse("IfExists").is_err());
    }
}
