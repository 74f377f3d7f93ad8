//! Rule pages are part of the product: `mlpolicy explain` prints them and SARIF embeds them.
//! Their examples are tests: the Example must fire the rule, the Fix must not.

mod common;

use mlpolicy::rules::ALL;

const SECTIONS: &[&str] = &[
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Fix",
];

/// Code fences whose contents are linted, and the file name each is linted as.
const FENCES: &[(&str, &str)] = &[
    ("```json", "example.json"),
    ("```yaml", "template.yaml"),
    ("```hcl", "main.tf"),
];

/// The single linted code block of a section (JSON, YAML or HCL), the file name to lint it as,
/// and the profile named after the language (```` ```json profile=data-scientist ````), for
/// the rules that judge a role against a profile.
fn json_block<'a>(
    doc: &'a str,
    section: &str,
    id: &str,
) -> (&'a str, &'static str, Option<&'a str>) {
    let start = doc
        .find(section)
        .unwrap_or_else(|| panic!("rules/{id}.md lacks `{section}`"));
    let rest = &doc[start + section.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let blocks: Vec<(usize, &str, &str)> = FENCES
        .iter()
        .flat_map(|(fence, name)| rest.match_indices(fence).map(move |(at, f)| (at, f, *name)))
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "rules/{id}.md: `{section}` needs exactly one ```json, ```yaml or ```hcl block"
    );
    let (at, fence, name) = blocks[0];
    let body = &rest[at + fence.len()..];
    let (info, body) = body.split_once('\n').expect("a code block has lines");
    let profile = info.trim().strip_prefix("profile=");
    (
        &body[..body.find("```").expect("closed block")],
        name,
        profile,
    )
}

fn lint_block((text, name, profile): (&str, &str, Option<&str>)) -> mlpolicy::engine::FileReport {
    let options = mlpolicy::RunOptions {
        profile: profile
            .map(|p| mlpolicy::profile::get(p).unwrap_or_else(|| panic!("no profile `{p}`"))),
        ..mlpolicy::RunOptions::default()
    };
    mlpolicy::lint_text_with(name, text, &options)
}

#[test]
fn pages_have_the_required_sections_in_order() {
    for rule in ALL {
        let meta = rule.meta();
        let doc = meta.doc;
        assert!(
            doc.starts_with(&format!("# {}\n", meta.id)),
            "rules/{}.md must start with `# {}`",
            meta.id,
            meta.id
        );
        let mut last = 0;
        for s in SECTIONS {
            let at = doc
                .find(s)
                .unwrap_or_else(|| panic!("rules/{}.md lacks `{s}`", meta.id));
            assert!(at > last, "rules/{}.md: `{s}` is out of order", meta.id);
            last = at;
        }
        assert!(
            doc.contains(&format!("**{}**", meta.severity.as_str())),
            "rules/{}.md must state the default severity **{}**",
            meta.id,
            meta.severity.as_str()
        );
    }
}

#[test]
fn examples_fire_and_fixes_do_not() {
    for rule in ALL {
        let id = rule.meta().id;
        let example = json_block(rule.meta().doc, "## Example", id);
        let fix = json_block(rule.meta().doc, "## Fix", id);
        let fired = lint_block(example);
        assert!(
            fired.findings.iter().any(|f| f.rule == id),
            "the Example of rules/{id}.md does not fire `{id}`:\n{}",
            common::describe(&fired)
        );
        let fixed = lint_block(fix);
        assert!(
            !fixed.findings.iter().any(|f| f.rule == id),
            "the Fix of rules/{id}.md still fires `{id}`:\n{}",
            common::describe(&fixed)
        );
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    for rule in ALL {
        let id = rule.meta().id;
        assert!(
            readme.contains(&format!("[`{id}`](rules/{id}.md)")),
            "README.md's rule table lacks `{id}`"
        );
    }
}

#[test]
fn rules_are_sorted_unique_and_kebab_case() {
    let ids: Vec<&str> = ALL.iter().map(|r| r.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "ALL must be sorted by id, without duplicates");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "`{id}` is not kebab-case"
        );
    }
}

/// Messages are one line, start lower-case (or with a backticked value) and end without a period.
#[test]
fn messages_follow_the_convention() {
    for rule in ALL {
        let id = rule.meta().id;
        for kind in ["fail", "pass"] {
            let dir = common::root().join("testdata/rules").join(id).join(kind);
            for fixture in common::fixtures(&dir) {
                for f in fixture.reports.into_iter().flat_map(|r| r.findings) {
                    let m = &f.message;
                    assert!(!m.contains('\n'), "{id}: multi-line message {m:?}");
                    assert!(!m.ends_with('.'), "{id}: message ends with a period: {m:?}");
                    let first = m.chars().next().unwrap_or(' ');
                    assert!(
                        first == '`' || first.is_lowercase() || first.is_ascii_digit(),
                        "{id}: message must start lower-case or with a value: {m:?}"
                    );
                }
            }
        }
    }
}
