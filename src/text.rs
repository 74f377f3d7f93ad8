//! Small text helpers shared by rules and messages.

pub(crate) mod blocks;

use compact_str::CompactString;

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_by(a, b, false, usize::MAX)
}

/// The Levenshtein distance when it is at most `max`, else `None`. Suggestions compare one
/// name with hundreds of candidates and keep only close ones: a candidate is dropped as soon
/// as a whole row of the table is beyond `max`, which for most candidates is a few letters in.
pub fn edit_distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    bounded_edit_distance(a, b, false, max)
}

/// [`edit_distance_at_most`], comparing letters without regard to ASCII case, as if both
/// sides went through `to_ascii_lowercase` (without allocating the lowered copies).
pub fn edit_distance_ignore_ascii_case_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    bounded_edit_distance(a, b, true, max)
}

fn bounded_edit_distance(a: &str, b: &str, ignore_case: bool, max: usize) -> Option<usize> {
    // The distance is at least the difference in length (in characters, which for ASCII
    // are bytes): most candidates stop here.
    if a.len().abs_diff(b.len()) > max && a.is_ascii() && b.is_ascii() {
        return None;
    }
    Some(edit_distance_by(a, b, ignore_case, max)).filter(|&d| d <= max)
}

/// The distance, or some value above `limit` once it is certain to exceed it.
fn edit_distance_by(a: &str, b: &str, ignore_case: bool, limit: usize) -> usize {
    // ASCII names (all of the catalog's) are compared as bytes, without collecting
    // characters.
    if a.is_ascii() && b.is_ascii() {
        return levenshtein(a.as_bytes(), b.as_bytes(), limit, |x, y| {
            x == y || (ignore_case && x.eq_ignore_ascii_case(&y))
        });
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein(&a, &b, limit, |x, y| {
        x == y || (ignore_case && x.eq_ignore_ascii_case(&y))
    })
}

/// The classic dynamic programme over one row, kept on the stack for short words. A row's
/// smallest value never decreases from one row to the next, so once every cell of a row is
/// beyond `limit` the distance is too.
fn levenshtein<T: Copy>(a: &[T], b: &[T], limit: usize, eq: impl Fn(T, T) -> bool) -> usize {
    const ON_STACK: usize = 64;
    let mut stack = [0usize; ON_STACK + 1];
    let mut heap = Vec::new();
    let row: &mut [usize] = if b.len() <= ON_STACK {
        &mut stack[..=b.len()]
    } else {
        heap.resize(b.len() + 1, 0);
        &mut heap
    };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        // `diagonal` is the previous row's value at j, `row[j + 1]` still holds the previous
        // row's value at j + 1 until it is overwritten.
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut lowest = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            let substitute = diagonal + usize::from(!eq(ca, cb));
            let cell = substitute.min(above + 1).min(row[j] + 1);
            row[j + 1] = cell;
            lowest = lowest.min(cell);
            diagonal = above;
        }
        if lowest > limit {
            return lowest;
        }
    }
    row[b.len()]
}

/// Escapes one JSON-pointer reference token (RFC 6901).
pub fn pointer_token(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    push_pointer_token(&mut out, key);
    out
}

/// Appends `key` escaped as a JSON-pointer reference token, in one pass: `~` as `~0`, `/` as
/// `~1`.
pub fn push_pointer_token(out: &mut String, key: &str) {
    let mut start = 0;
    while let Some(i) = pointer_escape(key, start) {
        out.push_str(&key[start..i]);
        out.push_str(if key.as_bytes()[i] == b'~' {
            "~0"
        } else {
            "~1"
        });
        start = i + 1;
    }
    out.push_str(&key[start..]);
}

/// The first `~` or `/` of `key` at or after `from`, sixteen bytes at a time: every key of
/// every policy becomes a pointer token, and nearly none holds either.
fn pointer_escape(key: &str, from: usize) -> Option<usize> {
    blocks::first(key.as_bytes(), from, |block| {
        block.eq(b'~') | block.eq(b'/')
    })
}

/// `pointer` + `/` + the escaped `key`, without the formatting machinery: lowering builds
/// one pointer for every element of every policy.
pub fn child_key(pointer: &str, key: &str) -> CompactString {
    if pointer_escape(key, 0).is_none() {
        return joined(pointer, key);
    }
    let mut out = String::with_capacity(pointer.len() + key.len() + 4);
    out.push_str(pointer);
    out.push('/');
    push_pointer_token(&mut out, key);
    CompactString::from(out)
}

/// `pointer` + `/` + the index.
pub fn child_index(pointer: &str, index: usize) -> CompactString {
    joined(pointer, decimal(index, &mut [0; 20]))
}

/// Appends `n` in decimal, without the formatting machinery: findings count things in
/// their messages by the thousand.
pub fn push_decimal(out: &mut String, n: usize) {
    out.push_str(decimal(n, &mut [0; 20]));
}

/// [`push_decimal`] for a byte buffer.
pub fn push_decimal_bytes(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0; 20];
    let at = write_decimal(n, &mut digits);
    out.extend_from_slice(&digits[at..]);
}

/// `n` in decimal, written into the end of `digits`.
fn decimal(n: usize, digits: &mut [u8; 20]) -> &str {
    let at = write_decimal(n, digits);
    std::str::from_utf8(&digits[at..]).unwrap_or_default()
}

/// Writes the ASCII digits of `n` into the end of `digits`, and says where they start.
/// Bytes, for callers that write bytes and need not have them checked as UTF-8.
fn write_decimal(mut n: usize, digits: &mut [u8; 20]) -> usize {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at
}

/// `pointer` + `/` + `token`, assembled on the stack when it fits inline: most pointers do,
/// and a `CompactString` built in one step costs far less than one grown piece by piece.
fn joined(pointer: &str, token: &str) -> CompactString {
    const INLINE: usize = std::mem::size_of::<CompactString>();
    let len = pointer.len() + 1 + token.len();
    if len > INLINE {
        let mut out = String::with_capacity(len);
        out.push_str(pointer);
        out.push('/');
        out.push_str(token);
        return CompactString::from(out);
    }
    let mut buf = [0u8; INLINE];
    buf[..pointer.len()].copy_from_slice(pointer.as_bytes());
    buf[pointer.len()] = b'/';
    buf[pointer.len() + 1..len].copy_from_slice(token.as_bytes());
    // Checking the bytes again was 0.7% of a run's instructions: lowering makes some 50,000
    // pointers a run.
    // SAFETY: two `str`s joined by an ASCII `/` are UTF-8.
    CompactString::from(unsafe { std::str::from_utf8_unchecked(&buf[..len]) })
}

/// Where `needle` first occurs in `hay`, as [`str::find`] says. Template syntax (`${`, `[[`,
/// `<`) is looked for in every value of every policy, most of them shorter than std's vector
/// search takes: its general searcher's setup cost more than the search. A byte search
/// finds one- and two-byte needles without it.
pub fn find_text(hay: &str, needle: &str) -> Option<usize> {
    let bytes = hay.as_bytes();
    match *needle.as_bytes() {
        [b] => memchr::memchr(b, bytes),
        [first, second] => {
            memchr::memchr_iter(first, bytes).find(|&i| bytes.get(i + 1) == Some(&second))
        }
        _ => hay.find(needle),
    }
}

/// Does `s` hold `${`, the start of every policy variable and template reference?
pub fn has_reference(s: &str) -> bool {
    find_text(s, "${").is_some()
}

/// The closest candidate within `max` edits, if any.
pub fn closest<'a>(word: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
    candidates
        .iter()
        .filter_map(|c| Some((edit_distance_at_most(word, c, max)?, *c)))
        .min()
        .map(|(_, c)| c)
}

/// FNV-1a, 64 bits: a fixed, dependency-free hash for fingerprints that must never change
/// between versions or platforms (std's hasher makes no such promise).
pub fn fnv1a64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A HashMap with a fast non-cryptographic hash, for per-thread caches keyed by short
/// policy strings. Keys come from the files being linted, but the caches are bounded and
/// private to one run, so flooding them costs only that run's time.
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// `s` split at its first `:`, as `s.split_once(':')` splits it. Every action value is split
/// this way by several rules; a byte loop over the few bytes of a service prefix costs far
/// less than the searcher `split_once` sets up.
pub fn split_colon(s: &str) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == b':')?;
    Some((&s[..i], &s[i + 1..]))
}

/// A per-thread memo from strings to answers, for questions asked again for every policy
/// (what an action pattern resolves to, what an action accepts as `Resource`).
/// Keys are `CompactString`s: most names a memo is asked about (`s3:GetObject`) fit in its
/// 24 bytes, so a look-up compares the key where the table holds it, without following a
/// pointer to the heap (a cache miss per look-up on a table of thousands), and an insert
/// allocates nothing.
pub type Memo<V> = std::cell::RefCell<FastMap<CompactString, V>>;

/// The answer for `key` in `memo`, computed by `make` the first time. Bounded, so a huge tree
/// of distinct names cannot grow it without limit.
pub fn memoized<V: Clone>(
    memo: &'static std::thread::LocalKey<Memo<V>>,
    key: &str,
    make: impl FnOnce() -> V,
) -> V {
    memo.with(|cache| {
        if let Some(v) = cache.borrow().get(key) {
            return v.clone();
        }
        let v = make();
        let mut cache = cache.borrow_mut();
        if cache.len() > 50_000 {
            cache.clear();
        }
        cache.insert(CompactString::from(key), v.clone());
        v
    })
}

/// Yes-or-no answers about strings, each under the address of the catalog entry it is about,
/// for questions asked again for the same values in policy after policy. Entries are found
/// by a hash of the string, so a look-up copies nothing, and keep the string, so a hash
/// collision reads as unknown (and the new answer replaces the entry). Bounded, tighter than
/// [`memoized`]'s memos since each entry keeps a whole Resource value: a run of the managed
/// policies keeps a few thousand a thread.
#[derive(Default)]
pub struct StrAnswers(FastMap<(usize, u64), (CompactString, bool)>);

impl StrAnswers {
    pub fn get(&self, entry: usize, text: &str) -> Option<bool> {
        match self.0.get(&(entry, hash_str(text))) {
            Some((seen, answer)) if seen == text => Some(*answer),
            _ => None,
        }
    }

    pub fn insert(&mut self, entry: usize, text: &str, answer: bool) {
        if self.0.len() >= 16_384 {
            self.0.clear();
        }
        self.0
            .insert((entry, hash_str(text)), (CompactString::from(text), answer));
    }
}

/// The answer kept in `answers` for `text` under `entry`, worked out by `decide` the first
/// time (as [`memoized`] does for its memos).
pub fn answered(
    answers: &'static std::thread::LocalKey<std::cell::RefCell<StrAnswers>>,
    entry: usize,
    text: &str,
    decide: impl FnOnce() -> bool,
) -> bool {
    if let Some(known) = answers.with(|kept| kept.borrow().get(entry, text)) {
        return known;
    }
    let answer = decide();
    answers.with(|kept| kept.borrow_mut().insert(entry, text, answer));
    answer
}

/// The multiply-rotate hash rustc uses (FxHash): a few instructions a word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        any_word(bytes, |_, word| {
            self.add(word);
            false
        });
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// FxHash of `s`, a word at a time, and its length: for a memo that keys by a hash rather
/// than a copy of the text.
pub fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    std::hash::Hasher::write(&mut h, s.as_bytes());
    h.add(s.len() as u64);
    h.hash
}

/// A hash equal for strings that are equal ignoring ASCII case: FxHash of the text as
/// `to_ascii_lowercase` would give it, lowered eight bytes at a time without a copy.
pub fn hash_ignoring_ascii_case(s: &str) -> u64 {
    let mut h = FxHasher::default();
    any_word(s.as_bytes(), |_, word| {
        h.add(lower_ascii_word(word));
        false
    });
    h.add(s.len() as u64);
    h.hash
}

/// Does `f` say yes to one of the words that cover `bytes`, in order? It is given each
/// word's offset and the word: the whole words, then for a length that is not a multiple of
/// eight the last eight bytes, overlapping the word before (below eight bytes, one word
/// padded with zero bytes). Fewer tests a word than [`le_words`], for questions that reading
/// a byte twice does not change, and for hashes (a function of the bytes all the same).
#[inline]
pub(crate) fn any_word(bytes: &[u8], mut f: impl FnMut(usize, u64) -> bool) -> bool {
    let len = bytes.len();
    if len < 8 {
        return len > 0 && f(0, short_word(bytes));
    }
    (0..len / 8).any(|i| f(i * 8, word_at(bytes, i * 8)))
        || (!len.is_multiple_of(8) && f(len - 8, word_at(bytes, len - 8)))
}

/// `bytes` eight at a time, little-endian (the first byte lowest), the last word padded with
/// zero bytes: what the word-at-a-time helpers below work on.
pub(crate) fn le_words(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let len = bytes.len();
    (0..len.div_ceil(8)).map(move |i| {
        let at = i * 8;
        if at + 8 <= len {
            word_at(bytes, at)
        } else if len >= 8 {
            // The short last word: load the last eight bytes and shift the tail down, rather
            // than copy a variable length (a call to memcpy on every comparison of names).
            word_at(bytes, len - 8) >> (8 * (at + 8 - len))
        } else {
            short_word(bytes)
        }
    })
}

/// Fewer than eight bytes as one word, padded with zero bytes.
fn short_word(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .enumerate()
        .fold(0, |w, (k, &b)| w | u64::from(b) << (8 * k))
}

/// A one in every byte of a word.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word: set where a byte is not ASCII.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at`, little-endian.
pub(crate) fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// Is some byte of `w` equal to `b`? (Exact as a yes or no; which byte it was, the
/// borrows above a match can blur.)
pub(crate) fn has_byte(w: u64, b: u8) -> bool {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGH != 0
}

/// `to_ascii_lowercase` on each byte of `w`: sets bit 5 of the bytes in `A..=Z` only.
pub(crate) fn lower_ascii_word(w: u64) -> u64 {
    w | (ascii_capitals(w) >> 2)
}

/// The high bit of each byte of `w` that is in `A..=Z`, the other bits clear.
pub(crate) fn ascii_capitals(w: u64) -> u64 {
    ascii_bytes_in(w, b'A', b'Z')
}

/// The high bit of each byte of `w` that is in `lo..=hi`, the other bits clear; `hi` must be
/// ASCII (below 0x80), and bytes from 0x80 are never in.
pub(crate) fn ascii_bytes_in(w: u64, lo: u8, hi: u8) -> u64 {
    debug_assert!(lo <= hi && hi < 0x80);
    let low7 = w & !HIGH;
    // Per byte, the high bit says: at least `lo`, and above `hi` (sums of 7-bit values and
    // at most 0x80 never carry into the next byte).
    let from_lo = low7 + ONES * u64::from(0x80 - lo);
    let past_hi = low7 + ONES * u64::from(0x80 - hi - 1);
    from_lo & !past_hi & !w & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_text_finds_what_str_find_finds() {
        let hays = [
            "",
            "$",
            "${",
            "$$${x}",
            "a$b${c}",
            "[[x]]",
            "[x]]",
            "[[",
            "<a>",
            "é${",
            "x$",
            "{}",
            "arn:aws:s3:::b/${aws:userid}/*",
        ];
        for hay in hays {
            for needle in ["${", "[[", "]]", "<", ">", "{", "}", "$", "abc", "${aws"] {
                assert_eq!(
                    find_text(hay, needle),
                    hay.find(needle),
                    "{hay:?} {needle:?}"
                );
            }
            assert_eq!(has_reference(hay), hay.contains("${"), "{hay:?}");
        }
    }

    #[test]
    fn split_colon_splits_like_split_once() {
        for s in [
            "",
            ":",
            "s3",
            "s3:",
            ":Get",
            "s3:GetObject",
            "a:b:c",
            "é:ü",
            "*:*",
        ] {
            assert_eq!(split_colon(s), s.split_once(':'), "{s:?}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("Efect", "Effect"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("flaw", "lawn"), 2);
        assert_eq!(edit_distance("héllo", "hello"), 1);
        assert_eq!(edit_distance(&"a".repeat(100), &"b".repeat(70)), 100);
        assert_eq!(
            edit_distance_ignore_ascii_case_at_most("CreatTrainingJob", "createtrainingjob", 1),
            Some(1)
        );
        assert_eq!(
            edit_distance_ignore_ascii_case_at_most("CreatTrainingJob", "createtrainingjob", 0),
            None
        );
        assert_eq!(edit_distance("Ab", "ab"), 1);
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        // `~` and `/` in every place of keys across two blocks, as `str::replace` escapes.
        for len in 0..40 {
            for at in 0..len {
                for c in ['~', '/', 'x'] {
                    let key: String = (0..len)
                        .map(|i| if i == at || i == len - 1 { c } else { 'k' })
                        .collect();
                    let expected = key.replace('~', "~0").replace('/', "~1");
                    assert_eq!(pointer_token(&key), expected, "{key:?}");
                    assert_eq!(child_key("/p", &key), format!("/p/{expected}"));
                }
            }
        }
        assert_eq!(child_key("/Statement", "a/b"), "/Statement/a~1b");
        assert_eq!(child_index("/Statement", 0), "/Statement/0");
        assert_eq!(child_index("", 1207), "/1207");
        // Longer than a CompactString holds inline.
        assert_eq!(
            child_index("/Statement/0/Condition/StringEquals", 3),
            "/Statement/0/Condition/StringEquals/3"
        );
        assert_eq!(
            child_key("/Resources/Role/Properties", "Policies"),
            "/Resources/Role/Properties/Policies"
        );
        assert_eq!(
            child_key("/Statement/0/Condition", "~/"),
            "/Statement/0/Condition/~0~1"
        );
        assert_eq!(
            closest("Resources", &["Resource", "Action"], 2),
            Some("Resource")
        );
    }

    #[test]
    fn ascii_bytes_in_marks_every_byte_of_the_range_in_every_position() {
        for (lo, hi) in [
            (0, 0x1f),
            (b'"', b'"'),
            (b'A', b'Z'),
            (0x7f, 0x7f),
            (0, 0x7f),
        ] {
            for b in 0..=255u8 {
                for at in 0..8 {
                    for fill in [0, b'a', 0x7f, 0x80, 0xff] {
                        let mut word = [fill; 8];
                        word[at] = b;
                        let marks = ascii_bytes_in(u64::from_le_bytes(word), lo, hi).to_le_bytes();
                        for (k, mark) in marks.iter().enumerate() {
                            let byte = word[k];
                            let want = if (lo..=hi).contains(&byte) { 0x80 } else { 0 };
                            assert_eq!(*mark, want, "{byte:#x} in {lo:#x}..={hi:#x}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn words_are_the_bytes_eight_at_a_time_zero_padded() {
        let text: Vec<u8> = (1..=40).collect();
        for len in 0..=text.len() {
            let bytes = &text[..len];
            let expected: Vec<u64> = bytes
                .chunks(8)
                .map(|c| {
                    let mut w = [0u8; 8];
                    w[..c.len()].copy_from_slice(c);
                    u64::from_le_bytes(w)
                })
                .collect();
            assert_eq!(le_words(bytes).collect::<Vec<_>>(), expected, "{len}");
        }
    }

    /// Every byte is in some word, at its place; words past the first whole ones are the
    /// last eight bytes; and a yes stops the visit.
    #[test]
    fn words_cover_the_bytes_and_stop_at_a_yes() {
        let text: Vec<u8> = (1..=40).collect();
        for len in 0..=text.len() {
            let bytes = &text[..len];
            let mut seen = vec![false; len];
            let mut offsets = Vec::new();
            any_word(bytes, |at, word| {
                for (k, b) in word.to_le_bytes().into_iter().enumerate() {
                    if at + k < len {
                        assert_eq!(b, bytes[at + k], "{len} {at}");
                        seen[at + k] = true;
                    } else {
                        assert_eq!(b, 0, "{len} {at}");
                    }
                }
                offsets.push(at);
                false
            });
            assert!(seen.iter().all(|&s| s), "{len}");
            let whole: Vec<usize> = (0..len / 8).map(|i| i * 8).collect();
            let mut expected = if len < 8 { vec![0] } else { whole };
            if len > 8 && len % 8 != 0 {
                expected.push(len - 8);
            }
            if len == 0 {
                expected.clear();
            }
            assert_eq!(offsets, expected, "{len}");
            let mut asked = 0;
            assert_eq!(
                len > 0,
                any_word(bytes, |_, _| {
                    asked += 1;
                    true
                })
            );
            assert!(asked <= 1);
        }
    }

    #[test]
    fn lowers_words_like_to_ascii_lowercase() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'Q', b'a', 0x80, b'@', b'[', b'Z', 0xff, b'z'];
                bytes[lane] = b;
                let lowered = lower_ascii_word(u64::from_le_bytes(bytes)).to_le_bytes();
                assert_eq!(
                    lowered,
                    bytes.map(|x| x.to_ascii_lowercase()),
                    "{b:#x} at {lane}"
                );
            }
        }
        let h = hash_ignoring_ascii_case;
        assert_eq!(h("s3:GetObject"), h("S3:GETOBJECT"));
        assert_eq!(
            h("sagemaker:CreateTrainingJob"),
            h("SageMaker:createtrainingjob")
        );
        assert_ne!(h("s3:GetObject"), h("s3:GetObjects"));
        assert_ne!(h("é"), h("É"));
    }

    /// The bounded distance is the full one whenever that is within the bound: every pair of
    /// words up to four letters over a three-letter alphabet (and one non-ASCII letter, which
    /// takes the per-character path), every bound up to five.
    #[test]
    fn bounded_distance_agrees_with_the_full_one() {
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.chars().count() == words.last().unwrap().chars().count())
                .flat_map(|w| ['a', 'b', 'é'].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        for a in &words {
            for b in &words {
                let full = edit_distance(a, b);
                for max in 0..=5 {
                    let expected = (full <= max).then_some(full);
                    assert_eq!(
                        edit_distance_at_most(a, b, max),
                        expected,
                        "{a:?} {b:?} {max}"
                    );
                    let upper = b.to_ascii_uppercase();
                    assert_eq!(
                        edit_distance_ignore_ascii_case_at_most(a, &upper, max),
                        expected,
                        "{a:?} {upper:?} {max}"
                    );
                }
            }
        }
    }
}
