use super::*;

fn one(text: &str) -> Value<'static> {
    let mut docs = parse(text).expect("valid YAML");
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

fn at<'a>(text: &'a str, v: &Value) -> &'a str {
    &text[v.span.range()]
}

#[test]
fn spans_are_byte_ranges_of_the_file() {
    let text = "é: ü\nkey: \"quoted\"\nlist:\n  - 12\n  - plain text\n";
    let v = one(text);
    let members = v.as_object().expect("map");
    assert_eq!(&text[members[0].key_span.range()], "é");
    assert_eq!(at(text, &members[0].value), "ü");
    assert_eq!(at(text, &members[1].value), "\"quoted\"");
    let Kind::Array(items) = &members[2].value.kind else {
        panic!("list")
    };
    assert_eq!(items[0].kind, Kind::Number("12".into()));
    assert_eq!(at(text, &items[1]), "plain text");
    assert_eq!(at(text, &members[2].value), "- 12\n  - plain text");
}

#[test]
fn core_schema_scalars() {
    let v =
        one("[true, False, ~, null, '', 0x1F, -1.5e3, .inf, 2012-10-17, '12', 012345678901, yes]");
    let Kind::Array(items) = v.kind else {
        panic!("list")
    };
    let kinds: Vec<Kind> = items.into_iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Bool(true),
            Kind::Bool(false),
            Kind::Null,
            Kind::Null,
            Kind::String(Default::default()),
            Kind::Number("0x1F".into()),
            Kind::Number("-1.5e3".into()),
            Kind::Number(".inf".into()),
            Kind::String("2012-10-17".into()),
            Kind::String("12".into()),
            Kind::Number("012345678901".into()),
            Kind::String("yes".into()),
        ]
    );
    assert_eq!(one("!!str 12").kind, Kind::String("12".into()));
}

#[test]
fn short_form_tags_become_long_form() {
    let text = "a: !Ref Bucket\nb: !GetAtt Role.Arn\nc: !Sub 'arn:${AWS::Partition}:s3:::x'\nd: !Join\n  - ''\n  - [a, !Ref B]\ne: !Condition IsProd\n";
    let v = one(text);
    let a = v.get("a").expect("a");
    assert_eq!(at(text, a), "!Ref Bucket");
    let m = &a.as_object().expect("intrinsic")[0];
    assert_eq!(m.key, "Ref");
    assert_eq!(&text[m.key_span.range()], "!Ref");
    assert_eq!(at(text, &m.value), "Bucket");
    let b = v
        .get("b")
        .and_then(|b| b.get("Fn::GetAtt"))
        .expect("GetAtt");
    let Kind::Array(parts) = &b.kind else {
        panic!("GetAtt list")
    };
    assert_eq!(parts[0].as_str(), Some("Role"));
    assert_eq!(at(text, &parts[0]), "Role");
    assert_eq!(parts[1].as_str(), Some("Arn"));
    assert_eq!(at(text, &parts[1]), "Arn");
    let c = v.get("c").and_then(|c| c.get("Fn::Sub")).expect("Sub");
    assert_eq!(c.as_str(), Some("arn:${AWS::Partition}:s3:::x"));
    assert_eq!(at(text, c), "'arn:${AWS::Partition}:s3:::x'");
    let d = v.get("d").expect("d");
    assert!(at(text, d).starts_with("!Join"));
    assert!(matches!(
        d.get("Fn::Join").map(|j| &j.kind),
        Some(Kind::Array(_))
    ));
    assert!(v.get("e").and_then(|e| e.get("Condition")).is_some());
}

#[test]
fn block_scalars_span_their_text() {
    let text = "doc: !Sub |\n  {\"a\": \"${B}\"}\nnext: 1\n";
    let v = one(text);
    let sub = v.get("doc").and_then(|d| d.get("Fn::Sub")).expect("Sub");
    assert_eq!(sub.as_str(), Some("{\"a\": \"${B}\"}\n"));
    assert_eq!(at(text, sub), "{\"a\": \"${B}\"}");
}

#[test]
fn anchors_and_aliases_copy_values() {
    let text = "base: &stmt {Effect: Allow}\ncopy: *stmt\n";
    let v = one(text);
    let copy = v.get("copy").expect("copy");
    assert_eq!(copy.get("Effect").and_then(Value::as_str), Some("Allow"));
    assert_eq!(at(text, copy), "*stmt");
}

#[test]
fn duplicate_keys_are_kept() {
    let v = one("a: 1\na: 2\n");
    assert_eq!(v.as_object().expect("map").len(), 2);
}

#[test]
fn streams_give_one_tree_per_document() {
    let docs = parse("a: 1\n---\nb: 2\n...\n").expect("valid");
    assert_eq!(docs.len(), 2);
    assert!(parse("").expect("valid").is_empty());
    assert!(parse("# only a comment\n").expect("valid").is_empty());
}

#[test]
fn errors_carry_their_position() {
    let cases: &[(&str, usize, &str)] = &[
        ("a: b\n c: d\n", 7, "mapping values are not allowed"),
        ("a: [1, 2\nb: 3\n", 10, "invalid YAML"),
        ("a: \"abc\n", 3, "quoted scalar"),
        ("a: *nope\n", 3, "anchor"),
        ("? [a]\n: b\n", 2, "mapping key must be a string"),
    ];
    for (text, offset, needle) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.span.start, *offset, "{text:?}: {err:?}");
        assert!(err.message.contains(needle), "{text:?}: {}", err.message);
    }
}

#[test]
fn deep_nesting_and_alias_bombs_are_errors_not_crashes() {
    let err = parse(&"[".repeat(100_000)).expect_err("too deep");
    assert!(err.message.contains("recursion limit") || err.message.contains("nesting deeper"));
    let err = parse(&format!("{}1{}", "- ".repeat(MAX_DEPTH + 5), "")).expect_err("too deep");
    assert!(err.message.contains("nesting deeper"), "{}", err.message);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        bomb += &format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        );
    }
    let bomb = bomb.replacen("&a [", "&a0 [", 1);
    let err = parse(&bomb).expect_err("alias bomb");
    assert!(err.message.contains("aliases expand"), "{}", err.message);
}

#[test]
fn dedented_quoted_scalars_are_read_as_cloudformation_does() {
    let text = "Resources:\n  E:\n    Properties:\n      PolicyDocument: '{\n        \"Version\": \"2012-10-17\"\n      }'\n      After: x\n";
    let v = one(text);
    let doc = v
        .get("Resources")
        .and_then(|r| r.get("E"))
        .and_then(|e| e.get("Properties"))
        .expect("properties");
    let pd = doc.get("PolicyDocument").expect("document");
    assert_eq!(pd.as_str(), Some("{ \"Version\": \"2012-10-17\" }"));
    assert!(at(text, pd).starts_with("'{") && at(text, pd).ends_with("}'"));
    let after = doc.get("After").expect("after");
    assert_eq!(at(text, after), "x");
}
