//! The typed IAM policy model. Every element keeps the span and JSON pointer of its value, so
//! rules report at the exact value and never count lines themselves.

pub mod arn;
pub mod arn_match;
pub mod cover;
pub mod glob;
pub mod kind;
pub mod locate;
mod lower;
pub mod operator;
pub mod variables;

pub use kind::PolicyKind;
pub use lower::lower;
#[cfg(test)]
pub use lower::lower_plain;

use crate::catalog::Action;
use crate::catalog::resolve::{Resolved, resolve};
use crate::parse::json::Value;
use crate::span::Span;
use compact_str::CompactString;
use operator::Operator;
use std::rc::Rc;

/// A string value with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str<'a> {
    /// Borrowed from the parsed document, which outlives the model lowered from it.
    pub value: &'a str,
    pub span: Span,
    pub pointer: Pointer,
}

/// Where a value sits in its document, as a JSON pointer, formatted only when asked
/// ([`Pointer::text`], or into a finding's `String`): lowering makes one for each of some
/// 110,000 values of the managed policies, and findings name a few thousand. An item of a list
/// shares its list's pointer and keeps its index.
#[derive(Clone)]
pub enum Pointer {
    Text(CompactString),
    /// Text that several values point at: a condition's operator is every key's under it,
    /// and a key's is its single value's. Cloned by count, not copied.
    Shared(Rc<str>),
    Item {
        list: Rc<str>,
        index: u32,
    },
}

impl Pointer {
    pub fn text(&self) -> CompactString {
        match self {
            Self::Text(text) => text.clone(),
            Self::Shared(text) => CompactString::from(&**text),
            Self::Item { list, index } => crate::text::child_index(list, *index as usize),
        }
    }
}

impl Default for Pointer {
    fn default() -> Self {
        Self::Text(CompactString::default())
    }
}

impl From<&str> for Pointer {
    fn from(text: &str) -> Self {
        Self::Text(text.into())
    }
}

impl From<CompactString> for Pointer {
    fn from(text: CompactString) -> Self {
        Self::Text(text)
    }
}

impl From<Pointer> for CompactString {
    fn from(pointer: Pointer) -> Self {
        match pointer {
            Pointer::Text(text) => text,
            item => item.text(),
        }
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Pointer {}

impl std::fmt::Debug for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text().fmt(f)
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` / `NotAction` or `Resource` / `NotResource`.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    /// True for the `Not*` form, which grants everything *except* the items.
    pub not: bool,
    pub key_span: Span,
    pub pointer: CompactString,
    pub items: Vec<Str<'a>>,
    resolved: Resolutions,
}

impl<'a> Element<'a> {
    pub fn new(not: bool, key_span: Span, pointer: CompactString, items: Vec<Str<'a>>) -> Self {
        Self {
            not,
            key_span,
            pointer,
            items,
            resolved: Resolutions::default(),
        }
    }

    /// What each item names in the catalog, as actions, worked out on first use: eight
    /// rules ask about every action of a statement, and this answers each of them once.
    pub fn resolved(&self) -> &[Resolved] {
        self.resolved
            .0
            .get_or_init(|| self.items.iter().map(|i| resolve(i.value)).collect())
    }

    /// Does item `k` cover the concrete `action`? `target` is the catalog's entry for it
    /// ([`catalog_action`](crate::catalog::resolve::catalog_action)), when it has one: an
    /// item the catalog resolved covers it when its expansion holds it, a comparison of
    /// addresses rather than a glob match. Rules ask this for hundreds of actions per policy.
    pub fn item_covers(&self, k: usize, action: &str, target: Option<&Action>) -> bool {
        if let Some(target) = target
            && let Resolved::Actions(_, covered) = &self.resolved()[k]
        {
            return covered.holds(target);
        }
        glob::matches(self.items[k].value, action, true)
    }
}

/// The items' resolutions; not shown by `Debug`, and not carried by a clone (it is redone).
#[derive(Default)]
struct Resolutions(std::cell::OnceCell<Box<[Resolved]>>);

impl Clone for Resolutions {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for Resolutions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

#[derive(Debug, Clone)]
pub struct PrincipalEntry<'a> {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub kind: Str<'a>,
    pub values: Vec<Str<'a>>,
}

#[derive(Debug, Clone)]
pub struct Principal<'a> {
    pub not: bool,
    pub key_span: Span,
    pub pointer: CompactString,
    /// `"Principal": "*"`.
    pub wildcard: Option<Str<'a>>,
    pub entries: Vec<PrincipalEntry<'a>>,
}

impl<'a> Principal<'a> {
    /// The value that opens the statement to everyone: `"*"`, or `"*"` among the `AWS` values.
    pub fn anyone(&self) -> Option<&Str<'a>> {
        self.wildcard.as_ref().or_else(|| {
            self.entries
                .iter()
                .filter(|e| e.kind.value == "AWS")
                .flat_map(|e| &e.values)
                .find(|v| v.value == "*")
        })
    }
}

#[derive(Debug, Clone)]
pub struct Condition<'a> {
    pub operator: Str<'a>,
    /// `None` when the operator is unknown (reported by `invalid-policy`).
    pub op: Option<Operator>,
    pub key: Str<'a>,
    /// Booleans and numbers are kept as their JSON text.
    pub values: Vec<Str<'a>>,
}

#[derive(Debug, Clone)]
pub struct Statement<'a> {
    pub index: usize,
    pub span: Span,
    pub pointer: CompactString,
    pub sid: Option<Str<'a>>,
    pub effect: Option<(Effect, Span)>,
    pub principal: Option<Principal<'a>>,
    pub action: Option<Element<'a>>,
    pub resource: Option<Element<'a>>,
    pub condition_span: Option<Span>,
    pub conditions: Vec<Condition<'a>>,
}

impl<'a> Statement<'a> {
    pub fn is_allow(&self) -> bool {
        matches!(self.effect, Some((Effect::Allow, _)))
    }

    pub fn sid(&self) -> Option<&str> {
        self.sid.as_ref().map(|s| s.value)
    }

    /// Does this statement's Action / NotAction cover the concrete `action`?
    pub fn covers_action(&self, action: &str) -> bool {
        let Some(element) = &self.action else {
            return false;
        };
        let listed = element
            .items
            .iter()
            .any(|p| glob::matches(p.value, action, true));
        listed != element.not
    }

    /// The action patterns that grant `action` (for a `NotAction`, the element key itself).
    pub fn action_items_granting(&self, action: &str) -> Vec<&Str<'a>> {
        match &self.action {
            Some(e) if !e.not => e
                .items
                .iter()
                .filter(|p| glob::matches(p.value, action, true))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Resource is `*` (or a `NotResource`, which grants everything but its list).
    pub fn resource_is_everything(&self) -> Option<Span> {
        let element = self.resource.as_ref()?;
        if element.not {
            return Some(element.key_span);
        }
        element
            .items
            .iter()
            .find(|r| arn::matches_everything(r.value))
            .map(|r| r.span)
    }
}

#[derive(Debug)]
pub struct Policy<'a> {
    pub raw: &'a Value<'a>,
    pub pointer: String,
    pub version: Option<Str<'a>>,
    pub statements: Vec<Statement<'a>>,
    /// What the document's wrapper says it is (`Unknown` when it says nothing); see
    /// [`Policy::kind`].
    pub declared_kind: PolicyKind,
    /// The file's path, whose name tells the kind when the document does not.
    pub path: &'a str,
    /// A lone statement object written where a policy was expected.
    pub bare_statement: bool,
    /// The format the document was written in; decides which `${...}` references are
    /// template values rather than mistakes.
    pub origin: crate::frontend::Origin,
}

impl Policy<'_> {
    /// What kind of policy this is, as far as the document and then its file name tell.
    /// Worked out when asked, not for every policy: only `public-principal` asks, and only
    /// of a policy with a `Principal`.
    pub fn kind(&self) -> PolicyKind {
        match self.declared_kind {
            PolicyKind::Unknown => PolicyKind::from_path(self.path),
            declared => declared,
        }
    }

    /// Calls `f` with every string value in the document, in document order, and the path to
    /// it. The path is formatted into a pointer only when a rule reports (`pointer`).
    pub fn for_each_string(&self, mut f: impl FnMut(&str, Span, &[Step<'_>])) {
        let mut steps = Vec::new();
        visit_strings(self.raw, &mut steps, &mut f);
    }

    /// The JSON pointer of a path given to `for_each_string`'s callback.
    pub fn pointer(&self, steps: &[Step<'_>]) -> String {
        pointer_of(&self.pointer, steps)
    }
}

/// One step of a JSON pointer, kept unformatted until a finding needs it.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

pub fn pointer_of(base: &str, steps: &[Step<'_>]) -> String {
    let mut out = base.to_string();
    for step in steps {
        out.push('/');
        match step {
            Step::Key(k) => crate::text::push_pointer_token(&mut out, k),
            Step::Index(i) => crate::text::push_decimal(&mut out, *i),
        }
    }
    out
}

fn visit_strings<'v>(
    value: &'v Value,
    steps: &mut Vec<Step<'v>>,
    f: &mut impl FnMut(&str, Span, &[Step<'_>]),
) {
    use crate::parse::json::Kind;
    match &value.kind {
        Kind::String(s) => f(s, value.span, steps),
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                visit_strings(item, steps, f);
                steps.pop();
            }
        }
        Kind::Object(members) => {
            for m in members {
                steps.push(Step::Key(&m.key));
                visit_strings(&m.value, steps, f);
                steps.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;
    use compact_str::CompactString;
    use std::rc::Rc;

    #[test]
    fn an_item_pointer_reads_as_its_list_and_index() {
        let list: Rc<str> = "/Statement/0/Action".into();
        let item = Pointer::Item {
            list: Rc::clone(&list),
            index: 12,
        };
        assert_eq!(item.text(), "/Statement/0/Action/12");
        assert_eq!(item.to_string(), "/Statement/0/Action/12");
        assert_eq!(CompactString::from(item.clone()), "/Statement/0/Action/12");
        let text = Pointer::from("/Statement/0/Action/12");
        assert_eq!(CompactString::from(text), "/Statement/0/Action/12");
        assert_eq!(item, Pointer::from("/Statement/0/Action/12"));
        assert_ne!(item, Pointer::from("/Statement/0/Action/1"));
        assert_eq!(format!("{item:?}"), "\"/Statement/0/Action/12\"");
    }

    #[test]
    fn a_shared_pointer_reads_as_its_text() {
        let key: Rc<str> = "/Statement/0/Condition/StringEquals/aws:SourceAccount".into();
        let shared = Pointer::Shared(Rc::clone(&key));
        assert_eq!(shared.text(), &*key);
        assert_eq!(CompactString::from(shared.clone()), &*key);
        assert_eq!(shared, Pointer::from(&*key));
        assert_eq!(shared.to_string(), &*key);
    }
}
