//! The command line: raw arguments (clap) and the commands they run.

use crate::finding::Severity;
use crate::report::{self, Format, Options};
use crate::rules::{self, RuleMeta};
use clap::{Parser, Subcommand, ValueEnum};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(
    name = "mlpolicy",
    version,
    about = "Lint AWS IAM policies for machine-learning platforms",
    after_help = "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; \
                  2 usage error or an input that could not be read."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint policy files and folders (`-` reads one policy from stdin)
    Lint(LintArgs),
    /// List every rule with its id, default severity and summary
    Rules,
    /// Print a rule's documentation page
    Explain {
        /// A rule id, e.g. `passrole-without-passed-to-service`
        rule: String,
    },
    /// Show the offline AWS action catalog: source, date and counts
    Catalog,
    /// Expand an action pattern (`sagemaker:*Notebook*`) with each action's access level
    Actions {
        /// An IAM action pattern: `service:Action` with `*` and `?` wildcards
        pattern: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Self {
        match l {
            Level::Note => Severity::Note,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files and folders to lint; folders are walked for `*.json` policies
    #[arg(default_value = ".")]
    pub paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show findings at or above this severity
    #[arg(long, value_enum, default_value_t = Level::Note)]
    pub min_severity: Level,
    /// Exit with 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub fail_on: Level,
    /// Worker threads (default: one per core)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Skip paths matching GLOB (a name like `fixtures`, or a path pattern like `*/gen/*`)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Treat named files like walked ones: skip JSON that is not a policy instead of reporting
    /// it (for pre-commit, which passes every `*.json` file by name)
    #[arg(long)]
    pub policies_only: bool,
    /// Print findings only, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lint(args) => lint(args),
        Command::Rules => print(&rules_table()),
        Command::Catalog => print(&catalog_summary()),
        Command::Actions { pattern } => actions(&pattern),
        Command::Explain { rule } => match rules::lookup(&rule) {
            Some(r) => print(r.meta().doc),
            None => {
                let ids: Vec<&str> = rules::ALL.iter().map(|r| r.meta().id).collect();
                let hint = crate::text::closest(&rule, &ids, 4)
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                eprintln!("mlpolicy: unknown rule `{rule}`{hint} (see `mlpolicy rules`)");
                ExitCode::from(2)
            }
        },
    }
}

fn print(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mlpolicy: {e}");
            ExitCode::from(2)
        }
    }
}

pub fn rules_table() -> String {
    let width = rules::ALL
        .iter()
        .map(|r| r.meta().id.len())
        .max()
        .unwrap_or(0);
    rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            format!(
                "{:width$}  {:7}  {}\n",
                m.id,
                m.severity.as_str(),
                m.summary
            )
        })
        .collect()
}

pub fn catalog_summary() -> String {
    let cat = crate::catalog::catalog();
    let src = cat.source();
    let c = cat.counts();
    format!(
        "source: PyPI package {} {} (sha256 {})\n\
         data updated: {}\n\
         generated: {}\n\
         services: {}\n\
         actions: {}\n\
         resource types: {}\n\
         condition keys: {} (plus {} global keys)\n\
         retired actions: {}\n\
         derived from AWS's Service Authorization Reference; see data/THIRD-PARTY-NOTICES\n",
        src.package,
        src.version,
        src.sha256,
        src.updated_at,
        src.generated,
        c.services,
        c.actions,
        c.resource_types,
        c.condition_keys,
        c.global_condition_keys,
        c.retired_actions
    )
}

fn actions(pattern: &str) -> ExitCode {
    let cat = crate::catalog::catalog();
    let found = cat.expand(pattern);
    if found.is_empty() {
        let hint = if crate::model::glob::has_wildcard(pattern) {
            String::new()
        } else {
            cat.suggest_action(pattern)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"))
        };
        eprintln!("mlpolicy: `{pattern}` matches no action{hint}");
        return ExitCode::from(1);
    }
    let width = found
        .iter()
        .map(|(s, a)| s.prefix().len() + a.name.len() + 1)
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (service, action) in &found {
        let name = format!("{}:{}", service.prefix(), action.name);
        let resources: Vec<&str> = action.resources.iter().map(|r| r.resource_type).collect();
        let on = if resources.is_empty() {
            "*".to_string()
        } else {
            resources.join(", ")
        };
        text += &format!("{name:width$}  {:22}  {on}\n", action.level.as_str());
    }
    text += &format!("{} actions\n", found.len());
    print(&text)
}

/// The first paragraph under `## What it does`.
pub fn what_it_does(meta: &RuleMeta) -> String {
    meta.doc
        .split("## What it does")
        .nth(1)
        .and_then(|rest| {
            rest.trim_start()
                .split("\n\n")
                .next()
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| meta.summary.to_string())
}

fn lint(args: LintArgs) -> ExitCode {
    let started = Instant::now();
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            eprintln!("mlpolicy: --jobs must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
        {
            eprintln!("mlpolicy: cannot start {jobs} threads: {e}");
            return ExitCode::from(2);
        }
    }
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let options = Options {
        min_severity: args.min_severity.into(),
        color,
        quiet: args.quiet,
    };
    let fail_on: Severity = args.fail_on.into();
    let mut failing = false;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!(
                    "mlpolicy: cannot write the report to {}: {e}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    // Reports stream in path order; a file's source is dropped once its findings are written.
    let mut report = report::Report::new(args.format, &options);
    let linted = crate::lint_each(&args.paths, &args.exclude, args.policies_only, |file| {
        failing |= file.findings.iter().any(|f| f.severity >= fail_on);
        report.file(&file, &mut out)
    });
    let written = linted.and_then(|(errors, passed_over)| {
        let elapsed = (to_terminal && args.format == Format::Human).then(|| started.elapsed());
        report.finish(&errors, passed_over, elapsed, &mut out)?;
        out.flush()?;
        Ok(errors.is_empty())
    });
    let readable = match written {
        Ok(readable) => readable,
        // `mlpolicy lint | head -1`: the reader has what it wanted.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            let target = args
                .output
                .as_ref()
                .map_or("stdout".to_string(), |p| p.display().to_string());
            eprintln!("mlpolicy: cannot write the report to {target}: {e}");
            return ExitCode::from(2);
        }
    };
    if !readable {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
