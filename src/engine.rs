//! Linting one file: decode, parse, find the policy documents, lower, run the rules.

use crate::finding::{Finding, Severity};
use crate::frontend::{self, Contents, Format, Parsed};
use crate::model::{self, PolicyKind};
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
    let report = judge(path, bytes, named);
    if !report.findings.is_empty() {
        // Index the lines here, on a worker thread, rather than in the thread that writes
        // the reports in order.
        report.source.lines();
    }
    report
}

fn judge(path: String, bytes: Vec<u8>, named: bool) -> FileReport {
    let (text, encoding_error) = source::decode(bytes);
    let source = SourceFile::new(path, text);
    let mut report = FileReport {
        source,
        findings: Vec::new(),
        policies: 0,
        skipped: false,
    };
    if let Some(e) = encoding_error {
        if named || report.source.text.contains("\"Statement\"") {
            report.findings.push(invalid_json(e.span, e.message));
        } else {
            report.skipped = true;
        }
        return report;
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
            return report;
        }
    };
    let documents = match frontend::contents(&parsed) {
        Contents::Documents(docs) => docs,
        Contents::NoPolicies => return report,
        Contents::NotPolicy => {
            if named {
                report.findings.push(not_a_policy(&parsed));
            } else {
                report.skipped = true;
            }
            return report;
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
        crate::catalog::catalog().preload(named_services(&policy));
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

/// The service prefixes the policy's actions name (`s3` of `s3:Get*`), for the catalog to
/// load before the rules look them up.
fn named_services<'p>(policy: &'p model::Policy<'_>) -> impl Iterator<Item = &'p str> {
    policy
        .statements
        .iter()
        .filter_map(|st| st.action.as_ref())
        .flat_map(|a| &a.items)
        .filter_map(|item| item.value.split_once(':').map(|(prefix, _)| prefix))
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
