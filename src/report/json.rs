//! `--format json`: frozen, versioned structs, never a dump of internal types, so that the
//! schema users parse changes only with `version`: `{"version": 1, "findings": [...],
//! "suppressed": [...], "errors": [...], "summary": {...}}`. Fields are only ever added.

use super::{End, Options, Rendered, Shown, Sink, shown_in, suppressed_in};
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

/// A finding an ignore or the baseline accepted, and why.
#[derive(Serialize)]
struct SuppressedV1<'a> {
    #[serde(flatten)]
    finding: FindingV1<'a>,
    suppression: SuppressionV1<'a>,
}

#[derive(Serialize)]
struct SuppressionV1<'a> {
    /// `inline`, `config` or `baseline`.
    kind: &'a str,
    reason: Option<&'a str>,
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
    suppressed: usize,
    stale_baseline: usize,
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
    /// Suppressed findings come after all others, so they are kept, rendered.
    suppressed: Vec<String>,
}

impl Json {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            findings: 0,
            suppressed: Vec::new(),
        }
    }
}

fn finding_v1<'a>(s: &Shown<'a>) -> FindingV1<'a> {
    FindingV1 {
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
    }
}

/// Pretty JSON of `value`, with every line after the first indented by `indent` spaces.
fn nested<T: Serialize>(value: &T, indent: usize) -> io::Result<String> {
    let mut text = Vec::new();
    write_nested(value, indent, &mut Vec::new(), &mut text)?;
    String::from_utf8(text).map_err(io::Error::other)
}

/// Writes `value` as [`nested`] renders it, straight to `out`, rendering in `scratch`: a
/// report can hold tens of thousands of findings, and re-indenting a rendered copy of each
/// through `str::replace` cost more than rendering it.
fn write_nested<T: Serialize>(
    value: &T,
    indent: usize,
    scratch: &mut Vec<u8>,
    out: &mut dyn Write,
) -> io::Result<()> {
    const SPACES: &[u8] = b"                ";
    let indent = &SPACES[..indent.min(SPACES.len())];
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, value).map_err(io::Error::other)?;
    // Pretty JSON escapes newlines inside strings: every raw newline starts a line.
    let mut rest = scratch.as_slice();
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.write_all(&rest[..=i])?;
        out.write_all(indent)?;
        rest = &rest[i + 1..];
    }
    out.write_all(rest)
}

impl Json {
    /// The file's findings, each pretty-printed and indented into the `findings` array and
    /// joined, and its suppressed findings for the end of the report.
    fn render_file(&self, file: &FileReport) -> io::Result<Rendered> {
        let mut part = Rendered::default();
        for (s, by) in suppressed_in(file, &self.options) {
            let suppressed = SuppressedV1 {
                finding: finding_v1(&s),
                suppression: SuppressionV1 {
                    kind: by.kind(),
                    reason: by.reason(),
                },
            };
            part.suppressed.push(nested(&suppressed, 4)?);
        }
        let mut scratch = Vec::new();
        for s in shown_in(file, &self.options) {
            if part.findings > 0 {
                part.text.extend_from_slice(b",\n    ");
            }
            write_nested(&finding_v1(&s), 4, &mut scratch, &mut part.text)?;
            part.findings += 1;
        }
        Ok(part)
    }
}

impl Sink for Json {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let part = self.render_file(file)?;
        self.write_rendered(file, part, out)
    }

    fn renders_ahead(&self) -> bool {
        true
    }

    fn render(&self, file: &FileReport) -> Option<io::Result<Rendered>> {
        Some(self.render_file(file))
    }

    fn write_rendered(
        &mut self,
        _file: &FileReport,
        part: Rendered,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.suppressed.extend(part.suppressed);
        if part.findings > 0 {
            let lead = if self.findings == 0 {
                "{\n  \"version\": 1,\n  \"findings\": [\n    "
            } else {
                ",\n    "
            };
            out.write_all(lead.as_bytes())?;
            out.write_all(&part.text)?;
            self.findings += part.findings;
        }
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()> {
        if self.findings == 0 {
            write!(out, "{{\n  \"version\": 1,\n  \"findings\": []")?;
        } else {
            write!(out, "\n  ]")?;
        }
        if self.suppressed.is_empty() {
            write!(out, ",\n  \"suppressed\": []")?;
        } else {
            write!(
                out,
                ",\n  \"suppressed\": [\n    {}\n  ]",
                self.suppressed.join(",\n    ")
            )?;
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
            suppressed: c.suppressed,
            stale_baseline: c.stale_baseline,
        };
        writeln!(
            out,
            ",\n  \"errors\": {},\n  \"summary\": {}\n}}",
            nested(&errors, 2)?,
            nested(&summary, 2)?
        )
    }
}
