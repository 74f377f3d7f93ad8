//! What the configs of a run decide for each input: which config applies, and whether the
//! config excludes the file.

use crate::config::{Choice, Config, ConfigError, Resolver, Settings};
use crate::discover::{Input, display_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One input and what applies to it.
#[derive(Debug)]
pub struct Planned {
    pub input: Input,
    /// The config that applies, as an index into [`Plan::configs`].
    pub config: Option<usize>,
    /// The file's canonical path, when a config needs to place it.
    pub canonical: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Plan {
    pub inputs: Vec<Planned>,
    pub configs: Vec<Config>,
    /// Inputs left out by a config's `exclude`.
    pub excluded: usize,
    defaults: Settings,
}

impl Plan {
    /// Finds each input's config and drops the inputs it excludes. Fails when any config
    /// found has a problem, before anything is linted.
    pub fn new(inputs: Vec<Input>, choice: &Choice) -> Result<Self, Vec<ConfigError>> {
        let mut resolver = Resolver::new(choice);
        let place = *choice != Choice::Off;
        let mut folders: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        let mut planned = Vec::with_capacity(inputs.len());
        for input in inputs {
            let (config, canonical) = match &input {
                Input::Stdin => (resolver.for_cwd(), None),
                Input::File { path, .. } if place => {
                    let parent = path.parent().unwrap_or(Path::new(""));
                    let folder = folders
                        .entry(parent.to_path_buf())
                        .or_insert_with(|| canonical_folder(parent))
                        .clone();
                    let config = folder.as_deref().and_then(|f| resolver.for_dir(f));
                    let canonical = folder.zip(path.file_name()).map(|(f, n)| f.join(n));
                    (config, canonical)
                }
                Input::File { .. } => (None, None),
            };
            planned.push(Planned {
                input,
                config,
                canonical,
            });
        }
        let configs = resolver.finish()?;
        let before = planned.len();
        planned.retain(|p| {
            let config = p.config.map(|c| &configs[c]);
            !config.is_some_and(|c| relative(c, p).is_some_and(|r| c.excludes(&r)))
        });
        Ok(Self {
            excluded: before - planned.len(),
            inputs: planned,
            configs,
            defaults: Settings::default(),
        })
    }

    pub fn settings(&self, p: &Planned) -> &Settings {
        p.config
            .map_or(&self.defaults, |c| &self.configs[c].settings)
    }
}

/// The folder's canonical form; `None` when it cannot be resolved (then nothing that depends
/// on where the file is applies to it).
fn canonical_folder(parent: &Path) -> Option<PathBuf> {
    let folder = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    folder.canonicalize().ok()
}

/// The file's path inside the config's folder, `/`-separated.
fn relative(config: &Config, p: &Planned) -> Option<String> {
    let canonical = p.canonical.as_deref()?;
    canonical.strip_prefix(&config.dir).ok().map(display_path)
}
