//! `mlpolicy check no-new-access OLD NEW`: does NEW allow any (catalog action, resource
//! pattern) pair that OLD does not? A NEW grant is covered when an OLD grant of the same action
//! holds its resource pattern, for at least the same principals, under conditions no stricter
//! than NEW's, and every OLD `Deny` that may cut into it is still there in NEW, at least as
//! strong. Dropping a condition or a `Deny` is new access. Policies attached to the same IAM
//! entity (`units`) are compared together; the rest of a file is one group.

use super::compare::{Set, conditions_implied, principal_covers, unmatched_keys};
use super::{
    Hit, Lowered, Outcome, Status, condition_keys, declare_check, file_of, grant_phrase, name_keys,
    with_policies,
};
use crate::access::{Access, Grant, Resources};
use crate::discover::InputError;
use crate::load::{self, LoadedFile};
use crate::model::{Effect, Policy, Statement};
use crate::source::SourceFile;
use crate::span::Span;
use std::collections::BTreeMap;

declare_check!(
    id: "no-new-access",
    security_severity: "7.0",
    summary: "fails when NEW allows an action on a resource that OLD does not",
);

pub const STATUSES: &[Status] = &[Status::New, Status::Unknown];

/// Why a NEW grant is not covered, weakest claim last: when any OLD grant might cover it the
/// answer is `unknown`, not `new`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    NotInOld,
    ConditionsDropped(Vec<String>),
    DenyDropped { at: String, keys: Vec<String> },
    ConditionsChanged(Vec<String>),
}

impl Reason {
    fn rank(&self) -> u8 {
        match self {
            Self::NotInOld => 0,
            Self::ConditionsDropped(_) => 1,
            Self::DenyDropped { .. } => 2,
            Self::ConditionsChanged(_) => 3,
        }
    }

    fn status(&self) -> Status {
        match self {
            Self::ConditionsChanged(_) => Status::Unknown,
            _ => Status::New,
        }
    }

    fn keys(&self) -> &[String] {
        match self {
            Self::NotInOld => &[],
            Self::ConditionsDropped(k) | Self::ConditionsChanged(k) => k,
            Self::DenyDropped { keys, .. } => keys,
        }
    }

    /// The clause after "... allows X".
    fn phrase(&self, old: &str) -> String {
        match self {
            Self::NotInOld => format!(", which {old} does not allow"),
            Self::ConditionsDropped(keys) => format!(
                ", which {old} allows only if conditions hold ({}) that this statement drops",
                name_keys(keys)
            ),
            Self::DenyDropped { at, keys } if keys.is_empty() => {
                format!(", which {old} denies ({at}) and this policy does not")
            }
            Self::DenyDropped { at, keys } => format!(
                ", which {old} denies when conditions hold ({}; {at}) and this policy does not",
                name_keys(keys)
            ),
            Self::ConditionsChanged(keys) => format!(
                ", which {old} allows only under conditions on {} that this statement changes: \
                 whether the new ones are as narrow cannot be decided offline",
                name_keys(keys)
            ),
        }
    }
}

/// NEW grants with the same action value, resource, and reason are one result.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    file: usize,
    start: usize,
    end: usize,
    reason: Reason,
    resources: Vec<String>,
    not_resource: bool,
    via: String,
    new_keys: Vec<String>,
}

/// Compares everything in `old` with everything in `new` (two files, or two folders).
pub fn run(old: &[LoadedFile], new: &[LoadedFile], old_label: &str) -> Outcome {
    let mut outcome = Outcome::new(&META, STATUSES);
    let pairs = compare(old, new, &format!("`{old_label}`"), &mut outcome);
    outcome.checked = (pairs, "action/resource pair", "action/resource pairs");
    outcome.sort();
    outcome
}

/// Compares each policy file changed since `rev` (in the working tree, below the working
/// directory) with its content at `rev`. A new file is all new access; a deleted one is none.
pub fn run_git(rev: &str, pathspecs: &[String]) -> Result<Outcome, String> {
    let mut outcome = Outcome::new(&META, STATUSES);
    let mut pairs = 0;
    for changed in super::git::changed(rev, pathspecs)? {
        let path = changed.path;
        let new = match changed.new {
            None => continue,
            Some(Err(message)) => Err(InputError {
                path: path.clone(),
                message,
            }),
            Some(Ok(bytes)) => load::load_bytes(path.clone(), bytes, false),
        };
        let old_path = format!("{rev}:{path}");
        let (old_label, old) = match changed.old {
            None => (format!("`{rev}` (a new file)"), Ok(None)),
            Some(bytes) => (
                format!("`{old_path}`"),
                load::load_bytes(old_path, bytes, false),
            ),
        };
        match (old, new) {
            (_, Ok(None)) => {}
            (Ok(old), Ok(Some(new))) => {
                pairs += compare(
                    old.as_slice(),
                    std::slice::from_ref(&new),
                    &old_label,
                    &mut outcome,
                );
            }
            (old, new) => outcome
                .errors
                .extend(old.err().into_iter().chain(new.err())),
        }
    }
    outcome.checked = (pairs, "action/resource pair", "action/resource pairs");
    outcome.sort();
    Ok(outcome)
}

/// Compares the policies of `old` with those of `new`, adding results for `new` to
/// `outcome`; returns how many NEW (action, resource) pairs were compared. `old_label` names
/// OLD in messages ("`old.json`").
pub fn compare(
    old: &[LoadedFile],
    new: &[LoadedFile],
    old_label: &str,
    outcome: &mut Outcome,
) -> usize {
    outcome.files += new.len();
    with_policies(old, |old_lowered| {
        with_policies(new, |new_lowered| {
            outcome.policies += new_lowered.len();
            let old_groups = groups(old_lowered);
            let mut pairs = 0;
            let mut found: BTreeMap<Key, (&Statement, String, Vec<String>)> = BTreeMap::new();
            for (unit, new_policies) in groups(new_lowered) {
                let old_policies = old_groups.get(unit).cloned().unwrap_or_default();
                let cx = Group {
                    old: Access::new(&old_policies).indexed(),
                    old_statements: old_policies.iter().flat_map(|p| &p.statements).collect(),
                    new_statements: new_policies.iter().flat_map(|p| &p.statements).collect(),
                    old_where: |st: &Statement| {
                        let file = file_of(old_lowered, st);
                        statement_at(&old[file].source, st)
                    },
                };
                let new_access = Access::new(&new_policies).indexed();
                for (service, action) in new_access.allowed_actions() {
                    let name = format!("{}:{}", service.prefix(), action.name());
                    let old_grants = cx.old.grants(&name);
                    let old_denies = denies(&cx.old_statements, &name);
                    let new_denies = denies(&cx.new_statements, &name);
                    for g in new_access.grants(&name) {
                        for (set, shown) in reached(&g) {
                            pairs += 1;
                            let set = set.for_action(&name);
                            let reason =
                                cx.judge(&name, &g, &set, &old_grants, &old_denies, &new_denies);
                            let Some(reason) = reason else { continue };
                            let span = g.via.span();
                            let key = Key {
                                file: file_of(new_lowered, g.statement),
                                start: span.start,
                                end: span.end,
                                reason,
                                not_resource: matches!(set, Set::AllBut(_)),
                                resources: shown,
                                via: g.via.describe(),
                                new_keys: condition_keys(g.statement),
                            };
                            found
                                .entry(key)
                                .or_insert_with(|| {
                                    (g.statement, g.via.pointer().to_string(), Vec::new())
                                })
                                .2
                                .push(name.clone());
                        }
                    }
                }
            }
            for (key, (st, pointer, actions)) in found {
                let source = &new[key.file].source;
                let span = Span::new(key.start, key.end);
                let message = message(&key, &actions, old_label);
                let mut hit = Hit::at(
                    &META,
                    key.reason.status(),
                    source,
                    st,
                    (span, &pointer),
                    message,
                );
                hit.actions = actions;
                hit.conditions = key.reason.keys().to_vec();
                hit.resources = key.resources;
                hit.not_resource = key.not_resource;
                outcome.hits.push(hit);
            }
            pairs
        })
    })
}

/// The policies judged together: those of one IAM entity, and the rest of each side as one.
fn groups<'a, 'd>(lowered: &'a [Lowered<'d>]) -> BTreeMap<&'a str, Vec<&'a Policy<'d>>> {
    let mut out: BTreeMap<&str, Vec<&Policy<'d>>> = BTreeMap::new();
    for l in lowered {
        if l.units.is_empty() {
            out.entry("").or_default().push(&l.policy);
        }
        for unit in l.units {
            out.entry(unit.as_str()).or_default().push(&l.policy);
        }
    }
    out
}

fn denies<'p>(statements: &[&'p Statement<'p>], action: &str) -> Vec<&'p Statement<'p>> {
    statements
        .iter()
        .copied()
        .filter(|s| {
            matches!(s.effect, Some((Effect::Deny, _)))
                && s.resource.is_some()
                && s.covers_action(action)
        })
        .collect()
}

/// The resource sets a NEW grant reaches, one per listed value (`Access` has already dropped
/// values that name no resource type of the action), with how each is shown.
fn reached<'p>(g: &Grant<'p>) -> Vec<(Set<'p>, Vec<String>)> {
    match &g.resources {
        Resources::Listed(items) => items
            .iter()
            .map(|r| (Set::Listed(vec![r.value]), vec![r.value.to_string()]))
            .collect(),
        // No `Resource` (a trust policy): the role it is attached to, unknown here.
        Resources::AllBut(_) => match &g.statement.resource {
            Some(e) => {
                let shown = e.items.iter().map(|i| i.value.to_string()).collect();
                vec![(Set::of(e), shown)]
            }
            None => vec![(Set::AllBut(Vec::new()), Vec::new())],
        },
    }
}

struct Group<'p, F> {
    old: Access<'p>,
    old_statements: Vec<&'p Statement<'p>>,
    new_statements: Vec<&'p Statement<'p>>,
    old_where: F,
}

impl<F: Fn(&Statement) -> String> Group<'_, F> {
    /// `None` when some OLD grant covers the NEW grant on `set`.
    fn judge(
        &self,
        action: &str,
        g: &Grant<'_>,
        set: &Set<'_>,
        old_grants: &[Grant<'_>],
        old_denies: &[&Statement],
        new_denies: &[&Statement],
    ) -> Option<Reason> {
        let mut best = Reason::NotInOld;
        let mut dropped_deny: Option<Option<Reason>> = None;
        for o in old_grants {
            let st = o.statement;
            if !principal_covers(st.principal.as_ref(), g.statement.principal.as_ref()) {
                continue;
            }
            let old_set = match &o.resources {
                Resources::Listed(items) => Set::Listed(items.iter().map(|i| i.value).collect()),
                Resources::AllBut(_) => st
                    .resource
                    .as_ref()
                    .map_or(Set::AllBut(Vec::new()), |e| Set::of(e).for_action(action)),
            };
            if !old_set.covers(set) {
                continue;
            }
            let reason = if conditions_implied(st, g.statement) {
                let dropped = dropped_deny
                    .get_or_insert_with(|| self.dropped_deny(action, set, old_denies, new_denies));
                match dropped {
                    None => return None,
                    Some(r) => r.clone(),
                }
            } else {
                let mut keys: Vec<String> = unmatched_keys(st, g.statement)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                if keys.is_empty() {
                    keys = condition_keys(st);
                }
                let changed = keys.iter().any(|k| {
                    g.statement
                        .conditions
                        .iter()
                        .any(|c| c.key.value.eq_ignore_ascii_case(k))
                });
                if changed {
                    Reason::ConditionsChanged(keys)
                } else {
                    Reason::ConditionsDropped(keys)
                }
            };
            if reason.rank() > best.rank() {
                best = reason;
            }
        }
        Some(best)
    }

    /// An OLD `Deny` that may cut into `set` and that NEW does not keep at least as strong.
    fn dropped_deny(
        &self,
        action: &str,
        set: &Set<'_>,
        old_denies: &[&Statement],
        new_denies: &[&Statement],
    ) -> Option<Reason> {
        for d in old_denies {
            let Some(element) = &d.resource else { continue };
            let old_set = Set::of(element).for_action(action);
            if !old_set.may_intersect(set) {
                continue;
            }
            // The part of the OLD deny that matters here.
            let relevant = match &old_set {
                Set::Listed(items) => Set::Listed(
                    items
                        .iter()
                        .copied()
                        .filter(|i| Set::Listed(vec![i]).may_intersect(set))
                        .collect(),
                ),
                all_but => all_but.clone(),
            };
            let kept = new_denies.iter().any(|n| {
                let Some(ne) = &n.resource else { return false };
                let new_set = Set::of(ne).for_action(action);
                principal_covers(n.principal.as_ref(), d.principal.as_ref())
                    && conditions_implied(n, d)
                    && (new_set.covers(&relevant) || new_set.covers(set))
            });
            if !kept {
                return Some(Reason::DenyDropped {
                    at: (self.old_where)(d),
                    keys: condition_keys(d),
                });
            }
        }
        None
    }
}

/// "statement `Sid` at line 24", or "the statement at line 24".
fn statement_at(source: &SourceFile, st: &Statement) -> String {
    let line = source.position(st.span.start).line;
    match st.sid() {
        Some(sid) => format!("statement `{sid}` at line {line}"),
        None => format!("the statement at line {line}"),
    }
}

fn message(key: &Key, actions: &[String], old: &str) -> String {
    let mut text =
        grant_phrase(&key.via, &key.resources, key.not_resource, actions) + &key.reason.phrase(old);
    if !key.new_keys.is_empty() && key.reason == Reason::NotInOld {
        text += &format!(
            " (here only if conditions hold: {})",
            name_keys(&key.new_keys)
        );
    }
    text
}
