//! Templated condition keys as glob patterns. Pure std and no crate items, so that `build.rs`
//! can `#[path]`-include it and store each service's patterns with its keys.
//!
//! Templated keys spell their variable part as `${TagKey}` (and ~20 other `${Name}`s), `<key>`
//! (`s3:ExistingObjectTag/<key>`) or a trailing `tag-key` segment (`aws:PrincipalTag/tag-key`).
//! Each placeholder matches one or more characters.

/// `sagemaker:ResourceTag/${TagKey}` -> `sagemaker:ResourceTag/?*`; `None` for plain keys
/// (and for keys that contain glob characters themselves, which the data never has).
pub fn template_pattern(key: &str) -> Option<String> {
    if key.contains(['*', '?']) {
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
