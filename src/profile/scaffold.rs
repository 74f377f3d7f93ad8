//! `mlpolicy scaffold`: the least-privilege identity policy of a profile, for named resources.
//!
//! Every statement comes from an activity's template in `data/profiles/activities.json`, with
//! the arguments filled in. Nothing is left as a placeholder: a profile whose templates name a
//! value that was not given is refused, with the flags it needs. Per-user resources get the
//! profile's owner condition. The result is linted before it is printed, so what scaffold writes
//! is what `mlpolicy lint --profile` accepts.

use super::{AbacStyle, AbacUse, Activity, Profile, StatementTemplate};
use crate::model::arn;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The values the templates can name, from the command line.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub region: Option<String>,
    pub account: Option<String>,
    pub buckets: Vec<String>,
    pub pass_roles: Vec<String>,
    pub kms_keys: Vec<String>,
    pub ecr_repos: Vec<String>,
    pub athena_workgroups: Vec<String>,
    pub glue_databases: Vec<String>,
    pub vpc: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The flags the profile needs that were not given, in flag order.
    Missing(Vec<&'static str>),
    /// A value that cannot go into a least-privilege policy, and why.
    Invalid(String),
}

/// Template placeholder, command-line flag.
const PARAMS: &[(&str, &str)] = &[
    ("region", "--region"),
    ("account", "--account"),
    ("bucket", "--bucket"),
    ("pass_role", "--pass-role"),
    ("kms_key", "--kms-key"),
    ("ecr_repo", "--ecr-repo"),
    ("athena_workgroup", "--athena-workgroup"),
    ("glue_database", "--glue-database"),
    ("vpc", "--vpc"),
];

/// The policy for `profile`, pretty-printed JSON with a final newline.
pub fn scaffold(profile: &'static Profile, inputs: &Inputs) -> Result<String, Error> {
    validate(inputs)?;
    let mut missing: Vec<&'static str> = Vec::new();
    let mut chosen: Vec<&Activity> = Vec::new();
    for activity in &profile.activities {
        let lacking: Vec<&'static str> = params(activity)
            .into_iter()
            .filter(|p| values(inputs, p).is_empty())
            .collect();
        if lacking.is_empty() {
            chosen.push(activity);
        }
        missing.extend(lacking);
    }
    if !missing.is_empty() {
        missing.sort_by_key(|p| PARAMS.iter().position(|(name, _)| name == p));
        missing.dedup();
        return Err(Error::Missing(missing.iter().map(|p| flag(p)).collect()));
    }
    // Optional activities come in when everything they name was given (`--kms-key`, `--vpc`).
    chosen.extend(
        profile
            .optional
            .iter()
            .copied()
            .filter(|a| params(a).iter().all(|p| !values(inputs, p).is_empty())),
    );
    let mut statements: Vec<Statement> = Vec::new();
    for activity in chosen {
        for template in &activity.statements {
            let mut statement = fill(template, profile.abac, inputs);
            // An action already granted on the same resources under the same condition is
            // granted once: activities share a few (`sagemaker:Search`, `CreateProcessingJob`).
            statement.actions.retain(|a| {
                !statements.iter().any(|s| {
                    s.resources == statement.resources
                        && s.condition == statement.condition
                        && s.actions.iter().any(|b| b.eq_ignore_ascii_case(a))
                })
            });
            if !statement.actions.is_empty() {
                statements.push(statement);
            }
        }
    }
    let document = Document {
        version: "2012-10-17",
        statement: statements.into_iter().map(Statement::into_json).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|e| Error::Invalid(format!("cannot write the policy: {e}")))?;
    text.push('\n');
    // The arguments are checked, but only the linter knows every rule: what it would report is
    // never printed as least privilege.
    let options = crate::RunOptions {
        profile: Some(profile),
        ..crate::RunOptions::default()
    };
    let report = crate::lint_text_with("scaffold.json", &text, &options);
    if let Some(f) = report.findings.first() {
        return Err(Error::Invalid(format!(
            "the policy for these arguments would not lint clean ({}: {})",
            f.rule, f.message
        )));
    }
    Ok(text)
}

/// The placeholders an activity's templates name, and the switches it needs, as parameter
/// names in `PARAMS` order. `partition` is derived, never asked for.
pub fn params(activity: &Activity) -> Vec<&'static str> {
    let mut texts: Vec<&str> = Vec::new();
    for s in &activity.statements {
        texts.extend(s.resources.iter().map(String::as_str));
        for keys in s.condition.values() {
            for value in keys.values() {
                match value {
                    Value::String(v) => texts.push(v),
                    Value::Array(items) => texts.extend(items.iter().filter_map(Value::as_str)),
                    _ => {}
                }
            }
        }
        if s.abac.is_some() {
            // The Studio owner condition names the caller's user profile by its full ARN.
            texts.push("{region}{account}");
        }
    }
    PARAMS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            activity.needs.iter().any(|n| n == name)
                || texts.iter().any(|t| placeholders(t).contains(name))
        })
        .collect()
}

fn flag(param: &str) -> &'static str {
    PARAMS
        .iter()
        .find(|(name, _)| *name == param)
        .map_or("", |(_, flag)| flag)
}

fn values(inputs: &Inputs, param: &str) -> Vec<String> {
    let one = |v: &Option<String>| v.iter().cloned().collect();
    match param {
        "region" => one(&inputs.region),
        "account" => one(&inputs.account),
        "partition" => vec![partition(inputs.region.as_deref()).to_string()],
        "bucket" => inputs.buckets.clone(),
        "pass_role" => inputs.pass_roles.clone(),
        "kms_key" => inputs.kms_keys.clone(),
        "ecr_repo" => inputs.ecr_repos.clone(),
        "athena_workgroup" => inputs.athena_workgroups.clone(),
        "glue_database" => inputs.glue_databases.clone(),
        "vpc" if inputs.vpc => vec![String::new()],
        _ => Vec::new(),
    }
}

/// The partition a region belongs to.
fn partition(region: Option<&str>) -> &'static str {
    let region = region.unwrap_or("");
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ]
    .iter()
    .find(|(prefix, _)| region.starts_with(prefix))
    .map_or("aws", |(_, p)| p)
}

/// `{name}` placeholders in a template; `${...}` policy variables are not placeholders.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = template[from..].find('{').map(|i| from + i) {
        let Some(close) = template[open..].find('}').map(|i| open + i) else {
            break;
        };
        if open == 0 || template.as_bytes()[open - 1] != b'$' {
            out.push(&template[open + 1..close]);
        }
        from = close + 1;
    }
    out
}

/// Every way of filling a template's placeholders: one string per value of each multi-valued
/// argument.
fn expand(template: &str, inputs: &Inputs) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = template;
    loop {
        let next = placeholders(rest).first().map(|name| {
            let at = rest.find(&format!("{{{name}}}")).unwrap_or(0);
            (at, *name)
        });
        let Some((at, name)) = next else {
            for s in &mut out {
                s.push_str(rest);
            }
            return out;
        };
        let filled = values(inputs, name);
        out = out
            .iter()
            .flat_map(|head| {
                filled
                    .iter()
                    .map(move |v| format!("{head}{}{v}", &rest[..at]))
            })
            .collect();
        rest = &rest[at + name.len() + 2..];
    }
}

struct Statement {
    sid: String,
    actions: Vec<String>,
    resources: Vec<String>,
    condition: BTreeMap<String, BTreeMap<String, Value>>,
}

fn fill(template: &StatementTemplate, style: AbacStyle, inputs: &Inputs) -> Statement {
    let resources: Vec<String> = template
        .resources
        .iter()
        .flat_map(|r| expand(r, inputs))
        .collect();
    let mut condition: BTreeMap<String, BTreeMap<String, Value>> = template
        .condition
        .iter()
        .map(|(op, keys)| {
            let keys = keys
                .iter()
                .map(|(key, value)| (key.clone(), fill_value(value, inputs)))
                .collect();
            (op.clone(), keys)
        })
        .collect();
    if let Some((key, value)) = template.abac.and_then(|use_| owner_condition(style, use_)) {
        let value = expand(value, inputs).join("");
        condition
            .entry("StringEquals".to_string())
            .or_default()
            .insert(key.to_string(), Value::String(value));
    }
    Statement {
        sid: template.sid.clone(),
        actions: template.actions.clone(),
        resources,
        condition,
    }
}

fn fill_value(value: &Value, inputs: &Inputs) -> Value {
    match value {
        Value::String(s) => {
            let mut filled = expand(s, inputs);
            if filled.len() == 1 {
                Value::String(filled.remove(0))
            } else {
                Value::Array(filled.into_iter().map(Value::String).collect())
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .flat_map(|v| match v {
                    Value::String(s) => expand(s, inputs).into_iter().map(Value::String).collect(),
                    other => vec![other.clone()],
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The condition key and value that tie a per-user resource to the caller.
fn owner_condition(style: AbacStyle, use_: AbacUse) -> Option<(&'static str, &'static str)> {
    match (style, use_) {
        // Studio tags what it creates with the creator's user profile
        // (https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-jl-admin-guide-permissions.html).
        (AbacStyle::Studio, AbacUse::Resource) => Some((
            "sagemaker:ResourceTag/sagemaker:user-profile-arn",
            "arn:{partition}:sagemaker:{region}:{account}:user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}",
        )),
        (AbacStyle::Studio, AbacUse::Request) | (AbacStyle::None, _) => None,
        // The owner-tag pattern of Build a Secure Enterprise Machine Learning Platform on AWS.
        (AbacStyle::OwnerTag, AbacUse::Resource) => {
            Some(("sagemaker:ResourceTag/owner", "${aws:userid}"))
        }
        (AbacStyle::OwnerTag, AbacUse::Request) => Some(("aws:RequestTag/owner", "${aws:userid}")),
    }
}

/// Values name real resources: no wildcards, no variables, nothing that would make the policy
/// broader or different from what the flag says.
fn validate(inputs: &Inputs) -> Result<(), Error> {
    let invalid = |flag: &str, value: &str, why: &str| {
        Err(Error::Invalid(format!("{flag} `{value}`: {why}")))
    };
    let all = [
        ("--region", inputs.region.iter().collect::<Vec<_>>()),
        ("--account", inputs.account.iter().collect()),
        ("--bucket", inputs.buckets.iter().collect()),
        ("--pass-role", inputs.pass_roles.iter().collect()),
        ("--kms-key", inputs.kms_keys.iter().collect()),
        ("--ecr-repo", inputs.ecr_repos.iter().collect()),
        (
            "--athena-workgroup",
            inputs.athena_workgroups.iter().collect(),
        ),
        ("--glue-database", inputs.glue_databases.iter().collect()),
    ];
    for (flag, values) in all {
        for value in values {
            if value.is_empty() {
                return invalid(flag, value, "empty");
            }
            if let Some(c) = value.chars().find(|c| {
                matches!(c, '*' | '?' | '"' | '\\' | '{' | '}')
                    || c.is_whitespace()
                    || c.is_control()
            }) {
                return invalid(
                    flag,
                    value,
                    &format!(
                        "`{c}` does not belong in a resource name; scaffold writes named resources only"
                    ),
                );
            }
            let ok = match flag {
                "--region" => arn::is_region(value),
                "--account" => value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()),
                "--bucket" => is_bucket_name(value),
                "--pass-role" => arn_of(value, "iam", "role/"),
                "--kms-key" => arn_of(value, "kms", "key/"),
                _ => !value.contains(':'),
            };
            if !ok {
                let want = match flag {
                    "--region" => "a region such as `us-east-1`",
                    "--account" => "a 12-digit account id",
                    "--bucket" => {
                        "an S3 bucket name (3 to 63 lower-case letters, digits, `.` and `-`)"
                    }
                    "--pass-role" => "a role ARN, `arn:aws:iam::111122223333:role/name`",
                    "--kms-key" => "a key ARN, `arn:aws:kms:us-east-1:111122223333:key/id`",
                    _ => "a name, not an ARN",
                };
                return invalid(flag, value, &format!("expected {want}"));
            }
        }
    }
    Ok(())
}

fn is_bucket_name(s: &str) -> bool {
    (3..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// An ARN of `service` whose resource starts with `kind` (`role/`, `key/`), with an account.
fn arn_of(value: &str, service: &str, kind: &str) -> bool {
    arn::split(value).is_some_and(|a| {
        a.service == service
            && arn::PARTITIONS.contains(&a.partition)
            && a.resource.len() > kind.len()
            && a.resource.starts_with(kind)
            && a.account.len() == 12
            && a.account.bytes().all(|b| b.is_ascii_digit())
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Document {
    version: &'static str,
    statement: Vec<JsonStatement>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonStatement {
    sid: String,
    effect: &'static str,
    action: OneOrMany,
    resource: OneOrMany,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    condition: BTreeMap<String, BTreeMap<String, Value>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<Vec<String>> for OneOrMany {
    fn from(mut v: Vec<String>) -> Self {
        if v.len() == 1 {
            Self::One(v.remove(0))
        } else {
            Self::Many(v)
        }
    }
}

impl Statement {
    fn into_json(self) -> JsonStatement {
        JsonStatement {
            sid: self.sid,
            effect: "Allow",
            action: self.actions.into(),
            resource: self.resources.into(),
            condition: self.condition,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_skip_policy_variables() {
        assert_eq!(
            placeholders("arn:{partition}:s3:::{bucket}/${aws:userid}/*"),
            ["partition", "bucket"]
        );
    }

    #[test]
    fn multi_valued_arguments_repeat_the_template() {
        let inputs = Inputs {
            buckets: vec!["a-data".into(), "b-data".into()],
            ..Inputs::default()
        };
        assert_eq!(
            expand("arn:{partition}:s3:::{bucket}/*", &inputs),
            ["arn:aws:s3:::a-data/*", "arn:aws:s3:::b-data/*"]
        );
    }

    #[test]
    fn partitions_follow_the_region() {
        assert_eq!(partition(Some("cn-north-1")), "aws-cn");
        assert_eq!(partition(Some("us-gov-west-1")), "aws-us-gov");
        assert_eq!(partition(Some("eu-west-1")), "aws");
        assert_eq!(partition(None), "aws");
    }
}
