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

/// An error as an operator reads it: `prefix`, the first message, then each cause after `: `
/// (or on a line of its own once the text has several lines). A cause whose text the message
/// before it already quotes is left out, so nothing is said twice; every line is escaped on
/// its own, since errors quote the account.
pub fn causes_text(prefix: &str, causes: impl IntoIterator<Item = String>) -> String {
    let mut text = String::new();
    let mut previous = String::new();
    for cause in causes {
        let message = cause.trim_end();
        if message.is_empty() || (!previous.is_empty() && previous.contains(message)) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(if text.contains('\n') { "\n" } else { ": " });
        }
        text.push_str(message);
        previous = message.to_string();
    }
    text.lines()
        .enumerate()
        .map(|(i, line)| if i == 0 { prefix } else { "" }.to_string() + &escape_controls(line) + "\n")
        .collect()
}

#[cfg(test)]
mod causes_text_tests {
    use super::causes_text;

    fn text(causes: &[&str]) -> String {
        causes_text("ferry: ", causes.iter().map(|c| c.to_string()))
    }

    #[test]
    fn a_cause_the_message_quotes_is_said_once() {
        let causes = ["run r-1", "cannot read the journal: disk on fire", "disk on fire"];
        assert_eq!(text(&causes), "ferry: run r-1: cannot read the journal: disk on fire\n");
    }

    #[test]
    fn a_message_of_several_lines_prints_as_lines() {
        let causes = ["apply", "nothing was changed:\n  subnet gone\nmake a new plan"];
        assert_eq!(text(&causes), "ferry: apply: nothing was changed:\n  subnet gone\nmake a new plan\n");
        assert_eq!(text(&["first\nsecond", "two\nlines"]), "ferry: first\nsecond\ntwo\nlines\n");
    }

    #[test]
    fn control_characters_stay_escaped_on_each_line() {
        assert_eq!(text(&["bad \u{1b}[2J name\nnext \u{7}"]), "ferry: bad \\u{1b}[2J name\nnext \\u{7}\n");
    }
}
