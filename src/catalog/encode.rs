//! The compiled form of each service, written by `build.rs` so that a service is decoded at
//! run time instead of parsed as JSON (`serde_json` took ~80 M instructions for the whole
//! catalog, most of a one-file run's time; decoding takes a few).
//!
//! Each service becomes a run of little-endian `u32`s. A string is two of them, the byte
//! offset and length of its text in `data/aws-iam-catalog.json`, so every name still borrows
//! from the embedded catalog text; a list is its length followed by its items:
//!
//! ```text
//! service  = name resources keys actions
//! resources = n (name arns:[str] keys:[str])*
//! keys     = n (name type)*
//! actions  = n (name level resources:[type required:u32 keys:[str]] keys:[str])*
//! ```
//!
//! Shared with `build.rs` through `#[path]`, so it names no crate items; build.rs brings
//! serde_json (a build-dependency) to read the JSON.

/// Used by build.rs (and the tests).
///
/// A string as it is in the catalog text: no escapes (build.rs checks), so a borrowed `&str`
/// of the parsed JSON points into the text itself.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Writer<'t> {
    text: &'t str,
    pub out: Vec<u8>,
}

#[cfg_attr(not(test), allow(dead_code))]
impl<'t> Writer<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            out: Vec::new(),
        }
    }

    pub fn number(&mut self, n: usize) {
        let n = u32::try_from(n).expect("catalog fits in u32 offsets");
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    /// `s` must borrow from the text given to [`Writer::new`].
    pub fn string(&mut self, s: &str) {
        let base = self.text.as_ptr() as usize;
        let at = (s.as_ptr() as usize)
            .checked_sub(base)
            .filter(|at| at + s.len() <= self.text.len())
            .expect("string borrowed from the catalog text");
        self.number(at);
        self.number(s.len());
    }

    pub fn strings(&mut self, list: &[&str]) {
        self.number(list.len());
        for s in list {
            self.string(s);
        }
    }
}

/// Reads what [`Writer`] wrote.
pub struct Reader<'b> {
    text: &'static str,
    bytes: &'b [u8],
}

impl<'b> Reader<'b> {
    pub fn new(text: &'static str, bytes: &'b [u8]) -> Self {
        Self { text, bytes }
    }

    pub fn number(&mut self) -> usize {
        let (head, rest) = self.bytes.split_at(4);
        self.bytes = rest;
        u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize
    }

    pub fn string(&mut self) -> &'static str {
        let at = self.number();
        let len = self.number();
        &self.text[at..at + len]
    }

    pub fn strings(&mut self) -> Vec<&'static str> {
        let n = self.number();
        (0..n).map(|_| self.string()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}
