//! Comparing what two statements reach: resource sets, principals and conditions. Every answer
//! errs on the side of "not covered", so a check built on them may report too much but never
//! passes what it should not.

use crate::model::arn_match::patterns_intersect;
use crate::model::cover::covers;
use crate::model::operator::Family;
use crate::model::{Condition, Element, Principal, Statement, arn};

/// The resources a statement names: listed patterns, or everything but some (`NotResource`).
#[derive(Debug, Clone)]
pub enum Set<'a> {
    Listed(Vec<&'a str>),
    AllBut(Vec<&'a str>),
}

impl<'a> Set<'a> {
    pub fn of(element: &'a Element<'a>) -> Self {
        let items = element.items.iter().map(|i| i.value).collect();
        if element.not {
            Self::AllBut(items)
        } else {
            Self::Listed(items)
        }
    }

    /// The set as far as `action` is concerned: values that cannot name a resource the action
    /// acts on (`domain/*` beside `sagemaker:DescribeAction`) neither grant it anything nor,
    /// in `NotResource`, keep anything from it.
    pub fn for_action(&self, action: &str) -> Self {
        let keep = |items: &[&'a str]| {
            items
                .iter()
                .copied()
                .filter(|v| crate::access::admits(action, v))
                .collect()
        };
        match self {
            Self::Listed(items) => Self::Listed(keep(items)),
            Self::AllBut(items) => Self::AllBut(keep(items)),
        }
    }

    /// Does this set hold every resource of `other`?
    pub fn covers(&self, other: &Set<'_>) -> bool {
        match (self, other) {
            (Self::Listed(outer), Set::Listed(inner)) => inner
                .iter()
                .all(|i| outer.iter().any(|o| covers(o, i, false))),
            (Self::Listed(outer), Set::AllBut(_)) => {
                outer.iter().any(|o| arn::matches_everything(o))
            }
            (Self::AllBut(excluded), Set::Listed(inner)) => inner
                .iter()
                .all(|i| !excluded.iter().any(|x| patterns_intersect(x, i))),
            // Everything but X holds everything but Y when X lies within Y.
            (Self::AllBut(x_outer), Set::AllBut(x_inner)) => x_outer
                .iter()
                .all(|x| x_inner.iter().any(|y| covers(y, x, false))),
        }
    }

    /// Could the two sets share a resource?
    pub fn may_intersect(&self, other: &Set<'_>) -> bool {
        match (self, other) {
            (Self::Listed(a), Set::Listed(b)) => {
                a.iter().any(|x| b.iter().any(|y| patterns_intersect(x, y)))
            }
            (Self::Listed(a), Set::AllBut(x)) => listed_outside(a, x),
            (Self::AllBut(x), Set::Listed(a)) => listed_outside(a, x),
            (Self::AllBut(_), Set::AllBut(_)) => true,
        }
    }
}

/// Could some listed pattern name a resource outside every excluded one?
fn listed_outside(listed: &[&str], excluded: &[&str]) -> bool {
    listed
        .iter()
        .any(|i| !excluded.iter().any(|e| covers(e, i, false)))
}

/// Does `outer` name every principal `inner` names? No `Principal` (an identity policy) is
/// comparable only with no `Principal`.
pub fn principal_covers(outer: Option<&Principal>, inner: Option<&Principal>) -> bool {
    let (o, i) = match (outer, inner) {
        (None, None) => return true,
        (Some(o), Some(i)) => (o, i),
        _ => return false,
    };
    if o.not || i.not {
        // Everything but O holds everything but I when O's exclusions are among I's.
        return o.not
            && i.not
            && principal_values(o)
                .all(|(kind, v)| principal_values(i).any(|(k, w)| k == kind && w == v));
    }
    // `"Principal": "*"` is everyone; `{"AWS": "*"}` covers the `AWS` values below.
    if o.wildcard.is_some() {
        return true;
    }
    if i.wildcard.is_some() {
        return false;
    }
    principal_values(i).all(|(kind, v)| {
        principal_values(o).any(|(k, w)| {
            k.eq_ignore_ascii_case(kind) && (covers(w, v, false) || account_holds(w, v))
        })
    })
}

fn principal_values<'a>(p: &'a Principal<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    p.wildcard.iter().map(|w| ("*", w.value)).chain(
        p.entries
            .iter()
            .flat_map(|e| e.values.iter().map(|v| (e.kind.value, v.value))),
    )
}

/// Is `inner` a principal of the account `outer` names (`111122223333` or its `:root` ARN)?
fn account_holds(outer: &str, inner: &str) -> bool {
    let Some(account) = account_of_root(outer) else {
        return false;
    };
    let inner_account = match arn::split(inner) {
        Some(a) => a.account,
        None => inner,
    };
    inner_account == account && !account.contains(['*', '?', '$'])
}

fn account_of_root(value: &str) -> Option<&str> {
    if is_account_id(value) {
        return Some(value);
    }
    let a = arn::split(value)?;
    (a.service == "iam" && a.resource == "root" && is_account_id(a.account)).then_some(a.account)
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whenever the conditions of `specific` hold, do those of `general` hold too? Each condition
/// of `general` must be matched in `specific` by the same operator and key with values at
/// least as narrow: fewer for a positive test, more for a negated one, the same for numbers,
/// dates, booleans and `Null`. A `Condition` that did not lower is matched by nothing.
pub fn conditions_implied(general: &Statement, specific: &Statement) -> bool {
    if general.conditions.is_empty() {
        return general.condition_span.is_none();
    }
    general
        .conditions
        .iter()
        .all(|g| specific.conditions.iter().any(|s| narrower(s, g)))
}

/// The keys of `general` that `specific` does not match as narrowly.
pub fn unmatched_keys<'s>(general: &'s Statement<'s>, specific: &Statement) -> Vec<&'s str> {
    general
        .conditions
        .iter()
        .filter(|g| !specific.conditions.iter().any(|s| narrower(s, g)))
        .map(|g| g.key.value)
        .collect()
}

fn narrower(s: &Condition, g: &Condition) -> bool {
    if s.operator.value != g.operator.value || !s.key.value.eq_ignore_ascii_case(g.key.value) {
        return false;
    }
    let within = |a: &Condition, b: &Condition| {
        a.values
            .iter()
            .all(|v| b.values.iter().any(|w| w.value == v.value))
    };
    let Some(op) = s.op else {
        return within(s, g) && within(g, s);
    };
    match op.family {
        Family::String | Family::Arn | Family::Ip if op.negated => within(g, s),
        Family::String | Family::Arn | Family::Ip => within(s, g),
        _ => within(s, g) && within(g, s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lower_plain;
    use crate::parse::json::{Value, parse};

    fn with_statements(text: &str, f: impl FnOnce(&[Statement])) {
        let root: Value = parse(text).expect("valid JSON");
        let policy = lower_plain(&root);
        f(&policy.statements);
    }

    #[test]
    fn conditions_narrow_by_operator_and_values() {
        let p = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}},
            {"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"StringEquals":{"aws:sourcevpce":"vpce-1"},"Bool":{"aws:SecureTransport":"true"}}},
            {"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}},
            {"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}},
            {"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        with_statements(p, |s| {
            assert!(
                conditions_implied(&s[0], &s[1]),
                "fewer values, one more key"
            );
            assert!(!conditions_implied(&s[1], &s[0]));
            assert!(conditions_implied(&s[2], &s[3]), "negated: more values");
            assert!(!conditions_implied(&s[3], &s[2]));
            assert!(conditions_implied(&s[4], &s[0]), "no conditions");
            assert!(!conditions_implied(&s[0], &s[4]));
            assert_eq!(unmatched_keys(&s[0], &s[4]), ["aws:SourceVpce"]);
        });
    }

    #[test]
    fn principals_and_accounts() {
        let p = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ml"},"Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ml"},"Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"},
            {"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"s3:*","Resource":"*"}]}"#;
        with_statements(p, |s| {
            let pr = |i: usize| s[i].principal.as_ref();
            assert!(principal_covers(pr(0), pr(1)));
            assert!(!principal_covers(pr(0), pr(2)));
            assert!(!principal_covers(pr(1), pr(0)));
            assert!(principal_covers(pr(3), pr(4)));
            assert!(!principal_covers(pr(4), pr(3)));
            assert!(!principal_covers(None, pr(1)));
            assert!(principal_covers(None, None));
        });
    }

    #[test]
    fn resource_sets() {
        let all_but = Set::AllBut(vec!["arn:aws:s3:::secret/*"]);
        assert!(all_but.covers(&Set::Listed(vec!["arn:aws:s3:::public/*"])));
        assert!(!all_but.covers(&Set::Listed(vec!["arn:aws:s3:::*"])));
        assert!(all_but.covers(&Set::AllBut(vec!["arn:aws:s3:::secret*"])));
        assert!(!all_but.covers(&Set::AllBut(vec!["arn:aws:s3:::secret/x"])));
        assert!(Set::Listed(vec!["*"]).covers(&all_but));
        assert!(!all_but.may_intersect(&Set::Listed(vec!["arn:aws:s3:::secret/x"])));
        assert!(all_but.may_intersect(&Set::Listed(vec!["arn:aws:s3:::*"])));
    }
}
