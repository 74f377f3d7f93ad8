//! Role profiles (personas): what an ML role needs, as a set of ML activities.
//!
//! The data lives in `data/profiles/`: `activities.json` holds the activities (after
//! SageMaker Role Manager's ML activities, each with its source), and one `<name>.json` per
//! profile lists the activities it needs and those it may also have. `lint --profile` judges a
//! role against a profile (`exceeds-profile`, `profile-gap`); `scaffold` writes the policy a
//! profile needs.

pub mod scaffold;

use crate::catalog::{self, Action, Service};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// Every profile file. A test checks that this list and `data/profiles/` agree.
const PROFILE_FILES: &[(&str, &str)] = &[
    (
        "data-engineer",
        include_str!("../../data/profiles/data-engineer.json"),
    ),
    (
        "data-scientist",
        include_str!("../../data/profiles/data-scientist.json"),
    ),
    ("mlops", include_str!("../../data/profiles/mlops.json")),
    (
        "model-hosting",
        include_str!("../../data/profiles/model-hosting.json"),
    ),
    (
        "notebook-execution",
        include_str!("../../data/profiles/notebook-execution.json"),
    ),
    (
        "processing-job",
        include_str!("../../data/profiles/processing-job.json"),
    ),
    (
        "sagemaker-compute",
        include_str!("../../data/profiles/sagemaker-compute.json"),
    ),
    (
        "training-job",
        include_str!("../../data/profiles/training-job.json"),
    ),
];

const ACTIVITIES: &str = include_str!("../../data/profiles/activities.json");

/// One ML activity: the statements a least-privilege policy for it holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub description: String,
    /// `role-manager/<template>.json` or a documentation URL.
    pub source: String,
    /// How the activity differs from its source.
    #[serde(default)]
    pub notes: Option<String>,
    /// Scaffold switches the activity needs besides the values its templates name (`vpc`).
    #[serde(default)]
    pub needs: Vec<String>,
    pub statements: Vec<StatementTemplate>,
}

/// A statement of an activity, with `{placeholders}` for the scaffold's arguments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementTemplate {
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    /// Operator -> key -> value (a string or a list of strings), as in a policy.
    #[serde(default)]
    pub condition: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(default)]
    pub abac: Option<AbacUse>,
}

/// How a statement meets per-user resources, which decides the owner condition it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AbacUse {
    /// Acts on existing per-user resources: they must belong to the caller.
    Resource,
    /// Creates them: with the owner-tag style, the new resource must be tagged with its owner.
    Request,
}

/// How a profile ties per-user resources to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AbacStyle {
    /// No per-user resources (execution roles of jobs and endpoints).
    None,
    /// Studio tags what it creates with `sagemaker:user-profile-arn`; compare it with the
    /// caller's own profile.
    Studio,
    /// An `owner` tag equal to `${aws:userid}`, set at creation.
    OwnerTag,
}

impl AbacStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Studio => "studio",
            Self::OwnerTag => "owner-tag",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: String,
    description: String,
    source: String,
    abac: AbacStyle,
    activities: Vec<String>,
    #[serde(default)]
    optional: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivities {
    #[allow(dead_code)]
    about: String,
    activities: Vec<Activity>,
}

#[derive(Debug)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub source: String,
    pub abac: AbacStyle,
    /// What the role needs: `profile-gap` reports those it lacks.
    pub activities: Vec<&'static Activity>,
    /// What the role may also have without exceeding the profile (KMS, VPC, extras).
    pub optional: Vec<&'static Activity>,
    /// Lowercase `service:action` of every catalog action of every activity.
    allowed: HashSet<String>,
}

impl Profile {
    /// Could a role of this profile need `service:action`? Case-insensitive.
    pub fn allows(&self, service: &str, action: &str) -> bool {
        self.allowed.contains(&format!(
            "{}:{}",
            service.to_ascii_lowercase(),
            action.to_ascii_lowercase()
        ))
    }

    /// Needed activities first, then the optional ones.
    pub fn all_activities(&self) -> impl Iterator<Item = &'static Activity> + '_ {
        self.activities.iter().chain(&self.optional).copied()
    }
}

impl Activity {
    /// The action patterns of every statement, in order, without repeats.
    pub fn actions(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.statements
            .iter()
            .flat_map(|s| &s.actions)
            .map(String::as_str)
            .filter(|a| seen.insert(a.to_ascii_lowercase()))
            .collect()
    }

    /// The catalog actions the activity names, sorted by service, then name.
    pub fn catalog_actions(&self) -> Vec<(&'static Service, &'static Action)> {
        let mut out: Vec<(&Service, &Action)> = self
            .actions()
            .iter()
            .flat_map(|a| catalog::catalog().expand(a))
            .collect();
        out.sort_by(|a, b| {
            (a.0.prefix(), a.1.name().to_ascii_lowercase())
                .cmp(&(b.0.prefix(), b.1.name().to_ascii_lowercase()))
        });
        out.dedup_by(|a, b| std::ptr::eq(a.1, b.1));
        out
    }
}

/// The data files are part of the binary and checked by the tests, so a parse failure is a
/// build defect, reported as such.
static ACTIVITY_DATA: LazyLock<Vec<Activity>> = LazyLock::new(|| {
    serde_json::from_str::<RawActivities>(ACTIVITIES)
        .map(|raw| raw.activities)
        .unwrap_or_else(|e| panic!("internal error: data/profiles/activities.json is invalid: {e}"))
});

static PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    PROFILE_FILES
        .iter()
        .map(|(file, text)| {
            let raw: RawProfile = serde_json::from_str(text).unwrap_or_else(|e| {
                panic!("internal error: data/profiles/{file}.json is invalid: {e}")
            });
            let find = |id: &String| -> &'static Activity {
                activity(id).unwrap_or_else(|| {
                    panic!("internal error: profile `{file}` names unknown activity `{id}`")
                })
            };
            let activities: Vec<&'static Activity> = raw.activities.iter().map(find).collect();
            let optional: Vec<&'static Activity> = raw.optional.iter().map(find).collect();
            let allowed = activities
                .iter()
                .chain(&optional)
                .flat_map(|a| a.catalog_actions())
                .map(|(s, a)| format!("{}:{}", s.prefix(), a.name().to_ascii_lowercase()))
                .collect();
            Profile {
                name: raw.name,
                description: raw.description,
                source: raw.source,
                abac: raw.abac,
                activities,
                optional,
                allowed,
            }
        })
        .collect()
});

/// Every profile, sorted by name.
pub fn all() -> &'static [Profile] {
    &PROFILES
}

/// Every activity, in the order of `activities.json`.
pub fn activities() -> &'static [Activity] {
    &ACTIVITY_DATA
}

pub fn activity(id: &str) -> Option<&'static Activity> {
    activities().iter().find(|a| a.id == id)
}

pub fn get(name: &str) -> Option<&'static Profile> {
    all().iter().find(|p| p.name == name)
}

/// The profile names, for the command line; needs no parsing.
pub fn names() -> impl Iterator<Item = &'static str> {
    PROFILE_FILES.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests;
