//! Terraform configurations (`*.tf`): the policies in AWS provider resources and in
//! `data "aws_iam_policy_document"` blocks, each brought to our JSON tree with spans into the
//! `.tf` file.
//!
//! HCL is parsed with `hcl-edit`, which keeps the byte span of every expression and bounds
//! its own nesting depth. A policy may be written four ways:
//! - `jsonencode({...})`: the HCL object is converted value by value ([`expr`]);
//! - a heredoc or a quoted string holding JSON: the text is rebuilt with a map back to the
//!   source and parsed with our JSON parser ([`embedded`]);
//! - `data.aws_iam_policy_document.X.json`: the data block `X` is linted once on its own
//!   ([`policy_document`]) and each resource that refers to it adds its kind and IAM
//!   entities to it, so it is not linted twice;
//! - anything else (`var.policy`, `file(...)`, `templatefile(...)`): unknown, not linted.

mod embedded;
mod expr;
mod links;
pub mod plan;
mod policy_document;
mod resources;

use super::{Document, Failure, Origin, Tree};
use crate::model::PolicyKind;

use crate::span::Span;
use crate::text::child_key;
use embedded::{Escapes, Outcome};
use expr::span_of;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use links::Links;
use resources::{MODULE_POLICY_ARGS, POLICY_ATTRS};
use std::collections::BTreeMap;

/// The rule of a file that does not parse as HCL.
const INVALID_TEMPLATE: &str = crate::rules::invalid_template::ID;

/// How the policies of a file were written, for measuring front-end coverage.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Forms {
    pub jsonencode: usize,
    pub heredoc: usize,
    pub string: usize,
    /// `data "aws_iam_policy_document"` blocks, each linted once.
    pub data_source: usize,
    /// Attributes referring to such a block.
    pub reference: usize,
    /// Policies given some other way (a variable, `file()`), or as text that is only known
    /// at apply time (a template with `%{...}` directives, or `${...}` spliced into the JSON
    /// syntax): not linted.
    pub unknown: usize,
    /// Policy text that is not valid JSON: reported, not linted.
    pub invalid: usize,
}

/// Everything found in one `.tf` file.
#[derive(Debug, Default)]
pub struct Scan {
    pub documents: Vec<Document<'static>>,
    /// Policies that are present but broken (a heredoc that is not valid JSON).
    pub problems: Vec<Failure>,
    pub forms: Forms,
}

pub fn parse(text: &str) -> Result<(Vec<Document<'static>>, Vec<Failure>), Failure> {
    scan(text).map(|s| (s.documents, s.problems))
}

/// Parses a `.tf` file and finds its policies.
pub fn scan(text: &str) -> Result<Scan, Failure> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| syntax_error(text, &e))?;
    let mut cx = Scanner {
        text,
        links: Links::collect(&body),
        references: BTreeMap::new(),
        scan: Scan::default(),
    };
    for block in body.blocks() {
        match (block.ident.as_str(), labels(block).as_slice()) {
            ("resource", [kind, name]) => cx.resource(block, kind, name),
            ("module", [name]) => cx.module(block, name),
            ("locals", []) => cx.locals(block),
            _ => {}
        }
    }
    for block in body.blocks() {
        if let ("data", ["aws_iam_policy_document", name]) =
            (block.ident.as_str(), labels(block).as_slice())
        {
            cx.data_document(block, name);
        }
    }
    Ok(cx.scan)
}

/// Does unparsable HCL look like it meant to define a policy?
pub fn mentions_policy(text: &str) -> bool {
    text.contains("aws_iam") || text.contains("policy")
}

pub(crate) fn labels(block: &Block) -> Vec<&str> {
    block.labels.iter().map(|l| l.as_str()).collect()
}

fn syntax_error(text: &str, e: &hcl_edit::parser::Error) -> Failure {
    // hcl-edit clamps the offset to the last byte, which may sit inside a character.
    let mut at = e.location().offset().min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Failure {
        rule: INVALID_TEMPLATE,
        span: Span::new(at, end),
        message: format!("invalid HCL: {}", e.message()),
    }
}

/// What the resources referring to a policy document data block say about it.
#[derive(Default)]
struct Reference {
    kinds: Vec<PolicyKind>,
    units: Vec<String>,
}

struct Scanner<'t> {
    text: &'t str,
    links: Links,
    references: BTreeMap<String, Reference>,
    scan: Scan,
}

/// One policy attribute found in the file.
struct Site<'a> {
    value: &'a Expression,
    /// The attribute's key, where findings about the document as a whole go.
    key_span: Span,
    pointer: String,
    kind: PolicyKind,
    units: Vec<String>,
}

impl Scanner<'_> {
    fn resource(&mut self, block: &Block, kind: &str, name: &str) {
        let address = format!("{kind}.{name}");
        let base = child_key(&child_key("/resource", kind), name);
        for pa in POLICY_ATTRS.iter().filter(|p| p.resource == kind) {
            let Some(a) = block.body.get_attribute(pa.attr) else {
                continue;
            };
            let units = match (kind, pa.entity) {
                ("aws_iam_role", _) => vec![address.clone()],
                ("aws_iam_policy", _) => self
                    .links
                    .attached
                    .get(&address)
                    .cloned()
                    .unwrap_or_default(),
                (_, Some((attr, entity))) => block
                    .body
                    .get_attribute(attr)
                    .and_then(|e| self.links.entity(&e.value, entity))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            self.site(Site {
                value: &a.value,
                key_span: span_of(&a.key, Span::default()),
                pointer: child_key(&base, pa.attr).into(),
                kind: pa.kind,
                units,
            });
        }
        if kind == "aws_iam_role" {
            let inline = block.body.get_blocks("inline_policy");
            for (i, b) in inline.enumerate() {
                let Some(a) = b.body.get_attribute("policy") else {
                    continue;
                };
                self.site(Site {
                    value: &a.value,
                    key_span: span_of(&a.key, Span::default()),
                    pointer: child_key(
                        &crate::text::child_index(&child_key(&base, "inline_policy"), i),
                        "policy",
                    )
                    .into(),
                    kind: PolicyKind::Unknown,
                    units: vec![address.clone()],
                });
            }
        }
    }

    /// Module arguments that hold a policy; only visible policies count (see
    /// [`MODULE_POLICY_ARGS`]), and references to data blocks say nothing about the module.
    fn module(&mut self, block: &Block, name: &str) {
        let base = child_key("/module", name);
        for arg in MODULE_POLICY_ARGS {
            let Some(a) = block.body.get_attribute(arg) else {
                continue;
            };
            if resources::policy_document_ref(&a.value).is_some() {
                continue;
            }
            self.visible_policy(Site {
                value: &a.value,
                key_span: span_of(&a.key, Span::default()),
                pointer: child_key(&base, arg).into(),
                kind: if arg.contains("assume") || arg.contains("trust") {
                    PolicyKind::Trust
                } else {
                    PolicyKind::Unknown
                },
                units: Vec::new(),
            });
        }
    }

    /// Policies written into `locals` (often a map of roles to their policies, used with
    /// `for_each`): every `jsonencode({...})` or heredoc in a local value that is visibly a
    /// policy, at `/locals/<name>/<path>`. Which entity uses it is not known here.
    fn locals(&mut self, block: &Block) {
        for attr in block.body.attributes() {
            let pointer = child_key("/locals", attr.key.as_str());
            self.encoded_policies(
                &attr.value,
                pointer.into(),
                span_of(&attr.key, Span::default()),
                0,
            );
        }
    }

    fn encoded_policies(&mut self, e: &Expression, pointer: String, key_span: Span, depth: usize) {
        if depth >= crate::parse::json::MAX_DEPTH {
            return;
        }
        match e {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                self.visible_policy(Site {
                    value: e,
                    key_span,
                    pointer,
                    kind: PolicyKind::Unknown,
                    units: Vec::new(),
                });
            }
            Expression::HeredocTemplate(_) => self.visible_policy(Site {
                value: e,
                key_span,
                pointer,
                kind: PolicyKind::Unknown,
                units: Vec::new(),
            }),
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    let name = match key {
                        hcl_edit::expr::ObjectKey::Ident(i) => i.value().to_string(),
                        hcl_edit::expr::ObjectKey::Expression(k) => match k.as_str() {
                            Some(s) => s.to_string(),
                            None => continue,
                        },
                    };
                    let span = span_of(key, key_span);
                    self.encoded_policies(
                        value.expr(),
                        child_key(&pointer, &name).into(),
                        span,
                        depth + 1,
                    );
                }
            }
            Expression::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let p = crate::text::child_index(&pointer, i);
                    self.encoded_policies(item, p.into(), key_span, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Lints `site` only when it turns out to be a policy (a JSON object with `Statement`):
    /// for values whose attribute name says nothing (module inputs, locals).
    fn visible_policy(&mut self, site: Site<'_>) {
        let before = self.scan.documents.len();
        let forms = self.scan.forms;
        let problems = self.scan.problems.len();
        self.site(site);
        let is_policy = self
            .scan
            .documents
            .get(before)
            .is_some_and(|d| d.value.get("Statement").is_some());
        if !is_policy {
            self.scan.documents.truncate(before);
            self.scan.problems.truncate(problems);
            self.scan.forms = forms;
        }
    }

    fn site(&mut self, site: Site<'_>) {
        if let Some(name) = resources::policy_document_ref(site.value) {
            self.scan.forms.reference += 1;
            let r = self.references.entry(name.to_string()).or_default();
            r.kinds.push(site.kind);
            r.units.extend(site.units);
            return;
        }
        let text = self.text;
        let problems = &mut self.scan.problems;
        let (form, outcome) = match site.value {
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode"
                    && call.name.namespace.is_empty()
                    && call.args.len() == 1 =>
            {
                match call.args.iter().next() {
                    Some(arg @ Expression::Object(_)) => (
                        Form::Jsonencode,
                        Outcome::Linted(expr::to_value(text, arg, 0)),
                    ),
                    _ => (Form::Jsonencode, Outcome::Unknown),
                }
            }
            Expression::HeredocTemplate(h) => {
                let span = span_of(site.value, site.key_span);
                let outcome =
                    embedded::template(text, problems, &h.template, Escapes::Heredoc, span);
                (Form::Heredoc, outcome)
            }
            Expression::String(_) | Expression::StringTemplate(_) => (
                Form::String,
                embedded::quoted(text, problems, site.value, site.key_span),
            ),
            _ => (Form::Jsonencode, Outcome::Unknown),
        };
        let forms = &mut self.scan.forms;
        let value = match outcome {
            Outcome::Linted(value) => {
                match form {
                    Form::Jsonencode => forms.jsonencode += 1,
                    Form::Heredoc => forms.heredoc += 1,
                    Form::String => forms.string += 1,
                }
                value
            }
            Outcome::Unknown => {
                forms.unknown += 1;
                return;
            }
            Outcome::Invalid => {
                forms.invalid += 1;
                return;
            }
        };
        self.scan.documents.push(Document {
            value: Tree::Owned(value),
            pointer: site.pointer,
            bare_statement: false,
            kind: site.kind,
            origin: Origin::Terraform,
            units: sorted(site.units),
        });
    }

    fn data_document(&mut self, block: &Block, name: &str) {
        self.scan.forms.data_source += 1;
        let reference = self.references.remove(name).unwrap_or_default();
        // Used as one kind of policy only (a trust policy, a bucket policy): that kind.
        let kind = match reference.kinds.split_first() {
            Some((first, rest)) if rest.iter().all(|k| k == first) => *first,
            _ => PolicyKind::Unknown,
        };
        self.scan.documents.push(Document {
            value: Tree::Owned(policy_document::to_policy(self.text, block)),
            pointer: child_key("/data/aws_iam_policy_document", name).into(),
            bare_statement: false,
            kind,
            origin: Origin::Terraform,
            units: sorted(reference.units),
        });
    }
}

/// How a policy attribute's value was written.
enum Form {
    Jsonencode,
    Heredoc,
    String,
}

fn sorted(mut units: Vec<String>) -> Vec<String> {
    units.sort();
    units.dedup();
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `scan` on a thread with the stack a rayon worker gets, as the linter does.
    fn scan_on_worker_stack(text: String) -> Result<Scan, Failure> {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || scan(&text))
            .expect("spawn")
            .join()
            .expect("no stack overflow or panic")
    }

    #[test]
    fn deep_nesting_and_long_chains_are_errors_not_crashes() {
        let n = 100_000;
        let policy = |inner: &str| {
            format!("resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({inner})\n}}\n")
        };
        for text in [
            format!("x = {}", "[".repeat(n)),
            format!("x = {}", "{a = ".repeat(n)),
            format!("x = {}", "(".repeat(n)),
            format!("x = 1{}", " + 1".repeat(n)),
            format!("x = {}", "\"${".repeat(n)),
            "a {\n".repeat(n),
            policy(&"[".repeat(n)),
            policy(&format!("{{a = {}}}", "!".repeat(n))),
        ] {
            let e = scan_on_worker_stack(text.clone()).expect_err("too deep");
            assert_eq!(e.rule, INVALID_TEMPLATE);
            assert!(text.is_char_boundary(e.span.start) && e.span.end <= text.len());
        }
    }

    #[test]
    fn nesting_within_the_limit_converts() {
        let depth = 60;
        let inner = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let text = format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = {inner} }})\n}}\n"
        );
        let scan = scan_on_worker_stack(text).expect("parses");
        assert_eq!(scan.documents.len(), 1);
    }

    #[test]
    fn syntax_errors_point_at_the_error() {
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ a = })\n}\n";
        let e = scan(text).expect_err("invalid");
        assert_eq!(e.rule, INVALID_TEMPLATE);
        assert_eq!(&text[e.span.range()], "}");
        // An error at the very end of a file ending in a multi-byte character.
        let text = "x = \"é";
        let e = scan(text).expect_err("unterminated");
        assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
    }
}
