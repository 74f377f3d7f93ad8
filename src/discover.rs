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
            } => {
                let read = if *named {
                    crate::source::read_file(path)
                } else {
                    crate::source::read_walked_file(path)
                };
                (display.clone(), *named, read)
            }
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
    // Nearly every path is UTF-8, which `to_str` checks a word at a time; the lossy
    // conversion steps through every byte.
    let s = path
        .to_str()
        .map_or_else(|| path.to_string_lossy(), std::borrow::Cow::Borrowed);
    #[cfg(windows)]
    let s = std::borrow::Cow::<str>::Owned(s.replace('\\', "/"));
    s.strip_prefix("./").unwrap_or(&s).to_string()
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
    for item in Walk::new(root, excludes) {
        match item {
            Walked::Input(input) => out.inputs.push(input),
            Walked::Error(e) => out.errors.push(e),
            Walked::PassedOver => out.passed_over += 1,
        }
    }
}

/// What a walk finds, one entry at a time.
#[derive(Debug)]
pub enum Walked {
    Input(Input),
    Error(InputError),
    /// A symbolic link (not followed) or an excluded path.
    PassedOver,
}

/// The walk of one folder, in the order of the paths as shown (see [`walk_order`]), so that a
/// run with one folder can lint and report files as it reaches them, holding none of the
/// others in memory.
pub struct Walk<'e> {
    root: PathBuf,
    entries: walkdir::IntoIter,
    excludes: &'e [String],
}

impl<'e> Walk<'e> {
    pub fn new(root: &Path, excludes: &'e [String]) -> Self {
        let entries = WalkDir::new(root)
            .follow_links(false)
            .sort_by(walk_order)
            .into_iter();
        Self {
            root: root.to_path_buf(),
            entries,
            excludes,
        }
    }
}

impl Iterator for Walk<'_> {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        loop {
            let entry = match self.entries.next()? {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| display_path(&self.root), display_path);
                    let message = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    return Some(Walked::Error(InputError { path, message }));
                }
            };
            if entry.depth() > 0 {
                let name = name_bytes(&entry);
                let is_dir = entry.file_type().is_dir();
                let skipped = || SKIPPED_DIRS.iter().any(|d| d.as_bytes() == name);
                if name.starts_with(b".") || (is_dir && skipped()) {
                    if is_dir {
                        self.entries.skip_current_dir();
                    }
                    continue;
                }
            }
            let display = display_path(entry.path());
            let readable = Format::of_path(&display).is_some_and(|f| WALKED.contains(&f));
            if !readable || entry.file_type().is_dir() {
                continue;
            }
            if entry.path_is_symlink() || excluded(&display, self.excludes) {
                return Some(Walked::PassedOver);
            }
            if !entry.file_type().is_file() {
                return Some(Walked::Error(InputError {
                    path: display,
                    message: "not a regular file (a FIFO, socket or device); not read".to_string(),
                }));
            }
            return Some(Walked::Input(Input::File {
                path: entry.into_path(),
                display,
                named: false,
            }));
        }
    }
}

/// Siblings in the order their paths sort as shown: a folder's name counts with the `/` that
/// follows it in the paths under it (`a.json` before `a/x.json`, since `.` < `/`), so the walk
/// yields files in exactly the order of sorting every displayed path. Equal shown names (the
/// same lossy text for different bytes) keep the order of their bytes.
fn walk_order(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    // A walk sorts every folder's entries: compare the names without copying them (when
    // they are UTF-8) or parsing the paths into components.
    // Nearly always the names differ at an ASCII byte in both: that byte decides, since the
    // lossy text of their common bytes is the same (an ASCII byte ends any broken sequence
    // before it), and shown names then differ first there too. Siblings' paths are their
    // folder's path, the same for both, followed by their names, so that byte is found in
    // the whole paths without first looking for where the names start.
    let (pa, pb) = (path_bytes(a), path_bytes(b));
    if let Some(i) = first_difference(pa, pb)
        && pa[i].is_ascii()
        && pb[i].is_ascii()
    {
        return pa[i].cmp(&pb[i]);
    }
    let (ra, rb) = (name_bytes(a), name_bytes(b));
    let (na, nb) = (shown_name(ra), shown_name(rb));
    let slash = |e: &walkdir::DirEntry| e.file_type().is_dir().then_some(b'/');
    // Names nearly always differ within their common length: one memcmp settles it, and only
    // the short tails are compared with the slash appended.
    let n = na.len().min(nb.len());
    na[..n]
        .cmp(&nb[..n])
        .then_with(|| {
            let tail_a = na[n..].iter().copied().chain(slash(a));
            tail_a.cmp(nb[n..].iter().copied().chain(slash(b)))
        })
        .then_with(|| ra.cmp(rb))
}

/// Where `a` and `b` first differ within their common length, eight bytes at a time: the
/// names of a folder often share long heads (`AmazonSageMaker...`).
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let n = a.len().min(b.len());
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    let mut i = 0;
    while i + 8 <= n {
        let differ = word(a, i) ^ word(b, i);
        if differ != 0 {
            // Little-endian: the lowest differing bit is in the first differing byte.
            return Some(i + (differ.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..n).find(|&j| a[j] != b[j])
}

/// A name as it is shown: its bytes when they are UTF-8, else its lossy text.
fn shown_name(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // Nearly every name is ASCII, which a word-at-a-time test settles for less than UTF-8
    // validation: this runs twice per comparison of the sort.
    if raw.is_ascii() {
        return std::borrow::Cow::Borrowed(raw);
    }
    match std::str::from_utf8(raw) {
        Ok(_) => std::borrow::Cow::Borrowed(raw),
        Err(_) => std::borrow::Cow::Owned(String::from_utf8_lossy(raw).into_owned().into_bytes()),
    }
}

/// A file's folder (empty for a bare name) and its name, as `Path::parent` and
/// `Path::file_name` give them, or a spelling of the folder that names the same one (`a/`
/// for `a//b.json`), which is all a folder's canonical form, or opening it, needs. Every input of a walk
/// comes here twice, placed on one thread before linting starts and opened by its name in
/// its folder: the bytes after the last `/` are found directly, rather than by parsing the
/// path's components twice.
pub fn split_file(path: &Path) -> (&Path, Option<&std::ffi::OsStr>) {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let (folder, name) = match memchr::memrchr(b'/', bytes) {
            Some(i) => (&bytes[..i], &bytes[i + 1..]),
            None => (&b""[..], bytes),
        };
        // A plain last name: the usual case, and the only one handled here. A file right
        // under `/` is left to `Path` too: its folder is the slash itself.
        let plain = !matches!(name, b"" | b"." | b"..");
        let under_root = folder.is_empty() && name.len() < bytes.len();
        if plain && !under_root {
            let name = std::ffi::OsStr::from_bytes(name);
            return (Path::new(std::ffi::OsStr::from_bytes(folder)), Some(name));
        }
    }
    (path.parent().unwrap_or(Path::new("")), path.file_name())
}

fn path_bytes(e: &walkdir::DirEntry) -> &[u8] {
    e.path().as_os_str().as_encoded_bytes()
}

/// The bytes of the entry's name: what follows the last separator of its path.
fn name_bytes(e: &walkdir::DirEntry) -> &[u8] {
    let path = path_bytes(e);
    #[cfg(windows)]
    let last = memchr::memrchr2(b'/', b'\\', path);
    #[cfg(not(windows))]
    let last = memchr::memrchr(b'/', path);
    &path[last.map_or(0, |i| i + 1)..]
}

#[cfg(test)]
mod tests {
    use super::excluded;

    #[test]
    fn first_difference_finds_the_first_differing_byte_at_every_offset() {
        for len in 0..20 {
            let a: Vec<u8> = (0..len as u8).map(|i| b'a' + i).collect();
            assert_eq!(super::first_difference(&a, &a), None);
            assert_eq!(super::first_difference(&a, &a[..len / 2]), None);
            for at in 0..len {
                let mut b = a.clone();
                b[at] = b'Z';
                assert_eq!(super::first_difference(&a, &b), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn exclude_patterns() {
        let pats = vec!["fixtures".to_string(), "*/gen/*.json".to_string()];
        assert!(excluded("a/fixtures/x.json", &pats));
        assert!(excluded("a/gen/x.json", &pats));
        assert!(!excluded("a/fixturesx/x.json", &pats));
        assert!(!excluded("a/b/x.json", &pats));
    }
}
