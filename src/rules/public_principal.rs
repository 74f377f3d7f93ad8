use super::declare_rule;
use crate::access::public::narrows_caller;
use crate::finding::{Finding, Severity};
use crate::model::{Condition, Policy, PolicyKind, Statement, Str, arn};

declare_rule!(
    PublicPrincipal,
    id: "public-principal",
    severity: Error,
    security_severity: "9.0",
    tags: ["security", "public-access"],
    summary: "a resource, VPC endpoint or trust policy allows any principal with no condition narrowing the caller",
    options: public_principal,
);

/// The zone of trust from `[rules.public-principal]`: the accounts and organizations whose
/// principals are not outsiders. Both empty (the default): the rule cannot tell an outsider
/// from a colleague, so any named account or organization counts as narrowing the caller.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// 12-digit account ids.
    pub trusted_accounts: Vec<String>,
    /// Organization ids (`o-a1b2c3d4e5`).
    pub trusted_org_ids: Vec<String>,
}

/// What a narrowing condition says about the callers it lets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Only trusted accounts or organizations.
    Trusted,
    /// At least one account or organization outside the zone of trust; the value names it.
    Outside(usize),
    /// Not an account or organization key (a VPC, an IP range), a value the policy does not
    /// spell out (`${...}`, a wildcard), or no zone of trust configured.
    Unknown,
}

fn check(policy: &Policy<'_>, trust: &Options, out: &mut Vec<Finding>) {
    // Most policies name no principal: the kind is not worth working out for them.
    if !policy
        .statements
        .iter()
        .any(|s| s.is_allow() && s.principal.is_some())
    {
        return;
    }
    let kind = policy.kind().refine(&policy.statements);
    // A VPC endpoint policy only sees traffic that already came through the endpoint, so
    // "anyone" there means any credentials used inside the network: serious, not public.
    let severity = if kind == PolicyKind::VpcEndpoint {
        Severity::Warning
    } else {
        Severity::Error
    };
    let kind = kind.describe();
    for st in policy.statements.iter().filter(|s| s.is_allow()) {
        let Some(principal) = &st.principal else {
            continue;
        };
        let verdicts: Vec<(&Condition, Verdict)> = st
            .conditions
            .iter()
            .filter(|c| narrows_caller(c))
            .map(|c| (c, trust.judge(c)))
            .collect();
        let confined = verdicts.iter().any(|(_, v)| *v == Verdict::Trusted);
        if !confined {
            out.extend(outside_accounts(st, trust, kind));
        }
        let (span, pointer, opening) = if principal.not {
            (
                principal.key_span,
                principal.pointer.clone(),
                "`Allow` with `NotPrincipal`",
            )
        } else if let Some(any) = principal.anyone() {
            (any.span, any.pointer.text(), "`Principal` `*`")
        } else {
            continue;
        };
        let finding = if verdicts.is_empty() {
            let message = if principal.not {
                format!("{opening} opens {kind} to every principal except those listed")
            } else {
                format!("{opening} opens {kind} to anyone, with no condition narrowing the caller")
            };
            Finding::new(ID, severity, span, pointer, message).help(
                "add a condition that names who may call, e.g. \
                 `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-xxxxxxxxxx\"}` or \
                 `\"aws:SourceVpce\"`, or list the principals' ARNs instead of `*`",
            )
        } else if let Some(value) = only_outsiders(&verdicts) {
            Finding::new(
                ID,
                Severity::Warning,
                span,
                pointer,
                format!(
                    "{opening} opens {kind} to `{}`, outside the trusted accounts and organizations",
                    value.value
                ),
            )
            .label(value.span, "not in the zone of trust")
            .help(
                "narrow the caller to a trusted account or organization, or add this one to \
                 `trusted-accounts` / `trusted-org-ids` under `[rules.public-principal]` in \
                 mlpolicy.toml",
            )
        } else {
            continue;
        };
        out.push(finding.in_statement(st.index, st.sid()));
    }
}

/// The first value naming an outsider, when every narrowing condition names only outsiders.
fn only_outsiders<'c>(verdicts: &[(&'c Condition<'c>, Verdict)]) -> Option<&'c Str<'c>> {
    let mut first = None;
    for (c, v) in verdicts {
        let Verdict::Outside(at) = *v else {
            return None;
        };
        first.get_or_insert(&c.values[at]);
    }
    first
}

/// Named AWS principals from accounts outside the zone of trust (only when one is configured).
fn outside_accounts(st: &Statement, trust: &Options, kind: &str) -> Vec<Finding> {
    let Some(principal) = &st.principal else {
        return Vec::new();
    };
    if trust.trusted_accounts.is_empty() || principal.not {
        return Vec::new();
    }
    principal
        .entries
        .iter()
        .filter(|e| e.kind.value == "AWS")
        .flat_map(|e| &e.values)
        .filter_map(|v: &Str| {
            let account = account_of(v.value)?;
            if trust.trusted_accounts.iter().any(|t| t == account) {
                return None;
            }
            Some(
                Finding::new(
                    ID,
                    Severity::Warning,
                    v.span,
                    v.pointer.clone(),
                    format!(
                        "`{}` opens {kind} to account `{account}`, outside the trusted accounts",
                        v.value
                    ),
                )
                .help(
                    "name a principal of a trusted account, or add this account to \
                     `trusted-accounts` under `[rules.public-principal]` in mlpolicy.toml",
                )
                .in_statement(st.index, st.sid()),
            )
        })
        .collect()
}

/// The literal 12-digit account of an AWS principal (`111122223333`, an IAM or STS ARN).
fn account_of(value: &str) -> Option<&str> {
    let account = match arn::split(value) {
        Some(a) => a.account,
        None => value,
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Where a caller-identifying key keeps the account or organization it tests.
#[derive(Clone, Copy)]
enum Holds {
    Account,
    /// The account field of an ARN.
    ArnAccount,
    Org,
    /// The first segment of an organization path (`o-a1b2c3d4e5/r-ab12/ou-...`).
    OrgPath,
}

impl Holds {
    fn of(key: &str) -> Option<Self> {
        match key {
            "aws:principalaccount"
            | "aws:sourceaccount"
            | "aws:sourceowner"
            | "kms:calleraccount" => Some(Self::Account),
            "aws:principalarn" | "aws:sourcearn" => Some(Self::ArnAccount),
            "aws:principalorgid" | "aws:sourceorgid" => Some(Self::Org),
            "aws:principalorgpaths" | "aws:sourceorgpaths" => Some(Self::OrgPath),
            _ => None,
        }
    }

    /// The literal account or organization id in `value`, if it spells one out.
    fn id(self, value: &str) -> Option<&str> {
        let id = match self {
            Self::Account | Self::Org => value,
            Self::ArnAccount => arn::split(value)?.account,
            Self::OrgPath => value.split('/').next()?,
        };
        (!id.is_empty() && !id.contains(['*', '?', '$'])).then_some(id)
    }
}

impl Options {
    fn judge(&self, c: &Condition) -> Verdict {
        let Some(holds) = Holds::of(&c.key.value.to_ascii_lowercase()) else {
            return Verdict::Unknown;
        };
        let trusted = match holds {
            Holds::Account | Holds::ArnAccount => &self.trusted_accounts,
            Holds::Org | Holds::OrgPath => &self.trusted_org_ids,
        };
        if trusted.is_empty() {
            return Verdict::Unknown;
        }
        let mut verdict = Verdict::Trusted;
        for (i, v) in c.values.iter().enumerate() {
            match holds.id(v.value) {
                Some(id) if !trusted.iter().any(|t| t == id) => return Verdict::Outside(i),
                Some(_) => {}
                None => verdict = Verdict::Unknown,
            }
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::Options;
    use crate::finding::Finding;
    use crate::frontend::{Contents, Format, contents, parse};
    use crate::rules::RuleOptions;

    fn findings(policy: &str, trust: &Options) -> Vec<Finding> {
        let parsed = parse(Format::Json, policy).expect("valid JSON");
        let Contents::Documents(docs) = contents(&parsed, policy).0 else {
            panic!("a policy")
        };
        let (policy, _) = crate::engine::lower_document(&docs[0], "bucket-policy.json");
        let options = RuleOptions {
            public_principal: trust.clone(),
            ..RuleOptions::default()
        };
        let mut out = Vec::new();
        crate::rules::Rule::check(&super::PublicPrincipal, &policy, &options, &mut out);
        out
    }

    fn trust() -> Options {
        Options {
            trusted_accounts: vec!["111122223333".to_string()],
            trusted_org_ids: vec!["o-a1b2c3d4e5".to_string()],
        }
    }

    const STAR_WITH: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"KEY": "VALUE"}}}]}"#;

    fn star_with(key: &str, value: &str) -> String {
        STAR_WITH.replace("KEY", key).replace("VALUE", value)
    }

    #[test]
    fn without_a_zone_of_trust_any_named_account_narrows() {
        let none = Options::default();
        assert!(findings(&star_with("aws:PrincipalAccount", "999988887777"), &none).is_empty());
        assert!(findings(&star_with("aws:PrincipalOrgID", "o-zzzzzzzzzz"), &none).is_empty());
    }

    #[test]
    fn conditions_naming_only_outsiders_do_not_confine_the_caller() {
        let out = findings(&star_with("aws:PrincipalAccount", "999988887777"), &trust());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].severity, crate::finding::Severity::Warning);
        assert!(
            out[0].message.contains("`999988887777`, outside"),
            "{}",
            out[0].message
        );
        let out = findings(
            &star_with(
                "aws:PrincipalOrgPaths",
                "o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/",
            ),
            &trust(),
        );
        assert_eq!(out.len(), 1, "{out:?}");
        let out = findings(
            &star_with("aws:SourceArn", "arn:aws:sns:us-east-1:999988887777:t"),
            &trust(),
        );
        assert_eq!(out.len(), 1, "{out:?}");
    }

    #[test]
    fn trusted_or_unjudged_conditions_confine_the_caller() {
        for (key, value) in [
            ("aws:PrincipalAccount", "111122223333"),
            ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
            ("aws:PrincipalArn", "arn:aws:iam::111122223333:role/ml-*"),
            ("aws:SourceVpce", "vpce-1a2b3c4d"),
            ("aws:PrincipalAccount", "${aws:ResourceAccount}"),
            ("aws:SourceArn", "arn:aws:s3:::ml-data"),
        ] {
            let out = findings(&star_with(key, value), &trust());
            assert!(out.is_empty(), "{key} = {value}: {out:?}");
        }
    }

    #[test]
    fn named_principals_from_untrusted_accounts_are_reported() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/ml", "999988887777", "arn:aws:iam::${AWS::AccountId}:root"], "Service": "sagemaker.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        let out = findings(policy, &trust());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].pointer, "/Statement/0/Principal/AWS/1");
        assert!(findings(policy, &Options::default()).is_empty());
        // An organization condition within the zone of trust confines even a named account.
        let confined = policy.replace(
            r#""Resource": "arn:aws:s3:::b/*""#,
            r#""Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
        );
        assert!(findings(&confined, &trust()).is_empty());
    }
}
