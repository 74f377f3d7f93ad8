//! The catalog JSON's shape for one service, as `build.rs` reads it and as mlpolicy's tests
//! read it to hold the tables to the text. Every string borrows from the text. Shared with
//! `build.rs` through `#[path]`, so it names no crate items but its sibling `entries`.

use super::entries::Entries;

/// A service's JSON: every object as its entries in file order.
#[derive(serde::Deserialize)]
pub struct RawService<'a> {
    #[serde(borrow)]
    pub name: &'a str,
    #[serde(default, borrow)]
    pub resources: Entries<'a, RawResource<'a>>,
    #[serde(default, borrow, rename = "conditionKeys")]
    pub condition_keys: Entries<'a, &'a str>,
    #[serde(default, borrow)]
    pub actions: Entries<'a, RawAction<'a>>,
}

#[derive(serde::Deserialize)]
pub struct RawResource<'a> {
    #[serde(default, borrow)]
    pub arns: Vec<&'a str>,
    #[serde(default, borrow, rename = "conditionKeys")]
    pub condition_keys: Vec<&'a str>,
}

#[derive(serde::Deserialize)]
pub struct RawAction<'a> {
    #[serde(borrow)]
    pub level: &'a str,
    #[serde(default, borrow)]
    pub resources: Vec<RawActionResource<'a>>,
    #[serde(default, borrow, rename = "conditionKeys")]
    pub condition_keys: Vec<&'a str>,
}

#[derive(serde::Deserialize)]
pub struct RawActionResource<'a> {
    #[serde(rename = "type", borrow)]
    pub resource_type: &'a str,
    #[serde(default)]
    pub required: bool,
    #[serde(default, borrow, rename = "conditionKeys")]
    pub condition_keys: Vec<&'a str>,
}
