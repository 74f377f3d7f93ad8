//! A streamed run lints a small tree from its first walk and walks a large one again: both
//! must give the same run.

use super::*;
use std::path::Path;

const STAR: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

/// Every report, unreadable input and count of the streamed run of `root`, and the paths of
/// the reports in the order they came.
fn run(root: &Path, keep: usize) -> (String, Vec<String>) {
    let options = RunOptions {
        config: config::Choice::Discover,
        ..RunOptions::default()
    };
    let mut files = Vec::new();
    let paths = [root.display().to_string()];
    let end = lint_streamed_keeping(&paths, &options, keep, &mut |chunk| {
        files.extend(chunk);
        Ok(())
    })
    .expect("the configs are valid")
    .expect("a streamed run");
    let paths = files.iter().map(|f| f.source.path.clone()).collect();
    let all = format!(
        "{files:#?}\n{:?}\npassed over: {}",
        end.errors, end.passed_over
    );
    (all, paths)
}

#[test]
fn a_kept_walk_and_a_second_walk_give_the_same_run() {
    let root = std::env::temp_dir().join(format!("mlpolicy-kept-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let file = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    };
    file(
        "mlpolicy.toml",
        r#"exclude = ["skip/**"]

[[ignore]]
rule = "wildcard-action-on-star-resource"
path = "a.json"
reason = "reviewed"

[[ignore]]
rule = "public-principal"
path = "nothing.json"
reason = "matches nothing"
"#,
    );
    file(
        "sub/mlpolicy.toml",
        "[rules]\ndisable = [\"redundant-action\"]\n",
    );
    for name in [
        "a.json",
        "b.json",
        "skip/c.json",
        "sub/d.json",
        "sub/e/f.json",
    ] {
        file(name, STAR);
    }
    // Enough files for several chunks.
    for i in 0..100 {
        file(&format!("many/{i:03}.json"), STAR);
    }
    file("broken.json", "{\"Statement\": [");
    std::os::unix::fs::symlink("a.json", root.join("link.json")).expect("symlink");
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("fifo.json"))
        .status();
    assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");

    let (kept, paths) = run(&root, usize::MAX);
    let (walked_again, _) = run(&root, 0);
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(kept, walked_again);
    // Every file once, in path order, across the chunks; the configs' reports come last.
    let linted: Vec<&String> = paths.iter().filter(|p| p.ends_with(".json")).collect();
    assert_eq!(linted.len(), 105, "{paths:?}");
    assert!(linted.is_sorted(), "{paths:?}");
    // The tree reaches every path of the run: an exclude and a link passed over, an
    // unreadable input, an ignore used and one unused, and a nested config.
    assert!(kept.ends_with("passed over: 2"), "{kept}");
    assert!(kept.contains("not a regular file"), "{kept}");
    assert!(kept.contains("matches nothing"), "{kept}");
    assert!(kept.contains("reviewed"), "{kept}");
    assert!(kept.contains("sub/e/f.json"), "{kept}");
}

#[test]
fn chunks_hold_fewer_files_when_the_files_are_large() {
    // Before any file is read.
    assert_eq!(chunk_size(0, 0), FIRST_CHUNK);
    // Managed policies: 6 KB on average.
    assert_eq!(chunk_size(1_594, 9_800_000), CHUNK);
    // Empty files count as one byte.
    assert_eq!(chunk_size(10, 0), CHUNK);
    // The largest managed policies, 185 KB on average: 4 MiB of them.
    assert_eq!(chunk_size(300, 300 * 185_000), 22);
    // 50 MB files: one at a time.
    assert_eq!(chunk_size(2, 100_000_000), 1);
}
