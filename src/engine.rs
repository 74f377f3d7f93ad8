//! Linting one file: decode, parse, find the policy documents, lower, run the rules.

use crate::finding::{Finding, Severity};
use crate::model::{self, PolicyKind, locate};
use crate::parse::json;
use crate::rules;
use crate::source::{self, SourceFile};
use crate::span::Span;

#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    pub policies: usize,
    /// True when a walked file turned out not to be a policy and was passed over.
    pub skipped: bool,
}

/// Lints the bytes of one file. `named` is true when the user gave this path (or stdin)
/// directly: such a file is always judged, while a walked `.json` that is some other JSON
/// is skipped and only counted.
pub fn lint_bytes(path: String, bytes: Vec<u8>, named: bool) -> FileReport {
    let (text, encoding_error) = source::decode(bytes);
    let source = SourceFile::new(path, text);
    let report_broken = named || source.text.contains("\"Statement\"");
    let mut report = FileReport {
        source,
        findings: Vec::new(),
        policies: 0,
        skipped: false,
    };
    if let Some(e) = encoding_error {
        if report_broken {
            report.findings.push(invalid_json(e.span, e.message));
        } else {
            report.skipped = true;
        }
        return report;
    }
    let root = match json::parse(&report.source.text) {
        Ok(root) => root,
        Err(e) => {
            if report_broken {
                report.findings.push(invalid_json(e.span, e.message));
            } else {
                report.skipped = true;
            }
            return report;
        }
    };
    let candidates = locate::candidates(&root);
    if candidates.is_empty() {
        if named {
            report.findings.push(
                Finding::new(
                    rules::invalid_policy::ID,
                    Severity::Error,
                    root.span,
                    "",
                    "this JSON is not an IAM policy: no `Statement`, and no `PolicyDocument` or `AssumeRolePolicyDocument` holding one",
                )
                .help("pass policy documents (`{\"Version\": \"2012-10-17\", \"Statement\": [...]}`) or `aws iam get-*` output"),
            );
        } else {
            report.skipped = true;
        }
        return report;
    }
    let path_kind = PolicyKind::from_path(&report.source.path);
    for c in candidates {
        let kind = if c.kind == PolicyKind::Unknown {
            path_kind
        } else {
            c.kind
        };
        let (policy, grammar) = model::lower(c.value, &c.pointer, c.bare_statement, kind);
        report.findings.extend(grammar);
        for rule in rules::ALL {
            rule.check(&policy, &mut report.findings);
        }
        report.policies += 1;
    }
    report.findings.sort_by(|a, b| {
        (a.span.start, a.rule, &a.message, a.span.end).cmp(&(
            b.span.start,
            b.rule,
            &b.message,
            b.span.end,
        ))
    });
    report.findings.dedup();
    report
}

fn invalid_json(span: Span, message: String) -> Finding {
    Finding::new(rules::invalid_json::ID, Severity::Error, span, "", message)
        .help("fix the JSON syntax; `mlpolicy` lints only what parses")
}
