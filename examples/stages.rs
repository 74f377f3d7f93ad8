//! Where the time of `mlpolicy lint` goes, stage by stage and rule by rule, on one thread with
//! the files already in memory: `cargo run --release --example stages -- DIR [ROUNDS]`.
//! The first round includes the catalog's lazy parsing and the per-thread caches filling up;
//! later rounds show the steady state of a large tree.

use mlpolicy::frontend::{self, Contents, Format};
use mlpolicy::rules;
use mlpolicy::source::{self, SourceFile};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: stages DIR [ROUNDS]");
        return ExitCode::from(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            Some((e.path().display().to_string(), bytes))
        })
        .collect();
    files.sort();
    for round in 1..=rounds {
        let mut times: BTreeMap<&str, Duration> = BTreeMap::new();
        let mut add = |name: &'static str, since: Instant| {
            *times.entry(name).or_default() += since.elapsed();
        };
        let whole = Instant::now();
        for (path, bytes) in &files {
            let t = Instant::now();
            let (text, error) = source::decode(bytes.clone());
            let file = SourceFile::new(path.clone(), text);
            add("1 decode + line index", t);
            if error.is_some() {
                continue;
            }
            let t = Instant::now();
            let parsed = frontend::parse(Format::sniff(path, &file.text), &file.text);
            add("2 parse", t);
            let Ok(parsed) = parsed else { continue };
            let Contents::Documents(docs) = frontend::contents(&parsed, &file.text).0 else {
                continue;
            };
            for doc in &docs {
                let t = Instant::now();
                let (policy, mut findings) = mlpolicy::engine::lower_document(doc, path);
                add("3 lower", t);
                let options = rules::RuleOptions::default();
                for rule in rules::ALL {
                    let t = Instant::now();
                    rule.check(&policy, &options, &mut findings);
                    rule.check_group(&rules::Group::new(&[&policy]), &options, &mut findings);
                    add(rule.meta().id, t);
                }
            }
        }
        let total = whole.elapsed();
        println!("round {round}: {} files, {:.1} ms", files.len(), ms(total));
        let mut rows: Vec<_> = times.into_iter().collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (name, t) in rows {
            let share = 100.0 * t.as_secs_f64() / total.as_secs_f64();
            println!("  {name:36} {:8.2} ms  {share:5.1}%", ms(t));
        }
    }
    ExitCode::SUCCESS
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
