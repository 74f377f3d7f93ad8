//! Regression runs over the shared corpus of real public policies (../shared/corpus). The
//! corpus is not part of the repository; without it these tests say so and pass.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = common::root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; corpus regression tests did not run");
        None
    }
}

/// Findings of the grammar, ARN and placeholder rules that we keep on AWS's own managed
/// policies, each reviewed by hand: these ARNs match nothing (see the closing note of the
/// core-linter issue). Anything else from these rules there is a false positive.
const KEPT_ON_MANAGED: &[(&str, &str)] = &[
    (
        "AWSRefactoringToolkitFullAccess.json",
        "`arn:aws:kms:*::*` has no account, but kms ARNs need one",
    ),
    (
        "AmazonBedrockFullAccess.json",
        "`arn:*:kms:*:::*` has no account, but kms ARNs need one",
    ),
    (
        "AmazonBedrockLimitedAccess.json",
        "`arn:*:kms:*:::*` has no account, but kms ARNs need one",
    ),
    (
        "AmazonDevOpsGuruOrganizationsAccess.json",
        "`arn:aws:organizations::*:` has an empty resource field",
    ),
];

#[test]
fn managed_policies_get_no_false_grammar_arn_or_placeholder_findings() {
    let Some(corpus) = corpus() else { return };
    let outcome = mlpolicy::lint(
        &[corpus.join("aws-managed").to_string_lossy().into_owned()],
        &[],
        false,
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.files.len(), 1594);
    let mut unexpected = Vec::new();
    for (file, f) in outcome.findings() {
        if !matches!(
            f.rule,
            "invalid-json"
                | "invalid-policy"
                | "malformed-arn"
                | "template-placeholder"
                | "policy-variable-needs-version"
        ) {
            continue;
        }
        let name = file.source.path.rsplit('/').next().unwrap_or("");
        if !KEPT_ON_MANAGED.contains(&(name, f.message.as_str())) {
            unexpected.push(format!("{name}: {} {}", f.rule, f.message));
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

#[test]
fn whole_corpus_lints_without_panic_or_unreadable_files() {
    let Some(corpus) = corpus() else { return };
    let outcome = mlpolicy::lint(&[corpus.to_string_lossy().into_owned()], &[], false);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, f) in outcome.findings() {
        *by_rule.entry(f.rule).or_default() += 1;
    }
    assert!(outcome.files.len() > 1700, "{}", outcome.files.len());
    eprintln!("corpus findings by rule: {by_rule:?}");
}

/// The AWS guide examples get the findings a reviewer expects.
#[test]
fn aws_guide_examples() {
    let Some(corpus) = corpus() else { return };
    let mut text = String::new();
    for file in common::json_files(&corpus.join("aws-guides")) {
        let bytes = std::fs::read(&file).expect("read");
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let report = mlpolicy::engine::lint_bytes(name.clone(), bytes, true);
        text += &format!("== {name}\n{}", common::describe(&report));
    }
    insta::assert_snapshot!("aws_guides", text);
}

/// On AWS's own policies, `unknown-action`, `unknown-service` and `wildcard-matches-nothing`
/// may only name actions truly absent from AWS's current reference. The list is pinned, so a
/// catalog refresh or a rule change that moves it is reviewed.
#[test]
fn managed_policies_unknown_names_are_pinned() {
    let Some(corpus) = corpus() else { return };
    let outcome = mlpolicy::lint(
        &[corpus.join("aws-managed").to_string_lossy().into_owned()],
        &[],
        false,
    );
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (_, f) in outcome.findings() {
        if matches!(
            f.rule,
            "unknown-action" | "unknown-service" | "wildcard-matches-nothing" | "retired-action"
        ) {
            let name = f.message.split('`').nth(1).unwrap_or("").to_string();
            *names.entry(format!("{} {name}", f.rule)).or_default() += 1;
        }
    }
    let text: String = names.iter().map(|(k, n)| format!("{n} {k}\n")).collect();
    insta::assert_snapshot!("managed_unknown_names", text);
}

/// Every public CloudFormation template parses (none of them has a real syntax error: two
/// rely on CloudFormation's leniency with dedented quoted strings), every policy in them is
/// found, and the findings by rule are pinned so a change is reviewed.
#[test]
fn cloudformation_templates_parse_and_their_policies_are_found() {
    let Some(corpus) = corpus() else { return };
    let outcome = mlpolicy::lint(
        &[corpus.join("cloudformation").to_string_lossy().into_owned()],
        &[],
        false,
    );
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let skipped: Vec<&str> = outcome
        .files
        .iter()
        .filter(|f| f.skipped)
        .map(|f| f.source.path.as_str())
        .collect();
    assert!(skipped.is_empty(), "not read as templates: {skipped:?}");
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unparsed = Vec::new();
    for (file, f) in outcome.findings() {
        *by_rule.entry(f.rule).or_default() += 1;
        if f.rule == "invalid-template" || f.rule == "invalid-json" {
            let p = file.source.position(f.span.start);
            unparsed.push(format!("{}:{}: {}", file.source.path, p.line, f.message));
        }
    }
    assert!(unparsed.is_empty(), "{}", unparsed.join("\n"));
    let policies: usize = outcome.files.iter().map(|f| f.policies).sum();
    let mut text = format!("templates: {}\npolicies: {policies}\n", outcome.files.len());
    for (rule, n) in &by_rule {
        text += &format!("{n} {rule}\n");
    }
    insta::assert_snapshot!("cloudformation_summary", text);
}
