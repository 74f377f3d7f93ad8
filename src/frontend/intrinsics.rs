//! CloudFormation's intrinsic functions inside a policy document, resolved into the plain
//! values the rules read.
//!
//! What a template computes at deploy time stays unknown, written as a `${...}` reference the
//! model treats as "some value" (see [`crate::model::variables`]):
//!
//! | written | linted as |
//! |---|---|
//! | `!Ref Bucket`, `!Ref AWS::Region` | `${Bucket}`, `${AWS::Region}` |
//! | `!GetAtt Bucket.Arn` | `${Bucket.Arn}` |
//! | `!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'` | the string, `${!Literal}` as `${Literal}` and variables of its map substituted when they are literal |
//! | `!Join ['', [a, !Ref B]]` | `a${B}`; a list that is itself computed is unknown |
//! | `!FindInMap [Map, Key, Name]` with literal names | the value in `Mappings` |
//! | `!Select [1, [a, b]]`, `!Split [',', 'a,b']` on literals | `b`, `[a, b]` |
//! | `!If [Cond, A, B]` in a list, or as an `Action` / `Resource` / principal / condition value | both `A` and `B` |
//! | `!If [Cond, A, B]` elsewhere | the first branch that has a value; inside a string, unknown unless both agree |
//! | `!Ref AWS::NoValue` | the item or key is left out |
//! | `!ImportValue`, `!GetAZs`, `!Base64`, `!Cidr`, ... | `${Fn::ImportValue}`, ... |
//!
//! Pseudo parameters are never given a value: `${AWS::Partition}` is not assumed to be `aws`.
//! A malformed intrinsic (`!Sub` of a number, `!If` without three arguments) is an
//! `invalid-template` finding at its position. A `${Name}` written in a string that is not
//! inside `Fn::Sub` is reported as `template-placeholder`: CloudFormation leaves it as is.

use super::text_map::Text;
use crate::finding::{Finding, Severity};
use crate::model::variables::{self, VarKind};
use crate::parse::json::{Kind, Member, Value};
use crate::span::Span;
use std::borrow::Cow;

const INVALID_TEMPLATE: &str = crate::rules::invalid_template::ID;
const TEMPLATE_PLACEHOLDER: &str = "template-placeholder";

/// Where in a policy document a value sits, to know which positions take a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The document itself.
    Policy,
    /// The value of `Statement`: a statement or a list of them.
    Statements,
    Statement,
    Principal,
    Condition,
    ConditionBlock,
    /// `Action`, `Resource`, principal and condition values: a string or a list of strings.
    List,
    Other,
}

impl Place {
    fn child(self, key: &str) -> Place {
        match (self, key) {
            (Place::Policy, "Statement") => Place::Statements,
            (Place::Statements | Place::Statement, "Principal" | "NotPrincipal") => {
                Place::Principal
            }
            (Place::Statements | Place::Statement, "Condition") => Place::Condition,
            (
                Place::Statements | Place::Statement,
                "Action" | "NotAction" | "Resource" | "NotResource",
            ) => Place::List,
            (Place::Principal, _) | (Place::ConditionBlock, _) => Place::List,
            (Place::Condition, _) => Place::ConditionBlock,
            _ => Place::Other,
        }
    }

    fn item(self) -> Place {
        match self {
            Place::Statements => Place::Statement,
            _ => Place::Other,
        }
    }
}

/// Resolves intrinsics against one template.
pub struct Resolver<'t> {
    file: &'t str,
    mappings: Option<&'t Value<'t>>,
    pub findings: Vec<Finding>,
    /// JSON pointer tokens from the template root to the value being resolved.
    path: Vec<String>,
}

/// The name an intrinsic object calls, when `v` is one: `{"Ref": x}` or `{"Fn::Name": x}`.
pub fn intrinsic<'a, 's>(v: &'a Value<'s>) -> Option<(&'a str, &'a Value<'s>)> {
    match v.as_object()? {
        [m] if m.key == "Ref" || m.key.starts_with("Fn::") => Some((m.key.as_str(), &m.value)),
        _ => None,
    }
}

fn unknown(name: &str) -> String {
    format!("${{{name}}}")
}

impl<'t> Resolver<'t> {
    pub fn new(file: &'t str, root: &'t Value<'t>) -> Self {
        Self {
            file,
            mappings: root.get("Mappings"),
            findings: Vec::new(),
            path: Vec::new(),
        }
    }

    /// Starts resolving at JSON pointer `pointer` (already escaped tokens).
    pub fn at(&mut self, pointer: &str) {
        self.path = pointer.split('/').skip(1).map(str::to_string).collect();
    }

    fn pointer(&self) -> String {
        self.path.iter().map(|t| format!("/{t}")).collect()
    }

    fn enter(&mut self, token: &str) {
        self.path.push(crate::text::pointer_token(token));
    }

    fn leave(&mut self) {
        self.path.pop();
    }

    fn report(
        &mut self,
        rule: &'static str,
        span: Span,
        message: String,
        help: impl Into<Cow<'static, str>>,
    ) {
        let f = Finding::new(rule, Severity::Error, span, self.pointer(), message).help(help);
        self.findings.push(f);
    }

    fn invalid(&mut self, span: Span, message: String, help: impl Into<Cow<'static, str>>) {
        self.report(INVALID_TEMPLATE, span, message, help);
    }

    /// The plain value of `v` at `place`, or `None` for `AWS::NoValue`.
    pub fn value(&mut self, v: &Value<'t>, place: Place) -> Option<Value<'t>> {
        if let Some((name, arg)) = intrinsic(v) {
            return self.call_value(v, name, arg, place);
        }
        match &v.kind {
            Kind::String(s) => {
                self.literal_string(s, v.span);
                Some(v.clone())
            }
            Kind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.enter(&i.to_string());
                    out.extend(self.items(item, place.item()));
                    self.leave();
                }
                Some(Value {
                    kind: Kind::Array(out),
                    span: v.span,
                })
            }
            Kind::Object(members) => {
                let place = if place == Place::Statements {
                    Place::Statement
                } else {
                    place
                };
                let mut out = Vec::with_capacity(members.len());
                for m in members {
                    self.enter(&m.key);
                    let child = place.child(&m.key);
                    let value = if child == Place::List {
                        self.list_value(&m.value, child)
                    } else {
                        self.value(&m.value, child)
                    };
                    self.leave();
                    if let Some(value) = value {
                        out.push(Member {
                            key: m.key.clone(),
                            key_span: m.key_span,
                            value,
                        });
                    }
                }
                Some(Value {
                    kind: Kind::Object(out),
                    span: v.span,
                })
            }
            _ => Some(v.clone()),
        }
    }

    /// The values one list item stands for: none for `AWS::NoValue`, both branches of an
    /// `Fn::If`, else one.
    fn items(&mut self, v: &Value<'t>, place: Place) -> Vec<Value<'t>> {
        if let Some(("Fn::If", arg)) = intrinsic(v) {
            if let Some([_, a, b]) = self.if_args(v, arg) {
                let mut out = Vec::new();
                self.enter("Fn::If");
                for (i, branch) in [(1, a), (2, b)] {
                    self.enter(&i.to_string());
                    out.extend(self.items(branch, place));
                    self.leave();
                }
                self.leave();
                if out.len() == 2 && same(&out[0], &out[1]) {
                    out.pop();
                }
                return out;
            }
            return vec![self.opaque_value(v, "Fn::If")];
        }
        self.value(v, place).into_iter().collect()
    }

    /// A value that is a string or a list of strings: an `Fn::If` there stands for both.
    fn list_value(&mut self, v: &Value<'t>, place: Place) -> Option<Value<'t>> {
        if let Some(("Fn::If", _)) = intrinsic(v) {
            let mut items = self.items(v, place);
            return match items.len() {
                0 => None,
                1 => items.pop(),
                _ => Some(Value {
                    kind: Kind::Array(items),
                    span: v.span,
                }),
            };
        }
        self.value(v, place)
    }

    fn opaque_value(&self, node: &Value<'t>, name: &str) -> Value<'t> {
        Value {
            kind: Kind::String(unknown(name).into()),
            span: node.span,
        }
    }

    fn call_value(
        &mut self,
        node: &Value<'t>,
        name: &str,
        arg: &Value<'t>,
        place: Place,
    ) -> Option<Value<'t>> {
        match name {
            "Fn::If" => {
                let Some([_, a, b]) = self.if_args(node, arg) else {
                    return Some(self.opaque_value(node, name));
                };
                self.enter(name);
                self.enter("1");
                let first = self.value(a, place);
                self.leave();
                self.enter("2");
                let second = self.value(b, place);
                self.leave();
                self.leave();
                first.or(second)
            }
            "Fn::Split" | "Fn::FindInMap" | "Fn::Select" => {
                self.enter(name);
                let resolved = self.structured(node, name, arg);
                self.leave();
                match resolved {
                    Some(v) => self.value(&v, place),
                    None => Some(self.opaque_value(node, name)),
                }
            }
            _ => {
                let text = self.call_text(node, name, arg)?;
                Some(Value {
                    kind: Kind::String(text.s.into()),
                    span: node.span,
                })
            }
        }
    }

    /// `Fn::Split`, `Fn::FindInMap` and `Fn::Select` when their arguments are literal: the
    /// value they give, spanning the intrinsic. `None` when it is known only at deploy time.
    fn structured(&mut self, node: &Value<'t>, name: &str, arg: &Value<'t>) -> Option<Value<'t>> {
        match name {
            "Fn::Split" => {
                let [delim, source] = self.args::<2>(node, name, arg)?;
                let delim = self.text(delim)?;
                let source = self.text(source)?;
                if delim.s.is_empty() || crate::text::has_reference(&source.s) {
                    return None;
                }
                let items = source
                    .s
                    .split(delim.s.as_str())
                    .map(|p| Value {
                        kind: Kind::String(p.to_string().into()),
                        span: node.span,
                    })
                    .collect();
                Some(Value {
                    kind: Kind::Array(items),
                    span: node.span,
                })
            }
            "Fn::Select" => {
                let [index, list] = self.args::<2>(node, name, arg)?;
                let index = match &index.kind {
                    Kind::Number(n) | Kind::String(n) => n.parse::<usize>().ok(),
                    _ => None,
                }?;
                let list = match intrinsic(list) {
                    Some((inner, inner_arg)) => self.structured(list, inner, inner_arg)?,
                    None => list.clone(),
                };
                let Kind::Array(items) = &list.kind else {
                    return None;
                };
                match items.get(index) {
                    Some(item) => Some(respan(item.clone(), node.span)),
                    None => {
                        self.invalid(
                            node.span,
                            format!(
                                "`Fn::Select` index {index} is past the end of its list of {}",
                                items.len()
                            ),
                            "indexes start at 0",
                        );
                        None
                    }
                }
            }
            "Fn::FindInMap" => self.find_in_map(node, arg),
            _ => None,
        }
    }

    fn find_in_map(&mut self, node: &Value<'t>, arg: &Value<'t>) -> Option<Value<'t>> {
        let Kind::Array(args) = &arg.kind else {
            self.invalid(
                node.span,
                format!("`Fn::FindInMap` takes a list, found {}", arg.type_name()),
                "write `!FindInMap [MapName, TopLevelKey, SecondLevelKey]`",
            );
            return None;
        };
        if args.len() != 3 && args.len() != 4 {
            self.invalid(
                node.span,
                format!(
                    "`Fn::FindInMap` takes 3 arguments (a map and two keys), found {}",
                    args.len()
                ),
                "write `!FindInMap [MapName, TopLevelKey, SecondLevelKey]`",
            );
            return None;
        }
        let keys: Vec<&str> = args[..3].iter().filter_map(Value::as_str).collect();
        if keys.len() < 3 {
            return None;
        }
        let default = args
            .get(3)
            .and_then(|d| d.get("DefaultValue"))
            .map(|d| respan(d.clone(), node.span));
        let found = self
            .mappings
            .and_then(|m| m.get(keys[0]))
            .and_then(|m| m.get(keys[1]))
            .and_then(|m| m.get(keys[2]));
        match found {
            Some(v) => Some(respan(v.clone(), node.span)),
            None if default.is_some() => default,
            None => {
                self.invalid(
                    node.span,
                    format!(
                        "`Fn::FindInMap` finds nothing at `{}` / `{}` / `{}` in the template's Mappings",
                        keys[0], keys[1], keys[2]
                    ),
                    "check the map and key names; CloudFormation fails the deployment on a missing key",
                );
                None
            }
        }
    }

    /// Checks the arguments of `Fn::If`: a condition name and two values.
    fn if_args<'v>(&mut self, node: &Value<'t>, arg: &'v Value<'t>) -> Option<[&'v Value<'t>; 3]> {
        let [cond, a, b] = self.args::<3>(node, "Fn::If", arg)?;
        if cond.as_str().is_none() {
            self.invalid(
                cond.span,
                format!(
                    "the first argument of `Fn::If` is the name of a condition, found {}",
                    cond.type_name()
                ),
                "write `!If [ConditionName, ValueIfTrue, ValueIfFalse]`",
            );
            return None;
        }
        Some([cond, a, b])
    }

    /// A list of exactly `N` arguments, or an `invalid-template` finding.
    fn args<'v, const N: usize>(
        &mut self,
        node: &Value<'t>,
        name: &str,
        arg: &'v Value<'t>,
    ) -> Option<[&'v Value<'t>; N]> {
        let shape = match name {
            "Fn::If" => "`!If [ConditionName, ValueIfTrue, ValueIfFalse]`",
            "Fn::Join" => "`!Join [delimiter, [value, ...]]`",
            "Fn::Split" => "`!Split [delimiter, string]`",
            "Fn::Select" => "`!Select [index, list]`",
            "Fn::GetAtt" => "`!GetAtt Resource.Attribute`",
            _ => "the documented form",
        };
        match &arg.kind {
            Kind::Array(items) if items.len() == N => {
                let refs: Vec<&Value<'t>> = items.iter().collect();
                refs.try_into().ok()
            }
            Kind::Array(items) => {
                self.invalid(
                    node.span,
                    format!("`{name}` takes {N} arguments, found {}", items.len()),
                    format!("write {shape}"),
                );
                None
            }
            _ if intrinsic(arg).is_some() => None,
            _ => {
                self.invalid(
                    node.span,
                    format!(
                        "`{name}` takes a list of {N} arguments, found {}",
                        arg.type_name()
                    ),
                    format!("write {shape}"),
                );
                None
            }
        }
    }

    /// The string `v` computes, or `None` for `AWS::NoValue`. Unknown parts are `${...}`.
    pub fn text(&mut self, v: &Value<'t>) -> Option<Text> {
        if let Some((name, arg)) = intrinsic(v) {
            return self.call_text(v, name, arg);
        }
        match &v.kind {
            Kind::String(s) => {
                self.literal_string(s, v.span);
                Some(Text::aligned(self.file, v.span, s))
            }
            Kind::Number(n) => Some(Text::opaque(n.to_string(), v.span.start)),
            Kind::Bool(b) => Some(Text::opaque(b.to_string(), v.span.start)),
            Kind::Null => Some(Text::default()),
            Kind::Array(_) | Kind::Object(_) => {
                self.invalid(
                    v.span,
                    format!("expected a string here, found {}", v.type_name()),
                    "only strings and functions that give strings can be joined or substituted",
                );
                Some(Text::opaque(unknown("?"), v.span.start))
            }
        }
    }

    fn call_text(&mut self, node: &Value<'t>, name: &str, arg: &Value<'t>) -> Option<Text> {
        self.enter(name);
        let out = self.call_text_inner(node, name, arg);
        self.leave();
        out
    }

    fn call_text_inner(&mut self, node: &Value<'t>, name: &str, arg: &Value<'t>) -> Option<Text> {
        let at = node.span.start;
        match name {
            "Ref" => match arg.as_str() {
                Some("AWS::NoValue") => None,
                Some(target) if !target.is_empty() => Some(Text::opaque(unknown(target), at)),
                _ => {
                    self.invalid(
                        node.span,
                        format!(
                            "`Ref` takes the name of a parameter or resource, found {}",
                            describe(arg)
                        ),
                        "write `!Ref LogicalId` or `!Ref AWS::Region`",
                    );
                    Some(Text::opaque(unknown("Ref"), at))
                }
            },
            "Fn::GetAtt" => Some(Text::opaque(unknown(&self.get_att(node, arg)), at)),
            "Fn::Sub" => Some(self.sub(node, arg)),
            "Fn::Join" => Some(self.join(node, arg)),
            "Fn::If" => {
                let Some([_, a, b]) = self.if_args(node, arg) else {
                    return Some(Text::opaque(unknown(name), at));
                };
                let first = self.text(a);
                let second = self.text(b);
                match (first, second) {
                    (Some(x), Some(y)) if x.s == y.s => Some(x),
                    (None, None) => None,
                    _ => Some(Text::opaque(unknown(name), at)),
                }
            }
            "Fn::Select" | "Fn::FindInMap" => match self.structured(node, name, arg) {
                Some(Value {
                    kind: Kind::String(s),
                    ..
                }) => Some(Text::opaque(s.to_string(), at)),
                Some(v) if intrinsic(&v).is_some() || matches!(v.kind, Kind::Number(_)) => {
                    self.text(&v)
                }
                _ => Some(Text::opaque(unknown(name), at)),
            },
            _ => Some(Text::opaque(unknown(name), at)),
        }
    }

    fn get_att(&mut self, node: &Value<'t>, arg: &Value<'t>) -> String {
        let (resource, attribute) = match &arg.kind {
            Kind::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), a.to_string()),
                None => (s.to_string(), String::new()),
            },
            Kind::Array(items) if items.len() == 2 => {
                let attribute = match items[1].as_str() {
                    Some(a) => a.to_string(),
                    None => "Attribute".to_string(),
                };
                (items[0].as_str().unwrap_or_default().to_string(), attribute)
            }
            _ => (String::new(), String::new()),
        };
        if resource.is_empty() || attribute.is_empty() {
            self.invalid(
                node.span,
                format!(
                    "`Fn::GetAtt` takes a resource and an attribute, found {}",
                    describe(arg)
                ),
                "write `!GetAtt Resource.Attribute` or `{\"Fn::GetAtt\": [\"Resource\", \"Attribute\"]}`",
            );
            return "Fn::GetAtt".to_string();
        }
        format!("{resource}.{attribute}")
    }

    fn join(&mut self, node: &Value<'t>, arg: &Value<'t>) -> Text {
        let at = node.span.start;
        let Some([delim, list]) = self.args::<2>(node, "Fn::Join", arg) else {
            return Text::opaque(unknown("Fn::Join"), at);
        };
        self.enter("0");
        let delim = match delim.as_str() {
            Some(_) => self.text(delim).unwrap_or_default(),
            None => {
                self.invalid(
                    delim.span,
                    format!(
                        "the delimiter of `Fn::Join` must be a string, found {}",
                        describe(delim)
                    ),
                    "write `!Join ['', [...]]`",
                );
                Text::default()
            }
        };
        self.leave();
        self.enter("1");
        let items = match &list.kind {
            Kind::Array(items) => Some(items.clone()),
            _ => match intrinsic(list) {
                Some((name, inner)) => {
                    self.structured(list, name, inner)
                        .and_then(|v| match v.kind {
                            Kind::Array(items) => Some(items),
                            _ => None,
                        })
                }
                None => {
                    self.invalid(
                        list.span,
                        format!("`Fn::Join` joins a list, found {}", list.type_name()),
                        "write `!Join [delimiter, [value, ...]]`",
                    );
                    None
                }
            },
        };
        let out = match items {
            None => Text::opaque(unknown("Fn::Join"), at),
            Some(items) => {
                let mut out = Text::default();
                let mut first = true;
                for (i, item) in items.iter().enumerate() {
                    self.enter(&i.to_string());
                    let piece = self.text(item);
                    self.leave();
                    let Some(piece) = piece else { continue };
                    if !first {
                        out.push(&delim);
                    }
                    first = false;
                    out.push(&piece);
                }
                out
            }
        };
        self.leave();
        out
    }

    fn sub(&mut self, node: &Value<'t>, arg: &Value<'t>) -> Text {
        let at = node.span.start;
        let (template, vars) = match &arg.kind {
            Kind::String(_) => (arg, None),
            Kind::Array(items) if items.len() == 2 => {
                if items[1].as_object().is_none() && intrinsic(&items[1]).is_none() {
                    self.invalid(
                        items[1].span,
                        format!(
                            "the variables of `Fn::Sub` must be a map, found {}",
                            items[1].type_name()
                        ),
                        "write `!Sub ['text ${Name}', {Name: value}]`",
                    );
                }
                (&items[0], items[1].as_object())
            }
            _ => {
                self.invalid(
                    node.span,
                    format!(
                        "`Fn::Sub` takes a string or a list of a string and a map of variables, found {}",
                        describe(arg)
                    ),
                    "write `!Sub 'arn:${AWS::Partition}:s3:::${Bucket}'`",
                );
                return Text::opaque(unknown("Fn::Sub"), at);
            }
        };
        let Some(raw) = template.as_str() else {
            self.invalid(
                template.span,
                format!(
                    "the text of `Fn::Sub` must be a string, found {}",
                    describe(template)
                ),
                "write `!Sub ['text ${Name}', {Name: value}]`",
            );
            return Text::opaque(unknown("Fn::Sub"), at);
        };
        let source = Text::aligned(self.file, template.span, raw);
        let mut out = Text::default();
        let mut from = 0;
        let s = raw;
        while let Some(open) = s[from..].find("${").map(|i| from + i) {
            out.push_range(&source, from, open);
            if s[open + 2..].starts_with('!') {
                // `${!Literal}`: the text `${Literal}`, unsubstituted.
                out.push_range(&source, open, open + 2);
                from = open + 3;
                continue;
            }
            let Some(close) = s[open + 2..].find('}').map(|i| open + 2 + i) else {
                from = open;
                break;
            };
            let name = s[open + 2..close].trim();
            let var = vars.and_then(|vs| vs.iter().find(|m| m.key == name));
            match var {
                Some(m) => {
                    self.enter("1");
                    self.enter(&m.key);
                    let value = self.text(&m.value);
                    self.leave();
                    self.leave();
                    if let Some(v) = value {
                        out.push_opaque(&v.s, source.file_offset(open));
                    }
                }
                None => {
                    if variables::find(&s[open..=close])
                        .first()
                        .is_some_and(|r| r.kind == VarKind::Policy)
                        && !name.starts_with("AWS::")
                    {
                        let start = source.file_offset(open);
                        let end = source.file_offset(close) + 1;
                        self.invalid(
                            Span::new(start, end.max(start)),
                            format!(
                                "`${{{name}}}` inside `Fn::Sub` names no parameter, resource or pseudo parameter, so CloudFormation rejects the template"
                            ),
                            format!(
                                "to pass the IAM policy variable through, write `${{!{name}}}`"
                            ),
                        );
                    }
                    out.push_range(&source, open, close + 1);
                }
            }
            from = close + 1;
        }
        out.push_range(&source, from, s.len());
        out
    }

    /// A string written as is: a `${Name}` in it is never substituted.
    fn literal_string(&mut self, s: &str, span: Span) {
        if !crate::text::has_reference(s) {
            return;
        }
        for r in variables::find(s) {
            if r.kind == VarKind::Policy {
                continue;
            }
            let text = &s[r.range.clone()];
            self.report(
                TEMPLATE_PLACEHOLDER,
                span,
                format!(
                    "`{text}` is never replaced: CloudFormation substitutes `${{...}}` only inside `Fn::Sub`"
                ),
                "write the string with `!Sub` (`{\"Fn::Sub\": \"...\"}` in JSON), or build it with `!Ref` / `!GetAtt`",
            );
            return;
        }
    }

    /// Checks the strings of a policy parsed from a literal JSON string, as written.
    pub fn literal_strings(&mut self, v: &Value<'t>) {
        match &v.kind {
            Kind::String(s) => self.literal_string(s, v.span),
            Kind::Array(items) => items.iter().for_each(|i| self.literal_strings(i)),
            Kind::Object(members) => members.iter().for_each(|m| self.literal_strings(&m.value)),
            _ => {}
        }
    }

    pub fn report_at(
        &mut self,
        rule: &'static str,
        span: Span,
        message: String,
        help: impl Into<Cow<'static, str>>,
    ) {
        self.report(rule, span, message, help);
    }
}

/// A value found elsewhere (in `Mappings`, a branch), spanning the intrinsic that gave it.
fn respan(mut v: Value<'_>, span: Span) -> Value<'_> {
    v.span = span;
    match &mut v.kind {
        Kind::Array(items) => {
            for i in items.iter_mut() {
                *i = respan(std::mem::replace(i, null()), span);
            }
        }
        Kind::Object(members) => {
            for m in members.iter_mut() {
                m.key_span = span;
                m.value = respan(std::mem::replace(&mut m.value, null()), span);
            }
        }
        _ => {}
    }
    v
}

fn null() -> Value<'static> {
    Value {
        kind: Kind::Null,
        span: Span::default(),
    }
}

/// Two branch values that would lint the same.
fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::String(x), Kind::String(y)) => x == y,
        _ => false,
    }
}

fn describe(v: &Value) -> String {
    match &v.kind {
        Kind::String(s) if s.is_empty() => "an empty string".to_string(),
        Kind::Number(n) => format!("the number {n}"),
        _ => v.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests;
