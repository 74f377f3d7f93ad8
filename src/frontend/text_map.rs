//! Strings a template computes (`!Sub`, `!Join`, a JSON policy written as a string), with a
//! map from each byte of the string back to the file, so a policy parsed out of such a string
//! reports at the template line that wrote the value.

use crate::parse::json::{Kind, Value};
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Seg {
    /// Byte offset in the string where this piece starts.
    at: usize,
    /// Byte offset in the file of that byte.
    file: usize,
    /// The piece is the file's text byte for byte; otherwise every byte of it maps to `file`
    /// (a substituted value, an unknown reference).
    exact: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub s: String,
    segs: Vec<Seg>,
}

impl Text {
    /// A string value as written in the file at `region` (its quotes and escapes included):
    /// each character is found in order in the region, so escapes, folded lines and block
    /// indentation are skipped over. When a character cannot be found the rest maps to where
    /// the search stopped.
    pub fn aligned(file: &str, region: Span, s: &str) -> Self {
        let end = region.end.min(file.len());
        let mut j = region.start.min(end);
        let mut segs: Vec<Seg> = Vec::new();
        let mut next_expected = usize::MAX;
        for (i, c) in s.char_indices() {
            let found = if file[j..end].starts_with(c) {
                Some(j)
            } else {
                file[j..end].find(c).map(|k| j + k)
            };
            let Some(k) = found else {
                segs.push(Seg {
                    at: i,
                    file: j,
                    exact: false,
                });
                return Self {
                    s: s.to_string(),
                    segs,
                };
            };
            if k != next_expected {
                segs.push(Seg {
                    at: i,
                    file: k,
                    exact: true,
                });
            }
            j = k + c.len_utf8();
            next_expected = j;
        }
        Self {
            s: s.to_string(),
            segs,
        }
    }

    /// A string whose every byte stands for the file position `at`.
    pub fn opaque(s: impl Into<String>, at: usize) -> Self {
        let s = s.into();
        let segs = if s.is_empty() {
            Vec::new()
        } else {
            vec![Seg {
                at: 0,
                file: at,
                exact: false,
            }]
        };
        Self { s, segs }
    }

    pub fn push(&mut self, other: &Text) {
        self.push_range(other, 0, other.s.len());
    }

    /// Appends `other.s[from..to]` with its map.
    pub fn push_range(&mut self, other: &Text, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let base = self.s.len();
        self.s.push_str(&other.s[from..to]);
        let first = other.segs.partition_point(|g| g.at <= from);
        if first > 0 {
            let g = &other.segs[first - 1];
            self.segs.push(Seg {
                at: base,
                file: if g.exact {
                    g.file + (from - g.at)
                } else {
                    g.file
                },
                exact: g.exact,
            });
        }
        for g in other.segs[first..].iter().take_while(|g| g.at < to) {
            self.segs.push(Seg {
                at: base + g.at - from,
                file: g.file,
                exact: g.exact,
            });
        }
    }

    pub fn push_opaque(&mut self, s: &str, at: usize) {
        self.push(&Text::opaque(s, at));
    }

    /// The file offset of byte `offset` of the string.
    pub fn file_offset(&self, offset: usize) -> usize {
        let i = self.segs.partition_point(|g| g.at <= offset);
        if i == 0 {
            return self.segs.first().map_or(0, |g| g.file);
        }
        let g = &self.segs[i - 1];
        if g.exact {
            g.file + (offset - g.at)
        } else {
            g.file
        }
    }

    /// The file span of `span`, a byte range of the string. `file` is the file's text, to land
    /// the end after the last character.
    pub fn file_span(&self, file: &str, span: Span) -> Span {
        let start = self.file_offset(span.start);
        if span.end <= span.start {
            return Span::new(start, start);
        }
        let mut last = span.end - 1;
        while last > span.start && !self.s.is_char_boundary(last) {
            last -= 1;
        }
        let at = self.file_offset(last).min(file.len());
        let len = file[at..].chars().next().map_or(0, char::len_utf8);
        Span::new(start, (at + len).max(start))
    }

    /// Moves every span in a tree parsed from this string into file coordinates.
    pub fn remap(&self, file: &str, v: &mut Value) {
        v.span = self.file_span(file, v.span);
        match &mut v.kind {
            Kind::Array(items) => items.iter_mut().for_each(|i| self.remap(file, i)),
            Kind::Object(members) => {
                for m in members {
                    m.key_span = self.file_span(file, m.key_span);
                    self.remap(file, &mut m.value);
                }
            }
            _ => {}
        }
    }

    /// Is byte `offset` of the string copied from the file as it is written?
    pub fn is_exact(&self, offset: usize) -> bool {
        let i = self.segs.partition_point(|g| g.at <= offset);
        i > 0 && self.segs[i - 1].exact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_through_escapes_and_indentation() {
        let file = "k: \"a\\\"b\"\nv: |\n  {\"x\":\n   1}\n";
        let q = file.find('"').expect("quote");
        let t = Text::aligned(file, Span::new(q, q + 7), "a\"b");
        assert_eq!(&file[t.file_offset(2)..t.file_offset(2) + 1], "b");
        let b = file.find('{').expect("brace");
        let t = Text::aligned(file, Span::new(b, file.len()), "{\"x\":\n 1}\n");
        let one = t.s.find('1').expect("one");
        assert_eq!(&file[t.file_offset(one)..t.file_offset(one) + 1], "1");
    }

    #[test]
    fn pieces_keep_their_origin() {
        let file = "abc XYZ";
        let lit = Text::aligned(file, Span::new(0, 3), "abc");
        let mut t = Text::default();
        t.push_range(&lit, 1, 3);
        t.push_opaque("${Ref}", 4);
        t.push(&lit);
        assert_eq!(t.s, "bc${Ref}abc");
        assert_eq!(t.file_offset(0), 1);
        assert_eq!(t.file_offset(3), 4);
        assert_eq!(t.file_offset(9), 1);
        assert!(!t.is_exact(3));
        assert!(t.is_exact(9));
        assert_eq!(t.file_span(file, Span::new(8, 11)), Span::new(0, 3));
    }
}
