//! Findings a project has accepted: inline `mlpolicy: ignore[...]` comments, `[[ignore]]`
//! entries of a config, and a baseline. A suppressed finding leaves the report's findings but
//! is kept with the reason, for the summary's count and SARIF's `suppressions`. An ignore that
//! suppresses nothing is itself a finding (`unused-ignore`), and so is a malformed one
//! (`invalid-ignore`), so stale or mistyped ignores never linger silently.

pub mod inline;

use crate::config::{Config, Settings};
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::frontend::Format;
use crate::rules::{invalid_ignore, unused_ignore};
use crate::source::SourceFile;
use crate::span::Span;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub finding: Finding,
    pub by: Suppression,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// A comment in the file. A comment without a reason still suppresses, and is reported
    /// as `invalid-ignore`.
    Inline { reason: Option<String> },
    /// An `[[ignore]]` entry: the index of the run's config and of the entry in it.
    Config {
        config: usize,
        entry: usize,
        reason: String,
    },
    /// Listed in the `--baseline` file, or being written to `--write-baseline`.
    Baseline { fingerprint: String },
}

impl Suppression {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Inline { .. } => "inline",
            Self::Config { .. } => "config",
            Self::Baseline { .. } => "baseline",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Inline { reason } => reason.as_deref(),
            Self::Config { reason, .. } => Some(reason),
            Self::Baseline { .. } => Some("accepted in the baseline"),
        }
    }

    /// Written in the linted file itself (SARIF's `inSource`), rather than elsewhere.
    pub fn in_source(&self) -> bool {
        matches!(self, Self::Inline { .. })
    }
}

/// Moves the findings `by` accepts from `report.findings` to `report.suppressed`.
pub fn suppress(
    report: &mut FileReport,
    mut by: impl FnMut(&SourceFile, &Finding) -> Option<Suppression>,
) {
    let findings = std::mem::take(&mut report.findings);
    for finding in findings {
        match by(&report.source, &finding) {
            Some(s) => report.suppressed.push(Suppressed { finding, by: s }),
            None => report.findings.push(finding),
        }
    }
}

/// Applies a file's inline ignore comments. `judged` is false when the file could not be
/// parsed: its rules did not run, so an ignore there cannot be called unused.
pub fn apply_inline(report: &mut FileReport, judged: bool, settings: &Settings) {
    if report.skipped {
        return;
    }
    let format = Format::sniff(&report.source.path, &report.source.text);
    let comments = inline::scan(&report.source.text, inline::markers(format));
    if comments.is_empty() {
        return;
    }
    let mut used: Vec<Vec<bool>> = comments.iter().map(|c| vec![false; c.ids.len()]).collect();
    suppress(report, |source, f| {
        let line = line_of(source, f.span.start);
        let first = comments.partition_point(|c| c.covers < line);
        for (c, comment) in comments.iter().enumerate().skip(first) {
            if comment.covers != line {
                break;
            }
            if let Some(i) = comment.ids.iter().position(|id| id.rule == Some(f.rule)) {
                used[c][i] = true;
                return Some(Suppression::Inline {
                    reason: comment.reason.clone(),
                });
            }
        }
        None
    });
    let mut found = Vec::new();
    for (comment, used) in comments.iter().zip(&used) {
        if let Some(problem) = comment.malformed {
            found.push(invalid(
                comment.span,
                problem,
                "write `# mlpolicy: ignore[rule-id] reason`",
            ));
            continue;
        }
        for id in comment.ids.iter().filter(|id| id.rule.is_none()) {
            let help = crate::rules::suggest(&id.text)
                .map_or("`mlpolicy rules` lists every rule id".to_string(), |s| {
                    format!("did you mean `{s}`?")
                });
            found.push(invalid(
                id.span,
                &format!("`{}` in an ignore comment is not a rule", id.text),
                help,
            ));
        }
        if comment.reason.is_none() {
            found.push(invalid(
                comment.span,
                "this ignore comment gives no reason",
                "say why the finding is accepted after the brackets: `# mlpolicy: ignore[rule-id] reason`",
            ));
        }
        if !judged {
            continue;
        }
        for (id, _) in comment
            .ids
            .iter()
            .zip(used)
            .filter(|(id, used)| id.rule.is_some() && !**used)
        {
            found.push(
                Finding::new(
                    unused_ignore::ID,
                    Severity::Warning,
                    id.span,
                    "",
                    format!("the ignore comment for `{}` matches no finding", id.text),
                )
                .help("delete it, or move it onto the line of the finding or the line just above"),
            );
        }
    }
    found.retain(|f| settings.is_enabled(f.rule));
    report.findings.extend(found);
}

/// The 1-based line of a byte offset, without counting columns.
fn line_of(source: &SourceFile, offset: usize) -> usize {
    source
        .lines()
        .line_starts()
        .partition_point(|&s| s <= offset)
}

fn invalid(span: Span, message: &str, help: impl Into<Cow<'static, str>>) -> Finding {
    Finding::new(invalid_ignore::ID, Severity::Warning, span, "", message).help(help)
}

/// Applies a config's `[[ignore]]` entries to one file at `relative` (inside the config's
/// folder). Returns the entries whose path matches the file, used or not.
pub fn apply_config(
    report: &mut FileReport,
    config_index: usize,
    config: &Config,
    relative: &str,
) -> Vec<usize> {
    let matching: Vec<usize> = config
        .ignores
        .iter()
        .enumerate()
        .filter(|(_, i)| i.path.matches(relative))
        .map(|(k, _)| k)
        .collect();
    if !matching.is_empty() {
        suppress(report, |source, f| {
            let line = line_of(source, f.span.start);
            matching
                .iter()
                .find(|&&k| config.ignores[k].covers(f, line))
                .map(|&k| Suppression::Config {
                    config: config_index,
                    entry: k,
                    reason: config.ignores[k].reason.clone(),
                })
        });
    }
    matching
}

/// How a run used the `[[ignore]]` entries of one config.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Per entry: did a linted file match its path?
    pub seen: Vec<bool>,
    /// Per entry: did it suppress a finding?
    pub used: Vec<bool>,
}

impl Usage {
    pub fn new(config: &Config) -> Self {
        Self {
            seen: vec![false; config.ignores.len()],
            used: vec![false; config.ignores.len()],
        }
    }
}

/// The findings for a config's unused `[[ignore]]` entries, as a report on the config file.
/// An entry whose path matched no linted file is reported only when the run covered the
/// config's whole folder (`walked_all`): linting one file says nothing about the others.
pub fn unused_config_ignores(
    config: &Config,
    usage: &Usage,
    walked_all: bool,
) -> Option<FileReport> {
    let mut findings = Vec::new();
    for (k, ignore) in config.ignores.iter().enumerate() {
        if usage.used[k] {
            continue;
        }
        let message = if usage.seen[k] {
            format!(
                "`[[ignore]]` of `{}` for `{}` matches no finding",
                ignore.rule,
                ignore.path.as_str()
            )
        } else if walked_all {
            format!(
                "`[[ignore]]` path `{}` matches no linted file",
                ignore.path.as_str()
            )
        } else {
            continue;
        };
        findings.push(
            Finding::new(unused_ignore::ID, Severity::Warning, ignore.span, "", message).help(
                "delete the entry, or correct its `path` (relative to this file's folder), `line` or `pointer`",
            ),
        );
    }
    findings.retain(|f| config.settings.is_enabled(f.rule));
    if findings.is_empty() {
        return None;
    }
    config.settings.remap(&mut findings);
    Some(FileReport {
        source: SourceFile::new(config.display.clone(), config.text.clone()),
        findings,
        suppressed: Vec::new(),
        policies: 0,
        skipped: false,
        config: true,
    })
}
