//! mlpolicy: a static linter for AWS IAM policies on machine-learning platforms.
//!
//! Data flows one way: paths -> discover -> read -> parse (spans) -> lower to the model ->
//! rules -> findings -> sort -> report.

pub mod access;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod frontend;
pub mod load;
pub mod model;
pub mod parse;
pub mod profile;
pub mod report;
pub mod role;
pub mod rules;
pub mod source;
pub mod span;
pub mod text;

use discover::{Input, InputError};
use engine::FileReport;
use frontend::Parsed;
use profile::Profile;
use rayon::prelude::*;

/// Everything one run found, sorted by path, ready for any report format.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<FileReport>,
    pub errors: Vec<InputError>,
    /// Walked entries passed over before reading (links, excludes).
    pub passed_over: usize,
}

impl Outcome {
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &finding::Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }
}

/// How a run lints.
#[derive(Debug, Clone, Copy, Default)]
pub struct LintOptions {
    /// Files named on the command line that are not policies are skipped like walked ones
    /// rather than reported.
    pub policies_only: bool,
    /// Judge every policy of the run together, as one role, against this profile
    /// (`exceeds-profile`, `profile-gap`).
    pub profile: Option<&'static Profile>,
}

/// Lints every input in parallel. Order of the result never depends on scheduling.
/// With `policies_only`, files named on the command line that are not policies are skipped
/// like walked ones rather than reported.
pub fn lint(paths: &[String], excludes: &[String], policies_only: bool) -> Outcome {
    let options = LintOptions {
        policies_only,
        ..LintOptions::default()
    };
    lint_with(paths, excludes, &options)
}

/// [`lint`] with every option.
pub fn lint_with(paths: &[String], excludes: &[String], options: &LintOptions) -> Outcome {
    let mut files = Vec::new();
    let end = lint_each(paths, excludes, options, |report| {
        files.push(report);
        Ok(())
    });
    // The callback never fails, so neither does the run.
    let (errors, passed_over) = end.unwrap_or_default();
    Outcome {
        files,
        errors,
        passed_over,
    }
}

/// How many files are linted in parallel before their reports are handed on: enough to keep
/// every core busy, few enough that memory does not grow with the size of the tree.
const CHUNK: usize = 1024;

/// Lints every input and hands each report to `each` in path order, a chunk at a time, so a
/// caller can stream output and drop sources. Returns the inputs that could not be read
/// (sorted by path) and how many walked entries were passed over.
///
/// With a profile the run's policies are judged together, so every file is parsed (and its
/// tree kept) before the first report is handed on.
pub fn lint_each(
    paths: &[String],
    excludes: &[String],
    options: &LintOptions,
    mut each: impl FnMut(FileReport) -> std::io::Result<()>,
) -> std::io::Result<(Vec<InputError>, usize)> {
    let mut discovery = discover::discover(paths, excludes);
    if options.policies_only {
        for input in &mut discovery.inputs {
            if let Input::File { named, .. } = input {
                *named = false;
            }
        }
    }
    let mut errors = discovery.errors;
    let keep_trees = options.profile.is_some();
    let chunk = if keep_trees {
        discovery.inputs.len().max(1)
    } else {
        CHUNK
    };
    for inputs in discovery.inputs.chunks(chunk) {
        let results: Vec<Result<(FileReport, Option<Parsed>), InputError>> = inputs
            .par_iter()
            .map(|i| lint_input(i, keep_trees))
            .collect();
        let mut linted = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(file) => linted.push(file),
                Err(e) => errors.push(e),
            }
        }
        if let Some(profile) = options.profile {
            role::judge(&mut linted, Some(profile));
        }
        for (report, _) in linted {
            each(report)?;
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((errors, discovery.passed_over))
}

pub const STDIN_NAME: &str = "<stdin>";

/// Reads and lints one input; the parsed tree is kept only when `keep_tree` asks for it.
fn lint_input(input: &Input, keep_tree: bool) -> Result<(FileReport, Option<Parsed>), InputError> {
    let (path, named, read) = match input {
        Input::Stdin => (
            STDIN_NAME.to_string(),
            true,
            source::read_limited(std::io::stdin().lock()),
        ),
        Input::File {
            path,
            display,
            named,
        } => (display.clone(), *named, source::read_file(path)),
    };
    let bytes = read.map_err(|e| InputError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let (report, tree) = engine::lint_source(path, bytes, named);
    Ok((report, tree.filter(|_| keep_tree)))
}

/// Lints one in-memory document as if it were a named file (tests, docs examples).
pub fn lint_text(path: &str, text: &str) -> FileReport {
    engine::lint_bytes(path.to_string(), text.as_bytes().to_vec(), true)
}

/// [`lint_text`] with a profile: the document is judged as the whole role.
pub fn lint_text_with(path: &str, text: &str, options: &LintOptions) -> FileReport {
    let mut files = [engine::lint_source(
        path.to_string(),
        text.as_bytes().to_vec(),
        true,
    )];
    if let Some(profile) = options.profile {
        role::judge(&mut files, Some(profile));
    }
    let [(report, _)] = files;
    report
}
