//! Output formats. Each is a `Sink` that receives the linted files in path order and then the
//! end of the run, so a report streams: no format but SARIF keeps anything per file.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
mod snippet;

use crate::Outcome;
use crate::discover::InputError;
use crate::engine::FileReport;
use crate::finding::{Finding, Severity};
use crate::span::Position;
use crate::suppress::Suppression;
use std::io::{self, Write};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub min_severity: Severity,
    pub color: bool,
    pub quiet: bool,
}

/// A finding to show, with its start and end positions.
pub struct Shown<'a> {
    pub file: &'a FileReport,
    pub finding: &'a Finding,
    pub start: Position,
    pub end: Position,
}

/// The findings of one file at or above `--min-severity`.
pub fn shown_in<'a>(file: &'a FileReport, options: &Options) -> Vec<Shown<'a>> {
    let min = options.min_severity;
    file.findings
        .iter()
        .filter(|f| f.severity >= min)
        .map(|finding| shown(file, finding))
        .collect()
}

/// The suppressed findings of one file at or above `--min-severity`, with why.
pub fn suppressed_in<'a>(
    file: &'a FileReport,
    options: &Options,
) -> Vec<(Shown<'a>, &'a Suppression)> {
    file.suppressed
        .iter()
        .filter(|s| s.finding.severity >= options.min_severity)
        .map(|s| (shown(file, &s.finding), &s.by))
        .collect()
}

fn shown<'a>(file: &'a FileReport, finding: &'a Finding) -> Shown<'a> {
    let (start, end) = file.source.span_positions(finding.span);
    Shown {
        file,
        finding,
        start,
        end,
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub skipped: usize,
    pub policies: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings at or above `--min-severity` accepted by an ignore or the baseline.
    pub suppressed: usize,
    /// Baseline entries that matched no finding.
    pub stale_baseline: usize,
}

impl Counts {
    /// Adds one file's share.
    pub fn add(&mut self, file: &FileReport, options: &Options) {
        if file.skipped {
            self.skipped += 1;
        } else if !file.config {
            self.files += 1;
        }
        self.suppressed += file
            .suppressed
            .iter()
            .filter(|s| s.finding.severity >= options.min_severity)
            .count();
        self.policies += file.policies;
        for f in file
            .findings
            .iter()
            .filter(|f| f.severity >= options.min_severity)
        {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
            }
        }
    }
}

/// What a report learns only at the end of the run.
pub struct End<'a> {
    /// Inputs that could not be read, sorted by path.
    pub errors: &'a [InputError],
    pub counts: Counts,
    /// Only for human output on a terminal: a time makes output differ between runs.
    pub elapsed: Option<Duration>,
}

/// One output format, fed file by file in path order.
pub trait Sink: Sync {
    fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()>;
    fn finish(&mut self, end: &End<'_>, out: &mut dyn Write) -> io::Result<()>;

    /// Can this format render a file's part of the report apart from the rest ([`render`])?
    /// Such formats have a chunk of files rendered in parallel, ahead of writing.
    ///
    /// [`render`]: Sink::render
    fn renders_ahead(&self) -> bool {
        false
    }

    /// A file's part of the report, rendered without touching the report's state; `None`
    /// for formats that do not render ahead.
    fn render(&self, _file: &FileReport) -> Option<io::Result<Rendered>> {
        None
    }

    /// Writes a file's part that [`Sink::render`] prepared.
    fn write_rendered(
        &mut self,
        _file: &FileReport,
        rendered: Rendered,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(&rendered.text)
    }
}

/// A file's part of a report, rendered ahead of writing.
#[derive(Default)]
pub struct Rendered {
    pub text: Vec<u8>,
    /// How many findings `text` holds.
    pub findings: usize,
    /// The file's suppressed findings, for formats that list them after all others.
    pub suppressed: Vec<String>,
}

/// A report in progress: the format's sink plus the counts its summary needs.
pub struct Report {
    sink: Box<dyn Sink>,
    options: Options,
    counts: Counts,
}

impl Report {
    pub fn new(format: Format, options: &Options) -> Self {
        let sink: Box<dyn Sink> = match format {
            Format::Human => Box::new(human::Human::new(options.clone())),
            Format::Json => Box::new(json::Json::new(options.clone())),
            Format::Sarif => Box::new(sarif::Sarif::new(options.clone())),
            Format::Github => Box::new(github::Github::new(options.clone())),
        };
        Self {
            sink,
            options: options.clone(),
            counts: Counts::default(),
        }
    }

    /// The next file, in path order.
    pub fn file(&mut self, file: &FileReport, out: &mut dyn Write) -> io::Result<()> {
        self.counts.add(file, &self.options);
        self.sink.file(file, out)
    }

    /// The next files, in path order. Formats that render ahead render a chunk's files on
    /// the thread pool: rendered one after another on the writing thread, findings would be
    /// the run's bottleneck on a machine with many cores.
    pub fn files(&mut self, files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
        // One file gains nothing from the pool, and would start it.
        if !self.sink.renders_ahead() || files.len() < 2 {
            return files.iter().try_for_each(|file| self.file(file, out));
        }
        use rayon::prelude::*;
        let sink = &*self.sink;
        let rendered: Vec<Option<io::Result<Rendered>>> =
            files.par_iter().map(|file| sink.render(file)).collect();
        for (file, part) in files.iter().zip(rendered) {
            match part {
                Some(part) => {
                    self.counts.add(file, &self.options);
                    self.sink.write_rendered(file, part?, out)?;
                }
                None => self.file(file, out)?,
            }
        }
        Ok(())
    }

    /// The end of the run: unreadable inputs (sorted by path), walked entries passed over,
    /// stale baseline entries.
    pub fn finish(
        mut self,
        errors: &[InputError],
        passed_over: usize,
        stale_baseline: usize,
        elapsed: Option<Duration>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.counts.skipped += passed_over;
        self.counts.unreadable = errors.len();
        self.counts.stale_baseline = stale_baseline;
        let end = End {
            errors,
            counts: self.counts,
            elapsed,
        };
        self.sink.finish(&end, out)
    }
}

/// Writes a whole outcome at once (the library's and the tests' way in).
pub fn write(
    format: Format,
    outcome: &Outcome,
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut report = Report::new(format, options);
    report.files(&outcome.files, out)?;
    report.finish(
        &outcome.errors,
        outcome.passed_over,
        outcome.stale_baseline,
        None,
        out,
    )
}

/// Where users read a rule's (or a check's) page; also SARIF's `helpUri`.
pub fn rule_url(id: &str) -> String {
    let folder = if crate::check::lookup(id).is_some() {
        "checks"
    } else {
        "rules"
    };
    format!("https://github.com/mlpolicy/mlpolicy/blob/main/{folder}/{id}.md")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// One line: `12 files linted (3 skipped), 14 policies: 2 errors, 5 warnings, 1 note`, then
/// what ignores and the baseline accepted, when they did: `; 4 suppressed`.
pub fn summary_line(c: &Counts) -> String {
    let mut line = format!("{} linted", plural(c.files, "file"));
    if c.skipped > 0 {
        line += &format!(" ({} skipped: not policies)", c.skipped);
    }
    line += &format!(
        ", {}",
        plural(c.policies, "policy").replace("policys", "policies")
    );
    line += &format!(
        ": {}, {}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.notes, "note")
    );
    if c.suppressed > 0 {
        line += &format!("; {} suppressed", c.suppressed);
    }
    if c.stale_baseline > 0 {
        line += &format!(
            "; {} matched nothing",
            plural(c.stale_baseline, "baseline entry").replace("entrys", "entries")
        );
    }
    if c.unreadable > 0 {
        line += &format!("; {} could not be read", plural(c.unreadable, "input"));
    }
    line
}
