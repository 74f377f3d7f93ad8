//! `${...}` references inside policy strings: IAM policy variables versus template text.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    /// `${aws:userid}`, `${aws:PrincipalTag/team}`, `${sagemaker:DomainId}`, `${*}`...
    Policy,
    /// `${AWS::AccountId}`: a CloudFormation pseudo parameter left in plain JSON.
    CloudFormation,
    /// `${BucketName}`, `${var.bucket}`: a template variable that was never substituted.
    Template,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    /// Byte range of the whole `${...}` within the string.
    pub range: Range<usize>,
    pub name: String,
    pub kind: VarKind,
}

/// Every `${...}` in `s`, in order. An unclosed `${` is not a reference.
pub fn find(s: &str) -> Vec<VarRef> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = crate::text::find_text(&s[from..], "${").map(|i| from + i) {
        let Some(close) = s[open + 2..].find('}').map(|i| open + 2 + i) else {
            break;
        };
        let name = s[open + 2..close].to_string();
        out.push(VarRef {
            range: open..close + 1,
            kind: classify(&name),
            name,
        });
        from = close + 1;
    }
    out
}

/// Is `s` exactly one template reference (`${var.actions}`, `${local.statements}`), standing
/// for a value a template computes, possibly a list or an object? A front end writes such a
/// string where a template puts a whole value, and the model treats it as unknown wherever it
/// stands. Policy variables (`${aws:username}`) are not unknowns.
pub fn is_template_reference(s: &str) -> bool {
    match find(s).as_slice() {
        [only] => only.range == (0..s.len()) && only.kind != VarKind::Policy,
        _ => false,
    }
}

fn classify(name: &str) -> VarKind {
    if matches!(name, "*" | "?" | "$") {
        return VarKind::Policy;
    }
    if name.starts_with("AWS::") {
        return VarKind::CloudFormation;
    }
    // A default value may follow: `${aws:username, 'anonymous'}`.
    let key = name.split(',').next().unwrap_or("").trim();
    let Some((prefix, rest)) = key.split_once(':') else {
        return VarKind::Template;
    };
    let prefix_ok = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if prefix_ok && !rest.is_empty() && !rest.starts_with(':') {
        VarKind::Policy
    } else {
        VarKind::Template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_references() {
        let refs =
            find("a/${aws:userid}/${AWS::AccountId}/${Bucket}/${var.x}/${*}/${aws:username, 'x'}");
        let kinds: Vec<VarKind> = refs.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                VarKind::Policy,
                VarKind::CloudFormation,
                VarKind::Template,
                VarKind::Template,
                VarKind::Policy,
                VarKind::Policy
            ]
        );
        assert_eq!(refs[0].range, 2..15);
        assert!(find("${unclosed").is_empty());
        assert!(is_template_reference("${EffectParam}"));
        assert!(is_template_reference("${Fn::If}"));
        assert!(!is_template_reference("${aws:username}"));
        assert!(!is_template_reference("a${B}"));
    }

    #[test]
    fn whole_references() {
        assert!(is_template_reference("${var.actions}"));
        assert!(is_template_reference("${AWS::AccountId}"));
        assert!(!is_template_reference("${aws:username}"));
        assert!(!is_template_reference("arn:aws:s3:::${var.b}"));
        assert!(!is_template_reference("${a}${b}"));
    }
}
