use super::catalog_lookup::{KeyLookup, lookup_key};
use super::declare_rule;
use crate::catalog::KeyType;
use crate::finding::{Finding, Severity};
use crate::model::operator::{Family, Operator, Qualifier};
use crate::model::{Condition, Policy, Str, glob};

declare_rule!(
    ConditionTypeMismatch,
    id: "condition-type-mismatch",
    severity: Error,
    security_severity: "6.0",
    tags: ["correctness", "catalog"],
    summary: "a condition operator does not fit its key's type, or a value cannot be read as that type",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        for c in &st.conditions {
            let Some(op) = c.op else { continue };
            // AWS documents `aws:EpochTime` as both Date and Numeric.
            let key_type = match lookup_key(c.key.value) {
                _ if c.key.value.eq_ignore_ascii_case("aws:EpochTime")
                    && op.family == Family::Numeric =>
                {
                    Some(KeyType::Numeric)
                }
                KeyLookup::Known(t) => Some(t),
                _ => None,
            };
            for (span, pointer, severity, message) in problems(c, op, key_type) {
                out.push(
                    Finding::new(ID, severity, span, pointer, message)
                        .help(help(op, key_type))
                        .in_statement(st.index, st.sid()),
                );
            }
        }
    }
}

type Problem = (crate::span::Span, crate::model::Pointer, Severity, String);

fn problems(c: &Condition, op: Operator, key_type: Option<KeyType>) -> Vec<Problem> {
    let key = &c.key.value;
    let at_key = |severity, message| (c.key.span, c.key.pointer.clone(), severity, message);
    let at_value = |v: &Str, severity, message| (v.span, v.pointer.clone(), severity, message);
    let mut out = Vec::new();
    if op.family == Family::Null {
        for v in &c.values {
            if !v.value.eq_ignore_ascii_case("true") && !v.value.eq_ignore_ascii_case("false") {
                out.push(at_value(
                    v,
                    Severity::Error,
                    format!("`Null` takes `true` or `false`, found `{}`", v.value),
                ));
            }
        }
        return out;
    }
    if let Some(t) = key_type {
        if !fits(op.family, t.base()) {
            // A string operator still compares the text (`"true"`, `"3600"`), so it works
            // by accident; other operators cannot read a value of the wrong type at all.
            let severity = if op.family == Family::String {
                Severity::Warning
            } else {
                Severity::Error
            };
            out.push(at_key(
                severity,
                format!(
                    "`{}` compares {} values, but `{key}` is of type {}",
                    c.operator.value,
                    family_name(op.family),
                    t.as_str()
                ),
            ));
            return out;
        }
        // `ForAnyValue` on a single value behaves like the plain operator; `ForAllValues`
        // is also true when the key is absent, which in an Allow is a hole.
        if op.qualifier == Some(Qualifier::ForAllValues) && !t.is_array() {
            out.push(at_key(
                Severity::Warning,
                format!("`ForAllValues:` on `{key}`, a single-valued key: it also matches requests without the key; use the operator without the set qualifier"),
            ));
        }
    }
    for v in &c.values {
        // A policy variable's value is known only at request time; `${*}` and `${?}` are
        // the escapes for literal `*` and `?`.
        let literal = without_variables(v.value);
        if crate::text::has_reference(v.value) {
            // Only the text around variables can be judged.
        } else if let Some(message) = bad_value(op, v.value) {
            out.push(at_value(v, Severity::Error, message));
            continue;
        }
        // The wildcard first: few values hold one, and it costs less to ask.
        if op.family == Family::String && glob::has_wildcard(&literal) && !op.base.contains("Like")
        {
            out.push(at_value(
                v,
                Severity::Warning,
                format!(
                    "`{}` compares `{}` literally; wildcards work only with `StringLike`",
                    c.operator.value, v.value
                ),
            ));
        }
    }
    out
}

/// Operator families and the key types they can compare. String operators also work on ARN
/// keys (IAM compares the text), so only truly different types are flagged.
fn fits(family: Family, base: KeyType) -> bool {
    match family {
        Family::String => matches!(base, KeyType::String | KeyType::Arn),
        Family::Arn => matches!(base, KeyType::Arn | KeyType::String),
        Family::Numeric => base == KeyType::Numeric,
        Family::Date => base == KeyType::Date,
        Family::Bool => base == KeyType::Bool,
        Family::Ip => base == KeyType::IpAddress,
        Family::Binary => base == KeyType::Binary,
        Family::Null => true,
    }
}

fn family_name(f: Family) -> &'static str {
    match f {
        Family::String => "string",
        Family::Numeric => "numeric",
        Family::Date => "date",
        Family::Bool => "boolean",
        Family::Binary => "binary",
        Family::Ip => "IP address",
        Family::Arn => "ARN",
        Family::Null => "null",
    }
}

fn without_variables(value: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every value holds no variable: lend it rather than copy it.
    if !crate::text::has_reference(value) {
        return value.into();
    }
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// A decimal number as IAM reads it: digits, an optional sign, point and exponent (no `NaN`
/// or `inf`, which Rust's float parser would accept).
fn is_number(v: &str) -> bool {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && v.parse::<f64>().is_ok_and(f64::is_finite)
}

fn bad_value(op: Operator, value: &str) -> Option<String> {
    let ok = match op.family {
        Family::Numeric => is_number(value),
        Family::Date => is_date(value),
        Family::Bool => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        Family::Ip => is_cidr(value),
        Family::Binary => is_base64(value),
        _ => true,
    };
    (!ok).then(|| {
        format!(
            "`{value}` is not a valid {} value for `{}`",
            family_name(op.family),
            op.base
        )
    })
}

/// ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, with offset or fraction) or epoch seconds.
fn is_date(v: &str) -> bool {
    if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if !date {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    let t = b[10] == b'T' && b.len() >= 16 && digits(11..13) && b[13] == b':' && digits(14..16);
    t && v[16..]
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | '+' | '-'))
}

fn is_cidr(v: &str) -> bool {
    let (addr, bits) = match v.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let max = if addr.parse::<std::net::Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    bits.is_none_or(|b| b.parse::<u8>().is_ok_and(|n| n <= max))
}

fn is_base64(v: &str) -> bool {
    !v.is_empty()
        && v.len().is_multiple_of(4)
        && v.trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
}

fn help(op: Operator, key_type: Option<KeyType>) -> String {
    match key_type.map(KeyType::base) {
        Some(KeyType::Numeric) => "use a `Numeric*` operator with a number".into(),
        Some(KeyType::Date) => "use a `Date*` operator with an ISO 8601 date".into(),
        Some(KeyType::Bool) => "use `Bool` with `true` or `false`".into(),
        Some(KeyType::IpAddress) => {
            "use `IpAddress` / `NotIpAddress` with a CIDR such as `10.0.0.0/16`".into()
        }
        Some(KeyType::Arn) => "use an `Arn*` or `String*` operator".into(),
        _ if op.family == Family::String => {
            "use `StringLike` for wildcards, or the operator family of the key's type".into()
        }
        _ => "match the operator family to the key's type and write values of that type".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_parsers() {
        assert!(is_date("2026-01-31") && is_date("2026-01-31T12:00:00Z") && is_date("1700000000"));
        assert!(!is_date("31/01/2026") && !is_date("yesterday"));
        assert!(is_cidr("10.0.0.0/8") && is_cidr("192.0.2.1") && is_cidr("2001:db8::/32"));
        assert!(!is_cidr("10.0.0.0/33") && !is_cidr("10.0.0"));
        assert!(is_base64("QmFzZTY0") && !is_base64("not base64!"));
        assert!(is_number("1.2") && is_number("-3") && is_number("1e3"));
        assert!(!is_number("NaN") && !is_number("inf") && !is_number(""));
        assert_eq!(
            without_variables("arn:aws:iam::1:role/${aws:username}-*"),
            "arn:aws:iam::1:role/-*"
        );
    }
}
