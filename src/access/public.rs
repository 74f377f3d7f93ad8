//! Who a resource policy lets in: the statements that open a resource, VPC endpoint or role to
//! any caller, and the conditions that narrow the caller back down. Shared by the
//! `public-principal` rule and `mlpolicy check no-public-access`.

use crate::model::operator::{Family, Qualifier};
use crate::model::{Condition, Statement, Str, arn};
use crate::span::Span;
use compact_str::CompactString;

/// Global condition keys that restrict who the caller is or where the call comes from.
const NARROWING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:vpcsourceip",
    "aws:userid",
    "aws:username",
    "kms:calleraccount",
];

/// The value that opens an `Allow` statement to everyone.
#[derive(Debug, Clone, Copy)]
pub enum Opening<'p> {
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    Anyone(&'p Str<'p>),
    /// `NotPrincipal`: everyone but the listed principals.
    AllBut { key_span: Span, pointer: &'p str },
}

impl Opening<'_> {
    pub fn span(&self) -> Span {
        match self {
            Self::Anyone(s) => s.span,
            Self::AllBut { key_span, .. } => *key_span,
        }
    }

    pub fn pointer(&self) -> CompactString {
        match self {
            Self::Anyone(s) => s.pointer.text(),
            Self::AllBut { pointer, .. } => (*pointer).into(),
        }
    }
}

/// What opens an `Allow` statement to any principal when no condition narrows the caller.
pub fn opening<'a>(st: &'a Statement<'a>) -> Option<Opening<'a>> {
    if !st.is_allow() || st.conditions.iter().any(narrows_caller) {
        return None;
    }
    let principal = st.principal.as_ref()?;
    if principal.not {
        return Some(Opening::AllBut {
            key_span: principal.key_span,
            pointer: &principal.pointer,
        });
    }
    principal.anyone().map(Opening::Anyone)
}

/// A positive test of a caller-identifying key, with values that really narrow. `IfExists`
/// forms do not count (an anonymous caller has no org id, so the test is skipped), nor do
/// values that match anyone: `*`, `0.0.0.0/0`, an ARN with a wildcard account.
pub fn narrows_caller(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    // `ForAllValues` is true when the key is absent, as it is for an anonymous caller.
    if op.negated
        || op.if_exists
        || op.qualifier == Some(Qualifier::ForAllValues)
        || op.family == Family::Null
        || !is_narrowing_key(c.key.value)
    {
        return false;
    }
    if op.family == Family::Bool {
        return c.values.iter().any(|v| v.value == "true");
    }
    !c.values.is_empty() && c.values.iter().all(|v| narrows(v.value))
}

/// The mirror image, for a `Deny`: a negated test of a caller-identifying key
/// (`StringNotEquals aws:PrincipalOrgID`) fires for every caller outside the named ones, and
/// also when the key is absent, so a `Deny` made only of such tests shuts out everyone else.
/// `IfExists` forms and set qualifiers do not: they let callers without the key through.
pub fn excludes_others(c: &Condition) -> bool {
    let Some(op) = c.op else { return false };
    op.negated
        && !op.if_exists
        && op.qualifier.is_none()
        && matches!(op.family, Family::String | Family::Arn | Family::Ip)
        && is_narrowing_key(c.key.value)
        && !c.values.is_empty()
        && c.values.iter().all(|v| narrows(v.value))
}

fn is_narrowing_key(key: &str) -> bool {
    NARROWING_KEYS.contains(&key.to_ascii_lowercase().as_str())
}

/// Does a condition value name someone in particular? `*`, `0.0.0.0/0` and ARNs with a
/// wildcard account match anyone.
pub fn narrows(value: &str) -> bool {
    if arn::is_all_stars(value) || matches!(value, "0.0.0.0/0" | "::/0") {
        return false;
    }
    match arn::split(value) {
        // S3 bucket ARNs carry no account; then the resource itself must be named.
        Some(a) if a.account.is_empty() => !arn::is_all_stars(a.resource),
        Some(a) => !arn::is_all_stars(a.account),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::narrows;

    #[test]
    fn values_that_match_anyone_do_not_narrow() {
        assert!(narrows("o-a1b2c3d4e5"));
        assert!(narrows("arn:aws:iam::111122223333:role/ml-*"));
        assert!(!narrows("arn:aws:iam::*:role/*"));
        assert!(!narrows("0.0.0.0/0"));
        assert!(!narrows("*"));
        assert!(narrows("10.0.0.0/8"));
        assert!(narrows("arn:aws:s3:::ml-data"));
        assert!(!narrows("arn:aws:s3:::*"));
    }
}
