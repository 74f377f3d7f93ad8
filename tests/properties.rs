//! Properties of the wildcard matcher, catalog expansion and ARN helpers, checked with
//! proptest on generated inputs.

use mlpolicy::catalog::catalog;
use mlpolicy::model::{arn, arn_match, glob};
use proptest::prelude::*;

/// Small alphabets so that generated patterns and texts often match, and case matters.
const PATTERN: &str = "[aAbBzZ:/*?-]{0,10}";
const TEXT: &str = "[aAbBzZ:/-]{0,12}";

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn ignore_case_is_matching_the_lowercase_forms(p in PATTERN, t in TEXT) {
        let folded = glob::matches(&p.to_ascii_lowercase(), &t.to_ascii_lowercase(), false);
        prop_assert_eq!(glob::matches(&p, &t, true), folded);
        prop_assert_eq!(glob::matches(&p.to_ascii_uppercase(), &t, true), folded);
        prop_assert_eq!(glob::matches(&p, &t.to_ascii_uppercase(), true), folded);
    }

    #[test]
    fn ignore_case_on_arbitrary_ascii(p in "[ -~]{0,12}", t in "[ -~]{0,12}") {
        prop_assert_eq!(
            glob::matches(&p, &t, true),
            glob::matches(&p.to_ascii_lowercase(), &t.to_ascii_lowercase(), false)
        );
    }

    #[test]
    fn a_literal_matches_only_itself(lit in "[aAbB:/.-]{0,8}", t in "[aAbB:/.-]{0,8}") {
        prop_assert!(glob::matches(&lit, &lit, false));
        prop_assert!(glob::matches(&lit, &lit, true));
        prop_assert_eq!(glob::matches(&lit, &t, false), lit == t);
        prop_assert_eq!(glob::matches(&lit, &t, true), lit.eq_ignore_ascii_case(&t));
    }

    #[test]
    fn a_literal_matches_its_case_variants_only_when_ignoring_case(
        lit in "[a-zA-Z0-9:]{1,12}",
        flips in proptest::collection::vec(any::<bool>(), 12),
    ) {
        let variant: String = lit
            .chars()
            .zip(&flips)
            .map(|(c, &flip)| {
                if flip && c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else if flip {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        prop_assert!(glob::matches(&lit, &variant, true));
        prop_assert_eq!(glob::matches(&lit, &variant, false), lit == variant);
        // One character more or less is never a match for a literal.
        let longer = format!("{variant}x");
        prop_assert!(!glob::matches(&lit, &longer, true));
        prop_assert!(!glob::matches(&lit, &variant[1..], true));
    }

    #[test]
    fn replacing_a_substring_with_a_star_still_matches(
        t in "\\PC{0,16}",
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
        ignore_case in any::<bool>(),
    ) {
        let chars: Vec<char> = t.chars().collect();
        let (i, j) = (a.index(chars.len() + 1), b.index(chars.len() + 1));
        let (i, j) = (i.min(j), i.max(j));
        let pattern: String = chars[..i]
            .iter()
            .chain(std::iter::once(&'*'))
            .chain(&chars[j..])
            .collect();
        prop_assert!(glob::matches(&pattern, &t, ignore_case), "{:?} vs {:?}", pattern, t);
    }

    #[test]
    fn replacing_one_char_with_a_question_mark_still_matches(
        t in "\\PC{1,16}",
        a in any::<prop::sample::Index>(),
        ignore_case in any::<bool>(),
    ) {
        let mut chars: Vec<char> = t.chars().collect();
        let i = a.index(chars.len());
        chars[i] = '?';
        let pattern: String = chars.iter().collect();
        prop_assert!(glob::matches(&pattern, &t, ignore_case), "{:?} vs {:?}", pattern, t);
        // `?` is exactly one character: dropping or adding one breaks the match unless the
        // text holds wildcards of its own.
        if !glob::has_wildcard(&t) {
            let shorter: String = t.chars().skip(1).collect();
            prop_assert!(!glob::matches(&pattern, &shorter, ignore_case));
            let longer = format!("{t}x");
            prop_assert!(!glob::matches(&pattern, &longer, ignore_case));
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn expanding_a_prefix_of_a_real_action(
        service in prop::sample::select(vec!["s3", "sagemaker", "iam"]),
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        shout in any::<bool>(),
    ) {
        let svc = catalog().service(service).expect("service in catalog");
        let actions = svc.actions();
        prop_assert!(!actions.is_empty());
        let action = &actions[which.index(actions.len())];
        let full = format!("{service}:{}", action.name());
        // Cut anywhere, even inside the prefix (`sage*`), so both expansion paths run.
        let keep = 1 + cut.index(full.len());
        let mut pattern = format!("{}*", &full[..keep]);
        if shout {
            pattern = pattern.to_ascii_uppercase();
        }
        let expanded = catalog().expand(&pattern);
        prop_assert!(!expanded.is_empty(), "{} expands to nothing", pattern);
        for (s, a) in &expanded {
            let name = format!("{}:{}", s.prefix(), a.name());
            prop_assert!(
                glob::matches(&pattern, &name, true),
                "{} expanded to {}, which it does not match", pattern, name
            );
        }
        prop_assert!(
            expanded
                .iter()
                .any(|(s, a)| s.prefix() == service && a.name() == action.name()),
            "{} does not expand to {}", pattern, full
        );
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arn_fields_round_trip(
        partition in prop::sample::select(arn::PARTITIONS.to_vec()),
        service in "[a-z][a-z0-9-]{0,15}",
        region in "([a-z]{2}-[a-z]{4,9}-[1-9])?",
        account in "([0-9]{12})?",
        resource in "[A-Za-z0-9/:._+=,@-]{0,40}",
    ) {
        let s = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
        let a = arn::split(&s).expect("a six-field ARN splits");
        prop_assert_eq!(a.partition, partition);
        prop_assert_eq!(a.service, service.as_str());
        prop_assert_eq!(a.region, region.as_str());
        prop_assert_eq!(a.account, account.as_str());
        prop_assert_eq!(a.resource, resource.as_str());
        let rebuilt = format!(
            "arn:{}:{}:{}:{}:{}",
            a.partition, a.service, a.region, a.account, a.resource
        );
        prop_assert_eq!(rebuilt, s.clone());
        prop_assert!(arn_match::may_match(&s, &s), "{} does not match itself", s);
    }

    #[test]
    fn fewer_than_six_fields_do_not_split(fields in proptest::collection::vec("[a-z0-9/-]{0,6}", 1..5)) {
        let s = format!("arn:{}", fields.join(":"));
        prop_assert!(arn::split(&s).is_none(), "{} split", s);
    }
}
