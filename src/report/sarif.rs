//! SARIF 2.1.0 for GitHub code scanning. The only file that imports serde_sarif, so replacing
//! that crate costs one file.

use super::{End, Options, Shown, Sink, rule_url, shown_in, suppressed_in};
use crate::discover::InputError;
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::rules::{self, RuleMeta};
use crate::span::Position;
use crate::suppress::Suppression;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif as SarifLog,
    Suppression as SarifSuppression, Tool, ToolComponent,
};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif {
    options: Options,
    /// Results are small and SARIF puts them before the invocation, so they are kept; the
    /// sources are not.
    results: Vec<SarifResult>,
}

impl Sarif {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            results: Vec::new(),
        }
    }
}

/// A finding placed in its file: what one SARIF result is made of.
pub struct Placed<'a> {
    pub path: &'a str,
    /// The file's text, for the fingerprint; empty when the caller has none to give.
    pub text: &'a str,
    pub finding: &'a Finding,
    pub start: Position,
    pub end: Position,
}

impl<'a> Placed<'a> {
    fn shown(s: &Shown<'a>) -> Self {
        Self {
            path: &s.file.source.path,
            text: &s.file.source.text,
            finding: s.finding,
            start: s.start,
            end: s.end,
        }
    }
}

fn result(p: &Placed<'_>, rule_index: i64) -> SarifResult {
    let f = p.finding;
    let path = p.path;
    let region = Region::builder()
        .start_line(p.start.line as i64)
        .start_column(p.start.column as i64)
        .end_line(p.end.line as i64)
        .end_column(p.end.column as i64)
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact(path))
        .region(region)
        .build();
    // Location derives Default, so the optional logical location is set directly.
    let location = Location {
        physical_location: Some(physical),
        logical_locations: (!f.pointer.is_empty()).then(|| {
            vec![
                LogicalLocation::builder()
                    .fully_qualified_name(f.pointer.clone())
                    .kind("element")
                    .build(),
            ]
        }),
        ..Location::default()
    };
    let fingerprint = crate::baseline::fingerprint(f, path, p.text);
    SarifResult::builder()
        .rule_id(f.rule)
        .rule_index(rule_index)
        .level(level(f.severity))
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([("mlpolicy/v2".to_string(), fingerprint)]))
        .build()
}

/// Writes a whole SARIF log for findings made outside the lint pipeline (`mlpolicy check`):
/// `rules` are the driver's rules, and every finding's rule must be one of them.
pub fn write_placed(
    rules: &[&RuleMeta],
    placed: &[Placed<'_>],
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let results = placed
        .iter()
        .map(|p| {
            let index = rules
                .iter()
                .position(|r| r.id == p.finding.rule)
                .map_or(-1, |i| i as i64);
            result(p, index)
        })
        .collect();
    write_log(rules, results, errors, out)
}

/// A suppressed finding: still a result, so code scanning shows it as dismissed with the
/// reason instead of opening an alert.
fn suppressed_result(p: &Placed<'_>, by: &Suppression) -> SarifResult {
    let mut suppression = SarifSuppression::builder()
        .kind(json!(if by.in_source() {
            "inSource"
        } else {
            "external"
        }))
        .build();
    suppression.justification = by.reason().map(str::to_string);
    let mut r = result(p, rule_index(p.finding.rule));
    r.suppressions = Some(vec![suppression]);
    r
}

impl Sink for Sarif {
    fn file(&mut self, file: &FileReport, _out: &mut dyn Write) -> io::Result<()> {
        self.results.extend(
            shown_in(file, &self.options)
                .iter()
                .map(|s| result(&Placed::shown(s), rule_index(s.finding.rule))),
        );
        self.results.extend(
            suppressed_in(file, &self.options)
                .iter()
                .map(|(s, by)| suppressed_result(&Placed::shown(s), by)),
        );
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<&RuleMeta> = rules::ALL.iter().map(|r| r.meta()).collect();
        write_log(&rules, std::mem::take(&mut self.results), end.errors, out)
    }
}

fn write_log(
    rules: &[&RuleMeta],
    results: Vec<SarifResult>,
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let notifications: Vec<Notification> = errors
        .iter()
        .map(|e| {
            Notification::builder()
                .level(json!("error"))
                .message(
                    Message::builder()
                        .text(format!("cannot read `{}`: {}", e.path, e.message))
                        .build(),
                )
                .locations(vec![
                    Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(artifact(&e.path))
                                .build(),
                        )
                        .build(),
                ])
                .build()
        })
        .collect();
    let mut invocation = Invocation::builder()
        .execution_successful(errors.is_empty())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let driver = ToolComponent::builder()
        .name("mlpolicy")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/mlpolicy/mlpolicy")
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = SarifLog::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_string(),
        json!(meta.security_severity),
    );
    extra.insert("precision".to_string(), json!("high"));
    let properties = PropertyBag::builder()
        .tags(meta.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        .additional_properties(extra)
        .build();
    ReportingDescriptor::builder()
        .id(meta.id)
        .name(camel_case(meta.id))
        .short_description(text(meta.summary))
        .full_description(text(&crate::cli::what_it_does(meta)))
        .help(
            MultiformatMessageString::builder()
                .text(meta.doc)
                .markdown(meta.doc)
                .build(),
        )
        .help_uri(rule_url(meta.id))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(meta.severity)))
                .build(),
        )
        .properties(properties)
        .build()
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn rule_index(id: &str) -> i64 {
    rules::ALL
        .iter()
        .position(|r| r.meta().id == id)
        .map_or(-1, |i| i as i64)
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn level_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `malformed-arn` -> `MalformedArn`, SARIF's conventional rule name.
fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// A relative URI for a relative path (what code scanning needs), percent-encoded.
fn artifact(path: &str) -> ArtifactLocation {
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let uri = if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    };
    ArtifactLocation::builder().uri(uri).build()
}
