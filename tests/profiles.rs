//! Role profiles end to end: `profiles`, `lint --profile` and `scaffold`, their output (golden)
//! and exit codes, and the promise that what scaffold prints lints clean under its profile.

mod common;

use common::{Tree, mlpolicy, run_stdin, stdout};

const FULL: &[&str] = &[
    "--region",
    "us-east-1",
    "--account",
    "111122223333",
    "--bucket",
    "ml-data",
    "--bucket",
    "ml-artifacts",
    "--pass-role",
    "arn:aws:iam::111122223333:role/ml-training",
    "--ecr-repo",
    "training",
    "--athena-workgroup",
    "primary",
    "--glue-database",
    "features",
];

const KMS_VPC: &[&str] = &[
    "--kms-key",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "--vpc",
];

fn scaffold(profile: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scaffold", "--profile", profile];
    args.extend_from_slice(FULL);
    args.extend_from_slice(extra);
    mlpolicy(&args)
}

fn findings(o: &std::process::Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("json: {e}\n{}", String::from_utf8_lossy(&o.stdout)));
    v["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn profiles_are_listed_and_shown() {
    let o = mlpolicy(&["profiles"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("profiles_list", stdout(&o));
    let o = mlpolicy(&["profiles", "training-job"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("profiles_show_training_job", stdout(&o));
    let o = mlpolicy(&["profiles", "data-scientst"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `data-scientist`"), "{err}");
}

#[test]
fn every_profile_scaffolds_a_policy_that_lints_clean() {
    for p in mlpolicy::profile::all() {
        for extra in [&[][..], KMS_VPC] {
            let o = scaffold(&p.name, extra);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}: {}",
                p.name,
                String::from_utf8_lossy(&o.stderr)
            );
            let policy = o.stdout;
            // Without a profile: nothing at all to report.
            let plain = run_stdin(&policy, &["lint", "-", "--format", "json"]);
            assert_eq!(plain.status.code(), Some(0), "{}", p.name);
            assert!(
                findings(&plain).is_empty(),
                "{}: {:?}",
                p.name,
                findings(&plain)
            );
            // With its profile: nothing beyond it, nothing missing.
            let judged = run_stdin(
                &policy,
                &[
                    "lint",
                    "-",
                    "--format",
                    "json",
                    "--profile",
                    &p.name,
                    "--fail-on",
                    "note",
                ],
            );
            assert_eq!(judged.status.code(), Some(0), "{}", p.name);
            assert!(
                findings(&judged).is_empty(),
                "{}: {:?}",
                p.name,
                findings(&judged)
            );
        }
    }
}

#[test]
fn scaffold_output_is_pinned() {
    let o = scaffold("data-scientist", &[]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("scaffold_data_scientist", stdout(&o));
    let o = scaffold("training-job", KMS_VPC);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("scaffold_training_job_kms_vpc", stdout(&o));
}

#[test]
fn scaffold_names_the_flags_a_profile_needs() {
    let o = mlpolicy(&[
        "scaffold",
        "--profile",
        "data-scientist",
        "--region",
        "us-east-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the `data-scientist` profile needs --account, --bucket, --pass-role"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let o = mlpolicy(&["scaffold", "--profile", "no-such-profile"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn scaffold_refuses_values_that_are_not_named_resources() {
    let cases: &[(&str, &str)] = &[
        ("--bucket", "*"),
        ("--bucket", "ml-data/prefix"),
        ("--account", "1234"),
        ("--region", "mars"),
        ("--pass-role", "arn:aws:iam::111122223333:user/alice"),
        (
            "--pass-role",
            "arn:aws:iam::111122223333:role/${aws:username}",
        ),
        (
            "--ecr-repo",
            "arn:aws:ecr:us-east-1:111122223333:repository/x",
        ),
        ("--kms-key", "alias/ml"),
    ];
    for (flag, value) in cases {
        let mut args = vec!["scaffold", "--profile", "notebook-execution"];
        args.extend_from_slice(FULL);
        args.extend_from_slice(&[flag, value]);
        let o = mlpolicy(&args);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(flag), "{flag} {value}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn lint_with_a_profile_judges_the_folder_as_one_role() {
    let dir = "testdata/rules/exceeds-profile/fail/data-scientist";
    let o = mlpolicy(&[
        "lint",
        dir,
        "--profile",
        "data-scientist",
        "--color",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(1), "exceeds-profile is a warning");
    insta::assert_snapshot!("lint_profile_human", stdout(&o));
    // Without the profile, neither rule says anything.
    let v = mlpolicy(&["lint", dir, "--format", "json"]);
    assert!(
        findings(&v)
            .iter()
            .all(|f| { f["rule"] != "exceeds-profile" && f["rule"] != "profile-gap" })
    );
    // Gaps are notes: they fail only with `--fail-on note`.
    let gap = "testdata/rules/profile-gap/fail/training-job";
    let o = mlpolicy(&["lint", gap, "--profile", "training-job"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = mlpolicy(&[
        "lint",
        gap,
        "--profile",
        "training-job",
        "--fail-on",
        "note",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = mlpolicy(&["lint", gap, "--profile", "no-such-profile"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn role_findings_do_not_depend_on_the_thread_count() {
    let t = Tree::new("profile-role");
    for i in 0..40 {
        t.file(
            format!("p{i:02}.json"),
            format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["s3:Get*", "sagemaker:Describe{}*"], "Resource": "*"}}]}}"#,
                ["Training", "Model", "Endpoint", "App"][i % 4]
            )
            .as_bytes(),
        );
    }
    let args = |jobs: &'static str| {
        vec![
            "lint",
            "",
            "--profile",
            "training-job",
            "--format",
            "json",
            "--jobs",
            jobs,
        ]
    };
    let path = t.path();
    let run = |jobs| {
        let mut a = args(jobs);
        a[1] = &path;
        mlpolicy(&a)
    };
    let one = run("1");
    assert!(!findings(&one).is_empty());
    for _ in 0..3 {
        assert_eq!(one.stdout, run("8").stdout);
    }
}

/// Role Manager's own personas, rebuilt from its activity templates, judged against the
/// profiles made from them: nothing beyond the profile, and the gaps pinned (each one a
/// difference the activity's `notes` explain, or an action the template grants on a resource
/// the action cannot use).
#[test]
fn role_manager_personas_fit_their_profiles() {
    let templates = common::root()
        .join("../shared/corpus/public-ml/cdk-aws-sagemaker-role-manager/assets/templates");
    if !templates.is_dir() {
        eprintln!("SKIPPED: ../shared/corpus is absent; Role Manager personas not checked");
        return;
    }
    let personas: &[(&str, &[&str])] = &[
        (
            "data-scientist",
            &[
                "runStudioApps",
                "manageJobs",
                "manageModels",
                "manageExperiments",
                "visualizeExperiments",
                "accessS3Buckets",
            ],
        ),
        (
            "mlops",
            &[
                "runStudioApps",
                "manageModels",
                "manageEndpoints",
                "managePipelines",
                "visualizeExperiments",
            ],
        ),
        ("sagemaker-compute", &["accessAWSServices"]),
        ("training-job", &["accessAWSServicesVpcKms"]),
    ];
    let mut text = String::new();
    for (profile, activities) in personas {
        let t = Tree::new(&format!("role-manager-{profile}"));
        for a in *activities {
            // The templates wrap the policy: `{"name", "templateJson", "trustTemplateJson"}`.
            let raw = std::fs::read(templates.join(format!("{a}.json"))).expect("template");
            let wrapped: serde_json::Value = serde_json::from_slice(&raw).expect("json");
            let policy = serde_json::to_string_pretty(&wrapped["templateJson"]).expect("json");
            t.file(format!("{a}.json"), policy.as_bytes());
        }
        let options = mlpolicy::RunOptions {
            profile: mlpolicy::profile::get(profile),
            ..mlpolicy::RunOptions::default()
        };
        let outcome = mlpolicy::lint_with(&[t.path()], &options).expect("no config");
        text += &format!("== {profile}: {}\n", activities.join(", "));
        for (file, f) in outcome.findings() {
            assert_ne!(f.rule, "exceeds-profile", "{profile}: {}", f.message);
            if f.rule == "profile-gap" {
                let name = file.source.path.rsplit('/').next().unwrap_or_default();
                text += &format!("{name}: {}\n", f.message);
            }
        }
    }
    insta::assert_snapshot!("role_manager_personas", text);
}
