//! Which IAM entities (roles, users, groups) use which policies, as far as one file says:
//! the `units` of its documents, by Terraform address (`aws_iam_role.training`).

use super::labels;
use super::resources::{self, ATTACHMENTS};
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use std::collections::BTreeMap;

/// What the file says about which IAM entities use which policies.
#[derive(Default)]
pub struct Links {
    /// `name = "..."` of IAM roles, users and groups: (type, name) -> address.
    names: BTreeMap<(String, String), String>,
    /// Managed policy address -> the entities it is attached to.
    pub attached: BTreeMap<String, Vec<String>>,
}

impl Links {
    pub fn collect(body: &Body) -> Self {
        let mut links = Links::default();
        for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
            let [kind, name] = labels(block)[..] else {
                continue;
            };
            let address = format!("{kind}.{name}");
            if matches!(kind, "aws_iam_role" | "aws_iam_user" | "aws_iam_group")
                && let Some(n) = block
                    .body
                    .get_attribute("name")
                    .and_then(|a| a.value.as_str())
            {
                links
                    .names
                    .insert((kind.to_string(), n.to_string()), address.clone());
            }
            if kind == "aws_iam_role"
                && let Some(arns) = block.body.get_attribute("managed_policy_arns")
            {
                for policy in list(&arns.value) {
                    if let Some(p) = resources::address_in(policy, "aws_iam_policy") {
                        links.attached.entry(p).or_default().push(address.clone());
                    }
                }
            }
        }
        for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
            let [kind, _] = labels(block)[..] else {
                continue;
            };
            let Some(attachment) = ATTACHMENTS.iter().find(|a| a.resource == kind) else {
                continue;
            };
            let mut units = Vec::new();
            for (attr, entity) in attachment.entities {
                if let Some(a) = block.body.get_attribute(attr) {
                    units.extend(list(&a.value).filter_map(|e| links.entity(e, entity)));
                }
            }
            for attr in attachment.policies {
                let Some(a) = block.body.get_attribute(attr) else {
                    continue;
                };
                for policy in list(&a.value) {
                    if let Some(p) = resources::address_in(policy, "aws_iam_policy") {
                        links.attached.entry(p).or_default().extend(units.clone());
                    }
                }
            }
        }
        links
    }

    /// The entity `expr` names: the address of a resource of type `kind` it refers to or
    /// whose `name` it spells, or else the literal name. `None` when only known at apply.
    pub fn entity(&self, expr: &Expression, kind: &str) -> Option<String> {
        if let Some(address) = resources::address_in(expr, kind) {
            return Some(address);
        }
        let name = expr.as_str()?;
        Some(
            self.names
                .get(&(kind.to_string(), name.to_string()))
                .cloned()
                .unwrap_or_else(|| name.to_string()),
        )
    }
}

/// The items of a list expression, or the expression itself.
fn list(expr: &Expression) -> impl Iterator<Item = &Expression> {
    let items: Vec<&Expression> = match expr {
        Expression::Array(items) => items.iter().collect(),
        e => vec![e],
    };
    items.into_iter()
}
