//! Every rule has fixtures that must fire and fixtures that must not, and the exact findings
//! (line, column, severity, message) of every fixture are pinned in snapshots.
//!
//! A fixture is a file, linted on its own, or a folder named after a profile
//! (`fail/data-scientist/`), whose files are linted together as one role with `--profile`.

mod common;

use common::{Fixture, describe, fixtures, root};
use mlpolicy::rules::ALL;

fn fires(fixture: &Fixture, id: &str) -> bool {
    fixture
        .reports
        .iter()
        .any(|r| r.findings.iter().any(|f| f.rule == id))
}

fn described(fixture: &Fixture) -> String {
    fixture.reports.iter().map(describe).collect()
}

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    for rule in ALL {
        let id = rule.meta().id;
        for kind in ["fail", "pass"] {
            let dir = root().join("testdata/rules").join(id).join(kind);
            assert!(
                !fixtures(&dir).is_empty(),
                "rule `{id}` has no fixtures in {}",
                dir.display()
            );
        }
    }
}

#[test]
fn fail_fixtures_fire_their_rule() {
    for rule in ALL {
        let id = rule.meta().id;
        for fixture in fixtures(&root().join("testdata/rules").join(id).join("fail")) {
            assert!(
                fires(&fixture, id),
                "{} should fire `{id}`, got:\n{}",
                fixture.name,
                described(&fixture)
            );
        }
    }
}

#[test]
fn pass_fixtures_do_not_fire_their_rule() {
    for rule in ALL {
        let id = rule.meta().id;
        for fixture in fixtures(&root().join("testdata/rules").join(id).join("pass")) {
            assert!(
                !fires(&fixture, id),
                "{} must not fire `{id}`, got:\n{}",
                fixture.name,
                described(&fixture)
            );
        }
    }
}

/// All findings of all rules on each rule's fixtures, so a change in position, severity or
/// wording is reviewed, not silently accepted.
#[test]
fn fixture_findings_are_pinned() {
    for rule in ALL {
        let id = rule.meta().id;
        let mut text = String::new();
        for kind in ["fail", "pass"] {
            for fixture in fixtures(&root().join("testdata/rules").join(id).join(kind)) {
                if fixture.reports.len() == 1 && fixture.reports[0].source.path == fixture.name {
                    let report = &fixture.reports[0];
                    text += &format!("== {}\n{}", report.source.path, describe(report));
                    continue;
                }
                text += &format!("== {}\n", fixture.name);
                for report in &fixture.reports {
                    text += &format!("-- {}\n{}", report.source.path, describe(report));
                }
            }
        }
        insta::assert_snapshot!(format!("fixtures__{id}"), text);
    }
}

/// Every SageMaker escalation path in `data/risk/privilege-escalation.json` has a fixture that
/// must fire and one that must not, named after the path.
#[test]
fn every_sagemaker_escalation_path_has_fixtures() {
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("data/risk/privilege-escalation.json"))
            .expect("data file"),
    )
    .expect("valid JSON");
    let paths = data["paths"].as_array().expect("paths");
    let mut checked = 0;
    for path in paths {
        let sagemaker = path["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .any(|a| a.as_str().is_some_and(|a| a.starts_with("sagemaker:")));
        if !sagemaker {
            continue;
        }
        let id = path["id"].as_str().expect("id");
        for kind in ["fail", "pass"] {
            let file = root()
                .join("testdata/rules/privilege-escalation")
                .join(kind)
                .join(format!("{id}.json"));
            assert!(file.is_file(), "no {kind} fixture for path `{id}`");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} SageMaker paths");
}
