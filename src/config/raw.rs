//! `mlpolicy.toml` as written: serde structs that keep the span of every value, so the
//! validation in `super::validate` can point at the offending text. Unknown keys and wrong
//! types are rejected here by serde, with toml's own span.
//!
//! `schema/mlpolicy.schema.json` describes the same keys; `tests/config.rs` checks the two
//! against each other through serde's "expected one of" list, so neither can drift.

use crate::finding::Severity;
use crate::rules::missing_abac_condition::Level;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: RawRules,
    #[serde(default)]
    pub profiles: Vec<Spanned<RawProfile>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<RawIgnore>>,
}

/// `[rules]`: `disable = [...]` next to one table per rule id.
#[derive(Debug, Default)]
pub struct RawRules {
    pub disable: Option<Spanned<Vec<Spanned<String>>>>,
    pub tables: Vec<(Spanned<String>, RawRule)>,
    /// Keys that are not rule ids, reported with a suggestion by validation.
    pub unknown: Vec<Spanned<String>>,
}

/// A `[rules.<id>]` table. The rules that take options have tables of their own, so an option
/// given to the wrong rule is an unknown key.
#[derive(Debug)]
pub enum RawRule {
    Plain(Spanned<RuleTable>),
    MissingAbacCondition(Spanned<AbacTable>),
    PublicPrincipal(Spanned<PublicPrincipalTable>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleTable {
    pub enabled: Option<bool>,
    pub severity: Option<Spanned<Severity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PublicPrincipalTable {
    pub enabled: Option<bool>,
    pub severity: Option<Spanned<Severity>>,
    #[serde(default)]
    pub trusted_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    pub trusted_org_ids: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AbacTable {
    pub enabled: Option<bool>,
    pub severity: Option<Spanned<Severity>>,
    #[serde(default)]
    pub extra_actions: Vec<Spanned<RawCovered>>,
}

/// One entry of `extra-actions`, shaped like an entry of `data/abac-actions.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCovered {
    pub action: Spanned<String>,
    pub resource: Spanned<String>,
    pub arn_type: Spanned<String>,
    pub level: Level,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub path: Spanned<String>,
    pub profile: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIgnore {
    pub rule: Spanned<String>,
    pub path: Spanned<String>,
    pub reason: Option<Spanned<String>>,
    pub line: Option<Spanned<i64>>,
    pub pointer: Option<Spanned<String>>,
}

impl RawRule {
    /// The settings every rule table has.
    pub fn common(&self) -> (Option<bool>, Option<&Spanned<Severity>>) {
        match self {
            Self::Plain(t) => (t.get_ref().enabled, t.get_ref().severity.as_ref()),
            Self::MissingAbacCondition(t) => (t.get_ref().enabled, t.get_ref().severity.as_ref()),
            Self::PublicPrincipal(t) => (t.get_ref().enabled, t.get_ref().severity.as_ref()),
        }
    }
}

impl<'de> Deserialize<'de> for RawRules {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RulesVisitor)
    }
}

struct RulesVisitor;

impl<'de> Visitor<'de> for RulesVisitor {
    type Value = RawRules;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of rule ids, and `disable = [...]`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRules, A::Error> {
        let mut rules = RawRules::default();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let id = key.get_ref().as_str();
            // TOML itself rejects a key given twice, so each arm is reached once per key.
            if id == "disable" {
                rules.disable = Some(map.next_value()?);
                continue;
            }
            let table = match crate::rules::lookup(id).map(|r| r.meta().id) {
                Some(crate::rules::public_principal::ID) => {
                    RawRule::PublicPrincipal(map.next_value()?)
                }
                Some(crate::rules::missing_abac_condition::ID) => {
                    RawRule::MissingAbacCondition(map.next_value()?)
                }
                Some(_) => RawRule::Plain(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                    rules.unknown.push(key);
                    continue;
                }
            };
            rules.tables.push((key, table));
        }
        Ok(rules)
    }
}
