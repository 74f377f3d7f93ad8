//! The floor for `scripts/bench.py`: walk a tree, read every `*.json` file and parse it with
//! serde_json, in parallel, doing nothing else. mlpolicy cannot be faster than this.

use rayon::prelude::*;
use std::process::ExitCode;
use walkdir::WalkDir;

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: floor DIR");
        return ExitCode::from(2);
    };
    let mut files: Vec<_> = WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    let parsed = files
        .par_iter()
        .filter(|p| {
            std::fs::read(p)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .is_some()
        })
        .count();
    println!("{parsed} of {} files parsed", files.len());
    ExitCode::SUCCESS
}
