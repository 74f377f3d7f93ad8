//! `cargo bench`: the in-process cost of linting, without process start-up or the walk.
//! Inputs: the shipped examples, and the AWS managed policies of ../shared/corpus when that
//! folder is present (skipped with a message otherwise). For whole-command wall times against
//! the walk+read+parse floor and against parliament, see scripts/bench.py.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "json"));
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(&p).ok()?)))
        .collect()
}

fn bench_set(c: &mut Criterion, name: &str, files: &[(String, Vec<u8>)]) {
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("parse+lower+rules", |b| {
        b.iter(|| {
            for (path, content) in files {
                black_box(mlpolicy::engine::lint_bytes(
                    path.clone(),
                    content.clone(),
                    true,
                ));
            }
        });
    });
    group.bench_function("parse only", |b| {
        b.iter(|| {
            for (_, content) in files {
                if let Ok(text) = std::str::from_utf8(content) {
                    let _ = black_box(mlpolicy::parse::json::parse(text));
                }
            }
        });
    });
    group.bench_function("serde_json parse (baseline)", |b| {
        b.iter(|| {
            for (_, content) in files {
                let _ = black_box(serde_json::from_slice::<serde_json::Value>(content));
            }
        });
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench_set(c, "examples", &json_files(&root.join("testdata/examples")));
    let managed = root.join("../shared/corpus/aws-managed");
    if managed.is_dir() {
        bench_set(c, "aws-managed", &json_files(&managed));
    } else {
        eprintln!("SKIPPED aws-managed: ../shared/corpus is absent");
    }
}

criterion_group!(lint, benches);
criterion_main!(lint);
