//! CloudFormation and SAM templates, in JSON or YAML: which resources carry a policy, where,
//! of what kind, and which IAM entities it applies to.
//!
//! Every document is resolved by [`super::intrinsics`] into plain values, so the model and
//! the rules see `arn:${AWS::Partition}:s3:::${Bucket}/*` where the template wrote
//! `!Sub arn:${AWS::Partition}:s3:::${Bucket}/*`. A policy written as a JSON string (literal,
//! or built by `!Sub` / `!Join`) is parsed too, with its spans mapped into the file.

use super::intrinsics::{Place, Resolver, intrinsic};
use super::text_map::Text;
use super::{Document, Failure, Origin, Tree};
use crate::finding::Finding;
use crate::model::PolicyKind;
use crate::parse::json::{self, Kind, Value};
use crate::text::pointer_token;
use std::collections::HashMap;

/// Parses YAML into span-keeping trees, one per document of the stream, with CloudFormation's
/// short-form tags (`!Sub x`) turned into their long form (`{"Fn::Sub": x}`).
pub fn parse_yaml(text: &str) -> Result<Vec<Value<'static>>, Failure> {
    super::yaml::parse(text).map_err(|e| Failure {
        rule: crate::rules::invalid_template::ID,
        span: e.span,
        message: e.message,
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

/// Does unparsable YAML text look like it meant to be a template?
pub fn mentions_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")
}

/// Where a resource type keeps a policy document.
#[derive(Clone, Copy)]
enum Slot {
    /// `Properties.<name>` is the document (or a JSON string of it).
    Property(&'static str),
    /// `Properties.<outer>.<inner>`.
    Nested(&'static str, &'static str),
    /// `Properties.<name>` is a list of `{PolicyName, PolicyDocument}` (IAM inline policies).
    InlinePolicies(&'static str),
    /// SAM's `Policies`: a managed policy name, a SAM policy template, a document, or a list
    /// of them. Only the documents are linted.
    SamPolicies,
}

/// Whom a resource's documents apply to.
#[derive(Clone, Copy)]
enum Applies {
    /// Resource policies: no IAM entity.
    Nobody,
    /// The resource itself is the role, user or group.
    Itself,
    /// `Roles`, `Users`, `Groups` lists (`AWS::IAM::Policy`, `ManagedPolicy`), and the
    /// entities that list the policy in their `ManagedPolicyArns`.
    Attached,
    /// One `RoleName` / `UserName` / `GroupName` property.
    Named(&'static str),
    /// The role SAM creates for a function, `<LogicalId>Role`.
    SamRole,
}

/// The resource types that carry policy documents.
fn carriers(resource_type: &str) -> &'static [(Slot, PolicyKind, Applies)] {
    use Applies::*;
    use PolicyKind as K;
    use Slot::*;
    match resource_type {
        "AWS::IAM::Role" => &[
            (InlinePolicies("Policies"), K::Identity, Itself),
            (Property("AssumeRolePolicyDocument"), K::Trust, Itself),
        ],
        "AWS::IAM::User" | "AWS::IAM::Group" => {
            &[(InlinePolicies("Policies"), K::Identity, Itself)]
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            &[(Property("PolicyDocument"), K::Identity, Attached)]
        }
        "AWS::IAM::RolePolicy" => &[(Property("PolicyDocument"), K::Identity, Named("RoleName"))],
        "AWS::IAM::UserPolicy" => &[(Property("PolicyDocument"), K::Identity, Named("UserName"))],
        "AWS::IAM::GroupPolicy" => &[(Property("PolicyDocument"), K::Identity, Named("GroupName"))],
        "AWS::SSO::PermissionSet" => &[(Property("InlinePolicy"), K::Identity, Nobody)],
        "AWS::S3::BucketPolicy" | "AWS::S3Express::BucketPolicy" => {
            &[(Property("PolicyDocument"), K::Bucket, Nobody)]
        }
        "AWS::S3::AccessPoint" | "AWS::S3::MultiRegionAccessPointPolicy" => {
            &[(Property("Policy"), K::Resource, Nobody)]
        }
        "AWS::EC2::VPCEndpoint" => &[(Property("PolicyDocument"), K::VpcEndpoint, Nobody)],
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => &[(Property("KeyPolicy"), K::Key, Nobody)],
        "AWS::SecretsManager::ResourcePolicy" => &[(Property("ResourcePolicy"), K::Secret, Nobody)],
        "AWS::ECR::Repository" | "AWS::ECR::PublicRepository" => {
            &[(Property("RepositoryPolicyText"), K::Repository, Nobody)]
        }
        "AWS::ECR::RegistryPolicy" => &[(Property("PolicyText"), K::Resource, Nobody)],
        "AWS::SQS::QueuePolicy" | "AWS::SQS::QueueInlinePolicy" => {
            &[(Property("PolicyDocument"), K::Queue, Nobody)]
        }
        "AWS::SNS::TopicPolicy" | "AWS::SNS::TopicInlinePolicy" => {
            &[(Property("PolicyDocument"), K::Topic, Nobody)]
        }
        "AWS::SageMaker::ModelPackageGroup" => {
            &[(Property("ModelPackageGroupPolicy"), K::Resource, Nobody)]
        }
        "AWS::Logs::ResourcePolicy" => &[(Property("PolicyDocument"), K::Resource, Nobody)],
        "AWS::EFS::FileSystem" => &[(Property("FileSystemPolicy"), K::Resource, Nobody)],
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => {
            &[(Property("AccessPolicies"), K::Resource, Nobody)]
        }
        "AWS::Backup::BackupVault" => &[(Property("AccessPolicy"), K::Resource, Nobody)],
        "AWS::ApiGateway::RestApi" => &[(Property("Policy"), K::Resource, Nobody)],
        "AWS::CodeArtifact::Domain" | "AWS::CodeArtifact::Repository" => {
            &[(Property("PermissionsPolicyDocument"), K::Resource, Nobody)]
        }
        "AWS::DynamoDB::Table" => &[(
            Nested("ResourcePolicy", "PolicyDocument"),
            K::Resource,
            Nobody,
        )],
        "AWS::Serverless::Function" => &[
            (SamPolicies, K::Identity, SamRole),
            (Property("AssumeRolePolicyDocument"), K::Trust, SamRole),
        ],
        "AWS::Serverless::StateMachine" => &[(SamPolicies, K::Identity, SamRole)],
        _ => &[],
    }
}

struct Builder<'a> {
    file: &'a str,
    resolver: Resolver<'a>,
    documents: Vec<Document<'a>>,
    /// Managed policy logical id -> the entities whose `ManagedPolicyArns` reference it.
    attached_by_arn: HashMap<&'a str, Vec<String>>,
    /// Literal `RoleName` / `UserName` / `GroupName` -> logical id.
    by_name: HashMap<&'a str, &'a str>,
}

/// The policy documents in a template, and the problems found resolving them.
pub fn documents<'a>(root: &'a Value, file: &'a str) -> (Vec<Document<'a>>, Vec<Finding>) {
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else {
        return (Vec::new(), Vec::new());
    };
    let mut b = Builder {
        file,
        resolver: Resolver::new(file, root),
        documents: Vec::new(),
        attached_by_arn: HashMap::new(),
        by_name: HashMap::new(),
    };
    for r in resources {
        let props = r.value.get("Properties");
        for name_key in ["RoleName", "UserName", "GroupName"] {
            if let Some(name) = props.and_then(|p| p.get(name_key)).and_then(Value::as_str) {
                b.by_name.insert(name, &r.key);
            }
        }
        let arns = props.and_then(|p| p.get("ManagedPolicyArns"));
        if let Some(Kind::Array(items)) = arns.map(|a| &a.kind) {
            for item in items {
                if let Some(("Ref", target)) = intrinsic(item)
                    && let Some(target) = target.as_str()
                {
                    b.attached_by_arn
                        .entry(target)
                        .or_default()
                        .push(r.key.to_string());
                }
            }
        }
    }
    for r in resources {
        let Some(resource_type) = r.value.get("Type").and_then(Value::as_str) else {
            continue;
        };
        let Some(props) = r
            .value
            .get("Properties")
            .filter(|p| p.as_object().is_some())
        else {
            continue;
        };
        let base = format!("/Resources/{}/Properties", pointer_token(&r.key));
        for &(slot, kind, applies) in carriers(resource_type) {
            let units = b.units(&r.key, props, applies);
            match slot {
                Slot::Property(name) => {
                    if let Some(v) = props.get(name) {
                        b.document(v, &format!("{base}/{name}"), kind, &units);
                    }
                }
                Slot::Nested(outer, inner) => {
                    if let Some(v) = props.get(outer).and_then(|o| o.get(inner)) {
                        b.document(v, &format!("{base}/{outer}/{inner}"), kind, &units);
                    }
                }
                Slot::InlinePolicies(name) => {
                    if let Some(v) = props.get(name) {
                        b.each_item(v, &format!("{base}/{name}"), &mut |b, item, pointer| {
                            if let Some(doc) = item.get("PolicyDocument") {
                                b.document(doc, &format!("{pointer}/PolicyDocument"), kind, &units);
                            }
                        });
                    }
                }
                Slot::SamPolicies => {
                    if let Some(v) = props.get("Policies") {
                        let pointer = format!("{base}/Policies");
                        if v.get("Statement").is_some() {
                            b.document(v, &pointer, kind, &units);
                        } else {
                            b.each_item(v, &pointer, &mut |b, item, pointer| {
                                // Managed policy names and SAM policy templates are not documents.
                                if item.get("Statement").is_some() {
                                    b.document(item, pointer, kind, &units);
                                }
                            });
                        }
                    }
                }
            }
        }
    }
    (b.documents, b.resolver.findings)
}

impl<'a> Builder<'a> {
    fn units(&self, id: &'a str, props: &'a Value, applies: Applies) -> Vec<String> {
        let entity = |v: &'a Value| -> Option<String> {
            match intrinsic(v) {
                Some(("Ref", target)) => target.as_str().map(str::to_string),
                Some(_) => None,
                None => v
                    .as_str()
                    .map(|name| self.by_name.get(name).copied().unwrap_or(name).to_string()),
            }
        };
        let mut out: Vec<String> = match applies {
            Applies::Nobody => Vec::new(),
            Applies::Itself => vec![id.to_string()],
            Applies::SamRole => vec![format!("{id}Role")],
            Applies::Named(key) => props.get(key).and_then(entity).into_iter().collect(),
            Applies::Attached => {
                let mut out = Vec::new();
                for key in ["Roles", "Users", "Groups"] {
                    if let Some(Kind::Array(items)) = props.get(key).map(|v| &v.kind) {
                        out.extend(items.iter().filter_map(entity));
                    }
                }
                out.extend(self.attached_by_arn.get(id).into_iter().flatten().cloned());
                out
            }
        };
        out.dedup();
        out
    }

    /// Calls `f` with each item of a list property (both branches of an `Fn::If` item, none
    /// for `AWS::NoValue`), and its pointer.
    fn each_item(
        &mut self,
        v: &'a Value,
        pointer: &str,
        f: &mut dyn FnMut(&mut Self, &'a Value, &str),
    ) {
        match (&v.kind, intrinsic(v)) {
            (_, Some(("Fn::If", arg))) => {
                if let Kind::Array(args) = &arg.kind
                    && args.len() == 3
                {
                    for i in [1, 2] {
                        self.each_item(&args[i], &format!("{pointer}/Fn::If/{i}"), f);
                    }
                }
            }
            (_, Some(_)) => {}
            (Kind::Array(items), None) => {
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{pointer}/{i}");
                    if let Some(("Fn::If", arg)) = intrinsic(item) {
                        if let Kind::Array(args) = &arg.kind
                            && args.len() == 3
                        {
                            for k in [1, 2] {
                                f(self, &args[k], &format!("{p}/Fn::If/{k}"));
                            }
                        }
                    } else {
                        f(self, item, &p);
                    }
                }
            }
            _ => {}
        }
    }

    /// Adds the document written at `v`: an object, a JSON string, or a function giving one.
    fn document(&mut self, v: &'a Value, pointer: &str, kind: PolicyKind, units: &[String]) {
        if let Some((name, arg)) = intrinsic(v) {
            match name {
                "Fn::If" => {
                    if let Kind::Array(args) = &arg.kind
                        && args.len() == 3
                    {
                        for i in [1, 2] {
                            let p = format!("{pointer}/Fn::If/{i}");
                            self.document(&args[i], &p, kind, units);
                        }
                    } else {
                        // Reported by resolving it.
                        self.resolver.at(pointer);
                        let _ = self.resolver.value(v, Place::Policy);
                    }
                }
                "Fn::Sub" | "Fn::Join" => {
                    self.resolver.at(pointer);
                    if let Some(text) = self.resolver.text(v) {
                        self.json_string(&text, pointer, kind, units, true);
                    }
                }
                // A parameter, an import, `AWS::NoValue`: nothing to read here.
                _ => {}
            }
            return;
        }
        match &v.kind {
            Kind::Object(_) => {
                self.resolver.at(pointer);
                if let Some(value) = self.resolver.value(v, Place::Policy) {
                    self.push(Tree::Owned(value), pointer, kind, units);
                }
            }
            Kind::String(s) => {
                let text = Text::aligned(self.file, v.span, s);
                self.resolver.at(pointer);
                self.json_string(&text, pointer, kind, units, false);
            }
            _ => {
                // Lowering reports what is wrong with it.
                self.push(Tree::Borrowed(v), pointer, kind, units);
            }
        }
    }

    /// A policy written as a JSON string. `computed` when `!Sub` or `!Join` built it, so its
    /// `${...}` are deploy-time values.
    fn json_string(
        &mut self,
        text: &Text,
        pointer: &str,
        kind: PolicyKind,
        units: &[String],
        computed: bool,
    ) {
        if !text.s.trim_start().starts_with('{') {
            // An ARN or a reference where a document is expected: lowering says so, unless
            // it is a value known only at deploy time.
            if !computed && !crate::text::has_reference(&text.s) {
                let value = Value {
                    kind: Kind::String(text.s.clone().into()),
                    span: text.file_span(self.file, crate::span::Span::new(0, text.s.len())),
                };
                self.push(Tree::Owned(value), pointer, kind, units);
            }
            return;
        }
        match json::parse(&text.s) {
            Ok(mut value) => {
                text.remap(self.file, &mut value);
                // Parsed from the substituted text, which is this function's own.
                let value = value.into_owned();
                if !computed {
                    self.resolver.literal_strings(&value);
                }
                self.push(Tree::Owned(value), pointer, kind, units);
            }
            Err(e) => {
                // A substituted value may have been meant to complete the JSON (`${Actions}`
                // written unquoted): an error next to a reference is not judged.
                let mut upto = (e.span.start + 2).min(text.s.len());
                while !text.s.is_char_boundary(upto) {
                    upto -= 1;
                }
                let near_reference = text.s[..upto].rfind("${").is_some_and(|open| {
                    text.s[open..]
                        .find('}')
                        .is_some_and(|close| open + close + 2 >= e.span.start)
                });
                if computed && near_reference {
                    return;
                }
                let span = text.file_span(self.file, e.span);
                self.resolver.report_at(
                    crate::rules::invalid_policy::ID,
                    span,
                    format!(
                        "the policy document is a JSON string that does not parse: {}",
                        e.message
                    ),
                    "fix the JSON, or write the document as YAML / JSON structure instead of a string",
                );
            }
        }
    }

    fn push(&mut self, value: Tree<'a>, pointer: &str, kind: PolicyKind, units: &[String]) {
        self.documents.push(Document {
            value,
            pointer: pointer.to_string(),
            bare_statement: false,
            kind,
            origin: Origin::CloudFormation,
            units: units.to_vec(),
        });
    }
}

#[cfg(test)]
mod tests;
