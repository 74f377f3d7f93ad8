//! `no-new-access --git REV`: the policy files that changed since a revision, with their
//! content then and now, read through the `git` command (the only runtime use of git).

use crate::frontend::Format;
use crate::source::{self, MAX_FILE_SIZE};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// One changed file: its path relative to the working directory, and its bytes at the
/// revision and in the working tree (`None` where the file does not exist).
pub struct Changed {
    pub path: String,
    pub old: Option<Vec<u8>>,
    pub new: Option<Result<Vec<u8>, String>>,
}

/// The files mlpolicy reads (JSON, YAML, Terraform) that differ between `rev` and the working
/// tree, below the working directory, restricted to `pathspecs` when given; sorted by path.
pub fn changed(rev: &str, pathspecs: &[String]) -> Result<Vec<Changed>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Err(format!(
            "--git needs a git working tree: {}",
            first_line(&inside.stderr)
        ));
    }
    let commit = format!("{rev}^{{commit}}");
    let verified = git(&["rev-parse", "--verify", "--quiet", &commit])?;
    if !verified.status.success() {
        return Err(format!("`{rev}` is not a commit in this repository"));
    }
    let mut args = vec![
        "diff",
        "--name-only",
        "-z",
        "--no-renames",
        "--relative",
        rev,
        "--",
    ];
    args.extend(pathspecs.iter().map(String::as_str));
    let diff = git(&args)?;
    if !diff.status.success() {
        return Err(format!("git diff failed: {}", first_line(&diff.stderr)));
    }
    let mut paths: Vec<String> = diff
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .filter(|p| Format::of_path(p).is_some())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let old = at_revision(rev, &path)?;
            let new = match std::fs::symlink_metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                _ => Some(source::read_file(Path::new(&path)).map_err(|e| e.to_string())),
            };
            Ok(Changed { path, old, new })
        })
        .collect()
}

/// The file's bytes at `rev`, or `None` when it did not exist there.
fn at_revision(rev: &str, path: &str) -> Result<Option<Vec<u8>>, String> {
    let object = format!("{rev}:./{path}");
    let size = git(&["cat-file", "-s", &object])?;
    if !size.status.success() {
        return Ok(None);
    }
    let bytes: u64 = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .map_err(|_| format!("git cat-file -s {object}: unexpected output"))?;
    if bytes > MAX_FILE_SIZE {
        return Err(format!(
            "{path} at {rev} is {bytes} bytes, over the {} MiB limit",
            MAX_FILE_SIZE / (1024 * 1024)
        ));
    }
    let blob = git(&["cat-file", "blob", &object])?;
    if !blob.status.success() {
        return Err(format!(
            "git cat-file blob {object}: {}",
            first_line(&blob.stderr)
        ));
    }
    Ok(Some(blob.stdout))
}

fn git(args: &[&str]) -> Result<Output, String> {
    Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}
