//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real binary, run from the crate root, with an environment that cannot change output.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mlpolicy"));
    c.args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

pub fn mlpolicy(args: &[&str]) -> Output {
    command(args).output().expect("the mlpolicy binary runs")
}

/// Runs the binary with `input` on its stdin.
pub fn run_stdin(input: &[u8], args: &[&str]) -> Output {
    let mut child = command(args).stdin(Stdio::piped()).spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

/// A policy without findings.
pub const GOOD: &[u8] = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;

/// A temporary tree under target/test-trees, removed when dropped.
pub struct Tree(pub PathBuf);

impl Tree {
    pub fn new(name: &str) -> Self {
        let dir = root().join("target/test-trees").join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create tree");
        Tree(dir)
    }

    pub fn file(&self, name: impl AsRef<Path>, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        fs::write(&path, bytes).expect("write");
        path
    }

    pub fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // A chmod 000 file inside would not stop removal, but a chmod 000 folder would.
            use std::os::unix::fs::PermissionsExt;
            for entry in fs::read_dir(&self.0).into_iter().flatten().flatten() {
                let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755));
            }
        }
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// The `.json` files directly in `dir`, sorted.
/// The files in `dir` that mlpolicy reads (JSON, YAML, Terraform), sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| mlpolicy::frontend::Format::of_path(&p.to_string_lossy()).is_some())
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

/// One fixture of a rule: a file linted on its own, or a folder named after a profile whose
/// files are linted together, as one role, with `--profile <folder>`.
pub struct Fixture {
    pub name: String,
    pub reports: Vec<mlpolicy::engine::FileReport>,
}

/// The fixtures in a rule's `fail` or `pass` folder: its files, then its profile folders.
pub fn fixtures(dir: &Path) -> Vec<Fixture> {
    let mut out: Vec<Fixture> = json_files(dir)
        .iter()
        .map(|f| {
            let report = lint_file(f);
            Fixture {
                name: report.source.path.clone(),
                reports: vec![report],
            }
        })
        .collect();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    for folder in folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let profile = mlpolicy::profile::get(&name)
            .unwrap_or_else(|| panic!("{}: folder names no profile", folder.display()));
        let options = mlpolicy::RunOptions {
            profile: Some(profile),
            ..mlpolicy::RunOptions::default()
        };
        let outcome = mlpolicy::lint_with(&[folder.to_string_lossy().into_owned()], &options)
            .expect("no config");
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        let mut reports = outcome.files;
        for r in &mut reports {
            // Snapshots hold paths relative to the crate root, wherever it is.
            if let Ok(rel) = Path::new(&r.source.path).strip_prefix(root()) {
                r.source.path = rel.to_string_lossy().into_owned();
            }
        }
        out.push(Fixture {
            name: format!("{} (--profile {name})", relative(&folder)),
            reports,
        });
    }
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}
