//! Could a resource value name a resource an action acts on? `s3:DeleteBucket` on
//! `arn:aws:s3:::ml-data/*` (objects) grants nothing, so neither `resource-mismatch` nor the
//! offline checks count it. Values that cannot be judged (template text, non-ARNs) may apply.

use crate::catalog::{Action, Service};
use crate::model::arn_match::{FormatPattern, ResourcePattern};
use crate::model::{Str, arn};
use crate::rules::placeholders;
use crate::text::FastMap;
use std::cell::RefCell;
use std::rc::Rc;

/// Can the value be compared with the catalog's ARN formats at all?
pub fn judgeable(r: &Str) -> bool {
    (r.value.starts_with("arn:") || arn::matches_everything(&r.value))
        && placeholders::find(&r.value).is_empty()
}

/// Does any listed resource (all judgeable, compiled into `patterns`) match a resource type
/// of `action`? Wildcard-only actions match only a Resource that covers everything.
pub fn applies(
    service: &Service,
    action: &Action,
    resources: &[Str],
    patterns: &[ResourcePattern],
) -> bool {
    if resources.iter().any(|r| arn::matches_everything(&r.value)) {
        return true;
    }
    if action.is_wildcard_only() {
        return false;
    }
    action.resources.iter().any(|ar| {
        let Some(rt) = service.resource_type(&ar.resource_type) else {
            // A dangling reference in the data: do not claim a mismatch.
            return true;
        };
        rt.arn_formats
            .iter()
            .any(|format| with_format(format, |f| patterns.iter().any(|p| p.may_match(f))))
    })
}

/// One value: may it name a resource `action` acts on? Unjudgeable values may.
pub fn may_apply(service: &Service, action: &Action, value: &Str) -> bool {
    !judgeable(value)
        || applies(
            service,
            action,
            std::slice::from_ref(value),
            &[ResourcePattern::new(&value.value)],
        )
}

/// Formats recur across actions and files: compile each once per thread.
fn with_format<T>(format: &str, f: impl FnOnce(&FormatPattern) -> T) -> T {
    thread_local! {
        static FORMATS: RefCell<FastMap<String, Rc<FormatPattern>>> =
            RefCell::new(FastMap::default());
    }
    let compiled = FORMATS.with(|cache| {
        if let Some(found) = cache.borrow().get(format) {
            return found.clone();
        }
        let compiled = Rc::new(FormatPattern::new(format));
        cache
            .borrow_mut()
            .insert(format.to_string(), compiled.clone());
        compiled
    });
    f(&compiled)
}
