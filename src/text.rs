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

/// Exec-form words shown as one shell line, quoted where a word has spaces or quotes
/// (`-ldflags="-s -w"` reads as what it is, not as two flags).
pub fn command_line(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|word| {
            if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
                format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                word.clone()
            }
        })
        .collect();
    quoted.join(" ")
}

#[cfg(test)]
mod command_line_tests {
    use super::command_line;

    #[test]
    fn only_words_with_spaces_or_quotes_are_quoted() {
        let words = ["CGO_ENABLED=0", "go", "build", "-ldflags=-s -w", "app:create_app()"].map(String::from);
        assert_eq!(command_line(&words), r#"CGO_ENABLED=0 go build "-ldflags=-s -w" app:create_app()"#);
        assert_eq!(command_line(&[r#"say "hi""#.to_string()]), r#""say \"hi\"""#);
    }
}
