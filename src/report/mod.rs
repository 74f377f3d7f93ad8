//! Output formats. Each is a leaf that only reads the sorted outcome.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::Outcome;
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::span::Position;
use std::io::{self, Write};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub min_severity: Severity,
    pub color: bool,
    /// Only for human output on a terminal: a time makes output differ between runs.
    pub elapsed: Option<Duration>,
    pub quiet: bool,
}

/// The findings to show, with their start and end positions.
pub struct Shown<'a> {
    pub file: &'a FileReport,
    pub finding: &'a Finding,
    pub start: Position,
    pub end: Position,
}

pub fn shown<'a>(outcome: &'a Outcome, options: &Options) -> Vec<Shown<'a>> {
    outcome
        .findings()
        .filter(|(_, f)| f.severity >= options.min_severity)
        .map(|(file, finding)| Shown {
            file,
            finding,
            start: file.source.position(finding.span.start),
            end: file.source.position(finding.span.end),
        })
        .collect()
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub skipped: usize,
    pub policies: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn counts(outcome: &Outcome, shown: &[Shown<'_>]) -> Counts {
    let mut c = Counts {
        files: outcome.files.iter().filter(|f| !f.skipped).count(),
        skipped: outcome.files.iter().filter(|f| f.skipped).count() + outcome.passed_over,
        policies: outcome.files.iter().map(|f| f.policies).sum(),
        unreadable: outcome.errors.len(),
        ..Counts::default()
    };
    for s in shown {
        match s.finding.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Note => c.notes += 1,
        }
    }
    c
}

pub fn write(
    format: Format,
    outcome: &Outcome,
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(outcome, options, out),
        Format::Json => json::write(outcome, options, out),
        Format::Sarif => sarif::write(outcome, options, out),
        Format::Github => github::write(outcome, options, out),
    }
}

/// Where users read a rule's page; also SARIF's `helpUri`.
pub fn rule_url(id: &str) -> String {
    format!("https://github.com/mlpolicy/mlpolicy/blob/main/rules/{id}.md")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One line: `12 files linted (3 skipped), 14 policies: 2 errors, 5 warnings, 1 note`.
pub fn summary_line(c: &Counts) -> String {
    let mut line = format!("{} linted", plural(c.files, "file"));
    if c.skipped > 0 {
        line += &format!(" ({} skipped: not policies)", c.skipped);
    }
    line += &format!(
        ", {}",
        plural(c.policies, "policy").replace("policys", "policies")
    );
    line += &format!(
        ": {}, {}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.notes, "note")
    );
    if c.unreadable > 0 {
        line += &format!("; {} could not be read", plural(c.unreadable, "input"));
    }
    line
}
