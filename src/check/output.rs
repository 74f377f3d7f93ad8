//! A check's report: one line a result for people, a versioned object for programs, SARIF
//! for code scanning. The verdict depends on `--on-unknown`, so it is computed once, here.

use super::{Outcome, Status, Verdict, count};
use crate::report::sarif::{Placed, write_placed};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

pub fn write(
    outcome: &Outcome,
    format: Format,
    unknown_fails: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let verdict = outcome.verdict(unknown_fails);
    match format {
        Format::Human => human(outcome, verdict, unknown_fails, out),
        Format::Json => json(outcome, verdict, unknown_fails, out),
        Format::Sarif => {
            let placed: Vec<Placed<'_>> = outcome
                .hits
                .iter()
                .map(|h| Placed {
                    path: &h.path,
                    text: "",
                    finding: &h.finding,
                    start: h.start,
                    end: h.end,
                })
                .collect();
            write_placed(&[outcome.check], &placed, &outcome.errors, out)
        }
    }
}

fn human(
    outcome: &Outcome,
    verdict: Verdict,
    unknown_fails: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    for h in &outcome.hits {
        writeln!(
            out,
            "{}:{}:{}: {}: {}",
            h.path,
            h.start.line,
            h.start.column,
            h.status.as_str(),
            h.finding.message
        )?;
    }
    for e in &outcome.errors {
        writeln!(out, "error: cannot check `{}`: {}", e.path, e.message)?;
    }
    let id = outcome.check.id;
    let scope = format!(
        "{} checked in {} ({})",
        count(outcome.checked.0, outcome.checked.1, outcome.checked.2),
        count(outcome.policies, "policy", "policies"),
        count(outcome.files, "file", "files")
    );
    let line = match verdict {
        Verdict::Error => format!(
            "ERROR {id}: {} could not be read or parsed, so there is no verdict; {scope}",
            count(outcome.errors.len(), "input", "inputs")
        ),
        Verdict::Pass | Verdict::Fail => {
            let counts: Vec<String> = outcome
                .counts()
                .iter()
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect();
            let mut line = format!(
                "{} {id}: {} ({}); {scope}",
                if verdict == Verdict::Pass {
                    "PASS"
                } else {
                    "FAIL"
                },
                count(outcome.hits.len(), "result", "results"),
                counts.join(", ")
            );
            let unknown = outcome.hits.iter().any(|h| h.status == Status::Unknown);
            if unknown && !unknown_fails {
                line += "; unknown results pass (--on-unknown pass)";
            }
            line
        }
    };
    writeln!(out, "{line}")
}

#[derive(Serialize)]
struct ReportV1<'a> {
    version: u32,
    check: &'a str,
    verdict: Verdict,
    /// Whether `unknown` results fail the check (`--on-unknown`).
    unknown_fails: bool,
    results: Vec<ResultV1<'a>>,
    errors: Vec<ErrorV1<'a>>,
    summary: SummaryV1<'a>,
}

#[derive(Serialize)]
struct ResultV1<'a> {
    status: Status,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    statement: Option<usize>,
    sid: Option<&'a str>,
    pointer: &'a str,
    actions: &'a [String],
    resources: &'a [String],
    /// `resources` are the ones a `NotResource` leaves out.
    not_resource: bool,
    conditions: &'a [String],
}

#[derive(Serialize)]
struct ErrorV1<'a> {
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryV1<'a> {
    files: usize,
    policies: usize,
    checked: usize,
    /// What `checked` counts: "actions", "action/resource pairs"...
    checked_what: &'a str,
    results: BTreeMap<&'a str, usize>,
}

fn json(
    outcome: &Outcome,
    verdict: Verdict,
    unknown_fails: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let report = ReportV1 {
        version: 1,
        check: outcome.check.id,
        verdict,
        unknown_fails,
        results: outcome
            .hits
            .iter()
            .map(|h| ResultV1 {
                status: h.status,
                path: &h.path,
                line: h.start.line,
                column: h.start.column,
                end_line: h.end.line,
                end_column: h.end.column,
                message: &h.finding.message,
                statement: h.finding.statement,
                sid: h.finding.sid.as_deref(),
                pointer: &h.finding.pointer,
                actions: &h.actions,
                resources: &h.resources,
                not_resource: h.not_resource,
                conditions: &h.conditions,
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
            files: outcome.files,
            policies: outcome.policies,
            checked: outcome.checked.0,
            checked_what: outcome.checked.2,
            results: outcome
                .counts()
                .into_iter()
                .map(|(s, n)| (s.as_str(), n))
                .collect(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}
