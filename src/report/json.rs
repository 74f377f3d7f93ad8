//! `--format json`: frozen, versioned structs, never a dump of internal types, so that the
//! schema users parse changes only with `version`: `{"version": 1, "findings": [...],
//! "errors": [...], "summary": {...}}`.

use super::{End, Options, Sink, shown_in};
use crate::engine::FileReport;
use crate::finding::Severity;
use serde::Serialize;
use std::io::{self, Write};

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

/// Streams the same bytes `serde_json::to_writer_pretty` would write for the whole report:
/// each finding is pretty-printed on its own and indented into the `findings` array.
pub struct Json {
    options: Options,
    findings: usize,
    /// Reused for every finding: a report can hold hundreds of thousands.
    pretty: Vec<u8>,
    indented: Vec<u8>,
}

impl Json {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            findings: 0,
            pretty: Vec::new(),
            indented: Vec::new(),
        }
    }

    /// Pretty JSON of `value`, with every line after the first indented by `indent` spaces.
    fn nested<T: Serialize>(&mut self, value: &T, indent: usize) -> io::Result<&[u8]> {
        self.pretty.clear();
        serde_json::to_writer_pretty(&mut self.pretty, value).map_err(io::Error::other)?;
        self.indented.clear();
        for (i, line) in self.pretty.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.indented.push(b'\n');
                self.indented.resize(self.indented.len() + indent, b' ');
            }
            self.indented.extend_from_slice(line);
        }
        Ok(&self.indented)
    }
}

impl Sink for Json {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        for s in shown_in(file, &self.options) {
            let finding = FindingV1 {
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
            };
            let lead = if self.findings == 0 {
                "{\n  \"version\": 1,\n  \"findings\": [\n    "
            } else {
                ",\n    "
            };
            out.write_all(lead.as_bytes())?;
            out.write_all(self.nested(&finding, 4)?)?;
            self.findings += 1;
        }
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()> {
        if self.findings == 0 {
            write!(out, "{{\n  \"version\": 1,\n  \"findings\": []")?;
        } else {
            write!(out, "\n  ]")?;
        }
        let errors: Vec<ErrorV1<'_>> = end
            .errors
            .iter()
            .map(|e| ErrorV1 {
                path: &e.path,
                message: &e.message,
            })
            .collect();
        let c = end.counts;
        let summary = SummaryV1 {
            files: c.files,
            skipped: c.skipped,
            policies: c.policies,
            unreadable: c.unreadable,
            findings: BySeverity {
                error: c.errors,
                warning: c.warnings,
                note: c.notes,
            },
        };
        out.write_all(b",\n  \"errors\": ")?;
        out.write_all(self.nested(&errors, 2)?)?;
        out.write_all(b",\n  \"summary\": ")?;
        out.write_all(self.nested(&summary, 2)?)?;
        out.write_all(b"\n}\n")
    }
}
