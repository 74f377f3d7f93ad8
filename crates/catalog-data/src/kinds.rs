//! The catalog's enumerations and their spellings. Pure std and no crate items, so that
//! `build.rs` can `#[path]`-include it and write each value as its variant.

use std::fmt;

/// AWS's access level of an action (its word, not a security judgement: `iam:PassRole` is Write).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Tagging,
    Write,
    PermissionsManagement,
}

impl AccessLevel {
    /// The catalog's spelling.
    pub fn from_catalog(s: &str) -> Option<Self> {
        Some(match s {
            "List" => Self::List,
            "Read" => Self::Read,
            "Tagging" => Self::Tagging,
            "Write" => Self::Write,
            "Permissions management" => Self::PermissionsManagement,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A condition key's type, spelled as AWS does (`ARN`, `IPAddress`, `ArrayOfString`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    ArrayOfString,
    Arn,
    ArrayOfArn,
    Numeric,
    ArrayOfNumeric,
    Date,
    ArrayOfDate,
    Bool,
    ArrayOfBool,
    IpAddress,
    ArrayOfIpAddress,
    Binary,
    ArrayOfBinary,
}

impl KeyType {
    /// The catalog's spelling, with the aliases AWS has used (`Long`, `Boolean`, `Arn`).
    pub fn from_catalog(s: &str) -> Option<Self> {
        Some(match s {
            "String" => Self::String,
            "ArrayOfString" => Self::ArrayOfString,
            "ARN" | "Arn" => Self::Arn,
            "ArrayOfARN" | "ArrayOfArn" => Self::ArrayOfArn,
            "Numeric" | "Long" => Self::Numeric,
            "ArrayOfNumeric" => Self::ArrayOfNumeric,
            "Date" => Self::Date,
            "ArrayOfDate" => Self::ArrayOfDate,
            "Bool" | "Boolean" => Self::Bool,
            "ArrayOfBool" | "ArrayOfBoolean" => Self::ArrayOfBool,
            "IPAddress" | "IpAddress" => Self::IpAddress,
            "ArrayOfIPAddress" | "ArrayOfIpAddress" => Self::ArrayOfIpAddress,
            "Binary" => Self::Binary,
            "ArrayOfBinary" => Self::ArrayOfBinary,
            _ => return None,
        })
    }

    pub fn is_array(self) -> bool {
        self.base() != self
    }

    /// The element type: `ArrayOfArn` -> `Arn`; scalars map to themselves.
    pub fn base(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfNumeric => KeyType::Numeric,
            KeyType::ArrayOfDate => KeyType::Date,
            KeyType::ArrayOfBool => KeyType::Bool,
            KeyType::ArrayOfIpAddress => KeyType::IpAddress,
            KeyType::ArrayOfBinary => KeyType::Binary,
            other => other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::Arn => "ARN",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::Numeric => "Numeric",
            KeyType::ArrayOfNumeric => "ArrayOfNumeric",
            KeyType::Date => "Date",
            KeyType::ArrayOfDate => "ArrayOfDate",
            KeyType::Bool => "Bool",
            KeyType::ArrayOfBool => "ArrayOfBool",
            KeyType::IpAddress => "IPAddress",
            KeyType::ArrayOfIpAddress => "ArrayOfIPAddress",
            KeyType::Binary => "Binary",
            KeyType::ArrayOfBinary => "ArrayOfBinary",
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
