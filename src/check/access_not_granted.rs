//! `mlpolicy check access-not-granted`: could these policies, taken together, allow any of the
//! given actions (on the given resources)? Every grant that survives the unconditional denies
//! is reported at the action value that grants it; a grant that depends on conditions (its
//! own, or a conditional `Deny` that may cover it) is `unknown`, never silently passed.

use super::compare::Set;
use super::{
    Hit, Lowered, Outcome, Status, condition_keys, declare_check, file_of, grant_phrase, name_keys,
    with_policies,
};
use crate::access::{self, Access, Resources};
use crate::catalog::{Action, Service};
use crate::load::LoadedFile;
use crate::model::arn_match::patterns_intersect;
use crate::model::{Effect, Statement};
use crate::span::Span;
use std::collections::BTreeMap;

declare_check!(
    id: "access-not-granted",
    security_severity: "8.0",
    summary: "fails when the policies could allow any of the given actions (on the given resources)",
);

const STATUSES: &[Status] = &[Status::Allowed, Status::Unknown];

/// What is asked: catalog actions, and optionally the resources they must not reach.
pub struct Query {
    pub actions: Vec<(&'static Service, &'static Action)>,
    /// ARNs or ARN patterns; empty means any resource.
    pub resources: Vec<String>,
}

/// The grants of one action value on the same resources under the same conditions are one
/// result listing the actions.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    file: usize,
    start: usize,
    end: usize,
    status: Status,
    resources: Vec<String>,
    not_resource: bool,
    allow_keys: Vec<String>,
    deny_keys: Vec<String>,
    via: String,
}

pub fn run(files: &[LoadedFile], query: &Query) -> Outcome {
    let mut outcome = Outcome::new(&META, STATUSES);
    outcome.files = files.len();
    outcome.checked = (query.actions.len(), "action", "actions");
    with_policies(files, |lowered| {
        outcome.policies = lowered.len();
        let policies: Vec<_> = lowered.iter().map(|l| &l.policy).collect();
        let access = Access::new(&policies).indexed();
        let statements: Vec<&Statement> = policies.iter().flat_map(|p| &p.statements).collect();
        let mut groups: BTreeMap<Key, (&Statement, String, Vec<String>)> = BTreeMap::new();
        for &(service, action) in &query.actions {
            let name = format!("{}:{}", service.prefix(), action.name());
            for (key, st, pointer) in grants(lowered, &access, &statements, query, &name) {
                groups
                    .entry(key)
                    .or_insert_with(|| (st, pointer, Vec::new()))
                    .2
                    .push(name.clone());
            }
        }
        for (key, (st, pointer, actions)) in groups {
            let source = &files[key.file].source;
            let span = Span::new(key.start, key.end);
            let message = message(&key, &actions);
            let mut hit = Hit::at(&META, key.status, source, st, (span, &pointer), message);
            hit.actions = actions;
            hit.resources = key.resources;
            hit.not_resource = key.not_resource;
            hit.conditions = key.allow_keys;
            hit.conditions.extend(key.deny_keys);
            outcome.hits.push(hit);
        }
    });
    outcome.sort();
    outcome
}

/// The results for one action: each grant that reaches a queried resource.
fn grants<'p>(
    lowered: &[Lowered<'_>],
    access: &Access<'p>,
    statements: &[&'p Statement<'p>],
    query: &Query,
    name: &str,
) -> Vec<(Key, &'p Statement<'p>, String)> {
    let denies: Vec<&Statement> = statements
        .iter()
        .copied()
        .filter(|s| {
            matches!(s.effect, Some((Effect::Deny, _)))
                && access::binds_every_caller(s)
                && s.covers_action(name)
                && s.resource.is_some()
        })
        .collect();
    let (soft, hard): (Vec<&Statement>, Vec<&Statement>) =
        denies.into_iter().partition(|d| d.condition_span.is_some());
    // A queried resource that an unconditional Deny covers is never allowed.
    let asked: Vec<&str> = query
        .resources
        .iter()
        .map(String::as_str)
        .filter(|q| {
            !hard.iter().any(|d| {
                d.resource
                    .as_ref()
                    .is_some_and(|r| Set::of(r).covers(&Set::Listed(vec![q])))
            })
        })
        .collect();
    if !query.resources.is_empty() && asked.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for g in access.grants(name) {
        let st = g.statement;
        let (resources, not_resource, set) = match &g.resources {
            Resources::Listed(items) => {
                let reached: Vec<&str> = items
                    .iter()
                    .filter(|r| {
                        asked.is_empty() || asked.iter().any(|q| patterns_intersect(r.value, q))
                    })
                    .map(|r| r.value)
                    .collect();
                if reached.is_empty() {
                    continue;
                }
                let set = Set::Listed(reached.clone());
                (reached, false, set)
            }
            Resources::AllBut(_) => {
                // No `Resource` (a trust policy): the role it is attached to, unknown here.
                let set = st
                    .resource
                    .as_ref()
                    .map_or(Set::AllBut(Vec::new()), Set::of);
                if !asked.is_empty() && !set.may_intersect(&Set::Listed(asked.clone())) {
                    continue;
                }
                let Set::AllBut(excluded) = &set else {
                    continue;
                };
                (excluded.clone(), true, set)
            }
        };
        let scope = if asked.is_empty() {
            set
        } else {
            Set::Listed(asked.clone())
        };
        let mut deny_keys: Vec<String> = soft
            .iter()
            .filter(|d| {
                d.resource
                    .as_ref()
                    .is_some_and(|r| Set::of(r).may_intersect(&scope))
            })
            .flat_map(|d| condition_keys(d))
            .collect();
        deny_keys.sort_by_key(|k| k.to_ascii_lowercase());
        deny_keys.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let allow_keys = condition_keys(st);
        let status = if allow_keys.is_empty() && deny_keys.is_empty() {
            Status::Allowed
        } else {
            Status::Unknown
        };
        let span = g.via.span();
        let file = file_of(lowered, st);
        out.push((
            Key {
                file,
                start: span.start,
                end: span.end,
                status,
                resources: resources.iter().map(|r| r.to_string()).collect(),
                not_resource,
                allow_keys,
                deny_keys,
                via: g.via.describe(),
            },
            st,
            g.via.pointer().to_string(),
        ));
    }
    out
}

/// "`iam:*` on `*` allows `iam:PassRole`", then, for `unknown`, the conditions it depends on.
fn message(key: &Key, actions: &[String]) -> String {
    let mut text = grant_phrase(&key.via, &key.resources, key.not_resource, actions);
    if key.status == Status::Unknown {
        let mut parts = Vec::new();
        if !key.allow_keys.is_empty() {
            parts.push(format!(
                "only if conditions hold ({})",
                name_keys(&key.allow_keys)
            ));
        }
        if !key.deny_keys.is_empty() {
            parts.push(format!(
                "unless a conditional `Deny` applies ({})",
                name_keys(&key.deny_keys)
            ));
        }
        text += &format!(", {}: cannot be decided offline", parts.join(" and "));
    }
    text
}
