//! What is wrong with a config file, located in its text and rendered like a finding.

use crate::span::Span;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `None` when the file could not be read at all.
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn at(span: Span, message: impl Into<String>) -> Self {
        Self {
            span: Some(span),
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Every problem found in one config file. Any of them stops the run (exit code 2): linting
/// with a config that does not say what its author meant would report the wrong things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as shown to the user.
    pub path: String,
    pub text: String,
    pub problems: Vec<Problem>,
}

impl ConfigError {
    /// A file that could not be read.
    pub fn unreadable(path: String, message: String) -> Self {
        Self {
            path,
            text: String::new(),
            problems: vec![Problem {
                span: None,
                message,
                help: None,
            }],
        }
    }

    /// `path:line:col: message` for each problem: one line each, for logs and tests.
    pub fn lines(&self) -> Vec<String> {
        let index = crate::span::LineIndex::new(&self.text);
        self.problems
            .iter()
            .map(|p| match p.span {
                Some(span) => {
                    let at = index.position(&self.text, span.start);
                    format!("{}:{}:{}: {}", self.path, at.line, at.column, p.message)
                }
                None => format!("{}: {}", self.path, p.message),
            })
            .collect()
    }

    /// The problems as terminal diagnostics with the offending text underlined.
    pub fn render(&self) -> String {
        let file = SimpleFile::new(self.path.as_str(), self.text.as_str());
        let config = Config::default();
        let lines = self.lines();
        let mut buf = Vec::new();
        for (p, line) in self.problems.iter().zip(&lines) {
            let Some(span) = p.span else {
                buf.extend_from_slice(
                    format!("error: cannot read `{}`: {}\n", self.path, p.message).as_bytes(),
                );
                continue;
            };
            let mut diagnostic = Diagnostic::error()
                .with_message(&p.message)
                .with_labels(vec![Label::primary((), span.range())]);
            if let Some(help) = &p.help {
                diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
            }
            let rendered = term::emit_to_write_style(
                &mut termcolor::NoColor::new(&mut buf),
                &config,
                &file,
                &diagnostic,
            );
            // Rendering into memory fails only on a span outside the text; say it plainly then.
            if rendered.is_err() {
                buf.extend_from_slice(format!("error: {line}\n").as_bytes());
            }
        }
        String::from_utf8_lossy(&buf).into_owned()
    }
}
