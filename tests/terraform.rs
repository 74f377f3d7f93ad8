//! The Terraform front end: the documents found in every fixture under testdata/terraform
//! (pointer, kind, units, position) and every finding on them, pinned; and a regression run
//! over the Terraform modules of the shared corpus.

mod common;

use common::{describe, json_files, lint_file, root};
use mlpolicy::frontend::{self, Format, Parsed, terraform};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// `pointer kind units @line:column` for every document the front end builds from `path`.
fn documents(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let source = mlpolicy::source::SourceFile::new(String::new(), text.clone());
    let format = Format::sniff(&path.to_string_lossy(), &text);
    let Ok(Parsed::Documents(docs, _)) = frontend::parse(format, &text) else {
        return String::new();
    };
    let mut out = String::new();
    for d in docs {
        let p = source.position(d.value.span.start);
        let _ = writeln!(
            out,
            "  {} {:?} [{}] @{}:{}",
            d.pointer,
            d.kind,
            d.units.join(", "),
            p.line,
            p.column
        );
    }
    out
}

#[test]
fn fixture_documents_and_findings_are_pinned() {
    let mut text = String::new();
    for file in json_files(&root().join("testdata/terraform")) {
        let report = lint_file(&file);
        let _ = write!(
            text,
            "== {}\n{}{}",
            report.source.path,
            documents(&file),
            describe(&report)
        );
    }
    insta::assert_snapshot!("terraform_fixtures", text);
}

/// One fixture per policy form, each found the way it was written.
#[test]
fn every_policy_form_is_found() {
    let mut forms = terraform::Forms::default();
    for file in json_files(&root().join("testdata/terraform")) {
        if Format::of_path(&file.to_string_lossy()) != Some(Format::Terraform) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read");
        let f = terraform::scan(&text).expect("fixtures parse").forms;
        forms.jsonencode += f.jsonencode;
        forms.heredoc += f.heredoc;
        forms.string += f.string;
        forms.data_source += f.data_source;
        forms.reference += f.reference;
        forms.unknown += f.unknown;
        forms.invalid += f.invalid;
    }
    insta::assert_debug_snapshot!("terraform_fixture_forms", forms);
}

/// Values known only at apply time, in every position a policy has, give no finding.
#[test]
fn unknowns_are_not_findings() {
    let report = lint_file(&root().join("testdata/terraform/unknowns.tf"));
    assert!(report.findings.is_empty(), "{}", describe(&report));
    assert_eq!(report.policies, 3);
}

/// A `.tf` that is not HCL (binary junk, a stray log line) is one `invalid-template` finding
/// at its position when named, and skipped when walked and unrelated to policies.
#[test]
fn garbage_is_a_positioned_syntax_error() {
    for (text, named, expected) in [
        ("\u{1}\u{2}garbage {{{", true, Some((1, 1))),
        (
            " code has been checked out.\nresource \"aws_iam_policy\" \"p\" {}\n",
            true,
            Some((1, 27)),
        ),
        ("locals {\n  x = [1,\n", false, None),
    ] {
        let report =
            mlpolicy::engine::lint_bytes("x.tf".to_string(), text.as_bytes().to_vec(), named);
        let found: Vec<(usize, usize)> = report
            .findings
            .iter()
            .map(|f| {
                assert_eq!(f.rule, "invalid-template");
                let p = report.source.position(f.span.start);
                (p.line, p.column)
            })
            .collect();
        assert_eq!(found, expected.into_iter().collect::<Vec<_>>(), "{text:?}");
        assert_eq!(report.skipped, expected.is_none());
    }
}

fn corpus() -> Option<std::path::PathBuf> {
    let dir = root().join("../shared/corpus/terraform");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: ../shared/corpus/terraform is absent; Terraform corpus test did not run"
        );
        None
    }
}

/// Every `.tf` of the corpus parses or reports its syntax error (the six files the corpus
/// README lists as broken); the policies found, by form, and the findings, by rule, are pinned.
#[test]
fn corpus_terraform_summary() {
    let Some(dir) = corpus() else { return };
    let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "tf"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut forms = terraform::Forms::default();
    let mut syntax_errors = Vec::new();
    let mut documents = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("corpus .tf files are UTF-8");
        let rel = file.strip_prefix(&dir).expect("inside").to_string_lossy();
        match terraform::scan(&text) {
            Ok(scan) => {
                let f = scan.forms;
                forms.jsonencode += f.jsonencode;
                forms.heredoc += f.heredoc;
                forms.string += f.string;
                forms.data_source += f.data_source;
                forms.reference += f.reference;
                forms.unknown += f.unknown;
                forms.invalid += f.invalid;
                documents += scan.documents.len();
            }
            Err(e) => {
                let source = mlpolicy::source::SourceFile::new(String::new(), text);
                let p = source.position(e.span.start);
                syntax_errors.push(format!("  {rel}:{}:{} {}", p.line, p.column, e.message));
            }
        }
    }
    let outcome = mlpolicy::lint(&[dir.to_string_lossy().into_owned()], &[], false);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, f) in outcome.findings() {
        *by_rule.entry(f.rule).or_default() += 1;
    }
    let policies: usize = outcome.files.iter().map(|f| f.policies).sum();
    let mut text = format!(
        "files: {}\nparsed: {}\nsyntax errors: {}\n{}\n{forms:#?}\ndocuments: {documents}\nlinted policies: {policies}\nfindings by rule:\n",
        files.len(),
        files.len() - syntax_errors.len(),
        syntax_errors.len(),
        syntax_errors.join("\n"),
    );
    for (rule, n) in by_rule {
        let _ = writeln!(text, "  {rule}: {n}");
    }
    insta::assert_snapshot!("terraform_corpus_summary", text);
}
