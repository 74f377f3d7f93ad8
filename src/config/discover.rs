//! Which config applies to a file: the one given with `--config`, none with `--no-config`,
//! or else the nearest `mlpolicy.toml` in the file's folder or a folder above it. Nearest
//! wins and configs do not merge, so a subproject's config says everything about its files.
//!
//! The search stops after the first folder that holds `.git` (a repository's root, itself
//! searched) or at the filesystem root: a stray config in a home folder never reaches into a
//! repository, and a nested repository does not inherit its parent's config.

use super::{Config, ConfigError};
use crate::discover::display_path;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "mlpolicy.toml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The nearest `mlpolicy.toml` of each input.
    Discover,
    /// One config for every input (`--config FILE`).
    File(PathBuf),
    /// No config (`--no-config`): every rule at its default.
    Off,
}

/// Finds and loads the configs of one run, each once.
#[derive(Debug)]
pub struct Resolver {
    discover: bool,
    /// The config of `--config`, for every input.
    fixed: Option<usize>,
    configs: Vec<Config>,
    errors: Vec<ConfigError>,
    /// The nearest config of each canonical folder already searched.
    nearest: HashMap<PathBuf, Option<usize>>,
    /// The canonical current folder, to show config paths relative to it.
    cwd: Option<PathBuf>,
}

impl Resolver {
    pub fn new(choice: &Choice) -> Self {
        let mut resolver = Self {
            discover: *choice == Choice::Discover,
            fixed: None,
            configs: Vec::new(),
            errors: Vec::new(),
            nearest: HashMap::new(),
            cwd: std::env::current_dir().and_then(|d| d.canonicalize()).ok(),
        };
        if let Choice::File(path) = choice {
            let display = display_path(path);
            let dir = path
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf));
            resolver.fixed = match dir {
                Some(dir) => resolver.load(path, display, dir),
                None => {
                    let message = std::fs::metadata(path)
                        .err()
                        .map_or("not a file".to_string(), |e| e.to_string());
                    resolver
                        .errors
                        .push(ConfigError::unreadable(display, message));
                    None
                }
            };
        }
        resolver
    }

    /// The config for a file in the canonical folder `dir`, as an index into the configs.
    pub fn for_dir(&mut self, dir: &Path) -> Option<usize> {
        if !self.discover {
            return self.fixed;
        }
        let mut searched = Vec::new();
        let mut at = Some(dir);
        let found = loop {
            let Some(folder) = at else { break None };
            if let Some(&known) = self.nearest.get(folder) {
                break known;
            }
            searched.push(folder.to_path_buf());
            let candidate = folder.join(FILE_NAME);
            if candidate.is_file() {
                let display = self.display(&candidate);
                break self.load(&candidate, display, folder.to_path_buf());
            }
            if folder.join(".git").exists() {
                break None;
            }
            at = folder.parent();
        };
        for folder in searched {
            self.nearest.insert(folder, found);
        }
        found
    }

    /// The current folder's config, for stdin.
    pub fn for_cwd(&mut self) -> Option<usize> {
        match self.cwd.clone() {
            Some(cwd) => self.for_dir(&cwd),
            None => self.fixed,
        }
    }

    /// The configs loaded, or every config that had problems. The folders searched stay
    /// known to [`Resolver::known`].
    pub fn finish(&mut self) -> Result<Vec<Config>, Vec<ConfigError>> {
        if self.errors.is_empty() {
            Ok(std::mem::take(&mut self.configs))
        } else {
            Err(std::mem::take(&mut self.errors))
        }
    }

    /// The config for a file in the canonical folder `dir`, when that folder was searched
    /// before [`Resolver::finish`]: `None` for a folder never seen.
    pub fn known(&self, dir: &Path) -> Option<Option<usize>> {
        if !self.discover {
            return Some(self.fixed);
        }
        self.nearest.get(dir).copied()
    }

    fn display(&self, path: &Path) -> String {
        let relative = self.cwd.as_deref().and_then(|c| path.strip_prefix(c).ok());
        display_path(relative.unwrap_or(path))
    }

    fn load(&mut self, path: &Path, display: String, dir: PathBuf) -> Option<usize> {
        let text = crate::source::read_file(path).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| std::io::Error::other("not UTF-8 text"))
        });
        let text = match text {
            Ok(t) => t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t),
            Err(e) => {
                self.errors
                    .push(ConfigError::unreadable(display, e.to_string()));
                return None;
            }
        };
        match Config::parse(display, dir, text) {
            Ok(config) => {
                self.configs.push(config);
                Some(self.configs.len() - 1)
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }
}
