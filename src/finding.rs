//! What a rule reports: one offending value, a message naming it, and how to fix it.

use crate::span::Span;
use compact_str::CompactString;
use serde::Serialize;
use std::borrow::Cow;

/// Ordered so that filtering by `--min-severity` / `--fail-on` is a comparison.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// The offending value.
    pub span: Span,
    pub message: String,
    /// JSON pointer of the offending value; stable when lines move, so fingerprints use it.
    /// Most fit a `CompactString`'s 24 bytes (`/Statement/0/Action/12`).
    pub pointer: CompactString,
    pub statement: Option<usize>,
    /// Most `Sid`s fit a `CompactString`'s 24 bytes: a finding keeps its statement's without
    /// an allocation of its own (and a free on the thread that writes the report).
    pub sid: Option<CompactString>,
    /// Nearly always a fixed text of the rule: borrowed, not copied for every finding.
    pub help: Option<Cow<'static, str>>,
    pub labels: Vec<Label>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Span,
        pointer: impl Into<CompactString>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            span,
            message: message.into(),
            pointer: pointer.into(),
            statement: None,
            sid: None,
            help: None,
            labels: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn in_statement(mut self, index: usize, sid: Option<&str>) -> Self {
        self.statement = Some(index);
        self.sid = sid.map(CompactString::from);
        self
    }
}
