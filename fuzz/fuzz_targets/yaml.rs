//! The YAML front end on arbitrary bytes: `frontend::yaml::parse`, then the whole pipeline as
//! a named `.yaml` file (CloudFormation resolution included). Must never panic; every value,
//! key and error span lies inside the text on char boundaries; every finding too; parsing
//! twice gives the same trees.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::engine::lint_bytes;
use mlpolicy::frontend::yaml;
use mlpolicy::parse::json::{Kind, Value};
use mlpolicy::span::Span;

fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
}

fn check_tree(text: &str, v: &Value) {
    check_span(text, v.span, "value");
    match &v.kind {
        Kind::Array(items) => items.iter().for_each(|i| check_tree(text, i)),
        Kind::Object(members) => {
            for m in members {
                check_span(text, m.key_span, "key");
                check_tree(text, &m.value);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let first = yaml::parse(text);
        match &first {
            Ok(docs) => docs.iter().for_each(|d| check_tree(text, d)),
            Err(e) => check_span(text, e.span, "error"),
        }
        assert_eq!(first, yaml::parse(text), "parsing twice differs");
    }
    for named in [true, false] {
        let a = lint_bytes("fuzz/template.yaml".to_string(), data.to_vec(), named);
        let text = &a.source.text;
        for f in &a.findings {
            check_span(text, f.span, f.rule);
            for l in &f.labels {
                check_span(text, l.span, f.rule);
            }
            let _ = a.source.position(f.span.start);
        }
        if a.skipped {
            assert!(a.findings.is_empty(), "a skipped file has findings");
        }
    }
});
