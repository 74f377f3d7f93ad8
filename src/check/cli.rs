//! `mlpolicy check ...`: arguments and the run of one check.

use super::access_not_granted::{self, Query};
use super::output::{self, Format};
use super::{Outcome, Verdict, no_new_access, no_public_access};
use crate::load::{self, Loaded};
use clap::{Subcommand, ValueEnum};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 pass; 1 fail; 2 usage error, or an input that could not be read \
                  or parsed (no verdict)."
)]
pub struct CheckArgs {
    #[command(subcommand)]
    pub check: CheckCommand,
}

#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Fail if the policies, taken together, could allow any of the given actions
    AccessNotGranted(AccessNotGrantedArgs),
    /// Fail if NEW allows an action on a resource that OLD does not (or, with --git, if a
    /// changed policy file does)
    NoNewAccess(NoNewAccessArgs),
    /// Fail if a resource, VPC endpoint or trust policy lets principals outside the account in
    NoPublicAccess(NoPublicAccessArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnUnknown {
    Fail,
    Pass,
}

#[derive(Debug, clap::Args)]
pub struct Common {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Whether results that depend on conditions (or values known only at deploy time) fail
    /// the check
    #[arg(long, value_enum, default_value_t = OnUnknown::Fail)]
    pub on_unknown: OnUnknown,
}

#[derive(Debug, clap::Args)]
pub struct AccessNotGrantedArgs {
    /// An action that must not be allowed (`iam:PassRole`; wildcards expand through the
    /// catalog: `s3:Delete*`); repeatable
    #[arg(long = "action", value_name = "ACTION", required = true)]
    pub actions: Vec<String>,
    /// Only ask about these resources (ARNs, or ARN patterns with `*` and `?`); repeatable
    #[arg(long = "resource", value_name = "ARN")]
    pub resources: Vec<String>,
    /// Policy files and folders, judged together
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Skip paths matching GLOB when walking folders
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct NoNewAccessArgs {
    /// OLD and NEW (files or folders); with --git, optional paths to limit the comparison to
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Compare each policy file changed since REV (in the working tree, below the current
    /// folder) with its content at REV
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct NoPublicAccessArgs {
    /// Policy files and folders
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// An account whose principals are not outside (12 digits); repeatable. With none, only
    /// `*` and `NotPrincipal` count as public
    #[arg(long = "trusted-account", value_name = "ID")]
    pub trusted: Vec<String>,
    /// Skip paths matching GLOB when walking folders
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let (outcome, common) = match args.check {
        CheckCommand::AccessNotGranted(a) => (access_not_granted(&a), a.common),
        CheckCommand::NoNewAccess(a) => (no_new_access(&a), a.common),
        CheckCommand::NoPublicAccess(a) => (no_public_access(&a), a.common),
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(message) => {
            eprintln!("mlpolicy: {message}");
            return ExitCode::from(2);
        }
    };
    let unknown_fails = common.on_unknown == OnUnknown::Fail;
    let Some(mut out) = crate::cli::open_output(common.output.as_deref()) else {
        return ExitCode::from(2);
    };
    let written =
        output::write(&outcome, common.format, unknown_fails, &mut out).and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("mlpolicy: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    match outcome.verdict(unknown_fails) {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Fail => ExitCode::from(1),
        Verdict::Error => ExitCode::from(2),
    }
}

fn access_not_granted(args: &AccessNotGrantedArgs) -> Result<Outcome, String> {
    let query = Query {
        actions: expand_actions(&args.actions)?,
        resources: args.resources.clone(),
    };
    let Loaded { files, errors } = load::load(&args.paths, &args.exclude);
    let mut outcome = access_not_granted::run(&files, &query);
    outcome.errors.extend(errors);
    outcome.sort();
    Ok(outcome)
}

/// Every catalog action the patterns name, deduplicated in catalog order; an unknown name is a
/// usage error with the closest real one.
fn expand_actions(
    patterns: &[String],
) -> Result<
    Vec<(
        &'static crate::catalog::Service,
        &'static crate::catalog::Action,
    )>,
    String,
> {
    let cat = crate::catalog::catalog();
    let mut out = Vec::new();
    for pattern in patterns {
        let found = cat.expand(pattern);
        if found.is_empty() {
            let hint = cat
                .suggest_action(pattern)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            return Err(format!(
                "--action `{pattern}` matches no action in the catalog{hint} (see `mlpolicy actions`)"
            ));
        }
        out.extend(found);
    }
    out.sort_by(|a, b| {
        (a.0.prefix(), a.1.name().to_ascii_lowercase())
            .cmp(&(b.0.prefix(), b.1.name().to_ascii_lowercase()))
    });
    out.dedup_by(|a, b| std::ptr::eq(a.1, b.1));
    Ok(out)
}

fn no_new_access(args: &NoNewAccessArgs) -> Result<Outcome, String> {
    if let Some(rev) = &args.git {
        return no_new_access::run_git(rev, &args.paths);
    }
    let [old, new] = args.paths.as_slice() else {
        return Err(format!(
            "no-new-access takes OLD and NEW (or --git REV), not {} paths",
            args.paths.len()
        ));
    };
    let old_loaded = load::load(std::slice::from_ref(old), &[]);
    let new_loaded = load::load(std::slice::from_ref(new), &[]);
    let mut outcome = no_new_access::run(&old_loaded.files, &new_loaded.files, old);
    outcome.errors.extend(old_loaded.errors);
    outcome.errors.extend(new_loaded.errors);
    outcome.sort();
    Ok(outcome)
}

fn no_public_access(args: &NoPublicAccessArgs) -> Result<Outcome, String> {
    if let Some(bad) = args
        .trusted
        .iter()
        .find(|t| !super::compare::is_account_id(t))
    {
        return Err(format!(
            "--trusted-account `{bad}` is not an account id (12 digits)"
        ));
    }
    let Loaded { files, errors } = load::load(&args.paths, &args.exclude);
    let mut outcome = no_public_access::run(&files, &args.trusted);
    outcome.errors.extend(errors);
    outcome.sort();
    Ok(outcome)
}
