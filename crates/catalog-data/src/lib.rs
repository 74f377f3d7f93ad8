//! AWS's IAM catalog as static tables: every service's actions, resource types and condition
//! keys, sorted for binary search, so that mlpolicy reads them in place without decoding
//! anything.
//!
//! `build.rs` reads `data/aws-iam-catalog.json` (see `layout.rs` for the line layout it relies
//! on) and `data/aws-global-condition-keys.json`, and writes the tables. The look-ups (case
//! folding, templated keys, wildcards) are mlpolicy's `catalog` module.
//!
//! The tables hold no pointers: a string is an offset and a length in one text of all the
//! names, a list is a run of another table. A `&'static str` in a static costs a relocation
//! that the loader applies at every start, to every page of the table: 72,000 of them made
//! `mlpolicy --version` take 4.4 ms instead of 1.8 ms.

pub mod entries;
mod hash;
mod kinds;
pub mod layout;
pub mod raw;
mod template;

pub use kinds::{AccessLevel, KeyType};
pub use template::template_pattern;

/// The catalog JSON itself: the parts read at run time (`source`, `keyPrefixes`, `retired`)
/// are small and read with serde_json on first use; the tests hold the tables to the rest.
pub const CATALOG_TEXT: &str = include_str!("../../../data/aws-iam-catalog.json");
/// The team-owned list of global condition keys, the source of [`GLOBAL_KEYS`].
pub const GLOBALS_TEXT: &str = include_str!("../../../data/aws-global-condition-keys.json");

/// Every name of the tables, each once, one after the other.
static NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/names.txt"));

/// A string of [`NAMES`]: where it starts and how long it is.
#[derive(Clone, Copy)]
pub struct Name(u32, u32);

impl Name {
    pub fn as_str(self) -> &'static str {
        &NAMES[self.0 as usize..(self.0 + self.1) as usize]
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Items `start..start + len` of one of the tables.
#[derive(Clone, Copy)]
struct Run(u32, u32);

impl Run {
    fn of<T>(self, table: &'static [T]) -> &'static [T] {
        &table[self.0 as usize..(self.0 + self.1) as usize]
    }
}

/// A list of names, such as an action's condition keys.
fn names(run: Run) -> impl ExactSizeIterator<Item = &'static str> + Clone {
    run.of(&LISTS).iter().map(|n| n.as_str())
}

pub struct Action {
    name: Name,
    pub level: AccessLevel,
    resources: Run,
    condition_keys: Run,
}

impl Action {
    /// Display case, e.g. `CreateTrainingJob`.
    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }

    /// Resource types the action can be scoped to. When none is `required`, any one applies.
    pub fn resources(&self) -> &'static [ActionResource] {
        self.resources.of(&ACTION_RESOURCES)
    }

    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        names(self.condition_keys)
    }

    /// No resource types: only `Resource: "*"` works for this action.
    pub fn is_wildcard_only(&self) -> bool {
        self.resources.1 == 0
    }

    /// `Resource: "*"` is right for it: it accepts only `*`, or its one resource type is
    /// optional, so it can be called with no resource at all (`cloudwatch:PutMetricData`).
    pub fn callable_without_resource(&self) -> bool {
        match self.resources() {
            [] => true,
            [only] => !only.required,
            _ => false,
        }
    }
}

pub struct ActionResource {
    resource_type: Name,
    /// Index of the resource type in RESOURCE_TYPES; `u32::MAX` when the service lacks it.
    type_at: u32,
    pub required: bool,
    condition_keys: Run,
}

impl ActionResource {
    pub fn resource_type(&self) -> &'static str {
        self.resource_type.as_str()
    }

    /// The service's entry for [`Self::resource_type`]; `None` for a dangling name.
    pub fn resource_type_entry(&self) -> Option<&'static ResourceType> {
        RESOURCE_TYPES.get(self.type_at as usize)
    }

    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        names(self.condition_keys)
    }
}

pub struct ResourceType {
    name: Name,
    arn_formats: Run,
    condition_keys: Run,
}

impl ResourceType {
    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }

    /// Usually one; a few (apigateway, lex, greengrass) have several.
    pub fn arn_formats(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        names(self.arn_formats)
    }

    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        names(self.condition_keys)
    }
}

pub struct ConditionKey {
    name: Name,
    pub key_type: KeyType,
}

impl ConditionKey {
    /// Display case; templated keys keep their placeholder (`aws:ResourceTag/${TagKey}`).
    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }
}

/// A list of condition keys, sorted case-insensitively, with the templated ones as globs.
pub struct KeyTable {
    keys: Run,
    templates: Run,
}

impl KeyTable {
    pub fn keys(&self) -> &'static [ConditionKey] {
        self.keys.of(&KEYS)
    }

    /// `(glob pattern with each placeholder as ?*, index into keys)`, in key order.
    pub fn templates(&self) -> impl ExactSizeIterator<Item = (&'static str, usize)> + Clone {
        self.templates
            .of(&TEMPLATES)
            .iter()
            .map(|&(p, i)| (p.as_str(), i as usize))
    }
}

/// One service. Every list is sorted by its names compared as ASCII lowercase, ties by the
/// exact name.
pub struct ServiceData {
    pub prefix: &'static str,
    name: Name,
    actions: Run,
    resource_types: Run,
    pub condition_keys: KeyTable,
}

impl ServiceData {
    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }

    pub fn actions(&self) -> &'static [Action] {
        self.actions.of(&ACTIONS)
    }

    pub fn resource_types(&self) -> &'static [ResourceType] {
        self.resource_types.of(&RESOURCE_TYPES)
    }
}

// Debug shows the names, not where they are.

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Action")
            .field("name", &self.name)
            .field("level", &self.level)
            .field("resources", &self.resources())
            .field("condition_keys", &Names(self.condition_keys))
            .finish()
    }
}

impl std::fmt::Debug for ActionResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionResource")
            .field("resource_type", &self.resource_type)
            .field("required", &self.required)
            .field("condition_keys", &Names(self.condition_keys))
            .finish()
    }
}

impl std::fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceType")
            .field("name", &self.name)
            .field("arn_formats", &Names(self.arn_formats))
            .field("condition_keys", &Names(self.condition_keys))
            .finish()
    }
}

impl std::fmt::Debug for ConditionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConditionKey")
            .field("name", &self.name)
            .field("key_type", &self.key_type)
            .finish()
    }
}

impl std::fmt::Debug for KeyTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyTable")
            .field("keys", &self.keys())
            .field("templates", &self.templates().collect::<Vec<_>>())
            .finish()
    }
}

impl std::fmt::Debug for ServiceData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceData")
            .field("prefix", &self.prefix)
            .field("name", &self.name)
            .field("actions", &self.actions())
            .field("resource_types", &self.resource_types())
            .field("condition_keys", &self.condition_keys)
            .finish()
    }
}

struct Names(Run);

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(names(self.0)).finish()
    }
}

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

/// The action `service:Action` names (ASCII case ignored), with the index of its service in
/// [`SERVICES`]: the hash picks a slot of the table, and the slots that follow hold the
/// actions that wanted the same one, up to an empty slot. Where finding the service and then
/// the action by name took two binary searches of string comparisons.
pub fn action_named(text: &str) -> Option<(usize, &'static Action)> {
    let hash = hash::name_hash(text);
    let mut at = hash::slot(hash);
    loop {
        let (tag, s, a) = ACTION_SLOTS[at];
        if a == hash::EMPTY {
            return None;
        }
        if tag == hash::tag(hash) {
            let (s, action) = (usize::from(s), &ACTIONS[a as usize]);
            let (prefix, name) = (SERVICES[s].prefix.as_bytes(), action.name().as_bytes());
            let text = text.as_bytes();
            if text.len() == prefix.len() + 1 + name.len()
                && text[..prefix.len()].eq_ignore_ascii_case(prefix)
                && text[prefix.len()] == b':'
                && text[prefix.len() + 1..].eq_ignore_ascii_case(name)
            {
                return Some((s, action));
            }
        }
        // The table is never full (build.rs checks), so an empty slot ends every search.
        at = hash::next_slot(at);
    }
}
