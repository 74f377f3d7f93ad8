//! YAML to the span-keeping JSON tree, for CloudFormation and SAM templates.
//!
//! The events of `saphyr-parser` (a YAML 1.2 parser) are assembled into [`Value`]s whose spans
//! are byte ranges of the file, like the JSON parser's. On the way:
//!
//! - CloudFormation's short-form tags become their long form: `!Ref X` is `{"Ref": "X"}`,
//!   `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`, and any other local tag `!Name v` is
//!   `{"Fn::Name": v}`. The object spans the tag and its value; the key spans the tag.
//! - Plain scalars follow the YAML 1.2 core schema (`true`, `null`, `12`, `1.5e3`); a number
//!   keeps its literal text. `2012-10-17` stays a string, as CloudFormation reads it.
//! - Duplicate keys are kept in order, as the JSON parser keeps them, so `invalid-policy`
//!   can report them.
//! - Aliases are expanded, within a budget, so an alias bomb is an error and not an outage.
//! - A stream of several documents gives several trees.
//!
//! Nesting is bounded by [`json::MAX_DEPTH`], counted through expanded aliases too.

use crate::parse::json::{Kind, MAX_DEPTH, Member, Text, Value};
use crate::span::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::collections::HashMap;

/// Values that aliases may copy in one file, in all: far beyond any template, far below what
/// would exhaust memory.
const ALIAS_BUDGET: usize = 1_000_000;

/// How many over-dedented quoted scalars are re-indented before giving up (see [`parse`]).
const MAX_REINDENTS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// Parses a YAML stream into one tree per document. An empty stream gives no document.
///
/// CloudFormation accepts a multi-line quoted scalar whose continuation lines are indented
/// less than YAML 1.2 requires (a closing `}'` under its key, as in
/// `PolicyDocument: '{ ... }'`), and real templates rely on that. Leading white space of
/// those lines is not part of the value, so such a scalar is re-indented and the file parsed
/// again, with every span mapped back to the original text.
pub fn parse(text: &str) -> Result<Vec<Value<'static>>, YamlError> {
    let mut patched = Patched::new(text);
    for _ in 0..MAX_REINDENTS {
        match Builder::new(&patched).run() {
            Err(Error::Scan(e)) if e.info() == "invalid indentation in quoted scalar" => {
                let at = patched.byte_of_char(e.marker().index());
                match patched.reindent_quoted(at) {
                    Reindent::Done => {}
                    Reindent::Unclosed => {
                        let mut err = patched.scan_error(&e);
                        err.message = "invalid YAML: a quoted string is never closed".to_string();
                        return Err(err);
                    }
                    Reindent::Nothing => return Err(patched.scan_error(&e)),
                }
            }
            Err(Error::Scan(e)) => return Err(patched.scan_error(&e)),
            Err(Error::Tree(e)) => return Err(e),
            Ok(docs) => return Ok(docs),
        }
    }
    Err(YamlError {
        span: Span::new(0, 0),
        message: "too many over-dedented quoted scalars".to_string(),
    })
}

enum Error {
    Scan(ScanError),
    Tree(YamlError),
}

enum Reindent {
    Done,
    /// The quoted scalar has no closing quote.
    Unclosed,
    Nothing,
}

/// The text handed to the parser: the original, or a copy with spaces inserted at the start
/// of some lines. Knows how to map the parser's character indexes back to original bytes.
struct Patched<'a> {
    original: &'a str,
    text: String,
    /// Sorted (byte offset in `text` where inserted spaces start, how many).
    inserts: Vec<(usize, usize)>,
    /// Byte offset in `text` of every 64th character, to turn character indexes into bytes.
    checkpoints: Vec<usize>,
    ascii: bool,
}

impl<'a> Patched<'a> {
    fn new(original: &'a str) -> Self {
        let mut p = Self {
            original,
            text: original.to_string(),
            inserts: Vec::new(),
            checkpoints: Vec::new(),
            ascii: true,
        };
        p.index();
        p
    }

    fn index(&mut self) {
        self.ascii = self.text.is_ascii();
        self.checkpoints.clear();
        if !self.ascii {
            self.checkpoints = self
                .text
                .char_indices()
                .step_by(64)
                .map(|(b, _)| b)
                .collect();
        }
    }

    /// The byte offset in `text` of character `index` (clamped to the end).
    fn byte_of_char(&self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        let Some(&from) = self.checkpoints.get(index / 64) else {
            return self.text.len();
        };
        let skip = index % 64;
        self.text[from..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(b, _)| from + b)
    }

    /// The byte offset in the original text of byte `b` of `text`; inside inserted spaces,
    /// the point where they were inserted.
    fn original_byte(&self, b: usize) -> usize {
        let mut shift = 0;
        for &(at, len) in &self.inserts {
            if b < at {
                break;
            }
            if b < at + len {
                return at - shift;
            }
            shift += len;
        }
        (b - shift).min(self.original.len())
    }

    fn span(&self, start_char: usize, end_char: usize) -> Span {
        let start = self.original_byte(self.byte_of_char(start_char));
        let end = self.original_byte(self.byte_of_char(end_char)).max(start);
        Span::new(start, end)
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let at = self.original_byte(self.byte_of_char(e.marker().index()));
        let len = self.original[at..].chars().next().map_or(0, char::len_utf8);
        YamlError {
            span: Span::new(at, at + len),
            message: format!("invalid YAML: {}", e.info()),
        }
    }

    /// Indents every continuation line of the quoted scalar starting at byte `at` of `text`
    /// to the column of its opening quote.
    fn reindent_quoted(&mut self, at: usize) -> Reindent {
        let bytes = self.text.as_bytes();
        let Some(&quote) = bytes.get(at).filter(|b| matches!(b, b'\'' | b'"')) else {
            return Reindent::Nothing;
        };
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..at].chars().count();
        // Find the closing quote; line starts in between get the padding.
        let mut i = at + 1;
        let mut lines = Vec::new();
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 1,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                b if b == quote => break,
                b'\n' => lines.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        if i >= bytes.len() {
            return Reindent::Unclosed;
        }
        if lines.is_empty() {
            return Reindent::Nothing;
        }
        let pad = " ".repeat(column + 1);
        // Insert from the last line back so earlier offsets stay valid.
        for &line in lines.iter().rev() {
            self.text.insert_str(line, &pad);
        }
        // Earlier runs move by the padding inserted before them; the new runs are at their
        // line starts shifted by the padding of the lines above.
        for run in &mut self.inserts {
            run.0 += pad.len() * lines.iter().filter(|&&l| l <= run.0).count();
        }
        self.inserts.extend(
            lines
                .iter()
                .enumerate()
                .map(|(k, &l)| (l + k * pad.len(), pad.len())),
        );
        self.inserts.sort_unstable();
        self.index();
        Reindent::Done
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Value<'static>>,
    },
    Map {
        start: Span,
        anchor: usize,
        tag: Option<Tag>,
        members: Vec<Member<'static>>,
        key: Option<(String, Span)>,
    },
}

struct Builder<'p, 'a> {
    patched: &'p Patched<'a>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value<'static>>,
    alias_budget: usize,
    docs: Vec<Value<'static>>,
}

impl<'p, 'a> Builder<'p, 'a> {
    fn new(patched: &'p Patched<'a>) -> Self {
        Self {
            patched,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: ALIAS_BUDGET,
            docs: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Vec<Value<'static>>, Error> {
        let mut parser = Parser::new_from_str(&self.patched.text);
        while let Some(next) = parser.next_event() {
            let (event, marker_span) = next.map_err(Error::Scan)?;
            let span = self
                .patched
                .span(marker_span.start.index(), marker_span.end.index());
            match event {
                Event::StreamEnd => break,
                Event::StreamStart
                | Event::Nothing
                | Event::DocumentStart(_)
                | Event::DocumentEnd => {}
                Event::Scalar(value, style, anchor, tag) => {
                    if self.expects_key() {
                        self.key(value.into_owned(), span);
                        continue;
                    }
                    let v = self.scalar(&value, style, tag.as_deref(), span);
                    if anchor > 0 {
                        self.anchors.insert(anchor, v.clone());
                    }
                    self.attach(v);
                }
                Event::Alias(id) => {
                    let Some(v) = self.anchors.get(&id) else {
                        return Err(self.tree_error(span, "an alias names no anchor"));
                    };
                    if self.expects_key() {
                        let Some(text) = scalar_text(v) else {
                            return Err(self.tree_error(
                                span,
                                "a mapping key must be a string, not a list or map",
                            ));
                        };
                        self.key(text, span);
                        continue;
                    }
                    let (size, depth) = measure(v);
                    if size > self.alias_budget {
                        return Err(self.tree_error(
                            span,
                            &format!(
                                "aliases expand to more than {ALIAS_BUDGET} values; no template needs this"
                            ),
                        ));
                    }
                    if self.stack.len() + depth > MAX_DEPTH {
                        return Err(self.deep(span));
                    }
                    self.alias_budget -= size;
                    let v = respan(v.clone(), span);
                    self.attach(v);
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    if self.expects_key() {
                        return Err(self.tree_error(
                            span,
                            "a mapping key must be a string, not a list or map",
                        ));
                    }
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(self.deep(span));
                    }
                    let is_seq = matches!(event, Event::SequenceStart(..));
                    let (Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)) =
                        event
                    else {
                        continue;
                    };
                    let tag = tag.map(std::borrow::Cow::into_owned);
                    self.stack.push(if is_seq {
                        Frame::Seq {
                            start: span,
                            anchor,
                            tag,
                            items: Vec::new(),
                        }
                    } else {
                        Frame::Map {
                            start: span,
                            anchor,
                            tag,
                            members: Vec::new(),
                            key: None,
                        }
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    let (v, anchor) = close(frame, span);
                    if anchor > 0 {
                        self.anchors.insert(anchor, v.clone());
                    }
                    self.attach(v);
                }
            }
        }
        Ok(self.docs)
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn key(&mut self, text: String, span: Span) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some((text, span));
        }
    }

    /// Adds a finished value to the node being built, or as a document.
    fn attach(&mut self, v: Value<'static>) {
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq { items, .. }) => items.push(v),
            Some(Frame::Map { members, key, .. }) => {
                if let Some((k, key_span)) = key.take() {
                    members.push(Member {
                        key: k.into(),
                        key_span,
                        value: v,
                    });
                }
            }
        }
    }

    fn scalar(
        &self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Value<'static> {
        let content = content_span(self.patched.original, span);
        let plain = style == ScalarStyle::Plain;
        let Some(tag) = tag else {
            return Value {
                kind: if plain {
                    core_schema(value)
                } else {
                    Kind::String(Text::owned(value))
                },
                span: content,
            };
        };
        if tag.is_yaml_core_schema() {
            let kind = match tag.suffix.as_str() {
                "str" => Kind::String(Text::owned(value)),
                "null" => Kind::Null,
                "bool" | "int" | "float" => match core_schema(value) {
                    Kind::String(s) => Kind::String(s),
                    k => k,
                },
                _ => core_schema_or_string(value, plain),
            };
            return Value {
                kind,
                span: content,
            };
        }
        let inner = Value {
            kind: if tag.handle == "!" {
                // The argument of an intrinsic is its text: `!Ref 123` names `123`.
                Kind::String(Text::owned(value))
            } else {
                core_schema_or_string(value, plain)
            },
            span: content,
        };
        intrinsic(tag, inner, span)
    }

    fn tree_error(&self, span: Span, message: &str) -> Error {
        Error::Tree(YamlError {
            span,
            message: message.to_string(),
        })
    }

    fn deep(&self, span: Span) -> Error {
        self.tree_error(
            Span::new(span.start, span.start),
            &format!("nesting deeper than {MAX_DEPTH} levels; no template needs this"),
        )
    }
}

fn core_schema_or_string(value: &str, plain: bool) -> Kind<'static> {
    if plain {
        core_schema(value)
    } else {
        Kind::String(Text::owned(value))
    }
}

/// A finished sequence or mapping, and its anchor id.
fn close(frame: Frame, end: Span) -> (Value<'static>, usize) {
    let (start, anchor, tag, kind, last_end) = match frame {
        Frame::Seq {
            start,
            anchor,
            tag,
            items,
        } => {
            let last = items.last().map(|v| v.span.end);
            (start, anchor, tag, Kind::Array(items), last)
        }
        Frame::Map {
            start,
            anchor,
            tag,
            members,
            ..
        } => {
            let last = members.last().map(|m| m.value.span.end);
            (start, anchor, tag, Kind::Object(members), last)
        }
    };
    // A flow collection ends at its bracket; a block one at its last child.
    let end = if end.end > end.start {
        end.end
    } else {
        last_end.unwrap_or(start.end).max(start.start)
    };
    let span = Span::new(start.start, end.max(start.start));
    let v = Value { kind, span };
    match tag {
        Some(tag) if tag.handle == "!" => (intrinsic(&tag, v, span), anchor),
        _ => (v, anchor),
    }
}

/// `!Name value` in its long form, spanning the tag and the value.
fn intrinsic(tag: &Tag, inner: Value<'static>, span: Span) -> Value<'static> {
    if tag.handle != "!" {
        return inner;
    }
    let name = tag.suffix.as_str();
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    };
    let key_span = Span::new(span.start, (span.start + 1 + name.len()).min(span.end));
    let value = match (name, &inner.kind) {
        ("GetAtt", Kind::String(s)) => {
            let (resource, attribute) = s.split_once('.').unwrap_or((s.as_str(), ""));
            let split = (inner.span.start + resource.len() + 1).min(inner.span.end);
            Value {
                kind: Kind::Array(vec![
                    Value {
                        kind: Kind::String(Text::owned(resource)),
                        span: Span::new(
                            inner.span.start,
                            split.saturating_sub(1).max(inner.span.start),
                        ),
                    },
                    Value {
                        kind: Kind::String(Text::owned(attribute)),
                        span: Span::new(split, inner.span.end),
                    },
                ]),
                span: inner.span,
            }
        }
        _ => inner,
    };
    Value {
        kind: Kind::Object(vec![Member {
            key: key.into(),
            key_span,
            value,
        }]),
        span,
    }
}

/// The part of a scalar's span that holds its text: after any tag and anchor, and for a
/// block scalar after its `|` / `>` header; trailing white space trimmed.
pub fn content_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let end = span.end.min(bytes.len());
    let mut i = span.start.min(end);
    loop {
        match bytes.get(i) {
            Some(b'!' | b'&') if i < end => {
                while i < end && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                while i < end && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            Some(b'#') if i < end && i > span.start => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
                while i < end && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    if matches!(bytes.get(i), Some(b'|' | b'>')) && i < end {
        while i < end && bytes[i] != b'\n' {
            i += 1;
        }
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
    }
    let mut e = end;
    while e > i && bytes[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    // The walk stops on ASCII bytes only, so both ends are char boundaries.
    Span::new(i, e)
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn core_schema(s: &str) -> Kind<'static> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return Kind::Number(Text::owned(s)),
        _ => {}
    }
    if is_int(s) || is_float(s) {
        Kind::Number(Text::owned(s))
    } else {
        Kind::String(Text::owned(s))
    }
}

fn is_int(s: &str) -> bool {
    let digits = |t: &str, ok: fn(&u8) -> bool| !t.is_empty() && t.as_bytes().iter().all(ok);
    if let Some(h) = s.strip_prefix("0x") {
        return digits(h, u8::is_ascii_hexdigit);
    }
    if let Some(o) = s.strip_prefix("0o") {
        return digits(o, |b| (b'0'..=b'7').contains(b));
    }
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    digits(t, u8::is_ascii_digit)
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if t.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(t.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == t.len()
}

/// The text of a scalar used as a mapping key through an alias.
fn scalar_text(v: &Value) -> Option<String> {
    match &v.kind {
        Kind::String(s) | Kind::Number(s) => Some(s.to_string()),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Null => Some(String::new()),
        _ => None,
    }
}

/// The number of values in a tree and its depth.
fn measure(v: &Value) -> (usize, usize) {
    match &v.kind {
        Kind::Array(items) => items.iter().fold((1, 1), |(n, d), i| {
            let (a, b) = measure(i);
            (n + a, d.max(b + 1))
        }),
        Kind::Object(members) => members.iter().fold((1, 1), |(n, d), m| {
            let (a, b) = measure(&m.value);
            (n + a, d.max(b + 1))
        }),
        _ => (1, 0),
    }
}

/// An alias's copy keeps the anchored value's inner spans (they show what it says) but spans
/// the alias itself as a whole.
fn respan(mut v: Value<'static>, span: Span) -> Value<'static> {
    v.span = span;
    v
}

#[cfg(test)]
mod tests;
