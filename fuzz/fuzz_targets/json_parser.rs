//! Arbitrary bytes -> if UTF-8, `parse::json::parse_indexed`. Must never panic, every span it
//! hands out (values, keys, the error) must lie inside the text on char boundaries, and the
//! line starts it notes must be those of the whole text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::parse::json::{self, Kind, Value};
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
    let slice = &text[v.span.range()];
    match &v.kind {
        Kind::Null => assert_eq!(slice, "null"),
        Kind::Bool(b) => assert_eq!(slice, if *b { "true" } else { "false" }),
        Kind::Number(n) => assert_eq!(slice, n.as_str()),
        Kind::String(_) => {
            assert!(slice.starts_with('"') && slice.ends_with('"') && slice.len() >= 2)
        }
        Kind::Array(items) => {
            assert!(slice.starts_with('[') && slice.ends_with(']'));
            for item in items {
                assert!(v.span.start < item.span.start && item.span.end < v.span.end);
                check_value(text, item);
            }
        }
        Kind::Object(members) => {
            assert!(slice.starts_with('{') && slice.ends_with('}'));
            for m in members {
                check_span(text, m.key_span, "key");
                let key = &text[m.key_span.range()];
                assert!(key.starts_with('"') && key.ends_with('"') && key.len() >= 2);
                assert!(m.key_span.end <= m.value.span.start);
                assert!(v.span.start < m.key_span.start && m.value.span.end < v.span.end);
                check_value(text, &m.value);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match json::parse_indexed(text) {
        Ok((v, lines)) => {
            // The lines the parser noted on its way are every line of the text.
            assert_eq!(
                lines.line_starts(),
                mlpolicy::span::LineIndex::new(text).line_starts()
            );
            check_value(text, &v);
            assert_eq!(
                &text[v.span.range()],
                text.trim_matches([' ', '\t', '\n', '\r'])
            );
        }
        Err(e) => check_span(text, e.span, "error"),
    }
});
