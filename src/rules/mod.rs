//! The rule registry. One file per rule, named after its id; each declares its metadata once
//! and its page `rules/<id>.md` is embedded in the binary (`mlpolicy explain`).

mod catalog_lookup;
mod condition_type_mismatch;
mod credentials_exposure;
mod data_exfiltration;
mod exceeds_profile;
pub mod invalid_ignore;
pub mod invalid_json;
pub mod invalid_policy;
pub mod invalid_template;
mod malformed_arn;
pub mod missing_abac_condition;
mod passrole_without_passed_to_service;
pub mod placeholders;
mod policy_variable_needs_version;
mod privilege_escalation;
mod profile_gap;
pub mod public_principal;
mod redundant_action;
mod resource_exposure;
pub(crate) mod resource_mismatch;
mod retired_action;
mod risk;
mod template_placeholder;
mod unknown_action;
mod unknown_condition_key;
mod unknown_service;
mod unnecessary_resource_star;
pub mod unused_ignore;
mod wildcard_action_on_star_resource;
mod wildcard_matches_nothing;

use crate::access::Access;
use crate::finding::{Finding, Severity};
use crate::model::Policy;
use crate::role::{Role, RoleFinding};
use std::cell::OnceCell;

#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id; users write it in configs, so it never changes.
    pub id: &'static str,
    /// The default severity; rules that grade their findings use this as the highest.
    pub severity: Severity,
    /// One line, shown by `mlpolicy rules` and as SARIF `shortDescription`.
    pub summary: &'static str,
    /// The Markdown page.
    pub doc: &'static str,
    /// GitHub code scanning's 0.0-10.0 score for the default severity.
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
}

/// What a project's `mlpolicy.toml` tells the rules that take options; the defaults are the
/// behaviour without a config. Each rule reads only its own field.
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    pub missing_abac_condition: missing_abac_condition::Options,
    pub public_principal: public_principal::Options,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Appends the findings for one policy document. Parse and grammar rules report from the
    /// parser and lowering instead, so their `check` does nothing.
    fn check(&self, policy: &Policy<'_>, options: &RuleOptions, out: &mut Vec<Finding>);

    /// Appends the findings for the policies that act together (one role's documents, or a
    /// lone document). Only the risk rules look across documents.
    fn check_group(&self, _group: &Group<'_>, _options: &RuleOptions, _out: &mut Vec<Finding>) {}

    /// Appends the findings that judge all the policies of a run together, as one role
    /// (`lint --profile`). Rules that judge one document at a time leave it empty.
    fn check_role(&self, _role: &Role<'_>, _out: &mut Vec<RoleFinding>) {}
}

/// The policies that act together (one role's documents, or a lone document), with what the
/// rules that judge them derive once and share.
pub struct Group<'p> {
    pub policies: &'p [&'p Policy<'p>],
    role_access: OnceCell<Access<'p>>,
}

impl<'p> Group<'p> {
    pub fn new(policies: &'p [&'p Policy<'p>]) -> Self {
        Self {
            policies,
            role_access: OnceCell::new(),
        }
    }

    /// The grants of the identity statements (no `Principal`: a statement with one grants
    /// someone else, and is judged by `public-principal`), built on first use.
    pub fn role_access(&self) -> &Access<'p> {
        self.role_access
            .get_or_init(|| Access::for_roles(self.policies))
    }
}

/// Every rule, sorted by id.
pub static ALL: &[&dyn Rule] = &[
    &condition_type_mismatch::ConditionTypeMismatch,
    &credentials_exposure::CredentialsExposure,
    &data_exfiltration::DataExfiltration,
    &exceeds_profile::ExceedsProfile,
    &invalid_ignore::InvalidIgnore,
    &invalid_json::InvalidJson,
    &invalid_policy::InvalidPolicy,
    &invalid_template::InvalidTemplate,
    &malformed_arn::MalformedArn,
    &missing_abac_condition::MissingAbacCondition,
    &passrole_without_passed_to_service::PassroleWithoutPassedToService,
    &policy_variable_needs_version::PolicyVariableNeedsVersion,
    &privilege_escalation::PrivilegeEscalation,
    &profile_gap::ProfileGap,
    &public_principal::PublicPrincipal,
    &redundant_action::RedundantAction,
    &resource_exposure::ResourceExposure,
    &resource_mismatch::ResourceMismatch,
    &retired_action::RetiredAction,
    &template_placeholder::TemplatePlaceholder,
    &unknown_action::UnknownAction,
    &unknown_condition_key::UnknownConditionKey,
    &unknown_service::UnknownService,
    &unnecessary_resource_star::UnnecessaryResourceStar,
    &unused_ignore::UnusedIgnore,
    &wildcard_action_on_star_resource::WildcardActionOnStarResource,
    &wildcard_matches_nothing::WildcardMatchesNothing,
];

pub fn lookup(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().id == id)
}

/// The rule id closest to a mistyped one, for "did you mean".
pub fn suggest(id: &str) -> Option<&'static str> {
    let ids: Vec<&'static str> = ALL.iter().map(|r| r.meta().id).collect();
    crate::text::closest(id, &ids, 4)
}

/// Declares a rule: its unit struct, its `RuleMeta` (with the page read from `rules/<id>.md`)
/// and the `Rule` impl that calls the module's `fn check(policy, out)` (and, given
/// `role: check_role`, its `fn check_role(role, out)`) — or, for a rule declared with
/// `options: field`, `fn check(policy, &options.field, out)`; for a rule declared with
/// `scope: group`, its `fn check_group(group, out)`.
macro_rules! declare_rule {
    (
        $name:ident,
        id: $id:literal,
        severity: $severity:ident,
        security_severity: $score:literal,
        tags: [$($tag:literal),*],
        summary: $summary:literal
        $(, role: $role:ident)? $(,)?
    ) => {
        crate::rules::declare_rule!(@meta $name, $id, $severity, $score, [$($tag),*], $summary);

        impl crate::rules::Rule for $name {
            fn meta(&self) -> &'static crate::rules::RuleMeta {
                &META
            }

            fn check(
                &self,
                policy: &crate::model::Policy<'_>,
                _: &crate::rules::RuleOptions,
                out: &mut Vec<crate::finding::Finding>,
            ) {
                check(policy, out)
            }

            $(
                fn check_role(
                    &self,
                    role: &crate::role::Role<'_>,
                    out: &mut Vec<crate::role::RoleFinding>,
                ) {
                    $role(role, out)
                }
            )?
        }
    };
    (
        $name:ident,
        id: $id:literal,
        severity: $severity:ident,
        security_severity: $score:literal,
        tags: [$($tag:literal),*],
        summary: $summary:literal,
        options: $field:ident $(,)?
    ) => {
        crate::rules::declare_rule!(@meta $name, $id, $severity, $score, [$($tag),*], $summary);

        impl crate::rules::Rule for $name {
            fn meta(&self) -> &'static crate::rules::RuleMeta {
                &META
            }

            fn check(
                &self,
                policy: &crate::model::Policy<'_>,
                options: &crate::rules::RuleOptions,
                out: &mut Vec<crate::finding::Finding>,
            ) {
                check(policy, &options.$field, out)
            }
        }
    };
    (
        $name:ident,
        id: $id:literal,
        severity: $severity:ident,
        security_severity: $score:literal,
        tags: [$($tag:literal),*],
        summary: $summary:literal,
        scope: group $(,)?
    ) => {
        crate::rules::declare_rule!(@meta $name, $id, $severity, $score, [$($tag),*], $summary);

        impl crate::rules::Rule for $name {
            fn meta(&self) -> &'static crate::rules::RuleMeta {
                &META
            }

            fn check(
                &self,
                _: &crate::model::Policy<'_>,
                _: &crate::rules::RuleOptions,
                _: &mut Vec<crate::finding::Finding>,
            ) {
            }

            fn check_group(
                &self,
                group: &crate::rules::Group<'_>,
                _: &crate::rules::RuleOptions,
                out: &mut Vec<crate::finding::Finding>,
            ) {
                check_group(group, out)
            }
        }
    };
    (@meta $name:ident, $id:literal, $severity:ident, $score:literal, [$($tag:literal),*], $summary:literal) => {
        pub struct $name;

        pub const ID: &str = $id;

        pub static META: crate::rules::RuleMeta = crate::rules::RuleMeta {
            id: $id,
            severity: crate::finding::Severity::$severity,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
            security_severity: $score,
            tags: &[$($tag),*],
        };
    };
}
pub(crate) use declare_rule;
