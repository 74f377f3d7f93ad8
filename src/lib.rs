//! mlpolicy: a static linter for AWS IAM policies on machine-learning platforms.
//!
//! Data flows one way: paths -> discover -> configs -> read -> parse (spans) -> lower to the
//! model -> rules -> findings -> ignores and baseline -> sort -> report.

pub mod access;
pub mod baseline;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod frontend;
pub mod load;
pub mod model;
pub mod parse;
pub mod plan;
pub mod profile;
pub mod report;
pub mod role;
pub mod rules;
pub mod source;
pub mod span;
pub mod suppress;
pub mod text;

use config::{Choice, ConfigError, Settings};
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
    /// Baseline entries that matched no finding.
    pub stale_baseline: usize,
}

/// How a run is set up, beyond its paths.
#[derive(Debug)]
pub struct RunOptions {
    /// `--exclude` globs.
    pub excludes: Vec<String>,
    /// Skip named files that are not policies instead of reporting them.
    pub policies_only: bool,
    pub config: Choice,
    pub baselines: baseline::Baselines,
    /// Judge every policy of the run together, as one role, against this profile
    /// (`exceeds-profile`, `profile-gap`).
    pub profile: Option<&'static Profile>,
}

impl Default for RunOptions {
    /// No excludes, no config, no baseline: every rule at its default.
    fn default() -> Self {
        Self {
            excludes: Vec::new(),
            policies_only: false,
            config: Choice::Off,
            baselines: baseline::Baselines::default(),
            profile: None,
        }
    }
}

/// What a run learns only at its end.
#[derive(Debug, Default)]
pub struct RunEnd {
    /// Inputs that could not be read, sorted by path.
    pub errors: Vec<InputError>,
    /// Walked entries passed over before reading (links, excludes).
    pub passed_over: usize,
    /// Baseline entries that matched no finding.
    pub stale_baseline: usize,
    /// With `--write-baseline`: the entries to write.
    pub baseline: Vec<baseline::Entry>,
}

#[derive(Debug)]
pub enum RunError {
    /// A config has problems; nothing was linted.
    Config(Vec<ConfigError>),
    /// The report could not be written.
    Io(std::io::Error),
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
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
    let options = RunOptions {
        excludes: excludes.to_vec(),
        policies_only,
        ..RunOptions::default()
    };
    // Without a config nothing can fail to load.
    lint_with(paths, &options).unwrap_or_default()
}

/// Lints with configs and baselines; fails before linting when a config has problems.
pub fn lint_with(paths: &[String], options: &RunOptions) -> Result<Outcome, Vec<ConfigError>> {
    let mut files = Vec::new();
    let end = lint_each(paths, options, |chunk| {
        files.extend(chunk);
        Ok(())
    });
    match end {
        Ok(end) => Ok(Outcome {
            files,
            errors: end.errors,
            passed_over: end.passed_over,
            stale_baseline: end.stale_baseline,
        }),
        Err(RunError::Config(e)) => Err(e),
        // The callback never fails, so neither does the rest of the run.
        Err(RunError::Io(_)) => Ok(Outcome::default()),
    }
}

/// The most files linted in parallel before their reports are handed on: enough to keep
/// every core busy, few enough that memory does not grow with the size of the tree (at most
/// three chunks are held: two being linted, one being written), and small enough that the
/// last chunk, written after all linting is done, is short.
const CHUNK: usize = 256;

/// About how much source a chunk holds once the size of the files is known: a chunk's reports
/// keep their sources until it is written, and 256 large policies would hold hundreds of
/// megabytes.
const CHUNK_BYTES: usize = 4 << 20;

/// The first chunks are cut before any file has been read, so they are small.
const FIRST_CHUNK: usize = 32;

/// How many files the next chunk takes, given the sources linted so far (`files` files of
/// `bytes` bytes): [`CHUNK`], or fewer when the files are large.
fn chunk_size(files: usize, bytes: usize) -> usize {
    if files == 0 {
        return FIRST_CHUNK;
    }
    let average = (bytes / files).max(1);
    (CHUNK_BYTES / average).clamp(1, CHUNK)
}

/// Starts the thread pool's threads, if they are not running yet, without waiting for them.
/// A run of a folder or of several paths lints on the pool; started here, the threads'
/// creation (a `clone`, a stack and its first pages each) overlaps the walk on this thread
/// rather than following it: 0.97x to 0.99x the wall time on the managed policies. A run of
/// one file never needs them.
fn start_pool() {
    rayon::spawn(|| {});
}

/// Lints every input and hands the reports to `each` in path order, a chunk at a time, so a
/// caller can stream output and drop sources (and render a chunk's reports in parallel).
/// The reports on configs with unused `[[ignore]]` entries come last.
pub fn lint_each(
    paths: &[String],
    options: &RunOptions,
    mut each: impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<RunEnd, RunError> {
    if !matches!(paths, [one] if !std::path::Path::new(one).is_dir()) {
        start_pool();
    }
    if let Some(end) = lint_streamed(paths, options, &mut each)? {
        return Ok(end);
    }
    let mut discovery = discover::discover(paths, &options.excludes);
    if options.policies_only {
        for input in &mut discovery.inputs {
            if let Input::File { named, .. } = input {
                *named = false;
            }
        }
    }
    let baselines = &options.baselines;
    let mut plan = plan::Plan::new(discovery.inputs, paths, &options.config, baselines)
        .map_err(RunError::Config)?;
    let mut tally = plan::Tally::new(&plan);
    let mut end = RunEnd {
        errors: discovery.errors,
        passed_over: discovery.passed_over + plan.excluded,
        ..RunEnd::default()
    };
    // With a profile the run's policies are judged together, so every file is parsed (and its
    // tree kept) before the first report is handed on. A config's `[[profiles]]` do the same
    // for the files under their paths.
    let mapped = options.profile.is_none() && plan.inputs.iter().any(|p| plan.profile(p).is_some());
    let keep_trees = options.profile.is_some() || mapped;
    if keep_trees {
        // One chunk: the files are judged together.
        let inputs = std::mem::take(&mut plan.inputs);
        let roles = Roles {
            profile: options.profile,
            mapped,
        };
        let linted = lint_parallel(&plan, &inputs, true);
        hand_on(
            &plan, &inputs, linted, roles, baselines, &mut tally, &mut end, &mut each,
        )?;
        return finish(&plan, &tally, baselines, end, &mut each);
    }
    lint_collected(&mut plan, &mut tally, end, baselines, &mut each)
}

/// Lints the inputs a plan collected, chunk by chunk through [`pipeline`], and ends the run.
fn lint_collected(
    plan: &mut plan::Plan,
    tally: &mut plan::Tally,
    mut end: RunEnd,
    baselines: &baseline::Baselines,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<RunEnd, RunError> {
    let mut queue = std::mem::take(&mut plan.inputs).into_iter();
    pipeline(
        plan,
        chunks_of(&mut queue),
        baselines,
        tally,
        &mut end,
        each,
    )?;
    finish(plan, tally, baselines, end, each)
}

/// A run of one folder, with no role judged across files, lints each file as the walk
/// reaches it: memory does not grow with the number of files. The folder is walked first to
/// load every config it needs (a broken config stops the run before anything is linted); a
/// tree of up to [`KEPT_WALK`] inputs is linted from what that walk found, a larger one is
/// walked again. `None` when the run is not of that kind.
fn lint_streamed(
    paths: &[String],
    options: &RunOptions,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<Option<RunEnd>, RunError> {
    lint_streamed_keeping(paths, options, KEPT_WALK, each)
}

/// [`lint_streamed`], keeping at most `keep` inputs from the first walk.
fn lint_streamed_keeping(
    paths: &[String],
    options: &RunOptions,
    keep: usize,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<Option<RunEnd>, RunError> {
    let [root] = paths else { return Ok(None) };
    let root = std::path::Path::new(root);
    if options.profile.is_some() || root == std::path::Path::new("-") || !root.is_dir() {
        return Ok(None);
    }
    let walk = || discover::Walk::new(root, &options.excludes);
    let mut first = RunEnd::default();
    let inputs = walk().filter_map(|w| match w {
        discover::Walked::Input(input) => Some(input),
        discover::Walked::Error(e) => {
            first.errors.push(e);
            None
        }
        discover::Walked::PassedOver => {
            first.passed_over += 1;
            None
        }
    });
    let baselines = &options.baselines;
    let plan::Streamed { mut plan, replacer } =
        plan::Plan::streamed(inputs, paths, &options.config, baselines, keep)
            .map_err(RunError::Config)?;
    if plan.maps_profiles() {
        return Ok(None);
    }
    let mut tally = plan::Tally::new(&plan);
    let Some(mut replacer) = replacer else {
        // The first walk kept every input: lint them as a collected run does.
        let end = RunEnd {
            passed_over: first.passed_over + plan.excluded,
            ..first
        };
        return lint_collected(&mut plan, &mut tally, end, baselines, each).map(Some);
    };
    let mut end = RunEnd::default();
    let mut items = walk();
    let next = |end: &mut RunEnd, size: usize| {
        let mut chunk = Vec::with_capacity(size);
        while chunk.len() < size {
            let Some(item) = items.next() else { break };
            match item {
                discover::Walked::Input(input) => match replacer.place(&plan, input) {
                    Some(planned) => chunk.push(planned),
                    None => end.passed_over += 1,
                },
                discover::Walked::Error(e) => end.errors.push(e),
                discover::Walked::PassedOver => end.passed_over += 1,
            }
        }
        (!chunk.is_empty()).then_some(chunk)
    };
    pipeline(&plan, next, baselines, &mut tally, &mut end, each)?;
    finish(&plan, &tally, baselines, end, each).map(Some)
}

/// The chunks of a run whose inputs are all known: the next `size` of them.
fn chunks_of(
    queue: &mut impl Iterator<Item = plan::Planned>,
) -> impl FnMut(&mut RunEnd, usize) -> Option<Vec<plan::Planned>> + '_ {
    |_, size| {
        let chunk: Vec<_> = queue.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    }
}

/// The most inputs a streamed run keeps from its first walk instead of walking again: a
/// second walk reads and sorts every folder anew, on one thread before any linting starts,
/// while keeping the inputs costs a few hundred bytes each.
const KEPT_WALK: usize = 4096;

/// How a chunk's files are judged together: as one role against `profile`, or per
/// `[[profiles]]` of their configs (`mapped`), or not at all.
#[derive(Clone, Copy)]
struct Roles {
    profile: Option<&'static Profile>,
    mapped: bool,
}

/// What linting one input gives: its report (and its tree, when kept), or why it could not
/// be read.
type Linted = Result<(FileReport, Option<Parsed<'static>>), InputError>;

/// Lints chunk after chunk on the thread pool while this thread hands on the reports of
/// the chunks before. Two chunks are always being linted, so that the pool never waits: not
/// for the last file of a chunk (the next chunk's files fill in), nor for this thread to
/// write. `next` gives the next chunk of inputs, in order, of at most the size asked.
fn pipeline(
    plan: &plan::Plan,
    mut next: impl FnMut(&mut RunEnd, usize) -> Option<Vec<plan::Planned>>,
    baselines: &baseline::Baselines,
    tally: &mut plan::Tally,
    end: &mut RunEnd,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<(), RunError> {
    let roles = Roles {
        profile: None,
        mapped: false,
    };
    let Some(first) = next(end, chunk_size(0, 0)) else {
        return Ok(());
    };
    let second = next(end, chunk_size(0, 0));
    if let ([one], None) = (&first[..], &second) {
        // One file (`mlpolicy lint one.json`): lint it on this thread. Starting the pool
        // costs more than linting a small file.
        let linted = vec![lint_input(&one.input, plan.settings(one), false)];
        return hand_on(plan, &first, linted, roles, baselines, tally, end, each);
    }
    // Each chunk is a job of the pool that waits for its files there, rather than a thread
    // of its own started (a clone and a stack mapping) for every chunk.
    rayon::in_place_scope(|scope| {
        let lint = |inputs: Vec<plan::Planned>| {
            let (done, linted) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move |_| {
                let linted = lint_parallel(plan, &inputs, false);
                // The receiver is gone only when handing on failed; the run is ending.
                let _ = done.send((inputs, linted));
            });
            linted
        };
        // Files linted so far, and the bytes of their sources.
        let mut seen = (0, 0);
        let mut linting: std::collections::VecDeque<_> = [Some(first), second]
            .into_iter()
            .flatten()
            .map(lint)
            .collect();
        while let Some(job) = linting.pop_front() {
            // A job that panicked sends nothing; the scope passes its panic on.
            let Ok((inputs, linted)) = job.recv() else {
                break;
            };
            for (report, _) in linted.iter().flatten() {
                seen.0 += 1;
                seen.1 += report.source.text.len();
            }
            linting.extend(next(end, chunk_size(seen.0, seen.1)).map(lint));
            hand_on(plan, &inputs, linted, roles, baselines, tally, end, each)?;
        }
        Ok(())
    })
}

/// Lints a chunk of inputs in parallel; the results are in the order of the inputs.
fn lint_parallel(plan: &plan::Plan, inputs: &[plan::Planned], keep_trees: bool) -> Vec<Linted> {
    inputs
        .par_iter()
        .with_max_len(1)
        .map(|p| lint_input(&p.input, plan.settings(p), keep_trees))
        .collect()
}

/// Judges a linted chunk's roles, if any, applies configs and baselines, and hands the
/// reports on in order.
#[allow(clippy::too_many_arguments)]
fn hand_on(
    plan: &plan::Plan,
    inputs: &[plan::Planned],
    results: Vec<Linted>,
    roles: Roles,
    baselines: &baseline::Baselines,
    tally: &mut plan::Tally,
    end: &mut RunEnd,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<(), RunError> {
    let keep_trees = roles.profile.is_some() || roles.mapped;
    let mut linted = Vec::with_capacity(results.len());
    let mut planned = Vec::with_capacity(results.len());
    for (p, r) in inputs.iter().zip(results) {
        match r {
            Ok(file) => {
                planned.push(p);
                linted.push(file);
            }
            Err(e) => end.errors.push(e),
        }
    }
    if let Some(profile) = roles.profile {
        role::judge(&mut linted, Some(profile));
    } else if roles.mapped {
        judge_mapped_roles(plan, &planned, &mut linted);
    }
    let mut reports = Vec::with_capacity(linted.len());
    for (p, (mut report, _)) in planned.into_iter().zip(linted) {
        if keep_trees {
            // The role pass adds its findings after the file's settings were applied.
            let settings = plan.settings(p);
            report.findings.retain(|f| settings.is_enabled(f.rule));
            settings.remap(report.findings.iter_mut());
        }
        let (seen, entries) = plan.suppress(p, &mut report, baselines);
        tally.record(p.config, &seen, &report);
        end.baseline.extend(entries);
        reports.push(report);
    }
    each(reports)?;
    Ok(())
}

/// Reports the configs' unused `[[ignore]]` entries, last, and closes the run's account.
fn finish(
    plan: &plan::Plan,
    tally: &plan::Tally,
    baselines: &baseline::Baselines,
    mut end: RunEnd,
    each: &mut impl FnMut(Vec<FileReport>) -> std::io::Result<()>,
) -> Result<RunEnd, RunError> {
    let unused = tally.unused(plan);
    if !unused.is_empty() {
        each(unused)?;
    }
    end.stale_baseline = tally.stale(baselines);
    end.errors.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(end)
}

/// Judges the files a config's `[[profiles]]` map to one profile as one role: all the files
/// of one config that the same profile covers.
fn judge_mapped_roles(
    plan: &plan::Plan,
    planned: &[&plan::Planned],
    linted: &mut Vec<(FileReport, Option<Parsed>)>,
) {
    let mut roles: std::collections::BTreeMap<(usize, &str), (&'static Profile, Vec<usize>)> =
        Default::default();
    for (i, p) in planned.iter().enumerate() {
        if let (Some(config), Some(profile)) = (p.config, plan.profile(p)) {
            roles
                .entry((config, profile.name.as_str()))
                .or_insert_with(|| (profile, Vec::new()))
                .1
                .push(i);
        }
    }
    let mut slots: Vec<Option<(FileReport, Option<Parsed>)>> =
        std::mem::take(linted).into_iter().map(Some).collect();
    for (profile, members) in roles.into_values() {
        let mut role: Vec<_> = members.iter().filter_map(|&i| slots[i].take()).collect();
        role::judge(&mut role, Some(profile));
        for (&i, file) in members.iter().zip(role) {
            slots[i] = Some(file);
        }
    }
    *linted = slots.into_iter().flatten().collect();
}

pub const STDIN_NAME: &str = "<stdin>";

/// Reads and lints one input; the parsed tree is kept only when `keep_tree` asks for it.
fn lint_input(
    input: &Input,
    settings: &Settings,
    keep_tree: bool,
) -> Result<(FileReport, Option<Parsed<'static>>), InputError> {
    let (path, named, read) = input.read();
    let bytes = read.map_err(|e| InputError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(engine::lint_source(path, bytes, named, settings, keep_tree))
}

/// Lints one in-memory document as if it were a named file (tests, docs examples).
pub fn lint_text(path: &str, text: &str) -> FileReport {
    engine::lint_bytes(path.to_string(), text.as_bytes().to_vec(), true)
}

/// [`lint_text`] with a profile: the document is judged as the whole role.
pub fn lint_text_with(path: &str, text: &str, options: &RunOptions) -> FileReport {
    // The tree is kept, copied out of the text, only for the profile to judge.
    let mut files = [engine::lint_source(
        path.to_string(),
        text.as_bytes().to_vec(),
        true,
        &Settings::default(),
        options.profile.is_some(),
    )];
    if let Some(profile) = options.profile {
        role::judge(&mut files, Some(profile));
    }
    let [(report, _)] = files;
    report
}

#[cfg(test)]
mod tests;
