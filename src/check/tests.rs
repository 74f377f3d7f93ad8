use super::access_not_granted::{self, Query};
use super::{Status, no_new_access, no_public_access};
use crate::load::{LoadedFile, load_bytes};

fn file(name: &str, text: &str) -> LoadedFile {
    load_bytes(name.to_string(), text.as_bytes().to_vec(), true)
        .expect("parses")
        .expect("a policy")
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

/// (status, actions, resources) of each result of access-not-granted.
fn asked(statements: &str, actions: &[&str], resources: &[&str]) -> Vec<(Status, String)> {
    let cat = crate::catalog::catalog();
    let query = Query {
        actions: actions.iter().flat_map(|a| cat.expand(a)).collect(),
        resources: resources.iter().map(|r| r.to_string()).collect(),
    };
    let outcome = access_not_granted::run(&[file("p.json", &policy(statements))], &query);
    outcome
        .hits
        .iter()
        .map(|h| {
            (
                h.status,
                format!("{} on {}", h.actions.join(","), h.resources.join(",")),
            )
        })
        .collect()
}

#[test]
fn access_follows_resources_types_and_denies() {
    // A bucket action on object ARNs grants nothing.
    let objects = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}"#;
    assert!(asked(objects, &["s3:DeleteBucket"], &[]).is_empty());
    assert_eq!(asked(objects, &["s3:DeleteObject"], &[]).len(), 1);
    // NotResource: a query inside the exclusion is not reached, one outside is.
    let not_resource =
        r#"{"Effect": "Allow", "Action": "s3:DeleteBucket", "NotResource": "arn:aws:s3:::prod-*"}"#;
    assert!(
        asked(
            not_resource,
            &["s3:DeleteBucket"],
            &["arn:aws:s3:::prod-data"]
        )
        .is_empty()
    );
    assert_eq!(
        asked(
            not_resource,
            &["s3:DeleteBucket"],
            &["arn:aws:s3:::dev-data"]
        ),
        [(
            Status::Allowed,
            "s3:DeleteBucket on arn:aws:s3:::prod-*".to_string()
        )]
    );
    // A template value is unknown: it may be the queried bucket.
    let templated =
        r#"{"Effect": "Allow", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::${Bucket}"}"#;
    assert_eq!(
        asked(templated, &["s3:DeleteBucket"], &["arn:aws:s3:::prod-data"]).len(),
        1
    );
    // A Deny for one principal removes nothing; one for everyone does.
    let resource_policy = r#"
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::b"},
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/x"}, "Action": "s3:*", "Resource": "*"}"#;
    assert_eq!(asked(resource_policy, &["s3:DeleteBucket"], &[]).len(), 1);
    let denied = format!(
        r#"{resource_policy}, {{"Effect": "Deny", "Principal": "*", "Action": "s3:Delete*", "Resource": "*"}}"#
    );
    assert!(asked(&denied, &["s3:DeleteBucket"], &[]).is_empty());
    // A trust policy has no Resource: it grants on its role.
    let trust = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}"#;
    assert_eq!(
        asked(
            trust,
            &["sts:AssumeRole"],
            &["arn:aws:iam::111122223333:role/ml"]
        ),
        [(Status::Allowed, "sts:AssumeRole on ".to_string())]
    );
}

#[test]
fn conditions_make_access_unknown() {
    let p = r#"
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}"#;
    assert_eq!(asked(p, &["s3:GetObject"], &[])[0].0, Status::Unknown);
    // The conditional deny does not reach the queried bucket: plainly allowed.
    assert_eq!(
        asked(p, &["s3:GetObject"], &["arn:aws:s3:::public/x"])[0].0,
        Status::Allowed
    );
}

fn compared(old: &str, new: &str) -> Vec<(Status, String)> {
    let outcome = no_new_access::run(
        &[file("old.json", &policy(old))],
        &[file("new.json", &policy(new))],
        "old.json",
    );
    outcome
        .hits
        .iter()
        .map(|h| (h.status, h.finding.message.clone()))
        .collect()
}

#[test]
fn new_principals_conditions_and_denies_are_new_access() {
    let old = r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let role_in_account = old.replace("111122223333", "arn:aws:iam::111122223333:role/ml");
    assert!(compared(old, &role_in_account).is_empty());
    let other_account = old.replace("111122223333", "444455556666");
    assert_eq!(compared(old, &other_account)[0].0, Status::New);

    let vpce = |id: &str| {
        format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                "Condition": {{"StringEquals": {{"aws:SourceVpce": "{id}"}}}}}}"#
        )
    };
    assert!(compared(&vpce("vpce-1"), &vpce("vpce-1")).is_empty());
    let changed = compared(&vpce("vpce-1"), &vpce("vpce-2"));
    assert_eq!(changed[0].0, Status::Unknown, "{changed:?}");
    assert!(changed[0].1.contains("cannot be decided offline"));

    let allow = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}"#;
    let mfa_deny = r#"{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#;
    let with_deny = format!("{allow}, {mfa_deny}");
    assert!(compared(&with_deny, &with_deny).is_empty());
    let dropped = compared(&with_deny, allow);
    assert_eq!(dropped.len(), 1, "{dropped:?}");
    assert!(
        dropped[0]
            .1
            .contains("denies when conditions hold (`aws:MultiFactorAuthPresent`"),
        "{dropped:?}"
    );
    // A broader deny in NEW keeps the old one.
    let broader = r#"{"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}"#;
    assert!(compared(&with_deny, &format!("{allow}, {broader}")).is_empty());
}

#[test]
fn not_resource_compares_by_its_exclusions() {
    let not = |x: &str| {
        format!(r#"{{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "{x}"}}"#)
    };
    assert!(compared(&not("arn:aws:s3:::secret*"), &not("arn:aws:s3:::secret/*")).len() == 1);
    assert!(compared(&not("arn:aws:s3:::secret/*"), &not("arn:aws:s3:::secret*")).is_empty());
    let listed =
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public/*"}"#;
    assert!(compared(&not("arn:aws:s3:::secret/*"), listed).is_empty());
}

fn public(statements: &str, trusted: &[&str]) -> Vec<Status> {
    let trusted: Vec<String> = trusted.iter().map(|t| t.to_string()).collect();
    no_public_access::run(&[file("bucket-policy.json", &policy(statements))], &trusted)
        .hits
        .iter()
        .map(|h| h.status)
        .collect()
}

#[test]
fn public_unless_a_deny_shuts_everyone_else_out() {
    let open = r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    assert_eq!(public(open, &[]), [Status::Public]);
    let deny = |op: &str, action: &str| {
        format!(
            r#"{open}, {{"Effect": "Deny", "Principal": "*", "Action": "{action}", "Resource": "arn:aws:s3:::b/*",
                "Condition": {{"{op}": {{"aws:SourceVpce": "vpce-1"}}}}}}"#
        )
    };
    assert!(public(&deny("StringNotEquals", "s3:*"), &[]).is_empty());
    // IfExists lets callers without an endpoint through; a deny on other actions shuts nothing.
    assert_eq!(
        public(&deny("StringNotEqualsIfExists", "s3:*"), &[]),
        [Status::Public]
    );
    assert_eq!(
        public(&deny("StringNotEquals", "s3:PutObject"), &[]),
        [Status::Public]
    );
    let not_principal = r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject", "Resource": "*"}"#;
    assert_eq!(public(not_principal, &[]), [Status::Public]);
}

#[test]
fn trusted_accounts() {
    let p = |who: &str| {
        format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "{who}"}}, "Action": "s3:GetObject", "Resource": "*"}}"#
        )
    };
    let own = "111122223333";
    assert!(public(&p("arn:aws:iam::444455556666:root"), &[]).is_empty());
    assert_eq!(
        public(&p("arn:aws:iam::444455556666:root"), &[own]),
        [Status::External]
    );
    assert!(public(&p("arn:aws:iam::111122223333:role/x"), &[own]).is_empty());
    assert!(public(&p("arn:aws:iam::${AWS::AccountId}:root"), &[own]).is_empty());
    assert_eq!(
        public(&p("arn:aws:iam::${var.account}:root"), &[own]),
        [Status::Unknown]
    );
    let in_org = r#"{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#;
    assert!(public(in_org, &[own]).is_empty());
}

/// `get-account-authorization-details` with one inline policy per role.
fn account(roles: &[(&str, &str)]) -> String {
    let roles: Vec<String> = roles
        .iter()
        .map(|(name, statements)| {
            format!(
                r#"{{"RoleName": "{name}", "Arn": "arn:aws:iam::111122223333:role/{name}",
                    "RolePolicyList": [{{"PolicyName": "inline", "PolicyDocument": {}}}],
                    "AttachedManagedPolicies": []}}"#,
                policy(statements)
            )
        })
        .collect();
    format!(
        r#"{{"RoleDetailList": [{}], "Policies": []}}"#,
        roles.join(", ")
    )
}

#[test]
fn each_role_is_compared_with_itself() {
    let read = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let pass = r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#;
    let old = account(&[("analyst", read), ("deployer", pass)]);
    // The same grants, but PassRole moved to the analyst: new access for that role.
    let new = account(&[("analyst", &format!("{read}, {pass}")), ("deployer", read)]);
    let outcome = no_new_access::run(
        &[file("old.json", &old)],
        &[file("new.json", &new)],
        "old.json",
    );
    let found: Vec<&str> = outcome
        .hits
        .iter()
        .flat_map(|h| &h.actions)
        .map(String::as_str)
        .collect();
    assert_eq!(
        found,
        ["iam:PassRole", "s3:GetObject"],
        "{:#?}",
        outcome.hits
    );
    let same = no_new_access::run(
        &[file("old.json", &old)],
        &[file("new.json", &old)],
        "old.json",
    );
    assert!(same.hits.is_empty());
}

#[test]
fn exclusions_the_action_cannot_reach_do_not_matter() {
    let old = r#"{"Effect": "Allow", "Action": "sagemaker:*",
        "NotResource": "arn:aws:sagemaker:us-east-1:111122223333:domain/d-1"}"#;
    let new =
        |action: &str| format!(r#"{{"Effect": "Allow", "Action": "{action}", "Resource": "*"}}"#);
    // A training job is never the excluded domain, and ListDomains takes only `*`.
    assert!(compared(old, &new("sagemaker:DescribeTrainingJob")).is_empty());
    assert!(compared(old, &new("sagemaker:ListDomains")).is_empty());
    // DescribeDomain can reach the excluded domain.
    assert_eq!(compared(old, &new("sagemaker:DescribeDomain")).len(), 1);
}
