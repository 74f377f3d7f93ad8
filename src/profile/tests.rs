use super::*;
use crate::catalog::catalog;
use std::collections::HashSet;

#[test]
fn every_profile_file_is_listed_under_its_own_name() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/profiles");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("data/profiles")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "activities.json")
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = names().collect();
    assert_eq!(
        on_disk, listed,
        "PROFILE_FILES must list data/profiles/*.json, sorted"
    );
    for p in all() {
        assert!(
            listed.contains(&p.name.as_str()),
            "{} is not its file name",
            p.name
        );
    }
    assert_eq!(all().len(), listed.len());
}

#[test]
fn every_action_exists_in_the_catalog() {
    for a in activities() {
        for action in a.actions() {
            assert!(
                !catalog().expand(action).is_empty(),
                "activity `{}`: `{action}` matches no catalog action",
                a.id
            );
        }
    }
}

#[test]
fn ids_and_sids_are_unique_and_activities_are_used() {
    let mut ids = HashSet::new();
    let mut sids = HashSet::new();
    for a in activities() {
        assert!(
            a.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "`{}` is not kebab-case",
            a.id
        );
        assert!(ids.insert(a.id.as_str()), "activity `{}` twice", a.id);
        for s in &a.statements {
            // Sids must be unique within any policy scaffold writes.
            assert!(sids.insert(s.sid.as_str()), "Sid `{}` twice", s.sid);
            assert!(
                s.sid.chars().all(|c| c.is_ascii_alphanumeric()),
                "Sid `{}`",
                s.sid
            );
        }
        assert!(
            all()
                .iter()
                .any(|p| p.all_activities().any(|b| b.id == a.id)),
            "activity `{}` is in no profile",
            a.id
        );
    }
    for p in all() {
        let mut seen = HashSet::new();
        for a in p.all_activities() {
            assert!(
                seen.insert(a.id.as_str()),
                "{} lists `{}` twice",
                p.name,
                a.id
            );
        }
        assert!(!p.activities.is_empty(), "{} needs nothing", p.name);
    }
}

#[test]
fn star_only_for_actions_that_take_no_resource() {
    for a in activities() {
        for s in &a.statements {
            let star = s.resources.iter().any(|r| r == "*");
            assert!(!star || s.resources.len() == 1, "{}: `*` with ARNs", s.sid);
            for (_, action) in s.actions.iter().flat_map(|x| catalog().expand(x)) {
                if star {
                    assert!(
                        action.callable_without_resource(),
                        "{}: `{}` supports resources, so it must not be on `*`",
                        s.sid,
                        action.name()
                    );
                } else {
                    assert!(
                        !action.is_wildcard_only(),
                        "{}: `{}` accepts only `*`",
                        s.sid,
                        action.name()
                    );
                }
            }
        }
    }
}

#[test]
fn owner_conditions_need_a_profile_style() {
    for p in all() {
        for a in p.all_activities() {
            let abac = a.statements.iter().any(|s| s.abac.is_some());
            assert!(
                !abac || p.abac != AbacStyle::None,
                "{} has per-user activity `{}` but no owner condition style",
                p.name,
                a.id
            );
        }
    }
}

#[test]
fn role_manager_sources_exist_in_the_corpus() {
    let templates = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/public-ml/cdk-aws-sagemaker-role-manager/assets/templates"
    );
    if !std::path::Path::new(templates).is_dir() {
        eprintln!("SKIPPED: ../shared/corpus is absent; Role Manager sources not checked");
        return;
    }
    for a in activities() {
        if let Some(file) = a.source.strip_prefix("role-manager/") {
            assert!(
                std::path::Path::new(templates).join(file).is_file(),
                "activity `{}`: no template {file}",
                a.id
            );
        } else {
            assert!(
                a.source.starts_with("https://"),
                "activity `{}`: source",
                a.id
            );
        }
    }
}

#[test]
fn profiles_allow_their_actions_case_insensitively() {
    let p = get("training-job").expect("training-job");
    assert!(p.allows("s3", "getobject"));
    assert!(p.allows("S3", "GetObject"));
    assert!(!p.allows("s3", "DeleteBucket"));
    assert!(get("no-such-profile").is_none());
}
