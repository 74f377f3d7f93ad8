//! mlpolicy: a static linter for AWS IAM policies on machine-learning platforms.
//!
//! Data flows one way: paths -> discover -> read -> parse (spans) -> lower to the model ->
//! rules -> findings -> sort -> report.

pub mod catalog;
pub mod cli;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod span;
pub mod text;

use discover::{Input, InputError};
use engine::FileReport;
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

/// Lints every input in parallel. Order of the result never depends on scheduling.
/// With `policies_only`, files named on the command line that are not policies are skipped
/// like walked ones rather than reported.
pub fn lint(paths: &[String], excludes: &[String], policies_only: bool) -> Outcome {
    let mut discovery = discover::discover(paths, excludes);
    if policies_only {
        for input in &mut discovery.inputs {
            if let Input::File { named, .. } = input {
                *named = false;
            }
        }
    }
    let results: Vec<Result<FileReport, InputError>> =
        discovery.inputs.par_iter().map(lint_input).collect();
    let mut outcome = Outcome {
        passed_over: discovery.passed_over,
        errors: discovery.errors,
        ..Outcome::default()
    };
    for r in results {
        match r {
            Ok(report) => outcome.files.push(report),
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome
        .files
        .sort_by(|a, b| a.source.path.cmp(&b.source.path));
    outcome.errors.sort_by(|a, b| a.path.cmp(&b.path));
    outcome
}

pub const STDIN_NAME: &str = "<stdin>";

fn lint_input(input: &Input) -> Result<FileReport, InputError> {
    match input {
        Input::Stdin => {
            let bytes = source::read_limited(std::io::stdin().lock()).map_err(|e| InputError {
                path: STDIN_NAME.to_string(),
                message: e.to_string(),
            })?;
            Ok(engine::lint_bytes(STDIN_NAME.to_string(), bytes, true))
        }
        Input::File {
            path,
            display,
            named,
        } => {
            let bytes = source::read_file(path).map_err(|e| InputError {
                path: display.clone(),
                message: e.to_string(),
            })?;
            Ok(engine::lint_bytes(display.clone(), bytes, *named))
        }
    }
}

/// Lints one in-memory document as if it were a named file (tests, docs examples).
pub fn lint_text(path: &str, text: &str) -> FileReport {
    engine::lint_bytes(path.to_string(), text.as_bytes().to_vec(), true)
}
