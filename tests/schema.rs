//! `schema/mlpolicy.schema.json` and the config loader accept the same keys: every table's
//! keys are compared with the list serde gives for an unknown key, and every example config
//! (the valid and invalid ones under testdata/config, and the ```toml blocks of the README and
//! the rule pages) gets the same verdict from both.

mod common;

use mlpolicy::config::Config;
use mlpolicy::rules::ALL;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn schema() -> Value {
    let text = std::fs::read_to_string(common::root().join("schema/mlpolicy.schema.json"))
        .expect("schema file");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn load(text: &str) -> Result<Config, Vec<String>> {
    Config::parse(
        "mlpolicy.toml".to_string(),
        PathBuf::from("/repo"),
        text.to_string(),
    )
    .map_err(|e| e.lines())
}

/// Follows a `$ref` to a local definition.
fn resolve<'s>(root: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/$defs/").expect("local $ref");
            &root["$defs"][name]
        }
        None => node,
    }
}

fn keys(node: &Value) -> BTreeSet<String> {
    node["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

/// The keys the loader accepts in the table `header` opens: the list in serde's
/// "unknown field" error for a key no table has.
fn accepted(header: &str) -> BTreeSet<String> {
    let text = format!("{header}\nnot-a-key-anywhere = 1\n");
    let errors = load(&text).expect_err("an unknown key is an error");
    let message = &errors[0];
    let expected = message
        .split_once("expected ")
        .unwrap_or_else(|| panic!("{header}: {message}"))
        .1;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_table_accepts_exactly_the_schema_keys() {
    let root = schema();
    let props = &root["properties"];
    assert_eq!(accepted(""), keys(&root), "top level");
    let item = |name: &str| resolve(&root, &props[name]["items"]).clone();
    assert_eq!(accepted("[[profiles]]"), keys(&item("profiles")));
    assert_eq!(accepted("[[ignore]]"), keys(&item("ignore")));
    let rules = &props["rules"];
    let mut expected: BTreeSet<String> = ALL.iter().map(|r| r.meta().id.to_string()).collect();
    expected.insert("disable".to_string());
    assert_eq!(
        keys(rules),
        expected,
        "[rules] has `disable` and one table per rule"
    );
    for rule in ALL {
        let id = rule.meta().id;
        let table = resolve(&root, &rules["properties"][id]);
        assert_eq!(
            accepted(&format!("[rules.{id}]")),
            keys(table),
            "[rules.{id}]"
        );
    }
    let abac = resolve(&root, &rules["properties"]["missing-abac-condition"]);
    let extra = resolve(&root, &abac["properties"]["extra-actions"]["items"]);
    assert_eq!(
        accepted("[[rules.missing-abac-condition.extra-actions]]"),
        keys(extra)
    );
    let ids: BTreeSet<String> = root["$defs"]["rule-id"]["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    expected.remove("disable");
    assert_eq!(ids, expected, "$defs/rule-id lists every rule");
}

/// A small validator for the keywords the schema uses. Unknown keywords fail the test, so
/// the schema cannot grow a constraint that nothing checks. `pattern` is left to the loader's
/// own tests (no regex engine here).
fn validate(root: &Value, node: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(obj) = node.as_object() else {
        return errors.push(format!("{at}: schema node is not an object"));
    };
    for (keyword, rule) in obj {
        match keyword.as_str() {
            "$schema" | "$id" | "$defs" | "title" | "description" | "pattern" => {}
            "$ref" => validate(root, resolve(root, node), value, at, errors),
            "type" => {
                let ok = match rule.as_str().unwrap_or("") {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "boolean" => value.is_boolean(),
                    other => panic!("type {other} is not handled"),
                };
                if !ok {
                    errors.push(format!("{at}: not of type {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().is_some_and(|e| e.contains(value)) {
                    errors.push(format!("{at}: {value} is not one of {rule}"));
                }
            }
            "minimum" => {
                if value
                    .as_i64()
                    .zip(rule.as_i64())
                    .is_some_and(|(v, m)| v < m)
                {
                    errors.push(format!("{at}: below {rule}"));
                }
            }
            "minLength" => {
                let min = rule.as_u64().unwrap_or(0) as usize;
                if value.as_str().is_some_and(|s| s.chars().count() < min) {
                    errors.push(format!("{at}: shorter than {min}"));
                }
            }
            "required" => {
                for key in rule.as_array().into_iter().flatten() {
                    let key = key.as_str().unwrap_or("");
                    if value.as_object().is_some_and(|o| !o.contains_key(key)) {
                        errors.push(format!("{at}: `{key}` is required"));
                    }
                }
            }
            "not" => {
                let mut inner = Vec::new();
                validate(root, rule, value, at, &mut inner);
                if inner.is_empty() {
                    errors.push(format!("{at}: matches a forbidden shape {rule}"));
                }
            }
            "properties" => {
                let Some(members) = value.as_object() else {
                    continue;
                };
                for (k, v) in members {
                    if let Some(sub) = rule.get(k) {
                        validate(root, sub, v, &format!("{at}/{k}"), errors);
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(rule, &Value::Bool(false), "only `false` is handled");
                let known: Map<String, Value> = obj
                    .get("properties")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                for k in value.as_object().into_iter().flatten().map(|(k, _)| k) {
                    if !known.contains_key(k) {
                        errors.push(format!("{at}: unknown key `{k}`"));
                    }
                }
            }
            "items" => {
                for (i, v) in value.as_array().into_iter().flatten().enumerate() {
                    validate(root, rule, v, &format!("{at}/{i}"), errors);
                }
            }
            other => panic!("schema keyword `{other}` is not handled by this test"),
        }
    }
}

fn schema_errors(text: &str) -> Vec<String> {
    let root = schema();
    let value: Value = toml::from_str(text).expect("TOML");
    let mut errors = Vec::new();
    validate(&root, &root, &value, "", &mut errors);
    errors
}

/// The config examples: testdata/config/{valid,invalid}/*.toml.
fn examples(kind: &str) -> Vec<(String, String)> {
    let dir = common::root().join("testdata/config").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("example");
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn valid_examples_pass_both_the_loader_and_the_schema() {
    for (name, text) in examples("valid") {
        assert_eq!(load(&text).err(), None, "{name}");
        assert_eq!(schema_errors(&text), Vec::<String>::new(), "{name}");
    }
}

/// Each invalid example breaks one rule that both the loader and the schema state (patterns
/// are the loader's alone, so they are not among these).
#[test]
fn invalid_examples_fail_both() {
    for (name, text) in examples("invalid") {
        assert!(load(&text).is_err(), "{name} loads");
        assert!(!schema_errors(&text).is_empty(), "{name} passes the schema");
    }
}

/// The ```toml blocks of the README and the rule pages are configs users copy.
#[test]
fn documented_configs_are_valid() {
    let mut pages = vec![common::root().join("README.md")];
    pages.extend(ALL.iter().map(|r| {
        common::root()
            .join("rules")
            .join(format!("{}.md", r.meta().id))
    }));
    let mut checked = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("page");
        for block in text.split("```toml\n").skip(1) {
            let block = &block[..block.find("```").expect("closed block")];
            let name = page.display();
            assert_eq!(load(block).err(), None, "{name}:\n{block}");
            assert_eq!(
                schema_errors(block),
                Vec::<String>::new(),
                "{name}:\n{block}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} documented configs");
}

/// The schema's profile names are the shipped profiles, so editors suggest exactly those.
#[test]
fn schema_lists_every_shipped_profile() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schema/mlpolicy.schema.json"))
            .expect("schema"),
    )
    .expect("valid JSON");
    let listed: Vec<&str> =
        schema["properties"]["profiles"]["items"]["properties"]["profile"]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
    let mut shipped: Vec<&str> = mlpolicy::profile::names().collect();
    shipped.sort_unstable();
    assert_eq!(listed, shipped);
}
