//! `data "aws_iam_policy_document"` blocks as the JSON policy the AWS provider renders from
//! them: `statement` blocks become `Statement` entries, `actions` becomes `Action`, and so on.
//!
//! What the provider fills in is filled in the same way: `Effect` is `Allow` and `Version` is
//! `2012-10-17` when the block does not say, spanning the block that implied them. Statements
//! merged in from `source_policy_documents` / `override_policy_documents` are not known here;
//! each such document adds one unknown `${...}` entry to `Statement`, which the model skips.

use super::expr::{span_of, to_value};
use crate::parse::json::{Kind, Member, Text, Value};
use crate::span::Span;
use hcl_edit::expr::{Expression, Object, ObjectKey};
use hcl_edit::structure::{Block, Body};

/// A block, or an object written where the block could be (`statement = [{...}]`, the syntax
/// of Terraform 0.11 that the provider still accepts).
#[derive(Clone, Copy)]
enum Node<'a> {
    Body(&'a Body, Span),
    Object(&'a Object, Span),
}

impl<'a> Node<'a> {
    fn span(self) -> Span {
        match self {
            Node::Body(_, s) | Node::Object(_, s) => s,
        }
    }

    /// The attribute `name` and the span of its key; `null` counts as absent, as in Terraform.
    fn attr(self, name: &str) -> Option<(Span, &'a Expression)> {
        let found = match self {
            Node::Body(body, span) => body
                .get_attribute(name)
                .map(|a| (span_of(&a.key, span), &a.value)),
            Node::Object(object, span) => object.iter().find_map(|(k, v)| {
                let key = match k {
                    ObjectKey::Ident(i) => i.value().as_str(),
                    ObjectKey::Expression(e) => e.as_str()?,
                };
                (key == name).then(|| (span_of(k, span), v.expr()))
            }),
        };
        found.filter(|(_, e)| !e.is_null())
    }

    /// The nested blocks `name`: plain blocks, the `content` of `dynamic "name"` blocks (one
    /// template standing for however many blocks `for_each` makes), and objects given as an
    /// attribute of that name.
    fn blocks(self, name: &str) -> Vec<Node<'a>> {
        let mut out = Vec::new();
        if let Node::Body(body, _) = self {
            for block in body.blocks() {
                if block.ident.as_str() == name {
                    out.push(Node::Body(&block.body, span_of(&block.ident, self.span())));
                } else if block.ident.as_str() == "dynamic"
                    && block.labels.first().is_some_and(|l| l.as_str() == name)
                {
                    for content in block.body.get_blocks("content") {
                        out.push(Node::Body(
                            &content.body,
                            span_of(&block.ident, self.span()),
                        ));
                    }
                }
            }
        }
        if let Some((_, e)) = self.attr(name) {
            let span = span_of(e, self.span());
            match e {
                Expression::Object(o) => out.push(Node::Object(o, span)),
                Expression::Array(items) => out.extend(
                    items
                        .iter()
                        .filter_map(|i| i.as_object().map(|o| Node::Object(o, span_of(i, span)))),
                ),
                _ => {}
            }
        }
        out
    }
}

fn member(key: &str, key_span: Span, value: Value<'static>) -> Member<'static> {
    Member {
        key: Text::owned(key),
        key_span,
        value,
    }
}

fn string(s: &str, span: Span) -> Value<'static> {
    Value {
        kind: Kind::String(Text::owned(s)),
        span,
    }
}

/// The policy a `data "aws_iam_policy_document"` block renders to.
pub fn to_policy(text: &str, block: &Block) -> Value<'static> {
    let span = span_of(block, Span::default());
    let name_span = block.labels.get(1).map_or(span, |l| span_of(l, span));
    let node = Node::Body(&block.body, name_span);
    let mut members = Vec::new();
    match node.attr("version") {
        Some((key, e)) => members.push(member("Version", key, to_value(text, e, 1))),
        None => members.push(member(
            "Version",
            name_span,
            string("2012-10-17", name_span),
        )),
    }
    if let Some((key, e)) = node.attr("policy_id") {
        members.push(member("Id", key, to_value(text, e, 1)));
    }
    let mut statements: Vec<Value<'static>> = node
        .blocks("statement")
        .into_iter()
        .map(|s| statement(text, s))
        .collect();
    let merged = [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ];
    for (_, e) in merged.iter().filter_map(|a| node.attr(a)) {
        let items = match e {
            Expression::Array(items) => items.iter().collect(),
            _ => vec![e],
        };
        statements.extend(items.into_iter().map(|i| {
            let s = span_of(i, span);
            string(&super::expr::reference(text, s), s)
        }));
    }
    let statement_span = node
        .blocks("statement")
        .first()
        .map_or(name_span, |s| s.span());
    members.push(member(
        "Statement",
        statement_span,
        Value {
            kind: Kind::Array(statements),
            span,
        },
    ));
    Value {
        kind: Kind::Object(members),
        span,
    }
}

fn statement(text: &str, node: Node<'_>) -> Value<'static> {
    let mut members = Vec::new();
    let attr = |name: &str, key: &str, members: &mut Vec<Member<'static>>| {
        if let Some((key_span, e)) = node.attr(name) {
            members.push(member(key, key_span, to_value(text, e, 2)));
        }
    };
    attr("sid", "Sid", &mut members);
    if node.attr("effect").is_some() {
        attr("effect", "Effect", &mut members);
    } else {
        members.push(member("Effect", node.span(), string("Allow", node.span())));
    }
    for (block, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let blocks = node.blocks(block);
        if let Some(first) = blocks.first() {
            members.push(member(key, first.span(), principals(text, &blocks)));
        }
    }
    attr("actions", "Action", &mut members);
    attr("not_actions", "NotAction", &mut members);
    attr("resources", "Resource", &mut members);
    attr("not_resources", "NotResource", &mut members);
    let conditions = node.blocks("condition");
    if let Some(first) = conditions.first() {
        members.push(member(
            "Condition",
            first.span(),
            condition(text, &conditions),
        ));
    }
    Value {
        kind: Kind::Object(members),
        span: node.span(),
    }
}

/// The values of a list attribute, one item per element (a single unknown for a reference).
fn items(text: &str, node: Node<'_>, name: &str) -> Vec<Value<'static>> {
    match node.attr(name) {
        Some((_, e)) => match to_value(text, e, 3) {
            Value {
                kind: Kind::Array(items),
                ..
            } => items,
            v => vec![v],
        },
        None => Vec::new(),
    }
}

/// `principals { type, identifiers }` blocks, grouped by type as the provider does; a block
/// of type `*` renders as `"Principal": "*"`.
fn principals(text: &str, blocks: &[Node<'_>]) -> Value<'static> {
    let span = blocks[0].span();
    let mut by_type: Vec<Member<'static>> = Vec::new();
    for &block in blocks {
        let Some((_, e)) = block.attr("type") else {
            continue;
        };
        let kind = to_value(text, e, 3);
        let key_span = kind.span;
        let Kind::String(kind) = kind.kind else {
            continue;
        };
        let identifiers = items(text, block, "identifiers");
        if kind == "*" {
            let at = identifiers.first().map_or(key_span, |v| v.span);
            return string("*", at);
        }
        match by_type.iter_mut().find(|m| m.key == kind) {
            Some(m) => {
                if let Kind::Array(list) = &mut m.value.kind {
                    list.extend(identifiers);
                }
            }
            None => {
                let list_span = block
                    .attr("identifiers")
                    .map_or(key_span, |(_, e)| span_of(e, key_span));
                by_type.push(member(
                    &kind,
                    key_span,
                    Value {
                        kind: Kind::Array(identifiers),
                        span: list_span,
                    },
                ));
            }
        }
    }
    Value {
        kind: Kind::Object(by_type),
        span,
    }
}

/// `condition { test, variable, values }` blocks as `{test: {variable: values}}`, merging
/// blocks with the same test (and values of the same variable), as the provider does.
fn condition(text: &str, blocks: &[Node<'_>]) -> Value<'static> {
    let span = blocks[0].span();
    let mut tests: Vec<Member<'static>> = Vec::new();
    for &block in blocks {
        let (Some((_, test)), Some((_, variable))) = (block.attr("test"), block.attr("variable"))
        else {
            continue;
        };
        let test = to_value(text, test, 3);
        let variable = to_value(text, variable, 3);
        let (Kind::String(test_name), Kind::String(variable_name)) = (&test.kind, &variable.kind)
        else {
            continue;
        };
        let values = items(text, block, "values");
        let values_span = block
            .attr("values")
            .map_or(variable.span, |(_, e)| span_of(e, span));
        let index = match tests.iter().position(|m| m.key == *test_name) {
            Some(i) => i,
            None => {
                tests.push(member(
                    test_name,
                    test.span,
                    Value {
                        kind: Kind::Object(Vec::new()),
                        span: block.span(),
                    },
                ));
                tests.len() - 1
            }
        };
        let Kind::Object(keys) = &mut tests[index].value.kind else {
            continue;
        };
        match keys.iter_mut().find(|m| m.key == *variable_name) {
            Some(m) => {
                if let Kind::Array(list) = &mut m.value.kind {
                    list.extend(values);
                }
            }
            None => keys.push(member(
                variable_name,
                variable.span,
                Value {
                    kind: Kind::Array(values),
                    span: values_span,
                },
            )),
        }
    }
    Value {
        kind: Kind::Object(tests),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(source: &str) -> (String, Value<'static>) {
        let text = source.to_string();
        let body = hcl_edit::parser::parse_body(&text).expect("valid HCL");
        let block = body.blocks().next().expect("a block");
        let v = to_policy(&text, block);
        (text, v)
    }

    /// The rendered policy as compact JSON text, for comparing shapes.
    fn render(v: &Value) -> String {
        match &v.kind {
            Kind::Null => "null".into(),
            Kind::Bool(b) => b.to_string(),
            Kind::Number(n) => n.to_string(),
            Kind::String(s) => format!("{s:?}"),
            Kind::Array(items) => {
                format!(
                    "[{}]",
                    items.iter().map(render).collect::<Vec<_>>().join(",")
                )
            }
            Kind::Object(ms) => format!(
                "{{{}}}",
                ms.iter()
                    .map(|m| format!("{:?}:{}", m.key, render(&m.value)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    #[test]
    fn renders_statements_like_the_provider() {
        let (text, v) = policy(
            r#"data "aws_iam_policy_document" "x" {
  statement {
    sid     = "Read"
    actions = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/$${aws:username}/*", aws_s3_bucket.b.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = [var.account]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["ml"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["ops"]
    }
  }
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}
"#,
        );
        assert_eq!(
            render(&v),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","${var.account}"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/${aws:username}/*","${aws_s3_bucket.b.arn}"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":["ml","ops"]}}},{"Effect":"Deny","NotAction":["iam:*"],"Resource":["*"]}]}"#
        );
        let st = &v.get("Statement").map(|s| &s.kind);
        let Some(Kind::Array(st)) = st else {
            panic!("statements")
        };
        // The implied Effect spans the `statement` keyword; written values span themselves.
        assert_eq!(
            &text[st[0].get("Effect").expect("Effect").span.range()],
            "statement"
        );
        assert_eq!(
            &text[st[1].get("Effect").expect("Effect").span.range()],
            "\"Deny\""
        );
        let cond = st[0]
            .get("Condition")
            .and_then(|c| c.get("StringEquals"))
            .expect("cond");
        assert_eq!(
            &text[cond.as_object().expect("keys")[0].key_span.range()],
            "\"aws:PrincipalTag/team\""
        );
    }

    #[test]
    fn star_principal_dynamic_blocks_and_merged_documents() {
        let (_, v) = policy(
            r#"data "aws_iam_policy_document" "x" {
  version                 = "2012-10-17"
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  dynamic "statement" {
    for_each = var.buckets
    content {
      actions   = statement.value.actions
      resources = ["arn:aws:s3:::${statement.value.name}"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }
}
"#,
        );
        assert_eq!(
            render(&v),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"${statement.value.actions}","Resource":["arn:aws:s3:::${statement.value.name}"]},"${data.aws_iam_policy_document.base.json}"]}"#
        );
    }

    #[test]
    fn legacy_statement_lists() {
        let (_, v) = policy(
            r#"data "aws_iam_policy_document" "x" {
  statement = [{
    actions   = ["*"]
    resources = ["*"]
  }]
}
"#,
        );
        assert_eq!(
            render(&v),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*"],"Resource":["*"]}]}"#
        );
    }
}
