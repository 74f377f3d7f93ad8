//! Arbitrary bytes -> if UTF-8, the Terraform front end (`frontend::terraform::scan`) and the
//! whole per-file pipeline on a `.tf` name. Must never panic; every span it hands out
//! (document values and keys at any depth, problems, the syntax error, findings) lies inside
//! the text on char boundaries; scanning twice gives the same documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::frontend::terraform;
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

fn check_value(text: &str, v: &Value) {
    check_span(text, v.span, "value");
    match &v.kind {
        Kind::Array(items) => items.iter().for_each(|i| check_value(text, i)),
        Kind::Object(members) => {
            for m in members {
                check_span(text, m.key_span, "key");
                check_value(text, &m.value);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match terraform::scan(text) {
        Ok(scan) => {
            for d in &scan.documents {
                check_value(text, &d.value);
                assert!(d.pointer.starts_with('/'), "pointer {:?}", d.pointer);
            }
            for p in &scan.problems {
                check_span(text, p.span, p.rule);
            }
            let again = terraform::scan(text).expect("parses twice");
            assert_eq!(scan.documents.len(), again.documents.len());
            for (a, b) in scan.documents.iter().zip(&again.documents) {
                assert_eq!(a.value.as_ref(), b.value.as_ref(), "scanning twice differs");
            }
        }
        Err(e) => check_span(text, e.span, e.rule),
    }
    let report = mlpolicy::engine::lint_bytes("fuzz/input.tf".to_string(), data.to_vec(), true);
    for f in &report.findings {
        check_span(&report.source.text, f.span, f.rule);
        for l in &f.labels {
            check_span(&report.source.text, l.span, f.rule);
        }
        let _ = report.source.position(f.span.start);
    }
});
