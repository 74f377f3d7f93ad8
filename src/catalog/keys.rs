//! Condition-key sets with case-insensitive and templated lookup.
//!
//! Templated keys spell their variable part as `${TagKey}` (and ~20 other `${Name}`s), `<key>`
//! (`s3:ExistingObjectTag/<key>`) or a trailing `tag-key` segment (`aws:PrincipalTag/tag-key`).
//! Each placeholder matches one or more characters, compared case-insensitively.

use super::{ConditionKey, cmp_ci, sort_by_name};
use crate::model::glob;

#[derive(Debug, Default)]
pub(crate) struct KeySet {
    /// Sorted case-insensitively.
    keys: Vec<ConditionKey>,
    /// (glob pattern with each placeholder as `?*`, index into `keys`).
    templates: Vec<(String, usize)>,
}

impl KeySet {
    pub fn new(mut keys: Vec<ConditionKey>) -> KeySet {
        sort_by_name(&mut keys, |k| k.name);
        let templates = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| template_pattern(k.name).map(|p| (p, i)))
            .collect();
        KeySet { keys, templates }
    }

    pub fn all(&self) -> &[ConditionKey] {
        &self.keys
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Exact (case-insensitive) match first, then the first template that matches.
    pub fn get(&self, key: &str) -> Option<&ConditionKey> {
        if let Ok(i) = self.keys.binary_search_by(|k| cmp_ci(k.name, key)) {
            return Some(&self.keys[i]);
        }
        self.templates
            .iter()
            .find(|(p, _)| glob::matches(p, key, true))
            .map(|&(_, i)| &self.keys[i])
    }
}

/// `sagemaker:ResourceTag/${TagKey}` -> `sagemaker:ResourceTag/?*`; `None` for plain keys
/// (and for keys that contain glob characters themselves, which the data never has).
pub(crate) fn template_pattern(key: &str) -> Option<String> {
    if glob::has_wildcard(key) {
        return None;
    }
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    let mut holes = 0;
    while !rest.is_empty() {
        let hole_len = if rest.starts_with("${") {
            rest.find('}').map(|i| i + 1)
        } else if rest.starts_with('<') {
            rest.find('>').map(|i| i + 1)
        } else if rest.eq_ignore_ascii_case("tag-key") && out.ends_with(['/', ':']) {
            Some(rest.len())
        } else {
            None
        };
        match hole_len {
            Some(n) => {
                out.push_str("?*");
                holes += 1;
                rest = &rest[n..];
            }
            None => {
                let c = rest.chars().next().expect("non-empty");
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    (holes > 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::template_pattern;

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
