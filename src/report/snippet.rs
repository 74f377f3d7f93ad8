//! Plain-text snippets written directly, byte for byte as codespan-reporting lays them out,
//! for the shape nearly every finding has: labels that each sit on a line of their own, on
//! lines of printable ASCII.
//!
//! codespan-reporting writes a snippet a character at a time through `fmt`, about 60,000
//! instructions a finding: a fifth of a whole run with human output, and most of a one-file
//! run of a policy with hundreds of findings. Here the same text costs a few hundred. Every
//! other shape (a label over several lines, two labels on one line, tabs, non-ASCII text,
//! colour) still goes through codespan-reporting, and the tests hold this writer to it.

use super::human::note_parts;
use crate::finding::Finding;
use crate::span::LineIndex;
use crate::text::push_decimal_bytes;
use std::ops::Range;

/// One label as codespan-reporting places it.
struct Placed<'f> {
    line: usize,
    /// Byte columns in the line: at least one, as codespan-reporting draws at least one caret.
    columns: Range<usize>,
    caret: u8,
    message: &'f str,
}

/// Appends `finding`'s snippet to `out` and returns true, or returns false having written
/// nothing when its shape is not one this writer knows.
pub fn write(
    out: &mut Vec<u8>,
    path: &str,
    text: &str,
    lines: &LineIndex,
    finding: &Finding,
) -> bool {
    let starts = lines.line_starts();
    let line_text = |line: usize| {
        let end = starts.get(line + 1).copied().unwrap_or(text.len());
        text[starts[line]..end].trim_end_matches(['\n', '\r', '\0'])
    };
    let labels = std::iter::once((finding.span, b'^', "")).chain(
        finding
            .labels
            .iter()
            .map(|l| (l.span, b'-', l.message.as_ref())),
    );
    let mut placed: Vec<Placed<'_>> = Vec::with_capacity(1 + finding.labels.len());
    for (span, caret, message) in labels {
        if span.end > text.len() || span.start > span.end {
            return false;
        }
        let line = lines.line_of(span.start);
        if lines.line_of(span.end) != line || !printable(line_text(line)) {
            return false;
        }
        let start = span.start - starts[line];
        let end = (span.end - starts[line]).max(start + 1);
        placed.push(Placed {
            line,
            columns: start..end,
            caret,
            message,
        });
    }
    placed.sort_by_key(|p| p.line);
    if placed.windows(2).any(|w| w[0].line == w[1].line) {
        return false;
    }
    // A line between two labelled lines is written out, and must be as plain.
    if placed
        .windows(2)
        .any(|w| w[1].line - w[0].line == 2 && line_text(w[0].line + 1).contains('\t'))
    {
        return false;
    }
    let primary = &placed[placed.iter().position(|p| p.caret == b'^').unwrap_or(0)];
    let width = digits(placed.last().map_or(1, |p| p.line + 1));

    // Pieces copied one after another: through `write!`, the formatting machinery cost
    // more than the rest of the snippet.
    for piece in [
        finding.severity.as_str(),
        "[",
        finding.rule,
        "]: ",
        &finding.message,
        "\n",
    ] {
        out.extend_from_slice(piece.as_bytes());
    }
    gutter(out, width);
    out.extend_from_slice("┌─ ".as_bytes());
    out.extend_from_slice(path.as_bytes());
    out.push(b':');
    push_decimal_bytes(out, primary.line + 1);
    out.push(b':');
    push_decimal_bytes(out, primary.columns.start + 1);
    out.push(b'\n');
    gutter(out, width);
    out.extend_from_slice("│\n".as_bytes());
    for (i, p) in placed.iter().enumerate() {
        source_line(out, width, p.line, line_text(p.line));
        caret_line(out, width, line_text(p.line).len(), p);
        if let Some(next) = placed.get(i + 1) {
            match next.line - p.line {
                2 => source_line(out, width, p.line + 1, line_text(p.line + 1)),
                gap if gap > 2 => {
                    gutter(out, width);
                    out.extend_from_slice("·\n".as_bytes());
                }
                _ => {}
            }
        }
    }
    // There is always a note (`see: ...`). A note's lines are those of its head and text
    // together; the head holds no line break, so it only starts the first.
    gutter(out, width);
    out.extend_from_slice("│\n".as_bytes());
    for (head, text) in note_parts(finding) {
        // Nearly every note is one line: a byte search, not `lines()`'s searcher set up for
        // each of them.
        let (first, more) = match memchr::memchr(b'\n', text.as_bytes()) {
            None => (text, None),
            Some(_) => {
                let mut lines = text.lines();
                (lines.next().unwrap_or_default(), Some(lines))
            }
        };
        gutter(out, width);
        out.extend_from_slice(b"= ");
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(first.as_bytes());
        out.push(b'\n');
        for line in more.into_iter().flatten() {
            gutter(out, width);
            out.extend_from_slice(b"  ");
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    out.push(b'\n');
    true
}

/// The blank column of line numbers, and the space after it.
fn gutter(out: &mut Vec<u8>, width: usize) {
    out.resize(out.len() + width + 1, b' ');
}

fn source_line(out: &mut Vec<u8>, width: usize, line: usize, text: &str) {
    // The line number, right-aligned in the gutter.
    out.resize(out.len() + width.saturating_sub(digits(line + 1)), b' ');
    push_decimal_bytes(out, line + 1);
    out.push(b' ');
    out.extend_from_slice("│ ".as_bytes());
    out.extend_from_slice(text.as_bytes());
    out.push(b'\n');
}

/// Spaces up to the label, its carets (none past the line's end, bar one), then its message.
fn caret_line(out: &mut Vec<u8>, width: usize, line_len: usize, p: &Placed<'_>) {
    gutter(out, width);
    out.extend_from_slice("│ ".as_bytes());
    let end = p.columns.end.min(line_len + 1);
    out.resize(out.len() + p.columns.start.min(end), b' ');
    out.resize(out.len() + end.saturating_sub(p.columns.start), p.caret);
    if !p.message.is_empty() {
        out.push(b' ');
        out.extend_from_slice(p.message.as_bytes());
    }
    out.push(b'\n');
}

/// Every character one column wide, written as it is.
fn printable(line: &str) -> bool {
    line.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::span::Span;
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term::{self, Config, termcolor::NoColor};

    const PATH: &str = "iam/role.json";

    /// What codespan-reporting writes for `f`, as `Human` calls it.
    fn codespan(text: &str, f: &Finding) -> String {
        let file = SimpleFile::new(PATH, text);
        let diagnostic = super::super::human::diagnostic(f, super::super::human::notes(f));
        let mut out = Vec::new();
        term::emit_to_write_style(
            &mut NoColor::new(&mut out),
            &Config::default(),
            &file,
            &diagnostic,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// This writer's text, or `None` when it passes the shape to codespan-reporting.
    fn direct(text: &str, f: &Finding) -> Option<String> {
        let mut out = Vec::new();
        let lines = LineIndex::new(text);
        write(&mut out, PATH, text, &lines, f).then(|| String::from_utf8(out).unwrap())
    }

    /// Checks `f` and says whether this writer took it.
    fn same(text: &str, f: &Finding) -> bool {
        let Some(direct) = direct(text, f) else {
            return false;
        };
        assert_eq!(direct, codespan(text, f), "{f:?}\n{text:?}");
        true
    }

    /// 120 lines, so that line numbers cross from one to two and three digits; a tab on line
    /// 50 and a non-ASCII character on line 60, which this writer leaves to codespan.
    fn policy(newline: &str) -> String {
        (1..=120)
            .map(|n| match n {
                50 => "\t\"Tabbed\": true,".to_string(),
                60 => "    \"Sid\": \"Caf\u{e9}\",".to_string(),
                70 => String::new(),
                _ => format!("    \"s3:Get{n}\","),
            })
            .collect::<Vec<_>>()
            .join(newline)
    }

    fn finding(span: Span) -> Finding {
        Finding::new(
            "redundant-action",
            Severity::Note,
            span,
            "/Statement/0/Action/1",
            "`s3:GetObject` is already covered by `s3:Get*`",
        )
    }

    #[test]
    fn one_label_anywhere_on_a_line_matches_codespan() {
        for newline in ["\n", "\r\n"] {
            let text = policy(newline);
            let lines = LineIndex::new(&text);
            let mut taken = 0;
            for line in [0, 8, 9, 48, 49, 59, 69, 98, 99, 119] {
                let start = lines.line_starts()[line];
                let end = lines
                    .line_starts()
                    .get(line + 1)
                    .copied()
                    .unwrap_or(text.len());
                for from in start..=end {
                    for to in from..=end {
                        let f = finding(Span::new(from, to));
                        if same(&text, &f) {
                            taken += 1;
                        } else {
                            // Left to codespan-reporting: the tab or non-ASCII lines, or a
                            // span that reaches the next line.
                            assert!(
                                [49, 59].contains(&line) || to == end && line < 119,
                                "line {line}, {from}..{to} not taken"
                            );
                        }
                    }
                }
            }
            assert!(taken > 800, "{taken}");
        }
    }

    #[test]
    fn labels_on_other_lines_match_codespan() {
        let text = policy("\n");
        let lines = LineIndex::new(&text);
        let at = |line: usize, col: usize, len: usize| {
            let s = lines.line_starts()[line] + col;
            Span::new(s, s + len)
        };
        let mut taken = 0;
        for primary in [0, 5, 9, 97, 99, 119] {
            for other in [
                0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 48, 50, 96, 98, 100, 101, 119,
            ] {
                for message in ["covered here", ""] {
                    for help in [None, Some("remove it"), Some("two\nlines")] {
                        let mut f = finding(at(primary, 4, 9)).label(at(other, 5, 3), message);
                        if let Some(h) = help {
                            f = f.help(h);
                        }
                        let f2 = f.clone().label(at((primary + 2) % 120, 0, 0), "and here");
                        for f in [f, f2] {
                            taken += usize::from(same(&text, &f));
                        }
                    }
                }
            }
        }
        assert!(taken > 500, "{taken}");
    }

    #[test]
    fn shapes_left_to_codespan() {
        let text = policy("\n");
        let lines = LineIndex::new(&text);
        let line = |n: usize| lines.line_starts()[n];
        // Across lines; two labels on one line; a tab or non-ASCII on a written line.
        assert!(direct(&text, &finding(Span::new(line(3), line(5) + 2))).is_none());
        let two = finding(Span::new(line(3) + 4, line(3) + 6))
            .label(Span::new(line(3) + 8, line(3) + 9), "here");
        assert!(direct(&text, &two).is_none());
        assert!(direct(&text, &finding(Span::new(line(49) + 1, line(49) + 3))).is_none());
        assert!(direct(&text, &finding(Span::new(line(59) + 4, line(59) + 8))).is_none());
        let across_tab = finding(Span::new(line(48) + 4, line(48) + 6))
            .label(Span::new(line(50) + 4, line(50) + 5), "");
        assert!(direct(&text, &across_tab).is_none());
        // A span past the end of the text is codespan-reporting's to report.
        assert!(direct(&text, &finding(Span::new(0, text.len() + 1))).is_none());
    }

    proptest::proptest! {
        /// Any text (tabs, CR, NUL, non-ASCII), any spans on char boundaries, any labels.
        #[test]
        fn any_shape_this_writer_takes_matches_codespan(
            text in "([ -~]{0,12}[\t\r\0é]?\n?){1,30}",
            cuts in proptest::collection::vec((0usize..400, 0usize..8), 1..4),
            message in "[ -~]{0,6}",
            help in proptest::option::of("[ -~\n]{0,12}"),
        ) {
            let point = |at: usize| {
                let mut at = at % (text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let span = |(at, len): (usize, usize)| Span::new(point(at), point(at + len).max(point(at)));
            let mut f = finding(span(cuts[0]));
            for &cut in &cuts[1..] {
                f = f.label(span(cut), message.clone());
            }
            if let Some(h) = &help {
                f = f.help(h.clone());
            }
            if let Some(direct) = direct(&text, &f) {
                proptest::prop_assert_eq!(direct, codespan(&text, &f));
            }
        }
    }
}
