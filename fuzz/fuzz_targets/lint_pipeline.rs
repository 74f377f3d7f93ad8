//! The whole per-file pipeline on arbitrary bytes, as a named file and as a walked one.
//! Must never panic; every finding and label span lies on char boundaries inside the decoded
//! text; linting the same bytes twice gives the same findings; the human, JSON and GitHub
//! writers render the named file's report (the JSON one as valid JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::engine::{FileReport, lint_bytes};
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

fn check(report: &FileReport) {
    let text = &report.source.text;
    for f in &report.findings {
        check_span(text, f.span, f.rule);
        for l in &f.labels {
            check_span(text, l.span, f.rule);
        }
        // Rendering a position must not panic either.
        let _ = report.source.position(f.span.start);
        let _ = report.source.position(f.span.end);
    }
    if report.skipped {
        assert!(report.findings.is_empty(), "a skipped file has findings");
    }
}

/// The report formats mlpolicy writes itself render the file without panicking, and the JSON
/// report is JSON.
fn render(report: FileReport) {
    use mlpolicy::report::{Format, Options, write};
    let outcome = mlpolicy::Outcome {
        files: vec![report],
        ..Default::default()
    };
    // The formats mlpolicy writes itself; colour goes through codespan-reporting, and SARIF
    // through serde, and either would slow every run down more than the writers are worth.
    for (format, color) in [
        (Format::Human, false),
        (Format::Json, false),
        (Format::Github, false),
    ] {
        let options = Options {
            min_severity: mlpolicy::finding::Severity::Note,
            color,
            quiet: false,
        };
        let mut out = Vec::new();
        write(format, &outcome, &options, &mut out).expect("rendering to a Vec");
        if format == Format::Json {
            serde_json::from_slice::<serde_json::Value>(&out).expect("the report is JSON");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for named in [true, false] {
        let a = lint_bytes("fuzz/input.json".to_string(), data.to_vec(), named);
        check(&a);
        let b = lint_bytes("fuzz/input.json".to_string(), data.to_vec(), named);
        assert_eq!(
            a.findings, b.findings,
            "linting twice differs (named={named})"
        );
        assert_eq!((a.policies, a.skipped), (b.policies, b.skipped));
        if named {
            render(a);
        }
    }
});
