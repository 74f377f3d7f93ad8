use super::risk::{self, WatchList};
use super::{Group, declare_rule};
use crate::finding::Finding;
use std::sync::LazyLock;

declare_rule!(
    CredentialsExposure,
    id: "credentials-exposure",
    severity: Error,
    security_severity: "7.5",
    tags: ["security", "least-privilege", "credentials-exposure"],
    summary: "actions that return credentials or sign-in URLs are allowed on every resource of their kind",
    scope: group,
);

static WATCHED: LazyLock<WatchList> = LazyLock::new(|| {
    risk::load_watched(
        "credentials-exposure",
        include_str!("../../data/risk/credentials-exposure.json"),
    )
});

fn check_group(group: &Group<'_>, out: &mut Vec<Finding>) {
    risk::report_watched(
        ID,
        "credential actions",
        &WATCHED,
        group.role_access(),
        "list the roles, users, profiles or clusters in `Resource`, or tie them to the caller with an ABAC condition",
        out,
    );
}
