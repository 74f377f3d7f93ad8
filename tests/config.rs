//! `mlpolicy.toml` end to end: discovery, `--config` / `--no-config`, disabled rules,
//! severity remaps, rule options, config errors with positions, `[[ignore]]` entries used and
//! unused, and baselines.

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

/// A bucket policy open to anyone (`public-principal`, an error).
const PUBLIC: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Site",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::ml-site/*"
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

#[test]
fn ignores_excludes_and_their_use_are_reported() {
    let t = Tree::new("config-ignores");
    t.file(".git/HEAD", b"");
    t.file(
        "mlpolicy.toml",
        br#"exclude = ["fixtures"]

[[ignore]]
rule = "public-principal"
path = "buckets/site.json"
pointer = "/Statement/0/Principal"
reason = "static site, public by design"

[[ignore]]
rule = "redundant-action"
path = "roles/*.json"
line = 6
reason = "generated; fixed upstream"

[[ignore]]
rule = "public-principal"
path = "roles/*.json"
reason = "left from the old layout"

[[ignore]]
rule = "public-principal"
path = "buckets/website.json"
reason = "renamed since"
"#,
    );
    t.file("buckets/site.json", PUBLIC);
    t.file("roles/ds.json", DUPLICATE);
    t.file("fixtures/broken.json", b"{\"Statement\": [}");
    let o = run_in(&t.0, &["lint", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "unused ignores are warnings");
    insta::assert_snapshot!("config_ignores_json", stdout(&o));
    let o = run_in(&t.0, &["lint", ".", "--color", "never"]);
    insta::assert_snapshot!("config_ignores_human", stdout(&o));
    // Excludes apply to named files too (pre-commit names every staged file).
    let (_, v) = json_in(&t.0, &["lint", "fixtures/broken.json"]);
    assert_eq!(
        (v["summary"]["files"].as_u64(), findings(&v).len()),
        (Some(0), 0)
    );
    // Linting one file says nothing about the files an entry names that were not linted.
    let (_, v) = json_in(&t.0, &["lint", "buckets/site.json"]);
    assert!(findings(&v).is_empty(), "{v:#}");
    // SARIF keeps the suppressed finding, dismissed with the reason.
    let o = run_in(&t.0, &["lint", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{"kind": "external", "justification": "static site, public by design"}])
    );
}

/// A policy with two findings; `{extra}` lets a test add statements.
fn policy(lead: &str, extra: &str) -> Vec<u8> {
    format!(
        r#"{{{lead}
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["s3:GetObject", "s3:GetObject"],
      "Resource": "arn:aws:s3:::ml-site/*"
    }}{extra}
  ]
}}
"#
    )
    .into_bytes()
}

#[test]
fn baselines_survive_moved_lines_and_report_only_new_findings() {
    let t = Tree::new("config-baseline");
    t.file(".git/HEAD", b"");
    t.file("iam/bucket.json", &policy("", ""));
    t.file("iam/role.json", DUPLICATE);
    let o = run_in(
        &t.0,
        &["lint", "iam", "--write-baseline", ".mlpolicy-baseline.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stderr(&o).contains("wrote 3 findings to .mlpolicy-baseline.json"));
    assert!(stdout(&o).ends_with("; 3 suppressed\n"), "{}", stdout(&o));
    let written = std::fs::read_to_string(t.0.join(".mlpolicy-baseline.json")).expect("written");
    insta::assert_snapshot!("baseline_file", written);

    // Lines move (a new first line), and a new statement brings a new finding.
    let new = r#",
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::ml-site"
    }"#;
    t.file("iam/bucket.json", &policy("\n  \"Id\": \"site\",", new));
    let (code, v) = json_in(
        &t.0,
        &["lint", "iam", "--baseline", ".mlpolicy-baseline.json"],
    );
    assert_eq!(findings(&v), ["public-principal error iam/bucket.json:13"]);
    assert_eq!(code, Some(1));
    assert_eq!(v["summary"]["suppressed"], 3);
    assert_eq!(v["summary"]["stale_baseline"], 0);
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "baseline");

    // From another folder, the same baseline still places the files.
    let (_, v) = json_in(
        &t.0.join("iam"),
        &["lint", ".", "--baseline", "../.mlpolicy-baseline.json"],
    );
    assert_eq!(v["summary"]["suppressed"], 3, "{v:#}");

    // A fixed finding leaves a stale entry: counted, not failed.
    t.file("iam/role.json", common::GOOD);
    let o = run_in(
        &t.0,
        &[
            "lint",
            "iam",
            "--baseline",
            ".mlpolicy-baseline.json",
            "--color",
            "never",
        ],
    );
    assert!(
        stdout(&o).ends_with("; 2 suppressed; 1 baseline entry matched nothing\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn baseline_files_are_deterministic() {
    let t = Tree::new("config-baseline-determinism");
    t.file(".git/HEAD", b"");
    for i in 0..40 {
        t.file(format!("p/{i:02}.json"), &policy("", ""));
    }
    let mut files = Vec::new();
    for jobs in ["1", "8", "8"] {
        let o = run_in(
            &t.0,
            &[
                "lint",
                "p",
                "-q",
                "--jobs",
                jobs,
                "--write-baseline",
                "b.json",
            ],
        );
        assert_eq!(o.status.code(), Some(0));
        files.push(std::fs::read(t.0.join("b.json")).expect("baseline"));
    }
    assert!(files.windows(2).all(|w| w[0] == w[1]));
    // Writing over a baseline with itself keeps it as it is.
    let o = run_in(
        &t.0,
        &[
            "lint",
            "p",
            "-q",
            "--baseline",
            "b.json",
            "--write-baseline",
            "b.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(t.0.join("b.json")).expect("baseline"),
        files[0]
    );
}

#[test]
fn bad_baselines_are_usage_errors() {
    let t = Tree::new("config-baseline-bad");
    t.file(".git/HEAD", b"");
    t.file("p.json", common::GOOD);
    t.file("b.json", b"{\"version\": 1, \"findings\": [{\"path\": 3}]}");
    t.file("v9.json", b"{\"version\": 9, \"findings\": []}");
    let o = run_in(&t.0, &["lint", "p.json", "--baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "b.json:1:38: not a baseline: invalid type: integer `3`, expected a string\n"
        ),
        "{}",
        stderr(&o)
    );
    let o = run_in(&t.0, &["lint", "p.json", "--baseline", "v9.json"]);
    assert!(stderr(&o).contains("version 9"), "{}", stderr(&o));
    let o = run_in(&t.0, &["lint", "p.json", "--baseline", "none.json"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run_in(
        &t.0,
        &["lint", "p.json", "--write-baseline", "no/such/dir/b.json"],
    );
    assert_eq!(o.status.code(), Some(2));
}

/// `[[profiles]]` judge the files under a path as one role against a profile, as `--profile`
/// does for a whole run; files outside the path are not judged against any profile.
#[test]
fn profiles_by_path_judge_those_files_as_one_role() {
    let wide: &[u8] = br#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "arn:aws:iam::111122223333:user/ml-*"}
  ]
}
"#;
    let t = Tree::new("config-profiles");
    t.file(".git/HEAD", b"ref: refs/heads/main\n");
    t.file(
        "mlpolicy.toml",
        b"[[profiles]]\npath = \"roles/ds\"\nprofile = \"data-scientist\"\n",
    );
    t.file("roles/ds/extra.json", wide);
    t.file("other/extra.json", wide);
    let (_, v) = json_in(&t.0, &["lint", "."]);
    let profile_rules: Vec<String> = findings(&v)
        .into_iter()
        .filter(|f| f.starts_with("exceeds-profile") || f.starts_with("profile-gap"))
        .collect();
    assert!(
        profile_rules
            .iter()
            .any(|f| f == "exceeds-profile warning roles/ds/extra.json:4"),
        "{profile_rules:?}"
    );
    assert!(
        profile_rules.iter().all(|f| !f.contains("other/")),
        "{profile_rules:?}"
    );
    // The role pass's findings obey the config's settings like the others.
    t.file(
        "mlpolicy.toml",
        b"[rules]\ndisable = [\"profile-gap\"]\n[rules.exceeds-profile]\nseverity = \"error\"\n\n[[profiles]]\npath = \"roles/ds\"\nprofile = \"data-scientist\"\n",
    );
    let (_, v) = json_in(&t.0, &["lint", "."]);
    let profile_rules: Vec<String> = findings(&v)
        .into_iter()
        .filter(|f| f.starts_with("exceeds-profile") || f.starts_with("profile-gap"))
        .collect();
    assert_eq!(
        profile_rules,
        ["exceeds-profile error roles/ds/extra.json:4"]
    );
    // An unknown profile is a config error with its position and a suggestion.
    t.file(
        "mlpolicy.toml",
        b"[[profiles]]\npath = \"roles/ds\"\nprofile = \"data-scientists\"\n",
    );
    let o = run_in(&t.0, &["lint", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("`data-scientists` is not a role profile (did you mean `data-scientist`?)")
            && stderr(&o).contains("mlpolicy.toml:3:11"),
        "{}",
        stderr(&o)
    );
}
