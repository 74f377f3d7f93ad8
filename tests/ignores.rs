//! Inline ignore comments on real templates. The comment matching is unit-tested in
//! `src/suppress/inline.rs` on text and lines; these tests run it through the YAML and
//! Terraform front ends.

mod common;

/// The fixture's `public-principal` finding is suppressed by its comment, with the reason,
/// and the comment is used (no `unused-ignore`, no `invalid-ignore`).
fn assert_suppressed_with_reason(name: &str) {
    let report = common::lint_file(&common::root().join("testdata/ignores").join(name));
    assert!(
        report.findings.is_empty(),
        "{name}:\n{}",
        common::describe(&report)
    );
    let rules: Vec<&str> = report.suppressed.iter().map(|s| s.finding.rule).collect();
    assert_eq!(rules, ["public-principal"], "{name}");
    assert_eq!(
        report.suppressed[0].by.reason(),
        Some("static demo site, public by design")
    );
}

#[test]
fn terraform_comment_above_the_value() {
    assert_suppressed_with_reason("used-inline.tf");
}

#[test]
fn yaml_comment_after_the_value() {
    assert_suppressed_with_reason("used-inline.yaml");
}

/// What works on every branch: JSON has no comments, so text that looks like one suppresses
/// nothing.
#[test]
fn json_text_is_never_an_ignore() {
    let report = mlpolicy::lint_text(
        "bucket-policy.json",
        r##"{"Version": "2012-10-17", "Id": "# mlpolicy: ignore[public-principal] x", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"##,
    );
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["public-principal"]);
    assert!(report.suppressed.is_empty());
}
