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

/// The binary as a user that file permissions apply to. Root reads a chmod 000 file, so as
/// root the binary runs as `nobody` through `setpriv`, when that works and `nobody` can read
/// the tree; `None` (with the reason printed) when it cannot.
#[cfg(unix)]
fn unprivileged(args: &[&str], readable: &std::path::Path) -> Option<Command> {
    if !running_as_root() {
        return Some(command(args));
    }
    let as_nobody = |program: &str, args: &[&str]| {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            program,
        ])
        .args(args)
        .current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        c
    };
    let bin = env!("CARGO_BIN_EXE_mlpolicy");
    let probe = readable.to_string_lossy();
    let works = as_nobody(bin, &["--version"])
        .output()
        .is_ok_and(|o| o.status.success())
        && as_nobody("test", &["-r", &probe])
            .output()
            .is_ok_and(|o| o.status.success());
    if !works {
        eprintln!(
            "running as root, and `setpriv` cannot run mlpolicy as `nobody` on this tree: \
             the unreadable-file path is not exercised here"
        );
        return None;
    }
    Some(as_nobody(bin, args))
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new("hostile-unreadable");
    let locked = t.file("locked.json", ONE_FINDING);
    t.file("other.json", ONE_FINDING);
    let good = t.file("good.json", GOOD);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let path = t.path();
    let args = ["lint", &path, "--format", "json"];
    let Some(mut cmd) = unprivileged(&args, &good) else {
        // Root without a way to drop privileges: the file is readable and must be linted.
        let o = run(&args);
        assert_no_panic(&o);
        let v = json_of(&o);
        assert_eq!(rules_for(&v, "/locked.json"), ["unknown-action"], "{v:#}");
        assert_eq!(rules_for(&v, "/other.json"), ["unknown-action"], "{v:#}");
        assert_eq!(o.status.code(), Some(1));
        return;
    };
    let o = cmd.output().expect("run");
    assert_no_panic(&o);
    let v = json_of(&o);
    // The other files are linted whatever happens to the locked one.
    assert_eq!(rules_for(&v, "/other.json"), ["unknown-action"], "{v:#}");
    assert!(rules_for(&v, "/good.json").is_empty(), "{v:#}");
    let errs = errors(&v);
    assert_eq!(errs.len(), 1, "{v:#}");
    assert!(
        errs[0]["path"]
            .as_str()
            .expect("path")
            .ends_with("/locked.json"),
        "{v:#}"
    );
    let message = errs[0]["message"].as_str().expect("message");
    assert!(message.contains("Permission denied"), "{message}");
    assert!(rules_for(&v, "/locked.json").is_empty(), "{v:#}");
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["unreadable"], 1);
    // An input that could not be read outranks the findings: exit 2.
    assert_eq!(o.status.code(), Some(2));
}

/// 50 MB, far over the 16 MiB limit, refused from its size alone: where possible the file is
/// also unreadable, so that opening it would give a different message.
#[cfg(unix)]
#[test]
fn fifty_megabyte_file_is_refused_without_being_read() {
    use std::os::unix::fs::PermissionsExt;
    const SIZE: u64 = 50 * 1000 * 1000;
    let t = Tree::new("hostile-fifty-mb");
    // Sparse: costs nothing to make, and reading it would still take every byte.
    let big = t.file("big.json", b"{\"Statement\": [");
    fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(SIZE))
        .expect("grow the file");
    fs::set_permissions(&big, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    t.file("bad.json", ONE_FINDING);
    let good = t.file("good.json", GOOD);
    let path = t.path();
    let big_path = big.to_string_lossy().into_owned();
    // Walked in a tree, and named on the command line.
    for args in [
        vec!["lint", path.as_str(), "--format", "json"],
        vec!["lint", big_path.as_str(), "--format", "json"],
    ] {
        let mut cmd = unprivileged(&args, &good).unwrap_or_else(|| command(&args));
        let started = std::time::Instant::now();
        let o = cmd.output().expect("run");
        let took = started.elapsed();
        assert_no_panic(&o);
        assert!(took < Duration::from_secs(10), "took {took:?}");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let v = json_of(&o);
        let errs = errors(&v);
        assert_eq!(errs.len(), 1, "{v:#}");
        let message = errs[0]["message"].as_str().expect("message");
        assert_eq!(
            message,
            format!("file is {SIZE} bytes, over the 16 MiB limit; not read"),
            "{args:?}"
        );
        if args[1] == path {
            assert_eq!(rules_for(&v, "/bad.json"), ["unknown-action"], "{v:#}");
            assert_eq!(v["summary"]["files"], 2, "{v:#}");
        }
    }
}

/// Windows tools (PowerShell's `Out-File`, Notepad's "Unicode") write UTF-16 with a
/// byte-order mark. Such a policy is reported, walked or named; other UTF-16 JSON is
/// skipped like any other non-policy.
#[test]
fn utf16_with_bom_is_reported_and_the_rest_is_linted() {
    let utf16 = |text: &[u8], big_endian: bool| -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in String::from_utf8_lossy(text).encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    };
    let t = Tree::new("hostile-utf16");
    t.file("policy-le.json", &utf16(GOOD, false));
    t.file("policy-be.json", &utf16(GOOD, true));
    t.file(
        "package.json",
        &utf16(br#"{"name": "x", "version": "1.0.0"}"#, false),
    );
    t.file("bad.json", ONE_FINDING);
    t.file("good.json", GOOD);
    let o = run(&["lint", &t.path(), "--format", "json"]);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    for name in ["/policy-le.json", "/policy-be.json"] {
        assert_eq!(rules_for(&v, name), ["invalid-json"], "{v:#}");
        let f = findings(&v)
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .expect("finding");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(1), Some(1))
        );
        let message = f["message"].as_str().expect("message");
        assert!(message.contains("UTF-16"), "{message}");
    }
    assert_eq!(rules_for(&v, "/bad.json"), ["unknown-action"], "{v:#}");
    assert!(rules_for(&v, "/package.json").is_empty(), "{v:#}");
    assert_eq!(v["summary"]["files"], 4, "{v:#}");
    assert_eq!(v["summary"]["skipped"], 1, "{v:#}");
    assert!(errors(&v).is_empty(), "{v:#}");
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

/// 100,000 files in one folder. Writing the tree took 164 s on the 2-core machine, too slow
/// for CI: run it by hand with `cargo test --test hostile -- --ignored`, or measure the same
/// with `scripts/bench.py --generate 100000 --one-folder`.
#[test]
#[ignore = "slow: 100,000 files; run by hand with --ignored"]
fn hundred_thousand_files_in_one_folder() {
    const N: usize = 100_000;
    let t = Tree::new("hostile-hundred-thousand");
    let dir = t.0.join("many");
    fs::create_dir_all(&dir).expect("dir");
    for i in 0..N {
        let (name, bytes): (String, &[u8]) = match i % 4 {
            0 => (format!("p{i:06}.json"), ONE_FINDING),
            1 => (format!("p{i:06}.json"), GOOD),
            2 => (format!("p{i:06}.json"), br#"{"name": "x"}"#),
            _ => (format!("p{i:06}.json"), b"{\"Statement\": [}"),
        };
        fs::write(dir.join(name), bytes).expect("write");
    }
    let o = run(&["lint", &t.path(), "--format", "json"]);
    assert_no_panic(&o);
    assert_eq!(o.status.code(), Some(1));
    let v = json_of(&o);
    let s = &v["summary"];
    assert_eq!(s["files"], 3 * N / 4, "{s:#}");
    assert_eq!(s["skipped"], N / 4, "{s:#}");
    assert_eq!(s["policies"], N / 2, "{s:#}");
    assert_eq!(s["findings"]["error"], N / 2, "{s:#}");
    let f = findings(&v);
    assert_eq!(f.len(), N / 2);
    // In path order: p000000 (unknown-action), p000003 (invalid-json), p000004, ...
    for (k, finding) in f.iter().enumerate() {
        let i = (k / 2) * 4 + if k % 2 == 0 { 0 } else { 3 };
        let rule = if k % 2 == 0 {
            "unknown-action"
        } else {
            "invalid-json"
        };
        assert_eq!(finding["rule"], rule, "{finding:#}");
        let path = finding["path"].as_str().expect("path");
        assert!(path.ends_with(&format!("/p{i:06}.json")), "{path}");
    }
    assert!(errors(&v).is_empty());
}
