//! AWS's IAM catalog as static tables: every service's actions, resource types and condition
//! keys, sorted for binary search, so that mlpolicy reads them without decoding anything.
//!
//! `build.rs` reads `data/aws-iam-catalog.json` (see `layout.rs` for the line layout it relies
//! on) and `data/aws-global-condition-keys.json`, and writes `tables.rs`. The lookups (case
//! folding, templated keys, wildcards) are mlpolicy's `catalog` module.

pub mod entries;
mod kinds;
pub mod layout;
mod template;

pub use kinds::{AccessLevel, KeyType};
pub use template::template_pattern;

/// The catalog JSON itself: the parts read at run time (`source`, `keyPrefixes`, `retired`)
/// are small and read with serde_json on first use; the tests hold the tables to the rest.
pub const CATALOG_TEXT: &str = include_str!("../../../data/aws-iam-catalog.json");
/// The team-owned list of global condition keys, the source of [`GLOBAL_KEYS`].
pub const GLOBALS_TEXT: &str = include_str!("../../../data/aws-global-condition-keys.json");

#[derive(Debug)]
pub struct Action {
    /// Display case, e.g. `CreateTrainingJob`.
    pub name: &'static str,
    pub level: AccessLevel,
    /// Resource types the action can be scoped to. When none is `required`, any one applies.
    pub resources: &'static [ActionResource],
    pub condition_keys: &'static [&'static str],
}

impl Action {
    /// No resource types: only `Resource: "*"` works for this action.
    pub fn is_wildcard_only(&self) -> bool {
        self.resources.is_empty()
    }

    /// `Resource: "*"` is right for it: it accepts only `*`, or its one resource type is
    /// optional, so it can be called with no resource at all (`cloudwatch:PutMetricData`).
    pub fn callable_without_resource(&self) -> bool {
        self.is_wildcard_only() || (self.resources.len() == 1 && !self.resources[0].required)
    }
}

#[derive(Debug)]
pub struct ActionResource {
    pub resource_type: &'static str,
    pub required: bool,
    pub condition_keys: &'static [&'static str],
}

#[derive(Debug)]
pub struct ResourceType {
    pub name: &'static str,
    /// Usually one; a few (apigateway, lex, greengrass) have several.
    pub arn_formats: &'static [&'static str],
    pub condition_keys: &'static [&'static str],
}

#[derive(Debug)]
pub struct ConditionKey {
    /// Display case; templated keys keep their placeholder (`aws:ResourceTag/${TagKey}`).
    pub name: &'static str,
    pub key_type: KeyType,
}

/// A list of condition keys, sorted case-insensitively, with the templated ones as globs.
#[derive(Debug)]
pub struct KeyTable {
    pub keys: &'static [ConditionKey],
    /// `(glob pattern with each placeholder as ?*, index into keys)`, in key order.
    pub templates: &'static [(&'static str, usize)],
}

/// One service. Every list is sorted by its names compared as ASCII lowercase, ties by the
/// exact name.
#[derive(Debug)]
pub struct ServiceData {
    pub prefix: &'static str,
    pub name: &'static str,
    pub actions: &'static [Action],
    pub resource_types: &'static [ResourceType],
    pub condition_keys: KeyTable,
}

mod tables {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/tables.rs"));
}

/// `PREFIXES` (lowercase, sorted), `SERVICES` (in the same order), `BODIES` (each service's
/// byte range in [`CATALOG_TEXT`]), `SOURCE`, `KEY_PREFIXES`, `RETIRED` (byte ranges),
/// `COUNT`, `GLOBAL_KEYS`.
pub use tables::*;
