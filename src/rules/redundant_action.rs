use super::catalog_lookup::{Resolved, resolve};
use super::declare_rule;
use crate::finding::{Finding, Severity};
use crate::model::{Policy, Str, arn, glob};

declare_rule!(
    RedundantAction,
    id: "redundant-action",
    severity: Note,
    security_severity: "1.0",
    tags: ["maintainability", "catalog"],
    summary: "an action is already covered by another entry of the same statement",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        let items = &action.items;
        // Only a wildcard can cover another entry, and only one of the same service (or
        // with a wildcard service); an exact name covers only its own duplicate. Grouping
        // by service keeps this linear on policies with hundreds of entries.
        let mut wildcards: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (j, w) in items.iter().enumerate() {
            if glob::has_wildcard(&w.value) {
                wildcards.entry(service_key(&w.value)).or_default().push(j);
            }
        }
        let no_candidates = Vec::new();
        let mut first_seen: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let lower = item.value.to_ascii_lowercase();
            let duplicate_of = match first_seen.get(&lower) {
                Some(&j) => Some(j),
                None => {
                    first_seen.insert(lower, i);
                    None
                }
            };
            let own = wildcards
                .get(&service_key(&item.value))
                .unwrap_or(&no_candidates);
            let any = wildcards.get("*").unwrap_or(&no_candidates);
            let cover = duplicate_of.or_else(|| {
                own.iter().chain(any).copied().find(|&j| {
                    j != i
                        && !items[j].value.eq_ignore_ascii_case(&item.value)
                        && covers(&items[j], item)
                        && !(covers(item, &items[j]) && j > i)
                })
            });
            let Some(j) = cover else { continue };
            let other = &items[j];
            let message = if other.value.eq_ignore_ascii_case(&item.value) {
                format!("`{}` is listed twice in this statement", item.value)
            } else {
                format!(
                    "`{}` is already covered by `{}` in this statement",
                    item.value, other.value
                )
            };
            out.push(
                Finding::new(ID, Severity::Note, item.span, item.pointer.clone(), message)
                    .label(other.span, "covered here")
                    .help("remove the redundant entry; if the broad one was not meant, narrow it instead")
                    .in_statement(st.index, st.sid()),
            );
        }
    }
}

/// The service part, lower-cased; every service part with a wildcard groups under `*`.
fn service_key(pattern: &str) -> String {
    let service = pattern.split(':').next().unwrap_or(pattern);
    if glob::has_wildcard(service) || !pattern.contains(':') {
        "*".to_string()
    } else {
        service.to_ascii_lowercase()
    }
}

/// Does pattern `b` cover everything `a` covers? Exact names are matched directly; a
/// wildcard `a` is compared through the catalog's expansion of both.
fn covers(b: &Str, a: &Str) -> bool {
    if arn::is_all_stars(&b.value) {
        return true;
    }
    if !glob::has_wildcard(&a.value) {
        return glob::matches(&b.value, &a.value, true);
    }
    if !glob::has_wildcard(&b.value) {
        return false;
    }
    if service_key(&a.value) != service_key(&b.value) {
        return false;
    }
    let (Resolved::Actions(sa, xa), Resolved::Actions(sb, xb)) =
        (resolve(&a.value), resolve(&b.value))
    else {
        return false;
    };
    if xa.is_empty() || sa.prefix() != sb.prefix() || xa.len() > xb.len() {
        return false;
    }
    let in_b: std::collections::HashSet<*const crate::catalog::Action> =
        xb.iter().map(|y| std::ptr::from_ref(*y)).collect();
    xa.iter().all(|x| in_b.contains(&std::ptr::from_ref(*x)))
}
