//! Baselines, for adopting mlpolicy in a repository that already has findings:
//! `--write-baseline FILE` records the fingerprint of every current finding, and
//! `--baseline FILE` suppresses the findings it lists, so only new ones fail.
//!
//! A fingerprint never contains a line or column, so findings keep theirs when lines move;
//! it changes when the finding's rule, file, JSON pointer, offending value or message does.
//! SARIF's `partialFingerprints` are the same fingerprint, so code scanning and baselines
//! agree on what "the same finding" is.

use crate::engine::FileReport;
use crate::finding::Finding;
use crate::suppress::{Suppression, suppress};
use crate::text::fnv1a64;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const VERSION: u32 = 1;

/// The fingerprint of `finding` in the file at `path` whose text is `text`. Whitespace in the
/// offending value is dropped, so reformatting a file does not make its findings new.
/// Messages name values, never positions, so they are stable too.
pub fn fingerprint(finding: &Finding, path: &str, text: &str) -> String {
    let value: String = text
        .get(finding.span.range())
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let hash = fnv1a64(&[
        finding.rule,
        path,
        &finding.pointer,
        &value,
        &finding.message,
    ]);
    format!("{hash:016x}")
}

/// One accepted finding. Everything but the fingerprint is for the people reviewing the
/// file; matching uses the fingerprint alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Relative to the baseline file's folder, `/`-separated.
    pub path: String,
    pub rule: String,
    pub pointer: String,
    pub fingerprint: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    version: u32,
    findings: Vec<Entry>,
}

/// A baseline read from disk.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The canonical folder of the file; the paths in it are relative to this folder.
    pub dir: PathBuf,
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline, or says what is wrong with it (with a line and column for bad JSON).
    pub fn load(path: &Path) -> Result<Self, String> {
        let shown = crate::discover::display_path(path);
        let bytes =
            crate::source::read_file(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        let file: FileV1 = serde_json::from_slice(&bytes).map_err(|e| {
            let full = e.to_string();
            // serde_json ends its message with the position, which leads here instead.
            let what = full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(w, _)| w);
            format!(
                "{shown}:{}:{}: not a baseline: {what}",
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "`{shown}` is a version {} baseline; this mlpolicy reads version {VERSION}",
                file.version
            ));
        }
        Ok(Self {
            dir: folder_of(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?,
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// How many entries matched none of `matched`.
    pub fn stale(&self, matched: &HashSet<String>) -> usize {
        self.fingerprints
            .iter()
            .filter(|f| !matched.contains(*f))
            .count()
    }
}

/// The canonical folder of a file that may not exist yet.
pub fn folder_of(path: &Path) -> io::Result<PathBuf> {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize(),
        _ => std::env::current_dir()?.canonicalize(),
    }
}

/// A file's path as a baseline in `dir` writes it: relative when the file is inside `dir`,
/// else as shown on the command line.
pub fn relative_to(dir: &Path, canonical: Option<&Path>, shown: &str) -> String {
    canonical
        .and_then(|c| c.strip_prefix(dir).ok())
        .map_or_else(|| shown.to_string(), crate::discover::display_path)
}

/// What a run does with baselines.
#[derive(Debug, Default)]
pub struct Baselines {
    /// `--baseline`: the findings it lists are suppressed.
    pub known: Option<Baseline>,
    /// `--write-baseline`: the folder of the file to write. Every finding left after the
    /// ignores is written to it, and suppressed in this run.
    pub write_dir: Option<PathBuf>,
}

impl Baselines {
    pub fn is_active(&self) -> bool {
        self.known.is_some() || self.write_dir.is_some()
    }

    /// Suppresses a file's baselined findings (all of them when writing) and returns the
    /// entries to write. `canonical` is the file's canonical path, when it has one.
    pub fn apply(&self, report: &mut FileReport, canonical: Option<&Path>) -> Vec<Entry> {
        let known = self.known.as_ref().map(|b| {
            let path = relative_to(&b.dir, canonical, &report.source.path);
            (b, path)
        });
        let write = self
            .write_dir
            .as_ref()
            .map(|dir| relative_to(dir, canonical, &report.source.path));
        let mut entries = Vec::new();
        suppress(report, |source, f| {
            let mut by = None;
            if let Some((b, path)) = &known {
                let fp = fingerprint(f, path, &source.text);
                if b.fingerprints.contains(&fp) {
                    by = Some(Suppression::Baseline { fingerprint: fp });
                }
            }
            if let Some(path) = &write {
                let fp = fingerprint(f, path, &source.text);
                entries.push(Entry {
                    path: path.clone(),
                    rule: f.rule.to_string(),
                    pointer: f.pointer.to_string(),
                    fingerprint: fp.clone(),
                    message: f.message.clone(),
                });
                by = by.or(Some(Suppression::Baseline { fingerprint: fp }));
            }
            by
        });
        entries
    }
}

/// Writes a baseline: entries sorted and without duplicates, so the file is the same for the
/// same findings and diffs well.
pub fn write(path: &Path, mut entries: Vec<Entry>) -> io::Result<()> {
    entries.sort();
    entries.dedup();
    let file = FileV1 {
        version: VERSION,
        findings: entries,
    };
    let mut out = io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut out, &file).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}
