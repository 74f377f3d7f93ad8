//! What a condition key refers to, according to the offline catalog. Shared by the rules
//! that validate keys and their types.

use crate::catalog::{self, Service};

/// What a condition key refers to.
#[derive(Clone)]
pub enum KeyLookup {
    Known(crate::catalog::KeyType),
    /// Keys of identity providers (`saml:aud`, `accounts.google.com:sub`,
    /// `token.actions.githubusercontent.com:sub`) that the reference does not list.
    Federated,
    RetiredService,
    /// `aws:` keys that are not global keys.
    UnknownGlobal,
    UnknownService(String),
    /// The service exists but has no such key.
    UnknownInService(&'static Service),
    NotAKey,
    /// A key a template fills in (`${var.tag_key}`, `${Prefix}:Name`): unknown until deploy,
    /// so neither right nor wrong here (`template-placeholder` judges the text itself).
    Computed,
}

#[derive(serde::Deserialize)]
struct Undocumented {
    keys: Vec<UndocumentedKey>,
}

#[derive(serde::Deserialize)]
struct UndocumentedKey {
    key: String,
    #[serde(rename = "type")]
    key_type: String,
}

/// Keys AWS's own policies use without documenting them (`data/undocumented-condition-keys.json`).
static UNDOCUMENTED: std::sync::LazyLock<Vec<(String, crate::catalog::KeyType)>> =
    std::sync::LazyLock::new(|| {
        let data: Undocumented =
            serde_json::from_str(include_str!("../../data/undocumented-condition-keys.json"))
                .unwrap_or_else(|e| {
                    panic!("internal error: data/undocumented-condition-keys.json: {e}")
                });
        data.keys
            .into_iter()
            .map(|k| {
                let t = match k.key_type.as_str() {
                    "ARN" => crate::catalog::KeyType::Arn,
                    "Bool" => crate::catalog::KeyType::Bool,
                    "Numeric" => crate::catalog::KeyType::Numeric,
                    _ => crate::catalog::KeyType::String,
                };
                (k.key.to_ascii_lowercase(), t)
            })
            .collect()
    });

/// What `key` refers to. Remembered per thread: a corpus uses a few hundred distinct keys
/// thousands of times, and a look-up that falls through to the templates costs a few
/// thousand instructions.
pub fn lookup_key(key: &str) -> KeyLookup {
    thread_local! {
        static MEMO: crate::text::Memo<KeyLookup> = Default::default();
    }
    crate::text::memoized(&MEMO, key, || lookup_uncached(key))
}

fn lookup_uncached(key: &str) -> KeyLookup {
    let computed = crate::model::variables::find(key).iter().any(|r| {
        r.kind != crate::model::variables::VarKind::Policy && !key[..r.range.start].contains(':')
    });
    if computed {
        return KeyLookup::Computed;
    }
    let Some((prefix, rest)) = key.split_once(':') else {
        return KeyLookup::NotAKey;
    };
    if prefix.is_empty() || rest.is_empty() {
        return KeyLookup::NotAKey;
    }
    let cat = catalog::catalog();
    if let Some((_, k)) = cat.condition_key(key) {
        return KeyLookup::Known(k.key_type);
    }
    let lower = key.to_ascii_lowercase();
    if let Some((_, t)) = UNDOCUMENTED.iter().find(|(k, _)| *k == lower) {
        return KeyLookup::Known(*t);
    }
    let prefix = prefix.to_ascii_lowercase();
    if prefix == "aws" {
        return KeyLookup::UnknownGlobal;
    }
    if prefix.contains('.') || prefix == "saml" {
        return KeyLookup::Federated;
    }
    match cat.service(&prefix) {
        Some(service) => KeyLookup::UnknownInService(service),
        None if cat.is_retired_service(&prefix) => KeyLookup::RetiredService,
        None => KeyLookup::UnknownService(prefix),
    }
}
