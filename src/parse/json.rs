//! A JSON parser that keeps the byte span of every key and value.
//!
//! serde_json drops positions, and every finding must point at the exact value that caused it,
//! so policies are parsed here. The grammar is RFC 8259, the same that serde_json accepts (a
//! differential test holds us to that). Duplicate keys are kept in order, because IAM rejects
//! them and a rule reports them; serde_json would silently keep the last one.
//!
//! Nesting is bounded by [`MAX_DEPTH`], so hostile input cannot overflow the stack.

pub use super::text::Text;
use crate::span::{LineIndex, Span};
use compact_str::CompactString;

/// Deeper than any real policy or template needs, shallow enough for a rayon thread's stack.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct Value<'s> {
    pub kind: Kind<'s>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'s> {
    Null,
    Bool(bool),
    /// The literal text of the number, as written.
    Number(Text<'s>),
    String(Text<'s>),
    Array(Vec<Value<'s>>),
    Object(Vec<Member<'s>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'s> {
    pub key: Text<'s>,
    pub key_span: Span,
    pub value: Value<'s>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

impl<'s> Value<'s> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'s>]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The first member named `key` (element names are case-sensitive in IAM).
    pub fn get(&self, key: &str) -> Option<&Value<'s>> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }

    /// The same tree, its text no longer borrowed from the source: for a tree kept after its
    /// source goes, or parsed from text of its own.
    pub fn into_owned(self) -> Value<'static> {
        let kind = match self.kind {
            Kind::Null => Kind::Null,
            Kind::Bool(b) => Kind::Bool(b),
            Kind::Number(t) => Kind::Number(t.into_owned()),
            Kind::String(t) => Kind::String(t.into_owned()),
            Kind::Array(items) => Kind::Array(items.into_iter().map(Value::into_owned).collect()),
            Kind::Object(members) => Kind::Object(
                members
                    .into_iter()
                    .map(|m| Member {
                        key: m.key.into_owned(),
                        key_span: m.key_span,
                        value: m.value.into_owned(),
                    })
                    .collect(),
            ),
        };
        Value {
            kind,
            span: self.span,
        }
    }

    /// The JSON type name used in messages ("a string", "an array", ...).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// Parses one JSON document. `text` is the whole file; spans are byte offsets into it.
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    parse_indexed(text).map(|(value, _)| value)
}

/// [`parse`], and the start of every line of `text`, the same as [`LineIndex::new`] finds.
/// A JSON text can hold a raw line feed only between tokens, where the parser skips it
/// anyway: noting it there spares a second pass over the text.
pub fn parse_indexed(text: &str) -> Result<(Value<'_>, LineIndex), SyntaxError> {
    // Sized for lines of 24 bytes (policies average 27) rather than grown from one, and
    // trimmed at the end: a file written on one line keeps one entry.
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        line_starts: Vec::with_capacity(text.len() / 24 + 1),
    };
    p.line_starts.push(0);
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.error_here("trailing characters after the JSON value"));
    }
    p.line_starts.shrink_to_fit();
    Ok((value, LineIndex::from_starts(p.line_starts)))
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// The offsets after each line feed skipped so far, after a 0 for the first line.
    line_starts: Vec<usize>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Skips whitespace. Called between every two tokens and usually finding none: only
    /// that test is inlined.
    #[inline(always)]
    fn skip_ws(&mut self) {
        if let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.skip_ws_run();
        }
    }

    fn skip_ws_run(&mut self) {
        // The cursor in a local, not behind `self`: the pushes to `line_starts` would have it
        // stored and reloaded around every line feed.
        let src = self.src;
        let mut pos = self.pos;
        while let Some(&b) = src.get(pos) {
            match b {
                b' ' | b'\t' | b'\r' => pos += 1,
                b'\n' => {
                    pos += 1;
                    self.line_starts.push(pos);
                    pos = crate::text::blocks::spaces_end(src, pos);
                }
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// An error spanning the character at the cursor (or an empty span at the end).
    fn error_here(&self, message: &str) -> SyntaxError {
        let len = self.text[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        SyntaxError {
            message: message.to_string(),
            span: Span::new(self.pos, self.pos + len),
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text[self.pos..].chars().next() {
            None => SyntaxError {
                message: format!("unexpected end of file, expected {expected}"),
                span: Span::new(self.pos, self.pos),
            },
            Some(c) => self.error_here(&format!("expected {expected}, found {}", describe_char(c))),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Value {
                    kind: Kind::String(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(self.error_here(&format!(
                "nesting deeper than {MAX_DEPTH} levels; no policy needs this"
            )));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Object(members),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        return Err(SyntaxError {
                            message: "trailing comma before `}`".to_string(),
                            span: Span::new(comma, comma + 1),
                        });
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value {
                        kind: Kind::Object(members),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Array(items),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(SyntaxError {
                            message: "trailing comma before `]`".to_string(),
                            span: Span::new(comma, comma + 1),
                        });
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value {
                        kind: Kind::Array(items),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn literal(&mut self, word: &str, kind: Kind<'a>) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_here("numbers cannot have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.unexpected("a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        Ok(Value {
            kind: Kind::Number(Text::Borrowed(&self.text[start..self.pos])),
            span: Span::new(start, self.pos),
        })
    }

    /// Parses a string starting at the opening quote; leaves the cursor after the closing one.
    fn string(&mut self) -> Result<Text<'a>, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        // Most strings have no escapes: borrow them from the source.
        let end = plain_run_end(self.src, self.pos);
        if self.src.get(end) == Some(&b'"') {
            let out = Text::Borrowed(&self.text[self.pos..end]);
            self.pos = end + 1;
            return Ok(out);
        }
        let mut out = CompactString::default();
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            self.pos = plain_run_end(self.src, self.pos);
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Text::Owned(out));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self.error_here(
                        "control character in a string; write it as an escape such as `\\n`",
                    ));
                }
                None => {
                    return Err(SyntaxError {
                        message: "unterminated string".to_string(),
                        span: Span::new(open, self.pos),
                    });
                }
            }
        }
    }

    fn escape(&mut self, out: &mut CompactString) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4(start)?;
                let c = if (0xD800..0xDC00).contains(&high) {
                    if !self.src[self.pos..].starts_with(b"\\u") {
                        return Err(self.bad_escape(start, "unpaired surrogate in a `\\u` escape"));
                    }
                    self.pos += 2;
                    let low = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.bad_escape(start, "unpaired surrogate in a `\\u` escape"));
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else if (0xDC00..0xE000).contains(&high) {
                    None
                } else {
                    char::from_u32(high)
                };
                let Some(c) = c else {
                    return Err(self.bad_escape(start, "unpaired surrogate in a `\\u` escape"));
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                self.pos = start;
                return Err(self.error_here_len(2, "invalid escape in a string"));
            }
        };
        out.push(c);
        self.pos += 1;
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, SyntaxError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.bad_escape(escape_start, "invalid `\\u` escape")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn bad_escape(&self, start: usize, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            span: Span::new(start, self.pos.max(start + 1).min(self.src.len())),
        }
    }

    fn error_here_len(&self, len: usize, message: &str) -> SyntaxError {
        let end = (self.pos + len).min(self.src.len());
        let end = (end..=self.src.len())
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(self.src.len());
        SyntaxError {
            message: message.to_string(),
            span: Span::new(self.pos, end),
        }
    }
}

/// The offset of the first quote, backslash or control character at or after `from`: where
/// a run of characters that a string holds as they are ends.
fn plain_run_end(src: &[u8], from: usize) -> usize {
    crate::text::blocks::next_string_special(src, from).unwrap_or(src.len())
}

fn describe_char(c: char) -> String {
    match c {
        '\'' => "`'` (JSON strings use double quotes)".to_string(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = r#"{"Effect": "Allow", "n": [1, -2.5e3]}"#;
        let v = parse(text).expect("valid");
        let members = v.as_object().expect("object");
        assert_eq!(members[0].key, "Effect");
        assert_eq!(&text[members[0].key_span.range()], "\"Effect\"");
        assert_eq!(&text[members[0].value.span.range()], "\"Allow\"");
        let Kind::Array(items) = &members[1].value.kind else {
            panic!("array expected")
        };
        assert_eq!(items[1].kind, Kind::Number("-2.5e3".into()));
    }

    #[test]
    fn plain_text_borrows_the_source_and_escaped_text_is_decoded() {
        let text = r#"{"a": "arn:aws:s3:::b/*", "b\u0041": "x\ny", "n": 12}"#;
        let v = parse(text).expect("valid");
        let members = v.as_object().expect("object");
        assert!(matches!(members[0].key, Text::Borrowed("a")));
        assert!(matches!(
            members[0].value.kind,
            Kind::String(Text::Borrowed("arn:aws:s3:::b/*"))
        ));
        assert!(matches!(&members[1].key, Text::Owned(k) if k == "bA"));
        assert!(matches!(&members[1].value.kind, Kind::String(Text::Owned(s)) if s == "x\ny"));
        assert!(matches!(
            members[2].value.kind,
            Kind::Number(Text::Borrowed("12"))
        ));
        // A kept tree no longer borrows the text, and says the same.
        let owned = v.clone().into_owned();
        assert_eq!(owned, v);
        let members = owned.as_object().expect("object");
        assert!(matches!(members[0].key, Text::Owned(_)));
        assert!(matches!(
            members[0].value.kind,
            Kind::String(Text::Owned(_))
        ));
        assert!(matches!(
            members[2].value.kind,
            Kind::Number(Text::Owned(_))
        ));
    }

    #[test]
    fn plain_runs_end_at_quotes_backslashes_and_control_characters() {
        for (text, end) in [
            ("abcdefghijklmnop\"", 16),
            ("abcdefghijk\\lmnop", 11),
            ("abcdefghijklmn\u{1}op", 14),
            ("abc", 3),
            ("héllo wörld, ünïcode ok\"", "héllo wörld, ünïcode ok".len()),
            ("\u{7f}\u{80}~~~~~~~~~~~~\t", 15),
        ] {
            assert_eq!(plain_run_end(text.as_bytes(), 0), end, "{text:?}");
        }
        assert_eq!(plain_run_end(b"0123456789\"", 3), 10);
    }

    #[test]
    fn notes_every_line_start_on_the_way() {
        let indents = (0..20).map(|n| format!("{{\n{}\"a\": [1,\r\n\t 2]\n}}\n", " ".repeat(n)));
        let texts = [
            "{}",
            "\n\n[\n]\n\n",
            "{\"a\":\n        \n         1}",
            "  \r\n  null",
        ];
        for text in indents.chain(texts.map(String::from)) {
            let (_, lines) = parse_indexed(&text).expect("valid JSON");
            assert_eq!(
                lines.line_starts(),
                LineIndex::new(&text).line_starts(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn keeps_duplicate_keys() {
        let v = parse(r#"{"a": 1, "a": 2}"#).expect("valid");
        assert_eq!(v.as_object().expect("object").len(), 2);
    }

    #[test]
    fn decodes_escapes_and_surrogate_pairs() {
        let v = parse(r#""a\n\u00e9\ud83d\ude00\/""#).expect("valid");
        assert_eq!(v.as_str(), Some("a\né😀/"));
    }

    #[test]
    fn reports_errors_with_their_position() {
        let cases: &[(&str, usize, &str)] = &[
            (r#"{"a": 1,}"#, 7, "trailing comma"),
            (r#"{"a" 1}"#, 5, "expected `:`"),
            (r#"{"a": tru}"#, 6, "expected a JSON value"),
            (r#"["\ud800"]"#, 2, "unpaired surrogate"),
            ("[01]", 2, "leading zeros"),
            ("{} {}", 3, "trailing characters"),
            ("\"abc", 0, "unterminated string"),
            ("", 0, "unexpected end of file"),
            ("['a']", 1, "double quotes"),
        ];
        for (text, offset, needle) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.span.start, *offset, "{text}: {err:?}");
            assert!(err.message.contains(needle), "{text}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(200_000);
        let err = parse(&text).expect_err("too deep");
        assert_eq!(err.span.start, MAX_DEPTH);
        assert!(err.message.contains("nesting deeper"));
    }
}
