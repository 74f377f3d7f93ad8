//! Judging the policies of one run together, as the policies of one role.
//!
//! `lint` checks each document on its own. A role's permissions are the sum of its policies,
//! so the questions a profile asks (does the role grant more than the persona needs? does it
//! lack an activity?) are answered over every identity policy of the run at once: each rule's
//! [`Rule::check_role`](crate::rules::Rule::check_role) sees a [`Role`] and reports findings
//! tagged with the file they belong to.

use crate::access::{Access, Grant, Resources};
use crate::catalog::{Action, Service};
use crate::engine::{self, FileReport};
use crate::finding::Finding;
use crate::frontend::{self, Contents, Document, Parsed};
use crate::model::{Policy, Statement, Str, arn};
use crate::profile::Profile;
use crate::rules;
use std::sync::OnceLock;

/// The policies judged together, and what the run asks of them.
pub struct Role<'p> {
    /// The profile given with `--profile`; rules that compare with one do nothing without it.
    pub profile: Option<&'p Profile>,
    /// Each policy with the index of its file, in path order.
    policies: Vec<(usize, &'p Policy<'p>)>,
    access: Access<'p>,
    allowed: OnceLock<Vec<(&'static Service, &'static Action)>>,
}

/// A finding of a role rule, with the index of the file its span points into.
#[derive(Debug)]
pub struct RoleFinding {
    pub file: usize,
    pub finding: Finding,
}

impl<'p> Role<'p> {
    pub fn new(policies: Vec<(usize, &'p Policy<'p>)>, profile: Option<&'p Profile>) -> Self {
        let only: Vec<&'p Policy<'p>> = policies.iter().map(|(_, p)| *p).collect();
        Self {
            profile,
            access: Access::for_roles(&only).indexed(),
            policies,
            allowed: OnceLock::new(),
        }
    }

    /// The effective grants of the identity statements of every policy.
    pub fn access(&self) -> &Access<'p> {
        &self.access
    }

    /// Every catalog action the role could be allowed on a resource of a type the action
    /// acts on (see [`reaches_type`]), computed once for all rules.
    pub fn allowed_actions(&self) -> &[(&'static Service, &'static Action)] {
        self.allowed.get_or_init(|| {
            let mut name = String::new();
            self.access
                .allowed_actions()
                .into_iter()
                .filter(|(service, action)| {
                    name.clear();
                    name.push_str(service.prefix());
                    name.push(':');
                    name.push_str(action.name());
                    self.access
                        .grants(&name)
                        .iter()
                        .any(|g| reaches_type(g, action))
                })
                .collect()
        })
    }

    /// The file a statement of one of the role's policies was written in.
    pub fn file_of(&self, statement: &Statement) -> usize {
        self.policies
            .iter()
            .find(|(_, p)| {
                p.statements
                    .as_ptr_range()
                    .contains(&std::ptr::from_ref(statement))
            })
            .map_or(0, |(file, _)| *file)
    }

    /// The first policy (in path order) that grants the role anything: the place to report
    /// what the role as a whole lacks. Falls back to the first policy.
    pub fn first_policy(&self) -> Option<(usize, &'p Policy<'p>)> {
        self.policies
            .iter()
            .find(|(_, p)| p.statements.iter().any(|s| s.principal.is_none()))
            .or(self.policies.first())
            .copied()
    }
}

/// Could the grant reach a resource `action` acts on? A `NotAction` that also allows
/// `sagemaker:*` on a secret's ARN grants no SageMaker action. Values that cannot be compared
/// (template references, non-ARNs) might be anything, so they count as reaching.
pub fn reaches_type(grant: &Grant<'_>, action: &Action) -> bool {
    let Resources::Listed(items) = &grant.resources else {
        return true;
    };
    if items
        .iter()
        .any(|r| arn::matches_everything(r.value) || !rules::resource_mismatch::judgeable(r))
    {
        return true;
    }
    let values: Vec<Str> = items.iter().map(|r| (*r).clone()).collect();
    let mut types = rules::resource_mismatch::TypeMatches::default();
    rules::resource_mismatch::applies(action, &values, &mut types)
}

/// Runs every rule's role check over the files of a run (each with its parsed tree, kept for
/// this pass) and adds the findings to the files they belong to, in the usual order.
pub fn judge(files: &mut [(FileReport, Option<Parsed>)], profile: Option<&Profile>) {
    let found = role_findings(files, profile);
    let mut touched = vec![false; files.len()];
    for RoleFinding { file, finding } in found {
        if let Some((report, _)) = files.get_mut(file) {
            report.findings.push(finding);
            touched[file] = true;
        }
    }
    for (i, (report, _)) in files.iter_mut().enumerate() {
        if touched[i] {
            engine::sort_findings(&mut report.findings);
        }
    }
}

fn role_findings(
    files: &[(FileReport, Option<Parsed>)],
    profile: Option<&Profile>,
) -> Vec<RoleFinding> {
    let documents: Vec<(usize, Vec<Document<'_>>)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, (report, parsed))| {
            match frontend::contents(parsed.as_ref()?, &report.source.text).0 {
                Contents::Documents(docs) => Some((i, docs)),
                Contents::NoPolicies | Contents::NotPolicy => None,
            }
        })
        .collect();
    let policies: Vec<(usize, Policy<'_>)> = documents
        .iter()
        .flat_map(|(i, docs)| {
            docs.iter()
                .map(|d| (*i, engine::lower_document(d, &files[*i].0.source.path).0))
        })
        .collect();
    let role = Role::new(policies.iter().map(|(i, p)| (*i, p)).collect(), profile);
    let mut out = Vec::new();
    for rule in rules::ALL {
        rule.check_role(&role, &mut out);
    }
    out
}
