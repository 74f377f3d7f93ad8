//! What the configs and the baseline of a run decide for each input: which config applies,
//! whether the config excludes the file, which `[[ignore]]` entries and baseline entries
//! match its findings; and, at the end of the run, which of them matched nothing.

use crate::baseline::{Baselines, Entry};
use crate::config::{Choice, Config, ConfigError, Resolver, Settings};
use crate::discover::{Input, display_path, split_file};
use crate::engine::FileReport;
use crate::suppress::{self, Suppression, Usage};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One input and what applies to it.
#[derive(Debug)]
pub struct Planned {
    pub input: Input,
    /// The config that applies, as an index into [`Plan::configs`].
    pub config: Option<usize>,
    /// The file's canonical path, when a config or a baseline needs to place it.
    pub canonical: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Plan {
    pub inputs: Vec<Planned>,
    pub configs: Vec<Config>,
    /// Inputs of [`Plan::inputs`] left out by a config's `exclude` (a run that places its
    /// inputs again with a [`Replacer`] counts its own).
    pub excluded: usize,
    /// Per config: did a path on the command line cover its whole folder?
    walked_all: Vec<bool>,
    defaults: Settings,
}

/// What [`Plan::streamed`] gives: the plan, whose [`Plan::inputs`] are every input when
/// they were few enough to keep; or else, empty inputs and how to place them again.
pub struct Streamed {
    pub plan: Plan,
    pub replacer: Option<Replacer>,
}

/// Places the inputs of a streamed run again as the walk reaches them, from the folders
/// [`Plan::streamed`] saw.
#[derive(Debug)]
pub struct Replacer(Placer);

impl Replacer {
    /// `None` when the input's config excludes it.
    pub fn place(&mut self, plan: &Plan, input: Input) -> Option<Planned> {
        let planned = self.0.place(input, Found::Known);
        (!excludes(&plan.configs, &planned)).then_some(planned)
    }
}

/// How [`Placer::place`] finds configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Load,
    Known,
}

/// Finds each input's config and canonical path, remembering each folder it has seen.
#[derive(Debug)]
struct Placer {
    resolver: Resolver,
    /// Configs and baselines need to know where a file is.
    place: bool,
    folders: HashMap<PathBuf, Option<PathBuf>>,
    /// The last file's folder as written, its canonical folder and config: a walk yields a
    /// folder's files one after another, and a path's bytes compare for less than it costs
    /// to hash it and look up the folder and its config again.
    last: Option<(PathBuf, Found, Option<PathBuf>, Option<usize>)>,
}

impl Placer {
    fn new(choice: &Choice, baselines: &Baselines) -> Self {
        Self {
            resolver: Resolver::new(choice),
            place: *choice != Choice::Off || baselines.is_active(),
            folders: HashMap::new(),
            last: None,
        }
    }

    /// Finds the input's config, loading configs as they are found (`Found::Load`), or, after
    /// they are loaded, only from folders seen before (`Found::Known`: a folder that appeared
    /// since gets none).
    fn place(&mut self, input: Input, found: Found) -> Planned {
        let (config, canonical) = match &input {
            Input::Stdin if found == Found::Load => (self.resolver.for_cwd(), None),
            Input::File { path, .. } if self.place => {
                let (parent, name) = split_file(path);
                let (folder, config) = match &self.last {
                    Some((seen, f, folder, config))
                        if *f == found && seen.as_os_str() == parent.as_os_str() =>
                    {
                        (folder.clone(), *config)
                    }
                    _ => {
                        let folder = self.folder(parent);
                        let config = folder.as_deref().and_then(|f| match found {
                            Found::Load => self.resolver.for_dir(f),
                            Found::Known => self.resolver.known(f).flatten(),
                        });
                        self.last = Some((parent.to_path_buf(), found, folder.clone(), config));
                        (folder, config)
                    }
                };
                let canonical = folder.zip(name).map(|(f, n)| joined(&f, n));
                (config, canonical)
            }
            _ => (None, None),
        };
        Planned {
            input,
            config,
            canonical,
        }
    }

    /// The canonical form of a file's folder, looked up once per folder.
    fn folder(&mut self, parent: &Path) -> Option<PathBuf> {
        self.folders
            .entry(parent.to_path_buf())
            .or_insert_with(|| canonical_folder(parent))
            .clone()
    }
}

impl Plan {
    /// Finds each input's config and drops the inputs it excludes. Fails when any config
    /// found has a problem, before anything is linted.
    pub fn new(
        inputs: Vec<Input>,
        paths: &[String],
        choice: &Choice,
        baselines: &Baselines,
    ) -> Result<Self, Vec<ConfigError>> {
        let mut placer = Placer::new(choice, baselines);
        let planned: Vec<Planned> = inputs
            .into_iter()
            .map(|i| placer.place(i, Found::Load))
            .collect();
        Self::finish(&mut placer, planned, paths)
    }

    /// Plans a run whose inputs are streamed: `inputs` is gone through once to find every
    /// config (so a broken one stops the run before anything is linted). When there are at
    /// most `keep` inputs, they are kept, planned as [`Plan::new`] plans them, for the run to
    /// lint without a second walk; else the run places each input again with the
    /// [`Replacer`] as it reaches it.
    pub fn streamed(
        inputs: impl Iterator<Item = Input>,
        paths: &[String],
        choice: &Choice,
        baselines: &Baselines,
        keep: usize,
    ) -> Result<Streamed, Vec<ConfigError>> {
        let mut placer = Placer::new(choice, baselines);
        let mut kept = Some(Vec::new());
        for input in inputs {
            let planned = placer.place(input, Found::Load);
            match &mut kept {
                Some(k) if k.len() < keep => k.push(planned),
                _ => kept = None,
            }
        }
        let replacer = kept.is_none();
        let plan = Self::finish(&mut placer, kept.unwrap_or_default(), paths)?;
        Ok(Streamed {
            plan,
            replacer: replacer.then_some(Replacer(placer)),
        })
    }

    fn finish(
        placer: &mut Placer,
        mut planned: Vec<Planned>,
        paths: &[String],
    ) -> Result<Self, Vec<ConfigError>> {
        let configs = placer.resolver.finish()?;
        let before = planned.len();
        planned.retain(|p| !excludes(&configs, p));
        let roots: Vec<PathBuf> = paths
            .iter()
            .filter(|p| *p != "-" && Path::new(p).is_dir())
            .filter_map(|p| Path::new(p).canonicalize().ok())
            .collect();
        let walked_all = configs
            .iter()
            .map(|c| roots.iter().any(|r| c.dir.starts_with(r)))
            .collect();
        Ok(Self {
            excluded: before - planned.len(),
            inputs: planned,
            configs,
            walked_all,
            defaults: Settings::default(),
        })
    }

    /// Does any config give role profiles to paths? Such a run judges files together.
    pub fn maps_profiles(&self) -> bool {
        self.configs.iter().any(|c| !c.profiles.is_empty())
    }

    /// The role profile a config's `[[profiles]]` give the input, if any.
    pub fn profile(&self, p: &Planned) -> Option<&'static crate::profile::Profile> {
        let config = &self.configs[p.config?];
        config.profile_for(&relative(config, p)?)
    }

    pub fn settings(&self, p: &Planned) -> &Settings {
        p.config
            .map_or(&self.defaults, |c| &self.configs[c].settings)
    }

    /// Applies the config's `[[ignore]]` entries and the baselines to a linted file. Returns
    /// the entries whose path matched the file, and the baseline entries to write.
    pub fn suppress(
        &self,
        p: &Planned,
        report: &mut FileReport,
        baselines: &Baselines,
    ) -> (Vec<usize>, Vec<Entry>) {
        let mut seen = Vec::new();
        if let Some(c) = p.config {
            let config = &self.configs[c];
            if let Some(relative) = relative(config, p) {
                seen = suppress::apply_config(report, c, config, &relative);
            }
        }
        let entries = if baselines.is_active() {
            baselines.apply(report, p.canonical.as_deref())
        } else {
            Vec::new()
        };
        (seen, entries)
    }
}

fn excludes(configs: &[Config], p: &Planned) -> bool {
    let config = p.config.map(|c| &configs[c]);
    config.is_some_and(|c| relative(c, p).is_some_and(|r| c.excludes(&r)))
}

/// `folder` joined with a plain `name`, as `Path::join` joins them, sized once.
fn joined(folder: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut out = std::ffi::OsString::with_capacity(folder.as_os_str().len() + 1 + name.len());
    out.push(folder);
    let mut out = PathBuf::from(out);
    out.push(name);
    out
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

/// What a run has used so far, to report what it has not.
#[derive(Debug)]
pub struct Tally {
    usage: Vec<Usage>,
    matched: HashSet<String>,
}

impl Tally {
    pub fn new(plan: &Plan) -> Self {
        Self {
            usage: plan.configs.iter().map(Usage::new).collect(),
            matched: HashSet::new(),
        }
    }

    pub fn record(&mut self, config: Option<usize>, seen: &[usize], report: &FileReport) {
        if let Some(c) = config {
            for &k in seen {
                self.usage[c].seen[k] = true;
            }
        }
        for s in &report.suppressed {
            match &s.by {
                Suppression::Config { config, entry, .. } => {
                    self.usage[*config].used[*entry] = true
                }
                Suppression::Baseline { fingerprint } => {
                    self.matched.insert(fingerprint.clone());
                }
                Suppression::Inline { .. } => {}
            }
        }
    }

    /// Reports on the configs whose `[[ignore]]` entries matched nothing, in config order.
    pub fn unused(&self, plan: &Plan) -> Vec<FileReport> {
        plan.configs
            .iter()
            .zip(&self.usage)
            .zip(&plan.walked_all)
            .filter_map(|((config, usage), &walked_all)| {
                suppress::unused_config_ignores(config, usage, walked_all)
            })
            .collect()
    }

    /// Baseline entries that matched no finding.
    pub fn stale(&self, baselines: &Baselines) -> usize {
        baselines
            .known
            .as_ref()
            .map_or(0, |b| b.stale(&self.matched))
    }
}

#[cfg(test)]
mod tests {
    use super::joined;
    use crate::discover::split_file;
    use std::path::Path;

    #[test]
    fn split_file_names_the_folder_and_file_that_path_methods_do() {
        let paths = [
            "a/b.json",
            "b.json",
            "./b.json",
            "../x/b.json",
            "/abs/b.json",
            "/b.json",
            "a//b.json",
            "a/./b.json",
            "a/b/",
            "a/.",
            "a/..",
            "..",
            "/",
            "",
        ];
        for p in paths {
            let path = Path::new(p);
            let (folder, name) = split_file(path);
            assert_eq!(name, path.file_name(), "{p}");
            let parent = path.parent().unwrap_or(Path::new(""));
            assert!(
                folder.components().eq(parent.components()),
                "{p}: {folder:?}"
            );
            if let Some(name) = name {
                let folder = Path::new("/canonical/folder");
                assert_eq!(joined(folder, name), folder.join(name), "{p}");
                assert_eq!(joined(Path::new("/"), name), Path::new("/").join(name));
            }
        }
    }
}
