//! The text of a JSON string, key or number: borrowed from the source when it is written
//! without escapes, as nearly every one is, and owned when it had to be decoded (or was built
//! by a front end). Borrowing saves copying every ARN and action name of a policy into an
//! allocation of its own, and freeing it again.

use compact_str::CompactString;
use std::fmt;
use std::ops::Deref;

#[derive(Clone)]
pub enum Text<'s> {
    Borrowed(&'s str),
    Owned(CompactString),
}

impl Text<'static> {
    /// A copy of `s`, for text a front end builds rather than borrows.
    pub fn owned(s: &str) -> Self {
        Self::Owned(s.into())
    }
}

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        self
    }

    /// The same text, no longer tied to the source.
    pub fn into_owned(self) -> Text<'static> {
        match self {
            Self::Borrowed(s) => Text::Owned(s.into()),
            Self::Owned(s) => Text::Owned(s),
        }
    }
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Owned(s) => s,
        }
    }
}

impl Default for Text<'_> {
    fn default() -> Self {
        Self::Borrowed("")
    }
}

impl<'s> From<&'s str> for Text<'s> {
    fn from(s: &'s str) -> Self {
        Self::Borrowed(s)
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Self::Owned(s.into())
    }
}

impl From<CompactString> for Text<'_> {
    fn from(s: CompactString) -> Self {
        Self::Owned(s)
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Text<'_> {}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
