//! Condition-key look-ups: case-insensitive, and templated keys match their instances.
//!
//! Each placeholder of a templated key (`${TagKey}`, `<key>`, a trailing `tag-key`) matches one
//! or more characters, compared case-insensitively; `mlpolicy-catalog-data` stores each
//! template as a glob (see its `template_pattern`).

use super::{ConditionKey, find_by_name};
use crate::model::glob;
use mlpolicy_catalog_data::KeyTable;

#[derive(Clone, Copy)]
pub(crate) struct KeySet(pub &'static KeyTable);

impl KeySet {
    /// Exact (case-insensitive) match first, then the first template that matches.
    pub fn get(self, key: &str) -> Option<&'static ConditionKey> {
        let keys = self.0.keys();
        if let Some(k) = find_by_name(keys, key, ConditionKey::name) {
            return Some(k);
        }
        self.0
            .templates()
            .find(|(p, _)| glob::matches(p, key, true))
            .map(|(_, i)| &keys[i])
    }
}

#[cfg(test)]
mod tests {
    use mlpolicy_catalog_data::template_pattern;

    #[test]
    fn placeholders_become_one_or_more_characters() {
        let p = |k: &str| template_pattern(k);
        assert_eq!(
            p("sagemaker:ResourceTag/${TagKey}").as_deref(),
            Some("sagemaker:ResourceTag/?*")
        );
        assert_eq!(
            p("s3:ExistingObjectTag/<key>").as_deref(),
            Some("s3:ExistingObjectTag/?*")
        );
        assert_eq!(
            p("aws:PrincipalTag/tag-key").as_deref(),
            Some("aws:PrincipalTag/?*")
        );
        assert_eq!(
            p("agent.${Domain}.buildkite.dev:cluster_id").as_deref(),
            Some("agent.?*.buildkite.dev:cluster_id")
        );
        assert_eq!(p("aws:TagKeys"), None);
        assert_eq!(p("ec2:tag-keys"), None);
    }
}
