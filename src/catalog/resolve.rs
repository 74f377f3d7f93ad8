//! What an action string in a policy refers to, according to the offline catalog. Shared by
//! the rules that validate names, resources and breadth; each action element resolves its
//! values once ([`crate::model::Element::resolved`]) for all of them.

use super::{Action, Service, catalog};
use crate::model::glob;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Resolved {
    /// `*`, a wildcard service part, or text that is not `service:action`: not judged here.
    Open,
    UnknownService,
    RetiredService,
    /// A name without wildcards that the service does not have.
    UnknownAction,
    RetiredAction,
    /// What the pattern covers (empty for a wildcard that matches nothing). Shared, because
    /// answers are cached and a wildcard can cover hundreds of actions.
    Actions(&'static Service, Rc<Vec<&'static Action>>),
}

/// Policies repeat the same action strings, and wildcards are expanded by scanning a
/// service's actions: remember the answers per thread. Bounded, so a huge tree cannot grow it
/// without limit.
pub fn resolve(item: &str) -> Resolved {
    thread_local! {
        static MEMO: crate::text::Memo<Resolved> = Default::default();
    }
    crate::text::memoized(&MEMO, item, || resolve_uncached(item))
}

fn resolve_uncached(item: &str) -> Resolved {
    let Some((prefix, name)) = crate::text::split_colon(item) else {
        return Resolved::Open;
    };
    // A `${...}` part is a value known only at deploy time (or template text, which
    // `template-placeholder` reports): it could be any action.
    if prefix.is_empty()
        || name.is_empty()
        || glob::has_wildcard(prefix)
        || name.contains(':')
        || item.contains("${")
    {
        return Resolved::Open;
    }
    let cat = catalog();
    let wildcard = glob::has_wildcard(name);
    if !wildcard && let Some((service, a)) = cat.action_named(item) {
        return Resolved::Actions(service, Rc::new(vec![a]));
    }
    let Some(service) = cat.service(prefix) else {
        return if cat.is_retired_service(prefix) {
            Resolved::RetiredService
        } else {
            Resolved::UnknownService
        };
    };
    if wildcard {
        return Resolved::Actions(service, Rc::new(service.matching(name).collect()));
    }
    // A live service, and `action_named` found no such action.
    if cat.retired_action(item) {
        Resolved::RetiredAction
    } else {
        Resolved::UnknownAction
    }
}
