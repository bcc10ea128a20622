//! Text from an account (names, tags, user data, policy documents, error messages) may hold
//! control characters and escape sequences. Every front end shows it through `escape_controls`
//! so none of it reaches a terminal raw.

/// Control characters and the invisible format characters that reorder or hide text (bidi
/// overrides, zero-width characters) shown escaped (`\u{1b}`, `\u{202e}`), tabs as spaces;
/// everything else unchanged.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c if is_hidden(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
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

    #[test]
    fn escapes_characters_that_reorder_or_hide_text() {
        assert_eq!(escape_controls("shop\u{202e}gpj.exe"), "shop\\u{202e}gpj.exe");
        assert_eq!(escape_controls("a\u{200b}b"), "a\\u{200b}b");
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
