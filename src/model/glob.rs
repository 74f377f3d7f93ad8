//! IAM wildcard matching: `*` matches any run of characters (even across `:` and `/`), `?`
//! matches one character. Linear-time two-pointer matching, so hostile patterns cannot blow up.

// Both wildcards are ASCII, so they are looked for byte by byte (a byte equal to one is never
// part of a longer character); `str::find` with a set of chars decodes every character, and
// these run on every action and resource of every policy.

pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
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
    // literal head (`s3:GetObject` against `s3:PutObject`): compare the head byte by byte
    // first, in one pass, while both sides are ASCII. An ASCII character matches exactly one
    // character, so a difference there settles it whatever follows.
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let mut i = 0;
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
    match_units(
        p,
        t,
        |a, b| {
            if ignore_case {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        },
        b'*',
        b'?',
    )
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

    #[test]
    fn pathological_patterns_stay_fast() {
        let pattern = "*a".repeat(200) + "b";
        let text = "a".repeat(5000);
        assert!(!matches(&pattern, &text, false));
    }
}
