use super::declare_rule;
use crate::catalog::cmp_ci;
use crate::catalog::resolve::{Covered, Resolved};
use crate::finding::{Finding, Severity};
use crate::model::{Element, Policy, Str, arn, glob};
use crate::text::{FastMap, hash_ignoring_ascii_case};

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
        if items.len() < 2 {
            continue;
        }
        let duplicate_of = first_copies(items);
        // Only a wildcard can cover another entry, and only one of the same service (or
        // with a wildcard service); an exact name covers only its own duplicate. Grouping the
        // wildcards by service keeps this fast on policies with hundreds of entries. Groups
        // are by a case-blind hash of the service: a collision only adds candidates that
        // `covers` turns down (a pattern of another service matches none of this one's).
        let mut wildcards: Vec<(u64, usize)> = items
            .iter()
            .enumerate()
            .filter(|(_, w)| glob::has_wildcard(w.value))
            .map(|(j, w)| (service_hash(w.value), j))
            .collect();
        wildcards.sort_unstable();
        let any = of_service(&wildcards, hash_ignoring_ascii_case("*"));
        for (i, item) in items.iter().enumerate() {
            let (own, any) = if wildcards.is_empty() {
                (&[][..], &[][..])
            } else if service_key(item.value) == "*" {
                // A wildcard service's own group is the `*` group: search it once.
                (any, &[][..])
            } else {
                (of_service(&wildcards, service_hash(item.value)), any)
            };
            let cover = duplicate_of[i].or_else(|| {
                own.iter().chain(any).map(|&(_, j)| j).find(|&j| {
                    j != i
                        && !items[j].value.eq_ignore_ascii_case(item.value)
                        && covers(action, j, i)
                        && !(covers(action, i, j) && j > i)
                })
            });
            let Some(j) = cover else { continue };
            let other = &items[j];
            let message = if other.value.eq_ignore_ascii_case(item.value) {
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

/// For each entry, the first earlier entry with the same text (ignoring case), if any.
fn first_copies(items: &[Str]) -> Vec<Option<usize>> {
    // A handful of entries, the usual statement: compare each with those before it.
    if items.len() <= 16 {
        return (0..items.len())
            .map(|i| (0..i).find(|&j| items[j].value.eq_ignore_ascii_case(items[i].value)))
            .collect();
    }
    // Hundreds: the first entry of each case-blind hash, in one pass. Two texts of one hash
    // that differ (a collision, never seen) are settled the exact way, by sorting.
    let mut first = vec![None; items.len()];
    let mut seen: FastMap<u64, usize> =
        FastMap::with_capacity_and_hasher(items.len(), Default::default());
    for (i, item) in items.iter().enumerate() {
        let j = *seen
            .entry(hash_ignoring_ascii_case(item.value))
            .or_insert(i);
        if j != i {
            if !items[j].value.eq_ignore_ascii_case(item.value) {
                return first_copies_sorted(items);
            }
            first[i] = Some(j);
        }
    }
    first
}

/// [`first_copies`] by sorting: equal texts meet as neighbours.
fn first_copies_sorted(items: &[Str]) -> Vec<Option<usize>> {
    // Sorting by a case-blind hash groups equal texts far faster than comparing the texts;
    // the texts are compared only between equal hashes, so collisions cannot merge groups.
    let mut order: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (hash_ignoring_ascii_case(item.value), i))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| cmp_ci(items[a.1].value, items[b.1].value))
            .then(a.1.cmp(&b.1))
    });
    let mut first = vec![None; items.len()];
    let mut group = order[0].1;
    for &(_, i) in &order[1..] {
        if items[i].value.eq_ignore_ascii_case(items[group].value) {
            first[i] = Some(group);
        } else {
            group = i;
        }
    }
    first
}

/// The wildcards (sorted) whose service key hashes to `hash`, in document order.
fn of_service(wildcards: &[(u64, usize)], hash: u64) -> &[(u64, usize)] {
    let start = wildcards.partition_point(|w| w.0 < hash);
    let end = start + wildcards[start..].partition_point(|w| w.0 == hash);
    &wildcards[start..end]
}

fn service_hash(pattern: &str) -> u64 {
    hash_ignoring_ascii_case(service_key(pattern))
}

/// The service part; every service part with a wildcard groups under `*`. Compared
/// ignoring case.
fn service_key(pattern: &str) -> &str {
    match crate::text::split_colon(pattern) {
        Some((service, _)) if !glob::has_wildcard(service) => service,
        _ => "*",
    }
}

/// Does item `j` (`b`) cover everything item `i` (`a`) covers? An exact catalog name is
/// looked up in `b`'s expansion, other exact names are matched as text; a wildcard `a` is
/// compared through the catalog's expansion of both.
fn covers(action: &Element, j: usize, i: usize) -> bool {
    let (ra, rb) = (&action.resolved()[i], &action.resolved()[j]);
    let (a, b) = (&action.items[i], &action.items[j]);
    if arn::is_all_stars(b.value) {
        return true;
    }
    if !glob::has_wildcard(a.value) {
        let target = match ra {
            Resolved::Actions(_, Covered::Run([target])) => Some(target),
            _ => None,
        };
        return action.item_covers(j, a.value, target);
    }
    if !glob::has_wildcard(b.value) {
        return false;
    }
    if !service_key(a.value).eq_ignore_ascii_case(service_key(b.value)) {
        return false;
    }
    // What `a` covers starts with its literal head, what `b` covers with `b`'s: unless one
    // head starts with the other, nothing has both (`ec2:Describe*`, `ec2:Get*`), and `a`
    // covers something or `b` does not cover it (below). Most pairs end here, without the walk.
    let (ha, hb) = (glob::literal_head(a.value), glob::literal_head(b.value));
    let n = ha.len().min(hb.len());
    if !ha.as_bytes()[..n].eq_ignore_ascii_case(&hb.as_bytes()[..n]) {
        return false;
    }
    let (Resolved::Actions(sa, xa), Resolved::Actions(sb, xb)) = (ra, rb) else {
        return false;
    };
    if xa.is_empty() || sa.prefix() != sb.prefix() || xa.len() > xb.len() {
        return false;
    }
    // Both expansions list actions of one service in the catalog's order, which is their
    // order in memory: two runs nest when their bounds do; otherwise one merge walk tells
    // whether every action of `a` is in `b`.
    if let (Covered::Run(ra), Covered::Run(rb)) = (xa, xb) {
        let (a, b) = (ra.as_ptr_range(), rb.as_ptr_range());
        return b.start <= a.start && a.end <= b.end;
    }
    let mut in_b = xb.iter().map(std::ptr::from_ref);
    xa.iter()
        .map(std::ptr::from_ref)
        .all(|x| in_b.by_ref().any(|y| y == x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn str_of(value: &str) -> Str<'_> {
        Str {
            value,
            span: crate::span::Span::default(),
            pointer: Default::default(),
        }
    }

    #[test]
    fn every_copy_points_at_the_first_of_its_text() {
        let items: Vec<Str> = [
            "s3:GetObject",
            "kms:Decrypt",
            "S3:getobject",
            "s3:GetObject",
            "kms:decrypt",
            "s3:GetObjects",
        ]
        .map(str_of)
        .to_vec();
        assert_eq!(
            first_copies(&items),
            [None, None, Some(0), Some(0), Some(1), None]
        );
        assert_eq!(first_copies_sorted(&items), first_copies(&items));
    }

    #[test]
    fn long_lists_find_the_same_copies_as_sorting() {
        let texts: Vec<String> = (0..60)
            .map(|i| match i % 7 {
                0 => format!("s3:Get{}", i % 5),
                3 => format!("S3:GET{}", i % 5),
                _ => format!("ec2:Describe{i}"),
            })
            .collect();
        let items: Vec<Str> = texts.iter().map(|t| str_of(t)).collect();
        let copies = first_copies(&items);
        assert_eq!(copies, first_copies_sorted(&items));
        assert!(copies.iter().filter(|c| c.is_some()).count() > 10);
    }
}
