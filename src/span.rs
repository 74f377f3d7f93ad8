//! Byte spans into a source text, and the line/column arithmetic done only at the edges.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// A 1-based line and column; columns count Unicode scalar values, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // memchr compares many bytes at a time (a byte loop was 4% of a run); counting first
        // sizes the list once instead of growing it line by line.
        let newlines = || memchr::memchr_iter(b'\n', text.as_bytes());
        let mut starts = Vec::with_capacity(newlines().count() + 1);
        starts.push(0);
        starts.extend(newlines().map(|i| i + 1));
        Self { starts }
    }

    /// An index from line starts found elsewhere (a parser that skipped every line feed);
    /// `starts` begins with 0 and ascends.
    pub fn from_starts(starts: Vec<usize>) -> Self {
        Self { starts }
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.starts
    }

    /// The 0-based line that `offset` falls on (the last line for offsets past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let column = text[self.starts[line]..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The position of `offset`, given `known`, the position of the earlier offset `from`:
    /// a finding's end is nearly always on its start's line, and counting on from the start
    /// saves searching the line table (and counting the line's characters) a second time.
    pub fn position_after(
        &self,
        text: &str,
        from: usize,
        known: Position,
        offset: usize,
    ) -> Position {
        let from = floor_char_boundary(text, from.min(text.len()));
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let next_line = self.starts.get(known.line).copied().unwrap_or(usize::MAX);
        if from <= offset && offset < next_line {
            return Position {
                line: known.line,
                column: known.column + text[from..offset].chars().count(),
            };
        }
        self.position(text, offset)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_handle_crlf() {
        let text = "{\r\n  \"é\": \"x\"\r\n}";
        let index = LineIndex::new(text);
        let x = text.find("\"x\"").expect("present");
        assert_eq!(index.position(text, x), Position { line: 2, column: 8 });
        assert_eq!(
            index.position(text, text.len() - 1),
            Position { line: 3, column: 1 }
        );
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
    }

    #[test]
    fn a_position_after_another_is_the_position() {
        let text = "{\r\n  \"é\": \"x\"\r\n}\nü\n\nlast";
        let index = LineIndex::new(text);
        for from in 0..=text.len() + 2 {
            let known = index.position(text, from);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.position_after(text, from, known, offset),
                    index.position(text, offset),
                    "{from} {offset}"
                );
            }
        }
    }
}
