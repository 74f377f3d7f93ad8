//! Linting one file: decode, parse, find the policy documents, lower, run the rules.

use crate::finding::{Finding, Severity};
use crate::frontend::{self, Contents, Document, Format, Parsed};
use crate::model::{self, Policy, PolicyKind};
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
    lint_source(path, bytes, named).0
}

/// Like [`lint_bytes`], and also hands back the parsed file when it holds policy documents,
/// for passes that judge several files together (`lint --profile`).
pub fn lint_source(path: String, bytes: Vec<u8>, named: bool) -> (FileReport, Option<Parsed>) {
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
        return (report, None);
    }
    let format = Format::sniff(&report.source.path, &report.source.text);
    let parsed = match frontend::parse(format, &report.source.text) {
        Ok(parsed) => parsed,
        Err(e) => {
            if named || frontend::mentions_policy(format, &report.source.text) {
                report.findings.push(unparsable(e));
            } else {
                report.skipped = true;
            }
            return (report, None);
        }
    };
    let documents = match frontend::contents(&parsed) {
        Contents::Documents(docs) => docs,
        Contents::NoPolicies => return (report, None),
        Contents::NotPolicy => {
            if named {
                report.findings.push(not_a_policy(&parsed));
            } else {
                report.skipped = true;
            }
            return (report, None);
        }
    };
    let path_kind = PolicyKind::from_path(&report.source.path);
    for doc in &documents {
        let kind = if doc.kind == PolicyKind::Unknown {
            path_kind
        } else {
            doc.kind
        };
        let (policy, grammar) = model::lower(
            &doc.value,
            &doc.pointer,
            doc.bare_statement,
            kind,
            doc.origin,
        );
        report.findings.extend(grammar);
        for rule in rules::ALL {
            rule.check(&policy, &mut report.findings);
        }
        report.policies += 1;
    }
    drop(documents);
    sort_findings(&mut report.findings);
    (report, Some(parsed))
}

/// The order of findings within a file: by position, then rule and message; duplicates go.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (a.span.start, a.rule, &a.message, a.span.end).cmp(&(
            b.span.start,
            b.rule,
            &b.message,
            b.span.end,
        ))
    });
    findings.dedup();
}

/// Lowers one document into the model; the file name tells the kind when the document does not.
pub fn lower_document<'d>(doc: &'d Document<'_>, path: &str) -> (Policy<'d>, Vec<Finding>) {
    let kind = if doc.kind == PolicyKind::Unknown {
        PolicyKind::from_path(path)
    } else {
        doc.kind
    };
    model::lower(
        &doc.value,
        &doc.pointer,
        doc.bare_statement,
        kind,
        doc.origin,
    )
}

fn not_a_policy(parsed: &Parsed) -> Finding {
    let span = match parsed {
        Parsed::Tree(root) => root.span,
        Parsed::Documents(_) => Span::new(0, 0),
    };
    Finding::new(
        rules::invalid_policy::ID,
        Severity::Error,
        span,
        "",
        "this JSON is not an IAM policy: no `Statement`, and no `PolicyDocument` or `AssumeRolePolicyDocument` holding one",
    )
    .help("pass policy documents (`{\"Version\": \"2012-10-17\", \"Statement\": [...]}`) or `aws iam get-*` output")
}

fn unparsable(e: frontend::Failure) -> Finding {
    Finding::new(e.rule, Severity::Error, e.span, "", e.message)
        .help("fix the syntax; `mlpolicy` lints only what parses")
}

fn invalid_json(span: Span, message: String) -> Finding {
    Finding::new(rules::invalid_json::ID, Severity::Error, span, "", message)
        .help("fix the JSON syntax; `mlpolicy` lints only what parses")
}
