//! The binary against hostile file systems and inputs: odd names, permissions, many files,
//! huge files, odd stdin, symlink loops. Every run must end with a report, never a panic.

mod common;

use common::{GOOD, Tree, command, mlpolicy as run, run_stdin};
use std::fs;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

const STDIN_JSON: &[&str] = &["lint", "-", "--format", "json"];

/// Exactly one finding: unknown-action (error), at 1:71.
const ONE_FINDING: &[u8] = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}]}"#;

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON output: {e}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn findings(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["findings"].as_array().expect("findings array")
}

fn errors(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["errors"].as_array().expect("errors array")
}

fn rules_for<'a>(v: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    findings(v)
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect()
}

fn assert_no_panic(o: &Output) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_ne!(o.status.code(), Some(101), "panic exit: {stderr}");
}

/// Runs the command, killing it (and failing) if it has not finished after 20 s.
fn run_with_watchdog(mut cmd: Command) -> Output {
    let child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let killed = Arc::new(AtomicBool::new(false));
    let (done, wait_done) = mpsc::channel::<()>();
    let watchdog = {
        let killed = Arc::clone(&killed);
        std::thread::spawn(move || {
            if wait_done.recv_timeout(Duration::from_secs(20)).is_err() {
                killed.store(true, Ordering::SeqCst);
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        })
    };
    let out = child.wait_with_output().expect("wait");
    let _ = done.send(());
    watchdog.join().expect("watchdog thread");
    assert!(
        !killed.load(Ordering::SeqCst),
        "mlpolicy did not finish within 20 s and was killed"
    );
    out
}

#[cfg(unix)]
#[test]
fn non_utf8_file_name_is_linted_under_its_lossy_name() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let t = Tree::new("hostile-non-utf8");
    let name = OsStr::from_bytes(b"bad-\xff.json");
    if fs::write(t.0.join(name), ONE_FINDING).is_err() {
        // Some file systems (e.g. strict-UTF-8 ones) refuse such names: nothing to test.
        eprintln!("file system refuses non-UTF-8 names; skipped");
        return;
    }
    let o = run(&["lint", &t.path(), "--format", "json"]);
    assert_no_panic(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json_of(&o);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["rule"], "unknown-action");
    let path = f[0]["path"].as_str().expect("path");
    assert!(path.ends_with("/bad-\u{FFFD}.json"), "{path}");
    assert_eq!(v["summary"]["files"], 1);
    assert!(errors(&v).is_empty(), "{v:#}");
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_unless_root() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new("hostile-unreadable");
    let locked = t.file("locked.json", ONE_FINDING);
    t.file("other.json", ONE_FINDING);
    t.file("good.json", GOOD);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let o = run(&["lint", &t.path(), "--format", "json"]);
    assert_no_panic(&o);
    let v = json_of(&o);
    // The other files are linted whatever happens to the locked one.
    assert_eq!(rules_for(&v, "/other.json"), ["unknown-action"], "{v:#}");
    assert!(rules_for(&v, "/good.json").is_empty(), "{v:#}");
    if running_as_root() {
        eprintln!("running as root: the chmod 000 file is readable and must be linted");
        assert_eq!(rules_for(&v, "/locked.json"), ["unknown-action"], "{v:#}");
        assert!(errors(&v).is_empty(), "{v:#}");
        assert_eq!(v["summary"]["files"], 3);
        assert_eq!(o.status.code(), Some(1));
    } else {
        eprintln!("not root: the chmod 000 file must be reported as unreadable");
        let errs = errors(&v);
        assert_eq!(errs.len(), 1, "{v:#}");
        assert!(
            errs[0]["path"]
                .as_str()
                .expect("path")
                .ends_with("/locked.json"),
            "{v:#}"
        );
        assert!(rules_for(&v, "/locked.json").is_empty(), "{v:#}");
        assert_eq!(v["summary"]["files"], 2);
        assert_eq!(v["summary"]["unreadable"], 1);
        assert_eq!(o.status.code(), Some(2));
    }
}

#[test]
fn twenty_thousand_files_in_one_folder() {
    const N: usize = 20_000;
    let t = Tree::new("hostile-many");
    let dir = t.0.join("many");
    fs::create_dir_all(&dir).expect("dir");
    for i in 0..N {
        let (name, bytes): (String, &[u8]) = if i % 2 == 0 {
            (format!("policy-{i:05}.json"), ONE_FINDING)
        } else {
            (
                format!("package-{i:05}.json"),
                br#"{"name": "x", "version": "1.0.0"}"#,
            )
        };
        fs::write(dir.join(name), bytes).expect("write");
    }
    let path = t.path();
    let one = run(&["lint", &path, "--format", "json", "--jobs", "1"]);
    let four = run(&["lint", &path, "--format", "json", "--jobs", "4"]);
    assert_no_panic(&one);
    assert_no_panic(&four);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(four.status.code(), Some(1));
    let v = json_of(&one);
    assert_eq!(v["summary"]["files"], N / 2, "{:#}", v["summary"]);
    assert_eq!(v["summary"]["skipped"], N / 2, "{:#}", v["summary"]);
    assert_eq!(v["summary"]["policies"], N / 2, "{:#}", v["summary"]);
    assert_eq!(v["summary"]["findings"]["error"], N / 2);
    let f = findings(&v);
    assert_eq!(f.len(), N / 2);
    assert!(f.iter().all(|f| f["rule"] == "unknown-action"));
    assert!(errors(&v).is_empty());
    assert!(
        one.stdout == four.stdout,
        "--jobs 1 and --jobs 4 give different JSON"
    );
}

#[test]
fn five_megabyte_single_line_policy() {
    let t = Tree::new("hostile-long-line");
    let mut text = String::from(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:GetObject"], "Resource": ["#,
    );
    const ARNS: usize = 100_000;
    for i in 0..ARNS {
        // 50 bytes a value with its quotes and comma.
        text.push_str(&format!(
            "\"arn:aws:s3:::ml-training-data-{i:06}/datasets/*\","
        ));
    }
    let malformed_at = text.len();
    text.push_str(r#""arn:aws:s3"]}]}"#);
    assert!(text.len() >= 5_000_000, "{}", text.len());
    assert!(!text.contains('\n'));
    t.file("long.json", text.as_bytes());

    let o = run(&["lint", &t.path(), "--format", "json"]);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    assert_eq!(v["summary"]["files"], 1);
    assert!(errors(&v).is_empty(), "{v:#}");
    let f = findings(&v);
    assert!(
        f.iter().all(|f| f["line"] == 1 && f["end_line"] == 1),
        "{v:#}"
    );
    let unknown = f
        .iter()
        .find(|f| f["rule"] == "unknown-action")
        .expect("unknown-action finding");
    let at = text.find("\"s3:GetObjekt\"").expect("action") + 1;
    assert_eq!(unknown["column"].as_u64(), Some(at as u64));
    let malformed = f
        .iter()
        .find(|f| f["rule"] == "malformed-arn")
        .expect("malformed-arn finding for the last value");
    // All ASCII: the column is the byte offset plus one, far along the line.
    assert_eq!(malformed["column"].as_u64(), Some(malformed_at as u64 + 1));
    assert_eq!(
        malformed["pointer"],
        format!("/Statement/0/Resource/{ARNS}"),
        "{malformed:#}"
    );
}

#[test]
fn seventeen_megabyte_file_is_refused_in_sarif() {
    let t = Tree::new("hostile-big-sarif");
    let mut big = b"{\"Statement\": [], \"Id\": \"".to_vec();
    big.resize(17 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}");
    t.file("big.json", &big);
    t.file("bad.json", ONE_FINDING);
    t.file("good.json", GOOD);
    let o = run(&["lint", &t.path(), "--format", "sarif"]);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    let sarif = json_of(&o);
    let run = &sarif["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    let notes = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("toolExecutionNotifications");
    assert_eq!(notes.len(), 1, "{notes:#?}");
    let text = notes[0]["message"]["text"].as_str().expect("message");
    assert!(text.contains("big.json"), "{text}");
    assert!(text.contains("over the 16 MiB limit"), "{text}");
    // The rest is still linted: the one finding of bad.json is a result.
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0]["ruleId"], "unknown-action");
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.ends_with("bad.json"), "{uri}");
}

#[test]
fn empty_stdin_is_invalid_json() {
    let o = run_stdin(b"", STDIN_JSON);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["rule"], "invalid-json");
    assert_eq!(f[0]["path"], "<stdin>");
    assert!(
        f[0]["message"]
            .as_str()
            .expect("message")
            .contains("end of file"),
        "{v:#}"
    );
}

#[test]
fn binary_stdin_is_invalid_json() {
    for input in [
        &b"\x00\x01\xff\xfe\x89PNG\r\n\x1a\n"[..],
        &b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"[..],
        &b"\x7fELF\x02\x01\x01\x00\x00\x00"[..],
    ] {
        let o = run_stdin(input, STDIN_JSON);
        assert!(
            o.stderr.is_empty(),
            "{input:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(1), "{input:?}");
        let v = json_of(&o);
        let f = findings(&v);
        assert_eq!(f.len(), 1, "{input:?}: {v:#}");
        assert_eq!(f[0]["rule"], "invalid-json", "{input:?}");
        assert_eq!(f[0]["path"], "<stdin>");
        assert!(!f[0]["message"].as_str().expect("message").is_empty());
    }
}

#[cfg(unix)]
#[test]
fn directory_symlink_to_itself_named_on_the_command_line() {
    use std::os::unix::fs::symlink;
    let t = Tree::new("hostile-self-link");
    t.file("p.json", ONE_FINDING);
    t.file("sub/q.json", GOOD);
    // `loop` resolves to the folder holding it: loop/loop/loop/... forever if followed.
    symlink(".", t.0.join("loop")).expect("symlink");
    symlink("..", t.0.join("sub/up")).expect("symlink");
    let arg = format!("{}/loop", t.path());
    let mut cmd = command(&["lint", &arg, "--format", "json"]);
    let o = run_with_watchdog(cmd);
    assert_no_panic(&o);
    let code = o.status.code();
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}");
    let v = json_of(&o);
    // The links inside are passed over, not followed: each real file is linted once.
    assert_eq!(v["summary"]["files"], 2, "{v:#}");
    assert_eq!(rules_for(&v, "/p.json"), ["unknown-action"], "{v:#}");

    // A link naming itself cannot be resolved at all: an input error, still no hang.
    symlink("self", t.0.join("self")).expect("symlink");
    cmd = command(&["lint", &format!("{}/self", t.path()), "--format", "json"]);
    let o = run_with_watchdog(cmd);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(2));
    let v = json_of(&o);
    assert_eq!(errors(&v).len(), 1, "{v:#}");
    assert_eq!(v["summary"]["files"], 0);
}
