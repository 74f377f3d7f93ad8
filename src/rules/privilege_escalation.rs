use super::risk;
use super::{Group, declare_rule};
use crate::access::{Grant, Reach, ServiceKey};
use crate::catalog::resolve::CachedAction;
use crate::finding::{Finding, Severity};
use crate::text::FastMap;
use serde::Deserialize;
use std::sync::LazyLock;

declare_rule!(
    PrivilegeEscalation,
    id: "privilege-escalation",
    severity: Error,
    security_severity: "9.0",
    tags: ["security", "least-privilege", "privilege-escalation"],
    summary: "the policies allow a known path to more privileges (PassRole + a compute service, policy rewrites, others' credentials or notebooks)",
    scope: group,
);

/// A known path: every action must be allowed; the anchor is the one whose reach matters.
#[derive(Debug, Deserialize)]
struct Path {
    id: String,
    actions: Vec<String>,
    anchor: String,
    resource: Needs,
    message: String,
    #[allow(dead_code)]
    source: String,
    /// The lowercase services of `actions`, as indexes into [`Paths::services`]: a policy
    /// that grants nothing of one of them cannot take the path.
    #[serde(skip)]
    services: Vec<usize>,
    /// The catalog's entry for each of `actions`, looked up the first time it is asked.
    #[serde(skip)]
    targets: Vec<CachedAction>,
    /// The same for `anchor`.
    #[serde(skip)]
    anchor_target: CachedAction,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Needs {
    /// The anchor must reach every resource of its kind (`*`, `role/*`).
    Broad,
    /// Any grant of the anchor is a path; a named resource only lowers the severity.
    Any,
}

#[derive(Deserialize)]
struct PathFile {
    paths: Vec<Path>,
}

/// The known paths, and the services their actions belong to.
struct Paths {
    paths: Vec<Path>,
    /// Every lowercase service of every path, once each: a policy's allowed services are
    /// looked up once each, not once per path that needs them.
    services: Vec<ServiceKey<'static>>,
}

static PATHS: LazyLock<Paths> = LazyLock::new(|| {
    let mut paths =
        serde_json::from_str::<PathFile>(include_str!("../../data/risk/privilege-escalation.json"))
            .unwrap_or_else(|e| {
                panic!("internal error: data/risk/privilege-escalation.json is invalid: {e}")
            })
            .paths;
    // A dozen services among a few hundred actions: a list searched in order, no sorting.
    let mut services: Vec<ServiceKey<'static>> = Vec::new();
    for p in &mut paths {
        for action in &p.actions {
            let prefix = ServiceKey::of_action(action).into_owned();
            let at = services
                .iter()
                .position(|s| *s == prefix)
                .unwrap_or_else(|| {
                    services.push(prefix);
                    services.len() - 1
                });
            if !p.services.contains(&at) {
                p.services.push(at);
            }
        }
        p.targets = p.actions.iter().map(|_| CachedAction::default()).collect();
    }
    Paths { paths, services }
});

struct Hit<'p> {
    path: &'static Path,
    anchor: Grant<'p>,
    /// The grants of the other actions of the path, for labels.
    partners: Vec<(&'static str, Grant<'p>)>,
    severity: Severity,
}

fn check_group(group: &Group<'_>, out: &mut Vec<Finding>) {
    let access = group.role_access();
    // `iam:PassRole` anchors most paths: ask about each action once.
    let mut asked: FastMap<&'static str, Option<Grant<'_>>> = FastMap::default();
    let mut broadest = |action: &'static str, target: &'static CachedAction| {
        asked
            .entry(action)
            .or_insert_with(|| access.broadest(action, || target.get(action)))
            .clone()
    };
    // Which of the paths' services the policies could allow (all, when some `Allow` could
    // cover any service).
    let allowed: Vec<bool> = match access.allowed_services() {
        None => vec![true; PATHS.services.len()],
        Some(allowed) => PATHS
            .services
            .iter()
            .map(|s| allowed.binary_search(s).is_ok())
            .collect(),
    };
    let possible = |p: &Path| p.services.iter().all(|&s| allowed[s]);
    let mut hits: Vec<Hit<'_>> = PATHS
        .paths
        .iter()
        .filter(|p| possible(p))
        .filter_map(|p| walk(p, &mut broadest))
        .collect();
    // One finding per value that grants an anchor, its most severe path first, then data-file
    // order (a stable sort).
    hits.sort_by_key(|h| (h.anchor.via.span().start, std::cmp::Reverse(h.severity)));
    let mut rest = hits.as_slice();
    while let Some(first) = rest.first() {
        let at = first.anchor.via.span();
        let same = rest
            .iter()
            .take_while(|h| h.anchor.via.span() == at)
            .count();
        let (alike, tail) = rest.split_at(same);
        rest = tail;
        out.push(finding(alike));
    }
}

fn walk<'p>(
    path: &'static Path,
    broadest: &mut impl FnMut(&'static str, &'static CachedAction) -> Option<Grant<'p>>,
) -> Option<Hit<'p>> {
    let anchor = broadest(&path.anchor, &path.anchor_target)?;
    let reach = anchor.reach().0;
    let base = match (path.resource, reach) {
        (_, Reach::Everything | Reach::Kind) => Severity::Error,
        (Needs::Any, Reach::Named) => Severity::Warning,
        (Needs::Broad, Reach::Named) => return None,
    };
    let mut partners = Vec::new();
    for (action, target) in path.actions.iter().zip(&path.targets) {
        if *action != path.anchor {
            partners.push((action.as_str(), broadest(action, target)?));
        }
    }
    Some(Hit {
        path,
        severity: risk::graded(base, &anchor.gate),
        anchor,
        partners,
    })
}

fn finding(hits: &[Hit<'_>]) -> Finding {
    let first = &hits[0];
    let anchor = &first.anchor;
    let via = anchor.via.describe();
    let name = &first.path.anchor;
    let what = if via.eq_ignore_ascii_case(&format!("`{name}`")) {
        via
    } else {
        format!("{via} (`{name}`)")
    };
    let with: String = first
        .partners
        .iter()
        .map(|(a, _)| format!(" + `{a}`"))
        .collect();
    let more = match hits.len() {
        1 => String::new(),
        n => format!(" (and {} more paths)", n - 1),
    };
    let message = format!(
        "{what} on {}{with}{more}: {}{}",
        anchor.reach_phrase(),
        first.path.message,
        anchor.gate.phrase()
    );
    let st = anchor.statement;
    let mut f = Finding::new(
        ID,
        first.severity,
        anchor.via.span(),
        anchor.via.pointer(),
        message,
    )
    .help(help(&first.path.id))
    .in_statement(st.index, st.sid());
    let (_, _, reach_span) = anchor.reach();
    if reach_span != anchor.via.span() {
        f = f.label(reach_span, "reaches this far");
    }
    for (action, grant) in &first.partners {
        if grant.via.span() != anchor.via.span() {
            f = f.label(grant.via.span(), format!("allows `{action}`"));
        }
    }
    f
}

fn help(path_id: &str) -> &'static str {
    if path_id.starts_with("passrole-") {
        "list the execution roles the workloads need in the `iam:PassRole` Resource, with an `iam:PassedToService` condition"
    } else {
        "name the users, roles, policies or resources this applies to in `Resource`, or remove the action"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_file_loads_and_anchors_are_in_their_paths() {
        let paths = &super::PATHS;
        assert!(paths.paths.len() > 40);
        for p in &paths.paths {
            assert!(p.actions.contains(&p.anchor), "{}", p.id);
            // Every action's service is among the ones looked up, so none is skipped.
            let services: Vec<&str> = p
                .services
                .iter()
                .map(|&s| paths.services[s].as_str())
                .collect();
            for a in &p.actions {
                let prefix = crate::access::prefix_of(a);
                assert!(services.contains(&prefix.as_ref()), "{}: {a}", p.id);
            }
        }
    }
}
