//! mlpolicy: a static linter for AWS IAM policies on machine-learning platforms.
//!
//! Data flows one way: paths -> discover -> read -> parse (spans) -> lower to the model ->
//! rules -> findings -> sort -> report.

pub mod catalog;
pub mod cli;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod frontend;
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
    let mut files = Vec::new();
    let end = lint_each(paths, excludes, policies_only, |report| {
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
/// every core busy, few enough that memory does not grow with the size of the tree (at most
/// two chunks are held: one being written, one being linted), and small enough that the
/// last chunk, written after all linting is done, is short.
const CHUNK: usize = 256;

/// Lints every input and hands each report to `each` in path order, a chunk at a time, so a
/// caller can stream output and drop sources. Returns the inputs that could not be read
/// (sorted by path) and how many walked entries were passed over.
pub fn lint_each(
    paths: &[String],
    excludes: &[String],
    policies_only: bool,
    mut each: impl FnMut(FileReport) -> std::io::Result<()>,
) -> std::io::Result<(Vec<InputError>, usize)> {
    let mut discovery = discover::discover(paths, excludes);
    if policies_only {
        for input in &mut discovery.inputs {
            if let Input::File { named, .. } = input {
                *named = false;
            }
        }
    }
    let mut errors = discovery.errors;
    let lint_chunk = |chunk: &[Input]| -> Vec<Result<FileReport, InputError>> {
        chunk.par_iter().map(lint_input).collect()
    };
    // A pipeline: while this thread hands one chunk's reports on (formatting output is
    // sequential), one long-lived thread has the workers lint the next chunk. The channel
    // holds nothing: a linted chunk waits for this thread to take it, so at most two chunks
    // are alive. (A thread per chunk would cost the allocator a new heap each time.)
    std::thread::scope(|scope| {
        let (linted, receive) = std::sync::mpsc::sync_channel(0);
        let inputs = &discovery.inputs;
        scope.spawn(move || {
            for chunk in inputs.chunks(CHUNK) {
                // Fails only when the reports stopped being taken (the output is gone).
                if linted.send(lint_chunk(chunk)).is_err() {
                    break;
                }
            }
        });
        for results in receive {
            for r in results {
                match r {
                    Ok(report) => each(report)?,
                    Err(e) => errors.push(e),
                }
            }
        }
        Ok::<(), std::io::Error>(())
    })?;
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((errors, discovery.passed_over))
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
