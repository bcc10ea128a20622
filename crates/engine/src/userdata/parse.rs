//! Reading facts out of shell user data.

/// One `NAME=value` assignment found in user data, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The variable's name: upper-case letters, digits and `_`.
    pub name: String,
    /// The value with surrounding whitespace and one pair of matching quotes removed; nothing
    /// is expanded.
    pub value: String,
    /// The 1-based line of the user data it is on.
    pub line: usize,
}

/// Environment-style assignments (`NAME=value`, `export NAME=value`), upper-case names only,
/// so shell locals such as `i=0` are not mistaken for application settings.
pub fn assignments(user_data: &str) -> Vec<Assignment> {
    user_data
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (name, value) = parse_assignment(line)?;
            Some(Assignment { name: name.to_string(), value: unquote(value).to_string(), line: index + 1 })
        })
        .collect()
}

/// Splits `NAME=value` (optionally after `export`) into its parts.
pub(crate) fn parse_assignment(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("export ").unwrap_or(trimmed);
    let (name, value) = trimmed.split_once('=')?;
    let valid_name = !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    valid_name.then_some((name, value))
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

/// The host part of a URL-like value (`scheme://user:pass@host:port/path`), if any.
pub fn url_host(value: &str) -> Option<&str> {
    let rest = value.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// The first line containing `needle`, with its 1-based number.
pub fn find_line<'a>(user_data: &'a str, needle: &str) -> Option<(usize, &'a str)> {
    user_data.lines().enumerate().find(|(_, line)| line.contains(needle)).map(|(i, line)| (i + 1, line.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_assignments_and_skips_shell_locals() {
        let text = "#!/bin/bash\ni=0\nexport PORT=3000\nNODE_ENV=\"production\"\necho hi\n";
        let found = assignments(text);
        let names: Vec<_> = found.iter().map(|a| (a.name.as_str(), a.value.as_str(), a.line)).collect();
        assert_eq!(names, vec![("PORT", "3000", 3), ("NODE_ENV", "production", 4)]);
    }

    #[test]
    fn url_host_skips_credentials_and_port() {
        assert_eq!(url_host("postgres://u:p@db.example.com:5432/x"), Some("db.example.com"));
        assert_eq!(url_host("redis://cache.local:6379"), Some("cache.local"));
        assert_eq!(url_host("not a url"), None);
    }
}
