//! Turning the paths on the command line into the files to lint.

use crate::frontend::Format;
use crate::model::glob;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The formats a walk picks up; others are read only when named.
const WALKED: &[Format] = &[Format::Json, Format::Yaml, Format::Terraform];

/// Folders that never hold policies worth linting and can be huge.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// As shown in output: relative where the argument was, `/`-separated.
        display: String,
        /// Named on the command line, so always linted.
        named: bool,
    },
}

impl Input {
    /// The name shown for the input, whether it was named on the command line, and its bytes.
    pub fn read(&self) -> (String, bool, std::io::Result<Vec<u8>>) {
        match self {
            Self::Stdin => (
                crate::STDIN_NAME.to_string(),
                true,
                crate::source::read_limited(std::io::stdin().lock()),
            ),
            Self::File {
                path,
                display,
                named,
            } => (display.clone(), *named, crate::source::read_file(path)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub errors: Vec<InputError>,
    /// Entries passed over in a walk: symbolic links (not followed) and excluded paths.
    pub passed_over: usize,
}

pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().into_owned();
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s
    };
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Does an `--exclude` glob match this path? A pattern with no `/` matches any one path
/// component (`fixtures`, `*.tf.json`); one with `/` matches the whole path (`*/generated/*`).
pub fn excluded(path: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim_end_matches('/');
        if p.contains('/') {
            glob::matches(p, path, false)
        } else {
            path.split('/').any(|c| glob::matches(p, c, false))
        }
    })
}

pub fn discover(paths: &[String], excludes: &[String]) -> Discovery {
    let mut out = Discovery::default();
    for arg in paths {
        if arg == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Err(e) => out.errors.push(InputError {
                path: display_path(path),
                message: e.to_string(),
            }),
            Ok(meta) if meta.is_dir() => walk(path, excludes, &mut out),
            Ok(_) => out.inputs.push(Input::File {
                path: path.to_path_buf(),
                display: display_path(path),
                named: true,
            }),
        }
    }
    // A file reached twice (named and walked, or two overlapping folders) is linted once;
    // a named occurrence wins so it is always judged.
    out.inputs.sort_by(|a, b| key(a).cmp(&key(b)));
    out.inputs.dedup_by(|later, first| {
        let same = key(later).0 == key(first).0;
        if let (true, Input::File { named: n2, .. }, Input::File { named: n1, .. }) =
            (same, later, first)
        {
            *n1 |= *n2;
        }
        same
    });
    out
}

fn key(input: &Input) -> (&str, bool) {
    match input {
        Input::Stdin => ("", true),
        Input::File { display, named, .. } => (display, !named),
    }
}

fn walk(root: &Path, excludes: &[String], out: &mut Discovery) {
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_dir();
            !(name.starts_with('.') || (is_dir && SKIPPED_DIRS.contains(&name.as_ref())))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map_or_else(|| display_path(root), display_path);
                let message = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                out.errors.push(InputError { path, message });
                continue;
            }
        };
        let display = display_path(entry.path());
        let readable = Format::of_path(&display).is_some_and(|f| WALKED.contains(&f));
        if !readable || entry.file_type().is_dir() {
            continue;
        }
        if entry.path_is_symlink() || excluded(&display, excludes) {
            out.passed_over += 1;
            continue;
        }
        if !entry.file_type().is_file() {
            out.errors.push(InputError {
                path: display,
                message: "not a regular file (a FIFO, socket or device); not read".to_string(),
            });
            continue;
        }
        out.inputs.push(Input::File {
            path: entry.into_path(),
            display,
            named: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::excluded;

    #[test]
    fn exclude_patterns() {
        let pats = vec!["fixtures".to_string(), "*/gen/*.json".to_string()];
        assert!(excluded("a/fixtures/x.json", &pats));
        assert!(excluded("a/gen/x.json", &pats));
        assert!(!excluded("a/fixturesx/x.json", &pats));
        assert!(!excluded("a/b/x.json", &pats));
    }
}
