use super::*;
use crate::model::lower_plain;
use crate::parse::json::{Value, parse};

fn with_access(text: &str, f: impl FnOnce(&Access<'_>)) {
    let root: Value = parse(text).expect("valid JSON");
    let policy = lower_plain(&root);
    let access = Access::for_roles(&[&policy]);
    f(&access);
}

fn reaches(text: &str, action: &str) -> Vec<(Reach, String)> {
    let mut out = Vec::new();
    with_access(text, |a| {
        out = a
            .grants(action)
            .iter()
            .map(|g| (g.reach().0, g.gate.phrase()))
            .collect();
    });
    out
}

#[test]
fn wildcards_and_not_action_grant() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"sagemaker:Create*","Resource":"*"},
        {"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:sagemaker:us-east-1:1:training-job/x"},
        {"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b/*"}]}"#;
    assert_eq!(
        reaches(p, "sagemaker:CreateTrainingJob"),
        [
            (Reach::Everything, String::new()),
            (Reach::Named, String::new())
        ]
    );
    assert!(reaches(p, "iam:PassRole").is_empty());
}

#[test]
fn unconditional_deny_removes_and_conditional_deny_does_not() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]},
        {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::a*"},
        {"Effect":"Deny","Action":"s3:PutObject","Resource":"*",
         "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    with_access(p, |a| {
        let g = a.grants("s3:GetObject");
        assert_eq!(g.len(), 1);
        let Resources::Listed(left) = &g[0].resources else {
            panic!("listed")
        };
        let left: Vec<&str> = left.iter().map(|s| s.value).collect();
        assert_eq!(left, ["arn:aws:s3:::b/*"]);
        assert_eq!(a.grants("s3:PutObject").len(), 1);
    });
    let all_denied = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"iam:*","NotResource":"arn:aws:iam::1:role/x"},
        {"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}"#;
    assert!(reaches(all_denied, "iam:PassRole").is_empty());
}

#[test]
fn conditions_grade_the_grant() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
         "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
         "Condition":{"Bool":{"aws:SecureTransport":"true"}}},
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
         "Condition":{"StringEquals":{"aws:ResourceTag/owner":"${aws:userid}"}}},
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
         "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#;
    let got: Vec<String> = reaches(p, "s3:GetObject")
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    assert_eq!(
        got,
        [
            " (narrowed by `aws:SourceVpce`)",
            "",
            " (tied to the caller by `aws:ResourceTag/owner`)",
            ""
        ]
    );
}

#[test]
fn resource_policy_statements_are_not_role_grants() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
    assert!(reaches(p, "s3:GetObject").is_empty());
}

#[test]
fn broadest_prefers_reach_then_openness() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::1:role/ml"},
        {"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
         "Condition":{"StringEquals":{"iam:PassedToService":"sagemaker.amazonaws.com"}}}]}"#;
    with_access(p, |a| {
        let g = a
            .broadest("iam:passrole", || catalog_action("iam:passrole"))
            .expect("granted");
        assert_eq!(g.reach_phrase(), "`*`");
        assert_eq!(g.gate, Gate::Narrowed(vec!["iam:PassedToService".into()]));
    });
}

#[test]
fn allowed_actions_expand_wildcards_and_not_action_minus_denies() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["sagemaker:DescribeTrainingJob","sagemaker:ListTraining*"],"Resource":"*"},
        {"Effect":"Deny","Action":"sagemaker:ListTrainingJobs","Resource":"*"}]}"#;
    with_access(p, |a| {
        let names: Vec<String> = a
            .allowed_actions()
            .iter()
            .map(|(s, a)| format!("{}:{}", s.prefix(), a.name()))
            .collect();
        assert!(names.contains(&"sagemaker:DescribeTrainingJob".to_string()));
        assert!(
            names.contains(&"sagemaker:ListTrainingJobsForHyperParameterTuningJob".to_string())
        );
        assert!(!names.contains(&"sagemaker:ListTrainingJobs".to_string()));
    });
    let not_action = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
    with_access(not_action, |a| {
        let all = a.allowed_actions();
        assert!(all.len() > 10_000, "{}", all.len());
        assert!(all.iter().all(|(s, _)| s.prefix() != "iam"));
    });
}

#[test]
fn a_deny_for_one_principal_removes_nothing_for_the_others() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
        {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::1:role/x"},"Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}"#;
    let root: Value = parse(p).expect("valid JSON");
    let policy = lower_plain(&root);
    let access = Access::new(&[&policy]);
    assert_eq!(access.grants("s3:GetObject").len(), 1);
    assert!(access.grants("s3:PutObject").is_empty());
}

#[test]
fn resources_of_other_services_grant_nothing() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["kms:Decrypt","ec2:CreateNetworkInterface","ssm:SendCommand"],
         "Resource":["arn:aws:ec2:us-east-1:1:network-interface/*","arn:aws:ec2:us-east-1:1:instance/*"]}]}"#;
    assert!(reaches(p, "kms:Decrypt").is_empty());
    assert_eq!(reaches(p, "ec2:CreateNetworkInterface").len(), 1);
    assert_eq!(
        reaches(p, "ssm:SendCommand"),
        [(Reach::Kind, String::new())]
    );
}

/// The index of which statements cover which action must agree with testing every statement.
#[test]
fn indexed_grants_match_a_scan_of_every_statement() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["sagemaker:Describe*","s3:Get*","sage*:List*"],"Resource":"*"},
        {"Effect":"Allow","Action":"s3*Object","Resource":"arn:aws:s3:::b/*"},
        {"Effect":"Allow","NotAction":["s3:*","iam:*"],"Resource":"*"},
        {"Effect":"Deny","Action":"sagemaker:DescribeDomain","Resource":"*"},
        {"Effect":"Allow","Action":"SageMaker:createtrainingjob","Resource":"*"},
        {"Effect":"Allow","Action":"s3:NoSuchAction","Resource":"*"}]}"#;
    let root: Value = parse(p).expect("valid JSON");
    let policy = lower_plain(&root);
    let scan = Access::for_roles(&[&policy]);
    let indexed = Access::for_roles(&[&policy]).indexed();
    let names = ["sagemaker:*", "s3:*", "iam:PassRole", "ec2:RunInstances"]
        .iter()
        .flat_map(|p| catalog::catalog().expand(p))
        .map(|(s, x)| format!("{}:{}", s.prefix(), x.name()))
        .chain(["s3:NoSuchAction".to_string(), "S3:GETOBJECT".to_string()]);
    let spans = |a: &Access<'_>, name: &str| -> Vec<crate::span::Span> {
        a.grants(name).iter().map(|g| g.via.span()).collect()
    };
    for name in names {
        assert_eq!(spans(&indexed, &name), spans(&scan, &name), "{name}");
    }
}

#[test]
fn resource_types_must_agree_as_written() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"sagemaker:GetRecord","Resource":"arn:aws:sagemaker:*:*:model-package/*"},
        {"Effect":"Allow","Action":"sagemaker:GetRecord","Resource":"arn:aws:sagemaker:*:*:feature-group/*"}]}"#;
    assert_eq!(
        reaches(p, "sagemaker:GetRecord"),
        [(Reach::Kind, String::new())]
    );
}

/// The services a policy can grant bound what the risk rules ask: every action `grants`
/// answers for must be of a service in the list.
#[test]
fn allowed_services_are_those_allow_statements_name() {
    let named = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["S3:GetObject","s3:Put*","kms:Decrypt"],"Resource":"*"},
        {"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}"#;
    with_access(named, |a| {
        let allowed = a
            .allowed_services()
            .map(|s| s.iter().map(ServiceKey::as_str).collect());
        assert_eq!(allowed, Some(vec!["kms", "s3"]));
        assert!(!a.grants("s3:GetObject").is_empty());
        assert!(a.grants("iam:PassRole").is_empty());
    });
    for open in [
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s*:Get*","Resource":"*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
    ] {
        with_access(open, |a| assert_eq!(a.allowed_services(), None, "{open}"));
    }
}

#[test]
fn merged_lists_are_the_sorted_union() {
    let lists: [&[usize]; 6] = [&[], &[0], &[1, 3], &[0, 1, 2, 3], &[2, 5, 9], &[3, 4]];
    for a in lists {
        for b in lists {
            let mut expected: Vec<usize> = a.iter().chain(b).copied().collect();
            expected.sort_unstable();
            expected.dedup();
            let got: Vec<usize> = merged(a, b.iter().copied()).collect();
            assert_eq!(got, expected, "{a:?} {b:?}");
        }
    }
}

/// `covers` compares addresses in a resolved value's expansion instead of glob-matching the
/// value: the two must agree on every action, whatever the value's shape (an exact name in
/// any case, a run `Get*`, picked actions `Get*Tagging`, `*Object`, `?`, no match at all).
#[test]
fn a_resolved_value_holds_exactly_the_actions_its_glob_matches() {
    use crate::catalog::resolve::{Resolved, resolve};
    let values = [
        "s3:GetObject",
        "S3:getobject",
        "s3:Get*",
        "s3:Get*Tagging",
        "s3:*Object",
        "s3:?etObject",
        "s3:GetObject*",
        "s3:*",
        "s3:NoSuch*",
        "iam:Pass*",
    ];
    let cat = catalog::catalog();
    let actions: Vec<_> = ["s3:*", "iam:*"]
        .iter()
        .flat_map(|p| cat.expand(p))
        .collect();
    assert!(actions.len() > 200);
    for value in values {
        let Resolved::Actions(_, covered) = resolve(value) else {
            panic!("{value} resolves to catalog actions")
        };
        for (service, action) in &actions {
            let name = format!("{}:{}", service.prefix(), action.name());
            assert_eq!(
                covered.holds(action),
                glob::matches(value, &name, true),
                "{value} and {name}"
            );
        }
    }
}

/// A grant names the first value in the document that covers the action, whether that is a
/// value of the service or a wildcard one listed after it, or before it.
#[test]
fn a_grant_is_via_the_first_covering_value() {
    let first_via = |actions: &str, action: &str| -> String {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"*"}}]}}"#
        );
        let mut via = String::new();
        with_access(&text, |a| {
            via = a.grants(action)[0].via.describe();
        });
        via
    };
    let get = "s3:GetObject";
    assert_eq!(first_via(r#"["s3:Put*","s3:Get*","*"]"#, get), "`s3:Get*`");
    assert_eq!(first_via(r#"["s3:Put*","*","s3:Get*"]"#, get), "`*`");
    assert_eq!(
        first_via(r#"["S3:GETOBJECT","s3:*"]"#, get),
        "`S3:GETOBJECT`"
    );
    assert_eq!(
        first_via(r#"["s3:Get*Tagging","s?:GetObject"]"#, get),
        "`s?:GetObject`"
    );
    assert_eq!(
        first_via(r#"["iam:*","s3:GetObject*"]"#, get),
        "`s3:GetObject*`"
    );
}

/// Service keys order and compare as their text does, whatever the length (the number kept
/// holds eight bytes) and however the texts share their starts.
#[test]
fn service_keys_order_as_their_text() {
    use std::borrow::Cow;
    let texts = [
        "",
        "a",
        "ab",
        "ab\0",
        "ab\0\0\0\0\0\0",
        "ab\0\0\0\0\0\0\0",
        "s3",
        "s3express",
        "s3-object-lambda",
        "sagemaker",
        "sagemakeR",
        "sagemake",
        "sagemaker-geospatial",
        "sagemakera",
        "é",
        "\u{7f}",
    ];
    let key = |t: &'static str| ServiceKey::new(Cow::Borrowed(t));
    for a in texts {
        for b in texts {
            assert_eq!(key(a).cmp(&key(b)), a.cmp(b), "{a:?} against {b:?}");
            assert_eq!(key(a) == key(b), a == b, "{a:?} against {b:?}");
        }
    }
}
