use super::{declare_rule, placeholders};
use crate::catalog::resolve::{Covered, Resolved};
use crate::catalog::{Action, ResourceType, Service};
use crate::finding::{Finding, Severity};
use crate::model::arn_match::{FormatPattern, ResourcePattern};
use crate::model::{Policy, Str, arn, glob};
use crate::text::{FastMap, StrAnswers};
use std::rc::Rc;

declare_rule!(
    ResourceMismatch,
    id: "resource-mismatch",
    severity: Warning,
    security_severity: "4.0",
    tags: ["correctness", "catalog"],
    summary: "no Resource in the statement matches a resource type the action acts on",
);

fn check(policy: &Policy<'_>, out: &mut Vec<Finding>) {
    for st in &policy.statements {
        let (Some(action), Some(resource)) = (&st.action, &st.resource) else {
            continue;
        };
        if action.not || resource.not || resource.items.is_empty() {
            continue;
        }
        // Values we cannot judge (template text, non-ARNs) are other rules' findings;
        // with one of them present the statement may still be fine.
        if resource.items.iter().any(|r| !judgeable(r)) {
            continue;
        }
        // A Resource that covers everything suits every action.
        if resource
            .items
            .iter()
            .any(|r| arn::matches_everything(r.value))
        {
            continue;
        }
        let mut types = TypeMatches::default();
        for (item, resolved) in action.items.iter().zip(action.resolved()) {
            let Resolved::Actions(service, actions) = resolved else {
                continue;
            };
            if actions.is_empty()
                || actions
                    .iter()
                    .any(|a| applies(a, &resource.items, &mut types))
            {
                continue;
            }
            let message = describe(item.value, service, actions);
            out.push(
                Finding::new(
                    ID,
                    Severity::Warning,
                    item.span,
                    item.pointer.clone(),
                    message,
                )
                .label(resource.items[0].span, "no resource here is of that type")
                .help(help(actions))
                .in_statement(st.index, st.sid()),
            );
        }
    }
}

/// Which resource types the statement's resources can name, worked out once per type: a
/// wildcard such as `s3:*` expands to hundreds of actions that share a handful of types.
#[derive(Default)]
pub(crate) struct TypeMatches<'r> {
    /// Does a listed resource cover everything? Worked out on first use, not per action.
    everything: Option<bool>,
    /// Compiled on first use: a statement whose actions all resolve to nothing needs none.
    patterns: Option<Vec<ResourcePattern<'r>>>,
    /// Keyed by the address of the catalog's resource type, which lives for the whole run.
    known: FastMap<usize, bool>,
}

impl<'r> TypeMatches<'r> {
    fn matches(&mut self, rt: &ResourceType, resources: &'r [Str]) -> bool {
        let key = std::ptr::from_ref(rt) as usize;
        if let Some(&known) = self.known.get(&key) {
            return known;
        }
        let mut found = false;
        for (k, r) in resources.iter().enumerate() {
            let takes = type_takes(key, r.value, || {
                let patterns = self.patterns.get_or_insert_with(|| {
                    resources
                        .iter()
                        .map(|r| ResourcePattern::new(r.value))
                        .collect()
                });
                rt.arn_formats()
                    .any(|format| with_format(format, |f| patterns[k].may_match(f)))
            });
            if takes {
                found = true;
                break;
            }
        }
        self.known.insert(key, found);
        found
    }
}

/// Could `resource` name a resource of the catalog type at address `type_key`? `decide`
/// answers the first time. Policies repeat the same resources for the same types, within a
/// file and across files (half the comparisons of the managed policies were repeats): the
/// answers are kept per thread.
fn type_takes(type_key: usize, resource: &str, decide: impl FnOnce() -> bool) -> bool {
    thread_local! {
        static TAKES: std::cell::RefCell<StrAnswers> = Default::default();
    }
    crate::text::answered(&TAKES, type_key, resource, decide)
}

/// An ARN (or `*`) without template text. `${...}` references are fine: the ARN pattern
/// matching reads them as unknown values, so `arn:${AWS::Partition}:s3:::${Bucket}/*` is
/// judged as an object ARN.
pub(crate) fn judgeable(r: &Str) -> bool {
    (r.value.starts_with("arn:") || arn::matches_everything(r.value))
        && placeholders::find(r.value).iter().all(|p| p.var.is_some())
}

/// Does any listed resource match a resource type of `action`? Wildcard-only actions match
/// only a Resource that covers everything.
pub(crate) fn applies<'r>(
    action: &Action,
    resources: &'r [Str],
    types: &mut TypeMatches<'r>,
) -> bool {
    let everything = *types
        .everything
        .get_or_insert_with(|| resources.iter().any(|r| arn::matches_everything(r.value)));
    if everything {
        return true;
    }
    if action.is_wildcard_only() {
        return false;
    }
    action.resources().iter().any(|ar| {
        let Some(rt) = ar.resource_type_entry() else {
            // A dangling reference in the data: do not claim a mismatch.
            return true;
        };
        types.matches(rt, resources)
    })
}

/// Formats recur across actions and files: compile each once per thread.
fn with_format<T>(format: &str, f: impl FnOnce(&FormatPattern) -> T) -> T {
    thread_local! {
        static FORMATS: crate::text::Memo<Rc<FormatPattern>> = Default::default();
    }
    let compiled = crate::text::memoized(&FORMATS, format, || Rc::new(FormatPattern::new(format)));
    f(&compiled)
}

fn describe(item: &str, service: &Service, actions: &Covered) -> String {
    let wildcard = glob::has_wildcard(item);
    if actions.iter().all(|a| a.is_wildcard_only()) {
        return if wildcard {
            format!(
                "`{item}` covers only actions that take `\"Resource\": \"*\"`; on the ARNs listed it grants nothing"
            )
        } else {
            format!(
                "`{item}` takes only `\"Resource\": \"*\"`; on the ARNs listed it grants nothing"
            )
        };
    }
    let types = resource_types(service, actions);
    if wildcard {
        format!(
            "none of the {} actions `{item}` covers acts on the listed resources (they act on {types}); it grants nothing",
            actions.len()
        )
    } else {
        format!("`{item}` acts on {types}, and no listed resource is one; it grants nothing")
    }
}

fn resource_types(service: &Service, actions: &Covered) -> String {
    let mut names: Vec<&str> = actions
        .iter()
        .flat_map(|a| a.resources().iter().map(|r| r.resource_type()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(3);
    let mut text = format!("{} {}", service.prefix(), shown.join(" or "));
    if more > 0 {
        text += &format!(" (and {more} more types)");
    }
    text + " resources"
}

fn help(actions: &Covered) -> String {
    let formats: Vec<&str> = actions
        .iter()
        .flat_map(|a| a.resources().iter())
        .filter_map(|r| r.resource_type_entry())
        .flat_map(|rt| rt.arn_formats())
        .take(2)
        .collect();
    if formats.is_empty() {
        "use `\"Resource\": \"*\"` for this action, in a statement of its own".to_string()
    } else {
        format!("list ARNs of the form `{}`", formats.join("` or `"))
    }
}

#[cfg(test)]
mod tests {
    use super::type_takes;

    /// An answer is worked out once per type and resource, and only that pair gets it back.
    #[test]
    fn answers_are_kept_per_type_and_resource() {
        let (a, b) = (
            "arn:aws:s3:::memo-test-bucket",
            "arn:aws:s3:::memo-test-other/*",
        );
        let mut asked = 0;
        let mut ask = |key, resource, answer| {
            type_takes(key, resource, || {
                asked += 1;
                answer
            })
        };
        assert!(ask(1, a, true));
        assert!(ask(1, a, false), "kept, not asked again");
        assert!(!ask(2, a, false), "another type is asked");
        assert!(!ask(1, b, false), "another resource is asked");
        assert!(!ask(1, b, true), "kept");
        assert_eq!(asked, 3);
    }
}
