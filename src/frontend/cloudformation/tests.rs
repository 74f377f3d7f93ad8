use super::*;

type Found = Vec<(String, PolicyKind, Vec<String>)>;

fn docs(text: &str) -> (Found, Vec<String>) {
    let root = parse_yaml(text).expect("valid").remove(0);
    assert!(is_template(&root));
    let (docs, findings) = documents(&root, text);
    (
        docs.into_iter()
            .map(|d| (d.pointer, d.kind, d.units))
            .collect(),
        findings.into_iter().map(|f| f.message).collect(),
    )
}

#[test]
fn a_document_behind_if_is_read_in_both_branches() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !If\n        - C\n        - {Statement: []}\n        - !Ref AWS::NoValue\n";
    let (found, problems) = docs(text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].0,
        "/Resources/P/Properties/PolicyDocument/Fn::If/1"
    );
    assert!(problems.is_empty());
}

#[test]
fn json_string_documents_are_parsed_with_file_positions() {
    let text = "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: !Sub '{\"Statement\": [{\"Resource\": \"${Arn}\"}]}'\n";
    let root = parse_yaml(text).expect("valid").remove(0);
    let (docs, problems) = documents(&root, text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs[0].kind, PolicyKind::Key);
    let resource = docs[0]
        .value
        .get("Statement")
        .and_then(|s| match &s.kind {
            Kind::Array(items) => items.first(),
            _ => None,
        })
        .and_then(|st| st.get("Resource"))
        .expect("resource");
    assert_eq!(&text[resource.span.range()], "\"${Arn}\"");
}

#[test]
fn broken_json_string_documents_are_reported_unless_a_reference_explains_them() {
    let literal = "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: '{\"Statement\": [}'\n";
    let (found, problems) = docs(literal);
    assert!(found.is_empty());
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("does not parse"), "{problems:?}");
    let computed = "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy: !Sub '{\"Statement\": ${Statements}}'\n";
    let (found, problems) = docs(computed);
    assert!(found.is_empty() && problems.is_empty(), "{problems:?}");
}

#[test]
fn units_name_the_entities_a_policy_applies_to() {
    let text = "Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: trainer
      ManagedPolicyArns: [!Ref M]
  M:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Groups: [analysts]
      PolicyDocument: {Statement: []}
  P:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [trainer, !Ref Other]
      PolicyDocument: {Statement: []}
  F:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [AWSLambdaBasicExecutionRole, {S3ReadPolicy: {BucketName: b}}, {Statement: []}]
";
    let (found, _) = docs(text);
    let units: Vec<(&str, Vec<String>)> = found
        .iter()
        .map(|(p, _, u)| (p.as_str(), u.clone()))
        .collect();
    assert_eq!(
        units,
        [
            (
                "/Resources/M/Properties/PolicyDocument",
                vec!["analysts".to_string(), "R".to_string()]
            ),
            (
                "/Resources/P/Properties/PolicyDocument",
                vec!["R".to_string(), "Other".to_string()]
            ),
            (
                "/Resources/F/Properties/Policies/2",
                vec!["FRole".to_string()]
            ),
        ]
    );
}

#[test]
fn templates_are_told_from_other_yaml() {
    let ci = parse_yaml("on: push\njobs: {}\n").expect("valid").remove(0);
    assert!(!is_template(&ci));
    assert!(mentions_template("Type: AWS::IAM::Role"));
    assert!(!mentions_template("name: ci"));
}
