//! IAM wildcard matching: `*` matches any run of characters (even across `:` and `/`), `?`
//! matches one character. Linear-time two-pointer matching, so hostile patterns cannot blow up.

// Both wildcards are ASCII, so they are looked for byte by byte (a byte equal to one is never
// part of a longer character); `str::find` with a set of chars decodes every character, and
// these run on every action and resource of every policy.

#[inline]
pub fn has_wildcard(s: &str) -> bool {
    // Sixteen bytes at a time: several rules ask it of every action value, most of which
    // have none, and a byte loop over them was 2.5% of a run. (A block that repeats bytes
    // seen before, or ends in zero bytes, gives the same answer.)
    crate::text::blocks::scan(s.as_bytes(), 0, |_, block, _| {
        (block.eq(b'*') | block.eq(b'?') != 0).then_some(())
    })
    .is_some()
}

/// The text before the first wildcard: what every match of `pattern` must start with.
pub fn literal_head(pattern: &str) -> &str {
    let end = pattern
        .bytes()
        .position(|b| b == b'*' || b == b'?')
        .unwrap_or(pattern.len());
    &pattern[..end]
}

/// Could `pattern` match some text that starts with `prefix`? True when the pattern's literal
/// head and the prefix agree as far as both go.
pub fn may_start_with(pattern: &str, prefix: &str) -> bool {
    let head = literal_head(pattern);
    head.starts_with(prefix) || prefix.starts_with(head)
}

/// Does `pattern` match `text`? Action names are case-insensitive in IAM, so callers pass
/// `ignore_case` for them and not for resource ARNs.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Every action question globs values against names, most of them differing in the
    // literal head (`s3:GetObject` against `s3:PutObject`): compare the head first, a word
    // and then a byte at a time, in one pass, while both sides are ASCII. An ASCII character
    // matches exactly one character, so a difference there settles it whatever follows.
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let Some(mut i) = same_words(p, t, ignore_case) else {
        return false;
    };
    while let Some(&c) = p.get(i) {
        if c == b'*' || c == b'?' {
            break;
        }
        let Some(&d) = t.get(i) else {
            // Each literal character takes one character of text, and the text ran out.
            return false;
        };
        if !c.is_ascii() || !d.is_ascii() {
            return matches_chars(pattern, text, ignore_case);
        }
        if !(c == d || ignore_case && c.eq_ignore_ascii_case(&d)) {
            return false;
        }
        i += 1;
    }
    if i == p.len() {
        return t.len() == p.len();
    }
    if p[i] == b'*' && i + 1 == p.len() {
        return true;
    }
    let (p, t) = (&p[i..], &t[i..]);
    if !p.is_ascii() || !t.is_ascii() {
        return matches_chars(pattern, text, ignore_case);
    }
    if ignore_case {
        match_ascii(p, t, |b| b.to_ascii_lowercase())
    } else {
        match_ascii(p, t, |b| b)
    }
}

/// [`matches`] for ASCII, by the pattern's `*`-separated segments: the first is a prefix of
/// the text, the last a suffix, and each one between is taken where it first occurs (taking
/// it later could only leave less room for the rest). Linear in practice, and it settles
/// `*Feature*` against a name in one scan where stepping back a character at a time compared
/// every position anew.
fn match_ascii(p: &[u8], t: &[u8], fold: impl Fn(u8) -> u8 + Copy) -> bool {
    let seg_eq = |seg: &[u8], text: &[u8]| {
        seg.iter()
            .zip(text)
            .all(|(&s, &c)| s == b'?' || fold(s) == fold(c))
    };
    let mut segs = p.split(|&b| b == b'*');
    let first = segs.next().unwrap_or_default();
    let Some(last) = segs.next_back() else {
        // No `*`: one segment, the whole text.
        return first.len() == t.len() && seg_eq(first, t);
    };
    if first.len() + last.len() > t.len()
        || !seg_eq(first, t)
        || !seg_eq(last, &t[t.len() - last.len()..])
    {
        return false;
    }
    let (mut at, end) = (first.len(), t.len() - last.len());
    for seg in segs.filter(|s| !s.is_empty()) {
        let Some(found) = find(seg, &t[at..end], seg_eq, fold) else {
            return false;
        };
        at += found + seg.len();
    }
    true
}

/// Where `seg` (with `?` for any byte) first occurs in `text`.
fn find(
    seg: &[u8],
    text: &[u8],
    seg_eq: impl Fn(&[u8], &[u8]) -> bool,
    fold: impl Fn(u8) -> u8,
) -> Option<usize> {
    let lead = seg[0];
    (0..=text.len().checked_sub(seg.len())?).find(|&i| {
        (lead == b'?' || fold(lead) == fold(text[i])) && seg_eq(seg, &text[i..i + seg.len()])
    })
}

/// How far the pattern's head and the text agree, eight bytes at a time while both are
/// ASCII and the pattern has no wildcard; `None` when they differ there, which settles it.
fn same_words(p: &[u8], t: &[u8], ignore_case: bool) -> Option<usize> {
    use crate::text::{HIGH, has_byte, lower_ascii_word, word_at};
    let mut i = 0;
    while i + 8 <= p.len() && i + 8 <= t.len() {
        let (pw, tw) = (word_at(p, i), word_at(t, i));
        if (pw | tw) & HIGH != 0 || has_byte(pw, b'*') || has_byte(pw, b'?') {
            break;
        }
        let same = if ignore_case {
            lower_ascii_word(pw) == lower_ascii_word(tw)
        } else {
            pw == tw
        };
        if !same {
            return None;
        }
        i += 8;
    }
    Some(i)
}

/// [`matches`] for text beyond ASCII, character by character.
fn matches_chars(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_units(
        &p,
        &t,
        |a, b| {
            if ignore_case {
                a.to_lowercase().eq(b.to_lowercase())
            } else {
                a == b
            }
        },
        '*',
        '?',
    )
}

fn match_units<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    eq: impl Fn(T, T) -> bool,
    star_unit: T,
    any_unit: T,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == any_unit || (p[pi] != star_unit && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star_unit {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star_unit)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_match_like_iam() {
        assert!(matches("iam:Pass*", "iam:PassRole", true));
        assert!(matches("IAM:passrole", "iam:PassRole", true));
        assert!(!matches("IAM:passrole", "iam:PassRole", false));
        assert!(matches("*", "", false));
        assert!(matches("s3:Get?bject", "s3:GetObject", true));
        assert!(!matches("s3:Get?bject", "s3:Getbject", true));
        assert!(matches(
            "*:*Notebook*",
            "sagemaker:StopNotebookInstance",
            true
        ));
        assert!(!matches(
            "sagemaker:Stop*",
            "sagemaker:StartNotebookInstance",
            true
        ));
        assert!(matches("a*b*c", "aXXbYYbc", false));
        assert!(matches("ü?x", "üéx", false));
        assert!(matches("Ü*", "ü", true));
        assert!(!matches("a*b*c", "aXXbYYb", false));
        assert!(matches("s3:get*", "S3:GetObject", true));
        assert!(!matches("s3:get*", "S3:GetObject", false));
        assert!(matches("s3:Get*", "s3:Get", true));
        assert!(!matches("s3:Get*", "s3:Ge", true));
        assert!(!matches("s3:GetObject", "s3:GetObjects", true));
        assert!(matches("", "", true));
        assert!(!matches("", "a", true));
    }

    /// At every place in and across the blocks it is read in, and not fooled by the bytes
    /// one bit away (`+`, `>`, `)`) or by text beyond ASCII.
    #[test]
    fn wildcards_are_found_wherever_they_are() {
        use super::has_wildcard;
        for len in 0..=40 {
            let plain: String = "ab+>)é".chars().cycle().take(len).collect();
            assert!(!has_wildcard(&plain), "{plain:?}");
            for at in 0..=plain.chars().count() {
                for wildcard in ['*', '?'] {
                    let mut s: String = plain.chars().take(at).collect();
                    s.push(wildcard);
                    s.extend(plain.chars().skip(at));
                    assert!(has_wildcard(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn prefixes_of_patterns() {
        use super::{literal_head, may_start_with};
        assert_eq!(literal_head("role/ml-*"), "role/ml-");
        assert!(may_start_with("*", "notebook-instance/"));
        assert!(may_start_with("notebook-instance/*", "notebook-instance/"));
        assert!(may_start_with("note*", "notebook-instance/"));
        assert!(!may_start_with("endpoint/churn-*", "notebook-instance/"));
    }

    /// The byte fast paths must answer as the character-by-character matcher does, even for
    /// the Kelvin sign, whose lowercase is the ASCII `k`.
    #[test]
    fn fast_paths_agree_with_matching_characters() {
        let alphabet = ["a", "K", "k", "\u{212A}", "é", "É", ":", "*", "?"];
        let mut words = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        words.sort();
        words.dedup();
        let texts: Vec<&String> = words.iter().filter(|w| !w.contains(['*', '?'])).collect();
        for pattern in &words {
            for text in &texts {
                for ignore_case in [false, true] {
                    assert_eq!(
                        matches(pattern, text, ignore_case),
                        super::matches_chars(pattern, text, ignore_case),
                        "{pattern:?} {text:?} ignore_case={ignore_case}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Longer patterns than the exhaustive test above reaches: several `*` segments, each
        /// with `?`, against texts where a segment occurs more than once; long enough for the
        /// word-at-a-time head, with characters beyond ASCII to make it step aside.
        #[test]
        fn segments_agree_with_matching_characters(
            p in "[abkAB:*?é\u{212A}]{0,12}",
            t in "[abkAKB:é\u{212A}]{0,16}",
            ignore_case: bool,
        ) {
            proptest::prop_assert_eq!(
                matches(&p, &t, ignore_case),
                super::matches_chars(&p, &t, ignore_case),
                "{:?} {:?}", p, t
            );
        }
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let pattern = "*a".repeat(200) + "b";
        let text = "a".repeat(5000);
        assert!(!matches(&pattern, &text, false));
    }
}
