//! A streamed run lints a small tree from its first walk and walks a large one again: both
//! must give the same run.

use super::*;
use std::path::Path;

const STAR: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

/// Every report, unreadable input and count of the streamed run of `root`.
fn run(root: &Path, keep: usize) -> String {
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
    format!(
        "{files:#?}\n{:?}\npassed over: {}",
        end.errors, end.passed_over
    )
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
    file("broken.json", "{\"Statement\": [");
    std::os::unix::fs::symlink("a.json", root.join("link.json")).expect("symlink");
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("fifo.json"))
        .status();
    assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");

    let kept = run(&root, usize::MAX);
    let walked_again = run(&root, 0);
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(kept, walked_again);
    // The tree reaches every path of the run: an exclude and a link passed over, an
    // unreadable input, an ignore used and one unused, and a nested config.
    assert!(kept.ends_with("passed over: 2"), "{kept}");
    assert!(kept.contains("not a regular file"), "{kept}");
    assert!(kept.contains("matches nothing"), "{kept}");
    assert!(kept.contains("reviewed"), "{kept}");
    assert!(kept.contains("sub/e/f.json"), "{kept}");
}
