//! Lowering a JSON tree into the policy model, reporting every grammar error as an
//! `invalid-policy` finding. Lowering never gives up early: a statement with one bad element
//! still yields a model for the other rules, so one typo does not hide other findings.

use super::{
    Condition, Effect, Element, Pointer, Policy, PolicyKind, Principal, PrincipalEntry, Statement,
    Step, Str, operator, pointer_of,
};
use crate::finding::{Finding, Severity};
use crate::frontend::Origin;
use crate::parse::json::{Kind, Member, Value};
use crate::rules::invalid_policy::ID;
use crate::span::Span;
use crate::text::{FastMap, child_index, child_key, closest};
use std::rc::Rc;

const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KINDS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];
const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

/// Lowers the policy document at `value` (found at JSON pointer `pointer`).
/// With `bare_statement`, `value` is a single statement object standing in for a policy.
pub fn lower<'a>(
    value: &'a Value,
    pointer: &str,
    bare_statement: bool,
    declared_kind: PolicyKind,
    path: &'a str,
    origin: Origin,
) -> (Policy<'a>, Vec<Finding>) {
    let mut cx = Lowerer {
        findings: Vec::new(),
        origin,
        scratch: String::new(),
    };
    cx.duplicate_keys(value, pointer, &mut Vec::new());
    let mut policy = Policy {
        raw: value,
        pointer: pointer.into(),
        version: None,
        statements: Vec::new(),
        declared_kind,
        path,
        bare_statement,
        origin,
    };
    if bare_statement {
        cx.error(
            value.span,
            pointer,
            "this is a single statement, not a policy: IAM expects `{\"Version\": \"2012-10-17\", \"Statement\": [...]}` around it",
        );
        policy.statements.push(cx.statement(value, pointer, 0));
        return (policy, cx.findings);
    }
    let Some(members) = value.as_object() else {
        cx.error(
            value.span,
            pointer,
            &format!(
                "a policy must be a JSON object, found {}",
                value.type_name()
            ),
        );
        return (policy, cx.findings);
    };
    for m in members {
        let p = child_key(pointer, &m.key);
        match m.key.as_str() {
            "Version" => policy.version = cx.version(&m.value, &p),
            "Id" => {
                cx.expect_string(&m.value, p.into(), "Id");
            }
            "Statement" => policy.statements = cx.statements(&m.value, &p),
            other if computed_text(origin, other) => {}
            other => cx.unknown_key(m, pointer, other, TOP_LEVEL, "a policy"),
        }
    }
    if value.get("Statement").is_none() {
        cx.error(
            value.span,
            pointer,
            "the policy has no `Statement`; IAM rejects a policy without statements",
        );
    }
    cx.duplicate_sids(&policy.statements);
    (policy, cx.findings)
}

/// `value` lowered as a plain JSON policy whose file name says nothing of its kind: for tests.
#[cfg(test)]
pub fn lower_plain<'a>(value: &'a Value<'a>) -> Policy<'a> {
    lower(
        value,
        "",
        false,
        PolicyKind::Unknown,
        "policy.json",
        Origin::Json,
    )
    .0
}

struct Lowerer {
    findings: Vec<Finding>,
    origin: Origin,
    /// Where shared pointers are assembled before they are copied into their one allocation.
    scratch: String,
}

/// A value a template computes at deploy time (`${var.statements}` where a list of
/// statements belongs): unknown, so neither right nor wrong, and skipped. In a plain JSON
/// policy the same text is literal and judged as written.
fn computed(origin: Origin, value: &Value) -> bool {
    value.as_str().is_some_and(|s| computed_text(origin, s))
}

fn computed_text(origin: Origin, s: &str) -> bool {
    origin != Origin::Json && super::variables::is_template_reference(s)
}

impl Lowerer {
    /// `pointer` + `/` + the escaped `key`, as text several values share: one allocation.
    fn shared_child(&mut self, pointer: &str, key: &str) -> Rc<str> {
        self.scratch.clear();
        self.scratch.push_str(pointer);
        self.scratch.push('/');
        crate::text::push_pointer_token(&mut self.scratch, key);
        Rc::from(self.scratch.as_str())
    }

    fn error(&mut self, span: Span, pointer: &str, message: &str) {
        self.findings
            .push(Finding::new(ID, Severity::Error, span, pointer, message));
    }

    fn error_help(&mut self, span: Span, pointer: &str, message: &str, help: String) {
        self.findings
            .push(Finding::new(ID, Severity::Error, span, pointer, message).help(help));
    }

    fn duplicate_keys<'v>(&mut self, value: &'v Value, base: &str, steps: &mut Vec<Step<'v>>) {
        match &value.kind {
            Kind::Object(members) => {
                for (i, m) in members.iter().enumerate() {
                    steps.push(Step::Key(&m.key));
                    // Policies have small objects: a scan beats hashing every key.
                    if let Some(first) = members[..i].iter().find(|p| p.key == m.key) {
                        let f = Finding::new(
                            ID,
                            Severity::Error,
                            m.key_span,
                            pointer_of(base, steps),
                            format!(
                                "duplicate key `{}`; parsers disagree on which copy wins, and IAM rejects it",
                                m.key
                            ),
                        )
                        .label(first.key_span, "first defined here")
                        .help("merge the two values into one key");
                        self.findings.push(f);
                    }
                    if has_members(&m.value) {
                        self.duplicate_keys(&m.value, base, steps);
                    }
                    steps.pop();
                }
            }
            Kind::Array(items) => {
                // Action and Resource lists run to hundreds of strings: step over them.
                for (i, item) in items.iter().enumerate().filter(|(_, v)| has_members(v)) {
                    steps.push(Step::Index(i));
                    self.duplicate_keys(item, base, steps);
                    steps.pop();
                }
            }
            _ => {}
        }
    }

    fn unknown_key(&mut self, m: &Member, pointer: &str, key: &str, known: &[&str], what: &str) {
        let p = child_key(pointer, key);
        let suggestion = closest(key, known, 3)
            .or_else(|| known.iter().find(|k| k.eq_ignore_ascii_case(key)).copied());
        let misplaced = what == "a policy" && STATEMENT_KEYS.contains(&key);
        let message = match suggestion {
            _ if misplaced => {
                format!("`{key}` is a statement element, found at the top level of the policy")
            }
            Some(s) => format!("unknown element `{key}` in {what}; did you mean `{s}`?"),
            None => format!("unknown element `{key}` in {what}"),
        };
        let help = if what == "a policy" && STATEMENT_KEYS.contains(&key) {
            format!(
                "`{key}` belongs inside a statement; move it into one of the `Statement` entries"
            )
        } else {
            format!("{what} may contain only {}", join_ticked(known))
        };
        self.error_help(m.key_span, &p, &message, help);
    }

    /// Takes the pointer by value: every string of a policy becomes a `Str`, and the pointer
    /// built for it is kept rather than copied.
    fn expect_string<'v>(
        &mut self,
        value: &'v Value,
        pointer: Pointer,
        what: &str,
    ) -> Option<Str<'v>> {
        match value.as_str() {
            Some(s) => Some(Str {
                value: s,
                span: value.span,
                pointer,
            }),
            None => {
                self.error(
                    value.span,
                    &pointer.text(),
                    &format!("`{what}` must be a string, found {}", value.type_name()),
                );
                None
            }
        }
    }

    fn version<'v>(&mut self, value: &'v Value, pointer: &str) -> Option<Str<'v>> {
        if computed(self.origin, value) {
            return None;
        }
        let v = self.expect_string(value, pointer.into(), "Version")?;
        if !VERSIONS.contains(&v.value) && !computed_text(self.origin, v.value) {
            self.error_help(
                v.span,
                pointer,
                &format!("invalid `Version` `{}`", v.value),
                "use `\"Version\": \"2012-10-17\"`, the current policy language version".into(),
            );
        }
        Some(v)
    }

    fn statements<'v>(&mut self, value: &'v Value, pointer: &str) -> Vec<Statement<'v>> {
        let origin = self.origin;
        if computed(origin, value) {
            return Vec::new();
        }
        match &value.kind {
            Kind::Object(_) => vec![self.statement(value, pointer, 0)],
            Kind::Array(items) => {
                if items.is_empty() {
                    self.error(value.span, pointer, "`Statement` is an empty list");
                }
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| !computed(origin, item))
                    .map(|(i, item)| self.statement(item, &child_index(pointer, i), i))
                    .collect()
            }
            _ => {
                self.error(
                    value.span,
                    pointer,
                    &format!(
                        "`Statement` must be an object or a list of objects, found {}",
                        value.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    fn statement<'v>(&mut self, value: &'v Value, pointer: &str, index: usize) -> Statement<'v> {
        let origin = self.origin;
        let mut st = Statement {
            index,
            span: value.span,
            pointer: pointer.into(),
            sid: None,
            effect: None,
            principal: None,
            action: None,
            resource: None,
            condition_span: None,
            conditions: Vec::new(),
        };
        let Some(members) = value.as_object() else {
            self.error(
                value.span,
                pointer,
                &format!(
                    "a statement must be a JSON object, found {}",
                    value.type_name()
                ),
            );
            return st;
        };
        // Which required keys the statement has, noted on the way rather than looked up
        // again: `Effect`, an action element, and a resource or principal element.
        let (mut has_effect, mut has_action, mut has_target) = (false, false, false);
        for m in members {
            let p = child_key(pointer, &m.key);
            match m.key.as_str() {
                "Sid" => st.sid = self.expect_string(&m.value, p.into(), "Sid"),
                "Effect" => {
                    has_effect = true;
                    st.effect = self.effect(&m.value, &p);
                }
                "Principal" | "NotPrincipal" => {
                    has_target = true;
                    if !self.already_has(st.principal.is_some(), value, m, &p, "Principal") {
                        st.principal = self.principal(m, &p, m.key == "NotPrincipal");
                    }
                }
                "Action" | "NotAction" => {
                    has_action = true;
                    if !self.already_has(st.action.is_some(), value, m, &p, "Action") {
                        st.action = self.element(m, &p, m.key == "NotAction");
                        if let Some(e) = &st.action {
                            for item in &e.items {
                                self.action_form(item);
                            }
                        }
                    }
                }
                "Resource" | "NotResource" => {
                    has_target = true;
                    if !self.already_has(st.resource.is_some(), value, m, &p, "Resource") {
                        st.resource = self.element(m, &p, m.key == "NotResource");
                    }
                }
                "Condition" => {
                    st.condition_span = Some(m.value.span);
                    st.conditions = self.conditions(&m.value, &p);
                }
                other if computed_text(origin, other) => {}
                other => self.unknown_key(m, pointer, other, STATEMENT_KEYS, "a statement"),
            }
        }
        if !has_effect {
            self.error_help(
                value.span,
                pointer,
                "the statement has no `Effect`",
                "add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`".into(),
            );
        }
        if !has_action {
            self.error(
                value.span,
                pointer,
                "the statement has no `Action` or `NotAction`",
            );
        }
        // Identity policies (no principal) must say what they apply to; resource and trust
        // policies may leave it out.
        if !has_target {
            self.error_help(
                value.span,
                pointer,
                "the statement has no `Resource` or `NotResource`",
                "name the ARNs the statement applies to, e.g. `\"Resource\": \"arn:aws:s3:::ml-data/*\"`".into(),
            );
        }
        st
    }

    /// For the `X` / `NotX` elements: true when the statement already has one of the pair, so
    /// this member is skipped. A repeated key is `duplicate_keys`'s finding; both forms in one
    /// statement are reported here.
    fn already_has(
        &mut self,
        has: bool,
        statement: &Value,
        m: &Member,
        pointer: &str,
        base: &str,
    ) -> bool {
        if !has {
            return false;
        }
        let other = if m.key == base {
            format!("Not{base}")
        } else {
            base.to_string()
        };
        if statement.get(&other).is_some() {
            self.error(
                m.key_span,
                pointer,
                &format!("a statement cannot have both `{base}` and `Not{base}`"),
            );
        }
        true
    }

    fn effect(&mut self, value: &Value, pointer: &str) -> Option<(Effect, Span)> {
        if computed(self.origin, value) {
            return None;
        }
        let s = self.expect_string(value, pointer.into(), "Effect")?;
        match s.value {
            "Allow" => Some((Effect::Allow, s.span)),
            "Deny" => Some((Effect::Deny, s.span)),
            other if computed_text(self.origin, other) => None,
            other => {
                let fix = if other.eq_ignore_ascii_case("allow") {
                    "write `Allow`: Effect values are case-sensitive"
                } else if other.eq_ignore_ascii_case("deny") {
                    "write `Deny`: Effect values are case-sensitive"
                } else {
                    "use `Allow` or `Deny`"
                };
                self.error_help(
                    s.span,
                    pointer,
                    &format!("`Effect` must be exactly `Allow` or `Deny`, found `{other}`"),
                    fix.into(),
                );
                None
            }
        }
    }

    /// A string or a non-empty list of strings.
    fn string_list<'v>(&mut self, value: &'v Value, pointer: &str, what: &str) -> Vec<Str<'v>> {
        match &value.kind {
            Kind::String(s) => vec![Str {
                value: s,
                span: value.span,
                pointer: pointer.into(),
            }],
            Kind::Array(items) => {
                if items.is_empty() {
                    self.error(value.span, pointer, &format!("`{what}` is an empty list"));
                }
                let list: Rc<str> = pointer.into();
                // Sized for every item: nearly all are strings, and a list collected through
                // a filter would grow from four.
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.extend(self.expect_string(item, item_pointer(&list, i), what));
                }
                out
            }
            _ => {
                self.error(
                    value.span,
                    pointer,
                    &format!(
                        "`{what}` must be a string or a list of strings, found {}",
                        value.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    fn element<'v>(&mut self, m: &'v Member, pointer: &str, not: bool) -> Option<Element<'v>> {
        let items = self.string_list(&m.value, pointer, &m.key);
        Some(Element::new(not, m.key_span, pointer.into(), items))
    }

    fn action_form(&mut self, item: &Str) {
        // Template text such as `<action>` is `template-placeholder`'s to report.
        if item.value == "*"
            || is_action_form(item.value)
            || !crate::rules::placeholders::find(item.value).is_empty()
        {
            return;
        }
        let help = if item.value.trim() != item.value {
            "remove the surrounding spaces".to_string()
        } else {
            "write actions as `service:Action`, e.g. `s3:GetObject` or `sagemaker:*`".to_string()
        };
        self.error_help(
            item.span,
            &item.pointer.text(),
            &format!(
                "`{}` is not an action of the form `service:action`",
                item.value
            ),
            help,
        );
    }

    fn principal<'v>(&mut self, m: &'v Member, pointer: &str, not: bool) -> Option<Principal<'v>> {
        let origin = self.origin;
        let mut principal = Principal {
            not,
            key_span: m.key_span,
            pointer: pointer.into(),
            wildcard: None,
            entries: Vec::new(),
        };
        match &m.value.kind {
            _ if computed(origin, &m.value) => {}
            Kind::String(s) if s == "*" => {
                principal.wildcard = Some(Str {
                    value: s,
                    span: m.value.span,
                    pointer: pointer.into(),
                });
            }
            // A parameter may hold `*`: the principal is unknown, not wrong.
            Kind::String(s) if computed_text(self.origin, s) => {}
            Kind::String(s) => self.error_help(
                m.value.span,
                pointer,
                &format!("`{}` must be `\"*\"` or an object, found the string `{s}`", m.key),
                "name principals by kind, e.g. `{\"AWS\": \"arn:aws:iam::123456789012:root\"}` or `{\"Service\": \"sagemaker.amazonaws.com\"}`".into(),
            ),
            Kind::Object(members) => {
                for pm in members.iter().filter(|pm| !computed_text(origin, &pm.key)) {
                    let p = child_key(pointer, &pm.key);
                    if !PRINCIPAL_KINDS.contains(&pm.key.as_str()) {
                        self.unknown_key(pm, pointer, &pm.key, PRINCIPAL_KINDS, "a principal");
                        continue;
                    }
                    let values = self.string_list(&pm.value, &p, &pm.key);
                    principal.entries.push(PrincipalEntry {
                        kind: Str {
                            value: &pm.key,
                            span: pm.key_span,
                            pointer: p.into(),
                        },
                        values,
                    });
                }
            }
            _ => self.error(
                m.value.span,
                pointer,
                &format!(
                    "`{}` must be `\"*\"` or an object, found {}",
                    m.key,
                    m.value.type_name()
                ),
            ),
        }
        Some(principal)
    }

    fn conditions<'v>(&mut self, value: &'v Value, pointer: &str) -> Vec<Condition<'v>> {
        let origin = self.origin;
        if computed(origin, value) {
            return Vec::new();
        }
        let Some(blocks) = value.as_object() else {
            self.error(
                value.span,
                pointer,
                &format!("`Condition` must be an object, found {}", value.type_name()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for block in blocks
            .iter()
            .filter(|b| !computed_text(origin, &b.key) && !computed(origin, &b.value))
        {
            // Shared by the operator of each key under it.
            let op_pointer = self.shared_child(pointer, &block.key);
            let op = match operator::parse(&block.key) {
                Ok(op) => Some(op),
                Err(message) => {
                    self.error(block.key_span, &op_pointer, &message);
                    None
                }
            };
            let operator = Str {
                value: &block.key,
                span: block.key_span,
                pointer: Pointer::Shared(Rc::clone(&op_pointer)),
            };
            let Some(entries) = block.value.as_object() else {
                self.error(
                    block.value.span,
                    &op_pointer,
                    &format!(
                        "the value of `{}` must be an object of condition keys, found {}",
                        block.key,
                        block.value.type_name()
                    ),
                );
                continue;
            };
            for entry in entries {
                // Shared by the key and its values.
                let p = self.shared_child(&op_pointer, &entry.key);
                let values = self.condition_values(&entry.value, &p, &entry.key);
                out.push(Condition {
                    operator: operator.clone(),
                    op,
                    key: Str {
                        value: &entry.key,
                        span: entry.key_span,
                        pointer: Pointer::Shared(p),
                    },
                    values,
                });
            }
        }
        out
    }

    fn condition_values<'v>(
        &mut self,
        value: &'v Value,
        pointer: &Rc<str>,
        key: &str,
    ) -> Vec<Str<'v>> {
        let scalar = |v: &'v Value, p: Pointer| -> Option<Str<'v>> {
            let text = match &v.kind {
                Kind::String(s) => s.as_str(),
                Kind::Bool(true) => "true",
                Kind::Bool(false) => "false",
                Kind::Number(n) => n.as_str(),
                _ => return None,
            };
            Some(Str {
                value: text,
                span: v.span,
                pointer: p,
            })
        };
        if matches!(
            value.kind,
            Kind::String(_) | Kind::Bool(_) | Kind::Number(_)
        ) {
            return scalar(value, Pointer::Shared(Rc::clone(pointer)))
                .into_iter()
                .collect();
        }
        let Kind::Array(items) = &value.kind else {
            self.error(
                value.span,
                pointer,
                &format!(
                    "the value of condition key `{key}` must be a string, boolean, number or a list of them, found {}",
                    value.type_name()
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = scalar(item, item_pointer(pointer, i)) {
                out.push(s);
            } else {
                self.error(
                    item.span,
                    &child_index(pointer, i),
                    &format!(
                        "a value of condition key `{key}` must be a string, boolean or number, found {}",
                        item.type_name()
                    ),
                );
            }
        }
        out
    }

    fn duplicate_sids(&mut self, statements: &[Statement]) {
        // FxHash, as the memos hash policy text: SipHash cost 200 instructions a Sid.
        let mut seen: FastMap<&str, Span> =
            FastMap::with_capacity_and_hasher(statements.len(), Default::default());
        for sid in statements.iter().filter_map(|s| s.sid.as_ref()) {
            if sid.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(sid.value) {
                let f = Finding::new(
                    ID,
                    Severity::Error,
                    sid.span,
                    sid.pointer.clone(),
                    format!(
                        "duplicate `Sid` `{}`; Sids must be unique within a policy",
                        sid.value
                    ),
                )
                .label(*first, "first used here");
                self.findings.push(f);
            } else {
                seen.insert(sid.value, sid.span);
            }
        }
    }
}

/// `service:action`, where either side may carry `*` / `?` wildcards: a prefix of letters,
/// digits and `-`, and a name that may also hold `_` and `.`. Every action value of every
/// policy comes here, and nearly every one passes: sixteen bytes are classed at a time.
fn is_action_form(s: &str) -> bool {
    use crate::text::blocks::scan;
    let bytes = s.as_bytes();
    // Where the first colon is, once a block has held one.
    let mut colon = None;
    let bad = scan(bytes, 0, |at, block, fresh| {
        let service_byte = block.with_bits(0x20).in_ascii_range(b'a', b'z')
            | block.in_ascii_range(b'0', b'9')
            | block.eq(b'-')
            | block.eq(b'*')
            | block.eq(b'?');
        let name_byte = service_byte | block.eq(b'_') | block.eq(b'.');
        let (service, name) = match colon {
            Some(_) => (0, fresh),
            None => {
                let colons = block.eq(b':') & fresh;
                if colons == 0 {
                    (fresh, 0)
                } else {
                    let first = colons.trailing_zeros();
                    colon = Some(at + first as usize);
                    let before = (1 << first) - 1;
                    (fresh & before, fresh & !before & !(1 << first))
                }
            }
        };
        // A second colon is a byte no name may hold.
        ((service & !service_byte) | (name & !name_byte) != 0).then_some(())
    });
    bad.is_none() && colon.is_some_and(|at| at > 0 && at + 1 < bytes.len())
}

fn join_ticked(items: &[&str]) -> String {
    let ticked: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    ticked.join(", ")
}

/// An object or array: a value that can hold keys.
fn has_members(value: &Value) -> bool {
    matches!(value.kind, Kind::Object(_) | Kind::Array(_))
}

/// The pointer of item `index` of the list at `list`.
fn item_pointer(list: &Rc<str>, index: usize) -> Pointer {
    // An index past `u32` would take a file of gigabytes; the text form keeps even that exact.
    match u32::try_from(index) {
        Ok(index) => Pointer::Item {
            list: Rc::clone(list),
            index,
        },
        Err(_) => Pointer::Text(child_index(list, index)),
    }
}

#[cfg(test)]
mod tests {
    use super::is_action_form;

    /// The definition, a byte at a time.
    fn plain_action_form(s: &str) -> bool {
        let Some((service, name)) = s.split_once(':') else {
            return false;
        };
        let service_byte = |c: u8| c.is_ascii_alphanumeric() || b"-*?".contains(&c);
        !service.is_empty()
            && !name.is_empty()
            && service.bytes().all(service_byte)
            && name
                .bytes()
                .all(|c| service_byte(c) || c == b'_' || c == b'.')
    }

    #[test]
    fn action_forms() {
        for ok in [
            "s3:GetObject",
            "sagemaker:*",
            "*:Get*",
            "execute-api:Invoke",
            "s3:Get?bject",
        ] {
            assert!(is_action_form(ok), "{ok}");
        }
        for bad in [
            "s3",
            "s3:",
            ":GetObject",
            "s3: GetObject",
            "s3:Get:Object",
            "arn:aws:s3:::b",
        ] {
            assert!(!is_action_form(bad), "{bad}");
        }
    }

    /// Every byte value in every place of values up to three blocks long, with the colon
    /// before, at and after it, agrees with the definition.
    #[test]
    fn action_forms_agree_with_the_definition_byte_by_byte() {
        for len in 1..40 {
            for colon in [None, Some(0), Some(1), Some(len / 2), Some(len - 1)] {
                for at in 0..len {
                    for b in 0..=127u8 {
                        let mut bytes = vec![b'a'; len];
                        if let Some(c) = colon.filter(|&c| c < len) {
                            bytes[c] = b':';
                        }
                        bytes[at] = b;
                        let s = String::from_utf8(bytes).unwrap_or_default();
                        assert_eq!(is_action_form(&s), plain_action_form(&s), "{s:?}");
                    }
                }
            }
        }
        for s in ["é:x", "s3:é", "s3:Gét", "ünï:x"] {
            assert_eq!(is_action_form(s), plain_action_form(s), "{s:?}");
        }
    }
}
