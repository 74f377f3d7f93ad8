//! Template text left in a policy: `<ACCOUNT_ID>`, `{region}`, `[[Bucket]]`, `${AWS::Region}`,
//! `${BucketName}`, `REPLACE_ME`. Shared by `template-placeholder`, which reports it, and
//! `malformed-arn`, which leaves such fields to it.

use crate::model::variables::{self, VarKind};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub range: Range<usize>,
    pub text: String,
    pub kind: &'static str,
    /// For a `${...}` reference, how it was classified.
    pub var: Option<VarKind>,
}

/// The last segment of an ALL_CAPS_WITH_UNDERSCORES token that names a value someone meant to
/// fill in (`ACCOUNT_ID`, `BUCKET_NAME`, `KMS_KEY_ARN`, `AWS_REGION`). Only whole final
/// segments count, so role names like `MACHINE_LEARNING_ROLE` or `DATA_BUCKET_READER` pass.
const FILL_IN_ENDINGS: &[&str] = &[
    "ACCOUNT",
    "REGION",
    "PARTITION",
    "ARN",
    "NAME",
    "ID",
    "NUMBER",
];
const FILL_IN_TOKENS: &[&str] = &[
    "REPLACE_ME",
    "REPLACEME",
    "CHANGE_ME",
    "CHANGEME",
    "FIXME",
    "TODO",
];

pub fn find(s: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let may_hold = may_hold(s.as_bytes());
    if may_hold.delimiter {
        delimited_forms(s, &mut out);
    }
    if may_hold.capital_pair {
        fill_in_tokens(s, &mut out);
    }
    out.sort_by_key(|p| p.range.start);
    out
}

/// What a value holds that template text needs. Every form but the fill-in tokens needs a
/// delimiter (`<`, `{`, `[`), and every fill-in token (`TODO`, `X_ID`, `YOUR_...`) has two
/// capitals in a row. Most values hold neither, and every string of every policy comes
/// here: both are looked for in one pass, sixteen bytes at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct MayHold {
    delimiter: bool,
    capital_pair: bool,
}

fn may_hold(bytes: &[u8]) -> MayHold {
    use crate::text::blocks::{ALL, WIDTH, scan};
    let mut found = MayHold::default();
    // Whether the byte before the block was a capital.
    let mut carried = 0;
    scan(bytes, 0, |_, block, fresh| {
        // `[` is `{` without the 0x20 bit, and no other byte becomes `{` with it set. A
        // block may repeat bytes seen before, or end in zero bytes (neither a delimiter nor a
        // capital): asking about them again changes nothing.
        found.delimiter |= block.eq(b'<') | block.with_bits(0x20).eq(b'{') != 0;
        let capitals = block.in_ascii_range(b'A', b'Z');
        // The flag carried over belongs before a block that follows on from the last one;
        // a last block that overlaps it holds the pair across their border itself.
        let before = if fresh == ALL { carried } else { 0 };
        found.capital_pair |= capitals & ((capitals << 1) | before) != 0;
        carried = capitals >> (WIDTH - 1);
        (found.delimiter && found.capital_pair).then_some(())
    });
    found
}

/// `${...}` references and the bracketed forms.
fn delimited_forms(s: &str, out: &mut Vec<Placeholder>) {
    for v in variables::find(s) {
        let kind = match v.kind {
            VarKind::Policy => continue,
            VarKind::CloudFormation => "a CloudFormation pseudo parameter outside CloudFormation",
            VarKind::Template => "a template variable",
        };
        out.push(Placeholder {
            text: s[v.range.clone()].to_string(),
            range: v.range,
            kind,
            var: Some(v.kind),
        });
    }
    delimited(s, "<", ">", "a placeholder", out);
    delimited(s, "[[", "]]", "a placeholder", out);
    delimited(s, "{", "}", "a placeholder", out);
}

/// `<name>`, `{name}`, `[[name]]` around a short identifier-like name; `{...}` preceded by
/// `$` is a variable, handled above.
fn delimited(s: &str, open: &str, close: &str, kind: &'static str, out: &mut Vec<Placeholder>) {
    let mut from = 0;
    while let Some(start) = crate::text::find_text(&s[from..], open).map(|i| from + i) {
        let inner_start = start + open.len();
        let Some(len) = crate::text::find_text(&s[inner_start..], close) else {
            break;
        };
        let inner = &s[inner_start..inner_start + len];
        let end = inner_start + len + close.len();
        let is_var = open == "{" && s[..start].ends_with('$');
        let looks_like_name = !inner.is_empty()
            && inner.len() <= 64
            && inner.starts_with(|c: char| c.is_ascii_alphabetic())
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
        let inside_other = out
            .iter()
            .any(|p| p.range.start <= start && end <= p.range.end);
        if looks_like_name && !is_var && !inside_other {
            out.push(Placeholder {
                range: start..end,
                text: s[start..end].to_string(),
                kind,
                var: None,
            });
        }
        from = inner_start;
    }
}

fn fill_in_tokens(s: &str, out: &mut Vec<Placeholder>) {
    // Token characters are ASCII, so tokens are runs of bytes: no need to decode characters.
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_token_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let st = i;
        while i < bytes.len() && is_token_byte(bytes[i]) {
            i += 1;
        }
        let token = &s[st..i];
        let covered = out.iter().any(|p| p.range.start <= st && i <= p.range.end);
        if !covered && is_fill_in(token) {
            out.push(Placeholder {
                range: st..i,
                text: token.to_string(),
                kind: "a placeholder",
                var: None,
            });
        }
    }
}

fn is_fill_in(token: &str) -> bool {
    let upper = token
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !upper || !token.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    FILL_IN_TOKENS.contains(&token)
        || token.starts_with("YOUR_")
        || token
            .rsplit_once('_')
            .is_some_and(|(_, last)| FILL_IN_ENDINGS.contains(&last))
}

#[cfg(test)]
mod tests {
    use super::{MayHold, find, may_hold};

    fn texts(s: &str) -> Vec<String> {
        find(s).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn finds_runs_of_capitals_and_delimiters_anywhere_in_a_value() {
        let plain = |b: &[u8]| MayHold {
            delimiter: b.iter().any(|c| b"<{[".contains(c)),
            capital_pair: b.windows(2).any(|w| w.iter().all(u8::is_ascii_uppercase)),
        };
        // Long enough for a pair to straddle two blocks.
        let text = *b"ab-cd_ef:gh/ij.kl@mn[op`qr{st/uv*wx";
        for i in 0..text.len() {
            for j in 0..text.len() {
                let mut t = text;
                t[i] = t[i].to_ascii_uppercase();
                t[j] = t[j].to_ascii_uppercase();
                for len in 0..=t.len() {
                    let b = &t[..len];
                    assert_eq!(may_hold(b), plain(b), "{:?}", String::from_utf8_lossy(b));
                }
            }
        }
        // Every byte value, at every place in values of one to two blocks: only `<`, `{` and
        // `[` are delimiters, only `A..=Z` capitals.
        for c in 0..=255u8 {
            for len in [1, 5, 15, 16, 17, 31, 32] {
                for at in 0..len {
                    let mut b = vec![b'x'; len];
                    b[at] = c;
                    if at + 1 < len {
                        b[at + 1] = b'Q';
                    }
                    assert_eq!(may_hold(&b), plain(&b), "{c} {len} {at}");
                }
            }
        }
        assert!(!may_hold("ÀÉ".as_bytes()).capital_pair);
        assert!(may_hold("éAB".as_bytes()).capital_pair);
    }

    #[test]
    fn finds_template_text() {
        assert_eq!(
            texts("arn:aws:ecr:*:<ACCOUNT_ID>:repository/*"),
            ["<ACCOUNT_ID>"]
        );
        assert_eq!(
            texts("arn:aws:sagemaker:{region}:{account_number}:training-job/*"),
            ["{region}", "{account_number}"]
        );
        assert_eq!(texts("arn:aws:s3:::[[Bucket]]/*"), ["[[Bucket]]"]);
        assert_eq!(
            texts("arn:${AWS::Partition}:s3:::${BucketName}"),
            ["${AWS::Partition}", "${BucketName}"]
        );
        assert_eq!(
            texts("arn:aws:iam::ACCOUNT_ID:role/REPLACE_ME"),
            ["ACCOUNT_ID", "REPLACE_ME"]
        );
        assert_eq!(texts("arn:aws:s3:::YOUR_BUCKET/*"), ["YOUR_BUCKET"]);
    }

    #[test]
    fn leaves_real_values_alone() {
        for s in [
            "arn:aws:s3:::b/home/${aws:userid}/*",
            "arn:aws:iam::123456789012:role/MY_ROLE",
            "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*",
            "${aws:PrincipalTag/team}",
            "AWS_SERVICE_ROLE",
            "arn:aws:iam::111122223333:role/MACHINE_LEARNING_ROLE",
            "arn:aws:iam::111122223333:role/DATA_BUCKET_READER",
            "{\"json\": 1}",
        ] {
            assert!(texts(s).is_empty(), "{s}: {:?}", texts(s));
        }
    }
}
