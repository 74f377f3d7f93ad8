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
    /// What the pattern covers (empty for a wildcard that matches nothing).
    Actions(&'static Service, Covered),
}

/// The catalog actions of one service that a pattern covers, in table order (which is their
/// order in memory).
#[derive(Clone, Debug)]
pub enum Covered {
    /// A run of the service's table that the pattern matches whole: an exact name, or a
    /// literal head and `*` (`Describe*`), the usual shapes. Nothing to allocate or copy.
    Run(&'static [Action]),
    /// Some actions of such a run (`Get*Tagging`); shared, because answers are cached.
    Picked(Rc<[&'static Action]>),
}

impl Covered {
    pub fn len(&self) -> usize {
        match self {
            Self::Run(run) => run.len(),
            Self::Picked(picked) => picked.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Is `action` one of these? Both shapes are in table order, which is their order in
    /// memory: a range check, or a binary search by address.
    pub fn holds(&self, action: &Action) -> bool {
        let at = std::ptr::from_ref(action);
        match self {
            Self::Run(run) => run.as_ptr_range().contains(&at),
            Self::Picked(picked) => picked
                .binary_search_by(|a| std::ptr::from_ref(*a).cmp(&at))
                .is_ok(),
        }
    }

    pub fn iter(&self) -> CoveredIter<'_> {
        match self {
            Self::Run(run) => CoveredIter::Run(run.iter()),
            Self::Picked(picked) => CoveredIter::Picked(picked.iter()),
        }
    }
}

pub enum CoveredIter<'a> {
    Run(std::slice::Iter<'static, Action>),
    Picked(std::slice::Iter<'a, &'static Action>),
}

impl Iterator for CoveredIter<'_> {
    type Item = &'static Action;

    fn next(&mut self) -> Option<&'static Action> {
        match self {
            Self::Run(it) => it.next(),
            Self::Picked(it) => it.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::Run(it) => it.size_hint(),
            Self::Picked(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for CoveredIter<'_> {}

/// Policies repeat the same action strings, and wildcards are expanded by scanning a
/// service's actions: remember the answers per thread. Bounded, so a huge tree cannot grow it
/// without limit.
pub fn resolve(item: &str) -> Resolved {
    thread_local! {
        static MEMO: crate::text::Memo<Resolved> = Default::default();
    }
    // The exact name of a catalog action, nearly every value: the catalog's own table answers
    // it for about what a trip through the memo costs, and keeping it out leaves the memo
    // small (it held some 10,000 such names a thread, a copy of each name over 24 bytes).
    // Only here: `resolve_uncached` is asked about the rest.
    if !glob::has_wildcard(item)
        && let Some((service, a)) = catalog().action_named(item)
    {
        return Resolved::Actions(service, Covered::Run(std::slice::from_ref(a)));
    }
    crate::text::memoized(&MEMO, item, || resolve_uncached(item))
}

/// The catalog's entry for one fixed action name, looked up the first time it is asked for:
/// the risk rules ask every policy about the same few hundred actions, and a look-up is a
/// trip through the resolve memo.
#[derive(Debug, Default)]
pub struct CachedAction(std::sync::OnceLock<Option<&'static Action>>);

impl CachedAction {
    /// [`catalog_action`] of `action`, which must be the same name at every call.
    pub fn get(&self, action: &str) -> Option<&'static Action> {
        *self.0.get_or_init(|| catalog_action(action))
    }
}

/// The catalog's entry for the concrete `action` (any case), if it has one.
pub fn catalog_action(action: &str) -> Option<&'static Action> {
    match resolve(action) {
        Resolved::Actions(_, Covered::Run([found])) if !glob::has_wildcard(action) => Some(found),
        _ => None,
    }
}

/// What `item` refers to, when it is not the exact name of a catalog action ([`resolve`] has
/// looked that up already).
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
        || crate::text::has_reference(item)
    {
        return Resolved::Open;
    }
    let cat = catalog();
    let wildcard = glob::has_wildcard(name);
    let Some(service) = cat.service(prefix) else {
        return if cat.is_retired_service(prefix) {
            Resolved::RetiredService
        } else {
            Resolved::UnknownService
        };
    };
    if wildcard {
        let covered = match service.run_of(name) {
            (run, true) => Covered::Run(run),
            (_, false) => Covered::Picked(service.matching(name).collect()),
        };
        return Resolved::Actions(service, covered);
    }
    // A live service without such an action ([`resolve`] looked the name up).
    if cat.retired_action(item) {
        Resolved::RetiredAction
    } else {
        Resolved::UnknownAction
    }
}
