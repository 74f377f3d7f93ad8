//! What the four risk rules share: their data files, how conditions grade a finding, and how
//! the actions one policy value grants are reported together.
//!
//! Every list lives in `data/risk/<category>.json`, one entry per action or path with a note
//! on where it is documented, so it can be reviewed and grown without code changes.

use crate::access::{Access, Gate, Grant, ServiceKey};
use crate::catalog::resolve::CachedAction;
use crate::finding::{Finding, Severity};
use serde::Deserialize;
use std::fmt::Write;

/// One action a category watches (data exfiltration, resource exposure, credentials).
#[derive(Debug, Deserialize)]
pub struct Watched {
    pub action: String,
    #[serde(default = "warning")]
    pub severity: Severity,
    /// What granting it broadly lets the role do, for the message ("reads every secret").
    #[serde(default)]
    pub message: String,
    #[allow(dead_code)]
    pub source: String,
    /// The catalog's entry for `action`, looked up the first time a policy could grant it.
    #[serde(skip)]
    target: CachedAction,
}

fn warning() -> Severity {
    Severity::Warning
}

#[derive(Debug, Deserialize)]
struct WatchedFile {
    actions: Vec<Watched>,
}

/// A category's watched actions, in data-file order, indexed by service.
#[derive(Debug)]
pub struct WatchList {
    actions: Vec<Watched>,
    /// `(lowercase service prefix, index in actions)`, sorted. Nearly every policy names a few
    /// services and grants nothing of the rest: the actions of the services it names are the
    /// only ones worth asking about.
    by_service: Vec<(ServiceKey<'static>, usize)>,
    /// Where each service's rows of `by_service` start, one entry a service.
    services: Vec<usize>,
}

impl WatchList {
    fn new(actions: Vec<Watched>) -> Self {
        let mut by_service: Vec<(ServiceKey<'static>, usize)> = actions
            .iter()
            .enumerate()
            .map(|(i, w)| (ServiceKey::of_action(&w.action).into_owned(), i))
            .collect();
        by_service.sort_unstable();
        let services = (0..by_service.len())
            .filter(|&at| at == 0 || by_service[at - 1].0 != by_service[at].0)
            .collect();
        Self {
            actions,
            by_service,
            services,
        }
    }

    /// The name of `services[k]`.
    fn service(&self, k: usize) -> &ServiceKey<'static> {
        &self.by_service[self.services[k]].0
    }

    /// The rows of `by_service` for `services[k]`.
    fn rows_of(&self, k: usize) -> &[(ServiceKey<'static>, usize)] {
        let end = self
            .services
            .get(k + 1)
            .map_or(self.by_service.len(), |&s| s);
        &self.by_service[self.services[k]..end]
    }

    /// The watched actions `access` could grant, in data-file order: those of the services
    /// its Allow statements name, or all of them when one could cover any service.
    fn askable<'s>(&'s self, access: &Access<'_>) -> Vec<&'s Watched> {
        let Some(services) = access.allowed_services() else {
            return self.actions.iter().collect();
        };
        let mut picked: Vec<usize> = Vec::new();
        // Search the shorter list in the longer: a policy names one to four hundred services,
        // a category watches a few dozen.
        if services.len() <= self.services.len() {
            for service in services {
                if let Ok(k) = self
                    .services
                    .binary_search_by(|&at| self.by_service[at].0.cmp(service))
                {
                    picked.extend(self.rows_of(k).iter().map(|(_, i)| *i));
                }
            }
        } else {
            for k in 0..self.services.len() {
                if services
                    .binary_search_by(|s| s.cmp(self.service(k)))
                    .is_ok()
                {
                    picked.extend(self.rows_of(k).iter().map(|(_, i)| *i));
                }
            }
        }
        picked.sort_unstable();
        picked.into_iter().map(|i| &self.actions[i]).collect()
    }
}

/// Parses a data file embedded in the binary; a broken one is a build defect, caught by tests.
pub fn load_watched(name: &str, json: &str) -> WatchList {
    serde_json::from_str::<WatchedFile>(json)
        .map(|f| WatchList::new(f.actions))
        .unwrap_or_else(|e| panic!("internal error: data/risk/{name}.json is invalid: {e}"))
}

/// Lowers a severity one step for narrowing conditions and two for a tie to the caller.
pub fn graded(base: Severity, gate: &Gate) -> Severity {
    let steps = match gate {
        Gate::Open => 0,
        Gate::Narrowed(_) => 1,
        Gate::Caller(_) => 2,
    };
    (0..steps).fold(base, |s, _| match s {
        Severity::Error => Severity::Warning,
        _ => Severity::Note,
    })
}

/// A broad grant of one watched action.
struct Hit<'p, 'w> {
    grant: Grant<'p>,
    watched: &'w Watched,
    severity: Severity,
}

/// Reports the watched actions that `access` grants on every resource of their kind: one
/// finding per policy value that grants them, naming the first action and counting the rest.
pub fn report_watched(
    id: &'static str,
    what: &str,
    watched: &WatchList,
    access: &Access<'_>,
    help: &'static str,
    out: &mut Vec<Finding>,
) {
    let mut hits: Vec<Hit<'_, '_>> = Vec::new();
    for w in watched.askable(access) {
        for grant in access.grants_of(&w.action, || w.target.get(&w.action)) {
            if !grant.reach().0.is_broad() {
                continue;
            }
            let severity = graded(w.severity, &grant.gate);
            hits.push(Hit {
                grant,
                watched: w,
                severity,
            });
        }
    }
    // One finding per granting value, its most severe action first, then data-file order.
    hits.sort_by_key(|h| (h.grant.via.span().start, std::cmp::Reverse(h.severity)));
    let mut rest = hits.as_slice();
    while let Some(first) = rest.first() {
        let at = first.grant.via.span();
        let same = rest.iter().take_while(|h| h.grant.via.span() == at).count();
        let (group, tail) = rest.split_at(same);
        rest = tail;
        out.push(finding(id, what, group, help));
    }
}

fn finding(id: &'static str, what: &str, hits: &[Hit<'_, '_>], help: &'static str) -> Finding {
    let first = &hits[0];
    let grant = &first.grant;
    let action = &first.watched.action;
    // One message, written in place: the risk rules report about a thousand values here.
    let mut message = grant.via.describe();
    let names_it = message
        .strip_prefix('`')
        .and_then(|m| m.strip_suffix('`'))
        .is_some_and(|m| m.eq_ignore_ascii_case(action));
    if names_it {
        message.push_str(" is allowed");
    } else {
        let _ = write!(message, " allows `{action}`");
    }
    let _ = write!(
        message,
        " on {}: {}",
        grant.reach_phrase(),
        first.watched.message
    );
    match hits.len() {
        1 => {}
        2 => {
            let _ = write!(message, " (and `{}`)", hits[1].watched.action);
        }
        n => {
            let _ = write!(message, " (and {} more {what})", n - 1);
        }
    }
    message.push_str(&grant.gate.phrase());
    let (_, _, reach_span) = grant.reach();
    let st = grant.statement;
    let mut f = Finding::new(
        id,
        first.severity,
        grant.via.span(),
        grant.via.pointer(),
        message,
    )
    .help(help)
    .in_statement(st.index, st.sid());
    if reach_span != grant.via.span() {
        f = f.label(reach_span, "every resource of the kind");
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_lower_severity() {
        assert_eq!(graded(Severity::Error, &Gate::Open), Severity::Error);
        assert_eq!(
            graded(Severity::Error, &Gate::Narrowed(vec![])),
            Severity::Warning
        );
        assert_eq!(
            graded(Severity::Error, &Gate::Caller(vec![])),
            Severity::Note
        );
        assert_eq!(
            graded(Severity::Note, &Gate::Narrowed(vec![])),
            Severity::Note
        );
    }
}

#[cfg(test)]
mod data_tests {
    use crate::catalog::catalog;

    /// Every action a risk list names exists in the catalog, so a typo cannot silently
    /// disable an entry.
    #[test]
    fn every_listed_action_exists() {
        let files = [
            include_str!("../../data/risk/data-exfiltration.json"),
            include_str!("../../data/risk/resource-exposure.json"),
            include_str!("../../data/risk/credentials-exposure.json"),
            include_str!("../../data/risk/privilege-escalation.json"),
        ];
        for text in files {
            let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
            let mut names: Vec<&str> = Vec::new();
            for e in v["actions"].as_array().into_iter().flatten() {
                names.push(e["action"].as_str().expect("action"));
                assert!(!e["source"].as_str().unwrap_or("").is_empty(), "{e}");
            }
            for p in v["paths"].as_array().into_iter().flatten() {
                assert!(!p["source"].as_str().unwrap_or("").is_empty(), "{p}");
                names.extend(
                    p["actions"]
                        .as_array()
                        .expect("actions")
                        .iter()
                        .map(|a| a.as_str().expect("str")),
                );
            }
            for name in names {
                let (prefix, action) = name.split_once(':').expect("service:Action");
                let found = catalog().service(prefix).and_then(|s| s.action(action));
                assert!(found.is_some(), "{name} is not in the catalog");
            }
        }
    }
}
