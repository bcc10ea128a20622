//! Whether a line of source is a comment. A prefix or mount written in a comment (a call the
//! authors switched off, or an example of how to turn one on) is not the running app's: every
//! reader of prefixes and mounts skips such lines.

/// Whether `line` is a comment as a whole (`//`, `/*`, ` * `, `#`), or the code it holds is
/// behind a trailing `//` that comes before `at` (a byte offset into `line`).
pub(super) fn commented_before(line: &str, at: usize) -> bool {
    let trimmed = line.trim_start();
    if ["//", "/*", "*", "#"].iter().any(|opener| trimmed.starts_with(opener)) {
        return true;
    }
    // `foo(); // app.use('/api', api)`; `http://` inside a string is no comment.
    let before = &line[..at.min(line.len())];
    before.match_indices("//").any(|(index, _)| !before[..index].ends_with(':'))
}

/// Whether `line` is a comment as a whole.
pub(super) fn commented(line: &str) -> bool {
    commented_before(line, 0)
}

/// The text after the first `marker` in `text` that stands in code, not in a comment.
pub(super) fn after_in_code<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(at) = line.find(marker).filter(|&at| !commented_before(line, at)) {
            return Some(&text[line_start + at + marker.len()..]);
        }
        line_start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commented_call_is_none_and_a_url_is_code() {
        let text = "  // app.setGlobalPrefix('/api');\nconst u = 'http://x'; app.setGlobalPrefix('v1');\n";
        assert_eq!(after_in_code(text, "setGlobalPrefix("), Some("'v1');\n"));
        assert_eq!(after_in_code("/* setGlobalPrefix('a') */\n", "setGlobalPrefix("), None);
        assert!(commented("  * app.use('/api', api)"));
        assert!(!commented("app.use('/api', api) // mounted"));
    }
}
