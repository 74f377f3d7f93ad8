//! HCL expressions as JSON values: what `jsonencode({...})` would produce, with the span of
//! every HCL value, and `${...}` references for everything only known at apply time.

use crate::parse::json::{Kind, MAX_DEPTH, Member, Text, Value};
use crate::span::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::{Element, Template};

/// The byte span of anything hcl-edit parsed, or `fallback` for a value it built itself.
pub fn span_of(node: &impl hcl_edit::Span, fallback: Span) -> Span {
    node.span().map_or(fallback, |r| Span::new(r.start, r.end))
}

/// The text `${...}` that stands for the value of the expression written at `span`: the
/// expression's own text, with white space runs collapsed and the characters that would end
/// the reference early or break the JSON string around it (`{`, `}`, `"`, `\`) replaced, so
/// `model::variables` sees exactly one template reference.
pub fn reference(text: &str, span: Span) -> String {
    let source = text.get(span.range()).unwrap_or("");
    let mut out = String::with_capacity(source.len() + 3);
    out.push_str("${");
    let mut space = false;
    for c in source.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        out.push(match c {
            '{' => '(',
            '}' => ')',
            '"' => '\'',
            '\\' => '/',
            c => c,
        });
    }
    out.push('}');
    out
}

/// Converts an HCL expression to the JSON value `jsonencode` would give it. Values that are
/// only known at apply time (references, function calls, conditionals, `for` expressions)
/// become the string `${expression}` spanning the expression.
pub fn to_value(text: &str, expr: &Expression, depth: usize) -> Value<'static> {
    let span = span_of(expr, Span::default());
    let kind = match expr {
        Expression::Null(_) => Kind::Null,
        Expression::Bool(b) => Kind::Bool(*b.value()),
        Expression::Number(n) => Kind::Number(number_text(text, span, &n.to_string()).into()),
        Expression::String(s) => Kind::String(Text::owned(s.value().as_str())),
        Expression::StringTemplate(t) => Kind::String(template_text(text, t, span).into()),
        Expression::HeredocTemplate(h) => {
            Kind::String(template_text(text, &h.template, span).into())
        }
        Expression::Parenthesis(p) => return to_value(text, p.inner(), depth),
        // `concat([...], var.more)`: the written items are known, each other argument adds
        // unknown items, written as one reference each.
        Expression::FuncCall(call)
            if depth < MAX_DEPTH
                && call.name.namespace.is_empty()
                && call.name.name.as_str() == "concat"
                && !call.args.expand_final() =>
        {
            let mut items = Vec::new();
            for arg in call.args.iter() {
                match to_value(text, arg, depth + 1) {
                    Value {
                        kind: Kind::Array(list),
                        ..
                    } => items.extend(list),
                    other => items.push(other),
                }
            }
            Kind::Array(items)
        }
        Expression::Array(items) if depth < MAX_DEPTH => Kind::Array(
            items
                .iter()
                .map(|item| to_value(text, item, depth + 1))
                .collect(),
        ),
        Expression::Object(object) if depth < MAX_DEPTH => Kind::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let key_span = span_of(key, span);
                    let key = match key {
                        ObjectKey::Ident(ident) => Text::owned(ident.value().as_str()),
                        ObjectKey::Expression(e) => match to_value(text, e, depth + 1).kind {
                            Kind::String(s) => s,
                            _ => reference(text, key_span).into(),
                        },
                    };
                    Member {
                        key,
                        key_span,
                        value: to_value(text, value.expr(), depth + 1),
                    }
                })
                .collect(),
        ),
        _ => Kind::String(reference(text, span).into()),
    };
    Value { kind, span }
}

/// A number as JSON text: HCL's literal when JSON can read it, else its value.
fn number_text(text: &str, span: Span, value: &str) -> String {
    let literal = text.get(span.range()).unwrap_or("");
    if crate::parse::json::parse(literal).is_ok_and(|v| matches!(v.kind, Kind::Number(_))) {
        literal.to_string()
    } else {
        value.to_string()
    }
}

/// The string a template renders to, with every interpolation as a `${...}` reference. A
/// directive (`%{ if }`, `%{ for }`) is one unknown reference too.
fn template_text(text: &str, template: &Template, span: Span) -> String {
    let mut out = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(l) => out.push_str(l.value()),
            Element::Interpolation(i) => out.push_str(&reference(text, span_of(&i.expr, span))),
            Element::Directive(d) => out.push_str(&reference(text, span_of(d.as_ref(), span))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(source: &str) -> (String, Value<'static>) {
        let text = format!("x = {source}\n");
        let body = hcl_edit::parser::parse_body(&text).expect("valid HCL");
        let attr = body.get_attribute("x").expect("x");
        let v = to_value(&text, &attr.value, 0);
        (text, v)
    }

    #[test]
    fn objects_keep_keys_as_written_and_spans_of_values() {
        let (text, v) = convert(
            r#"{ Version = "2012-10-17", "Statement" = [{ Effect = "Allow", n = 3600 }] }"#,
        );
        let members = v.as_object().expect("object");
        assert_eq!(members[0].key, "Version");
        assert_eq!(&text[members[0].key_span.range()], "Version");
        assert_eq!(&text[members[1].key_span.range()], "\"Statement\"");
        let Kind::Array(statements) = &members[1].value.kind else {
            panic!("array")
        };
        let effect = statements[0].get("Effect").expect("Effect");
        assert_eq!(effect.as_str(), Some("Allow"));
        assert_eq!(&text[effect.span.range()], "\"Allow\"");
        assert_eq!(
            statements[0].get("n").map(|n| &n.kind),
            Some(&Kind::Number("3600".into()))
        );
    }

    #[test]
    fn references_are_unknowns_and_policy_variables_are_unescaped() {
        let (text, v) = convert(
            r#"["arn:aws:s3:::${var.bucket}/$${aws:username}/*", aws_s3_bucket.b.arn, "${data.x.arn}", coalesce(local.a, ["b"]), "\u00e9\n"]"#,
        );
        let Kind::Array(items) = &v.kind else {
            panic!("array")
        };
        let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        assert_eq!(
            strings,
            [
                "arn:aws:s3:::${var.bucket}/${aws:username}/*",
                "${aws_s3_bucket.b.arn}",
                "${data.x.arn}",
                "${coalesce(local.a, ['b'])}",
                "é\n",
            ]
        );
        assert_eq!(&text[items[1].span.range()], "aws_s3_bucket.b.arn");
        assert_eq!(
            &text[items[0].span.range()],
            r#""arn:aws:s3:::${var.bucket}/$${aws:username}/*""#
        );
    }

    #[test]
    fn reference_text_cannot_end_early() {
        let (_, v) = convert(r#"{ a = lookup({ k = "v" }, "k") }"#);
        assert_eq!(
            v.get("a").and_then(Value::as_str),
            Some("${lookup(( k = 'v' ), 'k')}")
        );
    }

    #[test]
    fn concat_keeps_the_written_items() {
        let (_, v) = convert(r#"concat(["s3:GetObject"], var.more, ["s3:PutObject"])"#);
        let Kind::Array(items) = &v.kind else {
            panic!("array")
        };
        let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        assert_eq!(strings, ["s3:GetObject", "${var.more}", "s3:PutObject"]);
        let (_, v) = convert("concat(var.lists...)");
        assert_eq!(v.as_str(), Some("${concat(var.lists...)}"));
    }

    #[test]
    fn expression_keys_and_literals() {
        let (_, v) = convert(r#"{ (var.k) = null, "aws:SourceVpc" = true, "${var.p}:x" = 1.5 }"#);
        let keys: Vec<&str> = v
            .as_object()
            .expect("object")
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["${var.k}", "aws:SourceVpc", "${var.p}:x"]);
    }
}
