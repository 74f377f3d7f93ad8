use super::risk::{self, WatchList};
use super::{Group, declare_rule};
use crate::finding::Finding;
use std::sync::LazyLock;

declare_rule!(
    ResourceExposure,
    id: "resource-exposure",
    severity: Warning,
    security_severity: "6.5",
    tags: ["security", "least-privilege", "resource-exposure"],
    summary: "actions that change who can reach a resource (policies, ACLs, grants, shares) are allowed on every resource of their kind",
    scope: group,
);

static WATCHED: LazyLock<WatchList> = LazyLock::new(|| {
    risk::load_watched(
        "resource-exposure",
        include_str!("../../data/risk/resource-exposure.json"),
    )
});

fn check_group(group: &Group<'_>, out: &mut Vec<Finding>) {
    risk::report_watched(
        ID,
        "exposure actions",
        &WATCHED,
        group.role_access(),
        "name the buckets, keys, repositories or secrets whose policies the role manages in `Resource`",
        out,
    );
}
