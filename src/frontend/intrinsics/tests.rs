use super::*;
use crate::frontend::yaml;

/// Resolves `Resources.R.Properties.V` of a YAML template as a `Resource` value.
fn resolve(template: &str) -> (Option<Value<'static>>, Vec<Finding>) {
    let root = yaml::parse(template).expect("valid").remove(0);
    let v = root
        .get("Resources")
        .and_then(|r| r.get("R"))
        .and_then(|r| r.get("V"))
        .expect("Resources.R.V")
        .clone();
    let mut r = Resolver::new(template, &root);
    r.at("/Resources/R/V");
    let out = r.list_value(&v, Place::List);
    (out.map(Value::into_owned), r.findings)
}

fn strings(v: &Option<Value>) -> Vec<String> {
    match v.as_ref().map(|v| &v.kind) {
        Some(Kind::String(s)) => vec![s.to_string()],
        Some(Kind::Array(items)) => items
            .iter()
            .map(|i| i.as_str().unwrap_or("<not a string>").to_string())
            .collect(),
        None => Vec::new(),
        Some(_) => vec!["<not a string>".to_string()],
    }
}

fn template(value: &str) -> String {
    format!(
        "Mappings:\n  Acct:\n    prod: {{Id: '111122223333'}}\nResources:\n  R:\n    V: {value}\n"
    )
}

fn check(value: &str, expected: &[&str]) {
    let (out, findings) = resolve(&template(value));
    assert_eq!(strings(&out), expected, "{value}");
    assert!(findings.is_empty(), "{value}: {findings:?}");
}

#[test]
fn references_stay_unknown() {
    check("!Ref Bucket", &["${Bucket}"]);
    check("!Ref AWS::Partition", &["${AWS::Partition}"]);
    check("!GetAtt Bucket.Arn", &["${Bucket.Arn}"]);
    check("{'Fn::GetAtt': [Bucket, Arn]}", &["${Bucket.Arn}"]);
    check("!ImportValue shared", &["${Fn::ImportValue}"]);
    check("!Select [0, !GetAZs '']", &["${Fn::Select}"]);
}

#[test]
fn sub_keeps_references_and_substitutes_literal_variables() {
    check(
        "!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'",
        &["arn:${AWS::Partition}:s3:::${Bucket}/*"],
    );
    check(
        "!Sub 'arn:aws:s3:::b/${!aws:username}/*'",
        &["arn:aws:s3:::b/${aws:username}/*"],
    );
    check(
        "!Sub ['arn:aws:iam::${A}:role/${R}', {A: '111122223333', R: !Ref Role}]",
        &["arn:aws:iam::111122223333:role/${Role}"],
    );
    check(
        "{'Fn::Sub': 'arn:aws:s3:::${Bucket.Arn}'}",
        &["arn:aws:s3:::${Bucket.Arn}"],
    );
}

#[test]
fn join_select_split_and_find_in_map() {
    check(
        "!Join ['', ['arn:', !Ref 'AWS::Partition', ':s3:::', !Ref B, '/*']]",
        &["arn:${AWS::Partition}:s3:::${B}/*"],
    );
    check("!Join [',', !Ref List]", &["${Fn::Join}"]);
    check("!Select [1, [a, b]]", &["b"]);
    check("!Select [1, !Split [',', 'a,b']]", &["b"]);
    check("!Split [',', 'a,b']", &["a", "b"]);
    check(
        "!Sub ['arn:aws:iam::${A}:root', {A: !FindInMap [Acct, prod, Id]}]",
        &["arn:aws:iam::111122223333:root"],
    );
    check("!FindInMap [Acct, !Ref Env, Id]", &["${Fn::FindInMap}"]);
}

#[test]
fn if_gives_both_branches_in_lists_and_drops_no_value() {
    check("!If [C, a, b]", &["a", "b"]);
    check("[x, !If [C, a, !Ref AWS::NoValue]]", &["x", "a"]);
    check("[!If [C, a, a]]", &["a"]);
    check("!If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]", &[]);
    check("!Join ['', [a, !If [C, b, c]]]", &["a${Fn::If}"]);
    check("!Join ['', [a, !If [C, b, b]]]", &["ab"]);
}

#[test]
fn spans_of_resolved_values_are_the_intrinsic() {
    let text = template("!Sub 'arn:aws:s3:::${B}'");
    let (out, _) = resolve(&text);
    let v = out.expect("value");
    assert_eq!(&text[v.span.range()], "!Sub 'arn:aws:s3:::${B}'");
}

fn problems(value: &str) -> Vec<String> {
    let (_, findings) = resolve(&template(value));
    findings
        .into_iter()
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect()
}

#[test]
fn malformed_intrinsics_are_reported() {
    for (value, needle) in [
        ("{'Fn::Sub': 42}", "`Fn::Sub` takes a string"),
        ("!Sub ['x', [1]]", "variables of `Fn::Sub` must be a map"),
        ("!If [C, a]", "`Fn::If` takes 3 arguments, found 2"),
        ("!If [[C], a, b]", "name of a condition"),
        ("!Join ['', 'ab']", "`Fn::Join` joins a list"),
        (
            "!Join [[x], [a]]",
            "delimiter of `Fn::Join` must be a string",
        ),
        (
            "!GetAtt Bucket",
            "`Fn::GetAtt` takes a resource and an attribute",
        ),
        ("{Ref: [a]}", "`Ref` takes the name"),
        ("!Select [5, [a]]", "past the end"),
        ("!FindInMap [Acct, dev, Id]", "finds nothing"),
        ("!FindInMap [Acct, dev]", "takes 3 arguments"),
        ("!Join ['', [a, [b]]]", "expected a string here"),
        ("!Sub 'x/${aws:username}'", "names no parameter"),
    ] {
        let found = problems(value);
        assert!(
            found
                .iter()
                .any(|f| f.starts_with("invalid-template") && f.contains(needle)),
            "{value}: {found:?}"
        );
    }
}

#[test]
fn references_outside_sub_are_template_placeholders() {
    let found = problems("'arn:aws:s3:::${Bucket}/*'");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("template-placeholder `${Bucket}` is never replaced"));
    assert!(problems("'arn:aws:s3:::b/${aws:username}/*'").is_empty());
    assert!(problems("!Sub 'arn:aws:s3:::${Bucket}/*'").is_empty());
}
