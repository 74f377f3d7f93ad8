//! Front ends: from a file's text to the policy documents inside it.
//!
//! Every format (plain JSON, CloudFormation in JSON or YAML, Terraform) is brought to the same
//! span-keeping JSON tree, with spans pointing into the original file, so the model and every
//! rule work unchanged and findings land on the template line that wrote the value.
//!
//! Values a template computes at deploy time (`!Ref Bucket`, `${var.account}`) are written into
//! strings as `${...}` references, which the model treats as unknowns (see
//! [`crate::model::variables`]), never as literal text.

pub mod account;
pub mod cloudformation;
pub mod intrinsics;
pub mod terraform;
pub mod text_map;
pub mod yaml;

use crate::finding::Finding;
use crate::model::{PolicyKind, locate};
use crate::parse::json::{self, Value};
use crate::span::{LineIndex, Span};

/// Where a document was written; decides which `${...}` references are legitimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A policy file, or an AWS CLI / SDK wrapper around one.
    Json,
    /// A CloudFormation or SAM template (JSON or YAML).
    CloudFormation,
    /// A Terraform configuration or plan.
    Terraform,
}

/// One policy document found in a file.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub value: Tree<'a>,
    /// JSON pointer of the document within the file (or within the template's structure).
    pub pointer: String,
    /// A lone statement object written where a policy was expected.
    pub bare_statement: bool,
    pub kind: PolicyKind,
    pub origin: Origin,
    /// The IAM entities (role, user, group) the document is attached to, by their name in the
    /// file, so the policies that act together can be judged together. Empty when unknown.
    pub units: Vec<String>,
}

impl Document<'_> {
    /// The same document, no longer borrowing the file's tree or text.
    pub fn into_owned(self) -> Document<'static> {
        Document {
            value: Tree::Owned(match self.value {
                Tree::Borrowed(v) => v.clone().into_owned(),
                Tree::Owned(v) => v.into_owned(),
            }),
            pointer: self.pointer,
            bare_statement: self.bare_statement,
            kind: self.kind,
            origin: self.origin,
            units: self.units,
        }
    }
}

/// A document's tree: borrowed from the parsed file, or built by a front end. Not a `Cow`: a
/// `Cow` of a tree would bind the tree's own lifetime invariantly, and a document borrowed
/// for a while could not stand for one that borrows the source for longer.
#[derive(Debug, Clone)]
pub enum Tree<'a> {
    Borrowed(&'a Value<'a>),
    Owned(Value<'a>),
}

impl<'a> std::ops::Deref for Tree<'a> {
    type Target = Value<'a>;

    fn deref(&self) -> &Value<'a> {
        match self {
            Self::Borrowed(v) => v,
            Self::Owned(v) => v,
        }
    }
}

impl<'a> AsRef<Value<'a>> for Tree<'a> {
    fn as_ref(&self) -> &Value<'a> {
        self
    }
}

/// How a file is read, from its name (and, for `.template`, its first byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Terraform,
}

impl Format {
    /// The format of a file with this name, or `None` when mlpolicy does not read such files.
    pub fn of_path(path: &str) -> Option<Self> {
        // The extension is what follows the name's last dot: look back from the end for it,
        // a few bytes, rather than splitting the whole path at its separators first.
        let dot = path
            .bytes()
            .rposition(|b| matches!(b, b'.' | b'/' | b'\\'))?;
        if path.as_bytes()[dot] != b'.' {
            return None;
        }
        let ext = &path[dot + 1..];
        // Every file the walk meets comes here: compare without making a lowercase copy.
        let is = |known: &str| ext.eq_ignore_ascii_case(known);
        if is("json") {
            Some(Self::Json)
        } else if is("yaml") || is("yml") {
            Some(Self::Yaml)
        } else if is("template") {
            // CloudFormation's own extension holds either JSON or YAML; `sniff` decides.
            Some(Self::Yaml)
        } else if is("tf") {
            Some(Self::Terraform)
        } else {
            None
        }
    }

    /// The rule that reports a file of this format that cannot be read or parsed.
    pub fn syntax_rule(self) -> &'static str {
        match self {
            Self::Json => crate::rules::invalid_json::ID,
            Self::Yaml | Self::Terraform => crate::rules::invalid_template::ID,
        }
    }

    /// The format to parse `text` with: `.template` files and stdin that start with `{` are
    /// JSON, which gets the stricter parser and its better messages.
    pub fn sniff(path: &str, text: &str) -> Self {
        let first = text.trim_start().bytes().next();
        let template = path
            .len()
            .checked_sub(".template".len())
            .and_then(|at| path.get(at..))
            .is_some_and(|end| end.eq_ignore_ascii_case(".template"));
        match Self::of_path(path) {
            // A `.yaml` file is YAML even in flow style (`{a: 1}` is no JSON).
            Some(Self::Yaml) if template && first == Some(b'{') => Self::Json,
            Some(f) => f,
            None => Self::Json,
        }
    }
}

/// A parsed file, ready to give up its documents.
#[derive(Debug)]
pub enum Parsed<'s> {
    /// A JSON or YAML tree: a policy, a wrapper around one, or a CloudFormation template.
    Tree(Value<'s>),
    /// A YAML stream of several documents, each read like a `Tree`. The pointers of documents
    /// found in the second and later ones start with `/<index of the YAML document>`.
    Stream(Vec<Value<'s>>),
    /// Documents a front end built on its own (Terraform, plans), and the policies it found
    /// but could not read (a heredoc that is not valid JSON), each reported as a finding.
    Documents(Vec<Document<'s>>, Vec<Failure>),
}

impl Parsed<'_> {
    /// The same parse, no longer borrowing the file's text: for a tree kept beyond the text.
    pub fn into_owned(self) -> Parsed<'static> {
        match self {
            Self::Tree(v) => Parsed::Tree(v.into_owned()),
            Self::Stream(vs) => Parsed::Stream(vs.into_iter().map(Value::into_owned).collect()),
            Self::Documents(docs, failures) => Parsed::Documents(
                docs.into_iter().map(Document::into_owned).collect(),
                failures,
            ),
        }
    }
}

/// A file that could not be parsed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `invalid-json` for JSON; `invalid-template` for YAML and HCL.
    pub rule: &'static str,
    pub span: Span,
    pub message: String,
}

impl Failure {
    /// The finding that reports this failure at its position.
    pub fn finding(self) -> Finding {
        Finding::new(
            self.rule,
            crate::finding::Severity::Error,
            self.span,
            "",
            self.message,
        )
        .help("fix the syntax; `mlpolicy` lints only what parses")
    }
}

impl From<json::SyntaxError> for Failure {
    fn from(e: json::SyntaxError) -> Self {
        Self {
            rule: crate::rules::invalid_json::ID,
            span: e.span,
            message: e.message,
        }
    }
}

pub fn parse(format: Format, text: &str) -> Result<Parsed<'_>, Failure> {
    parse_indexed(format, text).map(|(parsed, _)| parsed)
}

/// [`parse`], and for JSON the index of the text's lines, which the parser finds on the way.
pub fn parse_indexed(
    format: Format,
    text: &str,
) -> Result<(Parsed<'_>, Option<LineIndex>), Failure> {
    match format {
        Format::Json => {
            let (root, lines) = json::parse_indexed(text)?;
            // A plan's policies are JSON strings inside the JSON: mapping their spans back
            // needs the text, so plans are taken apart here rather than in `contents`.
            if terraform::plan::is_plan(&root) {
                let (documents, problems) = terraform::plan::documents(text, &root);
                return Ok((Parsed::Documents(documents, problems), Some(lines)));
            }
            Ok((Parsed::Tree(root), Some(lines)))
        }
        Format::Yaml => cloudformation::parse_yaml(text).map(|mut docs| {
            let parsed = if docs.len() == 1 {
                Parsed::Tree(docs.remove(0))
            } else if docs.is_empty() {
                Parsed::Tree(Value {
                    kind: json::Kind::Null,
                    span: Span::new(0, 0),
                })
            } else {
                Parsed::Stream(docs)
            };
            (parsed, None)
        }),
        Format::Terraform => terraform::parse(text).map(|(d, p)| (Parsed::Documents(d, p), None)),
    }
}

/// What a file holds.
#[derive(Debug)]
pub enum Contents<'a> {
    Documents(Vec<Document<'a>>),
    /// A template or configuration that holds no policy: nothing to lint, nothing wrong.
    NoPolicies,
    /// JSON or YAML that is neither a policy nor a template.
    NotPolicy,
}

/// The documents in a parsed file, and the problems its front end found building them
/// (malformed intrinsics, template references outside `Fn::Sub`). `text` is the file's text.
pub fn contents<'a>(parsed: &'a Parsed, text: &'a str) -> (Contents<'a>, Vec<Finding>) {
    match parsed {
        Parsed::Documents(docs, problems) => {
            let contents = if docs.is_empty() {
                Contents::NoPolicies
            } else {
                Contents::Documents(
                    docs.iter()
                        .map(|d| Document {
                            value: Tree::Borrowed(d.value.as_ref()),
                            ..d.clone_meta()
                        })
                        .collect(),
                )
            };
            (
                contents,
                problems.iter().cloned().map(Failure::finding).collect(),
            )
        }
        Parsed::Tree(root) => tree_contents(root, text),
        Parsed::Stream(roots) => {
            let mut documents = Vec::new();
            let mut findings = Vec::new();
            let mut any_template = false;
            for (i, root) in roots.iter().enumerate() {
                let (contents, found) = tree_contents(root, text);
                findings.extend(found);
                match contents {
                    Contents::Documents(docs) => {
                        documents.extend(docs.into_iter().map(|mut d| {
                            if i > 0 {
                                d.pointer = format!("/{i}{}", d.pointer);
                            }
                            d
                        }));
                    }
                    Contents::NoPolicies => any_template = true,
                    Contents::NotPolicy => {}
                }
            }
            let contents = if !documents.is_empty() {
                Contents::Documents(documents)
            } else if any_template || !findings.is_empty() {
                Contents::NoPolicies
            } else {
                Contents::NotPolicy
            };
            (contents, findings)
        }
    }
}

fn tree_contents<'a>(root: &'a Value, text: &'a str) -> (Contents<'a>, Vec<Finding>) {
    if account::is_account_details(root) {
        let docs = account::documents(root);
        let contents = if docs.is_empty() {
            Contents::NoPolicies
        } else {
            Contents::Documents(docs)
        };
        return (contents, Vec::new());
    }
    if cloudformation::is_template(root) {
        let (docs, findings) = cloudformation::documents(root, text);
        let contents = if docs.is_empty() {
            Contents::NoPolicies
        } else {
            Contents::Documents(docs)
        };
        return (contents, findings);
    }
    let docs: Vec<Document<'_>> = locate::candidates(root)
        .into_iter()
        .map(|c| Document {
            value: Tree::Borrowed(c.value),
            pointer: c.pointer,
            bare_statement: c.bare_statement,
            kind: c.kind,
            origin: Origin::Json,
            units: Vec::new(),
        })
        .collect();
    let contents = if docs.is_empty() {
        Contents::NotPolicy
    } else {
        Contents::Documents(docs)
    };
    (contents, Vec::new())
}

impl Document<'_> {
    /// Everything but the value, for re-borrowing an owned document.
    fn clone_meta(&self) -> Document<'static> {
        Document {
            value: Tree::Owned(Value {
                kind: json::Kind::Null,
                span: self.value.span,
            }),
            pointer: self.pointer.clone(),
            bare_statement: self.bare_statement,
            kind: self.kind,
            origin: self.origin,
            units: self.units.clone(),
        }
    }
}

/// Is a file that failed to parse worth reporting when it was only found by walking a tree?
/// Only when it looks like it meant to hold a policy; a broken unrelated file is not ours.
pub fn mentions_policy(format: Format, text: &str) -> bool {
    match format {
        Format::Json => text.contains("\"Statement\""),
        Format::Yaml => cloudformation::mentions_template(text),
        Format::Terraform => terraform::mentions_policy(text),
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn formats_by_name_and_first_byte() {
        assert_eq!(Format::of_path("a/b.JSON"), Some(Format::Json));
        assert_eq!(Format::of_path("t.yml"), Some(Format::Yaml));
        assert_eq!(Format::of_path("main.tf"), Some(Format::Terraform));
        assert_eq!(Format::of_path("README.md"), None);
        assert_eq!(Format::of_path("noext"), None);
        // The extension is the name's: a dot in a folder's name does not count.
        assert_eq!(Format::of_path("v1.json/noext"), None);
        assert_eq!(Format::of_path("dir.tf\\noext"), None);
        assert_eq!(Format::of_path("a.b/c.d.yaml"), Some(Format::Yaml));
        assert_eq!(Format::of_path("win\\x.tf"), Some(Format::Terraform));
        assert_eq!(Format::of_path(".json"), Some(Format::Json));
        assert_eq!(Format::of_path("ends-with-dot."), None);
        assert_eq!(
            Format::sniff("x.template", "  {\"Resources\": {}}"),
            Format::Json
        );
        assert_eq!(Format::sniff("x.template", "Resources:\n"), Format::Yaml);
        assert_eq!(Format::sniff("<stdin>", "{}"), Format::Json);
        assert_eq!(Format::sniff("x.yaml", "{a: 1}"), Format::Yaml);
    }
}
