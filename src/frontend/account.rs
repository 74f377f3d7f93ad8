//! `aws iam get-account-authorization-details` output: every role, user, group and customer
//! managed policy of an account in one file. Each entity's inline policies, attached managed
//! policies (their default version) and, for users, their groups' policies are judged together,
//! so an escalation split across a role's policies is seen.

use super::{Document, Origin, Tree};
use crate::model::PolicyKind;
use crate::parse::json::{Kind, Value};
use std::collections::BTreeMap;

const LISTS: &[&str] = &[
    "UserDetailList",
    "GroupDetailList",
    "RoleDetailList",
    "Policies",
];

/// Does this tree look like the output of `get-account-authorization-details`?
pub fn is_account_details(root: &Value) -> bool {
    let lists = LISTS.iter().filter(|k| root.get(k).is_some()).count();
    lists >= 2 || root.get("RoleDetailList").is_some()
}

fn items<'v>(root: &'v Value<'v>, key: &str) -> impl Iterator<Item = (usize, &'v Value<'v>)> {
    let items: &[Value] = match root.get(key).map(|v| &v.kind) {
        Some(Kind::Array(items)) => items,
        _ => &[],
    };
    items.iter().enumerate()
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// A document found at `pointer`, attached to `units`.
struct Found<'v> {
    value: Tree<'v>,
    pointer: String,
    kind: PolicyKind,
    units: Vec<String>,
}

pub fn documents<'v>(root: &'v Value<'v>) -> Vec<Document<'v>> {
    // Customer managed policies by ARN: their default version's document.
    let mut managed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut found: Vec<Found<'v>> = Vec::new();
    for (i, policy) in items(root, "Policies") {
        let Some(arn) = text(policy, "Arn") else {
            continue;
        };
        for (j, version) in items(policy, "PolicyVersionList") {
            let default = matches!(
                version.get("IsDefaultVersion").map(|v| &v.kind),
                Some(Kind::Bool(true))
            );
            if let (true, Some(doc)) = (default, version.get("Document")) {
                managed.insert(arn, found.len());
                found.push(Found {
                    value: decoded(doc),
                    pointer: format!("/Policies/{i}/PolicyVersionList/{j}/Document"),
                    kind: PolicyKind::Unknown,
                    units: Vec::new(),
                });
            }
        }
    }
    // Groups first, so users can inherit their groups' policies.
    let mut group_docs: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (list, entity, name_key, inline_key) in [
        ("GroupDetailList", "group", "GroupName", "GroupPolicyList"),
        ("RoleDetailList", "role", "RoleName", "RolePolicyList"),
        ("UserDetailList", "user", "UserName", "UserPolicyList"),
    ] {
        for (i, e) in items(root, list) {
            let Some(name) = text(e, name_key) else {
                continue;
            };
            let unit = format!("{entity}/{name}");
            let mut mine: Vec<usize> = Vec::new();
            for (j, p) in items(e, inline_key) {
                if let Some(doc) = p.get("PolicyDocument") {
                    mine.push(found.len());
                    found.push(Found {
                        value: decoded(doc),
                        pointer: format!("/{list}/{i}/{inline_key}/{j}/PolicyDocument"),
                        kind: PolicyKind::Unknown,
                        units: Vec::new(),
                    });
                }
            }
            for (_, a) in items(e, "AttachedManagedPolicies") {
                if let Some(&k) = text(a, "PolicyArn").and_then(|arn| managed.get(arn)) {
                    mine.push(k);
                }
            }
            if entity == "user" {
                for g in e
                    .get("GroupList")
                    .and_then(|v| match &v.kind {
                        Kind::Array(gs) => Some(gs),
                        _ => None,
                    })
                    .into_iter()
                    .flatten()
                {
                    if let Some(docs) = g.as_str().and_then(|g| group_docs.get(g)) {
                        mine.extend(docs.iter().copied());
                    }
                }
            }
            if let ("role", Some(trust)) = (entity, e.get("AssumeRolePolicyDocument")) {
                found.push(Found {
                    value: decoded(trust),
                    pointer: format!("/{list}/{i}/AssumeRolePolicyDocument"),
                    kind: PolicyKind::Trust,
                    units: vec![unit.clone()],
                });
            }
            for &k in &mine {
                found[k].units.push(unit.clone());
            }
            if entity == "group" {
                group_docs.insert(name, mine);
            }
        }
    }
    found
        .into_iter()
        .map(|f| Document {
            value: f.value,
            pointer: f.pointer,
            bare_statement: false,
            kind: f.kind,
            origin: Origin::Json,
            units: f.units,
        })
        .collect()
}

/// The IAM API returns documents URL-encoded; the AWS CLI decodes them. Both forms are read.
/// A decoded document has no positions of its own inside the string, so every value in it
/// points at the whole string; a string that is not a policy is left for lowering to report.
fn decoded<'v>(v: &'v Value<'v>) -> Tree<'v> {
    let Some(s) = v.as_str() else {
        return Tree::Borrowed(v);
    };
    let text = percent_decode(s).unwrap_or_else(|| s.to_string());
    match crate::parse::json::parse(&text) {
        Ok(mut doc) => {
            respan(&mut doc, v.span);
            Tree::Owned(doc.into_owned())
        }
        Err(_) => Tree::Borrowed(v),
    }
}

fn respan(v: &mut Value, span: crate::span::Span) {
    v.span = span;
    match &mut v.kind {
        Kind::Array(items) => items.iter_mut().for_each(|i| respan(i, span)),
        Kind::Object(members) => {
            for m in members {
                m.key_span = span;
                respan(&mut m.value, span);
            }
        }
        _ => {}
    }
}

/// `%7B%22Version%22...` to text; `None` when there is nothing encoded or the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::json::parse;

    const DETAILS: &str = r#"{
      "UserDetailList": [{"UserName": "ana", "GroupList": ["ml"], "UserPolicyList": [],
                          "AttachedManagedPolicies": []}],
      "GroupDetailList": [{"GroupName": "ml", "GroupPolicyList": [{"PolicyName": "g",
                           "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}],
                           "AttachedManagedPolicies": []}],
      "RoleDetailList": [{"RoleName": "train",
        "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
        "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": {"Statement": []}}],
        "AttachedManagedPolicies": [{"PolicyName": "Pass", "PolicyArn": "arn:aws:iam::1:policy/Pass"}]}],
      "Policies": [{"PolicyName": "Pass", "Arn": "arn:aws:iam::1:policy/Pass", "PolicyVersionList": [
        {"VersionId": "v1", "IsDefaultVersion": false, "Document": {"Statement": []}},
        {"VersionId": "v2", "IsDefaultVersion": true, "Document": {"Statement": []}}]}]
    }"#;

    #[test]
    fn entities_own_their_inline_attached_and_group_policies() {
        let root = parse(DETAILS).expect("valid");
        assert!(is_account_details(&root));
        let docs = documents(&root);
        let seen: Vec<(String, Vec<String>, bool)> = docs
            .iter()
            .map(|d| {
                (
                    d.pointer.clone(),
                    d.units.clone(),
                    d.value.as_object().is_some(),
                )
            })
            .collect();
        let unit = |s: &str| vec![s.to_string()];
        assert_eq!(
            seen,
            [
                (
                    "/Policies/0/PolicyVersionList/1/Document".into(),
                    unit("role/train"),
                    true
                ),
                (
                    "/GroupDetailList/0/GroupPolicyList/0/PolicyDocument".into(),
                    vec!["group/ml".into(), "user/ana".into()],
                    true
                ),
                (
                    "/RoleDetailList/0/RolePolicyList/0/PolicyDocument".into(),
                    unit("role/train"),
                    true
                ),
                (
                    "/RoleDetailList/0/AssumeRolePolicyDocument".into(),
                    unit("role/train"),
                    true
                ),
            ]
        );
        assert_eq!(docs[3].kind, PolicyKind::Trust);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(
            percent_decode("%7B%22a%22%3A1%7D").as_deref(),
            Some("{\"a\":1}")
        );
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("plain"), None);
    }
}
