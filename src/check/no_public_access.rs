//! `mlpolicy check no-public-access`: resource, VPC endpoint and trust policies that a
//! principal outside the account can use. What counts as public is what `public-principal`
//! reports (`"Principal": "*"`, `{"AWS": "*"}` or `NotPrincipal` in an `Allow` with no condition
//! narrowing the caller), less the statements a `Deny` shuts to everyone outside named
//! callers; with `--trusted-account`, principals of any other account count too.

use super::compare::{Set, is_account_id};
use super::{Hit, Outcome, Status, declare_check, name_keys, with_policies};
use crate::access::public::{Opening, excludes_others, narrows_caller, opening};
use crate::load::LoadedFile;
use crate::model::cover::covers;
use crate::model::{Effect, Statement, Str, arn};

declare_check!(
    id: "no-public-access",
    security_severity: "9.0",
    summary: "fails when a resource, VPC endpoint or trust policy lets principals outside the account in",
);

const STATUSES: &[Status] = &[Status::Public, Status::External, Status::Unknown];

/// CloudFormation's own account: the stack's, so never another one.
const OWN_ACCOUNT: &str = "${AWS::AccountId}";

pub fn run(files: &[LoadedFile], trusted: &[String]) -> Outcome {
    let mut outcome = Outcome::new(&META, STATUSES);
    outcome.files = files.len();
    let mut checked = 0;
    with_policies(files, |lowered| {
        outcome.policies = lowered.len();
        for l in lowered {
            let policy = &l.policy;
            let source = &files[l.file].source;
            let kind = policy.kind().refine(&policy.statements).describe();
            for st in &policy.statements {
                if !st.is_allow() || st.principal.is_none() {
                    continue;
                }
                checked += 1;
                if policy.statements.iter().any(|d| shuts_out_others(d, st)) {
                    continue;
                }
                let grants = grants(st);
                if let Some(open) = opening(st) {
                    let who = match open {
                        Opening::Anyone(_) => format!("`Principal` `*` opens {kind} to anyone"),
                        Opening::AllBut { .. } => format!(
                            "`NotPrincipal` opens {kind} to every principal but those listed"
                        ),
                    };
                    let message =
                        format!("{who} ({grants}), with no condition narrowing the caller");
                    let pointer = open.pointer();
                    let at = (open.span(), pointer.as_str());
                    outcome.hits.push(filled(
                        Hit::at(&META, Status::Public, source, st, at, message),
                        st,
                    ));
                    continue;
                }
                if trusted.is_empty() || st.conditions.iter().any(narrows_caller) {
                    continue;
                }
                for value in aws_principals(st) {
                    let Some((status, message)) = judge_account(value, trusted, kind, &grants)
                    else {
                        continue;
                    };
                    let pointer = value.pointer.text();
                    let at = (value.span, pointer.as_str());
                    outcome
                        .hits
                        .push(filled(Hit::at(&META, status, source, st, at, message), st));
                }
            }
        }
    });
    outcome.checked = (
        checked,
        "statement with a Principal",
        "statements with a Principal",
    );
    outcome.sort();
    outcome
}

/// The `AWS` principal values of a statement (accounts, roles, users).
fn aws_principals<'a>(st: &'a Statement<'a>) -> impl Iterator<Item = &'a Str<'a>> {
    st.principal
        .iter()
        .flat_map(|p| &p.entries)
        .filter(|e| e.kind.value == "AWS")
        .flat_map(|e| &e.values)
}

/// `external` for an account not in `trusted`, `unknown` for one known only at deploy time.
fn judge_account(
    value: &Str,
    trusted: &[String],
    kind: &str,
    grants: &str,
) -> Option<(Status, String)> {
    let account = match arn::split(value.value) {
        Some(a) => a.account,
        None => value.value,
    };
    if account == OWN_ACCOUNT || trusted.iter().any(|t| t == account) {
        return None;
    }
    if crate::text::has_reference(account) {
        return Some((
            Status::Unknown,
            format!(
                "`{}` names an account known only at deploy time, and {kind} lets it in \
                 ({grants}): whether it is trusted cannot be decided offline",
                value.value
            ),
        ));
    }
    // Anything else that is not an account is a malformed principal: `invalid-policy`'s.
    if !is_account_id(account) && !account.contains(['*', '?']) {
        return None;
    }
    Some((
        Status::External,
        format!(
            "`{}` is in account `{account}`, which is not trusted, and {kind} lets it in ({grants}) \
             with no condition narrowing the caller",
            value.value
        ),
    ))
}

/// "`s3:GetObject` on `arn:aws:s3:::b/*`", with `NotAction` / `NotResource` spelled out.
fn grants(st: &Statement) -> String {
    let part = |e: Option<&crate::model::Element>, every: &str| match e {
        None => String::new(),
        Some(e) if e.not => format!("every {every} but {}", values(e)),
        Some(e) => values(e),
    };
    let actions = part(st.action.as_ref(), "action");
    match &st.resource {
        Some(_) => format!("{actions} on {}", part(st.resource.as_ref(), "resource")),
        None => actions,
    }
}

fn values(e: &crate::model::Element) -> String {
    let items: Vec<String> = e.items.iter().map(|i| i.value.to_string()).collect();
    name_keys(&items)
}

fn filled(mut hit: Hit, st: &Statement) -> Hit {
    if let Some(a) = &st.action {
        hit.actions = a.items.iter().map(|i| i.value.to_string()).collect();
    }
    if let Some(r) = &st.resource {
        hit.resources = r.items.iter().map(|i| i.value.to_string()).collect();
        hit.not_resource = r.not;
    }
    hit
}

/// Does `deny` shut everyone outside named callers out of what `allow` grants? It must bind
/// every caller, test only caller keys negatively (`StringNotEquals aws:PrincipalOrgID`),
/// and cover all of the allow's actions and resources.
fn shuts_out_others(deny: &Statement, allow: &Statement) -> bool {
    if !matches!(deny.effect, Some((Effect::Deny, _))) || deny.conditions.is_empty() {
        return false;
    }
    let Some(principal) = &deny.principal else {
        return false;
    };
    if principal.not || principal.anyone().is_none() || !deny.conditions.iter().all(excludes_others)
    {
        return false;
    }
    let (Some(da), Some(aa)) = (&deny.action, &allow.action) else {
        return false;
    };
    if da.not {
        return false;
    }
    let actions_covered = if aa.not {
        da.items.iter().any(|d| arn::is_all_stars(d.value))
    } else {
        aa.items
            .iter()
            .all(|a| da.items.iter().any(|d| covers(d.value, a.value, true)))
    };
    let resources_covered = match (&deny.resource, &allow.resource) {
        (Some(dr), Some(ar)) => Set::of(dr).covers(&Set::of(ar)),
        _ => false,
    };
    actions_covered && resources_covered
}
