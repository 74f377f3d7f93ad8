use super::risk::{self, WatchList};
use super::{Group, declare_rule};
use crate::finding::Finding;
use std::sync::LazyLock;

declare_rule!(
    DataExfiltration,
    id: "data-exfiltration",
    severity: Error,
    security_severity: "7.5",
    tags: ["security", "least-privilege", "data-exfiltration"],
    summary: "data or secrets can be read on every resource of their kind",
    scope: group,
);

static WATCHED: LazyLock<WatchList> = LazyLock::new(|| {
    risk::load_watched(
        "data-exfiltration",
        include_str!("../../data/risk/data-exfiltration.json"),
    )
});

fn check_group(group: &Group<'_>, out: &mut Vec<Finding>) {
    risk::report_watched(
        ID,
        "reads",
        &WATCHED,
        group.role_access(),
        "name the buckets, secrets, parameters and keys the role needs in `Resource`, or tie them to the caller with an ABAC condition",
        out,
    );
}
