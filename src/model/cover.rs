//! Does one policy pattern cover another: is every value the inner pattern can stand for also
//! matched by the outer one? The offline checks compare grants this way (`no-new-access`: an
//! old grant on `arn:aws:s3:::ml-*` covers a new one on `arn:aws:s3:::ml-data/*`).
//!
//! Plain glob matching of the inner pattern's text is not enough: `?` would "match" the
//! inner `*`, which stands for any run. Here an inner `*` is absorbed only by an outer `*`, an
//! inner `?` by an outer `?` or `*`. A `${...}` reference is an unknown value: the same
//! reference on both sides is the same value (one request, one `${aws:userid}`), and otherwise
//! only an outer `*` covers it. The answer is sound (never "covers" when it does not) and
//! misses only contrived cases such as unions of several outer patterns.

use super::variables;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Lit(char),
    One,
    Many,
    /// A whole `${...}` reference, braces included.
    Var(&'a str),
}

/// Patterns longer than this (in tokens, multiplied) are not compared: the answer is "does not
/// cover", the safe side for every caller, and no hostile value can make the search slow.
const MAX_STATES: usize = 1 << 20;

fn tokens(s: &str) -> Vec<Token<'_>> {
    let refs = variables::find(s);
    let mut out = Vec::with_capacity(s.len());
    let mut at = 0;
    for r in &refs {
        push_chars(&s[at..r.range.start], &mut out);
        out.push(Token::Var(&s[r.range.clone()]));
        at = r.range.end;
    }
    push_chars(&s[at..], &mut out);
    normalise_wildcards(&mut out);
    out
}

fn push_chars<'a>(s: &'a str, out: &mut Vec<Token<'a>>) {
    out.extend(s.chars().map(|c| match c {
        '*' => Token::Many,
        '?' => Token::One,
        c => Token::Lit(c),
    }));
}

/// Within a run of wildcards, `*?` and `?*` mean the same: write every run as its `?`s
/// followed by at most one `*`, so equal languages compare equal.
fn normalise_wildcards(tokens: &mut Vec<Token<'_>>) {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if !matches!(tokens[i], Token::One | Token::Many) {
            out.push(tokens[i]);
            i += 1;
            continue;
        }
        let (mut ones, mut many) = (0, false);
        while i < tokens.len() && matches!(tokens[i], Token::One | Token::Many) {
            if tokens[i] == Token::One {
                ones += 1;
            } else {
                many = true;
            }
            i += 1;
        }
        out.extend(std::iter::repeat_n(Token::One, ones));
        if many {
            out.push(Token::Many);
        }
    }
    *tokens = out;
}

/// Does `outer` match everything `inner` can match? `ignore_case` for action names.
pub fn covers(outer: &str, inner: &str, ignore_case: bool) -> bool {
    if outer == inner || super::arn::is_all_stars(outer) {
        return true;
    }
    let o = tokens(outer);
    let n = tokens(inner);
    let width = n.len() + 1;
    if (o.len() + 1).saturating_mul(width) > MAX_STATES {
        return false;
    }
    let lit_eq = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    let mut seen = vec![false; (o.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        if i == o.len() && j == n.len() {
            return true;
        }
        let Some(&x) = o.get(i) else { continue };
        let y = n.get(j).copied();
        match (x, y) {
            (Token::Many, _) => {
                stack.push((i + 1, j));
                if y.is_some() {
                    stack.push((i, j + 1));
                }
            }
            (Token::One, Some(Token::Lit(_) | Token::One)) => stack.push((i + 1, j + 1)),
            (Token::Lit(a), Some(Token::Lit(b))) if lit_eq(a, b) => stack.push((i + 1, j + 1)),
            (Token::Var(a), Some(Token::Var(b))) if a.eq_ignore_ascii_case(b) => {
                stack.push((i + 1, j + 1));
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn covers_like_sets_of_values() {
        let yes = [
            ("*", "arn:aws:s3:::anything"),
            ("arn:aws:s3:::ml-*", "arn:aws:s3:::ml-data/*"),
            ("arn:aws:s3:::ml-*", "arn:aws:s3:::ml-?"),
            ("arn:aws:s3:::ml-?*", "arn:aws:s3:::ml-*?"),
            (
                "arn:aws:s3:::home/${aws:userid}/*",
                "arn:aws:s3:::home/${aws:userid}/x",
            ),
            ("arn:aws:s3:::${Bucket}/*", "arn:aws:s3:::${Bucket}/data/*"),
            ("arn:aws:s3:::*/*", "arn:aws:s3:::${Bucket}/*"),
            ("a?c", "abc"),
        ];
        for (outer, inner) in yes {
            assert!(covers(outer, inner, false), "{outer} covers {inner}");
        }
        let no = [
            ("arn:aws:s3:::ml-data/*", "arn:aws:s3:::ml-*"),
            ("a?", "a*"),
            ("a?*", "a*"),
            ("abc", "a?c"),
            ("arn:aws:s3:::${Bucket}/*", "arn:aws:s3:::other/*"),
            ("arn:aws:s3:::${Bucket}/*", "arn:aws:s3:::${Other}/*"),
            ("arn:aws:s3:::home/x", "arn:aws:s3:::home/${aws:userid}"),
            ("Arn:aws:s3:::b", "arn:aws:s3:::b"),
        ];
        for (outer, inner) in no {
            assert!(
                !covers(outer, inner, false),
                "{outer} does not cover {inner}"
            );
        }
        assert!(covers("S3:Get*", "s3:getobject", true));
        assert!(!covers("S3:Get*", "s3:getobject", false));
    }

    #[test]
    fn hostile_lengths_answer_no_quickly() {
        let outer = "*a".repeat(2000);
        let inner = "a".repeat(2000);
        assert!(!covers(&outer, &inner, false));
    }
}
