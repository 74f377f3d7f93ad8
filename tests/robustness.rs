//! User input never panics, and our JSON parser accepts exactly what serde_json accepts.

mod common;

use mlpolicy::parse::json;

/// A fixed xorshift generator: reproducible mutations without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["testdata/examples", "testdata/rules"] {
        let root = common::root().join(dir);
        for entry in walk(&root) {
            out.push(std::fs::read(entry).expect("read seed"));
        }
    }
    out.push(
        br#"{"a": [1, -0.5e+3, true, false, null, "\u00e9\ud83d\ude00\n"], "b": {}}"#.to_vec(),
    );
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Same verdict as serde_json, and the same value when both accept.
fn agree(bytes: &[u8]) {
    let ours = std::str::from_utf8(bytes).ok().map(json::parse);
    let theirs: Result<serde_json::Value, _> = serde_json::from_slice(bytes);
    match (ours, theirs) {
        (Some(Ok(v)), Ok(t)) => assert_eq!(to_serde(&v), t, "values differ for {bytes:?}"),
        (Some(Err(_)) | None, Err(_)) => {}
        (Some(Ok(_)), Err(e)) => {
            // serde_json's own recursion limit (128) is the only accepted difference.
            assert!(
                e.to_string().contains("recursion limit"),
                "we accept, serde_json rejects ({e}): {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        (Some(Err(e)), Ok(_)) => {
            assert!(
                e.message.contains("nesting deeper"),
                "we reject ({}), serde_json accepts: {:?}",
                e.message,
                String::from_utf8_lossy(bytes)
            );
        }
        (None, Ok(_)) => panic!("serde_json accepted invalid UTF-8"),
    }
}

fn to_serde(v: &json::Value) -> serde_json::Value {
    use json::Kind;
    match &v.kind {
        Kind::Null => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(*b),
        Kind::Number(n) => serde_json::from_str(n).expect("number text re-parses"),
        Kind::String(s) => serde_json::Value::String(s.to_string()),
        Kind::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        // serde_json keeps the last of duplicate keys.
        Kind::Object(members) => {
            let mut map = serde_json::Map::new();
            for m in members {
                map.insert(m.key.to_string(), to_serde(&m.value));
            }
            serde_json::Value::Object(map)
        }
    }
}

#[test]
fn parser_agrees_with_serde_json_on_mutations() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let alphabet = b"{}[]\":,\\/ \t\r\nae0-+.E1tfnu\x00\xff\xc3\xa9";
    for seed in seeds() {
        agree(&seed);
        for cut in (0..seed.len()).step_by(7) {
            agree(&seed[..cut]);
        }
        for _ in 0..200 {
            let mut m = seed.clone();
            for _ in 0..=rng.below(3) {
                let at = rng.below(m.len());
                match rng.below(3) {
                    0 if !m.is_empty() => {
                        m.remove(at);
                    }
                    1 => m.insert(at.min(m.len()), alphabet[rng.below(alphabet.len())]),
                    _ if !m.is_empty() => m[at] = alphabet[rng.below(alphabet.len())],
                    _ => {}
                }
            }
            agree(&m);
        }
    }
}

#[test]
fn the_whole_pipeline_never_panics_on_mutations() {
    let mut rng = Rng(42);
    for seed in seeds() {
        for _ in 0..100 {
            let mut m = seed.clone();
            if !m.is_empty() {
                let at = rng.below(m.len());
                m[at] = (rng.next() & 0xff) as u8;
            }
            let cut = rng.below(m.len() + 1);
            mlpolicy::engine::lint_bytes("fuzz.json".into(), m[..cut].to_vec(), true);
            mlpolicy::engine::lint_bytes("fuzz.json".into(), m, false);
        }
    }
}

#[test]
fn spans_always_land_on_char_boundaries() {
    let text = "{\"Statement\": [{\"Effect\": \"Allów\", \"Action\": \"ß:é\", \"Resource\": \"arn:aws:s3::1:ü\"}]}";
    let report = mlpolicy::lint_text("u.json", text);
    assert!(!report.findings.is_empty());
    for f in &report.findings {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
}
