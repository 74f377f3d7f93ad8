//! Effective grants: what a set of policies allows, after `Deny` statements take their share.
//!
//! The risk rules, role profiles and offline access checks all ask the same question — "could
//! these policies allow this action, on what, and under which conditions?" — and answer it
//! here, soundly: an unconditional `Deny` removes what it covers; a conditional `Deny` removes
//! nothing for sure; a conditional `Allow` still grants, with its [`Gate`].

pub mod gate;
pub mod public;
pub mod reach;

pub use gate::Gate;
pub use reach::Reach;

use crate::catalog::resolve::{Resolved, catalog_action};
use crate::catalog::{self, Action, Service};
use crate::model::arn_match::{FormatPattern, ResourcePattern};
use crate::model::{Effect, Policy, Statement, Str, glob};
use crate::span::Span;
use compact_str::CompactString;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The policies judged together: one document, or the documents attached to one role.
pub struct Access<'p> {
    statements: Vec<&'p Statement<'p>>,
    /// Each statement's action values by service, so that without the index a question about
    /// one action globs only the values that could match it (`ReadOnlyAccess` lists 1,500).
    items: Vec<ItemsByService<'p>>,
    /// Could some `Allow` statement cover an action of any service (`*`, `s3*`, `NotAction`)?
    /// If not, most questions are about services no Allow statement names, and get their "no"
    /// from `by_service`.
    allow_open: bool,
    /// `(prefix, statement)` for every service a statement's values name, sorted and unique;
    /// with `open`, the statements a question about an action of that service must look at.
    by_service: Vec<(ServiceKey<'p>, usize)>,
    /// Statements that could cover an action of any service: a value with a wildcard in its
    /// service part, or `NotAction`. Sorted.
    open: Vec<usize>,
    /// Which statements name each catalog action, built on first use: a role of many policies
    /// asked about every action (`*`, `NotAction`) must not scan every statement per action.
    index: OnceLock<Index>,
    /// [`Access::allowed_services`], worked out on first use: every risk rule asks.
    allowed: OnceLock<Option<Vec<ServiceKey<'p>>>>,
}

/// One statement's `Action` / `NotAction` values, by the lowercase service prefix they name.
#[derive(Default)]
struct ItemsByService<'p> {
    /// `(prefix, value index)`, sorted by prefix, then index.
    named: Vec<(ServiceKey<'p>, usize)>,
    /// Values whose service part has a wildcard (`*`, `s3*`), or that name no service.
    wild: Vec<usize>,
}

impl<'p> ItemsByService<'p> {
    fn of(st: &'p Statement<'p>) -> Self {
        let mut out = Self::default();
        let Some(element) = &st.action else {
            return out;
        };
        // Nearly every value names its service: one allocation rather than a vector grown.
        out.named.reserve_exact(element.items.len());
        for (k, (item, resolved)) in element.items.iter().zip(element.resolved()).enumerate() {
            // A value the catalog resolved names its service: its prefix, lowercase already.
            if let Resolved::Actions(service, _) = resolved {
                out.named
                    .push((ServiceKey::new(Cow::Borrowed(service.prefix())), k));
                continue;
            }
            match crate::text::split_colon(item.value) {
                Some((prefix, _)) if !glob::has_wildcard(prefix) => {
                    out.named.push((ServiceKey::new(lowercase(prefix)), k));
                }
                _ => out.wild.push(k),
            }
        }
        // Stable: the values of one prefix stay in document order.
        out.named.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The values that could match an action of the (lowercase) `prefix`.
    fn for_prefix<'s>(&'s self, prefix: &'s ServiceKey) -> impl Iterator<Item = usize> + 's {
        let start = self.named.partition_point(|(p, _)| p < prefix);
        let named = self.named[start..]
            .iter()
            .take_while(move |(p, _)| p == prefix)
            .map(|(_, k)| *k);
        self.wild.iter().copied().chain(named)
    }
}

/// `s` in lowercase, borrowed when it already is (service prefixes nearly always are).
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A lowercase service prefix, ordered as its text, that keeps its first eight bytes as a
/// number. Statements' values are sorted and searched by prefix for every question asked of
/// an [`Access`], and two prefixes nearly always differ in their first eight bytes: most
/// comparisons are then one of integers, not a call to `memcmp`.
#[derive(Clone, Debug)]
pub struct ServiceKey<'p> {
    /// The first eight bytes, big-endian, padded with zero bytes: ordered as the text is.
    head: u64,
    text: Cow<'p, str>,
}

impl<'p> ServiceKey<'p> {
    pub fn new(text: Cow<'p, str>) -> Self {
        // Built for every action value of every statement: a word read whole, or the few
        // bytes of a short prefix shifted in, rather than a copy of a variable length (a call
        // to `memcpy` each time).
        let bytes = text.as_bytes();
        let head = match bytes.first_chunk::<8>() {
            Some(word) => u64::from_be_bytes(*word),
            None => {
                let short = bytes.iter().fold(0u64, |h, &b| h << 8 | u64::from(b));
                // Nothing to shift for an empty prefix: a shift by the whole word overflows.
                short.checked_shl(8 * (8 - bytes.len() as u32)).unwrap_or(0)
            }
        };
        Self { head, text }
    }

    /// The key of `action`'s lowercase service prefix (empty when it names none).
    pub fn of_action(action: &'p str) -> Self {
        Self::new(prefix_of(action))
    }

    /// The same key, owning its text: for lists kept with the rules' data.
    pub fn into_owned(self) -> ServiceKey<'static> {
        ServiceKey {
            head: self.head,
            text: Cow::Owned(self.text.into_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Ord for ServiceKey<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.head.cmp(&other.head).then_with(|| {
            // Equal heads hold all of two texts of at most eight bytes: only the length
            // (of trailing zero bytes) can differ.
            if self.text.len() <= 8 && other.text.len() <= 8 {
                self.text.len().cmp(&other.text.len())
            } else {
                self.text.cmp(&other.text)
            }
        })
    }
}

impl PartialOrd for ServiceKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ServiceKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for ServiceKey<'_> {}

/// The lowercase service prefix of `action` (empty when it names none).
pub fn prefix_of(action: &str) -> Cow<'_, str> {
    crate::text::split_colon(action).map_or(Cow::Borrowed(""), |(p, _)| lowercase(p))
}

/// The catalog actions some statement's `Action` / `NotAction` covers, sorted by prefix and
/// lowercase name, each with the indices of the statements (of any effect) that cover it.
#[derive(Default)]
struct Index {
    actions: Vec<(&'static Service, &'static Action, Vec<usize>)>,
    /// Lowercase `prefix:name` -> position in `actions`.
    by_name: HashMap<String, usize>,
}

/// One statement's grant of one action.
#[derive(Debug, Clone)]
pub struct Grant<'p> {
    pub statement: &'p Statement<'p>,
    /// Where the grant is written: the action value that covers the action, or the `NotAction`
    /// key that leaves it allowed.
    pub via: Via<'p>,
    /// What it reaches after unconditional denies.
    pub resources: Resources<'p>,
    pub gate: Gate,
}

#[derive(Debug, Clone, Copy)]
pub enum Via<'p> {
    Item(&'p Str<'p>),
    NotAction { key_span: Span, pointer: &'p str },
}

impl Via<'_> {
    pub fn span(&self) -> Span {
        match self {
            Self::Item(s) => s.span,
            Self::NotAction { key_span, .. } => *key_span,
        }
    }

    pub fn pointer(&self) -> CompactString {
        match self {
            Self::Item(s) => s.pointer.text(),
            Self::NotAction { pointer, .. } => (*pointer).into(),
        }
    }

    /// How messages name it: "`sagemaker:*`", or "`NotAction`".
    pub fn describe(&self) -> String {
        match self {
            Self::Item(s) => format!("`{}`", s.value),
            Self::NotAction { .. } => "`NotAction`".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Resources<'p> {
    /// `NotResource`: everything except the listed values (the span of the key); or, for a
    /// trust-policy statement with no `Resource`, the role the policy is attached to (the
    /// span of the statement).
    AllBut(Span),
    Listed(Vec<&'p Str<'p>>),
}

impl<'p> Grant<'p> {
    /// How far the grant reaches, and the value that reaches that far (for messages and spans).
    pub fn reach(&self) -> (Reach, Option<&'p Str<'p>>, Span) {
        match &self.resources {
            Resources::AllBut(span) => (Reach::Everything, None, *span),
            Resources::Listed(items) => items
                .iter()
                .map(|r| (Reach::of(r.value), Some(*r), r.span))
                .max_by_key(|(reach, _, _)| *reach)
                .unwrap_or((Reach::Named, None, self.via.span())),
        }
    }

    /// "`*`", "every resource but those in `NotResource`", "`arn:aws:s3:::*`".
    pub fn reach_phrase(&self) -> String {
        match self.reach() {
            (_, Some(value), _) => format!("`{}`", value.value),
            (_, None, _) => "every resource but those in `NotResource`".to_string(),
        }
    }
}

impl<'p> Access<'p> {
    pub fn new(policies: &[&'p Policy<'p>]) -> Self {
        Self::of(policies.iter().flat_map(|p| &p.statements).collect())
    }

    fn of(statements: Vec<&'p Statement<'p>>) -> Self {
        let items: Vec<ItemsByService<'p>> =
            statements.iter().map(|s| ItemsByService::of(s)).collect();
        let mut by_service = Vec::new();
        let mut open = Vec::new();
        for (i, (st, items)) in statements.iter().zip(&items).enumerate() {
            if st.action.as_ref().is_some_and(|a| a.not) || !items.wild.is_empty() {
                open.push(i);
            }
            // `named` is sorted by prefix: each service once.
            let mut last = None;
            for (prefix, _) in &items.named {
                if last != Some(prefix) {
                    by_service.push((prefix.clone(), i));
                    last = Some(prefix);
                }
            }
        }
        let allow_open = open.iter().any(|&i| statements[i].is_allow());
        by_service.sort_unstable();
        Self {
            items,
            statements,
            allow_open,
            by_service,
            open,
            index: OnceLock::new(),
            allowed: OnceLock::new(),
        }
    }

    /// The lowercase service prefixes that `Allow` statements name, sorted and unique; `None`
    /// when some `Allow` statement could cover an action of any service (`*`, `s3*`,
    /// `NotAction`). Every action [`Access::grants`] could grant is of one of these services,
    /// so callers with long lists of actions ask only about those.
    pub fn allowed_services(&self) -> Option<&[ServiceKey<'p>]> {
        self.allowed
            .get_or_init(|| {
                if self.allow_open {
                    return None;
                }
                let mut out: Vec<ServiceKey<'p>> = self
                    .by_service
                    .iter()
                    .filter(|(_, i)| self.statements[*i].is_allow())
                    .map(|(p, _)| p.clone())
                    .collect();
                out.dedup();
                Some(out)
            })
            .as_deref()
    }

    /// Could some `Allow` statement cover an action of the service whose statements
    /// [`Access::naming`] gave?
    fn may_allow(&self, naming: &[(ServiceKey<'p>, usize)]) -> bool {
        self.allow_open || naming.iter().any(|&(_, i)| self.statements[i].is_allow())
    }

    /// The statements whose values name the (lowercase) service `prefix`, in order, with it.
    fn naming(&self, prefix: &ServiceKey) -> &[(ServiceKey<'p>, usize)] {
        let start = self.by_service.partition_point(|(p, _)| p < prefix);
        let len = self.by_service[start..]
            .iter()
            .take_while(|(p, _)| p == prefix)
            .count();
        &self.by_service[start..start + len]
    }

    /// Does statement `i` cover the concrete `action`, whose lowercase service is `prefix`?
    /// The same answer as [`Statement::covers_action`], testing only the values that could
    /// match.
    ///
    /// `target` is the catalog's entry for `action` (see
    /// [`Element::item_covers`](crate::model::Element::item_covers)).
    fn covers(&self, i: usize, action: &str, target: Option<&Action>, prefix: &ServiceKey) -> bool {
        let Some(element) = &self.statements[i].action else {
            return false;
        };
        let listed = self.items[i]
            .for_prefix(prefix)
            .any(|k| element.item_covers(k, action, target));
        listed != element.not
    }

    /// Identity-policy statements only: a statement with a `Principal` grants someone else.
    pub fn for_roles(policies: &[&'p Policy<'p>]) -> Self {
        Self::of(
            policies
                .iter()
                .flat_map(|p| &p.statements)
                .filter(|s| s.principal.is_none())
                .collect(),
        )
    }

    /// Every grant of the concrete action `action` (`service:Name`, any case) that survives
    /// the unconditional denies, in document order.
    pub fn grants(&self, action: &str) -> Vec<Grant<'p>> {
        self.grants_of(action, || catalog_action(action))
    }

    /// [`Access::grants`], for a caller that keeps the catalog's entry for `action`
    /// ([`catalog_action`]) and gives it when asked: the watch lists ask about the same few
    /// hundred actions for every policy.
    pub fn grants_of(
        &self,
        action: &str,
        target: impl FnOnce() -> Option<&'static Action>,
    ) -> Vec<Grant<'p>> {
        let prefix = ServiceKey::of_action(action);
        let naming = self.naming(&prefix);
        if !self.may_allow(naming) {
            return Vec::new();
        }
        let target = target();
        // Indexed candidates are known to cover the action; only the fallback needs the test.
        let (candidates, indexed) = self.candidates(action, target, &prefix, naming);
        let covers = |s: &Statement| indexed || s.covers_action(action);
        // Most questions get "no": answer those before looking at denies or the catalog.
        if !candidates
            .iter()
            .any(|&i| self.statements[i].is_allow() && covers(self.statements[i]))
        {
            return Vec::new();
        }
        let denies: Vec<&Statement> = candidates
            .iter()
            .map(|&i| self.statements[i])
            .filter(|s| {
                matches!(s.effect, Some((Effect::Deny, _)))
                    && s.conditions.is_empty()
                    && s.condition_span.is_none()
                    && binds_every_caller(s)
                    && covers(s)
            })
            .collect();
        let applicable = Applicable::cached(action);
        let mut out = Vec::new();
        for i in candidates {
            let st = self.statements[i];
            if !st.is_allow() || !covers(st) {
                continue;
            }
            let via = || self.via(i, action, target, &prefix);
            let Some(resource) = &st.resource else {
                // A trust policy names no `Resource`: it grants on the role it is attached
                // to, which the policy text does not name.
                if st.principal.is_some()
                    && !denies.iter().any(|d| denies_everything(d))
                    && let Some(via) = via()
                {
                    out.push(Grant {
                        statement: st,
                        via,
                        resources: Resources::AllBut(st.span),
                        gate: Gate::of(st),
                    });
                }
                continue;
            };
            let resources = if resource.not {
                if denies.iter().any(|d| denies_everything(d)) {
                    continue;
                }
                Resources::AllBut(resource.key_span)
            } else {
                let left: Vec<&Str> = resource
                    .items
                    .iter()
                    .filter(|r| applicable.admits(r.value))
                    .filter(|r| !denies.iter().any(|d| denies_value(d, r.value)))
                    .collect();
                if left.is_empty() {
                    continue;
                }
                Resources::Listed(left)
            };
            let Some(via) = via() else {
                continue;
            };
            out.push(Grant {
                statement: st,
                via,
                resources,
                gate: Gate::of(st),
            });
        }
        out
    }

    /// Every catalog action these policies could allow (at least one grant survives the
    /// denies), sorted by service prefix, then by lowercase name. `NotAction` statements are
    /// expanded against the whole catalog.
    pub fn allowed_actions(&self) -> Vec<(&'static Service, &'static Action)> {
        let mut name = String::new();
        self.index()
            .actions
            .iter()
            .filter(|(_, _, covering)| covering.iter().any(|&i| self.statements[i].is_allow()))
            .filter(|(s, a, _)| {
                name.clear();
                name.push_str(s.prefix());
                name.push(':');
                name.push_str(a.name());
                !self.grants(&name).is_empty()
            })
            .map(|(s, a, _)| (*s, *a))
            .collect()
    }

    /// Builds the index of which statements cover which catalog action now. Worth it for
    /// callers that ask about thousands of actions (profiles, checks); the risk rules ask about
    /// a few hundred per policy, where scanning the statements is cheaper than expanding them.
    pub fn indexed(self) -> Self {
        self.index();
        self
    }

    /// The statements that could cover `action`: those the index lists for a catalog action,
    /// every statement for a name the catalog does not know (a retired or unknown action), or
    /// every statement when there is no index. True with them when they are known to cover it.
    /// `naming` is what [`Access::naming`] gave for the action's service.
    fn candidates(
        &self,
        action: &str,
        target: Option<&Action>,
        prefix: &ServiceKey,
        naming: &[(ServiceKey<'p>, usize)],
    ) -> (Vec<usize>, bool) {
        let Some(index) = self.index.get() else {
            // Both lists are sorted; a statement can be open and name the service too.
            let covering = merged(&self.open, naming.iter().map(|&(_, i)| i))
                .filter(|&i| self.covers(i, action, target, prefix))
                .collect();
            return (covering, true);
        };
        match index.by_name.get(&action.to_ascii_lowercase()) {
            Some(&at) => (index.actions[at].2.clone(), true),
            None if catalog_knows(action) => (Vec::new(), true),
            None => ((0..self.statements.len()).collect(), false),
        }
    }

    /// Where statement `i` grants `action`: the first action value (in document order) that
    /// covers it, or the `NotAction` key. As [`Access::covers`] does, only the values that
    /// could name the action's service are tested, by their expansion when they have one: a
    /// statement of `ReadOnlyAccess` lists 1,500.
    fn via(
        &self,
        i: usize,
        action: &str,
        target: Option<&Action>,
        prefix: &ServiceKey,
    ) -> Option<Via<'p>> {
        let st = self.statements[i];
        let element = st.action.as_ref()?;
        if element.not {
            return Some(Via::NotAction {
                key_span: element.key_span,
                pointer: &element.pointer,
            });
        }
        // `for_prefix` gives the values without a service first: the first in the document
        // is the lowest index.
        let first = self.items[i]
            .for_prefix(prefix)
            .filter(|&k| element.item_covers(k, action, target))
            .min();
        Some(match first {
            Some(k) => Via::Item(&element.items[k]),
            // No value matches only if the index's expansion and the glob disagree: the key
            // is named then, as it always was.
            None => Via::NotAction {
                key_span: element.key_span,
                pointer: &element.pointer,
            },
        })
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let cat = catalog::catalog();
            let mut everything: Option<Vec<(&'static Service, &'static Action)>> = None;
            let mut covering: HashMap<
                *const Action,
                (&'static Service, &'static Action, Vec<usize>),
            > = HashMap::new();
            for (i, st) in self.statements.iter().enumerate() {
                let Some(element) = &st.action else { continue };
                let named: Vec<(&'static Service, &'static Action)> = element
                    .items
                    .iter()
                    .flat_map(|item| cat.expand(item.value))
                    .collect();
                let covered: Vec<(&'static Service, &'static Action)> = if element.not {
                    let excluded: std::collections::HashSet<*const Action> =
                        named.iter().map(|(_, a)| std::ptr::from_ref(*a)).collect();
                    everything
                        .get_or_insert_with(|| cat.expand("*"))
                        .iter()
                        .filter(|(_, a)| !excluded.contains(&std::ptr::from_ref(*a)))
                        .copied()
                        .collect()
                } else {
                    named
                };
                for (s, a) in covered {
                    let entry = covering
                        .entry(std::ptr::from_ref(a))
                        .or_insert_with(|| (s, a, Vec::new()));
                    if entry.2.last() != Some(&i) {
                        entry.2.push(i);
                    }
                }
            }
            let mut actions: Vec<(&'static Service, &'static Action, Vec<usize>)> =
                covering.into_values().collect();
            actions.sort_by(|a, b| {
                (a.0.prefix(), a.1.name().to_ascii_lowercase())
                    .cmp(&(b.0.prefix(), b.1.name().to_ascii_lowercase()))
            });
            let by_name = actions
                .iter()
                .enumerate()
                .map(|(at, (s, a, _))| {
                    (
                        format!("{}:{}", s.prefix(), a.name().to_ascii_lowercase()),
                        at,
                    )
                })
                .collect();
            Index { actions, by_name }
        })
    }

    /// The broadest grant of `action`: widest reach first, then the least conditioned. The
    /// catalog's entry for `action` is given as [`Access::grants_of`] takes it.
    pub fn broadest(
        &self,
        action: &str,
        target: impl FnOnce() -> Option<&'static Action>,
    ) -> Option<Grant<'p>> {
        // Each grant's reach once, not once per comparison: it judges every Resource value.
        self.grants_of(action, target)
            .into_iter()
            .map(|g| ((g.reach().0, gate_rank(&g.gate)), g))
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, g)| g)
    }
}

/// The union of two sorted lists of statement indices, sorted, each once; without the
/// vector a sort and dedup would need, on every question.
fn merged(a: &[usize], b: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.iter().copied().peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(&x), Some(&y)) => {
            if x <= y {
                a.next();
            }
            if y <= x {
                b.next();
            }
            Some(x.min(y))
        }
        (Some(_), None) => a.next(),
        (None, _) => b.next(),
    })
}

/// Can `value`, in a `Resource` or `NotResource`, name a resource `action` acts on? A
/// `NotResource` value that cannot leaves out nothing the action could reach.
pub fn admits(action: &str, value: &str) -> bool {
    Applicable::cached(action).admits(value)
}

/// What can stand in `Resource` for `action`, from the catalog: the ARN formats of its
/// resource types (`ssm:SendCommand` takes EC2 instances too), or, for an action the catalog
/// scopes to no type, just its service; for one that accepts only `*`, nothing narrower.
enum Applicable {
    /// Each ARN format, with its pattern compiled once (the same actions are asked about for
    /// every policy) and the literal head of its resource part (`None` for a format that is
    /// not an ARN).
    Formats {
        formats: Vec<(Option<&'static str>, FormatPattern)>,
        /// The address of the catalog's entry for the action, which the formats come from:
        /// the key of the answers [`Applicable::admits`] keeps.
        action: usize,
    },
    /// A known action that accepts only `Resource: "*"`.
    WildcardOnly,
    Service(String),
    Anything,
}

impl Applicable {
    /// The same few hundred actions are asked about for every policy: remember the answers
    /// per thread.
    fn cached(action: &str) -> std::rc::Rc<Self> {
        thread_local! {
            static MEMO: crate::text::Memo<std::rc::Rc<Applicable>> = Default::default();
        }
        crate::text::memoized(&MEMO, action, || std::rc::Rc::new(Self::of(action)))
    }

    fn of(action: &str) -> Self {
        let Some((prefix, name)) = action.split_once(':') else {
            return Self::Anything;
        };
        let Some(service) = catalog::catalog().service(prefix) else {
            return Self::Service(prefix.to_ascii_lowercase());
        };
        let Some(found) = service.action(name) else {
            return Self::Service(prefix.to_ascii_lowercase());
        };
        let formats: Vec<&'static str> = found
            .resources()
            .iter()
            .filter_map(|r| r.resource_type_entry())
            .flat_map(|t| t.arn_formats())
            .collect();
        if found.is_wildcard_only() {
            Self::WildcardOnly
        } else if formats.is_empty() {
            Self::Service(prefix.to_ascii_lowercase())
        } else {
            Self::Formats {
                formats: formats
                    .into_iter()
                    .map(|f| {
                        let head = crate::model::arn::split(f).map(|arn| type_head(arn.resource));
                        (head, FormatPattern::new(f))
                    })
                    .collect(),
                action: std::ptr::from_ref(found) as usize,
            }
        }
    }

    /// Can this Resource value name a resource the action acts on? A value of another kind
    /// (`arn:aws:ec2:...` beside `kms:Decrypt`) grants the action nothing; text that is not an
    /// ARN, and template references, may name anything.
    fn admits(&self, value: &str) -> bool {
        use crate::model::arn;
        let (formats, action) = match self {
            Self::Anything => return true,
            Self::WildcardOnly => {
                return arn::split(value).is_none() || arn::matches_everything(value);
            }
            Self::Service(s) => {
                return arn::split(value).is_none_or(|arn| {
                    crate::text::has_reference(arn.service) || glob::matches(arn.service, s, true)
                });
            }
            Self::Formats { formats, action } => (formats, *action),
        };
        // A policy's resources are asked about for each of its actions, and the same ARNs
        // recur from policy to policy: the answers are kept per thread, by action and value,
        // within one bound for all actions, and looked up before the value is even split.
        thread_local! {
            static ADMITTED: std::cell::RefCell<crate::text::StrAnswers> = Default::default();
        }
        crate::text::answered(&ADMITTED, action, value, || {
            arn::split(value).is_none_or(|arn| {
                // Compiled on the first format whose resource type agrees, then reused.
                let mut pattern = None;
                formats.iter().any(|(head, compiled)| {
                    head.is_none_or(|head| type_heads_agree(arn.resource, head))
                        && pattern
                            .get_or_insert_with(|| ResourcePattern::new(value))
                            .may_match(compiled)
                })
            })
        })
    }
}

/// Does the literal start of a value's resource part agree with a format's ([`type_head`],
/// worked out once per format): `model-package/` is not `feature-group/`? The format's
/// placeholders may match anything, colons included, so pattern matching alone lets a
/// wildcard region stretch a model-package ARN over a feature group's; real names hold no
/// `:` or `/`, so the resource types must agree as written.
fn type_heads_agree(resource: &str, format_head: &str) -> bool {
    let a = type_head(resource);
    let n = a.len().min(format_head.len());
    a.as_bytes()[..n] == format_head.as_bytes()[..n]
}

/// A resource part up to its first wildcard or variable.
fn type_head(resource: &str) -> &str {
    &resource[..resource.find(['*', '?', '$']).unwrap_or(resource.len())]
}

/// Is `action` (`service:Name`, any case, no wildcard) an action of the catalog?
fn catalog_knows(action: &str) -> bool {
    action.split_once(':').is_some_and(|(prefix, name)| {
        !glob::has_wildcard(action)
            && catalog::catalog()
                .service(prefix)
                .is_some_and(|s| s.action(name).is_some())
    })
}

/// Open grants outrank narrowed ones, which outrank caller-tied ones.
fn gate_rank(g: &Gate) -> u8 {
    match g {
        Gate::Open => 2,
        Gate::Narrowed(_) => 1,
        Gate::Caller(_) => 0,
    }
}

/// Does the statement bind whoever makes the request: an identity-policy statement (no
/// `Principal`: it binds the identity it is attached to) or one for `"Principal": "*"`? A
/// `Deny` for one named principal removes nothing from what the others are allowed.
pub fn binds_every_caller(st: &Statement) -> bool {
    st.principal
        .as_ref()
        .is_none_or(|p| !p.not && p.anyone().is_some())
}

fn denies_everything(deny: &Statement) -> bool {
    deny.resource.as_ref().is_some_and(|r| {
        !r.not
            && r.items
                .iter()
                .any(|i| crate::model::arn::matches_everything(i.value))
    })
}

/// Does an unconditional Deny cover every resource an Allow value can name? A deny pattern
/// that matches the allow pattern's text (wildcards included, taken literally) covers all of
/// its matches, so this is sound. A `NotResource` deny is not relied on.
fn denies_value(deny: &Statement, allowed: &str) -> bool {
    deny.resource.as_ref().is_some_and(|r| {
        !r.not
            && r.items
                .iter()
                .any(|d| glob::matches(d.value, allowed, false))
    })
}

#[cfg(test)]
mod tests;
