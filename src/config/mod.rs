//! `mlpolicy.toml`: which rules run, their severities and options, path excludes, role
//! profiles by path, and ignores with a reason.
//!
//! A config is found upward from each input (see [`discover`]); every path glob in it is
//! relative to the folder that holds it. Loading is strict: an unknown key, a wrong type, an
//! unknown rule id, a bad glob or an ignore without a reason stops the run with the problem's
//! position, because a config that does not say what its author meant would silently report
//! the wrong things. `schema/mlpolicy.schema.json` describes the same format for editors.

pub mod discover;
mod error;
mod paths;
mod raw;

pub use discover::{Choice, FILE_NAME, Resolver};
pub use error::{ConfigError, Problem};
pub use paths::PathGlob;

use crate::finding::{Finding, Severity};
use crate::rules::missing_abac_condition::Covered;
use crate::rules::{self, Rule, RuleOptions};
use crate::span::Span;
use raw::{RawConfig, RawIgnore, RawRule};
use std::path::PathBuf;
use toml::Spanned;

/// What a config changes about linting one file: which rules run, at what severity, with
/// which options. The default is the behaviour without a config.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Turned-off rule ids, sorted; their findings are dropped whoever reports them.
    disabled: Vec<&'static str>,
    /// Severity remaps, sorted by rule id.
    severities: Vec<(&'static str, Severity)>,
    pub options: RuleOptions,
}

impl Settings {
    pub fn is_enabled(&self, id: &str) -> bool {
        self.disabled.binary_search(&id).is_err()
    }

    /// The rules to run.
    pub fn rules(&self) -> impl Iterator<Item = &'static dyn Rule> + '_ {
        rules::ALL
            .iter()
            .copied()
            .filter(|r| self.is_enabled(r.meta().id))
    }

    /// Gives each finding the severity its rule is remapped to. A remap replaces the grading
    /// of graded rules: every finding of the rule gets that severity.
    pub fn remap<'f>(&self, findings: impl IntoIterator<Item = &'f mut Finding>) {
        if self.severities.is_empty() {
            return;
        }
        for f in findings {
            if let Ok(i) = self.severities.binary_search_by(|(id, _)| id.cmp(&f.rule)) {
                f.severity = self.severities[i].1;
            }
        }
    }
}

/// A role profile for the files under a path (`[[profiles]]`): the policies those files hold
/// are judged together, as one role, against the profile, as `--profile` does for a run.
#[derive(Debug, Clone)]
pub struct ProfileRule {
    pub path: PathGlob,
    pub profile: &'static crate::profile::Profile,
}

/// Where in a file an `[[ignore]]` applies; without one it covers the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The 1-based line a finding starts on.
    Line(usize),
    /// A JSON pointer: the finding's value or anything inside it.
    Pointer(String),
}

/// An `[[ignore]]` entry: findings of one rule in the files under a path, accepted for a reason.
#[derive(Debug, Clone)]
pub struct Ignore {
    pub rule: &'static str,
    pub path: PathGlob,
    pub reason: String,
    pub at: Option<At>,
    /// The `[[ignore]]` header in the config text, where an unused entry is reported.
    pub span: Span,
}

impl Ignore {
    /// Does this entry cover a finding that starts on `line`, in a file its `path` matches?
    pub fn covers(&self, finding: &Finding, line: usize) -> bool {
        finding.rule == self.rule
            && match &self.at {
                None => true,
                Some(At::Line(l)) => *l == line,
                Some(At::Pointer(p)) => {
                    finding.pointer == *p
                        || finding
                            .pointer
                            .strip_prefix(p.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                }
            }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file as shown to the user: relative to the current folder where it is below it.
    pub display: String,
    /// The canonical folder holding the file; every glob is relative to it.
    pub dir: PathBuf,
    /// The file's text, to show an unused `[[ignore]]` in context.
    pub text: String,
    pub settings: Settings,
    pub exclude: Vec<PathGlob>,
    pub profiles: Vec<ProfileRule>,
    pub ignores: Vec<Ignore>,
}

impl Config {
    /// Parses and checks a config's text, reporting every problem found.
    pub fn parse(display: String, dir: PathBuf, text: String) -> Result<Self, ConfigError> {
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e
                    .span()
                    .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
                let problem = Problem::at(span, e.message().trim_end().to_string());
                return Err(ConfigError {
                    path: display,
                    text,
                    problems: vec![problem],
                });
            }
        };
        let mut problems = Vec::new();
        let settings = settings(raw.rules, &mut problems);
        let exclude = raw
            .exclude
            .iter()
            .filter_map(|g| glob(g, &mut problems))
            .collect();
        let profiles = raw
            .profiles
            .iter()
            .filter_map(|p| profile(p, &mut problems))
            .collect();
        let ignores = raw
            .ignore
            .iter()
            .filter_map(|i| ignore(i, &mut problems))
            .collect();
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.span.map(|s| s.start));
            return Err(ConfigError {
                path: display,
                text,
                problems,
            });
        }
        Ok(Self {
            display,
            dir,
            text,
            settings,
            exclude,
            profiles,
            ignores,
        })
    }

    /// Is the file at `relative` (inside the config's folder) excluded?
    pub fn excludes(&self, relative: &str) -> bool {
        self.exclude.iter().any(|g| g.matches(relative))
    }

    /// The role profile for the file at `relative`: the first `[[profiles]]` entry that
    /// matches, so specific paths go before general ones.
    pub fn profile_for(&self, relative: &str) -> Option<&'static crate::profile::Profile> {
        self.profiles
            .iter()
            .find(|p| p.path.matches(relative))
            .map(|p| p.profile)
    }
}

fn span<T>(s: &Spanned<T>) -> Span {
    Span::new(s.span().start, s.span().end)
}

/// The rule `id` names, or a problem suggesting the closest one.
fn known_rule(id: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<&'static str> {
    if let Some(rule) = rules::lookup(id.get_ref()) {
        return Some(rule.meta().id);
    }
    let mut problem = Problem::at(span(id), format!("unknown rule `{}`", id.get_ref()));
    problem = match rules::suggest(id.get_ref()) {
        Some(s) => problem.help(format!(
            "did you mean `{s}`? `mlpolicy rules` lists them all"
        )),
        None => problem.help("`mlpolicy rules` lists every rule id"),
    };
    problems.push(problem);
    None
}

fn glob(g: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<PathGlob> {
    PathGlob::new(g.get_ref())
        .map_err(|message| problems.push(Problem::at(span(g), message)))
        .ok()
}

fn settings(raw: raw::RawRules, problems: &mut Vec<Problem>) -> Settings {
    let mut out = Settings::default();
    let listed: Vec<(&'static str, Span)> = raw
        .disable
        .iter()
        .flat_map(|d| d.get_ref())
        .filter_map(|id| known_rule(id, problems).map(|r| (r, span(id))))
        .collect();
    out.disabled = listed.iter().map(|(id, _)| *id).collect();
    for key in &raw.unknown {
        known_rule(key, problems);
    }
    for (key, table) in &raw.tables {
        let Some(id) = rules::lookup(key.get_ref()).map(|r| r.meta().id) else {
            continue;
        };
        let (enabled, severity) = table.common();
        match enabled {
            Some(false) => out.disabled.push(id),
            Some(true) if listed.iter().any(|(d, _)| *d == id) => problems.push(
                Problem::at(
                    span(key),
                    format!("`{id}` is both in `disable` and `enabled = true`"),
                )
                .help("keep one of the two"),
            ),
            _ => {}
        }
        if let Some(s) = severity {
            out.severities.push((id, *s.get_ref()));
        }
        match table {
            RawRule::Plain(_) => {}
            RawRule::PublicPrincipal(t) => {
                let t = t.get_ref();
                out.options.public_principal.trusted_accounts = t
                    .trusted_accounts
                    .iter()
                    .filter_map(|a| account_id(a, problems))
                    .collect();
                out.options.public_principal.trusted_org_ids = t
                    .trusted_org_ids
                    .iter()
                    .filter_map(|o| org_id(o, problems))
                    .collect();
            }
            RawRule::MissingAbacCondition(t) => {
                out.options.missing_abac_condition.extra_actions = t
                    .get_ref()
                    .extra_actions
                    .iter()
                    .filter_map(|c| covered(c, problems))
                    .collect();
            }
        }
    }
    out.disabled.sort_unstable();
    out.disabled.dedup();
    out.severities.sort_unstable_by_key(|(id, _)| *id);
    out
}

fn account_id(a: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<String> {
    let v = a.get_ref();
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v.clone());
    }
    problems.push(Problem::at(
        span(a),
        format!("`{v}` is not an AWS account id (12 digits)"),
    ));
    None
}

fn org_id(o: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<String> {
    let v = o.get_ref();
    let body = v.strip_prefix("o-").unwrap_or("");
    if (10..=32).contains(&body.len())
        && body
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Some(v.clone());
    }
    problems.push(Problem::at(
        span(o),
        format!("`{v}` is not an organization id (`o-` and 10 to 32 lower-case letters or digits)"),
    ));
    None
}

fn covered(c: &Spanned<raw::RawCovered>, problems: &mut Vec<Problem>) -> Option<Covered> {
    let c = c.get_ref();
    let action = c.action.get_ref();
    let start = problems.len();
    let catalog = crate::catalog::catalog();
    let known = action.split_once(':').is_some_and(|(service, name)| {
        catalog
            .service(service)
            .is_some_and(|s| s.action(name).is_some())
    });
    if crate::model::glob::has_wildcard(action) || !known {
        let mut p = Problem::at(
            span(&c.action),
            format!("`{action}` is not an action of the offline catalog"),
        );
        p = match catalog.suggest_action(action) {
            Some(s) => p.help(format!("did you mean `{s}`?")),
            None => p.help("write one action as `service:ActionName`, without wildcards"),
        };
        problems.push(p);
    } else if rules::missing_abac_condition::is_built_in(action) {
        problems.push(Problem::at(
            span(&c.action),
            format!("`{action}` is already in the built-in list (data/abac-actions.json)"),
        ));
    }
    for (field, value) in [("resource", &c.resource), ("arn-type", &c.arn_type)] {
        if value.get_ref().trim().is_empty() {
            problems.push(Problem::at(span(value), format!("`{field}` is empty")));
        }
    }
    if crate::model::glob::has_wildcard(c.arn_type.get_ref()) {
        problems.push(
            Problem::at(span(&c.arn_type), "`arn-type` is literal text, not a glob")
                .help("give how the resource part of the ARN starts, e.g. `pipeline/`"),
        );
    }
    (problems.len() == start).then(|| Covered {
        action: action.clone(),
        resource: c.resource.get_ref().clone(),
        arn_type: c.arn_type.get_ref().clone(),
        level: c.level,
    })
}

fn profile(p: &Spanned<raw::RawProfile>, problems: &mut Vec<Problem>) -> Option<ProfileRule> {
    let p = p.get_ref();
    let path = glob(&p.path, problems);
    let name = p.profile.get_ref();
    let Some(known) = crate::profile::get(name) else {
        let names: Vec<&str> = crate::profile::names().collect();
        let hint = crate::text::closest(name, &names, 4)
            .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
        problems.push(Problem::at(
            span(&p.profile),
            format!("`{name}` is not a role profile{hint}; `mlpolicy profiles` lists them"),
        ));
        return None;
    };
    Some(ProfileRule {
        path: path?,
        profile: known,
    })
}

fn ignore(entry: &Spanned<RawIgnore>, problems: &mut Vec<Problem>) -> Option<Ignore> {
    let header = span(entry);
    let i = entry.get_ref();
    let start = problems.len();
    let rule = known_rule(&i.rule, problems);
    let path = glob(&i.path, problems);
    let reason = match &i.reason {
        Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().trim().to_string(),
        Some(r) => {
            problems.push(Problem::at(
                span(r),
                "the `reason` of an `[[ignore]]` is empty",
            ));
            String::new()
        }
        None => {
            problems.push(
                Problem::at(header, "this `[[ignore]]` has no `reason`")
                    .help("say why the finding is accepted: `reason = \"...\"`"),
            );
            String::new()
        }
    };
    let at = match (&i.line, &i.pointer) {
        (Some(line), Some(_)) => {
            problems.push(
                Problem::at(span(line), "give `line` or `pointer`, not both")
                    .help("`pointer` survives lines moving; `line` is simpler to write"),
            );
            None
        }
        (Some(line), None) => match usize::try_from(*line.get_ref()) {
            Ok(l) if l >= 1 => Some(At::Line(l)),
            _ => {
                problems.push(Problem::at(span(line), "`line` counts from 1"));
                None
            }
        },
        (None, Some(pointer)) => {
            let p = pointer.get_ref();
            if p.starts_with('/') {
                Some(At::Pointer(p.clone()))
            } else {
                problems.push(
                    Problem::at(span(pointer), format!("`{p}` is not a JSON pointer"))
                        .help("pointers start with `/`, like `/Statement/0/Action`"),
                );
                None
            }
        }
        (None, None) => None,
    };
    if problems.len() > start {
        return None;
    }
    Some(Ignore {
        rule: rule?,
        path: path?,
        reason,
        at,
        span: header,
    })
}

#[cfg(test)]
mod tests;
