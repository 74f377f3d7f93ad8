//! `mlpolicy check ...`: offline answers to the questions IAM Access Analyzer's paid custom
//! checks answer, from the policy text alone. Each check passes, fails, or cannot run (exit 0,
//! 1, 2). Answers are sound for actions and resources: when they cannot be proved absent they
//! are reported, and a grant that depends on request conditions is reported as `unknown`, with
//! its condition keys, rather than guessed either way.

pub mod access_not_granted;
pub mod cli;
mod compare;
mod git;
pub mod no_new_access;
pub mod no_public_access;
mod output;

use crate::discover::InputError;
use crate::finding::{Finding, Severity};
use crate::frontend::Document;
use crate::load::LoadedFile;
use crate::model::{Policy, Statement};
use crate::rules::RuleMeta;
use crate::source::SourceFile;
use crate::span::{Position, Span};
use serde::Serialize;

/// Declares a check's metadata, with its page `checks/<id>.md`, in the shape rules use, so
/// SARIF and `mlpolicy explain` treat checks like rules.
macro_rules! declare_check {
    (id: $id:literal, security_severity: $score:literal, summary: $summary:literal $(,)?) => {
        pub const ID: &str = $id;

        pub static META: crate::rules::RuleMeta = crate::rules::RuleMeta {
            id: $id,
            severity: crate::finding::Severity::Error,
            summary: $summary,
            doc: include_str!(concat!("../../checks/", $id, ".md")),
            security_severity: $score,
            tags: &["security", "offline-check"],
        };
    };
}
pub(crate) use declare_check;

/// Every check, sorted by id.
pub static ALL: &[&RuleMeta] = &[
    &access_not_granted::META,
    &no_new_access::META,
    &no_public_access::META,
];

pub fn lookup(id: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|m| m.id == id)
}

/// What one result says. Every status but `Unknown` fails the check; `Unknown` fails it
/// unless `--on-unknown pass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// access-not-granted: allowed with no condition in the way.
    Allowed,
    /// no-new-access: NEW allows it and OLD does not (or only under conditions NEW drops).
    New,
    /// no-public-access: any principal can use it.
    Public,
    /// no-public-access: an account that is not trusted can use it.
    External,
    /// The answer depends on request conditions or values known only at deploy time.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::New => "new",
            Self::Public => "public",
            Self::External => "external",
            Self::Unknown => "unknown",
        }
    }
}

/// One result: a statement that grants what the check forbids, and what it grants.
#[derive(Debug, Clone)]
pub struct Hit {
    pub status: Status,
    /// Rule (the check id), span, message, pointer, statement index and Sid.
    pub finding: Finding,
    pub path: String,
    pub start: Position,
    pub end: Position,
    /// Catalog actions (or, for no-public-access, the statement's action values), sorted.
    pub actions: Vec<String>,
    /// The resource values the grant reaches; with `not_resource`, the ones it does not.
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// Condition keys the answer depends on.
    pub conditions: Vec<String>,
}

impl Hit {
    /// A result located at `span` of the statement `st` in `source`.
    pub fn at(
        check: &'static RuleMeta,
        status: Status,
        source: &SourceFile,
        st: &Statement,
        (span, pointer): (Span, &str),
        message: String,
    ) -> Self {
        let severity = if status == Status::Unknown {
            Severity::Warning
        } else {
            Severity::Error
        };
        let (start, end) = source.span_positions(span);
        Self {
            status,
            finding: Finding::new(check.id, severity, span, pointer, message)
                .in_statement(st.index, st.sid()),
            path: source.path.clone(),
            start,
            end,
            actions: Vec::new(),
            resources: Vec::new(),
            not_resource: false,
            conditions: Vec::new(),
        }
    }
}

/// Everything one check found.
#[derive(Debug)]
pub struct Outcome {
    pub check: &'static RuleMeta,
    /// Sorted by path, position, status and message.
    pub hits: Vec<Hit>,
    /// Inputs that could not be read or parsed: the check has no verdict.
    pub errors: Vec<InputError>,
    pub files: usize,
    pub policies: usize,
    /// How many things were checked, and what they are called (one, many).
    pub checked: (usize, &'static str, &'static str),
    /// The statuses this check reports, for zero-filled counts.
    pub statuses: &'static [Status],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    /// An input could not be read or parsed.
    Error,
}

impl Outcome {
    pub fn new(check: &'static RuleMeta, statuses: &'static [Status]) -> Self {
        Self {
            check,
            hits: Vec::new(),
            errors: Vec::new(),
            files: 0,
            policies: 0,
            checked: (0, "", ""),
            statuses,
        }
    }

    pub fn verdict(&self, unknown_fails: bool) -> Verdict {
        if !self.errors.is_empty() {
            Verdict::Error
        } else if self
            .hits
            .iter()
            .any(|h| h.status != Status::Unknown || unknown_fails)
        {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
    }

    /// How many results have each status this check reports, in `statuses` order.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        self.statuses
            .iter()
            .map(|&s| (s, self.hits.iter().filter(|h| h.status == s).count()))
            .collect()
    }

    fn sort(&mut self) {
        self.hits.sort_by(|a, b| {
            (&a.path, a.start, a.status, &a.finding.message).cmp(&(
                &b.path,
                b.start,
                b.status,
                &b.finding.message,
            ))
        });
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// One policy document of a loaded file, lowered.
pub struct Lowered<'d> {
    /// Index of the file in the list given to [`with_policies`].
    pub file: usize,
    pub policy: Policy<'d>,
    /// The IAM entities the document is attached to (see [`Document::units`]).
    pub units: &'d [String],
}

/// Lowers every document of `files` and hands them to `f`, in file and document order.
pub fn with_policies<R>(files: &[LoadedFile], f: impl FnOnce(&[Lowered<'_>]) -> R) -> R {
    let docs: Vec<Vec<Document<'_>>> = files.iter().map(LoadedFile::documents).collect();
    let lowered: Vec<Lowered<'_>> = files
        .iter()
        .zip(&docs)
        .enumerate()
        .flat_map(|(i, (file, docs))| {
            file.policies(docs)
                .into_iter()
                .zip(docs)
                .map(move |(policy, doc)| Lowered {
                    file: i,
                    policy,
                    units: &doc.units,
                })
        })
        .collect();
    f(&lowered)
}

/// The file a statement of `lowered` came from.
fn file_of(lowered: &[Lowered<'_>], st: &Statement) -> usize {
    lowered
        .iter()
        .find(|l| {
            l.policy
                .statements
                .as_ptr_range()
                .contains(&std::ptr::from_ref(st))
        })
        .map_or(0, |l| l.file)
}

/// "`a`", or "3 actions: `a`, `b`, `c`", naming at most `SHOWN` of them.
fn name_actions(actions: &[String]) -> String {
    const SHOWN: usize = 5;
    if let [one] = actions {
        return format!("`{one}`");
    }
    let shown: Vec<String> = actions
        .iter()
        .take(SHOWN)
        .map(|a| format!("`{a}`"))
        .collect();
    let mut text = format!("{} actions: {}", actions.len(), shown.join(", "));
    if actions.len() > SHOWN {
        text += &format!(" and {} more", actions.len() - SHOWN);
    }
    text
}

/// "`iam:*` on `*` allows `iam:PassRole`", or "`iam:PassRole` is allowed on `*`" when the
/// action value is the action itself. `resources` are the ones left out with `not_resource`;
/// none left out stands for a trust policy's implicit `Resource`, the role.
fn grant_phrase(via: &str, resources: &[String], not_resource: bool, actions: &[String]) -> String {
    let on = match (not_resource, resources.is_empty()) {
        (true, true) => "the resource the policy is attached to".to_string(),
        (true, false) => format!(
            "every resource but {} (`NotResource`)",
            name_keys(resources)
        ),
        (false, _) => name_keys(resources),
    };
    match actions {
        [one] if via.trim_matches('`').eq_ignore_ascii_case(one) => {
            format!("`{one}` is allowed on {on}")
        }
        _ => format!("{via} on {on} allows {}", name_actions(actions)),
    }
}

/// "`k1`, `k2`".
fn name_keys(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The condition keys of a statement, deduplicated case-insensitively and sorted; a
/// `Condition` that did not lower into keys counts as `Condition` itself.
fn condition_keys(st: &Statement) -> Vec<String> {
    let mut keys: Vec<String> = st
        .conditions
        .iter()
        .map(|c| c.key.value.to_string())
        .collect();
    if keys.is_empty() && st.condition_span.is_some() {
        keys.push("Condition".to_string());
    }
    keys.sort_by_key(|k| k.to_ascii_lowercase());
    keys.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    keys
}

/// "1 file", "2 files".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests;
