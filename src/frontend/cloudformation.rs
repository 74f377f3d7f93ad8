//! CloudFormation and SAM templates, in JSON or YAML.
//!
//! Not yet implemented: templates are recognised so they are not mistaken for policies.

use super::{Document, Failure};
use crate::parse::json::Value;
use crate::span::Span;

/// Parses YAML into the span-keeping tree, with CloudFormation's short-form tags (`!Sub x`)
/// turned into their long form (`{"Fn::Sub": x}`).
pub fn parse_yaml(text: &str) -> Result<Value, Failure> {
    let _ = text;
    Err(Failure {
        rule: "invalid-template",
        span: Span::new(0, 0),
        message: "YAML is not supported yet".to_string(),
    })
}

/// Does this tree look like a CloudFormation template?
pub fn is_template(root: &Value) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|rs| {
                rs.iter().any(|r| {
                    r.value
                        .get("Type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
}

/// The policy documents in a template.
pub fn documents(root: &Value) -> Vec<Document<'_>> {
    let _ = root;
    Vec::new()
}

/// Does unparsable YAML text look like it meant to be a template?
pub fn mentions_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")
}
