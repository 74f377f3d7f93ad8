//! The offline checks over the shared corpus of real public policies (../shared/corpus). The
//! corpus is not part of the repository; without it these tests say so and pass.

mod common;

use mlpolicy::check::access_not_granted::{self, Query};
use mlpolicy::check::{Status, no_new_access, no_public_access};
use mlpolicy::load::load;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = common::root().join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is absent; corpus check tests did not run");
        None
    }
}

fn path(p: &Path) -> Vec<String> {
    vec![p.to_string_lossy().into_owned()]
}

/// Each AWS managed policy on its own: which could allow `iam:PassRole`, and which only under
/// conditions. The lists are pinned, so a change to grants, denies or conditions is reviewed.
#[test]
fn passrole_in_managed_policies_is_pinned() {
    let Some(corpus) = corpus() else { return };
    let cat = mlpolicy::catalog::catalog();
    let query = Query {
        actions: cat.expand("iam:PassRole"),
        resources: Vec::new(),
    };
    let (mut allowed, mut unknown, mut passed) = (Vec::new(), Vec::new(), 0);
    for file in common::json_files(&corpus.join("aws-managed")) {
        let loaded = load(&path(&file), &[]);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let outcome = access_not_granted::run(&loaded.files, &query);
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if outcome.hits.iter().any(|h| h.status == Status::Allowed) {
            allowed.push(name);
        } else if outcome.hits.is_empty() {
            passed += 1;
        } else {
            unknown.push(name);
        }
    }
    let text = format!(
        "{passed} pass, {} unknown, {} allowed\nallowed:\n{}\n",
        unknown.len(),
        allowed.len(),
        allowed.join("\n")
    );
    insta::assert_snapshot!("managed_passrole", text);
}

/// Every SageMaker managed policy allows nothing new over itself, and the full-access policy
/// over the read-only one is new access.
#[test]
fn sagemaker_policies_compare_soundly() {
    let Some(corpus) = corpus() else { return };
    let managed = corpus.join("aws-managed");
    let mut compared = 0;
    for file in common::json_files(&managed) {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !name.starts_with("AmazonSageMaker") {
            continue;
        }
        let loaded = load(&path(&file), &[]);
        let outcome = no_new_access::run(&loaded.files, &loaded.files, &name);
        assert!(outcome.hits.is_empty(), "{name}: {:#?}", outcome.hits);
        compared += 1;
    }
    assert!(compared > 30, "{compared}");
    let read_only = load(&path(&managed.join("AmazonSageMakerReadOnly.json")), &[]);
    let full = load(&path(&managed.join("AmazonSageMakerFullAccess.json")), &[]);
    let widened = no_new_access::run(&read_only.files, &full.files, "read-only");
    assert!(
        widened
            .hits
            .iter()
            .any(|h| h.actions.iter().any(|a| a == "iam:PassRole"))
    );
}

/// The resource and endpoint policies of the ML repositories that let anyone in.
#[test]
fn public_ml_exposure_is_pinned() {
    let Some(corpus) = corpus() else { return };
    let loaded = load(&path(&corpus.join("public-ml")), &[]);
    let outcome = no_public_access::run(&loaded.files, &[]);
    let text: String = outcome
        .hits
        .iter()
        .map(|h| {
            format!(
                "{}:{}:{} {} {}\n",
                h.path.split("public-ml/").nth(1).unwrap_or(&h.path),
                h.start.line,
                h.start.column,
                h.status.as_str(),
                h.finding.message
            )
        })
        .collect();
    insta::assert_snapshot!("public_ml_exposure", text);
}
