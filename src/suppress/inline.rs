//! `# mlpolicy: ignore[rule-a, rule-b] reason` comments. They are found by scanning the text,
//! not by the parsers, so they work the same in every format that has comments: `#` in YAML,
//! `#` and `//` in HCL. JSON has no comments; only config ignores apply to it.
//!
//! A comment after code covers its own line; a comment alone on its line covers the next
//! line that is not itself a comment, so several can be stacked above one value. A finding is
//! covered when it starts on that line.

use crate::frontend::Format;
use crate::rules;
use crate::span::Span;

const DIRECTIVE: &str = "mlpolicy:";

/// One rule id inside the brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    pub text: String,
    pub span: Span,
    /// The rule it names; `None` for an unknown id.
    pub rule: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The 1-based line whose findings the comment covers.
    pub covers: usize,
    pub ids: Vec<Id>,
    pub reason: Option<String>,
    /// From the comment marker to the end of the line.
    pub span: Span,
    /// What is wrong with the comment's shape, if anything.
    pub malformed: Option<&'static str>,
}

/// The comment markers of a format.
pub fn markers(format: Format) -> &'static [&'static str] {
    match format {
        Format::Json => &[],
        Format::Yaml => &["#"],
        Format::Terraform => &["#", "//"],
    }
}

/// Every ignore comment in `text`, sorted by the line they cover.
pub fn scan(text: &str, markers: &[&str]) -> Vec<Comment> {
    if markers.is_empty() || !text.contains(DIRECTIVE) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, line.trim_end_matches(['\n', '\r'])));
        start += line.len();
    }
    let comment_only = |line: &str| {
        let trimmed = line.trim_start();
        markers.iter().any(|m| trimmed.starts_with(m))
    };
    // The first line at or after each line that is not a comment, found in one backward
    // pass so that a file of stacked comments stays linear.
    let mut next_code = vec![lines.len(); lines.len() + 1];
    for i in (0..lines.len()).rev() {
        next_code[i] = if comment_only(lines[i].1) {
            next_code[i + 1]
        } else {
            i
        };
    }
    let mut out = Vec::new();
    for (i, &(start, line)) in lines.iter().enumerate() {
        let Some((marker, directive)) = find_directive(line, markers) else {
            continue;
        };
        let Some(mut comment) = parse(line, marker, directive + DIRECTIVE.len(), start) else {
            continue;
        };
        comment.covers = if comment_only(line) {
            match next_code[i + 1] {
                j if j < lines.len() => j + 1,
                _ => i + 2,
            }
        } else {
            i + 1
        };
        out.push(comment);
    }
    // Already in order but for odd lines like `# note # mlpolicy: ...`; matching relies on it.
    out.sort_by_key(|c| c.covers);
    out
}

/// Where the comment marker and `mlpolicy:` are, when the directive directly follows a marker.
fn find_directive(line: &str, markers: &[&str]) -> Option<(usize, usize)> {
    line.match_indices(DIRECTIVE).find_map(|(at, _)| {
        let before = line[..at].trim_end();
        markers
            .iter()
            .find(|m| before.ends_with(*m))
            .map(|m| (before.len() - m.len(), at))
    })
}

/// Parses what follows `mlpolicy:`; `None` when it is not an ignore (prose that happens to
/// start with the tool's name).
fn parse(line: &str, marker: usize, after: usize, offset: usize) -> Option<Comment> {
    let rest = &line[after..];
    let body_at = after + (rest.len() - rest.trim_start().len());
    let keyword = line[body_at..].strip_prefix("ignore")?;
    if keyword.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let mut comment = Comment {
        covers: 0,
        ids: Vec::new(),
        reason: None,
        span: Span::new(offset + marker, offset + line.trim_end().len()),
        malformed: None,
    };
    let Some(list) = keyword.strip_prefix('[') else {
        comment.malformed = Some("`mlpolicy: ignore` needs the rule ids in brackets");
        return Some(comment);
    };
    let list_at = line.len() - list.len();
    let Some(close) = list.find(']') else {
        comment.malformed = Some("the rule ids of this ignore comment have no closing `]`");
        return Some(comment);
    };
    let mut at = list_at;
    for part in list[..close].split(',') {
        let text = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !text.is_empty() {
            let start = offset + at + lead;
            comment.ids.push(Id {
                text: text.to_string(),
                span: Span::new(start, start + text.len()),
                rule: rules::lookup(text).map(|r| r.meta().id),
            });
        }
        at += part.len() + 1;
    }
    if comment.ids.is_empty() {
        comment.malformed = Some("this ignore comment names no rule");
    }
    let reason = list[close + 1..]
        .trim()
        .trim_start_matches([':', '-', '—', '–'])
        .trim();
    comment.reason = (!reason.is_empty()).then(|| reason.to_string());
    Some(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Vec<Comment> {
        scan(text, markers(Format::Yaml))
    }

    fn hcl(text: &str) -> Vec<Comment> {
        scan(text, markers(Format::Terraform))
    }

    #[test]
    fn trailing_comment_covers_its_line() {
        let text = "a: 1\nAction: '*'  # mlpolicy: ignore[redundant-action] legacy role\n";
        let c = yaml(text);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].covers, 2);
        assert_eq!(c[0].reason.as_deref(), Some("legacy role"));
        assert_eq!(c[0].ids[0].rule, Some("redundant-action"));
        assert_eq!(&text[c[0].ids[0].span.range()], "redundant-action");
        assert_eq!(
            &text[c[0].span.range()],
            "# mlpolicy: ignore[redundant-action] legacy role"
        );
    }

    #[test]
    fn own_line_comments_cover_the_next_code_line() {
        let text = "x:\n  # mlpolicy: ignore[public-principal] public site\n  # mlpolicy: ignore[redundant-action]: kept for clarity\n  Principal: '*'\n";
        let c = yaml(text);
        assert_eq!(c.iter().map(|c| c.covers).collect::<Vec<_>>(), [4, 4]);
        assert_eq!(c[1].reason.as_deref(), Some("kept for clarity"));
        // A comment line that mentions something first is still a comment line.
        let c = yaml("a: 1\n# reviewed # mlpolicy: ignore[redundant-action] x\nb: 2\n");
        assert_eq!(c[0].covers, 3);
        // At the end of the file, it covers the line after it (which has no findings).
        assert_eq!(
            yaml("a: 1\n# mlpolicy: ignore[redundant-action] x")[0].covers,
            3
        );
    }

    #[test]
    fn several_ids_unknown_ids_and_no_reason() {
        let text = "  actions = [\"*\"] // mlpolicy: ignore[ redundant-action ,redundnt-action]\n";
        let c = hcl(text);
        assert_eq!(c.len(), 1);
        let ids: Vec<(&str, Option<&str>)> = c[0]
            .ids
            .iter()
            .map(|i| (&text[i.span.range()], i.rule))
            .collect();
        assert_eq!(
            ids,
            [
                ("redundant-action", Some("redundant-action")),
                ("redundnt-action", None)
            ]
        );
        assert_eq!(c[0].reason, None);
        assert_eq!(c[0].covers, 1);
    }

    #[test]
    fn malformed_comments_are_kept_to_be_reported() {
        let shapes = [
            ("# mlpolicy: ignore redundant-action why", "brackets"),
            ("# mlpolicy: ignore[redundant-action why", "closing"),
            ("# mlpolicy: ignore[ , ] why", "names no rule"),
        ];
        for (text, says) in shapes {
            let c = yaml(text);
            assert_eq!(c.len(), 1, "{text}");
            assert!(
                c[0].malformed.is_some_and(|m| m.contains(says)),
                "{text}: {c:?}"
            );
        }
    }

    #[test]
    fn prose_strings_and_json_are_not_comments() {
        assert!(yaml("# mlpolicy: ignores nothing here\n").is_empty());
        assert!(yaml("# see mlpolicy: ignore[x] docs\n").is_empty());
        assert!(yaml("url: http://mlpolicy: ignore[x]\n").is_empty());
        // `//` is a comment in HCL only.
        assert!(yaml("a: b // mlpolicy: ignore[redundant-action] x\n").is_empty());
        assert_eq!(
            hcl("a = b // mlpolicy: ignore[redundant-action] x\n").len(),
            1
        );
        assert!(
            scan(
                "# mlpolicy: ignore[redundant-action] x",
                markers(Format::Json)
            )
            .is_empty()
        );
    }

    #[test]
    fn crlf_and_multibyte_text_keep_exact_spans() {
        let text = "é: 1\r\nb: 2 # mlpolicy: ignore[unknown-action] naïve reason\r\n";
        let c = yaml(text);
        assert_eq!(&text[c[0].ids[0].span.range()], "unknown-action");
        assert_eq!(c[0].reason.as_deref(), Some("naïve reason"));
        assert_eq!(c[0].covers, 2);
    }

    #[test]
    fn stacked_comments_stay_linear() {
        let text = "# mlpolicy: ignore[redundant-action] r\n".repeat(200_000) + "Action: x\n";
        let started = std::time::Instant::now();
        let c = yaml(&text);
        assert_eq!(c.len(), 200_000);
        assert!(c.iter().all(|c| c.covers == 200_001));
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
