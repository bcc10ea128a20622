//! Text from an account (names, tags, user data, policy documents, error messages) may hold
//! control characters and escape sequences. Every front end shows it through `escape_controls`
//! so none of it reaches a terminal raw.

/// Control characters shown escaped (`\u{1b}`), tabs as spaces; everything else unchanged.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn escapes_controls_and_expands_tabs() {
        assert_eq!(escape_controls("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(escape_controls("\tx"), "    x");
        assert_eq!(escape_controls("plain ünïcode"), "plain ünïcode");
    }
}
