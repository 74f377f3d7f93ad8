//! Terraform configurations (`*.tf`).
//!
//! Not yet implemented: no documents are found.

use super::{Document, Failure};

pub fn parse(text: &str) -> Result<Vec<Document<'static>>, Failure> {
    let _ = text;
    Ok(Vec::new())
}

/// Does unparsable HCL look like it meant to define a policy?
pub fn mentions_policy(text: &str) -> bool {
    text.contains("aws_iam") || text.contains("policy")
}
