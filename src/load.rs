//! Loading policies for the commands that reason over several files at once (`check`,
//! `--profile`, `scaffold`'s self-test) rather than linting them one by one.

use crate::discover::{self, InputError};
use crate::engine;
use crate::frontend::{self, Contents, Document, Format, Parsed};
use crate::model::Policy;
use crate::source::{self, SourceFile};

/// A file that parsed, with its documents still to be lowered.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: SourceFile,
    parsed: Parsed<'static>,
}

impl LoadedFile {
    /// The policy documents in the file (none for a template without policies).
    pub fn documents(&self) -> Vec<Document<'_>> {
        // Front-end problems (a heredoc that is not JSON) are `lint`'s to report.
        match frontend::contents(&self.parsed, &self.source.text).0 {
            Contents::Documents(docs) => docs,
            Contents::NoPolicies | Contents::NotPolicy => Vec::new(),
        }
    }

    /// Lowers `docs` (from [`Self::documents`]) into policies, dropping grammar findings:
    /// callers that care run `lint` first.
    pub fn policies<'d>(&'d self, docs: &'d [Document<'_>]) -> Vec<Policy<'d>> {
        docs.iter()
            .map(|d| engine::lower_document(d, &self.source.path).0)
            .collect()
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<LoadedFile>,
    /// Unreadable inputs, and files that do not parse (with the position of the error).
    pub errors: Vec<InputError>,
}

/// Reads and parses every input, in path order. Files that are not policies are skipped when
/// walked and reported when named, as `lint` does.
pub fn load(paths: &[String], excludes: &[String]) -> Loaded {
    let discovery = discover::discover(paths, excludes);
    let mut out = Loaded {
        files: Vec::new(),
        errors: discovery.errors,
    };
    for input in &discovery.inputs {
        let (display, named, bytes) = input.read();
        let loaded = bytes
            .map_err(|e| InputError {
                path: display.clone(),
                message: e.to_string(),
            })
            .and_then(|bytes| load_bytes(display, bytes, named));
        match loaded {
            Ok(Some(file)) => out.files.push(file),
            Ok(None) => {}
            Err(e) => out.errors.push(e),
        }
    }
    out.errors.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Parses one file's bytes (read from disk, stdin or `git show`). `Ok(None)` for a walked (not
/// `named`) file that is not a policy, as `lint` passes it over. Errors carry the position of
/// what is wrong.
pub fn load_bytes(
    display: String,
    bytes: Vec<u8>,
    named: bool,
) -> Result<Option<LoadedFile>, InputError> {
    let (text, encoding) = source::decode(bytes);
    let source = SourceFile::new(display, text);
    let at = |offset: usize| {
        let p = source.position(offset);
        format!("{}:{}:{}", source.path, p.line, p.column)
    };
    if let Some(e) = encoding {
        if !named && !source.text.contains("\"Statement\"") {
            return Ok(None);
        }
        return Err(InputError {
            path: source.path.clone(),
            message: format!("{}: {}", at(e.span.start), e.message),
        });
    }
    let format = Format::sniff(&source.path, &source.text);
    match frontend::parse(format, &source.text) {
        Ok(parsed) => {
            // Kept beside its source, so it cannot borrow it.
            let parsed = parsed.into_owned();
            let file = LoadedFile { source, parsed };
            match frontend::contents(&file.parsed, &file.source.text).0 {
                Contents::NotPolicy if named => Err(InputError {
                    path: file.source.path.clone(),
                    message: "not an IAM policy, a policy wrapper or a template".to_string(),
                }),
                Contents::NotPolicy => Ok(None),
                _ => Ok(Some(file)),
            }
        }
        Err(e) if named || frontend::mentions_policy(format, &source.text) => Err(InputError {
            path: source.path.clone(),
            message: format!("{}: {}", at(e.span.start), e.message),
        }),
        Err(_) => Ok(None),
    }
}
