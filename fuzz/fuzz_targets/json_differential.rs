//! Differential test against serde_json: whatever one accepts the other must accept, with the
//! same value. Accepted differences:
//! - nesting: both cap depth near 128 (ours: "nesting deeper than 128 levels", serde_json:
//!   "recursion limit exceeded"); when either reports its cap the input is not compared;
//! - numbers serde_json cannot represent (`1e400`: "number out of range"); ours keeps the text;
//! - duplicate keys: ours keeps every member, serde_json the last; compared last-wins.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlpolicy::parse::json::{self, Kind, Value};
use serde_json::Value as SValue;

fn to_serde(v: &Value) -> SValue {
    match &v.kind {
        Kind::Null => SValue::Null,
        Kind::Bool(b) => SValue::Bool(*b),
        // Re-read the literal with serde_json so both sides use the same number semantics.
        Kind::Number(n) => serde_json::from_str::<SValue>(n)
            .unwrap_or_else(|e| panic!("our number literal {n:?} is not a serde_json number: {e}")),
        Kind::String(s) => SValue::String(s.to_string()),
        Kind::Array(items) => SValue::Array(items.iter().map(to_serde).collect()),
        Kind::Object(members) => {
            let mut map = serde_json::Map::new();
            for m in members {
                map.insert(m.key.to_string(), to_serde(&m.value)); // last one wins, like serde_json
            }
            SValue::Object(map)
        }
    }
}

fn ours_is_depth(e: &json::SyntaxError) -> bool {
    e.message.starts_with("nesting deeper")
}

fuzz_target!(|data: &[u8]| {
    let theirs = serde_json::from_slice::<SValue>(data);
    if let Err(e) = &theirs {
        let m = e.to_string();
        if m.starts_with("recursion limit exceeded") || m.starts_with("number out of range") {
            return;
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        assert!(
            theirs.is_err(),
            "serde_json accepted invalid UTF-8: {theirs:?}"
        );
        return;
    };
    let ours = json::parse(text);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => assert_eq!(&to_serde(o), t, "values differ for {text:?}"),
        (Err(e), _) if ours_is_depth(e) => {
            panic!("ours hit its nesting cap but serde_json did not ({theirs:?}) on {text:?}")
        }
        (Err(e), Ok(t)) => {
            panic!("ours rejected ({e:?}) what serde_json accepted ({t:?}): {text:?}")
        }
        (Ok(o), Err(e)) => panic!("ours accepted ({o:?}) what serde_json rejected ({e}): {text:?}"),
        (Err(_), Err(_)) => {}
    }
});
