//! Finding the policy documents inside a JSON file: a bare policy, or one of the wrappers the
//! AWS CLI and SDKs print.

use super::PolicyKind;
use crate::parse::json::Value;

#[derive(Debug)]
pub struct Candidate<'a> {
    pub value: &'a Value<'a>,
    pub pointer: String,
    pub bare_statement: bool,
    /// What the wrapper says about the kind (a trust policy under `AssumeRolePolicyDocument`).
    pub kind: PolicyKind,
}

/// The policy documents in `root`; empty when the file is some other JSON.
pub fn candidates<'a>(root: &'a Value<'a>) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    if root.as_object().is_none() {
        return out;
    }
    if root.get("Statement").is_some() {
        out.push(candidate(root, "", false, PolicyKind::Unknown));
        return out;
    }
    let wrappers: &[(&[&str], PolicyKind)] = &[
        (&["PolicyDocument"], PolicyKind::Unknown),
        (&["AssumeRolePolicyDocument"], PolicyKind::Trust),
        (&["Role", "AssumeRolePolicyDocument"], PolicyKind::Trust),
        (&["PolicyVersion", "Document"], PolicyKind::Unknown),
    ];
    for (path, kind) in wrappers {
        let found = path.iter().try_fold(root, |v, key| v.get(key));
        if let Some(doc) = found.filter(|d| d.as_object().is_some()) {
            let pointer: String = path.iter().map(|k| format!("/{k}")).collect();
            out.push(candidate(doc, &pointer, false, *kind));
        }
    }
    if out.is_empty()
        && root.get("Effect").is_some()
        && (root.get("Action").is_some() || root.get("NotAction").is_some())
    {
        out.push(candidate(root, "", true, PolicyKind::Unknown));
    }
    out
}

fn candidate<'a>(value: &'a Value, pointer: &str, bare: bool, kind: PolicyKind) -> Candidate<'a> {
    Candidate {
        value,
        pointer: pointer.to_string(),
        bare_statement: bare,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::json::parse;

    fn pointers(text: &str) -> Vec<String> {
        let v = parse(text).expect("valid");
        candidates(&v).into_iter().map(|c| c.pointer).collect()
    }

    #[test]
    fn finds_wrapped_documents() {
        assert_eq!(pointers(r#"{"Statement": []}"#), [""]);
        assert_eq!(
            pointers(r#"{"PolicyVersion": {"Document": {"Statement": []}}}"#),
            ["/PolicyVersion/Document"]
        );
        assert_eq!(
            pointers(r#"{"Role": {"AssumeRolePolicyDocument": {}}}"#),
            ["/Role/AssumeRolePolicyDocument"]
        );
        assert_eq!(pointers(r#"{"Effect": "Allow", "Action": "s3:*"}"#), [""]);
        assert!(pointers(r#"{"name": "pkg", "version": "1.0.0"}"#).is_empty());
        assert!(pointers("[1, 2]").is_empty());
    }
}
