//! Loading and checking configs: every problem is found, with its position.

use super::*;

fn load(text: &str) -> Result<Config, ConfigError> {
    Config::parse(
        "mlpolicy.toml".to_string(),
        PathBuf::from("/repo"),
        text.to_string(),
    )
}

fn problems(text: &str) -> Vec<String> {
    load(text).expect_err("has problems").lines()
}

#[test]
fn an_empty_config_changes_nothing() {
    let c = load("").expect("valid");
    assert!(c.settings.rules().count() == rules::ALL.len());
    assert!(c.ignores.is_empty() && c.exclude.is_empty() && c.profiles.is_empty());
}

#[test]
fn disables_remaps_and_options() {
    let c = load(
        r#"
exclude = ["fixtures/**"]

[rules]
disable = ["redundant-action"]

[rules.unnecessary-resource-star]
severity = "note"

[rules.retired-action]
enabled = false

[rules.public-principal]
trusted-accounts = ["111122223333"]
trusted-org-ids = ["o-a1b2c3d4e5"]

[[rules.missing-abac-condition.extra-actions]]
action = "sagemaker:StartPipelineExecution"
resource = "pipeline"
arn-type = "pipeline/"
level = "write"

[[profiles]]
path = "roles/ds/*"
profile = "data-scientist"

[[ignore]]
rule = "public-principal"
path = "buckets/site.json"
pointer = "/Statement/0/Principal"
reason = "static site"
"#,
    )
    .expect("valid");
    assert!(!c.settings.is_enabled("redundant-action"));
    assert!(!c.settings.is_enabled("retired-action"));
    assert!(c.settings.is_enabled("public-principal"));
    let mut f = vec![Finding::new(
        "unnecessary-resource-star",
        Severity::Warning,
        Span::new(0, 1),
        "",
        "x",
    )];
    c.settings.remap(&mut f);
    assert_eq!(f[0].severity, Severity::Note);
    assert_eq!(
        c.settings.options.public_principal.trusted_accounts,
        ["111122223333"]
    );
    assert_eq!(
        c.settings.options.missing_abac_condition.extra_actions[0].arn_type,
        "pipeline/"
    );
    assert!(c.excludes("fixtures/a/b.json"));
    assert!(!c.excludes("policies/fixtures.json"));
    assert_eq!(
        c.profile_for("roles/ds/x.json").map(|p| p.name.as_str()),
        Some("data-scientist")
    );
    assert!(c.profile_for("roles/ops/x.json").is_none());

    assert_eq!(
        c.ignores[0].at,
        Some(At::Pointer("/Statement/0/Principal".into()))
    );
}

#[test]
fn syntax_and_type_errors_carry_toml_positions() {
    assert_eq!(
        problems("[rules\n"),
        ["mlpolicy.toml:1:7: unclosed table, expected `]`"]
    );
    assert_eq!(
        problems("exclude = \"fixtures\"\n"),
        ["mlpolicy.toml:1:11: invalid type: string \"fixtures\", expected a sequence"]
    );
    assert_eq!(
        problems("excludes = []\n"),
        [
            "mlpolicy.toml:1:1: unknown field `excludes`, expected one of `exclude`, `rules`, `profiles`, `ignore`"
        ]
    );
    assert_eq!(
        problems("[rules.redundant-action]\nseverity = \"warn\"\n"),
        ["mlpolicy.toml:2:12: unknown variant `warn`, expected one of `note`, `warning`, `error`"]
    );
    // An option given to a rule that does not take it.
    assert_eq!(
        problems("[rules.redundant-action]\ntrusted-accounts = []\n"),
        ["mlpolicy.toml:2:1: unknown field `trusted-accounts`, expected `enabled` or `severity`"]
    );
}

#[test]
fn unknown_rules_bad_values_and_missing_reasons_are_all_reported() {
    let found = problems(
        r#"exclude = ["a/[b"]
[rules]
disable = ["redundnt-action"]
[rules.public-principle]
severity = "note"
[rules.public-principal]
trusted-accounts = ["1111"]
trusted-org-ids = ["org-1"]
[[rules.missing-abac-condition.extra-actions]]
action = "sagemaker:StartPipelineExecutio"
resource = "pipeline"
arn-type = "pipeline/*"
level = "write"
[[profiles]]
path = "roles/*"
profile = "Data Scientist"
[[ignore]]
rule = "public-principal"
path = "x.json"
[[ignore]]
rule = "public-principal"
path = "/abs/x.json"
reason = " "
line = 3
pointer = "/Statement"
"#,
    );
    assert_eq!(
        found,
        [
            "mlpolicy.toml:1:12: `a/[b` is not a valid glob: unclosed character class; missing ']'",
            "mlpolicy.toml:3:12: unknown rule `redundnt-action`",
            "mlpolicy.toml:4:8: unknown rule `public-principle`",
            "mlpolicy.toml:7:21: `1111` is not an AWS account id (12 digits)",
            "mlpolicy.toml:8:20: `org-1` is not an organization id (`o-` and 10 to 32 lower-case letters or digits)",
            "mlpolicy.toml:10:10: `sagemaker:StartPipelineExecutio` is not an action of the offline catalog",
            "mlpolicy.toml:12:12: `arn-type` is literal text, not a glob",
            "mlpolicy.toml:16:11: `Data Scientist` is not a role profile (did you mean `data-scientist`?); `mlpolicy profiles` lists them",
            "mlpolicy.toml:17:1: this `[[ignore]]` has no `reason`",
            "mlpolicy.toml:22:8: `/abs/x.json` is absolute; globs are relative to the folder of mlpolicy.toml",
            "mlpolicy.toml:23:10: the `reason` of an `[[ignore]]` is empty",
            "mlpolicy.toml:24:8: give `line` or `pointer`, not both",
        ]
    );
    let e = load("[rules]\ndisable = [\"redundnt-action\"]\n").expect_err("unknown");
    assert_eq!(
        e.problems[0].help.as_deref(),
        Some("did you mean `redundant-action`? `mlpolicy rules` lists them all")
    );
    let rendered = e.render();
    assert!(rendered.contains("┌─ mlpolicy.toml:2:12"), "{rendered}");
    assert!(rendered.contains("^^^^^^^^^^^^^^^^^"), "{rendered}");
}

#[test]
fn contradictions_and_pointers() {
    assert_eq!(
        problems(
            "[rules]\ndisable = [\"redundant-action\"]\n[rules.redundant-action]\nenabled = true\n"
        ),
        ["mlpolicy.toml:3:8: `redundant-action` is both in `disable` and `enabled = true`"]
    );
    assert_eq!(
        problems(
            "[[ignore]]\nrule = \"redundant-action\"\npath = \"a\"\nreason = \"r\"\npointer = \"Statement/0\"\n"
        ),
        ["mlpolicy.toml:5:11: `Statement/0` is not a JSON pointer"]
    );
    assert_eq!(
        problems(
            "[[ignore]]\nrule = \"redundant-action\"\npath = \"a\"\nreason = \"r\"\nline = 0\n"
        ),
        ["mlpolicy.toml:5:8: `line` counts from 1"]
    );
    assert_eq!(
        problems(
            "[[rules.missing-abac-condition.extra-actions]]\naction = \"sagemaker:DescribeSpace\"\nresource = \"space\"\narn-type = \"space/\"\nlevel = \"read\"\n"
        ),
        [
            "mlpolicy.toml:2:10: `sagemaker:DescribeSpace` is already in the built-in list (data/abac-actions.json)"
        ]
    );
}

#[test]
fn ignores_cover_by_rule_line_and_pointer() {
    let c = load(
        "[[ignore]]\nrule = \"public-principal\"\npath = \"b/*.json\"\nreason = \"r\"\npointer = \"/Statement/0\"\n\
         [[ignore]]\nrule = \"redundant-action\"\npath = \"b\"\nreason = \"r\"\nline = 7\n",
    )
    .expect("valid");
    let f = |rule: &'static str, pointer: &str| {
        Finding::new(rule, Severity::Error, Span::new(0, 1), pointer, "m")
    };
    let by_pointer = &c.ignores[0];
    assert!(by_pointer.covers(&f("public-principal", "/Statement/0/Principal"), 1));
    assert!(by_pointer.covers(&f("public-principal", "/Statement/0"), 1));
    assert!(!by_pointer.covers(&f("public-principal", "/Statement/01"), 1));
    assert!(!by_pointer.covers(&f("redundant-action", "/Statement/0"), 1));
    let by_line = &c.ignores[1];
    assert!(by_line.covers(&f("redundant-action", "/x"), 7));
    assert!(!by_line.covers(&f("redundant-action", "/x"), 8));
}
