//! Path globs in a config (`exclude`, `[[profiles]] path`, `[[ignore]] path`), matched against
//! a file's path relative to the folder that holds the config.

use globset::{GlobBuilder, GlobMatcher};

/// A glob with gitignore-like rules: `*` and `?` stay within one path segment, `**` crosses
/// segments, `{a,b}` and `[abc]` work as usual. A glob that matches a folder matches
/// everything in it, so `fixtures` and `fixtures/**` mean the same.
#[derive(Debug, Clone)]
pub struct PathGlob {
    pattern: String,
    matcher: GlobMatcher,
}

impl PathGlob {
    /// Compiles a glob, or says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Self, String> {
        if pattern.trim().is_empty() {
            return Err("an empty path glob matches nothing".to_string());
        }
        let drive = matches!(pattern.as_bytes(), [d, b':', ..] if d.is_ascii_alphabetic());
        if pattern.starts_with('/') || drive {
            return Err(format!(
                "`{pattern}` is absolute; globs are relative to the folder of mlpolicy.toml"
            ));
        }
        let relative = pattern.strip_prefix("./").unwrap_or(pattern);
        if relative.split('/').any(|s| s == "..") {
            return Err(format!(
                "`{pattern}` leaves the folder of mlpolicy.toml, whose files are the only ones it configures"
            ));
        }
        let glob = GlobBuilder::new(relative.trim_end_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))?;
        Ok(Self {
            pattern: pattern.to_string(),
            matcher: glob.compile_matcher(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Does the glob match `relative` (a `/`-separated path inside the config's folder) or a
    /// folder above it?
    pub fn matches(&self, relative: &str) -> bool {
        self.matcher.is_match(relative)
            || relative
                .match_indices('/')
                .any(|(at, _)| self.matcher.is_match(&relative[..at]))
    }
}

#[cfg(test)]
mod tests {
    use super::PathGlob;

    fn glob(p: &str) -> PathGlob {
        PathGlob::new(p).expect("valid glob")
    }

    #[test]
    fn segments_and_folders() {
        assert!(glob("fixtures").matches("fixtures/a/b.json"));
        assert!(glob("fixtures/**").matches("fixtures/a/b.json"));
        assert!(!glob("fixtures").matches("src/fixtures/b.json"));
        assert!(glob("**/fixtures").matches("src/fixtures/b.json"));
        assert!(glob("roles/ds/*").matches("roles/ds/a.json"));
        assert!(!glob("roles/ds/*.json").matches("roles/ds/x/a.json"));
        assert!(glob("roles/*/a.json").matches("roles/ds/a.json"));
        assert!(glob("./policies/b.json").matches("policies/b.json"));
        assert!(glob("*.tf").matches("main.tf"));
        assert!(!glob("*.tf").matches("modules/main.tf"));
        assert!(glob("policies/").matches("policies/b.json"));
    }

    #[test]
    fn bad_globs_say_why() {
        for bad in ["", "/etc/x", "C:/x", "../x", "a/[b", "a/{b"] {
            let e = PathGlob::new(bad).expect_err(bad);
            assert!(!e.is_empty());
        }
        assert!(
            PathGlob::new("a/[b")
                .expect_err("unclosed")
                .contains("not a valid glob")
        );
    }
}
