//! ARN splitting, resource/format matching and IAM glob matching on arbitrary strings.
//! Input: up to three `\n`-separated strings `a`, `b`, `c` (lossy UTF-8).
//! Properties: no panic; `split` re-joins to its input; `may_match("*", f)`;
//! `glob::matches(s, s, _)` and `glob::matches("*", s, _)` for any `s` without `*`/`?`;
//! a wildcard-free pattern matches case-sensitively exactly its own text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::model::{arn, arn_match, glob};

fn check_split(s: &str) {
    if let Some(a) = arn::split(s) {
        let joined = format!(
            "arn:{}:{}:{}:{}:{}",
            a.partition, a.service, a.region, a.account, a.resource
        );
        assert_eq!(joined, s, "split does not re-join to its input");
    }
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let mut parts = input.splitn(3, '\n');
    let a = parts.next().unwrap_or("");
    let b = parts.next().unwrap_or("");
    let c = parts.next().unwrap_or("");

    for s in [a, b, c] {
        check_split(s);
        let _ = arn::matches_everything(s);
        assert!(
            arn_match::may_match("*", s),
            "may_match(\"*\", {s:?}) is false"
        );
        if !glob::has_wildcard(s) {
            assert!(glob::matches(s, s, false), "{s:?} does not match itself");
            assert!(
                glob::matches(s, s, true),
                "{s:?} does not match itself ignoring case"
            );
        }
        assert!(glob::matches("*", s, false));
    }

    let _ = arn_match::may_match(a, b);
    let _ = arn_match::may_match(b, a);
    let _ = arn_match::may_match(a, c);
    for ignore_case in [false, true] {
        let m = glob::matches(a, b, ignore_case);
        let _ = glob::matches(b, c, ignore_case);
        if !ignore_case && !glob::has_wildcard(a) {
            assert_eq!(m, a == b, "literal pattern {a:?} vs {b:?}");
        }
        if !ignore_case && m {
            assert!(
                glob::matches(a, b, true),
                "case-sensitive match lost when ignoring case"
            );
        }
    }
});
