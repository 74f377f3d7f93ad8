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

/// Writes `f` as `write_nested(f, 4, ..)` does, without serde: the report is one of these
/// per finding, and serde_json's pretty printer (a call per token, a table look-up per byte
/// of every string) was 6% of a run. The tests hold the two to the same bytes.
fn write_finding(f: &FindingV1<'_>, out: &mut Vec<u8>) {
    fn key(out: &mut Vec<u8>, name: &str) {
        out.extend_from_slice(b"\n      \"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    }
    fn number(out: &mut Vec<u8>, n: usize) {
        crate::text::push_decimal_bytes(out, n);
    }
    out.push(b'{');
    key(out, "rule");
    json_string(out, f.rule);
    out.push(b',');
    key(out, "severity");
    json_string(out, f.severity.as_str());
    out.push(b',');
    key(out, "path");
    json_string(out, f.path);
    for (name, n) in [
        ("line", f.line),
        ("column", f.column),
        ("end_line", f.end_line),
        ("end_column", f.end_column),
    ] {
        out.push(b',');
        key(out, name);
        number(out, n);
    }
    out.push(b',');
    key(out, "message");
    json_string(out, f.message);
    out.push(b',');
    key(out, "statement");
    match f.statement {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
    for (name, text) in [
        ("sid", f.sid),
        ("pointer", Some(f.pointer)),
        ("help", f.help),
    ] {
        out.push(b',');
        key(out, name);
        match text {
            Some(t) => json_string(out, t),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b"\n    }");
}

/// About how many bytes [`write_finding`] writes for `s`: its strings (escapes aside) and
/// the rest of a finding, keys and numbers, which is under 320 bytes.
fn rendered_size(s: &Shown<'_>) -> usize {
    let f = s.finding;
    320 + f.rule.len()
        + s.file.source.path.len()
        + f.message.len()
        + f.pointer.len()
        + f.sid.as_ref().map_or(0, |s| s.len())
        + f.help.as_ref().map_or(0, |h| h.len())
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\\`, and control characters
/// (`\b \t \n \f \r`, the rest as `\u00xx`). Runs between escapes, nearly always the whole
/// string, are copied whole.
fn json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(at) = crate::text::blocks::next_string_special(bytes, start) {
        let b = bytes[at];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
        };
        out.extend_from_slice(&bytes[start..at]);
        out.extend_from_slice(escape);
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

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
        let shown = shown_in(file, &self.options);
        // Sized once: grown by doubling, the text was copied over about once per finding.
        part.text.reserve(shown.iter().map(rendered_size).sum());
        for s in shown {
            if part.findings > 0 {
                part.text.extend_from_slice(b",\n    ");
            }
            write_finding(&finding_v1(&s), &mut part.text);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json writes for `f`, the way the report wrote every finding before.
    fn serde(f: &FindingV1<'_>) -> String {
        let mut out = Vec::new();
        write_nested(f, 4, &mut Vec::new(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn direct(f: &FindingV1<'_>) -> String {
        let mut out = Vec::new();
        write_finding(f, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn finding<'a>(text: &'a str, optional: Option<&'a str>, n: usize) -> FindingV1<'a> {
        FindingV1 {
            rule: "wildcard-action-on-star-resource",
            severity: [Severity::Note, Severity::Warning, Severity::Error][n % 3],
            path: text,
            line: n,
            column: n / 3,
            end_line: usize::MAX - n,
            end_column: 0,
            message: text,
            statement: optional.map(|_| n),
            sid: optional,
            pointer: text,
            help: optional,
        }
    }

    #[test]
    fn strings_of_every_length_escape_every_position_as_serde_json_does() {
        let mut out = Vec::new();
        for len in 0..40 {
            for at in 0..=len {
                for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}"] {
                    // One special byte at `at` (none when `at == len`), another after it
                    // when there is room, around text with multi-byte characters.
                    let mut text: String = "aé".repeat(len).chars().take(len).collect();
                    if at < len {
                        text.replace_range(
                            text.char_indices().nth(at).map_or(0, |(i, _)| i)..,
                            &format!("{special}{}", "b".repeat(len - at - 1)),
                        );
                        if at + 2 < len {
                            text.push_str(special);
                        }
                    }
                    out.clear();
                    json_string(&mut out, &text);
                    let expected = serde_json::to_string(&text).unwrap_or_default();
                    assert_eq!(String::from_utf8_lossy(&out), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn findings_are_written_as_serde_json_writes_them() {
        // Every byte that JSON escapes, at the start, middle and end, and text around it.
        let mut texts: Vec<String> = (0u8..0x80)
            .map(|b| char::from(b).to_string())
            .chain(
                [
                    "",
                    "s3:GetObject",
                    "Café ☕ 𝄞",
                    "a\"b\\c",
                    "\u{7f}\u{80}\u{2028}",
                ]
                .map(String::from),
            )
            .collect();
        texts.extend((0u8..0x20).map(|b| format!("x{}y\"z", char::from(b))));
        for (n, text) in texts.iter().enumerate() {
            for optional in [None, Some(text.as_str()), Some("Sid1")] {
                for n in [0, 1, 9, 10, n, 123_456_789] {
                    let f = finding(text, optional, n);
                    assert_eq!(direct(&f), serde(&f), "{text:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(text in ".*", sid in proptest::option::of(".*"), n in 0usize..) {
            let f = finding(&text, sid.as_deref(), n);
            proptest::prop_assert_eq!(direct(&f), serde(&f));
        }
    }
}
