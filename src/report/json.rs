//! `--format json`: frozen, versioned structs, never a dump of internal types, so that the
//! schema users parse changes only with `version`.

use super::{Options, counts, shown};
use crate::Outcome;
use crate::finding::Severity;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<FindingV1<'a>>,
    errors: Vec<ErrorV1<'a>>,
    summary: SummaryV1,
}

#[derive(Serialize)]
struct FindingV1<'a> {
    rule: &'a str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    /// Index of the statement in the policy's `Statement` list.
    statement: Option<usize>,
    sid: Option<&'a str>,
    pointer: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorV1<'a> {
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryV1 {
    files: usize,
    skipped: usize,
    policies: usize,
    unreadable: usize,
    findings: BySeverity,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    note: usize,
}

pub fn write(outcome: &Outcome, options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let shown = shown(outcome, options);
    let c = counts(outcome, &shown);
    let report = Report {
        version: 1,
        findings: shown
            .iter()
            .map(|s| FindingV1 {
                rule: s.finding.rule,
                severity: s.finding.severity,
                path: &s.file.source.path,
                line: s.start.line,
                column: s.start.column,
                end_line: s.end.line,
                end_column: s.end.column,
                message: &s.finding.message,
                statement: s.finding.statement,
                sid: s.finding.sid.as_deref(),
                pointer: &s.finding.pointer,
                help: s.finding.help.as_deref(),
            })
            .collect(),
        errors: outcome
            .errors
            .iter()
            .map(|e| ErrorV1 {
                path: &e.path,
                message: &e.message,
            })
            .collect(),
        summary: SummaryV1 {
            files: c.files,
            skipped: c.skipped,
            policies: c.policies,
            unreadable: c.unreadable,
            findings: BySeverity {
                error: c.errors,
                warning: c.warnings,
                note: c.notes,
            },
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}
