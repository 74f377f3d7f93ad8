//! The command line: raw arguments (clap) and the commands they run.

use crate::RunError;
use crate::config::Choice;
use crate::finding::Severity;
use crate::profile::{self, scaffold};
use crate::report::{self, Format, Options};
use crate::rules::{self, RuleMeta};
use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
    /// Print a rule's (or a check's) documentation page
    Explain {
        /// A rule id, e.g. `passrole-without-passed-to-service`, or a check's, e.g.
        /// `no-new-access`
        rule: String,
    },
    /// Show the offline AWS action catalog: source, date and counts
    Catalog,
    /// Expand an action pattern (`sagemaker:*Notebook*`) with each action's access level
    Actions {
        /// An IAM action pattern: `service:Action` with `*` and `?` wildcards
        pattern: String,
    },
    /// Offline access checks that pass or fail: access-not-granted, no-new-access,
    /// no-public-access
    Check(crate::check::cli::CheckArgs),
    /// List the role profiles and their ML activities, or show one profile's actions
    Profiles {
        /// A profile, e.g. `data-scientist`
        name: Option<String>,
    },
    /// Print a least-privilege policy for a role profile, scoped to the named resources
    Scaffold(ScaffoldArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = "The flags a profile needs depend on its ML activities \
                        (`mlpolicy profiles NAME`); scaffold says which are missing. \
                        Optional activities (KMS, VPC) are included when their flags are given.")]
pub struct ScaffoldArgs {
    /// The role profile
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(profile::names()))]
    pub profile: String,
    /// The region of the role's resources, e.g. `us-east-1`
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// The 12-digit account of the role's resources
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// An S3 bucket the role reads and writes (repeatable)
    #[arg(long, value_name = "NAME")]
    pub bucket: Vec<String>,
    /// An execution role the role may pass to SageMaker (repeatable)
    #[arg(long, value_name = "ARN")]
    pub pass_role: Vec<String>,
    /// A KMS key for data and volumes; adds the KMS activities (repeatable)
    #[arg(long, value_name = "ARN")]
    pub kms_key: Vec<String>,
    /// An ECR repository to pull (and, for notebooks, push) images (repeatable)
    #[arg(long, value_name = "NAME")]
    pub ecr_repo: Vec<String>,
    /// An Athena workgroup to run queries in (repeatable)
    #[arg(long, value_name = "NAME")]
    pub athena_workgroup: Vec<String>,
    /// A Glue database whose tables may be searched (repeatable)
    #[arg(long, value_name = "NAME")]
    pub glue_database: Vec<String>,
    /// The role runs in your VPC: add the network-interface activity
    #[arg(long)]
    pub vpc: bool,
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
    /// Files and folders to lint; folders are walked for `*.json` policies and `*.yaml`,
    /// `*.yml`, `*.template` CloudFormation templates
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
    /// Treat named files like walked ones: skip JSON and YAML that is neither a policy nor a
    /// template instead of reporting it (for pre-commit, which passes every file by name)
    #[arg(long)]
    pub policies_only: bool,
    /// Use this config for every input instead of the nearest `mlpolicy.toml`
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no config: every rule on, at its default severity
    #[arg(long)]
    pub no_config: bool,
    /// Suppress the findings listed in this baseline file; only new ones are reported
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file (and report none of them as failing)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print findings only, without the summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Judge all the given policies together, as one role of this profile
    /// (`exceeds-profile`, `profile-gap`); see `mlpolicy profiles`
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(profile::names()))]
    pub profile: Option<String>,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lint(args) => lint(args),
        Command::Rules => print(&rules_table()),
        Command::Catalog => print(&catalog_summary()),
        Command::Actions { pattern } => actions(&pattern),
        Command::Profiles { name } => profiles(name.as_deref()),
        Command::Scaffold(args) => scaffold(&args),
        Command::Check(args) => crate::check::cli::run(args),
        Command::Explain { rule } => match rules::lookup(&rule)
            .map(|r| r.meta())
            .or_else(|| crate::check::lookup(&rule))
        {
            Some(meta) => print(meta.doc),
            None => {
                let ids: Vec<&str> = rules::ALL
                    .iter()
                    .map(|r| r.meta())
                    .chain(crate::check::ALL.iter().copied())
                    .map(|m| m.id)
                    .collect();
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
        .map(|(s, a)| s.prefix().len() + a.name().len() + 1)
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (service, action) in &found {
        let name = format!("{}:{}", service.prefix(), action.name());
        let resources: Vec<&str> = action
            .resources()
            .iter()
            .map(|r| r.resource_type())
            .collect();
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

/// The config choice and baselines of `lint`, or the message for a bad baseline file.
fn run_options(args: &LintArgs) -> Result<crate::RunOptions, String> {
    let config = match (&args.config, args.no_config) {
        (Some(file), _) => Choice::File(file.clone()),
        (None, true) => Choice::Off,
        (None, false) => Choice::Discover,
    };
    let known = args
        .baseline
        .as_deref()
        .map(crate::baseline::Baseline::load)
        .transpose()?;
    let write_dir = args
        .write_baseline
        .as_deref()
        .map(|p| {
            crate::baseline::folder_of(p)
                .map_err(|e| format!("cannot write the baseline to {}: {e}", p.display()))
        })
        .transpose()?;
    Ok(crate::RunOptions {
        excludes: args.exclude.clone(),
        policies_only: args.policies_only,
        config,
        baselines: crate::baseline::Baselines { known, write_dir },
        // clap accepts only the names of shipped profiles.
        profile: args.profile.as_deref().and_then(profile::get),
    })
}

fn lint(args: LintArgs) -> ExitCode {
    let started = Instant::now();
    let run = match run_options(&args) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("mlpolicy: {message}");
            return ExitCode::from(2);
        }
    };
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
    let Some(mut out) = open_output(args.output.as_deref()) else {
        return ExitCode::from(2);
    };
    // Reports stream in path order; a file's source is dropped once its findings are written.
    let mut report = report::Report::new(args.format, &options);
    let linted = crate::lint_each(&args.paths, &run, |files| {
        failing |= files
            .iter()
            .flat_map(|file| &file.findings)
            .any(|f| f.severity >= fail_on);
        report.files(&files, &mut out)
    });
    let mut end = match linted {
        Ok(end) => Ok(end),
        Err(RunError::Io(e)) => Err(e),
        Err(RunError::Config(errors)) => {
            for e in errors {
                eprint!("{}", e.render());
            }
            eprintln!("mlpolicy: fix the config, or run with --no-config");
            return ExitCode::from(2);
        }
    };
    if let (Some(path), Ok(end)) = (&args.write_baseline, &mut end) {
        let entries = std::mem::take(&mut end.baseline);
        let count = entries.len();
        if let Err(e) = crate::baseline::write(path, entries) {
            eprintln!(
                "mlpolicy: cannot write the baseline to {}: {e}",
                path.display()
            );
            return ExitCode::from(2);
        }
        if !args.quiet {
            eprintln!("mlpolicy: wrote {count} findings to {}", path.display());
        }
    }
    let written = end.and_then(|end| {
        let elapsed = (to_terminal && args.format == Format::Human).then(|| started.elapsed());
        report.finish(
            &end.errors,
            end.passed_over,
            end.stale_baseline,
            elapsed,
            &mut out,
        )?;
        out.flush()?;
        Ok(end.errors.is_empty())
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

fn profiles(name: Option<&str>) -> ExitCode {
    match name {
        None => print(&profiles_table()),
        Some(name) => match profile::get(name) {
            Some(p) => print(&profile_page(p)),
            None => {
                let names: Vec<&str> = profile::names().collect();
                let hint = crate::text::closest(name, &names, 4)
                    .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
                eprintln!("mlpolicy: unknown profile `{name}`{hint} (see `mlpolicy profiles`)");
                ExitCode::from(2)
            }
        },
    }
}

/// Every profile with its description and its activities.
pub fn profiles_table() -> String {
    let mut text = String::new();
    for p in profile::all() {
        text += &format!("{}  {}\n", p.name, p.description);
        let ids = |list: &[&profile::Activity]| {
            list.iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        text += &format!("  needs: {}\n", ids(&p.activities));
        if !p.optional.is_empty() {
            text += &format!("  may:   {}\n", ids(&p.optional));
        }
    }
    text
}

/// One profile: its activities, where each comes from, and their actions.
pub fn profile_page(p: &profile::Profile) -> String {
    let mut text = format!(
        "{}: {}\nsource: {}\nowner condition in scaffold: {}\n",
        p.name,
        p.description,
        p.source,
        p.abac.as_str()
    );
    let sections = [
        ("needs (profile-gap reports what is missing)", &p.activities),
        ("may also grant", &p.optional),
    ];
    for (title, list) in sections {
        if list.is_empty() {
            continue;
        }
        text += &format!("\n{title}:\n");
        for a in list.iter() {
            text += &format!(
                "  {} ({}): {}\n    source: {}\n",
                a.id, a.name, a.description, a.source
            );
            let flags: Vec<String> = scaffold::params(a)
                .iter()
                .map(|p| format!("--{}", p.replace('_', "-")))
                .collect();
            if !flags.is_empty() {
                text += &format!("    scaffold needs: {}\n", flags.join(" "));
            }
            for (service, action) in a.catalog_actions() {
                text += &format!(
                    "    {}:{}  {}\n",
                    service.prefix(),
                    action.name(),
                    action.level.as_str()
                );
            }
        }
    }
    text
}

fn scaffold(args: &ScaffoldArgs) -> ExitCode {
    let Some(p) = profile::get(&args.profile) else {
        // clap accepts only the names of shipped profiles.
        return ExitCode::from(2);
    };
    let inputs = scaffold::Inputs {
        region: args.region.clone(),
        account: args.account.clone(),
        buckets: args.bucket.clone(),
        pass_roles: args.pass_role.clone(),
        kms_keys: args.kms_key.clone(),
        ecr_repos: args.ecr_repo.clone(),
        athena_workgroups: args.athena_workgroup.clone(),
        glue_databases: args.glue_database.clone(),
        vpc: args.vpc,
    };
    match scaffold::scaffold(p, &inputs) {
        Ok(policy) => print(&policy),
        Err(scaffold::Error::Missing(flags)) => {
            let message = format!(
                "the `{}` profile needs {} (see `mlpolicy profiles {}`)",
                p.name,
                flags.join(", "),
                p.name
            );
            usage_error(clap::error::ErrorKind::MissingRequiredArgument, message)
        }
        Err(scaffold::Error::Invalid(why)) => {
            usage_error(clap::error::ErrorKind::ValueValidation, why)
        }
    }
}

/// Exits as clap does for a bad `scaffold` command line (status 2, with its usage), for the
/// checks clap cannot make: which flags a profile needs, which values fit.
fn usage_error(kind: clap::error::ErrorKind, message: String) -> ! {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut("scaffold") {
        Some(sub) => sub.error(kind, message).exit(),
        None => cli.error(kind, message).exit(),
    }
}

/// Where a report goes: the `--output` file, or stdout. `None` (after saying why) when the
/// file cannot be created.
pub(crate) fn open_output(path: Option<&std::path::Path>) -> Option<Box<dyn Write>> {
    match path {
        Some(path) => match File::create(path) {
            Ok(f) => Some(Box::new(BufWriter::new(f))),
            Err(e) => {
                eprintln!(
                    "mlpolicy: cannot write the report to {}: {e}",
                    path.display()
                );
                None
            }
        },
        None => Some(Box::new(BufWriter::new(io::stdout().lock()))),
    }
}
