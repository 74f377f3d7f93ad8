//! CloudFormation and SAM templates: which documents are found (pointer, kind, the IAM
//! entities they apply to) and every finding's position, pinned per fixture in
//! `testdata/cloudformation/`; plus the YAML reader against the JSON parser on JSON text.

mod common;

use common::{describe, json_files, lint_file, root};
use mlpolicy::frontend::{self, Contents, Format};
use mlpolicy::parse::json::{self, Kind, Value};
use proptest::prelude::*;

fn documents(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture");
    let name = path.to_string_lossy();
    let format = Format::sniff(&name, &text);
    let parsed = frontend::parse(format, &text).expect("fixture parses");
    let (contents, _) = frontend::contents(&parsed, &text);
    let Contents::Documents(docs) = contents else {
        return "(no documents)\n".to_string();
    };
    docs.iter()
        .map(|d| format!("doc {} {:?} units={:?}\n", d.pointer, d.kind, d.units))
        .collect()
}

#[test]
fn template_documents_and_findings_are_pinned() {
    let mut text = String::new();
    for file in json_files(&root().join("testdata/cloudformation")) {
        let report = lint_file(&file);
        text += &format!(
            "== {}\n{}{}",
            report.source.path,
            documents(&file),
            describe(&report)
        );
    }
    insta::assert_snapshot!("templates", text);
}

/// `!Sub arn:${AWS::Partition}:s3:::${Bucket}/*`, `!GetAtt Bucket.Arn` and friends are well
/// formed: no rule may judge the references as text.
#[test]
fn references_give_no_false_findings() {
    let report = lint_file(&root().join("testdata/cloudformation/no-false-malformed-arn.yaml"));
    assert_eq!(report.policies, 3);
    assert!(report.findings.is_empty(), "{}", describe(&report));
}

#[test]
fn a_yaml_file_that_is_no_template_is_skipped_when_walked_and_reported_when_named() {
    let text = b"name: ci\non:\n  push: {}\njobs: {}\n".to_vec();
    let walked =
        mlpolicy::engine::lint_bytes(".github/workflows/ci.yml".into(), text.clone(), false);
    assert!(walked.skipped && walked.findings.is_empty());
    let named = mlpolicy::engine::lint_bytes("ci.yml".into(), text, true);
    assert_eq!(named.findings.len(), 1);
    assert!(
        named.findings[0]
            .message
            .contains("neither a CloudFormation template nor an IAM policy")
    );
    // Broken YAML is reported when walked only if it looks like a template.
    let broken = b"a: [1\n".to_vec();
    assert!(mlpolicy::engine::lint_bytes("x.yaml".into(), broken, false).skipped);
    let broken = b"Resources:\n  R:\n    Type: AWS::IAM::Role\n   Properties: {\n".to_vec();
    let report = mlpolicy::engine::lint_bytes("x.yaml".into(), broken, false);
    assert_eq!(report.findings[0].rule, "invalid-template");
}

/// The same kinds, values and spans from both parsers, so a template's findings land where
/// a JSON policy's would.
fn same_tree(a: &Value, b: &Value) -> Result<(), String> {
    if a.span != b.span {
        return Err(format!(
            "span {:?} != {:?} for {:?}",
            a.span, b.span, a.kind
        ));
    }
    match (&a.kind, &b.kind) {
        (Kind::Array(x), Kind::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).try_for_each(|(p, q)| same_tree(p, q))
        }
        (Kind::Object(x), Kind::Object(y)) if x.len() == y.len() => {
            x.iter().zip(y).try_for_each(|(p, q)| {
                if p.key != q.key || p.key_span != q.key_span {
                    return Err(format!("key {:?} != {:?}", p.key, q.key));
                }
                same_tree(&p.value, &q.value)
            })
        }
        (x, y) if x == y => Ok(()),
        (x, y) => Err(format!("{x:?} != {y:?}")),
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (-1e6f64..1e6).prop_map(|f| serde_json::json!(f)),
        "[ -~é\u{1F600}\\n\\t\"\\\\]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map("[a-zA-Z:/ ]{0,8}", inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn json_text_reads_the_same_through_the_yaml_path(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&v).expect("serialise")
        } else {
            serde_json::to_string(&v).expect("serialise")
        };
        let ours = json::parse(&text).expect("our JSON parser reads serde_json's output");
        let yaml = frontend::yaml::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?} on {text}")))?;
        prop_assert_eq!(yaml.len(), 1);
        if let Err(e) = same_tree(&ours, &yaml[0]) {
            return Err(TestCaseError::fail(format!("{e} on {text}")));
        }
    }
}
