//! Policy JSON written as text inside a Terraform file (a heredoc or a quoted string) or inside
//! a plan (a JSON string holding JSON).
//!
//! The JSON text is rebuilt piece by piece from the source, remembering for every byte the
//! source range it came from, then parsed with our JSON parser; every span of the resulting
//! tree is mapped back, so a finding lands on the heredoc line, or inside the quoted string
//! on the escaped characters that wrote the value.

use super::expr::{self, span_of};
use crate::frontend::Failure;
use crate::parse::json::{self, Kind, Value};
use crate::span::Span;
use hcl_edit::expr::Expression;
use hcl_edit::template::{Element, Template};

/// Text rebuilt from pieces of a source file.
#[derive(Debug, Default)]
pub struct Mapped {
    pub text: String,
    /// For each byte of `text`, the source range that produced it: a character copied as is
    /// maps to itself, an escape (`\"`, `$${`) to the whole escape.
    origin: Vec<(usize, usize)>,
    /// Lexical state of `text` as JSON, to know whether a piece lands inside a string.
    in_string: bool,
    escaped: bool,
    /// Set when a `${...}` reference was written outside a JSON string, where the template
    /// would have spliced arbitrary JSON; a syntax error is then not necessarily real.
    pub spliced: bool,
}

impl Mapped {
    /// Appends `produced`, which the source range `from` wrote.
    pub fn produced(&mut self, produced: &str, from: (usize, usize)) {
        self.text.push_str(produced);
        self.origin
            .extend(std::iter::repeat_n(from, produced.len()));
        self.track(produced);
    }

    /// Appends source text starting at source offset `at`, each character mapping to itself.
    pub fn copied(&mut self, source: &str, at: usize) {
        for (i, c) in source.char_indices() {
            let from = (at + i, at + i + c.len_utf8());
            self.text.push(c);
            self.origin.extend(std::iter::repeat_n(from, c.len_utf8()));
        }
        self.track(source);
    }

    /// Appends an unknown value (a template reference) as JSON: inside a string as the
    /// reference itself, elsewhere as a string holding it.
    pub fn reference(&mut self, reference: &str, from: (usize, usize)) {
        if self.in_string {
            self.produced(reference, from);
        } else {
            self.spliced = true;
            self.produced(&format!("\"{reference}\""), from);
        }
    }

    fn track(&mut self, piece: &str) {
        for b in piece.bytes() {
            if self.escaped {
                self.escaped = false;
            } else if self.in_string && b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = !self.in_string;
            }
        }
    }

    /// The source span of `span` in `text`; an empty span at the end maps to `end`.
    fn map(&self, span: Span, end: usize) -> Span {
        let start = self.origin.get(span.start).map_or(end, |o| o.0);
        if span.end <= span.start {
            return Span::new(start, start);
        }
        let stop = self.origin.get(span.end - 1).map_or(end, |o| o.1);
        Span::new(start, stop.max(start))
    }

    /// Parses the rebuilt text as JSON, with every span mapped back into the source. `end` is
    /// where the text ended in the source (for errors at the end of the input).
    pub fn parse(&self, end: usize) -> Result<Value<'static>, json::SyntaxError> {
        match json::parse(&self.text) {
            Ok(mut value) => {
                self.remap(&mut value, end);
                // The text is this decoding's own, not the file's.
                Ok(value.into_owned())
            }
            Err(mut e) => {
                e.span = self.map(e.span, end);
                Err(e)
            }
        }
    }

    /// Depth is bounded by the JSON parser's own `MAX_DEPTH`.
    fn remap(&self, value: &mut Value, end: usize) {
        value.span = self.map(value.span, end);
        match &mut value.kind {
            Kind::Array(items) => items.iter_mut().for_each(|v| self.remap(v, end)),
            Kind::Object(members) => {
                for m in members {
                    m.key_span = self.map(m.key_span, end);
                    self.remap(&mut m.value, end);
                }
            }
            _ => {}
        }
    }
}

/// The escapes a piece of source text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// HCL heredoc text: only `$${` and `%%{`, which stand for a literal `${` and `%{`.
    Heredoc,
    /// An HCL quoted string: the heredoc escapes plus `\n`, `\"`, `\\`, `\uXXXX`...
    Quoted,
    /// A JSON string (in a plan file): `\"`, `\\`, `\/`, `\n`, `\uXXXX`, surrogate pairs.
    Json,
}

/// Appends the value of `raw` (source text at offset `at`) with its escapes decoded. Returns
/// false when an escape is not understood, so the caller can fall back to coarser spans; the
/// parsers that produced `raw` already rejected invalid escapes, so this does not happen on
/// input they accepted.
pub fn unescape_into(out: &mut Mapped, raw: &str, at: usize, escapes: Escapes) -> bool {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < bytes.len() {
        let rest = &raw[i..];
        let template_marker =
            escapes != Escapes::Json && (rest.starts_with("$${") || rest.starts_with("%%{"));
        if template_marker {
            out.copied(&raw[run..i], at + run);
            out.produced(&rest[1..3], (at + i, at + i + 3));
            i += 3;
            run = i;
            continue;
        }
        if bytes[i] != b'\\' || escapes == Escapes::Heredoc {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.copied(&raw[run..i], at + run);
        let Some((c, len)) = escape(rest, escapes) else {
            return false;
        };
        let mut buf = [0u8; 4];
        out.produced(c.encode_utf8(&mut buf), (at + i, at + i + len));
        i += len;
        run = i;
    }
    out.copied(&raw[run..], at + run);
    true
}

/// The character an escape at the start of `s` stands for, and the escape's length.
fn escape(s: &str, escapes: Escapes) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(1)?;
    let simple = match b {
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'\\' => Some('\\'),
        b'"' => Some('"'),
        b'/' if escapes == Escapes::Json => Some('/'),
        b'b' if escapes == Escapes::Json => Some('\u{8}'),
        b'f' if escapes == Escapes::Json => Some('\u{c}'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c, 2));
    }
    let hex = |digits: &str| u32::from_str_radix(digits, 16).ok();
    match (b, escapes) {
        (b'u', _) => {
            let high = hex(s.get(2..6)?)?;
            if escapes == Escapes::Json && (0xD800..0xDC00).contains(&high) {
                let low = s.get(6..8).filter(|p| *p == "\\u").and(s.get(8..12))?;
                let low = hex(low)?;
                let c =
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)?));
                return c.map(|c| (c, 12));
            }
            char::from_u32(high).map(|c| (c, 6))
        }
        (b'U', Escapes::Quoted) => char::from_u32(hex(s.get(2..10)?)?).map(|c| (c, 10)),
        _ => None,
    }
}

/// What became of one policy attribute written as a value.
pub enum Outcome {
    Linted(Value<'static>),
    Unknown,
    Invalid,
}

/// A quoted string holding JSON.
pub fn quoted(
    text: &str,
    problems: &mut Vec<Failure>,
    value: &Expression,
    fallback: Span,
) -> Outcome {
    let span = span_of(value, fallback);
    if let Expression::StringTemplate(t) = value {
        return template(text, problems, t, Escapes::Quoted, span);
    }
    // The literal's source without its quotes.
    let inner = Span::new(
        span.start + 1,
        span.end.saturating_sub(1).max(span.start + 1),
    );
    let raw = text.get(inner.range()).unwrap_or("");
    let mut out = Mapped::default();
    if !unescape_into(&mut out, raw, inner.start, Escapes::Quoted) {
        // Not reachable for strings hcl-edit accepted; kept coarse rather than wrong: the
        // whole string's span for every value.
        out = Mapped::default();
        out.produced(value.as_str().unwrap_or(""), (span.start, span.end));
    }
    finish(problems, &out, inner.end)
}

/// A template (heredoc or quoted string with interpolations) holding JSON. Interpolations
/// become `${...}` references; a directive (`%{ for }`) makes the text unknowable.
pub fn template(
    text: &str,
    problems: &mut Vec<Failure>,
    template: &Template,
    escapes: Escapes,
    span: Span,
) -> Outcome {
    let mut out = Mapped::default();
    let mut end = span.end;
    for element in template.iter() {
        match element {
            Element::Literal(l) => {
                let s = span_of(l, span);
                end = s.end;
                let raw = text.get(s.range()).unwrap_or("");
                if !unescape_into(&mut out, raw, s.start, escapes) {
                    // See `quoted`: coarse but never wrong.
                    out.produced(l.value(), (s.start, s.end));
                }
            }
            Element::Interpolation(i) => {
                let s = span_of(&i.expr, span);
                end = span_of(i, s).end;
                out.reference(&expr::reference(text, s), (s.start, s.end));
            }
            Element::Directive(_) => return Outcome::Unknown,
        }
    }
    finish(problems, &out, end)
}

/// Parses rebuilt JSON text. A syntax error is a finding unless template references were
/// spliced outside strings (then the rendered text is unknown); a value that is itself one
/// reference (`"${var.policy}"`) is unknown, and so is empty text.
fn finish(problems: &mut Vec<Failure>, out: &Mapped, end: usize) -> Outcome {
    // `policy = ""` sets no policy: the provider treats an empty optional attribute as unset,
    // and rejects an empty required one itself, before anything reaches IAM.
    if out.text.trim().is_empty() {
        return Outcome::Unknown;
    }
    match out.parse(end) {
        Ok(v) => match &v.kind {
            Kind::String(s) if crate::model::variables::is_template_reference(s) => {
                Outcome::Unknown
            }
            _ => Outcome::Linted(v),
        },
        Err(_) if out.spliced => Outcome::Unknown,
        Err(e) => {
            problems.push(Failure {
                rule: crate::rules::invalid_json::ID,
                span: e.span,
                message: format!("the policy is not valid JSON: {}", e.message),
            });
            Outcome::Invalid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(source: &str, escapes: Escapes) -> (Mapped, Value<'static>) {
        let mut m = Mapped::default();
        assert!(unescape_into(&mut m, source, 0, escapes));
        let v = m.parse(source.len()).expect("valid JSON");
        (m, v)
    }

    #[test]
    fn quoted_json_maps_values_onto_their_escaped_source() {
        let source = r#"{\"Action\": \"s3:Get\u002A\", \"R\": \"$${aws:userid}\"}"#;
        let (m, v) = rebuilt(source, Escapes::Quoted);
        assert_eq!(m.text, r#"{"Action": "s3:Get*", "R": "${aws:userid}"}"#);
        let action = v.get("Action").expect("Action");
        assert_eq!(action.as_str(), Some("s3:Get*"));
        assert_eq!(&source[action.span.range()], r#"\"s3:Get\u002A\""#);
        let key = &v.as_object().expect("object")[1];
        assert_eq!(&source[key.key_span.range()], r#"\"R\""#);
        assert_eq!(key.value.as_str(), Some("${aws:userid}"));
    }

    #[test]
    fn json_in_json_decodes_surrogates() {
        let source = r#"{\"a\": \"\ud83d\ude00\/\"}"#;
        let (_, v) = rebuilt(source, Escapes::Json);
        let a = v.get("a").expect("a");
        assert_eq!(a.as_str(), Some("😀/"));
        assert_eq!(&source[a.span.range()], r#"\"\ud83d\ude00\/\""#);
    }

    #[test]
    fn multi_byte_characters_before_escapes() {
        let source = "{\"é\\u00e9\": \"\u{feff}$${aws:userid}\"}";
        for escapes in [Escapes::Heredoc, Escapes::Quoted] {
            let mut m = Mapped::default();
            assert!(unescape_into(&mut m, source, 0, escapes));
        }
    }

    #[test]
    fn heredoc_keeps_backslashes_and_unescapes_markers() {
        let source = "{\"a\": \"x\\\\y $${aws:username}\"}";
        let (_, v) = rebuilt(source, Escapes::Heredoc);
        assert_eq!(
            v.get("a").and_then(Value::as_str),
            Some("x\\y ${aws:username}")
        );
    }

    #[test]
    fn references_become_strings_outside_json_strings() {
        let mut m = Mapped::default();
        m.copied("{\"a\": \"x", 10);
        m.reference("${var.x}", (18, 26));
        m.copied("\", \"b\": ", 26);
        m.reference("${var.list}", (34, 45));
        m.copied("}", 45);
        assert_eq!(m.text, r#"{"a": "x${var.x}", "b": "${var.list}"}"#);
        assert!(m.spliced);
        let v = m.parse(46).expect("valid");
        assert_eq!(v.get("b").expect("b").span, Span::new(34, 45));
        assert_eq!(v.get("a").expect("a").span, Span::new(16, 27));
    }

    #[test]
    fn errors_map_into_the_source() {
        let mut m = Mapped::default();
        m.copied("{\"a\": }", 100);
        let e = m.parse(107).expect_err("invalid");
        assert_eq!(e.span, Span::new(106, 107));
        let mut m = Mapped::default();
        m.copied("{\"a\": ", 100);
        assert_eq!(m.parse(106).expect_err("invalid").span, Span::new(106, 106));
    }
}
