//! Terminal diagnostics through codespan-reporting, with the source snippet underlined.

use super::{End, Options, Rendered, Sink, summary_line};
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};
use std::io::{self, Write};

pub struct Human {
    options: Options,
    config: Config,
}

impl Human {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            config: Config::default(),
        }
    }

    /// Appends the snippets of `report`'s findings to `buf`.
    fn render_into(&self, report: &FileReport, buf: &mut Vec<u8>) -> io::Result<()> {
        let mut findings = report
            .findings
            .iter()
            .filter(|f| f.severity >= self.options.min_severity)
            .peekable();
        if findings.peek().is_none() {
            return Ok(());
        }
        // Sized once: grown by doubling, the text was copied over five times a file.
        buf.reserve(
            findings
                .clone()
                .map(|f| rendered_size(&report.source.path, f))
                .sum(),
        );
        let lines = report.source.lines();
        // codespan-reporting indexes the file's lines again: only when a finding needs it,
        // and once for all of them.
        let mut file = None;
        for f in findings {
            if !self.options.color
                && super::snippet::write(buf, &report.source.path, &report.source.text, lines, f)
            {
                continue;
            }
            let notes = notes(f);
            let file = file.get_or_insert_with(|| {
                SimpleFile::new(report.source.path.as_str(), report.source.text.as_str())
            });
            let diagnostic = diagnostic(f, notes);
            let rendered = if self.options.color {
                term::emit_to_write_style(
                    &mut termcolor::Ansi::new(&mut *buf),
                    &self.config,
                    file,
                    &diagnostic,
                )
            } else {
                term::emit_to_write_style(
                    &mut termcolor::NoColor::new(&mut *buf),
                    &self.config,
                    file,
                    &diagnostic,
                )
            };
            rendered.map_err(io::Error::other)?;
        }
        Ok(())
    }
}

/// About how many bytes a finding takes: its texts, and for the snippet, the decoration and
/// a source line of typical length for the finding and each label (576 bytes a finding on
/// the managed policies; a short guess only costs a regrowth).
fn rendered_size(path: &str, f: &Finding) -> usize {
    256 + path.len()
        + f.message.len()
        + f.help.as_ref().map_or(0, |h| h.len())
        + 96 * (1 + f.labels.len())
}

impl Sink for Human {
    // Reports render ahead (`Report::files`); this is the one-file way in, `Report::file`.
    fn file(&mut self, report: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        let mut text = Vec::new();
        self.render_into(report, &mut text)?;
        out.write_all(&text)
    }

    fn renders_ahead(&self) -> bool {
        true
    }

    fn render(&self, report: &FileReport) -> Option<io::Result<Rendered>> {
        let mut text = Vec::new();
        Some(self.render_into(report, &mut text).map(|()| Rendered {
            text,
            ..Rendered::default()
        }))
    }

    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()> {
        for e in end.errors {
            writeln!(out, "error: cannot read `{}`: {}", e.path, e.message)?;
        }
        if !self.options.quiet {
            let mut line = summary_line(&end.counts);
            if let Some(elapsed) = end.elapsed {
                line += &format!(" in {elapsed:.0?}");
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The lines under a snippet: the fix, then where to read more.
pub(super) fn notes(f: &Finding) -> Vec<String> {
    note_parts(f)
        .map(|(head, text)| format!("{head}{text}"))
        .collect()
}

/// The notes as [`notes`] words them, each as its fixed head and the finding's text, for
/// writers that copy the two rather than format them.
pub(super) fn note_parts(f: &Finding) -> impl Iterator<Item = (&'static str, &str)> {
    f.help
        .as_deref()
        .map(|help| ("help: ", help))
        .into_iter()
        .chain(std::iter::once(("see: mlpolicy explain ", f.rule)))
}

pub(super) fn diagnostic(f: &Finding, notes: Vec<String>) -> Diagnostic<()> {
    let mut labels = vec![Label::primary((), f.span.range())];
    labels.extend(
        f.labels
            .iter()
            .map(|l| Label::secondary((), l.span.range()).with_message(&l.message)),
    );
    Diagnostic::new(severity(f.severity))
        .with_code(f.rule)
        .with_message(&f.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn severity(s: Severity) -> codespan_reporting::diagnostic::Severity {
    use codespan_reporting::diagnostic::Severity as S;
    match s {
        Severity::Error => S::Error,
        Severity::Warning => S::Warning,
        Severity::Note => S::Note,
    }
}
