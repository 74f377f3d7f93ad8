//! `--format github`: workflow commands that GitHub Actions turns into annotations.

use super::{End, Options, Sink, shown_in};
use crate::engine::FileReport;
use crate::finding::Severity;
use std::io::{self, Write};

pub struct Github {
    options: Options,
}

impl Github {
    pub fn new(options: Options) -> Self {
        Self { options }
    }
}

impl Sink for Github {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        for s in shown_in(file, &self.options) {
            let level = match s.finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&s.file.source.path),
                s.start.line,
                s.start.column,
                s.end.line,
                s.end.column,
                escape_property(s.finding.rule),
                escape_data(&s.finding.message),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()> {
        for e in end.errors {
            writeln!(
                out,
                "::error file={}::{}",
                escape_property(&e.path),
                escape_data(&format!("cannot read: {}", e.message))
            )?;
        }
        Ok(())
    }
}

/// The escaping the Actions runner expects in a command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Properties additionally escape the separators `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
