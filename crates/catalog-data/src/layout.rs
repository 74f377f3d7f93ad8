//! Where things are in the line-oriented catalog text, as byte ranges, without parsing JSON.
//!
//! Shared by `build.rs` (which runs it once at compile time and emits the ranges as constants,
//! so the binary never scans the 3.5 MB text) and the tests (which re-scan and compare).
//! Pure std: no crate items, so `build.rs` can `#[path]`-include this file.
//!
//! `scripts/refresh_catalog.py` writes `data/aws-iam-catalog.json` so that:
//! - top-level keys start at column 0 (`"source": {...},` on one line, `"keyPrefixes": {`,
//!   `"services": {`, `"retired": {` last);
//! - each service header is ` "prefix": {` (exactly one space of indent), its body is indented
//!   two or more spaces, and it closes with ` }` / ` },`.

use std::ops::Range;

/// Byte ranges of the pieces of the catalog text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout<'a> {
    /// Service prefixes, lowercase, sorted, with the range of each service's JSON object.
    pub services: Vec<(&'a str, Range<usize>)>,
    /// The one-line `source` object.
    pub source: Range<usize>,
    /// The `keyPrefixes` object (may be empty).
    pub key_prefixes: Range<usize>,
    /// The `retired` object (may be empty).
    pub retired: Range<usize>,
}

const SERVICES: &str = "\n\"services\": {\n";

/// Scans the whole text (a few milliseconds; done by build.rs, not at run time).
pub fn scan(text: &str) -> Result<Layout<'_>, String> {
    let start = text
        .find(SERVICES)
        .map(|i| i + SERVICES.len() - 1)
        .ok_or("no `\"services\": {` line")?;
    let retired = top_level_value(text, "retired", true).unwrap_or(0..0);
    let end = if retired.start > start {
        retired.start
    } else {
        text.len()
    };
    // `region` runs from the newline before the first header up to the services' closing `}`.
    let close = text[start..end]
        .rfind("\n}")
        .ok_or("the services object is not closed")?;
    let region = &text[start..start + close];
    let mut headers: Vec<usize> = region.match_indices("\n \"").map(|(i, _)| i).collect();
    headers.push(region.len());
    let mut services = Vec::with_capacity(headers.len());
    for w in headers.windows(2) {
        let line = &region[w[0] + 3..w[1]];
        let q = line.find('"').ok_or("unterminated service prefix")?;
        let prefix = &line[..q];
        let after = &line[q + 1..];
        let colon = after.find(':').ok_or("service header without ':'")?;
        let value = &after[colon + 1..];
        let lead = value.len() - value.trim_start().len();
        let trimmed = value.trim().trim_end_matches(',').trim_end();
        let from = start + w[0] + 3 + q + 1 + colon + 1 + lead;
        if !trimmed.starts_with('{') || !trimmed.ends_with('}') {
            return Err(format!("service {prefix}: body is not an object"));
        }
        services.push((prefix, from..from + trimmed.len()));
    }
    if services.is_empty() {
        return Err("no services".into());
    }
    services.sort_by(|a, b| a.0.cmp(b.0));
    if let Some(w) = services.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!("service {} appears twice", w[0].0));
    }
    if let Some((p, _)) = services
        .iter()
        .find(|(p, _)| p.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(format!("service prefix {p} is not lowercase"));
    }
    Ok(Layout {
        services,
        source: top_level_value(text, "source", false).ok_or("no `\"source\"` line")?,
        key_prefixes: top_level_value(text, "keyPrefixes", false).unwrap_or(0..0),
        retired,
    })
}

/// The value of a top-level entry: a one-line value (`"source": {...},`) or a multi-line
/// object that runs to the next top-level key or to the file's final `}`. `near_end` searches
/// backwards (for `retired`, the last section).
pub fn top_level_value(text: &str, key: &str, near_end: bool) -> Option<Range<usize>> {
    let needle = format!("\n\"{key}\": ");
    let at = if near_end {
        text.rfind(&needle)?
    } else {
        text.find(&needle)?
    } + needle.len();
    let rest = &text[at..];
    let end = match rest.find("\n\"") {
        Some(e) => e,
        // Last section: stop before the top-level object's closing brace.
        None => rest.trim_end().strip_suffix('}')?.len(),
    };
    let value = rest[..end].trim_end().trim_end_matches(',').trim_end();
    Some(at..at + value.len())
}
