//! Java and Kotlin comments blanked out before any reader sees the code: an `@Value` or a
//! route inside `/* ... */` or after `//` is switched off, and reads, serves and writes nothing.
//! Blanking keeps every line and column, so sources still name the right `file:line`.

use super::super::app_files::AppFiles;

/// `files` with the comments of every `.java` and `.kt` file replaced by spaces.
pub(crate) fn without_comments(files: &AppFiles) -> AppFiles {
    let mut blanked = files.clone();
    for (path, text) in blanked.files.iter_mut() {
        if path.ends_with(".java") || path.ends_with(".kt") {
            *text = blank_comments(text);
        }
    }
    blanked
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Line,
    Block,
    /// Inside a quoted literal closed by this character (`"` or `'`).
    Quoted(char),
    /// Inside a `"""` text block (Java) or raw string (Kotlin).
    TextBlock,
}

/// `text` with `//` and `/* */` comments turned into spaces, newlines kept. Quotes are
/// followed so that `"/api/**"` and `"http://host"` stay code.
fn blank_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut state = State::Code;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (keep, step, after) = match state {
            State::Code => match (c, next) {
                ('/', Some('/')) => (false, 2, State::Line),
                ('/', Some('*')) => (false, 2, State::Block),
                ('"', _) if next == Some('"') && chars.get(i + 2) == Some(&'"') => (true, 3, State::TextBlock),
                ('"' | '\'', _) => (true, 1, State::Quoted(c)),
                _ => (true, 1, State::Code),
            },
            State::Line if c == '\n' => (true, 1, State::Code),
            State::Line => (false, 1, State::Line),
            State::Block if c == '*' && next == Some('/') => (false, 2, State::Code),
            State::Block => (c == '\n', 1, State::Block),
            State::Quoted(_) if c == '\\' => (true, 2, state),
            State::Quoted(close) if c == close || c == '\n' => (true, 1, State::Code),
            State::Quoted(_) => (true, 1, state),
            State::TextBlock if c == '\\' => (true, 2, state),
            State::TextBlock if c == '"' && next == Some('"') && chars.get(i + 2) == Some(&'"') => {
                (true, 3, State::Code)
            }
            State::TextBlock => (true, 1, state),
        };
        for &taken in &chars[i..(i + step).min(chars.len())] {
            out.push(if keep || taken == '\n' { taken } else { ' ' });
        }
        state = after;
        i += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_and_strings_stay() {
        let java = "// @Service\nclass A {\n  /*@Value(\"${a.b}\")\n  @Value(\"${c.d}\") */\n  String u = \"http://x/*\"; // note\n  char q = '\"';\n  @Value(\"${e.f}\")\n}\n";
        let blanked = blank_comments(java);
        assert_eq!(blanked.lines().count(), java.lines().count());
        assert!(!blanked.contains("@Service") && !blanked.contains("a.b") && !blanked.contains("c.d"));
        assert!(blanked.contains("\"http://x/*\";") && !blanked.contains("note"));
        assert!(blanked.contains("@Value(\"${e.f}\")"));
        let lines: Vec<&str> = blanked.lines().collect();
        assert_eq!(lines[6], "  @Value(\"${e.f}\")");
    }

    #[test]
    fn text_blocks_keep_their_slashes() {
        let java = "String s = \"\"\"\n  // not a comment\n  \"\"\";\n/* gone */ int x;\n";
        let blanked = blank_comments(java);
        assert!(blanked.contains("// not a comment") && !blanked.contains("gone") && blanked.contains("int x;"));
    }
}
