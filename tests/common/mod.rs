//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary from the crate root, with an environment that cannot change output.
pub fn mlpolicy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlpolicy"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .expect("the mlpolicy binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// The `.json` files directly in `dir`, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// `line:column severity rule message`, one finding a line: what the golden files hold.
pub fn describe(report: &mlpolicy::engine::FileReport) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            let p = report.source.position(f.span.start);
            format!(
                "{}:{} {} {} {}\n",
                p.line,
                p.column,
                f.severity.as_str(),
                f.rule,
                f.message
            )
        })
        .collect()
}

pub fn lint_file(path: &Path) -> mlpolicy::engine::FileReport {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let rel = path
        .strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    mlpolicy::engine::lint_bytes(rel, bytes, true)
}
