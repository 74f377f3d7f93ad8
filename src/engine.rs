//! Linting one file: decode, parse, find the policy documents, lower, run the rules.

use crate::config::Settings;
use crate::finding::{Finding, Severity};
use crate::frontend::{self, Contents, Document, Format, Parsed};
use crate::model::{self, Policy};
use crate::rules;
use crate::source::{self, SourceFile};
use crate::span::Span;
use crate::suppress::{self, Suppressed};

#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub findings: Vec<Finding>,
    /// Findings accepted by an ignore or a baseline, with the reason.
    pub suppressed: Vec<Suppressed>,
    pub policies: usize,
    /// True when a walked file turned out not to be a policy and was passed over.
    pub skipped: bool,
    /// True for a config file, reported for its unused `[[ignore]]` entries; not counted
    /// as a linted file.
    pub config: bool,
}

/// Lints the bytes of one file with every rule at its default. `named` is true when the user
/// gave this path (or stdin) directly: such a file is always judged, while a walked `.json`
/// that is some other JSON is skipped and only counted.
pub fn lint_bytes(path: String, bytes: Vec<u8>, named: bool) -> FileReport {
    lint_bytes_with(path, bytes, named, &Settings::default())
}

/// Lints the bytes of one file with a config's settings, and applies its inline ignores.
pub fn lint_bytes_with(
    path: String,
    bytes: Vec<u8>,
    named: bool,
    settings: &Settings,
) -> FileReport {
    lint_source(path, bytes, named, settings, false).0
}

/// Like [`lint_bytes_with`], and with `keep_tree` also hands back the parsed file when it
/// holds policy documents, for passes that judge several files together (`lint --profile`).
/// A kept tree is copied out of the source text, which the report owns; trees that are not
/// kept borrow their strings from it.
pub fn lint_source(
    path: String,
    bytes: Vec<u8>,
    named: bool,
    settings: &Settings,
    keep_tree: bool,
) -> (FileReport, Option<Parsed<'static>>) {
    let (mut report, judged, parsed) = judge(path, bytes, named, settings, keep_tree);
    report.findings.retain(|f| settings.is_enabled(f.rule));
    suppress::apply_inline(&mut report, judged, settings);
    settings.remap(
        report
            .findings
            .iter_mut()
            .chain(report.suppressed.iter_mut().map(|s| &mut s.finding)),
    );
    sort_findings(&mut report.findings);
    if !report.findings.is_empty() {
        // Index the lines here, on a worker thread, rather than in the thread that writes
        // the reports in order.
        report.source.lines();
    }
    (report, parsed)
}

/// Parses and lints; also says whether the file was judged (parsed, and not passed over), so
/// an inline ignore in it that matched nothing is truly unused.
fn judge(
    path: String,
    bytes: Vec<u8>,
    named: bool,
    settings: &Settings,
    keep_tree: bool,
) -> (FileReport, bool, Option<Parsed<'static>>) {
    let (text, encoding_error) = source::decode(bytes);
    let source = SourceFile::new(path, text);
    let format = Format::sniff(&source.path, &source.text);
    let report_broken = named || frontend::mentions_policy(format, &source.text);
    let mut report = FileReport {
        source,
        findings: Vec::new(),
        suppressed: Vec::new(),
        policies: 0,
        skipped: false,
        config: false,
    };
    if let Some(e) = encoding_error {
        if report_broken {
            let failure = frontend::Failure {
                rule: format.syntax_rule(),
                span: e.span,
                message: e.message,
            };
            report.findings.push(
                failure
                    .finding()
                    .help("fix the encoding; `mlpolicy` reads UTF-8 text"),
            );
        } else {
            report.skipped = true;
        }
        return (report, false, None);
    }
    let parsed = match frontend::parse_indexed(format, &report.source.text) {
        Ok((parsed, lines)) => {
            if let Some(lines) = lines {
                report.source.set_lines(lines);
            }
            parsed
        }
        Err(e) => {
            if report_broken {
                report.findings.push(e.finding());
            } else {
                report.skipped = true;
            }
            return (report, false, None);
        }
    };
    let (contents, problems) = frontend::contents(&parsed, &report.source.text);
    report.findings.extend(problems);
    let documents = match contents {
        Contents::Documents(docs) => docs,
        Contents::NoPolicies => return (report, true, None),
        Contents::NotPolicy => {
            if named {
                report.findings.push(not_a_policy(&parsed, format));
            } else {
                report.skipped = true;
            }
            return (report, named, None);
        }
    };
    let mut policies = Vec::with_capacity(documents.len());
    for doc in &documents {
        let (policy, grammar) = lower_document(doc, &report.source.path);
        report.findings.extend(grammar);
        for rule in settings.rules() {
            rule.check(&policy, &settings.options, &mut report.findings);
        }
        policies.push(policy);
    }
    report.policies = policies.len();
    for policies in groups(&documents, &policies) {
        let group = rules::Group::new(&policies);
        for rule in settings.rules() {
            rule.check_group(&group, &settings.options, &mut report.findings);
        }
    }
    drop(policies);
    drop(documents);
    let kept = keep_tree.then(|| parsed.into_owned());
    (report, true, kept)
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

/// The policies that act together: the documents attached to one role, user or group, and
/// each document attached to none on its own. A document attached to two roles is judged with
/// each; the findings it shares are merged when the report is sorted.
fn groups<'a, 'p>(
    documents: &[Document<'_>],
    policies: &'a [Policy<'p>],
) -> Vec<Vec<&'a Policy<'p>>> {
    let mut units: std::collections::BTreeMap<&str, Vec<&'a Policy<'p>>> = Default::default();
    let mut out = Vec::new();
    for (doc, policy) in documents.iter().zip(policies) {
        if doc.units.is_empty() {
            out.push(vec![policy]);
        }
        for unit in &doc.units {
            units.entry(unit).or_default().push(policy);
        }
    }
    out.extend(units.into_values());
    out
}

/// Lowers one document into the model; the file name tells the kind when the document does not.
pub fn lower_document<'d>(doc: &'d Document<'_>, path: &'d str) -> (Policy<'d>, Vec<Finding>) {
    model::lower(
        &doc.value,
        &doc.pointer,
        doc.bare_statement,
        doc.kind,
        path,
        doc.origin,
    )
}

fn not_a_policy(parsed: &Parsed, format: Format) -> Finding {
    let span = match parsed {
        Parsed::Tree(root) => root.span,
        Parsed::Stream(_) | Parsed::Documents(..) => Span::new(0, 0),
    };
    let (message, help) = match format {
        Format::Yaml => (
            "this YAML is neither a CloudFormation template nor an IAM policy: no `AWSTemplateFormatVersion`, no `Resources` of `AWS::` types, and no `Statement`",
            "pass CloudFormation or SAM templates, or policy documents",
        ),
        _ => (
            "this JSON is not an IAM policy: no `Statement`, and no `PolicyDocument` or `AssumeRolePolicyDocument` holding one",
            "pass policy documents (`{\"Version\": \"2012-10-17\", \"Statement\": [...]}`), CloudFormation templates or `aws iam get-*` output",
        ),
    };
    Finding::new(
        rules::invalid_policy::ID,
        Severity::Error,
        span,
        "",
        message,
    )
    .help(help)
}
