//! Small text helpers shared by rules and messages.

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Escapes one JSON-pointer reference token (RFC 6901).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `pointer` + `/` + the escaped `key`, without the formatting machinery: lowering builds
/// one pointer for every element of every policy.
pub fn child_key(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    out.push('/');
    if key.contains(['~', '/']) {
        out.push_str(&pointer_token(key));
    } else {
        out.push_str(key);
    }
    out
}

/// `pointer` + `/` + the index.
pub fn child_index(pointer: &str, index: usize) -> String {
    let mut digits = [0u8; 20];
    let mut n = index;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(pointer.len() + 1 + digits.len() - at);
    out.push_str(pointer);
    out.push('/');
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
    out
}

/// The closest candidate within `max` edits, if any.
pub fn closest<'a>(word: &str, candidates: &[&'a str], max: usize) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= max)
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

/// The multiply-rotate hash rustc uses (FxHash): a few instructions a word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("Efect", "Effect"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(child_key("/Statement", "a/b"), "/Statement/a~1b");
        assert_eq!(child_index("/Statement", 0), "/Statement/0");
        assert_eq!(child_index("", 1207), "/1207");
        assert_eq!(
            closest("Resources", &["Resource", "Action"], 2),
            Some("Resource")
        );
    }
}
