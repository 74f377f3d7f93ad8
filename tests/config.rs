//! `mlpolicy.toml` end to end: discovery, `--config` / `--no-config`, disabled rules,
//! severity remaps, rule options and config errors with positions.

mod common;

use common::{Tree, command, stdout};
use std::path::Path;
use std::process::Output;

/// A policy with a duplicate action (`redundant-action`, a note) and nothing else.
const DUPLICATE: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:GetObject"],
      "Resource": "arn:aws:s3:::ml-data/*"
    }
  ]
}
"#;

/// Runs the binary in `dir`, so paths in the output are relative to it.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    command(args)
        .current_dir(dir)
        .output()
        .expect("the mlpolicy binary runs")
}

fn json_in(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = run_in(dir, &all);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "json output: {e}\n{}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), v)
}

/// `rule severity path:line` for every finding.
fn findings(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["rule"].as_str().unwrap_or(""),
                f["severity"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or(""),
                f["line"]
            )
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn each_file_uses_its_nearest_config() {
    let t = Tree::new("config-nearest");
    t.file(".git/HEAD", b"ref: refs/heads/main\n");
    t.file(
        "mlpolicy.toml",
        b"[rules]\ndisable = [\"redundant-action\"]\n",
    );
    t.file(
        "team/mlpolicy.toml",
        b"[rules.redundant-action]\nseverity = \"error\"\n",
    );
    t.file("a.json", DUPLICATE);
    t.file("team/b.json", DUPLICATE);
    t.file("team/deep/c.json", DUPLICATE);
    let (code, v) = json_in(&t.0, &["lint", "."]);
    assert_eq!(
        findings(&v),
        [
            "redundant-action error team/b.json:6",
            "redundant-action error team/deep/c.json:6"
        ]
    );
    assert_eq!(code, Some(1), "the remap to error fails the run");
    // The same from inside the subtree, and for a file named on its own.
    let (_, v) = json_in(&t.0.join("team/deep"), &["lint", "c.json"]);
    assert_eq!(findings(&v), ["redundant-action error c.json:6"]);
    let (code, v) = json_in(&t.0, &["lint", "a.json"]);
    assert_eq!((code, findings(&v).len()), (Some(0), 0));
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let t = Tree::new("config-git-root");
    t.file(
        "mlpolicy.toml",
        b"[rules]\ndisable = [\"redundant-action\"]\n",
    );
    t.file("repo/.git/HEAD", b"ref: refs/heads/main\n");
    t.file("repo/p.json", DUPLICATE);
    let (_, v) = json_in(&t.0.join("repo"), &["lint", "."]);
    assert_eq!(findings(&v), ["redundant-action note p.json:6"]);
    // A repository root that holds the config is searched itself.
    t.file(
        "repo/mlpolicy.toml",
        b"[rules]\ndisable = [\"redundant-action\"]\n",
    );
    let (_, v) = json_in(&t.0.join("repo"), &["lint", "."]);
    assert!(findings(&v).is_empty());
}

#[test]
fn config_and_no_config_flags() {
    let t = Tree::new("config-flags");
    t.file(".git/HEAD", b"");
    t.file(
        "mlpolicy.toml",
        b"[rules]\ndisable = [\"redundant-action\"]\n",
    );
    t.file(
        "ci/strict.toml",
        b"[rules.redundant-action]\nseverity = \"warning\"\n",
    );
    t.file("p.json", DUPLICATE);
    let (_, v) = json_in(&t.0, &["lint", "p.json", "--no-config"]);
    assert_eq!(findings(&v), ["redundant-action note p.json:6"]);
    let (code, v) = json_in(&t.0, &["lint", "p.json", "--config", "ci/strict.toml"]);
    assert_eq!(findings(&v), ["redundant-action warning p.json:6"]);
    assert_eq!(code, Some(1));
    let o = run_in(
        &t.0,
        &[
            "lint",
            "p.json",
            "--config",
            "ci/strict.toml",
            "--no-config",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run_in(&t.0, &["lint", "p.json", "--config", "ci/missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read `ci/missing.toml`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_errors_stop_the_run_with_their_positions() {
    let t = Tree::new("config-errors");
    t.file(".git/HEAD", b"");
    t.file(
        "mlpolicy.toml",
        b"exclude = [\"fixtures/[a\"]\n\n[rules]\ndisable = [\"redundnt-action\"]\n\n[rules.unnecessary-resource-star]\nseverity = \"info\"\n",
    );
    t.file("p.json", DUPLICATE);
    let o = run_in(&t.0, &["lint", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "nothing is linted: {}", stdout(&o));
    // toml stops at the type error; once it is fixed, every other problem shows at once.
    insta::assert_snapshot!("config_type_error", stderr(&o));
    t.file(
        "mlpolicy.toml",
        b"exclude = [\"fixtures/[a\"]\n\n[rules]\ndisable = [\"redundnt-action\"]\n\n[[ignore]]\nrule = \"public-principal\"\npath = \"site.json\"\n",
    );
    let o = run_in(&t.0, &["lint", "."]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("config_problems", stderr(&o));
}

#[test]
fn trusted_accounts_mark_outsiders() {
    let t = Tree::new("config-trust");
    t.file(".git/HEAD", b"");
    t.file(
        "bucket-policy.json",
        br#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/ml", "arn:aws:iam::999988887777:root"]},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::ml-models/*"
    },
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::ml-models/*",
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}
    }
  ]
}
"#,
    );
    let (_, v) = json_in(&t.0, &["lint", "."]);
    assert!(findings(&v).is_empty(), "no zone of trust: {v:#}");
    t.file(
        "mlpolicy.toml",
        b"[rules.public-principal]\ntrusted-accounts = [\"111122223333\"]\ntrusted-org-ids = [\"o-a1b2c3d4e5\"]\n",
    );
    let (code, v) = json_in(&t.0, &["lint", "."]);
    assert_eq!(code, Some(1));
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["message"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        messages,
        [
            "`arn:aws:iam::999988887777:root` opens a bucket policy to account `999988887777`, outside the trusted accounts",
            "`Principal` `*` opens a bucket policy to `o-zzzzzzzzzz`, outside the trusted accounts and organizations",
        ]
    );
}

#[test]
fn extra_abac_actions_are_checked_like_built_in_ones() {
    let t = Tree::new("config-abac");
    t.file(".git/HEAD", b"");
    t.file(
        "role.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:StartPipelineExecution", "Resource": "arn:aws:sagemaker:us-east-1:111122223333:pipeline/*"}]}"#,
    );
    let (_, v) = json_in(&t.0, &["lint", "."]);
    assert!(findings(&v).is_empty(), "{v:#}");
    t.file(
        "mlpolicy.toml",
        b"[[rules.missing-abac-condition.extra-actions]]\naction = \"sagemaker:StartPipelineExecution\"\nresource = \"pipeline\"\narn-type = \"pipeline/\"\nlevel = \"write\"\n",
    );
    let (_, v) = json_in(&t.0, &["lint", "."]);
    assert_eq!(findings(&v), ["missing-abac-condition warning role.json:1"]);
    assert_eq!(
        v["findings"][0]["message"],
        "`sagemaker:StartPipelineExecution` is allowed on `arn:aws:sagemaker:us-east-1:111122223333:pipeline/*` with no condition tying the pipeline to its owner"
    );
}
