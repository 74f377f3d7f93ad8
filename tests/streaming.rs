//! A run of one folder lints files as the walk reaches them (lib.rs `lint_streamed`); every
//! other run collects and sorts its inputs first. Both must give the same output, in the
//! same order, for names whose order is easy to get wrong.

mod common;

use common::{Tree, mlpolicy, stdout};

const STAR: &[u8] = br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

fn tree(name: &str) -> Tree {
    let t = Tree::new(name);
    // `.` sorts before `/`, `-` and ` ` before both, capitals before lowercase, and a folder's
    // files come where its name plus `/` sorts.
    for name in [
        "a.json",
        "a/x.json",
        "a/b/deep.json",
        "a-b.json",
        "a b/y.json",
        "a.b/z.json",
        "ab.json",
        "B.json",
        "b.json",
        "b/c.json",
        "é.json",
        "z/.hidden/skipped.json",
        "node_modules/skipped.json",
        "a/readme.txt",
    ] {
        t.file(name, STAR);
    }
    t
}

/// The file paths in the order a report lists them.
fn listed(out: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(out).expect("JSON report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

#[test]
fn one_folder_streamed_lists_files_in_sorted_path_order() {
    let t = tree("streaming-order");
    let root = t.path();
    let streamed = mlpolicy(&["lint", &root, "--format", "json"]);
    let mut paths = listed(&stdout(&streamed));
    paths.dedup();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    let names: Vec<&str> = paths
        .iter()
        .map(|p| p.strip_prefix(&format!("{root}/")).expect("under the root"))
        .collect();
    assert_eq!(
        names,
        [
            "B.json",
            "a b/y.json",
            "a-b.json",
            "a.b/z.json",
            "a.json",
            "a/b/deep.json",
            "a/x.json",
            "ab.json",
            "b.json",
            "b/c.json",
            "é.json",
        ]
    );
}

#[test]
fn streamed_and_collected_runs_give_identical_output() {
    let t = tree("streaming-same-output");
    let root = t.path();
    for format in ["json", "sarif", "human", "github"] {
        // Naming the folder twice makes the run collect, sort and deduplicate its inputs.
        let streamed = mlpolicy(&["lint", &root, "--format", format, "--color", "never"]);
        let collected = mlpolicy(&["lint", &root, &root, "--format", format, "--color", "never"]);
        assert_eq!(streamed.status.code(), Some(1), "{format}");
        assert_eq!(
            stdout(&streamed),
            stdout(&collected),
            "{format}: streamed and collected runs differ"
        );
    }
}
