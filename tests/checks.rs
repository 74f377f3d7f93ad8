//! `mlpolicy check ...` end to end: every check in every format (golden), exit codes,
//! determinism, and `no-new-access --git` against a temporary repository.

mod common;

use common::{Tree, mlpolicy, stdout};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ACCESS: &str = "testdata/checks/access";
const NEW_ACCESS: &str = "testdata/checks/new-access";
const PUBLIC: &str = "testdata/checks/public";

fn redact(s: &str) -> String {
    s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

/// The three checks as the golden tests run them.
fn runs() -> Vec<(&'static str, Vec<String>)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            "access_not_granted",
            s(&[
                "check",
                "access-not-granted",
                "--action",
                "iam:PassRole",
                "--action",
                "s3:Delete*",
                "--action",
                "s3:PutBucketPolicy",
                ACCESS,
            ]),
        ),
        (
            "no_new_access",
            s(&[
                "check",
                "no-new-access",
                &format!("{NEW_ACCESS}/old.json"),
                &format!("{NEW_ACCESS}/new.json"),
            ]),
        ),
        (
            "no_public_access",
            s(&[
                "check",
                "no-public-access",
                "--trusted-account",
                "111122223333",
                PUBLIC,
            ]),
        ),
    ]
}

#[test]
fn every_check_in_every_format_is_pinned() {
    for (name, args) in runs() {
        for format in ["human", "json", "sarif"] {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            args.extend(["--format", format]);
            let o = mlpolicy(&args);
            assert_eq!(o.status.code(), Some(1), "{name} {format} fails");
            let text = stdout(&o);
            if format != "human" {
                let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
                if format == "json" {
                    assert_eq!(v["version"], 1);
                    assert_eq!(v["verdict"], "fail");
                } else {
                    let run = &v["runs"][0];
                    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
                    assert_eq!(rules.len(), 1, "one rule per check");
                    assert!(
                        rules[0]["helpUri"]
                            .as_str()
                            .expect("helpUri")
                            .ends_with(&format!(
                                "checks/{}.md",
                                rules[0]["id"].as_str().expect("id")
                            ))
                    );
                    for r in run["results"].as_array().expect("results") {
                        assert_eq!(r["ruleIndex"], 0);
                    }
                }
            }
            insta::assert_snapshot!(format!("{name}_{format}"), redact(&text));
        }
    }
}

#[test]
fn output_is_deterministic() {
    for (_, args) in runs() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let first = mlpolicy(&args);
        for _ in 0..3 {
            assert_eq!(mlpolicy(&args).stdout, first.stdout);
        }
    }
}

fn code(args: &[&str]) -> Option<i32> {
    mlpolicy(args).status.code()
}

#[test]
fn exit_codes() {
    let role = "testdata/checks/access/mlops-role.json";
    // Pass: the role cannot touch IAM users, nor delete the prod bucket.
    assert_eq!(
        code(&[
            "check",
            "access-not-granted",
            "--action",
            "iam:CreateUser",
            role
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[
            "check",
            "access-not-granted",
            "--action",
            "s3:DeleteBucket",
            "--resource",
            "arn:aws:s3:::ml-data-prod",
            role
        ]),
        Some(0)
    );
    // Unknown fails by default and passes on request.
    let passrole = [
        "check",
        "access-not-granted",
        "--action",
        "iam:PassRole",
        role,
    ];
    assert_eq!(code(&passrole), Some(1));
    let mut lenient = passrole.to_vec();
    lenient.extend(["--on-unknown", "pass"]);
    assert_eq!(code(&lenient), Some(0));
    // Errors: unknown action (with a suggestion), unreadable and unparsable input.
    let o = mlpolicy(&[
        "check",
        "access-not-granted",
        "--action",
        "sagemaker:CreatTrainingJob",
        role,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("did you mean `sagemaker:CreateTrainingJob`")
    );
    assert_eq!(
        code(&[
            "check",
            "access-not-granted",
            "--action",
            "iam:PassRole",
            "no/such.json"
        ]),
        Some(2)
    );
    let t = Tree::new("checks-errors");
    let broken = t.file("broken.json", b"{\"Statement\": [}");
    let o = mlpolicy(&[
        "check",
        "no-public-access",
        broken.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("broken.json:1:16"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("ERROR no-public-access"),
        "{}",
        stdout(&o)
    );
    // Usage errors.
    assert_eq!(code(&["check", "no-new-access", role]), Some(2));
    assert_eq!(
        code(&[
            "check",
            "no-public-access",
            "--trusted-account",
            "1234",
            role
        ]),
        Some(2)
    );
    assert_eq!(code(&["check", "access-not-granted", role]), Some(2));
    // Identical policies allow nothing new; an identity policy exposes nothing.
    assert_eq!(code(&["check", "no-new-access", role, role]), Some(0));
    assert_eq!(code(&["check", "no-public-access", role]), Some(0));
    // The pages are served by `explain`.
    let o = mlpolicy(&["explain", "no-new-access"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# no-new-access\n"));
}

#[test]
fn narrower_new_policy_passes_and_widening_back_fails() {
    let old = format!("{NEW_ACCESS}/old.json");
    let narrower = format!("{NEW_ACCESS}/same-as-old.json");
    assert_eq!(code(&["check", "no-new-access", &old, &narrower]), Some(0));
    assert_eq!(code(&["check", "no-new-access", &narrower, &old]), Some(1));
}

/// `git` with a fixed identity and no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {o:?}");
    o
}

/// Runs mlpolicy in `dir`; git looks for a repository no higher than below `ceiling` (the
/// tests run inside this project's own worktree, which git must not find).
fn check_in(dir: &Path, ceiling: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlpolicy"))
        .args(args)
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", ceiling)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .expect("mlpolicy runs")
}

#[test]
fn no_new_access_against_a_git_revision() {
    let git_ok = Command::new("git").arg("--version").output();
    if !git_ok.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: git is not installed");
        return;
    }
    let t = Tree::new("checks-git");
    let repo = t.0.join("repo");
    std::fs::create_dir_all(&repo).expect("repo dir");
    let read =
        |name: &str| std::fs::read(common::root().join(NEW_ACCESS).join(name)).expect("fixture");
    t.file("repo/iam/role.json", &read("old.json"));
    t.file("repo/iam/kept.json", &read("old.json"));
    t.file("repo/iam/gone.json", &read("old.json"));
    t.file("repo/package.json", br#"{"name": "x"}"#);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    // Changed, deleted, added, and an unrelated JSON file.
    t.file("repo/iam/role.json", &read("new.json"));
    std::fs::remove_file(repo.join("iam/gone.json")).expect("rm");
    t.file("repo/iam/added.json", &read("same-as-old.json"));
    t.file("repo/package.json", br#"{"name": "y"}"#);
    git(&repo, &["add", "."]);

    let o = check_in(
        &repo,
        &t.0,
        &[
            "check",
            "no-new-access",
            "--git",
            "HEAD",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut paths: Vec<&str> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["path"].as_str().expect("path"))
        .collect();
    paths.dedup();
    assert_eq!(paths, ["iam/added.json", "iam/role.json"], "{v:#}");
    let messages = v["results"].to_string();
    assert!(
        messages.contains("`HEAD:iam/role.json` does not allow"),
        "{messages}"
    );
    assert!(
        messages.contains("statement `KeepReleasesImmutable` at line 24"),
        "{messages}"
    );
    insta::assert_snapshot!(
        "no_new_access_git_human",
        stdout(&check_in(
            &repo,
            &t.0,
            &["check", "no-new-access", "--git", "HEAD"]
        ))
    );

    // Limited to a path, and run from a subfolder: paths are relative to it.
    let o = check_in(
        &repo,
        &t.0,
        &["check", "no-new-access", "--git", "HEAD", "iam/added.json"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains("role.json"), "{}", stdout(&o));
    let o = check_in(
        &repo.join("iam"),
        &t.0,
        &["check", "no-new-access", "--git", "HEAD", "kept.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // Not a revision, not a repository.
    let o = check_in(
        &repo,
        &t.0,
        &["check", "no-new-access", "--git", "no-such-rev"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`no-such-rev` is not a commit"));
    let outside = t.0.join("outside");
    std::fs::create_dir_all(&outside).expect("dir");
    let o = check_in(&outside, &t.0, &["check", "no-new-access", "--git", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--git needs a git working tree"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Splits a documented command line into arguments: words, and `'...'` quoted ones.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').expect("closed quote");
            out.push(quoted[..end].to_string());
            rest = quoted[end + 1..].trim_start();
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// Every `$ mlpolicy check ...` example in the README and the check pages prints what the
/// document says it prints.
#[test]
fn documented_examples_are_real_output() {
    let mut documents = vec!["README.md".to_string()];
    for meta in mlpolicy::check::ALL {
        documents.push(format!("checks/{}.md", meta.id));
    }
    let mut seen = 0;
    for doc in documents {
        let text = std::fs::read_to_string(common::root().join(&doc)).expect("document");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(command) = line.strip_prefix("$ mlpolicy check ") else {
                continue;
            };
            let expected: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !l.starts_with("$ ") && !l.starts_with("```"))
                .copied()
                .collect();
            let mut args = vec!["check".to_string()];
            args.extend(words(command));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let got = stdout(&mlpolicy(&args));
            assert_eq!(
                got.lines().collect::<Vec<_>>(),
                expected,
                "{doc}: the output of `{line}` differs"
            );
            seen += 1;
        }
    }
    assert!(seen >= 7, "only {seen} examples found");
}

#[test]
fn hostile_inputs_are_errors_with_positions_not_crashes() {
    let t = Tree::new("checks-hostile");
    let deep = t.file(
        "deep.json",
        format!("{{\"Statement\": {}", "[".repeat(200_000)).as_bytes(),
    );
    let binary = t.file("binary.json", b"{\"Statement\": \"\x00\"}");
    let long = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"{}\"}}]}}",
        "*a".repeat(100_000)
    );
    let long = t.file("long.json", long.as_bytes());
    let p = |f: &std::path::PathBuf| f.to_string_lossy().into_owned();
    for file in [&deep, &binary] {
        let o = mlpolicy(&["check", "no-public-access", &p(file), "--format", "json"]);
        assert_eq!(o.status.code(), Some(2));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["verdict"], "error");
        let message = v["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains(".json:1:"), "{message}");
    }
    // A pathological pattern against a queried ARN and against itself stays bounded.
    let started = std::time::Instant::now();
    let o = mlpolicy(&[
        "check",
        "access-not-granted",
        "--action",
        "s3:GetObject",
        "--resource",
        &format!("arn:aws:s3:::{}", "a".repeat(5_000)),
        &p(&long),
    ]);
    assert_eq!(o.status.code(), Some(1), "may match: reported");
    assert_eq!(
        mlpolicy(&["check", "no-new-access", &p(&long), &p(&long)])
            .status
            .code(),
        Some(0)
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
